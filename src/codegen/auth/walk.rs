//! The statement walk: every question a statement makes SQLite ask its
//! authorizer, statement by statement (DDL with the schema-table writes
//! SQLite authorizes too, DML, the programs of the triggers it fires).
//! Queries and expressions are resolved by `query.rs`.

use std::sync::Arc;

use crate::error::{code, Error, Result};
use crate::parse::ast::{self, Expr, ResultColumn, Select, SelectCore, Stmt};
use crate::schema::{Table, TEMP_DB};

use super::super::expr::ROWID;
use super::super::Builder;
use super::{malfunction, schema_table_name, Answer, AuthAction, AuthOutcome, AUTH_DENY, AUTH_IGNORE, AUTH_OK};

/// One FROM-clause item as the walk's name resolution sees it.
pub(super) struct Item {
    /// The name the item is referred to by (alias, else its name).
    pub(super) name: String,
    /// A table or view of a schema (columns read are authorized), or the
    /// result columns of a subquery or CTE (not authorized).
    pub(super) table: Option<Arc<Table>>,
    pub(super) columns: Vec<String>,
    /// The item's own name and the database written in front of it, for
    /// the READ of an item whose columns are never read.
    pub(super) own_name: Option<String>,
    pub(super) written_db: Option<String>,
    pub(super) is_subquery: bool,
    pub(super) used: bool,
    /// For a subquery, view or CTE: its plan's index among the FROM
    /// clause's subqueries.
    pub(super) sub: Option<usize>,
    /// Lower-case columns merged by USING / NATURAL into an earlier item:
    /// `*` leaves them out and unqualified names skip them.
    pub(super) hidden: Vec<String>,
    /// Columns this item shares with a later item by USING / NATURAL
    /// (lower-case name, that item, how: a RIGHT JOIN reads the later
    /// item's, a FULL JOIN both).
    pub(super) merged: Vec<(String, usize, Merge)>,
}

/// How a USING / NATURAL column is read.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Merge {
    Left,
    Right,
    Full,
}

/// What code generation will ask about one query after names are
/// resolved: its SELECT, the tables none of whose columns it reads, its
/// subqueries.
#[derive(Default)]
pub(super) struct QueryPlan {
    pub(super) ctx: Option<String>,
    pub(super) kind: QueryKind,
    /// The FROM clause in order: tables (with whether any of their columns
    /// is read) and subqueries.
    pub(super) from: Vec<FromEntry>,
    /// Subqueries of expressions.
    pub(super) subqueries: Vec<QueryPlan>,
    /// Pragmas used as table-valued functions in the FROM clause (name,
    /// argument).
    pub(super) pragmas: Vec<(String, Option<String>)>,
    /// A FROM-clause subquery SQLite's flattener merges into the outer
    /// query: its SELECT is asked when it is flattened, and its tables
    /// are then the outer query's.
    pub(super) flattenable: bool,
}

pub(super) enum FromEntry {
    /// A table: its name, the database written in front of it, whether a
    /// column of it is read.
    Table(String, Option<String>, bool),
    Sub(QueryPlan),
}

