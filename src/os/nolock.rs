//! A database file whose locks are not taken: the file behind a
//! `file:...?immutable=1` name, which SQLite reads as a file that nothing
//! changes (no locks, no journal, no WAL, read-only).
//!
//! Every call goes to the wrapped file except the locks: `lock` and
//! `unlock` only record the level asked for, and nobody else is ever
//! seen holding one. Invariant: the wrapped file is open read-only, so
//! not locking it cannot let this connection damage it.

use super::{LockLevel, VfsFile};
use crate::error::Result;

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
}
