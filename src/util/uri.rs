//! `file:` URI file names (https://sqlite.org/uri.html): the path, with
//! percent-escapes decoded, and the open flags the query's `mode=` and
//! `immutable=` ask for. Used by sqlite3_open_v2 and by ATTACH. The URI
//! and the path are file names in `os::fsname`'s form.
//!
//! Invariant: a `mode=` may restrict the caller's flags, never widen
//! them (SQLITE_PERM "access mode not allowed").

use crate::error::{code, Error, Result};
use crate::os::{fsname, OpenFlags};

/// `s` with each `%HH` escape replaced by its byte (other `%` kept as
/// written), read as UTF-8 (invalid sequences replaced).
pub fn percent_decode(s: &str) -> String {
    String::from_utf8_lossy(&percent_decode_bytes(s.as_bytes())).into_owned()
}

/// The bytes of `b` with each `%HH` escape replaced by its byte (other
/// `%` kept as written).
pub fn percent_decode_bytes(b: &[u8]) -> Vec<u8> {
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
    out
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
    // The path is a file name: its escapes may stand for bytes that are
    // not UTF-8, kept as such (os::fsname). `uri` is in that form already.
    let mut path = fsname::from_bytes(&percent_decode_bytes(&fsname::to_bytes(path)));
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
            "immutable" if uri_true(&v) => flags |= crate::os::OpenFlags::IMMUTABLE.0,
            "cache" => {
                let (shared, private) = (OpenFlags::SHAREDCACHE.0, OpenFlags::PRIVATECACHE.0);
                flags = match v.as_str() {
                    "shared" => (flags & !private) | shared,
                    "private" => (flags & !shared) | private,
                    _ => return Err(Error::sql(format!("no such cache mode: {v}"))),
                };
            }
            _ => {}
        }
    }
    if path.is_empty() && query.is_empty() && rest.is_empty() {
        path = String::new();
    }
    Ok((path, flags))
}

/// The `vfs=` parameter of a `file:` URI (the last one), decoded.
pub fn vfs_param(uri: &str) -> Option<String> {
    let query = uri.strip_prefix("file:")?.split_once('?')?.1;
    let query = query.split('#').next().unwrap_or("");
    query.split('&').filter_map(|p| p.split_once('=')).filter(|(k, _)| *k == "vfs").map(|(_, v)| percent_decode(v)).next_back()
}

/// Refuses an open that SQLite would give a shared cache and Ferrolite
/// cannot honour: an in-memory database named by a `file:` URI
/// (`file::memory:`, `mode=memory`) with SQLITE_OPEN_SHAREDCACHE in
/// `flags` (from `cache=shared` or the caller) and not
/// SQLITE_OPEN_PRIVATECACHE. Other connections would see its data in
/// SQLite; a private one would silently be another database. A file
/// database is opened with a private cache: it is the same database,
/// shared through the file (docs/COMPAT.md).
pub fn check_shared_cache(path: &str, flags: u32) -> Result<()> {
    let shared = flags & OpenFlags::SHAREDCACHE.0 != 0 && flags & OpenFlags::PRIVATECACHE.0 == 0;
    if shared && (path == ":memory:" || flags & OpenFlags::MEMORY.0 != 0) {
        return Err(Error::sql("shared-cache in-memory databases are not supported yet"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{check_shared_cache, parse, percent_decode, vfs_param};

    #[test]
    fn vfs_parameter_is_read_apart_from_the_path() {
        assert_eq!(vfs_param("file:a.db?vfs=shim&x=1").as_deref(), Some("shim"));
        assert_eq!(vfs_param("file:a.db?vfs=one&vfs=t%77o").as_deref(), Some("two"));
        assert_eq!(vfs_param("file:a.db?x=1"), None);
        assert_eq!(vfs_param("a.db?vfs=shim"), None);
        // The path no longer depends on which VFS is named.
        assert_eq!(parse("file:a.db?vfs=other", 6).ok().map(|(p, _)| p).as_deref(), Some("a.db"));
    }
    use crate::os::OpenFlags;

    #[test]
    fn cache_shared_is_refused_for_in_memory_databases_only() {
        let check = |u: &str| parse(u, 6).and_then(|(p, f)| check_shared_cache(&p, f));
        assert!(check("file::memory:?cache=shared").is_err());
        assert!(check("file:a?mode=memory&cache=shared").is_err());
        assert!(check("file::memory:?cache=shared&cache=private").is_ok());
        assert!(check("file::memory:?cache=private").is_ok());
        assert!(check("file::memory:").is_ok());
        assert!(check("file:a.db?cache=shared").is_ok());
        let e = check("file:a.db?cache=other").err().map(|e| e.message().to_string());
        assert_eq!(e.as_deref(), Some("no such cache mode: other"));
        // The caller's SQLITE_OPEN_SHAREDCACHE counts as cache=shared.
        assert!(parse("file::memory:", 6 | OpenFlags::SHAREDCACHE.0).and_then(|(p, f)| check_shared_cache(&p, f)).is_err());
    }

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

    #[test]
    fn the_path_keeps_bytes_that_are_not_utf8() {
        use crate::os::fsname;
        let path = |u: &[u8]| parse(&fsname::from_bytes(u), 6).map(|(p, _)| fsname::to_bytes(&p).into_owned()).unwrap_or_default();
        // Escaped, as CPython quotes an undecodable name, and raw.
        assert_eq!(path(b"file:%40test_%FF.db?mode=rwc"), b"@test_\xff.db");
        assert_eq!(path(b"file:/tmp/\xe7\xff%2F.db"), b"/tmp/\xe7\xff/.db");
        assert_eq!(path("file:a\u{10FF41}.db".as_bytes()), "a\u{10FF41}.db".as_bytes());
    }
}
