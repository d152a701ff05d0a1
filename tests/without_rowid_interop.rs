//! WITHOUT ROWID tables shared with SQLite through the file: a table
//! SQLite wrote (composite PRIMARY KEY with a DESC column and a NOCASE
//! column, a UNIQUE constraint, secondary indexes, enough rows for
//! B-trees of several levels) is read, searched, updated and deleted
//! from by Ferrolite, and SQLite then finds the file intact with the rows
//! Ferrolite left; and the reverse, a table Ferrolite wrote read, checked
//! and changed by SQLite, then read back by Ferrolite. Uses the machine's
//! `sqlite3` CLI.

mod common;
use common::{have_sqlite3, open, run, sqlite3};

use ferrolite::Value;

fn tmp(name: &str) -> String {
    common::tmp_db("without-rowid", name)
}

const SCHEMA: &str = "CREATE TABLE w(k TEXT COLLATE NOCASE, n INT, v BLOB, x, u, PRIMARY KEY(k, n DESC), UNIQUE(u)) WITHOUT ROWID;
     CREATE INDEX wx ON w(x);
     CREATE INDEX wnk ON w(n, k);";

/// Fills `w` with 3000 rows: 700 keys, blobs up to 600 bytes (some rows
/// span overflow pages at 1 KiB pages), x in 0..17, u unique or NULL (the
/// NULLs of the UNIQUE index are ordered by the PRIMARY KEY tail, which
/// SQLite keeps ascending there even for the DESC column).
const FILL: &str = "WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 3000)
     INSERT INTO w SELECT printf('Key%05d', i % 700), i, zeroblob(i % 600), i % 17, CASE WHEN i % 10 = 0 THEN NULL ELSE i * 3 END FROM c;";

/// The changes each library makes to the other's table.
const CHANGES: &str = "UPDATE w SET x = x + 100 WHERE n % 3 = 0;
     DELETE FROM w WHERE n % 5 = 0;
     UPDATE w SET k = k || 'm' WHERE n % 7 = 0;
     UPDATE w SET n = n + 100000 WHERE n % 11 = 0;
     INSERT OR REPLACE INTO w VALUES('KEY00001', 2, x'00', 1, 30000), ('new', 1, x'01', 2, 6);";

/// What both libraries must report of the table after `CHANGES`.
const SUMMARY: &str = "SELECT count(*), sum(n), sum(x), sum(length(v)), sum(u) FROM w;
     SELECT group_concat(n) FROM (SELECT n FROM w WHERE k = 'key00006' ORDER BY n DESC);
     SELECT count(*) FROM w WHERE x = 103;
     SELECT k, n FROM w WHERE u = 4503;
     SELECT count(*) FROM w WHERE n BETWEEN 100 AND 200;";

fn summary_of(c: &mut ferrolite::connection::Connection) -> String {
    SUMMARY
        .split(';')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| common::render(&run(c, s).unwrap()))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn tables_sqlite_wrote_are_read_and_changed() {
    if !have_sqlite3() {
        eprintln!("no sqlite3 CLI: skipped");
        return;
    }
    let path = tmp("from-sqlite");
    sqlite3(&path, &format!("PRAGMA page_size = 1024; {SCHEMA} {FILL}"));
    // The reference answers, from a copy SQLite changes itself.
    let copy = tmp("from-sqlite-copy");
    std::fs::copy(&path, &copy).unwrap();
    sqlite3(&copy, CHANGES);
    let want = sqlite3(&copy, SUMMARY);

    let mut c = open(&path);
    // Searches through the PRIMARY KEY and each index before any change.
    assert_eq!(run(&mut c, "SELECT count(*), sum(n) FROM w").unwrap(), vec![vec![Value::Integer(3000), Value::Integer(4_501_500)]]);
    assert_eq!(common::render(&run(&mut c, "SELECT n FROM w WHERE k = 'KEY00005' AND n = 705").unwrap()), "705");
    assert_eq!(common::render(&run(&mut c, "SELECT k FROM w WHERE u = 4503").unwrap()), "Key00101");
    assert_eq!(common::render(&run(&mut c, "SELECT count(*) FROM w WHERE x = 3").unwrap()), "177");
    for s in CHANGES.split(';').map(str::trim).filter(|s| !s.is_empty()) {
        run(&mut c, s).unwrap();
    }
    assert_eq!(summary_of(&mut c), want);
    assert_eq!(run(&mut c, "PRAGMA integrity_check").unwrap(), vec![vec![Value::text("ok")]]);
    drop(c);
    assert_eq!(sqlite3(&path, "PRAGMA integrity_check"), "ok");
    assert_eq!(sqlite3(&path, SUMMARY), want);
    common::remove_db(&path);
    common::remove_db(&copy);
}

#[test]
fn tables_ferrolite_wrote_are_read_and_changed_by_sqlite() {
    if !have_sqlite3() {
        eprintln!("no sqlite3 CLI: skipped");
        return;
    }
    let path = tmp("from-ferrolite");
    let mut c = open(&path);
    run(&mut c, &format!("PRAGMA page_size = 1024; {SCHEMA} BEGIN; {FILL} COMMIT;")).unwrap();
    drop(c);
    // SQLite finds the schema rows it would have written: no row for the
    // PRIMARY KEY, one for the UNIQUE constraint's index.
    assert_eq!(
        sqlite3(&path, "SELECT type, name, tbl_name FROM sqlite_schema ORDER BY rootpage"),
        "table|w|w\nindex|sqlite_autoindex_w_2|w\nindex|wx|w\nindex|wnk|w"
    );
    assert_eq!(sqlite3(&path, "PRAGMA integrity_check"), "ok");
    assert_eq!(sqlite3(&path, "SELECT count(*), sum(n), sum(length(v)) FROM w"), "3000|4501500|898500");
    let copy = tmp("from-ferrolite-copy");
    std::fs::copy(&path, &copy).unwrap();
    sqlite3(&path, CHANGES);
    let want = sqlite3(&path, SUMMARY);
    assert_eq!(sqlite3(&path, "PRAGMA integrity_check"), "ok");
    // Ferrolite reads what SQLite changed, and makes the same changes to
    // its own copy.
    let mut c = open(&path);
    assert_eq!(summary_of(&mut c), want);
    assert_eq!(run(&mut c, "PRAGMA integrity_check").unwrap(), vec![vec![Value::text("ok")]]);
    let mut d = open(&copy);
    for s in CHANGES.split(';').map(str::trim).filter(|s| !s.is_empty()) {
        run(&mut d, s).unwrap();
    }
    assert_eq!(summary_of(&mut d), want);
    drop(c);
    drop(d);
    assert_eq!(sqlite3(&copy, "PRAGMA integrity_check"), "ok");
    common::remove_db(&path);
    common::remove_db(&copy);
}
