//! The query planner: how each loop of a join reads its table (full scan,
//! rowid lookup, or an index with equalities and a range) and in which
//! order inner-join loops nest.
//!
//! The WHERE terms are analysed once per statement (`Analysis`): which
//! loops each term reads, and each usable `column op value` comparison
//! with the loops its value needs, its affinity and its collation. Trying
//! a loop order then only combines bit sets: a plan for loop L may use a
//! comparison on L's table whose value reads only loops placed before L.
//! This keeps planning a 64-way join cheap, which matters because the
//! greedy ordering tries O(n²) partial orders.
//!
//! Invariants: a plan only narrows the rows a loop visits, never changes
//! the answer (every term is still tested on each row by the caller); a
//! comparison is used for a lookup only when its affinity and collation
//! make the index order agree with the comparison.

use std::sync::Arc;

use crate::collation::CollSeq;
use crate::parse::ast::{BinaryOp, Expr};
use crate::schema::{Index, Table};
use crate::vdbe::mem::Affinity;

use super::expr::{comparison_affinity, walk, ROWID};
use super::index_expr::EXPR_COLUMN;
use super::where_::Level;
use super::Builder;

/// The value(s) an equality constraint compares with: one expression, or
/// the list of an IN (or of an OR of equalities on one column).
#[derive(Clone, Debug)]
pub(super) enum EqValue {
    One(Expr),
    List(Vec<Expr>),
    /// `IN (SELECT c FROM ...)` with a subquery that cannot read this
    /// query's rows: its distinct values, as a list's.
    Select(Box<crate::parse::ast::Select>),
}

impl EqValue {
    /// True for the values of an IN (a list or a subquery), which the
    /// search loops over.
    pub(super) fn is_list(&self) -> bool {
        !matches!(self, EqValue::One(_))
    }
}

/// How one loop reads its table.
pub(super) enum Plan {
    Scan,
    Rowid(EqValue, Option<Affinity>),
    /// Rowids between bounds (each: value, inclusive), read in rowid order.
    RowidRange { lower: Option<(Expr, bool)>, upper: Option<(Expr, bool)> },
    /// An index search: equalities on its first columns, then a range
    /// (in SQL terms: `lower` is `x > v` / `x >= v`, whatever the
    /// column's direction; `index_search.rs` turns it into key order).
    /// Bit k of `nulls` marks equality k as an `IS`, which NULL satisfies.
    /// `not_null`: no SQL lower bound but an `x IS NOT NULL` term, which
    /// SQLite counts as one (`x>?`); the range excludes NULLs anyway, so
    /// only the plan's text, cost and searched terms change.
    Index { index: Arc<Index>, eq: Vec<(EqValue, Option<Affinity>)>, nulls: u64, lower: Option<(Expr, bool, Option<Affinity>)>, upper: Option<(Expr, bool, Option<Affinity>)>, not_null: bool },
    /// An automatic index: a transient index on `columns` (each with the
    /// collation of its equality), built from the table the first time the
    /// loop is reached, then searched with the `eq` values, as SQLite does
    /// for an inner loop that no index serves.
    AutoIndex { columns: Vec<(usize, CollSeq)>, eq: Vec<(EqValue, Option<Affinity>)> },
    /// `x OR y OR ...` where each operand has a search of its own (rowid
    /// or index): the rows each finds, each row once, in
    /// operand order (SQLite's MULTI-INDEX OR; `multi_or.rs`).
    MultiOr { arms: Vec<Plan> },
}

/// A WHERE term `x OR y OR ...` (other than equalities on one column,
/// which are an IN list): the comparisons each operand offers.
struct OrTerm {
    /// The loops the whole term reads (None: something else too).
    refs: Option<u64>,
    arms: Vec<Vec<Pair>>,
}

/// A usable comparison `column op value` on one loop's table.
struct Constraint<'a> {
    column: usize,
    /// For `EXPR_COLUMN`: the index expression compared.
    index_expr: Option<&'a Expr>,
    op: BinaryOp,
    value: &'a EqValue,
    affinity: Option<Affinity>,
    collation: &'a CollSeq,
}

/// A comparison found in the WHERE terms, with everything about it that
/// does not depend on the loop order.
struct Pair {
    cursor: usize,
    /// The column, ROWID, or `EXPR_COLUMN` for an indexed expression.
    column: usize,
    /// For `EXPR_COLUMN`: the index expression it is (as the index has it).
    index_expr: Option<Expr>,
    op: BinaryOp,
    value: EqValue,
    /// Loops (bits, see `Analysis::bit`) the value reads.
    value_refs: u64,
    affinity: Option<Affinity>,
    collation: CollSeq,
    /// The term it came from, when that term is exactly this comparison
    /// (`column op value`, either way round): a search that uses the pair
    /// makes testing the term again needless.
    term: Option<usize>,
}

/// One WHERE term: the loops it reads (None: it also reads something no
/// loop provides, such as a subquery, so it is tested after every loop),
/// and whether it is an equality (for the row estimate).
struct TermFacts {
    refs: Option<u64>,
    selective: bool,
}

/// The WHERE terms of a loop nest, analysed once.
pub(super) struct Analysis {
    /// The cursor of each loop; loop k is bit k.
    cursors: Vec<usize>,
    terms: Vec<TermFacts>,
    pairs: Vec<Pair>,
    ors: Vec<OrTerm>,
    /// Whether a loop's table has an index on an expression (only then
    /// are WHERE expressions matched with index expressions).
    expr_indexes: bool,
}

