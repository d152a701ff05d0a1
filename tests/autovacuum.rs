//! Auto-vacuum files (FULL and INCREMENTAL) against real SQLite (the
//! machine's `sqlite3` CLI): files Ferrolite writes, with ptrmap pages,
//! root relocation on CREATE/DROP, overflow chains and vacuuming, pass
//! SQLite's integrity_check and read back the same through both engines;
//! files SQLite wrote are modified by Ferrolite and stay valid for both;
//! FULL mode shrinks the file as SQLite does.

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

fn tmpdb(name: &str) -> String {
    let dir = std::env::temp_dir().join(format!("ferrolite-autovac-{}-{}", std::process::id(), name));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir.join("t.db").to_string_lossy().into_owned()
}


fn ferro(c: &mut Connection, sql: &str) -> String {
    render(&run(c, sql).unwrap_or_else(|e| panic!("{sql}: {e}")))
}

/// A digest of every table's content that both engines compute alike.
const DIGEST: &[&str] = &[
    "SELECT name, type, tbl_name FROM sqlite_schema ORDER BY name",
    "SELECT a, length(b), hex(substr(b, 1, 12)), hex(substr(b, -12)), hex(substr(b, length(b) / 2, 12)), c FROM t1 ORDER BY a",
    "SELECT a, length(b), hex(substr(b, 1, 12)), hex(substr(b, -12)), c FROM t2 ORDER BY a",
    "SELECT count(*), sum(length(b)) FROM t3",
    "SELECT c, a FROM t1 INDEXED BY t1c ORDER BY c, a",
    "SELECT c FROM t2 INDEXED BY t2c ORDER BY c",
];

/// A workload with many trees, overflow rows up to `big` bytes, deletes,
/// DROP TABLE / DROP INDEX and re-creation.
fn workload(big: i64) -> Vec<String> {
    let mut v = vec![
        "CREATE TABLE t1(a INTEGER PRIMARY KEY, b BLOB, c TEXT)".to_string(),
        "CREATE INDEX t1c ON t1(c)".to_string(),
        "CREATE TABLE t2(a INTEGER PRIMARY KEY, b BLOB, c TEXT UNIQUE)".to_string(),
        "CREATE INDEX t2c ON t2(c)".to_string(),
        "CREATE TABLE gone(x, y)".to_string(),
        "CREATE INDEX gonex ON gone(x)".to_string(),
        "CREATE TABLE t3(b)".to_string(),
        "CREATE INDEX t3b ON t3(b)".to_string(),
    ];
    v.push("INSERT INTO gone SELECT value, randomblob(300) FROM (WITH RECURSIVE s(value) AS (SELECT 1 UNION ALL SELECT value + 1 FROM s WHERE value < 200) SELECT value FROM s)".to_string());
    for i in 1..=120i64 {
        let n = match i % 10 {
            0 => big,
            1 | 2 => 3000 + i * 17,
            _ => 10 + i * 3,
        };
        v.push(format!("INSERT INTO t1 VALUES({i}, randomblob({n}), 'k{:04}')", (i * 37) % 101));
        v.push(format!("INSERT INTO t2 VALUES({i}, randomblob({}), 'u{i:05}' || hex(randomblob({})))", n / 2 + 1, i % 50));
        v.push(format!("INSERT INTO t3 VALUES(randomblob({}))", 100 + i % 200));
    }
    v.push("DELETE FROM t1 WHERE a % 3 = 0".to_string());
    v.push("DROP TABLE gone".to_string());
    v.push("CREATE TABLE later(p, q)".to_string());
    v.push("INSERT INTO later VALUES(1, randomblob(5000))".to_string());
    v.push("DROP INDEX t3b".to_string());
    v.push("DELETE FROM t2 WHERE a > 90".to_string());
    v.push("DROP TABLE later".to_string());
    v
}

