//! The in-memory schema of one database: tables, their columns and
//! indexes, and views, rebuilt from the rows of `sqlite_schema`.
//!
//! Invariants: a `Schema` is immutable once built (it is shared by
//! `Arc` with every statement compiled against it) and reflects the
//! sqlite_schema rows at the schema cookie it records. Names are looked up
//! case-insensitively (ASCII), as SQLite does.

mod generated;
mod set;
mod without_rowid;

pub use generated::Generated;
pub use set::{DbSchema, SchemaSet, TEMP_DB};

use std::collections::HashMap;
use std::sync::Arc;

use crate::btree::{BtCursor, Btree, Pgno, TreeKind};
use crate::collation::CollSeq;
use crate::error::{Error, Result};
use crate::parse::ast::{self, ColumnConstraintKind, CreateTableBody, Expr, Stmt, TableConstraintKind};
use crate::parse::Parser;
use crate::record::{self, KeyInfo};
use crate::util::TextEncoding;
use crate::value::Value;
use crate::vdbe::mem::Affinity;
use crate::vdbe::OnError;

/// True for the names that refer to a table's rowid: rowid, oid, _rowid_
/// (any case).
pub fn is_rowid_name(name: &str) -> bool {
    ["rowid", "oid", "_rowid_"].iter().any(|r| r.eq_ignore_ascii_case(name))
}

/// The root page of sqlite_schema.
pub const SCHEMA_ROOT: Pgno = 1;

#[derive(Clone, Debug)]
pub struct Column {
    pub name: String,
    /// The declared type as written, for sqlite3_column_decltype.
    pub decl_type: Option<String>,
    pub affinity: Affinity,
    pub not_null: bool,
    pub not_null_conflict: Option<OnError>,
    pub default: Option<Expr>,
    /// The source text of the DEFAULT value (PRAGMA table_info).
    pub default_text: Option<String>,
    pub collation: Option<String>,
    /// Position in the PRIMARY KEY (1-based), 0 if not part of it.
    pub pk: usize,
    /// For a generated column (`AS (expr) [VIRTUAL|STORED]`): its
    /// expression and whether the record stores it.
    pub generated: Option<Generated>,
}

#[derive(Clone, Debug)]
pub struct Table {
    pub name: String,
    pub root: Pgno,
    pub columns: Vec<Column>,
    /// The INTEGER PRIMARY KEY column that aliases the rowid.
    pub rowid_alias: Option<usize>,
    pub without_rowid: bool,
    /// For a WITHOUT ROWID table: its PRIMARY KEY as an index whose root
    /// is the table's own (the table's records are its entries; see
    /// `without_rowid.rs`). Not listed among the table's indexes.
    pub pk_index: Option<Arc<Index>>,
    pub autoincrement: bool,
    pub pk_conflict: Option<OnError>,
    /// CHECK constraints: the name SQLite reports on failure (the
    /// constraint's name, else its expression text) and the expression.
    pub checks: Vec<(Option<String>, Expr)>,
    pub sql: String,
    /// For a view: its SELECT.
    pub view: Option<Box<ast::Select>>,
    /// The database holding it (0 main, 1 temp, 2.. attached), set when
    /// its schema is loaded.
    pub db: usize,
    /// For a virtual table (CREATE VIRTUAL TABLE ... USING module): the
    /// module's name. Ferrolite has no virtual-table modules yet, so such
    /// a table is only known, never read (SQLite's "no such module").
    pub module: Option<String>,
    /// Declares generated columns (GENERATED ALWAYS AS / AS (...)); see
    /// `generated.rs` for how their values are computed and stored.
    pub has_generated: bool,
    /// A STRICT table: every column has one of the types INT, INTEGER,
    /// REAL, TEXT, BLOB, ANY, and values are checked against them.
    pub strict: bool,
}

impl Table {
    /// A table named `name` with schema text `sql` and nothing else: no
    /// columns, no root page (the start of a view's or virtual table's
    /// description).
    fn bare(name: &str, sql: &str) -> Table {
        Table {
            name: name.to_string(),
            root: 0,
            columns: Vec::new(),
            rowid_alias: None,
            without_rowid: false,
            pk_index: None,
            autoincrement: false,
            pk_conflict: None,
            checks: Vec::new(),
            sql: sql.to_string(),
            view: None,
            db: 0,
            module: None,
            has_generated: false,
            strict: false,
        }
    }

