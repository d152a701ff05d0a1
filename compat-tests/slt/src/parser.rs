//! Parser for sqllogictest scripts.
//!
//! The rules follow the original sqllogictest driver: a script is a sequence
//! of records separated by one or more blank lines (a line of only white
//! space is blank); lines whose first character is `#` are comments and are
//! invisible (they neither belong to a record nor separate records); a
//! trailing `\r` is dropped. The first line of a record (after any number of
//! `skipif ENGINE` / `onlyif ENGINE` lines) is tokenized on white space and
//! its first token names the record type.

/// The name under which every engine driven by this runner identifies itself
/// to `skipif` / `onlyif` (Ferrolite is a drop-in SQLite, so it is `sqlite`).
pub const ENGINE_NAME: &str = "sqlite";

/// Labels are compared on their first 20 characters, as the original does.
pub const LABEL_MAX: usize = 20;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Condition {
    SkipIf(String),
    OnlyIf(String),
}

#[allow(clippy::enum_variant_names)] // the names of the format's keywords
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortMode {
    NoSort,
    RowSort,
    ValueSort,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecordKind {
    /// `statement ok` (expect_ok = true) or `statement error`.
    Statement { expect_ok: bool, sql: String },
    /// `statement` with an argument other than ok/error: always a failure.
    BadStatement { arg: String },
    Query {
        types: String,
        /// None when the sort token is not one of the known three.
        sort: Option<SortMode>,
        sort_token: String,
        label: Option<String>,
        sql: String,
        /// The lines after `----` (may be empty).
        expected: Vec<String>,
    },
    HashThreshold(usize),
    Halt,
    /// An unrecognized record type: the original stops the file there.
    Unknown(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// 1-based line number of the record's first line (after conditions).
    pub line: usize,
    pub conditions: Vec<Condition>,
    pub kind: RecordKind,
}

impl Record {
    /// True when the conditions say this record is for `engine`.
    pub fn applies_to(&self, engine: &str) -> bool {
        let mut skip = false;
        for c in &self.conditions {
            match c {
                Condition::SkipIf(e) => {
                    if e.eq_ignore_ascii_case(engine) {
                        skip = true
                    }
                }
                Condition::OnlyIf(e) => {
                    if !e.eq_ignore_ascii_case(engine) {
                        skip = true
                    }
                }
            }
        }
        !skip
    }

    /// Statement and query records are the ones that count as pass/fail.
    pub fn is_countable(&self) -> bool {
        matches!(
            self.kind,
            RecordKind::Statement { .. }
                | RecordKind::BadStatement { .. }
                | RecordKind::Query { .. }
                | RecordKind::Unknown(_)
        )
    }
}

/// One physical line after comment removal.
struct Line<'a> {
    no: usize,
    text: &'a str,
}

fn is_blank(s: &str) -> bool {
    s.chars().all(|c| c.is_ascii_whitespace())
}

/// Splits the script into lines, drops comment lines, strips `\r`.
fn lines_of(script: &str) -> Vec<Line<'_>> {
    let mut out = Vec::new();
    for (i, raw) in script.split('\n').enumerate() {
        let text = raw.strip_suffix('\r').unwrap_or(raw);
        if text.starts_with('#') {
            continue;
        }
        out.push(Line { no: i + 1, text });
    }
    // A script ending in "\n" yields one spurious empty last line: harmless,
    // it is blank.
    out
}

fn tokens(s: &str) -> Vec<&str> {
    s.split_ascii_whitespace().collect()
}

/// Parses a whole script. Never fails: anything odd becomes a record that
/// the runner reports as failing.
#[cfg_attr(not(test), allow(dead_code))]
pub fn parse(script: &str) -> Vec<Record> {
    parse_impl(script, None)
}

/// Like [`parse`], but stops once `max` records countable for
/// [`ENGINE_NAME`] have been read (or at a halt for it): what a run limited
/// by --max-records needs, at a fraction of the cost on big files.
pub fn parse_prefix(script: &str, max: usize) -> Vec<Record> {
    parse_impl(script, Some(max))
}

