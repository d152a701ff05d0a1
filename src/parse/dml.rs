//! INSERT/REPLACE (with upsert and RETURNING), UPDATE and DELETE.
//!
//! Invariants: `REPLACE INTO` yields `or_conflict: Some(Replace)`; UPDATE
//! and DELETE accept ORDER BY/LIMIT after WHERE/RETURNING, as the reference
//! build (SQLITE_ENABLE_UPDATE_DELETE_LIMIT) does, and ORDER BY without
//! LIMIT is reported; upsert clauses are kept in source order.

use super::ast::*;
use super::keywords::Keyword;
use super::tokenizer::TokenKind;
use super::{PResult, Parser};
use crate::error::Error;

impl<'a> Parser<'a> {
    /// `[OR resolvetype]`
    pub(super) fn or_conflict(&mut self) -> PResult<Option<ConflictResolution>> {
        if self.eat_kw(Keyword::Or) {
            Ok(Some(self.resolve_type()?))
        } else {
            Ok(None)
        }
    }

    /// `ROLLBACK | ABORT | FAIL | IGNORE | REPLACE`
    pub(super) fn resolve_type(&mut self) -> PResult<ConflictResolution> {
        let t = self.peek();
        let r = match t.kind {
            TokenKind::Keyword(Keyword::Rollback) => ConflictResolution::Rollback,
            TokenKind::Keyword(Keyword::Abort) => ConflictResolution::Abort,
            TokenKind::Keyword(Keyword::Fail) => ConflictResolution::Fail,
            TokenKind::Keyword(Keyword::Ignore) => ConflictResolution::Ignore,
            TokenKind::Keyword(Keyword::Replace) => ConflictResolution::Replace,
            _ => return Err(self.error_at(t)),
        };
        self.advance();
        Ok(r)
    }

    /// `xfullname`: `nm [. nm] [AS nm]`
    fn xfullname(&mut self) -> PResult<(QualifiedName, Option<String>)> {
        let name = self.qualified_name()?;
        let alias = if self.eat_kw(Keyword::As) { Some(self.nm()?) } else { None };
        Ok((name, alias))
    }

    /// `[RETURNING selcollist]`
    fn returning_opt(&mut self) -> PResult<Vec<ResultColumn>> {
        if self.eat_kw(Keyword::Returning) {
            self.result_columns()
        } else {
            Ok(Vec::new())
        }
    }

    pub(super) fn insert(&mut self, with: Option<With>) -> PResult<Insert> {
        let or_conflict = if self.eat_kw(Keyword::Replace) {
            Some(ConflictResolution::Replace)
        } else {
            self.expect_kw(Keyword::Insert)?;
            self.or_conflict()?
        };
        self.expect_kw(Keyword::Into)?;
        let (table, alias) = self.xfullname()?;
        let columns = if self.eat(TokenKind::LParen) {
            let c = self.idlist()?;
            self.expect(TokenKind::RParen)?;
            c
        } else {
            Vec::new()
        };
        let mut upsert = Vec::new();
        let source;
        let returning;
        if self.is_kw(Keyword::Default) && !self.in_trigger {
            self.advance();
            self.expect_kw(Keyword::Values)?;
            source = InsertSource::DefaultValues;
            returning = self.returning_opt()?;
        } else {
            if !matches!(
                self.kind(),
                TokenKind::Keyword(Keyword::Select | Keyword::Values | Keyword::With)
            ) {
                return Err(self.syntax_error());
            }
            source = InsertSource::Select(Box::new(self.select()?));
            returning = self.upserts(&mut upsert)?;
        }
        Ok(Insert { with, or_conflict, table, alias, columns, source, upsert, returning })
    }

    /// Upsert clauses, then RETURNING; returns the RETURNING list.
    fn upserts(&mut self, out: &mut Vec<Upsert>) -> PResult<Vec<ResultColumn>> {
        loop {
            if !self.is_kw(Keyword::On) {
                return self.returning_opt();
            }
            self.advance();
            self.expect_kw(Keyword::Conflict)?;
            let mut target = Vec::new();
            let mut target_where = None;
            let has_target = self.eat(TokenKind::LParen);
            if has_target {
                target = self.indexed_columns()?;
                self.expect(TokenKind::RParen)?;
                if self.eat_kw(Keyword::Where) {
                    target_where = Some(self.expr()?);
                }
            }
            self.expect_kw(Keyword::Do)?;
            let action = if self.eat_kw(Keyword::Nothing) {
                UpsertAction::Nothing
            } else {
                self.expect_kw(Keyword::Update)?;
                self.expect_kw(Keyword::Set)?;
                let sets = self.setlist()?;
                let where_ = if self.eat_kw(Keyword::Where) { Some(self.expr()?) } else { None };
                UpsertAction::Update { sets, where_ }
            };
            out.push(Upsert { target, target_where, action });
            if !has_target {
                // A target-less upsert must be the last one.
                return self.returning_opt();
            }
        }
    }

