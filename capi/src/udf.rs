//! Application-defined SQL functions and collations:
//! `sqlite3_create_function[_v2]` and `sqlite3_create_collation[_v2]`.
//!
//! The engine's registry (`ferrolite::func::user`) holds Rust objects; this
//! module implements them with the application's C callbacks. A callback
//! runs while the VDBE executes, i.e. with the connection's mutex held. A
//! function (scalar, or an aggregate's xStep / xFinal / xValue / xInverse)
//! called by sqlite3_step gets the connection lent back (`lent`,
//! `ConnSlot::lend`), so it may prepare and run statements on its own
//! connection as SQLite allows; other callbacks (collations, an aggregate
//! finished by sqlite3_reset or finalize) that call back into the same
//! connection (sqlite3_exec, sqlite3_prepare...) get SQLITE_MISUSE for now.
//!
//! Destructor rules follow SQLite: a function's xDestroy runs exactly once,
//! when the registration is replaced or deleted, when the connection
//! closes, or at once when the call fails; a collation's xDestroy runs
//! when it is replaced or the connection closes, never when the call
//! fails.

use std::cmp::Ordering;
use std::ffi::{c_char, c_int, c_void, CStr};
use std::sync::Arc;

use ferrolite::error::{Error, Result};
use ferrolite::func::user::{Destroy, UserCollation, UserFunction, UTF16BE, UTF16LE, UTF8};
use ferrolite::func::{Aggregate, FuncEnv};
use ferrolite::Value;

use crate::db::with_db;
use crate::handle::sqlite3;
use crate::rc;
use crate::value::{sqlite3_context, sqlite3_value};

pub type XFunc = Option<unsafe extern "C" fn(*mut sqlite3_context, c_int, *mut *mut sqlite3_value)>;
pub type XFinal = Option<unsafe extern "C" fn(*mut sqlite3_context)>;
pub type XDestroy = Option<unsafe extern "C" fn(*mut c_void)>;
pub type XCompare = Option<unsafe extern "C" fn(*mut c_void, c_int, *const c_void, c_int, *const c_void) -> c_int>;

/// SQLite's largest argument count for a function (SQLITE_MAX_FUNCTION_ARG).
const MAX_FUNCTION_ARG: c_int = 1000;
/// The flag bits of the `eTextRep` argument Ferrolite records.
const FUNC_FLAGS: c_int = 0x800 | 0x80000 | 0x100000 | 0x200000 | 0x1000000 | 0x2000000;

/// The application's pointers, moved into the engine's registry.
#[derive(Clone, Copy)]
struct AppPtrs {
    db: *mut sqlite3,
    app: *mut c_void,
}

// SAFETY: the pointers are only dereferenced by the application's own
// callbacks, which Ferrolite calls with the connection's mutex held (the
// VDBE runs under it), so they are never used from two threads at once;
// SQLite makes the same promise to applications.
unsafe impl Send for AppPtrs {}
// SAFETY: as for Send.
unsafe impl Sync for AppPtrs {}

/// Calls xDestroy(app) when the last registration sharing it goes away
/// (SQLITE_ANY registers three entries with one destructor).
struct SharedDestroy {
    x: unsafe extern "C" fn(*mut c_void),
    app: AppPtrs,
}

impl Drop for SharedDestroy {
    fn drop(&mut self) {
        // SAFETY: the application's destructor for its own pointer, run
        // once: this object is dropped once.
        unsafe { (self.x)(self.app.app) }
    }
}

/// A function registered by the application.
struct CFunc {
    p: AppPtrs,
    x_func: XFunc,
    x_step: XFunc,
    x_final: XFinal,
    /// Window functions (`sqlite3_create_window_function`): both or
    /// neither.
    x_value: XFinal,
    x_inverse: XFunc,
}

