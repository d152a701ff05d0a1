//! The OS interface (VFS): how the pager reaches files, locks, time and
//! randomness, shaped like SQLite's `sqlite3_vfs` / `sqlite3_io_methods`.
//!
//! `Vfs` opens, deletes and probes files by name; `VfsFile` is one open file
//! with positional reads and writes, syncs and the five-level database lock
//! (NONE < SHARED < RESERVED < PENDING < EXCLUSIVE). Invariants every
//! implementation keeps:
//! - a short read zero-fills the rest of the buffer and returns
//!   `IOERR_SHORT_READ`, exactly as SQLite's VFSes do;
//! - `lock(level)` never lowers a lock and `unlock(level)` never raises one;
//!   a request for a level already held (or lower) succeeds at once;
//! - files opened with no path are temporary and vanish on close.
//!
//! `unix` is the real implementation (POSIX advisory locks, byte-compatible
//! with SQLite's unix VFS); `memory` keeps files in process memory;
//! `memdb` is one file over an application's buffer (sqlite3_deserialize).
//! `fsname` is how file names (bytes on unix) are held in the engine's
//! Strings: every path a `Vfs` receives or returns is in that form.
//! `nolock` is "unix-none" (and immutable files). An application's VFS
//! written in C is a `Vfs` too (capi/src/vfs/app.rs); `set_vfs_finder`
//! lets ATTACH find a VFS by name in the C API's registry.

pub mod fsname;
pub mod gate;
pub mod memdb;
pub mod memory;
pub mod nolock;
pub mod shm;
pub mod unix;

use crate::error::{code, Error, Result};

pub use memory::MemoryVfs;
pub use shm::{shm_flags, ShmRegion, SHM_NLOCK, SHM_REGION_SIZE};
pub use unix::UnixVfs;

/// Flags for `Vfs::open`, numbered as SQLite's `SQLITE_OPEN_*`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct OpenFlags(pub u32);

impl OpenFlags {
    pub const READONLY: OpenFlags = OpenFlags(0x0000_0001);
    pub const READWRITE: OpenFlags = OpenFlags(0x0000_0002);
    pub const CREATE: OpenFlags = OpenFlags(0x0000_0004);
    pub const DELETEONCLOSE: OpenFlags = OpenFlags(0x0000_0008);
    pub const EXCLUSIVE: OpenFlags = OpenFlags(0x0000_0010);
    pub const URI: OpenFlags = OpenFlags(0x0000_0040);
    pub const MEMORY: OpenFlags = OpenFlags(0x0000_0080);
    pub const MAIN_DB: OpenFlags = OpenFlags(0x0000_0100);
    pub const TEMP_DB: OpenFlags = OpenFlags(0x0000_0200);
    pub const TRANSIENT_DB: OpenFlags = OpenFlags(0x0000_0400);
    pub const MAIN_JOURNAL: OpenFlags = OpenFlags(0x0000_0800);
    pub const TEMP_JOURNAL: OpenFlags = OpenFlags(0x0000_1000);
    pub const SUBJOURNAL: OpenFlags = OpenFlags(0x0000_2000);
    pub const SUPER_JOURNAL: OpenFlags = OpenFlags(0x0000_4000);
    pub const NOMUTEX: OpenFlags = OpenFlags(0x0000_8000);
    pub const FULLMUTEX: OpenFlags = OpenFlags(0x0001_0000);
    pub const SHAREDCACHE: OpenFlags = OpenFlags(0x0002_0000);
    pub const PRIVATECACHE: OpenFlags = OpenFlags(0x0004_0000);
    pub const WAL: OpenFlags = OpenFlags(0x0008_0000);
    /// Ferrolite's own, never passed to a VFS: the name said
    /// `immutable=1` (read-only, no locks, no journal, no WAL).
    pub const IMMUTABLE: OpenFlags = OpenFlags(0x4000_0000);

    /// True when every bit of `other` is set in `self`.
    pub fn contains(self, other: OpenFlags) -> bool {
        self.0 & other.0 == other.0
    }
}

impl std::ops::BitOr for OpenFlags {
    type Output = OpenFlags;
    fn bitor(self, rhs: OpenFlags) -> OpenFlags {
        OpenFlags(self.0 | rhs.0)
    }
}

