//! The filter language: `tag:制造业 AND NOT tag:流失预警 AND last_followup>90d`.
//!
//! ```text
//! filter  := or
//! or      := and { (OR | 或 | "||") and }
//! and     := not { [AND | 且 | "&&"] not }      -- side by side means AND
//! not     := (NOT | 非 | "!") not | primary
//! primary := "(" filter ")" | term
//! term    := key (":" | "=" | "!=" | ">" | ">=" | "<" | "<=") value
//! value   := a word without spaces or brackets | "a quoted value"
//! ```
//! NOT binds tighter than AND, AND tighter than OR. Keys are English or Chinese
//! (`tag`/`标签`, `industry`/`行业` …) or a custom field's name; see [`super::Key`].

use serde::Serialize;
use ts_rs::TS;

/// Where in the filter text something went wrong (a character offset) and what.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct FilterError {
    pub at: usize,
    /// `unexpected_end`, `unexpected_token`, `unclosed_paren`, `unclosed_quote`, `empty_value`,
    /// `operator_missing`, `operator_invalid`, `unknown_key`, `unknown_tag`, `value_invalid`,
    /// `too_deep` (brackets or NOTs nested past [`MAX_DEPTH`]), `too_long` (more than
    /// [`MAX_TERMS`] conditions, or a value longer than [`MAX_VALUE_CHARS`]).
    pub code: String,
}

impl FilterError {
    pub fn new(at: usize, code: &str) -> Self {
        FilterError { at, code: code.to_owned() }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub enum Op {
    #[serde(rename = ":")]
    Is,
    #[serde(rename = "!=")]
    Not,
    #[serde(rename = ">")]
    Gt,
    #[serde(rename = ">=")]
    Ge,
    #[serde(rename = "<")]
    Lt,
    #[serde(rename = "<=")]
    Le,
}

impl Op {
    pub fn as_str(self) -> &'static str {
        match self {
            Op::Is => ":",
            Op::Not => "!=",
            Op::Gt => ">",
            Op::Ge => ">=",
            Op::Lt => "<",
            Op::Le => "<=",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(export)]
pub enum Expr {
    And { items: Vec<Expr> },
    Or { items: Vec<Expr> },
    Not { item: Box<Expr> },
    Term { key: String, op: Op, value: String, #[serde(skip)] at: usize },
}

impl Expr {
    /// The filter written back in its canonical form (what a segment stores).
    pub fn to_text(&self) -> String {
        self.text(0)
    }

    fn text(&self, parent: u8) -> String {
        let (own, out) = match self {
            Expr::Or { items } => (1, items.iter().map(|e| e.text(1)).collect::<Vec<_>>().join(" OR ")),
            Expr::And { items } => (2, items.iter().map(|e| e.text(2)).collect::<Vec<_>>().join(" AND ")),
            Expr::Not { item } => (3, format!("NOT {}", item.text(3))),
            Expr::Term { key, op, value, .. } => (4, format!("{key}{}{}", op.as_str(), quote(value))),
        };
        if own < parent {
            format!("({out})")
        } else {
            out
        }
    }

    /// Every term, for resolving names (tags, fields) before compiling.
    pub fn terms(&self) -> Vec<(&str, Op, &str, usize)> {
        let mut out = Vec::new();
        self.walk(&mut out);
        out
    }

    fn walk<'a>(&'a self, out: &mut Vec<(&'a str, Op, &'a str, usize)>) {
        match self {
            Expr::And { items } | Expr::Or { items } => items.iter().for_each(|e| e.walk(out)),
            Expr::Not { item } => item.walk(out),
            Expr::Term { key, op, value, at } => out.push((key, *op, value, *at)),
        }
    }

    /// Renames every `tag:old` to `tag:new` (a tag renamed or merged into another).
    pub fn rename_tag(&mut self, old: &str, new: &str) -> bool {
        match self {
            Expr::And { items } | Expr::Or { items } => items.iter_mut().fold(false, |changed, e| e.rename_tag(old, new) | changed),
            Expr::Not { item } => item.rename_tag(old, new),
            Expr::Term { key, value, .. } if super::Key::parse(key) == Some(super::Key::Tag) && value == old => {
                *value = new.to_owned();
                true
            }
            Expr::Term { .. } => false,
        }
    }
}

fn quote(value: &str) -> String {
    // Every character that ends a bare word: full-width brackets too (found by fuzzing).
    if value.is_empty() || value.chars().any(|c| c.is_whitespace() || "()（）\"“”".contains(c)) {
        format!("\"{}\"", value.replace('"', ""))
    } else {
        value.to_owned()
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Open,
    Close,
    And,
    Or,
    Not,
    Word(String),
    Quoted(String),
}

fn tokens(text: &str) -> Result<Vec<(usize, Token)>, FilterError> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        let start = i;
        match c {
            '(' | '（' => {
                out.push((start, Token::Open));
                i += 1;
            }
            ')' | '）' => {
                out.push((start, Token::Close));
                i += 1;
            }
            '"' | '“' | '”' => {
                i += 1;
                let mut value = String::new();
                while i < chars.len() && !matches!(chars[i], '"' | '“' | '”') {
                    value.push(chars[i]);
                    i += 1;
                }
                if i == chars.len() {
                    return Err(FilterError::new(start, "unclosed_quote"));
                }
                i += 1;
                out.push((start, Token::Quoted(value)));
            }
            '!' if chars.get(i + 1) != Some(&'=') => {
                out.push((start, Token::Not));
                i += 1;
            }
            '&' if chars.get(i + 1) == Some(&'&') => {
                out.push((start, Token::And));
                i += 2;
            }
            '|' if chars.get(i + 1) == Some(&'|') => {
                out.push((start, Token::Or));
                i += 2;
            }
            _ => {
                let mut word = String::new();
                while i < chars.len() && !chars[i].is_whitespace() && !"()（）".contains(chars[i]) {
                    if matches!(chars[i], '"' | '“' | '”') {
                        // key:"quoted value" — the quote belongs to this word.
                        let q = i;
                        i += 1;
                        while i < chars.len() && !matches!(chars[i], '"' | '“' | '”') {
                            word.push(chars[i]);
                            i += 1;
                        }
                        if i == chars.len() {
                            return Err(FilterError::new(q, "unclosed_quote"));
                        }
                        i += 1;
                        continue;
                    }
                    word.push(chars[i]);
                    i += 1;
                }
                let token = match word.to_uppercase().as_str() {
                    "AND" | "且" => Token::And,
                    "OR" | "或" => Token::Or,
                    "NOT" | "非" => Token::Not,
                    _ => Token::Word(word),
                };
                out.push((start, token));
            }
        }
    }
    Ok(out)
}

/// How deep brackets and NOTs may nest. The parser, the SQL compiler and the description
/// recurse once per level, so a filter built from thousands of `(` must stop here rather than
/// overflow the stack; no filter a person writes comes near it.
pub const MAX_DEPTH: usize = 32;
/// Conditions in one filter, and characters in one value: bounds on the SQL a filter becomes.
pub const MAX_TERMS: usize = 100;
pub const MAX_VALUE_CHARS: usize = 200;

struct Parser {
    tokens: Vec<(usize, Token)>,
    pos: usize,
    end: usize,
    depth: usize,
    terms: usize,
}

/// Parses a filter. Empty text is no filter at all (`None`).
pub fn parse(text: &str) -> Result<Option<Expr>, FilterError> {
    let tokens = tokens(text)?;
    if tokens.is_empty() {
        return Ok(None);
    }
    let mut p = Parser { tokens, pos: 0, end: text.chars().count(), depth: 0, terms: 0 };
    let expr = p.or()?;
    if let Some((at, _)) = p.tokens.get(p.pos) {
        return Err(FilterError::new(*at, "unexpected_token"));
    }
    Ok(Some(expr))
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.pos).map(|(_, t)| t)
    }

