//! The pager: pages of one database file through the VFS, the database
//! lock, and atomic commit with a rollback journal in SQLite's format.
//!
//! States: `Open` (no lock, nothing trusted), `Reader` (SHARED held, cache
//! valid for the file as it is), `Writer` (RESERVED held; pages modified
//! only in the cache, originals journaled before their first change).
//! Invariants kept:
//! - the database file is written only in `commit`, only after the journal
//!   (when there is one) is synced and only under an EXCLUSIVE lock;
//! - every page that existed when the write transaction began has its
//!   original content in the journal before its cached copy changes;
//! - on entering `Reader` a hot journal (left by a crashed writer, SQLite or
//!   Ferrolite) is rolled back under EXCLUSIVE, and the cache is dropped if
//!   the file change counter moved since this pager last saw the file;
//! - `db_size` is the page count seen by the current transaction; page 1's
//!   header bytes 24..=27, 28..=31, 92..=99 are refreshed at each commit.
//!
//! Submodules: `header` (the 100-byte file header), `cache` (page buffers),
//! `journal` (the journal format and playback), `lock` (read transactions,
//! hot-journal recovery), `savepoint` (statement/SAVEPOINT rollback),
//! `replace` (committing a new image of another page size, for VACUUM
//! after `PRAGMA page_size`), `watch` (what the pager tells the backups
//! reading it),
//! `wal` (the write-ahead log) and `wal_mode` (the pager in WAL mode:
//! reads through the log, commits as frames, checkpoints).
//!
//! In-memory databases (`open_memory`) have no file: their pages live only
//! in the cache and are journaled in memory so rollback still works.
//! Deserialized databases (`open_file`) have a file in memory (`os::memdb`)
//! and journal in memory, as SQLite's memdb VFS databases.

pub mod cache;
pub mod header;
pub mod journal;
mod lock;
mod replace;
mod savepoint;
mod spill;
pub mod wal;
mod wal_mode;
pub mod watch;

use std::sync::Arc;

use crate::error::{code, Error, Result};
use crate::os::{iocap, sync_flags, LockLevel, OpenFlags, Vfs, VfsFile};

use cache::{CachedPage, PageCache};
use header::{get_u32, put_u32};

/// A page number (1-based; 0 means "none").
pub type Pgno = u32;

/// The largest page number SQLite allows (SQLITE_MAX_PAGE_COUNT).
pub const MAX_PAGE_COUNT: Pgno = 0xffff_fffe;

/// How the rollback journal is kept (PRAGMA journal_mode), or WAL.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JournalMode {
    Delete,
    Persist,
    Off,
    Truncate,
    Memory,
    Wal,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PagerState {
    Open,
    Reader,
    Writer,
}

pub struct Pager {
    vfs: Arc<dyn Vfs>,
    /// `None` for an in-memory database.
    file: Option<Box<dyn VfsFile>>,
    path: String,
    journal_path: String,
    readonly: bool,
    page_size: u32,
    reserved: u8,
    state: PagerState,
    cache: PageCache,
    /// Cache hits, misses and pages written (sqlite3_db_status).
    pub stats: PagerStats,
    /// Pages in the database as the current transaction sees it.
    db_size: Pgno,
    /// Pages when the write transaction began.
    db_orig_size: Pgno,
    /// Pages in the file on disk.
    db_file_size: Pgno,
    /// Bytes 24..40 of page 1 as last read or written.
    file_vers: [u8; 16],
    journal_mode: JournalMode,
    journal: Option<Box<dyn VfsFile>>,
    mem_journal: Vec<(Pgno, Vec<u8>)>,
    in_journal: cache::PgnoSet,
    journal_started: bool,
    n_rec: u32,
    journal_off: u64,
    /// Offset of the current journal segment's header.
    journal_hdr: u64,
    /// No spill attempt below this cache size (after a BUSY spill).
    spill_next: usize,
    nonce: u32,
    sector_size: u32,
    journal_synced: bool,
    /// Database file written in this transaction (a failed commit).
    db_modified: bool,
    counter_done: bool,
    /// 0 OFF, 1 NORMAL, 2 FULL, 3 EXTRA.
    sync_level: u8,
    savepoints: Vec<savepoint::Savepoint>,
    /// PRAGMA cache_size as given (pages, or -KiB).
    cache_size: i64,
    /// PRAGMA max_page_count.
    max_page_count: Pgno,
    /// PRAGMA locking_mode=EXCLUSIVE: locks, once taken, are kept until
    /// the mode goes back to NORMAL and the next transaction ends.
    exclusive_mode: bool,
    /// PRAGMA fullfsync: syncs ask for SQLITE_SYNC_FULL.
    fullfsync: bool,
    /// PRAGMA mmap_size, in bytes.
    mmap_size: u64,
    scratch: Vec<u8>,
    /// The write-ahead log, in WAL mode.
    wal: Option<wal::Wal>,
    /// The log's frame count after the last commit not yet reported to
    /// the connection's WAL hook (SQLite's iCallback; 0: none).
    wal_callback: u32,
    /// PRAGMA checkpoint_fullfsync.
    ckpt_fullfsync: bool,
    /// Keep `-wal` (and `-shm`) when the last connection closes, as
    /// SQLite's SQLITE_FCNTL_PERSIST_WAL: the next writer reuses the log's
    /// blocks from the start. PRAGMA ferrolite_persist_wal.
    pub(crate) persist_wal: bool,
    /// How far ahead of its frames the log file may grow at once, in
    /// bytes (0: never ahead). PRAGMA ferrolite_wal_grow.
    wal_grow: u64,
    /// PRAGMA journal_size_limit in bytes (-1: none): what a persistent
    /// rollback journal is cut to after a commit, and what the WAL is cut
    /// to by the first commit after a restart (see `Wal::commit_frames`).
    journal_size_limit: i64,
    /// Do not open the WAL even if the header says WAL (leaving WAL mode).
    no_wal: bool,
    /// Backups reading this database (`watch`).
    watches: Vec<watch::SharedWatch>,
    /// The file is a memory buffer (`open_file`): SQLite's memdb VFS.
    mem_file: bool,
    /// This commit leaves page 1's page-count field as it is (a backup
    /// image of another page size counts its own pages).
    keep_size_field: bool,
}

