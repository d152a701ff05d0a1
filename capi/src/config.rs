//! sqlite3_config, sqlite3_db_config, sqlite3_test_control and
//! sqlite3_log: the variadic configuration calls (their C entry points are
//! in capi/csrc/variadic.c, which hands the arguments over one at a time).
//!
//! sqlite3_config follows SQLite's rules: refused with SQLITE_MISUSE once
//! the library is initialized (any sqlite3_initialize, sqlite3_open* or
//! printf call does that) except for SQLITE_CONFIG_LOG; unknown options
//! give SQLITE_ERROR. Threading modes are accepted (Ferrolite always
//! serializes, which is safe under any of them); tuning options with no
//! effect on results (lookaside, page cache buffers, mmap, PMA size,
//! statement-journal spill, small malloc, covering-index scans, memdb
//! size) are accepted; options whose work Ferrolite cannot do (custom
//! allocators, mutex and page-cache implementations) fail with
//! SQLITE_ERROR. docs/COMPAT.md lists them.

use std::ffi::{c_char, c_int, c_void, CStr};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use crate::db::with_db;
use crate::handle::sqlite3;
use crate::printf::CArgs;
use crate::rc;

/// Set by sqlite3_initialize (and everything that initializes), cleared by
/// sqlite3_shutdown.
pub static INITIALIZED: AtomicBool = AtomicBool::new(false);
/// SQLITE_CONFIG_URI: file names are URIs without SQLITE_OPEN_URI.
pub static URI_DEFAULT: AtomicBool = AtomicBool::new(false);
/// SQLITE_CONFIG_MEMSTATUS (kept for sqlite3_config's answer; the counts
/// are always kept).
static MEMSTATUS: AtomicBool = AtomicBool::new(true);
/// SQLITE_CONFIG_LOG: the callback and its argument (0: none).
static LOG_FN: AtomicUsize = AtomicUsize::new(0);
static LOG_ARG: AtomicUsize = AtomicUsize::new(0);

type LogFn = unsafe extern "C" fn(*mut c_void, c_int, *const c_char);

/// Calls the SQLITE_CONFIG_LOG callback, if any, with a message.
pub fn log(code: c_int, msg: &[u8]) {
    let f = LOG_FN.load(Ordering::Acquire);
    if f == 0 {
        return;
    }
    let arg = LOG_ARG.load(Ordering::Acquire) as *mut c_void;
    let m = crate::handle::cstring(msg);
    // SAFETY: a function pointer the application registered with
    // SQLITE_CONFIG_LOG (stored as an address, never 0 here).
    unsafe {
        let f: LogFn = std::mem::transmute::<usize, LogFn>(f);
        f(arg, code, m.as_ptr());
    }
}

pub(crate) unsafe extern "C" fn vt_log(code: c_int, fmt: *const c_char, ap: *mut c_void) {
    if LOG_FN.load(Ordering::Acquire) == 0 || fmt.is_null() {
        return;
    }
    // SAFETY: called by variadic.c with its va_list. SQLite renders into a
    // fixed buffer of SQLITE_MAX_LOG_MESSAGE (700) bytes.
    guard!((), {
        let f = unsafe { CStr::from_ptr(fmt) }.to_bytes();
        let mut args = unsafe { CArgs::new(ap) };
        let mut msg = ferrolite::util::printf::format(f, &mut args, usize::MAX >> 1).unwrap_or_default();
        msg.truncate(699);
        log(code, &msg);
    })
}

// SQLITE_CONFIG_* option numbers.
const SINGLETHREAD: c_int = 1;
const MULTITHREAD: c_int = 2;
const SERIALIZED: c_int = 3;
const MEMSTATUS_OP: c_int = 9;
const LOG_OP: c_int = 16;
const PCACHE_HDRSZ: c_int = 24;

pub(crate) unsafe extern "C" fn vt_config(op: c_int, ap: *mut c_void) -> c_int {
    // SAFETY: called by variadic.c with its va_list; each option reads the
    // arguments SQLite documents for it.
    guard!(rc::INTERNAL, {
        let mut a = unsafe { CArgs::new(ap) };
        if INITIALIZED.load(Ordering::Acquire) && op != LOG_OP && op != PCACHE_HDRSZ {
            return rc::MISUSE;
        }
        match op {
            SINGLETHREAD | MULTITHREAD | SERIALIZED => rc::OK,
            MEMSTATUS_OP => {
                MEMSTATUS.store(a.int() != 0, Ordering::Relaxed);
                rc::OK
            }
            LOG_OP => {
                let f = a.ptr() as usize;
                let arg = a.ptr() as usize;
                LOG_ARG.store(arg, Ordering::Release);
                LOG_FN.store(f, Ordering::Release);
                rc::OK
            }
            // SQLITE_CONFIG_URI.
            17 => {
                URI_DEFAULT.store(a.int() != 0, Ordering::Relaxed);
                rc::OK
            }
            // PAGECACHE (buffer, size, count), LOOKASIDE (size, count),
            // COVERING_INDEX_SCAN, MMAP_SIZE (i64, i64), PMASZ,
            // STMTJRNL_SPILL, SMALL_MALLOC, MEMDB_MAXSIZE (i64): tuning
            // only; the arguments are read and the request accepted.
            7 => {
                a.ptr();
                a.int();
                a.int();
                rc::OK
            }
            13 => {
                a.int();
                a.int();
                rc::OK
            }
            20 | 25 | 26 | 27 => {
                a.int();
                rc::OK
            }
            22 => {
                a.i64();
                a.i64();
                rc::OK
            }
            29 => {
                a.i64();
                rc::OK
            }
            // SQLITE_CONFIG_PCACHE (legacy, a no-op in SQLite too).
            14 => rc::OK,
            // ROWID_IN_VIEW: not allowed in this build, as in SQLite's
            // default build.
            30 => {
                let p = a.ptr() as *mut c_int;
                if !p.is_null() {
                    // SAFETY: an int* argument.
                    unsafe { *p = 0 };
                }
                rc::OK
            }
            // MALLOC / GETMALLOC, MUTEX / GETMUTEX, PCACHE2 / GETPCACHE2,
            // PCACHE_HDRSZ, GETPCACHE, HEAP, SQLLOG and unknown options.
            _ => rc::ERROR,
        }
    })
}

