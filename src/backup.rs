//! The online backup API (sqlite3_backup_*): copies one database of a
//! connection, page for page, over a database of another connection, in
//! steps of N pages, as SQLite's backup.c does.
//!
//! A step opens a read transaction on the source if none is open (and
//! closes it before returning), and the first step opens a write
//! transaction with the EXCLUSIVE lock on the destination, which stays
//! open from step to step. Pages go into the destination through its
//! pager, journaled as for any change; the last step (the one that
//! returns DONE) truncates the destination to the source's size, bumps
//! its schema cookie and commits, so a crash at any point leaves the old
//! destination intact. `finish` rolls back an unfinished copy.
//!
//! Between steps the source may change. Its pager reports to the backup
//! through a `PageWatch` (see `pager::watch`): pages it writes itself
//! (commits made through the source connection) are copied again if they
//! had already been copied; changes made by anyone else, and commits of
//! an in-memory source, restart the copy from page 1 — SQLite's
//! sqlite3BackupUpdate / sqlite3BackupRestart, with the same page counts.
//!
//! Page sizes: a destination with no pages takes the source's page size.
//! Otherwise, when they differ, a WAL or in-memory destination refuses
//! (SQLITE_READONLY) and a rollback-journal destination becomes a byte
//! copy of the source: each source page goes to the same byte offset in
//! the destination's pages (several of them, or part of one), and the
//! last step commits that image without touching its page-count field,
//! cuts the file to the image's exact size and writes the bytes that
//! fall in the destination's lock-byte page directly, after everything
//! cut off was journaled. The file is then read afresh with the
//! source's page size.
//!
//! Invariants: `next` is the next source page to copy (1-based), pages
//! below it are in the destination's open transaction; `dest_locked` is
//! true exactly while this backup holds the destination's write
//! transaction; after DONE or a fatal error every further step returns
//! the same result without touching either database.

use std::sync::Arc;

use parking_lot::Mutex;

use crate::btree::{JournalMode, TxnState};
use crate::connection::Connection;
use crate::error::{code, Error, Result};
use crate::pager::header;
use crate::pager::journal::lock_page;
use crate::pager::watch::{PageWatch, SharedWatch};
use crate::os::PENDING_BYTE;
use crate::pager::Pgno;

/// What a step achieved (errors, BUSY included, are `Err`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StepStatus {
    /// Pages were copied; more remain.
    More,
    /// The copy is complete and committed.
    Done,
}

/// One backup operation, from `init` to `finish`.
pub struct Backup {
    dest_name: String,
    src_name: String,
    next: Pgno,
    remaining: Pgno,
    pagecount: Pgno,
    /// The last step's error (BUSY/LOCKED ones are retried by the next
    /// step; any other is final).
    rc: Option<Error>,
    done: bool,
    dest_locked: bool,
    dest_db: usize,
    /// The destination's schema cookie and (for a file with pages) its
    /// change counter when the copy began: both keep counting from there.
    dest_schema: u32,
    dest_counter: Option<u32>,
    watch: SharedWatch,
    attached: bool,
}

/// The index of database `name` in `conn` (SQLite's sqlite3FindDbName:
/// case-insensitive, the latest of equal names, "main" always names 0).
pub fn find_db(conn: &Connection, name: &str) -> Option<usize> {
    conn.db_index(name)
}

fn unknown(name: &str) -> Error {
    Error::sql(format!("unknown database {name}"))
}

/// Copies source page `pg` (`data`) into the destination at the same
/// byte offset, over as many destination pages (or as much of one) as it
/// spans, skipping the destination's lock-byte page — SQLite's
/// backupOnePage. A copy of page 1 made by a step (`n_src` given, not for
/// a page the source rewrote) gets the source's page count in its header.
fn copy_page(dbt: &mut crate::btree::Btree, pg: Pgno, data: &[u8], n_src: Option<Pgno>) -> Result<()> {
    let ps_src = data.len() as u64;
    let ps_dest = dbt.page_size() as u64;
    let n_copy = ps_src.min(ps_dest) as usize;
    let end = pg as u64 * ps_src;
    let dest_lock = lock_page(ps_dest as u32);
    let mut off = end - ps_src;
    while off < end {
        let dpg = (off / ps_dest) as Pgno + 1;
        if dpg != dest_lock {
            let from = (off % ps_src) as usize;
            let at = (off % ps_dest) as usize;
            dbt.put_page_bytes(dpg, at, &data[from..from + n_copy])?;
            if off == 0 {
                if let Some(n) = n_src {
                    dbt.put_page_bytes(1, header::OFF_DB_SIZE, &n.to_be_bytes())?;
                }
            }
        }
        off += ps_dest;
    }
    Ok(())
}

