//! An in-memory VFS: files are byte vectors held by the process.
//!
//! Named files live in the VFS's own table (shared by every handle of that
//! `MemoryVfs`) until deleted; nameless files are private to their handle
//! and vanish on close. Locks follow the same five-level rules as the unix
//! VFS, arbitrated per file within the process (there is no other process
//! to see them), so several connections to one named memory file exclude
//! each other exactly as they would on disk.
//!
//! Shared memory (for WAL) is heap regions hung from the file, shared by
//! every handle on it, with the shm locks arbitrated by `ShmLocks` (no
//! system locks: nobody outside the process can see the file). The
//! regions go when the last handle detaches.

use std::collections::HashMap;
use std::sync::Arc;

use parking_lot::Mutex;

use super::shm::{ShmLocks, ShmMasks};
use super::{AccessKind, LockLevel, OpenFlags, ShmRegion, Vfs, VfsFile};
use crate::error::{code, Error, Result};

#[derive(Default)]
struct MemData {
    bytes: Vec<u8>,
    /// Connections holding SHARED or more.
    n_shared: u32,
    /// Strongest lock held by any connection.
    level: LockLevel,
    /// Shared memory: regions, locks, handles attached.
    shm_regions: Vec<ShmRegion>,
    shm_locks: ShmLocks,
    shm_refs: u32,
}

/// The in-memory VFS ("memdb").
#[derive(Default)]
pub struct MemoryVfs {
    files: Mutex<HashMap<String, Arc<Mutex<MemData>>>>,
}

impl MemoryVfs {
    pub fn new() -> MemoryVfs {
        MemoryVfs::default()
    }
}

impl Vfs for MemoryVfs {
    fn open(&self, path: Option<&str>, flags: OpenFlags) -> Result<Box<dyn VfsFile>> {
        let data = match path {
            None => Arc::new(Mutex::new(MemData::default())),
            Some(p) => {
                let mut files = self.files.lock();
                match files.get(p) {
                    Some(d) => d.clone(),
                    None if flags.contains(OpenFlags::CREATE) => {
                        let d = Arc::new(Mutex::new(MemData::default()));
                        files.insert(p.to_string(), d.clone());
                        d
                    }
                    None => return Err(Error::code(code::CANTOPEN)),
                }
            }
        };
        Ok(Box::new(MemFile { data, level: LockLevel::None, shm: None }))
    }

    fn delete(&self, path: &str, _sync_dir: bool) -> Result<()> {
        match self.files.lock().remove(path) {
            Some(_) => Ok(()),
            None => Err(Error::code(code::IOERR_DELETE_NOENT)),
        }
    }

    fn access(&self, path: &str, kind: AccessKind) -> Result<bool> {
        let files = self.files.lock();
        Ok(match files.get(path) {
            None => false,
            Some(d) => kind != AccessKind::Exists || !d.lock().bytes.is_empty(),
        })
    }

    fn full_pathname(&self, path: &str) -> Result<String> {
        Ok(path.to_string())
    }

    fn randomness(&self, buf: &mut [u8]) {
        super::UnixVfs.randomness(buf)
    }

    fn sleep(&self, micros: u64) {
        std::thread::sleep(std::time::Duration::from_micros(micros));
    }

    fn current_time_ms(&self) -> i64 {
        super::UnixVfs.current_time_ms()
    }

    fn name(&self) -> &str {
        "memdb"
    }
}

/// One handle on an in-memory file.
pub struct MemFile {
    data: Arc<Mutex<MemData>>,
    level: LockLevel,
    /// The shm locks this handle holds, once attached to shared memory.
    shm: Option<ShmMasks>,
}

impl MemFile {
    /// A private, nameless in-memory file.
    pub fn new() -> MemFile {
        MemFile { data: Arc::new(Mutex::new(MemData::default())), level: LockLevel::None, shm: None }
    }
}

impl Default for MemFile {
    fn default() -> MemFile {
        MemFile::new()
    }
}

impl VfsFile for MemFile {
    fn read(&mut self, buf: &mut [u8], offset: u64) -> Result<()> {
        let d = self.data.lock();
        let len = d.bytes.len() as u64;
        let avail = if offset >= len { 0 } else { ((len - offset) as usize).min(buf.len()) };
        if avail > 0 {
            let o = offset as usize;
            buf[..avail].copy_from_slice(&d.bytes[o..o + avail]);
        }
        if avail < buf.len() {
            buf[avail..].fill(0);
            return Err(Error::code(code::IOERR_SHORT_READ));
        }
        Ok(())
    }

    fn write(&mut self, buf: &[u8], offset: u64) -> Result<()> {
        let mut d = self.data.lock();
        let end = offset
            .checked_add(buf.len() as u64)
            .filter(|&e| e <= isize::MAX as u64)
            .ok_or_else(|| Error::code(code::FULL))? as usize;
        if d.bytes.len() < end {
            d.bytes.resize(end, 0);
        }
        d.bytes[offset as usize..end].copy_from_slice(buf);
        Ok(())
    }

    fn truncate(&mut self, size: u64) -> Result<()> {
        let mut d = self.data.lock();
        if (size as usize) < d.bytes.len() {
            d.bytes.truncate(size as usize);
        }
        Ok(())
    }

    fn sync(&mut self, _flags: u32) -> Result<()> {
        Ok(())
    }

    fn file_size(&mut self) -> Result<u64> {
        Ok(self.data.lock().bytes.len() as u64)
    }

