//! Window functions in a SELECT: `f(args) [FILTER (WHERE x)] OVER (...)`
//! in the result columns or the ORDER BY.
//!
//! A windowed SELECT is compiled in three steps, the shape SQLite gives it
//! by moving the query into a subquery:
//!
//! 1. The loops (and GROUP BY / HAVING, when the query aggregates) run as
//!    usual, but each row they produce is a record of *needed values* put
//!    into a transient table: every largest part of a result column or
//!    ORDER BY term that holds no window call, and each call's arguments,
//!    FILTER term, PARTITION BY and ORDER BY terms.
//! 2. `Op::Window` (see `vdbe::window`) sorts those rows per window and
//!    adds one column per call.
//! 3. A loop over the table evaluates the result columns and the ORDER BY
//!    with the needed values and the calls' results read from registers
//!    (the code generator's expression substitution), then goes through
//!    the usual output stage: DISTINCT, ORDER BY, LIMIT and OFFSET.
//!
//! Invariants: a window call appears in a result column or an ORDER BY
//! term only, never inside another window call or an aggregate's
//! arguments (SQLite's "misuse of window function"); calls that share a
//! PARTITION BY and ORDER BY are computed in one pass, and the rows leave
//! in the order of the window first named, as in SQLite.

use std::borrow::Cow;
use std::sync::Arc;

use crate::collation::CollSeq;
use crate::error::{Error, Result};
use crate::parse::ast::{self, Expr, FrameBound, FrameExclude, FrameUnits, FunctionArgs, FunctionCall, OrderingTerm, Over, SelectBody, WindowDef};
use crate::vdbe::window::{self as vw, WindowCall, WindowFunc, WindowPass, WindowPlan};
use crate::vdbe::{FuncRef, Op};

use super::expr::{contains_aggregate, is_aggregate_call, walk};
use super::aggregate::{compile_aggregate, Grouping};
use super::select::{emit_row, eval_sort_keys, Output};
use super::where_::{self, Level};
use super::Builder;

/// Whether `e` is itself a window function call.
fn is_window_call(e: &Expr) -> bool {
    matches!(e, Expr::Function(f) if f.over.is_some())
}

/// Whether `e` calls a window function (not looking into subqueries).
pub(crate) fn contains_window(e: &Expr) -> bool {
    let mut found = false;
    walk(e, &mut |x| {
        if is_window_call(x) {
            found = true;
        }
        !found
    });
    found
}

