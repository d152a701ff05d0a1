//! The R*Tree's shadow tables, read and written by statements the module
//! runs on the connection that is executing the user's statement (as
//! SQLite's rtree.c does with its prepared statements): `%_node(nodeno
//! INTEGER PRIMARY KEY, data)`, `%_rowid(rowid INTEGER PRIMARY KEY,
//! nodeno, a0, a1...)` (the leaf holding each row, and its auxiliary
//! columns) and `%_parent(nodeno INTEGER PRIMARY KEY, parentnode)`.
//!
//! Invariant: every statement runs to completion inside the caller's
//! statement and transaction (`Connection::module_nesting` keeps it from
//! committing); a finished single statement is kept, reset, in
//! `Connection::module_stmts` for the next call with the same text.

use crate::connection::Connection;
use crate::error::Result;
use crate::value::Value;
use crate::vdbe::StepResult;

use super::node::{Geometry, Node};

/// `s` as an SQL string literal body ('' for ').
pub fn q(s: &str) -> String {
    s.replace('\'', "''")
}

/// `s` as the body of a "quoted" identifier.
pub fn w(s: &str) -> String {
    s.replace('"', "\"\"")
}

/// Runs one statement with `params` (?1, ?2...) and returns its rows.
pub fn query(conn: &mut Connection, sql: &str, params: &[Value]) -> Result<Vec<Vec<Value>>> {
    conn.module_nesting += 1;
    let r = run(conn, sql, params, true);
    conn.module_nesting -= 1;
    r
}

/// `query` without keeping the statement (one that reads a virtual table
/// would keep that table connected).
pub fn query_once(conn: &mut Connection, sql: &str, params: &[Value]) -> Result<Vec<Vec<Value>>> {
    conn.module_nesting += 1;
    let r = run(conn, sql, params, false);
    conn.module_nesting -= 1;
    r
}

/// The most statements kept in `Connection::module_stmts`.
const CACHE_MAX: usize = 64;

fn run(conn: &mut Connection, sql: &str, params: &[Value], keep: bool) -> Result<Vec<Vec<Value>>> {
    let mut rows = Vec::new();
    // A statement run before: taken out of the cache while it runs (so
    // that a nested run of the same text prepares its own), put back
    // when it finished well.
    if let Some(mut stmt) = conn.module_stmts.remove(sql) {
        let r = run_one(conn, &mut stmt, params, &mut rows);
        if r.is_ok() {
            conn.module_stmts.insert(sql.to_string(), stmt);
        }
        return r.map(|_| rows);
    }
    let mut rest = sql;
    let mut first = true;
    while !rest.trim().is_empty() {
        let (stmt, tail) = conn.prepare(rest)?;
        rest = rest.get(tail..).unwrap_or("");
        let Some(mut stmt) = stmt else { break };
        run_one(conn, &mut stmt, params, &mut rows)?;
        // Only a text that is one statement is kept.
        if keep && first && rest.trim().is_empty() {
            if conn.module_stmts.len() >= CACHE_MAX {
                conn.module_stmts.clear();
            }
            conn.module_stmts.insert(sql.to_string(), stmt);
        }
        first = false;
    }
    Ok(rows)
}

/// Binds `params` (?1, ?2...) and runs `stmt` to its end.
fn run_one(conn: &mut Connection, stmt: &mut crate::connection::Statement, params: &[Value], rows: &mut Vec<Vec<Value>>) -> Result<()> {
    let _ = stmt.reset(conn);
    for (i, p) in params.iter().enumerate().take(stmt.parameter_count()) {
        stmt.bind(i + 1, p.clone())?;
    }
    while let StepResult::Row = stmt.step(conn)? {
        rows.push(stmt.row().to_vec());
    }
    Ok(())
}

/// The first column of the first row, as an integer (None: no row).
pub fn query_int(conn: &mut Connection, sql: &str, params: &[Value]) -> Result<Option<i64>> {
    let rows = query(conn, sql, params)?;
    Ok(rows.first().and_then(|r| r.first()).map(|v| crate::vdbe::mem::to_integer(v.as_ref())))
}