fn is_fatal(e: &Error) -> bool {
    !matches!(e.primary_code(), code::BUSY | code::LOCKED)
}

impl Backup {
    /// Starts a backup of database `src_name` of `src` over database
    /// `dest_name` of `dest` (two distinct connections). Errors are
    /// SQLite's: "unknown database X" (the source's name wins when both
    /// are unknown), "destination database is in use" while the
    /// destination has a transaction open.
    pub fn init(dest: &mut Connection, dest_name: &str, src: &mut Connection, src_name: &str) -> Result<Backup> {
        let di = find_db(dest, dest_name);
        let si = find_db(src, src_name);
        let Some(si) = si else { return Err(unknown(src_name)) };
        let Some(di) = di else { return Err(unknown(dest_name)) };
        // Naming TEMP opens it, as SQLite's findBtree does.
        for (c, i) in [(&mut *dest, di), (&mut *src, si)] {
            if i == crate::schema::TEMP_DB {
                c.open_temp_db();
            }
        }
        if dest.dbs[di].btree.txn_state() != TxnState::None {
            return Err(Error::sql("destination database is in use"));
        }
        Ok(Backup {
            dest_name: dest_name.to_string(),
            src_name: src_name.to_string(),
            next: 1,
            remaining: 0,
            pagecount: 0,
            rc: None,
            done: false,
            dest_locked: false,
            dest_db: di,
            dest_schema: 0,
            dest_counter: None,
            watch: Arc::new(Mutex::new(PageWatch::default())),
            attached: false,
        })
    }

    /// sqlite3_backup_remaining: pages left as of the last step. Computed
    /// in page-number arithmetic as SQLite does, so it wraps when the
    /// source shrank below the pages already copied.
    pub fn remaining(&self) -> i32 {
        self.remaining as i32
    }

    /// sqlite3_backup_pagecount: the source's size at the last step.
    pub fn pagecount(&self) -> i32 {
        self.pagecount as i32
    }

    /// The last step's error, if any (what `finish` reports).
    pub fn error(&self) -> Option<&Error> {
        self.rc.as_ref()
    }

    /// sqlite3_backup_step: copies up to `n_page` pages (all when
    /// negative). `Ok(Done)` once everything is copied and committed;
    /// `Err` with BUSY or LOCKED when a lock was not to be had (call
    /// again), any other error ends the backup.
    pub fn step(&mut self, dest: &mut Connection, src: &mut Connection, n_page: i32) -> Result<StepStatus> {
        if self.done {
            return Ok(StepStatus::Done);
        }
        if let Some(e) = self.rc.as_ref().filter(|e| is_fatal(e)) {
            return Err(e.clone());
        }
        let r = self.step_source(dest, src, n_page);
        match &r {
            Ok(s) => {
                self.rc = None;
                self.done = *s == StepStatus::Done;
            }
            Err(e) => self.rc = Some(e.clone()),
        }
        r
    }

    fn step_source(&mut self, dest: &mut Connection, src: &mut Connection, n_page: i32) -> Result<StepStatus> {
        let si = find_db(src, &self.src_name).ok_or_else(|| unknown(&self.src_name))?;
        // A source in the middle of its own write transaction: wait.
        let state = src.dbs[si].btree.txn_state();
        if state == TxnState::Write {
            return Err(Error::code(code::BUSY));
        }
        let close_src = state == TxnState::None;
        if close_src {
            src.retrying_busy(|c| c.dbs[si].btree.begin_read())?;
        }
        let r = self.copy(dest, src, si, n_page);
        if close_src {
            // Ending a read transaction changes nothing that can fail.
            let _ = src.dbs[si].btree.commit();
        }
        r
    }

