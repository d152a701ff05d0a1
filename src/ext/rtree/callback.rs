//! MATCH with application callbacks: what the R*Tree needs from the value
//! of a geometry or query function (sqlite3_rtree_geometry_callback /
//! sqlite3_rtree_query_callback, made in the C layer). Such a function
//! returns a pointer value of type "RtreeMatchArg" whose owner is a
//! `MatchArg`; a search starts one `MatchQuery` per MATCH constraint and
//! asks it about each cell it considers.
//!
//! Invariant: a `MatchQuery` lives for one xFilter (the callback's
//! per-query state, SQLite's pUser, goes when it is dropped).

use crate::error::Result;
use crate::value::Value;

/// The pointer type name of a MATCH function's value.
pub const MATCH_ARG_TYPE: &[u8] = b"RtreeMatchArg";

/// SQLite's eWithin values.
pub const NOT_WITHIN: i32 = 0;
pub const PARTLY_WITHIN: i32 = 1;
pub const FULLY_WITHIN: i32 = 2;

/// One cell as a callback sees it.
pub struct CellTest<'a> {
    /// The cell's coordinates (lower and upper bound per dimension).
    pub coords: &'a [f64],
    /// The height of the node holding the cell (0: a leaf, whose cells
    /// are rows).
    pub level: i32,
    /// The rowid of the last leaf cell looked at (SQLite's iRowid).
    pub rowid: i64,
    /// Score and eWithin of the search point the cell was found under.
    pub parent_score: f64,
    pub parent_within: i32,
    /// Search points queued per level (SQLite's anQueue).
    pub queue: &'a [u32],
}

/// What a callback answers about a cell.
pub struct CellAnswer {
    pub within: i32,
    /// The score for a query callback; None for a geometry callback (the
    /// cell scores 0).
    pub score: Option<f64>,
}

/// A MATCH function's value: the callback and its arguments.
pub trait MatchFunction: Send + Sync {
    /// Starts the constraint for one search of a table with `n_coord`
    /// coordinates and `max_level` levels.
    fn start(&self, n_coord: usize, max_level: i32) -> Box<dyn MatchQuery>;
}

/// One MATCH constraint during one search.
pub trait MatchQuery: Send {
    /// Calls the callback for one cell; an error is the callback's
    /// result code.
    fn test(&mut self, cell: &CellTest<'_>) -> Result<CellAnswer>;
}

/// The owner object of an "RtreeMatchArg" pointer value.
pub struct MatchArg(pub Box<dyn MatchFunction>);

/// The MATCH function behind `v`, if it is a geometry or query
/// function's value.
pub fn match_arg(v: &Value) -> Option<&MatchArg> {
    let Value::Pointer(p) = v else { return None };
    p.get(MATCH_ARG_TYPE)?;
    p.0.owner.as_ref()?.downcast_ref::<MatchArg>()
}
