//! PRAGMA ferrolite_background_checkpoint: the default WAL hook's
//! checkpoints run on the process's background checkpointer, and the
//! pages reach the database file all the same.

mod common;
use common::{open, run, tmp_db};

use ferrolite::Value;

fn file_size(path: &str) -> u64 {
    std::fs::metadata(path).map(|m| m.len()).unwrap_or(0)
}

#[test]
fn automatic_checkpoints_run_in_the_background() {
    let path = tmp_db("bgckpt", "auto");
    let mut c = open(&path);
    assert_eq!(run(&mut c, "PRAGMA ferrolite_background_checkpoint").unwrap(), vec![vec![Value::Integer(0)]]);
    run(&mut c, "PRAGMA journal_mode = WAL; PRAGMA wal_autocheckpoint = 20; PRAGMA ferrolite_background_checkpoint = ON; CREATE TABLE t(x)").unwrap();
    assert_eq!(run(&mut c, "PRAGMA ferrolite_background_checkpoint").unwrap(), vec![vec![Value::Integer(1)]]);
    let before = file_size(&path);
    let mut started = false;
    for i in 0..300 {
        run(&mut c, &format!("INSERT INTO t VALUES(zeroblob(1000 + {i}))")).unwrap();
        started |= ferrolite::checkpointer::has_worker(&path);
    }
    assert!(started, "no background checkpointer was asked");
    // The worker copies the log into the file, then goes idle and ends.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while ferrolite::checkpointer::has_worker(&path) && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert!(!ferrolite::checkpointer::has_worker(&path), "the worker did not end");
    assert!(file_size(&path) > before + 200 * 1000, "the checkpoints did not reach the database file");
    assert_eq!(run(&mut c, "SELECT count(*) FROM t; PRAGMA integrity_check").unwrap(), vec![vec![Value::text("ok")]]);
    assert_eq!(run(&mut c, "SELECT count(*) FROM t").unwrap(), vec![vec![Value::Integer(300)]]);
    drop(c);
    let mut again = open(&path);
    assert_eq!(run(&mut again, "SELECT count(*), sum(length(x)) > 300000 FROM t").unwrap(), vec![vec![Value::Integer(300), Value::Integer(1)]]);
    drop(again);
    common::remove_db(&path);
}

#[test]
fn off_by_default_the_committer_checkpoints_itself() {
    let path = tmp_db("bgckpt", "inline");
    let mut c = open(&path);
    run(&mut c, "PRAGMA journal_mode = WAL; PRAGMA wal_autocheckpoint = 20; CREATE TABLE t(x)").unwrap();
    for i in 0..100 {
        run(&mut c, &format!("INSERT INTO t VALUES(zeroblob(1000 + {i}))")).unwrap();
        assert!(!ferrolite::checkpointer::has_worker(&path));
    }
    assert!(file_size(&path) > 60 * 1000, "the committing connection did not checkpoint");
    drop(c);
    common::remove_db(&path);
}
