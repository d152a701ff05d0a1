//! Insert and delete, with rebalancing.
//!
//! A modified page is handled as a `Node` (its cells as byte vectors plus
//! the right child) and handed to `settle`, which writes it back if it fits
//! (and, after a delete, is not under a third full), or else redistributes
//! it with up to two siblings: their cells and the dividers between them
//! are gathered, cut into as many pages as needed (old page numbers reused
//! first, extra pages allocated or freed), and the new dividers go to the
//! parent, which is settled in turn. A root that overflows keeps its page
//! number: its content moves to a new child ("deeper"); an interior root
//! left with no cells takes its only child's content ("shallower").
//!
//! Invariants: pages are rebuilt whole (`page::build`), so cell pointers,
//! freeblocks and fragment counts are always consistent; no non-root page
//! is left empty; all leaves stay at one depth; every page leaving a tree
//! goes to the freelist.

use std::cmp::Ordering;

use super::cursor::{BtCursor, State};
use super::page::{self, INDEX_INTERIOR, INDEX_LEAF, TABLE_INTERIOR, TABLE_LEAF};
use super::{varint, Btree, TreeKind, TxnState};
use crate::error::{code, Error, Result};
use crate::pager::Pgno;

/// A page's content while being rebalanced.
pub(crate) struct Node {
    pub kind: u8,
    pub cells: Vec<Vec<u8>>,
    pub right: Pgno,
}

fn is_leaf(kind: u8) -> bool {
    kind == TABLE_LEAF || kind == INDEX_LEAF
}

fn interior_of(kind: u8) -> u8 {
    match kind {
        TABLE_LEAF | TABLE_INTERIOR => TABLE_INTERIOR,
        _ => INDEX_INTERIOR,
    }
}

fn hdr_size(kind: u8) -> usize {
    if is_leaf(kind) {
        8
    } else {
        12
    }
}

fn child_of(cell: &[u8]) -> Result<Pgno> {
    page::get_u32(cell, 0)
}

/// Rowid of a table-leaf cell.
fn leaf_rowid(cell: &[u8]) -> Result<i64> {
    let (_, n) = varint::get(cell).ok_or_else(Error::corrupt)?;
    let (k, _) = varint::get(cell.get(n..).ok_or_else(Error::corrupt)?).ok_or_else(Error::corrupt)?;
    Ok(k as i64)
}

impl Btree {
    pub(crate) fn read_node(&mut self, pgno: Pgno) -> Result<Node> {
        let usable = self.usable();
        let d = self.pager.page(pgno)?;
        let info = page::parse(d, pgno, usable)?;
        Ok(Node { kind: info.kind, cells: page::read_cells(d, &info)?, right: info.right })
    }

    pub(crate) fn write_node(&mut self, pgno: Pgno, node: &Node) -> Result<()> {
        let usable = self.usable();
        page::build(self.pager.page_mut(pgno)?, pgno, usable, node.kind, &node.cells, node.right)?;
        self.set_child_ptrmaps(pgno)
    }

