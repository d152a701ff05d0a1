//! WAL mode through SQL: switching journal modes (file format bytes, files
//! created and removed), snapshots between connections and
//! SQLITE_BUSY_SNAPSHOT, rollback, checkpoints and their results,
//! wal_autocheckpoint, big transactions, files SQLite (the `sqlite3`
//! CLI, when present) reads back, and damaged logs and indexes (errors,
//! never a panic). Logs SQLite leaves and live sharing with
//! SQLite processes are in src/pager/wal/tests.rs and
//! compat-tests/storage/wal.sh.

mod common;

use std::sync::Arc;

use common::run;
use ferrolite::connection::Connection;
use ferrolite::error::code;
use ferrolite::os::{OpenFlags, UnixVfs};
use ferrolite::vdbe::StepResult;
use ferrolite::Value;

fn tmp(name: &str) -> String {
    let d = std::env::temp_dir().join(format!("ferrolite-waltest-{}-{}", std::process::id(), name));
    cleanup(&d.to_string_lossy());
    d.to_string_lossy().into_owned()
}

fn cleanup(p: &str) {
    for s in ["", "-wal", "-shm", "-journal"] {
        let _ = std::fs::remove_file(format!("{p}{s}"));
    }
}

fn open(path: &str) -> Connection {
    Connection::open(Arc::new(UnixVfs::new()), path, OpenFlags::READWRITE | OpenFlags::CREATE).expect("open")
}

fn exists(p: &str) -> bool {
    std::path::Path::new(p).exists()
}

/// Runs one statement; its rows, or its error's extended code.
fn exec(conn: &mut Connection, sql: &str) -> Result<Vec<Vec<Value>>, i32> {
    let (stmt, _) = conn.prepare(sql).map_err(|e| e.extended_code())?;
    let Some(mut stmt) = stmt else { return Ok(Vec::new()) };
    let mut rows = Vec::new();
    let r = loop {
        match stmt.step(conn) {
            Ok(StepResult::Row) => rows.push(stmt.row().to_vec()),
            Ok(StepResult::Done) => break Ok(rows),
            Err(e) => break Err(e.extended_code()),
        }
    };
    let _ = stmt.reset(conn);
    r
}

fn one(conn: &mut Connection, sql: &str) -> String {
    let rows = run(conn, sql).unwrap_or_else(|e| panic!("{sql}: {e}"));
    common::render(&rows)
}

fn header_versions(path: &str) -> (u8, u8) {
    let b = std::fs::read(path).unwrap();
    (b[18], b[19])
}

#[test]
fn journal_mode_wal_and_back() {
    let p = tmp("switch");
    let mut c = open(&p);
    assert_eq!(one(&mut c, "PRAGMA wal_checkpoint"), "0|-1|-1");
    assert_eq!(one(&mut c, "PRAGMA journal_mode=WAL"), "wal");
    assert_eq!(header_versions(&p), (2, 2));
    // As SQLite: the log appears with the first read.
    assert!(!exists(&format!("{p}-wal")));
    one(&mut c, "CREATE TABLE t(x); INSERT INTO t VALUES (1), (2)");
    assert!(exists(&format!("{p}-wal")) && exists(&format!("{p}-shm")));
    assert_eq!(one(&mut c, "PRAGMA wal_checkpoint"), "0|3|3");
    one(&mut c, "INSERT INTO t VALUES (3)");
    assert_eq!(one(&mut c, "PRAGMA wal_checkpoint(RESTART)"), "0|1|1");
    assert_eq!(one(&mut c, "PRAGMA wal_checkpoint(TRUNCATE)"), "0|0|0");
    assert_eq!(std::fs::metadata(format!("{p}-wal")).unwrap().len(), 0);
    let mut d = open(&p);
    assert_eq!(one(&mut d, "PRAGMA journal_mode"), "wal");
    assert_eq!(one(&mut d, "SELECT group_concat(x) FROM t"), "1,2,3");
    // Leaving WAL needs every other connection gone.
    assert_eq!(exec(&mut c, "PRAGMA journal_mode=DELETE").unwrap_err() & 0xff, code::BUSY);
    drop(d);
    assert_eq!(one(&mut c, "PRAGMA journal_mode=DELETE"), "delete");
    assert!(!exists(&format!("{p}-wal")) && !exists(&format!("{p}-shm")));
    assert_eq!(header_versions(&p), (1, 1));
    one(&mut c, "INSERT INTO t VALUES (4)");
    assert_eq!(one(&mut c, "SELECT count(*) FROM t"), "4");
    // Not inside a transaction; in-memory databases stay as they are.
    one(&mut c, "BEGIN");
    assert!(run(&mut c, "PRAGMA journal_mode=WAL").unwrap_err().contains("cannot change into wal mode from within a transaction"));
    one(&mut c, "ROLLBACK");
    let mut m = Connection::open(Arc::new(UnixVfs::new()), ":memory:", OpenFlags::READWRITE | OpenFlags::CREATE).unwrap();
    assert_eq!(one(&mut m, "PRAGMA journal_mode=WAL"), "memory");
    drop(c);
    if common::have_sqlite3() {
        assert_eq!(common::sqlite3(&p, "PRAGMA integrity_check; SELECT count(*) FROM t"), "ok\n4");
    }
    cleanup(&p);
}

