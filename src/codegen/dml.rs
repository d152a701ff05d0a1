//! INSERT, UPDATE and DELETE.
//!
//! Every row change keeps the table and all its indexes in step: a new row
//! gets an entry in each index; a changed or deleted row loses its old
//! entries first. Constraint checks run in SQLite's order — NOT NULL, then
//! CHECK, then the rowid and each UNIQUE index — and honour the conflict
//! resolution (OR IGNORE / OR REPLACE / ABORT ...). UPDATE and DELETE first
//! collect the rowids to change into a transient table, then change them,
//! so the loop never walks a B-tree it is modifying.

use std::sync::Arc;

use crate::btree::TreeKind;
use crate::error::{code, Error, Result};
use crate::parse::ast::{self, ConflictResolution, Delete, Expr, Insert, InsertSource, SelectCore, Update};
use crate::schema::{is_rowid_name, Index, IndexOrigin, Table};
use crate::vdbe::mem::Affinity;
use crate::vdbe::{CmpOp, OnError, Op, PreUpdateNew, Reg, Root};
use crate::collation::CollSeq;

use super::expr::{Scope, Source, ROWID};
use super::select::{self, Dest};
use super::trigger::Event;
use super::where_::{self, Level};
use super::returning::Returning;
use super::upsert::{Constraint, Handling, UpsertPlan};
use super::Builder;
use crate::parse::ast::TriggerTime;

fn on_error(c: Option<ConflictResolution>) -> Option<OnError> {
    c.map(|c| match c {
        ConflictResolution::Rollback => OnError::Rollback,
        ConflictResolution::Abort => OnError::Abort,
        ConflictResolution::Fail => OnError::Fail,
        ConflictResolution::Ignore => OnError::Ignore,
        ConflictResolution::Replace => OnError::Replace,
    })
}

/// The table a DML statement writes, with SQLite's refusals.
fn writable_table(b: &Builder<'_>, name: &ast::QualifiedName) -> Result<Arc<Table>> {
    let n = &name.name;
    let t = b.schemas.find_table(name.schema.as_deref(), n).ok_or_else(|| {
        Error::sql(match &name.schema {
            Some(s) => format!("no such table: {s}.{n}"),
            None => format!("no such table: {n}"),
        })
    })?;
    if crate::schema::SchemaSet::is_schema_table(n) {
        return Err(Error::sql(format!("table {n} may not be modified")));
    }
    t.check_usable()?;
    if t.is_view() {
        return Err(Error::sql(format!("cannot modify {n} because it is a view")));
    }
    Ok(t)
}

/// Open write cursors on a table and all its indexes.
pub(super) struct Target {
    pub table: Arc<Table>,
    pub cursor: usize,
    pub indexes: Vec<(Arc<Index>, usize)>,
}

fn open_target(b: &mut Builder<'_>, table: Arc<Table>) -> Target {
    b.writes = true;
    let cursor = b.alloc_cursor();
    b.emit(Op::OpenWrite { cursor, db: table.db, root: Root::Page(table.root), kind: table.tree_kind(), key_info: table.cursor_key_info() });
    let mut indexes = Vec::new();
    for ix in b.schemas.indexes_of(&table) {
        let c = b.alloc_cursor();
        b.emit(Op::OpenWrite { cursor: c, db: ix.db, root: Root::Page(ix.root), kind: TreeKind::Index, key_info: Some(ix.key_info.clone()) });
        indexes.push((ix, c));
    }
    Target { table, cursor, indexes }
}

/// Builds the key of `ix` (its columns or expressions, then the rowid, or
/// for a WITHOUT ROWID table the PRIMARY KEY columns it lacks) from a row
/// held in registers `row` (one per table column) and `rowid`.
pub(super) fn index_key(b: &mut Builder<'_>, t: &Table, ix: &Index, row: Reg, rowid: Reg) -> Result<Reg> {
    let n = ix.columns.len();
    let key = b.alloc_regs(ix.n_fields());
    for (k, c) in ix.columns.iter().enumerate() {
        match (c.column, &c.expr) {
            (Some(col), _) if Some(col) == t.rowid_alias => {
                b.emit(Op::Copy { src: rowid, dest: key + k, count: 1 });
            }
            (Some(col), _) => {
                b.emit(Op::Copy { src: row + col, dest: key + k, count: 1 });
            }
            (None, Some(e)) => row_expr(b, t, e, row, rowid, key + k)?,
            (None, None) => return Err(Error::corrupt()),
        }
    }
    match &ix.pk_tail {
        Some(tail) => {
            for (k, &col) in tail.iter().enumerate() {
                b.emit(Op::Copy { src: row + col, dest: key + n + k, count: 1 });
            }
        }
        None => {
            b.emit(Op::Copy { src: rowid, dest: key + n, count: 1 });
        }
    }
    Ok(key)
}

/// Evaluates `e` (an index expression or a partial index's WHERE) on the
/// row image in registers `row` / `rowid` of table `t`, into `dest`.
pub(super) fn row_expr(b: &mut Builder<'_>, t: &Table, e: &Expr, row: Reg, rowid: Reg, dest: Reg) -> Result<()> {
    let fake = b.alloc_cursor();
    let mut subst: Vec<((usize, usize), Reg)> = (0..t.columns.len()).map(|i| ((fake, i), row + i)).collect();
    subst.push(((fake, ROWID), rowid));
    let saved = std::mem::take(&mut b.scopes);
    b.scopes.push(Scope::new(vec![Source::from_table(&t.name, Arc::new(t.clone()), fake)]));
    b.column_subst.push(subst);
    let r = b.expr(e, dest);
    b.column_subst.pop();
    b.scopes = saved;
    r
}

/// For a partial index: jumps to `skip` unless the row image satisfies
/// its WHERE (such a row has no entry in the index).
pub(super) fn skip_unless_indexed(b: &mut Builder<'_>, t: &Table, ix: &Index, row: Reg, rowid: Reg, skip: usize) -> Result<()> {
    if let Some(w) = &ix.partial {
        let r = b.alloc_reg();
        row_expr(b, t, w, row, rowid, r)?;
        b.emit(Op::IfNot { reg: r, target: skip, jump_if_null: true });
    }
    Ok(())
}

/// Reads the current row of the table cursor into registers (one per
/// table column: the generated ones are computed from the others).
pub(super) fn read_row(b: &mut Builder<'_>, t: &Table, cursor: usize, row: Reg) -> Result<()> {
    for i in 0..t.columns.len() {
        if Some(i) == t.rowid_alias {
            b.emit(Op::Rowid { cursor, dest: row + i });
        } else if t.is_virtual(i) {
            b.emit(Op::Null { dest: row + i, count: 1 });
        } else {
            b.emit(Op::Column { cursor, column: t.storage_index(i), dest: row + i, default: t.column_default(i) });
            if t.columns[i].affinity == crate::vdbe::mem::Affinity::Real {
                b.emit(Op::RealAffinity { reg: row + i });
            }
        }
    }
    if t.has_virtual() {
        let rowid = b.alloc_reg();
        b.emit(Op::Rowid { cursor, dest: rowid });
        super::generated::compute_virtual(b, t, row, rowid)?;
    }
    Ok(())
}

/// Deletes the row under the table cursor and its index entries.
/// `hooked`: the update hook reports the delete (DELETE statements, not
/// REPLACE conflict resolution, as in SQLite).
fn delete_current_row(b: &mut Builder<'_>, tg: &Target, count_change: bool, hooked: bool) -> Result<()> {
    let t = tg.table.clone();
    let row = b.alloc_regs(t.columns.len());
    let rowid = b.alloc_reg();
    b.emit(Op::Rowid { cursor: tg.cursor, dest: rowid });
    read_row(b, &t, tg.cursor, row)?;
    for (ix, c) in &tg.indexes {
        let skip = b.new_label();
        skip_unless_indexed(b, &t, ix, row, rowid, skip)?;
        let key = index_key(b, &t, ix, row, rowid)?;
        b.emit(Op::IdxDelete { cursor: *c, key, n: ix.n_fields() });
        b.resolve(skip);
    }
    preupdate(b, &t, crate::preupdate::DELETE, tg.cursor, PreUpdateNew::None);
    let hook = if hooked && !t.without_rowid { row_hook(&t, 9) } else { None };
    b.emit(Op::Delete { cursor: tg.cursor, count_change, hook });
    Ok(())
}

