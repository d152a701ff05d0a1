//! The UTF-16 faces of the C API: prepare16, bind_text16, column_*16,
//! value_text16*, result_text16*, errmsg16, complete16, create_function16,
//! create_collation16 and collation_needed[16].
//!
//! Ferrolite keeps text as UTF-8 inside the engine; each UTF-16 call
//! converts at the boundary. "UTF-16" without a byte order means this
//! machine's order (SQLITE_UTF16NATIVE). Pointer lifetimes follow SQLite:
//! a column's UTF-16 text lives until the next step, reset or finalize;
//! column names until the statement is finalized or recompiled; a value's
//! text until the value is converted again or freed; errmsg16 until the
//! next call on the connection.

use std::ffi::{c_char, c_int, c_void, CString};
use std::sync::OnceLock;

use ferrolite::util::utf16::{decode_text, encode_text};
use ferrolite::util::TextEncoding;
use ferrolite::vdbe::mem;
use ferrolite::Value;

use crate::db::with_db;
use crate::handle::{sqlite3, sqlite3_stmt};
use crate::rc;
use crate::stmt::{dispose, with_stmt, Destructor};
use crate::value::{sqlite3_context, sqlite3_value};

/// SQLITE_UTF16LE / SQLITE_UTF16BE / SQLITE_UTF16 as the engine names them.
fn native() -> TextEncoding {
    TextEncoding::utf16_native()
}

/// The bytes of a UTF-16 argument: up to `n` bytes (whole code units,
/// stopping at a NUL unit), or up to the NUL unit when `n` is negative.
///
/// # Safety
/// `p` is non-NULL and holds a NUL unit (n < 0) or `n` readable bytes.
pub(crate) unsafe fn utf16_arg<'a>(p: *const c_void, n: i64) -> &'a [u8] {
    let p = p as *const u8;
    let mut len = 0usize;
    loop {
        if n >= 0 && (len + 2) as i64 > n {
            break;
        }
        // SAFETY: within the caller's `n` bytes, or before its NUL unit.
        let (a, b) = unsafe { (*p.add(len), *p.add(len + 1)) };
        if a == 0 && b == 0 {
            break;
        }
        len += 2;
    }
    // SAFETY: `len` bytes were just read.
    unsafe { std::slice::from_raw_parts(p, len) }
}

/// UTF-16 bytes (in `enc`) as UTF-8.
pub(crate) fn to_utf8(b: &[u8], enc: TextEncoding) -> Vec<u8> {
    let mut out = Vec::with_capacity(b.len());
    decode_text(b, enc, &mut out);
    out
}

/// UTF-8 text as NUL-terminated UTF-16 units in `enc`, aligned for u16.
pub(crate) fn to_units(s: &[u8], enc: TextEncoding) -> Vec<u16> {
    let mut bytes = Vec::with_capacity(s.len() * 2 + 2);
    encode_text(s, enc, &mut bytes);
    let mut units: Vec<u16> = bytes.chunks_exact(2).map(|c| u16::from_ne_bytes([c[0], c[1]])).collect();
    units.push(0);
    units
}

/// A UTF-16 name as a C string (NULL gives None).
///
/// # Safety
/// `p` is NULL or a NUL-terminated UTF-16 string.
unsafe fn name16(p: *const c_void) -> Option<CString> {
    if p.is_null() {
        return None;
    }
    // SAFETY: the caller's contract.
    let b = unsafe { utf16_arg(p, -1) };
    Some(crate::handle::cstring(&to_utf8(b, native())))
}

// ---------------------------------------------------------------- prepare

