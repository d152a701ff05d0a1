//! What an application can ask about its statements and connections:
//! column origins (column_database_name / table_name / origin_name),
//! table_column_metadata, next_stmt, db_filename, db_name, txn_state,
//! stmt_isexplain / stmt_explain, transfer_bindings, expired and
//! normalized_sql (`ferrolite::parse::normalize`, made once per statement).
//!
//! Strings returned for a connection (database names, file names, column
//! metadata) are kept in its `NameCache` and live as long as the
//! connection, which covers SQLite's promise (until the schema changes or
//! the database is detached). File names are laid out as SQLite lays them
//! out (`filename.rs`), so they can be passed to sqlite3_uri_parameter and
//! sqlite3_filename_journal.

use std::ffi::{c_char, c_int, CStr, CString};

use ferrolite::parse::ast::ExplainKind;

use crate::db::with_db;
use crate::handle::{sqlite3, sqlite3_stmt};
use crate::rc;
use crate::stmt::with_stmt;
use crate::utf16::{column_string, COL_DATABASE, COL_ORIGIN, COL_TABLE};

/// Strings a connection has handed out, each kept once.
#[derive(Default)]
pub struct NameCache {
    strings: Vec<CString>,
    /// File-name blocks (see filename.rs): the pointer handed out is 4
    /// bytes into the block.
    blocks: Vec<Box<[u8]>>,
}

impl NameCache {
    /// A stable C string equal to `s`.
    pub fn intern(&mut self, s: &str) -> *const c_char {
        if let Some(c) = self.strings.iter().find(|c| c.as_bytes() == s.as_bytes()) {
            return c.as_ptr();
        }
        self.strings.push(crate::handle::cstring(s.as_bytes()));
        self.strings.last().map(|c| c.as_ptr()).unwrap_or(std::ptr::null())
    }

