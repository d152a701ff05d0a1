//! The R*Tree's SQL functions: rtreecheck([schema,] table) verifies a
//! tree's structure against its shadow tables and reports what is wrong
//! in SQLite's words ("ok" when nothing is); rtreenode(dims, blob) shows a
//! node's cells; rtreedepth(blob) reads a root's depth.
//!
//! Invariant: rtreecheck only reads, through statements run on the
//! calling statement's connection; it stops collecting messages after 100.

use crate::connection::Connection;
use crate::error::{code, Error, Result};
use crate::func::user::{UserFunction, UTF8};
use crate::func::Aggregate;
use crate::value::Value;

use super::node::{read_cell, MAX_DEPTH};
use super::shadow::{q, query, query_int, query_once};

/// The most messages rtreecheck() reports (RTREE_CHECK_MAX_ERROR).
const MAX_MESSAGES: usize = 100;

/// The state of one rtreecheck() run.
struct Check<'a> {
    conn: &'a mut Connection,
    db: String,
    tab: String,
    is_int: bool,
    n_dim: usize,
    n_leaf: i64,
    n_nonleaf: i64,
    report: Vec<String>,
    n_err: usize,
}

/// A value as text bytes (empty for NULL).
fn text_of(v: &Value) -> Vec<u8> {
    crate::vdbe::mem::to_text(v.as_ref()).map(|c| c.into_owned()).unwrap_or_default()
}

fn be16(b: &[u8]) -> usize {
    ((b[0] as usize) << 8) | b[1] as usize
}

impl Check<'_> {
    fn msg(&mut self, m: String) {
        if self.n_err < MAX_MESSAGES {
            self.report.push(m);
        }
        self.n_err += 1;
    }

    fn table(&self, suffix: &str) -> String {
        format!("'{}'.'{}{}'", q(&self.db), q(&self.tab), suffix)
    }

    fn get_node(&mut self, no: i64) -> Result<Option<Vec<u8>>> {
        let sql = format!("SELECT data FROM {} WHERE nodeno=?", self.table("_node"));
        let rows = query(self.conn, &sql, &[Value::Integer(no)])?;
        let blob = rows.into_iter().next().and_then(|r| r.into_iter().next()).map(|v| match v {
            Value::Blob(b) | Value::Text(b) => b,
            Value::Null => Vec::new(),
            other => text_of(&other),
        });
        if blob.is_none() {
            self.msg(format!("Node {no} missing from database"));
        }
        Ok(blob)
    }

    fn mapping(&mut self, leaf: bool, key: i64, val: i64) -> Result<()> {
        let sql = if leaf {
            format!("SELECT nodeno FROM {} WHERE rowid=?1", self.table("_rowid"))
        } else {
            format!("SELECT parentnode FROM {} WHERE nodeno=?1", self.table("_parent"))
        };
        let which = if leaf { "%_rowid" } else { "%_parent" };
        match query_int(self.conn, &sql, &[Value::Integer(key)])? {
            None => self.msg(format!("Mapping ({key} -> {val}) missing from {which} table")),
            Some(found) if found != val => self.msg(format!("Found ({key} -> {found}) in {which} table, expected ({key} -> {val})")),
            Some(_) => {}
        }
        Ok(())
    }

    fn coord_lt(&self, a: u32, b: u32) -> bool {
        if self.is_int {
            (a as i32) < (b as i32)
        } else {
            f32::from_bits(a) < f32::from_bits(b)
        }
    }

    fn cell_coords(&mut self, node: i64, i: usize, cell: &[u32], parent: Option<&[u32]>) {
        for d in 0..self.n_dim {
            let (c1, c2) = (cell[2 * d], cell[2 * d + 1]);
            if self.coord_lt(c2, c1) {
                self.msg(format!("Dimension {d} of cell {i} on node {node} is corrupt"));
            }
            if let Some(p) = parent {
                if self.coord_lt(c1, p[2 * d]) || self.coord_lt(p[2 * d + 1], c2) {
                    self.msg(format!("Dimension {d} of cell {i} on node {node} is corrupt relative to parent"));
                }
            }
        }
    }

    fn node(&mut self, mut depth: usize, parent: Option<&[u32]>, no: i64) -> Result<()> {
        let Some(data) = self.get_node(no)? else { return Ok(()) };
        if data.len() < 4 {
            self.msg(format!("Node {no} is too small ({} bytes)", data.len()));
            return Ok(());
        }
        if parent.is_none() {
            depth = be16(&data);
            if depth > MAX_DEPTH {
                self.msg(format!("Rtree depth out of range ({depth})"));
                return Ok(());
            }
        }
        let n_cell = be16(&data[2..]);
        let per_cell = 8 + self.n_dim * 2 * 4;
        if 4 + n_cell * per_cell > data.len() {
            self.msg(format!("Node {no} is too small for cell count of {n_cell} ({} bytes)", data.len()));
            return Ok(());
        }
        for i in 0..n_cell {
            let c = read_cell(&data[4 + i * per_cell..], self.n_dim * 2);
            let coords = c.coords[..self.n_dim * 2].to_vec();
            self.cell_coords(no, i, &coords, parent);
            if depth > 0 {
                self.mapping(false, c.id, no)?;
                self.node(depth - 1, Some(&coords), c.id)?;
                self.n_nonleaf += 1;
            } else {
                self.mapping(true, c.id, no)?;
                self.n_leaf += 1;
            }
        }
        Ok(())
    }

    fn count(&mut self, suffix: &str, expect: i64) -> Result<()> {
        let n = query_int(self.conn, &format!("SELECT count(*) FROM {}", self.table(suffix)), &[])?.unwrap_or(0);
        if n != expect {
            self.msg(format!("Wrong number of entries in %{suffix} table - expected {expect}, actual {n}"));
        }
        Ok(())
    }
}

