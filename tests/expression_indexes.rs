//! Indexes on expressions and partial indexes against real SQLite (the
//! machine's `sqlite3` CLI): a file SQLite wrote with such indexes opens in
//! Ferrolite, and after Ferrolite inserts, updates, deletes and reindexes,
//! SQLite's integrity_check (which checks every index entry, expression
//! and partial ones included) is ok and SQLite's queries through those
//! indexes see Ferrolite's rows; the same for a file Ferrolite created.

mod common;
use common::{have_sqlite3, open, render, run, sqlite3};
use ferrolite::connection::Connection;


fn tmp(name: &str) -> String {
    common::tmp_db("exprix", name)
}

const SCHEMA: &str = "
CREATE TABLE t(id INTEGER PRIMARY KEY, a INT, b TEXT, c);
CREATE INDEX te ON t(lower(b), a + 1 DESC);
CREATE INDEX tp ON t(a) WHERE c IS NOT NULL;
CREATE UNIQUE INDEX tu ON t(b COLLATE NOCASE) WHERE c > 100;
CREATE INDEX tq ON t(substr(b, 2), c) WHERE a % 3 = 0;
";

const WORK: &str = "
WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < 400)
  INSERT INTO t(a, b, c) SELECT n % 37, 'Name' || n, CASE WHEN n % 4 = 0 THEN NULL ELSE n END FROM s;
UPDATE t SET b = upper(b), c = c + 1000 WHERE a % 5 = 0;
UPDATE t SET c = NULL WHERE id % 7 = 0;
DELETE FROM t WHERE a = 11 OR id % 13 = 0;
INSERT OR REPLACE INTO t(id, a, b, c) VALUES(3, 3, 'name5', 101);
";

const QUERIES: &[&str] = &[
    "SELECT count(*), sum(id) FROM t WHERE lower(b) = 'name12'",
    "SELECT count(*), sum(id) FROM t WHERE c IS NOT NULL AND a = 9",
    "SELECT count(*), sum(id) FROM t INDEXED BY tq WHERE a % 3 = 0 AND substr(b, 2) > 'ame2'",
    "SELECT count(*) FROM t",
];

fn check_with_sqlite(path: &str, ours: &mut Connection) {
    assert_eq!(sqlite3(path, "PRAGMA integrity_check;"), "ok");
    for q in QUERIES {
        if q.contains("INDEXED BY") {
            // Ferrolite does not plan with partial indexes: compare the
            // answer without the hint.
            let plain = q.replace(" INDEXED BY tq", "");
            assert_eq!(sqlite3(path, &format!("{q};")), render(&run(ours, &plain).unwrap()), "{q}");
        } else {
            assert_eq!(sqlite3(path, &format!("{q};")), render(&run(ours, q).unwrap()), "{q}");
        }
    }
}

#[test]
fn files_sqlite_wrote_stay_valid_after_ferrolite_changes_them() {
    if !have_sqlite3() {
        eprintln!("no sqlite3 CLI: skipped");
        return;
    }
    let path = tmp("theirs");
    sqlite3(&path, &format!("{SCHEMA} INSERT INTO t(a, b, c) VALUES(1, 'Seed', 200);"));
    let mut c = open(&path);
    run(&mut c, WORK).unwrap();
    check_with_sqlite(&path, &mut c);
    run(&mut c, "REINDEX; VACUUM").unwrap();
    check_with_sqlite(&path, &mut c);
    let _ = std::fs::remove_file(&path);
}

#[test]
fn files_ferrolite_created_are_valid_for_sqlite() {
    if !have_sqlite3() {
        eprintln!("no sqlite3 CLI: skipped");
        return;
    }
    let path = tmp("ours");
    let mut c = open(&path);
    run(&mut c, SCHEMA).unwrap();
    run(&mut c, WORK).unwrap();
    check_with_sqlite(&path, &mut c);
    // A duplicate under the partial UNIQUE index's condition fails, one
    // outside it does not.
    assert!(run(&mut c, "INSERT INTO t(a, b, c) VALUES(1, 'NAME5', 500)").unwrap_err().contains("UNIQUE constraint failed: t.b"));
    run(&mut c, "INSERT INTO t(a, b, c) VALUES(1, 'NAME5', 5)").unwrap();
    check_with_sqlite(&path, &mut c);
    let _ = std::fs::remove_file(&path);
}
