//! The connection's WAL hook (SQLite's sqlite3_wal_hook and the default
//! hook sqlite3_wal_autocheckpoint installs).
//!
//! Each commit into a log leaves the log's frame count with that
//! database's pager (`Btree::take_wal_callback`). When a statement runs
//! to completion and the connection is in autocommit mode, every
//! database's count is taken (and cleared), and the hook is called for
//! each database that had a commit, in database order, until one call
//! returns something other than SQLITE_OK (SQLite's doWalCallbacks):
//!
//! - `WalHook::AutoCheckpoint(n)`: the default hook, run here: a PASSIVE
//!   checkpoint of that database once its log holds `n` frames or more
//!   (of the main database, with PRAGMA ferrolite_background_checkpoint,
//!   asked of the background checkpointer instead, see `checkpointer.rs`);
//!   its result is not the statement's concern (a checkpoint that cannot
//!   run now, e.g. while another statement of the connection reads, is
//!   skipped until a later commit asks again).
//! - `WalHook::Application`: the counts are left for the C layer, which
//!   calls the application's callback outside the engine's borrow (the
//!   callback may use the connection, e.g. to checkpoint).
//! - `WalHook::None`: the counts are dropped.
//!
//! Invariant: a count is reported at most once; registering one kind of
//! hook replaces the other, as in SQLite (PRAGMA wal_autocheckpoint=N
//! replaces an application hook, sqlite3_wal_hook turns automatic
//! checkpoints off).

use crate::connection::Connection;
use crate::pager::wal::CheckpointMode;

/// What runs after a statement whose commits went into a log.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WalHook {
    /// No hook.
    None,
    /// sqlite3_wal_autocheckpoint(N) / PRAGMA wal_autocheckpoint=N (N > 0).
    AutoCheckpoint(u32),
    /// sqlite3_wal_hook: the C layer holds the callback.
    Application,
}

impl WalHook {
    /// The hook sqlite3_wal_autocheckpoint(n) installs.
    pub fn auto_checkpoint(n: i64) -> WalHook {
        if n > 0 {
            WalHook::AutoCheckpoint(n.min(i64::from(i32::MAX)) as u32)
        } else {
            WalHook::None
        }
    }

    /// What PRAGMA wal_autocheckpoint reports: N for the default hook,
    /// 0 otherwise.
    pub fn auto_checkpoint_frames(self) -> i64 {
        match self {
            WalHook::AutoCheckpoint(n) => i64::from(n),
            _ => 0,
        }
    }
}

impl Connection {
    /// Takes every database's frame count left by commits since the last
    /// call: (database index, frames), only databases that had a commit.
    pub fn take_wal_commits(&mut self) -> Vec<(usize, u32)> {
        let mut out = Vec::new();
        for (i, db) in self.dbs.iter_mut().enumerate() {
            let n = db.btree.take_wal_callback();
            if n > 0 {
                out.push((i, n));
            }
        }
        out
    }

    /// Called when a statement has run to completion: in autocommit mode,
    /// runs the default hook or drops the counts (see the module
    /// comment); an application hook's counts stay for the C layer.
    pub(crate) fn wal_hooks_after_statement(&mut self) {
        if !self.autocommit {
            return;
        }
        match self.wal_hook {
            WalHook::Application => {}
            WalHook::None => {
                self.take_wal_commits();
            }
            WalHook::AutoCheckpoint(n) => {
                for (i, frames) in self.take_wal_commits() {
                    if frames >= n {
                        if i == 0 && self.background_checkpoint {
                            let vfs = self.vfs().clone();
                            let path = self.btree(0).ok().filter(|bt| !bt.is_memory()).map(|bt| bt.filename().to_string());
                            if path.is_some_and(|p| !p.is_empty() && crate::checkpointer::request(&vfs, &p)) {
                                continue;
                            }
                        }
                        if let Ok(bt) = self.btree(i) {
                            // As SQLite's default hook: a checkpoint that
                            // cannot run (BUSY, LOCKED) is not an error of
                            // the statement.
                            let _ = bt.checkpoint(CheckpointMode::Passive, None);
                        }
                    }
                }
            }
        }
    }
}