/// SQLite's message for a UNIQUE violation of `ix`: its columns, or for
/// an index on expressions its name.
pub(super) fn unique_message(t: &Table, ix: &Index) -> String {
    if ix.columns.iter().any(|c| c.column.is_none()) {
        return format!("UNIQUE constraint failed: index '{}'", ix.name);
    }
    let cols: Vec<String> = ix.columns.iter().filter_map(|c| c.column).map(|i| format!("{}.{}", t.name, t.columns[i].name)).collect();
    format!("UNIQUE constraint failed: {}", cols.join(", "))
}

/// The constraint checks and the writes of one new row image: `row` holds
/// one register per column (the rowid alias column holds the rowid),
/// `rowid` the rowid. `old_rowid` is set for UPDATE (a row may conflict
/// with itself). Jumps to `skip` when OR IGNORE drops the row. `upsert`
/// (INSERT only) handles conflicts its clauses name, and the constraint
/// its first clause names is checked before the others, as in SQLite.
#[allow(clippy::too_many_arguments)]
fn check_and_write(b: &mut Builder<'_>, tg: &Target, row: Reg, rowid: Reg, old_rowid: Option<Reg>, stmt_conflict: Option<OnError>, rowid_explicit: bool, skip: usize, upsert: Option<&UpsertPlan<'_>>) -> Result<()> {
    let t = tg.table.clone();
    let default_action = stmt_conflict.unwrap_or(OnError::Abort);
    // Column affinities.
    let affs: Vec<Affinity> = t.columns.iter().map(|c| c.affinity).collect();
    b.emit(Op::Affinity { start: row, affinities: Arc::from(affs) });
    if let Some(check) = t.strict_check() {
        b.emit(Op::TypeCheck { start: row, check: Arc::new(check) });
    }
    // NOT NULL
    for (i, c) in t.columns.iter().enumerate() {
        if !c.not_null || Some(i) == t.rowid_alias {
            continue;
        }
        let action = stmt_conflict.or(c.not_null_conflict).unwrap_or(OnError::Abort);
        let msg = format!("NOT NULL constraint failed: {}.{}", t.name, c.name);
        match action {
            OnError::Ignore => {
                b.emit(Op::IsNull { reg: row + i, target: skip });
            }
            OnError::Replace if c.default.is_some() => {
                let ok = b.new_label();
                b.emit(Op::NotNull { reg: row + i, target: ok });
                b.scopes.push(Scope::default());
                let r = c.default.as_ref().map(|d| b.expr(d, row + i)).unwrap_or(Ok(()));
                b.scopes.pop();
                r?;
                b.emit(Op::HaltIfNull { reg: row + i, rc: code::CONSTRAINT_NOTNULL, msg, on_error: OnError::Abort });
                b.resolve(ok);
            }
            other => {
                let on_error = if other == OnError::Replace { OnError::Abort } else { other };
                b.emit(Op::HaltIfNull { reg: row + i, rc: code::CONSTRAINT_NOTNULL, msg, on_error });
            }
        }
    }
    // CHECK constraints see the new row through a scope whose columns read
    // the row registers.
    if !t.checks.is_empty() {
        let fake = b.alloc_cursor();
        let mut subst: Vec<((usize, usize), Reg)> = (0..t.columns.len()).map(|i| ((fake, i), row + i)).collect();
        subst.push(((fake, ROWID), rowid));
        b.scopes.push(Scope::new(vec![Source::from_table(&t.name, t.clone(), fake)]));
        b.column_subst.push(subst);
        let r = (|| {
            for (name, e) in &t.checks {
                let ok = b.new_label();
                let r = b.expr_to_reg(e)?;
                b.emit(Op::If { reg: r, target: ok, jump_if_null: true });
                let label = name.clone().unwrap_or_default();
                let msg = format!("CHECK constraint failed: {label}");
                match default_action {
                    OnError::Ignore => {
                        b.emit(Op::Goto { target: skip });
                    }
                    a => {
                        let on_error = if a == OnError::Replace { OnError::Abort } else { a };
                        b.emit(Op::Halt { rc: code::CONSTRAINT_CHECK, msg: Some(msg), on_error });
                    }
                }
                b.resolve(ok);
            }
            Ok(())
        })();
        b.column_subst.pop();
        b.scopes.pop();
        r?;
    }
    if let Some(pk) = &t.pk_index {
        // A WITHOUT ROWID row is named by its PRIMARY KEY (with the
        // columns' affinities applied), which must be new.
        super::without_rowid::pk_locator(b, pk, row, rowid);
    }
    let rowid_explicit = rowid_explicit || t.without_rowid;
    let order = constraint_order(tg, rowid_explicit, stmt_conflict, upsert);
    for (k, c) in order.into_iter().enumerate() {
        match c {
            Constraint::Rowid => check_rowid(b, tg, row, rowid, old_rowid, stmt_conflict, skip, upsert, k == 0)?,
            Constraint::Index(i) => check_index(b, tg, i, row, rowid, old_rowid, stmt_conflict, skip, upsert)?,
        }
    }
    Ok(())
}

/// The order SQLite checks the uniqueness constraints of a new row in.
/// Its indexes form a list in which each new index goes first, except
/// that indexes whose conflict resolution is REPLACE stay last. An upsert
/// moves the indexes its clauses name to the front, in clause order; the
/// rowid goes first, unless the first clause names an index (then the
/// rowid comes after the named indexes, where the clauses place it) or
/// its resolution is REPLACE while the other constraints' is not (then it
/// comes last).
fn constraint_order(tg: &Target, rowid_explicit: bool, stmt_conflict: Option<OnError>, upsert: Option<&UpsertPlan<'_>>) -> Vec<Constraint> {
    if let (Some(pk), None) = (&tg.table.pk_index, upsert) {
        return super::without_rowid::constraint_order(tg, pk);
    }
    let is_replace = |i: usize| tg.indexes[i].0.on_conflict == Some(OnError::Replace);
    let mut list: Vec<usize> = Vec::new();
    for i in 0..tg.indexes.len() {
        if !is_replace(i) || list.is_empty() || is_replace(list[0]) {
            list.insert(0, i);
        } else {
            let at = (1..list.len()).find(|&k| is_replace(list[k])).unwrap_or(list.len());
            list.insert(at, i);
        }
    }
    if let Some(u) = upsert {
        let named = u.named_indexes();
        let mut front: Vec<usize> = named.clone();
        front.extend(list.iter().copied().filter(|i| !named.contains(i)));
        list = front;
    }
    let mut order: Vec<Constraint> = list.into_iter().filter(|&i| tg.indexes[i].0.unique).map(Constraint::Index).collect();
    if !rowid_explicit {
        return order;
    }
    let handled = upsert.and_then(|u| u.handling(Constraint::Rowid));
    let ipk_action = if handled.is_some() { None } else { Some(stmt_conflict.or(tg.table.pk_conflict).unwrap_or(OnError::Abort)) };
    let override_action = match upsert {
        Some(u) if u.single_targetless() => None,
        _ => stmt_conflict,
    };
    if ipk_action == Some(OnError::Replace) && override_action != Some(OnError::Replace) && !tg.indexes.is_empty() {
        order.push(Constraint::Rowid);
        return order;
    }
    if let Some(u) = upsert {
        if !u.rowid_is_first_clause() {
            // After the first named index whose clause is followed by the
            // rowid's turn.
            let at = order.iter().position(|c| u.next_is_rowid_after(*c)).map_or(order.len(), |p| p + 1);
            order.insert(at, Constraint::Rowid);
            return order;
        }
    }
    order.insert(0, Constraint::Rowid);
    order
}

