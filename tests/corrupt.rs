//! Corrupt database files through SQL: real databases built by the engine,
//! then damaged deterministically — truncated at many offsets, garbage
//! pages, B-tree pages pointing at themselves or at each other, looping and
//! short overflow chains, freelist trunk loops and bad counts, bad header
//! fields, cell pointers out of range, schema rows with bad root pages.
//!
//! Each case runs the same statements SQLite would be given (schema read,
//! scans, `PRAGMA integrity_check`, a write) under a time limit, and
//! checks that each either succeeds or fails with the code SQLite gives:
//! SQLITE_CORRUPT ("database disk image is malformed") or SQLITE_NOTADB
//! ("file is not a database") — never a panic, a hang or another code.
//! The expected codes were taken from SQLite; when the machine has the
//! `sqlite3` CLI, every expectation is checked against it again on the
//! same damaged file, and truncations are compared statement by statement.
//!
//! tests/storage.rs covers the B-tree API level (random byte flips through
//! cursors); this file covers the whole engine, as an application sees it.

mod common;

use std::process::Command;
use std::sync::{mpsc, Arc};
use std::time::Duration;

use ferrolite::connection::Connection;
use ferrolite::error::code;
use ferrolite::os::{OpenFlags, UnixVfs};
use ferrolite::vdbe::StepResult;
use ferrolite::Value;

const PAGE: usize = 1024;
/// Longest any one case may take: a corrupt file must fail fast.
const CASE_LIMIT: Duration = Duration::from_secs(60);

// ------------------------------------------------------------ helpers

fn tmpdir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("ferrolite-corrupt-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn tmp(name: &str) -> String {
    tmpdir().join(name).to_string_lossy().into_owned()
}

fn open(path: &str, create: bool) -> ferrolite::Result<Connection> {
    let mut f = OpenFlags::READWRITE.0;
    if create {
        f |= OpenFlags::CREATE.0;
    }
    Connection::open(Arc::new(UnixVfs::new()), path, OpenFlags(f))
}

/// Outcome of one statement: its rows as text, or its primary error code.
type Outcome = Result<Vec<String>, i32>;

fn cell_text(v: &Value) -> String {
    match v {
        Value::Null | Value::Pointer(_) => String::new(),
        Value::Integer(i) => i.to_string(),
        Value::Real(r) => r.to_string(),
        Value::Text(t) => String::from_utf8_lossy(t).into_owned(),
        Value::Blob(b) => format!("blob{}", b.len()),
    }
}

/// Runs one statement to completion (at most a million rows).
fn exec(conn: &mut Connection, sql: &str) -> Outcome {
    let (stmt, _) = conn.prepare(sql).map_err(|e| e.primary_code())?;
    let Some(mut stmt) = stmt else { return Ok(Vec::new()) };
    let mut rows = Vec::new();
    loop {
        match stmt.step(conn) {
            Ok(StepResult::Row) => {
                rows.push(stmt.row().iter().map(cell_text).collect::<Vec<_>>().join("|"));
                assert!(rows.len() < 1_000_000, "{sql}: endless rows");
            }
            Ok(StepResult::Done) => break,
            Err(e) => {
                let c = e.primary_code();
                // The message is SQLite's for the two corruption codes.
                if c == code::CORRUPT {
                    assert!(e.message().starts_with("database disk image is malformed") || e.message().starts_with("malformed database schema"), "{sql}: {}", e.message());
                }
                let _ = stmt.reset(conn);
                return Err(c);
            }
        }
    }
    let _ = stmt.reset(conn);
    Ok(rows)
}

