//! Expression parsing: precedence climbing over SQLite's operator table,
//! primaries (literals, names, function calls with FILTER/OVER, CAST, CASE,
//! EXISTS, subqueries, row values, RAISE) and the list forms built from
//! expressions (expression lists, ORDER BY terms, type names).
//!
//! Precedence, loosest first (as parse.y declares it): OR; AND; prefix NOT;
//! IS, MATCH, LIKE/GLOB/REGEXP, BETWEEN, IN, ISNULL, NOTNULL, NOT NULL, =,
//! ==, !=, <>; < <= > >=; ESCAPE; & | << >>; + -; * / %; || -> ->>; COLLATE;
//! prefix - + ~. Binary operators are left-associative.
//!
//! Invariants: every function that returns an `Expr` leaves that
//! expression's height (SQLite's Expr.nHeight: leaves 1, each node one more
//! than its tallest child) in `Parser::last_h`, and fails with
//! `Expression tree is too large (maximum depth 1000)` as soon as a node
//! would exceed the limit. Recursion goes through `enter`/`leave`.

use super::ast::*;
use super::keywords::Keyword;
use super::tokenizer::{self, TokenKind};
use super::{cost, Cost, PResult, Parser};
use crate::error::Error;

// Binding powers.
const P_OR: u8 = 1;
const P_AND: u8 = 2;
const P_NOT: u8 = 3;
const P_EQ: u8 = 4;
const P_CMP: u8 = 5;
const P_BIT: u8 = 7;
const P_ADD: u8 = 8;
const P_MUL: u8 = 9;
const P_CONCAT: u8 = 10;
const P_COLLATE: u8 = 11;
const P_UNARY: u8 = 12;


impl<'a> Parser<'a> {
    /// Records the height of a node whose tallest child has height `child`.
    pub(super) fn set_h(&mut self, child: u32) -> PResult<()> {
        let h = child + 1;
        if h > self.limits.expr_depth {
            return Err(self.too_deep());
        }
        self.last_h = h;
        Ok(())
    }

    /// Parses a full expression.
    pub(super) fn expr(&mut self) -> PResult<Expr> {
        let e = self.expr_prec(P_OR)?;
        self.sel_max_h = self.sel_max_h.max(self.last_h);
        Ok(e)
    }

    /// Parses an expression and returns it with its source text as SQLite
    /// keeps it (sqlite3ExprListSetSpan): from the expression's first token
    /// up to the token after it, less surrounding whitespace, so a comment
    /// right after the expression is part of the text.
    pub(super) fn expr_with_text(&mut self) -> PResult<(Expr, String)> {
        let start = self.peek().start;
        let e = self.expr()?;
        let end = self.peek().start.max(start);
        let text = self.sql.get(start..end).unwrap_or("");
        Ok((e, text.trim_matches(|c| matches!(c, ' ' | '\t' | '\n' | '\x0b' | '\x0c' | '\r')).to_string()))
    }

    fn expr_prec(&mut self, min: u8) -> PResult<Expr> {
        self.expr_prec_inner(min)
    }

    /// Parses the operand of a node being built (unary operand, right-hand
    /// side): one level deeper in the expression tree.
    fn operand(&mut self, min: u8, c: Cost) -> PResult<Expr> {
        self.nested(c, |p| p.expr_prec_inner(min))
    }

