//! Loadable extensions: sqlite3_load_extension, sqlite3_enable_load_extension
//! and the automatic-extension list (sqlite3_auto_extension,
//! sqlite3_cancel_auto_extension, sqlite3_reset_auto_extension).
//!
//! An extension is a shared library with an entry point
//! `int init(sqlite3*, char **pzErrMsg, const sqlite3_api_routines*)`; the
//! table it receives is `fl_api_routines`, built in capi/csrc/extension_api.c
//! with the layout of include/sqlite3ext.h.
//!
//! Invariants:
//!   - Loading is refused ("not authorized") unless the connection enabled
//!     it: sqlite3_enable_load_extension(db, 1) turns on both the C entry
//!     point and the SQL function's permission, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION
//!     only the C entry point (`DbState::load_ext`, bits LOAD_C / LOAD_SQL).
//!   - No borrow of the connection's state is held while an entry point
//!     runs: the extension calls back into the library on the same handle.
//!   - A library whose entry point succeeded stays open until the
//!     connection is freed (`close_libraries`, after the engine has dropped
//!     the functions and modules the library registered); one that returned
//!     SQLITE_OK_LOAD_PERMANENTLY is never closed; a failed one is closed
//!     at once.
//!   - The SQL function load_extension(X[,Y]) is registered on every
//!     connection at open (`register_sql_function`) and refuses with "not
//!     authorized" unless LOAD_SQL is set, i.e. only
//!     sqlite3_enable_load_extension turns it on.
//!   - Automatic extensions run at each later successful open, in
//!     registration order, each registered once; the first failure stops
//!     the list and becomes the open's error.

use std::ffi::{c_char, c_int, c_void, CStr};

use parking_lot::Mutex;

use crate::db::with_db;
use crate::handle::sqlite3;
use crate::memory::alloc_cstring;
use crate::value::{sqlite3_context, sqlite3_value};
use crate::rc;

/// `DbState::load_ext`: sqlite3_load_extension is allowed.
pub const LOAD_C: u8 = 1;
/// `DbState::load_ext`: the SQL function load_extension() is allowed.
pub const LOAD_SQL: u8 = 2;

/// SQLITE_OK_LOAD_PERMANENTLY: an entry point's "keep me loaded".
const OK_LOAD_PERMANENTLY: c_int = 256;

/// The entry point of an extension.
type EntryPoint = unsafe extern "C" fn(*mut sqlite3, *mut *mut c_char, *const c_void) -> c_int;

extern "C" {
    /// capi/csrc/extension_api.c: the table handed to entry points.
    static fl_api_routines: u8;
}

fn api_table() -> *const c_void {
    // Only the address of the C static is taken; Rust never reads it.
    std::ptr::addr_of!(fl_api_routines) as *const c_void
}

/// Entry points registered with sqlite3_auto_extension, as addresses.
static AUTO: Mutex<Vec<usize>> = Mutex::new(Vec::new());

/// The platform suffix tried after the name as given.
const SUFFIX: &str = if cfg!(target_os = "macos") { "dylib" } else { "so" };

/// The text of dlerror(), if the last dl* call left one.
fn dl_error() -> Option<String> {
    // SAFETY: dlerror returns NULL or a NUL-terminated string valid until
    // the next dl* call on this thread; it is copied at once.
    let p = unsafe { libc::dlerror() };
    if p.is_null() {
        None
    } else {
        // SAFETY: non-NULL, NUL-terminated (above).
        Some(unsafe { CStr::from_ptr(p) }.to_string_lossy().into_owned())
    }
}

fn dl_open(name: &[u8]) -> *mut c_void {
    let mut z = name.to_vec();
    z.push(0);
    // SAFETY: `z` is NUL-terminated and outlives the call.
    unsafe { libc::dlopen(z.as_ptr() as *const c_char, libc::RTLD_NOW | libc::RTLD_GLOBAL) }
}

