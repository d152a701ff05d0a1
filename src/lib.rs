//! Ferrolite: SQLite's engine, layer by layer, in safe Rust.
//!
//! The layers and their one-way dependencies (see ARCHITECTURE.md):
//! `parse` (tokenizer, parser, AST) → `codegen` (AST to VDBE program) →
//! `vdbe` (bytecode engine) → `btree` (cells, pages, cursors) → `pager`
//! (page cache, rollback journal, locks) → `os` (the VFS). `record` is the
//! on-disk record format shared by the VDBE and the B-tree. `Connection` ties
//! a parsed schema, open databases and prepared statements together; the C
//! ABI in `capi/` is a thin shell around it.

pub mod analyze;
pub mod backup;
pub mod blob;
pub mod btree;
pub mod check;
pub mod checkpointer;
pub mod codegen;
pub mod collation;
pub mod connection;
pub mod error;
pub mod ext;
pub mod os;
pub mod pager;
pub mod parse;
pub mod pragma;
pub mod preupdate;
pub mod record;
pub mod schema;
pub mod serialize;
pub mod snapshot;
pub mod util;
pub mod vacuum;
pub mod wal_hook;
pub mod vtab;
pub mod func;
pub mod value;
pub mod vdbe;

pub use error::{Error, Result};
pub use value::{Value, ValueRef, ValueType};

/// The SQLite release whose behaviour Ferrolite tracks.
pub const SQLITE_VERSION: &str = "3.54.1";
/// `SQLITE_VERSION_NUMBER` for the tracked release.
pub const SQLITE_VERSION_NUMBER: i32 = 3054001;
/// The commit this engine was built from.
pub const FERROLITE_COMMIT: &str = env!("FERROLITE_COMMIT");