/// True when a result column or an ORDER BY term calls a window function.
pub(super) fn has_window(results: &[(Cow<'_, Expr>, String)], order_terms: &[(Expr, OrderingTerm)]) -> bool {
    results.iter().any(|(e, _)| contains_window(e)) || order_terms.iter().any(|(e, _)| contains_window(e))
}

/// The functions that exist only as window functions, with the argument
/// counts they take.
fn builtin_window(name: &str, n: usize) -> Option<WindowFunc> {
    let lower = name.to_ascii_lowercase();
    Some(match (lower.as_str(), n) {
        ("row_number", 0) => WindowFunc::RowNumber,
        ("rank", 0) => WindowFunc::Rank,
        ("dense_rank", 0) => WindowFunc::DenseRank,
        ("percent_rank", 0) => WindowFunc::PercentRank,
        ("cume_dist", 0) => WindowFunc::CumeDist,
        ("ntile", 1) => WindowFunc::Ntile,
        ("lag", 1..=3) => WindowFunc::Lag,
        ("lead", 1..=3) => WindowFunc::Lead,
        ("first_value", 1) => WindowFunc::FirstValue,
        ("last_value", 1) => WindowFunc::LastValue,
        ("nth_value", 2) => WindowFunc::NthValue,
        _ => return None,
    })
}

/// Whether `name` is one of the window-only functions (whatever the
/// argument count): called without OVER it is a misuse, not an unknown
/// function.
pub(crate) fn is_window_only(name: &str) -> bool {
    ["row_number", "rank", "dense_rank", "percent_rank", "cume_dist", "ntile", "lag", "lead", "first_value", "last_value", "nth_value"]
        .iter()
        .any(|n| n.eq_ignore_ascii_case(name))
}

fn push_unique(list: &mut Vec<Expr>, e: &Expr) -> usize {
    match list.iter().position(|x| x == e) {
        Some(i) => i,
        None => {
            list.push(e.clone());
            list.len() - 1
        }
    }
}

/// The name of the first window function called inside `e`.
fn first_window_name(e: &Expr) -> String {
    let mut name = None;
    walk(e, &mut |x| {
        if let Expr::Function(f) = x {
            if f.over.is_some() && name.is_none() {
                name = Some(f.name.clone());
            }
        }
        name.is_none()
    });
    name.unwrap_or_default()
}

fn misuse(e: &Expr) -> Error {
    Error::sql(format!("misuse of window function {}()", first_window_name(e)))
}

/// Splits `e` into window calls and the largest window-free parts.
fn split(e: &Expr, needed: &mut Vec<Expr>, calls: &mut Vec<Expr>) -> Result<()> {
    if !contains_window(e) {
        push_unique(needed, e);
        return Ok(());
    }
    if is_window_call(e) {
        push_unique(calls, e);
        return Ok(());
    }
    if is_aggregate_call(e) {
        return Err(misuse(e));
    }
    let mut err = None;
    walk(e, &mut |x| {
        if std::ptr::eq(x, e) {
            return true;
        }
        if err.is_none() {
            if let Err(x) = split(x, needed, calls) {
                err = Some(x);
            }
        }
        false
    });
    match err {
        Some(x) => Err(x),
        None => Ok(()),
    }
}

/// The named window `name` of the WINDOW clause, its base applied.
fn named_window(name: &str, named: &[(String, WindowDef)]) -> Result<WindowDef> {
    let Some(i) = named.iter().position(|(n, _)| n.eq_ignore_ascii_case(name)) else {
        return Err(Error::sql(format!("no such window: {name}")));
    };
    chain(&named[i].1, &named[..i])
}

/// `def` with its base window (`OVER (base ORDER BY ...)`) applied, with
/// SQLite's rules on what may be overridden.
fn chain(def: &WindowDef, named: &[(String, WindowDef)]) -> Result<WindowDef> {
    let Some(base_name) = &def.base else { return Ok(def.clone()) };
    let base = named_window(base_name, named)?;
    let what = if !def.partition_by.is_empty() {
        Some("PARTITION clause")
    } else if !base.order_by.is_empty() && !def.order_by.is_empty() {
        Some("ORDER BY clause")
    } else if base.frame.is_some() {
        Some("frame specification")
    } else {
        None
    };
    if let Some(w) = what {
        return Err(Error::sql(format!("cannot override {w} of window: {base_name}")));
    }
    Ok(WindowDef {
        base: None,
        partition_by: base.partition_by,
        order_by: if def.order_by.is_empty() { base.order_by } else { def.order_by.clone() },
        frame: def.frame.clone(),
    })
}

/// One window call, resolved.
struct Call {
    expr: Expr,
    func: WindowFunc,
    args: Vec<Expr>,
    filter: Option<Expr>,
    def: WindowDef,
    /// The frame as SQLite compares windows: the ranking functions and
    /// lag/lead have theirs fixed whatever was written.
    frame: FrameKey,
    coll: Option<CollSeq>,
}

/// A window's frame for deciding which calls share a pass (SQLite's
/// sqlite3WindowCompare): units, both bounds with their offset
/// expressions, and the EXCLUDE clause as written.
#[derive(Clone, PartialEq)]
struct FrameKey {
    units: FrameUnits,
    start: FrameBound,
    end: FrameBound,
    exclude: Option<FrameExclude>,
}

fn frame_key(func: &WindowFunc, def: &WindowDef) -> FrameKey {
    use FrameBound::{CurrentRow as Cr, UnboundedFollowing as Uf, UnboundedPreceding as Up};
    let fixed = |units, start, end| FrameKey { units, start, end, exclude: None };
    match func {
        WindowFunc::RowNumber | WindowFunc::Lag => fixed(FrameUnits::Rows, Up, Cr),
        WindowFunc::Rank | WindowFunc::DenseRank => fixed(FrameUnits::Range, Up, Cr),
        WindowFunc::PercentRank => fixed(FrameUnits::Groups, Cr, Uf),
        WindowFunc::CumeDist => fixed(FrameUnits::Groups, FrameBound::Following(Expr::Literal(ast::Literal::Number("1".to_string()))), Uf),
        WindowFunc::Ntile => fixed(FrameUnits::Rows, Cr, Uf),
        WindowFunc::Lead => fixed(FrameUnits::Rows, Up, Uf),
        _ => match &def.frame {
            None => fixed(FrameUnits::Range, Up, Cr),
            Some(f) => FrameKey { units: f.units, start: f.start.clone(), end: f.end.clone().unwrap_or(Cr), exclude: f.exclude },
        },
    }
}

fn resolve_call(b: &mut Builder<'_>, e: &Expr, body: &SelectBody) -> Result<Call> {
    let Expr::Function(f) = e else { return Err(Error::with_message(crate::error::code::INTERNAL, "not a window call")) };
    let FunctionCall { name, distinct, args, filter, over, .. } = f.as_ref();
    let args: Vec<Expr> = match args {
        FunctionArgs::Star => Vec::new(),
        FunctionArgs::List(a) => a.clone(),
    };
    let def = match over {
        Some(Over::Name(n)) => named_window(n, &body.windows)?,
        Some(Over::Window(d)) => chain(d, &body.windows)?,
        None => return Err(Error::with_message(crate::error::code::INTERNAL, "window call without OVER")),
    };
    let func = match crate::func::user::find_function(name, args.len()) {
        crate::func::user::Found::User(u) => match &u.imp {
            Some(imp) if imp.is_aggregate() && imp.is_window() => WindowFunc::Aggregate(FuncRef::User(u.clone())),
            _ => return Err(Error::sql(format!("{name}() may not be used as a window function"))),
        },
        crate::func::user::Found::Builtin(d) if d.is_aggregate() => WindowFunc::Aggregate(FuncRef::Builtin(d)),
        crate::func::user::Found::Builtin(_) => return Err(Error::sql(format!("{name}() may not be used as a window function"))),
        crate::func::user::Found::None => match builtin_window(name, args.len()) {
            Some(w) => w,
            None if !is_window_only(name) && crate::func::builtins().iter().any(|d| d.name.eq_ignore_ascii_case(name) && !d.is_aggregate()) => {
                return Err(Error::sql(format!("{name}() may not be used as a window function")))
            }
            None if is_window_only(name) || crate::func::user::function_exists(name) => {
                return Err(Error::sql(format!("wrong number of arguments to function {name}()")))
            }
            None => return Err(Error::sql(format!("no such function: {name}"))),
        },
    };
    if *distinct {
        return Err(Error::sql("DISTINCT is not supported for window functions"));
    }
    if filter.is_some() && !matches!(func, WindowFunc::Aggregate(_)) {
        return Err(Error::sql("FILTER clause may only be used with aggregate window functions"));
    }
    if let Some(fr) = &def.frame {
        let has_offset = |b: &FrameBound| matches!(b, FrameBound::Preceding(_) | FrameBound::Following(_));
        if fr.units == FrameUnits::Range && (has_offset(&fr.start) || fr.end.as_ref().is_some_and(has_offset)) && def.order_by.len() != 1 {
            return Err(Error::sql("RANGE with offset PRECEDING/FOLLOWING requires one ORDER BY expression"));
        }
        let end = fr.end.as_ref().unwrap_or(&FrameBound::CurrentRow);
        let bad = matches!((&fr.start, end), (FrameBound::CurrentRow, FrameBound::Preceding(_)) | (FrameBound::Following(_), FrameBound::Preceding(_) | FrameBound::CurrentRow));
        if bad {
            return Err(Error::sql("unsupported frame specification"));
        }
    }
    for x in args.iter().chain(filter.iter()).chain(def.partition_by.iter()).chain(def.order_by.iter().map(|t| &t.expr)) {
        if contains_window(x) {
            return Err(misuse(x));
        }
    }
    let coll = match &func {
        WindowFunc::Aggregate(fr) => b.function_collation(fr, &args)?,
        _ => None,
    };
    let frame = frame_key(&func, &def);
    Ok(Call { expr: e.clone(), func, args, filter: filter.clone(), def, frame, coll })
}

/// Compiles the loops and output of a windowed SELECT (see the module
/// comment). `results` and `sort_keys` are the select's result columns
/// and ORDER BY keys; `out` its output stage.
pub(super) fn compile(
    b: &mut Builder<'_>,
    body: &SelectBody,
    levels: &[Level],
    terms: &[Expr],
    results: &[(Cow<'_, Expr>, String)],
    sort_keys: &[(Expr, bool, Option<bool>)],
    out: &Output,
) -> Result<()> {
    // Needed values and calls, in a fixed order.
    let mut needed: Vec<Expr> = Vec::new();
    let mut call_exprs: Vec<Expr> = Vec::new();
    for (e, _) in results {
        split(e, &mut needed, &mut call_exprs)?;
    }
    for (e, _, _) in sort_keys {
        split(e, &mut needed, &mut call_exprs)?;
    }
    let mut calls = Vec::with_capacity(call_exprs.len());
    for e in &call_exprs {
        calls.push(resolve_call(b, e, body)?);
    }
    // Passes: calls whose windows SQLite finds identical (PARTITION BY,
    // ORDER BY and frame), in order of first appearance. SQLite nests a
    // subquery per such group, the first outermost, each sorting the rows
    // the inner one produced: ties keep that order.
    let mut groups: Vec<(Vec<Expr>, Vec<OrderingTerm>, Vec<usize>)> = Vec::new();
    let mut group_frames: Vec<FrameKey> = Vec::new();
    for (i, c) in calls.iter().enumerate() {
        let found = groups.iter().zip(&group_frames).position(|((p, o, _), f)| *p == c.def.partition_by && *o == c.def.order_by && *f == c.frame);
        match found {
            Some(g) => groups[g].2.push(i),
            None => {
                groups.push((c.def.partition_by.clone(), c.def.order_by.clone(), vec![i]));
                group_frames.push(c.frame.clone());
            }
        }
    }
    // Input columns for each call and pass.
    let mut arg_cols: Vec<(Vec<usize>, Option<usize>)> = Vec::with_capacity(calls.len());
    for c in &calls {
        let args = c.args.iter().map(|a| push_unique(&mut needed, a)).collect();
        let filter = c.filter.as_ref().map(|f| push_unique(&mut needed, f));
        arg_cols.push((args, filter));
    }
    let mut key_cols: Vec<(Vec<usize>, Vec<usize>)> = Vec::with_capacity(groups.len());
    for (p, o, _) in &groups {
        let pc = p.iter().map(|e| push_unique(&mut needed, e)).collect();
        let oc = o.iter().map(|t| push_unique(&mut needed, &t.expr)).collect();
        key_cols.push((pc, oc));
    }
    let n_in = needed.len();

    // EXPLAIN QUERY PLAN as SQLite words it: the query before windowing
    // is a co-routine subquery (numbered after the statement's own
    // select), sorted when a window orders or partitions.
    b.subquery_count += 1;
    let sub_id = b.subquery_count + 1;
    let coroutine = b.plan_note(format!("CO-ROUTINE (subquery-{sub_id})"));
    let saved_parent = std::mem::replace(&mut b.plan_parent, coroutine);
    let r = collect_rows(b, body, levels, terms, &needed, n_in);
    if r.is_ok() && groups.iter().any(|(p, o, _)| !p.is_empty() || !o.is_empty()) {
        b.plan_note("USE TEMP B-TREE FOR ORDER BY".to_string());
    }
    b.plan_parent = saved_parent;
    let table = r?;
    b.plan_note(format!("SCAN (subquery-{sub_id})"));

    let mut passes = Vec::with_capacity(groups.len());
    let mut out_col = n_in;
    let mut out_of_call = vec![0usize; calls.len()];
    for (gi, (_, order, members)) in groups.iter().enumerate() {
        let (pc, oc) = &key_cols[gi];
        let mut partition = Vec::with_capacity(pc.len());
        for (e, &col) in groups[gi].0.iter().zip(pc) {
            partition.push(vw::SortKey { col, coll: b.expr_coll_seq(e)?, desc: false, nulls_first: true });
        }
        let mut order_keys = Vec::with_capacity(oc.len());
        for (t, &col) in order.iter().zip(oc) {
            let (coll, desc, nulls_first) = b.sort_term(t)?;
            order_keys.push(vw::SortKey { col, coll, desc, nulls_first });
        }
        let mut pass_calls = Vec::with_capacity(members.len());
        for &ci in members {
            let c = &calls[ci];
            let frame = frame_of(b, &c.def)?;
            out_of_call[ci] = out_col;
            pass_calls.push(WindowCall {
                func: c.func.clone(),
                args: arg_cols[ci].0.clone(),
                filter: arg_cols[ci].1,
                frame,
                coll: c.coll.clone(),
                out: out_col,
            });
            out_col += 1;
        }
        passes.push(WindowPass { partition, order: order_keys, calls: pass_calls });
    }
    // The rows leave in the order of the first window: its pass runs last.
    passes.reverse();
    b.emit(Op::Window { cursor: table, plan: Arc::new(WindowPlan { n_in, passes }) });

    // 3. The output, from the windowed rows.
    let width = out_col;
    let done = b.new_label();
    b.emit(Op::Rewind { cursor: table, target: done });
    let top = b.addr();
    let regs = b.alloc_regs(width);
    for i in 0..width {
        b.emit(Op::Column { cursor: table, column: i, dest: regs + i, default: None });
    }
    let mut subst: Vec<(Expr, usize)> = needed.iter().enumerate().map(|(i, e)| (e.clone(), regs + i)).collect();
    for (ci, c) in calls.iter().enumerate() {
        subst.push((c.expr.clone(), regs + out_of_call[ci]));
    }
    b.agg_subst.push(subst);
    let r = (|| {
        let row = b.alloc_regs(results.len());
        for (i, (e, _)) in results.iter().enumerate() {
            b.expr(e, row + i)?;
        }
        let keys = if out.sorter.is_some() { Some(eval_sort_keys(b, sort_keys)?) } else { None };
        emit_row(b, out, row, keys)
    })();
    b.agg_subst.pop();
    r?;
    b.emit(Op::Next { cursor: table, target: top });
    b.resolve(done);
    Ok(())
}

/// Step 1: the rows before windowing (loops, or GROUP BY and HAVING), each
/// as the record of `needed` values, into a new transient table.
fn collect_rows(b: &mut Builder<'_>, body: &SelectBody, levels: &[Level], terms: &[Expr], needed: &[Expr], n_in: usize) -> Result<usize> {
    let table = b.alloc_cursor();
    b.emit(Op::OpenEphemeral { cursor: table, key_info: None });
    let inner: Vec<(Cow<'_, Expr>, String)> = needed.iter().map(|e| (Cow::Borrowed(e), String::new())).collect();
    let inner_end = b.new_label();
    let inner_out = Output { dest: super::select::Dest::EphTable(table), ncols: n_in, limit: None, offset: None, end: inner_end, distinct: None, sorter: None };
    let aggregates = !body.group_by.is_empty() || body.having.is_some() || needed.iter().any(contains_aggregate);
    if aggregates {
        compile_aggregate(b, body, levels, terms, &inner, &[], &inner_out, &Grouping::default())?;
    } else {
        where_::emit_loops(b, levels, terms, &mut |b: &mut Builder<'_>| {
            let regs = b.alloc_regs(n_in);
            for (i, e) in needed.iter().enumerate() {
                b.expr(e, regs + i)?;
            }
            emit_row(b, &inner_out, regs, None)
        })?;
    }
    b.resolve(inner_end);
    Ok(table)
}


/// The frame of a window definition, its offsets evaluated into
/// registers once (they are constant expressions).
fn frame_of(b: &mut Builder<'_>, def: &WindowDef) -> Result<vw::Frame> {
    let Some(fr) = &def.frame else {
        // No frame: RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW,
        // which without ORDER BY is the whole partition (all peers).
        return Ok(vw::Frame { units: vw::FrameUnits::Range, start: vw::FrameBound::UnboundedPreceding, end: vw::FrameBound::CurrentRow, exclude: vw::Exclude::None });
    };
    let units = match fr.units {
        FrameUnits::Rows => vw::FrameUnits::Rows,
        FrameUnits::Range => vw::FrameUnits::Range,
        FrameUnits::Groups => vw::FrameUnits::Groups,
    };
    let bound = |b: &mut Builder<'_>, x: &FrameBound| -> Result<vw::FrameBound> {
        Ok(match x {
            FrameBound::UnboundedPreceding => vw::FrameBound::UnboundedPreceding,
            FrameBound::CurrentRow => vw::FrameBound::CurrentRow,
            FrameBound::UnboundedFollowing => vw::FrameBound::UnboundedFollowing,
            FrameBound::Preceding(e) => vw::FrameBound::Preceding(offset_reg(b, e)?),
            FrameBound::Following(e) => vw::FrameBound::Following(offset_reg(b, e)?),
        })
    };
    let start = bound(b, &fr.start)?;
    let end = match &fr.end {
        Some(e) => bound(b, e)?,
        None => vw::FrameBound::CurrentRow,
    };
    let exclude = match fr.exclude {
        None => vw::Exclude::None,
        Some(FrameExclude::NoOthers) => vw::Exclude::NoOthers,
        Some(FrameExclude::CurrentRow) => vw::Exclude::CurrentRow,
        Some(FrameExclude::Group) => vw::Exclude::Group,
        Some(FrameExclude::Ties) => vw::Exclude::Ties,
    };
    Ok(vw::Frame { units, start, end, exclude })
}

/// Evaluates a frame offset into a register, once, before any row. As in
/// SQLite, an offset that is not constant at parse time (it reads a
/// column, calls a function or runs a subquery) counts as NULL, which the
/// run-time check then rejects.
fn offset_reg(b: &mut Builder<'_>, e: &Expr) -> Result<usize> {
    let mut constant = true;
    walk(e, &mut |x| {
        if matches!(x, Expr::Column { .. } | Expr::DoubleQuotedId(_) | Expr::Function(_) | Expr::Subquery(_) | Expr::Exists { .. } | Expr::InSelect { .. } | Expr::InTable { .. }) {
            constant = false;
        }
        constant
    });
    let r = b.alloc_reg();
    if constant {
        b.expr(e, r)?;
    } else {
        b.emit(Op::Null { dest: r, count: 1 });
    }
    Ok(r)
}
