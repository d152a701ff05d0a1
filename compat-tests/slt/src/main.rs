//! slt-runner: runs sqllogictest scripts against several libsqlite3 builds
//! side by side (each dlopened by path, driven only through the C ABI) and
//! measures how often the others agree with the last-named (baseline) one.
//!
//! Each (file, library) pair runs in a child process (this same binary with
//! `--one-file`), so a crash or a hang of a library costs only that file's
//! remaining records; the child checks via /proc/self/maps that the library
//! it mapped is the intended file.

mod engine;
mod format;
mod parser;
mod run;

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

const USAGE: &str = "usage: slt-runner --lib NAME=PATH [--lib NAME=PATH ...] [options] FILE|DIR ...
  --lib NAME=PATH     a libsqlite3 to test (repeatable); the LAST one is the baseline
  --timeout SECS      per (file, library) time limit, default 120
  --budget SECS       overall time limit for the non-baseline libraries: their
                      runs that would start after it are skipped (records failed)
  --max-records N     run only the first N countable records of each file
  --verbose           print failing records (first 3 per file and library)
  --show N            with --verbose, print the first N instead
  --require-pass      exit non-zero if any record passes on the baseline but fails elsewhere
  --tmpdir DIR        where the temporary databases go (default $TMPDIR or /tmp)
