//! The virtual-table API: sqlite3_create_module(_v2), sqlite3_drop_modules,
//! sqlite3_declare_vtab, sqlite3_vtab_config, sqlite3_vtab_on_conflict,
//! sqlite3_vtab_nochange, and the xBestIndex helpers (vtab_collation,
//! vtab_distinct, vtab_in, vtab_in_first / in_next, vtab_rhs_value).
//!
//! The engine (`ferrolite::vtab`) knows modules, tables and cursors only
//! through its traits; this module implements them with the application's
//! `sqlite3_module` callbacks, passing SQLite's structures with SQLite's
//! exact layouts (`sqlite3_index_info` is built for each xBestIndex call
//! and its outputs read back).
//!
//! The callbacks run while the connection's state is borrowed (during a
//! prepare or a step), so what they may call back into — declare_vtab,
//! vtab_config, vtab_on_conflict, vtab_nochange, the xBestIndex helpers —
//! reads per-thread frames set up around the call instead of the
//! connection: a frame exists exactly while the corresponding callback
//! runs, which is what makes "only valid inside xCreate / xConnect" (and
//! inside xBestIndex, xUpdate, xColumn) checkable.
//!
//! Destructors: the xDestroy of create_module_v2 runs exactly once, when
//! the module's registration is replaced or dropped and no connected table
//! still uses it (or at once, if registration fails); a table is
//! disconnected (xDisconnect) when the engine drops it, unless xDestroy
//! (DROP TABLE) ended it; a cursor's xClose runs when the engine drops it.

use std::cell::RefCell;
use std::ffi::{c_char, c_int, c_void, CStr, CString};
use std::sync::Arc;

use ferrolite::connection::Connection;
use ferrolite::error::{Error, Result};
use ferrolite::vtab::{self as engine, Connected, IndexInfo, Module, VTab, VTabCursor, VtabConfig};
use ferrolite::Value;

use crate::db::with_db;
use crate::handle::sqlite3;
use crate::rc;
use crate::udf::XDestroy;
use crate::value::{sqlite3_context, sqlite3_value};

type XCtor = Option<unsafe extern "C" fn(*mut sqlite3, *mut c_void, c_int, *const *const c_char, *mut *mut sqlite3_vtab, *mut *mut c_char) -> c_int>;
type XVtab = Option<unsafe extern "C" fn(*mut sqlite3_vtab) -> c_int>;
type XVtabInt = Option<unsafe extern "C" fn(*mut sqlite3_vtab, c_int) -> c_int>;
type XCursor = Option<unsafe extern "C" fn(*mut sqlite3_vtab_cursor) -> c_int>;
type XFunc = Option<unsafe extern "C" fn(*mut sqlite3_context, c_int, *mut *mut sqlite3_value)>;

/// SQLite's sqlite3_module, field for field.
#[repr(C)]
pub struct sqlite3_module {
    pub i_version: c_int,
    pub x_create: XCtor,
    pub x_connect: XCtor,
    pub x_best_index: Option<unsafe extern "C" fn(*mut sqlite3_vtab, *mut sqlite3_index_info) -> c_int>,
    pub x_disconnect: XVtab,
    pub x_destroy: XVtab,
    pub x_open: Option<unsafe extern "C" fn(*mut sqlite3_vtab, *mut *mut sqlite3_vtab_cursor) -> c_int>,
    pub x_close: XCursor,
    pub x_filter: Option<unsafe extern "C" fn(*mut sqlite3_vtab_cursor, c_int, *const c_char, c_int, *mut *mut sqlite3_value) -> c_int>,
    pub x_next: XCursor,
    pub x_eof: XCursor,
    pub x_column: Option<unsafe extern "C" fn(*mut sqlite3_vtab_cursor, *mut sqlite3_context, c_int) -> c_int>,
    pub x_rowid: Option<unsafe extern "C" fn(*mut sqlite3_vtab_cursor, *mut i64) -> c_int>,
    pub x_update: Option<unsafe extern "C" fn(*mut sqlite3_vtab, c_int, *mut *mut sqlite3_value, *mut i64) -> c_int>,
    pub x_begin: XVtab,
    pub x_sync: XVtab,
    pub x_commit: XVtab,
    pub x_rollback: XVtab,
    pub x_find_function: Option<unsafe extern "C" fn(*mut sqlite3_vtab, c_int, *const c_char, *mut XFunc, *mut *mut c_void) -> c_int>,
    pub x_rename: Option<unsafe extern "C" fn(*mut sqlite3_vtab, *const c_char) -> c_int>,
    pub x_savepoint: XVtabInt,
    pub x_release: XVtabInt,
    pub x_rollback_to: XVtabInt,
    pub x_shadow_name: Option<unsafe extern "C" fn(*const c_char) -> c_int>,
    pub x_integrity: Option<unsafe extern "C" fn(*mut sqlite3_vtab, *const c_char, *const c_char, c_int, *mut *mut c_char) -> c_int>,
}

