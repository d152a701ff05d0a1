//! The SQL front end: tokenizer, parser and AST.
//!
//! Architecture invariant: this layer turns text into `ast` values and
//! reports syntax errors in SQLite's words; it never looks at the schema,
//! the VDBE or storage.
//!
//! The parser is a hand-written recursive-descent parser (precedence
//! climbing for binary operators) over a lazily filled token buffer. Tokens
//! are read only as the parser reaches them, so an unrecognized token after
//! a syntax error is never reported, and an error in statement N does not
//! stop statements before N from being returned (as with `sqlite3_prepare`
//! and its tail). Errors name the first token that cannot continue a valid
//! prefix: `near "X": syntax error`, `incomplete input` at end of input,
//! `unrecognized token: "X"` for text the tokenizer rejects.
//!
//! Errors SQLite raises while reducing a grammar rule (unknown join type,
//! ORDER BY before UNION, `?0`, ...) are reported only if the token after
//! the construct can be accepted, exactly as an LALR(1) parser does; errors
//! SQLite's statement builders raise after the whole statement has parsed
//! are deferred to its end (`defer`).
//!
//! Invariants: no input panics; recursion is bounded twice over: nesting
//! beyond what SQLite's parser stack holds is "Recursion limit" (emulated
//! per construct, see `cost`), and this parser never uses more than
//! `STACK_BUDGET` bytes of the caller's stack (a 2 MiB thread is enough) —
//! the rare statement that needs more is parsed again on a helper thread
//! with a 64 MiB stack. Expression height is checked as nodes are built
//! (SQLITE_MAX_EXPR_DEPTH, "Expression tree is too large").
//!
//! AST conventions the code generator relies on:
//! - A keyword is a keyword wherever the grammar accepts it; elsewhere
//!   SQLite's fallback keywords (and WINDOW/OVER/FILTER, JOIN_KW words and
//!   INDEXED where SQLite allows them) are identifiers.
//! - Names are dequoted. A bare `"x"` in an expression is
//!   `Expr::DoubleQuotedId` (column if one matches, else the string 'x');
//!   `'x'` is always a string literal in an expression, a name elsewhere.
//!   Bare `true`/`false` are `Expr::Column`, resolved downstream.
//! - `LIMIT a, b` becomes `Limit { limit: b, offset: Some(a) }`.
//! - `x NOT NULL`, `x NOTNULL`, `x IS NOT NULL` are `IsNull { not: true }`
//!   (`IS NULL`/`ISNULL` `not: false`), also `x IS (NULL)`; `IS NOT` is
//!   `BinaryOp::IsNot`, `IS DISTINCT FROM` is `IsNot`, `IS NOT DISTINCT
//!   FROM` is `Is`. `NOT EXISTS (..)` is `Unary(Not, Exists { not: false })`.
//!   `NOT LIKE/GLOB/REGEXP/MATCH/BETWEEN/IN` set the node's `not`.
//! - `REPLACE INTO` is `Insert { or_conflict: Some(Replace) }`.
//! - A table-valued function in FROM is `TableRef::Table { args: Some(..) }`;
//!   a parenthesised single table is the table itself, a parenthesised join
//!   `TableRef::Nested`.
//! - `ResultColumn::Expr.text` is SQLite's column-name span: from the
//!   expression's first token to the start of the next token, whitespace
//!   trimmed (so `SELECT 1 /* c */` names its column `1 /* c */`).
//! - Numbers keep their text (`0x1F`, `1_000`); a leading `-` is a
//!   `Unary(Neg, ..)` node, except in PRAGMA values where it is part of the
//!   number's text.

pub mod ast;
mod ddl;
mod dml;
mod expr;
pub mod keywords;
pub mod normalize;
mod select;
pub mod tokenizer;

#[cfg(test)]
mod error_cases;
#[cfg(test)]
mod error_cases_340;
#[cfg(test)]
mod fuzz_cases;
#[cfg(test)]
mod tests;

use crate::error::{Error, Result};
use ast::*;
use keywords::Keyword;
use tokenizer::{next_token, Token, TokenKind};

/// SQLITE_MAX_EXPR_DEPTH.
pub const MAX_EXPR_DEPTH: u32 = 1000;
/// Stack the parser allows itself for nesting, in bytes, on the caller's
/// thread: enough for any statement SQLite accepts in a 2 MiB thread stack
/// for typical nesting. A statement that needs more is parsed again on a
/// helper thread with `BIG_STACK` bytes of stack and `BIG_STACK_BUDGET`.
pub const STACK_BUDGET: usize = 1_600_000;
/// The helper thread's stack size.
pub const BIG_STACK: usize = 64 << 20;
/// The budget on the helper thread.
pub const BIG_STACK_BUDGET: usize = 56 << 20;
/// SQLite's parser stack limit (SQLITE_MAX_PARSER_DEPTH), less the entries
/// a statement's outer levels occupy: nesting beyond it is "Recursion
/// limit", reported on the way down as SQLite's LALR(1) parser does when
/// its stack overflows.
pub const MAX_PARSER_DEPTH: u32 = 2500 - 7;

