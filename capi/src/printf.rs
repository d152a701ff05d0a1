//! SQLite's printf for C callers: sqlite3_mprintf, vmprintf, snprintf,
//! vsnprintf, and the dynamic strings of sqlite3_str_* (new, append,
//! appendall, appendchar, appendf, vappendf, errcode, finish, free,
//! length, reset, truncate, value) with sqlite3_result_str.
//!
//! The format language is the engine's (`ferrolite::util::printf`, shared
//! with the SQL printf() function). The variadic entry points are C
//! (capi/csrc/variadic.c): it owns the va_list and gives out one argument
//! at a time with the C type the formatter asks for (`CArgs` below).
//! Because C symbols in a Rust cdylib are not exported, each variadic
//! entry point is exported here as a naked trampoline that records the
//! address of `VTABLE` (how the C side calls back into Rust) and jumps to
//! the C function, leaving every argument register and the stack as the
//! caller set them.
//!
//! Memory: strings returned by mprintf and str_finish come from
//! sqlite3_malloc and are freed with sqlite3_free; an sqlite3_str's text
//! pointer (str_value) stays valid until the string is next changed.

use std::borrow::Cow;
use std::ffi::{c_char, c_int, c_void, CStr};

use ferrolite::util::printf::{format, PrintfArgs};

use crate::handle::sqlite3;
use crate::memory;
use crate::rc;
use crate::value::sqlite3_context;

/// SQLITE_MAX_LENGTH: the longest string mprintf builds.
const MAX_LENGTH: usize = 1_000_000_000;

unsafe extern "C" {
    fn fl_va_int(ap: *mut c_void, size: c_int, sgn: c_int) -> i64;
    fn fl_va_double(ap: *mut c_void) -> f64;
    fn fl_va_ptr(ap: *mut c_void) -> *mut c_void;
}

/// Arguments read from a C va_list (a `va_list*` owned by variadic.c).
pub(crate) struct CArgs {
    ap: *mut c_void,
    last_text: *mut c_char,
}

impl CArgs {
    /// # Safety
    /// `ap` is a `va_list*` from variadic.c whose remaining arguments
    /// match the format being rendered.
    pub(crate) unsafe fn new(ap: *mut c_void) -> CArgs {
        CArgs { ap, last_text: std::ptr::null_mut() }
    }

    pub(crate) fn int(&mut self) -> c_int {
        // SAFETY: the caller promised an int here (see new).
        unsafe { fl_va_int(self.ap, 0, 1) as c_int }
    }

    pub(crate) fn i64(&mut self) -> i64 {
        // SAFETY: as above, a 64-bit integer.
        unsafe { fl_va_int(self.ap, 2, 1) }
    }

    pub(crate) fn ptr(&mut self) -> *mut c_void {
        // SAFETY: as above, a pointer.
        unsafe { fl_va_ptr(self.ap) }
    }
}

impl PrintfArgs for CArgs {
    fn next_int(&mut self, long: u8, signed: bool) -> i64 {
        // SAFETY: the format says an integer of this size comes next.
        unsafe { fl_va_int(self.ap, c_int::from(long), c_int::from(signed)) }
    }
    fn next_double(&mut self) -> f64 {
        // SAFETY: the format says a double comes next.
        unsafe { fl_va_double(self.ap) }
    }
    fn next_text(&mut self) -> Option<Cow<'_, [u8]>> {
        let p = self.ptr() as *mut c_char;
        self.last_text = p;
        if p.is_null() {
            None
        } else {
            // SAFETY: the format says a NUL-terminated string comes next.
            Some(Cow::Borrowed(unsafe { CStr::from_ptr(p) }.to_bytes()))
        }
    }
    fn next_char(&mut self) -> Vec<u8> {
        // %c takes an unsigned int code point, written as UTF-8 the way
        // SQLite writes one (no validity check).
        // SAFETY: the format says an unsigned int comes next.
        let c = unsafe { fl_va_int(self.ap, 0, 0) } as u32;
        match c {
            0..=0x7f => vec![c as u8],
            0x80..=0x7ff => vec![0xc0 | (c >> 6) as u8, 0x80 | (c & 0x3f) as u8],
            0x800..=0xffff => vec![0xe0 | (c >> 12) as u8, 0x80 | ((c >> 6) & 0x3f) as u8, 0x80 | (c & 0x3f) as u8],
            _ => vec![0xf0 | ((c >> 18) & 0x07) as u8, 0x80 | ((c >> 12) & 0x3f) as u8, 0x80 | ((c >> 6) & 0x3f) as u8, 0x80 | (c & 0x3f) as u8],
        }
    }
    fn set_count(&mut self, n: usize) {
        let p = self.ptr() as *mut c_int;
        if !p.is_null() {
            // SAFETY: %n takes a pointer to an int.
            unsafe { *p = n as c_int };
        }
    }
    fn release_text(&mut self) {
        // SAFETY: %z hands over a sqlite3_malloc string, used and done.
        unsafe { memory::release(self.last_text as *mut c_void) };
        self.last_text = std::ptr::null_mut();
    }
}

