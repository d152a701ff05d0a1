//! The wal-index (the `-shm` content) in SQLite's exact layout, all in
//! the host's byte order:
//!
//! - bytes 0..48 and 48..96: two copies of the index header (version,
//!   change counter, isInit, checksum byte order, page size, mxFrame,
//!   nPage, last frame checksum, salts, header checksum). Writers write
//!   copy 2 then copy 1 with a barrier between; readers read copy 1 then
//!   copy 2 and trust them only when equal, initialised and checksummed.
//! - bytes 96..136: checkpoint info: nBackfill, the 5 read marks, the 8
//!   lock bytes (the locks themselves are taken by the VFS), and
//!   nBackfillAttempted.
//! - hash tables, one per 32 KiB region: an array of page numbers (frame
//!   iZero+k+1 holds aPgno[k]; region 0's array starts after the 136-byte
//!   header, so it covers 4062 frames, later ones 4096) and, in the
//!   region's second half, 8192 u16 slots holding 1-based indexes into
//!   that array, hashed by page*383 with linear probing.
//!
//! Invariants: only the holder of the WRITE lock (or of the recovery
//! locks) changes headers and hash tables; a probe sequence longer than
//! the table, or a header that does not check out, is reported (CORRUPT /
//! "not valid"), never trusted; entries past mxFrame left by an aborted
//! writer are removed before a frame number is reused.

use crate::error::{Error, Result};
use crate::os::{ShmRegion, SHM_REGION_SIZE};

use super::format::{checksum, HOST_BIG_ENDIAN};

/// Bytes in one index-header copy.
pub const HDR_SIZE: usize = 48;
/// Offset of the checkpoint info.
pub const CKPT_INFO: usize = 96;
/// Bytes before region 0's page-number array.
pub const INDEX_HDR_SIZE: usize = 136;
/// The wal-index version SQLite writes.
pub const INDEX_VERSION: u32 = 3_007_000;
/// Read marks (and READ locks).
pub const NREADER: u32 = 5;
/// A read mark no reader uses.
pub const READMARK_NOT_USED: u32 = 0xffff_ffff;
/// Page numbers per hash table (regions after the first).
pub const HASHTABLE_NPAGE: u32 = 4096;
/// Page numbers in region 0's table.
pub const HASHTABLE_NPAGE_ONE: u32 = HASHTABLE_NPAGE - (INDEX_HDR_SIZE / 4) as u32;
/// Slots per hash table.
pub const HASHTABLE_NSLOT: u32 = 2 * HASHTABLE_NPAGE;
const HASH_MUL: u32 = 383;
/// Byte offset of the hash slots in a region.
const HASH_OFF: usize = SHM_REGION_SIZE - 2 * HASHTABLE_NSLOT as usize;

/// The shm locks, as SQLite numbers them.
pub const WRITE_LOCK: u32 = 0;
pub const CKPT_LOCK: u32 = 1;
pub const RECOVER_LOCK: u32 = 2;
pub const fn read_lock(i: u32) -> u32 {
    3 + i
}

/// One copy of the wal-index header.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct IndexHdr {
    pub version: u32,
    pub unused: u32,
    pub change: u32,
    pub is_init: u8,
    pub big_end_cksum: u8,
    /// Page size, 65536 encoded as 1.
    pub sz_page: u16,
    pub mx_frame: u32,
    pub n_page: u32,
    pub frame_cksum: [u32; 2],
    /// The WAL header's salts, byte for byte.
    pub salt: [u8; 8],
    pub cksum: [u32; 2],
}

