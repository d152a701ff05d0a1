//! The authorizer (sqlite3_set_authorizer): the application's callback
//! consulted while a statement is compiled, with SQLite's action codes and
//! arguments, in SQLite's order.
//!
//! SQLite asks at several moments of its compilation: while it resolves
//! names (READ for each column reference, FUNCTION for each call, a
//! FROM-clause subquery or view resolved before the outer query's own
//! names, with the view's name as the context argument), and while it
//! generates code (SELECT for each query and subquery, RECURSIVE, the READ
//! of a table none of whose columns is read, and the whole of a fired
//! trigger's program, with the trigger's name as context). Ferrolite's code
//! generator resolves names while it emits code, in another order, so the
//! authorizer is consulted by a walk of the statement's syntax tree made
//! before any code is generated (`Builder::authorize_statement`), in the
//! order SQLite's resolver and code generator would reach each point; the
//! code generator then only applies the answers: `Builder::auth_ignores_column`
//! (a column read that SQLITE_IGNORE turned into NULL),
//! `Builder::auth_ignores_function`, and the statement-level outcome
//! (`AuthOutcome`: the whole statement does nothing, or UPDATE leaves some
//! columns alone).
//!
//! Invariants: the callback is only reached through `Builder::authorize`;
//! the answers apply to the statement being compiled only. SQLITE_DENY
//! fails the compile with SQLITE_AUTH ("not authorized", or "access to T.C
//! is prohibited" for READ); a value other than OK, DENY and IGNORE fails it
//! with SQLITE_ERROR "authorizer malfunction". An IGNORE is remembered per
//! (database, table, column) for the statement: a callback that answers the
//! same question differently within one statement is not modelled.

use std::sync::Arc;

use crate::error::{code, Error, Result};
use crate::parse::ast::{
    self, Expr, FunctionArgs, JoinConstraint, LikeOp, ResultColumn, Select, SelectCore, Stmt, TableRef,
};
use crate::schema::{Table, TEMP_DB};

use super::expr::ROWID;
use super::Builder;

/// SQLite's authorizer action codes (SQLITE_CREATE_INDEX ... SQLITE_RECURSIVE).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(i32)]
pub enum AuthAction {
    CreateIndex = 1,
    CreateTable = 2,
    CreateTempIndex = 3,
    CreateTempTable = 4,
    CreateTempTrigger = 5,
    CreateTempView = 6,
    CreateTrigger = 7,
    CreateView = 8,
    Delete = 9,
    DropIndex = 10,
    DropTable = 11,
    DropTempIndex = 12,
    DropTempTable = 13,
    DropTempTrigger = 14,
    DropTempView = 15,
    DropTrigger = 16,
    DropView = 17,
    Insert = 18,
    Pragma = 19,
    Read = 20,
    Select = 21,
    Transaction = 22,
    Update = 23,
    Attach = 24,
    Detach = 25,
    AlterTable = 26,
    Reindex = 27,
    Analyze = 28,
    CreateVtable = 29,
    DropVtable = 30,
    Function = 31,
    Savepoint = 32,
    Recursive = 33,
}

impl AuthAction {
    /// The action code the C callback receives.
    pub fn code(self) -> i32 {
        self as i32
    }
}

/// The callback's answers (any other value is a malfunction).
pub const AUTH_OK: i32 = 0;
pub const AUTH_DENY: i32 = 1;
pub const AUTH_IGNORE: i32 = 2;

/// An application's authorizer: given the action and its four string
/// arguments (table/index/... name, column/... name, database name, and
/// the innermost trigger or view), answers AUTH_OK, AUTH_DENY or
/// AUTH_IGNORE. The C layer implements it with the C callback.
pub trait Authorizer: Send {
    fn authorize(&mut self, action: AuthAction, args: [Option<&str>; 4]) -> i32;
}

/// The authorizer in use while one statement compiles, and the answers the
/// code generator must apply.
pub struct AuthState<'a> {
    callback: &'a mut dyn Authorizer,
    /// (database, lower-case table name, column or ROWID) read as NULL.
    ignored_columns: Vec<(usize, String, usize)>,
    /// Lower-case names of functions whose calls are NULL.
    ignored_functions: Vec<String>,
    /// Trigger-body statements an IGNORE made do nothing (by address: they
    /// belong to the schema the statement compiles against).
    ignored_statements: Vec<*const Stmt>,
}

impl<'a> AuthState<'a> {
    pub fn new(callback: &'a mut dyn Authorizer) -> AuthState<'a> {
        AuthState { callback, ignored_columns: Vec::new(), ignored_functions: Vec::new(), ignored_statements: Vec::new() }
    }
}

/// What the authorizer decided for the statement as a whole.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct AuthOutcome {
    /// An action the statement depends on was answered IGNORE: the
    /// statement compiles to a program that does nothing.
    pub no_op: bool,
    /// UPDATE: lower-case names of the columns the SET list must leave
    /// alone.
    pub skip_update_columns: Vec<String>,
}

impl AuthOutcome {
    /// The statement with the SET assignments of ignored columns removed,
    /// when there are any (UPDATE and upsert DO UPDATE).
    pub fn filter_update(&self, parsed: &ast::ParsedStmt) -> Option<ast::ParsedStmt> {
        if self.skip_update_columns.is_empty() {
            return None;
        }
        let keep = |a: &ast::Assignment| !a.columns.iter().any(|c| self.skip_update_columns.iter().any(|s| s.eq_ignore_ascii_case(c)));
        let mut p = parsed.clone();
        match &mut p.stmt {
            Stmt::Update(up) => up.sets.retain(keep),
            Stmt::Insert(ins) => {
                for u in ins.upsert.iter_mut() {
                    if let ast::UpsertAction::Update { sets, .. } = &mut u.action {
                        sets.retain(keep);
                    }
                }
            }
            _ => return None,
        }
        Some(p)
    }
}

/// How a check came out when it did not fail the statement.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Answer {
    Ok,
    Ignore,
}

fn not_authorized() -> Error {
    Error::with_message(code::AUTH, "not authorized")
}

fn malfunction() -> Error {
    Error::sql("authorizer malfunction")
}

/// The name SQLite gives the schema table of database `db`.
fn schema_table_name(db: usize) -> &'static str {
    if db == TEMP_DB {
        "sqlite_temp_master"
    } else {
        "sqlite_master"
    }
}

impl<'s> Builder<'s> {
    /// Consults the authorizer, if any, for `action`; the fourth argument
    /// is the current context (innermost trigger or view). DENY and
    /// malfunctions become the statement's error.
    fn authorize(&mut self, action: AuthAction, a1: Option<&str>, a2: Option<&str>, a3: Option<&str>, ctx: Option<&str>) -> Result<Answer> {
        let Some(auth) = self.auth.as_mut() else { return Ok(Answer::Ok) };
        match auth.callback.authorize(action, [a1, a2, a3, ctx]) {
            AUTH_OK => Ok(Answer::Ok),
            AUTH_IGNORE => Ok(Answer::Ignore),
            AUTH_DENY => Err(not_authorized()),
            _ => Err(malfunction()),
        }
    }

    /// True when SQLITE_IGNORE made reads of this column NULL.
    pub fn auth_ignores_column(&self, table: Option<&Table>, column: usize) -> bool {
        match (&self.auth, table) {
            (Some(a), Some(t)) if !a.ignored_columns.is_empty() => {
                let column = if t.rowid_alias == Some(column) { ROWID } else { column };
                a.ignored_columns.iter().any(|(db, name, c)| *db == t.db && *c == column && name.eq_ignore_ascii_case(&t.name))
            }
            _ => false,
        }
    }

    /// True when SQLITE_IGNORE made calls of this function NULL.
    pub fn auth_ignores_function(&self, name: &str) -> bool {
        self.auth.as_ref().is_some_and(|a| a.ignored_functions.iter().any(|f| f.eq_ignore_ascii_case(name)))
    }

    /// True when an IGNORE made this trigger-body statement do nothing.
    pub fn auth_skips_statement(&self, stmt: &Stmt) -> bool {
        self.auth.as_ref().is_some_and(|a| a.ignored_statements.contains(&(stmt as *const Stmt)))
    }

    /// Asks the authorizer about everything `stmt` does, in SQLite's
    /// order, before its code is generated. Without an authorizer it does
    /// nothing.
    pub fn authorize_statement(&mut self, stmt: &Stmt) -> Result<AuthOutcome> {
        if self.auth.is_none() {
            return Ok(AuthOutcome::default());
        }
        let mut w = Walk { b: self, scopes: Vec::new(), ctes: Vec::new(), ctx: None, pending: None, outcome: AuthOutcome::default(), trigger_depth: 0, trigger_tab: None, exists_joins: Vec::new() };
        w.statement(stmt)?;
        Ok(w.outcome)
    }
}

/// One FROM-clause item as the walk's name resolution sees it.
struct Item {
    /// The name the item is referred to by (alias, else its name).
    name: String,
    /// A table or view of a schema (columns read are authorized), or the
    /// result columns of a subquery or CTE (not authorized).
    table: Option<Arc<Table>>,
    columns: Vec<String>,
    /// The item's own name and the database written in front of it, for
    /// the READ of an item whose columns are never read.
    own_name: Option<String>,
    written_db: Option<String>,
    is_subquery: bool,
    used: bool,
    /// For a subquery, view or CTE: its plan's index among the FROM
    /// clause's subqueries.
    sub: Option<usize>,
}

/// What code generation will ask about one query after names are
/// resolved: its SELECT, the tables none of whose columns it reads, its
/// subqueries.
#[derive(Default)]
struct QueryPlan {
    ctx: Option<String>,
    kind: QueryKind,
    /// The FROM clause in order: tables (with whether any of their columns
    /// is read) and subqueries.
    from: Vec<FromEntry>,
    /// Subqueries of expressions.
    subqueries: Vec<QueryPlan>,
    /// A FROM-clause subquery SQLite's flattener merges into the outer
    /// query: its SELECT is asked when it is flattened, and its tables
    /// are then the outer query's.
    flattenable: bool,
}