#[repr(C)]
pub struct sqlite3_vtab {
    pub p_module: *const sqlite3_module,
    pub n_ref: c_int,
    pub z_err_msg: *mut c_char,
}

#[repr(C)]
pub struct sqlite3_vtab_cursor {
    pub p_vtab: *mut sqlite3_vtab,
}

#[repr(C)]
pub struct sqlite3_index_constraint {
    pub i_column: c_int,
    pub op: u8,
    pub usable: u8,
    pub i_term_offset: c_int,
}

#[repr(C)]
pub struct sqlite3_index_orderby {
    pub i_column: c_int,
    pub desc: u8,
}

#[repr(C)]
pub struct sqlite3_index_constraint_usage {
    pub argv_index: c_int,
    pub omit: u8,
}

#[repr(C)]
pub struct sqlite3_index_info {
    pub n_constraint: c_int,
    pub a_constraint: *mut sqlite3_index_constraint,
    pub n_order_by: c_int,
    pub a_order_by: *mut sqlite3_index_orderby,
    pub a_constraint_usage: *mut sqlite3_index_constraint_usage,
    pub idx_num: c_int,
    pub idx_str: *mut c_char,
    pub need_to_free_idx_str: c_int,
    pub order_by_consumed: c_int,
    pub estimated_cost: f64,
    pub estimated_rows: i64,
    pub idx_flags: c_int,
    pub col_used: u64,
}

// ------------------------------------------------------------ call frames

/// What xCreate / xConnect may set through declare_vtab and vtab_config.
struct CtorFrame {
    db: usize,
    declared: Option<String>,
    config: VtabConfig,
}

/// What the xBestIndex helpers read for one call.
struct BestIndexFrame {
    info: usize,
    collations: Vec<CString>,
    rhs: Vec<Option<Box<sqlite3_value>>>,
    distinct: c_int,
    /// Which constraints are INs sqlite3_vtab_in may hand over, and which
    /// the module asked for.
    is_in: Vec<bool>,
    handle_in: Vec<bool>,
}

thread_local! {
    static CTORS: RefCell<Vec<CtorFrame>> = const { RefCell::new(Vec::new()) };
    static BEST_INDEX: RefCell<Vec<BestIndexFrame>> = const { RefCell::new(Vec::new()) };
    /// (db, conflict mode) while xUpdate runs.
    static ON_CONFLICT: RefCell<Vec<(usize, c_int)>> = const { RefCell::new(Vec::new()) };
}

/// Pops the top entry of a frame stack when dropped (even on unwinding).
struct Pop(fn());
impl Drop for Pop {
    fn drop(&mut self) {
        (self.0)()
    }
}

// ------------------------------------------------------------ the module

/// A module registered by the application.
/// Runs a module callback with the running statement's connection lent
/// back to the handle `db` (`udf::lent`), so that the callback may prepare
/// and step statements on its own connection as SQLite allows. With
/// `writes` (xCreate, xUpdate, xRename, xDestroy) those statements never
/// commit on their own: the statement that called the module does.
fn with_module_statements<R>(db: *mut sqlite3, conn: &mut Connection, writes: bool, f: impl FnOnce() -> R) -> R {
    if writes {
        conn.module_nesting += 1;
    }
    let r = crate::udf::lent(db, Some(&mut *conn as &mut dyn std::any::Any), f);
    if writes {
        conn.module_nesting -= 1;
    }
    r
}

struct CModule {
    p: *const sqlite3_module,
    aux: *mut c_void,
    destroy: XDestroy,
    db: *mut sqlite3,
}

// SAFETY: the pointers are the application's; Ferrolite only passes them
// back to its callbacks, with the connection's mutex held (statements run
// and prepare under it), as SQLite does.
unsafe impl Send for CModule {}
// SAFETY: as for Send.
unsafe impl Sync for CModule {}

impl Drop for CModule {
    fn drop(&mut self) {
        if let Some(d) = self.destroy {
            // SAFETY: the application's destructor for its own pointer, run
            // once: the module is dropped once.
            unsafe { d(self.aux) };
        }
    }
}

impl CModule {
    fn m(&self) -> &sqlite3_module {
        // SAFETY: SQLite requires the module structure to stay valid for
        // as long as it is registered; tables keep the registration alive.
        unsafe { &*self.p }
    }
}

/// Takes the vtab's zErrMsg (freeing it) as the message of an error with
/// code `code`; SQLite's default text for the code when there is none.
fn take_error(vtab: *mut sqlite3_vtab, code: c_int) -> Error {
    let code = if code == rc::OK { rc::ERROR } else { code };
    // SAFETY: a live sqlite3_vtab the module returned.
    let msg = unsafe { take_msg(&mut (*vtab).z_err_msg) };
    match msg {
        Some(m) => Error::with_message(code, m),
        None => Error::code(code),
    }
}

