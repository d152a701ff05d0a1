//! Cursors: a position in one tree as a stack of (page, index) from the
//! root down, plus a saved key so the position survives writes.
//!
//! A cursor does not borrow the `Btree`; every call takes `bt`. Stack
//! entries below the top hold the child index taken (0..=ncell, ncell =
//! right child); the top holds the cell index of the current entry (a leaf
//! cell, or an interior cell of an index tree, whose cells are entries too).
//!
//! Invalidation: when positioned, a cursor records its tree's version and
//! the key of its entry (rowid for tables, key bytes for indexes). If the
//! tree changed since (any write through any cursor, a rollback), the next
//! use re-seeks that key. If the entry is gone, the cursor lands on a
//! neighbour and `skip` remembers which side, so `next`/`prev` behave as if
//! the cursor sat between the neighbours. Index cursors need a key
//! comparator for that re-seek (`new_index`).

use std::borrow::Cow;
use std::cmp::Ordering;
use std::sync::Arc;

use super::page::{self, PageInfo};
use super::{varint, Btree, TreeKind, TxnState, MAX_DEPTH};
use crate::error::{code, Error, Result};
use crate::pager::Pgno;

/// Compares two stored index keys (record payloads): `cmp(a, b)` is the
/// order of `a` relative to `b`.
pub type KeyCmp = Arc<dyn Fn(&[u8], &[u8]) -> Result<Ordering> + Send + Sync>;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum State {
    /// Never positioned.
    Invalid,
    Valid,
    /// Tree changed (or entry deleted): re-seek the saved key before use.
    RequireSeek,
    Eof,
}

pub struct BtCursor {
    pub(crate) root: Pgno,
    pub(crate) kind: TreeKind,
    pub(crate) writable: bool,
    pub(crate) stack: Vec<(Pgno, usize)>,
    pub(crate) state: State,
    /// After a re-seek that missed: >0 the cursor is already on the entry
    /// after the saved key, <0 on the one before.
    pub(crate) skip: i32,
    pub(crate) ver: (u64, u64),
    pub(crate) saved_rowid: i64,
    pub(crate) saved_key: Vec<u8>,
    pub(crate) cmp: Option<KeyCmp>,
    pub(crate) buf: Vec<u8>,
}

impl std::fmt::Debug for BtCursor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BtCursor")
            .field("root", &self.root)
            .field("kind", &self.kind)
            .field("writable", &self.writable)
            .field("stack", &self.stack)
            .field("state", &self.state)
            .field("has_comparator", &self.cmp.is_some())
            .finish()
    }
}

fn intkey(kind: TreeKind) -> bool {
    kind == TreeKind::Table
}

/// Rowid of cell `i` of a table page.
#[inline]
fn table_key(d: &[u8], info: &PageInfo, i: usize) -> Result<i64> {
    let off = info.cell_ptr(d, i)?;
    let mut p = off;
    if !info.leaf {
        p += 4;
    } else {
        let (_, n) = varint::get(d.get(p..info.usable).ok_or_else(Error::corrupt)?).ok_or_else(Error::corrupt)?;
        p += n;
    }
    let (k, _) = varint::get(d.get(p..info.usable).ok_or_else(Error::corrupt)?).ok_or_else(Error::corrupt)?;
    Ok(k as i64)
}

impl BtCursor {
    /// A cursor on the tree at `root`. Index cursors made this way cannot
    /// re-seek after the tree changes under them; prefer `new_index`.
    pub fn new(root: Pgno, kind: TreeKind, writable: bool) -> BtCursor {
        BtCursor {
            root,
            kind,
            writable,
            stack: Vec::with_capacity(8),
            state: State::Invalid,
            skip: 0,
            ver: (0, 0),
            saved_rowid: 0,
            saved_key: Vec::new(),
            cmp: None,
            buf: Vec::new(),
        }
    }

    /// An index cursor with the comparator used to re-seek its saved key
    /// after the tree changed: `cmp(a, b)` orders stored key `a` against
    /// stored key `b` (the same order the index is sorted by).
    pub fn new_index(root: Pgno, writable: bool, cmp: KeyCmp) -> BtCursor {
        let mut c = BtCursor::new(root, TreeKind::Index, writable);
        c.cmp = Some(cmp);
        c
    }

    pub fn set_comparator(&mut self, cmp: KeyCmp) {
        self.cmp = Some(cmp);
    }

