//! Virtual tables: the engine's side of SQLite's virtual-table interface.
//!
//! A *module* (`Module`) is registered on a connection under a name
//! (sqlite3_create_module); `CREATE VIRTUAL TABLE t USING m(args)` asks it
//! to create a table (xCreate), and a schema that names the table later
//! reconnects to it (xConnect) the first time a statement uses it. The
//! connected table (`VTable`) answers the planner (`VTab::best_index`,
//! SQLite's xBestIndex on an `IndexInfo`), opens cursors that the VDBE
//! drives (xFilter / xNext / xEof / xColumn / xRowid), and takes changes
//! (xUpdate) and transaction events.
//!
//! The code generator reaches the connection's modules and connected
//! tables through [`with_vtabs`], a scoped thread-local set while a
//! statement compiles (as `func::user::with_registry`), so that a table is
//! connected lazily, when a statement first names it, as SQLite does.
//! Programs hold the `VTable` they use (`VtabRef` in the opcodes).
//!
//! Invariants: a module's destructor runs once, when the last registration
//! or table using it goes away; a table is disconnected (its `VTab`
//! dropped) when it leaves the connection's set, or destroyed by DROP
//! TABLE (`VTab::destroy`, then dropped without xDisconnect).

pub mod in_list;
pub mod index_info;

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::atomic::{AtomicI32, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use crate::connection::Connection;
use crate::error::{Error, Result};
use crate::schema::Table;
use crate::value::Value;

pub use index_info::{IndexConstraint, IndexInfo, IndexOrderBy};

/// The pointer type of the marker an UPDATE's xColumn leaves for a
/// column it did not set while sqlite3_vtab_nochange said 1 (SQLite's
/// MEM_Null|MEM_Zero): NULL to SQL, sqlite3_value_nochange in xUpdate.
const NOCHANGE_TYPE: &[u8] = b"ferrolite:nochange";

/// The no-change marker.
pub fn nochange_value() -> Value {
    Value::Pointer(crate::value::Pointer(Arc::new(crate::value::PointerData { addr: 0, type_name: NOCHANGE_TYPE.to_vec(), owner: None })))
}

/// Whether `v` is the no-change marker.
pub fn is_nochange(v: &Value) -> bool {
    matches!(v, Value::Pointer(p) if p.0.type_name == NOCHANGE_TYPE)
}

/// The conflict modes sqlite3_vtab_on_conflict reports (SQLITE_ROLLBACK..
/// SQLITE_REPLACE).
pub mod conflict {
    pub const ROLLBACK: i32 = 1;
    pub const IGNORE: i32 = 2;
    pub const FAIL: i32 = 3;
    pub const ABORT: i32 = 4;
    pub const REPLACE: i32 = 5;
}

/// What sqlite3_vtab_config set while the table was being connected.
#[derive(Clone, Copy, Debug, Default)]
pub struct VtabConfig {
    pub constraint_support: bool,
    pub innocuous: bool,
    pub directonly: bool,
    pub uses_all_schemas: bool,
}

/// A table a module created or connected: its implementation, the CREATE
/// TABLE text it declared (sqlite3_declare_vtab) and its configuration.
pub struct Connected {
    pub vtab: Box<dyn VTab>,
    pub declared: String,
    pub config: VtabConfig,
}

/// A virtual-table module (sqlite3_module).
pub trait Module: Send + Sync {
    /// The module has an xCreate: CREATE VIRTUAL TABLE may use it.
    /// Without one it is eponymous-only.
    fn has_create(&self) -> bool;
    /// xCreate or xConnect (`create`) with SQLite's argv: module name,
    /// database name, table name, then the module arguments.
    fn connect(self: Arc<Self>, create: bool, argv: &[String]) -> Result<Connected>;
    /// The module can be used as a table of its own name (an eponymous
    /// virtual table): it has no xCreate, or its xCreate is its xConnect.
    fn eponymous(&self) -> bool;
    /// xCreate run by CREATE VIRTUAL TABLE with the connection executing
    /// it, for a module that keeps its data in tables of that connection
    /// (the R*Tree's shadow tables, created here by nested statements).
    /// The default is `connect(true, argv)`.
    fn create_on(self: Arc<Self>, conn: &mut Connection, argv: &[String]) -> Result<Connected> {
        let _ = conn;
        self.connect(true, argv)
    }
    /// xIntegrity for table `name` of database `schema`, run by PRAGMA
    /// integrity_check / quick_check (`quick`) with the connection running
    /// it: what is wrong, or None (also when the module has no
    /// xIntegrity, the default). No lock on the table is held, so the
    /// module may read it through statements.
    fn integrity_on(&self, conn: &mut Connection, schema: &str, name: &str, quick: bool) -> Result<Option<String>> {
        let _ = (conn, schema, name, quick);
        Ok(None)
    }
}

/// SQLite's xBestIndex answer for one constraint: the argument position
/// (1-based, 0 = not passed to xFilter) and whether the engine may skip
/// testing it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ConstraintUsage {
    pub argv_index: i32,
    pub omit: bool,
}

