//! Storage layer against real SQLite (the machine's `sqlite3` CLI): files
//! written by Ferrolite's B-tree pass SQLite's integrity_check and read
//! back through SQL; files SQLite wrote read through Ferrolite's cursors;
//! hot journals left by either engine are rolled back by both; corrupt
//! files give SQLITE_CORRUPT / SQLITE_NOTADB, never a panic or a hang.

mod common;

use std::process::Command;
use std::sync::Arc;

use ferrolite::btree::{varint, BtCursor, Btree, TreeKind};
use ferrolite::error::code;
use ferrolite::os::{OpenFlags, UnixVfs, Vfs};

// ------------------------------------------------------------ helpers

#[derive(Clone, Debug, PartialEq)]
enum Val {
    Null,
    Int(i64),
    Real(f64),
    Text(Vec<u8>),
    Blob(Vec<u8>),
}

/// Encodes a record; integers use the 8-byte serial type 6 when `wide`.
fn record(vals: &[Val], wide: bool) -> Vec<u8> {
    let mut types = Vec::new();
    let mut body = Vec::new();
    for v in vals {
        match v {
            Val::Null => varint::put(&mut types, 0),
            Val::Int(i) => {
                let i = *i;
                if wide {
                    varint::put(&mut types, 6);
                    body.extend_from_slice(&i.to_be_bytes());
                } else if i == 0 {
                    varint::put(&mut types, 8);
                } else if i == 1 {
                    varint::put(&mut types, 9);
                } else if (-128..128).contains(&i) {
                    varint::put(&mut types, 1);
                    body.push(i as u8);
                } else if (-32768..32768).contains(&i) {
                    varint::put(&mut types, 2);
                    body.extend_from_slice(&(i as i16).to_be_bytes());
                } else if (-(1 << 31)..(1 << 31)).contains(&i) {
                    varint::put(&mut types, 4);
                    body.extend_from_slice(&(i as i32).to_be_bytes());
                } else {
                    varint::put(&mut types, 6);
                    body.extend_from_slice(&i.to_be_bytes());
                }
            }
            Val::Real(f) => {
                varint::put(&mut types, 7);
                body.extend_from_slice(&f.to_bits().to_be_bytes());
            }
            Val::Text(t) => {
                varint::put(&mut types, 13 + 2 * t.len() as u64);
                body.extend_from_slice(t);
            }
            Val::Blob(b) => {
                varint::put(&mut types, 12 + 2 * b.len() as u64);
                body.extend_from_slice(b);
            }
        }
    }
    let mut hl = types.len() + 1;
    if varint::len(hl as u64) > 1 {
        hl += 1;
    }
    let mut out = Vec::new();
    varint::put(&mut out, hl as u64);
    out.extend_from_slice(&types);
    out.extend_from_slice(&body);
    out
}

fn decode(rec: &[u8]) -> Vec<Val> {
    let (hl, n) = varint::get(rec).unwrap();
    let mut p = n;
    let mut body = hl as usize;
    let mut out = Vec::new();
    while p < hl as usize {
        let (t, n) = varint::get(&rec[p..]).unwrap();
        p += n;
        let int = |len: usize, body: usize| -> i64 {
            let mut v: i64 = if rec[body] & 0x80 != 0 { -1 } else { 0 };
            for &b in &rec[body..body + len] {
                v = (v << 8) | b as i64;
            }
            v
        };
        let (v, len) = match t {
            0 => (Val::Null, 0),
            1 => (Val::Int(int(1, body)), 1),
            2 => (Val::Int(int(2, body)), 2),
            3 => (Val::Int(int(3, body)), 3),
            4 => (Val::Int(int(4, body)), 4),
            5 => (Val::Int(int(6, body)), 6),
            6 => (Val::Int(int(8, body)), 8),
            7 => (Val::Real(f64::from_bits(int(8, body) as u64)), 8),
            8 => (Val::Int(0), 0),
            9 => (Val::Int(1), 0),
            t if t >= 12 && t % 2 == 0 => {
                let l = ((t - 12) / 2) as usize;
                (Val::Blob(rec[body..body + l].to_vec()), l)
            }
            t => {
                let l = ((t - 13) / 2) as usize;
                (Val::Text(rec[body..body + l].to_vec()), l)
            }
        };
        body += len;
        out.push(v);
    }
    out
}

fn sqlite3(path: &str, sql: &str) -> Option<String> {
    let out = Command::new("sqlite3").env_remove("LD_LIBRARY_PATH").arg(path).arg(sql).output().ok()?;
    assert!(out.status.success(), "sqlite3 failed: {}", String::from_utf8_lossy(&out.stderr));
    Some(String::from_utf8_lossy(&out.stdout).trim_end().to_string())
}

fn have_sqlite3() -> bool {
    Command::new("sqlite3").env_remove("LD_LIBRARY_PATH").arg("-version").output().map(|o| o.status.success()).unwrap_or(false)
}

fn tmp(name: &str) -> String {
    let p = std::env::temp_dir().join(format!("ferrolite-storage-{}-{name}.db", std::process::id()));
    let p = p.to_string_lossy().into_owned();
    let _ = std::fs::remove_file(&p);
    let _ = std::fs::remove_file(format!("{p}-journal"));
    p
}

const ROUNDS: u64 = 300;

fn vfs() -> Arc<dyn Vfs> {
    Arc::new(UnixVfs)
}

fn rw() -> OpenFlags {
    OpenFlags::READWRITE | OpenFlags::CREATE
}

struct Rng(u64);
impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02X}")).collect()
}

/// Roots of the schema objects of a database, by name.
fn schema(bt: &mut Btree) -> Vec<(String, String, i64)> {
    let mut c = BtCursor::new(1, TreeKind::Table, false);
    let mut out = Vec::new();
    let mut ok = c.first(bt).unwrap();
    while ok {
        let r = decode(&c.payload(bt).unwrap());
        let s = |v: &Val| match v {
            Val::Text(t) => String::from_utf8_lossy(t).into_owned(),
            _ => String::new(),
        };
        let root = match r[3] {
            Val::Int(i) => i,
            _ => 0,
        };
        out.push((s(&r[0]), s(&r[1]), root));
        ok = c.next(bt).unwrap();
    }
    out
}

