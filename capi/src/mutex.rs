//! sqlite3_mutex_*: the mutexes SQLite lends to applications and
//! extensions, and sqlite3_db_mutex, the connection's own.
//!
//! Every mutex is recursive (SQLite's FAST mutexes may be; entering one
//! twice from a thread is the caller's bug either way). A connection's
//! mutex is the lock every API call on it takes, so holding it across
//! calls serializes them exactly as in SQLite.

use std::ffi::c_int;
use std::sync::OnceLock;

use parking_lot::ReentrantMutex;

use crate::handle::sqlite3;

/// A mutex handed to C.
pub enum sqlite3_mutex {
    /// One from sqlite3_mutex_alloc (FAST/RECURSIVE: owned by the caller;
    /// static kinds: shared, never freed).
    Own(ReentrantMutex<()>),
    /// A connection's lock (sqlite3_db_mutex).
    Db(*const sqlite3),
}

// SAFETY: the variants are a mutex and a pointer to a connection whose
// own lock is thread-safe; nothing else is shared.
unsafe impl Send for sqlite3_mutex {}
// SAFETY: as above.
unsafe impl Sync for sqlite3_mutex {}

/// SQLITE_MUTEX_STATIC_MAIN .. STATIC_VFS3: one shared mutex each.
fn statics() -> &'static [sqlite3_mutex] {
    static S: OnceLock<Vec<sqlite3_mutex>> = OnceLock::new();
    S.get_or_init(|| (2..=13).map(|_| sqlite3_mutex::Own(ReentrantMutex::new(()))).collect())
}

#[no_mangle]
pub extern "C" fn sqlite3_mutex_alloc(kind: c_int) -> *mut sqlite3_mutex {
    guard!(std::ptr::null_mut(), {
        match kind {
            0 | 1 => Box::into_raw(Box::new(sqlite3_mutex::Own(ReentrantMutex::new(())))),
            2..=13 => &statics()[(kind - 2) as usize] as *const sqlite3_mutex as *mut sqlite3_mutex,
            _ => std::ptr::null_mut(),
        }
    })
}

fn is_static(m: *mut sqlite3_mutex) -> bool {
    statics().iter().any(|s| std::ptr::eq(s, m))
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_mutex_free(m: *mut sqlite3_mutex) {
    if m.is_null() || is_static(m) {
        return;
    }
    // SAFETY: a FAST or RECURSIVE mutex from sqlite3_mutex_alloc, not held.
    guard!((), {
        if let sqlite3_mutex::Own(_) = unsafe { &*m } {
            drop(unsafe { Box::from_raw(m) });
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_mutex_enter(m: *mut sqlite3_mutex) {
    if m.is_null() {
        return;
    }
    // SAFETY: a live mutex; the guard is forgotten and released by
    // sqlite3_mutex_leave (force_unlock) on the same thread.
    guard!((), {
        match unsafe { &*m } {
            sqlite3_mutex::Own(l) => std::mem::forget(l.lock()),
            sqlite3_mutex::Db(db) => std::mem::forget(unsafe { &**db }.lock.lock()),
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_mutex_try(m: *mut sqlite3_mutex) -> c_int {
    if m.is_null() {
        return crate::rc::OK;
    }
    // SAFETY: as for sqlite3_mutex_enter.
    guard!(crate::rc::BUSY, {
        let got = match unsafe { &*m } {
            sqlite3_mutex::Own(l) => l.try_lock().map(std::mem::forget).is_some(),
            sqlite3_mutex::Db(db) => unsafe { &**db }.lock.try_lock().map(std::mem::forget).is_some(),
        };
        if got {
            crate::rc::OK
        } else {
            crate::rc::BUSY
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_mutex_leave(m: *mut sqlite3_mutex) {
    if m.is_null() {
        return;
    }
    // SAFETY: the calling thread holds the mutex (entered with
    // sqlite3_mutex_enter/try, whose guard was forgotten).
    guard!((), {
        match unsafe { &*m } {
            sqlite3_mutex::Own(l) => unsafe { l.force_unlock() },
            sqlite3_mutex::Db(db) => unsafe { (**db).lock.force_unlock() },
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_db_mutex(db: *mut sqlite3) -> *mut sqlite3_mutex {
    if db.is_null() {
        return std::ptr::null_mut();
    }
    // SAFETY: a handle from sqlite3_open*; the mutex object lives in it.
    guard!(std::ptr::null_mut(), { &unsafe { &*db }.mutex as *const sqlite3_mutex as *mut sqlite3_mutex })
}
