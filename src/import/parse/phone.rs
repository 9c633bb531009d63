//! Phones as spreadsheets hold them: numbers that Excel would show as `1.39123E+10`, and
//! cells that pack a phone with a WeChat id or a note (`139XXXX5678/lixxx`).

use super::clean_text;
use crate::domain::{half_width, Mobile};
use crate::import::cell::{number_text, trim_spaces, Cell};

/// The phone's digits exactly as the user meant them: a number cell `13912345678.0` is
/// `"13912345678"`; text is trimmed and otherwise untouched, except scientific notation that
/// still carries every digit (`1.3912345678E+10`, from a CSV of a number column).
pub fn phone_text(cell: &Cell) -> Option<String> {
    match cell {
        Cell::Number(n) => Some(number_text(*n)),
        Cell::Text(s) => {
            let text = trim_spaces(s);
            (!text.is_empty()).then(|| scientific_digits(text).unwrap_or_else(|| text.to_owned()))
        }
        other => clean_text(other),
    }
}

/// `d.ddddE+n` with exactly n decimals is an integer written in full; fewer decimals mean
/// Excel already dropped digits (`1.39123E+10`), and padding zeros would invent a wrong phone.
fn scientific_digits(text: &str) -> Option<String> {
    let (mantissa, exponent) = text.split_once(['e', 'E'])?;
    let exponent: usize = exponent.strip_prefix('+').unwrap_or(exponent).parse().ok()?;
    let (int, frac) = mantissa.split_once('.')?;
    let is_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    (int.len() == 1 && int != "0" && is_digits(frac) && frac.len() == exponent).then(|| format!("{int}{frac}"))
}

/// Splits a cell holding a phone and something else into (phone, the rest): the phone as
/// 11 digits if [`Mobile::parse`] accepts some part of the cell, the rest without separators
/// and labels (`微信:`). `13912345678（微信同号）` gives the rest `微信同号`; what that means is
/// the caller's business.
pub fn split_combined(text: &str) -> (Option<String>, Option<String>) {
    let text = half_width(trim_spaces(text));
    if let Ok(mobile) = Mobile::parse(&text) {
        return (Some(mobile.to_string()), None);
    }
    match find_mobile(&text) {
        Some((mobile, start, end)) => {
            let rest = format!("{} {}", &text[..start], &text[end..]);
            (Some(mobile.to_string()), tidy_rest(&rest))
        }
        None => (None, tidy_rest(&text)),
    }
}

/// The first span of phone characters (digits, `+`, `-`, spaces, brackets) that is a mobile,
/// trying a whole run first and then its space-separated parts: `2024 13912345678`.
fn find_mobile(text: &str) -> Option<(Mobile, usize, usize)> {
    let is_phone_char = |c: char| c.is_ascii_digit() || matches!(c, '+' | '-' | ' ' | '(' | ')');
    for (run_start, run_end) in runs(text, is_phone_char) {
        let tokens: Vec<(usize, usize)> = runs(&text[run_start..run_end], |c| c != ' ')
            .into_iter()
            .map(|(s, e)| (run_start + s, run_start + e))
            .collect();
        for len in (1..=tokens.len()).rev() {
            for window in tokens.windows(len) {
                let (start, end) = (window[0].0, window[len - 1].1);
                if let Ok(mobile) = Mobile::parse(&text[start..end]) {
                    return Some((mobile, start, end));
                }
            }
        }
    }
    None
}

