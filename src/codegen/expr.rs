//! Name resolution and expression code generation.
//!
//! A `Scope` lists the sources (tables, materialised subqueries) a SELECT
//! or DML statement reads; scopes nest for subqueries, and a name that is
//! not found in the innermost scope is looked up outward (a correlated
//! reference). `Builder::expr` compiles an expression into a target
//! register. Comparison affinity and collation follow datatype3.html: an
//! explicit COLLATE wins, then a column's collation, left before right.

use std::sync::Arc;

use crate::collation::CollSeq;
use crate::error::{code, Error, Result};
use crate::func;
use crate::parse::ast::{BinaryOp, Expr, FunctionArgs, Literal, UnaryOp};
use crate::schema::Table;
use crate::util;
use crate::value::Value;
use crate::vdbe::mem::Affinity;
use crate::vdbe::{ArithOp, CmpOp, FuncRef, Op, Reg};

use super::select::{self, Dest};
use super::Builder;

/// Column number standing for the rowid.
pub const ROWID: usize = usize::MAX;

/// A column as a source presents it.
#[derive(Clone, Debug)]
pub struct SourceColumn {
    /// A virtual table's HIDDEN column: not part of `*`.
    pub hidden: bool,
    pub name: String,
    pub affinity: Option<Affinity>,
    pub collation: Option<String>,
    pub decl_type: Option<Arc<str>>,
}

/// One table or subquery in a FROM clause.
#[derive(Clone, Debug)]
pub struct Source {
    /// The name the source is referred to by (alias, else table name).
    pub name: String,
    pub table: Option<Arc<Table>>,
    pub columns: Vec<SourceColumn>,
    pub cursor: usize,
    /// Columns merged by USING / NATURAL into an earlier source: they are
    /// not ambiguous and `*` shows them once.
    pub using_hidden: Vec<String>,
    /// For a materialised parenthesised join (`nested.rs`), what each
    /// column answers to: `b.x` still finds b's column through it, as in
    /// SQLite. Empty for every other source.
    pub nested: Vec<super::nested::NestedColumn>,
}

impl Source {
    pub fn from_table(name: &str, t: Arc<Table>, cursor: usize) -> Source {
        let columns = t
            .columns
            .iter()
            .map(|c| SourceColumn { hidden: false, name: c.name.clone(), affinity: Some(c.affinity), collation: c.collation.clone(), decl_type: c.decl_type.as_deref().map(Arc::from) })
            .collect();
        Source { name: name.to_string(), table: Some(t), columns, cursor, using_hidden: Vec::new(), nested: Vec::new() }
    }

    /// True when `name` is a rowid word and this source has a rowid.
    fn has_rowid_named(&self, name: &str) -> bool {
        self.table.as_ref().is_some_and(|t| !t.without_rowid && !t.is_view()) && crate::schema::is_rowid_name(name)
    }
}

/// The sources visible at one level of a query, plus the result-column
/// aliases that ORDER BY (and, as SQLite allows, WHERE) may name.
///
/// Invariant: `sources` do not change once the scope is on the builder's
/// scope stack, because `columns` indexes them on first use.
#[derive(Clone, Debug, Default)]
pub struct Scope {
    pub sources: Vec<Source>,
    /// `WHERE hidden = arg` terms of the table-valued functions in FROM
    /// (a virtual table's arguments), which SQLite adds after the WHERE
    /// terms.
    pub tvf_terms: Vec<Expr>,
    pub aliases: Vec<(String, Expr)>,
    /// USING / NATURAL columns merged by a RIGHT or FULL join, which an
    /// unqualified name reads as SQLite does.
    pub using_merged: Vec<super::right_join::MergedColumn>,
    /// The last source that is the right operand of a RIGHT or FULL join.
    pub last_right: Option<usize>,
    /// Column name (by its case-insensitive hash, `name_hash`) -> (source,
    /// column) in source order, the first column of that name per source;
    /// built on first lookup. Names that share a hash share an entry, so
    /// a lookup checks the names (`Scope::named`).
    columns: std::cell::OnceCell<NameIndex>,
}

type NameIndex = std::collections::HashMap<u64, Vec<(usize, usize)>, std::hash::BuildHasherDefault<NameHashed>>;

/// The hasher of `NameIndex`, whose keys are hashes already.
#[derive(Default)]
struct NameHashed(u64);

