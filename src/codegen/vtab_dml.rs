//! INSERT, UPDATE and DELETE on a virtual table: every change is one
//! xUpdate call (OP_VUpdate) with SQLite's argv convention — DELETE
//! `[rowid]`, INSERT `[NULL, new rowid or NULL, columns...]`, UPDATE
//! `[old rowid, new rowid, columns...]` — and the table joins the
//! transaction first (OP_VBegin in the prologue: xBegin, then xSync and
//! xCommit or xRollback at its end).
//!
//! Invariant: the rows to change are collected into a transient table
//! before the first xUpdate (SQLite's two-pass strategy for virtual
//! tables), so the module is never changed under its own open cursor.
//! SQLite changes a row during the scan when xBestIndex promised at most
//! one row; the module sees the same calls either way, only xNext/xEof
//! order relative to xUpdate can differ.

use std::sync::Arc;

use crate::error::{Error, Result};
use crate::parse::ast::{self, BinaryOp, ConflictResolution, Expr};
use crate::schema::{is_rowid_name, Table};
use crate::vdbe::{OnError, Op};
use crate::vtab::{VTable, VtabRef};

use super::expr::Scope;
use super::select::{self, Dest};
use super::where_::{self, Level};
use super::Builder;

/// The virtual table a DML statement names, if it names one.
pub(super) fn target(b: &Builder<'_>, name: &ast::QualifiedName) -> Option<Arc<Table>> {
    match b.schemas.find_table(name.schema.as_deref(), &name.name) {
        Some(t) => Some(t).filter(|t| t.module.is_some()),
        // An eponymous virtual table (a connect error shows when it is
        // used).
        None if name.schema.as_deref().is_none_or(|s| s.eq_ignore_ascii_case("main")) => crate::vtab::eponymous(&name.name).ok().flatten().map(|vt| vt.table.clone()),
        None => None,
    }
}

fn on_error(c: Option<ConflictResolution>) -> OnError {
    match c {
        Some(ConflictResolution::Rollback) => OnError::Rollback,
        Some(ConflictResolution::Fail) => OnError::Fail,
        Some(ConflictResolution::Ignore) => OnError::Ignore,
        Some(ConflictResolution::Replace) => OnError::Replace,
        Some(ConflictResolution::Abort) | None => OnError::Abort,
    }
}

/// The connected table, refused as SQLite refuses a module without
/// xUpdate; the statement will call xBegin on it first.
fn writable(b: &mut Builder<'_>, t: &Table) -> Result<Arc<VTable>> {
    let vt = super::vtab::connected(b, t)?;
    if !vt.lock().has_update() {
        return Err(Error::sql(format!("table {} may not be modified", t.name)));
    }
    b.writes = true;
    if !b.vtab_lock.iter().any(|v| Arc::ptr_eq(&v.0, &vt)) {
        b.vtab_lock.push(VtabRef(vt.clone()));
    }
    Ok(vt)
}

fn not_yet(what: &str) -> Error {
    Error::sql(format!("{what} on a virtual table is not supported yet"))
}

/// Calls xUpdate once per row of the transient table `eph`, whose rows
/// are the `argc` argv values (then, with `nochange`, the mask of the
/// columns an UPDATE left unchanged: `Op::VNoChange`).
fn update_each(b: &mut Builder<'_>, eph: usize, vt: &Arc<VTable>, argc: usize, on_error: OnError, set_rowid: bool, nochange: bool) {
    let done = b.new_label();
    b.emit(Op::Rewind { cursor: eph, target: done });
    let top = b.addr();
    let n = argc + usize::from(nochange);
    let args = b.alloc_regs(n);
    for k in 0..n {
        b.emit(Op::Column { cursor: eph, column: k, dest: args + k, default: None });
    }
    let nochange = nochange.then_some(args + argc);
    b.emit(Op::VUpdate { vtab: VtabRef(vt.clone()), args, argc, on_error, set_rowid, nochange });
    b.emit(Op::Next { cursor: eph, target: top });
    b.resolve(done);
}

/// Appends registers `start..start+n` as one row of transient table `eph`.
fn append_row(b: &mut Builder<'_>, eph: usize, start: usize, n: usize) {
    let rec = b.alloc_reg();
    let rowid = b.alloc_reg();
    b.emit(Op::MakeRecord { start, count: n, dest: rec });
    b.emit(Op::NewRowid { cursor: eph, dest: rowid });
    b.emit(Op::Insert { cursor: eph, record: rec, rowid, count_change: false, set_last_rowid: false, hook: None });
}

