//! The abstract syntax tree for SQLite's SQL dialect.
//!
//! The parser produces these types and the code generator consumes them;
//! nothing here knows about bytecode or storage. Identifiers are kept
//! dequoted and with their original case: name resolution downstream is
//! case-insensitive, exactly as SQLite's is. Wherever SQLite keeps the
//! source text of a construct (the name of a result column without an alias,
//! the text of a CREATE statement stored in sqlite_schema), the AST keeps
//! that text too.

/// One parsed statement and where it sits in the SQL text.
#[derive(Clone, Debug, PartialEq)]
pub struct ParsedStmt {
    pub stmt: Stmt,
    pub explain: Option<ExplainKind>,
    /// Byte range of the statement in the input, without the terminating
    /// semicolon and without leading whitespace or comments.
    pub span: std::ops::Range<usize>,
    /// Byte offset just past this statement and its semicolon (the tail
    /// `sqlite3_prepare` hands back).
    pub tail: usize,
    /// Host parameters in index order: entry `i` is parameter `i + 1`,
    /// holding its name (`:a`, `@a`, `$a`, `?5`) or None for a bare `?`.
    pub parameters: Vec<Option<String>>,
    /// The text SQLite stores for this statement, cut exactly as SQLite
    /// cuts it: for CREATE TABLE (not AS SELECT, whose text SQLite
    /// generates from the result columns), CREATE INDEX, CREATE VIEW,
    /// CREATE TRIGGER and CREATE VIRTUAL TABLE, the `sqlite_schema.sql`
    /// value (`CREATE TABLE t(a)` for `create temp table main.t(a)`); for
    /// ALTER TABLE ... ADD COLUMN, the column definition text SQLite splices
    /// into the table's CREATE statement. None for other statements.
    pub schema_sql: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExplainKind {
    Explain,
    QueryPlan,
}

/// `[schema.]name`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QualifiedName {
    pub schema: Option<String>,
    pub name: String,
}

