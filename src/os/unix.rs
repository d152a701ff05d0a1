//! The unix VFS: files through pread/pwrite (`FileExt`), fsync/fdatasync,
//! and SQLite's POSIX advisory-lock protocol, byte for byte.
//!
//! Locking (the same `fcntl(F_SETLK)` ranges and transitions as SQLite's
//! unix VFS, so SQLite and Ferrolite processes exclude each other):
//! - SHARED: read-lock PENDING_BYTE, read-lock the SHARED range
//!   (SHARED_FIRST, SHARED_SIZE bytes), release PENDING_BYTE;
//! - RESERVED: write-lock RESERVED_BYTE;
//! - EXCLUSIVE: from RESERVED, write-lock PENDING_BYTE first (PENDING state,
//!   which keeps new readers out), then write-lock the SHARED range;
//! - down to SHARED: read-lock the SHARED range, unlock PENDING+RESERVED;
//! - down to NONE: unlock the whole file.
//!
//! POSIX locks belong to the process, not the descriptor, and closing any
//! descriptor of a file drops all of the process's locks on it. So, like
//! SQLite, every open file of one (device, inode) shares an `InodeInfo`
//! holding the process-level lock state (`level`, `n_shared`, `n_lock`);
//! connections of one process are arbitrated there, and a descriptor whose
//! file is closed while other connections still hold locks is parked in
//! `pending_close` until the last lock goes.
//!
//! "unix-excl" (`UnixExclVfs`, files opened read-write): the process's
//! first lock on a file is a write lock on the whole SHARED range instead
//! (`InodeInfo::process_lock`), kept until the inode's last close; every
//! later system lock change is skipped, so other processes are shut out
//! while connections of this process are still arbitrated by `InodeInfo`.

mod shm;

use std::collections::HashMap;
use std::fs::{File, OpenOptions};
use std::io::Read;
use std::os::unix::fs::{FileExt, MetadataExt, OpenOptionsExt};
use std::os::unix::io::AsRawFd;
use std::sync::{Arc, OnceLock};

use parking_lot::Mutex;

use super::{
    iocap, AccessKind, LockLevel, OpenFlags, Vfs, VfsFile, PENDING_BYTE, RESERVED_BYTE,
    SHARED_FIRST, SHARED_SIZE,
};
use crate::error::{code, Error, Result};

/// Process-wide lock state of one file (shared by every open of it).
struct InodeInfo {
    /// Connections of this process holding SHARED or more.
    n_shared: u32,
    /// Connections of this process holding any lock.
    n_lock: u32,
    /// The strongest lock this process holds.
    level: LockLevel,
    /// Descriptors whose close waits until `n_lock` is 0.
    pending_close: Vec<File>,
    /// Open `UnixFile`s referring to this inode.
    n_ref: u32,
    /// The `-shm` file's process-wide state, while a connection uses it.
    shm: Option<Arc<Mutex<shm::ShmNode>>>,
    /// Where this process's connections wait for the file's locks.
    gate: Arc<super::gate::LockGate>,
    /// "unix-excl": the process holds a write lock on the whole SHARED
    /// range (taken at its first lock, kept until the last close), and no
    /// other system lock is taken or released.
    process_lock: bool,
}

type InodeKey = (u64, u64);

fn inode_table() -> &'static Mutex<HashMap<InodeKey, Arc<Mutex<InodeInfo>>>> {
    static TABLE: OnceLock<Mutex<HashMap<InodeKey, Arc<Mutex<InodeInfo>>>>> = OnceLock::new();
    TABLE.get_or_init(|| Mutex::new(HashMap::new()))
}

/// The unix VFS ("unix").
#[derive(Debug, Default)]
pub struct UnixVfs;

/// SQLite's "unix-excl": the unix VFS, except that a database file opened
/// read-write is locked by the process as a whole at its first lock (a
/// write lock on the SHARED range, kept until its last close), so no other
/// process can use it meanwhile; connections of the process share it as
/// usual. Shared memory is the unix VFS's.
#[derive(Debug, Default)]
pub struct UnixExclVfs;

