//! Virtual tables in the code generator: CREATE VIRTUAL TABLE, and the
//! planning and looping of a virtual table in a FROM clause.
//!
//! Planning follows SQLite's whereLoopAddVirtual: the WHERE terms that
//! constrain a column of the table become the constraints of an
//! `IndexInfo`, in SQLite's order (terms in place first, then the terms
//! SQLite derives — `x != y`, `x LIKE y`, BETWEEN halves, commuted
//! join equalities — then LIMIT and OFFSET), and xBestIndex is asked once
//! with every constraint usable, then once per distinct set of outer loops
//! the constraints need, then with none usable if no plan so far needed no
//! outer loop. Each answer is a candidate plan with the loops it needs
//! (`VtabPlan::prereq`) and its cost; the join orderer (`plan.rs`) reads
//! the costs and the loop is coded with the cheapest candidate its outer
//! loops allow: the argvIndex values are computed into registers, xFilter
//! receives them, and terms the module asked to omit are not tested again.
//!
//! Invariants: the candidates of a loop are computed once per statement
//! (`Builder::vtab_plans`), before the join order is chosen; a term is
//! omitted only when the chosen plan passes it to xFilter.

use std::sync::Arc;

use crate::error::{Error, Result};
use crate::parse::ast::{self, BinaryOp, Expr, LikeOp};
use crate::value::Value;
use crate::schema::Table;
use crate::vdbe::{Op, Reg};
use crate::vtab::index_info::{op, SCAN_HEX, SCAN_UNIQUE};
use crate::vtab::{IndexConstraint, IndexInfo, IndexOrderBy, VTable, VtabRef};

use super::expr::{walk, Source, ROWID};
use super::where_::Level;
use super::Builder;

/// The value a constraint compares with.
#[derive(Clone, Debug)]
pub(super) enum RhsValue {
    /// No value (IS NULL, IS NOT NULL): xFilter receives NULL.
    Null,
    Expr(Expr),
    /// LIMIT / OFFSET: the register the SELECT keeps it in.
    Reg(Reg),
    /// `column IN (list)` / `column IN (SELECT ...)`: coded by `vtab_in`.
    In(super::vtab_in::InValues),
}

/// One constraint of the table's IndexInfo.
#[derive(Clone, Debug)]
pub(super) struct VTerm {
    pub(super) column: i32,
    pub(super) op: u8,
    pub(super) value: RhsValue,
    /// Loops (FROM-order bits) the value reads.
    pub(super) prereq: u64,
    /// The WHERE term it is (`in_place`) or was derived from; LIMIT and
    /// OFFSET have none.
    pub(super) term: Option<usize>,
    pub(super) in_place: bool,
    pub(super) collation: String,
    pub(super) rhs: Option<Value>,
    /// An IN constraint: its left operand (the column), for the check
    /// after xFilter and the values' affinity and collation.
    pub(super) in_left: Option<Expr>,
}

/// One answer of xBestIndex.
#[derive(Clone, Debug)]
pub(super) struct VtabPlan {
    pub prereq: u64,
    idx_num: i32,
    idx_str: Option<Arc<str>>,
    pub ordered: bool,
    pub cost: f64,
    pub rows: i64,
    hex: bool,
    /// Constraint index for each xFilter argument, in argv order.
    args: Vec<usize>,
    /// The constraints whose terms need not be tested again.
    omit: Vec<bool>,
    omit_offset: bool,
    /// The IN constraints the module takes as one list value.
    handle_in: Vec<bool>,
    /// SQLITE_INDEX_SCAN_UNIQUE stands: at most one row.
    unique: bool,
}

impl VtabPlan {
    /// Whether the plan passes any constraint to xFilter (SQLite keeps
    /// only such plans for an OR branch).
    pub(super) fn uses_terms(&self) -> bool {
        !self.args.is_empty()
    }
}

/// Every candidate plan of one virtual-table loop.
pub(crate) struct VtabLevel {
    pub cursor: usize,
    terms: Vec<VTerm>,
    plans: Vec<VtabPlan>,
    /// The loops' cursors in FROM order (bit i = loop i).
    from: Vec<usize>,
    /// How many WHERE terms each WHERE term derived constraints from (a
    /// term is omitted once all of them are).
    children: Vec<usize>,
    /// The offset register when the OFFSET was passed.
    offset_reg: Option<Reg>,
    /// The constraints come from the loop's ON terms (a LEFT JOIN).
    on_terms: bool,
}

/// The LIMIT's register and expression, and the OFFSET's.
pub(super) type LimitFacts<'a> = (Reg, &'a Expr, Option<(Reg, &'a Expr)>);

/// What the SELECT knows that xBestIndex is told: its ORDER BY (or GROUP
/// BY, or DISTINCT result list), sqlite3_vtab_distinct's answer, LIMIT /
/// OFFSET, and the columns it reads.
#[derive(Default)]
pub(super) struct QueryFacts<'a> {
    pub order_by: Vec<(Expr, bool)>,
    pub distinct: i32,
    /// LIMIT / OFFSET when SQLite would pass them.
    pub limit: Option<LimitFacts<'a>>,
    pub exprs: Vec<&'a Expr>,
    /// Every column counts as used (UPDATE, as SQLite tells xBestIndex).
    pub all_columns: bool,
}

