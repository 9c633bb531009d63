use pinyin::ToPinyin;

/// The pinyin a search can match: the full spelling and the initials, both lower case with
/// no separators. "华信科技有限公司" → ("huaxinkejiyouxiangongsi", "hxkjyxgs"); Latin letters
/// and digits pass through, so "ABC科技" → ("abckeji", "abckj").
///
/// Polyphonic characters take their most common reading, which is what people type.
pub fn pinyin_keys(text: &str) -> (String, String) {
    let mut full = String::new();
    let mut initials = String::new();
    for (c, py) in text.chars().zip(text.to_pinyin()) {
        match py {
            Some(py) => {
                full.push_str(py.plain());
                initials.push_str(py.first_letter());
            }
            None if c.is_ascii_alphanumeric() => {
                let lower = c.to_ascii_lowercase();
                full.push(lower);
                // A Latin word contributes all its letters to the initials too: people type
                // "abckj" for "ABC科技".
                initials.push(lower);
            }
            None => {}
        }
    }
    (full, initials)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table() {
        let cases = [
            ("张三", "zhangsan", "zs"),
            ("华信科技有限公司", "huaxinkejiyouxiangongsi", "hxkjyxgs"),
            ("ABC科技", "abckeji", "abckj"),
            ("李四 (销售)", "lisixiaoshou", "lsxs"),
            ("2024年", "2024nian", "2024n"),
            ("", "", ""),
        ];
        for (text, full, initials) in cases {
            assert_eq!(pinyin_keys(text), (full.to_owned(), initials.to_owned()), "{text}");
        }
    }
}