/// Emits what an upsert clause does on a conflict with a row whose rowid
/// is in `other`.
/// `image` holds the row to insert as `excluded` sees it.
fn upsert_conflict(b: &mut Builder<'_>, h: Handling, other: Reg, image: Reg, skip: usize) {
    match h {
        Handling::Nothing => {
            b.emit(Op::Goto { target: skip });
        }
        Handling::Update { label, rowid, excluded, ncol, .. } => {
            b.emit(Op::Copy { src: other, dest: rowid, count: 1 });
            if ncol > 0 {
                b.emit(Op::Copy { src: image, dest: excluded, count: ncol });
            }
            b.emit(Op::Goto { target: label });
        }
    }
}

/// The rowid must be new (unless it is the row being updated).
#[allow(clippy::too_many_arguments)]
fn check_rowid(b: &mut Builder<'_>, tg: &Target, row: Reg, rowid: Reg, old_rowid: Option<Reg>, stmt_conflict: Option<OnError>, skip: usize, upsert: Option<&UpsertPlan<'_>>, before_indexes: bool) -> Result<()> {
    let t = tg.table.clone();
    {
        let ok = b.new_label();
        if let (Some(old), false) = (old_rowid, t.without_rowid) {
            let same = b.alloc_reg();
            b.emit(Op::Compare { op: CmpOp::Eq, lhs: rowid, rhs: old, dest: same, affinity: None, coll: CollSeq::Binary });
            b.emit(Op::If { reg: same, target: ok, jump_if_null: false });
        }
        b.emit(Op::SeekRowid { cursor: tg.cursor, reg: rowid, target: ok });
        if let (Some(old), true) = (old_rowid, t.without_rowid) {
            // A PRIMARY KEY equal under its collations may still be the row
            // being updated: compare the stored keys.
            let found = b.alloc_reg();
            let same = b.alloc_reg();
            b.emit(Op::Rowid { cursor: tg.cursor, dest: found });
            b.emit(Op::Compare { op: CmpOp::Eq, lhs: found, rhs: old, dest: same, affinity: None, coll: CollSeq::Binary });
            b.emit(Op::If { reg: same, target: ok, jump_if_null: false });
        }
        let action = stmt_conflict.or(t.pk_conflict).unwrap_or(OnError::Abort);
        let pk_name = match t.rowid_alias {
            Some(i) => t.columns[i].name.clone(),
            None if t.without_rowid => t.pk_columns().iter().map(|&i| t.columns[i].name.clone()).collect::<Vec<_>>().join(&format!(", {}.", t.name)),
            None => "rowid".to_string(),
        };
        let msg = format!("UNIQUE constraint failed: {}.{}", t.name, pk_name);
        if let Some(h) = upsert.and_then(|u| u.handling(Constraint::Rowid)) {
            // Checked before any index, the rowid conflict sees the row
            // without its affinities, as in SQLite.
            let image = match (&h, before_indexes) {
                (Handling::Update { raw, .. }, true) => *raw,
                _ => row,
            };
            upsert_conflict(b, h, rowid, image, skip);
            b.resolve(ok);
            return Ok(());
        }
        match action {
            OnError::Ignore => {
                b.emit(Op::Goto { target: skip });
            }
            OnError::Replace => delete_current_row(b, tg, false, false)?,
            a => {
                b.emit(Op::Halt { rc: code::CONSTRAINT_PRIMARYKEY, msg: Some(msg), on_error: a });
            }
        }
        b.resolve(ok);
    }
    Ok(())
}

/// A UNIQUE index (position `pos` of the target's indexes) must not hold
/// the new key for another row.
#[allow(clippy::too_many_arguments)]
fn check_index(b: &mut Builder<'_>, tg: &Target, pos: usize, row: Reg, rowid: Reg, old_rowid: Option<Reg>, stmt_conflict: Option<OnError>, skip: usize, upsert: Option<&UpsertPlan<'_>>) -> Result<()> {
    let t = tg.table.clone();
    let Some((ix, c)) = tg.indexes.get(pos) else { return Ok(()) };
    let not_indexed = b.new_label();
    skip_unless_indexed(b, &t, ix, row, rowid, not_indexed)?;
    {
        let key = index_key(b, &t, ix, row, rowid)?;
        let ok = b.new_label();
        b.emit(Op::NoConflict { cursor: *c, key, n: ix.columns.len(), target: ok });
        if let Some(old) = old_rowid {
            let other = b.alloc_reg();
            let same = b.alloc_reg();
            b.emit(Op::IdxRowid { cursor: *c, dest: other });
            b.emit(Op::Compare { op: CmpOp::Eq, lhs: other, rhs: old, dest: same, affinity: None, coll: CollSeq::Binary });
            b.emit(Op::If { reg: same, target: ok, jump_if_null: false });
        }
        let action = stmt_conflict.or(ix.on_conflict).unwrap_or(OnError::Abort);
        let rc = if ix.origin == IndexOrigin::PrimaryKey { code::CONSTRAINT_PRIMARYKEY } else { code::CONSTRAINT_UNIQUE };
        if let Some(h) = upsert.and_then(|u| u.handling(Constraint::Index(pos))) {
            let other = b.alloc_reg();
            b.emit(Op::IdxRowid { cursor: *c, dest: other });
            upsert_conflict(b, h, other, row, skip);
            b.resolve(ok);
            return Ok(());
        }
        match action {
            OnError::Ignore => {
                b.emit(Op::Goto { target: skip });
            }
            OnError::Replace => {
                let other = b.alloc_reg();
                b.emit(Op::IdxRowid { cursor: *c, dest: other });
                let gone = b.new_label();
                b.emit(Op::SeekRowid { cursor: tg.cursor, reg: other, target: gone });
                delete_current_row(b, tg, false, false)?;
                b.resolve(gone);
            }
            a => {
                b.emit(Op::Halt { rc, msg: Some(unique_message(&t, ix)), on_error: a });
            }
        }
        b.resolve(ok);
    }
    b.resolve(not_indexed);
    Ok(())
}

/// The update-hook report of a change to `t` (`op` is SQLITE_INSERT,
/// SQLITE_UPDATE or SQLITE_DELETE).
fn row_hook(t: &Table, op: i32) -> Option<Arc<crate::vdbe::RowHook>> {
    Some(Arc::new(crate::vdbe::RowHook { op, db: t.db, table: Arc::from(t.name.as_str()) }))
}

/// The preupdate hook's report of a change to `t` through `cursor`
/// (`op` is SQLITE_INSERT, SQLITE_UPDATE or SQLITE_DELETE), made at the
/// trigger depth being compiled.
fn preupdate(b: &mut Builder<'_>, t: &Table, op: i32, cursor: usize, new: PreUpdateNew) {
    let table = Arc::new(crate::preupdate::PreUpdateTable::new(t, op, b.triggers_active.len()));
    b.emit(Op::PreUpdate { cursor, table, new });
}

/// Writes the row image: the table record (the rowid alias column stored
/// as NULL, as SQLite stores it) and one entry per index. `hook_op`: what
/// the update hook reports (SQLITE_INSERT or SQLITE_UPDATE).
fn write_row(b: &mut Builder<'_>, tg: &Target, row: Reg, rowid: Reg, count_change: bool, set_last_rowid: bool, hook_op: i32) -> Result<()> {
    let t = tg.table.clone();
    // (record, cursor, and for a partial index the register saying
    // whether the row belongs in it).
    let mut keys = Vec::new();
    for (ix, c) in &tg.indexes {
        let key = index_key(b, &t, ix, row, rowid)?;
        let rec = b.alloc_reg();
        b.emit(Op::MakeRecord { start: key, count: ix.n_fields(), dest: rec });
        let member = match &ix.partial {
            Some(w) => {
                let r = b.alloc_reg();
                row_expr(b, &t, w, row, rowid, r)?;
                Some(r)
            }
            None => None,
        };
        keys.push((rec, *c, member));
    }
    // The record holds the columns that are not VIRTUAL.
    let n = t.stored_count();
    let image = b.alloc_regs(n);
    if t.without_rowid {
        // PRIMARY KEY columns first (see schema/without_rowid.rs).
        for i in (0..t.columns.len()).filter(|&i| !t.is_virtual(i)) {
            b.emit(Op::Copy { src: row + i, dest: image + t.record_field(i), count: 1 });
        }
    } else if t.has_virtual() {
        for i in (0..t.columns.len()).filter(|&i| !t.is_virtual(i)) {
            b.emit(Op::Copy { src: row + i, dest: image + t.storage_index(i), count: 1 });
        }
    } else {
        b.emit(Op::Copy { src: row, dest: image, count: n });
    }
    if let Some(ipk) = t.rowid_alias {
        b.emit(Op::Null { dest: image + t.storage_index(ipk), count: 1 });
    }
    let rec = b.alloc_reg();
    b.emit(Op::MakeRecord { start: image, count: n, dest: rec });
    if hook_op == crate::preupdate::INSERT {
        // An UPDATE's preupdate call comes earlier, with the old row under
        // the cursor (`update_row`).
        preupdate(b, &t, hook_op, tg.cursor, PreUpdateNew::Record { record: rec, rowid });
    }
    // No update hook and no last_insert_rowid for a WITHOUT ROWID table,
    // as in SQLite.
    let hook = if t.without_rowid { None } else { row_hook(&t, hook_op) };
    b.emit(Op::Insert { cursor: tg.cursor, record: rec, rowid, count_change, set_last_rowid: set_last_rowid && !t.without_rowid, hook });
    for (rec, c, member) in keys {
        let skip = b.new_label();
        if let Some(m) = member {
            b.emit(Op::IfNot { reg: m, target: skip, jump_if_null: true });
        }
        b.emit(Op::IdxInsert { cursor: c, key: rec });
        b.resolve(skip);
    }
    Ok(())
}

