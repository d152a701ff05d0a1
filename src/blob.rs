//! Incremental BLOB I/O (sqlite3_blob_*): a handle on one TEXT or BLOB
//! value of one row, read and written in place without loading the row.
//!
//! A `Blob` is what SQLite's vdbeblob.c builds from a tiny VDBE program:
//! a table cursor positioned on the row, the byte offset and size of the
//! value inside the row's record, and a transaction held open the way a
//! running statement holds one. While it is open it counts in
//! `Connection::active_vms` (and, writable, in `blob_writers`), so the
//! autocommit rules of statements apply to it: the transaction ends when
//! the last statement or handle ends, a writing statement does not commit
//! under a writable handle, and COMMIT fails while one is open.
//!
//! Invariants: the size of an open value never changes (a write changes
//! bytes, never the record's layout); the B-tree expires the handle when
//! its row is inserted over, updated or deleted by any other cursor, or the
//! table is cleared or dropped (`btree::incrblob`), after which a read or
//! write ends the handle with SQLITE_ABORT; a rollback that undoes a
//! writable handle's transaction makes every later read or write fail with
//! SQLITE_ABORT_ROLLBACK. Once ended (`aborted`), the handle holds no
//! transaction and every call but close fails with SQLITE_ABORT.

use std::sync::Arc;

use crate::btree::incrblob::WatchState;
use crate::btree::{BtCursor, TreeKind, TxnState};
use crate::connection::Connection;
use crate::error::{code, Error, Result};
use crate::record::{get_varint, serial_type_len};
use crate::schema::{SchemaSet, Table};

/// An open incremental-blob handle.
#[derive(Debug)]
pub struct Blob {
    db: usize,
    table: Arc<Table>,
    col: usize,
    writable: bool,
    cursor: BtCursor,
    /// The B-tree watch that tells when the row changes under us.
    watch: u64,
    rowid: i64,
    /// Offset of the value in the row's record, and its size.
    offset: u32,
    n_byte: u32,
    /// True while the handle counts as an active statement.
    active: bool,
    /// SQLite's "no statement": the handle was ended by an error.
    aborted: bool,
    /// The error of the last read or write (SQLite's v->rc), which close
    /// reports again; None after a successful one.
    last_error: Option<Error>,
}

/// Looks a table up as SQLite's blob_open does (sqlite3LocateTable).
fn locate_table(schemas: &SchemaSet, db_name: Option<&str>, table: &str) -> Result<Arc<Table>> {
    let missing = || {
        Error::sql(match db_name {
            Some(d) => format!("no such table: {d}.{table}"),
            None => format!("no such table: {table}"),
        })
    };
    let t = schemas.find_table(db_name, table).ok_or_else(missing)?;
    t.check_usable()?;
    if t.without_rowid {
        return Err(Error::sql(format!("cannot open table without rowid: {table}")));
    }
    if t.has_generated {
        return Err(Error::sql(format!("cannot open table with generated columns: {table}")));
    }
    if t.is_view() {
        return Err(Error::sql(format!("cannot open view: {table}")));
    }
    Ok(t)
}

/// The serial type and body offset of column `col` in the record whose
/// first bytes are `head` (at least the whole header, or the whole
/// record). A record with fewer columns gives type 0 (NULL).
fn column_at(head: &[u8], col: usize) -> Result<(u64, u64)> {
    let (hdr_size, mut pos) = get_varint(head).ok_or_else(Error::corrupt)?;
    let hdr_size = usize::try_from(hdr_size).map_err(|_| Error::corrupt())?;
    if hdr_size > head.len() || hdr_size < pos {
        return Err(Error::corrupt());
    }
    let mut offset = hdr_size as u64;
    let mut i = 0;
    while pos < hdr_size {
        let (t, n) = get_varint(&head[pos..hdr_size]).ok_or_else(Error::corrupt)?;
        if i == col {
            return Ok((t, offset));
        }
        pos += n;
        offset += serial_type_len(t) as u64;
        i += 1;
    }
    Ok((0, 0))
}

impl Connection {
    /// sqlite3_blob_open: a handle on column `column` of row `rowid` of
    /// `table` in database `db_name` (None: main), for reading or, with
    /// `writable`, also writing.
    pub fn blob_open(&mut self, db_name: Option<&str>, table: &str, column: &str, rowid: i64, writable: bool) -> Result<Blob> {
        let mut attempts = 0;
        loop {
            let schemas = self.schemas_for_prepare()?;
            let t = locate_table(&schemas, db_name, table)?;
            let db = t.db;
            let cookie_then = schemas.get(db).cookie;
            let col = t.column_index(column).ok_or_else(|| Error::sql(format!("no such column: \"{column}\"")))?;
            if writable {
                let indexed = schemas.indexes_of(&t).iter().any(|ix| ix.columns.iter().any(|c| c.expr.is_some() || c.column == Some(col)));
                if indexed {
                    return Err(Error::sql("cannot open indexed column for writing"));
                }
            }
            let mut blob = Blob {
                db,
                cursor: BtCursor::new(t.root, TreeKind::Table, writable),
                table: t,
                col,
                writable,
                watch: 0,
                rowid,
                offset: 0,
                n_byte: 0,
                active: false,
                aborted: false,
                last_error: None,
            };
            // From here on the handle is a running statement.
            self.active_vms += 1;
            blob.active = true;
            if writable {
                self.blob_writers += 1;
            }
            let started = self.begin_transaction(db, writable).and_then(|_| self.schema_cookie(db));
            match started {
                Err(e) => {
                    let _ = blob.end(self, true);
                    return Err(e);
                }
                Ok(cookie) if cookie != cookie_then && attempts < 50 => {
                    // The schema changed since it was read: look again.
                    attempts += 1;
                    let _ = blob.end(self, false);
                    continue;
                }
                Ok(_) => {}
            }
            if let Err(e) = blob.seek(self, rowid) {
                let _ = blob.end(self, true);
                return Err(e);
            }
            let bt = &mut self.dbs[db].btree;
            blob.watch = bt.incrblob_watch(blob.table.root, rowid, writable);
            return Ok(blob);
        }
    }
}