/// CREATE VIRTUAL TABLE: the sqlite_schema row as SQLite writes it (type
/// 'table', root page 0, the statement's text), then xCreate.
pub(super) fn compile_create(b: &mut Builder<'_>, vt: &ast::CreateVirtualTable, sql: &str) -> Result<()> {
    let db = match &vt.name.schema {
        Some(s) => b.schemas.db_index(s).ok_or_else(|| Error::sql(format!("unknown database {s}")))?,
        None => 0,
    };
    let name = &vt.name.name;
    if name.len() >= 7 && name[..7].eq_ignore_ascii_case("sqlite_") {
        return Err(Error::sql(format!("object name reserved for internal use: {name}")));
    }
    let s = b.schemas.get(db);
    if s.table(name).is_some() {
        if vt.if_not_exists {
            b.extra_reads |= 1 << db;
            b.reads = true;
            return Ok(());
        }
        return Err(Error::sql(format!("table {name} already exists")));
    }
    if s.index(name).is_some() {
        return Err(Error::sql(format!("there is already an index named {name}")));
    }
    let sc = super::ddl::open_schema_for_write(b, db);
    super::ddl::insert_schema_row(b, sc, "table", name, name, None, Some(sql));
    super::ddl::finish_schema_change(b, db);
    b.emit(Op::VCreate { db, name: Arc::from(name.as_str()), sql: Arc::from(sql) });
    Ok(())
}

/// The connected table behind virtual table `t` (xConnect on first use).
pub(super) fn connected(b: &Builder<'_>, t: &Table) -> Result<Arc<VTable>> {
    crate::vtab::connect(t, b.schemas.db_name(t.db))
}

/// A virtual table named in FROM: its source (the declared columns) and
/// its cursor, opened once for the statement (OP_VOpen).
pub(super) fn open_source(b: &mut Builder<'_>, t: &Table, label: &str) -> Result<(Source, Arc<VTable>)> {
    let vt = connected(b, t)?;
    let cursor = b.alloc_cursor();
    b.emit(Op::VOpen { cursor, vtab: VtabRef(vt.clone()) });
    b.reads = true;
    b.extra_reads |= 1 << t.db;
    let mut source = Source::from_table(label, vt.table.clone(), cursor);
    for (c, h) in source.columns.iter_mut().zip(&vt.hidden) {
        c.hidden = *h;
    }
    Ok((source, vt))
}

/// A table-valued function's arguments as `hidden column = argument`
/// terms, the columns taken in order (SQLite's sqlite3WhereTabFuncArgs).
pub(super) fn function_args(vt: &VTable, label: &str, args: &[Expr]) -> Result<Vec<Expr>> {
    let hidden: Vec<&str> = vt.table.columns.iter().zip(&vt.hidden).filter(|(_, h)| **h).map(|(c, _)| c.name.as_str()).collect();
    if args.len() > hidden.len() {
        return Err(Error::sql(format!("too many arguments on {}() - max {}", vt.table.name, hidden.len())));
    }
    Ok(args
        .iter()
        .zip(hidden)
        .map(|(a, c)| Expr::Binary(Box::new(Expr::Column { schema: None, table: Some(label.to_string()), column: c.to_string() }), BinaryOp::Eq, Box::new(a.clone())))
        .collect())
}

/// The connected virtual table read through cursor `cursor`, if any.
fn vtab_of(b: &Builder<'_>, cursor: usize) -> Option<Arc<VTable>> {
    let depth = b.scopes.len().checked_sub(1)?;
    let src = b.scopes[depth].sources.iter().find(|s| s.cursor == cursor)?;
    let t = src.table.as_ref().filter(|t| t.module.is_some())?;
    connected(b, t).ok()
}

/// The (column, cursor) a term operand names, unwrapping COLLATE, when it
/// is a column of one of the loops (`from`).
pub(super) fn loop_column(b: &mut Builder<'_>, from: &[usize], e: &Expr) -> Option<(usize, i32)> {
    let inner = match e {
        Expr::Collate { expr, .. } => expr.as_ref(),
        other => other,
    };
    let c = b.column_ref(inner).ok()??;
    if c.depth + 1 != b.scopes.len() || !from.contains(&c.cursor) {
        return None;
    }
    Some((c.cursor, if c.column == ROWID { -1 } else { c.column as i32 }))
}

pub(super) fn bits(b: &mut Builder<'_>, from: &[usize], e: &Expr) -> (u64, bool) {
    super::plan::loops_read(b, from, e)
}

pub(super) fn commute(op: BinaryOp) -> BinaryOp {
    match op {
        BinaryOp::Lt => BinaryOp::Gt,
        BinaryOp::Le => BinaryOp::Ge,
        BinaryOp::Gt => BinaryOp::Lt,
        BinaryOp::Ge => BinaryOp::Le,
        o => o,
    }
}

pub(super) fn binary_code(o: BinaryOp) -> Option<u8> {
    Some(match o {
        BinaryOp::Eq => op::EQ,
        BinaryOp::Lt => op::LT,
        BinaryOp::Le => op::LE,
        BinaryOp::Gt => op::GT,
        BinaryOp::Ge => op::GE,
        BinaryOp::Is => op::IS,
        _ => return None,
    })
}

/// A constant value of an expression, for sqlite3_vtab_rhs_value.
pub(super) fn constant(e: &Expr) -> Option<crate::value::Value> {
    crate::schema::constant_value(e)
}

