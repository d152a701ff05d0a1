//! The objects behind `sqlite3*` and `sqlite3_stmt*`, and the error state
//! every call leaves behind for sqlite3_errcode / sqlite3_errmsg.
//!
//! Invariants: a `sqlite3` is only touched while its reentrant mutex is
//! held (serialized threading mode), and its state is borrowed through a
//! RefCell, so an application callback that re-enters the same connection
//! in a way Ferrolite cannot honour gets SQLITE_MISUSE rather than aliasing.
//! While sqlite3_step runs a statement, the state is not borrowed and the
//! `Connection` is out of its `ConnSlot` (in the step's hands); an
//! application function the statement calls gets it lent back in the slot
//! for the duration of its call (`ConnSlot::lend`), so that it may use its
//! own connection as SQLite allows.
//! A connection closed with sqlite3_close_v2 while statements remain
//! becomes a zombie and is freed when its last statement is finalized.

use std::cell::RefCell;
use std::ffi::{c_int, CString};
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use ferrolite::connection::{Connection, Statement};
use ferrolite::Error;
use parking_lot::ReentrantMutex;

use crate::rc;

/// Magic numbers that tell a live handle from a closed or garbage one.
pub const MAGIC_OPEN: u32 = 0xa029_a697;
pub const MAGIC_ZOMBIE: u32 = 0x64cf_fc7f;
pub const MAGIC_CLOSED: u32 = 0x9f3c_2d4a;
pub const MAGIC_STMT: u32 = 0x26bd_f6e5;

/// Run-time limits (sqlite3_limit), indexed by SQLITE_LIMIT_*.
pub const LIMIT_DEFAULTS: [c_int; 12] = [1_000_000_000, 1_000_000_000, 2000, 1000, 500, 250_000_000, 127, 10, 50_000, 32766, 1000, 8];

pub struct DbState {
    pub conn: ConnSlot,
    pub err_code: c_int,
    pub err_msg: CString,
    /// Statements prepared and not yet finalized.
    pub open_stmts: usize,
    pub extended_codes: bool,
    pub limits: [c_int; 12],
    /// sqlite3_trace_v2: the events asked for and the callback.
    pub trace: Option<Trace>,
    /// The last error message in UTF-16 (sqlite3_errmsg16), made on request.
    pub err_msg16: Vec<u16>,
    /// Statements not yet finalized, oldest first (sqlite3_next_stmt walks
    /// them newest first, as SQLite's list is kept).
    pub stmts: Vec<*mut sqlite3_stmt>,
    /// The file name given to sqlite3_open*, for the URI parameters of
    /// sqlite3_db_filename.
    pub open_name: String,
    /// Strings handed out by db_name, db_filename and
    /// table_column_metadata: they live as long as the connection.
    pub names: crate::info::NameCache,
    /// sqlite3_set_clientdata entries.
    pub clientdata: Vec<crate::misc::ClientData>,
    /// sqlite3_collation_needed / collation_needed16.
    pub coll_needed: Option<crate::utf16::CollNeeded>,
    /// commit, rollback and update hooks.
    pub hooks: crate::hooks::Hooks,
    /// sqlite3_trace (legacy): the registration `trace` points into.
    pub legacy_trace: Option<Box<crate::legacy::LegacyTrace>>,
    /// sqlite3_system_errno: errno as it was when the last SQLITE_CANTOPEN
    /// or SQLITE_IOERR error was recorded.
    pub sys_errno: c_int,
    /// sqlite3_error_offset of the current error (-1: none).
    pub err_offset: c_int,
    /// sqlite3_profile: the callback, its argument, and whether it is
    /// active (registering a trace or trace_v2 callback later turns it
    /// off, as SQLite's shared trace mask does).
    pub profile: Option<(unsafe extern "C" fn(*mut std::ffi::c_void, *const std::ffi::c_char, u64), usize, bool)>,
    /// Whether extensions may be loaded (extension::LOAD_C / LOAD_SQL).
    pub load_ext: u8,
    /// dlopen handles of the extensions loaded, closed when the handle is
    /// freed (extension::close_libraries).
    pub ext_libs: Vec<usize>,
}

/// Where a connection's `Connection` is: owned by the handle, out in the
/// hands of a running sqlite3_step (neither), or lent back to an
/// application function that statement is calling.
#[derive(Default)]
pub struct ConnSlot {
    /// Boxed: a step moves it out and back, which should cost a pointer.
    owned: Option<Box<Connection>>,
    /// Set only by `lend`, for the duration of an application function
    /// call: the `&mut Connection` the running statement lent the call.
    lent: Option<*mut Connection>,
}

/// A connection taken out of its slot by sqlite3_step.
pub enum Taken {
    Owned(Box<Connection>),
    Lent(*mut Connection),
}

