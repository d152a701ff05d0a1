//! Pointer-map (ptrmap) pages of auto-vacuum databases (fileformat2
//! "Pointer Map or Ptrmap Pages").
//!
//! In an auto-vacuum file page 2 is a ptrmap page, and after it every
//! usable/5 + 1 pages another one (moved one page up when it would fall on
//! the lock-byte page). A ptrmap page holds a 5-byte entry (type, parent
//! pgno) for each of the usable/5 pages that follow it, saying what points
//! at that page: ROOTPAGE (parent 0), FREEPAGE (parent 0), OVERFLOW1 (the
//! B-tree page whose cell starts the chain), OVERFLOW2 (the previous
//! overflow page), BTREE (the parent B-tree page).
//!
//! Invariants (auto-vacuum files only): every page of the file other than
//! page 1, ptrmap pages and the lock-byte page has an entry naming exactly
//! the one page that references it; the entry is rewritten whenever a page
//! is allocated, freed, or gets a new parent (balance, relocation). An
//! entry that does not fit its ptrmap page, or a key that is itself a
//! ptrmap page, is SQLITE_CORRUPT, never a panic.

use super::page::{self, get_u32, put_u32};
use super::Btree;
use crate::error::{Error, Result};
use crate::pager::Pgno;

pub const PTRMAP_ROOTPAGE: u8 = 1;
pub const PTRMAP_FREEPAGE: u8 = 2;
pub const PTRMAP_OVERFLOW1: u8 = 3;
pub const PTRMAP_OVERFLOW2: u8 = 4;
pub const PTRMAP_BTREE: u8 = 5;

/// The ptrmap page holding the entry of `pgno` (0 for page 1 and below),
/// for a file with `usable` bytes per page and lock-byte page `lock`.
pub fn ptrmap_pageno(usable: usize, lock: Pgno, pgno: Pgno) -> Pgno {
    if pgno < 2 {
        return 0;
    }
    let per = (usable / 5) as Pgno + 1;
    let mut ret = ((pgno - 2) / per) * per + 2;
    if ret == lock {
        ret += 1;
    }
    ret
}

impl Btree {
    /// The ptrmap page that covers `pgno` in this file.
    pub(crate) fn ptrmap_page_of(&self, pgno: Pgno) -> Pgno {
        ptrmap_pageno(self.usable(), self.pager.lock_page(), pgno)
    }

    /// True when `pgno` is a ptrmap page (auto-vacuum files only).
    pub(crate) fn is_ptrmap_page(&self, pgno: Pgno) -> bool {
        self.ptrmap_page_of(pgno) == pgno
    }

    /// Byte offset of `key`'s entry on ptrmap page `map`.
    fn ptrmap_offset(&self, map: Pgno, key: Pgno) -> Result<usize> {
        if key <= map {
            return Err(Error::corrupt());
        }
        let off = 5 * (key - map - 1) as usize;
        if off + 5 > self.usable() {
            return Err(Error::corrupt());
        }
        Ok(off)
    }

    /// Records that page `key` is of type `kind` with parent `parent`.
    /// Writes the ptrmap page only when the entry changes.
    pub(crate) fn ptrmap_put(&mut self, key: Pgno, kind: u8, parent: Pgno) -> Result<()> {
        if !self.autovacuum {
            return Ok(());
        }
        if key < 2 {
            return Err(Error::corrupt());
        }
        let map = self.ptrmap_page_of(key);
        if map > self.pager.db_size() {
            return Err(Error::corrupt());
        }
        let off = self.ptrmap_offset(map, key)?;
        let d = self.pager.page(map)?;
        if d[off] == kind && get_u32(d, off + 1)? == parent {
            return Ok(());
        }
        let d = self.pager.page_mut(map)?;
        d[off] = kind;
        put_u32(d, off + 1, parent);
        Ok(())
    }

    /// The (type, parent) entry of page `key`.
    pub(crate) fn ptrmap_get(&mut self, key: Pgno) -> Result<(u8, Pgno)> {
        let (kind, parent) = self.ptrmap_read(key)?;
        if !(PTRMAP_ROOTPAGE..=PTRMAP_BTREE).contains(&kind) {
            return Err(Error::corrupt());
        }
        Ok((kind, parent))
    }

    /// The entry of page `key` as stored, whatever its type byte says.
    pub(crate) fn ptrmap_read(&mut self, key: Pgno) -> Result<(u8, Pgno)> {
        if key < 2 {
            return Err(Error::corrupt());
        }
        let map = self.ptrmap_page_of(key);
        if map > self.pager.db_size() {
            return Err(Error::corrupt());
        }
        let off = self.ptrmap_offset(map, key)?;
        let d = self.pager.page(map)?;
        Ok((d[off], get_u32(d, off + 1)?))
    }

    /// Points the entries of everything B-tree page `pgno` references (its
    /// children and the first pages of its cells' overflow chains) at it.
    pub(crate) fn set_child_ptrmaps(&mut self, pgno: Pgno) -> Result<()> {
        if !self.autovacuum {
            return Ok(());
        }
        let usable = self.usable();
        let mut refs: Vec<(Pgno, u8)> = Vec::new();
        {
            let d = self.pager.page(pgno)?;
            let info = page::parse(d, pgno, usable)?;
            for i in 0..info.ncell {
                let c = page::parse_cell(d, info.cell_ptr(d, i)?, &info)?;
                if (c.local as u64) < c.payload {
                    refs.push((c.ovfl, PTRMAP_OVERFLOW1));
                }
                if !info.leaf {
                    refs.push((c.child, PTRMAP_BTREE));
                }
            }
            if !info.leaf {
                refs.push((info.right, PTRMAP_BTREE));
            }
        }
        for (child, kind) in refs {
            self.ptrmap_put(child, kind, pgno)?;
        }
        Ok(())
    }

    /// Points the overflow chain of cell `idx` of page `pgno` (if any) at
    /// that page.
    pub(crate) fn ptrmap_cell(&mut self, pgno: Pgno, idx: usize) -> Result<()> {
        if !self.autovacuum {
            return Ok(());
        }
        let usable = self.usable();
        let ovfl = {
            let d = self.pager.page(pgno)?;
            let info = page::parse(d, pgno, usable)?;
            let c = page::parse_cell(d, info.cell_ptr(d, idx)?, &info)?;
            if (c.local as u64) < c.payload {
                c.ovfl
            } else {
                0
            }
        };
        if ovfl != 0 {
            self.ptrmap_put(ovfl, PTRMAP_OVERFLOW1, pgno)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::ptrmap_pageno;

    #[test]
    fn ptrmap_positions() {
        // 1024-byte pages: 204 entries per map page.
        assert_eq!(ptrmap_pageno(1024, 1_048_577, 1), 0);
        assert_eq!(ptrmap_pageno(1024, 1_048_577, 2), 2);
        assert_eq!(ptrmap_pageno(1024, 1_048_577, 206), 2);
        assert_eq!(ptrmap_pageno(1024, 1_048_577, 207), 207);
        assert_eq!(ptrmap_pageno(1024, 1_048_577, 208), 207);
        // A map page that would be the lock-byte page moves up one.
        assert_eq!(ptrmap_pageno(1024, 207, 207), 208);
    }
}
