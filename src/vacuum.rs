//! VACUUM and VACUUM INTO: rebuild a database into a fresh file.
//!
//! The content of the database is copied, tree by tree, into a new
//! database (an anonymous temporary file for VACUUM, the named file for
//! VACUUM INTO) that has no free pages and densely packed trees. VACUUM
//! then copies that file back over the original inside one write
//! transaction of the original, so the rollback journal protects it: a
//! crash leaves either the old or the new content, never a mix.
//!
//! The new file is laid out the way SQLite's VACUUM lays it out, so that
//! `SELECT * FROM sqlite_schema` lists the same rows in the same order
//! afterwards:
//! 1. the tables that have storage, in their original order, each followed
//!    by its automatic indexes and, for the first AUTOINCREMENT table,
//!    `sqlite_sequence`;
//! 2. the explicitly created indexes, in their original order;
//! 3. the views, triggers and virtual tables (schema rows only).
//!
//! The new file has the page size and auto_vacuum mode last asked for by
//! PRAGMA page_size / auto_vacuum (SQLite applies both at VACUUM), else
//! the old file's.
//!
//! Rows are copied record for record with their rowids, and index keys
//! key for key, in tree order: nothing is re-encoded, so the text
//! encoding and every value stay byte-identical, and no collation is
//! consulted. The header values SQLite carries over (schema cookie plus
//! one, default cache size, text encoding, user_version, application_id)
//! are copied.
//!
//! Invariants: the original database is only written through
//! `Btree::copy_from` inside its own write transaction; on any error that
//! transaction is rolled back and the scratch file discarded.

use std::cmp::Ordering;

use crate::btree::{BtCursor, Btree, Pgno, TreeKind};
use crate::connection::Connection;
use crate::error::{code, Error, Result};
use crate::os::OpenFlags;
use crate::record::{put_varint, serial_type_len, Header};

/// Meta values carried into the new file, with the increment applied
/// (SQLite's BTREE_* numbering: schema cookie, default cache size, text
/// encoding, user_version, application_id).
const META_COPIED: [(usize, u32); 5] = [(1, 1), (3, 0), (5, 0), (6, 0), (8, 0)];

/// One row of the original sqlite_schema, with the raw text of its
/// fields (in the database's encoding).
struct SchemaRow {
    payload: Vec<u8>,
    kind: String,
    name: Vec<u8>,
    tbl_name: Vec<u8>,
    root: Option<i64>,
    has_sql: bool,
}

/// Runs VACUUM on database `db` of `conn`, or VACUUM INTO `into`.
/// The calling statement is the connection's only active one.
pub fn run(conn: &mut Connection, db: usize, into: Option<&str>) -> Result<()> {
    if !conn.autocommit {
        return Err(Error::sql("cannot VACUUM from within a transaction"));
    }
    if conn.active_vms > 1 {
        return Err(Error::sql("cannot VACUUM - SQL statements in progress"));
    }
    conn.begin_transaction(db, into.is_none())?;
    let r = vacuum_inner(conn, db, into);
    if r.is_err() && into.is_none() {
        if let Ok(bt) = conn.btree(db) {
            let _ = bt.rollback();
        }
    }
    // Root pages moved: the schema is read again before the next use.
    conn.forget_schema(db);
    r
}

