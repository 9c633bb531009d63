//! Masking contact details for an export that leaves the sales team (打码导出): enough stays
//! visible to tell records apart and recognise a number, not enough to call it.

/// `13812345678` → `138****5678`; `010-12345678-801` → `010-****5678-801` (area code and
/// extension are not personal); `400-123-4567` → `400-***-4567`. Stored phones are
/// normalized, but legacy text is masked by the same rule: keep a prefix and the last four.
pub fn phone(phone: &str) -> String {
    let parts: Vec<&str> = phone.split('-').collect();
    match parts.as_slice() {
        [single] => keep_ends(single, 3, 4),
        [area, local] if area.starts_with('0') => format!("{area}-{}", keep_ends(local, 0, 4)),
        [area, local, ext] if area.starts_with('0') => format!("{area}-{}-{ext}", keep_ends(local, 0, 4)),
        [first, middle @ .., last] => {
            let mut out = vec![(*first).to_owned()];
            out.extend(middle.iter().map(|m| "*".repeat(m.chars().count())));
            out.push((*last).to_owned());
            out.join("-")
        }
        [] => String::new(),
    }
}

/// `li.ming@qq.com` → `l***@qq.com`: the domain says which company, the name is hidden.
pub fn email(email: &str) -> String {
    let (local, domain) = email.split_once('@').unwrap_or((email, ""));
    let first = local.chars().next().unwrap_or('*');
    if domain.is_empty() {
        format!("{first}***")
    } else {
        format!("{first}***@{domain}")
    }
}

/// `zhangwei_hx` → `z***x`. A WeChat id reaches a person as directly as a phone does.
pub fn wechat(id: &str) -> String {
    let chars: Vec<char> = id.chars().collect();
    match chars.as_slice() {
        [first, .., last] if chars.len() > 2 => format!("{first}***{last}"),
        _ => "***".to_owned(),
    }
}

/// Stars for everything but the first `head` and last `tail` characters; if that would
/// leave nothing hidden, only the last `tail` (or nothing) stays.
fn keep_ends(text: &str, head: usize, tail: usize) -> String {
    let chars: Vec<char> = text.chars().collect();
    let (head, tail) = if chars.len() > head + tail {
        (head, tail)
    } else if chars.len() > tail {
        (0, tail)
    } else {
        (0, 0)
    };
    let hidden = chars.len() - head - tail;
    chars[..head].iter().chain(std::iter::repeat_n(&'*', hidden)).chain(&chars[chars.len() - tail..]).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones() {
        let cases = [
            ("13812345678", "138****5678"),
            ("010-12345678", "010-****5678"),
            ("0755-1234567", "0755-***4567"),
            ("010-12345678-801", "010-****5678-801"),
            ("400-123-4567", "400-***-4567"),
            ("95588", "*5588"),
            ("1234", "****"),
            ("", ""),
        ];
        for (raw, masked) in cases {
            assert_eq!(phone(raw), masked, "{raw:?}");
        }
    }

    #[test]
    fn emails() {
        assert_eq!(email("liming@qq.com"), "l***@qq.com");
        assert_eq!(email("a@huaxin.com.cn"), "a***@huaxin.com.cn");
        assert_eq!(email("张伟@公司.cn"), "张***@公司.cn");
        assert_eq!(email("@qq.com"), "****@qq.com");
        assert_eq!(email("not-an-email"), "n***");
    }

    #[test]
    fn wechat_ids() {
        assert_eq!(wechat("zhangwei_hx"), "z***x");
        assert_eq!(wechat("ab"), "***");
        assert_eq!(wechat("微信号"), "微***号");
    }
}
