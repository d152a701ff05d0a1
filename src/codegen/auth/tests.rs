//! The authorizer through `Connection`: the questions asked, in order, and
//! what each answer does to the statement.

use std::sync::{Arc, Mutex};

use super::{AuthAction, Authorizer, AUTH_DENY, AUTH_IGNORE, AUTH_OK};
use crate::connection::Connection;
use crate::os::{MemoryVfs, OpenFlags};
use crate::value::Value;
use crate::vdbe::StepResult;

/// Logs every call as "ACTION a1 a2 a3 a4" and answers `answer(call)`.
struct Logger {
    log: Arc<Mutex<Vec<String>>>,
    answer: fn(AuthAction, &[Option<&str>; 4]) -> i32,
}

impl Authorizer for Logger {
    fn authorize(&mut self, action: AuthAction, args: [Option<&str>; 4]) -> i32 {
        let text = args.iter().map(|a| a.unwrap_or("NULL")).collect::<Vec<_>>().join(" ");
        if let Ok(mut l) = self.log.lock() {
            l.push(format!("{action:?} {text}"));
        }
        (self.answer)(action, &args)
    }
}

fn open() -> Connection {
    Connection::open(Arc::new(MemoryVfs::new()), ":memory:", OpenFlags::READWRITE | OpenFlags::CREATE).expect("open")
}

/// Runs `sql`, returning its rows or the error message.
fn run(c: &mut Connection, sql: &str) -> Result<Vec<Vec<Value>>, String> {
    let (stmt, _) = c.prepare(sql).map_err(|e| e.message().to_string())?;
    let mut rows = Vec::new();
    if let Some(mut s) = stmt {
        while s.step(c).map_err(|e| e.message().to_string())? == StepResult::Row {
            rows.push(s.row().to_vec());
        }
    }
    Ok(rows)
}

fn install(c: &mut Connection, answer: fn(AuthAction, &[Option<&str>; 4]) -> i32) -> Arc<Mutex<Vec<String>>> {
    let log = Arc::new(Mutex::new(Vec::new()));
    c.set_authorizer(Some(Box::new(Logger { log: log.clone(), answer })));
    log
}

fn take(log: &Arc<Mutex<Vec<String>>>) -> Vec<String> {
    log.lock().map(|mut l| std::mem::take(&mut *l)).unwrap_or_default()
}

fn setup() -> Connection {
    let mut c = open();
    for sql in ["CREATE TABLE t(a, b, c)", "CREATE TABLE u(x INTEGER PRIMARY KEY, y)", "INSERT INTO t VALUES (1, 2, 3)", "CREATE VIEW v AS SELECT a, b FROM t WHERE c > 0"] {
        run(&mut c, sql).expect("setup");
    }
    c
}

#[test]
fn action_codes_are_sqlites() {
    assert_eq!(AuthAction::CreateIndex.code(), 1);
    assert_eq!(AuthAction::Read.code(), 20);
    assert_eq!(AuthAction::Select.code(), 21);
    assert_eq!(AuthAction::Function.code(), 31);
    assert_eq!(AuthAction::Recursive.code(), 33);
}

#[test]
fn a_query_asks_select_then_each_column_in_resolution_order() {
    let mut c = setup();
    let log = install(&mut c, |_, _| AUTH_OK);
    run(&mut c, "SELECT a, b FROM t WHERE c > 1 ORDER BY a").unwrap();
    assert_eq!(take(&log), ["Select NULL NULL NULL NULL", "Read t a main NULL", "Read t b main NULL", "Read t c main NULL", "Read t a main NULL"]);
    // A view's own query first, with the view as context; a table none of
    // whose columns is read is reported with an empty column name.
    run(&mut c, "SELECT * FROM v").unwrap();
    assert_eq!(take(&log), ["Select NULL NULL NULL NULL", "Read t a main v", "Read t b main v", "Read t c main v", "Read v a main NULL", "Read v b main NULL", "Select NULL NULL NULL v"]);
    run(&mut c, "SELECT count(*) FROM u").unwrap();
    assert_eq!(take(&log), ["Select NULL NULL NULL NULL", "Function NULL count NULL NULL", "Read u  NULL NULL"]);
}

#[test]
fn deny_fails_the_prepare_with_sqlites_messages() {
    let mut c = setup();
    install(&mut c, |a, args| if a == AuthAction::Read && args[1] == Some("b") { AUTH_DENY } else { AUTH_OK });
    assert_eq!(run(&mut c, "SELECT a, b FROM t").unwrap_err(), "access to t.b is prohibited");
    install(&mut c, |a, _| if a == AuthAction::Insert { AUTH_DENY } else { AUTH_OK });
    assert_eq!(run(&mut c, "INSERT INTO t VALUES (4, 5, 6)").unwrap_err(), "not authorized");
    install(&mut c, |a, _| if a == AuthAction::Function { AUTH_DENY } else { AUTH_OK });
    assert_eq!(run(&mut c, "SELECT abs(a) FROM t").unwrap_err(), "not authorized to use function: abs");
    install(&mut c, |a, _| if a == AuthAction::Select { 7 } else { AUTH_OK });
    assert_eq!(run(&mut c, "SELECT 1").unwrap_err(), "authorizer malfunction");
}

