//! MULTI-INDEX OR loops: `WHERE a = ? OR b > ?` with an index on a and
//! one on b reads the rows each operand's search finds instead of the
//! whole table.
//!
//! Before the loop, each operand's search (a rowid lookup, IN list or
//! range, or an index search with equalities, one of them maybe an IN
//! list, and a range) runs in turn and appends the rowid
//! of every row it finds to a transient queue, skipping rowids a transient
//! set has seen; the loop then reads the queued rows in order. Rows come
//! out as SQLite's OR loop yields them: the first operand's rows in its
//! search order, then the second's new ones, and so on. The OR term stays
//! in the WHERE terms tested on each row.
//!
//! Invariant: the queue is filled again each time the loop starts (an
//! operand may read outer loops), and a row is queued at most once.

use std::sync::Arc;

use super::plan::{EqValue, Plan};
use super::where_::Level;
use super::Builder;
use crate::btree::TreeKind;
use crate::collation::CollSeq;
use crate::error::{Error, Result};
use crate::record::KeyInfo;
use crate::vdbe::mem::Affinity;
use crate::vdbe::{CmpOp, Op, Reg, Root, SeekOp};

/// Fills the queue of rowids for `arms` over the table cursor `tc`;
/// returns the queue's cursor.
pub(super) fn fill_queue(b: &mut Builder<'_>, tc: usize, arms: &[Plan]) -> Result<usize> {
    let seen = b.alloc_cursor();
    let queue = b.alloc_cursor();
    b.emit(Op::OpenEphemeral { cursor: seen, key_info: Some(Arc::new(KeyInfo::new(vec![(CollSeq::Binary, false)]))) });
    b.emit(Op::OpenEphemeral { cursor: queue, key_info: None });
    let rowid = b.alloc_reg();
    for arm in arms {
        let done = b.new_label();
        match arm {
            Plan::Rowid(EqValue::One(e), _) => {
                let r = b.expr_to_reg(e)?;
                b.emit(Op::IsNull { reg: r, target: done });
                b.emit(Op::SeekRowid { cursor: tc, reg: r, target: done });
                b.emit(Op::Rowid { cursor: tc, dest: rowid });
                enqueue(b, seen, queue, rowid, done);
            }
            Plan::Rowid(list, aff) => {
                // Each distinct value of the list, in order.
                let (eph, v, top) = super::where_::begin_in_loop(b, list, *aff, CollSeq::Binary, done)?;
                let next = b.new_label();
                b.emit(Op::IsNull { reg: v, target: next });
                b.emit(Op::SeekRowid { cursor: tc, reg: v, target: next });
                b.emit(Op::Rowid { cursor: tc, dest: rowid });
                enqueue(b, seen, queue, rowid, next);
                b.resolve(next);
                b.emit(Op::Next { cursor: eph, target: top });
            }
            Plan::RowidRange { lower, upper } => {
                let stop = match upper {
                    Some((e, _)) => Some(b.expr_to_reg(e)?),
                    None => None,
                };
                match lower {
                    Some((e, inclusive)) => {
                        let r = b.expr_to_reg(e)?;
                        let op = if *inclusive { SeekOp::Ge } else { SeekOp::Gt };
                        b.emit(Op::SeekRowidRange { op, cursor: tc, reg: r, target: done });
                    }
                    None => {
                        b.emit(Op::Rewind { cursor: tc, target: done });
                    }
                }
                let top = b.addr();
                let next = b.new_label();
                b.emit(Op::Rowid { cursor: tc, dest: rowid });
                if let (Some(u), Some((_, inclusive))) = (stop, upper) {
                    let op = if *inclusive { CmpOp::Gt } else { CmpOp::Ge };
                    b.emit(Op::CompareJump { op, lhs: rowid, rhs: u, target: done, jump_if_null: true, affinity: Some(Affinity::Numeric), coll: CollSeq::Binary });
                }
                enqueue(b, seen, queue, rowid, next);
                b.resolve(next);
                b.emit(Op::Next { cursor: tc, target: top });
            }
            Plan::Index { index, eq, nulls, lower, upper, .. } => {
                let ic = b.alloc_cursor();
                b.emit(Op::OpenRead { cursor: ic, db: index.db, root: Root::Page(index.root), kind: TreeKind::Index, key_info: Some(index.key_info.clone()) });
                let n_eq = eq.len();
                // An IN list (at most one) runs the search once per value:
                // `exit` then moves on to the next value.
                let mut in_loop = None;
                for (k, (v, aff)) in eq.iter().enumerate() {
                    if v.is_list() {
                        let list = v;
                        let coll = index.columns.get(k).map(|c| c.collation.clone()).unwrap_or(CollSeq::Binary);
                        let (eph, value, top) = super::where_::begin_in_loop(b, list, *aff, coll, done)?;
                        in_loop = Some((eph, value, top, b.new_label()));
                    }
                }
                let exit = in_loop.as_ref().map_or(done, |l| l.3);
                let done = exit;
                let key = b.alloc_regs(n_eq + 1);
                super::index_search::load_equalities(b, eq, *nulls, key, in_loop.as_ref().map(|l| l.1), done)?;
                let top = super::index_search::seek_and_stop(b, &super::index_search::Walk { ic, index, key, n_eq, lower: lower.as_ref(), upper: upper.as_ref(), backward: false }, done)?;
                let next = b.new_label();
                b.emit(Op::IdxRowid { cursor: ic, dest: rowid });
                enqueue(b, seen, queue, rowid, next);
                b.resolve(next);
                b.emit(Op::Next { cursor: ic, target: top });
                if let Some((eph, _, in_top, in_next)) = in_loop {
                    b.resolve(in_next);
                    b.emit(Op::Next { cursor: eph, target: in_top });
                }
            }
            _ => return Err(Error::code(crate::error::code::INTERNAL)),
        }
        b.resolve(done);
    }
    Ok(queue)
}

/// Queues `rowid` unless `seen` holds it; then goes on at `skip`.
fn enqueue(b: &mut Builder<'_>, seen: usize, queue: usize, rowid: Reg, skip: usize) {
    b.emit(Op::Found { cursor: seen, key: rowid, n: 1, target: skip });
    let rec = b.alloc_reg();
    b.emit(Op::MakeRecord { start: rowid, count: 1, dest: rec });
    b.emit(Op::IdxInsert { cursor: seen, key: rec });
    let slot = b.alloc_reg();
    b.emit(Op::NewRowid { cursor: queue, dest: slot });
    b.emit(Op::Insert { cursor: queue, record: rec, rowid: slot, count_change: false, set_last_rowid: false, hook: None });
}

/// The plan lines SQLite shows for the loop: `MULTI-INDEX OR`, then each
/// operand's search under `INDEX k`. `note` writes one search's line.
pub(super) fn note(b: &mut Builder<'_>, lv: &Level, arms: &[Plan], note: fn(&mut Builder<'_>, &Level, &Plan)) {
    let id = b.plan_note("MULTI-INDEX OR".to_string());
    let saved = b.plan_parent;
    for (k, arm) in arms.iter().enumerate() {
        b.plan_parent = id;
        let a = b.plan_note(format!("INDEX {}", k + 1));
        b.plan_parent = a;
        note(b, lv, arm);
    }
    b.plan_parent = saved;
}
