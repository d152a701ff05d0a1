//! The snapshot API: sqlite3_snapshot_get, _open, _free, _cmp and
//! _recover, over the engine's `Connection::snapshot_*` (src/snapshot.rs).
//!
//! A `sqlite3_snapshot` is SQLite's: 48 bytes holding the wal-index header
//! of the snapshot (host byte order), allocated with sqlite3_malloc and
//! freed with sqlite3_snapshot_free. The functions return SQLite's codes
//! (extended: SQLITE_ERROR_SNAPSHOT) and, as SQLite's, leave the
//! connection's error state alone.

use std::ffi::{c_char, c_int, c_void, CStr};

use ferrolite::pager::wal::snapshot::SnapshotBytes;

use crate::db::with_db;
use crate::handle::sqlite3;
use crate::memory::{sqlite3_free, sqlite3_malloc};
use crate::rc;

/// include/sqlite3.h's sqlite3_snapshot.
#[repr(C)]
pub struct sqlite3_snapshot {
    pub hidden: [u8; 48],
}

/// A database-name argument (NULL stays None).
///
/// # Safety
/// `z` is NULL or a NUL-terminated string.
unsafe fn db_name(z: *const c_char) -> Option<String> {
    if z.is_null() {
        None
    } else {
        // SAFETY: as the function's contract says.
        Some(unsafe { CStr::from_ptr(z) }.to_string_lossy().into_owned())
    }
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_snapshot_get(db: *mut sqlite3, z_db: *const c_char, pp: *mut *mut sqlite3_snapshot) -> c_int {
    guard!(rc::MISUSE, {
        if pp.is_null() {
            return rc::MISUSE;
        }
        // SAFETY: the caller's string.
        let name = unsafe { db_name(z_db) };
        // SAFETY: db is the caller's handle.
        let r = unsafe {
            with_db(db, Err(rc::MISUSE), |st| {
                let Some(conn) = st.conn.as_mut() else { return Err(rc::MISUSE) };
                conn.snapshot_get(name.as_deref()).map_err(|e| e.extended_code())
            })
        };
        match r {
            Ok(bytes) => {
                let p = sqlite3_malloc(48) as *mut sqlite3_snapshot;
                if p.is_null() {
                    return rc::NOMEM;
                }
                // SAFETY: p is a fresh 48-byte allocation; pp is the
                // caller's out-pointer (checked non-NULL).
                unsafe {
                    (*p).hidden = bytes;
                    *pp = p;
                }
                rc::OK
            }
            Err(code) => code,
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_snapshot_open(db: *mut sqlite3, z_db: *const c_char, p: *mut sqlite3_snapshot) -> c_int {
    guard!(rc::MISUSE, {
        if p.is_null() {
            return rc::MISUSE;
        }
        // SAFETY: p points at the caller's snapshot (48 bytes).
        let snap: SnapshotBytes = unsafe { (*p).hidden };
        // SAFETY: the caller's string.
        let name = unsafe { db_name(z_db) };
        // SAFETY: db is the caller's handle.
        unsafe {
            with_db(db, rc::MISUSE, |st| {
                let Some(conn) = st.conn.as_mut() else { return rc::MISUSE };
                match conn.snapshot_open(name.as_deref(), &snap) {
                    Ok(()) => rc::OK,
                    Err(e) => e.extended_code(),
                }
            })
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_snapshot_recover(db: *mut sqlite3, z_db: *const c_char) -> c_int {
    guard!(rc::MISUSE, {
        // SAFETY: the caller's string.
        let name = unsafe { db_name(z_db) };
        // SAFETY: db is the caller's handle.
        unsafe {
            with_db(db, rc::MISUSE, |st| {
                let Some(conn) = st.conn.as_mut() else { return rc::MISUSE };
                match conn.snapshot_recover(name.as_deref()) {
                    Ok(()) => rc::OK,
                    Err(e) => e.extended_code(),
                }
            })
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_snapshot_free(p: *mut sqlite3_snapshot) {
    // SAFETY: p is NULL or came from sqlite3_snapshot_get (sqlite3_malloc).
    guard!((), { unsafe { sqlite3_free(p as *mut c_void) } })
}

/// The first salt (incremented at each log restart) as SQLite reads it,
/// then mxFrame: both host-order words of the header.
fn order_key(h: &[u8; 48]) -> (u32, u32) {
    let w = |o: usize| u32::from_ne_bytes([h[o], h[o + 1], h[o + 2], h[o + 3]]);
    (w(32), w(16))
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_snapshot_cmp(p1: *mut sqlite3_snapshot, p2: *mut sqlite3_snapshot) -> c_int {
    guard!(0, {
        if p1.is_null() || p2.is_null() {
            return 0;
        }
        // SAFETY: both point at the caller's snapshots.
        let (a, b) = unsafe { (order_key(&(*p1).hidden), order_key(&(*p2).hidden)) };
        match a.cmp(&b) {
            std::cmp::Ordering::Less => -1,
            std::cmp::Ordering::Equal => 0,
            std::cmp::Ordering::Greater => 1,
        }
    })
}