fn is_short_read(e: &Error) -> bool {
    e.extended_code() == code::IOERR_SHORT_READ
}

impl Pager {
    /// Opens the database file `path` (created if `flags` has CREATE).
    pub fn open(vfs: Arc<dyn Vfs>, path: &str, flags: OpenFlags) -> Result<Pager> {
        let full = vfs.full_pathname(path)?;
        if flags.contains(OpenFlags::IMMUTABLE) {
            return Pager::open_immutable(vfs, full);
        }
        let file = vfs.open(Some(&full), flags | OpenFlags::MAIN_DB)?;
        let readonly = file.is_readonly() || !flags.contains(OpenFlags::READWRITE);
        let dc = file.device_characteristics();
        let sector = if dc & iocap::POWERSAFE_OVERWRITE != 0 {
            512
        } else {
            file.sector_size().clamp(512, 65536)
        };
        let mut p = Pager::new_inner(vfs, Some(file), full.clone(), sector);
        p.journal_path = format!("{full}-journal");
        p.readonly = readonly;
        p.apply_cache_size();
        Ok(p)
    }

    /// SQLite's sqlite3PagerWalSupported: a VFS without shared memory (a
    /// version-1 application VFS) cannot enter WAL mode unless
    /// locking_mode=EXCLUSIVE lets the index live in private memory.
    pub fn wal_supported(&self) -> bool {
        self.exclusive_mode || self.file.as_ref().is_some_and(|f| f.has_shm())
    }

    /// The name of the VFS the database file is opened with.
    pub fn vfs_name(&self) -> &str {
        self.vfs.name()
    }

    /// sqlite3_file_control on the database file (see `VfsFile::file_control`).
    pub fn file_control(&mut self, op: i32, arg: *mut std::ffi::c_void) -> Option<i32> {
        self.file.as_mut().and_then(|f| f.file_control(op, arg))
    }

    /// A database file nothing changes (`immutable=1`), as SQLite treats
    /// one: opened read-only, never locked, no journal looked for, never
    /// in WAL mode (a WAL file's header is read as a rollback one's and
    /// the log is ignored).
    fn open_immutable(vfs: Arc<dyn Vfs>, full: String) -> Result<Pager> {
        let file = vfs.open(Some(&full), OpenFlags::READONLY | OpenFlags::MAIN_DB)?;
        let file: Box<dyn VfsFile> = Box::new(crate::os::nolock::NoLockFile::new(file));
        let mut p = Pager::new_inner(vfs, Some(file), full, 512);
        p.readonly = true;
        p.no_wal = true;
        p.apply_cache_size();
        Ok(p)
    }

    /// A transient database in an anonymous temporary file (deleted when
    /// closed), for VACUUM's scratch copy: no journal (it is never rolled
    /// back, only discarded) and no syncs.
    pub fn open_temp(vfs: Arc<dyn Vfs>) -> Result<Pager> {
        let flags = OpenFlags::READWRITE | OpenFlags::CREATE | OpenFlags::DELETEONCLOSE | OpenFlags::TRANSIENT_DB;
        let file = vfs.open(None, flags)?;
        let mut p = Pager::new_inner(vfs, Some(file), String::new(), 512);
        p.journal_mode = JournalMode::Off;
        p.sync_level = 0;
        p.apply_cache_size();
        Ok(p)
    }

    /// A database in `file`, a file that exists only in memory (a
    /// deserialized database, `os::memdb`): rollback journal in memory,
    /// no syncs, as SQLite's memdb VFS databases.
    pub fn open_file(vfs: Arc<dyn Vfs>, file: Box<dyn VfsFile>, name: &str) -> Pager {
        let mut p = Pager::new_inner(vfs, Some(file), name.to_string(), 512);
        p.journal_mode = JournalMode::Memory;
        p.sync_level = 0;
        p.mem_file = true;
        p.apply_cache_size();
        p
    }

    /// The file this pager reads, if it has one.
    pub fn vfs_file(&mut self) -> Option<&mut Box<dyn VfsFile>> {
        self.file.as_mut()
    }

    /// An in-memory database: no file, no locks, journal in memory.
    pub fn open_memory(vfs: Arc<dyn Vfs>) -> Pager {
        let mut p = Pager::new_inner(vfs, None, ":memory:".to_string(), 512);
        p.journal_mode = JournalMode::Memory;
        p.cache.set_limit(0);
        p
    }

    fn new_inner(vfs: Arc<dyn Vfs>, file: Option<Box<dyn VfsFile>>, path: String, sector: u32) -> Pager {
        Pager {
            vfs,
            file,
            path,
            journal_path: String::new(),
            readonly: false,
            page_size: 4096,
            reserved: 0,
            state: PagerState::Open,
            cache: PageCache::new(2000),
            stats: PagerStats::default(),
            db_size: 0,
            db_orig_size: 0,
            db_file_size: 0,
            file_vers: [0; 16],
            journal_mode: JournalMode::Delete,
            journal: None,
            mem_journal: Vec::new(),
            in_journal: Default::default(),
            journal_started: false,
            n_rec: 0,
            journal_off: 0,
            journal_hdr: 0,
            spill_next: 0,
            nonce: 0,
            sector_size: sector,
            journal_synced: false,
            db_modified: false,
            counter_done: false,
            sync_level: 2,
            savepoints: Vec::new(),
            cache_size: -2000,
            max_page_count: MAX_PAGE_COUNT,
            exclusive_mode: false,
            fullfsync: false,
            mmap_size: 0,
            scratch: Vec::new(),
            wal: None,
            wal_callback: 0,
            ckpt_fullfsync: false,
            persist_wal: false,
            wal_grow: crate::pager::wal::DEFAULT_GROW_MAX,
            journal_size_limit: -1,
            no_wal: false,
            watches: Vec::new(),
            mem_file: false,
            keep_size_field: false,
        }
    }

