//! Virtual tables through `Connection`, with a module written in Rust
//! against the engine's traits (`ferrolite::vtab`): what xBestIndex is
//! offered and how its answers are honoured (argvIndex, omit,
//! orderByConsumed, LIMIT), xUpdate's argv, the transaction calls, and
//! DROP TABLE. The C face is checked against SQLite by
//! compat-tests/c/vtab.c and vtab_kv.c.

mod common;
use common::run;

use std::sync::{Arc, Mutex};

use ferrolite::connection::Connection;
use ferrolite::error::{Error, Result};
use ferrolite::os::memory::MemoryVfs;
use ferrolite::os::OpenFlags;
use ferrolite::vtab::index_info::op;
use ferrolite::vtab::{self, Connected, ConstraintUsage, IndexInfo, Module, VTab, VTabCursor, VtabConfig};
use ferrolite::Value;

type Log = Arc<Mutex<Vec<String>>>;

fn open() -> Connection {
    let flags = OpenFlags(OpenFlags::READWRITE.0 | OpenFlags::CREATE.0);
    Connection::open(Arc::new(MemoryVfs::new()), ":memory:", flags).expect("open")
}

/// The integers 1..=10 as column `n`, their squares as `sq`; rows can be
/// deleted (xUpdate with one argument).
struct Numbers {
    log: Log,
    rows: Arc<Mutex<Vec<i64>>>,
}

impl Module for Numbers {
    fn has_create(&self) -> bool {
        true
    }
    fn eponymous(&self) -> bool {
        false
    }
    fn connect(self: Arc<Self>, create: bool, argv: &[String]) -> Result<Connected> {
        self.log.lock().unwrap().push(format!("{} {}", if create { "create" } else { "connect" }, argv.join(",")));
        Ok(Connected { vtab: Box::new(NumbersTab { log: self.log.clone(), rows: self.rows.clone() }), declared: "CREATE TABLE x(n INTEGER, sq INTEGER)".into(), config: VtabConfig::default() })
    }
}

struct NumbersTab {
    log: Log,
    rows: Arc<Mutex<Vec<i64>>>,
}

impl VTab for NumbersTab {
    fn best_index(&mut self, info: &mut IndexInfo) -> Result<()> {
        let cons: Vec<String> = info.constraints.iter().map(|c| format!("{}:{}:{}", c.column, c.op, u8::from(c.usable))).collect();
        self.log.lock().unwrap().push(format!("best_index [{}] order={} used={:#x}", cons.join(" "), info.order_by.len(), info.col_used));
        let mut argc = 0;
        for (k, c) in info.constraints.iter().enumerate() {
            if c.usable && c.column == 0 && c.op == op::EQ {
                argc += 1;
                info.usage[k] = ConstraintUsage { argv_index: argc, omit: true };
                info.idx_num = 1;
                info.estimated_cost = 1.0;
            } else if c.usable && c.op == op::LIMIT {
                argc += 1;
                info.usage[k] = ConstraintUsage { argv_index: argc, omit: false };
                info.idx_num |= 2;
            }
        }
        if info.order_by.len() == 1 && info.order_by[0].column == 0 && info.order_by[0].desc {
            info.order_by_consumed = true;
            info.idx_num |= 4;
        }
        Ok(())
    }
    fn open(&mut self) -> Result<Box<dyn VTabCursor>> {
        Ok(Box::new(NumbersCursor { log: self.log.clone(), rows: Vec::new(), pos: 0, all: self.rows.lock().unwrap().clone() }))
    }
    fn destroy(&mut self) -> Result<()> {
        self.log.lock().unwrap().push("destroy".into());
        Ok(())
    }
    fn has_update(&self) -> bool {
        true
    }
    fn update(&mut self, argv: &[Value], on_conflict: i32) -> Result<Option<i64>> {
        self.log.lock().unwrap().push(format!("update {argv:?} {on_conflict}"));
        if let [Value::Integer(rowid)] = argv {
            self.rows.lock().unwrap().retain(|r| r != rowid);
            return Ok(None);
        }
        Err(Error::sql("numbers: only DELETE"))
    }
    fn begin(&mut self) -> Result<()> {
        self.log.lock().unwrap().push("begin".into());
        Ok(())
    }
    fn sync(&mut self) -> Result<()> {
        self.log.lock().unwrap().push("sync".into());
        Ok(())
    }
    fn commit(&mut self) -> Result<()> {
        self.log.lock().unwrap().push("commit".into());
        Ok(())
    }
    fn rollback(&mut self) -> Result<()> {
        self.log.lock().unwrap().push("rollback".into());
        Ok(())
    }
    fn has_begin(&self) -> bool {
        true
    }
    fn savepoint(&mut self, _n: i32) -> Result<()> {
        Ok(())
    }
    fn release(&mut self, _n: i32) -> Result<()> {
        Ok(())
    }
    fn rollback_to(&mut self, _n: i32) -> Result<()> {
        Ok(())
    }
    fn rename(&mut self, _new_name: &str) -> Result<()> {
        Ok(())
    }
    fn find_function(&mut self, _n_arg: i32, _name: &str) -> Option<(i32, Box<dyn ferrolite::func::user::UserFunction>)> {
        None
    }
}

struct NumbersCursor {
    log: Log,
    all: Vec<i64>,
    rows: Vec<i64>,
    pos: usize,
}