/// Joins of more than this many tables are not analysed with bit sets
/// (SQLite itself refuses joins of more than 64 tables).
const MAX_LOOPS: usize = 64;

impl Analysis {
    /// Analyses `terms` for loops `levels` (in any order). None when there
    /// are more loops than bit sets hold.
    pub(super) fn new(b: &mut Builder<'_>, levels: &[Level], terms: &[Expr]) -> Option<Analysis> {
        if levels.len() > MAX_LOOPS {
            return None;
        }
        let expr_indexes = levels.iter().any(|l| l.table.as_ref().is_some_and(|t| b.schemas.index_list(t).iter().any(|ix| ix.columns.iter().any(|c| c.expr.is_some()))));
        let mut an = Analysis { cursors: levels.iter().map(|l| l.cursor).collect(), terms: Vec::with_capacity(terms.len()), pairs: Vec::new(), ors: Vec::new(), expr_indexes };
        for t in terms {
            let refs = an.refs_of(b, t);
            let selective = matches!(t, Expr::Binary(_, BinaryOp::Eq | BinaryOp::Is, _) | Expr::InList { not: false, .. }) || or_of_equalities(t).is_some();
            an.terms.push(TermFacts { refs, selective });
        }
        for (k, t) in terms.iter().enumerate() {
            let first = an.pairs.len();
            an.add_pairs(b, t);
            if matches!(t, Expr::Binary(_, BinaryOp::Eq | BinaryOp::Is | BinaryOp::Lt | BinaryOp::Le | BinaryOp::Gt | BinaryOp::Ge, _) | Expr::IsNull { .. }) {
                for p in &mut an.pairs[first..] {
                    p.term = Some(k);
                }
            }
        }
        for (t, facts) in terms.iter().zip(0..) {
            if !matches!(t, Expr::Binary(_, BinaryOp::Or, _)) || or_of_equalities(t).is_some() {
                continue;
            }
            let mut operands = Vec::new();
            split_chain(t, BinaryOp::Or, &mut operands);
            let mut arms = Vec::with_capacity(operands.len());
            for op in &operands {
                let mut sub = Analysis { cursors: an.cursors.clone(), terms: Vec::new(), pairs: Vec::new(), ors: Vec::new(), expr_indexes: an.expr_indexes };
                let mut conj = Vec::new();
                split_chain(op, BinaryOp::And, &mut conj);
                for c in &conj {
                    sub.add_pairs(b, c);
                }
                arms.push(sub.pairs);
            }
            let refs = an.terms[facts].refs;
            an.ors.push(OrTerm { refs, arms });
        }
        Some(an)
    }

    /// The bit of the loop reading `cursor` (0 when no loop does).
    pub(super) fn bit(&self, cursor: usize) -> u64 {
        self.cursors.iter().position(|&c| c == cursor).map_or(0, |k| 1u64 << k)
    }

    /// The loops `t` reads, or None when it reads something no loop
    /// provides (a subquery, an unknown name, a table of this query that
    /// is not among the loops).
    fn refs_of(&self, b: &mut Builder<'_>, t: &Expr) -> Option<u64> {
        match loops_read(b, &self.cursors, t) {
            (refs, false) => Some(refs),
            (_, true) => None,
        }
    }

