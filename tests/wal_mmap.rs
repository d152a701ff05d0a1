//! WAL frames read through a memory map (PRAGMA mmap_size): readers see
//! every commit of another connection, across checkpoints that restart
//! and truncate the log, with maps smaller and larger than the log.

mod common;
use common::{open, run, tmp_db};

use ferrolite::Value;

fn count(c: &mut ferrolite::connection::Connection) -> i64 {
    match run(c, "SELECT count(*), coalesce(sum(length(x)), 0) FROM t").unwrap()[0][..] {
        [Value::Integer(n), Value::Integer(bytes)] => {
            assert_eq!(bytes, n * 3000);
            n
        }
        ref other => panic!("unexpected row {other:?}"),
    }
}

fn readers_follow_the_writer(name: &str, mmap_size: i64) {
    let path = tmp_db("walmmap", name);
    let mut w = open(&path);
    run(&mut w, "PRAGMA journal_mode = WAL; PRAGMA wal_autocheckpoint = 0; CREATE TABLE t(x)").unwrap();
    let mut r = open(&path);
    run(&mut r, &format!("PRAGMA mmap_size = {mmap_size}")).unwrap();
    assert_eq!(run(&mut r, "PRAGMA mmap_size").unwrap(), vec![vec![Value::Integer(mmap_size)]]);
    let mut expected = 0;
    for i in 0..120 {
        run(&mut w, "INSERT INTO t VALUES(randomblob(3000))").unwrap();
        expected += 1;
        if i % 10 == 9 {
            run(&mut w, "UPDATE t SET x = randomblob(3000) WHERE rowid % 7 = 0").unwrap();
        }
        match i % 40 {
            20 => {
                run(&mut w, "PRAGMA wal_checkpoint(RESTART)").unwrap();
            }
            39 => {
                run(&mut w, "PRAGMA wal_checkpoint(TRUNCATE)").unwrap();
            }
            _ => {}
        }
        assert_eq!(count(&mut r), expected, "after commit {i}");
    }
    // A read transaction keeps its snapshot while the log grows.
    run(&mut r, "BEGIN").unwrap();
    assert_eq!(count(&mut r), expected);
    for _ in 0..20 {
        run(&mut w, "INSERT INTO t VALUES(randomblob(3000))").unwrap();
    }
    assert_eq!(count(&mut r), expected);
    run(&mut r, "COMMIT").unwrap();
    assert_eq!(count(&mut r), expected + 20);
    assert_eq!(run(&mut r, "PRAGMA integrity_check").unwrap(), vec![vec![Value::text("ok")]]);
    drop((r, w));
    common::remove_db(&path);
}

#[test]
fn a_map_larger_than_the_log() {
    readers_follow_the_writer("large", 64 << 20);
}

#[test]
fn a_map_smaller_than_the_log() {
    readers_follow_the_writer("small", 40_000);
}

#[test]
fn no_map() {
    readers_follow_the_writer("none", 0);
}
