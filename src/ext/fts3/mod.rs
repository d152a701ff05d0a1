//! The FTS3 and FTS4 full-text modules (`fts3`, `fts4`), registered on
//! every connection as in a SQLite built with SQLITE_ENABLE_FTS3,
//! SQLITE_ENABLE_FTS3_PARENTHESIS and SQLITE_ENABLE_FTS4, with the
//! auxiliary functions snippet(), offsets() and matchinfo().
//!
//! The point is file compatibility: a table keeps its documents and its
//! inverted index in SQLite's shadow tables (`shadow.rs`), the index is
//! SQLite's segment b-trees (`segment.rs` reads them, `writer.rs` writes
//! and merges them) of varint doclists (`doclist.rs`), so SQLite reads
//! and changes a table Ferrolite wrote and the other way round.
//! `tokenizer.rs` splits text; `update.rs` is xUpdate and the special
//! INSERT commands; `query.rs` parses MATCH expressions, `eval.rs`
//! evaluates them against the index, `cursor.rs` plans and scans, and
//! `aux.rs` holds the auxiliary functions.
//!
//! Invariant: every access to the shadow tables goes through statements
//! run on the connection executing the user's statement; the only state
//! kept between calls is the pending terms of the open write transaction
//! (see `writer.rs`), flushed before any read of the index.

pub mod aux;
pub mod cursor;
pub mod doclist;
pub mod eval;
pub mod porter;
pub mod query;
pub mod segment;
pub mod shadow;
pub mod tokenizer;
pub mod update;
pub mod writer;

use std::sync::{Arc, Mutex, MutexGuard};

use crate::connection::Connection;
use crate::error::{code, Error, Result};
use crate::parse::tokenizer as sqltok;
use crate::value::Value;
use crate::vtab::{Connected, IndexInfo, Module, VTab, VTabCursor, VtabConfig};

use shadow::Shadow;
use tokenizer::Tokenizer;
use writer::Pending;

/// What one full-text table is: names, columns, options.
#[derive(Debug)]
pub struct Info {
    pub shadow: Shadow,
    /// Column names (dequoted first token of each column argument).
    pub columns: Vec<String>,
    pub fts4: bool,
    pub tokenizer: Tokenizer,
    /// Prefix lengths of the prefix indexes (index 1, 2...).
    pub prefixes: Vec<usize>,
    /// Columns declared notindexed=.
    pub notindexed: Vec<bool>,
}

impl Info {
    pub fn n_column(&self) -> usize {
        self.columns.len()
    }

    /// Number of indexes (main + prefix ones).
    pub fn n_index(&self) -> i64 {
        1 + self.prefixes.len() as i64
    }

    /// SQLite's node size: the database page size less 35.
    pub fn node_size(&self, conn: &mut Connection) -> Result<usize> {
        let pgsz = crate::ext::rtree::shadow::query_int(conn, &format!("PRAGMA '{}'.page_size", crate::ext::rtree::shadow::q(&self.shadow.db)), &[])?.unwrap_or(1024);
        Ok((pgsz - 35).max(24) as usize)
    }
}

/// The table state shared by the table and its cursors.
pub struct Shared {
    pub info: Info,
    pending: Mutex<Pending>,
}

impl Shared {
    pub fn pending(&self) -> MutexGuard<'_, Pending> {
        match self.pending.lock() {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        }
    }

    /// Writes the pending terms as segments (sqlite3Fts3PendingTermsFlush).
    pub fn flush(&self, conn: &mut Connection) -> Result<()> {
        let (terms, langid) = {
            let mut p = self.pending();
            if p.is_empty() {
                return Ok(());
            }
            p.before_destructive_change();
            let t = std::mem::take(&mut p.indexes);
            p.size = 0;
            (t, p.prev_langid)
        };
        // The segment writes must not change what last_insert_rowid()
        // reports (the flush may run at commit, after the user's INSERT).
        let last = conn.last_insert_rowid;
        let r = (|| {
            let node_size = self.info.node_size(conn)?;
            let shape = writer::IndexShape { sh: &self.info.shadow, node_size, n_index: self.info.n_index() };
            for (i, map) in terms.iter().enumerate() {
                shape.flush_pending(conn, langid, i as i64, map)?;
            }
            Ok(())
        })();
        conn.last_insert_rowid = last;
        r
    }
}

/// `fts3` (`fts4` true: `fts4`).
pub struct FtsModule {
    pub fts4: bool,
}

/// Whether `c` may be part of an FTS identifier (sqlite3Fts3IsIdChar).
fn is_id_char(c: u8) -> bool {
    c >= 0x80 || c.is_ascii_alphanumeric() || c == b'_' || c == b'$'
}