    /// Records the usable comparisons term `t` offers (both directions of
    /// a binary comparison, BETWEEN's two bounds, IN lists, ORs of
    /// equalities on one column).
    fn add_pairs(&mut self, b: &mut Builder<'_>, t: &Expr) {
        // (column, op, values, whether the column was the right operand:
        // the comparison's collation is then decided with the value first).
        // Values are borrowed until a candidate is kept (most are not).
        use std::borrow::Cow;
        let mut cands: Vec<(&Expr, BinaryOp, Vec<Cow<'_, Expr>>, bool)> = Vec::new();
        let owned;
        match t {
            Expr::Binary(a, op @ (BinaryOp::Eq | BinaryOp::Lt | BinaryOp::Le | BinaryOp::Gt | BinaryOp::Ge), c) => {
                cands.push((a.as_ref(), *op, vec![Cow::Borrowed(c.as_ref())], false));
                cands.push((c.as_ref(), flip(*op), vec![Cow::Borrowed(a.as_ref())], true));
            }
            // `x IS v` and `x IS NULL`: an equality that NULL satisfies.
            Expr::Binary(a, BinaryOp::Is, c) => {
                cands.push((a.as_ref(), BinaryOp::Is, vec![Cow::Borrowed(c.as_ref())], false));
                cands.push((c.as_ref(), BinaryOp::Is, vec![Cow::Borrowed(a.as_ref())], true));
            }
            Expr::IsNull { expr, not: false } => {
                cands.push((expr.as_ref(), BinaryOp::Is, vec![Cow::Owned(Expr::Literal(crate::parse::ast::Literal::Null))], false));
            }
            // `x IS NOT NULL`: with an upper bound on x, SQLite's lower one.
            Expr::IsNull { expr, not: true } => {
                cands.push((expr.as_ref(), BinaryOp::IsNot, vec![Cow::Owned(Expr::Literal(crate::parse::ast::Literal::Null))], false));
            }
            Expr::Between { expr, not: false, low, high } => {
                cands.push((expr.as_ref(), BinaryOp::Ge, vec![Cow::Borrowed(low.as_ref())], false));
                cands.push((expr.as_ref(), BinaryOp::Le, vec![Cow::Borrowed(high.as_ref())], false));
            }
            Expr::InList { expr, not: false, list } if !list.is_empty() => {
                cands.push((expr.as_ref(), BinaryOp::Eq, list.iter().map(Cow::Borrowed).collect(), false));
            }
            Expr::InSelect { expr, not: false, select } => {
                self.add_in_select(b, expr, select);
                return;
            }
            Expr::Binary(_, BinaryOp::Or, _) => {
                if let Some((col, values)) = or_of_equalities(t) {
                    owned = col;
                    cands.push((&owned, BinaryOp::Eq, values.into_iter().map(Cow::Owned).collect(), false));
                }
            }
            _ => {}
        }
        let is_list = matches!(t, Expr::InList { .. } | Expr::Binary(_, BinaryOp::Or, _));
        let innermost = b.scopes.len().saturating_sub(1);
        'cands: for (col, op, values, flipped) in cands {
            // The column compared (its cursor, number and affinity), or an
            // expression an index holds (`index_expr.rs`).
            let (cursor, column, col_affinity, index_expr) = if matches!(col, Expr::Column { .. } | Expr::DoubleQuotedId(_)) {
                let Ok(Some(c)) = b.column_ref(col) else { continue };
                if c.depth != innermost || !self.cursors.contains(&c.cursor) {
                    continue;
                }
                (c.cursor, c.column, c.affinity, None)
            } else {
                if !self.expr_indexes {
                    continue;
                }
                let Some((cursor, ie)) = super::index_expr::match_index_expr(b, &self.cursors, col) else { continue };
                (cursor, EXPR_COLUMN, b.expr_affinity(col), Some(ie))
            };
            // Every value must be computable from other loops, and all
            // must compare the same way (one affinity, one collation).
            let mut value_refs = 0u64;
            let mut common: Option<(Option<Affinity>, CollSeq)> = None;
            for v in &values {
                match self.refs_of(b, v) {
                    Some(r) => value_refs |= r,
                    None => continue 'cands,
                }
                let cmp_aff = comparison_affinity(col_affinity, b.expr_affinity(v));
                let coll = if flipped { b.comparison_collation(v, col) } else { b.comparison_collation(col, v) };
                let Ok(coll) = coll else { continue 'cands };
                match &common {
                    None => common = Some((cmp_aff, coll)),
                    Some((a, cl)) => {
                        if *a != cmp_aff || *cl != coll {
                            continue 'cands;
                        }
                    }
                }
            }
            let Some((affinity, collation)) = common else { continue };
            let usable = column == ROWID
                || match affinity {
                    None | Some(Affinity::Blob) => true,
                    Some(Affinity::Text) => col_affinity == Some(Affinity::Text),
                    Some(_) => matches!(col_affinity, Some(Affinity::Numeric | Affinity::Integer | Affinity::Real)),
                };
            if !usable || value_refs & self.bit(cursor) != 0 {
                continue;
            }
            let value = if is_list {
                EqValue::List(values.into_iter().map(Cow::into_owned).collect())
            } else {
                match values.into_iter().next() {
                    Some(v) => EqValue::One(v.into_owned()),
                    None => continue,
                }
            };
            self.pairs.push(Pair { cursor, column, index_expr, op, value, value_refs, affinity, collation, term: None });
        }
    }

    /// `column IN (SELECT c FROM ...)`: usable as the values of an
    /// equality when the subquery reads only its own tables and `c` is a
    /// plain column of them whose affinity is of the same kind as the
    /// left column's and whose collation is no other (so the values,
    /// given the left column's affinity as IN does, compare as the index
    /// orders them).
    fn add_in_select(&mut self, b: &mut Builder<'_>, col: &Expr, sel: &crate::parse::ast::Select) {
        if !matches!(col, Expr::Column { .. } | Expr::DoubleQuotedId(_)) || !self_contained(b, sel) {
            return;
        }
        let Ok(Some(c)) = b.column_ref(col) else { return };
        if c.depth != b.scopes.len().saturating_sub(1) || !self.cursors.contains(&c.cursor) {
            return;
        }
        let Some((sub_aff, sub_coll)) = subquery_column(b, sel) else { return };
        let numeric = |a: Affinity| matches!(a, Affinity::Numeric | Affinity::Integer | Affinity::Real);
        let left = if c.column == ROWID { Some(Affinity::Integer) } else { c.affinity };
        let same_kind = match left {
            Some(Affinity::Text) => sub_aff == Affinity::Text,
            Some(a) if numeric(a) => numeric(sub_aff),
            _ => sub_aff == Affinity::Blob,
        };
        let left_coll = c.collation.clone().unwrap_or_else(|| "BINARY".into());
        if !same_kind || sub_coll.is_some_and(|s| !s.eq_ignore_ascii_case(&left_coll)) {
            return;
        }
        let Ok(collation) = Builder::collation_by_name(&left_coll) else { return };
        self.pairs.push(Pair { cursor: c.cursor, column: c.column, index_expr: None, op: BinaryOp::Eq, value: EqValue::Select(Box::new(sel.clone())), value_refs: 0, affinity: left, collation, term: None });
    }

    /// The terms (indexes into the analysed terms) that `plan`, chosen for
    /// the loop on `cursor` with `placed` outside it, enforces by its
    /// search itself: index equalities with one value and index range
    /// bounds, each from a plain comparison. The loop need not test them
    /// again.
    pub(super) fn searched_terms(&self, plan: &Plan, cursor: usize, placed: u64) -> Vec<usize> {
        let mut out = Vec::new();
        let Plan::Index { index, eq, nulls, lower, upper, not_null } = plan else { return out };
        let mut find = |ic: &crate::schema::IndexColumn, ops: &[BinaryOp], value: &Expr| {
            // The index column: a table column, or an expression.
            let same_column = |p: &Pair| match ic.column {
                Some(column) => p.column == column,
                None => p.column == EXPR_COLUMN && p.index_expr.is_some() && p.index_expr == ic.expr,
            };
            for p in &self.pairs {
                if p.cursor != cursor || !same_column(p) || p.value_refs & !placed != 0 || !ops.contains(&p.op) || p.collation != ic.collation {
                    continue;
                }
                if let (Some(k), EqValue::One(v)) = (p.term, &p.value) {
                    if v == value && !out.contains(&k) {
                        out.push(k);
                    }
                }
            }
        };
        for (k, (v, _)) in eq.iter().enumerate() {
            let (EqValue::One(v), Some(ic)) = (v, index.columns.get(k)) else { continue };
            let op = if k < 64 && nulls & (1 << k) != 0 { BinaryOp::Is } else { BinaryOp::Eq };
            find(ic, &[op], v);
        }
        if let Some(ic) = index.columns.get(eq.len()) {
            if let Some((v, inclusive, _)) = lower {
                find(ic, &[if *inclusive { BinaryOp::Ge } else { BinaryOp::Gt }], v);
            }
            if let Some((v, inclusive, _)) = upper {
                find(ic, &[if *inclusive { BinaryOp::Le } else { BinaryOp::Lt }], v);
            }
            if *not_null {
                find(ic, &[BinaryOp::IsNot], &Expr::Literal(crate::parse::ast::Literal::Null));
            }
        }
        out
    }

    /// The comparisons usable by the loop on `cursor` when the loops in
    /// `placed` run outside it.
    fn constraints(&self, cursor: usize, placed: u64) -> Vec<Constraint<'_>> {
        constraints_of(&self.pairs, cursor, placed)
    }
}

