//! Connection state that SQLite's clients (FMDB's Objective-C users, see
//! compat-tests/objc) lean on between steps:
//! - an interrupt that comes between two steps stops the statement at the
//!   next step, however few instructions that step runs;
//! - built-in functions, `||` and records refuse values longer than
//!   SQLITE_LIMIT_LENGTH;
//! - BEGIN EXCLUSIVE locks readers out of a rollback-journal file at once,
//!   and is IMMEDIATE in WAL mode.

use std::sync::atomic::Ordering;

use ferrolite::connection::Connection;
use ferrolite::error::code;
use ferrolite::vdbe::StepResult;

mod common;
use common::{open, remove_db as cleanup};

fn tmp(name: &str) -> String {
    common::tmp_db("stepstate", name)
}

/// Runs one statement to its end: its rows' first values as text, or its
/// error's extended code.
fn run(conn: &mut Connection, sql: &str) -> Result<Vec<String>, i32> {
    let (stmt, _) = conn.prepare(sql).map_err(|e| e.extended_code())?;
    let Some(mut stmt) = stmt else { return Ok(Vec::new()) };
    let mut rows = Vec::new();
    let r = loop {
        match stmt.step(conn) {
            Ok(StepResult::Row) => rows.push(format!("{:?}", stmt.row()[0])),
            Ok(StepResult::Done) => break Ok(rows),
            Err(e) => break Err(e.extended_code()),
        }
    };
    let _ = stmt.reset(conn);
    r
}

#[test]
fn interrupt_between_steps_stops_the_next_step() {
    let path = tmp("interrupt");
    let mut conn = open(&path);
    run(&mut conn, "CREATE TABLE n(x)").unwrap();
    run(&mut conn, "INSERT INTO n SELECT value FROM (WITH RECURSIVE c(value) AS (SELECT 1 UNION ALL SELECT value+1 FROM c WHERE value<100) SELECT value FROM c)").unwrap();
    let (stmt, _) = conn.prepare("SELECT a.x FROM n a, n b").unwrap();
    let mut stmt = stmt.unwrap();
    let flag = conn.interrupt_handle();
    let mut rows = 0;
    let end = loop {
        match stmt.step(&mut conn) {
            Ok(StepResult::Row) => {
                rows += 1;
                if rows == 3 {
                    flag.store(true, Ordering::Relaxed);
                }
            }
            Ok(StepResult::Done) => break Ok(()),
            Err(e) => break Err(e.primary_code()),
        }
    };
    assert_eq!(end, Err(code::INTERRUPT));
    assert_eq!(rows, 3);
    let _ = stmt.reset(&mut conn);
    drop(stmt);
    // The next statement, starting while none runs, forgets the interrupt.
    assert_eq!(run(&mut conn, "SELECT count(*) FROM n"), Ok(vec!["Integer(100)".to_string()]));
    drop(conn);
    cleanup(&path);
}

#[test]
fn length_limit_refuses_long_values() {
    let mut conn = open(":memory:");
    run(&mut conn, "CREATE TABLE r(a)").unwrap();
    conn.limits[0] = 100;
    for sql in [
        "SELECT zeroblob(101)",
        "SELECT randomblob(101)",
        "SELECT printf('%101s', 'x')",
        "SELECT printf('%50s', 'x') || printf('%51s', 'x')",
        // A 101-byte record: a 3-byte header (98 bytes of text take a
        // 2-byte serial type) and 98 bytes of text.
        "INSERT INTO r VALUES (printf('%98s', 'x'))",
    ] {
        assert_eq!(run(&mut conn, sql), Err(code::TOOBIG), "{sql}");
    }
    assert!(run(&mut conn, "SELECT zeroblob(100)").is_ok());
    assert!(run(&mut conn, "SELECT printf('%50s', 'x') || printf('%50s', 'x')").is_ok());
    assert!(run(&mut conn, "INSERT INTO r VALUES (printf('%97s', 'x'))").is_ok());
    conn.limits[0] = 1_000_000_000;
    assert!(run(&mut conn, "SELECT zeroblob(101)").is_ok());
}

#[test]
fn begin_exclusive_locks_readers_out() {
    let path = tmp("exclusive");
    let mut a = open(&path);
    let mut b = open(&path);
    run(&mut a, "CREATE TABLE t(x)").unwrap();
    run(&mut b, "BEGIN IMMEDIATE").unwrap();
    assert!(run(&mut a, "SELECT count(*) FROM t").is_ok(), "IMMEDIATE lets others read");
    run(&mut b, "COMMIT").unwrap();
    run(&mut b, "BEGIN EXCLUSIVE").unwrap();
    assert_eq!(run(&mut a, "SELECT count(*) FROM t"), Err(code::BUSY));
    run(&mut b, "COMMIT").unwrap();
    assert!(run(&mut a, "SELECT count(*) FROM t").is_ok());

    // While a reads, BEGIN EXCLUSIVE fails and leaves no lock behind.
    let (stmt, _) = a.prepare("SELECT x FROM t").unwrap();
    let mut reader = stmt.unwrap();
    run(&mut a, "INSERT INTO t VALUES (1)").unwrap();
    assert!(matches!(reader.step(&mut a), Ok(StepResult::Row)));
    assert_eq!(run(&mut b, "BEGIN EXCLUSIVE"), Err(code::BUSY));
    assert!(run(&mut b, "SELECT count(*) FROM t").is_ok());
    let _ = reader.reset(&mut a);
    drop(reader);
    run(&mut b, "BEGIN EXCLUSIVE").unwrap();
    run(&mut b, "COMMIT").unwrap();

    // In WAL mode, EXCLUSIVE is IMMEDIATE: readers go on.
    run(&mut a, "PRAGMA journal_mode=WAL").unwrap();
    run(&mut b, "BEGIN EXCLUSIVE").unwrap();
    run(&mut b, "INSERT INTO t VALUES (2)").unwrap();
    assert_eq!(run(&mut a, "SELECT count(*) FROM t"), Ok(vec!["Integer(1)".to_string()]));
    run(&mut b, "COMMIT").unwrap();
    drop(a);
    drop(b);
    cleanup(&path);
}
