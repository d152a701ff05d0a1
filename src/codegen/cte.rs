//! Common table expressions: `WITH name(cols) AS (SELECT ...)`.
//!
//! A CTE is visible to the SELECT it is attached to and every subquery
//! inside it; each reference materialises it into a transient table, as a
//! view is. A CTE whose compound SELECT refers to itself is recursive and
//! is evaluated with SQLite's queue algorithm: the rows of the initial
//! SELECTs go into a queue; each row taken off the queue is a result row
//! and, as the only row of the recursive reference, feeds the recursive
//! SELECTs, whose rows join the queue. UNION (not ALL) drops rows already
//! seen; a LIMIT on the CTE bounds how many rows it produces.

use std::sync::Arc;

use crate::error::{Error, Result};
use crate::parse::ast::{self, CompoundOp, Cte, Select, SelectCore, TableRef};
use crate::record::KeyInfo;
use crate::vdbe::Op;

use super::expr::{Source, SourceColumn};
use super::select::{self, Dest};
use super::Builder;

/// A CTE in scope, and, while its recursive SELECT is being compiled, the
/// cursor holding the current row of the recursive reference.
#[derive(Clone, Debug)]
pub struct CteScope {
    pub cte: Cte,
    pub in_progress: bool,
    pub recursive_row: Option<(usize, Vec<String>)>,
}

/// True when `sel` names `name` as a table anywhere in its FROM clauses
/// (subqueries included).
fn refers_to(sel: &Select, name: &str) -> bool {
    fn core_refers(core: &SelectCore, name: &str) -> bool {
        match core {
            SelectCore::Values(_) => false,
            SelectCore::Select(body) => match &body.from {
                None => false,
                Some(from) => std::iter::once(&from.first).chain(from.joins.iter().map(|j| &j.table)).any(|t| table_refers(t, name)),
            },
        }
    }
    fn table_refers(t: &TableRef, name: &str) -> bool {
        match t {
            TableRef::Table { name: q, .. } => q.schema.is_none() && q.name.eq_ignore_ascii_case(name),
            TableRef::Subquery { select, .. } => refers_to(select, name),
            TableRef::Nested { from, .. } => std::iter::once(&from.first).chain(from.joins.iter().map(|j| &j.table)).any(|t| table_refers(t, name)),
        }
    }
    core_refers(&sel.core, name) || sel.compounds.iter().any(|(_, c)| core_refers(c, name))
}

impl<'s> Builder<'s> {
    /// Brings the CTEs of a WITH clause into scope; returns how many to
    /// pop afterwards.
    pub fn push_ctes(&mut self, with: &ast::With) -> usize {
        for cte in &with.ctes {
            self.ctes.push(CteScope { cte: cte.clone(), in_progress: false, recursive_row: None });
        }
        with.ctes.len()
    }

    pub fn pop_ctes(&mut self, n: usize) {
        let keep = self.ctes.len().saturating_sub(n);
        self.ctes.truncate(keep);
    }

    fn find_cte(&self, name: &str) -> Option<usize> {
        self.ctes.iter().rposition(|c| c.cte.name.eq_ignore_ascii_case(name))
    }

    /// A FROM item naming a CTE in scope becomes a source; None when no CTE
    /// has that name.
    pub fn cte_source(&mut self, name: &str, label: &str) -> Result<Option<Source>> {
        let Some(i) = self.find_cte(name) else { return Ok(None) };
        if let Some((cursor, cols)) = self.ctes[i].recursive_row.clone() {
            let columns = cols.iter().map(|c| SourceColumn { hidden: false, name: c.clone(), affinity: None, collation: None, decl_type: None }).collect();
            return Ok(Some(Source { name: label.to_string(), table: None, columns, cursor, using_hidden: Vec::new(), nested: Vec::new() }));
        }
        if self.ctes[i].in_progress {
            return Err(Error::sql(format!("circular reference: {}", self.ctes[i].cte.name)));
        }
        let cte = self.ctes[i].cte.clone();
        self.ctes[i].in_progress = true;
        let r = if refers_to(&cte.select, &cte.name) && !cte.select.compounds.is_empty() {
            self.recursive_cte(i, &cte, label)
        } else {
            select::materialize(self, &cte.select, label, &cte.columns, false).map(|mut s| {
                s.table = None;
                s
            })
        };
        if let Some(c) = self.ctes.get_mut(i) {
            c.in_progress = false;
        }
        let source = r?;
        if !cte.columns.is_empty() && cte.columns.len() != source.columns.len() {
            return Err(Error::sql(format!("table {} has {} values for {} columns", cte.name, source.columns.len(), cte.columns.len())));
        }
        Ok(Some(source))
    }