/// The comparisons of `pairs` on `cursor`'s table whose values the loops
/// in `placed` can compute.
fn constraints_of(pairs: &[Pair], cursor: usize, placed: u64) -> Vec<Constraint<'_>> {
    pairs
        .iter()
        .filter(|p| p.cursor == cursor && p.value_refs & !placed == 0)
        .map(|p| Constraint { column: p.column, index_expr: p.index_expr.as_ref(), op: p.op, value: &p.value, affinity: p.affinity, collation: &p.collation })
        .collect()
}

/// The loops (bit k for `cursors[k]`) term `t` reads, and whether it also
/// reads something none of them provides: a subquery, an unknown name, or
/// a table of this query that is not among `cursors`. Columns of outer
/// queries are constants here.
pub(super) fn loops_read(b: &mut Builder<'_>, cursors: &[usize], t: &Expr) -> (u64, bool) {
    let innermost = b.scopes.len().saturating_sub(1);
    let mut refs = 0u64;
    let mut unresolved = false;
    walk(t, &mut |x| {
        match x {
            // `x IN ()` is a constant (false; true with NOT), as SQLite's
            // parser makes it.
            Expr::InList { list, .. } if list.is_empty() => return false,
            // A scalar subquery that reads only its own tables is a
            // constant here (it runs once); any other subquery may read
            // this query's rows.
            Expr::Subquery(sel) if self_contained(b, sel) => {}
            Expr::Subquery(_) | Expr::Exists { .. } | Expr::InSelect { .. } | Expr::InTable { .. } => unresolved = true,
            // A double-quoted name is a column when one matches (a string
            // otherwise, which reads no table).
            Expr::DoubleQuotedId(_) | Expr::Column { .. } => match b.column_ref(x) {
                Ok(Some(c)) if c.depth == innermost => match cursors.iter().position(|&k| k == c.cursor) {
                    Some(k) if k < 64 => refs |= 1 << k,
                    _ => unresolved = true,
                },
                Ok(Some(_)) => {}
                _ => unresolved |= matches!(x, Expr::Column { .. }),
            },
            _ => {}
        }
        true
    });
    (refs, unresolved)
}

/// For a select with one result column that is a plain column of a table
/// in its FROM clause (a rowid word included): that column's affinity and
/// declared collation, known before the select is compiled.
pub(super) fn subquery_column(b: &Builder<'_>, sel: &crate::parse::ast::Select) -> Option<(Affinity, Option<String>)> {
    use crate::parse::ast::{ResultColumn, SelectCore, TableRef};
    if sel.with.is_some() || !sel.compounds.is_empty() {
        return None;
    }
    let SelectCore::Select(body) = &sel.core else { return None };
    let [ResultColumn::Expr { expr: Expr::Column { schema: None, table: qual, column }, .. }] = body.columns.as_slice() else { return None };
    let from = body.from.as_ref()?;
    let mut found = None;
    for tr in std::iter::once(&from.first).chain(from.joins.iter().map(|j| &j.table)) {
        let TableRef::Table { name, alias, args: None, .. } = tr else { return None };
        if name.schema.is_none() && b.ctes.iter().any(|c| c.cte.name.eq_ignore_ascii_case(&name.name)) {
            return None;
        }
        let t = b.schemas.find_table(name.schema.as_deref(), &name.name)?;
        if t.is_view() || t.module.is_some() {
            return None;
        }
        let label = alias.clone().unwrap_or_else(|| t.name.clone());
        if qual.as_deref().is_some_and(|q| !q.eq_ignore_ascii_case(&label)) {
            continue;
        }
        let info = match t.column_index(column) {
            Some(i) if t.rowid_alias == Some(i) => Some((Affinity::Integer, None)),
            Some(i) => Some((t.columns[i].affinity, t.columns[i].collation.clone())),
            None if crate::schema::is_rowid_name(column) => Some((Affinity::Integer, None)),
            None => None,
        };
        if info.is_some() {
            if found.is_some() {
                return None;
            }
            found = info;
        }
    }
    found
}

