//! Tests of the WAL layer on real files: commits and snapshots between
//! connections, recovery of a log left behind, checkpoints, and logs
//! written by SQLite (through Python's sqlite3 module, when present).

use std::sync::Arc;

use super::checkpoint::CheckpointMode;
use super::{Wal, WalSync};
use crate::error::code;
use crate::os::{OpenFlags, UnixVfs, Vfs, VfsFile};

const PS: u32 = 1024;

fn tmp(name: &str) -> String {
    let d = std::env::temp_dir().join(format!("ferrolite-wal-{}-{}", std::process::id(), name));
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", d.display()));
    }
    d.to_string_lossy().into_owned()
}

fn cleanup(p: &str) {
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{p}{suffix}"));
    }
}

struct Conn {
    db: Box<dyn VfsFile>,
    wal: Wal,
}

fn conn(vfs: &Arc<dyn Vfs>, p: &str) -> Conn {
    let db = vfs.open(Some(p), OpenFlags::READWRITE | OpenFlags::CREATE | OpenFlags::MAIN_DB).unwrap();
    let mut wal = Wal::open(vfs.clone(), p, false, false).unwrap();
    // The file as SQLite lays it out, ending at the last frame (the
    // growth ahead of the frames is tested in tests/wal_grow.rs).
    wal.set_grow_max(0);
    Conn { db, wal }
}

fn page(fill: u8) -> Vec<u8> {
    vec![fill; PS as usize]
}

const FULL: WalSync = WalSync { commit: 2, ckpt: 2 };

impl Conn {
    fn commit(&mut self, pages: &[(u32, u8)], size: u32) -> crate::error::Result<()> {
        let imgs: Vec<(u32, Vec<u8>)> = pages.iter().map(|&(p, f)| (p, page(f))).collect();
        let refs: Vec<(u32, &[u8])> = imgs.iter().map(|(p, d)| (*p, &d[..])).collect();
        self.wal.begin_read(self.db.as_mut())?;
        self.wal.begin_write(self.db.as_mut())?;
        let r = self.wal.commit_frames(self.db.as_mut(), PS, &refs, size, FULL);
        self.wal.end_read(self.db.as_mut());
        r
    }

    /// Page `pgno`'s first byte as a reader sees it (0: not in the log).
    fn read(&mut self, pgno: u32) -> u8 {
        match self.wal.find_frame(self.db.as_mut(), pgno).unwrap() {
            Some(f) => {
                let mut b = page(0);
                self.wal.read_frame(f, &mut b).unwrap();
                b[0]
            }
            None => 0,
        }
    }
}

#[test]
fn commits_are_seen_by_other_connections_and_snapshots_hold() {
    let vfs: Arc<dyn Vfs> = Arc::new(UnixVfs);
    let p = tmp("snap");
    let mut a = conn(&vfs, &p);
    let mut b = conn(&vfs, &p);
    a.commit(&[(1, 10), (2, 20)], 2).unwrap();
    assert!(b.wal.begin_read(b.db.as_mut()).unwrap());
    assert_eq!((b.read(1), b.read(2), b.read(3)), (10, 20, 0));
    assert_eq!(b.wal.db_size(), 2);
    // a commits again; b's snapshot does not move.
    a.commit(&[(2, 21), (3, 30)], 3).unwrap();
    assert_eq!((b.read(2), b.read(3)), (20, 0));
    // b cannot write on its stale snapshot.
    let e = b.wal.begin_write(b.db.as_mut()).unwrap_err();
    assert_eq!(e.extended_code(), code::BUSY_SNAPSHOT);
    b.wal.end_read(b.db.as_mut());
    assert!(b.wal.begin_read(b.db.as_mut()).unwrap());
    assert_eq!((b.read(2), b.read(3), b.wal.db_size()), (21, 30, 3));
    // Only one writer at a time.
    b.wal.begin_write(b.db.as_mut()).unwrap();
    a.wal.begin_read(a.db.as_mut()).unwrap();
    assert_eq!(a.wal.begin_write(a.db.as_mut()).unwrap_err().primary_code(), code::BUSY);
    a.wal.end_read(a.db.as_mut());
    b.wal.end_read(b.db.as_mut());
    drop((a, b));
    cleanup(&p);
}