    /// Writes `node` as the content of `path[depth]`, rebalancing as needed.
    /// `pending` is a modified ancestor (depth, node) not yet written: it is
    /// used instead of the page when reached, or settled at the end.
    pub(crate) fn settle(
        &mut self,
        path: &[(Pgno, usize)],
        depth: usize,
        node: Node,
        delete: bool,
        append: bool,
        pending: Option<(usize, Node)>,
    ) -> Result<()> {
        let pgno = path.get(depth).ok_or_else(Error::corrupt)?.0;
        let usable = self.usable();
        let size = page::content_size(pgno, node.kind, &node.cells);
        if depth == 0 {
            if size <= usable {
                self.write_node(pgno, &node)?;
                if delete && !is_leaf(node.kind) && node.cells.is_empty() {
                    self.shallower(pgno, node.right)?;
                }
                return self.finish_pending(path, pending);
            }
            // Root overflow: its content moves to a new child.
            let child = self.allocate_page()?;
            let root = Node { kind: interior_of(node.kind), cells: Vec::new(), right: child };
            self.write_node(pgno, &root)?;
            let p2 = [(pgno, 0usize), (child, 0usize)];
            self.settle(&p2, 1, node, delete, append, None)?;
            return self.finish_pending(path, pending);
        }
        let underfull = delete && (usable.saturating_sub(size)) * 3 > usable * 2;
        if size <= usable && !underfull {
            self.write_node(pgno, &node)?;
            return self.finish_pending(path, pending);
        }
        let (ppg, pidx) = path[depth - 1];
        let (mut parent, pending) = match pending {
            Some((d, n)) if d == depth - 1 => (n, None),
            p => (self.read_node(ppg)?, p),
        };
        if is_leaf(parent.kind) || (parent.kind == TABLE_INTERIOR) != (node.kind == TABLE_LEAF || node.kind == TABLE_INTERIOR) {
            return Err(Error::corrupt());
        }
        let nchild = parent.cells.len() + 1;
        if pidx >= nchild {
            return Err(Error::corrupt());
        }
        if nchild == 1 && underfull && size <= usable {
            // Only child of a (root) parent: nothing to merge with here; the
            // parent's settle makes the tree shallower.
            self.write_node(pgno, &node)?;
            return self.settle(path, depth - 1, parent, delete, false, pending);
        }
        let quick = append && node.kind == TABLE_LEAF && pidx == nchild - 1 && !delete && node.cells.len() >= 2;
        let (lo, hi) = if quick {
            (pidx, pidx)
        } else if nchild <= 3 {
            (0, nchild - 1)
        } else if pidx == 0 {
            (0, 2)
        } else if pidx == nchild - 1 {
            (nchild - 3, nchild - 1)
        } else {
            (pidx - 1, pidx + 1)
        };
        let kind = node.kind;
        let mut old: Vec<Pgno> = Vec::with_capacity(3);
        for j in lo..=hi {
            old.push(if j < parent.cells.len() { child_of(&parent.cells[j])? } else { parent.right });
        }
        // Gather cells (and dividers) of the siblings in order.
        let mut all: Vec<Vec<u8>> = Vec::new();
        let mut final_right = 0;
        let mut node = Some(node);
        for (n, j) in (lo..=hi).enumerate() {
            let sib = if j == pidx {
                node.take().ok_or_else(Error::corrupt)?
            } else {
                let s = self.read_node(old[n])?;
                if s.kind != kind {
                    return Err(Error::corrupt());
                }
                s
            };
            let right = sib.right;
            all.extend(sib.cells);
            if j < hi {
                let div = &parent.cells[j];
                match kind {
                    TABLE_LEAF => {}
                    INDEX_LEAF => all.push(div.get(4..).ok_or_else(Error::corrupt)?.to_vec()),
                    _ => {
                        let mut c = right.to_be_bytes().to_vec();
                        c.extend_from_slice(div.get(4..).ok_or_else(Error::corrupt)?);
                        all.push(c);
                    }
                }
            } else {
                final_right = right;
            }
        }
        let consume = kind != TABLE_LEAF;
        let cap = usable - hdr_size(kind);
        // Quick balance (appending at the right edge): the old page keeps
        // its cells and a new right sibling takes only the new last cell.
        let pages = if quick {
            vec![0..all.len() - 1, all.len() - 1..all.len()]
        } else {
            distribute(&all, cap, consume)?
        };
        let k = pages.len();
        let mut new_pg: Vec<Pgno> = Vec::with_capacity(k);
        for i in 0..k {
            new_pg.push(if i < old.len() { old[i] } else { self.allocate_page()? });
        }
        for &pg in old.iter().skip(k) {
            self.free_page(pg)?;
        }
        let mut dividers: Vec<Vec<u8>> = Vec::with_capacity(k);
        for (i, r) in pages.iter().enumerate() {
            let last = i + 1 == k;
            let right = if is_leaf(kind) {
                0
            } else if last {
                final_right
            } else {
                child_of(all.get(r.end).ok_or_else(Error::corrupt)?)?
            };
            let usable = self.usable();
            page::build(self.pager.page_mut(new_pg[i])?, new_pg[i], usable, kind, &all[r.clone()], right)?;
            self.set_child_ptrmaps(new_pg[i])?;
            if !last {
                let mut d = new_pg[i].to_be_bytes().to_vec();
                match kind {
                    TABLE_LEAF => {
                        let lastc = all.get(r.end.wrapping_sub(1)).ok_or_else(Error::corrupt)?;
                        varint::put(&mut d, leaf_rowid(lastc)? as u64);
                    }
                    INDEX_LEAF => d.extend_from_slice(&all[r.end]),
                    _ => d.extend_from_slice(all[r.end].get(4..).ok_or_else(Error::corrupt)?),
                }
                dividers.push(d);
            }
        }
        // New parent content.
        let last_pg = *new_pg.last().ok_or_else(Error::corrupt)?;
        let mut cells: Vec<Vec<u8>> = Vec::with_capacity(parent.cells.len() + dividers.len());
        let tail = parent.cells.split_off(hi.min(parent.cells.len()));
        parent.cells.truncate(lo);
        cells.append(&mut parent.cells);
        cells.extend(dividers);
        let mut tail = tail;
        if hi < nchild - 1 {
            // The cell after the last sibling now points at the last new page.
            if let Some(c) = tail.first_mut() {
                c[..4].copy_from_slice(&last_pg.to_be_bytes());
            }
        } else {
            parent.right = last_pg;
        }
        cells.extend(tail);
        parent.cells = cells;
        self.settle(path, depth - 1, parent, delete, false, pending)
    }

