//! Incremental BLOB I/O: sqlite3_blob_open, _read, _write, _bytes,
//! _reopen and _close, around the engine's `ferrolite::blob::Blob`.
//!
//! A `sqlite3_blob` counts among its connection's open statements (close
//! says SQLITE_BUSY, close_v2 leaves a zombie, while one is open) and is
//! used only under the connection's mutex. Errors land on the connection
//! as SQLite leaves them: open and reopen failures with their message,
//! read and write failures with the code's default text, and a successful
//! read or write clears the error. Calls SQLite would crash on (NULL
//! connection, table or column, NULL output pointer or buffer) return
//! SQLITE_MISUSE instead.

use std::cell::RefCell;
use std::ffi::{c_char, c_int, c_void, CStr};
use std::sync::atomic::Ordering;

use ferrolite::blob::Blob;

use crate::db::{free_db, with_db};
use crate::handle::{sqlite3, DbState, MAGIC_ZOMBIE};
use crate::rc;

/// Tells a live blob handle from garbage or a closed one.
const MAGIC_BLOB: u32 = 0x5b10_b10b;

/// A blob handle.
pub struct sqlite3_blob {
    magic: u32,
    db: *mut sqlite3,
    blob: RefCell<Option<Blob>>,
}

/// Runs `f` on a live handle's connection state and engine handle.
///
/// # Safety
/// `p` is NULL or a pointer sqlite3_blob_open returned and that was not
/// closed.
unsafe fn with_blob<R>(p: *mut sqlite3_blob, misuse: R, f: impl FnOnce(&mut DbState, &mut Blob) -> R) -> R {
    if p.is_null() {
        return misuse;
    }
    // SAFETY: a handle from sqlite3_blob_open; its magic is checked first.
    let h = unsafe { &*p };
    if h.magic != MAGIC_BLOB {
        return misuse;
    }
    // SAFETY: an open blob handle's connection outlives it (close refuses,
    // or leaves a zombie, while handles remain).
    unsafe {
        with_db(h.db, None, |db| match h.blob.try_borrow_mut() {
            Ok(mut b) => b.as_mut().map(|b| f(db, b)),
            Err(_) => None,
        })
    }
    .unwrap_or(misuse)
}

