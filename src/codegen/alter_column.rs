//! ALTER TABLE ... RENAME COLUMN and DROP COLUMN.
//!
//! Both work on the schema text the way SQLite's do, keeping every other
//! byte of it:
//! - RENAME COLUMN rewrites each token that names the column: in its own
//!   CREATE TABLE (the definition, CHECK terms, the columns of PRIMARY
//!   KEY / UNIQUE / FOREIGN KEY clauses, a self-reference), in the
//!   parent-column lists of `REFERENCES table(...)` anywhere, and in the
//!   terms and WHERE of the table's indexes. The new name is written
//!   quoted when it was quoted in the statement or the old token was.
//! - DROP COLUMN cuts the definition out of the CREATE TABLE text (from
//!   its name to the next column's name, or for the last column from the
//!   comma before it to the end of the column list), refuses PRIMARY KEY
//!   and UNIQUE columns and, with SQLite's "error in ... after drop column"
//!   messages, a schema that would name the column afterwards; then it
//!   rewrites every row without the column.
//!
//! Not yet: views and trigger bodies are not rewritten. A rename whose
//! column a view or trigger mentions fails saying so instead of leaving
//! them dangling; a drop reports them as SQLite would (the column is then
//! missing), judged from their tokens.
//!
//! Invariant: the schema text is changed only through the sqlite_schema
//! rewrite at the end, after every check has passed.

use std::sync::Arc;

use crate::error::{code, Error, Result};
use crate::parse::ast::{self, ColumnConstraintKind, Expr, TableConstraintKind};
use crate::parse::keywords::Keyword;
use crate::parse::tokenizer::{dequote, TokenKind};
use crate::schema::{SchemaSet, Table};
use crate::vdbe::{Op, Root};

use super::ddl::{finish_schema_change, open_schema_for_write};
use super::expr::walk;
use super::rename::{rewrite_rows, tokens, Rewrite};
use super::Builder;

type Tok = (TokenKind, usize, usize);

/// The table an ALTER TABLE names, with SQLite's refusals.
fn altered_table(b: &Builder<'_>, target: &ast::QualifiedName, view_msg: &str) -> Result<Arc<Table>> {
    let name = &target.name;
    let t = b.schemas.find_table(target.schema.as_deref(), name).ok_or_else(|| {
        Error::sql(match &target.schema {
            Some(s) => format!("no such table: {s}.{name}"),
            None => format!("no such table: {name}"),
        })
    })?;
    if SchemaSet::is_schema_table(&t.name) || (t.name.len() >= 7 && t.name[..7].eq_ignore_ascii_case("sqlite_")) {
        return Err(Error::sql(format!("table {} may not be altered", t.name)));
    }
    if t.is_view() {
        return Err(Error::sql(format!("{view_msg} \"{}\"", t.name)));
    }
    if t.module.is_some() {
        return Err(Error::sql("ALTER TABLE on a virtual table is not supported yet"));
    }
    Ok(t)
}

/// Whether the token is an identifier (quoted or not, or a keyword used as
/// one) spelling `name`; string literals are not.
fn is_name(sql: &str, t: &Tok, name: &str) -> bool {
    matches!(t.0, TokenKind::Id | TokenKind::Keyword(_)) && dequote(&sql[t.1..t.2]).eq_ignore_ascii_case(name)
}

/// The tokens naming the column `col` in a list of terms (an index's
/// columns and WHERE, a CHECK): identifiers, but not function names, the
/// name after COLLATE, or a qualifier before a dot.
fn refs_in(sql: &str, toks: &[Tok], col: &str, out: &mut Vec<(usize, usize)>) {
    let mut i = 0;
    while i < toks.len() {
        let t = &toks[i];
        if t.0 == TokenKind::Keyword(Keyword::Collate) {
            i += 2;
            continue;
        }
        let next = toks.get(i + 1).map(|n| n.0);
        if is_name(sql, t, col) && !matches!(next, Some(TokenKind::LParen | TokenKind::Dot)) {
            out.push((t.1, t.2));
        }
        i += 1;
    }
}