/// A row a trigger body changes counts towards total_changes() only.
fn count_trigger_change(b: &mut Builder<'_>) {
    if b.in_trigger() {
        b.emit(Op::TotalChange);
    }
}

/// Compiles `f` with the CTEs of a statement's WITH clause in scope.
fn with_ctes(b: &mut Builder<'_>, with: Option<&ast::With>, f: impl FnOnce(&mut Builder<'_>) -> Result<()>) -> Result<()> {
    let pushed = with.map_or(0, |w| b.push_ctes(w));
    let r = f(b);
    b.pop_ctes(pushed);
    r
}

pub fn compile_insert(b: &mut Builder<'_>, ins: &Insert) -> Result<()> {
    with_ctes(b, ins.with.as_ref(), |b| compile_insert_body(b, ins))
}

fn compile_insert_body(b: &mut Builder<'_>, ins: &Insert) -> Result<()> {
    if let Some(view) = super::instead_of::target_view(b, &ins.table) {
        return super::instead_of::insert(b, ins, view);
    }
    if let Some(t) = super::vtab_dml::target(b, &ins.table) {
        return super::vtab_dml::insert(b, ins, t);
    }
    let table = writable_table(b, &ins.table)?;
    let ncol = table.columns.len();
    // Which source value feeds each table column; `rowid_src` feeds the
    // rowid when the column list names it.
    let mut map: Vec<Option<usize>> = vec![None; ncol];
    let mut rowid_src: Option<usize> = None;
    let width;
    if ins.columns.is_empty() && super::generated::copies_whole_rows(b, ins, &table) {
        // SQLite's transfer of whole records: the source's generated
        // columns come along (and are computed again here).
        for (i, m) in map.iter_mut().enumerate() {
            *m = Some(i);
        }
        width = ncol;
    } else if ins.columns.is_empty() {
        // Generated columns take no value.
        let mut k = 0;
        for (i, m) in map.iter_mut().enumerate() {
            if table.columns[i].generated.is_none() {
                *m = Some(k);
                k += 1;
            }
        }
        width = k;
    } else {
        for (k, name) in ins.columns.iter().enumerate() {
            match table.column_index(name) {
                Some(i) if table.columns[i].generated.is_some() => return Err(super::generated::not_writable("INSERT", &table.columns[i].name)),
                Some(i) => map[i] = Some(k),
                None if is_rowid_name(name) && !table.without_rowid => rowid_src = Some(k),
                None => return Err(Error::sql(format!("table {} has no column named {}", table.name, name))),
            }
        }
        width = ins.columns.len();
    }
    if let Some(ipk) = table.rowid_alias {
        if let Some(k) = map[ipk] {
            rowid_src = Some(k);
        }
    }
    let supplied = match &ins.source {
        InsertSource::DefaultValues => None,
        InsertSource::Select(sel) => match (&sel.core, sel.compounds.is_empty()) {
            (SelectCore::Values(rows), true) => rows.first().map(|r| r.len()),
            _ => None,
        },
    };
    if let Some(n) = supplied {
        if n != width {
            return Err(Error::sql(if ins.columns.is_empty() {
                format!("table {} has {} columns but {} values were supplied", table.name, table.insertable_count(), n)
            } else {
                format!("{} values for {} columns", n, width)
            }));
        }
    }
    let stmt_conflict = on_error(ins.or_conflict);
    let has_triggers = b.has_triggers(&table, Event::Insert);
    let tg = open_target(b, table.clone());
    let label = ins.alias.clone().unwrap_or_else(|| table.name.clone());
    let upsert = UpsertPlan::analyze(b, &tg, &label, &ins.upsert)?;
    let returning = Returning::begin(b, &table, &ins.returning)?;
    let autoinc = if table.autoincrement { Some(autoinc_begin(b, &table)?) } else { None };
    // One row of source values in `src`, then the shared insert code.
    let insert_one = |b: &mut Builder<'_>, src: Option<Reg>| -> Result<()> {
        let skip = b.new_label();
        let row = b.alloc_regs(ncol);
        let rowid = b.alloc_reg();
        b.scopes.push(Scope::default());
        let r = (|| {
            for (i, c) in table.columns.iter().enumerate() {
                match (map[i], src) {
                    (Some(k), Some(s)) => {
                        b.emit(Op::Copy { src: s + k, dest: row + i, count: 1 });
                    }
                    _ => match &c.default {
                        _ if c.generated.is_some() => {
                            b.emit(Op::Null { dest: row + i, count: 1 });
                        }
                        Some(d) => b.expr(d, row + i)?,
                        None => {
                            b.emit(Op::Null { dest: row + i, count: 1 });
                        }
                    },
                }
            }
            Ok(())
        })();
        b.scopes.pop();
        r?;
        let explicit = match (rowid_src, src) {
            (Some(k), Some(s)) => {
                let have = b.new_label();
                let done = b.new_label();
                b.emit(Op::Copy { src: s + k, dest: rowid, count: 1 });
                b.emit(Op::NotNull { reg: rowid, target: have });
                b.emit(Op::NewRowid { cursor: tg.cursor, dest: rowid });
                b.emit(Op::Goto { target: done });
                b.resolve(have);
                b.emit(Op::MustBeInt { reg: rowid });
                b.resolve(done);
                true
            }
            // A WITHOUT ROWID row's name is its PRIMARY KEY, made once
            // the columns have their affinities (check_and_write).
            _ if table.without_rowid => {
                b.emit(Op::Null { dest: rowid, count: 1 });
                true
            }
            _ => {
                b.emit(Op::NewRowid { cursor: tg.cursor, dest: rowid });
                if let Some(a) = &autoinc {
                    a.next_rowid(b, rowid);
                }
                false
            }
        };
        if let Some(ipk) = table.rowid_alias {
            b.emit(Op::Copy { src: rowid, dest: row + ipk, count: 1 });
        }
        super::generated::compute(b, &table, row, rowid)?;
        if let Some(u) = &upsert {
            u.save_raw(b, row);
        }
        let count = !b.in_trigger();
        if has_triggers {
            // BEFORE triggers see NEW with the columns' affinities applied.
            let affs: Vec<Affinity> = table.columns.iter().map(|c| c.affinity).collect();
            b.emit(Op::Affinity { start: row, affinities: Arc::from(affs) });
            b.fire_triggers(&table, TriggerTime::Before, Event::Insert, None, Some((row, rowid)), skip)?;
        }
        // The sequence counts every rowid that reached the constraint
        // checks, even when OR IGNORE or an upsert then drops the row.
        if let Some(a) = &autoinc {
            a.note_rowid(b, rowid);
        }
        check_and_write(b, &tg, row, rowid, None, stmt_conflict, explicit, skip, upsert.as_ref())?;
        write_row(b, &tg, row, rowid, count, count, 18)?;
        count_trigger_change(b);
        if let Some(r) = &returning {
            r.row(b, row, rowid)?;
        }
        if has_triggers {
            b.fire_triggers(&table, TriggerTime::After, Event::Insert, None, Some((row, rowid)), skip)?;
        }
        if let Some(u) = &upsert {
            b.emit(Op::Goto { target: skip });
            u.emit_updates(b, &tg, &label, rowid, skip, returning.as_ref())?;
        }
        b.resolve(skip);
        Ok(())
    };
    match &ins.source {
        InsertSource::DefaultValues => insert_one(b, None)?,
        InsertSource::Select(sel) => {
            if let (SelectCore::Values(rows), true, true, None) = (&sel.core, sel.compounds.is_empty(), sel.order_by.is_empty(), &sel.limit) {
                if rows.len() == 1 {
                    let src = b.alloc_regs(width);
                    b.scopes.push(Scope::default());
                    let r = (|| {
                        for (k, e) in rows[0].iter().enumerate() {
                            b.expr(e, src + k)?;
                        }
                        Ok(())
                    })();
                    b.scopes.pop();
                    r?;
                    insert_one(b, Some(src))?;
                    if let Some(a) = &autoinc {
                        a.end(b, &table);
                    }
                    if let Some(r) = &returning {
                        r.finish(b);
                    }
                    return Ok(());
                }
            }
            // Materialise the source rows first: the select may read the
            // very table being written.
            let eph = b.alloc_cursor();
            b.emit(Op::OpenEphemeral { cursor: eph, key_info: None });
            b.reads = true;
            let was = std::mem::replace(&mut b.auto_index_ok, b.per_row_program == 0);
            let out = select::compile_select(b, sel, Dest::EphTable(eph));
            b.auto_index_ok = was;
            let out = out?;
            if out.names.len() != width {
                return Err(Error::sql(if ins.columns.is_empty() {
                    format!("table {} has {} columns but {} values were supplied", table.name, table.insertable_count(), out.names.len())
                } else {
                    format!("{} values for {} columns", out.names.len(), width)
                }));
            }
            let done = b.new_label();
            b.emit(Op::Rewind { cursor: eph, target: done });
            let top = b.addr();
            let src = b.alloc_regs(width);
            for k in 0..width {
                b.emit(Op::Column { cursor: eph, column: k, dest: src + k, default: None });
            }
            insert_one(b, Some(src))?;
            b.emit(Op::Next { cursor: eph, target: top });
            b.resolve(done);
        }
    }
    if let Some(a) = &autoinc {
        a.end(b, &table);
    }
    if let Some(r) = &returning {
        r.finish(b);
    }
    Ok(())
}

