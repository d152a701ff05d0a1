//! The page cache: page buffers by page number, each flagged dirty when
//! modified in the current write transaction.
//!
//! Invariants: every buffer is exactly `page_size` bytes; every dirty page
//! is in `dirty_list` (which may also hold numbers of pages since cleaned
//! or dropped: it is filtered when read), so that a commit finds its pages
//! without a scan of the whole cache; a dirty page is
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
    /// Changed in this write transaction; set through `PageCache`, which
    /// keeps the list of dirty pages.
    pub(super) dirty: bool,
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
    /// The pages made dirty since the list was last emptied (see the
    /// invariants).
    dirty_list: Vec<Pgno>,
}

impl PageCache {
    pub fn new(limit: usize) -> PageCache {
        PageCache { pages: PgnoMap::default(), order: VecDeque::new(), limit, next_check: 0, max_pgno: 0, dirty_list: Vec::new() }
    }

    /// Page `pgno`, now dirty.
    pub fn mark_dirty(&mut self, pgno: Pgno) -> Option<&mut CachedPage> {
        let p = self.pages.get_mut(&pgno)?;
        p.hot.set(true);
        if !p.dirty {
            p.dirty = true;
            self.dirty_list.push(pgno);
            if self.dirty_list.len() > 2 * self.pages.len() + 64 {
                // Numbers of pages cleaned or dropped since: forget them.
                let pages = &self.pages;
                self.dirty_list.retain(|pg| pages.get(pg).is_some_and(|p| p.dirty));
                self.dirty_list.sort_unstable();
                self.dirty_list.dedup();
            }
        }
        self.pages.get_mut(&pgno)
    }

    /// Page `pgno`, if cached, is clean again (written out by a spill).
    pub fn mark_clean(&mut self, pgno: Pgno) {
        if let Some(p) = self.pages.get_mut(&pgno) {
            p.dirty = false;
        }
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
        if page.dirty {
            self.dirty_list.push(pgno);
        }
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
        self.dirty_list.clear();
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
        let mut v: Vec<Pgno> = self.dirty_list.iter().copied().filter(|pg| self.pages.get(pg).is_some_and(|p| p.dirty)).collect();
        v.sort_unstable();
        v.dedup();
        v
    }

    /// Whether any page is dirty.
    pub fn has_dirty(&self) -> bool {
        self.dirty_list.iter().any(|pg| self.pages.get(pg).is_some_and(|p| p.dirty))
    }

    pub fn mark_all_clean(&mut self) {
        for pg in self.dirty_list.drain(..) {
            if let Some(p) = self.pages.get_mut(&pg) {
                p.dirty = false;
            }
        }
        self.next_check = 0;
    }

    /// Drops every dirty page (rollback of unwritten changes).
    pub fn drop_dirty(&mut self) {
        for pg in self.dirty_list.drain(..) {
            if self.pages.get(&pg).is_some_and(|p| p.dirty) {
                self.pages.remove(&pg);
            }
        }
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

    #[test]
    fn the_dirty_list_finds_exactly_the_dirty_pages() {
        let mut c = PageCache::new(0);
        for i in 1..=20 {
            c.insert(i, CachedPage::new(vec![0; 512], i == 20));
        }
        assert_eq!(c.dirty_pages(), vec![20]);
        for i in [7, 3, 7, 11] {
            c.mark_dirty(i).unwrap().data[0] = 1;
        }
        assert!(c.has_dirty());
        assert_eq!(c.dirty_pages(), vec![3, 7, 11, 20]);
        // A spill cleans some; a dropped page is no longer listed.
        c.mark_clean(7);
        c.remove(11);
        assert_eq!(c.dirty_pages(), vec![3, 20]);
        c.mark_all_clean();
        assert!(!c.has_dirty() && c.dirty_pages().is_empty());
        // Dirtied and cleaned over and over: the list stays bounded.
        for round in 0..1000 {
            let pg = 1 + round % 10;
            c.mark_dirty(pg).unwrap();
            c.mark_clean(pg);
        }
        assert!(c.dirty_list.len() <= 2 * c.len() + 65);
        assert!(c.dirty_pages().is_empty());
        // A rollback drops the dirty pages and keeps the clean ones.
        c.mark_dirty(5).unwrap();
        c.drop_dirty();
        assert!(!c.contains(5) && c.contains(6));
        assert!(c.mark_dirty(99).is_none());
    }
}
