//! The parser of FTS3 MATCH expressions in SQLite's enhanced query syntax
//! (SQLITE_ENABLE_FTS3_PARENTHESIS): phrases (a bare term, or "quoted
//! words"), `term*` prefixes, `^term` (first token of a column),
//! `column:term`, implicit AND, the upper-case operators AND, OR, NOT,
//! NEAR and NEAR/n, and parentheses.
//!
//! Precedence is SQLite's: NEAR binds tightest, then NOT, then AND, then
//! OR, each left-associative. As in SQLite, a bare term is the first
//! token the tokenizer finds in the remaining text, so `a-b` is two
//! terms; a quoted phrase ignores a column prefix; an operator that is
//! not followed by a space, a quote, a parenthesis or the end is a term.
//!
//! Invariant: the tree's phrases are numbered left to right (the order
//! matchinfo() and offsets() report them in).

use crate::error::{Error, Result};

use super::tokenizer::Tokenizer;

/// One token of a phrase.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PhraseToken {
    pub text: Vec<u8>,
    pub prefix: bool,
    /// `^`: must be the first token of its column.
    pub first: bool,
}

/// A phrase: tokens that must follow each other.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Phrase {
    pub tokens: Vec<PhraseToken>,
    /// The column it is restricted to (None: every column).
    pub column: Option<usize>,
}

/// A parsed expression.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Expr {
    Phrase(Phrase),
    Near(Box<Expr>, Box<Expr>, i32),
    Not(Box<Expr>, Box<Expr>),
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
}

impl Expr {
    /// The phrases, left to right.
    pub fn phrases(&self) -> Vec<&Phrase> {
        let mut out = Vec::new();
        fn walk<'a>(e: &'a Expr, out: &mut Vec<&'a Phrase>) {
            match e {
                Expr::Phrase(p) => out.push(p),
                Expr::Near(a, b, _) | Expr::Not(a, b) | Expr::And(a, b) | Expr::Or(a, b) => {
                    walk(a, out);
                    walk(b, out);
                }
            }
        }
        walk(self, &mut out);
        out
    }
}

/// Operator kinds, valued as SQLite's FTSQUERY_* (their precedence).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Near = 1,
    Not = 2,
    And = 3,
    Or = 4,
    Phrase = 5,
}

struct Node {
    kind: Kind,
    phrase: Option<Phrase>,
    near: i32,
    left: Option<usize>,
    right: Option<usize>,
    parent: Option<usize>,
}

struct Parser<'a> {
    tokenizer: Tokenizer,
    columns: &'a [String],
    default_col: Option<usize>,
    fts4: bool,
    nodes: Vec<Node>,
    nest: i32,
}

/// What getNextNode found.
enum Next {
    Node(Option<usize>, usize),
    Done(usize),
}

fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c)
}

/// Why a parse failed.
#[derive(Debug)]
enum Fail {
    Malformed,
    TooDeep,
}

type PResult<T> = std::result::Result<T, Fail>;

/// The depth SQLite reports when a tree is too deep
/// (SQLITE_FTS3_MAX_EXPR_DEPTH); SQLite rebalances AND and OR chains
/// first, so Ferrolite only refuses trees deeper than `BUILD_DEPTH`.
const MAX_DEPTH: usize = 12;
const BUILD_DEPTH: usize = 1000;

