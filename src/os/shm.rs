//! Shared memory for the WAL index (SQLite's xShmMap / xShmLock /
//! xShmBarrier / xShmUnmap), the parts common to every VFS.
//!
//! - `ShmRegion`: one 32 KiB region of the wal-index, either a shared
//!   mapping of the `-shm` file (unix) or heap memory (memory VFS). Other
//!   connections and other processes change its bytes at any time, so it
//!   is only ever seen as atomic 32-bit words: reads and writes go through
//!   `AtomicU32` (relaxed), ordering comes from `shm_barrier` and from the
//!   shm locks, exactly as SQLite relies on. Values are in native byte
//!   order, as SQLite keeps them. A region handle keeps its memory alive
//!   (mapping or heap), so a region never dangles even after `shm_unmap`.
//!   The exception is a region an application's C VFS handed out
//!   (`ShmRegion::foreign`): its memory belongs to that VFS and is valid
//!   until its xShmUnmap, so whoever maps one drops every handle to it
//!   before unmapping (the WAL clears its regions first).
//! - `ShmLocks`: the in-process arbitration of the 8 shm locks between the
//!   connections of one process that share one `-shm` file, as SQLite's
//!   unixShmNode does: per lock a count (`>0` shared holders, `-1` one
//!   exclusive holder), per connection the masks of locks it holds. Only
//!   the first shared holder and an exclusive holder reach the system
//!   (fcntl) lock; the last shared holder releases it.
//!   Invariant: `counts[i] == -1` iff exactly one connection has bit `i`
//!   in its exclusive mask, else `counts[i]` is the number of connections
//!   with bit `i` in their shared mask.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;

use crate::error::{code, Error, Result};

/// Bytes in one shared-memory region (SQLite's WALINDEX_PGSZ).
pub const SHM_REGION_SIZE: usize = 32768;
/// Number of shm locks.
pub const SHM_NLOCK: u32 = 8;
/// Byte offset in the `-shm` file of the first lock byte.
pub const SHM_LOCK_BASE: u64 = 120;
/// The "dead man switch" byte: every process using the file holds a
/// shared lock on it; the first one in takes it exclusively and resets the
/// file.
pub const SHM_DMS: u64 = 128;

/// xShmLock flags, numbered as SQLite's SQLITE_SHM_*.
pub mod shm_flags {
    pub const UNLOCK: u32 = 1;
    pub const LOCK: u32 = 2;
    pub const SHARED: u32 = 4;
    pub const EXCLUSIVE: u32 = 8;
}

/// What keeps a region's bytes alive.
pub(crate) enum Backing {
    /// A shared, writable mapping of SHM_REGION_SIZE bytes of `-shm`.
    Map(memmap2::MmapRaw),
    /// Process memory (memory VFS, or a VFS without shared files).
    Heap(Box<[AtomicU32]>),
    /// SHM_REGION_SIZE bytes an application's VFS returned from xShmMap.
    Foreign(ForeignMem),
}

/// Memory owned by an application's VFS (see the module comment), and
/// that VFS's xShmBarrier for it.
pub(crate) struct ForeignMem(std::ptr::NonNull<AtomicU32>, Box<dyn Fn() + Send + Sync>);

// SAFETY: the memory is shared memory by contract (SQLite's xShmMap): every
// access goes through AtomicU32, from any thread, exactly as for a mapping.
unsafe impl Send for ForeignMem {}
// SAFETY: as above; `&ForeignMem` gives only atomic access.
unsafe impl Sync for ForeignMem {}

/// One 32 KiB region of shared memory, seen as native-endian words.
#[derive(Clone)]
pub struct ShmRegion {
    mem: Arc<Backing>,
}

impl ShmRegion {
    pub(crate) fn from_backing(b: Backing) -> ShmRegion {
        ShmRegion { mem: Arc::new(b) }
    }

    /// A zeroed heap region.
    pub fn heap() -> ShmRegion {
        let words: Vec<AtomicU32> = (0..SHM_REGION_SIZE / 4).map(|_| AtomicU32::new(0)).collect();
        ShmRegion::from_backing(Backing::Heap(words.into_boxed_slice()))
    }