/// Runs `stmts` in order on the file at `path` (one connection), in a
/// thread with a time limit: a hang fails the test instead of blocking it.
fn probe(path: &str, stmts: &[&str]) -> Vec<Outcome> {
    let (tx, rx) = mpsc::channel();
    let path2 = path.to_string();
    let stmts2: Vec<String> = stmts.iter().map(|s| s.to_string()).collect();
    std::thread::spawn(move || {
        let out: Vec<Outcome> = match open(&path2, false) {
            Err(e) => stmts2.iter().map(|_| Err(e.primary_code())).collect(),
            Ok(mut conn) => stmts2.iter().map(|s| exec(&mut conn, s)).collect(),
        };
        let _ = tx.send(out);
    });
    match rx.recv_timeout(CASE_LIMIT) {
        Ok(v) => v,
        Err(mpsc::RecvTimeoutError::Timeout) => panic!("{path}: hung on {stmts:?}"),
        Err(mpsc::RecvTimeoutError::Disconnected) => panic!("{path}: panicked on {stmts:?}"),
    }
}

fn have_sqlite3() -> bool {
    Command::new("sqlite3").arg("-version").output().map(|o| o.status.success()).unwrap_or(false)
}

/// The primary code SQLite's CLI gives for `sql` on a copy of `path`
/// (the CLI exits with the code of the failing statement), and its output.
fn sqlite_outcome(bytes: &[u8], name: &str, sql: &str) -> (i32, String) {
    let copy = tmp(&format!("{name}.cli.db"));
    std::fs::write(&copy, bytes).unwrap();
    let _ = std::fs::remove_file(format!("{copy}-journal"));
    let out = Command::new("sqlite3").arg(&copy).arg(sql).output().unwrap();
    let _ = std::fs::remove_file(&copy);
    let _ = std::fs::remove_file(format!("{copy}-journal"));
    (out.status.code().unwrap_or(-1) & 0xff, String::from_utf8_lossy(&out.stdout).into_owned())
}

/// What a statement is expected to do on a damaged file.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Want {
    Ok,
    /// integrity_check reports problems (and may then fail with
    /// SQLITE_CORRUPT, as SQLite does when its table scan meets the damage).
    Problems,
    Code(i32),
    /// Ferrolite says SQLITE_CORRUPT where SQLite does not look closely
    /// enough to notice and may succeed (an overflow chain that loops:
    /// SQLite returns the looping pages' bytes as the value).
    Stricter,
    /// SQLite and Ferrolite may differ in whether the damage is reached
    /// (query plans, allocation order): OK or CORRUPT are both right.
    OkOrCorrupt,
}

/// Writes `bytes` as a database file, runs `checks` through the engine and
/// (when present) the sqlite3 CLI, and compares both with the expectation.
fn check_case(name: &str, bytes: &[u8], checks: &[(&str, Want)]) {
    let path = tmp(&format!("{name}.db"));
    std::fs::write(&path, bytes).unwrap();
    let _ = std::fs::remove_file(format!("{path}-journal"));
    let stmts: Vec<&str> = checks.iter().map(|c| c.0).collect();
    let got = probe(&path, &stmts);
    for ((sql, want), out) in checks.iter().zip(&got) {
        let ok = match (want, out) {
            (Want::Ok, Ok(rows)) => !rows.first().is_some_and(|r| r != "ok") || !sql.contains("integrity_check"),
            (Want::Problems, Ok(rows)) => rows.first().is_some_and(|r| r != "ok"),
            // SQLite may end integrity_check with SQLITE_CORRUPT after its
            // report, when its scan of a table reaches the damage.
            (Want::Problems, Err(e)) => *e == code::CORRUPT,
            (Want::Code(c), Err(e)) => c == e,
            (Want::Stricter, Err(e)) => *e == code::CORRUPT,
            (Want::OkOrCorrupt, Ok(_)) => true,
            (Want::OkOrCorrupt, Err(e)) => *e == code::CORRUPT,
            _ => false,
        };
        let shown = format!("{out:?}");
        assert!(ok, "{name}: {sql}: wanted {want:?}, Ferrolite gave {}", &shown[..shown.len().min(300)]);
    }
    // The expectations are SQLite's: check them against it where we can.
    // (Statements run one per CLI process on a fresh copy, the writes too.)
    if have_sqlite3() {
        for (sql, want) in checks {
            let (c, out) = sqlite_outcome(bytes, name, sql);
            let ok = match want {
                Want::Ok => c == 0,
                Want::Problems => (c == 0 || c == code::CORRUPT) && out.lines().next().is_some_and(|l| l != "ok"),
                Want::Code(w) => c == *w,
                Want::OkOrCorrupt | Want::Stricter => c == 0 || c == code::CORRUPT,
            };
            assert!(ok, "{name}: {sql}: expectation {want:?} but SQLite gave code {c}, output {}", &out[..out.len().min(300)]);
        }
    }
    if std::env::var_os("FERROLITE_KEEP_CORRUPT").is_some() {
        // Keep the damaged file as it was before the engine ran on it.
        std::fs::write(tmp(&format!("{name}.orig")), bytes).unwrap();
    } else {
        let _ = std::fs::remove_file(&path);
        let _ = std::fs::remove_file(format!("{path}-journal"));
    }
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// A deterministic byte stream (xorshift), for garbage pages.
struct Rng(u64);
impl Rng {
    fn byte(&mut self) -> u8 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 24) as u8
    }
}

