//! Prepared statements: prepare, bind, step, column access, reset and
//! finalize.
//!
//! Pointer lifetimes follow SQLite: text and blob pointers returned by
//! sqlite3_column_* stay valid until the next step, reset or finalize of
//! the statement (they point into per-column buffers the statement owns);
//! column names and declared types live as long as the statement.

use std::ffi::{c_char, c_int, c_void, CStr};
use std::sync::Arc;

use ferrolite::vdbe::mem;
use ferrolite::vdbe::StepResult;
use ferrolite::Value;

use crate::db::{free_db, with_db};
use crate::handle::{cstring, sqlite3, sqlite3_stmt, ColumnCache, DbState, StmtState, MAGIC_STMT, MAGIC_ZOMBIE};
use crate::rc;

/// SQLITE_STATIC and SQLITE_TRANSIENT as destructor values.
pub type Destructor = Option<unsafe extern "C" fn(*mut c_void)>;
const TRANSIENT: isize = -1;

/// Runs `f` with the statement and its connection state, the mutex held.
///
/// # Safety
/// `stmt` is NULL or a live statement from sqlite3_prepare*.
pub unsafe fn with_stmt<R>(stmt: *mut sqlite3_stmt, misuse: R, f: impl FnOnce(&mut DbState, &mut StmtState) -> R) -> R {
    if stmt.is_null() {
        return misuse;
    }
    // SAFETY: the caller passes a statement handle; its magic is checked.
    let s = unsafe { &*stmt };
    if s.magic != MAGIC_STMT {
        return misuse;
    }
    // SAFETY: a live statement's connection outlives it (close refuses, or
    // leaves a zombie, while statements remain).
    unsafe {
        with_db(s.db, None, |db| match s.state.try_borrow_mut() {
            Ok(mut st) => Some(f(db, &mut st)),
            Err(_) => None,
        })
    }
    .unwrap_or(misuse)
}

/// The SQL text of a prepare call, as Rust text, and how many bytes of
/// the caller's buffer it covers.
unsafe fn sql_arg<'a>(z: *const c_char, n: c_int) -> (std::borrow::Cow<'a, str>, usize) {
    let bytes: &[u8] = if n < 0 {
        // SAFETY: with a negative length the SQL is NUL-terminated.
        unsafe { CStr::from_ptr(z) }.to_bytes()
    } else {
        // SAFETY: the caller promises `n` readable bytes; the SQL ends at
        // the first NUL within them.
        let b = unsafe { std::slice::from_raw_parts(z as *const u8, n as usize) };
        let end = b.iter().position(|&c| c == 0).unwrap_or(b.len());
        &b[..end]
    };
    // Valid UTF-8 (nearly always) is borrowed after the quick check.
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => std::borrow::Cow::Borrowed(t),
        Err(_) => String::from_utf8_lossy(bytes),
    };
    (text, bytes.len())
}

/// As SQLite, whose result column names and declared types are strings
/// that SQLITE_LIMIT_LENGTH applies to: a prepare that would describe a
/// column with a longer one fails with SQLITE_TOOBIG.
fn names_too_long(stmt: &ferrolite::connection::Statement, limit: c_int) -> bool {
    let limit = usize::try_from(limit).unwrap_or(0);
    let prog = stmt.program();
    prog.column_names.iter().any(|n| n.len() > limit)
        || prog.column_decltypes.iter().flatten().any(|d| d.len() > limit)
}