    /// For a STRICT table, the check `Op::TypeCheck` makes on a row.
    pub fn strict_check(&self) -> Option<crate::vdbe::StrictCheck> {
        use crate::value::ValueType;
        if !self.strict {
            return None;
        }
        let columns = self
            .columns
            .iter()
            .map(|c| {
                let decl = c.decl_type.clone().unwrap_or_default().to_ascii_uppercase();
                let want = match decl.as_str() {
                    "INT" | "INTEGER" => Some(ValueType::Integer),
                    "REAL" => Some(ValueType::Float),
                    "TEXT" => Some(ValueType::Text),
                    "BLOB" => Some(ValueType::Blob),
                    _ => None,
                };
                (c.name.clone(), decl, want)
            })
            .collect();
        Some(crate::vdbe::StrictCheck { table: self.name.clone(), columns })
    }

    /// Refuses a table Ferrolite cannot read or write correctly yet, with
    /// the error SQLite gives without the module, or one saying what is
    /// not supported.
    pub fn check_usable(&self) -> Result<()> {
        if let Some(m) = &self.module {
            return Err(Error::sql(format!("no such module: {m}")));
        }
        Ok(())
    }

    /// The value a row stored before ALTER TABLE ADD COLUMN reads for column
    /// `i`: its DEFAULT when that is a constant, with the column's
    /// affinity applied (SQLite's sqlite3ColumnDefault); None reads NULL.
    pub fn column_default(&self, i: usize) -> Option<Value> {
        let c = self.columns.get(i)?;
        let v = constant_value(c.default.as_ref()?)?;
        Some(crate::vdbe::mem::apply_affinity(v, c.affinity))
    }

    /// A name that reads this table's rowid: the first of rowid, _rowid_,
    /// oid that no column takes (None when columns take all three).
    pub fn rowid_word(&self) -> Option<&'static str> {
        ["rowid", "_rowid_", "oid"].into_iter().find(|w| self.column_index(w).is_none())
    }

    pub fn column_index(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c.name.eq_ignore_ascii_case(name))
    }

    pub fn is_view(&self) -> bool {
        self.view.is_some()
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IndexOrigin {
    /// CREATE INDEX
    Create,
    /// A UNIQUE constraint
    Unique,
    /// A PRIMARY KEY that is not the rowid
    PrimaryKey,
}

#[derive(Clone, Debug)]
pub struct IndexColumn {
    /// The table column, or None for an expression term.
    pub column: Option<usize>,
    pub expr: Option<Expr>,
    pub collation: CollSeq,
    pub desc: bool,
}

#[derive(Clone, Debug)]
pub struct Index {
    pub name: String,
    pub table: String,
    pub root: Pgno,
    pub columns: Vec<IndexColumn>,
    pub unique: bool,
    pub on_conflict: Option<OnError>,
    pub origin: IndexOrigin,
    pub partial: Option<Expr>,
    /// Key comparison: the columns' collations and directions, then the
    /// rowid (BINARY ascending), or for an index of a WITHOUT ROWID table
    /// the PRIMARY KEY columns of `pk_tail` with their own.
    pub key_info: Arc<KeyInfo>,
    /// For an index of a WITHOUT ROWID table: the PRIMARY KEY columns its
    /// entries hold after `columns` (those not already among them). None
    /// for an index of a rowid table, whose entries end with the rowid.
    pub pk_tail: Option<Vec<usize>>,
    pub sql: Option<String>,
    /// The database holding it (always its table's).
    pub db: usize,
}

/// A trigger: its definition as parsed from its CREATE TRIGGER text.
#[derive(Clone, Debug)]
pub struct Trigger {
    pub name: String,
    pub table: String,
    pub def: ast::CreateTrigger,
    pub sql: String,
}

/// One database's schema.
#[derive(Clone, Debug, Default)]
pub struct Schema {
    tables: HashMap<String, Arc<Table>>,
    indexes: HashMap<String, Arc<Index>>,
    /// The indexes of each table (lower-case table name), in creation
    /// order (the same `Arc`s as `indexes`).
    table_indexes: HashMap<String, Arc<[Arc<Index>]>>,
    /// Triggers by (lower-case) name.
    pub triggers: HashMap<String, Arc<Trigger>>,
    /// Trigger names in the order their rows appear in sqlite_schema.
    trigger_order: Vec<String>,
    pub cookie: u32,
    /// The file's schema format number (meta 2).
    pub file_format: u32,
    /// The file's text encoding (meta 5); None for a file with no schema
    /// yet, whose encoding the connection still chooses.
    pub encoding: Option<TextEncoding>,
    /// The database this schema describes (0 main, 1 temp, 2.. attached).
    pub db: usize,
}

fn key(name: &str) -> String {
    name.to_ascii_lowercase()
}

/// `key` for a lookup: no copy when the name is lower case already (as
/// most are).
fn lookup_key(name: &str) -> std::borrow::Cow<'_, str> {
    if name.bytes().any(|b| b.is_ascii_uppercase()) {
        name.to_ascii_lowercase().into()
    } else {
        name.into()
    }
}

