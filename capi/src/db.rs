//! Connection-level entry points: open and close, error reporting, busy
//! handling, counters, interrupt, progress handler, limits.

use std::ffi::{c_char, c_int, c_void, CStr};
use std::sync::atomic::Ordering;
use std::sync::{Arc, OnceLock};

use ferrolite::connection::Connection;
use ferrolite::error::errstr;
use ferrolite::os::unix::UnixVfs;
use ferrolite::os::{OpenFlags, Vfs};
use ferrolite::Error;

use crate::handle::{cstring, sqlite3, DbState, MAGIC_CLOSED, MAGIC_OPEN, MAGIC_ZOMBIE};
use crate::rc;

const OPEN_URI: c_int = 0x0000_0040;
const OPEN_MEMORY: c_int = 0x0000_0080;
const OPEN_EXRESCODE: c_int = 0x0200_0000;

/// The default VFS, shared by every connection.
pub fn default_vfs() -> Arc<dyn Vfs> {
    static VFS: OnceLock<Arc<dyn Vfs>> = OnceLock::new();
    VFS.get_or_init(|| Arc::new(UnixVfs::new())).clone()
}

/// Runs `f` on the state of a live connection, with its mutex held;
/// `misuse` when `db` is NULL, closed, or already borrowed by an enclosing
/// call on this thread.
///
/// # Safety
/// `db` is NULL or a pointer returned by sqlite3_open*.
pub unsafe fn with_db<R>(db: *mut sqlite3, misuse: R, f: impl FnOnce(&mut DbState) -> R) -> R {
    if db.is_null() {
        return misuse;
    }
    // SAFETY: the caller passes a handle from sqlite3_open*; its magic
    // number is checked before anything else is read.
    let h = unsafe { &*db };
    let magic = h.magic.load(Ordering::Acquire);
    if magic != MAGIC_OPEN && magic != MAGIC_ZOMBIE {
        return misuse;
    }
    let guard = h.lock.lock();
    let Ok(mut st) = guard.try_borrow_mut() else { return misuse };
    f(&mut st)
}

/// `sqlite3_errstr` texts as C strings, made once.
pub fn errstr_ptr(code: c_int) -> *const c_char {
    static TABLE: OnceLock<Vec<(c_int, std::ffi::CString)>> = OnceLock::new();
    let table = TABLE.get_or_init(|| {
        let mut v: Vec<(c_int, std::ffi::CString)> = (0..=28).map(|c| (c, cstring(errstr(c).as_bytes()))).collect();
        for c in [rc::ROW, rc::DONE, rc::ABORT_ROLLBACK] {
            v.push((c, cstring(errstr(c).as_bytes())));
        }
        v
    });
    let key = match code {
        rc::ROW | rc::DONE | rc::ABORT_ROLLBACK => code,
        c => c & 0xff,
    };
    table.iter().find(|(c, _)| *c == key).map(|(_, s)| s.as_ptr()).unwrap_or(c"unknown error".as_ptr())
}