impl Parser<'_> {
    fn add(&mut self, kind: Kind, phrase: Option<Phrase>, near: i32) -> usize {
        self.nodes.push(Node { kind, phrase, near, left: None, right: None, parent: None });
        self.nodes.len() - 1
    }

    /// The first token of `z` as a one-token phrase (getNextToken).
    fn next_token(&mut self, col: Option<usize>, z: &[u8]) -> PResult<(Option<usize>, usize, bool)> {
        let toks = self.tokenizer.tokenize(z);
        match toks.first() {
            Some(t) => {
                if let Some(b) = z[..t.end].iter().position(|&c| c == b'"' || c == b'(' || c == b')') {
                    return self.next_token(col, &z[..b]);
                }
                let mut end = t.end;
                let prefix = z.get(end) == Some(&b'*');
                if prefix {
                    end += 1;
                }
                let first = self.fts4 && t.start > 0 && z[t.start - 1] == b'^';
                let ph = Phrase { tokens: vec![PhraseToken { text: t.text.clone(), prefix, first }], column: col };
                let id = self.add(Kind::Phrase, Some(ph), 0);
                Ok((Some(id), end, false))
            }
            None if !z.is_empty() => {
                let consumed = z.iter().position(|&c| c == b'"' || c == b'(' || c == b')').unwrap_or(z.len());
                Ok((None, consumed, false))
            }
            None => Ok((None, 0, true)),
        }
    }

    /// A quoted phrase's words (getNextString).
    fn next_string(&mut self, z: &[u8]) -> usize {
        let tokens = self
            .tokenizer
            .tokenize(z)
            .into_iter()
            .map(|t| PhraseToken { prefix: z.get(t.end) == Some(&b'*'), first: t.start > 0 && z[t.start - 1] == b'^', text: t.text })
            .collect();
        self.add(Kind::Phrase, Some(Phrase { tokens, column: self.default_col }), 0)
    }

    fn next_node(&mut self, z: &[u8]) -> PResult<Next> {
        let mut i = 0;
        while i < z.len() && is_space(z[i]) {
            i += 1;
        }
        if i == z.len() {
            return Ok(Next::Done(i));
        }
        let input = &z[i..];
        for (kw, kind) in [(&b"OR"[..], Kind::Or), (b"AND", Kind::And), (b"NOT", Kind::Not), (b"NEAR", Kind::Near)] {
            if input.starts_with(kw) {
                let mut n_key = kw.len();
                let mut near = 10i32;
                if kind == Kind::Near && input.get(4) == Some(&b'/') && input.get(5).is_some_and(|c| c.is_ascii_digit()) {
                    let digits = input[5..].iter().take_while(|c| c.is_ascii_digit()).count();
                    let mut v: i64 = 0;
                    for &c in &input[5..5 + digits] {
                        v = (v * 10 + (c - b'0') as i64).min(1_000_000_000);
                    }
                    near = v as i32;
                    n_key += 1 + digits;
                }
                let next = input.get(n_key).copied().unwrap_or(0);
                if is_space(next) || next == b'"' || next == b'(' || next == b')' || next == 0 {
                    let id = self.add(kind, None, near);
                    return Ok(Next::Node(Some(id), i + n_key));
                }
            }
        }
        if input[0] == b'"' {
            let Some(close) = input[1..].iter().position(|&c| c == b'"') else { return Err(Fail::Malformed) };
            let id = self.next_string(&input[1..1 + close]);
            return Ok(Next::Node(Some(id), i + close + 2));
        }
        if input[0] == b'(' {
            self.nest += 1;
            if self.nest > 1000 {
                return Err(Fail::Malformed);
            }
            let (e, n) = self.parse(&input[1..])?;
            return Ok(Next::Node(e, i + 1 + n));
        }
        if input[0] == b')' {
            self.nest -= 1;
            return Ok(Next::Done(i + 1));
        }
        let mut col = self.default_col;
        let mut col_len = 0;
        for (k, name) in self.columns.iter().enumerate() {
            let n = name.len();
            if input.len() > n && input[n] == b':' && input[..n].eq_ignore_ascii_case(name.as_bytes()) {
                col = Some(k);
                col_len = i + n + 1;
                break;
            }
        }
        let (node, consumed, done) = self.next_token(col, &z[col_len..])?;
        if done {
            return Ok(Next::Done(col_len + consumed));
        }
        Ok(Next::Node(node, col_len + consumed))
    }

    fn insert_binary(&mut self, head: &mut Option<usize>, prev: usize, new: usize) {
        let mut split = prev;
        while let Some(p) = self.nodes[split].parent {
            if (self.nodes[p].kind as i32) <= (self.nodes[new].kind as i32) {
                split = p;
            } else {
                break;
            }
        }
        match self.nodes[split].parent {
            Some(p) => {
                self.nodes[p].right = Some(new);
                self.nodes[new].parent = Some(p);
            }
            None => *head = Some(new),
        }
        self.nodes[new].left = Some(split);
        self.nodes[split].parent = Some(new);
    }

    /// fts3ExprParse: an expression up to the end or a ')'.
    fn parse(&mut self, z: &[u8]) -> PResult<(Option<usize>, usize)> {
        let mut ret: Option<usize> = None;
        let mut prev: Option<usize> = None;
        let mut pos = 0;
        let mut require_phrase = true;
        loop {
            match self.next_node(&z[pos..])? {
                Next::Done(n) => {
                    pos += n;
                    break;
                }
                Next::Node(p, n) => {
                    pos += n;
                    let Some(p) = p else { continue };
                    let kind = self.nodes[p].kind;
                    let is_phrase = kind == Kind::Phrase || self.nodes[p].left.is_some();
                    if !is_phrase && require_phrase {
                        return Err(Fail::Malformed);
                    }
                    if is_phrase && !require_phrase {
                        let and = self.add(Kind::And, None, 0);
                        let pv = prev.ok_or(Fail::Malformed)?;
                        self.insert_binary(&mut ret, pv, and);
                        prev = Some(and);
                    }
                    if let Some(pv) = prev {
                        let pk = self.nodes[pv].kind;
                        if (kind == Kind::Near && !is_phrase && pk != Kind::Phrase) || (kind != Kind::Phrase && is_phrase && pk == Kind::Near) {
                            return Err(Fail::Malformed);
                        }
                    }
                    if is_phrase {
                        match (ret, prev) {
                            (Some(_), Some(pv)) => {
                                self.nodes[pv].right = Some(p);
                                self.nodes[p].parent = Some(pv);
                            }
                            _ => ret = Some(p),
                        }
                    } else {
                        let pv = prev.ok_or(Fail::Malformed)?;
                        self.insert_binary(&mut ret, pv, p);
                    }
                    require_phrase = !is_phrase;
                    prev = Some(p);
                }
            }
            if pos >= z.len() {
                // The next call would report Done at once.
                if ret.is_some() && require_phrase {
                    return Err(Fail::Malformed);
                }
                return Ok((ret, pos));
            }
        }
        if ret.is_some() && require_phrase {
            return Err(Fail::Malformed);
        }
        Ok((ret, pos))
    }

    fn build(&mut self, id: usize, depth: usize) -> PResult<Expr> {
        if depth > BUILD_DEPTH {
            return Err(Fail::TooDeep);
        }
        let (kind, near, left, right) = {
            let n = &self.nodes[id];
            (n.kind, n.near, n.left, n.right)
        };
        if kind == Kind::Phrase {
            return self.nodes[id].phrase.take().map(Expr::Phrase).ok_or(Fail::Malformed);
        }
        let l = Box::new(self.build(left.ok_or(Fail::Malformed)?, depth + 1)?);
        let r = Box::new(self.build(right.ok_or(Fail::Malformed)?, depth + 1)?);
        Ok(match kind {
            Kind::Near => Expr::Near(l, r, near),
            Kind::Not => Expr::Not(l, r),
            Kind::And => Expr::And(l, r),
            _ => Expr::Or(l, r),
        })
    }
}

