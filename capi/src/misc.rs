//! The rest of the value, bind and result calls (64-bit lengths, text
//! encodings, sqlite3_value copies, column_value), per-call function
//! metadata (get/set_auxdata), per-connection client data, and small
//! library-wide calls: randomness, strglob, strlike, keywords, memory
//! accounting and heap limits, and the legacy no-op entry points SQLite
//! still exports.

use std::ffi::{c_char, c_int, c_void, CStr, CString};
use std::sync::atomic::{AtomicI64, Ordering};

use ferrolite::util::TextEncoding;
use ferrolite::Value;

use crate::db::with_db;
use crate::handle::{sqlite3, sqlite3_stmt};
use crate::memory;
use crate::rc;
use crate::stmt::{bind, bind_bytes, dispose, with_column, with_stmt, Destructor};
use crate::value::{result_bytes, sqlite3_context, sqlite3_value, with_ctx, with_value};

// ------------------------------------------------------------------- binds

#[no_mangle]
pub unsafe extern "C" fn sqlite3_bind_text64(stmt: *mut sqlite3_stmt, i: c_int, p: *const c_char, n: crate::sqlite3_uint64, del: Destructor, enc: u8) -> c_int {
    guard!(rc::INTERNAL, {
        let n = n as i64;
        // SAFETY: forwarded with the caller's length contract.
        unsafe {
            match enc {
                1 | 16 => bind_bytes(stmt, i, p as *const c_void, n, del, true),
                2 => crate::utf16::bind_text_utf16(stmt, i, p as *const c_void, if n < 0 { n } else { n & !1 }, del, TextEncoding::Utf16le),
                3 => crate::utf16::bind_text_utf16(stmt, i, p as *const c_void, if n < 0 { n } else { n & !1 }, del, TextEncoding::Utf16be),
                4 => crate::utf16::bind_text_utf16(stmt, i, p as *const c_void, if n < 0 { n } else { n & !1 }, del, TextEncoding::utf16_native()),
                _ => {
                    dispose(p as *const c_void, del);
                    rc::MISUSE
                }
            }
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_bind_zeroblob64(stmt: *mut sqlite3_stmt, i: c_int, n: crate::sqlite3_uint64) -> c_int {
    // SAFETY: handle from sqlite3_prepare*. Longer than SQLITE_LIMIT_LENGTH
    // is SQLITE_TOOBIG, as in SQLite.
    guard!(rc::INTERNAL, {
        let limit = unsafe { with_stmt(stmt, None, |db, _| Some(db.limits[0])) };
        let Some(limit) = limit else { return rc::MISUSE };
        if n > limit as u64 {
            return unsafe { with_stmt(stmt, rc::MISUSE, |db, _| db.set_code(rc::TOOBIG, None)) };
        }
        unsafe { bind(stmt, i, Value::Blob(vec![0; n as usize])) }
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_bind_value(stmt: *mut sqlite3_stmt, i: c_int, v: *const sqlite3_value) -> c_int {
    // SAFETY: v is NULL or a value Ferrolite handed out; a copy is bound.
    guard!(rc::INTERNAL, {
        // A pointer value binds as a plain NULL, as in SQLite.
        let val = unsafe { with_value(v as *mut sqlite3_value, Value::Null, |v| if matches!(v.v, Value::Pointer(_)) { Value::Null } else { v.v.clone() }) };
        unsafe { bind(stmt, i, val) }
    })
}

/// The application's destructor of a pointer value, run once, when the
/// last copy of the value is dropped (SQLite runs it when it releases the
/// value: the binding is replaced or cleared, the statement finalized, a
/// function result consumed).
struct PointerDestructor {
    p: usize,
    del: unsafe extern "C" fn(*mut c_void),
}

// SAFETY: the pointer is the application's; Ferrolite never dereferences
// it, and the destructor runs once, with the connection's mutex held or
// when the statement that held the value is finalized — where SQLite runs
// it too.
unsafe impl Send for PointerDestructor {}
// SAFETY: as for Send: shared copies only read `p`.
unsafe impl Sync for PointerDestructor {}

impl Drop for PointerDestructor {
    fn drop(&mut self) {
        // SAFETY: the application's destructor for its own pointer, once.
        unsafe { (self.del)(self.p as *mut c_void) }
    }
}

/// A pointer value of type `ty` (SQLite's MEM_Null with a pointer):
/// NULL to SQL, visible only to sqlite3_value_pointer with the same type.
/// `del` (not SQLITE_STATIC / TRANSIENT) runs when the value goes.
///
/// # Safety
/// `ty` is NULL or a C string.
pub(crate) unsafe fn pointer_value(p: *mut c_void, ty: *const c_char, del: Destructor) -> Value {
    let type_name = if ty.is_null() { Vec::new() } else { unsafe { std::ffi::CStr::from_ptr(ty) }.to_bytes().to_vec() };
    let owner: Option<Box<dyn std::any::Any + Send + Sync>> = match del {
        Some(f) if f as usize as isize != -1 => Some(Box::new(PointerDestructor { p: p as usize, del: f })),
        _ => None,
    };
    Value::Pointer(ferrolite::value::Pointer(std::sync::Arc::new(ferrolite::value::PointerData { addr: p as usize, type_name, owner })))
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_bind_pointer(stmt: *mut sqlite3_stmt, i: c_int, p: *mut c_void, ty: *const c_char, del: Destructor) -> c_int {
    guard!(rc::INTERNAL, {
        // SAFETY: ty is the caller's C string; a failed bind drops the
        // value, which runs the destructor, as SQLite does.
        let v = unsafe { pointer_value(p, ty, del) };
        unsafe { bind(stmt, i, v) }
    })
}

// ----------------------------------------------------------------- results

#[no_mangle]
pub unsafe extern "C" fn sqlite3_result_blob64(ctx: *mut sqlite3_context, p: *const c_void, n: crate::sqlite3_uint64, del: Destructor) {
    guard!((), {
        if n > i32::MAX as u64 {
            // SAFETY: as SQLite: the destructor runs and the result is an
            // SQLITE_TOOBIG error.
            unsafe {
                dispose(p, del);
                crate::value::sqlite3_result_error_toobig(ctx);
            }
            return;
        }
        // SAFETY: forwarded.
        unsafe { result_bytes(ctx, p, n as c_int, del, false) }
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_result_text64(ctx: *mut sqlite3_context, p: *const c_char, n: crate::sqlite3_uint64, del: Destructor, enc: u8) {
    guard!((), {
        let n = if enc == 1 || enc == 16 { n } else { n & !1 };
        if n > i32::MAX as u64 {
            // SAFETY: as for result_blob64.
            unsafe {
                dispose(p as *const c_void, del);
                crate::value::sqlite3_result_error_toobig(ctx);
            }
            return;
        }
        let n = n as i64;
        // SAFETY: forwarded with the caller's length contract.
        unsafe {
            match enc {
                2 => crate::utf16::result_text_utf16(ctx, p as *const c_void, n, del, TextEncoding::Utf16le),
                3 => crate::utf16::result_text_utf16(ctx, p as *const c_void, n, del, TextEncoding::Utf16be),
                4 => crate::utf16::result_text_utf16(ctx, p as *const c_void, n, del, TextEncoding::utf16_native()),
                _ => result_bytes(ctx, p as *const c_void, n as c_int, del, true),
            }
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_result_zeroblob64(ctx: *mut sqlite3_context, n: crate::sqlite3_uint64) -> c_int {
    if ctx.is_null() {
        return rc::MISUSE;
    }
    guard!(rc::INTERNAL, {
        // SAFETY: a live context; its connection's length limit applies.
        let db = unsafe { (*ctx).db };
        let limit = unsafe { with_db(db, 1_000_000_000, |st| st.limits[0]) };
        if n > limit as u64 {
            unsafe { crate::value::sqlite3_result_error_toobig(ctx) };
            return rc::TOOBIG;
        }
        unsafe { with_ctx(ctx, |c| c.result = Value::Blob(vec![0; n as usize])) };
        rc::OK
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_result_pointer(ctx: *mut sqlite3_context, p: *mut c_void, ty: *const c_char, del: Destructor) {
    guard!((), {
        // SAFETY: ty is the caller's C string; the context is live.
        unsafe {
            let v = pointer_value(p, ty, del);
            with_ctx(ctx, |c| c.result = v);
        }
    })
}

/// The pointer of a pointer value whose type is `ty` (NULL for any other
/// value or type).
#[no_mangle]
pub unsafe extern "C" fn sqlite3_value_pointer(v: *mut sqlite3_value, ty: *const c_char) -> *mut c_void {
    guard!(std::ptr::null_mut(), {
        if ty.is_null() {
            return std::ptr::null_mut();
        }
        // SAFETY: ty is a C string; v is NULL or a value Ferrolite made.
        let ty = unsafe { std::ffi::CStr::from_ptr(ty) }.to_bytes();
        unsafe { with_value(v, std::ptr::null_mut(), |v| v.v.pointer(ty).map_or(std::ptr::null_mut(), |a| a as *mut c_void)) }
    })
}

/// True only inside a virtual table's xUpdate for an unchanged column;
/// Ferrolite has no virtual tables, so never.
#[no_mangle]
pub unsafe extern "C" fn sqlite3_value_nochange(v: *mut sqlite3_value) -> c_int {
    // SAFETY: forwarded.
    guard!(0, { unsafe { with_value(v, 0, |v| c_int::from(ferrolite::vtab::is_nochange(&v.v))) } })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_value_encoding(v: *mut sqlite3_value) -> c_int {
    // SAFETY: forwarded.
    guard!(0, { unsafe { with_value(v, 0, |v| if v.v.is_null() { 0 } else { c_int::from(v.enc.get()) }) } })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_column_value(stmt: *mut sqlite3_stmt, i: c_int) -> *mut sqlite3_value {
    // SAFETY: forwarded; the value lives in the column cache until the
    // next step, reset or finalize.
    guard!(std::ptr::null_mut(), {
        unsafe {
            let from_bind = with_stmt(stmt, false, |_, st| st.stmt.program().column_from_bind.get(i.max(0) as usize).copied().unwrap_or(false));
            with_column(stmt, i, std::ptr::null_mut(), |cache, v| {
                let b = cache.value.get_or_insert_with(|| {
                    let mut x = sqlite3_value::new(v.clone());
                    x.from_bind = from_bind;
                    Box::new(x)
                });
                &mut **b as *mut sqlite3_value
            })
        }
    })
}

// --------------------------------------------------------------- auxdata

#[no_mangle]
pub unsafe extern "C" fn sqlite3_get_auxdata(ctx: *mut sqlite3_context, n: c_int) -> *mut c_void {
    if ctx.is_null() {
        return std::ptr::null_mut();
    }
    // SAFETY: a live context.
    guard!(std::ptr::null_mut(), { unsafe { &*ctx }.aux.iter().find(|a| a.0 == n).map(|a| a.1).unwrap_or(std::ptr::null_mut()) })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_set_auxdata(ctx: *mut sqlite3_context, n: c_int, p: *mut c_void, del: Destructor) {
    if ctx.is_null() {
        return;
    }
    // SAFETY: a live context; a replaced entry's destructor runs now, the
    // others when the call ends (the context is dropped).
    guard!((), {
        let c = unsafe { &mut *ctx };
        if let Some(a) = c.aux.iter_mut().find(|a| a.0 == n) {
            let (old, old_del) = (a.1, a.2);
            a.1 = p;
            a.2 = del;
            unsafe { dispose(old, old_del) };
        } else {
            c.aux.push((n, p, del));
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_aggregate_count(ctx: *mut sqlite3_context) -> c_int {
    if ctx.is_null() {
        return 0;
    }
    // SAFETY: a live context.
    guard!(0, { unsafe { &*ctx }.agg_count })
}

// ------------------------------------------------------------ clientdata

/// One sqlite3_set_clientdata entry.
pub struct ClientData {
    name: CString,
    p: *mut c_void,
    del: Destructor,
}

impl ClientData {
    /// Runs the entry's destructor.
    ///
    /// # Safety
    /// Called once, when the entry is replaced, removed or its connection
    /// closes.
    pub unsafe fn destroy(&self) {
        if let Some(f) = self.del {
            // SAFETY: the application's destructor for its own pointer.
            unsafe { f(self.p) };
        }
    }
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_get_clientdata(db: *mut sqlite3, name: *const c_char) -> *mut c_void {
    if name.is_null() {
        return std::ptr::null_mut();
    }
    // SAFETY: db is the caller's handle; name a C string.
    guard!(std::ptr::null_mut(), {
        let n = unsafe { CStr::from_ptr(name) };
        unsafe { with_db(db, std::ptr::null_mut(), |st| st.clientdata.iter().find(|c| c.name.as_c_str() == n).map(|c| c.p).unwrap_or(std::ptr::null_mut())) }
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_set_clientdata(db: *mut sqlite3, name: *const c_char, p: *mut c_void, del: Destructor) -> c_int {
    if name.is_null() {
        return rc::MISUSE;
    }
    guard!(rc::INTERNAL, {
        // SAFETY: a C string.
        let n = unsafe { CStr::from_ptr(name) }.to_owned();
        // The old entry is taken out under the lock and destroyed after it
        // (a destructor may use the connection).
        // SAFETY: db is the caller's handle.
        let (code, old) = unsafe {
            with_db(db, (rc::MISUSE, None), |st| {
                let at = st.clientdata.iter().position(|c| c.name == n);
                match (at, p.is_null()) {
                    (Some(k), true) => (rc::OK, Some(st.clientdata.remove(k))),
                    (Some(k), false) => {
                        let old = std::mem::replace(&mut st.clientdata[k], ClientData { name: n, p, del });
                        (rc::OK, Some(old))
                    }
                    (None, true) => (rc::OK, None),
                    (None, false) => {
                        // Newest first, as SQLite's list.
                        st.clientdata.insert(0, ClientData { name: n, p, del });
                        (rc::OK, None)
                    }
                }
            })
        };
        if let Some(o) = old {
            // SAFETY: the replaced or removed entry, destroyed once.
            unsafe { o.destroy() };
        }
        code
    })
}

// ----------------------------------------------------------- library-wide

#[no_mangle]
pub unsafe extern "C" fn sqlite3_randomness(n: c_int, p: *mut c_void) {
    if n <= 0 || p.is_null() {
        return;
    }
    // SAFETY: the caller provides `n` writable bytes.
    guard!((), {
        let buf = unsafe { std::slice::from_raw_parts_mut(p as *mut u8, n as usize) };
        // The engine's generator (seeded once from the default VFS's
        // xRandomness, an application's default VFS included), which
        // random() and randomblob() share, as in SQLite.
        ferrolite::util::prng::fill(buf, |seed| match crate::vfs::resolve(None, "") {
            Ok(vfs) => vfs.randomness(seed),
            Err(_) => crate::db::default_vfs().randomness(seed),
        });
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_strglob(glob: *const c_char, s: *const c_char) -> c_int {
    if glob.is_null() {
        return i32::from(!s.is_null());
    }
    if s.is_null() {
        return 1;
    }
    // SAFETY: C strings. 0 means a match, as in SQLite.
    guard!(1, {
        let (g, t) = unsafe { (CStr::from_ptr(glob).to_bytes(), CStr::from_ptr(s).to_bytes()) };
        c_int::from(!ferrolite::func::glob_match(g, t))
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_strlike(pattern: *const c_char, s: *const c_char, esc: std::ffi::c_uint) -> c_int {
    if pattern.is_null() {
        return i32::from(!s.is_null());
    }
    if s.is_null() {
        return 1;
    }
    // SAFETY: C strings. 0 means a match; case-insensitive for ASCII.
    guard!(1, {
        let (g, t) = unsafe { (CStr::from_ptr(pattern).to_bytes(), CStr::from_ptr(s).to_bytes()) };
        let esc = if esc == 0 { None } else { char::from_u32(esc) };
        c_int::from(!ferrolite::func::like_match(g, t, esc, false))
    })
}

#[no_mangle]
pub extern "C" fn sqlite3_keyword_count() -> c_int {
    ferrolite::parse::keywords::count() as c_int
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_keyword_name(i: c_int, pz: *mut *const c_char, pn: *mut c_int) -> c_int {
    guard!(rc::INTERNAL, {
        let Some(w) = usize::try_from(i).ok().and_then(ferrolite::parse::keywords::nth) else { return rc::ERROR };
        // SAFETY: output pointers for one pointer and one int. The
        // keyword text is static; it is not NUL-terminated in SQLite
        // either, the length says where it ends.
        unsafe {
            if !pz.is_null() {
                *pz = w.as_ptr() as *const c_char;
            }
            if !pn.is_null() {
                *pn = w.len() as c_int;
            }
        }
        rc::OK
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_keyword_check(z: *const c_char, n: c_int) -> c_int {
    if z.is_null() || n <= 0 {
        return 0;
    }
    // SAFETY: `n` readable bytes.
    guard!(0, {
        let b = unsafe { std::slice::from_raw_parts(z as *const u8, n as usize) };
        c_int::from(std::str::from_utf8(b).ok().and_then(ferrolite::parse::keywords::lookup).is_some())
    })
}

#[no_mangle]
pub extern "C" fn sqlite3_memory_used() -> crate::sqlite3_int64 {
    memory::USED.load(Ordering::Relaxed)
}

#[no_mangle]
pub extern "C" fn sqlite3_memory_highwater(reset: c_int) -> crate::sqlite3_int64 {
    let hi = memory::HIGHWATER.load(Ordering::Relaxed);
    if reset != 0 {
        memory::HIGHWATER.store(memory::USED.load(Ordering::Relaxed), Ordering::Relaxed);
    }
    hi
}

/// sqlite3_soft_heap_limit64: advisory; Ferrolite's page caches do not
/// shrink for it (as SQLite built without memory management).
static SOFT_LIMIT: AtomicI64 = AtomicI64::new(0);

#[no_mangle]
pub extern "C" fn sqlite3_soft_heap_limit64(n: crate::sqlite3_int64) -> crate::sqlite3_int64 {
    let prior = SOFT_LIMIT.load(Ordering::Relaxed);
    if n < 0 {
        return prior;
    }
    // The soft limit never exceeds a hard limit, as in SQLite.
    let hard = memory::HARD_LIMIT.load(Ordering::Relaxed);
    let n = if hard > 0 && (n > hard || n == 0) { hard } else { n };
    SOFT_LIMIT.store(n, Ordering::Relaxed);
    prior
}

#[no_mangle]
pub extern "C" fn sqlite3_soft_heap_limit(n: c_int) {
    sqlite3_soft_heap_limit64(i64::from(n.max(0)));
}

#[no_mangle]
pub extern "C" fn sqlite3_hard_heap_limit64(n: crate::sqlite3_int64) -> crate::sqlite3_int64 {
    let prior = memory::HARD_LIMIT.load(Ordering::Relaxed);
    if n >= 0 {
        memory::HARD_LIMIT.store(n, Ordering::Relaxed);
        let soft = SOFT_LIMIT.load(Ordering::Relaxed);
        if n > 0 && (n < soft || soft == 0) {
            SOFT_LIMIT.store(n, Ordering::Relaxed);
        }
    }
    prior
}

/// As SQLite built without SQLITE_ENABLE_MEMORY_MANAGEMENT (the
/// reference's build): nothing is released, 0 bytes.
#[no_mangle]
pub extern "C" fn sqlite3_release_memory(_n: c_int) -> c_int {
    0
}

#[no_mangle]
pub extern "C" fn sqlite3_os_init() -> c_int {
    // The unix VFS needs no set-up.
    rc::OK
}

#[no_mangle]
pub extern "C" fn sqlite3_os_end() -> c_int {
    rc::OK
}

/// Deprecated; SQLite's does nothing.
#[no_mangle]
pub extern "C" fn sqlite3_thread_cleanup() {}

/// Deprecated; SQLite's returns SQLITE_OK and does nothing.
#[no_mangle]
pub extern "C" fn sqlite3_global_recover() -> c_int {
    rc::OK
}

/// Deprecated; SQLite's ignores its arguments and returns SQLITE_OK.
#[no_mangle]
pub extern "C" fn sqlite3_memory_alarm(_cb: Option<unsafe extern "C" fn(*mut c_void, crate::sqlite3_int64, c_int)>, _arg: *mut c_void, _threshold: crate::sqlite3_int64) -> c_int {
    rc::OK
}

/// As SQLite built without SQLITE_ENABLE_SETLK_TIMEOUT: a range check.
#[no_mangle]
pub unsafe extern "C" fn sqlite3_setlk_timeout(db: *mut sqlite3, ms: c_int, _flags: c_int) -> c_int {
    // SAFETY: db is the caller's handle.
    guard!(rc::INTERNAL, {
        unsafe {
            with_db(db, rc::MISUSE, |_| if ms < -1 { rc::RANGE } else { rc::OK })
        }
    })
}

/// The directories SQLite's unix VFS reads (temp files; data_directory is
/// for Windows). Applications may set them; Ferrolite's VFS keeps temporary
/// data in memory, so temp_directory has no effect yet.
#[no_mangle]
pub static mut sqlite3_temp_directory: *mut c_char = std::ptr::null_mut();
#[no_mangle]
pub static mut sqlite3_data_directory: *mut c_char = std::ptr::null_mut();

#[no_mangle]
pub unsafe extern "C" fn sqlite3_status64(op: c_int, cur: *mut crate::sqlite3_int64, hi: *mut crate::sqlite3_int64, reset: c_int) -> c_int {
    use memory::{COUNT, COUNT_HIGH, HIGHWATER, LARGEST, USED};
    guard!(rc::INTERNAL, {
        if !(0..=9).contains(&op) || cur.is_null() || hi.is_null() {
            return rc::MISUSE;
        }
        let (c, h) = match op {
            0 => {
                let v = (USED.load(Ordering::Relaxed), HIGHWATER.load(Ordering::Relaxed));
                if reset != 0 {
                    HIGHWATER.store(v.0, Ordering::Relaxed);
                }
                v
            }
            5 => {
                let v = (0, LARGEST.load(Ordering::Relaxed));
                if reset != 0 {
                    LARGEST.store(0, Ordering::Relaxed);
                }
                v
            }
            9 => {
                let v = (COUNT.load(Ordering::Relaxed), COUNT_HIGH.load(Ordering::Relaxed));
                if reset != 0 {
                    COUNT_HIGH.store(v.0, Ordering::Relaxed);
                }
                v
            }
            // No page-cache or scratch buffers are configured and the
            // parser keeps no fixed stack: 0, as SQLite reports then.
            _ => (0, 0),
        };
        // SAFETY: checked non-NULL.
        unsafe {
            *cur = c;
            *hi = h;
        }
        rc::OK
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_status(op: c_int, cur: *mut c_int, hi: *mut c_int, reset: c_int) -> c_int {
    if cur.is_null() || hi.is_null() {
        return rc::MISUSE;
    }
    let (mut c, mut h) = (0i64, 0i64);
    // SAFETY: forwarded with local outputs; checked non-NULL.
    let code = unsafe { sqlite3_status64(op, &mut c, &mut h, reset) };
    if code == rc::OK {
        unsafe {
            *cur = c as c_int;
            *hi = h as c_int;
        }
    }
    code
}

// ------------------------------------------------------- overload_function

/// The function sqlite3_overload_function registers: calling it is an
/// error naming it (its user data is the name, freed with sqlite3_free).
unsafe extern "C" fn invalid_function(ctx: *mut sqlite3_context, _n: c_int, _argv: *mut *mut sqlite3_value) {
    // SAFETY: a live context whose user data is the name (a C string).
    guard!((), {
        let name = unsafe { crate::value::sqlite3_user_data(ctx) } as *const c_char;
        let name = if name.is_null() { String::new() } else { unsafe { CStr::from_ptr(name) }.to_string_lossy().into_owned() };
        let msg = format!("unable to use function {name} in the requested context");
        unsafe { with_ctx(ctx, |c| c.error = Some((rc::ERROR, msg))) };
    })
}

unsafe extern "C" fn free_name(p: *mut c_void) {
    // SAFETY: the name block overload_function allocated.
    unsafe { memory::release(p) };
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_overload_function(db: *mut sqlite3, name: *const c_char, n_arg: c_int) -> c_int {
    if name.is_null() || n_arg < -2 {
        return rc::MISUSE;
    }
    guard!(rc::INTERNAL, {
        // SAFETY: a C string.
        let zname = unsafe { CStr::from_ptr(name) }.to_string_lossy().into_owned();
        // SAFETY: db is the caller's handle. As SQLite's FindFunction: -2
        // matches any function of that name, -1 only variadic ones.
        let exists = unsafe {
            with_db(db, None, |st| {
                let conn = st.conn.as_ref()?;
                Some(match n_arg {
                    -2 => conn.udf.function_exists(&zname),
                    -1 => ferrolite::func::builtins().iter().any(|f| f.n_arg < 0 && f.name.eq_ignore_ascii_case(&zname)) || conn.udf.functions().any(|f| f.n_arg < 0 && f.name.eq_ignore_ascii_case(&zname) && f.imp.is_some()),
                    n => !matches!(conn.udf.find_function(&zname, n as usize, conn.enc as u8), ferrolite::func::user::Found::None),
                })
            })
        };
        match exists {
            None => rc::MISUSE,
            Some(true) => rc::OK,
            Some(false) => {
                let copy = memory::alloc_cstring(zname.as_bytes());
                if copy.is_null() {
                    return rc::NOMEM;
                }
                let cb = crate::udf::Callbacks { x_func: Some(invalid_function), x_step: None, x_final: None, x_value: None, x_inverse: None };
                // SAFETY: registers the placeholder; the name is freed by
                // its destructor (at once if the registration fails).
                unsafe { crate::udf::create_function(db, name, n_arg, 1, copy as *mut c_void, cb, Some(free_name)) }
            }
        }
    })
}
