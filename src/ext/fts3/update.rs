//! xUpdate of a full-text table, as SQLite's fts3UpdateMethod: documents
//! go to %_content, their terms to the pending terms (a delete or the old
//! side of an update adds delete markers), %_docsize and %_stat follow;
//! and the special INSERTs `INSERT INTO t(t) VALUES('optimize' |
//! 'rebuild' | 'integrity-check' | 'flush')`.
//!
//! argv is SQLite's: [old docid, new rowid, columns..., the hidden
//! column named after the table, docid, langid].
//!
//! Invariant: pending terms are in increasing docid order; a docid that
//! does not follow the last one flushes them first (as SQLite).

use std::collections::BTreeSet;

use crate::connection::Connection;
use crate::error::{code, Error, Result};
use crate::value::Value;
use crate::vdbe::mem;

use super::doclist::corrupt;
use super::writer::{self, abs_level, decode_counts, encode_counts, MAX_PENDING};
use super::{Info, Shared};

/// The text of a column value as the tokenizer sees it (None for NULL).
pub fn value_text(v: &Value) -> Option<Vec<u8>> {
    if v.is_null() {
        return None;
    }
    Some(mem::text_of(v.as_ref()).into_owned())
}

/// Sets the document the next pending terms belong to
/// (fts3PendingTermsDocid).
fn pending_docid(shared: &Shared, conn: &mut Connection, delete: bool, langid: i64, docid: i64) -> Result<()> {
    let must_flush = {
        let p = shared.pending();
        docid < p.prev_docid || (docid == p.prev_docid && !p.prev_delete) || p.prev_langid != langid || p.size > MAX_PENDING
    };
    if must_flush {
        shared.flush(conn)?;
    }
    let mut p = shared.pending();
    p.prev_docid = docid;
    p.prev_langid = langid;
    p.prev_delete = delete;
    Ok(())
}

/// Adds the terms of `text` (column `col`, or delete markers when `col`
/// is -1) to the pending terms; returns the number of tokens.
fn add_terms(shared: &Shared, text: Option<&[u8]>, col: i32) -> u32 {
    let Some(text) = text else { return 0 };
    let info = &shared.info;
    let tokens = info.tokenizer.tokenize(text);
    let mut p = shared.pending();
    let mut n_word = 0u32;
    for t in &tokens {
        if t.pos as u32 >= n_word {
            n_word = t.pos as u32 + 1;
        }
        p.add(0, &t.text, col, t.pos);
        for (i, &np) in info.prefixes.iter().enumerate() {
            if t.text.len() >= np {
                p.add(i + 1, &t.text[..np], col, t.pos);
            }
        }
    }
    n_word
}

/// Sizes of a change: tokens per column, then bytes.
struct Sizes {
    ins: Vec<u32>,
    del: Vec<u32>,
    n_chng: i64,
}

/// Deletes document `docid` if it exists (fts3DeleteByRowid).
fn delete_by_rowid(shared: &Shared, conn: &mut Connection, docid: i64, sz: &mut Sizes) -> Result<()> {
    let info = &shared.info;
    let Some(row) = info.shadow.content_row(conn, docid)? else { return Ok(()) };
    pending_docid(shared, conn, true, info.shadow.row_langid(&row), docid)?;
    for (i, v) in row.iter().enumerate().take(info.n_column()) {
        if info.notindexed.get(i).copied().unwrap_or(false) {
            continue;
        }
        let text = value_text(v);
        sz.del[i] += add_terms(shared, text.as_deref(), -1);
        sz.del[info.n_column()] += text.map_or(0, |t| t.len() as u32);
    }
    if info.shadow.empty_without(conn, docid)? {
        // The table becomes empty: everything goes.
        shared.pending().discard();
        info.shadow.delete_all(conn, true)?;
        sz.n_chng = 0;
        sz.del.iter_mut().for_each(|x| *x = 0);
        sz.ins.iter_mut().for_each(|x| *x = 0);
    } else {
        sz.n_chng -= 1;
        info.shadow.delete_content(conn, docid)?;
        if info.shadow.has_docsize {
            info.shadow.delete_docsize(conn, docid)?;
        }
    }
    Ok(())
}

