//! A WAL write transaction bigger than the page cache: its pages are
//! spilled to the log before the commit, so the cache stays within its
//! size, the transaction reads its own spilled pages back, other
//! connections see nothing of it until the commit, ROLLBACK and ROLLBACK TO
//! undo spilled changes, and the log a crash would leave (the index
//! rebuilt from it) holds exactly the committed transactions.

mod common;
use common::{open, run, tmp_db};

use ferrolite::connection::Connection;
use ferrolite::Value;

fn one(c: &mut Connection, sql: &str) -> Value {
    run(c, sql).unwrap().remove(0).remove(0)
}

fn cache_bytes(c: &mut Connection) -> usize {
    c.dbs[0].btree.cache_bytes()
}

const FILL: &str = "WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 3000) INSERT INTO t(k, v) SELECT i, printf('%.900c', char(65 + i % 26)) FROM c";

#[test]
fn a_transaction_bigger_than_the_cache_spills_into_the_log() {
    let path = tmp_db("walspill", "spill");
    let mut w = open(&path);
    run(&mut w, "PRAGMA journal_mode = WAL; PRAGMA wal_autocheckpoint = 0; PRAGMA cache_size = 50; CREATE TABLE t(k INTEGER, v TEXT); CREATE INDEX tk ON t(k)").unwrap();
    let mut r = open(&path);
    run(&mut r, "INSERT INTO t VALUES (-1, 'committed before')").unwrap();

    // About 3 MB of rows in one transaction with a cache of 50 pages.
    run(&mut w, "BEGIN").unwrap();
    run(&mut w, FILL).unwrap();
    let held = cache_bytes(&mut w);
    assert!(held < 150 * 4096 * 2, "the cache holds {held} bytes");
    // The transaction sees its own rows, read back from the log.
    assert_eq!(one(&mut w, "SELECT count(*) FROM t"), Value::Integer(3001));
    assert_eq!(one(&mut w, "SELECT sum(length(v)) FROM t WHERE k > 0"), Value::Integer(3000 * 900));
    assert_eq!(one(&mut w, "SELECT v = printf('%.900c', char(65 + 1234 % 26)) FROM t WHERE k = 1234"), Value::Integer(1));
    // Another connection sees none of it.
    assert_eq!(one(&mut r, "SELECT count(*) FROM t"), Value::Integer(1));

    // ROLLBACK TO undoes spilled changes too.
    run(&mut w, "SAVEPOINT s").unwrap();
    run(&mut w, "UPDATE t SET v = 'x' WHERE k % 2 = 0; DELETE FROM t WHERE k % 3 = 0").unwrap();
    assert_eq!(one(&mut w, "SELECT count(*) FROM t WHERE v = 'x'"), Value::Integer(1000));
    run(&mut w, "ROLLBACK TO s; RELEASE s").unwrap();
    assert_eq!(one(&mut w, "SELECT count(*) FROM t WHERE v = 'x'"), Value::Integer(0));
    assert_eq!(one(&mut w, "SELECT count(*) FROM t"), Value::Integer(3001));
    run(&mut w, "COMMIT").unwrap();
    assert_eq!(one(&mut r, "SELECT count(*) FROM t"), Value::Integer(3001));
    assert_eq!(one(&mut r, "SELECT sum(length(v)) FROM t WHERE k > 0"), Value::Integer(3000 * 900));

    // A rolled-back big transaction leaves nothing, in this connection's
    // cache or for the others.
    run(&mut w, "BEGIN").unwrap();
    run(&mut w, "DELETE FROM t WHERE k > 100").unwrap();
    run(&mut w, FILL).unwrap();
    run(&mut w, "UPDATE t SET v = 'rolled back'").unwrap();
    run(&mut w, "ROLLBACK").unwrap();
    for c in [&mut w, &mut r] {
        assert_eq!(one(c, "SELECT count(*) FROM t"), Value::Integer(3001));
        assert_eq!(one(c, "SELECT count(*) FROM t WHERE v = 'rolled back'"), Value::Integer(0));
        assert_eq!(run(c, "PRAGMA integrity_check").unwrap(), vec![vec![Value::text("ok")]]);
    }

    // What a crash would leave now (the log with the rolled-back frames past
    // its last commit, no index), and after one more commit over them:
    // the index rebuilt from the log holds the committed state only.
    for (name, extra, rows) in [("crash1", None, 3001), ("crash2", Some("INSERT INTO t VALUES (-2, 'after')"), 3002)] {
        if let Some(sql) = extra {
            run(&mut w, sql).unwrap();
        }
        let copy = tmp_db("walspill", name);
        std::fs::copy(&path, &copy).unwrap();
        std::fs::copy(format!("{path}-wal"), format!("{copy}-wal")).unwrap();
        let mut c = open(&copy);
        assert_eq!(one(&mut c, "SELECT count(*) FROM t"), Value::Integer(rows), "{name}");
        assert_eq!(one(&mut c, "SELECT count(*) FROM t WHERE v = 'rolled back'"), Value::Integer(0));
        assert_eq!(run(&mut c, "PRAGMA integrity_check").unwrap(), vec![vec![Value::text("ok")]]);
        drop(c);
        common::remove_db(&copy);
    }
    drop((w, r));
    common::remove_db(&path);
}
