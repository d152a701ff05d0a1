//! A WAL reader keeps its page cache across other connections' commits:
//! only the pages of the frames committed since its last snapshot are
//! dropped. Readers must still see every commit exactly, across updates of
//! scattered rows, rolled-back writes whose frames are overwritten,
//! checkpoints that restart or truncate the log, and snapshots.

mod common;
use common::{open, run, tmp_db};

use ferrolite::connection::Connection;
use ferrolite::Value;

/// The whole table as one string, read by `c`.
fn digest(c: &mut Connection) -> String {
    let rows = run(c, "SELECT group_concat(id || ':' || v, ',') FROM (SELECT id, v FROM t ORDER BY id)").unwrap();
    format!("{:?}", rows[0][0])
}

fn misses(c: &mut Connection) -> u64 {
    c.dbs[0].btree.pager_stats().miss
}

#[test]
fn a_reader_sees_every_commit_and_rereads_only_what_changed() {
    let path = tmp_db("walcache", "follow");
    let mut w = open(&path);
    run(&mut w, "PRAGMA journal_mode = WAL; PRAGMA wal_autocheckpoint = 0; CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)").unwrap();
    run(&mut w, "WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 4000) INSERT INTO t SELECT i, printf('%.60c', 'a') FROM c").unwrap();
    let mut r = open(&path);
    assert_eq!(digest(&mut r), digest(&mut w));
    // One row changed: the reader reads a handful of pages again, not the
    // whole table (a few hundred pages).
    let before = misses(&mut r);
    run(&mut w, "UPDATE t SET v = 'changed' WHERE id = 2000").unwrap();
    assert_eq!(digest(&mut r), digest(&mut w));
    let reread = misses(&mut r) - before;
    assert!(reread <= 8, "{reread} pages read again after a one-row update");

    for i in 0..60 {
        match i % 6 {
            0 => run(&mut w, &format!("UPDATE t SET v = 'u{i}' || v WHERE id % 97 = {}", i % 97)).unwrap(),
            1 => run(&mut w, &format!("INSERT INTO t(v) VALUES ('new{i}')")).unwrap(),
            2 => run(&mut w, &format!("DELETE FROM t WHERE id % 211 = {}", i % 211)).unwrap(),
            3 => {
                // Frames written and rolled back, then overwritten.
                run(&mut w, "BEGIN; UPDATE t SET v = 'rolled back'; ROLLBACK").unwrap();
                run(&mut w, &format!("UPDATE t SET v = 'after{i}' WHERE id = {}", 100 + i)).unwrap()
            }
            4 => run(&mut w, if i % 12 == 4 { "PRAGMA wal_checkpoint(RESTART)" } else { "PRAGMA wal_checkpoint(TRUNCATE)" }).unwrap(),
            _ => run(&mut w, &format!("UPDATE t SET v = v || '{i}' WHERE id BETWEEN {} AND {}", i * 50, i * 50 + 30)).unwrap(),
        };
        assert_eq!(digest(&mut r), digest(&mut w), "after step {i}");
    }
    // A reader's own read transaction keeps its snapshot meanwhile.
    run(&mut r, "BEGIN").unwrap();
    let held = digest(&mut r);
    run(&mut w, "UPDATE t SET v = 'later' WHERE id < 50").unwrap();
    assert_eq!(digest(&mut r), held);
    run(&mut r, "COMMIT").unwrap();
    assert_eq!(digest(&mut r), digest(&mut w));
    assert_eq!(run(&mut r, "PRAGMA integrity_check").unwrap(), vec![vec![Value::text("ok")]]);
    drop((r, w));
    common::remove_db(&path);
}
