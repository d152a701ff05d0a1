//! Parser tests: constructs to AST, SQLite's error messages, parameter
//! numbering, sqlite3_complete, fuzzing for panics, nesting depth, and the
//! sqllogictest corpus.

use super::ast::*;
use super::*;

fn one(sql: &str) -> Stmt {
    let v = parse_all(sql).unwrap_or_else(|e| panic!("{sql}: {e}"));
    assert_eq!(v.len(), 1, "{sql}");
    v.into_iter().next().unwrap().stmt
}

fn err(sql: &str) -> String {
    match parse_all(sql) {
        Ok(v) => panic!("expected error for {sql:?}, got {v:?}"),
        Err(e) => e.message().to_string(),
    }
}

#[test]
fn simple_select() {
    match one("SELECT 1") {
        Stmt::Select(s) => match s.core {
            SelectCore::Select(b) => {
                assert_eq!(b.columns.len(), 1);
            }
            _ => panic!(),
        },
        _ => panic!(),
    }
}


/// Every statement of both reference tables yields SQLite's result.
#[test]
fn error_messages_match_sqlite() {
    let mut bad = Vec::new();
    for (sql, want) in super::error_cases::SQLITE_340.iter().chain(super::error_cases::SQLITE_354) {
        let got = match parse_all(sql) {
            Ok(_) => "OK".to_string(),
            Err(e) => e.message().to_string(),
        };
        if got != *want {
            bad.push(format!("{sql:?}: want {want:?}, got {got:?}"));
        }
    }
    assert!(bad.is_empty(), "{} mismatches:\n{}", bad.len(), bad.join("\n"));
}

// ------------------------------------------------------------ corpus

/// Extracts the SQL of every record of a sqllogictest file that SQLite is
/// expected to accept: `statement ok` and `query` records, skipping
/// `onlyif` records for other engines and `statement error` records.
fn slt_statements(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut lines = text.lines().peekable();
    let mut skip = false;
    while let Some(line) = lines.next() {
        let l = line.trim();
        if l.is_empty() || l.starts_with('#') {
            continue;
        }
        if let Some(db) = l.strip_prefix("onlyif ") {
            if db.trim() != "sqlite" {
                skip = true;
            }
            continue;
        }
        if l.starts_with("skipif ") || l.starts_with("hash-threshold") || l == "halt" {
            continue;
        }
        let take = l.starts_with("statement ok") || l.starts_with("query ");
        let is_record = take || l.starts_with("statement error");
        if !is_record {
            continue;
        }
        let mut sql = String::new();
        while let Some(next) = lines.peek() {
            if next.trim().is_empty() || next.trim() == "----" {
                break;
            }
            sql.push_str(next);
            sql.push('\n');
            lines.next();
        }
        // Skip the expected results of a query.
        if lines.peek().map(|l| l.trim() == "----").unwrap_or(false) {
            while let Some(next) = lines.next() {
                if next.trim().is_empty() {
                    break;
                }
            }
        }
        if take && !skip {
            out.push(sql);
        }
        skip = false;
    }
    out
}

#[test]
fn sqllogictest_corpus_parses() {
    use std::io::Read;
    let dir = std::path::Path::new("/work/shared/slt");
    if !dir.exists() {
        eprintln!("sqllogictest corpus not found; skipped");
        return;
    }
    let mut files: Vec<std::path::PathBuf> =
        (1..=5).map(|i| dir.join(format!("select{i}.test.gz"))).collect();
    if let Ok(rd) = std::fs::read_dir(dir.join("evidence")) {
        let mut ev: Vec<_> = rd
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.to_string_lossy().ends_with(".test.gz"))
            .collect();
        ev.sort();
        files.extend(ev);
    }
    let mut total = 0;
    let mut failures = Vec::new();
    for f in files {
        let Ok(file) = std::fs::File::open(&f) else { continue };
        let mut text = String::new();
        if flate2::read::GzDecoder::new(file).read_to_string(&mut text).is_err() {
            continue;
        }
        for sql in slt_statements(&text) {
            total += 1;
            if let Err(e) = parse_all(&sql) {
                failures.push(format!("{}: {sql:?}: {e}", f.display()));
            }
        }
    }
    eprintln!("sqllogictest corpus: {total} statements parsed, {} failures", failures.len());
    assert!(failures.is_empty(), "{}", failures[..failures.len().min(20)].join("\n"));
}

// ------------------------------------------------------------- fuzzing

/// A small deterministic PRNG (xorshift64*), so failures reproduce.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545F4914F6CDD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

