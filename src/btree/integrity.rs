//! The B-tree half of `PRAGMA integrity_check` (what SQLite's
//! sqlite3BtreeIntegrityCheck does): walks the freelist and every given
//! tree, checking page references (each page used once, in range), page
//! headers and free-space chains, cell bounds, rowid order in table trees,
//! overflow chain lengths, equal leaf depth, byte-level coverage of each
//! page (no overlaps, fragment count as recorded), and finally reports
//! pages used by nothing. In auto-vacuum files every reference is also
//! checked against its ptrmap entry, and the header's largest root against
//! the roots. Messages are worded as SQLite words them, so the
//! VDBE can prefix them with "*** in database main ***" and hand them on.
//!
//! Invariant: the check never fails on a corrupt file; every problem
//! becomes a message, and the walk is bounded (depth limit, one visit per
//! page).

use super::page::{self, get_u16, get_u32, PageInfo};
use super::ptrmap::{PTRMAP_BTREE, PTRMAP_FREEPAGE, PTRMAP_OVERFLOW1, PTRMAP_OVERFLOW2, PTRMAP_ROOTPAGE};
use super::{Btree, MAX_DEPTH};
use crate::error::Result;
use crate::pager::Pgno;

/// Result of an integrity check.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct IntegrityReport {
    /// Problems found, in SQLite's wording (empty = ok).
    pub errors: Vec<String>,
    /// Entries counted per root (table rows, or index entries), in the
    /// order of the roots given.
    pub rows: Vec<i64>,
}

struct Check<'a> {
    bt: &'a mut Btree,
    n_pages: Pgno,
    refs: Vec<bool>,
    max_err: usize,
    errors: Vec<String>,
    prefix: String,
    depth: usize,
    n_row: i64,
    /// The file keeps ptrmap pages: check their entries.
    autovacuum: bool,
}

