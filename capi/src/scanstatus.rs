//! sqlite3_stmt_scanstatus, sqlite3_stmt_scanstatus_v2 and
//! sqlite3_stmt_scanstatus_reset over the engine's `Vm::scan_status`.
//!
//! Strings (NAME, EXPLAIN) are kept as C strings by the statement until it
//! is finalized. As SQLite, an entry or metric that does not exist returns
//! 1 and leaves the output alone; so does a NULL statement or output.

use std::ffi::{c_char, c_int, c_void};

use ferrolite::vdbe::scanstatus::ScanAnswer;

use crate::handle::{cstring, sqlite3_stmt};
use crate::stmt::with_stmt;

/// SQLITE_SCANSTAT_COMPLEX.
const COMPLEX: c_int = 1;

unsafe fn scanstatus(stmt: *mut sqlite3_stmt, idx: c_int, op: c_int, flags: c_int, out: *mut c_void) -> c_int {
    if out.is_null() {
        return 1;
    }
    // SAFETY: a statement from sqlite3_prepare* (checked by with_stmt).
    unsafe {
        with_stmt(stmt, 1, |_, st| {
            let Some(answer) = st.stmt.vm.scan_status(idx, op, flags & COMPLEX != 0) else { return 1 };
            match answer {
                // SAFETY (each arm): `out` points to the type the metric
                // documents, as the caller's contract says.
                ScanAnswer::Count(n) => *(out as *mut i64) = n,
                ScanAnswer::Estimate(e) => *(out as *mut f64) = e,
                ScanAnswer::Id(i) => *(out as *mut c_int) = i,
                ScanAnswer::Text(t) => {
                    let p = match t {
                        Some(t) => {
                            let at = match st.scan_strings.iter().position(|c| c.as_bytes() == t.as_bytes()) {
                                Some(k) => k,
                                None => {
                                    st.scan_strings.push(cstring(t.as_bytes()));
                                    st.scan_strings.len() - 1
                                }
                            };
                            st.scan_strings[at].as_ptr()
                        }
                        None => std::ptr::null(),
                    };
                    *(out as *mut *const c_char) = p;
                }
            }
            0
        })
    }
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_stmt_scanstatus(stmt: *mut sqlite3_stmt, idx: c_int, op: c_int, out: *mut c_void) -> c_int {
    // SAFETY: forwarded.
    guard!(1, { unsafe { scanstatus(stmt, idx, op, 0, out) } })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_stmt_scanstatus_v2(stmt: *mut sqlite3_stmt, idx: c_int, op: c_int, flags: c_int, out: *mut c_void) -> c_int {
    // SAFETY: forwarded.
    guard!(1, { unsafe { scanstatus(stmt, idx, op, flags, out) } })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_stmt_scanstatus_reset(stmt: *mut sqlite3_stmt) {
    // SAFETY: a statement from sqlite3_prepare* (checked by with_stmt).
    guard!((), { unsafe { with_stmt(stmt, (), |_, st| st.stmt.vm.scan_status_reset()) } })
}
