//! Code for generated columns (schema side: `schema/generated.rs`).
//!
//! - `validate`: what CREATE TABLE / ALTER TABLE ADD COLUMN check in a
//!   generated column's expression, with SQLite's messages.
//! - `compute`: fills the generated columns of a row image held in
//!   registers (one per table column) from its other columns, in an order
//!   that respects their dependencies; used before a row is checked and
//!   written, and after a row is read for DELETE / UPDATE / index builds.
//! - `read_virtual`: the value of a VIRTUAL column of the row under a
//!   table cursor, computed from that row's other columns.
//!
//! Invariant: a computed value gets the column's affinity when that is
//! TEXT or a numeric one (a column without a type keeps the value as is),
//! as SQLite's generated columns do.

use std::sync::Arc;

use crate::error::{Error, Result};
use crate::parse::ast::{self, Expr};
use crate::schema::Table;
use crate::vdbe::mem::Affinity;
use crate::vdbe::{Op, Reg};

use super::expr::{Scope, Source};
use super::Builder;

/// Checks the generated columns of a table about to be created (or to
/// receive a new column): at least one ordinary column, no dependency
/// loop, and expressions that use only what SQLite allows there.
pub(super) fn validate(b: &mut Builder<'_>, t: &Table) -> Result<()> {
    if !t.has_generated {
        return Ok(());
    }
    // As in SQLite, every column is checked and the last error stands.
    let mut err = None;
    for c in &t.columns {
        let Some(g) = &c.generated else { continue };
        if let Err(e) = prohibited(t, &g.expr) {
            err = Some(e);
            continue;
        }
        // Compiling the expression against the row reports unknown
        // columns and functions and misused aggregates as SQLite does; the
        // code itself is thrown away.
        let mark = b.ops.len();
        let row = b.alloc_regs(t.columns.len());
        let rowid = b.alloc_reg();
        let dest = b.alloc_reg();
        let r = super::dml::row_expr(b, t, &g.expr, row, rowid, dest);
        b.ops.truncate(mark);
        if let Err(e) = r {
            err = Some(e);
        }
    }
    if t.insertable_count() == 0 {
        err = Some(Error::sql("must have at least one non-generated column"));
    }
    if let Some(e) = err {
        return Err(e);
    }
    t.compute_order()?;
    Ok(())
}

/// What a generated column's expression may not contain, reported for
/// the first such node in the order SQLite's resolver meets them.
fn prohibited(t: &Table, e: &Expr) -> Result<()> {
    let mut bad: Option<String> = None;
    let mut missing: Option<String> = None;
    super::expr::walk(e, &mut |x| {
        if bad.is_some() || missing.is_some() {
            return false;
        }
        match x {
            Expr::Subquery(_) | Expr::Exists { .. } | Expr::InSelect { .. } => bad = Some("subqueries".into()),
            Expr::Variable(_) => bad = Some("parameters".into()),
            // No rowid: the row image a generated column is computed from
            // has none yet.
            Expr::Column { table: None, column, .. } if crate::schema::is_rowid_name(column) && t.column_index(column).is_none() => {
                missing = Some(column.clone());
            }
            Expr::Column { table: Some(q), column, .. } => {
                if q.eq_ignore_ascii_case(&t.name) && t.column_index(column).is_some() {
                    bad = Some("the \".\" operator".into());
                } else {
                    // Unknown qualifiers fail when the expression compiles.
                    return true;
                }
            }
            Expr::Function(f) if !super::ddl::deterministic(f) => bad = Some("non-deterministic functions".into()),
            _ => {}
        }
        bad.is_none() && missing.is_none()
    });
    if let Some(name) = missing {
        return Err(Error::sql(format!("no such column: {name}")));
    }
    match bad {
        Some(kind) => Err(Error::sql(format!("{kind} prohibited in generated columns"))),
        None => Ok(()),
    }
}

/// Computes the generated columns of the row image in `row` (one register
/// per table column; `rowid` holds the rowid). The ordinary columns get
/// their affinities first, as their values feed the expressions.
pub(super) fn compute(b: &mut Builder<'_>, t: &Table, row: Reg, rowid: Reg) -> Result<()> {
    if !t.has_generated {
        return Ok(());
    }
    let affs: Vec<Affinity> = t.columns.iter().map(|c| if c.generated.is_some() { Affinity::Blob } else { c.affinity }).collect();
    b.emit(Op::Affinity { start: row, affinities: Arc::from(affs) });
    compute_columns(b, t, row, rowid, |_| true)
}

/// Computes the VIRTUAL columns of a row image read from the record (its
/// STORED ones came with it).
pub(super) fn compute_virtual(b: &mut Builder<'_>, t: &Table, row: Reg, rowid: Reg) -> Result<()> {
    compute_columns(b, t, row, rowid, |i| t.is_virtual(i))
}