enum FromEntry {
    /// A table: its name, the database written in front of it, whether a
    /// column of it is read.
    Table(String, Option<String>, bool),
    Sub(QueryPlan),
}

#[derive(Default)]
enum QueryKind {
    #[default]
    Simple,
    /// A compound of these arms, left to right.
    Compound(Vec<QueryPlan>),
    /// A recursive CTE's body: its arms, setup ones first.
    Recursive(Vec<QueryPlan>),
    /// An EXISTS subquery SQLite turns into a join of the outer query:
    /// never coded as a query of its own.
    Joined,
    /// An IN subquery SQLite answers from a table or index: not coded.
    NotCoded,
}

struct Walk<'w, 's> {
    b: &'w mut Builder<'s>,
    /// Name-resolution scopes, innermost last.
    scopes: Vec<Vec<Item>>,
    /// WITH clauses in scope, innermost last (name, cte, recursive).
    ctes: Vec<Vec<(ast::Cte, bool)>>,
    /// The innermost trigger or view being resolved.
    ctx: Option<String>,
    /// A READ denied or malfunctioning: SQLite finishes resolving the
    /// current expression before it stops.
    pending: Option<Error>,
    outcome: AuthOutcome,
    trigger_depth: usize,
    /// The table whose trigger is being compiled (NEW / OLD read it).
    trigger_tab: Option<Arc<Table>>,
    /// EXISTS subqueries of the WHERE clause being resolved that SQLite
    /// turns into joins (by address: they are nodes of the statement).
    exists_joins: Vec<*const Select>,
}

impl Walk<'_, '_> {
    fn check(&mut self, action: AuthAction, a1: Option<&str>, a2: Option<&str>, a3: Option<&str>) -> Result<Answer> {
        let ctx = self.ctx.clone();
        self.b.authorize(action, a1, a2, a3, ctx.as_deref())
    }

    fn db_name(&self, db: usize) -> String {
        self.b.schemas.db_name(db).to_string()
    }

    /// READ of column `col` (or ROWID) of `t`: IGNORE makes it NULL, DENY
    /// and malfunctions fail the statement once the current expression is
    /// resolved.
    fn read_column(&mut self, t: &Arc<Table>, col: usize) {
        let name = if col == ROWID {
            match t.rowid_alias.and_then(|i| t.columns.get(i)) {
                Some(c) => c.name.clone(),
                None => "ROWID".to_string(),
            }
        } else {
            match t.columns.get(col) {
                Some(c) => c.name.clone(),
                None => return,
            }
        };
        let db_name = self.db_name(t.db);
        let tname = if crate::schema::SchemaSet::is_schema_table(&t.name) { schema_table_name(t.db).to_string() } else { t.name.clone() };
        let ctx = self.ctx.clone();
        let Some(auth) = self.b.auth.as_mut() else { return };
        match auth.callback.authorize(AuthAction::Read, [Some(&tname), Some(&name), Some(&db_name), ctx.as_deref()]) {
            AUTH_OK => {}
            AUTH_IGNORE => {
                let col = if t.rowid_alias == Some(col) { ROWID } else { col };
                auth.ignored_columns.push((t.db, t.name.to_ascii_lowercase(), col));
            }
            AUTH_DENY => {
                let mut what = format!("{tname}.{name}");
                if self.b.schemas.dbs.len() > 2 || t.db != 0 {
                    what = format!("{db_name}.{what}");
                }
                self.pending = Some(Error::with_message(code::AUTH, format!("access to {what} is prohibited")));
            }
            _ => self.pending = Some(malfunction()),
        }
    }

