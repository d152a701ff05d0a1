//! UTF-16le and UTF-16be databases against real SQLite (the machine's
//! `sqlite3` CLI): files SQLite wrote read identically through Ferrolite
//! and stay valid (SQLite's integrity_check) after Ferrolite modifies them;
//! files Ferrolite creates with `PRAGMA encoding` read identically in
//! SQLite. Also `PRAGMA encoding` itself (set on an empty database only).

mod common;
use common::{have_sqlite3, render, run, sqlite3};

use std::sync::Arc;

use ferrolite::connection::Connection;
use ferrolite::os::unix::UnixVfs;
use ferrolite::os::OpenFlags;

fn open(path: &str) -> Connection {
    let flags = OpenFlags(OpenFlags::READWRITE.0 | OpenFlags::CREATE.0);
    Connection::open(Arc::new(UnixVfs::new()), path, flags).expect("open")
}

fn tmp(name: &str) -> String {
    let p = std::env::temp_dir().join(format!("ferrolite-utf16-{}-{name}.db", std::process::id()));
    let p = p.to_string_lossy().into_owned();
    let _ = std::fs::remove_file(&p);
    let _ = std::fs::remove_file(format!("{p}-journal"));
    p
}


const SCHEMA: &str = "
CREATE TABLE t(id INTEGER PRIMARY KEY, a TEXT, b TEXT COLLATE NOCASE, n TEXT);
CREATE INDEX ta ON t(a);
CREATE INDEX tb ON t(b, a);
CREATE TABLE w(k TEXT PRIMARY KEY, v);
";

/// Non-ASCII text of every width: Latin-1, U+0100.., supplementary
/// characters (surrogate pairs) and U+E000.. (which sort differently from
/// supplementary characters in UTF-16), and text that overflows its page.
const FILL: &str = "
INSERT INTO t SELECT i,
  char(0x41 + i % 60, 0x100 + i, 0x1f600 + i % 5, 0xe000 + i % 7, 0xe9),
  char(0x61 + i % 26) || i || char(0xc0 + i % 20),
  CASE WHEN i % 37 = 0 THEN printf('%.*c', 3000 + i, char(0x100 + i % 3)) ELSE char(0x1f600 + i % 9) END
FROM (WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 300) SELECT i FROM c);
INSERT INTO w SELECT a || 'w', id FROM t WHERE id % 3 = 0;
";

const QUERIES: &[&str] = &[
    "SELECT id, a, b FROM t ORDER BY a, id",
    "SELECT id FROM t ORDER BY b DESC, a",
    "SELECT id FROM t WHERE a > 'a' ORDER BY a",
    "SELECT id FROM t WHERE a < char(0x50) ORDER BY a DESC",
    "SELECT id FROM t WHERE b = 'C3' || char(0xc3)",
    "SELECT count(*), hex(min(a)), hex(max(a)), sum(length(n)), sum(length(CAST(n AS BLOB))) FROM t",
    "SELECT min(b), max(b), count(*) FROM t GROUP BY substr(b, 1, 1) ORDER BY 1",
    "SELECT DISTINCT substr(n, 1, 1) FROM t ORDER BY 1",
    "SELECT k, v FROM w ORDER BY k",
    "SELECT v FROM w WHERE k >= char(0x50) ORDER BY k DESC",
    "SELECT id, hex(substr(n, 1, 3)), length(n) FROM t WHERE length(n) > 1000 ORDER BY id",
    "SELECT hex(a), hex(CAST(b AS BLOB)) FROM t WHERE id IN (1, 2, 250) ORDER BY id",
    "SELECT id FROM t WHERE a LIKE 'a%' OR a GLOB '*' || char(0xe002) || '*' ORDER BY id",
    "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY name",
];

/// Checks that SQLite and Ferrolite read `path` identically.
fn assert_same_reads(path: &str, conn: &mut Connection) {
    for q in QUERIES {
        let ours = render(&run(conn, q).unwrap_or_else(|e| panic!("{q}: {e}")));
        let theirs = sqlite3(path, q);
        assert_eq!(ours, theirs, "{q}");
    }
}

fn modify(conn: &mut Connection) {
    run(
        conn,
        "INSERT INTO t VALUES (1000, 'Ā' || char(0x1f601), 'zz' || char(0xe000), printf('%.*c', 5000, char(0x1f602)));
         INSERT INTO t(a, b, n) SELECT a || char(0xfffd), b || 'x', n FROM t WHERE id % 11 = 0;
         UPDATE t SET a = char(0xe000) || a, n = n || n WHERE id % 7 = 0;
         DELETE FROM t WHERE id % 13 = 0;
         INSERT INTO w VALUES (char(0x1f600) || 'new', -1), (char(0xe000) || 'new', -2);
         DELETE FROM w WHERE v % 9 = 0;
         CREATE INDEX tn ON t(n, b);
         CREATE TABLE u(x TEXT UNIQUE);
         INSERT INTO u SELECT DISTINCT substr(a, 2, 2) FROM t;",
    )
    .expect("modify");
}