fn conflict(c: Option<ast::ConflictResolution>) -> Option<OnError> {
    c.map(|c| match c {
        ast::ConflictResolution::Rollback => OnError::Rollback,
        ast::ConflictResolution::Abort => OnError::Abort,
        ast::ConflictResolution::Fail => OnError::Fail,
        ast::ConflictResolution::Ignore => OnError::Ignore,
        ast::ConflictResolution::Replace => OnError::Replace,
    })
}

/// The name a column of an index, PRIMARY KEY or UNIQUE term refers to.
fn indexed_column_name(ic: &ast::IndexedColumn) -> Option<&str> {
    match &ic.expr {
        Expr::Column { schema: None, table: None, column } => Some(column),
        Expr::Collate { expr, .. } => match expr.as_ref() {
            Expr::Column { schema: None, table: None, column } => Some(column),
            _ => None,
        },
        _ => None,
    }
}

impl Schema {
    pub fn table(&self, name: &str) -> Option<&Arc<Table>> {
        self.tables.get(&*lookup_key(name))
    }

    pub fn index(&self, name: &str) -> Option<&Arc<Index>> {
        self.indexes.get(&*lookup_key(name))
    }

    pub fn tables(&self) -> impl Iterator<Item = &Arc<Table>> {
        self.tables.values()
    }

    /// The indexes of a table, in creation order.
    pub fn indexes_of(&self, table: &str) -> Vec<Arc<Index>> {
        self.index_list(table).to_vec()
    }

    /// `indexes_of` without a copy of the list (for the planner, which
    /// asks for it many times per statement).
    pub fn index_list(&self, table: &str) -> Arc<[Arc<Index>]> {
        self.table_indexes.get(&*lookup_key(table)).cloned().unwrap_or_else(|| Arc::from([]))
    }

    /// The sqlite_schema table of database `db` itself, as a table users
    /// can query.
    pub fn schema_table(db: usize) -> Table {
        let col = |name: &str, ty: &str, aff: Affinity| Column {
            name: name.to_string(),
            decl_type: Some(ty.to_string()),
            affinity: aff,
            not_null: false,
            not_null_conflict: None,
            default: None,
            default_text: None,
            collation: None,
            pk: 0,
            generated: None,
        };
        Table {
            name: "sqlite_master".to_string(),
            root: SCHEMA_ROOT,
            columns: vec![
                col("type", "text", Affinity::Text),
                col("name", "text", Affinity::Text),
                col("tbl_name", "text", Affinity::Text),
                col("rootpage", "int", Affinity::Integer),
                col("sql", "text", Affinity::Text),
            ],
            rowid_alias: None,
            without_rowid: false,
            pk_index: None,
            autoincrement: false,
            pk_conflict: None,
            checks: Vec::new(),
            sql: "CREATE TABLE sqlite_master(type text,name text,tbl_name text,rootpage int,sql text)".to_string(),
            view: None,
            db,
            module: None,
            has_generated: false,
            strict: false,
        }
    }

