//! The page cache: page buffers by page number, each flagged dirty when
//! modified in the current write transaction.
//!
//! Invariants: every buffer is exactly `page_size` bytes; a dirty page is
//! never evicted (it stays until commit, rollback, or a spill writes it out
//! and marks it clean: `spill.rs`); clean pages are evicted, oldest load
//! first, when the cache grows past its soft limit. Eviction only happens inside `make_room`,
//! which the pager calls before loading a page, so no borrowed page buffer
//! is ever invalidated.

use std::collections::{HashMap, VecDeque};
use std::hash::{BuildHasherDefault, Hasher};

use super::Pgno;

/// Hasher for page numbers: one multiply (page numbers are not
/// adversarial input to a hash table, and SipHash costs more than the
/// lookups it guards).
#[derive(Default, Clone, Copy)]
pub struct PgnoHasher(u64);

impl Hasher for PgnoHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(8) ^ b as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }
    fn write_u32(&mut self, n: u32) {
        self.0 = (n as u64 ^ self.0).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

pub type PgnoMap<V> = HashMap<Pgno, V, BuildHasherDefault<PgnoHasher>>;
pub type PgnoSet = std::collections::HashSet<Pgno, BuildHasherDefault<PgnoHasher>>;

pub struct CachedPage {
    pub data: Vec<u8>,
    pub dirty: bool,
    /// Used since the eviction hand last passed (CLOCK's reference bit).
    pub hot: std::cell::Cell<bool>,
}

impl CachedPage {
    pub fn new(data: Vec<u8>, dirty: bool) -> CachedPage {
        CachedPage { data, dirty, hot: std::cell::Cell::new(false) }
    }
}

pub struct PageCache {
    pages: PgnoMap<CachedPage>,
    /// Load order of pages, for eviction (may hold stale numbers).
    order: VecDeque<Pgno>,
    /// Soft limit in pages; 0 = unlimited.
    limit: usize,
    /// No eviction attempt below this size (set after a pass that found
    /// too few clean pages, so a cache full of dirty pages costs O(1) per
    /// load rather than a scan).
    next_check: usize,
    /// No cached page is numbered above this (so that `truncate`, run at
    /// the start of every read transaction, costs nothing unless the
    /// database shrank).
    max_pgno: Pgno,
}

impl PageCache {
    pub fn new(limit: usize) -> PageCache {
        PageCache { pages: PgnoMap::default(), order: VecDeque::new(), limit, next_check: 0, max_pgno: 0 }
    }

    pub fn set_limit(&mut self, limit: usize) {
        self.limit = limit;
    }

    pub fn get(&self, pgno: Pgno) -> Option<&CachedPage> {
        let p = self.pages.get(&pgno);
        if let Some(p) = p {
            p.hot.set(true);
        }
        p
    }

    pub fn get_mut(&mut self, pgno: Pgno) -> Option<&mut CachedPage> {
        let p = self.pages.get_mut(&pgno);
        if let Some(p) = &p {
            p.hot.set(true);
        }
        p
    }

    pub fn contains(&self, pgno: Pgno) -> bool {
        self.pages.contains_key(&pgno)
    }

    pub fn insert(&mut self, pgno: Pgno, page: CachedPage) {
        self.max_pgno = self.max_pgno.max(pgno);
        if self.pages.insert(pgno, page).is_none() && self.limit > 0 {
            self.order.push_back(pgno);
        }
    }

    pub fn remove(&mut self, pgno: Pgno) {
        self.pages.remove(&pgno);
    }

    /// Evicts clean pages while the cache is at or over its limit.
    pub fn make_room(&mut self) {
        if self.limit == 0 || self.pages.len() < self.limit.max(self.next_check) {
            return;
        }
        let target = self.limit * 3 / 4;
        // CLOCK: a page used since the last pass gets a second chance.
        let mut scanned = 0;
        let n = 2 * self.order.len();
        while self.pages.len() > target && scanned < n {
            scanned += 1;
            let Some(pg) = self.order.pop_front() else { break };
            match self.pages.get(&pg) {
                Some(p) if p.dirty => self.order.push_back(pg),
                Some(p) if p.hot.get() => {
                    p.hot.set(false);
                    self.order.push_back(pg);
                }
                Some(_) => {
                    self.pages.remove(&pg);
                }
                None => {}
            }
        }
        self.next_check = if self.pages.len() > target { self.pages.len() + self.limit / 4 + 1 } else { 0 };
        // Drop stale numbers so `order` stays proportional to the cache.
        if self.order.len() > 2 * self.pages.len() + 64 {
            let pages = &self.pages;
            self.order.retain(|p| pages.contains_key(p));
        }
    }

    /// After a spill made dirty pages clean: evicts at once, whatever an
    /// earlier pass that found too few clean pages put off.
    pub fn make_room_after_spill(&mut self) {
        self.next_check = 0;
        self.make_room();
    }

    /// Drops every clean page (sqlite3_db_release_memory): they are read
    /// again when next needed.
    pub fn release_clean(&mut self) {
        self.pages.retain(|_, p| p.dirty);
        let pages = &self.pages;
        self.order.retain(|p| pages.contains_key(p));
        self.next_check = 0;
    }

    /// Drops every page.
    pub fn clear(&mut self) {
        self.pages.clear();
        self.max_pgno = 0;
        self.order.clear();
        self.next_check = 0;
    }

    /// Drops pages numbered above `n`.
    pub fn truncate(&mut self, n: Pgno) {
        if n >= self.max_pgno {
            return;
        }
        self.pages.retain(|&p, _| p <= n);
        self.max_pgno = n;
    }

    /// Dirty page numbers, ascending.
    pub fn dirty_pages(&self) -> Vec<Pgno> {
        let mut v: Vec<Pgno> = self.pages.iter().filter(|(_, p)| p.dirty).map(|(&k, _)| k).collect();
        v.sort_unstable();
        v
    }

    pub fn mark_all_clean(&mut self) {
        for p in self.pages.values_mut() {
            p.dirty = false;
        }
        self.next_check = 0;
    }

    /// Drops every dirty page (rollback of unwritten changes).
    pub fn drop_dirty(&mut self) {
        self.pages.retain(|_, p| !p.dirty);
        self.next_check = 0;
    }

    pub fn limit(&self) -> usize {
        self.limit
    }

    pub fn len(&self) -> usize {
        self.pages.len()
    }

    pub fn is_empty(&self) -> bool {
        self.pages.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eviction_keeps_dirty_pages() {
        let mut c = PageCache::new(8);
        for i in 1..=8 {
            c.insert(i, CachedPage::new(vec![0; 512], i % 2 == 0));
        }
        c.make_room();
        assert!(c.len() <= 6);
        for i in (2..=8).step_by(2) {
            assert!(c.contains(i));
        }
    }
}
