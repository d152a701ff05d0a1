//! SQLite's sqlite3_index_info in engine terms: what the planner tells a
//! virtual table's xBestIndex (constraints, ORDER BY terms, columns used)
//! and what the module answers (argument positions, omit flags, idxNum,
//! idxStr, whether the ORDER BY is consumed, cost and row estimates, the
//! IN constraints it takes as one list).
//!
//! Invariant: `usage` and `handle_in` have one entry per constraint, and outputs are reset
//! to SQLite's defaults before every call (`reset_outputs`).

use crate::value::Value;

use super::ConstraintUsage;

/// Constraint operators (SQLITE_INDEX_CONSTRAINT_*).
pub mod op {
    pub const EQ: u8 = 2;
    pub const GT: u8 = 4;
    pub const LE: u8 = 8;
    pub const LT: u8 = 16;
    pub const GE: u8 = 32;
    pub const MATCH: u8 = 64;
    pub const LIKE: u8 = 65;
    pub const GLOB: u8 = 66;
    pub const REGEXP: u8 = 67;
    pub const NE: u8 = 68;
    pub const ISNOT: u8 = 69;
    pub const ISNOTNULL: u8 = 70;
    pub const ISNULL: u8 = 71;
    pub const IS: u8 = 72;
    pub const LIMIT: u8 = 73;
    pub const OFFSET: u8 = 74;
    pub const FUNCTION: u8 = 150;
}

/// SQLITE_INDEX_SCAN_UNIQUE and SQLITE_INDEX_SCAN_HEX.
pub const SCAN_UNIQUE: i32 = 1;
pub const SCAN_HEX: i32 = 2;

/// One WHERE constraint as xBestIndex sees it.
#[derive(Clone, Debug)]
pub struct IndexConstraint {
    /// Column index, -1 for the rowid.
    pub column: i32,
    pub op: u8,
    pub usable: bool,
    /// The position of the term in the WHERE clause (iTermOffset).
    pub term_offset: i32,
    /// The collation of the comparison (sqlite3_vtab_collation).
    pub collation: String,
    /// The right-hand value when it is a constant (sqlite3_vtab_rhs_value).
    pub rhs: Option<Value>,
    /// The constraint is `column IN (...)` offered as EQ, which the module
    /// may take all at once (sqlite3_vtab_in; only among the first 32
    /// constraints, as in SQLite).
    pub is_in: bool,
}

/// One ORDER BY term.
#[derive(Clone, Copy, Debug)]
pub struct IndexOrderBy {
    pub column: i32,
    pub desc: bool,
}

/// The whole exchange of one xBestIndex call.
#[derive(Clone, Debug)]
pub struct IndexInfo {
    pub constraints: Vec<IndexConstraint>,
    pub order_by: Vec<IndexOrderBy>,
    pub usage: Vec<ConstraintUsage>,
    pub idx_num: i32,
    pub idx_str: Option<String>,
    pub order_by_consumed: bool,
    pub estimated_cost: f64,
    pub estimated_rows: i64,
    pub idx_flags: i32,
    pub col_used: u64,
    /// sqlite3_vtab_distinct's answer (0..=3).
    pub distinct: i32,
    /// Output: the IN constraints the module asked to receive as one list
    /// value (sqlite3_vtab_in(.., 1)); one entry per constraint.
    pub handle_in: Vec<bool>,
}

impl IndexInfo {
    /// Puts the outputs back to what SQLite sets before each call.
    pub fn reset_outputs(&mut self) {
        self.usage = vec![ConstraintUsage::default(); self.constraints.len()];
        self.idx_num = 0;
        self.idx_str = None;
        self.order_by_consumed = false;
        self.estimated_cost = 1e99 / 2.0;
        self.estimated_rows = 25;
        self.idx_flags = 0;
        self.handle_in = vec![false; self.constraints.len()];
    }

    /// sqlite3_vtab_in: whether constraint `i` is an IN that can be handed
    /// over all at once; if so, `handle` > 0 asks for it, 0 declines, < 0
    /// only asks.
    pub fn vtab_in(&mut self, i: usize, handle: i32) -> bool {
        if !self.constraints.get(i).is_some_and(|c| c.is_in) {
            return false;
        }
        if handle >= 0 {
            if let Some(h) = self.handle_in.get_mut(i) {
                *h = handle > 0;
            }
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn constraint(is_in: bool) -> IndexConstraint {
        IndexConstraint { column: 0, op: op::EQ, usable: true, term_offset: 0, collation: "BINARY".into(), rhs: None, is_in }
    }

    #[test]
    fn vtab_in_answers_for_in_constraints_only() {
        let mut info = IndexInfo { constraints: vec![constraint(true), constraint(false)], order_by: Vec::new(), usage: Vec::new(), idx_num: 0, idx_str: None, order_by_consumed: false, estimated_cost: 0.0, estimated_rows: 0, idx_flags: 0, col_used: 0, distinct: 0, handle_in: Vec::new() };
        info.reset_outputs();
        assert!(info.vtab_in(0, -1));
        assert_eq!(info.handle_in, vec![false, false], "asking does not change the answer");
        assert!(info.vtab_in(0, 1));
        assert_eq!(info.handle_in, vec![true, false]);
        assert!(info.vtab_in(0, 0));
        assert_eq!(info.handle_in, vec![false, false]);
        assert!(!info.vtab_in(1, 1));
        assert!(!info.vtab_in(7, 1));
        assert_eq!(info.handle_in, vec![false, false]);
        info.vtab_in(0, 1);
        info.reset_outputs();
        assert_eq!(info.handle_in, vec![false, false], "each call starts without lists");
    }
}