/// The range SQLite's LIKE / GLOB optimization derives from a pattern
/// with a literal prefix: (lower bound, upper bound, whether the pattern
/// is the prefix then one trailing wildcard, whether the comparison
/// ignores case). None when the prefix is empty or reads as a number (a
/// virtual table's column may hold numbers).
fn like_range(lop: LikeOp, pattern: &Expr, escape: Option<u8>) -> Option<(String, String, bool, bool)> {
    let Expr::Literal(ast::Literal::String(z)) = pattern else { return None };
    let (wc, nocase): (&[u8], bool) = match lop {
        LikeOp::Like => (b"%_", true),
        LikeOp::Glob => (b"*?[", false),
        _ => return None,
    };
    let bytes = z.as_bytes();
    // The prefix runs to the first wildcard; an ESCAPE character makes
    // the (ASCII) character after it literal, and leaves the prefix.
    let mut cnt = 0;
    let mut unescaped = Vec::new();
    while cnt < bytes.len() && !wc.contains(&bytes[cnt]) {
        let c = bytes[cnt];
        cnt += 1;
        if Some(c) == escape && cnt < bytes.len() && bytes[cnt] > 0 && bytes[cnt] < 0x80 {
            unescaped.push(bytes[cnt]);
            cnt += 1;
        } else {
            unescaped.push(c);
        }
    }
    if cnt == 0 || !bytes[..cnt].is_ascii() {
        return None;
    }
    let prefix = std::str::from_utf8(&unescaped).ok()?;
    let is_num = |t: &str| crate::util::atof(t.as_bytes()).1 > 0;
    let mut bumped = prefix.as_bytes().to_vec();
    if let Some(l) = bumped.last_mut() {
        *l = l.wrapping_add(1);
    }
    if is_num(prefix) || (prefix == "-") || is_num(&String::from_utf8_lossy(&bumped)) {
        return None;
    }
    let complete = cnt + 1 == bytes.len() && bytes[cnt] == wc[0];
    let mut complete = complete;
    let (lo, mut hi) = if nocase { (prefix.to_ascii_uppercase(), prefix.to_ascii_lowercase().into_bytes()) } else { (prefix.to_string(), prefix.as_bytes().to_vec()) };
    if let Some(l) = hi.last_mut() {
        if nocase && *l == b'A' - 1 {
            complete = false;
        }
        let c = if nocase { l.to_ascii_lowercase() } else { *l };
        *l = c.wrapping_add(1);
    }
    Some((lo, String::from_utf8_lossy(&hi).into_owned(), complete, nocase))
}

