//! The VDBE interpreter: runs a `Program` one `step` at a time.
//!
//! A `Vm` is one execution of a program. `step` runs opcodes until a row is
//! ready (ResultRow), the program halts, or an error stops it. Statement
//! bookkeeping follows SQLite: the first step makes the statement active on
//! its connection; when the last active statement of an autocommit
//! connection halts, the transaction commits (or rolls back after an
//! error). A SQLITE_BUSY from taking a lock or committing leaves the
//! program counter where it was, so calling `step` again retries.

use std::sync::Arc;

use crate::connection::Connection;
use crate::error::{code, Error, Result};
use crate::func::Aggregate;
use crate::util::TextEncoding;
use crate::value::Value;

use super::cursor::VCursor;
use super::{OnError, Op, Program};

/// What one call to `step` produced.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StepResult {
    Row,
    Done,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    /// Never stepped, or reset.
    Ready,
    Running,
    /// Halted: further steps return Done (or the halt error again).
    Halted,
}

/// One execution of a program.
pub struct Vm {
    pub prog: Arc<Program>,
    pub(super) pc: usize,
    pub regs: Vec<Value>,
    /// The subtype of each register a function call wrote (SQLite's
    /// MEM_Subtype), empty until a function gives its result one.
    pub(super) reg_subtypes: Vec<u8>,
    pub(super) cursors: Vec<Option<VCursor>>,
    pub(super) aggs: Vec<Option<Box<dyn Aggregate>>>,
    pub(super) once: Vec<bool>,
    state: State,
    /// First register and width of the current result row.
    pub row_start: usize,
    pub row_count: usize,
    /// Rows changed by this execution (sqlite3_changes).
    pub(super) n_change: i64,
    /// What this run added to the connection's total_changes (taken back
    /// when an error undoes the statement, as SQLite counts at its halt).
    pub(super) total_change: i64,
    /// True while this execution counts as active on its connection.
    active: bool,
    /// True when this execution holds a write transaction open.
    pub(super) wrote: bool,
    /// Scratch buffer reused for building records.
    pub(super) record_buf: Vec<u8>,
    /// The text encoding of the connection's databases (records and BINARY
    /// comparisons), taken from the connection when a step starts and when
    /// a transaction opens (the main schema may just have been read).
    pub(super) enc: TextEncoding,
    /// The error the program halted with, reported again if stepped.
    halt_error: Option<Error>,
    /// Statement savepoints (database, savepoint index) this execution
    /// opened, so that an error undoes this statement alone.
    savepoints: Vec<(usize, usize)>,
    /// The statement savepoint number virtual tables were told of
    /// (xSavepoint), when this execution opened one (`Op::VBegin`).
    pub(super) vtab_stmt: Option<i32>,
    /// PRAGMA count_changes: the change-count row has been returned.
    count_row_done: bool,
    /// Instructions executed and sorts done by this program since it was
    /// made (sqlite3_stmt_status VM_STEP and SORT; the C layer keeps the
    /// totals across recompiles).
    pub ops_run: u64,
    pub sorts: u64,
    /// Per instruction, how many times it ran since the program was made
    /// or the counters reset (sqlite3_stmt_scanstatus); empty, and not
    /// kept, for a program without loops.
    pub op_counts: Vec<u64>,
}

impl Vm {
    pub fn new(prog: Arc<Program>) -> Vm {
        let enc = TextEncoding::Utf8;
        let n_reg = prog.n_reg + 1;
        let n_cursor = prog.n_cursor;
        let n_agg = prog.n_agg;
        let n_ops = prog.ops.len();
        let op_counts = if prog.scans.iter().any(|s| s.scan_loop.is_some()) { vec![0; n_ops] } else { Vec::new() };
        Vm {
            prog,
            pc: 0,
            regs: vec![Value::Null; n_reg],
            reg_subtypes: Vec::new(),
            cursors: (0..n_cursor).map(|_| None).collect(),
            aggs: (0..n_agg).map(|_| None).collect(),
            once: vec![false; n_ops],
            state: State::Ready,
            row_start: 0,
            row_count: 0,
            n_change: 0,
            total_change: 0,
            active: false,
            wrote: false,
            record_buf: Vec::new(),
            enc,
            halt_error: None,
            savepoints: Vec::new(),
            vtab_stmt: None,
            count_row_done: false,
            ops_run: 0,
            sorts: 0,
            op_counts,
        }
    }