#[test]
fn snapshots_and_busy_snapshot() {
    let p = tmp("snap");
    let mut a = open(&p);
    one(&mut a, "PRAGMA journal_mode=WAL; CREATE TABLE t(x); INSERT INTO t VALUES (1)");
    let mut b = open(&p);
    one(&mut b, "BEGIN");
    assert_eq!(one(&mut b, "SELECT count(*) FROM t"), "1");
    one(&mut a, "INSERT INTO t VALUES (2)");
    // b's snapshot holds; a writer still gets in (readers never block it).
    assert_eq!(one(&mut b, "SELECT count(*) FROM t"), "1");
    // At once, even with a busy timeout: waiting cannot freshen a snapshot.
    b.set_busy_timeout(5000);
    let t = std::time::Instant::now();
    assert_eq!(exec(&mut b, "INSERT INTO t VALUES (3)").unwrap_err(), code::BUSY_SNAPSHOT);
    assert!(t.elapsed() < std::time::Duration::from_secs(1));
    b.set_busy_timeout(0);
    one(&mut b, "ROLLBACK");
    assert_eq!(one(&mut b, "SELECT count(*) FROM t"), "2");
    // One writer at a time: the second gets SQLITE_BUSY.
    one(&mut a, "BEGIN IMMEDIATE");
    assert_eq!(exec(&mut b, "BEGIN IMMEDIATE").unwrap_err() & 0xff, code::BUSY);
    // Inside a transaction a checkpoint is refused as SQLite refuses it.
    assert!(run(&mut a, "PRAGMA wal_checkpoint").unwrap_err().contains("database table is locked"));
    one(&mut a, "COMMIT");
    drop((a, b));
    assert!(!exists(&format!("{p}-wal")), "the last close checkpoints and deletes the log");
    cleanup(&p);
}

#[test]
fn rollback_savepoints_and_big_transactions() {
    let p = tmp("big");
    let mut c = open(&p);
    one(&mut c, "PRAGMA journal_mode=WAL; PRAGMA cache_size=10; CREATE TABLE t(id INTEGER PRIMARY KEY, v)");
    one(&mut c, "BEGIN; INSERT INTO t VALUES (1, 'a'); SAVEPOINT s; INSERT INTO t VALUES (2, 'b'); ROLLBACK TO s; COMMIT");
    assert_eq!(one(&mut c, "SELECT group_concat(id) FROM t"), "1");
    one(&mut c, "BEGIN; DELETE FROM t; ROLLBACK");
    assert_eq!(one(&mut c, "SELECT count(*) FROM t"), "1");
    // Far more pages than the cache holds, in one transaction.
    one(&mut c, "WITH RECURSIVE n(i) AS (SELECT 2 UNION ALL SELECT i+1 FROM n WHERE i < 3000) INSERT INTO t SELECT i, randomblob(900) FROM n");
    assert_eq!(one(&mut c, "SELECT count(*), sum(length(v)) FROM t"), format!("3000|{}", 1 + 2999 * 900));
    assert_eq!(one(&mut c, "PRAGMA integrity_check"), "ok");
    // A shrinking commit (the log's commit frame carries the smaller size).
    one(&mut c, "DELETE FROM t WHERE id > 10; VACUUM");
    assert_eq!(one(&mut c, "SELECT count(*) FROM t"), "10");
    assert_eq!(one(&mut c, "PRAGMA wal_checkpoint(TRUNCATE)"), "0|0|0");
    assert_eq!(one(&mut c, "PRAGMA integrity_check"), "ok");
    let pages: u64 = one(&mut c, "PRAGMA page_count").parse().unwrap();
    assert_eq!(std::fs::metadata(&p).unwrap().len(), pages * 4096);
    drop(c);
    if common::have_sqlite3() {
        assert_eq!(common::sqlite3(&p, "PRAGMA integrity_check; SELECT count(*) FROM t"), "ok\n10");
    }
    cleanup(&p);
}