impl Vfs for UnixExclVfs {
    fn open(&self, path: Option<&str>, flags: OpenFlags) -> Result<Box<dyn VfsFile>> {
        UnixVfs.open_file(path, flags, true)
    }
    fn delete(&self, path: &str, sync_dir: bool) -> Result<()> {
        UnixVfs.delete(path, sync_dir)
    }
    fn access(&self, path: &str, kind: AccessKind) -> Result<bool> {
        UnixVfs.access(path, kind)
    }
    fn full_pathname(&self, path: &str) -> Result<String> {
        UnixVfs.full_pathname(path)
    }
    fn randomness(&self, buf: &mut [u8]) {
        UnixVfs.randomness(buf)
    }
    fn sleep(&self, micros: u64) {
        UnixVfs.sleep(micros)
    }
    fn current_time_ms(&self) -> i64 {
        UnixVfs.current_time_ms()
    }
    fn name(&self) -> &str {
        "unix-excl"
    }
}

impl UnixVfs {
    pub fn new() -> UnixVfs {
        UnixVfs
    }
}

fn io_err(e: &std::io::Error, dflt: i32) -> Error {
    match e.kind() {
        std::io::ErrorKind::NotFound | std::io::ErrorKind::PermissionDenied => {
            Error::code(code::CANTOPEN)
        }
        // SQLite's message for an I/O error is its code's ("disk I/O
        // error"), not the system's text.
        _ => Error::code(dflt),
    }
}

impl UnixVfs {
    /// Opens a file; `excl` for the "unix-excl" VFS (see `UnixExclVfs`).
    fn open_file(&self, path: Option<&str>, flags: OpenFlags, excl: bool) -> Result<Box<dyn VfsFile>> {
        let (path, temp) = match path {
            Some(p) => (p.to_string(), false),
            None => {
                let mut r = [0u8; 8];
                self.randomness(&mut r);
                let dir = std::env::temp_dir();
                let name = format!("etilqs_{:016x}", u64::from_le_bytes(r));
                (super::fsname::from_path(&dir.join(name)), true)
            }
        };
        let create = temp || flags.contains(OpenFlags::CREATE);
        let rw = temp || flags.contains(OpenFlags::READWRITE);
        let mut opts = OpenOptions::new();
        opts.read(true).write(rw).create(create && rw).mode(0o644);
        if temp || flags.contains(OpenFlags::EXCLUSIVE) {
            opts.create_new(true);
        }
        let os_path = super::fsname::to_path(&path);
        let (file, readonly) = match opts.open(&os_path) {
            Ok(f) => (f, !rw),
            Err(e) if rw && !temp && !flags.contains(OpenFlags::EXCLUSIVE) && e.raw_os_error() != Some(libc::EISDIR) => {
                // Like SQLite: a read-write open that fails for any reason
                // but a directory (no permission, a read-only file system)
                // falls back to read-only.
                match OpenOptions::new().read(true).open(&os_path) {
                    Ok(f) => (f, true),
                    Err(_) => return Err(Error::code(code::CANTOPEN)),
                }
            }
            // Whatever the reason (a directory included), SQLite's unix
            // VFS reports plain SQLITE_CANTOPEN.
            Err(_) => return Err(Error::code(code::CANTOPEN)),
        };
        if temp || flags.contains(OpenFlags::DELETEONCLOSE) {
            // Unlink at once: the inode lives until the descriptor closes.
            let _ = std::fs::remove_file(&os_path);
        }
        let meta = file.metadata().map_err(|e| io_err(&e, code::IOERR_FSTAT))?;
        let key = (meta.dev(), meta.ino());
        let inode = {
            let mut table = inode_table().lock();
            let info = table
                .entry(key)
                .or_insert_with(|| {
                    Arc::new(Mutex::new(InodeInfo {
                        n_shared: 0,
                        n_lock: 0,
                        level: LockLevel::None,
                        pending_close: Vec::new(),
                        n_ref: 0,
                        shm: None,
                        gate: Arc::new(super::gate::LockGate::new()),
                        process_lock: false,
                    }))
                })
                .clone();
            info.lock().n_ref += 1;
            info
        };
        let gate = inode.lock().gate.clone();
        let dirsync = create
            && !temp
            && (flags.contains(OpenFlags::MAIN_JOURNAL) || flags.contains(OpenFlags::SUPER_JOURNAL));
        Ok(Box::new(UnixFile {
            excl: excl && !readonly,
            file: Some(file),
            path,
            key,
            inode,
            gate,
            level: LockLevel::None,
            readonly,
            dirsync,
            mmap_limit: 0,
            map: None,
            shm: None,
            shm_masks: Default::default(),
            gate_hold: false,
        }))
    }
}

