//! INSERT, UPDATE and DELETE on a view: its INSTEAD OF triggers run in
//! place of the change.
//!
//! As in SQLite: the rows a statement would change are the view's rows
//! (materialised first, then filtered by the WHERE clause); for each one
//! the INSTEAD OF triggers of the statement's event fire with OLD the
//! view's row and NEW the row the statement describes (no column affinity
//! applied, rowid NULL). Nothing else is written and nothing counts as a
//! change. A view with no INSTEAD OF trigger for the event cannot be
//! modified ("cannot modify v because it is a view"); an upsert on a view
//! is refused ("cannot UPSERT a view"). RETURNING returns the NEW rows
//! (DELETE: OLD), as SQLite's does.
//!
//! Invariant: trigger bodies never see the firing statement's scopes;
//! they read OLD and NEW from registers (`trigger.rs`), so the view's
//! columns are given a `Table` shape here (`with_columns`).

use std::sync::Arc;

use crate::error::{Error, Result};
use crate::parse::ast::{self, Delete, Insert, InsertSource, TriggerTime, Update};
use crate::schema::{Column, Table};
use crate::vdbe::mem::Affinity;
use crate::vdbe::{Op, Reg};

use super::expr::Scope;
use super::returning::Returning;
use super::select::{self, Dest};
use super::trigger::Event;
use super::Builder;

/// The view a DML statement names, when it names one.
pub(super) fn target_view(b: &Builder<'_>, name: &ast::QualifiedName) -> Option<Arc<Table>> {
    b.schemas.find_table(name.schema.as_deref(), &name.name).filter(|t| t.is_view())
}

fn cannot_modify(view: &Table) -> Error {
    Error::sql(format!("cannot modify {} because it is a view", view.name))
}

/// The view with its result columns as table columns (names as the view
/// names them, affinities of its select's expressions), compiled in a
/// throwaway builder.
fn with_columns(b: &Builder<'_>, view: &Arc<Table>) -> Result<Arc<Table>> {
    let Some(sel) = &view.view else { return Ok(view.clone()) };
    let mut probe = Builder::new(b.schemas);
    let out = select::compile_select(&mut probe, sel, Dest::Output)?;
    let names: Vec<String> = if view.columns.is_empty() { select::source_column_names(&out.names) } else { view.columns.iter().map(|c| c.name.clone()).collect() };
    let columns = names
        .iter()
        .enumerate()
        .map(|(i, n)| Column {
            name: n.clone(),
            decl_type: out.decltypes.get(i).cloned().flatten(),
            affinity: out.affinities.get(i).copied().flatten().unwrap_or(Affinity::Blob),
            not_null: false,
            not_null_conflict: None,
            default: None,
            default_text: None,
            collation: out.collations.get(i).cloned().flatten(),
            pk: 0,
            generated: None,
        })
        .collect();
    Ok(Arc::new(Table { columns, ..(**view).clone() }))
}

/// True when `view` has an INSTEAD OF trigger for `event`.
fn has_instead_of(b: &Builder<'_>, view: &Table, event: Event<'_>) -> bool {
    b.schemas.triggers_of(view).iter().any(|t| t.def.time == TriggerTime::InsteadOf && super::trigger::matches(&t.def, view, event))
}

pub(super) fn insert(b: &mut Builder<'_>, ins: &Insert, view: Arc<Table>) -> Result<()> {
    if !ins.upsert.is_empty() {
        return Err(Error::sql("cannot UPSERT a view"));
    }
    let view = with_columns(b, &view)?;
    if !has_instead_of(b, &view, Event::Insert) {
        return Err(cannot_modify(&view));
    }
    let ncol = view.columns.len();
    let mut map: Vec<Option<usize>> = vec![None; ncol];
    let width = if ins.columns.is_empty() {
        for (i, m) in map.iter_mut().enumerate() {
            *m = Some(i);
        }
        ncol
    } else {
        for (k, name) in ins.columns.iter().enumerate() {
            match view.column_index(name) {
                Some(i) => map[i] = Some(k),
                None => return Err(Error::sql(format!("table {} has no column named {}", view.name, name))),
            }
        }
        ins.columns.len()
    };
    b.writes = true;
    let returning = Returning::begin(b, &view, &ins.returning)?;
    // The source rows, materialised (a select may read what the triggers
    // write); DEFAULT VALUES is one row of NULLs.
    let source = match &ins.source {
        InsertSource::DefaultValues => None,
        InsertSource::Select(sel) => {
            let eph = b.alloc_cursor();
            b.emit(Op::OpenEphemeral { cursor: eph, key_info: None });
            b.reads = true;
            let out = select::compile_select(b, sel, Dest::EphTable(eph))?;
            if out.names.len() != width {
                return Err(Error::sql(if ins.columns.is_empty() {
                    format!("table {} has {} columns but {} values were supplied", view.name, ncol, out.names.len())
                } else {
                    format!("{} values for {} columns", out.names.len(), width)
                }));
            }
            Some(eph)
        }
    };
    let done = b.new_label();
    let next = b.new_label();
    let top = match source {
        Some(eph) => {
            b.emit(Op::Rewind { cursor: eph, target: done });
            Some((eph, b.addr()))
        }
        None => None,
    };
    let new = b.alloc_regs(ncol);
    let rowid = b.alloc_reg();
    for (i, m) in map.iter().enumerate() {
        match (m, top) {
            (Some(k), Some((eph, _))) => {
                b.emit(Op::Column { cursor: eph, column: *k, dest: new + i, default: None });
            }
            _ => {
                b.emit(Op::Null { dest: new + i, count: 1 });
            }
        }
    }
    b.emit(Op::Null { dest: rowid, count: 1 });
    b.fire_triggers(&view, TriggerTime::InsteadOf, Event::Insert, None, Some((new, rowid)), next)?;
    if let Some(r) = &returning {
        r.row(b, new, rowid)?;
    }
    b.resolve(next);
    if let Some((eph, top)) = top {
        b.emit(Op::Next { cursor: eph, target: top });
    }
    b.resolve(done);
    if let Some(r) = &returning {
        r.finish(b);
    }
    Ok(())
}