    fn recursive_cte(&mut self, i: usize, cte: &Cte, label: &str) -> Result<Source> {
        let sel = &cte.select;
        if !sel.order_by.is_empty() {
            return Err(Error::sql("ORDER BY in a recursive common table expression is not supported yet"));
        }
        if sel.limit.as_ref().is_some_and(|l| l.offset.is_some()) {
            return Err(Error::sql("OFFSET in a recursive common table expression is not supported yet"));
        }
        // Split the compound: the SELECTs before the first one that refers
        // to the CTE are the initial part, the rest the recursive part.
        let parts: Vec<(Option<CompoundOp>, &SelectCore)> = std::iter::once((None, &sel.core)).chain(sel.compounds.iter().map(|(op, c)| (Some(*op), c))).collect();
        let single = |core: &SelectCore| Select { with: None, core: core.clone(), compounds: Vec::new(), order_by: Vec::new(), limit: None };
        let split = parts.iter().position(|(_, c)| refers_to(&single(c), &cte.name)).unwrap_or(parts.len());
        if split == 0 || split == parts.len() {
            return Err(Error::sql(format!("circular reference: {}", cte.name)));
        }
        let distinct = match parts[split].0 {
            Some(CompoundOp::UnionAll) => false,
            Some(CompoundOp::Union) => true,
            _ => return Err(Error::sql(format!("recursive reference in a subquery: {}", cte.name))),
        };
        let initial = Select {
            with: None,
            core: parts[0].1.clone(),
            compounds: parts[1..split].iter().map(|(op, c)| (op.unwrap_or(CompoundOp::UnionAll), (*c).clone())).collect(),
            order_by: Vec::new(),
            limit: None,
        };
        let queue = self.alloc_cursor();
        let result = self.alloc_cursor();
        let current = self.alloc_cursor();
        self.emit(Op::OpenEphemeral { cursor: queue, key_info: None });
        self.emit(Op::OpenEphemeral { cursor: result, key_info: None });
        let seen = if distinct {
            let c = self.alloc_cursor();
            self.emit(Op::OpenEphemeral { cursor: c, key_info: Some(Arc::new(KeyInfo::binary())) });
            Some(c)
        } else {
            None
        };
        let out = select::compile_select(self, &initial, Dest::Queue { queue, seen })?;
        let written = if out.span_names.len() == out.names.len() { &out.span_names } else { &out.names };
        let names: Vec<String> = if cte.columns.is_empty() { select::source_column_names(written) } else { cte.columns.clone() };
        let ncols = out.names.len();
        let done = self.new_label();
        let limit = match &sel.limit {
            Some(l) => {
                self.scopes.push(super::Scope::default());
                let r = self.expr_to_reg(&l.limit);
                self.scopes.pop();
                let r = r?;
                self.emit(Op::MustBeInt { reg: r });
                self.emit(Op::IfNot { reg: r, target: done, jump_if_null: false });
                Some(r)
            }
            None => None,
        };
        let top = self.addr();
        self.emit(Op::Rewind { cursor: queue, target: done });
        let row = self.alloc_regs(ncols.max(1));
        for k in 0..ncols {
            self.emit(Op::Column { cursor: queue, column: k, dest: row + k, default: None });
        }
        let rec = self.alloc_reg();
        let rowid = self.alloc_reg();
        self.emit(Op::MakeRecord { start: row, count: ncols, dest: rec });
        // The taken row is a result row and the recursive reference's row.
        self.emit(Op::NewRowid { cursor: result, dest: rowid });
        self.emit(Op::Insert { cursor: result, record: rec, rowid, count_change: false, set_last_rowid: false, hook: None });
        self.emit(Op::Delete { cursor: queue, count_change: false, hook: None });
        if let Some(l) = limit {
            self.emit(Op::DecrJumpZero { reg: l, target: done });
        }
        self.emit(Op::OpenEphemeral { cursor: current, key_info: None });
        self.emit(Op::Integer { value: 1, dest: rowid });
        self.emit(Op::Insert { cursor: current, record: rec, rowid, count_change: false, set_last_rowid: false, hook: None });
        let recursive = Select {
            with: None,
            core: parts[split].1.clone(),
            compounds: parts[split + 1..].iter().map(|(op, c)| (op.unwrap_or(CompoundOp::UnionAll), (*c).clone())).collect(),
            order_by: Vec::new(),
            limit: None,
        };
        self.ctes[i].recursive_row = Some((current, names.clone()));
        let r = select::compile_select(self, &recursive, Dest::Queue { queue, seen });
        self.ctes[i].recursive_row = None;
        let rout = r?;
        if rout.names.len() != ncols {
            return Err(Error::sql(format!("SELECTs to the left and right of {} do not have the same number of result columns", if distinct { "UNION" } else { "UNION ALL" })));
        }
        self.emit(Op::Goto { target: top });
        self.resolve(done);
        let columns = names.iter().map(|c| SourceColumn { hidden: false, name: c.clone(), affinity: None, collation: None, decl_type: None }).collect();
        Ok(Source { name: label.to_string(), table: None, columns, cursor: result, using_hidden: Vec::new(), nested: Vec::new() })
    }
}