Files: *.test and *.test.gz; directories are searched recursively; sorted.
Other modes: --one-file FILE --lib NAME=PATH (internal, one child run);
             --check-printf PATH [--count N] (compare R rendering with the library's own printf).";

const VERBOSE_PER_FILE: usize = 3;

/// println! that ignores a closed stdout (e.g. piped into `head`) instead
/// of panicking.
macro_rules! out {
    ($($arg:tt)*) => {{
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}

#[derive(Clone)]
struct Lib {
    name: String,
    path: PathBuf,
}

struct Options {
    libs: Vec<Lib>,
    timeout: Duration,
    budget: Option<Duration>,
    max_records: usize,
    verbose: bool,
    require_pass: bool,
    tmpdir: PathBuf,
    inputs: Vec<PathBuf>,
    one_file: Option<PathBuf>,
    check_printf: Option<PathBuf>,
    count: usize,
    show: usize,
    db: Option<PathBuf>,
}

fn parse_lib(spec: &str) -> Lib {
    match spec.split_once('=') {
        Some((name, path)) if !name.is_empty() => Lib { name: name.to_string(), path: PathBuf::from(path) },
        _ => {
            let path = PathBuf::from(spec);
            let name = path
                .parent()
                .and_then(|p| p.file_name())
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| "lib".into());
            Lib { name, path }
        }
    }
}

fn parse_args() -> Result<Options, String> {
    let mut o = Options {
        libs: Vec::new(),
        timeout: Duration::from_secs(120),
        budget: None,
        max_records: usize::MAX,
        verbose: false,
        require_pass: false,
        tmpdir: std::env::temp_dir(),
        inputs: Vec::new(),
        one_file: None,
        check_printf: None,
        count: 1_000_000,
        show: VERBOSE_PER_FILE,
        db: None,
    };
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut val = |name: &str| args.next().ok_or_else(|| format!("{name} needs a value"));
        match a.as_str() {
            "--lib" => o.libs.push(parse_lib(&val("--lib")?)),
            "--timeout" => {
                let v = val("--timeout")?;
                let secs: f64 = v.parse().map_err(|_| format!("bad --timeout {v}"))?;
                if !(secs > 0.0 && secs.is_finite()) {
                    return Err(format!("bad --timeout {v}"));
                }
                o.timeout = Duration::from_secs_f64(secs);
            }
            "--budget" => {
                let v = val("--budget")?;
                let secs: f64 = v.parse().map_err(|_| format!("bad --budget {v}"))?;
                if !(secs > 0.0 && secs.is_finite()) {
                    return Err(format!("bad --budget {v}"));
                }
                o.budget = Some(Duration::from_secs_f64(secs));
            }
            "--max-records" => {
                let v = val("--max-records")?;
                o.max_records = v.parse().map_err(|_| format!("bad --max-records {v}"))?;
            }
            "--count" => {
                let v = val("--count")?;
                o.count = v.parse().map_err(|_| format!("bad --count {v}"))?;
            }
            "--show" => {
                let v = val("--show")?;
                o.show = v.parse().map_err(|_| format!("bad --show {v}"))?;
            }
            "--tmpdir" => o.tmpdir = PathBuf::from(val("--tmpdir")?),
            "--db" => o.db = Some(PathBuf::from(val("--db")?)),
            "--one-file" => o.one_file = Some(PathBuf::from(val("--one-file")?)),
            "--check-printf" => o.check_printf = Some(PathBuf::from(val("--check-printf")?)),
            "--verbose" | "-v" => o.verbose = true,
            "--require-pass" => o.require_pass = true,
            "--help" | "-h" => {
                println!("{USAGE}");
                std::process::exit(0);
            }
            s if s.starts_with("--") => return Err(format!("unknown option {s}")),
            _ => o.inputs.push(PathBuf::from(a)),
        }
    }
    Ok(o)
}

fn main() -> ExitCode {
    let o = match parse_args() {
        Ok(o) => o,
        Err(e) => {
            eprintln!("slt-runner: {e}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    if let Some(lib) = &o.check_printf {
        return check_printf(lib, o.count);
    }
    if let Some(file) = &o.one_file {
        return child_main(&o, file);
    }
    parent_main(&o)
}

/// Reads a script, gunzipping `.gz` files.
fn read_script(path: &Path) -> Result<String, String> {
    let raw = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let bytes = if path.extension().is_some_and(|e| e == "gz") {
        let mut out = Vec::new();
        flate2::read::MultiGzDecoder::new(&raw[..])
            .read_to_end(&mut out)
            .map_err(|e| format!("{}: gunzip: {e}", path.display()))?;
        out
    } else {
        raw
    };
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

// ---------------------------------------------------------------- child --

/// Child protocol on stdout, one line each:
///   `P i` / `F i`  countable record i passed / failed
///   `V text`       verbose detail of a failure
///   `E text`       fatal setup error (then exit code 3)
///   `D`            finished normally
fn child_main(o: &Options, file: &Path) -> ExitCode {
    // The protocol gets its own descriptor (a copy of stdout), and fd 1 is
    // pointed at stderr: whatever the library under test prints cannot be
    // mistaken for the protocol.
    // SAFETY: plain descriptor calls on descriptors this process owns.
    let proto: Box<dyn Write> = unsafe {
        let fd = libc::dup(1);
        if fd >= 0 && libc::dup2(2, 1) >= 0 {
            use std::os::fd::FromRawFd;
            Box::new(std::fs::File::from_raw_fd(fd))
        } else {
            Box::new(std::io::stdout())
        }
    };
    let mut out = std::io::LineWriter::new(proto);
    let Some(lib) = o.libs.first() else {
        let _ = writeln!(out, "E --one-file needs --lib");
        return ExitCode::from(3);
    };
    let script = match read_script(file) {
        Ok(s) => s,
        Err(e) => {
            let _ = writeln!(out, "E {e}");
            return ExitCode::from(3);
        }
    };
    let records = parser::parse_prefix(&script, o.max_records);
    let db = match &o.db {
        Some(d) => d.clone(),
        None => o.tmpdir.join(format!("slt-{}-{}.db", std::process::id(), sanitize(&lib.name))),
    };
    remove_db(&db);
    let mut engine = match engine::Engine::load(&lib.path, &db) {
        Ok(e) => e,
        Err(e) => {
            let _ = writeln!(out, "E {e}");
            remove_db(&db);
            return ExitCode::from(3);
        }
    };
    let mut shown = 0usize;
    let mut io_ok = true;
    run::run_records(&mut engine, &records, o.max_records, |i, outcome| {
        let r = match outcome {
            Ok(()) => writeln!(out, "P {i}"),
            Err(f) => {
                let mut r = writeln!(out, "F {i}");
                if o.verbose && shown < o.show {
                    shown += 1;
                    for l in f.detail.lines() {
                        r = r.and(writeln!(out, "V {l}"));
                    }
                }
                r
            }
        };
        if r.is_err() {
            io_ok = false;
        }
    });
    drop(engine);
    remove_db(&db);
    let _ = writeln!(out, "D");
    let _ = out.flush();
    if io_ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(4)
    }
}

fn sanitize(s: &str) -> String {
    s.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '_' }).collect()
}

fn remove_db(db: &Path) {
    let _ = std::fs::remove_file(db);
    for suffix in ["-journal", "-wal", "-shm"] {
        let mut p = db.as_os_str().to_owned();
        p.push(suffix);
        let _ = std::fs::remove_file(PathBuf::from(p));
    }
}

// --------------------------------------------------------------- parent --

#[derive(Clone, Copy, PartialEq, Eq)]
enum Ending {
    Finished,
    Crashed,
    TimedOut,
    SetupError,
    NotRun,
}

struct EngineRun {
    /// Outcome per countable record (false also for records never reached).
    passed: Vec<bool>,
    secs: f64,
    ending: Ending,
    message: String,
    verbose: Vec<String>,
}

fn run_child(o: &Options, lib: &Lib, file: &Path, ncount: usize, limit: Duration) -> EngineRun {
    let mut run = EngineRun { passed: vec![false; ncount], secs: 0.0, ending: Ending::Crashed, message: String::new(), verbose: Vec::new() };
    let exe = match std::env::current_exe() {
        Ok(e) => e,
        Err(e) => {
            run.ending = Ending::SetupError;
            run.message = format!("cannot find own executable: {e}");
            return run;
        }
    };
    let mut cmd = Command::new(exe);
    cmd.arg("--one-file").arg(file).arg("--lib").arg(format!("{}={}", lib.name, lib.path.display()));
    // The parent names the database so it can delete it after a crash.
    static SEQ: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let seq = SEQ.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let db = o.tmpdir.join(format!("slt-{}-{seq}-{}.db", std::process::id(), sanitize(&lib.name)));
    cmd.arg("--tmpdir").arg(&o.tmpdir).arg("--db").arg(&db);
    if o.max_records != usize::MAX {
        cmd.arg("--max-records").arg(o.max_records.to_string());
    }
    if o.verbose {
        cmd.arg("--verbose").arg("--show").arg(o.show.to_string());
    }
    cmd.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped());
    let start = Instant::now();
    let mut child = match cmd.spawn() {
        Ok(c) => c,
        Err(e) => {
            run.ending = Ending::SetupError;
            run.message = format!("cannot start child: {e}");
            return run;
        }
    };
    let (tx, rx) = mpsc::channel::<String>();
    let stdout = child.stdout.take();
    let reader = std::thread::spawn(move || {
        if let Some(s) = stdout {
            for line in BufReader::new(s).lines() {
                match line {
                    Ok(l) => {
                        if tx.send(l).is_err() {
                            break;
                        }
                    }
                    Err(_) => break,
                }
            }
        }
    });
    let stderr = child.stderr.take();
    let err_reader = std::thread::spawn(move || {
        let mut tail = Vec::new();
        if let Some(mut s) = stderr {
            let mut buf = [0u8; 8192];
            loop {
                match s.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => {
                        tail.extend_from_slice(&buf[..n]);
                        if tail.len() > 4096 {
                            let cut = tail.len() - 4096;
                            tail.drain(..cut);
                        }
                    }
                }
            }
        }
        String::from_utf8_lossy(&tail).into_owned()
    });
    let mut done = false;
    let mut handle_line = |l: String, run: &mut EngineRun| {
        let (tag, rest) = l.split_at(l.find(' ').unwrap_or(l.len()));
        let rest = rest.strip_prefix(' ').unwrap_or(rest);
        match tag {
            "P" | "F" => {
                if let Ok(i) = rest.parse::<usize>() {
                    if i < run.passed.len() {
                        run.passed[i] = tag == "P";
                    }
                }
            }
            "V" => run.verbose.push(rest.to_string()),
            "E" => {
                run.ending = Ending::SetupError;
                run.message = rest.to_string();
            }
            "D" => done = true,
            _ => {}
        }
    };
    let deadline = start + limit;
    let mut timed_out = false;
    let status = loop {
        while let Ok(l) = rx.try_recv() {
            handle_line(l, &mut run);
        }
        match child.try_wait() {
            Ok(Some(st)) => break Some(st),
            Ok(None) => {}
            Err(_) => break None,
        }
        if Instant::now() >= deadline {
            timed_out = true;
            let _ = child.kill();
            break child.wait().ok();
        }
        match rx.recv_timeout(Duration::from_millis(20)) {
            Ok(l) => handle_line(l, &mut run),
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => std::thread::sleep(Duration::from_millis(5)),
        }
    };
    run.secs = start.elapsed().as_secs_f64();
    remove_db(&db);
    let _ = reader.join();
    while let Ok(l) = rx.try_recv() {
        handle_line(l, &mut run);
    }
    let stderr_tail = err_reader.join().unwrap_or_default();
    if run.ending == Ending::SetupError {
        return run;
    }
    let ok_exit = status.is_some_and(|s| s.success());
    run.ending = if timed_out {
        Ending::TimedOut
    } else if done && ok_exit {
        Ending::Finished
    } else {
        Ending::Crashed
    };
    if run.ending == Ending::Crashed {
        let last = stderr_tail.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or("").to_string();
        run.message = match status {
            Some(s) => format!("{s}{}", if last.is_empty() { String::new() } else { format!("; stderr: {last}") }),
            None => "lost the child".into(),
        };
    }
    run
}