/// The nature of a call to `VTab::update` (SQLite's argv convention is
/// built by the caller: argv[0] old rowid or NULL, argv[1] new rowid or
/// NULL, then the columns).
pub trait VTab: Send {
    /// xBestIndex. An error with code SQLITE_CONSTRAINT means "this set
    /// of usable constraints cannot be planned", not a failure.
    fn best_index(&mut self, info: &mut IndexInfo) -> Result<()>;
    /// xOpen.
    fn open(&mut self) -> Result<Box<dyn VTabCursor>>;
    /// xDestroy (DROP TABLE); the table is then dropped without
    /// xDisconnect.
    fn destroy(&mut self) -> Result<()>;
    /// Whether the module has xUpdate (else the table is read-only).
    fn has_update(&self) -> bool;
    /// xUpdate with SQLite's argv; returns the rowid an INSERT produced
    /// (argv[1] NULL) when the module set one. `on_conflict` is what
    /// sqlite3_vtab_on_conflict reports during the call.
    fn update(&mut self, argv: &[Value], on_conflict: i32) -> Result<Option<i64>>;
    /// xBegin, xSync, xCommit, xRollback (by default none: Ok).
    fn begin(&mut self) -> Result<()> {
        Ok(())
    }
    fn sync(&mut self) -> Result<()> {
        Ok(())
    }
    fn commit(&mut self) -> Result<()> {
        Ok(())
    }
    fn rollback(&mut self) -> Result<()> {
        Ok(())
    }
    /// xSync with the connection committing, for a module that writes
    /// tables of that connection before the commit (FTS3's pending
    /// terms). The default is `sync`.
    fn sync_on(&mut self, conn: &mut Connection) -> Result<()> {
        let _ = conn;
        self.sync()
    }
    /// A statement that writes the table starts inside a transaction the
    /// table already joined (where SQLite calls xSavepoint for the
    /// statement journal). By default nothing.
    fn statement_on(&mut self, conn: &mut Connection) -> Result<()> {
        let _ = conn;
        Ok(())
    }
    /// The statement that was running is undone through its savepoint
    /// (SQLite's xRollbackTo for the statement journal). By default
    /// nothing.
    fn statement_rollback(&mut self) -> Result<()> {
        Ok(())
    }
    /// Whether the module has xBegin (SQLite only tracks such tables in
    /// the transaction).
    fn has_begin(&self) -> bool {
        false
    }
    /// The module's iVersion (sqlite3_module.iVersion): SQL savepoints
    /// reach only modules of version 2 and up.
    fn version(&self) -> i32 {
        4
    }
    /// xSavepoint / xRelease / xRollbackTo (by default none: Ok).
    fn savepoint(&mut self, _n: i32) -> Result<()> {
        Ok(())
    }
    /// xSavepoint / xRelease / xRollbackTo for the savepoint of a
    /// statement that writes several rows inside a transaction (SQLite's
    /// statement journal). By default the same calls as for an SQL
    /// savepoint; a module that follows statements through `statement_on`
    /// / `statement_rollback` instead (FTS3) ignores them.
    fn statement_savepoint(&mut self, op: SavepointOp, n: i32) -> Result<()> {
        match op {
            SavepointOp::Begin => self.savepoint(n),
            SavepointOp::Release => self.release(n),
            SavepointOp::RollbackTo => self.rollback_to(n),
        }
    }
    /// xSavepoint with the connection opening the savepoint (a module may
    /// write its tables there). The default is `savepoint`.
    fn savepoint_on(&mut self, conn: &mut Connection, n: i32) -> Result<()> {
        let _ = conn;
        self.savepoint(n)
    }
    fn release(&mut self, _n: i32) -> Result<()> {
        Ok(())
    }
    fn rollback_to(&mut self, _n: i32) -> Result<()> {
        Ok(())
    }
    /// xRename; Err when the module refuses.
    fn rename(&mut self, new_name: &str) -> Result<()>;
    /// xFindFunction: the module's own implementation of function `name`
    /// called with `n_arg` arguments whose first (or, for an infix
    /// operator, second) is one of this table's columns, with the value
    /// xFindFunction returned (from SQLITE_INDEX_CONSTRAINT_FUNCTION on,
    /// the call is also a constraint offered to xBestIndex).
    fn find_function(&mut self, n_arg: i32, name: &str) -> Option<(i32, Box<dyn crate::func::user::UserFunction>)>;
    /// xUpdate with the connection running the statement, for a module
    /// that writes tables of that connection (nested statements). The
    /// default is `update`.
    fn update_on(&mut self, conn: &mut Connection, argv: &[Value], on_conflict: i32) -> Result<Option<i64>> {
        let _ = conn;
        self.update(argv, on_conflict)
    }
    /// xRename with the connection running ALTER TABLE (a module renames
    /// its shadow tables there). The default is `rename`.
    fn rename_on(&mut self, conn: &mut Connection, new_name: &str) -> Result<()> {
        let _ = conn;
        self.rename(new_name)
    }
    /// xIntegrity (module version 4 and up) run by PRAGMA
    /// integrity_check / quick_check (`quick`) for table `name` of
    /// database `schema`, with the connection running it: the problem the
    /// module reports, or None (also without xIntegrity, the default). An
    /// error fails the PRAGMA.
    fn integrity_on(&mut self, conn: &mut Connection, schema: &str, name: &str, quick: bool) -> Result<Option<String>> {
        let _ = (conn, schema, name, quick);
        Ok(None)
    }
    /// xDestroy with the connection running DROP TABLE (a module drops
    /// its shadow tables there). The default is `destroy`.
    fn destroy_on(&mut self, conn: &mut Connection) -> Result<()> {
        let _ = conn;
        self.destroy()
    }
}