/// Builds the constraints of loop `cursor` from `terms`, in SQLite's order.
pub(super) fn constraints(b: &mut Builder<'_>, cursor: usize, from: &[usize], terms: &[Expr], unusable: u64) -> Result<(Vec<VTerm>, Vec<usize>)> {
    let me = from.iter().position(|&c| c == cursor).map(|k| 1u64 << k).unwrap_or(0);
    let mut in_place: Vec<VTerm> = Vec::new();
    // Derived constraints, by the term that derives them.
    let mut derived: Vec<Vec<VTerm>> = vec![Vec::new(); terms.len()];
    let mut children = vec![0usize; terms.len()];
    for (k, t) in terms.iter().enumerate() {
        match t {
            Expr::Binary(l, o, r) if binary_code(*o).is_some() => {
                let lc = loop_column(b, from, l);
                let rc = loop_column(b, from, r);
                let coll = b.comparison_collation(l, r).map(|c| c.name().to_string()).unwrap_or_else(|_| "BINARY".into());
                if let Some((c, col)) = lc {
                    if c == cursor {
                        let (p, _) = bits(b, from, r);
                        let code = binary_code(*o).unwrap_or(op::EQ);
                        in_place.push(VTerm { column: col, op: code, value: RhsValue::Expr((**r).clone()), prereq: p, term: Some(k), in_place: true, collation: coll.clone(), rhs: constant(r), in_left: None });
                    }
                }
                if let Some((c, col)) = rc {
                    let code = binary_code(commute(*o)).unwrap_or(op::EQ);
                    let (p, _) = bits(b, from, l);
                    let v = VTerm { column: col, op: code, value: RhsValue::Expr((**l).clone()), prereq: p, term: Some(k), in_place: lc.is_none(), collation: coll.clone(), rhs: constant(l), in_left: None };
                    if lc.is_some() {
                        children[k] += 1;
                        if c == cursor {
                            derived[k].push(v);
                        }
                    } else if c == cursor {
                        in_place.push(v);
                    }
                }
            }
            Expr::IsNull { expr, not: false } => {
                if let Some((c, col)) = loop_column(b, from, expr) {
                    if c == cursor {
                        let coll = b.comparison_collation(expr, expr).map(|c| c.name().to_string()).unwrap_or_else(|_| "BINARY".into());
                        in_place.push(VTerm { column: col, op: op::ISNULL, value: RhsValue::Null, prereq: 0, term: Some(k), in_place: true, collation: coll, rhs: None, in_left: None });
                    }
                }
            }
            Expr::IsNull { expr, not: true } => {
                if let Some((c, col)) = loop_column(b, from, expr) {
                    children[k] += 1;
                    if c == cursor {
                        derived[k].push(VTerm { column: col, op: op::ISNOTNULL, value: RhsValue::Null, prereq: 0, term: Some(k), in_place: false, collation: "BINARY".into(), rhs: None, in_left: None });
                    }
                }
            }
            Expr::Binary(l, o @ (BinaryOp::Ne | BinaryOp::IsNot), r) => {
                let code = if *o == BinaryOp::Ne { op::NE } else { op::ISNOT };
                // SQLite reports BINARY for the operators it derives (their
                // term has no left operand).
                let coll = String::from("BINARY");
                // The right operand first when both are columns, as SQLite
                // swaps them before deriving.
                let mut sides: Vec<(&Expr, &Expr)> = Vec::new();
                let lv = loop_column(b, from, l).is_some();
                let rv = loop_column(b, from, r).is_some();
                if rv {
                    sides.push((r, l));
                }
                if lv {
                    sides.push((l, r));
                }
                for (col_e, val_e) in sides {
                    let Some((c, col)) = loop_column(b, from, col_e) else { continue };
                    let (pv, _) = bits(b, from, val_e);
                    let (pc, _) = bits(b, from, col_e);
                    if pv & pc != 0 {
                        continue;
                    }
                    children[k] += 1;
                    if c == cursor {
                        derived[k].push(VTerm { column: col, op: code, value: RhsValue::Expr(val_e.clone()), prereq: pv, term: Some(k), in_place: false, collation: coll.clone(), rhs: constant(val_e), in_left: None });
                    }
                }
            }
            Expr::Like { lhs, not: false, op: lop, rhs, escape } => {
                // An ESCAPE must be one byte, no wildcard of LIKE, for the
                // prefix range; the call then has three arguments, which
                // SQLite never offers as a LIKE constraint.
                let esc = match escape.as_deref() {
                    None => None,
                    Some(Expr::Literal(ast::Literal::String(e))) if *lop == LikeOp::Like && e.len() == 1 && e != "%" && e != "_" => Some(e.as_bytes()[0]),
                    Some(_) => continue,
                };
                // SQLite's LIKE / GLOB optimization first: a literal prefix
                // becomes `x >= prefix AND x < prefix+1`.
                if let (Some((c, col)), Some((lo, hi, complete, nocase))) = (loop_column(b, from, lhs), like_range(*lop, rhs, esc)) {
                    if complete {
                        children[k] += 2;
                    }
                    if c == cursor {
                        let coll = if nocase { "NOCASE" } else { "BINARY" };
                        for (code, v) in [(op::GE, lo), (op::LT, hi)] {
                            let e = Expr::Literal(ast::Literal::String(v));
                            derived[k].push(VTerm { column: col, op: code, rhs: constant(&e), value: RhsValue::Expr(e), prereq: 0, term: if complete { Some(k) } else { None }, in_place: false, collation: coll.into(), in_left: None });
                        }
                    }
                }
                if let Some((c, col)) = loop_column(b, from, lhs).filter(|_| escape.is_none()) {
                    let (pv, _) = bits(b, from, rhs);
                    if pv & me == 0 || c != cursor {
                        children[k] += 1;
                        if c == cursor {
                            let code = match lop {
                                LikeOp::Like => op::LIKE,
                                LikeOp::Glob => op::GLOB,
                                LikeOp::Regexp => op::REGEXP,
                                LikeOp::Match => op::MATCH,
                            };
                            derived[k].push(VTerm { column: col, op: code, value: RhsValue::Expr((**rhs).clone()), prereq: pv, term: Some(k), in_place: false, collation: "BINARY".into(), rhs: constant(rhs), in_left: None });
                        }
                    }
                }
            }
            // f(column, value) where the module's xFindFunction answers
            // SQLITE_INDEX_CONSTRAINT_FUNCTION or more: a constraint with
            // that operator (SQLite asks during WHERE analysis).
            Expr::Function(f) if f.filter.is_none() && f.over.is_none() && !f.distinct => {
                let ast::FunctionArgs::List(args) = &f.args else { continue };
                let [col_e, val_e] = args.as_slice() else { continue };
                let Some((c, col)) = loop_column(b, from, col_e) else { continue };
                let Some(vt) = vtab_of(b, c) else { continue };
                let (pv, _) = bits(b, from, val_e);
                let (pc, _) = bits(b, from, col_e);
                if pv & pc != 0 {
                    continue;
                }
                let name = f.name.to_ascii_lowercase();
                let found = vt.lock().find_function(2, &name).map(|(rc, _)| rc);
                if let Some(code) = found.filter(|rc| *rc >= i32::from(op::FUNCTION) && *rc <= 255) {
                    children[k] += 1;
                    if c == cursor {
                        derived[k].push(VTerm { column: col, op: code as u8, value: RhsValue::Expr(val_e.clone()), prereq: pv, term: Some(k), in_place: false, collation: "BINARY".into(), rhs: constant(val_e), in_left: None });
                    }
                }
            }
            // `x IN (one constant)` is an equality to SQLite (its parser
            // rewrites it as `x = +value`).
            Expr::InList { expr, not: false, list } if list.len() == 1 && super::vtab_in::parse_constant(&list[0]) => {
                if let Some((c, col)) = loop_column(b, from, expr) {
                    if c == cursor {
                        let coll = b.comparison_collation(expr, &list[0]).map(|c| c.name().to_string()).unwrap_or_else(|_| "BINARY".into());
                        in_place.push(VTerm { column: col, op: op::EQ, value: RhsValue::Expr(list[0].clone()), prereq: 0, term: Some(k), in_place: true, collation: coll, rhs: constant(&list[0]), in_left: None });
                    }
                }
            }
            // `x IN (...)`: an equality whose values the engine loops over,
            // or that the module takes as one list (sqlite3_vtab_in).
            Expr::InList { expr, not: false, list } if !list.is_empty() => in_term(b, cursor, from, k, t, expr, &mut in_place),
            Expr::InSelect { expr, not: false, .. } => in_term(b, cursor, from, k, t, expr, &mut in_place),
            Expr::InList { .. } => {}
            // `x = 1 OR x = 2` gives `x IN (1, 2)`.
            Expr::Binary(_, BinaryOp::Or, _) => {
                if let Some((c, v)) = super::vtab_or::or_in(b, from, k, t) {
                    children[k] += 1;
                    if c == cursor {
                        derived[k].push(v);
                    }
                }
            }
            Expr::Between { expr, not: false, low, high } => {
                if let Some((c, col)) = loop_column(b, from, expr) {
                    children[k] += 2;
                    if c == cursor {
                        let coll_l = b.comparison_collation(expr, low).map(|c| c.name().to_string()).unwrap_or_else(|_| "BINARY".into());
                        let coll_h = b.comparison_collation(expr, high).map(|c| c.name().to_string()).unwrap_or_else(|_| "BINARY".into());
                        let (pl, _) = bits(b, from, low);
                        let (ph, _) = bits(b, from, high);
                        derived[k].push(VTerm { column: col, op: op::GE, value: RhsValue::Expr((**low).clone()), prereq: pl, term: Some(k), in_place: false, collation: coll_l, rhs: constant(low), in_left: None });
                        derived[k].push(VTerm { column: col, op: op::LE, value: RhsValue::Expr((**high).clone()), prereq: ph, term: Some(k), in_place: false, collation: coll_h, rhs: constant(high), in_left: None });
                    }
                }
            }
            _ => {}
        }
    }
    let mut out = in_place;
    // SQLite analyses the terms from the last to the first, appending
    // what it derives.
    for d in derived.into_iter().rev() {
        out.extend(d);
    }
    // A value that reads the table itself, or a loop that must come after
    // it, is never offered.
    out.retain(|v| v.prereq & (unusable | me) == 0);
    Ok((out, children))
}

