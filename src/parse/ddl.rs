//! Schema statements: CREATE TABLE (columns, constraints, options, AS
//! SELECT), CREATE INDEX, CREATE VIEW, CREATE TRIGGER (with its body),
//! CREATE VIRTUAL TABLE, DROP, ALTER TABLE and PRAGMA.
//!
//! Invariants: `ColumnDef.type_name` is the declared type's source text from
//! its first to its last token (SQLite's own post-processing, such as
//! dropping a trailing "GENERATED ALWAYS" or dequoting, is left to the
//! consumer, which sees exactly what SQLite's sqlite3AddColumn sees);
//! `Default.text` is the text SQLite shows as `dflt_value`.

use super::ast::*;
use super::keywords::Keyword;
use super::tokenizer::{self, TokenKind};
use super::{PResult, Parser};
use crate::error::Error;

impl<'a> Parser<'a> {
    pub(super) fn create(&mut self) -> PResult<Stmt> {
        self.expect_kw(Keyword::Create)?;
        let temporary = self.eat_kw(Keyword::Temp) || self.eat_kw(Keyword::Temporary);
        let t = self.peek();
        match t.kind {
            TokenKind::Keyword(Keyword::Table) => {
                self.advance();
                self.create_table(temporary)
            }
            TokenKind::Keyword(Keyword::View) => {
                self.advance();
                let if_not_exists = self.if_not_exists()?;
                let (name, at) = self.qualified_name_at()?;
                self.check_temp_name(temporary, &name)?;
                self.schema_text = super::SchemaText::View { name: at };
                let columns = if self.eat(TokenKind::LParen) {
                    let c = self.eidlist()?;
                    self.expect(TokenKind::RParen)?;
                    c
                } else {
                    Vec::new()
                };
                self.expect_kw(Keyword::As)?;
                let select = Box::new(self.select()?);
                Ok(Stmt::CreateView(Box::new(CreateView {
                    temporary,
                    if_not_exists,
                    name,
                    columns,
                    select,
                })))
            }
            TokenKind::Keyword(Keyword::Trigger) => {
                self.advance();
                self.create_trigger(temporary)
            }
            TokenKind::Keyword(Keyword::Unique | Keyword::Index) if !temporary => {
                let unique = self.eat_kw(Keyword::Unique);
                self.expect_kw(Keyword::Index)?;
                let if_not_exists = self.if_not_exists()?;
                let (name, at) = self.qualified_name_at()?;
                self.schema_text = super::SchemaText::Index { name: at, unique };
                self.expect_kw(Keyword::On)?;
                let table = self.nm()?;
                self.expect(TokenKind::LParen)?;
                let columns = self.indexed_columns()?;
                self.expect(TokenKind::RParen)?;
                let where_ = if self.eat_kw(Keyword::Where) { Some(self.expr()?) } else { None };
                Ok(Stmt::CreateIndex(Box::new(CreateIndex {
                    unique,
                    if_not_exists,
                    name,
                    table,
                    columns,
                    where_,
                })))
            }
            TokenKind::Keyword(Keyword::Virtual) if !temporary => {
                self.advance();
                self.expect_kw(Keyword::Table)?;
                self.create_virtual_table()
            }
            _ => Err(self.error_at(t)),
        }
    }

    /// SQLite refuses a TEMP table or view qualified by a schema other
    /// than "temp" as soon as it has read the name.
    /// The check runs when SQLite reduces the name, i.e. once the next
    /// token (which must be `(` or AS) has been read.
    fn check_temp_name(&mut self, temporary: bool, name: &QualifiedName) -> PResult<()> {
        match &name.schema {
            Some(s) if temporary && !s.eq_ignore_ascii_case("temp") => {
                let e = Error::sql("temporary table name must be unqualified");
                Err(self.error_on_reduce(e, |k| {
                    matches!(k, TokenKind::LParen | TokenKind::Keyword(Keyword::As))
                }))
            }
            _ => Ok(()),
        }
    }

