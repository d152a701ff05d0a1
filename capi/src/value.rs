//! sqlite3_value and sqlite3_context: the objects an application-defined
//! function receives (its arguments) and answers through (its result).
//!
//! Text and blob pointers a value hands out stay valid until the value is
//! converted again or freed, as in SQLite.

use std::cell::RefCell;
use std::ffi::{c_char, c_int, c_void, CStr};

use ferrolite::util::TextEncoding;
use ferrolite::vdbe::mem;
use ferrolite::Value;

use crate::handle::sqlite3;
use crate::rc;
use crate::stmt::{dispose, Destructor};

/// A protected or unprotected SQL value.
pub struct sqlite3_value {
    pub v: Value,
    cache: RefCell<Option<Vec<u8>>>,
    /// The text in UTF-16 (value_text16*): its encoding and the units.
    cache16: RefCell<Option<(TextEncoding, Vec<u16>)>>,
    /// The encoding the text was last asked for in (value_encoding):
    /// SQLite converts a value in place, so this is what it reports.
    pub enc: std::cell::Cell<u8>,
    /// The value is a bound parameter's, as bound (sqlite3_value_frombind).
    pub from_bind: bool,
    /// The subtype a function gave it (sqlite3_value_subtype).
    pub subtype: u8,
}

impl sqlite3_value {
    pub fn new(v: Value) -> sqlite3_value {
        sqlite3_value { v, cache: RefCell::new(None), cache16: RefCell::new(None), enc: std::cell::Cell::new(1), from_bind: false, subtype: 0 }
    }

    /// The value's text in UTF-16 `enc`, NUL-terminated; NULL for SQL NULL.
    /// Valid until the value is converted to another encoding or freed.
    pub fn text16_ptr(&self, enc: TextEncoding) -> *const c_void {
        if self.v.is_null() {
            return std::ptr::null();
        }
        let mut c = self.cache16.borrow_mut();
        if c.as_ref().map(|(e, _)| *e) != Some(enc) {
            *c = Some((enc, crate::utf16::to_units(&mem::text_of(self.v.as_ref()), enc)));
        }
        self.enc.set(enc as u8);
        c.as_ref().map(|(_, u)| u.as_ptr() as *const c_void).unwrap_or(std::ptr::null())
    }
}

/// The context of one call of an application function.
pub struct sqlite3_context {
    pub result: Value,
    /// An error the function reported: code and message.
    pub error: Option<(c_int, String)>,
    pub user_data: *mut c_void,
    pub db: *mut sqlite3,
    /// The aggregate context block (sqlite3_aggregate_context), zeroed on
    /// first request and owned by the aggregate's state.
    pub agg: *mut c_void,
    /// sqlite3_set_auxdata entries (argument, pointer, destructor): kept
    /// for this call, destroyed when it ends.
    pub aux: Vec<(c_int, *mut c_void, Destructor)>,
    /// sqlite3_aggregate_count: xStep calls so far for the group.
    pub agg_count: c_int,
    /// sqlite3_result_subtype (0: none).
    pub subtype: u8,
}

impl Drop for sqlite3_context {
    fn drop(&mut self) {
        for (_, p, del) in std::mem::take(&mut self.aux) {
            // SAFETY: the application's destructor for its metadata, run
            // once when the call that set it ends.
            unsafe { dispose(p, del) };
        }
    }
}

impl sqlite3_context {
    /// A context for one call: no result yet (NULL), no error.
    pub fn new(user_data: *mut c_void, db: *mut sqlite3) -> sqlite3_context {
        sqlite3_context { result: Value::Null, error: None, user_data, db, agg: std::ptr::null_mut(), aux: Vec::new(), agg_count: 0, subtype: 0 }
    }
}

