//! The code generator: turns a parsed statement into a VDBE program.
//!
//! `Builder` holds the program under construction: its opcodes, register
//! and cursor allocation, and labels (forward jump targets resolved when
//! the program is finished). Statement families live in their own files:
//! `expr` (name resolution and expressions), `select`, `where_` (loops and
//! index choice), `dml` (INSERT/UPDATE/DELETE), `upsert` (INSERT ... ON
//! CONFLICT), `returning` (RETURNING), `instead_of` (DML on views through
//! INSTEAD OF triggers), `ddl` (CREATE/DROP, transactions,
//! PRAGMA).
//!
//! Architecture invariant: the code generator reads the schema and emits
//! opcodes; it never touches a B-tree or a file. Every program starts with
//! Init, which jumps to the transaction prologue at the end of the program
//! and comes back, as SQLite's programs do.

mod cond;
mod covering;
mod cte;
mod ddl;
mod dml;
mod expr;
mod generated;
mod instead_of;
mod minmax;
mod index_expr;
mod index_search;
mod multi_or;
mod nested;
mod select;
mod trigger;
mod aggregate;
mod alter;
mod alter_column;
mod analyze;
pub mod auth;
mod plan;
mod rename;
pub mod scan_est;
mod right_join;
mod returning;
mod upsert;
mod vtab;
mod vtab_dml;
mod vtab_in;
mod vtab_or;
mod where_;
mod window;
mod without_rowid;

use std::sync::Arc;

use crate::error::{Error, Result};
use crate::parse::ast::{ExplainKind, ParsedStmt, Stmt};
use crate::value::Value;
use crate::schema::SchemaSet;
use crate::vdbe::{Addr, Op, Program, Reg};

pub use expr::{Scope, Source};
pub(crate) use expr::walk as walk_expr;

/// Labels are addresses with this bit set until the program is finished.
const LABEL_FLAG: usize = 1 << 60;

