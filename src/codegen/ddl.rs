//! CREATE / DROP, transaction control and PRAGMA.
//!
//! Schema changes write sqlite_schema rows exactly as SQLite writes them:
//! the same row order (a table's row before its automatic indexes), the
//! same normalised SQL text ("CREATE TABLE " followed by the statement from
//! the object's name on), NULL sql for automatic indexes. Each change bumps
//! the schema cookie and reloads the in-memory schema.

use std::sync::Arc;

use crate::btree::TreeKind;
use crate::error::{code, Error, Result};
use crate::parse::ast::{self, CreateIndex, CreateTable, CreateTableBody, CreateView, DropKind, Stmt, TransactionKind};
use crate::schema::{Schema, SchemaSet, SCHEMA_ROOT, TEMP_DB};
use crate::value::Value;
use crate::vdbe::{CmpOp, OnError, Op, Root, SavepointOp};
use crate::collation::CollSeq;
use crate::vdbe::mem::Affinity;

use super::{bytes, Builder};

fn reserved(name: &str) -> Result<()> {
    if name.len() >= 7 && name[..7].eq_ignore_ascii_case("sqlite_") {
        return Err(Error::sql(format!("object name reserved for internal use: {name}")));
    }
    Ok(())
}

/// The database a new object goes to: TEMP for CREATE TEMP, the named
/// one, else main.
fn target_db(b: &Builder<'_>, name: &ast::QualifiedName, temporary: bool) -> Result<usize> {
    if temporary {
        return Ok(TEMP_DB);
    }
    match &name.schema {
        Some(s) => b.schemas.db_index(s).ok_or_else(|| Error::sql(format!("unknown database {s}"))),
        None => Ok(0),
    }
}

/// The database a qualified name designates (None when unqualified).
fn named_db(b: &Builder<'_>, name: &ast::QualifiedName) -> Result<Option<usize>> {
    match &name.schema {
        Some(s) => b.schemas.db_index(s).map(Some).ok_or_else(|| Error::sql(format!("unknown database {s}"))),
        None => Ok(None),
    }
}

/// Appends a sqlite_schema row; `root` is a register holding the root page
/// (or None for 0), `sql` None for automatic indexes.
pub(super) fn insert_schema_row(b: &mut Builder<'_>, sc: usize, kind: &str, name: &str, tbl: &str, root: Option<usize>, sql: Option<&str>) {
    let regs = b.alloc_regs(5);
    b.emit(Op::String { value: bytes(kind), dest: regs });
    b.emit(Op::String { value: bytes(name), dest: regs + 1 });
    b.emit(Op::String { value: bytes(tbl), dest: regs + 2 });
    match root {
        Some(r) => {
            b.emit(Op::Copy { src: r, dest: regs + 3, count: 1 });
        }
        None => {
            b.emit(Op::Integer { value: 0, dest: regs + 3 });
        }
    }
    match sql {
        Some(s) => {
            b.emit(Op::String { value: bytes(s), dest: regs + 4 });
        }
        None => {
            b.emit(Op::Null { dest: regs + 4, count: 1 });
        }
    }
    let rec = b.alloc_reg();
    let rowid = b.alloc_reg();
    b.emit(Op::MakeRecord { start: regs, count: 5, dest: rec });
    b.emit(Op::NewRowid { cursor: sc, dest: rowid });
    b.emit(Op::Insert { cursor: sc, record: rec, rowid, count_change: false, set_last_rowid: false, hook: None });
}

pub(super) fn open_schema_for_write(b: &mut Builder<'_>, db: usize) -> usize {
    b.writes = true;
    let sc = b.alloc_cursor();
    b.emit(Op::OpenWrite { cursor: sc, db, root: Root::Page(SCHEMA_ROOT), kind: TreeKind::Table, key_info: None });
    sc
}

pub(super) fn finish_schema_change(b: &mut Builder<'_>, db: usize) {
    if b.schemas.get(db).file_format == 0 {
        // A database's first schema object fixes its schema format and
        // text encoding, as in SQLite.
        b.emit(Op::SetCookie { db, meta: 2, value: 4 });
        b.emit(Op::SetTextEncoding { db });
    }
    b.emit(Op::BumpSchemaCookie { db });
    b.emit(Op::ParseSchema { db });
}