/// Prepares the first statement of `sql`: the result code, the byte
/// offset in `sql` where the next statement starts, and the statement
/// (NULL for empty input or on error). A missing collation is first
/// offered to the sqlite3_collation_needed callback, as SQLite does.
///
/// # Safety
/// `db` is NULL or a handle from sqlite3_open*.
pub(crate) unsafe fn prepare_text(db: *mut sqlite3, sql: &str) -> (c_int, usize, *mut sqlite3_stmt) {
    let len = sql.len();
    let mut asked: Vec<String> = Vec::new();
    loop {
        let mut tail_off = len;
        let mut out = std::ptr::null_mut();
        let mut missing: Option<(String, crate::utf16::CollNeeded, u8)> = None;
        // SAFETY: db is a handle from sqlite3_open*.
        let code = unsafe {
            with_db(db, rc::MISUSE, |st| {
                let Some(conn) = st.conn.as_mut() else { return rc::MISUSE };
                if len > st.limits[1] as usize {
                    return st.set_code(rc::TOOBIG, Some("statement too long"));
                }
                match conn.prepare(sql) {
                    Ok((None, tail)) => {
                        tail_off = tail.min(len);
                        st.clear_error();
                        rc::OK
                    }
                    Ok((Some(stmt), tail)) => {
                        tail_off = tail.min(len);
                        if names_too_long(&stmt, st.limits[0]) {
                            return st.set_code(rc::TOOBIG, None);
                        }
                        let sql_c = cstring(stmt.sql().as_bytes());
                        let mut state = StmtState {
                            stmt,
                            sql: sql_c,
                            expanded: None,
                            names: Vec::new(),
                            decltypes: Vec::new(),
                            cache: Vec::new(),
                            prog_id: 0,
                            has_row: false,
                            last_error: None,
                            param_names: Vec::new(),
                            started: None,
                            col_strings: Default::default(),
                            scan_strings: Vec::new(),
                            normalized: None,
                            counters: [0; 9],
                        };
                        describe_columns(&mut state);
                        let h = Box::new(sqlite3_stmt { magic: MAGIC_STMT, db, state: std::cell::RefCell::new(state) });
                        st.open_stmts += 1;
                        st.clear_error();
                        out = Box::into_raw(h);
                        st.stmts.push(out);
                        rc::OK
                    }
                    Err(e) => {
                        if let (Some(name), Some(cb)) = (e.message().strip_prefix("no such collation sequence: "), st.coll_needed) {
                            if !asked.iter().any(|a| a == name) {
                                missing = Some((name.to_string(), cb, conn.enc as u8));
                            }
                        }
                        let offset = conn.error_offset.and_then(|o| c_int::try_from(o).ok()).unwrap_or(-1);
                        let code = st.set_error(&e);
                        st.err_offset = offset;
                        code
                    }
                }
            })
        };
        match missing {
            Some((name, cb, enc)) => {
                // SAFETY: the application's callback, called with no
                // borrow of the connection held so that it can register
                // the collation.
                unsafe { cb.call(db, enc, &name) };
                asked.push(name);
            }
            None => return (code, tail_off, out),
        }
    }
}