impl QualifiedName {
    pub fn bare(name: impl Into<String>) -> Self {
        QualifiedName { schema: None, name: name.into() }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum Stmt {
    Select(Box<Select>),
    Insert(Box<Insert>),
    Update(Box<Update>),
    Delete(Box<Delete>),
    CreateTable(Box<CreateTable>),
    CreateIndex(Box<CreateIndex>),
    CreateView(Box<CreateView>),
    CreateTrigger(Box<CreateTrigger>),
    CreateVirtualTable(Box<CreateVirtualTable>),
    Drop(Drop),
    AlterTable(Box<AlterTable>),
    Begin(TransactionKind),
    Commit,
    Rollback { savepoint: Option<String> },
    Savepoint(String),
    Release(String),
    Pragma(Pragma),
    Attach { file: Expr, schema: Expr, key: Option<Expr> },
    Detach(Expr),
    Vacuum { schema: Option<String>, into: Option<Expr> },
    Analyze(Option<QualifiedName>),
    Reindex(Option<QualifiedName>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TransactionKind {
    Deferred,
    Immediate,
    Exclusive,
}

// ---------------------------------------------------------------- SELECT

#[derive(Clone, Debug, PartialEq)]
pub struct With {
    pub recursive: bool,
    pub ctes: Vec<Cte>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Cte {
    pub name: String,
    pub columns: Vec<String>,
    /// `AS MATERIALIZED` (Some(true)), `AS NOT MATERIALIZED` (Some(false)).
    pub materialized: Option<bool>,
    pub select: Select,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Select {
    pub with: Option<With>,
    /// The first core; `compounds` apply left to right.
    pub core: SelectCore,
    pub compounds: Vec<(CompoundOp, SelectCore)>,
    pub order_by: Vec<OrderingTerm>,
    pub limit: Option<Limit>,
}

impl Select {
    /// `SELECT * FROM from`, the query SQLite reads `x IN table` and an
    /// aliased parenthesised join as.
    pub fn star_from(from: From) -> Select {
        Select {
            with: None,
            core: SelectCore::Select(Box::new(SelectBody {
                distinct: false,
                columns: vec![ResultColumn::Star],
                from: Some(from),
                where_: None,
                group_by: Vec::new(),
                having: None,
                windows: Vec::new(),
            })),
            compounds: Vec::new(),
            order_by: Vec::new(),
            limit: None,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CompoundOp {
    Union,
    UnionAll,
    Intersect,
    Except,
}

#[derive(Clone, Debug, PartialEq)]
pub enum SelectCore {
    Select(Box<SelectBody>),
    /// `VALUES (..), (..)`: each row a list of expressions.
    Values(Vec<Vec<Expr>>),
}

#[derive(Clone, Debug, PartialEq)]
pub struct SelectBody {
    pub distinct: bool,
    pub columns: Vec<ResultColumn>,
    pub from: Option<From>,
    pub where_: Option<Expr>,
    pub group_by: Vec<Expr>,
    pub having: Option<Expr>,
    pub windows: Vec<(String, WindowDef)>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ResultColumn {
    /// An expression with an optional alias; `text` is the expression's
    /// source text, which names the column when there is no alias.
    Expr { expr: Expr, alias: Option<String>, text: String },
    /// `*`
    Star,
    /// `table.*`
    TableStar(String),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Limit {
    pub limit: Expr,
    pub offset: Option<Expr>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct OrderingTerm {
    pub expr: Expr,
    pub order: Option<SortOrder>,
    pub nulls: Option<NullsOrder>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SortOrder {
    Asc,
    Desc,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NullsOrder {
    First,
    Last,
}

/// A FROM clause: the first table, then each join in order.
#[derive(Clone, Debug, PartialEq)]
pub struct From {
    pub first: TableRef,
    pub joins: Vec<Join>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Join {
    pub op: JoinOp,
    pub table: TableRef,
    pub constraint: Option<JoinConstraint>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct JoinOp {
    pub natural: bool,
    pub kind: JoinKind,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JoinKind {
    /// A comma in the FROM list.
    Comma,
    Inner,
    Cross,
    Left,
    Right,
    Full,
}

#[derive(Clone, Debug, PartialEq)]
pub enum JoinConstraint {
    On(Expr),
    Using(Vec<String>),
}

#[derive(Clone, Debug, PartialEq)]
pub enum TableRef {
    Table {
        name: QualifiedName,
        alias: Option<String>,
        indexed: Option<Indexed>,
        /// Arguments of a table-valued function: `name(args)`.
        args: Option<Vec<Expr>>,
    },
    Subquery { select: Box<Select>, alias: Option<String> },
    /// A parenthesised join: `(a JOIN b ON ...)`.
    Nested { from: Box<From>, alias: Option<String> },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Indexed {
    By(String),
    NotIndexed,
}

// ---------------------------------------------------------- expressions

#[derive(Clone, Debug, PartialEq)]
pub enum Expr {
    Literal(Literal),
    /// `[[schema.]table.]column`
    Column { schema: Option<String>, table: Option<String>, column: String },
    /// A host parameter, numbered by the parser (1-based).
    Variable(i32),
    Unary(UnaryOp, Box<Expr>),
    Binary(Box<Expr>, BinaryOp, Box<Expr>),
    /// `lhs [NOT] LIKE|GLOB|REGEXP|MATCH rhs [ESCAPE e]`
    Like { lhs: Box<Expr>, not: bool, op: LikeOp, rhs: Box<Expr>, escape: Option<Box<Expr>> },
    Between { expr: Box<Expr>, not: bool, low: Box<Expr>, high: Box<Expr> },
    InList { expr: Box<Expr>, not: bool, list: Vec<Expr> },
    InSelect { expr: Box<Expr>, not: bool, select: Box<Select> },
    /// `x IN table` or `x IN table_function(args)`
    InTable { expr: Box<Expr>, not: bool, table: QualifiedName, args: Vec<Expr> },
    /// `x ISNULL`, `x IS NULL`, `x NOTNULL`, `x NOT NULL`, `x IS NOT NULL`
    IsNull { expr: Box<Expr>, not: bool },
    Exists { select: Box<Select>, not: bool },
    /// A scalar subquery `(SELECT ...)`.
    Subquery(Box<Select>),
    Case { base: Option<Box<Expr>>, whens: Vec<(Expr, Expr)>, else_: Option<Box<Expr>> },
    Cast { expr: Box<Expr>, type_name: String },
    Collate { expr: Box<Expr>, collation: String },
    Function(Box<FunctionCall>),
    Raise { kind: RaiseKind, message: Option<Box<Expr>> },
    /// A row value `(a, b, ...)` with two or more terms.
    Vector(Vec<Expr>),
    /// A bare identifier written in double quotes (`"x"`, no table
    /// qualifier). It names a column when one matches; otherwise SQLite's
    /// double-quoted-string misfeature (DQS) makes it the string 'x'.
    DoubleQuotedId(String),
}

#[derive(Clone, Debug, PartialEq)]
pub enum Literal {
    Null,
    /// An integer or real literal exactly as written (`12`, `0x1F`, `1e3`,
    /// `1_000`): the code generator decides its value, so that
    /// `-9223372036854775808` can stay an integer.
    Number(String),
    String(String),
    Blob(Vec<u8>),
    CurrentTime,
    CurrentDate,
    CurrentTimestamp,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnaryOp {
    Neg,
    Pos,
    Not,
    BitNot,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinaryOp {
    Or,
    And,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Is,
    IsNot,
    /// `IS DISTINCT FROM` is `IsNot`; `IS NOT DISTINCT FROM` is `Is`.
    BitAnd,
    BitOr,
    ShiftLeft,
    ShiftRight,
    Add,
    Subtract,
    Multiply,
    Divide,
    Remainder,
    Concat,
    /// `->`
    JsonExtract,
    /// `->>`
    JsonExtractText,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LikeOp {
    Like,
    Glob,
    Regexp,
    Match,
}

impl LikeOp {
    /// The function SQLite calls for the operator (`x LIKE y` is
    /// `like(y, x)`).
    pub fn function_name(self) -> &'static str {
        match self {
            LikeOp::Like => "like",
            LikeOp::Glob => "glob",
            LikeOp::Regexp => "regexp",
            LikeOp::Match => "match",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RaiseKind {
    Ignore,
    Rollback,
    Abort,
    Fail,
}

#[derive(Clone, Debug, PartialEq)]
pub struct FunctionCall {
    pub name: String,
    pub distinct: bool,
    pub args: FunctionArgs,
    /// `f(x ORDER BY y)` (aggregate ORDER BY).
    pub order_by: Vec<OrderingTerm>,
    pub filter: Option<Expr>,
    pub over: Option<Over>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum FunctionArgs {
    /// `count(*)`
    Star,
    List(Vec<Expr>),
}

#[derive(Clone, Debug, PartialEq)]
pub enum Over {
    Name(String),
    Window(WindowDef),
}

#[derive(Clone, Debug, PartialEq)]
pub struct WindowDef {
    pub base: Option<String>,
    pub partition_by: Vec<Expr>,
    pub order_by: Vec<OrderingTerm>,
    pub frame: Option<FrameSpec>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct FrameSpec {
    pub units: FrameUnits,
    pub start: FrameBound,
    pub end: Option<FrameBound>,
    pub exclude: Option<FrameExclude>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FrameUnits {
    Rows,
    Range,
    Groups,
}

#[derive(Clone, Debug, PartialEq)]
pub enum FrameBound {
    UnboundedPreceding,
    Preceding(Expr),
    CurrentRow,
    Following(Expr),
    UnboundedFollowing,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FrameExclude {
    NoOthers,
    CurrentRow,
    Group,
    Ties,
}

// ------------------------------------------------------------------ DML

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConflictResolution {
    Rollback,
    Abort,
    Fail,
    Ignore,
    Replace,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Insert {
    pub with: Option<With>,
    /// `INSERT OR x`; `REPLACE INTO` parses as `Some(Replace)`.
    pub or_conflict: Option<ConflictResolution>,
    pub table: QualifiedName,
    pub alias: Option<String>,
    pub columns: Vec<String>,
    pub source: InsertSource,
    pub upsert: Vec<Upsert>,
    pub returning: Vec<ResultColumn>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum InsertSource {
    /// `VALUES (..)` is a `Select` whose core is `SelectCore::Values`.
    Select(Box<Select>),
    DefaultValues,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Upsert {
    pub target: Vec<IndexedColumn>,
    pub target_where: Option<Expr>,
    pub action: UpsertAction,
}

#[derive(Clone, Debug, PartialEq)]
pub enum UpsertAction {
    Nothing,
    Update { sets: Vec<Assignment>, where_: Option<Expr> },
}

/// `col = expr` or `(c1, c2) = expr`.
#[derive(Clone, Debug, PartialEq)]
pub struct Assignment {
    pub columns: Vec<String>,
    pub expr: Expr,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Update {
    pub with: Option<With>,
    pub or_conflict: Option<ConflictResolution>,
    pub table: QualifiedName,
    pub alias: Option<String>,
    pub indexed: Option<Indexed>,
    pub sets: Vec<Assignment>,
    pub from: Option<From>,
    pub where_: Option<Expr>,
    pub returning: Vec<ResultColumn>,
    pub order_by: Vec<OrderingTerm>,
    pub limit: Option<Limit>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Delete {
    pub with: Option<With>,
    pub table: QualifiedName,
    pub alias: Option<String>,
    pub indexed: Option<Indexed>,
    pub where_: Option<Expr>,
    pub returning: Vec<ResultColumn>,
    pub order_by: Vec<OrderingTerm>,
    pub limit: Option<Limit>,
}

// ------------------------------------------------------------------ DDL

#[derive(Clone, Debug, PartialEq)]
pub struct CreateTable {
    pub temporary: bool,
    pub if_not_exists: bool,
    pub name: QualifiedName,
    pub body: CreateTableBody,
}

#[derive(Clone, Debug, PartialEq)]
pub enum CreateTableBody {
    Columns {
        columns: Vec<ColumnDef>,
        constraints: Vec<TableConstraint>,
        without_rowid: bool,
        strict: bool,
    },
    AsSelect(Box<Select>),
}

#[derive(Clone, Debug, PartialEq)]
pub struct ColumnDef {
    pub name: String,
    /// The declared type as written: the source text from its first to its
    /// last token (`VARCHAR ( 10 )`, `unsigned   big int`, `'x'`), exactly
    /// what SQLite's sqlite3AddColumn receives (it then drops a trailing
    /// "GENERATED ALWAYS", dequotes, and recognises STRICT type names); or
    /// None.
    pub type_name: Option<String>,
    pub constraints: Vec<ColumnConstraint>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ColumnConstraint {
    /// `CONSTRAINT name`: as in SQLite, a name applies to every constraint
    /// after it in the same column definition.
    pub name: Option<String>,
    pub kind: ColumnConstraintKind,
    /// For CHECK: the expression's source text between the parentheses,
    /// whitespace trimmed (comments kept), which SQLite shows in "CHECK
    /// constraint failed: ..." when the constraint has no name. None for
    /// other constraints.
    pub text: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ColumnConstraintKind {
    PrimaryKey { order: Option<SortOrder>, conflict: Option<ConflictResolution>, autoincrement: bool },
    NotNull { conflict: Option<ConflictResolution> },
    /// A bare `NULL` constraint (accepted and ignored by SQLite).
    Null,
    Unique { conflict: Option<ConflictResolution> },
    Check(Expr),
    /// `DEFAULT value`; `text` is the source text of the value.
    Default { expr: Expr, text: String },
    Collate(String),
    References(ForeignKeyClause),
    Generated { expr: Expr, stored: bool },
}

#[derive(Clone, Debug, PartialEq)]
pub struct TableConstraint {
    /// `CONSTRAINT name`: applies to every constraint after it up to the
    /// next comma, as in SQLite.
    pub name: Option<String>,
    pub kind: TableConstraintKind,
    /// For CHECK: the expression's text, as `ColumnConstraint.text`.
    pub text: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum TableConstraintKind {
    PrimaryKey { columns: Vec<IndexedColumn>, conflict: Option<ConflictResolution>, autoincrement: bool },
    Unique { columns: Vec<IndexedColumn>, conflict: Option<ConflictResolution> },
    Check(Expr),
    ForeignKey { columns: Vec<String>, clause: ForeignKeyClause },
}

#[derive(Clone, Debug, PartialEq)]
pub struct ForeignKeyClause {
    pub table: String,
    pub columns: Vec<String>,
    pub on_delete: Option<ForeignKeyAction>,
    pub on_update: Option<ForeignKeyAction>,
    /// `DEFERRABLE INITIALLY DEFERRED`
    pub deferred: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ForeignKeyAction {
    SetNull,
    SetDefault,
    Cascade,
    Restrict,
    NoAction,
}

/// A column of an index, a PRIMARY KEY or a UNIQUE constraint.
#[derive(Clone, Debug, PartialEq)]
pub struct IndexedColumn {
    /// A plain column name is `Expr::Column`; anything else is an
    /// expression index term.
    pub expr: Expr,
    pub collation: Option<String>,
    pub order: Option<SortOrder>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct CreateIndex {
    pub unique: bool,
    pub if_not_exists: bool,
    pub name: QualifiedName,
    pub table: String,
    pub columns: Vec<IndexedColumn>,
    pub where_: Option<Expr>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct CreateView {
    pub temporary: bool,
    pub if_not_exists: bool,
    pub name: QualifiedName,
    pub columns: Vec<String>,
    pub select: Box<Select>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct CreateTrigger {
    pub temporary: bool,
    pub if_not_exists: bool,
    pub name: QualifiedName,
    pub time: TriggerTime,
    pub event: TriggerEvent,
    pub table: QualifiedName,
    pub for_each_row: bool,
    pub when: Option<Expr>,
    pub body: Vec<Stmt>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TriggerTime {
    Before,
    After,
    InsteadOf,
}

#[derive(Clone, Debug, PartialEq)]
pub enum TriggerEvent {
    Delete,
    Insert,
    Update(Vec<String>),
}

#[derive(Clone, Debug, PartialEq)]
pub struct CreateVirtualTable {
    pub if_not_exists: bool,
    pub name: QualifiedName,
    pub module: String,
    /// Module arguments as source text, one per comma-separated argument.
    pub args: Vec<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Drop {
    pub kind: DropKind,
    pub if_exists: bool,
    pub name: QualifiedName,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DropKind {
    Table,
    Index,
    View,
    Trigger,
}

#[derive(Clone, Debug, PartialEq)]
pub struct AlterTable {
    pub table: QualifiedName,
    pub action: AlterAction,
}

#[derive(Clone, Debug, PartialEq)]
pub enum AlterAction {
    RenameTo(String),
    /// `new_quoted`: the new name was written quoted, so the schema text
    /// gets it quoted everywhere (as SQLite writes it).
    RenameColumn { old: String, new: String, new_quoted: bool },
    AddColumn(ColumnDef),
    DropColumn(String),
    /// `DROP CONSTRAINT name` (SQLite 3.5x).
    DropConstraint(String),
    /// `ALTER [COLUMN] c DROP NOT NULL`
    DropNotNull(String),
    /// `ALTER [COLUMN] c SET NOT NULL [ON CONFLICT x]`
    SetNotNull { column: String, conflict: Option<ConflictResolution> },
    /// `ADD [CONSTRAINT name] CHECK (expr) [ON CONFLICT x]`; `text` as
    /// `ColumnConstraint.text`.
    AddCheck { name: Option<String>, expr: Expr, text: String },
}

#[derive(Clone, Debug, PartialEq)]
pub struct Pragma {
    pub name: QualifiedName,
    pub value: Option<PragmaValue>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum PragmaValue {
    /// `PRAGMA x = value`
    Assign(Expr),
    /// `PRAGMA x(value)`
    Call(Expr),
}