    fn create_table(&mut self, temporary: bool) -> PResult<Stmt> {
        let if_not_exists = self.if_not_exists()?;
        let (name, at) = self.qualified_name_at()?;
        self.check_temp_name(temporary, &name)?;
        if self.eat_kw(Keyword::As) {
            let s = self.select()?;
            return Ok(Stmt::CreateTable(Box::new(CreateTable {
                temporary,
                if_not_exists,
                name,
                body: CreateTableBody::AsSelect(Box::new(s)),
            })));
        }
        self.expect(TokenKind::LParen)?;
        let mut columns = Vec::new();
        let mut constraints = Vec::new();
        loop {
            columns.push(self.column_def()?);
            if !self.eat(TokenKind::Comma) {
                break;
            }
            if self.at_table_constraint() {
                self.table_constraints(&mut constraints)?;
                break;
            }
        }
        let rp_end = self.expect(TokenKind::RParen)?.end;
        // table_option_set: options separated by commas; the set may be
        // empty before a comma (`) , STRICT` is accepted).
        let (mut without_rowid, mut strict) = (false, false);
        let mut first = true;
        loop {
            let at_option = self.is_kw(Keyword::Without) || self.at_nm();
            if !at_option {
                if first && self.kind() == TokenKind::Comma {
                    self.advance();
                    first = false;
                    continue;
                }
                if first {
                    break;
                }
                return Err(self.syntax_error());
            }
            let without = self.eat_kw(Keyword::Without);
            let t = self.peek();
            self.nm()?;
            let text = self.text(t);
            let ok = if without {
                text.eq_ignore_ascii_case("rowid")
            } else {
                text.eq_ignore_ascii_case("strict")
            };
            if !ok {
                let e = Error::sql(format!("unknown table option: {text}"));
                return Err(self.error_on_reduce(e, |k| {
                    matches!(k, TokenKind::Comma | TokenKind::Semi | TokenKind::Eof)
                }));
            }
            if without {
                without_rowid = true;
            } else {
                strict = true;
            }
            first = false;
            if !self.eat(TokenKind::Comma) {
                break;
            }
        }
        let options = without_rowid || strict;
        self.schema_text = super::SchemaText::Table { name: at, rp_end, options };
        Ok(Stmt::CreateTable(Box::new(CreateTable {
            temporary,
            if_not_exists,
            name,
            body: CreateTableBody::Columns { columns, constraints, without_rowid, strict },
        })))
    }

    fn at_table_constraint(&mut self) -> bool {
        matches!(
            self.kind(),
            TokenKind::Keyword(
                Keyword::Constraint
                    | Keyword::Primary
                    | Keyword::Unique
                    | Keyword::Check
                    | Keyword::Foreign
            )
        )
    }

