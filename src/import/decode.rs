//! Bytes of a .csv/.txt file to text. Excel on Chinese Windows saves "CSV" in GBK and
//! "Unicode text" in UTF-16 LE; newer Excel and WPS save "CSV UTF-8" with a BOM.

use encoding_rs::{Encoding, GB18030, UTF_16BE, UTF_16LE};
use serde::Serialize;

use super::ImportError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TextEncoding {
    Utf8,
    Utf8Bom,
    Utf16Le,
    Utf16Be,
    /// Also covers GBK and GB2312, which GB18030 extends.
    Gb18030,
}

pub fn decode_text(bytes: &[u8]) -> Result<(String, TextEncoding), ImportError> {
    let (text, encoding) = if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        let text = std::str::from_utf8(rest).map_err(|_| ImportError::UnknownEncoding)?;
        (text.to_owned(), TextEncoding::Utf8Bom)
    } else if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        (strict(UTF_16LE, rest)?, TextEncoding::Utf16Le)
    } else if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        (strict(UTF_16BE, rest)?, TextEncoding::Utf16Be)
    } else if let Some((text, encoding)) = utf16_without_bom(bytes) {
        (text, encoding)
    } else if bytes.contains(&0) {
        // Text never contains NUL outside UTF-16; this is a binary file with a text extension.
        return Err(ImportError::Unreadable("not a text file".into()));
    } else {
        match std::str::from_utf8(bytes) {
            Ok(text) => (text.to_owned(), TextEncoding::Utf8),
            // Only the last character is cut off (a truncated copy): still UTF-8, not GBK.
            Err(e) if e.error_len().is_none() => {
                (String::from_utf8_lossy(&bytes[..e.valid_up_to()]).into_owned(), TextEncoding::Utf8)
            }
            Err(_) => (strict(GB18030, bytes)?, TextEncoding::Gb18030),
        }
    };
    if text.trim().is_empty() {
        return Err(ImportError::Empty);
    }
    Ok((text, encoding))
}

/// UTF-16 saved without its BOM (some exports and scripts write it so). Tabs, line breaks
/// and digits are ASCII, so such text has NULs, and all of them in the high byte of a unit:
/// at odd offsets for little-endian, even ones for big-endian. Binary files put NULs anywhere.
fn utf16_without_bom(bytes: &[u8]) -> Option<(String, TextEncoding)> {
    if bytes.len() % 2 != 0 || !bytes.contains(&0) {
        return None;
    }
    let nul_at = |parity: usize| bytes.iter().enumerate().any(|(i, b)| *b == 0 && i % 2 == parity);
    let (encoding, label) = match (nul_at(0), nul_at(1)) {
        (false, true) => (UTF_16LE, TextEncoding::Utf16Le),
        (true, false) => (UTF_16BE, TextEncoding::Utf16Be),
        _ => return None,
    };
    let text = strict(encoding, bytes).ok()?;
    // Control characters other than tab and line breaks mean binary that happened to fit.
    let binary = text.chars().any(|c| c.is_control() && !matches!(c, '\t' | '\r' | '\n'));
    (!binary).then_some((text, label))
}

