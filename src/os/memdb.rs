//! A database file that is a memory buffer the application handed over
//! (sqlite3_deserialize), as SQLite's memdb VFS keeps one.
//!
//! The file's bytes are the buffer itself: reads and writes go straight
//! to it, so `sqlite3_serialize(..., SQLITE_SERIALIZE_NOCOPY)` can return
//! it. The buffer has an allocated size (`alloc_sz`) and a used size
//! (`sz`, the file size); a write past `alloc_sz` fails with SQLITE_FULL
//! unless the buffer is RESIZEABLE, in which case it is reallocated (to
//! twice the size needed, at most `max_sz`) through the application's
//! allocator. A READONLY buffer refuses any lock above SHARED with
//! SQLITE_READONLY. With FREEONCLOSE the buffer is released through the
//! allocator when the last handle on it goes.
//!
//! Invariants: `data` points to `alloc_sz` bytes (or is NULL with
//! `alloc_sz` 0) that only this store reads and writes while it lives;
//! `sz <= alloc_sz`; the store's mutex is held for every access.

use std::sync::Arc;

use parking_lot::Mutex;

use super::{LockLevel, VfsFile};
use crate::error::{code, Error, Result};

/// SQLITE_DESERIALIZE_* flags.
pub const FREEONCLOSE: u32 = 1;
pub const RESIZEABLE: u32 = 2;
pub const READONLY: u32 = 4;

/// SQLITE_MEMDB_DEFAULT_MAXSIZE: a RESIZEABLE buffer grows up to this, or
/// up to its initial size if larger.
pub const DEFAULT_MAX_SIZE: u64 = 1 << 30;

/// The allocator the buffer came from (sqlite3_malloc's, for the C API).
pub trait MemdbAllocator: Send + Sync {
    /// Resizes block `p` to `n` bytes; NULL when it cannot (and `p` stays).
    fn realloc(&self, p: *mut u8, n: u64) -> *mut u8;
    /// Releases block `p`.
    fn free(&self, p: *mut u8);
}

struct Store {
    data: *mut u8,
    sz: u64,
    alloc_sz: u64,
    max_sz: u64,
    flags: u32,
    allocator: Arc<dyn MemdbAllocator>,
    /// Handles holding SHARED or more, and whether one holds RESERVED+.
    n_read: u32,
    writer: bool,
}

// SAFETY: the buffer is owned by the store (see the module invariants)
// and only touched with the store's mutex held.
unsafe impl Send for Store {}

impl Drop for Store {
    fn drop(&mut self) {
        if self.flags & FREEONCLOSE != 0 && !self.data.is_null() {
            self.allocator.free(self.data);
        }
    }
}

/// One handle on a deserialized buffer.
pub struct MemdbFile {
    store: Arc<Mutex<Store>>,
    level: LockLevel,
}

impl MemdbFile {
    /// A file over `data[..sz]`, `alloc_sz` bytes allocated.
    ///
    /// # Safety
    /// `data` is NULL (then `alloc_sz` is 0) or points to `alloc_sz`
    /// readable and writable bytes that nothing else touches until the
    /// file is dropped; with FREEONCLOSE or RESIZEABLE it is a block of
    /// `allocator`.
    pub unsafe fn new(data: *mut u8, sz: u64, alloc_sz: u64, flags: u32, allocator: Arc<dyn MemdbAllocator>) -> MemdbFile {
        let alloc_sz = if data.is_null() { 0 } else { alloc_sz };
        let store = Store {
            data,
            sz: sz.min(alloc_sz),
            alloc_sz,
            max_sz: alloc_sz.max(DEFAULT_MAX_SIZE),
            flags,
            allocator,
            n_read: 0,
            writer: false,
        };
        MemdbFile { store: Arc::new(Mutex::new(store)), level: LockLevel::None }
    }

    /// The used bytes and where they are (the buffer serialize's NOCOPY
    /// returns; valid until the next write).
    pub fn raw(&self) -> (*mut u8, u64) {
        let s = self.store.lock();
        (s.data, s.sz)
    }