/// SQLite's FTS dequote: strips '...', "...", `...` or [...] quoting.
pub fn dequote(s: &str) -> String {
    let b = s.as_bytes();
    let Some(&q) = b.first() else { return String::new() };
    let close = match q {
        b'\'' | b'"' | b'`' => q,
        b'[' => b']',
        _ => return s.to_string(),
    };
    let mut out = Vec::new();
    let mut i = 1;
    while i < b.len() {
        if b[i] == close {
            if close != b']' && b.get(i + 1) == Some(&close) {
                out.push(close);
                i += 2;
                continue;
            }
            break;
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The first SQL token of a column argument (what names the column).
fn first_token(arg: &str) -> &str {
    let s = arg.trim_start();
    let (_, end) = sqltok::next_token(s, 0);
    s.get(..end).unwrap_or(s)
}

fn not_supported(what: &str) -> Error {
    Error::sql(format!("{what} is not supported yet"))
}

/// The prefix= list (fts3PrefixParameter): comma-separated lengths, 0s
/// dropped.
fn parse_prefixes(v: &str) -> Result<Vec<usize>> {
    let mut out = Vec::new();
    if v.is_empty() {
        return Ok(out);
    }
    let err = || Error::sql(format!("error parsing prefix parameter: {v}"));
    for part in v.split(',') {
        let p = part.trim_start_matches(' ');
        let digits: String = p.chars().take_while(|c| c.is_ascii_digit()).collect();
        if digits.is_empty() {
            return Err(err());
        }
        let n: usize = digits.parse().map_err(|_| err())?;
        if n > 0 {
            out.push(n);
        }
    }
    Ok(out)
}

impl FtsModule {
    /// xCreate (`conn` Some: creates the shadow tables) or xConnect.
    fn init(&self, argv: &[String], conn: Option<&mut Connection>) -> Result<Connected> {
        let (db, name) = (argv.get(1).cloned().unwrap_or_default(), argv.get(2).cloned().unwrap_or_default());
        let mut tokenizer: Option<Tokenizer> = None;
        let mut cols: Vec<String> = Vec::new();
        let mut prefix: Option<String> = None;
        let mut no_docsize = false;
        let mut notindexed: Vec<String> = Vec::new();
        let mut content: Option<String> = None;
        let mut languageid: Option<String> = None;
        let mut desc = false;
        for z in argv.iter().skip(3) {
            let b = z.as_bytes();
            if tokenizer.is_none() && b.len() > 8 && b[..8].eq_ignore_ascii_case(b"tokenize") && !is_id_char(b[8]) {
                tokenizer = Some(Tokenizer::from_spec(z.get(9..).unwrap_or(""))?);
            } else if let (true, Some(eq)) = (self.fts4, z.find('=')) {
                let key = &z[..eq];
                let val = dequote(&z[eq + 1..]);
                match key.to_ascii_lowercase().as_str() {
                    "matchinfo" => {
                        if !val.eq_ignore_ascii_case("fts3") {
                            return Err(Error::sql(format!("unrecognized matchinfo: {val}")));
                        }
                        no_docsize = true;
                    }
                    "prefix" => prefix = Some(val),
                    "compress" | "uncompress" => return Err(not_supported(&format!("the fts4 option {}=", key.to_ascii_lowercase()))),
                    "order" => {
                        if !val.eq_ignore_ascii_case("asc") && !val.eq_ignore_ascii_case("desc") {
                            return Err(Error::sql(format!("unrecognized order: {val}")));
                        }
                        desc = val.eq_ignore_ascii_case("desc");
                    }
                    "content" => content = Some(val),
                    "languageid" => languageid = Some(val),
                    "notindexed" => notindexed.push(val),
                    _ => return Err(Error::sql(format!("unrecognized parameter: {z}"))),
                }
            } else {
                cols.push(z.clone());
            }
        }
        if let Some(c) = &content {
            if !c.is_empty() && cols.is_empty() {
                return Err(not_supported("content= without column names (columns taken from the content table)"));
            }
        }
        let mut columns: Vec<String> = cols.iter().map(|c| dequote(first_token(c))).collect();
        if columns.is_empty() {
            columns.push("content".to_string());
        }
        let tokenizer = tokenizer.unwrap_or(Tokenizer::Simple);
        let prefixes = parse_prefixes(prefix.as_deref().unwrap_or(""))?;
        let mut ni = vec![false; columns.len()];
        for n in &notindexed {
            let mut found = false;
            for (i, c) in columns.iter().enumerate() {
                if c.len() == n.len() && c.eq_ignore_ascii_case(n) {
                    ni[i] = true;
                    found = true;
                }
            }
            if !found {
                return Err(Error::sql(format!("no such column: {n}")));
            }
        }
        let shadow = Shadow { db, name: name.clone(), n_column: columns.len(), has_docsize: self.fts4 && !no_docsize, has_stat: self.fts4, external: content, columns: columns.clone(), languageid: languageid.clone(), desc };
        if let Some(conn) = conn {
            shadow.create(conn, &columns)?;
        }
        let mut declared = String::from("CREATE TABLE x(");
        for c in &columns {
            declared.push_str(&format!("'{}', ", c.replace('\'', "''")));
        }
        let lang = languageid.as_deref().unwrap_or("__langid");
        declared.push_str(&format!("'{}' HIDDEN, docid HIDDEN, '{}' HIDDEN)", name.replace('\'', "''"), lang.replace('\'', "''")));
        let info = Info { shadow, columns, fts4: self.fts4, tokenizer, prefixes, notindexed: ni };
        let shared = Arc::new(Shared { info, pending: Mutex::new(Pending::default()) });
        Ok(Connected { vtab: Box::new(FtsTable { shared }), declared, config: VtabConfig { constraint_support: true, innocuous: true, ..Default::default() } })
    }
}

impl Module for FtsModule {
    fn has_create(&self) -> bool {
        true
    }
    fn connect(self: Arc<Self>, _create: bool, argv: &[String]) -> Result<Connected> {
        self.init(argv, None)
    }
    fn eponymous(&self) -> bool {
        false
    }
    fn create_on(self: Arc<Self>, conn: &mut Connection, argv: &[String]) -> Result<Connected> {
        self.init(argv, Some(conn))
    }
}

/// A connected full-text table.
pub struct FtsTable {
    shared: Arc<Shared>,
}

fn needs_connection() -> Error {
    Error::with_message(code::INTERNAL, "the fts3 module needs its connection for this call")
}

impl VTab for FtsTable {
    fn best_index(&mut self, info: &mut IndexInfo) -> Result<()> {
        cursor::best_index(&self.shared.info, info);
        Ok(())
    }
    fn open(&mut self) -> Result<Box<dyn VTabCursor>> {
        Ok(Box::new(cursor::Cursor::new(self.shared.clone())))
    }
    fn destroy(&mut self) -> Result<()> {
        Err(needs_connection())
    }
    fn destroy_on(&mut self, conn: &mut Connection) -> Result<()> {
        self.shared.pending().clear();
        self.shared.info.shadow.drop_all(conn)
    }
    fn has_update(&self) -> bool {
        true
    }
    fn update(&mut self, _argv: &[Value], _on_conflict: i32) -> Result<Option<i64>> {
        Err(needs_connection())
    }
    fn update_on(&mut self, conn: &mut Connection, argv: &[Value], on_conflict: i32) -> Result<Option<i64>> {
        update::update(&self.shared, conn, argv, on_conflict)
    }
    fn has_begin(&self) -> bool {
        true
    }
    /// xBegin: the statement that starts the transaction can be undone
    /// alone too (BEGIN; then a failing INSERT ... SELECT).
    fn begin(&mut self) -> Result<()> {
        self.shared.pending().mark_statement();
        Ok(())
    }
    fn sync_on(&mut self, conn: &mut Connection) -> Result<()> {
        self.shared.flush(conn)
    }
    fn statement_on(&mut self, _conn: &mut Connection) -> Result<()> {
        self.shared.pending().mark_statement();
        Ok(())
    }
    /// xSavepoint: the pending terms are written, so that a ROLLBACK TO
    /// this savepoint only has to drop the ones that come after.
    fn savepoint_on(&mut self, conn: &mut Connection, _n: i32) -> Result<()> {
        self.shared.flush(conn)
    }
    fn rollback_to(&mut self, _n: i32) -> Result<()> {
        self.shared.pending().clear();
        Ok(())
    }
    fn statement_rollback(&mut self) -> Result<()> {
        self.shared.pending().undo_statement();
        Ok(())
    }
    /// Statements are followed through `statement_on` /
    /// `statement_rollback`: their savepoints change nothing here.
    fn statement_savepoint(&mut self, _op: crate::vtab::SavepointOp, _n: i32) -> Result<()> {
        Ok(())
    }
    fn rollback(&mut self) -> Result<()> {
        self.shared.pending().clear();
        Ok(())
    }
    fn commit(&mut self) -> Result<()> {
        self.shared.pending().clear();
        Ok(())
    }
    fn rename(&mut self, _new_name: &str) -> Result<()> {
        Err(needs_connection())
    }
    fn rename_on(&mut self, conn: &mut Connection, new_name: &str) -> Result<()> {
        self.shared.flush(conn)?;
        self.shared.info.shadow.rename_all(conn, new_name)
    }
    fn find_function(&mut self, _n_arg: i32, name: &str) -> Option<(i32, Box<dyn crate::func::user::UserFunction>)> {
        aux::find(name)
    }
}

/// Registers `fts3`, `fts4` and the auxiliary functions on a new
/// connection.
pub fn register(conn: &mut Connection) -> Result<()> {
    {
        let mut set = crate::vtab::lock(&conn.vtabs);
        set.set_module("fts3", Some(Arc::new(FtsModule { fts4: false })));
        set.set_module("fts4", Some(Arc::new(FtsModule { fts4: true })));
    }
    aux::register(conn)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options() {
        assert_eq!(dequote("'a''b'"), "a'b");
        assert_eq!(dequote("[x y]"), "x y");
        assert_eq!(first_token("  body TEXT"), "body");
        assert_eq!(parse_prefixes("2,0,3").ok(), Some(vec![2, 3]));
        assert!(parse_prefixes("x").is_err());
    }
}
