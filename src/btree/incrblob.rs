//! What the B-tree does for incremental BLOB I/O (`crate::blob`): it
//! remembers the rows blob handles are open on, so that a write to such a
//! row through any other cursor expires the handle, and it lets a cursor
//! overwrite bytes of its entry's payload in place.
//!
//! Invariants: every insert or delete of a table entry, `clear_table` and
//! `drop_table` expire the watches on that row (or on the whole tree)
//! before changing anything, as SQLite's invalidateIncrblobCursors does; a
//! rollback of the write transaction (or a ROLLBACK TO) "trips" the
//! writable watches, which SQLite reports as SQLITE_ABORT_ROLLBACK. An
//! in-place overwrite never changes the payload's size, so no cell moves
//! and no page is allocated or freed; every page it touches goes through
//! `Pager::page_mut`, so it is journaled like any other write.

use super::cursor::{BtCursor, State};
use super::page::{self, get_u32};
use super::{Btree, TreeKind, TxnState};
use crate::error::{code, Error, Result};
use crate::pager::Pgno;

/// One row a blob handle is open on.
#[derive(Debug)]
struct Watch {
    id: u64,
    root: Pgno,
    rowid: i64,
    writable: bool,
    /// False once the row was changed or deleted by another cursor.
    valid: bool,
    /// True once a rollback undid the write transaction under a writable
    /// handle.
    tripped: bool,
}

/// The watches of one database file.
#[derive(Debug, Default)]
pub(crate) struct Watches {
    list: Vec<Watch>,
    next_id: u64,
}

impl Watches {
    /// Expires the watches on row `rowid` of tree `root` (every row when
    /// `rowid` is None).
    pub(crate) fn invalidate(&mut self, root: Pgno, rowid: Option<i64>) {
        for w in self.list.iter_mut() {
            if w.root == root && rowid.is_none_or(|r| r == w.rowid) {
                w.valid = false;
            }
        }
    }

    /// The write transaction was rolled back (wholly or to a savepoint):
    /// writable handles cannot go on.
    pub(crate) fn trip_writers(&mut self) {
        for w in self.list.iter_mut().filter(|w| w.writable) {
            w.tripped = true;
        }
    }

    fn get(&self, id: u64) -> Option<&Watch> {
        self.list.iter().find(|w| w.id == id)
    }
}

/// How a watched row stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WatchState {
    Valid,
    /// The row was changed or deleted (or the watch is unknown).
    Expired,
    /// A rollback undid the transaction a writable handle wrote in.
    Tripped,
}

impl Btree {
    /// Starts watching row `rowid` of table `root` for a blob handle;
    /// returns the watch's id.
    pub fn incrblob_watch(&mut self, root: Pgno, rowid: i64, writable: bool) -> u64 {
        let w = &mut self.incrblobs;
        w.next_id += 1;
        let id = w.next_id;
        w.list.push(Watch { id, root, rowid, writable, valid: true, tripped: false });
        id
    }

    /// Points watch `id` at another row (blob_reopen); it is valid again.
    pub fn incrblob_move(&mut self, id: u64, rowid: i64) {
        if let Some(w) = self.incrblobs.list.iter_mut().find(|w| w.id == id) {
            w.rowid = rowid;
            w.valid = true;
        }
    }

    pub fn incrblob_state(&self, id: u64) -> WatchState {
        match self.incrblobs.get(id) {
            Some(w) if w.tripped => WatchState::Tripped,
            Some(w) if w.valid => WatchState::Valid,
            _ => WatchState::Expired,
        }
    }

    /// Stops watching (the handle is closed or aborted).
    pub fn incrblob_unwatch(&mut self, id: u64) {
        self.incrblobs.list.retain(|w| w.id != id);
    }

    /// Tells writable handles that a ROLLBACK TO undid writes under them.
    pub fn trip_incrblob_writers(&mut self) {
        self.incrblobs.trip_writers();
    }

    /// Overwrites payload bytes `offset..offset+data.len()` of the table
    /// entry in cell `idx` of leaf page `pgno`, in place and journaled,
    /// going down the overflow chain only as far as the bytes reach.
    pub(crate) fn overwrite_payload(&mut self, pgno: Pgno, idx: usize, offset: u64, data: &[u8]) -> Result<()> {
        let usable = self.usable();
        let c = {
            let d = self.pager.page(pgno)?;
            let info = page::parse(d, pgno, usable)?;
            page::parse_cell(d, info.cell_ptr(d, idx)?, &info)?
        };
        let end = offset.checked_add(data.len() as u64).filter(|&e| e <= c.payload).ok_or_else(Error::corrupt)?;
        let local = c.local as u64;
        if offset < local {
            let n = (end.min(local) - offset) as usize;
            let a = c.payload_off + offset as usize;
            let d = self.pager.page_mut(pgno)?;
            d.get_mut(a..a + n).ok_or_else(Error::corrupt)?.copy_from_slice(&data[..n]);
        }
        if end <= local {
            return Ok(());
        }
        let per = (usable - 4) as u64;
        let db_size = self.pager.db_size();
        let n_pages = (c.payload - local).div_ceil(per);
        let mut pg = c.ovfl;
        let mut pos = local; // payload offset of the first data byte of `pg`
        for _ in 0..n_pages {
            if pos >= end {
                break;
            }
            if pg < 2 || pg > db_size {
                return Err(Error::corrupt());
            }
            let here = per.min(c.payload - pos);
            let next = get_u32(self.pager.page(pg)?, 0)?;
            if pos + here > offset {
                let a = offset.saturating_sub(pos); // within this page
                let b = (end - pos).min(here);
                let src_from = (pos + a - offset) as usize;
                let src = data.get(src_from..src_from + (b - a) as usize).ok_or_else(Error::corrupt)?;
                let d = self.pager.page_mut(pg)?;
                d.get_mut(4 + a as usize..4 + b as usize).ok_or_else(Error::corrupt)?.copy_from_slice(src);
            }
            pos += here;
            pg = next;
        }
        if pos < end {
            return Err(Error::corrupt());
        }
        Ok(())
    }
}