/// Takes and frees a message allocated with sqlite3_malloc.
///
/// # Safety
/// `*p` is NULL or a NUL-terminated string from sqlite3_malloc.
unsafe fn take_msg(p: &mut *mut c_char) -> Option<String> {
    if p.is_null() {
        return None;
    }
    // SAFETY: the caller's contract.
    let s = unsafe { CStr::from_ptr(*p) }.to_string_lossy().into_owned();
    // SAFETY: allocated by sqlite3_malloc (sqlite3_mprintf), as SQLite requires.
    unsafe { crate::memory::release(*p as *mut c_void) };
    *p = std::ptr::null_mut();
    Some(s)
}

impl Module for CModule {
    fn has_create(&self) -> bool {
        self.m().x_create.is_some()
    }

    fn eponymous(&self) -> bool {
        let m = self.m();
        match (m.x_create, m.x_connect) {
            (None, _) => true,
            (Some(c), Some(k)) => std::ptr::fn_addr_eq(c, k),
            (Some(_), None) => false,
        }
    }

    /// xCreate with the connection lent back to the handle, so that the
    /// module may run statements on it (create its own tables), as in
    /// SQLite; those never commit on their own (`module_nesting`).
    fn create_on(self: Arc<Self>, conn: &mut Connection, argv: &[String]) -> Result<Connected> {
        let db = self.db;
        with_module_statements(db, conn, true, || self.connect(true, argv))
    }

    fn connect(self: Arc<Self>, create: bool, argv: &[String]) -> Result<Connected> {
        let m = self.m();
        let table = argv.get(2).cloned().unwrap_or_default();
        let ctor = if create {
            if m.x_create.is_none() || m.x_destroy.is_none() {
                return Err(Error::sql(format!("no such module: {}", argv.first().map(String::as_str).unwrap_or(""))));
            }
            m.x_create
        } else {
            m.x_connect
        };
        let Some(ctor) = ctor else { return Err(Error::sql(format!("vtable constructor failed: {table}"))) };
        let cargs: Vec<CString> = argv.iter().map(|a| crate::handle::cstring(a.as_bytes())).collect();
        let ptrs: Vec<*const c_char> = cargs.iter().map(|c| c.as_ptr()).collect();
        let mut vtab: *mut sqlite3_vtab = std::ptr::null_mut();
        let mut err: *mut c_char = std::ptr::null_mut();
        CTORS.with(|c| c.borrow_mut().push(CtorFrame { db: self.db as usize, declared: None, config: VtabConfig::default() }));
        let frame = {
            // SAFETY: the application's constructor with SQLite's
            // arguments: argv holds `ptrs.len()` C strings that outlive
            // the call.
            let code = unsafe { ctor(self.db, self.aux, ptrs.len() as c_int, ptrs.as_ptr(), &mut vtab, &mut err) };
            let frame = CTORS.with(|c| c.borrow_mut().pop());
            if code != rc::OK {
                // SAFETY: the error message the constructor allocated.
                let msg = unsafe { take_msg(&mut err) }.unwrap_or_else(|| format!("vtable constructor failed: {table}"));
                return Err(Error::with_message(code, msg));
            }
            // SAFETY: as above.
            unsafe { take_msg(&mut err) };
            frame
        };
        if vtab.is_null() {
            return Err(Error::sql(format!("vtable constructor failed: {table}")));
        }
        // SAFETY: the table the constructor returned.
        unsafe {
            (*vtab).p_module = self.p;
            (*vtab).n_ref = 0;
            (*vtab).z_err_msg = std::ptr::null_mut();
        }
        let c = CVTab { module: self.clone(), vtab, destroyed: false };
        let Some(frame) = frame else { return Err(Error::with_message(rc::INTERNAL, "lost constructor frame")) };
        let Some(declared) = frame.declared else {
            drop(c);
            return Err(Error::sql(format!("vtable constructor did not declare schema: {table}")));
        };
        Ok(Connected { vtab: Box::new(c), declared, config: frame.config })
    }
}

/// A connected table (sqlite3_vtab).
struct CVTab {
    module: Arc<CModule>,
    vtab: *mut sqlite3_vtab,
    destroyed: bool,
}

// SAFETY: see CModule.
unsafe impl Send for CVTab {}

impl Drop for CVTab {
    fn drop(&mut self) {
        if self.destroyed {
            return;
        }
        if let Some(x) = self.module.m().x_disconnect {
            // SAFETY: the table is live and disconnected once.
            unsafe { x(self.vtab) };
        }
    }
}

impl CVTab {
    fn call(&self, f: XVtab) -> Result<()> {
        let Some(f) = f else { return Ok(()) };
        // SAFETY: a live table.
        let code = unsafe { f(self.vtab) };
        if code == rc::OK {
            Ok(())
        } else {
            Err(take_error(self.vtab, code))
        }
    }

    fn call_int(&self, f: XVtabInt, n: i32) -> Result<()> {
        let Some(f) = f else { return Ok(()) };
        // SAFETY: a live table.
        let code = unsafe { f(self.vtab, n) };
        if code == rc::OK {
            Ok(())
        } else {
            Err(take_error(self.vtab, code))
        }
    }
}

