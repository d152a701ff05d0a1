//! Runs one script against one engine (this is what the child process does)
//! and reports each countable record's outcome.

use std::collections::HashMap;

use crate::engine::{Engine, QueryResult};
use crate::format;
use crate::parser::{self, Record, RecordKind, SortMode, ENGINE_NAME};

pub const DEFAULT_HASH_THRESHOLD: usize = 8;

/// What a failing record looked like, for --verbose.
pub struct Failure {
    pub detail: String,
}

/// Per-file running state: hash threshold and labels seen so far.
pub struct FileState {
    hash_threshold: usize,
    labels: HashMap<String, String>,
}

impl Default for FileState {
    fn default() -> Self {
        FileState { hash_threshold: DEFAULT_HASH_THRESHOLD, labels: HashMap::new() }
    }
}

impl FileState {
    /// Non-countable records that still matter: thresholds, and (as the
    /// original's verify mode does) labels of skipped queries, whose
    /// expected hash is recorded.
    pub fn observe_skipped_or_meta(&mut self, r: &Record) {
        match &r.kind {
            RecordKind::HashThreshold(n) if r.applies_to(ENGINE_NAME) => self.hash_threshold = *n,
            RecordKind::Query { label: Some(label), expected, .. } if !r.applies_to(ENGINE_NAME) => {
                let Some(first) = expected.first() else { return };
                let hash = format::parse_hash_line(first).unwrap_or_else(|| format::md5_values(expected));
                self.labels.entry(label.clone()).or_insert(hash);
            }
            _ => {}
        }
    }

    /// Runs a countable record; Ok(()) = pass.
    pub fn run_record(&mut self, engine: &mut Engine, r: &Record) -> Result<(), Failure> {
        match &r.kind {
            RecordKind::Statement { expect_ok, sql } => {
                let res = engine.exec(sql);
                match (res, expect_ok) {
                    (Ok(()), true) | (Err(_), false) => Ok(()),
                    (Ok(()), false) => Err(fail(r, sql, "an error", "success")),
                    (Err(e), true) => Err(fail(r, sql, "success", &e)),
                }
            }
            RecordKind::BadStatement { arg } => {
                Err(fail(r, "", "statement ok|error", &format!("statement argument {arg:?}")))
            }
            RecordKind::Unknown(w) => Err(fail(r, "", "a known record type", &format!("unknown record type {w:?}"))),
            RecordKind::Query { types, sort, sort_token, label, sql, expected } => {
                if types.is_empty() || !types.bytes().all(|b| matches!(b, b'T' | b'I' | b'R')) {
                    return Err(fail(r, sql, "type string of T/I/R", types));
                }
                let mut values = match engine.query(sql, types.as_bytes()) {
                    QueryResult::Values(v) => v,
                    QueryResult::Error(e) => return Err(fail(r, sql, &expected.join("\n"), &format!("query failed: {e}"))),
                };
                match sort {
                    Some(SortMode::NoSort) => {}
                    Some(SortMode::RowSort) => format::row_sort(&mut values, types.len()),
                    Some(SortMode::ValueSort) => format::value_sort(&mut values),
                    None => return Err(fail(r, sql, "nosort|rowsort|valuesort", sort_token)),
                }
                let threshold = self.hash_threshold;
                let hashed = threshold > 0 && values.len() > threshold;
                let mut label_problem = None;
                if label.is_some() || hashed {
                    let md5 = format::md5_values(&values);
                    if let Some(label) = label {
                        match self.labels.get(label) {
                            Some(prev) if *prev != md5 => {
                                label_problem = Some(format!("label {label} hashed to {prev} before, now {md5}"))
                            }
                            Some(_) => {}
                            None => {
                                self.labels.insert(label.clone(), md5.clone());
                            }
                        }
                    }
                    if hashed {
                        let line = format::hash_line(values.len(), &md5);
                        if expected.len() != 1 || expected[0] != line {
                            return Err(fail(r, sql, &expected.join("\n"), &line));
                        }
                    }
                }
                if !hashed && *expected != values {
                    return Err(fail(r, sql, &expected.join("\n"), &values.join("\n")));
                }
                match label_problem {
                    Some(p) => Err(fail(r, sql, &expected.join("\n"), &p)),
                    None => Ok(()),
                }
            }
            // Not countable: never handed to run_record.
            RecordKind::HashThreshold(_) | RecordKind::Halt => Ok(()),
        }
    }
}

fn fail(r: &Record, sql: &str, expected: &str, actual: &str) -> Failure {
    fn clip(s: &str) -> String {
        const MAX: usize = 1500;
        if s.len() <= MAX {
            s.to_string()
        } else {
            let mut end = MAX;
            while !s.is_char_boundary(end) {
                end -= 1;
            }
            format!("{}... ({} bytes)", &s[..end], s.len())
        }
    }
    Failure {
        detail: format!(
            "line {}: {}\n  expected: {}\n  actual:   {}",
            r.line,
            clip(sql).replace('\n', "\n            "),
            clip(expected).replace('\n', "\n            "),
            clip(actual).replace('\n', "\n            ")
        ),
    }
}

/// Runs the first `max` countable records of `records`, calling `report`
/// with (countable index, outcome) after each.
pub fn run_records(
    engine: &mut Engine,
    records: &[Record],
    max: usize,
    mut report: impl FnMut(usize, Result<(), Failure>),
) {
    let mut state = FileState::default();
    let countable = parser::countable(records, ENGINE_NAME);
    let mut next = 0usize; // index into countable
    for (idx, r) in records.iter().enumerate() {
        if next >= countable.len() || next >= max {
            break;
        }
        if countable[next] != idx {
            state.observe_skipped_or_meta(r);
            continue;
        }
        let outcome = state.run_record(engine, r);
        report(next, outcome);
        next += 1;
    }
}