fn check_both(path: &str, c: &mut Connection, mode: i64) {
    assert_eq!(sqlite3(path, "PRAGMA integrity_check"), "ok", "{path}");
    assert_eq!(ferro(c, "PRAGMA integrity_check"), "ok", "{path}");
    assert_eq!(sqlite3(path, "PRAGMA auto_vacuum"), mode.to_string());
    assert_eq!(ferro(c, "PRAGMA auto_vacuum"), mode.to_string());
    for q in DIGEST {
        if q.contains("t3b") {
            continue;
        }
        assert_eq!(ferro(c, q), sqlite3(path, q), "{q} on {path}");
    }
    assert_eq!(ferro(c, "PRAGMA page_count"), sqlite3(path, "PRAGMA page_count"));
    assert_eq!(ferro(c, "PRAGMA freelist_count"), sqlite3(path, "PRAGMA freelist_count"));
}

#[test]
fn ferrolite_writes_autovacuum_files_sqlite_accepts() {
    if !have_sqlite3() {
        eprintln!("sqlite3 CLI not found: skipped");
        return;
    }
    for (mode, name) in [(1i64, "FULL"), (2, "INCREMENTAL")] {
        for ps in [512u32, 1024, 4096, 65536] {
            let path = tmpdb(&format!("fw-{name}-{ps}"));
            let mut c = open(&path);
            run(&mut c, &format!("PRAGMA page_size={ps}; PRAGMA auto_vacuum={name}")).unwrap();
            assert_eq!(ferro(&mut c, "PRAGMA auto_vacuum"), mode.to_string());
            let big = if ps == 65536 { 400_000 } else { 150_000 };
            for s in workload(big) {
                run(&mut c, &s).unwrap_or_else(|e| panic!("{s}: {e} ({name}, {ps})"));
            }
            // Header: largest root non-zero, incremental flag as asked.
            let bytes = std::fs::read(&path).unwrap();
            assert_ne!(u32::from_be_bytes(bytes[52..56].try_into().unwrap()), 0);
            assert_eq!(u32::from_be_bytes(bytes[64..68].try_into().unwrap()), (mode == 2) as u32);
            if mode == 1 {
                assert_eq!(ferro(&mut c, "PRAGMA freelist_count"), "0");
            } else {
                let free: i64 = ferro(&mut c, "PRAGMA freelist_count").parse().unwrap();
                assert!(free > 0, "incremental mode keeps free pages ({ps})");
                let before: i64 = ferro(&mut c, "PRAGMA page_count").parse().unwrap();
                run(&mut c, "PRAGMA incremental_vacuum(3)").unwrap();
                let after: i64 = ferro(&mut c, "PRAGMA page_count").parse().unwrap();
                assert!(after < before && after >= before - 4, "{before} -> {after}");
                assert_eq!(ferro(&mut c, "PRAGMA freelist_count"), (free - 3).max(0).to_string());
                check_both(&path, &mut c, mode);
                run(&mut c, "PRAGMA incremental_vacuum").unwrap();
                assert_eq!(ferro(&mut c, "PRAGMA freelist_count"), "0");
            }
            check_both(&path, &mut c, mode);
            // More writes after the vacuum, in one transaction.
            run(&mut c, "BEGIN; DELETE FROM t1 WHERE a % 2 = 0; CREATE TABLE t4(x); INSERT INTO t4 VALUES(randomblob(9000)); DROP TABLE t3; COMMIT").unwrap();
            if mode == 2 {
                run(&mut c, "PRAGMA incremental_vacuum(0)").unwrap();
            }
            assert_eq!(sqlite3(&path, "PRAGMA integrity_check"), "ok");
            assert_eq!(ferro(&mut c, "PRAGMA integrity_check"), "ok");
            assert_eq!(ferro(&mut c, "PRAGMA freelist_count"), "0");
            assert_eq!(ferro(&mut c, DIGEST[1]), sqlite3(&path, DIGEST[1]));
            assert_eq!(ferro(&mut c, "SELECT length(x) FROM t4"), "9000");
            drop(c);
            let _ = std::fs::remove_dir_all(std::path::Path::new(&path).parent().unwrap());
        }
    }
}

