//! sqlite3_commit_hook, sqlite3_rollback_hook, sqlite3_update_hook and
//! sqlite3_autovacuum_pages.
//!
//! The engine (`ferrolite::connection::ConnHooks`) calls closures at
//! SQLite's points; each closure here calls the application's C callback
//! with its argument. The registrations are also kept in the connection's
//! C state so that each call can return the previous argument, as SQLite
//! does. Callbacks run inside the statement that triggers them, with the
//! connection busy: like SQLite, they must not use the connection.

use std::ffi::{c_char, c_int, c_uint, c_void, CString};
use std::sync::Arc;

use crate::db::with_db;
use crate::handle::sqlite3;

pub type CommitFn = Option<unsafe extern "C" fn(*mut c_void) -> c_int>;
pub type RollbackFn = Option<unsafe extern "C" fn(*mut c_void)>;
pub type UpdateFn = Option<unsafe extern "C" fn(*mut c_void, c_int, *const c_char, *const c_char, crate::sqlite3_int64)>;

/// The arguments of the registered hooks (what the next registration
/// returns).
#[derive(Default)]
pub struct Hooks {
    pub commit_arg: Option<usize>,
    pub rollback_arg: Option<usize>,
    pub update_arg: Option<usize>,
    /// sqlite3_preupdate_hook's argument (kept even with a NULL callback,
    /// as SQLite does).
    pub preupdate_arg: usize,
    /// sqlite3_wal_hook's callback and argument, in force while the
    /// connection's `wal_hook` is `WalHook::Application` (capi/src/wal.rs).
    pub wal: crate::wal::WalHookFn,
    pub wal_arg: usize,
    /// sqlite3_autovacuum_pages' argument and its destructor, run when the
    /// registration is replaced and when the connection is freed.
    pub autovac: Option<AutovacArg>,
}

#[allow(clippy::type_complexity)] // spelled out for cbindgen's header check
pub type AutovacFn = Option<unsafe extern "C" fn(*mut c_void, *const c_char, c_uint, c_uint, c_uint) -> c_uint>;
pub type DestructorFn = Option<unsafe extern "C" fn(*mut c_void)>;

/// The argument of a sqlite3_autovacuum_pages registration.
pub struct AutovacArg {
    arg: usize,
    destructor: DestructorFn,
}

impl AutovacArg {
    /// Runs the destructor on the argument.
    ///
    /// # Safety
    /// Called once, when the registration ends.
    pub unsafe fn destroy(self) {
        if let Some(d) = self.destructor {
            // SAFETY: the application's destructor for its own pointer.
            unsafe { d(self.arg as *mut c_void) };
        }
    }
}

/// The application's pointer, moved into an engine closure.
#[derive(Clone, Copy)]
struct Arg(*mut c_void);
// SAFETY: only passed back to the application's own callback, which the
// engine calls with the connection's mutex held (one thread at a time),
// as SQLite calls it.
unsafe impl Send for Arg {}

impl Arg {
    fn get(self) -> *mut c_void {
        self.0
    }
}

type CommitCb = unsafe extern "C" fn(*mut c_void) -> c_int;
type RollbackCb = unsafe extern "C" fn(*mut c_void);
type UpdateCb = unsafe extern "C" fn(*mut c_void, c_int, *const c_char, *const c_char, crate::sqlite3_int64);

fn commit_closure(f: CommitCb, a: Arg) -> Box<dyn FnMut() -> bool + Send> {
    // SAFETY: the application's callback with its argument; non-zero turns
    // the commit into a rollback.
    Box::new(move || unsafe { f(a.get()) } != 0)
}

fn rollback_closure(f: RollbackCb, a: Arg) -> Box<dyn FnMut() + Send> {
    // SAFETY: the application's callback with its argument.
    Box::new(move || unsafe { f(a.get()) })
}

