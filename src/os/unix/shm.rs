//! The unix VFS's shared memory: the `<database>-shm` file mapped in
//! 32 KiB regions, and the WAL locks as POSIX byte locks on it, in the
//! layout of SQLite's unix VFS so SQLite processes and Ferrolite processes
//! share one wal-index live.
//!
//! - Lock `i` (0 WRITE, 1 CKPT, 2 RECOVER, 3..=7 READ0..4) is the byte at
//!   offset 120 + i of the `-shm` file: F_RDLCK for shared, F_WRLCK for
//!   exclusive.
//! - Byte 128 is the DMS ("dead man switch"): every process attached holds
//!   it shared. The first process in (no lock on it at all) takes it
//!   exclusively, truncates the file to 3 bytes (a stale index is never
//!   trusted) and downgrades; while another process holds it exclusively
//!   the attach fails with BUSY.
//! - Within one process, all connections on one database inode share one
//!   `ShmNode` (one descriptor, one set of mappings, one `ShmLocks`), hung
//!   from the inode's `InodeInfo` as the database-file locks are: POSIX
//!   locks belong to the process, so connections are arbitrated here.
//!   The node goes (descriptor closed, mappings dropped once no region
//!   handle remains) when its last connection detaches.
//! - A `-shm` that cannot be opened read-write is opened read-only, as
//!   SQLite does; such a node never maps (SQLITE_READONLY_CANTINIT when
//!   no other process is attached: the WAL builds a private index;
//!   SQLITE_READONLY when one is: the WAL reads copies of the index,
//!   `read_copy`) and takes shared locks only.

use std::fs::{File, OpenOptions};
use std::os::unix::fs::{FileExt, OpenOptionsExt, PermissionsExt};
use std::os::unix::io::AsRawFd;
use std::sync::Arc;

use parking_lot::Mutex;

use super::{lock_error, posix_lock, posix_lock_kind, UnixFile};
use crate::error::{code, Error, Result};
use crate::os::shm::{Backing, ShmLocks, SysLock, SHM_DMS, SHM_LOCK_BASE, SHM_REGION_SIZE};
use crate::os::ShmRegion;

/// The process-wide state of one `-shm` file.
pub(super) struct ShmNode {
    file: File,
    path: String,
    regions: Vec<ShmRegion>,
    locks: ShmLocks,
    /// Connections attached.
    n_ref: u32,
    /// Opened read-only: nothing is mapped (SQLITE_READONLY_CANTINIT:
    /// the WAL builds a private index from the log) and only shared
    /// locks are taken.
    readonly: bool,
}

impl ShmNode {
    /// Opens `path` and takes the DMS lock as SQLite does. A file that
    /// cannot be opened for writing (permissions, a read-only file system)
    /// is opened read-only, as SQLite does: such a node maps nothing (see
    /// `map`) and takes shared locks only.
    fn open(path: &str, mode: u32) -> Result<ShmNode> {
        let os_path = crate::os::fsname::to_path(path);
        let file = OpenOptions::new().read(true).write(true).create(true).mode(mode).custom_flags(libc::O_NOFOLLOW).open(&os_path);
        let (file, readonly) = match file {
            Ok(f) => (f, false),
            Err(_) => match OpenOptions::new().read(true).custom_flags(libc::O_NOFOLLOW).open(&os_path) {
                Ok(f) => (f, true),
                Err(_) => return Err(Error::code(code::CANTOPEN)),
            },
        };
        let node = ShmNode { file, path: path.to_string(), regions: Vec::new(), locks: ShmLocks::default(), n_ref: 0, readonly };
        if !readonly {
            node.lock_dms()?;
        }
        Ok(node)
    }

    /// Whether another process holds the DMS lock (is attached), for a
    /// read-only node.
    fn dms_held_elsewhere(&self) -> Result<bool> {
        let kind = posix_lock_kind(self.file.as_raw_fd(), SHM_DMS, 1).map_err(|()| Error::code(code::IOERR_LOCK))?;
        Ok(kind != libc::F_UNLCK)
    }

    fn lock_dms(&self) -> Result<()> {
        let fd = self.file.as_raw_fd();
        let kind = posix_lock_kind(fd, SHM_DMS, 1).map_err(|()| Error::code(code::IOERR_LOCK))?;
        if kind == libc::F_UNLCK {
            // First process in: nothing in the file can be trusted.
            posix_lock(fd, libc::F_WRLCK, SHM_DMS, 1).map_err(|e| lock_error(e, code::IOERR_SHMLOCK))?;
            self.file.set_len(3).map_err(|_| Error::code(code::IOERR_SHMOPEN))?;
        } else if kind == libc::F_WRLCK {
            return Err(Error::code(code::BUSY));
        }
        posix_lock(fd, libc::F_RDLCK, SHM_DMS, 1).map_err(|e| lock_error(e, code::IOERR_SHMLOCK))
    }