/// What one level of a recursive construct costs: approximate stack bytes
/// of this parser (measured in the dev profile, rounded up; release frames
/// are smaller) and the entries SQLite's LALR parser stack holds for it
/// (calibrated against SQLite 3.54: `(` nests 2493 deep, `1+(` 831,
/// `f(` 831, `CAST(` 1245, `(SELECT ` 498, `EXISTS (SELECT ` 415, ...).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Cost {
    pub bytes: usize,
    pub lalr: u32,
}

pub(crate) mod cost {
    use super::Cost;
    /// The operand of a prefix operator (`-`, `+`, `~`, NOT).
    pub const UNARY: Cost = Cost { bytes: 1000, lalr: 1 };
    /// The right operand of a binary operator.
    pub const OPERAND: Cost = Cost { bytes: 1000, lalr: 2 };
    /// The operands of IS, BETWEEN, IN, LIKE and friends.
    pub const SPECIAL: Cost = Cost { bytes: 2900, lalr: 2 };
    /// The parenthesis of an IN list.
    pub const IN_LIST: Cost = Cost { bytes: 0, lalr: 1 };
    /// A parenthesised expression or row value.
    pub const PAREN: Cost = Cost { bytes: 2600, lalr: 1 };
    /// A row value's second and later terms.
    pub const VECTOR_TERM: Cost = Cost { bytes: 0, lalr: 2 };
    pub const FUNCTION: Cost = Cost { bytes: 4800, lalr: 3 };
    pub const CASE: Cost = Cost { bytes: 3400, lalr: 5 };
    /// CAST and RAISE.
    pub const CAST: Cost = Cost { bytes: 3200, lalr: 2 };
    /// A parenthesised SELECT anywhere.
    pub const SUBSELECT: Cost = Cost { bytes: 7500, lalr: 5 };
    /// EXISTS before its parenthesised SELECT.
    pub const EXISTS: Cost = Cost { bytes: 0, lalr: 1 };
    /// A FROM-clause subquery's place in the table list.
    pub const FROM_SUBQUERY: Cost = Cost { bytes: 0, lalr: 1 };
    /// A parenthesised join in FROM.
    pub const FROM_PAREN: Cost = Cost { bytes: 2900, lalr: 2 };
}

/// SQLITE_MAX_VARIABLE_NUMBER.
pub const MAX_VARIABLE_NUMBER: i64 = 32766;

/// The run-time limits (`sqlite3_limit`) the parser enforces. `Default`
/// gives SQLite 3.54's defaults.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ParseLimits {
    /// SQLITE_LIMIT_SQL_LENGTH: bytes one prepare may read ("string or blob
    /// too big" beyond).
    pub sql_length: usize,
    /// SQLITE_LIMIT_EXPR_DEPTH.
    pub expr_depth: u32,
    /// SQLITE_LIMIT_VARIABLE_NUMBER.
    pub variable_number: i64,
    /// SQLITE_LIMIT_FUNCTION_ARG.
    pub function_arg: usize,
    /// SQLITE_LIMIT_COMPOUND_SELECT (0: no limit).
    pub compound_select: usize,
}

impl Default for ParseLimits {
    fn default() -> Self {
        ParseLimits {
            sql_length: 1_000_000_000,
            expr_depth: MAX_EXPR_DEPTH,
            variable_number: MAX_VARIABLE_NUMBER,
            function_arg: 1000,
            compound_select: 500,
        }
    }
}

/// Parses SQL text one statement at a time.
pub struct Parser<'a> {
    sql: &'a str,
    /// Byte offset where the lexer continues.
    lex: usize,
    /// Significant tokens of the statement being parsed, read lazily.
    toks: Vec<Token>,
    /// Index of the current token in `toks`.
    pos: usize,
    /// Host parameters of the current statement.
    params: Vec<Option<String>>,
    /// Index in `params` of each named parameter (`:a`, `@a`, `$a`, `#a`).
    param_names: std::collections::HashMap<String, usize>,
    /// Approximate stack bytes used by the recursive constructs currently
    /// open (see `cost`).
    stack_used: usize,
    /// The byte budget: `STACK_BUDGET`, or `BIG_STACK_BUDGET` on the
    /// helper thread.
    stack_budget: usize,
    /// Approximate entries SQLite's parser stack would hold.
    lalr_depth: u32,
    /// Height of the expression most recently returned by an expression
    /// parsing function.
    last_h: u32,
    /// Largest expression height seen in the current SELECT.
    sel_max_h: u32,
    /// Set after an error: no further statements are returned.
    failed: bool,
    /// Parenthesised SELECTs currently open.
    subselect_depth: u32,
    /// Inside a CREATE TRIGGER body (no ORDER BY/LIMIT on UPDATE/DELETE).
    in_trigger: bool,
    /// An error SQLite reports only once the whole statement has parsed
    /// (it comes from the code that builds the statement); any syntax
    /// error found first wins.
    deferred: Option<Error>,
    /// The error behind a `TokenKind::Pending` token in `toks`, with the
    /// offset `sqlite3_error_offset` reports for it.
    pending: Option<(Error, Option<usize>)>,
    /// The `sqlite3_error_offset` of the error being reported.
    err_offset: std::cell::Cell<Option<usize>>,
    /// Where the statement's `schema_sql` text comes from.
    schema_text: SchemaText,
    limits: ParseLimits,
    /// Where the current `next_stmt` call started reading (SQLite counts
    /// SQLITE_LIMIT_SQL_LENGTH from there).
    origin: usize,
}

