//! The B-tree layer: table (intkey) and index B-trees in SQLite's page
//! format on top of the pager, plus cursors the VDBE drives.
//!
//! Submodules: `varint` (cell varints), `page` (page/cell format and page
//! building), `overflow` (overflow chains), `freelist` (page allocation and
//! freeing), `cursor` (cursor movement and seeks), `balance` (insert and
//! delete with rebalancing), `integrity` (PRAGMA integrity_check's B-tree
//! walk), `ptrmap` (pointer-map pages of auto-vacuum files),
//! `autovacuum` (page relocation, FULL and INCREMENTAL vacuuming, root
//! placement).
//!
//! Invariants kept across every operation:
//! - the root page of a tree never moves, except by `drop_table` in an
//!   auto-vacuum file, which says so; page 1 is the sqlite_schema root;
//! - every non-root page holds at least one cell; interior pages of a tree
//!   are all interior of the same kind, leaves all at the same depth;
//! - every page of the file is in exactly one tree, one overflow chain or
//!   the freelist (so `PRAGMA integrity_check` finds no leaked page) and the
//!   header's free-page count is exact;
//! - each modification of a tree bumps that tree's version (`bump`), and a
//!   rollback bumps the epoch, so cursors know to re-seek their saved key.
//!
//! Using it from the VDBE:
//! - Transactions: `begin_read` (SHARED; may return BUSY while another
//!   connection or process commits), `begin_write` (RESERVED; BUSY when any
//!   other connection/process holds RESERVED or more — end the read
//!   transaction and retry, or wait), `commit` (may return BUSY while other
//!   readers hold SHARED: the write transaction stays open, retry `commit`
//!   or `rollback`), `rollback`. Both end the transaction and drop all
//!   locks. Statement rollback: `open_savepoint(n)`, `release_savepoint(n)`,
//!   `rollback_savepoint(n)`.
//! - Cursors are plain data and take `bt` on every call. They may be kept
//!   across writes made through other cursors and across savepoint
//!   rollbacks: they re-seek their saved key (rowid, or key bytes with the
//!   comparator given to `BtCursor::new_index`). An index cursor made with
//!   `BtCursor::new` cannot re-seek and reports MISUSE if its tree changed
//!   under it. Cursors should not outlive the transaction they were
//!   positioned in (they re-seek at their next use if they do).
//! - After `delete`, `next`/`prev` go to the neighbours of the deleted
//!   entry; after `insert`/`insert_index` the cursor re-seeks the new entry.
//! - Index comparators: `cmp(stored)` returns the order of the stored key
//!   relative to the probe; `KeyCmp(a, b)` orders two stored keys.
//! - A write that fails (FULL, I/O error, CORRUPT) may leave its tree
//!   half-changed: roll back to the statement savepoint or the
//!   transaction, as SQLite's VDBE does.
//! - Auto-vacuum databases (header largest-root-page != 0, `ptrmap`,
//!   `autovacuum`): every page's ptrmap entry names its one referrer at all
//!   times; roots occupy pages 3..=largest-root (ptrmap and lock-byte pages
//!   excepted), so creating a tree may relocate a page and dropping one
//!   moves the tree with the largest root (`drop_table` reports it); in
//!   FULL mode the commit moves free pages to the end and cuts them off,
//!   so a committed FULL file has an empty freelist.

pub mod autovacuum;
pub mod balance;
pub mod cursor;
pub mod freelist;
pub mod incrblob;
pub mod integrity;
pub mod overflow;
pub mod page;
pub mod ptrmap;
pub mod varint;

use std::sync::Arc;

use crate::error::{code, Error, Result};
use crate::os::{OpenFlags, Vfs};
pub use crate::pager::JournalMode;
use crate::pager::{header, Pager};

pub use cursor::{BtCursor, KeyCmp};
pub use integrity::IntegrityReport;
pub use crate::pager::Pgno;

/// Intkey table B-tree vs index B-tree.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TreeKind {
    Table,
    Index,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TxnState {
    None,
    Read,
    Write,
}

/// Deepest tree accepted (SQLite's BTCURSOR_MAX_DEPTH): deeper is corrupt.
pub const MAX_DEPTH: usize = 20;