impl Taken {
    /// The connection to run the statement on.
    pub fn conn(&mut self) -> &mut Connection {
        match self {
            Taken::Owned(c) => c,
            // SAFETY: a lent pointer is valid for the whole application
            // function call it was lent for (`ConnSlot::lend`), and this
            // step runs inside that call; the statement that lent it is
            // suspended in the call and does not use it meanwhile.
            Taken::Lent(p) => unsafe { &mut **p },
        }
    }
}

impl ConnSlot {
    pub fn as_ref(&self) -> Option<&Connection> {
        match (&self.owned, self.lent) {
            (Some(c), _) => Some(&**c),
            // SAFETY: as in `Taken::conn`.
            (None, Some(p)) => Some(unsafe { &*p }),
            (None, None) => None,
        }
    }

    pub fn as_mut(&mut self) -> Option<&mut Connection> {
        match (&mut self.owned, self.lent) {
            (Some(c), _) => Some(&mut **c),
            // SAFETY: as in `Taken::conn`.
            (None, Some(p)) => Some(unsafe { &mut *p }),
            (None, None) => None,
        }
    }

    pub fn is_some(&self) -> bool {
        self.owned.is_some() || self.lent.is_some()
    }

    /// Drops the owned connection (closing it).
    pub fn close(&mut self) {
        self.owned = None;
    }

    /// Takes the connection for a step (None: there is none here).
    pub fn take(&mut self) -> Option<Taken> {
        match self.owned.take() {
            Some(c) => Some(Taken::Owned(c)),
            None => self.lent.take().map(Taken::Lent),
        }
    }

    /// Puts back what `take` took.
    pub fn restore(&mut self, t: Taken) {
        match t {
            Taken::Owned(c) => self.owned = Some(c),
            Taken::Lent(p) => self.lent = Some(p),
        }
    }

    /// Lends `conn` to an application function call; returns what to
    /// give `unlend` when the call returns. Only while the slot is empty
    /// (the connection is out in a step): otherwise nothing is lent.
    ///
    /// # Safety
    /// `conn` must stay valid, and unused by anything else, until
    /// `unlend` is called.
    pub unsafe fn lend(&mut self, conn: *mut Connection) -> Option<Option<*mut Connection>> {
        if self.owned.is_some() {
            return None;
        }
        Some(self.lent.replace(conn))
    }

    /// Ends a `lend`.
    pub fn unlend(&mut self, prev: Option<Option<*mut Connection>>) {
        if let Some(p) = prev {
            self.lent = p;
        }
    }
}

/// SQLITE_TRACE_* event codes.
pub const TRACE_STMT: u32 = 0x01;
pub const TRACE_PROFILE: u32 = 0x02;
pub const TRACE_ROW: u32 = 0x04;
pub const TRACE_CLOSE: u32 = 0x08;

pub type TraceCallback = unsafe extern "C" fn(u32, *mut std::ffi::c_void, *mut std::ffi::c_void, *mut std::ffi::c_void) -> c_int;

/// A trace_v2 registration.
#[derive(Clone, Copy)]
pub struct Trace {
    pub mask: u32,
    pub callback: TraceCallback,
    pub ctx: *mut std::ffi::c_void,
}

impl Trace {
    /// Calls the callback for `event` if it was asked for. The caller must
    /// hold no borrow of the connection state: the callback may use the
    /// connection (Python's calls sqlite3_expanded_sql).
    ///
    /// # Safety
    /// `p` and `x` are the pointers SQLite documents for `event`.
    pub unsafe fn fire(&self, event: u32, p: *mut std::ffi::c_void, x: *mut std::ffi::c_void) {
        if self.mask & event != 0 {
            // SAFETY: the application's callback with the context it
            // registered and the event's documented arguments.
            unsafe { (self.callback)(event, self.ctx, p, x) };
        }
    }
}

/// A database connection handle.
pub struct sqlite3 {
    pub magic: std::sync::atomic::AtomicU32,
    pub lock: ReentrantMutex<RefCell<DbState>>,
    pub interrupt: Arc<AtomicBool>,
    /// What sqlite3_db_mutex returns: a handle on `lock`.
    pub mutex: crate::mutex::sqlite3_mutex,
}

impl sqlite3 {
    pub fn new(conn: Option<Connection>) -> Box<sqlite3> {
        let interrupt = conn.as_ref().map(|c| c.interrupt_handle()).unwrap_or_default();
        let mut b = Box::new(sqlite3 {
            magic: std::sync::atomic::AtomicU32::new(MAGIC_OPEN),
            lock: ReentrantMutex::new(RefCell::new(DbState {
                conn: ConnSlot { owned: conn.map(Box::new), lent: None },
                err_code: rc::OK,
                err_msg: CString::default(),
                open_stmts: 0,
                extended_codes: false,
                limits: LIMIT_DEFAULTS,
                trace: None,
                err_msg16: Vec::new(),
                stmts: Vec::new(),
                open_name: String::new(),
                names: Default::default(),
                clientdata: Vec::new(),
                coll_needed: None,
                hooks: Default::default(),
                legacy_trace: None,
                err_offset: -1,
                sys_errno: 0,
                profile: None,
                load_ext: 0,
                ext_libs: Vec::new(),
            })),
            interrupt,
            mutex: crate::mutex::sqlite3_mutex::Db(std::ptr::null()),
        });
        // The mutex refers to the handle itself, which a Box never moves.
        let me: *const sqlite3 = &*b;
        b.mutex = crate::mutex::sqlite3_mutex::Db(me);
        b
    }
}

