//! File names as the engine carries them. A unix file name is a string of
//! bytes, not necessarily UTF-8, and SQLite passes the caller's bytes to
//! the operating system untouched; Ferrolite's layers carry names in Rust
//! `String`s (`"{path}-journal"`, `-wal`, `-shm`, error messages...).
//!
//! The two meet here. A name's bytes become a `String` by `from_bytes`:
//! valid UTF-8 is kept as it is, except that each byte that is not part
//! of valid UTF-8, and each byte of a character of the reserved range
//! U+10FF00..=U+10FFFF (the last 256 code points, private use), becomes
//! the one character U+10FF00 + byte. `to_bytes` undoes it.
//!
//! Invariant: `to_bytes(&from_bytes(b)) == b` for every byte string `b`,
//! and an ASCII suffix appended to an encoded name encodes the same
//! suffix appended to the bytes. Every file name held by the engine is in
//! this form: C callers' names are encoded by the C API, SQL text names
//! (ATTACH, VACUUM INTO) by the connection, and the unix VFS decodes at
//! the system call.

use std::borrow::Cow;
use std::ffi::OsString;
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::path::{Path, PathBuf};

/// The first code point of the reserved range; U+10FF00 + b stands for
/// byte b.
const BASE: u32 = 0x10_FF00;

fn reserved(c: char) -> bool {
    (c as u32) >= BASE
}

fn byte_char(b: u8) -> char {
    // BASE + 0..=255 are all valid scalar values (plane 16, not
    // surrogates); the fallback is never taken.
    char::from_u32(BASE + u32::from(b)).unwrap_or(char::REPLACEMENT_CHARACTER)
}

/// The engine's form of the file name `b` (see the module comment).
pub fn from_bytes(b: &[u8]) -> String {
    let mut out = String::with_capacity(b.len());
    let mut rest = b;
    while !rest.is_empty() {
        match std::str::from_utf8(rest) {
            Ok(s) => {
                push_valid(&mut out, s);
                break;
            }
            Err(e) => {
                let (good, bad) = rest.split_at(e.valid_up_to());
                // `good` is valid UTF-8, as from_utf8 reported.
                push_valid(&mut out, std::str::from_utf8(good).unwrap_or(""));
                let n = e.error_len().unwrap_or(bad.len());
                for &x in &bad[..n] {
                    out.push(byte_char(x));
                }
                rest = &bad[n..];
            }
        }
    }
    out
}

/// Valid UTF-8, with the reserved characters it contains escaped byte by
/// byte.
fn push_valid(out: &mut String, s: &str) {
    for c in s.chars() {
        if reserved(c) {
            let mut buf = [0u8; 4];
            for &x in c.encode_utf8(&mut buf).as_bytes() {
                out.push(byte_char(x));
            }
        } else {
            out.push(c);
        }
    }
}

/// The bytes of a name in the engine's form.
pub fn to_bytes(s: &str) -> Cow<'_, [u8]> {
    if !s.chars().any(reserved) {
        return Cow::Borrowed(s.as_bytes());
    }
    let mut out = Vec::with_capacity(s.len());
    for c in s.chars() {
        if reserved(c) {
            out.push((c as u32 - BASE) as u8);
        } else {
            let mut buf = [0u8; 4];
            out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
        }
    }
    Cow::Owned(out)
}

/// The operating system's path for a name in the engine's form.
pub fn to_path(s: &str) -> PathBuf {
    PathBuf::from(OsString::from_vec(to_bytes(s).into_owned()))
}

/// The engine's form of an operating system path.
pub fn from_path(p: &Path) -> String {
    from_bytes(p.as_os_str().as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_names_are_kept_as_they_are() {
        for s in ["", "a.db", "/tmp/é€😀.db", "file:x?mode=ro"] {
            assert_eq!(from_bytes(s.as_bytes()), s);
            assert_eq!(to_bytes(s).as_ref(), s.as_bytes());
        }
    }

    #[test]
    fn every_byte_string_comes_back() {
        let cases: Vec<Vec<u8>> = vec![
            b"@test_\xff".to_vec(),
            b"\xe7w\xf0".to_vec(),
            b"a\xc3".to_vec(),
            b"\xed\xa0\x80".to_vec(), // a UTF-8-encoded surrogate: not UTF-8
            "x\u{10FF41}y\u{10FFFF}".as_bytes().to_vec(), // reserved characters
            (0u8..=255).collect(),
        ];
        for b in cases {
            let s = from_bytes(&b);
            assert_eq!(to_bytes(&s).as_ref(), &b[..], "{b:?}");
            let j = format!("{s}-journal");
            let mut bj = b.clone();
            bj.extend_from_slice(b"-journal");
            assert_eq!(to_bytes(&j).as_ref(), &bj[..]);
        }
    }

    #[test]
    fn a_name_that_holds_a_reserved_character_is_not_confused_with_a_byte() {
        // U+10FF41 is not the byte 'A'.
        let s = from_bytes("\u{10FF41}".as_bytes());
        assert_ne!(s, from_bytes(b"A"));
        assert_eq!(to_bytes(&s).as_ref(), "\u{10FF41}".as_bytes());
    }
}