#[test]
fn autocheckpoint_bounds_the_log() {
    let p = tmp("auto");
    let mut c = open(&p);
    assert_eq!(one(&mut c, "PRAGMA wal_autocheckpoint"), "1000");
    assert_eq!(one(&mut c, "PRAGMA wal_autocheckpoint=8"), "8");
    one(&mut c, "PRAGMA journal_mode=WAL; CREATE TABLE t(x)");
    for i in 0..200 {
        one(&mut c, &format!("INSERT INTO t VALUES ({i})"));
    }
    // Checkpointed every 8 frames and restarted from the start: the log
    // never grows far past 8 frames (the file at most twice that, as it
    // grows ahead of its frames by doubling: PRAGMA ferrolite_wal_grow).
    let len = std::fs::metadata(format!("{p}-wal")).unwrap().len();
    assert!(len <= 2 * (32 + 12 * (4096 + 24)), "log of {len} bytes");
    assert_eq!(one(&mut c, "SELECT count(*) FROM t"), "200");
    one(&mut c, "PRAGMA wal_autocheckpoint=0");
    for i in 0..50 {
        one(&mut c, &format!("INSERT INTO t VALUES ({i})"));
    }
    let log: i64 = one(&mut c, "PRAGMA wal_checkpoint").split('|').nth(1).unwrap().parse().unwrap();
    assert!(log >= 50, "log {log}");
    drop(c);
    cleanup(&p);
}

#[test]
fn sqlite_writes_wal_and_we_read_it() {
    if !common::have_sqlite3() {
        return;
    }
    let p = tmp("cli");
    // The CLI leaves the database in WAL mode (checkpointed at close).
    common::sqlite3(&p, "PRAGMA journal_mode=WAL; CREATE TABLE t(x); INSERT INTO t VALUES ('from sqlite')");
    assert_eq!(header_versions(&p), (2, 2));
    let mut c = open(&p);
    assert_eq!(one(&mut c, "PRAGMA journal_mode"), "wal");
    assert_eq!(one(&mut c, "SELECT x FROM t"), "from sqlite");
    one(&mut c, "INSERT INTO t VALUES ('from ferrolite')");
    // SQLite reads our live log while we stay open.
    assert_eq!(common::sqlite3(&p, "SELECT group_concat(x, ',') FROM t"), "from sqlite,from ferrolite");
    drop(c);
    assert_eq!(common::sqlite3(&p, "PRAGMA integrity_check; PRAGMA journal_mode"), "ok\nwal");
    cleanup(&p);
}

/// A small deterministic generator for the damage below.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Runs the reads a damaged database gets; any SQLite error code is
/// fine, a panic is not.
fn probe(path: &str) -> Result<(), i32> {
    let mut c = Connection::open(Arc::new(UnixVfs::new()), path, OpenFlags::READWRITE).map_err(|e| e.extended_code())?;
    exec(&mut c, "SELECT count(*), sum(length(v)) FROM t")?;
    exec(&mut c, "PRAGMA integrity_check")?;
    Ok(())
}

/// What damage may give: a page or header that does not check out, or a
/// schema cut back by a lost commit ("no such table").
fn allowed(code: i32) -> bool {
    [code::CORRUPT, code::NOTADB, code::BUSY, code::PROTOCOL, code::CANTOPEN, code::ERROR].contains(&(code & 0xff))
}

