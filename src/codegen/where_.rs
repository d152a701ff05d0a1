//! The FROM clause and the WHERE loops: sources, join constraints, where
//! each WHERE term is tested, and how each table is read (full scan,
//! rowid lookup, or an index range).
//!
//! Loops nest in FROM order. A term is tested at the innermost loop it
//! refers to, so rows are rejected as early as possible; terms that refer
//! to no table run once before the loops. An index narrows the rows a loop
//! visits, but every term is still tested on each row, so an index can
//! only make a query faster, never change its answer.
//! LEFT JOIN: each left-joined loop keeps a "matched" flag; when its rows
//! are exhausted without a match, the loop runs its body once more with
//! the table's cursor on a NULL row.
//! RIGHT and FULL JOIN add a second pass per right-joined table after the
//! nest; `right_join` describes it and the constraints it puts on term
//! placement and planning.

use std::sync::Arc;

use crate::error::{Error, Result};
use crate::parse::ast::{self, BinaryOp, Expr, From, JoinConstraint, JoinKind, TableRef};
use crate::schema::{Index, Table};
use crate::vdbe::mem::Affinity;
use crate::vdbe::{Op, Root, SeekOp};
use crate::btree::TreeKind;

use super::expr::{Scope, Source, ROWID};
use super::index_expr::EXPR_COLUMN;
use super::right_join::{self, RightJoin};
use super::plan::{choose_plan, order_levels, split_chain, Analysis, EqValue, Plan};
use super::select;
use super::Builder;

/// One loop of the nest.
#[derive(Clone, Debug)]
pub struct Level {
    pub cursor: usize,
    pub table: Option<Arc<Table>>,
    pub left_join: bool,
    /// The right operand of a RIGHT or FULL join (FULL also sets
    /// `left_join`): its matched rows are remembered for a second pass
    /// (see `right_join`).
    pub right_join: bool,
    /// The ON terms of an outer join, and of an inner join left of a
    /// RIGHT or FULL join (other inner joins fold ON into WHERE).
    pub on_terms: Vec<Expr>,
    /// False when the loop must stay where the FROM clause put it: a LEFT
    /// JOIN, and the operands of CROSS JOIN (SQLite's way to force order).
    pub movable: bool,
    /// A full scan in a given order, which makes an ORDER BY's sort
    /// unnecessary.
    pub order: Option<ScanOrder>,
    /// A table-valued pragma (`pragma_table_info(x)`): the pragma and its
    /// argument, run into the loop's cursor each time the loop starts
    /// (the argument may read outer loops).
    pub pragma: Option<(Arc<str>, Option<Expr>)>,
    /// A virtual table: its loop is planned by the module's xBestIndex
    /// and run with VFilter / VNext (`vtab.rs`).
    pub vtab: Option<Arc<crate::vtab::VTable>>,
}

/// The order a full scan walks a table in.
#[derive(Clone, Debug)]
pub enum ScanOrder {
    /// By rowid, backwards when `desc`.
    Rowid { desc: bool },
    /// Through an index, backwards when `desc`.
    Index { index: Arc<Index>, desc: bool },
}

/// If the single loop `level` would scan its whole table and the ORDER BY
/// terms are what a scan already yields, the scan order that yields them:
/// the rowid first (unique, so later terms never decide), or leading
/// columns of an index in its order or all reversed (same collations,
/// NULLs where the index puts them), optionally followed, once every index
/// column is matched, by the rowid (the index's last key).
pub fn order_scan(b: &mut Builder<'_>, level: &Level, terms: &[Expr], order: &[(Expr, ast::OrderingTerm)]) -> Result<Option<ScanOrder>> {
    let Some(table) = level.table.clone() else { return Ok(None) };
    if table.is_view() || table.module.is_some() || order.is_empty() {
        return Ok(None);
    }
    // An index search with constant equalities (no IN list) walks the
    // index from the columns after them: ORDER BY terms matching those
    // columns (then the rowid) in the index's own order need no sorter
    // either; in the opposite order neither (it then walks backwards).
    let mut search: Option<(Arc<Index>, usize)> = None;
    let mut rowid_range = false;
    if let Some(an) = Analysis::new(b, std::slice::from_ref(level), terms) {
        match choose_plan(b, &an, level.cursor, level.table.as_ref(), 0) {
            Plan::Scan => {}
            // A rowid range is read in rowid order, either way.
            Plan::RowidRange { .. } => rowid_range = true,
            Plan::Index { index, eq, .. } if eq.iter().all(|(v, _)| matches!(v, EqValue::One(_))) => {
                search = Some((index, eq.len()));
            }
            _ => return Ok(None),
        }
    }
    // Each term as (column, collation, desc), or None when it is not a
    // plain column of this loop's table or asks for NULLs at the other end.
    let mut cols = Vec::with_capacity(order.len());
    for (e, term) in order {
        let desc = term.order == Some(ast::SortOrder::Desc);
        let nulls_elsewhere = matches!((term.nulls, desc), (Some(ast::NullsOrder::Last), false) | (Some(ast::NullsOrder::First), true));
        let (inner, explicit) = match e {
            Expr::Collate { expr, collation } => (expr.as_ref(), Some(collation.clone())),
            other => (other, None),
        };
        let col = match b.column_ref(inner)? {
            Some(c) if !nulls_elsewhere && c.cursor == level.cursor && c.depth + 1 == b.scopes.len() => {
                let coll = match explicit.or(c.collation.clone()) {
                    Some(n) => Builder::collation_by_name(&n)?,
                    None => crate::collation::CollSeq::Binary,
                };
                Some((c.column, coll, desc, None))
            }
            // An expression an index of the table holds.
            None if !nulls_elsewhere => match super::index_expr::match_index_expr(b, &[level.cursor], inner) {
                Some((_, ie)) => {
                    let coll = match explicit {
                        Some(n) => Builder::collation_by_name(&n)?,
                        None => b.expr_coll_seq(inner)?,
                    };
                    Some((EXPR_COLUMN, coll, desc, Some(ie)))
                }
                None => None,
            },
            _ => None,
        };
        cols.push(col);
    }
    // Terms on a column the search holds equal are the same on every row
    // it finds: they decide nothing (SQLite drops them too, but not terms
    // on an indexed expression, which then need a sort).
    if let Some((ix, skip)) = &search {
        let held = &ix.columns[..(*skip).min(ix.columns.len())];
        cols.retain(|c| !matches!(c, Some((column, coll, _, None)) if held.iter().any(|ic| ic.column == Some(*column) && ic.collation == *coll)));
        if cols.is_empty() {
            return Ok(Some(ScanOrder::Index { index: ix.clone(), desc: false }));
        }
    }
    let Some((first_col, _, first_desc, _)) = cols[0].clone() else { return Ok(None) };
    if rowid_range {
        return Ok((first_col == ROWID).then_some(ScanOrder::Rowid { desc: first_desc }));
    }
    if first_col == ROWID && search.is_none() {
        return Ok(Some(ScanOrder::Rowid { desc: first_desc }));
    }
    let searching = search.is_some();
    let candidates: Vec<(Arc<Index>, usize)> = match search {
        Some(s) => vec![s],
        None => super::plan::searchable_indexes(b, &table).into_iter().map(|ix| (ix, 0)).collect(),
    };
    'index: for (ix, skip) in candidates {
        // Past the searched columns: the next index column, or the rowid
        // (ascending) when the equalities cover every column.
        let next_desc = match ix.columns.get(skip) {
            Some(c) => c.desc,
            None if searching => false,
            None => continue,
        };
        let flip = first_desc != next_desc;
        for (i, col) in cols.iter().enumerate() {
            let Some((column, coll, desc, ie)) = col else { continue 'index };
            match ix.columns.get(skip + i) {
                Some(ic) => {
                    if !same_column(ic, *column, ie.as_ref()) || ic.collation != *coll || (*desc != ic.desc) != flip {
                        continue 'index;
                    }
                }
                None => {
                    // Past the index columns only the rowid follows, and
                    // nothing after it can decide.
                    if (*column == ROWID && *desc == flip) || ix.is_table_pk() {
                        break;
                    }
                    continue 'index;
                }
            }
        }
        return Ok(Some(ScanOrder::Index { index: ix.clone(), desc: flip }));
    }
    Ok(None)
}

