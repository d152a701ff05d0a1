//! sqlite3_preupdate_hook, the engine's side: what a row change of a table
//! reports to the application just before it happens. For a WITHOUT ROWID
//! table the values come in table order from records that hold the
//! PRIMARY KEY first, and the rowid arguments, undefined in SQLite, are 0.
//!
//! The code generator places an `Op::PreUpdate` before each row write
//! SQLite's hook sees (INSERT, the UPDATE of a row, DELETE, the rows REPLACE
//! removes); `blob.rs` reports sqlite3_blob_write as a DELETE of the row,
//! as SQLite does. The values the application may read are built here,
//! with SQLite's rules: the INTEGER PRIMARY KEY column reads the rowid, a
//! REAL column's integer reads as REAL, a field missing from a record
//! written before ALTER TABLE ADD COLUMN reads the column's default (old
//! row) or NULL (new row).
//!
//! Invariant: the hook is called with no borrow of the connection held
//! by the caller beyond `&mut ConnHooks`; it must not use the connection.

use std::sync::Arc;

use crate::error::Result;
use crate::record;
use crate::schema::Table;
use crate::util::TextEncoding;
use crate::value::Value;
use crate::vdbe::mem::{apply_affinity, Affinity};

/// SQLite's operation codes as the hook reports them.
pub const INSERT: i32 = 18;
pub const DELETE: i32 = 9;
pub const UPDATE: i32 = 23;

/// One call of the preupdate hook.
pub struct PreUpdate<'a> {
    /// INSERT, UPDATE or DELETE.
    pub op: i32,
    pub db_name: &'a str,
    pub table: &'a str,
    /// The rowid before the change (the new rowid for INSERT).
    pub key1: i64,
    /// The rowid after the change (the old one for DELETE).
    pub key2: i64,
    /// The table's column count (sqlite3_preupdate_count).
    pub n_col: usize,
    /// Trigger depth (sqlite3_preupdate_depth): 0 for the statement itself.
    pub depth: i32,
    /// sqlite3_blob_write's column, -1 for other changes.
    pub blob_write: i32,
    /// The row's values before the change (UPDATE, DELETE).
    pub old: Option<Vec<Value>>,
    /// The row's values after the change (INSERT, UPDATE).
    pub new: Option<Vec<Value>>,
}