    /// Ends the resolution of one expression: a denied READ fails now.
    fn flush(&mut self) -> Result<()> {
        match self.pending.take() {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }

    fn find_table(&self, name: &ast::QualifiedName) -> Option<Arc<Table>> {
        self.b.schemas.find_table(name.schema.as_deref(), &name.name)
    }

    // ------------------------------------------------------------ statements

    fn statement(&mut self, stmt: &Stmt) -> Result<()> {
        match stmt {
            Stmt::Select(sel) => {
                if self.check(AuthAction::Select, None, None, None)? == Answer::Ignore {
                    self.outcome.no_op = true;
                    return Ok(());
                }
                let plan = self.resolve_select(sel, None)?;
                self.codegen_rest(&plan)
            }
            Stmt::Insert(ins) => self.insert(ins),
            Stmt::Update(up) => self.update(up),
            Stmt::Delete(del) => self.delete(del),
            Stmt::CreateTable(ct) => self.create_table(ct),
            Stmt::CreateView(cv) => {
                let db = self.target_db(cv.temporary, &cv.name);
                let action = if db == TEMP_DB { AuthAction::CreateTempView } else { AuthAction::CreateView };
                self.create_object(db, action, &cv.name.name, None)?;
                if self.outcome.no_op || self.name_taken(db, &cv.name.name) {
                    return Ok(());
                }
                self.schema_row_written(db)
            }
            Stmt::CreateIndex(ci) => self.create_index(ci),
            Stmt::CreateTrigger(ct) => self.create_trigger(ct),
            Stmt::Drop(d) => self.drop(d),
            Stmt::Pragma(p) => {
                let value = p.value.as_ref().map(|v| match v {
                    ast::PragmaValue::Assign(e) | ast::PragmaValue::Call(e) => pragma_value_text(e),
                });
                let value = value.flatten();
                self.statement_check(AuthAction::Pragma, Some(&p.name.name), value.as_deref(), p.name.schema.as_deref())
            }
            Stmt::Begin(_) => self.statement_check(AuthAction::Transaction, Some("BEGIN"), None, None),
            Stmt::Commit => self.statement_check(AuthAction::Transaction, Some("COMMIT"), None, None),
            Stmt::Rollback { savepoint: None } => self.statement_check(AuthAction::Transaction, Some("ROLLBACK"), None, None),
            Stmt::Rollback { savepoint: Some(name) } => self.statement_check(AuthAction::Savepoint, Some("ROLLBACK"), Some(name), None),
            Stmt::Savepoint(name) => self.statement_check(AuthAction::Savepoint, Some("BEGIN"), Some(name), None),
            Stmt::Release(name) => self.statement_check(AuthAction::Savepoint, Some("RELEASE"), Some(name), None),
            Stmt::Attach { file, .. } => {
                let arg = literal_text(file);
                self.statement_check(AuthAction::Attach, arg.as_deref(), None, None)
            }
            Stmt::Detach(name) => {
                let arg = literal_text(name);
                self.statement_check(AuthAction::Detach, arg.as_deref(), None, None)
            }
            Stmt::AlterTable(at) => {
                let Some(t) = self.find_table(&at.table) else { return Ok(()) };
                let db = self.db_name(t.db);
                let column = match &at.action {
                    ast::AlterAction::RenameColumn { old, .. } | ast::AlterAction::DropColumn(old) => Some(old.as_str()),
                    _ => None,
                };
                self.statement_check(AuthAction::AlterTable, Some(&db), Some(&t.name), column)?;
                if matches!(at.action, ast::AlterAction::AddColumn(_)) && !self.outcome.no_op {
                    // The UPDATE of sqlite_schema SQLite runs to append the
                    // column definition to the CREATE TABLE text.
                    let st = schema_table_name(t.db);
                    for (action, a1, a2) in [
                        (AuthAction::Function, None, Some("printf")),
                        (AuthAction::Read, Some(st), Some("sql")),
                        (AuthAction::Function, None, Some("substr")),
                        (AuthAction::Read, Some(st), Some("sql")),
                        (AuthAction::Function, None, Some("length")),
                        (AuthAction::Function, None, Some("printf")),
                        (AuthAction::Read, Some(st), Some("sql")),
                        (AuthAction::Update, Some(st), Some("sql")),
                        (AuthAction::Read, Some(st), Some("type")),
                        (AuthAction::Read, Some(st), Some("name")),
                    ] {
                        let a3 = if action == AuthAction::Function { None } else { Some(db.as_str()) };
                        self.check(action, a1, a2, a3)?;
                    }
                }
                Ok(())
            }
            Stmt::Reindex(name) => self.reindex(name.as_ref()),
            Stmt::Analyze(name) => self.analyze(name.as_ref()),
            Stmt::Vacuum { .. } | Stmt::CreateVirtualTable(_) => Ok(()),
        }
    }

    /// A check whose IGNORE makes the whole statement do nothing.
    fn statement_check(&mut self, action: AuthAction, a1: Option<&str>, a2: Option<&str>, a3: Option<&str>) -> Result<()> {
        if self.check(action, a1, a2, a3)? == Answer::Ignore {
            self.outcome.no_op = true;
        }
        Ok(())
    }

    fn target_db(&self, temporary: bool, name: &ast::QualifiedName) -> usize {
        if temporary {
            return TEMP_DB;
        }
        name.schema.as_deref().and_then(|s| self.b.schemas.db_index(s)).unwrap_or(0)
    }

    /// The INSERT into the schema table and the CREATE_* check that begin
    /// every CREATE TABLE / VIEW.
    fn create_object(&mut self, db: usize, action: AuthAction, name: &str, arg2: Option<&str>) -> Result<()> {
        let dbn = self.db_name(db);
        if self.check(AuthAction::Insert, Some(schema_table_name(db)), None, Some(&dbn))? == Answer::Ignore
            || self.check(action, Some(name), arg2, Some(&dbn))? == Answer::Ignore
        {
            self.outcome.no_op = true;
        }
        Ok(())
    }

    /// The statement SQLite runs to fill in the new schema row: an UPDATE
    /// of every column of the schema table, found by rowid.
    fn schema_row_written(&mut self, db: usize) -> Result<()> {
        let dbn = self.db_name(db);
        let st = schema_table_name(db);
        for col in ["type", "name", "tbl_name", "rootpage", "sql"] {
            self.check(AuthAction::Update, Some(st), Some(col), Some(&dbn))?;
        }
        self.check(AuthAction::Read, Some(st), Some("ROWID"), Some(&dbn))?;
        Ok(())
    }

    /// True when database `db` already has a table, view or index of this
    /// name (the CREATE then stops, with an error or IF NOT EXISTS).
    fn name_taken(&self, db: usize, name: &str) -> bool {
        let s = self.b.schemas.get(db);
        s.table(name).is_some() || s.index(name).is_some()
    }

    fn create_table(&mut self, ct: &ast::CreateTable) -> Result<()> {
        let db = self.target_db(ct.temporary, &ct.name);
        let action = if db == TEMP_DB { AuthAction::CreateTempTable } else { AuthAction::CreateTable };
        self.create_object(db, action, &ct.name.name, None)?;
        if self.outcome.no_op || self.name_taken(db, &ct.name.name) {
            return Ok(());
        }
        match &ct.body {
            ast::CreateTableBody::AsSelect(sel) => {
                let plan = self.resolve_select(sel, None)?;
                self.codegen(&plan)?;
            }
            ast::CreateTableBody::Columns { columns, constraints, .. } => {
                // Each PRIMARY KEY (other than INTEGER PRIMARY KEY) and
                // UNIQUE constraint makes an automatic index, created as
                // CREATE INDEX would be.
                let dbn = self.db_name(db);
                let st = schema_table_name(db);
                for (i, cols) in auto_index_columns(columns, constraints).iter().enumerate() {
                    let name = format!("sqlite_autoindex_{}_{}", ct.name.name, i + 1);
                    let action = if db == TEMP_DB { AuthAction::CreateTempIndex } else { AuthAction::CreateIndex };
                    self.check(AuthAction::Insert, Some(st), None, Some(&dbn))?;
                    self.check(action, Some(&name), Some(&ct.name.name), Some(&dbn))?;
                    for c in cols {
                        self.check(AuthAction::Read, Some(&ct.name.name), Some(c), Some(&dbn))?;
                    }
                    self.check(AuthAction::Insert, Some(st), None, Some(&dbn))?;
                }
            }
        }
        self.schema_row_written(db)
    }

    fn create_index(&mut self, ci: &ast::CreateIndex) -> Result<()> {
        let Some(t) = self.b.schemas.find_table(ci.name.schema.as_deref(), &ci.table) else { return Ok(()) };
        let db = t.db;
        if self.name_taken(db, &ci.name.name) {
            return Ok(());
        }
        let dbn = self.db_name(db);
        let st = schema_table_name(db);
        if self.check(AuthAction::Insert, Some(st), None, Some(&dbn))? == Answer::Ignore {
            self.outcome.no_op = true;
            return Ok(());
        }
        let action = if db == TEMP_DB { AuthAction::CreateTempIndex } else { AuthAction::CreateIndex };
        if self.check(action, Some(&ci.name.name), Some(&t.name), Some(&dbn))? == Answer::Ignore {
            self.outcome.no_op = true;
            return Ok(());
        }
        self.scopes.push(vec![table_item(&t.name, t.clone(), None)]);
        if let Some(w) = &ci.where_ {
            self.expr(w)?;
            self.flush()?;
        }
        for c in &ci.columns {
            self.expr(&c.expr)?;
            self.flush()?;
        }
        self.scopes.pop();
        self.check(AuthAction::Insert, Some(st), None, Some(&dbn))?;
        self.check(AuthAction::Reindex, Some(&ci.name.name), None, Some(&dbn))?;
        Ok(())
    }

    fn create_trigger(&mut self, ct: &ast::CreateTrigger) -> Result<()> {
        let Some(t) = self.find_table(&ct.table) else { return Ok(()) };
        let db = match (ct.temporary, ct.name.schema.as_deref()) {
            (true, _) => TEMP_DB,
            (false, Some(s)) => self.b.schemas.db_index(s).unwrap_or(0),
            (false, None) => t.db,
        };
        if self.b.schemas.get(db).triggers.contains_key(&ct.name.name.to_ascii_lowercase()) {
            return Ok(());
        }
        let dbn = self.db_name(db);
        let action = if db == TEMP_DB { AuthAction::CreateTempTrigger } else { AuthAction::CreateTrigger };
        if self.check(action, Some(&ct.name.name), Some(&t.name), Some(&dbn))? == Answer::Ignore {
            self.outcome.no_op = true;
            return Ok(());
        }
        let tdbn = self.db_name(t.db);
        if self.check(AuthAction::Insert, Some(schema_table_name(t.db)), None, Some(&tdbn))? == Answer::Ignore {
            self.outcome.no_op = true;
            return Ok(());
        }
        self.check(AuthAction::Insert, Some(schema_table_name(db)), None, Some(&dbn))?;
        Ok(())
    }

    fn drop(&mut self, d: &ast::Drop) -> Result<()> {
        match d.kind {
            ast::DropKind::Table | ast::DropKind::View => {
                let Some(t) = self.find_table(&d.name) else { return Ok(()) };
                if d.kind == ast::DropKind::Table && t.is_view() || d.kind == ast::DropKind::View && !t.is_view() {
                    return Ok(());
                }
                let db = t.db;
                let dbn = self.db_name(db);
                let st = schema_table_name(db);
                let temp = db == TEMP_DB;
                let action = match (t.is_view(), temp) {
                    (true, true) => AuthAction::DropTempView,
                    (true, false) => AuthAction::DropView,
                    (false, true) => AuthAction::DropTempTable,
                    (false, false) => AuthAction::DropTable,
                };
                for (action, a1) in [(AuthAction::Delete, st), (action, t.name.as_str()), (AuthAction::Delete, t.name.as_str())] {
                    if self.check(action, Some(a1), None, Some(&dbn))? == Answer::Ignore {
                        self.outcome.no_op = true;
                        return Ok(());
                    }
                }
                if !t.is_view() {
                    for trig in self.b.schemas.triggers_of(&t) {
                        let Some((tdb, _)) = self.b.schemas.find_trigger(None, &trig.name) else { continue };
                        self.drop_trigger(tdb, &trig.name, &trig.table)?;
                    }
                }
                self.check(AuthAction::Delete, Some(st), None, Some(&dbn))?;
                self.check(AuthAction::Read, Some(st), Some("tbl_name"), Some(&dbn))?;
                self.check(AuthAction::Read, Some(st), Some("type"), Some(&dbn))?;
                if !t.is_view() {
                    // One root page moved per B-tree destroyed: the table's
                    // and each index's.
                    let n = 1 + self.b.schemas.indexes_of(&t).len();
                    for _ in 0..n {
                        self.check(AuthAction::Update, Some(st), Some("rootpage"), Some(&dbn))?;
                        self.check(AuthAction::Read, Some(st), Some("rootpage"), Some(&dbn))?;
                    }
                }
                Ok(())
            }
            ast::DropKind::Index => {
                let Some(idx) = self.b.schemas.find_index(d.name.schema.as_deref(), &d.name.name) else { return Ok(()) };
                let db = idx.db;
                let dbn = self.db_name(db);
                let st = schema_table_name(db);
                let action = if db == TEMP_DB { AuthAction::DropTempIndex } else { AuthAction::DropIndex };
                for (action, a1, a2) in [(AuthAction::Delete, st, None), (action, idx.name.as_str(), Some(idx.table.as_str()))] {
                    if self.check(action, Some(a1), a2, Some(&dbn))? == Answer::Ignore {
                        self.outcome.no_op = true;
                        return Ok(());
                    }
                }
                self.check(AuthAction::Delete, Some(st), None, Some(&dbn))?;
                self.check(AuthAction::Read, Some(st), Some("name"), Some(&dbn))?;
                self.check(AuthAction::Read, Some(st), Some("type"), Some(&dbn))?;
                self.check(AuthAction::Update, Some(st), Some("rootpage"), Some(&dbn))?;
                self.check(AuthAction::Read, Some(st), Some("rootpage"), Some(&dbn))?;
                Ok(())
            }
            ast::DropKind::Trigger => {
                let Some((db, trig)) = self.b.schemas.find_trigger(d.name.schema.as_deref(), &d.name.name) else { return Ok(()) };
                self.drop_trigger(db, &trig.name, &trig.table)
            }
        }
    }

    /// DROP TRIGGER, alone or as part of DROP TABLE.
    fn drop_trigger(&mut self, db: usize, name: &str, table: &str) -> Result<()> {
        let dbn = self.db_name(db);
        let st = schema_table_name(db);
        let action = if db == TEMP_DB { AuthAction::DropTempTrigger } else { AuthAction::DropTrigger };
        for (action, a1, a2) in [(action, name, Some(table)), (AuthAction::Delete, st, None)] {
            if self.check(action, Some(a1), a2, Some(&dbn))? == Answer::Ignore {
                self.outcome.no_op = true;
                return Ok(());
            }
        }
        self.check(AuthAction::Delete, Some(st), None, Some(&dbn))?;
        self.check(AuthAction::Read, Some(st), Some("name"), Some(&dbn))?;
        self.check(AuthAction::Read, Some(st), Some("type"), Some(&dbn))?;
        Ok(())
    }

    fn reindex(&mut self, name: Option<&ast::QualifiedName>) -> Result<()> {
        let indexes: Vec<Arc<crate::schema::Index>> = match name {
            None => (0..self.b.schemas.dbs.len()).flat_map(|db| self.b.schemas.get(db).tables().flat_map(|t| self.b.schemas.indexes_of(t)).collect::<Vec<_>>()).collect(),
            Some(n) => match self.find_table(n) {
                Some(t) => self.b.schemas.indexes_of(&t),
                None => self.b.schemas.find_index(n.schema.as_deref(), &n.name).into_iter().collect(),
            },
        };
        for idx in indexes {
            let dbn = self.db_name(idx.db);
            self.check(AuthAction::Reindex, Some(&idx.name), None, Some(&dbn))?;
        }
        Ok(())
    }

    fn analyze(&mut self, name: Option<&ast::QualifiedName>) -> Result<()> {
        let tables: Vec<Arc<Table>> = match name {
            None => (0..self.b.schemas.dbs.len()).filter(|db| *db != TEMP_DB).flat_map(|db| self.b.schemas.get(db).tables().cloned().collect::<Vec<_>>()).collect(),
            Some(n) => match (n.schema.is_none()).then(|| self.b.schemas.db_index(&n.name)).flatten() {
                Some(db) => self.b.schemas.get(db).tables().cloned().collect(),
                None => self.find_table(n).into_iter().collect(),
            },
        };
        // sqlite_stat1 is created in each database analyzed that lacks
        // it; when one table is analyzed its old rows are deleted.
        let mut dbs: Vec<usize> = tables.iter().map(|t| t.db).collect();
        dbs.dedup();
        for db in dbs {
            let dbn = self.db_name(db);
            if self.b.schemas.get(db).table("sqlite_stat1").is_none() {
                self.create_object(db, AuthAction::CreateTable, "sqlite_stat1", None)?;
                self.schema_row_written(db)?;
            } else if name.is_some_and(|n| n.schema.is_some() || self.b.schemas.db_index(&n.name).is_none()) {
                self.check(AuthAction::Delete, Some("sqlite_stat1"), None, Some(&dbn))?;
                self.check(AuthAction::Read, Some("sqlite_stat1"), Some("tbl"), Some(&dbn))?;
            }
        }
        for t in tables.iter().filter(|t| !t.is_view() && !crate::schema::SchemaSet::is_schema_table(&t.name) && !t.name.starts_with("sqlite_")) {
            let dbn = self.db_name(t.db);
            self.check(AuthAction::Analyze, Some(&t.name), None, Some(&dbn))?;
        }
        Ok(())
    }

    // ------------------------------------------------------------------ DML

    fn with_ctes(&mut self, with: Option<&ast::With>) {
        self.ctes.push(with.map(|w| w.ctes.iter().map(|c| (c.clone(), w.recursive)).collect()).unwrap_or_default());
    }

    /// A table or view by name; a view gets its query's column names.
    fn target_table(&mut self, name: &ast::QualifiedName) -> Option<Arc<Table>> {
        let t = self.find_table(name)?;
        match &t.view {
            Some(view) if t.columns.is_empty() => {
                // Resolved without the authorizer, only for the names.
                let saved = self.b.auth.take();
                let saved_scopes = std::mem::take(&mut self.scopes);
                let saved_ctes = std::mem::take(&mut self.ctes);
                let r = self.resolve_select_named(view, None);
                self.scopes = saved_scopes;
                self.ctes = saved_ctes;
                self.b.auth = saved;
                self.pending = None;
                let names = r.map(|(_, n)| n).unwrap_or_default();
                Some(Arc::new(view_table(&t, &names)))
            }
            _ => Some(t),
        }
    }

    fn insert(&mut self, ins: &ast::Insert) -> Result<()> {
        let Some(t) = self.target_table(&ins.table) else { return Ok(()) };
        let dbn = self.db_name(t.db);
        // Several VALUES rows: SQLite's parser has already made them a
        // query and resolved the first row.
        let multi_values = match &ins.source {
            ast::InsertSource::Select(sel) if sel.compounds.is_empty() && sel.with.is_none() => match &sel.core {
                SelectCore::Values(rows) if rows.len() > 1 => Some(rows),
                _ => None,
            },
            _ => None,
        };
        if let Some(rows) = multi_values {
            self.check(AuthAction::Select, None, None, None)?;
            if let Some(first) = rows.first() {
                self.insert_values(std::slice::from_ref(first))?;
            }
        }
        if self.check(AuthAction::Insert, Some(&t.name), None, Some(&dbn))? == Answer::Ignore {
            self.outcome.no_op = true;
            return Ok(());
        }
        self.with_ctes(ins.with.as_ref());
        match &ins.source {
            ast::InsertSource::Select(_) if multi_values.is_some() => {}
            ast::InsertSource::Select(sel) => {
                if let (SelectCore::Values(rows), true, None) = (&sel.core, sel.compounds.is_empty(), &sel.with) {
                    self.insert_values(rows)?;
                } else {
                    self.check(AuthAction::Select, None, None, None)?;
                    let plan = self.resolve_select(sel, None)?;
                    self.codegen_rest(&plan)?;
                }
            }
            ast::InsertSource::DefaultValues => {}
        }
        let alias = ins.alias.clone().unwrap_or_else(|| t.name.clone());
        for up in &ins.upsert {
            self.scopes.push(vec![table_item(&alias, t.clone(), None)]);
            for c in &up.target {
                self.expr(&c.expr)?;
                self.flush()?;
            }
            if let Some(w) = &up.target_where {
                self.expr(w)?;
                self.flush()?;
            }
            self.scopes.pop();
        }
        for up in &ins.upsert {
            if let ast::UpsertAction::Update { sets, where_ } = &up.action {
                let excluded = Item { name: "excluded".into(), table: None, columns: t.columns.iter().map(|c| c.name.clone()).collect(), own_name: None, written_db: None, is_subquery: true, used: true, sub: None };
                self.scopes.push(vec![table_item(&alias, t.clone(), None), excluded]);
                self.assignments(&t, sets)?;
                if let Some(w) = where_ {
                    self.expr(w)?;
                    self.flush()?;
                }
                self.scopes.pop();
            }
        }
        self.triggers(&t, TriggerOp::Insert)?;
        self.returning(&t, &alias, &ins.returning)?;
        self.ctes.pop();
        Ok(())
    }

    /// VALUES rows of an INSERT, resolved as plain expressions.
    fn insert_values(&mut self, rows: &[Vec<Expr>]) -> Result<()> {
        self.scopes.push(Vec::new());
        let r = (|| {
            for row in rows {
                for e in row {
                    self.expr(e)?;
                    self.flush()?;
                }
            }
            Ok(())
        })();
        self.scopes.pop();
        r
    }

    /// SET: each value resolved, then the UPDATE check of its column(s).
    fn assignments(&mut self, t: &Arc<Table>, sets: &[ast::Assignment]) -> Result<()> {
        let dbn = self.db_name(t.db);
        for a in sets {
            // (a, b) = (x, y) is two assignments to SQLite, each resolved
            // and checked in turn.
            if let (Expr::Vector(values), true) = (&a.expr, a.columns.len() > 1) {
                if values.len() == a.columns.len() {
                    let split: Vec<ast::Assignment> = a.columns.iter().zip(values).map(|(c, v)| ast::Assignment { columns: vec![c.clone()], expr: v.clone() }).collect();
                    self.assignments(t, &split)?;
                    continue;
                }
            }
            self.expr(&a.expr)?;
            self.flush()?;
            for c in &a.columns {
                let name = match t.column_index(c) {
                    Some(i) => t.columns[i].name.clone(),
                    None if crate::schema::is_rowid_name(c) => "ROWID".to_string(),
                    None => return Ok(()),
                };
                if self.check(AuthAction::Update, Some(&t.name), Some(&name), Some(&dbn))? == Answer::Ignore {
                    self.outcome.skip_update_columns.push(c.to_ascii_lowercase());
                }
            }
        }
        Ok(())
    }

    fn update(&mut self, up: &ast::Update) -> Result<()> {
        let Some(t) = self.target_table(&up.table) else { return Ok(()) };
        self.with_ctes(up.with.as_ref());
        let alias = up.alias.clone().unwrap_or_else(|| t.name.clone());
        if let Some(from) = &up.from {
            // SQLite turns UPDATE ... FROM into a query: the columns are
            // checked first, the values and WHERE resolved in that query.
            let dbn = self.db_name(t.db);
            for a in &up.sets {
                for c in &a.columns {
                    let name = t.column_index(c).map(|i| t.columns[i].name.clone()).unwrap_or_else(|| "ROWID".into());
                    if self.check(AuthAction::Update, Some(&t.name), Some(&name), Some(&dbn))? == Answer::Ignore {
                        self.outcome.skip_update_columns.push(c.to_ascii_lowercase());
                    }
                }
            }
            self.check(AuthAction::Select, None, None, None)?;
            let mut items = vec![table_item(&alias, t.clone(), None)];
            let mut subs = Vec::new();
            self.from_items(from, &mut items, &mut subs)?;
            self.scopes.push(items);
            for a in &up.sets {
                self.expr(&a.expr)?;
                self.flush()?;
            }
            if let Some(w) = &up.where_ {
                self.expr(w)?;
                self.flush()?;
            }
            self.scopes.pop();
        } else {
            self.scopes.push(vec![table_item(&alias, t.clone(), None)]);
            self.assignments(&t, &up.sets)?;
            if let Some(w) = &up.where_ {
                self.expr(w)?;
                self.flush()?;
            }
            self.order_limit(&up.order_by, up.limit.as_ref())?;
            self.scopes.pop();
        }
        let cols: Vec<usize> = up.sets.iter().flat_map(|a| a.columns.iter()).filter_map(|c| t.column_index(c)).collect();
        self.triggers(&t, TriggerOp::Update(&cols))?;
        self.returning(&t, &alias, &up.returning)?;
        self.ctes.pop();
        Ok(())
    }

    fn delete(&mut self, del: &ast::Delete) -> Result<()> {
        let Some(t) = self.target_table(&del.table) else { return Ok(()) };
        let dbn = self.db_name(t.db);
        // IGNORE on DELETE only stops SQLite's truncate optimization: the
        // rows are deleted all the same.
        self.check(AuthAction::Delete, Some(&t.name), None, Some(&dbn))?;
        self.with_ctes(del.with.as_ref());
        let alias = del.alias.clone().unwrap_or_else(|| t.name.clone());
        self.scopes.push(vec![table_item(&alias, t.clone(), None)]);
        if let Some(w) = &del.where_ {
            self.expr(w)?;
            self.flush()?;
        }
        self.order_limit(&del.order_by, del.limit.as_ref())?;
        self.scopes.pop();
        self.triggers(&t, TriggerOp::Delete)?;
        self.returning(&t, &alias, &del.returning)?;
        self.ctes.pop();
        Ok(())
    }

    fn order_limit(&mut self, order_by: &[ast::OrderingTerm], limit: Option<&ast::Limit>) -> Result<()> {
        for o in order_by {
            self.expr(&o.expr)?;
            self.flush()?;
        }
        if let Some(l) = limit {
            self.expr(&l.limit)?;
            if let Some(o) = &l.offset {
                self.expr(o)?;
            }
            self.flush()?;
        }
        Ok(())
    }

    /// RETURNING: SQLite compiles it as a trigger without a name, after
    /// the statement's own triggers.
    fn returning(&mut self, t: &Arc<Table>, alias: &str, cols: &[ResultColumn]) -> Result<()> {
        if cols.is_empty() {
            return Ok(());
        }
        self.scopes.push(vec![table_item(alias, t.clone(), None)]);
        for c in cols {
            match c {
                ResultColumn::Expr { expr, .. } => {
                    self.expr(expr)?;
                    self.flush()?;
                }
                ResultColumn::Star | ResultColumn::TableStar(_) => {
                    for i in 0..t.columns.len() {
                        self.read_column(t, if t.rowid_alias == Some(i) { ROWID } else { i });
                        self.flush()?;
                    }
                }
            }
        }
        self.scopes.pop();
        // SQLite resolves the RETURNING list a second time when it codes
        // it: the columns are resolved by then, the function calls are
        // checked again.
        for c in cols {
            if let ResultColumn::Expr { expr, .. } = c {
                self.functions_again(expr)?;
            }
        }
        Ok(())
    }

    /// The FUNCTION checks of `e` in walk order, outside subqueries.
    fn functions_again(&mut self, e: &Expr) -> Result<()> {
        let mut calls: Vec<(String, usize)> = Vec::new();
        collect_calls(e, &mut calls);
        for (name, n) in calls {
            self.function(&name, n)?;
        }
        Ok(())
    }

    /// The programs of the row triggers `op` fires on `t`, each resolved
    /// with the trigger's name as context and NEW / OLD reading `t`.
    fn triggers(&mut self, t: &Arc<Table>, op: TriggerOp<'_>) -> Result<()> {
        if self.trigger_depth > 8 {
            return Ok(());
        }
        let event = match op {
            TriggerOp::Insert => super::trigger::Event::Insert,
            TriggerOp::Update(cols) => super::trigger::Event::Update(cols),
            TriggerOp::Delete => super::trigger::Event::Delete,
        };
        let triggers = self.b.schemas.triggers_of(t);
        for trig in triggers.iter().filter(|tr| super::trigger::matches(&tr.def, t, event)) {
            if self.b.triggers_active.iter().any(|a| a.name.eq_ignore_ascii_case(&trig.name)) {
                continue;
            }
            let saved_ctx = self.ctx.replace(trig.name.clone());
            let saved_tab = self.trigger_tab.replace(t.clone());
            let saved_scopes = std::mem::take(&mut self.scopes);
            let saved_ctes = std::mem::take(&mut self.ctes);
            self.trigger_depth += 1;
            let r = self.trigger_program(&trig.def);
            self.trigger_depth -= 1;
            self.scopes = saved_scopes;
            self.ctes = saved_ctes;
            self.trigger_tab = saved_tab;
            self.ctx = saved_ctx;
            r?;
        }
        Ok(())
    }

    fn trigger_program(&mut self, def: &ast::CreateTrigger) -> Result<()> {
        if let Some(w) = &def.when {
            self.scopes.push(Vec::new());
            self.expr(w)?;
            self.flush()?;
            self.scopes.pop();
        }
        for s in &def.body {
            let saved = std::mem::take(&mut self.outcome);
            let r = self.statement(s);
            let inner = std::mem::replace(&mut self.outcome, saved);
            r?;
            if inner.no_op {
                if let Some(a) = self.b.auth.as_mut() {
                    a.ignored_statements.push(s as *const Stmt);
                }
            }
        }
        Ok(())
    }

    // --------------------------------------------------------------- SELECT

    /// Resolves a query's names as SQLite's resolver does (FROM-clause
    /// subqueries first, then result columns, HAVING, WHERE with the ON
    /// clauses, ORDER BY, GROUP BY; compound arms right to left) and
    /// returns what its code generation will ask.
    fn resolve_select(&mut self, sel: &Select, ctx: Option<String>) -> Result<QueryPlan> {
        self.resolve_select_named(sel, ctx).map(|(p, _)| p)
    }

    /// A query's plan and result column names.
    fn resolve_select_named(&mut self, sel: &Select, ctx: Option<String>) -> Result<(QueryPlan, Vec<String>)> {
        self.with_ctes(sel.with.as_ref());
        let r = self.resolve_select_inner(sel, ctx);
        self.ctes.pop();
        r
    }

    fn resolve_select_inner(&mut self, sel: &Select, ctx: Option<String>) -> Result<(QueryPlan, Vec<String>)> {
        if sel.compounds.is_empty() {
            return self.resolve_core(&sel.core, &sel.order_by, ctx);
        }
        let mut cores: Vec<&SelectCore> = vec![&sel.core];
        cores.extend(sel.compounds.iter().map(|(_, c)| c));
        let mut arms: Vec<QueryPlan> = Vec::with_capacity(cores.len());
        let mut names = Vec::new();
        for core in cores.iter().rev() {
            let (p, n) = self.resolve_core(core, &[], ctx.clone())?;
            arms.push(p);
            names = n;
        }
        arms.reverse();
        Ok((QueryPlan { ctx, kind: QueryKind::Compound(arms), ..QueryPlan::default() }, names))
    }

    /// One SELECT core; returns its plan and its result column names.
    fn resolve_core(&mut self, core: &SelectCore, order_by: &[ast::OrderingTerm], ctx: Option<String>) -> Result<(QueryPlan, Vec<String>)> {
        let mut plan = QueryPlan { ctx, ..QueryPlan::default() };
        let body = match core {
            SelectCore::Values(rows) => {
                if rows.len() > 1 {
                    // Coded as a co-routine: a query of its own.
                    plan.subqueries.push(QueryPlan { ctx: plan.ctx.clone(), ..QueryPlan::default() });
                }
                self.scopes.push(Vec::new());
                for row in rows {
                    for e in row {
                        self.expr_collecting(e, &mut plan.subqueries)?;
                        self.flush()?;
                    }
                }
                self.scopes.pop();
                let n = rows.first().map_or(0, |r| r.len());
                return Ok((plan, (1..=n).map(|i| format!("column{i}")).collect()));
            }
            SelectCore::Select(body) => body,
        };
        let mut items = Vec::new();
        let mut from_subs = Vec::new();
        if let Some(from) = &body.from {
            self.from_items(from, &mut items, &mut from_subs)?;
        }
        self.scopes.push(items);
        let r = self.resolve_body(body, order_by, &mut plan);
        let items = self.scopes.pop().unwrap_or_default();
        let names = r?;
        let mut from_subs: Vec<Option<QueryPlan>> = from_subs.into_iter().map(Some).collect();
        for it in &items {
            if let Some(p) = it.sub.and_then(|i| from_subs.get_mut(i)).and_then(Option::take) {
                plan.from.push(FromEntry::Sub(p));
            } else if let Some(n) = &it.own_name {
                plan.from.push(FromEntry::Table(n.clone(), it.written_db.clone(), it.used));
            }
        }
        Ok((plan, names))
    }

    fn resolve_body(&mut self, body: &ast::SelectBody, order_by: &[ast::OrderingTerm], plan: &mut QueryPlan) -> Result<Vec<String>> {
        let mut names = Vec::new();
        let mut aliases: Vec<String> = Vec::new();
        for c in &body.columns {
            match c {
                ResultColumn::Expr { expr, alias, text } => {
                    self.expr_collecting(expr, &mut plan.subqueries)?;
                    self.flush()?;
                    if let Some(a) = alias {
                        aliases.push(a.to_ascii_lowercase());
                    }
                    names.push(alias.clone().unwrap_or_else(|| match expr {
                        Expr::Column { column, .. } => column.clone(),
                        _ => text.clone(),
                    }));
                }
                ResultColumn::Star | ResultColumn::TableStar(_) => {
                    let only = match c {
                        ResultColumn::TableStar(t) => Some(t.clone()),
                        _ => None,
                    };
                    let n_items = self.scopes.last().map_or(0, |s| s.len());
                    for i in 0..n_items {
                        let (table, cols) = {
                            let Some(it) = self.scopes.last().and_then(|s| s.get(i)) else { continue };
                            if only.as_ref().is_some_and(|o| !o.eq_ignore_ascii_case(&it.name)) {
                                continue;
                            }
                            (it.table.clone(), it.columns.clone())
                        };
                        for (ci, cname) in cols.iter().enumerate() {
                            names.push(cname.clone());
                            aliases.push(cname.to_ascii_lowercase());
                            if let Some(t) = &table {
                                self.mark_used(i);
                                self.read_column(t, if t.rowid_alias == Some(ci) { ROWID } else { ci });
                                self.flush()?;
                            }
                        }
                    }
                }
            }
        }
        if let Some(h) = &body.having {
            self.expr_collecting(h, &mut plan.subqueries)?;
            self.flush()?;
        }
        if let Some(w) = &body.where_ {
            let mut joins = Vec::new();
            self.exists_to_join(w, &mut joins);
            let saved = std::mem::replace(&mut self.exists_joins, joins);
            let r = self.expr_collecting(w, &mut plan.subqueries);
            self.exists_joins = saved;
            r?;
            self.flush()?;
        }
        if let Some(from) = &body.from {
            let mut ons = Vec::new();
            collect_ons(from, &mut ons);
            for on in ons {
                self.expr_collecting(on, &mut plan.subqueries)?;
                self.flush()?;
            }
        }
        for o in order_by {
            if is_result_reference(&o.expr, &aliases) {
                continue;
            }
            self.expr_collecting(&o.expr, &mut plan.subqueries)?;
            self.flush()?;
        }
        for g in &body.group_by {
            if is_result_reference(g, &aliases) {
                continue;
            }
            self.expr_collecting(g, &mut plan.subqueries)?;
            self.flush()?;
        }
        Ok(names)
    }

    fn mark_used(&mut self, item: usize) {
        if let Some(it) = self.scopes.last_mut().and_then(|s| s.get_mut(item)) {
            it.used = true;
        }
    }

    /// The items of a FROM clause; subqueries, views and CTEs are resolved
    /// here, before the query's own names, with their name as context.
    fn from_items(&mut self, from: &ast::From, items: &mut Vec<Item>, subs: &mut Vec<QueryPlan>) -> Result<()> {
        self.from_item(&from.first, items, subs)?;
        for j in &from.joins {
            self.from_item(&j.table, items, subs)?;
        }
        Ok(())
    }

    fn find_cte(&self, name: &str) -> Option<(ast::Cte, bool)> {
        self.ctes.iter().rev().flat_map(|l| l.iter()).find(|(c, _)| c.name.eq_ignore_ascii_case(name)).cloned()
    }

    fn from_item(&mut self, r: &TableRef, items: &mut Vec<Item>, subs: &mut Vec<QueryPlan>) -> Result<()> {
        match r {
            TableRef::Table { name, alias, args, .. } => {
                if args.is_some() {
                    items.push(Item { name: alias.clone().unwrap_or_else(|| name.name.clone()), table: None, columns: Vec::new(), own_name: None, written_db: None, is_subquery: true, used: true, sub: None });
                    return Ok(());
                }
                if name.schema.is_none() {
                    if let Some((cte, recursive)) = self.find_cte(&name.name) {
                        let (mut plan, names) = self.resolve_cte(&cte, recursive)?;
                        let columns = if cte.columns.is_empty() { names } else { cte.columns.clone() };
                        plan.flattenable = !recursive && flattenable(&cte.select);
                        subs.push(plan);
                        items.push(Item { name: alias.clone().unwrap_or_else(|| name.name.clone()), table: None, columns, own_name: None, written_db: None, is_subquery: true, used: true, sub: Some(subs.len() - 1) });
                        return Ok(());
                    }
                }
                let Some(t) = self.find_table(name) else { return Ok(()) };
                let item_name = alias.clone().unwrap_or_else(|| name.name.clone());
                if let Some(view) = &t.view {
                    let saved = self.ctx.replace(t.name.clone());
                    let saved_scopes = std::mem::take(&mut self.scopes);
                    let saved_ctes = std::mem::take(&mut self.ctes);
                    let r = self.resolve_select_named(view, Some(t.name.clone()));
                    self.scopes = saved_scopes;
                    self.ctes = saved_ctes;
                    self.ctx = saved;
                    let (mut plan, names) = r?;
                    plan.flattenable = flattenable(view);
                    subs.push(plan);
                    // The view's columns: its column list, else its query's.
                    let t = if t.columns.is_empty() { Arc::new(view_table(&t, &names)) } else { t };
                    let mut it = table_item(&item_name, t.clone(), None);
                    it.is_subquery = true;
                    it.sub = Some(subs.len() - 1);
                    items.push(it);
                } else {
                    items.push(table_item(&item_name, t.clone(), Some((t.name.clone(), name.schema.clone()))));
                }
            }
            TableRef::Subquery { select, alias } => {
                let saved_scopes = std::mem::take(&mut self.scopes);
                let r = self.resolve_select_named(select, None);
                self.scopes = saved_scopes;
                let (mut plan, columns) = r?;
                plan.flattenable = flattenable(select);
                subs.push(plan);
                items.push(Item { name: alias.clone().unwrap_or_default(), table: None, columns, own_name: None, written_db: None, is_subquery: true, used: true, sub: Some(subs.len() - 1) });
            }
            TableRef::Nested { from, .. } => self.from_items(from, items, subs)?,
        }
        Ok(())
    }

    fn resolve_cte(&mut self, cte: &ast::Cte, recursive: bool) -> Result<(QueryPlan, Vec<String>)> {
        let saved = self.ctx.replace(cte.name.clone());
        let saved_scopes = std::mem::take(&mut self.scopes);
        let self_ref = recursive && select_mentions(&cte.select, &cte.name);
        let r = if self_ref {
            // The recursive arms read the CTE itself: an item without a
            // table. Setup arms are the ones that do not mention it.
            self.ctes.push(vec![]);
            let mut cores: Vec<&SelectCore> = vec![&cte.select.core];
            cores.extend(cte.select.compounds.iter().map(|(_, c)| c));
            let mut arms = Vec::new();
            let mut names = Vec::new();
            let mut err = None;
            for core in cores.iter().rev() {
                match self.resolve_core_with_self(core, cte) {
                    Ok((p, n)) => {
                        arms.push(p);
                        names = n;
                    }
                    Err(e) => {
                        err = Some(e);
                        break;
                    }
                }
            }
            self.ctes.pop();
            match err {
                Some(e) => Err(e),
                None => {
                    arms.reverse();
                    Ok((QueryPlan { ctx: Some(cte.name.clone()), kind: QueryKind::Recursive(arms), ..QueryPlan::default() }, names))
                }
            }
        } else {
            self.resolve_select_named(&cte.select, Some(cte.name.clone()))
        };
        self.scopes = saved_scopes;
        self.ctx = saved;
        r
    }

    fn resolve_core_with_self(&mut self, core: &SelectCore, cte: &ast::Cte) -> Result<(QueryPlan, Vec<String>)> {
        // The CTE's own name inside its body is the recursive table.
        let marker = ast::Cte { name: cte.name.clone(), columns: cte.columns.clone(), materialized: None, select: Select { with: None, core: SelectCore::Values(vec![vec![Expr::Literal(ast::Literal::Null); cte.columns.len().max(1)]]), compounds: Vec::new(), order_by: Vec::new(), limit: None } };
        if let Some(l) = self.ctes.last_mut() {
            l.push((marker, false));
        }
        let r = self.resolve_core(core, &[], Some(cte.name.clone()));
        r.map(|(mut p, n)| {
            // The recursive table is not a query SQLite codes.
            p.from.retain(|e| match e {
                FromEntry::Sub(s) => !matches!(s.kind, QueryKind::Simple) || s.ctx.as_deref() != Some(cte.name.as_str()) || !s.subqueries.is_empty() || !s.from.is_empty(),
                FromEntry::Table(..) => true,
            });
            (p, n)
        })
    }

    // ------------------------------------------------------- code generation

    /// What sqlite3Select asks while it codes `plan`: SELECT, then the
    /// rest.
    fn codegen(&mut self, plan: &QueryPlan) -> Result<()> {
        let saved = std::mem::replace(&mut self.ctx, plan.ctx.clone());
        let r = self.check(AuthAction::Select, None, None, None).and_then(|_| self.codegen_rest(plan));
        self.ctx = saved;
        r
    }

    fn codegen_rest(&mut self, plan: &QueryPlan) -> Result<()> {
        match &plan.kind {
            QueryKind::Compound(arms) => {
                for _ in 2..arms.len() {
                    self.check(AuthAction::Select, None, None, None)?;
                }
                for a in arms {
                    self.codegen(a)?;
                }
            }
            QueryKind::Recursive(arms) => {
                self.check(AuthAction::Recursive, None, None, None)?;
                for a in arms {
                    self.codegen(a)?;
                }
            }
            QueryKind::NotCoded => {}
            QueryKind::Simple | QueryKind::Joined => {
                // The flattener first (each merged subquery asks SELECT),
                // then the FROM loop over the merged list: the READ of each
                // table none of whose columns is read, the code of each
                // subquery left; tables an EXISTS brought into the join come
                // last.
                self.flatten(plan)?;
                self.from_loop(plan)?;
                for s in plan.subqueries.iter().filter(|s| matches!(s.kind, QueryKind::Joined)) {
                    self.from_loop(s)?;
                }
                self.expression_subqueries(plan)?;
            }
        }
        Ok(())
    }

    fn flatten(&mut self, plan: &QueryPlan) -> Result<()> {
        for e in &plan.from {
            if let FromEntry::Sub(p) = e {
                if p.flattenable {
                    let saved = std::mem::replace(&mut self.ctx, p.ctx.clone());
                    let r = self.check(AuthAction::Select, None, None, None);
                    self.ctx = saved;
                    r?;
                    self.flatten(p)?;
                }
            }
        }
        Ok(())
    }

    fn from_loop(&mut self, plan: &QueryPlan) -> Result<()> {
        for e in &plan.from {
            match e {
                FromEntry::Table(t, db, false) => {
                    self.check(AuthAction::Read, Some(t), Some(""), db.as_deref())?;
                }
                FromEntry::Table(..) => {}
                FromEntry::Sub(p) if p.flattenable => self.from_loop(p)?,
                FromEntry::Sub(p) => self.codegen(p)?,
            }
        }
        Ok(())
    }

    fn expression_subqueries(&mut self, plan: &QueryPlan) -> Result<()> {
        for e in &plan.from {
            if let FromEntry::Sub(p) = e {
                if p.flattenable {
                    self.expression_subqueries(p)?;
                }
            }
        }
        for s in &plan.subqueries {
            match s.kind {
                QueryKind::NotCoded => {}
                QueryKind::Joined => self.expression_subqueries(s)?,
                _ => self.codegen(s)?,
            }
        }
        Ok(())
    }

    // ----------------------------------------------------------- expressions

    fn expr(&mut self, e: &Expr) -> Result<()> {
        let mut subs = Vec::new();
        self.expr_collecting(e, &mut subs)?;
        // Subqueries of a statement-level expression are coded with it.
        for s in &subs {
            self.codegen(s)?;
        }
        Ok(())
    }

    /// Resolves `e` in SQLite's walk order (node, left, right, list);
    /// subqueries met are resolved at once and their plans collected.
    fn expr_collecting(&mut self, e: &Expr, subs: &mut Vec<QueryPlan>) -> Result<()> {
        match e {
            Expr::Literal(_) | Expr::Variable(_) | Expr::Raise { message: None, .. } => Ok(()),
            Expr::Raise { message: Some(m), .. } => self.expr_collecting(m, subs),
            Expr::Column { schema, table, column } => {
                self.column(schema.as_deref(), table.as_deref(), column);
                Ok(())
            }
            Expr::DoubleQuotedId(name) => {
                self.column(None, None, name);
                Ok(())
            }
            Expr::Unary(_, x) | Expr::Cast { expr: x, .. } | Expr::Collate { expr: x, .. } | Expr::IsNull { expr: x, .. } => self.expr_collecting(x, subs),
            Expr::Binary(a, _, b) => {
                self.expr_collecting(a, subs)?;
                self.expr_collecting(b, subs)
            }
            Expr::Like { lhs, op, rhs, escape, .. } => {
                let name = match op {
                    LikeOp::Like => "like",
                    LikeOp::Glob => "glob",
                    LikeOp::Regexp => "regexp",
                    LikeOp::Match => "match",
                };
                let n = if escape.is_some() { 3 } else { 2 };
                if self.function(name, n)? {
                    return Ok(());
                }
                self.expr_collecting(rhs, subs)?;
                self.expr_collecting(lhs, subs)?;
                if let Some(x) = escape {
                    self.expr_collecting(x, subs)?;
                }
                Ok(())
            }
            Expr::Between { expr, low, high, .. } => {
                self.expr_collecting(expr, subs)?;
                self.expr_collecting(low, subs)?;
                self.expr_collecting(high, subs)
            }
            Expr::InList { expr, list, .. } => {
                self.expr_collecting(expr, subs)?;
                for x in list {
                    self.expr_collecting(x, subs)?;
                }
                Ok(())
            }
            Expr::InSelect { expr, select, .. } => {
                let n = subs.len();
                self.subquery(select, subs)?;
                if self.in_uses_btree(select) {
                    if let Some(p) = subs.get_mut(n) {
                        p.kind = QueryKind::NotCoded;
                    }
                }
                self.expr_collecting(expr, subs)
            }
            Expr::InTable { expr, table, .. } => {
                self.expr_collecting(expr, subs)?;
                let _ = table;
                Ok(())
            }
            Expr::Exists { select, .. } | Expr::Subquery(select) => self.subquery(select, subs),
            Expr::Case { base, whens, else_ } => {
                if let Some(b) = base {
                    self.expr_collecting(b, subs)?;
                }
                for (w, t) in whens {
                    self.expr_collecting(w, subs)?;
                    self.expr_collecting(t, subs)?;
                }
                if let Some(x) = else_ {
                    self.expr_collecting(x, subs)?;
                }
                Ok(())
            }
            Expr::Function(f) => {
                let n = match &f.args {
                    FunctionArgs::Star => 0,
                    FunctionArgs::List(a) => a.len(),
                };
                if self.function(&f.name, n)? {
                    return Ok(());
                }
                for o in &f.order_by {
                    self.expr_collecting(&o.expr, subs)?;
                }
                if let FunctionArgs::List(args) = &f.args {
                    for a in args {
                        self.expr_collecting(a, subs)?;
                    }
                }
                if let Some(x) = &f.filter {
                    self.expr_collecting(x, subs)?;
                }
                Ok(())
            }
            Expr::Vector(list) => {
                for x in list {
                    self.expr_collecting(x, subs)?;
                }
                Ok(())
            }
        }
    }

    /// FUNCTION check of a call; true when IGNORE made it NULL (its
    /// arguments are then not resolved).
    fn function(&mut self, name: &str, n_args: usize) -> Result<bool> {
        let canonical = match crate::func::user::find_function(name, n_args) {
            crate::func::user::Found::User(f) => f.name.clone(),
            crate::func::user::Found::Builtin(d) => d.name.to_string(),
            crate::func::user::Found::None => return Ok(false),
        };
        let ctx = self.ctx.clone();
        let Some(auth) = self.b.auth.as_mut() else { return Ok(false) };
        match auth.callback.authorize(AuthAction::Function, [None, Some(&canonical), None, ctx.as_deref()]) {
            AUTH_OK => Ok(false),
            AUTH_IGNORE => {
                auth.ignored_functions.push(canonical);
                Ok(true)
            }
            AUTH_DENY => Err(Error::sql(format!("not authorized to use function: {name}"))),
            _ => Err(malfunction()),
        }
    }

    fn subquery(&mut self, sel: &Select, subs: &mut Vec<QueryPlan>) -> Result<()> {
        let ctx = self.ctx.clone();
        let joined = self.exists_joins.contains(&(sel as *const Select));
        let saved = std::mem::take(&mut self.exists_joins);
        let r = self.resolve_select_named(sel, ctx);
        self.exists_joins = saved;
        let (mut plan, _) = r?;
        if joined {
            plan.kind = QueryKind::Joined;
        }
        subs.push(plan);
        Ok(())
    }

    /// True when SQLite serves `x IN (SELECT ...)` straight from a table
    /// or index B-tree: a query of one column of one table, without WHERE,
    /// aggregate, LIMIT or compound, the column being the rowid or the
    /// first column of an index.
    fn in_uses_btree(&self, sel: &Select) -> bool {
        let SelectCore::Select(body) = &sel.core else { return false };
        if !sel.compounds.is_empty() || sel.with.is_some() || sel.limit.is_some() || body.where_.is_some() || !body.group_by.is_empty() || body.having.is_some() || body.columns.len() != 1 {
            return false;
        }
        let Some(from) = &body.from else { return false };
        let TableRef::Table { name, args: None, .. } = &from.first else { return false };
        if !from.joins.is_empty() || (name.schema.is_none() && self.find_cte(&name.name).is_some()) {
            return false;
        }
        let Some(t) = self.find_table(name) else { return false };
        if t.is_view() {
            return false;
        }
        let column = match &body.columns[0] {
            ResultColumn::Expr { expr: Expr::Column { column, .. }, .. } => column,
            _ => return false,
        };
        if crate::schema::is_rowid_name(column) && t.column_index(column).is_none() {
            return true;
        }
        let Some(ci) = t.column_index(column) else { return false };
        t.rowid_alias == Some(ci) || self.b.schemas.indexes_of(&t).iter().any(|ix| ix.partial.is_none() && ix.columns.first().is_some_and(|c| c.column == Some(ci)))
    }

    /// The EXISTS terms of a WHERE clause's top-level AND that SQLite's
    /// EXISTS-to-join rewrite takes: a plain query of one table (not a view
    /// or CTE), without aggregate, LIMIT or compound.
    fn exists_to_join(&self, w: &Expr, out: &mut Vec<*const Select>) {
        match w {
            Expr::Binary(a, ast::BinaryOp::And, b) => {
                self.exists_to_join(a, out);
                self.exists_to_join(b, out);
            }
            Expr::Exists { select, not: false } => {
                let SelectCore::Select(body) = &select.core else { return };
                if !select.compounds.is_empty() || select.with.is_some() || select.limit.is_some() || !body.group_by.is_empty() || body.having.is_some() {
                    return;
                }
                let Some(from) = &body.from else { return };
                let TableRef::Table { name, args: None, .. } = &from.first else { return };
                if !from.joins.is_empty() || (name.schema.is_none() && self.find_cte(&name.name).is_some()) {
                    return;
                }
                if self.find_table(name).is_none_or(|t| t.is_view()) {
                    return;
                }
                let aggregate = body.columns.iter().any(|c| matches!(c, ResultColumn::Expr { expr, .. } if super::expr::contains_aggregate(expr)));
                if !aggregate {
                    out.push(&**select as *const Select);
                }
            }
            _ => {}
        }
    }

    /// Resolves a column name as SQLite's lookupName does and asks READ
    /// when it names a column of a schema table or view.
    fn column(&mut self, schema: Option<&str>, table: Option<&str>, column: &str) {
        // NEW.x / OLD.x in a trigger read the trigger's table.
        if let (Some(t), None, Some(tt)) = (table, schema, self.trigger_tab.clone()) {
            if (t.eq_ignore_ascii_case("new") || t.eq_ignore_ascii_case("old")) && !self.scopes.iter().flatten().any(|i| i.name.eq_ignore_ascii_case(t)) {
                if let Some(ci) = tt.column_index(column) {
                    self.read_column(&tt, if tt.rowid_alias == Some(ci) { ROWID } else { ci });
                } else if crate::schema::is_rowid_name(column) {
                    self.read_column(&tt, ROWID);
                }
                return;
            }
        }
        let schema_db = schema.and_then(|s| self.b.schemas.db_index(s));
        if schema.is_some() && schema_db.is_none() {
            return;
        }
        for depth in (0..self.scopes.len()).rev() {
            let mut found: Option<(usize, usize)> = None;
            for (ii, it) in self.scopes[depth].iter().enumerate() {
                if let Some(t) = table {
                    if !it.name.eq_ignore_ascii_case(t) {
                        continue;
                    }
                }
                if let Some(db) = schema_db {
                    if !it.table.as_ref().is_some_and(|t| t.db == db) {
                        continue;
                    }
                }
                if let Some(ci) = it.columns.iter().position(|c| c.eq_ignore_ascii_case(column)) {
                    found = Some((ii, ci));
                    break;
                }
                if crate::schema::is_rowid_name(column) && it.table.as_ref().is_some_and(|t| !t.is_view() && !t.without_rowid) {
                    found = Some((ii, ROWID));
                    break;
                }
            }
            if let Some((ii, ci)) = found {
                let Some(it) = self.scopes[depth].get_mut(ii) else { return };
                let Some(t) = it.table.clone() else { return };
                let col = if ci != ROWID && t.rowid_alias == Some(ci) { ROWID } else { ci };
                if col != ROWID {
                    it.used = true;
                }
                self.read_column(&t, col);
                return;
            }
        }
    }
}

#[derive(Clone, Copy)]
enum TriggerOp<'a> {
    Insert,
    Update(&'a [usize]),
    Delete,
}

fn table_item(name: &str, t: Arc<Table>, own: Option<(String, Option<String>)>) -> Item {
    let columns = t.columns.iter().map(|c| c.name.clone()).collect();
    let (own_name, written_db) = match own {
        Some((n, db)) => (Some(n), db),
        None => (None, None),
    };
    Item { name: name.to_string(), table: Some(t), columns, own_name, written_db, is_subquery: false, used: false, sub: None }
}

/// The columns of each automatic index CREATE TABLE makes, in SQLite's
/// order: column constraints as the columns come, then table constraints.
/// A single-column INTEGER PRIMARY KEY is the rowid and has none.
fn auto_index_columns(columns: &[ast::ColumnDef], constraints: &[ast::TableConstraint]) -> Vec<Vec<String>> {
    let is_integer = |name: &str| columns.iter().find(|c| c.name.eq_ignore_ascii_case(name)).and_then(|c| c.type_name.as_deref()).is_some_and(|t| t.eq_ignore_ascii_case("integer"));
    let mut out = Vec::new();
    for c in columns {
        for k in &c.constraints {
            match &k.kind {
                ast::ColumnConstraintKind::PrimaryKey { order, .. } => {
                    if !(is_integer(&c.name) && *order != Some(ast::SortOrder::Desc)) {
                        out.push(vec![c.name.clone()]);
                    }
                }
                ast::ColumnConstraintKind::Unique { .. } => out.push(vec![c.name.clone()]),
                _ => {}
            }
        }
    }
    for k in constraints {
        let cols = match &k.kind {
            ast::TableConstraintKind::PrimaryKey { columns, .. } | ast::TableConstraintKind::Unique { columns, .. } => columns,
            _ => continue,
        };
        let names: Vec<String> = cols
            .iter()
            .filter_map(|c| match &c.expr {
                Expr::Column { column, .. } => Some(column.clone()),
                Expr::DoubleQuotedId(n) => Some(n.clone()),
                _ => None,
            })
            .collect();
        if matches!(k.kind, ast::TableConstraintKind::PrimaryKey { .. }) && names.len() == 1 && is_integer(&names[0]) {
            continue;
        }
        // The declared spelling of each column, as SQLite reports it.
        let names = names.into_iter().map(|n| columns.iter().find(|c| c.name.eq_ignore_ascii_case(&n)).map_or(n, |c| c.name.clone())).collect();
        out.push(names);
    }
    out
}

/// True when SQLite's flattener would merge this FROM-clause query into
/// the outer one: a plain query of tables, without aggregate, DISTINCT,
/// LIMIT or compound.
fn flattenable(sel: &Select) -> bool {
    let SelectCore::Select(body) = &sel.core else { return false };
    sel.compounds.is_empty()
        && sel.limit.is_none()
        && !body.distinct
        && body.group_by.is_empty()
        && body.having.is_none()
        && body.from.is_some()
        && !body.columns.iter().any(|c| matches!(c, ResultColumn::Expr { expr, .. } if super::expr::contains_aggregate(expr)))
}

/// A view as a table whose columns are named after its query's results.
fn view_table(t: &Table, names: &[String]) -> Table {
    let columns = names
        .iter()
        .map(|n| crate::schema::Column { name: n.clone(), decl_type: None, affinity: crate::vdbe::mem::Affinity::Blob, not_null: false, not_null_conflict: None, default: None, default_text: None, collation: None, pk: 0 })
        .collect();
    Table { columns, ..t.clone() }
}

/// Function calls (LIKE and GLOB included) in walk order, outside
/// subqueries.
fn collect_calls(e: &Expr, out: &mut Vec<(String, usize)>) {
    match e {
        Expr::Function(f) => {
            let args: &[Expr] = match &f.args {
                FunctionArgs::Star => &[],
                FunctionArgs::List(a) => a,
            };
            out.push((f.name.clone(), args.len()));
            for a in args {
                collect_calls(a, out);
            }
        }
        Expr::Like { lhs, op, rhs, escape, .. } => {
            let name = match op {
                LikeOp::Like => "like",
                LikeOp::Glob => "glob",
                LikeOp::Regexp => "regexp",
                LikeOp::Match => "match",
            };
            out.push((name.to_string(), if escape.is_some() { 3 } else { 2 }));
            collect_calls(rhs, out);
            collect_calls(lhs, out);
            if let Some(x) = escape {
                collect_calls(x, out);
            }
        }
        Expr::Unary(_, x) | Expr::Cast { expr: x, .. } | Expr::Collate { expr: x, .. } | Expr::IsNull { expr: x, .. } => collect_calls(x, out),
        Expr::Binary(a, _, b) => {
            collect_calls(a, out);
            collect_calls(b, out);
        }
        Expr::Between { expr, low, high, .. } => {
            collect_calls(expr, out);
            collect_calls(low, out);
            collect_calls(high, out);
        }
        Expr::InList { expr, list, .. } => {
            collect_calls(expr, out);
            list.iter().for_each(|x| collect_calls(x, out));
        }
        Expr::InSelect { expr, .. } | Expr::InTable { expr, .. } => collect_calls(expr, out),
        Expr::Case { base, whens, else_ } => {
            if let Some(b) = base {
                collect_calls(b, out);
            }
            for (w, t) in whens {
                collect_calls(w, out);
                collect_calls(t, out);
            }
            if let Some(x) = else_ {
                collect_calls(x, out);
            }
        }
        Expr::Vector(list) => list.iter().for_each(|x| collect_calls(x, out)),
        _ => {}
    }
}

fn collect_ons<'a>(from: &'a ast::From, out: &mut Vec<&'a Expr>) {
    if let TableRef::Nested { from, .. } = &from.first {
        collect_ons(from, out);
    }
    for j in &from.joins {
        if let TableRef::Nested { from, .. } = &j.table {
            collect_ons(from, out);
        }
        if let Some(JoinConstraint::On(e)) = &j.constraint {
            out.push(e);
        }
    }
}

