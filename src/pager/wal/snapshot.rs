//! Snapshots of a WAL database (SQLite's sqlite3_snapshot_* at the WAL
//! level: sqlite3WalSnapshotGet / Open / Check / Recover).
//!
//! A snapshot is the wal-index header a read transaction uses, as the 48
//! bytes SQLite's WalIndexHdr occupies (host byte order), so snapshots
//! mean the same to Ferrolite and to SQLite. Opening one is possible while
//! the log still holds every frame up to its mxFrame and no checkpoint
//! has tried to copy frames past it:
//!
//! - the log has not been restarted since (same salts), and
//! - nBackfillAttempted <= the snapshot's mxFrame.
//!
//! Both are checked under a shared CKPT lock, so a checkpointer cannot
//! decide to copy past the snapshot meanwhile; a reader on an older
//! snapshot reads frames from the log's first frame on (`min_frame` 1),
//! since a checkpoint may have left out a page's earlier frame because a
//! later one existed. `snapshot_recover` lowers nBackfillAttempted back
//! to the frames whose content the database file does not already hold.

use super::format::{frame_offset, FRAME_HDR_SIZE};
use super::index::{self, IndexHdr, HDR_SIZE};
use super::Wal;
use crate::error::{code, Error, Result};
use crate::os::VfsFile;

/// The bytes of a snapshot (sqlite3_snapshot).
pub type SnapshotBytes = [u8; HDR_SIZE];

impl Wal {
    /// The current read transaction's snapshot; SQLITE_ERROR when the
    /// log has never been written (SQLite's sqlite3WalSnapshotGet).
    pub fn snapshot_get(&self) -> Result<SnapshotBytes> {
        if self.read_lock < 0 || self.write_lock {
            return Err(Error::misuse());
        }
        if self.hdr.frame_cksum == [0, 0] && self.hdr.salt == [0; 8] {
            return Err(Error::code(code::ERROR));
        }
        Ok(self.hdr.to_bytes())
    }

    /// What the next read transaction opens: `Some` a snapshot, `None`
    /// the newest state; `get`: the next read transaction is
    /// sqlite3_snapshot_get's (SQLite's sqlite3WalSnapshotOpen).
    pub fn set_snapshot(&mut self, snap: Option<&SnapshotBytes>, get: bool) {
        self.snapshot = snap.map(IndexHdr::from_bytes);
        self.get_snapshot = get && snap.is_none();
    }

    /// True when `snap` can still be opened; on success a shared CKPT lock
    /// is kept until `snapshot_unlock` (or the next read transaction's
    /// start) so that it stays so. SQLITE_ERROR_SNAPSHOT when it cannot,
    /// SQLITE_BUSY when a checkpoint runs (SQLite's sqlite3WalSnapshotCheck).
    pub fn snapshot_check(&mut self, db: &mut dyn VfsFile, snap: &SnapshotBytes) -> Result<()> {
        let snap = IndexHdr::from_bytes(snap);
        if !self.snapshot_lock {
            self.lock(db, index::CKPT_LOCK, 1, false)?;
            self.snapshot_lock = true;
        }
        let r0 = match self.region_must(db, 0) {
            Ok(r) => r,
            Err(e) => {
                self.snapshot_unlock(db);
                return Err(e);
            }
        };
        if snap.salt != self.hdr.salt || snap.mx_frame < index::n_backfill_attempted(&r0) {
            self.snapshot_unlock(db);
            return Err(Error::code(code::ERROR_SNAPSHOT));
        }
        Ok(())
    }

    /// Releases the shared CKPT lock of `snapshot_check`, if held.
    pub fn snapshot_unlock(&mut self, db: &mut dyn VfsFile) {
        if std::mem::take(&mut self.snapshot_lock) {
            self.unlock(db, index::CKPT_LOCK, 1, false);
        }
    }

    /// The end of `begin_read` for a snapshot older than the newest
    /// state (SQLite's walBeginReadTransaction): the read lock taken is
    /// at or below the snapshot; it is adopted if still complete in the
    /// log, else SQLITE_ERROR_SNAPSHOT and no read transaction.
    pub(super) fn open_snapshot(&mut self, db: &mut dyn VfsFile, snap: IndexHdr) -> Result<()> {
        let r0 = self.region_must(db, 0)?;
        let ok = snap.salt == self.hdr.salt && snap.mx_frame >= index::n_backfill_attempted(&r0);
        self.min_frame = 1;
        if !ok {
            self.end_read(db);
            return Err(Error::code(code::ERROR_SNAPSHOT));
        }
        self.hdr = snap;
        Ok(())
    }

    /// sqlite3_snapshot_recover at the WAL level (SQLite's
    /// sqlite3WalSnapshotRecover): under the CKPT lock, walks back from
    /// nBackfillAttempted over frames not known to be copied and lowers it
    /// past each frame whose page the database file does not hold as the
    /// frame has it. A read transaction must be open.
    pub fn snapshot_recover(&mut self, db: &mut dyn VfsFile) -> Result<()> {
        if self.read_lock < 0 {
            return Err(Error::misuse());
        }
        self.lock(db, index::CKPT_LOCK, 1, true)?;
        self.ckpt_lock = true;
        let r = self.snapshot_recover_locked(db);
        self.ckpt_lock = false;
        self.unlock(db, index::CKPT_LOCK, 1, true);
        r
    }

    fn snapshot_recover_locked(&mut self, db: &mut dyn VfsFile) -> Result<()> {
        let ps = self.hdr.page_size();
        let size = db.file_size()?;
        let r0 = self.region_must(db, 0)?;
        if ps == 0 {
            return Ok(());
        }
        let mut in_log = vec![0u8; ps as usize];
        let mut in_db = vec![0u8; ps as usize];
        let mut i = index::n_backfill_attempted(&r0);
        while i > index::n_backfill(&r0) {
            let r = self.region_must(db, index::frame_page(i))?;
            let pgno = index::frame_pgno(&r, i);
            if pgno == 0 {
                return Err(Error::corrupt());
            }
            let db_off = u64::from(pgno - 1) * u64::from(ps);
            if db_off + u64::from(ps) <= size {
                self.file.read(&mut in_log, frame_offset(i, ps) + FRAME_HDR_SIZE as u64)?;
                db.read(&mut in_db, db_off)?;
                if in_log == in_db {
                    break;
                }
            }
            index::set_n_backfill_attempted(&r0, i - 1);
            i -= 1;
        }
        Ok(())
    }
}