unsafe fn prepare16(db: *mut sqlite3, z: *const c_void, n: c_int, pp: *mut *mut sqlite3_stmt, tail: *mut *const c_void) -> c_int {
    if pp.is_null() {
        return rc::MISUSE;
    }
    // SAFETY: pp is non-NULL.
    unsafe { *pp = std::ptr::null_mut() };
    if z.is_null() {
        return rc::MISUSE;
    }
    // SAFETY: the caller's length contract.
    let b = unsafe { utf16_arg(z, i64::from(n)) };
    let sql8 = to_utf8(b, native());
    let sql = String::from_utf8_lossy(&sql8).into_owned();
    // SAFETY: db is the caller's handle.
    let (code, tail8, stmt) = unsafe { crate::stmt::prepare_text(db, &sql) };
    // SAFETY: pp is non-NULL.
    unsafe { *pp = stmt };
    if !tail.is_null() {
        // The tail is as many UTF-16 units in as the characters parsed.
        let units: usize = sql.get(..tail8).unwrap_or(&sql).chars().map(char::len_utf16).sum();
        // SAFETY: within the caller's buffer (units <= its length).
        unsafe { *tail = (z as *const u8).add((units * 2).min(b.len())) as *const c_void };
    }
    code
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_prepare16(db: *mut sqlite3, z: *const c_void, n: c_int, pp: *mut *mut sqlite3_stmt, tail: *mut *const c_void) -> c_int {
    // SAFETY: forwarded.
    guard!(rc::INTERNAL, { unsafe { prepare16(db, z, n, pp, tail) } })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_prepare16_v2(db: *mut sqlite3, z: *const c_void, n: c_int, pp: *mut *mut sqlite3_stmt, tail: *mut *const c_void) -> c_int {
    // SAFETY: forwarded.
    guard!(rc::INTERNAL, { unsafe { prepare16(db, z, n, pp, tail) } })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_prepare16_v3(db: *mut sqlite3, z: *const c_void, n: c_int, _flags: std::ffi::c_uint, pp: *mut *mut sqlite3_stmt, tail: *mut *const c_void) -> c_int {
    // The flags are hints, as for sqlite3_prepare_v3.
    // SAFETY: forwarded.
    guard!(rc::INTERNAL, { unsafe { prepare16(db, z, n, pp, tail) } })
}

// ------------------------------------------------------------------- bind

/// Binds UTF-16 text in `enc`; the destructor runs as for bind_text.
pub(crate) unsafe fn bind_text_utf16(stmt: *mut sqlite3_stmt, i: c_int, p: *const c_void, n: i64, del: Destructor, enc: TextEncoding) -> c_int {
    if p.is_null() {
        // SAFETY: forwarded.
        return unsafe { crate::stmt::bind(stmt, i, Value::Null) };
    }
    // SAFETY: the caller's length contract.
    let text = to_utf8(unsafe { utf16_arg(p, n) }, enc);
    // SAFETY: the application's destructor for its own buffer.
    unsafe { dispose(p, del) };
    // SAFETY: forwarded.
    unsafe { crate::stmt::bind(stmt, i, Value::Text(text)) }
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_bind_text16(stmt: *mut sqlite3_stmt, i: c_int, p: *const c_void, n: c_int, del: Destructor) -> c_int {
    // SAFETY: forwarded.
    guard!(rc::INTERNAL, { unsafe { bind_text_utf16(stmt, i, p, i64::from(n), del, native()) } })
}

// ----------------------------------------------------------------- column

#[no_mangle]
pub unsafe extern "C" fn sqlite3_column_text16(stmt: *mut sqlite3_stmt, i: c_int) -> *const c_void {
    // SAFETY: forwarded; the text lives in the column cache until the
    // next step, reset or finalize.
    guard!(std::ptr::null(), {
        unsafe {
            crate::stmt::with_column(stmt, i, std::ptr::null(), |cache, v| {
                if v.is_null() {
                    return std::ptr::null();
                }
                cache.text16.get_or_insert_with(|| to_units(&mem::text_of(v.as_ref()), native())).as_ptr() as *const c_void
            })
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_column_bytes16(stmt: *mut sqlite3_stmt, i: c_int) -> c_int {
    // SAFETY: forwarded.
    guard!(0, {
        unsafe {
            crate::stmt::with_column(stmt, i, 0, |_, v| {
                if v.is_null() {
                    return 0;
                }
                ferrolite::util::utf16::encoded_len(&mem::text_of(v.as_ref()), native()) as c_int
            })
        }
    })
}

/// Kinds of column metadata strings (StmtState::col_strings keys).
pub(crate) const COL_NAME: u8 = 0;
pub(crate) const COL_DECLTYPE: u8 = 1;
pub(crate) const COL_DATABASE: u8 = 2;
pub(crate) const COL_TABLE: u8 = 3;
pub(crate) const COL_ORIGIN: u8 = 4;

/// Column metadata `kind` of column `i`, as UTF-8 or UTF-16; NULL when the
/// column does not exist or has no such property.
pub(crate) unsafe fn column_string(stmt: *mut sqlite3_stmt, i: c_int, kind: u8, utf16: bool) -> *const c_void {
    use crate::handle::ColString;
    // SAFETY: handle from sqlite3_prepare*; the string lives in the
    // statement until it is recompiled or finalized.
    unsafe {
        with_stmt(stmt, std::ptr::null(), |_, st| {
            if i < 0 {
                return std::ptr::null();
            }
            let col = i as usize;
            let key = (kind | if utf16 { 0x80 } else { 0 }, col);
            if let Some(s) = st.col_strings.get(&key) {
                return match s {
                    ColString::Utf8(c) => c.as_ptr() as *const c_void,
                    ColString::Utf16(u) => u.as_ptr() as *const c_void,
                };
            }
            let prog = st.stmt.program();
            if col >= prog.column_names.len() {
                return std::ptr::null();
            }
            let text: Option<String> = match kind {
                COL_NAME => Some(prog.column_names[col].clone()),
                COL_DECLTYPE => prog.column_decltypes.get(col).cloned().flatten(),
                _ => prog.column_origins.get(col).cloned().flatten().map(|(d, t, c)| match kind {
                    COL_DATABASE => d,
                    COL_TABLE => t,
                    _ => c,
                }),
            };
            let Some(text) = text else { return std::ptr::null() };
            let s = if utf16 { ColString::Utf16(to_units(text.as_bytes(), native())) } else { ColString::Utf8(crate::handle::cstring(text.as_bytes())) };
            let p = match &s {
                ColString::Utf8(c) => c.as_ptr() as *const c_void,
                ColString::Utf16(u) => u.as_ptr() as *const c_void,
            };
            st.col_strings.insert(key, s);
            p
        })
    }
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_column_name16(stmt: *mut sqlite3_stmt, i: c_int) -> *const c_void {
    // SAFETY: forwarded.
    guard!(std::ptr::null(), { unsafe { column_string(stmt, i, COL_NAME, true) } })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_column_decltype16(stmt: *mut sqlite3_stmt, i: c_int) -> *const c_void {
    // SAFETY: forwarded.
    guard!(std::ptr::null(), { unsafe { column_string(stmt, i, COL_DECLTYPE, true) } })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_column_database_name16(stmt: *mut sqlite3_stmt, i: c_int) -> *const c_void {
    // SAFETY: forwarded.
    guard!(std::ptr::null(), { unsafe { column_string(stmt, i, COL_DATABASE, true) } })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_column_table_name16(stmt: *mut sqlite3_stmt, i: c_int) -> *const c_void {
    // SAFETY: forwarded.
    guard!(std::ptr::null(), { unsafe { column_string(stmt, i, COL_TABLE, true) } })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_column_origin_name16(stmt: *mut sqlite3_stmt, i: c_int) -> *const c_void {
    // SAFETY: forwarded.
    guard!(std::ptr::null(), { unsafe { column_string(stmt, i, COL_ORIGIN, true) } })
}

// ------------------------------------------------------------------ value

/// A value's text in UTF-16 `enc`, NUL-terminated, kept in the value.
unsafe fn value_text_in(v: *mut sqlite3_value, enc: TextEncoding) -> *const c_void {
    if v.is_null() {
        return std::ptr::null();
    }
    // SAFETY: a value Ferrolite handed out.
    let v = unsafe { &*v };
    v.text16_ptr(enc)
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_value_text16(v: *mut sqlite3_value) -> *const c_void {
    // SAFETY: forwarded.
    guard!(std::ptr::null(), { unsafe { value_text_in(v, native()) } })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_value_text16le(v: *mut sqlite3_value) -> *const c_void {
    // SAFETY: forwarded.
    guard!(std::ptr::null(), { unsafe { value_text_in(v, TextEncoding::Utf16le) } })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_value_text16be(v: *mut sqlite3_value) -> *const c_void {
    // SAFETY: forwarded.
    guard!(std::ptr::null(), { unsafe { value_text_in(v, TextEncoding::Utf16be) } })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_value_bytes16(v: *mut sqlite3_value) -> c_int {
    if v.is_null() {
        return 0;
    }
    // SAFETY: a value Ferrolite handed out.
    guard!(0, {
        let v = unsafe { &*v };
        if v.v.is_null() {
            0
        } else {
            ferrolite::util::utf16::encoded_len(&mem::text_of(v.v.as_ref()), native()) as c_int
        }
    })
}

// ----------------------------------------------------------------- result

/// Sets a UTF-16 text result (in `enc`); the destructor runs as for
/// result_text.
pub(crate) unsafe fn result_text_utf16(ctx: *mut sqlite3_context, p: *const c_void, n: i64, del: Destructor, enc: TextEncoding) {
    let v = if p.is_null() {
        Value::Null
    } else {
        // SAFETY: the caller's length contract.
        Value::Text(to_utf8(unsafe { utf16_arg(p, n) }, enc))
    };
    if !ctx.is_null() {
        // SAFETY: a live context handed to the application's function.
        unsafe { (*ctx).result = v };
    }
    // SAFETY: the application's destructor for its own buffer.
    unsafe { dispose(p, del) };
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_result_text16(ctx: *mut sqlite3_context, p: *const c_void, n: c_int, del: Destructor) {
    // SAFETY: forwarded.
    guard!((), { unsafe { result_text_utf16(ctx, p, i64::from(n), del, native()) } })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_result_text16le(ctx: *mut sqlite3_context, p: *const c_void, n: c_int, del: Destructor) {
    // SAFETY: forwarded.
    guard!((), { unsafe { result_text_utf16(ctx, p, i64::from(n), del, TextEncoding::Utf16le) } })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_result_text16be(ctx: *mut sqlite3_context, p: *const c_void, n: c_int, del: Destructor) {
    // SAFETY: forwarded.
    guard!((), { unsafe { result_text_utf16(ctx, p, i64::from(n), del, TextEncoding::Utf16be) } })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_result_error16(ctx: *mut sqlite3_context, p: *const c_void, n: c_int) {
    if ctx.is_null() {
        return;
    }
    // SAFETY: a live context; the message is UTF-16 of `n` bytes or
    // NUL-terminated.
    guard!((), {
        let msg = if p.is_null() { String::new() } else { String::from_utf8_lossy(&to_utf8(unsafe { utf16_arg(p, i64::from(n)) }, native())).into_owned() };
        unsafe { (*ctx).error = Some((rc::ERROR, msg)) };
    })
}

// -------------------------------------------------------------- connection

/// A static UTF-16 text for the messages errmsg16 gives without a
/// connection.
fn static16(which: usize) -> *const c_void {
    static TEXTS: OnceLock<[Vec<u16>; 2]> = OnceLock::new();
    let t = TEXTS.get_or_init(|| [to_units(b"out of memory", native()), to_units(ferrolite::error::errstr(rc::MISUSE).as_bytes(), native())]);
    t[which].as_ptr() as *const c_void
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_errmsg16(db: *mut sqlite3) -> *const c_void {
    if db.is_null() {
        return static16(0);
    }
    // SAFETY: handle from sqlite3_open*; the text lives in the connection
    // until the next call that changes or converts the error.
    guard!(static16(1), {
        unsafe {
            with_db(db, static16(1), |st| {
                let msg: Vec<u8> = if st.err_msg.as_bytes().is_empty() { ferrolite::error::errstr(st.err_code).as_bytes().to_vec() } else { st.err_msg.as_bytes().to_vec() };
                st.err_msg16 = to_units(&msg, native());
                st.err_msg16.as_ptr() as *const c_void
            })
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_complete16(sql: *const c_void) -> c_int {
    if sql.is_null() {
        return 0;
    }
    // SAFETY: a NUL-terminated UTF-16 string.
    guard!(0, {
        let text = crate::handle::cstring(&to_utf8(unsafe { utf16_arg(sql, -1) }, native()));
        unsafe { crate::global::sqlite3_complete(text.as_ptr()) }
    })
}

#[no_mangle]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn sqlite3_create_function16(db: *mut sqlite3, name: *const c_void, n_arg: c_int, enc: c_int, app: *mut c_void, x_func: crate::udf::XFunc, x_step: crate::udf::XFunc, x_final: crate::udf::XFinal) -> c_int {
    guard!(rc::INTERNAL, {
        // SAFETY: name is NULL or NUL-terminated UTF-16.
        let Some(name) = (unsafe { name16(name) }) else { return rc::MISUSE };
        let cb = crate::udf::Callbacks { x_func, x_step, x_final, x_value: None, x_inverse: None };
        // SAFETY: forwarded with the name converted.
        unsafe { crate::udf::create_function(db, name.as_ptr(), n_arg, enc, app, cb, None) }
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_create_collation16(db: *mut sqlite3, name: *const c_void, enc: c_int, app: *mut c_void, x_compare: crate::udf::XCompare) -> c_int {
    guard!(rc::INTERNAL, {
        // SAFETY: name is NULL or NUL-terminated UTF-16.
        let Some(name) = (unsafe { name16(name) }) else { return rc::MISUSE };
        // SAFETY: forwarded with the name converted.
        unsafe { crate::udf::create_collation(db, name.as_ptr(), enc, app, x_compare, None) }
    })
}

pub type NeededFn = Option<unsafe extern "C" fn(*mut c_void, *mut sqlite3, c_int, *const c_char)>;
pub type Needed16Fn = Option<unsafe extern "C" fn(*mut c_void, *mut sqlite3, c_int, *const c_void)>;

/// A collation_needed registration: SQLite keeps one callback, the UTF-8
/// or the UTF-16 one (registering either clears the other).
#[derive(Clone, Copy)]
pub struct CollNeeded {
    arg: *mut c_void,
    cb8: NeededFn,
    cb16: Needed16Fn,
}

impl CollNeeded {
    /// Asks the application for collation `name`; `enc` is the
    /// connection's text encoding.
    ///
    /// # Safety
    /// No borrow of the connection state is held: the callback registers
    /// the collation on `db`.
    pub unsafe fn call(&self, db: *mut sqlite3, enc: u8, name: &str) {
        if let Some(f) = self.cb8 {
            let c = crate::handle::cstring(name.as_bytes());
            // SAFETY: the application's callback with its argument.
            unsafe { f(self.arg, db, c_int::from(enc), c.as_ptr()) };
        } else if let Some(f) = self.cb16 {
            let u = to_units(name.as_bytes(), native());
            // SAFETY: as above, the name in native UTF-16.
            unsafe { f(self.arg, db, c_int::from(enc), u.as_ptr() as *const c_void) };
        }
    }
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_collation_needed(db: *mut sqlite3, arg: *mut c_void, cb: NeededFn) -> c_int {
    // SAFETY: db is the caller's handle.
    guard!(rc::INTERNAL, {
        unsafe {
            with_db(db, rc::MISUSE, |st| {
                st.coll_needed = Some(CollNeeded { arg, cb8: cb, cb16: None });
                rc::OK
            })
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_collation_needed16(db: *mut sqlite3, arg: *mut c_void, cb: Needed16Fn) -> c_int {
    // SAFETY: db is the caller's handle.
    guard!(rc::INTERNAL, {
        unsafe {
            with_db(db, rc::MISUSE, |st| {
                st.coll_needed = Some(CollNeeded { arg, cb8: None, cb16: cb });
                rc::OK
            })
        }
    })
}
