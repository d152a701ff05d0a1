//! A libsqlite3 loaded with dlopen, driven only through its C ABI.
//!
//! Every entry point is looked up by name; missing required symbols make
//! loading fail with a message (never a crash). `sqlite3_column_int` and
//! `sqlite3_column_double` are what the original driver uses for `I` and `R`
//! columns; if a library lacks them, values are derived from
//! `sqlite3_column_text` instead (see [`Engine::query`]).

use std::ffi::{c_char, c_int, c_void, CStr, CString};
use std::path::{Path, PathBuf};
use std::ptr;

use libloading::Library;

use crate::format;

const SQLITE_OK: c_int = 0;
const SQLITE_ROW: c_int = 100;
const SQLITE_INTEGER: c_int = 1;
const SQLITE_FLOAT: c_int = 2;
const SQLITE_NULL: c_int = 5;
const SQLITE_OPEN_READWRITE: c_int = 0x2;
const SQLITE_OPEN_CREATE: c_int = 0x4;

type Db = c_void;
type Stmt = c_void;
type ExecCb = Option<unsafe extern "C" fn(*mut c_void, c_int, *mut *mut c_char, *mut *mut c_char) -> c_int>;

struct Api {
    open_v2: unsafe extern "C" fn(*const c_char, *mut *mut Db, c_int, *const c_char) -> c_int,
    close: unsafe extern "C" fn(*mut Db) -> c_int,
    exec: unsafe extern "C" fn(*mut Db, *const c_char, ExecCb, *mut c_void, *mut *mut c_char) -> c_int,
    prepare_v2: unsafe extern "C" fn(*mut Db, *const c_char, c_int, *mut *mut Stmt, *mut *const c_char) -> c_int,
    step: unsafe extern "C" fn(*mut Stmt) -> c_int,
    finalize: unsafe extern "C" fn(*mut Stmt) -> c_int,
    column_count: unsafe extern "C" fn(*mut Stmt) -> c_int,
    column_type: unsafe extern "C" fn(*mut Stmt, c_int) -> c_int,
    column_text: unsafe extern "C" fn(*mut Stmt, c_int) -> *const u8,
    column_int: Option<unsafe extern "C" fn(*mut Stmt, c_int) -> c_int>,
    column_double: Option<unsafe extern "C" fn(*mut Stmt, c_int) -> f64>,
    errmsg: Option<unsafe extern "C" fn(*mut Db) -> *const c_char>,
    libversion: Option<unsafe extern "C" fn() -> *const c_char>,
}

pub struct Engine {
    api: Api,
    db: *mut Db,
    path: PathBuf,
    // Dropped last: the function pointers above point into it.
    _lib: Library,
}

/// Outcome of running a query.
pub enum QueryResult {
    /// Rendered values, row by row.
    Values(Vec<String>),
    /// The query could not run (prepare failed, wrong column count, ...).
    Error(String),
}

macro_rules! sym {
    ($lib:expr, $name:literal) => {{
        // SAFETY: the type is the documented C signature of the symbol.
        match unsafe { $lib.get(concat!($name, "\0").as_bytes()) } {
            Ok(s) => Ok(*s),
            Err(_) => Err(format!("symbol {} is missing", $name)),
        }
    }};
}

macro_rules! opt_sym {
    ($lib:expr, $name:literal) => {{
        // SAFETY: as above.
        match unsafe { $lib.get(concat!($name, "\0").as_bytes()) } {
            Ok(s) => Some(*s),
            Err(_) => None,
        }
    }};
}

/// Canonical paths of every mapped file of this process whose basename
/// starts with `libsqlite3`.
pub fn mapped_sqlite_libs() -> Result<Vec<PathBuf>, String> {
    let maps = std::fs::read_to_string("/proc/self/maps").map_err(|e| format!("cannot read /proc/self/maps: {e}"))?;
    let mut out: Vec<PathBuf> = Vec::new();
    for line in maps.lines() {
        // address perms offset dev inode pathname
        let path = line.split_ascii_whitespace().nth(5);
        let Some(path) = path else { continue };
        if !path.starts_with('/') {
            continue;
        }
        let p = Path::new(path);
        let is_sqlite = p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with("libsqlite3"));
        if !is_sqlite {
            continue;
        }
        let canon = std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
        if !out.contains(&canon) {
            out.push(canon);
        }
    }
    Ok(out)
}

/// Fails unless the only libsqlite3 mapped into this process is `want`.
pub fn verify_mapped(want: &Path) -> Result<(), String> {
    let want = std::fs::canonicalize(want).map_err(|e| format!("{}: {e}", want.display()))?;
    let mapped = mapped_sqlite_libs()?;
    if mapped.len() == 1 && mapped[0] == want {
        Ok(())
    } else {
        Err(format!(
            "wrong library loaded: wanted {} but the libsqlite3 files mapped are [{}]",
            want.display(),
            mapped.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ")
        ))
    }
}

