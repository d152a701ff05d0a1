//! A database connection and its prepared statements: the engine-side
//! state behind a `sqlite3*` and a `sqlite3_stmt*`.
//!
//! A `Connection` owns one B-tree per attached database (index 0 is
//! "main"), the schema loaded from each, the transaction state
//! (autocommit, active statements) and the per-connection counters
//! (last_insert_rowid, changes). Invariants: the schema of a database is
//! only trusted while a transaction is open on it and its cookie matches the
//! file's; a statement compiled against an older schema fails its
//! Transaction opcode with SQLITE_SCHEMA and is recompiled transparently by
//! `Statement::step`, as sqlite3_prepare_v2 statements are.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use crate::btree::{Btree, TxnState};
use crate::codegen;
use crate::collation::CollSeq;
use crate::error::{code, Error, Result};
use crate::func::user::{self, ChangeError, Destroy, Registry, UserCollation, UserFunction};
use crate::func::FuncEnv;
use crate::os::{OpenFlags, Vfs};
use crate::parse::ast::{ExplainKind, TransactionKind};
use crate::parse::Parser;
use crate::schema::{DbSchema, Schema, SchemaSet, TEMP_DB};
use crate::util::TextEncoding;
use crate::value::Value;
use crate::vdbe::{Program, SavepointOp, StepResult, Vm};
use crate::wal_hook::WalHook;

/// One database of a connection: main (index 0), temp (1), or attached.
pub struct Db {
    pub name: String,
    pub btree: Btree,
    /// The schema as last loaded; None until first loaded.
    pub schema: Option<Arc<Schema>>,
    /// For temp: a statement has used it (SQLite opens the TEMP database
    /// on first use; PRAGMA database_list shows it only then).
    pub used: bool,
}

/// The busy handler an application installs: called with the number of
/// times it has been called for this lock; returns true to retry.
pub type BusyHandler = Box<dyn FnMut(i32) -> bool + Send>;

pub struct Connection {
    vfs: Arc<dyn Vfs>,
    pub dbs: Vec<Db>,
    pub autocommit: bool,
    /// Statements between their first step and their halt or reset, and
    /// open blob handles (`crate::blob`), which hold a transaction the
    /// same way.
    pub active_vms: usize,
    /// Open writable blob handles: like SQLite's writing statements, they
    /// keep an autocommit write transaction from committing under them and
    /// make COMMIT fail while they are open.
    pub blob_writers: usize,
    pub last_insert_rowid: i64,
    pub changes: i64,
    pub total_changes: i64,
    /// sqlite3_busy_timeout in milliseconds (0: no waiting).
    pub busy_timeout_ms: i32,
    pub busy_handler: Option<BusyHandler>,
    /// With a busy timeout (and no busy handler), wait for a lock another
    /// connection of this process holds in that file's FIFO queue
    /// (`os::gate`) instead of sleeping and retrying. PRAGMA
    /// ferrolite_busy_queue; on by default.
    pub busy_queue: bool,
    /// ferrolite_background_checkpoint: the default WAL hook's
    /// checkpoints of the main database run on the process's background
    /// checkpointer (`checkpointer.rs`); off by default.
    pub background_checkpoint: bool,
    /// Join that queue at its head (a UI thread's connection). PRAGMA
    /// ferrolite_busy_priority; off by default.
    pub busy_priority: bool,
    interrupt: Arc<AtomicBool>,
    pub readonly: bool,
    /// SQLITE_OPEN_READONLY / READWRITE / CREATE as the connection was
    /// opened: ATTACH opens its files with them, as SQLite's does.
    open_mode: u32,
    /// PRAGMA synchronous (0 OFF .. 3 EXTRA) and cache_size as last set.
    pub synchronous: u8,
    pub cache_size: i64,
    /// The last PRAGMA page_size value given: the page size the next
    /// VACUUM rebuilds with (0: keep the current one).
    pub next_page_size: u32,
    /// The last PRAGMA auto_vacuum value given: the mode the next VACUUM
    /// rebuilds with (None: keep the file's).
    pub next_auto_vacuum: Option<u8>,
    /// A statement of the open transaction changed a schema (DDL): a
    /// rollback must drop the cached schemas.
    pub schema_changed: bool,
    /// Open SQL savepoints, oldest first, and whether the oldest began
    /// the transaction (SAVEPOINT outside BEGIN).
    pub savepoints: Vec<String>,
    pub savepoint_txn: bool,
    /// Statement savepoints open for virtual tables (SQLite's nStatement,
    /// counted for statements that write virtual tables).
    pub vtab_statements: i32,
    /// PRAGMA fullfsync and checkpoint_fullfsync.
    pub fullfsync: bool,
    /// PRAGMA count_changes.
    pub count_changes: bool,
    pub checkpoint_fullfsync: bool,
    /// sqlite3_wal_hook, or the automatic checkpoint PRAGMA
    /// wal_autocheckpoint / sqlite3_wal_autocheckpoint installs
    /// (`wal_hook.rs`; 1000 frames by default).
    pub wal_hook: WalHook,
    /// sqlite3_progress_handler: every N opcodes, a callback that may
    /// interrupt the running statement by returning true.
    pub progress: Option<(u32, ProgressHandler)>,
    /// sqlite3_limit values, indexed by SQLITE_LIMIT_*.
    pub limits: [i32; 12],
    /// Application-defined functions and collations (an immutable snapshot
    /// replaced on change; see `func::user`).
    pub udf: Arc<Registry>,
    /// Virtual-table modules and connected virtual tables (`crate::vtab`).
    pub vtabs: crate::vtab::SharedVtabs,
    /// The text encoding of every database of this connection (SQLite's
    /// ENC(db)): the main database's once its schema is read, else the
    /// one `PRAGMA encoding` or `sqlite3_open16` chose for a new file.
    pub enc: TextEncoding,
    /// Counts ATTACH and DETACH: database indexes move, so statements
    /// compiled before are recompiled before they run again.
    pub attach_generation: u64,
    /// URI file names are understood (SQLITE_OPEN_URI or the global
    /// setting): ATTACH interprets `file:` names as the open did.
    pub uri_filenames: bool,
    /// sqlite3_set_authorizer: consulted while statements compile
    /// (`codegen::auth`).
    authorizer: Option<Box<dyn codegen::auth::Authorizer>>,
    /// Counts authorizer changes: statements compiled before one are
    /// recompiled (and authorized again) before they run again, as
    /// SQLite expires them.
    auth_generation: u64,
    /// sqlite3_commit_hook / rollback_hook / update_hook, as installed by
    /// the C layer.
    pub hooks: ConnHooks,
    /// sqlite3_autovacuum_pages: given a database's name, page count, free
    /// pages and page size, how many free pages its FULL auto-vacuum
    /// commit removes (None: all).
    pub autovacuum_pages: Option<AutovacuumPages>,
    /// Where in its SQL the last failed `prepare` found the error
    /// (sqlite3_error_offset): set for syntax errors, None otherwise.
    pub error_offset: Option<usize>,
    /// Statements a built-in virtual-table module (the R*Tree) is running
    /// inside another statement on its shadow tables: while above 0, a
    /// finishing statement never commits, the outer statement does (as
    /// SQLite commits only when the last writing statement halts).
    pub module_nesting: usize,
    /// xDestroy calls under way (SQLite's nVDestroy): the statement
    /// running DROP TABLE of a virtual table does not count as a reader
    /// that keeps the module's DROP of its shadow tables from running.
    pub vdestroy_depth: usize,
    /// Statements a built-in module ran on its shadow tables, kept by SQL
    /// text for the next run (each is finished and reset before reuse;
    /// a schema change makes it recompile, as any statement).
    pub module_stmts: HashMap<String, Statement>,
}

