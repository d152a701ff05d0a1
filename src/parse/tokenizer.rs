//! The SQL tokenizer: splits SQL text into SQLite's tokens.
//!
//! `next_token(sql, pos)` reads exactly one token (including whitespace and
//! comments, which the parser skips) starting at byte `pos` and returns its
//! kind and end offset. It never fails: text SQLite cannot tokenize becomes
//! a `TokenKind::Illegal` token whose span is the text SQLite would quote in
//! `unrecognized token: "..."`.
//!
//! Invariants: every returned token is non-empty unless it is `Eof`; token
//! boundaries always fall on UTF-8 character boundaries (every byte >= 0x80
//! is an identifier character, so multi-byte characters are never split);
//! a NUL byte ends the input, as it does for SQLite's C strings.

use super::keywords::{self, Keyword};

/// SQLite's token kinds (TK_*). Keywords carry which keyword they are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenKind {
    /// A bare, `"double"`, `[bracket]` or `` `backtick` `` quoted identifier.
    Id,
    /// A `'single quoted'` string literal.
    String,
    Integer,
    Float,
    /// A number containing `_` digit separators (TK_QNUMBER).
    QNumber,
    /// `x'ABCD'`
    Blob,
    /// `?`, `?NNN`, `:name`, `@name`, `$name`, `#name`
    Variable,
    Keyword(Keyword),
    Semi,
    LParen,
    RParen,
    Comma,
    Dot,
    Star,
    Plus,
    Minus,
    Slash,
    Rem,
    /// `||`
    Concat,
    /// `->` or `->>`
    Ptr,
    /// `=` or `==`
    Eq,
    /// `<>` or `!=`
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    BitAnd,
    BitOr,
    BitNot,
    LShift,
    RShift,
    Space,
    Comment,
    Illegal,
    Eof,
    /// Never produced by the tokenizer: the parser inserts it after a token
    /// at which SQLite raises an error while reducing a rule (see
    /// `Parser::raise_on_next`).
    Pending,
}

/// A token and its byte range in the SQL text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    pub kind: TokenKind,
    pub start: usize,
    pub end: usize,
}

impl Token {
    pub fn text<'a>(&self, sql: &'a str) -> &'a str {
        sql.get(self.start..self.end).unwrap_or("")
    }
}

fn byte(b: &[u8], i: usize) -> u8 {
    // NUL doubles as end of input.
    b.get(i).copied().unwrap_or(0)
}

/// SQLite's IdChar: letters, digits, `_`, `$` and every byte >= 0x80.
pub fn is_id_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c == b'$' || c >= 0x80
}

fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | 0x0c | b'\r')
}

/// Reads the token starting at `pos` (which must be a char boundary).
pub fn next_token(sql: &str, pos: usize) -> (TokenKind, usize) {
    let b = sql.as_bytes();
    let (k, n) = scan(&b[pos.min(b.len())..]);
    let mut end = pos + n;
    // Keep token ends on char boundaries (defensive: scan never splits).
    while end < sql.len() && !sql.is_char_boundary(end) {
        end += 1;
    }
    (k, end.min(sql.len()))
}