/// Finds *.test and *.test.gz under the inputs; sorted, deduplicated.
fn collect_files(inputs: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), String> {
        let rd = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        for ent in rd {
            let ent = ent.map_err(|e| format!("{}: {e}", dir.display()))?;
            let p = ent.path();
            if p.is_dir() {
                walk(&p, out)?;
            } else if is_script(&p) {
                out.push(p);
            }
        }
        Ok(())
    }
    let mut out = Vec::new();
    for i in inputs {
        if i.is_dir() {
            walk(i, &mut out)?;
        } else if i.is_file() {
            out.push(i.clone());
        } else {
            return Err(format!("{}: no such file or directory", i.display()));
        }
    }
    out.sort();
    out.dedup();
    Ok(out)
}

fn is_script(p: &Path) -> bool {
    let n = p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    n.ends_with(".test") || n.ends_with(".test.gz")
}

/// Display names: paths with their longest common leading directory removed.
fn display_names(files: &[PathBuf]) -> Vec<String> {
    let comps: Vec<Vec<String>> = files
        .iter()
        .map(|f| f.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect())
        .collect();
    let mut common = 0;
    if let Some(first) = comps.first() {
        'outer: for k in 0..first.len().saturating_sub(1) {
            for c in &comps {
                if c.len() <= k + 1 || c[k] != first[k] {
                    break 'outer;
                }
            }
            common = k + 1;
        }
    }
    comps.iter().map(|c| c[common.min(c.len().saturating_sub(1))..].join("/")).collect()
}

