//! WAL entry points: sqlite3_wal_checkpoint, sqlite3_wal_checkpoint_v2,
//! sqlite3_wal_autocheckpoint and sqlite3_wal_hook, over the engine's
//! checkpoint machinery (src/pager/wal_mode.rs) and WAL hook
//! (src/wal_hook.rs).
//!
//! The application's WAL hook is called by sqlite3_step once a statement
//! is done in autocommit mode (`call_wal_hook`), with the connection's
//! mutex held but its state not borrowed, so the callback may use the
//! connection (checkpoint it, typically). A non-OK result makes that step
//! return SQLITE_ERROR and becomes the statement's error (what
//! sqlite3_reset / finalize return), as in SQLite.

use std::ffi::{c_char, c_int, c_void, CStr, CString};

use ferrolite::pager::wal::CheckpointMode;
use ferrolite::wal_hook::WalHook;
use ferrolite::Error;

use crate::db::with_db;
use crate::handle::{sqlite3, sqlite3_stmt, MAGIC_STMT};
use crate::rc;
use crate::stmt::with_stmt;

/// An application's sqlite3_wal_hook callback.
pub type WalHookFn = Option<unsafe extern "C" fn(*mut c_void, *mut sqlite3, *const c_char, c_int) -> c_int>;

const CHECKPOINT_NOOP: c_int = -1;

