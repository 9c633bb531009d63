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

fn is_cjk(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{F900}'..='\u{FAFF}' | '\u{20000}'..='\u{2FA1F}')
}

/// Every CJK character and every pair of neighbouring ones, space-separated and without
/// repeats: "华信科技" → "华 华信 信 信科 科 科技 技". Indexed as tokens, they answer one- and
/// two-character queries, which a trigram index cannot.
pub fn cjk_grams<'a>(names: impl Iterator<Item = &'a str>) -> String {
    let mut grams: Vec<String> = Vec::new();
    let mut push = |g: String| {
        if !grams.contains(&g) {
            grams.push(g);
        }
    };
    for name in names {
        let chars: Vec<char> = name.chars().collect();
        for (i, c) in chars.iter().enumerate() {
            if !is_cjk(*c) {
                continue;
            }
            push(c.to_string());
            if let Some(next) = chars.get(i + 1).filter(|n| is_cjk(**n)) {
                push(format!("{c}{next}"));
            }
        }
    }
    grams.join(" ")
}

/// A query the gram index can answer: one or two CJK characters.
pub fn is_short_cjk(query: &str) -> bool {
    let n = query.chars().count();
    (1..=2).contains(&n) && query.chars().all(is_cjk)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grams_table() {
        assert_eq!(cjk_grams(["华信科技"].into_iter()), "华 华信 信 信科 科 科技 技");
        assert_eq!(cjk_grams(["ABC科技", "李四"].into_iter()), "科 科技 技 李 李四 四");
        assert_eq!(cjk_grams(["华 信"].into_iter()), "华 信");
        assert_eq!(cjk_grams(["信信"].into_iter()), "信 信信");
        assert!(is_short_cjk("华信") && is_short_cjk("鼎"));
        assert!(!is_short_cjk("华信科") && !is_short_cjk("zs") && !is_short_cjk("华1"));
    }

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
