//! The FTS3/FTS4 shadow tables, read and written by statements run on the
//! connection executing the user's statement (as SQLite's fts3_write.c
//! does with its prepared statements): `%_content` (the documents),
//! `%_segments` (segment b-tree blocks), `%_segdir` (one row per
//! segment), and for FTS4 `%_docsize` (tokens per column of each
//! document) and `%_stat` (totals). The CREATE statements are SQLite's
//! own text, so sqlite_schema holds the same rows.
//!
//! Invariant: statements go through `rtree::shadow::query`, which runs
//! them nested in the caller's statement and transaction.

use crate::connection::Connection;
use crate::error::Result;
use crate::ext::rtree::shadow::{q, query, query_int};
use crate::value::Value;

use super::segment::{parse_end_block, Segment};

/// Names and shape of one full-text table's shadow tables.
#[derive(Clone, Debug)]
pub struct Shadow {
    pub db: String,
    pub name: String,
    pub n_column: usize,
    /// FTS4 with %_docsize (not matchinfo=fts3).
    pub has_docsize: bool,
    /// FTS4: %_stat exists.
    pub has_stat: bool,
    /// content=TABLE: the documents live in that table of the same
    /// database (read by rowid and the column names); no %_content.
    /// content='' (contentless): they are kept nowhere, and reading them
    /// fails as in SQLite.
    pub external: Option<String>,
    /// The column names (what an external content table is read by).
    pub columns: Vec<String>,
    /// languageid=NAME: %_content has a `langid` column after the others
    /// (an external content table: the column NAME), read as the last
    /// value of a document.
    pub languageid: Option<String>,
    /// order=DESC: doclists hold docids in descending order.
    pub desc: bool,
}

fn blob(v: Value) -> Vec<u8> {
    match v {
        Value::Blob(b) | Value::Text(b) => b,
        _ => Vec::new(),
    }
}

impl Shadow {
    /// `'db'.'name_suffix'` as SQLite's %Q.'%q_suffix'.
    pub fn t(&self, suffix: &str) -> String {
        format!("'{}'.'{}{}'", q(&self.db), q(&self.name), suffix)
    }

    /// xCreate's statements, SQLite's text.
    pub fn create(&self, conn: &mut Connection, columns: &[String]) -> Result<()> {
        if self.external.is_none() {
            let mut cols = String::from("docid INTEGER PRIMARY KEY");
            for (i, c) in columns.iter().enumerate() {
                cols.push_str(&format!(", 'c{i}{}'", q(c)));
            }
            if self.languageid.is_some() {
                cols.push_str(", langid");
            }
            query(conn, &format!("CREATE TABLE {}({cols})", self.t("_content")), &[])?;
        }
        query(conn, &format!("CREATE TABLE {}(blockid INTEGER PRIMARY KEY, block BLOB);", self.t("_segments")), &[])?;
        query(
            conn,
            &format!("CREATE TABLE {}(level INTEGER,idx INTEGER,start_block INTEGER,leaves_end_block INTEGER,end_block INTEGER,root BLOB,PRIMARY KEY(level, idx));", self.t("_segdir")),
            &[],
        )?;
        if self.has_docsize {
            query(conn, &format!("CREATE TABLE {}(docid INTEGER PRIMARY KEY, size BLOB);", self.t("_docsize")), &[])?;
        }
        if self.has_stat {
            query(conn, &format!("CREATE TABLE IF NOT EXISTS {}(id INTEGER PRIMARY KEY, value BLOB);", self.t("_stat")), &[])?;
        }
        Ok(())
    }

    /// xDestroy: drops every shadow table there is (SQLite's IF EXISTS
    /// list, so an FTS3 table without %_stat is fine).
    pub fn drop_all(&self, conn: &mut Connection) -> Result<()> {
        for s in ["_segments", "_segdir", "_docsize", "_stat", "_content"] {
            if s == "_content" && self.external.is_some() {
                continue;
            }
            query(conn, &format!("DROP TABLE IF EXISTS {}", self.t(s)), &[])?;
        }
        Ok(())
    }

    /// xRename: renames the shadow tables that exist.
    pub fn rename_all(&self, conn: &mut Connection, new_name: &str) -> Result<()> {
        let n = q(new_name);
        for s in ["_content", "_docsize", "_stat", "_segments", "_segdir"] {
            if s == "_content" && self.external.is_some() {
                continue;
            }
            let exists = query_int(conn, &format!("SELECT 1 FROM '{}'.sqlite_master WHERE type='table' AND name=?1", q(&self.db)), &[Value::text(&format!("{}{s}", self.name))])?;
            if exists.is_some() {
                query(conn, &format!("ALTER TABLE {} RENAME TO '{n}{s}';", self.t(s)), &[])?;
            }
        }
        Ok(())
    }