fn open_eph(b: &mut Builder<'_>) -> usize {
    let eph = b.alloc_cursor();
    b.emit(Op::OpenEphemeral { cursor: eph, key_info: None });
    eph
}

pub(super) fn insert(b: &mut Builder<'_>, ins: &ast::Insert, t: Arc<Table>) -> Result<()> {
    if !ins.upsert.is_empty() {
        return Err(not_yet("UPSERT"));
    }
    if !ins.returning.is_empty() {
        return Err(not_yet("RETURNING"));
    }
    let vt = writable(b, &t)?;
    // One row of VALUES (or DEFAULT VALUES) is a single write: SQLite
    // opens no statement savepoint for it.
    let single_row = match &ins.source {
        ast::InsertSource::DefaultValues => true,
        ast::InsertSource::Select(s) => s.compounds.is_empty() && matches!(&s.core, ast::SelectCore::Values(rows) if rows.len() == 1),
    };
    b.vtab_stmt_journal |= !single_row;
    let table = vt.table.clone();
    let ncol = table.columns.len();
    // Which source value feeds each column, and the rowid.
    let mut map: Vec<Option<usize>> = vec![None; ncol];
    let mut rowid_src = None;
    // Without a column list the values go to the columns that are not
    // HIDDEN, in order (as SQLite does).
    let visible = (0..ncol).filter(|i| !vt.hidden.get(*i).copied().unwrap_or(false)).count();
    let width = if ins.columns.is_empty() {
        let mut k = 0;
        for (i, m) in map.iter_mut().enumerate() {
            if !vt.hidden.get(i).copied().unwrap_or(false) {
                *m = Some(k);
                k += 1;
            }
        }
        visible
    } else {
        for (k, c) in ins.columns.iter().enumerate() {
            match table.column_index(c) {
                Some(i) => map[i] = Some(k),
                None if is_rowid_name(c) => rowid_src = Some(k),
                None => return Err(Error::sql(format!("table {} has no column named {c}", table.name))),
            }
        }
        ins.columns.len()
    };
    let eph = open_eph(b);
    match &ins.source {
        ast::InsertSource::Select(sel) => {
            let out = select::compile_select(b, sel, Dest::EphTable(eph))?;
            let n = out.names.len();
            if n != width {
                return Err(Error::sql(if ins.columns.is_empty() {
                    format!("table {} has {visible} columns but {n} values were supplied", table.name)
                } else {
                    format!("{n} values for {width} columns")
                }));
            }
        }
        ast::InsertSource::DefaultValues => {
            let r = b.alloc_reg();
            b.emit(Op::Null { dest: r, count: 1 });
            append_row(b, eph, r, 1);
            map.iter_mut().for_each(|m| *m = None);
        }
    }
    // Each source row becomes argv: NULL, the new rowid, the columns.
    let src = open_eph(b);
    let done = b.new_label();
    b.emit(Op::Rewind { cursor: eph, target: done });
    let top = b.addr();
    let argv = b.alloc_regs(ncol + 2);
    b.emit(Op::Null { dest: argv, count: 1 });
    match rowid_src {
        Some(k) => {
            b.emit(Op::Column { cursor: eph, column: k, dest: argv + 1, default: None });
        }
        None => {
            b.emit(Op::Null { dest: argv + 1, count: 1 });
        }
    }
    for (i, m) in map.iter().enumerate() {
        match m {
            Some(k) => {
                b.emit(Op::Column { cursor: eph, column: *k, dest: argv + 2 + i, default: None });
            }
            // SQLite gives a virtual table NULL for an omitted column,
            // whatever DEFAULT the declared schema says.
            None => {
                b.emit(Op::Null { dest: argv + 2 + i, count: 1 });
            }
        }
    }
    append_row(b, src, argv, ncol + 2);
    b.emit(Op::Next { cursor: eph, target: top });
    b.resolve(done);
    update_each(b, src, &vt, ncol + 2, on_error(ins.or_conflict), true, false);
    Ok(())
}

/// Opens the virtual table as the one loop of an UPDATE or DELETE, with
/// its WHERE terms; `all_columns` marks every column used (UPDATE reads
/// every column, as SQLite tells xBestIndex).
fn scan(b: &mut Builder<'_>, t: &Table, vt: &Arc<VTable>, alias: Option<&String>, where_: Option<&Expr>, all_columns: bool) -> Result<(Vec<Level>, Vec<Expr>)> {
    let label = alias.cloned().unwrap_or_else(|| t.name.clone());
    let (source, _) = super::vtab::open_source(b, t, &label)?;
    let cursor = source.cursor;
    b.scopes.push(Scope::new(vec![source]));
    let levels = vec![Level { cursor, table: Some(vt.table.clone()), left_join: false, right_join: false, on_terms: Vec::new(), movable: true, order: None, pragma: None, vtab: Some(vt.clone()) }];
    let mut terms = Vec::new();
    if let Some(w) = where_ {
        super::plan::split_chain(w, BinaryOp::And, &mut terms);
    }
    let facts = super::vtab::QueryFacts { all_columns, ..Default::default() };
    super::vtab::prepare(b, &levels, &terms, &facts)?;
    Ok((levels, terms))
}