/// The index of the token closing the parenthesis opened at `open`.
fn close_of(toks: &[Tok], open: usize) -> usize {
    let mut depth = 0usize;
    for (i, t) in toks.iter().enumerate().skip(open) {
        match t.0 {
            TokenKind::LParen => depth += 1,
            TokenKind::RParen => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return i;
                }
            }
            _ => {}
        }
    }
    toks.len()
}

/// Keywords that end a column's type name.
fn ends_type(k: TokenKind) -> bool {
    matches!(
        k,
        TokenKind::Keyword(
            Keyword::Constraint
                | Keyword::Primary
                | Keyword::Not
                | Keyword::Null
                | Keyword::Unique
                | Keyword::Check
                | Keyword::Default
                | Keyword::Collate
                | Keyword::References
                | Keyword::Generated
                | Keyword::As
        ) | TokenKind::Comma
            | TokenKind::RParen
    )
}

/// One item of a CREATE TABLE column list: a column definition (its name
/// token) or a table constraint.
struct Item {
    /// For a column definition, the token index of its name.
    column_name: Option<usize>,
}

/// The items of a CREATE TABLE text and the token range of the list.
fn items(toks: &[Tok]) -> (Vec<Item>, usize, usize) {
    let Some(open) = toks.iter().position(|t| t.0 == TokenKind::LParen) else { return (Vec::new(), 0, 0) };
    let close = close_of(toks, open);
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut start = true;
    for i in open + 1..close {
        let t = &toks[i];
        if start && depth == 0 {
            start = false;
            let constraint = matches!(t.0, TokenKind::Keyword(Keyword::Constraint | Keyword::Primary | Keyword::Unique | Keyword::Check | Keyword::Foreign));
            out.push(Item { column_name: if constraint { None } else { Some(i) } });
        }
        match t.0 {
            TokenKind::LParen => depth += 1,
            TokenKind::RParen => depth = depth.saturating_sub(1),
            TokenKind::Comma if depth == 0 => start = true,
            _ => {}
        }
    }
    (out, open, close)
}

/// The tokens of `table`'s own CREATE TABLE text that name its column
/// `col`.
fn refs_in_create_table(sql: &str, toks: &[Tok], table: &str, col: &str) -> Vec<(usize, usize)> {
    let (its, open, close) = items(toks);
    let names: Vec<usize> = its.iter().filter_map(|it| it.column_name).collect();
    let mut out = Vec::new();
    let mut i = open + 1;
    while i < close {
        // A column definition: its name is a reference, the type name
        // after it is skipped.
        if names.contains(&i) {
            if is_name(sql, &toks[i], col) {
                out.push((toks[i].1, toks[i].2));
            }
            i += 1;
            let mut depth = 0usize;
            while i < close {
                let k = toks[i].0;
                if depth == 0 && ends_type(k) {
                    break;
                }
                match k {
                    TokenKind::LParen => depth += 1,
                    TokenKind::RParen => depth = depth.saturating_sub(1),
                    _ => {}
                }
                i += 1;
            }
            continue;
        }
        let t = &toks[i];
        match t.0 {
            TokenKind::Keyword(Keyword::Collate | Keyword::Constraint) => {
                i += 2;
                continue;
            }
            TokenKind::Keyword(Keyword::References) => {
                let own = toks.get(i + 1).is_some_and(|n| is_name(sql, n, table));
                if toks.get(i + 2).is_some_and(|p| p.0 == TokenKind::LParen) {
                    let end = close_of(toks, i + 2);
                    if own {
                        refs_in(sql, &toks[i + 3..end.min(toks.len())], col, &mut out);
                    }
                    i = end + 1;
                } else {
                    i += 2;
                }
                continue;
            }
            _ => {
                let next = toks.get(i + 1).map(|n| n.0);
                if is_name(sql, t, col) && !matches!(next, Some(TokenKind::LParen | TokenKind::Dot)) {
                    out.push((t.1, t.2));
                }
            }
        }
        i += 1;
    }
    out
}