impl Vfs for UnixVfs {
    fn open(&self, path: Option<&str>, flags: OpenFlags) -> Result<Box<dyn VfsFile>> {
        self.open_file(path, flags, false)
    }

    fn delete(&self, path: &str, sync_dir: bool) -> Result<()> {
        match std::fs::remove_file(super::fsname::to_path(path)) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(Error::code(code::IOERR_DELETE_NOENT))
            }
            Err(_) => return Err(Error::code(code::IOERR_DELETE)),
        }
        if sync_dir {
            sync_directory_of(path).map_err(|_| Error::code(code::IOERR_DIR_FSYNC))?;
        }
        Ok(())
    }

    fn access(&self, path: &str, kind: AccessKind) -> Result<bool> {
        let meta = match std::fs::metadata(super::fsname::to_path(path)) {
            Ok(m) => m,
            Err(_) => return Ok(false),
        };
        Ok(match kind {
            // As SQLite: an empty regular file does not count as existing.
            AccessKind::Exists => !meta.is_file() || meta.len() > 0,
            AccessKind::ReadWrite => !meta.permissions().readonly(),
            AccessKind::Read => true,
        })
    }

    /// Absolute, with `.`/`..` and symbolic links resolved as SQLite's unix
    /// VFS does, so both engines agree on where the journal of a database
    /// reached through a link lives.
    fn full_pathname(&self, path: &str) -> Result<String> {
        let p = super::fsname::to_path(path);
        let abs = if p.is_absolute() {
            p.clone()
        } else {
            std::env::current_dir().map_err(|_| Error::code(code::CANTOPEN_FULLPATH))?.join(p)
        };
        if let Ok(c) = std::fs::canonicalize(&abs) {
            return Ok(super::fsname::from_path(&c));
        }
        // Not there yet: resolve the directory, keep the file name.
        if let (Some(dir), Some(name)) = (abs.parent(), abs.file_name()) {
            if let Ok(d) = std::fs::canonicalize(dir) {
                return Ok(super::fsname::from_path(&d.join(name)));
            }
        }
        Ok(super::fsname::from_path(&abs))
    }

    fn randomness(&self, buf: &mut [u8]) {
        let ok = File::open("/dev/urandom").and_then(|mut f| f.read_exact(buf)).is_ok();
        if !ok {
            let mut x = self.current_time_ms() as u64 ^ (std::process::id() as u64) << 32;
            for b in buf.iter_mut() {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                *b = x as u8;
            }
        }
    }

    fn sleep(&self, micros: u64) {
        std::thread::sleep(std::time::Duration::from_micros(micros));
    }

    fn current_time_ms(&self) -> i64 {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_millis() as i64)
            .unwrap_or(0)
    }

    fn name(&self) -> &str {
        "unix"
    }
}

fn sync_directory_of(path: &str) -> std::io::Result<()> {
    let path = super::fsname::to_path(path);
    let parent = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or_else(|| std::path::Path::new("."));
    File::open(parent)?.sync_all()
}

/// One open file of the unix VFS.
pub struct UnixFile {
    /// Opened read-write through "unix-excl" (`InodeInfo::process_lock`).
    excl: bool,
    /// `None` only while being dropped.
    file: Option<File>,
    path: String,
    key: InodeKey,
    inode: Arc<Mutex<InodeInfo>>,
    /// The inode's lock gate: told of every lock this file releases.
    gate: Arc<super::gate::LockGate>,
    /// This connection's lock level.
    level: LockLevel,
    readonly: bool,
    /// Fsync the directory on the first sync (a freshly created journal).
    dirsync: bool,
    /// PRAGMA mmap_size, and the current map of the file's first bytes
    /// (made lazily under a SHARED lock or more, dropped when the lock
    /// goes or the file is truncated).
    mmap_limit: u64,
    map: Option<memmap2::Mmap>,
    /// This connection's attachment to the shared memory, and the shm
    /// locks it holds.
    shm: Option<Arc<Mutex<shm::ShmNode>>>,
    shm_masks: super::shm::ShmMasks,
    /// This handle holds a write lock counted by the gate (RESERVED or
    /// more on the database, or the WAL write lock): see `sync_gate_hold`.
    gate_hold: bool,
}