/// What `name` already names in database `db`: "table" (or view), "index".
fn name_taken(b: &Builder<'_>, db: usize, name: &str) -> Option<&'static str> {
    let s = b.schemas.get(db);
    if s.table(name).is_some() {
        Some("table")
    } else if s.index(name).is_some() {
        Some("index")
    } else {
        None
    }
}

pub fn compile_create_table(b: &mut Builder<'_>, ct: &CreateTable, sql: &str) -> Result<()> {
    let db = target_db(b, &ct.name, ct.temporary)?;
    let name = &ct.name.name;
    reserved(name)?;
    if let Some(kind) = name_taken(b, db, name) {
        if kind == "table" {
            if ct.if_not_exists {
                b.extra_reads |= 1 << db;
                b.reads = true;
                return Ok(());
            }
            let t = b.schemas.get(db).table(name).map(|t| if t.is_view() { "view" } else { "table" }).unwrap_or("table");
            return Err(Error::sql(format!("{t} {name} already exists")));
        }
        return Err(Error::sql(format!("there is already an index named {name}")));
    }
    if let CreateTableBody::AsSelect(sel) = &ct.body {
        return compile_create_table_as(b, db, name, sel);
    }
    let table = crate::schema::Table { db, ..Schema::table_from_ast(ct, 0, sql.to_string())? };
    table.check_usable()?;
    super::generated::validate(b, &table)?;
    for c in &table.columns {
        if let Some(coll) = &c.collation {
            Builder::collation_by_name(coll)?;
        }
    }
    // A WITHOUT ROWID table's PRIMARY KEY is the table's own B-tree.
    let autoindexes: Vec<_> = Schema::constraint_indexes(&table)?.into_iter().filter(|ix| !(table.without_rowid && ix.origin == crate::schema::IndexOrigin::PrimaryKey)).collect();
    let sc = open_schema_for_write(b, db);
    let root = b.alloc_reg();
    b.emit(Op::CreateBtree { db, kind: table.tree_kind(), dest: root });
    insert_schema_row(b, sc, "table", name, name, Some(root), Some(sql));
    for ix in &autoindexes {
        let r = b.alloc_reg();
        b.emit(Op::CreateBtree { db, kind: TreeKind::Index, dest: r });
        insert_schema_row(b, sc, "index", &ix.name, name, Some(r), None);
    }
    // The first AUTOINCREMENT table brings sqlite_sequence, written after
    // the table as SQLite writes it.
    if table.autoincrement && b.schemas.get(db).table("sqlite_sequence").is_none() {
        let r = b.alloc_reg();
        b.emit(Op::CreateBtree { db, kind: TreeKind::Table, dest: r });
        insert_schema_row(b, sc, "table", "sqlite_sequence", "sqlite_sequence", Some(r), Some("CREATE TABLE sqlite_sequence(name,seq)"));
    }
    finish_schema_change(b, db);
    Ok(())
}

/// CREATE TABLE name AS SELECT: the table's columns are the select's
/// result columns (named as a subquery's are, typed by their affinity:
/// INT, TEXT, NUM, REAL or none) and its rows the select's rows, with
/// new rowids. The schema text is the one SQLite writes for it.
fn compile_create_table_as(b: &mut Builder<'_>, db: usize, name: &str, sel: &ast::Select) -> Result<()> {
    let eph = b.alloc_cursor();
    b.emit(Op::OpenEphemeral { cursor: eph, key_info: None });
    b.reads = true;
    b.auto_index_ok = true;
    let out = super::select::compile_select(b, sel, super::select::Dest::EphTable(eph))?;
    b.auto_index_ok = false;
    let names = super::select::source_column_names(&out.names);
    let types: Vec<Option<&str>> = (0..names.len())
        .map(|i| match out.affinities.get(i).copied().flatten() {
            Some(Affinity::Text) => Some("TEXT"),
            Some(Affinity::Numeric) => Some("NUM"),
            Some(Affinity::Integer) => Some("INT"),
            Some(Affinity::Real) => Some("REAL"),
            _ => None,
        })
        .collect();
    let sql = create_table_text(name, &names, &types);
    let parsed = crate::parse::Parser::new(&sql).next_stmt()?.ok_or_else(|| Error::with_message(code::INTERNAL, "CREATE TABLE text did not parse"))?;
    let Stmt::CreateTable(ct) = &parsed.stmt else {
        return Err(Error::with_message(code::INTERNAL, "CREATE TABLE text did not parse"));
    };
    let table = Schema::table_from_ast(ct, 0, sql.clone())?;
    let sc = open_schema_for_write(b, db);
    let root = b.alloc_reg();
    b.emit(Op::CreateBtree { db, kind: TreeKind::Table, dest: root });
    insert_schema_row(b, sc, "table", name, name, Some(root), Some(&sql));
    let tc = b.alloc_cursor();
    b.emit(Op::OpenWrite { cursor: tc, db, root: Root::Reg(root), kind: TreeKind::Table, key_info: None });
    let n = names.len();
    let done = b.new_label();
    b.emit(Op::Rewind { cursor: eph, target: done });
    let top = b.addr();
    let row = b.alloc_regs(n.max(1));
    for i in 0..n {
        b.emit(Op::Column { cursor: eph, column: i, dest: row + i, default: None });
    }
    let affs: Vec<Affinity> = table.columns.iter().map(|c| c.affinity).collect();
    b.emit(Op::Affinity { start: row, affinities: Arc::from(affs) });
    let rec = b.alloc_reg();
    let rowid = b.alloc_reg();
    b.emit(Op::MakeRecord { start: row, count: n, dest: rec });
    b.emit(Op::NewRowid { cursor: tc, dest: rowid });
    b.emit(Op::Insert { cursor: tc, record: rec, rowid, count_change: false, set_last_rowid: false, hook: None });
    b.emit(Op::Next { cursor: eph, target: top });
    b.resolve(done);
    finish_schema_change(b, db);
    Ok(())
}

/// The CREATE TABLE text SQLite writes for a table made by CREATE TABLE
/// ... AS SELECT: identifiers quoted only when they must be, on one line
/// when short, one column per line otherwise.
fn create_table_text(name: &str, columns: &[String], types: &[Option<&str>]) -> String {
    // SQLite's length estimate decides the layout: each identifier with
    // its quotes doubled plus two, five more per column.
    let ident_len = |s: &str| s.chars().filter(|&c| c == '"').count() + s.chars().count() + 2;
    let n: usize = columns.iter().map(|c| ident_len(c) + 5).sum::<usize>() + ident_len(name);
    let (first, sep, end) = if n < 50 { ("", ",", ")") } else { ("\n  ", ",\n  ", "\n)") };
    let mut out = String::from("CREATE TABLE ");
    put_ident(&mut out, name);
    out.push('(');
    for (i, c) in columns.iter().enumerate() {
        out.push_str(if i == 0 { first } else { sep });
        put_ident(&mut out, c);
        if let Some(t) = types.get(i).copied().flatten() {
            out.push(' ');
            out.push_str(t);
        }
    }
    out.push_str(end);
    out
}

/// An identifier as SQLite writes it into generated schema text: bare when
/// it is letters, digits and underscores, does not start with a digit and
/// is not a keyword; otherwise in double quotes (inner ones doubled).
fn put_ident(out: &mut String, id: &str) {
    let plain = !id.is_empty()
        && id.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'_')
        && !id.as_bytes()[0].is_ascii_digit()
        && crate::parse::keywords::lookup(id).is_none();
    if plain {
        out.push_str(id);
    } else {
        out.push('"');
        out.push_str(&id.replace('"', "\"\""));
        out.push('"');
    }
}

