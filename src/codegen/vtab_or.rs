//! OR terms as a virtual table's planner sees them (the part of SQLite's
//! exprAnalyzeOrTerm and whereLoopAddOr that reaches xBestIndex).
//!
//! An OR whose branches are each a comparison (`=`, `<`, `<=`, `>`,
//! `>=`, IS), an IS NULL or an IN on a column of one loop is "indexable":
//! - when every branch is `column = value` on the same column, SQLite
//!   derives `column IN (value, ...)`, an IN constraint after the other
//!   derived ones (`or_in`);
//! - for each loop every branch constrains, SQLite asks xBestIndex once
//!   per branch (its whole call sequence) with that branch's constraint
//!   first, then the loop's constraints (`branch_calls`), to cost a
//!   MULTI-INDEX OR plan. Ferrolite makes the same calls, but no such
//!   plan: the OR is then tested row by row (docs/COMPAT.md).
//!
//! Invariant: an OR with any other branch (an AND, NOT IN, LIKE, a
//! branch that compares the table with itself...) gets neither, which is
//! what SQLite does for the non-indexable ones; the AND branches SQLite
//! would still analyse are left out.

use crate::error::Result;
use crate::parse::ast::{BinaryOp, Expr};
use crate::vtab::index_info::op;
use crate::vtab::{IndexConstraint, IndexInfo, VTable};

use super::vtab::{best_index_calls, binary_code, bits, commute, constant, loop_column, RhsValue, VTerm};
use super::Builder;

/// One simple branch (SQLite's WO_SINGLE: a comparison, IS NULL or IN
/// on a column) as a constraint: on the loop of its left column, and,
/// when the other side is a column of another loop, the commuted copy
/// SQLite adds for that loop.
struct Simple {
    primary: (usize, VTerm, Expr),
    copy: Option<(usize, VTerm, Expr)>,
}

/// An OR branch: simple, or any other expression, which SQLite analyses
/// as an AND clause of its own (its terms, split on AND).
enum Branch {
    Simple(Box<Simple>),
    And(Vec<Expr>),
}

fn or_branches<'a>(e: &'a Expr, out: &mut Vec<&'a Expr>) {
    match e {
        Expr::Binary(l, BinaryOp::Or, r) => {
            or_branches(l, out);
            or_branches(r, out);
        }
        other => out.push(other),
    }
}

fn and_terms(e: &Expr, out: &mut Vec<Expr>) {
    match e {
        Expr::Binary(l, BinaryOp::And, r) => {
            and_terms(l, out);
            and_terms(r, out);
        }
        other => out.push(other.clone()),
    }
}

fn vterm(column: i32, code: u8, value: &Expr, prereq: u64, collation: String) -> VTerm {
    VTerm { column, op: code, value: RhsValue::Expr(value.clone()), prereq, term: None, in_place: true, collation, rhs: constant(value), in_left: None }
}

/// The branches of OR term `t`, if it is one.
fn branches(b: &mut Builder<'_>, from: &[usize], t: &Expr) -> Option<Vec<Branch>> {
    if !matches!(t, Expr::Binary(_, BinaryOp::Or, _)) {
        return None;
    }
    let mut list = Vec::new();
    or_branches(t, &mut list);
    let mut out = Vec::with_capacity(list.len());
    for br in list {
        let simple = match br {
            Expr::Binary(l, o, r) if binary_code(*o).is_some() => comparison(b, from, l, *o, r),
            Expr::IsNull { expr, not: false } => loop_column(b, from, expr).map(|(c, col)| {
                let coll = b.comparison_collation(expr, expr).map(|c| c.name().to_string()).unwrap_or_else(|_| "BINARY".into());
                let v = VTerm { column: col, op: op::ISNULL, value: RhsValue::Null, prereq: 0, term: None, in_place: true, collation: coll, rhs: None, in_left: None };
                Simple { primary: (c, v, (**expr).clone()), copy: None }
            }),
            Expr::InList { expr, not: false, list } if !list.is_empty() => in_branch(b, from, br, expr),
            Expr::InSelect { expr, not: false, .. } => in_branch(b, from, br, expr),
            _ => None,
        };
        out.push(match simple {
            Some(s) => Branch::Simple(Box::new(s)),
            None => {
                let mut terms = Vec::new();
                and_terms(br, &mut terms);
                Branch::And(terms)
            }
        });
    }
    Some(out)
}

/// `l o r` with a column of a loop on either side, the value not reading
/// that loop.
fn comparison(b: &mut Builder<'_>, from: &[usize], l: &Expr, o: BinaryOp, r: &Expr) -> Option<Simple> {
    let code = binary_code(o)?;
    let commuted = binary_code(commute(o))?;
    let lc = loop_column(b, from, l);
    let rc = loop_column(b, from, r);
    let coll = b.comparison_collation(l, r).map(|c| c.name().to_string()).unwrap_or_else(|_| "BINARY".into());
    let one = |b: &mut Builder<'_>, (c, col): (usize, i32), code: u8, col_e: &Expr, val: &Expr| -> Option<(usize, VTerm, Expr)> {
        let (p, unresolved) = bits(b, from, val);
        let me = from.iter().position(|&k| k == c).map_or(0, |k| 1u64 << k.min(63));
        if unresolved || p & me != 0 {
            return None;
        }
        Some((c, vterm(col, code, val, p, coll.clone()), col_e.clone()))
    };
    match (lc, rc) {
        (Some(lc), Some(rc)) => Some(Simple { primary: one(b, lc, code, l, r)?, copy: Some(one(b, rc, commuted, r, l)?) }),
        (Some(lc), None) => Some(Simple { primary: one(b, lc, code, l, r)?, copy: None }),
        (None, Some(rc)) => Some(Simple { primary: one(b, rc, commuted, r, l)?, copy: None }),
        (None, None) => None,
    }
}

