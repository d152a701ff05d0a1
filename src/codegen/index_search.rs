//! Index searches: the key of an equality prefix, and the walk over the
//! entries it and an optional range on the next index column select,
//! forwards or backwards. Shared by the WHERE loops (`where_.rs`) and the
//! operands of a MULTI-INDEX OR (`multi_or.rs`).
//!
//! A plan states its range in SQL terms (`lower`: `x > v` / `x >= v`;
//! `upper`: `x < v` / `x <= v`). Here it becomes bounds in the index's key
//! order: on a DESC column the entries run from the largest value down, so
//! the SQL upper bound is where a forward walk starts and the lower one
//! where it stops, and the NULLs — smallest of all values — come last in
//! key order instead of first (SQLite's bRev / bSeekPastNull / bStopAtNull
//! distinctions).
//!
//! Invariants: a range never includes NULLs (the key-order bound on the
//! NULLs' side, when the SQL gives none, stops before them); a NULL bound
//! value finds no row; an equality from `=` or IN never matches NULL, one
//! from `IS` does (its key may be NULL). The bounds are exact, with the
//! affinity and collation the comparison has, because the loop does not
//! test the terms the search enforces again (`Analysis::searched_terms`).

use std::sync::Arc;

use crate::error::Result;
use crate::parse::ast::Expr;
use crate::schema::Index;
use crate::vdbe::mem::Affinity;
use crate::vdbe::{Op, Reg, SeekOp};

use super::plan::EqValue;
use super::Builder;

/// A range bound as the plan gives it: value, inclusive, affinity.
pub(super) type Bound = (Expr, bool, Option<Affinity>);

/// One end of the walk in key order.
#[derive(Clone, Copy)]
enum KeyBound<'a> {
    /// The SQL bound.
    Value(&'a Bound),
    /// Just past (exclusive) the NULLs of the range column.
    Nulls,
}

/// Evaluates `e` into `reg` with affinity `aff`; jumps to `exit` when it is
/// NULL, unless `null_ok` (an `IS` equality, which NULL satisfies).
fn load_value(b: &mut Builder<'_>, e: &Expr, reg: Reg, aff: Option<Affinity>, null_ok: bool, exit: usize) -> Result<()> {
    b.expr(e, reg)?;
    if !null_ok {
        b.emit(Op::IsNull { reg, target: exit });
    }
    if let Some(a) = aff {
        b.emit(Op::Affinity { start: reg, affinities: Arc::from(vec![a]) });
    }
    Ok(())
}

/// Loads the equality values of a search into `key..key+eq.len()`: each
/// single value evaluated with its affinity, the IN loop's current value
/// (`in_value`) for the one list. Bit k of `nulls` marks an `IS`
/// equality, which may search for NULL; any other NULL key jumps to
/// `exit` (nothing equals NULL).
pub(super) fn load_equalities(b: &mut Builder<'_>, eq: &[(EqValue, Option<Affinity>)], nulls: u64, key: Reg, in_value: Option<Reg>, exit: usize) -> Result<()> {
    for (k, (v, aff)) in eq.iter().enumerate() {
        match (v, in_value) {
            (EqValue::One(e), _) => load_value(b, e, key + k, *aff, k < 64 && nulls & (1 << k) != 0, exit)?,
            (_, Some(value)) => {
                b.emit(Op::Copy { src: value, dest: key + k, count: 1 });
                b.emit(Op::IsNull { reg: key + k, target: exit });
            }
            (_, None) => return Err(crate::error::Error::with_message(crate::error::code::INTERNAL, "IN search without its loop")),
        }
    }
    Ok(())
}

/// One index search to code: the index cursor `ic` on `index`, the
/// `n_eq` equality values already at `key` (which has room for one more
/// register), then the range on index column `n_eq` in SQL terms, walked
/// forwards or, when `backward`, from the last entry.
#[derive(Clone, Copy)]
pub(super) struct Walk<'a> {
    pub ic: usize,
    pub index: &'a Index,
    pub key: Reg,
    pub n_eq: usize,
    pub lower: Option<&'a Bound>,
    pub upper: Option<&'a Bound>,
    pub backward: bool,
}

