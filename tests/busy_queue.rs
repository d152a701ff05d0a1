//! Writers of one process queueing for a database's write lock
//! (`os::gate`, PRAGMA ferrolite_busy_queue / ferrolite_busy_priority):
//! waiters get the lock in the order they asked for it, a priority
//! connection first, nobody sees SQLITE_BUSY within the busy timeout, and
//! without a timeout (or with the queue switched off) SQLite's behaviour
//! is unchanged. In rollback-journal and WAL mode.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use ferrolite::connection::Connection;
use ferrolite::error::code;
use ferrolite::vdbe::StepResult;

mod common;
use common::{open, remove_db as cleanup};

fn tmp(name: &str) -> String {
    common::tmp_db("busyq", name)
}

/// Runs one statement to its end; its error's extended code.
fn exec(conn: &mut Connection, sql: &str) -> Result<(), i32> {
    let (stmt, _) = conn.prepare(sql).map_err(|e| e.extended_code())?;
    let Some(mut stmt) = stmt else { return Ok(()) };
    let r = loop {
        match stmt.step(conn) {
            Ok(StepResult::Row) => {}
            Ok(StepResult::Done) => break Ok(()),
            Err(e) => break Err(e.extended_code()),
        }
    };
    let _ = stmt.reset(conn);
    r
}

/// Three connections ask for the write lock one after the other while a
/// fourth holds it; the one marked priority asks last.
fn order_of_turns(journal_mode: &str) -> Vec<&'static str> {
    let path = tmp(journal_mode);
    let mut holder = open(&path);
    exec(&mut holder, &format!("PRAGMA journal_mode={journal_mode}")).unwrap();
    exec(&mut holder, "CREATE TABLE t(who TEXT)").unwrap();
    exec(&mut holder, "BEGIN IMMEDIATE").unwrap();
    let order = Arc::new(Mutex::new(Vec::new()));
    let mut threads = Vec::new();
    for (name, priority) in [("first", false), ("second", false), ("priority", true)] {
        let (path, order) = (path.clone(), order.clone());
        threads.push(std::thread::spawn(move || {
            let mut c = open(&path);
            exec(&mut c, "PRAGMA busy_timeout=20000").unwrap();
            if priority {
                exec(&mut c, "PRAGMA ferrolite_busy_priority=1").unwrap();
            }
            exec(&mut c, "BEGIN IMMEDIATE").expect("no SQLITE_BUSY within the timeout");
            order.lock().unwrap().push(name);
            exec(&mut c, &format!("INSERT INTO t VALUES('{name}')")).unwrap();
            exec(&mut c, "COMMIT").unwrap();
        }));
        // Let this one join the queue before the next asks.
        std::thread::sleep(Duration::from_millis(150));
    }
    exec(&mut holder, "COMMIT").unwrap();
    for t in threads {
        t.join().unwrap();
    }
    drop(holder);
    cleanup(&path);
    let v = order.lock().unwrap().clone();
    v
}

#[test]
fn waiting_writers_take_turns_in_order_with_priority_first_in_rollback_mode() {
    assert_eq!(order_of_turns("delete"), ["priority", "first", "second"]);
}

#[test]
fn waiting_writers_take_turns_in_order_with_priority_first_in_wal_mode() {
    assert_eq!(order_of_turns("wal"), ["priority", "first", "second"]);
}

#[test]
fn without_a_timeout_or_with_the_queue_off_busy_is_as_in_sqlite() {
    let path = tmp("off");
    let mut a = open(&path);
    exec(&mut a, "PRAGMA journal_mode=wal").unwrap();
    exec(&mut a, "CREATE TABLE t(x)").unwrap();
    exec(&mut a, "BEGIN IMMEDIATE").unwrap();
    let mut b = open(&path);
    // No busy timeout: SQLITE_BUSY at once.
    assert_eq!(exec(&mut b, "BEGIN IMMEDIATE"), Err(code::BUSY));
    // Queue off, short timeout: SQLite's sleep-and-retry, then BUSY.
    exec(&mut b, "PRAGMA ferrolite_busy_queue=0").unwrap();
    exec(&mut b, "PRAGMA busy_timeout=50").unwrap();
    assert_eq!(exec(&mut b, "BEGIN IMMEDIATE"), Err(code::BUSY));
    // Queue on, short timeout: BUSY when the timeout ends.
    exec(&mut b, "PRAGMA ferrolite_busy_queue=1").unwrap();
    assert_eq!(exec(&mut b, "BEGIN IMMEDIATE"), Err(code::BUSY));
    exec(&mut a, "COMMIT").unwrap();
    exec(&mut b, "BEGIN IMMEDIATE").unwrap();
    exec(&mut b, "COMMIT").unwrap();
    drop((a, b));
    cleanup(&path);
}

