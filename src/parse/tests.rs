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
