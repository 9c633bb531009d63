//! Comma-, tab- or semicolon-separated text, read the way Excel reads it.
//!
//! Hand-written rather than the `csv` crate because Excel's row numbers must survive: a blank
//! line is a blank row the user sees (the crate skips it), and a quoted field may span lines
//! while still being one row.

use super::cell::Cell;

const CANDIDATES: [char; 3] = [',', '\t', ';'];
/// Enough records to see the table's shape past a title row or two.
const SNIFF_RECORDS: usize = 30;

/// Every cell is [`Cell::Text`] or [`Cell::Empty`]: in a CSV "0139" and "2024-03-01" are
/// what the user typed, and the column mapping decides what they mean. A blank line is an
/// empty row; rows may have different lengths.
pub fn read_delimited(text: &str) -> Vec<Vec<Cell>> {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    // Excel's own hint line, e.g. `sep=;`; Excel hides it, so it is not a row.
    let first_line = text.lines().next().unwrap_or_default();
    if let Some(sep) = first_line.strip_prefix("sep=").and_then(single_char) {
        let rest = &text[first_line.len()..];
        let rest = rest.strip_prefix("\r\n").or_else(|| rest.strip_prefix(['\r', '\n'])).unwrap_or(rest);
        return parse(rest, sep, usize::MAX);
    }
    parse(text, sniff(text), usize::MAX)
}

fn single_char(s: &str) -> Option<char> {
    let mut chars = s.chars();
    chars.next().filter(|_| chars.next().is_none())
}

/// The delimiter that splits the most records into the same number (≥ 2) of fields.
fn sniff(text: &str) -> char {
    let mut best = (CANDIDATES[0], (0, 0));
    for delimiter in CANDIDATES {
        let rows = parse(text, delimiter, SNIFF_RECORDS);
        let widths: Vec<usize> = rows.iter().map(Vec::len).filter(|&n| n >= 2).collect();
        let score =
            widths.iter().map(|&width| (widths.iter().filter(|&&w| w == width).count(), width)).max().unwrap_or((0, 0));
        if score > best.1 {
            best = (delimiter, score);
        }
    }
    best.0
}

fn parse(text: &str, delimiter: char, max_rows: usize) -> Vec<Vec<Cell>> {
    let mut rows = Vec::new();
    let mut row: Vec<Cell> = Vec::new();
    let mut field = String::new();
    // A field counts as present once quoted, even if empty: `""` is one empty field, not a blank line.
    let mut quoted = false;
    let mut in_quotes = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if in_quotes {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => in_quotes = false,
                _ => field.push(c),
            }
            continue;
        }
        match c {
            '"' if field.is_empty() && !quoted => {
                in_quotes = true;
                quoted = true;
            }
            '\r' | '\n' => {
                if c == '\r' && chars.peek() == Some(&'\n') {
                    chars.next();
                }
                if !row.is_empty() || !field.is_empty() || quoted {
                    row.push(Cell::text(std::mem::take(&mut field)));
                }
                rows.push(std::mem::take(&mut row));
                quoted = false;
                if rows.len() >= max_rows {
                    return rows;
                }
            }
            _ if c == delimiter => {
                row.push(Cell::text(std::mem::take(&mut field)));
                quoted = false;
            }
            // After a closing quote Excel keeps the rest literally: `"a"b` is `ab`.
            _ => field.push(c),
        }
    }
    if !row.is_empty() || !field.is_empty() || quoted {
        row.push(Cell::text(field));
        rows.push(row);
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Cell {
        Cell::Text(s.into())
    }

    #[test]
    fn sniffs_the_delimiter() {
        let cases = [
            ("客户名称,联系人,电话\n华信,张三,139\n", ','),
            ("客户名称\t联系人\t电话\n华信\t张三\t139\n", '\t'),
            ("客户名称;联系人;电话\n华信;张三;139\n", ';'),
            // Commas inside quotes do not count; tabs split every line the same way.
            ("名称\t地址\n华信\t\"北京,朝阳\"\n", '\t'),
            ("名称\t地址\t电话\n华信\t北京,朝阳\t139\n", '\t'),
            // Semicolons in free text lose to consistent commas.
            ("名称,备注\n华信,\"a;b;c\"\n中科,d;e\n", ','),
            // A title row above the header does not confuse it.
            ("2024年客户信息表\n\n名称\t电话\n华信\t139\n", '\t'),
            ("only one column\nno delimiter\n", ','),
        ];
        for (text, want) in cases {
            assert_eq!(sniff(text), want, "{text:?}");
        }
    }

    #[test]
    fn quoted_fields_with_newlines_delimiters_and_doubled_quotes() {
        let text = "名称,备注\r\n\"华信,科技\",\"第一行\r\n第二行\"\r\n\"说\"\"好\"\"的\",x\r\n";
        let rows = read_delimited(text);
        assert_eq!(
            rows,
            vec![
                vec![t("名称"), t("备注")],
                vec![t("华信,科技"), t("第一行\r\n第二行")],
                vec![t("说\"好\"的"), t("x")],
            ]
        );
    }

    #[test]
    fn blank_lines_and_ragged_rows_keep_their_place() {
        let text = "a,b,c\n\n1,,3\n4\n,\n";
        assert_eq!(
            read_delimited(text),
            vec![
                vec![t("a"), t("b"), t("c")],
                vec![],
                vec![t("1"), Cell::Empty, t("3")],
                vec![t("4")],
                vec![Cell::Empty, Cell::Empty],
            ]
        );
    }

    #[test]
    fn cells_are_text_never_numbers() {
        let rows = read_delimited("电话,日期,金额\n013912345678,2024-03-01,300000.00\n");
        assert_eq!(rows[1], vec![t("013912345678"), t("2024-03-01"), t("300000.00")]);
    }

    #[test]
    fn line_endings_and_last_line_without_newline() {
        for text in ["a,b\r\nc,d", "a,b\nc,d\n", "a,b\rc,d\r", "a,b\r\nc,d\r\n"] {
            assert_eq!(read_delimited(text), vec![vec![t("a"), t("b")], vec![t("c"), t("d")]], "{text:?}");
        }
    }

    #[test]
    fn quote_edge_cases() {
        let cases = [
            ("\"\"", vec![vec![Cell::Empty]]),
            ("\"a\"b,c", vec![vec![t("ab"), t("c")]]),
            ("a\"b,c", vec![vec![t("a\"b"), t("c")]]),
            // An unclosed quote runs to the end of the file rather than losing data.
            ("\"a,b\nc", vec![vec![t("a,b\nc")]]),
            ("  ,x", vec![vec![Cell::Empty, t("x")]]),
        ];
        for (text, want) in cases {
            assert_eq!(parse(text, ',', usize::MAX), want, "{text:?}");
        }
    }

    #[test]
    fn bom_and_excel_sep_hint() {
        assert_eq!(read_delimited("\u{FEFF}a,b\n"), vec![vec![t("a"), t("b")]]);
        assert_eq!(read_delimited("sep=;\r\na;b,c\n"), vec![vec![t("a"), t("b,c")]]);
        assert_eq!(read_delimited("sep=|\nx|y\n"), vec![vec![t("x"), t("y")]]);
        assert_eq!(read_delimited("sep=,\n\na,b\n"), vec![vec![], vec![t("a"), t("b")]]);
    }

    #[test]
    fn empty_text_has_no_rows() {
        assert!(read_delimited("").is_empty());
    }
}