/// One database file opened by one connection.
pub struct Btree {
    pub(crate) pager: Pager,
    txn: TxnState,
    epoch: u64,
    versions: crate::pager::cache::PgnoMap<u64>,
    /// Reusable buffer for building cells.
    pub(crate) cell_buf: Vec<u8>,
    /// The file keeps ptrmap pages (header largest-root != 0), or, before
    /// the file has pages, will be created so.
    pub(crate) autovacuum: bool,
    /// INCREMENTAL rather than FULL (header meta 7).
    pub(crate) incr_vacuum: bool,
    /// Rows that incremental-blob handles are open on (see `incrblob`).
    pub(crate) incrblobs: incrblob::Watches,
    /// How many free pages a FULL auto-vacuum commit removes, given the
    /// file's page count, its free pages and the page size
    /// (sqlite3_autovacuum_pages); None: all. The connection sets it
    /// around its commits.
    pub autovac_pages: Option<AutovacPages>,
}

/// A policy for `Btree::autovac_pages`.
pub type AutovacPages = Box<dyn FnMut(u32, u32, u32) -> u32 + Send>;

impl std::fmt::Debug for Btree {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Btree")
            .field("filename", &self.pager.filename())
            .field("txn", &self.txn)
            .field("page_size", &self.pager.page_size())
            .field("pages", &self.pager.db_size())
            .finish()
    }
}

impl Btree {
    /// Opens a database. `":memory:"` or `""` (or `OpenFlags::MEMORY`)
    /// gives a private in-memory database.
    pub fn open(vfs: Arc<dyn Vfs>, path: &str, flags: OpenFlags) -> Result<Btree> {
        let pager = if path.is_empty() || path == ":memory:" || flags.contains(OpenFlags::MEMORY) {
            Pager::open_memory(vfs)
        } else {
            Pager::open(vfs, path, flags)?
        };
        Ok(Btree::with_pager(pager))
    }

    #[inline]
    pub(crate) fn usable(&self) -> usize {
        self.pager.usable_size() as usize
    }

    /// (epoch, version) of a tree, for cursor invalidation.
    #[inline]
    pub(crate) fn tree_version(&self, root: Pgno) -> (u64, u64) {
        (self.epoch, self.versions.get(&root).copied().unwrap_or(0))
    }

    #[inline]
    pub(crate) fn bump(&mut self, root: Pgno) {
        *self.versions.entry(root).or_insert(0) += 1;
    }

    pub fn begin_read(&mut self) -> Result<()> {
        if self.txn != TxnState::None {
            return Ok(());
        }
        self.pager.begin_read()?;
        if self.pager.db_size() > 0 {
            let usable = self.usable();
            let ok = self.pager.page(1).and_then(|d| page::parse(d, 1, usable).map(|_| ()));
            if let Err(e) = ok {
                let _ = self.pager.end_read();
                return Err(e);
            }
            self.load_vacuum_mode()?;
        }
        self.txn = TxnState::Read;
        self.epoch += 1;
        Ok(())
    }

    pub fn begin_write(&mut self) -> Result<()> {
        if self.txn == TxnState::Write {
            return Ok(());
        }
        let was_none = self.txn == TxnState::None;
        self.begin_read()?;
        if let Err(e) = self.pager.begin_write() {
            if was_none {
                let _ = self.pager.end_read();
                self.txn = TxnState::None;
            }
            return Err(e);
        }
        self.txn = TxnState::Write;
        if self.pager.db_size() == 0 {
            if let Err(e) = self.new_database() {
                let _ = self.rollback();
                return Err(e);
            }
        }
        Ok(())
    }

    /// Page 1 of a new database: header plus an empty sqlite_schema leaf.
    fn new_database(&mut self) -> Result<()> {
        let ps = self.pager.page_size();
        let reserved = self.pager.reserved();
        let usable = self.usable();
        let pg = self.pager.allocate_page()?;
        if pg != 1 {
            return Err(Error::corrupt());
        }
        let d = self.pager.page_mut(1)?;
        d[..100].copy_from_slice(&header::new_header(ps, reserved));
        header::put_u32(d, header::OFF_META + 4 * autovacuum::META_LARGEST_ROOT, u32::from(self.autovacuum));
        header::put_u32(d, header::OFF_META + 4 * autovacuum::META_INCR_VACUUM, u32::from(self.autovacuum && self.incr_vacuum));
        page::build::<&[u8]>(d, 1, usable, page::TABLE_LEAF, &[], 0)?;
        Ok(())
    }