#[test]
fn deny_has_the_auth_code() {
    let mut c = setup();
    install(&mut c, |a, _| if a == AuthAction::Transaction { AUTH_DENY } else { AUTH_OK });
    let err = c.prepare("BEGIN").err().expect("denied");
    assert_eq!(err.primary_code(), crate::error::code::AUTH);
}

#[test]
fn ignore_reads_null_skips_inserts_and_leaves_update_columns() {
    let mut c = setup();
    install(&mut c, |a, args| if a == AuthAction::Read && args[1] == Some("b") { AUTH_IGNORE } else { AUTH_OK });
    assert_eq!(run(&mut c, "SELECT a, b, b + 1 FROM t").unwrap(), vec![vec![Value::Integer(1), Value::Null, Value::Null]]);
    install(&mut c, |a, _| if a == AuthAction::Insert { AUTH_IGNORE } else { AUTH_OK });
    run(&mut c, "INSERT INTO t VALUES (4, 5, 6)").unwrap();
    install(&mut c, |a, args| if a == AuthAction::Update && args[1] == Some("b") { AUTH_IGNORE } else { AUTH_OK });
    run(&mut c, "UPDATE t SET a = 10, b = 20").unwrap();
    c.set_authorizer(None);
    assert_eq!(run(&mut c, "SELECT a, b FROM t").unwrap(), vec![vec![Value::Integer(10), Value::Integer(2)]]);
}

#[test]
fn changing_the_authorizer_recompiles_prepared_statements() {
    let mut c = setup();
    let (stmt, _) = c.prepare("SELECT a FROM t").unwrap();
    let mut stmt = stmt.unwrap();
    install(&mut c, |a, _| if a == AuthAction::Read { AUTH_DENY } else { AUTH_OK });
    assert_eq!(stmt.step(&mut c).unwrap_err().message(), "access to t.a is prohibited");
    c.set_authorizer(None);
    assert_eq!(stmt.step(&mut c).unwrap(), StepResult::Row);
}

#[test]
fn ddl_asks_for_the_schema_table_writes_too() {
    let mut c = setup();
    let log = install(&mut c, |_, _| AUTH_OK);
    run(&mut c, "CREATE TEMP TABLE tt(p)").unwrap();
    assert_eq!(
        take(&log),
        [
            "Insert sqlite_temp_master NULL temp NULL",
            "CreateTempTable tt NULL temp NULL",
            "Update sqlite_temp_master type temp NULL",
            "Update sqlite_temp_master name temp NULL",
            "Update sqlite_temp_master tbl_name temp NULL",
            "Update sqlite_temp_master rootpage temp NULL",
            "Update sqlite_temp_master sql temp NULL",
            "Read sqlite_temp_master ROWID temp NULL",
        ]
    );
    run(&mut c, "PRAGMA user_version = 3").unwrap();
    run(&mut c, "SAVEPOINT s").unwrap();
    run(&mut c, "RELEASE s").unwrap();
    assert_eq!(take(&log), ["Pragma user_version 3 NULL NULL", "Savepoint BEGIN s NULL NULL", "Savepoint RELEASE s NULL NULL"]);
}

#[test]
fn triggers_fired_are_authorized_with_their_name_as_context() {
    let mut c = setup();
    run(&mut c, "CREATE TABLE log(m)").unwrap();
    run(&mut c, "CREATE TRIGGER tr AFTER INSERT ON t BEGIN INSERT INTO log VALUES (new.a); END").unwrap();
    let log = install(&mut c, |a, args| if a == AuthAction::Insert && args[0] == Some("log") { AUTH_IGNORE } else { AUTH_OK });
    run(&mut c, "INSERT INTO t VALUES (7, 8, 9)").unwrap();
    // The ignored INSERT stops there: its values are not resolved.
    assert_eq!(take(&log), ["Insert t NULL main NULL", "Insert log NULL main tr"]);
    c.set_authorizer(None);
    // The ignored INSERT of the trigger body did nothing.
    assert_eq!(run(&mut c, "SELECT count(*) FROM log").unwrap(), vec![vec![Value::Integer(0)]]);
}

#[test]
fn circular_definitions_end_the_walk() {
    let mut c = setup();
    run(&mut c, "CREATE TABLE u2(z)").unwrap();
    run(&mut c, "CREATE TRIGGER ta AFTER INSERT ON t BEGIN INSERT INTO u2 VALUES (new.a); END").unwrap();
    run(&mut c, "CREATE TRIGGER tb AFTER INSERT ON u2 BEGIN INSERT INTO t VALUES (new.z, 0, 0); END").unwrap();
    let log = install(&mut c, |_, _| AUTH_OK);
    // Each trigger is walked once, as each fires once.
    run(&mut c, "INSERT INTO t VALUES (1, 1, 1)").unwrap();
    assert_eq!(take(&log), ["Insert t NULL main NULL", "Insert u2 NULL main ta", "Read t a main ta", "Insert t NULL main tb", "Read u2 z main tb"]);
    // A CTE naming itself without RECURSIVE is an error, not an endless walk.
    assert!(run(&mut c, "WITH q AS (SELECT * FROM q) SELECT * FROM q").is_err());
}