    /// Reads sqlite_schema through `bt` (a read transaction must be open)
    /// and builds the schema. Objects of `prev` whose row is unchanged (same
    /// SQL text, same root page) are shared, not rebuilt, so a reload after
    /// one CREATE costs a scan of sqlite_schema, not a parse of it all.
    /// `db` is the database's index in its connection; objects of `prev`
    /// are shared only when they belong to the same index.
    pub fn load(bt: &mut Btree, prev: Option<&Schema>, db: usize) -> Result<Schema> {
        let prev = prev.filter(|p| p.db == db);
        let mut schema = Schema { cookie: bt.get_meta(1)?, file_format: bt.get_meta(2)?, db, ..Schema::default() };
        if bt.page_count()? == 0 {
            // A new, empty file: no sqlite_schema page yet.
            return Ok(schema);
        }
        let enc_field = bt.get_meta(5)?;
        if enc_field != 0 {
            schema.encoding = Some(TextEncoding::from_header(enc_field));
        }
        let enc = schema.encoding.unwrap_or_default();
        let mut rows = Vec::new();
        let mut cur = BtCursor::new(SCHEMA_ROOT, TreeKind::Table, false);
        let mut more = cur.first(bt)?;
        while more {
            let payload = cur.payload(bt)?.into_owned();
            rows.push(record::decode_all_in(&payload, enc)?);
            more = cur.next(bt)?;
        }
        let text = |v: Option<&Value>| -> Option<String> {
            match v {
                Some(Value::Text(t)) => Some(String::from_utf8_lossy(t).into_owned()),
                _ => None,
            }
        };
        let root = |v: Option<&Value>| -> Pgno {
            match v {
                Some(Value::Integer(i)) if *i > 0 && *i <= i64::from(u32::MAX) => *i as Pgno,
                _ => 0,
            }
        };
        // Tables and views first, so indexes can find their table.
        let mut autoindex_roots: HashMap<String, Pgno> = HashMap::new();
        for row in &rows {
            let kind = text(row.first()).unwrap_or_default();
            let name = text(row.get(1)).unwrap_or_default();
            let sql = text(row.get(4));
            match (kind.as_str(), sql) {
                ("table", Some(sql)) | ("view", Some(sql)) => {
                    let r = root(row.get(3));
                    let same = prev.and_then(|p| p.table(&name)).filter(|t| t.sql == sql && t.root == r).cloned();
                    let t = match same {
                        Some(t) => t,
                        None => Arc::new(Self::table_from_sql(&sql, r)?.in_db(db)),
                    };
                    schema.tables.insert(key(&t.name), t);
                }
                ("index", None) => {
                    autoindex_roots.insert(key(&name), root(row.get(3)));
                }
                ("trigger", Some(sql)) => {
                    let tbl = text(row.get(2)).unwrap_or_default();
                    let same = prev.and_then(|p| p.triggers.get(&key(&name))).filter(|t| t.sql == sql).cloned();
                    let trig = match same {
                        Some(t) => Some(t),
                        None => match Self::parse_one(&sql)? {
                            Stmt::CreateTrigger(def) => Some(Arc::new(Trigger { name: name.clone(), table: tbl, def: *def, sql: sql.clone() })),
                            _ => None,
                        },
                    };
                    if let Some(t) = trig {
                        schema.trigger_order.push(key(&name));
                        schema.triggers.insert(key(&name), t);
                    }
                }
                _ => {}
            }
        }
        // The automatic indexes of UNIQUE and PRIMARY KEY constraints.
        let tables: Vec<Arc<Table>> = schema.tables.values().cloned().collect();
        for t in tables {
            if t.is_view() {
                continue;
            }
            // An unchanged table keeps its automatic indexes if their roots
            // are unchanged too.
            if let Some(p) = prev {
                if p.table(&t.name).is_some_and(|pt| Arc::ptr_eq(pt, &t)) {
                    let autos: Vec<Arc<Index>> = p.indexes_of(&t.name).into_iter().filter(|ix| ix.sql.is_none()).collect();
                    if autos.iter().all(|ix| autoindex_roots.get(&key(&ix.name)) == Some(&ix.root)) {
                        for ix in autos {
                            schema.add_index_arc(ix);
                        }
                        continue;
                    }
                }
            }
            for ix in Self::constraint_indexes(&t)? {
                if t.without_rowid && ix.origin == IndexOrigin::PrimaryKey {
                    continue;
                }
                let root = autoindex_roots.get(&key(&ix.name)).copied().unwrap_or(0);
                if root == 0 {
                    return Err(Error::with_message(crate::error::code::CORRUPT, format!("malformed database schema ({}) - orphan index", ix.name)));
                }
                schema.add_index(Index { root, db, ..ix });
            }
        }
        for row in &rows {
            let kind = text(row.first()).unwrap_or_default();
            if kind == "index" {
                if let Some(sql) = text(row.get(4)) {
                    let name = text(row.get(1)).unwrap_or_default();
                    let r = root(row.get(3));
                    // Reused only while its table is unchanged too: its
                    // column numbers follow the table's definition (DROP
                    // COLUMN renumbers them).
                    let same = prev
                        .and_then(|p| p.index(&name).map(|ix| (p, ix)))
                        .filter(|(p, ix)| {
                            ix.sql.as_deref() == Some(sql.as_str())
                                && ix.root == r
                                && match (p.table(&ix.table), schema.table(&ix.table)) {
                                    (Some(a), Some(b)) => a.sql == b.sql,
                                    _ => false,
                                }
                        })
                        .map(|(_, ix)| ix.clone());
                    match same {
                        Some(ix) => schema.add_index_arc(ix),
                        None => {
                            let ix = schema.index_from_sql(&sql, r)?;
                            schema.add_index(ix);
                        }
                    }
                }
            }
        }
        Ok(schema)
    }

    /// The triggers on `table`, most recently created first (the order
    /// SQLite fires them in).
    pub fn triggers_of(&self, table: &str) -> Vec<Arc<Trigger>> {
        self.trigger_order
            .iter()
            .rev()
            .filter_map(|n| self.triggers.get(n))
            .filter(|t| t.table.eq_ignore_ascii_case(table))
            .cloned()
            .collect()
    }

    pub fn add_index(&mut self, ix: Index) {
        self.add_index_arc(Arc::new(ix));
    }

    pub fn add_index_arc(&mut self, ix: Arc<Index>) {
        // Built once per schema load: the list is copied at each index.
        let list = self.table_indexes.entry(key(&ix.table)).or_insert_with(|| Arc::from([]));
        *list = list.iter().cloned().chain(std::iter::once(ix.clone())).collect();
        self.indexes.insert(key(&ix.name), ix);
    }

