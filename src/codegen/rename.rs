//! ALTER TABLE ... RENAME TO: renames a table and rewrites the schema
//! text that names it, as SQLite does.
//!
//! Rewritten, token by token (the rest of each text is kept byte for
//! byte): the table's own CREATE TABLE name, every `REFERENCES old` in the
//! database's tables, the `ON old` of its indexes and triggers; the new
//! name is written in double quotes, as SQLite writes it. Rows follow:
//! tbl_name of the table, its indexes and triggers, the names of its
//! automatic indexes (`sqlite_autoindex_new_N`), and its sqlite_sequence
//! row. sqlite_stat1 keeps the old name, as in SQLite.
//! Not yet: views and trigger bodies that mention the table (SQLite
//! rewrites those through full name resolution); such a rename fails
//! saying it is not supported yet rather than leave them dangling.

use crate::collation::CollSeq;
use crate::error::{Error, Result};
use crate::parse::ast;
use crate::parse::keywords::Keyword;
use crate::parse::tokenizer::{dequote, next_token, TokenKind};
use crate::schema::{SchemaSet, Table};
use crate::vdbe::{CmpOp, Op, Root};

use super::ddl::{finish_schema_change, open_schema_for_write};
use super::{bytes, Builder};

/// The significant tokens of `sql`: (kind, start, end).
pub(super) fn tokens(sql: &str) -> Vec<(TokenKind, usize, usize)> {
    let mut out = Vec::new();
    let mut pos = 0;
    while pos < sql.len() {
        let (k, end) = next_token(sql, pos);
        if end <= pos {
            break;
        }
        if !matches!(k, TokenKind::Space | TokenKind::Comment) {
            out.push((k, pos, end));
        }
        pos = end;
    }
    out
}

fn names(sql: &str, tok: &(TokenKind, usize, usize), name: &str) -> bool {
    matches!(tok.0, TokenKind::Id | TokenKind::String | TokenKind::Keyword(_)) && dequote(&sql[tok.1..tok.2]).eq_ignore_ascii_case(name)
}

fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// `sql` with the tokens at `at` (byte ranges) replaced by `new`, quoted.
fn replace_at(sql: &str, at: &[(usize, usize)], new: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 8);
    let mut last = 0;
    for &(s, e) in at {
        out.push_str(&sql[last..s]);
        out.push_str(&quoted(new));
        last = e;
    }
    out.push_str(&sql[last..]);
    out
}

/// The token after the first `kw` keyword that names `old` (skipping a
/// `schema.` qualifier).
fn name_after(sql: &str, toks: &[(TokenKind, usize, usize)], kw: Keyword, old: &str) -> Option<(usize, usize)> {
    let i = toks.iter().position(|t| t.0 == TokenKind::Keyword(kw))?;
    let mut j = i + 1;
    if kw == Keyword::Table {
        // IF NOT EXISTS
        if toks.get(j).is_some_and(|t| t.0 == TokenKind::Keyword(Keyword::If)) {
            j += 3;
        }
    }
    if toks.get(j + 1).is_some_and(|t| t.0 == TokenKind::Dot) {
        j += 2;
    }
    let t = toks.get(j)?;
    names(sql, t, old).then_some((t.1, t.2))
}

/// One sqlite_schema row to rewrite: found by (type, name), given a new
/// name, tbl_name and (when Some) sql; its rootpage is kept.
pub(super) struct Rewrite {
    pub kind: &'static str,
    pub name: String,
    pub new_name: String,
    pub new_tbl: String,
    pub new_sql: Option<String>,
}