pub struct Builder<'s> {
    /// Every database's schema; names resolve across them in SQLite's
    /// order (`SchemaSet`).
    pub schemas: &'s SchemaSet,
    pub ops: Vec<Op>,
    n_reg: usize,
    n_cursor: usize,
    n_agg: usize,
    labels: Vec<Option<Addr>>,
    /// Databases the program reads (bit 0 = main) and writes.
    pub reads: bool,
    pub writes: bool,
    /// The scope stack for name resolution: the innermost last.
    pub scopes: Vec<Scope>,
    /// Registers holding values that replace expressions while compiling
    /// the output of an aggregate query (aggregate calls, GROUP BY terms).
    pub agg_subst: Vec<Vec<(crate::parse::ast::Expr, Reg)>>,
    /// Registers that replace column reads (cursor, column; usize::MAX for
    /// the rowid) while compiling the output of an aggregate query.
    pub column_subst: Vec<Vec<((usize, usize), Reg)>>,
    /// Expressions that the index a loop walks holds, read from its
    /// entries instead of computed (`index_expr.rs`), innermost last.
    pub(crate) index_expr_reads: Vec<index_expr::IndexExprRead>,
    /// The VIRTUAL columns (cursor, column) being computed, innermost
    /// last: a column met again is a generated-column loop.
    pub generating: Vec<(usize, usize)>,
    /// Set when name resolution reached past the innermost scope (the
    /// subquery being compiled is correlated).
    pub correlated: Vec<bool>,
    /// Common table expressions in scope, innermost last.
    pub ctes: Vec<cte::CteScope>,
    /// Triggers whose bodies are being compiled, innermost last.
    pub triggers_active: Vec<trigger::ActiveTrigger>,
    /// EXPLAIN QUERY PLAN lines: (id, parent id, text in SQLite's words).
    pub plan_notes: Vec<(i64, i64, String)>,
    /// The loops among `plan_notes` (by position), for
    /// sqlite3_stmt_scanstatus.
    pub scan_loops: Vec<(usize, crate::vdbe::ScanLoop)>,
    /// Double-quoted names compiled as strings (SQLite's DQS misfeature),
    /// for sqlite3_normalized_sql.
    pub dqs_strings: Vec<String>,
    /// The id of the plan line new lines nest under (0: top level).
    pub plan_parent: i64,
    /// Plan lines the next loop nest lists right after its loops, before
    /// its RIGHT-JOIN passes (SQLite lists the GROUP BY sorter there).
    pub nest_end_notes: Vec<String>,
    /// Subqueries seen so far, to number them as SQLite does.
    pub subquery_count: i64,
    /// The result column names of a DML statement's RETURNING clause.
    pub result_names: Vec<String>,
    /// Above zero while compiling code that runs once per row as its own
    /// program in SQLite (trigger bodies, RETURNING): there every subquery
    /// runs each time it is reached, as none outlives the row.
    pub per_row_program: usize,
    /// The connection has a preupdate hook: every row is deleted one by
    /// one (no truncate optimization), as SQLite compiles it.
    pub preupdate_hooked: bool,
    /// Databases the program needs a read transaction on without opening
    /// a cursor there (bit i = database i).
    pub extra_reads: u64,
    /// Automatic indexes may be built: set while compiling a query whose
    /// tables cannot change while it runs (a SELECT statement, the
    /// materialised source of INSERT ... SELECT or CREATE TABLE ... AS).
    /// An automatic index is built once per run, so elsewhere it could go
    /// stale under the statement's own writes.
    pub auto_index_ok: bool,
    /// Constant loads moved out of the loops: they run once, in the
    /// prologue, into registers nothing else writes.
    pub hoisted: Vec<Op>,
    /// The application's authorizer and its answers (`auth.rs`).
    pub auth: Option<auth::AuthState<'s>>,
    /// Set while a parenthesised join's select is compiled: its `*`
    /// expands as a nested FROM (`nested.rs`).
    pub nested_star: Option<nested::NestedStar>,
    /// The candidate plans of each virtual-table loop (`vtab.rs`).
    pub(crate) vtab_plans: Vec<Arc<vtab::VtabLevel>>,
    /// Virtual tables the statement writes: OP_VBegin for each in the
    /// prologue, as SQLite's sqlite3VtabMakeWritable arranges.
    pub(crate) vtab_lock: Vec<crate::vtab::VtabRef>,
    /// The statement may write several rows of a virtual table and fail
    /// half-way (SQLite's usesStmtJournal): inside a transaction it opens
    /// a statement savepoint that the tables see (xSavepoint...).
    pub(crate) vtab_stmt_journal: bool,
    /// Set while compiling the call of an infix operator (LIKE, GLOB,
    /// MATCH, REGEXP), whose function takes the left operand second.
    pub(crate) infix_call: bool,
}