pub type PreUpdateHook = Box<dyn FnMut(&PreUpdate<'_>) + Send>;

/// What a row change on one table needs to report itself: fixed when the
/// statement is compiled.
#[derive(Debug)]
pub struct PreUpdateTable {
    pub op: i32,
    pub db: usize,
    pub table: Arc<str>,
    /// The trigger depth of the code making the change.
    pub depth: i32,
    /// The INTEGER PRIMARY KEY column, which reads the rowid.
    pub ipk: Option<usize>,
    /// Per column: REAL affinity (an integer reads as REAL).
    pub real: Vec<bool>,
    /// Per column: what an old record without that field reads.
    pub defaults: Vec<Option<Value>>,
    /// For a WITHOUT ROWID table: per column, the record field holding it
    /// (PRIMARY KEY first; usize::MAX for a VIRTUAL column).
    pub fields: Option<Vec<usize>>,
}

impl PreUpdateTable {
    pub fn new(t: &Table, op: i32, depth: usize) -> PreUpdateTable {
        PreUpdateTable {
            op,
            db: t.db,
            table: Arc::from(t.name.as_str()),
            depth: depth as i32,
            ipk: t.rowid_alias,
            real: t.columns.iter().map(|c| c.affinity == Affinity::Real).collect(),
            defaults: (0..t.columns.len()).map(|i| old_default(t, i)).collect(),
            fields: t.without_rowid.then(|| (0..t.columns.len()).map(|i| if t.is_virtual(i) { usize::MAX } else { t.record_field(i) }).collect()),
        }
    }

    /// A stored record's fields in table column order (those a record
    /// older than an ADD COLUMN lacks left off the end).
    fn in_table_order(&self, stored: Vec<Value>) -> Vec<Value> {
        let Some(fields) = &self.fields else { return stored };
        let mut out = Vec::with_capacity(fields.len());
        for &f in fields {
            match stored.get(f) {
                Some(v) => out.push(v.clone()),
                None if f == usize::MAX => out.push(Value::Null),
                None => break,
            }
        }
        out
    }

    pub fn n_col(&self) -> usize {
        self.real.len()
    }

    /// The old row from its stored record.
    pub fn old_values(&self, payload: &[u8], rowid: i64, enc: TextEncoding) -> Result<Vec<Value>> {
        let stored = self.in_table_order(record::decode_all_in(payload, enc)?);
        Ok(self.build(stored, rowid, true))
    }

    /// The new row of an INSERT from the record about to be written.
    pub fn new_from_record(&self, payload: &[u8], rowid: i64, enc: TextEncoding) -> Result<Vec<Value>> {
        let stored = self.in_table_order(record::decode_all_in(payload, enc)?);
        Ok(self.build(stored, rowid, false))
    }

    /// The new row of an UPDATE from its registers (affinities applied).
    pub fn new_from_registers(&self, regs: &[Value], rowid: i64) -> Vec<Value> {
        let mut v: Vec<Value> = regs.iter().take(self.n_col()).cloned().collect();
        if let Some(slot) = self.ipk.and_then(|i| v.get_mut(i)) {
            *slot = Value::Integer(rowid);
        }
        v
    }

    fn build(&self, mut stored: Vec<Value>, rowid: i64, old: bool) -> Vec<Value> {
        let n = self.n_col();
        stored.truncate(n);
        let have = stored.len();
        for i in have..n {
            stored.push(if old { self.defaults[i].clone().unwrap_or(Value::Null) } else { Value::Null });
        }
        for (i, v) in stored.iter_mut().enumerate().take(have) {
            if Some(i) == self.ipk {
                *v = Value::Integer(rowid);
            } else if self.real[i] {
                if let Value::Integer(x) = *v {
                    *v = Value::Real(x as f64);
                }
            }
        }
        if let Some(slot) = self.ipk.filter(|&i| i >= have).and_then(|i| stored.get_mut(i)) {
            *slot = Value::Integer(rowid);
        }
        stored
    }
}

/// The value an old record lacking column `i` reads in the hook: the
/// constant DEFAULT with the column's affinity applied as SQLite applies
/// it to a value it computes from an expression (a REAL column keeps an
/// integral value an integer).
fn old_default(t: &Table, i: usize) -> Option<Value> {
    let c = t.columns.get(i)?;
    let v = crate::schema::constant_value(c.default.as_ref()?)?;
    let aff = match c.affinity {
        Affinity::Real | Affinity::Integer => Affinity::Numeric,
        a => a,
    };
    Some(apply_affinity(v, aff))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(sql: &str) -> Table {
        crate::schema::Schema::table_from_sql(sql, 2).expect("table")
    }

    #[test]
    fn rowid_alias_real_and_missing_fields() {
        let t = table("CREATE TABLE t(id INTEGER PRIMARY KEY, r REAL, d DEFAULT 'x', e REAL DEFAULT 3)");
        let p = PreUpdateTable::new(&t, UPDATE, 0);
        let rec = record::encode_values(&[Value::Null, Value::Integer(7)]);
        let old = p.old_values(&rec, 42, TextEncoding::Utf8).expect("decode");
        assert_eq!(old, vec![Value::Integer(42), Value::Real(7.0), Value::text("x"), Value::Integer(3)]);
        let new = p.new_from_record(&rec, 42, TextEncoding::Utf8).expect("decode");
        assert_eq!(new, vec![Value::Integer(42), Value::Real(7.0), Value::Null, Value::Null]);
        let regs = [Value::Integer(1), Value::Real(2.0), Value::Null, Value::Real(3.0)];
        assert_eq!(p.new_from_registers(&regs, 9)[0], Value::Integer(9));
    }
}