impl IndexHdr {
    pub fn to_bytes(&self) -> [u8; HDR_SIZE] {
        let mut b = [0u8; HDR_SIZE];
        b[0..4].copy_from_slice(&self.version.to_ne_bytes());
        b[4..8].copy_from_slice(&self.unused.to_ne_bytes());
        b[8..12].copy_from_slice(&self.change.to_ne_bytes());
        b[12] = self.is_init;
        b[13] = self.big_end_cksum;
        b[14..16].copy_from_slice(&self.sz_page.to_ne_bytes());
        b[16..20].copy_from_slice(&self.mx_frame.to_ne_bytes());
        b[20..24].copy_from_slice(&self.n_page.to_ne_bytes());
        b[24..28].copy_from_slice(&self.frame_cksum[0].to_ne_bytes());
        b[28..32].copy_from_slice(&self.frame_cksum[1].to_ne_bytes());
        b[32..40].copy_from_slice(&self.salt);
        b[40..44].copy_from_slice(&self.cksum[0].to_ne_bytes());
        b[44..48].copy_from_slice(&self.cksum[1].to_ne_bytes());
        b
    }

    pub fn from_bytes(b: &[u8; HDR_SIZE]) -> IndexHdr {
        let w = |o: usize| u32::from_ne_bytes([b[o], b[o + 1], b[o + 2], b[o + 3]]);
        let mut salt = [0u8; 8];
        salt.copy_from_slice(&b[32..40]);
        IndexHdr {
            version: w(0),
            unused: w(4),
            change: w(8),
            is_init: b[12],
            big_end_cksum: b[13],
            sz_page: u16::from_ne_bytes([b[14], b[15]]),
            mx_frame: w(16),
            n_page: w(20),
            frame_cksum: [w(24), w(28)],
            salt,
            cksum: [w(40), w(44)],
        }
    }

    /// The checksum SQLite keeps over the first 40 bytes (host order).
    pub fn compute_cksum(&self) -> [u32; 2] {
        checksum(HOST_BIG_ENDIAN, &self.to_bytes()[..40], [0, 0])
    }

    pub fn page_size(&self) -> u32 {
        (self.sz_page as u32 & 0xfe00) + ((self.sz_page as u32 & 1) << 16)
    }

    pub fn set_page_size(&mut self, ps: u32) {
        self.sz_page = ((ps & 0xff00) | (ps >> 16)) as u16;
    }
}

/// Reads the header as SQLite's walIndexTryHdr does: `None` when the two
/// copies differ, it is not initialised or its checksum is wrong (a
/// writer is half-way, or recovery is needed).
pub fn read_hdr(r0: &ShmRegion) -> Option<IndexHdr> {
    let mut a = [0u8; HDR_SIZE];
    let mut b = [0u8; HDR_SIZE];
    r0.read(0, &mut a);
    r0.barrier();
    r0.read(HDR_SIZE, &mut b);
    if a != b {
        return None;
    }
    let h = IndexHdr::from_bytes(&a);
    if h.is_init == 0 || h.compute_cksum() != h.cksum {
        return None;
    }
    Some(h)
}

/// The live header copy 1 as it is now, unchecked (to compare with a
/// snapshot).
pub fn live_hdr(r0: &ShmRegion) -> IndexHdr {
    let mut a = [0u8; HDR_SIZE];
    r0.read(0, &mut a);
    IndexHdr::from_bytes(&a)
}

/// Publishes `h` (made initialised and checksummed): copy 2, barrier,
/// copy 1.
pub fn write_hdr(r0: &ShmRegion, h: &mut IndexHdr) {
    h.is_init = 1;
    h.version = INDEX_VERSION;
    h.cksum = h.compute_cksum();
    let b = h.to_bytes();
    r0.write(HDR_SIZE, &b);
    r0.barrier();
    r0.write(0, &b);
}

// ------------------------------------------------------- checkpoint info