fn scan(z: &[u8]) -> (TokenKind, usize) {
    use TokenKind as T;
    let c0 = byte(z, 0);
    match c0 {
        0 => (T::Eof, 0),
        b' ' | b'\t' | b'\n' | 0x0c | b'\r' => {
            let mut i = 1;
            while is_space(byte(z, i)) {
                i += 1;
            }
            (T::Space, i)
        }
        b'-' => {
            if byte(z, 1) == b'-' {
                let mut i = 2;
                while byte(z, i) != 0 && byte(z, i) != b'\n' {
                    i += 1;
                }
                (T::Comment, i)
            } else if byte(z, 1) == b'>' {
                (T::Ptr, if byte(z, 2) == b'>' { 3 } else { 2 })
            } else {
                (T::Minus, 1)
            }
        }
        b'(' => (T::LParen, 1),
        b')' => (T::RParen, 1),
        b';' => (T::Semi, 1),
        b'+' => (T::Plus, 1),
        b'*' => (T::Star, 1),
        b'/' => {
            if byte(z, 1) != b'*' || byte(z, 2) == 0 {
                return (T::Slash, 1);
            }
            let mut i = 3;
            let mut c = byte(z, 2);
            loop {
                if c == b'*' && byte(z, i) == b'/' {
                    return (T::Comment, i + 1);
                }
                c = byte(z, i);
                if c == 0 {
                    return (T::Comment, i);
                }
                i += 1;
            }
        }
        b'%' => (T::Rem, 1),
        b'=' => (T::Eq, if byte(z, 1) == b'=' { 2 } else { 1 }),
        b'<' => match byte(z, 1) {
            b'=' => (T::Le, 2),
            b'>' => (T::Ne, 2),
            b'<' => (T::LShift, 2),
            _ => (T::Lt, 1),
        },
        b'>' => match byte(z, 1) {
            b'=' => (T::Ge, 2),
            b'>' => (T::RShift, 2),
            _ => (T::Gt, 1),
        },
        b'!' => {
            if byte(z, 1) == b'=' {
                (T::Ne, 2)
            } else {
                (T::Illegal, 1)
            }
        }
        b'|' => {
            if byte(z, 1) == b'|' {
                (T::Concat, 2)
            } else {
                (T::BitOr, 1)
            }
        }
        b',' => (T::Comma, 1),
        b'&' => (T::BitAnd, 1),
        b'~' => (T::BitNot, 1),
        b'\'' | b'"' | b'`' => {
            let delim = c0;
            let mut i = 1;
            loop {
                let c = byte(z, i);
                if c == 0 {
                    return (T::Illegal, i);
                }
                if c == delim {
                    if byte(z, i + 1) == delim {
                        i += 2;
                        continue;
                    }
                    return (if delim == b'\'' { T::String } else { T::Id }, i + 1);
                }
                i += 1;
            }
        }
        b'.' if !byte(z, 1).is_ascii_digit() => (T::Dot, 1),
        b'.' | b'0'..=b'9' => scan_number(z),
        b'[' => {
            let mut i = 1;
            loop {
                let c = byte(z, i);
                if c == 0 {
                    return (T::Illegal, i);
                }
                i += 1;
                if c == b']' {
                    return (T::Id, i);
                }
            }
        }
        b'?' => {
            let mut i = 1;
            while byte(z, i).is_ascii_digit() {
                i += 1;
            }
            (T::Variable, i)
        }
        b'$' | b'@' | b':' | b'#' => {
            let mut kind = T::Variable;
            let mut n = 0;
            let mut i = 1;
            loop {
                let c = byte(z, i);
                if c == 0 {
                    break;
                }
                if is_id_char(c) {
                    n += 1;
                } else if c == b'(' && n > 0 {
                    loop {
                        i += 1;
                        let c = byte(z, i);
                        if c == 0 || is_space(c) || c == b')' {
                            break;
                        }
                    }
                    if byte(z, i) == b')' {
                        i += 1;
                    } else {
                        kind = T::Illegal;
                    }
                    break;
                } else if c == b':' && byte(z, i + 1) == b':' {
                    i += 1;
                } else {
                    break;
                }
                i += 1;
            }
            if n == 0 {
                kind = T::Illegal;
            }
            (kind, i)
        }
        b'x' | b'X' if byte(z, 1) == b'\'' => {
            let mut i = 2;
            while byte(z, i).is_ascii_hexdigit() {
                i += 1;
            }
            let mut kind = T::Blob;
            if byte(z, i) != b'\'' || i % 2 == 1 {
                kind = T::Illegal;
                while byte(z, i) != 0 && byte(z, i) != b'\'' {
                    i += 1;
                }
            }
            if byte(z, i) != 0 {
                i += 1;
            }
            (kind, i)
        }
        0xEF if byte(z, 1) == 0xBB && byte(z, 2) == 0xBF => (T::Space, 3),
        c if is_id_char(c) => {
            let mut i = 1;
            while is_id_char(byte(z, i)) {
                i += 1;
            }
            // Identifier characters are ASCII or whole UTF-8 sequences.
            let word = std::str::from_utf8(&z[..i]).unwrap_or("");
            match keywords::lookup(word) {
                Some(k) => (T::Keyword(k), i),
                None => (T::Id, i),
            }
        }
        _ => {
            // Any other byte: one illegal character (whole UTF-8 char).
            (T::Illegal, 1)
        }
    }
}