/// Writes the new document's row (fts3InsertData); returns its docid.
fn insert_data(info: &Info, conn: &mut Connection, argv: &[Value], langid: i64) -> Result<i64> {
    let n = info.n_column();
    let docid_col = argv.get(3 + n).cloned().unwrap_or(Value::Null);
    if info.shadow.external.is_some() {
        // content=: the document is the application's; only its docid
        // matters, and it must be an integer.
        let v = if docid_col.is_null() { argv.get(1).cloned().unwrap_or(Value::Null) } else { docid_col };
        return match v {
            Value::Integer(i) => Ok(i),
            _ => Err(Error::code(code::CONSTRAINT)),
        };
    }
    let mut docid = argv.get(1).cloned().unwrap_or(Value::Null);
    if !docid_col.is_null() {
        if argv.first().is_none_or(|v| v.is_null()) && !docid.is_null() {
            // Both rowid and docid given: SQLite's SQLITE_ERROR.
            return Err(Error::code(code::ERROR));
        }
        docid = docid_col;
    }
    // The errors %_content would raise are raised here: a failing nested
    // statement would end the user's transaction.
    if !docid.is_null() {
        let id = match &docid {
            Value::Integer(i) => *i,
            v => match mem::numeric_type(v.as_ref()) {
                Some(mem::Num::Int(i)) => i,
                Some(mem::Num::Real(r)) if r == r.trunc() && r.abs() < 9.2e18 => r as i64,
                _ => return Err(Error::code(code::MISMATCH)),
            },
        };
        if info.shadow.content_row(conn, id)?.is_some() {
            return Err(Error::code(code::CONSTRAINT));
        }
        docid = Value::Integer(id);
    }
    let values: Vec<Value> = (0..n).map(|i| argv.get(2 + i).cloned().unwrap_or(Value::Null)).collect();
    info.shadow.insert_content(conn, docid, &values, langid)
}

/// Updates %_stat's totals (fts3UpdateDocTotals).
fn update_totals(info: &Info, conn: &mut Connection, sz: &Sizes) -> Result<()> {
    let n = info.n_column();
    let blob = info.shadow.read_stat(conn, 0)?;
    let mut a = match blob {
        Some(b) => decode_counts(&b, n + 2),
        None => vec![0; n + 2],
    };
    if sz.n_chng < 0 && (a[0] as i64) < -sz.n_chng {
        a[0] = 0;
    } else {
        a[0] = (a[0] as i64 + sz.n_chng) as u32;
    }
    for i in 0..=n {
        let x = a[i + 1] as u64 + sz.ins[i] as u64;
        a[i + 1] = if x < sz.del[i] as u64 { 0 } else { (x - sz.del[i] as u64) as u32 };
    }
    info.shadow.write_stat(conn, 0, &encode_counts(&a))
}

/// Adds a document's terms and records its size.
fn index_document(shared: &Shared, conn: &mut Connection, docid: i64, langid: i64, values: &[Value], sizes: &mut [u32]) -> Result<()> {
    let info = &shared.info;
    let n = info.n_column();
    pending_docid(shared, conn, false, langid, docid)?;
    for (i, v) in values.iter().enumerate().take(n) {
        if info.notindexed.get(i).copied().unwrap_or(false) {
            continue;
        }
        let text = value_text(v);
        sizes[i] += add_terms(shared, text.as_deref(), i as i32);
        sizes[n] += text.map_or(0, |t| t.len() as u32);
    }
    if info.shadow.has_docsize {
        info.shadow.write_docsize(conn, docid, &encode_counts(&sizes[..n]))?;
    }
    Ok(())
}

/// xUpdate.
pub fn update(shared: &Shared, conn: &mut Connection, argv: &[Value], on_conflict: i32) -> Result<Option<i64>> {
    let info = &shared.info;
    let n = info.n_column();
    let old = argv.first().cloned().unwrap_or(Value::Null);
    if argv.len() > 1 && old.is_null() {
        if let Some(cmd) = argv.get(n + 2).filter(|v| !v.is_null()) {
            special_insert(shared, conn, cmd)?;
            return Ok(None);
        }
    }
    if argv.len() > 1 && argv.get(n + 4).is_some_and(|v| mem::to_integer(v.as_ref()) < 0) {
        return Err(Error::code(code::CONSTRAINT));
    }
    let langid = argv.get(n + 4).map_or(0, |v| mem::to_integer(v.as_ref()));
    let mut sz = Sizes { ins: vec![0; n + 1], del: vec![0; n + 1], n_chng: 0 };
    let mut inserted: Option<i64> = None;
    if argv.len() > 1 {
        let mut new_rowid = argv.get(3 + n).cloned().unwrap_or(Value::Null);
        if new_rowid.is_null() {
            new_rowid = argv.get(1).cloned().unwrap_or(Value::Null);
        }
        if !new_rowid.is_null() && (old.is_null() || mem::to_integer(old.as_ref()) != mem::to_integer(new_rowid.as_ref())) {
            if on_conflict == crate::vtab::conflict::REPLACE {
                delete_by_rowid(shared, conn, mem::to_integer(new_rowid.as_ref()), &mut sz)?;
            } else {
                inserted = Some(insert_data(info, conn, argv, langid)?);
            }
        }
    }
    if !old.is_null() {
        delete_by_rowid(shared, conn, mem::to_integer(old.as_ref()), &mut sz)?;
    }
    let mut result = None;
    if argv.len() > 1 {
        let docid = match inserted {
            Some(d) => d,
            None => insert_data(info, conn, argv, langid).map_err(|e| if e.primary_code() == code::CONSTRAINT && info.shadow.external.is_none() { corrupt() } else { e })?,
        };
        let values: Vec<Value> = (0..n).map(|i| argv.get(2 + i).cloned().unwrap_or(Value::Null)).collect();
        let mut sizes = std::mem::take(&mut sz.ins);
        index_document(shared, conn, docid, langid, &values, &mut sizes)?;
        sz.ins = sizes;
        sz.n_chng += 1;
        result = Some(docid);
    }
    if info.fts4 {
        update_totals(info, conn, &sz)?;
    }
    Ok(result)
}