/// The tokens of another CREATE TABLE text naming `table`'s column `col`
/// as a parent key: inside `REFERENCES table(...)`.
fn refs_as_parent(sql: &str, toks: &[Tok], table: &str, col: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for (i, t) in toks.iter().enumerate() {
        if t.0 == TokenKind::Keyword(Keyword::References) && toks.get(i + 1).is_some_and(|n| is_name(sql, n, table)) && toks.get(i + 2).is_some_and(|p| p.0 == TokenKind::LParen) {
            let end = close_of(toks, i + 2);
            refs_in(sql, &toks[i + 3..end.min(toks.len())], col, &mut out);
        }
    }
    out
}

/// The tokens of a CREATE INDEX text naming column `col`: after `ON
/// table (`.
fn refs_in_index(sql: &str, toks: &[Tok], col: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    if let Some(on) = toks.iter().position(|t| t.0 == TokenKind::Keyword(Keyword::On)) {
        if let Some(open) = toks.iter().skip(on).position(|t| t.0 == TokenKind::LParen) {
            refs_in(sql, &toks[on + open + 1..], col, &mut out);
        }
    }
    out
}

/// Whether a view's or trigger's text could read column `col` of
/// `table`: it has tokens naming both.
fn mentions(sql: &str, table: &str, col: &str) -> bool {
    let toks = tokens(sql);
    toks.iter().any(|t| is_name(sql, t, col)) && toks.iter().any(|t| is_name(sql, t, table))
}

/// How a view's or trigger's text first names column `col`, as SQLite's
/// "no such column" repeats it: `NEW.b` when qualified, else the name.
fn reference_text(sql: &str, col: &str) -> String {
    let toks = tokens(sql);
    for (i, t) in toks.iter().enumerate() {
        if !is_name(sql, t, col) || toks.get(i + 1).is_some_and(|n| n.0 == TokenKind::Dot) {
            continue;
        }
        if i >= 2 && toks[i - 1].0 == TokenKind::Dot && matches!(toks[i - 2].0, TokenKind::Id | TokenKind::Keyword(_)) {
            return format!("{}.{}", dequote(&sql[toks[i - 2].1..toks[i - 2].2]), dequote(&sql[t.1..t.2]));
        }
        return dequote(&sql[t.1..t.2]).to_string();
    }
    col.to_string()
}

fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// `sql` with each token range replaced by the new name: quoted when the
/// statement quoted it or the old token was quoted, as SQLite writes it.
fn replace_names(sql: &str, at: &[(usize, usize)], new: &str, new_quoted: bool) -> String {
    let mut at = at.to_vec();
    at.sort_unstable();
    at.dedup();
    let mut out = String::with_capacity(sql.len() + 8);
    let mut last = 0;
    for (s, e) in at {
        if s < last {
            continue;
        }
        out.push_str(&sql[last..s]);
        let old_quoted = matches!(sql.as_bytes().get(s), Some(b'"' | b'\'' | b'`' | b'['));
        if new_quoted || old_quoted {
            out.push_str(&quoted(new));
        } else {
            out.push_str(new);
        }
        last = e;
    }
    out.push_str(&sql[last..]);
    out
}