/// Calls `f` with a context and the arguments as sqlite3_value objects.
pub(crate) fn invoke(ctx: &mut sqlite3_context, args: &[Value], f: unsafe extern "C" fn(*mut sqlite3_context, c_int, *mut *mut sqlite3_value)) {
    let binds = ferrolite::func::user::arg_binds();
    let mut vals: Vec<sqlite3_value> = args
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let mut x = sqlite3_value::new(v.clone());
            x.from_bind = i < 64 && binds & (1u64 << i) != 0;
            x.subtype = ferrolite::func::user::arg_subtype(i);
            x
        })
        .collect();
    let mut ptrs: Vec<*mut sqlite3_value> = vals.iter_mut().map(|v| v as *mut sqlite3_value).collect();
    // SAFETY: the context and the values outlive the call; the array holds
    // exactly `args.len()` valid pointers.
    unsafe { f(ctx, ptrs.len() as c_int, ptrs.as_mut_ptr()) };
    drop(vals);
}

/// Runs `f` (an application callback) with `conn`, the running
/// statement's connection, lent back to the handle `db`, so that the
/// callback may use its own connection. Nothing is lent when `conn` is not
/// a `Connection` or the handle's state is borrowed (the callback's calls
/// on the connection then get SQLITE_MISUSE).
pub(crate) fn lent<R>(db: *mut sqlite3, conn: Option<&mut dyn std::any::Any>, f: impl FnOnce() -> R) -> R {
    let Some(conn) = conn.and_then(|c| c.downcast_mut::<ferrolite::connection::Connection>()) else { return f() };
    let p: *mut ferrolite::connection::Connection = conn;
    // SAFETY: db is the connection the function is registered on, live
    // while its statements run; `p` comes from the `&mut Connection` the
    // statement lent this call, which the statement does not use until
    // the call returns, and it is taken back below before that.
    let prev = unsafe { with_db(db, None, |st| st.conn.lend(p)) };
    let r = f();
    if prev.is_some() {
        // SAFETY: as above.
        unsafe { with_db(db, (), |st| st.conn.unlend(prev)) };
    }
    r
}

/// The function's outcome: its result, or the error it reported.
pub(crate) fn outcome(mut ctx: sqlite3_context) -> Result<Value> {
    match ctx.error.take() {
        Some((c, msg)) => Err(Error::with_message(c, msg)),
        None => Ok(std::mem::replace(&mut ctx.result, Value::Null)),
    }
}

impl UserFunction for CFunc {
    fn is_aggregate(&self) -> bool {
        self.x_step.is_some()
    }

    fn call(&self, args: &[Value]) -> Result<Value> {
        let Some(f) = self.x_func else { return Ok(Value::Null) };
        let mut ctx = sqlite3_context::new(self.p.app, self.p.db);
        invoke(&mut ctx, args, f);
        if ctx.subtype != 0 && ctx.error.is_none() {
            ferrolite::func::user::set_result_subtype(ctx.subtype);
        }
        if !ctx.agg.is_null() {
            // A scalar that asked for an aggregate context: the block
            // lives for this call only.
            // SAFETY: allocated by sqlite3_aggregate_context with
            // sqlite3_malloc; nothing refers to it after the call.
            unsafe { crate::memory::release(ctx.agg) };
            ctx.agg = std::ptr::null_mut();
        }
        outcome(ctx)
    }

    fn call_with(&self, args: &[Value], conn: &mut dyn std::any::Any) -> Result<Value> {
        lent(self.p.db, Some(conn), || self.call(args))
    }

    fn start(&self) -> Box<dyn Aggregate> {
        Box::new(CAgg { p: self.p, x_step: self.x_step, x_final: self.x_final, x_value: self.x_value, x_inverse: self.x_inverse, block: std::ptr::null_mut(), steps: 0 })
    }

    fn is_window(&self) -> bool {
        self.x_value.is_some() && self.x_inverse.is_some()
    }
}

