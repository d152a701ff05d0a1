//! SELECT: WITH clauses, compound selects, VALUES, result columns, the FROM
//! clause (joins, subqueries, table-valued functions, INDEXED BY), GROUP
//! BY, HAVING, WINDOW, ORDER BY and LIMIT.
//!
//! Invariants: each simple SELECT may carry its own ORDER BY/LIMIT while
//! parsing (as in SQLite's grammar); only the last one's survive into
//! `Select.order_by`/`limit`, and an earlier one is reported with SQLite's
//! "ORDER BY clause should come after UNION not before" message. `LIMIT a,
//! b` is normalised to limit b, offset a.

use super::ast::*;
use super::keywords::Keyword;
use super::tokenizer::TokenKind;
use super::{PResult, Parser};
use crate::error::Error;


impl<'a> Parser<'a> {
    /// `[WITH ...] select`
    pub(super) fn select(&mut self) -> PResult<Select> {
        if self.is_kw(Keyword::With) {
            let with = self.with_clause()?;
            let mut s = self.select_no_with()?;
            s.with = Some(with);
            Ok(s)
        } else {
            self.select_no_with()
        }
    }

    /// `WITH [RECURSIVE] cte, ...`
    pub(super) fn with_clause(&mut self) -> PResult<With> {
        self.expect_kw(Keyword::With)?;
        let recursive = self.eat_kw(Keyword::Recursive);
        let mut ctes = Vec::new();
        loop {
            let name = self.nm()?;
            let columns = if self.kind() == TokenKind::LParen {
                self.advance();
                let c = self.eidlist()?;
                self.expect(TokenKind::RParen)?;
                c
            } else {
                Vec::new()
            };
            self.expect_kw(Keyword::As)?;
            let materialized = if self.eat_kw(Keyword::Materialized) {
                Some(true)
            } else if self.is_kw(Keyword::Not) {
                self.advance();
                self.expect_kw(Keyword::Materialized)?;
                Some(false)
            } else {
                None
            };
            self.expect(TokenKind::LParen)?;
            let select = self.subselect()?;
            self.expect(TokenKind::RParen)?;
            ctes.push(Cte { name, columns, materialized, select });
            if !self.eat(TokenKind::Comma) {
                break;
            }
        }
        Ok(With { recursive, ctes })
    }

    /// `eidlist`: `nm [COLLATE x] [ASC|DESC], ...` where only bare names
    /// are allowed (SQLite reports anything else after the name).
    pub(super) fn eidlist(&mut self) -> PResult<Vec<String>> {
        let mut v = Vec::new();
        loop {
            let t = self.peek();
            let name = self.nm()?;
            let mut extra = false;
            if self.eat_kw(Keyword::Collate) {
                self.ids()?;
                extra = true;
            }
            if self.eat_kw(Keyword::Asc) || self.eat_kw(Keyword::Desc) {
                extra = true;
            }
            if extra {
                let e = Error::sql(format!("syntax error after column name \"{}\"", self.text(t)));
                self.raise_on_next(e);
            }
            v.push(name);
            if !self.eat(TokenKind::Comma) {
                break;
            }
        }
        Ok(v)
    }

    /// A compound select without a leading WITH.
    pub(super) fn select_no_with(&mut self) -> PResult<Select> {
        let (core, mut order_by, mut limit) = self.one_select()?;
        let mut compounds = Vec::new();
        let mut misplaced: Option<(bool, usize)> = None;
        loop {
            let op = match self.kind() {
                TokenKind::Keyword(Keyword::Union) => {
                    self.advance();
                    if self.eat_kw(Keyword::All) {
                        CompoundOp::UnionAll
                    } else {
                        CompoundOp::Union
                    }
                }
                TokenKind::Keyword(Keyword::Intersect) => {
                    self.advance();
                    CompoundOp::Intersect
                }
                TokenKind::Keyword(Keyword::Except) => {
                    self.advance();
                    CompoundOp::Except
                }
                _ => break,
            };
            if !order_by.is_empty() || limit.is_some() {
                // Remember the last misplaced clause and the op after it.
                misplaced = Some((!order_by.is_empty(), compounds.len()));
            }
            let (c, o, l) = self.one_select()?;
            compounds.push((op, c));
            order_by = o;
            limit = l;
        }
        if let Some((is_order, idx)) = misplaced {
            let op = match compounds[idx].0 {
                CompoundOp::Union => "UNION",
                CompoundOp::UnionAll => "UNION ALL",
                CompoundOp::Intersect => "INTERSECT",
                CompoundOp::Except => "EXCEPT",
            };
            let e = Error::sql(format!(
                "{} clause should come after {} not before",
                if is_order { "ORDER BY" } else { "LIMIT" },
                op
            ));
            // Reported when SQLite reduces the whole SELECT, i.e. at a token
            // that may follow one.
            let follows: fn(TokenKind) -> bool = if self.subselect_depth > 0 {
                |k| k == TokenKind::RParen || Self::follows_select(k)
            } else {
                Self::follows_select
            };
            return Err(self.error_on_reduce(e, follows));
        }
        let max = self.limits.compound_select;
        if max > 0 && compounds.len() + 1 > max {
            let all_values = matches!(core, SelectCore::Values(_))
                && compounds.iter().all(|(_, c)| matches!(c, SelectCore::Values(_)));
            if !all_values {
                return Err(Error::sql("too many terms in compound SELECT"));
            }
        }
        Ok(Select { with: None, core, compounds, order_by, limit })
    }