/// `x IN (...)` on a column of loop `cursor`: an equality whose values
/// the engine loops over, or that the module takes as one list
/// (sqlite3_vtab_in), in place.
pub(super) fn in_term(b: &mut Builder<'_>, cursor: usize, from: &[usize], k: usize, t: &Expr, expr: &Expr, in_place: &mut Vec<VTerm>) {
    let Some((c, col)) = loop_column(b, from, expr) else { return };
    if c != cursor {
        return;
    }
    let Some((values, prereq)) = super::vtab_in::in_values(b, from, t) else { return };
    let (coll, _) = b.expr_collation(expr);
    let collation = coll.unwrap_or_else(|| "BINARY".into());
    in_place.push(VTerm { column: col, op: op::EQ, value: RhsValue::In(values), prereq, term: Some(k), in_place: true, collation, rhs: None, in_left: Some(expr.clone()) });
}

/// The columns of loop `cursor` that `exprs` read (SQLite's colUsed: bit
/// i for column i, bit 63 for every column from the 64th on).
fn columns_used(b: &mut Builder<'_>, cursor: usize, exprs: &[&Expr]) -> u64 {
    let mut used = 0u64;
    let depth = b.scopes.len().saturating_sub(1);
    for e in exprs {
        walk(e, &mut |x| {
            if matches!(x, Expr::Column { .. } | Expr::DoubleQuotedId(_)) {
                if let Ok(Some(c)) = b.column_ref(x) {
                    if c.cursor == cursor && c.depth == depth && c.column != ROWID {
                        used |= 1u64 << c.column.min(63);
                    }
                }
            }
            true
        });
    }
    used
}

/// Computes the candidate plans of every virtual-table loop of `levels`
/// (FROM order) that has none yet.
pub(super) fn prepare(b: &mut Builder<'_>, levels: &[Level], terms: &[Expr], facts: &QueryFacts<'_>) -> Result<()> {
    let from: Vec<usize> = levels.iter().map(|l| l.cursor).collect();
    for (i, lv) in levels.iter().enumerate() {
        let Some(vt) = lv.vtab.clone() else { continue };
        if b.vtab_plans.iter().any(|p| p.cursor == lv.cursor) {
            continue;
        }
        if lv.right_join {
            return Err(Error::sql("virtual tables in RIGHT or FULL joins are not supported yet"));
        }
        // Loops a LEFT or CROSS join keeps before it (usable in every
        // call) and after it (never usable).
        let before: u64 = if lv.movable { 0 } else { (1u64 << i) - 1 };
        let after: u64 = if lv.movable || i + 1 >= 64 { 0 } else { !((1u64 << (i + 1)) - 1) };
        let on_terms = lv.left_join;
        let source_terms: &[Expr] = if on_terms { &lv.on_terms } else { terms };
        let (mut vterms, children) = constraints(b, lv.cursor, &from, source_terms, after)?;
        // LIMIT and OFFSET when every term is passed to the table and the
        // ORDER BY is too (SQLite's sqlite3WhereAddLimit).
        let mut offset_reg = None;
        if let Some((lreg, lexpr, off)) = facts.limit {
            let all_passed = levels.len() == 1
                && source_terms.iter().enumerate().all(|(k, _)| {
                    let mine: Vec<&VTerm> = vterms.iter().filter(|v| v.term == Some(k)).collect();
                    (!mine.is_empty() && mine.iter().all(|v| v.prereq == 0)) && (children[k] == 0 || mine.iter().filter(|v| !v.in_place).count() == children[k])
                })
                && facts.order_by.iter().all(|(e, _)| matches!(e, Expr::Column { .. } | Expr::DoubleQuotedId(_)) && loop_column(b, &from, e).is_some_and(|(c, _)| c == lv.cursor));
            if all_passed {
                let lit = |e: &Expr| match constant(e) {
                    Some(Value::Integer(n)) if n >= 0 && n <= i32::MAX as i64 => Some(Value::Integer(n)),
                    _ => None,
                };
                if let Some((oreg, oexpr)) = off {
                    vterms.push(VTerm { column: 0, op: op::OFFSET, value: RhsValue::Reg(oreg), prereq: 0, term: None, in_place: false, collation: "BINARY".into(), rhs: lit(oexpr), in_left: None });
                    offset_reg = Some(oreg);
                }
                vterms.push(VTerm { column: 0, op: op::LIMIT, value: RhsValue::Reg(lreg), prereq: 0, term: None, in_place: false, collation: "BINARY".into(), rhs: lit(lexpr), in_left: None });
            }
        }
        // ORDER BY terms, when every one is a column of this table.
        let mut order_by = Vec::new();
        for (e, desc) in &facts.order_by {
            let col = match e {
                Expr::Collate { expr, collation } => match loop_column(b, &from, expr) {
                    Some((c, col)) if c == lv.cursor => {
                        let declared = if col < 0 { None } else { vt.table.columns.get(col as usize).and_then(|c| c.collation.clone()) };
                        if col < 0 || declared.unwrap_or_else(|| "BINARY".into()).eq_ignore_ascii_case(collation) {
                            Some(col)
                        } else {
                            None
                        }
                    }
                    _ => None,
                },
                _ => match loop_column(b, &from, e) {
                    Some((c, col)) if c == lv.cursor => Some(col),
                    _ => None,
                },
            };
            match col {
                Some(c) => order_by.push(IndexOrderBy { column: c, desc: *desc }),
                None => {
                    order_by.clear();
                    break;
                }
            }
        }
        let mut exprs: Vec<&Expr> = facts.exprs.clone();
        exprs.extend(terms.iter());
        exprs.extend(lv.on_terms.iter());
        let col_used = if facts.all_columns { u64::MAX } else { columns_used(b, lv.cursor, &exprs) };
        let distinct = if order_by.is_empty() { 0 } else { facts.distinct };
        let mut info = IndexInfo {
            constraints: vterms
                .iter()
                .enumerate()
                .map(|(k, v)| IndexConstraint { column: v.column, op: v.op, usable: false, term_offset: k as i32, collation: v.collation.clone(), rhs: v.rhs.clone(), is_in: v.in_left.is_some() && k < 32 })
                .collect(),
            order_by,
            usage: Vec::new(),
            idx_num: 0,
            idx_str: None,
            order_by_consumed: false,
            estimated_cost: 0.0,
            estimated_rows: 0,
            idx_flags: 0,
            col_used,
            distinct,
            handle_in: Vec::new(),
        };
        let plans = best_index_calls(&vt, &mut info, &vterms, before)?;
        super::vtab_or::branch_calls(b, &vt, &info, &vterms, source_terms, lv.cursor, &from, after, before)?;
        let mut children_all = children;
        children_all.resize(source_terms.len(), 0);
        b.vtab_plans.push(Arc::new(VtabLevel { cursor: lv.cursor, terms: vterms, plans, from: from.clone(), children: children_all, offset_reg, on_terms }));
    }
    Ok(())
}