/// One aggregate group (or window partition): the sqlite3_aggregate_context
/// block lives here from the first request until xFinal returns.
struct CAgg {
    p: AppPtrs,
    x_step: XFunc,
    x_final: XFinal,
    x_value: XFinal,
    x_inverse: XFunc,
    block: *mut c_void,
    /// xStep and xInverse calls so far (sqlite3_aggregate_count).
    steps: c_int,
}

// SAFETY: see AppPtrs; the block is owned by this object alone.
unsafe impl Send for CAgg {}

impl CAgg {
    fn finish(&mut self) -> Result<Value> {
        let mut ctx = sqlite3_context::new(self.p.app, self.p.db);
        ctx.agg = self.block;
        ctx.agg_count = self.steps;
        if let Some(f) = self.x_final {
            // SAFETY: the context outlives the call.
            unsafe { f(&mut ctx) };
        }
        // SAFETY: the block came from sqlite3_malloc (aggregate_context)
        // and nothing refers to it once xFinal has returned.
        unsafe { crate::memory::release(ctx.agg) };
        self.block = std::ptr::null_mut();
        ctx.agg = std::ptr::null_mut();
        if ctx.subtype != 0 && ctx.error.is_none() {
            ferrolite::func::user::set_result_subtype(ctx.subtype);
        }
        outcome(ctx)
    }
}

impl CAgg {
    /// Calls xStep or xInverse with the group's aggregate context.
    fn call_with_args(&mut self, args: &[Value], f: XFunc) -> Result<()> {
        let Some(f) = f else { return Ok(()) };
        self.steps += 1;
        let mut ctx = sqlite3_context::new(self.p.app, self.p.db);
        ctx.agg = self.block;
        ctx.agg_count = self.steps;
        invoke(&mut ctx, args, f);
        self.block = ctx.agg;
        ctx.agg = std::ptr::null_mut();
        outcome(ctx).map(|_| ())
    }
}

impl Aggregate for CAgg {
    fn step(&mut self, args: &[Value], env: &mut dyn FuncEnv) -> Result<()> {
        let db = self.p.db;
        lent(db, env.connection(), || self.call_with_args(args, self.x_step))
    }

    fn finalize(&mut self, env: &mut dyn FuncEnv) -> Result<Value> {
        let db = self.p.db;
        lent(db, env.connection(), || self.finish())
    }

    fn has_inverse(&self) -> bool {
        self.x_inverse.is_some()
    }

    fn inverse(&mut self, args: &[Value], env: &mut dyn FuncEnv) -> Result<()> {
        let db = self.p.db;
        lent(db, env.connection(), || self.call_with_args(args, self.x_inverse))
    }

    /// xValue: the current result, the context staying the group's.
    fn value(&mut self, env: &mut dyn FuncEnv) -> Result<Value> {
        let Some(f) = self.x_value else { return self.finalize(env) };
        let db = self.p.db;
        lent(db, env.connection(), || self.value_now(f))
    }
}

impl CAgg {
    /// Calls xValue.
    fn value_now(&mut self, f: unsafe extern "C" fn(*mut sqlite3_context)) -> Result<Value> {
        let mut ctx = sqlite3_context::new(self.p.app, self.p.db);
        ctx.agg = self.block;
        ctx.agg_count = self.steps;
        // SAFETY: the context outlives the call.
        unsafe { f(&mut ctx) };
        self.block = ctx.agg;
        ctx.agg = std::ptr::null_mut();
        outcome(ctx)
    }
}

impl Drop for CAgg {
    fn drop(&mut self) {
        // A group abandoned before its end (reset, error): SQLite still
        // runs xFinal when the aggregate context was allocated.
        if !self.block.is_null() {
            let _ = self.finish();
        }
    }
}

/// A collation registered by the application.
struct CColl {
    p: AppPtrs,
    x: unsafe extern "C" fn(*mut c_void, c_int, *const c_void, c_int, *const c_void) -> c_int,
    enc: u8,
}

