//! Window functions at run time: `Op::Window` turns the rows a windowed
//! SELECT collected into the same rows with one more column per window
//! function call.
//!
//! The code generator (`codegen/window.rs`) fills a transient table with
//! one record per row of the query before windowing: every value the
//! rest of the SELECT needs, the window functions' arguments and FILTER
//! terms, and the PARTITION BY and ORDER BY terms. `Op::Window` reads the
//! table, and for each pass (window functions sharing one PARTITION BY and
//! ORDER BY) sorts the rows by partition then order — a stable sort, so
//! equal keys keep the order the rows arrived in, as from SQLite's sorter —
//! and computes every call of the pass partition by partition. The rows go
//! back into the table in the order of the last pass, numbered from 1.
//!
//! Frames follow SQLite: ROWS, RANGE and GROUPS units, UNBOUNDED / offset
//! PRECEDING, CURRENT ROW, offset / UNBOUNDED FOLLOWING, and the EXCLUDE
//! options. An aggregate whose frame only grows reuses one accumulator;
//! one with an inverse (xInverse) slides it; any other recomputes its frame
//! for each row. The ranking functions (row_number, rank, dense_rank,
//! percent_rank, cume_dist, ntile) and lag/lead ignore the frame, as in
//! SQLite; first_value, last_value and nth_value read it.
//!
//! Invariant: a pass only writes its own output columns, so a later pass
//! reads the earlier ones like any other input column.

use std::cmp::Ordering;

use crate::collation::CollSeq;
use crate::connection::Connection;
use crate::error::{Error, Result};
use crate::func::Aggregate;
use crate::record;
use crate::util::TextEncoding;
use crate::value::Value;

use super::cursor::VCursor;
use super::mem::{self, Affinity};
use super::{FuncRef, Reg};

/// Everything one `Op::Window` computes.
#[derive(Debug)]
pub struct WindowPlan {
    /// Columns of each row as collected (the calls' results follow).
    pub n_in: usize,
    /// Applied in order; the rows leave in the order of the last.
    pub passes: Vec<WindowPass>,
}

/// Window function calls that share PARTITION BY and ORDER BY.
#[derive(Debug)]
pub struct WindowPass {
    pub partition: Vec<SortKey>,
    pub order: Vec<SortKey>,
    pub calls: Vec<WindowCall>,
}

/// One PARTITION BY or ORDER BY term: an input column and how it sorts.
#[derive(Debug)]
pub struct SortKey {
    pub col: usize,
    pub coll: CollSeq,
    pub desc: bool,
    pub nulls_first: bool,
}

/// One window function call.
#[derive(Debug)]
pub struct WindowCall {
    pub func: WindowFunc,
    /// Input columns holding the arguments.
    pub args: Vec<usize>,
    /// Input column holding the FILTER term.
    pub filter: Option<usize>,
    pub frame: Frame,
    /// The collation min()/max() compare text with.
    pub coll: Option<CollSeq>,
    /// The column the result goes to.
    pub out: usize,
}

/// The built-in window functions, or an aggregate used as one.
#[derive(Clone, Debug)]
pub enum WindowFunc {
    RowNumber,
    Rank,
    DenseRank,
    PercentRank,
    CumeDist,
    Ntile,
    Lag,
    Lead,
    FirstValue,
    LastValue,
    NthValue,
    Aggregate(FuncRef),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FrameUnits {
    Rows,
    Range,
    Groups,
}

/// A frame boundary; offsets are read from registers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FrameBound {
    UnboundedPreceding,
    Preceding(Reg),
    CurrentRow,
    Following(Reg),
    UnboundedFollowing,
}

/// The EXCLUDE clause. `None` (no clause) and `NoOthers` frame the same
/// rows, but as in SQLite only a frame without the clause is kept by
/// stepping and inverting one accumulator; with any EXCLUDE clause each
/// row's frame is aggregated afresh.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exclude {
    None,
    NoOthers,
    CurrentRow,
    Group,
    Ties,
}