    /// Parses one schema statement. Every schema change reloads the whole
    /// schema, so parsed statements are remembered by their text (a
    /// process-wide memo of bounded size): creating N tables then costs N
    /// parses, not N².
    pub(crate) fn parse_one(sql: &str) -> Result<Stmt> {
        use std::sync::{Mutex, OnceLock};
        static MEMO: OnceLock<Mutex<HashMap<String, Stmt>>> = OnceLock::new();
        const MEMO_LIMIT: usize = 20_000;
        let memo = MEMO.get_or_init(|| Mutex::new(HashMap::new()));
        if let Ok(m) = memo.lock() {
            if let Some(s) = m.get(sql) {
                return Ok(s.clone());
            }
        }
        let mut p = Parser::new(sql);
        let stmt = match p.next_stmt()? {
            Some(s) => s.stmt,
            None => return Err(Error::corrupt()),
        };
        if let Ok(mut m) = memo.lock() {
            if m.len() >= MEMO_LIMIT {
                m.clear();
            }
            m.insert(sql.to_string(), stmt.clone());
        }
        Ok(stmt)
    }

    /// Builds a table (or view) from its CREATE statement.
    pub fn table_from_sql(sql: &str, root: Pgno) -> Result<Table> {
        match Self::parse_one(sql)? {
            Stmt::CreateTable(ct) => Self::table_from_ast(&ct, root, sql.to_string()),
            Stmt::CreateView(cv) => Ok(Table {
                columns: cv
                    .columns
                    .iter()
                    .map(|c| Column {
                        name: c.clone(),
                        decl_type: None,
                        affinity: Affinity::Blob,
                        not_null: false,
                        not_null_conflict: None,
                        default: None,
                        default_text: None,
                        collation: None,
                        pk: 0,
                        generated: None,
                    })
                    .collect(),
                view: Some(cv.select.clone()),
                ..Table::bare(&cv.name.name, sql)
            }),
            Stmt::CreateVirtualTable(vt) => Ok(Table { module: Some(vt.module.clone()), ..Table::bare(&vt.name.name, sql) }),
            _ => Err(Error::corrupt()),
        }
    }

