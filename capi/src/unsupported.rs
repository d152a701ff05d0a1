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
pub unsafe extern "C" fn sqlite3_set_authorizer(db: *mut sqlite3, x_auth: Option<unsafe extern "C" fn(*mut c_void, c_int, *const c_char, *const c_char, *const c_char, *const c_char) -> c_int>, _arg: *mut c_void) -> c_int {
    guard!(rc::INTERNAL, {
        match x_auth {
            // SAFETY: db is the caller's handle.
            None => unsafe { with_db(db, rc::MISUSE, |_| rc::OK) },
            Some(_) => unsafe { not_yet(db, "sqlite3_set_authorizer") },
        }
    })
}