/// ORDER BY / GROUP BY terms SQLite takes as a result column (a number or
/// an alias) without resolving a name.
fn is_result_reference(e: &Expr, aliases: &[String]) -> bool {
    match e {
        Expr::Literal(ast::Literal::Number(_)) => true,
        Expr::Column { schema: None, table: None, column } | Expr::DoubleQuotedId(column) => aliases.iter().any(|a| a.eq_ignore_ascii_case(column)),
        _ => false,
    }
}

fn select_mentions(sel: &Select, name: &str) -> bool {
    let mut cores: Vec<&SelectCore> = vec![&sel.core];
    cores.extend(sel.compounds.iter().map(|(_, c)| c));
    cores.iter().any(|c| match c {
        SelectCore::Select(b) => b.from.as_ref().is_some_and(|f| from_mentions(f, name)),
        SelectCore::Values(_) => false,
    })
}

fn from_mentions(from: &ast::From, name: &str) -> bool {
    std::iter::once(&from.first).chain(from.joins.iter().map(|j| &j.table)).any(|t| match t {
        TableRef::Table { name: n, .. } => n.schema.is_none() && n.name.eq_ignore_ascii_case(name),
        TableRef::Nested { from, .. } => from_mentions(from, name),
        TableRef::Subquery { .. } => false,
    })
}

/// The text SQLite passes for ATTACH's file name or DETACH's schema name:
/// the literal or identifier as written, NULL for any other expression.
fn literal_text(e: &Expr) -> Option<String> {
    match e {
        Expr::Literal(ast::Literal::String(s)) => Some(s.clone()),
        Expr::Column { schema: None, table: None, column } => Some(column.clone()),
        Expr::DoubleQuotedId(s) => Some(s.clone()),
        _ => None,
    }
}

/// A PRAGMA's value as SQLite's second argument: the token's text, with a
/// leading minus sign kept.
fn pragma_value_text(e: &Expr) -> Option<String> {
    match e {
        Expr::Literal(ast::Literal::Number(n)) => Some(n.clone()),
        Expr::Literal(ast::Literal::String(s)) => Some(s.clone()),
        Expr::Unary(ast::UnaryOp::Neg, x) => pragma_value_text(x).map(|v| format!("-{v}")),
        Expr::Unary(ast::UnaryOp::Pos, x) => pragma_value_text(x),
        Expr::Column { column, .. } => Some(column.clone()),
        Expr::DoubleQuotedId(s) => Some(s.clone()),
        Expr::Literal(ast::Literal::Null) => Some("null".to_string()),
        _ => None,
    }
}