#[test]
fn recovery_rebuilds_the_index_up_to_the_last_valid_commit() {
    let vfs: Arc<dyn Vfs> = Arc::new(UnixVfs);
    let p = tmp("recover");
    {
        let mut a = conn(&vfs, &p);
        a.commit(&[(1, 1), (2, 2)], 2).unwrap();
        a.commit(&[(2, 3)], 2).unwrap();
        a.commit(&[(3, 4), (4, 5)], 4).unwrap();
        // Closed without a checkpoint, as a killed process leaves it.
        a.wal.close(a.db.as_mut(), false).unwrap();
    }
    assert!(std::fs::metadata(format!("{p}-wal")).unwrap().len() > 0);
    let mut b = conn(&vfs, &p);
    assert!(b.wal.begin_read(b.db.as_mut()).unwrap());
    assert_eq!((b.read(1), b.read(2), b.read(3), b.read(4)), (1, 3, 4, 5));
    assert_eq!(b.wal.mx_frame(), 5);
    b.wal.end_read(b.db.as_mut());
    b.wal.close(b.db.as_mut(), false).unwrap();
    // Damage the last frame: the last commit is lost, the others stay.
    let w = format!("{p}-wal");
    let mut bytes = std::fs::read(&w).unwrap();
    let n = bytes.len();
    bytes[n - 10] ^= 0xff;
    std::fs::write(&w, &bytes).unwrap();
    let mut c = conn(&vfs, &p);
    c.wal.begin_read(c.db.as_mut()).unwrap();
    assert_eq!(c.wal.mx_frame(), 3);
    assert_eq!((c.read(2), c.read(3), c.wal.db_size()), (3, 0, 2));
    c.wal.end_read(c.db.as_mut());
    // A new commit goes after frame 3 and chains its checksum from it.
    c.commit(&[(3, 9)], 3).unwrap();
    c.wal.close(c.db.as_mut(), false).unwrap();
    let mut d = conn(&vfs, &p);
    d.wal.begin_read(d.db.as_mut()).unwrap();
    assert_eq!((d.wal.mx_frame(), d.read(3), d.read(2)), (4, 9, 3));
    d.wal.end_read(d.db.as_mut());
    drop(d);
    // Garbage for a log: nothing in it.
    std::fs::write(&w, vec![7u8; 5000]).unwrap();
    let mut e = conn(&vfs, &p);
    e.wal.begin_read(e.db.as_mut()).unwrap();
    assert_eq!(e.wal.mx_frame(), 0);
    e.wal.end_read(e.db.as_mut());
    drop(e);
    cleanup(&p);
}