    pub fn root(&self) -> Pgno {
        self.root
    }

    pub fn kind(&self) -> TreeKind {
        self.kind
    }

    /// True when not on an entry (past the end, empty tree, never moved).
    pub fn eof(&self) -> bool {
        matches!(self.state, State::Eof | State::Invalid)
    }

    /// Forgets the position.
    pub fn invalidate(&mut self) {
        self.state = State::Invalid;
        self.stack.clear();
        self.skip = 0;
    }

    fn check_txn(bt: &Btree) -> Result<()> {
        if bt.txn_state() == TxnState::None {
            return Err(Error::with_message(code::MISUSE, "no transaction"));
        }
        Ok(())
    }

    /// Parses the page at stack level `lvl`.
    pub(crate) fn info_at(&self, bt: &mut Btree, pgno: Pgno) -> Result<PageInfo> {
        let usable = bt.usable();
        let d = bt.pager.page(pgno)?;
        let info = page::parse(d, pgno, usable)?;
        if info.intkey != intkey(self.kind) {
            return Err(Error::corrupt());
        }
        Ok(info)
    }

    fn push(&mut self, bt: &Btree, child: Pgno) -> Result<()> {
        if self.stack.len() >= MAX_DEPTH || child < 2 || child > bt.pager.db_size() {
            return Err(Error::corrupt());
        }
        self.stack.push((child, 0));
        Ok(())
    }

    #[inline]
    fn top(&self) -> Result<(Pgno, usize)> {
        self.stack.last().copied().ok_or_else(Error::corrupt)
    }

    #[inline]
    fn set_top_idx(&mut self, idx: usize) {
        if let Some(t) = self.stack.last_mut() {
            t.1 = idx;
        }
    }

    /// Records version and key of the current entry.
    fn save(&mut self, bt: &mut Btree) -> Result<()> {
        let (pg, _) = self.top()?;
        let info = self.info_at(bt, pg)?;
        self.save_on(bt, &info)
    }

    /// `save` with the header of the top page already parsed. While the
    /// cursor is Valid, `saved_rowid` / `saved_key` are the current entry's
    /// rowid / whole key: `rowid` and `payload` read them from here.
    fn save_on(&mut self, bt: &mut Btree, info: &PageInfo) -> Result<()> {
        self.state = State::Valid;
        self.ver = bt.tree_version(self.root);
        let (pg, idx) = self.top()?;
        if intkey(self.kind) {
            let d = bt.pager.page(pg)?;
            self.saved_rowid = table_key(d, info, idx)?;
        } else {
            let d = bt.pager.page(pg)?;
            let c = page::parse_cell(d, info.cell_ptr(d, idx)?, info)?;
            let mut k = std::mem::take(&mut self.saved_key);
            let r = bt.cell_payload(pg, &c, &mut k);
            self.saved_key = k;
            r?;
        }
        Ok(())
    }

    /// Re-seeks the saved key if the tree changed since positioning.
    pub(crate) fn restore(&mut self, bt: &mut Btree) -> Result<()> {
        Self::check_txn(bt)?;
        if self.state == State::Valid && self.ver != bt.tree_version(self.root) {
            self.state = State::RequireSeek;
        }
        if self.state != State::RequireSeek {
            return Ok(());
        }
        let c = if intkey(self.kind) {
            let k = self.saved_rowid;
            self.seek_rowid(bt, k)?
        } else {
            let cmp = self.cmp.clone().ok_or_else(|| {
                Error::with_message(code::MISUSE, "index cursor without comparator cannot re-seek")
            })?;
            let key = std::mem::take(&mut self.saved_key);
            let r = self.seek_index(bt, &mut |stored: &[u8]| cmp(stored, &key));
            r?
        };
        self.skip = if self.state == State::Valid { c } else { 0 };
        Ok(())
    }

    fn move_to_leftmost(&mut self, bt: &mut Btree) -> Result<()> {
        loop {
            let (pg, _) = self.top()?;
            let info = self.info_at(bt, pg)?;
            self.set_top_idx(0);
            if info.leaf {
                if info.ncell == 0 {
                    return Err(Error::corrupt());
                }
                return Ok(());
            }
            let child = info.child(bt.pager.page(pg)?, 0)?;
            self.push(bt, child)?;
        }
    }