impl Check<'_> {
    fn msg(&mut self, m: String) {
        if self.max_err == 0 {
            return;
        }
        self.max_err -= 1;
        self.errors.push(format!("{}{}", self.prefix, m));
    }

    /// Marks a page used; false (with a message) if out of range or used
    /// before.
    fn check_ref(&mut self, pg: Pgno) -> bool {
        if pg == 0 || pg > self.n_pages {
            self.msg(format!("invalid page number {pg}"));
            return false;
        }
        if self.refs[pg as usize] {
            self.msg(format!("2nd reference to page {pg}"));
            return false;
        }
        self.refs[pg as usize] = true;
        true
    }

    /// Checks that the ptrmap entry of `child` is (`kind`, `parent`).
    fn check_ptrmap(&mut self, child: Pgno, kind: u8, parent: Pgno) {
        if !self.autovacuum {
            return;
        }
        match self.bt.ptrmap_read(child) {
            Ok((k, p)) if k == kind && p == parent => {}
            Ok((k, p)) => self.msg(format!("Bad ptr map entry key={child} expected=({kind},{parent}) got=({k},{p})")),
            Err(_) => self.msg(format!("Failed to read ptrmap key={child}")),
        }
    }

    /// Walks an overflow chain or the freelist, expecting `n` pages.
    fn check_list(&mut self, freelist: bool, mut pg: Pgno, n: u32) {
        let expected = n;
        let mut n = n as i64;
        let errs_at_start = self.errors.len();
        let usable = self.bt.usable();
        while pg != 0 && self.max_err > 0 {
            if !self.check_ref(pg) {
                break;
            }
            n -= 1;
            let data = match self.bt.pager.page(pg) {
                Ok(d) => d.to_vec(),
                Err(_) => {
                    self.msg(format!("failed to get page {pg}"));
                    break;
                }
            };
            if freelist {
                self.check_ptrmap(pg, PTRMAP_FREEPAGE, 0);
                let k = get_u32(&data, 4).unwrap_or(0) as usize;
                if k > usable / 4 - 2 {
                    self.msg(format!("freelist leaf count too big on page {pg}"));
                    n -= 1;
                } else {
                    for i in 0..k {
                        let leaf = get_u32(&data, 8 + 4 * i).unwrap_or(0);
                        self.check_ptrmap(leaf, PTRMAP_FREEPAGE, 0);
                        self.check_ref(leaf);
                    }
                    n -= k as i64;
                }
            } else if n > 0 {
                let next = get_u32(&data, 0).unwrap_or(0);
                self.check_ptrmap(next, PTRMAP_OVERFLOW2, pg);
            }
            pg = get_u32(&data, 0).unwrap_or(0);
        }
        if n != 0 && errs_at_start == self.errors.len() {
            let what = if freelist { "size" } else { "overflow list length" };
            let got = expected as i64 - n;
            self.msg(format!("{what} is {got} but should be {expected}"));
        }
    }

    /// Checks the subtree at `pg`; returns its depth (leaf = 1).
    fn check_tree(&mut self, root: Pgno, pg: Pgno, min_key: &mut i64, mut max_key: i64) -> usize {
        if self.max_err == 0 || pg == 0 {
            return 0;
        }
        if !self.check_ref(pg) {
            return 0;
        }
        let saved_prefix = std::mem::replace(&mut self.prefix, format!("Tree {root} page {pg}: "));
        self.depth += 1;
        let d = self.check_page(root, pg, min_key, &mut max_key);
        self.depth -= 1;
        self.prefix = saved_prefix;
        d
    }

    fn check_page(&mut self, root: Pgno, pg: Pgno, min_key: &mut i64, max_key: &mut i64) -> usize {
        let usable = self.bt.usable();
        let data = match self.bt.pager.page(pg) {
            Ok(d) => d.to_vec(),
            Err(e) => {
                self.msg(format!("unable to get the page. error code={}", e.extended_code()));
                return 0;
            }
        };
        if self.depth > MAX_DEPTH {
            self.msg(format!("btree depth exceeds {MAX_DEPTH}"));
            return 0;
        }
        let info: PageInfo = match page::parse(&data, pg, usable) {
            Ok(i) => i,
            Err(e) => {
                self.msg(format!("btreeInitPage() returns error code {}", e.primary_code()));
                return 0;
            }
        };
        if page::free_space(&data, &info).is_err() {
            self.msg("free space corruption".to_string());
            return 0;
        }
        if info.leaf || !info.intkey {
            self.n_row += info.ncell as i64;
        }
        let mut depth: usize = 0;
        let mut key_can_be_equal = true;
        let mut have_depth = false;
        if !info.leaf {
            if self.autovacuum {
                let saved = std::mem::replace(&mut self.prefix, format!("Tree {root} page {pg} right child: "));
                self.check_ptrmap(info.right, PTRMAP_BTREE, pg);
                self.prefix = saved;
            }
            depth = self.check_tree(root, info.right, max_key, *max_key);
            have_depth = true;
            key_can_be_equal = false;
        }
        let mut spans: Vec<(usize, usize)> = Vec::with_capacity(info.ncell + 4);
        let mut coverage = true;
        for i in (0..info.ncell).rev() {
            if self.max_err == 0 {
                break;
            }
            self.prefix = format!("Tree {root} page {pg} cell {i}: ");
            let pc = get_u16(&data, info.hdr + info.hdr_size + 2 * i).unwrap_or(0);
            if pc < info.content_start || pc > usable - 4 {
                self.msg(format!("Offset {pc} out of range {}..{}", info.content_start, usable - 4));
                coverage = false;
                continue;
            }
            let c = match page::parse_cell(&data, pc, &info) {
                Ok(c) => c,
                Err(_) => {
                    self.msg("Extends off end of page".to_string());
                    coverage = false;
                    continue;
                }
            };
            if c.payload > 0 && c.local > 0 && data[c.payload_off] < 2 {
                self.msg("Bad cell header size".to_string());
                coverage = false;
                continue;
            }
            if info.intkey {
                let bad = if key_can_be_equal { c.key > *max_key } else { c.key >= *max_key };
                if bad {
                    self.msg(format!("Rowid {} out of order", c.key));
                }
                *max_key = c.key;
                key_can_be_equal = false;
            }
            if c.payload > c.local as u64 {
                let n = ((c.payload - c.local as u64) + usable as u64 - 5) / (usable as u64 - 4);
                self.check_ptrmap(c.ovfl, PTRMAP_OVERFLOW1, pg);
                self.check_list(false, c.ovfl, n as u32);
            }
            if !info.leaf {
                self.check_ptrmap(c.child, PTRMAP_BTREE, pg);
                let d2 = self.check_tree(root, c.child, max_key, *max_key);
                key_can_be_equal = false;
                if have_depth && d2 != depth {
                    self.msg("Child page depth differs".to_string());
                }
                depth = d2;
                have_depth = true;
            }
            spans.push((pc, pc + c.size - 1));
        }
        *min_key = *max_key;
        self.prefix.clear();
        if coverage && self.max_err > 0 {
            let mut fb = info.first_freeblock;
            while fb > 0 {
                let size = get_u16(&data, fb + 2).unwrap_or(0);
                spans.push((fb, fb + size.max(1) - 1));
                fb = get_u16(&data, fb).unwrap_or(0);
            }
            spans.sort_unstable();
            let mut frag = 0usize;
            let mut prev_end = info.content_start as isize - 1;
            let mut overlap = false;
            for &(s, e) in &spans {
                if prev_end >= s as isize {
                    self.msg(format!("Multiple uses for byte {s} of page {pg}"));
                    overlap = true;
                    break;
                }
                frag += (s as isize - prev_end - 1) as usize;
                prev_end = e as isize;
            }
            if !overlap {
                frag += (usable as isize - prev_end - 1) as usize;
                if frag != info.frag {
                    self.msg(format!("Fragmentation of {frag} bytes reported as {} on page {pg}", info.frag));
                }
            }
        }
        depth + 1
    }
}