#[test]
fn checkpoints_respect_readers_and_restart_the_log() {
    let vfs: Arc<dyn Vfs> = Arc::new(UnixVfs);
    let p = tmp("ckpt");
    let mut a = conn(&vfs, &p);
    let mut r = conn(&vfs, &p);
    a.commit(&[(1, 1), (2, 2)], 2).unwrap();
    r.wal.begin_read(r.db.as_mut()).unwrap();
    a.commit(&[(2, 22), (3, 33)], 3).unwrap();
    // The reader pins frames 1..2: a passive checkpoint copies only those.
    let res = a.wal.checkpoint(a.db.as_mut(), CheckpointMode::Passive, None, FULL).unwrap();
    assert_eq!((res.busy, res.log, res.ckpt), (false, 4, 2));
    let db = std::fs::read(&p).unwrap();
    assert_eq!((db.len(), db[0], db[PS as usize]), (2 * PS as usize, 1, 2));
    // FULL cannot finish while the reader is there.
    let res = a.wal.checkpoint(a.db.as_mut(), CheckpointMode::Full, None, FULL).unwrap();
    assert!(res.busy);
    assert_eq!(r.read(2), 2);
    r.wal.end_read(r.db.as_mut());
    let res = a.wal.checkpoint(a.db.as_mut(), CheckpointMode::Truncate, None, FULL).unwrap();
    assert_eq!((res.busy, res.log, res.ckpt), (false, 0, 0));
    assert_eq!(std::fs::metadata(format!("{p}-wal")).unwrap().len(), 0);
    let db = std::fs::read(&p).unwrap();
    assert_eq!((db.len(), db[PS as usize], db[2 * PS as usize]), (3 * PS as usize, 22, 33));
    // Everything is in the database: a reader uses READ0 and no frame.
    r.wal.begin_read(r.db.as_mut()).unwrap();
    assert_eq!(r.read(2), 0);
    r.wal.end_read(r.db.as_mut());
    // The log starts over and works as before.
    a.commit(&[(1, 5)], 3).unwrap();
    r.wal.begin_read(r.db.as_mut()).unwrap();
    assert_eq!((r.read(1), r.wal.mx_frame()), (5, 1));
    r.wal.end_read(r.db.as_mut());
    // A passive checkpoint of it, then the next writer restarts the log
    // (new salts) because every frame is in the database.
    let res = a.wal.checkpoint(a.db.as_mut(), CheckpointMode::Passive, None, FULL).unwrap();
    assert_eq!((res.log, res.ckpt), (1, 1));
    a.commit(&[(2, 6)], 3).unwrap();
    r.wal.begin_read(r.db.as_mut()).unwrap();
    assert_eq!((r.read(2), r.read(1), r.wal.mx_frame()), (6, 0, 1));
    r.wal.end_read(r.db.as_mut());
    drop((a, r));
    cleanup(&p);
}

#[test]
fn many_frames_span_several_hash_tables() {
    let vfs: Arc<dyn Vfs> = Arc::new(UnixVfs);
    let p = tmp("big");
    let mut a = conn(&vfs, &p);
    let n = 9000u32;
    let pages: Vec<(u32, u8)> = (1..=n).map(|i| (i, (i % 251) as u8)).collect();
    for chunk in pages.chunks(1500) {
        a.commit(chunk, chunk.last().map(|x| x.0).unwrap_or(0)).unwrap();
    }
    a.wal.close(a.db.as_mut(), false).unwrap();
    let mut b = conn(&vfs, &p);
    b.wal.begin_read(b.db.as_mut()).unwrap();
    assert_eq!(b.wal.mx_frame(), n);
    for i in [1, 4062, 4063, 8158, 8159, 9000] {
        assert_eq!(b.read(i), (i % 251) as u8, "page {i}");
    }
    b.wal.end_read(b.db.as_mut());
    let res = b.wal.checkpoint(b.db.as_mut(), CheckpointMode::Passive, None, FULL).unwrap();
    assert_eq!((res.log, res.ckpt), (n as i64, n as i64));
    let db = std::fs::read(&p).unwrap();
    assert_eq!(db[(8999 * PS) as usize], (9000 % 251) as u8);
    drop(b);
    cleanup(&p);
}

/// Runs Python's sqlite3 module (SQLite's own code) on `script`; false
/// when Python is not there.
fn python(script: &str) -> bool {
    match std::process::Command::new("python3").arg("-c").arg(script).status() {
        Ok(s) => {
            assert!(s.success(), "python failed: {script}");
            true
        }
        Err(_) => false,
    }
}