pub fn compile_rename_table(b: &mut Builder<'_>, target: &ast::QualifiedName, new: &str) -> Result<()> {
    let old = &target.name;
    let t: std::sync::Arc<Table> = b.schemas.find_table(target.schema.as_deref(), old).ok_or_else(|| {
        Error::sql(match &target.schema {
            Some(s) => format!("no such table: {s}.{old}"),
            None => format!("no such table: {old}"),
        })
    })?;
    if SchemaSet::is_schema_table(&t.name) || (t.name.len() >= 7 && t.name[..7].eq_ignore_ascii_case("sqlite_")) {
        return Err(Error::sql(format!("table {} may not be altered", t.name)));
    }
    if t.is_view() {
        return Err(Error::sql(format!("view {} may not be altered", t.name)));
    }
    // A virtual table is connected now: its xRename runs after the
    // schema rows are rewritten (OP_VRename).
    if t.module.is_some() {
        super::vtab::connected(b, &t)?;
    }
    let db = t.db;
    let schema = b.schemas.get(db);
    if schema.table(new).is_some() || schema.index(new).is_some() {
        return Err(Error::sql(format!("there is already another table or index with this name: {new}")));
    }
    if new.len() >= 7 && new[..7].eq_ignore_ascii_case("sqlite_") {
        return Err(Error::sql(format!("object name reserved for internal use: {new}")));
    }
    let old = t.name.clone();
    let mut rewrites: Vec<Rewrite> = Vec::new();
    // Views and trigger bodies that mention the table: not rewritten yet.
    for v in schema.tables().filter(|v| v.is_view()) {
        if tokens(&v.sql).iter().any(|tok| names(&v.sql, tok, &old)) {
            return Err(Error::sql(format!("ALTER TABLE RENAME of a table that view {} refers to is not supported yet", v.name)));
        }
    }
    for trig in schema.triggers.values() {
        let toks = tokens(&trig.sql);
        // Everything after `ON table` (the WHEN clause and the body).
        let after_on = toks.iter().position(|x| x.0 == TokenKind::Keyword(Keyword::On)).map_or(toks.len(), |o| o + 2);
        let body_mentions = toks.iter().skip(after_on).any(|tok| names(&trig.sql, tok, &old));
        if body_mentions {
            return Err(Error::sql(format!("ALTER TABLE RENAME of a table that trigger {} refers to is not supported yet", trig.name)));
        }
        if trig.table.eq_ignore_ascii_case(&old) {
            let at: Vec<(usize, usize)> = name_after(&trig.sql, &toks, Keyword::On, &old).into_iter().collect();
            rewrites.push(Rewrite { kind: "trigger", name: trig.name.clone(), new_name: trig.name.clone(), new_tbl: new.to_string(), new_sql: Some(replace_at(&trig.sql, &at, new)) });
        }
    }
    // Tables: the renamed one's name, and REFERENCES old anywhere.
    for other in schema.tables().filter(|x| !x.is_view() && (x.module.is_none() || x.name.eq_ignore_ascii_case(&old))) {
        let toks = tokens(&other.sql);
        let mut at: Vec<(usize, usize)> = Vec::new();
        if other.name.eq_ignore_ascii_case(&old) {
            at.extend(name_after(&other.sql, &toks, Keyword::Table, &old));
        }
        for (i, tok) in toks.iter().enumerate() {
            if tok.0 == TokenKind::Keyword(Keyword::References) {
                if let Some(n) = toks.get(i + 1).filter(|n| names(&other.sql, n, &old)) {
                    at.push((n.1, n.2));
                }
            }
        }
        at.sort_unstable();
        if other.name.eq_ignore_ascii_case(&old) {
            rewrites.push(Rewrite { kind: "table", name: other.name.clone(), new_name: new.to_string(), new_tbl: new.to_string(), new_sql: Some(replace_at(&other.sql, &at, new)) });
        } else if !at.is_empty() {
            rewrites.push(Rewrite { kind: "table", name: other.name.clone(), new_name: other.name.clone(), new_tbl: other.name.clone(), new_sql: Some(replace_at(&other.sql, &at, new)) });
        }
    }
    for ix in b.schemas.indexes_of(&t) {
        match &ix.sql {
            Some(sql) => {
                let at: Vec<(usize, usize)> = name_after(sql, &tokens(sql), Keyword::On, &old).into_iter().collect();
                rewrites.push(Rewrite { kind: "index", name: ix.name.clone(), new_name: ix.name.clone(), new_tbl: new.to_string(), new_sql: Some(replace_at(sql, &at, new)) });
            }
            None => {
                let suffix = ix.name.rsplit('_').next().unwrap_or("1").to_string();
                rewrites.push(Rewrite { kind: "index", name: ix.name.clone(), new_name: format!("sqlite_autoindex_{new}_{suffix}"), new_tbl: new.to_string(), new_sql: None });
            }
        }
    }
    let sc = open_schema_for_write(b, db);
    rewrite_rows(b, sc, &rewrites);
    if t.autoincrement {
        if let Some(seq) = schema.table("sqlite_sequence").cloned() {
            let c = b.alloc_cursor();
            b.emit(Op::OpenWrite { cursor: c, db, root: Root::Page(seq.root), kind: crate::btree::TreeKind::Table, key_info: None });
            rename_sequence_row(b, c, &old, new);
        }
    }
    if t.module.is_some() {
        b.emit(Op::VRename { db, name: std::sync::Arc::from(old.as_str()), new_name: std::sync::Arc::from(new) });
    }
    finish_schema_change(b, db);
    Ok(())
}

