//! Full scans through a covering index.
//!
//! A query that must read a whole table, but only columns some index
//! holds, reads that index instead when its entries are narrower than the
//! table's rows, as SQLite's planner does: fewer pages to read, and the
//! rows come in the index's order, which is the order SQLite returns them
//! in (and the order a group's bare columns are taken from).
//!
//! Widths are SQLite's estimates: a column counts 1 (about 4 bytes), a
//! TEXT or BLOB column 5, a `CHAR(n)`/`BLOB(n)` column n/4+1; a table row
//! adds 1 for a rowid that no INTEGER PRIMARY KEY holds, an index entry
//! adds 1 for the rowid it ends with. The index must be narrower on
//! SQLite's logarithmic scale (`log_est`), and among several the cheapest
//! wins, the most recently created on a tie.
//!
//! Invariant: only a full scan of a rowid table changes, and only to a
//! walk of an index; columns the index lacks are still read from the
//! table (deferred seek), so a choice can cost speed but never rows.

use super::expr::{walk, ROWID};
use super::plan::{choose_plan, Analysis, Plan};
use super::where_::{Level, ScanOrder};
use super::Builder;
use crate::error::Result;
use crate::parse::ast::{Expr, From, Indexed, JoinConstraint, ResultColumn, Select, SelectCore, TableRef};
use crate::schema::{Index, Table};
use crate::vdbe::mem::Affinity;
use std::sync::Arc;

/// SQLite's logarithmic estimate of `x`: about 10·log2(x), with the three
/// bits after the leading one giving the fraction.
pub fn log_est(x: u64) -> i32 {
    const FRACTION: [i32; 8] = [0, 2, 3, 5, 6, 7, 8, 9];
    if x < 2 {
        return 0;
    }
    let exp = 63 - x.leading_zeros() as i32;
    let bits = if exp >= 3 { (x >> (exp - 3)) & 7 } else { (x << (3 - exp)) & 7 };
    10 * exp + FRACTION[bits as usize]
}

/// The estimated width of a column declared with type `decl`.
fn column_width(decl: Option<&str>) -> u32 {
    let Some(decl) = decl.map(str::trim).filter(|d| !d.is_empty()) else { return 1 };
    let lower = decl.to_ascii_lowercase();
    // The six type names SQLite stores as codes.
    match lower.as_str() {
        "text" | "blob" => return 5,
        "int" | "integer" | "real" | "any" => return 1,
        _ => {}
    }
    if !matches!(Affinity::from_type_name(decl), Affinity::Text | Affinity::Blob) {
        return 1;
    }
    // A size written after CHAR, or right after BLOB, counts; TEXT, CLOB
    // and BLOB without one are about 20 bytes.
    let sized_from = match lower.find("char") {
        Some(p) => Some(p + 4),
        None => lower.find("blob(").map(|p| p + 4),
    };
    let v = match sized_from {
        Some(p) => {
            let rest = &lower[p..];
            let digits: String = rest.chars().skip_while(|c| !c.is_ascii_digit()).take_while(|c| c.is_ascii_digit()).collect();
            digits.parse::<u64>().unwrap_or(if digits.is_empty() { 0 } else { u64::MAX }).min(i32::MAX as u64) as u32
        }
        None => 16,
    };
    (v / 4 + 1).min(255)
}

fn table_width(t: &Table) -> u64 {
    let cols: u64 = t.columns.iter().map(|c| column_width(c.decl_type.as_deref()) as u64).sum();
    cols + u64::from(t.rowid_alias.is_none())
}

fn index_width(t: &Table, ix: &Index) -> u64 {
    let cols: u64 = ix
        .columns
        .iter()
        .map(|ic| match ic.column.and_then(|c| t.columns.get(c)) {
            Some(c) => column_width(c.decl_type.as_deref()) as u64,
            None => 1,
        })
        .sum();
    // Then the rowid, or the PRIMARY KEY columns of a WITHOUT ROWID
    // table's index.
    match &ix.pk_tail {
        Some(tail) => cols + tail.iter().filter_map(|&c| t.columns.get(c)).map(|c| column_width(c.decl_type.as_deref()) as u64).sum::<u64>(),
        None => cols + 1,
    }
}