/// The special INSERT commands (fts3SpecialInsert).
fn special_insert(shared: &Shared, conn: &mut Connection, cmd: &Value) -> Result<()> {
    let text = value_text(cmd).unwrap_or_default();
    let lower = text.to_ascii_lowercase();
    match lower.as_slice() {
        b"optimize" => {
            shared.flush(conn)?;
            let node_size = shared.info.node_size(conn)?;
            let shape = writer::IndexShape { sh: &shared.info.shadow, node_size, n_index: shared.info.n_index() };
            let langid = shared.pending().prev_langid;
            shape.optimize(conn, langid)
        }
        b"rebuild" => rebuild(shared, conn),
        b"integrity-check" => {
            shared.flush(conn)?;
            integrity_check(shared, conn)
        }
        b"flush" => shared.flush(conn),
        _ if lower.starts_with(b"merge=") && lower.len() > 6 => Err(Error::sql("the fts4 command 'merge=' is not supported yet")),
        _ if lower.starts_with(b"automerge=") && lower.len() > 10 => Err(Error::sql("the fts4 command 'automerge=' is not supported yet")),
        _ => Err(Error::code(code::ERROR)),
    }
}

/// 'rebuild': the index made again from %_content (fts3DoRebuild).
fn rebuild(shared: &Shared, conn: &mut Connection) -> Result<()> {
    let info = &shared.info;
    let n = info.n_column();
    shared.pending().discard();
    info.shadow.delete_all(conn, false)?;
    let rows = info.shadow.content_scan(conn, i64::MIN, i64::MAX, false)?;
    let mut ins = vec![0u32; n + 1];
    let mut n_entry = 0i64;
    for (docid, values) in rows {
        let mut sizes = vec![0u32; n + 1];
        let langid = info.shadow.row_langid(&values);
        index_document(shared, conn, docid, langid, &values, &mut sizes)?;
        for i in 0..=n {
            ins[i] += sizes[i];
        }
        n_entry += 1;
    }
    if info.fts4 {
        update_totals(info, conn, &Sizes { ins, del: vec![0; n + 1], n_chng: n_entry })?;
    }
    Ok(())
}

/// One index entry: language, term, docid, column, position.
type Posting = (i64, Vec<u8>, i64, i32, i32);

/// 'integrity-check': the index must hold exactly the terms of the
/// documents (SQLITE_CORRUPT_VTAB otherwise), as SQLite's checksums.
pub fn integrity_check(shared: &Shared, conn: &mut Connection) -> Result<()> {
    let info = &shared.info;
    if info.shadow.contentless() {
        // Nothing to compare the index with.
        return Ok(());
    }
    let langids = info.shadow.langids(conn, 0, info.n_index())?;
    let docs = info.shadow.content_scan(conn, i64::MIN, i64::MAX, false)?;
    for index in 0..info.n_index() {
        let mut from_index: BTreeSet<Posting> = BTreeSet::new();
        for &lang in &langids {
            let lo = abs_level(lang, info.n_index(), index, 0);
            let segs = info.shadow.segments(conn, lo, lo + writer::MAX_LEVEL - 1)?;
            for (term, ds) in writer::merged_entries(conn, &info.shadow, &segs, true)? {
                for d in ds {
                    for &(c, p) in &d.positions {
                        from_index.insert((lang, term.clone(), d.docid, c, p));
                    }
                }
            }
        }
        let mut from_docs: BTreeSet<Posting> = BTreeSet::new();
        let np = if index == 0 { None } else { info.prefixes.get(index as usize - 1).copied() };
        for (docid, values) in &docs {
            let lang = info.shadow.row_langid(values);
            for (c, v) in values.iter().enumerate().take(info.n_column()) {
                if info.notindexed.get(c).copied().unwrap_or(false) {
                    continue;
                }
                let Some(text) = value_text(v) else { continue };
                for t in info.tokenizer.tokenize(&text) {
                    let term = match np {
                        None => t.text.clone(),
                        Some(np) if t.text.len() >= np => t.text[..np].to_vec(),
                        Some(_) => continue,
                    };
                    from_docs.insert((lang, term, *docid, c as i32, t.pos));
                }
            }
        }
        if from_index != from_docs {
            return Err(corrupt());
        }
    }
    Ok(())
}