impl Btree {
    /// Checks the freelist and the trees at `roots` (all trees of the
    /// database, schema root 1 included), reporting at most `max_errors`
    /// problems. Pages used by none of them are reported as never used.
    /// Needs a read transaction.
    pub fn integrity_check(&mut self, roots: &[Pgno], max_errors: usize) -> Result<IntegrityReport> {
        let auto = self.txn_state() == super::TxnState::None;
        if auto {
            self.begin_read()?;
        }
        let n_pages = self.pager.db_size();
        let mut report = IntegrityReport::default();
        if n_pages == 0 {
            report.rows = vec![0; roots.len()];
            if auto {
                self.commit()?;
            }
            return Ok(report);
        }
        let (trunk, count, largest_root, incr_flag) = {
            let p1 = self.pager.page(1)?;
            (get_u32(p1, 32)?, get_u32(p1, 36)?, get_u32(p1, 52)?, get_u32(p1, 64)?)
        };
        let lock = self.pager.lock_page();
        let autovacuum = self.autovacuum;
        let mut ck = Check {
            bt: self,
            n_pages,
            refs: vec![false; n_pages as usize + 1],
            max_err: max_errors,
            errors: Vec::new(),
            prefix: String::new(),
            depth: 0,
            n_row: 0,
            autovacuum,
        };
        if lock != 0 && lock <= n_pages {
            ck.refs[lock as usize] = true;
        }
        ck.prefix = "Freelist: ".to_string();
        ck.check_list(true, trunk, count);
        ck.prefix.clear();
        if ck.autovacuum {
            let mx = roots.iter().copied().max().unwrap_or(0);
            if mx != largest_root {
                ck.msg(format!("max rootpage ({mx}) disagrees with header ({largest_root})"));
            }
        } else if incr_flag != 0 {
            ck.msg("incremental_vacuum enabled with a max rootpage of zero".to_string());
        }
        for &root in roots {
            if ck.max_err == 0 {
                break;
            }
            if root > 1 {
                ck.check_ptrmap(root, PTRMAP_ROOTPAGE, 0);
            }
            ck.n_row = 0;
            let mut min = 0i64;
            ck.check_tree(root, root, &mut min, i64::MAX);
            report.rows.push(ck.n_row);
        }
        for pg in 1..=n_pages {
            if ck.max_err == 0 {
                break;
            }
            // Ptrmap pages are referenced by nothing, and must not be.
            let map = ck.autovacuum && ck.bt.is_ptrmap_page(pg);
            if !ck.refs[pg as usize] && !map {
                ck.msg(format!("Page {pg}: never used"));
            }
            if ck.refs[pg as usize] && map && pg != lock {
                ck.msg(format!("Page {pg}: pointer map referenced"));
            }
        }
        report.errors = ck.errors;
        if auto {
            self.commit()?;
        }
        Ok(report)
    }
}