impl std::hash::Hasher for NameHashed {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) | u64::from(b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// FNV-1a over the ASCII-lower-cased bytes of `name`: equal for names
/// equal under `eq_ignore_ascii_case`.
fn name_hash(name: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in name.bytes() {
        h = (h ^ u64::from(b.to_ascii_lowercase())).wrapping_mul(0x0100_0000_01b3);
    }
    h
}

impl Scope {
    pub fn new(sources: Vec<Source>) -> Scope {
        Scope { sources, ..Scope::default() }
    }

    /// The name column `ci` of source `si` answers to: a parenthesised
    /// join's column its own name, not its display name (`nested.rs`);
    /// None for the rowid of a nested table.
    fn column_name(&self, si: usize, ci: usize) -> Option<&str> {
        let s = &self.sources[si];
        match s.nested.get(ci) {
            Some(n) if n.rowid => None,
            Some(n) => Some(&n.name),
            None => s.columns.get(ci).map(|c| c.name.as_str()),
        }
    }

    fn column_index(&self) -> &NameIndex {
        self.columns.get_or_init(|| {
            let mut map = NameIndex::default();
            for (si, s) in self.sources.iter().enumerate() {
                for ci in 0..s.columns.len() {
                    let Some(name) = self.column_name(si, ci) else { continue };
                    let entry = map.entry(name_hash(name)).or_default();
                    // A materialised parenthesised join may hold one name
                    // twice (b.y and c.y): both are candidates.
                    let seen = entry.iter().any(|&(x, y)| x == si && self.column_name(x, y).is_some_and(|n| n.eq_ignore_ascii_case(name)));
                    if !s.nested.is_empty() || !seen {
                        entry.push((si, ci));
                    }
                }
            }
            map
        })
    }

    /// The (source, column) pairs whose column name has the hash of
    /// `name`, in source order: a superset of those answering to `name`
    /// (check with `answers`).
    fn name_slots(&self, name: &str) -> &[(usize, usize)] {
        self.column_index().get(&name_hash(name)).map(|v| v.as_slice()).unwrap_or(&[])
    }

    /// Whether column `ci` of source `si` answers to `name`.
    fn answers(&self, si: usize, ci: usize, name: &str) -> bool {
        self.column_name(si, ci).is_some_and(|n| n.eq_ignore_ascii_case(name))
    }
}

/// Whether `e` holds an explicit COLLATE outside subqueries (SQLite's
/// EP_Collate, which every expression inherits from its operands).
pub(crate) fn has_explicit_collation(e: &Expr) -> bool {
    let mut found = false;
    walk(e, &mut |x| {
        if matches!(x, Expr::Collate { .. }) {
            found = true;
        }
        !found
    });
    found
}

/// The operand an explicit collation of `e` comes from, as SQLite picks
/// it: the left operand when it has one, else the right operand or the
/// first argument in the list that does. A function's arguments, a CASE's
/// terms, BETWEEN's bounds and an IN list are such lists; LIKE lists its
/// pattern before its left-hand side.
fn collate_child(e: &Expr) -> Option<&Expr> {
    if !has_explicit_collation(e) {
        return None;
    }
    let (left, rest): (Option<&Expr>, Vec<&Expr>) = match e {
        Expr::Binary(l, _, r) => (Some(l), vec![r]),
        Expr::Unary(_, a) | Expr::IsNull { expr: a, .. } | Expr::InSelect { expr: a, .. } | Expr::InTable { expr: a, .. } => (Some(a), Vec::new()),
        Expr::Between { expr, low, high, .. } => (Some(expr), vec![low, high]),
        Expr::InList { expr, list, .. } => (Some(expr), list.iter().collect()),
        Expr::Like { lhs, rhs, escape, .. } => (None, [Some(rhs.as_ref()), Some(lhs.as_ref()), escape.as_deref()].into_iter().flatten().collect()),
        Expr::Case { base, whens, else_ } => {
            let mut list = Vec::new();
            for (w, t) in whens {
                list.push(w);
                list.push(t);
            }
            if let Some(x) = else_ {
                list.push(x);
            }
            (base.as_deref(), list)
        }
        Expr::Function(f) => match &f.args {
            FunctionArgs::List(a) => (None, a.iter().collect()),
            FunctionArgs::Star => (None, Vec::new()),
        },
        _ => (None, Vec::new()),
    };
    if let Some(l) = left {
        if has_explicit_collation(l) {
            return Some(l);
        }
    }
    rest.into_iter().find(|x| has_explicit_collation(x))
}

/// Where a column reference resolved to.
#[derive(Clone, Debug)]
pub struct ColumnRef {
    pub cursor: usize,
    /// Column index, or ROWID.
    pub column: usize,
    pub affinity: Option<Affinity>,
    pub collation: Option<String>,
    pub decl_type: Option<Arc<str>>,
    /// For a plain table column, the table (for defaults and origins).
    pub table: Option<Arc<Table>>,
    /// Scope depth it was found at (0 = outermost).
    pub depth: usize,
}

/// The declared type a rowid reads as, shared (names resolve many times
/// per statement).
fn integer_decl_type() -> Arc<str> {
    static T: std::sync::OnceLock<Arc<str>> = std::sync::OnceLock::new();
    T.get_or_init(|| Arc::from("INTEGER")).clone()
}

enum Resolved {
    Column(ColumnRef),
    Alias(Expr),
}

pub(crate) fn is_aggregate_name(name: &str, n_args: usize) -> bool {
    func::user::is_aggregate(name, n_args)
}

/// True when `e` itself is a call of an aggregate function (not a window
/// function call).
pub(crate) fn is_aggregate_call(e: &Expr) -> bool {
    match e {
        Expr::Function(f) => {
            let n = match &f.args {
                FunctionArgs::Star => 0,
                FunctionArgs::List(a) => a.len(),
            };
            f.over.is_none() && is_aggregate_name(&f.name, n)
        }
        _ => false,
    }
}

/// True when `e` contains an aggregate function call (not looking into
/// subqueries, which aggregate on their own).
pub(crate) fn contains_aggregate(e: &Expr) -> bool {
    let mut found = false;
    walk(e, &mut |x| {
        if is_aggregate_call(x) {
            found = true;
        }
        !found
    });
    found
}

/// Visits `e` and its subexpressions (not entering subqueries); `f`
/// returns false to skip a node's children.
pub(crate) fn walk<'a>(e: &'a Expr, f: &mut dyn FnMut(&'a Expr) -> bool) {
    if !f(e) {
        return;
    }
    match e {
        Expr::Unary(_, a) | Expr::Cast { expr: a, .. } | Expr::Collate { expr: a, .. } | Expr::IsNull { expr: a, .. } => walk(a, f),
        Expr::Binary(a, _, b) => {
            walk(a, f);
            walk(b, f);
        }
        Expr::Like { lhs, rhs, escape, .. } => {
            walk(lhs, f);
            walk(rhs, f);
            if let Some(e) = escape {
                walk(e, f);
            }
        }
        Expr::Between { expr, low, high, .. } => {
            walk(expr, f);
            walk(low, f);
            walk(high, f);
        }
        Expr::InList { expr, list, .. } => {
            walk(expr, f);
            for x in list {
                walk(x, f);
            }
        }
        Expr::InSelect { expr, .. } | Expr::InTable { expr, .. } => walk(expr, f),
        Expr::Case { base, whens, else_ } => {
            if let Some(b) = base {
                walk(b, f);
            }
            for (w, t) in whens {
                walk(w, f);
                walk(t, f);
            }
            if let Some(e) = else_ {
                walk(e, f);
            }
        }
        Expr::Function(fc) => {
            if let FunctionArgs::List(args) = &fc.args {
                for a in args {
                    walk(a, f);
                }
            }
            if let Some(fl) = &fc.filter {
                walk(fl, f);
            }
        }
        Expr::Vector(v) => {
            for x in v {
                walk(x, f);
            }
        }
        _ => {}
    }
}

fn is_numeric(a: Affinity) -> bool {
    matches!(a, Affinity::Numeric | Affinity::Integer | Affinity::Real)
}

/// The affinity to apply to both operands of a comparison, given each
/// operand's own affinity (None: an expression without one).
pub fn comparison_affinity(a: Option<Affinity>, b: Option<Affinity>) -> Option<Affinity> {
    match (a, b) {
        (Some(x), Some(y)) => {
            if is_numeric(x) || is_numeric(y) {
                Some(Affinity::Numeric)
            } else {
                None
            }
        }
        (Some(x), None) | (None, Some(x)) => match x {
            Affinity::Blob => None,
            other => Some(if is_numeric(other) { Affinity::Numeric } else { other }),
        },
        (None, None) => None,
    }
}

impl<'s> Builder<'s> {
    fn resolve_name(&mut self, schema: Option<&str>, table: Option<&str>, column: &str) -> Result<Option<Resolved>> {
        // A schema-qualified name (`main.t.c`) matches only a table of that
        // database referred to by its own name.
        let schema_db = match schema {
            Some(s) => match self.schemas.db_index(s) {
                Some(db) => Some(db),
                None => return Ok(None),
            },
            None => None,
        };
        let n = self.scopes.len();
        let rowid_word = crate::schema::is_rowid_name(column);
        for depth in (0..n).rev() {
            let scope = &self.scopes[depth];
            if table.is_none() {
                if let Some(m) = scope.using_merged.iter().find(|m| m.name.eq_ignore_ascii_case(column)) {
                    let elsewhere = scope.sources.iter().any(|s| {
                        !m.sources.iter().any(|n| n.eq_ignore_ascii_case(&s.name))
                            && !s.using_hidden.iter().any(|h| h.eq_ignore_ascii_case(column))
                            && s.columns.iter().any(|c| c.name.eq_ignore_ascii_case(column))
                    });
                    if elsewhere {
                        return Err(Error::sql(format!("ambiguous column name: {column}")));
                    }
                    return Ok(Some(Resolved::Alias(super::right_join::coalesce(&m.reads, column))));
                }
            }
            let mut hit: Option<ColumnRef> = None;
            // Candidate (source, column) pairs: by name from the index, and
            // for a rowid word, every rowid source without such a column.
            let slots = scope.name_slots(column);
            let candidates: std::borrow::Cow<'_, [(usize, usize)]> = if rowid_word {
                let mut c: Vec<(usize, usize)> = slots.iter().copied().filter(|&(si, ci)| scope.answers(si, ci, column)).collect();
                for (si, s) in scope.sources.iter().enumerate() {
                    if !c.iter().any(|(x, _)| *x == si) && s.has_rowid_named(column) {
                        c.push((si, ROWID));
                    }
                    for (ci, n) in s.nested.iter().enumerate() {
                        if n.rowid && !c.contains(&(si, ci)) {
                            c.push((si, ci));
                        }
                    }
                }
                c.sort_by_key(|(si, _)| *si);
                c.into()
            } else {
                slots.into()
            };
            for &(si, ci) in candidates.iter() {
                if !rowid_word && !scope.answers(si, ci, column) {
                    // Another name with the same hash.
                    continue;
                }
                let s = &scope.sources[si];
                if let Some(db) = schema_db {
                    if !s.table.as_ref().is_some_and(|t| t.db == db && t.name.eq_ignore_ascii_case(&s.name)) {
                        continue;
                    }
                }
                if let Some(t) = table {
                    if !s.name.eq_ignore_ascii_case(t) && s.nested.is_empty() {
                        continue;
                    }
                } else if s.using_hidden.iter().any(|h| h.eq_ignore_ascii_case(column)) {
                    continue;
                }
                if !s.nested.is_empty() && !super::nested::answers(s, ci, table, column) {
                    continue;
                }
                let col = Some(ci);
                if let Some(i) = col {
                    let (affinity, collation, decl_type) = if i == ROWID {
                        (Some(Affinity::Integer), None, Some(integer_decl_type()))
                    } else {
                        let c = &s.columns[i];
                        (c.affinity, c.collation.clone(), c.decl_type.clone())
                    };
                    // The INTEGER PRIMARY KEY column reads the rowid.
                    let i = match &s.table {
                        Some(t) if i != ROWID && t.rowid_alias == Some(i) => ROWID,
                        _ => i,
                    };
                    if hit.is_some() {
                        let name = match table {
                            Some(t) => format!("{t}.{column}"),
                            None => column.to_string(),
                        };
                        return Err(Error::sql(format!("ambiguous column name: {name}")));
                    }
                    hit = Some(ColumnRef { cursor: s.cursor, column: i, affinity, collation, decl_type, table: s.table.clone(), depth });
                }
            }
            if let Some(h) = hit {
                if depth + 1 < n {
                    for c in self.correlated.iter_mut().skip(depth) {
                        *c = true;
                    }
                }
                return Ok(Some(Resolved::Column(h)));
            }
            if table.is_none() {
                if let Some((_, e)) = scope.aliases.iter().find(|(a, _)| a.eq_ignore_ascii_case(column)) {
                    return Ok(Some(Resolved::Alias(e.clone())));
                }
            }
        }
        Ok(None)
    }

    fn no_such_column(schema: Option<&str>, table: Option<&str>, column: &str) -> Error {
        let mut name = String::new();
        if let Some(s) = schema {
            name.push_str(s);
            name.push('.');
        }
        if let Some(t) = table {
            name.push_str(t);
            name.push('.');
        }
        name.push_str(column);
        Error::sql(format!("no such column: {name}"))
    }

    /// Resolves a column reference (for affinity, collation, decltype).
    pub fn column_ref(&mut self, e: &Expr) -> Result<Option<ColumnRef>> {
        match e {
            Expr::Column { schema, table, column } => match self.resolve_name(schema.as_deref(), table.as_deref(), column)? {
                Some(Resolved::Column(c)) => Ok(Some(c)),
                _ => Ok(None),
            },
            Expr::DoubleQuotedId(name) => match self.resolve_name(None, None, name)? {
                Some(Resolved::Column(c)) => Ok(Some(c)),
                _ => Ok(None),
            },
            _ => Ok(None),
        }
    }

    /// The affinity an expression carries into a comparison.
    pub fn expr_affinity(&mut self, e: &Expr) -> Option<Affinity> {
        match e {
            Expr::DoubleQuotedId(name) => match self.resolve_name(None, None, name) {
                Ok(Some(Resolved::Column(c))) => c.affinity,
                Ok(Some(Resolved::Alias(a))) => self.expr_affinity(&a),
                _ => None,
            },
            Expr::Column { schema, table, column } => match self.resolve_name(schema.as_deref(), table.as_deref(), column) {
                Ok(Some(Resolved::Column(c))) => c.affinity,
                Ok(Some(Resolved::Alias(a))) => self.expr_affinity(&a),
                _ => None,
            },
            Expr::Cast { type_name, .. } => Some(Affinity::from_type_name(type_name)),
            Expr::Collate { expr, .. } => self.expr_affinity(expr),
            Expr::Subquery(sel) => match &sel.core {
                crate::parse::ast::SelectCore::Select(body) => match body.columns.first() {
                    Some(crate::parse::ast::ResultColumn::Expr { expr, .. }) => {
                        // The subquery's own FROM is not in scope here; only
                        // a CAST or literal-free column would give one.
                        match expr {
                            Expr::Cast { type_name, .. } => Some(Affinity::from_type_name(type_name)),
                            _ => None,
                        }
                    }
                    _ => None,
                },
                _ => None,
            },
            _ => None,
        }
    }

    /// The explicit (COLLATE) or implicit (column) collation of `e`. A
    /// column has one even when none is declared (BINARY), as in SQLite,
    /// so `x = y` compares with x's collation whatever y's; the rowid has
    /// none.
    pub fn expr_collation(&mut self, e: &Expr) -> (Option<String>, bool) {
        let of_column = |c: ColumnRef| match c.collation {
            Some(name) => Some(name),
            None if c.column != ROWID => Some("BINARY".to_string()),
            None => None,
        };
        match e {
            Expr::Collate { collation, .. } => (Some(collation.clone()), true),
            Expr::Column { schema, table, column } => match self.resolve_name(schema.as_deref(), table.as_deref(), column) {
                Ok(Some(Resolved::Column(c))) => (of_column(c), false),
                _ => (None, false),
            },
            Expr::DoubleQuotedId(name) => match self.resolve_name(None, None, name) {
                Ok(Some(Resolved::Column(c))) => (of_column(c), false),
                _ => (None, false),
            },
            Expr::Cast { expr, .. } | Expr::Unary(UnaryOp::Pos, expr) => self.expr_collation(expr),
            Expr::Vector(v) if !v.is_empty() => self.expr_collation(&v[0]),
            _ => match collate_child(e) {
                Some(c) => self.expr_collation(c),
                None => (None, false),
            },
        }
    }

    /// The collating sequence `e` sorts and groups with (BINARY when it
    /// has none).
    pub fn expr_coll_seq(&mut self, e: &Expr) -> Result<CollSeq> {
        match self.expr_collation(e) {
            (Some(n), _) => Self::collation_by_name(&n),
            (None, _) => Ok(CollSeq::Binary),
        }
    }

    /// How an ORDER BY term sorts: its collation, descending, NULLs first
    /// (by default first ascending, last descending).
    pub fn sort_term(&mut self, t: &crate::parse::ast::OrderingTerm) -> Result<(CollSeq, bool, bool)> {
        use crate::parse::ast::{NullsOrder, SortOrder};
        let desc = t.order == Some(SortOrder::Desc);
        let nulls_first = match t.nulls {
            Some(NullsOrder::First) => true,
            Some(NullsOrder::Last) => false,
            None => !desc,
        };
        Ok((self.expr_coll_seq(&t.expr)?, desc, nulls_first))
    }

    pub fn collation_by_name(name: &str) -> Result<CollSeq> {
        func::user::collation(name).ok_or_else(|| Error::sql(format!("no such collation sequence: {name}")))
    }

    /// The collation a binary comparison of `a` and `b` uses.
    pub fn comparison_collation(&mut self, a: &Expr, b: &Expr) -> Result<CollSeq> {
        let ca = self.expr_collation(a);
        let cb = self.expr_collation(b);
        Self::comparison_collation_of(ca, cb)
    }

    /// `comparison_collation` from each operand's `expr_collation`.
    pub(super) fn comparison_collation_of((ca, ea): (Option<String>, bool), (cb, eb): (Option<String>, bool)) -> Result<CollSeq> {
        let name = if ea {
            ca
        } else if eb {
            cb
        } else {
            ca.or(cb)
        };
        match name {
            Some(n) => Self::collation_by_name(&n),
            None => Ok(CollSeq::Binary),
        }
    }

    /// Compiles `e` into a new register.
    pub fn expr_to_reg(&mut self, e: &Expr) -> Result<Reg> {
        let r = self.alloc_reg();
        self.expr(e, r)?;
        Ok(r)
    }

    /// True when `e` is read from a register while compiling the output of
    /// an aggregate query.
    pub(super) fn is_substituted(&self, e: &Expr) -> bool {
        self.substituted(e).is_some()
    }

    fn substituted(&self, e: &Expr) -> Option<Reg> {
        for level in self.agg_subst.iter().rev() {
            if let Some((_, r)) = level.iter().find(|(x, _)| x == e) {
                return Some(*r);
            }
        }
        None
    }

    /// The name SQLite gives a result column that is a plain column
    /// reference: the column's own name as declared (not as typed), the
    /// INTEGER PRIMARY KEY's name for a rowid word, else "rowid".
    pub fn column_ref_name(&self, c: &ColumnRef) -> Option<String> {
        if c.column == ROWID {
            let t = c.table.as_ref()?;
            return Some(match t.rowid_alias {
                Some(i) => t.columns.get(i)?.name.clone(),
                None => "rowid".to_string(),
            });
        }
        if let Some(t) = &c.table {
            return t.columns.get(c.column).map(|col| col.name.clone());
        }
        let scope = self.scopes.get(c.depth)?;
        let src = scope.sources.iter().find(|s| s.cursor == c.cursor)?;
        src.columns.get(c.column).map(|col| col.name.clone())
    }

    /// Emits the read of a resolved column into `target`.
    pub fn column_to_reg(&mut self, c: &ColumnRef, target: Reg) -> Result<()> {
        if self.auth_ignores_column(c.table.as_deref(), c.column) {
            self.emit(Op::Null { dest: target, count: 1 });
            return Ok(());
        }
        for level in self.column_subst.iter().rev() {
            if let Some((_, r)) = level.iter().find(|(k, _)| *k == (c.cursor, c.column)) {
                self.emit(Op::Copy { src: *r, dest: target, count: 1 });
                return Ok(());
            }
        }
        if c.column == ROWID {
            self.emit(Op::Rowid { cursor: c.cursor, dest: target });
            return Ok(());
        }
        let mut field = c.column;
        if let Some(t) = c.table.as_ref().filter(|t| t.has_generated) {
            if t.is_virtual(c.column) {
                return super::generated::read_virtual(self, t, c.cursor, c.column, target);
            }
            field = t.storage_index(c.column);
        }
        // Rows older than an ALTER TABLE ADD COLUMN read its default.
        let default = c.table.as_ref().and_then(|t| t.column_default(c.column));
        self.emit(Op::Column { cursor: c.cursor, column: field, dest: target, default });
        if c.affinity == Some(Affinity::Real) {
            self.emit(Op::RealAffinity { reg: target });
        }
        Ok(())
    }

    /// Compiles `e` so that its value ends up in `target`.
    pub fn expr(&mut self, e: &Expr, target: Reg) -> Result<()> {
        if let Some(r) = self.substituted(e) {
            self.emit(Op::Copy { src: r, dest: target, count: 1 });
            return Ok(());
        }
        if !self.index_expr_reads.is_empty() && super::index_expr::read_from_index(self, e, target) {
            return Ok(());
        }
        match e {
            Expr::Literal(lit) => self.literal(lit, false, target)?,
            Expr::Column { schema, table, column } => match self.resolve_name(schema.as_deref(), table.as_deref(), column)? {
                Some(Resolved::Column(c)) => self.column_to_reg(&c, target)?,
                Some(Resolved::Alias(a)) => self.expr(&a, target)?,
                // TRUE and FALSE are identifiers that, failing a column of
                // that name, are the values 1 and 0, as in SQLite.
                None if schema.is_none() && table.is_none() && (column.eq_ignore_ascii_case("true") || column.eq_ignore_ascii_case("false")) => {
                    self.emit(Op::Integer { value: i64::from(column.eq_ignore_ascii_case("true")), dest: target });
                }
                None => return Err(Self::no_such_column(schema.as_deref(), table.as_deref(), column)),
            },
            Expr::DoubleQuotedId(name) => match self.resolve_name(None, None, name)? {
                Some(Resolved::Column(c)) => self.column_to_reg(&c, target)?,
                Some(Resolved::Alias(a)) => self.expr(&a, target)?,
                // SQLite's double-quoted-string misfeature: no such column,
                // so the identifier is a string.
                None => {
                    if !self.dqs_strings.iter().any(|s| s == name) {
                        self.dqs_strings.push(name.clone());
                    }
                    self.emit(Op::String { value: Arc::from(name.as_bytes()), dest: target });
                }
            },
            Expr::Variable(i) => {
                self.emit(Op::Variable { index: *i as usize, dest: target });
            }
            Expr::Unary(op, a) => match op {
                UnaryOp::Neg => match a.as_ref() {
                    Expr::Literal(lit @ Literal::Number(_)) => self.literal(lit, true, target)?,
                    _ => {
                        let r = self.expr_to_reg(a)?;
                        self.emit(Op::Negative { src: r, dest: target });
                    }
                },
                UnaryOp::Pos => self.expr(a, target)?,
                UnaryOp::Not => {
                    let r = self.expr_to_reg(a)?;
                    self.emit(Op::Not { src: r, dest: target });
                }
                UnaryOp::BitNot => {
                    let r = self.expr_to_reg(a)?;
                    self.emit(Op::BitNot { src: r, dest: target });
                }
            },
            Expr::Binary(a, op, b) => self.binary(a, *op, b, target)?,
            Expr::Like { lhs, not, op, rhs, escape } => {
                let name = op.function_name();
                let mut args = vec![rhs.as_ref().clone(), lhs.as_ref().clone()];
                if let Some(esc) = escape {
                    args.push(esc.as_ref().clone());
                }
                self.infix_call = true;
                let r = self.call_function(name, &args, target);
                self.infix_call = false;
                r?;
                if *not {
                    self.emit(Op::Not { src: target, dest: target });
                }
            }
            Expr::Between { expr, not, low, high } => {
                let x = self.expr_to_reg(expr)?;
                let lo = self.expr_to_reg(low)?;
                let hi = self.expr_to_reg(high)?;
                let r1 = self.alloc_reg();
                let r2 = self.alloc_reg();
                self.compare_regs(expr, x, low, lo, CmpOp::Ge, r1)?;
                self.compare_regs(expr, x, high, hi, CmpOp::Le, r2)?;
                self.emit(Op::And { lhs: r1, rhs: r2, dest: target });
                if *not {
                    self.emit(Op::Not { src: target, dest: target });
                }
            }
            Expr::InList { expr, not, list } => self.in_list(expr, *not, list, target)?,
            Expr::InSelect { expr, not, select } => self.in_select(expr, *not, select, target)?,
            Expr::InTable { expr, not, table, args } => {
                if !args.is_empty() {
                    return Err(Error::sql("table-valued functions are not supported yet"));
                }
                let sel = crate::parse::ast::Select::star_from(crate::parse::ast::From {
                    first: crate::parse::ast::TableRef::Table { name: table.clone(), alias: None, indexed: None, args: None },
                    joins: Vec::new(),
                });
                self.in_select(expr, *not, &sel, target)?
            }
            Expr::IsNull { expr, not } => {
                let r = self.expr_to_reg(expr)?;
                let done = self.new_label();
                self.emit(Op::Integer { value: i64::from(!*not), dest: target });
                self.emit(Op::IsNull { reg: r, target: done });
                self.emit(Op::Integer { value: i64::from(*not), dest: target });
                self.resolve(done);
            }
            Expr::Exists { select, not } => {
                let res = self.alloc_reg();
                self.subquery(select, Dest::Exists(res))?;
                self.emit(Op::Copy { src: res, dest: target, count: 1 });
                if *not {
                    self.emit(Op::Not { src: target, dest: target });
                }
            }
            Expr::Subquery(select) => {
                let res = self.alloc_reg();
                self.subquery(select, Dest::Scalar(res))?;
                self.emit(Op::Copy { src: res, dest: target, count: 1 });
            }
            Expr::Case { base, whens, else_ } => {
                let end = self.new_label();
                let base_reg = match base {
                    Some(b) => Some(self.expr_to_reg(b)?),
                    None => None,
                };
                for (when, then) in whens {
                    let next = self.new_label();
                    match (&base_reg, base) {
                        (Some(br), Some(b)) => {
                            let cond = self.alloc_reg();
                            let w = self.expr_to_reg(when)?;
                            self.compare_regs(b, *br, when, w, CmpOp::Eq, cond)?;
                            self.emit(Op::IfNot { reg: cond, target: next, jump_if_null: true });
                        }
                        _ => self.jump_if_false(when, next, true)?,
                    }
                    self.expr(then, target)?;
                    self.emit(Op::Goto { target: end });
                    self.resolve(next);
                }
                match else_ {
                    Some(x) => self.expr(x, target)?,
                    None => {
                        self.emit(Op::Null { dest: target, count: 1 });
                    }
                }
                self.resolve(end);
            }
            Expr::Cast { expr, type_name } => {
                self.expr(expr, target)?;
                self.emit(Op::Cast { reg: target, type_name: Arc::from(type_name.as_str()) });
            }
            Expr::Collate { expr, collation } => {
                Self::collation_by_name(collation)?;
                self.expr(expr, target)?;
            }
            Expr::Function(fc) => {
                if self.auth_ignores_function(&fc.name) {
                    self.emit(Op::Null { dest: target, count: 1 });
                    return Ok(());
                }
                if fc.over.is_some() {
                    return Err(Error::sql(format!("misuse of window function {}()", fc.name)));
                }
                let args: &[Expr] = match &fc.args {
                    FunctionArgs::Star => &[],
                    FunctionArgs::List(a) => a,
                };
                if is_aggregate_name(&fc.name, args.len()) {
                    return Err(Error::sql(format!("misuse of aggregate function {}()", fc.name)));
                }
                if !fc.order_by.is_empty() {
                    return Err(Error::sql(format!("ORDER BY may not be used with non-aggregate {}()", fc.name)));
                }
                if matches!(fc.args, FunctionArgs::Star) && !fc.name.eq_ignore_ascii_case("count") {
                    return Err(Error::sql(format!("wrong number of arguments to function {}()", fc.name)));
                }
                if fc.distinct {
                    return Err(Error::sql(format!("DISTINCT aggregates must have exactly one argument")));
                }
                self.call_function(&fc.name, args, target)?;
            }
            Expr::Raise { kind, message } => {
                self.raise(*kind, message.as_deref())?;
                self.emit(Op::Null { dest: target, count: 1 });
            }
            Expr::Vector(_) => return Err(Error::sql("row value misused")),
        }
        Ok(())
    }

    pub(super) fn literal(&mut self, lit: &Literal, negated: bool, target: Reg) -> Result<()> {
        match lit {
            Literal::Null => {
                self.emit(Op::Null { dest: target, count: 1 });
            }
            Literal::Number(text) => match util::number_literal(text, negated)? {
                Value::Integer(i) => {
                    self.emit(Op::Integer { value: i, dest: target });
                }
                Value::Real(r) => {
                    self.emit(Op::Real { value: r, dest: target });
                }
                _ => return Err(Error::with_message(code::INTERNAL, "number literal")),
            },
            Literal::String(s) => {
                self.emit(Op::String { value: Arc::from(s.as_bytes()), dest: target });
            }
            Literal::Blob(b) => {
                self.emit(Op::Blob { value: Arc::from(b.as_slice()), dest: target });
            }
            Literal::CurrentTime | Literal::CurrentDate | Literal::CurrentTimestamp => {
                let name = match lit {
                    Literal::CurrentTime => "time",
                    Literal::CurrentDate => "date",
                    _ => "datetime",
                };
                self.call_function(name, &[], target)?;
            }
        }
        Ok(())
    }

    /// Calls a scalar function (the connection's user functions first,
    /// then the built-ins) with `args` into `target`.
    pub fn call_function(&mut self, name: &str, args: &[Expr], target: Reg) -> Result<()> {
        // MATCH exists in SQLite only for virtual tables to overload.
        let vtab_match = if self.infix_call && name.eq_ignore_ascii_case("match") && matches!(func::user::find_function(name, args.len()), func::user::Found::None) { self.vtab_function(name, args)? } else { None };
        let overloaded = vtab_match.is_some();
        let func = match func::user::find_function(name, args.len()) {
            func::user::Found::Builtin(d) => FuncRef::Builtin(d),
            func::user::Found::User(u) => FuncRef::User(u),
            func::user::Found::None if overloaded => vtab_match.ok_or_else(|| Error::sql("no such function: match"))?,
            func::user::Found::None => {
                return Err(if super::window::is_window_only(name) {
                    Error::sql(format!("misuse of window function {name}()"))
                } else if func::user::function_exists(name) {
                    Error::sql(format!("wrong number of arguments to function {name}()"))
                } else {
                    Error::sql(format!("no such function: {name}"))
                })
            }
        };
        let func = if overloaded { func } else { self.vtab_overload(func, args)? };
        let base = self.alloc_regs(args.len());
        for (i, a) in args.iter().enumerate() {
            self.expr(a, base + i)?;
        }
        let coll = self.function_collation(&func, args)?;
        self.emit(Op::Function { func, args: base, n_args: args.len(), dest: target, coll, binds: bind_mask(args), subtypes: subtype_mask(args) });
        Ok(())
    }

    /// A function whose first argument (the second for an infix operator:
    /// LIKE, GLOB, MATCH, REGEXP) is a virtual table's column may be
    /// replaced by the module's own (xFindFunction), as in SQLite.
    fn vtab_overload(&mut self, func: FuncRef, args: &[Expr]) -> Result<FuncRef> {
        let name = func.name().to_string();
        Ok(self.vtab_function(&name, args)?.unwrap_or(func))
    }

    /// The module's function `name` for these arguments (xFindFunction),
    /// when the argument that decides is a virtual table's column.
    fn vtab_function(&mut self, name: &str, args: &[Expr]) -> Result<Option<FuncRef>> {
        let arg = if self.infix_call { args.get(1) } else { args.first() };
        let Some(arg) = arg else { return Ok(None) };
        let Some(c) = self.column_ref(arg)? else { return Ok(None) };
        let Some(t) = c.table.filter(|t| t.module.is_some()) else { return Ok(None) };
        let vt = super::vtab::connected(self, &t)?;
        let name = name.to_ascii_lowercase();
        let found = vt.lock().find_function(args.len() as i32, &name);
        Ok(found.map(|(_, imp)| FuncRef::User(Arc::new(func::user::UserFunc::overloaded(&name, args.len() as i32, imp)))))
    }

    /// The collation a text-comparing function (min, max, nullif) uses:
    /// that of its first argument with one, as SQLite's OP_CollSeq.
    pub fn function_collation(&mut self, func: &FuncRef, args: &[Expr]) -> Result<Option<CollSeq>> {
        let needs = match func {
            FuncRef::Builtin(d) => d.needs_collation(),
            _ => false,
        };
        if !needs {
            return Ok(None);
        }
        for a in args {
            if let (Some(name), _) = self.expr_collation(a) {
                return Ok(Some(Self::collation_by_name(&name)?));
            }
        }
        Ok(None)
    }

    /// Emits a comparison of two already-evaluated operands.
    pub fn compare_regs(&mut self, a: &Expr, ra: Reg, b: &Expr, rb: Reg, op: CmpOp, dest: Reg) -> Result<()> {
        let aff_a = self.expr_affinity(a);
        let aff_b = self.expr_affinity(b);
        let affinity = comparison_affinity(aff_a, aff_b);
        let coll = self.comparison_collation(a, b)?;
        self.emit(Op::Compare { op, lhs: ra, rhs: rb, dest, affinity, coll });
        Ok(())
    }

    fn binary(&mut self, a: &Expr, op: BinaryOp, b: &Expr, target: Reg) -> Result<()> {
        let cmp = match op {
            BinaryOp::Eq => Some(CmpOp::Eq),
            BinaryOp::Ne => Some(CmpOp::Ne),
            BinaryOp::Lt => Some(CmpOp::Lt),
            BinaryOp::Le => Some(CmpOp::Le),
            BinaryOp::Gt => Some(CmpOp::Gt),
            BinaryOp::Ge => Some(CmpOp::Ge),
            BinaryOp::Is => Some(CmpOp::Is),
            BinaryOp::IsNot => Some(CmpOp::IsNot),
            _ => None,
        };
        if let Some(c) = cmp {
            if let (Expr::Vector(va), Expr::Vector(vb)) = (a, b) {
                return self.vector_compare(va, c, vb, target);
            }
            let ra = self.expr_to_reg(a)?;
            let rb = self.expr_to_reg(b)?;
            return self.compare_regs(a, ra, b, rb, c, target);
        }
        let ra = self.expr_to_reg(a)?;
        let rb = self.expr_to_reg(b)?;
        match op {
            BinaryOp::And => {
                self.emit(Op::And { lhs: ra, rhs: rb, dest: target });
            }
            BinaryOp::Or => {
                self.emit(Op::Or { lhs: ra, rhs: rb, dest: target });
            }
            BinaryOp::JsonExtract | BinaryOp::JsonExtractText => {
                return Err(Error::sql("the -> and ->> operators are not supported yet"));
            }
            _ => {
                let aop = match op {
                    BinaryOp::Add => ArithOp::Add,
                    BinaryOp::Subtract => ArithOp::Subtract,
                    BinaryOp::Multiply => ArithOp::Multiply,
                    BinaryOp::Divide => ArithOp::Divide,
                    BinaryOp::Remainder => ArithOp::Remainder,
                    BinaryOp::Concat => ArithOp::Concat,
                    BinaryOp::BitAnd => ArithOp::BitAnd,
                    BinaryOp::BitOr => ArithOp::BitOr,
                    BinaryOp::ShiftLeft => ArithOp::ShiftLeft,
                    BinaryOp::ShiftRight => ArithOp::ShiftRight,
                    _ => return Err(Error::with_message(code::INTERNAL, "unexpected binary operator")),
                };
                self.emit(Op::Arith { op: aop, lhs: ra, rhs: rb, dest: target });
            }
        }
        Ok(())
    }

    /// Row-value comparison: (a1, a2, ...) op (b1, b2, ...).
    fn vector_compare(&mut self, va: &[Expr], op: CmpOp, vb: &[Expr], target: Reg) -> Result<()> {
        if va.len() != vb.len() {
            return Err(Error::sql("row value misused"));
        }
        match op {
            CmpOp::Eq | CmpOp::Ne | CmpOp::Is | CmpOp::IsNot => {
                let eq = match op {
                    CmpOp::Eq | CmpOp::Ne => CmpOp::Eq,
                    _ => CmpOp::Is,
                };
                self.emit(Op::Integer { value: 1, dest: target });
                for (a, b) in va.iter().zip(vb) {
                    let ra = self.expr_to_reg(a)?;
                    let rb = self.expr_to_reg(b)?;
                    let r = self.alloc_reg();
                    self.compare_regs(a, ra, b, rb, eq, r)?;
                    self.emit(Op::And { lhs: target, rhs: r, dest: target });
                }
                if matches!(op, CmpOp::Ne | CmpOp::IsNot) {
                    self.emit(Op::Not { src: target, dest: target });
                }
                Ok(())
            }
            _ => {
                // Lexicographic: decided by the first pair that differs.
                let end = self.new_label();
                let n = va.len();
                for (i, (a, b)) in va.iter().zip(vb).enumerate() {
                    let ra = self.expr_to_reg(a)?;
                    let rb = self.expr_to_reg(b)?;
                    if i + 1 == n {
                        self.compare_regs(a, ra, b, rb, op, target)?;
                    } else {
                        let strict = match op {
                            CmpOp::Le => CmpOp::Lt,
                            CmpOp::Ge => CmpOp::Gt,
                            o => o,
                        };
                        let eq = self.alloc_reg();
                        self.compare_regs(a, ra, b, rb, CmpOp::Eq, eq)?;
                        self.compare_regs(a, ra, b, rb, strict, target)?;
                        // Not equal (or NULL): this pair decides.
                        self.emit(Op::IfNot { reg: eq, target: end, jump_if_null: true });
                    }
                }
                self.resolve(end);
                Ok(())
            }
        }
    }

    fn in_list(&mut self, lhs: &Expr, not: bool, list: &[Expr], target: Reg) -> Result<()> {
        if list.is_empty() {
            self.emit(Op::Integer { value: i64::from(not), dest: target });
            return Ok(());
        }
        let x = self.expr_to_reg(lhs)?;
        let found = self.new_label();
        let end = self.new_label();
        let saw_null = self.alloc_reg();
        let tmp = self.alloc_reg();
        self.emit(Op::Integer { value: 0, dest: saw_null });
        for item in list {
            let r = self.expr_to_reg(item)?;
            self.compare_regs(lhs, x, item, r, CmpOp::Eq, tmp)?;
            self.emit(Op::If { reg: tmp, target: found, jump_if_null: false });
            let not_null = self.new_label();
            self.emit(Op::NotNull { reg: tmp, target: not_null });
            self.emit(Op::Integer { value: 1, dest: saw_null });
            self.resolve(not_null);
        }
        let not_found = self.new_label();
        self.emit(Op::IfNot { reg: saw_null, target: not_found, jump_if_null: false });
        self.emit(Op::Null { dest: target, count: 1 });
        self.emit(Op::Goto { target: end });
        self.resolve(not_found);
        self.emit(Op::Integer { value: i64::from(not), dest: target });
        self.emit(Op::Goto { target: end });
        self.resolve(found);
        self.emit(Op::Integer { value: i64::from(!not), dest: target });
        self.resolve(end);
        Ok(())
    }

    fn in_select(&mut self, lhs: &Expr, not: bool, sel: &crate::parse::ast::Select, target: Reg) -> Result<()> {
        let lhs_aff = self.expr_affinity(lhs);
        let x = self.expr_to_reg(lhs)?;
        let cursor = self.alloc_cursor();
        // The transient index the subquery's rows go into; its affinity
        // and collation decide how the left side compares with them.
        let aff_coll = {
            let (c, explicit) = self.expr_collation(lhs);
            let coll = match c {
                Some(n) => Self::collation_by_name(&n)?,
                None => CollSeq::Binary,
            };
            let _ = explicit;
            // The set's values take the affinity the comparison uses (SQLite's
            // exprINAffinity), when the subquery's column is known now.
            match super::plan::subquery_column(self, sel) {
                Some((sub, _)) => (comparison_affinity(lhs_aff, Some(sub)), coll, true),
                None => (lhs_aff, coll, false),
            }
        };
        let (aff, coll, known) = aff_coll;
        let key_info = Arc::new(crate::record::KeyInfo::new(vec![(coll, false)]));
        let sub_aff = self.subquery(sel, Dest::InSet { cursor, affinity: aff, key_info })?;
        // The left side compares under the same affinity as the set's values.
        let cmp_aff = if known { aff } else { comparison_affinity(aff, sub_aff) };
        if let Some(a) = cmp_aff {
            self.emit(Op::Affinity { start: x, affinities: Arc::from(vec![a]) });
        }
        let end = self.new_label();
        let is_null = self.new_label();
        let not_found = self.new_label();
        // x IN (empty set) is false even when x is NULL.
        let empty_check = self.alloc_reg();
        self.emit(Op::Count { cursor, dest: empty_check });
        self.emit(Op::IfNot { reg: empty_check, target: not_found, jump_if_null: false });
        self.emit(Op::IsNull { reg: x, target: is_null });
        let found = self.new_label();
        self.emit(Op::Found { cursor, key: x, n: 1, target: found });
        // Not found: NULL if the set holds a NULL, else false.
        let null_reg = self.alloc_reg();
        self.emit(Op::Null { dest: null_reg, count: 1 });
        self.emit(Op::Found { cursor, key: null_reg, n: 1, target: is_null });
        self.resolve(not_found);
        self.emit(Op::Integer { value: i64::from(not), dest: target });
        self.emit(Op::Goto { target: end });
        self.resolve(found);
        self.emit(Op::Integer { value: i64::from(!not), dest: target });
        self.emit(Op::Goto { target: end });
        self.resolve(is_null);
        self.emit(Op::Null { dest: target, count: 1 });
        self.resolve(end);
        Ok(())
    }

    /// Compiles a subquery into `dest`. An uncorrelated subquery runs once
    /// per statement execution; a correlated one every time it is reached.
    /// Returns the affinity of its first result column.
    pub fn subquery(&mut self, sel: &crate::parse::ast::Select, dest: Dest) -> Result<Option<Affinity>> {
        self.subquery_count += 1;
        let kind = match &dest {
            Dest::InSet { .. } => "LIST SUBQUERY",
            _ => "SCALAR SUBQUERY",
        };
        let note_at = self.plan_notes.len();
        let note = self.plan_note(format!("{kind} {}", self.subquery_count));
        let saved_parent = std::mem::replace(&mut self.plan_parent, note);
        let r = self.subquery_inner(sel, dest, note_at);
        self.plan_parent = saved_parent;
        r
    }

    fn subquery_inner(&mut self, sel: &crate::parse::ast::Select, dest: Dest, note_at: usize) -> Result<Option<Affinity>> {
        let once_at = self.emit(Op::Once { target: 0 });
        let skip = self.new_label();
        // Initialise the result inside the guarded region, so that a
        // subquery that runs once keeps its result for later evaluations.
        match &dest {
            Dest::Scalar(r) => {
                self.emit(Op::Null { dest: *r, count: 1 });
            }
            Dest::Exists(r) => {
                self.emit(Op::Integer { value: 0, dest: *r });
            }
            Dest::InSet { cursor, key_info, .. } => {
                self.emit(Op::OpenEphemeral { cursor: *cursor, key_info: Some(key_info.clone()) });
            }
            _ => {}
        }
        self.correlated.push(false);
        let out = select::compile_select(self, sel, dest);
        let correlated = self.correlated.pop().unwrap_or(true);
        let out = out?;
        self.resolve(skip);
        if correlated {
            if let Some(n) = self.plan_notes.get_mut(note_at) {
                n.2 = format!("CORRELATED {}", n.2);
            }
            self.ops[once_at] = Op::Noop;
        } else if self.per_row_program > 0 {
            self.ops[once_at] = Op::Noop;
        } else if let Op::Once { target } = &mut self.ops[once_at] {
            *target = skip;
        }
        Ok(out.first_affinity)
    }
}