/// Which constraints a call marks usable: those whose values read only
/// `loops`, not the INs with `no_in`, LIMIT / OFFSET only with `limit`.
#[derive(Clone, Copy)]
struct Usable {
    loops: u64,
    no_in: bool,
    limit: bool,
}

/// One xBestIndex call with the `usable` constraints marked usable
/// (SQLite's whereLoopAddVirtualOne). The plan is None when the module rejected the
/// combination (SQLITE_CONSTRAINT) or asked to retry without LIMIT /
/// OFFSET; `*uses_in` says whether it passes an IN constraint that the
/// engine must run value by value.
fn call_one(vt: &VTable, info: &mut IndexInfo, vterms: &[VTerm], before: u64, usable: Usable, retry: &mut bool, uses_in: &mut bool) -> Result<Option<VtabPlan>> {
    *uses_in = false;
    for (c, v) in info.constraints.iter_mut().zip(vterms) {
        let is_limit = matches!(v.op, op::LIMIT | op::OFFSET);
        c.usable = v.prereq & usable.loops == v.prereq && (usable.limit || !is_limit) && !(usable.no_in && v.in_left.is_some());
    }
    info.reset_outputs();
    let r = vt.lock().best_index(info);
    if let Err(e) = r {
        if e.primary_code() == crate::error::code::CONSTRAINT {
            return Ok(None);
        }
        return Err(e);
    }
    let name = &vt.table.name;
    let malfunction = || Error::sql(format!("{name}.xBestIndex malfunction"));
    let n = info.constraints.len();
    let mut args: Vec<Option<usize>> = vec![None; n];
    let mut prereq = before;
    let mut omit = vec![false; n];
    let mut omit_offset = false;
    let mut handle_in = vec![false; n];
    let mut ordered = info.order_by_consumed && !info.order_by.is_empty();
    let mut unique = info.idx_flags & SCAN_UNIQUE != 0;
    for (k, u) in info.usage.iter().enumerate().take(n) {
        if u.argv_index <= 0 {
            continue;
        }
        let pos = (u.argv_index - 1) as usize;
        if pos >= n || args[pos].is_some() || !info.constraints[k].usable {
            return Err(malfunction());
        }
        args[pos] = Some(k);
        prereq |= vterms[k].prereq;
        if u.omit {
            omit[k] = true;
            if vterms[k].op == op::OFFSET {
                omit_offset = true;
            }
        }
        if info.handle_in.get(k).copied().unwrap_or(false) {
            handle_in[k] = true;
        } else if vterms[k].in_left.is_some() {
            // The engine runs the IN value by value: the rows of the
            // values come one xFilter after the other, in no ORDER BY
            // order and possibly more than one.
            ordered = false;
            unique = false;
            *uses_in = true;
        }
        if matches!(vterms[k].op, op::LIMIT | op::OFFSET) {
            // LIMIT / OFFSET only stand when every other constraint is
            // used too, and no IN runs value by value; otherwise SQLite
            // asks again without them.
            let all_used = info.usage.iter().take(k).all(|u| u.argv_index > 0);
            if !all_used || *uses_in {
                *retry = true;
                return Ok(None);
            }
        }
    }
    let used = args.iter().rposition(|a| a.is_some()).map_or(0, |p| p + 1);
    let mut list = Vec::with_capacity(used);
    for a in &args[..used] {
        list.push(a.ok_or_else(malfunction)?);
    }
    Ok(Some(VtabPlan {
        prereq,
        idx_num: info.idx_num,
        idx_str: info.idx_str.as_deref().map(Arc::from),
        ordered,
        cost: info.estimated_cost,
        rows: if unique { info.estimated_rows.min(1) } else { info.estimated_rows },
        hex: info.idx_flags & SCAN_HEX != 0,
        args: list,
        omit,
        omit_offset,
        handle_in,
        unique,
    }))
}