    /// `nm typetoken carglist`
    pub(super) fn column_def(&mut self) -> PResult<ColumnDef> {
        let name = self.nm()?;
        let type_name = self.type_name()?;
        let mut constraints = Vec::new();
        let mut cname: Option<String> = None;
        let mut check_text: Option<String> = None;
        loop {
            let t = self.peek();
            let kind = match t.kind {
                TokenKind::Keyword(Keyword::Constraint) => {
                    self.advance();
                    cname = Some(self.nm()?);
                    continue;
                }
                TokenKind::Keyword(Keyword::Default) => {
                    self.advance();
                    self.default_value()?
                }
                TokenKind::Keyword(Keyword::Null) => {
                    self.advance();
                    self.onconf()?;
                    ColumnConstraintKind::Null
                }
                TokenKind::Keyword(Keyword::Not) if self.is_kw_n(1, Keyword::Null) => {
                    self.advance();
                    self.advance();
                    ColumnConstraintKind::NotNull { conflict: self.onconf()? }
                }
                TokenKind::Keyword(Keyword::Not) | TokenKind::Keyword(Keyword::Deferrable) => {
                    let deferred = self.defer_subclause()?;
                    for c in constraints.iter_mut().rev() {
                        if let ColumnConstraint {
                            kind: ColumnConstraintKind::References(fk), ..
                        } = c
                        {
                            fk.deferred = deferred;
                            break;
                        }
                    }
                    continue;
                }
                TokenKind::Keyword(Keyword::Primary) => {
                    self.advance();
                    self.expect_kw(Keyword::Key)?;
                    let order = if self.eat_kw(Keyword::Asc) {
                        Some(SortOrder::Asc)
                    } else if self.eat_kw(Keyword::Desc) {
                        Some(SortOrder::Desc)
                    } else {
                        None
                    };
                    let conflict = self.onconf()?;
                    let autoincrement = self.eat_kw(Keyword::Autoincrement);
                    ColumnConstraintKind::PrimaryKey { order, conflict, autoincrement }
                }
                TokenKind::Keyword(Keyword::Unique) => {
                    self.advance();
                    ColumnConstraintKind::Unique { conflict: self.onconf()? }
                }
                TokenKind::Keyword(Keyword::Check) => {
                    self.advance();
                    let (e, text) = self.check_body()?;
                    check_text = Some(text);
                    ColumnConstraintKind::Check(e)
                }
                TokenKind::Keyword(Keyword::References) => {
                    self.advance();
                    ColumnConstraintKind::References(self.fk_clause()?)
                }
                TokenKind::Keyword(Keyword::Collate) => {
                    self.advance();
                    ColumnConstraintKind::Collate(self.ids()?)
                }
                TokenKind::Keyword(Keyword::Generated) | TokenKind::Keyword(Keyword::As) => {
                    if self.eat_kw(Keyword::Generated) {
                        self.expect_kw(Keyword::Always)?;
                    }
                    self.expect_kw(Keyword::As)?;
                    self.expect(TokenKind::LParen)?;
                    let e = self.expr()?;
                    self.expect(TokenKind::RParen)?;
                    let mut stored = false;
                    if Self::is_id_kind(self.kind()) && !self.is_kw(Keyword::Indexed) {
                        let t = self.advance();
                        let w = self.text(t);
                        if w.eq_ignore_ascii_case("stored") {
                            stored = true;
                        } else if !w.eq_ignore_ascii_case("virtual") {
                            let e = Error::sql(format!("error in generated column \"{name}\""));
                            return Err(self.error_on_reduce(e, Self::follows_column_constraint));
                        }
                    }
                    ColumnConstraintKind::Generated { expr: e, stored }
                }
                _ => break,
            };
            // The name stays in force for the rest of the column definition.
            constraints.push(ColumnConstraint { name: cname.clone(), kind, text: check_text.take() });
        }
        Ok(ColumnDef { name, type_name, constraints })
    }

    /// Tokens that may follow a column constraint.
    fn follows_column_constraint(k: TokenKind) -> bool {
        matches!(
            k,
            TokenKind::Comma
                | TokenKind::RParen
                | TokenKind::Semi
                | TokenKind::Eof
                | TokenKind::Keyword(
                    Keyword::Constraint
                        | Keyword::Default
                        | Keyword::Null
                        | Keyword::Not
                        | Keyword::Primary
                        | Keyword::Unique
                        | Keyword::Check
                        | Keyword::References
                        | Keyword::Collate
                        | Keyword::Generated
                        | Keyword::As
                        | Keyword::Deferrable
                )
        )
    }

    /// The value after DEFAULT, with the text SQLite keeps for it.
    fn default_value(&mut self) -> PResult<ColumnConstraintKind> {
        let t = self.peek();
        match t.kind {
            TokenKind::LParen => {
                // The text between the parentheses, trimmed of whitespace.
                self.advance();
                let start = t.end;
                let e = self.expr()?;
                let end = self.peek().start.max(start);
                self.expect(TokenKind::RParen)?;
                let text = self
                    .sql
                    .get(start..end)
                    .unwrap_or("")
                    .trim_matches(|c| matches!(c, ' ' | '\t' | '\n' | '\x0b' | '\x0c' | '\r'))
                    .to_string();
                Ok(ColumnConstraintKind::Default { expr: e, text })
            }
            TokenKind::Plus | TokenKind::Minus => {
                self.advance();
                let lit = self.default_term()?;
                let text = self.sql.get(t.start..self.prev_end()).unwrap_or("").to_string();
                let expr = if t.kind == TokenKind::Minus {
                    Expr::Unary(UnaryOp::Neg, Box::new(lit))
                } else {
                    lit
                };
                Ok(ColumnConstraintKind::Default { expr, text })
            }
            k if Self::is_id_kind(k) && !self.is_term_start() => {
                self.advance();
                let text = self.text(t);
                let word = tokenizer::dequote(text);
                let expr = if word.eq_ignore_ascii_case("true") || word.eq_ignore_ascii_case("false")
                {
                    Expr::Column { schema: None, table: None, column: word }
                } else {
                    Expr::Literal(Literal::String(word))
                };
                Ok(ColumnConstraintKind::Default { expr, text: text.to_string() })
            }
            _ => {
                let expr = self.default_term()?;
                Ok(ColumnConstraintKind::Default { expr, text: self.text(t).to_string() })
            }
        }
    }

