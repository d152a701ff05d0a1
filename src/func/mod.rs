//! The built-in SQL function library and its registry.
//!
//! The VDBE looks functions up with [`find_builtin`] (case-insensitive;
//! an entry with the exact argument count wins over a variadic one) and
//! calls scalars directly or drives aggregates through [`Aggregate`].
//! Functions reach connection state (last rowid, change counts, the
//! PRNG, collations) only through [`FuncEnv`].
//!
//! Argument-count encoding in [`FuncDef::n_arg`] follows SQLite: `>= 0`
//! exact, `-1` any number, `-3` one or more, `-4` two or more.
//!
//! Errors carry SQLite's messages (`integer overflow`, `string or blob too
//! big`...).
//!
//! Provided: the core scalars and aggregates of func.c, the date/time
//! functions of date.c and the SQLITE_ENABLE_MATH_FUNCTIONS library. Not
//! provided (so "no such function"): JSON, window-only functions
//! (row_number, rank, lag, ...), soundex (not in default builds),
//! load_extension, sqlite_compileoption_*, sqlite_log.

use crate::collation::CollSeq;
use crate::error::Result;
use crate::value::Value;

mod agg;
mod date;
mod math;
pub mod ordered;
mod pattern;
mod scalar;
mod string;
pub mod user;

pub use pattern::{glob_match, like_match};
pub use string::quote_value;

/// What a function may ask of the connection running it.
pub trait FuncEnv {
    fn last_insert_rowid(&self) -> i64;
    fn changes(&self) -> i64;
    fn total_changes(&self) -> i64;
    /// Fills `buf` from the connection's PRNG.
    fn randomness(&mut self, buf: &mut [u8]);
    /// A collation by name (for collation-aware functions).
    fn collation(&self, name: &str) -> Option<CollSeq>;
    /// `SQLITE_LIMIT_LENGTH`: the largest string or blob a function may
    /// return before failing with "string or blob too big".
    fn max_length(&self) -> usize {
        1_000_000_000
    }
    /// Whether `LIKE` is case sensitive (`PRAGMA case_sensitive_like`).
    fn case_sensitive_like(&self) -> bool {
        false
    }
    /// The collating sequence of the current call, for the functions that
    /// compare text (`min`, `max` scalar and aggregate, `nullif`: see
    /// [`FuncDef::needs_collation`]). SQLite takes it from the arguments'
    /// COLLATE clauses (OP_CollSeq); BINARY by default.
    fn function_collation(&self) -> CollSeq {
        CollSeq::Binary
    }
    /// The connection's database text encoding: it decides BINARY's order
    /// and what bytes `hex()` and text/blob conversions see.
    fn text_encoding(&self) -> crate::util::TextEncoding {
        crate::util::TextEncoding::Utf8
    }
    /// The running statement's connection (a `crate::connection::
    /// Connection`), for an application function that uses it (see
    /// `UserFunction::call_with`); None where there is none.
    fn connection(&mut self) -> Option<&mut dyn std::any::Any> {
        None
    }
    /// The current time for date/time functions' `'now'`, in milliseconds
    /// since the Unix epoch. SQLite keeps it fixed for the duration of one
    /// statement step; the VDBE should do the same. The default reads the
    /// system clock.
    /// Seconds east of UTC of local time at `unix_seconds` (for the
    /// `localtime` and `utc` modifiers); `None` fails with "local time
    /// unavailable". The default is UTC; the C layer can consult the
    /// system's time zone.
    fn local_time_offset(&mut self, _unix_seconds: i64) -> Option<i64> {
        Some(0)
    }
    /// Where a deterministic result is required (SQLite's OP_PureFunc):
    /// `Some("a CHECK constraint")`, `Some("an index")` or
    /// `Some("a generated column")`. Date/time functions then reject
    /// 'now', 'localtime' and 'utc' with "non-deterministic use of
    /// date() in a CHECK constraint".
    fn pure_context(&self) -> Option<&'static str> {
        None
    }
    fn current_time_ms(&mut self) -> i64 {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_millis() as i64)
            .unwrap_or(0)
    }
}

/// A scalar function.
pub type ScalarFn = fn(args: &[Value], env: &mut dyn FuncEnv) -> Result<Value>;