/// The application's transaction and row-change callbacks. The engine
/// calls them at SQLite's points: `commit` before a write transaction
/// commits (true turns the commit into a rollback), `rollback` when a
/// write transaction or an explicit transaction is rolled back, `update`
/// for each row a statement inserts, updates or deletes in a rowid table
/// (not for REPLACE conflict deletes nor the truncate optimization);
/// `preupdate` before each such change, REPLACE deletes and blob writes
/// included (`crate::preupdate`). Callbacks must not use the connection.
#[derive(Default)]
pub struct ConnHooks {
    pub commit: Option<Box<dyn FnMut() -> bool + Send>>,
    pub rollback: Option<Box<dyn FnMut() + Send>>,
    pub update: Option<Box<dyn FnMut(i32, &str, &str, i64) + Send>>,
    pub preupdate: Option<crate::preupdate::PreUpdateHook>,
}

/// See `Connection::autovacuum_pages`.
pub type AutovacuumPages = Arc<dyn Fn(&str, u32, u32, u32) -> u32 + Send + Sync>;

/// SQLITE_LIMIT_LENGTH: its slot in `Connection::limits`.
const LIMIT_LENGTH: usize = 0;
/// SQLITE_LIMIT_ATTACHED: its slot in `Connection::limits`.
const LIMIT_ATTACHED: usize = 7;

pub type ProgressHandler = Box<dyn FnMut() -> bool + Send>;

/// What a function call can ask of its connection.
pub struct ConnFuncEnv<'a> {
    conn: &'a mut Connection,
    coll: Option<CollSeq>,
}

impl FuncEnv for ConnFuncEnv<'_> {
    fn last_insert_rowid(&self) -> i64 {
        self.conn.last_insert_rowid
    }
    fn changes(&self) -> i64 {
        self.conn.changes
    }
    fn total_changes(&self) -> i64 {
        self.conn.total_changes
    }
    fn randomness(&mut self, buf: &mut [u8]) {
        let vfs = &self.conn.vfs;
        crate::util::prng::fill(buf, |seed| vfs.randomness(seed))
    }
    /// 'now' is the connection's VFS's time (xCurrentTimeInt64), as in
    /// SQLite.
    fn current_time_ms(&mut self) -> i64 {
        self.conn.vfs.current_time_ms()
    }
    fn collation(&self, name: &str) -> Option<CollSeq> {
        self.conn.udf.collation_in(name, self.conn.enc as u8)
    }
    fn function_collation(&self) -> CollSeq {
        self.coll.clone().unwrap_or(CollSeq::Binary)
    }
    fn text_encoding(&self) -> TextEncoding {
        self.conn.enc
    }
    fn connection(&mut self) -> Option<&mut dyn std::any::Any> {
        Some(&mut *self.conn)
    }
    /// The connection's SQLITE_LIMIT_LENGTH, as sqlite3_limit set it: a
    /// function result above it fails with "string or blob too big".
    fn max_length(&self) -> usize {
        usize::try_from(self.conn.limits[LIMIT_LENGTH]).unwrap_or(0)
    }
}

impl Connection {
    /// Opens (or creates, when `flags` allow) the database at `path`.
    /// `:memory:` and the empty string open private in-memory/temporary
    /// databases.
    pub fn open(vfs: Arc<dyn Vfs>, path: &str, flags: OpenFlags) -> Result<Connection> {
        let btree = Btree::open(vfs.clone(), path, flags)?;
        let readonly = btree.is_readonly();
        // The TEMP database: private to the connection, kept in memory.
        let temp = Btree::open(vfs.clone(), ":memory:", OpenFlags::READWRITE | OpenFlags::CREATE)?;
        let mut conn = Connection {
            vfs,
            dbs: vec![
                Db { name: "main".to_string(), btree, schema: None, used: true },
                Db { name: "temp".to_string(), btree: temp, schema: None, used: false },
            ],
            autocommit: true,
            active_vms: 0,
            blob_writers: 0,
            last_insert_rowid: 0,
            changes: 0,
            total_changes: 0,
            busy_timeout_ms: 0,
            busy_handler: None,
            busy_queue: true,
            background_checkpoint: false,
            busy_priority: false,
            interrupt: Arc::new(AtomicBool::new(false)),
            readonly,
            open_mode: flags.0 & 7,
            synchronous: 2,
            cache_size: -2000,
            next_page_size: 0,
            next_auto_vacuum: None,
            schema_changed: false,
            savepoints: Vec::new(),
            savepoint_txn: false,
            vtab_statements: 0,
            fullfsync: false,
            count_changes: false,
            checkpoint_fullfsync: false,
            wal_hook: WalHook::AutoCheckpoint(1000),
            progress: None,
            limits: [1_000_000_000, 1_000_000_000, 2000, 1000, 500, 250_000_000, 127, 10, 50_000, 32766, 1000, 8],
            udf: Arc::new(Registry::default()),
            vtabs: Default::default(),
            enc: TextEncoding::Utf8,
            attach_generation: 0,
            uri_filenames: false,
            authorizer: None,
            auth_generation: 0,
            hooks: ConnHooks::default(),
            autovacuum_pages: None,
            error_offset: None,
            module_nesting: 0,
            vdestroy_depth: 0,
            module_stmts: HashMap::new(),
        };
        crate::ext::register_builtins(&mut conn)?;
        Ok(conn)
    }