#[derive(Clone, Copy, Debug)]
pub struct Frame {
    pub units: FrameUnits,
    pub start: FrameBound,
    pub end: FrameBound,
    pub exclude: Exclude,
}

/// A frame offset once checked: a row/group count or a RANGE distance.
#[derive(Clone, Copy)]
enum Offset {
    Count(i64),
    Distance(mem::Num),
}

/// The frame boundaries with their offsets read.
#[derive(Clone, Copy)]
enum Bound {
    UnboundedPreceding,
    Preceding(Offset),
    CurrentRow,
    Following(Offset),
    UnboundedFollowing,
}

/// Runs `plan` over the rows of the transient table `table`, in place.
pub fn run(plan: &WindowPlan, cursor: &mut VCursor, regs: &[Value], conn: &mut Connection, enc: TextEncoding) -> Result<()> {
    let VCursor::EphTable(table) = cursor else {
        return Err(Error::with_message(crate::error::code::INTERNAL, "window over a cursor that is not a transient table"));
    };
    let width = plan.n_in + plan.passes.iter().map(|p| p.calls.len()).sum::<usize>();
    let mut rows: Vec<Vec<Value>> = Vec::with_capacity(table.rows.len());
    for rec in table.rows.values() {
        let mut row = record::decode_all_in(rec, enc)?;
        row.resize(width, Value::Null);
        rows.push(row);
    }
    for pass in &plan.passes {
        run_pass(pass, &mut rows, regs, conn, enc)?;
    }
    table.rows.clear();
    table.pos = None;
    for (i, row) in rows.iter().enumerate() {
        table.rows.insert(i as i64 + 1, record::encode_values_in(row, enc));
    }
    Ok(())
}

fn compare_keys(keys: &[SortKey], a: &[Value], b: &[Value], enc: TextEncoding) -> Ordering {
    for k in keys {
        let o = mem::compare_sort_key(&a[k.col], &b[k.col], &k.coll, k.desc, k.nulls_first, enc);
        if o != Ordering::Equal {
            return o;
        }
    }
    Ordering::Equal
}

fn run_pass(pass: &WindowPass, rows: &mut [Vec<Value>], regs: &[Value], conn: &mut Connection, enc: TextEncoding) -> Result<()> {
    rows.sort_by(|a, b| compare_keys(&pass.partition, a, b, enc).then_with(|| compare_keys(&pass.order, a, b, enc)));
    let mut bounds: Option<Vec<(Bound, Bound)>> = None;
    let mut start = 0;
    while start < rows.len() {
        let mut end = start + 1;
        while end < rows.len() && compare_keys(&pass.partition, &rows[start], &rows[end], enc) == Ordering::Equal {
            end += 1;
        }
        // Offsets are checked when the first partition starts, as SQLite
        // does: a query with no rows never reads them.
        let b = match &bounds {
            Some(b) => b,
            None => bounds.insert(pass.calls.iter().map(|c| read_bounds(c, regs)).collect::<Result<Vec<_>>>()?),
        };
        let part = &mut rows[start..end];
        let peers = Peers::new(&pass.order, part, enc);
        for (call, &(lo, hi)) in pass.calls.iter().zip(b.iter()) {
            compute_call(call, lo, hi, pass, part, &peers, conn, enc)?;
        }
        start = end;
    }
    Ok(())
}

/// Peer groups of a sorted partition: rows with equal ORDER BY terms.
struct Peers {
    /// Group number of each row.
    group: Vec<usize>,
    /// First and last row of each group.
    first: Vec<usize>,
    last: Vec<usize>,
}

