//! UPDATE and DELETE with ORDER BY / LIMIT, the grammar Debian's SQLite is
//! built with (SQLITE_ENABLE_UPDATE_DELETE_LIMIT); the 3.54.1 reference
//! build lacks it, so the witness here is the system `sqlite3` CLI, which
//! must accept the same statements and leave the same rows.

mod common;

use common::{cli, have_sqlite3, render, run};
use ferrolite::connection::Connection;
use std::sync::Arc;

use ferrolite::os::unix::UnixVfs;
use ferrolite::os::OpenFlags;

const SCRIPT: &[&str] = &[
    "CREATE TABLE t(a INTEGER PRIMARY KEY, b)",
    "INSERT INTO t VALUES(1,'a'),(2,'b'),(3,'c'),(4,'d'),(5,'e'),(6,'f')",
    "DELETE FROM t WHERE a > 1 ORDER BY a DESC LIMIT 2",
    "UPDATE t SET b = b || '!' ORDER BY a LIMIT 1 OFFSET 1",
    "DELETE FROM t AS x WHERE x.a < 3 ORDER BY x.b LIMIT 1",
    "UPDATE t SET b = upper(b) WHERE a >= 3 ORDER BY a DESC LIMIT 1",
    "DELETE FROM t LIMIT 1",
    "UPDATE t SET b = 'all' LIMIT -1",
];

fn ferrolite_rows() -> String {
    let mut c = Connection::open(Arc::new(UnixVfs::new()), ":memory:", OpenFlags::READWRITE | OpenFlags::CREATE).unwrap();
    let mut out = Vec::new();
    for s in SCRIPT {
        run(&mut c, s).unwrap();
        out.push(render(&run(&mut c, "SELECT * FROM t ORDER BY a").unwrap()));
    }
    out.join("\n--\n")
}

#[test]
fn order_by_and_limit_pick_the_rows_changed() {
    let ours = ferrolite_rows();
    // Without the CLI, the expected rows written out.
    let expected = "\n--\n1|a\n2|b\n3|c\n4|d\n5|e\n6|f\n--\n1|a\n2|b\n3|c\n4|d\n--\n1|a\n2|b!\n3|c\n4|d\n--\n2|b!\n3|c\n4|d\n--\n2|b!\n3|c\n4|D\n--\n3|c\n4|D\n--\n3|all\n4|all";
    assert_eq!(ours, expected);
    // The system CLI, when it is there and built with the grammar.
    let cli_has_it = have_sqlite3() && cli().arg(":memory:").arg("CREATE TABLE x(a); DELETE FROM x LIMIT 1;").output().is_ok_and(|o| o.status.success());
    if cli_has_it {
        let mut sql = String::new();
        let mut parts = Vec::new();
        for s in SCRIPT {
            sql.push_str(s);
            sql.push_str(";\n");
            let probe = format!("{sql}SELECT * FROM t ORDER BY a;");
            let out = cli().arg(":memory:").arg(&probe).output().unwrap();
            parts.push(String::from_utf8_lossy(&out.stdout).trim_end().to_string());
        }
        assert_eq!(ours, parts.join("\n--\n"));
    }
}

#[test]
fn order_by_without_limit_is_refused() {
    let mut c = Connection::open(Arc::new(UnixVfs::new()), ":memory:", OpenFlags::READWRITE | OpenFlags::CREATE).unwrap();
    run(&mut c, "CREATE TABLE t(a)").unwrap();
    assert_eq!(run(&mut c, "DELETE FROM t ORDER BY a").unwrap_err(), "ORDER BY without LIMIT on DELETE");
    assert_eq!(run(&mut c, "UPDATE t SET a = 1 ORDER BY a").unwrap_err(), "ORDER BY without LIMIT on UPDATE");
}