/// The SQLITE_DBCONFIG_* boolean options and the value Ferrolite has for
/// each (SQLite's defaults; none of them can be changed yet).
const DB_FLAGS: &[(c_int, bool)] = &[
    (1002, false), // ENABLE_FKEY: foreign keys are not enforced
    (1003, true),  // ENABLE_TRIGGER
    (1004, false), // ENABLE_FTS3_TOKENIZER
    (1006, false), // NO_CKPT_ON_CLOSE
    (1007, false), // ENABLE_QPSG
    (1008, false), // TRIGGER_EQP
    (1009, false), // RESET_DATABASE
    (1010, false), // DEFENSIVE
    (1011, false), // WRITABLE_SCHEMA
    (1012, false), // LEGACY_ALTER_TABLE
    (1013, true),  // DQS_DML
    (1014, true),  // DQS_DDL
    (1015, true),  // ENABLE_VIEW
    (1016, false), // LEGACY_FILE_FORMAT
    (1017, true),  // TRUSTED_SCHEMA
    (1018, false), // STMT_SCANSTATUS
    (1019, false), // REVERSE_SCANORDER
    (1020, true),  // ENABLE_ATTACH_CREATE
    (1021, true),  // ENABLE_ATTACH_WRITE
    (1022, true),  // ENABLE_COMMENTS
];

pub(crate) unsafe extern "C" fn vt_db_config(db: *mut sqlite3, op: c_int, ap: *mut c_void) -> c_int {
    // SAFETY: called by variadic.c with its va_list; db is the caller's
    // handle.
    guard!(rc::INTERNAL, {
        let mut a = unsafe { CArgs::new(ap) };
        let not_yet = |what: &str| unsafe { with_db(db, rc::MISUSE, |st| st.set_code(rc::ERROR, Some(&format!("{what} is not supported yet")))) };
        match op {
            // MAINDBNAME: renaming "main" is not supported yet.
            1000 => {
                a.ptr();
                not_yet("SQLITE_DBCONFIG_MAINDBNAME")
            }
            // LOOKASIDE (buffer, size, count): no lookaside allocator to
            // configure; accepted as the tuning hint it is.
            1001 => {
                a.ptr();
                a.int();
                a.int();
                unsafe { with_db(db, rc::MISUSE, |_| rc::OK) }
            }
            // FP_DIGITS: Ferrolite renders reals with 17 significant digits.
            1023 => {
                let n = a.int();
                let out = a.ptr() as *mut c_int;
                if n > 3 && n < 24 && n != 17 {
                    return not_yet("changing SQLITE_DBCONFIG_FP_DIGITS");
                }
                if !out.is_null() {
                    // SAFETY: an int* argument.
                    unsafe { *out = 17 };
                }
                unsafe { with_db(db, rc::MISUSE, |_| rc::OK) }
            }
            // ENABLE_LOAD_EXTENSION: the C entry point only (see extension.rs).
            1005 => {
                let onoff = a.int();
                let out = a.ptr() as *mut c_int;
                unsafe {
                    with_db(db, rc::MISUSE, |st| {
                        let on = crate::extension::db_config_load_extension(st, onoff);
                        if !out.is_null() {
                            // SAFETY: an int* argument.
                            *out = c_int::from(on);
                        }
                        rc::OK
                    })
                }
            }
            _ => match DB_FLAGS.iter().find(|(o, _)| *o == op) {
                Some(&(_, value)) => {
                    let onoff = a.int();
                    let out = a.ptr() as *mut c_int;
                    if onoff >= 0 && (onoff > 0) != value {
                        return not_yet(&format!("changing sqlite3_db_config option {op}"));
                    }
                    if !out.is_null() {
                        // SAFETY: an int* argument.
                        unsafe { *out = c_int::from(value) };
                    }
                    unsafe { with_db(db, rc::MISUSE, |_| rc::OK) }
                }
                None => rc::ERROR,
            },
        }
    })
}

/// SQLITE_TESTCTRL_ALWAYS returns its argument and ISINIT reports whether
/// the library is initialized; every other test control returns 0, which
/// is what SQLite returns for a test control it does not have.
pub(crate) unsafe extern "C" fn vt_test_control(op: c_int, ap: *mut c_void) -> c_int {
    // SAFETY: called by variadic.c with its va_list.
    guard!(0, {
        let mut a = unsafe { CArgs::new(ap) };
        match op {
            13 => a.int(),
            23 => {
                if INITIALIZED.load(Ordering::Acquire) {
                    rc::OK
                } else {
                    rc::ERROR
                }
            }
            _ => 0,
        }
    })
}