    // ---- %_content ----

    /// Inserts a document (docid NULL: a new one) and returns its docid.
    pub fn insert_content(&self, conn: &mut Connection, docid: Value, values: &[Value], langid: i64) -> Result<i64> {
        let marks: Vec<String> = (0..=self.width()).map(|i| format!("?{}", i + 1)).collect();
        let mut params = vec![docid];
        params.extend(values.iter().take(self.n_column).cloned());
        while params.len() < self.n_column + 1 {
            params.push(Value::Null);
        }
        if self.languageid.is_some() {
            params.push(Value::Integer(langid));
        }
        query(conn, &format!("INSERT INTO {} VALUES({})", self.t("_content"), marks.join(",")), &params)?;
        Ok(conn.last_insert_rowid)
    }

    /// content='': the documents are kept nowhere.
    pub fn contentless(&self) -> bool {
        self.external.as_deref() == Some("")
    }

    /// What reads the documents: "SELECT docid, columns FROM ..." (SQLite's
    /// read expression list).
    fn read_list(&self) -> String {
        match &self.external {
            None => format!("SELECT * FROM {}", self.t("_content")),
            Some(tbl) => {
                let mut cols: Vec<String> = self.columns.iter().map(|c| format!(", x.'{}'", q(c))).collect();
                if let Some(l) = &self.languageid {
                    cols.push(format!(", x.'{}'", q(l)));
                }
                format!("SELECT rowid{} FROM '{}'.'{}' AS x", cols.join(""), q(&self.db), q(tbl))
            }
        }
    }

    /// Runs a read of the documents: an external content table may be a
    /// view or a virtual table, so its statements are not kept.
    fn read(&self, conn: &mut Connection, sql: &str, params: &[Value]) -> Result<Vec<Vec<Value>>> {
        if self.contentless() {
            // SQLite's read of a table named '' fails: SQLITE_ERROR alone.
            return Err(crate::error::Error::code(crate::error::code::ERROR));
        }
        if self.external.is_some() {
            crate::ext::rtree::shadow::query_once(conn, sql, params)
        } else {
            query(conn, sql, params)
        }
    }

    /// The values a document row holds: the columns, and the language id
    /// with languageid=.
    fn width(&self) -> usize {
        self.n_column + usize::from(self.languageid.is_some())
    }

    /// The language id of a row `content_row` or `content_scan` returned.
    pub fn row_langid(&self, row: &[Value]) -> i64 {
        match self.languageid {
            Some(_) => row.get(self.n_column).map_or(0, |v| crate::vdbe::mem::to_integer(v.as_ref())),
            None => 0,
        }
    }

    /// The document `docid`: its column values (None: no such row).
    pub fn content_row(&self, conn: &mut Connection, docid: i64) -> Result<Option<Vec<Value>>> {
        let rows = self.read(conn, &format!("{} WHERE rowid = ?1", self.read_list()), &[Value::Integer(docid)])?;
        Ok(rows.into_iter().next().map(|r| r.into_iter().skip(1).take(self.width()).collect()))
    }

    /// Documents in docid order (descending with `desc`) within
    /// [lo, hi]: docid and column values.
    pub fn content_scan(&self, conn: &mut Connection, lo: i64, hi: i64, desc: bool) -> Result<Vec<(i64, Vec<Value>)>> {
        let sql = format!("{} WHERE rowid BETWEEN ?1 AND ?2 ORDER BY rowid {}", self.read_list(), if desc { "DESC" } else { "ASC" });
        let rows = self.read(conn, &sql, &[Value::Integer(lo), Value::Integer(hi)])?;
        Ok(rows
            .into_iter()
            .map(|r| {
                let id = r.first().map(|v| crate::vdbe::mem::to_integer(v.as_ref())).unwrap_or(0);
                (id, r.into_iter().skip(1).take(self.width()).collect())
            })
            .collect())
    }

    pub fn delete_content(&self, conn: &mut Connection, docid: i64) -> Result<()> {
        if self.external.is_some() {
            return Ok(());
        }
        query(conn, &format!("DELETE FROM {} WHERE rowid = ?1", self.t("_content")), &[Value::Integer(docid)]).map(|_| ())
    }