/// Names and shape of one R*Tree's shadow tables.
#[derive(Clone, Debug)]
pub struct Shadow {
    pub db: String,
    pub name: String,
    pub n_aux: usize,
}

impl Shadow {
    fn t(&self, suffix: &str) -> String {
        format!("'{}'.'{}{}'", q(&self.db), q(&self.name), suffix)
    }

    /// The three CREATE TABLE statements and the empty root, as SQLite's
    /// xCreate runs them (so sqlite_schema holds the same rows).
    pub fn create(&self, conn: &mut Connection, node_size: usize) -> Result<()> {
        let (d, n) = (w(&self.db), w(&self.name));
        let mut sql = format!("CREATE TABLE \"{d}\".\"{n}_rowid\"(rowid INTEGER PRIMARY KEY,nodeno");
        for i in 0..self.n_aux {
            sql.push_str(&format!(",a{i}"));
        }
        sql.push_str(&format!(");CREATE TABLE \"{d}\".\"{n}_node\"(nodeno INTEGER PRIMARY KEY,data);"));
        sql.push_str(&format!("CREATE TABLE \"{d}\".\"{n}_parent\"(nodeno INTEGER PRIMARY KEY,parentnode);"));
        sql.push_str(&format!("INSERT INTO \"{d}\".\"{n}_node\"VALUES(1,zeroblob({node_size}))"));
        query(conn, &sql, &[]).map(|_| ())
    }

    /// DROP TABLE of the three shadow tables (xDestroy).
    pub fn drop_all(&self, conn: &mut Connection) -> Result<()> {
        let sql = format!("DROP TABLE {};DROP TABLE {};DROP TABLE {};", self.t("_node"), self.t("_rowid"), self.t("_parent"));
        query(conn, &sql, &[]).map(|_| ())
    }

    /// ALTER TABLE RENAME of the three shadow tables (xRename).
    pub fn rename_all(&self, conn: &mut Connection, new_name: &str) -> Result<()> {
        let (d, n) = (q(&self.db), w(new_name));
        let sql = format!(
            "ALTER TABLE '{d}'.'{o}_node'   RENAME TO \"{n}_node\";ALTER TABLE '{d}'.'{o}_parent' RENAME TO \"{n}_parent\";ALTER TABLE '{d}'.'{o}_rowid'  RENAME TO \"{n}_rowid\";",
            o = q(&self.name)
        );
        query(conn, &sql, &[]).map(|_| ())
    }

    /// The size of the root node's blob (xConnect's way to learn the
    /// node size), None when the root is missing.
    pub fn root_size(&self, conn: &mut Connection) -> Result<Option<i64>> {
        query_int(conn, &format!("SELECT length(data) FROM {} WHERE nodeno = 1", self.t("_node")), &[])
    }

    /// The blob of node `no`, None when there is no such node.
    pub fn read_node(&self, conn: &mut Connection, no: i64) -> Result<Option<Vec<u8>>> {
        let rows = query(conn, &format!("SELECT data FROM {} WHERE nodeno = ?1", self.t("_node")), &[Value::Integer(no)])?;
        Ok(rows.into_iter().next().and_then(|r| r.into_iter().next()).map(|v| match v {
            Value::Blob(b) => b,
            Value::Text(t) => t,
            _ => Vec::new(),
        }))
    }

    /// Writes node `n` (a new node when `n.no` is 0: its number is the
    /// one %_node gives it, returned).
    pub fn write_node(&self, conn: &mut Connection, n: &Node, g: &Geometry) -> Result<i64> {
        let id = if n.no == 0 { Value::Null } else { Value::Integer(n.no) };
        query(conn, &format!("INSERT OR REPLACE INTO {} VALUES(?1, ?2)", self.t("_node")), &[id, Value::Blob(n.encode(g))])?;
        Ok(if n.no == 0 { conn.last_insert_rowid } else { n.no })
    }

