//! Page watches: how an online backup (`crate::backup`) learns that its
//! source database changed between two of its steps.
//!
//! SQLite's pager calls back into each backup reading it: when the pager
//! itself writes a page (a commit, a cache spill, a WAL frame) the backup
//! recopies that page if it had already copied it; when the pager finds
//! that someone else changed the file (its cache is dropped), or when an
//! in-memory database commits, every backup restarts from page 1.
//!
//! Here the pager records the same facts in a `PageWatch` shared with the
//! backup, which applies them at its next step. Invariants:
//! - `updates` only holds pages numbered below `next` (the backup's next
//!   page to copy) when they were written, with their latest content;
//! - once `restart` is set, `updates` is empty and `next` is 1 until the
//!   backup takes note; pages written afterwards are copied by the backup
//!   anyway, so nothing is recorded for them.

use std::collections::BTreeMap;
use std::sync::Arc;

use parking_lot::Mutex;

use super::{Pager, Pgno};

/// What the source pager tells a backup between its steps.
#[derive(Default)]
pub struct PageWatch {
    /// The backup's next page to copy: pages below it were copied.
    pub next: Pgno,
    /// The backup must start again from page 1.
    pub restart: bool,
    /// Pages already copied that the pager wrote since, by number.
    pub updates: BTreeMap<Pgno, Vec<u8>>,
}

pub type SharedWatch = Arc<Mutex<PageWatch>>;

impl PageWatch {
    fn restart(&mut self) {
        self.restart = true;
        self.next = 1;
        self.updates.clear();
    }
}

impl Pager {
    /// Registers `w`: from now on this pager reports to it.
    pub fn add_watch(&mut self, w: SharedWatch) {
        if !self.watches.iter().any(|x| Arc::ptr_eq(x, &w)) {
            self.watches.push(w);
        }
    }

    /// Unregisters `w` (no-op when it is not registered).
    pub fn remove_watch(&mut self, w: &SharedWatch) {
        self.watches.retain(|x| !Arc::ptr_eq(x, w));
    }

    pub fn watch_count(&self) -> usize {
        self.watches.len()
    }

    pub fn has_watch(&self, w: &SharedWatch) -> bool {
        self.watches.iter().any(|x| Arc::ptr_eq(x, w))
    }

    /// This pager wrote page `pgno` with `data` (to the file or the log).
    pub(super) fn watch_written(&self, pgno: Pgno, data: &[u8]) {
        for w in &self.watches {
            let mut w = w.lock();
            if !w.restart && pgno < w.next {
                w.updates.insert(pgno, data.to_vec());
            }
        }
    }

    /// The database changed in a way the watches cannot follow page by
    /// page: every backup starts again.
    pub(super) fn watch_restart(&self) {
        for w in &self.watches {
            w.lock().restart();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::os::MemoryVfs;

    #[test]
    fn records_only_copied_pages_until_restart() {
        let p = Pager::open_memory(Arc::new(MemoryVfs::new()));
        let mut p = p;
        let w: SharedWatch = Arc::new(Mutex::new(PageWatch { next: 3, ..Default::default() }));
        p.add_watch(w.clone());
        p.add_watch(w.clone());
        assert_eq!(p.watches.len(), 1);
        p.watch_written(2, &[7]);
        p.watch_written(3, &[8]);
        assert_eq!(w.lock().updates.keys().copied().collect::<Vec<_>>(), vec![2]);
        p.watch_restart();
        p.watch_written(1, &[9]);
        {
            let g = w.lock();
            assert!(g.restart && g.updates.is_empty() && g.next == 1);
        }
        p.remove_watch(&w);
        assert!(!p.has_watch(&w));
    }
}