    fn expr_prec_inner(&mut self, min: u8) -> PResult<Expr> {
        let mut lhs = self.unary()?;
        let mut lh = self.last_h;
        loop {
            let k = self.kind();
            let (prec, op) = match k {
                TokenKind::Keyword(Keyword::Or) => (P_OR, Some(BinaryOp::Or)),
                TokenKind::Keyword(Keyword::And) => (P_AND, Some(BinaryOp::And)),
                TokenKind::Eq => (P_EQ, Some(BinaryOp::Eq)),
                TokenKind::Ne => (P_EQ, Some(BinaryOp::Ne)),
                TokenKind::Lt => (P_CMP, Some(BinaryOp::Lt)),
                TokenKind::Le => (P_CMP, Some(BinaryOp::Le)),
                TokenKind::Gt => (P_CMP, Some(BinaryOp::Gt)),
                TokenKind::Ge => (P_CMP, Some(BinaryOp::Ge)),
                TokenKind::BitAnd => (P_BIT, Some(BinaryOp::BitAnd)),
                TokenKind::BitOr => (P_BIT, Some(BinaryOp::BitOr)),
                TokenKind::LShift => (P_BIT, Some(BinaryOp::ShiftLeft)),
                TokenKind::RShift => (P_BIT, Some(BinaryOp::ShiftRight)),
                TokenKind::Plus => (P_ADD, Some(BinaryOp::Add)),
                TokenKind::Minus => (P_ADD, Some(BinaryOp::Subtract)),
                TokenKind::Star => (P_MUL, Some(BinaryOp::Multiply)),
                TokenKind::Slash => (P_MUL, Some(BinaryOp::Divide)),
                TokenKind::Rem => (P_MUL, Some(BinaryOp::Remainder)),
                TokenKind::Concat => (P_CONCAT, Some(BinaryOp::Concat)),
                TokenKind::Ptr => {
                    let t = self.peek();
                    let op = if t.end - t.start == 3 {
                        BinaryOp::JsonExtractText
                    } else {
                        BinaryOp::JsonExtract
                    };
                    (P_CONCAT, Some(op))
                }
                TokenKind::Keyword(Keyword::Collate) => (P_COLLATE, None),
                TokenKind::Keyword(
                    Keyword::Is
                    | Keyword::Isnull
                    | Keyword::Notnull
                    | Keyword::Between
                    | Keyword::In
                    | Keyword::Match
                    | Keyword::Like
                    | Keyword::Glob
                    | Keyword::Regexp,
                ) => (P_EQ, None),
                TokenKind::Keyword(Keyword::Not) => {
                    match self.kind_n(1) {
                        TokenKind::Keyword(
                            Keyword::Null
                            | Keyword::Between
                            | Keyword::In
                            | Keyword::Match
                            | Keyword::Like
                            | Keyword::Glob
                            | Keyword::Regexp,
                        ) => (P_EQ, None),
                        // `x NOT y`: the NOT cannot continue; report it.
                        _ => {
                            if P_EQ >= min {
                                self.advance();
                                return Err(self.syntax_error());
                            }
                            break;
                        }
                    }
                }
                _ => break,
            };
            if prec < min {
                break;
            }
            if let Some(op) = op {
                self.advance();
                let rhs = self.operand(prec + 1, cost::OPERAND)?;
                let h = lh.max(self.last_h);
                lhs = Expr::Binary(Box::new(lhs), op, Box::new(rhs));
                self.set_h(h)?;
                lh = self.last_h;
                continue;
            }
            lhs = self.nested(cost::SPECIAL, |p| p.special_op(lhs, lh))?;
            lh = self.last_h;
        }
        self.last_h = lh;
        Ok(lhs)
    }