#[test]
fn damaged_logs_and_indexes_give_errors_not_panics() {
    use std::os::unix::fs::FileExt;
    let p = tmp("damage");
    let mut a = open(&p);
    one(&mut a, "PRAGMA journal_mode=WAL; PRAGMA wal_autocheckpoint=0; CREATE TABLE t(id INTEGER PRIMARY KEY, v)");
    for i in 0..40 {
        one(&mut a, &format!("INSERT INTO t VALUES ({i}, randomblob({}))", (i * 397) % 5000));
    }
    // A crashed state: the database and its log without an index.
    let q = tmp("damage-copy");
    std::fs::copy(&p, &q).unwrap();
    let wal = std::fs::read(format!("{p}-wal")).unwrap();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut outcomes = [0usize; 2];
    for round in 0..150 {
        // Damage the log: a few flipped bits, or a cut.
        let mut w = wal.clone();
        if round % 5 == 0 {
            w.truncate(rng.below(w.len()));
        } else {
            for _ in 0..1 + rng.below(4) {
                let i = rng.below(w.len());
                w[i] ^= 1 << rng.below(8);
            }
        }
        std::fs::write(format!("{q}-wal"), &w).unwrap();
        let _ = std::fs::remove_file(format!("{q}-shm"));
        match std::panic::catch_unwind(|| probe(&q)) {
            Ok(Ok(())) => outcomes[0] += 1,
            Ok(Err(c)) => {
                assert!(allowed(c), "round {round}: unexpected code {c}");
                outcomes[1] += 1;
            }
            Err(_) => panic!("round {round}: a damaged log made Ferrolite panic"),
        }
        std::fs::copy(&p, &q).unwrap();
    }
    // Damage the live index while `a` keeps it mapped.
    let shm_path = format!("{p}-shm");
    let shm = std::fs::read(&shm_path).unwrap();
    let f = std::fs::OpenOptions::new().write(true).open(&shm_path).unwrap();
    for round in 0..150 {
        let mut s = shm.clone();
        for _ in 0..1 + rng.below(6) {
            // Mostly the header and checkpoint info, sometimes the tables.
            let i = if rng.below(3) == 0 { rng.below(s.len()) } else { rng.below(136) };
            s[i] = rng.next() as u8;
        }
        f.write_all_at(&s, 0).unwrap();
        match std::panic::catch_unwind(|| probe(&p)) {
            Ok(Ok(())) => outcomes[0] += 1,
            Ok(Err(c)) => {
                assert!(allowed(c), "shm round {round}: unexpected code {c}");
                outcomes[1] += 1;
            }
            Err(_) => panic!("shm round {round}: a damaged index made Ferrolite panic"),
        }
        f.write_all_at(&shm, 0).unwrap();
    }
    // The undamaged database is still whole.
    assert_eq!(one(&mut a, "SELECT count(*) FROM t"), "40");
    assert_eq!(one(&mut a, "PRAGMA integrity_check"), "ok");
    eprintln!("damaged WAL/shm: {} reads fine (damage not reached or recovered), {} errors", outcomes[0], outcomes[1]);
    drop(a);
    cleanup(&p);
    cleanup(&q);
}

#[test]
fn exclusive_locking_mode_keeps_the_index_in_memory() {
    let p = tmp("excl");
    let mut c = open(&p);
    assert_eq!(one(&mut c, "PRAGMA locking_mode=EXCLUSIVE"), "exclusive");
    assert_eq!(one(&mut c, "PRAGMA journal_mode=WAL"), "wal");
    one(&mut c, "CREATE TABLE t(x); INSERT INTO t VALUES (1), (2)");
    // As SQLite's WAL_HEAPMEMORY_MODE: no -shm, and nobody else gets in.
    assert!(exists(&format!("{p}-wal")));
    assert!(!exists(&format!("{p}-shm")));
    let mut d = open(&p);
    assert_eq!(exec(&mut d, "SELECT count(*) FROM t").unwrap_err() & 0xff, code::BUSY);
    // The mode cannot be left while the index is in private memory.
    assert_eq!(one(&mut c, "PRAGMA locking_mode=NORMAL"), "exclusive");
    assert_eq!(one(&mut c, "PRAGMA wal_checkpoint"), "0|3|3");
    one(&mut c, "INSERT INTO t VALUES (3)");
    drop(c);
    assert!(!exists(&format!("{p}-wal")));
    assert_eq!(one(&mut d, "SELECT count(*) FROM t"), "3");
    drop(d);
    cleanup(&p);
}