    /// Region `region`, mapping (and with `extend`, allocating) it.
    fn map(&mut self, region: u32, extend: bool) -> Result<Option<ShmRegion>> {
        if self.readonly {
            // As SQLite: with no other process attached, the file's
            // content cannot be trusted (SQLITE_READONLY_CANTINIT); with
            // one, it is (SQLITE_READONLY), and the WAL reads copies of it
            // (`read_copy`): a read-only mapping would fault on a write.
            return Err(Error::code(if self.dms_held_elsewhere()? { code::READONLY } else { code::READONLY_CANTINIT }));
        }
        let want = region as usize + 1;
        if self.regions.len() < want {
            let need = (want * SHM_REGION_SIZE) as u64;
            let size = self.file.metadata().map_err(|_| Error::code(code::IOERR_SHMSIZE))?.len();
            if size < need {
                if !extend {
                    return Ok(self.regions.get(region as usize).cloned());
                }
                // As SQLite: one byte at the end of each 4 KiB page, so the
                // file system allocates the blocks now rather than on a
                // page fault (where a full disk would be a SIGBUS).
                const PG: u64 = 4096;
                for pg in size / PG..need / PG {
                    self.file.write_all_at(&[0], pg * PG + PG - 1).map_err(|_| Error::code(code::IOERR_SHMSIZE))?;
                }
            }
            while self.regions.len() < want {
                let off = (self.regions.len() * SHM_REGION_SIZE) as u64;
                let m = memmap2::MmapOptions::new()
                    .offset(off)
                    .len(SHM_REGION_SIZE)
                    .map_raw(&self.file)
                    .map_err(|_| Error::code(code::IOERR_SHMMAP))?;
                if m.len() != SHM_REGION_SIZE {
                    return Err(Error::code(code::IOERR_SHMMAP));
                }
                self.regions.push(ShmRegion::from_backing(Backing::Map(m)));
            }
        }
        Ok(self.regions.get(region as usize).cloned())
    }

    /// A heap copy of region `region` as the file holds it now.
    fn read_copy(&self, region: u32) -> Result<Option<ShmRegion>> {
        let off = region as u64 * SHM_REGION_SIZE as u64;
        let size = self.file.metadata().map_err(|_| Error::code(code::IOERR_SHMSIZE))?.len();
        if size < off + SHM_REGION_SIZE as u64 {
            return Ok(None);
        }
        let mut buf = vec![0u8; SHM_REGION_SIZE];
        self.file.read_exact_at(&mut buf, off).map_err(|_| Error::code(code::IOERR_SHMMAP))?;
        let r = ShmRegion::heap();
        r.write(0, &buf);
        Ok(Some(r))
    }

    fn sys_lock(fd: i32, kind: SysLock, ofst: u32, n: u32) -> Result<()> {
        let t = match kind {
            SysLock::Unlock => libc::F_UNLCK,
            SysLock::Read => libc::F_RDLCK,
            SysLock::Write => libc::F_WRLCK,
        };
        posix_lock(fd, t, SHM_LOCK_BASE + ofst as u64, n as u64).map_err(|e| lock_error(e, code::IOERR_SHMLOCK))
    }
}

impl UnixFile {
    /// The shm node of this database's inode, attaching to it (and
    /// creating it for the process) on first use.
    fn shm_node(&mut self) -> Result<Arc<Mutex<ShmNode>>> {
        if let Some(n) = &self.shm {
            return Ok(n.clone());
        }
        let inode = self.inode.clone();
        let mut info = inode.lock();
        let node = match &info.shm {
            Some(n) => n.clone(),
            None => {
                let mode = self.f()?.metadata().map(|m| m.permissions().mode() & 0o777).unwrap_or(0o644);
                let n = Arc::new(Mutex::new(ShmNode::open(&format!("{}-shm", self.path), mode)?));
                info.shm = Some(n.clone());
                n
            }
        };
        node.lock().n_ref += 1;
        self.shm = Some(node.clone());
        Ok(node)
    }

    pub(super) fn shm_map_impl(&mut self, region: u32, extend: bool) -> Result<Option<ShmRegion>> {
        let node = self.shm_node()?;
        let mut n = node.lock();
        n.map(region, extend)
    }

    pub(super) fn shm_read_copy_impl(&mut self, region: u32) -> Result<Option<ShmRegion>> {
        let node = self.shm_node()?;
        let n = node.lock();
        n.read_copy(region)
    }