    pub fn vfs(&self) -> &Arc<dyn Vfs> {
        &self.vfs
    }

    /// The index of database `name` (SQLite's sqlite3FindDbName:
    /// case-insensitive, the latest of equal names, "main" always names
    /// database 0).
    pub fn db_index(&self, name: &str) -> Option<usize> {
        let i = self.dbs.iter().rposition(|d| d.name.eq_ignore_ascii_case(name));
        i.or_else(|| name.eq_ignore_ascii_case("main").then_some(0))
    }

    pub fn btree(&mut self, db: usize) -> Result<&mut Btree> {
        self.dbs.get_mut(db).map(|d| &mut d.btree).ok_or_else(|| Error::with_message(code::INTERNAL, "no such database"))
    }

    pub fn func_env(&mut self) -> ConnFuncEnv<'_> {
        ConnFuncEnv { conn: self, coll: None }
    }

    /// A function environment whose text comparisons use `coll`.
    pub fn func_env_with(&mut self, coll: Option<CollSeq>) -> ConnFuncEnv<'_> {
        ConnFuncEnv { conn: self, coll }
    }

    /// A handle other threads can use to interrupt this connection.
    pub fn interrupt_handle(&self) -> Arc<AtomicBool> {
        self.interrupt.clone()
    }

    pub fn is_interrupted(&self) -> bool {
        self.interrupt.load(Ordering::Relaxed)
    }

    /// The flag `sqlite3_interrupt` sets, for long loops outside the VDBE.
    pub fn interrupt_flag(&self) -> Arc<AtomicBool> {
        self.interrupt.clone()
    }

    /// Drops the cached schema of `db`: it is read again before next use
    /// (after VACUUM moved every root page).
    pub fn forget_schema(&mut self, db: usize) {
        if let Some(d) = self.dbs.get_mut(db) {
            d.schema = None;
        }
    }

    /// A statement starting while none runs clears an old interrupt, as
    /// in SQLite.
    pub fn clear_interrupt(&self) {
        self.interrupt.store(false, Ordering::Relaxed);
    }

    /// Runs the progress handler; true means "interrupt".
    pub fn progress_says_stop(&mut self) -> bool {
        match self.progress.as_mut() {
            Some((_, f)) => f(),
            None => false,
        }
    }

    /// Sets the busy timeout: the connection waits up to `ms`
    /// milliseconds for a lock, retrying with growing sleeps.
    pub fn set_busy_timeout(&mut self, ms: i32) {
        self.busy_timeout_ms = ms.max(0);
        self.busy_handler = None;
    }

    /// Asks the busy handler (or the busy timeout) whether to retry after
    /// the `count`-th SQLITE_BUSY for one lock.
    fn retry_busy(&mut self, count: i32) -> bool {
        retry_busy_with(&mut self.busy_handler, self.busy_timeout_ms, self.vfs.as_ref(), count)
    }

    /// Runs `f` on database `db`'s B-tree with a callback that asks the
    /// busy handler (or sleeps per the busy timeout) whether to keep
    /// waiting, for operations that wait on locks themselves (WAL
    /// checkpoints).
    pub fn with_busy_callback<R>(
        &mut self,
        db: usize,
        f: impl FnOnce(&mut Btree, &mut dyn FnMut() -> bool) -> Result<R>,
    ) -> Result<R> {
        let mut handler = self.busy_handler.take();
        let timeout = self.busy_timeout_ms;
        let vfs = self.vfs.clone();
        let mut count = 0;
        let r = match self.btree(db) {
            Ok(bt) => {
                let mut cb = || {
                    let again = retry_busy_with(&mut handler, timeout, vfs.as_ref(), count);
                    count += 1;
                    again
                };
                f(bt, &mut cb)
            }
            Err(e) => Err(e),
        };
        self.busy_handler = handler;
        r
    }

    /// Marks the TEMP database used (SQLite opens it on first use); a new
    /// one takes the page size of the last PRAGMA page_size, as SQLite's
    /// sqlite3OpenTempDatabase gives it db->nextPagesize.
    pub fn open_temp_db(&mut self) {
        let ps = self.next_page_size;
        if let Some(d) = self.dbs.get_mut(TEMP_DB) {
            if !d.used {
                d.used = true;
                if ps != 0 && d.btree.txn_state() == TxnState::None {
                    let _ = d.btree.set_page_size(ps);
                }
            }
        }
    }

    /// Opens a read or write transaction on database `db`, waiting through
    /// the busy handler, and (re)loads its schema when it changed.
    pub fn begin_transaction(&mut self, db: usize, write: bool) -> Result<()> {
        if db == TEMP_DB {
            self.open_temp_db();
        }
        // A read transaction whose WAL snapshot is stale cannot become a
        // write transaction however long it waits: SQLITE_BUSY_SNAPSHOT at
        // once, without the busy handler, as in SQLite.
        let had_txn = self.btree(db)?.txn_state() != TxnState::None;
        let mut stale = None;
        let mut attempt = |conn: &mut Connection| {
            let bt = conn.btree(db)?;
            let r = if write { bt.begin_write() } else { bt.begin_read() };
            match r {
                Err(e) if had_txn && e.extended_code() == code::BUSY_SNAPSHOT => {
                    stale = Some(e);
                    Ok(())
                }
                r => r,
            }
        };
        if had_txn {
            // Upgrading a read transaction: as in SQLite, no waiting (the
            // holder may be waiting for this connection's read lock to go).
            attempt(self)?;
        } else {
            self.retrying_busy_on(db, attempt)?;
        }
        if let Some(e) = stale {
            return Err(e);
        }
        if write && !self.savepoints.is_empty() {
            // SAVEPOINTs named before this database was first written
            // all start from its state now.
            let n = self.savepoints.len();
            self.btree(db)?.open_savepoint(n)?;
        }
        self.ensure_schema(db)
    }

    /// SQLite's nSavepoint: the open SQL savepoints but the one that began
    /// the transaction.
    pub fn sql_savepoint_count(&self) -> i32 {
        self.savepoints.len() as i32 - i32::from(self.savepoint_txn)
    }

    /// SAVEPOINT, RELEASE and ROLLBACK TO. SQL savepoint `i` (0 = the
    /// oldest) is B-tree savepoint `i` of every database written in the
    /// transaction; statement savepoints stack above them. Virtual tables
    /// in the transaction get xSavepoint / xRelease / xRollbackTo with
    /// SQLite's numbers (its nSavepoint at SAVEPOINT; the savepoint's
    /// position among the others at RELEASE / ROLLBACK TO, -1 for the
    /// one that began the transaction).
    pub fn savepoint(&mut self, op: SavepointOp, name: &str) -> Result<()> {
        if op == SavepointOp::Begin {
            if self.blob_writers > 0 {
                return Err(Error::with_message(code::BUSY, "cannot open savepoint - SQL statements in progress"));
            }
            let n = self.vtab_statements + self.sql_savepoint_count();
            // Virtual tables in the transaction hear of the savepoint first
            // (xSavepoint: FTS writes its pending terms), so that what they
            // write is not undone by a ROLLBACK TO it.
            crate::vtab::savepoint_all(&self.vtabs.clone(), self, crate::vtab::SavepointOp::Begin, n)?;
            if self.autocommit {
                self.autocommit = false;
                self.savepoint_txn = true;
            }
            self.savepoints.push(name.to_string());
            let n = self.savepoints.len();
            for d in self.dbs.iter_mut() {
                if d.btree.txn_state() == TxnState::Write {
                    d.btree.open_savepoint(n)?;
                }
            }
            return Ok(());
        }
        let Some(i) = self.savepoints.iter().rposition(|s| s.eq_ignore_ascii_case(name)) else {
            return Err(Error::sql(format!("no such savepoint: {name}")));
        };
        let vtab_n = i as i32 - i32::from(self.savepoint_txn);
        match op {
            SavepointOp::Release if self.blob_writers > 0 => {
                return Err(Error::with_message(code::BUSY, "cannot release savepoint - SQL statements in progress"));
            }
            SavepointOp::Release if i == 0 && self.savepoint_txn => {
                // Releasing the savepoint that began the transaction
                // commits it; on BUSY everything stays as it was.
                if self.active_vms > 1 {
                    self.commit_keeping_readers()?;
                } else {
                    self.commit_all()?;
                }
                self.end_savepoints();
                self.autocommit = true;
            }
            SavepointOp::Release => {
                self.savepoints.truncate(i);
                for d in self.dbs.iter_mut() {
                    if d.btree.txn_state() == TxnState::Write {
                        d.btree.release_savepoint(i)?;
                    }
                }
                crate::vtab::savepoint_all(&self.vtabs.clone(), self, crate::vtab::SavepointOp::Release, vtab_n)?;
            }
            SavepointOp::Rollback => {
                self.savepoints.truncate(i + 1);
                for d in self.dbs.iter_mut() {
                    if d.btree.txn_state() == TxnState::Write {
                        d.btree.rollback_savepoint(i)?;
                        d.btree.trip_incrblob_writers();
                    }
                }
                if self.schema_changed {
                    for d in self.dbs.iter_mut() {
                        d.schema = None;
                    }
                }
                crate::vtab::savepoint_all(&self.vtabs.clone(), self, crate::vtab::SavepointOp::RollbackTo, vtab_n)?;
            }
            SavepointOp::Begin => {}
        }
        Ok(())
    }

    /// The transaction ended: no savepoint survives it.
    fn end_savepoints(&mut self) {
        self.savepoints.clear();
        self.savepoint_txn = false;
    }

    /// [`Connection::retrying_busy`] for an operation on database `db`:
    /// with a busy timeout, no busy handler and the queue on, waits in the
    /// file's lock queue (FIFO, woken when another connection of this
    /// process releases a lock, polling for other processes) until the
    /// timeout; else as SQLite, through the busy handler.
    pub(crate) fn retrying_busy_on(&mut self, db: usize, mut f: impl FnMut(&mut Connection) -> Result<()>) -> Result<()> {
        let gate = if self.busy_queue && self.busy_handler.is_none() && self.busy_timeout_ms > 0 { self.btree(db)?.lock_gate() } else { None };
        let Some(gate) = gate else { return self.retrying_busy(f) };
        let deadline = std::time::Instant::now() + std::time::Duration::from_millis(self.busy_timeout_ms as u64);
        let poll = crate::os::gate::POLL;
        let mut ticket = None;
        // A connection that keeps taking the lock while the head of the
        // queue starves goes behind it: the waiting is bounded, the
        // hand-offs few.
        let fresh = self.btree(db)?.txn_state() == TxnState::None;
        let starve = crate::os::gate::TURN;
        if fresh && gate.head_waited().is_some_and(|w| w >= starve) {
            let t = gate.enqueue(self.busy_priority);
            ticket = Some(t);
            let seen = gate.generation();
            gate.wait_turn(t, seen, deadline, poll, std::time::Duration::ZERO);
        }
        let r = loop {
            let seen = gate.generation();
            match f(self) {
                Err(e) if e.primary_code() == code::BUSY => {
                    let t = *ticket.get_or_insert_with(|| gate.enqueue(self.busy_priority));
                    if !gate.wait_turn(t, seen, deadline, poll, starve) {
                        break Err(e);
                    }
                }
                r => break r,
            }
        };
        if let Some(t) = ticket {
            gate.leave(t);
        }
        r
    }

    /// Runs `f` until it succeeds, fails with something other than
    /// SQLITE_BUSY, or the busy handler (or timeout) gives up.
    pub(crate) fn retrying_busy(&mut self, mut f: impl FnMut(&mut Connection) -> Result<()>) -> Result<()> {
        let mut count = 0;
        loop {
            match f(self) {
                Err(e) if e.primary_code() == code::BUSY => {
                    if !self.retry_busy(count) {
                        return Err(e);
                    }
                    count += 1;
                }
                r => return r,
            }
        }
    }

    /// Loads the schema of `db` if it is missing or stale. A transaction
    /// must be open on `db`.
    fn ensure_schema(&mut self, db: usize) -> Result<()> {
        let cookie = self.btree(db)?.get_meta(1)?;
        let stale = match &self.dbs[db].schema {
            None => true,
            Some(s) => s.cookie != cookie,
        };
        if stale {
            self.reload_schema(db)?;
        }
        Ok(())
    }

    /// Rebuilds the schema of `db` from its sqlite_schema table.
    pub fn reload_schema(&mut self, db: usize) -> Result<()> {
        let reg = self.udf.clone();
        self.btree(db)?;
        let prev = self.dbs[db].schema.clone();
        let bt = &mut self.dbs[db].btree;
        let enc = self.enc as u8;
        let schema = user::with_registry_in(&reg, enc, || Schema::load(bt, prev.as_deref(), db)).map_err(|e| {
            if e.primary_code() == code::ERROR {
                Error::with_message(code::CORRUPT, format!("malformed database schema - {}", e.message()))
            } else {
                e
            }
        })?;
        if let Some(e) = schema.encoding {
            if db == 0 {
                self.enc = e;
            } else if e != self.enc {
                return Err(Error::sql("attached databases must use the same text encoding as main database"));
            }
        }
        self.dbs[db].schema = Some(Arc::new(schema));
        Ok(())
    }

    /// `PRAGMA encoding = X`: takes effect only while the main database is
    /// empty (SQLite ignores it silently afterwards). Set before the schema
    /// is first read, the file's own encoding wins when it is read.
    pub fn set_encoding(&mut self, enc: TextEncoding) {
        let fixed = self.dbs[0].schema.as_ref().is_some_and(|s| s.encoding.is_some());
        if !fixed {
            self.enc = enc;
        }
    }

    pub fn schema_cookie(&mut self, db: usize) -> Result<u32> {
        self.btree(db)?.get_meta(1)
    }

    /// The schema of `db` for compiling a statement, loading it first if
    /// needed (SQLite reads the schema during prepare the same way).
    pub fn schema_for_prepare(&mut self, db: usize) -> Result<Arc<Schema>> {
        let in_txn = self.btree(db)?.txn_state() != TxnState::None;
        if let Some(s) = &self.dbs[db].schema {
            if in_txn || !self.autocommit || db == TEMP_DB {
                return Ok(s.clone());
            }
        }
        let used = self.dbs[db].used;
        self.begin_transaction(db, false)?;
        self.dbs[db].used = used;
        let schema = self.dbs[db].schema.clone();
        if !in_txn && self.autocommit && self.active_vms == 0 {
            self.btree(db)?.commit()?;
        }
        schema.ok_or_else(|| Error::with_message(code::INTERNAL, "schema not loaded"))
    }

    /// Commits every open transaction (the end of an autocommit statement,
    /// or COMMIT), waiting through the busy handler for the locks a commit
    /// needs.
    pub fn commit_all(&mut self) -> Result<()> {
        self.commit_all_inner(false)
    }

    /// Commits every write transaction but keeps the read transactions,
    /// for statements of this connection still reading.
    pub fn commit_keeping_readers(&mut self) -> Result<()> {
        self.commit_all_inner(true)
    }

    fn commit_all_inner(&mut self, keep_read: bool) -> Result<()> {
        let vt = self.vtabs.clone();
        if let Err(e) = crate::vtab::sync_all(&vt, self) {
            self.rollback_all();
            self.autocommit = true;
            return Err(e);
        }
        if self.hooks.commit.is_some() && self.in_write_txn() {
            let veto = self.hooks.commit.as_mut().is_some_and(|f| f());
            if veto {
                self.rollback_all();
                self.autocommit = true;
                return Err(Error::code(code::CONSTRAINT_COMMITHOOK));
            }
        }
        self.commit_all_dbs(keep_read)?;
        self.schema_changed = false;
        self.end_savepoints();
        crate::vtab::end_transaction(&vt, true)
    }

    fn commit_all_dbs(&mut self, keep_read: bool) -> Result<()> {
        for db in 0..self.dbs.len() {
            // sqlite3_autovacuum_pages decides, per database, how much a
            // FULL auto-vacuum commit removes.
            let policy = self.autovacuum_pages.clone().map(|f| {
                let name = self.dbs[db].name.clone();
                Box::new(move |n_orig: u32, n_free: u32, page_size: u32| f(&name, n_orig, n_free, page_size)) as crate::btree::AutovacPages
            });
            self.dbs[db].btree.autovac_pages = policy;
            let r = self.retrying_busy(|conn| {
                let bt = &mut conn.dbs[db].btree;
                if keep_read {
                    bt.commit_keep_read()
                } else {
                    bt.commit()
                }
            });
            self.dbs[db].btree.autovac_pages = None;
            r?;
        }
        Ok(())
    }

    /// Rolls back every open transaction. Errors are not reported: a
    /// rollback that cannot complete leaves a hot journal that the next
    /// reader rolls back.
    pub fn rollback_all(&mut self) {
        self.fire_rollback_hook();
        let _ = crate::vtab::end_transaction(&self.vtabs.clone(), false);
        for d in self.dbs.iter_mut() {
            let _ = d.btree.rollback();
        }
        self.end_savepoints();
        // A schema the undone transaction changed is read again; one it
        // did not change stays cached (prepare then needs no lock).
        if self.schema_changed {
            // As SQLite's schema reset: every virtual table is
            // disconnected, and reconnected when next used.
            crate::vtab::lock(&self.vtabs.clone()).disconnect_all();
        }
        if std::mem::take(&mut self.schema_changed) {
            for d in self.dbs.iter_mut() {
                d.schema = None;
            }
        }
    }

    /// ROLLBACK beside statements (or blob handles) that are still
    /// reading: write transactions are undone, read transactions stay so
    /// that the readers go on, as in SQLite. Errors are not reported, as
    /// in `rollback_all`.
    fn rollback_keeping_readers(&mut self) {
        self.fire_rollback_hook();
        let _ = crate::vtab::end_transaction(&self.vtabs.clone(), false);
        for d in self.dbs.iter_mut() {
            let _ = d.btree.rollback_keep_read();
        }
        self.end_savepoints();
        if std::mem::take(&mut self.schema_changed) {
            for d in self.dbs.iter_mut() {
                d.schema = None;
            }
        }
    }

    /// True while some database has a write transaction open.
    pub fn in_write_txn(&self) -> bool {
        self.dbs.iter().any(|d| d.btree.txn_state() == TxnState::Write)
    }

    /// The rollback hook, called as SQLite calls it: before rolling back a
    /// write transaction or an explicit (BEGIN) transaction.
    fn fire_rollback_hook(&mut self) {
        if self.hooks.rollback.is_some() && (self.in_write_txn() || !self.autocommit) {
            if let Some(f) = self.hooks.rollback.as_mut() {
                f();
            }
        }
    }

    /// BEGIN (on = false) and COMMIT / ROLLBACK (on = true).
    pub fn set_autocommit(&mut self, on: bool, rollback: bool, kind: TransactionKind, active_vms: usize) -> Result<()> {
        if !on {
            if !self.autocommit {
                return Err(Error::sql("cannot start a transaction within a transaction"));
            }
            if kind != TransactionKind::Deferred {
                for db in 0..self.dbs.len() {
                    self.begin_transaction(db, true)?;
                    if kind == TransactionKind::Exclusive {
                        // As SQLite's pager: BEGIN EXCLUSIVE takes the
                        // EXCLUSIVE lock of a rollback-journal file now (so
                        // other connections cannot even read), waiting out
                        // readers with the busy handler; in WAL mode it is
                        // IMMEDIATE. On failure the transaction is let go.
                        if let Err(e) = self.retrying_busy_on(db, |c| c.btree(db)?.lock_exclusive()) {
                            let _ = self.btree(db)?.rollback();
                            return Err(e);
                        }
                    }
                }
            }
            self.autocommit = false;
            return Ok(());
        }
        if self.autocommit {
            return Err(Error::sql(if rollback {
                "cannot rollback - no transaction is active"
            } else {
                "cannot commit - no transaction is active"
            }));
        }
        if rollback {
            if active_vms > 1 {
                self.rollback_keeping_readers();
            } else {
                self.rollback_all();
            }
            self.autocommit = true;
            return Ok(());
        }
        if self.blob_writers > 0 {
            return Err(Error::with_message(code::BUSY, "cannot commit transaction - SQL statements in progress"));
        }
        if active_vms > 1 {
            // Other statements still read: their read transactions live on.
            self.commit_keeping_readers()?;
        } else {
            self.commit_all()?;
        }
        self.autocommit = true;
        Ok(())
    }

    /// Compiles the first statement of `sql`. Returns None when `sql` holds
    /// only whitespace and comments; otherwise the statement and the byte
    /// offset where the next statement starts.
    pub fn prepare(&mut self, sql: &str) -> Result<(Option<Statement>, usize)> {
        let mut parser = Parser::with_limits(sql, self.parse_limits());
        self.error_offset = None;
        let parsed = match parser.next_stmt() {
            Err(e) => {
                self.error_offset = parser.error_offset();
                return Err(e);
            }
            Ok(None) => return Ok((None, sql.len())),
            Ok(Some(p)) => p,
        };
        let tail = parsed.tail;
        // sqlite3_sql() is the prepared text up to the tail: leading
        // comments and the semicolon included, as in SQLite.
        let text = sql.get(..tail).unwrap_or(sql).to_string();
        let prog = self.compile(&parsed, sql)?;
        let mut stmt = Statement::new(text, Arc::new(prog));
        stmt.generation = self.compile_generation();
        Ok((Some(stmt), tail))
    }

    /// The sqlite3_limit values the parser enforces.
    fn parse_limits(&self) -> crate::parse::ParseLimits {
        let lim = |i: usize| self.limits[i].max(0) as usize;
        crate::parse::ParseLimits {
            sql_length: lim(1),
            expr_depth: lim(3) as u32,
            variable_number: lim(9) as i64,
            function_arg: lim(6),
            compound_select: lim(4),
        }
    }

    /// Compiles against the cached schema when there is one, taking no
    /// lock (the program's prologue checks the schema cookie and the
    /// statement is recompiled if it moved); as in SQLite, a compile
    /// error makes it check whether that schema was stale, and if so
    /// reload it and compile again.
    fn compile(&mut self, parsed: &crate::parse::ast::ParsedStmt, sql: &str) -> Result<Program> {
        let mut prog = self.compile_inner(parsed, sql)?;
        // PRAGMA count_changes=ON (deprecated, still SQLite's): INSERT,
        // UPDATE and DELETE return the number of rows they changed.
        if self.count_changes && parsed.explain.is_none() && prog.column_names.is_empty() {
            use crate::parse::ast::Stmt;
            let name = match &parsed.stmt {
                Stmt::Insert(_) => Some("rows inserted"),
                Stmt::Update(_) => Some("rows updated"),
                Stmt::Delete(_) => Some("rows deleted"),
                _ => None,
            };
            if let Some(name) = name {
                prog.n_reg += 1;
                prog.change_count_reg = Some(prog.n_reg);
                prog.column_names = vec![name.to_string()];
                prog.column_decltypes = vec![None];
                prog.column_origins = vec![None];
            }
        }
        Ok(prog)
    }

    fn compile_inner(&mut self, parsed: &crate::parse::ast::ParsedStmt, sql: &str) -> Result<Program> {
        let _ = sql;
        let reg = self.udf.clone();
        // With a preupdate hook, DELETE without WHERE deletes row by row
        // (decided at compile time, as SQLite does).
        let hooked = self.hooks.preupdate.is_some();
        if let Some(schemas) = self.cached_schemas() {
            let auth = self.authorizer.as_deref_mut().map(|a| a as &mut dyn codegen::auth::Authorizer);
            let vt = self.vtabs.clone();
            match crate::vtab::with_vtabs(&vt, || user::with_registry_in(&reg, self.enc as u8, || codegen::compile_authorized(&schemas, parsed, auth, hooked))) {
                Ok(p) => return Ok(p),
                Err(e) => {
                    let mut stale = false;
                    for db in 0..self.dbs.len() {
                        if self.schema_is_stale(db) {
                            self.dbs[db].schema = None;
                            stale = true;
                        }
                    }
                    if !stale {
                        return Err(e);
                    }
                }
            }
        }
        let schemas = self.schemas_for_prepare()?;
        let auth = self.authorizer.as_deref_mut().map(|a| a as &mut dyn codegen::auth::Authorizer);
        let vt = self.vtabs.clone();
        crate::vtab::with_vtabs(&vt, || user::with_registry_in(&reg, self.enc as u8, || codegen::compile_authorized(&schemas, parsed, auth, hooked)))
    }

    /// Installs (or, with None, removes) the authorizer. Every prepared
    /// statement is recompiled before it next starts, consulting the new
    /// one, as SQLite expires them.
    pub fn set_authorizer(&mut self, auth: Option<Box<dyn codegen::auth::Authorizer>>) {
        self.authorizer = auth;
        self.auth_generation += 1;
    }

    /// Every database's schema, each loaded first if needed
    /// (`schema_for_prepare`).
    pub fn schemas_for_prepare(&mut self) -> Result<SchemaSet> {
        let mut dbs = Vec::with_capacity(self.dbs.len());
        for db in 0..self.dbs.len() {
            dbs.push(DbSchema { name: self.dbs[db].name.clone(), schema: self.schema_for_prepare(db)? });
        }
        Ok(SchemaSet { dbs })
    }

    /// Every database's cached schema, if all are loaded.
    fn cached_schemas(&self) -> Option<SchemaSet> {
        let dbs = self.dbs.iter().map(|d| Some(DbSchema { name: d.name.clone(), schema: d.schema.clone()? })).collect::<Option<Vec<_>>>()?;
        Some(SchemaSet { dbs })
    }

    /// ATTACH `path` AS `name`: opens the file (creating it if the main
    /// database's open allowed that), reads its schema, and makes it
    /// database number `dbs.len()`.
    pub fn attach(&mut self, path: &str, name: &str) -> Result<()> {
        let max = usize::try_from(self.limits[LIMIT_ATTACHED]).unwrap_or(0);
        if self.dbs.len() >= max + 2 {
            return Err(Error::sql(format!("too many attached databases - max {max}")));
        }
        if self.dbs.iter().any(|d| d.name.eq_ignore_ascii_case(name)) {
            return Err(Error::sql(format!("database {name} is already in use")));
        }
        let mut flags = if self.readonly { OpenFlags::READONLY } else { OpenFlags(self.open_mode) };
        // SQL text names a file: in the engine's form for file names.
        let mut path = crate::os::fsname::from_bytes(path.as_bytes());
        let written = path.clone();
        let mut vfs_name = None;
        if self.uri_filenames && path.starts_with("file:") {
            let (p, f) = crate::util::uri::parse(&path, flags.0)?;
            crate::util::uri::check_shared_cache(&p, f)?;
            vfs_name = crate::util::uri::vfs_param(&path);
            path = p;
            // The VFS's xOpen sees SQLITE_OPEN_URI, as in SQLite.
            flags = OpenFlags(f) | OpenFlags::URI;
        }
        // The VFS a `vfs=` parameter names, else the connection's (made
        // anew for this file, so that an application VFS sees its URI
        // parameters), as SQLite's ATTACH does.
        let vfs = match (crate::os::find_vfs(vfs_name.as_deref().unwrap_or(self.vfs.name()), &written), vfs_name.is_some()) {
            (Some(Ok(v)), _) => v,
            (Some(Err(e)), true) => return Err(e),
            _ => self.vfs.clone(),
        };
        let btree = Btree::open(vfs, &path, flags).map_err(|e| {
            if e.primary_code() == code::CANTOPEN {
                Error::with_message(e.extended_code(), format!("unable to open database: {}", String::from_utf8_lossy(&crate::os::fsname::to_bytes(&path))))
            } else {
                e
            }
        })?;
        self.dbs.push(Db { name: name.to_string(), btree, schema: None, used: true });
        self.attach_generation += 1;
        let db = self.dbs.len() - 1;
        if let Err(e) = self.schema_for_prepare(db) {
            if let Some(mut d) = self.dbs.pop() {
                let _ = d.btree.rollback();
            }
            return Err(e);
        }
        Ok(())
    }

    /// DETACH `name`: main and temp cannot be detached, nor a database a
    /// transaction is open on (nor, in Ferrolite, one attached after a
    /// database a transaction is open on: running statements address
    /// databases by index).
    pub fn detach(&mut self, name: &str) -> Result<()> {
        let Some(db) = self.dbs.iter().position(|d| d.name.eq_ignore_ascii_case(name)) else {
            return Err(Error::sql(format!("no such database: {name}")));
        };
        if db < 2 {
            return Err(Error::sql(format!("cannot detach database {name}")));
        }
        if self.dbs[db..].iter().any(|d| d.btree.txn_state() != TxnState::None) {
            return Err(Error::sql(format!("database {name} is locked")));
        }
        self.dbs.remove(db);
        // Later databases move down one index: their schemas are read
        // again under the new numbers.
        for d in self.dbs[db..].iter_mut() {
            d.schema = None;
        }
        self.attach_generation += 1;
        Ok(())
    }

    /// True when the file's schema cookie differs from the cached
    /// schema's; false when it cannot be read now (locked, I/O error).
    fn schema_is_stale(&mut self, db: usize) -> bool {
        let cookie = match self.btree(db).and_then(|bt| bt.get_meta(1)) {
            Ok(c) => c,
            Err(_) => return false,
        };
        self.dbs[db].schema.as_ref().map_or(true, |s| s.cookie != cookie)
    }

    /// Registers, replaces or (with `imp` None) deletes an application
    /// function. Fails with SQLITE_BUSY ("unable to delete/modify
    /// user-function due to active statements") when an existing
    /// registration would change while statements run. `destroy` runs
    /// when the registration ends, or at once when this call fails.
    #[allow(clippy::too_many_arguments)]
    pub fn create_function(&mut self, name: &str, n_arg: i32, enc: u8, flags: u32, imp: Option<Box<dyn UserFunction>>, destroy: Option<Destroy>) -> Result<()> {
        let active = self.active_vms > 0;
        let mut reg = (*self.udf).clone();
        match reg.set_function(name, n_arg, enc, flags, imp, destroy, active) {
            Ok(()) => {
                self.udf = Arc::new(reg);
                Ok(())
            }
            Err(ChangeError::Busy) => Err(Error::with_message(code::BUSY, "unable to delete/modify user-function due to active statements")),
        }
    }

    /// Registers, replaces or (with `imp` None) removes a collation.
    /// Column collations are resolved when a schema loads, so schemas are
    /// reloaded afterwards.
    pub fn create_collation(&mut self, name: &str, enc: u8, imp: Option<Arc<dyn UserCollation>>, destroy: Option<Destroy>) -> Result<()> {
        let active = self.active_vms > 0;
        let mut reg = (*self.udf).clone();
        match reg.set_collation(name, enc, imp, destroy, active) {
            Ok(()) => {
                self.udf = Arc::new(reg);
                for d in self.dbs.iter_mut() {
                    d.schema = None;
                }
                Ok(())
            }
            Err(ChangeError::Busy) => Err(Error::with_message(code::BUSY, "unable to delete/modify collation sequence due to active statements")),
        }
    }

    /// What a compiled program depends on besides the schema cookies: the
    /// application's functions and collations, and the database indexes.
    pub fn compile_generation(&self) -> (u64, u64, u64) {
        (self.udf.generation, self.attach_generation, self.auth_generation)
    }

    /// Recompiles a statement's SQL against the current schema.
    fn recompile(&mut self, sql: &str) -> Result<Program> {
        let mut parser = Parser::with_limits(sql, self.parse_limits());
        match parser.next_stmt()? {
            Some(p) => self.compile(&p, sql),
            None => Err(Error::misuse()),
        }
    }
}

