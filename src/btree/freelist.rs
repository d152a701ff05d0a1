//! The freelist: trunk pages (next trunk, leaf count, leaf page numbers)
//! chained from header offset 32, with the free-page count at offset 36.
//!
//! Invariants: the header count equals the number of trunk plus leaf pages
//! on the list; allocation reuses free pages before growing the file; a
//! trunk never holds more than usable/4 - 8 leaves when we add to it (as
//! SQLite, for compatibility with old readers); every page number taken from
//! the list is checked against the database size, so a corrupt list yields
//! SQLITE_CORRUPT rather than a wild page. In auto-vacuum files a freed
//! page gets a FREEPAGE ptrmap entry and growing the file never hands out
//! a ptrmap page.

use super::page::{get_u32, put_u32};
use super::ptrmap::PTRMAP_FREEPAGE;
use super::Btree;
use crate::error::{Error, Result};
use crate::pager::header::{OFF_FREELIST_COUNT, OFF_FREELIST_TRUNK};
use crate::pager::Pgno;

/// Which page `Btree::allocate` may return.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Alloc {
    /// Any free page, else a new page at the end of the file.
    Any,
    /// Exactly this page, which must be on the freelist.
    Exact(Pgno),
    /// A free page numbered at most this.
    Le(Pgno),
}

impl Btree {
    pub(crate) fn check_pgno(&self, pgno: Pgno) -> Result<()> {
        if pgno < 2 || pgno > self.pager.db_size() || pgno == self.pager.lock_page() {
            return Err(Error::corrupt());
        }
        Ok(())
    }

    /// A page for new content: from the freelist if it has one, else a new
    /// page at the end of the file. The page is zeroed and writable.
    pub(crate) fn allocate_page(&mut self) -> Result<Pgno> {
        self.allocate(Alloc::Any)
    }

    /// A page chosen as `mode` says (see `Alloc`). The page is zeroed and
    /// writable; in an auto-vacuum file its ptrmap entry is the caller's to
    /// set.
    pub(crate) fn allocate(&mut self, mode: Alloc) -> Result<Pgno> {
        let (trunk, count) = {
            let p1 = self.pager.page(1)?;
            (get_u32(p1, OFF_FREELIST_TRUNK)?, get_u32(p1, OFF_FREELIST_COUNT)?)
        };
        if count == 0 || trunk == 0 {
            if mode != Alloc::Any {
                return Err(Error::corrupt());
            }
            return self.grow();
        }
        let got = self.take_free(mode, trunk)?;
        put_u32(self.pager.page_mut(1)?, OFF_FREELIST_COUNT, count - 1);
        self.pager.page_mut(got)?.fill(0);
        Ok(got)
    }

    /// A new page at the end of the file. In an auto-vacuum file a page
    /// that falls where a ptrmap page belongs becomes that (empty) ptrmap
    /// page and the next one is returned.
    pub(crate) fn grow(&mut self) -> Result<Pgno> {
        let pg = self.pager.allocate_page()?;
        if self.autovacuum && self.is_ptrmap_page(pg) {
            return self.pager.allocate_page();
        }
        Ok(pg)
    }

    /// Takes a page off the freelist starting at `first` trunk: any page
    /// (`Any`), exactly one page (`Exact`), or one not above a limit
    /// (`Le`). The header count is the caller's to decrement.
    fn take_free(&mut self, mode: Alloc, first: Pgno) -> Result<Pgno> {
        let usable = self.usable();
        let max_trunks = self.pager.db_size();
        let mut prev: Pgno = 0; // 0 = the header points at `trunk`
        let mut trunk = first;
        for _ in 0..max_trunks {
            self.check_pgno(trunk)?;
            let (next, n) = {
                let t = self.pager.page(trunk)?;
                (get_u32(t, 0)?, get_u32(t, 4)? as usize)
            };
            if n > usable / 4 - 2 {
                return Err(Error::corrupt());
            }
            let take_trunk = match mode {
                Alloc::Any => n == 0,
                Alloc::Exact(p) => p == trunk,
                Alloc::Le(p) => trunk <= p,
            };
            if take_trunk {
                // The trunk itself is allocated; with leaves, its first leaf
                // becomes a trunk holding the others.
                let replacement = if n == 0 {
                    next
                } else {
                    let (leaf, rest) = {
                        let t = self.pager.page(trunk)?;
                        (get_u32(t, 8)?, t[12..8 + 4 * n].to_vec())
                    };
                    self.check_pgno(leaf)?;
                    let d = self.pager.page_mut(leaf)?;
                    d.fill(0);
                    put_u32(d, 0, next);
                    put_u32(d, 4, (n - 1) as u32);
                    d[8..8 + rest.len()].copy_from_slice(&rest);
                    leaf
                };
                if prev == 0 {
                    put_u32(self.pager.page_mut(1)?, OFF_FREELIST_TRUNK, replacement);
                } else {
                    put_u32(self.pager.page_mut(prev)?, 0, replacement);
                }
                return Ok(trunk);
            }
            if n > 0 {
                let leaves: Vec<Pgno> = {
                    let t = self.pager.page(trunk)?;
                    (0..n).map(|i| get_u32(t, 8 + 4 * i)).collect::<Result<_>>()?
                };
                let pick = match mode {
                    Alloc::Any => Some(n - 1),
                    Alloc::Exact(p) => leaves.iter().position(|&l| l == p),
                    Alloc::Le(p) => leaves.iter().position(|&l| l <= p),
                };
                if let Some(i) = pick {
                    let leaf = leaves[i];
                    self.check_pgno(leaf)?;
                    let t = self.pager.page_mut(trunk)?;
                    if i != n - 1 {
                        put_u32(t, 8 + 4 * i, leaves[n - 1]);
                    }
                    put_u32(t, 4, (n - 1) as u32);
                    return Ok(leaf);
                }
            }
            if next == 0 {
                break;
            }
            prev = trunk;
            trunk = next;
        }
        Err(Error::corrupt())
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
                self.ptrmap_put(pgno, PTRMAP_FREEPAGE, 0)?;
                let t = self.pager.page_mut(trunk)?;
                put_u32(t, 8 + 4 * n, pgno);
                put_u32(t, 4, (n + 1) as u32);
                return Ok(());
            }
        }
        // The freed page becomes the new first trunk.
        self.ptrmap_put(pgno, PTRMAP_FREEPAGE, 0)?;
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