fn vacuum_inner(conn: &mut Connection, db: usize, into: Option<&str>) -> Result<()> {
    let vfs = conn.vfs().clone();
    let mut out = match into {
        None => Btree::open_temp(vfs)?,
        Some(path) => {
            // SQL text names a file: in the engine's form for file names.
            let path = crate::os::fsname::from_bytes(path.as_bytes());
            let mut b = Btree::open(vfs, &path, OpenFlags::READWRITE | OpenFlags::CREATE)?;
            if b.file_bytes()? > 0 {
                return Err(Error::sql("output file already exists"));
            }
            b
        }
    };
    let schema = conn.schema_for_prepare(db)?;
    let interrupt = conn.interrupt_flag();
    let next_page_size = conn.next_page_size;
    let next_auto_vacuum = conn.next_auto_vacuum;
    let main = conn.btree(db)?;
    if main.page_count()? == 0 {
        // An empty database: nothing to copy, nothing to compact.
        return match into {
            None => Ok(()),
            Some(_) => {
                out.set_page_size(main.page_size())?;
                out.begin_write()?;
                out.commit()
            }
        };
    }
    // A pending PRAGMA page_size applies, except to in-memory databases
    // and, as in SQLite, to a VACUUM in place of a WAL database.
    let requested = next_page_size;
    let wal_in_place = into.is_none() && main.journal_mode() == crate::btree::JournalMode::Wal;
    let page_size = if !main.is_memory() && !wal_in_place && (512..=65536).contains(&requested) && requested.is_power_of_two() {
        requested
    } else {
        main.page_size()
    };
    out.set_page_size(page_size)?;
    out.set_reserved(main.reserved())?;
    // A pending PRAGMA auto_vacuum applies; otherwise the mode is kept.
    let mode = match next_auto_vacuum {
        Some(m) => m,
        None => main.auto_vacuum()?,
    };
    out.set_auto_vacuum(mode)?;
    if into.is_some() {
        out.set_journal_mode(crate::btree::JournalMode::Off)?;
    }
    out.begin_write()?;
    let encoding = main.get_meta(5)?;
    out.update_meta(5, encoding)?;

    let rows = read_schema(main, encoding)?;
    let mut new_rows: Vec<Vec<u8>> = Vec::with_capacity(rows.len());
    // (source root, new root) of every tree to copy.
    let mut trees: Vec<(Pgno, Pgno)> = Vec::new();
    let has_storage = |r: &SchemaRow| r.root.is_some_and(|p| p > 0);

    let mut seq_created = false;
    let seq_row = rows.iter().find(|r| r.kind == "table" && r.name == b"sqlite_sequence");
    for t in rows.iter().filter(|r| r.kind == "table" && r.name != b"sqlite_sequence" && has_storage(r)) {
        add_tree(main, &mut out, t, &mut new_rows, &mut trees)?;
        for ix in rows.iter().filter(|r| r.kind == "index" && !r.has_sql && r.tbl_name == t.name) {
            if has_storage(ix) {
                add_tree(main, &mut out, ix, &mut new_rows, &mut trees)?;
            }
        }
        let autoinc = decode_name(&t.name, encoding)
            .and_then(|n| schema.table(&n).map(|tab| tab.autoincrement))
            .unwrap_or(false);
        if autoinc && !seq_created {
            if let Some(seq) = seq_row.filter(|r| has_storage(r)) {
                add_tree(main, &mut out, seq, &mut new_rows, &mut trees)?;
            }
            seq_created = true;
        }
    }
    for ix in rows.iter().filter(|r| r.kind == "index" && r.has_sql && has_storage(r)) {
        add_tree(main, &mut out, ix, &mut new_rows, &mut trees)?;
    }
    for r in rows.iter().filter(|r| matches!(r.kind.as_str(), "view" | "trigger") || (r.kind == "table" && r.root == Some(0))) {
        new_rows.push(r.payload.clone());
    }

    let mut sc = BtCursor::new(1, TreeKind::Table, true);
    for (i, rec) in new_rows.iter().enumerate() {
        sc.insert(&mut out, i as i64 + 1, rec)?;
    }
    for &(src_root, dst_root) in &trees {
        copy_tree(main, &mut out, src_root, dst_root, &interrupt)?;
    }
    for (idx, inc) in META_COPIED {
        let v = main.get_meta(idx)?;
        out.update_meta(idx, v.wrapping_add(inc))?;
    }

    match into {
        Some(_) => {
            out.commit()?;
            Ok(())
        }
        None if out.page_size() == main.page_size() => {
            main.copy_from(&mut out)?;
            drop(out);
            conn.retrying_busy(|c| c.btree(db)?.commit())
        }
        None => {
            conn.retrying_busy(|c| c.btree(db)?.commit_replacing(&mut out))?;
            drop(out);
            conn.btree(db)?.commit()
        }
    }
}

/// Creates the new tree for schema row `r` (same kind as the original),
/// records its schema row with the new root page and the pair to copy.
fn add_tree(main: &mut Btree, out: &mut Btree, r: &SchemaRow, rows: &mut Vec<Vec<u8>>, trees: &mut Vec<(Pgno, Pgno)>) -> Result<()> {
    let src = Pgno::try_from(r.root.unwrap_or(0)).map_err(|_| Error::corrupt())?;
    let kind = main.tree_kind(src)?;
    let dst = out.create_table(kind)?;
    rows.push(with_rootpage(&r.payload, dst)?);
    trees.push((src, dst));
    Ok(())
}

/// Every row of sqlite_schema, in rowid order.
fn read_schema(main: &mut Btree, encoding: u32) -> Result<Vec<SchemaRow>> {
    let mut rows = Vec::new();
    let mut c = BtCursor::new(1, TreeKind::Table, false);
    let mut more = c.first(main)?;
    while more {
        let payload = c.payload(main)?.into_owned();
        let h = Header::parse(&payload)?;
        let kind = text_field(&h, &payload, 0).map(|t| decode_name(t, encoding).unwrap_or_default()).unwrap_or_default();
        let name = text_field(&h, &payload, 1).unwrap_or_default().to_vec();
        let tbl_name = text_field(&h, &payload, 2).unwrap_or_default().to_vec();
        let root = match h.column(&payload, 3)? {
            crate::value::ValueRef::Integer(i) => Some(i),
            crate::value::ValueRef::Null => None,
            _ => Some(0),
        };
        let has_sql = h.columns.get(4).is_some_and(|&(t, _)| t != 0);
        rows.push(SchemaRow { kind: kind.to_ascii_lowercase(), name, tbl_name, root, has_sql, payload });
        more = c.next(main)?;
    }
    Ok(rows)
}