#[test]
fn ferrolite_modifies_autovacuum_files_sqlite_wrote() {
    if !have_sqlite3() {
        eprintln!("sqlite3 CLI not found: skipped");
        return;
    }
    for (mode, name) in [(1i64, "FULL"), (2, "INCREMENTAL")] {
        for ps in [1024u32, 4096] {
            let path = tmpdb(&format!("sw-{name}-{ps}"));
            let mut setup = format!("PRAGMA page_size={ps}; PRAGMA auto_vacuum={name};");
            for s in workload(100_000) {
                setup.push_str(&s);
                setup.push(';');
            }
            sqlite3(&path, &setup);
            assert_eq!(sqlite3(&path, "PRAGMA integrity_check"), "ok");
            let mut c = open(&path);
            check_both(&path, &mut c, mode);
            for s in [
                "INSERT INTO t1 SELECT a + 1000, randomblob(length(b)), c FROM t1",
                "CREATE TABLE n1(x INTEGER PRIMARY KEY, y)",
                "INSERT INTO n1 SELECT a, randomblob(700) FROM t1",
                "CREATE INDEX n1y ON n1(y)",
                "DELETE FROM t1 WHERE a % 5 = 1",
                "DROP TABLE t3",
                "DROP INDEX t2c",
                "CREATE INDEX t2c ON t2(c)",
                "UPDATE t2 SET b = randomblob(20000) WHERE a % 7 = 0",
            ] {
                run(&mut c, s).unwrap_or_else(|e| panic!("{s}: {e}"));
            }
            if mode == 2 {
                run(&mut c, "PRAGMA incremental_vacuum(10)").unwrap();
            }
            assert_eq!(sqlite3(&path, "PRAGMA integrity_check"), "ok", "{name} {ps}");
            assert_eq!(ferro(&mut c, "PRAGMA integrity_check"), "ok");
            for q in DIGEST {
                if q.contains("t3") {
                    continue;
                }
                assert_eq!(ferro(&mut c, q), sqlite3(&path, q), "{q}");
            }
            assert_eq!(ferro(&mut c, "SELECT count(*) FROM n1 INDEXED BY n1y"), sqlite3(&path, "SELECT count(*) FROM n1"));
            // SQLite continues on Ferrolite's file.
            sqlite3(&path, "DELETE FROM t2 WHERE a < 40; DROP TABLE n1; PRAGMA incremental_vacuum;");
            assert_eq!(sqlite3(&path, "PRAGMA integrity_check"), "ok");
            drop(c);
            let mut c = open(&path);
            assert_eq!(ferro(&mut c, "PRAGMA integrity_check"), "ok");
            assert_eq!(ferro(&mut c, DIGEST[2]), sqlite3(&path, DIGEST[2]));
            drop(c);
            let _ = std::fs::remove_dir_all(std::path::Path::new(&path).parent().unwrap());
        }
    }
}

/// FULL mode: after deleting most rows the file shrinks to what SQLite's
/// file for the same SQL has.
#[test]
fn full_mode_shrinks_like_sqlite() {
    if !have_sqlite3() {
        eprintln!("sqlite3 CLI not found: skipped");
        return;
    }
    shrink_like_sqlite("shrink-1", true, &[
        "PRAGMA page_size=1024",
        "PRAGMA auto_vacuum=FULL",
        "CREATE TABLE t(a INTEGER PRIMARY KEY, b)",
        "CREATE TABLE u(x)",
        "INSERT INTO t VALUES(1, zeroblob(100000))",
        "INSERT INTO u VALUES(zeroblob(5000))",
        "DELETE FROM t",
        "INSERT INTO t VALUES(2, zeroblob(20000))",
        "DROP TABLE u",
    ]);
    // Here Ferrolite's B-tree shapes differ from SQLite's (its balance is
    // not SQLite's: the same 300 rows take 1246 pages against 1240 without
    // auto-vacuum too), so only the end state is compared exactly.
    shrink_like_sqlite("shrink-2", false, &[
        "PRAGMA page_size=1024",
        "PRAGMA auto_vacuum=FULL",
        "CREATE TABLE t(a INTEGER PRIMARY KEY, b)",
        "CREATE INDEX tb ON t(b)",
        "INSERT INTO t SELECT value, zeroblob(300 + value * 10) FROM (WITH RECURSIVE s(value) AS (SELECT 1 UNION ALL SELECT value + 1 FROM s WHERE value < 300) SELECT value FROM s)",
        "CREATE TABLE u(x)",
        "INSERT INTO u VALUES(zeroblob(100000))",
        "DELETE FROM t WHERE a % 2 = 0",
        "DELETE FROM t WHERE a > 20",
        "DROP TABLE t",
    ]);
}