pub fn n_backfill(r0: &ShmRegion) -> u32 {
    r0.get_u32(CKPT_INFO)
}
pub fn set_n_backfill(r0: &ShmRegion, v: u32) {
    r0.set_u32(CKPT_INFO, v)
}
pub fn read_mark(r0: &ShmRegion, i: u32) -> u32 {
    r0.get_u32(CKPT_INFO + 4 + 4 * i as usize)
}
pub fn set_read_mark(r0: &ShmRegion, i: u32, v: u32) {
    r0.set_u32(CKPT_INFO + 4 + 4 * i as usize, v)
}
pub fn n_backfill_attempted(r0: &ShmRegion) -> u32 {
    r0.get_u32(CKPT_INFO + 32)
}
pub fn set_n_backfill_attempted(r0: &ShmRegion, v: u32) {
    r0.set_u32(CKPT_INFO + 32, v)
}

// ------------------------------------------------------------ hash tables

/// The hash table (region) holding frame `frame`.
pub fn frame_page(frame: u32) -> u32 {
    ((frame as u64 + (HASHTABLE_NPAGE - HASHTABLE_NPAGE_ONE) as u64).saturating_sub(1) / HASHTABLE_NPAGE as u64) as u32
}

/// Where table `i`'s page-number array starts, and the frame number
/// before its first entry.
fn table_loc(i: u32) -> (usize, u32) {
    if i == 0 {
        (INDEX_HDR_SIZE, 0)
    } else {
        (0, HASHTABLE_NPAGE_ONE + (i - 1) * HASHTABLE_NPAGE)
    }
}

/// The first frame number table `i` covers.
pub fn first_frame(i: u32) -> u32 {
    table_loc(i).1 + 1
}

fn hash(pgno: u32) -> u32 {
    pgno.wrapping_mul(HASH_MUL) & (HASHTABLE_NSLOT - 1)
}

fn slot(r: &ShmRegion, k: u32) -> u32 {
    r.get_u16(HASH_OFF + 2 * k as usize) as u32
}

/// The page number recorded for frame `frame` in its table `r`.
pub fn frame_pgno(r: &ShmRegion, frame: u32) -> u32 {
    let (base, zero) = table_loc(frame_page(frame));
    r.get_u32(base + 4 * (frame - zero - 1) as usize)
}

/// Removes from table `r` (number `i`) every entry for a frame after
/// `mx_frame` (SQLite's walCleanupHash, for the table holding mx_frame).
pub fn cleanup(r: &ShmRegion, i: u32, mx_frame: u32) {
    let (base, zero) = table_loc(i);
    let limit = mx_frame.saturating_sub(zero);
    for k in 0..HASHTABLE_NSLOT {
        if slot(r, k) > limit {
            r.set_u16(HASH_OFF + 2 * k as usize, 0);
        }
    }
    let from = base + 4 * limit as usize;
    if from < HASH_OFF {
        r.zero(from, HASH_OFF - from);
    }
}

/// Records that frame `frame` holds page `pgno` in table `r`.
/// `mx_frame` is the last committed frame (entries past it are stale).
pub fn append(r: &ShmRegion, frame: u32, pgno: u32, mx_frame: u32) -> Result<()> {
    let i = frame_page(frame);
    let (base, zero) = table_loc(i);
    let idx = frame - zero;
    if idx == 1 {
        r.zero(base, SHM_REGION_SIZE - base);
    }
    if r.get_u32(base + 4 * (idx as usize - 1)) != 0 && frame_page(mx_frame) == i && mx_frame > 0 {
        cleanup(r, i, mx_frame);
    }
    let mut k = hash(pgno);
    let mut collide = idx;
    while slot(r, k) != 0 {
        if collide == 0 {
            return Err(Error::corrupt());
        }
        collide -= 1;
        k = (k + 1) & (HASHTABLE_NSLOT - 1);
    }
    r.set_u32(base + 4 * (idx as usize - 1), pgno);
    r.set_u16(HASH_OFF + 2 * k as usize, idx as u16);
    Ok(())
}

