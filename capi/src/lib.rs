//! Ferrolite's C ABI: the `sqlite3_*` entry points of libsqlite3.
//!
//! Every exported function catches panics (nothing unwinds into C), checks
//! handles for NULL where SQLite tolerates NULL, and returns SQLITE_MISUSE on
//! misuse. All `unsafe` of the project's C boundary lives in this crate:
//! each block says why the pointer it touches is valid.
//!
//! Layout: `handle` (the sqlite3 / sqlite3_stmt objects and the error
//! state), `memory` (sqlite3_malloc and friends), `db` (open, close,
//! errors, connection-level settings), `stmt` (prepare, bind, step,
//! column), `exec`, `value` (sqlite3_value / sqlite3_context for
//! application functions), `udf` (sqlite3_create_function / create_collation), `auth`
//! (sqlite3_set_authorizer), `blob` (incremental BLOB I/O), `backup` (the online
//! backup API), `serialize` (sqlite3_serialize / deserialize), `global`
//! (library-wide calls), `utf16` (the UTF-16 faces: prepare16, column_*16,
//! value_text16...), `info` (statement and connection information: column
//! origins, table_column_metadata, db_filename, txn_state, stmt_explain...),
//! `filename` (file-name blocks and URI parameters), `misc` (64-bit and
//! encoding-aware binds/results, auxdata, clientdata, keywords, memory
//! accounting), `mutex` (sqlite3_mutex_*), `printf` (sqlite3_mprintf
//! family and sqlite3_str, with the C shim capi/csrc/variadic.c for
//! variadic arguments), `config` (sqlite3_config, db_config, test_control,
//! log), `hooks` (commit / rollback / update hooks), `legacy` (get_table,
//! trace, profile), `status` (compileoption_*, file_control, db_cacheflush), `extension`
//! (load_extension, auto_extension; the API table is capi/csrc/extension_api.c),
//! `vfs` (the VFS registry, Ferrolite's VFSes as C structs, application
//! VFSes as the engine's, sqlite3_database_file_object).

#![allow(non_camel_case_types)]
#![allow(clippy::missing_safety_doc)]

/// Runs `$body`, turning a panic into `$default`: a bug in Ferrolite must
/// never unwind into the C caller.
macro_rules! guard {
    ($default:expr, $body:block) => {
        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| $body)) {
            Ok(v) => v,
            Err(_) => $default,
        }
    };
}

pub mod auth;
pub mod backup;
pub mod blob;
pub mod carray;
pub mod config;
pub mod db;
pub mod exec;
pub mod extension;
pub mod filename;
pub mod global;
pub mod handle;
pub mod hooks;
pub mod info;
pub mod legacy;
pub mod memory;
pub mod misc;
pub mod mutex;
pub mod preupdate;
pub mod printf;
pub mod rtree;
pub mod scanstatus;
pub mod serialize;
pub mod snapshot;
pub mod status;
pub mod stmt;
pub mod udf;
pub mod unlock_notify;
pub mod utf16;
pub mod value;
pub mod vfs;
pub mod vtab;
pub mod wal;

pub use handle::{sqlite3, sqlite3_stmt};

/// The header's 64-bit integer types (`long long` in include/sqlite3.h).
/// Exported signatures name these rather than i64/u64, so that the C
/// prototypes generated from them (tests/header_drift.rs) say
/// `sqlite3_int64` and are compared with the header's typedef, not with
/// `int64_t` (`long` on LP64, a distinct C type).
pub type sqlite3_int64 = i64;
pub type sqlite3_uint64 = u64;
pub type sqlite_int64 = i64;
pub type sqlite_uint64 = u64;

/// Result codes the C layer returns itself.
pub(crate) mod rc {
    pub use ferrolite::error::code::*;
}