/// Byte ranges of the maximal runs of characters that satisfy `keep`.
fn runs(s: &str, keep: impl Fn(char) -> bool) -> Vec<(usize, usize)> {
    let mut runs = Vec::new();
    let mut start = None;
    for (i, c) in s.char_indices() {
        match (keep(c), start) {
            (true, None) => start = Some(i),
            (false, Some(st)) => {
                runs.push((st, i));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(st) = start {
        runs.push((st, s.len()));
    }
    runs
}

const LABELS: [&str; 11] = ["微信号", "微信", "wechat", "weixin", "wx", "vx", "v信", "电话", "手机", "tel", "phone"];

/// Drops separators and labels (`微信:`, `wx `, a dangling `,手机`) at both ends; `None` if
/// nothing is left.
fn tidy_rest(rest: &str) -> Option<String> {
    let mut rest = rest.trim_matches(is_separator);
    while let Some(shorter) = LABELS.iter().find_map(|label| without_label(rest, label)) {
        rest = shorter.trim_matches(is_separator);
    }
    (!rest.is_empty()).then(|| rest.to_owned())
}

fn is_separator(c: char) -> bool {
    c.is_whitespace() || "/\\|,;、()[]【】:：-~".contains(c)
}

/// `rest` without `label` at its start or end, if the label stands apart: `微信同号` keeps
/// its `微信`, `微信: lixxx` and `lixxx,手机` lose theirs.
fn without_label<'a>(rest: &'a str, label: &str) -> Option<&'a str> {
    let n = label.len();
    let head = rest.get(..n).filter(|head| head.eq_ignore_ascii_case(label));
    if head.is_some() && rest[n..].chars().next().is_none_or(|c| c == ':' || is_separator(c)) {
        return Some(&rest[n..]);
    }
    let tail_at = rest.len().checked_sub(n)?;
    let tail = rest.get(tail_at..).filter(|tail| tail.eq_ignore_ascii_case(label));
    if tail.is_some() && rest[..tail_at].chars().next_back().is_some_and(is_separator) {
        return Some(&rest[..tail_at]);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_numbers_stored_as_numbers_keep_every_digit() {
        let cases = [
            (Cell::Number(13912345678.0), Some("13912345678")),
            (Cell::Number(1.3912345678E10), Some("13912345678")),
            (Cell::Number(8613912345678.0), Some("8613912345678")),
            (Cell::Text(" 139 1234 5678 ".into()), Some("139 1234 5678")),
            (Cell::Text("1.3912345678E+10".into()), Some("13912345678")),
            (Cell::Text("1.3912345678e10".into()), Some("13912345678")),
            // Digits already lost: left as is, so validation flags it instead of a wrong phone.
            (Cell::Text("1.39123E+10".into()), Some("1.39123E+10")),
            (Cell::Text("0.5E1".into()), Some("0.5E1")),
            (Cell::Text("lixxx".into()), Some("lixxx")),
            (Cell::Empty, None),
            (Cell::Text("\u{3000}".into()), None),
        ];
        for (cell, want) in cases {
            assert_eq!(phone_text(&cell).as_deref(), want, "{cell:?}");
        }
    }

    #[test]
    fn combined_cells_split_into_phone_and_rest() {
        let cases = [
            ("13912345678/lixxx", Some("13912345678"), Some("lixxx")),
            ("139 1234 5678 / 微信: lixxx", Some("13912345678"), Some("lixxx")),
            ("13912345678（微信同号）", Some("13912345678"), Some("微信同号")),
            ("13912345678(微信同号)", Some("13912345678"), Some("微信同号")),
            ("电话:13912345678 微信:lixxx", Some("13912345678"), Some("lixxx")),
            ("微信：lixxx，手机：139-1234-5678", Some("13912345678"), Some("lixxx")),
            ("lixxx 13912345678", Some("13912345678"), Some("lixxx")),
            ("wx lixxx2024 / +86 139 1234 5678", Some("13912345678"), Some("lixxx2024")),
            ("手机13912345678", Some("13912345678"), None),
            ("2024 13912345678", Some("13912345678"), Some("2024")),
            ("１３９１２３４５６７８", Some("13912345678"), None),
            ("13912345678", Some("13912345678"), None),
            ("13912345678/13812345678", Some("13912345678"), Some("13812345678")),
            ("微信: lixxx", None, Some("lixxx")),
            ("010-12345678", None, Some("010-12345678")),
            ("1391234567/lixxx", None, Some("1391234567/lixxx")),
            ("  ", None, None),
            ("", None, None),
        ];
        for (raw, phone, rest) in cases {
            let (got_phone, got_rest) = split_combined(raw);
            assert_eq!((got_phone.as_deref(), got_rest.as_deref()), (phone, rest), "{raw:?}");
        }
    }

    #[test]
    fn runs_table() {
        assert_eq!(runs("ab  cd", |c| c != ' '), vec![(0, 2), (4, 6)]);
        assert_eq!(runs("  ", |c| c != ' '), vec![]);
        assert_eq!(runs("微信13", |c| c.is_ascii_digit()), vec![(6, 8)]);
    }

    #[test]
    fn labels_are_only_stripped_as_whole_words() {
        assert_eq!(tidy_rest("微信同号").as_deref(), Some("微信同号"));
        assert_eq!(tidy_rest("WX: lixxx").as_deref(), Some("lixxx"));
        assert_eq!(tidy_rest("telford").as_deref(), Some("telford"));
        assert_eq!(tidy_rest(" / 手机 ").as_deref(), None);
        assert_eq!(tidy_rest("lixxx,手机:").as_deref(), Some("lixxx"));
        assert_eq!(tidy_rest("lixxx手机").as_deref(), Some("lixxx手机"));
    }
}