    /// True once the program has halted (done or failed).
    pub fn is_halted(&self) -> bool {
        self.state == State::Halted
    }

    /// True between the first step and the halt (sqlite3_stmt_busy).
    pub fn is_running(&self) -> bool {
        self.state == State::Running
    }

    /// The values of the current result row.
    pub fn row(&self) -> &[Value] {
        &self.regs[self.row_start..self.row_start + self.row_count]
    }

    /// Returns the machine to its initial state, ending the statement on its
    /// connection if it was active (sqlite3_reset).
    pub fn reset(&mut self, conn: &mut Connection) -> Result<()> {
        let mut result = Ok(());
        if self.active {
            // A statement reset before it halted ends like a halt with OK:
            // the work it did stands (SQLite commits it in autocommit mode).
            result = self.finish(conn, None);
        }
        self.pc = 0;
        self.count_row_done = false;
        self.state = State::Ready;
        for r in self.regs.iter_mut() {
            *r = Value::Null;
        }
        for c in self.cursors.iter_mut() {
            *c = None;
        }
        for a in self.aggs.iter_mut() {
            *a = None;
        }
        for o in self.once.iter_mut() {
            *o = false;
        }
        self.row_count = 0;
        self.n_change = 0;
        self.total_change = 0;
        self.wrote = false;
        self.halt_error = None;
        result
    }

    /// Runs until the next row or the end of the program.
    pub fn step(&mut self, conn: &mut Connection, params: &[Value]) -> Result<StepResult> {
        match self.state {
            State::Halted => {
                return match &self.halt_error {
                    Some(e) => Err(e.clone()),
                    None => Ok(StepResult::Done),
                }
            }
            State::Ready => {
                self.state = State::Running;
                if conn.active_vms == 0 {
                    conn.clear_interrupt();
                }
                if !self.active {
                    self.active = true;
                    conn.active_vms += 1;
                }
            }
            State::Running => {}
        }
        match self.run(conn, params) {
            Ok(StepResult::Row) => Ok(StepResult::Row),
            Ok(StepResult::Done) => Ok(StepResult::Done),
            Err(e) => {
                if e.primary_code() == code::BUSY && self.pc_is_retryable() {
                    // Leave the program where it is: the caller may retry.
                    return Err(e);
                }
                self.halt_with_error(conn, e.clone(), OnError::Abort);
                Err(e)
            }
        }
    }

    fn pc_is_retryable(&self) -> bool {
        matches!(self.prog.ops.get(self.pc), Some(Op::Transaction { .. }) | Some(Op::Halt { rc: 0, .. }) | Some(Op::AutoCommit { .. }))
    }

    /// Ends the statement after an error: undo what the error requires.
    pub(super) fn halt_with_error(&mut self, conn: &mut Connection, e: Error, on_error: OnError) {
        self.close_cursors();
        let _ = self.finish(conn, Some((e.clone(), on_error)));
        self.state = State::Halted;
        self.halt_error = Some(e);
    }

    fn close_cursors(&mut self) {
        for c in self.cursors.iter_mut() {
            *c = None;
        }
    }

