//! The virtual database engine: the bytecode programs the code generator
//! emits and the machine that runs them.
//!
//! A `Program` is an immutable list of `Op`s plus the sizes of its register
//! file and cursor table; a `Vm` is one execution of it (registers, open
//! cursors, program counter). Opcodes carry SQLite's names and meaning, with
//! their operands as named fields instead of P1..P5.
//!
//! Invariants: registers are numbered from 1 (register 0 is never used, as
//! in SQLite); every jump target is a valid address once the code generator
//! has resolved its labels; the VDBE reaches storage only through the
//! B-tree interface (`crate::btree`), never the pager.

pub mod cursor;
pub mod exec;
pub mod mem;
mod ops_cursor;
mod ops_data;
mod ops_preupdate;
mod ops_vtab;
pub mod scanstatus;
pub mod window;

use std::sync::Arc;

use crate::btree::{Pgno, TreeKind};
use crate::collation::CollSeq;
use crate::func::FuncDef;
use crate::record::KeyInfo;
use crate::value::Value;
use mem::Affinity;

pub use exec::{StepResult, Vm};

/// A register number.
pub type Reg = usize;
/// An address in a program.
pub type Addr = usize;

/// Where an OpenRead/OpenWrite finds its root page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Root {
    Page(Pgno),
    /// The root page number is in a register (a table created by this
    /// same program).
    Reg(Reg),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArithOp {
    Add,
    Subtract,
    Multiply,
    Divide,
    Remainder,
    Concat,
    BitAnd,
    BitOr,
    ShiftLeft,
    ShiftRight,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CmpOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    /// `IS`: like Eq, but NULL IS NULL is true and never NULL.
    Is,
    /// `IS NOT`.
    IsNot,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SeekOp {
    Ge,
    Gt,
    Le,
    Lt,
}

/// What a statement-level constraint failure does (SQLite's OE_*).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OnError {
    Rollback,
    Abort,
    Fail,
    Ignore,
    Replace,
}

/// A function to call: a built-in, or one the application registered
/// through `sqlite3_create_function` (see `func::user`).
#[derive(Clone)]
pub enum FuncRef {
    Builtin(&'static FuncDef),
    User(std::sync::Arc<crate::func::user::UserFunc>),
}

impl FuncRef {
    pub fn name(&self) -> &str {
        match self {
            FuncRef::Builtin(d) => d.name,
            FuncRef::User(u) => &u.name,
        }
    }
}

impl std::fmt::Debug for FuncRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// The column types of a STRICT table, for `Op::TypeCheck`.
#[derive(Debug)]
pub struct StrictCheck {
    pub table: String,
    /// Per column: its name, its declared type (INT, INTEGER, REAL, TEXT,
    /// BLOB or ANY, in capitals) and the storage class it requires (None
    /// for ANY).
    pub columns: Vec<(String, String, Option<crate::value::ValueType>)>,
}

/// One EXPLAIN QUERY PLAN line as sqlite3_stmt_scanstatus reports it.
#[derive(Clone, Debug)]
pub struct ScanStatus {
    /// The line's id and its parent's (SELECTID, PARENTID).
    pub id: i64,
    pub parent: i64,
    pub explain: String,
    /// Set when the line is a loop (SCAN / SEARCH); the other lines are
    /// reported only with SQLITE_SCANSTAT_COMPLEX.
    pub scan_loop: Option<ScanLoop>,
}

/// A loop of the program: what it reads and where its counters are.
#[derive(Clone, Debug)]
pub struct ScanLoop {
    /// The index it searches or walks, else the table.
    pub name: String,
    /// SQLite's estimate of the rows each run of the loop yields, as a
    /// LogEst (SQLite's logarithmic estimate).
    pub est: i16,
    /// Executed once each time the loop starts (NLOOP).
    pub addr_loop: Addr,
    /// Executed once per row the loop visits (NVISIT).
    pub addr_visit: Addr,
    /// The loop's instructions are `addr_loop..addr_end` (NCYCLE, counted
    /// in instructions executed).
    pub addr_end: Addr,
}

/// Where `Op::PreUpdate` finds the row after the change.
#[derive(Clone, Copy, Debug)]
pub enum PreUpdateNew {
    /// DELETE: there is none.
    None,
    /// INSERT: the record about to be written, and its rowid.
    Record { record: Reg, rowid: Reg },
    /// UPDATE: one register per column, and the new rowid.
    Registers { start: Reg, rowid: Reg },
}

/// A row change the update hook reports (SQLite's OPFLAG_NCHANGE writes
/// of rowid tables): SQLITE_INSERT (18), SQLITE_UPDATE (23) or
/// SQLITE_DELETE (9), on table `table` of database `db`.
#[derive(Debug)]
pub struct RowHook {
    pub op: i32,
    pub db: usize,
    pub table: Arc<str>,
}

#[derive(Clone, Debug)]
pub enum Op {
    /// Start of every program: jump to `target` (the transaction prologue).
    Init { target: Addr },
    Goto { target: Addr },
    /// Stop. A non-OK `rc` is an error with `msg`; `on_error` says how much
    /// to undo.
    Halt { rc: i32, msg: Option<String>, on_error: OnError },
    /// Halt with error `rc` whose message is the text of register `msg`
    /// (RAISE with a computed message).
    HaltWithMessage { rc: i32, msg: Reg, on_error: OnError },
    /// A STRICT table's row in registers `start..`: each value must be
    /// NULL or of its column's type (an INTEGER in a REAL column becomes
    /// REAL), else SQLITE_CONSTRAINT_DATATYPE as SQLite reports it.
    TypeCheck { start: Reg, check: Arc<StrictCheck> },
    /// Halt with a NOT NULL constraint error if `reg` is NULL.
    HaltIfNull { reg: Reg, rc: i32, msg: String, on_error: OnError },
    /// Begin a read (or write) transaction on database `db`; if
    /// `schema_cookie` is set and differs from the file's, fail with
    /// SQLITE_SCHEMA so the statement is recompiled.
    Transaction { db: usize, write: bool, schema_cookie: Option<u32> },
    /// BEGIN (autocommit off) / COMMIT or ROLLBACK (autocommit on).
    AutoCommit { on: bool, rollback: bool, kind: crate::parse::ast::TransactionKind },
    Savepoint { op: SavepointOp, name: String },

