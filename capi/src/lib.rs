//! Ferrolite's C ABI: the `sqlite3_*` entry points of libsqlite3.
//!
//! Every exported function catches panics (nothing unwinds into C), checks
//! handles for NULL where SQLite tolerates NULL, and returns SQLITE_MISUSE on
//! misuse. All `unsafe` of the project's C boundary lives in this crate.