    fn at(&self) -> usize {
        self.tokens.get(self.pos).map(|(at, _)| *at).unwrap_or(self.end)
    }

    fn or(&mut self) -> Result<Expr, FilterError> {
        let mut items = vec![self.and()?];
        while self.peek() == Some(&Token::Or) {
            self.pos += 1;
            items.push(self.and()?);
        }
        Ok(if items.len() == 1 { items.pop().expect("one") } else { Expr::Or { items } })
    }

    fn and(&mut self) -> Result<Expr, FilterError> {
        let mut items = vec![self.not()?];
        loop {
            match self.peek() {
                Some(Token::And) => {
                    self.pos += 1;
                    items.push(self.not()?);
                }
                Some(Token::Word(_) | Token::Quoted(_) | Token::Not | Token::Open) => items.push(self.not()?),
                _ => break,
            }
        }
        Ok(if items.len() == 1 { items.pop().expect("one") } else { Expr::And { items } })
    }

    fn not(&mut self) -> Result<Expr, FilterError> {
        if self.peek() == Some(&Token::Not) {
            let at = self.at();
            self.pos += 1;
            let item = self.nested(at, Self::not)?;
            return Ok(Expr::Not { item: Box::new(item) });
        }
        self.primary()
    }

    /// One level deeper (a bracket or a NOT), refused past [`MAX_DEPTH`]. The canonical text
    /// never nests deeper than the text it came from, so a saved filter always parses back.
    fn nested(&mut self, at: usize, inner: fn(&mut Self) -> Result<Expr, FilterError>) -> Result<Expr, FilterError> {
        if self.depth == MAX_DEPTH {
            return Err(FilterError::new(at, "too_deep"));
        }
        self.depth += 1;
        let expr = inner(self);
        self.depth -= 1;
        expr
    }