/// An open cursor on a virtual table (sqlite3_vtab_cursor); xClose runs
/// when it is dropped.
pub trait VTabCursor: Send {
    fn filter(&mut self, idx_num: i32, idx_str: Option<&str>, args: &[Value]) -> Result<()>;
    fn next(&mut self) -> Result<()>;
    fn eof(&mut self) -> bool;
    /// xColumn; `nochange` is what sqlite3_vtab_nochange reports (an
    /// UPDATE that does not change this column).
    fn column(&mut self, i: usize, nochange: bool) -> Result<Value>;
    fn rowid(&mut self) -> Result<i64>;
    /// xFilter with the connection running the statement, for a module
    /// that reads tables of that connection. The default is `filter`.
    fn filter_on(&mut self, conn: &mut Connection, idx_num: i32, idx_str: Option<&str>, args: &[Value]) -> Result<()> {
        let _ = conn;
        self.filter(idx_num, idx_str, args)
    }
    /// xNext, xEof, xColumn and xRowid with the running statement's
    /// connection (an application module may step statements it prepared
    /// in xFilter). The defaults ignore it.
    fn next_on(&mut self, conn: &mut Connection) -> Result<()> {
        let _ = conn;
        self.next()
    }
    fn eof_on(&mut self, conn: &mut Connection) -> bool {
        let _ = conn;
        self.eof()
    }
    fn column_on(&mut self, conn: &mut Connection, i: usize, nochange: bool) -> Result<Value> {
        let _ = conn;
        self.column(i, nochange)
    }
    fn rowid_on(&mut self, conn: &mut Connection) -> Result<i64> {
        let _ = conn;
        self.rowid()
    }
}