fn utf16(b: &[u8], big_endian: bool) -> Vec<u8> {
    String::from_utf8_lossy(b).encode_utf16().flat_map(|u| if big_endian { u.to_be_bytes() } else { u.to_le_bytes() }).collect()
}

impl UserCollation for CColl {
    fn compare(&self, a: &[u8], b: &[u8]) -> Ordering {
        let (a16, b16);
        let (a, b) = if self.enc == UTF8 {
            (a, b)
        } else {
            a16 = utf16(a, self.enc == UTF16BE);
            b16 = utf16(b, self.enc == UTF16BE);
            (&a16[..], &b16[..])
        };
        let n = |s: &[u8]| s.len().min(c_int::MAX as usize) as c_int;
        // SAFETY: both buffers hold the lengths passed and outlive the call.
        let r = unsafe { (self.x)(self.p.app, n(a), a.as_ptr() as *const c_void, n(b), b.as_ptr() as *const c_void) };
        r.cmp(&0)
    }
}

/// The name argument as text; None for NULL.
///
/// # Safety
/// `name` is NULL or a NUL-terminated string.
unsafe fn name_of(name: *const c_char) -> Option<String> {
    if name.is_null() {
        return None;
    }
    // SAFETY: the caller's contract.
    Some(unsafe { CStr::from_ptr(name) }.to_string_lossy().into_owned())
}

/// The callbacks of one registration.
#[derive(Clone, Copy)]
pub(crate) struct Callbacks {
    pub x_func: XFunc,
    pub x_step: XFunc,
    pub x_final: XFinal,
    pub x_value: XFinal,
    pub x_inverse: XFunc,
}