    pub fn is_memory(&self) -> bool {
        self.file.is_none()
    }
    /// Where this process's connections queue for the file's locks.
    pub fn lock_gate(&self) -> Option<Arc<crate::os::gate::LockGate>> {
        self.file.as_ref().and_then(|f| f.lock_gate())
    }
    /// In memory, with or without a file object (SQLite's
    /// sqlite3PagerIsMemdb).
    pub fn is_memdb(&self) -> bool {
        self.file.is_none() || self.mem_file
    }
    pub fn filename(&self) -> &str {
        &self.path
    }
    pub fn journal_path(&self) -> &str {
        &self.journal_path
    }
    pub fn is_readonly(&self) -> bool {
        self.readonly
    }
    pub fn state(&self) -> PagerState {
        self.state
    }
    pub fn page_size(&self) -> u32 {
        self.page_size
    }
    pub fn usable_size(&self) -> u32 {
        self.page_size - self.reserved as u32
    }
    pub fn reserved(&self) -> u8 {
        self.reserved
    }
    pub fn db_size(&self) -> Pgno {
        self.db_size
    }
    /// Page count when the write transaction began.
    pub fn db_orig_size(&self) -> Pgno {
        self.db_orig_size
    }
    /// Bytes in the database file (0 for an in-memory database).
    pub fn file_bytes(&mut self) -> Result<u64> {
        match self.file.as_mut() {
            Some(f) => f.file_size(),
            None => Ok(0),
        }
    }
    pub fn journal_mode(&self) -> JournalMode {
        self.journal_mode
    }

    /// Sets the page size; only while the database has no pages.
    pub fn set_page_size(&mut self, n: u32) -> Result<()> {
        if !(512..=65536).contains(&n) || !n.is_power_of_two() {
            return Err(Error::misuse());
        }
        if self.db_size != 0 || self.state == PagerState::Writer {
            return Err(Error::code(code::READONLY));
        }
        if n != self.page_size {
            self.page_size = n;
            self.cache.clear();
            self.apply_cache_size();
        }
        Ok(())
    }

    /// Sets the reserved bytes per page for a new database.
    pub fn set_reserved(&mut self, n: u8) -> Result<()> {
        if self.db_size != 0 || self.page_size - (n as u32) < 480 {
            return Err(Error::misuse());
        }
        self.reserved = n;
        Ok(())
    }

    /// PRAGMA cache_size: pages, or -KiB when negative.
    pub fn set_cache_size(&mut self, n: i64) {
        self.cache_size = n;
        self.apply_cache_size();
    }

    /// Re-derives the cache limit in pages (after a page-size change too).
    pub(crate) fn apply_cache_size(&mut self) {
        if self.file.is_none() {
            return;
        }
        let n = self.cache_size;
        let pages = if n >= 0 { n } else { n.saturating_neg().saturating_mul(1024) / self.page_size as i64 };
        self.cache.set_limit(pages.clamp(10, 1 << 30) as usize);
    }

    /// PRAGMA max_page_count: never below the current size; 0 just
    /// reports. Returns the limit in force.
    pub fn set_max_page_count(&mut self, n: Pgno) -> Pgno {
        if n > 0 {
            self.max_page_count = n.max(self.db_size).min(MAX_PAGE_COUNT);
        }
        self.max_page_count
    }

    /// PRAGMA synchronous: 0 OFF, 1 NORMAL, 2 FULL, 3 EXTRA.
    pub fn set_synchronous(&mut self, level: u8) {
        self.sync_level = level.min(3);
    }

    /// PRAGMA journal_mode; returns the mode in force. In-memory databases
    /// keep MEMORY (or OFF); the mode cannot change inside a write
    /// transaction.
    pub fn set_journal_mode(&mut self, mode: JournalMode) -> Result<JournalMode> {
        if self.state == PagerState::Writer && mode != self.journal_mode {
            return Ok(self.journal_mode);
        }
        // WAL needs a named file; leaving WAL goes through `leave_wal`.
        if (mode == JournalMode::Wal && (self.file.is_none() || self.journal_path.is_empty())) || self.wal.is_some() {
            return Ok(self.journal_mode);
        }
        if mode == JournalMode::Wal && !self.wal_supported() {
            return Ok(self.journal_mode);
        }
        if self.mem_file {
            // As SQLite's memdb: any rollback mode may be named; the
            // journal is kept in memory whatever it is called.
            if mode != JournalMode::Wal {
                self.journal_mode = mode;
            }
            return Ok(self.journal_mode);
        }
        if self.file.is_none() || self.journal_path.is_empty() {
            if matches!(mode, JournalMode::Memory | JournalMode::Off) {
                self.journal_mode = mode;
            }
            return Ok(self.journal_mode);
        }
        let old = self.journal_mode;
        self.journal_mode = mode;
        // Leaving a persistent mode removes the kept journal file.
        if matches!(old, JournalMode::Persist | JournalMode::Truncate)
            && matches!(mode, JournalMode::Delete | JournalMode::Memory | JournalMode::Off)
            && !self.exclusive_mode
        {
            self.delete_kept_journal();
        }
        Ok(mode)
    }

    /// Deletes a journal kept by PERSIST or TRUNCATE mode, as SQLite does
    /// when leaving those modes: under a RESERVED lock, so that no other
    /// connection's transaction is using it; outside a transaction, a read
    /// transaction first (which rolls a hot journal back rather than
    /// losing it). Nothing is reported: it only saves disk space.
    fn delete_kept_journal(&mut self) {
        let was_open = self.state == PagerState::Open;
        if was_open && self.begin_read().is_err() {
            return;
        }
        if let Some(f) = self.file.as_mut() {
            let held = f.lock_level() >= LockLevel::Reserved;
            if held || f.lock(LockLevel::Reserved).is_ok() {
                let _ = self.vfs.delete(&self.journal_path, false);
                if !held {
                    let _ = f.unlock(LockLevel::Shared);
                }
            }
        }
        if was_open {
            let _ = self.end_read();
        }
    }

    fn no_sync(&self) -> bool {
        self.sync_level == 0 || self.file.is_none()
    }

    /// As SQLite: SQLITE_SYNC_FULL only when PRAGMA fullfsync asks for it.
    fn sync_flags(&self) -> u32 {
        if self.fullfsync {
            sync_flags::FULL
        } else {
            sync_flags::NORMAL
        }
    }

