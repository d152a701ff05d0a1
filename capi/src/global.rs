//! Library-wide entry points: versions, initialisation, threading mode,
//! string helpers, sqlite3_complete, sqlite3_sleep.

use std::ffi::{c_char, c_int, CStr};

use crate::rc;

/// `sqlite3_version[]`: the version string as data.
#[no_mangle]
pub static sqlite3_version: [u8; 7] = *b"3.54.1\0";

const SOURCE_ID: &CStr = c"2026-11-21 00:00:00 ferrolite-3.54.1-0000000000000000000000000000000000000000";

#[no_mangle]
pub extern "C" fn sqlite3_libversion() -> *const c_char {
    sqlite3_version.as_ptr() as *const c_char
}

#[no_mangle]
pub extern "C" fn sqlite3_sourceid() -> *const c_char {
    SOURCE_ID.as_ptr()
}

#[no_mangle]
pub extern "C" fn sqlite3_libversion_number() -> c_int {
    ferrolite::SQLITE_VERSION_NUMBER
}

/// 1: serialized. Every connection has its own mutex and may be used from
/// any thread.
#[no_mangle]
pub extern "C" fn sqlite3_threadsafe() -> c_int {
    1
}

/// Ferrolite needs no global set-up: everything initialises on first use.
/// The state is remembered for sqlite3_config.
#[no_mangle]
pub extern "C" fn sqlite3_initialize() -> c_int {
    // Only remembered: sqlite3_config refuses most options afterwards, as
    // SQLite's does.
    crate::config::INITIALIZED.store(true, std::sync::atomic::Ordering::Release);
    rc::OK
}

/// Nothing global to release: connections own all their resources.
/// Afterwards sqlite3_config accepts every option again.
#[no_mangle]
pub extern "C" fn sqlite3_shutdown() -> c_int {
    crate::config::INITIALIZED.store(false, std::sync::atomic::Ordering::Release);
    rc::OK
}

#[no_mangle]
pub extern "C" fn sqlite3_sleep(ms: c_int) -> c_int {
    guard!(0, {
        // The default VFS's xSleep, as SQLite (an application's default
        // VFS included); 0 when no VFS is registered.
        let ms = ms.max(0);
        match crate::vfs::resolve(None, "") {
            Ok(vfs) => {
                vfs.sleep(ms as u64 * 1000);
                ms
            }
            Err(_) => 0,
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_complete(sql: *const c_char) -> c_int {
    if sql.is_null() {
        return 0;
    }
    // SAFETY: a NUL-terminated C string.
    guard!(0, {
        let s = unsafe { CStr::from_ptr(sql) }.to_string_lossy();
        i32::from(ferrolite::parse::complete(&s))
    })
}

fn fold(c: u8) -> u8 {
    c.to_ascii_lowercase()
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_stricmp(a: *const c_char, b: *const c_char) -> c_int {
    // SAFETY: NULL is handled as SQLite does (NULL sorts first); otherwise
    // both are NUL-terminated C strings.
    guard!(0, {
        match (a.is_null(), b.is_null()) {
            (true, true) => return 0,
            (true, false) => return -1,
            (false, true) => return 1,
            _ => {}
        }
        let (a, b) = unsafe { (CStr::from_ptr(a).to_bytes(), CStr::from_ptr(b).to_bytes()) };
        strnicmp(a, b, usize::MAX)
    })
}

fn strnicmp(a: &[u8], b: &[u8], n: usize) -> c_int {
    let mut i = 0;
    while i < n {
        let x = a.get(i).copied().map(fold).unwrap_or(0);
        let y = b.get(i).copied().map(fold).unwrap_or(0);
        if x != y || x == 0 {
            return c_int::from(x) - c_int::from(y);
        }
        i += 1;
    }
    0
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_strnicmp(a: *const c_char, b: *const c_char, n: c_int) -> c_int {
    // SAFETY: as for sqlite3_stricmp.
    guard!(0, {
        match (a.is_null(), b.is_null()) {
            (true, true) => return 0,
            (true, false) => return -1,
            (false, true) => return 1,
            _ => {}
        }
        let (a, b) = unsafe { (CStr::from_ptr(a).to_bytes(), CStr::from_ptr(b).to_bytes()) };
        strnicmp(a, b, n.max(0) as usize)
    })
}

/// sqlite3_enable_shared_cache's setting: later opens without
/// SQLITE_OPEN_PRIVATECACHE get SQLITE_OPEN_SHAREDCACHE.
pub static SHARED_CACHE: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// As SQLite's, sets the default of SQLITE_OPEN_SHAREDCACHE for later
/// opens and returns SQLITE_OK. Ferrolite has no shared cache: a file
/// database is opened with a private cache (the same database, shared
/// through the file), and an in-memory `file:` URI that would be shared is
/// refused ("... not supported yet"), see `ferrolite::util::uri::
/// check_shared_cache` and docs/COMPAT.md.
#[no_mangle]
pub extern "C" fn sqlite3_enable_shared_cache(on: c_int) -> c_int {
    SHARED_CACHE.store(on != 0, std::sync::atomic::Ordering::Relaxed);
    rc::OK
}

/// What is missing to complete the SQL text (SQLite 3.54's bit layout:
/// result code, what must follow, the pending quote or comment, and the
/// count of unmatched parentheses); 0 when complete.
#[no_mangle]
pub unsafe extern "C" fn sqlite3_incomplete(sql: *const c_char) -> crate::sqlite3_int64 {
    if sql.is_null() {
        return i64::from(rc::MISUSE);
    }
    // SAFETY: a NUL-terminated C string.
    guard!(i64::from(rc::ERROR), {
        let s = unsafe { CStr::from_ptr(sql) }.to_string_lossy();
        ferrolite::parse::incomplete(&s)
    })
}
