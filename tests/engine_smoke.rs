//! End-to-end checks of the engine through `Connection`: SQL in, rows out.

mod common;
use common::run;

use std::sync::Arc;

use ferrolite::connection::Connection;
use ferrolite::os::unix::UnixVfs;
use ferrolite::os::OpenFlags;
use ferrolite::vdbe::StepResult;
use ferrolite::Value;

fn open(path: &str) -> Connection {
    let flags = OpenFlags(OpenFlags::READWRITE.0 | OpenFlags::CREATE.0);
    Connection::open(Arc::new(UnixVfs::new()), path, flags).expect("open")
}


fn tmpdb(name: &str) -> String {
    let dir = std::env::temp_dir().join(format!("ferrolite-engine-{}-{}", std::process::id(), name));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir.join("t.db").to_string_lossy().into_owned()
}

#[test]
fn create_insert_select() {
    let path = tmpdb("basic");
    let mut c = open(&path);
    run(&mut c, "CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT NOT NULL, score REAL, data BLOB); CREATE INDEX t_score ON t(score);").unwrap();
    run(&mut c, "INSERT INTO t VALUES(1, 'a', 1.5, x'01'); INSERT INTO t(name, score) VALUES('b', 2.5), ('c', NULL);").unwrap();
    let rows = run(&mut c, "SELECT id, name, score FROM t ORDER BY id DESC").unwrap();
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[0], vec![Value::Integer(3), Value::text("c"), Value::Null]);
    let rows = run(&mut c, "SELECT count(*), sum(score), max(score) FROM t").unwrap();
    assert_eq!(rows, vec![vec![Value::Integer(3), Value::Real(4.0), Value::Real(2.5)]]);
    let rows = run(&mut c, "SELECT name FROM t WHERE score BETWEEN 2 AND 3").unwrap();
    assert_eq!(rows, vec![vec![Value::text("b")]]);
    assert_eq!(run(&mut c, "SELEC 1").unwrap_err(), "near \"SELEC\": syntax error");
    assert_eq!(run(&mut c, "INSERT INTO t(name) VALUES(NULL)").unwrap_err(), "NOT NULL constraint failed: t.name");
    run(&mut c, "UPDATE t SET score = score * 2 WHERE id < 3; DELETE FROM t WHERE id = 3").unwrap();
    let rows = run(&mut c, "SELECT id, score FROM t ORDER BY score").unwrap();
    assert_eq!(rows, vec![vec![Value::Integer(1), Value::Real(3.0)], vec![Value::Integer(2), Value::Real(5.0)]]);
    let rows = run(&mut c, "SELECT sql FROM sqlite_master ORDER BY rowid").unwrap();
    assert_eq!(rows[0], vec![Value::text("CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT NOT NULL, score REAL, data BLOB)")]);
    drop(c);
    let mut c = open(&path);
    let rows = run(&mut c, "SELECT count(*) FROM t WHERE score > 4").unwrap();
    assert_eq!(rows, vec![vec![Value::Integer(1)]]);
}

