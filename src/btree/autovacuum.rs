//! Auto-vacuum: moving pages so that free pages end up at the end of the
//! file, where they are cut off.
//!
//! - `relocate_page` moves one in-use page to another page number and
//!   fixes everything that refers to it: the parent's pointer (child
//!   pointer, right child, overflow pointer or previous overflow page),
//!   the ptrmap entries of what the page itself refers to, and its own
//!   ptrmap entry.
//! - FULL mode: `autovacuum_commit` runs before every commit, moving the
//!   last in-use pages into free slots until none is free, then truncating
//!   (SQLite's autoVacuumCommit). INCREMENTAL mode: `incremental_vacuum`
//!   does the same for at most N free pages, on request.
//! - Root pages sit at the front of the file: a new tree takes page
//!   largest-root + 1 (relocating what is there), and dropping a tree moves
//!   the tree with the largest root into the freed slot (the caller then
//!   rewrites that tree's rootpage in sqlite_schema).
//!
//! Invariants: after each step every page reference and ptrmap entry is
//! consistent again (so an error mid-way needs only the usual statement
//! or transaction rollback); page 1, ptrmap pages and the lock-byte page
//! are never moved or handed out; every cursor re-seeks after a move
//! (the epoch is bumped).

use super::freelist::Alloc;
use super::page::{self, get_u32, put_u32};
use super::ptrmap::{PTRMAP_BTREE, PTRMAP_FREEPAGE, PTRMAP_OVERFLOW1, PTRMAP_OVERFLOW2, PTRMAP_ROOTPAGE};
use super::Btree;
use crate::error::{code, Error, Result};
use crate::pager::header::{OFF_DB_SIZE, OFF_FREELIST_COUNT, OFF_FREELIST_TRUNK, OFF_META};
use crate::pager::Pgno;

/// Header meta slot of the largest root page (non-zero = auto-vacuum).
pub const META_LARGEST_ROOT: usize = 4;
/// Header meta slot of the incremental-vacuum flag.
pub const META_INCR_VACUUM: usize = 7;

/// PRAGMA auto_vacuum values.
pub const AUTOVACUUM_NONE: u8 = 0;
pub const AUTOVACUUM_FULL: u8 = 1;
pub const AUTOVACUUM_INCREMENTAL: u8 = 2;

impl Btree {
    /// 0 (NONE), 1 (FULL) or 2 (INCREMENTAL) as in force for this file.
    pub fn auto_vacuum(&mut self) -> Result<u8> {
        let auto = self.txn == super::TxnState::None;
        if auto {
            self.begin_read()?;
        }
        let r = self.mode();
        if auto {
            self.commit()?;
        }
        Ok(r)
    }

    fn mode(&self) -> u8 {
        match (self.autovacuum, self.incr_vacuum) {
            (false, _) => AUTOVACUUM_NONE,
            (true, false) => AUTOVACUUM_FULL,
            (true, true) => AUTOVACUUM_INCREMENTAL,
        }
    }

    /// PRAGMA auto_vacuum = `mode`. On a file without pages it sets the
    /// mode the file is created with. Once the file exists, switching
    /// between NONE and FULL/INCREMENTAL needs a VACUUM: Err(READONLY),
    /// which the pragma ignores, as SQLite does. Between FULL and
    /// INCREMENTAL the header flag is written at once: in its own write
    /// transaction outside one, else in the open transaction (upgraded to
    /// a write transaction if need be).
    pub fn set_auto_vacuum(&mut self, mode: u8) -> Result<()> {
        let outside = self.txn == super::TxnState::None;
        if outside {
            self.begin_read()?;
        }
        let want_av = mode != AUTOVACUUM_NONE;
        let r = (|| {
            if self.pager.db_size() > 0 && want_av != self.autovacuum {
                return Err(Error::code(code::READONLY));
            }
            let flag = u32::from(mode == AUTOVACUUM_INCREMENTAL);
            let rewrite = self.pager.db_size() > 0
                && want_av
                && header_meta(self.pager.page(1)?, META_LARGEST_ROOT) != 0
                && header_meta(self.pager.page(1)?, META_INCR_VACUUM) != flag;
            if rewrite {
                self.begin_write()?;
                self.update_meta(META_INCR_VACUUM, flag)?;
            }
            self.autovacuum = want_av;
            self.incr_vacuum = mode == AUTOVACUUM_INCREMENTAL;
            Ok(())
        })();
        if outside {
            if r.is_err() {
                let _ = self.rollback();
                return r;
            }
            return self.commit();
        }
        r
    }

