//! Application-defined functions and collations: the per-connection
//! registry behind `sqlite3_create_function` and `sqlite3_create_collation`.
//!
//! The engine knows user functions only through the [`UserFunction`] trait
//! and user collations through [`UserCollation`]; the C layer implements
//! them with the application's callbacks. A [`Registry`] is an immutable
//! snapshot shared through an `Arc`: the connection replaces it on every
//! change and bumps [`Registry::generation`], which makes prepared
//! statements recompile before their next run (SQLite expires them).
//!
//! Name resolution while compiling (and while loading a schema, whose
//! column collations are resolved at load time) reads the registry of the
//! connection doing the work through [`with_registry`], a scoped
//! thread-local, so the code generator's free functions need no extra
//! parameter.
//!
//! Lookup follows SQLite: user functions first, scored by argument count
//! (exact beats "any") and text encoding (the database's preferred, then
//! the other UTF-16 byte order when the database is UTF-16), the most
//! recent registration winning ties; built-ins only when no user entry
//! matches. A deleted registration stays as a tombstone that hides
//! built-ins of the same name and arity, as in SQLite. The destructor of
//! an entry runs exactly once: when it is replaced or deleted, or when the
//! last reference to it goes away (the connection closing).

use std::cell::RefCell;
use std::cmp::Ordering;
use std::sync::{Arc, Mutex};

use super::{find_builtin, Aggregate, FuncDef};
use crate::collation::CollSeq;
use crate::error::Result;
use crate::value::Value;

/// Text encodings as SQLite numbers them.
pub const UTF8: u8 = 1;
pub const UTF16LE: u8 = 2;
pub const UTF16BE: u8 = 3;

/// The callbacks of one application function.
pub trait UserFunction: Send + Sync {
    /// Whether this is an aggregate (xStep + xFinal) rather than a scalar.
    fn is_aggregate(&self) -> bool;
    /// Calls a scalar function.
    fn call(&self, args: &[Value]) -> Result<Value>;
    /// Calls a scalar function from a running statement, lending it the
    /// statement's connection (a `crate::connection::Connection`, passed
    /// as `Any` because the function library sits below the connection):
    /// an application function may use its own connection, as SQLite
    /// allows. The default ignores the connection.
    fn call_with(&self, args: &[Value], conn: &mut dyn std::any::Any) -> Result<Value> {
        let _ = conn;
        self.call(args)
    }
    /// A fresh accumulator for one aggregate group.
    fn start(&self) -> Box<dyn Aggregate>;
    /// Whether the aggregate may be used as a window function (it has
    /// xValue and xInverse: `sqlite3_create_window_function`).
    fn is_window(&self) -> bool {
        false
    }
}

/// An application-defined comparison of two texts.
pub trait UserCollation: Send + Sync {
    fn compare(&self, a: &[u8], b: &[u8]) -> Ordering;
}

/// Runs an application's destructor once.
pub type Destroy = Box<dyn FnOnce() + Send>;

struct Destructor(Mutex<Option<Destroy>>);

impl Destructor {
    fn new(d: Option<Destroy>) -> Destructor {
        Destructor(Mutex::new(d))
    }
    fn run(&self) {
        let d = match self.0.lock() {
            Ok(mut g) => g.take(),
            Err(p) => p.into_inner().take(),
        };
        if let Some(d) = d {
            d();
        }
    }
    /// Forgets the destructor without running it.
    fn forget(&self) {
        if let Ok(mut g) = self.0.lock() {
            g.take();
        }
    }
}

impl Drop for Destructor {
    fn drop(&mut self) {
        self.run();
    }
}

/// One registration of a function name for an argument count and encoding.
pub struct UserFunc {
    /// The name, lower-cased.
    pub name: String,
    /// Exact argument count, or -1 for any.
    pub n_arg: i32,
    pub enc: u8,
    /// SQLITE_DETERMINISTIC, SQLITE_DIRECTONLY, SQLITE_INNOCUOUS... as given.
    pub flags: u32,
    /// None for a deleted registration.
    pub imp: Option<Box<dyn UserFunction>>,
    destroy: Destructor,
}

