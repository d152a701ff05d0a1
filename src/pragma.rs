//! PRAGMA statements implemented in Rust.
//!
//! `info` tells the code generator a pragma's result columns and what
//! transaction it needs; `run` does the work and returns the rows. A pragma
//! SQLite knows but Ferrolite does not implement yet fails with an error
//! saying so; a name SQLite does not know is ignored, as SQLite ignores it.

use crate::connection::Connection;
use crate::error::{Error, Result};
use crate::value::Value;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    None,
    Read,
    Write,
}

pub struct PragmaInfo {
    pub columns: &'static [&'static str],
    pub access: Access,
}

/// Pragmas SQLite has that Ferrolite does not implement yet.
const NOT_YET: &[&str] = &[
    "analysis_limit", "automatic_index", "cache_spill", "cell_size_check", "collation_list", "compile_options", "data_store_directory", "data_version", "defer_foreign_keys",
    "empty_result_callbacks", "foreign_key_check", "foreign_key_list", "full_column_names", "function_list",
    "hard_heap_limit", "ignore_check_constraints",
    "legacy_alter_table", "legacy_file_format", "module_list", "optimize", "parser_trace", "pragma_list", "query_only", "read_uncommitted",
    "recursive_triggers", "reverse_unordered_selects", "schema_version_set", "secure_delete", "short_column_names",
    "shrink_memory", "soft_heap_limit", "stats", "table_list", "temp_store", "temp_store_directory",
    "threads", "trusted_schema", "vdbe_addoptrace", "vdbe_debug", "vdbe_listing", "vdbe_trace",
    "writable_schema",
];

pub fn info(name: &str, has_arg: bool) -> Option<PragmaInfo> {
    let (columns, access): (&'static [&'static str], Access) = match name {
        "table_info" => (&["cid", "name", "type", "notnull", "dflt_value", "pk"], Access::Read),
        "table_xinfo" => (&["cid", "name", "type", "notnull", "dflt_value", "pk", "hidden"], Access::Read),
        "index_list" => (&["seq", "name", "unique", "origin", "partial"], Access::Read),
        "index_info" => (&["seqno", "cid", "name"], Access::Read),
        "index_xinfo" => (&["seqno", "cid", "name", "desc", "coll", "key"], Access::Read),
        "database_list" => (&["seq", "name", "file"], Access::None),
        "integrity_check" => (&["integrity_check"], Access::Read),
        "quick_check" => (&["quick_check"], Access::Read),
        "page_size" if has_arg => (&[], Access::None),
        "page_size" => (&["page_size"], Access::Read),
        "page_count" => (&["page_count"], Access::Read),
        "freelist_count" => (&["freelist_count"], Access::Read),
        "user_version" | "application_id" | "schema_version" if has_arg => (&[], Access::Write),
        "user_version" => (&["user_version"], Access::Read),
        "application_id" => (&["application_id"], Access::Read),
        "schema_version" => (&["schema_version"], Access::Read),
        "encoding" if has_arg => (&[], Access::None),
        "encoding" => (&["encoding"], Access::Read),
        "journal_mode" => (&["journal_mode"], Access::None),
        "wal_checkpoint" => (&["busy", "log", "checkpointed"], Access::None),
        "wal_autocheckpoint" => (&["wal_autocheckpoint"], Access::None),
        "journal_size_limit" => (&["journal_size_limit"], Access::None),
        "synchronous" if has_arg => (&[], Access::None),
        "synchronous" => (&["synchronous"], Access::None),
        "cache_size" if has_arg => (&[], Access::None),
        "cache_size" => (&["cache_size"], Access::None),
        "foreign_keys" if has_arg => (&[], Access::None),
        "foreign_keys" => (&["foreign_keys"], Access::None),
        "busy_timeout" => (&["timeout"], Access::None),
        "ferrolite_busy_queue" if has_arg => (&[], Access::None),
        "ferrolite_busy_queue" => (&["ferrolite_busy_queue"], Access::None),
        "ferrolite_background_checkpoint" if has_arg => (&[], Access::None),
        "ferrolite_background_checkpoint" => (&["ferrolite_background_checkpoint"], Access::None),
        "ferrolite_wal_grow" => (&["ferrolite_wal_grow"], Access::None),
        "ferrolite_persist_wal" if has_arg => (&[], Access::None),
        "ferrolite_persist_wal" => (&["ferrolite_persist_wal"], Access::None),
        "ferrolite_busy_priority" if has_arg => (&[], Access::None),
        "ferrolite_busy_priority" => (&["ferrolite_busy_priority"], Access::None),
        "case_sensitive_like" => (&[], Access::None),
        "count_changes" if has_arg => (&[], Access::None),
        "count_changes" => (&["count_changes"], Access::None),
        "locking_mode" => (&["locking_mode"], Access::None),
        "mmap_size" => (&["mmap_size"], Access::None),
        "max_page_count" => (&["max_page_count"], Access::Read),
        "fullfsync" | "checkpoint_fullfsync" if has_arg => (&[], Access::None),
        "fullfsync" => (&["fullfsync"], Access::None),
        "checkpoint_fullfsync" => (&["checkpoint_fullfsync"], Access::None),
        "auto_vacuum" if has_arg => (&[], Access::None),
        "auto_vacuum" => (&["auto_vacuum"], Access::Read),
        "incremental_vacuum" => (&[], Access::Write),
        n if NOT_YET.contains(&n) => (&[], Access::None),
        _ => return None,
    };
    Some(PragmaInfo { columns, access })
}