    /// Takes the auto-vacuum mode from the header of an existing file.
    fn load_vacuum_mode(&mut self) -> Result<()> {
        let p1 = self.pager.page(1)?;
        self.autovacuum = header::get_u32(p1, header::OFF_META + 4 * autovacuum::META_LARGEST_ROOT) != 0;
        self.incr_vacuum = header::get_u32(p1, header::OFF_META + 4 * autovacuum::META_INCR_VACUUM) != 0;
        Ok(())
    }

    /// Ends the transaction (committing a write transaction) and releases
    /// the locks. On `Err(BUSY)` the write transaction stays open: retry
    /// or roll back.
    pub fn commit(&mut self) -> Result<()> {
        if self.txn == TxnState::Write {
            self.autovacuum_commit()?;
            self.pager.commit()?;
        }
        self.txn = TxnState::None;
        self.pager.end_read()
    }

    /// Commits a write transaction but keeps a read transaction and the
    /// SHARED lock, for statements of the connection that are still
    /// reading (SQLite lets a SELECT run on across a COMMIT). Without a
    /// write transaction it changes nothing.
    pub fn commit_keep_read(&mut self) -> Result<()> {
        if self.txn == TxnState::Write {
            self.autovacuum_commit()?;
            self.pager.commit()?;
            self.txn = TxnState::Read;
        }
        Ok(())
    }

    /// Rolls back a write transaction but keeps a read transaction and the
    /// SHARED lock, for statements of the connection that are still
    /// reading (SQLite lets a SELECT or a blob handle run on across a
    /// ROLLBACK; their cursors re-seek). Writable blob handles are tripped.
    /// Without a write transaction it changes nothing.
    pub fn rollback_keep_read(&mut self) -> Result<()> {
        if self.txn != TxnState::Write {
            return Ok(());
        }
        self.incrblobs.trip_writers();
        let r = self.pager.rollback();
        self.txn = TxnState::Read;
        self.epoch += 1;
        r
    }

    /// First half of a commit (journal synced, database written, journal
    /// not yet removed): for multi-database commits and crash tests.
    pub fn commit_phase_one(&mut self) -> Result<()> {
        if self.txn == TxnState::Write {
            self.autovacuum_commit()?;
            self.pager.commit_phase_one()?;
        }
        Ok(())
    }

    pub fn rollback(&mut self) -> Result<()> {
        if self.txn == TxnState::Write {
            self.incrblobs.trip_writers();
        }
        let r = self.pager.rollback();
        self.txn = TxnState::None;
        self.epoch += 1;
        let r2 = self.pager.end_read();
        r.and(r2)
    }

    /// Opens savepoints (statement journals, SAVEPOINT) until `n` are open,
    /// like sqlite3BtreeBeginStmt / OP_Savepoint: savepoint `i` (0-based)
    /// captures the state when it opened. Needs a write transaction.
    pub fn open_savepoint(&mut self, n: usize) -> Result<()> {
        self.need_write()?;
        self.pager.open_savepoint(n)
    }

    /// Releases savepoint `n` and all newer ones, keeping their changes.
    pub fn release_savepoint(&mut self, n: usize) -> Result<()> {
        if self.txn == TxnState::Write {
            self.pager.release_savepoint(n);
        }
        Ok(())
    }

    /// Undoes all changes since savepoint `n` opened; `n` stays open, newer
    /// ones are released. Every cursor re-seeks on its next use.
    pub fn rollback_savepoint(&mut self, n: usize) -> Result<()> {
        self.need_write()?;
        self.pager.rollback_savepoint(n)?;
        self.epoch += 1;
        Ok(())
    }

    /// Number of open savepoints.
    pub fn savepoint_count(&self) -> usize {
        self.pager.savepoint_count()
    }

    pub fn txn_state(&self) -> TxnState {
        self.txn
    }

    /// Where this process's connections queue for the file's locks.
    pub fn lock_gate(&self) -> Option<std::sync::Arc<crate::os::gate::LockGate>> {
        self.pager.lock_gate()
    }

