//! WITHOUT ROWID tables in the schema.
//!
//! Such a table has no rowid: its rows live in an index B-tree (no intkey)
//! whose entries are the PRIMARY KEY columns in PRIMARY KEY order, with
//! their collations and directions, then the other stored columns in table
//! order (a column named twice in the PRIMARY KEY appears once). The table
//! is described by its PRIMARY KEY as an index (`Table::pk_index`) rooted
//! at the table's own root page; sqlite_schema has no row for that index.
//! Each other index of the table ends its entries with the PRIMARY KEY
//! columns it does not already hold (same column, same collation) instead
//! of a rowid (`Index::pk_tail`).
//!
//! Invariants: `pk_index` is Some exactly for a WITHOUT ROWID table; its
//! KeyInfo carries a `WithoutRowid` with `table` set, whose `columns` maps
//! each stored column (numbered as `Table::storage_index` numbers it) to
//! its field; the KeyInfo of each of the table's other indexes carries one
//! whose `pk_fields` say where the PRIMARY KEY is in its entries.

use std::sync::Arc;

use crate::btree::TreeKind;
use crate::collation::CollSeq;
use crate::error::{Error, Result};
use crate::parse::ast::{self, ColumnConstraintKind, Expr, TableConstraintKind};
use crate::record::{KeyInfo, WithoutRowid};

use super::{indexed_column_name, Index, IndexColumn, IndexOrigin, Schema, Table};

impl Table {
    /// The kind of B-tree the table's rows are stored in.
    pub fn tree_kind(&self) -> TreeKind {
        if self.without_rowid {
            TreeKind::Index
        } else {
            TreeKind::Table
        }
    }

    /// The KeyInfo a cursor on the table's B-tree needs: None for a rowid
    /// table.
    pub fn cursor_key_info(&self) -> Option<Arc<KeyInfo>> {
        self.pk_index.as_ref().map(|ix| ix.key_info.clone())
    }

    /// The PRIMARY KEY columns of a WITHOUT ROWID table, in PRIMARY KEY
    /// order (empty for a rowid table).
    pub fn pk_columns(&self) -> Vec<usize> {
        self.pk_index.as_ref().map(|ix| ix.columns.iter().filter_map(|c| c.column).collect()).unwrap_or_default()
    }

    /// The field of the table's records that holds stored column `i`
    /// (a table column that is not VIRTUAL).
    pub fn record_field(&self, i: usize) -> usize {
        let s = self.storage_index(i);
        match self.pk_index.as_ref().and_then(|ix| ix.key_info.without_rowid.clone()) {
            Some(w) => w.columns.get(s).copied().unwrap_or(s),
            None => s,
        }
    }

    /// This table moved to database `db`: its PRIMARY KEY index too.
    pub(super) fn in_db(mut self, db: usize) -> Table {
        self.db = db;
        if let Some(ix) = self.pk_index.take() {
            self.pk_index = Some(Arc::new(Index { db, ..(*ix).clone() }));
        }
        self
    }
}

/// The PRIMARY KEY of a WITHOUT ROWID table as index columns (a column
/// named twice counts once), with "PRIMARY KEY missing" when there is
/// none. `t` has its columns but no `pk_index` yet.
pub(super) fn primary_key(t: &Table, columns: &[ast::ColumnDef], constraints: &[ast::TableConstraint]) -> Result<Vec<IndexColumn>> {
    let mut out: Vec<IndexColumn> = Vec::new();
    let add = |out: &mut Vec<IndexColumn>, i: usize, explicit: Option<&str>, desc: bool| -> Result<()> {
        let collation = super::Schema::collation_of(t, i, explicit)?;
        if !out.iter().any(|c| c.column == Some(i)) {
            out.push(IndexColumn { column: Some(i), expr: None, collation, desc });
        }
        Ok(())
    };
    for (i, def) in columns.iter().enumerate() {
        for c in &def.constraints {
            if let ColumnConstraintKind::PrimaryKey { order, .. } = &c.kind {
                add(&mut out, i, None, *order == Some(ast::SortOrder::Desc))?;
            }
        }
    }
    for c in constraints {
        if let TableConstraintKind::PrimaryKey { columns: pk, .. } = &c.kind {
            for ic in pk {
                let name = indexed_column_name(ic).ok_or_else(|| Error::sql("expressions prohibited in PRIMARY KEY and UNIQUE constraints"))?;
                let i = t.column_index(name).ok_or_else(|| Error::sql(format!("no such column: {name}")))?;
                let explicit = ic.collation.as_deref().or(match &ic.expr {
                    Expr::Collate { collation, .. } => Some(collation.as_str()),
                    _ => None,
                });
                add(&mut out, i, explicit, ic.order == Some(ast::SortOrder::Desc))?;
            }
        }
    }
    if out.is_empty() {
        return Err(Error::sql(format!("PRIMARY KEY missing on table {}", t.name)));
    }
    Ok(out)
}