/// Whether `sel` is a simple select over tables of the schema whose every
/// name is a column of one of those tables (so it cannot be correlated
/// with an outer query). Conservative: anything else (CTEs, subqueries in
/// it, views, joins with USING, table-valued functions) says no.
pub(super) fn self_contained(b: &Builder<'_>, sel: &crate::parse::ast::Select) -> bool {
    outer_columns(b, sel).is_some_and(|v| v.is_empty())
}

/// The loops (bits over `cursors`) of the query being compiled that
/// subquery `sel` reads: 0 for a self-contained one; None when it reads
/// anything else or is beyond `self_contained`'s analysis.
pub(super) fn subquery_loops(b: &mut Builder<'_>, cursors: &[usize], sel: &crate::parse::ast::Select) -> Option<u64> {
    let innermost = b.scopes.len().saturating_sub(1);
    let mut refs = 0u64;
    for e in outer_columns(b, sel)? {
        let c = b.column_ref(&e).ok()??;
        if c.depth != innermost {
            return None;
        }
        let k = cursors.iter().position(|&k| k == c.cursor).filter(|&k| k < 64)?;
        refs |= 1 << k;
    }
    Some(refs)
}

/// The qualified column names (`t.c`) of `sel` that none of its own
/// tables has (references to an outer query), under `self_contained`'s
/// conditions; None when those do not hold or a name is unqualified and
/// unknown.
fn outer_columns(b: &Builder<'_>, sel: &crate::parse::ast::Select) -> Option<Vec<Expr>> {
    use crate::parse::ast::{ResultColumn, SelectCore, TableRef};
    if sel.with.is_some() || !sel.compounds.is_empty() {
        return None;
    }
    let SelectCore::Select(body) = &sel.core else { return None };
    let Some(from) = &body.from else { return None };
    let mut tables = Vec::new();
    for tr in std::iter::once(&from.first).chain(from.joins.iter().map(|j| &j.table)) {
        let TableRef::Table { name, alias, args: None, .. } = tr else { return None };
        if name.schema.is_none() && b.ctes.iter().any(|c| c.cte.name.eq_ignore_ascii_case(&name.name)) {
            return None;
        }
        let t = b.schemas.find_table(name.schema.as_deref(), &name.name)?;
        if t.is_view() {
            return None;
        }
        tables.push((alias.clone().unwrap_or_else(|| t.name.clone()), t));
    }
    if from.joins.iter().any(|j| j.constraint.is_some() && !matches!(j.constraint, Some(crate::parse::ast::JoinConstraint::On(_)))) {
        return None;
    }
    let resolves = |table: Option<&str>, column: &str| {
        tables.iter().any(|(label, t)| {
            table.is_none_or(|q| q.eq_ignore_ascii_case(label)) && (t.column_index(column).is_some() || (crate::schema::is_rowid_name(column) && t.rowid_word().is_some()))
        })
    };
    let mut ok = true;
    let mut outer: Vec<Expr> = Vec::new();
    let mut check = |e: &Expr| {
        walk(e, &mut |x| {
            match x {
                Expr::Subquery(_) | Expr::Exists { .. } | Expr::InSelect { .. } | Expr::InTable { .. } => ok = false,
                Expr::Column { schema: None, table, column } if !resolves(table.as_deref(), column) => match table {
                    Some(_) => outer.push(x.clone()),
                    None => ok = false,
                },
                Expr::Column { schema: None, .. } => {}
                Expr::Column { .. } | Expr::DoubleQuotedId(_) => ok = false,
                _ => {}
            }
            ok
        });
    };
    for c in &body.columns {
        match c {
            ResultColumn::Expr { expr, .. } => check(expr),
            _ => return None,
        }
    }
    for e in body.where_.iter().chain(body.having.iter()).chain(body.group_by.iter()) {
        check(e);
    }
    for j in &from.joins {
        if let Some(crate::parse::ast::JoinConstraint::On(e)) = &j.constraint {
            check(e);
        }
    }
    for t in &sel.order_by {
        check(&t.expr);
    }
    if let Some(l) = &sel.limit {
        check(&l.limit);
        if let Some(o) = &l.offset {
            check(o);
        }
    }
    (ok && body.windows.is_empty()).then_some(outer)
}

fn flip(op: BinaryOp) -> BinaryOp {
    match op {
        BinaryOp::Lt => BinaryOp::Gt,
        BinaryOp::Le => BinaryOp::Ge,
        BinaryOp::Gt => BinaryOp::Lt,
        BinaryOp::Ge => BinaryOp::Le,
        o => o,
    }
}

/// The operands of a chain of `op` (AND or OR), left to right.
pub(super) fn split_chain(e: &Expr, op: BinaryOp, out: &mut Vec<Expr>) {
    match e {
        Expr::Binary(a, o, c) if *o == op => {
            split_chain(a, op, out);
            split_chain(c, op, out);
        }
        other => out.push(other.clone()),
    }
}

