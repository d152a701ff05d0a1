//! Extensions SQLite builds in (SQLITE_ENABLE_*), written on Ferrolite's
//! public engine layers: each registers its virtual-table modules and
//! SQL functions on every new connection, as SQLite's built-in extensions
//! do, so an application may replace or drop them like its own.
//!
//! `rtree/` is the R*Tree module (SQLITE_ENABLE_RTREE); `fts3/` the FTS3
//! and FTS4 full-text modules (SQLITE_ENABLE_FTS3, FTS3_PARENTHESIS, FTS4).

pub mod fts3;
pub mod rtree;

use crate::connection::Connection;
use crate::error::Result;

/// Registers the built-in extensions on a new connection.
pub fn register_builtins(conn: &mut Connection) -> Result<()> {
    rtree::register(conn)?;
    fts3::register(conn)
}
