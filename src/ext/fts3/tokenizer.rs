//! FTS3 tokenizers: `simple` (SQLite's default) and `porter` (the same
//! split, `_` also a token byte, then the Porter stemmer of `porter.rs`).
//! `unicode61` and `icu` are refused as not supported yet.
//!
//! A token is a maximal run of bytes that are ASCII letters or digits or
//! any byte >= 0x80 (so UTF-8 text outside ASCII is never split); ASCII
//! capitals are folded to lower case. Each token has its position (0, 1,
//! ...) and the byte range it came from in the input, which offsets() and
//! snippet() report.

use crate::error::{Error, Result};

/// One token of a text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Token {
    pub text: Vec<u8>,
    pub start: usize,
    pub end: usize,
    pub pos: i32,
}

/// A table's tokenizer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tokenizer {
    Simple,
    Porter,
}

fn is_token_byte(c: u8, porter: bool) -> bool {
    c >= 0x80 || c.is_ascii_alphanumeric() || (porter && c == b'_')
}

impl Tokenizer {
    /// The tokenizer a `tokenize=` argument names (its text after the
    /// word "tokenize" and one separator byte), or SQLite's error.
    pub fn from_spec(spec: &str) -> Result<Tokenizer> {
        let words = spec_words(spec);
        let name = words.first().cloned().unwrap_or_default();
        match name.to_ascii_lowercase().as_str() {
            "simple" if words.len() == 1 => Ok(Tokenizer::Simple),
            "porter" => Ok(Tokenizer::Porter),
            "simple" => Err(Error::sql("arguments to the simple tokenizer are not supported yet")),
            "unicode61" | "icu" => Err(Error::sql(format!("tokenizer {name} is not supported yet"))),
            _ => Err(Error::sql(format!("unknown tokenizer: {name}"))),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Tokenizer::Simple => "simple",
            Tokenizer::Porter => "porter",
        }
    }

    /// Every token of `text`.
    pub fn tokenize(self, text: &[u8]) -> Vec<Token> {
        let mut out = Vec::new();
        let mut i = 0;
        let mut pos = 0;
        let porter = self == Tokenizer::Porter;
        while i < text.len() {
            while i < text.len() && !is_token_byte(text[i], porter) {
                i += 1;
            }
            let start = i;
            while i < text.len() && is_token_byte(text[i], porter) {
                i += 1;
            }
            if i > start {
                let t: Vec<u8> = if porter { super::porter::stem(&text[start..i]) } else { text[start..i].iter().map(|c| c.to_ascii_lowercase()).collect() };
                out.push(Token { text: t, start, end: i, pos });
                pos += 1;
            }
        }
        out
    }
}

/// The words of a tokenizer specification: separated by spaces, each
/// possibly quoted ('x', "x", `x` or [x]) as SQLite's tokenizer
/// arguments are.
fn spec_words(spec: &str) -> Vec<String> {
    let b = spec.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        if i >= b.len() {
            break;
        }
        let q = b[i];
        if q == b'\'' || q == b'"' || q == b'`' || q == b'[' {
            let close = if q == b'[' { b']' } else { q };
            let mut w = Vec::new();
            i += 1;
            while i < b.len() {
                if b[i] == close {
                    if close != b']' && b.get(i + 1) == Some(&close) {
                        w.push(close);
                        i += 2;
                        continue;
                    }
                    i += 1;
                    break;
                }
                w.push(b[i]);
                i += 1;
            }
            out.push(String::from_utf8_lossy(&w).into_owned());
        } else {
            let s = i;
            while i < b.len() && !b[i].is_ascii_whitespace() {
                i += 1;
            }
            out.push(String::from_utf8_lossy(&b[s..i]).into_owned());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn simple_splits_and_folds() {
        let t = Tokenizer::Simple.tokenize("Hello, WORLD-x9 caf\u{e9}!".as_bytes());
        let words: Vec<String> = t.iter().map(|t| String::from_utf8_lossy(&t.text).into_owned()).collect();
        assert_eq!(words, vec!["hello", "world", "x9", "caf\u{e9}"]);
        assert_eq!((t[1].start, t[1].end, t[1].pos), (7, 12, 1));
    }

    #[test]
    fn specs() {
        assert_eq!(Tokenizer::from_spec("simple").ok(), Some(Tokenizer::Simple));
        assert_eq!(Tokenizer::from_spec("'simple'").ok(), Some(Tokenizer::Simple));
        assert_eq!(Tokenizer::from_spec("porter").ok(), Some(Tokenizer::Porter));
        assert!(Tokenizer::from_spec("unicode61 remove_diacritics 1").is_err());
        assert!(Tokenizer::from_spec("nosuch").is_err());
    }
}
