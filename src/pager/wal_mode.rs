//! The pager in WAL mode (journal_mode=WAL): how read and write
//! transactions, commits, checkpoints and close go through `wal::Wal`
//! instead of the rollback journal.
//!
//! - The WAL is opened when a read transaction starts and either a `-wal`
//!   file is there (a non-empty database) or the file header says WAL
//!   (bytes 18/19 = 2), as SQLite's pagerOpenWalIfPresent and lockBtree do.
//! - While the WAL is open the connection keeps its SHARED lock on the
//!   database file between transactions (so the last connection to close
//!   is the one that gets EXCLUSIVE), never takes RESERVED (writers are
//!   serialised by the WAL WRITE lock) and never writes the database file
//!   except in a checkpoint.
//! - A commit appends the dirty pages as frames, the last one a commit
//!   frame carrying the new page count; page 1's change counter is bumped
//!   when page 1 is written, as SQLite's pager does in WAL mode.
//!   synchronous=FULL syncs the log at each commit, NORMAL only at
//!   checkpoints, OFF never.
//! - Each commit leaves the log's frame count for the connection's WAL
//!   hook (`take_wal_callback`, SQLite's sqlite3PagerWalCallback); the
//!   hook, or wal_autocheckpoint's default one, runs at the connection
//!   level once the statement is over (`Connection::wal_hooks_due`).
//! - Close: if the EXCLUSIVE lock can be had (no other connection, in any
//!   process), everything is checkpointed and `-wal`/`-shm` are deleted
//!   (kept, their blocks reused by the next writer, when the log is
//!   persistent: `persist_wal`).
//!   Leaving WAL mode does the same and fails with BUSY otherwise.
//!
//! - A read-only connection opens the log and the index read-write as
//!   SQLite does (readers write read marks and may run recovery); its
//!   writes are refused by the pager (SQLITE_READONLY).
//! - journal_size_limit (`journal_size_limit`, also given to the `Wal`):
//!   the first commit into a restarted log cuts the file; a persistent
//!   log is cut to 0 bytes at the last close.
//!
//! - locking_mode=EXCLUSIVE, as SQLite: a WAL opened in that mode takes
//!   the EXCLUSIVE database lock and keeps its index in private memory (no
//!   `-shm`; the mode cannot be left while the WAL is open); set later, the
//!   EXCLUSIVE lock is taken by the next write and kept; back to NORMAL,
//!   it drops to SHARED when the next write transaction ends.
//!
//! Invariant: `wal.is_some()` iff `journal_mode == Wal` and the pager is
//! file-backed; the cache is dropped whenever the snapshot changed.

use super::wal::checkpoint::{CheckpointMode, CheckpointResult};
use super::wal::snapshot::SnapshotBytes;
use super::wal::{Wal, WalSync};
use super::{header, JournalMode, Pager, PagerState, Pgno};
use crate::error::{code, Error, Result};
use crate::os::{sync_flags, AccessKind, LockLevel};

impl Pager {
    pub fn in_wal_mode(&self) -> bool {
        self.wal.is_some()
    }

    /// The sync flags of SQLite's walSyncFlags for this pager.
    fn wal_sync(&self) -> WalSync {
        if self.no_sync() {
            return WalSync::default();
        }
        let fl = self.sync_flags();
        WalSync {
            commit: if self.sync_level >= 2 { fl } else { 0 },
            ckpt: if self.ckpt_fullfsync { sync_flags::FULL } else { fl },
        }
    }

    /// PRAGMA checkpoint_fullfsync.
    pub fn set_checkpoint_fullfsync(&mut self, on: bool) {
        self.ckpt_fullfsync = on;
    }

    /// The log's frame count after the last commit since the previous
    /// call, 0 if there was none (SQLite's sqlite3PagerWalCallback).
    pub fn take_wal_callback(&mut self) -> u32 {
        std::mem::take(&mut self.wal_callback)
    }