impl Blob {
    /// sqlite3_blob_bytes: the size of the value (0 once the handle ended).
    pub fn bytes(&self) -> u32 {
        if self.aborted {
            0
        } else {
            self.n_byte
        }
    }

    pub fn is_aborted(&self) -> bool {
        self.aborted
    }

    /// True when `n` bytes at `offset` lie inside the value (SQLite checks
    /// this first, even on an ended handle).
    pub fn in_range(&self, offset: i32, n: i32) -> bool {
        n >= 0 && offset >= 0 && i64::from(offset) + i64::from(n) <= i64::from(self.n_byte)
    }

    /// Positions the cursor on `rowid` and finds the value's offset and
    /// size; errors are SQLite's blobSeekToRow errors.
    fn seek(&mut self, conn: &mut Connection, rowid: i64) -> Result<()> {
        let bt = conn.btree(self.db)?;
        if self.cursor.table_moveto(bt, rowid)? != 0 || self.cursor.eof() {
            return Err(Error::sql(format!("no such rowid: {rowid}")));
        }
        let size = self.cursor.payload_size(bt)?;
        // The header is at most a few bytes per column: read what holds it.
        let want = (self.col as u32 + 2).saturating_mul(9).min(size);
        let mut head = self.cursor.payload_range(bt, 0, want)?.into_owned();
        if let Some((h, _)) = get_varint(&head) {
            if h > u64::from(want) && h <= u64::from(size) {
                head = self.cursor.payload_range(bt, 0, h as u32)?.into_owned();
            }
        }
        let (t, off) = if head.is_empty() { (0, 0) } else { column_at(&head, self.col)? };
        if t < 12 {
            let what = match t {
                0 => "null",
                7 => "real",
                _ => "integer",
            };
            return Err(Error::sql(format!("cannot open value of type {what}")));
        }
        let len = serial_type_len(t) as u64;
        if off + len > u64::from(size) {
            return Err(Error::corrupt());
        }
        self.rowid = rowid;
        self.offset = off as u32;
        self.n_byte = len as u32;
        Ok(())
    }

    /// Ends the handle's statement: it stops counting as active, and the
    /// last one of an autocommit connection ends the transaction
    /// (rolled back when `failed`). Returns the commit's error.
    fn end(&mut self, conn: &mut Connection, failed: bool) -> Result<()> {
        if self.watch != 0 {
            if let Ok(bt) = conn.btree(self.db) {
                bt.incrblob_unwatch(self.watch);
            }
            self.watch = 0;
        }
        self.aborted = true;
        if !self.active {
            return Ok(());
        }
        self.active = false;
        let mut result = Ok(());
        if conn.autocommit && conn.active_vms == 1 {
            if failed {
                conn.rollback_all();
            } else {
                result = conn.commit_all();
            }
        } else if conn.autocommit && self.writable && conn.blob_writers == 1 {
            result = conn.commit_keeping_readers();
        }
        if result.is_err() {
            conn.rollback_all();
        }
        conn.active_vms = conn.active_vms.saturating_sub(1);
        if self.writable {
            conn.blob_writers = conn.blob_writers.saturating_sub(1);
        }
        result
    }

    /// Checks that the handle may read or write now: SQLITE_ABORT (and the
    /// handle ends) when its row changed, SQLITE_ABORT_ROLLBACK when a
    /// rollback undid its writes. Re-opens the read transaction a ROLLBACK
    /// ended under a read-only handle.
    fn ready(&mut self, conn: &mut Connection) -> Result<()> {
        if self.aborted {
            return Err(Error::code(code::ABORT));
        }
        let state = conn.btree(self.db)?.incrblob_state(self.watch);
        match state {
            WatchState::Valid => {}
            WatchState::Tripped => return Err(Error::code(code::ABORT_ROLLBACK)),
            WatchState::Expired => {
                let _ = self.end(conn, false);
                return Err(Error::code(code::ABORT));
            }
        }
        if conn.btree(self.db)?.txn_state() == TxnState::None {
            conn.begin_transaction(self.db, false)?;
        }
        let bt = conn.btree(self.db)?;
        if self.cursor.table_moveto(bt, self.rowid)? != 0 {
            let _ = self.end(conn, false);
            return Err(Error::code(code::ABORT));
        }
        Ok(())
    }

