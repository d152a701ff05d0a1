//! The carray() table-valued function (SQLite's SQLITE_ENABLE_CARRAY
//! carray.c) and sqlite3_carray_bind / sqlite3_carray_bind_v2.
//!
//! carray is an eponymous virtual table `(value, pointer HIDDEN, count
//! HIDDEN, ctype HIDDEN)` registered on every connection. Its rows are
//! the elements of a C array: `carray(?1)` with a parameter bound by
//! sqlite3_carray_bind (a pointer value of type "carray-bind" that says
//! where the array is, how long and of which type), or `carray(?1, n
//! [, 'type'])` with a pointer bound by sqlite3_bind_pointer(..,
//! "carray", ..). Element types: int32, int64, double, char* (text),
//! struct iovec (blobs).
//!
//! Invariant: the array is read only while the pointer value that names
//! it is alive (the cursor keeps a copy of it), and the application
//! promises, as with SQLite, that a borrowed array stays valid until its
//! destructor runs; arrays bound with SQLITE_TRANSIENT are copied.

use std::ffi::{c_char, c_int, c_void, CStr};
use std::sync::Arc;

use ferrolite::error::{code, Error, Result};
use ferrolite::vtab::index_info::op;
use ferrolite::vtab::{self as engine, Connected, IndexInfo, Module, VTab, VTabCursor, VtabConfig};
use ferrolite::Value;

use crate::db::with_db;
use crate::handle::{sqlite3, sqlite3_stmt};
use crate::rc;
use crate::stmt::Destructor;

/// Element types, numbered as SQLITE_CARRAY_INT32 ... SQLITE_CARRAY_BLOB.
const INT32: u8 = 0;
const INT64: u8 = 1;
const DOUBLE: u8 = 2;
const TEXT: u8 = 3;
const BLOB: u8 = 4;
/// The ctype names, by element type.
const TYPE_NAMES: [&str; 5] = ["int32", "int64", "double", "char*", "struct iovec"];

/// Column numbers.
const COL_POINTER: i32 = 1;
const COL_COUNT: i32 = 2;
const COL_CTYPE: i32 = 3;

/// struct iovec, as <sys/uio.h> lays it out.
#[repr(C)]
struct IoVec {
    base: *const c_void,
    len: usize,
}

/// The elements of a bound array: the application's memory, or a copy.
enum Elements {
    Borrowed(*const c_void),
    Copied(Vec<Value>),
}

/// What sqlite3_carray_bind binds (the "carray-bind" pointer): the array,
/// its length and type, and the destructor to run when it goes.
struct CarrayBind {
    data: Elements,
    n: i64,
    ty: u8,
    del: Option<(unsafe extern "C" fn(*mut c_void), usize)>,
}

// SAFETY: the array is the application's, read only by statements of the
// connection it was bound on (under its mutex); SQLite makes the same
// promise about a bound array.
unsafe impl Send for CarrayBind {}
// SAFETY: as for Send.
unsafe impl Sync for CarrayBind {}

impl Drop for CarrayBind {
    fn drop(&mut self) {
        if let Some((f, p)) = self.del {
            // SAFETY: the application's destructor, once.
            unsafe { f(p as *mut c_void) }
        }
    }
}

/// Element `i` (0-based) of an array at `p` of type `ty`, as an SQL value.
///
/// # Safety
/// `p` points to at least `i + 1` elements of type `ty`.
unsafe fn element(p: *const c_void, ty: u8, i: usize) -> Result<Value> {
    // SAFETY: the caller's contract, for each type's element size.
    unsafe {
        Ok(match ty {
            INT32 => Value::Integer(i64::from(*(p as *const i32).add(i))),
            INT64 => Value::Integer(*(p as *const i64).add(i)),
            DOUBLE => Value::Real(*(p as *const f64).add(i)),
            TEXT => {
                let s = *(p as *const *const c_char).add(i);
                if s.is_null() {
                    Value::Null
                } else {
                    Value::Text(CStr::from_ptr(s).to_bytes().to_vec())
                }
            }
            _ => {
                let v = &*(p as *const IoVec).add(i);
                if v.len > 0x7fff_ffff {
                    return Err(Error::code(code::TOOBIG));
                }
                if v.len == 0 || v.base.is_null() {
                    Value::Blob(Vec::new())
                } else {
                    Value::Blob(std::slice::from_raw_parts(v.base as *const u8, v.len).to_vec())
                }
            }
        })
    }
}

/// The carray module.
struct CarrayModule;

impl Module for CarrayModule {
    fn has_create(&self) -> bool {
        false
    }
    fn connect(self: Arc<Self>, _create: bool, _argv: &[String]) -> Result<Connected> {
        Ok(Connected {
            vtab: Box::new(CarrayTable),
            declared: "CREATE TABLE x(value,pointer hidden,count hidden,ctype hidden)".to_string(),
            config: VtabConfig::default(),
        })
    }
    fn eponymous(&self) -> bool {
        true
    }
}

struct CarrayTable;