    /// Tokens that may follow a complete top-level SELECT.
    fn follows_select(k: TokenKind) -> bool {
        matches!(
            k,
            TokenKind::Semi | TokenKind::Eof | TokenKind::Keyword(Keyword::On | Keyword::Returning)
        )
    }

    /// One simple SELECT or VALUES, with its own ORDER BY and LIMIT.
    fn one_select(&mut self) -> PResult<(SelectCore, Vec<OrderingTerm>, Option<Limit>)> {
        if self.eat_kw(Keyword::Values) {
            let mut rows: Vec<Vec<Expr>> = Vec::new();
            loop {
                self.expect(TokenKind::LParen)?;
                let row = self.nexprlist()?.0;
                self.expect(TokenKind::RParen)?;
                if rows.first().is_some_and(|r| r.len() != row.len()) {
                    // Raised as the row is added, once the next token is read.
                    let e = Error::sql("all VALUES must have the same number of terms");
                    return Err(self.error_on_reduce(e, |k| {
                        matches!(
                            k,
                            TokenKind::Comma
                                | TokenKind::RParen
                                | TokenKind::Semi
                                | TokenKind::Keyword(
                                    Keyword::Union
                                        | Keyword::Except
                                        | Keyword::Intersect
                                        | Keyword::On
                                        | Keyword::Returning
                                )
                        )
                    }));
                }
                rows.push(row);
                if !self.eat(TokenKind::Comma) {
                    break;
                }
            }
            return Ok((SelectCore::Values(rows), Vec::new(), None));
        }
        self.expect_kw(Keyword::Select)?;
        let distinct = if self.eat_kw(Keyword::Distinct) {
            true
        } else {
            self.eat_kw(Keyword::All);
            false
        };
        let columns = self.result_columns()?;
        let from = if self.eat_kw(Keyword::From) { Some(self.table_list()?) } else { None };
        let where_ = if self.eat_kw(Keyword::Where) { Some(self.expr()?) } else { None };
        let mut group_by = Vec::new();
        if self.is_kw(Keyword::Group) {
            self.advance();
            self.expect_kw(Keyword::By)?;
            group_by = self.nexprlist()?.0;
        }
        let having = if self.eat_kw(Keyword::Having) { Some(self.expr()?) } else { None };
        let mut windows = Vec::new();
        if self.eat_kw(Keyword::Window) {
            loop {
                let name = self.nm()?;
                self.expect_kw(Keyword::As)?;
                self.expect(TokenKind::LParen)?;
                let w = self.window_def()?;
                self.expect(TokenKind::RParen)?;
                windows.push((name, w));
                if !self.eat(TokenKind::Comma) {
                    break;
                }
            }
        }
        let order_by = self.order_by_opt()?;
        let limit = self.limit_opt()?;
        let body = SelectBody { distinct, columns, from, where_, group_by, having, windows };
        Ok((SelectCore::Select(Box::new(body)), order_by, limit))
    }

    /// `[ORDER BY sortlist]`
    pub(super) fn order_by_opt(&mut self) -> PResult<Vec<OrderingTerm>> {
        if self.is_kw(Keyword::Order) {
            self.advance();
            self.expect_kw(Keyword::By)?;
            Ok(self.sortlist()?.0)
        } else {
            Ok(Vec::new())
        }
    }

