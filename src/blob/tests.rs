//! Blob handles through the engine: open errors, reads and writes across
//! overflow pages, expiry, reopen, rollback, and the transaction a handle
//! holds.

use std::sync::Arc;

use super::Blob;
use crate::connection::Connection;
use crate::error::code;
use crate::os::memory::MemoryVfs;
use crate::os::OpenFlags;
use crate::vdbe::StepResult;
use crate::Value;

fn open() -> Connection {
    let flags = OpenFlags(OpenFlags::READWRITE.0 | OpenFlags::CREATE.0);
    Connection::open(Arc::new(MemoryVfs::new()), ":memory:", flags).expect("open")
}

fn run(conn: &mut Connection, sql: &str) -> Result<Vec<Vec<Value>>, String> {
    let mut rest = sql;
    let mut rows = Vec::new();
    loop {
        let (stmt, tail) = conn.prepare(rest).map_err(|e| e.message().to_string())?;
        let Some(mut stmt) = stmt else { break };
        rows.clear();
        loop {
            match stmt.step(conn) {
                Ok(StepResult::Row) => rows.push(stmt.row().to_vec()),
                Ok(StepResult::Done) => break,
                Err(e) => {
                    let _ = stmt.reset(conn);
                    return Err(e.message().to_string());
                }
            }
        }
        stmt.reset(conn).map_err(|e| e.message().to_string())?;
        rest = &rest[tail..];
    }
    Ok(rows)
}

fn setup() -> Connection {
    let mut c = open();
    run(&mut c, "CREATE TABLE t(id INTEGER PRIMARY KEY, a, b, c UNIQUE); CREATE VIEW v AS SELECT * FROM t;").unwrap();
    run(&mut c, "INSERT INTO t VALUES(1, 'hello', zeroblob(100000), 'x'), (2, 12, 1.5, NULL), (3, 'abc', x'0102', 'y')").unwrap();
    c
}

fn open_err(c: &mut Connection, db: Option<&str>, t: &str, col: &str, row: i64, w: bool) -> (i32, String) {
    let e = c.blob_open(db, t, col, row, w).expect_err("open should fail");
    (e.primary_code(), e.message().to_string())
}

#[test]
fn open_errors_are_sqlites() {
    let mut c = setup();
    assert_eq!(open_err(&mut c, Some("main"), "nope", "a", 1, false).1, "no such table: main.nope");
    assert_eq!(open_err(&mut c, None, "nope", "a", 1, false).1, "no such table: nope");
    assert_eq!(open_err(&mut c, None, "v", "a", 1, false).1, "cannot open view: v");
    assert_eq!(open_err(&mut c, None, "t", "zz", 1, false).1, "no such column: \"zz\"");
    assert_eq!(open_err(&mut c, None, "t", "c", 1, true).1, "cannot open indexed column for writing");
    assert_eq!(open_err(&mut c, None, "t", "a", 7, false).1, "no such rowid: 7");
    assert_eq!(open_err(&mut c, None, "t", "a", 2, false).1, "cannot open value of type integer");
    assert_eq!(open_err(&mut c, None, "t", "b", 2, false).1, "cannot open value of type real");
    assert_eq!(open_err(&mut c, None, "t", "c", 2, false).1, "cannot open value of type null");
    assert_eq!(open_err(&mut c, None, "t", "id", 1, false).1, "cannot open value of type null");
    // A failed open leaves nothing running.
    assert_eq!(c.active_vms, 0);
    assert_eq!(c.blob_writers, 0);
}

#[test]
fn read_and_write_across_overflow_pages() {
    let mut c = setup();
    let mut b = c.blob_open(Some("main"), "t", "b", 1, true).unwrap();
    assert_eq!(b.bytes(), 100_000);
    let data: Vec<u8> = (0..70_000u32).map(|i| (i % 251) as u8).collect();
    b.write(&mut c, &data, 20_000).unwrap();
    let mut back = vec![0u8; 70_000];
    b.read(&mut c, &mut back, 20_000).unwrap();
    assert_eq!(back, data);
    // Out of range: SQLITE_ERROR, nothing changes, the handle lives on.
    assert_eq!(b.write(&mut c, &[1, 2], 99_999).unwrap_err().primary_code(), code::ERROR);
    assert_eq!(b.read(&mut c, &mut [0u8; 1], -1).unwrap_err().primary_code(), code::ERROR);
    b.close(&mut c).unwrap();
    assert_eq!(c.active_vms, 0);
    let rows = run(&mut c, "SELECT length(b), substr(b, 20001, 3) = x'000102', hex(substr(b, 19999, 2)) FROM t WHERE id=1").unwrap();
    assert_eq!(rows, vec![vec![Value::Integer(100_000), Value::Integer(1), Value::text("0000")]]);
    assert_eq!(run(&mut c, "PRAGMA integrity_check").unwrap(), vec![vec![Value::text("ok")]]);
}

#[test]
fn a_read_only_handle_cannot_write() {
    let mut c = setup();
    let mut b = c.blob_open(None, "t", "a", 1, false).unwrap();
    assert_eq!(b.write(&mut c, b"J", 0).unwrap_err().primary_code(), code::READONLY);
    let mut buf = [0u8; 5];
    b.read(&mut c, &mut buf, 0).unwrap();
    assert_eq!(&buf, b"hello");
    // close reports the last failure, as SQLite's finalize does.
    let _ = b.close(&mut c);
}

