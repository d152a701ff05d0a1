//! Fuzz target `database`: arbitrary bytes as a whole database file,
//! opened through the engine on the in-memory VFS.
//!
//! The schema is read, every table scanned (`SELECT *`, `count(*)`, a
//! descending scan), `PRAGMA integrity_check` run, then a few writes that
//! allocate, free and rebalance pages (new table with overflow rows,
//! inserts and deletes in the existing tables, DROP TABLE), and the check
//! run again. Any step may fail, but only with an error code — never a
//! panic (libFuzzer reports it), a hang (run with -timeout) or an
//! allocation bigger than the file could justify (-rss_limit_mb). MISUSE or
//! INTERNAL from SQL that is valid means the engine lost track of its own
//! state on a corrupt file, and is reported too.
//!
//! Seeds: fuzz/seeds/database/ (small real databases, 512-byte pages, made
//! by fuzz/seeds/make-seeds.sh).

#![no_main]

use std::sync::Arc;

use libfuzzer_sys::fuzz_target;

use ferrolite::connection::Connection;
use ferrolite::error::code;
use ferrolite::os::{MemoryVfs, OpenFlags, Vfs};
use ferrolite::vdbe::StepResult;
use ferrolite::Value;

/// Most rows read from one statement: a corrupt file of at most a few
/// hundred pages cannot hold more, so a scan that goes on is looping.
const MAX_ROWS: usize = 100_000;

fn check_code(sql: &str, e: &ferrolite::Error) {
    let c = e.primary_code();
    assert!(c != code::MISUSE && c != code::INTERNAL, "{sql}: unexpected error {e:?}");
}

/// Runs each statement of `sql`, returning the rows of the last one (or
/// None once a statement fails).
fn run(conn: &mut Connection, sql: &str) -> Option<Vec<Vec<Value>>> {
    let mut rest = sql;
    let mut rows = Vec::new();
    loop {
        let (stmt, tail) = match conn.prepare(rest) {
            Ok(x) => x,
            Err(e) => {
                check_code(rest, &e);
                return None;
            }
        };
        let Some(mut stmt) = stmt else { break };
        rows.clear();
        let mut failed = false;
        loop {
            match stmt.step(conn) {
                Ok(StepResult::Row) => {
                    rows.push(stmt.row().to_vec());
                    assert!(rows.len() <= MAX_ROWS, "{rest}: more rows than the file can hold");
                }
                Ok(StepResult::Done) => break,
                Err(e) => {
                    check_code(rest, &e);
                    failed = true;
                    break;
                }
            }
        }
        let _ = stmt.reset(conn);
        if failed {
            return None;
        }
        rest = &rest[tail..];
    }
    Some(rows)
}

fn quote(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

fuzz_target!(|data: &[u8]| {
    let vfs = Arc::new(MemoryVfs::new());
    {
        let mut f = vfs.open(Some("fuzz.db"), OpenFlags(OpenFlags::READWRITE.0 | OpenFlags::CREATE.0 | OpenFlags::MAIN_DB.0)).expect("memory file");
        if !data.is_empty() {
            f.write(data, 0).expect("memory write");
        }
    }
    let vfs: Arc<dyn Vfs> = vfs;
    let mut conn = match Connection::open(vfs, "fuzz.db", OpenFlags(OpenFlags::READWRITE.0)) {
        Ok(c) => c,
        Err(e) => return check_code("open", &e),
    };
    let _ = run(&mut conn, "PRAGMA cache_size = 10");
    let schema = run(&mut conn, "SELECT type, name FROM sqlite_schema").unwrap_or_default();
    let mut tables = Vec::new();
    for row in schema.iter().take(8) {
        if let (Value::Text(t), Value::Text(n)) = (&row[0], &row[1]) {
            if &t[..] == b"table" {
                tables.push(String::from_utf8_lossy(n).into_owned());
            }
        }
    }
    for t in &tables {
        let q = quote(t);
        let _ = run(&mut conn, &format!("SELECT * FROM {q}"));
        let _ = run(&mut conn, &format!("SELECT count(*) FROM {q}"));
        let _ = run(&mut conn, &format!("SELECT * FROM {q} ORDER BY rowid DESC LIMIT 20"));
    }
    let _ = run(&mut conn, "PRAGMA integrity_check");
    let _ = run(&mut conn, "BEGIN; CREATE TABLE fz(a, b); INSERT INTO fz VALUES(zeroblob(1500), 'x'), (2, zeroblob(700)); COMMIT");
    for t in tables.iter().take(3) {
        let q = quote(t);
        let _ = run(&mut conn, &format!("INSERT INTO {q} SELECT * FROM {q} LIMIT 3"));
        let _ = run(&mut conn, &format!("DELETE FROM {q} WHERE rowid % 3 = 0"));
    }
    let _ = run(&mut conn, "DROP TABLE fz");
    let _ = run(&mut conn, "PRAGMA integrity_check");
});