    pub(super) fn shm_lock_impl(&mut self, ofst: u32, n: u32, flags: u32) -> Result<()> {
        let Some(node) = self.shm.clone() else { return Err(Error::code(code::IOERR_SHMLOCK)) };
        let mut nd = node.lock();
        if nd.readonly && flags & crate::os::shm_flags::EXCLUSIVE != 0 && flags & crate::os::shm_flags::LOCK != 0 {
            return Err(Error::code(code::READONLY_CANTLOCK));
        }
        let fd = nd.file.as_raw_fd();
        nd.locks.apply(&mut self.shm_masks, ofst, n, flags, |k, o, c| ShmNode::sys_lock(fd, k, o, c))
    }

    pub(super) fn shm_unmap_impl(&mut self, delete: bool) -> Result<()> {
        let Some(node) = self.shm.take() else { return Ok(()) };
        let inode = self.inode.clone();
        let mut info = inode.lock();
        let mut nd = node.lock();
        let fd = nd.file.as_raw_fd();
        nd.locks.release_all(&mut self.shm_masks, |k, o, c| ShmNode::sys_lock(fd, k, o, c));
        nd.n_ref = nd.n_ref.saturating_sub(1);
        if nd.n_ref == 0 {
            if delete && !nd.readonly {
                let _ = std::fs::remove_file(crate::os::fsname::to_path(&nd.path));
            }
            drop(nd);
            // Dropping the node closes the descriptor (and with it the
            // process's DMS lock); region handles still held keep their
            // mappings until they go.
            info.shm = None;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::error::code;
    use crate::os::{shm_flags::*, OpenFlags, UnixVfs, Vfs};

    fn tmp(name: &str) -> String {
        let d = std::env::temp_dir().join(format!("ferrolite-shm-{}-{}", std::process::id(), name));
        let _ = std::fs::remove_file(&d);
        let _ = std::fs::remove_file(format!("{}-shm", d.display()));
        d.to_string_lossy().into_owned()
    }

    #[test]
    fn regions_are_shared_between_connections() {
        let vfs = UnixVfs;
        let p = tmp("share");
        let fl = OpenFlags::READWRITE | OpenFlags::CREATE;
        let mut a = vfs.open(Some(&p), fl).unwrap();
        let mut b = vfs.open(Some(&p), fl).unwrap();
        assert!(a.shm_map(0, false).unwrap().is_none());
        let ra = a.shm_map(0, true).unwrap().unwrap();
        let rb = b.shm_map(0, false).unwrap().unwrap();
        assert!(ra.same(&rb));
        ra.set_u32(48, 77);
        assert_eq!(rb.get_u32(48), 77);
        let r2 = b.shm_map(2, true).unwrap().unwrap();
        r2.set_u32(0, 5);
        assert_eq!(std::fs::metadata(format!("{p}-shm")).unwrap().len(), 3 * 32768);
        // The mapping is the file: another mapping of it sees the value.
        let f = std::fs::File::open(format!("{p}-shm")).unwrap();
        let mut w = [0u8; 4];
        std::os::unix::fs::FileExt::read_exact_at(&f, &mut w, 48).unwrap();
        assert_eq!(u32::from_ne_bytes(w), 77);
        // Locks: exclusive WRITE in a excludes b; readers share.
        a.shm_lock(0, 1, LOCK | EXCLUSIVE).unwrap();
        assert_eq!(b.shm_lock(0, 1, LOCK | EXCLUSIVE).unwrap_err().primary_code(), code::BUSY);
        a.shm_lock(3, 1, LOCK | SHARED).unwrap();
        b.shm_lock(3, 1, LOCK | SHARED).unwrap();
        a.shm_lock(0, 1, UNLOCK | EXCLUSIVE).unwrap();
        b.shm_lock(0, 1, LOCK | EXCLUSIVE).unwrap();
        a.shm_unmap(false).unwrap();
        // a's locks went with it; b's stay.
        assert!(std::path::Path::new(&format!("{p}-shm")).exists());
        b.shm_unmap(true).unwrap();
        assert!(!std::path::Path::new(&format!("{p}-shm")).exists());
        // The region handle outlives the unmap safely.
        assert_eq!(ra.get_u32(48), 77);
        drop(a);
        drop(b);
        let _ = std::fs::remove_file(&p);
    }

    #[test]
    fn first_attach_resets_the_file() {
        let vfs = UnixVfs;
        let p = tmp("dms");
        let fl = OpenFlags::READWRITE | OpenFlags::CREATE;
        std::fs::write(format!("{p}-shm"), vec![0xabu8; 32768]).unwrap();
        let mut a = vfs.open(Some(&p), fl).unwrap();
        // Stale content is dropped: the file is cut to 3 bytes.
        assert!(a.shm_map(0, false).unwrap().is_none());
        assert_eq!(std::fs::metadata(format!("{p}-shm")).unwrap().len(), 3);
        let r = a.shm_map(0, true).unwrap().unwrap();
        assert_eq!(r.get_u32(4), 0);
        drop(a);
        let _ = std::fs::remove_file(&p);
        let _ = std::fs::remove_file(format!("{p}-shm"));
    }
}