/// Writes table t(a,b) + index i1(a) with Ferrolite; returns the model
/// (rowid, a, b) of the rows left.
fn write_ferrolite_db(path: &str, page_size: u32, n: i64) -> Vec<(i64, i64, Vec<u8>)> {
    let mut bt = Btree::open(vfs(), path, rw()).unwrap();
    bt.set_page_size(page_size).unwrap();
    bt.begin_write().unwrap();
    let t = bt.create_table(TreeKind::Table).unwrap();
    let i = bt.create_table(TreeKind::Index).unwrap();
    let mut sc = BtCursor::new(1, TreeKind::Table, true);
    let trec = record(
        &[
            Val::Text(b"table".to_vec()),
            Val::Text(b"t".to_vec()),
            Val::Text(b"t".to_vec()),
            Val::Int(t as i64),
            Val::Text(b"CREATE TABLE t(a,b)".to_vec()),
        ],
        false,
    );
    sc.insert(&mut bt, 1, &trec).unwrap();
    let irec = record(
        &[
            Val::Text(b"index".to_vec()),
            Val::Text(b"i1".to_vec()),
            Val::Text(b"t".to_vec()),
            Val::Int(i as i64),
            Val::Text(b"CREATE INDEX i1 ON t(a)".to_vec()),
        ],
        false,
    );
    sc.insert(&mut bt, 2, &irec).unwrap();
    bt.update_meta(1, 1).unwrap();
    let mut tc = BtCursor::new(t, TreeKind::Table, true);
    let mut ic = BtCursor::new_index(i, true, Arc::new(|a: &[u8], b: &[u8]| Ok(a.cmp(b))));
    let mut rng = Rng(0x1234_5678_9abc_def1);
    let mut rows = std::collections::BTreeMap::new();
    for rowid in 1..=n {
        let a = rng.below(1_000_000) as i64;
        let len = match rng.below(20) {
            0 => rng.below(3 * page_size as u64) as usize,
            1 => 0,
            _ => rng.below(100) as usize,
        };
        let b: Vec<u8> = (0..len).map(|_| rng.below(256) as u8).collect();
        tc.insert(&mut bt, rowid, &record(&[Val::Int(a), Val::Blob(b.clone())], false)).unwrap();
        let key = record(&[Val::Int(a), Val::Int(rowid)], true);
        ic.insert_index(&mut bt, &key, &mut |s: &[u8]| Ok(s.cmp(&key[..]))).unwrap();
        rows.insert(rowid, (a, b));
    }
    bt.commit().unwrap();
    // Delete a third of the rows (table and index) in a second transaction.
    bt.begin_write().unwrap();
    for rowid in 1..=n {
        if rowid % 3 == 0 {
            let (a, _) = rows.remove(&rowid).unwrap();
            assert_eq!(tc.table_moveto(&mut bt, rowid).unwrap(), 0);
            tc.delete(&mut bt).unwrap();
            let key = record(&[Val::Int(a), Val::Int(rowid)], true);
            assert_eq!(ic.index_moveto(&mut bt, &mut |s: &[u8]| Ok(s.cmp(&key[..]))).unwrap(), 0);
            ic.delete(&mut bt).unwrap();
        }
    }
    bt.commit().unwrap();
    rows.into_iter().map(|(r, (a, b))| (r, a, b)).collect()
}

// ------------------------------------------------------------ tests

#[test]
fn sqlite_reads_what_ferrolite_wrote() {
    if !have_sqlite3() {
        eprintln!("sqlite3 CLI not found: skipped");
        return;
    }
    for ps in [512u32, 4096, 65536] {
        let path = tmp(&format!("f2s-{ps}"));
        let rows = write_ferrolite_db(&path, ps, 3000);
        assert_eq!(sqlite3(&path, "PRAGMA integrity_check;").unwrap(), "ok", "page size {ps}");
        let got = sqlite3(&path, "SELECT count(*), sum(a), sum(length(b)) FROM t;").unwrap();
        let want = format!(
            "{}|{}|{}",
            rows.len(),
            rows.iter().map(|r| r.1).sum::<i64>(),
            rows.iter().map(|r| r.2.len()).sum::<usize>()
        );
        assert_eq!(got, want);
        let (r, a, b) = &rows[rows.len() / 2];
        let got = sqlite3(&path, &format!("SELECT a, hex(b) FROM t WHERE rowid={r};")).unwrap();
        assert_eq!(got, format!("{a}|{}", hex(b)));
        let got = sqlite3(&path, &format!("SELECT count(*) FROM t WHERE a={a};")).unwrap();
        let want = rows.iter().filter(|x| x.1 == *a).count();
        assert_eq!(got, want.to_string());
        // SQLite writes to it, Ferrolite reads it back.
        sqlite3(&path, "INSERT INTO t VALUES(-5, x'00ff'); DELETE FROM t WHERE rowid < 100;").unwrap();
        assert_eq!(sqlite3(&path, "PRAGMA integrity_check;").unwrap(), "ok");
        let mut bt = Btree::open(vfs(), &path, rw()).unwrap();
        bt.begin_read().unwrap();
        let troot = schema(&mut bt).iter().find(|s| s.1 == "t").unwrap().2 as u32;
        let mut c = BtCursor::new(troot, TreeKind::Table, false);
        let want = rows.iter().filter(|r| r.0 >= 100).count() as i64 + 1;
        assert_eq!(c.count(&mut bt).unwrap(), want);
        bt.commit().unwrap();
        let _ = std::fs::remove_file(&path);
    }
}

#[test]
fn ferrolite_reads_what_sqlite_wrote() {
    if !have_sqlite3() {
        eprintln!("sqlite3 CLI not found: skipped");
        return;
    }
    let path = tmp("s2f");
    sqlite3(
        &path,
        "PRAGMA page_size=1024; CREATE TABLE t(a INTEGER, b BLOB); CREATE INDEX i ON t(a);
         WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c WHERE x<4000)
         INSERT INTO t SELECT (x*7919) % 1000, randomblob((x % 13) * 250) FROM c;
         DELETE FROM t WHERE rowid % 5 = 0;",
    )
    .unwrap();
    let dump = sqlite3(&path, "SELECT rowid, a, hex(b) FROM t ORDER BY rowid;").unwrap();
    let mut bt = Btree::open(vfs(), &path, rw()).unwrap();
    bt.begin_read().unwrap();
    assert_eq!(bt.page_size(), 1024);
    let sch = schema(&mut bt);
    let troot = sch.iter().find(|s| s.1 == "t").unwrap().2 as u32;
    let iroot = sch.iter().find(|s| s.1 == "i").unwrap().2 as u32;
    let mut c = BtCursor::new(troot, TreeKind::Table, false);
    let mut lines = Vec::new();
    let mut ok = c.first(&mut bt).unwrap();
    while ok {
        let rowid = c.rowid(&mut bt).unwrap();
        let r = decode(&c.payload(&mut bt).unwrap());
        let a = match &r[0] {
            Val::Int(i) => *i,
            v => panic!("{v:?}"),
        };
        let b = match &r[1] {
            Val::Blob(b) => hex(b),
            Val::Null => String::new(),
            v => panic!("{v:?}"),
        };
        lines.push(format!("{rowid}|{a}|{b}"));
        ok = c.next(&mut bt).unwrap();
    }
    assert_eq!(lines.join("\n"), dump);
    // The index holds (a, rowid) for every row, in order.
    let mut ic = BtCursor::new(iroot, TreeKind::Index, false);
    let mut keys = Vec::new();
    let mut ok = ic.first(&mut bt).unwrap();
    while ok {
        let r = decode(&ic.payload(&mut bt).unwrap());
        match (&r[0], &r[1]) {
            (Val::Int(a), Val::Int(rowid)) => keys.push((*a, *rowid)),
            v => panic!("{v:?}"),
        }
        ok = ic.next(&mut bt).unwrap();
    }
    assert_eq!(keys.len(), lines.len());
    assert!(keys.windows(2).all(|w| w[0] < w[1]));
    // Reverse scan agrees.
    let mut n = 0;
    let mut ok = ic.last(&mut bt).unwrap();
    while ok {
        n += 1;
        ok = ic.prev(&mut bt).unwrap();
    }
    assert_eq!(n, keys.len());
    bt.commit().unwrap();
    // Ferrolite modifies the SQLite file; SQLite still finds it sound.
    bt.begin_write().unwrap();
    let mut c = BtCursor::new(troot, TreeKind::Table, true);
    for rowid in 1..=4000i64 {
        if rowid % 2 == 0 && c.table_moveto(&mut bt, rowid).unwrap() == 0 {
            c.delete(&mut bt).unwrap();
        }
    }
    // Keep the index consistent: drop all its entries for even rowids.
    let int_cmp = |a: &[u8], b: &[u8]| {
        let key = |r: &[u8]| -> Vec<i64> {
            decode(r).into_iter().map(|v| if let Val::Int(i) = v { i } else { i64::MIN }).collect()
        };
        Ok(key(a).cmp(&key(b)))
    };
    let mut ic = BtCursor::new_index(iroot, true, Arc::new(int_cmp));
    let mut ok = ic.first(&mut bt).unwrap();
    while ok {
        let r = decode(&ic.payload(&mut bt).unwrap());
        if matches!(r[1], Val::Int(x) if x % 2 == 0) {
            ic.delete(&mut bt).unwrap();
        }
        ok = ic.next(&mut bt).unwrap();
    }
    bt.commit().unwrap();
    assert_eq!(sqlite3(&path, "PRAGMA integrity_check;").unwrap(), "ok");
    let _ = std::fs::remove_file(&path);
}