/// Whether index column `ic` is `column` of the table, or for
/// `EXPR_COLUMN` the index expression `ie`.
fn same_column(ic: &crate::schema::IndexColumn, column: usize, ie: Option<&Expr>) -> bool {
    match ic.column {
        Some(c) => c == column,
        None => column == EXPR_COLUMN && ie.is_some() && ic.expr.as_ref() == ie,
    }
}

/// If the single loop `level` can bring each group's rows together by
/// walking an index (SQLite's WHERE_GROUPBY), the scan that does: the
/// GROUP BY (or DISTINCT) terms, in any order and either direction, are
/// the leading columns of an index (after a search's equalities), with
/// the same collations; the rows then come in that index's order. For
/// DISTINCT (`one_direction`) the index columns must all run one way.
pub fn group_scan(b: &mut Builder<'_>, level: &Level, terms: &[Expr], group: &[Expr], one_direction: bool) -> Result<Option<ScanOrder>> {
    let Some(table) = level.table.clone() else { return Ok(None) };
    if table.is_view() || table.module.is_some() || group.is_empty() {
        return Ok(None);
    }
    let asc = |e: &Expr, desc: bool| {
        let order = Some(if desc { ast::SortOrder::Desc } else { ast::SortOrder::Asc });
        (e.clone(), ast::OrderingTerm { expr: e.clone(), order, nulls: None })
    };
    // Each term's column and collation; a term that is not a plain column
    // of this loop's table rules the index walk out.
    // (column or EXPR_COLUMN, collation, term, index expression).
    let mut cols: Vec<(usize, crate::collation::CollSeq, &Expr, Option<Expr>)> = Vec::with_capacity(group.len());
    for e in group {
        let (inner, explicit) = match e {
            Expr::Collate { expr, collation } => (expr.as_ref(), Some(collation.clone())),
            other => (other, None),
        };
        let (column, coll, ie) = match b.column_ref(inner)? {
            Some(c) => {
                if c.cursor != level.cursor || c.depth + 1 != b.scopes.len() {
                    return Ok(None);
                }
                let coll = match explicit.or(c.collation.clone()) {
                    Some(n) => Builder::collation_by_name(&n)?,
                    None => crate::collation::CollSeq::Binary,
                };
                (c.column, coll, None)
            }
            // An expression an index of the table holds.
            None => {
                let Some((_, ie)) = super::index_expr::match_index_expr(b, &[level.cursor], inner) else { return Ok(None) };
                let coll = match explicit {
                    Some(n) => Builder::collation_by_name(&n)?,
                    None => b.expr_coll_seq(inner)?,
                };
                (EXPR_COLUMN, coll, Some(ie))
            }
        };
        if !cols.iter().any(|(col, cl, _, x)| *col == column && *cl == coll && *x == ie) {
            cols.push((column, coll, e, ie));
        }
    }
    if let [(ROWID, _, e, _)] = cols.as_slice() {
        return order_scan(b, level, terms, &[asc(e, false)]);
    }
    // Each index walks forward, in its own directions, as SQLite's does.
    let skip = match Analysis::new(b, std::slice::from_ref(level), terms).map(|an| choose_plan(b, &an, level.cursor, level.table.as_ref(), 0)) {
        None | Some(Plan::Scan) => 0,
        Some(Plan::Index { eq, .. }) => eq.len(),
        Some(_) => return Ok(None),
    };
    for ix in super::plan::searchable_indexes(b, &table).iter() {
        // The terms in this index's order and directions.
        let mut perm = Vec::with_capacity(cols.len());
        for ic in ix.columns.iter().skip(skip).take(cols.len()) {
            match cols.iter().find(|(col, cl, _, x)| same_column(ic, *col, x.as_ref()) && *cl == ic.collation) {
                Some((_, _, e, _)) => perm.push(asc(e, ic.desc)),
                None => break,
            }
        }
        // SQLite's DISTINCT takes an index walk only when the columns it
        // compares all run one way.
        let mixed = perm.iter().any(|(_, t)| t.order != perm[0].1.order);
        if perm.len() == cols.len() && !(one_direction && mixed) {
            if let Some(o) = order_scan(b, level, terms, &perm)? {
                return Ok(Some(o));
            }
        }
    }
    Ok(None)
}

fn lookup_table(b: &Builder<'_>, name: &ast::QualifiedName) -> Result<Arc<Table>> {
    let n = name.name.as_str();
    let found = b.schemas.find_table(name.schema.as_deref(), n);
    if found.is_none() && name.schema.as_deref().is_none_or(|s| s.eq_ignore_ascii_case("main")) {
        // A module usable as a table of its own name.
        if let Some(vt) = crate::vtab::eponymous(n)? {
            return Ok(vt.table.clone());
        }
    }
    let t = found.ok_or_else(|| {
        Error::sql(match &name.schema {
            Some(s) => format!("no such table: {s}.{n}"),
            None => format!("no such table: {n}"),
        })
    })?;
    if t.module.is_none() {
        t.check_usable()?;
    }
    Ok(t)
}