/// `x = a OR x = b OR b = x ...` over one column `x`: that column and the
/// values, as for `x IN (a, b, ...)`.
fn or_of_equalities(e: &Expr) -> Option<(Expr, Vec<Expr>)> {
    // Most OR terms are not such a chain: tell without copying any of it.
    fn all_equalities(e: &Expr) -> bool {
        match e {
            Expr::Binary(a, BinaryOp::Or, c) => all_equalities(a) && all_equalities(c),
            Expr::Binary(_, BinaryOp::Eq, _) => true,
            _ => false,
        }
    }
    if !matches!(e, Expr::Binary(_, BinaryOp::Or, _)) || !all_equalities(e) {
        return None;
    }
    let mut parts = Vec::new();
    split_chain(e, BinaryOp::Or, &mut parts);
    if parts.len() < 2 {
        return None;
    }
    let sides = |p: &Expr| match p {
        Expr::Binary(a, BinaryOp::Eq, c) => Some((a.as_ref().clone(), c.as_ref().clone())),
        _ => None,
    };
    let (l0, r0) = sides(&parts[0])?;
    'candidates: for col in [l0.clone(), r0.clone()] {
        if !matches!(col, Expr::Column { .. }) {
            continue;
        }
        let mut values = Vec::new();
        for p in &parts {
            let (l, r) = sides(p)?;
            if l == col {
                values.push(r);
            } else if r == col {
                values.push(l);
            } else {
                continue 'candidates;
            }
        }
        return Some((col, values));
    }
    None
}

/// The plan for the loop on `cursor` over `table` when the loops in
/// `placed` run outside it: a rowid equality, else the index matching the
/// most equalities (then a range), else a rowid IN list, else a scan.
pub(super) fn choose_plan(b: &Builder<'_>, an: &Analysis, cursor: usize, table: Option<&Arc<Table>>, placed: u64) -> Plan {
    let Some(table) = table else { return Plan::Scan };
    let cons = an.constraints(cursor, placed);
    if let Some(p) = search_plan(b, &cons, table) {
        return p;
    }
    if let Some(p) = multi_or(b, an, cursor, table, placed) {
        return p;
    }
    // Outer loops, or the outer query of a correlated subquery, make the
    // loop run many times.
    let repeated = placed != 0 || (b.scopes.len() > 1 && b.correlated.last().copied().unwrap_or(false));
    if repeated && b.auto_index_ok && b.per_row_program == 0 {
        auto_index(&cons, table)
    } else {
        Plan::Scan
    }
}

/// A MULTI-INDEX OR plan: an OR term on this loop (and loops outside it)
/// each of whose operands has a search of its own.
fn multi_or(b: &Builder<'_>, an: &Analysis, cursor: usize, table: &Arc<Table>, placed: u64) -> Option<Plan> {
    if table.is_view() || table.without_rowid || table.module.is_some() {
        return None;
    }
    let bit = an.bit(cursor);
    'terms: for t in &an.ors {
        let Some(r) = t.refs else { continue };
        if r & bit == 0 || r & !(placed | bit) != 0 {
            continue;
        }
        let mut arms = Vec::with_capacity(t.arms.len());
        for pairs in &t.arms {
            let cons = constraints_of(pairs, cursor, placed);
            let plan = search_plan(b, &cons, table);
            match plan {
                Some(p @ (Plan::Rowid(..) | Plan::RowidRange { .. } | Plan::Index { .. })) => arms.push(p),
                _ => continue 'terms,
            }
        }
        // Each range finds a quarter of the rows by SQLite's estimates:
        // past two, a scan costs less.
        let ranges = arms.iter().filter(|p| matches!(p, Plan::RowidRange { .. }) || matches!(p, Plan::Index { eq, .. } if eq.is_empty())).count();
        if ranges > 2 {
            continue;
        }
        return Some(Plan::MultiOr { arms });
    }
    None
}