/// The loop over the view's rows that `where_` selects: calls `body` with
/// the register block holding each row (and the view's source in scope,
/// known by the view's own name: SQLite does not see an alias there).
fn for_each_row(b: &mut Builder<'_>, view: &Table, where_: Option<&ast::Expr>, body: impl FnOnce(&mut Builder<'_>, Reg, usize) -> Result<()>) -> Result<()> {
    let Some(sel) = &view.view else { return Err(cannot_modify(view)) };
    let label = view.name.clone();
    let names: Vec<String> = view.columns.iter().map(|c| c.name.clone()).collect();
    b.reads = true;
    let source = select::materialize(b, sel, &label, &names, true)?;
    let cursor = source.cursor;
    b.scopes.push(Scope::new(vec![source]));
    let r = (|| {
        let done = b.new_label();
        let next = b.new_label();
        b.emit(Op::Rewind { cursor, target: done });
        let top = b.addr();
        if let Some(w) = where_ {
            let r = b.expr_to_reg(w)?;
            b.emit(Op::IfNot { reg: r, target: next, jump_if_null: true });
        }
        let old = b.alloc_regs(view.columns.len());
        for i in 0..view.columns.len() {
            b.emit(Op::Column { cursor, column: i, dest: old + i, default: None });
        }
        body(b, old, next)?;
        b.resolve(next);
        b.emit(Op::Next { cursor, target: top });
        b.resolve(done);
        Ok(())
    })();
    b.scopes.pop();
    r
}

pub(super) fn update(b: &mut Builder<'_>, up: &Update, view: Arc<Table>) -> Result<()> {
    let view = with_columns(b, &view)?;
    let plan = super::dml::resolve_sets(&view, &up.sets)?;
    if plan.rowid_set.is_some() {
        return Err(Error::sql("no such column: rowid"));
    }
    if !has_instead_of(b, &view, Event::Update(&plan.set_cols)) {
        return Err(cannot_modify(&view));
    }
    b.writes = true;
    let returning = Returning::begin(b, &view, &up.returning)?;
    let ncol = view.columns.len();
    for_each_row(b, &view, up.where_.as_ref(), |b, old, next| {
        let new = b.alloc_regs(ncol);
        for (i, set) in plan.sets.iter().enumerate() {
            match set {
                Some(e) => b.expr(e, new + i)?,
                None => {
                    b.emit(Op::Copy { src: old + i, dest: new + i, count: 1 });
                }
            }
        }
        let rowid = b.alloc_reg();
        b.emit(Op::Null { dest: rowid, count: 1 });
        b.fire_triggers(&view, TriggerTime::InsteadOf, Event::Update(&plan.set_cols), Some((old, rowid)), Some((new, rowid)), next)?;
        if let Some(r) = &returning {
            r.row(b, new, rowid)?;
        }
        Ok(())
    })?;
    if let Some(r) = &returning {
        r.finish(b);
    }
    Ok(())
}

pub(super) fn delete(b: &mut Builder<'_>, del: &Delete, view: Arc<Table>) -> Result<()> {
    let view = with_columns(b, &view)?;
    if !has_instead_of(b, &view, Event::Delete) {
        return Err(cannot_modify(&view));
    }
    b.writes = true;
    let returning = Returning::begin(b, &view, &del.returning)?;
    for_each_row(b, &view, del.where_.as_ref(), |b, old, next| {
        let rowid = b.alloc_reg();
        b.emit(Op::Null { dest: rowid, count: 1 });
        b.fire_triggers(&view, TriggerTime::InsteadOf, Event::Delete, Some((old, rowid)), None, next)?;
        if let Some(r) = &returning {
            r.row(b, old, rowid)?;
        }
        Ok(())
    })?;
    if let Some(r) = &returning {
        r.finish(b);
    }
    Ok(())
}