/// An aggregate's running state: `step` once per row, `finalize` once.
pub trait Aggregate: Send {
    fn step(&mut self, args: &[Value], env: &mut dyn FuncEnv) -> Result<()>;
    fn finalize(&mut self, env: &mut dyn FuncEnv) -> Result<Value>;
    /// For min()/max(): whether the last `step` replaced the current
    /// best value (SQLite then loads the row's bare columns). Other
    /// aggregates always report true.
    fn accumulator_changed(&self) -> bool {
        true
    }
    /// Window functions: whether [`Aggregate::inverse`] is available
    /// (SQLite's xInverse: count, sum, total, avg, group_concat,
    /// string_agg). Without it the VDBE must recompute each frame.
    fn has_inverse(&self) -> bool {
        false
    }
    /// Window functions: removes a row that left the frame. SQLite calls
    /// it before stepping the row that enters the frame (group_concat's
    /// separators depend on that order).
    fn inverse(&mut self, _args: &[Value], _env: &mut dyn FuncEnv) -> Result<()> {
        Err(crate::error::Error::code(crate::error::code::INTERNAL))
    }
    /// Window functions: the current value, leaving the state usable
    /// (SQLite's xValue). Defaults to `finalize`, which for the built-ins
    /// does not consume the state.
    fn value(&mut self, env: &mut dyn FuncEnv) -> Result<Value> {
        self.finalize(env)
    }
}

pub enum FuncKind {
    Scalar(ScalarFn),
    Aggregate(fn() -> Box<dyn Aggregate>),
}

pub struct FuncDef {
    pub name: &'static str,
    /// Exact count (>= 0), -1 any, -3 at least one, -4 at least two.
    pub n_arg: i32,
    pub deterministic: bool,
    pub kind: FuncKind,
}

impl FuncDef {
    /// Whether this entry accepts `n` arguments.
    pub fn accepts(&self, n: usize) -> bool {
        match self.n_arg {
            k if k >= 0 => k as usize == n,
            -1 => true,
            k => n >= (-2 - k) as usize,
        }
    }

    pub fn is_aggregate(&self) -> bool {
        matches!(self.kind, FuncKind::Aggregate(_))
    }

    /// Whether the function compares text and so must be given the
    /// collating sequence of its arguments through
    /// [`FuncEnv::function_collation`] (SQLite's SQLITE_FUNC_NEEDCOLL).
    pub fn needs_collation(&self) -> bool {
        matches!(self.name, "min" | "max" | "nullif")
    }

    /// Whether the function looks at a BLOB argument's bytes (or passes the
    /// value through) rather than reading it as text or as a number. In a
    /// UTF-16 database the VDBE hands every other function its BLOB
    /// arguments as text translated from the database encoding, which is
    /// what SQLite's `sqlite3_value_text`/`_double` on a blob read.
    pub fn sees_blob_bytes(&self) -> bool {
        matches!(
            self.name,
            "length" | "octet_length" | "hex" | "quote" | "unistr_quote" | "substr" | "substring" | "instr" | "typeof"
                | "coalesce" | "ifnull" | "iif" | "if" | "nullif" | "min" | "max" | "likelihood" | "likely" | "unlikely"
                | "subtype" | "count" | "concat" | "concat_ws"
        )
    }
}

const fn s(name: &'static str, n_arg: i32, f: ScalarFn) -> FuncDef {
    FuncDef { name, n_arg, deterministic: true, kind: FuncKind::Scalar(f) }
}
const fn v(name: &'static str, n_arg: i32, f: ScalarFn) -> FuncDef {
    FuncDef { name, n_arg, deterministic: false, kind: FuncKind::Scalar(f) }
}
const fn a(name: &'static str, n_arg: i32, f: fn() -> Box<dyn Aggregate>) -> FuncDef {
    FuncDef { name, n_arg, deterministic: true, kind: FuncKind::Aggregate(f) }
}

