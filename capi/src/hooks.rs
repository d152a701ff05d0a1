//! sqlite3_commit_hook, sqlite3_rollback_hook and sqlite3_update_hook.
//!
//! The registrations live in the connection's C state; the engine reports
//! commits, rollbacks and row changes through `ferrolite::connection::
//! Hooks` callbacks installed here.

use std::ffi::{c_char, c_int, c_void};

/// The hook registrations of one connection.
#[derive(Default)]
pub struct Hooks {
    pub commit: Option<(unsafe extern "C" fn(*mut c_void) -> c_int, *mut c_void)>,
    pub rollback: Option<(unsafe extern "C" fn(*mut c_void), *mut c_void)>,
    pub update: Option<(unsafe extern "C" fn(*mut c_void, c_int, *const c_char, *const c_char, crate::sqlite3_int64), *mut c_void)>,
}
