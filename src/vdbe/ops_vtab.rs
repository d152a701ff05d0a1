//! The virtual-table opcodes (SQLite's OP_VOpen, OP_VFilter, OP_VNext,
//! OP_VColumn, OP_VRowid, OP_VInitIn, OP_VNoChange, OP_VCreate, OP_VDestroy, OP_VRename, OP_VBegin,
//! OP_VUpdate):
//! each is one call into the module through `crate::vtab`.
//!
//! Invariant: a virtual cursor is only moved by VFilter and VNext; VColumn
//! and VRowid read the row it stands on (NULL after NullRow).

use crate::connection::Connection;
use crate::error::{code, Error, Result};
use crate::value::Value;
use crate::vtab;

use super::cursor::{VCursor, VirtualCursor};
use super::{Op, OnError, Vm};

fn no_cursor() -> Error {
    Error::with_message(code::INTERNAL, "virtual table cursor not open")
}

/// The value sqlite3_vtab_on_conflict reports for a statement's conflict
/// mode.
pub fn conflict_mode(on_error: OnError) -> i32 {
    match on_error {
        OnError::Rollback => vtab::conflict::ROLLBACK,
        OnError::Ignore => vtab::conflict::IGNORE,
        OnError::Fail => vtab::conflict::FAIL,
        OnError::Abort => vtab::conflict::ABORT,
        OnError::Replace => vtab::conflict::REPLACE,
    }
}

impl Vm {
    fn vcursor(&mut self, cursor: usize) -> Result<&mut VirtualCursor> {
        match self.cursors.get_mut(cursor).and_then(|c| c.as_mut()) {
            Some(VCursor::Virtual(v)) => Ok(v),
            _ => Err(no_cursor()),
        }
    }