impl UserFunc {
    /// A function a virtual table's xFindFunction put in place of `name`
    /// for one call (SQLite's ephemeral FuncDef): no destructor.
    pub fn overloaded(name: &str, n_arg: i32, imp: Box<dyn UserFunction>) -> UserFunc {
        UserFunc { name: name.to_ascii_lowercase(), n_arg, enc: UTF8, flags: 0, imp: Some(imp), destroy: Destructor::new(None) }
    }

    pub fn is_aggregate(&self) -> bool {
        self.imp.as_ref().is_some_and(|i| i.is_aggregate())
    }

    /// SQLite's match quality for a call in a database of text encoding
    /// `db_enc`: 0 for no match, higher is better.
    fn score(&self, n_arg: usize, db_enc: u8) -> u32 {
        let mut s = if self.n_arg >= 0 {
            if self.n_arg as usize != n_arg {
                return 0;
            }
            4
        } else {
            1
        };
        if self.enc == db_enc {
            s += 2;
        } else if self.enc != UTF8 && db_enc != UTF8 {
            // Both UTF-16, in different byte orders.
            s += 1;
        }
        s
    }
}

impl std::fmt::Debug for UserFunc {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.name, self.n_arg)
    }
}

/// One registered collation.
pub struct UserColl {
    /// The name as registered.
    pub name: String,
    pub enc: u8,
    /// None for a removed collation that still holds a destructor.
    pub imp: Option<Arc<dyn UserCollation>>,
    destroy: Destructor,
}

/// The user functions and collations of one connection.
#[derive(Clone, Default)]
pub struct Registry {
    /// Most recent first.
    funcs: Vec<Arc<UserFunc>>,
    colls: Vec<Arc<UserColl>>,
    /// Bumped on every change that must expire prepared statements.
    pub generation: u64,
}

/// The outcome of looking up a function name for a call.
pub enum Found {
    User(Arc<UserFunc>),
    Builtin(&'static FuncDef),
    /// No usable function (or a deleted registration hides the built-in).
    None,
}

/// Why a registration change was refused.
#[derive(Debug, PartialEq, Eq)]
pub enum ChangeError {
    /// Replacing or deleting while statements run (SQLITE_BUSY).
    Busy,
}

impl Registry {
    /// The best user registration for a call with `n_arg` arguments.
    fn best_user(&self, name: &str, n_arg: usize, db_enc: u8) -> Option<&Arc<UserFunc>> {
        let mut best: Option<&Arc<UserFunc>> = None;
        let mut best_score = 0;
        for f in &self.funcs {
            if f.name.eq_ignore_ascii_case(name) {
                let s = f.score(n_arg, db_enc);
                if s > best_score {
                    best = Some(f);
                    best_score = s;
                }
            }
        }
        best
    }

    /// Resolves a call in a database of text encoding `db_enc` (SQLite's
    /// numbering): user functions first, then built-ins.
    pub fn find_function(&self, name: &str, n_arg: usize, db_enc: u8) -> Found {
        match self.best_user(name, n_arg, db_enc) {
            Some(f) if f.imp.is_some() => Found::User(f.clone()),
            Some(_) => Found::None,
            None => find_builtin(name, n_arg).map_or(Found::None, Found::Builtin),
        }
    }

    /// Whether any usable function has this name (for "wrong number of
    /// arguments" against "no such function").
    pub fn function_exists(&self, name: &str) -> bool {
        self.funcs.iter().any(|f| f.imp.is_some() && f.name.eq_ignore_ascii_case(name)) || super::builtin_exists(name)
    }

    /// Registers, replaces or (with `imp` None) deletes a function.
    /// `active` says whether statements are running. On success the
    /// replaced entry's destructor has run; the new destructor is kept
    /// (or, for deleting something that does not exist, run at once).
    #[allow(clippy::too_many_arguments)]
    pub fn set_function(&mut self, name: &str, n_arg: i32, enc: u8, flags: u32, imp: Option<Box<dyn UserFunction>>, destroy: Option<Destroy>, active: bool) -> std::result::Result<(), ChangeError> {
        let pos = self.funcs.iter().position(|f| f.name.eq_ignore_ascii_case(name) && f.n_arg == n_arg && f.enc == enc);
        match pos {
            Some(_) if active => {
                if let Some(d) = destroy {
                    d();
                }
                return Err(ChangeError::Busy);
            }
            Some(i) => {
                let old = self.funcs.remove(i);
                old.destroy.run();
            }
            None if imp.is_none() => {
                if let Some(d) = destroy {
                    d();
                }
                return Ok(());
            }
            None => {}
        }
        self.generation += 1;
        self.funcs.insert(0, Arc::new(UserFunc { name: name.to_ascii_lowercase(), n_arg, enc, flags, imp, destroy: Destructor::new(destroy) }));
        Ok(())
    }