/// SQLITE_MAX_MMAP_SIZE on Linux: the largest mmap_size accepted.
const MAX_MMAP_SIZE: i64 = 0x7fff_0000;

fn int(v: i64) -> Vec<Value> {
    vec![Value::Integer(v)]
}

fn arg_int(arg: Option<&Value>) -> Option<i64> {
    match arg? {
        Value::Integer(i) => Some(*i),
        Value::Real(r) => Some(*r as i64),
        Value::Text(t) => std::str::from_utf8(t).ok()?.trim().parse().ok(),
        _ => None,
    }
}

/// An integer argument, "0x..." hexadecimal included (SQLite's
/// sqlite3DecOrHexToI64).
fn arg_int_or_hex(v: &Value) -> Option<i64> {
    if let Value::Text(t) = v {
        let s = std::str::from_utf8(t).ok()?.trim();
        if let Some(h) = s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
            return u64::from_str_radix(h, 16).ok().map(|u| u as i64);
        }
    }
    arg_int(Some(v))
}

fn arg_text(arg: Option<&Value>) -> String {
    match arg {
        Some(Value::Text(t)) => String::from_utf8_lossy(t).to_ascii_lowercase(),
        Some(Value::Integer(i)) => i.to_string(),
        _ => String::new(),
    }
}

/// A boolean pragma argument: ON/OFF, YES/NO, TRUE/FALSE or a number.
fn arg_bool(arg: Option<&Value>) -> Option<bool> {
    if let Some(i) = arg_int(arg) {
        return Some(i != 0);
    }
    match arg_text(arg).as_str() {
        "on" | "yes" | "true" => Some(true),
        "off" | "no" | "false" => Some(false),
        _ => None,
    }
}

/// PRAGMA auto_vacuum's argument: NONE, FULL, INCREMENTAL or 0..=2 (any
/// other value is NONE, as SQLite's getAutoVacuum has it).
fn auto_vacuum_mode(arg: Option<&Value>) -> u8 {
    match arg_text(arg).as_str() {
        "none" => 0,
        "full" => 1,
        "incremental" => 2,
        _ => match arg_int(arg) {
            Some(n @ 0..=2) => n as u8,
            _ => 0,
        },
    }
}

fn meta_index(name: &str) -> usize {
    match name {
        "schema_version" => 1,
        "user_version" => 6,
        _ => 8,
    }
}