impl Peers {
    fn new(order: &[SortKey], part: &[Vec<Value>], enc: TextEncoding) -> Peers {
        let mut p = Peers { group: Vec::with_capacity(part.len()), first: Vec::new(), last: Vec::new() };
        for i in 0..part.len() {
            if i == 0 || compare_keys(order, &part[i - 1], &part[i], enc) != Ordering::Equal {
                if i > 0 {
                    p.last.push(i - 1);
                }
                p.first.push(i);
            }
            p.group.push(p.first.len() - 1);
        }
        if !part.is_empty() {
            p.last.push(part.len() - 1);
        }
        p
    }
    fn first_of(&self, i: usize) -> usize {
        self.first[self.group[i]]
    }
    fn last_of(&self, i: usize) -> usize {
        self.last[self.group[i]]
    }
}

fn read_bounds(call: &WindowCall, regs: &[Value]) -> Result<(Bound, Bound)> {
    if !matches!(call.func, WindowFunc::Aggregate(_) | WindowFunc::FirstValue | WindowFunc::LastValue | WindowFunc::NthValue) {
        return Ok((Bound::UnboundedPreceding, Bound::CurrentRow));
    }
    let f = &call.frame;
    let read = |b: FrameBound, starting: bool| -> Result<Bound> {
        Ok(match b {
            FrameBound::UnboundedPreceding => Bound::UnboundedPreceding,
            FrameBound::CurrentRow => Bound::CurrentRow,
            FrameBound::UnboundedFollowing => Bound::UnboundedFollowing,
            FrameBound::Preceding(r) => Bound::Preceding(offset(regs.get(r), f.units, starting)?),
            FrameBound::Following(r) => Bound::Following(offset(regs.get(r), f.units, starting)?),
        })
    };
    Ok((read(f.start, true)?, read(f.end, false)?))
}

/// Checks a frame offset: a non-negative integer for ROWS and GROUPS, a
/// non-negative number for RANGE, with SQLite's messages.
fn offset(v: Option<&Value>, units: FrameUnits, starting: bool) -> Result<Offset> {
    let which = if starting { "starting" } else { "ending" };
    let v = v.cloned().unwrap_or(Value::Null);
    if units == FrameUnits::Range {
        let bad = || Error::sql(format!("frame {which} offset must be a non-negative number"));
        let n = match mem::apply_affinity(v, Affinity::Numeric) {
            Value::Integer(i) => mem::Num::Int(i),
            Value::Real(r) => mem::Num::Real(r),
            _ => return Err(bad()),
        };
        let negative = match n {
            mem::Num::Int(i) => i < 0,
            mem::Num::Real(r) => r < 0.0 || r.is_nan(),
        };
        if negative {
            return Err(bad());
        }
        return Ok(Offset::Distance(n));
    }
    match mem::apply_affinity(v, Affinity::Integer) {
        Value::Integer(i) if i >= 0 => Ok(Offset::Count(i)),
        _ => Err(Error::sql(format!("frame {which} offset must be a non-negative integer"))),
    }
}