pub fn compile_create_index(b: &mut Builder<'_>, ci: &CreateIndex, sql: &str) -> Result<()> {
    // A qualified index name says where the table is; an unqualified one
    // goes with its table.
    let named = named_db(b, &ci.name)?;
    let name = &ci.name.name;
    if SchemaSet::is_schema_table(&ci.table) {
        return Err(Error::sql(format!("table {} may not be indexed", ci.table)));
    }
    let table = b.schemas.find_table(named.map(|d| b.schemas.db_name(d)), &ci.table).ok_or_else(|| Error::sql(format!("no such table: {}.{}", b.schemas.db_name(named.unwrap_or(0)), ci.table)))?;
    if table.is_view() {
        return Err(Error::sql("views may not be indexed"));
    }
    if table.module.is_some() {
        return Err(Error::sql("virtual tables may not be indexed"));
    }
    table.check_usable()?;
    let db = table.db;
    reserved(name)?;
    match name_taken(b, db, name) {
        Some("index") => {
            if ci.if_not_exists {
                b.extra_reads |= 1 << db;
                b.reads = true;
                return Ok(());
            }
            return Err(Error::sql(format!("index {name} already exists")));
        }
        Some(_) => return Err(Error::sql(format!("there is already a table named {name}"))),
        None => {}
    }
    // What SQLite refuses in index expressions and partial-index WHEREs.
    for (exprs, what) in [(ci.columns.iter().map(|c| &c.expr).collect::<Vec<_>>(), "index expressions"), (ci.where_.iter().collect(), "partial index WHERE clauses")] {
        for e in exprs {
            let mut bad: Option<&str> = None;
            super::expr::walk(e, &mut |x| {
                match x {
                    ast::Expr::Subquery(_) | ast::Expr::Exists { .. } | ast::Expr::InSelect { .. } => bad = bad.or(Some("subqueries")),
                    ast::Expr::Function(f) if !deterministic(f) => bad = bad.or(Some("non-deterministic functions")),
                    _ => {}
                }
                true
            });
            if let Some(kind) = bad {
                return Err(Error::sql(format!("{kind} prohibited in {what}")));
            }
        }
    }
    let ix = b.schemas.get(db).index_from_ast(ci, &table, 0, Some(sql.to_string()))?;
    let sc = open_schema_for_write(b, db);
    let root = b.alloc_reg();
    b.emit(Op::CreateBtree { db, kind: TreeKind::Index, dest: root });
    insert_schema_row(b, sc, "index", name, &table.name, Some(root), Some(sql));
    fill_index(b, &table, &ix, Root::Reg(root))?;
    finish_schema_change(b, db);
    Ok(())
}