fn scan_number(z: &[u8]) -> (TokenKind, usize) {
    use TokenKind as T;
    let mut kind = T::Integer;
    let mut i;
    if byte(z, 0) == b'0' && matches!(byte(z, 1), b'x' | b'X') && byte(z, 2).is_ascii_hexdigit() {
        i = 3;
        loop {
            let c = byte(z, i);
            if !c.is_ascii_hexdigit() {
                if c == b'_' {
                    kind = T::QNumber;
                } else {
                    break;
                }
            }
            i += 1;
        }
    } else {
        i = 0;
        let digits = |i: &mut usize, kind: &mut TokenKind| loop {
            let c = byte(z, *i);
            if !c.is_ascii_digit() {
                if c == b'_' {
                    *kind = T::QNumber;
                } else {
                    break;
                }
            }
            *i += 1;
        };
        digits(&mut i, &mut kind);
        if byte(z, i) == b'.' {
            if kind == T::Integer {
                kind = T::Float;
            }
            i += 1;
            digits(&mut i, &mut kind);
        }
        let e = byte(z, i);
        if (e == b'e' || e == b'E')
            && (byte(z, i + 1).is_ascii_digit()
                || (matches!(byte(z, i + 1), b'+' | b'-') && byte(z, i + 2).is_ascii_digit()))
        {
            if kind == T::Integer {
                kind = T::Float;
            }
            i += 2;
            digits(&mut i, &mut kind);
        }
    }
    while is_id_char(byte(z, i)) {
        kind = T::Illegal;
        i += 1;
    }
    (kind, i)
}

/// Checks a TK_QNUMBER's `_` separators: each must sit between two digits
/// (hex digits for a hex literal). Returns the number without separators,
/// or the text SQLite quotes in its `unrecognized token` message: SQLite
/// compacts the digits in place while it checks and reports the buffer as
/// it stands at the last bad separator, so `1_0__5` is reported as
/// `100__5`.
pub fn dequote_number(text: &str) -> std::result::Result<String, String> {
    let mut buf: Vec<u8> = text.as_bytes().to_vec();
    let hex = buf.len() > 1 && buf[0] == b'0' && (buf[1] == b'x' || buf[1] == b'X');
    let ok = |c: u8| if hex { c.is_ascii_hexdigit() } else { c.is_ascii_digit() };
    let at = |b: &Vec<u8>, i: usize| b.get(i).copied().unwrap_or(0);
    let mut out = 0;
    let mut error: Option<String> = None;
    for i in 0..buf.len() {
        let c = buf[i];
        if c != b'_' {
            buf[out] = c;
            out += 1;
        } else if i == 0 || !ok(at(&buf, i - 1)) || !ok(at(&buf, i + 1)) {
            error = Some(String::from_utf8_lossy(&buf).into_owned());
        }
    }
    match error {
        Some(e) => Err(e),
        None => {
            buf.truncate(out);
            Ok(String::from_utf8_lossy(&buf).into_owned())
        }
    }
}

