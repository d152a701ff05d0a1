//! WAL entry points: sqlite3_wal_checkpoint, sqlite3_wal_checkpoint_v2 and
//! sqlite3_wal_autocheckpoint, over the engine's PRAGMA wal_checkpoint /
//! wal_autocheckpoint machinery (src/pager/wal_mode.rs).
//! sqlite3_wal_hook and the snapshot API are not there yet (docs/COMPAT.md).

use std::ffi::{c_char, c_int, CStr};

use ferrolite::pager::wal::CheckpointMode;

use crate::db::with_db;
use crate::handle::sqlite3;
use crate::rc;

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
            CHECKPOINT_NOOP => {
                // SAFETY: db is the caller's handle.
                return unsafe {
                    with_db(db, rc::MISUSE, |st| st.set_code(rc::ERROR, Some("SQLITE_CHECKPOINT_NOOP is not supported yet")))
                };
            }
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
                        let cb = if mode == CheckpointMode::Passive { None } else { Some(cb) };
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
                conn.wal_autocheckpoint = i64::from(n.max(0));
                for i in 0..conn.dbs.len() {
                    if let Ok(bt) = conn.btree(i) {
                        bt.set_wal_autocheckpoint(i64::from(n.max(0)));
                    }
                }
                rc::OK
            })
        }
    })
}