/// The database a pragma run with no schema named concerns: for one about
/// a table or an index, the first database (temp, main, attached) that
/// has it; otherwise main.
fn object_database(conn: &Connection, name: &str, arg: Option<&Value>) -> usize {
    let object = arg_text(arg);
    let order = [crate::schema::TEMP_DB, 0].into_iter().chain(2..conn.dbs.len());
    for d in order.filter(|&d| d < conn.dbs.len()) {
        let Some(s) = conn.dbs[d].schema.as_ref() else { continue };
        let found = match name {
            "table_info" | "table_xinfo" | "index_list" => s.table(&object).is_some(),
            "index_info" | "index_xinfo" => s.index_or_pk(&object).is_some(),
            _ => false,
        };
        if found {
            return d;
        }
    }
    0
}

/// The `db` of a pragma that applies to every database (integrity_check
/// and quick_check without a schema name).
pub const ALL_DATABASES: usize = usize::MAX;

pub fn run(conn: &mut Connection, db: usize, name: &str, arg: Option<&Value>) -> Result<Vec<Vec<Value>>> {
    if NOT_YET.contains(&name) {
        return Err(Error::sql(format!("PRAGMA {name} is not supported yet")));
    }
    let db = if db == ALL_DATABASES && !matches!(name, "integrity_check" | "quick_check") { object_database(conn, name, arg) } else { db };
    match name {
        "table_info" | "table_xinfo" => {
            // table_xinfo lists every column with what hides it (1 HIDDEN
            // in a virtual table, 2 VIRTUAL, 3 STORED generated);
            // table_info leaves those out.
            let extended = name == "table_xinfo";
            let t = arg_text(arg);
            let schema = conn.dbs[db].schema.clone();
            let Some(mut table) = schema.as_ref().and_then(|s| s.table(&t)).cloned() else { return Ok(Vec::new()) };
            let mut hidden = Vec::new();
            if table.module.is_some() {
                // A virtual table's columns are what its module declared
                // (connected now if need be); HIDDEN ones are not listed.
                let set = conn.vtabs.clone();
                let vt = crate::vtab::connect_with(&set, db, &conn.dbs[db].name.clone(), &table.name, &table.sql, false, None)?;
                hidden = vt.hidden.clone();
                table = vt.table.clone();
            }
            let hides = |i: usize, c: &crate::schema::Column| -> i64 {
                match &c.generated {
                    Some(g) if g.stored => 3,
                    Some(_) => 2,
                    None => i64::from(hidden.get(i).copied().unwrap_or(false)),
                }
            };
            Ok(table
                .columns
                .iter()
                .enumerate()
                .filter(|(i, c)| extended || hides(*i, c) == 0)
                .enumerate()
                .map(|(k, (i, c))| {
                    let mut row = vec![
                        Value::Integer(k as i64),
                        Value::text(&c.name),
                        Value::text(c.decl_type.as_deref().unwrap_or("")),
                        Value::Integer(i64::from(c.not_null)),
                        c.default_text.as_ref().map(|d| Value::text(d)).unwrap_or(Value::Null),
                        Value::Integer(c.pk as i64),
                    ];
                    if extended {
                        row.push(Value::Integer(hides(i, c)));
                    }
                    row
                })
                .collect())
        }
        "index_list" => {
            let t = arg_text(arg);
            let schema = conn.dbs[db].schema.clone();
            let Some(s) = schema else { return Ok(Vec::new()) };
            let list = s.indexes_with_pk(&t);
            Ok(list
                .iter()
                .rev()
                .enumerate()
                .map(|(i, ix)| {
                    let origin = match ix.origin {
                        crate::schema::IndexOrigin::Create => "c",
                        crate::schema::IndexOrigin::Unique => "u",
                        crate::schema::IndexOrigin::PrimaryKey => "pk",
                    };
                    vec![Value::Integer(i as i64), Value::text(&ix.name), Value::Integer(i64::from(ix.unique)), Value::text(origin), Value::Integer(i64::from(ix.partial.is_some()))]
                })
                .collect())
        }
        "index_xinfo" => {
            let i = arg_text(arg);
            let schema = conn.dbs[db].schema.clone();
            let Some(s) = schema else { return Ok(Vec::new()) };
            let Some(ix) = s.index_or_pk(&i) else { return Ok(Vec::new()) };
            let Some(t) = s.table(&ix.table).cloned() else { return Ok(Vec::new()) };
            Ok(index_xinfo(&t, &ix))
        }
        "index_info" => {
            let i = arg_text(arg);
            let schema = conn.dbs[db].schema.clone();
            let Some(s) = schema else { return Ok(Vec::new()) };
            let Some(ix) = s.index_or_pk(&i) else { return Ok(Vec::new()) };
            let t = s.table(&ix.table).cloned();
            Ok(ix
                .columns
                .iter()
                .enumerate()
                .map(|(k, c)| {
                    let (cid, cname) = match (c.column, &t) {
                        (Some(col), Some(t)) => (col as i64, t.columns.get(col).map_or(Value::Null, |c| Value::text(&c.name))),
                        _ => (-2, Value::Null),
                    };
                    vec![Value::Integer(k as i64), Value::Integer(cid), cname]
                })
                .collect())
        }
        "integrity_check" | "quick_check" if db == ALL_DATABASES => {
            // No schema named: every database is checked, and "ok" stands
            // alone only when none has a problem, as in SQLite.
            let mut rows = Vec::new();
            for d in 0..conn.dbs.len() {
                let found = integrity_check(conn, d, name == "integrity_check", arg)?;
                let ok = found.len() == 1 && matches!(&found[0][0], Value::Text(t) if t.as_slice() == b"ok");
                if !ok {
                    rows.extend(found);
                }
            }
            if rows.is_empty() {
                rows.push(vec![Value::text("ok")]);
            }
            Ok(rows)
        }
        "integrity_check" | "quick_check" => integrity_check(conn, db, name == "integrity_check", arg),
        "database_list" => Ok(conn
            .dbs
            .iter()
            .enumerate()
            .filter(|(_, d)| d.used)
            .map(|(i, d)| vec![Value::Integer(i as i64), Value::text(&d.name), Value::text(if d.btree.is_memory() { "" } else { d.btree.filename() })])
            .collect()),
        "page_size" => match arg_int(arg) {
            Some(n) => {
                // Takes effect at once on an empty database, otherwise at
                // the next VACUUM; an invalid size is ignored, as in SQLite.
                let n = u32::try_from(n).unwrap_or(0);
                conn.next_page_size = n;
                let _ = conn.btree(db)?.set_page_size(n);
                Ok(Vec::new())
            }
            None => Ok(vec![int(i64::from(conn.btree(db)?.page_size()))]),
        },
        "page_count" => Ok(vec![int(i64::from(conn.btree(db)?.page_count()?))]),
        "freelist_count" => Ok(vec![int(i64::from(conn.btree(db)?.get_meta(0)?))]),
        "user_version" | "application_id" | "schema_version" => {
            let idx = meta_index(name);
            match arg {
                Some(_) => {
                    let v = arg_int(arg).unwrap_or(0);
                    conn.btree(db)?.update_meta(idx, v as u32)?;
                    Ok(Vec::new())
                }
                None => Ok(vec![int(i64::from(conn.btree(db)?.get_meta(idx)? as i32))]),
            }
        }
        "encoding" => match arg {
            Some(v) => {
                let raw = match v {
                    Value::Text(t) => String::from_utf8_lossy(t).into_owned(),
                    _ => arg_text(arg),
                };
                match crate::util::TextEncoding::from_pragma_name(&raw) {
                    Some(e) => {
                        conn.set_encoding(e);
                        Ok(Vec::new())
                    }
                    None => Err(Error::sql(format!("unsupported encoding: {raw}"))),
                }
            }
            None => Ok(vec![vec![Value::text(conn.enc.name())]]),
        },
        "journal_mode" => {
            use crate::pager::JournalMode;
            let name = |m: JournalMode| match m {
                JournalMode::Delete => "delete",
                JournalMode::Persist => "persist",
                JournalMode::Off => "off",
                JournalMode::Truncate => "truncate",
                JournalMode::Memory => "memory",
                JournalMode::Wal => "wal",
            };
            let bt = conn.btree(db)?;
            if arg.is_some() {
                let mode = match arg_text(arg).as_str() {
                    "delete" => JournalMode::Delete,
                    "persist" => JournalMode::Persist,
                    "off" => JournalMode::Off,
                    "truncate" => JournalMode::Truncate,
                    "memory" => JournalMode::Memory,
                    "wal" => JournalMode::Wal,
                    // An unknown mode leaves the mode as it is, as in SQLite.
                    _ => bt.journal_mode(),
                };
                let old = if bt.is_memory() { bt.journal_mode() } else { bt.probe_journal_mode()? };
                if (mode == JournalMode::Wal) != (old == JournalMode::Wal) && !bt.is_memory() {
                    let busy_txn = !conn.autocommit || conn.active_vms > 1;
                    if busy_txn {
                        let dir = if mode == JournalMode::Wal { "into" } else { "out of" };
                        return Err(Error::sql(format!("cannot change {dir} wal mode from within a transaction")));
                    }
                }
                let bt = conn.btree(db)?;
                let now = bt.set_journal_mode(mode)?;
                return Ok(vec![vec![Value::text(name(now))]]);
            }
            let now = if bt.is_memory() { bt.journal_mode() } else { bt.probe_journal_mode()? };
            Ok(vec![vec![Value::text(name(now))]])
        }
        "wal_checkpoint" => {
            use crate::pager::wal::CheckpointMode;
            let mode = match arg_text(arg).as_str() {
                "full" => CheckpointMode::Full,
                "restart" => CheckpointMode::Restart,
                "truncate" => CheckpointMode::Truncate,
                "noop" => CheckpointMode::Noop,
                _ => CheckpointMode::Passive,
            };
            let res = conn.with_busy_callback(db, |bt, busy| {
                let busy = if mode <= CheckpointMode::Passive { None } else { Some(busy) };
                bt.checkpoint(mode, busy)
            })?;
            Ok(vec![vec![Value::Integer(i64::from(res.busy)), Value::Integer(res.log), Value::Integer(res.ckpt)]])
        }
        "wal_autocheckpoint" => {
            if arg.is_some() {
                // As sqlite3_wal_autocheckpoint: replaces any WAL hook.
                conn.wal_hook = crate::wal_hook::WalHook::auto_checkpoint(arg_int(arg).unwrap_or(0));
            }
            Ok(vec![int(conn.wal_hook.auto_checkpoint_frames())])
        }
        "synchronous" => match arg {
            None => Ok(vec![int(i64::from(conn.synchronous))]),
            Some(_) => {
                let level = match arg_int(arg) {
                    Some(n) => n,
                    None => match arg_text(arg).as_str() {
                        "off" => 0,
                        "normal" => 1,
                        "full" => 2,
                        "extra" => 3,
                        _ => 1,
                    },
                };
                let level = level.clamp(0, 3) as u8;
                conn.synchronous = level;
                conn.btree(db)?.set_synchronous(level);
                Ok(Vec::new())
            }
        },
        "cache_size" => match arg_int(arg) {
            None => Ok(vec![int(conn.cache_size)]),
            Some(n) => {
                conn.cache_size = n;
                conn.btree(db)?.set_cache_size(n);
                Ok(Vec::new())
            }
        },
        "foreign_keys" => match arg {
            None => Ok(vec![int(0)]),
            Some(_) => match arg_bool(arg) {
                Some(true) => Err(Error::sql("foreign key enforcement is not supported yet")),
                _ => Ok(Vec::new()),
            },
        },
        // Ferrolite's own: connections of one process waiting for a lock
        // queue FIFO instead of sleeping and retrying (os::gate).
        "ferrolite_busy_queue" => match arg {
            None => Ok(vec![int(i64::from(conn.busy_queue))]),
            Some(_) => {
                if let Some(on) = arg_bool(arg) {
                    conn.busy_queue = on;
                }
                Ok(Vec::new())
            }
        },
        // Per database; -1 (no limit) by default, values below -1 are -1.
        "journal_size_limit" => {
            if let Some(v) = arg {
                let n = arg_int_or_hex(v).unwrap_or(0).max(-1);
                conn.btree(db)?.pager_mut().set_journal_size_limit(n);
            }
            Ok(vec![int(conn.btree(db)?.pager_mut().journal_size_limit())])
        }
        // Ferrolite's own: how far ahead of its frames the log file is
        // grown (bytes, 0 off; negative values leave it as it is).
        "ferrolite_wal_grow" => {
            if let Some(v) = arg {
                if let Ok(n) = u64::try_from(arg_int_or_hex(v).unwrap_or(0)) {
                    conn.btree(db)?.pager_mut().set_wal_grow(n);
                }
            }
            Ok(vec![int(conn.btree(db)?.pager_mut().wal_grow() as i64)])
        }
        // Ferrolite's own: keep the WAL allocated across the last close.
        "ferrolite_persist_wal" => match arg {
            None => Ok(vec![int(i64::from(conn.btree(db)?.persist_wal()))]),
            Some(_) => {
                if let Some(on) = arg_bool(arg) {
                    conn.btree(db)?.set_persist_wal(on);
                }
                Ok(Vec::new())
            }
        },
        // Ferrolite's own: automatic checkpoints of the main database run
        // on a background thread (checkpointer.rs).
        "ferrolite_background_checkpoint" => match arg {
            None => Ok(vec![int(i64::from(conn.background_checkpoint))]),
            Some(_) => {
                if let Some(on) = arg_bool(arg) {
                    conn.background_checkpoint = on;
                }
                Ok(Vec::new())
            }
        },
        "ferrolite_busy_priority" => match arg {
            None => Ok(vec![int(i64::from(conn.busy_priority))]),
            Some(_) => {
                if let Some(on) = arg_bool(arg) {
                    conn.busy_priority = on;
                }
                Ok(Vec::new())
            }
        },
        "busy_timeout" => {
            if let Some(ms) = arg_int(arg) {
                conn.set_busy_timeout(ms.clamp(0, i64::from(i32::MAX)) as i32);
            }
            Ok(vec![int(i64::from(conn.busy_timeout_ms))])
        }
        "auto_vacuum" => match arg {
            None => Ok(vec![int(i64::from(conn.btree(db)?.auto_vacuum()?))]),
            Some(_) => {
                // Switching a non-empty file between NONE and FULL or
                // INCREMENTAL needs a VACUUM; the refusal is silent, as
                // in SQLite, and the VACUUM applies the mode.
                let mode = auto_vacuum_mode(arg);
                // The next VACUUM rebuilds the file in this mode.
                conn.next_auto_vacuum = Some(mode);
                match conn.btree(db)?.set_auto_vacuum(mode) {
                    Err(e) if e.primary_code() == crate::error::code::READONLY => Ok(Vec::new()),
                    r => r.map(|_| Vec::new()),
                }
            }
        },
        "incremental_vacuum" => {
            // One (column-less) row per page freed, as SQLite's loop of
            // OP_IncrVacuum / OP_ResultRow yields.
            let n = match arg_int(arg) {
                Some(n) if n > 0 && n <= i64::from(i32::MAX) => n,
                _ => 0,
            };
            let steps = conn.btree(db)?.incremental_vacuum(n)?;
            Ok(vec![Vec::new(); steps as usize])
        }
        "case_sensitive_like" => match arg_bool(arg) {
            Some(true) => Err(Error::sql("case_sensitive_like is not supported yet")),
            _ => Ok(Vec::new()),
        },
        "count_changes" => match arg {
            None => Ok(vec![int(i64::from(conn.count_changes))]),
            Some(_) => {
                conn.count_changes = arg_bool(arg).unwrap_or(false);
                Ok(Vec::new())
            }
        },
        "locking_mode" => {
            let bt = conn.btree(db)?;
            match arg_text(arg).as_str() {
                "exclusive" => bt.set_exclusive_mode(true)?,
                // A memory database stays exclusive once made so.
                "normal" if !bt.is_memory() => bt.set_exclusive_mode(false)?,
                _ => {}
            }
            let mode = if bt.exclusive_mode() { "exclusive" } else { "normal" };
            Ok(vec![vec![Value::text(mode)]])
        }
        "mmap_size" => {
            let bt = conn.btree(db)?;
            if bt.is_memory() {
                return Ok(Vec::new());
            }
            if let Some(n) = arg_int(arg) {
                // Negative means the default (0); SQLite's ceiling is
                // SQLITE_MAX_MMAP_SIZE.
                bt.set_mmap_size(n.clamp(0, MAX_MMAP_SIZE) as u64);
            }
            Ok(vec![int(bt.mmap_size() as i64)])
        }
        "max_page_count" => {
            let n = arg_int(arg).map(|n| u32::try_from(n.max(0)).unwrap_or(u32::MAX)).unwrap_or(0);
            let bt = conn.btree(db)?;
            Ok(vec![int(i64::from(bt.set_max_page_count(n)))])
        }
        "fullfsync" => match arg {
            None => Ok(vec![int(i64::from(conn.fullfsync))]),
            Some(_) => {
                conn.fullfsync = arg_bool(arg).unwrap_or(false);
                let on = conn.fullfsync;
                conn.btree(db)?.set_fullfsync(on);
                Ok(Vec::new())
            }
        },
        "checkpoint_fullfsync" => match arg {
            // Applies to WAL checkpoints only, as in SQLite.
            None => Ok(vec![int(i64::from(conn.checkpoint_fullfsync))]),
            Some(_) => {
                conn.checkpoint_fullfsync = arg_bool(arg).unwrap_or(false);
                let on = conn.checkpoint_fullfsync;
                conn.btree(db)?.set_checkpoint_fullfsync(on);
                Ok(Vec::new())
            }
        },
        _ => Ok(Vec::new()),
    }
}