    fn is_term_start(&mut self) -> bool {
        matches!(
            self.kind(),
            TokenKind::Keyword(
                Keyword::CurrentDate | Keyword::CurrentTime | Keyword::CurrentTimestamp
            )
        )
    }

    /// `term`: a literal (NULL, number, string, blob, CURRENT_*).
    fn default_term(&mut self) -> PResult<Expr> {
        match self.kind() {
            TokenKind::Integer
            | TokenKind::Float
            | TokenKind::QNumber
            | TokenKind::String
            | TokenKind::Blob
            | TokenKind::Keyword(
                Keyword::Null
                | Keyword::CurrentDate
                | Keyword::CurrentTime
                | Keyword::CurrentTimestamp,
            ) => {
                if self.kind() == TokenKind::String && self.kind_n(1) == TokenKind::Dot {
                    // A string is a term here, never a table name.
                    let t = self.advance();
                    return Ok(Expr::Literal(Literal::String(tokenizer::dequote(self.text(t)))));
                }
                // primary() reads exactly one literal token here.
                self.primary()
            }
            _ => Err(self.syntax_error()),
        }
    }

    /// `[ON CONFLICT resolvetype]`
    fn onconf(&mut self) -> PResult<Option<ConflictResolution>> {
        if self.is_kw(Keyword::On) {
            self.advance();
            self.expect_kw(Keyword::Conflict)?;
            Ok(Some(self.resolve_type()?))
        } else {
            Ok(None)
        }
    }

    /// `[NOT] DEFERRABLE [INITIALLY DEFERRED|IMMEDIATE]`; true when the
    /// constraint is deferred.
    fn defer_subclause(&mut self) -> PResult<bool> {
        let not = self.eat_kw(Keyword::Not);
        self.expect_kw(Keyword::Deferrable)?;
        let mut deferred = false;
        if self.eat_kw(Keyword::Initially) {
            if self.eat_kw(Keyword::Deferred) {
                deferred = true;
            } else {
                self.expect_kw(Keyword::Immediate)?;
            }
        }
        Ok(deferred && !not)
    }

    /// `nm [(eidlist)] refargs [defer_subclause]` after REFERENCES.
    fn fk_clause(&mut self) -> PResult<ForeignKeyClause> {
        let table = self.nm()?;
        let columns = if self.eat(TokenKind::LParen) {
            let c = self.eidlist()?;
            self.expect(TokenKind::RParen)?;
            c
        } else {
            Vec::new()
        };
        let mut fk = ForeignKeyClause { table, columns, on_delete: None, on_update: None, deferred: false };
        loop {
            if self.eat_kw(Keyword::Match) {
                self.nm()?;
            } else if self.is_kw(Keyword::On) {
                self.advance();
                let t = self.peek();
                if !matches!(
                    t.kind,
                    TokenKind::Keyword(Keyword::Delete | Keyword::Update | Keyword::Insert)
                ) {
                    return Err(self.error_at(t));
                }
                self.advance();
                let action = self.fk_action()?;
                match t.kind {
                    TokenKind::Keyword(Keyword::Delete) => fk.on_delete = Some(action),
                    TokenKind::Keyword(Keyword::Update) => fk.on_update = Some(action),
                    _ => {}
                }
            } else {
                break;
            }
        }
        Ok(fk)
    }