    /// Builds a table from a parsed CREATE TABLE (AS SELECT is handled by
    /// the code generator, which turns it into column definitions first).
    pub fn table_from_ast(ct: &ast::CreateTable, root: Pgno, sql: String) -> Result<Table> {
        let CreateTableBody::Columns { columns, constraints, without_rowid, strict } = &ct.body else {
            return Err(Error::sql("CREATE TABLE ... AS SELECT must be expanded first"));
        };
        let mut cols: Vec<Column> = Vec::with_capacity(columns.len());
        let mut checks = Vec::new();
        let mut pk_cols: Vec<(usize, bool)> = Vec::new();
        let mut pk_conflict = None;
        let mut autoincrement = false;
        let mut pk_seen = false;
        for def in columns {
            if cols.iter().any(|c| c.name.eq_ignore_ascii_case(&def.name)) {
                return Err(Error::sql(format!("duplicate column name: {}", def.name)));
            }
            if *strict {
                // A STRICT table's columns take one of six types.
                match def.type_name.as_deref() {
                    None => return Err(Error::sql(format!("missing datatype for {}.{}", ct.name.name, def.name))),
                    Some(t) if !["INT", "INTEGER", "REAL", "TEXT", "BLOB", "ANY"].iter().any(|k| k.eq_ignore_ascii_case(t)) => {
                        return Err(Error::sql(format!("unknown datatype for {}.{}: \"{}\"", ct.name.name, def.name, t)));
                    }
                    _ => {}
                }
            }
            // "x INT GENERATED ALWAYS AS (...)" declares type INT.
            let type_name = def.type_name.as_deref().map(generated::without_generated_always);
            let affinity = match type_name {
                // ANY keeps values as given in a STRICT table.
                Some(t) if *strict && t.eq_ignore_ascii_case("ANY") => Affinity::Blob,
                t => Affinity::from_type_name(t.unwrap_or("")),
            };
            let mut col = Column {
                name: def.name.clone(),
                decl_type: type_name.filter(|t| !t.is_empty()).map(standard_type_name),
                affinity,
                not_null: false,
                not_null_conflict: None,
                default: None,
                default_text: None,
                collation: None,
                pk: 0,
                generated: None,
            };
            for c in &def.constraints {
                match &c.kind {
                    ColumnConstraintKind::PrimaryKey { order, conflict: cf, autoincrement: ai } => {
                        if col.generated.is_some() {
                            return Err(Error::sql(generated::IN_PRIMARY_KEY));
                        }
                        if pk_seen {
                            return Err(Error::sql(format!("table \"{}\" has more than one primary key", ct.name.name)));
                        }
                        pk_seen = true;
                        pk_cols.push((cols.len(), *order == Some(ast::SortOrder::Desc)));
                        pk_conflict = conflict(*cf);
                        autoincrement = *ai;
                    }
                    ColumnConstraintKind::NotNull { conflict: cf } => {
                        col.not_null = true;
                        col.not_null_conflict = conflict(*cf);
                    }
                    ColumnConstraintKind::Check(e) => checks.push((c.name.clone().or_else(|| c.text.clone()), e.clone())),
                    ColumnConstraintKind::Default { expr, text } => {
                        if col.generated.is_some() {
                            return Err(Error::sql("cannot use DEFAULT on a generated column"));
                        }
                        col.default = Some(expr.clone());
                        col.default_text = Some(text.clone());
                    }
                    ColumnConstraintKind::Collate(name) => col.collation = Some(name.clone()),
                    ColumnConstraintKind::Generated { expr, stored } => {
                        col.generated = Some(Generated::declare(&col, expr, *stored, pk_cols.last().is_some_and(|(i, _)| *i == cols.len()))?);
                    }
                    _ => {}
                }
            }
            cols.push(col);
        }
        for c in constraints {
            match &c.kind {
                TableConstraintKind::PrimaryKey { columns: pk, conflict: cf, autoincrement: ai } => {
                    if pk_seen {
                        return Err(Error::sql(format!("table \"{}\" has more than one primary key", ct.name.name)));
                    }
                    pk_seen = true;
                    for ic in pk {
                        let name = indexed_column_name(ic).ok_or_else(|| Error::sql("expressions prohibited in PRIMARY KEY and UNIQUE constraints"))?;
                        let i = cols.iter().position(|c| c.name.eq_ignore_ascii_case(name)).ok_or_else(|| Error::sql(format!("no such column: {name}")))?;
                        if cols[i].generated.is_some() {
                            return Err(Error::sql(generated::IN_PRIMARY_KEY));
                        }
                        pk_cols.push((i, false));
                    }
                    pk_conflict = conflict(*cf);
                    autoincrement = *ai;
                }
                TableConstraintKind::Check(e) => checks.push((c.name.clone().or_else(|| c.text.clone()), e.clone())),
                _ => {}
            }
        }
        for (n, (i, _)) in pk_cols.iter().enumerate() {
            cols[*i].pk = n + 1;
        }
        // INTEGER PRIMARY KEY (exactly that type name, and not declared
        // DESC as a column constraint) aliases the rowid.
        let mut rowid_alias = None;
        if pk_cols.len() == 1 {
            let (i, desc_col_constraint) = pk_cols[0];
            let ty = cols[i].decl_type.as_deref().unwrap_or("");
            if ty.eq_ignore_ascii_case("INTEGER") && !desc_col_constraint {
                rowid_alias = Some(i);
            }
        }
        if autoincrement && rowid_alias.is_none() {
            return Err(Error::sql("AUTOINCREMENT is only allowed on an INTEGER PRIMARY KEY"));
        }
        if *without_rowid {
            if autoincrement {
                return Err(Error::sql("AUTOINCREMENT not allowed on WITHOUT ROWID tables"));
            }
            rowid_alias = None;
            // The PRIMARY KEY columns of a WITHOUT ROWID table are NOT NULL.
            for (i, _) in &pk_cols {
                cols[*i].not_null = true;
            }
        }
        let has_generated = cols.iter().any(|c| c.generated.is_some());
        let mut table = Table {
            name: ct.name.name.clone(),
            root,
            columns: cols,
            rowid_alias,
            without_rowid: *without_rowid,
            pk_index: None,
            autoincrement,
            pk_conflict,
            checks,
            sql,
            view: None,
            db: 0,
            module: None,
            has_generated,
            strict: *strict,
        };
        if *without_rowid {
            let pk = without_rowid::primary_key(&table, columns, constraints)?;
            table.pk_index = Some(Arc::new(without_rowid::pk_index(&table, pk, String::new(), pk_conflict)));
            // Named as SQLite numbers it among the constraint indexes.
            let name = Self::constraint_indexes_of(&table, columns, constraints)?
                .into_iter()
                .find(|ix| ix.origin == IndexOrigin::PrimaryKey)
                .map(|ix| ix.name)
                .unwrap_or_else(|| format!("sqlite_autoindex_{}_1", table.name));
            let ix = table.pk_index.take().map(|ix| Arc::new(Index { name, ..(*ix).clone() }));
            table.pk_index = ix;
        }
        Ok(table)
    }

    pub(super) fn collation_of(t: &Table, col: usize, explicit: Option<&str>) -> Result<CollSeq> {
        let name = explicit.or(t.columns[col].collation.as_deref());
        match name {
            None => Ok(CollSeq::Binary),
            Some(n) => crate::func::user::collation(n).ok_or_else(|| Error::sql(format!("no such collation sequence: {n}"))),
        }
    }