    /// PRAGMA fullfsync.
    pub fn set_fullfsync(&mut self, on: bool) {
        self.fullfsync = on;
    }

    /// PRAGMA locking_mode: true for EXCLUSIVE. Leaving EXCLUSIVE releases
    /// the locks kept when the next transaction ends, as in SQLite.
    pub fn set_exclusive_mode(&mut self, on: bool) -> Result<()> {
        if !on && self.wal_pins_exclusive() {
            return Ok(());
        }
        self.exclusive_mode = on;
        Ok(())
    }

    pub fn exclusive_mode(&self) -> bool {
        self.exclusive_mode
    }

    /// PRAGMA mmap_size (bytes; 0 turns memory-mapped reads off).
    pub fn set_mmap_size(&mut self, n: u64) {
        self.mmap_size = n;
        if let Some(f) = self.file.as_mut() {
            f.set_mmap_limit(n);
        }
        if let Some(w) = self.wal.as_mut() {
            w.set_mmap_limit(n);
        }
    }

    pub fn mmap_size(&self) -> u64 {
        self.mmap_size
    }

    /// Bytes of page data held in the cache (SQLITE_DBSTATUS_CACHE_USED).
    pub fn cache_bytes(&self) -> usize {
        self.cache.len() * self.page_size as usize
    }

    /// Drops the cached pages that are not dirty
    /// (sqlite3_db_release_memory).
    pub fn release_memory(&mut self) {
        self.cache.release_clean();
    }

    // ---------------------------------------------------------------- pages

    fn load(&mut self, pgno: Pgno) -> Result<()> {
        if self.cache.contains(pgno) {
            self.stats.hit += 1;
            return Ok(());
        }
        self.stats.miss += 1;
        if pgno == 0 || pgno > self.db_size {
            return Err(Error::corrupt());
        }
        self.maybe_spill()?;
        self.cache.make_room();
        let ps = self.page_size as usize;
        let mut data = vec![0u8; ps];
        // In WAL mode the file may have grown since the read transaction
        // measured it (a checkpoint backfilled frames before this
        // snapshot's read mark was taken): read it whatever its size then
        // was; past its end the read zero-fills.
        if self.wal.is_some() && self.read_from_wal(pgno, &mut data)? {
        } else if pgno <= self.db_file_size || self.wal.is_some() {
            if let Some(f) = self.file.as_mut() {
                match f.read(&mut data, (pgno as u64 - 1) * ps as u64) {
                    Ok(()) => {}
                    Err(e) if is_short_read(&e) => {}
                    Err(e) => return Err(e),
                }
            }
        }
        self.cache.insert(pgno, CachedPage::new(data, false));
        Ok(())
    }

    /// The content of page `pgno` (a read transaction must be open).
    pub fn page(&mut self, pgno: Pgno) -> Result<&[u8]> {
        if self.state == PagerState::Open {
            return Err(Error::misuse());
        }
        self.load(pgno)?;
        self.cache.get(pgno).map(|p| &p.data[..]).ok_or_else(Error::corrupt)
    }

    /// Page `pgno` for writing: journals its original first.
    pub fn page_mut(&mut self, pgno: Pgno) -> Result<&mut [u8]> {
        if self.state != PagerState::Writer {
            return Err(Error::misuse());
        }
        // Pages already cached never pass through `load`: check for a
        // spill here too (before `pgno` is pinned by the borrow below).
        self.maybe_spill()?;
        self.load(pgno)?;
        if !self.journal_started {
            self.open_journal()?;
        }
        if pgno <= self.db_orig_size && !self.in_journal.contains(&pgno) {
            self.journal_page(pgno)?;
        }
        if !self.savepoints.is_empty() {
            self.savepoint_capture(pgno)?;
        }
        let p = self.cache.mark_dirty(pgno).ok_or_else(Error::corrupt)?;
        Ok(&mut p.data[..])
    }

    /// Adds a zeroed page at the end of the database (skipping the
    /// lock-byte page) and returns its number.
    pub fn allocate_page(&mut self) -> Result<Pgno> {
        if self.state != PagerState::Writer {
            return Err(Error::misuse());
        }
        if !self.journal_started {
            self.open_journal()?;
        }
        let mut n = self.db_size.checked_add(1).ok_or_else(|| Error::code(code::FULL))?;
        if self.file.is_some() && n == journal::lock_page(self.page_size) {
            n += 1;
        }
        if n > self.max_page_count {
            return Err(Error::code(code::FULL));
        }
        self.maybe_spill()?;
        self.cache.make_room();
        // The skipped lock page, if any, stays a hole never referenced.
        self.db_size = n;
        self.cache.insert(n, CachedPage::new(vec![0u8; self.page_size as usize], true));
        Ok(n)
    }

    /// Cuts the database to `n` pages (inside a write transaction); the
    /// file is truncated at commit, and rollback restores the old size.
    pub fn truncate_to(&mut self, n: Pgno) -> Result<()> {
        if self.state != PagerState::Writer {
            return Err(Error::misuse());
        }
        if n < self.db_size {
            if !self.journal_started {
                self.open_journal()?;
            }
            // The cut pages must survive a rollback: keep their originals in
            // the journal (a crash after the file shrank replays them) and in
            // the open savepoints, as a change to them would.
            let lock = self.lock_page();
            for pg in n + 1..=self.db_size {
                if pg == lock {
                    continue;
                }
                let journal = pg <= self.db_orig_size && !self.in_journal.contains(&pg);
                if !journal && self.savepoints.is_empty() {
                    continue;
                }
                self.load(pg)?;
                if journal {
                    self.journal_page(pg)?;
                }
                if !self.savepoints.is_empty() {
                    self.savepoint_capture(pg)?;
                }
            }
            self.db_size = n;
            self.cache.truncate(n);
        }
        Ok(())
    }

    /// Grows the database to `n` pages of zeros (inside a write
    /// transaction), skipping nothing: callers copying a whole database
    /// (backup, VACUUM) write every page including the lock-byte page hole.
    pub fn extend_to(&mut self, n: Pgno) -> Result<()> {
        if self.state != PagerState::Writer {
            return Err(Error::misuse());
        }
        if !self.journal_started {
            self.open_journal()?;
        }
        while self.db_size < n {
            self.db_size += 1;
            let pg = self.db_size;
            self.cache.insert(pg, CachedPage::new(vec![0u8; self.page_size as usize], true));
        }
        Ok(())
    }

