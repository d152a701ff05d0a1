//! One connection's write-ahead log: SQLite's WAL protocol over the
//! `-wal` file (`format`) and the shared wal-index (`index`) reached
//! through the database file's shm methods.
//!
//! - A read transaction takes a snapshot: the index header (`hdr`) and a
//!   READ lock whose read mark is at most the snapshot's mxFrame (READ0:
//!   "everything is in the database file"). Pages are then looked up in
//!   frames `min_frame..=hdr.mx_frame` only, so later commits and
//!   checkpoints never change what the transaction sees.
//! - A write transaction holds the WRITE lock and only starts if the
//!   snapshot is still the newest (else BUSY_SNAPSHOT). Frames are
//!   appended after `hdr.mx_frame`; the header is published (commit) only
//!   after the frames and their index entries are written, so a crash
//!   or an error before that leaves the log as it was.
//! - A header that does not check out means recovery (`recover`): under
//!   the WRITE, CKPT and RECOVER locks the index is rebuilt from the
//!   valid frames of the log.
//! - Checkpoints (`checkpoint`) copy frames no reader still needs back
//!   into the database and restart the log when every reader allows it.
//!
//! - Heap mode (a WAL opened under locking_mode=EXCLUSIVE, SQLite's
//!   WAL_HEAPMEMORY_MODE): the caller holds an EXCLUSIVE lock on the
//!   database file, so the index lives in private memory (no `-shm`) and
//!   the shm locks are not taken.
//!
//! - Snapshots (`snapshot`): a read transaction may open an older state
//!   still whole in the log (sqlite3_snapshot_open); the frames of a
//!   restarted log's first commit cut the file to journal_size_limit.
//!
//! Invariants: a lock is held iff its field says so (`read_lock`,
//! `write_lock`, `ckpt_lock`, `snapshot_lock` for a shared CKPT lock); the `hdr` snapshot changes only at
//! read-transaction start, at commit and at a log restart by its own
//! writer; nothing read from the log or the index is trusted without a
//! check (a bad value is CORRUPT or "recover", never a panic).

pub mod checkpoint;
pub mod format;
mod frames;
pub mod index;
mod recover;
pub mod snapshot;
mod unreliable;

use std::sync::Arc;

use crate::error::{code, Error, Result};
use crate::os::{shm_flags, OpenFlags, ShmRegion, Vfs, VfsFile};

use format::{frame_offset, WalHeader, FRAME_HDR_SIZE};
use index::{IndexHdr, NREADER, READMARK_NOT_USED};

pub use checkpoint::CheckpointMode;

/// Reading failed for a reason that goes away if tried again.
const RETRY: i32 = -1;
/// SQLite's WAL_RETRY_PROTOCOL_LIMIT.
const RETRY_LIMIT: u32 = 100;

/// PRAGMA ferrolite_wal_grow's default: the log file grows ahead of its
/// frames by as much as it holds (it doubles), up to 4 MiB at a time.
pub const DEFAULT_GROW_MAX: u64 = 4 << 20;

/// The sync flags a commit and a checkpoint use (SQLite's walSyncFlags:
/// bits 0..1 for the WAL at commit, bits 2..3 for checkpoints).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct WalSync {
    pub commit: u32,
    pub ckpt: u32,
}