    fn finish_pending(&mut self, path: &[(Pgno, usize)], pending: Option<(usize, Node)>) -> Result<()> {
        match pending {
            Some((d, n)) => self.settle(path, d, n, true, false, None),
            None => Ok(()),
        }
    }

    /// An interior root with no cells takes over its only child's content
    /// when it fits.
    fn shallower(&mut self, root: Pgno, child: Pgno) -> Result<()> {
        if child < 2 || child > self.pager.db_size() {
            return Err(Error::corrupt());
        }
        let cn = self.read_node(child)?;
        if page::content_size(root, cn.kind, &cn.cells) <= self.usable() {
            self.write_node(root, &cn)?;
            self.free_page(child)?;
        }
        Ok(())
    }
}

/// Cuts `all` into page ranges of at most `cap` bytes each (cell plus
/// pointer). With `consume`, the cell between two ranges becomes their
/// divider and belongs to neither. Pages are filled evenly.
fn distribute(all: &[Vec<u8>], cap: usize, consume: bool) -> Result<Vec<std::ops::Range<usize>>> {
    let sz = |c: &Vec<u8>| 2 + page::cell_space(c.len());
    let run = |limit: usize| -> Result<Vec<std::ops::Range<usize>>> {
        let mut pages = Vec::new();
        let (mut start, mut used, mut i) = (0usize, 0usize, 0usize);
        while i < all.len() {
            let s = sz(&all[i]);
            if s > cap {
                return Err(Error::corrupt());
            }
            if used + s > limit && i > start {
                pages.push(start..i);
                if consume {
                    i += 1;
                }
                start = i;
                used = 0;
                continue;
            }
            used += s;
            i += 1;
        }
        pages.push(start..all.len());
        Ok(pages)
    };
    let mut pages = run(cap)?;
    if pages.len() > 1 {
        let total: usize = all.iter().map(sz).sum();
        let even = run((total / pages.len() + 1).min(cap).max(1))?;
        if even.len() == pages.len() && fits(all, &even, cap) {
            pages = even;
        }
    }
    // A divider taken as the very last cell leaves an empty last page: hand
    // the previous page's last cell up instead.
    if consume && pages.len() >= 2 {
        let n = pages.len();
        if pages[n - 1].is_empty() {
            let prev = pages[n - 2].clone();
            if prev.len() < 2 {
                return Err(Error::corrupt());
            }
            pages[n - 2] = prev.start..prev.end - 1;
            pages[n - 1] = prev.end..all.len();
        }
    }
    if !fits(all, &pages, cap) {
        return Err(Error::corrupt());
    }
    Ok(pages)
}

fn fits(all: &[Vec<u8>], pages: &[std::ops::Range<usize>], cap: usize) -> bool {
    pages.iter().all(|r| all[r.clone()].iter().map(|c| 2 + page::cell_space(c.len())).sum::<usize>() <= cap)
}

impl BtCursor {
    fn check_writable(&self, bt: &Btree) -> Result<()> {
        if !self.writable {
            return Err(Error::with_message(code::MISUSE, "cursor is read-only"));
        }
        if bt.txn_state() != TxnState::Write {
            return Err(Error::with_message(code::MISUSE, "no write transaction"));
        }
        Ok(())
    }

    /// After a write: the cursor re-seeks `rowid`/key on next use.
    fn after_write(&mut self, bt: &mut Btree) {
        bt.bump(self.root);
        self.state = State::RequireSeek;
        self.skip = 0;
    }

