//! sqlite3_rtree_geometry_callback and sqlite3_rtree_query_callback: MATCH
//! functions for the engine's R*Tree (`ferrolite::ext::rtree`).
//!
//! Each registration is an SQL function of any argument count (as SQLite
//! registers it: SQLITE_ANY, the callback record as user data, freed with
//! the application's destructor when the function goes). Calling it
//! returns a pointer value of type "RtreeMatchArg" that owns a `CMatch`:
//! the callback and the call's arguments (as doubles and as copies of the
//! values). The R*Tree starts a `CQuery` per search, which holds SQLite's
//! sqlite3_rtree_geometry / sqlite3_rtree_query_info block (same layout,
//! from include/sqlite3.h) at a fixed address for the whole search, so
//! that the callback's pUser survives between calls; xDelUser runs when
//! the search ends.

use std::ffi::{c_char, c_int, c_void};

use ferrolite::error::{Error, Result};
use ferrolite::ext::rtree::callback::{CellAnswer, CellTest, MatchArg, MatchFunction, MatchQuery, MATCH_ARG_TYPE};
use ferrolite::Value;

use crate::handle::sqlite3;
use crate::rc;
use crate::value::{sqlite3_context, sqlite3_value};

/// A geometry callback (xGeom).
pub type XRtreeGeom = Option<unsafe extern "C" fn(*mut sqlite3_rtree_geometry, c_int, *mut f64, *mut c_int) -> c_int>;
/// A query callback (xQueryFunc).
pub type XRtreeQuery = Option<unsafe extern "C" fn(*mut sqlite3_rtree_query_info) -> c_int>;
type XDel = unsafe extern "C" fn(*mut c_void);

/// sqlite3_rtree_geometry: the first five fields of
/// sqlite3_rtree_query_info, which is what a geometry callback gets.
#[repr(C)]
#[allow(non_camel_case_types)]
pub struct sqlite3_rtree_geometry {
    p_context: *mut c_void,
    n_param: c_int,
    a_param: *mut f64,
    p_user: *mut c_void,
    x_del_user: Option<XDel>,
}

/// sqlite3_rtree_query_info.
#[repr(C)]
#[allow(non_camel_case_types)]
pub struct sqlite3_rtree_query_info {
    p_context: *mut c_void,
    n_param: c_int,
    a_param: *mut f64,
    p_user: *mut c_void,
    x_del_user: Option<XDel>,
    a_coord: *mut f64,
    an_queue: *mut u32,
    n_coord: c_int,
    i_level: c_int,
    mx_level: c_int,
    i_rowid: i64,
    r_parent_score: f64,
    e_parent_within: c_int,
    e_within: c_int,
    r_score: f64,
    ap_sql_param: *mut *mut sqlite3_value,
}

/// One registration: the callback and the application's context.
#[derive(Clone, Copy)]
struct Callback {
    geom: XRtreeGeom,
    query: XRtreeQuery,
    destructor: Option<XDel>,
    context: *mut c_void,
}

/// The value of one call of a MATCH function.
struct CMatch {
    cb: Callback,
    params: Vec<f64>,
    sql_params: Vec<Value>,
}

// SAFETY: the callback and its context are the application's, called only
// by statements of the connection the function is registered on, under
// its mutex, as SQLite calls them.
unsafe impl Send for CMatch {}
// SAFETY: as for Send.
unsafe impl Sync for CMatch {}

/// One MATCH constraint during one search: the info block and the
/// buffers it points into, boxed so that their addresses stay put.
struct CQuery {
    cb: Callback,
    info: Box<sqlite3_rtree_query_info>,
    params: Box<[f64]>,
    // Boxed one by one: `sql_ptrs` points at each value.
    #[allow(clippy::vec_box)]
    sql_values: Vec<Box<sqlite3_value>>,
    sql_ptrs: Box<[*mut sqlite3_value]>,
    coords: Box<[f64; 10]>,
    queue: Box<[u32; 64]>,
}

// SAFETY: as for CMatch; the raw pointers point into this object's own
// boxes.
unsafe impl Send for CQuery {}

impl MatchFunction for CMatch {
    fn start(&self, n_coord: usize, max_level: i32) -> Box<dyn MatchQuery> {
        let mut params: Box<[f64]> = self.params.clone().into_boxed_slice();
        let mut sql_values: Vec<Box<sqlite3_value>> = self.sql_params.iter().map(|v| Box::new(sqlite3_value::new(v.clone()))).collect();
        let mut sql_ptrs: Box<[*mut sqlite3_value]> = sql_values.iter_mut().map(|b| &mut **b as *mut sqlite3_value).collect();
        let mut coords = Box::new([0f64; 10]);
        let mut queue = Box::new([0u32; 64]);
        let info = Box::new(sqlite3_rtree_query_info {
            p_context: self.cb.context,
            n_param: params.len() as c_int,
            a_param: params.as_mut_ptr(),
            p_user: std::ptr::null_mut(),
            x_del_user: None,
            a_coord: coords.as_mut_ptr(),
            an_queue: queue.as_mut_ptr(),
            n_coord: n_coord as c_int,
            i_level: 0,
            mx_level: max_level,
            i_rowid: 0,
            r_parent_score: 0.0,
            e_parent_within: 0,
            e_within: 0,
            r_score: 0.0,
            ap_sql_param: sql_ptrs.as_mut_ptr(),
        });
        Box::new(CQuery { cb: self.cb, info, params, sql_values, sql_ptrs, coords, queue })
    }
}