fn in_branch(b: &mut Builder<'_>, from: &[usize], br: &Expr, expr: &Expr) -> Option<Simple> {
    let (c, col) = loop_column(b, from, expr)?;
    let (values, prereq) = super::vtab_in::in_values(b, from, br)?;
    let (coll, _) = b.expr_collation(expr);
    let v = VTerm { column: col, op: op::EQ, value: RhsValue::In(values), prereq, term: None, in_place: true, collation: coll.unwrap_or_else(|| "BINARY".into()), rhs: None, in_left: Some(expr.clone()) };
    Some(Simple { primary: (c, v, expr.clone()), copy: None })
}

/// SQLite's OR-to-IN rewrite of OR term `t` (term `k`): the loop (cursor)
/// it constrains and the IN constraint, when every branch is an
/// equality on the same column (taken from the first branch, else from
/// its commuted copy) whose value needs no conversion.
pub(super) fn or_in(b: &mut Builder<'_>, from: &[usize], k: usize, t: &Expr) -> Option<(usize, VTerm)> {
    let bs = branches(b, from, t)?;
    let mut simple = Vec::with_capacity(bs.len());
    for br in &bs {
        match br {
            Branch::Simple(s) if s.primary.1.op == op::EQ && s.primary.1.in_left.is_none() => simple.push(s),
            _ => return None,
        }
    }
    let candidates = [Some(&simple[0].primary), simple[0].copy.as_ref()];
    'candidate: for cand in candidates.into_iter().flatten() {
        let (c, col) = (cand.0, cand.1.column);
        let left = cand.2.clone();
        let left_aff = b.expr_affinity(&left);
        let mut values = Vec::with_capacity(simple.len());
        let mut prereq = 0u64;
        for s in &simple {
            let side = [Some(&s.primary), s.copy.as_ref()].into_iter().flatten().find(|x| x.0 == c && x.1.column == col);
            let Some((_, v, _)) = side else { continue 'candidate };
            let RhsValue::Expr(value) = &v.value else { continue 'candidate };
            if let Some(a) = b.expr_affinity(value) {
                if Some(a) != left_aff {
                    continue 'candidate;
                }
            }
            values.push(value.clone());
            prereq |= v.prereq;
        }
        let (coll, _) = b.expr_collation(&left);
        let collation = coll.unwrap_or_else(|| "BINARY".into());
        let v = VTerm { column: col, op: op::EQ, value: RhsValue::In(super::vtab_in::InValues::List(values)), prereq, term: Some(k), in_place: false, collation, rhs: None, in_left: Some(left) };
        return Some((c, v));
    }
    None
}

/// SQLite's whereLoopAddOr calls for loop `cursor`: for each OR term of
/// `terms` that every branch constrains this loop with, xBestIndex's
/// call sequence once per branch (the branch's constraint, then the
/// loop's `vterms`), until a branch yields no plan. The plans are not
/// kept (no MULTI-INDEX OR plan on a virtual table yet).
#[allow(clippy::too_many_arguments)]
pub(super) fn branch_calls(b: &mut Builder<'_>, vt: &VTable, info: &IndexInfo, vterms: &[VTerm], terms: &[Expr], cursor: usize, from: &[usize], unusable: u64, before: u64) -> Result<()> {
    let me = from.iter().position(|&c| c == cursor).map(|k| 1u64 << k.min(63)).unwrap_or(0);
    for t in terms {
        let Some(bs) = branches(b, from, t) else { continue };
        // Each branch's constraints on this loop, in SQLite's order: the
        // simple branches whose own left column is this loop's and the
        // AND branches in order, then the commuted copies (added last,
        // the last branch's first). SQLite's `indexable`: every branch
        // constrains this loop.
        let mut lists: Vec<Vec<VTerm>> = Vec::new();
        let mut indexable = true;
        for br in &bs {
            match br {
                Branch::Simple(s) if s.primary.0 == cursor => {
                    let v = s.primary.1.clone();
                    lists.push(if v.prereq & (unusable | me) == 0 { vec![v] } else { Vec::new() });
                }
                Branch::Simple(s) => indexable &= s.copy.as_ref().is_some_and(|c| c.0 == cursor),
                Branch::And(and) => {
                    let (list, _) = super::vtab::constraints(b, cursor, from, and, unusable)?;
                    indexable &= !list.is_empty();
                    lists.push(list);
                }
            }
        }
        if !indexable {
            continue;
        }
        for br in bs.iter().rev() {
            if let Branch::Simple(s) = br {
                if let Some(c) = s.copy.as_ref().filter(|c| c.0 == cursor && s.primary.0 != cursor) {
                    lists.push(if c.1.prereq & (unusable | me) == 0 { vec![c.1.clone()] } else { Vec::new() });
                }
            }
        }
        for mut sub in lists {
            sub.extend(vterms.iter().cloned());
            let mut sub_info = info.clone();
            sub_info.constraints = sub
                .iter()
                .enumerate()
                .map(|(k, v)| IndexConstraint { column: v.column, op: v.op, usable: false, term_offset: k as i32, collation: v.collation.clone(), rhs: v.rhs.clone(), is_in: v.in_left.is_some() && k < 32 })
                .collect();
            if !best_index_calls(vt, &mut sub_info, &sub, before)?.iter().any(|p| p.uses_terms()) {
                break;
            }
        }
    }
    Ok(())
}