    /// `[LIMIT e [OFFSET e | , e]]`
    pub(super) fn limit_opt(&mut self) -> PResult<Option<Limit>> {
        if !self.eat_kw(Keyword::Limit) {
            return Ok(None);
        }
        let first = self.expr()?;
        if self.eat_kw(Keyword::Offset) {
            let off = self.expr()?;
            Ok(Some(Limit { limit: first, offset: Some(off) }))
        } else if self.eat(TokenKind::Comma) {
            let lim = self.expr()?;
            Ok(Some(Limit { limit: lim, offset: Some(first) }))
        } else {
            Ok(Some(Limit { limit: first, offset: None }))
        }
    }

    /// The result columns of a SELECT (also used by RETURNING).
    pub(super) fn result_columns(&mut self) -> PResult<Vec<ResultColumn>> {
        let mut v = Vec::new();
        loop {
            if self.eat(TokenKind::Star) {
                v.push(ResultColumn::Star);
            } else if Self::is_nm_kind(self.kind())
                && self.kind_n(1) == TokenKind::Dot
                && self.kind_n(2) == TokenKind::Star
            {
                let name = self.nm()?;
                self.advance();
                self.advance();
                v.push(ResultColumn::TableStar(name));
            } else {
                let (expr, text) = self.expr_with_text()?;
                let alias = if self.eat_kw(Keyword::As) {
                    Some(self.nm()?)
                } else if self.at_ids() {
                    Some(self.ids()?)
                } else {
                    None
                };
                v.push(ResultColumn::Expr { expr, alias, text });
            }
            if !self.eat(TokenKind::Comma) {
                break;
            }
        }
        Ok(v)
    }

    /// The FROM clause's table list.
    pub(super) fn table_list(&mut self) -> PResult<From> {
        self.table_list_in(false)
    }

    /// A FROM list, top level or inside parentheses (`nested`).
    fn table_list_in(&mut self, nested: bool) -> PResult<From> {
        let (first, on) = self.table_ref()?;
        if let Some(c) = on {
            let e = Error::sql(format!(
                "a JOIN clause is required before {}",
                if matches!(c, JoinConstraint::On(_)) { "ON" } else { "USING" }
            ));
            let follows: fn(TokenKind) -> bool = if nested {
                |k| {
                    matches!(k, TokenKind::Comma | TokenKind::RParen | TokenKind::Keyword(Keyword::Join))
                        || matches!(k, TokenKind::Keyword(kw) if kw.is_join_kw())
                }
            } else if self.subselect_depth > 0 {
                |k| k == TokenKind::RParen || Self::follows_table_term(k)
            } else {
                Self::follows_table_term
            };
            return Err(self.error_on_reduce(e, follows));
        }
        let mut joins = Vec::new();
        while let Some(op) = self.join_op()? {
            let (table, constraint) = self.table_ref()?;
            joins.push(Join { op, table, constraint });
        }
        Ok(From { first, joins })
    }

    /// Tokens that may follow a FROM-clause term (a `)` only inside a
    /// parenthesised SELECT: see `follows_table_term_in_subselect`).
    fn follows_table_term(k: TokenKind) -> bool {
        match k {
            TokenKind::Comma | TokenKind::Semi | TokenKind::Eof => true,
            TokenKind::Keyword(kw) => {
                kw.is_join_kw()
                    || matches!(
                        kw,
                        Keyword::Join
                            | Keyword::Where
                            | Keyword::Group
                            | Keyword::Having
                            | Keyword::Window
                            | Keyword::Order
                            | Keyword::Limit
                            | Keyword::Union
                            | Keyword::Except
                            | Keyword::Intersect
                            | Keyword::Returning
                            | Keyword::Set
                    )
            }
            _ => false,
        }
    }