fn copy_with_journal(from: &str, to: &str) {
    std::fs::copy(from, to).unwrap();
    std::fs::copy(format!("{from}-journal"), format!("{to}-journal")).unwrap();
}

#[test]
fn ferrolite_hot_journal_rolled_back_by_both() {
    if !have_sqlite3() {
        eprintln!("sqlite3 CLI not found: skipped");
        return;
    }
    let path = tmp("hot-f");
    let rows = write_ferrolite_db(&path, 1024, 1500);
    let before = sqlite3(&path, "SELECT count(*), sum(a), sum(length(b)) FROM t;").unwrap();
    let mut bt = Btree::open(vfs(), &path, rw()).unwrap();
    bt.set_synchronous(2);
    bt.begin_write().unwrap();
    let troot = schema(&mut bt).iter().find(|s| s.1 == "t").unwrap().2 as u32;
    let mut c = BtCursor::new(troot, TreeKind::Table, true);
    for r in &rows[..rows.len() / 2] {
        assert_eq!(c.table_moveto(&mut bt, r.0).unwrap(), 0);
        c.delete(&mut bt).unwrap();
    }
    for k in 0..500 {
        c.insert(&mut bt, 100_000 + k, &record(&[Val::Int(k), Val::Blob(vec![7; 3000])], false)).unwrap();
    }
    // Crash after the database file was written, before the journal goes.
    bt.commit_phase_one().unwrap();
    let crash1 = tmp("hot-f-copy1");
    let crash2 = tmp("hot-f-copy2");
    copy_with_journal(&path, &crash1);
    copy_with_journal(&path, &crash2);
    bt.rollback().unwrap();
    drop(bt);
    assert_eq!(sqlite3(&path, "SELECT count(*), sum(a), sum(length(b)) FROM t;").unwrap(), before);
    // SQLite rolls back Ferrolite's hot journal.
    assert_eq!(sqlite3(&crash1, "SELECT count(*), sum(a), sum(length(b)) FROM t;").unwrap(), before);
    assert_eq!(sqlite3(&crash1, "PRAGMA integrity_check;").unwrap(), "ok");
    assert!(!std::path::Path::new(&format!("{crash1}-journal")).exists());
    // Ferrolite rolls back its own hot journal.
    let mut bt = Btree::open(vfs(), &crash2, rw()).unwrap();
    bt.begin_read().unwrap();
    let mut c = BtCursor::new(troot, TreeKind::Table, false);
    assert_eq!(c.count(&mut bt).unwrap(), rows.len() as i64);
    bt.commit().unwrap();
    drop(bt);
    assert!(!std::path::Path::new(&format!("{crash2}-journal")).exists());
    assert_eq!(sqlite3(&crash2, "PRAGMA integrity_check;").unwrap(), "ok");
    assert_eq!(sqlite3(&crash2, "SELECT count(*), sum(a), sum(length(b)) FROM t;").unwrap(), before);
    for p in [&path, &crash1, &crash2] {
        let _ = std::fs::remove_file(p);
    }
}

#[test]
fn sqlite_hot_journal_rolled_back_by_ferrolite() {
    if !have_sqlite3() {
        eprintln!("sqlite3 CLI not found: skipped");
        return;
    }
    let path = tmp("hot-s");
    let copy = tmp("hot-s-copy");
    sqlite3(
        &path,
        "PRAGMA page_size=1024; CREATE TABLE t(a INTEGER, b BLOB);
         WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c WHERE x<2000)
         INSERT INTO t SELECT x, randomblob(200) FROM c;",
    )
    .unwrap();
    let dump = "SELECT a, hex(b) FROM t ORDER BY rowid;";
    let before = sqlite3(&path, dump).unwrap();
    // A big transaction with a tiny cache spills to the database file
    // before commit; copy the files mid-transaction.
    let script = format!(
        "PRAGMA cache_size=10;\nBEGIN;\nUPDATE t SET b=randomblob(300);\nDELETE FROM t WHERE a%3=0;\n\
         .shell cp {path} {copy}\n.shell cp {path}-journal {copy}-journal\nROLLBACK;\n"
    );
    {
        use std::io::Write;
        let mut child = Command::new("sqlite3").env_remove("LD_LIBRARY_PATH")
            .arg(&path)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        child.stdin.as_mut().unwrap().write_all(script.as_bytes()).unwrap();
        child.wait_with_output().unwrap();
    }
    assert!(std::path::Path::new(&format!("{copy}-journal")).exists(), "no hot journal captured");
    // The copied database alone is mid-transaction garbage; Ferrolite must
    // roll the journal back on first read.
    let mut bt = Btree::open(vfs(), &copy, rw()).unwrap();
    bt.begin_read().unwrap();
    let sch = schema(&mut bt);
    let troot = sch.iter().find(|s| s.1 == "t").unwrap().2 as u32;
    let mut c = BtCursor::new(troot, TreeKind::Table, false);
    assert_eq!(c.count(&mut bt).unwrap(), 2000);
    bt.commit().unwrap();
    drop(bt);
    assert!(!std::path::Path::new(&format!("{copy}-journal")).exists());
    assert_eq!(sqlite3(&copy, "PRAGMA integrity_check;").unwrap(), "ok");
    let after = sqlite3(&copy, dump).unwrap();
    assert_eq!(after, before);
    for p in [&path, &copy] {
        let _ = std::fs::remove_file(p);
    }
}

/// Reads every tree of a database fully; any error must be CORRUPT or
/// NOTADB.
fn scan_all(path: &str) -> Result<(), i32> {
    let run = || -> ferrolite::Result<()> {
        let mut bt = Btree::open(vfs(), path, OpenFlags::READWRITE)?;
        bt.begin_read()?;
        let mut roots = vec![1u32];
        let mut c = BtCursor::new(1, TreeKind::Table, false);
        let mut ok = c.first(&mut bt)?;
        while ok {
            let p = c.payload(&mut bt)?.to_vec();
            if let Some(Val::Int(r)) = std::panic::catch_unwind(|| decode(&p)).ok().and_then(|v| v.get(3).cloned()) {
                roots.push(r as u32);
            }
            ok = c.next(&mut bt)?;
        }
        for (n, &r) in roots.iter().enumerate() {
            let kind = if n == 2 { TreeKind::Index } else { TreeKind::Table };
            let mut c = BtCursor::new(r, kind, false);
            let mut ok = c.first(&mut bt)?;
            let mut steps = 0;
            while ok {
                let _ = c.payload(&mut bt)?;
                ok = c.next(&mut bt)?;
                steps += 1;
                assert!(steps < 1_000_000);
            }
            c.count(&mut bt)?;
            let mut ok = c.last(&mut bt)?;
            while ok {
                ok = c.prev(&mut bt)?;
            }
        }
        bt.commit()
    };
    match run() {
        Ok(()) => Ok(()),
        Err(e) => Err(e.primary_code()),
    }
}

