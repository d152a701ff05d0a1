//! The rollback journal in SQLite's on-disk format (fileformat2 §4,
//! atomiccommit.html), so a hot journal either engine leaves behind is
//! rolled back by the other.
//!
//! Layout: a header of one sector (magic, record count, checksum nonce,
//! original database size in pages, sector size, page size, zero padding),
//! then records of `pgno (4) | original page | checksum (4)`. The checksum
//! is the nonce plus every 200th byte of the page counted down from
//! `page_size - 200`. A journal may hold several header+records segments,
//! each header starting on a sector boundary. An optional super-journal
//! name may trail the last segment.
//!
//! Invariant: playback never trusts the file: sizes come from the header
//! only after validation, every read is bounds-checked against the journal
//! size, and a bad magic, a bad checksum, a zero pgno or the lock-byte page
//! ends playback (as SQLite does: everything before the bad record was
//! synced before the database was touched).

use crate::error::{code, Error, Result};
use crate::os::{AccessKind, Vfs, VfsFile, PENDING_BYTE};

use super::header::{get_u32, put_u32};
use super::Pgno;

pub const MAGIC: [u8; 8] = [0xd9, 0xd5, 0x05, 0xf9, 0x20, 0xa1, 0x63, 0xd7];

/// The page holding PENDING_BYTE for a page size: never used for data.
pub fn lock_page(page_size: u32) -> Pgno {
    (PENDING_BYTE / page_size as u64) as Pgno + 1
}

/// SQLite's journal record checksum.
pub fn checksum(nonce: u32, data: &[u8]) -> u32 {
    let mut ck = nonce;
    let mut i = data.len() as isize - 200;
    while i > 0 {
        ck = ck.wrapping_add(data[i as usize] as u32);
        i -= 200;
    }
    ck
}

/// One journal header of `sector` bytes. `with_magic` false writes zeros
/// in the magic and record count, to be filled in when the journal is
/// synced (the crash-safe order for synchronous != OFF).
pub fn header(sector: u32, page_size: u32, with_magic: bool, nonce: u32, orig_size: Pgno) -> Vec<u8> {
    let mut h = vec![0u8; sector as usize];
    if with_magic {
        h[..8].copy_from_slice(&MAGIC);
        put_u32(&mut h, 8, 0xffff_ffff);
    }
    put_u32(&mut h, 12, nonce);
    put_u32(&mut h, 16, orig_size);
    put_u32(&mut h, 20, sector);
    put_u32(&mut h, 24, page_size);
    h
}

fn read_at(f: &mut dyn VfsFile, buf: &mut [u8], off: u64) -> Result<()> {
    f.read(buf, off)
}

/// The super-journal name trailing a journal, if any.
fn super_journal_name(j: &mut dyn VfsFile, size: u64) -> Result<Option<String>> {
    if size < 16 {
        return Ok(None);
    }
    let mut tail = [0u8; 16];
    read_at(j, &mut tail, size - 16)?;
    if tail[8..16] != MAGIC {
        return Ok(None);
    }
    let len = get_u32(&tail, 0) as u64;
    let sum = get_u32(&tail, 4);
    if len == 0 || len > 4096 || len + 20 > size {
        return Ok(None);
    }
    let mut name = vec![0u8; len as usize];
    read_at(j, &mut name, size - 16 - len)?;
    let s: u32 = name.iter().fold(0u32, |a, &b| a.wrapping_add(b as u32));
    if s != sum {
        return Ok(None);
    }
    if let Some(p) = name.iter().position(|&b| b == 0) {
        name.truncate(p);
    }
    Ok(Some(String::from_utf8_lossy(&name).into_owned()))
}

/// Result of a playback.
pub struct Playback {
    /// Database size in pages recorded in the first header (the database
    /// was truncated to it), if a valid header was found.
    pub orig_size: Option<Pgno>,
    pub pages_restored: u32,
}