/// One connection's WAL.
pub struct Wal {
    vfs: Arc<dyn Vfs>,
    file: Box<dyn VfsFile>,
    path: String,
    /// Mapped wal-index regions (`None`: not mapped yet).
    regions: Vec<Option<ShmRegion>>,
    /// The snapshot: the index header as this connection last read it.
    hdr: IndexHdr,
    /// READ lock held (0..=4), or -1.
    read_lock: i32,
    write_lock: bool,
    ckpt_lock: bool,
    /// First frame a reader may take a page from (frames before it are
    /// in the database file).
    min_frame: u32,
    /// Checkpoint sequence (WAL header field), known after a recovery or
    /// a restart by this connection.
    n_ckpt: u32,
    /// Sync the WAL header when a new log is started.
    sync_header: bool,
    /// The index is in private memory (`regions` are heap regions) and
    /// shm locks are no-ops.
    heap: bool,
    /// The next read transaction opens this snapshot (sqlite3_snapshot_open;
    /// SQLite's pSnapshot).
    snapshot: Option<IndexHdr>,
    /// The next read transaction is sqlite3_snapshot_get's: it must not
    /// settle on READ0 while the log has frames (SQLite's bGetSnapshot).
    get_snapshot: bool,
    /// A shared CKPT lock taken by `snapshot_check` is held.
    snapshot_lock: bool,
    /// PRAGMA journal_size_limit (-1: none): the first commit into a
    /// restarted log cuts the file to this size or the end of its frames,
    /// whichever is larger (SQLite's mxWalSize).
    size_limit: i64,
    /// The snapshot the last `begin_read` replaced, when it differs from
    /// the new one by frames appended to the same log (the pages of those
    /// frames are the only ones that changed); `None` when the change may
    /// be anything (another log, a recovery, an older snapshot).
    appended_since: Option<IndexHdr>,
    /// Set by a recovery of the index (`recover`).
    recovered: bool,
    /// Frames the open write transaction wrote before its commit (a cache
    /// spill), not yet in the index (see `frames.rs`).
    pending: Option<frames::Pending>,
    /// The most the log file is grown by at once ahead of its frames
    /// (0: not grown ahead; see `frames.rs`, `reserve`).
    grow_max: u64,
    /// The log file is known to be at least this long (its blocks
    /// written), so frames ending before it overwrite blocks in place.
    alloc_end: u64,
    /// The `-shm` file cannot be written and no other process is attached:
    /// the index is private, built from the log (`unreliable.rs`).
    unreliable: bool,
    /// The buffer frames are encoded into (kept, see `frames.rs`).
    frame_buf: Vec<u8>,
}

fn lock_flags(excl: bool, lock: bool) -> u32 {
    (if excl { shm_flags::EXCLUSIVE } else { shm_flags::SHARED }) | (if lock { shm_flags::LOCK } else { shm_flags::UNLOCK })
}

impl Wal {
    /// Opens (creating) `<db>-wal`. Nothing is read until a read
    /// transaction starts.
    pub fn open(vfs: Arc<dyn Vfs>, db_path: &str, readonly: bool, heap: bool) -> Result<Wal> {
        let path = format!("{db_path}-wal");
        let flags = if readonly { OpenFlags::READONLY } else { OpenFlags::READWRITE | OpenFlags::CREATE } | OpenFlags::WAL;
        let file = vfs.open(Some(&path), flags)?;
        Ok(Wal {
            vfs,
            file,
            path,
            regions: Vec::new(),
            hdr: IndexHdr::default(),
            read_lock: -1,
            write_lock: false,
            ckpt_lock: false,
            min_frame: 0,
            n_ckpt: 0,
            sync_header: true,
            heap,
            snapshot: None,
            get_snapshot: false,
            snapshot_lock: false,
            size_limit: -1,
            appended_since: None,
            recovered: false,
            pending: None,
            grow_max: DEFAULT_GROW_MAX,
            alloc_end: 0,
            unreliable: false,
            frame_buf: Vec::new(),
        })
    }

    /// PRAGMA mmap_size for this log: frames within the first `n` bytes
    /// may be read through a map (see `VfsFile::refresh_log_map`).
    pub fn set_mmap_limit(&mut self, n: u64) {
        self.file.set_mmap_limit(n);
    }

    /// PRAGMA ferrolite_wal_grow (bytes; 0: off): how far ahead of its
    /// frames the log file may be grown with zeros at once.
    pub fn set_grow_max(&mut self, n: u64) {
        self.grow_max = n;
    }

    /// PRAGMA journal_size_limit for this log.
    pub fn set_size_limit(&mut self, n: i64) {
        self.size_limit = n;
    }

    /// Cuts the log file to `n` bytes if it is longer (SQLite's
    /// walLimitSize).
    pub fn limit_size(&mut self, n: u64) -> Result<()> {
        self.alloc_end = self.alloc_end.min(n);
        if self.file.file_size()? > n {
            self.file.truncate(n)?;
        }
        Ok(())
    }

    pub fn path(&self) -> &str {
        &self.path
    }

    /// The snapshot's last committed frame.
    pub fn mx_frame(&self) -> u32 {
        self.hdr.mx_frame
    }

    /// Database size in pages per the snapshot (0: take the file's size).
    pub fn db_size(&self) -> u32 {
        if self.read_lock >= 0 {
            self.hdr.n_page
        } else {
            0
        }
    }

    /// Page size of the log's frames per the snapshot (0 when empty).
    pub fn page_size(&self) -> u32 {
        if self.hdr.mx_frame > 0 {
            self.hdr.page_size()
        } else {
            0
        }
    }

