//! Databases SQLite wrote with schema objects Ferrolite does not implement
//! yet still open: their other tables work, and the objects themselves
//! fail with SQLite's "no such module" (virtual tables such as FTS5),
//! never with wrong rows or a "malformed schema"; an R*Tree SQLite wrote
//! works, and tables with generated columns are read and written. Uses
//! the machine's `sqlite3` CLI.

mod common;
use common::{have_sqlite3, open, run, sqlite3};

use ferrolite::Value;

fn tmp(name: &str) -> String {
    common::tmp_db("schema-interop", name)
}

/// Creates a file with the CLI holding `special` beside an ordinary table,
/// then checks Ferrolite's view of it; skipped when the CLI cannot create
/// that object (built without the module).
fn check(name: &str, special: &str, object: &str, expected_error: &str) {
    if !have_sqlite3() {
        eprintln!("no sqlite3 CLI: skipped");
        return;
    }
    let path = tmp(name);
    let made = common::cli().arg(&path).arg(format!("CREATE TABLE plain(x); INSERT INTO plain VALUES(1); {special}")).output().expect("run sqlite3");
    if !made.status.success() {
        eprintln!("the CLI cannot create {object}: skipped");
        return;
    }
    let mut c = open(&path);
    assert_eq!(run(&mut c, "SELECT x FROM plain").unwrap(), vec![vec![Value::Integer(1)]]);
    run(&mut c, "INSERT INTO plain VALUES(2)").unwrap();
    assert_eq!(run(&mut c, &format!("SELECT * FROM {object}")).unwrap_err(), expected_error);
    assert_eq!(run(&mut c, &format!("INSERT INTO {object} SELECT * FROM {object}")).unwrap_err(), expected_error);
    assert_eq!(run(&mut c, "PRAGMA integrity_check").unwrap(), vec![vec![Value::text("ok")]]);
    drop(c);
    assert_eq!(sqlite3(&path, "PRAGMA integrity_check; SELECT count(*) FROM plain;"), "ok\n2");
    let _ = std::fs::remove_file(&path);
}

#[test]
fn fts5_tables_are_known_but_not_read() {
    check("fts5", "CREATE VIRTUAL TABLE f USING fts5(body); INSERT INTO f VALUES('hello world');", "f", "no such module: fts5");
}

/// An R*Tree SQLite wrote is read, changed and checked by Ferrolite's
/// built-in rtree module (its shadow tables are SQLite's), and SQLite
/// finds the file intact afterwards.
#[test]
fn rtree_tables_written_by_sqlite_work() {
    if !have_sqlite3() {
        eprintln!("no sqlite3 CLI: skipped");
        return;
    }
    let path = tmp("rtree");
    let made = common::cli().arg(&path).arg("CREATE VIRTUAL TABLE r USING rtree(id, x0, x1); INSERT INTO r VALUES(1, 0, 1), (2, 5, 7);").output().expect("run sqlite3");
    if !made.status.success() {
        eprintln!("the CLI cannot create an rtree table: skipped");
        return;
    }
    let mut c = open(&path);
    assert_eq!(run(&mut c, "SELECT id, x0, x1 FROM r WHERE x1 > 2").unwrap(), vec![vec![Value::Integer(2), Value::Real(5.0), Value::Real(7.0)]]);
    run(&mut c, "INSERT INTO r VALUES(3, 2, 3)").unwrap();
    run(&mut c, "DELETE FROM r WHERE id = 1").unwrap();
    assert_eq!(run(&mut c, "SELECT rtreecheck('r')").unwrap(), vec![vec![Value::text("ok")]]);
    drop(c);
    assert_eq!(sqlite3(&path, "PRAGMA integrity_check; SELECT rtreecheck('r'); SELECT group_concat(id) FROM r;"), "ok\nok\n2,3");
    let _ = std::fs::remove_file(&path);
}

#[test]
fn tables_with_generated_columns_written_by_sqlite_are_read_and_written() {
    if !have_sqlite3() {
        eprintln!("no sqlite3 CLI: skipped");
        return;
    }
    let path = tmp("generated");
    let made = common::cli()
        .arg(&path)
        .arg("CREATE TABLE g(a, b AS (a * 2), c AS (a + 1) STORED, d); CREATE INDEX gb ON g(b); INSERT INTO g(a, d) VALUES(1, 'x'), (5, 'y');")
        .output()
        .expect("run sqlite3");
    if !made.status.success() {
        eprintln!("the CLI cannot create generated columns: skipped");
        return;
    }
    let mut c = open(&path);
    let row = |a: i64, d: &str| vec![Value::Integer(a), Value::Integer(a * 2), Value::Integer(a + 1), Value::text(d)];
    assert_eq!(run(&mut c, "SELECT * FROM g ORDER BY a").unwrap(), vec![row(1, "x"), row(5, "y")]);
    assert_eq!(run(&mut c, "SELECT d FROM g WHERE b = 10").unwrap(), vec![vec![Value::text("y")]]);
    run(&mut c, "INSERT INTO g(a, d) VALUES(7, 'z'); UPDATE g SET a = 2 WHERE d = 'x'; DELETE FROM g WHERE d = 'y'").unwrap();
    assert_eq!(run(&mut c, "INSERT INTO g(b) VALUES(1)").unwrap_err(), "cannot INSERT into generated column \"b\"");
    assert_eq!(run(&mut c, "PRAGMA integrity_check").unwrap(), vec![vec![Value::text("ok")]]);
    drop(c);
    assert_eq!(sqlite3(&path, "PRAGMA integrity_check; SELECT a, b, c, d FROM g WHERE b > 0 ORDER BY b;"), "ok\n2|4|3|x\n7|14|8|z");
    let _ = std::fs::remove_file(&path);
}
