//! SELECT: result columns, FROM sources, aggregates, DISTINCT, ORDER BY,
//! LIMIT/OFFSET and compound selects, written to a destination.
//!
//! A select produces rows into a `Dest`: the statement's result rows, a
//! register (scalar subquery, EXISTS), a transient index (IN, UNION) or a
//! transient table (subqueries in FROM, INSERT ... SELECT). The loops over
//! the FROM clause come from `where_`; this file decides what each
//! produced row turns into.

use std::borrow::Cow;
use std::sync::Arc;

use crate::collation::CollSeq;
use crate::error::{Error, Result};
use crate::parse::ast::{self, CompoundOp, Expr, FunctionArgs, NullsOrder, OrderingTerm, ResultColumn, Select, SelectBody, SelectCore, SortOrder};
use crate::record::KeyInfo;
use crate::vdbe::mem::Affinity;
use crate::vdbe::{CmpOp, Op, Reg};

use super::expr::{contains_aggregate, is_aggregate_call, walk, Scope, Source, SourceColumn, ROWID};
use super::aggregate::{compile_aggregate, resolve_group_by, Grouping};
use super::where_::{self, Level};
use super::Builder;

/// Where a select's rows go.
#[derive(Clone, Debug)]
pub enum Dest {
    /// The statement's result rows.
    Output,
    /// The first column of the first row into a register.
    Scalar(Reg),
    /// 1 into the register if there is any row.
    Exists(Reg),
    /// The single column of each row into a transient index (IN).
    InSet { cursor: usize, affinity: Option<Affinity>, key_info: Arc<KeyInfo> },
    /// Each row as a record into a transient rowid table.
    EphTable(usize),
    /// Each row as a record into a transient index (distinct rows).
    EphSet(usize),
    /// The queue of a recursive CTE: each row appended to the transient
    /// table `queue`, unless `seen` (UNION) already holds it.
    Queue { queue: usize, seen: Option<usize> },
    /// Nowhere: a SELECT run for its side effects (in a trigger body).
    Discard,
}

/// What a compiled select looks like from outside.
#[derive(Clone, Debug, Default)]
pub struct SelectOut {
    /// Result column names as sqlite3_column_name reports them (a plain
    /// column by its declared name).
    pub names: Vec<String>,
    /// The names as written in the select list: what a subquery or CTE
    /// over this select calls its columns (SQLite flattens those, so the
    /// outer query sees the inner select's own spelling).
    pub span_names: Vec<String>,
    pub decltypes: Vec<Option<String>>,
    /// Per column: (database, table, column) when it is a plain column of
    /// a table (sqlite3_column_database_name / table_name / origin_name).
    pub origins: Vec<Option<(String, String, String)>>,
    pub affinities: Vec<Option<Affinity>>,
    pub collations: Vec<Option<String>>,
    pub first_affinity: Option<Affinity>,
}

/// The pieces of the output stage shared by every row of a select.
pub(super) struct Output {
    pub(super) dest: Dest,
    pub(super) ncols: usize,
    pub(super) limit: Option<Reg>,
    pub(super) offset: Option<Reg>,
    /// Where to go when the LIMIT is reached (or a scalar got its row).
    pub(super) end: usize,
    pub(super) distinct: Option<usize>,
    /// Sorter cursor and the number of key fields, for ORDER BY.
    pub(super) sorter: Option<(usize, usize)>,
}

