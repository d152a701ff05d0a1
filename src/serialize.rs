//! sqlite3_serialize and sqlite3_deserialize, engine side.
//!
//! Serialize: the image of one database of a connection as the bytes of
//! its file would be — every page, page 1 first. A deserialized database
//! (`os::memdb`) is its buffer, which can be handed out without a copy;
//! any other database is read page by page in a read transaction (an
//! empty database is first given its page 1 in a write transaction, as
//! SQLite's "BEGIN IMMEDIATE; COMMIT" does, so the image is never empty).
//!
//! Deserialize: database `main` or an attached one is closed and opened
//! again on a `MemdbFile` over the caller's buffer, with its journal in
//! memory. The new buffer is not looked at until first use, so one that
//! is not a database gives SQLite's "file is not a database" then (but,
//! as in SQLite, the schemas in place must be readable: SQLite prepares
//! an ATTACH statement to do the swap). Statements
//! compiled before are recompiled (the attach generation moves).
//!
//! Invariants: a database is only replaced while no transaction is open
//! on it and no backup reads it; TEMP is never replaced.

use crate::btree::{Btree, TxnState};
use crate::connection::Connection;
use crate::error::{code, Error, Result};
use crate::os::VfsFile;
use crate::schema::TEMP_DB;

/// What serialize found.
pub enum Serialized {
    /// No such database (or TEMP, never opened).
    NoDatabase,
    /// A deserialized database: its buffer (valid until the next write)
    /// and, when asked for, a copy of its bytes.
    Buffer { ptr: *mut u8, size: u64, copy: Option<Vec<u8>> },
    /// Any other database: its size and, when asked for, its pages.
    Pages { size: u64, copy: Option<Vec<u8>> },
}

/// Serializes database `schema` of `conn`; `copy` asks for the bytes
/// (SQLite's flags without SQLITE_SERIALIZE_NOCOPY).
pub fn serialize(conn: &mut Connection, schema: &str, copy: bool) -> Result<Serialized> {
    let Some(db) = conn.db_index(schema) else { return Ok(Serialized::NoDatabase) };
    if db == TEMP_DB && !conn.dbs[db].used {
        return Ok(Serialized::NoDatabase);
    }
    let bt = &mut conn.dbs[db].btree;
    if let Some(m) = bt.pager_mut().vfs_file().and_then(|f| f.as_memdb()) {
        let (ptr, size) = m.raw();
        let copy = copy.then(|| m.to_vec());
        return Ok(Serialized::Buffer { ptr, size, copy });
    }
    let opened = bt.txn_state() == TxnState::None;
    conn.begin_transaction(db, false)?;
    let r = read_pages(conn, db, copy, opened);
    if opened {
        let _ = conn.dbs[db].btree.commit();
    }
    r
}

fn read_pages(conn: &mut Connection, db: usize, copy: bool, opened: bool) -> Result<Serialized> {
    if conn.dbs[db].btree.db_size() == 0 && opened && conn.autocommit {
        // An empty database gets its page 1 first.
        conn.dbs[db].btree.commit()?;
        conn.begin_transaction(db, true)?;
        conn.dbs[db].btree.commit()?;
        conn.begin_transaction(db, false)?;
    }
    let bt = &mut conn.dbs[db].btree;
    let n = bt.db_size();
    let ps = bt.page_size() as u64;
    let size = n as u64 * ps;
    if !copy {
        return Ok(Serialized::Pages { size, copy: None });
    }
    let len = usize::try_from(size).map_err(|_| Error::code(code::NOMEM))?;
    let mut out = Vec::new();
    out.try_reserve_exact(len).map_err(|_| Error::code(code::NOMEM))?;
    for pg in 1..=n {
        match bt.page_data(pg) {
            Ok(d) => out.extend_from_slice(d),
            // As SQLite: a page that cannot be read comes out as zeros.
            Err(_) => out.resize(out.len() + ps as usize, 0),
        }
    }
    Ok(Serialized::Pages { size, copy: Some(out) })
}

/// Why deserialize refused.
#[derive(Debug)]
pub enum DeserializeError {
    /// TEMP or an unknown name: SQLITE_ERROR, the connection's error
    /// state untouched (as SQLite).
    BadSchema,
    /// The database is in use: the error goes on the connection.
    Failed(Error),
}