    fn need_write(&self) -> Result<()> {
        if self.txn != TxnState::Write {
            return Err(Error::with_message(code::MISUSE, "no write transaction"));
        }
        Ok(())
    }

    /// Meta value `idx` (SQLite's BTREE_* numbering; 0 = free page count).
    pub fn get_meta(&mut self, idx: usize) -> Result<u32> {
        if idx > 15 {
            return Err(Error::misuse());
        }
        let auto = self.txn == TxnState::None;
        if auto {
            self.begin_read()?;
        }
        let r = if self.pager.db_size() == 0 {
            Ok(0)
        } else {
            self.pager.page(1).map(|d| header::get_u32(d, header::OFF_META + 4 * idx))
        };
        if auto {
            let _ = self.commit();
        }
        r
    }

    pub fn update_meta(&mut self, idx: usize, value: u32) -> Result<()> {
        if idx == 0 || idx > 15 {
            return Err(Error::misuse());
        }
        self.need_write()?;
        header::put_u32(self.pager.page_mut(1)?, header::OFF_META + 4 * idx, value);
        Ok(())
    }

    /// A new empty tree; returns its root page. In an auto-vacuum file the
    /// root goes right after the largest root (see `autovacuum`).
    pub fn create_table(&mut self, kind: TreeKind) -> Result<Pgno> {
        self.need_write()?;
        let pg = if self.autovacuum { self.allocate_root()? } else { self.allocate_page()? };
        let usable = self.usable();
        let k = if kind == TreeKind::Table { page::TABLE_LEAF } else { page::INDEX_LEAF };
        page::build::<&[u8]>(self.pager.page_mut(pg)?, pg, usable, k, &[], 0)?;
        self.bump(pg);
        Ok(pg)
    }

    /// Frees every page of the tree rooted at `root`, root included.
    /// In an auto-vacuum file the tree with the largest root moves into
    /// the freed root page: `Some(old_root)` says which (its root is now
    /// `root`), and the caller must rewrite its rootpage in sqlite_schema.
    pub fn drop_table(&mut self, root: Pgno) -> Result<Option<Pgno>> {
        self.need_write()?;
        if root < 2 {
            return Err(Error::with_message(code::ERROR, "cannot drop page 1"));
        }
        self.clear_table(root)?;
        self.incrblobs.invalidate(root, None);
        let moved = if self.autovacuum {
            self.drop_root(root)?
        } else {
            self.free_page(root)?;
            None
        };
        self.bump(root);
        if let Some(m) = moved {
            self.bump(m);
        }
        Ok(moved)
    }

    /// Deletes every entry of a tree (its root stays, empty); returns the
    /// number of entries removed.
    pub fn clear_table(&mut self, root: Pgno) -> Result<u64> {
        self.need_write()?;
        let usable = self.usable();
        let db_size = self.pager.db_size();
        if root == 0 || root > db_size {
            return Err(Error::corrupt());
        }
        self.incrblobs.invalidate(root, None);
        let mut count = 0u64;
        let mut stack: Vec<(Pgno, usize)> = vec![(root, 0)];
        let mut visited = std::collections::HashSet::new();
        let mut root_kind = 0u8;
        while let Some((pg, depth)) = stack.pop() {
            if depth > MAX_DEPTH || pg < 1 || pg > db_size || !visited.insert(pg) {
                return Err(Error::corrupt());
            }
            let mut cells = Vec::new();
            let info = {
                let d = self.pager.page(pg)?;
                let info = page::parse(d, pg, usable)?;
                for i in 0..info.ncell {
                    let off = info.cell_ptr(d, i)?;
                    cells.push(page::parse_cell(d, off, &info)?);
                }
                info
            };
            if pg == root {
                root_kind = info.kind;
            } else if info.intkey != (root_kind == page::TABLE_LEAF || root_kind == page::TABLE_INTERIOR) {
                return Err(Error::corrupt());
            }
            for c in &cells {
                if !info.intkey || info.leaf {
                    count += 1;
                    self.free_overflow(c)?;
                }
                if !info.leaf {
                    stack.push((c.child, depth + 1));
                }
            }
            if !info.leaf {
                stack.push((info.right, depth + 1));
            }
            if pg != root {
                self.free_page(pg)?;
            }
        }
        let leaf = if root_kind == page::TABLE_LEAF || root_kind == page::TABLE_INTERIOR {
            page::TABLE_LEAF
        } else {
            page::INDEX_LEAF
        };
        page::build::<&[u8]>(self.pager.page_mut(root)?, root, usable, leaf, &[], 0)?;
        self.bump(root);
        Ok(count)
    }

