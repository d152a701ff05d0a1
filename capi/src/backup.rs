//! The online backup API: sqlite3_backup_init, _step, _finish,
//! _remaining and _pagecount, around the engine's `ferrolite::backup`.
//!
//! A `sqlite3_backup` names its two connections and is used only with
//! both mutexes held, the source's first (SQLite's order). While it
//! exists it counts among the open statements of both connections, so
//! sqlite3_close says SQLITE_BUSY ("unfinished backups") and
//! sqlite3_close_v2 leaves a zombie that finish frees: SQLite does this
//! for the source; for the destination (where SQLite leaves closing to
//! the application's care) it keeps finish from touching a freed handle.
//!
//! Errors land on the destination connection as SQLite leaves them:
//! init failures with their message, nothing for steps, and finish sets
//! the last step's code with its default text (or clears the error).

use std::cell::RefCell;
use std::ffi::{c_char, c_int, CStr};
use std::sync::atomic::Ordering;

use ferrolite::backup::{Backup, StepStatus};

use crate::db::{free_db, with_db};
use crate::handle::{sqlite3, MAGIC_ZOMBIE};
use crate::rc;

/// Tells a live backup handle from garbage or a finished one.
const MAGIC_BACKUP: u32 = 0x6ba0_c4b5;

/// A backup handle.
pub struct sqlite3_backup {
    magic: u32,
    dest: *mut sqlite3,
    src: *mut sqlite3,
    backup: RefCell<Backup>,
}

/// A schema-name argument (NULL names nothing: "" as SQLite prints it).
///
/// # Safety
/// `p` is NULL or a NUL-terminated string.
unsafe fn name_arg(p: *const c_char) -> String {
    if p.is_null() {
        return String::new();
    }
    // SAFETY: non-NULL: a NUL-terminated C string (caller's contract).
    unsafe { CStr::from_ptr(p) }.to_string_lossy().into_owned()
}

/// The live handle behind `p`, if it is one.
///
/// # Safety
/// `p` is NULL or a pointer sqlite3_backup_init returned.
unsafe fn live<'a>(p: *mut sqlite3_backup) -> Option<&'a sqlite3_backup> {
    if p.is_null() {
        return None;
    }
    // SAFETY: a handle from sqlite3_backup_init; its magic is checked
    // before anything else is used.
    let h = unsafe { &*p };
    (h.magic == MAGIC_BACKUP).then_some(h)
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_backup_init(dest: *mut sqlite3, dest_name: *const c_char, src: *mut sqlite3, src_name: *const c_char) -> *mut sqlite3_backup {
    guard!(std::ptr::null_mut(), {
        if src.is_null() || dest.is_null() {
            return std::ptr::null_mut();
        }
        // SAFETY: names are NULL or C strings (caller's contract).
        let (dname, sname) = unsafe { (name_arg(dest_name), name_arg(src_name)) };
        if src == dest {
            // SAFETY: dest is the caller's handle.
            unsafe { with_db(dest, (), |st| { st.set_code(rc::ERROR, Some("source and destination must be distinct")); }) };
            return std::ptr::null_mut();
        }
        // SAFETY: both are handles from sqlite3_open* (checked by with_db);
        // they are distinct, so the two states are distinct RefCells.
        let made = unsafe {
            with_db(src, None, |s| {
                with_db(dest, None, |d| {
                    let (Some(sc), Some(dc)) = (s.conn.as_mut(), d.conn.as_mut()) else { return None };
                    match Backup::init(dc, &dname, sc, &sname) {
                        Ok(b) => {
                            s.open_stmts += 1;
                            d.open_stmts += 1;
                            Some(b)
                        }
                        Err(e) => {
                            d.set_error(&e);
                            None
                        }
                    }
                })
            })
        };
        match made {
            Some(b) => Box::into_raw(Box::new(sqlite3_backup { magic: MAGIC_BACKUP, dest, src, backup: RefCell::new(b) })),
            None => std::ptr::null_mut(),
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_backup_step(p: *mut sqlite3_backup, n_page: c_int) -> c_int {
    guard!(rc::MISUSE, {
        // SAFETY: NULL or a handle from sqlite3_backup_init.
        let Some(h) = (unsafe { live(p) }) else { return rc::MISUSE };
        // SAFETY: a live backup's connections outlive it (close refuses,
        // or leaves a zombie, while it exists); they are distinct.
        unsafe {
            with_db(h.src, rc::MISUSE, |s| {
                with_db(h.dest, rc::MISUSE, |d| {
                    let (Some(sc), Some(dc)) = (s.conn.as_mut(), d.conn.as_mut()) else { return rc::MISUSE };
                    let Ok(mut b) = h.backup.try_borrow_mut() else { return rc::MISUSE };
                    match b.step(dc, sc, n_page) {
                        Ok(StepStatus::More) => rc::OK,
                        Ok(StepStatus::Done) => rc::DONE,
                        Err(e) => e.extended_code(),
                    }
                })
            })
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_backup_finish(p: *mut sqlite3_backup) -> c_int {
    if p.is_null() {
        return rc::OK;
    }
    guard!(rc::MISUSE, {
        // SAFETY: a handle from sqlite3_backup_init (magic checked).
        let Some(h) = (unsafe { live(p) }) else { return rc::MISUSE };
        let Ok(mut b) = h.backup.try_borrow_mut() else { return rc::MISUSE };
        let (src, dest) = (h.src, h.dest);
        // SAFETY: as in sqlite3_backup_step.
        let code = unsafe {
            with_db(src, None, |s| {
                with_db(dest, None, |d| {
                    let err = b.finish(d.conn.as_mut(), s.conn.as_mut());
                    s.open_stmts = s.open_stmts.saturating_sub(1);
                    d.open_stmts = d.open_stmts.saturating_sub(1);
                    Some(match err {
                        None => {
                            d.clear_error();
                            rc::OK
                        }
                        Some(e) => {
                            let c = e.extended_code();
                            d.set_code(c, None);
                            c
                        }
                    })
                })
            })
        };
        drop(b);
        let Some(code) = code else { return rc::MISUSE };
        // SAFETY: the handle is live and ended above; nothing refers to it
        // after this call.
        drop(unsafe { Box::from_raw(p) });
        for db in [src, dest] {
            // A zombie connection goes away with the last thing open on it.
            // SAFETY: db was live above; a zombie is freed only here, once.
            let free = unsafe { &*db }.magic.load(Ordering::Acquire) == MAGIC_ZOMBIE && unsafe { with_db(db, false, |st| st.open_stmts == 0) };
            if free {
                // SAFETY: a zombie with nothing left open is referenced by
                // nothing.
                unsafe { free_db(db) };
            }
        }
        code
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_backup_remaining(p: *mut sqlite3_backup) -> c_int {
    guard!(0, {
        // SAFETY: NULL or a handle from sqlite3_backup_init.
        match unsafe { live(p) } {
            Some(h) => h.backup.try_borrow().map(|b| b.remaining()).unwrap_or(0),
            None => 0,
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_backup_pagecount(p: *mut sqlite3_backup) -> c_int {
    guard!(0, {
        // SAFETY: NULL or a handle from sqlite3_backup_init.
        match unsafe { live(p) } {
            Some(h) => h.backup.try_borrow().map(|b| b.pagecount()).unwrap_or(0),
            None => 0,
        }
    })
}