/// A connected virtual table: one per table and connection.
pub struct VTable {
    pub module_name: String,
    /// The table as declared by the module (columns, name, database).
    pub table: Arc<Table>,
    /// Which columns are HIDDEN.
    pub hidden: Vec<bool>,
    pub config: VtabConfig,
    vtab: Mutex<Box<dyn VTab>>,
    /// SQLite's VTable.iSavepoint: one more than the newest savepoint the
    /// table was told of (xRelease / xRollbackTo go only to tables that
    /// know the savepoint).
    savepoint: AtomicI32,
}

impl VTable {
    /// The module's object, locked for one call.
    pub fn lock(&self) -> MutexGuard<'_, Box<dyn VTab>> {
        match self.vtab.lock() {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        }
    }
}

impl std::fmt::Debug for VTable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "VTable({} USING {})", self.table.name, self.module_name)
    }
}

/// A reference to a connected table held by an opcode.
#[derive(Clone)]
pub struct VtabRef(pub Arc<VTable>);

impl std::fmt::Debug for VtabRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "vtab:{}", self.0.table.name)
    }
}

/// A registered module and the destructor data it carries.
struct ModuleEntry {
    name: String,
    module: Arc<dyn Module>,
    /// Registration order (teardown goes newest first, as SQLite's
    /// module hash is walked).
    seq: u64,
}

/// A connection's modules and connected virtual tables.
#[derive(Default)]
pub struct VtabSet {
    modules: HashMap<String, ModuleEntry>,
    /// Connected tables by (database index, lower-cased name).
    tables: HashMap<(usize, String), Arc<VTable>>,
    /// Eponymous tables by lower-cased module name (connected on first
    /// use, kept until the module goes).
    eponymous: HashMap<String, Arc<VTable>>,
    /// Tables that joined the current transaction (xBegin was called),
    /// in the order they joined.
    pub in_txn: Vec<Arc<VTable>>,
    next_seq: u64,
}

impl Drop for VtabSet {
    /// The connection closes: connected tables are disconnected (by
    /// name), then eponymous tables, then the modules go.
    fn drop(&mut self) {
        self.in_txn.clear();
        let mut tables: Vec<_> = self.tables.drain().collect();
        tables.sort_by(|a, b| a.0.cmp(&b.0));
        drop(tables);
        let mut mods: Vec<(String, ModuleEntry)> = self.modules.drain().collect();
        // Eponymous tables go oldest module first, then the modules
        // newest first: the order SQLite's close shows.
        mods.sort_by_key(|(_, e)| e.seq);
        for (key, _) in &mods {
            self.eponymous.remove(key);
        }
        self.eponymous.clear();
        for m in mods.into_iter().rev() {
            drop(m);
        }
    }
}

impl VtabSet {
    /// sqlite3_create_module: registers (or, with None, removes) a module.
    /// Replacing a module disconnects the tables it served? SQLite keeps
    /// them until their schema is reset; Ferrolite does the same: they
    /// hold their own reference.
    pub fn set_module(&mut self, name: &str, module: Option<Arc<dyn Module>>) {
        let key = name.to_ascii_lowercase();
        self.eponymous.remove(&key);
        match module {
            Some(m) => {
                self.next_seq += 1;
                self.modules.insert(key, ModuleEntry { name: name.to_string(), module: m, seq: self.next_seq });
            }
            None => {
                self.modules.remove(&key);
            }
        }
    }

    /// sqlite3_drop_modules: removes every module whose name is not in
    /// `keep` (None keeps nothing).
    pub fn drop_modules(&mut self, keep: Option<&[String]>) {
        self.modules.retain(|_, e| keep.is_some_and(|k| k.iter().any(|n| n.eq_ignore_ascii_case(&e.name))));
        let modules = &self.modules;
        self.eponymous.retain(|k, _| modules.contains_key(k));
    }