    Integer { value: i64, dest: Reg },
    Real { value: f64, dest: Reg },
    String { value: Arc<[u8]>, dest: Reg },
    Blob { value: Arc<[u8]>, dest: Reg },
    /// Set `count` registers from `dest` to NULL.
    Null { dest: Reg, count: usize },
    /// Copy bound parameter `index` (1-based) into `dest`.
    Variable { index: usize, dest: Reg },
    Copy { src: Reg, dest: Reg, count: usize },
    Move { src: Reg, dest: Reg, count: usize },

    Arith { op: ArithOp, lhs: Reg, rhs: Reg, dest: Reg },
    Negative { src: Reg, dest: Reg },
    BitNot { src: Reg, dest: Reg },
    /// Three-valued NOT.
    Not { src: Reg, dest: Reg },
    /// Three-valued AND / OR.
    And { lhs: Reg, rhs: Reg, dest: Reg },
    Or { lhs: Reg, rhs: Reg, dest: Reg },
    /// Compare with an affinity applied to both sides and a collation;
    /// stores 1, 0 or NULL in `dest`.
    Compare { op: CmpOp, lhs: Reg, rhs: Reg, dest: Reg, affinity: Option<Affinity>, coll: CollSeq },
    /// The same comparison, jumping to `target` when it is true; when it
    /// is NULL, jumping iff `jump_if_null` (SQLite's Eq/Lt/... opcodes).
    CompareJump { op: CmpOp, lhs: Reg, rhs: Reg, target: Addr, jump_if_null: bool, affinity: Option<Affinity>, coll: CollSeq },
    /// `dest = (src IS [NOT] TRUE)` with SQLite's truth rules.
    IsTrue { src: Reg, dest: Reg, want: bool },
    Cast { reg: Reg, type_name: Arc<str> },
    /// Apply one affinity per register from `start`.
    Affinity { start: Reg, affinities: Arc<[Affinity]> },
    /// An INTEGER in `reg` becomes REAL (a REAL column's value stored as an
    /// integer, as SQLite stores whole numbers); other values stay.
    RealAffinity { reg: Reg },
    /// Make `reg` an integer or fail with "datatype mismatch".
    MustBeInt { reg: Reg },