/// Renders `fmt` with C arguments; None on TOOBIG.
unsafe fn render(fmt: *const c_char, ap: *mut c_void, max: usize) -> Option<Vec<u8>> {
    if fmt.is_null() {
        return Some(Vec::new());
    }
    // SAFETY: a NUL-terminated format; ap as CArgs::new requires.
    let f = unsafe { CStr::from_ptr(fmt) }.to_bytes();
    let mut args = unsafe { CArgs::new(ap) };
    format(f, &mut args, max).ok()
}

/// What variadic.c calls (see its `fl_vtable`).
#[repr(C)]
pub struct Vtable {
    vmprintf: unsafe extern "C" fn(*const c_char, *mut c_void) -> *mut c_char,
    vsnprintf: unsafe extern "C" fn(c_int, *mut c_char, *const c_char, *mut c_void) -> *mut c_char,
    vappendf: unsafe extern "C" fn(*mut sqlite3_str, *const c_char, *mut c_void),
    vlog: unsafe extern "C" fn(c_int, *const c_char, *mut c_void),
    config: unsafe extern "C" fn(c_int, *mut c_void) -> c_int,
    db_config: unsafe extern "C" fn(*mut sqlite3, c_int, *mut c_void) -> c_int,
    test_control: unsafe extern "C" fn(c_int, *mut c_void) -> c_int,
    vtab_config: unsafe extern "C" fn(*mut sqlite3, c_int, *mut c_void) -> c_int,
}

pub static VTABLE: Vtable = Vtable {
    vmprintf: vt_vmprintf,
    vsnprintf: vt_vsnprintf,
    vappendf: vt_vappendf,
    vlog: crate::config::vt_log,
    config: crate::config::vt_config,
    db_config: crate::config::vt_db_config,
    test_control: crate::config::vt_test_control,
    vtab_config: crate::vtab::vt_vtab_config,
};

unsafe extern "C" fn vt_vmprintf(fmt: *const c_char, ap: *mut c_void) -> *mut c_char {
    // SAFETY: called by variadic.c with its va_list.
    guard!(std::ptr::null_mut(), {
        match unsafe { render(fmt, ap, MAX_LENGTH) } {
            Some(b) => memory::alloc_cstring(&b),
            None => std::ptr::null_mut(),
        }
    })
}

unsafe extern "C" fn vt_vsnprintf(n: c_int, buf: *mut c_char, fmt: *const c_char, ap: *mut c_void) -> *mut c_char {
    if n <= 0 || buf.is_null() {
        return buf;
    }
    // SAFETY: called by variadic.c; `buf` has room for `n` bytes. The
    // output is cut to n-1 bytes, as SQLite's fixed-size accumulator.
    guard!(buf, {
        let out = unsafe { render(fmt, ap, MAX_LENGTH) }.unwrap_or_default();
        let k = out.len().min(n as usize - 1);
        unsafe {
            std::ptr::copy_nonoverlapping(out.as_ptr(), buf as *mut u8, k);
            *buf.add(k) = 0;
        }
        buf
    })
}

// ----------------------------------------------------------- sqlite3_str

/// A dynamic string (sqlite3_str).
pub struct sqlite3_str {
    /// The text, NUL-terminated when `text` is Some; None until something
    /// is appended (SQLite allocates on the first non-empty append).
    text: Option<Vec<u8>>,
    /// Bytes of text (without the NUL).
    n: usize,
    /// SQLITE_NOMEM or SQLITE_TOOBIG once an append failed; later appends
    /// are ignored.
    err: c_int,
    /// The longest text allowed (the connection's SQLITE_LIMIT_LENGTH).
    max: usize,
}

