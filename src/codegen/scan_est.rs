//! The row estimates sqlite3_stmt_scanstatus reports (SQLITE_SCANSTAT_EST)
//! for a loop, computed as SQLite's query planner computes a loop's
//! output without sqlite_stat1 data: in LogEst units (10 × log2 of a
//! count, SQLite's logarithmic estimates), from its default table size and
//! per-index-column row counts, IN-list sizes and range reductions.
//!
//! Invariant: pure arithmetic on the chosen plan; the planner's choices do
//! not depend on these numbers.

use super::plan::{EqValue, Plan};

/// SQLite's assumed row count of a table without statistics, as a LogEst
/// (1,048,576 rows).
const TABLE_ROWS: i16 = 200;

/// A count as a LogEst.
pub fn log_est(mut x: u64) -> i16 {
    const FRAC: [i16; 8] = [0, 2, 3, 5, 6, 7, 8, 9];
    let mut y: i16 = 40;
    if x < 8 {
        if x < 2 {
            return 0;
        }
        while x < 8 {
            y -= 10;
            x <<= 1;
        }
    } else {
        while x > 255 {
            y += 40;
            x >>= 4;
        }
        while x > 15 {
            y += 10;
            x >>= 1;
        }
    }
    FRAC[(x & 7) as usize] + y - 10
}

/// A LogEst back as a count (rounded as SQLite does).
pub fn log_est_to_int(x: i16) -> u64 {
    let x = x.max(0) as u64;
    let mut n = x % 10;
    let e = x / 10;
    if n >= 5 {
        n -= 2;
    } else if n >= 1 {
        n -= 1;
    }
    if e > 60 {
        return i64::MAX as u64;
    }
    if e >= 3 {
        (n + 8) << (e - 3)
    } else {
        (n + 8) >> (3 - e)
    }
}

/// What SQLITE_SCANSTAT_EST reports for a LogEst estimate: small values
/// keep their fractional part.
pub fn reported(est: i16) -> f64 {
    let mut r = 1.0;
    let mut x = est;
    while x < 100 {
        x += 10;
        r *= 0.5;
    }
    r * log_est_to_int(x) as f64
}

/// Rows per distinct value of the first `n` columns of an index, SQLite's
/// defaults (sqlite3DefaultRowEst).
fn index_rows(n: usize, n_cols: usize, unique: bool) -> i16 {
    const PER_COLUMN: [i16; 5] = [33, 32, 30, 28, 26];
    if n == 0 {
        return TABLE_ROWS;
    }
    if unique && n >= n_cols {
        return 0;
    }
    PER_COLUMN.get(n - 1).copied().unwrap_or(23)
}

fn in_list_size(v: &EqValue) -> i16 {
    match v {
        EqValue::One(_) => 0,
        EqValue::List(l) => log_est(l.len() as u64),
        // SQLite's guess for `x IN (SELECT ...)`: 25 values.
        EqValue::Select(_) => 46,
    }
}

/// Narrows `n_out` by a range's bounds, as SQLite's whereRangeScanEst does
/// without statistics: a quarter per bound, a quarter more with both.
fn range(n_out: i16, lower: bool, upper: bool) -> i16 {
    if !lower && !upper {
        return n_out;
    }
    let mut new = n_out - 20 * (i16::from(lower) + i16::from(upper));
    if lower && upper {
        new -= 20;
    }
    let new = new.max(10);
    let floor = n_out - (i16::from(lower) + i16::from(upper));
    new.min(floor)
}

/// The estimate for one run of a loop with `plan`.
pub(super) fn loop_estimate(plan: &Plan) -> i16 {
    match plan {
        Plan::Scan => TABLE_ROWS,
        Plan::Rowid(v, _) => in_list_size(v),
        Plan::RowidRange { lower, upper } => range(TABLE_ROWS, lower.is_some(), upper.is_some()),
        Plan::Index { index, eq, lower, upper, not_null, .. } => {
            let base = index_rows(eq.len(), index.columns.len(), index.unique);
            let ins: i16 = eq.iter().map(|(v, _)| in_list_size(v)).sum();
            range(base, lower.is_some() || *not_null, upper.is_some()) + ins
        }
        // SQLite's automatic index: about 20 rows per lookup.
        Plan::AutoIndex { .. } => 43,
        Plan::MultiOr { .. } => TABLE_ROWS,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_est_round_trips_as_sqlite_reports() {
        assert_eq!(log_est(1 << 20), 200);
        assert_eq!(log_est(10), 33);
        assert_eq!(log_est(3), 16);
        assert_eq!(reported(200), 1_048_576.0);
        assert_eq!(reported(0), 1.0);
        assert_eq!(reported(33), 10.0);
        assert_eq!(reported(16), 3.0);
        assert_eq!(reported(log_est(50)), 48.0);
        assert_eq!(range(200, true, false), 180);
        assert_eq!(reported(range(200, true, true)), 16384.0);
    }
}