impl VTab for CarrayTable {
    /// idxNum 1: carray(bind); 2: carray(pointer, count); 3: with a
    /// ctype; 0: nothing to read (an empty table). A two- or three-
    /// argument call whose later arguments are not usable yet cannot be
    /// planned (SQLITE_CONSTRAINT), as in SQLite.
    fn best_index(&mut self, info: &mut IndexInfo) -> Result<()> {
        let (mut ptr, mut cnt, mut cty) = (None, None, None);
        let mut seen = 0u32;
        for (i, c) in info.constraints.iter().enumerate() {
            if c.op != op::EQ {
                continue;
            }
            if c.column >= 0 {
                seen |= 1 << c.column;
            }
            if !c.usable {
                continue;
            }
            match c.column {
                COL_POINTER => ptr = Some(i),
                COL_COUNT => cnt = Some(i),
                COL_CTYPE => cty = Some(i),
                _ => {}
            }
        }
        match ptr {
            Some(p) => {
                info.usage[p].argv_index = 1;
                info.usage[p].omit = true;
                info.estimated_cost = 1.0;
                info.estimated_rows = 100;
                info.idx_num = 1;
                if let Some(c) = cnt {
                    info.usage[c].argv_index = 2;
                    info.usage[c].omit = true;
                    info.idx_num = 2;
                    if let Some(t) = cty {
                        info.usage[t].argv_index = 3;
                        info.usage[t].omit = true;
                        info.idx_num = 3;
                    } else if seen & (1 << COL_CTYPE) != 0 {
                        return Err(Error::code(code::CONSTRAINT));
                    }
                } else if seen & (1 << COL_COUNT) != 0 {
                    return Err(Error::code(code::CONSTRAINT));
                }
            }
            None => {
                info.estimated_cost = 2147483647.0;
                info.estimated_rows = 2147483647;
                info.idx_num = 0;
            }
        }
        Ok(())
    }
    fn open(&mut self) -> Result<Box<dyn VTabCursor>> {
        Ok(Box::new(CarrayCursor { source: None, ptr: std::ptr::null(), count: 0, ty: INT32, rowid: 1 }))
    }
    fn destroy(&mut self) -> Result<()> {
        Ok(())
    }
    fn has_update(&self) -> bool {
        false
    }
    fn update(&mut self, _argv: &[Value], _on_conflict: i32) -> Result<Option<i64>> {
        Err(Error::sql("table carray may not be modified"))
    }
    fn rename(&mut self, _new_name: &str) -> Result<()> {
        Err(Error::code(code::ERROR))
    }
    fn find_function(&mut self, _n_arg: i32, _name: &str) -> Option<(i32, Box<dyn ferrolite::func::user::UserFunction>)> {
        None
    }
}

/// A scan of one array.
struct CarrayCursor {
    /// The pointer value naming the array (kept so that it outlives the
    /// scan).
    source: Option<Value>,
    ptr: *const c_void,
    count: i64,
    ty: u8,
    /// 1-based position.
    rowid: i64,
}

// SAFETY: the array is only read by the statement that holds the cursor,
// under its connection's mutex.
unsafe impl Send for CarrayCursor {}

impl CarrayCursor {
    /// The bind record when `source` is a "carray-bind" pointer.
    fn bind_record(&self) -> Option<&CarrayBind> {
        let Some(Value::Pointer(p)) = &self.source else { return None };
        p.get(b"carray-bind")?;
        p.0.owner.as_ref()?.downcast_ref::<CarrayBind>()
    }
}

impl VTabCursor for CarrayCursor {
    fn filter(&mut self, idx_num: i32, _idx_str: Option<&str>, args: &[Value]) -> Result<()> {
        self.source = None;
        self.ptr = std::ptr::null();
        self.count = 0;
        self.rowid = 1;
        match idx_num {
            1 => {
                self.source = args.first().cloned();
                if let Some(b) = self.bind_record() {
                    let (n, ty) = (b.n, b.ty);
                    self.ptr = match &b.data {
                        Elements::Borrowed(p) => *p,
                        Elements::Copied(_) => std::ptr::null(),
                    };
                    self.count = n;
                    self.ty = ty;
                } else {
                    self.source = None;
                }
            }
            2 | 3 => {
                let Some(first) = args.first() else { return Ok(()) };
                let p = first.pointer(b"carray").unwrap_or(0);
                self.source = Some(first.clone());
                self.ptr = p as *const c_void;
                self.count = if p != 0 { args.get(1).map_or(0, |v| ferrolite::vdbe::mem::to_integer(v.as_ref())) } else { 0 };
                self.ty = INT32;
                if idx_num == 3 {
                    let t = args.get(2).and_then(|v| ferrolite::vdbe::mem::to_text(v.as_ref()).map(|c| c.into_owned()));
                    let name = t.as_deref().map(|b| String::from_utf8_lossy(b).into_owned());
                    match name.as_deref().and_then(|n| TYPE_NAMES.iter().position(|t| t.eq_ignore_ascii_case(n))) {
                        Some(i) => self.ty = i as u8,
                        None => {
                            let shown = match &name {
                                Some(n) => format!("'{}'", n.replace('\'', "''")),
                                None => "NULL".to_string(),
                            };
                            return Err(Error::sql(format!("unknown datatype: {shown}")));
                        }
                    }
                }
            }
            _ => {}
        }
        Ok(())
    }
    fn next(&mut self) -> Result<()> {
        self.rowid += 1;
        Ok(())
    }
    fn eof(&mut self) -> bool {
        self.rowid > self.count
    }
    fn column(&mut self, i: usize, _nochange: bool) -> Result<Value> {
        match i as i32 {
            COL_POINTER => Ok(Value::Null),
            COL_COUNT => Ok(Value::Integer(self.count)),
            COL_CTYPE => Ok(Value::text(TYPE_NAMES.get(self.ty as usize).copied().unwrap_or("int32"))),
            _ => {
                let k = (self.rowid - 1).max(0) as usize;
                if let Some(b) = self.bind_record() {
                    if let Elements::Copied(v) = &b.data {
                        return Ok(v.get(k).cloned().unwrap_or(Value::Null));
                    }
                }
                if self.ptr.is_null() || self.rowid > self.count {
                    return Ok(Value::Null);
                }
                // SAFETY: the application bound an array of `count`
                // elements of this type and keeps it valid while its
                // pointer value lives (the cursor holds a copy); k < count.
                unsafe { element(self.ptr, self.ty, k) }
            }
        }
    }
    fn rowid(&mut self) -> Result<i64> {
        Ok(self.rowid)
    }
}