    fn fk_action(&mut self) -> PResult<ForeignKeyAction> {
        let t = self.advance();
        match t.kind {
            TokenKind::Keyword(Keyword::Set) => {
                let t2 = self.advance();
                match t2.kind {
                    TokenKind::Keyword(Keyword::Null) => Ok(ForeignKeyAction::SetNull),
                    TokenKind::Keyword(Keyword::Default) => Ok(ForeignKeyAction::SetDefault),
                    _ => Err(self.error_at(t2)),
                }
            }
            TokenKind::Keyword(Keyword::Cascade) => Ok(ForeignKeyAction::Cascade),
            TokenKind::Keyword(Keyword::Restrict) => Ok(ForeignKeyAction::Restrict),
            TokenKind::Keyword(Keyword::No) => {
                self.expect_kw(Keyword::Action)?;
                Ok(ForeignKeyAction::NoAction)
            }
            _ => Err(self.error_at(t)),
        }
    }

    /// Table constraints, separated by optional commas.
    fn table_constraints(&mut self, out: &mut Vec<TableConstraint>) -> PResult<()> {
        let mut name: Option<String> = None;
        let mut check_text: Option<String> = None;
        loop {
            let t = self.peek();
            let kind = match t.kind {
                TokenKind::Keyword(Keyword::Constraint) => {
                    // `CONSTRAINT nm` is a table constraint on its own; it
                    // names the constraint that follows, if any.
                    self.advance();
                    name = Some(self.nm()?);
                    if self.kind() == TokenKind::RParen {
                        return Ok(());
                    }
                    if self.eat(TokenKind::Comma) {
                        // A comma ends the naming (SQLite resets it there).
                        name = None;
                    }
                    continue;
                }
                TokenKind::Keyword(Keyword::Primary) => {
                    self.advance();
                    self.expect_kw(Keyword::Key)?;
                    self.expect(TokenKind::LParen)?;
                    let columns = self.indexed_columns()?;
                    let autoincrement = self.eat_kw(Keyword::Autoincrement);
                    self.expect(TokenKind::RParen)?;
                    let conflict = self.onconf()?;
                    TableConstraintKind::PrimaryKey { columns, conflict, autoincrement }
                }
                TokenKind::Keyword(Keyword::Unique) => {
                    self.advance();
                    self.expect(TokenKind::LParen)?;
                    let columns = self.indexed_columns()?;
                    self.expect(TokenKind::RParen)?;
                    let conflict = self.onconf()?;
                    TableConstraintKind::Unique { columns, conflict }
                }
                TokenKind::Keyword(Keyword::Check) => {
                    self.advance();
                    let (e, text) = self.check_body()?;
                    self.onconf()?;
                    check_text = Some(text);
                    TableConstraintKind::Check(e)
                }
                TokenKind::Keyword(Keyword::Foreign) => {
                    self.advance();
                    self.expect_kw(Keyword::Key)?;
                    self.expect(TokenKind::LParen)?;
                    let columns = self.eidlist()?;
                    self.expect(TokenKind::RParen)?;
                    self.expect_kw(Keyword::References)?;
                    let mut clause = self.fk_clause()?;
                    if self.is_kw(Keyword::Deferrable) || self.is_kw(Keyword::Not) {
                        clause.deferred = self.defer_subclause()?;
                    }
                    TableConstraintKind::ForeignKey { columns, clause }
                }
                _ => return Err(self.error_at(t)),
            };
            out.push(TableConstraint { name: name.clone(), kind, text: check_text.take() });
            if self.kind() == TokenKind::RParen {
                return Ok(());
            }
            if self.eat(TokenKind::Comma) {
                // A comma ends the naming (SQLite resets it there).
                name = None;
            }
        }
    }

