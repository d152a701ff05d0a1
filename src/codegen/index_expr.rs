//! Expressions of the WHERE clause that an index on an expression holds
//! (`CREATE INDEX i ON t(lower(b))` then `WHERE lower(b) = ?`), so that
//! the planner may search that index for them as for a column.
//!
//! A WHERE expression matches an index expression when both have the
//! same shape and every column of the WHERE side is that column of the
//! loop's table (whatever its qualifier or quoting); names of functions,
//! collations and types compare without regard to case, as in SQLite.
//! Invariant: a match is only claimed for shapes compared exactly here
//! (anything else, subqueries included, never matches), and only for a
//! table of one of the loops planned, so a search can never stand for an
//! expression it does not compute.

use std::sync::Arc;

use crate::parse::ast::{Expr, FunctionArgs};
use crate::schema::Table;

use super::expr::ROWID;
use super::Builder;

/// An expression the index walked by a loop holds: while the loop's body
/// is compiled, the expression reads index field `field` of the index
/// cursor (SQLite's whereIndexExprTrans), so a query that needs no other
/// column of the table reads only the index (COVERING INDEX). Pushed only
/// for loops whose index cursor is positioned on every row the body sees
/// (no NULL row of an outer join).
pub(crate) struct IndexExprRead {
    pub table_cursor: usize,
    pub table: Arc<Table>,
    pub index_cursor: usize,
    pub field: usize,
    pub expr: Expr,
}

/// Compiles `e` as a read of an index entry when it is an expression a
/// loop's index holds (`Builder::index_expr_reads`); false otherwise.
pub(super) fn read_from_index(b: &mut Builder<'_>, e: &Expr, target: crate::vdbe::Reg) -> bool {
    if matches!(e, Expr::Column { .. } | Expr::DoubleQuotedId(_) | Expr::Literal(_) | Expr::Variable(_)) {
        return false;
    }
    for k in (0..b.index_expr_reads.len()).rev() {
        let (tc, table, ie) = {
            let r = &b.index_expr_reads[k];
            (r.table_cursor, r.table.clone(), r.expr.clone())
        };
        if same(b, e, &ie, tc, &table) {
            let r = &b.index_expr_reads[k];
            let (cursor, column) = (r.index_cursor, r.field);
            b.emit(crate::vdbe::Op::Column { cursor, column, dest: target, default: None });
            return true;
        }
    }
    false
}

/// The pseudo column number of a comparison on an indexed expression:
/// the index column then matches by its expression (`Pair::index_expr`).
pub(super) const EXPR_COLUMN: usize = usize::MAX - 1;

/// For `e`, neither a column nor a constant, in the innermost query: the
/// cursor of the loop among `cursors` whose table has an index (not
/// partial) on an expression the same as `e`, and that index expression.
pub(super) fn match_index_expr(b: &mut Builder<'_>, cursors: &[usize], e: &Expr) -> Option<(usize, Expr)> {
    if matches!(e, Expr::Column { .. } | Expr::DoubleQuotedId(_) | Expr::Literal(_) | Expr::Variable(_)) {
        return None;
    }
    let innermost = b.scopes.len().checked_sub(1)?;
    // The one loop whose columns `e` reads.
    let mut cursor = None;
    let mut ok = true;
    super::expr::walk(e, &mut |x| {
        match x {
            Expr::Column { .. } | Expr::DoubleQuotedId(_) => match b.column_ref(x) {
                Ok(Some(c)) if c.depth == innermost && cursors.contains(&c.cursor) && cursor.is_none_or(|k| k == c.cursor) => cursor = Some(c.cursor),
                Ok(None) if matches!(x, Expr::DoubleQuotedId(_)) => {}
                _ => ok = false,
            },
            Expr::Subquery(_) | Expr::Exists { .. } | Expr::InSelect { .. } | Expr::InTable { .. } => ok = false,
            _ => {}
        }
        ok
    });
    let cursor = cursor.filter(|_| ok)?;
    let table = b.scopes.last()?.sources.iter().find(|s| s.cursor == cursor)?.table.clone()?;
    if table.is_view() || table.module.is_some() {
        return None;
    }
    for ix in b.schemas.index_list(&table).iter().filter(|ix| ix.partial.is_none()) {
        for ic in &ix.columns {
            if let (None, Some(ie)) = (ic.column, &ic.expr) {
                if same(b, e, ie, cursor, &table) {
                    return Some((cursor, ie.clone()));
                }
            }
        }
    }
    None
}