    fn primary(&mut self) -> Result<Expr, FilterError> {
        let at = self.at();
        match self.tokens.get(self.pos).cloned() {
            None => Err(FilterError::new(at, "unexpected_end")),
            Some((_, Token::Open)) => {
                self.pos += 1;
                let inner = self.nested(at, Self::or)?;
                if self.peek() != Some(&Token::Close) {
                    return Err(FilterError::new(at, "unclosed_paren"));
                }
                self.pos += 1;
                Ok(inner)
            }
            Some((_, Token::Word(word))) => {
                self.pos += 1;
                self.terms += 1;
                if self.terms > MAX_TERMS {
                    return Err(FilterError::new(at, "too_long"));
                }
                term(&word, at)
            }
            Some(_) => Err(FilterError::new(at, "unexpected_token")),
        }
    }
}

fn term(word: &str, at: usize) -> Result<Expr, FilterError> {
    // The first operator character splits key from value: tag:a:b is the tag "a:b".
    let Some(split) = word.find([':', '：', '=', '>', '<', '!']) else {
        return Err(FilterError::new(at, "operator_missing"));
    };
    let key = word[..split].trim();
    let rest = &word[split..];
    // `>=` may arrive split by whitespace from a quoted stretch (`a>" =1"`); reading it as
    // `>` and a value "=1" would not survive the canonical text (found by fuzzing).
    let then_eq = |c: char| rest.starts_with(c) && rest[1..].trim_start().starts_with('=');
    let after_eq = || &rest[1..].trim_start()[1..];
    let (op, value) = if then_eq('>') {
        (Op::Ge, after_eq())
    } else if then_eq('<') {
        (Op::Le, after_eq())
    } else if then_eq('!') {
        (Op::Not, after_eq())
    } else if rest.starts_with('>') {
        (Op::Gt, &rest[1..])
    } else if rest.starts_with('<') {
        (Op::Lt, &rest[1..])
    } else if rest.starts_with('!') {
        return Err(FilterError::new(at, "operator_missing"));
    } else {
        (Op::Is, &rest[rest.chars().next().map(char::len_utf8).unwrap_or(1)..])
    };
    // A quoted stretch can carry spaces, brackets, control characters or a leading `||` into
    // the key; no key has them, and the canonical text could not write them back.
    if key.is_empty() || key.chars().any(|c| c.is_whitespace() || c.is_control() || "()（）\"“”|&".contains(c)) {
        return Err(FilterError::new(at, "unknown_key"));
    }
    let value = value.trim();
    if value.is_empty() {
        return Err(FilterError::new(at + key.chars().count(), "empty_value"));
    }
    if value.chars().count() > MAX_VALUE_CHARS {
        return Err(FilterError::new(at + key.chars().count(), "too_long"));
    }
    Ok(Expr::Term { key: key.to_owned(), op, value: value.to_owned(), at })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Found by fuzzing: the canonical text of every filter that parses must parse back to itself.
    #[test]
    fn a_quoted_stretch_in_a_key_is_an_unknown_key_not_a_filter_that_cannot_be_saved() {
        for text in ["creqm\u{1a}e\"华信 科抓\u{14}\0d:z_montn\"", "a\"(b\":x", "规模\" \"备注:大", "tag:a |||”“||”“ag:c"] {
            assert_eq!(parse(text).map_err(|e| e.code), Err("unknown_key".to_owned()), "{text:?}");
        }
        // `>` and `=` parted by a quoted stretch's whitespace are still `>=`.
        for (text, op, value) in [("员工数\"\">\"\n=\n\t1\"", Op::Ge, "1"), ("员工数>\" =1\"", Op::Ge, "1"), ("score<\"  = 5\"", Op::Le, "5")] {
            let expr = parse(text).unwrap().unwrap();
            assert!(matches!(&expr, Expr::Term { op: o, value: v, .. } if *o == op && v == value), "{text:?}: {expr:?}");
        }
        // Quotes and brackets in a value survive the canonical text.
        for text in ["name:\"华信 科技\"", "tag:\"a(b)\"", "industry:制造业 AND NOT tag:\"关键 决策人\"", "员工数>=\"1（2\" OR name:\"（甲）\""] {
            let expr = parse(text).unwrap().unwrap();
            assert_eq!(parse(&expr.to_text()).unwrap().unwrap().to_text(), expr.to_text(), "{text:?}");
        }
    }
}