/// Removes SQLite quoting from an identifier or string token's text:
/// `'a''b'` → `a'b`, `"x"` → `x`, `[x]` → `x`, `` `x` `` → `x`.
pub fn dequote(text: &str) -> String {
    let b = text.as_bytes();
    if b.is_empty() {
        return String::new();
    }
    let q = match b[0] {
        b'\'' | b'"' | b'`' => b[0],
        b'[' => {
            return text.get(1..text.len().saturating_sub(1).max(1)).unwrap_or("").to_string();
        }
        _ => return text.to_string(),
    };
    let inner = text.get(1..text.len().saturating_sub(1).max(1)).unwrap_or("");
    let qs = (q as char).to_string();
    inner.replace(&format!("{qs}{qs}"), &qs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use TokenKind as T;

    fn toks(sql: &str) -> Vec<(TokenKind, &str)> {
        let mut out = vec![];
        let mut pos = 0;
        loop {
            let (k, end) = next_token(sql, pos);
            if k == T::Eof {
                break;
            }
            assert!(end > pos);
            if k != T::Space {
                out.push((k, &sql[pos..end]));
            }
            pos = end;
        }
        out
    }

    #[test]
    fn basic_tokens() {
        let t = toks("SELECT a.b, 'it''s', x'0aFF', 1.5e3, .5, 0x1F, 1_000 FROM \"t\"");
        assert_eq!(t[0], (T::Keyword(Keyword::Select), "SELECT"));
        assert_eq!(t[1], (T::Id, "a"));
        assert_eq!(t[2], (T::Dot, "."));
        assert_eq!(t[5], (T::String, "'it''s'"));
        assert_eq!(t[7], (T::Blob, "x'0aFF'"));
        assert_eq!(t[9], (T::Float, "1.5e3"));
        assert_eq!(t[11], (T::Float, ".5"));
        assert_eq!(t[13], (T::Integer, "0x1F"));
        assert_eq!(t[15], (T::QNumber, "1_000"));
        assert_eq!(t[17], (T::Id, "\"t\""));
    }

    #[test]
    fn operators() {
        let t: Vec<_> = toks("|| -> ->> << >> <> != == = <= >= ~ & | < > % / * + -")
            .into_iter()
            .map(|x| x.0)
            .collect();
        assert_eq!(
            t,
            vec![
                T::Concat, T::Ptr, T::Ptr, T::LShift, T::RShift, T::Ne, T::Ne, T::Eq, T::Eq,
                T::Le, T::Ge, T::BitNot, T::BitAnd, T::BitOr, T::Lt, T::Gt, T::Rem, T::Slash,
                T::Star, T::Plus, T::Minus
            ]
        );
    }

    #[test]
    fn variables_comments_and_illegal() {
        let t = toks("? ?12 :a @b $c::d(e f) $g(h) -- x\n/* y */ /* open");
        assert_eq!(t[0], (T::Variable, "?"));
        assert_eq!(t[1], (T::Variable, "?12"));
        assert_eq!(t[2], (T::Variable, ":a"));
        assert_eq!(t[3], (T::Variable, "@b"));
        assert_eq!(t[4], (T::Illegal, "$c::d(e"));
        assert_eq!(t[5], (T::Id, "f"));
        assert_eq!(t[6], (T::RParen, ")"));
        assert_eq!(t[7], (T::Variable, "$g(h)"));
        assert_eq!(t[8].0, T::Comment);
        assert_eq!(t[9].0, T::Comment);
        assert_eq!(t[10], (T::Comment, "/* open"));
        assert_eq!(toks("x'ABC'"), vec![(T::Illegal, "x'ABC'")]);
        assert_eq!(toks("x'AG'")[0], (T::Illegal, "x'AG'"));
        assert_eq!(toks("'abc")[0], (T::Illegal, "'abc"));
        assert_eq!(toks("12abc")[0], (T::Illegal, "12abc"));
        assert_eq!(toks("!")[0], (T::Illegal, "!"));
        assert_eq!(toks("[a b]")[0], (T::Id, "[a b]"));
        assert_eq!(toks("héllo")[0], (T::Id, "héllo"));
        assert_eq!(toks("a\0b"), vec![(T::Id, "a")]);
    }

    #[test]
    fn dequoting() {
        assert_eq!(dequote("'a''b'"), "a'b");
        assert_eq!(dequote("\"x\"\"y\""), "x\"y");
        assert_eq!(dequote("[a b]"), "a b");
        assert_eq!(dequote("`q`"), "q");
        assert_eq!(dequote("plain"), "plain");
        assert_eq!(dequote_number("1_000").as_deref(), Ok("1000"));
        assert_eq!(dequote_number("0xA_B").as_deref(), Ok("0xAB"));
        assert_eq!(dequote_number("1_000.5_5e1_0").as_deref(), Ok("1000.55e10"));
        // The texts SQLite 3.54 reports.
        assert_eq!(dequote_number("1__0"), Err("1__0".to_string()));
        assert_eq!(dequote_number("1_0__5"), Err("100__5".to_string()));
        assert_eq!(dequote_number("12_34_"), Err("12344_".to_string()));
        assert_eq!(dequote_number("0x1_F__F"), Err("0x1FF__F".to_string()));
        assert_eq!(dequote_number("1._5"), Err("1._5".to_string()));
    }
}