    fn lock(&mut self, level: LockLevel) -> Result<()> {
        if self.level >= level {
            return Ok(());
        }
        let mut d = self.data.lock();
        if self.level != d.level && (d.level >= LockLevel::Pending || level > LockLevel::Shared) {
            return Err(Error::code(code::BUSY));
        }
        match level {
            LockLevel::Shared => {
                d.n_shared += 1;
                if d.level < LockLevel::Shared {
                    d.level = LockLevel::Shared;
                }
            }
            LockLevel::Reserved => d.level = LockLevel::Reserved,
            LockLevel::Exclusive => {
                if d.n_shared > 1 {
                    self.level = LockLevel::Pending;
                    d.level = LockLevel::Pending;
                    return Err(Error::code(code::BUSY));
                }
                d.level = LockLevel::Exclusive;
            }
            _ => return Err(Error::misuse()),
        }
        self.level = level;
        Ok(())
    }

    fn unlock(&mut self, level: LockLevel) -> Result<()> {
        if self.level <= level {
            return Ok(());
        }
        let mut d = self.data.lock();
        if self.level > LockLevel::Shared {
            d.level = LockLevel::Shared;
        }
        if level == LockLevel::None {
            d.n_shared = d.n_shared.saturating_sub(1);
            if d.n_shared == 0 {
                d.level = LockLevel::None;
            }
        }
        self.level = level;
        Ok(())
    }

    fn check_reserved_lock(&mut self) -> Result<bool> {
        Ok(self.data.lock().level > LockLevel::Shared)
    }

    fn lock_level(&self) -> LockLevel {
        self.level
    }

    fn sector_size(&self) -> u32 {
        512
    }

    fn device_characteristics(&self) -> u32 {
        super::iocap::POWERSAFE_OVERWRITE | super::iocap::SAFE_APPEND | super::iocap::SEQUENTIAL
    }

    fn has_shm(&self) -> bool {
        true
    }

    fn shm_map(&mut self, region: u32, extend: bool) -> Result<Option<ShmRegion>> {
        let mut d = self.data.lock();
        if self.shm.is_none() {
            self.shm = Some(ShmMasks::default());
            d.shm_refs += 1;
        }
        while extend && d.shm_regions.len() <= region as usize {
            d.shm_regions.push(ShmRegion::heap());
        }
        Ok(d.shm_regions.get(region as usize).cloned())
    }

    fn shm_lock(&mut self, ofst: u32, n: u32, flags: u32) -> Result<()> {
        let Some(me) = self.shm.as_mut() else { return Err(Error::code(code::IOERR_SHMLOCK)) };
        let mut d = self.data.lock();
        d.shm_locks.apply(me, ofst, n, flags, |_, _, _| Ok(()))
    }

    fn shm_unmap(&mut self, _delete: bool) -> Result<()> {
        let Some(mut me) = self.shm.take() else { return Ok(()) };
        let mut d = self.data.lock();
        d.shm_locks.release_all(&mut me, |_, _, _| Ok(()));
        d.shm_refs = d.shm_refs.saturating_sub(1);
        if d.shm_refs == 0 {
            d.shm_regions.clear();
        }
        Ok(())
    }
}

impl Drop for MemFile {
    fn drop(&mut self) {
        let _ = self.shm_unmap(false);
        let _ = self.unlock(LockLevel::None);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn named_files_are_shared_and_locked() {
        let vfs = MemoryVfs::new();
        let fl = OpenFlags::READWRITE | OpenFlags::CREATE;
        let mut a = vfs.open(Some("x"), fl).unwrap();
        let mut b = vfs.open(Some("x"), fl).unwrap();
        a.write(b"hello", 0).unwrap();
        let mut buf = [0u8; 5];
        b.read(&mut buf, 0).unwrap();
        assert_eq!(&buf, b"hello");
        a.lock(LockLevel::Shared).unwrap();
        b.lock(LockLevel::Shared).unwrap();
        a.lock(LockLevel::Reserved).unwrap();
        assert!(b.lock(LockLevel::Reserved).is_err());
        assert!(a.lock(LockLevel::Exclusive).is_err());
        b.unlock(LockLevel::None).unwrap();
        a.lock(LockLevel::Exclusive).unwrap();
        assert!(vfs.access("x", AccessKind::Exists).unwrap());
        drop(a);
        drop(b);
        vfs.delete("x", false).unwrap();
        assert!(!vfs.access("x", AccessKind::Exists).unwrap());
    }

    #[test]
    fn heap_shm_is_shared_per_file() {
        use crate::os::shm_flags::*;
        let vfs = MemoryVfs::new();
        let fl = OpenFlags::READWRITE | OpenFlags::CREATE;
        let mut a = vfs.open(Some("w"), fl).unwrap();
        let mut b = vfs.open(Some("w"), fl).unwrap();
        assert!(a.shm_map(0, false).unwrap().is_none());
        let r = a.shm_map(1, true).unwrap().unwrap();
        r.set_u32(4, 9);
        assert_eq!(b.shm_map(1, false).unwrap().unwrap().get_u32(4), 9);
        a.shm_lock(0, 1, LOCK | EXCLUSIVE).unwrap();
        assert!(b.shm_lock(0, 1, LOCK | SHARED).is_err());
        drop(a);
        b.shm_lock(0, 1, LOCK | EXCLUSIVE).unwrap();
    }
}
