//! The log file grown ahead of its frames (PRAGMA ferrolite_wal_grow):
//! the file doubles with zeros before frames would lengthen it, never past
//! journal_size_limit; the zeros are no frames to a recovery (a copy of a
//! live database recovers exactly its commits, in Ferrolite and in the
//! `sqlite3` CLI when present); with the pragma at 0 the file ends at its
//! last frame, as SQLite's does.

mod common;

use common::{open, remove_db, run, tmp_db};
use ferrolite::connection::Connection;

const FRAME: u64 = 4096 + 24;

fn one(c: &mut Connection, sql: &str) -> String {
    common::render(&run(c, sql).unwrap_or_else(|e| panic!("{sql}: {e}")))
}

fn wal_len(p: &str) -> u64 {
    std::fs::metadata(format!("{p}-wal")).map(|m| m.len()).unwrap_or(0)
}

/// The number of frames a log of `len` bytes may hold whole.
fn frames_in(len: u64) -> u64 {
    len.saturating_sub(32) / FRAME
}

#[test]
fn the_log_grows_ahead_by_doubling_and_a_copy_recovers_exactly_its_commits() {
    let p = tmp_db("walgrow", "double");
    let mut c = open(&p);
    assert_eq!(one(&mut c, "PRAGMA ferrolite_wal_grow"), (4u64 << 20).to_string());
    one(&mut c, "PRAGMA journal_mode=WAL; PRAGMA wal_autocheckpoint=0; CREATE TABLE t(x)");
    let mut last = 0;
    for i in 0..300 {
        one(&mut c, &format!("INSERT INTO t VALUES (zeroblob(900) || {i})"));
        let len = wal_len(&p);
        assert!(len >= last, "the log never shrinks here");
        last = len;
    }
    // The frames in the log (every commit, none checkpointed).
    let log: u64 = one(&mut c, "PRAGMA wal_checkpoint(PASSIVE)").split('|').nth(1).unwrap().parse().unwrap();
    let end = 32 + log * FRAME;
    let len = wal_len(&p);
    assert!(len > end, "grown ahead: {len} bytes for frames ending at {end}");
    assert!(len <= 2 * end, "at most doubled: {len} bytes for frames ending at {end}");
    // Past the frames, zeros.
    let bytes = std::fs::read(format!("{p}-wal")).unwrap();
    assert!(bytes[end as usize..].iter().all(|&b| b == 0));

    // A copy of the live files (as after a crash) recovers every commit,
    // the zeros being no frames.
    one(&mut c, "INSERT INTO t VALUES ('after the checkpoint')");
    let q = tmp_db("walgrow", "copy");
    std::fs::copy(&p, &q).unwrap();
    std::fs::copy(format!("{p}-wal"), format!("{q}-wal")).unwrap();
    let mut d = open(&q);
    assert_eq!(one(&mut d, "SELECT count(*), max(x) FROM t WHERE x LIKE '%after%'"), "1|after the checkpoint");
    assert_eq!(one(&mut d, "SELECT count(*) FROM t"), "301");
    assert_eq!(one(&mut d, "PRAGMA integrity_check"), "ok");
    drop(d);
    if common::have_sqlite3() {
        let q2 = tmp_db("walgrow", "copy-cli");
        std::fs::copy(&p, &q2).unwrap();
        std::fs::copy(format!("{p}-wal"), format!("{q2}-wal")).unwrap();
        assert_eq!(common::sqlite3(&q2, "SELECT count(*) FROM t; PRAGMA integrity_check"), "301\nok");
        remove_db(&q2);
    }
    drop(c);
    remove_db(&p);
    remove_db(&q);
}

#[test]
fn growth_stops_at_journal_size_limit_and_zero_turns_it_off() {
    // Off: the file ends at its last frame, as SQLite's.
    let p = tmp_db("walgrow", "off");
    let mut c = open(&p);
    assert_eq!(one(&mut c, "PRAGMA ferrolite_wal_grow=0"), "0");
    one(&mut c, "PRAGMA journal_mode=WAL; PRAGMA wal_autocheckpoint=0; CREATE TABLE t(x)");
    for i in 0..40 {
        one(&mut c, &format!("INSERT INTO t VALUES (zeroblob(900) || {i})"));
        let len = wal_len(&p);
        assert_eq!(len, 32 + frames_in(len) * FRAME, "the log ends at a frame's end");
    }
    // A negative value leaves it as it is.
    assert_eq!(one(&mut c, "PRAGMA ferrolite_wal_grow=-5"), "0");
    drop(c);
    remove_db(&p);

    // A limit: the file grows no further than the limit (or than its
    // frames, when they pass it).
    let p = tmp_db("walgrow", "limit");
    let mut c = open(&p);
    one(&mut c, "PRAGMA journal_size_limit=20000; PRAGMA journal_mode=WAL; PRAGMA wal_autocheckpoint=0; CREATE TABLE t(x)");
    for i in 0..40 {
        one(&mut c, &format!("INSERT INTO t VALUES (zeroblob(900) || {i})"));
        let len = wal_len(&p);
        let frames_end = 32 + frames_in(len) * FRAME;
        assert!(len <= frames_end.max(20000), "{len} bytes past the limit");
    }
    // A small step: at most 1 KiB ahead.
    one(&mut c, "PRAGMA journal_size_limit=-1; PRAGMA ferrolite_wal_grow=1024");
    one(&mut c, "PRAGMA wal_checkpoint(TRUNCATE)");
    assert_eq!(wal_len(&p), 0);
    one(&mut c, "INSERT INTO t VALUES (1)");
    let len = wal_len(&p);
    assert!(len > 32 + FRAME && len <= 32 + 2 * FRAME + 1024, "{len} bytes");
    drop(c);
    remove_db(&p);
}
