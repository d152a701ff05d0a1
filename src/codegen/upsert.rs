//! UPSERT: INSERT ... ON CONFLICT [(target) [WHERE ...]] DO NOTHING |
//! DO UPDATE SET ... [WHERE ...], with several clauses in order.
//!
//! Each clause's conflict target is matched, as SQLite matches it, to the
//! rowid (a single term naming the rowid or the INTEGER PRIMARY KEY, with
//! no COLLATE) or to a UNIQUE index whose key columns are exactly the
//! target's terms in any order, a term's explicit COLLATE having to equal
//! the index column's collation. A target-less clause (only the last may
//! omit it) handles every uniqueness constraint. A conflict on a
//! constraint goes to the first clause that handles it; a later clause
//! naming the same constraint never fires, silently, as in SQLite.
//!
//! The insert code checks the constraints the clauses name first, in
//! clause order (see `dml::constraint_order`). DO NOTHING drops the row like OR IGNORE.
//! DO UPDATE stores the conflicting rowid in a register and jumps to the
//! clause's block, emitted after the normal insert path: the block seeks
//! the row, tests the DO UPDATE WHERE, and runs the shared UPDATE row code
//! (`dml::update_row`: UPDATE triggers, constraint checks with ABORT, the
//! change counter, RETURNING). In SET and WHERE, plain and table-qualified
//! names read the existing row; `excluded.x` reads the row that was to be
//! inserted, which lives in registers (the `excluded` scope sits outside
//! the table's scope, so only a qualified name reaches it).

use std::sync::Arc;

use crate::error::{Error, Result};
use crate::parse::ast::{Expr, Upsert, UpsertAction};
use crate::schema::{is_rowid_name, Table};
use crate::vdbe::{OnError, Op, Reg};

use super::dml::{self, Target};
use super::expr::{Scope, Source, ROWID};
use super::returning::Returning;
use super::select::ordinal;
use super::trigger::Event;
use super::Builder;

/// A uniqueness constraint of the table written: the rowid, or the unique
/// index at this position of `Target::indexes`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Constraint {
    Rowid,
    Index(usize),
}

struct Clause<'a> {
    /// None for a target-less clause.
    target: Option<Constraint>,
    action: &'a UpsertAction,
    /// Where a conflict handled by DO UPDATE jumps.
    label: usize,
}

/// The analysed ON CONFLICT clauses of one INSERT.
pub struct UpsertPlan<'a> {
    clauses: Vec<Clause<'a>>,
    /// The rowid of the row a DO UPDATE changes.
    conflict_rowid: Reg,
    /// The `excluded` row a DO UPDATE reads, copied in at the conflict.
    excluded: Reg,
    /// The row to insert before the column affinities apply.
    raw: Reg,
    /// The number of table columns (registers in `excluded` and `raw`).
    ncol: usize,
}

/// What happens on a conflict with a constraint handled by an upsert.
pub enum Handling {
    Nothing,
    /// Jump to `label` after storing the conflicting rowid in `rowid`
    /// and the row to insert in `excluded`.
    Update { label: usize, rowid: Reg, excluded: Reg, ncol: usize, raw: Reg },
}

/// A term of a conflict target: Some(column) when it names a column of
/// the table (Some(None) for the rowid or the INTEGER PRIMARY KEY), None
/// for an expression; and its explicit collation.
fn target_term(t: &Table, label: &str, e: &Expr, coll: Option<&str>) -> Result<(Option<Option<usize>>, Option<String>)> {
    let (table, column) = match e {
        Expr::Column { schema: None, table, column } => (table.as_deref(), column.as_str()),
        Expr::DoubleQuotedId(name) => (None, name.as_str()),
        // Expression terms can only match expression indexes, which are
        // not supported.
        _ => return Ok((None, coll.map(str::to_string))),
    };
    if let Some(q) = table {
        if !q.eq_ignore_ascii_case(label) {
            return Err(Error::sql(format!("no such column: {q}.{column}")));
        }
    }
    let col = match t.column_index(column) {
        Some(i) if Some(i) == t.rowid_alias => None,
        Some(i) => Some(i),
        None if is_rowid_name(column) && !t.without_rowid => None,
        None => return Err(Error::sql(format!("no such column: {column}"))),
    };
    Ok((Some(col), coll.map(str::to_string)))
}