#[test]
fn threads_of_one_process_share_the_log() {
    let p = tmp("threads");
    {
        let mut c = open(&p);
        one(&mut c, "PRAGMA journal_mode=WAL; CREATE TABLE counter(n); INSERT INTO counter VALUES (0); CREATE TABLE log(w, i)");
    }
    let (writers, each) = (4, 100);
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let reader = {
        let (p, stop) = (p.clone(), stop.clone());
        std::thread::spawn(move || {
            let mut c = open(&p);
            c.set_busy_timeout(5000);
            let mut snaps = 0;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                one(&mut c, "BEGIN");
                let n = one(&mut c, "SELECT n FROM counter");
                let k = one(&mut c, "SELECT count(*) FROM log");
                one(&mut c, "COMMIT");
                assert_eq!(n, k, "a reader's snapshot is inconsistent");
                snaps += 1;
            }
            snaps
        })
    };
    let handles: Vec<_> = (0..writers)
        .map(|w| {
            let p = p.clone();
            std::thread::spawn(move || {
                let mut c = open(&p);
                c.set_busy_timeout(10_000);
                for i in 0..each {
                    loop {
                        match exec(&mut c, "BEGIN IMMEDIATE") {
                            Ok(_) => break,
                            Err(e) if e & 0xff == code::BUSY => continue,
                            Err(e) => panic!("BEGIN IMMEDIATE: {e}"),
                        }
                    }
                    one(&mut c, "UPDATE counter SET n = n + 1");
                    one(&mut c, &format!("INSERT INTO log VALUES ({w}, {i})"));
                    one(&mut c, "COMMIT");
                }
            })
        })
        .collect();
    for h in handles {
        h.join().expect("writer thread");
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let snaps = reader.join().expect("reader thread");
    assert!(snaps > 0);
    let mut c = open(&p);
    assert_eq!(one(&mut c, "SELECT n FROM counter"), (writers * each).to_string());
    assert_eq!(one(&mut c, "SELECT count(DISTINCT w || '/' || i) FROM log"), (writers * each).to_string());
    assert_eq!(one(&mut c, "PRAGMA integrity_check"), "ok");
    drop(c);
    assert!(!exists(&format!("{p}-wal")));
    cleanup(&p);
}

#[test]
fn a_persistent_log_survives_the_last_close_and_is_reused() {
    let p = tmp("persist");
    let wal = format!("{p}-wal");
    {
        let mut c = open(&p);
        exec(&mut c, "PRAGMA journal_mode=WAL").unwrap();
        exec(&mut c, "PRAGMA ferrolite_persist_wal=1").unwrap();
        assert_eq!(one(&mut c, "PRAGMA ferrolite_persist_wal"), "1");
        exec(&mut c, "CREATE TABLE t(x)").unwrap();
        exec(&mut c, "WITH RECURSIVE s(v) AS (SELECT 1 UNION ALL SELECT v + 1 FROM s WHERE v < 500) INSERT INTO t SELECT v FROM s").unwrap();
    }
    assert!(exists(&wal), "the log stays allocated");
    let size = std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0);
    assert!(size > 0);
    {
        let mut c = open(&p);
        assert_eq!(one(&mut c, "SELECT count(*), sum(x) FROM t"), "500|125250");
        exec(&mut c, "PRAGMA ferrolite_persist_wal=1").unwrap();
        exec(&mut c, "INSERT INTO t VALUES(1)").unwrap();
        assert_eq!(one(&mut c, "PRAGMA integrity_check"), "ok");
    }
    // Checkpointed at close, the next writer started the log again from
    // its beginning: it did not grow.
    assert!(std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(u64::MAX) <= size);
    {
        let mut c = open(&p);
        assert_eq!(one(&mut c, "SELECT count(*) FROM t"), "501");
    }
    assert!(!exists(&wal), "without the pragma the last close deletes it");
    cleanup(&p);
}