impl VTab for CVTab {
    fn best_index(&mut self, info: &mut IndexInfo) -> Result<()> {
        let Some(x) = self.module.m().x_best_index else { return Err(Error::sql("xBestIndex missing")) };
        let mut cons: Vec<sqlite3_index_constraint> = info
            .constraints
            .iter()
            .map(|c| sqlite3_index_constraint { i_column: c.column, op: c.op, usable: u8::from(c.usable), i_term_offset: c.term_offset })
            .collect();
        let mut order: Vec<sqlite3_index_orderby> = info.order_by.iter().map(|o| sqlite3_index_orderby { i_column: o.column, desc: u8::from(o.desc) }).collect();
        let mut usage: Vec<sqlite3_index_constraint_usage> = info.constraints.iter().map(|_| sqlite3_index_constraint_usage { argv_index: 0, omit: 0 }).collect();
        let mut ii = sqlite3_index_info {
            n_constraint: cons.len() as c_int,
            a_constraint: cons.as_mut_ptr(),
            n_order_by: order.len() as c_int,
            a_order_by: order.as_mut_ptr(),
            a_constraint_usage: usage.as_mut_ptr(),
            idx_num: info.idx_num,
            idx_str: std::ptr::null_mut(),
            need_to_free_idx_str: 0,
            order_by_consumed: c_int::from(info.order_by_consumed),
            estimated_cost: info.estimated_cost,
            estimated_rows: info.estimated_rows,
            idx_flags: info.idx_flags,
            col_used: info.col_used,
        };
        let addr = &ii as *const sqlite3_index_info as usize;
        BEST_INDEX.with(|f| {
            f.borrow_mut().push(BestIndexFrame {
                info: addr,
                collations: info.constraints.iter().map(|c| crate::handle::cstring(c.collation.as_bytes())).collect(),
                rhs: info.constraints.iter().map(|c| c.rhs.clone().map(|v| Box::new(sqlite3_value::new(v)))).collect(),
                distinct: info.distinct,
                is_in: info.constraints.iter().map(|c| c.is_in).collect(),
                handle_in: vec![false; info.constraints.len()],
            })
        });
        let (code, handle_in) = {
            let _pop = Pop(|| {
                BEST_INDEX.with(|f| {
                    f.borrow_mut().pop();
                })
            });
            // SAFETY: a live table and an index_info whose arrays (above)
            // outlive the call.
            let code = unsafe { x(self.vtab, &mut ii) };
            (code, BEST_INDEX.with(|f| f.borrow().last().map(|fr| fr.handle_in.clone()).unwrap_or_default()))
        };
        let idx_str = if ii.idx_str.is_null() {
            None
        } else {
            // SAFETY: a C string the module set.
            let s = unsafe { CStr::from_ptr(ii.idx_str) }.to_string_lossy().into_owned();
            if ii.need_to_free_idx_str != 0 {
                // SAFETY: the module allocated it with sqlite3_malloc and
                // asked for it to be freed.
                unsafe { crate::memory::release(ii.idx_str as *mut c_void) };
            }
            Some(s)
        };
        if code != rc::OK {
            // SAFETY: a live table.
            let msg = unsafe { take_msg(&mut (*self.vtab).z_err_msg) };
            if code == rc::CONSTRAINT {
                return Err(Error::code(rc::CONSTRAINT));
            }
            return Err(Error::sql(msg.unwrap_or_else(|| ferrolite::error::errstr(code).to_string())));
        }
        info.usage = usage.iter().map(|u| engine::ConstraintUsage { argv_index: u.argv_index, omit: u.omit != 0 }).collect();
        info.idx_num = ii.idx_num;
        info.idx_str = idx_str;
        info.order_by_consumed = ii.order_by_consumed != 0;
        info.estimated_cost = ii.estimated_cost;
        info.estimated_rows = ii.estimated_rows;
        info.idx_flags = ii.idx_flags;
        info.handle_in = handle_in;
        Ok(())
    }

    fn open(&mut self) -> Result<Box<dyn VTabCursor>> {
        let Some(x) = self.module.m().x_open else { return Err(Error::sql("xOpen missing")) };
        let mut cur: *mut sqlite3_vtab_cursor = std::ptr::null_mut();
        // SAFETY: a live table.
        let code = unsafe { x(self.vtab, &mut cur) };
        if code != rc::OK {
            return Err(take_error(self.vtab, code));
        }
        if cur.is_null() {
            return Err(Error::code(rc::ERROR));
        }
        // SAFETY: the cursor the module returned.
        unsafe { (*cur).p_vtab = self.vtab };
        Ok(Box::new(CCursor { module: self.module.clone(), vtab: self.vtab, cur, db: self.module.db }))
    }

    fn destroy_on(&mut self, conn: &mut Connection) -> Result<()> {
        let db = self.module.db;
        with_module_statements(db, conn, true, || self.destroy())
    }

    fn update_on(&mut self, conn: &mut Connection, argv: &[Value], on_conflict: i32) -> Result<Option<i64>> {
        let db = self.module.db;
        with_module_statements(db, conn, true, || self.update(argv, on_conflict))
    }