/// The frame of row `i`: the rows `s..=e` (empty when e < s), before
/// exclusions.
fn frame_of(i: usize, lo: Bound, hi: Bound, call: &WindowCall, pass: &WindowPass, part: &[Vec<Value>], peers: &Peers, enc: TextEncoding) -> (i64, i64) {
    let n = part.len() as i64;
    let ii = i as i64;
    let g = peers.group[i] as i64;
    let ng = peers.first.len() as i64;
    let count = |o: Offset| match o {
        Offset::Count(c) => c,
        Offset::Distance(_) => 0,
    };
    let s = match (call.frame.units, lo) {
        (_, Bound::UnboundedPreceding) => 0,
        (FrameUnits::Rows, Bound::CurrentRow) => ii,
        (_, Bound::CurrentRow) => peers.first_of(i) as i64,
        (FrameUnits::Rows, Bound::Preceding(o)) => ii.saturating_sub(count(o)),
        (FrameUnits::Rows, Bound::Following(o)) => ii.saturating_add(count(o)),
        (FrameUnits::Groups, Bound::Preceding(o)) => peers.first[g.saturating_sub(count(o)).max(0) as usize] as i64,
        (FrameUnits::Groups, Bound::Following(o)) => {
            let t = g.saturating_add(count(o));
            if t < ng {
                peers.first[t as usize] as i64
            } else {
                n
            }
        }
        (FrameUnits::Range, Bound::Preceding(o)) => range_start(i, o, true, pass, part, peers, enc),
        (FrameUnits::Range, Bound::Following(o)) => range_start(i, o, false, pass, part, peers, enc),
        (_, Bound::UnboundedFollowing) => n,
    };
    let e = match (call.frame.units, hi) {
        (_, Bound::UnboundedFollowing) => n - 1,
        (FrameUnits::Rows, Bound::CurrentRow) => ii,
        (_, Bound::CurrentRow) => peers.last_of(i) as i64,
        (FrameUnits::Rows, Bound::Preceding(o)) => ii.saturating_sub(count(o)),
        (FrameUnits::Rows, Bound::Following(o)) => ii.saturating_add(count(o)),
        (FrameUnits::Groups, Bound::Preceding(o)) => {
            let t = g.saturating_sub(count(o));
            if t >= 0 {
                peers.last[t as usize] as i64
            } else {
                -1
            }
        }
        (FrameUnits::Groups, Bound::Following(o)) => peers.last[g.saturating_add(count(o)).min(ng - 1) as usize] as i64,
        (FrameUnits::Range, Bound::Preceding(o)) => range_end(i, o, true, pass, part, peers, enc),
        (FrameUnits::Range, Bound::Following(o)) => range_end(i, o, false, pass, part, peers, enc),
        (_, Bound::UnboundedPreceding) => -1,
    };
    (s.clamp(0, n), e.clamp(-1, n - 1))
}

/// The ORDER BY value `distance` before (`preceding`) or after row `i`'s,
/// in the direction of the sort; None when row i's value is not a number
/// (then only its peers are in range, as in SQLite).
fn range_target(i: usize, distance: Offset, preceding: bool, key: &SortKey, part: &[Vec<Value>]) -> Option<Value> {
    let Offset::Distance(d) = distance else { return None };
    let v = &part[i][key.col];
    let cur = match v {
        Value::Integer(x) => mem::Num::Int(*x),
        Value::Real(x) => mem::Num::Real(*x),
        _ => return None,
    };
    let subtract = preceding != key.desc;
    Some(match (cur, d) {
        (mem::Num::Int(a), mem::Num::Int(b)) => {
            let r = if subtract { a.checked_sub(b) } else { a.checked_add(b) };
            match r {
                Some(x) => Value::Integer(x),
                None => Value::Real(if subtract { a as f64 - b as f64 } else { a as f64 + b as f64 }),
            }
        }
        (a, b) => {
            let (a, b) = (num_f64(a), num_f64(b));
            Value::Real(if subtract { a - b } else { a + b })
        }
    })
}

fn num_f64(n: mem::Num) -> f64 {
    match n {
        mem::Num::Int(i) => i as f64,
        mem::Num::Real(r) => r,
    }
}

/// Where `v` sorts against the target under `key` (NULLs and direction
/// included).
fn cmp_to(v: &Value, target: &Value, key: &SortKey, enc: TextEncoding) -> Ordering {
    mem::compare_sort_key(v, target, &key.coll, key.desc, key.nulls_first, enc)
}

fn range_start(i: usize, o: Offset, preceding: bool, pass: &WindowPass, part: &[Vec<Value>], peers: &Peers, enc: TextEncoding) -> i64 {
    let Some(key) = pass.order.first() else { return 0 };
    match range_target(i, o, preceding, key, part) {
        None => peers.first_of(i) as i64,
        Some(t) => part.partition_point(|r| cmp_to(&r[key.col], &t, key, enc) == Ordering::Less) as i64,
    }
}