    pub fn has_module(&self, name: &str) -> bool {
        self.modules.contains_key(&name.to_ascii_lowercase())
    }

    fn module(&self, name: &str) -> Option<Arc<dyn Module>> {
        self.modules.get(&name.to_ascii_lowercase()).map(|e| e.module.clone())
    }

    /// The connected table `name` of database `db`, if connected.
    pub fn get(&self, db: usize, name: &str) -> Option<Arc<VTable>> {
        self.tables.get(&(db, name.to_ascii_lowercase())).cloned()
    }

    /// Forgets a connected table (DROP TABLE after xDestroy, or a schema
    /// that no longer has it).
    pub fn remove(&mut self, db: usize, name: &str) -> Option<Arc<VTable>> {
        let t = self.tables.remove(&(db, name.to_ascii_lowercase()))?;
        self.in_txn.retain(|x| !Arc::ptr_eq(x, &t));
        Some(t)
    }

    /// Forgets every table of database `db` (DETACH, schema reset).
    pub fn remove_db(&mut self, db: usize) {
        self.tables.retain(|(d, _), _| *d != db);
    }

    /// Whether `t` has joined the current transaction.
    pub fn in_transaction(&self, t: &Arc<VTable>) -> bool {
        self.in_txn.iter().any(|x| Arc::ptr_eq(x, t))
    }

    /// Counts `t` in the current transaction (after its xBegin, or at its
    /// creation).
    pub fn join_txn(&mut self, t: &Arc<VTable>) {
        if !self.in_transaction(t) {
            self.in_txn.push(t.clone());
        }
    }

    /// Forgets every connected table (they are disconnected once no
    /// statement holds them): SQLite's schema reset.
    pub fn disconnect_all(&mut self) {
        self.in_txn.clear();
        self.tables.clear();
    }

    /// Disconnects everything and drops the modules (connection close).
    pub fn clear(&mut self) {
        self.in_txn.clear();
        self.tables.clear();
        self.eponymous.clear();
        self.modules.clear();
    }
}

/// A connection's shared virtual-table state.
pub type SharedVtabs = Arc<Mutex<VtabSet>>;

/// Locks a connection's virtual-table state.
pub fn lock(set: &SharedVtabs) -> MutexGuard<'_, VtabSet> {
    match set.lock() {
        Ok(g) => g,
        Err(p) => p.into_inner(),
    }
}

thread_local! {
    static CURRENT: RefCell<Vec<SharedVtabs>> = const { RefCell::new(Vec::new()) };
}

/// Runs `f` with `set` as the virtual-table state that compilation sees.
pub fn with_vtabs<R>(set: &SharedVtabs, f: impl FnOnce() -> R) -> R {
    struct Pop;
    impl Drop for Pop {
        fn drop(&mut self) {
            CURRENT.with(|c| {
                c.borrow_mut().pop();
            });
        }
    }
    CURRENT.with(|c| c.borrow_mut().push(set.clone()));
    let _pop = Pop;
    f()
}

fn current() -> Option<SharedVtabs> {
    CURRENT.with(|c| c.borrow().last().cloned())
}

/// The module arguments of a CREATE VIRTUAL TABLE statement (its text as
/// stored in sqlite_schema).
fn module_args(sql: &str) -> Result<(String, Vec<String>)> {
    match crate::schema::Schema::parse_one(sql)? {
        crate::parse::ast::Stmt::CreateVirtualTable(vt) => Ok((vt.module.clone(), vt.args.clone())),
        _ => Err(Error::corrupt()),
    }
}

