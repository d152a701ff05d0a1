//! What the library says about itself and its files:
//! sqlite3_compileoption_used / get (Ferrolite's own option list, in
//! SQLite's spelling), sqlite3_file_control (the SQLITE_FCNTL_* operations
//! the unix VFS answers that make sense for Ferrolite's files) and
//! sqlite3_db_cacheflush.

use std::ffi::{c_char, c_int, c_void, CStr};
use std::sync::OnceLock;

use crate::db::with_db;
use crate::handle::sqlite3;
use crate::rc;

/// The options Ferrolite is "compiled with", sorted as SQLite sorts its
/// list: the limits and defaults it really has.
const OPTIONS: &[&str] = &[
    "COMPILER=rustc",
    "DEFAULT_CACHE_SIZE=-2000",
    "DEFAULT_FILE_FORMAT=4",
    "DEFAULT_PAGE_SIZE=4096",
    "ENABLE_COLUMN_METADATA",
    "ENABLE_MATH_FUNCTIONS",
    "ENABLE_RTREE",
    "MAX_ATTACHED=10",
    "MAX_COLUMN=2000",
    "MAX_COMPOUND_SELECT=500",
    "MAX_EXPR_DEPTH=1000",
    "MAX_FUNCTION_ARG=1000",
    "MAX_LENGTH=1000000000",
    "MAX_LIKE_PATTERN_LENGTH=50000",
    "MAX_SQL_LENGTH=1000000000",
    "MAX_TRIGGER_DEPTH=1000",
    "MAX_VARIABLE_NUMBER=32766",
    "MAX_VDBE_OP=250000000",
    "SYSTEM_MALLOC",
    "TEMP_STORE=1",
    "THREADSAFE=1",
];

fn option_cstrings() -> &'static [std::ffi::CString] {
    static C: OnceLock<Vec<std::ffi::CString>> = OnceLock::new();
    C.get_or_init(|| OPTIONS.iter().map(|o| crate::handle::cstring(o.as_bytes())).collect())
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_compileoption_used(name: *const c_char) -> c_int {
    if name.is_null() {
        return 0;
    }
    // SAFETY: a C string. As SQLite: an optional SQLITE_ prefix, a
    // case-insensitive prefix match that must end the option's name.
    guard!(0, {
        let mut n = unsafe { CStr::from_ptr(name) }.to_bytes();
        if n.len() >= 7 && n[..7].eq_ignore_ascii_case(b"SQLITE_") {
            n = &n[7..];
        }
        let hit = OPTIONS.iter().any(|o| {
            let o = o.as_bytes();
            o.len() >= n.len() && o[..n.len()].eq_ignore_ascii_case(n) && o.get(n.len()).is_none_or(|&c| !(c.is_ascii_alphanumeric() || c == b'_' || c >= 0x80))
        });
        c_int::from(hit)
    })
}

#[no_mangle]
pub extern "C" fn sqlite3_compileoption_get(n: c_int) -> *const c_char {
    guard!(std::ptr::null(), { usize::try_from(n).ok().and_then(|i| option_cstrings().get(i)).map(|c| c.as_ptr()).unwrap_or(std::ptr::null()) })
}

// SQLITE_FCNTL_* operation codes answered here.
const FCNTL_LAST_ERRNO: c_int = 4;
const FCNTL_SIZE_HINT: c_int = 5;
const FCNTL_CHUNK_SIZE: c_int = 6;
const FCNTL_PERSIST_WAL: c_int = 10;
const FCNTL_VFSNAME: c_int = 12;
const FCNTL_POWERSAFE_OVERWRITE: c_int = 13;
const FCNTL_HAS_MOVED: c_int = 20;

