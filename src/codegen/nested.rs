//! Parenthesised joins in FROM: `a LEFT JOIN (b JOIN c ON p) ON q`.
//!
//! A parenthesised join that only holds inner joins, joined by an inner
//! join, is the same as the flat join list, and `flatten` rewrites it so.
//! Any other one (an outer or NATURAL join inside or around the
//! parentheses, USING around them, or an alias) is what SQLite calls a
//! nested FROM: a subquery `SELECT * FROM b JOIN c ON p` whose result is
//! materialised and joined as one source. Its columns keep, as SQLite's
//! do, the table each came from:
//! - every column of every table inside, qualified by its table, so `b.x`
//!   and `c.*` still work from outside (and a name both tables have is
//!   ambiguous unqualified);
//! - before a table that a USING (or NATURAL) join follows, the merged
//!   column of each USING name, which an unqualified name reads and `*`
//!   expands to, while the two tables' own copies are left out of `*`;
//! - each table's rowid, hidden from `*`, so `b.rowid` reads it.
//!
//! Invariant: a source built here has one `NestedColumn` per column, in
//! the materialised table's column order.

use super::expr::{Source, SourceColumn};
use super::select::{compile_select, Dest};
use super::Builder;
use crate::error::{Error, Result};
use crate::parse::ast::{self, BinaryOp, Expr, From, JoinConstraint, JoinKind, TableRef};
use crate::vdbe::Op;
use std::sync::Arc;

/// What a column of a materialised parenthesised join answers to.
#[derive(Clone, Debug, Default)]
pub struct NestedColumn {
    /// The name it answers to (the source column's name is SQLite's
    /// display name: `y:1` for a second `y`, `_ROWID_` for a rowid).
    pub name: String,
    /// The table it came from (empty for a merged USING column).
    pub table: String,
    /// Whether `*` outside expands to it.
    pub expand: bool,
    /// A merged USING column: an unqualified name prefers it to the
    /// tables' own copies.
    pub using: bool,
    /// A table's rowid: only `table.rowid` names it.
    pub rowid: bool,
}

/// Asks the `*` of the select compiled at scope depth `depth` to expand
/// as a nested FROM (`expand_star`), and receives its columns.
#[derive(Debug, Default)]
pub struct NestedStar {
    pub depth: usize,
    pub columns: Vec<NestedColumn>,
}

/// Rewrites parenthesised joins without an alias that hold only inner
/// joins, joined by an inner join with ON or nothing, into the flat join
/// list: `a JOIN (b JOIN c ON x) ON y` is `a JOIN b JOIN c ON x AND y`
/// (the ON terms of inner joins all end up in WHERE anyway); a first item
/// `(a LEFT JOIN b)` is the list itself. Any other parenthesised join
/// stays nested, for `materialize`.
pub fn flatten(from: &From) -> Result<From> {
    fn is_inner(k: JoinKind) -> bool {
        matches!(k, JoinKind::Comma | JoinKind::Inner | JoinKind::Cross)
    }
    let mut out = match &from.first {
        TableRef::Nested { from: inner, alias: None } => flatten(inner)?,
        other => From { first: other.clone(), joins: Vec::new() },
    };
    for j in &from.joins {
        let TableRef::Nested { from: inner, alias: None } = &j.table else {
            out.joins.push(j.clone());
            continue;
        };
        let inner = flatten(inner)?;
        // An ON merged into an inner USING join would change it.
        let using = match &j.constraint {
            Some(JoinConstraint::Using(_)) => true,
            Some(JoinConstraint::On(_)) => matches!(inner.joins.last().and_then(|x| x.constraint.as_ref()), Some(JoinConstraint::Using(_))),
            None => false,
        };
        if using || j.op.natural || !is_inner(j.op.kind) || inner.joins.iter().any(|x| x.op.natural || !is_inner(x.op.kind)) {
            out.joins.push(ast::Join { op: j.op, table: TableRef::Nested { from: Box::new(inner), alias: None }, constraint: j.constraint.clone() });
            continue;
        }
        out.joins.push(ast::Join { op: j.op, table: inner.first, constraint: None });
        out.joins.extend(inner.joins);
        if let Some(JoinConstraint::On(e)) = &j.constraint {
            // Attach the outer ON to the last join, where every table it
            // may name is in scope.
            let last = out.joins.len() - 1;
            let merged = match out.joins[last].constraint.take() {
                Some(JoinConstraint::On(p)) => Expr::Binary(Box::new(p), BinaryOp::And, Box::new(e.clone())),
                _ => e.clone(),
            };
            out.joins[last].constraint = Some(JoinConstraint::On(merged));
        }
    }
    Ok(out)
}

