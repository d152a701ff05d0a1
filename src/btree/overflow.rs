//! Overflow payload: the part of a payload that does not stay on the
//! B-tree page lives in a chain of overflow pages, each `next pgno (4) |
//! up to usable-4 bytes`.
//!
//! Invariants: a chain is followed for exactly as many pages as the payload
//! size requires, so a cycle or an over-long chain cannot hang a reader;
//! every page number is checked against the database size; a chain that
//! ends early, or that comes back to a page it already went through, is
//! SQLITE_CORRUPT (SQLite itself would return the looping pages' bytes as
//! the payload; freeing such a chain would put a page on the freelist
//! twice).

use super::page::{get_u32, local_size, put_u32, CellInfo};
use super::varint;
use super::Btree;
use crate::error::{Error, Result};
use crate::pager::Pgno;

/// Pages of one overflow chain seen so far, to catch a chain that loops.
/// Most chains are one page: nothing is allocated until the second.
#[derive(Default)]
struct ChainSeen {
    first: Pgno,
    rest: Option<std::collections::HashSet<Pgno>>,
}

impl ChainSeen {
    /// Records `pg`; CORRUPT if the chain went through it already.
    fn visit(&mut self, pg: Pgno) -> Result<()> {
        if self.first == 0 {
            self.first = pg;
            return Ok(());
        }
        let first = self.first;
        let set = self.rest.get_or_insert_with(|| std::iter::once(first).collect());
        if !set.insert(pg) {
            return Err(Error::corrupt());
        }
        Ok(())
    }
}

impl Btree {
    /// Appends the `remaining` overflow bytes starting at page `first`.
    pub(crate) fn read_overflow(&mut self, first: Pgno, mut remaining: u64, out: &mut Vec<u8>) -> Result<()> {
        let per = (self.usable() - 4) as u64;
        let mut pg = first;
        let max_pages = remaining.div_ceil(per);
        let db_size = self.pager.db_size();
        let mut seen = ChainSeen::default();
        for _ in 0..max_pages {
            if pg < 2 || pg > db_size {
                return Err(Error::corrupt());
            }
            seen.visit(pg)?;
            let data = self.pager.page(pg)?;
            let n = remaining.min(per) as usize;
            out.extend_from_slice(data.get(4..4 + n).ok_or_else(Error::corrupt)?);
            remaining -= n as u64;
            pg = get_u32(data, 0)?;
        }
        if remaining != 0 {
            return Err(Error::corrupt());
        }
        Ok(())
    }

    /// The whole payload of a parsed cell on page `pgno` into `out`.
    pub(crate) fn cell_payload(&mut self, pgno: Pgno, c: &CellInfo, out: &mut Vec<u8>) -> Result<()> {
        out.clear();
        {
            let data = self.pager.page(pgno)?;
            out.extend_from_slice(data.get(c.payload_off..c.payload_off + c.local).ok_or_else(Error::corrupt)?);
        }
        if (c.local as u64) < c.payload {
            self.read_overflow(c.ovfl, c.payload - c.local as u64, out)?;
        }
        Ok(())
    }

    /// Bytes `offset..offset+amount` of a cell's payload into `out`,
    /// reading only the overflow pages that hold them.
    pub(crate) fn cell_payload_range(&mut self, pgno: Pgno, c: &CellInfo, offset: u64, amount: u64, out: &mut Vec<u8>) -> Result<()> {
        out.clear();
        let end = offset.checked_add(amount).filter(|&e| e <= c.payload).ok_or_else(Error::corrupt)?;
        let local = c.local as u64;
        if offset < local {
            let data = self.pager.page(pgno)?;
            let a = c.payload_off + offset as usize;
            let b = c.payload_off + end.min(local) as usize;
            out.extend_from_slice(data.get(a..b).ok_or_else(Error::corrupt)?);
        }
        if end <= local {
            return Ok(());
        }
        let per = (self.usable() - 4) as u64;
        let db_size = self.pager.db_size();
        let n_pages = (c.payload - local).div_ceil(per);
        let mut pg = c.ovfl;
        let mut pos = local; // payload offset at the start of page `pg`'s data
        let mut seen = ChainSeen::default();
        for _ in 0..n_pages {
            if pos >= end {
                break;
            }
            if pg < 2 || pg > db_size {
                return Err(Error::corrupt());
            }
            seen.visit(pg)?;
            let data = self.pager.page(pg)?;
            let here = per.min(c.payload - pos);
            if pos + here > offset {
                let a = offset.saturating_sub(pos);
                let b = (end - pos).min(here);
                out.extend_from_slice(data.get(4 + a as usize..4 + b as usize).ok_or_else(Error::corrupt)?);
            }
            pos += here;
            pg = get_u32(data, 0)?;
        }
        if (out.len() as u64) != amount {
            return Err(Error::corrupt());
        }
        Ok(())
    }

    /// Frees the overflow chain of a cell (if it has one).
    pub(crate) fn free_overflow(&mut self, c: &CellInfo) -> Result<()> {
        if (c.local as u64) >= c.payload {
            return Ok(());
        }
        let per = (self.usable() - 4) as u64;
        let n = (c.payload - c.local as u64).div_ceil(per);
        let mut pg = c.ovfl;
        let db_size = self.pager.db_size();
        let mut seen = ChainSeen::default();
        for _ in 0..n {
            if pg < 2 || pg > db_size {
                return Err(Error::corrupt());
            }
            seen.visit(pg)?;
            let next = get_u32(self.pager.page(pg)?, 0)?;
            self.free_page(pg)?;
            pg = next;
        }
        Ok(())
    }

    /// Builds a leaf cell (table: with `rowid`; index: `rowid` ignored) for
    /// `payload` into `out`, writing any overflow pages.
    pub(crate) fn build_leaf_cell(&mut self, table: bool, rowid: i64, payload: &[u8], out: &mut Vec<u8>) -> Result<()> {
        out.clear();
        let usable = self.usable();
        varint::put(out, payload.len() as u64);
        if table {
            varint::put(out, rowid as u64);
        }
        let local = local_size(payload.len() as u64, usable, table);
        out.extend_from_slice(&payload[..local]);
        if local == payload.len() {
            return Ok(());
        }
        // Overflow chain, written front to back.
        let per = usable - 4;
        let mut rest = &payload[local..];
        let first = self.allocate_page()?;
        out.extend_from_slice(&first.to_be_bytes());
        let mut pg = first;
        loop {
            let n = rest.len().min(per);
            let next = if rest.len() > n { self.allocate_page()? } else { 0 };
            if next != 0 {
                self.ptrmap_put(next, super::ptrmap::PTRMAP_OVERFLOW2, pg)?;
            }
            let d = self.pager.page_mut(pg)?;
            put_u32(d, 0, next);
            d[4..4 + n].copy_from_slice(&rest[..n]);
            rest = &rest[n..];
            if next == 0 {
                break;
            }
            pg = next;
        }
        Ok(())
    }
}