    /// The statement stops being active. In autocommit mode the last active
    /// statement commits (or, after an error, rolls back) the transaction.
    fn finish(&mut self, conn: &mut Connection, error: Option<(Error, OnError)>) -> Result<()> {
        if !self.active {
            return Ok(());
        }
        // What an error undoes: OR ROLLBACK the whole transaction; OR FAIL
        // nothing; otherwise this statement alone, through its savepoint,
        // or, for an autocommit statement that had none, its transaction.
        let (undo_statement, undo_all) = match &error {
            None | Some((_, OnError::Fail)) => (false, false),
            Some((_, OnError::Rollback)) => (false, true),
            Some(_) if !self.savepoints.is_empty() => (true, false),
            // A statement that wrote nothing has nothing to undo: inside an
            // explicit transaction SQLite keeps the transaction (e.g. a
            // SELECT whose function raised an error).
            Some(_) => (false, self.wrote),
        };
        let mut savepoint_failed = false;
        for (db, idx) in std::mem::take(&mut self.savepoints) {
            if let Ok(bt) = conn.btree(db) {
                let r = if undo_statement { bt.rollback_savepoint(idx).and_then(|_| bt.release_savepoint(idx)) } else { bt.release_savepoint(idx) };
                savepoint_failed |= r.is_err();
            }
        }
        // The virtual tables' side of the statement savepoint: rolled back
        // (xRollbackTo) when the statement is undone alone, then released.
        if let Some(n) = self.vtab_stmt.take() {
            conn.vtab_statements -= 1;
            if !undo_all {
                let set = conn.vtabs.clone();
                let undo = matches!(&error, Some((_, o)) if !matches!(o, OnError::Fail | OnError::Rollback));
                let mut r = if undo { crate::vtab::statement_savepoint_all(&set, conn, crate::vtab::SavepointOp::RollbackTo, n) } else { Ok(()) };
                if r.is_ok() {
                    r = crate::vtab::statement_savepoint_all(&set, conn, crate::vtab::SavepointOp::Release, n);
                }
                savepoint_failed |= r.is_err();
            }
        }
        // A statement undone alone: modules that keep per-statement state
        // (FTS3's pending terms) drop this statement's.
        if undo_statement {
            crate::vtab::statement_rollback(&conn.vtabs.clone());
        }
        let mut result = Ok(());
        if undo_all || (undo_statement && savepoint_failed) {
            conn.rollback_all();
            conn.autocommit = true;
        } else if conn.autocommit && conn.module_nesting == 0 && (conn.active_vms == 1 || (self.wrote && conn.blob_writers == 0)) {
            // The last statement ends the transaction; a writer that
            // finishes beside running readers commits and leaves them
            // their read transaction.
            result = if conn.active_vms == 1 { conn.commit_all() } else { conn.commit_keeping_readers() };
            if let Err(e) = &result {
                // A commit that fails with BUSY keeps a statement that
                // wrote nothing (COMMIT) active so that a later step
                // retries it; one that wrote is rolled back, as in SQLite,
                // and may be run again from the start.
                if e.primary_code() == code::BUSY && error.is_none() && !self.wrote {
                    return result;
                }
                conn.rollback_all();
            }
        }
        self.active = false;
        conn.active_vms = conn.active_vms.saturating_sub(1);
        if self.prog.counts_changes {
            // As SQLite's halt: a statement undone by its error changed
            // nothing; OR FAIL keeps (and counts) its earlier changes.
            match &error {
                None if result.is_ok() => conn.changes = self.n_change,
                Some((_, OnError::Fail)) => conn.changes = self.n_change,
                Some(_) => conn.changes = 0,
                None => {}
            }
        }
        if matches!(&error, Some((_, o)) if *o != OnError::Fail) {
            conn.total_changes -= self.total_change;
        }
        self.total_change = 0;
        result
    }