#[derive(Default)]
pub(super) enum QueryKind {
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

pub(super) struct Walk<'w, 's> {
    pub(super) b: &'w mut Builder<'s>,
    /// Name-resolution scopes, innermost last.
    pub(super) scopes: Vec<Vec<Item>>,
    /// WITH clauses in scope, innermost last (name, cte, recursive).
    pub(super) ctes: Vec<Vec<(ast::Cte, bool)>>,
    /// The innermost trigger or view being resolved.
    pub(super) ctx: Option<String>,
    /// A READ denied or malfunctioning: SQLite finishes resolving the
    /// current expression before it stops.
    pub(super) pending: Option<Error>,
    pub(super) outcome: AuthOutcome,
    /// Triggers ("t:name"), views ("v:db:name") and CTEs ("c:name")
    /// being expanded: none is expanded inside itself.
    pub(super) expanding: Vec<String>,
    /// Triggers whose program has been walked: SQLite compiles each once
    /// per statement.
    pub(super) walked_triggers: Vec<String>,
    /// The table whose trigger is being compiled (NEW / OLD read it).
    pub(super) trigger_tab: Option<Arc<Table>>,
    /// EXISTS subqueries of the WHERE clause being resolved that SQLite
    /// turns into joins (by address: they are nodes of the statement).
    pub(super) exists_joins: Vec<*const Select>,
    /// Pragma functions met in the FROM clause being resolved.
    pub(super) pending_pragmas: Vec<(String, Option<String>)>,
}

impl Walk<'_, '_> {
    pub(super) fn check(&mut self, action: AuthAction, a1: Option<&str>, a2: Option<&str>, a3: Option<&str>) -> Result<Answer> {
        let ctx = self.ctx.clone();
        self.b.authorize(action, a1, a2, a3, ctx.as_deref())
    }

    pub(super) fn db_name(&self, db: usize) -> String {
        self.b.schemas.db_name(db).to_string()
    }