/// Outcome of one `fcntl(F_SETLK)`.
fn posix_lock(fd: i32, ltype: i32, start: u64, len: u64) -> std::result::Result<(), i32> {
    // SAFETY: `flock` is a plain C struct of integers, valid when all-zero.
    let mut fl: libc::flock = unsafe { std::mem::zeroed() };
    fl.l_type = ltype as _;
    fl.l_whence = libc::SEEK_SET as _;
    fl.l_start = start as _;
    fl.l_len = len as _;
    // SAFETY: `fd` is an open descriptor owned by a live `File`; `fl` is a
    // valid, initialised flock that outlives the call.
    let rc = unsafe { libc::fcntl(fd, libc::F_SETLK, &mut fl as *mut libc::flock) };
    if rc == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error().raw_os_error().unwrap_or(0))
    }
}

/// The kind of lock another process holds on `len` bytes at `start`
/// (F_GETLK: F_WRLCK when there is a write lock, else F_RDLCK when there
/// is a read lock, else F_UNLCK); `Err(())` when the call fails.
fn posix_lock_kind(fd: i32, start: u64, len: u64) -> std::result::Result<i32, ()> {
    // SAFETY: `flock` is a plain C struct of integers, valid when all-zero.
    let mut fl: libc::flock = unsafe { std::mem::zeroed() };
    fl.l_type = libc::F_WRLCK as _;
    fl.l_whence = libc::SEEK_SET as _;
    fl.l_start = start as _;
    fl.l_len = len as _;
    // SAFETY: `fd` is an open descriptor owned by a live `File`; `fl` is
    // valid and outlives the call; F_GETLK only writes into it.
    let rc = unsafe { libc::fcntl(fd, libc::F_GETLK, &mut fl as *mut libc::flock) };
    if rc != 0 {
        return Err(());
    }
    Ok(fl.l_type as i32)
}

/// SQLite's mapping of a failed lock call: contention is BUSY, anything
/// else an I/O error.
fn lock_error(errno: i32, dflt: i32) -> Error {
    if errno == libc::EAGAIN || errno == libc::EACCES || errno == libc::EBUSY || errno == libc::EINTR
    {
        Error::code(code::BUSY)
    } else {
        Error::code(dflt)
    }
}

/// PRAGMA fullfsync asks for SQLITE_SYNC_FULL; only macOS has a stronger
/// sync than fsync for it (F_FULLFSYNC, which flushes the drive's cache).
fn full_fsync_wanted(flags: u32) -> bool {
    cfg!(target_os = "macos") && flags & 0x0f == super::sync_flags::FULL
}

#[cfg(target_os = "macos")]
fn full_fsync(f: &File) -> std::io::Result<()> {
    // SAFETY: the descriptor is open (owned by `f`); F_FULLFSYNC takes no
    // pointer argument.
    let rc = unsafe { libc::fcntl(f.as_raw_fd(), libc::F_FULLFSYNC) };
    if rc == 0 {
        Ok(())
    } else {
        // As SQLite: a file system without F_FULLFSYNC gets a plain fsync.
        f.sync_all()
    }
}

#[cfg(not(target_os = "macos"))]
fn full_fsync(f: &File) -> std::io::Result<()> {
    f.sync_all()
}

impl UnixFile {
    /// Maps the first min(file size, mmap_limit) bytes. Called with at
    /// least SHARED held, so no process following the locking protocol
    /// can shrink the file under the map until the lock is released, and
    /// `unlock(NONE)` and `truncate` drop the map first.
    fn remap(&mut self) {
        self.map = None;
        let Ok(f) = self.f() else { return };
        let Ok(meta) = f.metadata() else { return };
        let len = meta.len().min(self.mmap_limit);
        if len == 0 {
            return;
        }
        // SAFETY: the mapping is read-only and shared; the bytes it covers
        // exist now (len <= file size) and stay in the file while this
        // connection holds its lock (see above). Their content may change
        // under the map (other connections write pages with pwrite); reads
        // copy bytes out and never keep references, so no Rust reference
        // observes a change. A process that truncates the file against the
        // locking protocol could make an access fault, as with SQLite.
        let map = unsafe { memmap2::MmapOptions::new().len(len as usize).map(f) };
        self.map = map.ok();
    }

    fn fd(&self) -> Result<i32> {
        self.file.as_ref().map(|f| f.as_raw_fd()).ok_or_else(|| Error::code(code::IOERR_CLOSE))
    }

    fn f(&self) -> Result<&File> {
        self.file.as_ref().ok_or_else(|| Error::code(code::IOERR_CLOSE))
    }