    /// The non-simple operators at the current token, applied to `lhs`.
    fn special_op(&mut self, lhs: Expr, lh: u32) -> PResult<Expr> {
        let t = self.advance();
        let lhs = Box::new(lhs);
        match t.kind {
            TokenKind::Keyword(Keyword::Collate) => {
                let name = self.ids()?;
                self.set_h(lh)?;
                Ok(Expr::Collate { expr: lhs, collation: name })
            }
            TokenKind::Keyword(Keyword::Isnull) => {
                self.set_h(lh)?;
                Ok(Expr::IsNull { expr: lhs, not: false })
            }
            TokenKind::Keyword(Keyword::Notnull) => {
                self.set_h(lh)?;
                Ok(Expr::IsNull { expr: lhs, not: true })
            }
            TokenKind::Keyword(Keyword::Is) => {
                let mut not = self.eat_kw(Keyword::Not);
                if self.eat_kw(Keyword::Distinct) {
                    self.expect_kw(Keyword::From)?;
                    not = !not;
                }
                let rhs = self.expr_prec(P_EQ + 1)?;
                let h = lh.max(self.last_h);
                self.set_h(h)?;
                if rhs == Expr::Literal(Literal::Null) {
                    return Ok(Expr::IsNull { expr: lhs, not });
                }
                let op = if not { BinaryOp::IsNot } else { BinaryOp::Is };
                Ok(Expr::Binary(lhs, op, Box::new(rhs)))
            }
            TokenKind::Keyword(Keyword::Not) => {
                let t2 = self.advance();
                match t2.kind {
                    TokenKind::Keyword(Keyword::Null) => {
                        self.set_h(lh)?;
                        Ok(Expr::IsNull { expr: lhs, not: true })
                    }
                    TokenKind::Keyword(kw) => self.negatable(lhs, lh, kw, true),
                    _ => Err(self.error_at(t2)),
                }
            }
            TokenKind::Keyword(kw) => self.negatable(lhs, lh, kw, false),
            _ => Err(self.error_at(t)),
        }
    }

    /// BETWEEN, IN, LIKE/GLOB/REGEXP/MATCH after the keyword (and NOT).
    fn negatable(&mut self, lhs: Box<Expr>, lh: u32, kw: Keyword, not: bool) -> PResult<Expr> {
        // NOT x forms get an extra TK_NOT node in SQLite's tree.
        let extra = not as u32;
        match kw {
            Keyword::Between => {
                // The low bound stops at AND (which belongs to BETWEEN) but
                // may contain OR, whose right side then binds AND as usual.
                let mut low = self.expr_prec(P_NOT)?;
                let mut h1 = self.last_h;
                while self.is_kw(Keyword::Or) {
                    self.advance();
                    let rhs = self.operand(P_AND, cost::OPERAND)?;
                    low = Expr::Binary(Box::new(low), BinaryOp::Or, Box::new(rhs));
                    let h = h1.max(self.last_h);
                    self.set_h(h)?;
                    h1 = self.last_h;
                }
                self.expect_kw(Keyword::And)?;
                let high = self.expr_prec(P_NOT)?;
                let h = lh.max(h1).max(self.last_h) + extra;
                self.set_h(h)?;
                Ok(Expr::Between { expr: lhs, not, low: Box::new(low), high: Box::new(high) })
            }
            Keyword::In => self.in_rhs(lhs, lh + extra, not),
            Keyword::Like | Keyword::Glob | Keyword::Regexp | Keyword::Match => {
                let op = match kw {
                    Keyword::Like => LikeOp::Like,
                    Keyword::Glob => LikeOp::Glob,
                    Keyword::Regexp => LikeOp::Regexp,
                    _ => LikeOp::Match,
                };
                let rhs = self.expr_prec(P_EQ + 1)?;
                let mut h = lh.max(self.last_h);
                let escape = if self.eat_kw(Keyword::Escape) {
                    let e = self.expr_prec(P_EQ + 1)?;
                    h = h.max(self.last_h);
                    Some(Box::new(e))
                } else {
                    None
                };
                self.set_h(h + extra)?;
                Ok(Expr::Like { lhs, not, op, rhs: Box::new(rhs), escape })
            }
            _ => {
                self.pos -= 1;
                Err(self.syntax_error())
            }
        }
    }