impl BtCursor {
    /// Overwrites payload bytes `offset..offset+data.len()` of the table
    /// entry under the cursor (sqlite3_blob_write): the size of the entry
    /// never changes. Needs a writable cursor and a write transaction.
    /// Other cursors on the tree re-seek at their next use.
    pub fn put_data(&mut self, bt: &mut Btree, offset: u32, data: &[u8]) -> Result<()> {
        if !self.writable {
            return Err(Error::code(code::READONLY));
        }
        if self.kind != TreeKind::Table || bt.txn_state() != TxnState::Write {
            return Err(Error::with_message(code::MISUSE, "no write transaction"));
        }
        self.restore(bt)?;
        if self.state != State::Valid {
            return Err(Error::code(code::ABORT));
        }
        let (pg, idx) = *self.stack.last().ok_or_else(Error::corrupt)?;
        bt.overwrite_payload(pg, idx, offset as u64, data)?;
        bt.bump(self.root);
        // Nothing moved: this cursor stays where it is.
        self.ver = bt.tree_version(self.root);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::WatchState;
    use crate::btree::{BtCursor, Btree, TreeKind};
    use crate::os::memory::MemoryVfs;
    use crate::os::OpenFlags;

    fn mem() -> Btree {
        Btree::open(Arc::new(MemoryVfs::new()), ":memory:", OpenFlags::READWRITE | OpenFlags::CREATE).unwrap()
    }

    /// In-place overwrites at every alignment against page and overflow
    /// boundaries, compared with a model, then rolled back.
    #[test]
    fn overwrite_in_place_matches_a_model_and_rolls_back() {
        let mut bt = mem();
        bt.set_page_size(512).unwrap();
        bt.begin_write().unwrap();
        let root = bt.create_table(TreeKind::Table).unwrap();
        let mut c = BtCursor::new(root, TreeKind::Table, true);
        let mut model: Vec<u8> = (0..5000u32).map(|i| (i % 253) as u8).collect();
        c.insert(&mut bt, 1, &model).unwrap();
        c.insert(&mut bt, 2, b"short").unwrap();
        bt.commit().unwrap();
        bt.begin_write().unwrap();
        let pages = bt.page_count().unwrap();
        for (k, (off, n)) in [(0usize, 1usize), (400, 200), (507, 2), (1000, 3000), (4999, 1), (0, 5000)].into_iter().enumerate() {
            let data: Vec<u8> = (0..n).map(|j| (j as u8).wrapping_mul(7).wrapping_add(k as u8)).collect();
            assert_eq!(c.table_moveto(&mut bt, 1).unwrap(), 0);
            c.put_data(&mut bt, off as u32, &data).unwrap();
            model[off..off + n].copy_from_slice(&data);
            assert_eq!(&c.payload(&mut bt).unwrap()[..], &model[..]);
        }
        assert_eq!(bt.page_count().unwrap(), pages, "an overwrite allocates nothing");
        // Past the end: CORRUPT, nothing written.
        assert!(c.put_data(&mut bt, 4999, b"xy").is_err());
        bt.rollback().unwrap();
        bt.begin_read().unwrap();
        let orig: Vec<u8> = (0..5000u32).map(|i| (i % 253) as u8).collect();
        assert_eq!(c.table_moveto(&mut bt, 1).unwrap(), 0);
        assert_eq!(&c.payload(&mut bt).unwrap()[..], &orig[..]);
        bt.commit().unwrap();
    }

    #[test]
    fn watches_expire_on_their_row_and_trip_on_rollback() {
        let mut bt = mem();
        bt.begin_write().unwrap();
        let root = bt.create_table(TreeKind::Table).unwrap();
        let mut c = BtCursor::new(root, TreeKind::Table, true);
        for i in 1..=3 {
            c.insert(&mut bt, i, b"row").unwrap();
        }
        let w1 = bt.incrblob_watch(root, 1, false);
        let w2 = bt.incrblob_watch(root, 2, true);
        let w3 = bt.incrblob_watch(root, 3, false);
        c.insert(&mut bt, 4, b"new").unwrap();
        c.insert(&mut bt, 1, b"again").unwrap();
        assert_eq!(bt.incrblob_state(w1), WatchState::Expired);
        assert_eq!(bt.incrblob_state(w2), WatchState::Valid);
        assert_eq!(c.table_moveto(&mut bt, 3).unwrap(), 0);
        c.delete(&mut bt).unwrap();
        assert_eq!(bt.incrblob_state(w3), WatchState::Expired);
        bt.incrblob_move(w1, 4);
        assert_eq!(bt.incrblob_state(w1), WatchState::Valid);
        bt.clear_table(root).unwrap();
        assert_eq!(bt.incrblob_state(w1), WatchState::Expired);
        bt.incrblob_move(w2, 2);
        bt.rollback().unwrap();
        assert_eq!(bt.incrblob_state(w2), WatchState::Tripped);
        bt.incrblob_unwatch(w2);
        assert_eq!(bt.incrblob_state(w2), WatchState::Expired);
    }
}
