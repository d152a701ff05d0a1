//! Reading a WAL database whose `-shm` file cannot be written (a read-only
//! file system, or no write permission on it) when no other process is
//! attached to it: the shared index cannot be trusted, so the connection
//! builds a private one from the log (SQLite's "unreliable shm" mode,
//! walBeginShmUnreliable).
//!
//! - The VFS says so by failing `shm_map` with SQLITE_READONLY_CANTINIT.
//!   The index is then recovered from the log into heap regions, and kept
//!   from one read transaction to the next while the log still matches
//!   it: same salts, and no commit frame written past its end (else it is
//!   rebuilt and the page cache dropped).
//! - Each read transaction holds a shared READ0 lock on the `-shm` file,
//!   which keeps a checkpointer of another process from copying frames
//!   into the database under it, and checks again that no process has
//!   attached since (one that has makes the shared index the one to use,
//!   which Ferrolite does not do read-only: an error says so).
//! - Nothing is written: no write transaction, no checkpoint (SQLITE_READONLY).
//!
//! Invariants: `unreliable` is set from the first such read on and the
//! regions are then heap memory; the only shm lock taken is READ0 shared,
//! held exactly while `read_lock == 0` in this mode.

use super::format::{self, frame_offset, WalHeader, FRAME_HDR_SIZE, WAL_HDR_SIZE};
use super::{index, lock_flags, Wal};
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
        match db.shm_map(0, false) {
            Err(e) if Self::shm_cantinit(&e) => {}
            Err(e) => return Err(e),
            // A VFS must keep saying so once it has.
            Ok(_) => return Err(Error::code(code::PROTOCOL)),
        }
        if self.unreliable && self.private_index_current()? {
            return Ok(false);
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