/// SQLite's sequence of xBestIndex calls for one loop (whereLoopAddVirtual):
/// all usable; then, if that plan needed outer loops or ran an IN value
/// by value, all usable but the INs (if it ran one), one call per
/// distinct set of outer loops the constraints read, none usable if no
/// plan so far needed no outer loop, and none usable without the INs if
/// no plan so far needed neither. A rejected call counts as a plan that
/// needs nothing, as in SQLite.
pub(super) fn best_index_calls(vt: &VTable, info: &mut IndexInfo, vterms: &[VTerm], before: u64) -> Result<Vec<VtabPlan>> {
    let mut plans = Vec::new();
    let mut retry = false;
    let mut uses_in = false;
    let needs = |p: &Option<VtabPlan>| p.as_ref().map_or(0, |p| p.prereq & !before);
    let mut first = call_one(vt, info, vterms, before, Usable { loops: u64::MAX, no_in: false, limit: true }, &mut retry, &mut uses_in)?;
    if retry {
        first = call_one(vt, info, vterms, before, Usable { loops: u64::MAX, no_in: false, limit: false }, &mut false, &mut uses_in)?;
    }
    let m_best = needs(&first);
    let first_in = uses_in;
    plans.extend(first);
    if m_best == 0 && !first_in {
        return Ok(plans);
    }
    let mut seen_zero = false;
    let mut seen_zero_no_in = false;
    let mut m_best_no_in = 0u64;
    if first_in {
        let p = call_one(vt, info, vterms, before, Usable { loops: u64::MAX, no_in: true, limit: false }, &mut false, &mut uses_in)?;
        m_best_no_in = needs(&p);
        if m_best_no_in == 0 {
            seen_zero = true;
            seen_zero_no_in = true;
        }
        plans.extend(p);
    }
    let mut prev = 0u64;
    loop {
        let mut next = u64::MAX;
        for v in vterms {
            let this = v.prereq & !before;
            if this > prev && this < next {
                next = this;
            }
        }
        prev = next;
        if next == u64::MAX {
            break;
        }
        if next == m_best || next == m_best_no_in {
            continue;
        }
        let p = call_one(vt, info, vterms, before, Usable { loops: next | before, no_in: false, limit: false }, &mut false, &mut uses_in)?;
        if needs(&p) == 0 {
            seen_zero = true;
            if !uses_in {
                seen_zero_no_in = true;
            }
        }
        plans.extend(p);
    }
    if !seen_zero {
        let p = call_one(vt, info, vterms, before, Usable { loops: before, no_in: false, limit: false }, &mut false, &mut uses_in)?;
        if !uses_in {
            seen_zero_no_in = true;
        }
        plans.extend(p);
    }
    if !seen_zero_no_in {
        plans.extend(call_one(vt, info, vterms, before, Usable { loops: before, no_in: true, limit: false }, &mut false, &mut uses_in)?);
    }
    Ok(plans)
}

/// The candidates of the virtual-table loop on `cursor`, if it is one.
pub(super) fn level_plans(b: &Builder<'_>, cursor: usize) -> Option<Arc<VtabLevel>> {
    b.vtab_plans.iter().find(|p| p.cursor == cursor).cloned()
}

/// Cost and rows, in the join orderer's units, of the loop's cheapest
/// plan when the loops in `placed` (bits over `levels`) are outside it.
pub(super) fn estimate(vl: &VtabLevel, levels: &[Level], placed: u64) -> (u32, u32) {
    let placed_from = to_from_bits(vl, levels, placed);
    match vl.choose(placed_from) {
        Some(p) => (p.cost.clamp(1.0, u32::MAX as f64) as u32, p.rows.clamp(1, u32::MAX as i64) as u32),
        None => (u32::MAX, u32::MAX),
    }
}

fn to_from_bits(vl: &VtabLevel, levels: &[Level], placed: u64) -> u64 {
    let mut m = 0u64;
    for (i, lv) in levels.iter().enumerate().take(64) {
        if placed & (1 << i) != 0 {
            if let Some(k) = vl.from.iter().position(|&c| c == lv.cursor) {
                m |= 1 << k;
            }
        }
    }
    m
}

impl VtabLevel {
    /// The cheapest plan whose outer loops are all in `placed` (FROM
    /// bits); the first of equal costs.
    fn choose(&self, placed: u64) -> Option<&VtabPlan> {
        let mut best: Option<&VtabPlan> = None;
        for p in &self.plans {
            if p.prereq & !placed != 0 {
                continue;
            }
            if best.is_none_or(|b| p.cost < b.cost) {
                best = Some(p);
            }
        }
        best
    }
}

/// What `begin_loop` leaves for the rest of the loop.
pub(super) struct VLoop {
    pub top: usize,
    /// The WHERE (or ON) terms the chosen plan omits.
    pub omitted: Vec<usize>,
    pub on_terms: bool,
    /// The IN loops the engine runs around the scan, outermost first
    /// (closed after VNext by `vtab_in::end_loops`).
    pub in_loops: Vec<super::vtab_in::InLoop>,
}

