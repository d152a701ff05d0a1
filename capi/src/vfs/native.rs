//! Ferrolite's own VFSes ("unix", "unix-none") as C `sqlite3_vfs` objects,
//! so that sqlite3_vfs_find hands an application a VFS whose methods work:
//! a shim VFS written in C can call them, and its files are Ferrolite's
//! `VfsFile`s inside the `sqlite3_file` the application allocated.
//!
//! A native `sqlite3_file` (`NativeFile`, szOsFile bytes) holds the methods
//! pointer and a pointer to its `NativeState` (the engine's file, and the
//! shm regions handed out, kept alive until xShmUnmap or xClose). The
//! `sqlite3_vfs`'s pAppData is a leaked `NativeVfs` holding the engine's
//! VFS, so a copy of the struct (a shim's) still reaches it.
//!
//! Invariants: every method catches panics; a file whose open failed has a
//! NULL pMethods; xClose frees the state exactly once (the pointer is
//! cleared).

use std::ffi::{c_char, c_int, c_void, CStr};
use std::sync::Arc;

use ferrolite::error::Error;
use ferrolite::os::{fsname, AccessKind, LockLevel, OpenFlags, ShmRegion, Vfs, VfsFile};

use super::ffi::{sqlite3_file, sqlite3_io_methods, sqlite3_syscall_ptr, sqlite3_vfs, UNIX_EPOCH_JD_MS};
use crate::rc;
use crate::sqlite3_int64;

/// What a native `sqlite3_vfs`'s pAppData points to.
pub struct NativeVfs {
    pub vfs: Arc<dyn Vfs>,
}

/// A native `sqlite3_file`.
#[repr(C)]
struct NativeFile {
    base: sqlite3_file,
    state: *mut NativeState,
}

struct NativeState {
    file: Box<dyn VfsFile>,
    /// Shm regions handed to C, by region number.
    regions: Vec<Option<ShmRegion>>,
    /// The VFS's name (SQLITE_FCNTL_VFSNAME).
    name: String,
    /// The file's path, if it has one (SQLITE_FCNTL_HAS_MOVED).
    path: Option<String>,
}

const FCNTL_LOCKSTATE: c_int = 1;
const FCNTL_LAST_ERRNO: c_int = 4;
const FCNTL_SIZE_HINT: c_int = 5;
const FCNTL_CHUNK_SIZE: c_int = 6;
const FCNTL_VFSNAME: c_int = 12;
const FCNTL_POWERSAFE_OVERWRITE: c_int = 13;
const FCNTL_HAS_MOVED: c_int = 20;
const SHM_REGION: c_int = ferrolite::os::SHM_REGION_SIZE as c_int;

fn code_of(e: &Error) -> c_int {
    e.extended_code()
}

fn result(r: ferrolite::Result<()>) -> c_int {
    match r {
        Ok(()) => rc::OK,
        Err(e) => code_of(&e),
    }
}

/// The engine's VFS behind a native `sqlite3_vfs`: ours, or a copy of
/// ours (found by its pAppData). A struct that is neither (a copy whose
/// pAppData the application replaced, then passed to our methods) gets
/// the default unix VFS rather than a pointer read as something it is not.
///
/// # Safety
/// `vfs` is NULL or a readable `sqlite3_vfs`.
unsafe fn engine_vfs<'a>(vfs: *mut sqlite3_vfs) -> Option<&'a NativeVfs> {
    // SAFETY: the caller's contract.
    let app = unsafe { vfs.as_ref() }?.p_app_data;
    // SAFETY: the registry's natives are leaked structs whose pAppData is
    // a leaked NativeVfs, never freed.
    let native = |p: *mut sqlite3_vfs| unsafe { ((*p).p_app_data as *const NativeVfs).as_ref() };
    let natives = super::natives();
    match natives.iter().find(|(n, _)| n.0 == vfs || native(n.0).is_some_and(|m| std::ptr::eq(m as *const NativeVfs as *const c_void, app))) {
        Some((n, _)) => native(n.0),
        None => natives.first().and_then(|(n, _)| native(n.0)),
    }
}