    /// A region at `p`, which an application's VFS returned from xShmMap.
    ///
    /// # Safety
    /// `p` is 4-byte aligned, points to SHM_REGION_SIZE readable and
    /// writable bytes, and stays valid until every handle made from it is
    /// dropped (the caller unmaps only after that).
    /// `barrier` is the VFS's memory barrier (xShmBarrier), which
    /// `ShmRegion::barrier` calls.
    pub unsafe fn foreign(p: *mut u8, barrier: Box<dyn Fn() + Send + Sync>) -> Option<ShmRegion> {
        if !(p as usize).is_multiple_of(4) {
            return None;
        }
        let p = std::ptr::NonNull::new(p as *mut AtomicU32)?;
        Some(ShmRegion::from_backing(Backing::Foreign(ForeignMem(p, barrier))))
    }

    /// A full memory barrier between accesses to this memory: the owning
    /// VFS's xShmBarrier for an application VFS's region, else a fence.
    pub fn barrier(&self) {
        match &*self.mem {
            Backing::Foreign(f) => (f.1)(),
            _ => barrier(),
        }
    }

    /// The first byte of the region, for handing it to C (xShmMap of
    /// Ferrolite's own VFSes). Valid while this handle (or a clone) lives.
    pub fn as_ptr(&self) -> *mut u8 {
        self.words().as_ptr() as *mut u8
    }

    fn words(&self) -> &[AtomicU32] {
        match &*self.mem {
            Backing::Heap(w) => w,
            Backing::Foreign(f) => {
                // SAFETY: `foreign`'s contract: SHM_REGION_SIZE bytes, aligned,
                // valid while this handle lives; access is atomic only.
                unsafe { std::slice::from_raw_parts(f.0.as_ptr() as *const AtomicU32, SHM_REGION_SIZE / 4) }
            }
            Backing::Map(m) => {
                // SAFETY: the mapping is SHM_REGION_SIZE bytes (checked when
                // it was made), page-aligned (so 4-byte aligned), readable
                // and writable, and lives as long as `self.mem`, which the
                // returned borrow cannot outlive. Other processes change the
                // bytes concurrently; AtomicU32 has the size and alignment
                // of u32 and every access through it is atomic, so no Rust
                // reference ever sees a torn or "impossible" value.
                unsafe { std::slice::from_raw_parts(m.as_ptr() as *const AtomicU32, m.len() / 4) }
            }
        }
    }

    /// The 32-bit word at byte offset `off` (a multiple of 4).
    pub fn get_u32(&self, off: usize) -> u32 {
        self.words().get(off / 4).map(|w| w.load(Ordering::Relaxed)).unwrap_or(0)
    }

    pub fn set_u32(&self, off: usize, v: u32) {
        if let Some(w) = self.words().get(off / 4) {
            w.store(v, Ordering::Relaxed);
        }
    }

    /// The 16-bit value at byte offset `off` (a multiple of 2).
    pub fn get_u16(&self, off: usize) -> u16 {
        let b = self.get_u32(off & !3).to_ne_bytes();
        let i = off & 2;
        u16::from_ne_bytes([b[i], b[i + 1]])
    }

    /// Sets one 16-bit value without disturbing its neighbour in the word.
    pub fn set_u16(&self, off: usize, v: u16) {
        if let Some(w) = self.words().get(off / 4) {
            let i = off & 2;
            let _ = w.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |old| {
                let mut b = old.to_ne_bytes();
                b[i..i + 2].copy_from_slice(&v.to_ne_bytes());
                Some(u32::from_ne_bytes(b))
            });
        }
    }

    /// Copies bytes `off..off+buf.len()` out (offsets and length multiples
    /// of 4).
    pub fn read(&self, off: usize, buf: &mut [u8]) {
        for (i, c) in buf.chunks_mut(4).enumerate() {
            let b = self.get_u32(off + 4 * i).to_ne_bytes();
            c.copy_from_slice(&b[..c.len()]);
        }
    }

    /// Copies `buf` in at `off` (offsets and length multiples of 4).
    pub fn write(&self, off: usize, buf: &[u8]) {
        for (i, c) in buf.chunks(4).enumerate() {
            let mut b = self.get_u32(off + 4 * i).to_ne_bytes();
            b[..c.len()].copy_from_slice(c);
            self.set_u32(off + 4 * i, u32::from_ne_bytes(b));
        }
    }

    /// Zeroes bytes `off..off+len` (multiples of 4).
    pub fn zero(&self, off: usize, len: usize) {
        for w in (off / 4)..((off + len) / 4) {
            if let Some(x) = self.words().get(w) {
                x.store(0, Ordering::Relaxed);
            }
        }
    }

    /// True when both handles are the same memory.
    pub fn same(&self, other: &ShmRegion) -> bool {
        Arc::ptr_eq(&self.mem, &other.mem)
    }
}

