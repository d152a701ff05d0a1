//! The engine through a C VFS without a C compiler: a copy of Ferrolite's
//! own "unix" struct registered under another name is an application VFS
//! (it is not one of the registry's natives), so a connection opened with
//! it runs app.rs over native.rs: every call crosses the C ABI twice.

use std::ffi::CStr;
use std::sync::Arc;

use ferrolite::connection::Connection;
use ferrolite::os::{OpenFlags, Vfs};
use ferrolite::vdbe::StepResult;
use ferrolite::Value;

use super::*;

fn run(conn: &mut Connection, sql: &str) -> Result<Vec<Vec<Value>>, String> {
    let mut rest = sql;
    let mut rows = Vec::new();
    loop {
        let (stmt, tail) = conn.prepare(rest).map_err(|e| e.message().to_string())?;
        let Some(mut stmt) = stmt else { break };
        rows.clear();
        while let StepResult::Row = stmt.step(conn).map_err(|e| e.message().to_string())? {
            rows.push(stmt.row().to_vec());
        }
        stmt.reset(conn).map_err(|e| e.message().to_string())?;
        rest = &rest[tail..];
    }
    Ok(rows)
}

#[test]
fn registry_and_the_engine_through_a_copied_unix_vfs() {
    // SAFETY: the registry's own structs; the copy is leaked (registered
    // VFSes live for the process).
    unsafe {
        let unix = sqlite3_vfs_find(c"unix".as_ptr());
        assert!(!unix.is_null());
        assert_eq!(sqlite3_vfs_find(std::ptr::null()), unix);
        let copy = Box::into_raw(Box::new(std::ptr::read(unix)));
        (*copy).z_name = c"rust-copy".as_ptr();
        assert_eq!(sqlite3_vfs_register(copy, 0), crate::rc::OK);
        assert_eq!(sqlite3_vfs_find(c"rust-copy".as_ptr()), copy);
        assert_eq!((*unix).p_next, copy);
        assert_eq!(CStr::from_ptr((*sqlite3_vfs_find(std::ptr::null())).z_name).to_str().ok(), Some("unix"));

        let vfs = resolve(Some("rust-copy"), "file:x?k=v").unwrap_or_else(|e| panic!("{}", e.message()));
        assert_eq!(vfs.name(), "rust-copy");
        assert!(resolve(Some("no-such"), "").is_err_and(|e| e.message() == "no such vfs: no-such"));

        let dir = std::env::temp_dir().join(format!("ferrolite-capi-vfs-{}", std::process::id()));
        let _ = std::fs::create_dir_all(&dir);
        let path = ferrolite::os::fsname::from_path(&dir.join("t.db"));
        let flags = OpenFlags::READWRITE | OpenFlags::CREATE;
        let open = |v: &Arc<dyn Vfs>| Connection::open(v.clone(), &path, flags).unwrap_or_else(|e| panic!("{}", e.message()));
        let mut a = open(&vfs);
        assert_eq!(run(&mut a, "CREATE TABLE t(x); INSERT INTO t VALUES (1), (2); SELECT sum(x) FROM t"), Ok(vec![vec![Value::Integer(3)]]));
        assert_eq!(run(&mut a, "PRAGMA journal_mode=WAL"), Ok(vec![vec![Value::Text(b"wal".to_vec())]]));
        assert_eq!(run(&mut a, "INSERT INTO t VALUES (3)"), Ok(vec![]));
        let mut b = open(&vfs);
        assert_eq!(run(&mut b, "SELECT sum(x) FROM t"), Ok(vec![vec![Value::Integer(6)]]));
        assert_eq!(run(&mut b, "INSERT INTO t VALUES (4)"), Ok(vec![]));
        assert_eq!(run(&mut a, "SELECT count(*) FROM t"), Ok(vec![vec![Value::Integer(4)]]));
        drop(b);
        drop(a);
        assert!(!dir.join("t.db-wal").exists());
        let _ = std::fs::remove_dir_all(&dir);

        assert_eq!(sqlite3_vfs_unregister(copy), crate::rc::OK);
        assert!(sqlite3_vfs_find(c"rust-copy".as_ptr()).is_null());
        assert_eq!(sqlite3_vfs_unregister(copy), crate::rc::OK);
    }
}
