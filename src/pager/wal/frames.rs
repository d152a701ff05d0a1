//! Appending a write transaction's frames to the log: spilled before the
//! commit when the transaction outgrows the page cache, then the rest with
//! the commit frame, and the whole transaction published in the index.
//!
//! A spill writes frames past the last committed one without a commit
//! size and without touching the index, so readers (theirs stops at the
//! published `mx_frame`) and a recovery (it keeps only frames up to a
//! commit frame) never see them; the writer itself finds its spilled pages
//! through `Pending::latest`. The commit chains its frames' checksums on
//! from the spilled ones, syncs, then adds every frame of the transaction
//! to the index and publishes the header. A transaction that ends without
//! committing just forgets its pending frames (`Wal::end_write`): the next
//! writer starts at the same frame and overwrites them.
//!
//! Invariants: the frames of one transaction are contiguous from
//! `Pending::first`; `Pending::hdr.frame_cksum` is the checksum after the
//! last one written; nothing reaches the index before the commit's sync.

use super::format::{self, frame_offset, WalHeader, FRAME_HDR_SIZE, HOST_BIG_ENDIAN};
use super::index::{self, IndexHdr};
use super::{Wal, WalSync};
use crate::error::{Error, Result};
use crate::os::VfsFile;
use crate::pager::cache::PgnoMap;

/// The largest frame buffer kept between commits (bigger transactions
/// allocate their own).
const FRAME_BUF_KEEP: usize = 256 * 1024;

/// What the file is grown with, a piece at a time.
static ZEROS: [u8; 64 * 1024] = [0; 64 * 1024];

/// The frames an open write transaction has written so far.
pub(crate) struct Pending {
    /// The header to publish at commit (salts, checksum order, page size,
    /// running frame checksum).
    hdr: IndexHdr,
    /// The transaction's first frame.
    first: u32,
    /// The page of each frame written, in frame order.
    pgnos: Vec<u32>,
    /// Each page's latest frame.
    latest: PgnoMap<u32>,
    /// The transaction started a new log (frame 1).
    new_log: bool,
}

impl Wal {
    /// Writes `pages` (page number, image) as frames of the open write
    /// transaction before its commit, so that the pager may drop them
    /// from its cache. The WRITE lock must be held.
    pub fn spill_frames(&mut self, db: &mut dyn VfsFile, page_size: u32, pages: &[(u32, &[u8])], sync: WalSync) -> Result<()> {
        if !self.write_lock {
            return Err(Error::misuse());
        }
        if pages.is_empty() {
            return Ok(());
        }
        self.start_frames(db, page_size, sync)?;
        self.write_frames(page_size, pages, None)
    }

    /// The frame holding the open write transaction's latest spilled
    /// image of `pgno`, if it spilled one.
    pub fn spilled_frame(&self, pgno: u32) -> Option<u32> {
        self.pending.as_ref().and_then(|p| p.latest.get(&pgno).copied())
    }

    /// Whether the open write transaction spilled frames.
    pub fn has_spilled(&self) -> bool {
        self.pending.is_some()
    }

    /// Appends `pages` (page number, image; each page at most once) as
    /// the end of the transaction, committing a database of `commit_size`
    /// pages, and publishes it with the frames spilled before. The WRITE
    /// lock must be held; `pages` may be empty only when nothing was
    /// spilled (then nothing is written).
    pub fn commit_frames(&mut self, db: &mut dyn VfsFile, page_size: u32, pages: &[(u32, &[u8])], commit_size: u32, sync: WalSync) -> Result<()> {
        if !self.write_lock {
            return Err(Error::misuse());
        }
        if pages.is_empty() {
            // A commit frame must carry the size.
            return if self.pending.is_some() { Err(Error::misuse()) } else { Ok(()) };
        }
        self.start_frames(db, page_size, sync)?;
        self.write_frames(page_size, pages, Some(commit_size))?;
        if sync.commit != 0 {
            // On failure `pending` stays, so that the rollback that follows
            // knows the cache holds spilled changes.
            self.file.sync(sync.commit)?;
        }
        let Some(p) = self.pending.take() else { return Err(Error::misuse()) };
        let count = p.pgnos.len() as u32;
        if p.new_log && self.size_limit >= 0 {
            // The log started over: what lies past its frames (an older,
            // longer log) goes, down to journal_size_limit. As SQLite,
            // a failure here is not the commit's.
            let end = frame_offset(p.first + count, page_size);
            let _ = self.limit_size(end.max(self.size_limit as u64));
        }
        let mut hdr = p.hdr;
        for (k, pgno) in p.pgnos.iter().enumerate() {
            let f = p.first + k as u32;
            let r = self.region_must(db, index::frame_page(f))?;
            index::append(&r, f, *pgno, hdr.mx_frame)?;
        }
        hdr.mx_frame = p.first + count - 1;
        hdr.n_page = commit_size;
        hdr.change = hdr.change.wrapping_add(1);
        let r0 = self.region_must(db, 0)?;
        index::write_hdr(&r0, &mut hdr);
        self.hdr = hdr;
        Ok(())
    }