    /// Locks the destination on the first step: its page size follows
    /// the source's while it has no pages, then a write transaction with
    /// the EXCLUSIVE lock (through the destination's busy handler).
    fn lock_dest(&mut self, dest: &mut Connection, src_page_size: u32, src_reserved: u8) -> Result<()> {
        let di = find_db(dest, &self.dest_name).ok_or_else(|| unknown(&self.dest_name))?;
        {
            let bt = &mut dest.dbs[di].btree;
            if bt.txn_state() == TxnState::None {
                // Refused (and harmless) when the database has pages; a
                // file's own page size wins when it is read.
                let _ = bt.set_page_size(src_page_size);
                let _ = bt.set_reserved(src_reserved);
            }
        }
        dest.retrying_busy(|c| {
            let bt = &mut c.dbs[di].btree;
            bt.begin_write()?;
            if let Err(e) = bt.lock_exclusive() {
                let _ = bt.rollback();
                return Err(e);
            }
            Ok(())
        })?;
        self.dest_locked = true;
        self.dest_db = di;
        let bt = &mut dest.dbs[di].btree;
        self.dest_schema = bt.get_meta(1)?;
        self.dest_counter = if !bt.is_memory() && bt.db_size() > 0 {
            Some(header::get_u32(bt.page_data(1)?, header::OFF_CHANGE_COUNTER))
        } else {
            None
        };
        Ok(())
    }

    fn copy(&mut self, dest: &mut Connection, src: &mut Connection, si: usize, n_page: i32) -> Result<StepStatus> {
        let ps_src = src.dbs[si].btree.page_size();
        let reserved_src = src.dbs[si].btree.reserved();
        if !self.dest_locked {
            self.lock_dest(dest, ps_src, reserved_src)?;
        }
        let di = self.dest_db;
        let dbt = dest.dbs.get_mut(di).map(|d| &mut d.btree).ok_or_else(|| unknown(&self.dest_name))?;
        let sbt = &mut src.dbs[si].btree;
        let ps_dest = dbt.page_size();
        let dest_wal = dbt.journal_mode() == JournalMode::Wal;
        if ps_src != ps_dest && (dest_wal || dbt.is_memdb()) {
            return Err(Error::code(code::READONLY));
        }
        let n_src = sbt.db_size();

        // What the source's pager saw since the last step.
        if self.attached {
            if !sbt.has_watch(&self.watch) {
                // Not the database the watch was on (detached and
                // attached again): nothing copied can be trusted.
                self.watch.lock().next = 1;
                sbt.add_watch(self.watch.clone());
                self.next = 1;
            }
            let (restart, updates) = {
                let mut w = self.watch.lock();
                (std::mem::take(&mut w.restart), std::mem::take(&mut w.updates))
            };
            if restart {
                self.next = 1;
            } else {
                for (pg, data) in updates {
                    if data.len() == ps_src as usize {
                        copy_page(dbt, pg, &data, None)?;
                    }
                }
            }
        }

        let src_lock = lock_page(ps_src);
        let mut copied = 0i64;
        while (n_page < 0 || copied < n_page as i64) && self.next <= n_src {
            let pg = self.next;
            // As SQLite, the page counts as done even when copying it
            // failed (the error ends the backup).
            self.next += 1;
            copied += 1;
            if pg == src_lock {
                continue;
            }
            let data = sbt.page_data(pg)?.to_vec();
            copy_page(dbt, pg, &data, Some(n_src))?;
        }
        self.pagecount = n_src;
        self.remaining = n_src.wrapping_add(1).wrapping_sub(self.next);
        if self.next <= n_src {
            if !self.attached {
                sbt.add_watch(self.watch.clone());
                self.attached = true;
            }
            self.watch.lock().next = self.next;
            return Ok(StepStatus::More);
        }

        // Everything is copied: make it the destination's committed content.
        let mut n_src = n_src;
        if n_src == 0 {
            dbt.reset_to_new_db()?;
            n_src = 1;
        }
        dbt.update_meta(1, self.dest_schema.wrapping_add(1))?;
        let mut p1 = dbt.page_data(1)?.to_vec();
        if dest_wal {
            p1[18] = 2;
            p1[19] = 2;
        }
        if let Some(c) = self.dest_counter {
            // The commit adds one to the destination's own count.
            header::put_u32(&mut p1, header::OFF_CHANGE_COUNTER, c);
            header::put_u32(&mut p1, header::OFF_VERSION_VALID_FOR, c);
        }
        dbt.put_page_data(1, &p1)?;
        for i in 0..dest.dbs.len() {
            dest.forget_schema(i);
        }
        let dbt = &mut dest.dbs[di].btree;
        if ps_src == ps_dest {
            dbt.truncate_pages(n_src)?;
            dbt.reload_vacuum_mode()?;
            dest.retrying_busy(|c| c.dbs[di].btree.commit())?;
        } else if ps_src > ps_dest {
            // Each source page was split over several destination pages.
            dbt.truncate_pages(n_src * (ps_src / ps_dest))?;
            dbt.commit_image_phase_one()?;
            dbt.commit_image_phase_two()?;
        } else {
            // Several source pages per destination page: the last one may
            // be partly used, and the file is cut to the image's size.
            let ratio = ps_dest / ps_src;
            let mut n_dest = n_src.div_ceil(ratio);
            if n_dest == lock_page(ps_dest) {
                n_dest -= 1;
            }
            dbt.truncate_pages(n_dest)?;
            dbt.commit_image_phase_one()?;
            // Source pages that fall in the destination's lock-byte page,
            // which the pager never writes.
            let size = ps_src as u64 * n_src as u64;
            let mut off = PENDING_BYTE + ps_src as u64;
            let end = size.min(PENDING_BYTE + ps_dest as u64);
            while off < end {
                let pg = (off / ps_src as u64) as Pgno + 1;
                let data = sbt.page_data(pg)?.to_vec();
                dbt.write_raw(off, &data)?;
                off += ps_src as u64;
            }
            dbt.truncate_raw_and_sync(size)?;
            dbt.commit_image_phase_two()?;
        }
        self.dest_locked = false;
        Ok(StepStatus::Done)
    }

