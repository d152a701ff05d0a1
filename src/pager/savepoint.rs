//! Savepoints (statement and SAVEPOINT rollback) inside a write
//! transaction, kept in memory.
//!
//! Each open savepoint remembers the page count when it opened and the
//! content each page had then, captured just before that page's first
//! change after the savepoint opened. Invariant: if the newest savepoint
//! holds a page, every older one does too (a change records into every
//! savepoint still missing the page), so recording stops at the first
//! savepoint that already has it. Rolling back to savepoint `n` puts those
//! contents back and cuts the page count; the main journal is untouched
//! (it still holds the transaction-start originals).

use super::cache::{CachedPage, PgnoMap};
use super::{Pager, PagerState, Pgno};
use crate::error::{Error, Result};

#[derive(Default)]
pub(crate) struct Savepoint {
    db_size: Pgno,
    pages: PgnoMap<Vec<u8>>,
}

impl Pager {
    /// Number of open savepoints.
    pub fn savepoint_count(&self) -> usize {
        self.savepoints.len()
    }

    /// Opens savepoints until `n` are open (each at the current state).
    pub fn open_savepoint(&mut self, n: usize) -> Result<()> {
        if self.state != PagerState::Writer {
            return Err(Error::misuse());
        }
        while self.savepoints.len() < n {
            self.savepoints.push(Savepoint { db_size: self.db_size, pages: Default::default() });
        }
        Ok(())
    }

    /// Releases savepoint `n` and every newer one (their changes stay).
    pub fn release_savepoint(&mut self, n: usize) {
        self.savepoints.truncate(n);
    }

    /// Undoes every change made since savepoint `n` opened; savepoint `n`
    /// stays open, newer ones are released.
    pub fn rollback_savepoint(&mut self, n: usize) -> Result<()> {
        if n >= self.savepoints.len() {
            return Err(Error::misuse());
        }
        self.savepoints.truncate(n + 1);
        let sp = &mut self.savepoints[n];
        let size = sp.db_size;
        for (pgno, data) in sp.pages.iter() {
            if *pgno <= size {
                self.cache.insert(*pgno, CachedPage::new(data.clone(), true));
            }
        }
        self.db_size = size;
        self.cache.truncate(size);
        Ok(())
    }

    /// Records the current content of `pgno` into the savepoints that lack
    /// it (called before its first change after they opened).
    pub(crate) fn savepoint_capture(&mut self, pgno: Pgno) -> Result<()> {
        let Some(last) = self.savepoints.last() else { return Ok(()) };
        if last.pages.contains_key(&pgno) {
            return Ok(());
        }
        let data = &self.cache.get(pgno).ok_or_else(Error::corrupt)?.data;
        for sp in self.savepoints.iter_mut().rev() {
            if sp.pages.contains_key(&pgno) {
                break;
            }
            if pgno <= sp.db_size {
                sp.pages.insert(pgno, data.clone());
            }
        }
        Ok(())
    }
}
