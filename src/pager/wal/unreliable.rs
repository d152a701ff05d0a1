//! Reading a WAL database whose `-shm` file cannot be written (a read-only
//! file system, or no write permission on it). With no other process
//! attached to it the shared index cannot be trusted, so the connection
//! builds a private one from the log (SQLite's "unreliable shm" mode,
//! walBeginShmUnreliable). With one attached (a writer that may write it),
//! the index is trusted but cannot be mapped writable: the connection
//! reads copies of its header and still reads pages through a private
//! index of the log.
//!
//! - The VFS says so by failing `shm_map` with SQLITE_READONLY_CANTINIT.
//!   The index is then recovered from the log into heap regions, and kept
//!   from one read transaction to the next while the log still matches
//!   it: same salts, and no commit frame written past its end (else it is
//!   rebuilt and the page cache dropped).
//! - Each read transaction holds a shared READ0 lock on the `-shm` file,
//!   which keeps a checkpointer of another process from copying frames
//!   into the database under it (it copies under READ0 held exclusively).
//!   With another process attached: when the shared index says every
//!   frame is in the database, the transaction reads the database file
//!   alone (a writer may start the log over meanwhile); otherwise a frame
//!   not copied keeps the log from starting over (a restart needs every
//!   frame copied), so the private index of the log stays right for the
//!   whole transaction. The page cache is dropped at each transaction.
//! - Nothing is written: no write transaction, no checkpoint (SQLITE_READONLY).
//!
//! Invariants: `unreliable` is set from the first such read on and the
//! regions are then heap memory; the only shm lock taken is READ0 shared,
//! held exactly while `read_lock == 0` in this mode.

use super::format::{self, frame_offset, WalHeader, FRAME_HDR_SIZE, WAL_HDR_SIZE};
use super::index::{self, IndexHdr};
use super::{lock_flags, Wal};
use crate::error::{code, Error, Result};
use crate::os::VfsFile;

impl Wal {
    /// Whether `e` (from mapping the index) means "build a private index".
    pub(super) fn shm_cantinit(e: &Error) -> bool {
        e.extended_code() == code::READONLY_CANTINIT
    }

    /// A read transaction on a private index (see the module comment).
    /// Returns whether the snapshot may differ from the previous one.
    pub(super) fn begin_read_unreliable(&mut self, db: &mut dyn VfsFile) -> Result<bool> {
        db.shm_lock(index::read_lock(0), 1, lock_flags(false, true))?;
        let r = self.load_private_index(db);
        match r {
            Ok(changed) => {
                self.read_lock = 0;
                self.min_frame = 1;
                Ok(changed)
            }
            Err(e) => {
                let _ = db.shm_lock(index::read_lock(0), 1, lock_flags(false, false));
                Err(e)
            }
        }
    }

    fn load_private_index(&mut self, db: &mut dyn VfsFile) -> Result<bool> {
        let live = match db.shm_map(0, false) {
            Err(e) if Self::shm_cantinit(&e) => false,
            // Another process is attached: its index is kept up to date,
            // and is read through copies.
            Err(e) if e.extended_code() == code::READONLY => true,
            Err(e) => return Err(e),
            // A VFS must keep saying so once it has.
            Ok(_) => return Err(Error::code(code::PROTOCOL)),
        };
        if live && self.log_all_in_database(db)? {
            // Everything the log holds is in the database file, and READ0
            // keeps it there: the log is not read (a writer may even start
            // it over meanwhile).
            self.unreliable = true;
            self.regions.clear();
            self.hdr = IndexHdr::default();
            return Ok(true);
        }
        // With another process attached, a frame not yet copied into the
        // database keeps the log from starting over while READ0 is held
        // (a restart needs every frame copied, which READ0 prevents).
        if self.unreliable && self.private_index_current()? {
            return Ok(live);
        }
        self.unreliable = true;
        self.regions.clear();
        // The regions are private: nobody else to exclude.
        self.write_lock = true;
        let r = self.recover_locked(db);
        self.write_lock = false;
        r?;
        Ok(true)
    }

    /// Whether the shared index (read through a copy) says that every
    /// frame of the log is in the database file. A header caught half
    /// written is read again; SQLITE_BUSY if it stays so.
    fn log_all_in_database(&mut self, db: &mut dyn VfsFile) -> Result<bool> {
        for _ in 0..100 {
            let Some(r0) = db.shm_read_copy(0)? else { return Ok(false) };
            if let Some(h) = index::read_hdr(&r0) {
                return Ok(index::n_backfill(&r0) >= h.mx_frame);
            }
            std::thread::yield_now();
        }
        Err(Error::code(code::BUSY))
    }

    /// Whether the log still holds what the private index was built from:
    /// the same salts, and no complete transaction appended past it.
    fn private_index_current(&mut self) -> Result<bool> {
        let size = self.file.file_size()?;
        if size < WAL_HDR_SIZE as u64 {
            return Ok(false);
        }
        let mut hb = [0u8; WAL_HDR_SIZE];
        self.file.read(&mut hb, 0)?;
        let Some(wh) = WalHeader::decode(&hb) else { return Ok(self.hdr.mx_frame == 0) };
        if self.hdr.salt != wh.salt {
            return Ok(false);
        }
        let seed = if self.hdr.mx_frame == 0 { wh.cksum } else { self.hdr.frame_cksum };
        Ok(!self.commit_after(&wh, self.hdr.mx_frame, seed, size)?)
    }

    /// Whether a valid commit frame follows frame `last` (checksums
    /// chained on from `cksum`).
    fn commit_after(&mut self, wh: &WalHeader, last: u32, mut cksum: [u32; 2], size: u64) -> Result<bool> {
        let ps = wh.page_size;
        let mut buf = vec![0u8; FRAME_HDR_SIZE + ps as usize];
        let mut frame = last + 1;
        while frame_offset(frame + 1, ps) <= size {
            self.file.read(&mut buf, frame_offset(frame, ps))?;
            let (fh, data) = buf.split_at(FRAME_HDR_SIZE);
            let Some(f) = format::decode_frame(wh.big_endian, &wh.salt, cksum, fh, data) else { return Ok(false) };
            if f.commit_size != 0 {
                return Ok(true);
            }
            cksum = f.cksum;
            frame += 1;
        }
        Ok(false)
    }
}
