//! ALTER TABLE ... ADD COLUMN, and the column defaults that rows written
//! before it read.
//!
//! As in SQLite, adding a column rewrites only the table's CREATE TABLE
//! text in sqlite_schema (the new definition goes after the last column,
//! before any table constraint) and bumps the schema cookie: existing rows
//! are not touched. A row that has fewer fields than its table has columns
//! reads each missing one as the column's DEFAULT (`Table::column_default`),
//! so every read of a table column passes that default to `Op::Column`.
//!
//! RENAME TO is `rename.rs`, RENAME COLUMN and DROP COLUMN
//! `alter_column.rs`; the constraint changes fail with "... is not
//! supported yet".

use std::sync::Arc;

use crate::error::{code, Error, Result};
use crate::parse::ast::{self, ColumnConstraintKind as K, Expr, Literal};
use crate::parse::tokenizer::{next_token, TokenKind};
use crate::parse::keywords::Keyword;
use crate::schema::Table;


use super::Builder;
use crate::vdbe::{Op, OnError, Root};

/// True when a DEFAULT is a constant SQLite accepts for ADD COLUMN: a
/// literal (not CURRENT_TIME/DATE/TIMESTAMP) or a parenthesised constant
/// expression of literals.
fn default_is_constant(e: &Expr) -> bool {
    match e {
        Expr::Literal(Literal::CurrentTime | Literal::CurrentDate | Literal::CurrentTimestamp) => false,
        Expr::Literal(_) => true,
        Expr::Unary(_, inner) => default_is_constant(inner),
        Expr::Binary(a, _, b) => default_is_constant(a) && default_is_constant(b),
        _ => false,
    }
}

/// Where ADD COLUMN inserts ", <definition>" in a CREATE TABLE text: at the
/// comma that starts the table constraints, else at the parenthesis that
/// closes the column list (as SQLite's addColOffset).
pub(super) fn add_column_offset(sql: &str) -> Option<usize> {
    let mut pos = 0usize;
    let mut depth = 0usize;
    let mut comma_at: Option<usize> = None;
    while pos < sql.len() {
        let (kind, end) = next_token(sql, pos);
        if end <= pos {
            return None;
        }
        let start = pos;
        pos = end;
        match kind {
            TokenKind::Space | TokenKind::Comment => continue,
            TokenKind::LParen => depth += 1,
            TokenKind::RParen => {
                if depth == 1 {
                    return Some(comma_at.map_or(start, |c| c));
                }
                depth = depth.saturating_sub(1);
            }
            TokenKind::Comma if depth == 1 => {
                comma_at = Some(start);
                continue;
            }
            TokenKind::Keyword(Keyword::Constraint | Keyword::Primary | Keyword::Unique | Keyword::Check | Keyword::Foreign) if depth == 1 && comma_at.is_some() => {
                return comma_at;
            }
            TokenKind::Eof => return None,
            _ => {}
        }
        if depth == 1 || depth == 0 {
            comma_at = None;
        }
    }
    None
}