/// How SQLite cuts the text it stores for a schema statement; offsets are
/// byte offsets into the SQL, `name` the start of the object's unqualified
/// name token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum SchemaText {
    None,
    /// Up to the `)` without table options, else up to the terminator.
    Table { name: usize, rp_end: usize, options: bool },
    /// Up to the terminating token.
    Index { name: usize, unique: bool },
    /// Up to the terminating token, trailing whitespace trimmed.
    View { name: usize },
    /// Through END.
    Trigger { name: usize, end: usize },
    /// Through the `)` of the arguments, or the module name.
    VirtualTable { name: usize, end: usize },
    /// From the column name through the terminator, less trailing `;` and
    /// whitespace.
    AddColumn { start: usize },
}

/// Parses every statement of `sql`.
pub fn parse_all(sql: &str) -> Result<Vec<ParsedStmt>> {
    let mut p = Parser::new(sql);
    let mut out = Vec::new();
    while let Some(s) = p.next_stmt()? {
        out.push(s);
    }
    Ok(out)
}

/// `sqlite3_complete`: true if `sql` ends with a semicolon that is not
/// inside a string, identifier or comment (and, for CREATE TRIGGER, the
/// statement ends with `;END;`).
pub fn complete(sql: &str) -> bool {
    incomplete(sql) == 0
}

/// `sqlite3_incomplete` (SQLite 3.54): 0 when complete, otherwise a code
/// describing what is missing (SQLITE_EMPTY for whitespace only).
pub fn incomplete(sql: &str) -> i64 {
    const TRANS: [[u8; 8]; 8] = [
        [1, 0, 2, 3, 4, 2, 2, 2],
        [1, 1, 2, 3, 4, 2, 2, 2],
        [1, 2, 2, 2, 2, 2, 2, 2],
        [1, 3, 3, 2, 4, 2, 2, 2],
        [1, 4, 2, 2, 2, 4, 5, 2],
        [6, 5, 5, 5, 5, 5, 5, 5],
        [6, 6, 5, 5, 5, 5, 5, 7],
        [1, 7, 5, 5, 5, 5, 5, 5],
    ];
    const STATEMAP: [u8; 8] = [0, 0, 1, 1, 1, 3, 2, 1];
    let z = sql.as_bytes();
    let at = |i: usize| z.get(i).copied().unwrap_or(0);
    let mut state = 0usize;
    let mut pending = 0u8;
    let mut nparen: i32 = 0;
    let mut i = 0;
    'outer: while at(i) != 0 {
        let token: usize = match at(i) {
            b';' => 0,
            b' ' | b'\r' | b'\t' | b'\n' | 0x0c => 1,
            b'/' => {
                if at(i + 1) != b'*' {
                    2
                } else {
                    i += 2;
                    while at(i) != 0 && (at(i) != b'*' || at(i + 1) != b'/') {
                        i += 1;
                    }
                    if at(i) == 0 {
                        pending = b'/';
                        break 'outer;
                    }
                    i += 1;
                    1
                }
            }
            b'-' => {
                if at(i + 1) != b'-' {
                    2
                } else {
                    while at(i) != 0 && at(i) != b'\n' {
                        i += 1;
                    }
                    if at(i) == 0 {
                        pending = b'-';
                        break 'outer;
                    }
                    1
                }
            }
            b'[' => {
                i += 1;
                while at(i) != 0 && at(i) != b']' {
                    i += 1;
                }
                if at(i) == 0 {
                    pending = b']';
                    break 'outer;
                }
                2
            }
            c @ (b'`' | b'"' | b'\'') => {
                i += 1;
                while at(i) != 0 && at(i) != c {
                    i += 1;
                }
                if at(i) == 0 {
                    pending = c;
                    break 'outer;
                }
                2
            }
            b'(' => {
                nparen += 1;
                2
            }
            b')' => {
                nparen -= 1;
                2
            }
            c if tokenizer::is_id_char(c) => {
                let mut n = 1;
                while tokenizer::is_id_char(at(i + n)) {
                    n += 1;
                }
                let w = &z[i..i + n];
                let t = if w.eq_ignore_ascii_case(b"create") {
                    4
                } else if w.eq_ignore_ascii_case(b"trigger") {
                    6
                } else if w.eq_ignore_ascii_case(b"temp") || w.eq_ignore_ascii_case(b"temporary") {
                    5
                } else if w.eq_ignore_ascii_case(b"end") {
                    7
                } else if w.eq_ignore_ascii_case(b"explain") {
                    3
                } else {
                    2
                };
                i += n - 1;
                t
            }
            _ => 2,
        };
        state = TRANS[state][token] as usize;
        i += 1;
    }
    if state == 0 && pending == 0 {
        return crate::error::code::EMPTY as i64;
    }
    if state == 1 {
        nparen = 0;
    }
    (((nparen as u32 as u64) << 32)
        | ((pending as u64) << 16)
        | ((STATEMAP[state] as u64) << 8)
        | ((state > 1 || pending != 0) as u64)) as i64
}