pub(super) fn update(b: &mut Builder<'_>, up: &ast::Update, t: Arc<Table>) -> Result<()> {
    if up.from.is_some() {
        return Err(not_yet("UPDATE ... FROM"));
    }
    if !up.returning.is_empty() {
        return Err(not_yet("RETURNING"));
    }
    let vt = writable(b, &t)?;
    let table = vt.table.clone();
    let ncol = table.columns.len();
    let mut sets: Vec<Option<&Expr>> = vec![None; ncol];
    let mut rowid_set = None;
    for a in &up.sets {
        let [c] = a.columns.as_slice() else { return Err(not_yet("a row-value assignment")) };
        match table.column_index(c) {
            Some(i) => sets[i] = Some(&a.expr),
            None if is_rowid_name(c) => rowid_set = Some(&a.expr),
            None => return Err(Error::sql(format!("no such column: {c}"))),
        }
    }
    let (levels, terms) = scan(b, &t, &vt, up.alias.as_ref(), up.where_.as_ref(), true)?;
    let cursor = levels[0].cursor;
    // Several rows may change (SQLite's multi-write): a statement
    // savepoint, unless xBestIndex promised one row.
    b.vtab_stmt_journal |= !super::vtab::single_loop_one_row(b, cursor);
    let eph = open_eph(b);
    // As SQLite: the columns in order (an unchanged one read with
    // sqlite3_vtab_nochange = 1), then the old rowid, then the new one
    // (xRowid again when SET does not name it); the row and the mask of
    // unchanged columns go to the transient table.
    let r = where_::emit_loops(b, &levels, &terms, &mut |b: &mut Builder<'_>| {
        let argv = b.alloc_regs(ncol + 3);
        for (i, s) in sets.iter().enumerate() {
            match s {
                Some(e) => b.expr(e, argv + 2 + i)?,
                None => {
                    b.emit(Op::VColumn { cursor, column: i, dest: argv + 2 + i, nochange: i < 63 });
                }
            }
        }
        b.emit(Op::VRowid { cursor, dest: argv });
        match rowid_set {
            Some(e) => b.expr(e, argv + 1)?,
            None => {
                b.emit(Op::VRowid { cursor, dest: argv + 1 });
            }
        }
        b.emit(Op::VNoChange { start: argv + 2, count: ncol.min(63), dest: argv + ncol + 2 });
        append_row(b, eph, argv, ncol + 3);
        Ok(())
    });
    b.scopes.pop();
    r?;
    update_each(b, eph, &vt, ncol + 2, on_error(up.or_conflict), false, true);
    Ok(())
}

pub(super) fn delete(b: &mut Builder<'_>, del: &ast::Delete, t: Arc<Table>) -> Result<()> {
    if !del.returning.is_empty() {
        return Err(not_yet("RETURNING"));
    }
    let vt = writable(b, &t)?;
    let (levels, terms) = scan(b, &t, &vt, del.alias.as_ref(), del.where_.as_ref(), false)?;
    let cursor = levels[0].cursor;
    b.vtab_stmt_journal |= !super::vtab::single_loop_one_row(b, cursor);
    // The rowids, sorted and distinct (SQLite's RowSet).
    let eph = b.alloc_cursor();
    b.emit(Op::OpenEphemeral { cursor: eph, key_info: Some(Arc::new(crate::record::KeyInfo::new(vec![(crate::collation::CollSeq::Binary, false)]))) });
    let r = where_::emit_loops(b, &levels, &terms, &mut |b: &mut Builder<'_>| {
        let r = b.alloc_reg();
        let rec = b.alloc_reg();
        b.emit(Op::VRowid { cursor, dest: r });
        b.emit(Op::MakeRecord { start: r, count: 1, dest: rec });
        b.emit(Op::IdxInsert { cursor: eph, key: rec });
        Ok(())
    });
    b.scopes.pop();
    r?;
    update_each(b, eph, &vt, 1, OnError::Abort, false, false);
    Ok(())
}