/// What `Vfs::access` asks, as `SQLITE_ACCESS_*`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AccessKind {
    Exists,
    ReadWrite,
    Read,
}

/// The five database lock levels, numbered as SQLite numbers them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Default)]
pub enum LockLevel {
    #[default]
    None = 0,
    Shared = 1,
    Reserved = 2,
    Pending = 3,
    Exclusive = 4,
}

/// `sync` flags, as `SQLITE_SYNC_*`.
pub mod sync_flags {
    pub const NORMAL: u32 = 0x02;
    pub const FULL: u32 = 0x03;
    pub const DATAONLY: u32 = 0x10;
}

/// `device_characteristics` bits, as `SQLITE_IOCAP_*`.
pub mod iocap {
    pub const ATOMIC: u32 = 0x0000_0001;
    pub const SAFE_APPEND: u32 = 0x0000_0200;
    pub const SEQUENTIAL: u32 = 0x0000_0400;
    pub const UNDELETABLE_WHEN_OPEN: u32 = 0x0000_0800;
    pub const POWERSAFE_OVERWRITE: u32 = 0x0000_1000;
}

/// SQLite's lock bytes: the same offsets in every database file, whatever
/// its page size, so SQLite processes and Ferrolite processes see each
/// other's locks. The page holding `PENDING_BYTE` is never used for data.
pub const PENDING_BYTE: u64 = 0x4000_0000;
pub const RESERVED_BYTE: u64 = PENDING_BYTE + 1;
pub const SHARED_FIRST: u64 = PENDING_BYTE + 2;
pub const SHARED_SIZE: u64 = 510;

/// Finds the VFS for a database file: `name` (a `vfs=` URI parameter, or
/// the connection's VFS name), `uri` the file name as written (its URI
/// parameters reach an application VFS). `Err` "no such vfs: NAME".
pub type VfsFinder = fn(name: &str, uri: &str) -> Result<std::sync::Arc<dyn Vfs>>;

static FINDER: std::sync::OnceLock<VfsFinder> = std::sync::OnceLock::new();

/// Installs the process's VFS finder (the C API's registry), once.
pub fn set_vfs_finder(f: VfsFinder) {
    let _ = FINDER.set(f);
}

/// The VFS named `name` for file `uri`, if a finder is installed.
pub fn find_vfs(name: &str, uri: &str) -> Option<Result<std::sync::Arc<dyn Vfs>>> {
    FINDER.get().map(|f| f(name, uri))
}

/// A VFS: the file system as SQLite's core sees it.
pub trait Vfs: Send + Sync {
    /// Opens (or creates, with `CREATE`) a file. `None` = a temporary file,
    /// deleted on close.
    fn open(&self, path: Option<&str>, flags: OpenFlags) -> Result<Box<dyn VfsFile>>;
    /// Deletes a file; with `sync_dir`, makes the deletion durable.
    fn delete(&self, path: &str, sync_dir: bool) -> Result<()>;
    fn access(&self, path: &str, kind: AccessKind) -> Result<bool>;
    fn full_pathname(&self, path: &str) -> Result<String>;
    fn randomness(&self, buf: &mut [u8]);
    fn sleep(&self, micros: u64);
    /// Milliseconds since the Unix epoch.
    fn current_time_ms(&self) -> i64;
    fn name(&self) -> &str;
}