impl<'s> Builder<'s> {
    pub fn new(schemas: &'s SchemaSet) -> Builder<'s> {
        Builder {
            schemas,
            ops: Vec::new(),
            n_reg: 0,
            // Cursor 0 is reserved for PRAGMA results.
            n_cursor: 1,
            n_agg: 0,
            labels: Vec::new(),
            reads: false,
            writes: false,
            scopes: Vec::new(),
            agg_subst: Vec::new(),
            column_subst: Vec::new(),
            index_expr_reads: Vec::new(),
            generating: Vec::new(),
            correlated: Vec::new(),
            ctes: Vec::new(),
            triggers_active: Vec::new(),
            plan_notes: Vec::new(),
            scan_loops: Vec::new(),
            dqs_strings: Vec::new(),
            plan_parent: 0,
            nest_end_notes: Vec::new(),
            subquery_count: 0,
            result_names: Vec::new(),
            per_row_program: 0,
            preupdate_hooked: false,
            extra_reads: 0,
            auto_index_ok: false,
            hoisted: Vec::new(),
            auth: None,
            nested_star: None,
            vtab_plans: Vec::new(),
            vtab_lock: Vec::new(),
            vtab_stmt_journal: false,
            infix_call: false,
        }
    }

    pub fn emit(&mut self, op: Op) -> Addr {
        self.ops.push(op);
        self.ops.len() - 1
    }

    pub fn addr(&self) -> Addr {
        self.ops.len()
    }

    pub fn alloc_reg(&mut self) -> Reg {
        self.n_reg += 1;
        self.n_reg
    }

    /// Allocates `n` consecutive registers and returns the first.
    pub fn alloc_regs(&mut self, n: usize) -> Reg {
        let first = self.n_reg + 1;
        self.n_reg += n.max(1);
        first
    }

    pub fn alloc_cursor(&mut self) -> usize {
        self.n_cursor += 1;
        self.n_cursor - 1
    }

    /// Records an EXPLAIN QUERY PLAN line; returns its id.
    pub fn plan_note(&mut self, detail: String) -> i64 {
        let id = self.ops.len() as i64 + 1;
        let id = match self.plan_notes.last() {
            Some((last, _, _)) if *last >= id => last + 1,
            _ => id,
        };
        self.plan_notes.push((id, self.plan_parent, detail));
        id
    }

    pub fn alloc_agg(&mut self) -> usize {
        self.n_agg += 1;
        self.n_agg - 1
    }

    pub fn new_label(&mut self) -> usize {
        self.labels.push(None);
        LABEL_FLAG | (self.labels.len() - 1)
    }

    /// Makes `label` refer to the next opcode emitted.
    pub fn resolve(&mut self, label: usize) {
        let at = self.ops.len();
        if let Some(slot) = self.labels.get_mut(label & !LABEL_FLAG) {
            *slot = Some(at);
        }
    }

    fn jump_target(op: &mut Op) -> Option<&mut Addr> {
        match op {
            Op::Init { target }
            | Op::Goto { target }
            | Op::If { target, .. }
            | Op::IfNot { target, .. }
            | Op::CompareJump { target, .. }
            | Op::IsNull { target, .. }
            | Op::NotNull { target, .. }
            | Op::IfPos { target, .. }
            | Op::IfNotPos { target, .. }
            | Op::DecrJumpZero { target, .. }
            | Op::Gosub { target, .. }
            | Op::Once { target }
            | Op::Rewind { target, .. }
            | Op::Last { target, .. }
            | Op::Next { target, .. }
            | Op::Prev { target, .. }
            | Op::SeekRowid { target, .. }
            | Op::SeekRowidRange { target, .. }
            | Op::SeekIdx { target, .. }
            | Op::IdxCompare { target, .. }
            | Op::Found { target, .. }
            | Op::NotFound { target, .. }
            | Op::NoConflict { target, .. }
            | Op::SorterSort { target, .. }
            | Op::SorterNext { target, .. }
            | Op::VFilter { target, .. }
            | Op::VNext { target, .. } => Some(target),
            _ => None,
        }
    }

    /// Resolves labels and returns the finished program.
    pub fn finish(mut self) -> Result<Program> {
        let labels = std::mem::take(&mut self.labels);
        for op in self.ops.iter_mut() {
            if let Some(t) = Self::jump_target(op) {
                if *t & LABEL_FLAG != 0 {
                    *t = labels
                        .get(*t & !LABEL_FLAG)
                        .copied()
                        .flatten()
                        .ok_or_else(|| Error::with_message(crate::error::code::INTERNAL, "unresolved label"))?;
                }
            }
        }
        Ok(Program { ops: self.ops, n_reg: self.n_reg, n_cursor: self.n_cursor, n_agg: self.n_agg, ..Program::default() })
    }

    /// The databases the program reads and writes, as bit masks (bit i =
    /// database i), from the opcodes that name one. A program that reads
    /// or writes without naming a database (a PRAGMA, a bare SELECT of
    /// expressions that still wants a transaction) uses main.
    fn databases_used(&self) -> (u64, u64) {
        let (mut read, mut write, mut named) = (0u64, 0u64, 0u64);
        let bit = |db: usize| 1u64 << db.min(63);
        for op in &self.ops {
            match op {
                Op::OpenRead { db, .. } | Op::AnalyzeIndex { db, .. } => read |= bit(*db),
                Op::Pragma { db, .. } if *db == crate::pragma::ALL_DATABASES => named |= (1u64 << self.schemas.dbs.len().min(63)) - 1,
                Op::PragmaRows { .. } => read |= (1u64 << self.schemas.dbs.len().min(63)) - 1,
                Op::Pragma { db, .. } | Op::Vacuum { db, .. } => named |= bit(*db),
                Op::OpenWrite { db, .. }
                | Op::CreateBtree { db, .. }
                | Op::Destroy { db, .. }
                | Op::Clear { db, .. }
                | Op::SetCookie { db, .. }
                | Op::BumpSchemaCookie { db }
                | Op::ParseSchema { db }
                | Op::SetTextEncoding { db } => write |= bit(*db),
                _ => {}
            }
        }
        read |= self.extra_reads;
        let default = if named != 0 { named } else { 1 };
        if self.writes && write == 0 {
            write = default;
        }
        if read | write == 0 {
            read = default;
        }
        (read, write)
    }

    /// Emits the program's last instructions: Halt, then the transaction
    /// prologue that Init jumps to, then a jump back to the start.
    pub fn finish_with_prologue(mut self, prologue: usize) -> Result<Program> {
        self.emit(Op::Halt { rc: 0, msg: None, on_error: crate::vdbe::OnError::Abort });
        self.resolve(prologue);
        if self.reads || self.writes {
            let (read, write) = self.databases_used();
            for db in 0..self.schemas.dbs.len().max(1) {
                if (read | write) & (1 << db) != 0 {
                    let cookie = self.schemas.get(db).cookie;
                    self.emit(Op::Transaction { db, write: write & (1 << db) != 0, schema_cookie: Some(cookie) });
                }
            }
        }
        let stmt_journal = self.vtab_stmt_journal;
        for vtab in std::mem::take(&mut self.vtab_lock) {
            self.emit(Op::VBegin { vtab, stmt_journal });
        }
        for op in std::mem::take(&mut self.hoisted) {
            self.emit(op);
        }
        self.emit(Op::Goto { target: 1 });
        let readonly = !self.writes;
        let mut p = self.finish()?;
        p.readonly = readonly;
        Ok(p)
    }
}

/// Compiles one parsed statement against `schema`. `sql` is the whole text
/// the statement was parsed from (spans index into it).
pub fn compile(schemas: &SchemaSet, parsed: &ParsedStmt) -> Result<Program> {
    compile_authorized(schemas, parsed, None, false)
}

/// `compile`, consulting the application's authorizer (if any) first, as
/// SQLite does while it prepares a statement.
/// `preupdate_hooked`: the connection has a preupdate hook, which turns
/// the truncate optimization off.
pub fn compile_authorized<'s>(schemas: &'s SchemaSet, parsed: &ParsedStmt, authorizer: Option<&'s mut dyn auth::Authorizer>, preupdate_hooked: bool) -> Result<Program> {
    let mut b = Builder::new(schemas);
    b.preupdate_hooked = preupdate_hooked;
    b.auth = authorizer.map(auth::AuthState::new);
    let authorized = b.authorize_statement(&parsed.stmt)?;
    if authorized.no_op {
        return Ok(explain_program(&[], Vec::new(), parsed));
    }
    let filtered = authorized.filter_update(parsed);
    let parsed = filtered.as_ref().unwrap_or(parsed);
    let prologue = b.new_label();
    b.emit(Op::Init { target: prologue });
    let mut columns: Vec<String> = Vec::new();
    let mut decltypes: Vec<Option<String>> = Vec::new();
    let mut origins: Vec<Option<(String, String, String)>> = Vec::new();
    let mut from_bind: Vec<bool> = Vec::new();
    let mut is_txn_control = false;
    let mut counts_changes = false;
    match &parsed.stmt {
        Stmt::Select(sel) => {
            b.reads = true;
            b.auto_index_ok = true;
            let out = select::compile_select(&mut b, sel, select::Dest::Output)?;
            from_bind = expr::result_from_bind(sel);
            columns = out.names;
            decltypes = out.decltypes;
            origins = out.origins;
        }
        Stmt::Insert(ins) => {
            counts_changes = true;
            dml::compile_insert(&mut b, ins)?;
        }
        Stmt::Update(up) => {
            counts_changes = true;
            dml::compile_update(&mut b, up)?;
        }
        Stmt::Delete(del) => {
            counts_changes = true;
            dml::compile_delete(&mut b, del)?;
        }
        _ => {}
    }
    if matches!(parsed.stmt, Stmt::Insert(_) | Stmt::Update(_) | Stmt::Delete(_)) {
        // RETURNING rows are the statement's result rows.
        columns = std::mem::take(&mut b.result_names);
        decltypes = vec![None; columns.len()];
    }
    match &parsed.stmt {
        Stmt::Select(_) | Stmt::Insert(_) | Stmt::Update(_) | Stmt::Delete(_) => {}
        Stmt::Begin(_) | Stmt::Commit | Stmt::Rollback { .. } | Stmt::Savepoint(_) | Stmt::Release(_) => {
            is_txn_control = true;
            ddl::compile_transaction(&mut b, &parsed.stmt)?;
        }
        Stmt::CreateTable(ct) => {
            // CREATE TABLE ... AS SELECT writes schema text of its own.
            let sql = if matches!(ct.body, crate::parse::ast::CreateTableBody::AsSelect(_)) { "" } else { schema_text(parsed)? };
            ddl::compile_create_table(&mut b, ct, sql)?
        }
        Stmt::CreateIndex(ci) => ddl::compile_create_index(&mut b, ci, schema_text(parsed)?)?,
        Stmt::CreateView(cv) => ddl::compile_create_view(&mut b, cv, schema_text(parsed)?)?,
        Stmt::Drop(d) => ddl::compile_drop(&mut b, d)?,
        Stmt::Pragma(p) => {
            let names = ddl::compile_pragma(&mut b, p)?;
            decltypes = vec![None; names.len()];
            columns = names;
        }
        Stmt::CreateTrigger(ct) => ddl::compile_create_trigger(&mut b, ct, schema_text(parsed)?)?,
        Stmt::CreateVirtualTable(vt) => vtab::compile_create(&mut b, vt, schema_text(parsed)?)?,
        Stmt::AlterTable(at) => match &at.action {
            crate::parse::ast::AlterAction::AddColumn(def) => alter::compile_add_column(&mut b, &at.table, def, schema_text(parsed)?)?,
            crate::parse::ast::AlterAction::RenameTo(new) => rename::compile_rename_table(&mut b, &at.table, new)?,
            crate::parse::ast::AlterAction::RenameColumn { old, new, new_quoted } => alter_column::compile_rename_column(&mut b, &at.table, old, new, *new_quoted)?,
            crate::parse::ast::AlterAction::DropColumn(name) => alter_column::compile_drop_column(&mut b, &at.table, name)?,
            _ => return Err(Error::sql("this form of ALTER TABLE is not supported yet")),
        },
        Stmt::Attach { file, schema, key } => ddl::compile_attach(&mut b, file, schema, key.as_ref())?,
        Stmt::Detach(name) => ddl::compile_detach(&mut b, name)?,
        Stmt::Vacuum { schema, into } => ddl::compile_vacuum(&mut b, schema.as_deref(), into.as_ref())?,
        Stmt::Analyze(name) => analyze::compile_analyze(&mut b, name.as_ref())?,
        Stmt::Reindex(name) => ddl::compile_reindex(&mut b, name.as_ref())?,
    }
    let notes = std::mem::take(&mut b.plan_notes);
    let mut loops = std::mem::take(&mut b.scan_loops);
    let dqs_strings = std::mem::take(&mut b.dqs_strings);
    let mut prog = b.finish_with_prologue(prologue)?;
    if parsed.explain.is_none() {
        prog.scans = notes
            .iter()
            .enumerate()
            .map(|(i, (id, parent, detail))| {
                let scan_loop = loops.iter().position(|(n, _)| *n == i).map(|k| loops.swap_remove(k).1);
                crate::vdbe::ScanStatus { id: *id, parent: *parent, explain: detail.clone(), scan_loop }
            })
            .collect();
    }
    match parsed.explain {
        Some(ExplainKind::QueryPlan) => return Ok(explain_program(&["id", "parent", "notused", "detail"], notes.into_iter().map(|(id, parent, d)| vec![Value::Integer(id), Value::Integer(parent), Value::Integer(0), Value::text(&d)]).collect(), parsed)),
        Some(ExplainKind::Explain) => {
            let rows = prog
                .ops
                .iter()
                .enumerate()
                .map(|(addr, op)| {
                    let text = format!("{op:?}");
                    let split = text.find([' ', '{']).unwrap_or(text.len());
                    let (name, operands) = text.split_at(split);
                    vec![Value::Integer(addr as i64), Value::text(name), Value::Integer(0), Value::Integer(0), Value::Integer(0), Value::text(operands.trim()), Value::Integer(0), Value::Null]
                })
                .collect();
            return Ok(explain_program(&["addr", "opcode", "p1", "p2", "p3", "p4", "p5", "comment"], rows, parsed));
        }
        None => {}
    }
    prog.column_names = columns;
    prog.column_decltypes = decltypes;
    origins.resize(prog.column_names.len(), None);
    prog.column_origins = origins;
    prog.column_from_bind = from_bind;
    prog.dqs_strings = dqs_strings;
    prog.parameters = parsed.parameters.clone();
    prog.is_txn_control = is_txn_control;
    prog.counts_changes = counts_changes;
    if is_txn_control {
        prog.readonly = true;
    }
    Ok(prog)
}

