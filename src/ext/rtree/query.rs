//! Reading an R*Tree: the plan (xBestIndex: a rowid lookup, or a tree
//! search with one constraint per usable coordinate comparison or MATCH,
//! in SQLite's idxNum / idxStr form so that plans read the same), and the
//! cursor (xFilter runs the search of `search.rs`, which skips every
//! subtree whose box cannot hold a match, and collects the matching rows).
//!
//! idxStr holds two bytes per argument: the operator ('A' =, 'B' <=,
//! 'C' <, 'D' >=, 'E' >, 'F' MATCH) and the coordinate ('0' + column-1).
//!
//! Invariant: the cursor owns a copy of the rows it returns, taken during
//! xFilter, so changes made while it is open cannot disturb it.

use crate::connection::Connection;
use crate::error::{Error, Result};
use crate::value::Value;
use crate::vdbe::mem::{self, Num};
use crate::vtab::index_info::{op, SCAN_UNIQUE};
use crate::vtab::{IndexInfo, VTabCursor};

use super::callback;
use super::node::{Cell, CoordType};
use super::search::{self, Test};
use super::tree::{corrupt_vtab, Tree};
use super::Info;

/// xBestIndex, as SQLite's R*Tree answers it.
pub fn best_index(info: &Info, ii: &mut IndexInfo) -> Result<()> {
    let has_match = ii.constraints.iter().any(|c| c.op == op::MATCH);
    let mut idx = Vec::new();
    for k in 0..ii.constraints.len() {
        let c = &ii.constraints[k];
        if !has_match && c.usable && c.column <= 0 && c.op == op::EQ {
            for u in ii.usage.iter_mut() {
                *u = Default::default();
            }
            ii.idx_num = 1;
            ii.idx_str = None;
            ii.usage[k].argv_index = 1;
            ii.usage[k].omit = true;
            ii.estimated_cost = 30.0;
            ii.estimated_rows = 1;
            ii.idx_flags = SCAN_UNIQUE;
            return Ok(());
        }
        if idx.len() >= 40 {
            continue;
        }
        if c.usable && ((c.column > 0 && c.column as usize <= info.n_coord) || c.op == op::MATCH) {
            let (code, omit) = match c.op {
                op::EQ => (b'A', false),
                op::GT => (b'E', false),
                op::LE => (b'B', true),
                op::LT => (b'C', false),
                op::GE => (b'D', true),
                op::MATCH => (b'F', true),
                _ => (0, false),
            };
            if code != 0 {
                idx.push(code);
                idx.push((c.column - 1 + b'0' as i32) as u8);
                ii.usage[k].argv_index = (idx.len() / 2) as i32;
                ii.usage[k].omit = omit;
            }
        }
    }
    ii.idx_num = 2;
    ii.idx_str = if idx.is_empty() { None } else { Some(String::from_utf8_lossy(&idx).into_owned()) };
    let n_row = ROW_ESTIMATE >> (idx.len() / 2);
    ii.estimated_cost = 6.0 * n_row as f64;
    ii.estimated_rows = n_row;
    Ok(())
}

/// SQLite's row estimate for an R*Tree without sqlite_stat1 figures.
const ROW_ESTIMATE: i64 = 1_048_576;

/// An open scan.
pub struct Cursor {
    pub info: std::sync::Arc<Info>,
    /// The matching rows: rowid, box, auxiliary columns.
    rows: Vec<(Cell, Vec<Value>)>,
    pos: usize,
}

impl Cursor {
    pub fn new(info: std::sync::Arc<Info>) -> Cursor {
        Cursor { info, rows: Vec::new(), pos: 0 }
    }
}

