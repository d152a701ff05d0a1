//! Committing a whole new database image of another page size (VACUUM
//! after `PRAGMA page_size = N`).
//!
//! The ordinary commit writes cached pages of the pager's own size. A new
//! page size cannot go through the cache, so this commit:
//! 1. journals every page of the original file (at the old size, as the
//!    journal header says), so a crash at any later point leaves a hot
//!    journal that restores the old file byte for byte, whichever engine
//!    rolls it back;
//! 2. takes EXCLUSIVE and syncs the journal;
//! 3. writes the new image page by page at the new size (skipping the new
//!    lock-byte page), truncates the file to it and syncs it;
//! 4. finalizes the journal — the commit point — and only then adopts the
//!    new page size, with an empty cache.
//!
//! A failure before the commit point leaves the transaction open with the
//! file marked modified: `rollback` plays the journal back as after any
//! failed commit.

use crate::error::{code, Error, Result};
use crate::os::LockLevel;

use super::header::{self, get_u32, put_u32};
use super::{journal, Pager, PagerState};

impl Pager {
    /// Commits the open write transaction so that the database becomes
    /// exactly `src`'s content, with `src`'s page size and reserved bytes.
    /// `src` must have a read or write transaction open. In-memory
    /// databases cannot change page size (SQLite keeps theirs too).
    pub fn commit_replacing(&mut self, src: &mut Pager) -> Result<()> {
        if self.state != PagerState::Writer || self.file.is_none() {
            return Err(Error::misuse());
        }
        if src.state == PagerState::Open {
            return Err(Error::misuse());
        }
        if self.wal.is_some() {
            return Err(Error::sql("changing the page size of a WAL database is not supported yet"));
        }
        let old_lock = self.lock_page();
        for pg in 1..=self.db_orig_size {
            if pg != old_lock && !self.in_journal.contains(&pg) {
                // Journals the original; the content itself stays as is.
                self.page_mut(pg)?;
            }
        }
        let counter = if self.db_orig_size > 0 {
            get_u32(self.page(1)?, header::OFF_CHANGE_COUNTER).wrapping_add(1)
        } else {
            1
        };
        self.file_mut()?.lock(LockLevel::Exclusive)?;
        self.sync_journal()?;

        let new_ps = src.page_size;
        let n = src.db_size;
        let new_lock = journal::lock_page(new_ps);
        let no_sync = self.no_sync();
        let sync_flags = self.sync_flags();
        self.db_modified = true;
        let mut vers = [0u8; 16];
        {
            let file = self.file.as_mut().ok_or_else(|| Error::code(code::INTERNAL))?;
            for pg in 1..=n {
                if pg == new_lock {
                    continue;
                }
                let off = (pg as u64 - 1) * new_ps as u64;
                let data = src.page(pg)?;
                if pg == 1 {
                    let mut p1 = data.to_vec();
                    put_u32(&mut p1, header::OFF_CHANGE_COUNTER, counter);
                    put_u32(&mut p1, header::OFF_VERSION_VALID_FOR, counter);
                    put_u32(&mut p1, header::OFF_SQLITE_VERSION, crate::SQLITE_VERSION_NUMBER as u32);
                    put_u32(&mut p1, header::OFF_DB_SIZE, n);
                    vers.copy_from_slice(&p1[24..40]);
                    file.write(&p1, off)?;
                } else {
                    file.write(data, off)?;
                }
            }
            file.truncate(n as u64 * new_ps as u64)?;
            if !no_sync {
                file.sync(sync_flags)?;
            }
        }
        self.finalize_journal()?;

        // Committed: adopt the new layout.
        self.cache.clear();
        self.watch_restart();
        self.page_size = new_ps;
        self.reserved = src.reserved;
        self.apply_cache_size();
        self.db_size = n;
        self.db_orig_size = n;
        self.db_file_size = n;
        self.file_vers = vers;
        self.end_write()
    }
}
