//! Row triggers: BEFORE and AFTER triggers on INSERT, UPDATE and DELETE,
//! compiled inline into the program of the statement that fires them.
//!
//! A trigger body sees only its own tables plus the pseudo-tables OLD and
//! NEW, whose columns read the registers of the row being changed: the
//! firing statement's scopes are set aside while the body compiles. A
//! trigger does not fire itself again (recursive_triggers is off, as by
//! default in SQLite); triggers on other tables nest. Statements in a body
//! do not count towards sqlite3_changes. RAISE(IGNORE) abandons the
//! current row; RAISE(ABORT|FAIL|ROLLBACK, msg) fails with
//! SQLITE_CONSTRAINT_TRIGGER.

use std::sync::Arc;

use crate::error::{code, Error, Result};
use crate::parse::ast::{self, Expr, RaiseKind, Stmt, TriggerEvent, TriggerTime};
use crate::schema::Table;
use crate::vdbe::{OnError, Op, Reg};

use super::expr::{Scope, Source, ROWID};
use super::select::{self, Dest};
use super::{dml, Builder};

/// What fired the trigger.
#[derive(Clone, Copy, Debug)]
pub enum Event<'a> {
    Insert,
    /// An UPDATE, with the columns its SET list assigns.
    Update(&'a [usize]),
    Delete,
}

/// The state of the trigger being compiled: its name (to stop it firing
/// itself) and where RAISE(IGNORE) goes.
#[derive(Clone, Debug)]
pub struct ActiveTrigger {
    pub name: String,
    pub ignore: usize,
}

pub(super) fn matches(def: &ast::CreateTrigger, table: &Table, event: Event<'_>) -> bool {
    match (&def.event, event) {
        (TriggerEvent::Insert, Event::Insert) | (TriggerEvent::Delete, Event::Delete) => true,
        (TriggerEvent::Update(cols), Event::Update(set)) => {
            cols.is_empty() || cols.iter().any(|c| table.column_index(c).is_some_and(|i| set.contains(&i)))
        }
        _ => false,
    }
}

impl<'s> Builder<'s> {
    /// True when `table` has triggers for `event` (so the firing statement
    /// must take its slower row-by-row path).
    pub fn has_triggers(&self, table: &Table, event: Event<'_>) -> bool {
        self.schemas.triggers_of(table).iter().any(|t| matches(&t.def, table, event))
    }

    /// Emits the `time` triggers of `table` for `event`. `old` and `new`
    /// hold the row images (one register per column, the rowid alias
    /// column holding the rowid) and the rowid; RAISE(IGNORE) jumps to
    /// `ignore`.
    pub fn fire_triggers(&mut self, table: &Arc<Table>, time: TriggerTime, event: Event<'_>, old: Option<(Reg, Reg)>, new: Option<(Reg, Reg)>, ignore: usize) -> Result<()> {
        for trig in self.schemas.triggers_of(table) {
            if trig.def.time != time || !matches(&trig.def, table, event) {
                continue;
            }
            if self.triggers_active.iter().any(|a| a.name.eq_ignore_ascii_case(&trig.name)) {
                continue;
            }
            // The body sees OLD and NEW, not the firing statement's tables.
            let mut sources = Vec::new();
            let mut subst = Vec::new();
            for (label, image) in [("old", old), ("new", new)] {
                if let Some((row, rowid)) = image {
                    let fake = self.alloc_cursor();
                    sources.push(Source::from_table(label, table.clone(), fake));
                    subst.extend((0..table.columns.len()).map(|i| ((fake, i), row + i)));
                    subst.push(((fake, ROWID), rowid));
                }
            }
            let saved_scopes = std::mem::take(&mut self.scopes);
            let saved_agg = std::mem::take(&mut self.agg_subst);
            let saved_ctes = std::mem::take(&mut self.ctes);
            self.scopes.push(Scope::new(sources));
            self.column_subst.push(subst);
            self.triggers_active.push(ActiveTrigger { name: trig.name.clone(), ignore });
            self.per_row_program += 1;
            let r = (|| {
                let skip = self.new_label();
                if let Some(w) = &trig.def.when {
                    let r = self.expr_to_reg(w)?;
                    self.emit(Op::IfNot { reg: r, target: skip, jump_if_null: true });
                }
                for stmt in &trig.def.body {
                    self.trigger_statement(stmt)?;
                }
                self.resolve(skip);
                Ok(())
            })();
            self.per_row_program -= 1;
            self.triggers_active.pop();
            self.column_subst.pop();
            self.scopes = saved_scopes;
            self.agg_subst = saved_agg;
            self.ctes = saved_ctes;
            r?;
        }
        Ok(())
    }

    fn trigger_statement(&mut self, stmt: &Stmt) -> Result<()> {
        if self.auth_skips_statement(stmt) {
            return Ok(());
        }
        match stmt {
            Stmt::Insert(ins) => dml::compile_insert(self, ins),
            Stmt::Update(up) => dml::compile_update(self, up),
            Stmt::Delete(del) => dml::compile_delete(self, del),
            Stmt::Select(sel) => {
                self.reads = true;
                select::compile_select(self, sel, Dest::Discard).map(|_| ())
            }
            _ => Err(Error::sql("only INSERT, UPDATE, DELETE and SELECT may appear in a trigger body")),
        }
    }

    /// RAISE(...) inside a trigger body.
    pub fn raise(&mut self, kind: RaiseKind, message: Option<&Expr>) -> Result<()> {
        let Some(active) = self.triggers_active.last().cloned() else {
            return Err(Error::sql("RAISE() may only be used within a trigger-program"));
        };
        let on_error = match kind {
            RaiseKind::Ignore => {
                self.emit(Op::Goto { target: active.ignore });
                return Ok(());
            }
            RaiseKind::Rollback => OnError::Rollback,
            RaiseKind::Abort => OnError::Abort,
            RaiseKind::Fail => OnError::Fail,
        };
        match message {
            Some(Expr::Literal(ast::Literal::String(s))) => {
                self.emit(Op::Halt { rc: code::CONSTRAINT_TRIGGER, msg: Some(s.clone()), on_error });
            }
            Some(e) => {
                let r = self.expr_to_reg(e)?;
                self.emit(Op::HaltWithMessage { rc: code::CONSTRAINT_TRIGGER, msg: r, on_error });
            }
            None => {
                self.emit(Op::Halt { rc: code::CONSTRAINT_TRIGGER, msg: Some(String::new()), on_error });
            }
        }
        Ok(())
    }

    /// Statements inside a trigger body do not count as changes.
    pub fn in_trigger(&self) -> bool {
        !self.triggers_active.is_empty()
    }
}
