//! RIGHT and FULL OUTER JOIN on top of the left-join loop nest.
//!
//! `L RIGHT JOIN r ON c` runs as `L JOIN r ON c` (FULL JOIN as `L LEFT
//! JOIN r ON c`) while every row of `r` that passes `c` has its rowid put
//! in a transient set. After the whole nest has run, a second pass scans
//! `r` alone: each row missing from the set is sent through the rest of
//! the nest (the loops to the right of `r`, the WHERE terms, the body)
//! with every table to the left of `r` on a NULL row. The rest of the nest
//! is not emitted twice: the pass jumps into it, and a flag sends control
//! back to the pass where the loop of `r` would advance.
//!
//! Invariants kept by `where_`:
//! - loops keep their FROM order (a RIGHT or FULL join pins every level);
//! - WHERE terms that would be tested at or left of the last right-joined
//!   table are tested just after it (after the row is marked), so a WHERE
//!   term never keeps a right-table row from being marked, and it sees the
//!   NULL-extended rows of the second pass;
//! - levels at or left of the last right-joined table choose their plan
//!   from ON terms alone, for the same reason;
//! - ON terms of inner joins left of a right join stay on their own level.
//!
//! Passes run in FROM order, so a FULL JOIN further right also marks the
//! rows produced by an earlier pass.
//!
//! USING / NATURAL in a FROM clause with a RIGHT or FULL join follow
//! SQLite's rules: the equality compares with the first non-NULL of the
//! left tables' columns (each after the first must have merged it with its
//! own USING, else "ambiguous reference"); an unqualified merged name reads
//! the right table of a RIGHT join, and the first non-NULL of the tables a
//! FULL join merged (`MergedColumn`).

use std::sync::Arc;

use crate::error::{Error, Result};
use crate::parse::ast::{self, Expr, JoinKind};
use crate::vdbe::{Op, Reg};

use super::expr::Source;
use super::where_::Level;
use super::Builder;

/// The state of one right-joined level.
#[derive(Clone, Debug)]
pub struct RightJoin {
    /// Transient index of the rowids of rows that matched.
    pub set: usize,
    /// 1 while the second pass runs.
    pub flag: Reg,
    /// Label of the point, inside the level, right after its ON terms.
    pub body: usize,
    /// Label where the second pass moves to its next row.
    pub resume: usize,
}

/// Allocates the state of every right-joined level and opens the sets;
/// emitted once, before the loops.
pub fn setup(b: &mut Builder<'_>, levels: &[Level]) -> Result<Vec<Option<RightJoin>>> {
    let mut out = Vec::with_capacity(levels.len());
    for lv in levels {
        if !lv.right_join {
            out.push(None);
            continue;
        }
        let set = b.alloc_cursor();
        b.emit(Op::OpenEphemeral { cursor: set, key_info: Some(Arc::new(crate::record::KeyInfo::new(vec![(crate::collation::CollSeq::Binary, false)]))) });
        let flag = b.alloc_reg();
        b.emit(Op::Integer { value: 0, dest: flag });
        let body = b.new_label();
        let resume = b.new_label();
        out.push(Some(RightJoin { set, flag, body, resume }));
    }
    Ok(out)
}

/// Records the current row of `cursor` as matched.
pub fn mark(b: &mut Builder<'_>, rj: &RightJoin, cursor: usize) {
    let skip = b.new_label();
    let r = b.alloc_reg();
    let rec = b.alloc_reg();
    b.emit(Op::Rowid { cursor, dest: r });
    b.emit(Op::Found { cursor: rj.set, key: r, n: 1, target: skip });
    b.emit(Op::MakeRecord { start: r, count: 1, dest: rec });
    b.emit(Op::IdxInsert { cursor: rj.set, key: rec });
    b.resolve(skip);
}

/// Where the loop of a right-joined level would advance: during the
/// second pass, go back to the pass instead.
pub fn leave(b: &mut Builder<'_>, rj: &RightJoin) {
    b.emit(Op::If { reg: rj.flag, target: rj.resume, jump_if_null: false });
}