impl VTabCursor for NumbersCursor {
    fn filter(&mut self, idx_num: i32, _idx_str: Option<&str>, args: &[Value]) -> Result<()> {
        self.log.lock().unwrap().push(format!("filter {idx_num} {args:?}"));
        let mut k = 0;
        let mut rows = self.all.clone();
        if idx_num & 1 != 0 {
            let Value::Integer(want) = args[k] else { return Err(Error::sql("bad argument")) };
            rows.retain(|r| *r == want);
            k += 1;
        }
        if idx_num & 4 != 0 {
            rows.reverse();
        }
        if idx_num & 2 != 0 {
            if let Value::Integer(limit) = args[k] {
                rows.truncate(limit.max(0) as usize);
            }
        }
        self.rows = rows;
        self.pos = 0;
        Ok(())
    }
    fn next(&mut self) -> Result<()> {
        self.pos += 1;
        Ok(())
    }
    fn eof(&mut self) -> bool {
        self.pos >= self.rows.len()
    }
    fn column(&mut self, i: usize, _nochange: bool) -> Result<Value> {
        let n = self.rows[self.pos];
        Ok(Value::Integer(if i == 0 { n } else { n * n }))
    }
    fn rowid(&mut self) -> Result<i64> {
        Ok(self.rows[self.pos])
    }
}

fn setup() -> (Connection, Log) {
    let mut conn = open();
    let log: Log = Arc::default();
    let module = Arc::new(Numbers { log: log.clone(), rows: Arc::new(Mutex::new((1..=10).collect())) });
    vtab::lock(&conn.vtabs).set_module("numbers", Some(module));
    run(&mut conn, "CREATE VIRTUAL TABLE t USING numbers(a, 'b c')").expect("create");
    (conn, log)
}

fn take(log: &Log) -> Vec<String> {
    std::mem::take(&mut *log.lock().unwrap())
}

fn ints(rows: Vec<Vec<Value>>) -> Vec<i64> {
    rows.into_iter().flatten().map(|v| if let Value::Integer(i) = v { i } else { -1 }).collect()
}

#[test]
fn create_writes_the_schema_row_and_calls_xcreate() {
    let (mut conn, log) = setup();
    assert_eq!(take(&log), ["create numbers,main,t,a,'b c'", "sync", "commit"]);
    let rows = run(&mut conn, "SELECT type, name, rootpage, sql FROM sqlite_schema").unwrap();
    assert_eq!(rows, vec![vec![Value::text("table"), Value::text("t"), Value::Integer(0), Value::text("CREATE VIRTUAL TABLE t USING numbers(a, 'b c')")]]);
}

#[test]
fn equality_is_passed_and_omitted() {
    let (mut conn, log) = setup();
    take(&log);
    let rows = run(&mut conn, "SELECT sq FROM t WHERE n = 4").unwrap();
    assert_eq!(ints(rows), [16]);
    assert_eq!(take(&log), ["best_index [0:2:1] order=0 used=0x3", "filter 1 [Integer(4)]"]);
}

#[test]
fn limit_and_consumed_order() {
    let (mut conn, log) = setup();
    take(&log);
    let rows = run(&mut conn, "SELECT n FROM t ORDER BY n DESC LIMIT 3").unwrap();
    assert_eq!(ints(rows), [10, 9, 8]);
    assert_eq!(take(&log), ["best_index [0:73:1] order=1 used=0x1", "filter 6 [Integer(3)]"]);
    let plan = run(&mut conn, "EXPLAIN QUERY PLAN SELECT n FROM t ORDER BY n DESC LIMIT 3").unwrap();
    assert_eq!(plan.len(), 1, "no sorter: {plan:?}");
    assert_eq!(plan[0][3], Value::text("SCAN t VIRTUAL TABLE INDEX 6:"));
}

#[test]
fn join_puts_the_virtual_table_inside() {
    let (mut conn, log) = setup();
    run(&mut conn, "CREATE TABLE u(x); INSERT INTO u VALUES (3), (7)").unwrap();
    take(&log);
    let rows = run(&mut conn, "SELECT u.x, t.sq FROM u, t WHERE t.n = u.x").unwrap();
    assert_eq!(ints(rows), [3, 9, 7, 49]);
    let l = take(&log);
    assert!(l.contains(&"filter 1 [Integer(3)]".to_string()) && l.contains(&"filter 1 [Integer(7)]".to_string()), "{l:?}");
}

#[test]
fn delete_calls_xupdate_in_a_transaction_and_drop_calls_xdestroy() {
    let (mut conn, log) = setup();
    take(&log);
    run(&mut conn, "DELETE FROM t WHERE n > 8").unwrap();
    assert_eq!(take(&log), ["best_index [0:4:1] order=0 used=0x1", "begin", "filter 0 []", "update [Integer(9)] 4", "update [Integer(10)] 4", "sync", "commit"]);
    assert_eq!(conn.changes, 2);
    assert_eq!(ints(run(&mut conn, "SELECT count(*) FROM t").unwrap()), [8]);
    take(&log);
    assert_eq!(run(&mut conn, "INSERT INTO t VALUES (1, 1)").unwrap_err(), "numbers: only DELETE");
    assert!(take(&log).contains(&"rollback".to_string()));
    run(&mut conn, "DROP TABLE t").unwrap();
    assert!(take(&log).contains(&"destroy".to_string()));
    assert_eq!(run(&mut conn, "SELECT * FROM t").unwrap_err(), "no such table: t");
}

#[test]
fn unknown_module() {
    let mut conn = open();
    assert_eq!(run(&mut conn, "CREATE VIRTUAL TABLE v USING nosuchmod").unwrap_err(), "no such module: nosuchmod");
    assert!(run(&mut conn, "SELECT name FROM sqlite_schema").unwrap().is_empty());
}