    /// Takes the EXCLUSIVE lock for the open write transaction at once
    /// (the backup API's destination, as SQLite's BEGIN EXCLUSIVE), so
    /// that no reader sees the database while it is being replaced. In
    /// WAL mode and for in-memory databases it changes nothing.
    pub fn lock_exclusive(&mut self) -> Result<()> {
        if self.state != PagerState::Writer {
            return Err(Error::misuse());
        }
        if self.wal.is_some() {
            return Ok(());
        }
        match self.file.as_mut() {
            Some(f) => f.lock(LockLevel::Exclusive),
            None => Ok(()),
        }
    }

    // ------------------------------------------- raw access, for backups
    // A backup between page sizes (see `crate::backup`) commits an image
    // whose pages are not this pager's: its page-count field is kept, and
    // after phase one the file is cut to the image's exact size and the
    // bytes that fall in this pager's lock-byte page are written directly.
    // Everything these write was journaled before phase one (the pages cut
    // off by `truncate_to`), so a rollback or hot journal restores it.

    /// The next commit keeps page 1's page-count field as it is.
    pub fn set_keep_size_field(&mut self) {
        self.keep_size_field = true;
    }

    /// Writes `data` at byte `off` of the database file, in a write
    /// transaction after `commit_phase_one`.
    pub fn write_raw(&mut self, off: u64, data: &[u8]) -> Result<()> {
        if self.state != PagerState::Writer {
            return Err(Error::misuse());
        }
        self.db_modified = true;
        self.file_mut()?.write(data, off)
    }

    /// Cuts the database file to `size` bytes if it is longer, and syncs
    /// it, in a write transaction after `commit_phase_one`.
    pub fn truncate_raw_and_sync(&mut self, size: u64) -> Result<()> {
        if self.state != PagerState::Writer {
            return Err(Error::misuse());
        }
        self.db_modified = true;
        let no_sync = self.no_sync();
        let fl = self.sync_flags();
        let f = self.file_mut()?;
        if f.file_size()? > size {
            f.truncate(size)?;
        }
        if !no_sync {
            f.sync(fl)?;
        }
        Ok(())
    }

    /// The lock-byte page number, never used for data (0 for in-memory).
    pub fn lock_page(&self) -> Pgno {
        if self.file.is_some() {
            journal::lock_page(self.page_size)
        } else {
            0
        }
    }

    // --------------------------------------------------------------- writes

    /// Starts a write transaction: RESERVED lock. Starts a read
    /// transaction first if none is open.
    pub fn begin_write(&mut self) -> Result<()> {
        if self.state == PagerState::Writer {
            return Ok(());
        }
        if self.readonly {
            return Err(Error::code(code::READONLY));
        }
        let was_open = self.state == PagerState::Open;
        self.begin_read()?;
        if self.wal.is_some() {
            if let Err(e) = self.begin_wal_write() {
                if was_open {
                    let _ = self.end_read();
                }
                return Err(e);
            }
        } else if let Some(f) = self.file.as_mut() {
            if let Err(e) = f.lock(LockLevel::Reserved) {
                if was_open {
                    let _ = self.end_read();
                }
                return Err(e);
            }
        }
        self.state = PagerState::Writer;
        self.db_orig_size = self.db_size;
        self.journal_started = false;
        self.journal_synced = false;
        self.db_modified = false;
        self.counter_done = false;
        self.n_rec = 0;
        self.in_journal.clear();
        self.mem_journal.clear();
        self.savepoints.clear();
        Ok(())
    }

    fn uses_file_journal(&self) -> bool {
        self.file.is_some() && !self.mem_file && matches!(self.journal_mode, JournalMode::Delete | JournalMode::Persist | JournalMode::Truncate)
    }

    fn open_journal(&mut self) -> Result<()> {
        self.journal_started = true;
        if !self.uses_file_journal() {
            return Ok(());
        }
        let flags = OpenFlags::READWRITE | OpenFlags::CREATE | OpenFlags::MAIN_JOURNAL;
        let mut j = self.vfs.open(Some(&self.journal_path), flags)?;
        let mut r = [0u8; 4];
        self.vfs.randomness(&mut r);
        self.nonce = u32::from_le_bytes(r);
        // As SQLite: the magic and record count go in at once when nothing
        // will be synced or appends are safe; otherwise they wait for the
        // journal sync.
        let safe_append = self.file.as_ref().map(|f| f.device_characteristics() & iocap::SAFE_APPEND != 0).unwrap_or(false);
        let hdr = journal::header(self.sector_size, self.page_size, self.no_sync() || safe_append, self.nonce, self.db_orig_size);
        j.write(&hdr, 0)?;
        self.journal = Some(j);
        self.journal_off = self.sector_size as u64;
        self.journal_hdr = 0;
        self.n_rec = 0;
        Ok(())
    }

    fn journal_page(&mut self, pgno: Pgno) -> Result<()> {
        let data = &self.cache.get(pgno).ok_or_else(Error::corrupt)?.data;
        if self.file.is_none() || self.journal_mode == JournalMode::Memory || (self.mem_file && self.journal_mode != JournalMode::Off) {
            self.mem_journal.push((pgno, data.clone()));
        } else if let Some(j) = self.journal.as_mut() {
            self.scratch.clear();
            self.scratch.extend_from_slice(&pgno.to_be_bytes());
            self.scratch.extend_from_slice(data);
            self.scratch.extend_from_slice(&journal::checksum(self.nonce, data).to_be_bytes());
            j.write(&self.scratch, self.journal_off)?;
            self.journal_off += self.scratch.len() as u64;
            self.n_rec += 1;
            self.journal_synced = false;
        }
        self.in_journal.insert(pgno);
        Ok(())
    }