/// # Safety
/// `p` is NULL or a NUL-terminated C string.
unsafe fn name_of(p: *const c_char) -> Option<String> {
    // SAFETY: the caller's contract. File names keep their bytes.
    (!p.is_null()).then(|| fsname::from_bytes(unsafe { CStr::from_ptr(p) }.to_bytes()))
}

/// The state of an open native file.
///
/// # Safety
/// `f` is a `sqlite3_file` our xOpen filled (szOsFile bytes).
unsafe fn state<'a>(f: *mut sqlite3_file) -> Option<&'a mut NativeState> {
    // SAFETY: the caller's contract: a NativeFile whose state is NULL
    // (closed) or a live Box, used by one thread at a time (SQLite's rule
    // for a sqlite3_file).
    unsafe { (f as *mut NativeFile).as_mut().and_then(|n| n.state.as_mut()) }
}

unsafe extern "C" fn x_open(vfs: *mut sqlite3_vfs, z: *const c_char, f: *mut sqlite3_file, flags: c_int, out: *mut c_int) -> c_int {
    if f.is_null() {
        return rc::MISUSE;
    }
    // SAFETY: f has szOsFile bytes: room for a NativeFile.
    unsafe {
        (*(f as *mut NativeFile)).base.p_methods = std::ptr::null();
        (*(f as *mut NativeFile)).state = std::ptr::null_mut();
    }
    guard!(rc::IOERR, {
        // SAFETY: a native VFS struct; z NULL or a C string.
        let Some(nv) = (unsafe { engine_vfs(vfs) }) else { return rc::MISUSE };
        let name = unsafe { name_of(z) };
        // The bit Ferrolite uses for immutable=1 is not SQLite's.
        let fl = OpenFlags(flags as u32 & !OpenFlags::IMMUTABLE.0);
        match nv.vfs.open(name.as_deref(), fl) {
            Ok(file) => {
                let ro = file.is_readonly();
                let st = Box::new(NativeState { file, regions: Vec::new(), name: nv.vfs.name().to_string(), path: name });
                // SAFETY: as above; `out` is NULL or an int.
                unsafe {
                    (*(f as *mut NativeFile)).state = Box::into_raw(st);
                    (*(f as *mut NativeFile)).base.p_methods = &IO_METHODS;
                    if !out.is_null() {
                        *out = if ro { (flags & !6) | 1 } else { flags };
                    }
                }
                rc::OK
            }
            Err(e) => code_of(&e),
        }
    })
}

unsafe extern "C" fn x_delete(vfs: *mut sqlite3_vfs, z: *const c_char, sync_dir: c_int) -> c_int {
    guard!(rc::IOERR_DELETE, {
        // SAFETY: a native VFS struct and a C string.
        let (Some(nv), Some(name)) = (unsafe { engine_vfs(vfs) }, unsafe { name_of(z) }) else { return rc::MISUSE };
        result(nv.vfs.delete(&name, sync_dir != 0))
    })
}

unsafe extern "C" fn x_access(vfs: *mut sqlite3_vfs, z: *const c_char, flags: c_int, out: *mut c_int) -> c_int {
    guard!(rc::IOERR_ACCESS, {
        // SAFETY: a native VFS struct and a C string.
        let (Some(nv), Some(name)) = (unsafe { engine_vfs(vfs) }, unsafe { name_of(z) }) else { return rc::MISUSE };
        let kind = match flags {
            1 => AccessKind::ReadWrite,
            2 => AccessKind::Read,
            _ => AccessKind::Exists,
        };
        match nv.vfs.access(&name, kind) {
            Ok(yes) => {
                if !out.is_null() {
                    // SAFETY: `out` points to an int.
                    unsafe { *out = c_int::from(yes) };
                }
                rc::OK
            }
            Err(e) => code_of(&e),
        }
    })
}