    /// Before the transaction's first frame: restarts the log if it may
    /// (SQLite's walRestartLog), writes a new log's header, and sets up
    /// `pending`.
    fn start_frames(&mut self, db: &mut dyn VfsFile, page_size: u32, sync: WalSync) -> Result<()> {
        if self.pending.is_some() {
            return Ok(());
        }
        self.restart_log(db)?;
        let mut hdr = self.hdr;
        let new_log = hdr.mx_frame == 0;
        if new_log {
            let mut salt = hdr.salt;
            if self.n_ckpt == 0 {
                self.vfs.randomness(&mut salt);
            }
            let wh = WalHeader::new(page_size, self.n_ckpt, salt);
            self.file.write(&wh.encode(), 0)?;
            if self.sync_header && sync.ckpt != 0 {
                self.file.sync(sync.ckpt)?;
            }
            hdr.salt = salt;
            hdr.big_end_cksum = HOST_BIG_ENDIAN as u8;
            hdr.frame_cksum = wh.cksum;
            hdr.set_page_size(page_size);
        } else if hdr.page_size() != page_size {
            return Err(Error::corrupt());
        }
        self.pending = Some(Pending { hdr, first: hdr.mx_frame + 1, pgnos: Vec::new(), latest: PgnoMap::default(), new_log });
        Ok(())
    }

    /// Before frames ending at byte `end` are written: if they would make
    /// the file longer, it is first grown past them with zeros (by as much
    /// as it holds, at most `grow_max`, never past journal_size_limit), so
    /// that the next commits write over blocks the file system already
    /// has: a sync that need not record a new size or allocation is
    /// cheaper (about half, and its tail much shorter, on ext4). The
    /// zeros are no frames to a recovery (their salts do not match), as
    /// the old frames past a restarted log's end are not. The WRITE lock
    /// is held, so nobody else changes the file's size meanwhile; only
    /// bytes past its end are written.
    fn reserve(&mut self, end: u64) -> Result<()> {
        if end <= self.alloc_end {
            return Ok(());
        }
        let size = self.file.file_size()?;
        if end <= size || self.grow_max == 0 {
            self.alloc_end = size;
            return Ok(());
        }
        let mut target = end + end.min(self.grow_max);
        if self.size_limit >= 0 {
            target = target.min((self.size_limit as u64).max(end));
        }
        let mut at = size.max(end);
        while at < target {
            let n = ((target - at) as usize).min(ZEROS.len());
            if self.file.write(&ZEROS[..n], at).is_err() {
                // A disk too full for the zeros may still hold the frames,
                // as it would for SQLite: the growth is given up, never
                // the commit.
                let _ = self.file.truncate(size);
                self.alloc_end = 0;
                return Ok(());
            }
            at += n as u64;
        }
        self.alloc_end = target;
        Ok(())
    }

    /// Writes `pages` as the next frames of `pending`; the last one is the
    /// commit frame when `commit` gives the database size.
    fn write_frames(&mut self, page_size: u32, pages: &[(u32, &[u8])], commit: Option<u32>) -> Result<()> {
        let Some(p) = self.pending.as_mut() else { return Err(Error::misuse()) };
        let big = p.hdr.big_end_cksum != 0;
        let frame_size = FRAME_HDR_SIZE + page_size as usize;
        // One buffer kept from commit to commit (no allocation per commit).
        let mut buf = std::mem::take(&mut self.frame_buf);
        buf.clear();
        buf.reserve(frame_size * pages.len());
        let mut ck = p.hdr.frame_cksum;
        for (k, (pgno, data)) in pages.iter().enumerate() {
            if data.len() != page_size as usize || *pgno == 0 {
                return Err(Error::misuse());
            }
            let size = match commit {
                Some(n) if k + 1 == pages.len() => n,
                _ => 0,
            };
            let mut fh = [0u8; FRAME_HDR_SIZE];
            ck = format::encode_frame(big, &p.hdr.salt, ck, *pgno, size, data, &mut fh);
            buf.extend_from_slice(&fh);
            buf.extend_from_slice(data);
        }
        let first = p.first + p.pgnos.len() as u32;
        let r = self.reserve(frame_offset(first + pages.len() as u32, page_size)).and_then(|()| {
            // A failed write leaves `pending` as it was: the transaction
            // goes on with the frames it had (these are overwritten later).
            self.file.write(&buf, frame_offset(first, page_size))
        });
        if buf.capacity() <= FRAME_BUF_KEEP {
            self.frame_buf = buf;
        }
        r?;
        let Some(p) = self.pending.as_mut() else { return Err(Error::misuse()) };
        for (k, (pgno, _)) in pages.iter().enumerate() {
            p.pgnos.push(*pgno);
            p.latest.insert(*pgno, first + k as u32);
        }
        p.hdr.frame_cksum = ck;
        Ok(())
    }
}