/// The test database: 1024-byte pages; t (rowid table, two levels) with
/// index ti on 200-byte keys (four levels), big (one row with a 6000-byte
/// overflow chain), and a freelist left by a dropped table.
struct Db {
    bytes: Vec<u8>,
    t: usize,
    ti: usize,
    big: usize,
}

fn build_db(name: &str, rows: usize) -> Db {
    let path = tmp(&format!("{name}-src.db"));
    let _ = std::fs::remove_file(&path);
    let mut c = open(&path, true).unwrap();
    let mut sql = String::from(
        "PRAGMA page_size=1024; CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT, c TEXT); CREATE INDEX ti ON t(c); CREATE TABLE big(x); CREATE TABLE gone(y); BEGIN;",
    );
    for i in 0..rows {
        sql.push_str(&format!("INSERT INTO t VALUES({i}, 'row {i}', '{i:0200}');"));
    }
    let blob: Vec<u8> = (0..6000u32).map(|i| (i * 7 % 251) as u8).collect();
    sql.push_str(&format!("INSERT INTO big VALUES(x'{}');", hex(&blob)));
    for i in 0..rows / 4 {
        sql.push_str(&format!("INSERT INTO gone VALUES('{i:0300}');"));
    }
    sql.push_str("COMMIT; DROP TABLE gone;");
    common::run(&mut c, &sql).unwrap();
    let roots = common::run(&mut c, "SELECT name, rootpage FROM sqlite_schema").unwrap();
    drop(c);
    let root = |n: &str| -> usize {
        roots.iter().find(|r| r[0] == Value::text(n)).map(|r| match r[1] {
            Value::Integer(i) => i as usize,
            _ => 0,
        }).unwrap()
    };
    let bytes = std::fs::read(&path).unwrap();
    let _ = std::fs::remove_file(&path);
    Db { bytes: bytes.clone(), t: root("t"), ti: root("ti"), big: root("big") }
}

fn u16_at(b: &[u8], off: usize) -> usize {
    u16::from_be_bytes([b[off], b[off + 1]]) as usize
}
fn u32_at(b: &[u8], off: usize) -> usize {
    u32::from_be_bytes([b[off], b[off + 1], b[off + 2], b[off + 3]]) as usize
}
fn put_u16(b: &mut [u8], off: usize, v: usize) {
    b[off..off + 2].copy_from_slice(&(v as u16).to_be_bytes());
}
fn put_u32(b: &mut [u8], off: usize, v: usize) {
    b[off..off + 4].copy_from_slice(&(v as u32).to_be_bytes());
}
/// File offset of page `pg`'s B-tree header.
fn hdr(pg: usize) -> usize {
    (pg - 1) * PAGE + if pg == 1 { 100 } else { 0 }
}
/// File offset of cell `i` of page `pg`.
fn cell(b: &[u8], pg: usize, i: usize) -> usize {
    let h = hdr(pg);
    let hs = if b[h] == 2 || b[h] == 5 { 12 } else { 8 };
    (pg - 1) * PAGE + u16_at(b, h + hs + 2 * i)
}
fn varint(b: &[u8], off: usize) -> (u64, usize) {
    let mut v = 0u64;
    for i in 0..8 {
        v = (v << 7) | u64::from(b[off + i] & 0x7f);
        if b[off + i] & 0x80 == 0 {
            return (v, i + 1);
        }
    }
    ((v << 8) | u64::from(b[off + 8]), 9)
}