unsafe fn open_impl(filename: *const c_char, pp_db: *mut *mut sqlite3, flags: c_int, vfs: *const c_char) -> c_int {
    if pp_db.is_null() {
        return rc::MISUSE;
    }
    // SAFETY: pp_db is non-NULL; the caller provides room for one pointer.
    unsafe { *pp_db = std::ptr::null_mut() };
    // Opening initializes the library, as in SQLite.
    crate::global::sqlite3_initialize();
    let flags = if crate::config::URI_DEFAULT.load(std::sync::atomic::Ordering::Relaxed) { flags | OPEN_URI } else { flags };
    // Only READONLY, READWRITE and READWRITE|CREATE are valid.
    if ((1 << (flags & 7)) & 0x46) == 0 {
        return rc::MISUSE;
    }
    let name = if filename.is_null() {
        String::new()
    } else {
        // SAFETY: a non-NULL filename is a NUL-terminated C string. Its
        // bytes are kept, UTF-8 or not, as SQLite passes them to the OS.
        ferrolite::os::fsname::from_bytes(unsafe { CStr::from_ptr(filename) }.to_bytes())
    };
    // SAFETY: a non-NULL VFS name is a NUL-terminated C string.
    let vfs_arg = (!vfs.is_null()).then(|| unsafe { CStr::from_ptr(vfs) }.to_string_lossy().into_owned());
    let opened: Result<Connection, Error> = (|| {
        let (path, flags, vfs_name, uri) = if flags & OPEN_URI != 0 && name.starts_with("file:") {
            // The process-wide shared-cache setting is the default of
            // SQLITE_OPEN_SHAREDCACHE, as in SQLite.
            let mut f = flags as u32;
            if f & OpenFlags::PRIVATECACHE.0 == 0 && crate::global::SHARED_CACHE.load(std::sync::atomic::Ordering::Relaxed) {
                f |= OpenFlags::SHAREDCACHE.0;
            }
            let (p, f) = ferrolite::util::uri::parse(&name, f)?;
            ferrolite::util::uri::check_shared_cache(&p, f)?;
            // A `vfs=` parameter overrides the caller's VFS name.
            (p, f as c_int, ferrolite::util::uri::vfs_param(&name).or(vfs_arg), name.as_str())
        } else {
            (name.clone(), flags, vfs_arg, "")
        };
        let vfs = crate::vfs::resolve(vfs_name.as_deref(), uri)?;
        let path = if flags & OPEN_MEMORY != 0 { ":memory:".to_string() } else { path };
        let mut engine_flags = OpenFlags((flags as u32 & 0x7) | (flags as u32 & OpenFlags::IMMUTABLE.0));
        if !uri.is_empty() {
            // A name read as a URI: the VFS's xOpen sees SQLITE_OPEN_URI.
            engine_flags = engine_flags | OpenFlags::URI;
        }
        let mut conn = Connection::open(vfs, &path, engine_flags)?;
        // ATTACH reads URI file names when the open did, as in SQLite.
        conn.uri_filenames = flags & OPEN_URI != 0;
        Ok(conn)
    })();
    let (handle, code) = match opened {
        Ok(conn) => (sqlite3::new(Some(conn)), rc::OK),
        Err(e) => {
            let h = sqlite3::new(None);
            let code = {
                let g = h.lock.lock();
                let mut st = g.borrow_mut();
                st.set_error(&e);
                e.primary_code()
            };
            (h, code)
        }
    };
    if flags & OPEN_EXRESCODE != 0 {
        let g = handle.lock.lock();
        g.borrow_mut().extended_codes = true;
    }
    {
        let g = handle.lock.lock();
        g.borrow_mut().open_name = name;
    }
    let db = Box::into_raw(handle);
    // SAFETY: pp_db is non-NULL (checked above).
    unsafe { *pp_db = db };
    if code == rc::OK {
        // SAFETY: db was just made and is not shared yet.
        unsafe { crate::extension::register_sql_function(db) };
        // SAFETY: as above.
        unsafe { crate::carray::register(db) };
        // SAFETY: as above.
        return unsafe { crate::extension::run_auto_extensions(db) };
    }
    code
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_open_v2(filename: *const c_char, pp_db: *mut *mut sqlite3, flags: c_int, vfs: *const c_char) -> c_int {
    // SAFETY: arguments are forwarded with the caller's guarantees.
    guard!(rc::INTERNAL, { unsafe { open_impl(filename, pp_db, flags, vfs) } })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_open(filename: *const c_char, pp_db: *mut *mut sqlite3) -> c_int {
    // SAFETY: as for sqlite3_open_v2.
    guard!(rc::INTERNAL, { unsafe { open_impl(filename, pp_db, 6, std::ptr::null()) } })
}

/// sqlite3_open16: the file name in native-order UTF-16 (NUL-terminated);
/// a new database is created in UTF-16 (native order), as SQLite does.
#[no_mangle]
pub unsafe extern "C" fn sqlite3_open16(filename: *const std::ffi::c_void, pp_db: *mut *mut sqlite3) -> c_int {
    guard!(rc::INTERNAL, {
        if pp_db.is_null() {
            return rc::MISUSE;
        }
        let mut units: Vec<u16> = Vec::new();
        if !filename.is_null() {
            let p = filename as *const u16;
            let mut i = 0usize;
            loop {
                // SAFETY: a non-NULL filename is a NUL-terminated UTF-16
                // string; unaligned reads are allowed for.
                let u = unsafe { p.add(i).read_unaligned() };
                if u == 0 {
                    break;
                }
                units.push(u);
                i += 1;
            }
        }
        let mut name = String::from_utf16_lossy(&units).into_bytes();
        name.push(0);
        // SAFETY: `name` is NUL-terminated and outlives the call; pp_db is
        // non-NULL.
        let code = unsafe { open_impl(name.as_ptr() as *const c_char, pp_db, 6, std::ptr::null()) };
        if code == rc::OK {
            // SAFETY: open_impl stored a live handle in *pp_db.
            let h = unsafe { &**pp_db };
            let g = h.lock.lock();
            let mut st = g.borrow_mut();
            if let Some(conn) = st.conn.as_mut() {
                conn.set_encoding(ferrolite::util::TextEncoding::utf16_native());
            }
        }
        code
    })
}

/// Frees a connection handle (its statements are all gone).
///
/// # Safety
/// `db` is a live handle with no remaining statements.
pub unsafe fn free_db(db: *mut sqlite3) {
    // SAFETY: the caller guarantees `db` came from Box::into_raw in
    // open_impl and that nothing refers to it any more.
    let h = unsafe { Box::from_raw(db) };
    h.magic.store(MAGIC_CLOSED, Ordering::Release);
    {
        let g = h.lock.lock();
        let mut st = g.borrow_mut();
        if let Some(conn) = st.conn.as_mut() {
            if !conn.autocommit || conn.active_vms > 0 {
                conn.rollback_all();
            }
        }
        st.conn.close();
    }
    // Client data destructors run last, as in SQLite's close.
    let clientdata = std::mem::take(&mut h.lock.lock().borrow_mut().clientdata);
    for c in clientdata {
        // SAFETY: the application's destructor for its own pointer.
        unsafe { c.destroy() };
    }
    // The sqlite3_autovacuum_pages argument's destructor.
    let autovac = h.lock.lock().borrow_mut().hooks.autovac.take();
    if let Some(a) = autovac {
        // SAFETY: the application's destructor for its own argument.
        unsafe { a.destroy() };
    }
    // Extension libraries last: the functions and destructors above may
    // live in them.
    let libs = std::mem::take(&mut h.lock.lock().borrow_mut().ext_libs);
    crate::extension::close_libraries(libs);
    drop(h);
}

unsafe fn close_impl(db: *mut sqlite3, v2: bool) -> c_int {
    if db.is_null() {
        return rc::OK;
    }
    // SAFETY: `db` is a handle from sqlite3_open*.
    let busy = unsafe {
        with_db(db, None, |st| {
            if st.open_stmts > 0 {
                if !v2 {
                    return Some(st.set_code(rc::BUSY, Some("unable to close due to unfinalized statements or unfinished backups")));
                }
                return Some(-1);
            }
            Some(0)
        })
    };
    match busy {
        None => rc::MISUSE,
        Some(0) => {
            // SAFETY: db is live; TRACE_CLOSE passes the connection.
            let trace = unsafe { with_db(db, None, |st| st.trace) };
            if let Some(t) = trace {
                unsafe { t.fire(crate::handle::TRACE_CLOSE, db as *mut c_void, std::ptr::null_mut()) };
            }
            // SAFETY: no statement remains, so nothing else refers to db.
            unsafe { free_db(db) };
            rc::OK
        }
        Some(-1) => {
            // SAFETY: checked live above.
            unsafe { &*db }.magic.store(MAGIC_ZOMBIE, Ordering::Release);
            rc::OK
        }
        Some(code) => code,
    }
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_close(db: *mut sqlite3) -> c_int {
    // SAFETY: forwarded.
    guard!(rc::INTERNAL, { unsafe { close_impl(db, false) } })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_close_v2(db: *mut sqlite3) -> c_int {
    // SAFETY: forwarded.
    guard!(rc::INTERNAL, { unsafe { close_impl(db, true) } })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_errcode(db: *mut sqlite3) -> c_int {
    if db.is_null() {
        return rc::NOMEM;
    }
    // SAFETY: handle from sqlite3_open*.
    guard!(rc::MISUSE, { unsafe { with_db(db, rc::MISUSE, |st| st.api_code(st.err_code) & if st.extended_codes { !0 } else { 0xff }) } })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_extended_errcode(db: *mut sqlite3) -> c_int {
    if db.is_null() {
        return rc::NOMEM;
    }
    // SAFETY: handle from sqlite3_open*.
    guard!(rc::MISUSE, { unsafe { with_db(db, rc::MISUSE, |st| st.err_code) } })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_errmsg(db: *mut sqlite3) -> *const c_char {
    if db.is_null() {
        return errstr_ptr(rc::NOMEM);
    }
    // SAFETY: handle from sqlite3_open*. The message lives in the
    // connection until the next call that sets an error, as in SQLite.
    guard!(errstr_ptr(rc::MISUSE), {
        unsafe {
            with_db(db, errstr_ptr(rc::MISUSE), |st| {
                if st.err_msg.as_bytes().is_empty() {
                    errstr_ptr(st.err_code)
                } else {
                    st.err_msg.as_ptr()
                }
            })
        }
    })
}

#[no_mangle]
pub extern "C" fn sqlite3_errstr(code: c_int) -> *const c_char {
    guard!(c"unknown error".as_ptr(), { errstr_ptr(code) })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_extended_result_codes(db: *mut sqlite3, onoff: c_int) -> c_int {
    // SAFETY: handle from sqlite3_open*.
    guard!(rc::MISUSE, {
        unsafe {
            with_db(db, rc::MISUSE, |st| {
                st.extended_codes = onoff != 0;
                rc::OK
            })
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_busy_timeout(db: *mut sqlite3, ms: c_int) -> c_int {
    // SAFETY: handle from sqlite3_open*.
    guard!(rc::MISUSE, {
        unsafe {
            with_db(db, rc::MISUSE, |st| match st.conn.as_mut() {
                Some(c) => {
                    c.set_busy_timeout(ms);
                    rc::OK
                }
                None => rc::MISUSE,
            })
        }
    })
}

/// A C busy callback and its argument, called from whichever thread holds
/// the connection.
struct CBusy {
    f: unsafe extern "C" fn(*mut c_void, c_int) -> c_int,
    arg: *mut c_void,
}
// SAFETY: SQLite's contract: the callback may be invoked from any thread
// that uses the connection; the application guarantees that is safe.
unsafe impl Send for CBusy {}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_busy_handler(db: *mut sqlite3, f: Option<unsafe extern "C" fn(*mut c_void, c_int) -> c_int>, arg: *mut c_void) -> c_int {
    // SAFETY: handle from sqlite3_open*.
    guard!(rc::MISUSE, {
        unsafe {
            with_db(db, rc::MISUSE, |st| match st.conn.as_mut() {
                Some(c) => {
                    c.set_busy_timeout(0);
                    c.busy_handler = f.map(|f| {
                        let cb = CBusy { f, arg };
                        Box::new(move |n: i32| {
                            let cb = &cb;
                            // SAFETY (covered by the enclosing unsafe block):
                            // the application's callback with the argument
                            // it registered.
                            (cb.f)(cb.arg, n) != 0
                        }) as Box<dyn FnMut(i32) -> bool + Send>
                    });
                    rc::OK
                }
                None => rc::MISUSE,
            })
        }
    })
}

/// A C progress callback.
struct CProgress {
    f: unsafe extern "C" fn(*mut c_void) -> c_int,
    arg: *mut c_void,
}
// SAFETY: as for CBusy.
unsafe impl Send for CProgress {}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_progress_handler(db: *mut sqlite3, n: c_int, f: Option<unsafe extern "C" fn(*mut c_void) -> c_int>, arg: *mut c_void) {
    // SAFETY: handle from sqlite3_open*.
    guard!((), {
        unsafe {
            with_db(db, (), |st| {
                if let Some(c) = st.conn.as_mut() {
                    c.progress = match f {
                        Some(f) if n > 0 => {
                            let cb = CProgress { f, arg };
                            Some((
                                n as u32,
                                Box::new(move || {
                                    let cb = &cb;
                                    // SAFETY (covered by the enclosing unsafe
                                    // block): the application's callback.
                                    (cb.f)(cb.arg) != 0
                                }) as Box<dyn FnMut() -> bool + Send>,
                            ))
                        }
                        _ => None,
                    };
                }
            })
        }
    })
}

/// Reads from the engine connection of `db`; `default` for a NULL,
/// closed or failed-to-open handle.
fn conn_read<R>(db: *mut sqlite3, default: R, f: impl FnOnce(&Connection) -> R) -> R {
    // SAFETY: callers pass the application's handle through unchanged.
    unsafe { with_db(db, None, |st| st.conn.as_ref().map(f)) }.unwrap_or(default)
}

/// sqlite3_trace_v2: statement starts, result rows, statement timings and
/// connection close, for the events in `mask` (0 or no callback: off).
#[no_mangle]
pub unsafe extern "C" fn sqlite3_trace_v2(db: *mut sqlite3, mask: u32, callback: Option<unsafe extern "C" fn(u32, *mut c_void, *mut c_void, *mut c_void) -> c_int>, ctx: *mut c_void) -> c_int {
    // SAFETY: db is the caller's handle.
    guard!(rc::INTERNAL, {
        unsafe {
            with_db(db, rc::MISUSE, |st| {
                st.trace = match callback {
                    Some(cb) if mask != 0 => Some(crate::handle::Trace { mask, callback: cb, ctx }),
                    _ => None,
                };
                st.legacy_trace = None;
                // SQLite keeps one trace mask: sqlite3_profile stops.
                if let Some(p) = st.profile.as_mut() {
                    p.2 = false;
                }
                rc::OK
            })
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_changes(db: *mut sqlite3) -> c_int {
    guard!(0, { conn_read(db, 0, |c| c.changes) as c_int })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_changes64(db: *mut sqlite3) -> crate::sqlite3_int64 {
    guard!(0, { conn_read(db, 0, |c| c.changes) })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_total_changes(db: *mut sqlite3) -> c_int {
    guard!(0, { conn_read(db, 0, |c| c.total_changes) as c_int })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_total_changes64(db: *mut sqlite3) -> crate::sqlite3_int64 {
    guard!(0, { conn_read(db, 0, |c| c.total_changes) })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_last_insert_rowid(db: *mut sqlite3) -> crate::sqlite3_int64 {
    guard!(0, { conn_read(db, 0, |c| c.last_insert_rowid) })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_set_last_insert_rowid(db: *mut sqlite3, rowid: crate::sqlite3_int64) {
    // SAFETY: handle from sqlite3_open*.
    guard!((), {
        unsafe {
            with_db(db, (), |st| {
                if let Some(c) = st.conn.as_mut() {
                    c.last_insert_rowid = rowid;
                }
            })
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_get_autocommit(db: *mut sqlite3) -> c_int {
    guard!(0, { conn_read(db, 0, |c| i32::from(c.autocommit)) })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_interrupt(db: *mut sqlite3) {
    if db.is_null() {
        return;
    }
    // SAFETY: handle from sqlite3_open*. Only the atomic flag is touched,
    // without the connection mutex, so another thread can interrupt a
    // running statement.
    guard!((), {
        let h = unsafe { &*db };
        if h.magic.load(Ordering::Acquire) == MAGIC_OPEN {
            h.interrupt.store(true, Ordering::Relaxed);
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_is_interrupted(db: *mut sqlite3) -> c_int {
    if db.is_null() {
        return 0;
    }
    // SAFETY: as for sqlite3_interrupt.
    guard!(0, { i32::from(unsafe { &*db }.interrupt.load(Ordering::Relaxed)) })
}

/// SQLITE_LIMIT_LENGTH's id, and the least value sqlite3_limit gives it.
const SQLITE_LIMIT_LENGTH: c_int = 0;
const MIN_LENGTH: c_int = 30;

#[no_mangle]
pub unsafe extern "C" fn sqlite3_limit(db: *mut sqlite3, id: c_int, new_value: c_int) -> c_int {
    // SAFETY: handle from sqlite3_open*.
    guard!(-1, {
        unsafe {
            with_db(db, -1, |st| {
                if id < 0 || id as usize >= st.limits.len() {
                    return -1;
                }
                let old = st.limits[id as usize];
                if new_value >= 0 {
                    let max = crate::handle::LIMIT_DEFAULTS[id as usize];
                    // As SQLite: the length limit is never below 30 bytes.
                    let min = if id == SQLITE_LIMIT_LENGTH { MIN_LENGTH } else { 0 };
                    st.limits[id as usize] = new_value.min(max).max(min);
                    if let Some(c) = st.conn.as_mut() {
                        c.limits[id as usize] = st.limits[id as usize];
                    }
                }
                old
            })
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_db_readonly(db: *mut sqlite3, name: *const c_char) -> c_int {
    // SAFETY: handle from sqlite3_open*; name is NULL or a C string.
    guard!(-1, {
        let want = if name.is_null() { "main".to_string() } else { unsafe { CStr::from_ptr(name) }.to_string_lossy().into_owned() };
        unsafe {
            with_db(db, -1, |st| match st.conn.as_ref() {
                Some(c) => c.dbs.iter().find(|d| d.name.eq_ignore_ascii_case(&want)).map(|d| i32::from(d.btree.is_readonly())).unwrap_or(-1),
                None => -1,
            })
        }
    })
}