    /// Inserts a new leaf cell at `idx` of the cursor's top page, or
    /// replaces cell `idx` (`replace`).
    fn put_cell(&mut self, bt: &mut Btree, idx: usize, cell: &[u8], replace: bool) -> Result<()> {
        let (pg, _) = *self.stack.last().ok_or_else(Error::corrupt)?;
        let depth = self.stack.len() - 1;
        let usable = bt.usable();
        let info = {
            let d = bt.pager.page(pg)?;
            page::parse(d, pg, usable)?
        };
        if replace {
            let d = bt.pager.page(pg)?;
            let old = page::parse_cell(d, info.cell_ptr(d, idx)?, &info)?;
            if old.len == cell.len() {
                let off = info.cell_ptr(d, idx)?;
                bt.pager.page_mut(pg)?[off..off + cell.len()].copy_from_slice(cell);
                return bt.ptrmap_cell(pg, idx);
            }
        } else {
            let d = bt.pager.page_mut(pg)?;
            if page::insert_in_gap(d, &info, idx, cell)? {
                return bt.ptrmap_cell(pg, idx);
            }
        }
        let mut node = bt.read_node(pg)?;
        let append = !replace && idx == node.cells.len();
        if replace {
            node.cells[idx] = cell.to_vec();
        } else {
            node.cells.insert(idx, cell.to_vec());
        }
        let path = self.stack.clone();
        bt.settle(&path, depth, node, false, append, None)
    }

    /// Table tree: inserts the row `rowid` (replacing any row with it).
    pub fn insert(&mut self, bt: &mut Btree, rowid: i64, data: &[u8]) -> Result<()> {
        self.check_writable(bt)?;
        if self.kind != TreeKind::Table {
            return Err(Error::misuse());
        }
        let c = self.seek_rowid(bt, rowid)?;
        bt.incrblobs.invalidate(self.root, Some(rowid));
        let mut cell = std::mem::take(&mut bt.cell_buf);
        let r = (|| {
            if c == 0 {
                let (pg, idx) = *self.stack.last().ok_or_else(Error::corrupt)?;
                let usable = bt.usable();
                let old = {
                    let d = bt.pager.page(pg)?;
                    let info = page::parse(d, pg, usable)?;
                    page::parse_cell(d, info.cell_ptr(d, idx)?, &info)?
                };
                bt.free_overflow(&old)?;
                bt.build_leaf_cell(true, rowid, data, &mut cell)?;
                self.put_cell(bt, idx, &cell, true)
            } else {
                bt.build_leaf_cell(true, rowid, data, &mut cell)?;
                let idx = match self.state {
                    State::Eof => 0,
                    _ => {
                        let (_, i) = *self.stack.last().ok_or_else(Error::corrupt)?;
                        if c > 0 {
                            i
                        } else {
                            i + 1
                        }
                    }
                };
                self.put_cell(bt, idx, &cell, false)
            }
        })();
        bt.cell_buf = cell;
        self.after_write(bt);
        self.saved_rowid = rowid;
        r
    }

    /// Index tree: inserts `key` where `cmp` (stored key vs `key`) places
    /// it; an entry comparing equal is replaced.
    pub fn insert_index(
        &mut self,
        bt: &mut Btree,
        key: &[u8],
        cmp: &mut dyn FnMut(&[u8]) -> Result<Ordering>,
    ) -> Result<()> {
        self.check_writable(bt)?;
        if self.kind != TreeKind::Index {
            return Err(Error::misuse());
        }
        let c = self.seek_index(bt, cmp)?;
        let mut cell = std::mem::take(&mut bt.cell_buf);
        let r = (|| {
            let usable = bt.usable();
            if c == 0 {
                let (pg, idx) = *self.stack.last().ok_or_else(Error::corrupt)?;
                let (old, leaf) = {
                    let d = bt.pager.page(pg)?;
                    let info = page::parse(d, pg, usable)?;
                    (page::parse_cell(d, info.cell_ptr(d, idx)?, &info)?, info.leaf)
                };
                bt.free_overflow(&old)?;
                bt.build_leaf_cell(false, 0, key, &mut cell)?;
                if !leaf {
                    let mut full = old.child.to_be_bytes().to_vec();
                    full.extend_from_slice(&cell);
                    cell = full;
                }
                self.put_cell(bt, idx, &cell, true)
            } else {
                bt.build_leaf_cell(false, 0, key, &mut cell)?;
                let idx = match self.state {
                    State::Eof => 0,
                    _ => {
                        let (_, i) = *self.stack.last().ok_or_else(Error::corrupt)?;
                        if c > 0 {
                            i
                        } else {
                            i + 1
                        }
                    }
                };
                self.put_cell(bt, idx, &cell, false)
            }
        })();
        bt.cell_buf = cell;
        self.after_write(bt);
        self.saved_key.clear();
        self.saved_key.extend_from_slice(key);
        r
    }