/// The columns of `cursor`'s table (`table`, called `name` here) that
/// `exprs` read. Inside subqueries names are not resolved: every name
/// that is or may be one of this table's columns counts (more than
/// SQLite's colUsed at worst; a column the index lacks is still read
/// from the table, so a wrong guess costs speed, not correctness).
fn columns_read(b: &mut Builder<'_>, cursor: usize, table: &Table, name: &str, exprs: &[&Expr]) -> Result<Vec<usize>> {
    let mut names = Vec::new();
    let mut subqueries: Vec<&Select> = Vec::new();
    for e in exprs {
        names_in(e, &mut names, &mut subqueries);
    }
    let mut cols = Vec::new();
    for n in &names {
        if let Some(c) = b.column_ref(n)? {
            if c.cursor == cursor && c.column != ROWID && !cols.contains(&c.column) {
                cols.push(c.column);
            }
        }
    }
    // Each subquery with the column names its own tables (and those of
    // the subqueries around it) give: an unqualified name among them
    // binds there, not to this table.
    let mut stack: Vec<(&Select, Vec<String>)> = subqueries.into_iter().map(|s| (s, Vec::new())).collect();
    while let Some((sel, outer)) = stack.pop() {
        let mut shadow = outer;
        from_columns(b, sel, &mut shadow);
        let mut inner = Vec::new();
        let mut subs = Vec::new();
        select_exprs(sel, &mut |e| names_in(e, &mut inner, &mut subs));
        for n in &inner {
            let (qualifier, column) = match n {
                Expr::Column { table, column, .. } => (table.as_deref(), column.as_str()),
                Expr::DoubleQuotedId(c) => (None, c.as_str()),
                _ => continue,
            };
            match qualifier {
                Some(q) if !q.eq_ignore_ascii_case(name) => continue,
                None if shadow.iter().any(|c| c.eq_ignore_ascii_case(column)) => continue,
                _ => {}
            }
            if let Some(i) = table.columns.iter().position(|c| c.name.eq_ignore_ascii_case(column)) {
                if table.rowid_alias != Some(i) && !cols.contains(&i) {
                    cols.push(i);
                }
            }
        }
        stack.extend(subs.into_iter().map(|s| (s, shadow.clone())));
    }
    // A generated column counts as reading every column, as in SQLite.
    if cols.iter().any(|&i| table.columns[i].generated.is_some()) {
        cols = (0..table.columns.len()).filter(|&i| table.rowid_alias != Some(i)).collect();
    }
    Ok(cols)
}

/// The column names of the tables `sel`'s FROM clauses name directly.
fn from_columns(b: &Builder<'_>, sel: &Select, out: &mut Vec<String>) {
    for core in std::iter::once(&sel.core).chain(sel.compounds.iter().map(|(_, c)| c)) {
        let SelectCore::Select(body) = core else { continue };
        let Some(from) = &body.from else { continue };
        for t in std::iter::once(&from.first).chain(from.joins.iter().map(|j| &j.table)) {
            if let TableRef::Table { name, .. } = t {
                if let Some(tab) = b.schemas.find_table(name.schema.as_deref(), &name.name) {
                    out.extend(tab.columns.iter().map(|c| c.name.clone()));
                }
            }
        }
    }
}

/// The column names in `e` outside subqueries, and its subqueries.
fn names_in<'a>(e: &'a Expr, names: &mut Vec<Expr>, subqueries: &mut Vec<&'a Select>) {
    walk(e, &mut |x: &'a Expr| match x {
        Expr::Column { .. } | Expr::DoubleQuotedId(_) => {
            names.push(x.clone());
            false
        }
        Expr::Subquery(sel) => {
            subqueries.push(sel);
            false
        }
        Expr::Exists { select, .. } => {
            subqueries.push(select);
            false
        }
        Expr::InSelect { expr, select, .. } => {
            names_in(expr, names, subqueries);
            subqueries.push(select);
            false
        }
        _ => true,
    });
}

