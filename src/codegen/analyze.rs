//! ANALYZE [schema | table | index | schema.table | schema.index]: fills
//! sqlite_stat1 as SQLite does.
//!
//! sqlite_stat1(tbl,idx,stat) is created in the database on first use
//! (a schema change, written like SQLite's). For each table analysed its
//! old rows are deleted (for one index, that index's row), then one row
//! per non-empty index with the index's stat text (`crate::analyze`), or,
//! for a non-empty table without indexes, one row (tbl, NULL, row count).
//! Views, tables named sqlite_* and the TEMP database (when no name is
//! given) are skipped, as in SQLite. Ferrolite's planner does not read
//! the statistics yet; they are there for SQLite processes sharing the
//! file and for applications that read them.

use std::sync::Arc;

use crate::btree::TreeKind;
use crate::error::{Error, Result};
use crate::parse::ast::QualifiedName;
use crate::schema::{Index, Table, TEMP_DB};
use crate::vdbe::mem::Affinity;
use crate::vdbe::{Op, Root};

use super::ddl::{delete_schema_rows, finish_schema_change, insert_schema_row, open_schema_for_write};
use super::{bytes, Builder};

/// What one ANALYZE statement covers.
enum Target {
    Db(usize),
    Table(Arc<Table>),
    Index(Arc<Index>),
}

const STAT1_SQL: &str = "CREATE TABLE sqlite_stat1(tbl,idx,stat)";

fn targets(b: &Builder<'_>, name: Option<&QualifiedName>) -> Result<Vec<Target>> {
    let Some(q) = name else {
        return Ok((0..b.schemas.dbs.len()).filter(|&d| d != TEMP_DB).map(Target::Db).collect());
    };
    let schema = match &q.schema {
        None => {
            if let Some(db) = b.schemas.db_index(&q.name) {
                return Ok(vec![Target::Db(db)]);
            }
            None
        }
        Some(s) => {
            b.schemas.db_index(s).ok_or_else(|| Error::sql(format!("unknown database {s}")))?;
            Some(s.as_str())
        }
    };
    if let Some(t) = b.schemas.find_table(schema, &q.name) {
        return Ok(vec![Target::Table(t)]);
    }
    if let Some(ix) = b.schemas.find_index(schema, &q.name) {
        return Ok(vec![Target::Index(ix)]);
    }
    Err(Error::sql(match schema {
        Some(s) => format!("no such table: {s}.{}", q.name),
        None => format!("no such table: {}", q.name),
    }))
}

fn analysable(t: &Table) -> bool {
    !t.is_view() && t.module.is_none() && !(t.name.len() >= 7 && t.name[..7].eq_ignore_ascii_case("sqlite_"))
}

pub fn compile_analyze(b: &mut Builder<'_>, name: Option<&QualifiedName>) -> Result<()> {
    for target in targets(b, name)? {
        let (db, work): (usize, Vec<(Arc<Table>, Option<Arc<Index>>)>) = match target {
            Target::Db(db) => {
                let mut tables: Vec<Arc<Table>> = b.schemas.get(db).tables().filter(|t| analysable(t)).cloned().collect();
                tables.sort_by(|x, y| x.name.cmp(&y.name));
                (db, tables.into_iter().map(|t| (t, None)).collect())
            }
            Target::Table(t) => (t.db, if analysable(&t) { vec![(t, None)] } else { Vec::new() }),
            Target::Index(ix) => match b.schemas.get(ix.db).table(&ix.table).cloned() {
                Some(t) if analysable(&t) => (ix.db, vec![(t, Some(ix))]),
                _ => (ix.db, Vec::new()),
            },
        };
        analyze_db(b, db, &work)?;
    }
    Ok(())
}

/// Writes the statistics of `work` (tables, or one index of a table) into
/// database `db`'s sqlite_stat1, creating it first if needed.
fn analyze_db(b: &mut Builder<'_>, db: usize, work: &[(Arc<Table>, Option<Arc<Index>>)]) -> Result<()> {
    let existing = b.schemas.get(db).table("sqlite_stat1").map(|t| t.root);
    let root = match existing {
        Some(r) => Root::Page(r),
        None => {
            let sc = open_schema_for_write(b, db);
            let r = b.alloc_reg();
            b.emit(Op::CreateBtree { db, kind: TreeKind::Table, dest: r });
            insert_schema_row(b, sc, "table", "sqlite_stat1", "sqlite_stat1", Some(r), Some(STAT1_SQL));
            Root::Reg(r)
        }
    };
    b.writes = true;
    let stat = b.alloc_cursor();
    b.emit(Op::OpenWrite { cursor: stat, db, root, kind: TreeKind::Table, key_info: None });
    for (t, only) in work {
        match only {
            Some(ix) => delete_schema_rows(b, stat, 1, &ix.name),
            None => delete_schema_rows(b, stat, 0, &t.name),
        }
        // A WITHOUT ROWID table's PRIMARY KEY is analysed as an index
        // (the table's own B-tree) whose row SQLite names after the table.
        let indexes: Vec<Arc<Index>> = match only {
            Some(ix) => vec![ix.clone()],
            None if t.without_rowid => b.schemas.get(t.db).indexes_with_pk(&t.name),
            None => b.schemas.indexes_of(t),
        };
        let row = b.alloc_regs(3);
        b.emit(Op::String { value: bytes(&t.name), dest: row });
        let skip = b.new_label();
        if indexes.is_empty() {
            let c = b.alloc_cursor();
            b.emit(Op::OpenRead { cursor: c, db, root: Root::Page(t.root), kind: TreeKind::Table, key_info: None });
            b.emit(Op::Null { dest: row + 1, count: 1 });
            b.emit(Op::Count { cursor: c, dest: row + 2 });
            b.emit(Op::IfNot { reg: row + 2, target: skip, jump_if_null: true });
            b.emit(Op::Affinity { start: row + 2, affinities: Arc::from(vec![Affinity::Text]) });
            write_stat_row(b, stat, row);
        }
        for ix in &indexes {
            let next = b.new_label();
            let name = if ix.is_table_pk() { &t.name } else { &ix.name };
            b.emit(Op::String { value: bytes(name), dest: row + 1 });
            b.emit(Op::AnalyzeIndex { db, root: ix.root, key_info: ix.key_info.clone(), ncols: ix.columns.len(), dest: row + 2 });
            b.emit(Op::IsNull { reg: row + 2, target: next });
            write_stat_row(b, stat, row);
            b.resolve(next);
        }
        b.resolve(skip);
    }
    if existing.is_none() {
        finish_schema_change(b, db);
    }
    Ok(())
}

fn write_stat_row(b: &mut Builder<'_>, stat: usize, row: usize) {
    let rec = b.alloc_reg();
    let rowid = b.alloc_reg();
    b.emit(Op::MakeRecord { start: row, count: 3, dest: rec });
    b.emit(Op::NewRowid { cursor: stat, dest: rowid });
    b.emit(Op::Insert { cursor: stat, record: rec, rowid, count_change: false, set_last_rowid: false, hook: None });
}