/// Rolls the database `db` back from `journal`. `default_sector` is the
/// pager's sector size (the size of the first header slot).
pub fn playback(
    vfs: &dyn Vfs,
    journal: &mut dyn VfsFile,
    db: &mut dyn VfsFile,
    default_sector: u32,
    is_hot: bool,
) -> Result<Playback> {
    let size = journal.file_size()?;
    let mut out = Playback { orig_size: None, pages_restored: 0 };
    if let Some(name) = super_journal_name(journal, size)? {
        // The transaction spanned several databases; with its super-journal
        // gone it committed everywhere: nothing to roll back.
        if !vfs.access(&name, AccessKind::Exists)? {
            return Ok(out);
        }
    }
    let mut sector = default_sector as u64;
    let mut page_size = 0u64;
    let mut off = 0u64;
    let mut first = true;
    loop {
        let hdr_off = if off == 0 { 0 } else { off.div_ceil(sector) * sector };
        if hdr_off + sector > size {
            break;
        }
        let mut h = [0u8; 28];
        read_at(journal, &mut h, hdr_off)?;
        if h[..8] != MAGIC {
            break;
        }
        let mut n_rec = get_u32(&h, 8) as u64;
        let nonce = get_u32(&h, 12);
        let orig = get_u32(&h, 16);
        if first {
            let s = get_u32(&h, 20) as u64;
            let p = get_u32(&h, 24) as u64;
            if !(512..=65536).contains(&p) || !p.is_power_of_two() || !(32..=65536).contains(&s) || !s.is_power_of_two() {
                break;
            }
            sector = s;
            page_size = p;
            if hdr_off + sector > size {
                break;
            }
        }
        off = hdr_off + sector;
        let rec = page_size + 8;
        if n_rec == 0xffff_ffff {
            n_rec = (size - sector) / rec;
        }
        if n_rec == 0 && !is_hot {
            n_rec = (size - off) / rec;
        }
        if first {
            let want = orig as u64 * page_size;
            let cur = db.file_size()?;
            if cur > want {
                db.truncate(want)?;
            } else if cur < want {
                // As SQLite: extend with a zeroed last page.
                db.write(&vec![0u8; page_size as usize], want - page_size)?;
            }
            out.orig_size = Some(orig);
            first = false;
        }
        let lock_pg = lock_page(page_size as u32);
        let mut buf = vec![0u8; rec as usize];
        let mut stop = false;
        for _ in 0..n_rec {
            if off + rec > size {
                stop = true;
                break;
            }
            read_at(journal, &mut buf, off)?;
            off += rec;
            let pgno = get_u32(&buf, 0);
            if pgno == 0 || pgno == lock_pg {
                stop = true;
                break;
            }
            let data = &buf[4..4 + page_size as usize];
            let ck = get_u32(&buf, 4 + page_size as usize);
            if pgno > orig {
                continue;
            }
            if ck != checksum(nonce, data) {
                stop = true;
                break;
            }
            db.write(data, (pgno as u64 - 1) * page_size)?;
            out.pages_restored += 1;
        }
        if stop {
            break;
        }
    }
    Ok(out)
}

/// Error for a journal that cannot be opened for a needed rollback.
pub fn cantopen() -> Error {
    Error::code(code::CANTOPEN)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::os::memory::MemFile;
    use crate::os::MemoryVfs;

    #[test]
    fn checksum_counts_every_200th_byte() {
        let mut d = vec![0u8; 1024];
        d[824] = 1;
        d[624] = 2;
        d[24] = 4;
        d[0] = 100; // not counted
        assert_eq!(checksum(10, &d), 17);
    }

    #[test]
    fn playback_restores_pages_and_size() {
        let vfs = MemoryVfs::new();
        let mut db = MemFile::new();
        let ps = 512u32;
        db.write(&vec![1u8; 3 * ps as usize], 0).unwrap();
        let mut j = MemFile::new();
        let nonce = 0x1234_5678;
        let mut h = header(512, ps, true, nonce, 2);
        put_u32(&mut h, 8, 1);
        j.write(&h, 0).unwrap();
        let orig = vec![7u8; ps as usize];
        let mut rec = 2u32.to_be_bytes().to_vec();
        rec.extend_from_slice(&orig);
        rec.extend_from_slice(&checksum(nonce, &orig).to_be_bytes());
        j.write(&rec, 512).unwrap();
        let r = playback(&vfs, &mut j, &mut db, 512, true).unwrap();
        assert_eq!(r.pages_restored, 1);
        assert_eq!(db.file_size().unwrap(), 2 * ps as u64);
        let mut b = vec![0u8; ps as usize];
        db.read(&mut b, ps as u64).unwrap();
        assert_eq!(b, orig);
    }

    #[test]
    fn unsynced_header_rolls_back_nothing() {
        let vfs = MemoryVfs::new();
        let mut db = MemFile::new();
        db.write(&[3u8; 1024], 0).unwrap();
        let mut j = MemFile::new();
        j.write(&header(512, 512, false, 1, 0), 0).unwrap();
        let r = playback(&vfs, &mut j, &mut db, 512, true).unwrap();
        assert!(r.orig_size.is_none());
        assert_eq!(db.file_size().unwrap(), 1024);
    }
}