/// The sqlite_sequence bookkeeping of one INSERT into an AUTOINCREMENT
/// table: the table's sequence value is read once before the first row,
/// new rowids never go at or below it, and the largest rowid the statement
/// inserted is written back at its end, as SQLite does.
struct AutoInc {
    cursor: usize,
    /// The sequence value (0 when the table has no row yet).
    seq: Reg,
    /// The sqlite_sequence row's rowid, NULL when there is none yet.
    seq_rowid: Reg,
}

fn autoinc_begin(b: &mut Builder<'_>, table: &Table) -> Result<AutoInc> {
    let seq_table = b.schemas.get(table.db).table("sqlite_sequence").cloned().ok_or_else(|| Error::corrupt())?;
    let cursor = b.alloc_cursor();
    b.emit(Op::OpenWrite { cursor, db: table.db, root: Root::Page(seq_table.root), kind: TreeKind::Table, key_info: None });
    let seq = b.alloc_reg();
    let seq_rowid = b.alloc_reg();
    let name = b.alloc_reg();
    let want = b.alloc_reg();
    let eq = b.alloc_reg();
    b.emit(Op::Integer { value: 0, dest: seq });
    b.emit(Op::Null { dest: seq_rowid, count: 1 });
    b.emit(Op::String { value: super::bytes(&table.name), dest: want });
    let done = b.new_label();
    b.emit(Op::Rewind { cursor, target: done });
    let top = b.addr();
    let next = b.new_label();
    b.emit(Op::Column { cursor, column: 0, dest: name, default: None });
    b.emit(Op::Compare { op: CmpOp::Eq, lhs: name, rhs: want, dest: eq, affinity: None, coll: CollSeq::Binary });
    b.emit(Op::IfNot { reg: eq, target: next, jump_if_null: true });
    b.emit(Op::Column { cursor, column: 1, dest: seq, default: None });
    b.emit(Op::Rowid { cursor, dest: seq_rowid });
    b.emit(Op::Goto { target: done });
    b.resolve(next);
    b.emit(Op::Next { cursor, target: top });
    b.resolve(done);
    Ok(AutoInc { cursor, seq, seq_rowid })
}

impl AutoInc {
    /// Raises a new rowid above the sequence value.
    fn next_rowid(&self, b: &mut Builder<'_>, rowid: Reg) {
        let above = b.alloc_reg();
        let ok = b.new_label();
        b.emit(Op::Compare { op: CmpOp::Gt, lhs: rowid, rhs: self.seq, dest: above, affinity: None, coll: CollSeq::Binary });
        b.emit(Op::If { reg: above, target: ok, jump_if_null: false });
        let one = b.alloc_reg();
        b.emit(Op::Integer { value: 1, dest: one });
        b.emit(Op::Arith { op: crate::vdbe::ArithOp::Add, lhs: self.seq, rhs: one, dest: rowid });
        b.emit(Op::MustBeInt { reg: rowid });
        b.resolve(ok);
    }

    /// Remembers an inserted rowid if it is the largest so far.
    fn note_rowid(&self, b: &mut Builder<'_>, rowid: Reg) {
        let above = b.alloc_reg();
        let keep = b.new_label();
        b.emit(Op::Compare { op: CmpOp::Gt, lhs: rowid, rhs: self.seq, dest: above, affinity: None, coll: CollSeq::Binary });
        b.emit(Op::IfNot { reg: above, target: keep, jump_if_null: true });
        b.emit(Op::Copy { src: rowid, dest: self.seq, count: 1 });
        b.resolve(keep);
    }

    /// Writes the sequence value back to sqlite_sequence.
    fn end(&self, b: &mut Builder<'_>, table: &Table) {
        let rec_regs = b.alloc_regs(2);
        b.emit(Op::String { value: super::bytes(&table.name), dest: rec_regs });
        b.emit(Op::Copy { src: self.seq, dest: rec_regs + 1, count: 1 });
        let rec = b.alloc_reg();
        b.emit(Op::MakeRecord { start: rec_regs, count: 2, dest: rec });
        let have = b.new_label();
        let rowid = b.alloc_reg();
        b.emit(Op::Copy { src: self.seq_rowid, dest: rowid, count: 1 });
        b.emit(Op::NotNull { reg: rowid, target: have });
        b.emit(Op::NewRowid { cursor: self.cursor, dest: rowid });
        b.resolve(have);
        b.emit(Op::Insert { cursor: self.cursor, record: rec, rowid, count_change: false, set_last_rowid: false, hook: None });
    }
}