    fn create_trigger(&mut self, temporary: bool) -> PResult<Stmt> {
        let if_not_exists = self.if_not_exists()?;
        let (name, at) = self.qualified_name_at()?;
        if temporary && name.schema.is_some() {
            return Err(Error::sql("temporary trigger may not have qualified name"));
        }
        let time = if self.eat_kw(Keyword::Before) {
            TriggerTime::Before
        } else if self.eat_kw(Keyword::After) {
            TriggerTime::After
        } else if self.eat_kw(Keyword::Instead) {
            self.expect_kw(Keyword::Of)?;
            TriggerTime::InsteadOf
        } else {
            TriggerTime::Before
        };
        let t = self.advance();
        let event = match t.kind {
            TokenKind::Keyword(Keyword::Delete) => TriggerEvent::Delete,
            TokenKind::Keyword(Keyword::Insert) => TriggerEvent::Insert,
            TokenKind::Keyword(Keyword::Update) => {
                if self.eat_kw(Keyword::Of) {
                    TriggerEvent::Update(self.idlist()?)
                } else {
                    TriggerEvent::Update(Vec::new())
                }
            }
            _ => return Err(self.error_at(t)),
        };
        self.expect_kw(Keyword::On)?;
        let table = self.qualified_name()?;
        let for_each_row = if self.eat_kw(Keyword::For) {
            self.expect_kw(Keyword::Each)?;
            self.expect_kw(Keyword::Row)?;
            true
        } else {
            false
        };
        let when = if self.eat_kw(Keyword::When) { Some(self.expr()?) } else { None };
        self.expect_kw(Keyword::Begin)?;
        let mut body = Vec::new();
        self.in_trigger = true;
        loop {
            body.push(self.trigger_cmd()?);
            self.expect(TokenKind::Semi)?;
            if self.is_kw(Keyword::End) {
                let end = self.advance().end;
                self.schema_text = super::SchemaText::Trigger { name: at, end };
                break;
            }
        }
        self.in_trigger = false;
        if !self.params.is_empty() {
            let e = Error::sql("trigger cannot use variables");
            return Err(self.error_on_reduce(e, |k| k == TokenKind::Semi));
        }
        Ok(Stmt::CreateTrigger(Box::new(CreateTrigger {
            temporary,
            if_not_exists,
            name,
            time,
            event,
            table,
            for_each_row,
            when,
            body,
        })))
    }

    /// One statement of a trigger body.
    fn trigger_cmd(&mut self) -> PResult<Stmt> {
        const QUALIFIED: &str = "qualified table names are not allowed on INSERT, UPDATE, and DELETE statements within triggers";
        let semi = |k: TokenKind| k == TokenKind::Semi;
        let t = self.peek();
        // Errors SQLite raises when it reduces the command, i.e. on the `;`.
        let (stmt, qualified, returning) = match t.kind {
            TokenKind::Keyword(Keyword::Update) => {
                let u = self.update(None)?;
                let q = u.table.schema.is_some();
                (Stmt::Update(Box::new(u)), q, false)
            }
            TokenKind::Keyword(Keyword::Delete) => {
                let d = self.delete(None)?;
                let q = d.table.schema.is_some();
                (Stmt::Delete(Box::new(d)), q, false)
            }
            TokenKind::Keyword(Keyword::Insert | Keyword::Replace) => {
                let i = self.insert(None)?;
                let q = i.table.schema.is_some();
                let r = !i.returning.is_empty();
                (Stmt::Insert(Box::new(i)), q, r)
            }
            TokenKind::Keyword(Keyword::Select | Keyword::Values | Keyword::With) => {
                (Stmt::Select(Box::new(self.select()?)), false, false)
            }
            _ => return Err(self.error_at(t)),
        };
        if returning {
            let e = Error::sql("cannot use RETURNING in a trigger");
            return Err(self.error_on_reduce(e, semi));
        }
        if qualified {
            return Err(self.error_on_reduce(Error::sql(QUALIFIED), semi));
        }
        Ok(stmt)
    }

    /// INDEXED BY / NOT INDEXED on UPDATE or DELETE inside a trigger body:
    /// refused as soon as SQLite reduces the clause (on the next token).
    pub(super) fn check_trigger_indexed(
        &mut self,
        indexed: &Option<Indexed>,
        follows: fn(TokenKind) -> bool,
    ) -> PResult<()> {
        let msg = match indexed {
            Some(Indexed::By(_)) => "the INDEXED BY clause is not allowed on UPDATE or DELETE statements within triggers",
            Some(Indexed::NotIndexed) => "the NOT INDEXED clause is not allowed on UPDATE or DELETE statements within triggers",
            None => return Ok(()),
        };
        if !self.in_trigger {
            return Ok(());
        }
        Err(self.error_on_reduce(Error::sql(msg), follows))
    }