unsafe extern "C" fn x_full_pathname(vfs: *mut sqlite3_vfs, z: *const c_char, n_out: c_int, out: *mut c_char) -> c_int {
    guard!(rc::CANTOPEN, {
        // SAFETY: a native VFS struct and a C string.
        let (Some(nv), Some(name)) = (unsafe { engine_vfs(vfs) }, unsafe { name_of(z) }) else { return rc::MISUSE };
        match nv.vfs.full_pathname(&name) {
            Ok(full) => {
                let b = fsname::to_bytes(&full);
                if out.is_null() || b.len() + 1 > n_out.max(0) as usize {
                    return rc::CANTOPEN;
                }
                // SAFETY: `out` has n_out bytes, enough for the name and NUL.
                unsafe {
                    std::ptr::copy_nonoverlapping(b.as_ptr(), out as *mut u8, b.len());
                    *out.add(b.len()) = 0;
                }
                rc::OK
            }
            Err(e) => code_of(&e),
        }
    })
}

unsafe extern "C" fn x_dl_open(_vfs: *mut sqlite3_vfs, z: *const c_char) -> *mut c_void {
    // SAFETY: NULL or a C string, as dlopen takes it.
    unsafe { libc::dlopen(z, libc::RTLD_NOW | libc::RTLD_GLOBAL) }
}

unsafe extern "C" fn x_dl_error(_vfs: *mut sqlite3_vfs, n: c_int, out: *mut c_char) {
    if out.is_null() || n <= 0 {
        return;
    }
    // SAFETY: dlerror gives NULL or a C string; `out` has n bytes.
    unsafe {
        let e = libc::dlerror();
        let b: &[u8] = if e.is_null() { b"" } else { CStr::from_ptr(e).to_bytes() };
        let k = b.len().min(n as usize - 1);
        std::ptr::copy_nonoverlapping(b.as_ptr(), out as *mut u8, k);
        *out.add(k) = 0;
    }
}

unsafe extern "C" fn x_dl_sym(_vfs: *mut sqlite3_vfs, h: *mut c_void, z: *const c_char) -> sqlite3_syscall_ptr {
    // SAFETY: a handle from x_dl_open and a C string; a symbol's address is
    // returned as the function pointer type SQLite uses for it (NULL: None).
    unsafe {
        let p = libc::dlsym(h, z);
        std::mem::transmute::<*mut c_void, sqlite3_syscall_ptr>(p)
    }
}

unsafe extern "C" fn x_dl_close(_vfs: *mut sqlite3_vfs, h: *mut c_void) {
    // SAFETY: a handle from x_dl_open.
    unsafe { libc::dlclose(h) };
}

unsafe extern "C" fn x_randomness(vfs: *mut sqlite3_vfs, n: c_int, out: *mut c_char) -> c_int {
    guard!(0, {
        // SAFETY: a native VFS struct; `out` has n bytes.
        let Some(nv) = (unsafe { engine_vfs(vfs) }) else { return 0 };
        if out.is_null() || n <= 0 {
            return 0;
        }
        let buf = unsafe { std::slice::from_raw_parts_mut(out as *mut u8, n as usize) };
        nv.vfs.randomness(buf);
        n
    })
}

unsafe extern "C" fn x_sleep(vfs: *mut sqlite3_vfs, micros: c_int) -> c_int {
    guard!(0, {
        // SAFETY: a native VFS struct.
        let Some(nv) = (unsafe { engine_vfs(vfs) }) else { return 0 };
        nv.vfs.sleep(micros.max(0) as u64);
        micros
    })
}

unsafe extern "C" fn x_current_time(vfs: *mut sqlite3_vfs, out: *mut f64) -> c_int {
    let mut ms: sqlite3_int64 = 0;
    // SAFETY: forwarded; `out` points to a double.
    unsafe {
        let r = x_current_time_int64(vfs, &mut ms);
        if !out.is_null() {
            *out = ms as f64 / 86_400_000.0;
        }
        r
    }
}

unsafe extern "C" fn x_get_last_error(_vfs: *mut sqlite3_vfs, _n: c_int, _out: *mut c_char) -> c_int {
    0
}