/// Which of a call's arguments hand the function a bound parameter's value
/// as bound (sqlite3_value_frombind): bit i for argument i. As in SQLite, a
/// parameter keeps that mark through CAST, which converts in place, and
/// loses it in any other expression.
/// Bit i: argument i is itself a function call, whose result subtype
/// (sqlite3_result_subtype) the call receives (sqlite3_value_subtype).
fn subtype_mask(args: &[Expr]) -> u64 {
    args.iter().take(64).enumerate().filter(|(_, a)| matches!(a, Expr::Function(_))).fold(0, |m, (i, _)| m | (1u64 << i))
}

pub(super) fn bind_mask(args: &[Expr]) -> u64 {
    args.iter().take(64).enumerate().filter(|(_, a)| from_bind(a)).fold(0, |m, (i, _)| m | (1u64 << i))
}

fn from_bind(e: &Expr) -> bool {
    match e {
        Expr::Variable(_) => true,
        Expr::Cast { expr, .. } => from_bind(expr),
        _ => false,
    }
}

/// Per result column of a query, whether it hands out a bound parameter's
/// value as bound (sqlite3_value_frombind of a column value). Only for a
/// plain query whose rows go straight out (no `*`, DISTINCT, grouping,
/// ORDER BY or compound), where the result register is the parameter's:
/// elsewhere no column is marked.
pub(super) fn result_from_bind(sel: &crate::parse::ast::Select) -> Vec<bool> {
    use crate::parse::ast::{ResultColumn, SelectCore};
    let SelectCore::Select(body) = &sel.core else { return Vec::new() };
    if !sel.compounds.is_empty() || !sel.order_by.is_empty() || body.distinct || !body.group_by.is_empty() {
        return Vec::new();
    }
    let mut out = Vec::new();
    for c in &body.columns {
        match c {
            ResultColumn::Expr { expr, .. } => out.push(from_bind(expr)),
            _ => return Vec::new(),
        }
    }
    out
}
