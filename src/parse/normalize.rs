//! sqlite3_normalized_sql: a statement's text reduced to its shape, token
//! by token, with SQLite's rules: literals and parameters become `?`
//! (NULL too, except after IS / NOT), an IN list of values becomes
//! `(?,?,?)`, identifiers are lower-cased (quotes dropped when the name
//! needs none, else written `"..."`; a double-quoted name the statement
//! used as a string is a literal), keywords and operators upper-cased,
//! whitespace and comments dropped (one space kept between two words),
//! and a `;` ends the text.
//!
//! Invariant: looks at the tokens only (`tokenizer::next_token`), never at
//! the parse tree or the schema; the caller says which double-quoted names
//! were strings.

use super::keywords::Keyword;
use super::tokenizer::{dequote, is_id_char, next_token, TokenKind};

/// Appends a space when the text so far ends with an identifier character,
/// so that two words stay apart.
fn space_after_word(out: &mut String) {
    if out.as_bytes().last().is_some_and(|&c| is_id_char(c)) {
        out.push(' ');
    }
}

/// True when `name` reads back as one plain identifier (no keyword, no
/// character that needs quoting).
fn is_bare_identifier(name: &str) -> bool {
    !name.is_empty() && next_token(name, 0) == (TokenKind::Id, name.len()) && !matches!(name.as_bytes()[0], b'"' | b'[' | b'`' | b'\'')
}

/// The normalized text of `sql`, one statement. `dqs_string(name)` says
/// whether the double-quoted `name` was taken as a string literal.
pub fn normalize(sql: &str, dqs_string: &dyn Fn(&str) -> bool) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut pos = 0;
    let mut kind = TokenKind::Eof;
    let mut prev = TokenKind::Eof;
    let mut depth = 0i32;
    // Where the `(` of an IN list starts in `out`, and its depth.
    let mut in_start = 0usize;
    let mut in_depth = 0i32;
    while pos < sql.len() {
        if kind != TokenKind::Space {
            prev = kind;
        }
        let (k, end) = next_token(sql, pos);
        if k == TokenKind::Eof || end <= pos {
            break;
        }
        kind = k;
        let text = &sql[pos..end];
        match k {
            TokenKind::Space | TokenKind::Comment => {}
            TokenKind::Keyword(Keyword::Null) if matches!(prev, TokenKind::Keyword(Keyword::Is) | TokenKind::Keyword(Keyword::Not)) => {
                out.push_str(" NULL");
            }
            TokenKind::Keyword(Keyword::Null) | TokenKind::String | TokenKind::Integer | TokenKind::Float | TokenKind::Variable | TokenKind::Blob => {
                out.push('?');
            }
            TokenKind::LParen => {
                depth += 1;
                if prev == TokenKind::Keyword(Keyword::In) {
                    in_start = out.len();
                    in_depth = depth;
                }
                out.push('(');
            }
            TokenKind::RParen => {
                if in_start > 0 && depth == in_depth {
                    out.truncate(in_start + 1);
                    out.push_str("?,?,?");
                    in_start = 0;
                }
                depth -= 1;
                out.push(')');
            }
            TokenKind::Id => {
                in_start = 0;
                let quoted = matches!(text.as_bytes()[0], b'"' | b'[' | b'`' | b'\'');
                let name = if quoted { dequote(text) } else { text.to_string() };
                if quoted && text.starts_with('"') && dqs_string(&name) {
                    out.push('?');
                } else {
                    let from = out.len();
                    if !quoted || is_bare_identifier(&name) {
                        space_after_word(&mut out);
                        out.push_str(&name);
                    } else {
                        out.push('"');
                        out.push_str(&name.replace('"', "\"\""));
                        out.push('"');
                    }
                    out[from..].make_ascii_lowercase();
                }
            }
            _ => {
                if k == TokenKind::Keyword(Keyword::Select) {
                    in_start = 0;
                }
                if text.as_bytes().first().is_some_and(|&c| is_id_char(c)) {
                    space_after_word(&mut out);
                }
                let from = out.len();
                out.push_str(text);
                out[from..].make_ascii_uppercase();
            }
        }
        pos = end;
    }
    if kind != TokenKind::Semi {
        out.push(';');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norm(sql: &str) -> String {
        normalize(sql, &|n| n == "str")
    }

    #[test]
    fn literals_keywords_identifiers() {
        assert_eq!(norm("select a, 'x', 1.5, x'00', ?1, :n from T where b = -5"), "SELECT a,?,?,?,?,?FROM t WHERE b=-?;");
        assert_eq!(norm("SELECT * FROM t WHERE a IS NULL OR b IS NOT NULL OR c = NULL"), "SELECT*FROM t WHERE a IS NULL OR b IS NOT NULL OR c=?;");
        assert_eq!(norm("SELECT \"Col\", [My Col], `x`, \"str\" FROM t;"), "SELECT col,\"my col\",x,?FROM t;");
        assert_eq!(norm("select /* c */ a -- d\n from t ;  "), "SELECT a FROM t;;");
    }

    #[test]
    fn in_lists_collapse() {
        assert_eq!(norm("SELECT * FROM t WHERE a IN (1, 2, 3, 4)"), "SELECT*FROM t WHERE a IN(?,?,?);");
        assert_eq!(norm("SELECT * FROM t WHERE a IN (b, 2)"), "SELECT*FROM t WHERE a IN(b,?);");
        assert_eq!(norm("SELECT * FROM t WHERE a IN (SELECT 1)"), "SELECT*FROM t WHERE a IN(SELECT?);");
    }
}