    /// The KeyInfo of an index on `cols` of `t`, and its PRIMARY KEY tail
    /// when `t` is a WITHOUT ROWID table (`constraint`: the index of a
    /// UNIQUE constraint, whose tail SQLite keeps ascending).
    fn make_key_info(t: &Table, cols: &[IndexColumn], constraint: bool) -> (Arc<KeyInfo>, Option<Vec<usize>>) {
        if t.without_rowid {
            let (ki, tail) = without_rowid::index_key_info(t, cols, constraint);
            return (ki, Some(tail));
        }
        let mut fields: Vec<(CollSeq, bool)> = cols.iter().map(|c| (c.collation.clone(), c.desc)).collect();
        fields.push((CollSeq::Binary, false));
        (Arc::new(KeyInfo::new(fields)), None)
    }

    /// The automatic indexes a table's UNIQUE and non-rowid PRIMARY KEY
    /// constraints imply, named `sqlite_autoindex_<table>_<n>` in the order
    /// SQLite creates them (root pages left 0 for the caller to fill).
    pub fn constraint_indexes(t: &Table) -> Result<Vec<Index>> {
        let stmt = Self::parse_one(&t.sql)?;
        let Stmt::CreateTable(ct) = stmt else { return Ok(Vec::new()) };
        let CreateTableBody::Columns { columns, constraints, .. } = &ct.body else {
            return Ok(Vec::new());
        };
        Self::constraint_indexes_of(t, columns, constraints)
    }

    /// `constraint_indexes` from the parsed column definitions and table
    /// constraints of `t`. For a WITHOUT ROWID table the list includes its
    /// PRIMARY KEY (which has no sqlite_schema row: its entries are the
    /// table's, at the table's root).
    fn constraint_indexes_of(t: &Table, columns: &[ast::ColumnDef], constraints: &[ast::TableConstraint]) -> Result<Vec<Index>> {
        let mut out: Vec<Index> = Vec::new();
        let push = |cols: Vec<IndexColumn>, origin: IndexOrigin, on_conflict: Option<OnError>, out: &mut Vec<Index>| {
            // A constraint on the same columns as an earlier one adds no index.
            let same = |a: &Index| {
                a.columns.len() == cols.len() && a.columns.iter().zip(&cols).all(|(x, y)| x.column == y.column && x.collation == y.collation)
            };
            if let Some(k) = out.iter().position(same) {
                // A PRIMARY KEY on the columns of an earlier UNIQUE
                // constraint makes that index the PRIMARY KEY (for a WITHOUT
                // ROWID table, the table's own B-tree), as in SQLite.
                if origin == IndexOrigin::PrimaryKey {
                    out[k].origin = IndexOrigin::PrimaryKey;
                    if let Some(pk) = &t.pk_index {
                        out[k].key_info = pk.key_info.clone();
                        out[k].pk_tail = pk.pk_tail.clone();
                    }
                }
                return;
            }
            let n = out.len() + 1;
            let (key_info, pk_tail) = match &t.pk_index {
                Some(pk) if origin == IndexOrigin::PrimaryKey => (pk.key_info.clone(), pk.pk_tail.clone()),
                _ => Self::make_key_info(t, &cols, true),
            };
            out.push(Index {
                name: format!("sqlite_autoindex_{}_{}", t.name, n),
                table: t.name.clone(),
                root: 0,
                key_info,
                pk_tail,
                columns: cols,
                unique: true,
                on_conflict,
                origin,
                partial: None,
                sql: None,
                db: t.db,
            });
        };
        for (ci, def) in columns.iter().enumerate() {
            for c in &def.constraints {
                match &c.kind {
                    ColumnConstraintKind::PrimaryKey { order, conflict: cf, .. } => {
                        if t.rowid_alias == Some(ci) {
                            continue;
                        }
                        let cols = vec![IndexColumn { column: Some(ci), expr: None, collation: Self::collation_of(t, ci, None)?, desc: *order == Some(ast::SortOrder::Desc) }];
                        push(cols, IndexOrigin::PrimaryKey, conflict(*cf), &mut out);
                    }
                    ColumnConstraintKind::Unique { conflict: cf } => {
                        let cols = vec![IndexColumn { column: Some(ci), expr: None, collation: Self::collation_of(t, ci, None)?, desc: false }];
                        push(cols, IndexOrigin::Unique, conflict(*cf), &mut out);
                    }
                    _ => {}
                }
            }
        }
        for c in constraints {
            let (ics, origin, cf) = match &c.kind {
                TableConstraintKind::PrimaryKey { columns, conflict: cf, .. } => {
                    if t.rowid_alias.is_some() {
                        continue;
                    }
                    (columns, IndexOrigin::PrimaryKey, cf)
                }
                TableConstraintKind::Unique { columns, conflict: cf } => (columns, IndexOrigin::Unique, cf),
                _ => continue,
            };
            let mut cols = Vec::new();
            for ic in ics {
                let name = indexed_column_name(ic).ok_or_else(|| Error::sql("expressions prohibited in PRIMARY KEY and UNIQUE constraints"))?;
                let i = t.column_index(name).ok_or_else(|| Error::sql(format!("no such column: {name}")))?;
                cols.push(IndexColumn { column: Some(i), expr: None, collation: Self::collation_of(t, i, ic.collation.as_deref())?, desc: ic.order == Some(ast::SortOrder::Desc) });
            }
            push(cols, origin, conflict(*cf), &mut out);
        }
        Ok(out)
    }