    /// One system lock change, as SQLite's unixFileLock: through
    /// "unix-excl" the first one takes the process's lock instead and
    /// every one after is a no-op (other connections of the process are
    /// still arbitrated by the inode's counts).
    fn file_lock(&self, info: &mut InodeInfo, fd: i32, ltype: i32, start: u64, len: u64) -> std::result::Result<(), i32> {
        if !self.excl {
            return posix_lock(fd, ltype, start, len);
        }
        if !info.process_lock {
            posix_lock(fd, libc::F_WRLCK, SHARED_FIRST, SHARED_SIZE)?;
            info.process_lock = true;
            // Keeps every descriptor of the inode open until the last
            // close: closing one would drop the process's lock.
            info.n_lock += 1;
        }
        Ok(())
    }

    fn unlock_inner(&mut self, level: LockLevel, info: &mut InodeInfo) -> Result<()> {
        if self.level <= level {
            return Ok(());
        }
        let fd = self.fd()?;
        let mut rc = Ok(());
        if self.level > LockLevel::Shared {
            if level == LockLevel::Shared {
                if let Err(_e) = self.file_lock(info, fd, libc::F_RDLCK, SHARED_FIRST, SHARED_SIZE) {
                    rc = Err(Error::code(code::IOERR_RDLOCK));
                }
            }
            if self.file_lock(info, fd, libc::F_UNLCK, PENDING_BYTE, 2).is_err() && rc.is_ok() {
                rc = Err(Error::code(code::IOERR_UNLOCK));
            }
            info.level = LockLevel::Shared;
        }
        if level == LockLevel::None {
            info.n_shared = info.n_shared.saturating_sub(1);
            if info.n_shared == 0 {
                if self.file_lock(info, fd, libc::F_UNLCK, 0, 0).is_err() && rc.is_ok() {
                    rc = Err(Error::code(code::IOERR_UNLOCK));
                }
                info.level = LockLevel::None;
            }
            info.n_lock = info.n_lock.saturating_sub(1);
            if info.n_lock == 0 {
                info.pending_close.clear();
            }
        }
        // Only a write lock going away can let a waiting writer in: the
        // SHARED locks waiters drop while they retry must not wake the
        // queue.
        let was_writing = self.level > LockLevel::Shared;
        self.level = level;
        self.sync_gate_hold();
        if was_writing {
            self.gate.released();
        }
        rc
    }
}

impl UnixFile {
    /// Tells the gate when this handle starts or stops holding a write
    /// lock (RESERVED or more on the database file, or the exclusive WAL
    /// write lock, slot 0 of the `-shm` locks), so that waiters know the
    /// lock is held inside the process and its release will be announced.
    fn sync_gate_hold(&mut self) {
        let holds = self.level >= LockLevel::Reserved || self.shm_masks.excl & 1 != 0;
        if holds != self.gate_hold {
            self.gate_hold = holds;
            self.gate.hold(holds);
        }
    }
}

impl VfsFile for UnixFile {
    fn read(&mut self, buf: &mut [u8], offset: u64) -> Result<()> {
        // A database file is mapped lazily under a SHARED lock; a WAL file
        // only by `refresh_log_map`.
        if self.mmap_limit > 0 {
            if self.map.is_none() && self.level >= LockLevel::Shared {
                self.remap();
            }
            if let Some(m) = &self.map {
                let start = offset as usize;
                if let Some(src) = start.checked_add(buf.len()).and_then(|end| m.get(start..end)) {
                    buf.copy_from_slice(src);
                    return Ok(());
                }
            }
        }
        let f = self.f()?;
        let mut done = 0usize;
        while done < buf.len() {
            match f.read_at(&mut buf[done..], offset + done as u64) {
                Ok(0) => break,
                Ok(n) => done += n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(_) => return Err(Error::code(code::IOERR_READ)),
            }
        }
        if done < buf.len() {
            buf[done..].fill(0);
            return Err(Error::code(code::IOERR_SHORT_READ));
        }
        Ok(())
    }

    fn write(&mut self, buf: &[u8], offset: u64) -> Result<()> {
        let f = self.f()?;
        f.write_all_at(buf, offset).map_err(|e| match e.raw_os_error() {
            Some(libc::ENOSPC) => Error::code(code::FULL),
            _ => Error::code(code::IOERR_WRITE),
        })
    }

    fn truncate(&mut self, size: u64) -> Result<()> {
        self.map = None;
        self.f()?.set_len(size).map_err(|_| Error::code(code::IOERR_TRUNCATE))
    }

