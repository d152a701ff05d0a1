//! An application's VFS written in C as the engine's `Vfs` / `VfsFile`:
//! when a connection opens with a VFS that is not one of Ferrolite's own,
//! every file operation of that connection (main database, rollback
//! journal, WAL, the WAL index's shared memory, temporary files) and every
//! VFS call (xDelete, xAccess, xFullPathname, xRandomness, xSleep,
//! xCurrentTime) goes through the application's function pointers.
//!
//! Error codes the C methods return become the engine's errors unchanged
//! (extended codes included; SQLITE_BUSY from xLock is a lock conflict).
//! The C VFS is never trusted to behave: missing methods are errors (or
//! SQLite's defaults: sector size 4096, no device characteristics), and a
//! file whose pMethods is NULL after xOpen is not open (never closed).
//!
//! Names passed to xOpen come from `names::NameBlock`s: one per database
//! opened through this `AppVfs`, its journal and WAL names inside it. An
//! `AppVfs` is made for each database a connection opens (with that
//! database's URI parameters), so a journal's name finds its own
//! database's block.
//!
//! Invariants: an `AppFile`'s `sqlite3_file` memory (szOsFile bytes) never
//! moves while the file is open; xClose is called once, then pMethods is
//! cleared, as SQLite does.

use std::ffi::{c_char, c_int, c_void, CStr};
use std::sync::{Arc, Mutex, Weak};

use ferrolite::error::{code, Error, Result};
use ferrolite::os::{fsname, AccessKind, LockLevel, OpenFlags, ShmRegion, Vfs, VfsFile, SHM_REGION_SIZE};

use super::ffi::{sqlite3_file, sqlite3_io_methods, sqlite3_vfs, OPEN_READONLY, UNIX_EPOCH_JD_MS};
use super::names::NameBlock;

// sqlite3_file_control operations SQLite's core answers without the VFS.
const FCNTL_FILE_POINTER: i32 = 7;
const FCNTL_VFS_POINTER: i32 = 27;
const FCNTL_JOURNAL_POINTER: i32 = 28;
const FCNTL_DATA_VERSION: i32 = 35;
const FCNTL_RESERVE_BYTES: i32 = 38;
const FCNTL_RESET_CACHE: i32 = 42;

/// Result of a C call as the engine's.
fn check(rc: c_int) -> Result<()> {
    if rc == code::OK {
        Ok(())
    } else {
        Err(Error::code(rc))
    }
}

pub struct AppVfs {
    vfs: *mut sqlite3_vfs,
    name: String,
    /// The URI parameters of the database this VFS opens.
    params: Vec<(String, String)>,
    blocks: Mutex<Vec<Weak<NameBlock>>>,
}

// SAFETY: a registered sqlite3_vfs is shared by every thread in SQLite
// too; its methods must be callable from any thread (SQLite's contract).
unsafe impl Send for AppVfs {}
// SAFETY: as above; the only Rust state is behind a Mutex.
unsafe impl Sync for AppVfs {}

impl AppVfs {
    /// # Safety
    /// `vfs` is a registered `sqlite3_vfs`, valid while any connection uses
    /// it (the application's promise, as in SQLite).
    pub unsafe fn new(vfs: *mut sqlite3_vfs, params: Vec<(String, String)>) -> AppVfs {
        // SAFETY: the caller's contract; zName is a C string or NULL.
        let name = unsafe { vfs.as_ref().filter(|v| !v.z_name.is_null()).map(|v| CStr::from_ptr(v.z_name).to_string_lossy().into_owned()) };
        AppVfs { vfs, name: name.unwrap_or_default(), params, blocks: Mutex::new(Vec::new()) }
    }

    fn c(&self) -> &sqlite3_vfs {
        // SAFETY: `new`'s contract: the struct outlives this AppVfs.
        unsafe { &*self.vfs }
    }