#[test]
fn a_log_left_by_sqlite_is_recovered_and_checkpointed_for_sqlite() {
    let vfs: Arc<dyn Vfs> = Arc::new(UnixVfs);
    let p = tmp("sqlite");
    // SQLite writes a WAL database and dies without checkpointing.
    let script = format!(
        "import sqlite3, os\n\
         c = sqlite3.connect({p:?}, isolation_level=None)\n\
         c.execute('PRAGMA page_size=1024')\n\
         c.execute('PRAGMA journal_mode=wal')\n\
         c.execute('PRAGMA wal_autocheckpoint=0')\n\
         c.execute('CREATE TABLE t(x)')\n\
         for i in range(300): c.execute('INSERT INTO t VALUES (?)', (str(i) * 20,))\n\
         os._exit(0)\n"
    );
    if !python(&script) {
        return;
    }
    let wal_len = std::fs::metadata(format!("{p}-wal")).unwrap().len();
    assert!(wal_len > 32);
    let mut c = conn(&vfs, &p);
    c.wal.begin_read(c.db.as_mut()).unwrap();
    assert!(c.wal.mx_frame() > 300);
    let f = c.wal.find_frame(c.db.as_mut(), 1).unwrap().unwrap();
    let mut b = page(0);
    c.wal.read_frame(f, &mut b).unwrap();
    assert_eq!(&b[..16], b"SQLite format 3\0");
    assert_eq!((b[18], b[19]), (2, 2));
    c.wal.end_read(c.db.as_mut());
    let res = c.wal.checkpoint(c.db.as_mut(), CheckpointMode::Truncate, None, FULL).unwrap();
    assert_eq!((res.busy, res.log, res.ckpt), (false, 0, 0));
    c.wal.close(c.db.as_mut(), true).unwrap();
    assert!(!std::path::Path::new(&format!("{p}-wal")).exists());
    // SQLite reads back every row from the checkpointed file.
    let check = format!(
        "import sqlite3\n\
         c = sqlite3.connect({p:?})\n\
         assert c.execute('PRAGMA integrity_check').fetchone()[0] == 'ok'\n\
         assert c.execute('SELECT count(*), sum(length(x)) FROM t').fetchone() == (300, sum(len(str(i) * 20) for i in range(300)))\n"
    );
    assert!(python(&check));
    cleanup(&p);
}

#[test]
fn sqlite_reads_a_log_written_here_live() {
    let vfs: Arc<dyn Vfs> = Arc::new(UnixVfs);
    let p = tmp("tosqlite");
    // A WAL-mode database made by SQLite, then a commit here that
    // rewrites page 2 (the table's root) with SQLite's own image of it
    // taken from a second table.
    let setup = format!(
        "import sqlite3\n\
         c = sqlite3.connect({p:?}, isolation_level=None)\n\
         c.execute('PRAGMA page_size=1024')\n\
         c.execute('PRAGMA journal_mode=wal')\n\
         c.execute('CREATE TABLE t(x)')\n\
         c.execute('CREATE TABLE u(x)')\n\
         c.execute(\"INSERT INTO u VALUES ('from-ferrolite')\")\n\
         c.execute('PRAGMA wal_checkpoint(TRUNCATE)')\n\
         c.close()\n\
         open({p:?} + '-wal', 'wb').close()\n"
    );
    if !python(&setup) {
        return;
    }
    let db = std::fs::read(&p).unwrap();
    let u_root = db[2 * PS as usize..3 * PS as usize].to_vec();
    // Commit here, staying attached so the -shm stays live.
    let mut c = conn(&vfs, &p);
    c.wal.begin_read(c.db.as_mut()).unwrap();
    c.wal.begin_write(c.db.as_mut()).unwrap();
    let mut p1 = db[..PS as usize].to_vec();
    let counter = u32::from_be_bytes([p1[24], p1[25], p1[26], p1[27]]) + 1;
    p1[24..28].copy_from_slice(&counter.to_be_bytes());
    p1[92..96].copy_from_slice(&counter.to_be_bytes());
    c.wal.commit_frames(c.db.as_mut(), PS, &[(1, &p1[..]), (2, &u_root[..])], 3, FULL).unwrap();
    c.wal.end_read(c.db.as_mut());
    let check = format!(
        "import sqlite3\n\
         c = sqlite3.connect({p:?})\n\
         assert c.execute('SELECT x FROM t').fetchall() == [('from-ferrolite',)], c.execute('SELECT x FROM t').fetchall()\n\
         assert c.execute('PRAGMA integrity_check').fetchone()[0] == 'ok'\n"
    );
    // SQLite opens while this connection is attached: it uses the live
    // index this connection wrote.
    assert!(python(&check));
    c.wal.close(c.db.as_mut(), false).unwrap();
    // And after every connection went: SQLite recovers the log itself.
    assert!(python(&check));
    cleanup(&p);
}