/// ALTER TABLE ... ADD COLUMN: checks SQLite's rules, then rewrites the
/// CREATE TABLE text and reloads the schema. `coldef_text` is the new
/// column's definition as written.
pub fn compile_add_column(b: &mut Builder<'_>, table: &ast::QualifiedName, def: &ast::ColumnDef, coldef_text: &str) -> Result<()> {
    let name = &table.name;
    let t: Arc<Table> = b.schemas.find_table(table.schema.as_deref(), name).ok_or_else(|| {
        Error::sql(match &table.schema {
            Some(s) => format!("no such table: {s}.{name}"),
            None => format!("no such table: {name}"),
        })
    })?;
    if t.is_view() {
        return Err(Error::sql("Cannot add a column to a view"));
    }
    if t.module.is_some() {
        return Err(Error::sql("virtual tables may not be altered"));
    }
    if t.name.len() >= 7 && t.name[..7].eq_ignore_ascii_case("sqlite_") {
        return Err(Error::sql(format!("table {} may not be altered", t.name)));
    }
    if t.columns.iter().any(|c| c.name.eq_ignore_ascii_case(&def.name)) {
        return Err(Error::sql(format!("duplicate column name: {}", def.name)));
    }
    let mut default: Option<&Expr> = None;
    let mut not_null = false;
    let mut generated: Option<bool> = None;
    for c in &def.constraints {
        match &c.kind {
            K::PrimaryKey { .. } => return Err(Error::sql("Cannot add a PRIMARY KEY column")),
            K::Unique { .. } => return Err(Error::sql("Cannot add a UNIQUE column")),
            K::NotNull { .. } => not_null = true,
            K::Default { expr, .. } => default = Some(expr),
            K::Generated { stored, .. } => generated = Some(*stored),
            K::Check(_) => return Err(Error::sql("CHECK constraints added by ALTER TABLE are not supported yet")),
            K::References(_) => return Err(Error::sql("REFERENCES in ALTER TABLE ADD COLUMN is not supported yet")),
            _ => {}
        }
    }
    if let Some(d) = default.filter(|_| generated.is_none()) {
        if !default_is_constant(d) {
            return Err(Error::sql("Cannot add a column with non-constant default"));
        }
    }
    let null_default = default.map_or(true, |d| matches!(d, Expr::Literal(Literal::Null)));
    if not_null && null_default && generated.is_none() {
        return Err(Error::sql("Cannot add a NOT NULL column with default value NULL"));
    }
    let at = add_column_offset(&t.sql).ok_or_else(|| Error::with_message(code::CORRUPT, "malformed CREATE TABLE text"))?;
    let new_sql = format!("{}, {}{}", &t.sql[..at], coldef_text, &t.sql[at..]);
    // The new text must describe a valid table (collations, types...).
    let parsed = crate::parse::Parser::new(&new_sql).next_stmt()?.ok_or_else(|| Error::sql("malformed CREATE TABLE text"))?;
    let ast::Stmt::CreateTable(ct) = &parsed.stmt else {
        return Err(Error::sql("malformed CREATE TABLE text"));
    };
    let new_table = Arc::new(crate::schema::Table { db: t.db, ..crate::schema::Schema::table_from_ast(ct, t.root, new_sql.clone())? });
    super::generated::validate(b, &new_table)?;
    for c in &new_table.columns {
        if let Some(coll) = &c.collation {
            Builder::collation_by_name(coll)?;
        }
    }
    // UPDATE the table's sqlite_schema row (type 'table', its name): the
    // sql column gets the new text.
    let sc = super::ddl::open_schema_for_write(b, t.db);
    if let Some(stored) = generated {
        // A STORED column would need every row rewritten: SQLite refuses
        // it unless the table is empty. A VIRTUAL NOT NULL column must
        // hold for the rows already there.
        let col = new_table.columns.len() - 1;
        let c = b.alloc_cursor();
        b.emit(Op::OpenRead { cursor: c, db: t.db, root: Root::Page(t.root), kind: t.tree_kind(), key_info: t.cursor_key_info() });
        let done = b.new_label();
        b.emit(Op::Rewind { cursor: c, target: done });
        if stored {
            b.emit(Op::Halt { rc: code::ERROR, msg: Some("cannot add a STORED column".into()), on_error: OnError::Abort });
        } else if not_null {
            let top = b.addr();
            let v = b.alloc_reg();
            super::generated::read_virtual(b, &new_table, c, col, v)?;
            b.emit(Op::HaltIfNull { reg: v, rc: code::CONSTRAINT, msg: "NOT NULL constraint failed".into(), on_error: OnError::Abort });
            b.emit(Op::Next { cursor: c, target: top });
        }
        b.resolve(done);
    }
    let rewrite = super::rename::Rewrite { kind: "table", name: t.name.clone(), new_name: t.name.clone(), new_tbl: t.name.clone(), new_sql: Some(new_sql) };
    super::rename::rewrite_rows(b, sc, std::slice::from_ref(&rewrite));
    super::ddl::finish_schema_change(b, t.db);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::add_column_offset;

    #[test]
    fn new_columns_go_after_the_last_column() {
        let at = |s: &str| add_column_offset(s).map(|i| s[i..].to_string());
        assert_eq!(at("CREATE TABLE t(a, b)").as_deref(), Some(")"));
        assert_eq!(at("CREATE TABLE t(a INT DEFAULT (1), b TEXT, UNIQUE(b))").as_deref(), Some(", UNIQUE(b))"));
        assert_eq!(at("CREATE TABLE t(a, b CHECK(b > 0), CONSTRAINT pk PRIMARY KEY(a))").as_deref(), Some(", CONSTRAINT pk PRIMARY KEY(a))"));
        assert_eq!(at("CREATE TABLE \"t(\"(\"a,\" /* ) */, b)").as_deref(), Some(")"));
        assert_eq!(at("CREATE TABLE t(a"), None);
    }
}