    /// sqlite3_backup_finish: ends the backup, rolling back the
    /// destination's transaction if the copy did not complete, and
    /// returns what SQLite's finish returns (the last step's error, none
    /// after DONE). Either connection may be gone (`None`).
    pub fn finish(&mut self, dest: Option<&mut Connection>, src: Option<&mut Connection>) -> Option<Error> {
        if let Some(src) = src {
            if let Some(si) = find_db(src, &self.src_name) {
                src.dbs[si].btree.remove_watch(&self.watch);
            }
        }
        if let Some(dest) = dest {
            if self.dest_locked {
                if let Some(d) = dest.dbs.get_mut(self.dest_db) {
                    if d.btree.txn_state() == TxnState::Write {
                        let _ = d.btree.rollback();
                    }
                }
                self.dest_locked = false;
            }
        }
        if self.done {
            None
        } else {
            self.rc.take()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::os::{OpenFlags, UnixVfs, Vfs};

    fn rw() -> OpenFlags {
        OpenFlags::READWRITE | OpenFlags::CREATE
    }

    fn exec(c: &mut Connection, sql: &str) {
        let mut rest = sql.to_string();
        while !rest.trim().is_empty() {
            let (st, used) = c.prepare(&rest).unwrap();
            if let Some(mut st) = st {
                while st.step(c).unwrap() == crate::vdbe::StepResult::Row {}
            }
            rest = rest[used..].to_string();
        }
    }

    fn query_i64(c: &mut Connection, sql: &str) -> i64 {
        let (st, _) = c.prepare(sql).unwrap();
        let mut st = st.unwrap();
        assert_eq!(st.step(c).unwrap(), crate::vdbe::StepResult::Row);
        match &st.row()[0] {
            crate::value::Value::Integer(i) => *i,
            v => panic!("not an integer: {v:?}"),
        }
    }

    fn tmp(name: &str) -> String {
        let p = std::env::temp_dir().join(format!("ferrolite-backup-{}-{name}", std::process::id()));
        let _ = std::fs::remove_file(&p);
        let _ = std::fs::remove_file(format!("{}-journal", p.display()));
        p.to_string_lossy().into_owned()
    }

    fn vfs() -> Arc<dyn Vfs> {
        Arc::new(UnixVfs::new())
    }

    fn filled(path: &str, rows: i64) -> Connection {
        let mut c = Connection::open(vfs(), path, rw()).unwrap();
        exec(&mut c, "CREATE TABLE t(a, b)");
        exec(&mut c, &format!("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i<{rows}) INSERT INTO t SELECT i, randomblob(300) FROM n"));
        c
    }

    #[test]
    fn errors_at_init() {
        let mut a = Connection::open(vfs(), ":memory:", rw()).unwrap();
        let mut b = Connection::open(vfs(), ":memory:", rw()).unwrap();
        assert_eq!(Backup::init(&mut a, "nope", &mut b, "main").err().unwrap().message(), "unknown database nope");
        assert_eq!(Backup::init(&mut a, "nope", &mut b, "zz").err().unwrap().message(), "unknown database zz");
        exec(&mut a, "CREATE TABLE x(y); BEGIN; INSERT INTO x VALUES(1)");
        assert_eq!(Backup::init(&mut a, "main", &mut b, "MAIN").err().unwrap().message(), "destination database is in use");
    }

    #[test]
    fn incremental_counts_and_content() {
        let mut src = filled(":memory:", 100);
        let n = src.dbs[0].btree.page_count().unwrap() as i32;
        let path = tmp("inc");
        let mut dest = Connection::open(vfs(), &path, rw()).unwrap();
        let mut b = Backup::init(&mut dest, "main", &mut src, "main").unwrap();
        assert_eq!(b.step(&mut dest, &mut src, 5).unwrap(), StepStatus::More);
        assert_eq!((b.remaining(), b.pagecount()), (n - 5, n));
        assert_eq!(b.step(&mut dest, &mut src, -1).unwrap(), StepStatus::Done);
        assert_eq!((b.remaining(), b.pagecount()), (0, n));
        assert!(b.finish(Some(&mut dest), Some(&mut src)).is_none());
        assert_eq!(query_i64(&mut dest, "SELECT count(*) FROM t"), 100);
        let _ = std::fs::remove_file(&path);
    }

    #[test]
    fn same_connection_writes_are_followed_other_writes_restart() {
        let spath = tmp("src");
        let dpath = tmp("dst");
        let mut src = filled(&spath, 200);
        let mut dest = Connection::open(vfs(), &dpath, rw()).unwrap();
        let mut b = Backup::init(&mut dest, "main", &mut src, "main").unwrap();
        b.step(&mut dest, &mut src, 3).unwrap();
        // Through the source connection: copied pages are copied again,
        // the backup goes on where it was.
        exec(&mut src, "UPDATE t SET a = a + 1000 WHERE a <= 3");
        b.step(&mut dest, &mut src, 3).unwrap();
        assert_eq!(b.pagecount() - b.remaining(), 6);
        // Through another connection: restart from page 1.
        let mut other = Connection::open(vfs(), &spath, rw()).unwrap();
        exec(&mut other, "DELETE FROM t WHERE a = 10");
        b.step(&mut dest, &mut src, 2).unwrap();
        assert_eq!(b.pagecount() - b.remaining(), 2);
        assert_eq!(b.step(&mut dest, &mut src, -1).unwrap(), StepStatus::Done);
        b.finish(Some(&mut dest), Some(&mut src));
        assert_eq!(query_i64(&mut dest, "SELECT count(*) FROM t"), 199);
        assert_eq!(query_i64(&mut dest, "SELECT count(*) FROM t WHERE a > 1000"), 3);
        let _ = std::fs::remove_file(&spath);
        let _ = std::fs::remove_file(&dpath);
    }

    #[test]
    fn unfinished_backup_leaves_destination_intact() {
        let dpath = tmp("keep");
        let mut dest = filled(&dpath, 5);
        let mut src = filled(":memory:", 300);
        let mut b = Backup::init(&mut dest, "main", &mut src, "main").unwrap();
        b.step(&mut dest, &mut src, 10).unwrap();
        assert!(b.finish(Some(&mut dest), Some(&mut src)).is_none());
        assert_eq!(query_i64(&mut dest, "SELECT count(*) FROM t"), 5);
        let _ = std::fs::remove_file(&dpath);
    }

    #[test]
    fn page_size_mismatch() {
        let spath = tmp("ps-src");
        let dpath = tmp("ps-dst");
        let mut src = Connection::open(vfs(), &spath, rw()).unwrap();
        exec(&mut src, "PRAGMA page_size=1024; CREATE TABLE t(a, b); INSERT INTO t VALUES(1, randomblob(5000))");
        let mut dest = filled(&dpath, 3);
        let mut b = Backup::init(&mut dest, "main", &mut src, "main").unwrap();
        assert_eq!(b.step(&mut dest, &mut src, -1).unwrap(), StepStatus::Done);
        b.finish(Some(&mut dest), Some(&mut src));
        assert_eq!(query_i64(&mut dest, "PRAGMA page_size"), 1024);
        assert_eq!(query_i64(&mut dest, "SELECT count(*) FROM t"), 1);
        // A non-empty in-memory destination refuses another page size.
        let mut mem = filled(":memory:", 1);
        let mut b = Backup::init(&mut mem, "main", &mut src, "main").unwrap();
        assert_eq!(b.step(&mut mem, &mut src, -1).unwrap_err().primary_code(), code::READONLY);
        assert_eq!(b.step(&mut mem, &mut src, -1).unwrap_err().primary_code(), code::READONLY);
        assert_eq!(b.finish(Some(&mut mem), Some(&mut src)).unwrap().primary_code(), code::READONLY);
        assert_eq!(query_i64(&mut mem, "SELECT count(*) FROM t"), 1);
        let _ = std::fs::remove_file(&spath);
        let _ = std::fs::remove_file(&dpath);
    }
}