    /// A stable copy of file-name block `b`, pointing at its database name.
    pub fn block(&mut self, b: Vec<u8>) -> *const c_char {
        if let Some(x) = self.blocks.iter().find(|x| x[..] == b[..]) {
            return x[4..].as_ptr() as *const c_char;
        }
        self.blocks.push(b.into_boxed_slice());
        self.blocks.last().map(|x| x[4..].as_ptr() as *const c_char).unwrap_or(std::ptr::null())
    }
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_column_database_name(stmt: *mut sqlite3_stmt, i: c_int) -> *const c_char {
    // SAFETY: forwarded.
    guard!(std::ptr::null(), { unsafe { column_string(stmt, i, COL_DATABASE, false) as *const c_char } })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_column_table_name(stmt: *mut sqlite3_stmt, i: c_int) -> *const c_char {
    // SAFETY: forwarded.
    guard!(std::ptr::null(), { unsafe { column_string(stmt, i, COL_TABLE, false) as *const c_char } })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_column_origin_name(stmt: *mut sqlite3_stmt, i: c_int) -> *const c_char {
    // SAFETY: forwarded.
    guard!(std::ptr::null(), { unsafe { column_string(stmt, i, COL_ORIGIN, false) as *const c_char } })
}

/// A C string argument as Rust text (None for NULL).
///
/// # Safety
/// `p` is NULL or a NUL-terminated string.
pub(crate) unsafe fn opt_str(p: *const c_char) -> Option<String> {
    if p.is_null() {
        None
    } else {
        // SAFETY: the caller's contract.
        Some(unsafe { CStr::from_ptr(p) }.to_string_lossy().into_owned())
    }
}

/// Writes `v` through an optional output pointer.
///
/// # Safety
/// `p` is NULL or points to room for a `T`.
unsafe fn put<T>(p: *mut T, v: T) {
    if !p.is_null() {
        // SAFETY: the caller's contract.
        unsafe { p.write(v) };
    }
}

#[no_mangle]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn sqlite3_table_column_metadata(
    db: *mut sqlite3,
    z_db: *const c_char,
    z_table: *const c_char,
    z_column: *const c_char,
    pz_type: *mut *const c_char,
    pz_coll: *mut *const c_char,
    p_not_null: *mut c_int,
    p_primary_key: *mut c_int,
    p_autoinc: *mut c_int,
) -> c_int {
    guard!(rc::INTERNAL, {
        // SAFETY: C strings or NULL.
        let (schema, table, column) = unsafe { (opt_str(z_db), opt_str(z_table), opt_str(z_column)) };
        let Some(table) = table else { return rc::MISUSE };
        let mut out: (*const c_char, *const c_char, c_int, c_int, c_int) = (std::ptr::null(), std::ptr::null(), 0, 0, 0);
        // SAFETY: db is the caller's handle.
        let code = unsafe {
            with_db(db, rc::MISUSE, |st| {
                let Some(conn) = st.conn.as_mut() else { return rc::MISUSE };
                let schemas = match conn.schemas_for_prepare() {
                    Ok(s) => s,
                    Err(e) => return st.set_error(&e),
                };
                let found = schemas.find_table(schema.as_deref(), &table).filter(|t| t.view.is_none());
                let mut ok = false;
                if let Some(t) = found {
                    // (declared type, collation, not null, primary key, autoincrement)
                    let info: Option<(Option<String>, Option<String>, bool, bool, bool)> = match &column {
                        None => Some((Some("INTEGER".into()), None, false, true, false)),
                        Some(c) => match t.columns.iter().position(|col| col.name.eq_ignore_ascii_case(c)) {
                            Some(i) => {
                                let col = &t.columns[i];
                                Some((col.decl_type.clone(), col.collation.clone(), col.not_null, col.pk > 0, t.rowid_alias == Some(i) && t.autoincrement))
                            }
                            None if !t.without_rowid && ["rowid", "oid", "_rowid_"].iter().any(|r| r.eq_ignore_ascii_case(c)) => match t.rowid_alias {
                                Some(i) => {
                                    let col = &t.columns[i];
                                    Some((col.decl_type.clone(), col.collation.clone(), col.not_null, col.pk > 0, t.autoincrement))
                                }
                                None => Some((Some("INTEGER".into()), None, false, true, false)),
                            },
                            None => None,
                        },
                    };
                    if let Some((ty, coll, nn, pk, ai)) = info {
                        ok = true;
                        let ty = ty.map(|t| st.names.intern(&t)).unwrap_or(std::ptr::null());
                        let coll = st.names.intern(coll.as_deref().unwrap_or("BINARY"));
                        out = (ty, coll, c_int::from(nn), c_int::from(pk), c_int::from(ai));
                    }
                }
                if ok {
                    st.clear_error();
                    rc::OK
                } else {
                    let msg = format!("no such table column: {}.{}", table, column.as_deref().unwrap_or(""));
                    st.set_code(rc::ERROR, Some(&msg))
                }
            })
        };
        // SAFETY: optional output pointers, as documented.
        unsafe {
            put(pz_type, out.0);
            put(pz_coll, out.1);
            put(p_not_null, out.2);
            put(p_primary_key, out.3);
            put(p_autoinc, out.4);
        }
        code
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_next_stmt(db: *mut sqlite3, stmt: *mut sqlite3_stmt) -> *mut sqlite3_stmt {
    // SAFETY: db is the caller's handle; statements are listed newest
    // first, as SQLite keeps them.
    guard!(std::ptr::null_mut(), {
        unsafe {
            with_db(db, std::ptr::null_mut(), |st| {
                let at = if stmt.is_null() { Some(st.stmts.len()) } else { st.stmts.iter().position(|&p| p == stmt) };
                match at {
                    Some(k) if k > 0 => st.stmts[k - 1],
                    _ => std::ptr::null_mut(),
                }
            })
        }
    })
}

/// The index of database `name` (NULL: main), or None.
fn db_index(conn: &ferrolite::connection::Connection, name: Option<&str>) -> Option<usize> {
    let name = name.unwrap_or("main");
    conn.dbs.iter().position(|d| d.name.eq_ignore_ascii_case(name))
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_db_filename(db: *mut sqlite3, name: *const c_char) -> *const c_char {
    guard!(std::ptr::null(), {
        // SAFETY: NULL or a C string.
        let name = unsafe { opt_str(name) };
        // SAFETY: db is the caller's handle.
        unsafe {
            with_db(db, std::ptr::null(), |st| {
                let Some(conn) = st.conn.as_ref() else { return std::ptr::null() };
                let Some(i) = db_index(conn, name.as_deref()) else { return std::ptr::null() };
                // SQLite opens the temp database on first use; before that
                // it has no file name at all.
                if i == 1 && !conn.dbs[i].used {
                    return std::ptr::null();
                }
                let bt = &conn.dbs[i].btree;
                let (path, params) = if bt.is_memory() || bt.filename().is_empty() || bt.filename() == ":memory:" {
                    (String::new(), Vec::new())
                } else {
                    let params = if i == 0 { crate::filename::uri_params(&st.open_name) } else { Vec::new() };
                    (crate::filename::full_path(bt.filename()), params)
                };
                let (journal, wal) = if path.is_empty() { (String::new(), String::new()) } else { (format!("{path}-journal"), format!("{path}-wal")) };
                let block = crate::filename::make_block(&path, &params, &journal, &wal);
                st.names.block(block)
            })
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_db_name(db: *mut sqlite3, n: c_int) -> *const c_char {
    // SAFETY: db is the caller's handle.
    guard!(std::ptr::null(), {
        unsafe {
            with_db(db, std::ptr::null(), |st| {
                let Some(conn) = st.conn.as_ref() else { return std::ptr::null() };
                match usize::try_from(n).ok().and_then(|n| conn.dbs.get(n)) {
                    Some(d) => {
                        let name = d.name.clone();
                        st.names.intern(&name)
                    }
                    None => std::ptr::null(),
                }
            })
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_txn_state(db: *mut sqlite3, schema: *const c_char) -> c_int {
    guard!(-1, {
        // SAFETY: NULL or a C string.
        let schema = unsafe { opt_str(schema) };
        // SAFETY: db is the caller's handle.
        unsafe {
            with_db(db, -1, |st| {
                let Some(conn) = st.conn.as_ref() else { return -1 };
                let range = match &schema {
                    Some(s) => match db_index(conn, Some(s)) {
                        Some(i) => i..i + 1,
                        None => return -1,
                    },
                    None => 0..conn.dbs.len(),
                };
                conn.dbs[range]
                    .iter()
                    .map(|d| match d.btree.txn_state() {
                        ferrolite::btree::TxnState::None => 0,
                        ferrolite::btree::TxnState::Read => 1,
                        ferrolite::btree::TxnState::Write => 2,
                    })
                    .max()
                    .unwrap_or(0)
            })
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_stmt_isexplain(stmt: *mut sqlite3_stmt) -> c_int {
    // SAFETY: handle from sqlite3_prepare*.
    guard!(0, {
        unsafe {
            with_stmt(stmt, 0, |_, st| match st.stmt.is_explain() {
                None => 0,
                Some(ExplainKind::Explain) => 1,
                Some(ExplainKind::QueryPlan) => 2,
            })
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_stmt_explain(stmt: *mut sqlite3_stmt, mode: c_int) -> c_int {
    // SAFETY: handle from sqlite3_prepare*.
    guard!(rc::INTERNAL, {
        unsafe {
            with_stmt(stmt, rc::MISUSE, |db, st| {
                let current = match st.stmt.is_explain() {
                    None => 0,
                    Some(ExplainKind::Explain) => 1,
                    Some(ExplainKind::QueryPlan) => 2,
                };
                if current == mode {
                    return rc::OK;
                }
                let kind = match mode {
                    0 => None,
                    1 => Some(ExplainKind::Explain),
                    2 => Some(ExplainKind::QueryPlan),
                    _ => return rc::ERROR,
                };
                if st.stmt.busy() || st.stmt.vm.is_halted() {
                    return rc::BUSY;
                }
                let Some(conn) = db.conn.as_mut() else { return rc::MISUSE };
                match st.stmt.set_explain(conn, kind) {
                    Ok(()) => {
                        crate::stmt::describe_columns(st);
                        rc::OK
                    }
                    Err(e) => db.set_error(&e),
                }
            })
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_transfer_bindings(from: *mut sqlite3_stmt, to: *mut sqlite3_stmt) -> c_int {
    guard!(rc::INTERNAL, {
        // SAFETY: handles from sqlite3_prepare*; each is borrowed in turn
        // (they may share a connection).
        let n_to = unsafe { with_stmt(to, None, |_, st| Some(st.stmt.parameter_count())) };
        let n_from = unsafe { with_stmt(from, None, |_, st| Some(st.stmt.parameter_count())) };
        let (Some(n_to), Some(n_from)) = (n_to, n_from) else { return rc::MISUSE };
        if n_to != n_from {
            return rc::ERROR;
        }
        // The values move: the source is left with NULLs, as in SQLite.
        let vals = unsafe {
            with_stmt(from, Vec::new(), |_, st| {
                let v = st.stmt.params().to_vec();
                st.stmt.clear_bindings();
                v
            })
        };
        unsafe {
            with_stmt(to, rc::MISUSE, |db, st| {
                for (k, v) in vals.into_iter().enumerate() {
                    if let Err(e) = st.stmt.bind(k + 1, v) {
                        return db.set_error(&e);
                    }
                }
                rc::OK
            })
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_expired(stmt: *mut sqlite3_stmt) -> c_int {
    if stmt.is_null() {
        return 1;
    }
    // SAFETY: handle from sqlite3_prepare*.
    guard!(1, {
        unsafe {
            with_stmt(stmt, 1, |db, st| match db.conn.as_ref() {
                Some(c) => c_int::from(st.stmt.is_expired(c)),
                None => 1,
            })
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_set_errmsg(db: *mut sqlite3, code: c_int, msg: *const c_char) -> c_int {
    guard!(rc::INTERNAL, {
        // SAFETY: NULL or a C string.
        let msg = unsafe { opt_str(msg) };
        // SAFETY: db is the caller's handle. As in SQLite the call itself
        // succeeds: it only records the error (without a message, the
        // code's own text).
        unsafe {
            with_db(db, rc::MISUSE, |st| {
                st.set_code(code, msg.as_deref());
                rc::OK
            })
        }
    })
}

/// The byte offset in the SQL of the token the last error is about:
/// syntax errors found by the parser; -1 when there is no error or no
/// offset (Ferrolite does not yet record one for errors found after
/// parsing, where SQLite may point at a column or function name).
#[no_mangle]
pub unsafe extern "C" fn sqlite3_error_offset(db: *mut sqlite3) -> c_int {
    // SAFETY: db is NULL or the caller's handle.
    guard!(-1, { unsafe { with_db(db, -1, |st| if st.err_code != rc::OK { st.err_offset } else { -1 }) } })
}

/// The OS error number behind the connection's last SQLITE_CANTOPEN or
/// SQLITE_IOERR error (0 if there was none), as SQLite keeps it.
#[no_mangle]
pub unsafe extern "C" fn sqlite3_system_errno(db: *mut sqlite3) -> c_int {
    // SAFETY: db is NULL or the caller's handle.
    guard!(0, { unsafe { with_db(db, 0, |st| st.sys_errno) } })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_normalized_sql(stmt: *mut sqlite3_stmt) -> *const c_char {
    // SAFETY: a statement from sqlite3_prepare* (checked by with_stmt); the
    // text lives in the statement until it is finalized.
    guard!(std::ptr::null(), {
        unsafe {
            with_stmt(stmt, std::ptr::null(), |_, st| {
                if st.normalized.is_none() {
                    let sql = st.stmt.sql().to_string();
                    let prog = st.stmt.program().clone();
                    let text = ferrolite::parse::normalize::normalize(&sql, &|name| prog.dqs_strings.iter().any(|s| s == name));
                    st.normalized = Some(crate::handle::cstring(text.as_bytes()));
                }
                st.normalized.as_ref().map_or(std::ptr::null(), |c| c.as_ptr())
            })
        }
    })
}