fn parse_impl(script: &str, max: Option<usize>) -> Vec<Record> {
    let mut seen = 0usize;
    let lines = lines_of(script);
    let mut records = Vec::new();
    let mut i = 0;
    let n = lines.len();
    loop {
        // Skip blank lines to the start of the next record.
        while i < n && is_blank(lines[i].text) {
            i += 1;
        }
        if i >= n {
            break;
        }
        let mut conditions = Vec::new();
        let mut toks = tokens(lines[i].text);
        while i < n {
            let first = toks.first().copied().unwrap_or("");
            if first != "skipif" && first != "onlyif" {
                break;
            }
            let engine = toks.get(1).copied().unwrap_or("").to_string();
            conditions.push(if first == "skipif" {
                Condition::SkipIf(engine)
            } else {
                Condition::OnlyIf(engine)
            });
            i += 1;
            toks = if i < n { tokens(lines[i].text) } else { Vec::new() };
        }
        if i >= n {
            break;
        }
        let line_no = lines[i].no;
        let head: Vec<String> = toks.iter().map(|s| s.to_string()).collect();
        i += 1;
        let word = head.first().map(String::as_str).unwrap_or("");
        let kind = match word {
            "statement" => {
                let mut sql_lines = Vec::new();
                while i < n && !is_blank(lines[i].text) {
                    sql_lines.push(lines[i].text);
                    i += 1;
                }
                let sql = sql_lines.join("\n");
                match head.get(1).map(String::as_str) {
                    Some("ok") => RecordKind::Statement { expect_ok: true, sql },
                    Some("error") => RecordKind::Statement { expect_ok: false, sql },
                    other => RecordKind::BadStatement { arg: other.unwrap_or("").to_string() },
                }
            }
            "query" => {
                let mut sql_lines = Vec::new();
                let mut expected = Vec::new();
                let mut in_results = false;
                while i < n && !is_blank(lines[i].text) {
                    let t = lines[i].text;
                    if !in_results && t == "----" {
                        in_results = true;
                    } else if in_results {
                        expected.push(t.to_string());
                    } else {
                        sql_lines.push(t);
                    }
                    i += 1;
                }
                let sort_token = head.get(2).cloned().unwrap_or_default();
                let sort = match sort_token.as_str() {
                    "" | "nosort" => Some(SortMode::NoSort),
                    "rowsort" => Some(SortMode::RowSort),
                    "valuesort" => Some(SortMode::ValueSort),
                    _ => None,
                };
                let label = head.get(3).map(|l| l.chars().take(LABEL_MAX).collect::<String>());
                RecordKind::Query {
                    types: head.get(1).cloned().unwrap_or_default(),
                    sort,
                    sort_token,
                    label,
                    sql: sql_lines.join("\n"),
                    expected,
                }
            }
            "hash-threshold" => {
                skip_rest(&lines, &mut i);
                RecordKind::HashThreshold(atoi(head.get(1).map(String::as_str).unwrap_or("")))
            }
            "halt" => {
                skip_rest(&lines, &mut i);
                RecordKind::Halt
            }
            other => {
                skip_rest(&lines, &mut i);
                RecordKind::Unknown(other.to_string())
            }
        };
        let rec = Record { line: line_no, conditions, kind };
        let applies = rec.applies_to(ENGINE_NAME);
        let stop = applies && matches!(rec.kind, RecordKind::Halt | RecordKind::Unknown(_));
        if applies && rec.is_countable() {
            seen += 1;
        }
        records.push(rec);
        if let Some(max) = max {
            if stop || seen >= max {
                break;
            }
        }
    }
    records
}