fn range_end(i: usize, o: Offset, preceding: bool, pass: &WindowPass, part: &[Vec<Value>], peers: &Peers, enc: TextEncoding) -> i64 {
    let Some(key) = pass.order.first() else { return part.len() as i64 - 1 };
    match range_target(i, o, preceding, key, part) {
        None => peers.last_of(i) as i64,
        Some(t) => part.partition_point(|r| cmp_to(&r[key.col], &t, key, enc) != Ordering::Greater) as i64 - 1,
    }
}

/// The rows of a frame once EXCLUDE has removed some: at most three
/// runs, in order.
fn frame_rows(i: usize, s: i64, e: i64, exclude: Exclude, peers: &Peers) -> Vec<usize> {
    if e < s {
        return Vec::new();
    }
    let (s, e) = (s as usize, e as usize);
    let (cut_lo, cut_hi, keep) = match exclude {
        Exclude::None | Exclude::NoOthers => return (s..=e).collect(),
        Exclude::CurrentRow => (i, i, None),
        Exclude::Group => (peers.first_of(i), peers.last_of(i), None),
        Exclude::Ties => (peers.first_of(i), peers.last_of(i), Some(i)),
    };
    (s..=e).filter(|&r| r < cut_lo || r > cut_hi || keep == Some(r)).collect()
}

fn is_true(v: &Value) -> bool {
    mem::to_bool(v.as_ref()).unwrap_or(false)
}

fn args_of(call: &WindowCall, row: &[Value]) -> Vec<Value> {
    call.args.iter().map(|&c| row[c].clone()).collect()
}

/// A fresh accumulator for an aggregate used as a window function.
fn new_aggregate(func: &FuncRef) -> Result<Box<dyn Aggregate>> {
    match func {
        FuncRef::Builtin(def) => match def.kind {
            crate::func::FuncKind::Aggregate(factory) => Ok(factory()),
            crate::func::FuncKind::Scalar(_) => Err(Error::sql(format!("{}() may not be used as a window function", def.name))),
        },
        FuncRef::User(u) => match &u.imp {
            Some(imp) if imp.is_aggregate() => Ok(imp.start()),
            _ => Err(Error::sql(format!("{}() may not be used as a window function", u.name))),
        },
    }
}