    /// READ of column `col` (or ROWID) of `t`: IGNORE makes it NULL, DENY
    /// and malfunctions fail the statement once the current expression is
    /// resolved.
    pub(super) fn read_column(&mut self, t: &Arc<Table>, col: usize) {
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
    pub(super) fn flush(&mut self) -> Result<()> {
        match self.pending.take() {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }

    pub(super) fn find_table(&self, name: &ast::QualifiedName) -> Option<Arc<Table>> {
        self.b.schemas.find_table(name.schema.as_deref(), &name.name)
    }

    // ------------------------------------------------------------ statements

    pub(super) fn statement(&mut self, stmt: &Stmt) -> Result<()> {
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
                let Some(db) = self.target_db(cv.temporary, &cv.name) else { return Ok(()) };
                let action = if cv.temporary { AuthAction::CreateTempView } else { AuthAction::CreateView };
                self.create_object(db, cv.temporary, action, &cv.name.name, None)?;
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
            Stmt::Attach { file, schema, key } => {
                // Its expressions are resolved first (identifiers are names
                // there, so only function calls are asked about).
                for e in [Some(file), Some(schema), key.as_ref()].into_iter().flatten() {
                    self.functions_again(e)?;
                }
                let arg = literal_text(file);
                self.statement_check(AuthAction::Attach, arg.as_deref(), None, None)
            }
            Stmt::Detach(name) => {
                self.functions_again(name)?;
                let arg = literal_text(name);
                self.statement_check(AuthAction::Detach, arg.as_deref(), None, None)
            }
            Stmt::AlterTable(at) => {
                let Some(t) = self.find_table(&at.table) else { return Ok(()) };
                let db = self.db_name(t.db);
                // RENAME COLUMN and DROP COLUMN name only the table, as in
                // SQLite.
                self.statement_check(AuthAction::AlterTable, Some(&db), Some(&t.name), None)?;
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
    pub(super) fn statement_check(&mut self, action: AuthAction, a1: Option<&str>, a2: Option<&str>, a3: Option<&str>) -> Result<()> {
        if self.check(action, a1, a2, a3)? == Answer::Ignore {
            self.outcome.no_op = true;
        }
        Ok(())
    }

    /// The database a CREATE writes to; None when SQLite refuses the name
    /// before asking anything (an unknown database, TEMP with another).
    pub(super) fn target_db(&self, temporary: bool, name: &ast::QualifiedName) -> Option<usize> {
        let named = match name.schema.as_deref() {
            Some(s) => Some(self.b.schemas.db_index(s)?),
            None => None,
        };
        match (temporary, named) {
            (true, Some(db)) if db != TEMP_DB => None,
            (true, _) => Some(TEMP_DB),
            (false, db) => Some(db.unwrap_or(0)),
        }
    }

    /// The CREATE TABLE SQLite runs itself for sqlite_sequence and
    /// sqlite_stat1: a qualified name, so not a TEMP table to it.
    fn create_internal_table(&mut self, db: usize, name: &str) -> Result<()> {
        let dbn = self.db_name(db);
        self.check(AuthAction::Insert, Some("sqlite_master"), None, Some(&dbn))?;
        self.check(AuthAction::CreateTable, Some(name), None, Some(&dbn))?;
        self.schema_row_written(db)
    }

    /// The INSERT into the schema table and the CREATE_* check that begin
    /// every CREATE TABLE / VIEW.
    /// SQLite names the schema table and picks the action by the TEMP
    /// keyword (`temp_keyword`), not by the database: `CREATE TABLE
    /// temp.x` asks INSERT sqlite_master and CREATE_TABLE in temp.
    pub(super) fn create_object(&mut self, db: usize, temp_keyword: bool, action: AuthAction, name: &str, arg2: Option<&str>) -> Result<()> {
        let dbn = self.db_name(db);
        let st = if temp_keyword { "sqlite_temp_master" } else { "sqlite_master" };
        if self.check(AuthAction::Insert, Some(st), None, Some(&dbn))? == Answer::Ignore
            || self.check(action, Some(name), arg2, Some(&dbn))? == Answer::Ignore
        {
            self.outcome.no_op = true;
        }
        Ok(())
    }

    /// The statement SQLite runs to fill in the new schema row: an UPDATE
    /// of every column of the schema table, found by rowid.
    pub(super) fn schema_row_written(&mut self, db: usize) -> Result<()> {
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
    pub(super) fn name_taken(&self, db: usize, name: &str) -> bool {
        let s = self.b.schemas.get(db);
        s.table(name).is_some() || s.index(name).is_some()
    }

    pub(super) fn create_table(&mut self, ct: &ast::CreateTable) -> Result<()> {
        let Some(db) = self.target_db(ct.temporary, &ct.name) else { return Ok(()) };
        let action = if ct.temporary { AuthAction::CreateTempTable } else { AuthAction::CreateTable };
        self.create_object(db, ct.temporary, action, &ct.name.name, None)?;
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
                // CHECK constraints are resolved against the new table
                // once it is complete.
                let checks: Vec<&Expr> = columns
                    .iter()
                    .flat_map(|c| c.constraints.iter())
                    .filter_map(|k| match &k.kind {
                        ast::ColumnConstraintKind::Check(e) => Some(e),
                        _ => None,
                    })
                    .chain(constraints.iter().filter_map(|k| match &k.kind {
                        ast::TableConstraintKind::Check(e) => Some(e),
                        _ => None,
                    }))
                    .collect();
                if !checks.is_empty() {
                    let names: Vec<String> = columns.iter().map(|c| c.name.clone()).collect();
                    let t = Arc::new(view_table(&crate::schema::Schema::schema_table(db), &names));
                    let t = Arc::new(Table { name: ct.name.name.clone(), db, rowid_alias: None, ..(*t).clone() });
                    self.scopes.push(vec![table_item(&ct.name.name, t, None)]);
                    let r = checks.iter().try_for_each(|e| self.expr(e).and_then(|_| self.flush()));
                    self.scopes.pop();
                    r?;
                }
            }
        }
        self.schema_row_written(db)?;
        // AUTOINCREMENT makes sqlite_sequence in a database without one.
        let autoincrement = match &ct.body {
            ast::CreateTableBody::Columns { columns, constraints, .. } => {
                columns.iter().flat_map(|c| c.constraints.iter()).any(|k| matches!(k.kind, ast::ColumnConstraintKind::PrimaryKey { autoincrement: true, .. }))
                    || constraints.iter().any(|k| matches!(k.kind, ast::TableConstraintKind::PrimaryKey { autoincrement: true, .. }))
            }
            ast::CreateTableBody::AsSelect(_) => false,
        };
        if autoincrement && self.b.schemas.get(db).table("sqlite_sequence").is_none() {
            self.create_internal_table(db, "sqlite_sequence")?;
        }
        Ok(())
    }

    pub(super) fn create_index(&mut self, ci: &ast::CreateIndex) -> Result<()> {
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

    pub(super) fn create_trigger(&mut self, ct: &ast::CreateTrigger) -> Result<()> {
        let Some(t) = self.find_table(&ct.table) else { return Ok(()) };
        // INSTEAD OF goes with views only, BEFORE / AFTER with tables:
        // SQLite refuses the others before it asks anything.
        if t.is_view() != (ct.time == ast::TriggerTime::InsteadOf) {
            return Ok(());
        }
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

    pub(super) fn drop(&mut self, d: &ast::Drop) -> Result<()> {
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
                if t.autoincrement {
                    // Its sqlite_sequence row goes too.
                    self.check(AuthAction::Delete, Some("sqlite_sequence"), None, Some(&dbn))?;
                    self.check(AuthAction::Read, Some("sqlite_sequence"), Some("name"), Some(&dbn))?;
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
    pub(super) fn drop_trigger(&mut self, db: usize, name: &str, table: &str) -> Result<()> {
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

    pub(super) fn reindex(&mut self, name: Option<&ast::QualifiedName>) -> Result<()> {
        // A table's indexes in SQLite's list order: the last created first.
        let of_table = |t: &Table| self.b.schemas.indexes_of(t).into_iter().rev().collect::<Vec<_>>();
        let indexes: Vec<Arc<crate::schema::Index>> = match name {
            None => (0..self.b.schemas.dbs.len()).flat_map(|db| self.b.schemas.get(db).tables().flat_map(|t| of_table(t)).collect::<Vec<_>>()).collect(),
            Some(n) => match self.find_table(n) {
                Some(t) => of_table(&t),
                None => self.b.schemas.find_index(n.schema.as_deref(), &n.name).into_iter().collect(),
            },
        };
        for idx in indexes {
            let dbn = self.db_name(idx.db);
            self.check(AuthAction::Reindex, Some(&idx.name), None, Some(&dbn))?;
        }
        Ok(())
    }

    pub(super) fn analyze(&mut self, name: Option<&ast::QualifiedName>) -> Result<()> {
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
                self.create_internal_table(db, "sqlite_stat1")?;
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

    pub(super) fn with_ctes(&mut self, with: Option<&ast::With>) {
        self.ctes.push(with.map(|w| w.ctes.iter().map(|c| (c.clone(), w.recursive)).collect()).unwrap_or_default());
    }

    /// A table or view by name; a view gets its query's column names.
    pub(super) fn target_table(&mut self, name: &ast::QualifiedName) -> Option<Arc<Table>> {
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

    pub(super) fn insert(&mut self, ins: &ast::Insert) -> Result<()> {
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
        if self.unwritable_view(&t, TriggerOp::Insert) || !insert_shape_ok(&t, ins) {
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
        // The row's BEFORE (or INSTEAD OF) triggers, the DO UPDATE of each
        // upsert where a conflict is checked (with the UPDATE's triggers
        // and RETURNING for the rows it changes), the AFTER triggers, then
        // RETURNING.
        self.triggers_at(&t, TriggerOp::Insert, Some(false))?;
        let mut targeted = 0;
        for up in &ins.upsert {
            let compiles = if up.target.is_empty() {
                // A catch-all DO UPDATE is coded at each constraint no
                // targeted clause claims: the INTEGER PRIMARY KEY and each
                // UNIQUE index.
                let unique = self.b.schemas.indexes_of(&t).iter().filter(|ix| ix.unique).count() + usize::from(t.rowid_alias.is_some());
                unique.saturating_sub(targeted)
            } else {
                targeted += 1;
                1
            };
            let ast::UpsertAction::Update { sets, where_ } = &up.action else { continue };
            for _ in 0..compiles {
                let excluded = Item { name: "excluded".into(), table: None, columns: t.columns.iter().map(|c| c.name.clone()).collect(), own_name: None, written_db: None, is_subquery: true, used: true, sub: None, hidden: Vec::new(), merged: Vec::new() };
                self.scopes.push(vec![table_item(&alias, t.clone(), None), excluded]);
                let r = self.assignments(&t, sets).and_then(|_| match where_ {
                    Some(w) => self.expr(w).and_then(|_| self.flush()),
                    None => Ok(()),
                });
                self.scopes.pop();
                r?;
                let cols: Vec<usize> = sets.iter().flat_map(|a| a.columns.iter()).filter_map(|c| t.column_index(c)).collect();
                self.triggers(&t, TriggerOp::Update(&cols))?;
                self.returning(&t, &alias, &ins.returning)?;
            }
        }
        self.triggers_at(&t, TriggerOp::Insert, Some(true))?;
        self.returning(&t, &alias, &ins.returning)?;
        self.ctes.pop();
        Ok(())
    }

    /// VALUES rows of an INSERT, resolved as plain expressions.
    pub(super) fn insert_values(&mut self, rows: &[Vec<Expr>]) -> Result<()> {
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
    pub(super) fn assignments(&mut self, t: &Arc<Table>, sets: &[ast::Assignment]) -> Result<()> {
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

    /// True for a view no INSTEAD OF trigger serves for `op`: SQLite
    /// refuses to change it.
    fn unwritable_view(&self, t: &Table, op: TriggerOp<'_>) -> bool {
        let event = match op {
            TriggerOp::Insert => super::super::trigger::Event::Insert,
            TriggerOp::Update(cols) => super::super::trigger::Event::Update(cols),
            TriggerOp::Delete => super::super::trigger::Event::Delete,
        };
        t.is_view() && !self.b.schemas.triggers_of(t).iter().any(|tr| tr.def.time == ast::TriggerTime::InsteadOf && super::super::trigger::matches(&tr.def, t, event))
    }

    pub(super) fn update(&mut self, up: &ast::Update) -> Result<()> {
        let Some(t) = self.target_table(&up.table) else { return Ok(()) };
        let set_cols: Vec<usize> = up.sets.iter().flat_map(|a| a.columns.iter()).filter_map(|c| t.column_index(c)).collect();
        if self.unwritable_view(&t, TriggerOp::Update(&set_cols)) {
            return Ok(());
        }
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

    pub(super) fn delete(&mut self, del: &ast::Delete) -> Result<()> {
        let Some(t) = self.target_table(&del.table) else { return Ok(()) };
        if self.unwritable_view(&t, TriggerOp::Delete) {
            return Ok(());
        }
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

    pub(super) fn order_limit(&mut self, order_by: &[ast::OrderingTerm], limit: Option<&ast::Limit>) -> Result<()> {
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
    pub(super) fn returning(&mut self, t: &Arc<Table>, alias: &str, cols: &[ResultColumn]) -> Result<()> {
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

    /// The FUNCTION checks of `e` in walk order, outside subqueries (for
    /// expressions whose names are already resolved, or are not names).
    pub(super) fn functions_again(&mut self, e: &Expr) -> Result<()> {
        let mut calls: Vec<(String, usize)> = Vec::new();
        super::query::collect_calls(e, &mut calls);
        for (name, n) in calls {
            self.function(&name, n)?;
        }
        Ok(())
    }

    /// The programs of the row triggers `op` fires on `t`, each resolved
    /// with the trigger's name as context and NEW / OLD reading `t`.
    pub(super) fn triggers(&mut self, t: &Arc<Table>, op: TriggerOp<'_>) -> Result<()> {
        self.triggers_at(t, op, None)
    }

    /// `triggers`, for the BEFORE and INSTEAD OF ones only (`after`
    /// false), the AFTER ones only (true), or all in list order (None: the
    /// order UPDATE and DELETE compile them in, to learn which columns
    /// they read). Each trigger program is compiled once per statement.
    pub(super) fn triggers_at(&mut self, t: &Arc<Table>, op: TriggerOp<'_>, after: Option<bool>) -> Result<()> {
        let event = match op {
            TriggerOp::Insert => super::super::trigger::Event::Insert,
            TriggerOp::Update(cols) => super::super::trigger::Event::Update(cols),
            TriggerOp::Delete => super::super::trigger::Event::Delete,
        };
        let triggers = self.b.schemas.triggers_of(t);
        for trig in triggers.iter().filter(|tr| super::super::trigger::matches(&tr.def, t, event)) {
            // A trigger does not fire itself again (recursive_triggers is
            // off), as in the code generator.
            if after.is_some_and(|a| a != (trig.def.time == ast::TriggerTime::After)) {
                continue;
            }
            let key = format!("t:{}", trig.name.to_ascii_lowercase());
            if self.expanding.contains(&key) || self.walked_triggers.contains(&key) {
                continue;
            }
            self.walked_triggers.push(key.clone());
            let saved_ctx = self.ctx.replace(trig.name.clone());
            let saved_tab = self.trigger_tab.replace(t.clone());
            let saved_scopes = std::mem::take(&mut self.scopes);
            let saved_ctes = std::mem::take(&mut self.ctes);
            self.expanding.push(key);
            let r = self.trigger_program(&trig.def);
            self.expanding.pop();
            self.scopes = saved_scopes;
            self.ctes = saved_ctes;
            self.trigger_tab = saved_tab;
            self.ctx = saved_ctx;
            r?;
        }
        Ok(())
    }

    pub(super) fn trigger_program(&mut self, def: &ast::CreateTrigger) -> Result<()> {
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
}

/// False when SQLite refuses the INSERT before it goes further: an upsert
/// on a view, a column list naming no column, VALUES rows of the wrong
/// width.
fn insert_shape_ok(t: &Table, ins: &ast::Insert) -> bool {
    if t.is_view() && !ins.upsert.is_empty() {
        return false;
    }
    if ins.columns.iter().any(|c| t.column_index(c).is_none() && !(crate::schema::is_rowid_name(c) && !t.is_view())) {
        return false;
    }
    let width = if ins.columns.is_empty() { t.columns.len() } else { ins.columns.len() };
    match &ins.source {
        ast::InsertSource::Select(sel) if sel.compounds.is_empty() => match &sel.core {
            SelectCore::Values(rows) => rows.iter().all(|r| r.len() == width),
            _ => true,
        },
        _ => true,
    }
}

/// What fired the triggers being walked.
#[derive(Clone, Copy)]
pub(super) enum TriggerOp<'a> {
    Insert,
    Update(&'a [usize]),
    Delete,
}

pub(super) fn table_item(name: &str, t: Arc<Table>, own: Option<(String, Option<String>)>) -> Item {
    let columns = t.columns.iter().map(|c| c.name.clone()).collect();
    let (own_name, written_db) = match own {
        Some((n, db)) => (Some(n), db),
        None => (None, None),
    };
    Item { name: name.to_string(), table: Some(t), columns, own_name, written_db, is_subquery: false, used: false, sub: None, hidden: Vec::new(), merged: Vec::new() }
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

/// A view as a table whose columns are named after its query's results.
pub(super) fn view_table(t: &Table, names: &[String]) -> Table {
    let columns = names
        .iter()
        .map(|n| crate::schema::Column { name: n.clone(), decl_type: None, affinity: crate::vdbe::mem::Affinity::Blob, not_null: false, not_null_conflict: None, default: None, default_text: None, collation: None, pk: 0, generated: None })
        .collect();
    Table { columns, ..t.clone() }
}

/// The text SQLite passes for ATTACH's file name or DETACH's schema name:
/// the literal or identifier as written, NULL for any other expression.
pub(super) fn literal_text(e: &Expr) -> Option<String> {
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