/// Fills an (empty) index from its table, checking uniqueness.
fn fill_index(b: &mut Builder<'_>, table: &crate::schema::Table, ix: &crate::schema::Index, root: Root) -> Result<()> {
    let tc = b.alloc_cursor();
    let ic = b.alloc_cursor();
    b.emit(Op::OpenRead { cursor: tc, db: table.db, root: Root::Page(table.root), kind: table.tree_kind(), key_info: table.cursor_key_info() });
    b.emit(Op::OpenWrite { cursor: ic, db: table.db, root, kind: TreeKind::Index, key_info: Some(ix.key_info.clone()) });
    let done = b.new_label();
    b.emit(Op::Rewind { cursor: tc, target: done });
    let top = b.addr();
    let n = ix.columns.len();
    let next = b.new_label();
    let row = b.alloc_regs(table.columns.len());
    let rowid = b.alloc_reg();
    b.emit(Op::Rowid { cursor: tc, dest: rowid });
    super::dml::read_row(b, table, tc, row)?;
    super::dml::skip_unless_indexed(b, table, ix, row, rowid, next)?;
    let key = super::dml::index_key(b, table, ix, row, rowid)?;
    if ix.unique {
        let ok = b.new_label();
        b.emit(Op::NoConflict { cursor: ic, key, n, target: ok });
        b.emit(Op::Halt { rc: code::CONSTRAINT_UNIQUE, msg: Some(super::dml::unique_message(table, ix)), on_error: OnError::Abort });
        b.resolve(ok);
    }
    let rec = b.alloc_reg();
    b.emit(Op::MakeRecord { start: key, count: ix.n_fields(), dest: rec });
    b.emit(Op::IdxInsert { cursor: ic, key: rec });
    b.resolve(next);
    b.emit(Op::Next { cursor: tc, target: top });
    b.resolve(done);
    Ok(())
}

/// REINDEX [name]: rebuilds one index, a table's indexes, the indexes
/// using a collation, or every index.
pub fn compile_reindex(b: &mut Builder<'_>, name: Option<&ast::QualifiedName>) -> Result<()> {
    let mut chosen = Vec::new();
    let all_tables: Vec<_> = b.schemas.dbs.iter().flat_map(|d| d.schema.tables().filter(|t| !t.is_view()).cloned()).collect();
    match name {
        None => {
            for t in &all_tables {
                for ix in b.schemas.indexes_of(t) {
                    chosen.push((t.clone(), ix));
                }
            }
        }
        Some(q) => {
            let schema = named_db(b, q)?.map(|d| b.schemas.db_name(d));
            let n = &q.name;
            if let Some(ix) = b.schemas.find_index(schema, n) {
                if let Some(t) = b.schemas.get(ix.db).table(&ix.table).cloned() {
                    chosen.push((t, ix));
                }
            } else if let Some(t) = b.schemas.find_table(schema, n).filter(|t| !SchemaSet::is_schema_table(&t.name)) {
                for ix in b.schemas.indexes_of(&t) {
                    chosen.push((t.clone(), ix));
                }
            } else if schema.is_none() && crate::collation::CollSeq::builtin(n).is_some() {
                for t in &all_tables {
                    for ix in b.schemas.indexes_of(t) {
                        if ix.columns.iter().any(|c| c.collation.name().eq_ignore_ascii_case(n)) {
                            chosen.push((t.clone(), ix));
                        }
                    }
                }
            } else {
                return Err(Error::sql("unable to identify the object to be reindexed"));
            }
        }
    }
    b.writes = true;
    for (t, ix) in chosen {
        b.emit(Op::Clear { db: ix.db, root: ix.root, count_change: false });
        fill_index(b, &t, &ix, Root::Page(ix.root))?;
    }
    Ok(())
}