    fn sync(&mut self, flags: u32) -> Result<()> {
        let f = self.f()?;
        // As SQLite's unix VFS built where fdatasync exists (Linux):
        // fdatasync for every sync, F_FULLFSYNC only on macOS.
        let r = if full_fsync_wanted(flags) { full_fsync(f) } else { f.sync_data() };
        r.map_err(|_| Error::code(code::IOERR_FSYNC))?;
        if self.dirsync {
            self.dirsync = false;
            // Like SQLite, a failure to sync the directory is not fatal.
            let _ = sync_directory_of(&self.path);
        }
        Ok(())
    }

    fn file_size(&mut self) -> Result<u64> {
        let n = self.f()?.metadata().map_err(|_| Error::code(code::IOERR_FSTAT))?.len();
        // SQLite's unix VFS reports a 1-byte file as empty (it may write one
        // byte into new files on some filesystems), so such a file opens as
        // an empty database there rather than as SQLITE_NOTADB; do the same.
        Ok(if n == 1 { 0 } else { n })
    }

    fn lock(&mut self, level: LockLevel) -> Result<()> {
        if self.level >= level {
            return Ok(());
        }
        if level == LockLevel::Pending || (self.level == LockLevel::None && level != LockLevel::Shared)
        {
            return Err(Error::misuse());
        }
        let fd = self.fd()?;
        let inode = self.inode.clone();
        let mut info = inode.lock();
        // Another connection of this process is in the way.
        if self.level != info.level && (info.level >= LockLevel::Pending || level > LockLevel::Shared) {
            return Err(Error::code(code::BUSY));
        }
        // Shared by the process already: just count this connection.
        if level == LockLevel::Shared
            && (info.level == LockLevel::Shared || info.level == LockLevel::Reserved)
        {
            self.level = LockLevel::Shared;
            info.n_shared += 1;
            info.n_lock += 1;
            return Ok(());
        }
        // PENDING first when going for SHARED (read lock) or RESERVED ->
        // EXCLUSIVE (write lock).
        if level == LockLevel::Shared || (level == LockLevel::Exclusive && self.level == LockLevel::Reserved) {
            let t = if level == LockLevel::Shared { libc::F_RDLCK } else { libc::F_WRLCK };
            if let Err(errno) = self.file_lock(&mut info, fd, t, PENDING_BYTE, 1) {
                return Err(lock_error(errno, code::IOERR_LOCK));
            }
            if level == LockLevel::Exclusive {
                self.level = LockLevel::Pending;
                info.level = LockLevel::Pending;
            }
        }
        let rc = if level == LockLevel::Shared {
            let mut rc = self.file_lock(&mut info, fd, libc::F_RDLCK, SHARED_FIRST, SHARED_SIZE)
                .map_err(|errno| lock_error(errno, code::IOERR_LOCK));
            if self.file_lock(&mut info, fd, libc::F_UNLCK, PENDING_BYTE, 1).is_err() && rc.is_ok() {
                rc = Err(Error::code(code::IOERR_UNLOCK));
            }
            if rc.is_ok() {
                info.n_lock += 1;
                info.n_shared = 1;
            }
            rc
        } else if level == LockLevel::Exclusive && info.n_shared > 1 {
            Err(Error::code(code::BUSY))
        } else {
            let (start, len) = if level == LockLevel::Reserved {
                (RESERVED_BYTE, 1)
            } else {
                (SHARED_FIRST, SHARED_SIZE)
            };
            self.file_lock(&mut info, fd, libc::F_WRLCK, start, len).map_err(|errno| lock_error(errno, code::IOERR_LOCK))
        };
        match rc {
            Ok(()) => {
                self.level = level;
                info.level = level;
                drop(info);
                self.sync_gate_hold();
                Ok(())
            }
            Err(e) => {
                if level == LockLevel::Exclusive && self.level >= LockLevel::Reserved {
                    self.level = LockLevel::Pending;
                    info.level = LockLevel::Pending;
                }
                Err(e)
            }
        }
    }

    fn unlock(&mut self, level: LockLevel) -> Result<()> {
        if level == LockLevel::None {
            // Unlocked, another process may shrink the file: no map.
            self.map = None;
        }
        let inode = self.inode.clone();
        let mut info = inode.lock();
        self.unlock_inner(level, &mut info)
    }