/// The overflow pages of big's single row, in chain order.
fn big_chain(db: &Db) -> Vec<usize> {
    let b = &db.bytes;
    assert_eq!(b[hdr(db.big)], 13, "big's root is a table leaf");
    let off = cell(b, db.big, 0);
    let (payload, n1) = varint(b, off);
    let (_, n2) = varint(b, off + n1);
    let u = PAGE as u64;
    let (max_local, min_local) = (u - 35, (u - 12) * 32 / 255 - 23);
    let k = min_local + (payload - min_local) % (u - 4);
    let local = if k <= max_local { k } else { min_local } as usize;
    let mut pg = u32_at(b, off + n1 + n2 + local);
    let mut chain = Vec::new();
    while pg != 0 {
        chain.push(pg);
        pg = u32_at(b, (pg - 1) * PAGE);
    }
    chain
}

const SCHEMA: &str = "SELECT name, rootpage FROM sqlite_schema";
const SCAN_T: &str = "SELECT a, b, c FROM t";
const SCAN_BIG: &str = "SELECT hex(x) FROM big";
const CHECK: &str = "PRAGMA integrity_check";

// -------------------------------------------------------------- cases

#[test]
fn the_undamaged_database_is_fine() {
    let db = build_db("fine", 400);
    assert_eq!(db.bytes[hdr(db.t)], 5, "t's root is interior");
    assert_eq!(db.bytes[hdr(db.ti)], 2, "ti's root is interior");
    let child = u32_at(&db.bytes, hdr(db.ti) + 8);
    assert_eq!(db.bytes[hdr(child)], 2, "ti has two interior levels");
    assert!(big_chain(&db).len() >= 5);
    assert!(u32_at(&db.bytes, 36) > 10, "a freelist");
    check_case("fine", &db.bytes, &[(SCHEMA, Want::Ok), (SCAN_T, Want::Ok), (SCAN_BIG, Want::Ok), (CHECK, Want::Ok)]);
}

#[test]
fn bad_headers_are_not_a_database() {
    let db = build_db("hdr", 40);
    let notadb = [(SCHEMA, Want::Code(code::NOTADB)), (SCAN_T, Want::Code(code::NOTADB)), (CHECK, Want::Code(code::NOTADB))];
    let mut b = db.bytes.clone();
    b[0..6].copy_from_slice(b"SQLit3");
    check_case("magic", &b, &notadb);
    for ps in [1000usize, 256, 3, 1536] {
        let mut b = db.bytes.clone();
        put_u16(&mut b, 16, ps);
        check_case(&format!("pagesize{ps}"), &b, &notadb);
    }
    let mut b = db.bytes.clone();
    b[21] = 65; // maximum embedded payload fraction must be 64
    check_case("fraction", &b, &notadb);
    let mut b = db.bytes.clone();
    b[19] = 3; // read version SQLite does not know
    check_case("readversion", &b, &notadb);
    check_case("not-sqlite", &[0x41u8; 4096], &notadb);
    // A header claiming more pages than the file has (the size is trusted
    // because the version-valid-for number matches the change counter).
    let mut b = db.bytes.clone();
    let n = u32_at(&b, 28);
    put_u32(&mut b, 28, n + 5);
    check_case("dbsize", &b, &[(SCHEMA, Want::Code(code::CORRUPT)), (SCAN_T, Want::Code(code::CORRUPT))]);
}