    fn in_rhs(&mut self, lhs: Box<Expr>, lh: u32, not: bool) -> PResult<Expr> {
        if self.eat(TokenKind::LParen) {
            if self.at_select_start() {
                let select = self.subselect()?;
                let sh = self.last_h;
                self.expect(TokenKind::RParen)?;
                self.set_h(lh.max(sh))?;
                return Ok(Expr::InSelect { expr: lhs, not, select: Box::new(select) });
            }
            let (list, h) = if self.kind() == TokenKind::RParen {
                (Vec::new(), 0)
            } else {
                self.nested(cost::IN_LIST, |p| p.nexprlist())?
            };
            self.expect(TokenKind::RParen)?;
            self.set_h(lh.max(h))?;
            return Ok(Expr::InList { expr: lhs, not, list });
        }
        let table = self.qualified_name()?;
        let mut args = Vec::new();
        let mut h = lh;
        if self.eat(TokenKind::LParen) {
            if self.kind() != TokenKind::RParen {
                let (l, ah) = self.nexprlist()?;
                args = l;
                h = h.max(ah);
            }
            self.expect(TokenKind::RParen)?;
        }
        self.set_h(h)?;
        Ok(Expr::InTable { expr: lhs, not, table, args })
    }

    /// True if the current token starts a SELECT (inside parentheses).
    pub(super) fn at_select_start(&mut self) -> bool {
        matches!(
            self.kind(),
            TokenKind::Keyword(Keyword::Select | Keyword::Values | Keyword::With)
        )
    }

    /// A parenthesised SELECT's body (after the `(`); leaves the height of
    /// a node holding it in `last_h`.
    pub(super) fn subselect(&mut self) -> PResult<Select> {
        self.enter(cost::SUBSELECT)?;
        let saved = std::mem::replace(&mut self.sel_max_h, 0);
        self.subselect_depth += 1;
        let r = self.select();
        self.subselect_depth -= 1;
        let inner = self.sel_max_h;
        self.sel_max_h = saved;
        self.leave(cost::SUBSELECT);
        let s = r?;
        self.last_h = inner;
        Ok(s)
    }

    fn unary(&mut self) -> PResult<Expr> {
        let op = match self.kind() {
            TokenKind::Keyword(Keyword::Not) => Some((UnaryOp::Not, P_NOT)),
            TokenKind::Minus => Some((UnaryOp::Neg, P_UNARY)),
            TokenKind::Plus => Some((UnaryOp::Pos, P_UNARY)),
            TokenKind::BitNot => Some((UnaryOp::BitNot, P_UNARY)),
            _ => None,
        };
        match op {
            Some((op, prec)) => {
                self.advance();
                let e = self.operand(prec, cost::UNARY)?;
                let h = self.last_h;
                self.set_h(h)?;
                Ok(Expr::Unary(op, Box::new(e)))
            }
            None => self.primary(),
        }
    }

    fn leaf(&mut self, e: Expr) -> PResult<Expr> {
        self.last_h = 1;
        Ok(e)
    }