    /// The collation `name` for a database of text encoding `db_enc`: a
    /// user one first (the registration in that encoding, else as SQLite
    /// falls back), then a built-in.
    pub fn collation_in(&self, name: &str, db_enc: u8) -> Option<CollSeq> {
        // Without a registration in the database encoding SQLite takes
        // the first of UTF-16be, UTF-16le, UTF-8 that exists.
        let rank = |enc: u8| match enc {
            e if e == db_enc => 0,
            UTF16BE => 1,
            UTF16LE => 2,
            _ => 3,
        };
        let mut tomb = false;
        let mut found: Option<&Arc<UserColl>> = None;
        for c in &self.colls {
            if c.name.eq_ignore_ascii_case(name) {
                match &c.imp {
                    Some(_) if found.is_none_or(|f| rank(c.enc) < rank(f.enc)) => found = Some(c),
                    Some(_) => {}
                    None => tomb = true,
                }
            }
        }
        if let Some(c) = found {
            let imp = c.imp.clone()?;
            return Some(CollSeq::User { name: c.name.clone(), cmp: Arc::new(move |a: &[u8], b: &[u8]| imp.compare(a, b)) });
        }
        if tomb {
            return None;
        }
        CollSeq::builtin(name)
    }

    /// The collation `name` for a UTF-8 database.
    pub fn collation(&self, name: &str) -> Option<CollSeq> {
        self.collation_in(name, UTF8)
    }

    /// Registers, replaces or (with `imp` None) removes a collation. The
    /// destructor of a replaced collation runs; a failed call runs none.
    pub fn set_collation(&mut self, name: &str, enc: u8, imp: Option<Arc<dyn UserCollation>>, destroy: Option<Destroy>, active: bool) -> std::result::Result<(), ChangeError> {
        let pos = self.colls.iter().position(|c| c.name.eq_ignore_ascii_case(name) && c.enc == enc);
        if let Some(i) = pos {
            let old = self.colls.remove(i);
            if old.imp.is_some() {
                if active {
                    self.colls.insert(i, old);
                    return Err(ChangeError::Busy);
                }
                old.destroy.run();
            } else {
                // A removed collation's destructor is forgotten when the
                // name is registered again, as in SQLite.
                old.destroy.forget();
            }
        }
        self.generation += 1;
        self.colls.insert(0, Arc::new(UserColl { name: name.to_string(), enc, imp, destroy: Destructor::new(destroy) }));
        Ok(())
    }