/// PRAGMA integrity_check / quick_check: the B-tree check of every tree
/// (pages, cells, ordering, freelist, pages used twice or never), then
/// each row against its NOT NULL columns and (integrity_check only) its
/// index entries (`check.rs`), and each index's entry count against its
/// table's rows. The B-tree's findings come as one row under SQLite's
/// "*** in database main ***" heading; each index finding is a row.
fn integrity_check(conn: &mut Connection, db: usize, full: bool, arg: Option<&Value>) -> Result<Vec<Vec<Value>>> {
    let max_errors = match arg_int(arg) {
        Some(n) if n > 0 => n as usize,
        _ => 100,
    };
    let schema = conn.dbs[db].schema.clone().unwrap_or_default();
    let mut roots = vec![crate::schema::SCHEMA_ROOT];
    let mut tables = Vec::new();
    for t in schema.tables() {
        if t.is_view() || t.root == 0 {
            continue;
        }
        let table_slot = roots.len();
        roots.push(t.root);
        let mut idx = Vec::new();
        let indexes = schema.indexes_of(&t.name);
        for ix in &indexes {
            // A partial index holds only some of the rows: its entry count
            // is not checked against the table's.
            if ix.partial.is_none() {
                idx.push((ix.name.clone(), roots.len()));
            }
            roots.push(ix.root);
        }
        tables.push((t.clone(), indexes, table_slot, idx));
    }
    let report = conn.btree(db)?.integrity_check(&roots, max_errors)?;
    let mut rows: Vec<Vec<Value>> = Vec::new();
    if !report.errors.is_empty() {
        let name = conn.dbs[db].name.clone();
        rows.push(vec![Value::text(&format!("*** in database {} ***\n{}", name, report.errors.join("\n")))]);
    }
    if report.errors.is_empty() {
        let mut found = Vec::new();
        for (t, indexes, table_slot, idx) in &tables {
            let enc = conn.enc;
            crate::check::check_table_rows(conn.btree(db)?, t, indexes, enc, full, &mut found, max_errors.saturating_sub(rows.len()))?;
            rows.extend(found.drain(..).map(|m| vec![Value::text(&m)]));
            if !full {
                continue;
            }
            let n = report.rows.get(*table_slot).copied().unwrap_or(0);
            for (name, slot) in idx {
                if report.rows.get(*slot).copied().unwrap_or(0) != n && rows.len() < max_errors {
                    rows.push(vec![Value::text(&format!("wrong # of entries in index {name}"))]);
                }
            }
        }
    }
    // Then each virtual table whose module checks itself (SQLite's
    // OP_VCheck: the R*Tree runs rtreecheck, an application module's
    // xIntegrity reports its own message); the table is connected first,
    // as SQLite does while it prepares the PRAGMA; tables of a module
    // this connection lacks are skipped.
    // In name order (SQLite follows its schema hash: the reverse of the
    // order the tables were loaded or created, for small schemas).
    let db_name = conn.dbs[db].name.clone();
    let mut vtabs: Vec<&std::sync::Arc<crate::schema::Table>> = schema.tables().filter(|t| t.module.is_some() && !t.sql.is_empty()).collect();
    vtabs.sort_by(|a, b| a.name.cmp(&b.name));
    for t in vtabs {
        if rows.len() >= max_errors {
            break;
        }
        let Some(module) = crate::vtab::module_named(&conn.vtabs, t.module.as_deref().unwrap_or("")) else { continue };
        let mut report = module.integrity_on(conn, &db_name, &t.name, !full)?;
        if report.is_none() {
            let set = conn.vtabs.clone();
            let vt = crate::vtab::connect_with(&set, db, &db_name, &t.name, &t.sql, false, None)?;
            report = vt.lock().integrity_on(conn, &db_name, &t.name, !full)?;
        }
        if let Some(report) = report {
            if rows.len() < max_errors {
                rows.push(vec![Value::text(&report)]);
            }
        }
    }
    if rows.is_empty() {
        rows.push(vec![Value::text("ok")]);
    }
    Ok(rows)
}

