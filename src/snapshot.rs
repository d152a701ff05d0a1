//! The snapshot API at the connection level (sqlite3_snapshot_get,
//! _open and _recover), with SQLite's conditions and codes: the WAL
//! layer's part is `pager/wal/snapshot.rs`.
//!
//! - get: inside an explicit transaction (not autocommit), on main or an
//!   attached database without a write transaction: opens the read
//!   transaction if none is open yet (never settling on READ0 while the
//!   log has frames, so that the snapshot stays openable while it lasts)
//!   and returns its wal-index header. SQLITE_ERROR otherwise, also
//!   outside WAL mode and for a log never written.
//! - open: inside an explicit transaction, on a database without a write
//!   transaction: a read transaction already open (and no statement
//!   running) is ended once the snapshot is known to be openable, then a
//!   read transaction is opened on the snapshot: SQLITE_ERROR_SNAPSHOT
//!   when the log no longer holds it, SQLITE_BUSY while a checkpoint runs.
//! - recover: with no transaction on the database, lowers the log's
//!   "checkpoint attempted up to" mark to what the database file really
//!   holds, so that older snapshots may open again.
//!
//! Invariant: every path clears the pager's pending snapshot request, so
//! a later ordinary read transaction sees the newest state.

use crate::btree::TxnState;
use crate::connection::Connection;
use crate::error::{code, Error, Result};
use crate::pager::wal::snapshot::SnapshotBytes;
use crate::schema::TEMP_DB;

fn error() -> Error {
    Error::code(code::ERROR)
}

impl Connection {
    /// Database `name` if the snapshot API applies to it (main or an
    /// attached database; never temp).
    fn snapshot_db(&self, name: Option<&str>) -> Result<usize> {
        match name.and_then(|n| self.db_index(n)) {
            Some(i) if i != TEMP_DB => Ok(i),
            _ => Err(error()),
        }
    }

    /// sqlite3_snapshot_get.
    pub fn snapshot_get(&mut self, name: Option<&str>) -> Result<SnapshotBytes> {
        if self.autocommit {
            return Err(error());
        }
        let i = self.snapshot_db(name)?;
        if self.btree(i)?.txn_state() == TxnState::Write {
            return Err(error());
        }
        let _ = self.btree(i)?.pager_mut().set_snapshot(None, true);
        let r = self.retrying_busy_on(i, |c| c.btree(i)?.begin_read());
        let _ = self.btree(i)?.pager_mut().set_snapshot(None, false);
        r?;
        self.btree(i)?.pager_mut().snapshot_get()
    }

    /// sqlite3_snapshot_open.
    pub fn snapshot_open(&mut self, name: Option<&str>, snap: &SnapshotBytes) -> Result<()> {
        if self.autocommit {
            return Err(error());
        }
        let i = self.snapshot_db(name)?;
        let state = self.btree(i)?.txn_state();
        if state == TxnState::Write {
            return Err(error());
        }
        let mut unlock = false;
        if state != TxnState::None {
            if self.active_vms != 0 {
                return Err(error());
            }
            self.btree(i)?.pager_mut().snapshot_check(snap)?;
            unlock = true;
            if let Err(e) = self.btree(i)?.commit() {
                self.btree(i)?.pager_mut().snapshot_unlock();
                return Err(e);
            }
        }
        let mut r = self.btree(i)?.pager_mut().set_snapshot(Some(snap), false);
        if r.is_ok() {
            r = self.retrying_busy_on(i, |c| c.btree(i)?.begin_read());
            let _ = self.btree(i)?.pager_mut().set_snapshot(None, false);
        }
        if unlock {
            self.btree(i)?.pager_mut().snapshot_unlock();
        }
        r
    }

    /// sqlite3_snapshot_recover.
    pub fn snapshot_recover(&mut self, name: Option<&str>) -> Result<()> {
        let i = self.snapshot_db(name)?;
        if self.btree(i)?.txn_state() != TxnState::None {
            return Err(error());
        }
        self.retrying_busy_on(i, |c| c.btree(i)?.begin_read())?;
        let r = self.btree(i)?.pager_mut().snapshot_recover();
        let _ = self.btree(i)?.commit();
        r
    }
}