/// The PRIMARY KEY index of WITHOUT ROWID table `t` on columns `pk`,
/// rooted at the table's root (its name is fixed by the caller once the
/// table's constraint indexes are numbered).
pub(super) fn pk_index(t: &Table, pk: Vec<IndexColumn>, name: String, on_conflict: Option<crate::vdbe::OnError>) -> Index {
    let n_pk = pk.len();
    let pk_cols: Vec<usize> = pk.iter().filter_map(|c| c.column).collect();
    // Stored columns: the PRIMARY KEY first, then the rest in table order.
    let stored: Vec<usize> = (0..t.columns.len()).filter(|&i| !t.is_virtual(i)).collect();
    let mut columns = vec![0; stored.len()];
    let mut next = n_pk;
    for (s, &i) in stored.iter().enumerate() {
        columns[s] = match pk_cols.iter().position(|&p| p == i) {
            Some(k) => k,
            None => {
                next += 1;
                next - 1
            }
        };
    }
    let fields = pk.iter().map(|c| (c.collation.clone(), c.desc)).collect();
    let key_info = KeyInfo { without_rowid: Some(Arc::new(WithoutRowid { table: true, columns, pk_fields: (0..n_pk).collect() })), ..KeyInfo::new(fields) };
    Index {
        name,
        table: t.name.clone(),
        root: t.root,
        columns: pk,
        unique: true,
        on_conflict,
        origin: IndexOrigin::PrimaryKey,
        partial: None,
        key_info: Arc::new(key_info),
        pk_tail: Some(Vec::new()),
        sql: None,
        db: t.db,
    }
}

/// The KeyInfo and PRIMARY KEY tail of an index on `cols` of WITHOUT
/// ROWID table `t`: the PRIMARY KEY columns not already among `cols`
/// (same column and collation) follow them, with the PRIMARY KEY's
/// collations and, for CREATE INDEX, its directions. The index of a
/// UNIQUE constraint (`constraint`) keeps them ascending: SQLite builds
/// it before the table becomes WITHOUT ROWID and then appends the key
/// without its directions (its "bAscKeyBug"), so its entries are in that
/// order in the file.
pub(super) fn index_key_info(t: &Table, cols: &[IndexColumn], constraint: bool) -> (Arc<KeyInfo>, Vec<usize>) {
    let mut fields: Vec<(CollSeq, bool)> = cols.iter().map(|c| (c.collation.clone(), c.desc)).collect();
    let mut tail = Vec::new();
    let mut pk_fields = Vec::new();
    for p in t.pk_index.as_ref().map(|ix| ix.columns.as_slice()).unwrap_or(&[]) {
        match cols.iter().position(|c| c.column.is_some() && c.column == p.column && c.collation == p.collation) {
            Some(k) => pk_fields.push(k),
            None => {
                pk_fields.push(fields.len());
                fields.push((p.collation.clone(), p.desc && !constraint));
                tail.extend(p.column);
            }
        }
    }
    let key_info = KeyInfo { without_rowid: Some(Arc::new(WithoutRowid { table: false, columns: Vec::new(), pk_fields })), ..KeyInfo::new(fields) };
    (Arc::new(key_info), tail)
}

impl Index {
    /// How many fields an entry of this index has: its columns, then the
    /// rowid or the PRIMARY KEY columns it does not hold.
    pub fn n_fields(&self) -> usize {
        self.columns.len() + self.pk_tail.as_ref().map_or(1, |t| t.len())
    }

    /// True for the PRIMARY KEY of a WITHOUT ROWID table (its entries are
    /// the table's rows).
    pub fn is_table_pk(&self) -> bool {
        self.key_info.without_rowid.as_ref().is_some_and(|w| w.table)
    }
}

impl Schema {
    /// The indexes of `table` in creation order as SQLite lists them
    /// (PRAGMA index_list): for a WITHOUT ROWID table its PRIMARY KEY
    /// among the constraint indexes, where its number puts it.
    pub fn indexes_with_pk(&self, table: &str) -> Vec<Arc<Index>> {
        let mut list = self.indexes_of(table);
        if let Some(pk) = self.table(table).and_then(|t| t.pk_index.clone()) {
            let n: usize = pk.name.rsplit('_').next().and_then(|d| d.parse().ok()).unwrap_or(1);
            let at = (n.saturating_sub(1)).min(list.iter().take_while(|ix| ix.sql.is_none()).count());
            list.insert(at, pk);
        }
        list
    }

    /// The index named `name`, or the PRIMARY KEY of a WITHOUT ROWID table
    /// so named (which sqlite_schema does not list).
    pub fn index_or_pk(&self, name: &str) -> Option<Arc<Index>> {
        self.index(name).cloned().or_else(|| self.tables().find_map(|t| t.pk_index.clone().filter(|ix| ix.name.eq_ignore_ascii_case(name))))
    }
}