unsafe extern "C" fn x_current_time_int64(vfs: *mut sqlite3_vfs, out: *mut sqlite3_int64) -> c_int {
    guard!(rc::ERROR, {
        // SAFETY: a native VFS struct; `out` points to an int64.
        let Some(nv) = (unsafe { engine_vfs(vfs) }) else { return rc::MISUSE };
        if !out.is_null() {
            unsafe { *out = nv.vfs.current_time_ms() + UNIX_EPOCH_JD_MS };
        }
        rc::OK
    })
}

/// Ferrolite's VFSes make their system calls directly: none can be
/// replaced (SQLITE_NOTFOUND, docs/COMPAT.md).
unsafe extern "C" fn x_set_system_call(_vfs: *mut sqlite3_vfs, _z: *const c_char, _p: sqlite3_syscall_ptr) -> c_int {
    rc::NOTFOUND
}

unsafe extern "C" fn x_get_system_call(_vfs: *mut sqlite3_vfs, _z: *const c_char) -> sqlite3_syscall_ptr {
    None
}

unsafe extern "C" fn x_next_system_call(_vfs: *mut sqlite3_vfs, _z: *const c_char) -> *const c_char {
    std::ptr::null()
}

// --- the io methods --------------------------------------------------------

unsafe extern "C" fn io_close(f: *mut sqlite3_file) -> c_int {
    guard!(rc::IOERR_CLOSE, {
        if f.is_null() {
            return rc::OK;
        }
        // SAFETY: a file our xOpen filled; the state pointer is taken once.
        let st = unsafe { std::mem::replace(&mut (*(f as *mut NativeFile)).state, std::ptr::null_mut()) };
        if !st.is_null() {
            // SAFETY: made by Box::into_raw in x_open, freed only here.
            let mut st = unsafe { Box::from_raw(st) };
            st.regions.clear();
            drop(st);
        }
        rc::OK
    })
}

/// Runs `op` on an open native file; `closed` when it is not open.
///
/// # Safety
/// `f` is a `sqlite3_file` our xOpen filled.
unsafe fn with_file(f: *mut sqlite3_file, closed: c_int, op: impl FnOnce(&mut NativeState) -> c_int) -> c_int {
    guard!(closed, {
        // SAFETY: the caller's contract.
        match unsafe { state(f) } {
            Some(st) => op(st),
            None => closed,
        }
    })
}

unsafe extern "C" fn io_read(f: *mut sqlite3_file, buf: *mut c_void, n: c_int, off: sqlite3_int64) -> c_int {
    if buf.is_null() || n < 0 || off < 0 {
        return rc::IOERR_READ;
    }
    // SAFETY: `buf` has n bytes; f is a native file.
    unsafe {
        let b = std::slice::from_raw_parts_mut(buf as *mut u8, n as usize);
        with_file(f, rc::IOERR_READ, |st| result(st.file.read(b, off as u64)))
    }
}

unsafe extern "C" fn io_write(f: *mut sqlite3_file, buf: *const c_void, n: c_int, off: sqlite3_int64) -> c_int {
    if buf.is_null() || n < 0 || off < 0 {
        return rc::IOERR_WRITE;
    }
    // SAFETY: `buf` has n bytes; f is a native file.
    unsafe {
        let b = std::slice::from_raw_parts(buf as *const u8, n as usize);
        with_file(f, rc::IOERR_WRITE, |st| result(st.file.write(b, off as u64)))
    }
}

unsafe extern "C" fn io_truncate(f: *mut sqlite3_file, size: sqlite3_int64) -> c_int {
    // SAFETY: a native file.
    unsafe { with_file(f, rc::IOERR_TRUNCATE, |st| result(st.file.truncate(size.max(0) as u64))) }
}

unsafe extern "C" fn io_sync(f: *mut sqlite3_file, flags: c_int) -> c_int {
    // SAFETY: a native file.
    unsafe { with_file(f, rc::IOERR_FSYNC, |st| result(st.file.sync(flags as u32))) }
}

unsafe extern "C" fn io_file_size(f: *mut sqlite3_file, out: *mut sqlite3_int64) -> c_int {
    // SAFETY: a native file; `out` points to an int64.
    unsafe {
        with_file(f, rc::IOERR_FSTAT, |st| match st.file.file_size() {
            Ok(n) => {
                if !out.is_null() {
                    *out = n as sqlite3_int64;
                }
                rc::OK
            }
            Err(e) => code_of(&e),
        })
    }
}

