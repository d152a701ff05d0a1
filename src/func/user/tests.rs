//! Registry tests: lookup order, overloading, replacement and destructors.

use std::sync::atomic::{AtomicUsize, Ordering as AO};
use std::sync::Arc;

use super::*;
use crate::error::Result;

struct Const(i64);

impl UserFunction for Const {
    fn is_aggregate(&self) -> bool {
        false
    }
    fn call(&self, _args: &[Value]) -> Result<Value> {
        Ok(Value::Integer(self.0))
    }
    fn start(&self) -> Box<dyn Aggregate> {
        unreachable!("scalar")
    }
}

fn counter() -> (Arc<AtomicUsize>, impl Fn() -> Option<Destroy>) {
    let n = Arc::new(AtomicUsize::new(0));
    let n2 = n.clone();
    (n, move || {
        let n3 = n2.clone();
        Some(Box::new(move || {
            n3.fetch_add(1, AO::SeqCst);
        }) as Destroy)
    })
}

fn value_of(r: &Registry, name: &str, n: usize) -> Option<Value> {
    match r.find_function(name, n, UTF8) {
        Found::User(f) => f.imp.as_ref().map(|i| i.call(&[]).unwrap()),
        _ => None,
    }
}

#[test]
fn exact_count_beats_any_and_user_beats_builtin() {
    let mut r = Registry::default();
    r.set_function("f", -1, UTF8, 0, Some(Box::new(Const(1))), None, false).unwrap();
    r.set_function("F", 2, UTF8, 0, Some(Box::new(Const(2))), None, false).unwrap();
    assert_eq!(value_of(&r, "f", 2), Some(Value::Integer(2)));
    assert_eq!(value_of(&r, "f", 3), Some(Value::Integer(1)));
    assert!(matches!(r.find_function("abs", 1, UTF8), Found::Builtin(_)));
    r.set_function("abs", 1, UTF8, 0, Some(Box::new(Const(7))), None, false).unwrap();
    assert_eq!(value_of(&r, "ABS", 1), Some(Value::Integer(7)));
    assert!(r.function_exists("f") && !r.function_exists("g"));
}

#[test]
fn the_database_encoding_picks_among_registrations() {
    let mut r = Registry::default();
    r.set_function("f", 0, UTF16BE, 0, Some(Box::new(Const(3))), None, false).unwrap();
    r.set_function("f", 0, UTF8, 0, Some(Box::new(Const(1))), None, false).unwrap();
    let pick = |enc| match r.find_function("f", 0, enc) {
        Found::User(f) => f.imp.as_ref().map(|i| i.call(&[]).unwrap()),
        _ => None,
    };
    assert_eq!(pick(UTF8), Some(Value::Integer(1)));
    assert_eq!(pick(UTF16BE), Some(Value::Integer(3)));
    // The other UTF-16 byte order beats UTF-8 in a UTF-16le database.
    assert_eq!(pick(UTF16LE), Some(Value::Integer(3)));
}

#[test]
fn replace_and_delete_run_destructors_once() {
    let (n, d) = counter();
    let mut r = Registry::default();
    r.set_function("f", 1, UTF8, 0, Some(Box::new(Const(1))), d(), false).unwrap();
    let g0 = r.generation;
    r.set_function("f", 1, UTF8, 0, Some(Box::new(Const(2))), d(), false).unwrap();
    assert_eq!(n.load(AO::SeqCst), 1);
    assert!(r.generation > g0);
    // Busy: refused, the new destructor runs at once.
    assert_eq!(r.set_function("f", 1, UTF8, 0, Some(Box::new(Const(3))), d(), true), Err(ChangeError::Busy));
    assert_eq!(n.load(AO::SeqCst), 2);
    r.set_function("f", 1, UTF8, 0, None, None, false).unwrap();
    assert_eq!(n.load(AO::SeqCst), 3);
    assert!(matches!(r.find_function("f", 1, UTF8), Found::None));
    // Deleting something that does not exist runs the destructor.
    r.set_function("nothing", 1, UTF8, 0, None, d(), false).unwrap();
    assert_eq!(n.load(AO::SeqCst), 4);
    r.set_function("g", 0, UTF8, 0, Some(Box::new(Const(1))), d(), false).unwrap();
    drop(r);
    assert_eq!(n.load(AO::SeqCst), 5);
}

struct Rev;
impl UserCollation for Rev {
    fn compare(&self, a: &[u8], b: &[u8]) -> Ordering {
        b.cmp(a)
    }
}

#[test]
fn collations_resolve_through_the_current_registry() {
    let (n, d) = counter();
    let mut r = Registry::default();
    r.set_collation("rev", UTF8, Some(Arc::new(Rev)), d(), false).unwrap();
    let r = Arc::new(r);
    assert!(collation("rev").is_none());
    let c = with_registry(&r, || collation("REV")).unwrap();
    assert_eq!(c.compare(b"a", b"b"), Ordering::Greater);
    assert_eq!(with_registry(&r, || collation("nocase")), Some(CollSeq::NoCase));
    let mut r2 = (*r).clone();
    assert_eq!(r2.set_collation("rev", UTF8, Some(Arc::new(Rev)), None, true), Err(ChangeError::Busy));
    r2.set_collation("rev", UTF8, None, None, false).unwrap();
    assert_eq!(n.load(AO::SeqCst), 1);
    assert!(r2.collation("rev").is_none());
}

struct Fwd;
impl UserCollation for Fwd {
    fn compare(&self, a: &[u8], b: &[u8]) -> Ordering {
        a.cmp(b)
    }
}

#[test]
fn the_database_encoding_picks_among_collation_registrations() {
    let mut r = Registry::default();
    r.set_collation("c", UTF16LE, Some(Arc::new(Rev)), None, false).unwrap();
    r.set_collation("c", UTF8, Some(Arc::new(Fwd)), None, false).unwrap();
    let order = |enc| r.collation_in("c", enc).map(|c| c.compare(b"a", b"b"));
    assert_eq!(order(UTF8), Some(Ordering::Less));
    assert_eq!(order(UTF16LE), Some(Ordering::Greater));
    // No UTF-16be registration: SQLite falls back to UTF-16le before UTF-8.
    assert_eq!(order(UTF16BE), Some(Ordering::Greater));
}
