//! sqlite3_serialize and sqlite3_deserialize, around the engine's
//! `ferrolite::serialize` and the memdb file of `ferrolite::os::memdb`.
//!
//! Memory crosses the boundary through sqlite3_malloc's allocator: a
//! serialized copy is a block the application frees with sqlite3_free;
//! a deserialized buffer is used in place, reallocated with
//! sqlite3_realloc64 when RESIZEABLE, and released with sqlite3_free when
//! FREEONCLOSE (also when deserialize fails, as SQLite does; not on
//! misuse — a NULL or closed handle, a negative size — where SQLite's API
//! armor returns before taking the buffer).

use std::ffi::{c_char, c_int, c_void, CStr};
use std::sync::Arc;

use ferrolite::os::memdb::{MemdbAllocator, MemdbFile};
use ferrolite::serialize::{deserialize, serialize, DeserializeError, Serialized};

use crate::db::with_db;
use crate::handle::sqlite3;
use crate::{memory, rc};

/// SQLITE_SERIALIZE_NOCOPY.
const SERIALIZE_NOCOPY: u32 = 1;

/// sqlite3_malloc's allocator, for the engine's memdb files.
struct SqliteAllocator;

impl MemdbAllocator for SqliteAllocator {
    fn realloc(&self, p: *mut u8, n: u64) -> *mut u8 {
        // SAFETY: memdb buffers that get reallocated are sqlite3_malloc
        // blocks (the RESIZEABLE contract of sqlite3_deserialize).
        unsafe { crate::memory::sqlite3_realloc64(p as *mut c_void, n) as *mut u8 }
    }
    fn free(&self, p: *mut u8) {
        // SAFETY: FREEONCLOSE buffers are sqlite3_malloc blocks.
        unsafe { memory::release(p as *mut c_void) }
    }
}

/// The schema argument: NULL means "main".
///
/// # Safety
/// `p` is NULL or a NUL-terminated string.
unsafe fn schema_arg(p: *const c_char) -> String {
    if p.is_null() {
        return "main".to_string();
    }
    // SAFETY: a NUL-terminated C string (caller's contract).
    unsafe { CStr::from_ptr(p) }.to_string_lossy().into_owned()
}

/// A sqlite3_malloc copy of `v` (NULL when it cannot be had).
fn malloc_copy(v: &[u8]) -> *mut u8 {
    let p = memory::alloc(v.len() as u64) as *mut u8;
    if !p.is_null() {
        // SAFETY: `p` is a fresh block of v.len() bytes.
        unsafe { std::ptr::copy_nonoverlapping(v.as_ptr(), p, v.len()) };
    }
    p
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_serialize(db: *mut sqlite3, schema: *const c_char, size: *mut crate::sqlite3_int64, flags: u32) -> *mut u8 {
    guard!(std::ptr::null_mut(), {
        // SAFETY: schema is NULL or a C string.
        let name = unsafe { schema_arg(schema) };
        let set_size = |n: i64| {
            if !size.is_null() {
                // SAFETY: room for one sqlite3_int64 (caller's contract).
                unsafe { *size = n };
            }
        };
        let nocopy = flags & SERIALIZE_NOCOPY != 0;
        // SAFETY: db is the caller's handle (checked by with_db).
        unsafe {
            with_db(db, std::ptr::null_mut(), |st| {
                set_size(-1);
                let Some(conn) = st.conn.as_mut() else { return std::ptr::null_mut() };
                match serialize(conn, &name, !nocopy) {
                    Ok(Serialized::NoDatabase) | Err(_) => std::ptr::null_mut(),
                    Ok(Serialized::Buffer { ptr, size, copy }) => {
                        set_size(size as i64);
                        match copy {
                            None => ptr,
                            Some(v) => malloc_copy(&v),
                        }
                    }
                    Ok(Serialized::Pages { size, copy }) => {
                        set_size(size as i64);
                        match copy {
                            None => std::ptr::null_mut(),
                            Some(v) => malloc_copy(&v),
                        }
                    }
                }
            })
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_deserialize(db: *mut sqlite3, schema: *const c_char, data: *mut u8, sz_db: crate::sqlite3_int64, sz_buf: crate::sqlite3_int64, flags: u32) -> c_int {
    guard!(rc::INTERNAL, {
        // Misuse (as SQLite's API armor): the buffer is not taken over,
        // so it is not freed either.
        if sz_db < 0 || sz_buf < 0 {
            return rc::MISUSE;
        }
        // SAFETY: schema is NULL or a C string.
        let name = unsafe { schema_arg(schema) };
        // SAFETY: db is the caller's handle (checked by with_db).
        let code = unsafe {
            with_db(db, rc::MISUSE, |st| {
                let Some(conn) = st.conn.as_mut() else { return rc::MISUSE };
                // SAFETY: the application gives `data` (sz_buf bytes, of
                // which sz_db hold the database) to this connection until
                // the database is closed or replaced, allocated with
                // sqlite3_malloc when FREEONCLOSE or RESIZEABLE.
                let file = MemdbFile::new(data, sz_db as u64, sz_buf as u64, flags, Arc::new(SqliteAllocator));
                // From here the file owns the buffer: dropping it (when
                // deserialize fails) frees it per the flags, as SQLite
                // frees a FREEONCLOSE buffer when the call fails.
                match deserialize(conn, &name, Box::new(file)) {
                    Ok(()) => {
                        st.clear_error();
                        rc::OK
                    }
                    Err(DeserializeError::BadSchema) => rc::ERROR,
                    Err(DeserializeError::Failed(e)) => st.set_error(&e),
                }
            })
        };
        code
    })
}