#[test]
fn a_failing_statement_inside_a_transaction_is_undone_alone() {
    let path = tmpdb("stmt-rollback");
    let mut c = open(&path);
    run(&mut c, "CREATE TABLE t(a INTEGER PRIMARY KEY, b UNIQUE); BEGIN; INSERT INTO t VALUES(1, 'x')").unwrap();
    // The second row conflicts: the whole multi-row INSERT is undone, the
    // transaction and its first INSERT stay.
    let err = run(&mut c, "INSERT INTO t VALUES(2, 'y'), (3, 'x')").unwrap_err();
    assert_eq!(err, "UNIQUE constraint failed: t.b");
    run(&mut c, "INSERT INTO t VALUES(4, 'z'); COMMIT").unwrap();
    let rows = run(&mut c, "SELECT a FROM t ORDER BY a").unwrap();
    assert_eq!(rows, vec![vec![Value::Integer(1)], vec![Value::Integer(4)]]);
    // OR FAIL keeps the rows written before the failure.
    run(&mut c, "BEGIN").unwrap();
    assert!(run(&mut c, "INSERT OR FAIL INTO t VALUES(5, 'p'), (6, 'x'), (7, 'q')").is_err());
    run(&mut c, "COMMIT").unwrap();
    let rows = run(&mut c, "SELECT a FROM t ORDER BY a").unwrap();
    assert_eq!(rows, vec![vec![Value::Integer(1)], vec![Value::Integer(4)], vec![Value::Integer(5)]]);
    // OR ROLLBACK ends the transaction.
    run(&mut c, "BEGIN; INSERT INTO t VALUES(8, 'r')").unwrap();
    assert!(run(&mut c, "INSERT OR ROLLBACK INTO t VALUES(9, 'x')").is_err());
    assert_eq!(run(&mut c, "COMMIT").unwrap_err(), "cannot commit - no transaction is active");
    assert_eq!(run(&mut c, "SELECT count(*) FROM t").unwrap(), vec![vec![Value::Integer(3)]]);
    assert_eq!(run(&mut c, "PRAGMA integrity_check").unwrap(), vec![vec![Value::text("ok")]]);
}

#[test]
fn schema_queries_with_order_by() {
    let path = tmpdb("schema-order");
    let mut c = open(&path);
    run(&mut c, "CREATE TABLE \"index\"(\"index\" blob); CREATE TABLE t1(id integer primary key, s1 text, unique (s1)); CREATE INDEX t1_idx2 on t1 (s1)").unwrap();
    let rows = run(&mut c, "SELECT \"name\", \"type\" FROM \"sqlite_master\" WHERE \"sql\" NOT NULL AND \"type\" == 'table' ORDER BY \"name\"").unwrap();
    assert_eq!(rows, vec![vec![Value::text("index"), Value::text("table")], vec![Value::text("t1"), Value::text("table")]]);
}

#[test]
fn a_reader_runs_on_across_commit_and_autocommit_writes() {
    let path = tmpdb("reader-across-commit");
    let mut c = open(&path);
    run(&mut c, "CREATE TABLE t(c); CREATE TABLE t2(c); INSERT INTO t VALUES(0),(1),(2)").unwrap();
    let (reader, _) = c.prepare("SELECT c FROM t").unwrap();
    let mut reader = reader.unwrap();
    let mut seen = 0;
    while reader.step(&mut c).unwrap() == StepResult::Row {
        seen += 1;
        // An explicit transaction committed while the SELECT runs ...
        run(&mut c, &format!("BEGIN; INSERT INTO t2 VALUES({seen}); COMMIT")).unwrap();
        // ... and an autocommit write, committed at once.
        run(&mut c, &format!("INSERT INTO t2 VALUES({})", seen + 100)).unwrap();
    }
    reader.reset(&mut c).unwrap();
    assert_eq!(seen, 3);
    // Both kinds of write are durable: another connection sees them.
    let mut other = open(&path);
    assert_eq!(run(&mut other, "SELECT count(*) FROM t2").unwrap(), vec![vec![Value::Integer(6)]]);
}

