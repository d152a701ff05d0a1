//! RETURNING on INSERT, UPDATE and DELETE.
//!
//! As in SQLite, the statement makes all its changes first and returns
//! the RETURNING rows afterwards: each changed row's RETURNING values are
//! computed right after the row is written (or, for DELETE, removed) and
//! before its AFTER triggers run, then buffered in a transient table; once
//! the last row is changed, a loop over that table emits the result rows.
//! The expressions see the new row (INSERT, UPDATE, the DO UPDATE of an
//! upsert) or the old row (DELETE) through registers, never through the
//! table cursor, so they read exactly the image that was written.
//!
//! Invariants: RETURNING belongs to top-level statements only (a trigger
//! body may not use it); aggregates are refused as SQLite refuses them;
//! the expressions name the table by its own name, never by the
//! statement's alias; a result column is named by its alias, else by the
//! table column it reads (the rowid by the INTEGER PRIMARY KEY's name),
//! else by its text, as SQLite names RETURNING columns.

use std::sync::Arc;

use crate::error::{Error, Result};
use crate::parse::ast::{Expr, ResultColumn};
use crate::schema::Table;
use crate::vdbe::{Op, Reg};

use super::expr::{Scope, Source, ROWID};
use super::select;
use super::Builder;

/// The RETURNING clause of the statement being compiled.
pub struct Returning {
    /// The transient table buffering the rows.
    cursor: usize,
    table: Arc<Table>,
    exprs: Vec<Expr>,
}

/// The error SQLite gives for RETURNING inside a trigger body.
pub fn trigger_error() -> Error {
    Error::sql("cannot use RETURNING in a trigger")
}

impl Returning {
    /// Sets up the RETURNING clause `items` of a statement writing `table`;
    /// None when there is none. Records the result
    /// column names in the builder.
    pub fn begin(b: &mut Builder<'_>, table: &Arc<Table>, items: &[ResultColumn]) -> Result<Option<Returning>> {
        if items.is_empty() {
            return Ok(None);
        }
        if b.in_trigger() {
            return Err(trigger_error());
        }
        // Expand `*` and name the columns against the table alone, known
        // by its own name (an alias is not visible to RETURNING).
        let fake = b.alloc_cursor();
        b.scopes.push(Scope::new(vec![Source::from_table(&table.name, table.clone(), fake)]));
        let expanded = expand(b, table, items);
        b.scopes.pop();
        let expanded = expanded?;
        for (e, _) in &expanded {
            if let Some(name) = select::first_aggregate(e) {
                return Err(Error::sql(format!("misuse of aggregate function {name}()")));
            }
        }
        b.result_names = expanded.iter().map(|(_, n)| n.clone()).collect();
        let cursor = b.alloc_cursor();
        b.emit(Op::OpenEphemeral { cursor, key_info: None });
        Ok(Some(Returning { cursor, table: table.clone(), exprs: expanded.into_iter().map(|(e, _)| e).collect() }))
    }

    /// Computes the RETURNING values of one row image (`row`: one register
    /// per column, the rowid alias column holding the rowid; `rowid`) and
    /// buffers them.
    pub fn row(&self, b: &mut Builder<'_>, row: Reg, rowid: Reg) -> Result<()> {
        let fake = b.alloc_cursor();
        let mut subst: Vec<((usize, usize), Reg)> = (0..self.table.columns.len()).map(|i| ((fake, i), row + i)).collect();
        subst.push(((fake, ROWID), rowid));
        // The expressions see the changed table only, not the scopes of
        // the statement (an UPDATE's own cursor, an upsert's `excluded`).
        let saved = std::mem::take(&mut b.scopes);
        b.scopes.push(Scope::new(vec![Source::from_table(&self.table.name, self.table.clone(), fake)]));
        b.column_subst.push(subst);
        // Subqueries see the table as it is after each row's change.
        b.per_row_program += 1;
        let n = self.exprs.len();
        let r = (|| {
            let regs = b.alloc_regs(n);
            for (k, e) in self.exprs.iter().enumerate() {
                b.expr(e, regs + k)?;
            }
            let rec = b.alloc_reg();
            let key = b.alloc_reg();
            b.emit(Op::MakeRecord { start: regs, count: n, dest: rec });
            b.emit(Op::NewRowid { cursor: self.cursor, dest: key });
            b.emit(Op::Insert { cursor: self.cursor, record: rec, rowid: key, count_change: false, set_last_rowid: false, hook: None });
            Ok(())
        })();
        b.per_row_program -= 1;
        b.column_subst.pop();
        b.scopes = saved;
        r
    }

    /// Emits the buffered rows as the statement's result rows.
    pub fn finish(&self, b: &mut Builder<'_>) {
        let n = self.exprs.len();
        let done = b.new_label();
        b.emit(Op::Rewind { cursor: self.cursor, target: done });
        let top = b.addr();
        let regs = b.alloc_regs(n);
        for k in 0..n {
            b.emit(Op::Column { cursor: self.cursor, column: k, dest: regs + k, default: None });
        }
        b.emit(Op::ResultRow { start: regs, count: n });
        b.emit(Op::Next { cursor: self.cursor, target: top });
        b.resolve(done);
    }
}

/// Expands `*` into the table's columns and names every result column.
fn expand(b: &mut Builder<'_>, table: &Table, items: &[ResultColumn]) -> Result<Vec<(Expr, String)>> {
    let mut out = Vec::new();
    for item in items {
        match item {
            ResultColumn::Star => {
                for c in &table.columns {
                    out.push((Expr::Column { schema: None, table: Some(table.name.clone()), column: c.name.clone() }, c.name.clone()));
                }
            }
            ResultColumn::TableStar(_) => return Err(Error::sql("RETURNING may not use \"TABLE.*\" wildcards")),
            ResultColumn::Expr { expr, alias, text } => {
                let name = match alias {
                    Some(a) => a.clone(),
                    None => match b.column_ref(expr)? {
                        Some(c) if c.column == ROWID => table.rowid_alias.and_then(|i| table.columns.get(i)).map_or_else(|| "rowid".to_string(), |col| col.name.clone()),
                        Some(c) => table.columns.get(c.column).map_or_else(|| text.clone(), |col| col.name.clone()),
                        None => text.clone(),
                    },
                };
                out.push((expr.clone(), name));
            }
        }
    }
    Ok(out)
}