/// Positions the index cursor on the first entry of the search `w`;
/// jumps to `exit` when there is none. Returns the loop's top: the
/// address of the test, made on every entry, that jumps to `exit` once
/// the walk has left the search.
pub(super) fn seek_and_stop(b: &mut Builder<'_>, w: &Walk<'_>, exit: usize) -> Result<usize> {
    let Walk { ic, index, key, n_eq, lower, upper, backward } = *w;
    let desc = index.columns.get(n_eq).is_some_and(|c| c.desc);
    let ranged = lower.is_some() || upper.is_some();
    // The first and last entries in key order; the NULLs' end is closed
    // off when the SQL leaves it open.
    let (key_lo, key_hi) = if desc { (upper, lower) } else { (lower, upper) };
    let key_lo = key_lo.map(KeyBound::Value).or((ranged && !desc).then_some(KeyBound::Nulls));
    let key_hi = key_hi.map(KeyBound::Value).or((ranged && desc).then_some(KeyBound::Nulls));
    let (start, stop) = if backward { (key_hi, key_lo) } else { (key_lo, key_hi) };
    // The stop key: the equalities, then its bound, evaluated once.
    let stop_key = match stop {
        Some(bound) => {
            let u = b.alloc_regs(n_eq + 1);
            if n_eq > 0 {
                b.emit(Op::Copy { src: key, dest: u, count: n_eq });
            }
            load_bound(b, bound, u + n_eq, exit)?;
            Some((u, inclusive(bound)))
        }
        None => None,
    };
    match start {
        Some(bound) => {
            load_bound(b, bound, key + n_eq, exit)?;
            let op = match (backward, inclusive(bound)) {
                (false, true) => SeekOp::Ge,
                (false, false) => SeekOp::Gt,
                (true, true) => SeekOp::Le,
                (true, false) => SeekOp::Lt,
            };
            b.emit(Op::SeekIdx { op, cursor: ic, key, n: n_eq + 1, target: exit });
        }
        None if n_eq > 0 => {
            let op = if backward { SeekOp::Le } else { SeekOp::Ge };
            b.emit(Op::SeekIdx { op, cursor: ic, key, n: n_eq, target: exit });
        }
        None if backward => {
            b.emit(Op::Last { cursor: ic, target: exit });
        }
        None => {
            b.emit(Op::Rewind { cursor: ic, target: exit });
        }
    }
    let top = b.addr();
    match stop_key {
        Some((u, incl)) => {
            let op = match (backward, incl) {
                (false, true) => SeekOp::Gt,
                (false, false) => SeekOp::Ge,
                (true, true) => SeekOp::Lt,
                (true, false) => SeekOp::Le,
            };
            b.emit(Op::IdxCompare { op, cursor: ic, key: u, n: n_eq + 1, target: exit });
        }
        None if n_eq > 0 => {
            let op = if backward { SeekOp::Lt } else { SeekOp::Gt };
            b.emit(Op::IdxCompare { op, cursor: ic, key, n: n_eq, target: exit });
        }
        None => {}
    }
    Ok(top)
}

fn inclusive(bound: KeyBound<'_>) -> bool {
    match bound {
        KeyBound::Value((_, incl, _)) => *incl,
        KeyBound::Nulls => false,
    }
}

/// Loads a key-order bound into `reg`: the SQL value (a NULL value jumps
/// to `exit`: no row is in a range with a NULL end), or NULL itself for
/// the end past the NULLs.
fn load_bound(b: &mut Builder<'_>, bound: KeyBound<'_>, reg: Reg, exit: usize) -> Result<()> {
    match bound {
        KeyBound::Value((e, _, aff)) => load_value(b, e, reg, *aff, false, exit),
        KeyBound::Nulls => {
            b.emit(Op::Null { dest: reg, count: 1 });
            Ok(())
        }
    }
}
