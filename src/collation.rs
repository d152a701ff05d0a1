//! Collating sequences: how two TEXT values compare.
//!
//! SQLite's three built-ins (BINARY, NOCASE, RTRIM) plus collations an
//! application registers through `sqlite3_create_collation`. A collation
//! only ever sees TEXT; NULL, numbers and blobs never reach it. `compare`
//! takes UTF-8 text; `compare_in` adds the database encoding, which decides
//! BINARY's order (NOCASE, RTRIM and application collations see UTF-8 in
//! every database, as SQLite's registrations for UTF-8 do).

use std::cmp::Ordering;
use std::fmt;
use std::sync::Arc;

use crate::util::utf16::{self, TextEncoding};

/// A user-defined comparison over two UTF-8 texts.
pub type CollationFn = Arc<dyn Fn(&[u8], &[u8]) -> Ordering + Send + Sync>;

#[derive(Clone)]
pub enum CollSeq {
    Binary,
    NoCase,
    RTrim,
    User { name: String, cmp: CollationFn },
}

impl CollSeq {
    /// The built-in collation with this (case-insensitive) name.
    pub fn builtin(name: &str) -> Option<CollSeq> {
        if name.eq_ignore_ascii_case("BINARY") {
            Some(CollSeq::Binary)
        } else if name.eq_ignore_ascii_case("NOCASE") {
            Some(CollSeq::NoCase)
        } else if name.eq_ignore_ascii_case("RTRIM") {
            Some(CollSeq::RTrim)
        } else {
            None
        }
    }

    pub fn name(&self) -> &str {
        match self {
            CollSeq::Binary => "BINARY",
            CollSeq::NoCase => "NOCASE",
            CollSeq::RTrim => "RTRIM",
            CollSeq::User { name, .. } => name,
        }
    }

    pub fn compare(&self, a: &[u8], b: &[u8]) -> Ordering {
        match self {
            CollSeq::Binary => a.cmp(b),
            CollSeq::NoCase => {
                // ASCII-only case folding, as SQLite's NOCASE does.
                let n = a.len().min(b.len());
                for i in 0..n {
                    let (x, y) = (a[i].to_ascii_lowercase(), b[i].to_ascii_lowercase());
                    if x != y {
                        return x.cmp(&y);
                    }
                }
                a.len().cmp(&b.len())
            }
            CollSeq::RTrim => trim_trailing_spaces(a).cmp(trim_trailing_spaces(b)),
            CollSeq::User { cmp, .. } => cmp(a, b),
        }
    }

    /// Compares two UTF-8 texts as this collation does in a database of
    /// encoding `enc`: BINARY follows the bytes of that encoding (in UTF-16
    /// the order differs from UTF-8's), the others see UTF-8 text.
    pub fn compare_in(&self, a: &[u8], b: &[u8], enc: TextEncoding) -> Ordering {
        match self {
            CollSeq::Binary => utf16::compare_as(a, b, enc),
            _ => self.compare(a, b),
        }
    }

    /// Compares two texts given as lazily produced UTF-8 bytes, for the
    /// collations that need no whole slice (BINARY, NOCASE); None for the
    /// others, which the caller hands slices.
    pub fn compare_streams<A, B>(&self, a: A, b: B) -> Option<Ordering>
    where
        A: Iterator<Item = u8>,
        B: Iterator<Item = u8>,
    {
        match self {
            CollSeq::Binary => Some(a.cmp(b)),
            CollSeq::NoCase => Some(a.map(|c| c.to_ascii_lowercase()).cmp(b.map(|c| c.to_ascii_lowercase()))),
            _ => None,
        }
    }

    pub fn is_binary(&self) -> bool {
        matches!(self, CollSeq::Binary)
    }
}

fn trim_trailing_spaces(s: &[u8]) -> &[u8] {
    let mut end = s.len();
    while end > 0 && s[end - 1] == b' ' {
        end -= 1;
    }
    &s[..end]
}

impl fmt::Debug for CollSeq {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl PartialEq for CollSeq {
    fn eq(&self, other: &Self) -> bool {
        self.name().eq_ignore_ascii_case(other.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtins_compare_like_sqlite() {
        assert_eq!(CollSeq::NoCase.compare(b"ABC", b"abc"), Ordering::Equal);
        assert_eq!(CollSeq::NoCase.compare(b"abc", b"ABD"), Ordering::Less);
        assert_eq!(CollSeq::RTrim.compare(b"abc  ", b"abc"), Ordering::Equal);
        assert_eq!(CollSeq::Binary.compare(b"B", b"a"), Ordering::Less);
        assert_eq!(CollSeq::builtin("nocase"), Some(CollSeq::NoCase));
    }
}
