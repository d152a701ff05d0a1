//! Helpers shared by the engine's integration tests (each test binary
//! uses some of them).
#![allow(dead_code)]

use std::process::Command;

use ferrolite::connection::Connection;
use ferrolite::vdbe::StepResult;
use ferrolite::Value;

/// Runs every statement of `sql` on `conn`, returning the rows of the last
/// one, or the first error's message.
pub fn run(conn: &mut Connection, sql: &str) -> Result<Vec<Vec<Value>>, String> {
    let mut rest = sql;
    let mut rows = Vec::new();
    loop {
        let (stmt, tail) = conn.prepare(rest).map_err(|e| e.message().to_string())?;
        let Some(mut stmt) = stmt else { break };
        rows.clear();
        loop {
            match stmt.step(conn).map_err(|e| e.message().to_string())? {
                StepResult::Row => rows.push(stmt.row().to_vec()),
                StepResult::Done => break,
            }
        }
        stmt.reset(conn).map_err(|e| e.message().to_string())?;
        rest = &rest[tail..];
    }
    Ok(rows)
}

/// Opens (creating it if needed) the database file at `path`.
pub fn open(path: &str) -> Connection {
    let flags = ferrolite::os::OpenFlags(ferrolite::os::OpenFlags::READWRITE.0 | ferrolite::os::OpenFlags::CREATE.0);
    Connection::open(std::sync::Arc::new(ferrolite::os::unix::UnixVfs::new()), path, flags).expect("open")
}

/// A fresh path in the temporary directory for test `prefix`, case
/// `name` (any file, journal, log or -shm left there removed).
pub fn tmp_db(prefix: &str, name: &str) -> String {
    let p = std::env::temp_dir().join(format!("ferrolite-{prefix}-{}-{name}.db", std::process::id()));
    let p = p.to_string_lossy().into_owned();
    remove_db(&p);
    p
}

/// Removes the database file at `path` and its journal, log and -shm.
pub fn remove_db(path: &str) {
    for suffix in ["", "-journal", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{path}{suffix}"));
    }
}

/// The system `sqlite3` CLI. Cargo's LD_LIBRARY_PATH may hold Ferrolite's
/// own libsqlite3.so.0, which the CLI must not pick up.
pub fn cli() -> Command {
    let mut c = Command::new("sqlite3");
    c.env_remove("LD_LIBRARY_PATH");
    c
}

pub fn have_sqlite3() -> bool {
    cli().arg("-version").output().map(|o| o.status.success()).unwrap_or(false)
}

/// Runs `sql` on `path` with the CLI; its output, trailing newlines cut.
pub fn sqlite3(path: &str, sql: &str) -> String {
    let out = cli().arg(path).arg(sql).output().expect("run sqlite3");
    assert!(out.status.success(), "sqlite3 failed on {sql}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).trim_end().to_string()
}

/// Rows as the CLI prints them in list mode: columns joined by '|', NULL
/// as nothing.
pub fn render(rows: &[Vec<Value>]) -> String {
    rows.iter()
        .map(|r| {
            r.iter()
                .map(|v| match v {
                    Value::Null | Value::Pointer(_) => String::new(),
                    Value::Integer(i) => i.to_string(),
                    Value::Real(f) => format!("{f}"),
                    Value::Text(t) => String::from_utf8_lossy(t).into_owned(),
                    Value::Blob(b) => String::from_utf8_lossy(b).into_owned(),
                })
                .collect::<Vec<_>>()
                .join("|")
        })
        .collect::<Vec<_>>()
        .join("\n")
}