#[test]
fn truncated_files_at_many_offsets() {
    let db = build_db("trunc", 60);
    let len = db.bytes.len();
    let mut offsets: Vec<usize> = vec![1, 16, 50, 99, 100, 101, 200, 511, 512, 1023, 1025, len / 2, len - 1];
    offsets.extend((1..len / PAGE).map(|p| p * PAGE));
    offsets.extend((1..len / PAGE).map(|p| p * PAGE + 300));
    let stmts = [SCHEMA, SCAN_T, SCAN_BIG, CHECK];
    let cli = have_sqlite3();
    for &off in &offsets {
        let path = tmp(&format!("trunc-{off}.db"));
        std::fs::write(&path, &db.bytes[..off]).unwrap();
        let got = probe(&path, &stmts);
        for (sql, out) in stmts.iter().zip(&got) {
            if let Err(c) = out {
                // A 1-byte file is an empty database (as in SQLite's unix
                // VFS): t does not exist there.
                let empty = off == 1 && *c == code::ERROR;
                assert!(*c == code::CORRUPT || *c == code::NOTADB || empty, "truncated at {off}: {sql}: code {c}");
            }
            if cli {
                // Same outcome as SQLite, statement by statement.
                let (c, _) = sqlite_outcome(&db.bytes[..off], &format!("trunc-{off}"), sql);
                let mine = match out {
                    Ok(_) => 0,
                    Err(e) => *e,
                };
                assert_eq!(mine, c, "truncated at {off}: {sql}: Ferrolite {out:?}, SQLite code {c}");
            }
        }
        if off == 1 {
            assert_eq!(got[0], Ok(Vec::new()), "a 1-byte file is an empty database");
        }
        // Cutting whole pages off loses pages the header counts (a cut
        // inside the last page reads its missing tail as zeros, as SQLite).
        if off >= PAGE && off % PAGE == 0 {
            assert_eq!(got[1], Err(code::CORRUPT), "truncated at {off}");
        }
        let _ = std::fs::remove_file(&path);
    }
}

#[test]
fn garbage_pages() {
    let db = build_db("garbage", 400);
    let leaf = u32_at(&db.bytes, cell(&db.bytes, db.t, 0));
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for (what, pg) in [("t-leaf", leaf), ("t-root", db.t), ("ti-root", db.ti), ("big-root", db.big)] {
        for fill in ["random", "ff", "zero"] {
            let mut b = db.bytes.clone();
            for x in &mut b[(pg - 1) * PAGE..pg * PAGE] {
                *x = match fill {
                    "random" => rng.byte(),
                    "ff" => 0xff,
                    _ => 0,
                };
            }
            let scan = if what == "big-root" { SCAN_BIG } else { SCAN_T };
            let scan_want = if what == "ti-root" { Want::Ok } else { Want::Code(code::CORRUPT) };
            check_case(&format!("garbage-{what}-{fill}"), &b, &[(SCHEMA, Want::Ok), (scan, scan_want), (CHECK, Want::Problems)]);
        }
    }
    // Garbage in page 1's B-tree part: the schema cannot be read.
    let mut b = db.bytes.clone();
    for x in &mut b[100..PAGE] {
        *x = rng.byte();
    }
    b[100] = 13;
    check_case("garbage-page1", &b, &[(SCHEMA, Want::Code(code::CORRUPT)), (SCAN_T, Want::Code(code::CORRUPT))]);
}