/// Registers carray on a new handle.
///
/// # Safety
/// `db` is a live handle.
pub unsafe fn register(db: *mut sqlite3) {
    // SAFETY: the caller's handle.
    unsafe {
        with_db(db, (), |st| {
            if let Some(conn) = st.conn.as_ref() {
                engine::lock(&conn.vtabs).set_module("carray", Some(Arc::new(CarrayModule)));
            }
        })
    };
}

const TRANSIENT: isize = -1;

#[no_mangle]
pub unsafe extern "C" fn sqlite3_carray_bind_v2(stmt: *mut sqlite3_stmt, i: c_int, data: *mut c_void, n: c_int, flags: c_int, del: Destructor, p_del: *mut c_void) -> c_int {
    guard!(rc::INTERNAL, {
        let is_transient = del.is_some_and(|f| f as usize as isize == TRANSIENT);
        let app_del = del.filter(|_| !is_transient);
        if !(i32::from(INT32)..=i32::from(BLOB)).contains(&flags) {
            if let Some(f) = app_del {
                // SAFETY: SQLite runs the destructor when the bind fails.
                unsafe { f(p_del) };
            }
            return rc::ERROR;
        }
        let ty = flags as u8;
        let elements = if is_transient {
            let count = n.max(0) as usize;
            let mut v = Vec::with_capacity(count);
            for k in 0..count {
                // SAFETY: the caller passes `n` elements of type `flags`.
                match unsafe { element(data, ty, k) } {
                    Ok(x) => v.push(x),
                    Err(e) => return e.extended_code(),
                }
            }
            Elements::Copied(v)
        } else {
            Elements::Borrowed(data)
        };
        let record = Box::new(CarrayBind { data: elements, n: i64::from(n), ty, del: app_del.map(|f| (f, p_del as usize)) });
        // sqlite3_value_pointer(v, "carray-bind") gives the record's
        // address, as SQLite gives its carray_bind object.
        let addr = &*record as *const CarrayBind as usize;
        let value = Value::Pointer(ferrolite::value::Pointer(Arc::new(ferrolite::value::PointerData {
            addr,
            type_name: b"carray-bind".to_vec(),
            owner: Some(record),
        })));
        // SAFETY: forwarded; a failed bind drops the value, which runs the
        // destructor, as SQLite's does.
        unsafe { crate::stmt::bind(stmt, i, value) }
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_carray_bind(stmt: *mut sqlite3_stmt, i: c_int, data: *mut c_void, n: c_int, flags: c_int, del: Destructor) -> c_int {
    // SAFETY: forwarded, with the array as the destructor's argument.
    guard!(rc::INTERNAL, { unsafe { sqlite3_carray_bind_v2(stmt, i, data, n, flags, del, data) } })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn elements_read_by_type() {
        let ints = [1i32, -2, 3];
        let v = unsafe { element(ints.as_ptr() as *const c_void, INT32, 1) }.unwrap();
        assert_eq!(v, Value::Integer(-2));
        let d = [1.5f64];
        assert_eq!(unsafe { element(d.as_ptr() as *const c_void, DOUBLE, 0) }.unwrap(), Value::Real(1.5));
        let s = [c"ab".as_ptr(), std::ptr::null()];
        assert_eq!(unsafe { element(s.as_ptr() as *const c_void, TEXT, 0) }.unwrap(), Value::text("ab"));
        assert_eq!(unsafe { element(s.as_ptr() as *const c_void, TEXT, 1) }.unwrap(), Value::Null);
        let b = [IoVec { base: b"xyz".as_ptr() as *const c_void, len: 2 }];
        assert_eq!(unsafe { element(b.as_ptr() as *const c_void, BLOB, 0) }.unwrap(), Value::Blob(b"xy".to_vec()));
    }
}
