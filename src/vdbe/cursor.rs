//! The cursors a VDBE program opens: on a B-tree of a database file, on a
//! transient (ephemeral) table or index held in memory, or on a sorter.
//!
//! Invariant: `row` caches the decoded header of the current entry of a
//! B-tree cursor and is dropped whenever the cursor moves or the tree is
//! written, so OP_Column never reads a stale payload.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};
use std::ops::Bound;
use std::sync::Arc;

use crate::btree::{BtCursor, TreeKind};
use crate::connection::Connection;
use crate::error::Result;
use crate::record::{compare_records, Header, KeyInfo};

/// A cursor slot of a running program.
pub enum VCursor {
    Btree(BtreeCursor),
    EphTable(EphTable),
    EphIndex(EphIndex),
    Sorter(Sorter),
    /// A cursor on a virtual table (`crate::vtab`), driven by the V*
    /// opcodes.
    Virtual(VirtualCursor),
}

/// An open virtual-table cursor and the table it reads.
pub struct VirtualCursor {
    pub cur: Box<dyn crate::vtab::VTabCursor>,
    pub vtab: Arc<crate::vtab::VTable>,
    /// Set by NullRow (the NULL row of a LEFT JOIN).
    pub null_row: bool,
}

impl VCursor {
    /// Moves to the first entry (the last when `last`); false when there is
    /// none.
    pub fn rewind(&mut self, conn: &mut Connection, last: bool) -> Result<bool> {
        Ok(match self {
            VCursor::Btree(b) => {
                b.invalidate();
                let bt = conn.btree(b.db)?;
                if last {
                    b.cur.last(bt)?
                } else {
                    b.cur.first(bt)?
                }
            }
            VCursor::EphTable(t) => {
                if last {
                    t.last()
                } else {
                    t.first()
                }
            }
            VCursor::EphIndex(ix) => {
                if last {
                    ix.last()
                } else {
                    ix.first()
                }
            }
            VCursor::Sorter(s) => {
                s.pos = if last { s.rows.len().saturating_sub(1) } else { 0 };
                !s.rows.is_empty()
            }
            VCursor::Virtual(_) => return Err(crate::error::Error::with_message(crate::error::code::INTERNAL, "Rewind on a virtual table cursor")),
        })
    }

    /// Moves to the next entry (the previous one unless `forward`); false
    /// when it moved past the end.
    pub fn advance(&mut self, conn: &mut Connection, forward: bool) -> Result<bool> {
        Ok(match self {
            VCursor::Btree(b) => {
                b.invalidate();
                let bt = conn.btree(b.db)?;
                if forward {
                    b.cur.next(bt)?
                } else {
                    b.cur.prev(bt)?
                }
            }
            VCursor::EphTable(t) => {
                if forward {
                    t.next()
                } else {
                    t.prev()
                }
            }
            VCursor::EphIndex(ix) => {
                if forward {
                    ix.next()
                } else {
                    ix.prev()
                }
            }
            VCursor::Sorter(s) => {
                s.pos += 1;
                s.pos < s.rows.len()
            }
            VCursor::Virtual(v) => {
                v.cur.next()?;
                !v.cur.eof()
            }
        })
    }
}

/// A cursor on a table or index B-tree of database `db`.
pub struct BtreeCursor {
    pub db: usize,
    pub cur: BtCursor,
    pub kind: TreeKind,
    pub key_info: Option<Arc<KeyInfo>>,
    /// True while `payload` and `header` hold the current entry. The
    /// buffers are reused from row to row, so reading rows allocates
    /// nothing once they have grown to the largest row.
    pub row_valid: bool,
    pub payload: Vec<u8>,
    pub header: Header,
    /// Set by OP_NullRow: every column reads NULL until the cursor moves.
    pub null_row: bool,
    /// A deferred seek (`Op::DeferredSeek`): the row is the one the index
    /// cursor (first field) stands on; columns the map (table column →
    /// index field) covers are read from the index entry, and the first
    /// read of another column seeks this cursor for real.
    pub deferred: Option<(usize, Arc<[Option<usize>]>)>,
}

impl BtreeCursor {
    pub fn invalidate(&mut self) {
        self.row_valid = false;
        self.null_row = false;
        self.deferred = None;
    }
}

/// A transient rowid table (materialised subqueries, rowid sets).
#[derive(Default)]
pub struct EphTable {
    pub rows: BTreeMap<i64, Vec<u8>>,
    pub pos: Option<i64>,
    pub null_row: bool,
}

impl EphTable {
    pub fn first(&mut self) -> bool {
        self.null_row = false;
        self.pos = self.rows.keys().next().copied();
        self.pos.is_some()
    }
    pub fn last(&mut self) -> bool {
        self.null_row = false;
        self.pos = self.rows.keys().next_back().copied();
        self.pos.is_some()
    }
    pub fn next(&mut self) -> bool {
        if let Some(p) = self.pos {
            self.pos = self.rows.range((Bound::Excluded(p), Bound::Unbounded)).next().map(|(k, _)| *k);
        }
        self.pos.is_some()
    }
    pub fn prev(&mut self) -> bool {
        if let Some(p) = self.pos {
            self.pos = self.rows.range(..p).next_back().map(|(k, _)| *k);
        }
        self.pos.is_some()
    }
    pub fn current(&self) -> Option<&[u8]> {
        self.pos.and_then(|p| self.rows.get(&p)).map(|v| v.as_slice())
    }
}