#[test]
fn tree_pages_pointing_at_themselves_or_each_other() {
    let db = build_db("cycle", 400);
    // t's root names itself as its right-most child.
    let mut b = db.bytes.clone();
    put_u32(&mut b, hdr(db.t) + 8, db.t);
    check_case("self-right", &b, &[(SCAN_T, Want::Code(code::CORRUPT)), (CHECK, Want::Problems)]);
    // ... and as the left child of its first cell.
    let mut b = db.bytes.clone();
    let c0 = cell(&b, db.t, 0);
    put_u32(&mut b, c0, db.t);
    check_case("self-left", &b, &[(SCAN_T, Want::Code(code::CORRUPT)), (CHECK, Want::Problems)]);
    // A child that is page 1 (SQLite reads the schema leaf as part of t;
    // Ferrolite refuses), out of range, or 0.
    for (what, child, want) in [
        ("page1", 1usize, Want::OkOrCorrupt),
        ("beyond", 100_000, Want::Code(code::CORRUPT)),
        ("zero", 0, Want::Code(code::CORRUPT)),
    ] {
        let mut b = db.bytes.clone();
        put_u32(&mut b, c0, child);
        check_case(&format!("child-{what}"), &b, &[(SCAN_T, want), (CHECK, Want::Problems)]);
    }
    // A cycle between two interior pages of the index: ti's root -> its
    // right-most child (interior) -> back to the root.
    let mut b = db.bytes.clone();
    let child = u32_at(&b, hdr(db.ti) + 8);
    put_u32(&mut b, hdr(child) + 8, db.ti);
    check_case(
        "index-cycle",
        &b,
        &[(SCAN_T, Want::Ok), ("SELECT count(*) FROM t WHERE c > '0'", Want::Code(code::CORRUPT)), (CHECK, Want::Problems)],
    );
}

#[test]
fn broken_overflow_chains() {
    let db = build_db("ovfl", 40);
    let chain = big_chain(&db);
    let corrupt = Want::Code(code::CORRUPT);
    let cases: [(&str, usize, usize, Want); 4] = [
        ("loop", chain[3], chain[1], Want::Stricter),
        ("self", chain[2], chain[2], Want::Stricter),
        ("short", chain[2], 0, corrupt),
        ("beyond", chain[1], 100_000, corrupt),
    ];
    for (what, pg, next, want) in cases {
        let mut b = db.bytes.clone();
        put_u32(&mut b, (pg - 1) * PAGE, next);
        check_case(
            &format!("overflow-{what}"),
            &b,
            &[(SCAN_T, Want::Ok), (SCAN_BIG, want), (CHECK, Want::Problems), ("DELETE FROM big", Want::OkOrCorrupt)],
        );
    }
}

#[test]
fn freelist_loops_and_bad_counts() {
    let db = build_db("free", 100);
    let trunk = u32_at(&db.bytes, 32);
    let count = u32_at(&db.bytes, 36);
    assert!(trunk > 0 && count > 2);
    let t_off = (trunk - 1) * PAGE;
    let write = "INSERT INTO big SELECT zeroblob(30000) FROM t LIMIT 3";
    let mut cases: Vec<(&str, Vec<u8>)> = Vec::new();
    // The trunk names itself as the next trunk, and the count says more.
    let mut b = db.bytes.clone();
    put_u32(&mut b, t_off, trunk);
    put_u32(&mut b, 36, count + 50);
    cases.push(("trunk-loop", b));
    // Count too big / too small for the list.
    let mut b = db.bytes.clone();
    put_u32(&mut b, 36, count + 3);
    cases.push(("count-big", b));
    let mut b = db.bytes.clone();
    put_u32(&mut b, 36, 1);
    cases.push(("count-small", b));
    // A trunk claiming more leaves than fit on it.
    let mut b = db.bytes.clone();
    put_u32(&mut b, t_off + 4, 5000);
    cases.push(("leaf-count", b));
    // A leaf page number beyond the file, and one that is in use (t's root).
    let mut b = db.bytes.clone();
    put_u32(&mut b, t_off + 8, 100_000);
    cases.push(("leaf-beyond", b));
    let n = u32_at(&db.bytes, t_off + 4);
    let mut b = db.bytes.clone();
    put_u32(&mut b, t_off + 8 + 4 * (n - 1), db.t);
    cases.push(("leaf-in-use", b));
    for (what, b) in cases {
        check_case(&format!("freelist-{what}"), &b, &[(SCAN_T, Want::Ok), (CHECK, Want::Problems), (write, Want::OkOrCorrupt)]);
    }
}