    fn run(&mut self, conn: &mut Connection, params: &[Value]) -> Result<StepResult> {
        let prog = self.prog.clone();
        let ops = &prog.ops;
        let mut ticks: u32 = 0;
        let progress_every = conn.progress.as_ref().map(|(n, _)| *n).unwrap_or(0);
        self.enc = conn.enc;
        // Between two steps other statements and blob handles may have
        // written the rows the cursors sit on: decode them afresh.
        for c in self.cursors.iter_mut().flatten() {
            if let VCursor::Btree(b) = c {
                b.row_valid = false;
            }
        }
        // As SQLite's VDBE does on entry: an interrupt that came between two
        // steps stops the statement at the next step, however few
        // instructions that step would run.
        if conn.is_interrupted() {
            return Err(Error::code(code::INTERRUPT));
        }
        let counting = !self.op_counts.is_empty();
        loop {
            ticks = ticks.wrapping_add(1);
            self.ops_run += 1;
            if ticks % 256 == 0 && conn.is_interrupted() {
                return Err(Error::code(code::INTERRUPT));
            }
            if progress_every > 0 && ticks % progress_every == 0 && conn.progress_says_stop() {
                return Err(Error::code(code::INTERRUPT));
            }
            let op = ops.get(self.pc).ok_or_else(|| Error::with_message(code::INTERNAL, "program counter out of range"))?;
            if counting {
                if let Some(c) = self.op_counts.get_mut(self.pc) {
                    *c += 1;
                }
            }
            match op {
                Op::Init { target } | Op::Goto { target } => {
                    self.pc = *target;
                    continue;
                }
                Op::Halt { rc, msg, on_error } => {
                    if *rc != code::OK {
                        let e = match msg {
                            Some(m) => Error::with_message(*rc, m.clone()),
                            None => Error::code(*rc),
                        };
                        if *on_error == OnError::Ignore {
                            // RAISE(IGNORE) and OR IGNORE end quietly.
                            self.close_cursors();
                            self.finish(conn, None)?;
                            self.state = State::Halted;
                            return Ok(StepResult::Done);
                        }
                        self.halt_with_error(conn, e.clone(), *on_error);
                        return Err(e);
                    }
                    if let Some(r) = prog.change_count_reg {
                        // PRAGMA count_changes: one row with the count
                        // first; the next step halts.
                        if !self.count_row_done {
                            self.count_row_done = true;
                            self.regs[r] = Value::Integer(self.n_change);
                            self.row_start = r;
                            self.row_count = 1;
                            return Ok(StepResult::Row);
                        }
                    }
                    self.close_cursors();
                    self.finish(conn, None)?;
                    self.state = State::Halted;
                    return Ok(StepResult::Done);
                }
                Op::HaltWithMessage { rc, msg, on_error } => {
                    let text = String::from_utf8_lossy(&crate::vdbe::mem::text_of(self.regs[*msg].as_ref())).into_owned();
                    let e = Error::with_message(*rc, text);
                    self.halt_with_error(conn, e.clone(), *on_error);
                    return Err(e);
                }
                Op::HaltIfNull { reg, rc, msg, on_error } => {
                    if self.regs[*reg].is_null() {
                        let e = Error::with_message(*rc, msg.clone());
                        self.halt_with_error(conn, e.clone(), *on_error);
                        return Err(e);
                    }
                }
                Op::Transaction { db, write, schema_cookie } => {
                    conn.begin_transaction(*db, *write)?;
                    if *write {
                        self.wrote = true;
                        // Inside a transaction (or beside other running
                        // statements) a failing statement must be undone
                        // alone: open a statement savepoint, as SQLite
                        // opens a statement journal.
                        if (!conn.autocommit || conn.active_vms > 1) && !self.savepoints.iter().any(|(d, _)| d == db) {
                            let bt = conn.btree(*db)?;
                            let idx = bt.savepoint_count();
                            bt.open_savepoint(idx + 1)?;
                            self.savepoints.push((*db, idx));
                        }
                    }
                    if let Some(cookie) = schema_cookie {
                        if conn.schema_cookie(*db)? != *cookie {
                            return Err(Error::code(code::SCHEMA));
                        }
                    }
                    self.enc = conn.enc;
                }
                Op::AutoCommit { on, rollback, kind } => {
                    conn.set_autocommit(*on, *rollback, *kind, conn.active_vms)?;
                }
                Op::Savepoint { op, name } => {
                    conn.savepoint(*op, name)?;
                }
                Op::ResultRow { start, count } => {
                    self.row_start = *start;
                    self.row_count = *count;
                    self.pc += 1;
                    return Ok(StepResult::Row);
                }
                Op::Once { target } => {
                    if self.once[self.pc] {
                        self.pc = *target;
                        continue;
                    }
                    self.once[self.pc] = true;
                }
                Op::Gosub { ret, target } => {
                    self.regs[*ret] = Value::Integer(self.pc as i64);
                    self.pc = *target;
                    continue;
                }
                Op::Return { ret } => {
                    if let Value::Integer(a) = self.regs[*ret] {
                        self.pc = a as usize + 1;
                        continue;
                    }
                    return Err(Error::with_message(code::INTERNAL, "OP_Return without a return address"));
                }
                Op::Noop => {}
                Op::TotalChange => {
                    conn.total_changes += 1;
                    self.total_change += 1;
                }
                Op::PreUpdate { cursor, table, new } => {
                    self.exec_preupdate(*cursor, table, *new, conn)?;
                }
                Op::VOpen { .. } | Op::VFilter { .. } | Op::VInitIn { .. } | Op::VNext { .. } | Op::VColumn { .. } | Op::VRowid { .. } | Op::VCreate { .. } | Op::VDestroy { .. } | Op::VRename { .. } | Op::VBegin { .. } | Op::VUpdate { .. } | Op::VNoChange { .. } => {
                    if let Some(target) = self.exec_vtab(op, conn)? {
                        self.pc = target;
                        continue;
                    }
                }
                _ => {
                    if let Some(target) = self.exec_data(op, conn, params)? {
                        self.pc = target;
                        continue;
                    }
                }
            }
            self.pc += 1;
        }
    }
}