/// Materialises a nested FROM into a transient table named `name` (its
/// alias, or SQLite's `(subquery-N)`).
pub fn materialize(b: &mut Builder<'_>, from: &From, name: &str) -> Result<Source> {
    let cursor = b.alloc_cursor();
    b.emit(Op::OpenEphemeral { cursor, key_info: None });
    let sel = ast::Select::star_from(from.clone());
    let outer = b.nested_star.replace(NestedStar { depth: b.scopes.len() + 1, columns: Vec::new() });
    let out = compile_select(b, &sel, Dest::EphTable(cursor));
    let star = std::mem::replace(&mut b.nested_star, outer);
    let out = out?;
    let nested = star.map(|s| s.columns).unwrap_or_default();
    if nested.len() != out.span_names.len() {
        return Err(Error::code(crate::error::code::INTERNAL));
    }
    let shown: Vec<String> = nested.iter().map(|n| if n.rowid { "_ROWID_".to_string() } else { n.name.clone() }).collect();
    let columns = super::select::source_column_names(&shown)
        .into_iter()
        .enumerate()
        .map(|(i, n)| SourceColumn {
            hidden: false,
            name: n,
            affinity: out.affinities.get(i).copied().flatten(),
            collation: out.collations.get(i).cloned().flatten(),
            decl_type: out.decltypes.get(i).cloned().flatten().map(Arc::from),
        })
        .collect();
    Ok(Source { name: name.to_string(), table: None, columns, cursor, using_hidden: Vec::new(), nested })
}

/// The `*` of a nested FROM's select: its result columns, their names and
/// what each answers to from outside (see the module comment).
pub fn expand_star(sources: &[Source]) -> Vec<(Expr, String, NestedColumn)> {
    let has = |list: &[String], name: &str| list.iter().any(|u| u.eq_ignore_ascii_case(name));
    let mut out = Vec::new();
    for (si, s) in sources.iter().enumerate() {
        let next_using: &[String] = sources.get(si + 1).map(|n| n.using_hidden.as_slice()).unwrap_or(&[]);
        for u in next_using {
            let e = Expr::Column { schema: None, table: None, column: u.clone() };
            out.push((e, u.clone(), NestedColumn { name: u.clone(), table: String::new(), expand: true, using: true, rowid: false }));
        }
        for (ci, c) in s.columns.iter().enumerate() {
            let (name, table, inherited) = match s.nested.get(ci) {
                Some(n) if n.rowid => continue,
                Some(n) => (n.name.clone(), n.table.clone(), n.expand),
                None => (c.name.clone(), s.name.clone(), true),
            };
            let expand = inherited && !has(&s.using_hidden, &name) && !has(next_using, &name);
            // An inner nested source's merged column is read through the
            // inner source's own name.
            let qualifier = if table.is_empty() { s.name.clone() } else { table.clone() };
            let e = Expr::Column { schema: None, table: Some(qualifier), column: name.clone() };
            out.push((e, name.clone(), NestedColumn { name, table, expand, using: false, rowid: false }));
        }
        if let Some(t) = s.table.as_ref().filter(|t| !t.without_rowid && !t.is_view()) {
            let word = ["rowid", "_rowid_", "oid"].into_iter().find(|w| !t.columns.iter().any(|c| c.name.eq_ignore_ascii_case(w)));
            if let Some(w) = word {
                let e = Expr::Column { schema: None, table: Some(s.name.clone()), column: w.to_string() };
                out.push((e, w.to_string(), NestedColumn { name: w.to_string(), table: s.name.clone(), expand: false, using: false, rowid: true }));
            }
        }
    }
    out
}

/// Whether column `ci` of nested source `s` answers to `table.column`
/// (`table` None: unqualified). An unqualified name prefers the merged
/// USING column to the tables' copies, and a rowid word reaches every
/// table's rowid (so it is ambiguous, as in SQLite); the source's own name
/// (an alias) reads like an unqualified name but reaches no rowid.
pub fn answers(s: &Source, ci: usize, table: Option<&str>, column: &str) -> bool {
    let Some(n) = s.nested.get(ci) else { return false };
    match table {
        Some(t) if !s.name.eq_ignore_ascii_case(t) => n.table.eq_ignore_ascii_case(t),
        Some(_) if n.rowid => false,
        _ => n.using || !s.nested.iter().any(|m| m.using && m.name.eq_ignore_ascii_case(column)),
    }
}
