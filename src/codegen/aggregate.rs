//! Aggregate queries: the accumulators, bare columns and GROUP BY.
//!
//! Without GROUP BY, one set of accumulators runs over every row and one
//! row comes out. With it, each group's rows are brought together, by a
//! sorter on the GROUP BY terms or by a loop that already yields them in
//! group order (an index walk, `Grouping::stream`), and a row comes out at
//! each change of key. Bare columns are loaded as SQLite loads them: from
//! the group's first row, or from the row min()/max() chose (SQLite's
//! "hit" register, with its behaviour under DISTINCT and FILTER).
//!
//! Invariant: output expressions read a group's columns from the
//! registers loaded for the group, never from the sorter directly; the
//! GROUP BY key registers only decide where groups change.

use std::borrow::Cow;
use std::sync::Arc;

use crate::collation::CollSeq;
use crate::error::{Error, Result};
use crate::parse::ast::{self, Expr, FunctionArgs, SelectBody};
use crate::record::KeyInfo;
use crate::vdbe::{CmpOp, FuncRef, Op, Reg};

use super::expr::{contains_aggregate, is_aggregate_call, walk};
use super::select::{collect_aggregates, emit_row, eval_sort_keys, first_aggregate, ordinal, Output};
use super::where_::{self, Level};
use super::Builder;

/// The registers holding the current group's keys that replace GROUP BY
/// terms in the group's output: only terms that read no column. As in
/// SQLite, a term over columns is computed again from the columns loaded
/// for the group (its first row, or the row that set min()/max()), so
/// `b` shows that row's 'B' where the NOCASE key came from a 'b'.
fn group_key_subst(b: &mut Builder<'_>, group_by: &[Expr], prev: Reg, captures: &[((usize, usize), Reg)]) -> Vec<(Expr, Reg)> {
    let mut out = Vec::new();
    for (i, g) in group_by.iter().enumerate() {
        let mut cols = Vec::new();
        collect_bare_columns(g, &mut cols);
        // Every column the term reads must be one loaded for the group (a
        // merged USING column of a FULL JOIN, say, is not).
        let loaded = !cols.is_empty()
            && cols.iter().all(|c| matches!(b.column_ref(c), Ok(Some(r)) if captures.iter().any(|(k, _)| *k == (r.cursor, r.column))));
        if !loaded {
            out.push((g.clone(), prev + i));
        }
    }
    out
}

/// How a GROUP BY query brings each group's rows together.
#[derive(Debug, Default)]
pub(super) struct Grouping {
    /// The GROUP BY terms (result column numbers replaced); empty when
    /// `compile_aggregate` resolves them itself.
    pub exprs: Vec<Expr>,
    /// The loop already yields the rows group by group (an index walk):
    /// no sorter.
    pub stream: bool,
    /// Per term, whether the sorter orders it descending (the ORDER BY's
    /// directions when the GROUP BY lists the ORDER BY's terms).
    pub desc: Vec<bool>,
}

