//! The cell parsers: phones, combined phone/WeChat cells, dates, amounts, and the domain
//! types they feed (mobile, phone, e-mail, company name, search keys).
#![no_main]

use libfuzzer_sys::fuzz_target;
use yiben::domain::{cjk_grams, company_core, half_width, name_key, pinyin_keys, CustomerName, Email, Mobile, Phone};
use yiben::import::cell::number_text;
use yiben::import::parse::{amount_fen, clean_text, date, phone_text, split_combined};
use yiben::import::Cell;

fuzz_target!(|bytes: &[u8]| {
    // The first eight bytes double as a number cell (Excel stores phones and dates as numbers).
    if let Some(head) = bytes.get(..8) {
        let n = f64::from_le_bytes(head.try_into().unwrap());
        let cell = Cell::Number(n);
        let _ = number_text(n);
        let _ = phone_text(&cell);
        let _ = date(&cell);
        let _ = amount_fen(&cell);
        let _ = clean_text(&cell);
    }
    let text = String::from_utf8_lossy(bytes).into_owned();
    let cell = Cell::text(text.clone());
    let _ = clean_text(&cell);
    if let Some(phone) = phone_text(&cell) {
        let _ = Phone::parse(&phone);
    }
    let (phone, wechat) = split_combined(&text);
    if let Some(phone) = phone {
        let _ = Phone::parse(&phone);
    }
    let _ = wechat;
    let _ = date(&cell);
    let _ = amount_fen(&cell);
    let _ = Mobile::parse(&text);
    if let Ok(phone) = Phone::parse(&text) {
        let _ = phone.is_mobile();
    }
    if let Ok(email) = Email::parse(&text) {
        assert_eq!(Email::parse(email.as_str()).map(|e| e.as_str().to_owned()), Ok(email.as_str().to_owned()));
    }
    if let Ok(name) = CustomerName::parse(&text) {
        let _ = name.key();
    }
    let _ = (half_width(&text), name_key(&text), company_core(&text), pinyin_keys(&text));
    let _ = cjk_grams(std::iter::once(text.as_str()));
});
