//! The schemas of every database of one connection (0 "main", 1 "temp",
//! 2.. attached), and name lookup across them in SQLite's order.
//!
//! Invariants: `dbs[i]` describes the database at index `i` of the
//! connection when the set was taken, and every table and index in it
//! carries `db == i`. An unqualified name is looked for in temp first,
//! then main, then the attached databases in the order they were
//! attached, as sqlite3FindTable does; `sqlite_master` / `sqlite_schema`
//! unqualified name main's schema table, `sqlite_temp_master` /
//! `sqlite_temp_schema` temp's.

use std::sync::Arc;

use super::{Index, Schema, Table, Trigger};

/// One database of the set: its name (as ATTACH gave it) and schema.
#[derive(Clone, Debug)]
pub struct DbSchema {
    pub name: String,
    pub schema: Arc<Schema>,
}

#[derive(Clone, Debug, Default)]
pub struct SchemaSet {
    pub dbs: Vec<DbSchema>,
}

/// The index of the TEMP database.
pub const TEMP_DB: usize = 1;

fn is_schema_table_name(name: &str) -> bool {
    ["sqlite_master", "sqlite_schema"].iter().any(|m| m.eq_ignore_ascii_case(name))
}

fn is_temp_schema_table_name(name: &str) -> bool {
    ["sqlite_temp_master", "sqlite_temp_schema"].iter().any(|m| m.eq_ignore_ascii_case(name))
}

impl SchemaSet {
    /// A set holding only a main database (and an empty temp one).
    pub fn single(schema: Arc<Schema>) -> SchemaSet {
        let temp = Arc::new(Schema { db: TEMP_DB, ..Schema::default() });
        SchemaSet { dbs: vec![DbSchema { name: "main".into(), schema }, DbSchema { name: "temp".into(), schema: temp }] }
    }

    pub fn main(&self) -> &Schema {
        self.get(0)
    }

    /// The schema of database `db` (an empty one past the end, which a
    /// correctly built set never reaches).
    pub fn get(&self, db: usize) -> &Schema {
        static EMPTY: std::sync::OnceLock<Schema> = std::sync::OnceLock::new();
        self.dbs.get(db).map(|d| d.schema.as_ref()).unwrap_or_else(|| EMPTY.get_or_init(Schema::default))
    }

    /// The database named `name` ("main", "temp" or an attached name, any
    /// case).
    pub fn db_index(&self, name: &str) -> Option<usize> {
        self.dbs.iter().position(|d| d.name.eq_ignore_ascii_case(name))
    }

    pub fn db_name(&self, db: usize) -> &str {
        self.dbs.get(db).map_or("main", |d| d.name.as_str())
    }

    /// The databases an unqualified name is looked for in, in order.
    pub fn search_order(&self) -> impl Iterator<Item = usize> {
        let n = self.dbs.len();
        [TEMP_DB, 0].into_iter().filter(move |&i| i < n).chain(2..n)
    }

    /// The databases `schema` designates: that one, or all in search order.
    pub(crate) fn candidates(&self, schema: Option<&str>) -> Vec<usize> {
        match schema {
            Some(s) => self.db_index(s).into_iter().collect(),
            None => self.search_order().collect(),
        }
    }

    /// The table or view `name` (qualified by `schema` when given),
    /// including the schema tables themselves.
    pub fn find_table(&self, schema: Option<&str>, name: &str) -> Option<Arc<Table>> {
        if is_temp_schema_table_name(name) {
            if schema.is_some_and(|s| self.db_index(s) != Some(TEMP_DB)) || self.dbs.len() <= TEMP_DB {
                return None;
            }
            return Some(Arc::new(Table { name: name.to_string(), ..Schema::schema_table(TEMP_DB) }));
        }
        if is_schema_table_name(name) {
            let db = match schema {
                Some(s) => self.db_index(s)?,
                None => 0,
            };
            return Some(Arc::new(Table { name: name.to_string(), ..Schema::schema_table(db) }));
        }
        self.candidates(schema).into_iter().find_map(|db| self.get(db).table(name).cloned())
    }

    /// True when `name` names a schema table (which no statement may
    /// modify).
    pub fn is_schema_table(name: &str) -> bool {
        is_schema_table_name(name) || is_temp_schema_table_name(name)
    }

    pub fn find_index(&self, schema: Option<&str>, name: &str) -> Option<Arc<Index>> {
        self.candidates(schema).into_iter().find_map(|db| self.get(db).index(name).cloned())
    }

    pub fn find_trigger(&self, schema: Option<&str>, name: &str) -> Option<(usize, Arc<Trigger>)> {
        let key = name.to_ascii_lowercase();
        self.candidates(schema).into_iter().find_map(|db| self.get(db).triggers.get(&key).map(|t| (db, t.clone())))
    }

    /// The indexes of `table`, in creation order.
    pub fn indexes_of(&self, table: &Table) -> Vec<Arc<Index>> {
        self.get(table.db).indexes_of(&table.name)
    }

    /// `indexes_of` as a shared list (no copy).
    pub fn index_list(&self, table: &Table) -> Arc<[Arc<Index>]> {
        self.get(table.db).index_list(&table.name)
    }

    /// The triggers that fire on `table`, in firing order: TEMP triggers
    /// on a table of another database first, then the table's own
    /// database's, most recent first.
    pub fn triggers_of(&self, table: &Table) -> Vec<Arc<Trigger>> {
        let mut out = Vec::new();
        if table.db != TEMP_DB && self.dbs.len() > TEMP_DB {
            let temp = self.get(TEMP_DB);
            if temp.table(&table.name).is_none() {
                out.extend(temp.triggers_of(&table.name));
            }
        }
        out.extend(self.get(table.db).triggers_of(&table.name));
        out
    }
}