pub fn compile_create_view(b: &mut Builder<'_>, cv: &CreateView, sql: &str) -> Result<()> {
    let db = target_db(b, &cv.name, cv.temporary)?;
    let name = &cv.name.name;
    reserved(name)?;
    if let Some(kind) = name_taken(b, db, name) {
        if kind == "table" {
            if cv.if_not_exists {
                b.extra_reads |= 1 << db;
                b.reads = true;
                return Ok(());
            }
            let t = b.schemas.get(db).table(name).map(|t| if t.is_view() { "view" } else { "table" }).unwrap_or("table");
            return Err(Error::sql(format!("{t} {name} already exists")));
        }
        return Err(Error::sql(format!("there is already an index named {name}")));
    }
    // Check the view compiles now, as SQLite does.
    {
        let mut probe = Builder::new(b.schemas);
        super::select::compile_select(&mut probe, &cv.select, super::select::Dest::Output)?;
    }
    let sc = open_schema_for_write(b, db);
    insert_schema_row(b, sc, "view", name, name, None, Some(sql));
    finish_schema_change(b, db);
    Ok(())
}

/// Deletes the sqlite_schema rows whose column `col` (1 = name, 2 =
/// tbl_name) equals `value`, case-insensitively.
pub(super) fn delete_schema_rows(b: &mut Builder<'_>, sc: usize, col: usize, value: &str) {
    let done = b.new_label();
    b.emit(Op::Rewind { cursor: sc, target: done });
    let top = b.addr();
    let v = b.alloc_reg();
    let want = b.alloc_reg();
    let eq = b.alloc_reg();
    let next = b.new_label();
    b.emit(Op::Column { cursor: sc, column: col, dest: v, default: None });
    b.emit(Op::String { value: bytes(value), dest: want });
    b.emit(Op::Compare { op: CmpOp::Eq, lhs: v, rhs: want, dest: eq, affinity: None, coll: CollSeq::NoCase });
    b.emit(Op::IfNot { reg: eq, target: next, jump_if_null: true });
    b.emit(Op::Delete { cursor: sc, count_change: false, hook: None });
    // After a delete the cursor already stands before the next entry; a
    // Next from there is what SQLite's loop does too.
    b.resolve(next);
    b.emit(Op::Next { cursor: sc, target: top });
    b.resolve(done);
}

/// Drops the tree at `root`. If an auto-vacuum file moved another tree's
/// root into that page, the sqlite_schema row naming the old root gets
/// `root` instead (SQLite's "UPDATE sqlite_master SET rootpage=...").
fn destroy_root(b: &mut Builder<'_>, db: usize, sc: usize, root: u32) {
    let moved = b.alloc_reg();
    b.emit(Op::Destroy { db, root, moved });
    let done = b.new_label();
    b.emit(Op::IfNot { reg: moved, target: done, jump_if_null: true });
    b.emit(Op::Rewind { cursor: sc, target: done });
    let top = b.addr();
    let next = b.new_label();
    let v = b.alloc_reg();
    let eq = b.alloc_reg();
    b.emit(Op::Column { cursor: sc, column: 3, dest: v, default: None });
    b.emit(Op::Compare { op: CmpOp::Eq, lhs: v, rhs: moved, dest: eq, affinity: None, coll: CollSeq::Binary });
    b.emit(Op::IfNot { reg: eq, target: next, jump_if_null: true });
    let regs = b.alloc_regs(5);
    for i in 0..5 {
        b.emit(Op::Column { cursor: sc, column: i, dest: regs + i, default: None });
    }
    b.emit(Op::Integer { value: i64::from(root), dest: regs + 3 });
    let rec = b.alloc_reg();
    let rowid = b.alloc_reg();
    b.emit(Op::MakeRecord { start: regs, count: 5, dest: rec });
    b.emit(Op::Rowid { cursor: sc, dest: rowid });
    b.emit(Op::Insert { cursor: sc, record: rec, rowid, count_change: false, set_last_rowid: false, hook: None });
    b.resolve(next);
    b.emit(Op::Next { cursor: sc, target: top });
    b.resolve(done);
}

