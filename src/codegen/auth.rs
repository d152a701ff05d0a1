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

use crate::error::{code, Error, Result};
use crate::parse::ast::{self, Stmt};
use crate::schema::{Table, TEMP_DB};

use super::expr::ROWID;
use super::Builder;

mod query;
mod walk;
#[cfg(test)]
mod tests;

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
        let mut w = walk::Walk { b: self, scopes: Vec::new(), ctes: Vec::new(), ctx: None, pending: None, outcome: AuthOutcome::default(), expanding: Vec::new(), walked_triggers: Vec::new(), trigger_tab: None, exists_joins: Vec::new(), pending_pragmas: Vec::new() };
        w.statement(stmt)?;
        Ok(w.outcome)
    }
}