#[test]
fn snapshots_open_until_a_checkpoint_passes_them() {
    let vfs: Arc<dyn Vfs> = Arc::new(UnixVfs);
    let p = tmp("snapshot-api");
    let mut a = conn(&vfs, &p);
    let mut b = conn(&vfs, &p);
    a.commit(&[(1, 10), (2, 20)], 2).unwrap();
    // Taken by a reader that asked for one: not on READ0.
    b.wal.set_snapshot(None, true);
    b.wal.begin_read(b.db.as_mut()).unwrap();
    b.wal.set_snapshot(None, false);
    let old = b.wal.snapshot_get().unwrap();
    b.wal.end_read(b.db.as_mut());
    a.commit(&[(2, 21)], 2).unwrap();
    // The old snapshot opens and reads the old page.
    b.wal.set_snapshot(Some(&old), false);
    b.wal.begin_read(b.db.as_mut()).unwrap();
    b.wal.set_snapshot(None, false);
    assert_eq!(b.read(2), 20);
    assert_eq!(b.wal.snapshot_get().unwrap(), old);
    // Writing on it is refused: it is not the newest.
    assert_eq!(b.wal.begin_write(b.db.as_mut()).unwrap_err().extended_code(), code::BUSY_SNAPSHOT);
    b.wal.end_read(b.db.as_mut());
    // A checkpoint copies past it: gone, and the check says so too.
    let r = a.wal.checkpoint(a.db.as_mut(), CheckpointMode::Passive, None, FULL).unwrap();
    assert_eq!((r.log, r.ckpt), (3, 3));
    b.wal.set_snapshot(Some(&old), false);
    let e = b.wal.begin_read(b.db.as_mut()).unwrap_err();
    b.wal.set_snapshot(None, false);
    assert_eq!(e.extended_code(), code::ERROR_SNAPSHOT);
    assert!(!b.wal.in_read());
    b.wal.begin_read(b.db.as_mut()).unwrap();
    assert_eq!(b.wal.snapshot_check(b.db.as_mut(), &old).unwrap_err().extended_code(), code::ERROR_SNAPSHOT);
    // Recovering snapshots: the last frame is what the file holds, so
    // nothing older comes back.
    b.wal.snapshot_recover(b.db.as_mut()).unwrap();
    assert_eq!(b.wal.snapshot_check(b.db.as_mut(), &old).unwrap_err().extended_code(), code::ERROR_SNAPSHOT);
    b.wal.end_read(b.db.as_mut());
    cleanup(&p);
}

#[test]
fn a_restarted_log_is_cut_to_the_size_limit() {
    let vfs: Arc<dyn Vfs> = Arc::new(UnixVfs);
    let p = tmp("size-limit");
    let mut a = conn(&vfs, &p);
    let pages: Vec<(u32, u8)> = (1..=20).map(|i| (i, i as u8)).collect();
    a.commit(&pages, 20).unwrap();
    let frame = u64::from(PS) + 24;
    assert_eq!(a.wal.file_size().unwrap(), 32 + 20 * frame);
    a.wal.checkpoint(a.db.as_mut(), CheckpointMode::Passive, None, FULL).unwrap();
    // No limit: the restarted log keeps its blocks.
    a.commit(&[(1, 1)], 20).unwrap();
    assert_eq!(a.wal.file_size().unwrap(), 32 + 20 * frame);
    a.wal.checkpoint(a.db.as_mut(), CheckpointMode::Passive, None, FULL).unwrap();
    a.wal.set_size_limit(5000);
    a.commit(&[(1, 2)], 20).unwrap();
    assert_eq!(a.wal.file_size().unwrap(), 5000);
    // Later commits into the same log are not cut.
    a.commit(&[(2, 2), (3, 3), (4, 4), (5, 5)], 20).unwrap();
    assert_eq!(a.wal.file_size().unwrap(), 32 + 5 * frame);
    a.wal.checkpoint(a.db.as_mut(), CheckpointMode::Passive, None, FULL).unwrap();
    // A limit below the commit's frames keeps the frames.
    a.wal.set_size_limit(0);
    a.commit(&[(1, 3), (2, 3)], 20).unwrap();
    assert_eq!(a.wal.file_size().unwrap(), 32 + 2 * frame);
    cleanup(&p);
}