impl<'a> UpsertPlan<'a> {
    /// Matches each clause's conflict target to a constraint of `tg`;
    /// None when the INSERT has no ON CONFLICT clause.
    pub fn analyze(b: &mut Builder<'_>, tg: &Target, label: &str, upserts: &'a [Upsert]) -> Result<Option<UpsertPlan<'a>>> {
        if upserts.is_empty() {
            return Ok(None);
        }
        let t = tg.table.clone();
        let mut clauses = Vec::new();
        for (n, u) in upserts.iter().enumerate() {
            let lbl = b.new_label();
            if u.target.is_empty() {
                clauses.push(Clause { target: None, action: &u.action, label: lbl });
                continue;
            }
            if let Some(w) = &u.target_where {
                // Only a partial index makes the WHERE matter (and writes
                // to partial indexes are not supported); its names must
                // still resolve, so it is compiled where it never runs.
                let over = b.new_label();
                b.emit(Op::Goto { target: over });
                b.scopes.push(Scope::new(vec![Source::from_table(label, t.clone(), tg.cursor)]));
                let r = b.expr_to_reg(w);
                b.scopes.pop();
                r?;
                b.resolve(over);
            }
            let mut terms = Vec::new();
            for ic in &u.target {
                terms.push(target_term(&t, label, &ic.expr, ic.collation.as_deref())?);
            }
            let mut found = None;
            // A WITHOUT ROWID table's PRIMARY KEY is checked as the rowid
            // is: the target names each of its columns.
            let names_pk = t.pk_index.as_ref().is_some_and(|pk| {
                pk.columns.len() == terms.len()
                    && pk.columns.iter().all(|ic| terms.iter().any(|(col, coll)| *col == Some(ic.column) && coll.as_deref().is_none_or(|x| x.eq_ignore_ascii_case(ic.collation.name()))))
            });
            if (terms.len() == 1 && matches!(terms[0], (Some(None), None))) || names_pk {
                found = Some(Constraint::Rowid);
            } else {
                for (pos, (ix, _)) in tg.indexes.iter().enumerate() {
                    if !ix.unique || ix.columns.len() != terms.len() || ix.partial.is_some() {
                        continue;
                    }
                    let all = ix.columns.iter().all(|ic| {
                        ic.column.is_some_and(|c| {
                            let want = if Some(c) == t.rowid_alias { None } else { Some(c) };
                            terms.iter().any(|(col, coll)| *col == Some(want) && coll.as_deref().is_none_or(|x| x.eq_ignore_ascii_case(ic.collation.name())))
                        })
                    });
                    if all {
                        found = Some(Constraint::Index(pos));
                        break;
                    }
                }
            }
            match found {
                Some(c) => clauses.push(Clause { target: Some(c), action: &u.action, label: lbl }),
                None => {
                    let which = if n == 0 && upserts.len() == 1 { String::new() } else { format!("{} ", ordinal(n + 1)) };
                    return Err(Error::sql(format!("{which}ON CONFLICT clause does not match any PRIMARY KEY or UNIQUE constraint")));
                }
            }
        }
        let conflict_rowid = b.alloc_reg();
        let excluded = b.alloc_regs(t.columns.len());
        let raw = b.alloc_regs(t.columns.len());
        Ok(Some(UpsertPlan { clauses, conflict_rowid, excluded, raw, ncol: t.columns.len() }))
    }

    /// Saves the row to insert as it is before the column affinities
    /// apply: SQLite applies them at the first index check, so a conflict
    /// on the rowid found before any index sees `excluded` without them.
    pub fn save_raw(&self, b: &mut Builder<'_>, row: Reg) {
        let n = self.ncol;
        if n > 0 {
            b.emit(Op::Copy { src: row, dest: self.raw, count: n });
        }
    }

    /// The indexes the clauses name, in clause order, without repeats.
    pub fn named_indexes(&self) -> Vec<usize> {
        let mut out = Vec::new();
        for c in &self.clauses {
            if let Some(Constraint::Index(i)) = c.target {
                if !out.contains(&i) {
                    out.push(i);
                }
            }
        }
        out
    }

    /// True for a lone target-less clause, which handles every constraint.
    pub fn single_targetless(&self) -> bool {
        self.clauses.len() == 1 && self.clauses[0].target.is_none()
    }

    /// The position of the clause that handles conflicts on `c`.
    fn clause_of(&self, c: Constraint) -> Option<usize> {
        self.clauses.iter().position(|k| k.target.is_none_or(|t| t == c))
    }

    /// True when the rowid's clause (or its absence of one) puts the rowid
    /// check first: the clause handling it is the first clause.
    pub fn rowid_is_first_clause(&self) -> bool {
        self.clause_of(Constraint::Rowid) == Some(0)
    }

    /// True when the rowid check comes right after the check of `c`: the
    /// clause handling `c` is followed (past clauses repeating an earlier
    /// target) by the end, a target-less clause or the rowid's clause.
    pub fn next_is_rowid_after(&self, c: Constraint) -> bool {
        let Some(k) = self.clause_of(c) else { return false };
        for j in k + 1..self.clauses.len() {
            match self.clauses[j].target {
                None | Some(Constraint::Rowid) => return true,
                Some(t) => {
                    if self.clause_of(t) == Some(j) {
                        return false;
                    }
                }
            }
        }
        true
    }

    /// How a conflict on `c` is handled, if an upsert clause handles it.
    pub fn handling(&self, c: Constraint) -> Option<Handling> {
        let clause = self.clauses.iter().find(|k| k.target.is_none_or(|t| t == c))?;
        Some(match clause.action {
            UpsertAction::Nothing => Handling::Nothing,
            UpsertAction::Update { .. } => Handling::Update { label: clause.label, rowid: self.conflict_rowid, excluded: self.excluded, ncol: self.ncol, raw: self.raw },
        })
    }

    /// Emits the DO UPDATE blocks; every block ends by jumping to `done`.
    /// `rowid` holds the rowid of the row that was to be inserted.
    #[allow(clippy::too_many_arguments)]
    pub fn emit_updates(&self, b: &mut Builder<'_>, tg: &Target, label: &str, rowid: Reg, done: usize, returning: Option<&Returning>) -> Result<()> {
        let row = self.excluded;
        let t: Arc<Table> = tg.table.clone();
        for clause in &self.clauses {
            let UpsertAction::Update { sets, where_ } = clause.action else { continue };
            b.resolve(clause.label);
            let plan = dml::resolve_sets(&t, sets)?;
            let old_rowid = b.alloc_reg();
            b.emit(Op::Copy { src: self.conflict_rowid, dest: old_rowid, count: 1 });
            b.emit(Op::SeekRowid { cursor: tg.cursor, reg: old_rowid, target: done });
            // `excluded` columns read from registers get REAL affinity, as
            // SQLite's reads of a row held in registers do.
            for (i, c) in t.columns.iter().enumerate() {
                if c.affinity == crate::vdbe::mem::Affinity::Real {
                    b.emit(Op::RealAffinity { reg: row + i });
                }
            }
            let fake = b.alloc_cursor();
            let mut subst: Vec<((usize, usize), Reg)> = (0..t.columns.len()).map(|i| ((fake, i), row + i)).collect();
            subst.push(((fake, ROWID), rowid));
            b.scopes.push(Scope::new(vec![Source::from_table("excluded", t.clone(), fake)]));
            b.scopes.push(Scope::new(vec![Source::from_table(label, t.clone(), tg.cursor)]));
            b.column_subst.push(subst);
            let r = (|| {
                if let Some(w) = where_ {
                    if let Some(name) = super::select::first_aggregate(w) {
                        return Err(Error::sql(format!("misuse of aggregate function {name}()")));
                    }
                    let r = b.expr_to_reg(w)?;
                    b.emit(Op::IfNot { reg: r, target: done, jump_if_null: true });
                }
                let has_triggers = b.has_triggers(&t, Event::Update(&plan.set_cols));
                dml::update_row(b, tg, &plan, old_rowid, Some(OnError::Abort), has_triggers, done, returning)
            })();
            b.column_subst.pop();
            b.scopes.pop();
            b.scopes.pop();
            r?;
            b.emit(Op::Goto { target: done });
        }
        Ok(())
    }
}