    fn rename_on(&mut self, conn: &mut Connection, new_name: &str) -> Result<()> {
        let db = self.module.db;
        with_module_statements(db, conn, true, || self.rename(new_name))
    }

    /// xIntegrity (version 4 and up): its zErr is the report; an error
    /// code fails the check with that code.
    fn integrity_on(&mut self, conn: &mut Connection, schema: &str, name: &str, quick: bool) -> Result<Option<String>> {
        let m = self.module.m();
        if m.i_version < 4 {
            return Ok(None);
        }
        let Some(x) = m.x_integrity else { return Ok(None) };
        let zs = crate::handle::cstring(schema.as_bytes());
        let zn = crate::handle::cstring(name.as_bytes());
        let mut err: *mut c_char = std::ptr::null_mut();
        let vtab = self.vtab;
        let db = self.module.db;
        // SAFETY: a live table, C strings that outlive the call and a
        // local for the message.
        let code = with_module_statements(db, conn, false, || unsafe { x(vtab, zs.as_ptr(), zn.as_ptr(), c_int::from(quick), &mut err) });
        // SAFETY: the message the module allocated with sqlite3_malloc.
        let msg = unsafe { take_msg(&mut err) };
        if code != rc::OK {
            return Err(Error::code(code));
        }
        Ok(msg)
    }

    fn destroy(&mut self) -> Result<()> {
        let r = self.call(self.module.m().x_destroy);
        if r.is_ok() {
            self.destroyed = true;
        }
        r
    }

    fn has_update(&self) -> bool {
        self.module.m().x_update.is_some()
    }

    fn update(&mut self, argv: &[Value], on_conflict: i32) -> Result<Option<i64>> {
        let Some(x) = self.module.m().x_update else { return Err(Error::sql("table is read-only")) };
        let mut vals: Vec<sqlite3_value> = argv.iter().map(|v| sqlite3_value::new(v.clone())).collect();
        let mut ptrs: Vec<*mut sqlite3_value> = vals.iter_mut().map(|v| v as *mut sqlite3_value).collect();
        let mut rowid: i64 = 0;
        ON_CONFLICT.with(|c| c.borrow_mut().push((self.module.db as usize, on_conflict)));
        let code = {
            let _pop = Pop(|| {
                ON_CONFLICT.with(|c| {
                    c.borrow_mut().pop();
                })
            });
            // SAFETY: a live table; the values outlive the call.
            unsafe { x(self.vtab, ptrs.len() as c_int, ptrs.as_mut_ptr(), &mut rowid) }
        };
        drop(vals);
        if code != rc::OK {
            return Err(take_error(self.vtab, code));
        }
        Ok(Some(rowid))
    }

    fn begin(&mut self) -> Result<()> {
        self.call(self.module.m().x_begin)
    }
    fn sync(&mut self) -> Result<()> {
        self.call(self.module.m().x_sync)
    }
    fn commit(&mut self) -> Result<()> {
        self.call(self.module.m().x_commit)
    }
    fn rollback(&mut self) -> Result<()> {
        self.call(self.module.m().x_rollback)
    }
    fn has_begin(&self) -> bool {
        self.module.m().x_begin.is_some()
    }
    fn version(&self) -> i32 {
        self.module.m().i_version
    }
    fn savepoint(&mut self, n: i32) -> Result<()> {
        self.call_int(self.module.m().x_savepoint, n)
    }
    fn release(&mut self, n: i32) -> Result<()> {
        self.call_int(self.module.m().x_release, n)
    }
    fn rollback_to(&mut self, n: i32) -> Result<()> {
        self.call_int(self.module.m().x_rollback_to, n)
    }
    fn find_function(&mut self, n_arg: i32, name: &str) -> Option<(i32, Box<dyn ferrolite::func::user::UserFunction>)> {
        let x = self.module.m().x_find_function?;
        let c = crate::handle::cstring(name.as_bytes());
        let mut f: XFunc = None;
        let mut arg: *mut c_void = std::ptr::null_mut();
        // SAFETY: a live table; the outputs are locals.
        let found = unsafe { x(self.vtab, n_arg, c.as_ptr(), &mut f, &mut arg) };
        if found == 0 {
            return None;
        }
        Some((found, Box::new(OverloadFunc { x: f?, arg, db: self.module.db })))
    }

    fn rename(&mut self, new_name: &str) -> Result<()> {
        let Some(x) = self.module.m().x_rename else { return Ok(()) };
        let c = crate::handle::cstring(new_name.as_bytes());
        // SAFETY: a live table and a C string for the call.
        let code = unsafe { x(self.vtab, c.as_ptr()) };
        if code == rc::OK {
            Ok(())
        } else {
            Err(take_error(self.vtab, code))
        }
    }
}

/// A function a module's xFindFunction supplied: its xFunc with the user
/// data (ppArg) it chose.
struct OverloadFunc {
    x: unsafe extern "C" fn(*mut sqlite3_context, c_int, *mut *mut sqlite3_value),
    arg: *mut c_void,
    db: *mut sqlite3,
}