/// A prepared statement: its SQL, its program, the execution state and
/// the bound parameter values.
pub struct Statement {
    sql: String,
    pub vm: Vm,
    params: Vec<Value>,
    /// The `Connection::compile_generation` the program was compiled
    /// against; a statement compiled before functions, collations or the
    /// attached databases changed is recompiled before it runs again.
    generation: (u64, u64, u64),
}

impl Statement {
    fn new(sql: String, prog: Arc<Program>) -> Statement {
        let n = prog.parameters.len();
        Statement { sql, vm: Vm::new(prog), params: vec![Value::Null; n], generation: (0, 0, 0) }
    }

    pub fn sql(&self) -> &str {
        &self.sql
    }

    pub fn program(&self) -> &Arc<Program> {
        &self.vm.prog
    }

    /// Runs to the next row. A statement whose schema changed under it is
    /// recompiled and restarted, a few times at most, as SQLite does.
    pub fn step(&mut self, conn: &mut Connection) -> Result<StepResult> {
        let mut retries = 0;
        if self.generation != conn.compile_generation() && !self.vm.is_running() {
            let generation = conn.compile_generation();
            let prog = conn.recompile(&self.sql)?;
            self.vm = Vm::new(Arc::new(prog));
            self.generation = generation;
        }
        loop {
            match self.vm.step(conn, &self.params) {
                Err(e) if e.primary_code() == code::SCHEMA && retries < 50 && !self.vm.is_running() => {
                    retries += 1;
                    let generation = conn.compile_generation();
                    let prog = conn.recompile(&self.sql)?;
                    self.vm = Vm::new(Arc::new(prog));
                    self.generation = generation;
                }
                r => {
                    if let Ok(StepResult::Done) = r {
                        conn.wal_hooks_after_statement();
                    }
                    return r;
                }
            }
        }
    }