/// A full memory barrier (xShmBarrier).
pub fn barrier() {
    std::sync::atomic::fence(Ordering::SeqCst);
}

/// The locks one connection holds on its shm.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ShmMasks {
    pub shared: u16,
    pub excl: u16,
}

/// In-process lock counts of one shared-memory file (see the module
/// comment).
#[derive(Debug, Default)]
pub struct ShmLocks {
    counts: [i32; SHM_NLOCK as usize],
}

/// A system-level lock request made on behalf of the process.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SysLock {
    Unlock,
    Read,
    Write,
}

impl ShmLocks {
    /// Applies one xShmLock call for the connection whose masks are `me`;
    /// `sys(kind, first, n)` takes or releases the system lock on locks
    /// `first..first+n` (a no-op for process-private memory) and returns
    /// BUSY when another process is in the way.
    pub fn apply(
        &mut self,
        me: &mut ShmMasks,
        ofst: u32,
        n: u32,
        flags: u32,
        mut sys: impl FnMut(SysLock, u32, u32) -> Result<()>,
    ) -> Result<()> {
        use shm_flags::*;
        if n == 0 || ofst.checked_add(n).is_none_or(|e| e > SHM_NLOCK) {
            return Err(Error::misuse());
        }
        let valid = [LOCK | SHARED, LOCK | EXCLUSIVE, UNLOCK | SHARED, UNLOCK | EXCLUSIVE];
        if !valid.contains(&flags) || (flags & SHARED != 0 && n != 1) {
            return Err(Error::misuse());
        }
        let mask: u16 = ((1u32 << (ofst + n)) - (1u32 << ofst)) as u16;
        let o = ofst as usize;
        if flags & UNLOCK != 0 {
            if (me.shared | me.excl) & mask == 0 {
                return Ok(());
            }
            if flags & SHARED != 0 && self.counts[o] > 1 {
                self.counts[o] -= 1;
                me.shared &= !mask;
                return Ok(());
            }
            sys(SysLock::Unlock, ofst, n)?;
            for c in &mut self.counts[o..o + n as usize] {
                *c = 0;
            }
            me.shared &= !mask;
            me.excl &= !mask;
            return Ok(());
        }
        if flags & SHARED != 0 {
            if me.shared & mask != 0 {
                return Ok(());
            }
            if self.counts[o] < 0 {
                return Err(Error::code(code::BUSY));
            }
            if self.counts[o] == 0 {
                sys(SysLock::Read, ofst, n)?;
            }
            me.shared |= mask;
            self.counts[o] += 1;
            return Ok(());
        }
        if self.counts[o..o + n as usize].iter().any(|&c| c != 0) {
            return Err(Error::code(code::BUSY));
        }
        sys(SysLock::Write, ofst, n)?;
        me.excl |= mask;
        for c in &mut self.counts[o..o + n as usize] {
            *c = -1;
        }
        Ok(())
    }