    /// Called with SHARED held, before the header is read: opens the WAL
    /// if a `-wal` file is there, as SQLite's pagerOpenWalIfPresent.
    pub(super) fn open_wal_if_present(&mut self) -> Result<()> {
        if self.wal.is_some() || self.file.is_none() || self.journal_path.is_empty() || self.no_wal {
            return Ok(());
        }
        let wal_path = format!("{}-wal", self.path);
        if self.vfs.access(&wal_path, AccessKind::Exists)? {
            if self.file_mut()?.file_size()? == 0 {
                // A log beside an empty database is stale.
                let _ = self.vfs.delete(&wal_path, false);
                return Ok(());
            }
            return self.open_wal();
        }
        if self.journal_mode == JournalMode::Wal {
            self.journal_mode = JournalMode::Delete;
        }
        Ok(())
    }

    /// Opens the WAL (the database file header says WAL, or a log exists).
    pub(super) fn open_wal(&mut self) -> Result<()> {
        if self.wal.is_some() {
            return Ok(());
        }
        // Without shared memory the index can only be private memory, in
        // locking_mode=EXCLUSIVE; otherwise SQLITE_CANTOPEN, as SQLite.
        let has_shm = self.file.as_ref().map(|f| f.has_shm()).unwrap_or(false);
        if !has_shm && !self.exclusive_mode {
            return Err(Error::code(code::CANTOPEN));
        }
        if self.readonly && self.exclusive_mode {
            return Err(Error::with_message(code::CANTOPEN, "read-only WAL databases in exclusive locking mode are not supported yet"));
        }
        let heap = self.exclusive_mode;
        if heap {
            self.file_mut()?.lock(LockLevel::Exclusive)?;
        }
        // As SQLite, a read-only connection opens (or creates) the log
        // and the index read-write too, as readers need (read marks,
        // recovery); the VFS falls back to a read-only log when it may
        // not write it. Writes are refused above the WAL (SQLITE_READONLY).
        let mut wal = Wal::open(self.vfs.clone(), &self.path, false, heap)?;
        wal.set_size_limit(self.journal_size_limit);
        wal.set_grow_max(self.wal_grow);
        wal.set_mmap_limit(self.mmap_size);
        self.wal = Some(wal);
        self.journal_mode = JournalMode::Wal;
        Ok(())
    }

    /// The read-transaction part of `begin_read` in WAL mode: the snapshot,
    /// and the page size and count it implies.
    pub(super) fn begin_wal_read(&mut self) -> Result<()> {
        let (Some(wal), Some(file)) = (self.wal.as_mut(), self.file.as_mut()) else {
            return Err(Error::code(code::INTERNAL));
        };
        let changed = match wal.begin_read(file.as_mut()) {
            Ok(c) => c,
            Err(e) => {
                // As SQLite's pager_reset: the index header this
                // connection knows may have moved past its cached pages
                // (an older snapshot refused, a recovery half-way).
                self.cache.clear();
                self.watch_restart();
                return Err(e);
            }
        };
        let wal_ps = wal.page_size();
        let wal_size = wal.db_size();
        if changed {
            // Pages cached under the previous snapshot stay, but for those
            // the frames committed since then hold (when that is all that
            // happened, and they are fewer than the cache).
            let appended = wal.appended_frames().filter(|(a, b)| b.saturating_sub(*a) as usize <= self.cache.len());
            match appended {
                Some((first, last)) => {
                    for frame in first..=last {
                        match wal.frame_pgno(file.as_mut(), frame) {
                            Ok(pgno) => self.cache.remove(pgno),
                            Err(_) => {
                                self.cache.clear();
                                break;
                            }
                        }
                    }
                }
                None => self.cache.clear(),
            }
            self.watch_restart();
        }
        if wal_ps != 0 && (!wal_ps.is_power_of_two() || !(512..=65536).contains(&wal_ps)) {
            return Err(Error::corrupt());
        }
        if wal_ps != 0 && wal_ps != self.page_size {
            self.page_size = wal_ps;
            self.apply_cache_size();
            self.cache.clear();
        }
        if wal_size != 0 {
            self.db_size = wal_size;
        }
        self.cache.truncate(self.db_size);
        Ok(())
    }