impl DbState {
    /// Records `e` as the connection's last error; returns the code the
    /// API call should return (primary unless extended codes are on).
    pub fn set_error(&mut self, e: &Error) -> c_int {
        self.err_offset = -1;
        self.note_os_error(e.extended_code());
        self.err_code = e.extended_code();
        self.err_msg = cstring(e.message().as_bytes());
        self.api_code(self.err_code)
    }

    /// Records a code with its default message (or `msg`).
    pub fn set_code(&mut self, code: c_int, msg: Option<&str>) -> c_int {
        self.err_offset = -1;
        self.note_os_error(code);
        self.err_code = code;
        self.err_msg = match msg {
            Some(m) => cstring(m.as_bytes()),
            None => CString::default(),
        };
        self.api_code(code)
    }

    /// As SQLite's sqlite3SystemError: for an SQLITE_CANTOPEN or
    /// SQLITE_IOERR (not IOERR_NOMEM) error, keeps the OS error number of
    /// the failed call (the unix VFS's xGetLastError is errno).
    fn note_os_error(&mut self, code: c_int) {
        const IOERR_NOMEM: c_int = 10 | (12 << 8);
        if code != IOERR_NOMEM && matches!(code & 0xff, rc::CANTOPEN | rc::IOERR) {
            self.sys_errno = std::io::Error::last_os_error().raw_os_error().unwrap_or(0);
        }
    }

    pub fn clear_error(&mut self) {
        self.err_offset = -1;
        self.err_code = rc::OK;
        self.err_msg = CString::default();
    }

    /// The code an API function returns for an extended code.
    pub fn api_code(&self, code: c_int) -> c_int {
        if self.extended_codes {
            code
        } else {
            code & 0xff
        }
    }
}

/// A CString from bytes, dropping any interior NUL and what follows it
/// (C sees the string up to the first NUL anyway).
pub fn cstring(b: &[u8]) -> CString {
    let end = b.iter().position(|&c| c == 0).unwrap_or(b.len());
    CString::new(&b[..end]).unwrap_or_default()
}

/// Per-column buffers for the pointers column_text / column_blob return:
/// valid until the next step, reset or finalize, as in SQLite.
#[derive(Default)]
pub struct ColumnCache {
    pub text: Option<Vec<u8>>,
    pub blob: Option<Vec<u8>>,
    /// sqlite3_column_text16: native-order UTF-16, NUL-terminated.
    pub text16: Option<Vec<u16>>,
    /// sqlite3_column_value: an unprotected value of the column.
    pub value: Option<Box<crate::value::sqlite3_value>>,
}

pub struct StmtState {
    pub stmt: Statement,
    pub sql: CString,
    pub expanded: Option<*mut std::ffi::c_char>,
    pub names: Vec<CString>,
    pub decltypes: Vec<Option<CString>>,
    pub cache: Vec<ColumnCache>,
    /// The program `names`, `decltypes` and `cache` describe (its address):
    /// a step that recompiled the statement (schema change) makes them
    /// again, since the result columns may have changed.
    pub prog_id: usize,
    /// True while a row is available to the column functions.
    pub has_row: bool,
    /// The code of the last step that failed, for reset and finalize.
    pub last_error: Option<Error>,
    /// Parameter names as C strings, made on first request.
    pub param_names: Vec<Option<CString>>,
    /// When the current execution started, for SQLITE_TRACE_PROFILE.
    pub started: Option<std::time::Instant>,
    /// Column metadata strings made on request (names in UTF-16, the
    /// database / table / origin names): they live until the statement is
    /// recompiled or finalized. Keyed by (kind, column).
    pub col_strings: std::collections::HashMap<(u8, usize), ColString>,
    /// The names and EXPLAIN texts sqlite3_stmt_scanstatus handed out:
    /// they live until the statement is finalized.
    pub scan_strings: Vec<CString>,
    /// sqlite3_normalized_sql's text, made on first request and kept
    /// until the statement is finalized.
    pub normalized: Option<CString>,
    /// sqlite3_stmt_status counters, indexed by SQLITE_STMTSTATUS_*
    /// (1..=8), kept across recompiles.
    pub counters: [u64; 9],
}

/// A column metadata string in the form the caller asked for.
pub enum ColString {
    Utf8(CString),
    Utf16(Vec<u16>),
}

/// A prepared statement handle.
pub struct sqlite3_stmt {
    pub magic: u32,
    pub db: *mut sqlite3,
    pub state: RefCell<StmtState>,
}

// SAFETY: a statement is only used while its connection's mutex is held;
// the raw pointer is to the connection, which outlives the statement.
unsafe impl Send for sqlite3_stmt {}