/// Runs `sql` through both engines; after every statement Ferrolite's FULL
/// file has no free page and passes SQLite's check, and its page count
/// equals SQLite's (`exact`) or is within 1% of it, and equal at the end.
fn shrink_like_sqlite(name: &str, exact: bool, sql: &[&str]) {
    let p1 = tmpdb(&format!("{name}-f"));
    let p2 = tmpdb(&format!("{name}-s"));
    let mut c = open(&p1);
    let mut counts = Vec::new();
    // Each sqlite3 run is a new connection: the PRAGMAs go with every one.
    let pragmas: String = sql.iter().filter(|s| s.starts_with("PRAGMA")).map(|s| format!("{s};")).collect();
    for &s in sql {
        run(&mut c, s).unwrap();
        sqlite3(&p2, &format!("{pragmas}{s}"));
        if !s.starts_with("PRAGMA") {
            assert_eq!(ferro(&mut c, "PRAGMA freelist_count"), "0", "after {s}");
            assert_eq!(sqlite3(&p1, "PRAGMA integrity_check"), "ok", "after {s}");
            counts.push((s, ferro(&mut c, "PRAGMA page_count"), sqlite3(&p2, "PRAGMA page_count")));
        }
    }
    for (s, f, q) in &counts {
        if exact {
            assert_eq!(f, q, "page_count after {s}: {counts:?}");
        } else {
            let (f, q): (i64, i64) = (f.parse().unwrap(), q.parse().unwrap());
            assert!((f - q).abs() * 100 <= q, "page_count after {s}: {counts:?}");
        }
    }
    let last = counts.last().unwrap();
    assert_eq!(last.1, last.2, "{counts:?}");
    assert_eq!(sqlite3(&p1, "PRAGMA integrity_check"), "ok");
    assert_eq!(std::fs::read(&p1).unwrap().len(), std::fs::read(&p2).unwrap().len());
}

#[test]
fn auto_vacuum_pragma_semantics() {
    let path = tmpdb("pragma");
    let mut c = open(&path);
    assert_eq!(ferro(&mut c, "PRAGMA auto_vacuum"), "0");
    for (arg, want) in [("1", "1"), ("incremental", "2"), ("none", "0"), ("2", "2"), ("full", "1"), ("7", "0"), ("FULL", "1")] {
        run(&mut c, &format!("PRAGMA auto_vacuum={arg}")).unwrap();
        assert_eq!(ferro(&mut c, "PRAGMA auto_vacuum"), want, "{arg}");
    }
    run(&mut c, "CREATE TABLE t(x)").unwrap();
    // NONE on an existing auto-vacuum file needs VACUUM: silently kept.
    run(&mut c, "PRAGMA auto_vacuum=NONE").unwrap();
    assert_eq!(ferro(&mut c, "PRAGMA auto_vacuum"), "1");
    // FULL <-> INCREMENTAL applies at once and is written to the header.
    run(&mut c, "PRAGMA auto_vacuum=INCREMENTAL").unwrap();
    drop(c);
    let mut c = open(&path);
    assert_eq!(ferro(&mut c, "PRAGMA auto_vacuum"), "2");
    run(&mut c, "INSERT INTO t VALUES(zeroblob(400000)); DELETE FROM t").unwrap();
    let free: usize = ferro(&mut c, "PRAGMA freelist_count").parse().unwrap();
    assert!(free > 40);
    assert_eq!(run(&mut c, "PRAGMA incremental_vacuum(5)").unwrap().len(), 5);
    assert_eq!(ferro(&mut c, "PRAGMA freelist_count"), (free - 5).to_string());
    run(&mut c, "PRAGMA auto_vacuum=full").unwrap();
    run(&mut c, "INSERT INTO t VALUES(1)").unwrap();
    assert_eq!(ferro(&mut c, "PRAGMA freelist_count"), "0");
    assert_eq!(ferro(&mut c, "PRAGMA integrity_check"), "ok");
    // A non-auto-vacuum file stays one.
    let p2 = tmpdb("pragma-none");
    let mut c = open(&p2);
    run(&mut c, "CREATE TABLE t(x); PRAGMA auto_vacuum=FULL").unwrap();
    assert_eq!(ferro(&mut c, "PRAGMA auto_vacuum"), "0");
    assert!(run(&mut c, "PRAGMA incremental_vacuum").unwrap().is_empty());
}


