//! Rebuilding the wal-index from the log (SQLite's walIndexRecover), when
//! the index header does not check out: the first connection after every
//! process closed (the `-shm` was reset), or after a writer died half-way
//! through publishing a header.
//!
//! Under the WRITE lock (held by the caller) plus CKPT and RECOVER, the
//! log is read from frame 1 while frames are valid (salts match, page
//! number not 0, checksum chain intact); the last commit frame seen ends
//! the recovered log (its mxFrame, nPage and checksum go into the new
//! header). Each hash table is built in private memory first and then
//! copied over the shared one, so a reader of the old index never sees a
//! half-cleared table. The checkpoint info is reset (nothing backfilled)
//! and read mark 1 points at the recovered end.
//!
//! A log whose header is invalid (bad magic, page size or checksum) holds
//! nothing: the index is reset to an empty log. An unknown format version
//! is SQLITE_CANTOPEN, as in SQLite.

use super::format::{self, frame_offset, WalHeader, FRAME_HDR_SIZE, WAL_HDR_SIZE, WAL_VERSION};
use super::index::{self, IndexHdr, HASHTABLE_NPAGE, HASHTABLE_NPAGE_ONE, INDEX_HDR_SIZE, NREADER, READMARK_NOT_USED};
use super::Wal;
use crate::error::{code, Error, Result};
use crate::os::{ShmRegion, VfsFile, SHM_REGION_SIZE};

impl Wal {
    /// Rebuilds the index; the caller holds the WRITE lock.
    pub(super) fn recover(&mut self, db: &mut dyn VfsFile) -> Result<()> {
        let first = index::CKPT_LOCK + self.ckpt_lock as u32;
        let n = index::read_lock(0) - first;
        self.lock(db, first, n, true)?;
        let r = self.recover_locked(db);
        self.unlock(db, first, n, true);
        r
    }

    pub(super) fn recover_locked(&mut self, db: &mut dyn VfsFile) -> Result<()> {
        let mut hdr = IndexHdr::default();
        let mut last_cksum = [0u32; 2];
        let size = self.file.file_size()?;
        if size > WAL_HDR_SIZE as u64 {
            let mut hb = [0u8; WAL_HDR_SIZE];
            self.file.read(&mut hb, 0)?;
            if let Some(wh) = WalHeader::decode(&hb) {
                if wh.version != WAL_VERSION {
                    return Err(Error::code(code::CANTOPEN));
                }
                self.n_ckpt = wh.ckpt_seq;
                hdr.big_end_cksum = wh.big_endian as u8;
                hdr.salt = wh.salt;
                self.scan_frames(db, &wh, size, &mut hdr, &mut last_cksum)?;
            }
        }
        hdr.frame_cksum = last_cksum;
        let r0 = self.region_must(db, 0)?;
        index::write_hdr(&r0, &mut hdr);
        self.hdr = hdr;
        self.recovered = true;
        index::set_n_backfill(&r0, 0);
        index::set_n_backfill_attempted(&r0, hdr.mx_frame);
        index::set_read_mark(&r0, 0, 0);
        for i in 1..NREADER {
            match self.lock(db, index::read_lock(i), 1, true) {
                Ok(()) => {
                    let m = if i == 1 && hdr.mx_frame > 0 { hdr.mx_frame } else { READMARK_NOT_USED };
                    index::set_read_mark(&r0, i, m);
                    self.unlock(db, index::read_lock(i), 1, true);
                }
                Err(e) if e.primary_code() == code::BUSY => {}
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }

    /// Reads the valid frames, filling the hash tables table by table.
    fn scan_frames(&mut self, db: &mut dyn VfsFile, wh: &WalHeader, size: u64, hdr: &mut IndexHdr, last_cksum: &mut [u32; 2]) -> Result<()> {
        let ps = wh.page_size;
        let frame_size = FRAME_HDR_SIZE as u64 + ps as u64;
        let n_frames = ((size - WAL_HDR_SIZE as u64) / frame_size).min(u32::MAX as u64 - 1) as u32;
        let mut buf = vec![0u8; frame_size as usize];
        let mut ck = wh.cksum;
        let mut table = 0u32;
        let mut frame = 1u32;
        while frame <= n_frames {
            let first = index::first_frame(table);
            let last = n_frames.min(HASHTABLE_NPAGE_ONE + table * HASHTABLE_NPAGE);
            let private = ShmRegion::heap();
            let mut valid_to_end = true;
            while frame <= last {
                self.file.read(&mut buf, frame_offset(frame, ps))?;
                let (fh, data) = buf.split_at(FRAME_HDR_SIZE);
                let Some(f) = format::decode_frame(wh.big_endian, &wh.salt, ck, fh, data) else {
                    valid_to_end = false;
                    break;
                };
                ck = f.cksum;
                index::append(&private, frame, f.pgno, 0)?;
                if f.commit_size != 0 {
                    hdr.mx_frame = frame;
                    hdr.n_page = f.commit_size;
                    hdr.set_page_size(ps);
                    *last_cksum = ck;
                }
                frame += 1;
            }
            if frame > first {
                // Publish this table: everything past the index header.
                let shared = self.region_must_extend(db, table)?;
                let from = if table == 0 { INDEX_HDR_SIZE } else { 0 };
                for off in (from..SHM_REGION_SIZE).step_by(4) {
                    let v = private.get_u32(off);
                    if shared.get_u32(off) != v {
                        shared.set_u32(off, v);
                    }
                }
            }
            if !valid_to_end {
                break;
            }
            table += 1;
        }
        Ok(())
    }

    /// Region `i`, created if needed (the caller holds the WRITE lock).
    fn region_must_extend(&mut self, db: &mut dyn VfsFile, i: u32) -> Result<ShmRegion> {
        debug_assert!(self.write_lock);
        self.region_must(db, i)
    }
}