#[test]
fn cell_pointers_out_of_range() {
    let db = build_db("cellptr", 400);
    let leaf = u32_at(&db.bytes, cell(&db.bytes, db.t, 0));
    let h = hdr(leaf);
    // SQLite does not check a pointer into the page header when reading
    // (it decodes whatever is there); Ferrolite does, and says CORRUPT.
    for (what, ptr, want) in [
        ("past-end", 0xfff0usize, Want::Code(code::CORRUPT)),
        ("in-header", 3, Want::OkOrCorrupt),
        ("last-bytes", PAGE - 2, Want::Code(code::CORRUPT)),
    ] {
        let mut b = db.bytes.clone();
        put_u16(&mut b, h + 8, ptr);
        check_case(&format!("cellptr-{what}"), &b, &[(SCAN_T, want), (CHECK, Want::Problems)]);
    }
    // A cell count whose pointer array runs off the page.
    let mut b = db.bytes.clone();
    put_u16(&mut b, h + 3, 0xffff);
    check_case("ncell-huge", &b, &[(SCAN_T, Want::Code(code::CORRUPT)), (CHECK, Want::Problems)]);
    // A freeblock chain that loops.
    let mut b = db.bytes.clone();
    let first = cell(&b, leaf, 0) - (leaf - 1) * PAGE;
    put_u16(&mut b, h + 1, first);
    put_u16(&mut b, (leaf - 1) * PAGE + first, first);
    put_u16(&mut b, (leaf - 1) * PAGE + first + 2, 8);
    check_case("freeblock-loop", &b, &[(CHECK, Want::Problems), ("DELETE FROM t WHERE a < 50", Want::Code(code::CORRUPT))]);
}

/// Rewrites column 3 (rootpage) of the schema row for `name` in place,
/// keeping its serial type; returns false if the value does not fit.
fn set_rootpage(b: &mut [u8], name: &str, root: i64) -> bool {
    let ncell = u16_at(b, 103);
    for i in 0..ncell {
        let off = cell(b, 1, i);
        let (_, n1) = varint(b, off);
        let (_, n2) = varint(b, off + n1);
        let rec = off + n1 + n2;
        let (hsize, mut p) = varint(b, rec);
        let mut types = Vec::new();
        while p < hsize as usize {
            let (t, n) = varint(b, rec + p);
            types.push(t);
            p += n;
        }
        let len = |t: u64| match t {
            1..=4 => t as usize,
            5 => 6,
            6 | 7 => 8,
            t if t >= 12 => ((t - 12) / 2) as usize,
            _ => 0,
        };
        let body = rec + hsize as usize;
        let name_off = body + len(types[0]);
        if &b[name_off..name_off + len(types[1])] != name.as_bytes() {
            continue;
        }
        let root_off = body + types[..3].iter().map(|&t| len(t)).sum::<usize>();
        let w = len(types[3]);
        if types[3] != 1 && types[3] != 2 || root >= 1 << (8 * w - 1) {
            return false;
        }
        b[root_off..root_off + w].copy_from_slice(&root.to_be_bytes()[8 - w..]);
        return true;
    }
    false
}

#[test]
fn schema_rows_with_bad_root_pages() {
    let db = build_db("root", 10);
    let npages = db.bytes.len() / PAGE;
    assert!(npages < 100);
    for (what, root, want) in [
        ("beyond", 120i64, Want::Code(code::CORRUPT)),
        ("zero", 0, Want::Code(code::CORRUPT)),
        ("index-page", db.ti as i64, Want::Code(code::CORRUPT)),
    ] {
        let mut b = db.bytes.clone();
        assert!(set_rootpage(&mut b, "t", root));
        check_case(&format!("rootpage-{what}"), &b, &[(SCAN_T, want), (CHECK, Want::OkOrCorrupt)]);
    }
    // Garbage in the CREATE statement: the schema is malformed.
    let mut b = db.bytes.clone();
    let at = b.windows(14).position(|w| w == b"CREATE TABLE b").unwrap();
    b[at..at + 6].copy_from_slice(b"CRXATE");
    check_case("schema-sql", &b, &[(SCAN_T, Want::Code(code::CORRUPT))]);
}