/// The search `cons` allow on `table`: a rowid equality, else the index
/// matching the most equalities (then a range), else a rowid range or IN
/// list; None when nothing narrows the loop.
fn search_plan(b: &Builder<'_>, cons: &[Constraint<'_>], table: &Arc<Table>) -> Option<Plan> {
    // A rowid is never NULL: `rowid IS v` is `rowid = v`, except that
    // SQLite does not search for `rowid IS NULL`.
    let null_literal = |c: &Constraint<'_>| matches!(c.value, EqValue::One(Expr::Literal(crate::parse::ast::Literal::Null)));
    let rowid_eq = |list: bool| cons.iter().find(|c| c.column == ROWID && (c.op == BinaryOp::Eq || (c.op == BinaryOp::Is && !null_literal(c))) && c.value.is_list() == list);
    if let Some(c) = rowid_eq(false) {
        return Some(Plan::Rowid(c.value.clone(), c.affinity));
    }
    let mut best: Option<(usize, Plan)> = None;
    for ix in searchable_indexes(b, table) {
        let mut eq = Vec::new();
        let mut lower = None;
        let mut upper = None;
        let mut lists = 0;
        let mut nulls = 0u64;
        for icol in &ix.columns {
            if icol.column.is_none() && icol.expr.is_none() {
                break;
            }
            let matching = |c: &&Constraint<'_>| {
                *c.collation == icol.collation
                    && match icol.column {
                        Some(col) => c.column == col,
                        None => c.column == EXPR_COLUMN && c.index_expr.is_some() && c.index_expr == icol.expr.as_ref(),
                    }
            };
            let single = cons.iter().filter(matching).find(|c| matches!(c.op, BinaryOp::Eq | BinaryOp::Is) && matches!(c.value, EqValue::One(_)));
            let list = cons.iter().filter(matching).find(|c| c.op == BinaryOp::Eq && c.value.is_list());
            if let Some(c) = single.or(if lists == 0 { list } else { None }) {
                if c.value.is_list() {
                    lists += 1;
                }
                if c.op == BinaryOp::Is && eq.len() < 64 {
                    nulls |= 1 << eq.len();
                }
                eq.push((c.value.clone(), c.affinity));
                continue;
            }
            for c in cons.iter().filter(matching) {
                let EqValue::One(v) = c.value else { continue };
                match c.op {
                    BinaryOp::Gt | BinaryOp::Ge if lower.is_none() => lower = Some((v.clone(), c.op == BinaryOp::Ge, c.affinity)),
                    BinaryOp::Lt | BinaryOp::Le if upper.is_none() => upper = Some((v.clone(), c.op == BinaryOp::Le, c.affinity)),
                    _ => {}
                }
            }
            break;
        }
        // `x IS NOT NULL` stands for a missing lower bound, as in SQLite.
        let not_null = lower.is_none()
            && upper.is_some()
            && ix.columns.get(eq.len()).is_some_and(|icol| {
                cons.iter().any(|c| c.op == BinaryOp::IsNot && *c.collation == icol.collation && icol.column.is_some_and(|col| c.column == col))
            });
        let score = eq.len() * 4 + usize::from(lower.is_some() || not_null) + usize::from(upper.is_some());
        if score == 0 {
            continue;
        }
        if best.as_ref().map_or(true, |(s, _)| score > *s) {
            best = Some((score, Plan::Index { index: ix.clone(), eq, nulls, lower, upper, not_null }));
        }
    }
    // A range of rowids beats an index without an equality.
    let mut lower = None;
    let mut upper = None;
    for c in cons.iter().filter(|c| c.column == ROWID) {
        let EqValue::One(v) = c.value else { continue };
        match c.op {
            BinaryOp::Gt | BinaryOp::Ge if lower.is_none() => lower = Some((v.clone(), c.op == BinaryOp::Ge)),
            BinaryOp::Lt | BinaryOp::Le if upper.is_none() => upper = Some((v.clone(), c.op == BinaryOp::Le)),
            _ => {}
        }
    }
    if (lower.is_some() || upper.is_some()) && best.as_ref().map_or(true, |(s, _)| *s < 4) && rowid_eq(true).is_none() {
        return Some(Plan::RowidRange { lower, upper });
    }
    match best {
        Some((_, p)) => Some(p),
        None => rowid_eq(true).map(|c| Plan::Rowid(c.value.clone(), c.affinity)),
    }
}

/// The indexes a search or an ordered scan of `table` may walk: for a
/// WITHOUT ROWID table its PRIMARY KEY first (the table itself, so it wins
/// a tie), then every index that is not partial.
pub(super) fn searchable_indexes(b: &Builder<'_>, table: &Arc<Table>) -> Vec<Arc<crate::schema::Index>> {
    let mut out: Vec<Arc<crate::schema::Index>> = table.pk_index.iter().cloned().collect();
    out.extend(b.schemas.index_list(table).iter().filter(|ix| ix.partial.is_none()).cloned());
    out
}