    /// Moves in-use page `from` (whose ptrmap entry is `kind`, `parent`) to
    /// page `to` (free, or about to be cut off), updating every reference.
    /// Page `from` keeps a stale copy the caller frees or cuts off.
    pub(crate) fn relocate_page(&mut self, from: Pgno, kind: u8, parent: Pgno, to: Pgno) -> Result<()> {
        if from < 3 || to < 3 || from == to || kind == PTRMAP_FREEPAGE {
            return Err(Error::corrupt());
        }
        let data = self.pager.page(from)?.to_vec();
        self.pager.page_mut(to)?.copy_from_slice(&data);
        if kind == PTRMAP_BTREE || kind == PTRMAP_ROOTPAGE {
            self.set_child_ptrmaps(to)?;
        } else {
            let next = get_u32(&data, 0)?;
            if next != 0 {
                self.ptrmap_put(next, PTRMAP_OVERFLOW2, to)?;
            }
        }
        if kind != PTRMAP_ROOTPAGE {
            self.modify_page_pointer(parent, from, to, kind)?;
            self.ptrmap_put(to, kind, parent)?;
        }
        self.epoch += 1;
        Ok(())
    }

    /// On page `pg`, changes the reference to `from` (of ptrmap type
    /// `kind`) into a reference to `to`.
    fn modify_page_pointer(&mut self, pg: Pgno, from: Pgno, to: Pgno, kind: u8) -> Result<()> {
        if pg < 1 || pg > self.pager.db_size() || (pg == 1 && kind == PTRMAP_OVERFLOW2) {
            return Err(Error::corrupt());
        }
        if kind == PTRMAP_OVERFLOW2 {
            if get_u32(self.pager.page(pg)?, 0)? != from {
                return Err(Error::corrupt());
            }
            put_u32(self.pager.page_mut(pg)?, 0, to);
            return Ok(());
        }
        let usable = self.usable();
        let at = {
            let d = self.pager.page(pg)?;
            let info = page::parse(d, pg, usable)?;
            let mut at = None;
            for i in 0..info.ncell {
                let off = info.cell_ptr(d, i)?;
                let c = page::parse_cell(d, off, &info)?;
                if kind == PTRMAP_OVERFLOW1 {
                    if (c.local as u64) < c.payload && c.ovfl == from {
                        at = Some(off + c.len - 4);
                        break;
                    }
                } else if !info.leaf && c.child == from {
                    at = Some(off);
                    break;
                }
            }
            if at.is_none() && kind == PTRMAP_BTREE && !info.leaf && info.right == from {
                at = Some(info.hdr + 8);
            }
            at.ok_or_else(Error::corrupt)?
        };
        put_u32(self.pager.page_mut(pg)?, at, to);
        Ok(())
    }