pub fn compile_drop(b: &mut Builder<'_>, d: &ast::Drop) -> Result<()> {
    let schema = d.name.schema.as_deref();
    let name = &d.name.name;
    let missing = |b: &mut Builder<'_>, what: &str| -> Result<()> {
        if d.if_exists {
            b.reads = true;
            return Ok(());
        }
        Err(Error::sql(match schema {
            Some(s) => format!("no such {what}: {s}.{name}"),
            None => format!("no such {what}: {name}"),
        }))
    };
    let db;
    match d.kind {
        DropKind::Table | DropKind::View => {
            let is_view = d.kind == DropKind::View;
            if SchemaSet::is_schema_table(name) && (schema.is_none() || b.schemas.find_table(schema, name).is_some()) {
                return Err(Error::sql(format!("table {name} may not be dropped")));
            }
            let Some(t) = b.schemas.find_table(schema, name) else {
                if !is_view && schema.is_none_or(|s| s.eq_ignore_ascii_case("main")) && crate::vtab::eponymous(name)?.is_some() {
                    return Err(Error::sql(format!("table {name} may not be dropped")));
                }
                return missing(b, if is_view { "view" } else { "table" });
            };
            db = t.db;
            if t.is_view() && !is_view {
                return Err(Error::sql(format!("use DROP VIEW to delete view {name}")));
            }
            if !t.is_view() && is_view {
                return Err(Error::sql(format!("use DROP TABLE to delete table {name}")));
            }
            if t.module.is_some() {
                // A virtual table: the schema row, then xDestroy (its
                // module must be there: "no such module" otherwise).
                super::vtab::connected(b, &t)?;
                let sc = open_schema_for_write(b, db);
                delete_schema_rows(b, sc, 2, &t.name);
                b.emit(Op::VDestroy { db, name: Arc::from(t.name.as_str()) });
                delete_stat_rows(b, db, 0, &t.name);
                finish_schema_change(b, db);
                return Ok(());
            }
            let sc = open_schema_for_write(b, db);
            // As SQLite: the schema rows go first, then the trees, largest
            // root first, so that no tree still to be dropped is moved by
            // an auto-vacuum file's root relocation.
            delete_schema_rows(b, sc, 2, &t.name);
            if !t.is_view() {
                let mut roots: Vec<u32> = b.schemas.indexes_of(&t).iter().map(|i| i.root).collect();
                roots.push(t.root);
                roots.sort_unstable_by(|a, b| b.cmp(a));
                for r in roots {
                    destroy_root(b, db, sc, r);
                }
            }
            if t.autoincrement {
                if let Some(seq) = b.schemas.get(db).table("sqlite_sequence").cloned() {
                    let c = b.alloc_cursor();
                    b.emit(Op::OpenWrite { cursor: c, db, root: Root::Page(seq.root), kind: TreeKind::Table, key_info: None });
                    delete_schema_rows(b, c, 0, &t.name);
                }
            }
            // Its statistics go too (column tbl of sqlite_stat1).
            delete_stat_rows(b, db, 0, &t.name);
        }
        DropKind::Index => {
            let Some(ix) = b.schemas.find_index(schema, name) else {
                // The PRIMARY KEY of a WITHOUT ROWID table has no row but
                // is an index all the same.
                let pk = b.schemas.candidates(schema).into_iter().find_map(|d| b.schemas.get(d).index_or_pk(name));
                if pk.is_some() {
                    return Err(Error::sql("index associated with UNIQUE or PRIMARY KEY constraint cannot be dropped"));
                }
                return missing(b, "index");
            };
            if ix.sql.is_none() {
                return Err(Error::sql("index associated with UNIQUE or PRIMARY KEY constraint cannot be dropped"));
            }
            db = ix.db;
            let sc = open_schema_for_write(b, db);
            delete_schema_rows(b, sc, 1, &ix.name);
            destroy_root(b, db, sc, ix.root);
            delete_stat_rows(b, db, 1, &ix.name);
        }
        DropKind::Trigger => {
            let Some((tdb, _)) = b.schemas.find_trigger(schema, name) else {
                return missing(b, "trigger");
            };
            db = tdb;
            let sc = open_schema_for_write(b, db);
            delete_schema_rows(b, sc, 1, name);
        }
    }
    finish_schema_change(b, db);
    Ok(())
}

/// Deletes the sqlite_stat1 rows of a dropped table (`col` 0) or index
/// (`col` 1), as SQLite's DROP does, when the database has that table.
fn delete_stat_rows(b: &mut Builder<'_>, db: usize, col: usize, name: &str) {
    if let Some(stat) = b.schemas.get(db).table("sqlite_stat1").cloned() {
        let c = b.alloc_cursor();
        b.emit(Op::OpenWrite { cursor: c, db, root: Root::Page(stat.root), kind: TreeKind::Table, key_info: None });
        delete_schema_rows(b, c, col, name);
    }
}