    /// The block whose name to pass for `path`: its database's when it is
    /// a journal or WAL of a database open here, else a block of its own.
    fn block_for(&self, path: &str) -> Arc<NameBlock> {
        let mut blocks = self.blocks.lock().unwrap_or_else(|e| e.into_inner());
        blocks.retain(|w| w.strong_count() > 0);
        blocks.iter().filter_map(Weak::upgrade).find(|b| b.owns(path)).unwrap_or_else(|| Arc::new(NameBlock::lone(path)))
    }
}

impl Vfs for AppVfs {
    fn open(&self, path: Option<&str>, flags: OpenFlags) -> Result<Box<dyn VfsFile>> {
        let c = self.c();
        let Some(x_open) = c.x_open else { return Err(Error::code(code::CANTOPEN)) };
        let size = (c.sz_os_file.max(0) as usize).max(std::mem::size_of::<sqlite3_file>());
        let mut mem = vec![0u64; size.div_ceil(8)].into_boxed_slice();
        let fp = mem.as_mut_ptr() as *mut sqlite3_file;
        let block = path.map(|p| {
            if flags.contains(OpenFlags::MAIN_DB) {
                let b = Arc::new(NameBlock::new(p, &self.params, &format!("{p}-journal"), &format!("{p}-wal"), fp));
                let mut blocks = self.blocks.lock().unwrap_or_else(|e| e.into_inner());
                blocks.retain(|w| w.strong_count() > 0);
                blocks.push(Arc::downgrade(&b));
                b
            } else {
                self.block_for(p)
            }
        });
        let z = match (&block, path) {
            (Some(b), Some(p)) => b.name_for(p),
            _ => std::ptr::null(),
        };
        // The bit Ferrolite uses for immutable=1 is not SQLite's.
        let cflags = (flags.0 & !OpenFlags::IMMUTABLE.0) as c_int;
        let mut out: c_int = 0;
        // SAFETY: `fp` has szOsFile zeroed, 8-aligned bytes that stay put
        // (boxed) until the file is closed; `z` is NULL or a name in
        // `block`, which the file keeps alive.
        let rc = unsafe { x_open(self.vfs, z, fp, cflags, &mut out) };
        // SAFETY: as above.
        let methods = unsafe { (*fp).p_methods };
        if rc != code::OK {
            if !methods.is_null() {
                // SAFETY: SQLite's rule: a non-NULL pMethods after a
                // failed xOpen is closed.
                unsafe {
                    if let Some(x_close) = (*methods).x_close {
                        x_close(fp);
                    }
                }
            }
            return Err(Error::code(rc));
        }
        if methods.is_null() {
            return Err(Error::code(code::CANTOPEN));
        }
        let readonly = out & OPEN_READONLY != 0 || !flags.contains(OpenFlags::READWRITE);
        Ok(Box::new(AppFile { mem, _block: block, vfs: self.vfs, level: LockLevel::None, readonly }))
    }

    fn delete(&self, path: &str, sync_dir: bool) -> Result<()> {
        let Some(x_delete) = self.c().x_delete else { return Err(Error::code(code::IOERR_DELETE)) };
        let b = self.block_for(path);
        // SAFETY: a live VFS and a name in `b`, alive across the call.
        check(unsafe { x_delete(self.vfs, b.name_for(path), c_int::from(sync_dir)) })
    }

    fn access(&self, path: &str, kind: AccessKind) -> Result<bool> {
        let Some(x_access) = self.c().x_access else { return Err(Error::code(code::IOERR_ACCESS)) };
        let b = self.block_for(path);
        let k = match kind {
            AccessKind::Exists => 0,
            AccessKind::ReadWrite => 1,
            AccessKind::Read => 2,
        };
        let mut out: c_int = 0;
        // SAFETY: as for delete; `out` is an int.
        check(unsafe { x_access(self.vfs, b.name_for(path), k, &mut out) })?;
        Ok(out != 0)
    }