#[test]
fn corrupt_files_give_errors_not_panics() {
    let path = tmp("corrupt-src");
    write_ferrolite_db(&path, 1024, 600);
    let good = std::fs::read(&path).unwrap();
    assert_eq!(scan_all(&path), Ok(()));
    let bad = tmp("corrupt");
    let check = |bytes: &[u8], what: &str| {
        std::fs::write(&bad, bytes).unwrap();
        let _ = std::fs::remove_file(format!("{bad}-journal"));
        match scan_all(&bad) {
            Ok(()) => {}
            Err(c) => assert!(c == code::CORRUPT || c == code::NOTADB, "{what}: code {c}"),
        }
    };
    // Not a database at all.
    std::fs::write(&bad, vec![0x41u8; 4096]).unwrap();
    assert_eq!(scan_all(&bad), Err(code::NOTADB));
    // Truncated file.
    check(&good[..good.len() / 2], "truncated");
    assert_eq!(scan_all(&bad), Err(code::CORRUPT));
    check(&good[..1500], "truncated to page 2");
    // Random garbage pages and random byte flips.
    let mut rng = Rng(99);
    let npages = good.len() / 1024;
    for round in 0..ROUNDS {
        let mut b = good.clone();
        if round % 3 == 0 {
            let pg = 1 + rng.below(npages as u64 - 1) as usize;
            for x in &mut b[pg * 1024..(pg + 1) * 1024] {
                *x = rng.below(256) as u8;
            }
        } else {
            for _ in 0..1 + rng.below(20) {
                let at = rng.below(b.len() as u64) as usize;
                b[at] = rng.below(256) as u8;
            }
        }
        check(&b, &format!("round {round}"));
    }
    // A cycle in a tree: an interior cell pointing back at the root.
    let mut bt = Btree::open(vfs(), &path, rw()).unwrap();
    bt.begin_read().unwrap();
    let troot = schema(&mut bt).iter().find(|s| s.1 == "t").unwrap().2 as usize;
    bt.commit().unwrap();
    drop(bt);
    let mut b = good.clone();
    let base = (troot - 1) * 1024;
    assert_eq!(b[base], 5, "t's root should be interior");
    b[base + 8..base + 12].copy_from_slice(&(troot as u32).to_be_bytes());
    check(&b, "tree cycle");
    assert_eq!(scan_all(&bad), Err(code::CORRUPT));
    // A cycle in an overflow chain: find an overflow page and point it at
    // itself.
    let mut b = good.clone();
    let mut done = false;
    for pg in 2..=npages {
        let off = (pg - 1) * 1024;
        let next = u32::from_be_bytes([b[off], b[off + 1], b[off + 2], b[off + 3]]);
        if b[off] == 0 && next as usize > 1 && next as usize <= npages && ![2u8, 5, 10, 13].contains(&b[off]) {
            let t = (next as usize - 1) * 1024;
            if ![2u8, 5, 10, 13].contains(&b[t]) {
                b[t..t + 4].copy_from_slice(&(next).to_be_bytes());
                done = true;
                break;
            }
        }
    }
    if done {
        check(&b, "overflow cycle");
    }
    for p in [&path, &bad] {
        let _ = std::fs::remove_file(p);
    }
}

#[test]
fn two_connections_in_one_process_lock_each_other() {
    let path = tmp("two");
    let mut a = Btree::open(vfs(), &path, rw()).unwrap();
    let mut b = Btree::open(vfs(), &path, rw()).unwrap();
    a.begin_write().unwrap();
    let root = a.create_table(TreeKind::Table).unwrap();
    assert_eq!(b.begin_write().unwrap_err().primary_code(), code::BUSY);
    a.commit().unwrap();
    b.begin_write().unwrap();
    let mut c = BtCursor::new(root, TreeKind::Table, true);
    c.insert(&mut b, 1, b"hello").unwrap();
    // a can read the old state while b holds RESERVED...
    a.begin_read().unwrap();
    let mut ca = BtCursor::new(root, TreeKind::Table, false);
    assert!(!ca.first(&mut a).unwrap());
    // ...and keeps b's commit out until it finishes.
    assert_eq!(b.commit().unwrap_err().primary_code(), code::BUSY);
    a.commit().unwrap();
    b.commit().unwrap();
    a.begin_read().unwrap();
    assert!(ca.first(&mut a).unwrap());
    assert_eq!(&ca.payload(&mut a).unwrap()[..], b"hello");
    a.commit().unwrap();
    drop(a);
    drop(b);
    let _ = std::fs::remove_file(&path);
}

/// A sqlite3 CLI process driven line by line.
struct Cli {
    child: std::process::Child,
    out: std::io::BufReader<std::process::ChildStdout>,
}

impl Cli {
    fn open(path: &str) -> Cli {
        let mut child = Command::new("sqlite3").env_remove("LD_LIBRARY_PATH")
            .arg(path)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let out = std::io::BufReader::new(child.stdout.take().unwrap());
        Cli { child, out }
    }
    /// Runs SQL, then prints a marker and returns the output before it.
    fn run(&mut self, sql: &str) -> String {
        use std::io::{BufRead, Write};
        let stdin = self.child.stdin.as_mut().unwrap();
        writeln!(stdin, "{sql}\nSELECT 'MARK';").unwrap();
        stdin.flush().unwrap();
        let mut acc = String::new();
        loop {
            let mut line = String::new();
            if self.out.read_line(&mut line).unwrap() == 0 {
                break;
            }
            if line.trim_end() == "MARK" {
                break;
            }
            acc.push_str(&line);
        }
        acc.trim_end().to_string()
    }
    fn stderr_has_locked(mut self) -> bool {
        drop(self.child.stdin.take());
        let out = self.child.wait_with_output().unwrap();
        String::from_utf8_lossy(&out.stderr).contains("locked")
    }
}

#[test]
fn sqlite_and_ferrolite_processes_exclude_each_other() {
    if !have_sqlite3() {
        eprintln!("sqlite3 CLI not found: skipped");
        return;
    }
    let path = tmp("xproc");
    sqlite3(&path, "CREATE TABLE t(a); INSERT INTO t VALUES(1);").unwrap();
    let mut bt = Btree::open(vfs(), &path, rw()).unwrap();
    bt.begin_read().unwrap();
    let troot = schema(&mut bt).iter().find(|s| s.1 == "t").unwrap().2 as u32;
    bt.commit().unwrap();

    // SQLite holds RESERVED: Ferrolite may read but not write.
    let mut cli = Cli::open(&path);
    assert_eq!(cli.run("BEGIN IMMEDIATE; INSERT INTO t VALUES(2);"), "");
    bt.begin_read().unwrap();
    let mut c = BtCursor::new(troot, TreeKind::Table, true);
    assert_eq!(c.count(&mut bt).unwrap(), 1);
    assert_eq!(bt.begin_write().unwrap_err().primary_code(), code::BUSY);
    bt.commit().unwrap();
    // Ferrolite's SHARED lock keeps SQLite's commit out.
    bt.begin_read().unwrap();
    let _ = cli.run("COMMIT;");
    bt.commit().unwrap();
    let _ = cli.run("COMMIT;");
    assert_eq!(cli.run("SELECT count(*) FROM t;"), "2");
    // Ferrolite sees SQLite's commit (change counter moved).
    bt.begin_read().unwrap();
    assert_eq!(c.count(&mut bt).unwrap(), 2);
    bt.commit().unwrap();

    // Ferrolite holds RESERVED: SQLite may read, not write.
    bt.begin_write().unwrap();
    c.insert(&mut bt, 10, &record(&[Val::Int(10)], false)).unwrap();
    assert_eq!(cli.run("SELECT count(*) FROM t;"), "2");
    let _ = cli.run("BEGIN IMMEDIATE;");
    // Ferrolite at EXCLUSIVE (database written, journal live): SQLite
    // cannot even read.
    bt.commit_phase_one().unwrap();
    assert_eq!(cli.run("SELECT count(*) FROM t;"), "");
    bt.commit().unwrap();
    assert_eq!(cli.run("SELECT count(*) FROM t;"), "3");
    assert!(cli.stderr_has_locked());
    assert_eq!(sqlite3(&path, "PRAGMA integrity_check;").unwrap(), "ok");
    drop(bt);
    let _ = std::fs::remove_file(&path);
}