/// Offset of page `pg`'s entry on ptrmap page 2 (pages 3..).
fn entry_off(ps: usize, pg: usize) -> usize {
    ps + 5 * (pg - 3)
}

#[test]
fn integrity_check_reports_bad_ptrmap_entries_as_sqlite() {
    if !have_sqlite3() {
        eprintln!("sqlite3 CLI not found: skipped");
        return;
    }
    let path = tmpdb("badmap");
    let mut c = open(&path);
    run(&mut c, "PRAGMA page_size=1024; PRAGMA auto_vacuum=FULL; CREATE TABLE t(a INTEGER PRIMARY KEY, b); INSERT INTO t VALUES(1, zeroblob(5000)), (2, 'x')").unwrap();
    drop(c);
    let mut bytes = std::fs::read(&path).unwrap();
    // Page 4 is t's first overflow page (OVERFLOW1, parent 3): say BTREE 9.
    let off = entry_off(1024, 4);
    assert_eq!(&bytes[off..off + 5], &[3, 0, 0, 0, 3]);
    bytes[off] = 5;
    bytes[off + 4] = 9;
    std::fs::write(&path, &bytes).unwrap();
    let want = "Bad ptr map entry key=4 expected=(3,3) got=(5,9)";
    let theirs = sqlite3(&path, "PRAGMA integrity_check");
    assert!(theirs.contains(want), "{theirs}");
    let mut c = open(&path);
    let ours = ferro(&mut c, "PRAGMA integrity_check");
    assert!(ours.contains(want), "{ours}");
    // Both agree on the number of problems found.
    assert_eq!(ours.matches("Bad ptr map").count(), theirs.matches("Bad ptr map").count());
}

#[test]
fn corrupt_ptrmap_pages_give_errors_not_panics() {
    let path = tmpdb("corrupt-map");
    let mut c = open(&path);
    run(&mut c, "PRAGMA page_size=512; PRAGMA auto_vacuum=INCREMENTAL; CREATE TABLE t(a INTEGER PRIMARY KEY, b); CREATE INDEX tb ON t(b)").unwrap();
    for i in 0..60 {
        run(&mut c, &format!("INSERT INTO t VALUES({i}, randomblob({}))", 50 + i * 37)).unwrap();
    }
    run(&mut c, "CREATE TABLE u(x); INSERT INTO u VALUES(randomblob(3000)); DELETE FROM t WHERE a % 3 = 0").unwrap();
    drop(c);
    let good = std::fs::read(&path).unwrap();
    let mut seed = 0x9e37_79b9_7f4a_7c15u64;
    for round in 0..40 {
        let mut bytes = good.clone();
        for _ in 0..1 + round % 4 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let at = 512 + (seed as usize) % 510;
            bytes[at] = (seed >> 32) as u8;
        }
        std::fs::write(&path, &bytes).unwrap();
        let mut c = open(&path);
        for s in [
            "PRAGMA integrity_check",
            "DELETE FROM t WHERE a % 2 = 0",
            "PRAGMA incremental_vacuum(4)",
            "CREATE TABLE n(x)",
            "DROP TABLE u",
            "INSERT INTO t VALUES(1000, randomblob(2000))",
            "PRAGMA incremental_vacuum",
            "PRAGMA auto_vacuum=FULL",
            "DELETE FROM t",
        ] {
            // Errors are fine (SQLITE_CORRUPT); panics and hangs are not.
            let _ = run(&mut c, s);
        }
    }
}