/// The generated columns `which` selects, in dependency order, each with
/// its affinity.
fn compute_columns(b: &mut Builder<'_>, t: &Table, row: Reg, rowid: Reg, which: impl Fn(usize) -> bool) -> Result<()> {
    for i in t.compute_order()? {
        let Some(g) = t.columns[i].generated.as_ref().filter(|_| which(i)) else { continue };
        super::dml::row_expr(b, t, &g.expr, row, rowid, row + i)?;
        apply_affinity(b, t, i, row + i);
    }
    Ok(())
}

/// Reads VIRTUAL column `i` of the row under `cursor` (a cursor on table
/// `t`) into `target`.
pub(super) fn read_virtual(b: &mut Builder<'_>, t: &Table, cursor: usize, i: usize, target: Reg) -> Result<()> {
    let Some(g) = t.columns.get(i).and_then(|c| c.generated.clone()) else {
        return Err(Error::corrupt());
    };
    if b.generating.contains(&(cursor, i)) {
        return Err(Error::sql(format!("generated column loop on \"{}\"", t.columns[i].name)));
    }
    b.generating.push((cursor, i));
    let saved = std::mem::take(&mut b.scopes);
    b.scopes.push(Scope::new(vec![Source::from_table(&t.name, Arc::new(t.clone()), cursor)]));
    let r = b.expr(&g.expr, target);
    b.scopes = saved;
    b.generating.pop();
    r?;
    apply_affinity(b, t, i, target);
    Ok(())
}

fn apply_affinity(b: &mut Builder<'_>, t: &Table, i: usize, reg: Reg) {
    let aff = t.columns[i].affinity;
    if aff != Affinity::Blob {
        b.emit(Op::Affinity { start: reg, affinities: Arc::from(vec![aff]) });
    }
}

/// The message for naming generated column `name` as a target of `verb`
/// (INSERT or UPDATE).
pub(super) fn not_writable(verb: &str, name: &str) -> Error {
    Error::sql(format!("cannot {verb} into generated column \"{name}\"").replace("UPDATE into", "UPDATE"))
}

/// True when `INSERT INTO t SELECT * FROM s` copies whole rows, as
/// SQLite's transfer optimisation does when it applies without a fallback
/// (then the generated columns of `s` count among the values): `t` has
/// generated columns, no index and no trigger, the default conflict
/// handling, and `s` is another table declared alike column by column.
pub(super) fn copies_whole_rows(b: &Builder<'_>, ins: &ast::Insert, t: &Table) -> bool {
    use ast::{InsertSource, ResultColumn, SelectCore, TableRef};
    if !t.has_generated || ins.or_conflict.is_some() || !ins.upsert.is_empty() || ins.with.is_some() {
        return false;
    }
    let InsertSource::Select(sel) = &ins.source else { return false };
    if sel.with.is_some() || !sel.compounds.is_empty() || !sel.order_by.is_empty() || sel.limit.is_some() {
        return false;
    }
    let SelectCore::Select(body) = &sel.core else { return false };
    let plain = !body.distinct && body.where_.is_none() && body.group_by.is_empty() && body.having.is_none() && body.windows.is_empty() && matches!(body.columns.as_slice(), [ResultColumn::Star]);
    let Some(from) = body.from.as_ref().filter(|f| plain && f.joins.is_empty()) else { return false };
    let TableRef::Table { name, args: None, .. } = &from.first else { return false };
    let Some(s) = b.schemas.find_table(name.schema.as_deref(), &name.name) else { return false };
    if s.is_view() || s.module.is_some() || (s.name.eq_ignore_ascii_case(&t.name) && s.db == t.db) {
        return false;
    }
    if !b.schemas.indexes_of(t).is_empty() || b.has_triggers(t, super::trigger::Event::Insert) {
        return false;
    }
    if s.columns.len() != t.columns.len() || s.rowid_alias != t.rowid_alias || (t.strict && !s.strict) {
        return false;
    }
    if !t.checks.is_empty() && t.checks.iter().map(|c| &c.1).ne(s.checks.iter().map(|c| &c.1)) {
        return false;
    }
    t.columns.iter().zip(&s.columns).enumerate().all(|(i, (d, c))| {
        let same_collation = d.collation.as_deref().unwrap_or("BINARY").eq_ignore_ascii_case(c.collation.as_deref().unwrap_or("BINARY"));
        let same_generated = match (&d.generated, &c.generated) {
            (None, None) => i == 0 || d.default == c.default,
            (Some(x), Some(y)) => x.stored == y.stored && x.expr == y.expr,
            _ => false,
        };
        d.affinity == c.affinity && same_collation && (!d.not_null || c.not_null) && same_generated
    })
}