/// The text a CREATE statement leaves in sqlite_schema, as the parser
/// normalised it.
fn schema_text(parsed: &ParsedStmt) -> Result<&str> {
    parsed.schema_sql.as_deref().ok_or_else(|| Error::with_message(crate::error::code::INTERNAL, "CREATE statement without schema text"))
}

/// A program that returns `rows` (EXPLAIN's listing or query plan)
/// instead of running the explained statement.
fn explain_program(names: &[&str], rows: Vec<Vec<Value>>, parsed: &ParsedStmt) -> Program {
    let width = names.len();
    let mut ops = vec![Op::Init { target: 1 }];
    for row in rows {
        for (i, v) in row.into_iter().enumerate() {
            let dest = i + 1;
            ops.push(match v {
                Value::Integer(value) => Op::Integer { value, dest },
                Value::Real(value) => Op::Real { value, dest },
                Value::Text(t) => Op::String { value: Arc::from(t.as_slice()), dest },
                Value::Blob(t) => Op::Blob { value: Arc::from(t.as_slice()), dest },
                Value::Null | Value::Pointer(_) => Op::Null { dest, count: 1 },
            });
        }
        ops.push(Op::ResultRow { start: 1, count: width });
    }
    ops.push(Op::Halt { rc: 0, msg: None, on_error: crate::vdbe::OnError::Abort });
    Program {
        ops,
        n_reg: width,
        n_cursor: 1,
        column_names: names.iter().map(|s| s.to_string()).collect(),
        column_decltypes: vec![None; width],
        readonly: true,
        parameters: parsed.parameters.clone(),
        explain: parsed.explain,
        ..Program::default()
    }
}

/// Shared helper: an `Arc<[u8]>` from text.
pub(crate) fn bytes(s: &str) -> Arc<[u8]> {
    Arc::from(s.as_bytes())
}