    fn move_to_rightmost(&mut self, bt: &mut Btree) -> Result<()> {
        loop {
            let (pg, _) = self.top()?;
            let info = self.info_at(bt, pg)?;
            if info.leaf {
                if info.ncell == 0 {
                    return Err(Error::corrupt());
                }
                self.set_top_idx(info.ncell - 1);
                return Ok(());
            }
            self.set_top_idx(info.ncell);
            self.push(bt, info.right)?;
        }
    }

    /// Moves to the root; returns false (and eof) when the tree is empty.
    fn seek_root(&mut self, bt: &mut Btree) -> Result<bool> {
        Self::check_txn(bt)?;
        self.skip = 0;
        self.stack.clear();
        if self.root == 1 && bt.pager.db_size() == 0 {
            // A zero-length database file is an empty database: its schema
            // table exists and has no rows, though page 1 is not written yet.
            self.state = State::Eof;
            return Ok(false);
        }
        if self.root < 1 || self.root > bt.pager.db_size() {
            return Err(Error::corrupt());
        }
        self.stack.push((self.root, 0));
        let info = self.info_at(bt, self.root)?;
        if info.leaf && info.ncell == 0 {
            self.state = State::Eof;
            return Ok(false);
        }
        Ok(true)
    }

    pub fn first(&mut self, bt: &mut Btree) -> Result<bool> {
        if !self.seek_root(bt)? {
            return Ok(false);
        }
        self.move_to_leftmost(bt)?;
        self.save(bt)?;
        Ok(true)
    }

    pub fn last(&mut self, bt: &mut Btree) -> Result<bool> {
        if !self.seek_root(bt)? {
            return Ok(false);
        }
        self.move_to_rightmost(bt)?;
        self.save(bt)?;
        Ok(true)
    }

    pub fn next(&mut self, bt: &mut Btree) -> Result<bool> {
        self.restore(bt)?;
        if self.state != State::Valid {
            return Ok(false);
        }
        if self.skip > 0 {
            self.skip = 0;
            return Ok(true);
        }
        self.skip = 0;
        let (pg, idx) = self.top()?;
        let info = self.info_at(bt, pg)?;
        if !info.leaf {
            // On an index interior cell: the next entry is the leftmost of
            // the subtree to its right.
            self.set_top_idx(idx + 1);
            let child = info.child(bt.pager.page(pg)?, idx + 1)?;
            self.push(bt, child)?;
            self.move_to_leftmost(bt)?;
            self.save(bt)?;
            return Ok(true);
        }
        if idx + 1 < info.ncell {
            self.set_top_idx(idx + 1);
            self.save_on(bt, &info)?;
            return Ok(true);
        }
        loop {
            if self.stack.len() <= 1 {
                self.state = State::Eof;
                return Ok(false);
            }
            self.stack.pop();
            let (ppg, pidx) = self.top()?;
            let pinfo = self.info_at(bt, ppg)?;
            if pidx < pinfo.ncell {
                if intkey(self.kind) {
                    self.set_top_idx(pidx + 1);
                    let child = pinfo.child(bt.pager.page(ppg)?, pidx + 1)?;
                    self.push(bt, child)?;
                    self.move_to_leftmost(bt)?;
                }
                self.save(bt)?;
                return Ok(true);
            }
        }
    }

    pub fn prev(&mut self, bt: &mut Btree) -> Result<bool> {
        self.restore(bt)?;
        if self.state != State::Valid {
            return Ok(false);
        }
        if self.skip < 0 {
            self.skip = 0;
            return Ok(true);
        }
        self.skip = 0;
        let (pg, idx) = self.top()?;
        let info = self.info_at(bt, pg)?;
        if !info.leaf {
            let child = info.child(bt.pager.page(pg)?, idx)?;
            self.push(bt, child)?;
            self.move_to_rightmost(bt)?;
            self.save(bt)?;
            return Ok(true);
        }
        if idx > 0 {
            self.set_top_idx(idx - 1);
            self.save_on(bt, &info)?;
            return Ok(true);
        }
        loop {
            if self.stack.len() <= 1 {
                self.state = State::Eof;
                return Ok(false);
            }
            self.stack.pop();
            let (ppg, pidx) = self.top()?;
            if pidx > 0 {
                self.set_top_idx(pidx - 1);
                if intkey(self.kind) {
                    let pinfo = self.info_at(bt, ppg)?;
                    let child = pinfo.child(bt.pager.page(ppg)?, pidx - 1)?;
                    self.push(bt, child)?;
                    self.move_to_rightmost(bt)?;
                }
                self.save(bt)?;
                return Ok(true);
            }
        }
    }

