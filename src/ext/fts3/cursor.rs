//! Planning and scanning a full-text table: xBestIndex as SQLite's
//! fts3BestIndexMethod answers (full scan, docid lookup, or a MATCH on
//! one column or the whole table; docid ranges; rows in docid order,
//! descending when ORDER BY docid DESC is consumed or, without an ORDER
//! BY, for an order=DESC table), and the cursor that returns the
//! documents.
//!
//! idxNum: 0 full scan, 1 docid =, 2 + column for MATCH (column n: the
//! table's own hidden column, every column), with 0x20000 / 0x40000 set
//! when a docid lower / upper bound is passed; idxStr "ASC" / "DESC".
//!
//! Invariant: a MATCH cursor owns its list of matching docids, computed in
//! xFilter (after the pending terms were flushed), so later changes do
//! not disturb it; column values are read from %_content when asked.

use std::sync::Arc;

use crate::connection::Connection;
use crate::error::{Error, Result};
use crate::value::{Pointer, PointerData, Value};
use crate::vtab::index_info::{op, SCAN_UNIQUE};
use crate::vtab::{IndexInfo, VTabCursor};

use super::doclist::corrupt;
use super::eval::{self, Matches};
use super::query::{self, Expr};
use super::{Info, Shared};

const FULLSCAN: i32 = 0;
const DOCID: i32 = 1;
const FULLTEXT: i32 = 2;
const HAVE_LANGID: i32 = 0x10000;
const HAVE_DOCID_GE: i32 = 0x20000;
const HAVE_DOCID_LE: i32 = 0x40000;

/// xBestIndex.
pub fn best_index(info: &Info, ii: &mut IndexInfo) {
    let n = info.n_column() as i32;
    let mut cons: Option<usize> = None;
    let (mut langid, mut ge, mut le) = (None, None, None);
    ii.idx_num = FULLSCAN;
    ii.estimated_cost = 5_000_000.0;
    for (i, c) in ii.constraints.iter().enumerate() {
        if !c.usable {
            if c.op == op::MATCH {
                ii.idx_num = FULLSCAN;
                ii.estimated_cost = 1e50;
                ii.estimated_rows = 1 << 50;
                for u in ii.usage.iter_mut() {
                    *u = Default::default();
                }
                return;
            }
            continue;
        }
        let is_docid = c.column < 0 || c.column == n + 1;
        if cons.is_none() && c.op == op::EQ && is_docid {
            ii.idx_num = DOCID;
            ii.estimated_cost = 1.0;
            cons = Some(i);
        }
        if c.op == op::MATCH && c.column >= 0 && c.column <= n {
            ii.idx_num = FULLTEXT + c.column;
            ii.estimated_cost = 2.0;
            cons = Some(i);
        }
        if c.op == op::EQ && c.column == n + 2 {
            langid = Some(i);
        }
        if is_docid {
            match c.op {
                op::GE | op::GT => ge = Some(i),
                op::LE | op::LT => le = Some(i),
                _ => {}
            }
        }
    }
    if ii.idx_num == DOCID {
        ii.idx_flags |= SCAN_UNIQUE;
    }
    let mut next = 1;
    if let Some(i) = cons {
        ii.usage[i].argv_index = next;
        ii.usage[i].omit = true;
        next += 1;
    }
    if let Some(i) = langid {
        ii.idx_num |= HAVE_LANGID;
        ii.usage[i].argv_index = next;
        next += 1;
    }
    if let Some(i) = ge {
        ii.idx_num |= HAVE_DOCID_GE;
        ii.usage[i].argv_index = next;
        next += 1;
    }
    if let Some(i) = le {
        ii.idx_num |= HAVE_DOCID_LE;
        ii.usage[i].argv_index = next;
    }
    if ii.order_by.len() == 1 {
        let o = ii.order_by[0];
        if o.column < 0 || o.column == n + 1 {
            ii.idx_str = Some(if o.desc { "DESC" } else { "ASC" }.to_string());
            ii.order_by_consumed = true;
        }
    }
}

/// What the auxiliary functions see of the current row of a MATCH scan.
pub struct AuxRow {
    pub shared: Arc<Shared>,
    /// The MATCH expression (None for a scan without one: the functions
    /// then return an empty result, as SQLite's).
    pub expr: Option<Arc<Expr>>,
    pub matches: Arc<Matches>,
    pub docid: i64,
    pub values: Vec<Value>,
}

/// The type name of the hidden column's pointer value.
pub const POINTER_TYPE: &[u8] = b"fts3cursor";

/// An open scan.
pub struct Cursor {
    shared: Arc<Shared>,
    /// Docids to return, and the rows already read.
    rows: Vec<(i64, Option<Vec<Value>>)>,
    pos: usize,
    search: Option<(Arc<Expr>, Arc<Matches>)>,
}

impl Cursor {
    pub fn new(shared: Arc<Shared>) -> Cursor {
        Cursor { shared, rows: Vec::new(), pos: 0, search: None }
    }

    /// The current row's column values, read from %_content if needed.
    fn values(&mut self, conn: &mut Connection) -> Result<Vec<Value>> {
        let Some(row) = self.rows.get_mut(self.pos) else { return Ok(Vec::new()) };
        if row.1.is_none() {
            // A missing row is corruption, except in an external content
            // table (its columns are then NULL, as in SQLite).
            let v = match self.shared.info.shadow.content_row(conn, row.0)? {
                Some(v) => v,
                None if self.shared.info.shadow.external.is_some() => vec![Value::Null; self.shared.info.n_column() + 1],
                None => return Err(corrupt()),
            };
            row.1 = Some(v);
        }
        Ok(row.1.clone().unwrap_or_default())
    }
}