// SAFETY: see CModule.
unsafe impl Send for OverloadFunc {}
// SAFETY: see CModule.
unsafe impl Sync for OverloadFunc {}

impl ferrolite::func::user::UserFunction for OverloadFunc {
    fn is_aggregate(&self) -> bool {
        false
    }
    fn call(&self, args: &[Value]) -> Result<Value> {
        let mut ctx = sqlite3_context::new(self.arg, self.db);
        crate::udf::invoke(&mut ctx, args, self.x);
        crate::udf::outcome(ctx)
    }
    fn start(&self) -> Box<dyn ferrolite::func::Aggregate> {
        Box::new(NoAggregate)
    }
}

/// Never used: an overloaded function is a scalar.
struct NoAggregate;
impl ferrolite::func::Aggregate for NoAggregate {
    fn step(&mut self, _args: &[Value], _env: &mut dyn ferrolite::func::FuncEnv) -> Result<()> {
        Err(Error::with_message(rc::INTERNAL, "not an aggregate"))
    }
    fn finalize(&mut self, _env: &mut dyn ferrolite::func::FuncEnv) -> Result<Value> {
        Err(Error::with_message(rc::INTERNAL, "not an aggregate"))
    }
}

/// An open cursor (sqlite3_vtab_cursor).
struct CCursor {
    module: Arc<CModule>,
    vtab: *mut sqlite3_vtab,
    cur: *mut sqlite3_vtab_cursor,
    db: *mut sqlite3,
}

// SAFETY: see CModule.
unsafe impl Send for CCursor {}

impl Drop for CCursor {
    fn drop(&mut self) {
        if let Some(x) = self.module.m().x_close {
            // SAFETY: a live cursor, closed once.
            unsafe { x(self.cur) };
        }
    }
}

impl CCursor {
    fn check(&self, code: c_int) -> Result<()> {
        if code == rc::OK {
            Ok(())
        } else {
            Err(take_error(self.vtab, code))
        }
    }
}

impl VTabCursor for CCursor {
    fn filter_on(&mut self, conn: &mut Connection, idx_num: i32, idx_str: Option<&str>, args: &[Value]) -> Result<()> {
        let db = self.db;
        with_module_statements(db, conn, false, || self.filter(idx_num, idx_str, args))
    }

    fn next_on(&mut self, conn: &mut Connection) -> Result<()> {
        let db = self.db;
        with_module_statements(db, conn, false, || self.next())
    }

    fn eof_on(&mut self, conn: &mut Connection) -> bool {
        let db = self.db;
        with_module_statements(db, conn, false, || self.eof())
    }

    fn column_on(&mut self, conn: &mut Connection, i: usize, nochange: bool) -> Result<Value> {
        let db = self.db;
        with_module_statements(db, conn, false, || self.column(i, nochange))
    }

    fn rowid_on(&mut self, conn: &mut Connection) -> Result<i64> {
        let db = self.db;
        with_module_statements(db, conn, false, || self.rowid())
    }

    fn filter(&mut self, idx_num: i32, idx_str: Option<&str>, args: &[Value]) -> Result<()> {
        let Some(x) = self.module.m().x_filter else { return Err(Error::sql("xFilter missing")) };
        let s = idx_str.map(|s| crate::handle::cstring(s.as_bytes()));
        let mut vals: Vec<sqlite3_value> = args.iter().map(|v| sqlite3_value::new(v.clone())).collect();
        let mut ptrs: Vec<*mut sqlite3_value> = vals.iter_mut().map(|v| v as *mut sqlite3_value).collect();
        // SAFETY: a live cursor; the string and values outlive the call.
        let code = unsafe { x(self.cur, idx_num, s.as_ref().map_or(std::ptr::null(), |c| c.as_ptr()), ptrs.len() as c_int, ptrs.as_mut_ptr()) };
        drop(vals);
        self.check(code)
    }

    fn next(&mut self) -> Result<()> {
        let Some(x) = self.module.m().x_next else { return Err(Error::sql("xNext missing")) };
        // SAFETY: a live cursor.
        let code = unsafe { x(self.cur) };
        self.check(code)
    }

    fn eof(&mut self) -> bool {
        let Some(x) = self.module.m().x_eof else { return true };
        // SAFETY: a live cursor.
        unsafe { x(self.cur) != 0 }
    }

    fn column(&mut self, i: usize, nochange: bool) -> Result<Value> {
        let Some(x) = self.module.m().x_column else { return Err(Error::sql("xColumn missing")) };
        let mut ctx = sqlite3_context::new(std::ptr::null_mut(), self.db);
        // An UPDATE's unchanged column: the result starts as the no-change
        // marker, which sqlite3_vtab_nochange sees and which stays if the
        // module sets nothing.
        if nochange {
            ctx.result = engine::nochange_value();
        }
        // SAFETY: a live cursor and a context for this call.
        let code = unsafe { x(self.cur, &mut ctx, i as c_int) };
        self.check(code)?;
        if let Some((c, m)) = ctx.error.take() {
            return Err(Error::with_message(c, m));
        }
        Ok(std::mem::replace(&mut ctx.result, Value::Null))
    }