    pub fn reset(&mut self, conn: &mut Connection) -> Result<()> {
        self.vm.reset(conn)
    }

    pub fn parameter_count(&self) -> usize {
        self.params.len()
    }

    pub fn parameter_name(&self, i: usize) -> Option<&str> {
        self.vm.prog.parameters.get(i.wrapping_sub(1)).and_then(|n| n.as_deref())
    }

    pub fn parameter_index(&self, name: &str) -> Option<usize> {
        self.vm.prog.parameters.iter().position(|n| n.as_deref() == Some(name)).map(|i| i + 1)
    }

    /// Binds parameter `i` (1-based). SQLITE_RANGE when out of range,
    /// SQLITE_MISUSE while the statement runs.
    pub fn bind(&mut self, i: usize, v: Value) -> Result<()> {
        if self.vm.is_running() {
            return Err(Error::misuse());
        }
        match self.params.get_mut(i.wrapping_sub(1)) {
            Some(slot) => {
                *slot = v;
                Ok(())
            }
            None => Err(Error::code(code::RANGE)),
        }
    }

    /// The values bound so far (NULL where nothing is bound).
    pub fn params(&self) -> &[Value] {
        &self.params
    }

    pub fn clear_bindings(&mut self) {
        for p in self.params.iter_mut() {
            *p = Value::Null;
        }
    }