    fn full_pathname(&self, path: &str) -> Result<String> {
        let c = self.c();
        let Some(x_full) = c.x_full_pathname else { return Ok(path.to_string()) };
        let n = (c.mx_pathname.clamp(1, 65536) as usize) + 1;
        let mut buf = vec![0u8; n];
        let b = NameBlock::lone(path);
        // SAFETY: a live VFS, a name in `b`, and `buf` of n bytes.
        let rc = unsafe { x_full(self.vfs, b.db_name(), n as c_int, buf.as_mut_ptr() as *mut c_char) };
        // SQLITE_OK_SYMLINK is a success.
        if rc & 0xff != code::OK {
            return Err(Error::code(rc));
        }
        let len = buf.iter().position(|&c| c == 0).unwrap_or(n);
        Ok(fsname::from_bytes(&buf[..len]))
    }

    fn randomness(&self, buf: &mut [u8]) {
        if let Some(x) = self.c().x_randomness {
            let n = buf.len().min(i32::MAX as usize) as c_int;
            // SAFETY: `buf` has at least n bytes.
            unsafe { x(self.vfs, n, buf.as_mut_ptr() as *mut c_char) };
        }
    }

    fn sleep(&self, micros: u64) {
        if let Some(x) = self.c().x_sleep {
            // SAFETY: a live VFS.
            unsafe { x(self.vfs, micros.min(i32::MAX as u64) as c_int) };
        }
    }

    fn current_time_ms(&self) -> i64 {
        let c = self.c();
        if c.i_version >= 2 {
            if let Some(x) = c.x_current_time_int64 {
                let mut t: i64 = 0;
                // SAFETY: a live VFS and an int64.
                if unsafe { x(self.vfs, &mut t) } == code::OK {
                    return t - UNIX_EPOCH_JD_MS;
                }
            }
        }
        if let Some(x) = c.x_current_time {
            let mut d: f64 = 0.0;
            // SAFETY: a live VFS and a double.
            if unsafe { x(self.vfs, &mut d) } == code::OK {
                return (d * 86_400_000.0) as i64 - UNIX_EPOCH_JD_MS;
            }
        }
        0
    }

    fn name(&self) -> &str {
        &self.name
    }
}

/// A file the application's VFS opened.
pub struct AppFile {
    /// The `sqlite3_file` (szOsFile bytes, 8-aligned).
    mem: Box<[u64]>,
    /// Keeps the name passed to xOpen alive until xClose.
    _block: Option<Arc<NameBlock>>,
    /// The VFS that opened the file (SQLITE_FCNTL_VFS_POINTER).
    vfs: *mut sqlite3_vfs,
    level: LockLevel,
    readonly: bool,
}

// SAFETY: a sqlite3_file is used by one thread at a time (the connection's
// mutex), and SQLite hands a file from thread to thread the same way.
unsafe impl Send for AppFile {}

impl AppFile {
    fn fp(&self) -> *mut sqlite3_file {
        self.mem.as_ptr() as *mut sqlite3_file
    }

    fn methods(&self) -> Option<&sqlite3_io_methods> {
        // SAFETY: `mem` holds a sqlite3_file whose pMethods the VFS set to
        // a methods struct that lives while the file is open (or NULL).
        unsafe { (*self.fp()).p_methods.as_ref() }
    }

    /// The methods, or `err` when the file has none.
    fn m(&self, err: i32) -> Result<&sqlite3_io_methods> {
        self.methods().ok_or_else(|| Error::code(err))
    }
}

impl Drop for AppFile {
    fn drop(&mut self) {
        if let Some(x_close) = self.methods().and_then(|m| m.x_close) {
            // SAFETY: an open file, closed once: pMethods is cleared after.
            unsafe { x_close(self.fp()) };
        }
        // SAFETY: `mem` holds the sqlite3_file.
        unsafe { (*self.fp()).p_methods = std::ptr::null() };
    }
}