    /// Whether no document but `docid` exists (SQLite then empties the
    /// whole index rather than recording a delete).
    pub fn empty_without(&self, conn: &mut Connection, docid: i64) -> Result<bool> {
        if self.external.is_some() {
            // SQLite assumes an external content table is never empty.
            return Ok(false);
        }
        Ok(query_int(conn, &format!("SELECT NOT EXISTS(SELECT docid FROM {} WHERE rowid!=?1)", self.t("_content")), &[Value::Integer(docid)])? == Some(1))
    }

    /// Empties the index (and the documents when `content`).
    pub fn delete_all(&self, conn: &mut Connection, content: bool) -> Result<()> {
        if content && self.external.is_none() {
            query(conn, &format!("DELETE FROM {}", self.t("_content")), &[])?;
        }
        query(conn, &format!("DELETE FROM {}", self.t("_segments")), &[])?;
        query(conn, &format!("DELETE FROM {}", self.t("_segdir")), &[])?;
        if self.has_docsize {
            query(conn, &format!("DELETE FROM {}", self.t("_docsize")), &[])?;
        }
        if self.has_stat {
            query(conn, &format!("DELETE FROM {}", self.t("_stat")), &[])?;
        }
        Ok(())
    }

    // ---- %_segments ----

    pub fn read_block(&self, conn: &mut Connection, blockid: i64) -> Result<Option<Vec<u8>>> {
        let rows = query(conn, &format!("SELECT block FROM {} WHERE blockid = ?1", self.t("_segments")), &[Value::Integer(blockid)])?;
        Ok(rows.into_iter().next().and_then(|r| r.into_iter().next()).map(blob))
    }

    /// Blocks lo..=hi in order.
    pub fn read_blocks(&self, conn: &mut Connection, lo: i64, hi: i64) -> Result<Vec<Vec<u8>>> {
        let rows = query(conn, &format!("SELECT block FROM {} WHERE blockid BETWEEN ?1 AND ?2 ORDER BY blockid", self.t("_segments")), &[Value::Integer(lo), Value::Integer(hi)])?;
        Ok(rows.into_iter().filter_map(|r| r.into_iter().next()).map(blob).collect())
    }

    /// The first free block number (SQLite: max(blockid)+1, or 1).
    pub fn next_block_id(&self, conn: &mut Connection) -> Result<i64> {
        Ok(query_int(conn, &format!("SELECT coalesce((SELECT max(blockid) FROM {}) + 1, 1)", self.t("_segments")), &[])?.unwrap_or(1))
    }

    pub fn write_block(&self, conn: &mut Connection, blockid: i64, data: &[u8]) -> Result<()> {
        query(conn, &format!("REPLACE INTO {}(blockid, block) VALUES(?1, ?2)", self.t("_segments")), &[Value::Integer(blockid), Value::Blob(data.to_vec())]).map(|_| ())
    }

    pub fn delete_blocks(&self, conn: &mut Connection, lo: i64, hi: i64) -> Result<()> {
        query(conn, &format!("DELETE FROM {} WHERE blockid BETWEEN ?1 AND ?2", self.t("_segments")), &[Value::Integer(lo), Value::Integer(hi)]).map(|_| ())
    }

    // ---- %_segdir ----

    /// The next idx at absolute level `level` (0 when it is empty).
    pub fn next_idx(&self, conn: &mut Connection, level: i64) -> Result<i64> {
        Ok(query_int(conn, &format!("SELECT (SELECT max(idx) FROM {} WHERE level = ?1) + 1", self.t("_segdir")), &[Value::Integer(level)])?.unwrap_or(0))
    }

    /// The highest level in [lo, hi] (None: no segment there).
    pub fn max_level(&self, conn: &mut Connection, lo: i64, hi: i64) -> Result<Option<i64>> {
        query_int(conn, &format!("SELECT max(level) FROM {} WHERE level BETWEEN ?1 AND ?2", self.t("_segdir")), &[Value::Integer(lo), Value::Integer(hi)])
    }

    /// Segments with level in [lo, hi], oldest first (level DESC, idx ASC).
    pub fn segments(&self, conn: &mut Connection, lo: i64, hi: i64) -> Result<Vec<Segment>> {
        let sql = format!("SELECT level, idx, start_block, leaves_end_block, end_block, root FROM {} WHERE level BETWEEN ?1 AND ?2 ORDER BY level DESC, idx ASC", self.t("_segdir"));
        let rows = query(conn, &sql, &[Value::Integer(lo), Value::Integer(hi)])?;
        let int = |v: Option<&Value>| v.map(|v| crate::vdbe::mem::to_integer(v.as_ref())).unwrap_or(0);
        Ok(rows
            .into_iter()
            .map(|r| {
                let (end_block, n_leaf_data) = match r.get(4) {
                    Some(Value::Text(t)) => parse_end_block(t),
                    v => (int(v), 0),
                };
                Segment { level: int(r.first()), idx: int(r.get(1)), start_block: int(r.get(2)), leaves_end_block: int(r.get(3)), end_block, n_leaf_data, root: blob(r.get(5).cloned().unwrap_or(Value::Null)) }
            })
            .collect())
    }

