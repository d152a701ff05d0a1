//! The 100-byte database header at the start of page 1 (fileformat2 §1.3):
//! its offsets, validation of a header read from disk, and the header a new
//! database starts with.
//!
//! Invariant: a header accepted by `parse` has a power-of-two page size in
//! 512..=65536, a usable size of at least 480 bytes, the fixed payload
//! fractions 64/32/32 and a read version SQLite's rollback mode accepts;
//! anything else is SQLITE_NOTADB (or read-only for an unknown write
//! version), never a panic.

use crate::error::{code, Error, Result};

pub const MAGIC: &[u8; 16] = b"SQLite format 3\0";
pub const HEADER_SIZE: usize = 100;

pub const OFF_PAGE_SIZE: usize = 16;
pub const OFF_WRITE_VERSION: usize = 18;
pub const OFF_READ_VERSION: usize = 19;
pub const OFF_RESERVED: usize = 20;
pub const OFF_CHANGE_COUNTER: usize = 24;
pub const OFF_DB_SIZE: usize = 28;
pub const OFF_FREELIST_TRUNK: usize = 32;
pub const OFF_FREELIST_COUNT: usize = 36;
/// Meta value `idx` (BTREE_* numbering, 1..=15) lives at 36 + 4*idx.
pub const OFF_META: usize = 36;
pub const OFF_VERSION_VALID_FOR: usize = 92;
pub const OFF_SQLITE_VERSION: usize = 96;

pub fn get_u32(b: &[u8], off: usize) -> u32 {
    match b.get(off..off + 4) {
        Some(s) => u32::from_be_bytes([s[0], s[1], s[2], s[3]]),
        None => 0,
    }
}

pub fn put_u32(b: &mut [u8], off: usize, v: u32) {
    if let Some(s) = b.get_mut(off..off + 4) {
        s.copy_from_slice(&v.to_be_bytes());
    }
}

/// Page size and reserved bytes of a header read from disk.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HeaderInfo {
    pub page_size: u32,
    pub reserved: u8,
    /// Header says writes are not understood (write version > 2): open
    /// read-only, as SQLite does.
    pub readonly: bool,
    /// Read version 2: the file is in WAL mode, which Ferrolite's pager
    /// does not implement.
    pub wal: bool,
}

fn not_a_db() -> Error {
    Error::code(code::NOTADB)
}

/// Validates the first 100 bytes of a database file.
pub fn parse(h: &[u8]) -> Result<HeaderInfo> {
    if h.len() < HEADER_SIZE || &h[..16] != MAGIC {
        return Err(not_a_db());
    }
    let raw = u16::from_be_bytes([h[16], h[17]]) as u32;
    let page_size = if raw == 1 { 65536 } else { raw };
    if !(512..=65536).contains(&page_size) || !page_size.is_power_of_two() {
        return Err(not_a_db());
    }
    if h[OFF_READ_VERSION] > 2 {
        return Err(not_a_db());
    }
    if h[21] != 64 || h[22] != 32 || h[23] != 32 {
        return Err(not_a_db());
    }
    let reserved = h[OFF_RESERVED];
    if page_size - (reserved as u32) < 480 {
        return Err(not_a_db());
    }
    Ok(HeaderInfo {
        page_size,
        reserved,
        readonly: h[OFF_WRITE_VERSION] > 2,
        wal: h[OFF_READ_VERSION] == 2 || h[OFF_WRITE_VERSION] == 2,
    })
}

/// The header of a brand-new database, as the first write transaction puts
/// it on page 1. The change counter, size and version fields are filled in
/// at commit.
pub fn new_header(page_size: u32, reserved: u8) -> [u8; HEADER_SIZE] {
    let mut h = [0u8; HEADER_SIZE];
    h[..16].copy_from_slice(MAGIC);
    let ps = if page_size == 65536 { 1u16 } else { page_size as u16 };
    h[16..18].copy_from_slice(&ps.to_be_bytes());
    h[OFF_WRITE_VERSION] = 1;
    h[OFF_READ_VERSION] = 1;
    h[OFF_RESERVED] = reserved;
    h[21] = 64;
    h[22] = 32;
    h[23] = 32;
    put_u32(&mut h, OFF_META + 4 * 2, 4); // schema format
    put_u32(&mut h, OFF_META + 4 * 5, 1); // text encoding UTF-8
    put_u32(&mut h, OFF_SQLITE_VERSION, crate::SQLITE_VERSION_NUMBER as u32);
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_header_round_trips() {
        for ps in [512u32, 1024, 4096, 65536] {
            let h = new_header(ps, 0);
            let i = parse(&h).unwrap();
            assert_eq!(i.page_size, ps);
            assert!(!i.readonly && !i.wal);
        }
    }

    #[test]
    fn garbage_is_not_a_db() {
        let mut h = new_header(4096, 0);
        h[16] = 0x30;
        assert_eq!(parse(&h).unwrap_err().primary_code(), code::NOTADB);
        assert_eq!(parse(&[0u8; 100]).unwrap_err().primary_code(), code::NOTADB);
        let mut h = new_header(512, 0);
        h[OFF_RESERVED] = 40;
        assert_eq!(parse(&h).unwrap_err().primary_code(), code::NOTADB);
    }
}