/// Collects the rowids of the rows matching `where_` into a transient
/// table and returns its cursor. The table source must be the innermost
/// scope. For a WITHOUT ROWID table the set holds PRIMARY KEY records,
/// in the order SQLite changes the rows in: sorted by key (its two-pass
/// changes), or, when it changes each row as its walk finds it (`one_pass`:
/// the caller's conditions for SQLite's ONEPASS_MULTI hold), in the walk's
/// order (the table, or an index narrower than it) — unless an UPDATE
/// (`set_cols`) changes a column of the index walked.
fn collect_rowids(b: &mut Builder<'_>, cursor: usize, table: &Arc<Table>, where_: Option<&Expr>, one_pass: bool, set_cols: Option<&[usize]>) -> Result<usize> {
    let set = b.alloc_cursor();
    let mut levels = vec![Level { cursor, table: Some(table.clone()), left_join: false, right_join: false, on_terms: Vec::new(), movable: true, order: None, pragma: None, vtab: None }];
    let mut terms = Vec::new();
    if let Some(w) = where_ {
        if let Some(name) = super::select::first_aggregate(w) {
            return Err(Error::sql(format!("misuse of aggregate: {name}()")));
        }
        split(w, &mut terms);
    }
    let mut visit_order = false;
    if table.without_rowid && one_pass {
        let order = super::covering::covering_scan(b, &levels[0], &terms, &[], None, None)?;
        let walked = match &order {
            Some(where_::ScanOrder::Index { index, .. }) => Some(index.clone()),
            _ => match super::plan::Analysis::new(b, &levels, &terms).map(|an| super::plan::choose_plan(b, &an, cursor, Some(table), 0)) {
                Some(super::plan::Plan::Index { index, .. }) => Some(index),
                _ => None,
            },
        };
        // Changing a column of the index walked makes SQLite's UPDATE two
        // passes.
        let touched = |ix: &Index| -> bool {
            set_cols.is_some_and(|cols| ix.partial.is_some() || ix.columns.iter().any(|c| c.column.map_or(true, |col| cols.contains(&col))))
        };
        visit_order = walked.as_deref().is_none_or(|ix| ix.is_table_pk() || !touched(ix));
        levels[0].order = order;
    }
    let key_info = match &table.pk_index {
        Some(pk) if !visit_order => Some(Arc::new(crate::record::KeyInfo::new(pk.key_info.fields.clone()))),
        _ => None,
    };
    let sorted = key_info.is_some();
    b.emit(Op::OpenEphemeral { cursor: set, key_info });
    let without_rowid = table.without_rowid;
    where_::emit_loops(b, &levels, &terms, &mut |b: &mut Builder<'_>| {
        let r = b.alloc_reg();
        let empty = b.alloc_reg();
        b.emit(Op::Rowid { cursor, dest: r });
        if sorted {
            // The row's PRIMARY KEY record is the set's key.
            b.emit(Op::IdxInsert { cursor: set, key: r });
            return Ok(());
        }
        if without_rowid {
            // The row's PRIMARY KEY record, kept in visiting order.
            let k = b.alloc_reg();
            b.emit(Op::MakeRecord { start: r, count: 1, dest: empty });
            b.emit(Op::NewRowid { cursor: set, dest: k });
            b.emit(Op::Insert { cursor: set, record: empty, rowid: k, count_change: false, set_last_rowid: false, hook: None });
            return Ok(());
        }
        b.emit(Op::MakeRecord { start: r, count: 0, dest: empty });
        b.emit(Op::Insert { cursor: set, record: empty, rowid: r, count_change: false, set_last_rowid: false, hook: None });
        Ok(())
    })?;
    Ok(set)
}

/// Loads the rowid of the current entry of a set `collect_rowids` filled
/// (for a WITHOUT ROWID table: its PRIMARY KEY record, the entry itself
/// in a sorted set).
fn set_rowid(b: &mut Builder<'_>, set: usize, table: &Table, dest: Reg) {
    let sorted = b.ops.iter().any(|op| matches!(op, Op::OpenEphemeral { cursor, key_info: Some(_) } if *cursor == set));
    if sorted {
        b.emit(Op::SorterData { cursor: set, dest });
    } else if table.without_rowid {
        b.emit(Op::Column { cursor: set, column: 0, dest, default: None });
    } else {
        b.emit(Op::Rowid { cursor: set, dest });
    }
}

fn split(e: &Expr, out: &mut Vec<Expr>) {
    match e {
        Expr::Binary(a, ast::BinaryOp::And, c) => {
            split(a, out);
            split(c, out);
        }
        other => out.push(other.clone()),
    }
}

/// The WHERE of an UPDATE or DELETE with ORDER BY / LIMIT (the grammar
/// of SQLITE_ENABLE_UPDATE_DELETE_LIMIT, which Debian's SQLite has):
/// `rowid IN (SELECT rowid FROM t WHERE w ORDER BY o LIMIT l)`, the
/// rewrite SQLite makes. None when there is no ORDER BY or LIMIT.
fn limited_where(b: &Builder<'_>, name: &ast::QualifiedName, alias: Option<&String>, where_: Option<&Expr>, order_by: &[ast::OrderingTerm], limit: &Option<ast::Limit>) -> Result<Option<Expr>> {
    if order_by.is_empty() && limit.is_none() {
        return Ok(None);
    }
    let table = writable_table(b, name)?;
    // A WITHOUT ROWID table's row is named by its PRIMARY KEY: a
    // one-column key does what the rowid does (compared under the key's
    // collation, under which it is unique).
    let pk = table.pk_columns();
    let word: &str = match pk.as_slice() {
        [] => table.rowid_word().ok_or_else(|| Error::sql("ORDER BY / LIMIT on a table whose columns hide its rowid is not supported yet"))?,
        [k] => table.columns[*k].name.as_str(),
        _ => return Err(Error::sql("ORDER BY / LIMIT on UPDATE or DELETE of a WITHOUT ROWID table with a PRIMARY KEY of several columns is not supported yet")),
    };
    let label = alias.cloned().unwrap_or_else(|| table.name.clone());
    let rowid = |t: &str| Expr::Column { schema: None, table: Some(t.to_string()), column: word.to_string() };
    let from = ast::From { first: ast::TableRef::Table { name: name.clone(), alias: alias.cloned(), indexed: None, args: None }, joins: Vec::new() };
    let mut sel = ast::Select::star_from(from);
    if let ast::SelectCore::Select(body) = &mut sel.core {
        body.columns = vec![ast::ResultColumn::Expr { expr: rowid(&label), alias: None, text: word.to_string() }];
        body.where_ = where_.cloned();
    }
    sel.order_by = order_by.to_vec();
    sel.limit = limit.clone();
    Ok(Some(Expr::InSelect { expr: Box::new(rowid(&label)), not: false, select: Box::new(sel) }))
}

/// The SET list of an UPDATE (or of an upsert's DO UPDATE) by column.
pub(super) struct SetPlan {
    /// The new value of each table column, None for an unchanged one.
    pub sets: Vec<Option<Expr>>,
    /// The new rowid, when the list assigns the rowid or its alias.
    pub rowid_set: Option<Expr>,
    /// The columns assigned (for UPDATE OF triggers).
    pub set_cols: Vec<usize>,
}

pub(super) fn resolve_sets(table: &Table, assignments: &[ast::Assignment]) -> Result<SetPlan> {
    let ncol = table.columns.len();
    let mut sets: Vec<Option<Expr>> = vec![None; ncol];
    let mut rowid_set: Option<Expr> = None;
    for a in assignments {
        if a.columns.len() != 1 {
            return Err(Error::sql("row-value assignments in UPDATE are not supported yet"));
        }
        let name = &a.columns[0];
        match table.column_index(name) {
            Some(i) if table.columns[i].generated.is_some() => return Err(super::generated::not_writable("UPDATE", &table.columns[i].name)),
            Some(i) => sets[i] = Some(a.expr.clone()),
            None if is_rowid_name(name) && !table.without_rowid => rowid_set = Some(a.expr.clone()),
            None => return Err(Error::sql(format!("no such column: {name}"))),
        }
    }
    if let Some(ipk) = table.rowid_alias {
        if let Some(e) = &sets[ipk] {
            rowid_set = Some(e.clone());
        }
    }
    let mut set_cols: Vec<usize> = (0..ncol).filter(|i| sets[*i].is_some()).collect();
    if rowid_set.is_some() {
        if let Some(ipk) = table.rowid_alias {
            set_cols.push(ipk);
        }
    }
    Ok(SetPlan { sets, rowid_set, set_cols })
}

pub fn compile_update(b: &mut Builder<'_>, up: &Update) -> Result<()> {
    with_ctes(b, up.with.as_ref(), |b| compile_update_body(b, up))
}