/// Runs `f` on a value; `default` for NULL.
///
/// # Safety
/// `v` is NULL or a value handed to the application by Ferrolite.
pub(crate) unsafe fn with_value<R>(v: *mut sqlite3_value, default: R, f: impl FnOnce(&sqlite3_value) -> R) -> R {
    if v.is_null() {
        return default;
    }
    // SAFETY: the caller's contract.
    f(unsafe { &*v })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_value_type(v: *mut sqlite3_value) -> c_int {
    // SAFETY: forwarded.
    guard!(5, { unsafe { with_value(v, 5, |v| v.v.value_type() as c_int) } })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_value_int64(v: *mut sqlite3_value) -> crate::sqlite3_int64 {
    // SAFETY: forwarded.
    guard!(0, { unsafe { with_value(v, 0, |v| mem::to_integer(v.v.as_ref())) } })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_value_int(v: *mut sqlite3_value) -> c_int {
    // SAFETY: forwarded.
    guard!(0, { unsafe { with_value(v, 0, |v| mem::to_integer(v.v.as_ref()) as c_int) } })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_value_double(v: *mut sqlite3_value) -> f64 {
    // SAFETY: forwarded.
    guard!(0.0, { unsafe { with_value(v, 0.0, |v| mem::to_real(v.v.as_ref())) } })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_value_text(v: *mut sqlite3_value) -> *const u8 {
    // SAFETY: forwarded; the text lives in the value's cache.
    guard!(std::ptr::null(), {
        unsafe {
            with_value(v, std::ptr::null(), |v| {
                if v.v.is_null() {
                    return std::ptr::null();
                }
                v.enc.set(1);
                let mut c = v.cache.borrow_mut();
                let t = c.get_or_insert_with(|| {
                    let mut t = mem::text_of(v.v.as_ref()).into_owned();
                    t.push(0);
                    t
                });
                t.as_ptr()
            })
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_value_blob(v: *mut sqlite3_value) -> *const c_void {
    // SAFETY: forwarded.
    guard!(std::ptr::null(), {
        unsafe {
            with_value(v, std::ptr::null(), |v| match &v.v {
                Value::Null => std::ptr::null(),
                Value::Blob(b) | Value::Text(b) if b.is_empty() => std::ptr::null(),
                Value::Blob(b) | Value::Text(b) => b.as_ptr() as *const c_void,
                other => {
                    let mut c = v.cache.borrow_mut();
                    let t = c.get_or_insert_with(|| mem::text_of(other.as_ref()).into_owned());
                    t.as_ptr() as *const c_void
                }
            })
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_value_bytes(v: *mut sqlite3_value) -> c_int {
    // SAFETY: forwarded.
    guard!(0, {
        unsafe {
            with_value(v, 0, |v| match &v.v {
                Value::Null => 0,
                Value::Blob(b) | Value::Text(b) => b.len() as c_int,
                other => mem::text_of(other.as_ref()).len() as c_int,
            })
        }
    })
}

/// Runs `f` on a function context (nothing for NULL).
pub(crate) unsafe fn with_ctx(ctx: *mut sqlite3_context, f: impl FnOnce(&mut sqlite3_context)) {
    if ctx.is_null() {
        return;
    }
    // SAFETY: a context is only handed to the function Ferrolite calls and
    // is used by it during that call.
    f(unsafe { &mut *ctx })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_result_null(ctx: *mut sqlite3_context) {
    // SAFETY: forwarded.
    guard!((), { unsafe { with_ctx(ctx, |c| c.result = Value::Null) } })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_result_int64(ctx: *mut sqlite3_context, v: crate::sqlite3_int64) {
    // SAFETY: forwarded.
    guard!((), { unsafe { with_ctx(ctx, |c| c.result = Value::Integer(v)) } })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_result_int(ctx: *mut sqlite3_context, v: c_int) {
    // SAFETY: forwarded.
    guard!((), { unsafe { with_ctx(ctx, |c| c.result = Value::Integer(i64::from(v))) } })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_result_double(ctx: *mut sqlite3_context, v: f64) {
    // SAFETY: forwarded.
    guard!((), { unsafe { with_ctx(ctx, |c| c.result = if v.is_nan() { Value::Null } else { Value::Real(v) }) } })
}

pub(crate) unsafe fn result_bytes(ctx: *mut sqlite3_context, p: *const c_void, n: c_int, del: Destructor, text: bool) {
    let v = if p.is_null() {
        Value::Null
    } else {
        let len = if n < 0 {
            // SAFETY: a text with negative length is NUL-terminated.
            unsafe { CStr::from_ptr(p as *const c_char) }.to_bytes().len()
        } else {
            n as usize
        };
        // SAFETY: `len` readable bytes at p.
        let bytes = unsafe { std::slice::from_raw_parts(p as *const u8, len) }.to_vec();
        if text {
            Value::Text(bytes)
        } else {
            Value::Blob(bytes)
        }
    };
    // SAFETY: forwarded, then the application's destructor for p.
    unsafe {
        with_ctx(ctx, |c| c.result = v);
        dispose(p, del);
    }
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_result_text(ctx: *mut sqlite3_context, p: *const c_char, n: c_int, del: Destructor) {
    // SAFETY: forwarded.
    guard!((), { unsafe { result_bytes(ctx, p as *const c_void, n, del, true) } })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_result_blob(ctx: *mut sqlite3_context, p: *const c_void, n: c_int, del: Destructor) {
    // SAFETY: forwarded.
    guard!((), { unsafe { result_bytes(ctx, p, n.max(0), del, false) } })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_result_error(ctx: *mut sqlite3_context, msg: *const c_char, n: c_int) {
    // SAFETY: msg is a C string (n < 0) or n readable bytes.
    guard!((), {
        let text = if msg.is_null() {
            String::new()
        } else if n < 0 {
            unsafe { CStr::from_ptr(msg) }.to_string_lossy().into_owned()
        } else {
            String::from_utf8_lossy(unsafe { std::slice::from_raw_parts(msg as *const u8, n as usize) }).into_owned()
        };
        unsafe { with_ctx(ctx, |c| c.error = Some((rc::ERROR, text))) }
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_result_error_nomem(ctx: *mut sqlite3_context) {
    // SAFETY: forwarded.
    guard!((), { unsafe { with_ctx(ctx, |c| c.error = Some((rc::NOMEM, "out of memory".to_string()))) } })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_result_error_toobig(ctx: *mut sqlite3_context) {
    // SAFETY: forwarded.
    guard!((), { unsafe { with_ctx(ctx, |c| c.error = Some((rc::TOOBIG, "string or blob too big".to_string()))) } })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_user_data(ctx: *mut sqlite3_context) -> *mut c_void {
    if ctx.is_null() {
        return std::ptr::null_mut();
    }
    // SAFETY: a live context (see with_ctx).
    guard!(std::ptr::null_mut(), { unsafe { &*ctx }.user_data })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_context_db_handle(ctx: *mut sqlite3_context) -> *mut sqlite3 {
    if ctx.is_null() {
        return std::ptr::null_mut();
    }
    // SAFETY: a live context (see with_ctx).
    guard!(std::ptr::null_mut(), { unsafe { &*ctx }.db })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_aggregate_context(ctx: *mut sqlite3_context, n: c_int) -> *mut c_void {
    if ctx.is_null() {
        return std::ptr::null_mut();
    }
    // SAFETY: a live context; the block is zeroed on allocation.
    guard!(std::ptr::null_mut(), {
        let c = unsafe { &mut *ctx };
        if c.agg.is_null() && n > 0 {
            let p = crate::memory::alloc(n as u64);
            if !p.is_null() {
                unsafe { std::ptr::write_bytes(p as *mut u8, 0, n as usize) };
            }
            c.agg = p;
        }
        c.agg
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_result_error_code(ctx: *mut sqlite3_context, code: c_int) {
    // SAFETY: forwarded. Keeps a message already set; otherwise the
    // code's generic text, as SQLite does.
    guard!((), {
        unsafe {
            with_ctx(ctx, |c| {
                let msg = match c.error.take() {
                    Some((_, m)) => m,
                    None => ferrolite::error::errstr(code).to_string(),
                };
                c.error = Some((code, msg));
            })
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_result_value(ctx: *mut sqlite3_context, v: *mut sqlite3_value) {
    // SAFETY: forwarded; v is NULL or a value Ferrolite handed out.
    guard!((), {
        // The value's subtype comes with it, as in SQLite.
        let (val, sub) = unsafe { with_value(v, (Value::Null, 0), |v| (v.v.clone(), v.subtype)) };
        unsafe {
            with_ctx(ctx, |c| {
                c.result = val;
                c.subtype = sub;
            })
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_result_zeroblob(ctx: *mut sqlite3_context, n: c_int) {
    // SAFETY: forwarded.
    guard!((), { unsafe { with_ctx(ctx, |c| c.result = Value::Blob(vec![0; n.max(0) as usize])) } })
}

/// The result's subtype: its low 8 bits, as SQLite keeps them. It reaches
/// a function whose argument this call is (sqlite3_value_subtype).
#[no_mangle]
pub unsafe extern "C" fn sqlite3_result_subtype(ctx: *mut sqlite3_context, t: std::ffi::c_uint) {
    // SAFETY: forwarded; ctx is NULL or the context of the running call.
    guard!((), { unsafe { with_ctx(ctx, |c| c.subtype = (t & 0xff) as u8) } })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_value_subtype(v: *mut sqlite3_value) -> std::ffi::c_uint {
    // SAFETY: v is NULL or a value Ferrolite handed out.
    guard!(0, { unsafe { with_value(v, 0, |v| std::ffi::c_uint::from(v.subtype)) } })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_value_dup(v: *const sqlite3_value) -> *mut sqlite3_value {
    // SAFETY: v is NULL or a value Ferrolite handed out.
    guard!(std::ptr::null_mut(), {
        unsafe { with_value(v as *mut sqlite3_value, std::ptr::null_mut(), |v| {
                let mut d = sqlite3_value::new(v.v.clone());
                d.from_bind = v.from_bind;
                d.subtype = v.subtype;
                Box::into_raw(Box::new(d))
            }) }
    })
}

/// True when the value is a bound parameter's as bound: an application
/// function's argument written as `?`, `:name`... (possibly under CAST),
/// or a result column that is one (sqlite3_column_value); a copy made by
/// sqlite3_value_dup keeps the mark, as in SQLite.
#[no_mangle]
pub unsafe extern "C" fn sqlite3_value_frombind(v: *mut sqlite3_value) -> c_int {
    // SAFETY: forwarded.
    guard!(0, { unsafe { with_value(v, 0, |v| c_int::from(v.from_bind)) } })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_value_free(v: *mut sqlite3_value) {
    if v.is_null() {
        return;
    }
    // SAFETY: only values from sqlite3_value_dup may be freed.
    guard!((), { drop(unsafe { Box::from_raw(v) }) })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_value_numeric_type(v: *mut sqlite3_value) -> c_int {
    if v.is_null() {
        return 5;
    }
    // SAFETY: a value handed to the application, which may convert it in
    // place (SQLite applies numeric affinity to it).
    guard!(5, {
        let v = unsafe { &mut *v };
        if matches!(v.v, Value::Text(_)) {
            v.v = mem::apply_affinity(std::mem::take(&mut v.v), mem::Affinity::Numeric);
            *v.cache.borrow_mut() = None;
            *v.cache16.borrow_mut() = None;
        }
        v.v.value_type() as c_int
    })
}