pub(crate) fn ordinal(n: usize) -> String {
    let suffix = match (n % 10, n % 100) {
        (1, x) if x != 11 => "st",
        (2, x) if x != 12 => "nd",
        (3, x) if x != 13 => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// Compiles a whole select (WITH, compounds, ORDER BY, LIMIT) into `dest`.
pub fn compile_select(b: &mut Builder<'_>, sel: &Select, dest: Dest) -> Result<SelectOut> {
    let pushed = match &sel.with {
        Some(w) => b.push_ctes(w),
        None => 0,
    };
    let r = if sel.compounds.is_empty() { compile_core(b, &sel.core, &sel.order_by, sel.limit.as_ref(), dest) } else { compile_compound(b, sel, dest) };
    b.pop_ctes(pushed);
    r
}

/// Evaluates LIMIT and OFFSET into registers; jumps to `end` at once for
/// LIMIT 0.
fn limit_regs(b: &mut Builder<'_>, limit: Option<&ast::Limit>, end: usize) -> Result<(Option<Reg>, Option<Reg>)> {
    let Some(l) = limit else { return Ok((None, None)) };
    b.scopes.push(Scope::default());
    let r = (|| {
        let lr = b.alloc_reg();
        b.expr(&l.limit, lr)?;
        b.emit(Op::MustBeInt { reg: lr });
        b.emit(Op::IfNot { reg: lr, target: end, jump_if_null: false });
        let or = match &l.offset {
            Some(o) => {
                let r = b.alloc_reg();
                b.expr(o, r)?;
                b.emit(Op::MustBeInt { reg: r });
                Some(r)
            }
            None => None,
        };
        Ok((Some(lr), or))
    })();
    b.scopes.pop();
    r
}

/// Emits one finished row `regs` to the destination, honouring OFFSET and
/// LIMIT.
fn emit_final(b: &mut Builder<'_>, out: &Output, regs: Reg) -> Result<()> {
    let skip = b.new_label();
    if let Some(o) = out.offset {
        b.emit(Op::IfPos { reg: o, target: skip, decrement: 1 });
    }
    match &out.dest {
        Dest::Output => {
            b.emit(Op::ResultRow { start: regs, count: out.ncols });
        }
        Dest::Scalar(r) => {
            b.emit(Op::Copy { src: regs, dest: *r, count: 1 });
            b.emit(Op::Goto { target: out.end });
        }
        Dest::Exists(r) => {
            b.emit(Op::Integer { value: 1, dest: *r });
            b.emit(Op::Goto { target: out.end });
        }
        Dest::InSet { cursor, affinity, .. } => {
            let tmp = b.alloc_reg();
            b.emit(Op::Copy { src: regs, dest: tmp, count: 1 });
            if let Some(a) = affinity {
                b.emit(Op::Affinity { start: tmp, affinities: Arc::from(vec![*a]) });
            }
            let rec = b.alloc_reg();
            b.emit(Op::MakeRecord { start: tmp, count: 1, dest: rec });
            b.emit(Op::IdxInsert { cursor: *cursor, key: rec });
        }
        Dest::EphTable(c) => {
            let rec = b.alloc_reg();
            let rowid = b.alloc_reg();
            b.emit(Op::MakeRecord { start: regs, count: out.ncols, dest: rec });
            b.emit(Op::NewRowid { cursor: *c, dest: rowid });
            b.emit(Op::Insert { cursor: *c, record: rec, rowid, count_change: false, set_last_rowid: false, hook: None });
        }
        Dest::EphSet(c) => {
            let rec = b.alloc_reg();
            b.emit(Op::MakeRecord { start: regs, count: out.ncols, dest: rec });
            b.emit(Op::IdxInsert { cursor: *c, key: rec });
        }
        Dest::Discard => {}
        Dest::Queue { queue, seen } => {
            let rec = b.alloc_reg();
            b.emit(Op::MakeRecord { start: regs, count: out.ncols, dest: rec });
            if let Some(s) = seen {
                b.emit(Op::Found { cursor: *s, key: regs, n: out.ncols, target: skip });
                b.emit(Op::IdxInsert { cursor: *s, key: rec });
            }
            let rowid = b.alloc_reg();
            b.emit(Op::NewRowid { cursor: *queue, dest: rowid });
            b.emit(Op::Insert { cursor: *queue, record: rec, rowid, count_change: false, set_last_rowid: false, hook: None });
        }
    }
    if let Some(l) = out.limit {
        b.emit(Op::DecrJumpZero { reg: l, target: out.end });
    }
    b.resolve(skip);
    Ok(())
}

/// A produced row: DISTINCT first, then the sorter or the final output.
/// `keys` are the ORDER BY key registers (when sorting).
pub(super) fn emit_row(b: &mut Builder<'_>, out: &Output, regs: Reg, keys: Option<Reg>) -> Result<()> {
    let skip = b.new_label();
    if let Some(d) = out.distinct {
        b.emit(Op::Found { cursor: d, key: regs, n: out.ncols, target: skip });
        let rec = b.alloc_reg();
        b.emit(Op::MakeRecord { start: regs, count: out.ncols, dest: rec });
        b.emit(Op::IdxInsert { cursor: d, key: rec });
    }
    match (out.sorter, keys) {
        (Some((cursor, nkey)), Some(k)) => {
            // Sorter record: keys, then the result columns.
            let all = b.alloc_regs(nkey + out.ncols);
            b.emit(Op::Copy { src: k, dest: all, count: nkey });
            b.emit(Op::Copy { src: regs, dest: all + nkey, count: out.ncols });
            let rec = b.alloc_reg();
            b.emit(Op::MakeRecord { start: all, count: nkey + out.ncols, dest: rec });
            b.emit(Op::SorterInsert { cursor, record: rec });
        }
        _ => emit_final(b, out, regs)?,
    }
    b.resolve(skip);
    Ok(())
}

/// After the loops: read the sorter back in order and emit each row.
fn drain_sorter(b: &mut Builder<'_>, out: &Output) -> Result<()> {
    let Some((cursor, nkey)) = out.sorter else { return Ok(()) };
    let done = b.new_label();
    b.emit(Op::SorterSort { cursor, target: done });
    let top = b.addr();
    let regs = b.alloc_regs(out.ncols);
    for i in 0..out.ncols {
        b.emit(Op::Column { cursor, column: nkey + i, dest: regs + i, default: None });
    }
    let plain = Output { sorter: None, distinct: None, dest: out.dest.clone(), ..*out };
    emit_final(b, &plain, regs)?;
    b.emit(Op::SorterNext { cursor, target: top });
    b.resolve(done);
    Ok(())
}

/// The KeyInfo of an ORDER BY: one field per key term (NULLS FIRST/LAST
/// against the default adds a leading "is null" field).
fn sort_key_info(b: &mut Builder<'_>, terms: &[(Expr, OrderingTerm)]) -> Result<(Arc<KeyInfo>, Vec<(Expr, bool, Option<bool>)>)> {
    let mut fields = Vec::new();
    let mut keys = Vec::new();
    for (e, t) in terms {
        let desc = t.order == Some(SortOrder::Desc);
        // NULL sorts first ascending and last descending; the other way
        // round needs an extra leading key.
        let flip = match t.nulls {
            Some(NullsOrder::Last) if !desc => Some(true),
            Some(NullsOrder::First) if desc => Some(false),
            _ => None,
        };
        if let Some(last) = flip {
            fields.push((CollSeq::Binary, !last));
        }
        let coll = b.expr_coll_seq(e)?;
        fields.push((coll, desc));
        keys.push((e.clone(), desc, flip));
    }
    Ok((Arc::new(KeyInfo::new(fields)), keys))
}

fn nkey_fields(keys: &[(Expr, bool, Option<bool>)]) -> usize {
    keys.iter().map(|(_, _, f)| if f.is_some() { 2 } else { 1 }).sum()
}

/// Evaluates ORDER BY keys into consecutive registers.
pub(super) fn eval_sort_keys(b: &mut Builder<'_>, keys: &[(Expr, bool, Option<bool>)]) -> Result<Reg> {
    let n = nkey_fields(keys);
    let base = b.alloc_regs(n);
    let mut i = 0;
    for (e, _, flip) in keys {
        b.expr(e, base + i + usize::from(flip.is_some()))?;
        if flip.is_some() {
            let v = base + i + 1;
            let lbl = b.new_label();
            b.emit(Op::Integer { value: 1, dest: base + i });
            b.emit(Op::IsNull { reg: v, target: lbl });
            b.emit(Op::Integer { value: 0, dest: base + i });
            b.resolve(lbl);
            i += 2;
        } else {
            i += 1;
        }
    }
    Ok(base)
}

/// Expands `*` and `t.*` and names each result column.
/// A result column written as an expression is borrowed from the statement;
/// `*` expansions are made here.
fn result_columns<'a>(b: &mut Builder<'_>, body: &'a SelectBody) -> Result<Vec<(Cow<'a, Expr>, String)>> {
    let mut out = Vec::new();
    let sources: Vec<Source> = b.scopes.last().map(|s| s.sources.clone()).unwrap_or_default();
    let last_right = b.scopes.last().and_then(|s| s.last_right);
    for rc in &body.columns {
        match rc {
            ResultColumn::Star => {
                if sources.is_empty() {
                    return Err(Error::sql("no tables specified"));
                }
                if let Some(ns) = b.nested_star.as_mut().filter(|ns| ns.depth == b.scopes.len() && ns.columns.is_empty()) {
                    for (e, name, col) in super::nested::expand_star(&sources) {
                        ns.columns.push(col);
                        out.push((Cow::Owned(e), name));
                    }
                    continue;
                }
                for (si, s) in sources.iter().enumerate() {
                    for (ci, c) in s.columns.iter().enumerate() {
                        if c.hidden || s.using_hidden.iter().any(|h| h.eq_ignore_ascii_case(&c.name)) {
                            continue;
                        }
                        if s.nested.get(ci).is_some_and(|n| !n.expand || n.rowid) {
                            continue;
                        }
                        // As in SQLite: left of a RIGHT or FULL join, a
                        // column a later USING names is expanded as the
                        // bare name, which reads the merged value (or is
                        // ambiguous).
                        let bare = last_right.is_some_and(|r| si < r)
                            && sources[si + 1..].iter().any(|t| t.using_hidden.iter().any(|h| h.eq_ignore_ascii_case(&c.name)));
                        let (table, column) = match s.nested.get(ci) {
                            Some(n) if !n.table.is_empty() => (Some(n.table.clone()), n.name.clone()),
                            Some(n) => (Some(s.name.clone()), n.name.clone()),
                            None => (Some(s.name.clone()), c.name.clone()),
                        };
                        let table = if bare { None } else { table };
                        out.push((Cow::Owned(Expr::Column { schema: None, table, column }), c.name.clone()));
                    }
                }
            }
            ResultColumn::TableStar(t) => {
                // A parenthesised join answers to its tables' names only.
                if let Some(s) = sources.iter().find(|s| s.nested.is_empty() && s.name.eq_ignore_ascii_case(t)) {
                    for c in s.columns.iter().filter(|c| !c.hidden) {
                        out.push((Cow::Owned(Expr::Column { schema: None, table: Some(s.name.clone()), column: c.name.clone() }), c.name.clone()));
                    }
                } else {
                    // A table inside a materialised parenthesised join.
                    let before = out.len();
                    for s in &sources {
                        for (c, n) in s.columns.iter().zip(&s.nested) {
                            if !n.rowid && n.table.eq_ignore_ascii_case(t) {
                                out.push((Cow::Owned(Expr::Column { schema: None, table: Some(n.table.clone()), column: n.name.clone() }), c.name.clone()));
                            }
                        }
                    }
                    if out.len() == before {
                        return Err(Error::sql(format!("no such table: {t}")));
                    }
                }
            }
            ResultColumn::Expr { expr, alias, text } => {
                let name = match (alias, expr) {
                    (Some(a), _) => a.clone(),
                    (None, Expr::Column { column, .. }) => column.clone(),
                    (None, Expr::DoubleQuotedId(name)) => name.clone(),
                    (None, _) => text.clone(),
                };
                out.push((Cow::Borrowed(expr), name));
            }
        }
    }
    Ok(out)
}

/// Resolves ORDER BY terms against the result columns: a number picks a
/// column, a bare name may be a result alias.
fn resolve_order_by(order_by: &[OrderingTerm], results: &[(Cow<'_, Expr>, String)], aliases: &[(String, Expr)]) -> Result<Vec<(Expr, OrderingTerm)>> {
    let mut out = Vec::new();
    for t in order_by {
        let e = match &t.expr {
            Expr::Literal(ast::Literal::Number(n)) => match n.parse::<i64>() {
                Ok(k) => {
                    if k < 1 || k as usize > results.len() {
                        return Err(Error::sql(format!(
                            "{} ORDER BY term out of range - should be between 1 and {}",
                            ordinal(out.len() + 1),
                            results.len()
                        )));
                    }
                    Expr::clone(&results[k as usize - 1].0)
                }
                Err(_) => t.expr.clone(),
            },
            Expr::Column { schema: None, table: None, column } => match aliases.iter().find(|(a, _)| a.eq_ignore_ascii_case(column)) {
                Some((_, e)) => e.clone(),
                None => t.expr.clone(),
            },
            Expr::Collate { expr, collation } => match expr.as_ref() {
                Expr::Literal(ast::Literal::Number(n)) if n.parse::<usize>().is_ok_and(|k| k >= 1 && k <= results.len()) => {
                    let k: usize = n.parse().unwrap_or(1);
                    Expr::Collate { expr: Box::new(Expr::clone(&results[k - 1].0)), collation: collation.clone() }
                }
                _ => t.expr.clone(),
            },
            _ => t.expr.clone(),
        };
        out.push((e, t.clone()));
    }
    Ok(out)
}

/// One SELECT core (or VALUES) with its own ORDER BY and LIMIT.
fn compile_core(b: &mut Builder<'_>, core: &SelectCore, order_by: &[OrderingTerm], limit: Option<&ast::Limit>, dest: Dest) -> Result<SelectOut> {
    match core {
        SelectCore::Values(rows) => compile_values(b, rows, order_by, limit, dest),
        SelectCore::Select(body) => {
            let rewritten = super::minmax::rewrite(b, body, order_by);
            let body: &SelectBody = match &rewritten {
                Some(r) => r,
                None => body,
            };
            let mut scope = Scope::default();
            let mut levels = Vec::new();
            let mut where_terms = Vec::new();
            if let Some(from) = &body.from {
                where_::build_from(b, from, &mut scope, &mut levels, &mut where_terms)?;
            }
            b.scopes.push(scope);
            let r = compile_body(b, body, levels, where_terms, order_by, limit, dest);
            b.scopes.pop();
            r
        }
    }
}

fn compile_values(b: &mut Builder<'_>, rows: &[Vec<Expr>], order_by: &[OrderingTerm], limit: Option<&ast::Limit>, dest: Dest) -> Result<SelectOut> {
    let ncols = rows.first().map(|r| r.len()).unwrap_or(0);
    if rows.iter().any(|r| r.len() != ncols) {
        return Err(Error::sql("all VALUES must have the same number of terms"));
    }
    let names: Vec<String> = (1..=ncols).map(|i| format!("column{i}")).collect();
    if !order_by.is_empty() || rows.len() > 1 && limit.is_some() {
        // Rare: sort or limit a VALUES list through a compound of its rows.
        let sel = Select {
            with: None,
            core: SelectCore::Values(vec![rows[0].clone()]),
            compounds: rows[1..].iter().map(|r| (CompoundOp::UnionAll, SelectCore::Values(vec![r.clone()]))).collect(),
            order_by: order_by.to_vec(),
            limit: limit.cloned(),
        };
        return compile_compound(b, &sel, dest);
    }
    let end = b.new_label();
    b.scopes.push(Scope::default());
    let r = (|| {
        let (lim, off) = limit_regs(b, limit, end)?;
        let out = Output { dest, ncols, limit: lim, offset: off, end, distinct: None, sorter: None };
        let regs = b.alloc_regs(ncols);
        for row in rows {
            for (i, e) in row.iter().enumerate() {
                b.expr(e, regs + i)?;
            }
            emit_final(b, &out, regs)?;
        }
        Ok(())
    })();
    b.scopes.pop();
    r?;
    b.resolve(end);
    Ok(SelectOut { decltypes: vec![None; ncols], origins: vec![None; ncols], affinities: vec![None; ncols], collations: vec![None; ncols], span_names: Vec::new(), names, first_affinity: None })
}

/// The name of the first aggregate call in `e`, as written.
pub(crate) fn first_aggregate(e: &Expr) -> Option<String> {
    let mut found = Vec::new();
    collect_aggregates(e, &mut found);
    found.into_iter().find_map(|x| match x {
        Expr::Function(f) => Some(f.name.clone()),
        _ => None,
    })
}

/// Collects the aggregate calls in `e` (not inside subqueries).
pub(super) fn collect_aggregates(e: &Expr, out: &mut Vec<Expr>) {
    walk(e, &mut |x| {
        if is_aggregate_call(x) {
            if !out.contains(x) {
                out.push(x.clone());
            }
            return false;
        }
        true
    });
}


#[allow(clippy::too_many_arguments)]
fn compile_body(
    b: &mut Builder<'_>,
    body: &SelectBody,
    levels: Vec<Level>,
    where_terms: Vec<Expr>,
    order_by: &[OrderingTerm],
    limit: Option<&ast::Limit>,
    dest: Dest,
) -> Result<SelectOut> {
    let results = result_columns(b, body)?;
    let ncols = results.len();
    if let Dest::Scalar(_) | Dest::InSet { .. } = dest {
        if ncols != 1 {
            return Err(Error::sql(format!("sub-select returns {ncols} columns - expected 1")));
        }
    }
    // Result aliases are visible to WHERE, GROUP BY, HAVING and ORDER BY.
    let aliases: Vec<(String, Expr)> = body
        .columns
        .iter()
        .filter_map(|rc| match rc {
            ResultColumn::Expr { expr, alias: Some(a), .. } => Some((a.clone(), expr.clone())),
            _ => None,
        })
        .collect();
    if let Some(s) = b.scopes.last_mut() {
        s.aliases = aliases.clone();
    }
    let mut so = SelectOut::default();
    for (i, (e, name)) in results.iter().enumerate() {
        let cref = b.column_ref(e)?;
        // Without AS, a plain column is named as its table declares it.
        let aliased = matches!(body.columns.get(i), Some(ResultColumn::Expr { alias: Some(_), .. }));
        let declared = if aliased || !matches!(e.as_ref(), Expr::Column { .. } | Expr::DoubleQuotedId(_)) {
            None
        } else {
            cref.as_ref().and_then(|c| b.column_ref_name(c))
        };
        so.names.push(declared.unwrap_or_else(|| name.clone()));
        so.span_names.push(name.clone());
        so.decltypes.push(cref.as_ref().and_then(|c| c.decl_type.as_deref().map(str::to_string)));
        so.origins.push(cref.as_ref().and_then(|c| {
            let t = c.table.as_ref()?;
            let db = b.schemas.dbs.get(t.db)?.name.clone();
            Some((db, t.name.clone(), b.column_ref_name(c)?))
        }));
        let explicit = if cref.is_none() && super::expr::has_explicit_collation(e) { b.expr_collation(e).0 } else { None };
        so.collations.push(cref.as_ref().and_then(|c| c.collation.clone()).or(explicit));
        so.affinities.push(b.expr_affinity(e));
    }
    so.first_affinity = so.affinities.first().copied().flatten();

    if let Some(w) = &body.where_ {
        if let Some(name) = first_aggregate(w) {
            return Err(Error::sql(format!("misuse of aggregate: {name}()")));
        }
    }
    let order_terms = resolve_order_by(order_by, &results, &aliases)?;
    let windowed = super::window::has_window(&results, &order_terms);
    let is_agg = !windowed
        && (!body.group_by.is_empty()
            || body.having.is_some()
            || results.iter().any(|(e, _)| contains_aggregate(e))
            || order_terms.iter().any(|(e, _)| contains_aggregate(e)));

    let end = b.new_label();
    let (lim, off) = limit_regs(b, limit, end)?;
    let mut terms = where_terms;
    if let Some(w) = &body.where_ {
        super::plan::split_chain(w, ast::BinaryOp::And, &mut terms);
    }
    if let Some(s) = b.scopes.last_mut() {
        terms.append(&mut s.tvf_terms);
    }
    let mut levels = levels;
    let distinct_colls: Vec<CollSeq> = so.collations.iter().map(|c| c.as_deref().and_then(crate::func::user::collation).unwrap_or(CollSeq::Binary)).collect();
    // DISTINCT over a walk of an index whose leading columns are the
    // result columns: equal rows come together, so each row is compared
    // with the one before instead of looked up in a transient index
    // (SQLite's ordered DISTINCT).
    let mut ordered_distinct: Option<(Reg, Reg)> = None;
    let mut distinct_sorted = false;
    if body.distinct && !is_agg && !windowed && levels.len() == 1 {
        let exprs: Vec<Expr> = results.iter().map(|(e, _)| Expr::clone(e)).collect();
        // An ORDER BY listing the result columns, which a walk of an index
        // yields, serves DISTINCT too (SQLite makes it a GROUP BY).
        let same_as_order = exprs.len() == order_terms.len()
            && order_terms.iter().zip(&exprs).all(|((e, t), x)| {
                let desc = t.order == Some(ast::SortOrder::Desc);
                e == x && !matches!((t.nulls, desc), (Some(ast::NullsOrder::Last), false) | (Some(ast::NullsOrder::First), true))
            });
        let scan = if same_as_order {
            where_::order_scan(b, &levels[0], &terms, &order_terms)?
        } else if order_terms.is_empty() {
            where_::group_scan(b, &levels[0], &terms, &exprs, true)?
        } else {
            None
        };
        distinct_sorted = same_as_order && scan.is_some();
        if let Some(o) = scan {
            levels[0].order = Some(o);
            let prev = b.alloc_regs(ncols);
            let first = b.alloc_reg();
            b.emit(Op::Integer { value: 1, dest: first });
            ordered_distinct = Some((prev, first));
        }
    }
    let distinct = if body.distinct && ordered_distinct.is_none() {
        let c = b.alloc_cursor();
        let fields = distinct_colls.iter().map(|c| (c.clone(), false)).collect();
        b.emit(Op::OpenEphemeral { cursor: c, key_info: Some(Arc::new(KeyInfo::new(fields))) });
        Some(c)
    } else {
        None
    };
    // Virtual tables are told what SQLite tells their xBestIndex: the
    // ORDER BY (or GROUP BY, or DISTINCT list), LIMIT / OFFSET, the
    // columns read.
    let one = Expr::Literal(ast::Literal::Number("1".into()));
    if levels.iter().any(|l| l.vtab.is_some()) {
        let mut facts = super::vtab::QueryFacts::default();
        let bignull = |t: &OrderingTerm| matches!((t.nulls, t.order == Some(ast::SortOrder::Desc)), (Some(ast::NullsOrder::Last), false) | (Some(ast::NullsOrder::First), true));
        if windowed {
        } else if is_agg {
            if !body.group_by.is_empty() {
                facts.order_by = body.group_by.iter().map(|e| (e.clone(), false)).collect();
                facts.distinct = 1;
            }
        } else if !order_terms.is_empty() {
            if !order_terms.iter().any(|(_, t)| bignull(t)) {
                facts.order_by = order_terms.iter().map(|(e, t)| (e.clone(), t.order == Some(ast::SortOrder::Desc))).collect();
            }
            facts.distinct = if body.distinct { 3 } else { 0 };
        } else if body.distinct {
            facts.order_by = results.iter().map(|(e, _)| (e.as_ref().clone(), false)).collect();
            facts.distinct = 2;
        }
        let simple = !is_agg && !windowed && !body.distinct && body.group_by.is_empty() && levels.len() == 1;
        if let (Some(lr), Some(l)) = (lim, limit) {
            if simple {
                facts.limit = Some((lr, &l.limit, off.zip(l.offset.as_ref())));
            }
        } else if simple && limit.is_none() && matches!(dest, Dest::Scalar(_)) {
            // SQLite gives a scalar subquery LIMIT 1.
            let r = b.alloc_reg();
            b.emit(Op::Integer { value: 1, dest: r });
            facts.limit = Some((r, &one, None));
        }
        facts.exprs = results.iter().map(|(e, _)| e.as_ref()).chain(order_terms.iter().map(|(e, _)| e)).chain(body.group_by.iter()).chain(body.having.iter()).collect();
        super::vtab::prepare(b, &levels, &terms, &facts)?;
    }
    // ORDER BY that a scan of the table or an index already yields needs
    // no sorter; nor does one a virtual table consumes.
    let scan_order = if !is_agg && !windowed && !body.distinct && levels.len() == 1 {
        where_::order_scan(b, &levels[0], &terms, &order_terms)?
    } else {
        None
    };
    let mut ordered_by_scan = scan_order.is_some()
        || distinct_sorted
        || (!is_agg && !windowed && !body.distinct && !order_terms.is_empty() && super::vtab::single_loop_ordered(b, &levels));
    if let Some(o) = scan_order {
        levels[0].order = Some(o);
    }
    let group_exprs = if is_agg { resolve_group_by(body, &results)? } else { Vec::new() };
    let mut grouping = Grouping::default();
    if !group_exprs.is_empty() {
        // As SQLite: a GROUP BY that lists the ORDER BY's terms takes their
        // directions, and the grouping then yields the ORDER BY order.
        let same_as_order = group_exprs.len() == order_terms.len()
            && order_terms.iter().zip(&group_exprs).all(|((e, t), g)| {
                let desc = t.order == Some(ast::SortOrder::Desc);
                e == g && !matches!((t.nulls, desc), (Some(ast::NullsOrder::Last), false) | (Some(ast::NullsOrder::First), true))
            });
        if levels.len() == 1 {
            // Rows already in group order need no GROUP BY sorter.
            let scan = if same_as_order { where_::order_scan(b, &levels[0], &terms, &order_terms)? } else { None };
            if let Some(o) = scan {
                levels[0].order = Some(o);
                grouping.stream = true;
                ordered_by_scan = true;
            } else if let Some(o) = where_::group_scan(b, &levels[0], &terms, &group_exprs, false)? {
                levels[0].order = Some(o);
                grouping.stream = true;
            }
        }
        if same_as_order && !grouping.stream {
            grouping.desc = order_terms.iter().map(|(_, t)| t.order == Some(ast::SortOrder::Desc)).collect();
            ordered_by_scan = true;
        }
    }
    grouping.exprs = group_exprs;
    // A whole-table read of columns an index holds walks that narrower
    // index, as SQLite does (rows then come in its order).
    let indexed = body.from.as_ref().and_then(|f| match &f.first {
        ast::TableRef::Table { indexed: Some(i), .. } => Some(i),
        _ => None,
    });
    if levels.len() == 1 && levels[0].order.is_none() && !windowed {
        let mut exprs: Vec<&Expr> = results.iter().map(|(e, _)| e.as_ref()).collect();
        exprs.extend(grouping.exprs.iter());
        exprs.extend(body.having.iter());
        exprs.extend(order_terms.iter().map(|(e, _)| e));
        // The first term a sorter will sort on, if one will, and whether
        // the walk goes backwards for it: never for grouping (SQLite's
        // GROUP BY, and a DISTINCT it turns into one, take either
        // direction and walk forward).
        let sort_first = if is_agg && !grouping.exprs.is_empty() && !grouping.stream {
            grouping.exprs.first().map(|e| (e, false))
        } else if !ordered_by_scan {
            order_terms.first().map(|(e, t)| (e, !body.distinct && t.order == Some(SortOrder::Desc)))
        } else {
            None
        };
        if let Some(o) = super::covering::covering_scan(b, &levels[0], &terms, &exprs, sort_first, indexed)? {
            levels[0].order = Some(o);
        }
    }
    let (sorter, sort_keys) = if order_terms.is_empty() || ordered_by_scan {
        (None, Vec::new())
    } else {
        let (ki, keys) = sort_key_info(b, &order_terms)?;
        let c = b.alloc_cursor();
        b.emit(Op::SorterOpen { cursor: c, key_info: ki });
        (Some((c, nkey_fields(&keys))), keys)
    };
    let out = Output { dest, ncols, limit: lim, offset: off, end, distinct, sorter };
    // The query plan lists the loops first, then the temporary B-trees.
    // With RIGHT or FULL joins, SQLite lists the GROUP BY sorter between
    // the loops and the RIGHT-JOIN passes.
    let group_note = (is_agg || windowed) && !body.group_by.is_empty() && !grouping.stream;
    let group_note_in_nest = group_note && levels.iter().any(|l| l.right_join);
    if group_note_in_nest {
        b.nest_end_notes.push("USE TEMP B-TREE FOR GROUP BY".to_string());
    }
    let temp_notes: Vec<&str> = [
        (distinct.is_some(), "USE TEMP B-TREE FOR DISTINCT"),
        (group_note && !group_note_in_nest, "USE TEMP B-TREE FOR GROUP BY"),
        (sorter.is_some(), "USE TEMP B-TREE FOR ORDER BY"),
    ]
    .iter()
    .filter(|(on, _)| *on)
    .map(|(_, n)| *n)
    .collect();

    if let Some(lv) = simple_count(body, &levels, &terms, &results, &order_terms) {
        // SELECT count(*) FROM t: the B-tree counts its entries without
        // reading a row (SQLite's OP_Count).
        let name = where_::level_name(b, lv);
        b.plan_note(format!("SCAN {name}"));
        let r = b.alloc_reg();
        b.emit(Op::Count { cursor: lv.cursor, dest: r });
        emit_row(b, &out, r, None)?;
        b.resolve(end);
        return Ok(so);
    }
    if windowed {
        super::window::compile(b, body, &levels, &terms, &results, &sort_keys, &out)?;
    } else if !is_agg {
        where_::emit_loops(b, &levels, &terms, &mut |b: &mut Builder<'_>| {
            let regs = b.alloc_regs(ncols);
            for (i, (e, _)) in results.iter().enumerate() {
                b.expr(e, regs + i)?;
            }
            let same = b.new_label();
            if let Some((prev, first)) = ordered_distinct {
                let differ = b.new_label();
                b.emit(Op::If { reg: first, target: differ, jump_if_null: false });
                let eq = b.alloc_reg();
                for (i, coll) in distinct_colls.iter().enumerate() {
                    b.emit(Op::Compare { op: CmpOp::Is, lhs: regs + i, rhs: prev + i, dest: eq, affinity: None, coll: coll.clone() });
                    b.emit(Op::IfNot { reg: eq, target: differ, jump_if_null: true });
                }
                b.emit(Op::Goto { target: same });
                b.resolve(differ);
                b.emit(Op::Integer { value: 0, dest: first });
                b.emit(Op::Copy { src: regs, dest: prev, count: ncols });
            }
            let keys = if out.sorter.is_some() { Some(eval_sort_keys(b, &sort_keys)?) } else { None };
            emit_row(b, &out, regs, keys)?;
            b.resolve(same);
            Ok(())
        })?;
    } else {
        compile_aggregate(b, body, &levels, &terms, &results, &sort_keys, &out, &grouping)?;
    }
    for n in temp_notes {
        b.plan_note(n.to_string());
    }
    drain_sorter(b, &out)?;
    b.resolve(end);
    Ok(so)
}


/// The one loop of `SELECT count(*) FROM table` with nothing else (no
/// WHERE, GROUP BY, HAVING, DISTINCT, ORDER BY or other column): the query
/// SQLite answers with OP_Count.
fn simple_count<'l>(body: &SelectBody, levels: &'l [Level], terms: &[Expr], results: &[(Cow<'_, Expr>, String)], order_terms: &[(Expr, OrderingTerm)]) -> Option<&'l Level> {
    if body.distinct || !body.group_by.is_empty() || body.having.is_some() || !terms.is_empty() || !order_terms.is_empty() || results.len() != 1 || levels.len() != 1 {
        return None;
    }
    let Expr::Function(f) = results[0].0.as_ref() else { return None };
    if !f.name.eq_ignore_ascii_case("count") || !matches!(f.args, FunctionArgs::Star) || f.distinct || f.filter.is_some() || f.over.is_some() || !f.order_by.is_empty() {
        return None;
    }
    if !matches!(crate::func::user::find_function("count", 0), crate::func::user::Found::Builtin(_)) {
        return None;
    }
    let lv = &levels[0];
    let t = lv.table.as_ref()?;
    if t.is_view() || t.module.is_some() || t.without_rowid || lv.pragma.is_some() || lv.left_join || lv.right_join {
        return None;
    }
    Some(lv)
}

/// UNION / UNION ALL / INTERSECT / EXCEPT, evaluated left to right into a
/// transient table, then sorted and limited as a whole.
fn compile_compound(b: &mut Builder<'_>, sel: &Select, dest: Dest) -> Result<SelectOut> {
    let mut cores: Vec<(Option<CompoundOp>, &SelectCore)> = vec![(None, &sel.core)];
    for (op, c) in &sel.compounds {
        cores.push((Some(*op), c));
    }
    // The accumulated rows: a transient table (multiset) or index (set).
    let mut acc = b.alloc_cursor();
    let mut acc_is_set = false;
    b.emit(Op::OpenEphemeral { cursor: acc, key_info: None });
    let mut first_out: Option<SelectOut> = None;
    let op_name = |op: CompoundOp| match op {
        CompoundOp::Union => "UNION",
        CompoundOp::UnionAll => "UNION ALL",
        CompoundOp::Intersect => "INTERSECT",
        CompoundOp::Except => "EXCEPT",
    };
    for (op, core) in cores {
        let Some(op) = op else {
            let o = compile_core(b, core, &[], None, Dest::EphTable(acc))?;
            first_out = Some(o);
            continue;
        };
        let ncols = first_out.as_ref().map(|o| o.names.len()).unwrap_or(0);
        // Each right-hand side goes into a fresh transient table first.
        let rhs = b.alloc_cursor();
        b.emit(Op::OpenEphemeral { cursor: rhs, key_info: None });
        let o = compile_core(b, core, &[], None, Dest::EphTable(rhs))?;
        if o.names.len() != ncols {
            return Err(Error::sql(format!("SELECTs to the left and right of {} do not have the same number of result columns", op_name(op))));
        }
        let fields: Vec<(CollSeq, bool)> = first_out
            .as_ref()
            .map(|f| f.collations.iter().map(|c| (c.as_deref().and_then(crate::func::user::collation).unwrap_or(CollSeq::Binary), false)).collect())
            .unwrap_or_default();
        let ki = Arc::new(KeyInfo::new(fields));
        let copy_into = |b: &mut Builder<'_>, from: usize, to: usize, to_set: bool| {
            let done = b.new_label();
            b.emit(Op::Rewind { cursor: from, target: done });
            let top = b.addr();
            let regs = b.alloc_regs(ncols);
            for i in 0..ncols {
                b.emit(Op::Column { cursor: from, column: i, dest: regs + i, default: None });
            }
            let rec = b.alloc_reg();
            b.emit(Op::MakeRecord { start: regs, count: ncols, dest: rec });
            if to_set {
                b.emit(Op::IdxInsert { cursor: to, key: rec });
            } else {
                let rowid = b.alloc_reg();
                b.emit(Op::NewRowid { cursor: to, dest: rowid });
                b.emit(Op::Insert { cursor: to, record: rec, rowid, count_change: false, set_last_rowid: false, hook: None });
            }
            b.emit(Op::Next { cursor: from, target: top });
            b.resolve(done);
        };
        match op {
            CompoundOp::UnionAll => {
                if acc_is_set {
                    let t = b.alloc_cursor();
                    b.emit(Op::OpenEphemeral { cursor: t, key_info: None });
                    copy_into(b, acc, t, false);
                    acc = t;
                    acc_is_set = false;
                }
                copy_into(b, rhs, acc, false);
            }
            CompoundOp::Union => {
                let s = b.alloc_cursor();
                b.emit(Op::OpenEphemeral { cursor: s, key_info: Some(ki.clone()) });
                copy_into(b, acc, s, true);
                copy_into(b, rhs, s, true);
                acc = s;
                acc_is_set = true;
            }
            CompoundOp::Except | CompoundOp::Intersect => {
                let s = b.alloc_cursor();
                b.emit(Op::OpenEphemeral { cursor: s, key_info: Some(ki.clone()) });
                copy_into(b, acc, s, true);
                let r = b.alloc_cursor();
                b.emit(Op::OpenEphemeral { cursor: r, key_info: Some(ki.clone()) });
                copy_into(b, rhs, r, true);
                // Walk the left set; keep or drop each row by its presence
                // on the right.
                let result = b.alloc_cursor();
                b.emit(Op::OpenEphemeral { cursor: result, key_info: Some(ki.clone()) });
                let done = b.new_label();
                b.emit(Op::Rewind { cursor: s, target: done });
                let top = b.addr();
                let regs = b.alloc_regs(ncols);
                for i in 0..ncols {
                    b.emit(Op::Column { cursor: s, column: i, dest: regs + i, default: None });
                }
                let skip = b.new_label();
                if op == CompoundOp::Except {
                    b.emit(Op::Found { cursor: r, key: regs, n: ncols, target: skip });
                } else {
                    b.emit(Op::NotFound { cursor: r, key: regs, n: ncols, target: skip });
                }
                let rec = b.alloc_reg();
                b.emit(Op::MakeRecord { start: regs, count: ncols, dest: rec });
                b.emit(Op::IdxInsert { cursor: result, key: rec });
                b.resolve(skip);
                b.emit(Op::Next { cursor: s, target: top });
                b.resolve(done);
                acc = result;
                acc_is_set = true;
            }
        }
    }
    let so = first_out.unwrap_or_default();
    let ncols = so.names.len();
    if let Dest::Scalar(_) | Dest::InSet { .. } = dest {
        if ncols != 1 {
            return Err(Error::sql(format!("sub-select returns {ncols} columns - expected 1")));
        }
    }
    // ORDER BY terms must name result columns.
    let results: Vec<(Expr, String)> = so
        .names
        .iter()
        .enumerate()
        .map(|(i, n)| (Expr::Column { schema: None, table: Some("\u{0}compound".to_string()), column: format!("{i}") }, n.clone()))
        .collect();
    let mut order_terms = Vec::new();
    for (k, t) in sel.order_by.iter().enumerate() {
        let (inner, coll) = match &t.expr {
            Expr::Collate { expr, collation } => (expr.as_ref(), Some(collation.clone())),
            e => (e, None),
        };
        let idx = match inner {
            Expr::Literal(ast::Literal::Number(n)) => match n.parse::<usize>() {
                Ok(i) if i >= 1 && i <= ncols => Some(i - 1),
                _ => return Err(Error::sql(format!("{} ORDER BY term out of range - should be between 1 and {}", ordinal(k + 1), ncols))),
            },
            Expr::Column { table: None, column, .. } => so.names.iter().position(|n| n.eq_ignore_ascii_case(column)),
            Expr::Column { table: Some(_), column, .. } => so.names.iter().position(|n| n.eq_ignore_ascii_case(column)),
            _ => None,
        };
        let Some(idx) = idx else {
            return Err(Error::sql(format!("{} ORDER BY term does not match any column in the result set", ordinal(k + 1))));
        };
        let col_expr = results[idx].0.clone();
        let e = match coll.or_else(|| so.collations[idx].clone()) {
            Some(c) => Expr::Collate { expr: Box::new(col_expr), collation: c },
            None => col_expr,
        };
        order_terms.push((e, t.clone(), idx));
    }
    // Read the accumulated rows back through the ordinary output stage.
    let end = b.new_label();
    b.scopes.push(Scope::default());
    let r = (|| {
        let (lim, off) = limit_regs(b, sel.limit.as_ref(), end)?;
        let mut fields = Vec::new();
        let mut keys = Vec::new();
        for (e, t, idx) in &order_terms {
            let desc = t.order == Some(SortOrder::Desc);
            let coll = match e {
                Expr::Collate { collation, .. } => Builder::collation_by_name(collation)?,
                _ => CollSeq::Binary,
            };
            fields.push((coll, desc));
            keys.push(*idx);
        }
        let sorter = if keys.is_empty() {
            None
        } else {
            let c = b.alloc_cursor();
            b.emit(Op::SorterOpen { cursor: c, key_info: Arc::new(KeyInfo::new(fields)) });
            Some((c, keys.len()))
        };
        let out = Output { dest: dest.clone(), ncols, limit: lim, offset: off, end, distinct: None, sorter };
        let done = b.new_label();
        b.emit(Op::Rewind { cursor: acc, target: done });
        let top = b.addr();
        let regs = b.alloc_regs(ncols);
        for i in 0..ncols {
            b.emit(Op::Column { cursor: acc, column: i, dest: regs + i, default: None });
        }
        let key_regs = if keys.is_empty() {
            None
        } else {
            let k = b.alloc_regs(keys.len());
            for (j, idx) in keys.iter().enumerate() {
                b.emit(Op::Copy { src: regs + idx, dest: k + j, count: 1 });
            }
            Some(k)
        };
        emit_row(b, &out, regs, key_regs)?;
        b.emit(Op::Next { cursor: acc, target: top });
        b.resolve(done);
        drain_sorter(b, &out)
    })();
    b.scopes.pop();
    r?;
    b.resolve(end);
    Ok(so)
}

/// The column names of a table made from a select's result (a subquery,
/// view, CTE or CREATE TABLE ... AS SELECT), as SQLite names them: the
/// result names, "columnN" for one spelled TRUE or FALSE, and a name
/// already taken (in any case) gets ":1", ":2"... in place of any such
/// suffix it had.
pub fn source_column_names(names: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(names.len());
    for (i, n) in names.iter().enumerate() {
        let mut name = if n.eq_ignore_ascii_case("true") || n.eq_ignore_ascii_case("false") { format!("column{}", i + 1) } else { n.clone() };
        let mut cnt = 0u32;
        while out.iter().any(|o| o.eq_ignore_ascii_case(&name)) {
            let bytes = name.as_bytes();
            let mut j = bytes.len();
            while j > 1 && bytes[j - 1].is_ascii_digit() {
                j -= 1;
            }
            let stem = if j > 0 && j < bytes.len() && bytes[j - 1] == b':' { &name[..j - 1] } else { &name[..] };
            cnt += 1;
            name = format!("{stem}:{cnt}");
        }
        out.push(name);
    }
    out
}

/// A source built from a materialised select (subquery, CTE or view). A
/// view names its columns as its CREATE VIEW named them (declared names);
/// a subquery by its select list as written (see `SelectOut::span_names`).
pub fn materialize(b: &mut Builder<'_>, sel: &Select, name: &str, column_names: &[String], is_view: bool) -> Result<Source> {
    let cursor = b.alloc_cursor();
    b.emit(Op::OpenEphemeral { cursor, key_info: None });
    let out = compile_select(b, sel, Dest::EphTable(cursor))?;
    let names: Vec<String> = if !column_names.is_empty() {
        column_names.to_vec()
    } else if !is_view && out.span_names.len() == out.names.len() {
        source_column_names(&out.span_names)
    } else {
        source_column_names(&out.names)
    };
    let columns = names
        .iter()
        .enumerate()
        .map(|(i, n)| SourceColumn { hidden: false, name: n.clone(), affinity: out.affinities.get(i).copied().flatten(), collation: out.collations.get(i).cloned().flatten(), decl_type: out.decltypes.get(i).cloned().flatten().map(Arc::from) })
        .collect();
    let _ = ROWID;
    Ok(Source { name: name.to_string(), table: None, columns, cursor, using_hidden: Vec::new(), nested: Vec::new() })
}