    /// `sortlist` as index columns: a top-level COLLATE becomes the
    /// column's collation; NULLS FIRST/LAST is rejected as SQLite does.
    pub(super) fn indexed_columns(&mut self) -> PResult<Vec<IndexedColumn>> {
        let mut v = Vec::new();
        let mut nulls_err = None;
        let (terms, _) = self.sortlist()?;
        for t in terms {
            if let Some(n) = t.nulls {
                if nulls_err.is_none() {
                    let first = matches!(
                        (t.order, n),
                        (None | Some(SortOrder::Asc), NullsOrder::First)
                            | (Some(SortOrder::Desc), NullsOrder::Last)
                    );
                    let _ = first;
                    nulls_err = Some(match n {
                        NullsOrder::First => "FIRST",
                        NullsOrder::Last => "LAST",
                    });
                }
            }
            let (expr, collation) = match t.expr {
                Expr::Collate { expr, collation } => (*expr, Some(collation)),
                e => (e, None),
            };
            v.push(IndexedColumn { expr, collation, order: t.order });
        }
        if let Some(w) = nulls_err {
            self.defer(Error::sql(format!("unsupported use of NULLS {w}")));
        }
        Ok(v)
    }

    /// `setlist`: `nm = expr | (nm, ...) = expr`, comma separated.
    pub(super) fn setlist(&mut self) -> PResult<Vec<Assignment>> {
        let mut v = Vec::new();
        loop {
            let columns = if self.eat(TokenKind::LParen) {
                let c = self.idlist()?;
                self.expect(TokenKind::RParen)?;
                c
            } else {
                vec![self.nm()?]
            };
            self.expect(TokenKind::Eq)?;
            let expr = self.expr()?;
            if columns.len() > 1 {
                let n = match &expr {
                    Expr::Vector(v) => v.len(),
                    Expr::Subquery(_) => columns.len(),
                    _ => 1,
                };
                if n != columns.len() {
                    let e = Error::sql(format!("{} columns assigned {} values", columns.len(), n));
                    return Err(self.error_on_reduce(e, |k| {
                        matches!(
                            k,
                            TokenKind::Comma
                                | TokenKind::Semi
                                | TokenKind::Keyword(
                                    Keyword::From
                                        | Keyword::Where
                                        | Keyword::Returning
                                        | Keyword::On
                                        | Keyword::Order
                                        | Keyword::Limit
                                )
                        )
                    }));
                }
            }
            v.push(Assignment { columns, expr });
            if !self.eat(TokenKind::Comma) {
                break;
            }
        }
        Ok(v)
    }

    pub(super) fn update(&mut self, with: Option<With>) -> PResult<Update> {
        self.expect_kw(Keyword::Update)?;
        let or_conflict = self.or_conflict()?;
        let (table, alias) = self.xfullname()?;
        let indexed = self.indexed_opt()?;
        self.check_trigger_indexed(&indexed, |k| k == TokenKind::Keyword(Keyword::Set))?;
        self.expect_kw(Keyword::Set)?;
        let sets = self.setlist()?;
        let from = if self.eat_kw(Keyword::From) { Some(self.table_list()?) } else { None };
        let where_ = if self.eat_kw(Keyword::Where) { Some(self.expr()?) } else { None };
        // Trigger bodies have no RETURNING on UPDATE/DELETE (a syntax error).
        let returning = if self.in_trigger { Vec::new() } else { self.returning_opt()? };
        let (order_by, limit) = self.dml_limit("UPDATE")?;
        Ok(Update { with, or_conflict, table, alias, indexed, sets, from, where_, returning, order_by, limit })
    }

    pub(super) fn delete(&mut self, with: Option<With>) -> PResult<Delete> {
        self.expect_kw(Keyword::Delete)?;
        self.expect_kw(Keyword::From)?;
        let (table, alias) = self.xfullname()?;
        let indexed = self.indexed_opt()?;
        self.check_trigger_indexed(&indexed, |k| {
            matches!(k, TokenKind::Semi | TokenKind::Keyword(Keyword::Where))
        })?;
        let where_ = if self.eat_kw(Keyword::Where) { Some(self.expr()?) } else { None };
        let returning = if self.in_trigger { Vec::new() } else { self.returning_opt()? };
        let (order_by, limit) = self.dml_limit("DELETE")?;
        Ok(Delete { with, table, alias, indexed, where_, returning, order_by, limit })
    }

    /// `[ORDER BY ...] [LIMIT ...]` of UPDATE/DELETE.
    fn dml_limit(&mut self, what: &str) -> PResult<(Vec<OrderingTerm>, Option<Limit>)> {
        if self.in_trigger {
            return Ok((Vec::new(), None));
        }
        let order_by = self.order_by_opt()?;
        let limit = self.limit_opt()?;
        if !order_by.is_empty() && limit.is_none() {
            self.defer(Error::sql(format!("ORDER BY without LIMIT on {what}")));
        }
        Ok((order_by, limit))
    }
}
