//! IN constraints on a virtual table (SQLite's WO_IN terms offered to
//! xBestIndex as SQLITE_INDEX_CONSTRAINT_EQ).
//!
//! When the chosen plan passes `column IN (...)` to xFilter, its values
//! go into a transient index (distinct, ordered by the IN's collation,
//! with the column's affinity), as SQLite's sqlite3CodeRhsOfIN builds it,
//! and then either
//! - the module asked for the whole list (sqlite3_vtab_in(.., 1)): the
//!   argument is one "ValueList" value (OP_VInitIn) that
//!   sqlite3_vtab_in_first / in_next walk, NULLs included; or
//! - the engine runs the IN: a loop over the values (NULLs skipped)
//!   around the VFilter / VNext loop, xFilter once per value; the IN term
//!   is then never tested again, but, unless the module omitted it, each
//!   row is checked to equal the current value (SQLite's duplicate
//!   check, which reads the column back).
//!
//! Invariant: an IN loop's Rewind leaves to the enclosing IN's next value
//! (or out of the level for the outermost), and an empty VFilter to the
//! innermost IN's next value.

use std::sync::Arc;

use crate::error::Result;
use crate::parse::ast::{Expr, Select};
use crate::vdbe::{CmpOp, Op, Reg};

use super::expr::{comparison_affinity, walk};
use super::plan::EqValue;
use super::Builder;
use crate::record::KeyInfo;
use crate::vdbe::mem::Affinity;

/// A label of the program being built.
type Label = usize;

/// The right-hand side of an IN constraint.
#[derive(Clone, Debug)]
pub(super) enum InValues {
    List(Vec<Expr>),
    Select(Box<Select>),
}

/// One IN loop the engine runs around a virtual-table scan.
pub(super) struct InLoop {
    /// The transient index of the values.
    pub cursor: usize,
    /// The address the loop's Next returns to.
    pub top: usize,
    /// Where the next value is taken (before the loop's Next).
    pub next: Label,
}

/// Whether SQLite's parser sees `e` as a constant (sqlite3ExprIsConstant
/// before names are resolved: literals and parameters combined by
/// operators; no column, function or subquery), which makes `x IN (e)`
/// the equality `x = +e`.
pub(super) fn parse_constant(e: &Expr) -> bool {
    let mut ok = true;
    walk(e, &mut |x| {
        if matches!(x, Expr::Column { .. } | Expr::DoubleQuotedId(_) | Expr::Function(_) | Expr::Subquery(_) | Expr::Exists { .. } | Expr::InSelect { .. } | Expr::InTable { .. } | Expr::Raise { .. }) {
            ok = false;
        }
        ok
    });
    ok
}

/// The values of IN term `t` and the loops (FROM-order bits over `from`)
/// they read; None when they read something else (or a subquery beyond
/// `plan::subquery_loops`'s analysis).
pub(super) fn in_values(b: &mut Builder<'_>, from: &[usize], t: &Expr) -> Option<(InValues, u64)> {
    match t {
        Expr::InList { list, .. } => {
            let mut prereq = 0u64;
            for e in list {
                let (p, unresolved) = super::plan::loops_read(b, from, e);
                if unresolved {
                    return None;
                }
                prereq |= p;
            }
            Some((InValues::List(list.clone()), prereq))
        }
        Expr::InSelect { select, .. } => {
            let prereq = super::plan::subquery_loops(b, from, select)?;
            Some((InValues::Select(select.clone()), prereq))
        }
        _ => None,
    }
}

/// The affinity the IN's values are stored with, and its collation.
fn key_of(b: &mut Builder<'_>, left: &Expr, values: &InValues) -> Result<(Option<Affinity>, crate::collation::CollSeq)> {
    let left_aff = b.expr_affinity(left);
    let (coll, _) = b.expr_collation(left);
    let (aff, coll) = match values {
        InValues::List(_) => {
            let aff = match left_aff {
                None | Some(Affinity::Blob) => None,
                Some(Affinity::Real) => Some(Affinity::Numeric),
                a => a,
            };
            (aff, coll)
        }
        InValues::Select(sel) => match super::plan::subquery_column(b, sel) {
            Some((sub, sub_coll)) => (comparison_affinity(left_aff, Some(sub)), coll.or(sub_coll)),
            None => (left_aff, coll),
        },
    };
    let coll = match coll {
        Some(n) => Builder::collation_by_name(&n)?,
        None => crate::collation::CollSeq::Binary,
    };
    Ok((aff, coll))
}

/// The module takes the IN all at once: its values, NULLs included, in a
/// transient index, handed over as a list value in `dest`.
pub(super) fn code_list(b: &mut Builder<'_>, left: &Expr, values: &InValues, dest: Reg) -> Result<()> {
    let (aff, coll) = key_of(b, left, values)?;
    let eph = b.alloc_cursor();
    let key_info = Arc::new(KeyInfo::new(vec![(coll, false)]));
    match values {
        InValues::Select(sel) => {
            b.subquery(sel, super::select::Dest::InSet { cursor: eph, affinity: aff, key_info })?;
        }
        InValues::List(list) => {
            b.emit(Op::OpenEphemeral { cursor: eph, key_info: Some(key_info) });
            let r = b.alloc_reg();
            let rec = b.alloc_reg();
            // Last to first: of values equal under the collation, the
            // transient index keeps the first inserted, SQLite's b-tree
            // the last.
            for item in list.iter().rev() {
                b.expr(item, r)?;
                if let Some(a) = aff {
                    b.emit(Op::Affinity { start: r, affinities: Arc::from(vec![a]) });
                }
                b.emit(Op::MakeRecord { start: r, count: 1, dest: rec });
                b.emit(Op::IdxInsert { cursor: eph, key: rec });
            }
        }
    }
    b.emit(Op::VInitIn { cursor: eph, dest });
    Ok(())
}

/// The engine runs the IN: starts a loop over its distinct non-NULL
/// values, the current one in `dest`. `done` is where the loop leaves
/// when the values are exhausted.
pub(super) fn begin_value_loop(b: &mut Builder<'_>, left: &Expr, values: &InValues, dest: Reg, done: Label) -> Result<InLoop> {
    let (aff, coll) = key_of(b, left, values)?;
    let eq = match values {
        // Reversed, so that the last of equal values stands (see code_list).
        InValues::List(l) => EqValue::List(l.iter().rev().cloned().collect()),
        InValues::Select(s) => EqValue::Select(s.clone()),
    };
    let next = b.new_label();
    let (cursor, v, top) = super::where_::begin_in_loop(b, &eq, aff, coll, done)?;
    b.emit(Op::IsNull { reg: v, target: next });
    b.emit(Op::Copy { src: v, dest, count: 1 });
    Ok(InLoop { cursor, top, next })
}

/// The check after xFilter of an IN the engine runs and the module did
/// not omit: a row whose column differs from the current value goes to
/// `skip` (SQLite reads the column back and compares).
pub(super) fn check_value(b: &mut Builder<'_>, left: &Expr, value: Reg, skip: Label) -> Result<()> {
    let col = b.alloc_reg();
    b.expr(left, col)?;
    let eq = b.alloc_reg();
    b.compare_regs(left, col, left, value, CmpOp::Eq, eq)?;
    b.emit(Op::IfNot { reg: eq, target: skip, jump_if_null: true });
    Ok(())
}

/// Closes the IN loops of a level, innermost first.
pub(super) fn end_loops(b: &mut Builder<'_>, loops: &[InLoop]) {
    for l in loops.iter().rev() {
        b.resolve(l.next);
        b.emit(Op::Next { cursor: l.cursor, target: l.top });
    }
}