#[test]
fn update_or_delete_of_the_row_expires_the_handle() {
    let mut c = setup();
    let mut b = c.blob_open(None, "t", "a", 1, false).unwrap();
    let mut other = c.blob_open(None, "t", "a", 3, false).unwrap();
    run(&mut c, "UPDATE t SET c = 'z' WHERE id = 1").unwrap();
    let mut buf = [0u8; 2];
    assert_eq!(b.read(&mut c, &mut buf, 0).unwrap_err().primary_code(), code::ABORT);
    assert!(b.is_aborted());
    assert_eq!(b.bytes(), 0);
    // Another row's handle is untouched.
    other.read(&mut c, &mut buf, 0).unwrap();
    assert_eq!(&buf, b"ab");
    run(&mut c, "DELETE FROM t WHERE id = 3").unwrap();
    assert_eq!(other.read(&mut c, &mut buf, 0).unwrap_err().primary_code(), code::ABORT);
    b.close(&mut c).unwrap();
    other.close(&mut c).unwrap();
    assert_eq!(c.active_vms, 0);
}

#[test]
fn reopen_moves_and_a_failed_reopen_ends_the_handle() {
    let mut c = setup();
    let mut b: Blob = c.blob_open(None, "t", "a", 1, false).unwrap();
    b.reopen(&mut c, 3).unwrap();
    assert_eq!(b.bytes(), 3);
    let mut buf = [0u8; 3];
    b.read(&mut c, &mut buf, 0).unwrap();
    assert_eq!(&buf, b"abc");
    assert_eq!(b.reopen(&mut c, 2).unwrap_err().message(), "cannot open value of type integer");
    assert_eq!(b.read(&mut c, &mut [0u8; 1], 0).unwrap_err().primary_code(), code::ABORT);
    assert_eq!(b.reopen(&mut c, 1).unwrap_err().primary_code(), code::ABORT);
    b.close(&mut c).unwrap();
    assert_eq!(c.active_vms, 0);
}

#[test]
fn rollback_undoes_blob_writes_and_trips_writable_handles() {
    let mut c = setup();
    run(&mut c, "BEGIN").unwrap();
    let mut b = c.blob_open(None, "t", "a", 1, true).unwrap();
    b.write(&mut c, b"J", 0).unwrap();
    assert_eq!(run(&mut c, "SELECT a FROM t WHERE id=1").unwrap(), vec![vec![Value::text("Jello")]]);
    // COMMIT waits for the writable handle.
    assert_eq!(run(&mut c, "COMMIT").unwrap_err(), "cannot commit transaction - SQL statements in progress");
    run(&mut c, "ROLLBACK").unwrap();
    let e = b.read(&mut c, &mut [0u8; 1], 0).unwrap_err();
    assert_eq!(e.extended_code(), code::ABORT_ROLLBACK);
    let _ = b.close(&mut c);
    assert_eq!(run(&mut c, "SELECT a FROM t WHERE id=1").unwrap(), vec![vec![Value::text("hello")]]);
    assert_eq!(c.active_vms, 0);
}

#[test]
fn an_autocommit_writer_commits_at_close() {
    let mut c = setup();
    let mut b = c.blob_open(None, "t", "a", 1, true).unwrap();
    b.write(&mut c, b"Y", 0).unwrap();
    // A writing statement beside the handle does not commit under it.
    run(&mut c, "INSERT INTO t VALUES(9, 'nine', NULL, NULL)").unwrap();
    assert_eq!(c.btree(0).unwrap().txn_state(), crate::btree::TxnState::Write);
    b.write(&mut c, b"e", 1).unwrap();
    b.close(&mut c).unwrap();
    assert_eq!(c.btree(0).unwrap().txn_state(), crate::btree::TxnState::None);
    assert_eq!(run(&mut c, "SELECT a FROM t WHERE id IN (1, 9) ORDER BY id").unwrap(), vec![vec![Value::text("Yello")], vec![Value::text("nine")]]);
}

#[test]
fn a_read_only_handle_reads_on_across_rollback() {
    let mut c = setup();
    let mut b = c.blob_open(None, "t", "a", 3, false).unwrap();
    run(&mut c, "BEGIN; UPDATE t SET a = 'xyz' WHERE id = 1; INSERT INTO t(id, a) VALUES(50, 'fifty')").unwrap();
    run(&mut c, "ROLLBACK").unwrap();
    // The handle kept its read transaction through the ROLLBACK.
    assert_eq!(c.btree(0).unwrap().txn_state(), crate::btree::TxnState::Read);
    let mut buf = [0u8; 3];
    b.read(&mut c, &mut buf, 0).unwrap();
    assert_eq!(&buf, b"abc");
    b.close(&mut c).unwrap();
    assert_eq!(c.btree(0).unwrap().txn_state(), crate::btree::TxnState::None);
    assert_eq!(run(&mut c, "SELECT count(*) FROM t").unwrap(), vec![vec![Value::Integer(3)]]);
}