    pub fn in_read(&self) -> bool {
        self.read_lock >= 0
    }

    pub fn in_write(&self) -> bool {
        self.write_lock
    }

    /// True when the `-shm` file could not be written and the index is a
    /// private copy built from the log (`unreliable.rs`): read-only.
    pub fn is_private_readonly(&self) -> bool {
        self.unreliable
    }

    /// True for a WAL whose index is in private memory.
    pub fn is_heap(&self) -> bool {
        self.heap
    }

    fn lock(&mut self, db: &mut dyn VfsFile, ofst: u32, n: u32, excl: bool) -> Result<()> {
        if self.heap || self.unreliable {
            // A private index: nobody else to exclude (the READ0 lock of
            // `begin_read_unreliable` is taken there).
            return Ok(());
        }
        db.shm_lock(ofst, n, lock_flags(excl, true))
    }

    fn unlock(&mut self, db: &mut dyn VfsFile, ofst: u32, n: u32, excl: bool) {
        if self.unreliable && ofst == index::read_lock(0) && n == 1 && !excl && self.read_lock == 0 {
            let _ = db.shm_lock(ofst, n, lock_flags(false, false));
        } else if !self.heap && !self.unreliable {
            let _ = db.shm_lock(ofst, n, lock_flags(excl, false));
        }
    }

    /// Wal-index region `i`, mapped on first use (allocated when this
    /// connection holds the WRITE lock).
    fn region(&mut self, db: &mut dyn VfsFile, i: u32) -> Result<Option<ShmRegion>> {
        let i = i as usize;
        if let Some(Some(r)) = self.regions.get(i) {
            return Ok(Some(r.clone()));
        }
        let r = if self.heap || self.unreliable {
            // Private memory: regions are made on first use.
            Some(ShmRegion::heap())
        } else {
            db.shm_map(i as u32, self.write_lock)?
        };
        if let Some(r) = &r {
            if self.regions.len() <= i {
                self.regions.resize(i + 1, None);
            }
            self.regions[i] = Some(r.clone());
        }
        Ok(r)
    }

    /// Region `i`, which must exist (the index says it does).
    fn region_must(&mut self, db: &mut dyn VfsFile, i: u32) -> Result<ShmRegion> {
        self.region(db, i)?.ok_or_else(Error::corrupt)
    }

    /// SQLite's walIndexReadHdr: loads the current header into `hdr`,
    /// running recovery when it does not check out. Returns whether the
    /// snapshot changed.
    fn read_index_hdr(&mut self, db: &mut dyn VfsFile) -> Result<bool> {
        let mut changed = false;
        let mut bad = match self.region(db, 0)? {
            Some(r0) => !self.try_hdr(&r0, &mut changed),
            None => true,
        };
        if bad {
            let had_write = self.write_lock;
            if !had_write {
                self.lock(db, index::WRITE_LOCK, 1, true)?;
                self.write_lock = true;
            }
            let r = (|| -> Result<()> {
                let r0 = self.region_must(db, 0)?;
                bad = !self.try_hdr(&r0, &mut changed);
                if bad {
                    self.recover(db)?;
                    changed = true;
                    bad = false;
                }
                Ok(())
            })();
            if !had_write {
                self.write_lock = false;
                self.unlock(db, index::WRITE_LOCK, 1, true);
            }
            r?;
        }
        if !bad && self.hdr.version != index::INDEX_VERSION {
            return Err(Error::code(code::CANTOPEN));
        }
        Ok(changed)
    }

    fn try_hdr(&mut self, r0: &ShmRegion, changed: &mut bool) -> bool {
        match index::read_hdr(r0) {
            Some(h) => {
                if h != self.hdr {
                    *changed = true;
                    self.hdr = h;
                }
                true
            }
            None => false,
        }
    }

    /// Starts a read transaction (SQLite's walBeginReadTransaction).
    /// Returns true when the snapshot differs from the previous one (the
    /// page cache must be dropped).
    pub fn begin_read(&mut self, db: &mut dyn VfsFile) -> Result<bool> {
        if self.read_lock >= 0 {
            return Ok(false);
        }
        let prev = self.hdr;
        self.recovered = false;
        let r = self.begin_read_snapshot(db);
        let next = &self.hdr;
        let appended = prev.is_init != 0
            && !self.recovered
            && prev.salt == next.salt
            && prev.sz_page == next.sz_page
            && prev.big_end_cksum == next.big_end_cksum
            && prev.mx_frame <= next.mx_frame;
        self.appended_since = if appended && matches!(r, Ok(true)) { Some(prev) } else { None };
        r
    }