    pub fn column_count(&self) -> usize {
        self.vm.prog.column_names.len()
    }

    pub fn column_name(&self, i: usize) -> Option<&str> {
        self.vm.prog.column_names.get(i).map(|s| s.as_str())
    }

    pub fn column_decltype(&self, i: usize) -> Option<&str> {
        self.vm.prog.column_decltypes.get(i).and_then(|s| s.as_deref())
    }

    /// The current row (valid after step returned Row).
    pub fn row(&self) -> &[Value] {
        self.vm.row()
    }

    pub fn readonly(&self) -> bool {
        self.vm.prog.readonly
    }

    pub fn is_explain(&self) -> Option<ExplainKind> {
        self.vm.prog.explain
    }

    pub fn busy(&self) -> bool {
        self.vm.is_running()
    }

    /// True when the program was compiled before functions, collations or
    /// the attached databases changed, so it will be recompiled before it
    /// runs again (sqlite3_expired).
    pub fn is_expired(&self, conn: &Connection) -> bool {
        self.generation != conn.compile_generation()
    }

    /// Recompiles the statement's SQL as a plain statement, EXPLAIN or
    /// EXPLAIN QUERY PLAN (sqlite3_stmt_explain). The bound values are
    /// kept. The caller checks that the statement is not running.
    pub fn set_explain(&mut self, conn: &mut Connection, explain: Option<ExplainKind>) -> Result<()> {
        let mut parser = Parser::with_limits(&self.sql, conn.parse_limits());
        let Some(mut parsed) = parser.next_stmt()? else { return Err(Error::misuse()) };
        parsed.explain = explain;
        let generation = conn.compile_generation();
        let prog = conn.compile(&parsed, &self.sql)?;
        self.vm = Vm::new(Arc::new(prog));
        self.generation = generation;
        Ok(())
    }
}

/// SQLite's default busy callback: the application's handler if there is
/// one, else sleeps on SQLite's schedule (short at first, then 100 ms)
/// until the busy timeout is spent.

fn retry_busy_with(handler: &mut Option<BusyHandler>, timeout_ms: i32, vfs: &dyn Vfs, count: i32) -> bool {
    if let Some(h) = handler.as_mut() {
        return h(count);
    }
    if timeout_ms <= 0 {
        return false;
    }
    const DELAYS: [i32; 12] = [1, 2, 5, 10, 15, 20, 25, 25, 25, 50, 50, 100];
    let idx = (count as usize).min(DELAYS.len() - 1);
    let prior: i32 = DELAYS.iter().take(count as usize).sum::<i32>()
        + if count as usize >= DELAYS.len() { (count - DELAYS.len() as i32) * 100 } else { 0 };
    let mut delay = DELAYS[idx];
    if prior + delay > timeout_ms {
        delay = timeout_ms - prior;
        if delay <= 0 {
            return false;
        }
    }
    vfs.sleep(delay as u64 * 1000);
    true
}