impl VfsFile for AppFile {
    fn read(&mut self, buf: &mut [u8], offset: u64) -> Result<()> {
        let x = self.m(code::IOERR_READ)?.x_read.ok_or_else(|| Error::code(code::IOERR_READ))?;
        let n = c_int::try_from(buf.len()).map_err(|_| Error::code(code::IOERR_READ))?;
        // SAFETY: an open file and a buffer of n bytes.
        check(unsafe { x(self.fp(), buf.as_mut_ptr() as *mut c_void, n, offset as i64) })
    }
    fn write(&mut self, buf: &[u8], offset: u64) -> Result<()> {
        let x = self.m(code::IOERR_WRITE)?.x_write.ok_or_else(|| Error::code(code::IOERR_WRITE))?;
        let n = c_int::try_from(buf.len()).map_err(|_| Error::code(code::IOERR_WRITE))?;
        // SAFETY: an open file and a buffer of n bytes.
        check(unsafe { x(self.fp(), buf.as_ptr() as *const c_void, n, offset as i64) })
    }
    fn truncate(&mut self, size: u64) -> Result<()> {
        let x = self.m(code::IOERR_TRUNCATE)?.x_truncate.ok_or_else(|| Error::code(code::IOERR_TRUNCATE))?;
        // SAFETY: an open file.
        check(unsafe { x(self.fp(), size as i64) })
    }
    fn sync(&mut self, flags: u32) -> Result<()> {
        let x = self.m(code::IOERR_FSYNC)?.x_sync.ok_or_else(|| Error::code(code::IOERR_FSYNC))?;
        // SAFETY: an open file.
        check(unsafe { x(self.fp(), flags as c_int) })
    }
    fn file_size(&mut self) -> Result<u64> {
        let x = self.m(code::IOERR_FSTAT)?.x_file_size.ok_or_else(|| Error::code(code::IOERR_FSTAT))?;
        let mut n: i64 = 0;
        // SAFETY: an open file and an int64.
        check(unsafe { x(self.fp(), &mut n) })?;
        Ok(n.max(0) as u64)
    }
    fn lock(&mut self, level: LockLevel) -> Result<()> {
        if level <= self.level {
            return Ok(());
        }
        let x = self.m(code::IOERR_LOCK)?.x_lock.ok_or_else(|| Error::code(code::IOERR_LOCK))?;
        // SAFETY: an open file.
        check(unsafe { x(self.fp(), level as c_int) })?;
        self.level = level;
        Ok(())
    }
    fn unlock(&mut self, level: LockLevel) -> Result<()> {
        if level >= self.level {
            return Ok(());
        }
        let x = self.m(code::IOERR_UNLOCK)?.x_unlock.ok_or_else(|| Error::code(code::IOERR_UNLOCK))?;
        // SAFETY: an open file.
        let rc = unsafe { x(self.fp(), level as c_int) };
        // The level is the one asked for even when the call fails, as in
        // SQLite's pager.
        self.level = level;
        check(rc)
    }
    fn check_reserved_lock(&mut self) -> Result<bool> {
        let x = self.m(code::IOERR_CHECKRESERVEDLOCK)?.x_check_reserved_lock.ok_or_else(|| Error::code(code::IOERR_CHECKRESERVEDLOCK))?;
        let mut out: c_int = 0;
        // SAFETY: an open file and an int.
        check(unsafe { x(self.fp(), &mut out) })?;
        Ok(out != 0)
    }
    fn lock_level(&self) -> LockLevel {
        self.level
    }
    fn sector_size(&self) -> u32 {
        match self.methods().and_then(|m| m.x_sector_size) {
            // SAFETY: an open file.
            Some(x) => unsafe { x(self.fp()) }.max(0) as u32,
            None => 4096,
        }
    }
    fn device_characteristics(&self) -> u32 {
        match self.methods().and_then(|m| m.x_device_characteristics) {
            // SAFETY: an open file.
            Some(x) => (unsafe { x(self.fp()) }) as u32,
            None => 0,
        }
    }
    fn is_readonly(&self) -> bool {
        self.readonly
    }
    // `arg` comes from the application's sqlite3_file_control call, whose
    // contract (a pointer of the kind `op` documents) this passes on; the
    // engine never makes one up.
    #[allow(clippy::not_unsafe_ptr_arg_deref)]
    fn file_control(&mut self, op: i32, arg: *mut c_void) -> Option<i32> {
        // SQLite's core answers these itself, without the VFS.
        match op {
            FCNTL_FILE_POINTER | FCNTL_VFS_POINTER => {
                if !arg.is_null() {
                    let p = if op == FCNTL_FILE_POINTER { self.fp() as *mut c_void } else { self.vfs as *mut c_void };
                    // SAFETY: for these operations `arg` points to a
                    // pointer (SQLite's documented contract).
                    unsafe { *(arg as *mut *mut c_void) = p };
                }
                return Some(code::OK);
            }
            FCNTL_JOURNAL_POINTER | FCNTL_DATA_VERSION | FCNTL_RESERVE_BYTES | FCNTL_RESET_CACHE => return None,
            _ => {}
        }
        Some(match self.methods().and_then(|m| m.x_file_control) {
            // SAFETY: an open file; `arg` is what the caller of
            // sqlite3_file_control passed for `op`.
            Some(x) => unsafe { x(self.fp(), op, arg) },
            None => code::NOTFOUND,
        })
    }