    pub fn delete_node(&self, conn: &mut Connection, no: i64) -> Result<()> {
        query(conn, &format!("DELETE FROM {} WHERE nodeno = ?1", self.t("_node")), &[Value::Integer(no)]).map(|_| ())
    }

    /// The leaf holding row `rowid` (None: no such row).
    pub fn read_rowid(&self, conn: &mut Connection, rowid: i64) -> Result<Option<i64>> {
        query_int(conn, &format!("SELECT nodeno FROM {} WHERE rowid = ?1", self.t("_rowid")), &[Value::Integer(rowid)])
    }

    /// Records that row `rowid` lives in leaf `node`, keeping its
    /// auxiliary columns (`rowid` NULL: a new rowid, returned).
    pub fn write_rowid(&self, conn: &mut Connection, rowid: Option<i64>, node: Option<i64>) -> Result<i64> {
        let r = rowid.map_or(Value::Null, Value::Integer);
        let n = node.map_or(Value::Null, Value::Integer);
        let sql = if self.n_aux == 0 {
            format!("INSERT OR REPLACE INTO {} VALUES(?1, ?2)", self.t("_rowid"))
        } else {
            format!("INSERT INTO\"{}\".\"{}_rowid\"(rowid,nodeno)VALUES(?1,?2)ON CONFLICT(rowid)DO UPDATE SET nodeno=excluded.nodeno", w(&self.db), w(&self.name))
        };
        query(conn, &sql, &[r, n])?;
        Ok(rowid.unwrap_or(conn.last_insert_rowid))
    }

    pub fn delete_rowid(&self, conn: &mut Connection, rowid: i64) -> Result<()> {
        query(conn, &format!("DELETE FROM {} WHERE rowid = ?1", self.t("_rowid")), &[Value::Integer(rowid)]).map(|_| ())
    }

    /// The auxiliary columns of row `rowid` (NULLs when it has none).
    pub fn read_aux(&self, conn: &mut Connection, rowid: i64) -> Result<Vec<Value>> {
        let sql = format!("SELECT * FROM \"{}\".\"{}_rowid\" WHERE rowid=?1", w(&self.db), w(&self.name));
        let row = query(conn, &sql, &[Value::Integer(rowid)])?.into_iter().next().unwrap_or_default();
        Ok((0..self.n_aux).map(|i| row.get(i + 2).cloned().unwrap_or(Value::Null)).collect())
    }

    /// Sets the auxiliary columns of row `rowid`.
    pub fn write_aux(&self, conn: &mut Connection, rowid: i64, aux: &[Value]) -> Result<()> {
        let sets: Vec<String> = (0..self.n_aux).map(|i| format!("a{i}=?{}", i + 2)).collect();
        let sql = format!("UPDATE \"{}\".\"{}_rowid\"SET {} WHERE rowid=?1", w(&self.db), w(&self.name), sets.join(","));
        let mut params = vec![Value::Integer(rowid)];
        params.extend(aux.iter().cloned());
        query(conn, &sql, &params).map(|_| ())
    }

    /// The parent of node `no` (None: not recorded).
    pub fn read_parent(&self, conn: &mut Connection, no: i64) -> Result<Option<i64>> {
        query_int(conn, &format!("SELECT parentnode FROM {} WHERE nodeno = ?1", self.t("_parent")), &[Value::Integer(no)])
    }

    pub fn write_parent(&self, conn: &mut Connection, no: i64, parent: i64) -> Result<()> {
        query(conn, &format!("INSERT OR REPLACE INTO {} VALUES(?1, ?2)", self.t("_parent")), &[Value::Integer(no), Value::Integer(parent)]).map(|_| ())
    }

    pub fn delete_parent(&self, conn: &mut Connection, no: i64) -> Result<()> {
        query(conn, &format!("DELETE FROM {} WHERE nodeno = ?1", self.t("_parent")), &[Value::Integer(no)]).map(|_| ())
    }
}
