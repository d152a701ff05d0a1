//! Runs slt-runner on the scripts in fixtures/ against the reference SQLite
//! library (built by scripts/build-reference.sh) and checks the counts.
//! Skipped, with a note, when the reference library has not been built.

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn reference() -> Option<PathBuf> {
    let p = root().join("target/reference/libsqlite3.so.0");
    if p.is_file() {
        Some(p)
    } else {
        eprintln!("skipped: {} not built (scripts/build-reference.sh)", p.display());
        None
    }
}

/// Runs the runner; returns (exit code, stdout).
fn run(args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_slt-runner")).args(args).output().expect("run slt-runner");
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stdout).into_owned())
}

fn fixture(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures").join(name).display().to_string()
}

#[test]
fn passing_fixtures_pass() {
    let Some(lib) = reference() else { return };
    let lib = format!("sqlite={}", lib.display());
    let (code, out) = run(&["--lib", &lib, &fixture("passing.test"), &fixture("crlf.test"), &fixture("crlf_gz.test.gz")]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("passing.test") && out.contains(" 12/12 "), "{out}");
    assert!(out.contains("(2 skipped: not for sqlite)"), "{out}");
    assert_eq!(out.lines().last(), Some("16 passed, 0 failed"), "{out}");
}

#[test]
fn failing_fixture_fails_where_expected() {
    let Some(lib) = reference() else { return };
    let lib = format!("sqlite={}", lib.display());
    let (code, out) = run(&["--lib", &lib, "--verbose", "--show", "100", &fixture("failing.test")]);
    assert_eq!(code, 0, "{out}");
    assert_eq!(out.lines().last(), Some("5 passed, 7 failed"), "{out}");
    for line in [22, 29, 32, 42, 51, 56, 67] {
        assert!(out.contains(&format!("line {line}: ")), "line {line} not reported:\n{out}");
    }
    let (code, _) = run(&["--lib", &lib, "--require-pass", &fixture("failing.test")]);
    assert_eq!(code, 1);
}

#[test]
fn agreement_counts_only_baseline_passes() {
    let Some(lib) = reference() else { return };
    // The same library twice: everything the baseline passes, the other
    // passes too; the baseline's own failures are not counted.
    let a = format!("a={}", lib.display());
    let b = format!("b={}", lib.display());
    let (code, out) = run(&["--lib", &a, "--lib", &b, "--require-pass", &fixture("failing.test")]);
    assert_eq!(code, 0, "{out}");
    assert_eq!(out.lines().last(), Some("5 passed, 0 failed"), "{out}");
}

#[test]
fn wrong_or_missing_library_is_reported() {
    let Some(lib) = reference() else { return };
    let base = format!("sqlite={}", lib.display());
    // A shared library that is not libsqlite3 at all: refused by the child's
    // /proc/self/maps check, reported, and no crash of the runner.
    let libc = ["/lib/x86_64-linux-gnu/libm.so.6", "/usr/lib/x86_64-linux-gnu/libm.so.6"]
        .into_iter()
        .find(|p| Path::new(p).exists());
    if let Some(other) = libc {
        let other = format!("other={other}");
        let (code, out) = run(&["--lib", &other, "--lib", &base, &fixture("passing.test")]);
        assert_eq!(code, 0, "{out}");
        assert!(out.contains("[error: wrong library loaded"), "{out}");
        assert_eq!(out.lines().last(), Some("0 passed, 12 failed"), "{out}");
    }
    let (code, _) = run(&["--lib", "x=/nonexistent/libsqlite3.so.0", &fixture("passing.test")]);
    assert_eq!(code, 2);
}