/// One open file.
pub trait VfsFile: Send {
    /// Reads `buf.len()` bytes at `offset`. Past the end of file: the rest of
    /// `buf` is zero-filled and the result is `Err(IOERR_SHORT_READ)`.
    fn read(&mut self, buf: &mut [u8], offset: u64) -> Result<()>;
    fn write(&mut self, buf: &[u8], offset: u64) -> Result<()>;
    fn truncate(&mut self, size: u64) -> Result<()>;
    /// `flags`: `sync_flags::NORMAL` or `FULL`, optionally `| DATAONLY`.
    fn sync(&mut self, flags: u32) -> Result<()>;
    fn file_size(&mut self) -> Result<u64>;
    /// Raises the lock to `level` (SHARED, RESERVED or EXCLUSIVE).
    /// `Err(BUSY)` when another connection's lock is in the way.
    fn lock(&mut self, level: LockLevel) -> Result<()>;
    /// Lowers the lock to `level` (SHARED or NONE).
    fn unlock(&mut self, level: LockLevel) -> Result<()>;
    /// True when any connection (in any process) holds RESERVED or more.
    fn check_reserved_lock(&mut self) -> Result<bool>;
    fn lock_level(&self) -> LockLevel;
    /// The process-wide gate where connections wait for this file's locks
    /// (`gate`), for a VFS whose locks other connections of the process
    /// can hold; None otherwise.
    fn lock_gate(&self) -> Option<std::sync::Arc<gate::LockGate>> {
        None
    }
    fn sector_size(&self) -> u32;
    fn device_characteristics(&self) -> u32;
    /// The deserialized buffer behind this file, if it is one.
    fn as_memdb(&self) -> Option<&memdb::MemdbFile> {
        None
    }
    /// True when the file was opened (or could only be opened) read-only.
    fn is_readonly(&self) -> bool {
        false
    }
    /// PRAGMA mmap_size: reads within the first `limit` bytes of the file
    /// may come from a memory map (0: never). A VFS without maps ignores it.
    fn set_mmap_limit(&mut self, limit: u64) {
        let _ = limit;
    }
    /// For a WAL file, at the start of a read transaction: maps its first
    /// min(size, mmap limit) bytes now, so that frame reads may come from
    /// the map. The caller vouches that the frames it reads until the next
    /// call stay in the file (they are in its snapshot, which the WAL's
    /// read lock protects from a restart or truncation). A VFS without
    /// maps ignores it.
    fn refresh_log_map(&mut self) {}
    /// sqlite3_file_control on an application VFS's file: its
    /// xFileControl's answer (`arg` is the caller's pointer, never
    /// dereferenced here). None for Ferrolite's own files, whose
    /// operations the C API answers itself.
    fn file_control(&mut self, op: i32, arg: *mut std::ffi::c_void) -> Option<i32> {
        let _ = (op, arg);
        None
    }

    // Shared memory for the WAL index (SQLite's xShm* methods). A VFS
    // without shared memory keeps these defaults; WAL then needs
    // locking_mode=EXCLUSIVE.

    /// True when the `shm_*` methods work.
    fn has_shm(&self) -> bool {
        false
    }
    /// Region `region` (32 KiB each) of the shared memory tied to this
    /// database file, opening it on first use. When the region does not
    /// exist yet: created if `extend`, else `Ok(None)`.
    fn shm_map(&mut self, region: u32, extend: bool) -> Result<Option<ShmRegion>> {
        let _ = (region, extend);
        Err(Error::with_message(code::IOERR_SHMOPEN, "shared memory is not supported by this VFS"))
    }
    /// A private copy of region `region` as it is now (`Ok(None)` when the
    /// region does not exist), for a connection that may not map it: one
    /// whose `shm_map` said SQLITE_READONLY (the `-shm` cannot be written
    /// and another process is attached to it).
    fn shm_read_copy(&mut self, region: u32) -> Result<Option<ShmRegion>> {
        let _ = region;
        Err(Error::code(code::READONLY_CANTINIT))
    }
    /// Takes or releases shm locks `ofst..ofst+n` (0 WRITE, 1 CKPT,
    /// 2 RECOVER, 3..=7 READ0..4); `flags` as `shm_flags`. `Err(BUSY)` when
    /// another connection (of any process) is in the way.
    fn shm_lock(&mut self, ofst: u32, n: u32, flags: u32) -> Result<()> {
        let _ = (ofst, n, flags);
        Err(Error::code(code::IOERR_SHMLOCK))
    }
    /// A full memory barrier between shm accesses.
    fn shm_barrier(&mut self) {
        shm::barrier();
    }
    /// Detaches from the shared memory (releasing its locks); the last
    /// connection of the process with `delete` also removes the `-shm` file.
    fn shm_unmap(&mut self, delete: bool) -> Result<()> {
        let _ = delete;
        Ok(())
    }
}