    /// The names of the registered user functions (for PRAGMA
    /// function_list and tests).
    pub fn functions(&self) -> impl Iterator<Item = &Arc<UserFunc>> {
        self.funcs.iter().filter(|f| f.imp.is_some())
    }
}

thread_local! {
    /// Bit i: argument i of the application function being called came
    /// straight from a bound parameter (sqlite3_value_frombind).
    static ARG_BINDS: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
    /// The subtypes of the arguments of the function being called
    /// (sqlite3_value_subtype); empty when none has one.
    static ARG_SUBTYPES: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
    /// The subtype the function just called gave its result
    /// (sqlite3_result_subtype), until the VM takes it.
    static RESULT_SUBTYPE: std::cell::Cell<u8> = const { std::cell::Cell::new(0) };
    static CURRENT: RefCell<Option<Arc<Registry>>> = const { RefCell::new(None) };
    /// The text encoding of the connection compiling (SQLite's numbering).
    static CURRENT_ENC: std::cell::Cell<u8> = const { std::cell::Cell::new(UTF8) };
}

/// Restores the previous registry when a [`with_registry`] scope ends,
/// also by unwinding.
struct Restore(Option<Arc<Registry>>, u8);

impl Drop for Restore {
    fn drop(&mut self) {
        let prev = self.0.take();
        CURRENT.with(|c| *c.borrow_mut() = prev);
        CURRENT_ENC.with(|e| e.set(self.1));
    }
}

/// Runs `f` with `reg` as the registry name lookups consult (for a UTF-8
/// database).
pub fn with_registry<R>(reg: &Arc<Registry>, f: impl FnOnce() -> R) -> R {
    with_registry_in(reg, UTF8, f)
}

/// Runs `f` with `reg` as the registry name lookups consult, for a
/// database of text encoding `db_enc` (which scores registrations).
pub fn with_registry_in<R>(reg: &Arc<Registry>, db_enc: u8, f: impl FnOnce() -> R) -> R {
    let prev = CURRENT.with(|c| c.borrow_mut().replace(reg.clone()));
    let prev_enc = CURRENT_ENC.with(|e| e.replace(db_enc));
    let _restore = Restore(prev, prev_enc);
    f()
}

fn current() -> Option<Arc<Registry>> {
    CURRENT.with(|c| c.borrow().clone())
}

/// Resolves a function call against the current connection's registry
/// (built-ins only outside [`with_registry`]).
pub fn find_function(name: &str, n_arg: usize) -> Found {
    match current() {
        Some(r) => r.find_function(name, n_arg, CURRENT_ENC.with(|e| e.get())),
        None => find_builtin(name, n_arg).map_or(Found::None, Found::Builtin),
    }
}

/// Whether a function of this name exists at all.
pub fn function_exists(name: &str) -> bool {
    match current() {
        Some(r) => r.function_exists(name),
        None => super::builtin_exists(name),
    }
}

/// Whether `name` with `n_arg` arguments resolves to an aggregate.
pub fn is_aggregate(name: &str, n_arg: usize) -> bool {
    match find_function(name, n_arg) {
        Found::User(f) => f.is_aggregate(),
        Found::Builtin(d) => d.is_aggregate(),
        Found::None => false,
    }
}

/// The collation `name` for the current connection: user collations,
/// then the built-ins.
pub fn collation(name: &str) -> Option<CollSeq> {
    match current() {
        Some(r) => r.collation_in(name, CURRENT_ENC.with(|e| e.get())),
        None => CollSeq::builtin(name),
    }
}

#[cfg(test)]
mod tests;

/// Runs `f` (a call of an application function) with `mask` as the
/// arguments that came straight from bound parameters: bit i for
/// argument i (the first 64). The C layer reads it with [`arg_binds`] as
/// it builds the call's sqlite3_value objects.
pub fn with_arg_binds<R>(mask: u64, f: impl FnOnce() -> R) -> R {
    let prev = ARG_BINDS.with(|c| c.replace(mask));
    let r = f();
    ARG_BINDS.with(|c| c.set(prev));
    r
}

/// The mask [`with_arg_binds`] set for the call in progress (0 outside).
pub fn arg_binds() -> u64 {
    ARG_BINDS.with(|c| c.get())
}

/// Runs `f` (a function call) with `subtypes` as its arguments' subtypes
/// (argument i: `subtypes[i]`; an empty list: none has one).
pub fn with_arg_subtypes<R>(subtypes: Vec<u8>, f: impl FnOnce() -> R) -> R {
    let prev = ARG_SUBTYPES.with(|c| std::mem::replace(&mut *c.borrow_mut(), subtypes));
    let r = f();
    ARG_SUBTYPES.with(|c| *c.borrow_mut() = prev);
    r
}

/// Whether the call in progress was given argument subtypes.
pub fn has_arg_subtypes() -> bool {
    ARG_SUBTYPES.with(|c| !c.borrow().is_empty())
}

/// The subtype of argument `i` of the call in progress (0: none).
pub fn arg_subtype(i: usize) -> u8 {
    ARG_SUBTYPES.with(|c| c.borrow().get(i).copied().unwrap_or(0))
}

/// The function being called gives its result subtype `t`.
pub fn set_result_subtype(t: u8) {
    RESULT_SUBTYPE.with(|c| c.set(t));
}

/// The result subtype of the function just called (0: none), cleared.
pub fn take_result_subtype() -> u8 {
    RESULT_SUBTYPE.with(|c| c.replace(0))
}