    /// Writes a %_segdir row; end_block carries the leaf size as SQLite
    /// writes it ("END SIZE") when the size is known.
    #[allow(clippy::too_many_arguments)]
    pub fn write_segdir(&self, conn: &mut Connection, level: i64, idx: i64, start: i64, leaves_end: i64, end: i64, n_leaf_data: i64, root: &[u8]) -> Result<()> {
        let end_v = if n_leaf_data == 0 { Value::Integer(end) } else { Value::text(&format!("{end} {n_leaf_data}")) };
        let params = [Value::Integer(level), Value::Integer(idx), Value::Integer(start), Value::Integer(leaves_end), end_v, Value::Blob(root.to_vec())];
        query(conn, &format!("REPLACE INTO {} VALUES(?1,?2,?3,?4,?5,?6)", self.t("_segdir")), &params).map(|_| ())
    }

    pub fn delete_segdir_range(&self, conn: &mut Connection, lo: i64, hi: i64) -> Result<()> {
        query(conn, &format!("DELETE FROM {} WHERE level BETWEEN ?1 AND ?2", self.t("_segdir")), &[Value::Integer(lo), Value::Integer(hi)]).map(|_| ())
    }

    /// Renumbers segment (level, idx) to (-1, new_idx) (promotion).
    pub fn move_to_scratch(&self, conn: &mut Connection, new_idx: i64, level: i64, idx: i64) -> Result<()> {
        query(conn, &format!("UPDATE OR FAIL {} SET level=-1,idx=?1 WHERE level=?2 AND idx=?3", self.t("_segdir")), &[Value::Integer(new_idx), Value::Integer(level), Value::Integer(idx)]).map(|_| ())
    }

    /// Moves every level -1 segment to `level`.
    pub fn scratch_to_level(&self, conn: &mut Connection, level: i64) -> Result<()> {
        query(conn, &format!("UPDATE OR FAIL {} SET level=?1 WHERE level=-1", self.t("_segdir")), &[Value::Integer(level)]).map(|_| ())
    }

    /// The language ids present (levels / (1024 * n_index)) and `cur`.
    pub fn langids(&self, conn: &mut Connection, cur: i64, n_index: i64) -> Result<Vec<i64>> {
        let rows = query(conn, &format!("SELECT ?1 UNION SELECT level / (1024 * ?2) FROM {}", self.t("_segdir")), &[Value::Integer(cur), Value::Integer(n_index)])?;
        Ok(rows.into_iter().filter_map(|r| r.into_iter().next()).map(|v| crate::vdbe::mem::to_integer(v.as_ref())).collect())
    }

    // ---- %_docsize and %_stat ----

    pub fn write_docsize(&self, conn: &mut Connection, docid: i64, size: &[u8]) -> Result<()> {
        query(conn, &format!("REPLACE INTO {} VALUES(?1,?2)", self.t("_docsize")), &[Value::Integer(docid), Value::Blob(size.to_vec())]).map(|_| ())
    }

    pub fn delete_docsize(&self, conn: &mut Connection, docid: i64) -> Result<()> {
        query(conn, &format!("DELETE FROM {} WHERE docid = ?1", self.t("_docsize")), &[Value::Integer(docid)]).map(|_| ())
    }

    pub fn read_docsize(&self, conn: &mut Connection, docid: i64) -> Result<Option<Vec<u8>>> {
        let rows = query(conn, &format!("SELECT size FROM {} WHERE docid=?1", self.t("_docsize")), &[Value::Integer(docid)])?;
        Ok(rows.into_iter().next().and_then(|r| r.into_iter().next()).map(blob))
    }

    pub fn read_stat(&self, conn: &mut Connection, id: i64) -> Result<Option<Vec<u8>>> {
        let rows = query(conn, &format!("SELECT value FROM {} WHERE id=?1", self.t("_stat")), &[Value::Integer(id)])?;
        Ok(rows.into_iter().next().and_then(|r| r.into_iter().next()).map(blob))
    }

    pub fn write_stat(&self, conn: &mut Connection, id: i64, value: &[u8]) -> Result<()> {
        query(conn, &format!("REPLACE INTO {} VALUES(?1,?2)", self.t("_stat")), &[Value::Integer(id), Value::Blob(value.to_vec())]).map(|_| ())
    }
}