    pub(super) fn primary(&mut self) -> PResult<Expr> {
        let t = self.peek();
        match t.kind {
            TokenKind::LParen => {
                self.advance();
                if self.at_select_start() {
                    let s = self.subselect()?;
                    let h = self.last_h;
                    self.expect(TokenKind::RParen)?;
                    self.set_h(h)?;
                    return Ok(Expr::Subquery(Box::new(s)));
                }
                self.nested(cost::PAREN, |p| p.paren_rest())
            }
            TokenKind::Integer | TokenKind::Float => {
                self.advance();
                self.leaf(Expr::Literal(Literal::Number(self.text(t).to_string())))
            }
            TokenKind::QNumber => {
                self.advance();
                let text = self.text(t);
                if let Err(shown) = tokenizer::dequote_number(text) {
                    // SQLite checks the number as it reduces the term.
                    self.raise_on_next(Error::sql(format!("unrecognized token: \"{shown}\"")));
                }
                self.leaf(Expr::Literal(Literal::Number(text.to_string())))
            }
            TokenKind::Blob => {
                self.advance();
                let text = self.text(t);
                let hex = text.get(2..text.len() - 1).unwrap_or("");
                let bytes = (0..hex.len() / 2)
                    .map(|i| u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).unwrap_or(0))
                    .collect();
                self.leaf(Expr::Literal(Literal::Blob(bytes)))
            }
            TokenKind::String => {
                if self.kind_n(1) == TokenKind::Dot {
                    return self.column_ref();
                }
                self.advance();
                self.leaf(Expr::Literal(Literal::String(tokenizer::dequote(self.text(t)))))
            }
            TokenKind::Variable => {
                self.advance();
                let n = self.variable(t);
                self.leaf(Expr::Variable(n))
            }
            TokenKind::Keyword(Keyword::Null) => {
                self.advance();
                self.leaf(Expr::Literal(Literal::Null))
            }
            TokenKind::Keyword(Keyword::CurrentTime) => {
                self.advance();
                self.leaf(Expr::Literal(Literal::CurrentTime))
            }
            TokenKind::Keyword(Keyword::CurrentDate) => {
                self.advance();
                self.leaf(Expr::Literal(Literal::CurrentDate))
            }
            TokenKind::Keyword(Keyword::CurrentTimestamp) => {
                self.advance();
                self.leaf(Expr::Literal(Literal::CurrentTimestamp))
            }
            TokenKind::Keyword(Keyword::Cast) => self.nested(cost::CAST, |p| p.cast()),
            TokenKind::Keyword(Keyword::Case) => {
                self.advance();
                self.nested(cost::CASE, |p| p.case_expr())
            }
            TokenKind::Keyword(Keyword::Exists) => {
                self.advance();
                self.expect(TokenKind::LParen)?;
                if !self.at_select_start() {
                    return Err(self.syntax_error());
                }
                let s = self.nested(cost::EXISTS, |p| p.subselect())?;
                let h = self.last_h;
                self.expect(TokenKind::RParen)?;
                self.set_h(h)?;
                Ok(Expr::Exists { select: Box::new(s), not: false })
            }
            TokenKind::Keyword(Keyword::Raise) => {
                self.advance();
                self.nested(cost::CAST, |p| p.raise())
            }
            k if Self::is_id_kind(k) || matches!(k, TokenKind::Keyword(kw) if kw.is_join_kw()) => {
                match self.kind_n(1) {
                    TokenKind::LParen => self.nested(cost::FUNCTION, |p| p.function_call()),
                    TokenKind::Dot => self.column_ref(),
                    _ => {
                        self.advance();
                        let text = self.text(t);
                        if text.starts_with('"') {
                            return self.leaf(Expr::DoubleQuotedId(tokenizer::dequote(text)));
                        }
                        self.leaf(Expr::Column {
                            schema: None,
                            table: None,
                            column: tokenizer::dequote(text),
                        })
                    }
                }
            }
            _ => Err(self.error_at(t)),
        }
    }

    /// `CAST ( expr AS typetoken )`
    fn cast(&mut self) -> PResult<Expr> {
        self.advance();
        self.expect(TokenKind::LParen)?;
        let e = self.expr()?;
        let h = self.last_h;
        self.expect_kw(Keyword::As)?;
        let type_name = self.type_name()?.unwrap_or_default();
        self.expect(TokenKind::RParen)?;
        self.set_h(h)?;
        Ok(Expr::Cast { expr: Box::new(e), type_name })
    }

    /// After `(` that does not start a SELECT: `(expr)` or a row value.
    fn paren_rest(&mut self) -> PResult<Expr> {
        let e = self.expr()?;
        if self.kind() == TokenKind::RParen {
            self.advance();
            return Ok(e);
        }
        let mut h = self.last_h;
        let mut list = vec![e];
        while self.eat(TokenKind::Comma) {
            list.push(self.nested(cost::VECTOR_TERM, |p| p.expr())?);
            h = h.max(self.last_h);
        }
        self.expect(TokenKind::RParen)?;
        self.set_h(h)?;
        Ok(Expr::Vector(list))
    }

    /// `nm . nm [. nm]`
    fn column_ref(&mut self) -> PResult<Expr> {
        let a = self.nm()?;
        self.expect(TokenKind::Dot)?;
        let b = self.nm()?;
        if self.eat(TokenKind::Dot) {
            let c = self.nm()?;
            self.last_h = 3;
            return Ok(Expr::Column { schema: Some(a), table: Some(b), column: c });
        }
        self.last_h = 2;
        Ok(Expr::Column { schema: None, table: Some(a), column: b })
    }

    fn case_expr(&mut self) -> PResult<Expr> {
        let mut h = 0;
        let base = if self.is_kw(Keyword::When) {
            None
        } else {
            let e = self.expr()?;
            h = self.last_h;
            Some(Box::new(e))
        };
        let mut whens = Vec::new();
        self.expect_kw(Keyword::When)?;
        loop {
            let w = self.expr()?;
            h = h.max(self.last_h);
            self.expect_kw(Keyword::Then)?;
            let t = self.expr()?;
            h = h.max(self.last_h);
            whens.push((w, t));
            if !self.eat_kw(Keyword::When) {
                break;
            }
        }
        let else_ = if self.eat_kw(Keyword::Else) {
            let e = self.expr()?;
            h = h.max(self.last_h);
            Some(Box::new(e))
        } else {
            None
        };
        self.expect_kw(Keyword::End)?;
        self.set_h(h)?;
        Ok(Expr::Case { base, whens, else_ })
    }

    fn raise(&mut self) -> PResult<Expr> {
        self.expect(TokenKind::LParen)?;
        let t = self.advance();
        let kind = match t.kind {
            TokenKind::Keyword(Keyword::Ignore) => {
                self.expect(TokenKind::RParen)?;
                self.last_h = 1;
                return Ok(Expr::Raise { kind: RaiseKind::Ignore, message: None });
            }
            TokenKind::Keyword(Keyword::Rollback) => RaiseKind::Rollback,
            TokenKind::Keyword(Keyword::Abort) => RaiseKind::Abort,
            TokenKind::Keyword(Keyword::Fail) => RaiseKind::Fail,
            _ => return Err(self.error_at(t)),
        };
        self.expect(TokenKind::Comma)?;
        let m = self.expr()?;
        let h = self.last_h;
        self.expect(TokenKind::RParen)?;
        self.set_h(h)?;
        Ok(Expr::Raise { kind, message: Some(Box::new(m)) })
    }

    /// `name ( [DISTINCT|ALL] args [ORDER BY ...] ) [FILTER (WHERE e)] [OVER w]`
    fn function_call(&mut self) -> PResult<Expr> {
        let t = self.advance();
        let name = tokenizer::dequote(self.text(t));
        let name_text = self.text(t);
        self.expect(TokenKind::LParen)?;
        let mut h = 0;
        let mut distinct = false;
        let mut order_by = Vec::new();
        let args = if self.kind() == TokenKind::Star {
            self.advance();
            FunctionArgs::Star
        } else {
            if self.eat_kw(Keyword::Distinct) {
                distinct = true;
            } else {
                self.eat_kw(Keyword::All);
            }
            let list = if self.kind() == TokenKind::RParen || self.is_kw(Keyword::Order) {
                Vec::new()
            } else {
                let (l, lh) = self.nexprlist()?;
                h = lh;
                l
            };
            if self.is_kw(Keyword::Order) {
                self.advance();
                self.expect_kw(Keyword::By)?;
                let (o, oh) = self.sortlist()?;
                h = h.max(oh);
                order_by = o;
            }
            FunctionArgs::List(list)
        };
        self.expect(TokenKind::RParen)?;
        let filter = if self.is_kw(Keyword::Filter) {
            self.advance();
            self.expect(TokenKind::LParen)?;
            self.expect_kw(Keyword::Where)?;
            let e = self.expr()?;
            h = h.max(self.last_h);
            self.expect(TokenKind::RParen)?;
            Some(e)
        } else {
            None
        };
        let over = if self.is_kw(Keyword::Over) {
            self.advance();
            if self.eat(TokenKind::LParen) {
                let w = self.window_def()?;
                self.expect(TokenKind::RParen)?;
                Some(Over::Window(w))
            } else {
                Some(Over::Name(self.nm()?))
            }
        } else {
            None
        };
        self.set_h(h)?;
        // Checks SQLite makes as it builds the call (on the next token).
        if let FunctionArgs::List(list) = &args {
            if list.len() > self.limits.function_arg {
                let e = Error::sql(format!("too many arguments on function {name_text}"));
                self.raise_on_next_at(e, Some(t.start));
            }
            if list.is_empty() {
                // ORDER BY on a call without arguments is ignored.
                order_by.clear();
            } else if !order_by.is_empty() && over.is_some() {
                let e = Error::sql(format!("ORDER BY may not be used with non-aggregate {name}()"));
                self.raise_on_next_at(e, Some(t.start));
            }
        }
        Ok(Expr::Function(Box::new(FunctionCall { name, distinct, args, order_by, filter, over })))
    }

    /// The inside of a window definition's parentheses.
    pub(super) fn window_def(&mut self) -> PResult<WindowDef> {
        let mut base = None;
        let frame_start = |k: TokenKind| {
            matches!(k, TokenKind::Keyword(Keyword::Range | Keyword::Rows | Keyword::Groups))
        };
        // A base window name: any nm that is not a clause keyword (the
        // keywords win wherever the grammar accepts them).
        if self.at_nm() && !self.is_kw(Keyword::Partition) && !frame_start(self.kind()) {
            base = Some(self.nm()?);
        }
        let mut partition_by = Vec::new();
        if self.is_kw(Keyword::Partition) {
            self.advance();
            self.expect_kw(Keyword::By)?;
            partition_by = self.nexprlist()?.0;
        }
        let mut order_by = Vec::new();
        if self.is_kw(Keyword::Order) {
            self.advance();
            self.expect_kw(Keyword::By)?;
            order_by = self.sortlist()?.0;
        }
        let frame = if frame_start(self.kind()) { Some(self.frame_spec()?) } else { None };
        Ok(WindowDef { base, partition_by, order_by, frame })
    }

    fn frame_spec(&mut self) -> PResult<FrameSpec> {
        let t = self.advance();
        let units = match t.kind {
            TokenKind::Keyword(Keyword::Rows) => FrameUnits::Rows,
            TokenKind::Keyword(Keyword::Range) => FrameUnits::Range,
            _ => FrameUnits::Groups,
        };
        let (start, end) = if self.eat_kw(Keyword::Between) {
            let s = self.frame_bound(true)?;
            self.expect_kw(Keyword::And)?;
            let e = self.frame_bound(false)?;
            (s, Some(e))
        } else {
            (self.frame_bound(true)?, None)
        };
        let exclude = if self.eat_kw(Keyword::Exclude) {
            let t = self.advance();
            Some(match t.kind {
                TokenKind::Keyword(Keyword::No) => {
                    self.expect_kw(Keyword::Others)?;
                    FrameExclude::NoOthers
                }
                TokenKind::Keyword(Keyword::Current) => {
                    self.expect_kw(Keyword::Row)?;
                    FrameExclude::CurrentRow
                }
                TokenKind::Keyword(Keyword::Group) => FrameExclude::Group,
                TokenKind::Keyword(Keyword::Ties) => FrameExclude::Ties,
                _ => return Err(self.error_at(t)),
            })
        } else {
            None
        };
        // SQLite checks the bounds as it reduces the frame (next token).
        let start_following = matches!(start, FrameBound::Following(_));
        let end_kind = end.as_ref().unwrap_or(&FrameBound::CurrentRow);
        if (matches!(start, FrameBound::CurrentRow) && matches!(end_kind, FrameBound::Preceding(_)))
            || (start_following
                && matches!(end_kind, FrameBound::Preceding(_) | FrameBound::CurrentRow))
        {
            self.raise_on_next(Error::sql("unsupported frame specification"));
        }
        Ok(FrameSpec { units, start, end, exclude })
    }

    fn frame_bound(&mut self, is_start: bool) -> PResult<FrameBound> {
        if self.is_kw(Keyword::Unbounded) {
            self.advance();
            if is_start {
                self.expect_kw(Keyword::Preceding)?;
                return Ok(FrameBound::UnboundedPreceding);
            }
            self.expect_kw(Keyword::Following)?;
            return Ok(FrameBound::UnboundedFollowing);
        }
        if self.is_kw(Keyword::Current) {
            self.advance();
            self.expect_kw(Keyword::Row)?;
            return Ok(FrameBound::CurrentRow);
        }
        let e = self.expr()?;
        if self.eat_kw(Keyword::Preceding) {
            Ok(FrameBound::Preceding(e))
        } else if self.eat_kw(Keyword::Following) {
            Ok(FrameBound::Following(e))
        } else {
            Err(self.syntax_error())
        }
    }

    /// `expr [, expr]*` with the tallest height.
    pub(super) fn nexprlist(&mut self) -> PResult<(Vec<Expr>, u32)> {
        let mut v = vec![self.expr()?];
        let mut h = self.last_h;
        while self.eat(TokenKind::Comma) {
            v.push(self.expr()?);
            h = h.max(self.last_h);
        }
        Ok((v, h))
    }

    /// ORDER BY terms: `expr [ASC|DESC] [NULLS FIRST|LAST]`, comma separated.
    pub(super) fn sortlist(&mut self) -> PResult<(Vec<OrderingTerm>, u32)> {
        let mut v = Vec::new();
        let mut h = 0;
        loop {
            let expr = self.expr()?;
            h = h.max(self.last_h);
            let order = if self.eat_kw(Keyword::Asc) {
                Some(SortOrder::Asc)
            } else if self.eat_kw(Keyword::Desc) {
                Some(SortOrder::Desc)
            } else {
                None
            };
            let nulls = if self.eat_kw(Keyword::Nulls) {
                if self.eat_kw(Keyword::First) {
                    Some(NullsOrder::First)
                } else {
                    self.expect_kw(Keyword::Last)?;
                    Some(NullsOrder::Last)
                }
            } else {
                None
            };
            v.push(OrderingTerm { expr, order, nulls });
            if !self.eat(TokenKind::Comma) {
                break;
            }
        }
        Ok((v, h))
    }

    /// `typetoken`: `ids... [( signed [, signed] )]`, returned as the
    /// source text from its first to its last token; None when absent.
    pub(super) fn type_name(&mut self) -> PResult<Option<String>> {
        let k = self.kind();
        if !Self::is_ids_kind(k) {
            return Ok(None);
        }
        let start = self.peek().start;
        while {
            let k = self.kind();
            Self::is_ids_kind(k)
        } {
            self.advance();
        }
        if self.eat(TokenKind::LParen) {
            self.signed()?;
            if self.eat(TokenKind::Comma) {
                self.signed()?;
            }
            self.expect(TokenKind::RParen)?;
        }
        let end = self.prev_end();
        Ok(Some(self.sql.get(start..end).unwrap_or("").to_string()))
    }

    /// `signed`: `[+|-] INTEGER|FLOAT`
    pub(super) fn signed(&mut self) -> PResult<String> {
        let start = self.peek().start;
        if !self.eat(TokenKind::Plus) {
            self.eat(TokenKind::Minus);
        }
        match self.kind() {
            TokenKind::Integer | TokenKind::Float => {
                self.advance();
            }
            _ => return Err(self.syntax_error()),
        }
        Ok(self.sql.get(start..self.prev_end()).unwrap_or("").to_string())
    }
}