    fn create_virtual_table(&mut self) -> PResult<Stmt> {
        let if_not_exists = self.if_not_exists()?;
        let (name, at) = self.qualified_name_at()?;
        self.expect_kw(Keyword::Using)?;
        let module = self.nm()?;
        self.schema_text = super::SchemaText::VirtualTable { name: at, end: self.prev_end() };
        let mut args = Vec::new();
        if self.eat(TokenKind::LParen) {
            let mut depth = 0u32;
            let mut start: Option<usize> = None;
            let mut end = 0;
            loop {
                let t = self.peek();
                match t.kind {
                    TokenKind::Eof => return Err(self.error_at(t)),
                    TokenKind::Illegal => return Err(self.error_at(t)),
                    TokenKind::RParen if depth == 0 => {
                        if let Some(s) = start {
                            args.push(self.sql[s..end].to_string());
                        }
                        let rp = self.advance();
                        self.schema_text = super::SchemaText::VirtualTable { name: at, end: rp.end };
                        break;
                    }
                    TokenKind::Comma if depth == 0 => {
                        if let Some(s) = start.take() {
                            args.push(self.sql[s..end].to_string());
                        }
                        self.advance();
                        continue;
                    }
                    TokenKind::LParen => depth += 1,
                    TokenKind::RParen => depth -= 1,
                    _ => {}
                }
                self.advance();
                if start.is_none() {
                    start = Some(t.start);
                }
                end = t.end;
            }
        }
        Ok(Stmt::CreateVirtualTable(Box::new(CreateVirtualTable { if_not_exists, name, module, args })))
    }

    pub(super) fn drop(&mut self) -> PResult<Stmt> {
        self.expect_kw(Keyword::Drop)?;
        let t = self.advance();
        let kind = match t.kind {
            TokenKind::Keyword(Keyword::Table) => DropKind::Table,
            TokenKind::Keyword(Keyword::Index) => DropKind::Index,
            TokenKind::Keyword(Keyword::View) => DropKind::View,
            TokenKind::Keyword(Keyword::Trigger) => DropKind::Trigger,
            _ => return Err(self.error_at(t)),
        };
        let if_exists = self.if_exists()?;
        let name = self.qualified_name()?;
        Ok(Stmt::Drop(Drop { kind, if_exists, name }))
    }

    pub(super) fn alter(&mut self) -> PResult<Stmt> {
        self.expect_kw(Keyword::Alter)?;
        self.expect_kw(Keyword::Table)?;
        let table = self.qualified_name()?;
        let t = self.advance();
        let action = match t.kind {
            TokenKind::Keyword(Keyword::Rename) => {
                if self.eat_kw(Keyword::To) {
                    AlterAction::RenameTo(self.nm()?)
                } else {
                    self.eat_kw(Keyword::Column);
                    let old = self.nm()?;
                    self.expect_kw(Keyword::To)?;
                    let t = self.peek();
                    let new_quoted = matches!(self.text(t).as_bytes().first(), Some(b'"' | b'\'' | b'`' | b'['));
                    let new = self.nm()?;
                    AlterAction::RenameColumn { old, new, new_quoted }
                }
            }
            TokenKind::Keyword(Keyword::Add) => {
                if self.eat_kw(Keyword::Constraint) {
                    let name = self.nm()?;
                    self.expect_kw(Keyword::Check)?;
                    let (expr, text) = self.paren_expr_onconf()?;
                    AlterAction::AddCheck { name: Some(name), expr, text }
                } else if self.eat_kw(Keyword::Check) {
                    let (expr, text) = self.paren_expr_onconf()?;
                    AlterAction::AddCheck { name: None, expr, text }
                } else {
                    self.eat_kw(Keyword::Column);
                    let start = self.peek().start;
                    let def = self.column_def()?;
                    self.schema_text = super::SchemaText::AddColumn { start };
                    AlterAction::AddColumn(def)
                }
            }
            TokenKind::Keyword(Keyword::Drop) => {
                if self.eat_kw(Keyword::Constraint) {
                    AlterAction::DropConstraint(self.nm()?)
                } else {
                    self.eat_kw(Keyword::Column);
                    AlterAction::DropColumn(self.nm()?)
                }
            }
            TokenKind::Keyword(Keyword::Alter) => {
                self.eat_kw(Keyword::Column);
                let column = self.nm()?;
                if self.eat_kw(Keyword::Drop) {
                    self.expect_kw(Keyword::Not)?;
                    self.expect_kw(Keyword::Null)?;
                    AlterAction::DropNotNull(column)
                } else {
                    self.expect_kw(Keyword::Set)?;
                    self.expect_kw(Keyword::Not)?;
                    self.expect_kw(Keyword::Null)?;
                    let conflict = self.onconf()?;
                    AlterAction::SetNotNull { column, conflict }
                }
            }
            _ => return Err(self.error_at(t)),
        };
        Ok(Stmt::AlterTable(Box::new(AlterTable { table, action })))
    }