/// The raw bytes of TEXT field `i`, or None when it is not TEXT.
fn text_field<'p>(h: &Header, payload: &'p [u8], i: usize) -> Option<&'p [u8]> {
    let &(t, off) = h.columns.get(i)?;
    if t < 13 || t % 2 == 0 {
        return None;
    }
    payload.get(off as usize..off as usize + serial_type_len(t))
}

/// Text in the database encoding (1 UTF-8, 2 UTF-16le, 3 UTF-16be) as a
/// Rust string.
fn decode_name(raw: &[u8], encoding: u32) -> Option<String> {
    match encoding {
        2 | 3 => {
            let units = raw.chunks_exact(2).map(|c| {
                if encoding == 2 {
                    u16::from_le_bytes([c[0], c[1]])
                } else {
                    u16::from_be_bytes([c[0], c[1]])
                }
            });
            char::decode_utf16(units).collect::<std::result::Result<String, _>>().ok()
        }
        _ => std::str::from_utf8(raw).ok().map(str::to_string),
    }
}

/// `payload` (a sqlite_schema record) with its rootpage field (column 3)
/// replaced by `root`; the other fields keep their exact bytes.
fn with_rootpage(payload: &[u8], root: Pgno) -> Result<Vec<u8>> {
    let h = Header::parse(payload)?;
    if h.len() < 4 {
        return Err(Error::corrupt());
    }
    let mut types = Vec::with_capacity(16);
    let mut body = Vec::with_capacity(payload.len());
    for (i, &(t, off)) in h.columns.iter().enumerate() {
        if i == 3 {
            let v = i64::from(root);
            let (t, n) = match v {
                0 => (8, 0),
                1 => (9, 0),
                2..=0x7f => (1, 1),
                0x80..=0x7fff => (2, 2),
                0x8000..=0x7f_ffff => (3, 3),
                0x80_0000..=0x7fff_ffff => (4, 4),
                _ => (5, 6),
            };
            put_varint(&mut types, t);
            body.extend_from_slice(&v.to_be_bytes()[8 - n..]);
        } else {
            put_varint(&mut types, t);
            let start = off as usize;
            body.extend_from_slice(payload.get(start..start + serial_type_len(t)).ok_or_else(Error::corrupt)?);
        }
    }
    // The header size counts its own varint.
    let mut hdr_len = types.len() + 1;
    while crate::record::varint_len(hdr_len as u64) + types.len() != hdr_len {
        hdr_len = types.len() + crate::record::varint_len(hdr_len as u64);
    }
    let mut rec = Vec::with_capacity(hdr_len + body.len());
    put_varint(&mut rec, hdr_len as u64);
    rec.extend_from_slice(&types);
    rec.extend_from_slice(&body);
    Ok(rec)
}

/// Copies every entry of the tree at `src_root` in `main` into the empty
/// tree at `dst_root` in `out`, in order (each entry goes after the
/// previous one, so no key comparison is needed).
fn copy_tree(main: &mut Btree, out: &mut Btree, src_root: Pgno, dst_root: Pgno, interrupt: &std::sync::atomic::AtomicBool) -> Result<()> {
    let kind = main.tree_kind(src_root)?;
    let mut src = BtCursor::new(src_root, kind, false);
    let mut dst = BtCursor::new(dst_root, kind, true);
    let mut more = src.first(main)?;
    let mut n: u32 = 0;
    let mut after_last = |_: &[u8]| Ok(Ordering::Less);
    while more {
        n = n.wrapping_add(1);
        if n % 1024 == 0 && interrupt.load(std::sync::atomic::Ordering::Relaxed) {
            return Err(Error::code(code::INTERRUPT));
        }
        match kind {
            TreeKind::Table => {
                let rowid = src.rowid(main)?;
                let data = src.payload(main)?;
                dst.insert(out, rowid, &data)?;
            }
            TreeKind::Index => {
                let key = src.payload(main)?;
                dst.insert_index(out, &key, &mut after_last)?;
            }
        }
        more = src.next(main)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::encode_values;
    use crate::value::Value;

    #[test]
    fn rootpage_replaced_other_fields_kept() {
        let rec = encode_values(&[
            Value::text("table"),
            Value::text("t"),
            Value::text("t"),
            Value::Integer(2),
            Value::text("CREATE TABLE t(a)"),
        ]);
        for root in [0u32, 1, 127, 128, 40000, 9_000_000, 3_000_000_000] {
            let got = with_rootpage(&rec, root).unwrap();
            let want = encode_values(&[
                Value::text("table"),
                Value::text("t"),
                Value::text("t"),
                Value::Integer(i64::from(root)),
                Value::text("CREATE TABLE t(a)"),
            ]);
            assert_eq!(got, want, "root {root}");
        }
    }

    #[test]
    fn utf16_names_decode() {
        let le: Vec<u8> = "tä".encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
        let be: Vec<u8> = "tä".encode_utf16().flat_map(|u| u.to_be_bytes()).collect();
        assert_eq!(decode_name(&le, 2).as_deref(), Some("tä"));
        assert_eq!(decode_name(&be, 3).as_deref(), Some("tä"));
        assert_eq!(decode_name("tä".as_bytes(), 1).as_deref(), Some("tä"));
    }
}
