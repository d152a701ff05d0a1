//! Fails when the signatures of the exported `extern "C"` functions and the
//! declarations in include/sqlite3.h drift apart.
//!
//! cbindgen (configured by capi/cbindgen.toml) turns every `#[no_mangle]
//! extern "C"` function of the crate into a C prototype, written to a
//! temporary `generated.h`. Then:
//!
//! 1. a translation unit `#include "sqlite3.h"` + `#include "generated.h"` is
//!    compiled with `$CC -std=c11 -fsyntax-only -Wall -Werror`: C rejects a
//!    redeclaration with an incompatible type, so a wrong parameter type,
//!    parameter count or return type is a "conflicting types" error;
//! 2. the same unit is compiled as C++ (`$CXX -std=c++11`), where a
//!    conflicting redeclaration of an `extern "C"` function is an error too;
//! 3. a unit that includes only sqlite3.h takes the address of every
//!    function cbindgen emitted: an export the header does not declare is an
//!    "undeclared" error;
//! 4. the functions cbindgen saw are compared with the `#[no_mangle]`
//!    functions found by scanning capi/src, so a function cbindgen cannot
//!    parse is reported instead of silently not checked; and the generated
//!    file must not define any type (the header's definitions must apply).
//!
//! HEADER_DRIFT_KEEP=1 keeps the generated files (under target/tmp) after a
//! passing run too. Needs a C and a C++ compiler (`CC`, default gcc; `CXX`, default g++);
//! fails, rather than skips, without them.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// include/ of the repository (the capi crate lives one level below it).
fn include_dir() -> PathBuf {
    let dir = manifest_dir().join("../include");
    assert!(dir.join("sqlite3.h").is_file(), "header_drift: {} has no sqlite3.h", dir.display());
    dir
}

/// A fresh directory for this run's files.
fn work_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("header_drift.{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("header_drift: cannot create {}: {e}", dir.display()));
    dir
}

/// Generates the prototypes; returns the header text and the function names.
fn generate(out: &Path) -> (String, BTreeSet<String>) {
    let config_path = manifest_dir().join("cbindgen.toml");
    let config = cbindgen::Config::from_file(&config_path)
        .unwrap_or_else(|e| panic!("header_drift: cannot read {}: {e}", config_path.display()));
    let bindings = cbindgen::Builder::new()
        .with_config(config)
        .with_src(manifest_dir().join("src/lib.rs"))
        .generate()
        .unwrap_or_else(|e| panic!("header_drift: cbindgen failed on capi/src: {e}"));
    let names: BTreeSet<String> = bindings.functions.iter().map(|f| f.path.name().to_owned()).collect();
    let mut text = Vec::new();
    bindings.write(&mut text);
    let text = String::from_utf8(text).expect("cbindgen wrote UTF-8");
    fs::write(out, &text).unwrap_or_else(|e| panic!("header_drift: cannot write {}: {e}", out.display()));
    (text, names)
}

/// Names of the `#[no_mangle]` functions and statics in capi/src, by a plain
/// text scan (independent of cbindgen's parser).
fn scan_exports() -> (BTreeSet<String>, BTreeSet<String>) {
    let mut fns = BTreeSet::new();
    let mut statics = BTreeSet::new();
    let src = manifest_dir().join("src");
    let mut files: Vec<_> = fs::read_dir(&src)
        .unwrap_or_else(|e| panic!("header_drift: cannot list {}: {e}", src.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "rs"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "header_drift: no .rs files in {}", src.display());
    for file in files {
        let text = fs::read_to_string(&file).unwrap();
        let mut rest = text.as_str();
        while let Some(at) = rest.find("no_mangle") {
            rest = &rest[at + "no_mangle".len()..];
            // The item the attribute applies to: the next `fn NAME` or
            // `static NAME` (skipping other attributes, doc comments and
            // `pub unsafe extern "C"`).
            let words = rest.split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '$')).filter(|w| !w.is_empty());
            let mut prev = "";
            for w in words {
                if prev == "fn" {
                    fns.insert(w.to_owned());
                    break;
                }
                if prev == "static" && w != "mut" {
                    statics.insert(w.to_owned());
                    break;
                }
                prev = w;
            }
        }
    }
    (fns, statics)
}

/// Whether a line of generated.h defines something include/sqlite3.h owns:
/// a struct, union or enum, a macro (other than the include guard), or a
/// typedef of a `sqlite*` name. The crate's own callback aliases (such as
/// `typedef void (*Destructor)(void*);`) are allowed: prototypes name them.
fn defines_header_item(line: &str) -> Option<&'static str> {
    let l = line.trim_start();
    let first = l.split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '#')).next().unwrap_or("");
    match first {
        "struct" | "union" | "enum" => return Some("defines a type"),
        "#define" if !l.contains("FERROLITE_HEADER_DRIFT_GENERATED_H") => return Some("defines a macro"),
        "typedef" => {}
        _ => return None,
    }
    let rest = l["typedef".len()..].trim_start();
    if ["struct", "union", "enum"].iter().any(|k| rest.starts_with(k)) {
        return Some("defines a type");
    }
    // The name a typedef defines: `(*NAME)` for a function pointer, else
    // the last word before the `;`.
    let name = match l.find("(*") {
        Some(i) => l[i + 2..].split(')').next().unwrap_or(""),
        None => l.trim_end().trim_end_matches(';').rsplit(|c: char| !(c.is_alphanumeric() || c == '_')).next().unwrap_or(""),
    };
    if name.trim().starts_with("sqlite") {
        Some("redefines a type")
    } else {
        None
    }
}