fn level(l: c_int) -> LockLevel {
    match l {
        0 => LockLevel::None,
        1 => LockLevel::Shared,
        2 => LockLevel::Reserved,
        3 => LockLevel::Pending,
        _ => LockLevel::Exclusive,
    }
}

unsafe extern "C" fn io_lock(f: *mut sqlite3_file, l: c_int) -> c_int {
    // SAFETY: a native file.
    unsafe { with_file(f, rc::IOERR_LOCK, |st| result(st.file.lock(level(l)))) }
}

unsafe extern "C" fn io_unlock(f: *mut sqlite3_file, l: c_int) -> c_int {
    // SAFETY: a native file.
    unsafe { with_file(f, rc::IOERR_UNLOCK, |st| result(st.file.unlock(level(l)))) }
}

unsafe extern "C" fn io_check_reserved_lock(f: *mut sqlite3_file, out: *mut c_int) -> c_int {
    // SAFETY: a native file; `out` points to an int.
    unsafe {
        with_file(f, rc::IOERR_CHECKRESERVEDLOCK, |st| match st.file.check_reserved_lock() {
            Ok(yes) => {
                if !out.is_null() {
                    *out = c_int::from(yes);
                }
                rc::OK
            }
            Err(e) => code_of(&e),
        })
    }
}

unsafe extern "C" fn io_file_control(f: *mut sqlite3_file, op: c_int, arg: *mut c_void) -> c_int {
    // SAFETY: a native file; `arg` is what SQLite documents for `op`.
    unsafe {
        with_file(f, rc::NOTFOUND, |st| match op {
            FCNTL_LOCKSTATE if !arg.is_null() => {
                *(arg as *mut c_int) = st.file.lock_level() as c_int;
                rc::OK
            }
            FCNTL_VFSNAME if !arg.is_null() => {
                *(arg as *mut *mut c_char) = crate::memory::alloc_cstring(st.name.as_bytes());
                rc::OK
            }
            // The same answers as sqlite3_file_control gives for a
            // database on these VFSes (capi/src/status.rs).
            FCNTL_LAST_ERRNO if !arg.is_null() => {
                *(arg as *mut c_int) = 0;
                rc::OK
            }
            FCNTL_SIZE_HINT | FCNTL_CHUNK_SIZE => rc::OK,
            FCNTL_POWERSAFE_OVERWRITE if !arg.is_null() => {
                let p = arg as *mut c_int;
                if *p >= 0 && *p != 1 {
                    return rc::NOTFOUND;
                }
                *p = 1;
                rc::OK
            }
            FCNTL_HAS_MOVED if !arg.is_null() => {
                let gone = st.path.as_ref().is_some_and(|p| std::fs::metadata(fsname::to_path(p)).is_err());
                *(arg as *mut c_int) = c_int::from(gone);
                rc::OK
            }
            _ => rc::NOTFOUND,
        })
    }
}

unsafe extern "C" fn io_sector_size(f: *mut sqlite3_file) -> c_int {
    // SAFETY: a native file.
    unsafe { with_file(f, 4096, |st| st.file.sector_size() as c_int) }
}

unsafe extern "C" fn io_device_characteristics(f: *mut sqlite3_file) -> c_int {
    // SAFETY: a native file.
    unsafe { with_file(f, 0, |st| st.file.device_characteristics() as c_int) }
}

unsafe extern "C" fn io_shm_map(f: *mut sqlite3_file, region: c_int, size: c_int, extend: c_int, pp: *mut *mut c_void) -> c_int {
    if pp.is_null() || region < 0 {
        return rc::MISUSE;
    }
    // SAFETY: `pp` points to a pointer.
    unsafe { *pp = std::ptr::null_mut() };
    if size != SHM_REGION {
        // Ferrolite's shared memory comes in SQLite's region size only.
        return rc::IOERR_SHMMAP;
    }
    // SAFETY: a native file; `pp` as above.
    unsafe {
        with_file(f, rc::IOERR_SHMMAP, |st| {
            if !st.file.has_shm() {
                return rc::IOERR_SHMOPEN;
            }
            match st.file.shm_map(region as u32, extend != 0) {
                Ok(Some(r)) => {
                    *pp = r.as_ptr() as *mut c_void;
                    let i = region as usize;
                    if st.regions.len() <= i {
                        st.regions.resize(i + 1, None);
                    }
                    st.regions[i] = Some(r);
                    rc::OK
                }
                Ok(None) => rc::OK,
                Err(e) => code_of(&e),
            }
        })
    }
}

