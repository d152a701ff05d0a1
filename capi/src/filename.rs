//! Database file names as SQLite hands them to VFSes and applications:
//! sqlite3_create_filename / free_filename, filename_database / journal /
//! wal, and the URI parameter readers uri_parameter / uri_key /
//! uri_boolean / uri_int64.
//!
//! A file name is one block laid out as SQLite lays it out, so that any of
//! these functions works on a pointer from sqlite3_db_filename or
//! sqlite3_create_filename: four zero bytes, the database name, each URI
//! parameter as key and value, an empty string, the journal name, the WAL
//! name, and two more zero bytes. Every string is NUL-terminated; the
//! pointer handed out is the database name's.

use std::ffi::{c_char, c_int, CStr};

use ferrolite::os::fsname;


/// Builds a file-name block (the caller hands out `&block[4..]`). `db`,
/// `journal` and `wal` are file names in the engine's form
/// (`ferrolite::os::fsname`): the block holds their bytes.
pub fn make_block(db: &str, params: &[(String, String)], journal: &str, wal: &str) -> Vec<u8> {
    let mut b = vec![0u8; 4];
    let mut add = |s: &[u8]| {
        b.extend_from_slice(s);
        b.push(0);
    };
    add(&fsname::to_bytes(db));
    for (k, v) in params {
        add(k.as_bytes());
        add(v.as_bytes());
    }
    add(b"");
    add(&fsname::to_bytes(journal));
    add(&fsname::to_bytes(wal));
    b.push(0);
    b.push(0);
    b
}

/// `path` made absolute against the current directory, as SQLite's unix
/// VFS does.
pub fn full_path(path: &str) -> String {
    if let Ok(p) = crate::db::default_vfs().full_pathname(path) {
        return p;
    }
    if path.starts_with('/') {
        return path.to_string();
    }
    match std::env::current_dir() {
        Ok(d) => format!("{}/{}", fsname::from_path(&d).trim_end_matches('/'), path.trim_start_matches("./")),
        Err(_) => path.to_string(),
    }
}

/// The query parameters of a `file:` URI, decoded, in order.
pub fn uri_params(name: &str) -> Vec<(String, String)> {
    if !name.starts_with("file:") {
        return Vec::new();
    }
    let Some(q) = name.split_once('?').map(|(_, q)| q) else { return Vec::new() };
    let q = q.split('#').next().unwrap_or("");
    let decode = ferrolite::util::uri::percent_decode;
    q.split('&')
        .filter(|kv| !kv.is_empty())
        .filter_map(|kv| {
            let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
            if k.is_empty() {
                None
            } else {
                Some((decode(k), decode(v)))
            }
        })
        .collect()
}

/// Walks back from any pointer into a block's database name to its start
/// (the byte after the four zero bytes), as SQLite's databaseName().
///
/// # Safety
/// `z` points into the database name of a file-name block.
pub(crate) unsafe fn database_name(z: *const c_char) -> *const c_char {
    let mut p = z as *const u8;
    // SAFETY: a block starts with four zero bytes before the name.
    unsafe {
        while *p.sub(1) != 0 || *p.sub(2) != 0 || *p.sub(3) != 0 || *p.sub(4) != 0 {
            p = p.sub(1);
        }
    }
    p as *const c_char
}

/// The string after `p`'s NUL.
///
/// # Safety
/// `p` is a NUL-terminated string inside a block.
unsafe fn next(p: *const c_char) -> *const c_char {
    // SAFETY: the caller's contract.
    unsafe { p.add(CStr::from_ptr(p).to_bytes().len() + 1) }
}