/// One pass over sqlite_schema rewriting the rows `rewrites` name.
pub(super) fn rewrite_rows(b: &mut Builder<'_>, sc: usize, rewrites: &[Rewrite]) {
    let done = b.new_label();
    b.emit(Op::Rewind { cursor: sc, target: done });
    let top = b.addr();
    let next = b.new_label();
    let row = b.alloc_regs(5);
    for i in 0..5 {
        b.emit(Op::Column { cursor: sc, column: i, dest: row + i, default: None });
    }
    let want = b.alloc_reg();
    let eq = b.alloc_reg();
    for r in rewrites {
        let skip = b.new_label();
        b.emit(Op::String { value: bytes(r.kind), dest: want });
        b.emit(Op::Compare { op: CmpOp::Eq, lhs: row, rhs: want, dest: eq, affinity: None, coll: CollSeq::Binary });
        b.emit(Op::IfNot { reg: eq, target: skip, jump_if_null: true });
        b.emit(Op::String { value: bytes(&r.name), dest: want });
        b.emit(Op::Compare { op: CmpOp::Eq, lhs: row + 1, rhs: want, dest: eq, affinity: None, coll: CollSeq::NoCase });
        b.emit(Op::IfNot { reg: eq, target: skip, jump_if_null: true });
        let new_row = b.alloc_regs(5);
        b.emit(Op::Copy { src: row, dest: new_row, count: 5 });
        b.emit(Op::String { value: bytes(&r.new_name), dest: new_row + 1 });
        b.emit(Op::String { value: bytes(&r.new_tbl), dest: new_row + 2 });
        if let Some(sql) = &r.new_sql {
            b.emit(Op::String { value: bytes(sql), dest: new_row + 4 });
        }
        let rec = b.alloc_reg();
        let rowid = b.alloc_reg();
        b.emit(Op::Rowid { cursor: sc, dest: rowid });
        b.emit(Op::MakeRecord { start: new_row, count: 5, dest: rec });
        b.emit(Op::Insert { cursor: sc, record: rec, rowid, count_change: false, set_last_rowid: false, hook: None });
        b.emit(Op::Goto { target: next });
        b.resolve(skip);
    }
    b.resolve(next);
    b.emit(Op::Next { cursor: sc, target: top });
    b.resolve(done);
}

/// Renames the sqlite_sequence row of the table.
fn rename_sequence_row(b: &mut Builder<'_>, c: usize, old: &str, new: &str) {
    let done = b.new_label();
    b.emit(Op::Rewind { cursor: c, target: done });
    let top = b.addr();
    let next = b.new_label();
    let row = b.alloc_regs(2);
    b.emit(Op::Column { cursor: c, column: 0, dest: row, default: None });
    b.emit(Op::Column { cursor: c, column: 1, dest: row + 1, default: None });
    let want = b.alloc_reg();
    let eq = b.alloc_reg();
    b.emit(Op::String { value: bytes(old), dest: want });
    b.emit(Op::Compare { op: CmpOp::Eq, lhs: row, rhs: want, dest: eq, affinity: None, coll: CollSeq::NoCase });
    b.emit(Op::IfNot { reg: eq, target: next, jump_if_null: true });
    b.emit(Op::String { value: bytes(new), dest: row });
    let rec = b.alloc_reg();
    let rowid = b.alloc_reg();
    b.emit(Op::Rowid { cursor: c, dest: rowid });
    b.emit(Op::MakeRecord { start: row, count: 2, dest: rec });
    b.emit(Op::Insert { cursor: c, record: rec, rowid, count_change: false, set_last_rowid: false, hook: None });
    b.resolve(next);
    b.emit(Op::Next { cursor: c, target: top });
    b.resolve(done);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_name_token_after_a_keyword_is_found_past_qualifiers_and_if_not_exists() {
        let sql = "CREATE TABLE IF NOT EXISTS main.\"T\"(a REFERENCES t(a))";
        let toks = tokens(sql);
        let at = name_after(sql, &toks, Keyword::Table, "t").unwrap();
        assert_eq!(&sql[at.0..at.1], "\"T\"");
        assert_eq!(replace_at(sql, &[at], "new \"x"), "CREATE TABLE IF NOT EXISTS main.\"new \"\"x\"(a REFERENCES t(a))");
        assert!(name_after(sql, &toks, Keyword::Table, "other").is_none());
    }

    #[test]
    fn views_and_trigger_bodies_naming_the_table_are_refused_not_left_dangling() {
        use crate::connection::Connection;
        use crate::os::{MemoryVfs, OpenFlags};
        let mut c = Connection::open(std::sync::Arc::new(MemoryVfs::new()), ":memory:", OpenFlags::READWRITE | OpenFlags::CREATE).unwrap();
        let exec = |c: &mut Connection, sql: &str| -> std::result::Result<(), String> {
            let (stmt, _) = c.prepare(sql).map_err(|e| e.message().to_string())?;
            if let Some(mut s) = stmt {
                while s.step(c).map_err(|e| e.message().to_string())? == crate::vdbe::StepResult::Row {}
            }
            Ok(())
        };
        exec(&mut c, "CREATE TABLE t(a)").unwrap();
        exec(&mut c, "CREATE VIEW v AS SELECT a FROM t").unwrap();
        assert_eq!(exec(&mut c, "ALTER TABLE t RENAME TO u").unwrap_err(), "ALTER TABLE RENAME of a table that view v refers to is not supported yet");
        exec(&mut c, "DROP VIEW v").unwrap();
        exec(&mut c, "CREATE TABLE log(x)").unwrap();
        exec(&mut c, "CREATE TRIGGER tr AFTER INSERT ON log BEGIN DELETE FROM t; END").unwrap();
        assert_eq!(exec(&mut c, "ALTER TABLE t RENAME TO u").unwrap_err(), "ALTER TABLE RENAME of a table that trigger tr refers to is not supported yet");
        exec(&mut c, "DROP TRIGGER tr").unwrap();
        exec(&mut c, "ALTER TABLE t RENAME TO u").unwrap();
        exec(&mut c, "SELECT a FROM u").unwrap();
    }
}