/// Codes the start of the virtual-table loop at position `i` of the
/// ordered `levels`: the xFilter arguments (IN loops around the scan for
/// the INs the engine runs), then VFilter, which jumps to `empty` when
/// there is no row (to the next IN value inside an IN loop), then the
/// checks of those INs, which go to `next` (the row's VNext). Adds the
/// EXPLAIN QUERY PLAN line.
pub(super) fn begin_loop(b: &mut Builder<'_>, levels: &[Level], i: usize, empty: usize, next: usize) -> Result<VLoop> {
    let lv = &levels[i];
    let vl = level_plans(b, lv.cursor).ok_or_else(|| Error::with_message(crate::error::code::INTERNAL, "virtual table loop without a plan"))?;
    let placed = to_from_bits(&vl, levels, (1u64 << i.min(63)) - 1);
    let plan = vl.choose(placed).cloned().ok_or_else(|| Error::sql("no query solution"))?;
    let name = super::where_::level_name(b, lv);
    let idx_str = plan.idx_str.as_deref().unwrap_or("");
    let mut detail = if plan.hex { format!("SCAN {name} VIRTUAL TABLE INDEX 0x{:x}:{idx_str}", plan.idx_num) } else { format!("SCAN {name} VIRTUAL TABLE INDEX {}:{idx_str}", plan.idx_num) };
    if lv.left_join {
        detail.push_str(" LEFT-JOIN");
    }
    b.plan_note(detail);
    let argc = plan.args.len();
    let args = b.alloc_regs(argc.max(1));
    let mut in_loops: Vec<super::vtab_in::InLoop> = Vec::new();
    // The IN checks after xFilter: (column, register of the value).
    let mut checks: Vec<(Expr, Reg)> = Vec::new();
    for (j, &k) in plan.args.iter().enumerate() {
        match &vl.terms[k].value {
            RhsValue::Null => {
                b.emit(Op::Null { dest: args + j, count: 1 });
            }
            RhsValue::Expr(e) => b.expr(e, args + j)?,
            RhsValue::Reg(r) => {
                b.emit(Op::Copy { src: *r, dest: args + j, count: 1 });
            }
            RhsValue::In(values) => {
                let left = vl.terms[k].in_left.clone().ok_or_else(|| Error::with_message(crate::error::code::INTERNAL, "IN constraint without its column"))?;
                if plan.handle_in.get(k).copied().unwrap_or(false) {
                    super::vtab_in::code_list(b, &left, values, args + j)?;
                } else {
                    let done = in_loops.last().map_or(empty, |l| l.next);
                    let l = super::vtab_in::begin_value_loop(b, &left, values, args + j, done)?;
                    in_loops.push(l);
                    if !plan.omit[k] {
                        checks.push((left, args + j));
                    }
                }
            }
        }
    }
    if plan.omit_offset {
        if let Some(r) = vl.offset_reg {
            b.emit(Op::Integer { value: 0, dest: r });
        }
    }
    let not_found = in_loops.last().map_or(empty, |l| l.next);
    b.emit(Op::VFilter { cursor: lv.cursor, idx_num: plan.idx_num, idx_str: plan.idx_str.clone(), args, argc, target: not_found });
    let top = b.addr();
    for (left, r) in &checks {
        super::vtab_in::check_value(b, left, *r, next)?;
    }
    // A term is not tested again once every constraint it gave is omitted;
    // an IN the engine runs never is (its loop decides).
    let mut omitted_children = vec![0usize; vl.children.len()];
    let mut omitted = Vec::new();
    for &k in &plan.args {
        let v = &vl.terms[k];
        let engine_in = v.in_left.is_some() && !plan.handle_in.get(k).copied().unwrap_or(false);
        if !plan.omit[k] && !engine_in {
            continue;
        }
        let Some(t) = v.term else { continue };
        if v.in_place {
            omitted.push(t);
        } else if let Some(n) = omitted_children.get_mut(t) {
            *n += 1;
            if *n == vl.children[t] {
                omitted.push(t);
            }
        }
    }
    Ok(VLoop { top, omitted, on_terms: vl.on_terms, in_loops })
}

/// Rewrites the generic column reads of the loop's cursor into the
/// virtual-table opcodes (OP_VColumn, OP_VRowid).
pub(super) fn finish_loop(b: &mut Builder<'_>, cursor: usize) {
    for o in b.ops.iter_mut() {
        match o {
            Op::Column { cursor: c, column, dest, .. } if *c == cursor => {
                *o = Op::VColumn { cursor, column: *column, dest: *dest, nochange: false };
            }
            Op::Rowid { cursor: c, dest } if *c == cursor => {
                *o = Op::VRowid { cursor, dest: *dest };
            }
            _ => {}
        }
    }
}

/// Whether the single loop on `cursor` is planned to visit at most one
/// row (SCAN_UNIQUE): SQLite then changes that row during the scan
/// (one-pass), without a statement savepoint.
pub(super) fn single_loop_one_row(b: &Builder<'_>, cursor: usize) -> bool {
    level_plans(b, cursor).is_some_and(|vl| vl.choose(0).is_some_and(|p| p.unique))
}

/// Whether the single loop over a virtual table returns rows in the
/// ORDER BY's order (orderByConsumed), so that no sort is needed.
pub(super) fn single_loop_ordered(b: &Builder<'_>, levels: &[Level]) -> bool {
    let [lv] = levels else { return false };
    let Some(vl) = level_plans(b, lv.cursor) else { return false };
    vl.choose(0).is_some_and(|p| p.ordered)
}