/// # Safety
/// `p` is a NUL-terminated string.
unsafe fn is_empty(p: *const c_char) -> bool {
    // SAFETY: at least the NUL is readable.
    unsafe { *p == 0 }
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_create_filename(db: *const c_char, journal: *const c_char, wal: *const c_char, n_param: c_int, params: *mut *const c_char) -> *const c_char {
    guard!(std::ptr::null(), {
        // SAFETY: C strings, and 2*n_param of them in params.
        let s = |p: *const c_char| if p.is_null() { String::new() } else { unsafe { CStr::from_ptr(p) }.to_string_lossy().into_owned() };
        // SAFETY: as above; file names keep their bytes.
        let name = |p: *const c_char| if p.is_null() { String::new() } else { fsname::from_bytes(unsafe { CStr::from_ptr(p) }.to_bytes()) };
        let mut kv = Vec::new();
        for i in 0..n_param.max(0) as usize {
            // SAFETY: the caller supplies 2*n_param pointers.
            let (k, v) = unsafe { (*params.add(2 * i), *params.add(2 * i + 1)) };
            kv.push((s(k), s(v)));
        }
        let block = make_block(&name(db), &kv, &name(journal), &name(wal));
        let p = crate::memory::alloc(block.len() as u64) as *mut u8;
        if p.is_null() {
            return std::ptr::null();
        }
        // SAFETY: p has room for the block.
        unsafe {
            std::ptr::copy_nonoverlapping(block.as_ptr(), p, block.len());
            p.add(4) as *const c_char
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_free_filename(p: *const c_char) {
    if p.is_null() {
        return;
    }
    // SAFETY: a name from sqlite3_create_filename: its block starts four
    // bytes before the database name.
    guard!((), { unsafe { crate::memory::release(database_name(p).sub(4) as *mut std::ffi::c_void) } })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_filename_database(p: *const c_char) -> *const c_char {
    if p.is_null() {
        return std::ptr::null();
    }
    // SAFETY: a file-name block.
    guard!(std::ptr::null(), { unsafe { database_name(p) } })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_filename_journal(p: *const c_char) -> *const c_char {
    if p.is_null() {
        return std::ptr::null();
    }
    // SAFETY: a file-name block: skip the name and the parameter pairs to
    // the empty string, then past it.
    guard!(std::ptr::null(), {
        unsafe {
            let mut z = next(database_name(p));
            while !is_empty(z) {
                z = next(next(z));
            }
            z.add(1)
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_filename_wal(p: *const c_char) -> *const c_char {
    // SAFETY: a file-name block; the WAL name follows the journal's.
    guard!(std::ptr::null(), {
        let j = unsafe { sqlite3_filename_journal(p) };
        if j.is_null() {
            std::ptr::null()
        } else {
            unsafe { next(j) }
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_uri_parameter(p: *const c_char, key: *const c_char) -> *const c_char {
    if p.is_null() || key.is_null() {
        return std::ptr::null();
    }
    // SAFETY: a file-name block and a C string.
    guard!(std::ptr::null(), {
        unsafe {
            let want = CStr::from_ptr(key).to_bytes();
            let mut z = next(database_name(p));
            while !is_empty(z) {
                let hit = CStr::from_ptr(z).to_bytes() == want;
                z = next(z);
                if hit {
                    return z;
                }
                z = next(z);
            }
            std::ptr::null()
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_uri_key(p: *const c_char, n: c_int) -> *const c_char {
    if p.is_null() || n < 0 {
        return std::ptr::null();
    }
    // SAFETY: a file-name block.
    guard!(std::ptr::null(), {
        unsafe {
            let mut z = next(database_name(p));
            let mut n = n;
            while !is_empty(z) && n > 0 {
                n -= 1;
                z = next(next(z));
            }
            if is_empty(z) {
                std::ptr::null()
            } else {
                z
            }
        }
    })
}

/// SQLite's boolean words for URI parameters (sqlite3GetBoolean): a
/// number, or on/yes/true and off/no/false in any case.
fn get_boolean(z: &[u8], dflt: bool) -> bool {
    if z.first().is_some_and(|c| c.is_ascii_digit()) {
        return atoi(z) != 0;
    }
    let s = String::from_utf8_lossy(z).to_ascii_lowercase();
    match s.as_str() {
        "on" | "yes" | "true" => true,
        "off" | "no" | "false" => false,
        _ => dflt,
    }
}

/// Leading decimal digits as an int (sqlite3Atoi on a digit string).
fn atoi(z: &[u8]) -> i64 {
    let mut v: i64 = 0;
    for &c in z.iter().take_while(|c| c.is_ascii_digit()) {
        v = v.saturating_mul(10).saturating_add(i64::from(c - b'0'));
    }
    v.min(i64::from(i32::MAX))
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_uri_boolean(p: *const c_char, key: *const c_char, dflt: c_int) -> c_int {
    // SAFETY: forwarded.
    guard!(c_int::from(dflt != 0), {
        let v = unsafe { sqlite3_uri_parameter(p, key) };
        if v.is_null() {
            c_int::from(dflt != 0)
        } else {
            c_int::from(get_boolean(unsafe { CStr::from_ptr(v) }.to_bytes(), dflt != 0))
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_uri_int64(p: *const c_char, key: *const c_char, dflt: crate::sqlite3_int64) -> crate::sqlite3_int64 {
    // SAFETY: forwarded.
    guard!(dflt, {
        let v = unsafe { sqlite3_uri_parameter(p, key) };
        if v.is_null() {
            return dflt;
        }
        let (n, code) = ferrolite::util::dec_or_hex_to_i64(unsafe { CStr::from_ptr(v) }.to_bytes());
        if code == 0 {
            n
        } else {
            dflt
        }
    })
}