#[allow(clippy::too_many_arguments)]
fn compute_call(call: &WindowCall, lo: Bound, hi: Bound, pass: &WindowPass, part: &mut [Vec<Value>], peers: &Peers, conn: &mut Connection, enc: TextEncoding) -> Result<()> {
    let n = part.len();
    match &call.func {
        WindowFunc::RowNumber => (0..n).for_each(|i| part[i][call.out] = Value::Integer(i as i64 + 1)),
        WindowFunc::Rank => (0..n).for_each(|i| part[i][call.out] = Value::Integer(peers.first_of(i) as i64 + 1)),
        WindowFunc::DenseRank => (0..n).for_each(|i| part[i][call.out] = Value::Integer(peers.group[i] as i64 + 1)),
        WindowFunc::PercentRank => (0..n).for_each(|i| {
            let r = if n > 1 { peers.first_of(i) as f64 / (n - 1) as f64 } else { 0.0 };
            part[i][call.out] = Value::Real(r);
        }),
        WindowFunc::CumeDist => (0..n).for_each(|i| part[i][call.out] = Value::Real((peers.last_of(i) + 1) as f64 / n as f64)),
        WindowFunc::Ntile => {
            for i in 0..n {
                let buckets = call.args.first().map(|&c| mem::to_integer(part[i][c].as_ref())).unwrap_or(0);
                if buckets <= 0 {
                    return Err(Error::sql("argument of ntile must be a positive integer"));
                }
                part[i][call.out] = Value::Integer(ntile(i as i64, n as i64, buckets));
            }
        }
        WindowFunc::Lag | WindowFunc::Lead => {
            let lag = matches!(call.func, WindowFunc::Lag);
            for i in 0..n {
                let off = match call.args.get(1) {
                    None => Some(1),
                    Some(&c) => match &part[i][c] {
                        Value::Null => None,
                        v => Some(mem::to_integer(v.as_ref())),
                    },
                };
                let j = off.and_then(|o| if lag { (i as i64).checked_sub(o) } else { (i as i64).checked_add(o) });
                let v = match j {
                    Some(j) if j >= 0 && (j as usize) < n => call.args.first().map(|&c| part[j as usize][c].clone()).unwrap_or(Value::Null),
                    _ => call.args.get(2).map(|&c| part[i][c].clone()).unwrap_or(Value::Null),
                };
                part[i][call.out] = v;
            }
        }
        WindowFunc::FirstValue | WindowFunc::LastValue | WindowFunc::NthValue => {
            let arg = call.args.first().copied();
            for i in 0..n {
                let (s, e) = frame_of(i, lo, hi, call, pass, part, peers, enc);
                let rows = frame_rows(i, s, e, call.frame.exclude, peers);
                let pick = match call.func {
                    WindowFunc::FirstValue => rows.first().copied(),
                    WindowFunc::LastValue => rows.last().copied(),
                    _ => {
                        let nth = call.args.get(1).map(|&c| part[i][c].clone()).unwrap_or(Value::Null);
                        let k = match mem::apply_affinity(nth, Affinity::Integer) {
                            Value::Integer(k) if k > 0 => k,
                            _ => return Err(Error::sql("second argument to nth_value must be a positive integer")),
                        };
                        usize::try_from(k - 1).ok().and_then(|k| rows.get(k).copied())
                    }
                };
                part[i][call.out] = match (pick, arg) {
                    (Some(r), Some(c)) => part[r][c].clone(),
                    _ => Value::Null,
                };
            }
        }
        WindowFunc::Aggregate(func) => aggregate(call, func, lo, hi, pass, part, peers, conn, enc)?,
    }
    Ok(())
}

/// SQLite's ntile: the first `n % buckets` buckets hold one row more.
fn ntile(i: i64, n: i64, buckets: i64) -> i64 {
    let size = n / buckets;
    let large = n - buckets * size;
    if size == 0 {
        return i + 1;
    }
    let boundary = large * (size + 1);
    if i < boundary {
        i / (size + 1) + 1
    } else {
        (i - boundary) / size + large + 1
    }
}