    /// Seek without touching `skip`; see `table_moveto`.
    pub(crate) fn seek_rowid(&mut self, bt: &mut Btree, rowid: i64) -> Result<i32> {
        if !intkey(self.kind) {
            return Err(Error::misuse());
        }
        if !self.seek_root(bt)? {
            return Ok(-1);
        }
        loop {
            let (pg, _) = self.top()?;
            let info = self.info_at(bt, pg)?;
            let d = bt.pager.page(pg)?;
            // First cell whose key is >= rowid.
            let (mut lo, mut hi) = (0usize, info.ncell);
            let mut exact = false;
            while lo < hi {
                let mid = (lo + hi) / 2;
                let k = table_key(d, &info, mid)?;
                match k.cmp(&rowid) {
                    Ordering::Less => lo = mid + 1,
                    Ordering::Equal => {
                        lo = mid;
                        exact = true;
                        break;
                    }
                    Ordering::Greater => hi = mid,
                }
            }
            if info.leaf {
                if info.ncell == 0 {
                    return Err(Error::corrupt());
                }
                let c = if exact {
                    self.set_top_idx(lo);
                    0
                } else if lo < info.ncell {
                    self.set_top_idx(lo);
                    1
                } else {
                    self.set_top_idx(info.ncell - 1);
                    -1
                };
                self.save(bt)?;
                return Ok(c);
            }
            let child = info.child(d, lo)?;
            self.set_top_idx(lo);
            self.push(bt, child)?;
        }
    }

    /// Positions on `rowid` (0), or a neighbour: <0 on a smaller entry, >0
    /// on a larger one; an empty tree leaves the cursor eof and gives -1.
    pub fn table_moveto(&mut self, bt: &mut Btree, rowid: i64) -> Result<i32> {
        let c = self.seek_rowid(bt, rowid)?;
        self.skip = 0;
        Ok(c)
    }

    pub(crate) fn seek_index(
        &mut self,
        bt: &mut Btree,
        cmp: &mut dyn FnMut(&[u8]) -> Result<Ordering>,
    ) -> Result<i32> {
        if intkey(self.kind) {
            return Err(Error::misuse());
        }
        if !self.seek_root(bt)? {
            return Ok(-1);
        }
        let mut tmp = Vec::new();
        loop {
            let (pg, _) = self.top()?;
            let info = self.info_at(bt, pg)?;
            let (mut lo, mut hi) = (0usize, info.ncell);
            while lo < hi {
                let mid = (lo + hi) / 2;
                let ord = {
                    let d = bt.pager.page(pg)?;
                    let c = page::parse_cell(d, info.cell_ptr(d, mid)?, &info)?;
                    if (c.local as u64) == c.payload {
                        cmp(d.get(c.payload_off..c.payload_off + c.local).ok_or_else(Error::corrupt)?)?
                    } else {
                        bt.cell_payload(pg, &c, &mut tmp)?;
                        cmp(&tmp)?
                    }
                };
                match ord {
                    Ordering::Less => lo = mid + 1,
                    Ordering::Greater => hi = mid,
                    Ordering::Equal => {
                        self.set_top_idx(mid);
                        self.save(bt)?;
                        return Ok(0);
                    }
                }
            }
            if info.leaf {
                if info.ncell == 0 {
                    return Err(Error::corrupt());
                }
                let c = if lo < info.ncell {
                    self.set_top_idx(lo);
                    1
                } else {
                    self.set_top_idx(info.ncell - 1);
                    -1
                };
                self.save(bt)?;
                return Ok(c);
            }
            let child = info.child(bt.pager.page(pg)?, lo)?;
            self.set_top_idx(lo);
            self.push(bt, child)?;
        }
    }

    /// Binary search of an index tree; `cmp(stored)` orders a stored key
    /// against the probe. Ends on a match (0) or a neighbour (<0 smaller,
    /// >0 larger); eof and -1 on an empty tree.
    pub fn index_moveto(&mut self, bt: &mut Btree, cmp: &mut dyn FnMut(&[u8]) -> Result<Ordering>) -> Result<i32> {
        let c = self.seek_index(bt, cmp)?;
        self.skip = 0;
        Ok(c)
    }