/// A record key ordered by a KeyInfo, for transient indexes.
#[derive(Clone)]
pub struct EphKey {
    /// Shared so that positioning a cursor on a key copies no bytes.
    pub rec: Arc<[u8]>,
    pub key_info: Arc<KeyInfo>,
}

impl PartialEq for EphKey {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for EphKey {}
impl PartialOrd for EphKey {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for EphKey {
    fn cmp(&self, other: &Self) -> Ordering {
        // Transient keys are built by the VDBE itself, so a decoding error
        // cannot happen; treat one as equal rather than panic.
        compare_records(&self.rec, &other.rec, &self.key_info).unwrap_or(Ordering::Equal)
    }
}

/// A transient index: a sorted set of distinct records.
///
/// A scan reads ahead: `next` / `prev` take the following keys from the
/// set 64 at a time, so walking n keys costs n/64 tree searches rather than
/// n. The read-ahead is used only while the set is unchanged (`gen`) and the
/// cursor is still on the key it continues from.
pub struct EphIndex {
    pub keys: BTreeSet<EphKey>,
    pub key_info: Arc<KeyInfo>,
    pub pos: Option<EphKey>,
    gen: u64,
    ahead: Option<Ahead>,
}

/// Keys after (or before, scanning backwards) `from`, in scan order.
struct Ahead {
    gen: u64,
    forward: bool,
    from: Arc<[u8]>,
    keys: std::collections::VecDeque<EphKey>,
}

const READ_AHEAD: usize = 64;

impl EphIndex {
    pub fn new(key_info: Arc<KeyInfo>) -> EphIndex {
        EphIndex { keys: BTreeSet::new(), key_info, pos: None, gen: 0, ahead: None }
    }
    pub fn key(&self, rec: Vec<u8>) -> EphKey {
        EphKey { rec: rec.into(), key_info: self.key_info.clone() }
    }
    pub fn insert(&mut self, k: EphKey) {
        self.gen += 1;
        self.keys.insert(k);
    }
    pub fn remove(&mut self, k: &EphKey) {
        self.gen += 1;
        self.keys.remove(k);
    }
    pub fn first(&mut self) -> bool {
        self.pos = self.keys.iter().next().cloned();
        self.pos.is_some()
    }
    pub fn last(&mut self) -> bool {
        self.pos = self.keys.iter().next_back().cloned();
        self.pos.is_some()
    }
    pub fn next(&mut self) -> bool {
        self.step(true)
    }
    pub fn prev(&mut self) -> bool {
        self.step(false)
    }
    fn step(&mut self, forward: bool) -> bool {
        let Some(p) = self.pos.take() else { return false };
        let usable = matches!(&self.ahead, Some(a) if a.gen == self.gen && a.forward == forward && Arc::ptr_eq(&a.from, &p.rec) && !a.keys.is_empty());
        if !usable {
            let keys = if forward {
                self.keys.range((Bound::Excluded(&p), Bound::Unbounded)).take(READ_AHEAD).cloned().collect()
            } else {
                self.keys.range(..&p).rev().take(READ_AHEAD).cloned().collect()
            };
            self.ahead = Some(Ahead { gen: self.gen, forward, from: p.rec.clone(), keys });
        }
        let Some(a) = self.ahead.as_mut() else { return false };
        self.pos = a.keys.pop_front();
        if let Some(k) = &self.pos {
            a.from = k.rec.clone();
        }
        self.pos.is_some()
    }
    /// The first key not less than `probe` (a record of a prefix of the
    /// key's fields: a shorter record sorts before every key it prefixes).
    pub fn seek_ge(&self, probe: &EphKey) -> Option<&EphKey> {
        self.keys.range((Bound::Included(probe), Bound::Unbounded)).next()
    }
}

/// A sorter: collects records, sorts them once, then reads them in order.
pub struct Sorter {
    pub key_info: Arc<KeyInfo>,
    pub rows: Vec<Vec<u8>>,
    pub pos: usize,
}

impl Sorter {
    pub fn sort(&mut self) -> Result<()> {
        let ki = self.key_info.clone();
        let n = ki.fields.len();
        let mut err = None;
        // Only the key fields decide, and the sort is stable: rows with
        // equal keys come out in the order they went in, as from SQLite's
        // sorter (GROUP BY aggregates such as group_concat depend on it).
        self.rows.sort_by(|a, b| match crate::record::compare_prefix(a, b, &ki, n) {
            Ok(o) => o,
            Err(e) => {
                err.get_or_insert(e);
                Ordering::Equal
            }
        });
        match err {
            Some(e) => Err(e),
            None => {
                self.pos = 0;
                Ok(())
            }
        }
    }
    pub fn current(&self) -> Option<&[u8]> {
        self.rows.get(self.pos).map(|v| v.as_slice())
    }
}