    /// Replaces this database's whole content with `src`'s, page for page
    /// (the backup API, and the last step of VACUUM). `self` must be in a
    /// write transaction, `src` in a read transaction; page sizes must
    /// match unless `self` is empty. The change counter keeps counting
    /// from this database's own value, so other connections notice. The
    /// file shrinks at commit if `src` is smaller.
    pub fn copy_from(&mut self, src: &mut Btree) -> Result<()> {
        self.need_write()?;
        if src.txn_state() == TxnState::None {
            return Err(Error::with_message(code::MISUSE, "source has no transaction"));
        }
        let n = src.pager.db_size();
        let ps = src.pager.page_size();
        let reserved = src.pager.reserved();
        let fresh = self.pager.db_orig_size() == 0;
        let old_counter = if fresh {
            None
        } else {
            if ps != self.pager.page_size() || reserved != self.pager.reserved() {
                return Err(Error::with_message(code::READONLY, "backup between different page sizes"));
            }
            Some(header::get_u32(self.pager.page(1)?, header::OFF_CHANGE_COUNTER))
        };
        if fresh && (ps != self.pager.page_size() || reserved != self.pager.reserved()) {
            // A brand-new target takes the source's page layout: restart
            // the (still empty) transaction at that size.
            self.pager.rollback()?;
            self.pager.end_read()?;
            self.txn = TxnState::None;
            self.pager.set_page_size(ps)?;
            self.pager.set_reserved(reserved)?;
            self.pager.begin_write()?;
            self.txn = TxnState::Write;
        }
        let lock = self.pager.lock_page();
        self.pager.truncate_to(n)?;
        self.pager.extend_to(n)?;
        for pg in 1..=n {
            if pg == lock {
                continue;
            }
            let data = src.pager.page(pg)?.to_vec();
            self.pager.page_mut(pg)?.copy_from_slice(&data);
        }
        if n > 0 {
            if let Some(c) = old_counter {
                let p1 = self.pager.page_mut(1)?;
                header::put_u32(p1, header::OFF_CHANGE_COUNTER, c);
                header::put_u32(p1, header::OFF_VERSION_VALID_FOR, c);
            }
            self.load_vacuum_mode()?;
        }
        self.epoch += 1;
        Ok(())
    }

    /// Commits the write transaction so that this database becomes
    /// exactly `src`'s content, page size included (VACUUM after PRAGMA
    /// page_size). A read transaction stays open.
    pub fn commit_replacing(&mut self, src: &mut Btree) -> Result<()> {
        self.need_write()?;
        self.pager.commit_replacing(&mut src.pager)?;
        self.txn = TxnState::Read;
        self.epoch += 1;
        Ok(())
    }

    pub fn page_size(&self) -> u32 {
        self.pager.page_size()
    }

    // ----------------------------------------------------- whole-page access
    // For the backup API and serialize, which copy a database page for
    // page without looking inside.

    /// Pages in the database as the open transaction sees it.
    pub fn db_size(&self) -> Pgno {
        self.pager.db_size()
    }

    /// The bytes of page `pgno`, as stored (a transaction must be open).
    pub fn page_data(&mut self, pgno: Pgno) -> Result<&[u8]> {
        self.pager.page(pgno)
    }

    /// Overwrites page `pgno` with `data` (exactly a page) in the open
    /// write transaction, growing the database to `pgno` pages first if
    /// needed. The original is journaled as for any change.
    pub fn put_page_data(&mut self, pgno: Pgno, data: &[u8]) -> Result<()> {
        self.need_write()?;
        if pgno > self.pager.db_size() {
            self.pager.extend_to(pgno)?;
        }
        let d = self.pager.page_mut(pgno)?;
        if d.len() != data.len() {
            return Err(Error::code(code::INTERNAL));
        }
        d.copy_from_slice(data);
        self.epoch += 1;
        Ok(())
    }

