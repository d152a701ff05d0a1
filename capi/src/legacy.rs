//! Legacy interfaces SQLite keeps for old programs: sqlite3_get_table /
//! sqlite3_free_table (built on sqlite3_exec, as SQLite's), and the
//! sqlite3_trace / sqlite3_profile callbacks (superseded by trace_v2).
//! As in SQLite, the three share one trace mask: sqlite3_trace and
//! trace_v2 replace each other and turn a profile callback off, and
//! sqlite3_profile turns the legacy trace off. The profile callback runs
//! when a started statement stops: at its last step, or at reset or
//! finalize.
//!
//! get_table's result is one sqlite3_malloc array laid out as SQLite's:
//! slot 0 (hidden, before the pointer handed out) holds the number of
//! slots, then the column names, then the rows, each string its own
//! sqlite3_malloc block (NULL for an SQL NULL). free_table relies on that
//! layout, so tables from either function family can be freed.

use std::ffi::{c_char, c_int, c_void, CStr};

use crate::db::with_db;
use crate::handle::{sqlite3, Trace, TRACE_STMT};
use crate::memory;
use crate::rc;

struct TableResult {
    /// Slot 0 is the count (written at the end); then names and values.
    slots: Vec<*mut c_char>,
    n_row: c_int,
    n_column: c_int,
    err: Option<String>,
    rc: c_int,
}

fn copy(p: *const c_char) -> *mut c_char {
    if p.is_null() {
        return std::ptr::null_mut();
    }
    // SAFETY: a C string from sqlite3_exec's arrays.
    memory::alloc_cstring(unsafe { CStr::from_ptr(p) }.to_bytes())
}

unsafe extern "C" fn table_cb(arg: *mut c_void, n: c_int, values: *mut *mut c_char, names: *mut *mut c_char) -> c_int {
    // SAFETY: arg is the TableResult of this get_table call; the arrays
    // hold `n` pointers each (values may be NULL: no row).
    guard!(1, {
        let r = unsafe { &mut *(arg as *mut TableResult) };
        if r.n_row == 0 {
            r.n_column = n;
            for i in 0..n as usize {
                r.slots.push(copy(unsafe { *names.add(i) }));
            }
        } else if r.n_column != n {
            r.err = Some("sqlite3_get_table() called with two or more incompatible queries".into());
            r.rc = rc::ERROR;
            return 1;
        }
        if !values.is_null() {
            for i in 0..n as usize {
                r.slots.push(copy(unsafe { *values.add(i) }));
            }
            r.n_row += 1;
        }
        0
    })
}

/// Frees a slot array given its first slot (the count).
unsafe fn free_slots(base: *mut *mut c_char) {
    // SAFETY: an array made by get_table: slot 0 holds the slot count.
    unsafe {
        let n = *base as usize;
        for i in 1..n {
            memory::release(*base.add(i) as *mut c_void);
        }
        memory::release(base as *mut c_void);
    }
}