/// The number of result columns of `sql` (None when it does not compile).
fn column_count(conn: &mut Connection, sql: &str) -> Result<usize> {
    let (stmt, _) = conn.prepare(sql)?;
    Ok(stmt.map_or(0, |s| s.column_count()))
}

/// rtreecheck's work: the report, or the error that stopped it.
pub fn check_table(conn: &mut Connection, db: &str, tab: &str) -> Result<String> {
    let rowid_sql = format!("SELECT * FROM '{}'.'{}_rowid'", q(db), q(tab));
    let n_aux = column_count(conn, &rowid_sql).map(|n| n.saturating_sub(2)).unwrap_or(0);
    let mut c = Check { conn, db: db.to_string(), tab: tab.to_string(), is_int: false, n_dim: 0, n_leaf: 0, n_nonleaf: 0, report: Vec::new(), n_err: 0 };
    let sql = format!("SELECT * FROM '{}'.'{}'", q(db), q(tab));
    let n_cols = column_count(c.conn, &sql)?;
    let n_dim = (n_cols as i64 - 1 - n_aux as i64) / 2;
    if n_dim < 1 {
        c.msg("Schema corrupt or not an rtree".to_string());
    } else {
        c.n_dim = n_dim as usize;
        match query_once(c.conn, &format!("{sql} LIMIT 1"), &[]) {
            Ok(rows) => {
                if let Some(row) = rows.first() {
                    c.is_int = matches!(row.get(1), Some(Value::Integer(_)));
                }
            }
            Err(e) if e.primary_code() == code::CORRUPT => {}
            Err(e) => return Err(e),
        }
        c.node(0, None, 1)?;
        let (leaf, nonleaf) = (c.n_leaf, c.n_nonleaf);
        c.count("_rowid", leaf)?;
        c.count("_parent", nonleaf)?;
    }
    Ok(if c.report.is_empty() { "ok".to_string() } else { c.report.join("\n") })
}

/// rtreecheck([schema,] table).
struct RtreeCheck;

impl UserFunction for RtreeCheck {
    fn is_aggregate(&self) -> bool {
        false
    }
    fn call(&self, _args: &[Value]) -> Result<Value> {
        Err(Error::with_message(code::MISUSE, "rtreecheck() needs its connection"))
    }
    fn call_with(&self, args: &[Value], conn: &mut dyn std::any::Any) -> Result<Value> {
        if args.len() != 1 && args.len() != 2 {
            return Err(Error::sql("wrong number of arguments to function rtreecheck()"));
        }
        let Some(conn) = conn.downcast_mut::<Connection>() else { return self.call(args) };
        let text = |v: &Value| String::from_utf8_lossy(&text_of(v)).into_owned();
        let (db, tab) = if args.len() == 1 { ("main".to_string(), text(&args[0])) } else { (text(&args[0]), text(&args[1])) };
        match check_table(conn, &db, &tab) {
            Ok(r) => Ok(Value::Text(r.into_bytes())),
            // SQLite reports the code alone (its generic message).
            Err(e) => Err(Error::with_message(e.extended_code(), crate::error::errstr(e.primary_code()))),
        }
    }
    fn start(&self) -> Box<dyn Aggregate> {
        unreachable_aggregate()
    }
}