    fn check_reserved_lock(&mut self) -> Result<bool> {
        let fd = self.fd()?;
        let info = self.inode.lock();
        if info.level > LockLevel::Shared {
            return Ok(true);
        }
        if info.process_lock {
            // unix-excl: no other process can hold a lock on this file.
            return Ok(false);
        }
        let kind = posix_lock_kind(fd, RESERVED_BYTE, 1).map_err(|()| Error::code(code::IOERR_CHECKRESERVEDLOCK))?;
        Ok(kind != libc::F_UNLCK)
    }

    fn lock_level(&self) -> LockLevel {
        self.level
    }

    fn sector_size(&self) -> u32 {
        4096
    }

    fn device_characteristics(&self) -> u32 {
        iocap::POWERSAFE_OVERWRITE
    }

    fn set_mmap_limit(&mut self, limit: u64) {
        if limit != self.mmap_limit {
            self.mmap_limit = limit;
            self.map = None;
        }
    }

    fn refresh_log_map(&mut self) {
        if self.mmap_limit == 0 {
            self.map = None;
            return;
        }
        let size = self.f().and_then(|f| f.metadata().map_err(|_| Error::code(code::IOERR_FSTAT))).map(|m| m.len());
        let want = size.map(|s| s.min(self.mmap_limit)).unwrap_or(0);
        // The map must never cover bytes the file no longer has: remap
        // whenever its length differs.
        if self.map.as_ref().map_or(0, |m| m.len() as u64) != want {
            self.remap();
        }
    }

    fn is_readonly(&self) -> bool {
        self.readonly
    }

    fn has_shm(&self) -> bool {
        true
    }

    fn shm_map(&mut self, region: u32, extend: bool) -> Result<Option<super::ShmRegion>> {
        self.shm_map_impl(region, extend)
    }

    fn shm_read_copy(&mut self, region: u32) -> Result<Option<super::ShmRegion>> {
        self.shm_read_copy_impl(region)
    }

    fn shm_lock(&mut self, ofst: u32, n: u32, flags: u32) -> Result<()> {
        let r = self.shm_lock_impl(ofst, n, flags);
        self.sync_gate_hold();
        // The WAL write lock and the checkpointer's are exclusive ones.
        if flags & super::shm_flags::UNLOCK != 0 && flags & super::shm_flags::EXCLUSIVE != 0 {
            self.gate.released();
        }
        r
    }

    fn lock_gate(&self) -> Option<Arc<super::gate::LockGate>> {
        Some(self.gate.clone())
    }

    fn shm_unmap(&mut self, delete: bool) -> Result<()> {
        self.shm_unmap_impl(delete)
    }
}


