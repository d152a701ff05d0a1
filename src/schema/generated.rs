//! Generated columns: `name [type] [GENERATED ALWAYS] AS (expr) [VIRTUAL |
//! STORED]`.
//!
//! A STORED column has a field in the table's record, computed when the
//! row is written; a VIRTUAL column has none and is computed each time it
//! is read. The record therefore holds the non-VIRTUAL columns in table
//! order, and `storage_index` maps a table column to its field. Row images
//! in registers (INSERT / UPDATE / DELETE, index keys) keep one register
//! per table column, VIRTUAL ones included.
//!
//! Invariants: a generated column is never part of the PRIMARY KEY and
//! has no DEFAULT; its expression reads only columns of its own table
//! (checked when the table is created, see `codegen::generated`), so the
//! columns can be computed in `compute_order`.

use crate::error::{Error, Result};
use crate::parse::ast::Expr;

use super::{Column, Table};

/// SQLite's message for a generated column in the PRIMARY KEY.
pub(super) const IN_PRIMARY_KEY: &str = "generated columns cannot be part of the PRIMARY KEY";

#[derive(Clone, Debug)]
pub struct Generated {
    pub expr: Expr,
    pub stored: bool,
}

impl Generated {
    /// The generated-column clause of `col` as declared; `in_pk`: the
    /// column was already declared PRIMARY KEY.
    pub(super) fn declare(col: &Column, expr: &Expr, stored: bool, in_pk: bool) -> Result<Generated> {
        if col.default.is_some() {
            return Err(Error::sql(format!("error in generated column \"{}\"", col.name)));
        }
        if in_pk {
            return Err(Error::sql(IN_PRIMARY_KEY));
        }
        // A bare column name becomes `+name`, as SQLite rewrites it, so the
        // value never takes the other column's collation.
        let expr = match expr {
            Expr::Column { .. } | Expr::DoubleQuotedId(_) => Expr::Unary(crate::parse::ast::UnaryOp::Pos, Box::new(expr.clone())),
            e => e.clone(),
        };
        Ok(Generated { expr, stored })
    }
}

/// A declared type without the "GENERATED ALWAYS" that ends it when those
/// words came before `AS (...)` (they are parsed as part of the type, and
/// SQLite drops them from it).
pub(crate) fn without_generated_always(t: &str) -> &str {
    let ends_with = |s: &str, w: &str| s.len() >= w.len() && s.is_char_boundary(s.len() - w.len()) && s[s.len() - w.len()..].eq_ignore_ascii_case(w);
    if t.len() < 16 || !ends_with(t, "always") {
        return t;
    }
    let rest = t[..t.len() - 6].trim_end();
    if ends_with(rest, "generated") {
        return rest[..rest.len() - 9].trim_end();
    }
    rest
}

impl Table {
    /// True for a generated column without a field in the record.
    pub fn is_virtual(&self, i: usize) -> bool {
        self.columns.get(i).and_then(|c| c.generated.as_ref()).is_some_and(|g| !g.stored)
    }

    /// True when some column is VIRTUAL, so table columns and record
    /// fields are numbered differently.
    pub fn has_virtual(&self) -> bool {
        self.has_generated && (0..self.columns.len()).any(|i| self.is_virtual(i))
    }

    /// The record field that holds table column `i` (for a VIRTUAL column:
    /// the number of fields before it, which it does not have).
    pub fn storage_index(&self, i: usize) -> usize {
        if !self.has_generated {
            return i;
        }
        (0..i).filter(|&j| !self.is_virtual(j)).count()
    }

    /// How many fields a full record of this table has.
    pub fn stored_count(&self) -> usize {
        self.storage_index(self.columns.len())
    }

    /// How many columns an INSERT without a column list supplies: the
    /// columns that are not generated.
    pub fn insertable_count(&self) -> usize {
        self.columns.iter().filter(|c| c.generated.is_none()).count()
    }

    /// The generated columns in an order in which each comes after the
    /// generated columns its expression reads; Err names the column of a
    /// loop, as SQLite reports it (the last one that could not be
    /// computed in a pass over the columns in table order).
    pub fn compute_order(&self) -> Result<Vec<usize>> {
        let reads: Vec<Vec<usize>> = self
            .columns
            .iter()
            .map(|c| match &c.generated {
                Some(g) => {
                    let mut v = Vec::new();
                    column_names(&g.expr, &mut |name| {
                        if let Some(j) = self.column_index(name) {
                            if self.columns[j].generated.is_some() {
                                v.push(j);
                            }
                        }
                    });
                    v
                }
                None => Vec::new(),
            })
            .collect();
        let mut ready: Vec<bool> = self.columns.iter().map(|c| c.generated.is_none()).collect();
        let mut order = Vec::new();
        loop {
            let mut progress = false;
            let mut redo = None;
            for i in 0..self.columns.len() {
                if ready[i] {
                    continue;
                }
                if reads[i].iter().any(|&j| !ready[j]) {
                    redo = Some(i);
                    continue;
                }
                ready[i] = true;
                order.push(i);
                progress = true;
            }
            match redo {
                None => return Ok(order),
                Some(i) if !progress => return Err(Error::sql(format!("generated column loop on \"{}\"", self.columns[i].name))),
                Some(_) => {}
            }
        }
    }
}

/// Calls `f` with the name of every column `e` reads (subqueries are not
/// allowed in a generated column's expression, so none are entered).
pub(crate) fn column_names(e: &Expr, f: &mut dyn FnMut(&str)) {
    crate::codegen::walk_expr(e, &mut |x| {
        match x {
            Expr::Column { column, .. } => f(column),
            Expr::DoubleQuotedId(name) => f(name),
            _ => {}
        }
        true
    });
}
