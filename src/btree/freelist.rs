//! The freelist: trunk pages (next trunk, leaf count, leaf page numbers)
//! chained from header offset 32, with the free-page count at offset 36.
//!
//! Invariants: the header count equals the number of trunk plus leaf pages
//! on the list; allocation reuses free pages before growing the file; a
//! trunk never holds more than usable/4 - 8 leaves when we add to it (as
//! SQLite, for compatibility with old readers); every page number taken from
//! the list is checked against the database size, so a corrupt list yields
//! SQLITE_CORRUPT rather than a wild page.

use super::page::{get_u32, put_u32};
use super::Btree;
use crate::error::{Error, Result};
use crate::pager::header::{OFF_FREELIST_COUNT, OFF_FREELIST_TRUNK};
use crate::pager::Pgno;

impl Btree {
    fn check_pgno(&self, pgno: Pgno) -> Result<()> {
        if pgno < 2 || pgno > self.pager.db_size() || pgno == self.pager.lock_page() {
            return Err(Error::corrupt());
        }
        Ok(())
    }

    /// A page for new content: from the freelist if it has one, else a new
    /// page at the end of the file. The page is zeroed and writable.
    pub(crate) fn allocate_page(&mut self) -> Result<Pgno> {
        let (trunk, count) = {
            let p1 = self.pager.page(1)?;
            (get_u32(p1, OFF_FREELIST_TRUNK)?, get_u32(p1, OFF_FREELIST_COUNT)?)
        };
        if count == 0 || trunk == 0 {
            return self.pager.allocate_page();
        }
        self.check_pgno(trunk)?;
        let usable = self.usable();
        let (next, n) = {
            let t = self.pager.page(trunk)?;
            (get_u32(t, 0)?, get_u32(t, 4)? as usize)
        };
        if n > usable / 4 - 2 {
            return Err(Error::corrupt());
        }
        let got = if n > 0 {
            let leaf = get_u32(self.pager.page(trunk)?, 8 + 4 * (n - 1))?;
            self.check_pgno(leaf)?;
            put_u32(self.pager.page_mut(trunk)?, 4, (n - 1) as u32);
            leaf
        } else {
            if next != 0 {
                self.check_pgno(next)?;
            }
            put_u32(self.pager.page_mut(1)?, OFF_FREELIST_TRUNK, next);
            trunk
        };
        put_u32(self.pager.page_mut(1)?, OFF_FREELIST_COUNT, count - 1);
        self.pager.page_mut(got)?.fill(0);
        Ok(got)
    }

    /// Puts page `pgno` on the freelist.
    pub(crate) fn free_page(&mut self, pgno: Pgno) -> Result<()> {
        self.check_pgno(pgno)?;
        let (trunk, count) = {
            let p1 = self.pager.page(1)?;
            (get_u32(p1, OFF_FREELIST_TRUNK)?, get_u32(p1, OFF_FREELIST_COUNT)?)
        };
        if count >= self.pager.db_size() {
            return Err(Error::corrupt());
        }
        put_u32(self.pager.page_mut(1)?, OFF_FREELIST_COUNT, count + 1);
        let usable = self.usable();
        if trunk != 0 {
            self.check_pgno(trunk)?;
            let n = get_u32(self.pager.page(trunk)?, 4)? as usize;
            if n > usable / 4 - 2 {
                return Err(Error::corrupt());
            }
            if n < usable / 4 - 8 {
                let t = self.pager.page_mut(trunk)?;
                put_u32(t, 8 + 4 * n, pgno);
                put_u32(t, 4, (n + 1) as u32);
                return Ok(());
            }
        }
        // The freed page becomes the new first trunk.
        let p = self.pager.page_mut(pgno)?;
        p.fill(0);
        put_u32(p, 0, trunk);
        put_u32(self.pager.page_mut(1)?, OFF_FREELIST_TRUNK, pgno);
        Ok(())
    }

    /// Number of pages on the freelist (header count).
    pub fn freelist_count(&mut self) -> Result<u32> {
        get_u32(self.pager.page(1)?, OFF_FREELIST_COUNT)
    }
}