    /// Remembers the outcome of a read or write, as SQLite's statement
    /// keeps its last result code for finalize.
    fn note<T>(&mut self, r: Result<T>) -> Result<T> {
        match &r {
            Ok(_) => self.last_error = None,
            Err(e) if e.primary_code() == code::ABORT && self.aborted => {}
            Err(e) => self.last_error = Some(e.clone()),
        }
        r
    }

    /// sqlite3_blob_read: `buf.len()` bytes from `offset` of the value.
    pub fn read(&mut self, conn: &mut Connection, buf: &mut [u8], offset: i32) -> Result<()> {
        let n = i32::try_from(buf.len()).map_err(|_| Error::code(code::ERROR))?;
        if !self.in_range(offset, n) {
            return Err(Error::code(code::ERROR));
        }
        let r = self.read_inner(conn, buf, offset as u32);
        self.note(r)
    }

    fn read_inner(&mut self, conn: &mut Connection, buf: &mut [u8], offset: u32) -> Result<()> {
        self.ready(conn)?;
        let bt = conn.btree(self.db)?;
        let bytes = self.cursor.payload_range(bt, self.offset + offset, buf.len() as u32)?;
        if bytes.len() != buf.len() {
            return Err(Error::corrupt());
        }
        buf.copy_from_slice(&bytes);
        Ok(())
    }

    /// sqlite3_blob_write: overwrites `data.len()` bytes from `offset` of
    /// the value; the value's size never changes.
    pub fn write(&mut self, conn: &mut Connection, data: &[u8], offset: i32) -> Result<()> {
        let n = i32::try_from(data.len()).map_err(|_| Error::code(code::ERROR))?;
        if !self.in_range(offset, n) {
            return Err(Error::code(code::ERROR));
        }
        let r = self.write_inner(conn, data, offset as u32);
        self.note(r)
    }

    fn write_inner(&mut self, conn: &mut Connection, data: &[u8], offset: u32) -> Result<()> {
        self.ready(conn)?;
        if conn.hooks.preupdate.is_some() {
            self.report_preupdate(conn)?;
        }
        if !self.writable {
            return Err(Error::code(code::READONLY));
        }
        let bt = conn.btree(self.db)?;
        self.cursor.put_data(bt, self.offset + offset, data)
    }

    /// The preupdate hook's call before a write: as SQLite reports it, a
    /// DELETE of the row (old values readable) with the column written as
    /// sqlite3_preupdate_blobwrite, made even for a read-only handle,
    /// whose write then fails.
    fn report_preupdate(&mut self, conn: &mut Connection) -> Result<()> {
        let t = crate::preupdate::PreUpdateTable::new(&self.table, crate::preupdate::DELETE, 0);
        let mut payload = Vec::new();
        self.cursor.payload_into(conn.btree(self.db)?, &mut payload)?;
        let old = t.old_values(&payload, self.rowid, conn.enc)?;
        let db_name = conn.dbs.get(self.db).map(|d| d.name.clone()).unwrap_or_else(|| "main".to_string());
        let call = crate::preupdate::PreUpdate {
            op: t.op,
            db_name: &db_name,
            table: &t.table,
            key1: self.rowid,
            key2: self.rowid,
            n_col: t.n_col(),
            depth: 0,
            blob_write: self.col as i32,
            old: Some(old),
            new: None,
        };
        if let Some(f) = conn.hooks.preupdate.as_mut() {
            f(&call);
        }
        Ok(())
    }

    /// sqlite3_blob_reopen: moves the handle to row `rowid` of the same
    /// table and column. On failure the handle ends (SQLITE_ABORT from
    /// then on).
    pub fn reopen(&mut self, conn: &mut Connection, rowid: i64) -> Result<()> {
        if self.aborted {
            return Err(Error::code(code::ABORT));
        }
        self.last_error = None;
        if conn.btree(self.db)?.incrblob_state(self.watch) == WatchState::Tripped {
            let _ = self.end(conn, true);
            return Err(Error::with_message(code::ABORT, "abort due to ROLLBACK"));
        }
        let r = (|| {
            if conn.btree(self.db)?.txn_state() == TxnState::None {
                conn.begin_transaction(self.db, false)?;
            }
            self.seek(conn, rowid)
        })();
        match r {
            Ok(()) => {
                conn.btree(self.db)?.incrblob_move(self.watch, rowid);
                Ok(())
            }
            Err(e) => {
                let failed = e.primary_code() != code::ERROR;
                let _ = self.end(conn, failed);
                Err(e)
            }
        }
    }

    /// sqlite3_blob_close: ends the handle; returns the error of the last
    /// read or write, or that of ending the transaction.
    pub fn close(mut self, conn: &mut Connection) -> Result<()> {
        let ended = self.end(conn, false);
        match self.last_error.take() {
            Some(e) => Err(e),
            None => ended,
        }
    }
}

#[cfg(test)]
mod tests;