    /// When the last `begin_read` found a new snapshot that only adds
    /// frames to the log the previous one read: the frames added, first
    /// and last (a page cache filled under the previous snapshot is still
    /// good but for the pages of these frames).
    pub fn appended_frames(&self) -> Option<(u32, u32)> {
        let prev = self.appended_since.as_ref()?;
        Some((prev.mx_frame + 1, self.hdr.mx_frame))
    }

    /// The page number frame `frame` of the current snapshot holds.
    pub fn frame_pgno(&mut self, db: &mut dyn VfsFile, frame: u32) -> Result<u32> {
        if frame == 0 || frame > self.hdr.mx_frame {
            return Err(Error::corrupt());
        }
        let r = self.region_must(db, index::frame_page(frame))?;
        Ok(index::frame_pgno(&r, frame))
    }

    fn begin_read_snapshot(&mut self, db: &mut dyn VfsFile) -> Result<bool> {
        // Frames of this snapshot may be read through a map (mmap_size).
        self.file.refresh_log_map();
        let Some(snap) = self.snapshot else { return self.begin_read_loop(db) };
        // Opening a snapshot: a checkpointer must not be deciding to copy
        // frames past it while it is checked (shared CKPT lock).
        let snap_changed = snap != self.hdr;
        if !self.snapshot_lock {
            self.lock(db, index::CKPT_LOCK, 1, false)?;
            self.snapshot_lock = true;
        }
        let r = self.begin_read_loop(db).and_then(|changed| {
            if snap == self.hdr {
                return Ok(changed);
            }
            self.open_snapshot(db, snap)?;
            Ok(snap_changed)
        });
        self.snapshot_unlock(db);
        r
    }

    fn begin_read_loop(&mut self, db: &mut dyn VfsFile) -> Result<bool> {
        if self.unreliable {
            return self.begin_read_unreliable(db);
        }
        let mut changed = false;
        let mut cnt = 0u32;
        loop {
            match self.try_begin_read(db, &mut changed, false, &mut cnt) {
                Ok(()) => return Ok(changed),
                Err(e) if e.extended_code() == RETRY => continue,
                // A `-shm` this connection may not write (`unreliable.rs`).
                Err(e) if (Self::shm_cantinit(&e) || e.extended_code() == code::READONLY) && !self.write_lock => return self.begin_read_unreliable(db),
                Err(e) => return Err(e),
            }
        }
    }