    /// A copy of the used bytes.
    pub fn to_vec(&self) -> Vec<u8> {
        let s = self.store.lock();
        if s.data.is_null() || s.sz == 0 {
            return Vec::new();
        }
        // SAFETY: `data` holds `alloc_sz >= sz` bytes (module invariants).
        unsafe { std::slice::from_raw_parts(s.data, s.sz as usize) }.to_vec()
    }
}

impl Store {
    /// Makes room for `need` bytes (RESIZEABLE buffers only).
    fn enlarge(&mut self, need: u64) -> Result<()> {
        if self.flags & RESIZEABLE == 0 || need > self.max_sz {
            return Err(Error::code(code::FULL));
        }
        let new_sz = need.saturating_mul(2).min(self.max_sz);
        let p = self.allocator.realloc(self.data, new_sz);
        if p.is_null() {
            return Err(Error::code(code::IOERR_NOMEM));
        }
        self.data = p;
        self.alloc_sz = new_sz;
        Ok(())
    }
}

impl VfsFile for MemdbFile {
    fn read(&mut self, buf: &mut [u8], offset: u64) -> Result<()> {
        let s = self.store.lock();
        let avail = s.sz.saturating_sub(offset).min(buf.len() as u64) as usize;
        if avail > 0 {
            // SAFETY: offset + avail <= sz <= alloc_sz bytes at `data`.
            let src = unsafe { std::slice::from_raw_parts(s.data.add(offset as usize), avail) };
            buf[..avail].copy_from_slice(src);
        }
        if avail < buf.len() {
            buf[avail..].fill(0);
            return Err(Error::code(code::IOERR_SHORT_READ));
        }
        Ok(())
    }

    fn write(&mut self, buf: &[u8], offset: u64) -> Result<()> {
        let mut s = self.store.lock();
        if s.flags & READONLY != 0 {
            return Err(Error::code(code::IOERR_WRITE));
        }
        let end = offset.checked_add(buf.len() as u64).ok_or_else(|| Error::code(code::FULL))?;
        if end > s.sz {
            if end > s.alloc_sz {
                s.enlarge(end)?;
            }
            if offset > s.sz {
                let gap = (offset - s.sz) as usize;
                // SAFETY: sz + gap = offset < end <= alloc_sz.
                unsafe { std::ptr::write_bytes(s.data.add(s.sz as usize), 0, gap) };
            }
            s.sz = end;
        }
        if !buf.is_empty() {
            // SAFETY: end <= alloc_sz; `buf` is not inside the store's
            // buffer (the pager writes from its own page buffers).
            unsafe { std::ptr::copy_nonoverlapping(buf.as_ptr(), s.data.add(offset as usize), buf.len()) };
        }
        Ok(())
    }

    fn truncate(&mut self, size: u64) -> Result<()> {
        let mut s = self.store.lock();
        if size > s.sz {
            return Err(Error::corrupt());
        }
        s.sz = size;
        Ok(())
    }

    fn sync(&mut self, _flags: u32) -> Result<()> {
        Ok(())
    }

    fn file_size(&mut self) -> Result<u64> {
        Ok(self.store.lock().sz)
    }

    fn lock(&mut self, level: LockLevel) -> Result<()> {
        if level <= self.level {
            return Ok(());
        }
        let mut s = self.store.lock();
        if level > LockLevel::Shared && s.flags & READONLY != 0 {
            return Err(Error::code(code::READONLY));
        }
        if self.level == LockLevel::None {
            if s.writer {
                return Err(Error::code(code::BUSY));
            }
            s.n_read += 1;
        }
        if level > LockLevel::Shared && self.level <= LockLevel::Shared {
            if s.writer {
                return Err(Error::code(code::BUSY));
            }
            s.writer = true;
        }
        if level >= LockLevel::Exclusive && s.n_read > 1 {
            self.level = self.level.max(LockLevel::Reserved);
            return Err(Error::code(code::BUSY));
        }
        self.level = level;
        Ok(())
    }