    fn need_valid(&mut self, bt: &mut Btree) -> Result<(Pgno, usize, PageInfo)> {
        self.restore(bt)?;
        if self.state != State::Valid {
            return Err(Error::with_message(code::MISUSE, "cursor not on an entry"));
        }
        let (pg, idx) = self.top()?;
        let info = self.info_at(bt, pg)?;
        if idx >= info.ncell {
            return Err(Error::corrupt());
        }
        Ok((pg, idx, info))
    }

    /// Rowid of the current entry (table trees): the one `save` recorded.
    pub fn rowid(&mut self, bt: &mut Btree) -> Result<i64> {
        if !intkey(self.kind) {
            return Err(Error::misuse());
        }
        self.restore(bt)?;
        if self.state != State::Valid {
            return Err(Error::with_message(code::MISUSE, "cursor not on an entry"));
        }
        Ok(self.saved_rowid)
    }

    /// The whole payload of the current entry (row record for tables, key
    /// for indexes), overflow included.
    pub fn payload(&mut self, bt: &mut Btree) -> Result<Cow<'_, [u8]>> {
        let mut buf = std::mem::take(&mut self.buf);
        let r = self.payload_into(bt, &mut buf);
        self.buf = buf;
        r?;
        Ok(Cow::Borrowed(&self.buf[..]))
    }

    /// `payload` copied into `out` (cleared first), reusing its allocation.
    /// An index entry's key is the one `save` recorded.
    pub fn payload_into(&mut self, bt: &mut Btree, out: &mut Vec<u8>) -> Result<()> {
        if !intkey(self.kind) {
            self.restore(bt)?;
            if self.state != State::Valid {
                return Err(Error::with_message(code::MISUSE, "cursor not on an entry"));
            }
            out.clear();
            out.extend_from_slice(&self.saved_key);
            return Ok(());
        }
        let (pg, idx, info) = self.need_valid(bt)?;
        let c = {
            let d = bt.pager.page(pg)?;
            page::parse_cell(d, info.cell_ptr(d, idx)?, &info)?
        };
        bt.cell_payload(pg, &c, out)
    }

    /// Bytes `offset..offset+amount` of the current entry's payload,
    /// touching only the overflow pages that hold them (for reading a
    /// record header or one column of a large row).
    pub fn payload_range(&mut self, bt: &mut Btree, offset: u32, amount: u32) -> Result<Cow<'_, [u8]>> {
        let (pg, idx, info) = self.need_valid(bt)?;
        let c = {
            let d = bt.pager.page(pg)?;
            page::parse_cell(d, info.cell_ptr(d, idx)?, &info)?
        };
        bt.cell_payload_range(pg, &c, offset as u64, amount as u64, &mut self.buf)?;
        Ok(Cow::Borrowed(&self.buf[..]))
    }

    pub fn payload_size(&mut self, bt: &mut Btree) -> Result<u32> {
        let (pg, idx, info) = self.need_valid(bt)?;
        let d = bt.pager.page(pg)?;
        let c = page::parse_cell(d, info.cell_ptr(d, idx)?, &info)?;
        Ok(c.payload as u32)
    }

    /// Number of entries in the tree.
    pub fn count(&mut self, bt: &mut Btree) -> Result<i64> {
        Self::check_txn(bt)?;
        let usable = bt.usable();
        let db_size = bt.pager.db_size();
        if self.root == 1 && db_size == 0 {
            return Ok(0); // the empty schema table of a zero-length file
        }
        let mut n = 0i64;
        let mut stack = vec![(self.root, 0usize)];
        let mut seen = 0u64;
        while let Some((pg, depth)) = stack.pop() {
            seen += 1;
            if depth > MAX_DEPTH || pg < 1 || pg > db_size || seen > db_size as u64 {
                return Err(Error::corrupt());
            }
            let d = bt.pager.page(pg)?;
            let info = page::parse(d, pg, usable)?;
            if info.intkey != intkey(self.kind) {
                return Err(Error::corrupt());
            }
            if info.leaf || !info.intkey {
                n += info.ncell as i64;
            }
            if !info.leaf {
                for i in 0..=info.ncell {
                    stack.push((info.child(d, i)?, depth + 1));
                }
            }
        }
        Ok(n)
    }
}