/// Calls `f` on every expression of `sel` outside its own subqueries:
/// CTEs, result columns, FROM (table-valued arguments, ON terms, nested
/// joins and subqueries in FROM, whose expressions count too), WHERE,
/// GROUP BY, HAVING, windows, VALUES rows, ORDER BY and LIMIT.
fn select_exprs<'a>(sel: &'a Select, f: &mut dyn FnMut(&'a Expr)) {
    if let Some(w) = &sel.with {
        for c in &w.ctes {
            select_exprs(&c.select, f);
        }
    }
    for core in std::iter::once(&sel.core).chain(sel.compounds.iter().map(|(_, c)| c)) {
        match core {
            SelectCore::Values(rows) => rows.iter().flatten().for_each(&mut *f),
            SelectCore::Select(body) => {
                for rc in &body.columns {
                    if let ResultColumn::Expr { expr, .. } = rc {
                        f(expr);
                    }
                }
                if let Some(from) = &body.from {
                    from_exprs(from, f);
                }
                body.where_.iter().chain(body.group_by.iter()).chain(body.having.iter()).for_each(&mut *f);
                for (_, w) in &body.windows {
                    w.partition_by.iter().chain(w.order_by.iter().map(|t| &t.expr)).for_each(&mut *f);
                }
            }
        }
    }
    sel.order_by.iter().map(|t| &t.expr).for_each(&mut *f);
    if let Some(l) = &sel.limit {
        std::iter::once(&l.limit).chain(l.offset.iter()).for_each(&mut *f);
    }
}

fn from_exprs<'a>(from: &'a From, f: &mut dyn FnMut(&'a Expr)) {
    for t in std::iter::once(&from.first).chain(from.joins.iter().map(|j| &j.table)) {
        match t {
            TableRef::Table { args: Some(args), .. } => args.iter().for_each(&mut *f),
            TableRef::Table { .. } => {}
            TableRef::Subquery { select, .. } => select_exprs(select, f),
            TableRef::Nested { from, .. } => from_exprs(from, f),
        }
    }
    for j in &from.joins {
        if let Some(JoinConstraint::On(e)) = &j.constraint {
            f(e);
        }
    }
}

