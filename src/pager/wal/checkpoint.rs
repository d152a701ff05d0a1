//! Checkpoints (SQLite's sqlite3WalCheckpoint / walCheckpoint): copying
//! the newest version of each page in the log back into the database.
//!
//! - Under the CKPT lock (FULL, RESTART, TRUNCATE also take the WRITE
//!   lock, waiting through the busy handler; failing that they run as
//!   PASSIVE and report BUSY).
//! - The frames that may be copied end at the smallest read mark in use
//!   (`mx_safe`): a reader still on an older snapshot would otherwise see
//!   pages from its future in the database file. Marks of readers that
//!   have gone are moved up (READ1 to the end, others to unused).
//! - The copy runs under READ0 held exclusively, after a sync of the log;
//!   the database is cut to the committed size and synced when the whole
//!   log went in, and only then nBackfill moves up.
//! - FULL/RESTART/TRUNCATE report BUSY unless everything was copied;
//!   RESTART and TRUNCATE then wait until no reader uses the log (READ1..4
//!   exclusively); TRUNCATE restarts the log and cuts the file to 0 bytes.
//!
//! Results are SQLite's: the log's frame count and the frames
//! checkpointed (both -1 when the checkpoint could not start).

use super::format::{frame_offset, FRAME_HDR_SIZE};
use super::index::{self, NREADER, READMARK_NOT_USED};
use super::{Wal, WalSync};
use crate::error::{code, Error, Result};
use crate::os::VfsFile;

/// SQLITE_CHECKPOINT_* modes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum CheckpointMode {
    /// Copies nothing: only reports the log's frames and how many are
    /// checkpointed (SQLITE_CHECKPOINT_NOOP).
    Noop = -1,
    Passive = 0,
    Full = 1,
    Restart = 2,
    Truncate = 3,
}

/// What PRAGMA wal_checkpoint reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CheckpointResult {
    /// SQLITE_BUSY: the checkpoint could not do all that the mode asks.
    pub busy: bool,
    /// Frames in the log (-1: not known).
    pub log: i64,
    /// Frames checkpointed (-1: not known).
    pub ckpt: i64,
}

type Busy<'a> = Option<&'a mut dyn FnMut() -> bool>;

impl Wal {
    /// Takes a lock exclusively, calling `busy` while it is held elsewhere
    /// (SQLite's walBusyLock).
    fn busy_lock(&mut self, db: &mut dyn VfsFile, busy: &mut Busy<'_>, ofst: u32, n: u32) -> Result<()> {
        loop {
            match self.lock(db, ofst, n, true) {
                Err(e) if e.primary_code() == code::BUSY => {
                    let again = match busy.as_mut() {
                        Some(b) => b(),
                        None => false,
                    };
                    if !again {
                        return Err(e);
                    }
                }
                r => return r,
            }
        }
    }

    /// Runs a checkpoint; the connection must not be in a transaction.
    pub fn checkpoint(&mut self, db: &mut dyn VfsFile, mode: CheckpointMode, mut busy: Busy<'_>, sync: WalSync) -> Result<CheckpointResult> {
        let mut res = CheckpointResult { busy: false, log: -1, ckpt: -1 };
        if self.unreliable {
            return Err(Error::code(code::READONLY));
        }
        if mode == CheckpointMode::Noop {
            // No lock: the current header and the backfill count, as
            // they are.
            let changed = self.read_index_hdr(db)?;
            let r0 = self.region_must(db, 0)?;
            res.log = self.hdr.mx_frame as i64;
            res.ckpt = index::n_backfill(&r0) as i64;
            if changed {
                self.hdr = Default::default();
            }
            return Ok(res);
        }
        match self.lock(db, index::CKPT_LOCK, 1, true) {
            Ok(()) => self.ckpt_lock = true,
            Err(e) if e.primary_code() == code::BUSY => {
                res.busy = true;
                return Ok(res);
            }
            Err(e) => return Err(e),
        }
        let mut mode2 = mode;
        let r = (|| -> Result<()> {
            if mode != CheckpointMode::Passive {
                match self.busy_lock(db, &mut busy, index::WRITE_LOCK, 1) {
                    Ok(()) => self.write_lock = true,
                    Err(e) if e.primary_code() == code::BUSY => {
                        mode2 = CheckpointMode::Passive;
                        busy = None;
                    }
                    Err(e) => return Err(e),
                }
            }
            let changed = self.read_index_hdr(db)?;
            let r = self.checkpoint_locked(db, mode2, &mut busy, sync);
            match &r {
                Ok(()) => {}
                Err(e) if e.primary_code() == code::BUSY => res.busy = true,
                Err(_) => {}
            }
            if r.is_ok() || res.busy {
                let r0 = self.region_must(db, 0)?;
                res.log = self.hdr.mx_frame as i64;
                res.ckpt = index::n_backfill(&r0) as i64;
            }
            if changed {
                // The next read transaction must see a change (its cache
                // was filled from an older snapshot).
                self.hdr = Default::default();
            }
            match r {
                Err(e) if e.primary_code() != code::BUSY => Err(e),
                _ => Ok(()),
            }
        })();
        self.end_write(db);
        if self.ckpt_lock {
            self.ckpt_lock = false;
            self.unlock(db, index::CKPT_LOCK, 1, true);
        }
        r?;
        if mode2 != mode {
            res.busy = true;
        }
        Ok(res)
    }