/// Moves the slots into one sqlite3_malloc array (slot 0: the count).
fn into_array(mut slots: Vec<*mut c_char>) -> *mut *mut c_char {
    slots[0] = slots.len() as *mut c_char;
    let bytes = std::mem::size_of::<*mut c_char>() * slots.len();
    let p = memory::alloc(bytes as u64) as *mut *mut c_char;
    if p.is_null() {
        for s in &slots[1..] {
            // SAFETY: each string came from memory::alloc_cstring.
            unsafe { memory::release(*s as *mut c_void) };
        }
        return p;
    }
    // SAFETY: p has room for every slot.
    unsafe { std::ptr::copy_nonoverlapping(slots.as_ptr(), p, slots.len()) };
    p
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_get_table(db: *mut sqlite3, sql: *const c_char, paz_result: *mut *mut *mut c_char, pn_row: *mut c_int, pn_column: *mut c_int, pz_errmsg: *mut *mut c_char) -> c_int {
    guard!(rc::INTERNAL, {
        if paz_result.is_null() {
            return rc::MISUSE;
        }
        // SAFETY: output pointers as documented (NULL allowed but the result).
        unsafe {
            *paz_result = std::ptr::null_mut();
            if !pn_row.is_null() {
                *pn_row = 0;
            }
            if !pn_column.is_null() {
                *pn_column = 0;
            }
            if !pz_errmsg.is_null() {
                *pz_errmsg = std::ptr::null_mut();
            }
        }
        let mut r = TableResult { slots: vec![std::ptr::null_mut()], n_row: 0, n_column: 0, err: None, rc: rc::OK };
        // SAFETY: exec with our callback and the result as its argument.
        let code = unsafe { crate::exec::sqlite3_exec(db, sql, Some(table_cb), &mut r as *mut TableResult as *mut c_void, pz_errmsg) };
        if code & 0xff == rc::ABORT {
            // The callback stopped exec: the table's own error wins.
            let base = into_array(std::mem::take(&mut r.slots));
            if !base.is_null() {
                // SAFETY: just made.
                unsafe { free_slots(base) };
            }
            if let Some(msg) = &r.err {
                if !pz_errmsg.is_null() {
                    // SAFETY: replaces exec's message, which is freed.
                    unsafe {
                        memory::release(*pz_errmsg as *mut c_void);
                        *pz_errmsg = memory::alloc_cstring(msg.as_bytes());
                    }
                }
            }
            // SAFETY: db is the caller's handle; SQLite sets the code only.
            unsafe { with_db(db, (), |st| st.err_code = r.rc) };
            return r.rc;
        }
        let base = into_array(std::mem::take(&mut r.slots));
        if code != rc::OK {
            if !base.is_null() {
                // SAFETY: just made.
                unsafe { free_slots(base) };
            }
            return code;
        }
        if base.is_null() {
            return rc::NOMEM;
        }
        // SAFETY: output pointers as above; the caller sees the array from
        // slot 1.
        unsafe {
            *paz_result = base.add(1);
            if !pn_row.is_null() {
                *pn_row = r.n_row;
            }
            if !pn_column.is_null() {
                *pn_column = r.n_column;
            }
        }
        rc::OK
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_free_table(result: *mut *mut c_char) {
    if result.is_null() {
        return;
    }
    // SAFETY: a table from sqlite3_get_table: its count is one slot back.
    guard!((), { unsafe { free_slots(result.sub(1)) } })
}

// ------------------------------------------------------- trace, profile

pub type LegacyTraceFn = Option<unsafe extern "C" fn(*mut c_void, *const c_char)>;
pub type ProfileFn = Option<unsafe extern "C" fn(*mut c_void, *const c_char, crate::sqlite3_uint64)>;

/// A sqlite3_trace registration, run through the trace_v2 machinery: at
/// each statement start its callback gets the SQL with the bound values
/// expanded, as SQLite's legacy trace does.
pub struct LegacyTrace {
    f: unsafe extern "C" fn(*mut c_void, *const c_char),
    arg: *mut c_void,
}

unsafe extern "C" fn legacy_adapter(event: u32, ctx: *mut c_void, p: *mut c_void, x: *mut c_void) -> c_int {
    if event != TRACE_STMT {
        return 0;
    }
    // SAFETY: ctx is the LegacyTrace the connection owns; p the statement
    // starting and x its SQL text.
    guard!(0, {
        let t = unsafe { &*(ctx as *const LegacyTrace) };
        let expanded = unsafe { crate::stmt::sqlite3_expanded_sql(p as *mut crate::handle::sqlite3_stmt) };
        let text = if expanded.is_null() { x as *const c_char } else { expanded as *const c_char };
        unsafe {
            (t.f)(t.arg, text);
            memory::release(expanded as *mut c_void);
        }
        0
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_trace(db: *mut sqlite3, f: LegacyTraceFn, arg: *mut c_void) -> *mut c_void {
    // SAFETY: db is the caller's handle. Replaces any trace_v2
    // registration (SQLite keeps one) and returns its argument.
    guard!(std::ptr::null_mut(), {
        unsafe {
            with_db(db, std::ptr::null_mut(), |st| {
                // SQLite's pTraceArg: the last trace or trace_v2 argument,
                // even when a profile callback turned the trace off.
                let old = match (&st.legacy_trace, st.trace) {
                    (Some(l), _) => l.arg,
                    (None, Some(t)) => t.ctx,
                    (None, None) => std::ptr::null_mut(),
                };
                match f {
                    Some(f) => {
                        let b = Box::new(LegacyTrace { f, arg });
                        let ctx = &*b as *const LegacyTrace as *mut c_void;
                        st.legacy_trace = Some(b);
                        st.trace = Some(Trace { mask: TRACE_STMT, callback: legacy_adapter, ctx });
                    }
                    None => {
                        st.trace = None;
                        st.legacy_trace = None;
                    }
                }
                // One trace mask in SQLite: the profile callback stops.
                if let Some(p) = st.profile.as_mut() {
                    p.2 = false;
                }
                old
            })
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_profile(db: *mut sqlite3, f: ProfileFn, arg: *mut c_void) -> *mut c_void {
    // SAFETY: db is the caller's handle.
    guard!(std::ptr::null_mut(), {
        unsafe {
            with_db(db, std::ptr::null_mut(), |st| {
                let old = st.profile.map(|(_, a, _)| a as *mut c_void).unwrap_or(std::ptr::null_mut());
                st.profile = f.map(|f| (f, arg as usize, true));
                // As in SQLite, a profile callback turns the legacy trace
                // off (trace_v2 callbacks stay).
                if st.trace.is_some_and(|t| t.callback as *const () == legacy_adapter as *const ()) {
                    st.trace = None;
                }
                old
            })
        }
    })
}

/// Calls the profile callback for a statement that started and has not
/// reported yet (reset or finalize before the end), with no borrow held.
///
/// # Safety
/// `stmt` is a live statement handle.
pub(crate) unsafe fn profile_on_stop(stmt: *mut crate::handle::sqlite3_stmt) {
    // SAFETY: the caller's contract.
    let prof = unsafe {
        crate::stmt::with_stmt(stmt, None, |db, st| {
            let started = st.started.take()?;
            match db.profile {
                Some((f, arg, true)) => Some((f, arg, st.sql.as_ptr(), started)),
                _ => None,
            }
        })
    };
    if let Some((f, arg, sql, started)) = prof {
        let nanos = started.elapsed().as_nanos().min(u64::MAX as u128) as u64;
        // SAFETY: the application's profile callback with its argument,
        // the statement's SQL (alive: the statement is) and the time.
        unsafe { f(arg as *mut c_void, sql, nanos) };
    }
}
