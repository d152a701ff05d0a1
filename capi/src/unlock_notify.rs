//! sqlite3_unlock_notify.
//!
//! SQLite's unlock-notify waits for the connection that blocked this one
//! with a shared-cache table lock (SQLITE_LOCKED). Ferrolite offers no
//! shared cache, so no connection ever blocks another that way: as SQLite
//! does when there is no blocking connection, the callback is invoked at
//! once, from within the call, with its argument alone in the array, and
//! the call succeeds. A NULL callback cancels (there is never anything to
//! cancel). Either way the connection's error state is cleared.

use std::ffi::{c_int, c_void};

use crate::db::with_db;
use crate::handle::sqlite3;
use crate::rc;

pub type UnlockNotifyFn = Option<unsafe extern "C" fn(*mut *mut c_void, c_int)>;

#[no_mangle]
pub unsafe extern "C" fn sqlite3_unlock_notify(db: *mut sqlite3, x_notify: UnlockNotifyFn, arg: *mut c_void) -> c_int {
    // SAFETY: db is the caller's handle (checked by with_db).
    guard!(rc::MISUSE, {
        if !unsafe { with_db(db, false, |_| true) } {
            return rc::MISUSE;
        }
        if let Some(f) = x_notify {
            let mut args = [arg];
            // SAFETY: the application's callback with a one-entry array
            // that lives for the call; the connection's state is not
            // borrowed, so the callback may use the connection.
            unsafe { f(args.as_mut_ptr(), 1) };
        }
        // As SQLite, after the callback: whatever it left is cleared.
        unsafe { with_db(db, (), |st| st.clear_error()) };
        rc::OK
    })
}