/// Builds the tests of a tree search from idxStr and the arguments (as
/// SQLite converts them: large integers make < and > inclusive, a value
/// that is no number makes the test always or never true; a MATCH takes
/// the value of a geometry or query function, anything else is an
/// error).
fn tests(idx_str: &str, args: &[Value], n_coord: usize, max_level: i32) -> Result<Vec<Test>> {
    let b = idx_str.as_bytes();
    let mut out = Vec::with_capacity(args.len());
    for (k, a) in args.iter().enumerate() {
        let (Some(&opc), Some(&col)) = (b.get(2 * k), b.get(2 * k + 1)) else { return Err(corrupt_vtab()) };
        if opc >= b'F' {
            // SQLite fails a MATCH whose value no geometry function made
            // with a bare SQLITE_ERROR.
            let m = callback::match_arg(a).ok_or_else(|| Error::code(crate::error::code::ERROR))?;
            out.push(Test::Match(m.0.start(n_coord, max_level)));
            continue;
        }
        let coord = col.wrapping_sub(b'0') as usize;
        let t = match mem::numeric_type(a.as_ref()) {
            Some(Num::Int(i)) => {
                let mut opc = opc;
                if i >= 1 << 48 || i <= -(1 << 48) {
                    if opc == b'C' {
                        opc = b'B';
                    }
                    if opc == b'E' {
                        opc = b'D';
                    }
                }
                Test::Cmp { op: opc, coord, value: i as f64 }
            }
            Some(Num::Real(r)) => Test::Cmp { op: opc, coord, value: r },
            None if a.is_null() => Test::False,
            None if opc == b'C' || opc == b'B' => Test::True,
            None => Test::False,
        };
        out.push(t);
    }
    Ok(out)
}

impl Cursor {
    /// xFilter with the connection that reads the shadow tables.
    pub fn search(&mut self, conn: &mut Connection, idx_num: i32, idx_str: Option<&str>, args: &[Value]) -> Result<()> {
        self.rows.clear();
        self.pos = 0;
        let info = self.info.clone();
        let g = info.geometry(conn)?;
        let mut tree = Tree { conn, sh: &info.shadow, g };
        let mut found = Vec::new();
        if idx_num == 1 {
            let Some(a) = args.first() else { return Ok(()) };
            let rowid = match mem::numeric_type(a.as_ref()) {
                Some(Num::Int(i)) => Some(i),
                Some(Num::Real(r)) if crate::value::compare_int_real(r as i64, r) == std::cmp::Ordering::Equal => Some(r as i64),
                _ => None,
            };
            if let Some(rowid) = rowid {
                if let Some(leaf) = tree.sh.read_rowid(tree.conn, rowid)? {
                    let n = tree.load(leaf)?;
                    let c = n.cells.iter().find(|c| c.id == rowid).ok_or_else(corrupt_vtab)?;
                    found.push(*c);
                }
            }
        } else {
            let depth = tree.load(1)?.depth as i32;
            let mut tests = tests(idx_str.unwrap_or(""), args, info.n_coord, depth + 1)?;
            found = search::run(&mut tree, &mut tests)?;
        }
        for c in found {
            let aux = if info.shadow.n_aux > 0 { info.shadow.read_aux(tree.conn, c.id)? } else { Vec::new() };
            self.rows.push((c, aux));
        }
        Ok(())
    }
}

impl VTabCursor for Cursor {
    fn filter(&mut self, _idx_num: i32, _idx_str: Option<&str>, _args: &[Value]) -> Result<()> {
        Err(Error::sql("rtree: xFilter needs its connection"))
    }
    fn filter_on(&mut self, conn: &mut Connection, idx_num: i32, idx_str: Option<&str>, args: &[Value]) -> Result<()> {
        self.search(conn, idx_num, idx_str, args)
    }
    fn next(&mut self) -> Result<()> {
        self.pos += 1;
        Ok(())
    }
    fn eof(&mut self) -> bool {
        self.pos >= self.rows.len()
    }
    fn column(&mut self, i: usize, _nochange: bool) -> Result<Value> {
        let Some((c, aux)) = self.rows.get(self.pos) else { return Ok(Value::Null) };
        Ok(if i == 0 {
            Value::Integer(c.id)
        } else if i <= self.info.n_coord {
            match self.info.ty {
                CoordType::Real32 => Value::Real(f32::from_bits(c.coords[i - 1]) as f64),
                CoordType::Int32 => Value::Integer(c.coords[i - 1] as i32 as i64),
            }
        } else {
            aux.get(i - self.info.n_coord - 1).cloned().unwrap_or(Value::Null)
        })
    }
    fn rowid(&mut self) -> Result<i64> {
        Ok(self.rows.get(self.pos).map_or(0, |r| r.0.id))
    }
}