    /// One attempt of SQLite's walTryBeginRead; `Err(RETRY)` to try again.
    fn try_begin_read(&mut self, db: &mut dyn VfsFile, changed: &mut bool, use_wal: bool, cnt: &mut u32) -> Result<()> {
        let retry = || Error::code(RETRY);
        *cnt += 1;
        if *cnt > 5 {
            if *cnt > RETRY_LIMIT {
                return Err(Error::code(code::PROTOCOL));
            }
            let delay = if *cnt >= 10 { (*cnt - 9) * (*cnt - 9) * 39 } else { 1 };
            self.vfs.sleep(delay as u64);
        }
        if !use_wal {
            match self.read_index_hdr(db) {
                Ok(c) => *changed |= c,
                Err(e) if e.primary_code() == code::BUSY => {
                    // Someone else is writing or recovering the index.
                    if self.regions.first().and_then(|r| r.as_ref()).is_none() {
                        return Err(retry());
                    }
                    return match self.lock(db, index::RECOVER_LOCK, 1, false) {
                        Ok(()) => {
                            self.unlock(db, index::RECOVER_LOCK, 1, false);
                            Err(retry())
                        }
                        Err(e) if e.primary_code() == code::BUSY => Err(Error::code(code::BUSY_RECOVERY)),
                        Err(e) => Err(e),
                    };
                }
                Err(e) => return Err(e),
            }
        }
        let r0 = self.region_must(db, 0)?;
        // A snapshot being taken or opened needs a read mark: READ0 would
        // let the next writer restart the log under it.
        let snapshot_wanted = self.get_snapshot || self.snapshot.is_some();
        if !use_wal && index::n_backfill(&r0) == self.hdr.mx_frame && (!snapshot_wanted || self.hdr.mx_frame == 0) {
            // Everything is in the database file: READ0.
            match self.lock(db, index::read_lock(0), 1, false) {
                Ok(()) => {
                    r0.barrier();
                    if index::live_hdr(&r0) != self.hdr {
                        self.unlock(db, index::read_lock(0), 1, false);
                        return Err(retry());
                    }
                    self.read_lock = 0;
                    return Ok(());
                }
                Err(e) if e.primary_code() == code::BUSY => {}
                Err(e) => return Err(e),
            }
        }
        let mut mx_frame = self.hdr.mx_frame;
        if let Some(snap) = &self.snapshot {
            mx_frame = mx_frame.min(snap.mx_frame);
        }
        let (mut mx_mark, mut mx_i) = (0u32, 0u32);
        for i in 1..NREADER {
            let m = index::read_mark(&r0, i);
            if mx_mark <= m && m <= mx_frame {
                mx_mark = m;
                mx_i = i;
            }
        }
        let mut rc_busy = false;
        if mx_mark < mx_frame || mx_i == 0 {
            for i in 1..NREADER {
                match self.lock(db, index::read_lock(i), 1, true) {
                    Ok(()) => {
                        index::set_read_mark(&r0, i, mx_frame);
                        mx_mark = mx_frame;
                        mx_i = i;
                        self.unlock(db, index::read_lock(i), 1, true);
                        rc_busy = false;
                        break;
                    }
                    Err(e) if e.primary_code() == code::BUSY => rc_busy = true,
                    Err(e) => return Err(e),
                }
            }
        }
        if mx_i == 0 {
            return Err(if rc_busy { retry() } else { Error::code(code::READONLY_CANTINIT) });
        }
        match self.lock(db, index::read_lock(mx_i), 1, false) {
            Ok(()) => {}
            Err(e) if e.primary_code() == code::BUSY => return Err(retry()),
            Err(e) => return Err(e),
        }
        self.min_frame = index::n_backfill(&r0).saturating_add(1);
        r0.barrier();
        if index::read_mark(&r0, mx_i) != mx_mark || index::live_hdr(&r0) != self.hdr {
            self.unlock(db, index::read_lock(mx_i), 1, false);
            return Err(retry());
        }
        self.read_lock = mx_i as i32;
        Ok(())
    }

    /// Ends the read transaction (and a write transaction, if any).
    pub fn end_read(&mut self, db: &mut dyn VfsFile) {
        self.end_write(db);
        if self.read_lock >= 0 {
            let l = self.read_lock as u32;
            self.unlock(db, index::read_lock(l), 1, false);
            self.read_lock = -1;
        }
    }

    /// The frame holding the snapshot's version of page `pgno`, if the
    /// log has one (SQLite's walFindFrame).
    pub fn find_frame(&mut self, db: &mut dyn VfsFile, pgno: u32) -> Result<Option<u32>> {
        let last = self.hdr.mx_frame;
        if last == 0 || (self.read_lock == 0 && !self.unreliable) {
            return Ok(None);
        }
        let min = self.min_frame.max(1);
        let lo = index::frame_page(min);
        let mut i = index::frame_page(last);
        loop {
            let r = self.region_must(db, i)?;
            if let Some(f) = index::find_in_table(&r, i, pgno, min, last)? {
                return Ok(Some(f));
            }
            if i <= lo {
                return Ok(None);
            }
            i -= 1;
        }
    }

    /// Reads the page image of frame `frame` into `buf` (page-sized).
    pub fn read_frame(&mut self, frame: u32, buf: &mut [u8]) -> Result<()> {
        let off = frame_offset(frame, self.hdr.page_size()) + FRAME_HDR_SIZE as u64;
        match self.file.read(buf, off) {
            Ok(()) => Ok(()),
            // The index promised a frame the log does not hold.
            Err(e) if e.extended_code() == code::IOERR_SHORT_READ => Err(Error::corrupt()),
            Err(e) => Err(e),
        }
    }

    /// Starts a write transaction: the WRITE lock, and the snapshot must
    /// be the latest (else BUSY_SNAPSHOT, as SQLite).
    pub fn begin_write(&mut self, db: &mut dyn VfsFile) -> Result<()> {
        if self.write_lock {
            return Ok(());
        }
        if self.unreliable {
            return Err(Error::code(code::READONLY));
        }
        if self.read_lock < 0 {
            return Err(Error::misuse());
        }
        self.lock(db, index::WRITE_LOCK, 1, true)?;
        self.write_lock = true;
        let r0 = self.region_must(db, 0)?;
        if index::live_hdr(&r0) != self.hdr {
            self.end_write(db);
            return Err(Error::code(code::BUSY_SNAPSHOT));
        }
        Ok(())
    }