/// The table a module declared: the CREATE TABLE text parsed with the
/// normal parser, under the virtual table's own name and database.
fn declared_table(declared: &str, name: &str, db: usize, module: &str, sql: &str) -> Result<(Table, Vec<bool>)> {
    let mut t = crate::schema::Schema::table_from_sql(declared, 0)?;
    if t.module.is_some() || t.is_view() {
        return Err(Error::sql(format!("vtable constructor failed: {name}")));
    }
    // A column whose type has the word HIDDEN is hidden from `*` and takes
    // table-valued function arguments; the word leaves its type.
    let mut hidden = Vec::with_capacity(t.columns.len());
    for c in t.columns.iter_mut() {
        let ty = c.decl_type.clone().unwrap_or_default();
        let words: Vec<&str> = ty.split(' ').collect();
        match words.iter().position(|w| w.eq_ignore_ascii_case("hidden")) {
            Some(k) => {
                let rest: Vec<&str> = words.iter().enumerate().filter(|(i, _)| *i != k).map(|(_, w)| *w).collect();
                let rest = rest.join(" ");
                c.decl_type = if rest.is_empty() { None } else { Some(rest) };
                hidden.push(true);
            }
            None => hidden.push(false),
        }
    }
    t.name = name.to_string();
    t.db = db;
    t.module = Some(module.to_string());
    t.sql = sql.to_string();
    t.rowid_alias = None;
    t.checks.clear();
    Ok((t, hidden))
}

/// Calls the module's xCreate (`create`) or xConnect for virtual table
/// `name` of database `db` (named `db_name`) whose schema text is `sql`.
/// `conn`, when given with `create`, is the connection running CREATE
/// VIRTUAL TABLE (`Module::create_on`).
pub fn connect_with(set: &SharedVtabs, db: usize, db_name: &str, name: &str, sql: &str, create: bool, conn: Option<&mut Connection>) -> Result<Arc<VTable>> {
    if let Some(t) = lock(set).get(db, name) {
        return Ok(t);
    }
    let (module_name, args) = module_args(sql)?;
    let module = lock(set).module(&module_name).ok_or_else(|| Error::sql(format!("no such module: {module_name}")))?;
    let mut argv = vec![module_name.clone(), db_name.to_string(), name.to_string()];
    argv.extend(args);
    let connected = match conn {
        Some(c) if create => module.create_on(c, &argv)?,
        _ => module.connect(create, &argv)?,
    };
    let (table, hidden) = declared_table(&connected.declared, name, db, &module_name, sql)?;
    let vt = Arc::new(VTable { module_name, table: Arc::new(table), hidden, config: connected.config, vtab: Mutex::new(connected.vtab), savepoint: AtomicI32::new(0) });
    lock(set).tables.insert((db, name.to_ascii_lowercase()), vt.clone());
    Ok(vt)
}

/// The eponymous virtual table `name` (a module usable as a table of its
/// own name in the main database), connected (xConnect with argv module,
/// "main", module) the first time a statement names it. None when no
/// such module exists or it is not eponymous.
pub fn eponymous(name: &str) -> Result<Option<Arc<VTable>>> {
    let Some(set) = current() else { return Ok(None) };
    let key = name.to_ascii_lowercase();
    let module = {
        let s = lock(&set);
        if let Some(t) = s.eponymous.get(&key) {
            return Ok(Some(t.clone()));
        }
        match s.modules.get(&key) {
            Some(e) if e.module.eponymous() => (e.name.clone(), e.module.clone()),
            _ => return Ok(None),
        }
    };
    let (module_name, module) = module;
    let argv = vec![module_name.clone(), "main".to_string(), module_name.clone()];
    let connected = module.connect(false, &argv)?;
    let (table, hidden) = declared_table(&connected.declared, &module_name, 0, &module_name, "")?;
    let vt = Arc::new(VTable { module_name, table: Arc::new(table), hidden, config: connected.config, vtab: Mutex::new(connected.vtab), savepoint: AtomicI32::new(0) });
    lock(&set).eponymous.insert(key, vt.clone());
    Ok(Some(vt))
}

/// The connected form of virtual table `t` (connecting it now if this
/// connection has not yet), for the statement being compiled.
pub fn connect(t: &Table, db_name: &str) -> Result<Arc<VTable>> {
    let module = t.module.clone().unwrap_or_default();
    let Some(set) = current() else { return Err(Error::sql(format!("no such module: {module}"))) };
    if t.sql.is_empty() {
        // An eponymous table has no schema text.
        if let Some(vt) = lock(&set).eponymous.get(&t.name.to_ascii_lowercase()) {
            return Ok(vt.clone());
        }
    }
    connect_with(&set, t.db, db_name, &t.name, &t.sql, false, None)
}