/// A docid bound: the value when it is an integer (fts3DocidRange).
fn docid_bound(v: Option<&Value>, default: i64) -> i64 {
    match v {
        Some(Value::Integer(i)) => *i,
        Some(v @ (Value::Text(_) | Value::Real(_))) => match crate::vdbe::mem::numeric_type(v.as_ref()) {
            Some(crate::vdbe::mem::Num::Int(i)) => i,
            _ => default,
        },
        _ => default,
    }
}

impl VTabCursor for Cursor {
    fn filter(&mut self, _idx_num: i32, _idx_str: Option<&str>, _args: &[Value]) -> Result<()> {
        Err(Error::with_message(crate::error::code::INTERNAL, "the fts3 module needs its connection for this call"))
    }

    fn filter_on(&mut self, conn: &mut Connection, idx_num: i32, idx_str: Option<&str>, args: &[Value]) -> Result<()> {
        let search = idx_num & 0xffff;
        let mut k = 0;
        let mut next = || {
            let v = args.get(k).cloned();
            k += 1;
            v
        };
        let cons = if search != FULLSCAN { next() } else { None };
        let langid = if idx_num & HAVE_LANGID != 0 { next().map_or(0, |v| crate::vdbe::mem::to_integer(v.as_ref())) } else { 0 };
        let lo = if idx_num & HAVE_DOCID_GE != 0 { docid_bound(next().as_ref(), i64::MIN) } else { i64::MIN };
        let hi = if idx_num & HAVE_DOCID_LE != 0 { docid_bound(next().as_ref(), i64::MAX) } else { i64::MAX };
        // Without an ORDER BY docid, rows come in the index's order.
        let desc = idx_str.map_or(self.shared.info.shadow.desc, |s| s.starts_with('D'));
        self.rows.clear();
        self.pos = 0;
        self.search = None;
        let shared = self.shared.clone();
        let info = &shared.info;
        match search {
            FULLSCAN => {
                shared.flush(conn)?;
                self.rows = info.shadow.content_scan(conn, lo, hi, desc)?.into_iter().map(|(d, v)| (d, Some(v))).collect();
            }
            DOCID => {
                let v = cons.unwrap_or(Value::Null);
                let docid = match v {
                    Value::Integer(i) => Some(i),
                    Value::Real(_) | Value::Text(_) => match crate::vdbe::mem::numeric_type(v.as_ref()) {
                        Some(crate::vdbe::mem::Num::Int(i)) => Some(i),
                        Some(crate::vdbe::mem::Num::Real(r)) if r == r.trunc() && r.abs() < 9.2e18 => Some(r as i64),
                        _ => None,
                    },
                    _ => None,
                };
                if let Some(d) = docid.filter(|d| *d >= lo && *d <= hi) {
                    if let Some(row) = info.shadow.content_row(conn, d)? {
                        self.rows.push((d, Some(row)));
                    }
                }
            }
            _ => {
                let col = (search - FULLTEXT) as usize;
                let default_col = if col >= info.n_column() { None } else { Some(col) };
                let q = match cons {
                    Some(v) if !v.is_null() => crate::vdbe::mem::text_of(v.as_ref()).into_owned(),
                    _ => return Ok(()),
                };
                let Some(expr) = query::parse(&q, info.tokenizer, &info.columns, default_col, info.fts4)? else { return Ok(()) };
                shared.flush(conn)?;
                let m = eval::evaluate(conn, info, &expr, langid)?;
                let mut ids: Vec<i64> = m.docids.iter().copied().filter(|d| *d >= lo && *d <= hi).collect();
                if desc {
                    ids.reverse();
                }
                self.rows = ids.into_iter().map(|d| (d, None)).collect();
                self.search = Some((Arc::new(expr), Arc::new(m)));
            }
        }
        Ok(())
    }

    fn next(&mut self) -> Result<()> {
        self.pos += 1;
        Ok(())
    }

    fn eof(&mut self) -> bool {
        self.pos >= self.rows.len()
    }

    fn column(&mut self, _i: usize, _nochange: bool) -> Result<Value> {
        Err(Error::with_message(crate::error::code::INTERNAL, "the fts3 module needs its connection for this call"))
    }

    fn column_on(&mut self, conn: &mut Connection, i: usize, _nochange: bool) -> Result<Value> {
        let n = self.shared.info.n_column();
        let docid = self.rows.get(self.pos).map(|r| r.0).unwrap_or(0);
        if i < n {
            return Ok(self.values(conn)?.get(i).cloned().unwrap_or(Value::Null));
        }
        if i == n + 1 {
            return Ok(Value::Integer(docid));
        }
        if i == n + 2 {
            if self.shared.info.shadow.languageid.is_none() {
                return Ok(Value::Integer(0));
            }
            let v = self.values(conn)?;
            return Ok(Value::Integer(self.shared.info.shadow.row_langid(&v)));
        }
        // The hidden column named after the table: what the auxiliary
        // functions are handed.
        let (expr, matches) = match self.search.clone() {
            Some((e, m)) => (Some(e), m),
            None => (None, Arc::new(Matches::default())),
        };
        let values = if expr.is_some() { self.values(conn)? } else { Vec::new() };
        let row = AuxRow { shared: self.shared.clone(), expr, matches, docid, values };
        let addr = Arc::as_ptr(&self.shared) as usize;
        Ok(Value::Pointer(Pointer(Arc::new(PointerData { addr, type_name: POINTER_TYPE.to_vec(), owner: Some(Box::new(row)) }))))
    }

    fn rowid(&mut self) -> Result<i64> {
        Ok(self.rows.get(self.pos).map(|r| r.0).unwrap_or(0))
    }
}