    /// Root page for a new tree in an auto-vacuum file: page largest-root
    /// + 1 (past ptrmap pages and the lock-byte page), emptied by moving
    /// whatever lived there; the header's largest root is updated. The
    /// returned page is zeroed and writable, its ptrmap entry ROOTPAGE.
    pub(crate) fn allocate_root(&mut self) -> Result<Pgno> {
        let largest = header_meta(self.pager.page(1)?, META_LARGEST_ROOT);
        if largest > self.pager.db_size() {
            return Err(Error::corrupt());
        }
        let lock = self.pager.lock_page();
        let mut root = largest + 1;
        while self.is_ptrmap_page(root) || root == lock {
            root += 1;
        }
        let got = if root > self.pager.db_size() {
            // Only growing the file can reach it.
            let g = self.grow()?;
            if g != root {
                return Err(Error::corrupt());
            }
            g
        } else if self.ptrmap_get(root)?.0 == PTRMAP_FREEPAGE {
            self.allocate(Alloc::Exact(root))?
        } else {
            self.allocate(Alloc::Any)?
        };
        if got != root {
            // `root` is in use (or `got` grew the file up to it).
            let (kind, parent) = self.ptrmap_get(root)?;
            if kind == PTRMAP_ROOTPAGE || kind == PTRMAP_FREEPAGE {
                return Err(Error::corrupt());
            }
            self.relocate_page(root, kind, parent, got)?;
            self.pager.page_mut(root)?.fill(0);
        }
        self.ptrmap_put(root, PTRMAP_ROOTPAGE, 0)?;
        self.update_meta(META_LARGEST_ROOT, root)?;
        Ok(root)
    }

    /// After tree `root` was emptied: frees its root page, moving the tree
    /// with the largest root into its slot. Returns that tree's old root
    /// if one moved (its new root is `root`).
    pub(crate) fn drop_root(&mut self, root: Pgno) -> Result<Option<Pgno>> {
        let largest = header_meta(self.pager.page(1)?, META_LARGEST_ROOT);
        if largest < root || largest > self.pager.db_size() {
            return Err(Error::corrupt());
        }
        let moved = if root == largest {
            self.free_page(root)?;
            None
        } else {
            self.relocate_page(largest, PTRMAP_ROOTPAGE, 0, root)?;
            self.free_page(largest)?;
            Some(largest)
        };
        let lock = self.pager.lock_page();
        let mut l = largest - 1;
        while l > 1 && (l == lock || self.is_ptrmap_page(l)) {
            l -= 1;
        }
        self.update_meta(META_LARGEST_ROOT, l)?;
        Ok(moved)
    }

    /// The page count after vacuuming `n_free` of the free pages of a file
    /// of `n_orig` pages (SQLite's finalDbSize).
    fn final_db_size(&self, n_orig: Pgno, n_free: Pgno) -> Pgno {
        let per = (self.usable() / 5) as Pgno;
        let lock = self.pager.lock_page();
        let n_ptrmap = n_free
            .wrapping_sub(n_orig)
            .wrapping_add(self.ptrmap_page_of(n_orig))
            .wrapping_add(per)
            / per;
        let mut fin = n_orig.wrapping_sub(n_free).wrapping_sub(n_ptrmap);
        if lock != 0 && n_orig > lock && fin < lock {
            fin = fin.wrapping_sub(1);
        }
        while fin > 1 && (self.is_ptrmap_page(fin) || fin == lock) {
            fin -= 1;
        }
        fin
    }

    /// One step of vacuuming towards `fin` pages, for page `last`: a free
    /// page is taken off the list (unless `commit`, where the whole list is
    /// dropped afterwards), an in-use page moves to a free page at or below
    /// `fin`. Without `commit` the file then shrinks past `last`.
    /// Returns false when there was no free page left.
    fn incr_vacuum_step(&mut self, fin: Pgno, last: Pgno, commit: bool) -> Result<bool> {
        let lock = self.pager.lock_page();
        if !self.is_ptrmap_page(last) && last != lock {
            let n_free = header_meta_raw(self.pager.page(1)?, OFF_FREELIST_COUNT);
            if n_free == 0 {
                return Ok(false);
            }
            let (kind, parent) = self.ptrmap_get(last)?;
            if kind == PTRMAP_ROOTPAGE {
                return Err(Error::corrupt());
            }
            if kind == PTRMAP_FREEPAGE {
                if !commit {
                    let got = self.allocate(Alloc::Exact(last))?;
                    if got != last {
                        return Err(Error::corrupt());
                    }
                }
            } else {
                let db_size = self.pager.db_size();
                // Without `commit`, one free page at or below `fin`; with it,
                // free pages are taken until one lies below the cut.
                let to = loop {
                    let mode = if commit { Alloc::Any } else { Alloc::Le(fin) };
                    let got = self.allocate(mode)?;
                    if got > db_size {
                        return Err(Error::corrupt());
                    }
                    if !commit || got <= fin {
                        break got;
                    }
                };
                if to >= last {
                    return Err(Error::corrupt());
                }
                self.relocate_page(last, kind, parent, to)?;
            }
        }
        if !commit {
            let mut l = last - 1;
            while l > 1 && (l == lock || self.is_ptrmap_page(l)) {
                l -= 1;
            }
            self.pager.truncate_to(l)?;
        }
        Ok(true)
    }