    /// Builds an index from its CREATE INDEX statement.
    pub fn index_from_sql(&self, sql: &str, root: Pgno) -> Result<Index> {
        let Stmt::CreateIndex(ci) = Self::parse_one(sql)? else { return Err(Error::corrupt()) };
        let t = self.table(&ci.table).ok_or_else(|| Error::sql(format!("no such table: main.{}", ci.table)))?;
        self.index_from_ast(&ci, t, root, Some(sql.to_string()))
    }

    pub fn index_from_ast(&self, ci: &ast::CreateIndex, t: &Table, root: Pgno, sql: Option<String>) -> Result<Index> {
        let mut cols = Vec::new();
        for ic in &ci.columns {
            let explicit = ic.collation.as_deref().or(match &ic.expr {
                Expr::Collate { collation, .. } => Some(collation.as_str()),
                _ => None,
            });
            let Some(name) = indexed_column_name(ic) else {
                // An expression: its value, compared with its COLLATE or
                // BINARY.
                let e = match &ic.expr {
                    Expr::Collate { expr, .. } => expr.as_ref().clone(),
                    e => e.clone(),
                };
                let collation = match explicit {
                    Some(n) => crate::func::user::collation(n).ok_or_else(|| Error::sql(format!("no such collation sequence: {n}")))?,
                    None => CollSeq::Binary,
                };
                cols.push(IndexColumn { column: None, expr: Some(e), collation, desc: ic.order == Some(ast::SortOrder::Desc) });
                continue;
            };
            if name.eq_ignore_ascii_case("rowid") && t.column_index(name).is_none() {
                return Err(Error::sql("indexes on the rowid are not supported yet"));
            }
            let i = t.column_index(name).ok_or_else(|| Error::sql(format!("no such column: {name}")))?;
            cols.push(IndexColumn { column: Some(i), expr: None, collation: Self::collation_of(t, i, explicit)?, desc: ic.order == Some(ast::SortOrder::Desc) });
        }
        let (key_info, pk_tail) = Self::make_key_info(t, &cols, false);
        Ok(Index {
            name: ci.name.name.clone(),
            table: t.name.clone(),
            root,
            key_info,
            pk_tail,
            columns: cols,
            unique: ci.unique,
            on_conflict: None,
            origin: IndexOrigin::Create,
            partial: ci.where_.clone(),
            sql,
            db: t.db,
        })
    }
}

/// A declared type as SQLite reports it (PRAGMA table_info, decltype):
/// the six standard names (ANY, BLOB, INT, INTEGER, REAL, TEXT) in
/// capitals whatever their spelling, any other type as written.
fn standard_type_name(ty: &str) -> String {
    const STANDARD: [&str; 6] = ["ANY", "BLOB", "INT", "INTEGER", "REAL", "TEXT"];
    match STANDARD.iter().find(|s| s.eq_ignore_ascii_case(ty)) {
        Some(s) => s.to_string(),
        None => ty.to_string(),
    }
}

/// The value of a constant DEFAULT expression: a literal, possibly signed
/// or parenthesised. None for anything else (NULL included).
pub(crate) fn constant_value(e: &Expr) -> Option<Value> {
    use crate::parse::ast::{Literal, UnaryOp};
    match e {
        Expr::Literal(Literal::Number(n)) => crate::util::number_literal(n, false).ok(),
        Expr::Literal(Literal::String(s)) => Some(Value::text(s)),
        Expr::Literal(Literal::Blob(b)) => Some(Value::Blob(b.clone())),
        Expr::Unary(UnaryOp::Neg, inner) => match inner.as_ref() {
            Expr::Literal(Literal::Number(n)) => crate::util::number_literal(n, true).ok(),
            other => match constant_value(other)? {
                Value::Integer(i) => Some(Value::Integer(i.wrapping_neg())),
                Value::Real(r) => Some(Value::Real(-r)),
                _ => None,
            },
        },
        Expr::Unary(UnaryOp::Pos, inner) => constant_value(inner),
        _ => None,
    }
}
