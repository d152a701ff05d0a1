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