    /// Page `pgno` from the log, if the snapshot has it there.
    pub(super) fn read_from_wal(&mut self, pgno: Pgno, buf: &mut [u8]) -> Result<bool> {
        let (Some(wal), Some(file)) = (self.wal.as_mut(), self.file.as_mut()) else {
            return Ok(false);
        };
        // The open write transaction's own spilled image first.
        if let Some(f) = wal.spilled_frame(pgno) {
            wal.read_frame(f, buf)?;
            return Ok(true);
        }
        match wal.find_frame(file.as_mut(), pgno)? {
            Some(f) => {
                wal.read_frame(f, buf)?;
                Ok(true)
            }
            None => Ok(false),
        }
    }

    pub(super) fn begin_wal_write(&mut self) -> Result<()> {
        let exclusive = self.exclusive_mode;
        let (Some(wal), Some(file)) = (self.wal.as_mut(), self.file.as_mut()) else {
            return Err(Error::code(code::INTERNAL));
        };
        if exclusive {
            file.lock(LockLevel::Exclusive)?;
        }
        wal.begin_write(file.as_mut())
    }

    /// Commit in WAL mode: the dirty pages as frames, then publish.
    pub(super) fn commit_wal(&mut self) -> Result<()> {
        let spilled = self.wal.as_ref().is_some_and(|w| w.has_spilled());
        if !self.cache.has_dirty() && self.db_size == self.db_orig_size && !spilled {
            return Ok(());
        }
        if self.db_size > 0 {
            let size = self.db_size;
            let grew_or_shrank = size != self.db_orig_size;
            let p1_dirty = self.cache.get(1).map(|p| p.dirty).unwrap_or(false);
            if grew_or_shrank || p1_dirty || !self.cache.has_dirty() {
                let p1 = self.page_mut(1)?;
                let c = header::get_u32(p1, header::OFF_CHANGE_COUNTER).wrapping_add(1);
                header::put_u32(p1, header::OFF_CHANGE_COUNTER, c);
                header::put_u32(p1, header::OFF_VERSION_VALID_FOR, c);
                header::put_u32(p1, header::OFF_SQLITE_VERSION, crate::SQLITE_VERSION_NUMBER as u32);
                header::put_u32(p1, header::OFF_DB_SIZE, size);
            }
        }
        let mut dirty = self.cache.dirty_pages();
        dirty.sort_unstable();
        let size = self.db_size;
        let ps = self.page_size;
        let sync = self.wal_sync();
        let mut pages: Vec<(u32, &[u8])> = Vec::with_capacity(dirty.len());
        for pg in dirty {
            if pg > size {
                continue;
            }
            if let Some(p) = self.cache.get(pg) {
                pages.push((pg, &p.data[..]));
            }
        }
        let (Some(wal), Some(file)) = (self.wal.as_mut(), self.file.as_mut()) else {
            return Err(Error::code(code::INTERNAL));
        };
        wal.commit_frames(file.as_mut(), ps, &pages, size, sync)?;
        let frames = wal.mx_frame();
        for &(pg, data) in &pages {
            self.watch_written(pg, data);
        }
        self.wal_callback = frames;
        Ok(())
    }

    /// A write transaction outgrew the cache: its dirty pages go to the
    /// log as frames past the last commit (not visible to anyone else, not
    /// committed — see `Wal::spill_frames`) and become clean, so that the
    /// cache may drop them; reads find them in the log again. SQLite's
    /// pagerStress does the same in WAL mode.
    pub(super) fn spill_wal(&mut self) -> Result<()> {
        let mut dirty = self.cache.dirty_pages();
        dirty.sort_unstable();
        let size = self.db_size;
        let ps = self.page_size;
        let sync = self.wal_sync();
        let mut pages: Vec<(u32, &[u8])> = Vec::with_capacity(dirty.len());
        for &pg in &dirty {
            if pg > size {
                continue;
            }
            if let Some(p) = self.cache.get(pg) {
                pages.push((pg, &p.data[..]));
            }
        }
        let (Some(wal), Some(file)) = (self.wal.as_mut(), self.file.as_mut()) else {
            return Err(Error::code(code::INTERNAL));
        };
        wal.spill_frames(file.as_mut(), ps, &pages, sync)?;
        for &(pg, data) in &pages {
            self.watch_written(pg, data);
        }
        for pg in dirty {
            if pg > size {
                continue;
            }
            self.cache.mark_clean(pg);
        }
        self.cache.make_room_after_spill();
        Ok(())
    }

