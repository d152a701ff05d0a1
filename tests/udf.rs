//! Application-defined functions and collations through `Connection`:
//! lookup in SQL, overloading, aggregates, collations in ORDER BY and
//! indexes, and recompilation of statements after a change.

mod common;
use common::run;

use std::cmp::Ordering;
use std::sync::Arc;

use ferrolite::connection::Connection;
use ferrolite::error::Result;
use ferrolite::func::user::{UserCollation, UserFunction, UTF8};
use ferrolite::func::{Aggregate, FuncEnv};
use ferrolite::os::memory::MemoryVfs;
use ferrolite::os::OpenFlags;
use ferrolite::vdbe::StepResult;
use ferrolite::Value;

fn open() -> Connection {
    let flags = OpenFlags(OpenFlags::READWRITE.0 | OpenFlags::CREATE.0);
    Connection::open(Arc::new(MemoryVfs::new()), ":memory:", flags).expect("open")
}


struct Add(i64);
impl UserFunction for Add {
    fn is_aggregate(&self) -> bool {
        false
    }
    fn call(&self, args: &[Value]) -> Result<Value> {
        let mut s = self.0;
        for a in args {
            if let Value::Integer(i) = a {
                s += i;
            }
        }
        Ok(Value::Integer(s))
    }
    fn start(&self) -> Box<dyn Aggregate> {
        unreachable!()
    }
}

struct Count;
struct CountState(i64);
impl Aggregate for CountState {
    fn step(&mut self, _args: &[Value], _env: &mut dyn FuncEnv) -> Result<()> {
        self.0 += 1;
        Ok(())
    }
    fn finalize(&mut self, _env: &mut dyn FuncEnv) -> Result<Value> {
        Ok(Value::Integer(self.0 * 10))
    }
}
impl UserFunction for Count {
    fn is_aggregate(&self) -> bool {
        true
    }
    fn call(&self, _args: &[Value]) -> Result<Value> {
        Ok(Value::Null)
    }
    fn start(&self) -> Box<dyn Aggregate> {
        Box::new(CountState(0))
    }
}

struct Rev;
impl UserCollation for Rev {
    fn compare(&self, a: &[u8], b: &[u8]) -> Ordering {
        b.cmp(a)
    }
}

fn ints(rows: &[Vec<Value>]) -> Vec<i64> {
    rows.iter().flatten().map(|v| if let Value::Integer(i) = v { *i } else { -999 }).collect()
}

#[test]
fn functions_resolve_and_overload() {
    let mut c = open();
    assert_eq!(run(&mut c, "SELECT f(1)").unwrap_err(), "no such function: f");
    c.create_function("f", -1, UTF8, 0, Some(Box::new(Add(100))), None).unwrap();
    c.create_function("F", 2, UTF8, 0, Some(Box::new(Add(200))), None).unwrap();
    assert_eq!(ints(&run(&mut c, "SELECT f(1), f(1, 2), f()").unwrap()), vec![101, 203, 100]);
    c.create_function("abs", 1, UTF8, 0, Some(Box::new(Add(0))), None).unwrap();
    assert_eq!(ints(&run(&mut c, "SELECT abs(-4)").unwrap()), vec![-4]);
    c.create_function("agg", 1, UTF8, 0, Some(Box::new(Count)), None).unwrap();
    run(&mut c, "CREATE TABLE t(a); INSERT INTO t VALUES (1), (2), (3)").unwrap();
    assert_eq!(ints(&run(&mut c, "SELECT agg(a) FROM t").unwrap()), vec![30]);
    assert_eq!(ints(&run(&mut c, "SELECT agg(a) FROM t WHERE a > 5").unwrap()), vec![0]);
}

#[test]
fn statements_recompile_after_a_change() {
    let mut c = open();
    c.create_function("g", 0, UTF8, 0, Some(Box::new(Add(1))), None).unwrap();
    let (stmt, _) = c.prepare("SELECT g()").unwrap();
    let mut stmt = stmt.unwrap();
    assert_eq!(stmt.step(&mut c).unwrap(), StepResult::Row);
    assert_eq!(stmt.row()[0], Value::Integer(1));
    // Busy while the statement runs.
    let e = c.create_function("g", 0, UTF8, 0, Some(Box::new(Add(2))), None).unwrap_err();
    assert_eq!(e.message(), "unable to delete/modify user-function due to active statements");
    stmt.reset(&mut c).unwrap();
    c.create_function("g", 0, UTF8, 0, Some(Box::new(Add(2))), None).unwrap();
    assert_eq!(stmt.step(&mut c).unwrap(), StepResult::Row);
    assert_eq!(stmt.row()[0], Value::Integer(2));
}

#[test]
fn collations_order_expressions_columns_and_indexes() {
    let mut c = open();
    assert_eq!(run(&mut c, "SELECT 1 COLLATE rev").unwrap_err(), "no such collation sequence: rev");
    c.create_collation("rev", UTF8, Some(Arc::new(Rev)), None).unwrap();
    run(&mut c, "CREATE TABLE w(x TEXT COLLATE rev, y); INSERT INTO w VALUES ('a', 1), ('c', 3), ('b', 2)").unwrap();
    assert_eq!(ints(&run(&mut c, "SELECT y FROM w ORDER BY x").unwrap()), vec![3, 2, 1]);
    run(&mut c, "CREATE INDEX wi ON w(x)").unwrap();
    assert_eq!(ints(&run(&mut c, "SELECT y FROM w INDEXED BY wi WHERE x < ''").unwrap()), vec![3, 2, 1]);
    assert_eq!(ints(&run(&mut c, "SELECT 'a' < 'b' COLLATE rev").unwrap()), vec![0]);
}