pub fn compile_rename_column(b: &mut Builder<'_>, target: &ast::QualifiedName, old: &str, new: &str, new_quoted: bool) -> Result<()> {
    let t = altered_table(b, target, "cannot rename columns of view")?;
    let Some(ci) = t.columns.iter().position(|c| c.name.eq_ignore_ascii_case(old)) else {
        return Err(Error::sql(format!("no such column: \"{old}\"")));
    };
    let col = t.columns[ci].name.clone();
    if t.columns.iter().enumerate().any(|(i, c)| i != ci && c.name.eq_ignore_ascii_case(new)) {
        return Err(Error::sql(format!("error in table {} after rename: duplicate column name: {new}", t.name)));
    }
    let db = t.db;
    let schema = b.schemas.get(db);
    for v in schema.tables().filter(|v| v.is_view()) {
        if mentions(&v.sql, &t.name, &col) {
            return Err(Error::sql(format!("ALTER TABLE RENAME COLUMN of a column that view {} may refer to is not supported yet", v.name)));
        }
    }
    for trig in schema.triggers.values() {
        if mentions(&trig.sql, &t.name, &col) {
            return Err(Error::sql(format!("ALTER TABLE RENAME COLUMN of a column that trigger {} may refer to is not supported yet", trig.name)));
        }
    }
    let mut rewrites = Vec::new();
    for other in schema.tables().filter(|x| !x.is_view() && x.module.is_none()) {
        let toks = tokens(&other.sql);
        let at = if other.name.eq_ignore_ascii_case(&t.name) { refs_in_create_table(&other.sql, &toks, &t.name, &col) } else { refs_as_parent(&other.sql, &toks, &t.name, &col) };
        if !at.is_empty() {
            rewrites.push(Rewrite { kind: "table", name: other.name.clone(), new_name: other.name.clone(), new_tbl: other.name.clone(), new_sql: Some(replace_names(&other.sql, &at, new, new_quoted)) });
        }
    }
    for ix in b.schemas.indexes_of(&t) {
        if let Some(sql) = &ix.sql {
            let at = refs_in_index(sql, &tokens(sql), &col);
            if !at.is_empty() {
                rewrites.push(Rewrite { kind: "index", name: ix.name.clone(), new_name: ix.name.clone(), new_tbl: ix.table.clone(), new_sql: Some(replace_names(sql, &at, new, new_quoted)) });
            }
        }
    }
    // The rewritten table must still be a valid table.
    if let Some(r) = rewrites.iter().find(|r| r.kind == "table" && r.name.eq_ignore_ascii_case(&t.name)) {
        let sql = r.new_sql.clone().unwrap_or_default();
        let parsed = crate::parse::Parser::new(&sql).next_stmt().map_err(|e| Error::sql(format!("error in table {} after rename: {}", t.name, e.message())))?;
        if !matches!(parsed.map(|p| p.stmt), Some(ast::Stmt::CreateTable(_))) {
            return Err(Error::with_message(code::CORRUPT, "malformed CREATE TABLE text"));
        }
    }
    let sc = open_schema_for_write(b, db);
    rewrite_rows(b, sc, &rewrites);
    finish_schema_change(b, db);
    Ok(())
}

/// Where DROP COLUMN cuts the CREATE TABLE text: the byte range removed.
fn drop_range(sql: &str, toks: &[Tok], ci: usize) -> Option<(usize, usize)> {
    let (its, _, _) = items(toks);
    let cols: Vec<usize> = its.iter().filter_map(|it| it.column_name).collect();
    let start_tok = *cols.get(ci)?;
    let start = toks[start_tok].1;
    if let Some(&next) = cols.get(ci + 1) {
        return Some((start, toks[next].1));
    }
    // The last column: from the comma before it to the end of the column
    // list (where ADD COLUMN would insert).
    let end = super::alter::add_column_offset(sql)?;
    let comma = sql[..start].rfind(',')?;
    Some((comma, end))
}

fn after_drop(kind: &str, name: &str, msg: &str) -> Error {
    Error::sql(format!("error in {kind} {name} after drop column: {msg}"))
}

/// Whether an expression reads a column named `col`.
fn reads_column(e: &Expr, col: &str) -> bool {
    let mut found = false;
    walk(e, &mut |x| {
        match x {
            Expr::Column { column, .. } if column.eq_ignore_ascii_case(col) => found = true,
            Expr::DoubleQuotedId(n) if n.eq_ignore_ascii_case(col) => found = true,
            _ => {}
        }
        !found
    });
    found
}