    /// A commit that shrinks the file cuts pages off it; a rollback (or a
    /// hot-journal playback, by either engine) grows the file back to its
    /// old size, so those pages must be in the journal with their content
    /// too, or they would come back as zeros. Pages past the end of the
    /// file on disk hold nothing to save.
    fn journal_truncated_pages(&mut self) -> Result<()> {
        if self.journal_mode == JournalMode::Off || self.db_size >= self.db_orig_size {
            return Ok(());
        }
        if !self.journal_started {
            self.open_journal()?;
        }
        let lock = self.lock_page();
        let ps = self.page_size as usize;
        for pg in self.db_size + 1..=self.db_orig_size.min(self.db_file_size) {
            if pg == lock || self.in_journal.contains(&pg) {
                continue;
            }
            let mut data = vec![0u8; ps];
            match self.file_mut()?.read(&mut data, (pg as u64 - 1) * ps as u64) {
                Ok(()) => {}
                Err(e) if is_short_read(&e) => {}
                Err(e) => return Err(e),
            }
            self.cache.insert(pg, CachedPage::new(data, false));
            let r = self.journal_page(pg);
            self.cache.remove(pg);
            r?;
        }
        Ok(())
    }

    /// Makes the journal durable before the database is touched, in
    /// SQLite's order: sync records, then write magic+count, then sync.
    fn sync_journal(&mut self) -> Result<()> {
        if self.journal_synced || self.no_sync() || !self.uses_file_journal() {
            return Ok(());
        }
        let dc = self.file.as_ref().map(|f| f.device_characteristics()).unwrap_or(0);
        let full = self.sync_level >= 2;
        let fl = self.sync_flags();
        let n_rec = self.n_rec;
        let hdr_off = self.journal_hdr;
        let j = match self.journal.as_mut() {
            Some(j) => j,
            None => return Ok(()),
        };
        if dc & iocap::SAFE_APPEND == 0 {
            if full && dc & iocap::SEQUENTIAL == 0 {
                j.sync(fl)?;
            }
            let mut h = [0u8; 12];
            h[..8].copy_from_slice(&journal::MAGIC);
            h[8..].copy_from_slice(&n_rec.to_be_bytes());
            j.write(&h, hdr_off)?;
        }
        if dc & iocap::SEQUENTIAL == 0 {
            j.sync(fl | if fl == sync_flags::FULL { sync_flags::DATAONLY } else { 0 })?;
        }
        self.journal_synced = true;
        Ok(())
    }

    /// Commits the write transaction (if any); the pager stays a reader.
    /// `Err(BUSY)` when readers keep the EXCLUSIVE lock out: the
    /// transaction stays open and `commit` may be retried.
    pub fn commit(&mut self) -> Result<()> {
        self.commit_phase_one()?;
        self.commit_phase_two()
    }

    /// First half of a commit: journal synced, EXCLUSIVE lock, database
    /// file written and synced. The journal still exists, so a crash from
    /// here until `commit_phase_two` leaves a hot journal that rolls the
    /// transaction back.
    pub fn commit_phase_one(&mut self) -> Result<()> {
        if self.state != PagerState::Writer {
            return Ok(());
        }
        if self.wal.is_some() {
            return self.commit_wal();
        }
        let dirty = self.cache.dirty_pages();
        // A spill may have written (and cleaned) every changed page: the
        // transaction still needs its change counter, syncs and cleanup.
        if !dirty.is_empty() || self.db_size != self.db_orig_size || self.db_modified {
            if !self.counter_done && self.db_size > 0 {
                let size = self.db_size;
                let keep_size = self.keep_size_field;
                let p1 = self.page_mut(1)?;
                let c = get_u32(p1, header::OFF_CHANGE_COUNTER).wrapping_add(1);
                put_u32(p1, header::OFF_CHANGE_COUNTER, c);
                put_u32(p1, header::OFF_VERSION_VALID_FOR, c);
                put_u32(p1, header::OFF_SQLITE_VERSION, crate::SQLITE_VERSION_NUMBER as u32);
                if !keep_size {
                    put_u32(p1, header::OFF_DB_SIZE, size);
                }
                self.counter_done = true;
            }
            if self.file.is_none() {
                // As SQLite's in-memory pager: any backup reading this
                // database starts again.
                self.watch_restart();
            } else {
                self.journal_truncated_pages()?;
                self.file_mut()?.lock(LockLevel::Exclusive)?;
                self.sync_journal()?;
                self.write_dirty_pages()?;
            }
        }
        Ok(())
    }

    /// Second half of a commit: the journal is finalized (the commit point)
    /// and the lock drops to SHARED.
    pub fn commit_phase_two(&mut self) -> Result<()> {
        if self.state != PagerState::Writer {
            return Ok(());
        }
        self.finalize_journal()?;
        self.savepoints.clear();
        self.cache.mark_all_clean();
        if self.wal.is_none() {
            if let Some(p1) = self.cache.get(1) {
                self.file_vers.copy_from_slice(&p1.data[24..40]);
            }
            self.db_file_size = self.db_size;
        }
        self.end_write()
    }

    /// The write transaction is over (committed or rolled back): no
    /// savepoint or journal bookkeeping survives it, and the lock drops to
    /// SHARED unless locking_mode is EXCLUSIVE.
    fn end_write(&mut self) -> Result<()> {
        self.keep_size_field = false;
        self.savepoints.clear();
        self.mem_journal.clear();
        self.in_journal.clear();
        self.state = PagerState::Reader;
        if self.wal.is_some() {
            // The WRITE lock goes; SHARED and the read snapshot stay.
            self.end_wal_write();
            return Ok(());
        }
        if !self.exclusive_mode {
            if let Some(f) = self.file.as_mut() {
                f.unlock(LockLevel::Shared)?;
            }
        }
        Ok(())
    }

    fn write_dirty_pages(&mut self) -> Result<()> {
        let dirty = self.cache.dirty_pages();
        let ps = self.page_size as u64;
        let file = self.file.as_mut().ok_or_else(|| Error::code(code::INTERNAL))?;
        for pgno in dirty {
            if pgno > self.db_size {
                continue;
            }
            if let Some(p) = self.cache.get(pgno) {
                self.db_modified = true;
                file.write(&p.data, (pgno as u64 - 1) * ps)?;
                for w in &self.watches {
                    let mut w = w.lock();
                    if !w.restart && pgno < w.next {
                        w.updates.insert(pgno, p.data.clone());
                    }
                }
                self.stats.write += 1;
            }
        }
        if self.db_size < self.db_file_size {
            self.db_modified = true;
            file.truncate(self.db_size as u64 * ps)?;
        }
        if !self.no_sync() {
            let fl = self.sync_flags();
            self.file_mut()?.sync(fl)?;
        }
        Ok(())
    }