/// The GROUP BY terms with result column numbers (`GROUP BY 1`) replaced
/// by the result expressions.
pub(super) fn resolve_group_by(body: &SelectBody, results: &[(Cow<'_, Expr>, String)]) -> Result<Vec<Expr>> {
    for g in &body.group_by {
        if contains_aggregate(g) {
            return Err(Error::sql("aggregate functions are not allowed in the GROUP BY clause"));
        }
    }
    body.group_by
        .iter()
        .map(|g| match g {
            Expr::Literal(ast::Literal::Number(n)) => match n.parse::<usize>() {
                Ok(k) if k >= 1 && k <= results.len() => Ok(Expr::clone(&results[k - 1].0)),
                Ok(_) => Err(Error::sql(format!("{} GROUP BY term out of range - should be between 1 and {}", ordinal(1), results.len()))),
                Err(_) => Ok(g.clone()),
            },
            _ => Ok(g.clone()),
        })
        .collect()
}

/// The aggregate paths: without GROUP BY (one accumulator set, one output
/// row) and with it (rows brought together by a sorter or by the loop's
/// own order, an output row at every change of key).
#[allow(clippy::too_many_arguments)]
pub(super) fn compile_aggregate(
    b: &mut Builder<'_>,
    body: &SelectBody,
    levels: &[Level],
    terms: &[Expr],
    results: &[(Cow<'_, Expr>, String)],
    sort_keys: &[(Expr, bool, Option<bool>)],
    out: &Output,
    grouping: &Grouping,
) -> Result<()> {
    let mut all_exprs: Vec<&Expr> = results.iter().map(|(e, _)| e.as_ref()).collect();
    if let Some(h) = &body.having {
        all_exprs.push(h);
    }
    for (e, _, _) in sort_keys {
        all_exprs.push(e);
    }
    let calls = agg_calls(b, &all_exprs)?;
    // Bare columns: read from the last row of each group.
    let mut bare = Vec::new();
    for e in &all_exprs {
        collect_bare_columns(e, &mut bare);
    }
    let mut captures: Vec<((usize, usize), Reg)> = Vec::new();
    // The table each captured column belongs to (record fields and
    // VIRTUAL columns are read through it).
    let mut capture_tables: Vec<Option<Arc<crate::schema::Table>>> = Vec::new();
    for e in &bare {
        if let Some(c) = b.column_ref(e)? {
            if c.depth + 1 == b.scopes.len() && !captures.iter().any(|(k, _)| *k == (c.cursor, c.column)) {
                let r = b.alloc_reg();
                captures.push(((c.cursor, c.column), r));
                capture_tables.push(c.table.clone());
            }
        }
    }
    let distinct_cursors: Vec<Option<usize>> = calls
        .iter()
        .map(|c| if c.distinct { Some(b.alloc_cursor()) } else { None })
        .collect();
    // DISTINCT compares the argument under its own collation (count(DISTINCT
    // x) with x COLLATE NOCASE counts 'a' and 'A' once).
    let mut distinct_keys: Vec<Arc<KeyInfo>> = Vec::new();
    for (c, d) in calls.iter().zip(&distinct_cursors) {
        if d.is_some() {
            let coll = match c.args.first().map(|a| b.expr_collation(a)) {
                Some((Some(name), _)) => Builder::collation_by_name(name.as_str())?,
                _ => crate::collation::CollSeq::Binary,
            };
            distinct_keys.push(Arc::new(KeyInfo::new(vec![(coll, false)])));
        }
    }
    let open_distinct = |b: &mut Builder<'_>| {
        for (c, k) in distinct_cursors.iter().flatten().zip(&distinct_keys) {
            b.emit(Op::OpenEphemeral { cursor: *c, key_info: Some(k.clone()) });
        }
    };
    // One aggregate step, with arguments in registers `args[i]`.
    // With min()/max() aggregates, bare columns come from the row that set
    // the last of them (SQLite resets its "hit" flag before each).
    let last_minmax = calls.iter().rposition(|c| c.n_real == 1 && c.order.is_none() && ["min", "max"].iter().any(|n| c.func.name().eq_ignore_ascii_case(n)));
    let hit = last_minmax.map(|_| b.alloc_reg());
    if let Some(h) = hit {
        // Like SQLite's hit register, it keeps its value across rows a
        // FILTER or DISTINCT keeps from the step (they then load the
        // columns when the row before did); unset, it loads them.
        b.emit(Op::Integer { value: 1, dest: h });
    }
    // Without min()/max(), bare columns come from the group's first row,
    // as in SQLite: `fresh` is 1 until they are loaded.
    let fresh = if hit.is_none() && !captures.is_empty() { Some(b.alloc_reg()) } else { None };
    // With a FILTER on that min()/max(), SQLite loads the columns from a
    // group's first row, and from a later row only when the min()/max()
    // takes it: `first_row` is 1 until the group's first row is done.
    let first_row = match last_minmax {
        Some(i) if calls[i].filter.is_some() => Some(b.alloc_reg()),
        _ => None,
    };
    let group_start = |b: &mut Builder<'_>| {
        if let Some(f) = fresh.or(first_row) {
            b.emit(Op::Integer { value: 1, dest: f });
        }
    };
    let mut colls = Vec::with_capacity(calls.len());
    for c in &calls {
        let coll = b.function_collation(&c.func, &c.args[..c.n_real])?;
        colls.push(coll);
    }
    let step = |b: &mut Builder<'_>, i: usize, args: Reg, filter: Option<Reg>| {
        let c = &calls[i];
        let skip = b.new_label();
        if let (Some(h), Some(fr), true) = (hit, first_row, last_minmax == Some(i)) {
            b.emit(Op::Copy { src: fr, dest: h, count: 1 });
        }
        if let Some(f) = filter {
            b.emit(Op::IfNot { reg: f, target: skip, jump_if_null: true });
        }
        if let Some(d) = distinct_cursors[i] {
            // NULLs count as equal here, as in SQLite: the first reaches
            // the step (which ignores it, but min()/max() over NULLs still
            // takes the row's columns), later ones are duplicates.
            b.emit(Op::Found { cursor: d, key: args, n: 1, target: skip });
            let rec = b.alloc_reg();
            b.emit(Op::MakeRecord { start: args, count: 1, dest: rec });
            b.emit(Op::IdxInsert { cursor: d, key: rec });
        }
        let hit = if last_minmax == Some(i) { hit } else { None };
        if let Some(h) = hit {
            // No min/max has taken this row yet.
            b.emit(Op::Integer { value: 0, dest: h });
        }
        b.emit(Op::AggStep { func: c.func.clone(), args, n_args: c.args.len(), acc: c.acc, coll: colls[i].clone(), hit, order: c.order.clone(), binds: super::expr::bind_mask(&c.args) });
        b.resolve(skip);
    };
    // After a row's steps: skip
    // loading the bare columns unless one did.
    let skip_unless_hit = |b: &mut Builder<'_>| -> Option<usize> {
        if let Some(fr) = first_row {
            b.emit(Op::Integer { value: 0, dest: fr });
        }
        hit.or(fresh).map(|h| {
            let after = b.new_label();
            b.emit(Op::IfNot { reg: h, target: after, jump_if_null: true });
            if let Some(f) = fresh {
                b.emit(Op::Integer { value: 0, dest: f });
            }
            after
        })
    };
    // One row's steps from its own expressions, then the bare columns
    // (when the row is the one they come from).
    let accumulate_row = |b: &mut Builder<'_>| -> Result<()> {
        for (i, c) in calls.iter().enumerate() {
            let args = b.alloc_regs(c.args.len());
            for (j, a) in c.args.iter().enumerate() {
                b.expr(a, args + j)?;
            }
            let filter = match &c.filter {
                Some(f) => Some(b.expr_to_reg(f)?),
                None => None,
            };
            step(b, i, args, filter);
        }
        let after = skip_unless_hit(b);
        for (((cursor, column), r), table) in captures.iter().zip(&capture_tables) {
            let cref = super::expr::ColumnRef { cursor: *cursor, column: *column, affinity: None, collation: None, decl_type: None, table: table.clone(), depth: 0 };
            b.column_to_reg(&cref, *r)?;
        }
        if let Some(a) = after {
            b.resolve(a);
        }
        Ok(())
    };
    // The output of one group, with substitutions in place.
    let emit_group = |b: &mut Builder<'_>, group_subst: Vec<(Expr, Reg)>| -> Result<()> {
        for c in &calls {
            b.emit(Op::AggFinal { func: c.func.clone(), acc: c.acc, dest: c.result });
        }
        let mut subst: Vec<(Expr, Reg)> = calls.iter().map(|c| (c.expr.clone(), c.result)).collect();
        subst.extend(group_subst);
        b.agg_subst.push(subst);
        b.column_subst.push(captures.clone());
        let r = (|| {
            let skip = b.new_label();
            if let Some(h) = &body.having {
                b.jump_if_false(h, skip, true)?;
            }
            let regs = b.alloc_regs(out.ncols);
            for (i, (e, _)) in results.iter().enumerate() {
                b.expr(e, regs + i)?;
            }
            let keys = if out.sorter.is_some() { Some(eval_sort_keys(b, sort_keys)?) } else { None };
            emit_row(b, out, regs, keys)?;
            b.resolve(skip);
            Ok(())
        })();
        b.agg_subst.pop();
        b.column_subst.pop();
        r
    };

    if body.group_by.is_empty() {
        open_distinct(b);
        for (_, r) in &captures {
            b.emit(Op::Null { dest: *r, count: 1 });
        }
        group_start(b);
        where_::emit_loops(b, levels, terms, &mut |b: &mut Builder<'_>| {
            accumulate_row(b)
        })?;
        return emit_group(b, Vec::new());
    }

    // GROUP BY: sorter records hold [group keys.., agg args.., filters..,
    // bare columns..].
    let group_by: Vec<Expr> = if grouping.exprs.is_empty() { resolve_group_by(body, results)? } else { grouping.exprs.clone() };
    let ngroup = group_by.len();
    let mut fields = Vec::new();
    for (i, g) in group_by.iter().enumerate() {
        let coll = b.expr_coll_seq(g)?;
        fields.push((coll, grouping.desc.get(i).copied().unwrap_or(false)));
    }
    let group_colls: Vec<CollSeq> = fields.iter().map(|(c, _)| c.clone()).collect();
    // The current row's keys (`cur`), the group's (`prev`), whether a row
    // was seen (`first` is 1 until one is), and the output subroutine.
    let done = b.new_label();
    let output_sub = b.new_label();
    let ret = b.alloc_reg();
    let prev = b.alloc_regs(ngroup);
    let cur = b.alloc_regs(ngroup);
    let first = b.alloc_reg();
    // At each row: a key that differs from the group's outputs the group
    // and starts the next one.
    let key_change = |b: &mut Builder<'_>| {
        let same = b.new_label();
        let new_group = b.new_label();
        let not_first = b.new_label();
        b.emit(Op::IfNot { reg: first, target: not_first, jump_if_null: false });
        b.emit(Op::Integer { value: 0, dest: first });
        b.emit(Op::Copy { src: cur, dest: prev, count: ngroup });
        b.emit(Op::Goto { target: same });
        b.resolve(not_first);
        let eq = b.alloc_reg();
        for (i, coll) in group_colls.iter().enumerate() {
            b.emit(Op::Compare { op: CmpOp::Is, lhs: cur + i, rhs: prev + i, dest: eq, affinity: None, coll: coll.clone() });
            b.emit(Op::IfNot { reg: eq, target: new_group, jump_if_null: true });
        }
        b.emit(Op::Goto { target: same });
        b.resolve(new_group);
        b.emit(Op::Gosub { ret, target: output_sub });
        group_start(b);
        open_distinct(b);
        b.emit(Op::Copy { src: cur, dest: prev, count: ngroup });
        b.resolve(same);
    };
    // After the last row: its group (unless there was no row), then the
    // output subroutine for the group in `prev`.
    let finish = |b: &mut Builder<'_>| -> Result<()> {
        b.emit(Op::If { reg: first, target: done, jump_if_null: false });
        b.emit(Op::Gosub { ret, target: output_sub });
        b.emit(Op::Goto { target: done });
        b.resolve(output_sub);
        let group_subst = group_key_subst(b, &group_by, prev, &captures);
        emit_group(b, group_subst)?;
        b.emit(Op::Return { ret });
        b.resolve(done);
        Ok(())
    };
    if grouping.stream {
        // The loop yields each group's rows together.
        b.emit(Op::Integer { value: 1, dest: first });
        group_start(b);
        open_distinct(b);
        where_::emit_loops(b, levels, terms, &mut |b: &mut Builder<'_>| {
            for (i, g) in group_by.iter().enumerate() {
                b.expr(g, cur + i)?;
            }
            key_change(b);
            accumulate_row(b)
        })?;
        return finish(b);
    }
    let sorter = b.alloc_cursor();
    b.emit(Op::SorterOpen { cursor: sorter, key_info: Arc::new(KeyInfo::new(fields)) });
    let nargs: usize = calls.iter().map(|c| c.args.len()).sum();
    let nfilters = calls.iter().filter(|c| c.filter.is_some()).count();
    let width = ngroup + nargs + nfilters + captures.len();
    where_::emit_loops(b, levels, terms, &mut |b: &mut Builder<'_>| {
        let regs = b.alloc_regs(width);
        let mut i = 0;
        for g in &group_by {
            b.expr(g, regs + i)?;
            i += 1;
        }
        for c in &calls {
            for a in &c.args {
                b.expr(a, regs + i)?;
                i += 1;
            }
        }
        for c in &calls {
            if let Some(f) = &c.filter {
                b.expr(f, regs + i)?;
                i += 1;
            }
        }
        for (((cursor, column), _), table) in captures.iter().zip(&capture_tables) {
            let cref = super::expr::ColumnRef { cursor: *cursor, column: *column, affinity: None, collation: None, decl_type: None, table: table.clone(), depth: 0 };
            b.column_to_reg(&cref, regs + i)?;
            i += 1;
        }
        let rec = b.alloc_reg();
        b.emit(Op::MakeRecord { start: regs, count: width, dest: rec });
        b.emit(Op::SorterInsert { cursor: sorter, record: rec });
        Ok(())
    })?;
    b.emit(Op::Integer { value: 1, dest: first });
    group_start(b);
    open_distinct(b);
    b.emit(Op::SorterSort { cursor: sorter, target: done });
    let top = b.addr();
    for i in 0..ngroup {
        b.emit(Op::Column { cursor: sorter, column: i, dest: cur + i, default: None });
    }
    key_change(b);
    let mut col = ngroup;
    let arg_base: Vec<(Reg, usize)> = calls
        .iter()
        .map(|c| {
            let r = b.alloc_regs(c.args.len());
            let start = col;
            col += c.args.len();
            (r, start)
        })
        .collect();
    let mut filter_cols = Vec::new();
    for c in &calls {
        if c.filter.is_some() {
            filter_cols.push(Some(col));
            col += 1;
        } else {
            filter_cols.push(None);
        }
    }
    for (i, c) in calls.iter().enumerate() {
        let (r, start) = arg_base[i];
        for j in 0..c.args.len() {
            b.emit(Op::Column { cursor: sorter, column: start + j, dest: r + j, default: None });
        }
        let filter = match filter_cols[i] {
            Some(fc) => {
                let fr = b.alloc_reg();
                b.emit(Op::Column { cursor: sorter, column: fc, dest: fr, default: None });
                Some(fr)
            }
            None => None,
        };
        step(b, i, r, filter);
    }
    let after = skip_unless_hit(b);
    for (_, r) in &captures {
        b.emit(Op::Column { cursor: sorter, column: col, dest: *r, default: None });
        col += 1;
    }
    if let Some(a) = after {
        b.resolve(a);
    }
    b.emit(Op::SorterNext { cursor: sorter, target: top });
    finish(b)
}