    /// The write transaction is over: the WRITE lock goes (the read
    /// snapshot stays until `end_read`).
    pub(super) fn end_wal_write(&mut self) {
        let exclusive = self.exclusive_mode;
        if let (Some(wal), Some(file)) = (self.wal.as_mut(), self.file.as_mut()) {
            wal.end_write(file.as_mut());
            // Back in NORMAL locking mode: the EXCLUSIVE lock goes.
            if !exclusive && !wal.is_heap() && file.lock_level() > LockLevel::Shared {
                let _ = file.unlock(LockLevel::Shared);
            }
        }
    }

    /// locking_mode=NORMAL cannot be had while the WAL index is in private
    /// memory (SQLite's sqlite3WalHeapMemory).
    pub(super) fn wal_pins_exclusive(&self) -> bool {
        self.wal.as_ref().map(|w| w.is_heap()).unwrap_or(false)
    }

    /// The read transaction is over.
    pub(super) fn end_wal_read(&mut self) {
        if let (Some(wal), Some(file)) = (self.wal.as_mut(), self.file.as_mut()) {
            wal.end_read(file.as_mut());
        }
    }

    /// PRAGMA wal_checkpoint / sqlite3_wal_checkpoint_v2. Outside WAL
    /// mode: nothing to do, `(0, -1, -1)`. Inside a transaction: LOCKED.
    pub fn checkpoint(&mut self, mode: CheckpointMode, busy: Option<&mut dyn FnMut() -> bool>) -> Result<CheckpointResult> {
        if self.wal.is_none() {
            return Ok(CheckpointResult { busy: false, log: -1, ckpt: -1 });
        }
        if self.state != PagerState::Open {
            return Err(Error::with_message(code::LOCKED, "database table is locked"));
        }
        let sync = self.wal_sync();
        let (Some(wal), Some(file)) = (self.wal.as_mut(), self.file.as_mut()) else {
            return Err(Error::code(code::INTERNAL));
        };
        let r = wal.checkpoint(file.as_mut(), mode, busy, sync);
        // The database file may have changed under the cache's pages
        // only as the log says; the next snapshot decides what to keep.
        r
    }

    /// The open read transaction's snapshot (sqlite3_snapshot_get);
    /// SQLITE_ERROR outside WAL mode or when the log was never written.
    pub fn snapshot_get(&self) -> Result<SnapshotBytes> {
        match &self.wal {
            Some(w) => w.snapshot_get(),
            None => Err(Error::code(code::ERROR)),
        }
    }

    /// What the next read transaction opens (see `Wal::set_snapshot`);
    /// SQLITE_ERROR outside WAL mode.
    pub fn set_snapshot(&mut self, snap: Option<&SnapshotBytes>, get: bool) -> Result<()> {
        match self.wal.as_mut() {
            Some(w) => {
                w.set_snapshot(snap, get);
                Ok(())
            }
            None => Err(Error::code(code::ERROR)),
        }
    }

    /// `Wal::snapshot_check`; SQLITE_ERROR outside WAL mode.
    pub fn snapshot_check(&mut self, snap: &SnapshotBytes) -> Result<()> {
        match (self.wal.as_mut(), self.file.as_mut()) {
            (Some(w), Some(f)) => w.snapshot_check(f.as_mut(), snap),
            _ => Err(Error::code(code::ERROR)),
        }
    }

    /// Releases what a successful `snapshot_check` holds.
    pub fn snapshot_unlock(&mut self) {
        if let (Some(w), Some(f)) = (self.wal.as_mut(), self.file.as_mut()) {
            w.snapshot_unlock(f.as_mut());
        }
    }

    /// `Wal::snapshot_recover` (a read transaction is open); SQLITE_ERROR
    /// outside WAL mode.
    pub fn snapshot_recover(&mut self) -> Result<()> {
        match (self.wal.as_mut(), self.file.as_mut()) {
            (Some(w), Some(f)) => w.snapshot_recover(f.as_mut()),
            _ => Err(Error::code(code::ERROR)),
        }
    }