#[allow(clippy::too_many_arguments)]
fn aggregate(call: &WindowCall, func: &FuncRef, lo: Bound, hi: Bound, pass: &WindowPass, part: &mut [Vec<Value>], peers: &Peers, conn: &mut Connection, enc: TextEncoding) -> Result<()> {
    let n = part.len();
    let counts = |row: &[Value]| call.filter.is_none_or(|c| is_true(&row[c]));
    let growing = matches!(lo, Bound::UnboundedPreceding);
    if call.frame.exclude == Exclude::None && !growing {
        if let FuncRef::Builtin(d) = func {
            if call.args.len() == 1 && (d.name == "min" || d.name == "max") {
                return sliding_min_max(call, d.name == "max", lo, hi, pass, part, peers, enc);
            }
        }
    }
    let mut acc = new_aggregate(func)?;
    let incremental = call.frame.exclude == Exclude::None && (growing || acc.has_inverse());
    if incremental {
        // As in SQLite, every row from the partition's start up to the
        // frame's end has been stepped and every row before the frame's
        // start inverted: the accumulator holds rows `inverted..stepped`.
        // (A sum stays REAL once a REAL went through it, and
        // group_concat's separators depend on the order of the calls.)
        // With a FOLLOWING start SQLite steps before it inverts; else the
        // rows leaving go first.
        let step_first = matches!(lo, Bound::Following(_));
        let (mut inverted, mut stepped) = (0usize, 0usize);
        let mut last: Option<(usize, usize)> = None;
        for i in 0..n {
            let (s, e) = frame_of(i, lo, hi, call, pass, part, peers, enc);
            let (s, t) = (s as usize, (e + 1).max(0) as usize);
            // Rows sharing a frame (peers, or the whole partition) share
            // one xValue call, as in SQLite.
            if last == Some((s, t)) && i > 0 {
                part[i][call.out] = part[i - 1][call.out].clone();
                continue;
            }
            last = Some((s, t));
            let mut env = conn.func_env_with(call.coll.clone());
            for round in 0..3 {
                let stepping = (round == 1) != step_first;
                if stepping {
                    for r in stepped..t {
                        if counts(&part[r]) {
                            acc.step(&args_of(call, &part[r]), &mut env)?;
                        }
                    }
                    stepped = stepped.max(t);
                } else {
                    let to = s.min(stepped);
                    for r in inverted..to {
                        if counts(&part[r]) {
                            acc.inverse(&args_of(call, &part[r]), &mut env)?;
                        }
                    }
                    inverted = inverted.max(to);
                }
            }
            part[i][call.out] = acc.value(&mut env)?;
        }
        // SQLite ends each partition with xFinal; what it returns (or
        // raises) is not used.
        let mut env = conn.func_env_with(call.coll.clone());
        let _ = acc.finalize(&mut env);
        return Ok(());
    }
    drop(acc);
    for i in 0..n {
        let (s, e) = frame_of(i, lo, hi, call, pass, part, peers, enc);
        let rows = frame_rows(i, s, e, call.frame.exclude, peers);
        let mut acc = new_aggregate(func)?;
        let mut env = conn.func_env_with(call.coll.clone());
        for r in rows {
            if counts(&part[r]) {
                acc.step(&args_of(call, &part[r]), &mut env)?;
            }
        }
        let v = acc.value(&mut env)?;
        let _ = acc.finalize(&mut env);
        part[i][call.out] = v;
    }
    Ok(())
}

/// min()/max() over a frame that also loses rows. SQLite keeps such a
/// frame's values in an index ordered by value then arrival, and answers
/// with its last entry: among values equal under the collation, the one
/// that entered the frame last wins (a plain min()/max() keeps the first).
#[allow(clippy::too_many_arguments)]
fn sliding_min_max(call: &WindowCall, want_max: bool, lo: Bound, hi: Bound, pass: &WindowPass, part: &mut [Vec<Value>], peers: &Peers, enc: TextEncoding) -> Result<()> {
    let coll = call.coll.clone().unwrap_or(CollSeq::Binary);
    for i in 0..part.len() {
        let (s, e) = frame_of(i, lo, hi, call, pass, part, peers, enc);
        let mut best: Option<usize> = None;
        if e >= s {
            for r in s as usize..=e as usize {
                let row = &part[r];
                if call.filter.is_some_and(|c| !is_true(&row[c])) {
                    continue;
                }
                let v = &row[call.args[0]];
                if v.is_null() {
                    continue;
                }
                let better = match best {
                    None => true,
                    Some(b) => {
                        let o = mem::compare_in(v.as_ref(), part[b][call.args[0]].as_ref(), &coll, enc);
                        o == Ordering::Equal || (o == Ordering::Greater) == want_max
                    }
                };
                if better {
                    best = Some(r);
                }
            }
        }
        part[i][call.out] = best.map_or(Value::Null, |b| part[b][call.args[0]].clone());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::ntile;

    #[test]
    fn ntile_spreads_the_remainder_over_the_first_buckets() {
        let got: Vec<i64> = (0..8).map(|i| ntile(i, 8, 3)).collect();
        assert_eq!(got, vec![1, 1, 1, 2, 2, 2, 3, 3]);
        let more: Vec<i64> = (0..3).map(|i| ntile(i, 3, 20)).collect();
        assert_eq!(more, vec![1, 2, 3]);
        let even: Vec<i64> = (0..4).map(|i| ntile(i, 4, 2)).collect();
        assert_eq!(even, vec![1, 1, 2, 2]);
    }
}
