//! Lock handling for the pager: entering and leaving a read transaction.
//!
//! `begin_read` takes SHARED; if a hot journal is present (journal file
//! exists, its first byte is not 0, nobody holds RESERVED, the database is
//! not empty) it takes EXCLUSIVE, rolls the journal back exactly as SQLite
//! does and drops back to SHARED. It then reads the header: page size and
//! reserved bytes, the page count (header value when valid, else the file
//! size) and the change-counter bytes 24..40, dropping the cache when they
//! moved since this pager last saw the file (another connection or process
//! committed). `end_read` drops to NONE.
//!
//! In WAL mode (see `wal_mode`) there is no hot journal to look for: the
//! WAL is opened if present or if the header says WAL, the read snapshot
//! is taken from it, and `end_read` keeps the SHARED lock.

use super::{header, is_short_read, journal, Pager, PagerState, Pgno, MAX_PAGE_COUNT};
use crate::error::{code, Error, Result};
use crate::os::{AccessKind, LockLevel, OpenFlags, VfsFile};
use header::get_u32;

impl Pager {
    /// Starts a read transaction: SHARED lock, hot-journal rollback, cache
    /// validation, page size and page count from the file. No-op when a
    /// transaction is open.
    pub fn begin_read(&mut self) -> Result<()> {
        if self.state != PagerState::Open {
            return Ok(());
        }
        if self.file.is_none() {
            self.state = PagerState::Reader;
            return Ok(());
        }
        self.file_mut()?.lock(LockLevel::Shared)?;
        let r = self.begin_read_locked();
        if r.is_err() && self.wal.is_none() {
            let _ = self.file_mut().and_then(|f| f.unlock(LockLevel::None));
        }
        r
    }

    pub(super) fn file_mut(&mut self) -> Result<&mut Box<dyn VfsFile>> {
        self.file.as_mut().ok_or_else(|| Error::code(code::INTERNAL))
    }

    fn begin_read_locked(&mut self) -> Result<()> {
        if self.wal.is_some() {
            return self.begin_read_wal_open();
        }
        if self.has_hot_journal()? {
            if self.readonly {
                return Err(Error::code(code::READONLY_ROLLBACK));
            }
            self.file_mut()?.lock(LockLevel::Exclusive)?;
            self.rollback_hot_journal()?;
            self.file_mut()?.unlock(LockLevel::Shared)?;
            self.cache.clear();
        }
        self.open_wal_if_present()?;
        // Header: page size, validity, change counter.
        let mut h = [0u8; 100];
        let file_bytes = self.file_mut()?.file_size()?;
        if file_bytes > 0 {
            match self.file_mut()?.read(&mut h, 0) {
                Ok(()) => {}
                Err(e) if is_short_read(&e) => {}
                Err(e) => return Err(e),
            }
            let info = header::parse(&h)?;
            if info.wal && !self.no_wal {
                self.open_wal()?;
            }
            if info.readonly {
                self.readonly = true;
            }
            if info.page_size != self.page_size || info.reserved != self.reserved {
                self.page_size = info.page_size;
                self.apply_cache_size();
                self.reserved = info.reserved;
                self.cache.clear();
            }
        }
        let mut vers = [0u8; 16];
        vers.copy_from_slice(&h[24..40]);
        if vers != self.file_vers {
            self.cache.clear();
            self.watch_restart();
            self.file_vers = vers;
        }
        let ps = self.page_size as u64;
        let file_pages = file_bytes.div_ceil(ps);
        if file_pages > MAX_PAGE_COUNT as u64 {
            return Err(Error::corrupt());
        }
        let file_pages = file_pages as Pgno;
        let hdr_pages = get_u32(&h, header::OFF_DB_SIZE);
        let mut n = file_pages;
        if hdr_pages != 0 && h[24..28] == h[92..96] {
            if hdr_pages > file_pages {
                // In WAL mode a partial checkpoint may have copied page 1
                // before the pages it counts; the log has the size.
                if self.wal.is_none() {
                    return Err(Error::corrupt());
                }
            } else {
                n = hdr_pages;
            }
        }
        self.db_size = n;
        self.db_file_size = file_pages;
        if self.wal.is_some() {
            // The snapshot, not the file, says how big the database is.
            self.begin_wal_read()?;
        } else {
            self.cache.truncate(n);
        }
        self.state = PagerState::Reader;
        Ok(())
    }