/// Adds one FROM item as a source and a level.
fn add_source(b: &mut Builder<'_>, t: &TableRef, scope: &mut Scope, levels: &mut Vec<Level>) -> Result<()> {
    let mut vtab = None;
    let source = match t {
        TableRef::Table { name, alias, indexed, args } => {
            if let Some(p) = pragma_function(b, name, args.as_deref())? {
                let cursor = b.alloc_cursor();
                let label = alias.clone().unwrap_or_else(|| name.name.clone());
                let columns = p.1.iter().map(|c| super::expr::SourceColumn { hidden: false, name: c.to_string(), affinity: None, collation: None, decl_type: None }).collect();
                levels.push(Level { cursor, table: None, left_join: false, right_join: false, on_terms: Vec::new(), movable: false, order: None, pragma: Some((p.0, p.2)), vtab: None });
                scope.sources.push(Source { name: label, table: None, columns, cursor, using_hidden: Vec::new(), nested: Vec::new() });
                return Ok(());
            }
            if let Some(args) = args {
                // A virtual table with arguments (a table-valued function).
                let table = if name.schema.is_none() && b.ctes.iter().any(|c| c.cte.name.eq_ignore_ascii_case(&name.name)) { None } else { Some(lookup_table(b, name)?) };
                let Some(table) = table.filter(|t| t.module.is_some()) else {
                    return Err(Error::sql(format!("'{}' is not a function", name.name)));
                };
                let label = alias.clone().unwrap_or_else(|| table.name.clone());
                let (s, vt) = super::vtab::open_source(b, &table, &label)?;
                scope.tvf_terms.extend(super::vtab::function_args(&vt, &label, args)?);
                levels.push(Level { cursor: s.cursor, table: s.table.clone(), left_join: false, right_join: false, on_terms: Vec::new(), movable: true, order: None, pragma: None, vtab: Some(vt) });
                scope.sources.push(s);
                return Ok(());
            }
            let cte = if name.schema.is_none() { b.cte_source(&name.name, alias.as_deref().unwrap_or(&name.name))? } else { None };
            if let Some(source) = cte {
                levels.push(Level { cursor: source.cursor, table: None, left_join: false, right_join: false, on_terms: Vec::new(), movable: true, order: None, pragma: None, vtab: None });
                scope.sources.push(source);
                return Ok(());
            }
            let table = lookup_table(b, name)?;
            let label = alias.clone().unwrap_or_else(|| table.name.clone());
            if table.module.is_some() {
                let (s, vt) = super::vtab::open_source(b, &table, &label)?;
                vtab = Some(vt);
                s
            } else if let Some(view) = &table.view {
                let cols: Vec<String> = table.columns.iter().map(|c| c.name.clone()).collect();
                let mut s = select::materialize(b, view, &label, &cols, true)?;
                s.table = None;
                s
            } else {
                if let Some(ast::Indexed::By(ix)) = indexed {
                    if b.schemas.get(table.db).index(ix).is_none() {
                        return Err(Error::sql(format!("no such index: {ix}")));
                    }
                }
                let cursor = b.alloc_cursor();
                b.emit(Op::OpenRead { cursor, db: table.db, root: Root::Page(table.root), kind: table.tree_kind(), key_info: table.cursor_key_info() });
                b.reads = true;
                Source::from_table(&label, table, cursor)
            }
        }
        TableRef::Subquery { select: sel, alias } => {
            let label = alias.clone().unwrap_or_else(|| format!("(subquery-{})", levels.len() + 1));
            select::materialize(b, sel, &label, &[], false)?
        }
        TableRef::Nested { from, alias } => {
            let label = alias.clone().unwrap_or_else(|| format!("(join-{})", levels.len() + 1));
            super::nested::materialize(b, from, &label)?
        }
    };
    levels.push(Level { cursor: source.cursor, table: source.table.clone(), left_join: false, right_join: false, on_terms: Vec::new(), movable: true, order: None, pragma: None, vtab });
    scope.sources.push(source);
    Ok(())
}