#[test]
fn a_reader_asking_to_write_gets_busy_at_once_instead_of_a_deadlock() {
    let path = tmp("upgrade");
    let mut a = open(&path);
    exec(&mut a, "CREATE TABLE t(x)").unwrap();
    exec(&mut a, "INSERT INTO t VALUES(1)").unwrap();
    let mut b = open(&path);
    exec(&mut b, "PRAGMA busy_timeout=20000").unwrap();
    exec(&mut a, "BEGIN IMMEDIATE").unwrap();
    exec(&mut b, "BEGIN").unwrap();
    exec(&mut b, "SELECT * FROM t").unwrap();
    // b holds a read lock a's commit would wait for: SQLite returns BUSY
    // to b at once rather than wait the whole timeout.
    let start = std::time::Instant::now();
    assert_eq!(exec(&mut b, "INSERT INTO t VALUES(2)"), Err(code::BUSY));
    assert!(start.elapsed() < Duration::from_secs(10));
    exec(&mut b, "ROLLBACK").unwrap();
    exec(&mut a, "COMMIT").unwrap();
    drop((a, b));
    cleanup(&path);
}

/// A connection committing in a loop keeps the lock for a while (its
/// next transaction starts before a waiter polls into the gap), but a
/// waiter gets its turn while the loop still runs instead of when it
/// ends, as SQLite's busy-retry would have it.
fn a_waiter_gets_in_while_another_commits_in_a_loop(journal_mode: &str) {
    let path = tmp(&format!("loop-{journal_mode}"));
    let mut looper = open(&path);
    exec(&mut looper, &format!("PRAGMA journal_mode={journal_mode}")).unwrap();
    exec(&mut looper, "PRAGMA synchronous=OFF").unwrap();
    exec(&mut looper, "CREATE TABLE t(who TEXT)").unwrap();
    exec(&mut looper, "PRAGMA busy_timeout=20000").unwrap();
    let done = Arc::new(Mutex::new(None::<usize>));
    let (p, d) = (path.clone(), done.clone());
    let counter = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let c2 = counter.clone();
    let waiter = std::thread::spawn(move || {
        let mut c = open(&p);
        exec(&mut c, "PRAGMA busy_timeout=20000").unwrap();
        // Wait until the loop runs (and is inside a transaction).
        while c2.load(std::sync::atomic::Ordering::SeqCst) < 10 {
            std::thread::yield_now();
        }
        exec(&mut c, "BEGIN IMMEDIATE").expect("no SQLITE_BUSY within the timeout");
        *d.lock().unwrap() = Some(c2.load(std::sync::atomic::Ordering::SeqCst));
        exec(&mut c, "INSERT INTO t VALUES('waiter')").unwrap();
        exec(&mut c, "COMMIT").unwrap();
    });
    // Transactions of about 1 ms for up to 60 s; stops as soon as the
    // waiter got its turn.
    let start = std::time::Instant::now();
    let mut n = 0;
    while done.lock().unwrap().is_none() && start.elapsed() < Duration::from_secs(60) {
        exec(&mut looper, "BEGIN IMMEDIATE").unwrap();
        // Counted inside the transaction, so that the waiter's first try
        // finds the lock held.
        n += 1;
        counter.store(n, std::sync::atomic::Ordering::SeqCst);
        std::thread::sleep(Duration::from_millis(1));
        exec(&mut looper, "INSERT INTO t VALUES('looper')").unwrap();
        exec(&mut looper, "COMMIT").unwrap();
    }
    waiter.join().unwrap();
    let got_in_after = done.lock().unwrap().expect("the waiter got the lock while the loop ran");
    // It did not slip in at the looper's next commit: the looper kept
    // its turn for a while.
    assert!(got_in_after > 12, "the waiter got in after {got_in_after} commits");
    drop(looper);
    cleanup(&path);
}

#[test]
fn a_waiter_gets_in_while_another_commits_in_a_loop_in_rollback_mode() {
    a_waiter_gets_in_while_another_commits_in_a_loop("delete");
}

#[test]
fn a_waiter_gets_in_while_another_commits_in_a_loop_in_wal_mode() {
    a_waiter_gets_in_while_another_commits_in_a_loop("wal");
}
