//! sqlite3_exec: run every statement of a string, passing result rows to a
//! callback. Built on the public prepare/step/finalize entry points, so a
//! callback may itself use the connection, as SQLite allows.

use std::ffi::{c_char, c_int, c_void};

use crate::db::with_db;
use crate::handle::sqlite3;
use crate::memory::alloc_cstring;
use crate::rc;
use crate::stmt::{sqlite3_column_count, sqlite3_column_name, sqlite3_column_text, sqlite3_finalize, sqlite3_prepare_v2, sqlite3_step};

pub type ExecCallback = Option<unsafe extern "C" fn(*mut c_void, c_int, *mut *mut c_char, *mut *mut c_char) -> c_int>;

unsafe fn exec_impl(db: *mut sqlite3, sql: *const c_char, callback: ExecCallback, arg: *mut c_void, errmsg: *mut *mut c_char) -> c_int {
    if !errmsg.is_null() {
        // SAFETY: errmsg is non-NULL: room for one pointer.
        unsafe { *errmsg = std::ptr::null_mut() };
    }
    // SAFETY: db is the caller's handle.
    if unsafe { with_db(db, false, |st| st.conn.is_some()) } == false {
        return rc::MISUSE;
    }
    if sql.is_null() {
        return rc::OK;
    }
    let mut rest = sql;
    let mut code = rc::OK;
    // SAFETY: rest always points into the caller's NUL-terminated string.
    while unsafe { *rest } != 0 {
        let mut stmt = std::ptr::null_mut();
        let mut tail: *const c_char = std::ptr::null();
        // SAFETY: prepare reads the NUL-terminated SQL and sets tail.
        code = unsafe { sqlite3_prepare_v2(db, rest, -1, &mut stmt, &mut tail) };
        if code != rc::OK {
            break;
        }
        if stmt.is_null() {
            // Only whitespace or comments were left.
            if tail.is_null() || tail == rest {
                break;
            }
            rest = tail;
            continue;
        }
        loop {
            // SAFETY: stmt is the statement just prepared.
            let r = unsafe { sqlite3_step(stmt) };
            if r == rc::ROW {
                if let Some(cb) = callback {
                    // SAFETY: stmt has a row; the pointers stay valid until
                    // the next step, after the callback returns.
                    let n = unsafe { sqlite3_column_count(stmt) };
                    let mut values: Vec<*mut c_char> = (0..n).map(|i| unsafe { sqlite3_column_text(stmt, i) } as *mut c_char).collect();
                    let mut names: Vec<*mut c_char> = (0..n).map(|i| unsafe { sqlite3_column_name(stmt, i) } as *mut c_char).collect();
                    // SAFETY: the application's callback with arrays of n
                    // column values and names.
                    if unsafe { cb(arg, n, values.as_mut_ptr(), names.as_mut_ptr()) } != 0 {
                        // SAFETY: finalize the statement being abandoned.
                        unsafe { sqlite3_finalize(stmt) };
                        // SAFETY: db is live.
                        code = unsafe { with_db(db, rc::ABORT, |st| st.set_code(rc::ABORT, Some("query aborted"))) };
                        stmt = std::ptr::null_mut();
                        break;
                    }
                }
                continue;
            }
            code = r;
            break;
        }
        if stmt.is_null() {
            break;
        }
        // SAFETY: finalize the statement; on error it reports the step's
        // error code again and leaves the message on the connection.
        let f = unsafe { sqlite3_finalize(stmt) };
        if code == rc::DONE {
            code = f;
        } else {
            code = if f != rc::OK { f } else { code };
        }
        if code != rc::OK {
            break;
        }
        rest = tail;
        // Like SQLite, start the next statement past the whitespace.
        // SAFETY: rest points into the caller's NUL-terminated string.
        while unsafe { (*rest as u8).is_ascii_whitespace() } {
            rest = unsafe { rest.add(1) };
        }
    }
    if code != rc::OK && !errmsg.is_null() {
        // SAFETY: db is live; errmsg is non-NULL.
        let msg = unsafe { std::ffi::CStr::from_ptr(crate::db::sqlite3_errmsg(db)) }.to_bytes().to_vec();
        unsafe { *errmsg = alloc_cstring(&msg) };
    }
    code
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_exec(db: *mut sqlite3, sql: *const c_char, callback: ExecCallback, arg: *mut c_void, errmsg: *mut *mut c_char) -> c_int {
    // SAFETY: forwarded with the caller's guarantees.
    guard!(rc::INTERNAL, { unsafe { exec_impl(db, sql, callback, arg, errmsg) } })
}