#[no_mangle]
pub unsafe extern "C" fn sqlite3_file_control(db: *mut sqlite3, name: *const c_char, op: c_int, arg: *mut c_void) -> c_int {
    guard!(rc::INTERNAL, {
        // SAFETY: NULL or a C string.
        let name = unsafe { crate::info::opt_str(name) }.unwrap_or_else(|| "main".into());
        if op == FCNTL_PERSIST_WAL {
            // SAFETY: db is the caller's handle; `arg` is NULL or an int.
            return unsafe {
                with_db(db, rc::MISUSE, |st| {
                    let Some(conn) = st.conn.as_mut() else { return rc::MISUSE };
                    let Some(i) = conn.dbs.iter().position(|d| d.name.eq_ignore_ascii_case(&name)) else { return rc::ERROR };
                    let Ok(bt) = conn.btree(i) else { return rc::ERROR };
                    if bt.is_memory() || bt.filename().is_empty() {
                        return rc::NOTFOUND;
                    }
                    let p = arg as *mut c_int;
                    if !p.is_null() {
                        // A negative value asks; 0 or 1 sets (the WAL is
                        // then kept, emptied, at the last close).
                        if *p >= 0 {
                            bt.set_persist_wal(*p != 0);
                        }
                        *p = c_int::from(bt.persist_wal());
                    }
                    rc::OK
                })
            };
        }
        // An application VFS's file answers the other operations itself
        // (its xFileControl), as SQLite passes them on.
        // SAFETY: db is the caller's handle; `arg` goes to the VFS as given.
        let answered = unsafe {
            with_db(db, None, |st| {
                let conn = st.conn.as_mut()?;
                let i = conn.dbs.iter().position(|d| d.name.eq_ignore_ascii_case(&name))?;
                let bt = conn.btree(i).ok()?;
                if bt.is_memory() {
                    return None;
                }
                bt.file_control(op, arg)
            })
        };
        if let Some(r) = answered {
            return r;
        }
        // SAFETY: db is the caller's handle.
        let file = unsafe {
            with_db(db, Err(rc::MISUSE), |st| {
                let Some(conn) = st.conn.as_ref() else { return Err(rc::MISUSE) };
                match conn.dbs.iter().find(|d| d.name.eq_ignore_ascii_case(&name)) {
                    None => Err(rc::ERROR),
                    Some(d) if d.btree.is_memory() || d.btree.filename().is_empty() => Ok(None),
                    Some(d) => Ok(Some((d.btree.filename().to_string(), d.btree.vfs_name().to_string()))),
                }
            })
        };
        let path = match file {
            Err(code) => return code,
            // No file behind the database: no VFS to ask.
            Ok(None) => return rc::NOTFOUND,
            Ok(Some(p)) => p,
        };
        let (path, vfs_name) = path;
        // SAFETY: `arg` points to what SQLite documents for each operation.
        unsafe {
            match op {
                FCNTL_LAST_ERRNO => {
                    if !arg.is_null() {
                        *(arg as *mut c_int) = 0;
                    }
                    rc::OK
                }
                // Size hints and chunk sizes are hints: with no chunk size
                // set, SQLite's unix VFS does nothing for a size hint either.
                FCNTL_SIZE_HINT | FCNTL_CHUNK_SIZE => rc::OK,
                // Queries (a negative value) only: Ferrolite assumes
                // power-safe overwrite, SQLite's unix default.
                FCNTL_POWERSAFE_OVERWRITE => {
                    let p = arg as *mut c_int;
                    let value = 1;
                    if p.is_null() {
                        return rc::OK;
                    }
                    if *p >= 0 && *p != value {
                        return rc::NOTFOUND;
                    }
                    *p = value;
                    rc::OK
                }
                FCNTL_VFSNAME => {
                    if !arg.is_null() {
                        *(arg as *mut *mut c_char) = crate::memory::alloc_cstring(vfs_name.as_bytes());
                    }
                    rc::OK
                }
                FCNTL_HAS_MOVED => {
                    if !arg.is_null() {
                        *(arg as *mut c_int) = c_int::from(std::fs::metadata(&path).is_err());
                    }
                    rc::OK
                }
                _ => rc::NOTFOUND,
            }
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_db_cacheflush(db: *mut sqlite3) -> c_int {
    // SAFETY: db is the caller's handle. Outside a write transaction there
    // are no dirty pages, and SQLite's flush does nothing either; writing
    // a transaction's dirty pages early is not supported yet.
    guard!(rc::INTERNAL, {
        unsafe {
            with_db(db, rc::MISUSE, |st| {
                let Some(conn) = st.conn.as_ref() else { return rc::MISUSE };
                if conn.in_write_txn() {
                    st.set_code(rc::ERROR, Some("sqlite3_db_cacheflush inside a write transaction is not supported yet"))
                } else {
                    rc::OK
                }
            })
        }
    })
}

// SQLITE_DBSTATUS_* operation codes.
const DBSTATUS_CACHE_USED: c_int = 1;
const DBSTATUS_SCHEMA_USED: c_int = 2;
const DBSTATUS_STMT_USED: c_int = 3;
const DBSTATUS_CACHE_HIT: c_int = 7;
const DBSTATUS_CACHE_MISS: c_int = 8;
const DBSTATUS_CACHE_WRITE: c_int = 9;
const DBSTATUS_CACHE_USED_SHARED: c_int = 11;
const DBSTATUS_MAX: c_int = 13;

/// sqlite3_db_status64: page-cache bytes and hit / miss / write counts
/// come from the pagers; schema and statement memory are estimates (the
/// text of the schema, the size of each open statement's program);
/// lookaside (Ferrolite has none), deferred foreign keys (not enforced)
/// and spill counts report 0.
#[no_mangle]
pub unsafe extern "C" fn sqlite3_db_status64(db: *mut sqlite3, op: c_int, cur: *mut crate::sqlite3_int64, hi: *mut crate::sqlite3_int64, reset: c_int) -> c_int {
    if cur.is_null() || hi.is_null() {
        return rc::MISUSE;
    }
    guard!(rc::INTERNAL, {
        if !(0..=DBSTATUS_MAX).contains(&op) {
            // SAFETY: db is the caller's handle (checked for misuse).
            return unsafe { with_db(db, rc::MISUSE, |_| rc::ERROR) };
        }
        // SAFETY: db is the caller's handle; statements are borrowed one
        // at a time, skipping one that is busy in a callback.
        let value = unsafe {
            with_db(db, None, |st| {
                let stmts = st.stmts.clone();
                let conn = st.conn.as_mut()?;
                let v: i64 = match op {
                    DBSTATUS_CACHE_USED | DBSTATUS_CACHE_USED_SHARED => conn.dbs.iter().map(|d| d.btree.cache_bytes() as i64).sum(),
                    DBSTATUS_SCHEMA_USED => conn.dbs.iter().filter_map(|d| d.schema.as_ref()).flat_map(|s| s.tables().map(|t| t.sql.len() as i64 + 256).collect::<Vec<_>>()).sum(),
                    DBSTATUS_STMT_USED => stmts
                        .iter()
                        .filter_map(|&p| (*p).state.try_borrow().ok().map(|s| (s.stmt.program().ops.len() * std::mem::size_of::<ferrolite::vdbe::Op>() + s.sql.as_bytes().len()) as i64))
                        .sum(),
                    DBSTATUS_CACHE_HIT | DBSTATUS_CACHE_MISS | DBSTATUS_CACHE_WRITE => {
                        let mut total = 0i64;
                        for d in conn.dbs.iter_mut() {
                            let s = d.btree.pager_stats();
                            let slot = match op {
                                DBSTATUS_CACHE_HIT => &mut s.hit,
                                DBSTATUS_CACHE_MISS => &mut s.miss,
                                _ => &mut s.write,
                            };
                            total += *slot as i64;
                            if reset != 0 {
                                *slot = 0;
                            }
                        }
                        total
                    }
                    _ => 0,
                };
                Some(v)
            })
        };
        let Some(v) = value else { return rc::MISUSE };
        // SAFETY: checked non-NULL.
        unsafe {
            *cur = v;
            *hi = 0;
        }
        rc::OK
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_db_status(db: *mut sqlite3, op: c_int, cur: *mut c_int, hi: *mut c_int, reset: c_int) -> c_int {
    if cur.is_null() || hi.is_null() {
        return rc::MISUSE;
    }
    let (mut c, mut h) = (0i64, 0i64);
    // SAFETY: forwarded with local outputs.
    let code = unsafe { sqlite3_db_status64(db, op, &mut c, &mut h, reset) };
    if code == rc::OK {
        // SAFETY: checked non-NULL.
        unsafe {
            *cur = c.min(c_int::MAX as i64) as c_int;
            *hi = h.min(c_int::MAX as i64) as c_int;
        }
    }
    code
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_db_release_memory(db: *mut sqlite3) -> c_int {
    // SAFETY: db is the caller's handle. Clean cached pages are dropped
    // (read again when needed), as SQLite's shrinks its page caches.
    guard!(rc::INTERNAL, {
        unsafe {
            with_db(db, rc::MISUSE, |st| {
                let Some(conn) = st.conn.as_mut() else { return rc::MISUSE };
                for d in conn.dbs.iter_mut() {
                    d.btree.release_memory();
                }
                rc::OK
            })
        }
    })
}