impl MatchQuery for CQuery {
    fn test(&mut self, cell: &CellTest<'_>) -> Result<CellAnswer> {
        let n = cell.coords.len().min(10);
        self.coords[..n].copy_from_slice(&cell.coords[..n]);
        if let Some(x_geom) = self.cb.geom {
            let mut within: c_int = 0;
            // SAFETY: the info block's first five fields are SQLite's
            // sqlite3_rtree_geometry; the coordinates are `n` doubles
            // owned by this object; the callback is the application's.
            let geometry = &mut *self.info as *mut sqlite3_rtree_query_info as *mut sqlite3_rtree_geometry;
            let code = unsafe { x_geom(geometry, n as c_int, self.coords.as_mut_ptr(), &mut within) };
            if code != rc::OK {
                return Err(Error::code(code));
            }
            return Ok(CellAnswer { within: if within == 0 { 0 } else { 2 }, score: None });
        }
        let Some(x_query) = self.cb.query else { return Err(Error::code(rc::ERROR)) };
        let q = cell.queue.len().min(self.queue.len());
        self.queue[..q].copy_from_slice(&cell.queue[..q]);
        let info = &mut *self.info;
        info.a_coord = self.coords.as_mut_ptr();
        info.i_level = cell.level;
        info.i_rowid = cell.rowid;
        info.r_score = cell.parent_score;
        info.r_parent_score = cell.parent_score;
        info.e_within = cell.parent_within;
        info.e_parent_within = cell.parent_within;
        // SAFETY: a complete sqlite3_rtree_query_info whose pointers point
        // into this object's boxes; the callback is the application's.
        let code = unsafe { x_query(info) };
        if code != rc::OK {
            return Err(Error::code(code));
        }
        Ok(CellAnswer { within: info.e_within, score: Some(info.r_score) })
    }
}

impl Drop for CQuery {
    fn drop(&mut self) {
        if let Some(del) = self.info.x_del_user {
            // SAFETY: the callback's own clean-up of its pUser, once, when
            // the search ends (as SQLite's cursor reset runs it).
            unsafe { del(self.info.p_user) };
        }
        let _ = (&self.params, &self.sql_values, &self.sql_ptrs);
    }
}

/// The SQL function behind every registration: packs the callback and
/// the arguments into an "RtreeMatchArg" pointer value.
unsafe extern "C" fn match_function(ctx: *mut sqlite3_context, argc: c_int, argv: *mut *mut sqlite3_value) {
    guard!((), {
        // SAFETY: Ferrolite calls this with a live context whose user data
        // is the Callback the registration boxed, and `argc` values.
        unsafe {
            let Some(c) = ctx.as_mut() else { return };
            let cb = *(c.user_data as *const Callback);
            let mut params = Vec::with_capacity(argc.max(0) as usize);
            let mut sql_params = Vec::with_capacity(argc.max(0) as usize);
            for i in 0..argc.max(0) as usize {
                let v = &**argv.add(i);
                params.push(ferrolite::vdbe::mem::to_real(v.v.as_ref()));
                sql_params.push(v.v.clone());
            }
            let owner = Box::new(MatchArg(Box::new(CMatch { cb, params, sql_params })));
            let addr = &*owner as *const MatchArg as usize;
            c.result = Value::Pointer(ferrolite::value::Pointer(std::sync::Arc::new(ferrolite::value::PointerData {
                addr,
                type_name: MATCH_ARG_TYPE.to_vec(),
                owner: Some(owner),
            })));
        }
    })
}

/// Frees a registration's Callback, running the application's destructor.
unsafe extern "C" fn free_callback(p: *mut c_void) {
    if p.is_null() {
        return;
    }
    // SAFETY: `p` is the Box::into_raw of `register`, freed once (the
    // function registry runs a destructor once).
    let cb = unsafe { Box::from_raw(p as *mut Callback) };
    if let Some(d) = cb.destructor {
        // SAFETY: the application's destructor for its context.
        unsafe { d(cb.context) };
    }
}

/// Registers `name` as a MATCH function for `cb`.
///
/// # Safety
/// `db` is a handle, `name` a C string.
unsafe fn register(db: *mut sqlite3, name: *const c_char, cb: Callback) -> c_int {
    let p = Box::into_raw(Box::new(cb)) as *mut c_void;
    // SAFETY: forwarded; on failure the registry runs free_callback, as
    // SQLite runs its destructor.
    unsafe { crate::udf::sqlite3_create_function_v2(db, name, -1, 5, p, Some(match_function), None, None, Some(free_callback)) }
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_rtree_geometry_callback(db: *mut sqlite3, name: *const c_char, x_geom: XRtreeGeom, context: *mut c_void) -> c_int {
    // SAFETY: forwarded.
    guard!(rc::INTERNAL, { unsafe { register(db, name, Callback { geom: x_geom, query: None, destructor: None, context }) } })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_rtree_query_callback(db: *mut sqlite3, name: *const c_char, x_query: XRtreeQuery, context: *mut c_void, destructor: crate::udf::XDestroy) -> c_int {
    // SAFETY: forwarded.
    guard!(rc::INTERNAL, { unsafe { register(db, name, Callback { geom: None, query: x_query, destructor, context }) } })
}