/// Rough throughput check (run with --release --ignored).
#[test]
#[ignore]
fn bench_million_rows() {
    let path = tmp("bench");
    let mut bt = Btree::open(vfs(), &path, rw()).unwrap();
    let t0 = std::time::Instant::now();
    bt.begin_write().unwrap();
    let root = bt.create_table(TreeKind::Table).unwrap();
    let mut c = BtCursor::new(root, TreeKind::Table, true);
    let rec = record(&[Val::Int(12345), Val::Text(b"some text value here".to_vec())], false);
    for k in 1..=1_000_000 {
        c.insert(&mut bt, k, &rec).unwrap();
    }
    bt.commit().unwrap();
    eprintln!("1M sequential inserts + commit: {:?}", t0.elapsed());
    let t0 = std::time::Instant::now();
    bt.begin_read().unwrap();
    let mut n = 0;
    let mut ok = c.first(&mut bt).unwrap();
    while ok {
        n += c.payload(&mut bt).unwrap().len();
        ok = c.next(&mut bt).unwrap();
    }
    eprintln!("scan: {:?} ({n} bytes)", t0.elapsed());
    let t0 = std::time::Instant::now();
    let mut rng = Rng(5);
    for _ in 0..1_000_000 {
        let k = 1 + rng.below(1_000_000) as i64;
        assert_eq!(c.table_moveto(&mut bt, k).unwrap(), 0);
    }
    eprintln!("1M random seeks: {:?}", t0.elapsed());
    bt.commit().unwrap();
    let t0 = std::time::Instant::now();
    bt.begin_write().unwrap();
    for _ in 0..200_000 {
        let k = 1 + rng.below(1_000_000) as i64;
        if c.table_moveto(&mut bt, k).unwrap() == 0 {
            c.delete(&mut bt).unwrap();
        }
    }
    bt.commit().unwrap();
    eprintln!("200k random deletes + commit: {:?}", t0.elapsed());
    if have_sqlite3() {
        // No schema row for the table: its pages show as unused; nothing else may be wrong.
        let ic = sqlite3(&path, "PRAGMA integrity_check;").unwrap();
        assert!(ic.lines().skip(1).all(|l| l.contains("never used")), "{ic}");
    }
    let _ = std::fs::remove_file(&path);
}

#[test]
fn ferrolite_drops_and_inserts_into_sqlite_files() {
    if !have_sqlite3() {
        eprintln!("sqlite3 CLI not found: skipped");
        return;
    }
    for reserve in [0, 32] {
        let path = tmp(&format!("drop-{reserve}"));
        let mut child = Command::new("sqlite3").env_remove("LD_LIBRARY_PATH")
            .arg(&path)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::null())
            .spawn()
            .unwrap();
        {
            use std::io::Write;
            let stdin = child.stdin.as_mut().unwrap();
            writeln!(stdin, ".filectrl reserve_bytes {reserve}").unwrap();
            writeln!(
                stdin,
                "PRAGMA page_size=1024;\nCREATE TABLE t1(a INTEGER, b BLOB);\nCREATE INDEX i1 ON t1(a);\n\
                 CREATE TABLE t2(x);\n\
                 WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c WHERE x<3000)\n\
                 INSERT INTO t1 SELECT x % 97, randomblob(x % 700) FROM c;\n\
                 INSERT INTO t2 SELECT randomblob(2000) FROM t1 WHERE rowid < 300;\n\
                 DELETE FROM t1 WHERE rowid % 7 = 0;"
            )
            .unwrap();
        }
        drop(child.stdin.take());
        assert!(child.wait().unwrap().success());
        let mut bt = Btree::open(vfs(), &path, rw()).unwrap();
        bt.begin_write().unwrap();
        let usable = bt.page_size() - reserve;
        assert_eq!(usable, 1024 - reserve);
        let sch = schema(&mut bt);
        let t1 = sch.iter().find(|s| s.1 == "t1").unwrap().2 as u32;
        let i1 = sch.iter().find(|s| s.1 == "i1").unwrap().2 as u32;
        let t2 = sch.iter().find(|s| s.1 == "t2").unwrap().2 as u32;
        // Drop t2 and its schema row.
        bt.drop_table(t2).unwrap();
        let mut sc = BtCursor::new(1, TreeKind::Table, true);
        let mut ok = sc.first(&mut bt).unwrap();
        while ok {
            let r = decode(&sc.payload(&mut bt).unwrap());
            if r[1] == Val::Text(b"t2".to_vec()) {
                sc.delete(&mut bt).unwrap();
            }
            ok = sc.next(&mut bt).unwrap();
        }
        let cookie = bt.get_meta(1).unwrap();
        bt.update_meta(1, cookie + 1).unwrap();
        // Insert rows (and their index entries) into pages SQLite left with
        // freeblocks.
        let int_cmp = |a: &[u8], b: &[u8]| {
            let key = |r: &[u8]| -> Vec<i64> {
                decode(r).into_iter().map(|v| if let Val::Int(i) = v { i } else { i64::MIN }).collect()
            };
            Ok(key(a).cmp(&key(b)))
        };
        let mut tc = BtCursor::new(t1, TreeKind::Table, true);
        let mut ic = BtCursor::new_index(i1, true, Arc::new(int_cmp));
        for rowid in (7..=3000).step_by(7).chain(3001..3200) {
            let a = rowid % 97;
            tc.insert(&mut bt, rowid, &record(&[Val::Int(a), Val::Blob(vec![rowid as u8; (rowid % 500) as usize])], false)).unwrap();
            let key = record(&[Val::Int(a), Val::Int(rowid)], false);
            ic.insert_index(&mut bt, &key, &mut |s: &[u8]| int_cmp(s, &key)).unwrap();
        }
        bt.commit().unwrap();
        drop(bt);
        assert_eq!(sqlite3(&path, "PRAGMA integrity_check;").unwrap(), "ok", "reserve {reserve}");
        assert_eq!(sqlite3(&path, "SELECT group_concat(name) FROM sqlite_schema;").unwrap(), "t1,i1");
        assert_eq!(sqlite3(&path, "SELECT count(*) FROM t1;").unwrap(), "3199");
        let free = sqlite3(&path, "PRAGMA freelist_count;").unwrap();
        assert!(free.parse::<u32>().unwrap() > 0);
        // SQLite reuses the freed pages.
        sqlite3(&path, "CREATE TABLE t3(x); INSERT INTO t3 SELECT randomblob(900) FROM t1 WHERE rowid < 200;").unwrap();
        assert_eq!(sqlite3(&path, "PRAGMA integrity_check;").unwrap(), "ok");
        let _ = std::fs::remove_file(&path);
    }
}

#[test]
fn auto_vacuum_files_are_writable() {
    if !have_sqlite3() {
        eprintln!("sqlite3 CLI not found: skipped");
        return;
    }
    let path = tmp("autovac");
    sqlite3(&path, "PRAGMA auto_vacuum=FULL; CREATE TABLE t(a); INSERT INTO t VALUES(1),(2);").unwrap();
    let mut bt = Btree::open(vfs(), &path, rw()).unwrap();
    bt.begin_read().unwrap();
    let root = schema(&mut bt).iter().find(|s| s.1 == "t").unwrap().2 as u32;
    let mut c = BtCursor::new(root, TreeKind::Table, false);
    assert_eq!(c.count(&mut bt).unwrap(), 2);
    bt.begin_write().unwrap();
    let mut w = BtCursor::new(root, TreeKind::Table, true);
    w.insert(&mut bt, 3, &record(&[Val::Blob(vec![7u8; 5000])], false)).unwrap();
    assert_eq!(c.count(&mut bt).unwrap(), 3);
    bt.commit().unwrap();
    assert_eq!(sqlite3(&path, "PRAGMA integrity_check").unwrap(), "ok");
    assert_eq!(sqlite3(&path, "SELECT count(*), sum(length(a)) FROM t").unwrap(), "3|5002");
    let _ = std::fs::remove_file(&path);
}

