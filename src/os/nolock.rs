//! Files whose database locks are not taken.
//!
//! - `NoLockFile`: the file behind a `file:...?immutable=1` name, which
//!   SQLite reads as a file that nothing changes (no locks, no journal, no
//!   WAL, read-only), and every file of the "unix-none" VFS.
//! - `NoLockVfs`: SQLite's "unix-none": the unix VFS whose files never take
//!   the database lock bytes (the application promises that nobody else
//!   writes the database at the same time). Shared memory for WAL is the
//!   unix VFS's, locks included, as in SQLite.
//!
//! Every call goes to the wrapped file except the locks: `lock` and
//! `unlock` only record the level asked for, and nobody else is ever
//! seen holding one. Invariant: an immutable file is open read-only, so
//! not locking it cannot let this connection damage it; for unix-none,
//! safety is the application's promise.

use super::{AccessKind, LockLevel, OpenFlags, ShmRegion, Vfs, VfsFile};
use crate::error::Result;

/// SQLite's "unix-none" VFS over `inner` (the unix VFS).
pub struct NoLockVfs<V: Vfs> {
    inner: V,
}

impl<V: Vfs> NoLockVfs<V> {
    pub fn new(inner: V) -> NoLockVfs<V> {
        NoLockVfs { inner }
    }
}

impl<V: Vfs> Vfs for NoLockVfs<V> {
    fn open(&self, path: Option<&str>, flags: OpenFlags) -> Result<Box<dyn VfsFile>> {
        Ok(Box::new(NoLockFile::new(self.inner.open(path, flags)?)))
    }
    fn delete(&self, path: &str, sync_dir: bool) -> Result<()> {
        self.inner.delete(path, sync_dir)
    }
    fn access(&self, path: &str, kind: AccessKind) -> Result<bool> {
        self.inner.access(path, kind)
    }
    fn full_pathname(&self, path: &str) -> Result<String> {
        self.inner.full_pathname(path)
    }
    fn randomness(&self, buf: &mut [u8]) {
        self.inner.randomness(buf)
    }
    fn sleep(&self, micros: u64) {
        self.inner.sleep(micros)
    }
    fn current_time_ms(&self) -> i64 {
        self.inner.current_time_ms()
    }
    fn name(&self) -> &str {
        "unix-none"
    }
}

pub struct NoLockFile {
    inner: Box<dyn VfsFile>,
    level: LockLevel,
}

impl NoLockFile {
    pub fn new(inner: Box<dyn VfsFile>) -> NoLockFile {
        NoLockFile { inner, level: LockLevel::None }
    }
}

impl VfsFile for NoLockFile {
    fn read(&mut self, buf: &mut [u8], offset: u64) -> Result<()> {
        self.inner.read(buf, offset)
    }
    fn write(&mut self, buf: &[u8], offset: u64) -> Result<()> {
        self.inner.write(buf, offset)
    }
    fn truncate(&mut self, size: u64) -> Result<()> {
        self.inner.truncate(size)
    }
    fn sync(&mut self, flags: u32) -> Result<()> {
        self.inner.sync(flags)
    }
    fn file_size(&mut self) -> Result<u64> {
        self.inner.file_size()
    }
    fn lock(&mut self, level: LockLevel) -> Result<()> {
        self.level = self.level.max(level);
        Ok(())
    }
    fn unlock(&mut self, level: LockLevel) -> Result<()> {
        self.level = self.level.min(level);
        Ok(())
    }
    fn check_reserved_lock(&mut self) -> Result<bool> {
        Ok(false)
    }
    fn lock_level(&self) -> LockLevel {
        self.level
    }
    fn sector_size(&self) -> u32 {
        self.inner.sector_size()
    }
    fn device_characteristics(&self) -> u32 {
        self.inner.device_characteristics()
    }
    fn is_readonly(&self) -> bool {
        self.inner.is_readonly()
    }
    fn set_mmap_limit(&mut self, limit: u64) {
        self.inner.set_mmap_limit(limit)
    }
    fn has_shm(&self) -> bool {
        self.inner.has_shm()
    }
    fn shm_map(&mut self, region: u32, extend: bool) -> Result<Option<ShmRegion>> {
        self.inner.shm_map(region, extend)
    }
    fn shm_lock(&mut self, ofst: u32, n: u32, flags: u32) -> Result<()> {
        self.inner.shm_lock(ofst, n, flags)
    }
    fn shm_barrier(&mut self) {
        self.inner.shm_barrier()
    }
    fn shm_unmap(&mut self, delete: bool) -> Result<()> {
        self.inner.shm_unmap(delete)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::os::UnixVfs;

    #[test]
    fn unix_none_takes_no_database_locks() {
        let dir = std::env::temp_dir().join(format!("ferrolite-nolock-{}", std::process::id()));
        let _ = std::fs::create_dir_all(&dir);
        let path = crate::os::fsname::from_path(&dir.join("x.db"));
        let vfs = NoLockVfs::new(UnixVfs::new());
        assert_eq!(vfs.name(), "unix-none");
        let fl = OpenFlags::READWRITE | OpenFlags::CREATE | OpenFlags::MAIN_DB;
        let (Ok(mut a), Ok(mut b)) = (vfs.open(Some(&path), fl), vfs.open(Some(&path), fl)) else { panic!("open failed") };
        assert!(a.lock(LockLevel::Exclusive).is_ok());
        assert!(b.lock(LockLevel::Exclusive).is_ok());
        assert!(!b.check_reserved_lock().unwrap_or(true));
        assert!(a.unlock(LockLevel::None).is_ok());
        assert_eq!(a.lock_level(), LockLevel::None);
        // A plain unix connection sees no lock either: none was taken.
        let Ok(mut c) = UnixVfs::new().open(Some(&path), fl) else { panic!("open failed") };
        assert!(c.lock(LockLevel::Shared).is_ok());
        assert!(c.lock(LockLevel::Exclusive).is_ok());
        drop((a, b, c));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