#[test]
fn fuzz_never_panics() {
    let mut rng = Rng(0x9E3779B97F4A7C15);
    // Random bytes (made valid UTF-8 lossily).
    for _ in 0..3000 {
        let len = rng.below(40);
        let bytes: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
        let s = String::from_utf8_lossy(&bytes).into_owned();
        let _ = parse_all(&s);
        let _ = complete(&s);
    }
    // Random token soups from SQL's vocabulary.
    let vocab: Vec<&str> = super::keywords::KEYWORDS
        .iter()
        .map(|(k, _)| *k)
        .chain([
            "(", ")", ",", ";", ".", "*", "+", "-", "/", "%", "||", "->", "->>", "=", "==", "<>",
            "!=", "<", "<=", ">", ">=", "&", "|", "<<", ">>", "~", "a", "b", "t1", "'s'", "\"q\"",
            "[b]", "`c`", "1", "2.5", "0x1F", "1_0", "x'00'", "?", "?3", ":p", "@q", "$r", "f(",
            "count(*)", "/*", "--", "'", "\"", "[", "#1",
        ])
        .collect();
    for _ in 0..20000 {
        let n = 1 + rng.below(25);
        let mut s = String::new();
        for _ in 0..n {
            s.push_str(vocab[rng.below(vocab.len())]);
            s.push(' ');
        }
        let _ = parse_all(&s);
        let _ = complete(&s);
    }
    // Mutations of valid statements: drop or duplicate a token.
    let seeds = [
        "SELECT a, b+1 AS c FROM t1 AS x LEFT JOIN t2 USING (a) WHERE a IN (1,2) GROUP BY 1 HAVING count(*) > 1 ORDER BY 2 DESC LIMIT 3, 4",
        "WITH RECURSIVE c(x) AS (VALUES(1) UNION ALL SELECT x+1 FROM c WHERE x<9) SELECT sum(x) OVER (ORDER BY x ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) FROM c",
        "INSERT INTO t(a,b) VALUES (1,2),(3,4) ON CONFLICT(a) DO UPDATE SET b=excluded.b WHERE b>0 RETURNING *",
        "CREATE TABLE IF NOT EXISTS s.t(a INTEGER PRIMARY KEY AUTOINCREMENT, b TEXT NOT NULL DEFAULT 'x' COLLATE nocase, c REFERENCES p(id) ON DELETE CASCADE, UNIQUE(b, c), CHECK (a > 0)) WITHOUT ROWID",
        "CREATE TRIGGER tr AFTER UPDATE OF a ON t FOR EACH ROW WHEN new.a > 1 BEGIN INSERT INTO log VALUES (new.a); DELETE FROM x WHERE y = old.a; END",
        "SELECT CASE WHEN a BETWEEN 1 AND 2 THEN CAST(a AS TEXT) ELSE NOT EXISTS (SELECT 1) END FROM t",
    ];
    for _ in 0..20000 {
        let seed = seeds[rng.below(seeds.len())];
        let words: Vec<&str> = seed.split(' ').collect();
        let mut out = Vec::new();
        for w in &words {
            match rng.below(12) {
                0 => {}
                1 => {
                    out.push(*w);
                    out.push(*w);
                }
                2 => out.push(vocab[rng.below(vocab.len())]),
                _ => out.push(*w),
            }
        }
        let s = out.join(" ");
        let _ = parse_all(&s);
        // Every prefix of the text as well, now and then.
        if rng.below(50) == 0 {
            for i in 0..s.len() {
                if s.is_char_boundary(i) {
                    let _ = parse_all(&s[..i]);
                }
            }
        }
    }
}

fn in_small_stack<F: FnOnce() + Send + 'static>(f: F) {
    std::thread::Builder::new()
        .stack_size(2 * 1024 * 1024)
        .spawn(f)
        .unwrap()
        .join()
        .expect("parser overflowed a 2 MiB stack or panicked");
}

