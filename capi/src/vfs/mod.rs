//! The VFS registry and application VFSes: sqlite3_vfs_find /
//! sqlite3_vfs_register / sqlite3_vfs_unregister, and the choice of the
//! VFS a connection's database uses.
//!
//! - `ffi`: the C structs of include/sqlite3.h.
//! - `native`: Ferrolite's own VFSes as C `sqlite3_vfs` objects ("unix",
//!   the default, "unix-excl" and "unix-none"), registered at first use.
//! - `app`: an application's C VFS as the engine's `Vfs` (all I/O of the
//!   connections that open with it goes through its methods).
//! - `names`: the names given to an application VFS's xOpen, and
//!   sqlite3_database_file_object.
//!
//! The registry is SQLite's list: the first entry is the default VFS;
//! registering moves a VFS (to the front with makeDflt, else second);
//! unregistering an unknown VFS is no error. Every entry's pNext is kept
//! pointing at the next one, as SQLite keeps it. Invariant: the list is
//! only read or changed with its mutex held, and a registered pointer is
//! the application's promise that the struct lives while registered.

pub mod app;
pub mod ffi;
pub mod names;
pub mod native;
#[cfg(test)]
mod tests;

use std::ffi::{c_char, c_int, CStr};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};

use ferrolite::os::nolock::NoLockVfs;
use ferrolite::os::unix::{UnixExclVfs, UnixVfs};
use ferrolite::os::Vfs;
use ferrolite::Error;

pub use ffi::sqlite3_vfs;

use crate::rc;

#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) struct VfsPtr(pub(crate) *mut sqlite3_vfs);

// SAFETY: a registered sqlite3_vfs is process-wide by contract; the
// pointer is only followed with the registry's mutex held or by methods
// SQLite allows on any thread.
unsafe impl Send for VfsPtr {}
// SAFETY: as above.
unsafe impl Sync for VfsPtr {}

/// Ferrolite's own VFSes: the C struct and the engine VFS behind it.
pub(crate) fn natives() -> &'static [(VfsPtr, Arc<dyn Vfs>)] {
    static NATIVES: OnceLock<Vec<(VfsPtr, Arc<dyn Vfs>)>> = OnceLock::new();
    NATIVES.get_or_init(|| {
        let unix = crate::db::default_vfs();
        let excl: Arc<dyn Vfs> = Arc::new(UnixExclVfs);
        let none: Arc<dyn Vfs> = Arc::new(NoLockVfs::new(UnixVfs::new()));
        vec![
            (VfsPtr(native::make(c"unix", unix.clone())), unix),
            (VfsPtr(native::make(c"unix-excl", excl.clone())), excl),
            (VfsPtr(native::make(c"unix-none", none.clone())), none),
        ]
    })
}

fn registry() -> MutexGuard<'static, Vec<VfsPtr>> {
    static LIST: OnceLock<Mutex<Vec<VfsPtr>>> = OnceLock::new();
    let m = LIST.get_or_init(|| {
        ferrolite::os::set_vfs_finder(find_for_file);
        let mut list: Vec<VfsPtr> = natives().iter().map(|(p, _)| *p).collect();
        relink(&mut list);
        Mutex::new(list)
    });
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Keeps each entry's pNext on the next entry.
fn relink(list: &mut [VfsPtr]) {
    for i in 0..list.len() {
        let next = list.get(i + 1).map_or(std::ptr::null_mut(), |p| p.0);
        // SAFETY: registered structs are live and writable (the
        // application's promise, as SQLite also writes pNext).
        unsafe { (*list[i].0).p_next = next };
    }
}

/// The registered VFS named `name` (the default for None).
fn find(list: &[VfsPtr], name: Option<&[u8]>) -> Option<*mut sqlite3_vfs> {
    let Some(name) = name else { return list.first().map(|p| p.0) };
    list.iter()
        .find(|p| {
            // SAFETY: a registered struct; zName NULL or a C string.
            unsafe { !(*p.0).z_name.is_null() && CStr::from_ptr((*p.0).z_name).to_bytes() == name }
        })
        .map(|p| p.0)
}

/// The engine VFS for a database opened with VFS `name` (None: the
/// default) and file name `uri` (whose URI parameters an application VFS
/// sees in xOpen). `Err` "no such vfs: NAME" when nothing is registered
/// under that name.
pub fn resolve(name: Option<&str>, uri: &str) -> Result<Arc<dyn Vfs>, Error> {
    let list = registry();
    let Some(p) = find(&list, name.map(str::as_bytes)) else {
        return Err(Error::sql(format!("no such vfs: {}", name.unwrap_or("(NULL)"))));
    };
    if let Some((_, v)) = natives().iter().find(|(n, _)| n.0 == p) {
        return Ok(v.clone());
    }
    // SAFETY: a registered VFS; it must outlive the connections that use
    // it (the application's promise, as in SQLite).
    Ok(Arc::new(unsafe { app::AppVfs::new(p, crate::filename::uri_params(uri)) }))
}

fn find_for_file(name: &str, uri: &str) -> ferrolite::Result<Arc<dyn Vfs>> {
    resolve(Some(name), uri)
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_vfs_find(name: *const c_char) -> *mut sqlite3_vfs {
    guard!(std::ptr::null_mut(), {
        if crate::global::sqlite3_initialize() != rc::OK {
            return std::ptr::null_mut();
        }
        // SAFETY: NULL or a C string.
        let name = (!name.is_null()).then(|| unsafe { CStr::from_ptr(name) }.to_bytes());
        find(&registry(), name).unwrap_or(std::ptr::null_mut())
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_vfs_register(vfs: *mut sqlite3_vfs, make_dflt: c_int) -> c_int {
    guard!(rc::INTERNAL, {
        let r = crate::global::sqlite3_initialize();
        if r != rc::OK {
            return r;
        }
        if vfs.is_null() {
            return rc::MISUSE;
        }
        let mut list = registry();
        list.retain(|p| p.0 != vfs);
        let at = if make_dflt != 0 || list.is_empty() { 0 } else { 1 };
        list.insert(at, VfsPtr(vfs));
        relink(&mut list);
        rc::OK
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_vfs_unregister(vfs: *mut sqlite3_vfs) -> c_int {
    guard!(rc::INTERNAL, {
        let r = crate::global::sqlite3_initialize();
        if r != rc::OK {
            return r;
        }
        let mut list = registry();
        list.retain(|p| p.0 != vfs);
        relink(&mut list);
        rc::OK
    })
}