fn dl_sym(handle: *mut c_void, name: &str) -> Option<EntryPoint> {
    let mut z = name.as_bytes().to_vec();
    z.push(0);
    // SAFETY: a live handle from dlopen and a NUL-terminated name.
    let p = unsafe { libc::dlsym(handle, z.as_ptr() as *const c_char) };
    if p.is_null() {
        None
    } else {
        // SAFETY: the symbol is the extension's entry point, which has the
        // sqlite3_loadext_entry signature by the extension API's contract.
        Some(unsafe { std::mem::transmute::<*mut c_void, EntryPoint>(p) })
    }
}

/// The entry-point name derived from a file name when the default one is
/// missing: "sqlite3_" + the base name (without a leading "lib", up to the
/// first '.'), keeping letters (lower-cased) and, on the second try
/// (`digits`), digits; then "_init".
fn derived_entry(file: &[u8], digits: bool) -> String {
    let base_start = file.iter().rposition(|&c| c == b'/').map_or(0, |i| i + 1);
    let mut base = &file[base_start..];
    if base.len() >= 3 && base[..3].eq_ignore_ascii_case(b"lib") {
        base = &base[3..];
    }
    let mut s = String::from("sqlite3_");
    for &c in base.iter().take_while(|&&c| c != b'.') {
        if c.is_ascii_alphabetic() || (digits && c.is_ascii_digit()) {
            s.push(c.to_ascii_lowercase() as char);
        }
    }
    s.push_str("_init");
    s
}

/// SQLITE_MAX_PATHLEN of the unix VFS.
const MAX_PATHLEN: usize = 4096;

