//! Cache spill: when a write transaction dirties more pages than the cache
//! may hold, dirty pages are written to the database file before commit so
//! they can be evicted (SQLite's pagerStress, done in batches); in WAL
//! mode they go to the log instead (`Pager::spill_wal`).
//!
//! Invariants: the journal is synced (and its record count made valid)
//! before any database page is overwritten, and a new journal segment
//! (header on the next sector boundary, fresh nonce) takes later records,
//! exactly the multi-segment layout SQLite writes, so a crash after a spill
//! leaves a hot journal either engine rolls back; the EXCLUSIVE lock is
//! taken first (a spill that cannot get it is skipped and the cache grows,
//! as in SQLite); journal_mode OFF never spills, so its rollback stays
//! possible in memory.

use super::{journal, JournalMode, Pager, PagerState};
use crate::error::{code, Result};
use crate::os::LockLevel;

impl Pager {
    /// Spills dirty pages if the cache is at twice its limit.
    pub(crate) fn maybe_spill(&mut self) -> Result<()> {
        let limit = self.cache.limit();
        if self.state != PagerState::Writer
            || self.file.is_none()
            || (self.journal_mode == JournalMode::Off && self.wal.is_none())
            || limit == 0
            || self.cache.len() < (2 * limit).max(self.spill_next)
        {
            return Ok(());
        }
        // Evicting clean pages may be enough.
        self.cache.make_room();
        if self.cache.len() < 2 * limit {
            return Ok(());
        }
        let r = if self.wal.is_some() { self.spill_wal() } else { self.spill() };
        match r {
            Ok(()) => {
                self.spill_next = 0;
                Ok(())
            }
            Err(e) if e.primary_code() == code::BUSY => {
                self.spill_next = self.cache.len() + limit;
                Ok(())
            }
            Err(e) => Err(e),
        }
    }

    fn spill(&mut self) -> Result<()> {
        self.file_mut()?.lock(LockLevel::Exclusive)?;
        if self.uses_file_journal() && !self.no_sync() && !self.journal_synced {
            self.sync_journal()?;
            self.start_journal_segment()?;
        }
        let dirty = self.cache.dirty_pages();
        let ps = self.page_size as u64;
        let db_size = self.db_size;
        let file = self.file.as_mut().ok_or_else(crate::error::Error::corrupt)?;
        for &pgno in &dirty {
            if pgno > db_size {
                continue;
            }
            if let Some(p) = self.cache.get(pgno) {
                file.write(&p.data, (pgno as u64 - 1) * ps)?;
                self.db_modified = true;
                for w in &self.watches {
                    let mut w = w.lock();
                    if !w.restart && pgno < w.next {
                        w.updates.insert(pgno, p.data.clone());
                    }
                }
                if pgno > self.db_file_size {
                    self.db_file_size = pgno;
                }
            }
        }
        for pgno in dirty {
            self.cache.mark_clean(pgno);
        }
        self.cache.make_room_after_spill();
        Ok(())
    }

    /// Starts a new journal segment after a sync: header at the next
    /// sector boundary, zero magic until synced, fresh nonce.
    fn start_journal_segment(&mut self) -> Result<()> {
        let sector = self.sector_size as u64;
        let hdr_off = self.journal_off.div_ceil(sector) * sector;
        let mut r = [0u8; 4];
        self.vfs.randomness(&mut r);
        self.nonce = u32::from_le_bytes(r);
        let safe_append = self.file.as_ref().map(|f| f.device_characteristics() & crate::os::iocap::SAFE_APPEND != 0).unwrap_or(false);
        let hdr = journal::header(self.sector_size, self.page_size, self.no_sync() || safe_append, self.nonce, self.db_orig_size);
        if let Some(j) = self.journal.as_mut() {
            j.write(&hdr, hdr_off)?;
        }
        self.journal_hdr = hdr_off;
        self.journal_off = hdr_off + sector;
        self.n_rec = 0;
        Ok(())
    }
}
