use sqlx::SqliteConnection;

use crate::Result;

/// The next free customer number for a year and industry: 2024-MFG-001, 2024-MFG-002 …
/// Customers without an industry use GEN. The sequence grows past 999 (2024-MFG-1000).
pub async fn next_number(conn: &mut SqliteConnection, year: i32, industry_code: Option<&str>) -> Result<String> {
    let prefix = format!("{year}-{}-", industry_code.unwrap_or("GEN"));
    // '-' sorts just before '.', so this range is exactly the numbers with this prefix and
    // is answered from the unique index on number.
    let upper = format!("{}.", &prefix[..prefix.len() - 1]);
    let numbers: Vec<String> =
        sqlx::query_scalar("SELECT number FROM customers WHERE number >= ? AND number < ? ORDER BY length(number) DESC, number DESC LIMIT 50")
            .bind(&prefix)
            .bind(&upper)
            .fetch_all(conn)
            .await?;
    let highest = numbers.iter().filter_map(|n| n[prefix.len()..].parse::<u64>().ok()).max().unwrap_or(0);
    Ok(format!("{prefix}{:03}", highest + 1))
}