impl Engine {
    /// dlopens `lib` (by canonical absolute path, so no search path can
    /// substitute another file), checks /proc/self/maps, opens `db_path`.
    pub fn load(lib: &Path, db_path: &Path) -> Result<Engine, String> {
        let canon = std::fs::canonicalize(lib).map_err(|e| format!("{}: {e}", lib.display()))?;
        // SAFETY: loading a library runs its initializers; that is the point.
        let library = unsafe { Library::new(&canon) }.map_err(|e| format!("dlopen {}: {e}", canon.display()))?;
        verify_mapped(&canon)?;
        let api = Api {
            open_v2: sym!(library, "sqlite3_open_v2")?,
            close: match sym!(library, "sqlite3_close") {
                Ok(f) => f,
                Err(e) => sym!(library, "sqlite3_close_v2").map_err(|_| e)?,
            },
            exec: sym!(library, "sqlite3_exec")?,
            prepare_v2: sym!(library, "sqlite3_prepare_v2")?,
            step: sym!(library, "sqlite3_step")?,
            finalize: sym!(library, "sqlite3_finalize")?,
            column_count: sym!(library, "sqlite3_column_count")?,
            column_type: sym!(library, "sqlite3_column_type")?,
            column_text: sym!(library, "sqlite3_column_text")?,
            column_int: opt_sym!(library, "sqlite3_column_int"),
            column_double: opt_sym!(library, "sqlite3_column_double"),
            errmsg: opt_sym!(library, "sqlite3_errmsg"),
            libversion: opt_sym!(library, "sqlite3_libversion"),
        };
        let cpath = CString::new(db_path.as_os_str().as_encoded_bytes()).map_err(|_| "database path has a NUL byte".to_string())?;
        let mut db: *mut Db = ptr::null_mut();
        // SAFETY: valid C string and out-pointer.
        let rc = unsafe { (api.open_v2)(cpath.as_ptr(), &mut db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, ptr::null()) };
        let mut engine = Engine { api, db, path: canon, _lib: library };
        if rc != SQLITE_OK || db.is_null() {
            let msg = engine.errmsg();
            if !db.is_null() {
                // SAFETY: the handle came from open_v2.
                unsafe { (engine.api.close)(db) };
                engine.db = ptr::null_mut();
            }
            return Err(format!("sqlite3_open_v2({}) returned {rc}: {msg}", db_path.display()));
        }
        // As the original driver does; an engine that rejects it is still run.
        let _ = engine.exec("PRAGMA synchronous=OFF");
        Ok(engine)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn version(&self) -> String {
        match self.api.libversion {
            // SAFETY: returns a static C string (or NULL from a broken lib).
            Some(f) => unsafe { cstr(f()) },
            None => "?".into(),
        }
    }

    pub fn errmsg(&self) -> String {
        match self.api.errmsg {
            // SAFETY: db is a handle from open_v2 (errmsg accepts NULL too).
            Some(f) => unsafe { cstr(f(self.db)) },
            None => "(sqlite3_errmsg missing)".into(),
        }
    }

    /// sqlite3_exec with no callback; Err carries the error message.
    pub fn exec(&mut self, sql: &str) -> Result<(), String> {
        let c = CString::new(sql).map_err(|_| "SQL has a NUL byte".to_string())?;
        // SAFETY: valid handle and C string; no callback, no errmsg out.
        let rc = unsafe { (self.api.exec)(self.db, c.as_ptr(), None, ptr::null_mut(), ptr::null_mut()) };
        if rc == SQLITE_OK {
            Ok(())
        } else {
            Err(format!("rc={rc}: {}", self.errmsg()))
        }
    }

    /// Runs the first statement of `sql` and renders every value according
    /// to `types` (one of T/I/R per column). A step that does not return a
    /// row ends the result, as in the original driver.
    pub fn query(&mut self, sql: &str, types: &[u8]) -> QueryResult {
        let c = match CString::new(sql) {
            Ok(c) => c,
            Err(_) => return QueryResult::Error("SQL has a NUL byte".into()),
        };
        let mut stmt: *mut Stmt = ptr::null_mut();
        // SAFETY: valid handle, C string and out-pointer.
        let rc = unsafe { (self.api.prepare_v2)(self.db, c.as_ptr(), -1, &mut stmt, ptr::null_mut()) };
        if rc != SQLITE_OK {
            let msg = self.errmsg();
            if !stmt.is_null() {
                // SAFETY: statement from prepare_v2.
                unsafe { (self.api.finalize)(stmt) };
            }
            return QueryResult::Error(format!("prepare failed, rc={rc}: {msg}"));
        }
        if stmt.is_null() {
            return QueryResult::Error("prepare returned no statement (empty SQL?)".into());
        }
        // SAFETY (whole block): stmt is a live statement until finalize.
        unsafe {
            let ncol = (self.api.column_count)(stmt);
            if ncol < 0 || ncol as usize != types.len() {
                (self.api.finalize)(stmt);
                return QueryResult::Error(format!(
                    "wrong number of result columns: expected {} but got {ncol}",
                    types.len()
                ));
            }
            let mut values = Vec::new();
            while (self.api.step)(stmt) == SQLITE_ROW {
                for (i, &t) in types.iter().enumerate() {
                    let i = i as c_int;
                    let ty = (self.api.column_type)(stmt, i);
                    if ty == SQLITE_NULL {
                        values.push("NULL".to_string());
                        continue;
                    }
                    let v = match t {
                        b'T' => format::render_text(text_bytes((self.api.column_text)(stmt, i))),
                        b'I' => {
                            let v = match self.api.column_int {
                                Some(f) => f(stmt, i),
                                None => int_from_text(ty, text_bytes((self.api.column_text)(stmt, i))),
                            };
                            format::render_int(v)
                        }
                        b'R' => {
                            let v = match self.api.column_double {
                                Some(f) => f(stmt, i),
                                None => double_from_text(ty, text_bytes((self.api.column_text)(stmt, i))),
                            };
                            format::sqlite_fixed3(v)
                        }
                        other => {
                            (self.api.finalize)(stmt);
                            return QueryResult::Error(format!("unknown type character {:?}", other as char));
                        }
                    };
                    values.push(v);
                }
            }
            (self.api.finalize)(stmt);
            QueryResult::Values(values)
        }
    }

    /// Looks up a symbol for tools such as the printf cross-check.
    pub fn raw_symbol<T: Copy>(&self, name: &str) -> Option<T> {
        let mut n = name.as_bytes().to_vec();
        n.push(0);
        // SAFETY: the caller names the symbol's real type.
        unsafe { self._lib.get::<T>(&n).ok().map(|s| *s) }
    }
}

impl Drop for Engine {
    fn drop(&mut self) {
        if !self.db.is_null() {
            // SAFETY: handle from open_v2, closed once.
            unsafe { (self.api.close)(self.db) };
            self.db = ptr::null_mut();
        }
    }
}

/// Reads a C string (NULL pointer -> empty).
unsafe fn cstr(p: *const c_char) -> String {
    if p.is_null() {
        String::new()
    } else {
        CStr::from_ptr(p).to_string_lossy().into_owned()
    }
}

unsafe fn text_bytes<'a>(p: *const u8) -> &'a [u8] {
    if p.is_null() {
        &[]
    } else {
        CStr::from_ptr(p as *const c_char).to_bytes()
    }
}

/// Leading decimal integer of `s` after white space (like SQLite's text to
/// integer conversion, which stops at the first non-digit), saturating.
fn atoi64(s: &[u8]) -> i64 {
    let mut i = 0;
    while i < s.len() && s[i].is_ascii_whitespace() {
        i += 1;
    }
    let mut neg = false;
    if i < s.len() && (s[i] == b'-' || s[i] == b'+') {
        neg = s[i] == b'-';
        i += 1;
    }
    let mut v: i128 = 0;
    while i < s.len() && s[i].is_ascii_digit() {
        v = (v * 10 + (s[i] - b'0') as i128).min(i64::MAX as i128 + 1);
        i += 1;
    }
    let v = if neg { -v } else { v };
    v.clamp(i64::MIN as i128, i64::MAX as i128) as i64
}

/// Longest prefix of `s` (after white space) that parses as a float.
fn atof(s: &[u8]) -> f64 {
    let s = String::from_utf8_lossy(s);
    let t = s.trim_start();
    let mut best = 0.0;
    let mut end = 0;
    for (i, _) in t.char_indices().skip(1).chain(std::iter::once((t.len(), ' '))) {
        if let Ok(v) = t[..i].parse::<f64>() {
            best = v;
            end = i;
        }
    }
    let _ = end;
    best
}

/// `sqlite3_column_int` emulated from the text of a value (fallback only).
fn int_from_text(ty: c_int, text: &[u8]) -> c_int {
    let v: i64 = if ty == SQLITE_FLOAT {
        let d = atof(text);
        if d.is_nan() {
            0
        } else {
            d as i64 // saturating, like SQLite's double to int64
        }
    } else {
        atoi64(text)
    };
    v as i32 as c_int
}

/// `sqlite3_column_double` emulated from the text of a value (fallback only).
fn double_from_text(ty: c_int, text: &[u8]) -> f64 {
    if ty == SQLITE_INTEGER {
        atoi64(text) as f64
    } else {
        atof(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fallback_conversions() {
        assert_eq!(int_from_text(SQLITE_INTEGER, b"42"), 42);
        assert_eq!(int_from_text(SQLITE_INTEGER, b"4294967297"), 1);
        assert_eq!(int_from_text(SQLITE_FLOAT, b"-3.9"), -3);
        assert_eq!(int_from_text(3, b" 12abc"), 12);
        assert_eq!(int_from_text(3, b"abc"), 0);
        assert_eq!(double_from_text(SQLITE_FLOAT, b"1.5e3"), 1500.0);
        assert_eq!(double_from_text(3, b"2.5xyz"), 2.5);
        assert_eq!(double_from_text(SQLITE_INTEGER, b"-7"), -7.0);
    }
}