/// PRAGMA index_xinfo of index `ix` on `t`: each key column (an
/// expression as cid -2), then what else its entries hold, not part of the
/// key: the rowid (cid -1); for an index of a WITHOUT ROWID table the
/// PRIMARY KEY columns it lacks, as the PRIMARY KEY orders them; for the
/// PRIMARY KEY of one the table's other columns, ascending with their own
/// collations.
fn index_xinfo(t: &crate::schema::Table, ix: &crate::schema::Index) -> Vec<Vec<Value>> {
    let name = |col: usize| t.columns.get(col).map_or(Value::Null, |c| Value::text(&c.name));
    let mut rows: Vec<Vec<Value>> = Vec::new();
    let mut push = |cid: i64, name: Value, desc: bool, coll: &str, key: bool| {
        let seq = rows.len() as i64;
        rows.push(vec![Value::Integer(seq), Value::Integer(cid), name, Value::Integer(i64::from(desc)), Value::text(coll), Value::Integer(i64::from(key))]);
    };
    for c in &ix.columns {
        match c.column {
            Some(col) => push(col as i64, name(col), c.desc, c.collation.name(), true),
            None => push(-2, Value::Null, c.desc, c.collation.name(), true),
        }
    }
    if ix.is_table_pk() {
        for col in (0..t.columns.len()).filter(|&i| !t.is_virtual(i) && !ix.columns.iter().any(|c| c.column == Some(i))) {
            let coll = t.columns.get(col).and_then(|c| c.collation.clone()).unwrap_or_else(|| "BINARY".to_string());
            push(col as i64, name(col), false, &coll, false);
        }
    } else if let Some(tail) = &ix.pk_tail {
        // The tail's directions and collations as the KeyInfo holds them.
        for (k, &col) in tail.iter().enumerate() {
            let (coll, desc) = ix.key_info.fields.get(ix.columns.len() + k).cloned().unwrap_or((crate::collation::CollSeq::Binary, false));
            push(col as i64, name(col), desc, coll.name(), false);
        }
    } else {
        push(-1, Value::Null, false, "BINARY", false);
    }
    rows
}