    /// Ends the journal's life for this transaction, per journal mode.
    /// PRAGMA journal_size_limit (bytes; -1: none; below -1: unchanged).
    pub fn set_journal_size_limit(&mut self, n: i64) {
        if n >= -1 {
            self.journal_size_limit = n;
            if let Some(w) = self.wal.as_mut() {
                w.set_size_limit(n);
            }
        }
    }

    /// PRAGMA ferrolite_wal_grow (bytes; 0: off).
    pub fn set_wal_grow(&mut self, n: u64) {
        self.wal_grow = n;
        if let Some(w) = self.wal.as_mut() {
            w.set_grow_max(n);
        }
    }

    pub fn wal_grow(&self) -> u64 {
        self.wal_grow
    }

    pub fn journal_size_limit(&self) -> i64 {
        self.journal_size_limit
    }

    fn finalize_journal(&mut self) -> Result<()> {
        let j = self.journal.take();
        self.journal_started = false;
        let Some(mut j) = j else { return Ok(()) };
        // In exclusive locking mode SQLite keeps the journal file and
        // zeroes its header instead of deleting it.
        let mode = if self.exclusive_mode && self.journal_mode == JournalMode::Delete {
            JournalMode::Persist
        } else {
            self.journal_mode
        };
        match mode {
            JournalMode::Truncate => {
                j.truncate(0)?;
                if !self.no_sync() {
                    j.sync(self.sync_flags())?;
                }
            }
            JournalMode::Persist => {
                // journal_size_limit 0 empties the journal; otherwise its
                // header is zeroed and a longer file cut to the limit.
                let limit = self.journal_size_limit;
                if limit == 0 {
                    j.truncate(0)?;
                } else {
                    j.write(&[0u8; 28], 0)?;
                }
                if !self.no_sync() {
                    j.sync(self.sync_flags())?;
                }
                if limit > 0 && j.file_size()? > limit as u64 {
                    j.truncate(limit as u64)?;
                }
            }
            _ => {
                drop(j);
                match self.vfs.delete(&self.journal_path, self.sync_level >= 3) {
                    Ok(()) => {}
                    Err(e) if e.extended_code() == code::IOERR_DELETE_NOENT => {}
                    Err(e) => return Err(e),
                }
            }
        }
        Ok(())
    }

    /// Rolls back the write transaction (if any); the pager stays a reader.
    pub fn rollback(&mut self) -> Result<()> {
        if self.state != PagerState::Writer {
            return Ok(());
        }
        let mut rc = Ok(());
        if self.wal.is_some() {
            // Nothing reached the log unpublished that matters: drop the
            // changed pages, the snapshot is as it was. Pages spilled to the
            // log are clean in the cache but hold the transaction's
            // changes: then the whole cache goes.
            if self.wal.as_ref().is_some_and(|w| w.has_spilled()) {
                self.cache.clear();
            }
            self.cache.drop_dirty();
            self.cache.truncate(self.db_orig_size);
            self.mem_journal.clear();
            self.journal_started = false;
        } else if self.file.is_none() {
            for (pgno, data) in std::mem::take(&mut self.mem_journal) {
                self.cache.insert(pgno, CachedPage::new(data, false));
            }
            self.cache.truncate(self.db_orig_size);
            self.cache.mark_all_clean();
        } else {
            if self.db_modified {
                self.watch_restart();
                // A commit failed half-way: restore the file itself.
                if let Some(j) = self.journal.as_mut() {
                    let vfs = self.vfs.clone();
                    if let Some(f) = self.file.as_mut() {
                        rc = journal::playback(vfs.as_ref(), j.as_mut(), f.as_mut(), self.sector_size, false).map(|_| ());
                    }
                } else if let Some(f) = self.file.as_mut() {
                    let ps = self.page_size as u64;
                    for (pgno, data) in &self.mem_journal {
                        if let Err(e) = f.write(data, (*pgno as u64 - 1) * ps) {
                            rc = Err(e);
                        }
                    }
                    if rc.is_ok() {
                        rc = f.truncate(self.db_orig_size as u64 * ps);
                    }
                }
                self.cache.clear();
            } else {
                self.cache.drop_dirty();
                self.cache.truncate(self.db_orig_size);
            }
            self.mem_journal.clear();
            if let Err(e) = self.finalize_journal() {
                if rc.is_ok() {
                    rc = Err(e);
                }
            }
        }
        if self.db_modified {
            self.db_file_size = self.db_orig_size;
        }
        self.db_size = self.db_orig_size;
        self.spill_next = 0;
        let r = self.end_write();
        if rc.is_ok() {
            rc = r;
        }
        rc
    }
}