    /// Releases the WRITE lock, if held.
    pub fn end_write(&mut self, db: &mut dyn VfsFile) {
        // Frames spilled by a transaction that did not commit are left in
        // the file past the last commit, where the next writer overwrites
        // them and a recovery stops before them.
        self.pending = None;
        if self.write_lock {
            self.write_lock = false;
            self.unlock(db, index::WRITE_LOCK, 1, true);
        }
    }

    /// SQLite's walRestartLog: before the first frame of a write, when a
    /// reader on READ0 finds the whole log checkpointed, the log starts
    /// over from frame 1 (new salts) if no reader is using it.
    fn restart_log(&mut self, db: &mut dyn VfsFile) -> Result<()> {
        if self.read_lock != 0 {
            return Ok(());
        }
        let r0 = self.region_must(db, 0)?;
        if index::n_backfill(&r0) > 0 {
            let mut salt1 = [0u8; 4];
            self.vfs.randomness(&mut salt1);
            match self.lock(db, index::read_lock(1), NREADER - 1, true) {
                Ok(()) => {
                    self.restart_hdr(&r0, salt1);
                    self.unlock(db, index::read_lock(1), NREADER - 1, true);
                }
                Err(e) if e.primary_code() == code::BUSY => {}
                Err(e) => return Err(e),
            }
        }
        self.unlock(db, index::read_lock(0), 1, false);
        self.read_lock = -1;
        let mut cnt = 0;
        let mut changed = false;
        loop {
            match self.try_begin_read(db, &mut changed, true, &mut cnt) {
                Ok(()) => return Ok(()),
                Err(e) if e.extended_code() == RETRY => continue,
                Err(e) => return Err(e),
            }
        }
    }

    /// SQLite's walRestartHdr: an empty log with salt-1 + 1 and a new
    /// salt-2, every read mark reset.
    fn restart_hdr(&mut self, r0: &ShmRegion, salt2: [u8; 4]) {
        self.n_ckpt = self.n_ckpt.wrapping_add(1);
        self.hdr.mx_frame = 0;
        let s1 = u32::from_be_bytes([self.hdr.salt[0], self.hdr.salt[1], self.hdr.salt[2], self.hdr.salt[3]]).wrapping_add(1);
        self.hdr.salt[..4].copy_from_slice(&s1.to_be_bytes());
        self.hdr.salt[4..].copy_from_slice(&salt2);
        index::write_hdr(r0, &mut self.hdr);
        index::set_n_backfill(r0, 0);
        index::set_n_backfill_attempted(r0, 0);
        index::set_read_mark(r0, 1, 0);
        for i in 2..NREADER {
            index::set_read_mark(r0, i, READMARK_NOT_USED);
        }
    }

    /// Detaches from the index; with `delete` (the last connection, which
    /// checkpointed everything) removes the `-shm` and `-wal` files.
    pub fn close(mut self, db: &mut dyn VfsFile, delete: bool) -> Result<()> {
        self.snapshot_unlock(db);
        self.end_read(db);
        self.regions.clear();
        let r = if self.heap { Ok(()) } else { db.shm_unmap(delete) };
        if delete {
            let path = self.path.clone();
            let vfs = self.vfs.clone();
            drop(self);
            match vfs.delete(&path, false) {
                Ok(()) => {}
                Err(e) if e.extended_code() == code::IOERR_DELETE_NOENT => {}
                Err(e) => return Err(e),
            }
        }
        r
    }

    /// After a complete checkpoint, before a persistent log is left on
    /// disk: a new header (next checkpoint sequence, new salts) so that
    /// none of its frames is valid any more. Whoever opens it next (a
    /// SQLite process included) finds an empty log, and the next writer
    /// writes its frames over the old ones from the start of the file.
    pub fn invalidate_frames(&mut self) -> Result<()> {
        let page_size = self.hdr.page_size();
        if page_size == 0 || self.hdr.mx_frame == 0 {
            return Ok(());
        }
        let mut salt = [0u8; 8];
        self.vfs.randomness(&mut salt);
        let wh = WalHeader::new(page_size, self.n_ckpt.wrapping_add(1), salt);
        self.file.write(&wh.encode(), 0)?;
        self.file.sync(crate::os::sync_flags::NORMAL)
    }

    /// The WAL file's size in bytes.
    pub fn file_size(&mut self) -> Result<u64> {
        self.file.file_size()
    }
}

#[cfg(test)]
mod tests;