    fn unlock(&mut self, level: LockLevel) -> Result<()> {
        if level >= self.level {
            return Ok(());
        }
        let mut s = self.store.lock();
        if self.level > LockLevel::Shared {
            s.writer = false;
        }
        if level == LockLevel::None {
            s.n_read = s.n_read.saturating_sub(1);
        }
        self.level = level;
        Ok(())
    }

    fn check_reserved_lock(&mut self) -> Result<bool> {
        Ok(self.store.lock().writer)
    }

    fn lock_level(&self) -> LockLevel {
        self.level
    }

    fn sector_size(&self) -> u32 {
        1024
    }

    fn device_characteristics(&self) -> u32 {
        super::iocap::ATOMIC | super::iocap::POWERSAFE_OVERWRITE | super::iocap::SAFE_APPEND | super::iocap::SEQUENTIAL
    }

    fn as_memdb(&self) -> Option<&MemdbFile> {
        Some(self)
    }
}

impl Drop for MemdbFile {
    fn drop(&mut self) {
        let _ = self.unlock(LockLevel::None);
    }
}

/// The process allocator, for buffers made by Rust code (tests).
pub struct SystemAllocator;

impl MemdbAllocator for SystemAllocator {
    fn realloc(&self, p: *mut u8, n: u64) -> *mut u8 {
        let Ok(n) = usize::try_from(n) else { return std::ptr::null_mut() };
        // SAFETY: `p` is NULL or a block of this allocator (the
        // `MemdbFile::new` contract).
        unsafe { libc::realloc(p as *mut libc::c_void, n.max(1)) as *mut u8 }
    }
    fn free(&self, p: *mut u8) {
        // SAFETY: as for realloc.
        unsafe { libc::free(p as *mut libc::c_void) }
    }
}

/// A FREEONCLOSE | RESIZEABLE file holding a copy of `bytes` (tests and
/// engine callers that start from Rust memory).
pub fn from_bytes(bytes: &[u8], flags: u32) -> Result<MemdbFile> {
    let a: Arc<dyn MemdbAllocator> = Arc::new(SystemAllocator);
    let n = bytes.len() as u64;
    let p = a.realloc(std::ptr::null_mut(), n);
    if p.is_null() {
        return Err(Error::code(code::NOMEM));
    }
    // SAFETY: `p` is a fresh block of at least n bytes.
    unsafe {
        std::ptr::copy_nonoverlapping(bytes.as_ptr(), p, bytes.len());
        Ok(MemdbFile::new(p, n, n, flags | FREEONCLOSE, a))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_writes_and_growth() {
        let mut f = from_bytes(b"abcdef", 0).unwrap();
        let mut b = [0u8; 4];
        f.read(&mut b, 2).unwrap();
        assert_eq!(&b, b"cdef");
        assert_eq!(f.read(&mut b, 4).unwrap_err().extended_code(), code::IOERR_SHORT_READ);
        assert_eq!(&b, b"ef\0\0");
        f.write(b"XY", 4).unwrap();
        // Not resizeable: the buffer holds 6 bytes.
        assert_eq!(f.write(b"Z", 6).unwrap_err().primary_code(), code::FULL);
        let mut g = from_bytes(b"ab", RESIZEABLE).unwrap();
        g.write(b"Z", 10).unwrap();
        assert_eq!(g.file_size().unwrap(), 11);
        assert_eq!(g.to_vec(), b"ab\0\0\0\0\0\0\0\0Z");
        g.truncate(3).unwrap();
        assert_eq!(g.truncate(5).unwrap_err().primary_code(), code::CORRUPT);
        assert_eq!(f.to_vec(), b"abcdXY");
    }

    #[test]
    fn readonly_refuses_write_locks() {
        let mut f = from_bytes(b"x", READONLY).unwrap();
        f.lock(LockLevel::Shared).unwrap();
        assert_eq!(f.lock(LockLevel::Reserved).unwrap_err().primary_code(), code::READONLY);
        f.unlock(LockLevel::None).unwrap();
    }
}
