//! `file:` URI file names (https://sqlite.org/uri.html): the path, with
//! percent-escapes decoded, and the open flags the query's `mode=` and
//! `immutable=` ask for. Used by sqlite3_open_v2 and by ATTACH.
//!
//! Invariant: a `mode=` may restrict the caller's flags, never widen
//! them (SQLITE_PERM "access mode not allowed").

use crate::error::{code, Error, Result};

/// `s` with each `%HH` escape replaced by its byte (other `%` kept as
/// written), read as UTF-8 (invalid sequences replaced).
pub fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            // Bytes, not a str slice: what follows `%` may be the middle
            // of a multi-byte character.
            let hex = std::str::from_utf8(&b[i + 1..i + 3]).unwrap_or("zz");
            if let Ok(v) = u8::from_str_radix(hex, 16) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A URI boolean as SQLite reads one: yes/true/on, or a non-zero number.
fn uri_true(v: &str) -> bool {
    let v = v.to_ascii_lowercase();
    match v.as_str() {
        "yes" | "true" | "on" => true,
        _ => v.parse::<i64>().map(|n| n != 0).unwrap_or(false),
    }
}

/// Interprets a `file:` URI: the path, and `flags` (SQLITE_OPEN_*) as its
/// `mode=` changes them.
pub fn parse(uri: &str, mut flags: u32) -> Result<(String, u32)> {
    let rest = &uri[5..];
    let rest = if let Some(r) = rest.strip_prefix("//") {
        match r.find('/') {
            Some(slash) => {
                let authority = &r[..slash];
                if !authority.is_empty() && authority != "localhost" {
                    return Err(Error::sql(format!("invalid uri authority: {authority}")));
                }
                &r[slash..]
            }
            None => "",
        }
    } else {
        rest
    };
    let (path, query) = match rest.find('?') {
        Some(q) => (&rest[..q], &rest[q + 1..]),
        None => (rest, ""),
    };
    let path = path.split('#').next().unwrap_or("");
    let mut path = percent_decode(path);
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        let v = percent_decode(v);
        match k {
            "mode" => {
                let m = match v.as_str() {
                    "ro" => 1,
                    "rw" => 2,
                    "rwc" => 6,
                    "memory" => {
                        path = ":memory:".to_string();
                        flags & 7
                    }
                    _ => return Err(Error::sql(format!("no such access mode: {v}"))),
                };
                // A mode may restrict the open flags, never widen them.
                if v != "memory" && m > (flags & 7) {
                    return Err(Error::with_message(code::PERM, format!("access mode not allowed: {v}")));
                }
                flags = (flags & !7) | m;
            }
            "vfs" if v != "unix" => return Err(Error::sql(format!("no such vfs: {v}"))),
            "immutable" if uri_true(&v) => flags |= crate::os::OpenFlags::IMMUTABLE.0,
            _ => {}
        }
    }
    if path.is_empty() && query.is_empty() && rest.is_empty() {
        path = String::new();
    }
    Ok((path, flags))
}


#[cfg(test)]
mod tests {
    use super::{parse, percent_decode};
    use crate::os::OpenFlags;

    #[test]
    fn immutable_is_a_uri_boolean() {
        let imm = |u: &str| parse(u, 6).map(|(_, f)| OpenFlags(f).contains(OpenFlags::IMMUTABLE)).unwrap_or(false);
        assert!(imm("file:a.db?immutable=1"));
        assert!(imm("file:a.db?mode=ro&immutable=yes"));
        assert!(imm("file:a.db?immutable=ON"));
        assert!(!imm("file:a.db?immutable=0"));
        assert!(!imm("file:a.db?immutable=off"));
        assert!(!imm("file:a.db"));
    }

    #[test]
    fn escapes_decode_and_a_percent_before_a_multibyte_character_stays() {
        assert_eq!(percent_decode("a%41b%2f"), "aAb/");
        assert_eq!(percent_decode("x%aé%"), "x%aé%");
        assert_eq!(percent_decode("%zz%4"), "%zz%4");
    }
}