/// The automatic index for a loop that runs many times and would
/// otherwise scan its table: one column per equality `column = value`
/// with a single value, in term order. A scan when there is none.
fn auto_index(cons: &[Constraint<'_>], table: &Table) -> Plan {
    if table.is_view() || table.without_rowid || table.module.is_some() {
        return Plan::Scan;
    }
    let mut columns: Vec<(usize, CollSeq)> = Vec::new();
    let mut eq = Vec::new();
    for c in cons {
        if c.column == ROWID || c.column == EXPR_COLUMN || c.op != BinaryOp::Eq || !matches!(c.value, EqValue::One(_)) || columns.iter().any(|(col, _)| *col == c.column) {
            continue;
        }
        columns.push((c.column, c.collation.clone()));
        eq.push((c.value.clone(), c.affinity));
    }
    if columns.is_empty() {
        Plan::Scan
    } else {
        Plan::AutoIndex { columns, eq }
    }
}

/// Rough estimates, without statistics, of reading the loop `last` with
/// the loops in `placed` outside it: the cost per outer row of its best
/// plan, and how many of its rows survive the WHERE terms that become
/// testable there. A table is assumed to hold about a thousand rows.
fn plan_estimate(b: &Builder<'_>, an: &Analysis, levels: &[Level], last: usize, placed: u64) -> (u32, u32) {
    const N: u32 = 1000;
    let lv = &levels[last];
    if let Some(vl) = super::vtab::level_plans(b, lv.cursor) {
        return super::vtab::estimate(&vl, levels, placed);
    }
    let list_len = |v: &EqValue| match v {
        EqValue::One(_) => 1,
        EqValue::List(l) => l.len().max(1) as u32,
        EqValue::Select(_) => 10,
    };
    let (cost, mut rows) = match choose_plan(b, an, lv.cursor, lv.table.as_ref(), placed) {
        Plan::Rowid(v, _) => (list_len(&v), list_len(&v)),
        Plan::Index { index, eq, lower, upper, not_null, .. } => {
            let lower = lower.is_some() || not_null;
            let k: u32 = eq.iter().map(|(v, _)| list_len(v)).product();
            if index.unique && eq.len() == index.columns.len() {
                (2 * k, k)
            } else if !eq.is_empty() {
                let r = (N / 10u32.pow(eq.len().min(3) as u32)).max(1) * k;
                let r = if lower || upper.is_some() { (r / 4).max(1) } else { r };
                (10 * k + r, r)
            } else if lower && upper.is_some() {
                (N / 16, N / 16)
            } else {
                (N / 4, N / 4)
            }
        }
        Plan::AutoIndex { eq, .. } => {
            // A little dearer than an index of the schema with as many
            // equalities: the automatic one must be built first.
            let r = (N / 10u32.pow(eq.len().min(3) as u32)).max(1);
            (12 + r, r)
        }
        Plan::RowidRange { lower, upper } => {
            if lower.is_some() && upper.is_some() {
                (N / 16, N / 16)
            } else {
                (N / 4, N / 4)
            }
        }
        Plan::MultiOr { arms } => {
            let k = arms.len() as u32;
            ((10 + N / 10) * k, (N / 10) * k)
        }
        Plan::Scan => (N, N),
    };
    // Terms first testable at this loop filter its rows further.
    let bit = 1u64 << last;
    let all = placed | bit;
    for t in &an.terms {
        let Some(r) = t.refs else { continue };
        if r & bit == 0 || r & !all != 0 {
            continue;
        }
        rows = if t.selective { (rows / 10).max(1) } else { (rows / 2).max(1) };
    }
    (cost, rows)
}

/// The order of a small join with a virtual table, by the whole nest's
/// estimated cost (each loop's cost times the rows of the loops outside
/// it), every order tried: a virtual table's costs come from its module
/// and only compare well with a whole path, as in SQLite's solver. Ties
/// keep FROM order.
fn cheapest_order(b: &Builder<'_>, an: &Analysis, levels: &[Level]) -> Vec<Level> {
    fn permute(k: usize, cur: &mut Vec<usize>, used: u64, n: usize, f: &mut dyn FnMut(&[usize])) {
        if k == n {
            f(cur);
            return;
        }
        for i in 0..n {
            if used & (1 << i) == 0 {
                cur.push(i);
                permute(k + 1, cur, used | (1 << i), n, f);
                cur.pop();
            }
        }
    }
    let n = levels.len();
    let mut best: Option<(f64, Vec<usize>)> = None;
    permute(0, &mut Vec::new(), 0, n, &mut |order| {
        let mut placed = 0u64;
        let mut rows = 1.0f64;
        let mut total = 0.0f64;
        for &k in order {
            let (cost, r) = plan_estimate(b, an, levels, k, placed);
            total += rows * cost as f64;
            rows *= r as f64;
            placed |= 1 << k;
        }
        if best.as_ref().is_none_or(|(t, _)| total < *t) {
            best = Some((total, order.to_vec()));
        }
    });
    match best {
        Some((_, order)) => order.into_iter().map(|k| levels[k].clone()).collect(),
        None => levels.to_vec(),
    }
}

/// Orders the loops of an inner join greedily: at each depth, the table
/// with the cheapest access given the tables outside it (ties keep FROM
/// order), so that a chain of equalities becomes a chain of lookups
/// instead of nested full scans. Outer and CROSS joins keep their order.
pub(super) fn order_levels(b: &mut Builder<'_>, levels: &[Level], terms: &[Expr]) -> Vec<Level> {
    if levels.len() < 2 || levels.iter().any(|l| !l.movable) {
        return levels.to_vec();
    }
    let Some(an) = Analysis::new(b, levels, terms) else { return levels.to_vec() };
    let n = levels.len();
    // Small joins: the cheapest order of all, so that a table reached
    // through an index from the other side is not scanned inside the
    // others for want of a usable index of its own (the greedy choice
    // below can only look one table ahead).
    if n <= 4 || (n <= 6 && levels.iter().any(|l| l.vtab.is_some())) {
        return cheapest_order(b, &an, levels);
    }
    let mut remaining: Vec<usize> = (0..n).collect();
    let mut order: Vec<usize> = Vec::with_capacity(n);
    let mut placed = 0u64;
    let mut ests = Vec::with_capacity(n);
    while !remaining.is_empty() {
        ests.clear();
        ests.extend(remaining.iter().map(|&k| plan_estimate(b, &an, levels, k, placed)));
        let best_est = ests.iter().copied().min().unwrap_or((u32::MAX, u32::MAX));
        let tied: Vec<usize> = (0..remaining.len()).filter(|&j| ests[j] == best_est).collect();
        let mut best = tied[0];
        // Ties: look one table ahead and prefer the choice after which the
        // next table is cheapest to read (scanning u first makes t a rowid
        // lookup in `t.id = u.x`). Bounded so big joins compile quickly.
        if tied.len() > 1 && remaining.len() > 1 && n <= 10 {
            let mut best_next = (u32::MAX, u32::MAX);
            for &j in &tied {
                let with = placed | (1 << remaining[j]);
                for (m, &next) in remaining.iter().enumerate() {
                    if m == j {
                        continue;
                    }
                    let est = plan_estimate(b, &an, levels, next, with);
                    if est < best_next {
                        best_next = est;
                        best = j;
                    }
                }
            }
        }
        let k = remaining.remove(best);
        placed |= 1 << k;
        order.push(k);
    }
    order.into_iter().map(|k| levels[k].clone()).collect()
}
