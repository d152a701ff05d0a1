//! sqlite3_stmt_scanstatus's figures for one program run by a `Vm`: the
//! EXPLAIN QUERY PLAN lines the code generator recorded (`Program::scans`)
//! and the per-instruction counts the interpreter keeps for programs that
//! have loops (`Vm::op_counts`).
//!
//! Invariant: reading never changes the counts; only `scan_status_reset`
//! zeroes them (sqlite3_reset keeps them, as SQLite does).

use super::exec::Vm;
use super::ScanStatus;

/// SQLITE_SCANSTAT_* metric codes.
pub const NLOOP: i32 = 0;
pub const NVISIT: i32 = 1;
pub const EST: i32 = 2;
pub const NAME: i32 = 3;
pub const EXPLAIN: i32 = 4;
pub const SELECTID: i32 = 5;
pub const PARENTID: i32 = 6;
pub const NCYCLE: i32 = 7;

/// One answer, typed as sqlite3_stmt_scanstatus_v2 writes it.
pub enum ScanAnswer<'a> {
    /// NLOOP, NVISIT, NCYCLE (sqlite3_int64).
    Count(i64),
    /// EST (double).
    Estimate(f64),
    /// NAME, EXPLAIN (a string, or NULL).
    Text(Option<&'a str>),
    /// SELECTID, PARENTID (int).
    Id(i32),
}

impl Vm {
    fn ran(&self, addr: usize) -> i64 {
        self.op_counts.get(addr).copied().unwrap_or(0) as i64
    }

    /// The entry `i`: with `complex`, the i-th EXPLAIN QUERY PLAN line;
    /// without, the i-th loop among them.
    fn scan_entry(&self, i: usize, complex: bool) -> Option<&ScanStatus> {
        let scans = &self.prog.scans;
        if complex {
            scans.get(i)
        } else {
            scans.iter().filter(|s| s.scan_loop.is_some()).nth(i)
        }
    }

    /// `metric` of entry `i` (a negative `i` with NCYCLE: the whole
    /// program's count); None where SQLite returns 1 (no such entry or
    /// metric).
    pub fn scan_status(&self, i: i32, metric: i32, complex: bool) -> Option<ScanAnswer<'_>> {
        if !(NLOOP..=NCYCLE).contains(&metric) {
            return None;
        }
        if i < 0 {
            return (metric == NCYCLE).then(|| ScanAnswer::Count(self.op_counts.iter().sum::<u64>() as i64));
        }
        let s = self.scan_entry(i as usize, complex)?;
        let lp = s.scan_loop.as_ref();
        Some(match metric {
            NLOOP => ScanAnswer::Count(lp.map_or(-1, |l| self.ran(l.addr_loop))),
            NVISIT => ScanAnswer::Count(lp.map_or(-1, |l| self.ran(l.addr_visit))),
            EST => ScanAnswer::Estimate(crate::codegen::scan_est::reported(lp.map_or(0, |l| l.est))),
            NAME => ScanAnswer::Text(lp.map(|l| l.name.as_str())),
            EXPLAIN => ScanAnswer::Text(Some(&s.explain)),
            SELECTID => ScanAnswer::Id(s.id as i32),
            PARENTID => ScanAnswer::Id(s.parent as i32),
            _ => ScanAnswer::Count(lp.map_or(-1, |l| (l.addr_loop..l.addr_end).map(|a| self.ran(a)).sum())),
        })
    }

    /// sqlite3_stmt_scanstatus_reset: every counter back to zero.
    pub fn scan_status_reset(&mut self) {
        self.op_counts.iter_mut().for_each(|c| *c = 0);
    }
}