impl sqlite3_str {
    fn append(&mut self, b: &[u8]) {
        if self.err != 0 || b.is_empty() {
            return;
        }
        if self.n + b.len() > self.max {
            self.set_error(rc::TOOBIG);
            return;
        }
        let t = self.text.get_or_insert_with(Vec::new);
        t.truncate(self.n);
        t.extend_from_slice(b);
        self.n += b.len();
        t.push(0);
    }

    fn set_error(&mut self, code: c_int) {
        self.err = code;
        self.reset();
    }

    fn reset(&mut self) {
        self.text = None;
        self.n = 0;
    }
}

/// Runs `f` on a string (nothing for NULL).
unsafe fn with_str<R>(p: *mut sqlite3_str, dflt: R, f: impl FnOnce(&mut sqlite3_str) -> R) -> R {
    if p.is_null() {
        return dflt;
    }
    // SAFETY: a string from sqlite3_str_new, not yet finished or freed.
    f(unsafe { &mut *p })
}

unsafe extern "C" fn vt_vappendf(p: *mut sqlite3_str, fmt: *const c_char, ap: *mut c_void) {
    // SAFETY: called by variadic.c with its va_list; p from str_new.
    guard!((), {
        unsafe {
            with_str(p, (), |s| {
                if s.err != 0 {
                    return;
                }
                let room = s.max - s.n;
                match render(fmt, ap, room) {
                    Some(b) => s.append(&b),
                    None => s.set_error(rc::TOOBIG),
                }
            })
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_str_new(db: *mut sqlite3) -> *mut sqlite3_str {
    guard!(std::ptr::null_mut(), {
        // SAFETY: db is NULL or the caller's handle.
        let max = if db.is_null() { MAX_LENGTH } else { unsafe { crate::db::with_db(db, MAX_LENGTH as c_int, |st| st.limits[0]) }.max(0) as usize };
        Box::into_raw(Box::new(sqlite3_str { text: None, n: 0, err: 0, max }))
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_str_append(p: *mut sqlite3_str, z: *const c_char, n: c_int) {
    if z.is_null() || n <= 0 {
        return;
    }
    // SAFETY: `n` readable bytes at z.
    guard!((), { unsafe { with_str(p, (), |s| s.append(std::slice::from_raw_parts(z as *const u8, n as usize))) } })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_str_appendall(p: *mut sqlite3_str, z: *const c_char) {
    if z.is_null() {
        return;
    }
    // SAFETY: a C string.
    guard!((), { unsafe { with_str(p, (), |s| s.append(CStr::from_ptr(z).to_bytes())) } })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_str_appendchar(p: *mut sqlite3_str, n: c_int, c: c_char) {
    if n <= 0 {
        return;
    }
    // SAFETY: p from str_new.
    guard!((), {
        unsafe {
            with_str(p, (), |s| {
                if s.n + n as usize > s.max {
                    s.set_error(rc::TOOBIG);
                } else {
                    s.append(&vec![c as u8; n as usize]);
                }
            })
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_str_errcode(p: *mut sqlite3_str) -> c_int {
    // SAFETY: p from str_new (NULL: SQLITE_NOMEM, as SQLite).
    guard!(rc::NOMEM, { unsafe { with_str(p, rc::NOMEM, |s| s.err) } })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_str_length(p: *mut sqlite3_str) -> c_int {
    // SAFETY: p from str_new.
    guard!(0, { unsafe { with_str(p, 0, |s| s.n as c_int) } })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_str_value(p: *mut sqlite3_str) -> *mut c_char {
    // SAFETY: p from str_new; the text lives until the string changes.
    guard!(std::ptr::null_mut(), {
        unsafe {
            with_str(p, std::ptr::null_mut(), |s| {
                if s.n == 0 {
                    return std::ptr::null_mut();
                }
                match s.text.as_mut() {
                    Some(t) => {
                        t.truncate(s.n);
                        t.push(0);
                        t.as_mut_ptr() as *mut c_char
                    }
                    None => std::ptr::null_mut(),
                }
            })
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_str_reset(p: *mut sqlite3_str) {
    // SAFETY: p from str_new; the error state stays, as in SQLite.
    guard!((), { unsafe { with_str(p, (), |s| s.reset()) } })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_str_truncate(p: *mut sqlite3_str, n: c_int) {
    // SAFETY: p from str_new.
    guard!((), {
        unsafe {
            with_str(p, (), |s| {
                if n >= 0 && (n as usize) < s.n {
                    s.n = n as usize;
                    if let Some(t) = s.text.as_mut() {
                        t.truncate(s.n);
                        t.push(0);
                    }
                }
            })
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_str_finish(p: *mut sqlite3_str) -> *mut c_char {
    if p.is_null() {
        return std::ptr::null_mut();
    }
    // SAFETY: p from str_new; it is freed here. The text is copied into a
    // sqlite3_malloc block the caller frees; NULL if nothing was ever
    // appended or on error.
    guard!(std::ptr::null_mut(), {
        let s = unsafe { Box::from_raw(p) };
        match (&s.text, s.err) {
            (Some(t), 0) => memory::alloc_cstring(&t[..s.n]),
            _ => std::ptr::null_mut(),
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_str_free(p: *mut sqlite3_str) {
    if p.is_null() {
        return;
    }
    // SAFETY: p from str_new, freed once.
    guard!((), { drop(unsafe { Box::from_raw(p) }) })
}

/// SQLITE_COPY, SQLITE_XFER and SQLITE_FINISH for sqlite3_result_str.
const STR_COPY: c_int = 0;
const STR_FINISH: c_int = 2;

#[no_mangle]
pub unsafe extern "C" fn sqlite3_result_str(ctx: *mut sqlite3_context, p: *mut sqlite3_str, own: c_int) {
    if ctx.is_null() || p.is_null() {
        return;
    }
    // SAFETY: a live context and a string from str_new.
    guard!((), {
        let s = unsafe { &mut *p };
        match s.err {
            0 => {
                let text = s.text.as_ref().map(|t| t[..s.n].to_vec()).unwrap_or_default();
                unsafe { crate::value::with_ctx(ctx, |c| c.result = ferrolite::Value::Text(text)) };
                if own != STR_COPY {
                    s.reset();
                }
            }
            e if e == rc::NOMEM => unsafe { crate::value::sqlite3_result_error_nomem(ctx) },
            _ => unsafe { crate::value::sqlite3_result_error_toobig(ctx) },
        }
        if own == STR_FINISH {
            drop(unsafe { Box::from_raw(p) });
        }
    })
}

// ------------------------------------------------------------ trampolines

unsafe extern "C" {
    static mut fl_vt: *const Vtable;
    fn fl_mprintf();
    fn fl_vmprintf();
    fn fl_snprintf();
    fn fl_vsnprintf();
    fn fl_str_appendf();
    fn fl_str_vappendf();
    fn fl_log();
    fn fl_config();
    fn fl_db_config();
    fn fl_test_control();
    fn fl_vtab_config();
}

/// Exports `$export` as a jump to the C function `$target`, after storing
/// the address of `VTABLE` in variadic.c's `fl_vt`. No register but the
/// scratch one is touched, so the C function sees its caller's arguments
/// (variadic ones included) exactly.
macro_rules! trampolines {
    ($($rust:ident => $export:literal => $target:ident;)*) => {$(
        #[unsafe(naked)]
        #[unsafe(export_name = $export)]
        pub unsafe extern "C" fn $rust() {
            #[cfg(target_arch = "x86_64")]
            core::arch::naked_asm!(
                "lea r11, [rip + {vt}]",
                "mov qword ptr [rip + {slot}], r11",
                "jmp {target}",
                vt = sym VTABLE,
                slot = sym fl_vt,
                target = sym $target,
            );
            #[cfg(target_arch = "aarch64")]
            core::arch::naked_asm!(
                "adrp x16, {vt}",
                "add x16, x16, :lo12:{vt}",
                "adrp x17, {slot}",
                "str x16, [x17, :lo12:{slot}]",
                "b {target}",
                vt = sym VTABLE,
                slot = sym fl_vt,
                target = sym $target,
            );
        }
    )*};
}

trampolines! {
    tramp_mprintf => "sqlite3_mprintf" => fl_mprintf;
    tramp_vmprintf => "sqlite3_vmprintf" => fl_vmprintf;
    tramp_snprintf => "sqlite3_snprintf" => fl_snprintf;
    tramp_vsnprintf => "sqlite3_vsnprintf" => fl_vsnprintf;
    tramp_str_appendf => "sqlite3_str_appendf" => fl_str_appendf;
    tramp_str_vappendf => "sqlite3_str_vappendf" => fl_str_vappendf;
    tramp_log => "sqlite3_log" => fl_log;
    tramp_config => "sqlite3_config" => fl_config;
    tramp_db_config => "sqlite3_db_config" => fl_db_config;
    tramp_test_control => "sqlite3_test_control" => fl_test_control;
    tramp_vtab_config => "sqlite3_vtab_config" => fl_vtab_config;
}