    fn paren_expr_onconf(&mut self) -> PResult<(Expr, String)> {
        let r = self.check_body()?;
        self.onconf()?;
        Ok(r)
    }

    /// `( expr )` of a CHECK constraint, with the text SQLite keeps for it:
    /// everything between the parentheses, whitespace trimmed.
    fn check_body(&mut self) -> PResult<(Expr, String)> {
        let lp = self.expect(TokenKind::LParen)?;
        let e = self.expr()?;
        let rp = self.expect(TokenKind::RParen)?;
        let text = self
            .sql
            .get(lp.end..rp.start.max(lp.end))
            .unwrap_or("")
            .trim_matches(|c| matches!(c, ' ' | '\t' | '\n' | '\x0b' | '\x0c' | '\r'))
            .to_string();
        Ok((e, text))
    }

    pub(super) fn pragma(&mut self) -> PResult<Stmt> {
        self.expect_kw(Keyword::Pragma)?;
        let name = self.qualified_name()?;
        let value = if self.eat(TokenKind::Eq) {
            Some(PragmaValue::Assign(self.pragma_value()?))
        } else if self.eat(TokenKind::LParen) {
            let v = self.pragma_value()?;
            self.expect(TokenKind::RParen)?;
            Some(PragmaValue::Call(v))
        } else {
            None
        };
        Ok(Stmt::Pragma(Pragma { name, value }))
    }

    /// `nmnum | minus_num`: numbers keep their sign in the literal text;
    /// names and the keywords ON, DELETE, DEFAULT become `Expr::Column`
    /// holding the (dequoted) word; strings are string literals.
    fn pragma_value(&mut self) -> PResult<Expr> {
        let t = self.peek();
        match t.kind {
            TokenKind::Plus | TokenKind::Minus => {
                self.advance();
                let n = self.peek();
                if !matches!(n.kind, TokenKind::Integer | TokenKind::Float) {
                    return Err(self.error_at(n));
                }
                self.advance();
                let mut text = String::new();
                if t.kind == TokenKind::Minus {
                    text.push('-');
                }
                text.push_str(self.text(n));
                Ok(Expr::Literal(Literal::Number(text)))
            }
            TokenKind::Integer | TokenKind::Float => {
                self.advance();
                Ok(Expr::Literal(Literal::Number(self.text(t).to_string())))
            }
            TokenKind::String => {
                self.advance();
                Ok(Expr::Literal(Literal::String(tokenizer::dequote(self.text(t)))))
            }
            TokenKind::Keyword(Keyword::On | Keyword::Delete | Keyword::Default) => {
                self.advance();
                Ok(Expr::Column { schema: None, table: None, column: self.text(t).to_string() })
            }
            k if Self::is_nm_kind(k) => {
                self.advance();
                let column = tokenizer::dequote(self.text(t));
                Ok(Expr::Column { schema: None, table: None, column })
            }
            _ => Err(self.error_at(t)),
        }
    }
}