    /// Deletes the entry under the cursor. Afterwards `next` moves to the
    /// entry that followed it and `prev` to the one before.
    pub fn delete(&mut self, bt: &mut Btree) -> Result<()> {
        self.check_writable(bt)?;
        self.restore(bt)?;
        if self.state != State::Valid {
            return Err(Error::with_message(code::MISUSE, "cursor not on an entry"));
        }
        // The saved key (set when positioned) is the deleted entry's key.
        if self.kind == TreeKind::Table {
            bt.incrblobs.invalidate(self.root, Some(self.saved_rowid));
        }
        let (pg, idx) = *self.stack.last().ok_or_else(Error::corrupt)?;
        let usable = bt.usable();
        let (cinfo, info) = {
            let d = bt.pager.page(pg)?;
            let info = page::parse(d, pg, usable)?;
            (page::parse_cell(d, info.cell_ptr(d, idx)?, &info)?, info)
        };
        let r = (|| {
            bt.free_overflow(&cinfo)?;
            let depth = self.stack.len() - 1;
            if info.leaf {
                // Fast path: remove in place when the page stays at least a
                // third full (or is the root).
                let free_after = {
                    let d = bt.pager.page(pg)?;
                    page::free_space(d, &info)? + cinfo.size + 2
                };
                if depth == 0 || free_after * 3 <= usable * 2 {
                    let d = bt.pager.page_mut(pg)?;
                    return page::remove_cell(d, &info, idx, cinfo.size);
                }
                let mut node = bt.read_node(pg)?;
                if idx >= node.cells.len() {
                    return Err(Error::corrupt());
                }
                node.cells.remove(idx);
                let path = self.stack.clone();
                return bt.settle(&path, depth, node, true, false, None);
            }
            // Index interior entry: replace it by its predecessor, the last
            // entry of the subtree on its left.
            let mut path = self.stack.clone();
            let child = info.child(bt.pager.page(pg)?, idx)?;
            if let Some(t) = path.last_mut() {
                t.1 = idx;
            }
            let mut sub = BtCursor::new(self.root, self.kind, false);
            sub.stack = path.clone();
            if sub.stack.len() >= super::MAX_DEPTH || child < 2 || child > bt.pager.db_size() {
                return Err(Error::corrupt());
            }
            sub.stack.push((child, 0));
            loop {
                let (p, _) = *sub.stack.last().ok_or_else(Error::corrupt)?;
                let inf = sub.info_at(bt, p)?;
                if inf.leaf {
                    if inf.ncell == 0 {
                        return Err(Error::corrupt());
                    }
                    let n = inf.ncell;
                    if let Some(t) = sub.stack.last_mut() {
                        t.1 = n - 1;
                    }
                    break;
                }
                if let Some(t) = sub.stack.last_mut() {
                    t.1 = inf.ncell;
                }
                if sub.stack.len() >= super::MAX_DEPTH {
                    return Err(Error::corrupt());
                }
                sub.stack.push((inf.right, 0));
            }
            let (leaf_pg, _) = *sub.stack.last().ok_or_else(Error::corrupt)?;
            let mut leaf = bt.read_node(leaf_pg)?;
            let moved = leaf.cells.pop().ok_or_else(Error::corrupt)?;
            let mut parent = bt.read_node(pg)?;
            let mut nc = child.to_be_bytes().to_vec();
            nc.extend_from_slice(&moved);
            if idx >= parent.cells.len() {
                return Err(Error::corrupt());
            }
            parent.cells[idx] = nc;
            let ldepth = sub.stack.len() - 1;
            bt.settle(&sub.stack, ldepth, leaf, true, false, Some((depth, parent)))
        })();
        self.after_write(bt);
        r
    }
}