static BUILTINS: &[FuncDef] = &[
    // Aggregates.
    a("count", 0, agg::new_count),
    a("count", 1, agg::new_count),
    a("sum", 1, agg::new_sum),
    a("total", 1, agg::new_total),
    a("avg", 1, agg::new_avg),
    a("min", 1, agg::new_min),
    a("max", 1, agg::new_max),
    a("group_concat", 1, agg::new_group_concat),
    a("group_concat", 2, agg::new_group_concat),
    a("string_agg", 2, agg::new_group_concat),
    // Core scalars.
    s("min", -3, scalar::min),
    s("max", -3, scalar::max),
    s("abs", 1, scalar::abs),
    v("changes", 0, scalar::changes),
    v("total_changes", 0, scalar::total_changes),
    v("last_insert_rowid", 0, scalar::last_insert_rowid),
    s("coalesce", -4, scalar::coalesce),
    s("ifnull", 2, scalar::coalesce),
    s("iif", -4, scalar::iif),
    s("if", -4, scalar::iif),
    s("nullif", 2, scalar::nullif),
    s("likely", 1, scalar::first_arg),
    s("unlikely", 1, scalar::first_arg),
    s("likelihood", 2, scalar::likelihood),
    s("typeof", 1, scalar::type_of),
    s("subtype", 1, scalar::subtype),
    v("sqlite_version", 0, scalar::sqlite_version),
    v("sqlite_source_id", 0, scalar::sqlite_source_id),
    v("random", 0, scalar::random),
    v("randomblob", 1, scalar::randomblob),
    s("zeroblob", 1, scalar::zeroblob),
    s("printf", -1, scalar::printf),
    s("format", -1, scalar::printf),
    s("round", 1, math::round),
    s("round", 2, math::round),
    s("sign", 1, math::sign),
    // Strings.
    s("length", 1, string::length),
    s("octet_length", 1, string::octet_length),
    s("lower", 1, string::lower),
    s("upper", 1, string::upper),
    s("ltrim", 1, string::ltrim),
    s("ltrim", 2, string::ltrim),
    s("rtrim", 1, string::rtrim),
    s("rtrim", 2, string::rtrim),
    s("trim", 1, string::trim),
    s("trim", 2, string::trim),
    s("substr", 2, string::substr),
    s("substr", 3, string::substr),
    s("substring", 2, string::substr),
    s("substring", 3, string::substr),
    s("instr", 2, string::instr),
    s("replace", 3, string::replace),
    s("hex", 1, string::hex),
    s("unhex", 1, string::unhex),
    s("unhex", 2, string::unhex),
    s("quote", 1, string::quote),
    s("unistr", 1, string::unistr),
    s("unistr_quote", 1, string::unistr_quote),
    s("char", -1, string::char_fn),
    s("unicode", 1, string::unicode),
    s("concat", -3, string::concat),
    s("concat_ws", -4, string::concat_ws),
    s("like", 2, pattern::like2),
    s("like", 3, pattern::like3),
    s("glob", 2, pattern::glob),
    // Date and time. Deterministic as in SQLite (SQLITE_FUNC_CONSTANT);
    // SQLite rejects 'now', 'localtime' and 'utc' at run time where a
    // deterministic result is required (CHECK, index expressions,
    // generated columns), which is the VDBE's call.
    s("julianday", -1, date::julianday),
    s("unixepoch", -1, date::unixepoch),
    s("date", -1, date::date),
    s("time", -1, date::time),
    s("datetime", -1, date::datetime),
    s("strftime", -1, date::strftime),
    s("timediff", 2, date::timediff),
    v("current_time", 0, date::current_time),
    v("current_date", 0, date::current_date),
    v("current_timestamp", 0, date::current_timestamp),
    // Math (SQLITE_ENABLE_MATH_FUNCTIONS).
    s("ceil", 1, math::ceil),
    s("ceiling", 1, math::ceil),
    s("floor", 1, math::floor),
    s("trunc", 1, math::trunc),
    s("ln", 1, math::ln),
    s("log", 1, math::log10),
    s("log10", 1, math::log10),
    s("log2", 1, math::log2),
    s("log", 2, math::log_base),
    s("exp", 1, math::exp),
    s("pow", 2, math::pow),
    s("power", 2, math::pow),
    s("mod", 2, math::fmod),
    s("acos", 1, math::acos),
    s("asin", 1, math::asin),
    s("atan", 1, math::atan),
    s("atan2", 2, math::atan2),
    s("cos", 1, math::cos),
    s("sin", 1, math::sin),
    s("tan", 1, math::tan),
    s("cosh", 1, math::cosh),
    s("sinh", 1, math::sinh),
    s("tanh", 1, math::tanh),
    s("acosh", 1, math::acosh),
    s("asinh", 1, math::asinh),
    s("atanh", 1, math::atanh),
    s("sqrt", 1, math::sqrt),
    s("radians", 1, math::radians),
    s("degrees", 1, math::degrees),
    s("pi", 0, math::pi),
];

/// The built-in function `name` taking `n_arg` arguments, if any. Names
/// match case-insensitively; an exact argument count beats a variadic
/// entry.
pub fn find_builtin(name: &str, n_arg: usize) -> Option<&'static FuncDef> {
    let mut best: Option<&'static FuncDef> = None;
    for f in BUILTINS {
        if f.name.eq_ignore_ascii_case(name) && f.accepts(n_arg) {
            if f.n_arg >= 0 {
                return Some(f);
            }
            best = best.or(Some(f));
        }
    }
    best
}

/// Whether any built-in has this name (to choose between "no such
/// function" and "wrong number of arguments").
pub fn builtin_exists(name: &str) -> bool {
    BUILTINS.iter().any(|f| f.name.eq_ignore_ascii_case(name))
}

/// All built-in definitions (for `PRAGMA function_list`).
pub fn builtins() -> &'static [FuncDef] {
    BUILTINS
}

/// The "string or blob too big" error.
pub(crate) fn too_big() -> crate::error::Error {
    crate::error::Error::code(crate::error::code::TOOBIG)
}

#[cfg(test)]
pub(crate) mod tests;