unsafe fn prepare_impl(db: *mut sqlite3, z_sql: *const c_char, n_byte: c_int, pp_stmt: *mut *mut sqlite3_stmt, pz_tail: *mut *const c_char) -> c_int {
    if pp_stmt.is_null() {
        return rc::MISUSE;
    }
    // SAFETY: pp_stmt is non-NULL.
    unsafe { *pp_stmt = std::ptr::null_mut() };
    if z_sql.is_null() {
        return rc::MISUSE;
    }
    // SAFETY: z_sql is non-NULL and the caller's length contract holds.
    let (sql, _len) = unsafe { sql_arg(z_sql, n_byte) };
    // SAFETY: db is the caller's handle.
    let (code, tail_off, stmt) = unsafe { prepare_text(db, &sql) };
    // SAFETY: pp_stmt is non-NULL.
    unsafe { *pp_stmt = stmt };
    if !pz_tail.is_null() {
        // SAFETY: pz_tail is non-NULL; the tail points into the caller's
        // buffer, at most `len` bytes in.
        unsafe { *pz_tail = z_sql.add(tail_off) };
    }
    code
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_prepare_v2(db: *mut sqlite3, z_sql: *const c_char, n_byte: c_int, pp_stmt: *mut *mut sqlite3_stmt, pz_tail: *mut *const c_char) -> c_int {
    // SAFETY: forwarded with the caller's guarantees.
    guard!(rc::INTERNAL, { unsafe { prepare_impl(db, z_sql, n_byte, pp_stmt, pz_tail) } })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_prepare(db: *mut sqlite3, z_sql: *const c_char, n_byte: c_int, pp_stmt: *mut *mut sqlite3_stmt, pz_tail: *mut *const c_char) -> c_int {
    // SAFETY: forwarded.
    guard!(rc::INTERNAL, { unsafe { prepare_impl(db, z_sql, n_byte, pp_stmt, pz_tail) } })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_prepare_v3(db: *mut sqlite3, z_sql: *const c_char, n_byte: c_int, _flags: u32, pp_stmt: *mut *mut sqlite3_stmt, pz_tail: *mut *const c_char) -> c_int {
    // The prepare flags (PERSISTENT, NORMALIZE, NO_VTAB) are hints that do
    // not change results.
    // SAFETY: forwarded.
    guard!(rc::INTERNAL, { unsafe { prepare_impl(db, z_sql, n_byte, pp_stmt, pz_tail) } })
}

/// sqlite3_stmt_status counters StmtState::counters keeps.
pub(crate) const STMTSTATUS_SORT: usize = 2;
pub(crate) const STMTSTATUS_VM_STEP: usize = 4;
pub(crate) const STMTSTATUS_REPREPARE: usize = 5;
pub(crate) const STMTSTATUS_RUN: usize = 6;

fn clear_row(st: &mut StmtState) {
    st.has_row = false;
    for c in st.cache.iter_mut() {
        c.text = None;
        c.blob = None;
        c.text16 = None;
        c.value = None;
    }
}

/// Makes the C strings of the result column names and declared types of
/// the statement's current program.
pub(crate) fn describe_columns(st: &mut StmtState) {
    let prog = st.stmt.program().clone();
    st.names = prog.column_names.iter().map(|n| cstring(n.as_bytes())).collect();
    st.decltypes = prog.column_decltypes.iter().map(|d| d.as_ref().map(|d| cstring(d.as_bytes()))).collect();
    st.cache = (0..prog.column_names.len()).map(|_| ColumnCache::default()).collect();
    st.col_strings.clear();
    st.prog_id = Arc::as_ptr(&prog) as usize;
}

/// One step. The state is borrowed before and after the run, not during
/// it: the connection is out of its slot, in this call's hands (put back
/// even if the run unwinds).
unsafe fn step_locked(stmt: *mut sqlite3_stmt) -> c_int {
    /// Puts the connection back into its slot when the step ends, also
    /// if it unwinds.
    struct PutBack<'a> {
        db: &'a crate::handle::sqlite3,
        taken: Option<crate::handle::Taken>,
    }
    impl Drop for PutBack<'_> {
        fn drop(&mut self) {
            if let Some(t) = self.taken.take() {
                let g = self.db.lock.lock();
                let state = g.try_borrow_mut();
                if let Ok(mut st) = state {
                    st.conn.restore(t);
                }
            }
        }
    }
    if stmt.is_null() {
        return rc::MISUSE;
    }
    // SAFETY: the caller passes a statement handle; its magic is checked.
    let s = unsafe { &*stmt };
    if s.magic != MAGIC_STMT {
        return rc::MISUSE;
    }
    // SAFETY: a live statement's connection outlives it (close refuses, or
    // leaves a zombie, while statements remain).
    let h = unsafe { &*s.db };
    // The connection's mutex (reentrant) is held for the whole step, so no
    // other thread finds the connection out of its slot.
    let guard = h.lock.lock();
    // Before the run, under the state's borrow: clear the row, restart a
    // finished statement, and take the connection out of its slot.
    // SAFETY: stmt is a handle from sqlite3_prepare*.
    let before = unsafe {
        with_stmt(stmt, None, |db, st| {
            let conn = db.conn.as_mut()?;
            clear_row(st);
            if st.stmt.vm.is_halted() {
                // Stepping a finished statement starts it again.
                let _ = st.stmt.reset(conn);
                st.last_error = None;
            }
            let starting = !st.stmt.busy();
            let expired = st.stmt.is_expired(conn);
            let counts = (st.stmt.vm.ops_run, st.stmt.vm.sorts);
            Some((db.conn.take()?, starting, expired, counts))
        })
    };
    let Some((taken, starting, expired, (ops0, sorts0))) = before else { return rc::MISUSE };
    // The run: the state not borrowed, so that an application function
    // the statement calls may use the connection (it is lent back to it,
    // see udf.rs).
    let mut put = PutBack { db: h, taken: Some(taken) };
    let r = {
        let Ok(mut st) = s.state.try_borrow_mut() else { return rc::MISUSE };
        let Some(t) = put.taken.as_mut() else { return rc::MISUSE };
        st.stmt.step(t.conn())
    };
    drop(put);
    // After: the counters and the connection's error state.
    // SAFETY: as above.
    let code = unsafe {
        with_stmt(stmt, rc::MISUSE, |db, st| {
            let recompiled = Arc::as_ptr(st.stmt.program()) as usize != st.prog_id;
            if recompiled {
                describe_columns(st);
                st.counters[STMTSTATUS_REPREPARE] += 1;
            }
            // A recompiled statement runs a new program whose counts
            // start from zero.
            let (ops0, sorts0) = if recompiled { (0, 0) } else { (ops0, sorts0) };
            st.counters[STMTSTATUS_VM_STEP] += st.stmt.vm.ops_run.saturating_sub(ops0);
            st.counters[STMTSTATUS_SORT] += st.stmt.vm.sorts.saturating_sub(sorts0);
            if starting && st.stmt.vm.ops_run > 0 {
                st.counters[STMTSTATUS_RUN] += 1;
                // A schema change is found by the old program once it has
                // started (SQLITE_SCHEMA), which SQLite counts as a run too;
                // an expired statement is recompiled before it starts.
                if recompiled && !expired {
                    st.counters[STMTSTATUS_RUN] += 1;
                }
            }
            match r {
                // As SQLite, sqlite3_errcode then says SQLITE_ROW / SQLITE_DONE
                // (and sqlite3_errmsg "another row available" / "no more rows
                // available") until the next call that sets it.
                Ok(StepResult::Row) => {
                    st.has_row = true;
                    db.set_code(rc::ROW, None)
                }
                Ok(StepResult::Done) => db.set_code(rc::DONE, None),
                Err(e) => {
                    let code = db.set_error(&e);
                    st.last_error = Some(e);
                    code
                }
            }
        })
    };
    drop(guard);
    code
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_step(stmt: *mut sqlite3_stmt) -> c_int {
    guard!(rc::INTERNAL, {
        // Tracing: learn, under the lock, whether this step starts the
        // statement; call the callbacks with the lock's borrow released.
        // SAFETY: stmt is a handle from sqlite3_prepare*.
        let traced = unsafe {
            with_stmt(stmt, None, |db, st| {
                let starting = !st.stmt.busy();
                if starting {
                    st.started = Some(std::time::Instant::now());
                }
                db.trace.map(|t| (t, starting, st.sql.as_ptr()))
            })
        };
        if let Some((t, true, sql)) = traced {
            // SAFETY: TRACE_STMT passes the statement and its SQL text.
            unsafe { t.fire(crate::handle::TRACE_STMT, stmt as *mut c_void, sql as *mut c_void) };
        }
        // SAFETY: as above.
        let code = unsafe { step_locked(stmt) };
        // SAFETY: as above; the application's WAL hook, once the
        // statement is done.
        let code = if code == rc::DONE { unsafe { crate::wal::call_wal_hook(stmt) } } else { code };
        // sqlite3_profile: when the statement stops (done or error).
        if code != rc::ROW {
            // SAFETY: as above.
            let profiling = unsafe { with_stmt(stmt, false, |db, _| matches!(db.profile, Some((_, _, true)))) };
            if profiling {
                // SAFETY: as above; takes the start time, so trace_v2's
                // PROFILE event is left out when both are asked for.
                let started = unsafe { with_stmt(stmt, None, |_, st| st.started) };
                unsafe { crate::legacy::profile_on_stop(stmt) };
                if traced.is_some() {
                    // SAFETY: as above: trace_v2 still wants its start.
                    unsafe { with_stmt(stmt, (), |_, st| st.started = started) };
                }
            }
        }
        if let Some((t, _, _)) = traced {
            if code == rc::ROW {
                // SAFETY: TRACE_ROW passes the statement.
                unsafe { t.fire(crate::handle::TRACE_ROW, stmt as *mut c_void, std::ptr::null_mut()) };
            } else if t.mask & crate::handle::TRACE_PROFILE != 0 {
                // SAFETY: as above; only the start time is read.
                let started = unsafe { with_stmt(stmt, None, |_, st| st.started.take()) };
                if let Some(s) = started {
                    let mut nanos: i64 = s.elapsed().as_nanos().min(i64::MAX as u128) as i64;
                    // SAFETY: TRACE_PROFILE passes the statement and a
                    // pointer to the elapsed nanoseconds.
                    unsafe { t.fire(crate::handle::TRACE_PROFILE, stmt as *mut c_void, &mut nanos as *mut i64 as *mut c_void) };
                }
            }
        }
        code
    })
}

/// Whether the statement was stepped since it was prepared or last reset.
/// As SQLite, resetting or finalizing one that was not leaves the
/// connection's error (a failed bind's SQLITE_TOOBIG, say) as it is.
fn ran_since_reset(st: &crate::handle::StmtState) -> bool {
    st.stmt.vm.is_running() || st.stmt.vm.is_halted()
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_reset(stmt: *mut sqlite3_stmt) -> c_int {
    if stmt.is_null() {
        return rc::OK;
    }
    // SAFETY: handle from sqlite3_prepare*.
    guard!(rc::INTERNAL, {
        unsafe { crate::legacy::profile_on_stop(stmt) };
        unsafe {
            with_stmt(stmt, rc::MISUSE, |db, st| {
                let Some(conn) = db.conn.as_mut() else { return rc::MISUSE };
                clear_row(st);
                let ran = ran_since_reset(st);
                let r = st.stmt.reset(conn);
                match (st.last_error.take(), r) {
                    (Some(e), _) | (None, Err(e)) => db.set_error(&e),
                    (None, Ok(())) => {
                        if ran {
                            db.clear_error();
                        }
                        rc::OK
                    }
                }
            })
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_finalize(stmt: *mut sqlite3_stmt) -> c_int {
    if stmt.is_null() {
        return rc::OK;
    }
    guard!(rc::INTERNAL, {
        // SAFETY: handle from sqlite3_prepare*.
        unsafe { crate::legacy::profile_on_stop(stmt) };
        // SAFETY: handle from sqlite3_prepare*.
        let code = unsafe {
            with_stmt(stmt, rc::MISUSE, |db, st| {
                let Some(conn) = db.conn.as_mut() else { return rc::MISUSE };
                let ran = ran_since_reset(st);
                let r = st.stmt.reset(conn);
                db.open_stmts = db.open_stmts.saturating_sub(1);
                db.stmts.retain(|&p| p != stmt);
                if let Some(p) = st.expanded.take() {
                    crate::memory::release(p as *mut c_void);
                }
                match (st.last_error.take(), r) {
                    (Some(e), _) | (None, Err(e)) => db.set_error(&e),
                    (None, Ok(())) => {
                        if ran {
                            db.clear_error();
                        }
                        rc::OK
                    }
                }
            })
        };
        if code == rc::MISUSE {
            return rc::MISUSE;
        }
        // SAFETY: the statement is live (checked by with_stmt) and is
        // being destroyed; nothing refers to it after this call.
        let boxed = unsafe { Box::from_raw(stmt) };
        let db = boxed.db;
        drop(boxed);
        // A zombie connection goes away with its last statement.
        // SAFETY: db is the statement's live connection.
        let free = unsafe { &*db }.magic.load(std::sync::atomic::Ordering::Acquire) == MAGIC_ZOMBIE
            && unsafe { with_db(db, false, |st| st.open_stmts == 0) };
        if free {
            // SAFETY: a zombie with no statements left is referenced by
            // nothing.
            unsafe { free_db(db) };
        }
        code
    })
}

/// Binds `v` to parameter `i`, reporting errors on the connection.
pub(crate) unsafe fn bind(stmt: *mut sqlite3_stmt, i: c_int, v: Value) -> c_int {
    // SAFETY: handle from sqlite3_prepare*.
    unsafe {
        with_stmt(stmt, rc::MISUSE, |db, st| {
            if (v_len(&v) as i64) > i64::from(db.limits[0]) {
                return db.set_code(rc::TOOBIG, None);
            }
            match st.stmt.bind(i.max(0) as usize, v) {
                Ok(()) => rc::OK,
                Err(e) => db.set_error(&e),
            }
        })
    }
}

fn v_len(v: &Value) -> usize {
    match v {
        Value::Text(t) | Value::Blob(t) => t.len(),
        _ => 0,
    }
}

/// Copies caller bytes, then disposes of them as the destructor asks.
pub(crate) unsafe fn take_bytes(p: *const c_void, n: usize, del: Destructor) -> Vec<u8> {
    // SAFETY: the caller promises `n` readable bytes at `p`.
    let v = unsafe { std::slice::from_raw_parts(p as *const u8, n) }.to_vec();
    unsafe { dispose(p, del) };
    v
}

/// Calls a bind/result destructor unless it is SQLITE_STATIC or
/// SQLITE_TRANSIENT.
pub unsafe fn dispose(p: *const c_void, del: Destructor) {
    if let Some(f) = del {
        if f as usize as isize != TRANSIENT && !p.is_null() {
            // SAFETY: the application's destructor for its own pointer.
            unsafe { f(p as *mut c_void) };
        }
    }
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_bind_null(stmt: *mut sqlite3_stmt, i: c_int) -> c_int {
    // SAFETY: forwarded.
    guard!(rc::INTERNAL, { unsafe { bind(stmt, i, Value::Null) } })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_bind_int(stmt: *mut sqlite3_stmt, i: c_int, v: c_int) -> c_int {
    // SAFETY: forwarded.
    guard!(rc::INTERNAL, { unsafe { bind(stmt, i, Value::Integer(i64::from(v))) } })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_bind_int64(stmt: *mut sqlite3_stmt, i: c_int, v: crate::sqlite3_int64) -> c_int {
    // SAFETY: forwarded.
    guard!(rc::INTERNAL, { unsafe { bind(stmt, i, Value::Integer(v)) } })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_bind_double(stmt: *mut sqlite3_stmt, i: c_int, v: f64) -> c_int {
    // A NaN binds as NULL, as in SQLite.
    let v = if v.is_nan() { Value::Null } else { Value::Real(v) };
    // SAFETY: forwarded.
    guard!(rc::INTERNAL, { unsafe { bind(stmt, i, v) } })
}

pub(crate) unsafe fn bind_bytes(stmt: *mut sqlite3_stmt, i: c_int, p: *const c_void, n: i64, del: Destructor, text: bool) -> c_int {
    if p.is_null() {
        // SAFETY: forwarded.
        return unsafe { bind(stmt, i, Value::Null) };
    }
    let len = if n < 0 {
        if !text {
            unsafe { dispose(p, del) };
            return rc::MISUSE;
        }
        // SAFETY: a text with negative length is NUL-terminated.
        unsafe { CStr::from_ptr(p as *const c_char) }.to_bytes().len()
    } else {
        n as usize
    };
    // SAFETY: `len` readable bytes at p (established above).
    let bytes = unsafe { take_bytes(p, len, del) };
    let v = if text { Value::Text(bytes) } else { Value::Blob(bytes) };
    // SAFETY: forwarded.
    unsafe { bind(stmt, i, v) }
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_bind_text(stmt: *mut sqlite3_stmt, i: c_int, p: *const c_char, n: c_int, del: Destructor) -> c_int {
    // SAFETY: forwarded.
    guard!(rc::INTERNAL, { unsafe { bind_bytes(stmt, i, p as *const c_void, i64::from(n), del, true) } })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_bind_blob(stmt: *mut sqlite3_stmt, i: c_int, p: *const c_void, n: c_int, del: Destructor) -> c_int {
    // SAFETY: forwarded.
    guard!(rc::INTERNAL, { unsafe { bind_bytes(stmt, i, p, i64::from(n), del, false) } })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_bind_blob64(stmt: *mut sqlite3_stmt, i: c_int, p: *const c_void, n: crate::sqlite3_uint64, del: Destructor) -> c_int {
    if n > i64::MAX as u64 {
        return rc::TOOBIG;
    }
    // SAFETY: forwarded.
    guard!(rc::INTERNAL, { unsafe { bind_bytes(stmt, i, p, n as i64, del, false) } })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_bind_zeroblob(stmt: *mut sqlite3_stmt, i: c_int, n: c_int) -> c_int {
    // SAFETY: forwarded.
    guard!(rc::INTERNAL, { unsafe { bind(stmt, i, Value::Blob(vec![0; n.max(0) as usize])) } })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_bind_parameter_count(stmt: *mut sqlite3_stmt) -> c_int {
    // SAFETY: handle from sqlite3_prepare*.
    guard!(0, { unsafe { with_stmt(stmt, 0, |_, st| st.stmt.parameter_count() as c_int) } })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_bind_parameter_name(stmt: *mut sqlite3_stmt, i: c_int) -> *const c_char {
    // SAFETY: handle from sqlite3_prepare*. Names live as long as the
    // statement.
    guard!(std::ptr::null(), {
        unsafe {
            with_stmt(stmt, std::ptr::null(), |_, st| {
                if st.param_names.is_empty() {
                    let n = st.stmt.parameter_count();
                    st.param_names = (1..=n).map(|k| st.stmt.parameter_name(k).map(|s| cstring(s.as_bytes()))).collect();
                }
                match st.param_names.get((i as usize).wrapping_sub(1)) {
                    Some(Some(c)) => c.as_ptr(),
                    _ => std::ptr::null(),
                }
            })
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_bind_parameter_index(stmt: *mut sqlite3_stmt, name: *const c_char) -> c_int {
    if name.is_null() {
        return 0;
    }
    // SAFETY: handle from sqlite3_prepare*; name is a C string.
    guard!(0, {
        let n = unsafe { CStr::from_ptr(name) }.to_string_lossy().into_owned();
        unsafe { with_stmt(stmt, 0, |_, st| st.stmt.parameter_index(&n).unwrap_or(0) as c_int) }
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_clear_bindings(stmt: *mut sqlite3_stmt) -> c_int {
    // SAFETY: handle from sqlite3_prepare*.
    guard!(rc::INTERNAL, {
        unsafe {
            with_stmt(stmt, rc::MISUSE, |_, st| {
                st.stmt.clear_bindings();
                rc::OK
            })
        }
    })
}

/// Runs `f` on column `i` of the current row; `default` when there is no
/// row or no such column.
pub(crate) unsafe fn with_column<R>(stmt: *mut sqlite3_stmt, i: c_int, default: R, f: impl FnOnce(&mut ColumnCache, &Value) -> R) -> R {
    // SAFETY: handle from sqlite3_prepare*.
    unsafe {
        with_stmt(stmt, None, |db, st| {
            if !st.has_row || i < 0 || i as usize >= st.stmt.row().len() {
                db.set_code(rc::RANGE, None);
                return None;
            }
            let i = i as usize;
            let v = &st.stmt.row()[i];
            let cache = &mut st.cache[i];
            Some(f(cache, v))
        })
    }
    .unwrap_or(default)
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_column_count(stmt: *mut sqlite3_stmt) -> c_int {
    // SAFETY: handle from sqlite3_prepare*.
    guard!(0, { unsafe { with_stmt(stmt, 0, |_, st| st.stmt.column_count() as c_int) } })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_data_count(stmt: *mut sqlite3_stmt) -> c_int {
    // SAFETY: handle from sqlite3_prepare*.
    guard!(0, { unsafe { with_stmt(stmt, 0, |_, st| if st.has_row { st.stmt.row().len() as c_int } else { 0 }) } })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_column_type(stmt: *mut sqlite3_stmt, i: c_int) -> c_int {
    // SAFETY: forwarded.
    guard!(5, { unsafe { with_column(stmt, i, 5, |_, v| v.value_type() as c_int) } })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_column_int64(stmt: *mut sqlite3_stmt, i: c_int) -> crate::sqlite3_int64 {
    // SAFETY: forwarded.
    guard!(0, { unsafe { with_column(stmt, i, 0, |_, v| mem::to_integer(v.as_ref())) } })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_column_int(stmt: *mut sqlite3_stmt, i: c_int) -> c_int {
    // SAFETY: forwarded. SQLite truncates to the low 32 bits.
    guard!(0, { unsafe { with_column(stmt, i, 0, |_, v| mem::to_integer(v.as_ref()) as c_int) } })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_column_double(stmt: *mut sqlite3_stmt, i: c_int) -> f64 {
    // SAFETY: forwarded.
    guard!(0.0, { unsafe { with_column(stmt, i, 0.0, |_, v| mem::to_real(v.as_ref())) } })
}

/// The text form of a value, NUL-terminated, kept in the column cache.
pub(crate) fn text_ptr(cache: &mut ColumnCache, v: &Value) -> *const u8 {
    if v.is_null() {
        return std::ptr::null();
    }
    let t = cache.text.get_or_insert_with(|| {
        let mut t = mem::text_of(v.as_ref()).into_owned();
        t.push(0);
        t
    });
    t.as_ptr()
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_column_text(stmt: *mut sqlite3_stmt, i: c_int) -> *const u8 {
    // SAFETY: forwarded.
    guard!(std::ptr::null(), { unsafe { with_column(stmt, i, std::ptr::null(), text_ptr) } })
}

pub(crate) fn blob_ptr(cache: &mut ColumnCache, v: &Value) -> *const c_void {
    match v {
        Value::Null => std::ptr::null(),
        Value::Blob(b) if b.is_empty() => std::ptr::null(),
        Value::Blob(b) => b.as_ptr() as *const c_void,
        Value::Text(t) if t.is_empty() => std::ptr::null(),
        Value::Text(t) => t.as_ptr() as *const c_void,
        other => {
            let b = cache.blob.get_or_insert_with(|| mem::blob_of(other.as_ref()).into_owned());
            if b.is_empty() {
                std::ptr::null()
            } else {
                b.as_ptr() as *const c_void
            }
        }
    }
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_column_blob(stmt: *mut sqlite3_stmt, i: c_int) -> *const c_void {
    // SAFETY: forwarded.
    guard!(std::ptr::null(), { unsafe { with_column(stmt, i, std::ptr::null(), blob_ptr) } })
}

pub(crate) fn value_bytes(v: &Value) -> c_int {
    match v {
        Value::Null => 0,
        Value::Text(t) | Value::Blob(t) => t.len() as c_int,
        other => mem::text_of(other.as_ref()).len() as c_int,
    }
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_column_bytes(stmt: *mut sqlite3_stmt, i: c_int) -> c_int {
    // SAFETY: forwarded.
    guard!(0, { unsafe { with_column(stmt, i, 0, |_, v| value_bytes(v)) } })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_column_name(stmt: *mut sqlite3_stmt, i: c_int) -> *const c_char {
    // SAFETY: handle from sqlite3_prepare*; names live with the statement.
    guard!(std::ptr::null(), { unsafe { with_stmt(stmt, std::ptr::null(), |_, st| st.names.get(i.max(0) as usize).filter(|_| i >= 0).map(|c| c.as_ptr()).unwrap_or(std::ptr::null())) } })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_column_decltype(stmt: *mut sqlite3_stmt, i: c_int) -> *const c_char {
    // SAFETY: handle from sqlite3_prepare*; types live with the statement.
    guard!(std::ptr::null(), {
        unsafe {
            with_stmt(stmt, std::ptr::null(), |_, st| match st.decltypes.get(i.max(0) as usize).filter(|_| i >= 0) {
                Some(Some(c)) => c.as_ptr(),
                _ => std::ptr::null(),
            })
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_sql(stmt: *mut sqlite3_stmt) -> *const c_char {
    // SAFETY: handle from sqlite3_prepare*.
    guard!(std::ptr::null(), { unsafe { with_stmt(stmt, std::ptr::null(), |_, st| st.sql.as_ptr()) } })
}

/// A value as an SQL literal, for expanded_sql.
fn literal(v: &Value) -> String {
    match v {
        Value::Null | Value::Pointer(_) => "NULL".to_string(),
        Value::Integer(i) => i.to_string(),
        Value::Real(_) => String::from_utf8_lossy(&mem::text_of(v.as_ref())).into_owned(),
        Value::Text(t) => format!("'{}'", String::from_utf8_lossy(t).replace('\'', "''")),
        Value::Blob(b) => {
            let mut s = String::from("x'");
            for byte in b {
                s.push_str(&format!("{byte:02x}"));
            }
            s.push('\'');
            s
        }
    }
}

/// The statement's SQL with each host parameter replaced by its bound
/// value, numbering parameters as the parser does.
fn expand(sql: &str, st: &StmtState, params: &[Value]) -> String {
    let b = sql.as_bytes();
    let mut out = String::with_capacity(sql.len());
    let mut i = 0;
    let mut max_index = 0usize;
    let mut seg = 0;
    while i < b.len() {
        let c = b[i];
        match c {
            b'\'' | b'"' | b'`' | b'[' => {
                let close = if c == b'[' { b']' } else { c };
                i += 1;
                while i < b.len() && b[i] != close {
                    i += 1;
                }
                i += 1;
            }
            b'-' if b.get(i + 1) == Some(&b'-') => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                i += 2;
                while i + 1 < b.len() && !(b[i] == b'*' && b[i + 1] == b'/') {
                    i += 1;
                }
                i += 2;
            }
            b'?' | b':' | b'@' | b'$' => {
                let start = i;
                i += 1;
                while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_' || b[i] >= 0x80) {
                    i += 1;
                }
                let name = &sql[start..i.min(sql.len())];
                let index = if c == b'?' {
                    if name.len() == 1 {
                        max_index + 1
                    } else {
                        name[1..].parse().unwrap_or(0)
                    }
                } else if name.len() > 1 {
                    st.stmt.parameter_index(name).unwrap_or(0)
                } else {
                    continue;
                };
                max_index = max_index.max(index);
                if let Some(v) = index.checked_sub(1).and_then(|k| params.get(k)) {
                    out.push_str(&sql[seg..start]);
                    out.push_str(&literal(v));
                    seg = i.min(sql.len());
                }
                continue;
            }
            _ => i += 1,
        }
    }
    out.push_str(&sql[seg.min(sql.len())..]);
    out
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_expanded_sql(stmt: *mut sqlite3_stmt) -> *mut c_char {
    // SAFETY: handle from sqlite3_prepare*. The result is the caller's to
    // sqlite3_free.
    guard!(std::ptr::null_mut(), {
        unsafe {
            with_stmt(stmt, std::ptr::null_mut(), |db, st| {
                let sql = st.stmt.sql().to_string();
                let params = st.stmt.params().to_vec();
                let text = expand(&sql, st, &params);
                // Longer than SQLITE_LIMIT_LENGTH: NULL, as SQLite (it runs
                // out of string room; trace_v2 then reports the plain SQL).
                if text.len() as i64 > i64::from(db.limits[0]) {
                    return std::ptr::null_mut();
                }
                crate::memory::alloc_cstring(text.as_bytes())
            })
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_stmt_readonly(stmt: *mut sqlite3_stmt) -> c_int {
    // SAFETY: handle from sqlite3_prepare*.
    guard!(0, { unsafe { with_stmt(stmt, 1, |_, st| i32::from(st.stmt.readonly())) } })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_stmt_busy(stmt: *mut sqlite3_stmt) -> c_int {
    // SAFETY: handle from sqlite3_prepare*.
    guard!(0, { unsafe { with_stmt(stmt, 0, |_, st| i32::from(st.stmt.busy())) } })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_db_handle(stmt: *mut sqlite3_stmt) -> *mut sqlite3 {
    if stmt.is_null() {
        return std::ptr::null_mut();
    }
    // SAFETY: handle from sqlite3_prepare*.
    guard!(std::ptr::null_mut(), { unsafe { &*stmt }.db })
}


/// SQLITE_STMTSTATUS_*: SORT, VM_STEP (instructions of Ferrolite's own
/// programs, so not SQLite's numbers), REPREPARE and RUN are counted;
/// FULLSCAN_STEP, AUTOINDEX and the Bloom-filter counters stay 0 (not
/// tracked yet); MEMUSED is an estimate of the program's size.
#[no_mangle]
pub unsafe extern "C" fn sqlite3_stmt_status(stmt: *mut sqlite3_stmt, op: c_int, reset: c_int) -> c_int {
    // SAFETY: handle from sqlite3_prepare*.
    guard!(0, {
        unsafe {
            with_stmt(stmt, 0, |_, st| {
                if op == 99 {
                    let prog = st.stmt.program();
                    let bytes = prog.ops.len() * std::mem::size_of::<ferrolite::vdbe::Op>() + prog.n_reg * std::mem::size_of::<Value>() + st.sql.as_bytes().len();
                    return bytes.min(c_int::MAX as usize) as c_int;
                }
                let Some(slot) = usize::try_from(op).ok().filter(|&i| (1..=8).contains(&i)) else { return 0 };
                let v = st.counters[slot];
                if reset != 0 {
                    st.counters[slot] = 0;
                }
                v.min(c_int::MAX as u64) as c_int
            })
        }
    })
}