/// Decodes without replacement characters: any malformed sequence means a wrong guess.
fn strict(encoding: &'static Encoding, bytes: &[u8]) -> Result<String, ImportError> {
    encoding
        .decode_without_bom_handling_and_without_replacement(bytes)
        .map(|text| text.into_owned())
        .ok_or(ImportError::UnknownEncoding)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16(text: &str, big_endian: bool) -> Vec<u8> {
        let mut bytes = if big_endian { vec![0xFE, 0xFF] } else { vec![0xFF, 0xFE] };
        for unit in text.encode_utf16() {
            let pair = if big_endian { unit.to_be_bytes() } else { unit.to_le_bytes() };
            bytes.extend_from_slice(&pair);
        }
        bytes
    }

    fn gbk(text: &str) -> Vec<u8> {
        GB18030.encode(text).0.into_owned()
    }

    #[test]
    fn each_encoding_excel_writes_is_recognized() {
        let text = "客户名称,联系人\r\n华信科技,张三\r\n";
        let mut with_bom = b"\xEF\xBB\xBF".to_vec();
        with_bom.extend_from_slice(text.as_bytes());
        let cases = [
            (text.as_bytes().to_vec(), TextEncoding::Utf8),
            (with_bom, TextEncoding::Utf8Bom),
            (utf16(text, false), TextEncoding::Utf16Le),
            (utf16(text, true), TextEncoding::Utf16Be),
            (gbk(text), TextEncoding::Gb18030),
        ];
        for (bytes, encoding) in cases {
            assert_eq!(decode_text(&bytes).unwrap(), (text.to_owned(), encoding), "{encoding:?}");
        }
    }

    #[test]
    fn utf16_without_a_bom_is_recognized_by_where_its_nuls_are() {
        let text = "客户名称\t电话\r\n华信科技\t13912345678\r\n";
        for big_endian in [false, true] {
            let bytes = utf16(text, big_endian)[2..].to_vec();
            let want = if big_endian { TextEncoding::Utf16Be } else { TextEncoding::Utf16Le };
            assert_eq!(decode_text(&bytes).unwrap(), (text.to_owned(), want));
        }
        // NULs on both sides, an odd length, or control characters: binary, not text.
        let cases: [&[u8]; 3] = [b"a\x00\x00b", b"a\x00b\x00c", b"\x01\x00\x02\x00"];
        for bytes in cases {
            assert!(matches!(decode_text(bytes), Err(ImportError::Unreadable(_))), "{bytes:?}");
        }
    }

    #[test]
    fn gb18030_covers_rare_characters_gbk_lacks() {
        // 䶮 (U+4DAE) needs a four-byte GB18030 sequence.
        let text = "客户,䶮\n";
        assert_eq!(decode_text(&gbk(text)).unwrap(), (text.to_owned(), TextEncoding::Gb18030));
    }

    #[test]
    fn plain_ascii_is_utf8() {
        assert_eq!(decode_text(b"Name,Phone\n").unwrap().1, TextEncoding::Utf8);
    }

    #[test]
    fn utf8_cut_inside_the_last_character_stays_utf8() {
        let bytes = "客户名称,华信".as_bytes();
        let cut = &bytes[..bytes.len() - 1];
        assert_eq!(decode_text(cut).unwrap(), ("客户名称,华".to_owned(), TextEncoding::Utf8));
    }

    #[test]
    fn empty_and_blank_files_are_empty() {
        let cases: [&[u8]; 5] = [b"", b"   \r\n\t", b"\xEF\xBB\xBF", b"\xFF\xFE", b"\xEF\xBB\xBF \n"];
        for bytes in cases {
            assert!(matches!(decode_text(bytes), Err(ImportError::Empty)), "{bytes:?}");
        }
    }

    #[test]
    fn binary_is_not_text() {
        let zip_header = b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00";
        assert!(matches!(decode_text(zip_header), Err(ImportError::Unreadable(_))));
    }

    #[test]
    fn undecodable_bytes_are_an_unknown_encoding() {
        let cases: [&[u8]; 4] = [
            b"caf\xE9,na\xEFve\n",   // Windows-1252: not UTF-8, not valid GB18030 either
            b"\x81 abc",             // a GB18030 lead byte followed by no valid second byte
            b"abc\xFF",              // 0xFF is never valid GB18030
            b"\xEF\xBB\xBF\xC3\x28", // a BOM promises UTF-8 that then breaks
        ];
        for bytes in cases {
            assert!(matches!(decode_text(bytes), Err(ImportError::UnknownEncoding)), "{bytes:?}");
        }
        // An odd number of bytes cannot be UTF-16.
        assert!(matches!(decode_text(b"\xFF\xFEa\x00b"), Err(ImportError::UnknownEncoding)));
    }
}