/// The module registered as `name` on a connection.
pub fn module_named(set: &SharedVtabs, name: &str) -> Option<Arc<dyn Module>> {
    lock(set).module(name)
}

/// Whether the connection compiling the current statement has module
/// `name` (CREATE VIRTUAL TABLE checks it before writing the schema).
pub fn module_exists(name: &str) -> bool {
    current().is_some_and(|s| lock(&s).has_module(name))
}

/// Which savepoint callback `savepoint_all` makes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SavepointOp {
    Begin,
    Release,
    RollbackTo,
}

/// SQLite's sqlite3VtabSavepoint: xSavepoint (`Begin`), xRelease or
/// xRollbackTo with savepoint number `n` on every table in the transaction
/// whose module is of version 2 or more; release and rollback only reach
/// tables that were told of a savepoint at least as new. Stops at the
/// first error. A module may write its tables at xSavepoint (FTS3 writes
/// its pending terms), on the connection `conn`.
pub fn savepoint_all(set: &SharedVtabs, conn: &mut Connection, op: SavepointOp, n: i32) -> Result<()> {
    savepoint_all_of(set, conn, op, n, false)
}

/// `savepoint_all` for the savepoint of a statement (SQLite's statement
/// journal): the tables get `VTab::statement_savepoint`.
pub fn statement_savepoint_all(set: &SharedVtabs, conn: &mut Connection, op: SavepointOp, n: i32) -> Result<()> {
    savepoint_all_of(set, conn, op, n, true)
}

fn savepoint_all_of(set: &SharedVtabs, conn: &mut Connection, op: SavepointOp, n: i32, statement: bool) -> Result<()> {
    let tables = lock(set).in_txn.clone();
    for t in &tables {
        let mut v = t.lock();
        if v.version() < 2 {
            continue;
        }
        if op == SavepointOp::Begin {
            t.savepoint.store(n + 1, Ordering::Relaxed);
        }
        if t.savepoint.load(Ordering::Relaxed) > n {
            match op {
                _ if statement => v.statement_savepoint(op, n)?,
                SavepointOp::Begin => v.savepoint_on(conn, n)?,
                SavepointOp::Release => v.release(n)?,
                SavepointOp::RollbackTo => v.rollback_to(n)?,
            }
        }
    }
    Ok(())
}

/// After xBegin, inside `level` open savepoints (SQL and statement ones):
/// SQLite tells the table of the newest at once (xSavepoint(level - 1),
/// whatever the module's version).
pub fn savepoint_after_begin(t: &VTable, level: i32) -> Result<()> {
    if level > 0 {
        t.savepoint.store(level, Ordering::Relaxed);
        t.lock().savepoint(level - 1)?;
    }
    Ok(())
}

/// xSync on every table in the transaction (before the databases
/// commit), with the committing connection.
pub fn sync_all(set: &SharedVtabs, conn: &mut Connection) -> Result<()> {
    let tables = lock(set).in_txn.clone();
    for t in &tables {
        t.lock().sync_on(conn)?;
    }
    Ok(())
}

/// A statement was undone through its savepoint: every table in the
/// transaction hears of it (`VTab::statement_rollback`).
pub fn statement_rollback(set: &SharedVtabs) {
    let tables = lock(set).in_txn.clone();
    for t in &tables {
        let _ = t.lock().statement_rollback();
    }
}

/// xCommit (`commit`) or xRollback on every table in the transaction,
/// which they all leave; the first error is returned.
pub fn end_transaction(set: &SharedVtabs, commit: bool) -> Result<()> {
    let tables = std::mem::take(&mut lock(set).in_txn);
    let mut result = Ok(());
    for t in &tables {
        let r = if commit { t.lock().commit() } else { t.lock().rollback() };
        if result.is_ok() {
            result = r;
        }
    }
    result
}
