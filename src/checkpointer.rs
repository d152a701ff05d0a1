//! Background checkpoints (Ferrolite's own, `PRAGMA
//! ferrolite_background_checkpoint = ON`): when the default WAL hook
//! decides a log needs a checkpoint, the committing connection asks this
//! process's checkpointer of that database file instead of copying the
//! pages itself, and returns at once.
//!
//! One worker thread per database file (by path) per process, started on
//! the first request. It opens a connection of its own on the file (the
//! requesting connection's VFS, read-write, no URI), runs a PASSIVE
//! checkpoint, as SQLite's default hook would, and then one more for each
//! batch of requests that arrived meanwhile (requests coalesce: a worker
//! busy with a checkpoint owes at most one more). After `IDLE` without a
//! request it closes its connection (the last connection to close
//! checkpoints and removes the log, as any connection does) and ends.
//!
//! Invariants: at most one worker per path is registered in `WORKERS`; a
//! worker unregisters itself under the same lock that requests take, and
//! only when no request is pending, so a request is never lost. A failed
//! checkpoint (BUSY, a locked file) is dropped like the default hook's:
//! the next commit over the threshold asks again.

use std::collections::HashMap;
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use crate::connection::Connection;
use crate::os::{OpenFlags, Vfs};

/// How long a worker stays with nothing to do before it closes its
/// connection and ends.
const IDLE: Duration = Duration::from_millis(500);

type Workers = Mutex<HashMap<String, Sender<()>>>;

fn workers() -> &'static Workers {
    static WORKERS: OnceLock<Workers> = OnceLock::new();
    WORKERS.get_or_init(|| Mutex::new(HashMap::new()))
}

/// Asks for a PASSIVE checkpoint of the database file at `path`, run by
/// its background worker (started if need be). Returns false when no
/// worker could be started (the caller then checkpoints itself).
pub fn request(vfs: &Arc<dyn Vfs>, path: &str) -> bool {
    let Ok(mut map) = workers().lock() else { return false };
    if let Some(tx) = map.get(path) {
        if tx.send(()).is_ok() {
            return true;
        }
        map.remove(path);
    }
    let (tx, rx) = channel();
    if tx.send(()).is_err() {
        return false;
    }
    let (vfs, owned) = (vfs.clone(), path.to_string());
    let spawned = std::thread::Builder::new().name("ferrolite-checkpoint".into()).spawn(move || work(vfs, owned, rx));
    if spawned.is_err() {
        return false;
    }
    map.insert(path.to_string(), tx);
    true
}

/// True while a worker is registered for `path` (for tests).
pub fn has_worker(path: &str) -> bool {
    workers().lock().map(|m| m.contains_key(path)).unwrap_or(false)
}

fn work(vfs: Arc<dyn Vfs>, path: String, rx: Receiver<()>) {
    let mut conn: Option<Connection> = None;
    loop {
        match rx.recv_timeout(IDLE) {
            Ok(()) => {
                // Requests that came meanwhile are served by this run.
                while rx.try_recv().is_ok() {}
                if conn.is_none() {
                    conn = Connection::open(vfs.clone(), &path, OpenFlags(OpenFlags::READWRITE.0 | OpenFlags::MAIN_DB.0)).ok();
                }
                if let Some(c) = conn.as_mut() {
                    checkpoint(c);
                }
            }
            Err(RecvTimeoutError::Timeout) => {
                let Ok(mut map) = workers().lock() else { break };
                // A request sent before the lock was taken is still ours.
                if rx.try_recv().is_ok() {
                    drop(map);
                    if let Some(c) = conn.as_mut() {
                        checkpoint(c);
                    }
                    continue;
                }
                map.remove(&path);
                break;
            }
            Err(RecvTimeoutError::Disconnected) => break,
        }
    }
    drop(conn);
}

/// One PASSIVE checkpoint of the worker's database; its outcome is not
/// anyone's concern (see the module comment).
fn checkpoint(conn: &mut Connection) {
    let Ok((Some(mut stmt), _)) = conn.prepare("PRAGMA main.wal_checkpoint(PASSIVE)") else { return };
    while let Ok(crate::vdbe::StepResult::Row) = stmt.step(conn) {}
    let _ = stmt.reset(conn);
}