    /// `joinop`, or None if the current token does not start one.
    fn join_op(&mut self) -> PResult<Option<JoinOp>> {
        match self.kind() {
            TokenKind::Comma => {
                self.advance();
                Ok(Some(JoinOp { natural: false, kind: JoinKind::Comma }))
            }
            TokenKind::Keyword(Keyword::Join) => {
                self.advance();
                Ok(Some(JoinOp { natural: false, kind: JoinKind::Inner }))
            }
            TokenKind::Keyword(kw) if kw.is_join_kw() => {
                let mut words = vec![self.advance()];
                while !self.is_kw(Keyword::Join) && words.len() < 3 {
                    if !self.at_nm() {
                        return Err(self.syntax_error());
                    }
                    words.push(self.advance());
                }
                self.expect_kw(Keyword::Join)?;
                // SQLite's sqlite3JoinType: each word sets flags; OUTER alone,
                // INNER with OUTER, or an unknown word is an error.
                let (mut natural, mut left, mut right, mut outer) = (false, false, false, false);
                let (mut inner, mut cross, mut err) = (false, false, false);
                for w in &words {
                    match self.text(*w).to_ascii_lowercase().as_str() {
                        "natural" => natural = true,
                        "left" => {
                            left = true;
                            outer = true
                        }
                        "right" => {
                            right = true;
                            outer = true
                        }
                        "full" => {
                            left = true;
                            right = true;
                            outer = true
                        }
                        "outer" => outer = true,
                        "inner" => inner = true,
                        "cross" => {
                            inner = true;
                            cross = true
                        }
                        _ => err = true,
                    }
                }
                if err || (inner && outer) || (outer && !left && !right) {
                    let names: Vec<&str> = words.iter().map(|w| self.text(*w)).collect();
                    let e = Error::sql(format!("unknown join type: {}", names.join(" ")));
                    let e = self.error_on_reduce(e, |k| k == TokenKind::LParen || Self::is_nm_kind(k));
                    if e.message().starts_with("unknown join type") {
                        self.err_offset.set(Some(words[0].start));
                    }
                    return Err(e);
                }
                let kind = if left && right {
                    JoinKind::Full
                } else if left {
                    JoinKind::Left
                } else if right {
                    JoinKind::Right
                } else if cross {
                    JoinKind::Cross
                } else {
                    JoinKind::Inner
                };
                Ok(Some(JoinOp { natural, kind }))
            }
            _ => Ok(None),
        }
    }

    /// `[AS nm | ids]`
    fn alias_opt(&mut self) -> PResult<Option<String>> {
        if self.eat_kw(Keyword::As) {
            Ok(Some(self.nm()?))
        } else if self.at_ids() {
            Ok(Some(self.ids()?))
        } else {
            Ok(None)
        }
    }

    /// One FROM-clause term and its ON/USING constraint.
    fn table_ref(&mut self) -> PResult<(TableRef, Option<JoinConstraint>)> {
        let table = if self.eat(TokenKind::LParen) {
            if self.at_select_start() {
                let s = self.nested(super::cost::FROM_SUBQUERY, |p| p.subselect())?;
                self.expect(TokenKind::RParen)?;
                let alias = self.alias_opt()?;
                TableRef::Subquery { select: Box::new(s), alias }
            } else {
                let inner = self.nested(super::cost::FROM_PAREN, |p| p.table_list_in(true))?;
                self.expect(TokenKind::RParen)?;
                let alias = self.alias_opt()?;
                if inner.joins.is_empty() {
                    let mut t = inner.first;
                    if alias.is_some() {
                        match &mut t {
                            TableRef::Table { alias: a, .. }
                            | TableRef::Subquery { alias: a, .. }
                            | TableRef::Nested { alias: a, .. } => *a = alias,
                        }
                    }
                    t
                } else {
                    TableRef::Nested { from: Box::new(inner), alias }
                }
            }
        } else {
            let name = self.qualified_name()?;
            let args = if self.eat(TokenKind::LParen) {
                let a = if self.kind() == TokenKind::RParen {
                    Vec::new()
                } else {
                    self.nexprlist()?.0
                };
                self.expect(TokenKind::RParen)?;
                Some(a)
            } else {
                None
            };
            let alias = self.alias_opt()?;
            let indexed = if args.is_none() { self.indexed_opt()? } else { None };
            TableRef::Table { name, alias, indexed, args }
        };
        let constraint = if self.eat_kw(Keyword::On) {
            Some(JoinConstraint::On(self.expr()?))
        } else if self.eat_kw(Keyword::Using) {
            self.expect(TokenKind::LParen)?;
            let ids = self.idlist()?;
            self.expect(TokenKind::RParen)?;
            Some(JoinConstraint::Using(ids))
        } else {
            None
        };
        Ok((table, constraint))
    }

    /// `[INDEXED BY nm | NOT INDEXED]`
    pub(super) fn indexed_opt(&mut self) -> PResult<Option<Indexed>> {
        if self.is_kw(Keyword::Indexed) {
            self.advance();
            self.expect_kw(Keyword::By)?;
            Ok(Some(Indexed::By(self.nm()?)))
        } else if self.is_kw(Keyword::Not) {
            self.advance();
            self.expect_kw(Keyword::Indexed)?;
            Ok(Some(Indexed::NotIndexed))
        } else {
            Ok(None)
        }
    }

    /// `nm, nm, ...`
    pub(super) fn idlist(&mut self) -> PResult<Vec<String>> {
        let mut v = vec![self.nm()?];
        while self.eat(TokenKind::Comma) {
            v.push(self.nm()?);
        }
        Ok(v)
    }

}