    /// A read transaction with the WAL already open: the database file's
    /// header is not looked at (a checkpoint of another connection may be
    /// rewriting page 1 right now; the page size cannot change in WAL
    /// mode), its size only matters when the log is empty.
    fn begin_read_wal_open(&mut self) -> Result<()> {
        self.begin_wal_read()?;
        // Measured after the snapshot is taken, so that it is at least as
        // big as the snapshot's database (checkpoints only grow it up to
        // what every snapshot may see, and cut it only past that).
        // The log's header gives the size as of its last commit; only an
        // empty log sends us to the file (as SQLite, which reads pages in
        // WAL mode whatever the file's size).
        let r = (|| -> Result<()> {
            if self.wal.as_ref().map(|w| w.db_size()).unwrap_or(0) != 0 {
                return Ok(());
            }
            let file_bytes = self.file_mut()?.file_size()?;
            let file_pages = file_bytes.div_ceil(self.page_size as u64);
            if file_pages > MAX_PAGE_COUNT as u64 {
                return Err(Error::corrupt());
            }
            self.db_file_size = file_pages as Pgno;
            self.db_size = file_pages as Pgno;
            self.cache.truncate(self.db_size);
            Ok(())
        })();
        if let Err(e) = r {
            self.end_wal_read();
            return Err(e);
        }
        self.state = PagerState::Reader;
        Ok(())
    }

    /// SQLite's hot-journal test: a journal exists, nobody holds RESERVED,
    /// the database is not empty, and the journal's first byte is not 0.
    fn has_hot_journal(&mut self) -> Result<bool> {
        // A transient database (VACUUM's scratch file) has no journal.
        if self.journal_path.is_empty() {
            return Ok(false);
        }
        if !self.vfs.access(&self.journal_path, AccessKind::Exists)? {
            return Ok(false);
        }
        if self.file_mut()?.check_reserved_lock()? {
            return Ok(false);
        }
        let size = self.file_mut()?.file_size()?;
        if size == 0 {
            // A journal beside an empty database is stale: remove it if we
            // can get RESERVED.
            if self.file_mut()?.lock(LockLevel::Reserved).is_ok() {
                let _ = self.vfs.delete(&self.journal_path, false);
                self.file_mut()?.unlock(LockLevel::Shared)?;
            }
            return Ok(false);
        }
        let mut j = match self.vfs.open(Some(&self.journal_path), OpenFlags::READONLY | OpenFlags::MAIN_JOURNAL) {
            Ok(j) => j,
            Err(e) if e.primary_code() == code::CANTOPEN => return Ok(false),
            Err(e) => return Err(e),
        };
        let mut first = [0u8; 1];
        match j.read(&mut first, 0) {
            Ok(()) => {}
            Err(e) if is_short_read(&e) => {}
            Err(e) => return Err(e),
        }
        Ok(first[0] != 0)
    }

    fn rollback_hot_journal(&mut self) -> Result<()> {
        let mut j = match self.vfs.open(Some(&self.journal_path), OpenFlags::READWRITE | OpenFlags::MAIN_JOURNAL) {
            Ok(j) => j,
            Err(e) if e.primary_code() == code::CANTOPEN => {
                if self.vfs.access(&self.journal_path, AccessKind::Exists)? {
                    return Err(e);
                }
                return Ok(());
            }
            Err(e) => return Err(e),
        };
        if j.is_readonly() {
            return Err(Error::code(code::CANTOPEN));
        }
        // As SQLite: make the hot journal itself durable before the
        // database is changed from it.
        if !self.no_sync() {
            j.sync(self.sync_flags())?;
        }
        let sector = self.sector_size;
        let vfs = self.vfs.clone();
        let file = self.file.as_mut().ok_or_else(|| Error::code(code::INTERNAL))?;
        journal::playback(vfs.as_ref(), j.as_mut(), file.as_mut(), sector, true)?;
        if !self.no_sync() {
            let fl = self.sync_flags();
            self.file_mut()?.sync(fl)?;
        }
        self.journal = Some(j);
        self.finalize_journal()?;
        Ok(())
    }

    /// Ends a read transaction (no write transaction open): lock to NONE.
    pub fn end_read(&mut self) -> Result<()> {
        match self.state {
            PagerState::Open => Ok(()),
            PagerState::Writer => self.rollback().and_then(|_| self.end_read()),
            PagerState::Reader => {
                self.state = PagerState::Open;
                if self.wal.is_some() {
                    self.end_wal_read();
                    return Ok(());
                }
                match self.file.as_mut() {
                    // EXCLUSIVE locking mode keeps whatever lock it took.
                    Some(_) if self.exclusive_mode => Ok(()),
                    Some(f) => f.unlock(LockLevel::None),
                    None => Ok(()),
                }
            }
        }
    }
}