impl Drop for Pager {
    fn drop(&mut self) {
        if self.state == PagerState::Writer {
            let _ = self.rollback();
        }
        let _ = self.end_read();
        let _ = self.close_wal(false);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::os::{MemoryVfs, UnixVfs};

    fn tmp(name: &str) -> String {
        let d = std::env::temp_dir().join(format!("ferrolite-pager-{}-{}", std::process::id(), name));
        let _ = std::fs::remove_file(&d);
        let _ = std::fs::remove_file(format!("{}-journal", d.display()));
        d.to_string_lossy().into_owned()
    }

    fn rw() -> OpenFlags {
        OpenFlags::READWRITE | OpenFlags::CREATE
    }

    fn write_page1(p: &mut Pager) {
        let ps = p.page_size();
        let pg = p.allocate_page().unwrap();
        assert_eq!(pg, 1);
        let d = p.page_mut(1).unwrap();
        d[..100].copy_from_slice(&header::new_header(ps, 0));
    }

    #[test]
    fn commit_then_reopen_sees_pages() {
        let path = tmp("commit");
        let vfs: Arc<dyn Vfs> = Arc::new(UnixVfs);
        {
            let mut p = Pager::open(vfs.clone(), &path, rw()).unwrap();
            p.begin_write().unwrap();
            write_page1(&mut p);
            let n = p.allocate_page().unwrap();
            p.page_mut(n).unwrap()[10] = 42;
            p.commit().unwrap();
            p.end_read().unwrap();
            assert!(!std::path::Path::new(&format!("{path}-journal")).exists());
        }
        let mut p = Pager::open(vfs.clone(), &path, rw()).unwrap();
        p.begin_read().unwrap();
        assert_eq!(p.db_size(), 2);
        assert_eq!(p.page(2).unwrap()[10], 42);
        assert_eq!(get_u32(p.page(1).unwrap(), 24), 1);
        assert_eq!(get_u32(p.page(1).unwrap(), 28), 2);
        // Rollback restores.
        p.begin_write().unwrap();
        p.page_mut(2).unwrap()[10] = 7;
        p.allocate_page().unwrap();
        p.rollback().unwrap();
        assert_eq!(p.db_size(), 2);
        assert_eq!(p.page(2).unwrap()[10], 42);
        p.end_read().unwrap();
        drop(p);
        let _ = std::fs::remove_file(&path);
    }

    #[test]
    fn memory_pager_rolls_back() {
        let mut p = Pager::open_memory(Arc::new(MemoryVfs::new()));
        p.begin_write().unwrap();
        write_page1(&mut p);
        p.commit().unwrap();
        p.begin_write().unwrap();
        p.page_mut(1).unwrap()[50] = 9;
        p.allocate_page().unwrap();
        p.rollback().unwrap();
        assert_eq!(p.db_size(), 1);
        assert_eq!(p.page(1).unwrap()[50], 0);
    }

    #[test]
    fn second_writer_is_busy() {
        let path = tmp("busy");
        let vfs: Arc<dyn Vfs> = Arc::new(UnixVfs);
        let mut a = Pager::open(vfs.clone(), &path, rw()).unwrap();
        let mut b = Pager::open(vfs.clone(), &path, rw()).unwrap();
        a.begin_write().unwrap();
        write_page1(&mut a);
        assert_eq!(b.begin_write().unwrap_err().primary_code(), code::BUSY);
        b.begin_read().unwrap();
        // b's SHARED keeps a's commit out.
        assert_eq!(a.commit().unwrap_err().primary_code(), code::BUSY);
        b.end_read().unwrap();
        a.commit().unwrap();
        a.end_read().unwrap();
        b.begin_read().unwrap();
        assert_eq!(b.db_size(), 1);
        drop(a);
        drop(b);
        let _ = std::fs::remove_file(&path);
    }

    #[test]
    fn journal_modes_commit_and_roll_back() {
        let vfs: Arc<dyn Vfs> = Arc::new(UnixVfs);
        for mode in [JournalMode::Delete, JournalMode::Truncate, JournalMode::Persist, JournalMode::Memory, JournalMode::Off] {
            for sync in [0u8, 1, 2, 3] {
                let path = tmp(&format!("jm-{mode:?}-{sync}"));
                let jpath = format!("{path}-journal");
                let mut p = Pager::open(vfs.clone(), &path, rw()).unwrap();
                p.set_synchronous(sync);
                assert_eq!(p.set_journal_mode(mode).unwrap(), mode);
                p.begin_write().unwrap();
                write_page1(&mut p);
                let n = p.allocate_page().unwrap();
                p.page_mut(n).unwrap()[0] = 1;
                p.commit().unwrap();
                p.begin_write().unwrap();
                p.page_mut(n).unwrap()[0] = 2;
                p.commit().unwrap();
                let jexists = std::path::Path::new(&jpath).exists();
                match mode {
                    JournalMode::Truncate | JournalMode::Persist => assert!(jexists, "{mode:?}"),
                    _ => assert!(!jexists, "{mode:?}"),
                }
                if mode == JournalMode::Truncate {
                    assert_eq!(std::fs::metadata(&jpath).unwrap().len(), 0);
                }
                // Roll back, also after phase one wrote the file (except
                // OFF, which has nothing to roll back from).
                p.begin_write().unwrap();
                p.page_mut(n).unwrap()[0] = 3;
                p.allocate_page().unwrap();
                if mode != JournalMode::Off {
                    p.commit_phase_one().unwrap();
                }
                p.rollback().unwrap();
                p.end_read().unwrap();
                drop(p);
                // A kept journal must not look hot.
                let mut q = Pager::open(vfs.clone(), &path, rw()).unwrap();
                q.begin_read().unwrap();
                assert_eq!(q.db_size(), 2, "{mode:?} sync {sync}");
                assert_eq!(q.page(n).unwrap()[0], 2, "{mode:?} sync {sync}");
                q.end_read().unwrap();
                drop(q);
                let _ = std::fs::remove_file(&path);
                let _ = std::fs::remove_file(&jpath);
            }
        }
    }

    #[test]
    fn memory_vfs_file_rolls_back_a_failed_commit() {
        // The memory VFS claims SAFE_APPEND: the journal header must carry
        // its magic from the start, or a rollback after phase one restores
        // nothing.
        let vfs: Arc<dyn Vfs> = Arc::new(MemoryVfs::new());
        let mut p = Pager::open(vfs.clone(), "m.db", rw()).unwrap();
        p.begin_write().unwrap();
        write_page1(&mut p);
        let n = p.allocate_page().unwrap();
        p.page_mut(n).unwrap()[0] = 1;
        p.commit().unwrap();
        p.begin_write().unwrap();
        p.page_mut(n).unwrap()[0] = 2;
        p.commit_phase_one().unwrap();
        p.rollback().unwrap();
        assert_eq!(p.page(n).unwrap()[0], 1);
        p.end_read().unwrap();
    }
}

/// Counters of page-cache use, for sqlite3_db_status: pages found in the
/// cache, pages read into it, and pages written to the database file.
#[derive(Clone, Copy, Debug, Default)]
pub struct PagerStats {
    pub hit: u64,
    pub miss: u64,
    pub write: u64,
}
