//! sqlite3_set_authorizer: the application's C callback, wrapped as the
//! engine's `Authorizer` (`ferrolite::codegen::auth`), which the code
//! generator consults while it compiles a statement.
//!
//! The callback runs while the connection's state is borrowed by the
//! prepare (or step) that compiles: a callback that calls back into the
//! same connection (which SQLite documents as forbidden) gets
//! SQLITE_MISUSE from that call rather than a deadlock or aliasing.

use std::ffi::{c_char, c_int, c_void, CString};

use ferrolite::codegen::auth::{AuthAction, Authorizer};

use crate::db::with_db;
use crate::handle::sqlite3;
use crate::rc;

type XAuth = unsafe extern "C" fn(*mut c_void, c_int, *const c_char, *const c_char, *const c_char, *const c_char) -> c_int;

/// A C authorizer and the pointer it was registered with.
struct CAuthorizer {
    f: XAuth,
    arg: *mut c_void,
}

// SAFETY: the callback and its argument are only used while the
// connection's mutex is held, as SQLite calls them.
unsafe impl Send for CAuthorizer {}

impl Authorizer for CAuthorizer {
    fn authorize(&mut self, action: AuthAction, args: [Option<&str>; 4]) -> i32 {
        // NUL-terminated copies; None stays a NULL pointer.
        let owned: Vec<Option<CString>> = args.iter().map(|a| a.map(|s| crate::handle::cstring(s.as_bytes()))).collect();
        let ptr = |i: usize| owned.get(i).and_then(|o| o.as_ref()).map_or(std::ptr::null(), |c| c.as_ptr());
        // SAFETY: the application's callback with the argument it
        // registered and NUL-terminated strings (or NULL) that live across
        // the call.
        unsafe { (self.f)(self.arg, action.code(), ptr(0), ptr(1), ptr(2), ptr(3)) }
    }
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_set_authorizer(db: *mut sqlite3, x_auth: Option<unsafe extern "C" fn(*mut c_void, c_int, *const c_char, *const c_char, *const c_char, *const c_char) -> c_int>, arg: *mut c_void) -> c_int {
    guard!(rc::INTERNAL, {
        // SAFETY: db is the caller's handle (NULL or closed gives MISUSE).
        unsafe {
            with_db(db, rc::MISUSE, |st| match st.conn.as_mut() {
                Some(c) => {
                    c.set_authorizer(x_auth.map(|f| Box::new(CAuthorizer { f, arg }) as Box<dyn Authorizer>));
                    rc::OK
                }
                None => rc::MISUSE,
            })
        }
    })
}