fn skip_rest(lines: &[Line<'_>], i: &mut usize) {
    while *i < lines.len() && !is_blank(lines[*i].text) {
        *i += 1;
    }
}

/// C's atoi on a token: optional sign, leading digits; anything else is 0.
/// Negative thresholds behave as 0 (no hashing), as `hashThreshold>0` does.
fn atoi(s: &str) -> usize {
    let s = s.trim_start();
    let (neg, rest) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let mut v: usize = 0;
    for b in rest.bytes() {
        if !b.is_ascii_digit() {
            break;
        }
        v = v.saturating_mul(10).saturating_add((b - b'0') as usize);
    }
    if neg {
        0
    } else {
        v
    }
}

/// The records of a script that count for `engine`, in order: the applicable
/// statement/query records up to the first applicable `halt` or unknown
/// record type (an unknown type is itself counted, as a failure). Returns
/// indices into `records`.
pub fn countable(records: &[Record], engine: &str) -> Vec<usize> {
    let mut out = Vec::new();
    for (idx, r) in records.iter().enumerate() {
        if !r.applies_to(engine) {
            continue;
        }
        match r.kind {
            RecordKind::Halt => break,
            RecordKind::Unknown(_) => {
                out.push(idx);
                break;
            }
            _ => {
                if r.is_countable() {
                    out.push(idx)
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const SCRIPT: &str = "# a comment\n\
statement ok\n\
CREATE TABLE t1(a INTEGER,\n\
# comment inside a record\n\
 b INTEGER)\n\
\n\
   \n\
statement error\r\n\
CREATE TABLE t1(x)\r\n\
\r\n\
hash-threshold 8\n\
\n\
skipif mysql # trailing words\n\
onlyif sqlite\n\
query IT rowsort label-1\n\
SELECT a,\n\
 b FROM t1\n\
----\n\
1\n\
(empty)\n\
\n\
query R nosort\n\
SELECT 1.5\n\
----\n\
1 values hashing to d41d8cd98f00b204e9800998ecf8427e\n\
\n\
onlyif mssql\n\
halt\n\
\n\
query I\n\
SELECT 1\n\
\n\
onlyif sqlite\n\
halt\n\
\n\
statement ok\n\
SELECT 2\n";

    #[test]
    fn parses_records() {
        let r = parse(SCRIPT);
        assert_eq!(r.len(), 9, "{r:#?}");
        assert_eq!(r[0].line, 2);
        assert_eq!(
            r[0].kind,
            RecordKind::Statement { expect_ok: true, sql: "CREATE TABLE t1(a INTEGER,\nb INTEGER)".into() }
        );
        assert_eq!(r[1].kind, RecordKind::Statement { expect_ok: false, sql: "CREATE TABLE t1(x)".into() });
        assert_eq!(r[2].kind, RecordKind::HashThreshold(8));
        assert_eq!(
            r[3].conditions,
            vec![Condition::SkipIf("mysql".into()), Condition::OnlyIf("sqlite".into())]
        );
        match &r[3].kind {
            RecordKind::Query { types, sort, label, sql, expected, .. } => {
                assert_eq!(types, "IT");
                assert_eq!(*sort, Some(SortMode::RowSort));
                assert_eq!(label.as_deref(), Some("label-1"));
                assert_eq!(sql, "SELECT a,\nb FROM t1");
                assert_eq!(expected, &vec!["1".to_string(), "(empty)".to_string()]);
            }
            k => panic!("{k:?}"),
        }
        assert_eq!(r[3].line, 15);
        match &r[4].kind {
            RecordKind::Query { sort, label, expected, .. } => {
                assert_eq!(*sort, Some(SortMode::NoSort));
                assert_eq!(*label, None);
                assert_eq!(expected.len(), 1);
            }
            k => panic!("{k:?}"),
        }
        assert_eq!(r[5].kind, RecordKind::Halt);
        assert!(!r[5].applies_to(ENGINE_NAME));
        match &r[6].kind {
            RecordKind::Query { sql, expected, .. } => {
                assert_eq!(sql, "SELECT 1");
                assert!(expected.is_empty());
            }
            k => panic!("{k:?}"),
        }
        assert_eq!(r[7].kind, RecordKind::Halt);
        assert!(r[7].applies_to("SQLite"));
    }

    #[test]
    fn countable_stops_at_applicable_halt() {
        let r = parse(SCRIPT);
        // statement ok, statement error, query, query, query; then halt.
        assert_eq!(countable(&r, ENGINE_NAME), vec![0, 1, 3, 4, 6]);
        // For another engine the sqlite-only query is skipped and the
        // sqlite-only halt does not apply; the mssql halt does not apply.
        assert_eq!(countable(&r, "postgresql"), vec![0, 1, 4, 6, 8]);
    }

    #[test]
    fn prefix_parse_stops_early() {
        let all = parse(SCRIPT);
        let p = parse_prefix(SCRIPT, 3);
        assert_eq!(p[..], all[..4]);
        assert_eq!(countable(&p, ENGINE_NAME), vec![0, 1, 3]);
        assert_eq!(parse_prefix(SCRIPT, 100).len(), 8); // up to the sqlite halt
    }

    #[test]
    fn odd_input_does_not_panic() {
        for s in ["", "\n\n", "query", "statement", "query \n----\n", "skipif", "onlyif x\n", "garbage here\nmore\n\nstatement ok\nX"] {
            let r = parse(s);
            let _ = countable(&r, ENGINE_NAME);
        }
        let r = parse("statement maybe\nSELECT 1\n");
        assert_eq!(r[0].kind, RecordKind::BadStatement { arg: "maybe".into() });
        let r = parse("frobnicate\n\nstatement ok\nSELECT 1\n");
        assert_eq!(countable(&r, ENGINE_NAME), vec![0]);
    }

    #[test]
    fn label_truncated_and_threshold_atoi() {
        let r = parse("query I nosort abcdefghijklmnopqrstuvwxyz\nSELECT 1\n\nhash-threshold -3\n\nhash-threshold 12abc\n");
        match &r[0].kind {
            RecordKind::Query { label, .. } => assert_eq!(label.as_deref(), Some("abcdefghijklmnopqrst")),
            k => panic!("{k:?}"),
        }
        assert_eq!(r[1].kind, RecordKind::HashThreshold(0));
        assert_eq!(r[2].kind, RecordKind::HashThreshold(12));
    }
}