    /// Jump when `reg` is true; when NULL, jump iff `jump_if_null`.
    If { reg: Reg, target: Addr, jump_if_null: bool },
    /// Jump when `reg` is false; when NULL, jump iff `jump_if_null`.
    IfNot { reg: Reg, target: Addr, jump_if_null: bool },
    IsNull { reg: Reg, target: Addr },
    NotNull { reg: Reg, target: Addr },
    /// If `reg` > 0: subtract `decrement` and jump.
    IfPos { reg: Reg, target: Addr, decrement: i64 },
    /// Decrement `reg`; jump if it reached zero.
    DecrJumpZero { reg: Reg, target: Addr },
    /// Jump if `reg` <= 0 (a LIMIT of zero or less ends a loop at once).
    IfNotPos { reg: Reg, target: Addr },
    Gosub { ret: Reg, target: Addr },
    Return { ret: Reg },
    /// Fall through the first time this instruction runs, jump afterwards.
    Once { target: Addr },

    /// Call a scalar function; `coll` is the collation a function that
    /// compares text (min, max, nullif) uses.
    /// `binds`: bit i when argument i is a bound parameter's value as
    /// bound (sqlite3_value_frombind).
    Function { func: FuncRef, args: Reg, n_args: usize, dest: Reg, coll: Option<CollSeq>, binds: u64, subtypes: u64 },
    /// Feed one row to aggregate accumulator `acc`.
    /// `hit`: a register set to 1 when a min()/max() accumulator took
    /// this row's value and to 0 when it kept its own (the bare columns of
    /// an aggregate query come from the row that set the last min/max).
    AggStep { func: FuncRef, args: Reg, n_args: usize, acc: usize, coll: Option<CollSeq>, hit: Option<Reg>, order: Option<Arc<crate::func::ordered::AggOrder>>, binds: u64 },
    /// Finalize accumulator `acc` into `dest` and reset it (an accumulator
    /// that saw no row is created fresh, so count() of nothing is 0).
    AggFinal { func: FuncRef, acc: usize, dest: Reg },

    OpenRead { cursor: usize, db: usize, root: Root, kind: TreeKind, key_info: Option<Arc<KeyInfo>> },
    OpenWrite { cursor: usize, db: usize, root: Root, kind: TreeKind, key_info: Option<Arc<KeyInfo>> },
    /// A transient table (no key_info: rowid-keyed) or index (key_info).
    OpenEphemeral { cursor: usize, key_info: Option<Arc<KeyInfo>> },
    /// A sorter: records inserted in any order, read back sorted.
    SorterOpen { cursor: usize, key_info: Arc<KeyInfo> },
    Close { cursor: usize },
    /// Position on the first entry; jump to `target` if empty.
    Rewind { cursor: usize, target: Addr },
    Last { cursor: usize, target: Addr },
    /// Advance; jump to `target` (the loop body) if there is another entry.
    Next { cursor: usize, target: Addr },
    Prev { cursor: usize, target: Addr },
    /// Seek to the rowid in `reg`; jump to `target` if there is none.
    SeekRowid { cursor: usize, reg: Reg, target: Addr },
    /// Position a table cursor on the first row whose rowid is `op` (Ge or
    /// Gt) the value in `reg`, or the last one (Le, Lt), compared as SQLite
    /// compares a rowid with a value (numeric affinity; text and blobs sort
    /// after every rowid, NULL matches nothing); jump to `target` if there
    /// is none.
    SeekRowidRange { op: SeekOp, cursor: usize, reg: Reg, target: Addr },
    /// Seek an index to the first entry op `key` (n fields from `key`);
    /// jump to `target` if there is none.
    SeekIdx { op: SeekOp, cursor: usize, key: Reg, n: usize, target: Addr },
    /// Compare the index entry's first `n` fields with `key` and jump to
    /// `target` if entry op key holds (IdxGE / IdxGT / IdxLE / IdxLT).
    IdxCompare { op: SeekOp, cursor: usize, key: Reg, n: usize, target: Addr },
    /// Jump to `target` if an entry whose prefix equals the `n` fields at
    /// `key` exists (Found) / does not exist (NotFound). A key holding a
    /// NULL never matches for `NoConflict`.
    Found { cursor: usize, key: Reg, n: usize, target: Addr },
    NotFound { cursor: usize, key: Reg, n: usize, target: Addr },
    NoConflict { cursor: usize, key: Reg, n: usize, target: Addr },
    Column { cursor: usize, column: usize, dest: Reg, default: Option<Value> },
    Rowid { cursor: usize, dest: Reg },
    /// The rowid stored as the last field of the current index entry.
    IdxRowid { cursor: usize, dest: Reg },
    /// Make the cursor's row all NULLs (the unmatched side of a LEFT JOIN).
    NullRow { cursor: usize },
    MakeRecord { start: Reg, count: usize, dest: Reg },
    NewRowid { cursor: usize, dest: Reg },
    /// `hook`: the row change sqlite3_update_hook reports, if any.
    Insert { cursor: usize, record: Reg, rowid: Reg, count_change: bool, set_last_rowid: bool, hook: Option<Arc<RowHook>> },
    IdxInsert { cursor: usize, key: Reg },
    /// Call sqlite3_preupdate_hook's callback, if one is set, for the row
    /// change about to happen: the old row is the one under `cursor`
    /// (UPDATE, DELETE), the new one is described by `new`.
    PreUpdate { cursor: usize, table: Arc<crate::preupdate::PreUpdateTable>, new: PreUpdateNew },
    Delete { cursor: usize, count_change: bool, hook: Option<Arc<RowHook>> },
    /// Delete the index entry equal to the `n` fields at `key`.
    IdxDelete { cursor: usize, key: Reg, n: usize },
    SorterInsert { cursor: usize, record: Reg },
    SorterSort { cursor: usize, target: Addr },
    SorterNext { cursor: usize, target: Addr },
    /// Copy the current sorter record into `dest`.
    SorterData { cursor: usize, dest: Reg },
    /// Decode field `column` of the record in register `record`.
    RecordColumn { record: Reg, column: usize, dest: Reg },
    Count { cursor: usize, dest: Reg },
    ResultRow { start: Reg, count: usize },

