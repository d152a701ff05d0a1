//! sqlite3_preupdate_hook and the functions its callback may call:
//! sqlite3_preupdate_old / new / count / depth / blobwrite.
//!
//! The engine (`ferrolite::preupdate`) hands each call's values to a
//! closure made here, which pushes them as a frame on a per-thread stack,
//! calls the application's callback, and pops the frame. The accessor
//! functions read the innermost frame of their connection, so they answer
//! only inside the callback (SQLITE_MISUSE, 0, -1 elsewhere), and the
//! `sqlite3_value`s they hand out live until the callback returns, as in
//! SQLite. Error codes follow SQLite 3.54.1: old values of an INSERT or
//! new values of a DELETE, or a column index past the last, give
//! SQLITE_MISUSE; a negative index SQLITE_RANGE.

use std::cell::RefCell;
use std::ffi::{c_char, c_int, c_void, CString};

use ferrolite::preupdate::{PreUpdate, PreUpdateHook, DELETE, INSERT};

use crate::db::with_db;
use crate::handle::sqlite3;
use crate::rc;
use crate::value::sqlite3_value;

pub type PreUpdateFn = Option<unsafe extern "C" fn(*mut c_void, *mut sqlite3, c_int, *const c_char, *const c_char, crate::sqlite3_int64, crate::sqlite3_int64)>;
type PreUpdateCb = unsafe extern "C" fn(*mut c_void, *mut sqlite3, c_int, *const c_char, *const c_char, crate::sqlite3_int64, crate::sqlite3_int64);

/// One callback in progress: its connection and what it may read.
struct Frame {
    db: usize,
    op: i32,
    /// sqlite3_preupdate_count (`old` / `new` hold as many values).
    n_col: usize,
    depth: i32,
    blob_write: i32,
    /// Their heap blocks never move while the frame lives, so the
    /// pointers handed out stay valid even as frames are pushed.
    old: Vec<sqlite3_value>,
    new: Vec<sqlite3_value>,
}

thread_local! {
    static FRAMES: RefCell<Vec<Frame>> = const { RefCell::new(Vec::new()) };
}

/// Runs `f` on the innermost frame of connection `db`, if a callback of
/// that connection is running on this thread.
fn with_frame<R>(db: *mut sqlite3, f: impl FnOnce(&Frame) -> R) -> Option<R> {
    FRAMES.with(|fr| fr.borrow().iter().rev().find(|x| x.db == db as usize).map(f))
}

/// The connection and the application's pointer, moved into the engine's
/// closure.
#[derive(Clone, Copy)]
struct Target {
    db: usize,
    arg: usize,
}

fn closure(f: PreUpdateCb, t: Target) -> PreUpdateHook {
    Box::new(move |p: &PreUpdate<'_>| {
        let boxed = |v: &Option<Vec<ferrolite::Value>>| -> Vec<sqlite3_value> {
            v.as_ref().map(|v| v.iter().map(|x| sqlite3_value::new(x.clone())).collect()).unwrap_or_default()
        };
        let frame = Frame { db: t.db, op: p.op, n_col: p.n_col, depth: p.depth, blob_write: p.blob_write, old: boxed(&p.old), new: boxed(&p.new) };
        FRAMES.with(|fr| fr.borrow_mut().push(frame));
        let d = CString::new(p.db_name).unwrap_or_default();
        let tb = CString::new(p.table).unwrap_or_default();
        // SAFETY: the application's callback with its argument and its
        // connection; the names live for the call.
        unsafe { f(t.arg as *mut c_void, t.db as *mut sqlite3, p.op, d.as_ptr(), tb.as_ptr(), p.key1, p.key2) };
        FRAMES.with(|fr| fr.borrow_mut().pop());
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_preupdate_hook(db: *mut sqlite3, cb: PreUpdateFn, arg: *mut c_void) -> *mut c_void {
    // SAFETY: db is the caller's handle.
    guard!(std::ptr::null_mut(), {
        unsafe {
            with_db(db, std::ptr::null_mut(), |st| {
                // As SQLite: the previous argument, whether or not a
                // callback went with it.
                let old = std::mem::replace(&mut st.hooks.preupdate_arg, arg as usize) as *mut c_void;
                if let Some(conn) = st.conn.as_mut() {
                    conn.hooks.preupdate = cb.map(|f| closure(f, Target { db: db as usize, arg: arg as usize }));
                }
                old
            })
        }
    })
}

/// Records `code` as the connection's error (SQLite's sqlite3Error: OK
/// clears it) and returns it. The state may be borrowed by the call that
/// runs the callback (sqlite3_blob_write): then it is left alone.
unsafe fn set_state(db: *mut sqlite3, code: c_int) -> c_int {
    // SAFETY: db is the handle the callback was given.
    unsafe {
        with_db(db, (), |st| {
            if code == rc::OK {
                st.clear_error();
            } else {
                st.set_code(code, None);
            }
        })
    };
    code
}

/// What sqlite3_preupdate_old / new answer for column `i`.
enum Answer {
    Value(*mut sqlite3_value),
    /// Set as the connection's error too.
    Error(c_int),
    /// Returned without touching the error state (SQLite's new() for an
    /// index past the last column).
    Silent(c_int),
}

fn pick(db: *mut sqlite3, i: c_int, old: bool) -> Answer {
    let a = with_frame(db, |f| {
        let wrong_op = if old { f.op == INSERT } else { f.op == DELETE };
        if wrong_op {
            return Answer::Error(rc::MISUSE);
        }
        if i < 0 {
            return Answer::Error(rc::RANGE);
        }
        let vals = if old { &f.old } else { &f.new };
        match vals.get(i as usize) {
            Some(v) => Answer::Value(v as *const sqlite3_value as *mut sqlite3_value),
            None if old => Answer::Error(rc::MISUSE),
            None => Answer::Silent(rc::MISUSE),
        }
    });
    a.unwrap_or(Answer::Error(rc::MISUSE))
}

unsafe fn preupdate_value(db: *mut sqlite3, i: c_int, out: *mut *mut sqlite3_value, old: bool) -> c_int {
    if db.is_null() || out.is_null() {
        return rc::MISUSE;
    }
    match pick(db, i, old) {
        Answer::Value(v) => {
            // SAFETY: out is the caller's pointer (checked non-NULL).
            unsafe { *out = v };
            // SAFETY: db is the callback's connection.
            unsafe { set_state(db, rc::OK) }
        }
        // SAFETY: as above.
        Answer::Error(code) => unsafe { set_state(db, code) },
        Answer::Silent(code) => code,
    }
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_preupdate_old(db: *mut sqlite3, i: c_int, out: *mut *mut sqlite3_value) -> c_int {
    // SAFETY: the caller's handle and output pointer.
    guard!(rc::MISUSE, { unsafe { preupdate_value(db, i, out, true) } })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_preupdate_new(db: *mut sqlite3, i: c_int, out: *mut *mut sqlite3_value) -> c_int {
    // SAFETY: the caller's handle and output pointer.
    guard!(rc::MISUSE, { unsafe { preupdate_value(db, i, out, false) } })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_preupdate_count(db: *mut sqlite3) -> c_int {
    guard!(0, { with_frame(db, |f| f.n_col as c_int).unwrap_or(0) })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_preupdate_depth(db: *mut sqlite3) -> c_int {
    guard!(0, { with_frame(db, |f| f.depth).unwrap_or(0) })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_preupdate_blobwrite(db: *mut sqlite3) -> c_int {
    guard!(-1, { with_frame(db, |f| f.blob_write).unwrap_or(-1) })
}