#[no_mangle]
pub unsafe extern "C" fn sqlite3_wal_checkpoint_v2(
    db: *mut sqlite3,
    z_db: *const c_char,
    e_mode: c_int,
    pn_log: *mut c_int,
    pn_ckpt: *mut c_int,
) -> c_int {
    guard!(rc::MISUSE, {
        // SAFETY: the out-pointers are NULL or point at the caller's ints.
        unsafe {
            if !pn_log.is_null() {
                *pn_log = -1;
            }
            if !pn_ckpt.is_null() {
                *pn_ckpt = -1;
            }
        }
        let mode = match e_mode {
            0 => CheckpointMode::Passive,
            1 => CheckpointMode::Full,
            2 => CheckpointMode::Restart,
            3 => CheckpointMode::Truncate,
            CHECKPOINT_NOOP => CheckpointMode::Noop,
            _ => return rc::MISUSE,
        };
        let name = if z_db.is_null() {
            None
        } else {
            // SAFETY: a NUL-terminated string from the caller.
            Some(unsafe { CStr::from_ptr(z_db) }.to_string_lossy().into_owned())
        };
        // SAFETY: db is the caller's handle.
        unsafe {
            with_db(db, rc::MISUSE, |st| {
                let Some(conn) = st.conn.as_mut() else { return rc::MISUSE };
                let targets: Vec<usize> = match name.as_deref() {
                    None | Some("") => (0..conn.dbs.len()).collect(),
                    Some(n) => match conn.dbs.iter().position(|d| d.name.eq_ignore_ascii_case(n)) {
                        Some(i) => vec![i],
                        None => return st.set_code(rc::ERROR, Some(&format!("unknown database: {n}"))),
                    },
                };
                let mut busy = false;
                let mut first = true;
                for i in targets {
                    let r = conn.with_busy_callback(i, |bt, cb| {
                        let cb = if mode <= CheckpointMode::Passive { None } else { Some(cb) };
                        bt.checkpoint(mode, cb)
                    });
                    match r {
                        Ok(res) => {
                            busy |= res.busy;
                            if first {
                                // As SQLite: the counts of the first database checkpointed.
                                if !pn_log.is_null() {
                                    *pn_log = res.log as c_int;
                                }
                                if !pn_ckpt.is_null() {
                                    *pn_ckpt = res.ckpt as c_int;
                                }
                            }
                        }
                        Err(e) => return st.set_error(&e),
                    }
                    first = false;
                }
                if busy {
                    st.set_code(rc::BUSY, None)
                } else {
                    st.clear_error();
                    rc::OK
                }
            })
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_wal_checkpoint(db: *mut sqlite3, z_db: *const c_char) -> c_int {
    // SAFETY: as for sqlite3_wal_checkpoint_v2.
    unsafe { sqlite3_wal_checkpoint_v2(db, z_db, 0, std::ptr::null_mut(), std::ptr::null_mut()) }
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_wal_autocheckpoint(db: *mut sqlite3, n: c_int) -> c_int {
    guard!(rc::MISUSE, {
        // SAFETY: db is the caller's handle.
        unsafe {
            with_db(db, rc::MISUSE, |st| {
                let Some(conn) = st.conn.as_mut() else { return rc::MISUSE };
                // Replaces any application hook, as in SQLite.
                conn.wal_hook = WalHook::auto_checkpoint(i64::from(n));
                rc::OK
            })
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_wal_hook(db: *mut sqlite3, cb: WalHookFn, arg: *mut c_void) -> *mut c_void {
    guard!(std::ptr::null_mut(), {
        // SAFETY: db is the caller's handle.
        unsafe {
            with_db(db, std::ptr::null_mut(), |st| {
                let Some(conn) = st.conn.as_mut() else { return std::ptr::null_mut() };
                // The previous argument: the default hook's is its frame
                // count, as SQLite passes it.
                let old = match conn.wal_hook {
                    WalHook::None => 0,
                    WalHook::AutoCheckpoint(n) => n as usize,
                    WalHook::Application => st.hooks.wal_arg,
                };
                conn.wal_hook = WalHook::Application;
                st.hooks.wal = cb;
                st.hooks.wal_arg = arg as usize;
                old as *mut c_void
            })
        }
    })
}

/// After sqlite3_step returned SQLITE_DONE: in autocommit mode, the
/// application's WAL hook for each database whose log took a commit
/// (SQLite's doWalCallbacks). Returns the step's code: SQLITE_DONE, or
/// SQLITE_ERROR when a call returned something else.
///
/// # Safety
/// `stmt` is a live statement handle.
pub unsafe fn call_wal_hook(stmt: *mut sqlite3_stmt) -> c_int {
    // SAFETY: a live statement's magic and connection pointer.
    let db = unsafe {
        let s = &*stmt;
        if s.magic != MAGIC_STMT {
            return rc::DONE;
        }
        s.db
    };
    // SAFETY: a live statement's connection outlives it.
    let h = unsafe { &*db };
    // The connection's mutex stays held across the callbacks (reentrant:
    // the callback's own calls take it again).
    let _held = h.lock.lock();
    // SAFETY: stmt is live (checked above).
    let due = unsafe {
        with_stmt(stmt, None, |st, _| {
            let conn = st.conn.as_mut()?;
            if !conn.autocommit || conn.wal_hook != WalHook::Application {
                return None;
            }
            let commits = conn.take_wal_commits();
            if commits.is_empty() {
                return None;
            }
            let names: Vec<(CString, c_int)> = commits
                .into_iter()
                .filter_map(|(i, n)| conn.dbs.get(i).map(|d| (CString::new(d.name.as_str()).unwrap_or_default(), n.min(i32::MAX as u32) as c_int)))
                .collect();
            Some((st.hooks.wal, st.hooks.wal_arg, names))
        })
    };
    let Some((Some(cb), arg, names)) = due else { return rc::DONE };
    let mut result = rc::OK;
    for (name, frames) in &names {
        // SAFETY: the application's callback with its argument; the name
        // lives for the call.
        result = unsafe { cb(arg as *mut c_void, db, name.as_ptr(), *frames) };
        if result != rc::OK {
            break;
        }
    }
    if result == rc::OK {
        return rc::DONE;
    }
    // SAFETY: stmt is live.
    unsafe {
        with_stmt(stmt, rc::ERROR, |st, s| {
            s.last_error = Some(Error::code(result));
            st.set_code(rc::ERROR, None)
        })
    }
}