fn compile_update_body(b: &mut Builder<'_>, up: &Update) -> Result<()> {
    if let Some(w) = limited_where(b, &up.table, up.alias.as_ref(), up.where_.as_ref(), &up.order_by, &up.limit)? {
        let up = Update { where_: Some(w), order_by: Vec::new(), limit: None, ..up.clone() };
        return compile_update_body(b, &up);
    }
    if up.from.is_some() && super::instead_of::target_view(b, &up.table).is_some() {
        return Err(Error::sql("UPDATE ... FROM on a view is not supported yet"));
    }
    if let Some(view) = super::instead_of::target_view(b, &up.table) {
        return super::instead_of::update(b, up, view);
    }
    if let Some(t) = super::vtab_dml::target(b, &up.table) {
        return super::vtab_dml::update(b, up, t);
    }
    let table = writable_table(b, &up.table)?;
    let plan = resolve_sets(&table, &up.sets)?;
    if let Some(from) = &up.from {
        return compile_update_from(b, up, table, plan, from);
    }
    let has_triggers = b.has_triggers(&table, Event::Update(&plan.set_cols));
    let tg = open_target(b, table.clone());
    let label = up.alias.clone().unwrap_or_else(|| table.name.clone());
    let returning = Returning::begin(b, &table, &up.returning)?;
    b.scopes.push(Scope::new(vec![Source::from_table(&label, table.clone(), tg.cursor)]));
    let r = (|| {
        // SQLite changes the rows as it finds them (ONEPASS_MULTI) unless
        // triggers or RETURNING, a new PRIMARY KEY, a REPLACE or a
        // subquery in the WHERE need two passes.
        let replace = on_error(up.or_conflict) == Some(OnError::Replace)
            || table.pk_conflict == Some(OnError::Replace)
            || tg.indexes.iter().any(|(ix, _)| ix.on_conflict == Some(OnError::Replace));
        let mut subquery = false;
        if let Some(w) = &up.where_ {
            super::expr::walk(w, &mut |e| {
                subquery |= matches!(e, Expr::Subquery(_) | Expr::Exists { .. } | Expr::InSelect { .. });
                true
            });
        }
        let pk = table.pk_columns();
        let one_pass = !has_triggers && returning.is_none() && !replace && !subquery && !plan.set_cols.iter().any(|c| pk.contains(c));
        let set = collect_rowids(b, tg.cursor, &table, up.where_.as_ref(), one_pass, Some(&plan.set_cols))?;
        update_each(b, set, &tg, &plan, on_error(up.or_conflict), has_triggers, returning.as_ref())
    })();
    b.scopes.pop();
    r?;
    if let Some(r) = &returning {
        r.finish(b);
    }
    Ok(())
}

/// Updates each target row whose rowid is a key of the transient table
/// `set` (rows deleted meanwhile are skipped).
fn update_each(b: &mut Builder<'_>, set: usize, tg: &Target, plan: &SetPlan, conflict: Option<OnError>, has_triggers: bool, returning: Option<&Returning>) -> Result<()> {
    let done = b.new_label();
    b.emit(Op::Rewind { cursor: set, target: done });
    let top = b.addr();
    let next = b.new_label();
    let old_rowid = b.alloc_reg();
    set_rowid(b, set, &tg.table, old_rowid);
    b.emit(Op::SeekRowid { cursor: tg.cursor, reg: old_rowid, target: next });
    update_row(b, tg, plan, old_rowid, conflict, has_triggers, next, returning)?;
    b.resolve(next);
    b.emit(Op::Next { cursor: set, target: top });
    b.resolve(done);
    Ok(())
}

/// UPDATE ... FROM: the target joined with the FROM items is run first,
/// into a transient table keyed by the target's rowid holding the SET
/// values (a later join row for the same target row replaces an earlier
/// one, as in SQLite, so each row is updated once); then each target row
/// is updated from its entry.
fn compile_update_from(b: &mut Builder<'_>, up: &Update, table: Arc<Table>, plan: SetPlan, from: &ast::From) -> Result<()> {
    let label = up.alias.clone().unwrap_or_else(|| table.name.clone());
    let items = std::iter::once(&from.first).chain(from.joins.iter().map(|j| &j.table));
    for item in items {
        if let ast::TableRef::Table { name, alias, .. } = item {
            if alias.as_deref().unwrap_or(&name.name).eq_ignore_ascii_case(&label) {
                return Err(Error::sql(format!("target object/alias may not appear in FROM clause: {label}")));
            }
        }
    }
    // The values the SET list computes, in order: each assigned column,
    // then the new rowid when it is assigned.
    let mut values: Vec<Expr> = plan.sets.iter().flatten().cloned().collect();
    if let Some(e) = &plan.rowid_set {
        values.push(e.clone());
    }
    if table.without_rowid {
        return Err(Error::sql("UPDATE ... FROM on a WITHOUT ROWID table is not supported yet"));
    }
    let word = table.rowid_word().ok_or_else(|| Error::sql("UPDATE ... FROM on a table whose columns hide its rowid is not supported yet"))?;
    let mut columns = vec![ast::ResultColumn::Expr { expr: Expr::Column { schema: None, table: Some(label.clone()), column: word.to_string() }, alias: None, text: word.to_string() }];
    columns.extend(values.iter().map(|e| ast::ResultColumn::Expr { expr: e.clone(), alias: None, text: String::new() }));
    let mut joins = vec![ast::Join { op: ast::JoinOp { natural: false, kind: ast::JoinKind::Comma }, table: from.first.clone(), constraint: None }];
    joins.extend(from.joins.iter().cloned());
    let join_from = ast::From { first: ast::TableRef::Table { name: up.table.clone(), alias: up.alias.clone(), indexed: None, args: None }, joins };
    let mut sel = ast::Select::star_from(join_from);
    if let ast::SelectCore::Select(body) = &mut sel.core {
        body.columns = columns;
        body.where_ = up.where_.clone();
    }
    let joined = b.alloc_cursor();
    b.emit(Op::OpenEphemeral { cursor: joined, key_info: None });
    b.reads = true;
    // Rows into `joined` keyed by the target rowid: a select into a
    // transient table, then re-keyed.
    let rows = b.alloc_cursor();
    b.emit(Op::OpenEphemeral { cursor: rows, key_info: None });
    super::select::compile_select(b, &sel, Dest::EphTable(rows))?;
    let n = values.len();
    {
        let done = b.new_label();
        b.emit(Op::Rewind { cursor: rows, target: done });
        let top = b.addr();
        let rowid = b.alloc_reg();
        let vals = b.alloc_regs(n.max(1));
        b.emit(Op::Column { cursor: rows, column: 0, dest: rowid, default: None });
        for k in 0..n {
            b.emit(Op::Column { cursor: rows, column: k + 1, dest: vals + k, default: None });
        }
        let rec = b.alloc_reg();
        b.emit(Op::MakeRecord { start: vals, count: n, dest: rec });
        b.emit(Op::Insert { cursor: joined, record: rec, rowid, count_change: false, set_last_rowid: false, hook: None });
        b.emit(Op::Next { cursor: rows, target: top });
        b.resolve(done);
    }
    // The update loop reads the SET values from `joined` through a source
    // of its own.
    const FROM_VALUES: &str = "\u{0}update-from";
    let value_cols: Vec<String> = (0..n).map(|k| k.to_string()).collect();
    let mut k = 0;
    let mut read = |_: &Expr| {
        let e = Expr::Column { schema: None, table: Some(FROM_VALUES.to_string()), column: k.to_string() };
        k += 1;
        e
    };
    let sets: Vec<Option<Expr>> = plan.sets.iter().map(|s| s.as_ref().map(&mut read)).collect();
    let rowid_set = plan.rowid_set.as_ref().map(&mut read);
    let plan = SetPlan { sets, rowid_set, set_cols: plan.set_cols };
    let has_triggers = b.has_triggers(&table, Event::Update(&plan.set_cols));
    let tg = open_target(b, table.clone());
    let returning = Returning::begin(b, &table, &up.returning)?;
    let source = super::expr::Source {
        name: FROM_VALUES.to_string(),
        table: None,
        columns: value_cols.iter().map(|c| super::expr::SourceColumn { hidden: false, name: c.clone(), affinity: None, collation: None, decl_type: None }).collect(),
        cursor: joined,
        using_hidden: Vec::new(),
        nested: Vec::new(),
    };
    b.scopes.push(Scope::new(vec![Source::from_table(&label, table.clone(), tg.cursor), source]));
    let r = update_each(b, joined, &tg, &plan, on_error(up.or_conflict), has_triggers, returning.as_ref());
    b.scopes.pop();
    r?;
    if let Some(r) = &returning {
        r.finish(b);
    }
    Ok(())
}