    /// Releases whatever `me` still holds (a connection going away).
    pub fn release_all(&mut self, me: &mut ShmMasks, mut sys: impl FnMut(SysLock, u32, u32) -> Result<()>) {
        for i in 0..SHM_NLOCK {
            let bit = 1u16 << i;
            let flags = if me.excl & bit != 0 {
                shm_flags::UNLOCK | shm_flags::EXCLUSIVE
            } else if me.shared & bit != 0 {
                shm_flags::UNLOCK | shm_flags::SHARED
            } else {
                continue;
            };
            let _ = self.apply(me, i, 1, flags, &mut sys);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use shm_flags::*;

    #[test]
    fn foreign_region_is_the_callers_memory_with_its_barrier() {
        use std::sync::atomic::AtomicUsize;
        let mut mem = vec![0u32; SHM_REGION_SIZE / 4];
        let calls = Arc::new(AtomicUsize::new(0));
        let c = calls.clone();
        // SAFETY: `mem` is SHM_REGION_SIZE aligned bytes that outlive `r`.
        let r = unsafe { ShmRegion::foreign(mem.as_mut_ptr() as *mut u8, Box::new(move || { c.fetch_add(1, Ordering::SeqCst); })) };
        let Some(r) = r else { panic!("aligned memory refused") };
        r.set_u32(8, 0xdead_beef);
        r.barrier();
        assert_eq!(r.as_ptr(), mem.as_mut_ptr() as *mut u8);
        assert_eq!(calls.load(Ordering::SeqCst), 1);
        drop(r);
        assert_eq!(mem[2], 0xdead_beef);
        // SAFETY: never dereferenced: a misaligned pointer is refused.
        assert!(unsafe { ShmRegion::foreign((mem.as_mut_ptr() as *mut u8).add(1), Box::new(|| {})) }.is_none());
        // Heap regions hand out their own memory and fence.
        let h = ShmRegion::heap();
        h.set_u32(4, 7);
        h.barrier();
        // SAFETY: the region is 32 KiB of words, alive while `h` is.
        assert_eq!(unsafe { *(h.as_ptr().add(4) as *const u32) }, 7);
    }

    #[test]
    fn region_words_and_halves() {
        let r = ShmRegion::heap();
        r.set_u32(8, 0x1234_5678);
        assert_eq!(r.get_u32(8), 0x1234_5678);
        r.set_u16(16, 7);
        r.set_u16(18, 9);
        assert_eq!((r.get_u16(16), r.get_u16(18)), (7, 9));
        let mut b = [0u8; 8];
        r.read(16, &mut b);
        assert_eq!(u16::from_ne_bytes([b[0], b[1]]), 7);
        r.write(100, &[1, 2, 3, 4, 5, 6, 7, 8]);
        r.read(100, &mut b);
        assert_eq!(b, [1, 2, 3, 4, 5, 6, 7, 8]);
        r.zero(100, 8);
        assert_eq!(r.get_u32(104), 0);
        // Out of range is harmless.
        assert_eq!(r.get_u32(SHM_REGION_SIZE), 0);
    }

    #[test]
    fn lock_arbitration_in_process() {
        let mut t = ShmLocks::default();
        let (mut a, mut b) = (ShmMasks::default(), ShmMasks::default());
        let mut calls = Vec::new();
        let mut sys = |k, o, n| {
            calls.push((k, o, n));
            Ok(())
        };
        t.apply(&mut a, 3, 1, LOCK | SHARED, &mut sys).unwrap();
        t.apply(&mut b, 3, 1, LOCK | SHARED, &mut sys).unwrap();
        assert_eq!(t.apply(&mut b, 3, 1, LOCK | EXCLUSIVE, &mut sys).unwrap_err().primary_code(), code::BUSY);
        t.apply(&mut a, 0, 1, LOCK | EXCLUSIVE, &mut sys).unwrap();
        assert_eq!(t.apply(&mut b, 0, 1, LOCK | SHARED, &mut sys).unwrap_err().primary_code(), code::BUSY);
        t.apply(&mut a, 3, 1, UNLOCK | SHARED, &mut sys).unwrap();
        t.apply(&mut b, 3, 1, UNLOCK | SHARED, &mut sys).unwrap();
        t.release_all(&mut a, &mut sys);
        assert_eq!(a, ShmMasks::default());
        t.apply(&mut b, 0, 8, LOCK | EXCLUSIVE, &mut sys).unwrap();
        // Only the first shared holder and the last release reach the system.
        assert_eq!(
            calls,
            vec![
                (SysLock::Read, 3, 1),
                (SysLock::Write, 0, 1),
                (SysLock::Unlock, 3, 1),
                (SysLock::Unlock, 0, 1),
                (SysLock::Write, 0, 8)
            ]
        );
    }
}