/// The index a full scan of the single loop `level` should walk instead
/// of its table, given every expression the statement evaluates over it
/// (result columns, WHERE terms, GROUP BY, HAVING, ORDER BY) and the first
/// term a sorter will sort on (with its direction), if any. Rows that
/// come already ordered on that term make SQLite's sort cheaper: it walks
/// an index that starts with the term's column, covering or not; else a
/// covering index narrower than the table.
/// `INDEXED BY` names the index to walk; `NOT INDEXED` keeps the table.
pub fn covering_scan(b: &mut Builder<'_>, level: &Level, terms: &[Expr], exprs: &[&Expr], sort_first: Option<(&Expr, bool)>, indexed: Option<&Indexed>) -> Result<Option<ScanOrder>> {
    let Some(table) = level.table.clone() else { return Ok(None) };
    if table.is_view() || table.module.is_some() || level.vtab.is_some() || level.pragma.is_some() || level.order.is_some() {
        return Ok(None);
    }
    if let Some(an) = Analysis::new(b, std::slice::from_ref(level), terms) {
        if !matches!(choose_plan(b, &an, level.cursor, level.table.as_ref(), 0), Plan::Scan) {
            return Ok(None);
        }
    }
    match indexed {
        Some(Indexed::NotIndexed) => return Ok(None),
        Some(Indexed::By(name)) => {
            let index = b.schemas.get(table.db).index(name).cloned();
            return Ok(index.filter(|ix| ix.partial.is_none()).map(|index| ScanOrder::Index { index, desc: false }));
        }
        None => {}
    }
    let mut all: Vec<&Expr> = exprs.to_vec();
    all.extend(terms.iter());
    let name = super::where_::level_name(b, level);
    let read = columns_read(b, level.cursor, &table, &name, &all)?;
    // An index of a WITHOUT ROWID table holds its PRIMARY KEY too, which
    // SQLite counts for CREATE INDEX only (see `where_::seek_from_index`).
    let covers = |ix: &Index| {
        let tail: &[usize] = match &ix.pk_tail {
            Some(t) if ix.origin == crate::schema::IndexOrigin::Create => t,
            _ => &[],
        };
        read.iter().all(|c| ix.columns.iter().any(|ic| ic.column == Some(*c)) || tail.contains(c))
    };
    if let Some((e, desc)) = sort_first {
        let inner = match e {
            Expr::Collate { expr, .. } => expr.as_ref(),
            other => other,
        };
        if let Some(c) = b.column_ref(inner)?.filter(|c| c.cursor == level.cursor && c.column != ROWID) {
            let coll = b.expr_coll_seq(e)?;
            // Newest first; a covering one, then the narrowest, wins.
            let mut best: Option<((bool, u64), Arc<Index>)> = None;
            for ix in b.schemas.index_list(&table).iter().rev() {
                let lead = ix.columns.first();
                if ix.partial.is_some() || lead.and_then(|ic| ic.column) != Some(c.column) || lead.is_some_and(|ic| ic.collation != coll) {
                    continue;
                }
                let key = (!covers(ix), index_width(&table, ix));
                if best.as_ref().is_none_or(|(k, _)| key < *k) {
                    best = Some((key, ix.clone()));
                }
            }
            if let Some((_, index)) = best {
                let flip = index.columns.first().is_some_and(|ic| ic.desc) != desc;
                return Ok(Some(ScanOrder::Index { index, desc: flip }));
            }
        }
    }
    let sz_tab = log_est(table_width(&table) * 4);
    // A WITHOUT ROWID table is itself walked as its PRIMARY KEY index: an
    // index at most as costly wins.
    let mut best: Option<(i32, Arc<Index>)> = None;
    let pk_cost = table.pk_index.as_ref().map(|_| (15 * log_est(table_width(&table).saturating_sub(1) * 4)) / sz_tab.max(1));
    // Newest first: on equal cost the most recently created index wins.
    for ix in b.schemas.index_list(&table).iter().rev() {
        if ix.partial.is_some() || !covers(ix) {
            continue;
        }
        let sz_idx = log_est(index_width(&table, ix) * 4);
        let cost = (15 * sz_idx) / sz_tab.max(1);
        if pk_cost.map_or(sz_idx >= sz_tab, |pk| cost > pk) {
            continue;
        }
        if best.as_ref().is_none_or(|(c, _)| cost < *c) {
            best = Some((cost, ix.clone()));
        }
    }
    Ok(best.map(|(_, index)| ScanOrder::Index { index, desc: false }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_est_matches_powers_and_fractions() {
        assert_eq!(log_est(0), 0);
        assert_eq!(log_est(1), 0);
        assert_eq!(log_est(2), 10);
        assert_eq!(log_est(4), 20);
        assert_eq!(log_est(8), 30);
        assert_eq!(log_est(10), 33);
        assert_eq!(log_est(512), 90);
        assert_eq!(log_est(508), 89);
        assert_eq!(log_est(3), 16);
    }

    #[test]
    fn column_widths_follow_declared_types() {
        assert_eq!(column_width(None), 1);
        assert_eq!(column_width(Some("INTEGER")), 1);
        assert_eq!(column_width(Some("text")), 5);
        assert_eq!(column_width(Some("VARCHAR(200)")), 51);
        assert_eq!(column_width(Some("varchar(5000)")), 255);
        assert_eq!(column_width(Some("CLOB")), 5);
        assert_eq!(column_width(Some("BLOB(40)")), 11);
        assert_eq!(column_width(Some("DOUBLE")), 1);
    }
}