#[test]
fn explain_query_plan_speaks_sqlites_words() {
    let path = tmpdb("eqp");
    let mut c = open(&path);
    run(&mut c, "CREATE TABLE t(id INTEGER PRIMARY KEY, a INT, b TEXT); CREATE INDEX ta ON t(a); CREATE TABLE u(x, y)").unwrap();
    let plan = |c: &mut Connection, q: &str| -> Vec<String> {
        run(c, &format!("EXPLAIN QUERY PLAN {q}"))
            .unwrap()
            .into_iter()
            .map(|r| match &r[3] {
                Value::Text(t) => String::from_utf8_lossy(t).into_owned(),
                other => format!("{other:?}"),
            })
            .collect()
    };
    assert_eq!(plan(&mut c, "SELECT * FROM t WHERE id = 5"), ["SEARCH t USING INTEGER PRIMARY KEY (rowid=?)"]);
    assert_eq!(plan(&mut c, "SELECT * FROM t WHERE a BETWEEN 1 AND 2"), ["SEARCH t USING INDEX ta (a>? AND a<?)"]);
    assert_eq!(plan(&mut c, "SELECT * FROM t ORDER BY b"), ["SCAN t", "USE TEMP B-TREE FOR ORDER BY"]);
    assert_eq!(plan(&mut c, "SELECT * FROM t ORDER BY a"), ["SCAN t USING INDEX ta"]);
    // Only indexed columns (and the rowid) read: the table is never visited.
    assert_eq!(plan(&mut c, "SELECT id, a FROM t ORDER BY a"), ["SCAN t USING COVERING INDEX ta"]);
    assert_eq!(plan(&mut c, "SELECT count(*) FROM t WHERE a BETWEEN 1 AND 2"), ["SEARCH t USING COVERING INDEX ta (a>? AND a<?)"]);
    assert_eq!(plan(&mut c, "SELECT * FROM t, u WHERE t.id = u.x"), ["SCAN u", "SEARCH t USING INTEGER PRIMARY KEY (rowid=?)"]);
    assert_eq!(plan(&mut c, "SELECT * FROM t LEFT JOIN u ON u.x = t.a"), ["SCAN t", "SCAN u LEFT-JOIN"]);
    // No index serves u.y: an automatic one is built (SQLite's is a
    // covering index, announced with a Bloom filter; Ferrolite's is not).
    assert_eq!(plan(&mut c, "SELECT * FROM t, u WHERE u.y = t.b"), ["SCAN t", "SEARCH u USING AUTOMATIC INDEX (y=?)"]);
    assert_eq!(plan(&mut c, "SELECT (SELECT count(*) FROM u WHERE u.y = t.b) FROM t"), ["SCAN t", "CORRELATED SCALAR SUBQUERY 1", "SEARCH u USING AUTOMATIC INDEX (y=?)"]);
    // RIGHT / FULL JOIN: the loops, then one pass per right-joined table
    // (named by table, not alias), as SQLite 3.54.1 lists them.
    assert_eq!(
        plan(&mut c, "SELECT * FROM u RIGHT JOIN t ON t.a = u.x ORDER BY u.y"),
        ["SCAN u", "SEARCH t USING INDEX ta (a=?)", "RIGHT-JOIN t", "SCAN t", "USE TEMP B-TREE FOR ORDER BY"]
    );
    assert_eq!(plan(&mut c, "SELECT * FROM t FULL JOIN u ON t.a = u.x"), ["SCAN t", "SCAN u LEFT-JOIN", "RIGHT-JOIN u", "SCAN u"]);
    assert_eq!(
        plan(&mut c, "SELECT u.x, t2.b FROM t AS t2 RIGHT JOIN u ON t2.b = u.x GROUP BY 1"),
        ["SCAN t2", "SCAN u", "USE TEMP B-TREE FOR GROUP BY", "RIGHT-JOIN u", "SCAN u"]
    );
    assert_eq!(
        plan(&mut c, "SELECT * FROM u LEFT JOIN t ON t.id = u.x RIGHT JOIN t AS t2 ON t2.a = u.x"),
        ["SCAN u", "SEARCH t USING INTEGER PRIMARY KEY (rowid=?) LEFT-JOIN", "SEARCH t2 USING INDEX ta (a=?)", "RIGHT-JOIN t", "SCAN t2"]
    );
    // EXPLAIN lists the program without running it.
    let listing = run(&mut c, "EXPLAIN INSERT INTO u VALUES(1, 2)").unwrap();
    assert!(listing.len() > 3);
    assert_eq!(run(&mut c, "SELECT count(*) FROM u").unwrap(), vec![vec![Value::Integer(0)]]);
}