#[test]
fn depth_limits_fit_a_small_stack() {
    in_small_stack(|| {
        let deep = |open: &str, mid: &str, close: &str, n: usize| {
            format!("SELECT {}{}{}", open.repeat(n), mid, close.repeat(n))
        };
        // Left-deep chains are iterative; height 1000 is allowed, 1001 is not.
        let ok = format!("SELECT 1{}", "+1".repeat(999));
        assert!(parse_all(&ok).is_ok());
        let too = format!("SELECT 1{}", "+1".repeat(1000));
        assert_eq!(err(&too), "Expression tree is too large (maximum depth 1000)");
        // Unary chains recurse; height 1000 is allowed, 1001 is not.
        assert!(parse_all(&deep("- ", "1", "", 999)).is_ok());
        assert_eq!(
            err(&deep("- ", "1", "", 1000)),
            "Expression tree is too large (maximum depth 1000)"
        );
        assert_eq!(
            err(&deep("NOT ", "1", "", 1000)),
            "Expression tree is too large (maximum depth 1000)"
        );
        assert_eq!(
            err(&deep("~", "1", "", 100_000)),
            "Expression tree is too large (maximum depth 1000)"
        );
        // Parenthesised nesting is bounded by the stack budget.
        assert!(parse_all(&deep("1+(", "1", ")", 400)).is_ok());
        assert!(parse_all(&deep("(", "1", ")", 500)).is_ok());
        assert!(parse_all(&deep("(SELECT ", "1", ")", 150)).is_ok());
        assert!(parse_all(&deep("f(", "1", ")", 300)).is_ok());
        for (open, mid, close) in [
            ("(", "1", ")"),
            ("1+(", "1", ")"),
            ("(SELECT ", "1", ")"),
            ("f(", "1", ")"),
            ("CAST(", "1", " AS INT)"),
            ("1 IN (", "1", ")"),
            ("1 LIKE (", "1", ")"),
            ("CASE WHEN 1 THEN ", "1", " END"),
            ("EXISTS (SELECT ", "1", ")"),
            ("(VALUES(", "1", "))"),
        ] {
            assert_eq!(err(&deep(open, mid, close, 100_000)), "Recursion limit", "{open}");
        }
        let mixed = format!("SELECT {}{}1{}", "- ".repeat(999), "(".repeat(100_000), ")".repeat(100_000));
        assert_eq!(err(&mixed), "Recursion limit");
        let from = format!("SELECT * FROM {}t{}", "(".repeat(100_000), ")".repeat(100_000));
        assert_eq!(err(&from), "Recursion limit");
        let fromsub =
            format!("SELECT * FROM {}t{}", "(SELECT * FROM ".repeat(100_000), ")".repeat(100_000));
        assert_eq!(err(&fromsub), "Recursion limit");
        let ctes = format!("{}SELECT 1{}", "WITH a AS (".repeat(100_000), ") SELECT 1".repeat(100_000));
        assert_eq!(err(&ctes), "Recursion limit");
        let trig = format!(
            "CREATE TRIGGER r AFTER INSERT ON t BEGIN SELECT {}1{}; END",
            "(".repeat(100_000),
            ")".repeat(100_000)
        );
        assert_eq!(err(&trig), "Recursion limit");
    });
}

thread_local! {
    static STACK_LOW: std::cell::Cell<usize> = const { std::cell::Cell::new(usize::MAX) };
}

/// Records the lowest stack address reached (called on every recursion).
pub(super) fn probe_stack() {
    let x = 0u8;
    let a = &x as *const u8 as usize;
    STACK_LOW.with(|l| l.set(l.get().min(a)));
}

/// Measures the stack used per nesting level of each recursive construct:
/// the numbers behind `cost`. Run with --nocapture to see them.
#[test]
fn stack_use_per_level() {
    let n = 150;
    let cases: Vec<(&str, String)> = vec![
        ("paren", format!("SELECT {}1{}", "(".repeat(n), ")".repeat(n))),
        ("plus-paren", format!("SELECT {}1{}", "1+(".repeat(n), ")".repeat(n))),
        ("neg", format!("SELECT {}1", "- ".repeat(n))),
        ("func", format!("SELECT {}1{}", "f(".repeat(n), ")".repeat(n))),
        ("case", format!("SELECT {}1{}", "CASE WHEN 1 THEN ".repeat(n), " END".repeat(n))),
        ("cast", format!("SELECT {}1{}", "CAST(".repeat(n), " AS INT)".repeat(n))),
        ("in", format!("SELECT {}1{}", "1 IN (".repeat(n), ")".repeat(n))),
        ("like", format!("SELECT {}1{}", "1 LIKE (".repeat(n), ")".repeat(n))),
        ("subq", format!("SELECT {}1{}", "(SELECT ".repeat(n), ")".repeat(n))),
        ("from", format!("SELECT * FROM {}t{}", "(".repeat(n), ")".repeat(n))),
        ("fromsub", format!("SELECT * FROM {}t{}", "(SELECT * FROM ".repeat(n), ")".repeat(n))),
    ];
    for (name, sql) in cases {
        let h = std::thread::Builder::new()
            .stack_size(64 << 20)
            .spawn(move || {
                let x = 0u8;
                let base = &x as *const u8 as usize;
                STACK_LOW.with(|l| l.set(usize::MAX));
                let r = parse_all(&sql).map(|_| ()).map_err(|e| e.message().to_string());
                let low = STACK_LOW.with(|l| l.get());
                (base.saturating_sub(low), r)
            })
            .unwrap();
        let (used, r) = h.join().unwrap();
        eprintln!("{name}: {} bytes/level {r:?}", used / n);
        assert!(r.is_ok(), "{name}");
    }
}

/// Developer aid: prints the parse result of each line of the file named
/// by FERROLITE_PARSE_CASES (to diff against the reference library).
#[test]
#[ignore]
fn dump_cases() {
    let Ok(path) = std::env::var("FERROLITE_PARSE_CASES") else { return };
    let text = std::fs::read_to_string(path).unwrap();
    for line in text.lines() {
        let r = match parse_all(line) {
            Ok(_) => "OK".to_string(),
            Err(e) => e.message().to_string(),
        };
        println!("RESULT\t{r}");
    }
}