/// Emits the second pass of every right-joined level, in FROM order.
pub fn emit_passes(b: &mut Builder<'_>, levels: &[Level], rjs: &[Option<RightJoin>]) -> Result<()> {
    for (j, rj) in rjs.iter().enumerate() {
        let Some(rj) = rj else { continue };
        let lv = &levels[j];
        let name = super::where_::level_name(b, lv);
        // SQLite names the table itself here, not its alias.
        let table_name = match &lv.table {
            Some(t) if !t.is_view() => t.name.clone(),
            _ => name.clone(),
        };
        let id = b.plan_note(format!("RIGHT-JOIN {table_name}"));
        let parent = b.plan_parent;
        b.plan_parent = id;
        b.plan_note(format!("SCAN {name}"));
        b.plan_parent = parent;
        b.emit(Op::Integer { value: 1, dest: rj.flag });
        for l in &levels[..j] {
            b.emit(Op::NullRow { cursor: l.cursor });
        }
        let done = b.new_label();
        b.emit(Op::Rewind { cursor: lv.cursor, target: done });
        let top = b.addr();
        let r = b.alloc_reg();
        b.emit(Op::Rowid { cursor: lv.cursor, dest: r });
        b.emit(Op::Found { cursor: rj.set, key: r, n: 1, target: rj.resume });
        b.emit(Op::Goto { target: rj.body });
        b.resolve(rj.resume);
        b.emit(Op::Next { cursor: lv.cursor, target: top });
        b.resolve(done);
        b.emit(Op::Integer { value: 0, dest: rj.flag });
    }
    Ok(())
}

/// A USING / NATURAL column merged by a RIGHT or FULL join.
#[derive(Clone, Debug)]
pub struct MergedColumn {
    pub name: String,
    /// Every source merged on the column, the left-most first.
    pub sources: Vec<String>,
    /// What an unqualified name reads: the first non-NULL of these
    /// sources' columns. A RIGHT join reads its right table alone (never
    /// NULL-extended); a FULL join adds its table to the list.
    pub reads: Vec<String>,
}

/// Records that the join of `right` (of `kind`) merged `column`, whose
/// left-most source is `left`.
pub fn merge_using(merged: &mut Vec<MergedColumn>, column: &str, left: &str, right: &str, kind: JoinKind) {
    let pos = merged.iter().position(|m| m.name.eq_ignore_ascii_case(column));
    let m = match (pos, kind) {
        (Some(p), _) => &mut merged[p],
        (None, JoinKind::Right | JoinKind::Full) => {
            merged.push(MergedColumn { name: column.to_string(), sources: vec![left.to_string()], reads: vec![left.to_string()] });
            let last = merged.len() - 1;
            &mut merged[last]
        }
        (None, _) => return,
    };
    m.sources.push(right.to_string());
    match kind {
        JoinKind::Right => m.reads = vec![right.to_string()],
        JoinKind::Full => m.reads.push(right.to_string()),
        _ => {}
    }
}

/// The left side of a USING equality in a FROM clause that has a RIGHT or
/// FULL join: the first non-NULL of every table on the left with the
/// column. Each of those after the first must have merged the column with
/// its own USING, else the reference is ambiguous.
pub fn using_left_side(left: &[Source], column: &str) -> Result<Expr> {
    let mut names = Vec::new();
    for s in left {
        if !s.columns.iter().any(|c| c.name.eq_ignore_ascii_case(column)) {
            continue;
        }
        if !names.is_empty() && !s.using_hidden.iter().any(|h| h.eq_ignore_ascii_case(column)) {
            return Err(Error::sql(format!("ambiguous reference to {column} in USING()")));
        }
        names.push(s.name.clone());
    }
    Ok(match names.len() {
        1 => Expr::Column { schema: None, table: names.pop(), column: column.to_string() },
        _ => coalesce(&names, column),
    })
}

/// The first non-NULL of the sources' `column`, or the column itself for
/// a single source.
pub fn coalesce(sources: &[String], column: &str) -> Expr {
    if let [one] = sources {
        return Expr::Column { schema: None, table: Some(one.clone()), column: column.to_string() };
    }
    let args = sources
        .iter()
        .map(|s| Expr::Column { schema: None, table: Some(s.clone()), column: column.to_string() })
        .collect();
    Expr::Function(Box::new(ast::FunctionCall {
        name: "coalesce".to_string(),
        distinct: false,
        args: ast::FunctionArgs::List(args),
        order_by: Vec::new(),
        filter: None,
        over: None,
    }))
}