fn update_closure(f: UpdateCb, a: Arg) -> Box<dyn FnMut(i32, &str, &str, i64) + Send> {
    Box::new(move |op: i32, db_name: &str, table: &str, rowid: i64| {
        let d = CString::new(db_name).unwrap_or_default();
        let t = CString::new(table).unwrap_or_default();
        // SAFETY: the application's callback; the names live for the call.
        unsafe { f(a.get(), op, d.as_ptr(), t.as_ptr(), rowid) }
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_commit_hook(db: *mut sqlite3, cb: CommitFn, arg: *mut c_void) -> *mut c_void {
    // SAFETY: db is the caller's handle.
    guard!(std::ptr::null_mut(), {
        unsafe {
            with_db(db, std::ptr::null_mut(), |st| {
                let old = st.hooks.commit_arg.take().unwrap_or(0) as *mut c_void;
                let Some(conn) = st.conn.as_mut() else { return old };
                conn.hooks.commit = cb.map(|f| commit_closure(f, Arg(arg)));
                if cb.is_some() {
                    st.hooks.commit_arg = Some(arg as usize);
                }
                old
            })
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_rollback_hook(db: *mut sqlite3, cb: RollbackFn, arg: *mut c_void) -> *mut c_void {
    // SAFETY: db is the caller's handle.
    guard!(std::ptr::null_mut(), {
        unsafe {
            with_db(db, std::ptr::null_mut(), |st| {
                let old = st.hooks.rollback_arg.take().unwrap_or(0) as *mut c_void;
                let Some(conn) = st.conn.as_mut() else { return old };
                conn.hooks.rollback = cb.map(|f| rollback_closure(f, Arg(arg)));
                if cb.is_some() {
                    st.hooks.rollback_arg = Some(arg as usize);
                }
                old
            })
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_update_hook(db: *mut sqlite3, cb: UpdateFn, arg: *mut c_void) -> *mut c_void {
    // SAFETY: db is the caller's handle.
    guard!(std::ptr::null_mut(), {
        unsafe {
            with_db(db, std::ptr::null_mut(), |st| {
                let old = st.hooks.update_arg.take().unwrap_or(0) as *mut c_void;
                let Some(conn) = st.conn.as_mut() else { return old };
                conn.hooks.update = cb.map(|f| update_closure(f, Arg(arg)));
                if cb.is_some() {
                    st.hooks.update_arg = Some(arg as usize);
                }
                old
            })
        }
    })
}

/// The application's policy, shared by the databases' commits.
#[derive(Clone, Copy)]
struct AutovacCb {
    f: unsafe extern "C" fn(*mut c_void, *const c_char, c_uint, c_uint, c_uint) -> c_uint,
    arg: usize,
}

fn autovac_closure(c: AutovacCb) -> ferrolite::connection::AutovacuumPages {
    Arc::new(move |name: &str, n_orig: u32, n_free: u32, page_size: u32| {
        let z = CString::new(name).unwrap_or_default();
        // SAFETY: the application's callback with its argument; the name
        // lives for the call.
        unsafe { (c.f)(c.arg as *mut c_void, z.as_ptr(), n_orig, n_free, page_size) }
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_autovacuum_pages(db: *mut sqlite3, cb: AutovacFn, arg: *mut c_void, destructor: DestructorFn) -> c_int {
    guard!(crate::rc::MISUSE, {
        let new = AutovacArg { arg: arg as usize, destructor };
        // SAFETY: db is the caller's handle.
        let old = unsafe {
            with_db(db, Err(()), |st| {
                let Some(conn) = st.conn.as_mut() else { return Err(()) };
                conn.autovacuum_pages = cb.map(|f| autovac_closure(AutovacCb { f, arg: arg as usize }));
                Ok(st.hooks.autovac.replace(new))
            })
        };
        match old {
            Ok(prev) => {
                if let Some(p) = prev {
                    // SAFETY: the previous registration ends here.
                    unsafe { p.destroy() };
                }
                crate::rc::OK
            }
            Err(()) => {
                // As SQLite when it cannot register: the argument is
                // released at once.
                // SAFETY: the application's destructor for its argument.
                unsafe { AutovacArg { arg: arg as usize, destructor }.destroy() };
                crate::rc::MISUSE
            }
        }
    })
}