    /// Overwrites `bytes.len()` bytes of page `pgno` at `off`, as
    /// `put_page_data` (a backup between page sizes writes part pages).
    pub fn put_page_bytes(&mut self, pgno: Pgno, off: usize, bytes: &[u8]) -> Result<()> {
        self.need_write()?;
        if pgno > self.pager.db_size() {
            self.pager.extend_to(pgno)?;
        }
        let d = self.pager.page_mut(pgno)?;
        let dst = d.get_mut(off..off + bytes.len()).ok_or_else(|| Error::code(code::INTERNAL))?;
        dst.copy_from_slice(bytes);
        self.epoch += 1;
        Ok(())
    }

    /// First half of committing a backup image of another page size: no
    /// auto-vacuum work (the pages are not this B-tree's), page 1's
    /// page-count field kept. Then `write_raw` / `truncate_raw_and_sync`
    /// may fix the file, and `commit_image_phase_two` ends the
    /// transaction; after it the file is read afresh, page size included.
    pub fn commit_image_phase_one(&mut self) -> Result<()> {
        self.need_write()?;
        self.pager.set_keep_size_field();
        self.pager.commit_phase_one()
    }

    pub fn write_raw(&mut self, off: u64, data: &[u8]) -> Result<()> {
        self.need_write()?;
        self.pager.write_raw(off, data)
    }

    pub fn truncate_raw_and_sync(&mut self, size: u64) -> Result<()> {
        self.need_write()?;
        self.pager.truncate_raw_and_sync(size)
    }

    pub fn commit_image_phase_two(&mut self) -> Result<()> {
        self.need_write()?;
        self.pager.commit_phase_two()?;
        self.txn = TxnState::None;
        self.epoch += 1;
        self.pager.end_read()
    }

    /// Cuts the database to `n` pages in the open write transaction.
    pub fn truncate_pages(&mut self, n: Pgno) -> Result<()> {
        self.need_write()?;
        self.pager.truncate_to(n)?;
        self.epoch += 1;
        Ok(())
    }

    /// Makes the database a new empty one (page 1 only) in the open write
    /// transaction, as SQLite's sqlite3BtreeNewDb.
    pub fn reset_to_new_db(&mut self) -> Result<()> {
        self.need_write()?;
        self.pager.truncate_to(0)?;
        self.new_database()?;
        self.epoch += 1;
        Ok(())
    }

    /// In memory (`:memory:`, TEMP, a deserialized database).
    pub fn is_memdb(&self) -> bool {
        self.pager.is_memdb()
    }

    /// Re-reads the auto-vacuum mode from page 1 after it was overwritten.
    pub fn reload_vacuum_mode(&mut self) -> Result<()> {
        if self.pager.db_size() > 0 {
            self.load_vacuum_mode()?;
        }
        Ok(())
    }

    /// Takes the EXCLUSIVE lock of the open write transaction now.
    pub fn lock_exclusive(&mut self) -> Result<()> {
        self.need_write()?;
        self.pager.lock_exclusive()
    }

    /// Registers a backup's watch on this database (see `pager::watch`).
    pub fn add_watch(&mut self, w: crate::pager::watch::SharedWatch) {
        self.pager.add_watch(w)
    }

    pub fn remove_watch(&mut self, w: &crate::pager::watch::SharedWatch) {
        self.pager.remove_watch(w)
    }

    pub fn has_watch(&self, w: &crate::pager::watch::SharedWatch) -> bool {
        self.pager.has_watch(w)
    }

    /// Backups reading this database.
    pub fn watch_count(&self) -> usize {
        self.pager.watch_count()
    }

    /// The database's pager, for serialize's access to its memory file
    /// and the snapshot API.
    pub(crate) fn pager_mut(&mut self) -> &mut Pager {
        &mut self.pager
    }

    /// A database in `file`, a file held in memory (sqlite3_deserialize).
    pub fn open_on_file(vfs: Arc<dyn Vfs>, file: Box<dyn crate::os::VfsFile>, name: &str) -> Btree {
        Btree::with_pager(Pager::open_file(vfs, file, name))
    }

    /// Sets the page size of a database that has no pages yet.
    pub fn set_page_size(&mut self, n: u32) -> Result<()> {
        self.pager.set_page_size(n)
    }