/// rtreenode(dims, blob): "{rowid c0 c1 ...} {...}" with each coordinate
/// read as a 32-bit float and shown as printf's %g (NULL for a bad
/// dimension count, an empty node or a blob too short for its cells).
struct RtreeNode;

impl UserFunction for RtreeNode {
    fn is_aggregate(&self) -> bool {
        false
    }
    fn call(&self, args: &[Value]) -> Result<Value> {
        let n_dim = args.first().map_or(0, |v| crate::vdbe::mem::to_integer(v.as_ref()));
        if !(1..=5).contains(&n_dim) {
            return Ok(Value::Null);
        }
        let n_coord = 2 * n_dim as usize;
        let data = match args.get(1) {
            Some(Value::Blob(b)) | Some(Value::Text(b)) => b.clone(),
            Some(Value::Null) | None => return Ok(Value::Null),
            Some(v) => text_of(v),
        };
        if data.len() < 4 {
            return Ok(Value::Null);
        }
        let n = be16(&data[2..]);
        let per = 8 + 4 * n_coord;
        // An empty node (or one too short for its cells) gives NULL, as
        // SQLite's empty string builder does.
        if n == 0 || data.len() < 4 + n * per {
            return Ok(Value::Null);
        }
        let mut out = String::new();
        for i in 0..n {
            let c = read_cell(&data[4 + i * per..], n_coord);
            if i > 0 {
                out.push(' ');
            }
            out.push_str(&format!("{{{}", c.id));
            for k in 0..n_coord {
                let f = f32::from_bits(c.coords[k]) as f64;
                let s = crate::util::printf::format_values(b"%g", &[Value::Real(f)], 1_000_000)?;
                out.push(' ');
                out.push_str(&String::from_utf8_lossy(&s));
            }
            out.push('}');
        }
        Ok(Value::Text(out.into_bytes()))
    }
    fn start(&self) -> Box<dyn Aggregate> {
        unreachable_aggregate()
    }
}

/// rtreedepth(blob): the depth a root node records.
struct RtreeDepth;

impl UserFunction for RtreeDepth {
    fn is_aggregate(&self) -> bool {
        false
    }
    fn call(&self, args: &[Value]) -> Result<Value> {
        match args.first() {
            Some(Value::Blob(b)) if b.len() >= 2 => Ok(Value::Integer(be16(b) as i64)),
            _ => Err(Error::sql("Invalid argument to rtreedepth()")),
        }
    }
    fn start(&self) -> Box<dyn Aggregate> {
        unreachable_aggregate()
    }
}

/// The accumulator of a scalar that is asked for one: counts nothing,
/// returns NULL (never reached: `is_aggregate` is false).
struct NoAggregate;

impl Aggregate for NoAggregate {
    fn step(&mut self, _args: &[Value], _env: &mut dyn crate::func::FuncEnv) -> Result<()> {
        Ok(())
    }
    fn finalize(&mut self, _env: &mut dyn crate::func::FuncEnv) -> Result<Value> {
        Ok(Value::Null)
    }
}

pub fn unreachable_aggregate() -> Box<dyn Aggregate> {
    Box::new(NoAggregate)
}

/// Registers rtreenode(2), rtreedepth(1) and rtreecheck(any).
pub fn register(conn: &mut Connection) -> Result<()> {
    conn.create_function("rtreenode", 2, UTF8, 0, Some(Box::new(RtreeNode)), None)?;
    conn.create_function("rtreedepth", 1, UTF8, 0, Some(Box::new(RtreeDepth)), None)?;
    conn.create_function("rtreecheck", -1, UTF8, 0, Some(Box::new(RtreeCheck)), None)
}
