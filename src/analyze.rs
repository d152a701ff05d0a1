//! ANALYZE's statistics: the `stat` text sqlite_stat1 holds for an index,
//! computed as SQLite's ANALYZE computes it.
//!
//! For an index of N entries and k key columns the text is "N a1 .. ak",
//! where ai is the average number of entries sharing a value of the first
//! i columns, rounded up: (N + d - 1) / d for d distinct prefixes, then 1
//! instead of 2 when d is within 10% of N (a nearly unique prefix).
//! Distinct means different under the column's collation; NULLs count as
//! equal to each other. The code generator (`codegen::analyze`) writes the
//! rows; this module only reads the index.

use crate::btree::{BtCursor, Btree, Pgno, TreeKind};
use crate::error::Result;
use crate::record::{first_difference, KeyInfo};

/// The stat text of the index rooted at `root` with `ncols` key columns,
/// or None when it is empty (SQLite writes no row then). A read
/// transaction must be open.
pub fn index_stat(bt: &mut Btree, root: Pgno, key: &KeyInfo, ncols: usize) -> Result<Option<String>> {
    let mut cur = BtCursor::new(root, TreeKind::Index, false);
    let mut rows: u64 = 0;
    // distinct[i]: the number of distinct values of the first i+1 columns.
    let mut distinct = vec![0u64; ncols];
    let mut prev: Vec<u8> = Vec::new();
    let mut more = cur.first(bt)?;
    while more {
        let payload = cur.payload(bt)?;
        let from = if rows == 0 { 0 } else { first_difference(&prev, &payload, key, ncols)? };
        for d in distinct.iter_mut().skip(from) {
            *d += 1;
        }
        prev.clear();
        prev.extend_from_slice(&payload);
        rows += 1;
        more = cur.next(bt)?;
    }
    if rows == 0 {
        return Ok(None);
    }
    let mut out = rows.to_string();
    for d in distinct {
        let d = d.max(1);
        let mut avg = (rows + d - 1) / d;
        if avg == 2 && rows * 10 <= d * 11 {
            avg = 1;
        }
        out.push(' ');
        out.push_str(&avg.to_string());
    }
    Ok(Some(out))
}