/// Parser results inside the module carry the error as is.
type PResult<T> = Result<T>;

/// The internal error that sends a statement to the big-stack thread.
fn stack_exhausted() -> Error {
    Error::with_message(crate::error::code::INTERNAL, "parser stack budget exhausted")
}

fn is_stack_exhausted(e: &Error) -> bool {
    e.extended_code() == crate::error::code::INTERNAL && e.message() == "parser stack budget exhausted"
}

impl<'a> Parser<'a> {
    pub fn new(sql: &'a str) -> Parser<'a> {
        Parser::with_limits(sql, ParseLimits::default())
    }

    /// A parser enforcing the connection's limits.
    pub fn with_limits(sql: &'a str, limits: ParseLimits) -> Parser<'a> {
        Parser {
            sql,
            lex: 0,
            toks: Vec::new(),
            pos: 0,
            params: Vec::new(),
            param_names: std::collections::HashMap::new(),
            stack_used: 0,
            stack_budget: STACK_BUDGET,
            lalr_depth: 0,
            last_h: 0,
            sel_max_h: 0,
            failed: false,
            in_trigger: false,
            subselect_depth: 0,
            deferred: None,
            pending: None,
            err_offset: std::cell::Cell::new(None),
            schema_text: SchemaText::None,
            limits,
            origin: 0,
        }
    }

    /// Parses the next statement; None at end of input. Empty statements
    /// (`;;`) and comments are skipped.
    pub fn next_stmt(&mut self) -> Result<Option<ParsedStmt>> {
        if self.failed {
            return Ok(None);
        }
        let origin = self.lex;
        let mut r = self.next_stmt_inner();
        if matches!(&r, Err(e) if is_stack_exhausted(e)) {
            // Deeper than this thread's budget allows: parse the statement
            // again where there is room for SQLite's own limits.
            self.lex = origin;
            self.stack_budget = BIG_STACK_BUDGET;
            r = std::thread::scope(|s| {
                let h = std::thread::Builder::new()
                    .name("ferrolite-parse".into())
                    .stack_size(BIG_STACK)
                    .spawn_scoped(s, || self.next_stmt_inner());
                match h {
                    Ok(h) => h.join().unwrap_or_else(|_| Err(Error::sql("Recursion limit"))),
                    Err(_) => Err(Error::sql("Recursion limit")),
                }
            });
            self.stack_budget = STACK_BUDGET;
            if matches!(&r, Err(e) if is_stack_exhausted(e)) {
                r = Err(Error::sql("Recursion limit"));
            }
        }
        if r.is_err() {
            self.failed = true;
        }
        r
    }

    fn next_stmt_inner(&mut self) -> Result<Option<ParsedStmt>> {
        self.origin = self.lex;
        loop {
            self.toks.clear();
            self.pos = 0;
            self.params.clear();
            self.param_names.clear();
            self.stack_used = 0;
            self.lalr_depth = 0;
            self.sel_max_h = 0;
            self.in_trigger = false;
            self.subselect_depth = 0;
            self.deferred = None;
            self.pending = None;
            self.err_offset.set(None);
            self.schema_text = SchemaText::None;
            let t = self.peek();
            match t.kind {
                TokenKind::Eof => {
                    self.lex = t.start;
                    return Ok(None);
                }
                TokenKind::Semi => {
                    self.lex = t.end;
                    continue;
                }
                TokenKind::Illegal => return Err(self.error_at(t)),
                _ => {}
            }
            let start = t.start;
            let explain = if self.eat_kw(Keyword::Explain) {
                if self.eat_kw(Keyword::Query) {
                    self.expect_kw(Keyword::Plan)?;
                    Some(ExplainKind::QueryPlan)
                } else {
                    Some(ExplainKind::Explain)
                }
            } else {
                None
            };
            let stmt = self.parse_cmd()?;
            let end = self.toks[self.pos.saturating_sub(1)].end;
            let t = self.peek();
            let tail = match t.kind {
                TokenKind::Semi | TokenKind::Eof if self.pending.is_some() => {
                    return Err(self.error_at(Token { kind: TokenKind::Pending, ..t }))
                }
                TokenKind::Semi => t.end,
                TokenKind::Eof => t.start,
                _ => return Err(self.error_at(t)),
            };
            self.lex = tail;
            if let Some(e) = self.deferred.take() {
                return Err(e);
            }
            let parameters = std::mem::take(&mut self.params);
            let schema_sql = self.schema_sql(t);
            return Ok(Some(ParsedStmt {
                stmt,
                explain,
                span: start..end,
                tail,
                parameters,
                schema_sql,
            }));
        }
    }

    /// The `schema_sql` text of the statement just parsed, `term` being
    /// its terminating token (`;` or end of input).
    fn schema_sql(&self, term: Token) -> Option<String> {
        let sql = self.sql;
        let cut = |a: usize, b: usize| sql.get(a..b.max(a)).unwrap_or("").to_string();
        let is_space = |c: char| matches!(c, ' ' | '\t' | '\n' | '\x0b' | '\x0c' | '\r');
        Some(match self.schema_text {
            SchemaText::None => return None,
            SchemaText::Table { name, rp_end, options } => {
                let end = if options { term.start } else { rp_end };
                format!("CREATE TABLE {}", cut(name, end))
            }
            SchemaText::Index { name, unique } => {
                let u = if unique { " UNIQUE" } else { "" };
                format!("CREATE{u} INDEX {}", cut(name, term.start))
            }
            SchemaText::View { name } => {
                format!("CREATE VIEW {}", cut(name, term.start).trim_end_matches(is_space))
            }
            SchemaText::Trigger { name, end } => format!("CREATE TRIGGER {}", cut(name, end)),
            SchemaText::VirtualTable { name, end } => {
                format!("CREATE VIRTUAL TABLE {}", cut(name, end))
            }
            SchemaText::AddColumn { start } => {
                cut(start, term.end).trim_end_matches(|c| c == ';' || is_space(c)).to_string()
            }
        })
    }

    /// `nm [. nm]` and the start offset of its last (unqualified) name.
    fn qualified_name_at(&mut self) -> PResult<(QualifiedName, usize)> {
        let mut at = self.peek().start;
        let first = self.nm()?;
        if self.eat(TokenKind::Dot) {
            at = self.peek().start;
            let second = self.nm()?;
            Ok((QualifiedName { schema: Some(first), name: second }, at))
        } else {
            Ok((QualifiedName { schema: None, name: first }, at))
        }
    }

    // ------------------------------------------------------------ tokens

    /// Reads the next significant token from the text, resolving SQLite's
    /// context-dependent WINDOW/OVER/FILTER keywords.
    fn lex_one(&mut self) -> Token {
        loop {
            let (kind, end) = next_token(self.sql, self.lex);
            let start = self.lex;
            if kind == TokenKind::Eof {
                return Token { kind, start, end: start };
            }
            self.lex = end;
            if end - self.origin > self.limits.sql_length {
                // SQLITE_LIMIT_SQL_LENGTH: SQLITE_TOOBIG with its own text.
                if self.pending.is_none() {
                    self.pending = Some((Error::code(crate::error::code::TOOBIG), None));
                }
                return Token { kind: TokenKind::Pending, start, end: start };
            }
            let kind = match kind {
                TokenKind::Space | TokenKind::Comment => continue,
                TokenKind::Keyword(Keyword::Window) => {
                    let (k1, e1) = self.raw_peek(end);
                    let (k2, _) = self.raw_peek(e1);
                    if Self::id_like(k1) && k2 == TokenKind::Keyword(Keyword::As) {
                        kind
                    } else {
                        TokenKind::Id
                    }
                }
                TokenKind::Keyword(Keyword::Over) => {
                    let prev_rp = self.toks.last().map(|t| t.kind) == Some(TokenKind::RParen);
                    let (k1, _) = self.raw_peek(end);
                    if prev_rp && (k1 == TokenKind::LParen || Self::id_like(k1)) {
                        kind
                    } else {
                        TokenKind::Id
                    }
                }
                TokenKind::Keyword(Keyword::Filter) => {
                    let prev_rp = self.toks.last().map(|t| t.kind) == Some(TokenKind::RParen);
                    let (k1, _) = self.raw_peek(end);
                    if prev_rp && k1 == TokenKind::LParen {
                        kind
                    } else {
                        TokenKind::Id
                    }
                }
                k => k,
            };
            return Token { kind, start, end };
        }
    }

    /// What SQLite's window-keyword lookahead treats as an identifier.
    fn id_like(k: TokenKind) -> bool {
        match k {
            TokenKind::Id | TokenKind::String => true,
            TokenKind::Keyword(kw) => {
                kw.is_join_kw()
                    || kw.is_fallback_id()
                    || matches!(kw, Keyword::Window | Keyword::Over)
            }
            _ => false,
        }
    }

    fn raw_peek(&self, mut pos: usize) -> (TokenKind, usize) {
        loop {
            let (k, end) = next_token(self.sql, pos);
            if matches!(k, TokenKind::Space | TokenKind::Comment) {
                pos = end;
                continue;
            }
            return (k, end);
        }
    }

    fn fill(&mut self, n: usize) {
        while self.toks.len() <= self.pos + n {
            if let Some(last) = self.toks.last() {
                if last.kind == TokenKind::Eof {
                    let t = *last;
                    self.toks.push(t);
                    continue;
                }
            }
            let t = self.lex_one();
            self.toks.push(t);
        }
    }

    /// The current token.
    fn peek(&mut self) -> Token {
        self.fill(0);
        self.toks[self.pos]
    }

    /// The token `n` places after the current one.
    fn peek_n(&mut self, n: usize) -> Token {
        self.fill(n);
        self.toks[self.pos + n]
    }

    fn kind(&mut self) -> TokenKind {
        self.peek().kind
    }

    fn kind_n(&mut self, n: usize) -> TokenKind {
        self.peek_n(n).kind
    }

    fn advance(&mut self) -> Token {
        let t = self.peek();
        if t.kind != TokenKind::Eof {
            self.pos += 1;
        }
        t
    }

    /// End offset of the most recently consumed token.
    fn prev_end(&self) -> usize {
        if self.pos == 0 {
            0
        } else {
            self.toks[self.pos - 1].end
        }
    }

    fn text(&self, t: Token) -> &'a str {
        t.text(self.sql)
    }

    fn is_kw(&mut self, kw: Keyword) -> bool {
        self.kind() == TokenKind::Keyword(kw)
    }

    fn is_kw_n(&mut self, n: usize, kw: Keyword) -> bool {
        self.kind_n(n) == TokenKind::Keyword(kw)
    }

    fn eat_kw(&mut self, kw: Keyword) -> bool {
        if self.is_kw(kw) {
            self.advance();
            true
        } else {
            false
        }
    }

    fn eat(&mut self, k: TokenKind) -> bool {
        if self.kind() == k {
            self.advance();
            true
        } else {
            false
        }
    }

    fn expect_kw(&mut self, kw: Keyword) -> PResult<Token> {
        if self.is_kw(kw) {
            Ok(self.advance())
        } else {
            Err(self.syntax_error())
        }
    }

    fn expect(&mut self, k: TokenKind) -> PResult<Token> {
        if self.kind() == k {
            Ok(self.advance())
        } else {
            Err(self.syntax_error())
        }
    }

    // ------------------------------------------------------------ errors

    fn error_at(&self, t: Token) -> Error {
        match t.kind {
            TokenKind::Pending => match &self.pending {
                Some((e, off)) => {
                    self.err_offset.set(*off);
                    e.clone()
                }
                None => Error::sql("incomplete input"),
            },
            TokenKind::Eof => {
                self.err_offset.set(None);
                Error::sql("incomplete input")
            }
            TokenKind::Illegal => {
                self.err_offset.set(Some(t.start));
                Error::sql(format!("unrecognized token: \"{}\"", self.text(t)))
            }
            _ => {
                self.err_offset.set(Some(t.start));
                Error::sql(format!("near \"{}\": syntax error", self.text(t)))
            }
        }
    }

    /// Records an error SQLite raises while reducing a rule with the
    /// current token as lookahead: if the parser goes on to consume that
    /// token, the error is reported (at the `Pending` token inserted after
    /// it, which matches nothing); if the token is a syntax error, that
    /// syntax error is reported instead, as in SQLite.
    fn raise_on_next(&mut self, e: Error) {
        self.raise_on_next_at(e, None);
    }

    /// `raise_on_next` for an error SQLite locates at byte `offset`.
    fn raise_on_next_at(&mut self, e: Error, offset: Option<usize>) {
        if self.pending.is_some() {
            return;
        }
        let t = self.peek();
        let pending = Token { kind: TokenKind::Pending, start: t.end, end: t.end };
        self.toks.insert(self.pos + 1, pending);
        self.pending = Some((e, offset));
    }

    /// The byte offset (into the text given to `new`) of the token the last
    /// error from `next_stmt` points at, as `sqlite3_error_offset` reports
    /// it; None where SQLite reports -1.
    pub fn error_offset(&self) -> Option<usize> {
        self.err_offset.get()
    }

    /// Records an error to report at the end of the statement.
    fn defer(&mut self, e: Error) {
        if self.deferred.is_none() {
            self.deferred = Some(e);
        }
    }

    /// An error SQLite raises while reducing a rule, i.e. once it has read
    /// the token after the rule: that token must be able to follow (per
    /// `follows`), otherwise the syntax error at it is reported instead.
    /// At end of input SQLite feeds a `;`, so end of input follows where
    /// `;` does.
    fn error_on_reduce(&mut self, e: Error, follows: fn(TokenKind) -> bool) -> Error {
        let t = self.peek();
        if follows(t.kind) || (t.kind == TokenKind::Eof && follows(TokenKind::Semi)) {
            self.err_offset.set(None);
            e
        } else {
            self.error_at(t)
        }
    }

    /// A syntax error at the current token.
    fn syntax_error(&mut self) -> Error {
        let t = self.peek();
        self.error_at(t)
    }

    /// Enters one level of a recursive construct: fails with SQLite's
    /// "Recursion limit" where SQLite's parser stack would overflow, and
    /// with an internal error when this thread's stack budget is spent (the
    /// statement is then parsed again on a thread with a bigger stack).
    fn enter(&mut self, c: Cost) -> PResult<()> {
        #[cfg(test)]
        tests::probe_stack();
        if self.lalr_depth + c.lalr > MAX_PARSER_DEPTH {
            return Err(Error::sql("Recursion limit"));
        }
        if self.stack_used + c.bytes > self.stack_budget {
            return Err(stack_exhausted());
        }
        self.stack_used += c.bytes;
        self.lalr_depth += c.lalr;
        Ok(())
    }

    fn leave(&mut self, c: Cost) {
        self.stack_used = self.stack_used.saturating_sub(c.bytes);
        self.lalr_depth = self.lalr_depth.saturating_sub(c.lalr);
    }

    /// Runs `f` one level deeper.
    fn nested<T>(&mut self, c: Cost, f: impl FnOnce(&mut Self) -> PResult<T>) -> PResult<T> {
        self.enter(c)?;
        let r = f(self);
        self.leave(c);
        r
    }

    fn too_deep(&self) -> Error {
        Error::sql(format!(
            "Expression tree is too large (maximum depth {})",
            self.limits.expr_depth
        ))
    }


    // ------------------------------------------------------------- names

    /// True for an `id`: ID, INDEXED, or a keyword that falls back to ID.
    fn is_id_kind(k: TokenKind) -> bool {
        match k {
            TokenKind::Id => true,
            TokenKind::Keyword(kw) => kw.is_fallback_id() || kw == Keyword::Indexed,
            _ => false,
        }
    }

    /// `nm`: an id, a JOIN_KW word or a string.
    fn is_nm_kind(k: TokenKind) -> bool {
        match k {
            TokenKind::String => true,
            TokenKind::Keyword(kw) if kw.is_join_kw() => true,
            k => Self::is_id_kind(k),
        }
    }

    fn at_nm(&mut self) -> bool {
        Self::is_nm_kind(self.kind())
    }

    /// Parses `nm` and returns it dequoted.
    fn nm(&mut self) -> PResult<String> {
        if self.at_nm() {
            let t = self.advance();
            Ok(tokenizer::dequote(self.text(t)))
        } else {
            Err(self.syntax_error())
        }
    }

    /// `ids`: ID (incl. fallbacks) or STRING, as used for aliases without AS
    /// and for COLLATE names.
    fn at_ids(&mut self) -> bool {
        Self::is_ids_kind(self.kind())
    }

    /// `ids`: ID (with fallbacks, without INDEXED) or STRING.
    fn is_ids_kind(k: TokenKind) -> bool {
        k == TokenKind::String || (Self::is_id_kind(k) && k != TokenKind::Keyword(Keyword::Indexed))
    }

    fn ids(&mut self) -> PResult<String> {
        if self.at_ids() {
            let t = self.advance();
            Ok(tokenizer::dequote(self.text(t)))
        } else {
            Err(self.syntax_error())
        }
    }

    /// `nm [. nm]`
    fn qualified_name(&mut self) -> PResult<QualifiedName> {
        let first = self.nm()?;
        if self.eat(TokenKind::Dot) {
            let second = self.nm()?;
            Ok(QualifiedName { schema: Some(first), name: second })
        } else {
            Ok(QualifiedName { schema: None, name: first })
        }
    }

    /// `IF NOT EXISTS`
    fn if_not_exists(&mut self) -> PResult<bool> {
        // A keyword is a keyword wherever the grammar can use it (only where
        // it cannot does it fall back to an identifier), so IF here always
        // starts IF NOT EXISTS.
        if self.is_kw(Keyword::If) {
            self.advance();
            self.expect_kw(Keyword::Not)?;
            self.expect_kw(Keyword::Exists)?;
            Ok(true)
        } else {
            Ok(false)
        }
    }

    fn if_exists(&mut self) -> PResult<bool> {
        if self.eat_kw(Keyword::If) {
            self.expect_kw(Keyword::Exists)?;
            Ok(true)
        } else {
            Ok(false)
        }
    }

    // -------------------------------------------------------- statements

    fn parse_cmd(&mut self) -> PResult<Stmt> {
        let t = self.peek();
        let kw = match t.kind {
            TokenKind::Keyword(kw) => kw,
            _ => return Err(self.error_at(t)),
        };
        match kw {
            Keyword::Select | Keyword::Values | Keyword::With => {
                if kw == Keyword::With {
                    return self.with_statement();
                }
                Ok(Stmt::Select(Box::new(self.select()?)))
            }
            Keyword::Insert | Keyword::Replace => Ok(Stmt::Insert(Box::new(self.insert(None)?))),
            Keyword::Update => Ok(Stmt::Update(Box::new(self.update(None)?))),
            Keyword::Delete => Ok(Stmt::Delete(Box::new(self.delete(None)?))),
            Keyword::Begin => {
                self.advance();
                let kind = if self.eat_kw(Keyword::Deferred) {
                    TransactionKind::Deferred
                } else if self.eat_kw(Keyword::Immediate) {
                    TransactionKind::Immediate
                } else if self.eat_kw(Keyword::Exclusive) {
                    TransactionKind::Exclusive
                } else {
                    TransactionKind::Deferred
                };
                self.trans_opt()?;
                Ok(Stmt::Begin(kind))
            }
            Keyword::Commit | Keyword::End => {
                self.advance();
                self.trans_opt()?;
                Ok(Stmt::Commit)
            }
            Keyword::Rollback => {
                self.advance();
                self.trans_opt()?;
                if self.eat_kw(Keyword::To) {
                    self.eat_kw(Keyword::Savepoint);
                    let name = self.nm()?;
                    Ok(Stmt::Rollback { savepoint: Some(name) })
                } else {
                    Ok(Stmt::Rollback { savepoint: None })
                }
            }
            Keyword::Savepoint => {
                self.advance();
                Ok(Stmt::Savepoint(self.nm()?))
            }
            Keyword::Release => {
                self.advance();
                self.eat_kw(Keyword::Savepoint);
                Ok(Stmt::Release(self.nm()?))
            }
            Keyword::Create => self.create(),
            Keyword::Drop => self.drop(),
            Keyword::Alter => self.alter(),
            Keyword::Pragma => self.pragma(),
            Keyword::Vacuum => {
                self.advance();
                let schema = if self.at_nm() && !self.is_kw(Keyword::Into) {
                    Some(self.nm()?)
                } else {
                    None
                };
                let into = if self.eat_kw(Keyword::Into) { Some(self.expr()?) } else { None };
                Ok(Stmt::Vacuum { schema, into })
            }
            Keyword::Attach => {
                self.advance();
                self.eat_kw(Keyword::Database);
                let file = self.expr()?;
                self.expect_kw(Keyword::As)?;
                let schema = self.expr()?;
                let key = if self.eat_kw(Keyword::Key) { Some(self.expr()?) } else { None };
                Ok(Stmt::Attach { file, schema, key })
            }
            Keyword::Detach => {
                self.advance();
                self.eat_kw(Keyword::Database);
                Ok(Stmt::Detach(self.expr()?))
            }
            Keyword::Analyze | Keyword::Reindex => {
                self.advance();
                let name = if self.at_nm() { Some(self.qualified_name()?) } else { None };
                Ok(if kw == Keyword::Analyze { Stmt::Analyze(name) } else { Stmt::Reindex(name) })
            }
            _ => Err(self.error_at(t)),
        }
    }

    /// `[TRANSACTION [nm]]`
    fn trans_opt(&mut self) -> PResult<()> {
        if self.eat_kw(Keyword::Transaction) && self.at_nm() {
            // `ROLLBACK TRANSACTION TO x`: TO is not a name.
            self.nm()?;
        }
        Ok(())
    }

    /// A statement beginning with WITH: SELECT, INSERT, UPDATE or DELETE.
    fn with_statement(&mut self) -> PResult<Stmt> {
        let with = self.with_clause()?;
        match self.kind() {
            TokenKind::Keyword(Keyword::Insert) | TokenKind::Keyword(Keyword::Replace) => {
                Ok(Stmt::Insert(Box::new(self.insert(Some(with))?)))
            }
            TokenKind::Keyword(Keyword::Update) => Ok(Stmt::Update(Box::new(self.update(Some(with))?))),
            TokenKind::Keyword(Keyword::Delete) => Ok(Stmt::Delete(Box::new(self.delete(Some(with))?))),
            _ => {
                let mut s = self.select_no_with()?;
                s.with = Some(with);
                Ok(Stmt::Select(Box::new(s)))
            }
        }
    }

    /// Registers a host parameter token (the current token's predecessor)
    /// and returns its number. Errors are SQLite's reduce-time errors: they
    /// surface once the following token is accepted (`raise_on_next`).
    fn variable(&mut self, t: Token) -> i32 {
        let text = self.text(t);
        let b = text.as_bytes();
        let too_many = || Error::sql("too many SQL variables");
        let max = self.limits.variable_number;
        if b.len() == 1 {
            if self.params.len() as i64 >= max {
                self.raise_on_next_at(too_many(), Some(t.start));
                return 0;
            }
            self.params.push(None);
            return self.params.len() as i32;
        }
        if b[0] == b'?' {
            let n = match text[1..].parse::<i64>() {
                Ok(n) if (1..=max).contains(&n) => n as usize,
                _ => {
                    let e = Error::sql(format!("variable number must be between ?1 and ?{max}"));
                    self.raise_on_next_at(e, Some(t.start));
                    return 0;
                }
            };
            if n > self.params.len() {
                self.params.resize(n, None);
            }
            if self.params[n - 1].is_none() {
                self.params[n - 1] = Some(text.to_string());
            }
            return n as i32;
        }
        if b[0] == b'#' && b.len() > 1 && b[1].is_ascii_digit() {
            // `#NNN` names a register, only in SQLite's own nested parses.
            let e = Error::sql(format!("near \"{text}\": syntax error"));
            self.raise_on_next_at(e, Some(t.start));
            return 0;
        }
        if let Some(&i) = self.param_names.get(text) {
            return i as i32 + 1;
        }
        if self.params.len() as i64 >= max {
            self.raise_on_next_at(too_many(), Some(t.start));
            return 0;
        }
        self.param_names.insert(text.to_string(), self.params.len());
        self.params.push(Some(text.to_string()));
        self.params.len() as i32
    }
}