/// Runs `cmd` (a compiler); returns its diagnostics if it fails.
fn compile(what: &str, mut cmd: Command) -> Result<(), String> {
    let program = cmd.get_program().to_string_lossy().into_owned();
    let out = cmd.output().unwrap_or_else(|e| {
        panic!("header_drift: cannot run {program} for {what}: {e}\nThis test needs a C and a C++ compiler (CC / CXX).")
    });
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{what}: `{cmd:?}` failed ({})\n{}{}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}

/// The compiler named by `var` (`CC`, `CXX`), else `default`; a value with
/// spaces (`ccache gcc`) is a program followed by arguments.
fn compiler(var: &str, default: &str) -> Command {
    let value = std::env::var(var).ok().filter(|s| !s.trim().is_empty()).unwrap_or_else(|| default.into());
    let mut words = value.split_whitespace();
    let mut cmd = Command::new(words.next().unwrap());
    cmd.args(words);
    cmd
}

#[test]
fn exported_functions_match_sqlite3_h() {
    let dir = work_dir();
    let include = include_dir();
    let (generated, names) = generate(&dir.join("generated.h"));
    let mut failures = Vec::new();

    // 4. cbindgen saw every export, and defines no type of its own.
    let (scanned, _statics) = scan_exports();
    let unseen: Vec<_> = scanned.difference(&names).collect();
    if !unseen.is_empty() {
        failures.push(format!(
            "cbindgen did not emit a prototype for these #[no_mangle] functions of capi/src, so they are not checked \
             (a signature cbindgen cannot express, or an export made by a macro?): {unseen:?}"
        ));
    }
    let not_sqlite: Vec<_> = names.iter().filter(|n| !n.starts_with("sqlite3_")).collect();
    if !not_sqlite.is_empty() {
        failures.push(format!("exported functions outside the sqlite3_ namespace: {not_sqlite:?}"));
    }
    assert!(names.len() >= 50, "header_drift: cbindgen found only {} functions in capi/src: {names:?}", names.len());
    for line in generated.lines() {
        if let Some(why) = defines_header_item(line) {
            failures.push(format!(
                "generated.h {why}; the header's definition must apply \
                 (add the name to [export] exclude in capi/cbindgen.toml): {line}"
            ));
        }
    }

    // 1 and 2: the prototypes after the header, as C and as C++.
    let tu = dir.join("drift.c");
    fs::write(&tu, "#include \"sqlite3.h\"\n#include \"generated.h\"\n").unwrap();
    let mut c = compiler("CC", "gcc");
    c.args(["-std=c11", "-fsyntax-only", "-Wall", "-Werror"]).arg("-I").arg(&include).arg("-I").arg(&dir).arg(&tu);
    if let Err(e) = compile("C: Rust signatures against include/sqlite3.h", c) {
        failures.push(e);
    }
    let mut cpp = compiler("CXX", "g++");
    cpp.args(["-std=c++11", "-fsyntax-only", "-Wall", "-Werror", "-x", "c++"])
        .arg("-I")
        .arg(&include)
        .arg("-I")
        .arg(&dir)
        .arg(&tu);
    if let Err(e) = compile("C++: Rust signatures against include/sqlite3.h", cpp) {
        failures.push(e);
    }

    // 3. Every exported function is declared by the header alone.
    let mut decl = String::from("#include \"sqlite3.h\"\nvoid *const ferrolite_exports[] = {\n");
    for n in &names {
        decl.push_str(&format!("  (void *)&{n},\n"));
    }
    decl.push_str("  0\n};\n");
    let tu = dir.join("declared.c");
    fs::write(&tu, decl).unwrap();
    let mut c = compiler("CC", "gcc");
    c.args(["-std=c11", "-fsyntax-only", "-Wall", "-Werror"]).arg("-I").arg(&include).arg(&tu);
    if let Err(e) = compile("exported functions that include/sqlite3.h does not declare", c) {
        failures.push(e);
    }

    if failures.is_empty() {
        if std::env::var_os("HEADER_DRIFT_KEEP").is_none() {
            let _ = fs::remove_dir_all(&dir);
        }
    } else {
        panic!(
            "include/sqlite3.h and the extern \"C\" functions of capi/src disagree ({} functions checked; files kept in {}):\n\n{}",
            names.len(),
            dir.display(),
            failures.join("\n\n")
        );
    }
}