    /// Leaves WAL mode or closes: with EXCLUSIVE on the database, a full
    /// checkpoint, then `-wal` and `-shm` are deleted. `must`: fail with
    /// BUSY when another connection is there (leaving WAL mode); otherwise
    /// (close) just detach.
    pub(super) fn close_wal(&mut self, must: bool) -> Result<()> {
        let Some(mut wal) = self.wal.take() else { return Ok(()) };
        let Some(file) = self.file.as_mut() else { return Ok(()) };
        wal.end_read(file.as_mut());
        let mut exclusive = file.lock(LockLevel::Exclusive);
        if exclusive.is_ok() && wal.is_private_readonly() {
            // A private index (read-only `-shm`): nothing may be
            // checkpointed (as SQLite, BUSY first when others are there).
            let _ = file.unlock(LockLevel::Shared);
            exclusive = Err(Error::code(code::READONLY));
        }
        let mut delete = false;
        let mut err = None;
        match exclusive {
            Ok(()) => {
                let sync = {
                    let fl = if self.fullfsync { sync_flags::FULL } else { sync_flags::NORMAL };
                    if self.sync_level == 0 {
                        WalSync::default()
                    } else {
                        WalSync { commit: 0, ckpt: if self.ckpt_fullfsync { sync_flags::FULL } else { fl } }
                    }
                };
                match wal.checkpoint(file.as_mut(), CheckpointMode::Passive, None, sync) {
                    Ok(r) if !r.busy => delete = true,
                    Ok(_) => {}
                    Err(e) => err = Some(e),
                }
            }
            Err(e) => {
                if must {
                    self.wal = Some(wal);
                    return Err(e);
                }
            }
        }
        if must && !delete {
            self.wal = Some(wal);
            return Err(err.unwrap_or_else(|| Error::code(code::BUSY)));
        }
        // Closing with the log persistent: checkpointed, emptied, kept;
        // with a journal_size_limit, cut to nothing (as SQLite: cutting to
        // the limit could leave half a frame).
        let keep = delete && !must && self.persist_wal;
        if keep {
            let r = if self.journal_size_limit >= 0 { wal.limit_size(0) } else { wal.invalidate_frames() };
            if let Err(e) = r {
                err.get_or_insert(e);
            }
        }
        let r = wal.close(file.as_mut(), delete && !keep);
        self.cache.clear();
        if !must {
            // Closing: the locks go with the file.
            let _ = file.unlock(LockLevel::None);
        }
        match err {
            Some(e) => Err(e),
            None => r,
        }
    }

    /// Leaves WAL mode for `mode`: checkpoint and delete the log under an
    /// EXCLUSIVE lock (BUSY while another connection uses the database).
    /// The EXCLUSIVE lock stays until the caller's next transaction ends.
    pub fn leave_wal(&mut self, mode: JournalMode) -> Result<()> {
        if self.state != PagerState::Open {
            return Err(Error::misuse());
        }
        if self.wal.is_none() {
            // A log may be there without being open yet.
            self.file_mut()?.lock(LockLevel::Shared)?;
            let r = self.open_wal_if_present();
            if let Err(e) = r {
                let _ = self.file_mut().and_then(|f| f.unlock(LockLevel::None));
                return Err(e);
            }
        }
        self.close_wal(true)?;
        self.journal_mode = mode;
        self.no_wal = true;
        Ok(())
    }

    /// After leaving WAL mode and rewriting the header: the WAL may be
    /// opened again if the file says so.
    pub fn allow_wal(&mut self) {
        self.no_wal = false;
    }

    /// Drops a lock kept with no transaction open (the EXCLUSIVE lock of
    /// `leave_wal` when what followed failed).
    pub fn release_lock(&mut self) {
        if self.state == PagerState::Open && self.wal.is_none() && !self.exclusive_mode {
            if let Some(f) = self.file.as_mut() {
                let _ = f.unlock(LockLevel::None);
            }
        }
    }
}