    pub(super) fn exec_vtab(&mut self, op: &Op, conn: &mut Connection) -> Result<Option<usize>> {
        match op {
            Op::VOpen { cursor, vtab } => {
                let cur = vtab.0.lock().open()?;
                let slot = self.cursors.get_mut(*cursor).ok_or_else(no_cursor)?;
                *slot = Some(VCursor::Virtual(VirtualCursor { cur, vtab: vtab.0.clone(), null_row: false }));
            }
            Op::VFilter { cursor, idx_num, idx_str, args, argc, target } => {
                let values: Vec<Value> = (0..*argc).map(|k| self.regs.get(args + k).cloned().unwrap_or(Value::Null)).collect();
                let v = self.vcursor(*cursor)?;
                v.null_row = false;
                v.cur.filter_on(conn, *idx_num, idx_str.as_deref(), &values)?;
                if v.cur.eof_on(conn) {
                    return Ok(Some(*target));
                }
            }
            Op::VInitIn { cursor, dest } => {
                let values = match self.cursors.get(*cursor).and_then(|c| c.as_ref()) {
                    Some(VCursor::EphIndex(ix)) => {
                        let mut out = Vec::with_capacity(ix.keys.len());
                        for k in &ix.keys {
                            let v = crate::record::field(&k.rec, 0)?.map(|v| crate::record::owned_in(v, self.enc)).unwrap_or(Value::Null);
                            out.push(v);
                        }
                        out
                    }
                    _ => return Err(no_cursor()),
                };
                self.regs[*dest] = vtab::in_list::ValueList::into_value(values);
            }
            Op::VNext { cursor, target } => {
                let v = self.vcursor(*cursor)?;
                v.cur.next_on(conn)?;
                if !v.cur.eof_on(conn) {
                    return Ok(Some(*target));
                }
            }
            Op::VColumn { cursor, column, dest, nochange } => {
                let v = self.vcursor(*cursor)?;
                let val = if v.null_row { Value::Null } else { v.cur.column_on(conn, *column, *nochange)? };
                self.regs[*dest] = val;
            }
            Op::VRowid { cursor, dest } => {
                let v = self.vcursor(*cursor)?;
                let val = if v.null_row { Value::Null } else { Value::Integer(v.cur.rowid_on(conn)?) };
                self.regs[*dest] = val;
            }
            Op::VCreate { db, name, sql } => {
                let db_name = conn.dbs.get(*db).map(|d| d.name.clone()).unwrap_or_default();
                let set = conn.vtabs.clone();
                let t = vtab::connect_with(&set, *db, &db_name, name, sql, true, Some(conn))?;
                // SQLite counts a new table in the open transaction at once
                // (xSync and xCommit come at its end), without xBegin.
                vtab::lock(&set).join_txn(&t);
            }
            Op::VDestroy { db, name } => {
                let set = conn.vtabs.clone();
                let t = vtab::lock(&set).get(*db, name);
                if let Some(t) = t {
                    conn.vdestroy_depth += 1;
                    let r = t.lock().destroy_on(conn);
                    conn.vdestroy_depth -= 1;
                    r?;
                    vtab::lock(&set).remove(*db, name);
                }
            }
            Op::VRename { db, name, new_name } => {
                let set = conn.vtabs.clone();
                let t = vtab::lock(&set).get(*db, name);
                if let Some(t) = t {
                    t.lock().rename_on(conn, new_name)?;
                    vtab::lock(&set).remove(*db, name);
                }
            }
            Op::VBegin { vtab, stmt_journal } => {
                let set = conn.vtabs.clone();
                // A statement that may write several rows inside a
                // transaction opens a statement savepoint first (SQLite's
                // statement journal), which the tables already in the
                // transaction are told of.
                if *stmt_journal && self.vtab_stmt.is_none() && (!conn.autocommit || conn.active_vms > 1) {
                    conn.vtab_statements += 1;
                    let n = conn.vtab_statements + conn.sql_savepoint_count() - 1;
                    self.vtab_stmt = Some(n);
                    vtab::statement_savepoint_all(&set, conn, vtab::SavepointOp::Begin, n)?;
                }
                if vtab.0.lock().has_begin() {
                    if !vtab::lock(&set).in_transaction(&vtab.0) {
                        vtab.0.lock().begin()?;
                        vtab::lock(&set).join_txn(&vtab.0);
                        vtab::savepoint_after_begin(&vtab.0, conn.vtab_statements + conn.sql_savepoint_count())?;
                    } else {
                        vtab.0.lock().statement_on(conn)?;
                    }
                }
            }
            Op::VNoChange { start, count, dest } => {
                let mut mask = 0i64;
                for k in 0..(*count).min(63) {
                    if let Some(v) = self.regs.get_mut(start + k) {
                        if vtab::is_nochange(v) {
                            mask |= 1 << k;
                            *v = Value::Null;
                        }
                    }
                }
                self.regs[*dest] = Value::Integer(mask);
            }
            Op::VUpdate { vtab, args, argc, on_error, set_rowid, nochange } => {
                let mut values: Vec<Value> = (0..*argc).map(|k| self.regs.get(args + k).cloned().unwrap_or(Value::Null)).collect();
                if let Some(Value::Integer(mask)) = nochange.and_then(|r| self.regs.get(r)) {
                    for k in 0..63 {
                        if mask & (1 << k) != 0 {
                            if let Some(v) = values.get_mut(2 + k) {
                                *v = vtab::nochange_value();
                            }
                        }
                    }
                }
                let r = vtab.0.lock().update_on(conn, &values, conflict_mode(*on_error));
                match r {
                    Ok(rowid) => {
                        if *set_rowid {
                            if let Some(id) = rowid {
                                conn.last_insert_rowid = id;
                            }
                        }
                        self.n_change += 1;
                        conn.total_changes += 1;
                        self.total_change += 1;
                    }
                    Err(e) if e.primary_code() == code::CONSTRAINT && vtab.0.config.constraint_support => match on_error {
                        // With SQLITE_VTAB_CONSTRAINT_SUPPORT the statement's
                        // conflict mode applies: IGNORE goes on, FAIL keeps
                        // the earlier changes, ROLLBACK ends the transaction
                        // (REPLACE was the module's to do: ABORT).
                        OnError::Ignore => {}
                        OnError::Fail | OnError::Rollback => {
                            self.halt_with_error(conn, e.clone(), *on_error);
                            return Err(e);
                        }
                        _ => return Err(e),
                    },
                    Err(e) => return Err(e),
                }
            }
            _ => return Err(Error::with_message(code::INTERNAL, "not a virtual-table opcode")),
        }
        Ok(None)
    }
}
