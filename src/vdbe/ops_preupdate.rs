//! `Op::PreUpdate`: sqlite3_preupdate_hook's call before a row change
//! (SQLite's sqlite3VdbePreUpdateHook from OP_Insert / OP_Delete).
//!
//! Invariant: does nothing, and reads nothing, unless the connection has
//! a preupdate hook; never moves the cursor it reads the old row from.

use crate::connection::Connection;
use crate::error::{code, Error, Result};
use crate::preupdate::{PreUpdate, PreUpdateTable, DELETE, INSERT};
use crate::value::Value;

use super::cursor::VCursor;
use super::exec::Vm;
use super::PreUpdateNew;

fn int_reg(v: &Value) -> Result<i64> {
    match v {
        Value::Integer(i) => Ok(*i),
        _ => Err(Error::code(code::MISMATCH)),
    }
}

impl Vm {
    pub(super) fn exec_preupdate(&mut self, cursor: usize, t: &PreUpdateTable, new: PreUpdateNew, conn: &mut Connection) -> Result<()> {
        if conn.hooks.preupdate.is_none() {
            return Ok(());
        }
        let enc = self.enc;
        // The old row: the one under the cursor (UPDATE and DELETE).
        let (old, key1) = if t.op == INSERT {
            (None, None)
        } else {
            let Some(Some(VCursor::Btree(b))) = self.cursors.get_mut(cursor) else {
                return Err(Error::with_message(code::INTERNAL, "PreUpdate without a table cursor"));
            };
            // A WITHOUT ROWID row has no rowid to report.
            let rowid = if t.fields.is_some() {
                0
            } else {
                let bt = conn.btree(b.db)?;
                b.cur.rowid(bt)?
            };
            let (payload, _) = Self::btree_row(b, conn)?;
            (Some(t.old_values(payload, rowid, enc)?), Some(rowid))
        };
        let (new, key2) = match new {
            PreUpdateNew::None => (None, None),
            PreUpdateNew::Record { record, rowid } => {
                let rowid = if t.fields.is_some() { 0 } else { int_reg(&self.regs[rowid])? };
                let rec: &[u8] = match &self.regs[record] {
                    Value::Blob(b) => b,
                    _ => &[],
                };
                (Some(t.new_from_record(rec, rowid, enc)?), Some(rowid))
            }
            PreUpdateNew::Registers { start, rowid } => {
                let rowid = if t.fields.is_some() { 0 } else { int_reg(&self.regs[rowid])? };
                let end = (start + t.n_col()).min(self.regs.len());
                (Some(t.new_from_registers(&self.regs[start..end], rowid)), Some(rowid))
            }
        };
        let key1 = key1.or(key2).unwrap_or(0);
        let key2 = if t.op == DELETE { key1 } else { key2.unwrap_or(key1) };
        let db_name = conn.dbs.get(t.db).map(|d| d.name.clone()).unwrap_or_else(|| "main".to_string());
        let call = PreUpdate { op: t.op, db_name: &db_name, table: &t.table, key1, key2, n_col: t.n_col(), depth: t.depth, blob_write: -1, old, new };
        if let Some(f) = conn.hooks.preupdate.as_mut() {
            f(&call);
        }
        Ok(())
    }
}