/// SQLite's check of the table text left by DROP COLUMN: UNIQUE, PRIMARY
/// KEY and FOREIGN KEY clauses in order, then the CHECK constraints.
fn check_new_table(ct: &ast::CreateTable, table: &str, col: &str) -> Result<()> {
    let ast::CreateTableBody::Columns { columns, constraints, .. } = &ct.body else { return Ok(()) };
    for c in constraints {
        match &c.kind {
            TableConstraintKind::PrimaryKey { columns: cols, .. } | TableConstraintKind::Unique { columns: cols, .. } => {
                for ic in cols {
                    if reads_column(&ic.expr, col) {
                        return Err(after_drop("table", table, &format!("no such column: {col}")));
                    }
                }
            }
            TableConstraintKind::ForeignKey { columns: cols, .. } => {
                if let Some(c) = cols.iter().find(|c| c.eq_ignore_ascii_case(col)) {
                    return Err(after_drop("table", table, &format!("unknown column \"{c}\" in foreign key definition")));
                }
            }
            TableConstraintKind::Check(_) => {}
        }
    }
    let column_checks = columns.iter().flat_map(|c| c.constraints.iter()).filter_map(|k| match &k.kind {
        ColumnConstraintKind::Check(e) => Some(e),
        _ => None,
    });
    let table_checks = constraints.iter().filter_map(|c| match &c.kind {
        TableConstraintKind::Check(e) => Some(e),
        _ => None,
    });
    for e in column_checks.chain(table_checks) {
        if reads_column(e, col) {
            return Err(after_drop("table", table, &format!("no such column: {col}")));
        }
    }
    Ok(())
}