    ReadCookie { db: usize, meta: usize, dest: Reg },
    SetCookie { db: usize, meta: usize, value: i64 },
    /// Write the connection's text encoding into the header of `db` (meta
    /// 5): a new database's first schema object fixes it, as in SQLite.
    SetTextEncoding { db: usize },
    /// Add one to the schema cookie of `db` (every schema change does).
    BumpSchemaCookie { db: usize },
    CreateBtree { db: usize, kind: TreeKind, dest: Reg },
    /// Drop the tree at `root`; `moved` gets the old root of the tree an
    /// auto-vacuum file moved into `root`'s page, else 0.
    Destroy { db: usize, root: Pgno, moved: Reg },
    Clear { db: usize, root: Pgno, count_change: bool },
    /// The schema of `db` changed: reload it when this statement ends.
    ParseSchema { db: usize },
    /// Run the PRAGMA implemented in Rust and emit its rows.
    Pragma { db: usize, name: Arc<str>, arg: Option<Value> },
    /// VACUUM database `db`; with `into` > 0, VACUUM INTO the file named
    /// by that register.
    Vacuum { db: usize, into: Reg },
    /// A table-valued pragma: runs pragma `name` (argument in register
    /// `arg`, none when 0) on the database it concerns and leaves its rows
    /// in transient table `cursor`.
    PragmaRows { name: Arc<str>, arg: Reg, cursor: usize },
    /// ANALYZE's statistics of the index rooted at `root` in `db` (its
    /// first `ncols` columns compared by `key_info`) into `dest` as
    /// sqlite_stat1 text, NULL for an empty index.
    AnalyzeIndex { db: usize, root: Pgno, key_info: Arc<KeyInfo>, ncols: usize, dest: Reg },
    /// Makes table cursor `table` stand on the row index cursor `index`
    /// stands on, without seeking: columns `alt_map` covers (table column
    /// → index field) are read from the index entry, the rowid too; the
    /// first other column read seeks the table (SQLite's OP_DeferredSeek).
    DeferredSeek { table: usize, index: usize, alt_map: Arc<[Option<usize>]> },
    /// ATTACH the file named by register `file` as the database named by
    /// register `name` (values as text, NULL as empty, as SQLite's
    /// attach function takes them).
    Attach { file: Reg, name: Reg },
    /// DETACH the database named by register `name`.
    Detach { name: Reg },
    /// A row changed by a trigger body: it counts towards
    /// total_changes() but not towards the statement's changes().
    TotalChange,
    /// Computes the window functions of `plan` over the rows of the
    /// transient table `cursor`, in place (see `window`); frame offsets
    /// are read from registers.
    Window { cursor: usize, plan: Arc<window::WindowPlan> },
    /// Opens `cursor` on virtual table `vtab` (xOpen).
    VOpen { cursor: usize, vtab: crate::vtab::VtabRef },
    /// Starts virtual-table cursor `cursor` (xFilter) with `idx_num`,
    /// `idx_str` and the `argc` values from register `args`; jumps to
    /// `target` when it has no row.
    VFilter { cursor: usize, idx_num: i32, idx_str: Option<Arc<str>>, args: Reg, argc: usize, target: Addr },
    /// The list value of an IN constraint the module takes all at once
    /// (SQLite's OP_VInitIn): the keys of transient index `cursor`, in
    /// order, as a "ValueList" pointer value in `dest`.
    VInitIn { cursor: usize, dest: Reg },
    /// xNext; jumps to `target` while the cursor has a row.
    VNext { cursor: usize, target: Addr },
    /// xColumn of the current row into `dest` (NULL on the NULL row).
    VColumn { cursor: usize, column: usize, dest: Reg, nochange: bool },
    /// xRowid of the current row into `dest`.
    VRowid { cursor: usize, dest: Reg },
    /// CREATE VIRTUAL TABLE: xCreate for table `name` of `db`, whose
    /// sqlite_schema row the statement has just written.
    VCreate { db: usize, name: Arc<str>, sql: Arc<str> },
    /// DROP TABLE of a virtual table: xDestroy.
    VDestroy { db: usize, name: Arc<str> },
    /// ALTER TABLE RENAME of a virtual table, after its sqlite_schema row
    /// was rewritten: xRename, then the table is disconnected (the next
    /// statement connects it under its new name).
    VRename { db: usize, name: Arc<str>, new_name: Arc<str> },
    /// xBegin on `vtab`, once per transaction.
    VBegin { vtab: crate::vtab::VtabRef, stmt_journal: bool },
    /// xUpdate with the `argc` values from register `args` (SQLite's
    /// argv); an INSERT's new rowid becomes last_insert_rowid when
    /// `set_rowid`.
    /// `nochange`, when set, is a register whose bit k says that argv
    /// value 2 + k is a column the UPDATE left unchanged and xColumn did
    /// not set (xUpdate then sees sqlite3_value_nochange = 1).
    VUpdate { vtab: crate::vtab::VtabRef, args: Reg, argc: usize, on_error: OnError, set_rowid: bool, nochange: Option<Reg> },
    /// Bit k of `dest`: register `start + k` (k < `count` <= 63) holds the
    /// no-change marker an UPDATE's xColumn left; those registers become
    /// NULL (the marker survives the UPDATE's transient table as the bit).
    VNoChange { start: Reg, count: usize, dest: Reg },
    Noop,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SavepointOp {
    Begin,
    Release,
    Rollback,
}

/// A compiled statement: immutable, shareable between executions.
#[derive(Debug, Default)]
pub struct Program {
    pub ops: Vec<Op>,
    /// Registers 1..=n_reg are used.
    pub n_reg: usize,
    pub n_cursor: usize,
    pub n_agg: usize,
    pub column_names: Vec<String>,
    pub column_decltypes: Vec<Option<String>>,
    /// Per result column: (database, table, column) names for
    /// sqlite3_column_*_name, when the column is a plain table column.
    pub column_origins: Vec<Option<(String, String, String)>>,
    /// Per result column: it is a bound parameter's value as bound
    /// (sqlite3_value_frombind of sqlite3_column_value). Empty: none is.
    pub column_from_bind: Vec<bool>,
    /// The EXPLAIN QUERY PLAN lines and the loops among them, for
    /// sqlite3_stmt_scanstatus.
    pub scans: Vec<ScanStatus>,
    /// Double-quoted names the statement used as strings (SQLite's DQS
    /// rule), which sqlite3_normalized_sql writes as literals.
    pub dqs_strings: Vec<String>,
    pub readonly: bool,
    /// Number of host parameters and their names (index i = parameter i+1).
    pub parameters: Vec<Option<String>>,
    /// Set for EXPLAIN: the statement lists this program instead of
    /// running it.
    pub explain: Option<crate::parse::ast::ExplainKind>,
    /// True for BEGIN/COMMIT/ROLLBACK/SAVEPOINT: they manage the
    /// transaction themselves.
    pub is_txn_control: bool,
    /// True for INSERT/UPDATE/DELETE: the statement sets sqlite3_changes.
    pub counts_changes: bool,
    /// PRAGMA count_changes=ON: the register that returns the number of
    /// rows changed as the statement's one result row, at its end.
    pub change_count_reg: Option<Reg>,
}