/// A FROM item that names a pragma as a table-valued function
/// (`pragma_table_info('t')`, `pragma_database_list`): the pragma, its
/// result columns and its argument. Only pragmas that return rows and
/// change nothing qualify, as in SQLite; a real table of that name wins.
fn pragma_function(b: &Builder<'_>, name: &ast::QualifiedName, args: Option<&[Expr]>) -> Result<Option<(Arc<str>, &'static [&'static str], Option<Expr>)>> {
    let lower = name.name.to_ascii_lowercase();
    let Some(pragma) = lower.strip_prefix("pragma_") else { return Ok(None) };
    if name.schema.is_some() || b.schemas.find_table(None, &name.name).is_some() || b.ctes.iter().any(|c| c.cte.name.eq_ignore_ascii_case(&name.name)) {
        return Ok(None);
    }
    let args = args.unwrap_or(&[]);
    let Some(info) = crate::pragma::info(pragma, !args.is_empty()) else { return Ok(None) };
    if info.columns.is_empty() || info.access == crate::pragma::Access::Write {
        return Ok(None);
    }
    match args {
        [] => Ok(Some((Arc::from(pragma), info.columns, None))),
        [a] => Ok(Some((Arc::from(pragma), info.columns, Some(a.clone())))),
        _ => Err(Error::sql(format!("{}() with a schema argument is not supported yet", name.name))),
    }
}

/// Builds the sources and levels of a FROM clause; ON and USING terms of
/// inner joins are appended to `where_terms`.
pub fn build_from(b: &mut Builder<'_>, from: &From, scope: &mut Scope, levels: &mut Vec<Level>, where_terms: &mut Vec<Expr>) -> Result<()> {
    let from = super::nested::flatten(from)?;
    add_source(b, &from.first, scope, levels)?;
    // ON / USING terms of inner joins, by level: they stay on their level
    // when a RIGHT or FULL join follows, else they join WHERE.
    let mut inner_on: Vec<(usize, Vec<Expr>)> = Vec::new();
    let mut last_right = None;
    let has_right = from.joins.iter().any(|j| matches!(j.op.kind, JoinKind::Right | JoinKind::Full));
    for j in &from.joins {
        let tvf_before = scope.tvf_terms.len();
        add_source(b, &j.table, scope, levels)?;
        let left = matches!(j.op.kind, JoinKind::Left | JoinKind::Full);
        let right = matches!(j.op.kind, JoinKind::Right | JoinKind::Full);
        let right_idx = scope.sources.len() - 1;
        let mut terms = Vec::new();
        let mut using: Vec<String> = match &j.constraint {
            Some(JoinConstraint::Using(cols)) => cols.clone(),
            _ => Vec::new(),
        };
        if j.op.natural {
            if j.constraint.is_some() {
                return Err(Error::sql("a NATURAL join may not have an ON or USING clause"));
            }
            let right = &scope.sources[right_idx];
            // A virtual table's HIDDEN columns take no part (SQLite).
            for c in right.columns.iter().filter(|c| !c.hidden) {
                if scope.sources[..right_idx].iter().any(|s| s.columns.iter().any(|x| !x.hidden && x.name.eq_ignore_ascii_case(&c.name))) {
                    using.push(c.name.clone());
                }
            }
        }
        for col in &using {
            let left_src = scope.sources[..right_idx]
                .iter()
                .find(|s| s.columns.iter().any(|x| x.name.eq_ignore_ascii_case(col)))
                .ok_or_else(|| Error::sql(format!("cannot join using column {col} - column not present in both tables")))?;
            if !scope.sources[right_idx].columns.iter().any(|x| x.name.eq_ignore_ascii_case(col)) {
                return Err(Error::sql(format!("cannot join using column {col} - column not present in both tables")));
            }
            let left_name = left_src.name.clone();
            let right_name = scope.sources[right_idx].name.clone();
            let lhs = if has_right {
                right_join::using_left_side(&scope.sources[..right_idx], col)?
            } else {
                Expr::Column { schema: None, table: Some(left_name.clone()), column: col.clone() }
            };
            terms.push(Expr::Binary(Box::new(lhs), BinaryOp::Eq, Box::new(Expr::Column { schema: None, table: Some(right_name.clone()), column: col.clone() })));
            scope.sources[right_idx].using_hidden.push(col.clone());
            right_join::merge_using(&mut scope.using_merged, col, &left_name, &right_name, j.op.kind);
        }
        if let Some(JoinConstraint::On(e)) = &j.constraint {
            split_chain(e, BinaryOp::And, &mut terms);
        }
        let lvl = levels.len() - 1;
        if !matches!(j.op.kind, JoinKind::Comma | JoinKind::Inner) {
            for l in levels.iter_mut() {
                l.movable = false;
            }
        }
        if right {
            levels[lvl].right_join = true;
            last_right = Some(lvl);
            scope.last_right = Some(right_idx);
        }
        if left || right {
            // A left-joined table-valued function's arguments constrain
            // it as its ON clause does.
            terms.extend(scope.tvf_terms.drain(tvf_before..));
            levels[lvl].left_join = left;
            levels[lvl].on_terms = terms;
        } else {
            inner_on.push((lvl, terms));
        }
    }
    for (lvl, terms) in inner_on {
        if last_right.is_some_and(|r| lvl < r) {
            levels[lvl].on_terms.extend(terms);
        } else {
            where_terms.extend(terms);
        }
    }
    Ok(())
}

/// Where a term can be tested: the innermost loop (1-based; 0 = before all
/// loops) among those it refers to, and whether it also refers to
/// something no loop of `levels` provides (a table not placed yet, a
/// subquery, a result alias), which puts it after every loop.
fn term_refs(b: &mut Builder<'_>, levels: &[Level], t: &Expr) -> (usize, bool) {
    let cursors: Vec<usize> = levels.iter().map(|l| l.cursor).collect();
    let (refs, unresolved) = super::plan::loops_read(b, &cursors, t);
    ((64 - refs.leading_zeros()) as usize, unresolved)
}

/// The loop after which a term can be tested (0 = before all loops).
fn term_level(b: &mut Builder<'_>, levels: &[Level], t: &Expr) -> usize {
    match term_refs(b, levels, t) {
        (_, true) => levels.len(),
        (max, false) => max,
    }
}

/// Starts a loop over the distinct values of an IN list, in a transient
/// index (NULLs dropped: they never compare equal). Jumps to `empty` when
/// there is no value; returns the cursor, the register holding the
/// current value, and the loop's top address.
pub(super) fn begin_in_loop(b: &mut Builder<'_>, values: &EqValue, aff: Option<Affinity>, coll: crate::collation::CollSeq, empty: usize) -> Result<(usize, crate::vdbe::Reg, usize)> {
    let eph = b.alloc_cursor();
    let key_info = Arc::new(crate::record::KeyInfo::new(vec![(coll, false)]));
    let list = match values {
        EqValue::List(list) => list,
        EqValue::Select(sel) => {
            // The subquery's rows, with the left column's affinity, fill the
            // set once; its NULLs are skipped when read.
            b.subquery(sel, super::select::Dest::InSet { cursor: eph, affinity: aff, key_info })?;
            b.emit(Op::Rewind { cursor: eph, target: empty });
            let top = b.addr();
            let v = b.alloc_reg();
            b.emit(Op::Column { cursor: eph, column: 0, dest: v, default: None });
            return Ok((eph, v, top));
        }
        EqValue::One(_) => return Err(Error::with_message(crate::error::code::INTERNAL, "IN loop over one value")),
    };
    b.emit(Op::OpenEphemeral { cursor: eph, key_info: Some(key_info) });
    let r = b.alloc_reg();
    let rec = b.alloc_reg();
    for item in list {
        let skip = b.new_label();
        b.expr(item, r)?;
        b.emit(Op::IsNull { reg: r, target: skip });
        if let Some(a) = aff {
            b.emit(Op::Affinity { start: r, affinities: Arc::from(vec![a]) });
        }
        b.emit(Op::MakeRecord { start: r, count: 1, dest: rec });
        b.emit(Op::IdxInsert { cursor: eph, key: rec });
        b.resolve(skip);
    }
    b.emit(Op::Rewind { cursor: eph, target: empty });
    let top = b.addr();
    let v = b.alloc_reg();
    b.emit(Op::Column { cursor: eph, column: 0, dest: v, default: None });
    Ok((eph, v, top))
}

/// The EXPLAIN QUERY PLAN line for one loop, in SQLite's words.
/// The name a loop's source is referred to by (its alias, else its table).
pub(super) fn level_name(b: &Builder<'_>, lv: &Level) -> String {
    b.scopes
        .last()
        .and_then(|s| s.sources.iter().find(|src| src.cursor == lv.cursor))
        .map(|s| s.name.clone())
        .unwrap_or_default()
}

fn note_plan(b: &mut Builder<'_>, lv: &Level, plan: &Plan) {
    if let Plan::MultiOr { arms } = plan {
        super::multi_or::note(b, lv, arms, note_plan);
        return;
    }
    let name = level_name(b, lv);
    let col_name = |index: &Index, k: usize| -> String {
        match (index.columns.get(k).and_then(|c| c.column), &lv.table) {
            (Some(c), Some(t)) => t.columns.get(c).map(|c| c.name.clone()).unwrap_or_default(),
            _ => "<expr>".to_string(),
        }
    };
    let mut detail = match plan {
        Plan::Scan => match &lv.order {
            Some(ScanOrder::Index { index, .. }) if !index.is_table_pk() => format!("SCAN {name} USING INDEX {}", index.name),
            _ => format!("SCAN {name}"),
        },
        Plan::Rowid(..) => format!("SEARCH {name} USING INTEGER PRIMARY KEY (rowid=?)"),
        Plan::RowidRange { lower, upper } => {
            let parts: Vec<&str> = [lower.as_ref().map(|_| "rowid>?"), upper.as_ref().map(|_| "rowid<?")].into_iter().flatten().collect();
            format!("SEARCH {name} USING INTEGER PRIMARY KEY ({})", parts.join(" AND "))
        }
        Plan::Index { index, eq, lower, upper, not_null, .. } => {
            let mut parts: Vec<String> = (0..eq.len()).map(|k| format!("{}=?", col_name(index, k))).collect();
            if lower.is_some() || *not_null {
                parts.push(format!("{}>?", col_name(index, eq.len())));
            }
            if upper.is_some() {
                parts.push(format!("{}<?", col_name(index, eq.len())));
            }
            if index.is_table_pk() {
                format!("SEARCH {name} USING PRIMARY KEY ({})", parts.join(" AND "))
            } else {
                format!("SEARCH {name} USING INDEX {} ({})", index.name, parts.join(" AND "))
            }
        }
        Plan::AutoIndex { columns, .. } => {
            let parts: Vec<String> = columns.iter().map(|(c, _)| format!("{}=?", lv.table.as_ref().and_then(|t| t.columns.get(*c)).map(|c| c.name.as_str()).unwrap_or("<expr>"))).collect();
            format!("SEARCH {name} USING AUTOMATIC INDEX ({})", parts.join(" AND "))
        }
        Plan::MultiOr { .. } => String::new(),
    };
    if lv.left_join {
        detail.push_str(" LEFT-JOIN");
    }
    b.plan_note(detail);
}

/// Makes the table cursor `tc` follow the index cursor `ic`: for a cursor
/// that only reads (opened by OpenRead), a deferred seek whose map says
/// which table columns the index holds (returned, so the caller can tell
/// whether the index covers the query); otherwise a real seek by rowid.
fn seek_from_index(b: &mut Builder<'_>, tc: usize, ic: usize, index: &Index, table: Option<&Table>, next: usize) -> Option<Arc<[Option<usize>]>> {
    let read_only = b.ops.iter().any(|op| matches!(op, Op::OpenRead { cursor, .. } if *cursor == tc));
    match table {
        Some(t) if read_only => {
            // Keyed by record field, as `Op::Column` reads the table. A
            // generated column is read from the table, never the index
            // (SQLite's indexes do not cover them either).
            let map: Arc<[Option<usize>]> = (0..t.columns.len())
                .filter(|&j| !t.is_virtual(j))
                .map(|j| {
                    if t.columns[j].generated.is_some() {
                        return None;
                    }
                    // An index of a WITHOUT ROWID table also holds the
                    // PRIMARY KEY columns of its tail. SQLite counts them
                    // only for CREATE INDEX: a UNIQUE constraint's index
                    // never covers them.
                    let tail = || {
                        let tail = index.pk_tail.as_ref().filter(|_| index.origin == crate::schema::IndexOrigin::Create)?;
                        tail.iter().position(|&c| c == j).map(|k| index.columns.len() + k)
                    };
                    index.columns.iter().position(|c| c.column == Some(j)).or_else(tail)
                })
                .collect();
            b.emit(Op::DeferredSeek { table: tc, index: ic, alt_map: map.clone() });
            Some(map)
        }
        _ => {
            let rowid = b.alloc_reg();
            b.emit(Op::IdxRowid { cursor: ic, dest: rowid });
            b.emit(Op::SeekRowid { cursor: tc, reg: rowid, target: next });
            None
        }
    }
}

/// Fills the transient index `ic` on `columns` of `table` (read through
/// its cursor `tc`), once per run of the program: each entry is the
/// columns' values, then the rowid. The index is a sorter, sorted once
/// built and then searched by binary search (SeekIdx / IdxCompare /
/// SorterNext), which is cheaper than a set that stays open to inserts.
fn build_auto_index(b: &mut Builder<'_>, table: &Table, tc: usize, ic: usize, columns: &[(usize, crate::collation::CollSeq)]) -> Result<()> {
    let mut fields: Vec<(crate::collation::CollSeq, bool)> = columns.iter().map(|(_, c)| (c.clone(), false)).collect();
    fields.push((crate::collation::CollSeq::Binary, false));
    let key_info = Arc::new(crate::record::KeyInfo::new(fields));
    let built = b.new_label();
    b.emit(Op::Once { target: built });
    b.emit(Op::SorterOpen { cursor: ic, key_info });
    let sort = b.new_label();
    b.emit(Op::Rewind { cursor: tc, target: sort });
    let top = b.addr();
    let n = columns.len();
    let key = b.alloc_regs(n + 1);
    for (k, (col, _)) in columns.iter().enumerate() {
        if Some(*col) == table.rowid_alias {
            b.emit(Op::Rowid { cursor: tc, dest: key + k });
        } else if table.is_virtual(*col) {
            super::generated::read_virtual(b, table, tc, *col, key + k)?;
        } else {
            b.emit(Op::Column { cursor: tc, column: table.storage_index(*col), dest: key + k, default: table.column_default(*col) });
        }
    }
    b.emit(Op::Rowid { cursor: tc, dest: key + n });
    let rec = b.alloc_reg();
    b.emit(Op::MakeRecord { start: key, count: n + 1, dest: rec });
    b.emit(Op::SorterInsert { cursor: ic, record: rec });
    b.emit(Op::Next { cursor: tc, target: top });
    b.resolve(sort);
    b.emit(Op::SorterSort { cursor: ic, target: built });
    b.resolve(built);
    Ok(())
}

/// Emits the loop nest over `levels`, testing `terms`, with `body` at the
/// innermost point.
pub fn emit_loops(b: &mut Builder<'_>, levels: &[Level], terms: &[Expr], body: &mut dyn FnMut(&mut Builder<'_>) -> Result<()>) -> Result<()> {
    if levels.len() > 64 {
        return Err(Error::sql("at most 64 tables in a join"));
    }
    let end_notes = std::mem::take(&mut b.nest_end_notes);
    super::vtab::prepare(b, levels, terms, &super::vtab::QueryFacts::default())?;
    let ordered = order_levels(b, levels, terms);
    let levels = &ordered[..];
    // WHERE terms are tested after the last right-joined table at the
    // earliest (see `right_join`).
    let last_right = levels.iter().rposition(|l| l.right_join);
    if let Some(r) = last_right {
        for (i, lv) in levels.iter().enumerate().take(r + 1) {
            for t in &lv.on_terms {
                if term_refs(b, levels, t).0 > i + 1 {
                    return Err(Error::sql("ON clause references tables to its right"));
                }
            }
        }
    }
    let mut at: Vec<Vec<&Expr>> = vec![Vec::new(); levels.len() + 1];
    for t in terms {
        let mut l = term_level(b, levels, t);
        if let Some(r) = last_right {
            if l >= 1 && l <= r {
                l = r + 1;
            }
        }
        at[l].push(t);
    }
    let end_all = b.new_label();
    for t in &at[0] {
        b.jump_if_false(t, end_all, true)?;
    }
    let rjs = right_join::setup(b, levels)?;
    let an = Analysis::new(b, levels, terms);
    let ctx = Nest { levels, all_terms: terms, an: an.as_ref(), at: &at, rjs: &rjs, last_right };
    emit_level(b, &ctx, 0, body)?;
    for n in end_notes {
        b.plan_note(n);
    }
    right_join::emit_passes(b, levels, &rjs)?;
    b.resolve(end_all);
    Ok(())
}