pub fn compile_drop_column(b: &mut Builder<'_>, target: &ast::QualifiedName, name: &str) -> Result<()> {
    let t = altered_table(b, target, "cannot drop column from view")?;
    let Some(ci) = t.columns.iter().position(|c| c.name.eq_ignore_ascii_case(name)) else {
        return Err(Error::sql(format!("no such column: \"{name}\"")));
    };
    let col = t.columns[ci].name.clone();
    // PRIMARY KEY and UNIQUE columns, as SQLite flags them: any primary
    // key column, a column UNIQUE by itself.
    let indexes = b.schemas.indexes_of(&t);
    let in_pk = t.rowid_alias == Some(ci) || t.pk_columns().contains(&ci) || indexes.iter().any(|ix| ix.origin == crate::schema::IndexOrigin::PrimaryKey && ix.columns.iter().any(|c| c.column == Some(ci)));
    if in_pk {
        return Err(Error::sql(format!("cannot drop PRIMARY KEY column: \"{col}\"")));
    }
    let unique = indexes.iter().any(|ix| ix.origin == crate::schema::IndexOrigin::Unique && ix.columns.len() == 1 && ix.columns[0].column == Some(ci));
    if unique {
        return Err(Error::sql(format!("cannot drop UNIQUE column: \"{col}\"")));
    }
    if t.columns.len() <= 1 {
        return Err(Error::sql(format!("cannot drop column \"{col}\": no other columns exist")));
    }
    let toks = tokens(&t.sql);
    let (s, e) = drop_range(&t.sql, &toks, ci).ok_or_else(|| Error::with_message(code::CORRUPT, "malformed CREATE TABLE text"))?;
    let new_sql = format!("{}{}", &t.sql[..s], &t.sql[e..]);
    let parsed = crate::parse::Parser::new(&new_sql).next_stmt().map_err(|e| after_drop("table", &t.name, e.message()))?;
    let Some(ast::Stmt::CreateTable(ct)) = parsed.map(|p| p.stmt) else {
        return Err(Error::with_message(code::CORRUPT, "malformed CREATE TABLE text"));
    };
    check_new_table(&ct, &t.name, &col)?;
    let new_table = Table { db: t.db, ..crate::schema::Schema::table_from_ast(&ct, t.root, new_sql.clone()).map_err(|e| after_drop("table", &t.name, e.message()))? };
    super::generated::validate(b, &new_table).map_err(|e| after_drop("table", &t.name, e.message()))?;
    for ix in &indexes {
        let uses = ix.columns.iter().any(|c| c.column == Some(ci) || c.expr.as_ref().is_some_and(|e| reads_column(e, &col))) || ix.partial.as_ref().is_some_and(|w| reads_column(w, &col));
        if uses {
            return Err(after_drop("index", &ix.name, &format!("no such column: {col}")));
        }
    }
    let db = t.db;
    let schema = b.schemas.get(db);
    for v in schema.tables().filter(|v| v.is_view()) {
        if mentions(&v.sql, &t.name, &col) {
            return Err(after_drop("view", &v.name, &format!("no such column: {}", reference_text(&v.sql, &col))));
        }
    }
    for trig in schema.triggers.values() {
        if mentions(&trig.sql, &t.name, &col) {
            return Err(after_drop("trigger", &trig.name, &format!("no such column: {}", reference_text(&trig.sql, &col))));
        }
    }
    // The rows, without the column.
    let c = b.alloc_cursor();
    b.emit(Op::OpenWrite { cursor: c, db, root: Root::Page(t.root), kind: t.tree_kind(), key_info: t.cursor_key_info() });
    let done = b.new_label();
    b.emit(Op::Rewind { cursor: c, target: done });
    let top = b.addr();
    // The record keeps the fields of the other columns that are not
    // VIRTUAL (for a WITHOUT ROWID table, in the new table's field
    // order: PRIMARY KEY first, which the dropped column is not part of).
    let n = new_table.stored_count();
    let regs = b.alloc_regs(n);
    let mut k = 0;
    for j in 0..t.columns.len() {
        if j == ci || t.is_virtual(j) {
            continue;
        }
        let dest = if t.without_rowid { regs + new_table.record_field(if j > ci { j - 1 } else { j }) } else { regs + k };
        if t.rowid_alias == Some(j) {
            b.emit(Op::Null { dest, count: 1 });
        } else {
            b.emit(Op::Column { cursor: c, column: t.storage_index(j), dest, default: t.column_default(j) });
        }
        k += 1;
    }
    let rec = b.alloc_reg();
    let rowid = b.alloc_reg();
    b.emit(Op::MakeRecord { start: regs, count: n, dest: rec });
    b.emit(Op::Rowid { cursor: c, dest: rowid });
    b.emit(Op::Insert { cursor: c, record: rec, rowid, count_change: false, set_last_rowid: false, hook: None });
    b.emit(Op::Next { cursor: c, target: top });
    b.resolve(done);
    let sc = open_schema_for_write(b, db);
    let rewrite = Rewrite { kind: "table", name: t.name.clone(), new_name: t.name.clone(), new_tbl: t.name.clone(), new_sql: Some(new_sql) };
    rewrite_rows(b, sc, std::slice::from_ref(&rewrite));
    finish_schema_change(b, db);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn renamed(sql: &str, table: &str, col: &str, new: &str) -> String {
        let toks = tokens(sql);
        replace_names(sql, &refs_in_create_table(sql, &toks, table, col), new, false)
    }

    #[test]
    fn a_rename_rewrites_the_definition_and_the_constraints_but_not_types_or_collations() {
        assert_eq!(
            renamed("CREATE TABLE s(a, b REFERENCES s(a), c COLLATE a, d a, CONSTRAINT a CHECK(a > 0))", "s", "a", "x"),
            "CREATE TABLE s(x, b REFERENCES s(x), c COLLATE a, d a, CONSTRAINT a CHECK(x > 0))"
        );
        assert_eq!(
            renamed("CREATE TABLE t(\"b\" TEXT CHECK(b <> 'b'), e, FOREIGN KEY (b) REFERENCES p(b))", "t", "b", "bee"),
            "CREATE TABLE t(\"bee\" TEXT CHECK(bee <> 'b'), e, FOREIGN KEY (bee) REFERENCES p(b))"
        );
    }

    #[test]
    fn a_drop_cuts_from_the_name_to_the_next_column_or_from_the_comma_before_the_last() {
        let cut = |sql: &str, ci: usize| {
            let (s, e) = drop_range(sql, &tokens(sql), ci).unwrap();
            format!("{}{}", &sql[..s], &sql[e..])
        };
        assert_eq!(cut("CREATE TABLE u(a, b, c, d)", 1), "CREATE TABLE u(a, c, d)");
        assert_eq!(cut("CREATE TABLE u(a, b, c, d)", 0), "CREATE TABLE u(b, c, d)");
        assert_eq!(cut("CREATE TABLE v1(a, b /* x */ , c INT DEFAULT 3 , d)", 3), "CREATE TABLE v1(a, b /* x */ , c INT DEFAULT 3 )");
        assert_eq!(cut("CREATE TABLE w(a, b, c, CHECK(a > 0))", 2), "CREATE TABLE w(a, b, CHECK(a > 0))");
    }
}