/// The last frame in `min..=max` of table `r` (number `i`) holding page
/// `pgno`, if any. CORRUPT when the probe sequence never ends.
pub fn find_in_table(r: &ShmRegion, i: u32, pgno: u32, min: u32, max: u32) -> Result<Option<u32>> {
    let (base, zero) = table_loc(i);
    let mut k = hash(pgno);
    let mut found = None;
    let mut collide = HASHTABLE_NSLOT;
    loop {
        let s = slot(r, k);
        if s == 0 {
            break;
        }
        let frame = s + zero;
        if frame <= max && frame >= min && r.get_u32(base + 4 * (s as usize - 1)) == pgno {
            found = Some(frame);
        }
        if collide == 0 {
            return Err(Error::corrupt());
        }
        collide -= 1;
        k = (k + 1) & (HASHTABLE_NSLOT - 1);
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_copies_and_checksum() {
        let r = ShmRegion::heap();
        assert!(read_hdr(&r).is_none());
        let mut h = IndexHdr { change: 3, mx_frame: 10, n_page: 4, salt: [1, 2, 3, 4, 5, 6, 7, 8], ..Default::default() };
        h.set_page_size(65536);
        assert_eq!(h.sz_page, 1);
        assert_eq!(h.page_size(), 65536);
        h.set_page_size(4096);
        write_hdr(&r, &mut h);
        assert_eq!(read_hdr(&r), Some(h));
        assert_eq!(live_hdr(&r), h);
        // Copies that differ (a writer half-way) are not trusted.
        r.set_u32(16, 11);
        assert!(read_hdr(&r).is_none());
        r.set_u32(16 + HDR_SIZE, 11);
        // Equal copies but a wrong checksum: not trusted either.
        assert!(read_hdr(&r).is_none());
    }

    #[test]
    fn layout_offsets() {
        assert_eq!(HASHTABLE_NPAGE_ONE, 4062);
        assert_eq!(frame_page(1), 0);
        assert_eq!(frame_page(4062), 0);
        assert_eq!(frame_page(4063), 1);
        assert_eq!(frame_page(4062 + 4096), 1);
        assert_eq!(frame_page(4062 + 4097), 2);
        assert_eq!(first_frame(1), 4063);
        let r = ShmRegion::heap();
        set_read_mark(&r, 4, 77);
        assert_eq!(r.get_u32(116), 77);
        set_n_backfill_attempted(&r, 5);
        assert_eq!(r.get_u32(128), 5);
    }

    #[test]
    fn hash_append_find_cleanup() {
        let r = ShmRegion::heap();
        // Pages colliding on purpose: 8192/383 is not whole, so use the
        // same page several times and a page equal modulo the table.
        for f in 1..=100u32 {
            append(&r, f, f % 7 + 1, f - 1).unwrap();
        }
        assert_eq!(frame_pgno(&r, 5), 5 % 7 + 1);
        let latest = |pg: u32, min: u32, max: u32| (min..=max).filter(|f| f % 7 + 1 == pg).max();
        for (min, max) in [(1, 100), (1, 2), (3, 8), (40, 41)] {
            assert_eq!(find_in_table(&r, 0, 3, min, max).unwrap(), latest(3, min, max), "{min}..{max}");
        }
        assert_eq!(find_in_table(&r, 0, 99, 1, 100).unwrap(), None);
        // A writer aborted after frame 50: frames 51.. are reused.
        append(&r, 51, 1000, 50).unwrap();
        assert_eq!(find_in_table(&r, 0, 1000, 1, 51).unwrap(), Some(51));
        assert_eq!(find_in_table(&r, 0, 3, 1, 100).unwrap(), latest(3, 1, 50));
        // Frame 1 of a table clears the whole table.
        append(&r, 1, 5, 0).unwrap();
        assert_eq!(find_in_table(&r, 0, 1000, 1, 51).unwrap(), None);
        // A full probe cycle is corruption, not a hang.
        for k in 0..HASHTABLE_NSLOT as usize {
            r.set_u16(HASH_OFF + 2 * k, 1);
        }
        assert!(find_in_table(&r, 0, 5, 1, 1).is_err());
    }
}