    fn has_shm(&self) -> bool {
        self.methods().is_some_and(|m| m.i_version >= 2 && m.x_shm_map.is_some())
    }
    fn shm_map(&mut self, region: u32, extend: bool) -> Result<Option<ShmRegion>> {
        let m = self.m(code::IOERR_SHMMAP)?;
        let x = (if m.i_version >= 2 { m.x_shm_map } else { None }).ok_or_else(|| Error::code(code::IOERR_SHMOPEN))?;
        let mut p: *mut c_void = std::ptr::null_mut();
        // SAFETY: an open file and a pointer to fill.
        check(unsafe { x(self.fp(), region as c_int, SHM_REGION_SIZE as c_int, c_int::from(extend), &mut p) })?;
        if p.is_null() {
            return Ok(None);
        }
        // The region's barrier is this file's xShmBarrier.
        let fp = self.fp() as usize;
        let barrier = move || {
            let fp = fp as *mut sqlite3_file;
            // SAFETY: regions are dropped before the file is unmapped and
            // closed (the WAL's order), so `fp` is an open file here; its
            // pMethods is re-read, NULL once closed.
            unsafe {
                match (*fp).p_methods.as_ref().and_then(|m| if m.i_version >= 2 { m.x_shm_barrier } else { None }) {
                    Some(x) => x(fp),
                    None => ferrolite::os::shm::barrier(),
                }
            }
        };
        // SAFETY: xShmMap's contract: SHM_REGION_SIZE bytes valid until
        // xShmUnmap, which the WAL calls only after dropping its regions.
        unsafe { ShmRegion::foreign(p as *mut u8, Box::new(barrier)) }.map(Some).ok_or_else(|| Error::code(code::IOERR_SHMMAP))
    }
    fn shm_lock(&mut self, ofst: u32, n: u32, flags: u32) -> Result<()> {
        let m = self.m(code::IOERR_SHMLOCK)?;
        let x = (if m.i_version >= 2 { m.x_shm_lock } else { None }).ok_or_else(|| Error::code(code::IOERR_SHMLOCK))?;
        // SAFETY: an open file.
        check(unsafe { x(self.fp(), ofst as c_int, n as c_int, flags as c_int) })
    }
    fn shm_barrier(&mut self) {
        match self.methods().and_then(|m| if m.i_version >= 2 { m.x_shm_barrier } else { None }) {
            // SAFETY: an open file.
            Some(x) => unsafe { x(self.fp()) },
            None => ferrolite::os::shm::barrier(),
        }
    }
    fn shm_unmap(&mut self, delete: bool) -> Result<()> {
        match self.methods().and_then(|m| if m.i_version >= 2 { m.x_shm_unmap } else { None }) {
            // SAFETY: an open file.
            Some(x) => check(unsafe { x(self.fp(), c_int::from(delete)) }),
            None => Ok(()),
        }
    }
}