/// A C string argument as text (invalid UTF-8 replaced, as it can name
/// nothing anyway).
///
/// # Safety
/// `z` is NULL or a NUL-terminated string.
unsafe fn text<'a>(z: *const c_char) -> Option<std::borrow::Cow<'a, str>> {
    if z.is_null() {
        return None;
    }
    // SAFETY: the caller passes a NUL-terminated string.
    Some(String::from_utf8_lossy(unsafe { CStr::from_ptr(z) }.to_bytes()))
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_blob_open(db: *mut sqlite3, z_db: *const c_char, z_table: *const c_char, z_column: *const c_char, i_row: crate::sqlite3_int64, flags: c_int, pp_blob: *mut *mut sqlite3_blob) -> c_int {
    guard!(rc::MISUSE, {
        if pp_blob.is_null() {
            return rc::MISUSE;
        }
        // SAFETY: room for one pointer, checked non-NULL above.
        unsafe { *pp_blob = std::ptr::null_mut() };
        // SAFETY: NULL or NUL-terminated strings from the caller.
        let (schema, table, column) = unsafe { (text(z_db), text(z_table), text(z_column)) };
        let (Some(table), Some(column)) = (table, column) else { return rc::MISUSE };
        // SAFETY: db is the caller's handle (NULL or closed gives MISUSE).
        let opened = unsafe {
            with_db(db, None, |st| {
                let Some(conn) = st.conn.as_mut() else { return Some(Err(rc::MISUSE)) };
                match conn.blob_open(schema.as_deref(), &table, &column, i_row, flags != 0) {
                    Ok(b) => {
                        st.open_stmts += 1;
                        st.clear_error();
                        Some(Ok(b))
                    }
                    Err(e) => Some(Err(st.set_error(&e))),
                }
            })
        };
        match opened {
            None => rc::MISUSE,
            Some(Err(code)) => code,
            Some(Ok(b)) => {
                let h = Box::new(sqlite3_blob { magic: MAGIC_BLOB, db, blob: RefCell::new(Some(b)) });
                // SAFETY: pp_blob is non-NULL (checked above).
                unsafe { *pp_blob = Box::into_raw(h) };
                rc::OK
            }
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_blob_close(p: *mut sqlite3_blob) -> c_int {
    if p.is_null() {
        return rc::OK;
    }
    guard!(rc::MISUSE, {
        // SAFETY: p is non-NULL and came from sqlite3_blob_open; its magic
        // is checked before anything else is read.
        let h = unsafe { &*p };
        if h.magic != MAGIC_BLOB {
            return rc::MISUSE;
        }
        // SAFETY: an open blob handle's connection outlives it.
        let code = unsafe {
            with_db(h.db, rc::MISUSE, |st| {
                let Ok(mut slot) = h.blob.try_borrow_mut() else { return rc::MISUSE };
                let Some(b) = slot.take() else { return rc::MISUSE };
                st.open_stmts = st.open_stmts.saturating_sub(1);
                if b.is_aborted() {
                    // Already ended by an error: SQLite finalizes nothing
                    // and leaves the error state as it is.
                    return rc::OK;
                }
                let Some(conn) = st.conn.as_mut() else { return rc::MISUSE };
                match b.close(conn) {
                    Ok(()) => {
                        st.clear_error();
                        rc::OK
                    }
                    Err(e) => st.set_error(&e),
                }
            })
        };
        let db = h.db;
        if h.blob.try_borrow().map(|b| b.is_some()).unwrap_or(true) {
            // Not taken (misuse): the handle stays as it was.
            return code;
        }
        // SAFETY: the handle is live and its engine handle was ended above;
        // nothing refers to it after this call.
        drop(unsafe { Box::from_raw(p) });
        // A zombie connection goes away with its last statement or handle.
        // SAFETY: db is the handle's live connection.
        let free = unsafe { &*db }.magic.load(Ordering::Acquire) == MAGIC_ZOMBIE && unsafe { with_db(db, false, |st| st.open_stmts == 0) };
        if free {
            // SAFETY: a zombie with nothing left open is referenced by
            // nothing.
            unsafe { free_db(db) };
        }
        code
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_blob_bytes(p: *mut sqlite3_blob) -> c_int {
    // SAFETY: NULL or a handle from sqlite3_blob_open (magic checked).
    guard!(0, { unsafe { with_blob(p, 0, |_, b| b.bytes() as c_int) } })
}

/// The result of a read or write, left on the connection as SQLite's
/// sqlite3Error does (the code's default text, no message).
fn finish_io(st: &mut DbState, r: ferrolite::Result<()>) -> c_int {
    match r {
        Ok(()) => {
            st.clear_error();
            rc::OK
        }
        Err(e) => st.set_code(e.extended_code(), None),
    }
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_blob_read(p: *mut sqlite3_blob, z: *mut c_void, n: c_int, offset: c_int) -> c_int {
    guard!(rc::MISUSE, {
        // SAFETY: NULL or a handle from sqlite3_blob_open (magic checked).
        unsafe {
            with_blob(p, rc::MISUSE, |st, b| {
                let Some(conn) = st.conn.as_mut() else { return rc::MISUSE };
                if !b.in_range(offset, n) {
                    return st.set_code(rc::ERROR, None);
                }
                if z.is_null() && n > 0 {
                    return rc::MISUSE;
                }
                let buf: &mut [u8] = if n == 0 {
                    &mut []
                } else {
                    // SAFETY: the caller's buffer holds n bytes (n > 0 and
                    // z non-NULL, checked above).
                    std::slice::from_raw_parts_mut(z as *mut u8, n as usize)
                };
                let r = b.read(conn, buf, offset);
                finish_io(st, r)
            })
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_blob_write(p: *mut sqlite3_blob, z: *const c_void, n: c_int, offset: c_int) -> c_int {
    guard!(rc::MISUSE, {
        // SAFETY: NULL or a handle from sqlite3_blob_open (magic checked).
        unsafe {
            with_blob(p, rc::MISUSE, |st, b| {
                let Some(conn) = st.conn.as_mut() else { return rc::MISUSE };
                if !b.in_range(offset, n) {
                    return st.set_code(rc::ERROR, None);
                }
                if z.is_null() && n > 0 {
                    return rc::MISUSE;
                }
                let data: &[u8] = if n == 0 {
                    &[]
                } else {
                    // SAFETY: the caller's buffer holds n bytes (n > 0 and
                    // z non-NULL, checked above).
                    std::slice::from_raw_parts(z as *const u8, n as usize)
                };
                let r = b.write(conn, data, offset);
                finish_io(st, r)
            })
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_blob_reopen(p: *mut sqlite3_blob, i_row: crate::sqlite3_int64) -> c_int {
    guard!(rc::MISUSE, {
        // SAFETY: NULL or a handle from sqlite3_blob_open (magic checked).
        unsafe {
            with_blob(p, rc::MISUSE, |st, b| {
                let Some(conn) = st.conn.as_mut() else { return rc::MISUSE };
                if b.is_aborted() {
                    // SQLite returns at once, leaving the error state alone.
                    return st.api_code(rc::ABORT);
                }
                match b.reopen(conn, i_row) {
                    Ok(()) => rc::OK,
                    Err(e) => st.set_error(&e),
                }
            })
        }
    })
}