pub fn compile_create_trigger(b: &mut Builder<'_>, ct: &ast::CreateTrigger, sql: &str) -> Result<()> {
    // A trigger lives in its table's database, or in TEMP when it is one.
    let named = named_db(b, &ct.name)?;
    let tname = &ct.table.name;
    let lookup_db = named.map(|d| b.schemas.db_name(d));
    let found = if SchemaSet::is_schema_table(tname) { None } else { b.schemas.find_table(lookup_db, tname) };
    let db = if ct.temporary { TEMP_DB } else { named.or(found.as_ref().map(|t| t.db)).unwrap_or(0) };
    let name = &ct.name.name;
    if b.schemas.get(db).triggers.contains_key(&name.to_ascii_lowercase()) {
        if ct.if_not_exists {
            b.extra_reads |= 1 << db;
            b.reads = true;
            return Ok(());
        }
        return Err(Error::sql(format!("trigger {name} already exists")));
    }
    reserved(name)?;
    if tname.len() >= 7 && tname[..7].eq_ignore_ascii_case("sqlite_") {
        return Err(Error::sql("cannot create trigger on system table"));
    }
    if found.as_ref().is_some_and(|t| t.module.is_some()) {
        return Err(Error::sql("cannot create triggers on virtual tables"));
    }
    let table = found.ok_or_else(|| Error::sql(format!("no such table: {}.{tname}", b.schemas.db_name(db))))?;
    match (ct.time, table.is_view()) {
        (ast::TriggerTime::InsteadOf, false) => return Err(Error::sql(format!("cannot create INSTEAD OF trigger on table: {tname}"))),
        (ast::TriggerTime::InsteadOf, true) => {}
        (t, true) => {
            let when = if t == ast::TriggerTime::Before { "BEFORE" } else { "AFTER" };
            let shown = match &ct.table.schema {
                Some(s) => format!("{s}.{tname}"),
                None => tname.to_string(),
            };
            return Err(Error::sql(format!("cannot create {when} trigger on view: {shown}")));
        }
        _ => {}
    }
    let sc = open_schema_for_write(b, db);
    insert_schema_row(b, sc, "trigger", name, &table.name, None, Some(sql));
    finish_schema_change(b, db);
    Ok(())
}

pub fn compile_transaction(b: &mut Builder<'_>, stmt: &Stmt) -> Result<()> {
    match stmt {
        Stmt::Begin(kind) => {
            b.emit(Op::AutoCommit { on: false, rollback: false, kind: *kind });
        }
        Stmt::Commit => {
            b.emit(Op::AutoCommit { on: true, rollback: false, kind: TransactionKind::Deferred });
        }
        Stmt::Rollback { savepoint: None } => {
            b.emit(Op::AutoCommit { on: true, rollback: true, kind: TransactionKind::Deferred });
        }
        Stmt::Rollback { savepoint: Some(name) } => {
            b.emit(Op::Savepoint { op: SavepointOp::Rollback, name: name.clone() });
        }
        Stmt::Savepoint(name) => {
            b.emit(Op::Savepoint { op: SavepointOp::Begin, name: name.clone() });
        }
        Stmt::Release(name) => {
            b.emit(Op::Savepoint { op: SavepointOp::Release, name: name.clone() });
        }
        _ => return Err(Error::with_message(code::INTERNAL, "not a transaction statement")),
    }
    Ok(())
}

/// Compiles VACUUM [schema] [INTO expr]. VACUUM of the TEMP schema does
/// nothing, as in SQLite.
pub fn compile_vacuum(b: &mut Builder<'_>, schema: Option<&str>, into: Option<&ast::Expr>) -> Result<()> {
    let db = match schema {
        Some(s) => b.schemas.db_index(s).ok_or_else(|| Error::sql(format!("unknown database {s}")))?,
        None => 0,
    };
    if db == TEMP_DB {
        return Ok(());
    }
    let into = match into {
        Some(e) => b.expr_to_reg(e)?,
        None => 0,
    };
    b.emit(Op::Vacuum { db, into });
    Ok(())
}

/// An ATTACH or DETACH argument: a bare identifier means its own name
/// as a string (SQLite's resolveAttachExpr); anything else is an
/// expression of constants and parameters.
fn attach_arg(b: &mut Builder<'_>, e: &ast::Expr) -> Result<usize> {
    match e {
        ast::Expr::Column { schema: None, table: None, column } => {
            let r = b.alloc_reg();
            b.emit(Op::String { value: bytes(column), dest: r });
            Ok(r)
        }
        _ => b.expr_to_reg(e),
    }
}