/// Collects the column references in `e` outside aggregate calls.
fn collect_bare_columns(e: &Expr, out: &mut Vec<Expr>) {
    walk(e, &mut |x| match x {
        _ if is_aggregate_call(x) => false,
        Expr::Column { .. } | Expr::DoubleQuotedId(_) => {
            if !out.contains(x) {
                out.push(x.clone());
            }
            false
        }
        _ => true,
    });
}

struct AggCall {
    expr: Expr,
    func: FuncRef,
    /// The arguments, then the terms of the call's own ORDER BY.
    args: Vec<Expr>,
    /// How many of `args` are arguments.
    n_real: usize,
    order: Option<Arc<crate::func::ordered::AggOrder>>,
    distinct: bool,
    filter: Option<Expr>,
    acc: usize,
    result: Reg,
}

fn agg_calls(b: &mut Builder<'_>, exprs: &[&Expr]) -> Result<Vec<AggCall>> {
    let mut calls = Vec::new();
    for e in exprs {
        collect_aggregates(e, &mut calls);
    }
    let mut out = Vec::new();
    for e in calls {
        let Expr::Function(f) = &e else { continue };
        let args: Vec<Expr> = match &f.args {
            FunctionArgs::Star => Vec::new(),
            FunctionArgs::List(a) => a.clone(),
        };
        for a in &args {
            if contains_aggregate(a) {
                return Err(Error::sql(format!("misuse of aggregate function {}()", f.name)));
            }
        }
        if f.distinct && args.len() != 1 {
            return Err(Error::sql("DISTINCT aggregates must have exactly one argument"));
        }
        let func = match crate::func::user::find_function(&f.name, args.len()) {
            crate::func::user::Found::Builtin(d) => FuncRef::Builtin(d),
            crate::func::user::Found::User(u) => FuncRef::User(u),
            crate::func::user::Found::None => return Err(Error::sql(format!("no such function: {}", f.name))),
        };
        let acc = b.alloc_agg();
        let result = b.alloc_reg();
        let filter = f.filter.clone();
        let distinct = f.distinct;
        let n_real = args.len();
        let mut args = args;
        let order = if f.order_by.is_empty() {
            None
        } else {
            let mut keys = Vec::with_capacity(f.order_by.len());
            for t in &f.order_by {
                if let Some(inner) = first_aggregate(&t.expr) {
                    return Err(Error::sql(format!("misuse of aggregate function {inner}()")));
                }
                keys.push(b.sort_term(t)?);
                args.push(t.expr.clone());
            }
            Some(Arc::new(crate::func::ordered::AggOrder { n_args: n_real, keys }))
        };
        out.push(AggCall { expr: e, func, args, n_real, order, distinct, filter, acc, result });
    }
    Ok(out)
}