/// Loads one extension into `db`: Ok(()) or the error text for *pzErrMsg.
///
/// # Safety
/// `db` is a live handle; `file` and `proc_` are NULL or NUL-terminated.
unsafe fn load(db: *mut sqlite3, file: *const c_char, proc_: *const c_char) -> Result<(), String> {
    // SAFETY: db is a live handle (caller).
    let allowed = unsafe { with_db(db, 0, |st| st.load_ext) } & LOAD_C != 0;
    if !allowed {
        return Err("not authorized".to_string());
    }
    let file: &[u8] = if file.is_null() {
        b""
    } else {
        // SAFETY: non-NULL, NUL-terminated (caller).
        unsafe { CStr::from_ptr(file) }.to_bytes()
    };
    let shown = String::from_utf8_lossy(file).into_owned();
    let not_found = || {
        let shown: String = shown.chars().take(MAX_PATHLEN).collect();
        dl_error().unwrap_or_else(|| format!("unable to open shared library [{shown}]"))
    };
    if file.is_empty() || file.len() > MAX_PATHLEN {
        return Err(not_found());
    }
    let mut handle = dl_open(file);
    if handle.is_null() && file.len() + SUFFIX.len() < MAX_PATHLEN {
        let mut alt = file.to_vec();
        alt.push(b'.');
        alt.extend_from_slice(SUFFIX.as_bytes());
        handle = dl_open(&alt);
    }
    if handle.is_null() {
        return Err(not_found());
    }
    let given = if proc_.is_null() {
        None
    } else {
        // SAFETY: non-NULL, NUL-terminated (caller).
        Some(unsafe { CStr::from_ptr(proc_) }.to_string_lossy().into_owned())
    };
    let mut entry = given.clone().unwrap_or_else(|| "sqlite3_extension_init".to_string());
    let mut init = dl_sym(handle, &entry);
    if init.is_none() && given.is_none() {
        for digits in [false, true] {
            entry = derived_entry(file, digits);
            init = dl_sym(handle, &entry);
            if init.is_some() {
                break;
            }
        }
    }
    let Some(init) = init else {
        let msg = dl_error().unwrap_or_else(|| format!("no entry point [{entry}] in shared library [{shown}]"));
        // SAFETY: a live handle from dlopen, not used afterwards.
        unsafe { libc::dlclose(handle) };
        return Err(msg);
    };
    let mut err: *mut c_char = std::ptr::null_mut();
    // SAFETY: the extension's entry point, called with a live handle, a
    // place for its message and the API table, as the extension API says.
    let code = unsafe { init(db, &mut err, api_table()) };
    if code != rc::OK {
        if code == OK_LOAD_PERMANENTLY {
            if !err.is_null() {
                // SAFETY: the extension allocated it with sqlite3_malloc.
                unsafe { crate::memory::sqlite3_free(err as *mut c_void) };
            }
            return Ok(());
        }
        let text = if err.is_null() {
            String::new()
        } else {
            // SAFETY: the extension's NUL-terminated, sqlite3_malloc'd text.
            let t = unsafe { CStr::from_ptr(err) }.to_string_lossy().into_owned();
            unsafe { crate::memory::sqlite3_free(err as *mut c_void) };
            t
        };
        // SAFETY: a live handle from dlopen, not used afterwards.
        unsafe { libc::dlclose(handle) };
        return Err(format!("error during initialization: {text}"));
    }
    // SAFETY: db is live (caller).
    unsafe { with_db(db, (), |st| st.ext_libs.push(handle as usize)) };
    Ok(())
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_load_extension(db: *mut sqlite3, file: *const c_char, proc_: *const c_char, pz_err: *mut *mut c_char) -> c_int {
    guard!(rc::INTERNAL, {
        if !pz_err.is_null() {
            // SAFETY: a non-NULL out-pointer from the caller.
            unsafe { *pz_err = std::ptr::null_mut() };
        }
        // SAFETY: with_db checks the handle's magic number.
        if unsafe { with_db(db, true, |_| false) } {
            return rc::MISUSE;
        }
        // SAFETY: db is live; the strings are the caller's.
        match unsafe { load(db, file, proc_) } {
            Ok(()) => rc::OK,
            Err(msg) => {
                if !pz_err.is_null() {
                    // SAFETY: as above.
                    unsafe { *pz_err = alloc_cstring(msg.as_bytes()) };
                }
                rc::ERROR
            }
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_enable_load_extension(db: *mut sqlite3, onoff: c_int) -> c_int {
    // SAFETY: with_db checks the handle.
    guard!(rc::INTERNAL, {
        unsafe {
            with_db(db, rc::MISUSE, |st| {
                if onoff != 0 {
                    st.load_ext |= LOAD_C | LOAD_SQL;
                } else {
                    st.load_ext &= !(LOAD_C | LOAD_SQL);
                }
                rc::OK
            })
        }
    })
}

/// SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION: `onoff` < 0 leaves the setting;
/// returns the setting after the call.
pub fn db_config_load_extension(st: &mut crate::handle::DbState, onoff: c_int) -> bool {
    if onoff > 0 {
        st.load_ext |= LOAD_C;
    } else if onoff == 0 {
        st.load_ext &= !LOAD_C;
    }
    st.load_ext & LOAD_C != 0
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_auto_extension(entry: Option<unsafe extern "C" fn()>) -> c_int {
    guard!(rc::INTERNAL, {
        crate::global::sqlite3_initialize();
        let Some(f) = entry else { return rc::MISUSE };
        let mut list = AUTO.lock();
        if !list.contains(&(f as usize)) {
            list.push(f as usize);
        }
        rc::OK
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_cancel_auto_extension(entry: Option<unsafe extern "C" fn()>) -> c_int {
    guard!(0, {
        let Some(f) = entry else { return 0 };
        let mut list = AUTO.lock();
        match list.iter().rposition(|&e| e == f as usize) {
            Some(i) => {
                list.remove(i);
                1
            }
            None => 0,
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_reset_auto_extension() {
    guard!((), {
        AUTO.lock().clear();
    })
}

/// Runs the automatic extensions on a newly opened `db`; on the first
/// failure records "automatic extension loading failed: ..." as the
/// connection's error and returns its code (else SQLITE_OK).
///
/// # Safety
/// `db` is a live handle nothing else uses yet.
pub unsafe fn run_auto_extensions(db: *mut sqlite3) -> c_int {
    let mut i = 0;
    loop {
        // The list is read one entry at a time, unlocked while the entry
        // runs: an entry point may register or cancel others.
        let Some(addr) = AUTO.lock().get(i).copied() else { return rc::OK };
        i += 1;
        // SAFETY: registered by sqlite3_auto_extension from a function
        // pointer, which by the API's contract is an extension entry point.
        let init = unsafe { std::mem::transmute::<usize, EntryPoint>(addr) };
        let mut err: *mut c_char = std::ptr::null_mut();
        // SAFETY: as in load().
        let code = unsafe { init(db, &mut err, api_table()) };
        let text = if err.is_null() {
            String::new()
        } else {
            // SAFETY: the extension's NUL-terminated, sqlite3_malloc'd text.
            let t = unsafe { CStr::from_ptr(err) }.to_string_lossy().into_owned();
            unsafe { crate::memory::sqlite3_free(err as *mut c_void) };
            t
        };
        if code != rc::OK {
            let msg = format!("automatic extension loading failed: {text}");
            // SAFETY: db is live (caller).
            return unsafe { with_db(db, code, |st| st.set_code(code, Some(&msg))) };
        }
    }
}

/// Closes the shared libraries the connection loaded, newest last as
/// SQLite does. Called when the handle is freed, after the engine is gone.
pub fn close_libraries(libs: Vec<usize>) {
    for h in libs {
        // SAFETY: a handle dlopen returned, closed once.
        unsafe { libc::dlclose(h as *mut c_void) };
    }
}

/// load_extension(X[,Y]): sqlite3_load_extension on the calling
/// connection; its error becomes the function's error.
unsafe extern "C" fn load_extension_sql(ctx: *mut sqlite3_context, argc: c_int, argv: *mut *mut sqlite3_value) {
    guard!((), {
        // SAFETY: the engine calls with a live context and `argc` values.
        unsafe {
            let db = crate::value::sqlite3_context_db_handle(ctx);
            if with_db(db, 0, |st| st.load_ext) & LOAD_SQL == 0 {
                crate::value::sqlite3_result_error(ctx, c"not authorized".as_ptr(), -1);
                return;
            }
            let file = crate::value::sqlite3_value_text(*argv) as *const c_char;
            let proc_ = if argc == 2 { crate::value::sqlite3_value_text(*argv.add(1)) as *const c_char } else { std::ptr::null() };
            if file.is_null() {
                return;
            }
            let mut err: *mut c_char = std::ptr::null_mut();
            if sqlite3_load_extension(db, file, proc_, &mut err) != rc::OK {
                crate::value::sqlite3_result_error(ctx, err, -1);
                crate::memory::sqlite3_free(err as *mut c_void);
            }
        }
    })
}

/// Registers load_extension with one and two arguments on a new handle.
///
/// # Safety
/// `db` is a live handle.
pub unsafe fn register_sql_function(db: *mut sqlite3) {
    for n in [1, 2] {
        // SAFETY: a live handle and a static name; the callback has the
        // xFunc signature.
        unsafe {
            crate::udf::sqlite3_create_function(db, c"load_extension".as_ptr(), n, 1, std::ptr::null_mut(), Some(load_extension_sql), None, None);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::derived_entry;

    #[test]
    fn entry_names_follow_the_file_name() {
        assert_eq!(derived_entry(b"/tmp/libhalfext.so", false), "sqlite3_halfext_init");
        assert_eq!(derived_entry(b"ext/Half_Ext2.so.1", false), "sqlite3_halfext_init");
        assert_eq!(derived_entry(b"ext/Half_Ext2.so.1", true), "sqlite3_halfext2_init");
        assert_eq!(derived_entry(b"x", false), "sqlite3_x_init");
    }
}