    fn rowid(&mut self) -> Result<i64> {
        let Some(x) = self.module.m().x_rowid else { return Err(Error::sql("xRowid missing")) };
        let mut r: i64 = 0;
        // SAFETY: a live cursor.
        let code = unsafe { x(self.cur, &mut r) };
        self.check(code)?;
        Ok(r)
    }
}

// ------------------------------------------------------------ entry points

unsafe fn create_module(db: *mut sqlite3, name: *const c_char, p: *const sqlite3_module, aux: *mut c_void, destroy: XDestroy) -> c_int {
    let run_destroy = || {
        if let Some(d) = destroy {
            // SAFETY: the application's destructor, run once because the
            // registration failed.
            unsafe { d(aux) };
        }
    };
    if name.is_null() {
        run_destroy();
        return rc::MISUSE;
    }
    // SAFETY: a C string.
    let zname = unsafe { CStr::from_ptr(name) }.to_string_lossy().into_owned();
    let module: Option<Arc<dyn Module>> = if p.is_null() { None } else { Some(Arc::new(CModule { p, aux, destroy, db })) };
    let had_destroy = module.is_some();
    // SAFETY: db is the caller's handle.
    let r = unsafe {
        with_db(db, None, |st| {
            let conn = st.conn.as_ref()?;
            engine::lock(&conn.vtabs).set_module(&zname, module);
            st.clear_error();
            Some(())
        })
    };
    match r {
        Some(()) => rc::OK,
        None => {
            // The module object (if made) was dropped unregistered and ran
            // the destructor; otherwise run it here.
            if !had_destroy {
                run_destroy();
            }
            rc::MISUSE
        }
    }
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_create_module(db: *mut sqlite3, name: *const c_char, p: *const sqlite3_module, aux: *mut c_void) -> c_int {
    // SAFETY: forwarded.
    guard!(rc::INTERNAL, { unsafe { create_module(db, name, p, aux, None) } })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_create_module_v2(db: *mut sqlite3, name: *const c_char, p: *const sqlite3_module, aux: *mut c_void, destroy: XDestroy) -> c_int {
    // SAFETY: forwarded.
    guard!(rc::INTERNAL, { unsafe { create_module(db, name, p, aux, destroy) } })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_drop_modules(db: *mut sqlite3, keep: *mut *const c_char) -> c_int {
    guard!(rc::INTERNAL, {
        let mut names: Vec<String> = Vec::new();
        let keep_list = if keep.is_null() {
            None
        } else {
            let mut k = 0;
            loop {
                // SAFETY: a NULL-terminated array of C strings.
                let p = unsafe { *keep.add(k) };
                if p.is_null() {
                    break;
                }
                // SAFETY: a C string.
                names.push(unsafe { CStr::from_ptr(p) }.to_string_lossy().into_owned());
                k += 1;
            }
            Some(&names[..])
        };
        // SAFETY: db is the caller's handle.
        unsafe {
            with_db(db, rc::MISUSE, |st| match st.conn.as_ref() {
                Some(conn) => {
                    engine::lock(&conn.vtabs).drop_modules(keep_list);
                    rc::OK
                }
                None => rc::MISUSE,
            })
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_declare_vtab(db: *mut sqlite3, sql: *const c_char) -> c_int {
    guard!(rc::INTERNAL, {
        if sql.is_null() {
            return rc::MISUSE;
        }
        // SAFETY: a C string.
        let text = unsafe { CStr::from_ptr(sql) }.to_string_lossy().into_owned();
        CTORS.with(|c| {
            let mut c = c.borrow_mut();
            let Some(frame) = c.last_mut().filter(|f| f.db == db as usize && f.declared.is_none()) else { return rc::MISUSE };
            match ferrolite::schema::Schema::table_from_sql(&text, 0) {
                Ok(t) if t.module.is_none() && !t.is_view() => {
                    frame.declared = Some(text);
                    rc::OK
                }
                _ => rc::ERROR,
            }
        })
    })
}

/// sqlite3_vtab_config's va_list form (called by variadic.c).
pub(crate) unsafe extern "C" fn vt_vtab_config(db: *mut sqlite3, op: c_int, ap: *mut c_void) -> c_int {
    guard!(rc::INTERNAL, {
        // SAFETY: variadic.c's va_list.
        let mut a = unsafe { crate::printf::CArgs::new(ap) };
        CTORS.with(|c| {
            let mut c = c.borrow_mut();
            let Some(frame) = c.last_mut().filter(|f| f.db == db as usize) else { return rc::MISUSE };
            match op {
                1 => frame.config.constraint_support = a.int() != 0,
                2 => frame.config.innocuous = true,
                3 => frame.config.directonly = true,
                4 => frame.config.uses_all_schemas = true,
                _ => return rc::MISUSE,
            }
            rc::OK
        })
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_vtab_on_conflict(db: *mut sqlite3) -> c_int {
    guard!(rc::INTERNAL, {
        ON_CONFLICT.with(|c| c.borrow().iter().rev().find(|(d, _)| *d == db as usize).map_or(engine::conflict::ABORT, |(_, m)| *m))
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_vtab_nochange(ctx: *mut sqlite3_context) -> c_int {
    guard!(0, {
        if ctx.is_null() {
            return 0;
        }
        // SAFETY: the context xColumn was handed (or another live one).
        c_int::from(engine::is_nochange(unsafe { &(*ctx).result }))
    })
}

fn with_frame<R>(info: *mut sqlite3_index_info, default: R, f: impl FnOnce(&mut BestIndexFrame) -> R) -> R {
    BEST_INDEX.with(|b| match b.borrow_mut().iter_mut().rev().find(|x| x.info == info as usize) {
        Some(fr) => f(fr),
        None => default,
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_vtab_collation(info: *mut sqlite3_index_info, i: c_int) -> *const c_char {
    guard!(std::ptr::null(), {
        with_frame(info, std::ptr::null(), |fr| if i < 0 { std::ptr::null() } else { fr.collations.get(i as usize).map_or(std::ptr::null(), |c| c.as_ptr()) })
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_vtab_distinct(info: *mut sqlite3_index_info) -> c_int {
    guard!(0, { with_frame(info, 0, |fr| fr.distinct) })
}

/// Whether constraint `i` is an IN that can be handed over at once; with
/// `handle` >= 0, asks for it (1) or declines it (0).
#[no_mangle]
pub unsafe extern "C" fn sqlite3_vtab_in(info: *mut sqlite3_index_info, i: c_int, handle: c_int) -> c_int {
    guard!(0, {
        with_frame(info, 0, |fr| {
            let Some(k) = usize::try_from(i).ok().filter(|&k| fr.is_in.get(k).copied().unwrap_or(false)) else { return 0 };
            if handle >= 0 {
                if let Some(h) = fr.handle_in.get_mut(k) {
                    *h = handle > 0;
                }
            }
            1
        })
    })
}

/// The C object a list hands out: one per list, overwritten at each step
/// so that its address stays the same (as SQLite's).
struct ListOut(Box<sqlite3_value>);
// SAFETY: the value is only touched under the connection's mutex, by the
// thread running the statement, as any sqlite3_value.
unsafe impl Send for ListOut {}

/// sqlite3_vtab_in_first (`first`) / in_next: steps the walk of an IN
/// list value; SQLITE_DONE at the end, SQLITE_ERROR for a value that is
/// no list, SQLITE_MISUSE for NULL.
unsafe fn in_step(val: *mut sqlite3_value, out: *mut *mut sqlite3_value, first: bool) -> c_int {
    if !out.is_null() {
        // SAFETY: the caller's output pointer.
        unsafe { *out = std::ptr::null_mut() };
    }
    if val.is_null() {
        return rc::MISUSE;
    }
    // SAFETY: a value Ferrolite handed to the application.
    let v = unsafe { &(*val).v };
    let Some(list) = engine::in_list::ValueList::of(v) else { return rc::ERROR };
    let mut walk = list.walk();
    let Some(next) = list.step(&mut walk, first) else { return rc::DONE };
    let p: *mut sqlite3_value = match walk.out.as_mut().and_then(|o| o.downcast_mut::<ListOut>()) {
        Some(o) => {
            *o.0 = sqlite3_value::new(next);
            &mut *o.0
        }
        None => {
            let mut o = ListOut(Box::new(sqlite3_value::new(next)));
            let p: *mut sqlite3_value = &mut *o.0;
            walk.out = Some(Box::new(o));
            p
        }
    };
    if !out.is_null() {
        // SAFETY: the caller's output pointer; the value lives in the list
        // until its next step or until the list goes.
        unsafe { *out = p };
    }
    rc::OK
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_vtab_in_first(val: *mut sqlite3_value, out: *mut *mut sqlite3_value) -> c_int {
    // SAFETY: forwarded.
    guard!(rc::INTERNAL, { unsafe { in_step(val, out, true) } })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_vtab_in_next(val: *mut sqlite3_value, out: *mut *mut sqlite3_value) -> c_int {
    // SAFETY: forwarded.
    guard!(rc::INTERNAL, { unsafe { in_step(val, out, false) } })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_vtab_rhs_value(info: *mut sqlite3_index_info, i: c_int, out: *mut *mut sqlite3_value) -> c_int {
    guard!(rc::INTERNAL, {
        let (code, p) = with_frame(info, (rc::MISUSE, std::ptr::null_mut()), |fr| {
            if i < 0 || i as usize >= fr.rhs.len() {
                return (rc::MISUSE, std::ptr::null_mut());
            }
            match fr.rhs[i as usize].as_mut() {
                Some(v) => (rc::OK, &mut **v as *mut sqlite3_value),
                None => (rc::NOTFOUND, std::ptr::null_mut()),
            }
        });
        if !out.is_null() {
            // SAFETY: the caller's output pointer.
            unsafe { *out = p };
        }
        code
    })
}