unsafe extern "C" fn io_shm_lock(f: *mut sqlite3_file, ofst: c_int, n: c_int, flags: c_int) -> c_int {
    if ofst < 0 || n < 0 {
        return rc::MISUSE;
    }
    // SAFETY: a native file.
    unsafe { with_file(f, rc::IOERR_SHMLOCK, |st| result(st.file.shm_lock(ofst as u32, n as u32, flags as u32))) }
}

unsafe extern "C" fn io_shm_barrier(f: *mut sqlite3_file) {
    // SAFETY: a native file.
    unsafe {
        with_file(f, 0, |st| {
            st.file.shm_barrier();
            0
        })
    };
}

unsafe extern "C" fn io_shm_unmap(f: *mut sqlite3_file, delete: c_int) -> c_int {
    // SAFETY: a native file. The regions C was given are dropped first:
    // after xShmUnmap the caller no longer uses them (SQLite's contract).
    unsafe {
        with_file(f, rc::OK, |st| {
            st.regions.clear();
            result(st.file.shm_unmap(delete != 0))
        })
    }
}

/// The methods of every native file (version 2: no xFetch / xUnfetch,
/// Ferrolite's memory maps stay inside the engine).
static IO_METHODS: sqlite3_io_methods = sqlite3_io_methods {
    i_version: 2,
    x_close: Some(io_close),
    x_read: Some(io_read),
    x_write: Some(io_write),
    x_truncate: Some(io_truncate),
    x_sync: Some(io_sync),
    x_file_size: Some(io_file_size),
    x_lock: Some(io_lock),
    x_unlock: Some(io_unlock),
    x_check_reserved_lock: Some(io_check_reserved_lock),
    x_file_control: Some(io_file_control),
    x_sector_size: Some(io_sector_size),
    x_device_characteristics: Some(io_device_characteristics),
    x_shm_map: Some(io_shm_map),
    x_shm_lock: Some(io_shm_lock),
    x_shm_barrier: Some(io_shm_barrier),
    x_shm_unmap: Some(io_shm_unmap),
    x_fetch: None,
    x_unfetch: None,
};

/// A new `sqlite3_vfs` (leaked: registered VFSes live for the process)
/// over the engine VFS `vfs`, named `name`.
pub fn make(name: &'static CStr, vfs: Arc<dyn Vfs>) -> *mut sqlite3_vfs {
    let app = Box::into_raw(Box::new(NativeVfs { vfs })) as *mut c_void;
    Box::into_raw(Box::new(sqlite3_vfs {
        i_version: 3,
        sz_os_file: std::mem::size_of::<NativeFile>() as c_int,
        mx_pathname: 512,
        p_next: std::ptr::null_mut(),
        z_name: name.as_ptr(),
        p_app_data: app,
        x_open: Some(x_open),
        x_delete: Some(x_delete),
        x_access: Some(x_access),
        x_full_pathname: Some(x_full_pathname),
        x_dl_open: Some(x_dl_open),
        x_dl_error: Some(x_dl_error),
        x_dl_sym: Some(x_dl_sym),
        x_dl_close: Some(x_dl_close),
        x_randomness: Some(x_randomness),
        x_sleep: Some(x_sleep),
        x_current_time: Some(x_current_time),
        x_get_last_error: Some(x_get_last_error),
        x_current_time_int64: Some(x_current_time_int64),
        x_set_system_call: Some(x_set_system_call),
        x_get_system_call: Some(x_get_system_call),
        x_next_system_call: Some(x_next_system_call),
    }))
}
