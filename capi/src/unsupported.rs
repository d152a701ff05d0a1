//! Entry points that exist (so programs that import them load and run)
//! but whose feature Ferrolite does not have yet. Each one fails the way
//! SQLite reports a failure of that call, with a message saying the
//! feature is not supported yet; calls that only disable or remove
//! something that cannot exist succeed, since that is what SQLite does for
//! them. docs/COMPAT.md lists every one.

use std::ffi::{c_char, c_int, c_void};

use crate::db::with_db;
use crate::handle::sqlite3;
use crate::rc;

unsafe fn not_yet(db: *mut sqlite3, what: &str) -> c_int {
    // SAFETY: db is the caller's handle (NULL or closed gives MISUSE).
    unsafe { with_db(db, rc::MISUSE, |st| st.set_code(rc::ERROR, Some(&format!("{what} is not supported yet")))) }
}

pub struct sqlite3_backup {
    _private: (),
}

type XFunc = Option<unsafe extern "C" fn(*mut crate::value::sqlite3_context, c_int, *mut *mut crate::value::sqlite3_value)>;
type XFinal = Option<unsafe extern "C" fn(*mut crate::value::sqlite3_context)>;
type XDestroy = Option<unsafe extern "C" fn(*mut c_void)>;

#[no_mangle]
pub unsafe extern "C" fn sqlite3_create_window_function(db: *mut sqlite3, _name: *const c_char, _n_arg: c_int, _enc: c_int, app: *mut c_void, x_step: XFunc, x_final: XFinal, x_value: XFinal, x_inverse: XFunc, x_destroy: XDestroy) -> c_int {
    guard!(rc::INTERNAL, {
        if x_step.is_none() && x_final.is_none() && x_value.is_none() && x_inverse.is_none() {
            // SAFETY: db is the caller's handle.
            return unsafe { with_db(db, rc::MISUSE, |_| rc::OK) };
        }
        // SAFETY: as for sqlite3_create_function_v2.
        if let Some(d) = x_destroy {
            unsafe { d(app) };
        }
        unsafe { not_yet(db, "sqlite3_create_window_function") }
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_backup_init(dest: *mut sqlite3, _dest_name: *const c_char, _src: *mut sqlite3, _src_name: *const c_char) -> *mut sqlite3_backup {
    // SAFETY: dest is the caller's handle; the error goes on it, as SQLite
    // reports backup_init failures.
    guard!(std::ptr::null_mut(), {
        unsafe { not_yet(dest, "sqlite3_backup_init") };
        std::ptr::null_mut()
    })
}

/// No backup object can exist, so any non-NULL one is misuse.
#[no_mangle]
pub extern "C" fn sqlite3_backup_step(_p: *mut sqlite3_backup, _n: c_int) -> c_int {
    rc::MISUSE
}

#[no_mangle]
pub extern "C" fn sqlite3_backup_finish(p: *mut sqlite3_backup) -> c_int {
    if p.is_null() {
        rc::OK
    } else {
        rc::MISUSE
    }
}

#[no_mangle]
pub extern "C" fn sqlite3_backup_remaining(_p: *mut sqlite3_backup) -> c_int {
    0
}

#[no_mangle]
pub extern "C" fn sqlite3_backup_pagecount(_p: *mut sqlite3_backup) -> c_int {
    0
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_serialize(db: *mut sqlite3, _schema: *const c_char, size: *mut crate::sqlite3_int64, _flags: u32) -> *mut u8 {
    guard!(std::ptr::null_mut(), {
        if !size.is_null() {
            // SAFETY: room for one i64.
            unsafe { *size = 0 };
        }
        // SAFETY: db is the caller's handle.
        unsafe { not_yet(db, "sqlite3_serialize") };
        std::ptr::null_mut()
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_deserialize(db: *mut sqlite3, _schema: *const c_char, data: *mut u8, _sz_db: crate::sqlite3_int64, _sz_buf: crate::sqlite3_int64, flags: u32) -> c_int {
    guard!(rc::INTERNAL, {
        // SQLITE_DESERIALIZE_FREEONCLOSE: the buffer is ours to free, also
        // when the call fails.
        if flags & 1 != 0 && !data.is_null() {
            // SAFETY: the application handed over a sqlite3_malloc block.
            unsafe { crate::memory::release(data as *mut c_void) };
        }
        // SAFETY: db is the caller's handle.
        unsafe { not_yet(db, "sqlite3_deserialize") }
    })
}