struct Totals {
    passed: usize,
    total: usize,
    secs: f64,
    crashed: usize,
    timed_out: usize,
    setup_errors: usize,
    not_run: usize,
}

fn parent_main(o: &Options) -> ExitCode {
    if o.libs.is_empty() {
        eprintln!("slt-runner: give at least one --lib NAME=PATH\n{USAGE}");
        return ExitCode::from(2);
    }
    for (i, l) in o.libs.iter().enumerate() {
        if !l.path.is_file() {
            eprintln!("slt-runner: library {} not found: {}", l.name, l.path.display());
            return ExitCode::from(2);
        }
        if o.libs[..i].iter().any(|m| m.name == l.name) {
            eprintln!("slt-runner: two libraries are named {}", l.name);
            return ExitCode::from(2);
        }
    }
    if o.inputs.is_empty() {
        eprintln!("slt-runner: no test files given\n{USAGE}");
        return ExitCode::from(2);
    }
    let files = match collect_files(&o.inputs) {
        Ok(f) if !f.is_empty() => f,
        Ok(_) => {
            eprintln!("slt-runner: no *.test or *.test.gz files found");
            return ExitCode::from(2);
        }
        Err(e) => {
            eprintln!("slt-runner: {e}");
            return ExitCode::from(2);
        }
    };
    let names = display_names(&files);
    let width = names.iter().map(|n| n.len()).max().unwrap_or(0);
    let baseline = o.libs.len() - 1;
    let mut totals: Vec<Totals> = o
        .libs
        .iter()
        .map(|_| Totals { passed: 0, total: 0, secs: 0.0, crashed: 0, timed_out: 0, setup_errors: 0, not_run: 0 })
        .collect();
    let (mut agree, mut disagree, mut records_all, mut unreadable) = (0usize, 0usize, 0usize, 0usize);
    let mut skipped_all = 0usize;
    let stdout = std::io::stdout();
    let began = Instant::now();
    let mut slowest: Vec<Option<(String, f64, f64, f64)>> = o.libs.iter().map(|_| None).collect();
    for (file, name) in files.iter().zip(&names) {
        let script = match read_script(file) {
            Ok(s) => s,
            Err(e) => {
                out!("{name:width$}  cannot read: {e}");
                unreadable += 1;
                continue;
            }
        };
        let records = parser::parse_prefix(&script, o.max_records);
        drop(script);
        let ncount = parser::countable(&records, parser::ENGINE_NAME).len().min(o.max_records);
        skipped_all += records.iter().filter(|r| r.is_countable() && !r.applies_to(parser::ENGINE_NAME)).count();
        drop(records);
        records_all += ncount;
        let mut runs = Vec::new();
        let mut line = format!("{name:width$}");
        // The baseline runs first and always (it is what the others are
        // measured against); the others are skipped once --budget is used up.
        let order: Vec<usize> = std::iter::once(baseline).chain(0..baseline).collect();
        let mut slots: Vec<Option<EngineRun>> = o.libs.iter().map(|_| None).collect();
        for &k in &order {
            let lib = &o.libs[k];
            let left = o.budget.map(|b| b.saturating_sub(began.elapsed()));
            slots[k] = Some(match left {
                Some(left) if left.is_zero() && k != baseline => EngineRun {
                    passed: vec![false; ncount],
                    secs: 0.0,
                    ending: Ending::NotRun,
                    message: String::new(),
                    verbose: Vec::new(),
                },
                Some(left) if k != baseline => run_child(o, lib, file, ncount, o.timeout.min(left)),
                _ => run_child(o, lib, file, ncount, o.timeout),
            });
        }
        for ((lib, t), r) in o.libs.iter().zip(totals.iter_mut()).zip(slots) {
            let Some(r) = r else { continue };
            let p = r.passed.iter().filter(|&&b| b).count();
            t.passed += p;
            t.total += ncount;
            t.secs += r.secs;
            line.push_str(&format!("  {} {p}/{ncount} ({:.2}s)", lib.name, r.secs));
            match r.ending {
                Ending::Finished => {}
                Ending::Crashed => {
                    t.crashed += 1;
                    line.push_str(&format!(" [crashed: {}]", r.message));
                }
                Ending::TimedOut => {
                    t.timed_out += 1;
                    line.push_str(" [timed out]");
                }
                Ending::SetupError => {
                    t.setup_errors += 1;
                    line.push_str(&format!(" [error: {}]", r.message));
                }
                Ending::NotRun => {
                    t.not_run += 1;
                    line.push_str(" [not run: --budget used up]");
                }
            }
            runs.push(r);
        }
        if runs.len() == 1 {
            let p = runs[0].passed.iter().filter(|&&b| b).count();
            agree += p;
            disagree += ncount - p;
        } else {
            for i in 0..ncount {
                if !runs[baseline].passed[i] {
                    continue;
                }
                if runs.iter().all(|r| r.passed[i]) {
                    agree += 1;
                } else {
                    disagree += 1;
                }
            }
        }
        // The slowest file against the baseline, per other library.
        if runs.len() == o.libs.len() {
            let base = runs[baseline].secs.max(0.01);
            for (k, r) in runs.iter().enumerate() {
                let ratio = r.secs / base;
                if k != baseline && slowest[k].as_ref().is_none_or(|(_, x, _, _)| ratio > *x) {
                    slowest[k] = Some((name.clone(), ratio, r.secs, runs[baseline].secs));
                }
            }
        }
        let mut lock = stdout.lock();
        let _ = writeln!(lock, "{line}");
        if o.verbose {
            for (lib, r) in o.libs.iter().zip(&runs) {
                for v in &r.verbose {
                    let _ = writeln!(lock, "    [{}] {v}", lib.name);
                }
            }
        }
        let _ = lock.flush();
    }
    out!();
    out!("{} files, {} records run ({} skipped: not for {}){}", files.len(), records_all, skipped_all, parser::ENGINE_NAME, if unreadable > 0 { format!(" ({unreadable} unreadable files)") } else { String::new() });
    let nw = o.libs.iter().map(|l| l.name.len()).max().unwrap_or(0);
    for (lib, t) in o.libs.iter().zip(&totals) {
        let pct = if t.total == 0 { 0.0 } else { 100.0 * t.passed as f64 / t.total as f64 };
        let mut extra = String::new();
        if t.crashed > 0 {
            extra.push_str(&format!(", {} crashed", t.crashed));
        }
        if t.timed_out > 0 {
            extra.push_str(&format!(", {} timed out", t.timed_out));
        }
        if t.setup_errors > 0 {
            extra.push_str(&format!(", {} could not run", t.setup_errors));
        }
        if t.not_run > 0 {
            extra.push_str(&format!(", {} not run (budget)", t.not_run));
        }
        out!(
            "  {:nw$}  {}/{} passed ({pct:.2}%), {:.1}s{extra}{}",
            lib.name,
            t.passed,
            t.total,
            t.secs,
            if o.libs.len() > 1 && std::ptr::eq(lib, &o.libs[baseline]) { "  [baseline]" } else { "" }
        );
    }
    for (lib, s) in o.libs.iter().zip(&slowest) {
        if let Some((file, ratio, secs, base)) = s {
            out!("  {:nw$}  slowest file against the baseline: {file} ({secs:.2}s vs {base:.2}s, {ratio:.1}x)", lib.name);
        }
    }
    if o.libs.len() > 1 {
        out!(
            "failed = records that pass on the baseline {} but fail on another library",
            o.libs[baseline].name
        );
    } else {
        out!("failed = records that fail on {}", o.libs[0].name);
    }
    out!("{agree} passed, {disagree} failed");
    if unreadable > 0 || (o.require_pass && disagree > 0) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

// ------------------------------------------------------ printf cross-check --

/// Compares `format::sqlite_fixed3` with the library's own
/// `sqlite3_mprintf("%.3f", x)` on special values and `count` pseudo-random
/// doubles of every magnitude.
fn check_printf(lib: &Path, count: usize) -> ExitCode {
    use std::ffi::{c_char, c_void, CStr};
    type Mprintf = unsafe extern "C" fn(*const c_char, ...) -> *mut c_char;
    type Free = unsafe extern "C" fn(*mut c_void);
    let db = std::env::temp_dir().join(format!("slt-printf-{}.db", std::process::id()));
    let engine = match engine::Engine::load(lib, &db) {
        Ok(e) => e,
        Err(e) => {
            eprintln!("{e}");
            out!("0 passed, 1 failed");
            return ExitCode::from(1);
        }
    };
    remove_db(&db);
    let (Some(mprintf), Some(free)) = (engine.raw_symbol::<Mprintf>("sqlite3_mprintf"), engine.raw_symbol::<Free>("sqlite3_free"))
    else {
        out!("sqlite3_mprintf/sqlite3_free missing");
        out!("0 passed, 1 failed");
        return ExitCode::from(1);
    };
    out!("library {} version {}", engine.path().display(), engine.version());
    let mut values: Vec<f64> = vec![
        0.0, -0.0, 0.0005, 0.0015, 0.0025, -0.0005, 0.00049999, 1.0005, 2.0005, 9.9995, 1e15, 1e16, 1e17, 1e22, 1e300,
        -1e300, 5e-324, f64::MAX, f64::MIN_POSITIVE, 123456789.0125, 0.1 + 0.2,
    ];
    let mut x: u64 = 0x9e3779b97f4a7c15;
    for i in 0..count {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let v = match i % 4 {
            0 => f64::from_bits(x),
            1 => (x % 2_000_000) as f64 / 1000.0 - 1000.0 + 0.0005,
            2 => ((x >> 11) as f64 / (1u64 << 53) as f64) * 10f64.powi((x % 40) as i32 - 10),
            _ => (x as i64 % 100000) as f64 / ((x >> 40) % 97 + 1) as f64,
        };
        if v.is_finite() {
            values.push(v);
        }
    }
    let (mut pass, mut failn) = (0usize, 0usize);
    for v in values {
        // SAFETY: format string and a double vararg, as the C API takes.
        let got = unsafe {
            let p = mprintf(c"%.3f".as_ptr(), v);
            if p.is_null() {
                String::from("<NULL>")
            } else {
                let s = CStr::from_ptr(p).to_string_lossy().into_owned();
                free(p as *mut c_void);
                s
            }
        };
        let mine = format::sqlite_fixed3(v);
        if got == mine {
            pass += 1;
        } else {
            failn += 1;
            if failn <= 20 {
                out!("{v:e} ({:#x}): library {got} harness {mine}", v.to_bits());
            }
        }
    }
    out!("{pass} passed, {failn} failed");
    if failn == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
