//! Databases SQLite wrote with schema objects Ferrolite does not implement
//! yet still open: their other tables work, and the objects themselves
//! fail with SQLite's "no such module" (virtual tables such as FTS5) or a
//! "not supported yet" error (generated columns), never with wrong rows
//! or a "malformed schema"; an R*Tree SQLite wrote works. Uses the
//! machine's `sqlite3` CLI.

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
fn tables_with_generated_columns_are_refused_not_misread() {
    check("generated", "CREATE TABLE g(a, b AS (a * 2), c AS (a + 1) STORED, d); INSERT INTO g(a, d) VALUES(1, 'x');", "g", "generated columns are not supported yet (table g)");
    let mut c = open(&tmp("generated-new"));
    assert_eq!(run(&mut c, "CREATE TABLE g2(a, b AS (a + 1))").unwrap_err(), "generated columns are not supported yet (table g2)");
}