    /// FULL auto-vacuum before a commit: the free pages leave the file —
    /// all of them, or as many as the `autovac_pages` policy asks for
    /// (sqlite3_autovacuum_pages; asked at every commit, even with no
    /// free page, as SQLite asks). Removing only some moves pages as
    /// PRAGMA incremental_vacuum does and keeps the rest on the freelist.
    pub(crate) fn autovacuum_commit(&mut self) -> Result<()> {
        if !self.autovacuum || self.incr_vacuum || self.pager.db_size() == 0 {
            return Ok(());
        }
        let n_orig = self.pager.db_size();
        let lock = self.pager.lock_page();
        if self.is_ptrmap_page(n_orig) || n_orig == lock {
            return Err(Error::corrupt());
        }
        let n_free = header_meta_raw(self.pager.page(1)?, OFF_FREELIST_COUNT);
        let page_size = self.pager.page_size();
        let n_vac = match self.autovac_pages.as_mut() {
            Some(f) => f(n_orig, n_free, page_size).min(n_free),
            None => n_free,
        };
        if n_vac == 0 {
            return Ok(());
        }
        let all = n_vac == n_free;
        let fin = self.final_db_size(n_orig, n_vac);
        if fin > n_orig || fin < 1 {
            return Err(Error::corrupt());
        }
        let mut pg = n_orig;
        while pg > fin {
            if !self.incr_vacuum_step(fin, pg, all)? {
                break;
            }
            pg -= 1;
        }
        let p1 = self.pager.page_mut(1)?;
        if all {
            put_u32(p1, OFF_FREELIST_TRUNK, 0);
            put_u32(p1, OFF_FREELIST_COUNT, 0);
        }
        put_u32(p1, OFF_DB_SIZE, fin);
        self.pager.truncate_to(fin)?;
        self.epoch += 1;
        Ok(())
    }

    /// PRAGMA incremental_vacuum(n): removes up to `n` free pages (all when
    /// `n` <= 0) from the end of the file. Returns how many steps ran.
    /// Needs a write transaction; does nothing in a non-auto-vacuum file.
    pub fn incremental_vacuum(&mut self, n: i64) -> Result<u32> {
        self.need_write()?;
        let limit = if n <= 0 { i64::from(i32::MAX) } else { n.min(i64::from(i32::MAX)) };
        let mut steps = 0u32;
        while i64::from(steps) < limit {
            if !self.autovacuum || self.pager.db_size() == 0 {
                break;
            }
            let n_orig = self.pager.db_size();
            let n_free = header_meta_raw(self.pager.page(1)?, OFF_FREELIST_COUNT);
            if n_free == 0 {
                break;
            }
            let fin = self.final_db_size(n_orig, n_free);
            if n_orig < fin || n_free >= n_orig {
                return Err(Error::corrupt());
            }
            if !self.incr_vacuum_step(fin, n_orig, false)? {
                break;
            }
            let size = self.pager.db_size();
            put_u32(self.pager.page_mut(1)?, OFF_DB_SIZE, size);
            self.epoch += 1;
            steps += 1;
        }
        Ok(steps)
    }
}

fn header_meta(p1: &[u8], idx: usize) -> u32 {
    header_meta_raw(p1, OFF_META + 4 * idx)
}

fn header_meta_raw(p1: &[u8], off: usize) -> u32 {
    crate::pager::header::get_u32(p1, off)
}