/// ATTACH [DATABASE] file AS name [KEY key]: the key is evaluated and
/// ignored, as in a SQLite built without encryption.
pub fn compile_attach(b: &mut Builder<'_>, file: &ast::Expr, name: &ast::Expr, key: Option<&ast::Expr>) -> Result<()> {
    let file = attach_arg(b, file)?;
    let name = attach_arg(b, name)?;
    if let Some(k) = key {
        attach_arg(b, k)?;
    }
    b.emit(Op::Attach { file, name });
    Ok(())
}

pub fn compile_detach(b: &mut Builder<'_>, name: &ast::Expr) -> Result<()> {
    let name = attach_arg(b, name)?;
    b.emit(Op::Detach { name });
    Ok(())
}

/// Compiles a PRAGMA; returns its result column names.
pub fn compile_pragma(b: &mut Builder<'_>, p: &ast::Pragma) -> Result<Vec<String>> {
    let named = named_db(b, &p.name)?;
    let name = p.name.name.to_ascii_lowercase();
    let arg = match &p.value {
        None => None,
        Some(ast::PragmaValue::Assign(e)) | Some(ast::PragmaValue::Call(e)) => Some(pragma_arg(e)?),
    };
    // Pragmas about one table or index find it as a statement would when
    // no database is named.
    let object_db = || {
        let Some(Value::Text(t)) = &arg else { return None };
        let t = String::from_utf8_lossy(t);
        match name.as_str() {
            "table_info" | "table_xinfo" | "index_list" => b.schemas.find_table(None, &t).map(|t| t.db),
            "index_info" | "index_xinfo" => b.schemas.find_index(None, &t).map(|i| i.db),
            _ => None,
        }
    };
    let all = named.is_none() && (name == "integrity_check" || name == "quick_check");
    let db = if all { crate::pragma::ALL_DATABASES } else { named.or_else(object_db).unwrap_or(0) };
    let Some(info) = crate::pragma::info(&name, arg.is_some()) else {
        // SQLite ignores pragmas it does not know.
        return Ok(Vec::new());
    };
    match info.access {
        crate::pragma::Access::None => {}
        crate::pragma::Access::Read => b.reads = true,
        crate::pragma::Access::Write => b.writes = true,
    }
    b.emit(Op::Pragma { db, name: Arc::from(name.as_str()), arg });
    let n = info.columns.len();
    // incremental_vacuum yields one column-less row per page it frees,
    // as SQLite's does.
    if n > 0 || name.eq_ignore_ascii_case("incremental_vacuum") {
        let done = b.new_label();
        b.emit(Op::Rewind { cursor: 0, target: done });
        let top = b.addr();
        let regs = b.alloc_regs(n);
        for i in 0..n {
            b.emit(Op::Column { cursor: 0, column: i, dest: regs + i, default: None });
        }
        b.emit(Op::ResultRow { start: regs, count: n });
        b.emit(Op::Next { cursor: 0, target: top });
        b.resolve(done);
    }
    Ok(info.columns.iter().map(|s| s.to_string()).collect())
}

/// Whether a call may appear where SQLite wants the same result for the
/// same arguments (index expressions, generated columns): a built-in or
/// application function flagged deterministic, or an unknown name (which
/// fails later with its own error).
pub(super) fn deterministic(f: &ast::FunctionCall) -> bool {
    let n = match &f.args {
        ast::FunctionArgs::List(l) => l.len(),
        ast::FunctionArgs::Star => 0,
    };
    match crate::func::user::find_function(&f.name, n) {
        crate::func::user::Found::Builtin(d) => d.deterministic,
        crate::func::user::Found::User(u) => u.flags & 0x800 != 0,
        crate::func::user::Found::None => true,
    }
}

/// A PRAGMA's argument: a number, a string, or a bare word (ON, FULL ...).
fn pragma_arg(e: &ast::Expr) -> Result<Value> {
    use ast::{Expr, Literal, UnaryOp};
    Ok(match e {
        Expr::Literal(Literal::Number(n)) => crate::util::number_literal(n, false)?,
        Expr::Unary(UnaryOp::Neg, inner) => match inner.as_ref() {
            Expr::Literal(Literal::Number(n)) => crate::util::number_literal(n, true)?,
            _ => return Err(Error::sql("syntax error in PRAGMA argument")),
        },
        Expr::Unary(UnaryOp::Pos, inner) => pragma_arg(inner)?,
        Expr::Literal(Literal::String(s)) => Value::text(s),
        Expr::Column { table: None, column, .. } => Value::text(column),
        Expr::Literal(Literal::Null) => Value::text("null"),
        _ => return Err(Error::sql("syntax error in PRAGMA argument")),
    })
}