#[test]
fn threads_with_their_own_connections_serialize_writes() {
    let path = tmp("threads");
    {
        let mut bt = Btree::open(vfs(), &path, rw()).unwrap();
        bt.begin_write().unwrap();
        assert_eq!(bt.create_table(TreeKind::Table).unwrap(), 2);
        bt.commit().unwrap();
    }
    let threads: Vec<_> = (0..4i64)
        .map(|t| {
            let path = path.clone();
            std::thread::spawn(move || {
                let mut bt = Btree::open(vfs(), &path, rw()).unwrap();
                let mut c = BtCursor::new(2, TreeKind::Table, true);
                for i in 0..50i64 {
                    loop {
                        match bt.begin_write() {
                            Ok(()) => break,
                            Err(e) if e.primary_code() == code::BUSY => std::thread::yield_now(),
                            Err(e) => panic!("{e:?}"),
                        }
                    }
                    let n = c.count(&mut bt).unwrap();
                    c.insert(&mut bt, t * 1000 + i, &n.to_be_bytes()).unwrap();
                    loop {
                        match bt.commit() {
                            Ok(()) => break,
                            Err(e) if e.primary_code() == code::BUSY => std::thread::yield_now(),
                            Err(e) => panic!("{e:?}"),
                        }
                    }
                    // A read transaction between writes.
                    loop {
                        match bt.begin_read() {
                            Ok(()) => break,
                            Err(e) if e.primary_code() == code::BUSY => std::thread::yield_now(),
                            Err(e) => panic!("{e:?}"),
                        }
                    }
                    assert!(c.count(&mut bt).unwrap() > n);
                    bt.commit().unwrap();
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    let mut bt = Btree::open(vfs(), &path, rw()).unwrap();
    bt.begin_read().unwrap();
    let mut c = BtCursor::new(2, TreeKind::Table, false);
    assert_eq!(c.count(&mut bt).unwrap(), 200);
    // Each row stored the count seen by its writer: all distinct 0..200.
    let mut seen = Vec::new();
    let mut ok = c.first(&mut bt).unwrap();
    while ok {
        let p = c.payload(&mut bt).unwrap();
        seen.push(i64::from_be_bytes(p[..8].try_into().unwrap()));
        ok = c.next(&mut bt).unwrap();
    }
    seen.sort();
    assert_eq!(seen, (0..200).collect::<Vec<_>>());
    bt.commit().unwrap();
    let _ = std::fs::remove_file(&path);
}

/// Writes into a (possibly corrupt) database; any error must be CORRUPT or
/// NOTADB, never a panic.
fn write_all(path: &str) -> Result<(), i32> {
    let run = || -> ferrolite::Result<()> {
        let mut bt = Btree::open(vfs(), path, OpenFlags::READWRITE)?;
        bt.set_synchronous(0);
        bt.begin_write()?;
        let sch = {
            let mut c = BtCursor::new(1, TreeKind::Table, false);
            let mut v = Vec::new();
            let mut ok = c.first(&mut bt)?;
            while ok {
                let p = c.payload(&mut bt)?.to_vec();
                if let Some(Val::Int(r)) = std::panic::catch_unwind(|| decode(&p)).ok().and_then(|v| v.get(3).cloned()) {
                    v.push(r as u32);
                }
                ok = c.next(&mut bt)?;
            }
            v
        };
        let (t, i) = (sch.first().copied().unwrap_or(2), sch.get(1).copied().unwrap_or(3));
        let mut tc = BtCursor::new(t, TreeKind::Table, true);
        let bytes_cmp = Arc::new(|a: &[u8], b: &[u8]| Ok(a.cmp(b)));
        let mut ic = BtCursor::new_index(i, true, bytes_cmp);
        let mut rng = Rng(17);
        for k in 0..300i64 {
            let rowid = rng.below(1200) as i64;
            if k % 3 == 0 {
                if tc.table_moveto(&mut bt, rowid)? == 0 {
                    tc.delete(&mut bt)?;
                }
            } else {
                tc.insert(&mut bt, rowid, &vec![k as u8; rng.below(1500) as usize])?;
            }
            let key = record(&[Val::Int(rowid), Val::Int(k)], true);
            if k % 2 == 0 {
                ic.insert_index(&mut bt, &key, &mut |s: &[u8]| Ok(s.cmp(&key[..])))?;
            } else if ic.first(&mut bt)? {
                ic.delete(&mut bt)?;
            }
        }
        bt.clear_table(t)?;
        bt.drop_table(i)?;
        bt.rollback()
    };
    match run() {
        Ok(()) => Ok(()),
        Err(e) => Err(e.primary_code()),
    }
}

#[test]
fn writing_into_corrupt_files_gives_errors_not_panics() {
    let path = tmp("wcorrupt-src");
    write_ferrolite_db(&path, 1024, 600);
    let good = std::fs::read(&path).unwrap();
    assert_eq!(write_all(&path), Ok(()));
    let bad = tmp("wcorrupt");
    let mut rng = Rng(4242);
    let npages = good.len() / 1024;
    for round in 0..ROUNDS {
        let mut b = good.clone();
        if round % 3 == 0 {
            let pg = 1 + rng.below(npages as u64 - 1) as usize;
            for x in &mut b[pg * 1024..(pg + 1) * 1024] {
                *x = rng.below(256) as u8;
            }
        } else {
            for _ in 0..1 + rng.below(20) {
                let at = rng.below(b.len() as u64) as usize;
                b[at] = rng.below(256) as u8;
            }
        }
        std::fs::write(&bad, &b).unwrap();
        let _ = std::fs::remove_file(format!("{bad}-journal"));
        if let Err(c) = write_all(&bad) {
            assert!(c == code::CORRUPT || c == code::NOTADB || c == code::READONLY, "round {round}: code {c}");
        }
    }
    for p in [&path, &bad] {
        let _ = std::fs::remove_file(p);
    }
}

/// All schema roots (tables and indexes) of a database, schema first.
fn all_roots(bt: &mut Btree) -> Vec<u32> {
    bt.begin_read().unwrap();
    let mut v = vec![1u32];
    v.extend(schema(bt).iter().filter(|s| s.2 > 0).map(|s| s.2 as u32));
    v
}

#[test]
fn integrity_check_agrees_with_sqlite() {
    if !have_sqlite3() {
        eprintln!("sqlite3 CLI not found: skipped");
        return;
    }
    let path = tmp("ick");
    write_ferrolite_db(&path, 1024, 800);
    let mut bt = Btree::open(vfs(), &path, rw()).unwrap();
    let roots = all_roots(&mut bt);
    let r = bt.integrity_check(&roots, 100).unwrap();
    assert!(r.errors.is_empty(), "{:?}", r.errors);
    assert_eq!(r.rows.len(), 3);
    assert_eq!(r.rows[1], r.rows[2], "table rows = index entries");
    // A tree left out: its pages are never used, as SQLite words it.
    let r = bt.integrity_check(&roots[..2], 5).unwrap();
    assert!(r.errors[0].ends_with(": never used"), "{:?}", r.errors);
    drop(bt);
    let good = std::fs::read(&path).unwrap();
    let bad = tmp("ick-bad");
    let mut rng = Rng(777);
    let (mut agree, mut exact) = (0, 0);
    for round in 0..60 {
        let mut b = good.clone();
        for _ in 0..1 + rng.below(4) {
            let at = 100 + rng.below(b.len() as u64 - 100) as usize;
            b[at] = rng.below(256) as u8;
        }
        std::fs::write(&bad, &b).unwrap();
        let out = Command::new("sqlite3").env_remove("LD_LIBRARY_PATH").arg(&bad).arg("PRAGMA integrity_check;").output().unwrap();
        if !out.status.success() {
            continue; // SQLite cannot even read the schema
        }
        let theirs = String::from_utf8_lossy(&out.stdout).trim_end().to_string();
        let ours = (|| -> ferrolite::Result<Vec<String>> {
            let mut bt = Btree::open(vfs(), &bad, rw())?;
            bt.begin_read()?;
            let roots = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| all_roots(&mut bt)))
                .map_err(|_| ferrolite::Error::corrupt())?;
            Ok(bt.integrity_check(&roots, 100)?.errors)
        })();
        let ours = match ours {
            Ok(e) => e,
            Err(_) => continue, // schema unreadable: SQLite errors out too
        };
        if theirs == "ok" {
            assert!(ours.is_empty(), "round {round}: SQLite says ok, we say {ours:?}");
            agree += 1;
        } else if !ours.is_empty() {
            agree += 1;
            let body: Vec<&str> = theirs.lines().skip(1).collect();
            if body.first().map(|l| *l == ours[0]).unwrap_or(false) {
                exact += 1;
            } else if std::env::var("SHOW_ICK").is_ok() {
                eprintln!("sqlite: {:?}\nours:   {:?}", body.first(), ours.first());
            }
        }
    }
    eprintln!("integrity_check: {agree}/60 agree on ok-ness, {exact} with the same first message");
    let _ = std::fs::remove_file(&path);
    let _ = std::fs::remove_file(&bad);
}

#[test]
fn crash_while_creating_a_database_leaves_it_empty() {
    if !have_sqlite3() {
        eprintln!("sqlite3 CLI not found: skipped");
        return;
    }
    let path = tmp("newcrash");
    let copy1 = tmp("newcrash-c1");
    let copy2 = tmp("newcrash-c2");
    let mut bt = Btree::open(vfs(), &path, rw()).unwrap();
    bt.begin_write().unwrap();
    let root = bt.create_table(TreeKind::Table).unwrap();
    let mut c = BtCursor::new(root, TreeKind::Table, true);
    for k in 0..200 {
        c.insert(&mut bt, k, &[3u8; 500]).unwrap();
    }
    bt.commit_phase_one().unwrap();
    copy_with_journal(&path, &copy1);
    copy_with_journal(&path, &copy2);
    bt.rollback().unwrap();
    drop(bt);
    assert_eq!(std::fs::metadata(&path).unwrap().len(), 0);
    // SQLite: the journal says the file was empty.
    assert_eq!(sqlite3(&copy1, "PRAGMA page_count;").unwrap(), "0");
    assert_eq!(std::fs::metadata(&copy1).unwrap().len(), 0);
    // Ferrolite too.
    let mut bt = Btree::open(vfs(), &copy2, rw()).unwrap();
    assert_eq!(bt.page_count().unwrap(), 0);
    drop(bt);
    assert_eq!(std::fs::metadata(&copy2).unwrap().len(), 0);
    for p in [&path, &copy1, &copy2] {
        let _ = std::fs::remove_file(p);
    }
}

#[test]
fn copy_from_replaces_and_shrinks_a_database() {
    if !have_sqlite3() {
        eprintln!("sqlite3 CLI not found: skipped");
        return;
    }
    // A database with many deleted rows (big freelist)...
    let big = tmp("copy-big");
    sqlite3(
        &big,
        "PRAGMA page_size=1024; CREATE TABLE t(a, b);
         WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c WHERE x<3000)
         INSERT INTO t SELECT x, randomblob(300) FROM c; DELETE FROM t WHERE a > 100;",
    )
    .unwrap();
    // ...and a compact copy of it made by SQLite's VACUUM INTO.
    let small = tmp("copy-small");
    sqlite3(&big, &format!("VACUUM INTO '{small}';")).unwrap();
    let big_size = std::fs::metadata(&big).unwrap().len();
    let want = sqlite3(&big, "SELECT a, hex(b) FROM t;").unwrap();
    let mut dst = Btree::open(vfs(), &big, rw()).unwrap();
    let mut src = Btree::open(vfs(), &small, rw()).unwrap();
    src.begin_read().unwrap();
    dst.begin_write().unwrap();
    dst.copy_from(&mut src).unwrap();
    dst.commit().unwrap();
    src.commit().unwrap();
    assert!(std::fs::metadata(&big).unwrap().len() < big_size / 4);
    assert_eq!(sqlite3(&big, "PRAGMA integrity_check;").unwrap(), "ok");
    assert_eq!(sqlite3(&big, "SELECT a, hex(b) FROM t;").unwrap(), want);
    // Into a brand-new database with another default page size.
    let fresh = tmp("copy-fresh");
    let mut dst = Btree::open(vfs(), &fresh, rw()).unwrap();
    src.begin_read().unwrap();
    dst.begin_write().unwrap();
    dst.copy_from(&mut src).unwrap();
    dst.commit().unwrap();
    src.commit().unwrap();
    assert_eq!(dst.page_size(), 1024);
    assert_eq!(sqlite3(&fresh, "PRAGMA integrity_check;").unwrap(), "ok");
    assert_eq!(sqlite3(&fresh, "SELECT a, hex(b) FROM t;").unwrap(), want);
    for p in [&big, &small, &fresh] {
        let _ = std::fs::remove_file(p);
    }
}

#[test]
fn small_cache_spills_big_transactions_safely() {
    if !have_sqlite3() {
        eprintln!("sqlite3 CLI not found: skipped");
        return;
    }
    let path = tmp("spill");
    let rows = write_ferrolite_db(&path, 1024, 1000);
    let dump = "SELECT rowid, a, hex(b) FROM t ORDER BY rowid;";
    let before = sqlite3(&path, dump).unwrap();
    for sync in [0u8, 1, 2] {
        let file_before = std::fs::read(&path).unwrap();
        let mut bt = Btree::open(vfs(), &path, rw()).unwrap();
        bt.set_cache_size(10);
        bt.set_synchronous(sync);
        bt.begin_write().unwrap();
        let troot = schema(&mut bt).iter().find(|s| s.1 == "t").unwrap().2 as u32;
        let mut c = BtCursor::new(troot, TreeKind::Table, true);
        for r in rows.iter().step_by(2) {
            assert_eq!(c.table_moveto(&mut bt, r.0).unwrap(), 0);
            c.delete(&mut bt).unwrap();
        }
        for k in 0..1500i64 {
            c.insert(&mut bt, 50_000 + k, &record(&[Val::Int(k), Val::Blob(vec![k as u8; 700])], false)).unwrap();
        }
        // The database file was written before commit (spilled).
        assert_ne!(std::fs::read(&path).unwrap(), file_before, "no spill happened");
        let crash = tmp(&format!("spill-crash-{sync}"));
        let crash2 = tmp(&format!("spill-crash2-{sync}"));
        copy_with_journal(&path, &crash);
        copy_with_journal(&path, &crash2);
        // Roll back: the file must be as before.
        bt.rollback().unwrap();
        assert_eq!(sqlite3(&path, dump).unwrap(), before, "sync {sync}");
        // A crash in the middle of the spilled transaction: SQLite rolls
        // the journal back (Ferrolite's own hot-journal path is covered by
        // the other tests).
        assert_eq!(sqlite3(&crash, "PRAGMA integrity_check;").unwrap(), "ok");
        assert_eq!(sqlite3(&crash, dump).unwrap(), before, "crash copy, sync {sync}");
        let _ = std::fs::remove_file(&crash);
        // Ferrolite rolls its own multi-segment hot journal back too.
        {
            let mut b2 = Btree::open(vfs(), &crash2, rw()).unwrap();
            b2.begin_read().unwrap();
            let mut c2 = BtCursor::new(troot, TreeKind::Table, false);
            assert_eq!(c2.count(&mut b2).unwrap(), rows.len() as i64);
            b2.commit().unwrap();
        }
        assert_eq!(sqlite3(&crash2, dump).unwrap(), before, "ferrolite rollback, sync {sync}");
        let _ = std::fs::remove_file(&crash2);
        // The same inserts committed (with their index entries).
        bt.begin_write().unwrap();
        let iroot = schema(&mut bt).iter().find(|s| s.1 == "i1").unwrap().2 as u32;
        let mut ic = BtCursor::new_index(iroot, true, Arc::new(|a: &[u8], b: &[u8]| Ok(a.cmp(b))));
        for k in 0..1500i64 {
            c.insert(&mut bt, 50_000 + k, &record(&[Val::Int(k), Val::Blob(vec![k as u8; 700])], false)).unwrap();
            let key = record(&[Val::Int(k), Val::Int(50_000 + k)], true);
            ic.insert_index(&mut bt, &key, &mut |s: &[u8]| Ok(s.cmp(&key[..]))).unwrap();
        }
        bt.commit().unwrap();
        assert_eq!(sqlite3(&path, "PRAGMA integrity_check;").unwrap(), "ok");
        assert_eq!(sqlite3(&path, "SELECT count(*) FROM t WHERE rowid >= 50000;").unwrap(), "1500");
        bt.begin_write().unwrap();
        for k in 0..1500i64 {
            assert_eq!(c.table_moveto(&mut bt, 50_000 + k).unwrap(), 0);
            c.delete(&mut bt).unwrap();
            let key = record(&[Val::Int(k), Val::Int(50_000 + k)], true);
            assert_eq!(ic.index_moveto(&mut bt, &mut |s: &[u8]| Ok(s.cmp(&key[..]))).unwrap(), 0);
            ic.delete(&mut bt).unwrap();
        }
        bt.commit().unwrap();
        assert_eq!(sqlite3(&path, dump).unwrap(), before);
        assert_eq!(sqlite3(&path, "PRAGMA integrity_check;").unwrap(), "ok");
    }
    let _ = std::fs::remove_file(&path);
}

#[test]
fn commit_after_a_spill_bumps_the_change_counter() {
    let path = tmp("spill-counter");
    let mut bt = Btree::open(vfs(), &path, rw()).unwrap();
    bt.set_page_size(1024).unwrap();
    bt.begin_write().unwrap();
    let root = bt.create_table(TreeKind::Table).unwrap();
    bt.commit().unwrap();
    let counter = |p: &str| {
        let b = std::fs::read(p).unwrap();
        u32::from_be_bytes([b[24], b[25], b[26], b[27]])
    };
    bt.begin_write().unwrap();
    let mut c = BtCursor::new(root, TreeKind::Table, true);
    for k in 0..300 {
        c.insert(&mut bt, k, &[9u8; 700]).unwrap();
    }
    bt.commit().unwrap();
    let before = counter(&path);
    // Same-size updates: the page count does not change.
    bt.set_cache_size(10);
    bt.begin_write().unwrap();
    for k in 0..300 {
        c.insert(&mut bt, k, &[7u8; 700]).unwrap();
    }
    // A scan loads pages, which spills whatever is still dirty.
    let mut n = 0;
    let mut ok = c.first(&mut bt).unwrap();
    while ok {
        n += 1;
        ok = c.next(&mut bt).unwrap();
    }
    assert_eq!(n, 300);
    bt.commit().unwrap();
    assert_eq!(counter(&path), before + 1);
    let mut other = Btree::open(vfs(), &path, rw()).unwrap();
    other.begin_read().unwrap();
    assert_eq!(BtCursor::new(root, TreeKind::Table, false).count(&mut other).unwrap(), 300);
    other.commit().unwrap();
    let _ = std::fs::remove_file(&path);
}

/// CPU cost of seeks and scans without I/O (run with --release --ignored).
#[test]
#[ignore]
fn bench_memory_seeks() {
    let mut bt = Btree::open(Arc::new(ferrolite::os::MemoryVfs::new()), ":memory:", rw()).unwrap();
    bt.begin_write().unwrap();
    let root = bt.create_table(TreeKind::Table).unwrap();
    let mut c = BtCursor::new(root, TreeKind::Table, true);
    let rec = record(&[Val::Int(12345), Val::Text(b"some text value here".to_vec())], false);
    let t0 = std::time::Instant::now();
    for k in 1..=1_000_000 {
        c.insert(&mut bt, k, &rec).unwrap();
    }
    eprintln!("memory: 1M inserts {:?}", t0.elapsed());
    let t0 = std::time::Instant::now();
    let mut rng = Rng(5);
    for _ in 0..2_000_000 {
        let k = 1 + rng.below(1_000_000) as i64;
        assert_eq!(c.table_moveto(&mut bt, k).unwrap(), 0);
    }
    eprintln!("memory: 2M random seeks {:?}", t0.elapsed());
    let t0 = std::time::Instant::now();
    let mut n = 0;
    for _ in 0..3 {
        let mut ok = c.first(&mut bt).unwrap();
        while ok {
            n += c.payload(&mut bt).unwrap().len();
            ok = c.next(&mut bt).unwrap();
        }
    }
    eprintln!("memory: 3 scans {:?} ({n})", t0.elapsed());
    bt.commit().unwrap();
}

/// Row-level checks: a schema edited behind the data's back (a column
/// made NOT NULL over NULLs, an index redefined on another column) gives
/// the messages SQLite's own integrity_check and quick_check give.
#[test]
fn integrity_check_rows_against_constraints_and_indexes() {
    if !have_sqlite3() {
        eprintln!("sqlite3 CLI not found: skipped");
        return;
    }
    let path = tmp("ick-rows");
    sqlite3(
        &path,
        "CREATE TABLE t(a, b, c); INSERT INTO t VALUES(1,2,NULL),(3,4,5),(1,7,NULL); \
         CREATE INDEX i ON t(a); CREATE INDEX j ON t(b, c); \
         CREATE TABLE u(x INTEGER PRIMARY KEY, y UNIQUE); INSERT INTO u VALUES(1,'p'),(2,'q'); \
         PRAGMA writable_schema=ON; \
         UPDATE sqlite_schema SET sql='CREATE TABLE t(a, b, c NOT NULL)' WHERE name='t'; \
         UPDATE sqlite_schema SET sql='CREATE INDEX i ON t(b)' WHERE name='i';",
    )
    .unwrap();
    for pragma in ["PRAGMA integrity_check", "PRAGMA quick_check", "PRAGMA integrity_check(2)"] {
        let theirs = sqlite3(&path, &format!("{pragma};")).unwrap();
        let mut conn = ferrolite::connection::Connection::open(vfs(), &path, rw()).unwrap();
        let ours: Vec<String> = common::run(&mut conn, pragma)
            .unwrap()
            .into_iter()
            .map(|r| match &r[0] {
                ferrolite::Value::Text(t) => String::from_utf8_lossy(t).into_owned(),
                other => format!("{other:?}"),
            })
            .collect();
        assert_eq!(ours.join("\n"), theirs.trim_end(), "{pragma}");
    }
    let _ = std::fs::remove_file(&path);
}