    /// Sets reserved bytes per page for a database that has no pages yet.
    /// PRAGMA locking_mode: true for EXCLUSIVE.
    pub fn set_exclusive_mode(&mut self, on: bool) -> Result<()> {
        self.pager.set_exclusive_mode(on)
    }

    pub fn exclusive_mode(&self) -> bool {
        self.pager.exclusive_mode()
    }

    /// PRAGMA fullfsync.
    pub fn set_fullfsync(&mut self, on: bool) {
        self.pager.set_fullfsync(on)
    }

    /// PRAGMA mmap_size, in bytes.
    pub fn set_mmap_size(&mut self, n: u64) {
        self.pager.set_mmap_size(n)
    }

    pub fn mmap_size(&self) -> u64 {
        self.pager.mmap_size()
    }

    /// Reserved bytes at the end of each page.
    pub fn reserved(&self) -> u8 {
        self.pager.reserved()
    }

    pub fn set_reserved(&mut self, n: u8) -> Result<()> {
        self.pager.set_reserved(n)
    }

    pub fn page_count(&mut self) -> Result<u32> {
        let auto = self.txn == TxnState::None;
        if auto {
            self.begin_read()?;
        }
        let n = self.pager.db_size();
        if auto {
            self.commit()?;
        }
        Ok(n)
    }

    pub fn set_cache_size(&mut self, pages_or_negative_kib: i64) {
        self.pager.set_cache_size(pages_or_negative_kib)
    }

    /// PRAGMA max_page_count (0 = just report); inserts that would grow
    /// the file past it fail with SQLITE_FULL.
    pub fn set_max_page_count(&mut self, n: u32) -> u32 {
        self.pager.set_max_page_count(n)
    }

    pub fn set_synchronous(&mut self, level: u8) {
        self.pager.set_synchronous(level)
    }

    /// PRAGMA journal_mode; returns the mode in force afterwards.
    /// Entering or leaving WAL rewrites the file format bytes 18/19 (2 for
    /// WAL, 1 otherwise) in a rollback-journal transaction, as SQLite's
    /// OP_JournalMode does; leaving WAL first checkpoints and deletes the
    /// log, which needs every other connection gone (else BUSY). The
    /// caller checks that no transaction is open.
    pub fn set_journal_mode(&mut self, mode: JournalMode) -> Result<JournalMode> {
        if self.pager.is_memory() || self.pager.journal_path().is_empty() {
            return self.pager.set_journal_mode(mode);
        }
        let old = self.probe_journal_mode()?;
        if mode == JournalMode::Wal && old != JournalMode::Wal {
            if self.pager.is_readonly() || !self.pager.wal_supported() {
                return Ok(old);
            }
            if old == JournalMode::Memory {
                self.pager.set_journal_mode(JournalMode::Off)?;
            }
            self.set_file_format(2)?;
            // The header now says WAL: the next read transaction opens
            // the log (SQLite creates `-wal` lazily too).
            return self.pager.set_journal_mode(JournalMode::Wal);
        }
        if old == JournalMode::Wal && mode != JournalMode::Wal {
            self.pager.leave_wal(mode)?;
            let r = self.set_file_format(1);
            self.pager.release_lock();
            self.pager.allow_wal();
            r?;
            return Ok(self.pager.journal_mode());
        }
        self.pager.set_journal_mode(mode)
    }

    /// The journal mode, after a look at the file when no transaction is
    /// open (a WAL database is in WAL mode from its first read).
    pub fn probe_journal_mode(&mut self) -> Result<JournalMode> {
        if self.txn == TxnState::None && !self.pager.is_memory() {
            self.begin_read()?;
            self.commit()?;
        }
        Ok(self.pager.journal_mode())
    }

    /// Writes file format bytes 18 (write version) and 19 (read version).
    fn set_file_format(&mut self, v: u8) -> Result<()> {
        self.begin_write()?;
        let r = (|| -> Result<()> {
            let p1 = self.pager.page(1)?;
            if p1[18] != v || p1[19] != v {
                let p1 = self.pager.page_mut(1)?;
                p1[18] = v;
                p1[19] = v;
            }
            Ok(())
        })();
        match r {
            Ok(()) => self.commit(),
            Err(e) => {
                let _ = self.rollback();
                Err(e)
            }
        }
    }