/// Parses `query` for a table with `columns`; `default_col` None searches
/// every column. Ok(None) for an expression with no phrase at all.
pub fn parse(query: &[u8], tokenizer: Tokenizer, columns: &[String], default_col: Option<usize>, fts4: bool) -> Result<Option<Expr>> {
    let mut p = Parser { tokenizer, columns, default_col, fts4, nodes: Vec::new(), nest: 0 };
    let malformed = || Error::sql(format!("malformed MATCH expression: [{}]", String::from_utf8_lossy(query)));
    let r = p.parse(query);
    let root = match r {
        Ok((root, _)) if p.nest == 0 => root,
        _ => return Err(malformed()),
    };
    let Some(root) = root else { return Ok(None) };
    match p.build(root, 0) {
        // SQLite rebalances AND / OR chains here; their results do not
        // depend on the shape, so the tree is kept as parsed.
        Ok(e) => Ok(Some(e)),
        Err(Fail::TooDeep) => Err(Error::sql(format!("FTS expression tree is too large (maximum depth {MAX_DEPTH})"))),
        Err(Fail::Malformed) => Err(malformed()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(q: &str) -> Result<Option<Expr>> {
        parse(q.as_bytes(), Tokenizer::Simple, &["a".to_string(), "b".to_string()], None, true)
    }

    fn words(e: &Expr) -> Vec<String> {
        e.phrases().iter().map(|p| p.tokens.iter().map(|t| String::from_utf8_lossy(&t.text).into_owned()).collect::<Vec<_>>().join(" ")).collect()
    }

    #[test]
    fn precedence_and_implicit_and() {
        let e = p("x y OR z").ok().flatten();
        let Some(Expr::Or(l, _)) = e else { panic!("expected OR at the top") };
        assert!(matches!(*l, Expr::And(_, _)));
        let e = p("x NOT y z").ok().flatten();
        assert!(matches!(e, Some(Expr::And(_, _))));
        let e = p("(x OR y) z").ok().flatten();
        assert!(matches!(e, Some(Expr::And(_, _))));
    }

    #[test]
    fn phrases_prefix_columns() {
        let Ok(Some(e)) = p("\"Hello World\" b:foo* ^bar") else { panic!("parse failed") };
        assert_eq!(words(&e), vec!["hello world", "foo", "bar"]);
        let ph = e.phrases();
        assert_eq!(ph[1].column, Some(1));
        assert!(ph[1].tokens[0].prefix);
        assert!(ph[2].tokens[0].first);
        let Ok(Some(Expr::Near(_, _, n))) = p("x NEAR/3 y") else { panic!("expected NEAR") };
        assert_eq!(n, 3);
    }

    #[test]
    fn malformed() {
        assert!(p("x AND").is_err());
        assert!(p("OR x").is_err());
        assert!(p("\"open").is_err());
        assert!(p("(x").is_err());
        assert!(p("x NEAR (y z)").is_err());
        assert!(matches!(p(""), Ok(None)));
        // Lower-case operators are terms.
        assert_eq!(p("x and y").ok().flatten().map(|e| words(&e)), Some(vec!["x".to_string(), "and".to_string(), "y".to_string()]));
    }
}