impl Drop for UnixFile {
    fn drop(&mut self) {
        let _ = self.shm_unmap_impl(false);
        self.shm_masks = Default::default();
        let inode = self.inode.clone();
        let mut table = inode_table().lock();
        let mut info = inode.lock();
        let _ = self.unlock_inner(LockLevel::None, &mut info);
        self.level = LockLevel::None;
        self.sync_gate_hold();
        if let Some(f) = self.file.take() {
            if info.n_lock > 0 {
                // Closing now would drop the locks other connections of
                // this process hold on the file.
                info.pending_close.push(f);
            }
        }
        info.n_ref = info.n_ref.saturating_sub(1);
        if info.n_ref == 0 {
            info.pending_close.clear();
            table.remove(&self.key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tmp(name: &str) -> String {
        let d = std::env::temp_dir().join(format!("ferrolite-os-{}-{}", std::process::id(), name));
        let _ = std::fs::remove_file(&d);
        d.to_string_lossy().into_owned()
    }

    #[test]
    fn a_log_map_follows_the_file_size_at_each_refresh() {
        let vfs = UnixVfs;
        let p = tmp("logmap");
        let fl = OpenFlags::READWRITE | OpenFlags::CREATE;
        let mut log = vfs.open(Some(&p), fl).unwrap();
        let mut other = vfs.open(Some(&p), fl).unwrap();
        log.set_mmap_limit(1 << 20);
        other.write(&[7u8; 8192], 0).unwrap();
        log.refresh_log_map();
        let mut buf = [0u8; 4096];
        log.read(&mut buf, 4096).unwrap();
        assert_eq!(buf, [7u8; 4096]);
        // Writes through another handle show through the shared map.
        other.write(&[8u8; 4096], 4096).unwrap();
        log.read(&mut buf, 4096).unwrap();
        assert_eq!(buf, [8u8; 4096]);
        // Cut short by another handle: after the next refresh the map
        // covers only what is left, and reads past it are short reads.
        other.truncate(100).unwrap();
        log.refresh_log_map();
        assert_eq!(log.read(&mut buf, 0).unwrap_err().extended_code(), code::IOERR_SHORT_READ);
        other.write(&[9u8; 8192], 0).unwrap();
        log.refresh_log_map();
        log.read(&mut buf, 4096).unwrap();
        assert_eq!(buf, [9u8; 4096]);
        // mmap_size 0: no map, plain reads.
        log.set_mmap_limit(0);
        log.refresh_log_map();
        log.read(&mut buf, 0).unwrap();
        assert_eq!(buf, [9u8; 4096]);
        drop((log, other));
        vfs.delete(&p, false).unwrap();
    }

    #[test]
    fn short_read_zero_fills() {
        let vfs = UnixVfs;
        let p = tmp("short");
        let mut f = vfs.open(Some(&p), OpenFlags::READWRITE | OpenFlags::CREATE).unwrap();
        f.write(b"abc", 0).unwrap();
        let mut buf = [9u8; 6];
        let e = f.read(&mut buf, 1).unwrap_err();
        assert_eq!(e.extended_code(), code::IOERR_SHORT_READ);
        assert_eq!(&buf, b"bc\0\0\0\0");
        drop(f);
        vfs.delete(&p, false).unwrap();
    }

    #[test]
    fn locks_between_connections_of_one_process() {
        let vfs = UnixVfs;
        let p = tmp("locks");
        let fl = OpenFlags::READWRITE | OpenFlags::CREATE;
        let mut a = vfs.open(Some(&p), fl).unwrap();
        let mut b = vfs.open(Some(&p), fl).unwrap();
        a.lock(LockLevel::Shared).unwrap();
        b.lock(LockLevel::Shared).unwrap();
        a.lock(LockLevel::Reserved).unwrap();
        assert!(b.check_reserved_lock().unwrap());
        assert_eq!(b.lock(LockLevel::Reserved).unwrap_err().primary_code(), code::BUSY);
        // b still reads: a's EXCLUSIVE fails while b holds SHARED.
        assert_eq!(a.lock(LockLevel::Exclusive).unwrap_err().primary_code(), code::BUSY);
        assert_eq!(a.lock_level(), LockLevel::Pending);
        b.unlock(LockLevel::None).unwrap();
        // PENDING keeps new readers out.
        assert_eq!(b.lock(LockLevel::Shared).unwrap_err().primary_code(), code::BUSY);
        a.lock(LockLevel::Exclusive).unwrap();
        // Closing another connection's descriptor must not drop a's lock.
        let c = vfs.open(Some(&p), fl).unwrap();
        drop(c);
        a.unlock(LockLevel::Shared).unwrap();
        b.lock(LockLevel::Shared).unwrap();
        a.unlock(LockLevel::None).unwrap();
        b.unlock(LockLevel::None).unwrap();
        drop(a);
        drop(b);
        vfs.delete(&p, true).unwrap();
    }

    #[test]
    fn full_pathname_resolves_links() {
        let vfs = UnixVfs;
        let real = tmp("real.db");
        std::fs::write(&real, b"x").unwrap();
        let link = tmp("link.db");
        let _ = std::fs::remove_file(&link);
        std::os::unix::fs::symlink(&real, &link).unwrap();
        let want = std::fs::canonicalize(&real).unwrap().to_string_lossy().into_owned();
        assert_eq!(vfs.full_pathname(&link).unwrap(), want);
        let dir = std::path::Path::new(&real).parent().unwrap().to_string_lossy().into_owned();
        let dotted = format!("{dir}/./nonexistent.db");
        assert!(vfs.full_pathname(&dotted).unwrap().ends_with("/nonexistent.db"));
        assert!(!vfs.full_pathname(&dotted).unwrap().contains("/./"));
        let _ = std::fs::remove_file(&link);
        let _ = std::fs::remove_file(&real);
    }

    #[test]
    fn temp_file_vanishes() {
        let vfs = UnixVfs;
        let mut f = vfs.open(None, OpenFlags::READWRITE).unwrap();
        f.write(&[1, 2, 3], 10).unwrap();
        assert_eq!(f.file_size().unwrap(), 13);
    }
}