/// Replaces database `schema` of `conn` with one stored in `file`.
pub fn deserialize(conn: &mut Connection, schema: &str, file: Box<dyn VfsFile>) -> std::result::Result<(), DeserializeError> {
    let db = match conn.db_index(schema) {
        Some(db) if db != TEMP_DB => db,
        _ => return Err(DeserializeError::BadSchema),
    };
    // SQLite reopens the database by preparing an ATTACH statement,
    // which reads every schema first: an unreadable one fails here.
    conn.schemas_for_prepare().map_err(DeserializeError::Failed)?;
    let bt = &conn.dbs[db].btree;
    if bt.txn_state() != TxnState::None || bt.watch_count() > 0 {
        return Err(DeserializeError::Failed(Error::code(code::BUSY)));
    }
    let vfs = conn.vfs().clone();
    conn.dbs[db].btree = Btree::open_on_file(vfs, file, "");
    conn.dbs[db].schema = None;
    conn.attach_generation += 1;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::os::memdb;
    use crate::os::{OpenFlags, UnixVfs};
    use std::sync::Arc;

    fn exec(c: &mut Connection, sql: &str) -> Result<()> {
        let mut rest = sql.to_string();
        while !rest.trim().is_empty() {
            let (st, used) = c.prepare(&rest)?;
            if let Some(mut st) = st {
                while st.step(c)? == crate::vdbe::StepResult::Row {}
            }
            rest = rest[used..].to_string();
        }
        Ok(())
    }

    fn conn() -> Connection {
        Connection::open(Arc::new(UnixVfs::new()), ":memory:", OpenFlags::READWRITE | OpenFlags::CREATE).unwrap()
    }

    fn bytes(s: Serialized) -> Vec<u8> {
        match s {
            Serialized::Pages { copy: Some(v), .. } | Serialized::Buffer { copy: Some(v), .. } => v,
            _ => panic!("no bytes"),
        }
    }

    #[test]
    fn round_trip() {
        let mut a = conn();
        // An empty database serializes as one page.
        assert_eq!(bytes(serialize(&mut a, "main", true).unwrap()).len(), 4096);
        exec(&mut a, "CREATE TABLE t(x); INSERT INTO t VALUES('hello')").unwrap();
        let img = bytes(serialize(&mut a, "main", true).unwrap());
        assert!(matches!(serialize(&mut a, "nope", true).unwrap(), Serialized::NoDatabase));
        assert!(matches!(serialize(&mut a, "temp", true).unwrap(), Serialized::NoDatabase));
        let mut b = conn();
        let f = memdb::from_bytes(&img, 0).unwrap();
        deserialize(&mut b, "main", Box::new(f)).unwrap();
        exec(&mut b, "INSERT INTO t VALUES('again')").unwrap();
        // Same size, so the fixed buffer holds it; the buffer is the file.
        let img2 = serialize(&mut b, "main", true).unwrap();
        assert!(matches!(img2, Serialized::Buffer { size, .. } if size == img.len() as u64));
        // Growing past a fixed buffer: SQLITE_FULL.
        let e = exec(&mut b, "INSERT INTO t VALUES(zeroblob(10000))").unwrap_err();
        assert_eq!(e.primary_code(), code::FULL);
        assert!(matches!(deserialize(&mut b, "temp", Box::new(memdb::from_bytes(&img, 0).unwrap())), Err(DeserializeError::BadSchema)));
    }

    #[test]
    fn readonly_and_corrupt_buffers() {
        let mut a = conn();
        exec(&mut a, "CREATE TABLE t(x)").unwrap();
        let img = bytes(serialize(&mut a, "main", true).unwrap());
        let mut b = conn();
        deserialize(&mut b, "main", Box::new(memdb::from_bytes(&img, memdb::READONLY).unwrap())).unwrap();
        exec(&mut b, "SELECT * FROM t").unwrap();
        assert_eq!(exec(&mut b, "INSERT INTO t VALUES(1)").unwrap_err().primary_code(), code::READONLY);
        // Any rollback journal mode may be named; rollbacks work in each.
        let mut d = conn();
        deserialize(&mut d, "main", Box::new(memdb::from_bytes(&img, memdb::RESIZEABLE).unwrap())).unwrap();
        for mode in ["delete", "truncate", "persist", "off", "memory"] {
            exec(&mut d, &format!("PRAGMA journal_mode={mode}; BEGIN; INSERT INTO t VALUES(zeroblob(9000)); ROLLBACK")).unwrap();
        }
        exec(&mut d, "PRAGMA journal_mode=delete; BEGIN; INSERT INTO t VALUES(zeroblob(9000)); ROLLBACK").unwrap();
        let (st, _) = d.prepare("SELECT count(*) FROM t").unwrap();
        let mut st = st.unwrap();
        st.step(&mut d).unwrap();
        assert_eq!(st.row()[0], crate::value::Value::Integer(0));
        let mut c = conn();
        deserialize(&mut c, "main", Box::new(memdb::from_bytes(b"\0\x01\x03", 0).unwrap())).unwrap();
        let e = exec(&mut c, "CREATE TABLE fail(f)").unwrap_err();
        assert_eq!(e.primary_code(), code::NOTADB);
    }
}