fn cli_database_round_trip(encoding: &str) {
    if !have_sqlite3() {
        eprintln!("sqlite3 CLI not found: skipped");
        return;
    }
    let path = tmp(encoding);
    sqlite3(&path, &format!("PRAGMA encoding='{encoding}'; {SCHEMA} {FILL}"));
    assert_eq!(sqlite3(&path, "PRAGMA encoding"), encoding);

    let mut c = open(&path);
    assert_eq!(render(&run(&mut c, "PRAGMA encoding").unwrap()), encoding);
    assert_same_reads(&path, &mut c);
    // Ignored on a database that has a schema, as in SQLite.
    run(&mut c, "PRAGMA encoding = 'UTF-8'").unwrap();
    assert_eq!(render(&run(&mut c, "PRAGMA encoding").unwrap()), encoding);

    modify(&mut c);
    assert_eq!(sqlite3(&path, "PRAGMA integrity_check"), "ok");
    assert_same_reads(&path, &mut c);
    assert_eq!(render(&run(&mut c, "SELECT count(*) FROM u").unwrap()), sqlite3(&path, "SELECT count(*) FROM u"));
    drop(c);

    // And SQLite's writes on top of Ferrolite's read back in Ferrolite.
    sqlite3(&path, "INSERT INTO t(a, b, n) VALUES ('Ā', 'ā', 'x'); DELETE FROM t WHERE id % 5 = 0;");
    let mut c = open(&path);
    assert_same_reads(&path, &mut c);
    assert_eq!(render(&run(&mut c, "PRAGMA integrity_check").unwrap()), "ok");
}

#[test]
fn sqlite_utf16le_database_reads_and_modifies() {
    cli_database_round_trip("UTF-16le");
}

#[test]
fn sqlite_utf16be_database_reads_and_modifies() {
    cli_database_round_trip("UTF-16be");
}

#[test]
fn ferrolite_creates_utf16_databases_sqlite_reads() {
    if !have_sqlite3() {
        eprintln!("sqlite3 CLI not found: skipped");
        return;
    }
    for (asked, reported) in [("UTF-16", "UTF-16le"), ("utf-16be", "UTF-16be"), ("UTF16le", "UTF-16le")] {
        let path = tmp(&format!("new-{asked}"));
        let mut c = open(&path);
        run(&mut c, &format!("PRAGMA encoding = '{asked}'")).unwrap();
        assert_eq!(render(&run(&mut c, "PRAGMA encoding").unwrap()), reported);
        run(&mut c, SCHEMA).unwrap();
        run(&mut c, FILL).unwrap();
        assert_eq!(sqlite3(&path, "PRAGMA encoding"), reported);
        assert_eq!(sqlite3(&path, "PRAGMA integrity_check"), "ok");
        assert_same_reads(&path, &mut c);
        modify(&mut c);
        assert_eq!(sqlite3(&path, "PRAGMA integrity_check"), "ok");
        assert_same_reads(&path, &mut c);
    }
}

#[test]
fn pragma_encoding_applies_to_empty_databases_only() {
    let mut c = open(":memory:");
    assert_eq!(render(&run(&mut c, "PRAGMA encoding").unwrap()), "UTF-8");
    run(&mut c, "PRAGMA encoding = 'UTF-16be'").unwrap();
    run(&mut c, "PRAGMA encoding = 'UTF-16le'").unwrap();
    assert_eq!(render(&run(&mut c, "PRAGMA encoding").unwrap()), "UTF-16le");
    assert_eq!(run(&mut c, "PRAGMA encoding = 'latin1'").unwrap_err(), "unsupported encoding: latin1");
    run(&mut c, "CREATE TABLE t(x); PRAGMA encoding = 'UTF-8'").unwrap();
    assert_eq!(render(&run(&mut c, "PRAGMA encoding").unwrap()), "UTF-16le");
    // BINARY follows the UTF-16le bytes: U+0100 (00 01) before 'a' (61 00).
    run(&mut c, "INSERT INTO t VALUES ('a'), ('Ā'), (char(0x1f600)), (char(0xe000))").unwrap();
    let rows = run(&mut c, "SELECT hex(x) FROM t ORDER BY x").unwrap();
    assert_eq!(render(&rows), "0001\n00E0\n3DD800DE\n6100");
}