/// Updates the row under the table cursor, whose rowid is in `old_rowid`:
/// computes the new image from `plan` (its expressions compile in the
/// caller's scopes, which read the current row through the cursor), fires
/// the UPDATE triggers, checks the constraints, replaces the old image
/// and buffers the RETURNING values. Jumps to `next` when the row is
/// dropped (OR IGNORE, RAISE(IGNORE)).
#[allow(clippy::too_many_arguments)]
pub(super) fn update_row(b: &mut Builder<'_>, tg: &Target, plan: &SetPlan, old_rowid: Reg, stmt_conflict: Option<OnError>, has_triggers: bool, next: usize, returning: Option<&Returning>) -> Result<()> {
    let table = tg.table.clone();
    let ncol = table.columns.len();
    let old = b.alloc_regs(ncol);
    read_row(b, &table, tg.cursor, old)?;
    let new = b.alloc_regs(ncol);
    for i in 0..ncol {
        match &plan.sets[i] {
            Some(e) => b.expr(e, new + i)?,
            None => {
                b.emit(Op::Copy { src: old + i, dest: new + i, count: 1 });
            }
        }
    }
    let new_rowid = b.alloc_reg();
    match &plan.rowid_set {
        Some(e) => {
            b.expr(e, new_rowid)?;
            b.emit(Op::MustBeInt { reg: new_rowid });
        }
        None => {
            b.emit(Op::Copy { src: old_rowid, dest: new_rowid, count: 1 });
        }
    }
    if let Some(ipk) = table.rowid_alias {
        b.emit(Op::Copy { src: new_rowid, dest: new + ipk, count: 1 });
    }
    super::generated::compute(b, &table, new, new_rowid)?;
    let count = !b.in_trigger();
    let event = Event::Update(&plan.set_cols);
    if has_triggers {
        let affs: Vec<Affinity> = table.columns.iter().map(|c| c.affinity).collect();
        b.emit(Op::Affinity { start: new, affinities: Arc::from(affs) });
        b.fire_triggers(&table, TriggerTime::Before, event, Some((old, old_rowid)), Some((new, new_rowid)), next)?;
        // A BEFORE trigger may have deleted the row (then it is left
        // alone) or changed the columns the SET list leaves: reload them.
        b.emit(Op::SeekRowid { cursor: tg.cursor, reg: old_rowid, target: next });
        for i in 0..ncol {
            if plan.sets[i].is_none() && Some(i) != table.rowid_alias && !table.is_virtual(i) {
                b.emit(Op::Column { cursor: tg.cursor, column: table.storage_index(i), dest: new + i, default: None });
                if table.columns[i].affinity == Affinity::Real {
                    b.emit(Op::RealAffinity { reg: new + i });
                }
            }
        }
        super::generated::compute(b, &table, new, new_rowid)?;
    }
    check_and_write(b, tg, new, new_rowid, Some(old_rowid), stmt_conflict, plan.rowid_set.is_some(), next, None)?;
    // Remove the old image, then write the new one.
    let gone = b.new_label();
    b.emit(Op::SeekRowid { cursor: tg.cursor, reg: old_rowid, target: gone });
    preupdate(b, &table, crate::preupdate::UPDATE, tg.cursor, PreUpdateNew::Registers { start: new, rowid: new_rowid });
    for (ix, c) in &tg.indexes {
        let skip = b.new_label();
        skip_unless_indexed(b, &table, ix, old, old_rowid, skip)?;
        let key = index_key(b, &table, ix, old, old_rowid)?;
        b.emit(Op::IdxDelete { cursor: *c, key, n: ix.n_fields() });
        b.resolve(skip);
    }
    // A WITHOUT ROWID row is rewritten whole: its new PRIMARY KEY may
    // differ under the key's collations while comparing equal.
    if plan.rowid_set.is_some() || table.without_rowid {
        b.emit(Op::Delete { cursor: tg.cursor, count_change: false, hook: None });
    }
    b.resolve(gone);
    write_row(b, tg, new, new_rowid, count, false, 23)?;
    count_trigger_change(b);
    if let Some(r) = returning {
        r.row(b, new, new_rowid)?;
    }
    if has_triggers {
        b.fire_triggers(&table, TriggerTime::After, event, Some((old, old_rowid)), Some((new, new_rowid)), next)?;
    }
    Ok(())
}

pub fn compile_delete(b: &mut Builder<'_>, del: &Delete) -> Result<()> {
    with_ctes(b, del.with.as_ref(), |b| compile_delete_body(b, del))
}

fn compile_delete_body(b: &mut Builder<'_>, del: &Delete) -> Result<()> {
    if let Some(w) = limited_where(b, &del.table, del.alias.as_ref(), del.where_.as_ref(), &del.order_by, &del.limit)? {
        let del = Delete { where_: Some(w), order_by: Vec::new(), limit: None, ..del.clone() };
        return compile_delete_body(b, &del);
    }
    if let Some(view) = super::instead_of::target_view(b, &del.table) {
        return super::instead_of::delete(b, del, view);
    }
    if let Some(t) = super::vtab_dml::target(b, &del.table) {
        return super::vtab_dml::delete(b, del, t);
    }
    let table = writable_table(b, &del.table)?;
    let has_triggers = b.has_triggers(&table, Event::Delete);
    if del.where_.is_none() && !has_triggers && !b.in_trigger() && del.returning.is_empty() && !b.preupdate_hooked {
        // DELETE without WHERE empties the table and its indexes at once.
        b.writes = true;
        b.emit(Op::Clear { db: table.db, root: table.root, count_change: true });
        for ix in b.schemas.indexes_of(&table) {
            b.emit(Op::Clear { db: ix.db, root: ix.root, count_change: false });
        }
        return Ok(());
    }
    let tg = open_target(b, table.clone());
    let label = del.alias.clone().unwrap_or_else(|| table.name.clone());
    let returning = Returning::begin(b, &table, &del.returning)?;
    b.scopes.push(Scope::new(vec![Source::from_table(&label, table.clone(), tg.cursor)]));
    let r = (|| {
        let set = collect_rowids(b, tg.cursor, &table, del.where_.as_ref(), !has_triggers && del.returning.is_empty(), None)?;
        let done = b.new_label();
        b.emit(Op::Rewind { cursor: set, target: done });
        let top = b.addr();
        let next = b.new_label();
        let rowid = b.alloc_reg();
        set_rowid(b, set, &table, rowid);
        b.emit(Op::SeekRowid { cursor: tg.cursor, reg: rowid, target: next });
        let count = !b.in_trigger();
        if has_triggers {
            let old = b.alloc_regs(table.columns.len());
            read_row(b, &table, tg.cursor, old)?;
            b.fire_triggers(&table, TriggerTime::Before, Event::Delete, Some((old, rowid)), None, next)?;
            // A BEFORE trigger may have moved the cursor or removed the row.
            b.emit(Op::SeekRowid { cursor: tg.cursor, reg: rowid, target: next });
            delete_current_row(b, &tg, count, true)?;
            count_trigger_change(b);
            if let Some(r) = &returning {
                r.row(b, old, rowid)?;
            }
            b.fire_triggers(&table, TriggerTime::After, Event::Delete, Some((old, rowid)), None, next)?;
        } else if let Some(r) = &returning {
            let old = b.alloc_regs(table.columns.len());
            read_row(b, &table, tg.cursor, old)?;
            delete_current_row(b, &tg, count, true)?;
            count_trigger_change(b);
            r.row(b, old, rowid)?;
        } else {
            delete_current_row(b, &tg, count, true)?;
            count_trigger_change(b);
        }
        b.resolve(next);
        b.emit(Op::Next { cursor: set, target: top });
        b.resolve(done);
        Ok(())
    })();
    b.scopes.pop();
    r?;
    if let Some(r) = &returning {
        r.finish(b);
    }
    Ok(())
}