#[allow(clippy::too_many_arguments)]
pub(crate) unsafe fn create_function(db: *mut sqlite3, name: *const c_char, n_arg: c_int, enc: c_int, app: *mut c_void, cb: Callbacks, x_destroy: XDestroy) -> c_int {
    let Callbacks { x_func, x_step, x_final, x_value, x_inverse } = cb;
    // SAFETY: db is the caller's handle (NULL or closed gives MISUSE).
    unsafe {
        with_db(db, rc::MISUSE, |st| {
            let p = AppPtrs { db, app };
            let shared = x_destroy.map(|x| Arc::new(SharedDestroy { x, app: p }));
            // SAFETY: name is NULL or a C string.
            let name = name_of(name);
            let bad = name.as_ref().is_none_or(|n| n.len() > 255)
                || (x_func.is_some() && x_final.is_some())
                || (x_final.is_none() != x_step.is_none())
                || (x_value.is_none() != x_inverse.is_none())
                || !(-1..=MAX_FUNCTION_ARG).contains(&n_arg);
            let (Some(name), false) = (name, bad) else {
                drop(shared);
                return rc::MISUSE;
            };
            let Some(conn) = st.conn.as_mut() else { return rc::MISUSE };
            let flags = (enc & FUNC_FLAGS) as u32;
            let encs: &[u8] = match enc & 7 {
                2 => &[UTF16LE],
                3 => &[UTF16BE],
                4 => &[UTF16LE],
                5 => &[UTF8, UTF16LE, UTF16BE],
                _ => &[UTF8],
            };
            for &e in encs {
                let imp: Option<Box<dyn UserFunction>> = if x_func.is_some() || x_step.is_some() {
                    Some(Box::new(CFunc { p, x_func, x_step, x_final, x_value, x_inverse }))
                } else {
                    None
                };
                let destroy = shared.clone().map(|s| Box::new(move || drop(s)) as Destroy);
                if let Err(e) = conn.create_function(&name, n_arg, e, flags, imp, destroy) {
                    drop(shared);
                    return st.set_error(&e);
                }
            }
            // The registrations hold their own references; dropping ours
            // runs xDestroy only when none kept it (deleting nothing).
            drop(shared);
            rc::OK
        })
    }
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_create_function(db: *mut sqlite3, name: *const c_char, n_arg: c_int, enc: c_int, app: *mut c_void, x_func: XFunc, x_step: XFunc, x_final: XFinal) -> c_int {
    // SAFETY: forwarded.
    guard!(rc::INTERNAL, { unsafe { create_function(db, name, n_arg, enc, app, Callbacks { x_func, x_step, x_final, x_value: None, x_inverse: None }, None) } })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_create_function_v2(db: *mut sqlite3, name: *const c_char, n_arg: c_int, enc: c_int, app: *mut c_void, x_func: XFunc, x_step: XFunc, x_final: XFinal, x_destroy: XDestroy) -> c_int {
    // SAFETY: forwarded.
    guard!(rc::INTERNAL, { unsafe { create_function(db, name, n_arg, enc, app, Callbacks { x_func, x_step, x_final, x_value: None, x_inverse: None }, x_destroy) } })
}

/// An aggregate usable as a window function: xStep and xFinal, plus xValue
/// and xInverse (all four, or none to delete the function). Without xValue
/// and xInverse it is a plain aggregate, as in SQLite.
#[no_mangle]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn sqlite3_create_window_function(db: *mut sqlite3, name: *const c_char, n_arg: c_int, enc: c_int, app: *mut c_void, x_step: XFunc, x_final: XFinal, x_value: XFinal, x_inverse: XFunc, x_destroy: XDestroy) -> c_int {
    // SAFETY: forwarded.
    guard!(rc::INTERNAL, { unsafe { create_function(db, name, n_arg, enc, app, Callbacks { x_func: None, x_step, x_final, x_value, x_inverse }, x_destroy) } })
}

/// The destructor of a collation registration.
fn collation_destroy(x: unsafe extern "C" fn(*mut c_void), p: AppPtrs) -> Destroy {
    // SAFETY: the application's destructor for its own pointer; the
    // registry runs it at most once.
    Box::new(move || unsafe { x({ p }.app) })
}

pub(crate) unsafe fn create_collation(db: *mut sqlite3, name: *const c_char, enc: c_int, app: *mut c_void, x_compare: XCompare, x_destroy: XDestroy) -> c_int {
    // SAFETY: db is the caller's handle (NULL or closed gives MISUSE).
    unsafe {
        with_db(db, rc::MISUSE, |st| {
            let enc = match enc {
                4 | 8 => 2,
                e => e,
            };
            if !(1..=3).contains(&enc) {
                return rc::MISUSE;
            }
            // SAFETY: name is NULL or a C string.
            let Some(name) = name_of(name) else { return rc::MISUSE };
            let Some(conn) = st.conn.as_mut() else { return rc::MISUSE };
            let p = AppPtrs { db, app };
            let imp = x_compare.map(|x| Arc::new(CColl { p, x, enc: enc as u8 }) as Arc<dyn UserCollation>);
            let destroy = x_destroy.map(|x| collation_destroy(x, p));
            match conn.create_collation(&name, enc as u8, imp, destroy) {
                Ok(()) => {
                    st.clear_error();
                    rc::OK
                }
                Err(e) => st.set_error(&e),
            }
        })
    }
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_create_collation(db: *mut sqlite3, name: *const c_char, enc: c_int, app: *mut c_void, x_compare: XCompare) -> c_int {
    // SAFETY: forwarded.
    guard!(rc::INTERNAL, { unsafe { create_collation(db, name, enc, app, x_compare, None) } })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_create_collation_v2(db: *mut sqlite3, name: *const c_char, enc: c_int, app: *mut c_void, x_compare: XCompare, x_destroy: XDestroy) -> c_int {
    // SAFETY: forwarded.
    guard!(rc::INTERNAL, { unsafe { create_collation(db, name, enc, app, x_compare, x_destroy) } })
}