    fn checkpoint_locked(&mut self, db: &mut dyn VfsFile, mode: CheckpointMode, busy: &mut Busy<'_>, sync: WalSync) -> Result<()> {
        let r0 = self.region_must(db, 0)?;
        let ps = self.hdr.page_size();
        if index::n_backfill(&r0) < self.hdr.mx_frame {
            let mut mx_safe = self.hdr.mx_frame;
            let mx_page = self.hdr.n_page;
            for i in 1..NREADER {
                let y = index::read_mark(&r0, i);
                if mx_safe > y {
                    match self.busy_lock(db, busy, index::read_lock(i), 1) {
                        Ok(()) => {
                            index::set_read_mark(&r0, i, if i == 1 { mx_safe } else { READMARK_NOT_USED });
                            self.unlock(db, index::read_lock(i), 1, true);
                        }
                        Err(e) if e.primary_code() == code::BUSY => {
                            mx_safe = y;
                            *busy = None;
                        }
                        Err(e) => return Err(e),
                    }
                }
            }
            let nb = index::n_backfill(&r0);
            if nb < mx_safe {
                let pages = self.latest_frames(db, nb, mx_safe)?;
                match self.busy_lock(db, busy, index::read_lock(0), 1) {
                    Ok(()) => {
                        let r = self.backfill(db, &r0, &pages, mx_safe, mx_page, ps, sync);
                        self.unlock(db, index::read_lock(0), 1, true);
                        r?;
                    }
                    Err(e) if e.primary_code() == code::BUSY => {}
                    Err(e) => return Err(e),
                }
            }
        }
        if mode != CheckpointMode::Passive {
            if index::n_backfill(&r0) < self.hdr.mx_frame {
                return Err(Error::code(code::BUSY));
            }
            if mode >= CheckpointMode::Restart {
                let mut salt2 = [0u8; 4];
                self.vfs.randomness(&mut salt2);
                self.busy_lock(db, busy, index::read_lock(1), NREADER - 1)?;
                let mut r = Ok(());
                if mode == CheckpointMode::Truncate {
                    self.restart_hdr(&r0, salt2);
                    r = self.file.truncate(0);
                    self.alloc_end = 0;
                }
                self.unlock(db, index::read_lock(1), NREADER - 1, true);
                r?;
            }
        }
        Ok(())
    }

    /// For frames `after+1..=upto`, the last frame of each page, in page
    /// order.
    fn latest_frames(&mut self, db: &mut dyn VfsFile, after: u32, upto: u32) -> Result<Vec<(u32, u32)>> {
        let mut v = Vec::with_capacity(upto.saturating_sub(after) as usize);
        let mut table = u32::MAX;
        let mut r = None;
        for f in after + 1..=upto {
            let t = index::frame_page(f);
            if t != table {
                r = Some(self.region_must(db, t)?);
                table = t;
            }
            if let Some(r) = &r {
                v.push((index::frame_pgno(r, f), f));
            }
        }
        v.sort_unstable();
        // Keep the last (highest) frame of each page.
        let mut out: Vec<(u32, u32)> = Vec::with_capacity(v.len());
        for (pg, f) in v {
            match out.last_mut() {
                Some(last) if last.0 == pg => last.1 = f,
                _ => out.push((pg, f)),
            }
        }
        Ok(out)
    }

    #[allow(clippy::too_many_arguments)]
    fn backfill(
        &mut self,
        db: &mut dyn VfsFile,
        r0: &crate::os::ShmRegion,
        pages: &[(u32, u32)],
        mx_safe: u32,
        mx_page: u32,
        ps: u32,
        sync: WalSync,
    ) -> Result<()> {
        let nb = index::n_backfill(r0);
        if index::live_hdr(r0).salt != self.hdr.salt {
            // The log was restarted meanwhile: nothing to copy.
            return Ok(());
        }
        index::set_n_backfill_attempted(r0, mx_safe);
        if sync.ckpt != 0 {
            self.file.sync(sync.ckpt)?;
        }
        let need = mx_page as u64 * ps as u64;
        let size = db.file_size()?;
        if size < need && size + 65536 + (self.hdr.mx_frame as u64) * (ps as u64) < need {
            return Err(Error::corrupt());
        }
        let mut buf = vec![0u8; ps as usize];
        for &(pgno, f) in pages {
            if f <= nb || f > mx_safe || pgno > mx_page || pgno == 0 {
                continue;
            }
            let off = frame_offset(f, ps) + FRAME_HDR_SIZE as u64;
            match self.file.read(&mut buf, off) {
                Ok(()) => {}
                Err(e) if e.extended_code() == code::IOERR_SHORT_READ => return Err(Error::corrupt()),
                Err(e) => return Err(e),
            }
            db.write(&buf, (pgno as u64 - 1) * ps as u64)?;
        }
        if mx_safe == index::live_hdr(r0).mx_frame {
            db.truncate(self.hdr.n_page as u64 * ps as u64)?;
            if sync.ckpt != 0 {
                db.sync(sync.ckpt)?;
            }
        }
        index::set_n_backfill(r0, mx_safe);
        Ok(())
    }
}