/// Whether WHERE expression `q` (read by the loop on `cursor`) and index
/// expression `ix` (over `table`'s columns) are the same expression.
fn same(b: &mut Builder<'_>, q: &Expr, ix: &Expr, cursor: usize, table: &Arc<Table>) -> bool {
    let ci = |x: &str, y: &str| x.eq_ignore_ascii_case(y);
    let both = |b: &mut Builder<'_>, xs: &[Expr], ys: &[Expr]| xs.len() == ys.len() && xs.iter().zip(ys).all(|(x, y)| same(b, x, y, cursor, table));
    let opt = |b: &mut Builder<'_>, x: &Option<Box<Expr>>, y: &Option<Box<Expr>>| match (x, y) {
        (None, None) => true,
        (Some(x), Some(y)) => same(b, x, y, cursor, table),
        _ => false,
    };
    match (q, ix) {
        (Expr::Column { .. } | Expr::DoubleQuotedId(_), Expr::Column { column, .. } | Expr::DoubleQuotedId(column)) => {
            let Ok(Some(c)) = b.column_ref(q) else { return false };
            let col = match table.column_index(column) {
                Some(i) if table.rowid_alias == Some(i) => ROWID,
                Some(i) => i,
                None => return false,
            };
            c.cursor == cursor && c.column == col
        }
        (Expr::Literal(x), Expr::Literal(y)) => x == y,
        (Expr::Variable(x), Expr::Variable(y)) => x == y,
        (Expr::Unary(o1, x), Expr::Unary(o2, y)) => o1 == o2 && same(b, x, y, cursor, table),
        (Expr::Binary(x1, o1, y1), Expr::Binary(x2, o2, y2)) => o1 == o2 && same(b, x1, x2, cursor, table) && same(b, y1, y2, cursor, table),
        (Expr::Cast { expr: x, type_name: t1 }, Expr::Cast { expr: y, type_name: t2 }) => ci(t1, t2) && same(b, x, y, cursor, table),
        (Expr::Collate { expr: x, collation: c1 }, Expr::Collate { expr: y, collation: c2 }) => ci(c1, c2) && same(b, x, y, cursor, table),
        (Expr::IsNull { expr: x, not: n1 }, Expr::IsNull { expr: y, not: n2 }) => n1 == n2 && same(b, x, y, cursor, table),
        (Expr::Between { expr: x, not: n1, low: l1, high: h1 }, Expr::Between { expr: y, not: n2, low: l2, high: h2 }) => {
            n1 == n2 && same(b, x, y, cursor, table) && same(b, l1, l2, cursor, table) && same(b, h1, h2, cursor, table)
        }
        (Expr::Like { lhs: x1, not: n1, op: o1, rhs: y1, escape: e1 }, Expr::Like { lhs: x2, not: n2, op: o2, rhs: y2, escape: e2 }) => {
            n1 == n2 && o1 == o2 && same(b, x1, x2, cursor, table) && same(b, y1, y2, cursor, table) && opt(b, e1, e2)
        }
        (Expr::InList { expr: x, not: n1, list: l1 }, Expr::InList { expr: y, not: n2, list: l2 }) => n1 == n2 && same(b, x, y, cursor, table) && both(b, l1, l2),
        (Expr::Vector(x), Expr::Vector(y)) => both(b, x, y),
        (Expr::Case { base: b1, whens: w1, else_: e1 }, Expr::Case { base: b2, whens: w2, else_: e2 }) => {
            opt(b, b1, b2) && opt(b, e1, e2) && w1.len() == w2.len() && w1.iter().zip(w2).all(|((c1, r1), (c2, r2))| same(b, c1, c2, cursor, table) && same(b, r1, r2, cursor, table))
        }
        (Expr::Function(f1), Expr::Function(f2)) => {
            if !ci(&f1.name, &f2.name) || f1.distinct != f2.distinct || f1.filter.is_some() || f2.filter.is_some() || f1.over.is_some() || f2.over.is_some() || !f1.order_by.is_empty() || !f2.order_by.is_empty() {
                return false;
            }
            match (&f1.args, &f2.args) {
                (FunctionArgs::List(x), FunctionArgs::List(y)) => both(b, x, y),
                (x, y) => x == y,
            }
        }
        _ => false,
    }
}