/// What every level of one loop nest shares.
struct Nest<'a> {
    levels: &'a [Level],
    all_terms: &'a [Expr],
    an: Option<&'a Analysis>,
    /// Terms by the loop after which they are tested.
    at: &'a [Vec<&'a Expr>],
    rjs: &'a [Option<RightJoin>],
    last_right: Option<usize>,
}

fn emit_level(b: &mut Builder<'_>, ctx: &Nest<'_>, i: usize, body: &mut dyn FnMut(&mut Builder<'_>) -> Result<()>) -> Result<()> {
    let (levels, all_terms, an, at) = (ctx.levels, ctx.all_terms, ctx.an, ctx.at);
    if i == levels.len() {
        return body(b);
    }
    let lv = &levels[i];
    if let Some((name, arg)) = &lv.pragma {
        let arg = match arg {
            Some(e) => b.expr_to_reg(e)?,
            None => 0,
        };
        b.emit(Op::PragmaRows { name: name.clone(), arg, cursor: lv.cursor });
    }
    let rj = ctx.rjs[i].as_ref();
    let tc = lv.cursor;
    let nomatch = b.new_label();
    let next = b.new_label();
    let end = b.new_label();
    let lj_body = b.new_label();
    // For a LEFT JOIN: `matched` says a row of this table joined; `null_pass`
    // marks the extra pass over the NULL row, after which the loop ends
    // without advancing a cursor that may never have been positioned.
    let (matched, null_pass) = if lv.left_join {
        let m = b.alloc_reg();
        let n = b.alloc_reg();
        b.emit(Op::Integer { value: 0, dest: m });
        b.emit(Op::Integer { value: 0, dest: n });
        (Some(m), Some(n))
    } else {
        (None, None)
    };
    let placed = (1u64 << i.min(63)) - 1;
    let plan = if ctx.last_right.is_some_and(|r| i <= r) {
        // Only ON terms may narrow these loops: a WHERE term must not keep
        // a right-joined row from being marked. No automatic index there,
        // as in SQLite.
        match Analysis::new(b, levels, &lv.on_terms) {
            Some(an) if !lv.on_terms.is_empty() => match choose_plan(b, &an, tc, lv.table.as_ref(), placed) {
                Plan::AutoIndex { .. } => Plan::Scan,
                p => p,
            },
            _ => Plan::Scan,
        }
    } else if lv.on_terms.is_empty() {
        match an {
            Some(an) => choose_plan(b, an, tc, lv.table.as_ref(), placed),
            None => Plan::Scan,
        }
    } else {
        let mut plan_terms: Vec<Expr> = all_terms.to_vec();
        plan_terms.extend(lv.on_terms.iter().cloned());
        match Analysis::new(b, levels, &plan_terms) {
            Some(an) => choose_plan(b, &an, tc, lv.table.as_ref(), placed),
            None => Plan::Scan,
        }
    };
    // A virtual table: the module's plan, then VFilter.
    let vloop = if lv.vtab.is_some() { Some(super::vtab::begin_loop(b, levels, i, nomatch, next)?) } else { None };
    // WHERE terms this loop's index search enforces itself (not where a
    // NULL row of an outer or right join must still meet them).
    let searched: Vec<&Expr> = match an {
        Some(an) if vloop.is_none() && lv.on_terms.is_empty() && !lv.left_join && ctx.last_right.is_none() => {
            an.searched_terms(&plan, tc, placed).into_iter().filter_map(|k| all_terms.get(k)).collect()
        }
        _ => Vec::new(),
    };
    let skip = |t: &Expr, on: bool| -> bool {
        (!on && searched.contains(&t)) || vloop.as_ref().is_some_and(|v| v.on_terms == on && v.omitted.iter().any(|&k| if on { lv.on_terms.get(k) == Some(t) } else { all_terms.get(k) == Some(t) }))
    };
    if vloop.is_none() {
        note_plan(b, lv, &plan);
    }
    let note = b.plan_notes.len().checked_sub(1);
    let addr_loop = b.addr();
    // The table columns an index entry holds, when the table cursor only
    // follows an index cursor through a deferred seek.
    let mut covered: Option<Arc<[Option<usize>]>> = None;
    let mut index_cursor = None;
    // An IN list wraps the loop in a loop over its values: `exit` then
    // moves on to the next value instead of ending the level.
    let mut in_loop: Option<(usize, usize, usize)> = None; // (cursor, top, next label)
    let top;
    match &plan {
        _ if vloop.is_some() => {
            top = vloop.as_ref().map_or(0, |v| v.top);
        }
        Plan::Scan => match &lv.order {
            Some(ScanOrder::Index { index, desc }) => {
                // The PRIMARY KEY of a WITHOUT ROWID table is the table.
                let ic = if index.is_table_pk() { tc } else { b.alloc_cursor() };
                index_cursor = Some(ic);
                if ic != tc {
                    b.emit(Op::OpenRead { cursor: ic, db: index.db, root: Root::Page(index.root), kind: TreeKind::Index, key_info: Some(index.key_info.clone()) });
                }
                if *desc {
                    b.emit(Op::Last { cursor: ic, target: nomatch });
                } else {
                    b.emit(Op::Rewind { cursor: ic, target: nomatch });
                }
                top = b.addr();
                if ic != tc {
                    covered = seek_from_index(b, tc, ic, index, lv.table.as_deref(), next);
                }
            }
            Some(ScanOrder::Rowid { desc: true }) => {
                b.emit(Op::Last { cursor: tc, target: nomatch });
                top = b.addr();
            }
            _ => {
                b.emit(Op::Rewind { cursor: tc, target: nomatch });
                top = b.addr();
            }
        },
        Plan::Rowid(v, aff) => {
            let (r, exit) = match v {
                EqValue::One(e) => {
                    let r = b.expr_to_reg(e)?;
                    b.emit(Op::IsNull { reg: r, target: nomatch });
                    (r, nomatch)
                }
                list => {
                    let in_next = b.new_label();
                    let (eph, v, in_top) = begin_in_loop(b, list, *aff, crate::collation::CollSeq::Binary, nomatch)?;
                    in_loop = Some((eph, in_top, in_next));
                    b.emit(Op::IsNull { reg: v, target: in_next });
                    (v, in_next)
                }
            };
            b.emit(Op::SeekRowid { cursor: tc, reg: r, target: exit });
            top = b.addr();
        }
        Plan::RowidRange { lower, upper } => {
            // Seek to the bound the scan starts from; the other bound is
            // evaluated once, before the loop, and checked on each row.
            // Backward (ORDER BY rowid DESC) from the upper bound.
            let desc = matches!(lv.order, Some(ScanOrder::Rowid { desc: true }));
            let (start, stop) = if desc { (upper, lower) } else { (lower, upper) };
            let stop_reg = match stop {
                Some((e, _)) => Some(b.expr_to_reg(e)?),
                None => None,
            };
            match start {
                Some((e, inclusive)) => {
                    let r = b.expr_to_reg(e)?;
                    let op = match (desc, *inclusive) {
                        (false, true) => SeekOp::Ge,
                        (false, false) => SeekOp::Gt,
                        (true, true) => SeekOp::Le,
                        (true, false) => SeekOp::Lt,
                    };
                    b.emit(Op::SeekRowidRange { op, cursor: tc, reg: r, target: nomatch });
                }
                None if desc => {
                    b.emit(Op::Last { cursor: tc, target: nomatch });
                }
                None => {
                    b.emit(Op::Rewind { cursor: tc, target: nomatch });
                }
            }
            top = b.addr();
            if let (Some(u), Some((_, inclusive))) = (stop_reg, stop) {
                let rid = b.alloc_reg();
                b.emit(Op::Rowid { cursor: tc, dest: rid });
                use crate::vdbe::CmpOp;
                let op = match (desc, *inclusive) {
                    (false, true) => CmpOp::Gt,
                    (false, false) => CmpOp::Ge,
                    (true, true) => CmpOp::Lt,
                    (true, false) => CmpOp::Le,
                };
                b.emit(Op::CompareJump { op, lhs: rid, rhs: u, target: nomatch, jump_if_null: true, affinity: Some(crate::vdbe::mem::Affinity::Numeric), coll: crate::collation::CollSeq::Binary });
            }
        }
        Plan::Index { index, eq, nulls, lower, upper, .. } => {
            // A search read backwards for ORDER BY ... DESC: from the
            // last entry of the search down to its first
            // (`index_search` turns the bounds into key order).
            let backward = matches!(lv.order, Some(ScanOrder::Index { desc: true, .. }));
            // The PRIMARY KEY of a WITHOUT ROWID table is the table: the
            // search moves the table cursor itself.
            let ic = if index.is_table_pk() { tc } else { b.alloc_cursor() };
            index_cursor = Some(ic);
            if ic != tc {
                b.emit(Op::OpenRead { cursor: ic, db: index.db, root: Root::Page(index.root), kind: TreeKind::Index, key_info: Some(index.key_info.clone()) });
            }
            let n_eq = eq.len();
            let mut exit = nomatch;
            let mut in_value = None;
            for (k, (v, aff)) in eq.iter().enumerate() {
                if v.is_list() {
                    let in_next = b.new_label();
                    let coll = index.columns[k].collation.clone();
                    let (eph, value, in_top) = begin_in_loop(b, v, *aff, coll, nomatch)?;
                    in_loop = Some((eph, in_top, in_next));
                    in_value = Some(value);
                    exit = in_next;
                }
            }
            let key = b.alloc_regs(n_eq + 1);
            super::index_search::load_equalities(b, eq, *nulls, key, in_value, exit)?;
            top = super::index_search::seek_and_stop(b, &super::index_search::Walk { ic, index, key, n_eq, lower: lower.as_ref(), upper: upper.as_ref(), backward }, exit)?;
            if ic != tc {
                covered = seek_from_index(b, tc, ic, index, lv.table.as_deref(), next);
            }
        }
        Plan::MultiOr { arms } => {
            let queue = super::multi_or::fill_queue(b, tc, arms)?;
            index_cursor = Some(queue);
            b.emit(Op::Rewind { cursor: queue, target: nomatch });
            top = b.addr();
            let rowid = b.alloc_reg();
            b.emit(Op::Column { cursor: queue, column: 0, dest: rowid, default: None });
            b.emit(Op::SeekRowid { cursor: tc, reg: rowid, target: next });
        }
        Plan::AutoIndex { columns, eq } => {
            let table = lv.table.clone().ok_or_else(|| Error::with_message(crate::error::code::INTERNAL, "automatic index without a table"))?;
            let ic = b.alloc_cursor();
            index_cursor = Some(ic);
            build_auto_index(b, &table, tc, ic, columns)?;
            let n = eq.len();
            let key = b.alloc_regs(n);
            for (k, (v, aff)) in eq.iter().enumerate() {
                if let EqValue::One(e) = v {
                    b.expr(e, key + k)?;
                }
                b.emit(Op::IsNull { reg: key + k, target: nomatch });
                if let Some(a) = aff {
                    b.emit(Op::Affinity { start: key + k, affinities: Arc::from(vec![*a]) });
                }
            }
            b.emit(Op::SeekIdx { op: SeekOp::Ge, cursor: ic, key, n, target: nomatch });
            top = b.addr();
            b.emit(Op::IdxCompare { op: SeekOp::Gt, cursor: ic, key, n, target: nomatch });
            let rowid = b.alloc_reg();
            b.emit(Op::IdxRowid { cursor: ic, dest: rowid });
            b.emit(Op::SeekRowid { cursor: tc, reg: rowid, target: next });
        }
    }
    let addr_visit = b.addr();
    for t in &lv.on_terms {
        if skip(t, true) {
            continue;
        }
        b.jump_if_false(t, next, true)?;
    }
    if let Some(rj) = rj {
        right_join::mark(b, rj, tc);
        b.resolve(rj.body);
    }
    b.resolve(lj_body);
    if let Some(m) = matched {
        b.emit(Op::Integer { value: 1, dest: m });
    }
    // Expressions the walked index holds are read from its entries while
    // the rest of the nest compiles (not where a NULL row may stand in).
    let reads_before = b.index_expr_reads.len();
    let walked = match (&plan, &lv.order) {
        (Plan::Index { index, .. }, _) | (Plan::Scan, Some(ScanOrder::Index { index, .. })) => Some(index.clone()),
        _ => None,
    };
    if let (Some(index), Some(ic), Some(_), Some(table)) = (walked, index_cursor, &covered, &lv.table) {
        if !lv.left_join && !lv.right_join && ctx.last_right.is_none() {
            for (field, icol) in index.columns.iter().enumerate() {
                if let (None, Some(e)) = (icol.column, &icol.expr) {
                    b.index_expr_reads.push(super::index_expr::IndexExprRead { table_cursor: tc, table: table.clone(), index_cursor: ic, field, expr: e.clone() });
                }
            }
        }
    }
    for t in &at[i + 1] {
        if skip(t, false) {
            continue;
        }
        b.jump_if_false(t, next, true)?;
    }
    emit_level(b, ctx, i + 1, body)?;
    b.index_expr_reads.truncate(reads_before);
    // Every column the statement read from the table was in the index:
    // SQLite calls that a covering index.
    if let (Some(map), Some(n)) = (&covered, note) {
        let all_in_index = b.ops[top..].iter().all(|op| match op {
            Op::Column { cursor, column, .. } if *cursor == tc => map.get(*column).copied().flatten().is_some(),
            _ => true,
        });
        if all_in_index {
            if let Some(entry) = b.plan_notes.get_mut(n) {
                entry.2 = entry.2.replacen(" USING INDEX ", " USING COVERING INDEX ", 1);
            }
        }
    }
    b.resolve(next);
    if let Some(rj) = rj {
        right_join::leave(b, rj);
    }
    if let Some(n) = null_pass {
        b.emit(Op::If { reg: n, target: end, jump_if_null: false });
    }
    match &plan {
        _ if vloop.is_some() => {
            b.emit(Op::VNext { cursor: tc, target: top });
        }
        Plan::Scan => match (&lv.order, index_cursor) {
            (Some(ScanOrder::Index { desc: true, .. }), Some(ic)) => {
                b.emit(Op::Prev { cursor: ic, target: top });
            }
            (Some(ScanOrder::Index { .. }), Some(ic)) => {
                b.emit(Op::Next { cursor: ic, target: top });
            }
            (Some(ScanOrder::Rowid { desc: true }), _) => {
                b.emit(Op::Prev { cursor: tc, target: top });
            }
            _ => {
                b.emit(Op::Next { cursor: tc, target: top });
            }
        },
        Plan::Rowid(..) => {}
        Plan::RowidRange { .. } => {
            if matches!(lv.order, Some(ScanOrder::Rowid { desc: true })) {
                b.emit(Op::Prev { cursor: tc, target: top });
            } else {
                b.emit(Op::Next { cursor: tc, target: top });
            }
        }
        Plan::AutoIndex { .. } => {
            if let Some(ic) = index_cursor {
                b.emit(Op::SorterNext { cursor: ic, target: top });
            }
        }
        Plan::MultiOr { .. } => {
            if let Some(queue) = index_cursor {
                b.emit(Op::Next { cursor: queue, target: top });
            }
        }
        Plan::Index { .. } => {
            if let Some(ic) = index_cursor {
                if matches!(lv.order, Some(ScanOrder::Index { desc: true, .. })) {
                    b.emit(Op::Prev { cursor: ic, target: top });
                } else {
                    b.emit(Op::Next { cursor: ic, target: top });
                }
            }
        }
    }
    if let Some(v) = &vloop {
        super::vtab_in::end_loops(b, &v.in_loops);
    }
    if let Some((eph, in_top, in_next)) = in_loop {
        b.resolve(in_next);
        b.emit(Op::Next { cursor: eph, target: in_top });
    }
    b.resolve(nomatch);
    if let Some(m) = matched {
        b.emit(Op::IfPos { reg: m, target: end, decrement: 0 });
        b.emit(Op::NullRow { cursor: tc });
        b.emit(Op::Integer { value: 1, dest: m });
        if let Some(n) = null_pass {
            b.emit(Op::Integer { value: 1, dest: n });
        }
        b.emit(Op::Goto { target: lj_body });
    }
    b.resolve(end);
    if vloop.is_some() {
        super::vtab::finish_loop(b, tc);
    }
    if let (Some(n), None, false) = (note, &vloop, matches!(plan, Plan::MultiOr { .. })) {
        let name = match &plan {
            Plan::Index { index, .. } => index.name.clone(),
            Plan::Scan => match &lv.order {
                Some(ScanOrder::Index { index, .. }) => index.name.clone(),
                _ => lv.table.as_ref().map(|t| t.name.clone()).unwrap_or_default(),
            },
            _ => lv.table.as_ref().map(|t| t.name.clone()).unwrap_or_default(),
        };
        let est = super::scan_est::loop_estimate(&plan);
        b.scan_loops.push((n, crate::vdbe::ScanLoop { name, est, addr_loop, addr_visit, addr_end: b.addr() }));
    }
    Ok(())
}