    /// PRAGMA wal_checkpoint: `busy` is asked whether to keep waiting for
    /// locks (FULL, RESTART, TRUNCATE). LOCKED inside a transaction.
    pub fn checkpoint(
        &mut self,
        mode: crate::pager::wal::CheckpointMode,
        busy: Option<&mut dyn FnMut() -> bool>,
    ) -> Result<crate::pager::wal::checkpoint::CheckpointResult> {
        if self.txn != TxnState::None {
            return Err(Error::with_message(code::LOCKED, "database table is locked"));
        }
        self.pager.checkpoint(mode, busy)
    }

    /// The name of the VFS the database file is opened with.
    pub fn vfs_name(&self) -> &str {
        self.pager.vfs_name()
    }

    /// sqlite3_file_control on the database file, when its VFS answers
    /// file controls itself (an application VFS); None otherwise.
    pub fn file_control(&mut self, op: i32, arg: *mut std::ffi::c_void) -> Option<i32> {
        self.pager.file_control(op, arg)
    }

    /// Keep the WAL file when the last connection closes
    /// (SQLITE_FCNTL_PERSIST_WAL, PRAGMA ferrolite_persist_wal).
    pub fn set_persist_wal(&mut self, on: bool) {
        self.pager.persist_wal = on;
    }
    pub fn persist_wal(&self) -> bool {
        self.pager.persist_wal
    }

    /// The log's frame count after the last commit not yet reported to
    /// the WAL hook (0: none), and forget it.
    pub fn take_wal_callback(&mut self) -> u32 {
        self.pager.take_wal_callback()
    }

    pub fn set_checkpoint_fullfsync(&mut self, on: bool) {
        self.pager.set_checkpoint_fullfsync(on)
    }

    pub fn journal_mode(&self) -> JournalMode {
        self.pager.journal_mode()
    }

    pub fn is_readonly(&self) -> bool {
        self.pager.is_readonly()
    }

    pub fn filename(&self) -> &str {
        self.pager.filename()
    }

    /// The pager's cache counters (sqlite3_db_status), to read or reset.
    pub fn pager_stats(&mut self) -> &mut crate::pager::PagerStats {
        &mut self.pager.stats
    }

    /// Bytes of page data in the cache.
    pub fn cache_bytes(&self) -> usize {
        self.pager.cache_bytes()
    }

    /// Drops clean cached pages (sqlite3_db_release_memory).
    pub fn release_memory(&mut self) {
        self.pager.release_memory()
    }

    pub fn is_memory(&self) -> bool {
        self.pager.is_memory()
    }

    fn with_pager(pager: Pager) -> Btree {
        Btree {
            pager,
            txn: TxnState::None,
            epoch: 1,
            versions: Default::default(),
            cell_buf: Vec::new(),
            autovacuum: false,
            incr_vacuum: false,
            incrblobs: Default::default(),
            autovac_pages: None,
        }
    }

    /// A transient database in an anonymous temporary file (VACUUM's
    /// scratch copy): unjournaled, unsynced, deleted when dropped.
    pub fn open_temp(vfs: Arc<dyn Vfs>) -> Result<Btree> {
        let pager = Pager::open_temp(vfs)?;
        Ok(Btree::with_pager(pager))
    }

    /// Bytes in the database file (0 for an in-memory database).
    pub fn file_bytes(&mut self) -> Result<u64> {
        self.pager.file_bytes()
    }

    /// Whether the tree rooted at `root` is a table (intkey) or an index
    /// tree, from its root page's type byte. A transaction must be open.
    pub fn tree_kind(&mut self, root: Pgno) -> Result<TreeKind> {
        if root == 0 || root > self.pager.db_size() {
            return Err(Error::corrupt());
        }
        let off = if root == 1 { 100 } else { 0 };
        match self.pager.page(root)?.get(off) {
            Some(&page::TABLE_LEAF) | Some(&page::TABLE_INTERIOR) => Ok(TreeKind::Table),
            Some(&page::INDEX_LEAF) | Some(&page::INDEX_INTERIOR) => Ok(TreeKind::Index),
            _ => Err(Error::corrupt()),
        }
    }
}

#[cfg(test)]
mod tests;
