//! The row-level half of PRAGMA integrity_check and quick_check, which
//! SQLite runs after its B-tree walk: every row of every rowid table is
//! checked against its NOT NULL columns and, for integrity_check only,
//! every index must hold exactly that row's entry ("row N missing from
//! index X"). The entry counts of each index against its table are
//! compared by the caller from the B-tree walk.
//!
//! A WITHOUT ROWID table's rows are the entries of its PRIMARY KEY
//! B-tree; their index entries end with the PRIMARY KEY columns, and a
//! row is named in messages by its position in the table (from 1).
//!
//! Only reads; one table cursor and one index probe per row and index.
//! Indexes on expressions or VIRTUAL generated columns and partial
//! indexes are not probed, nor are VIRTUAL columns checked for NULL
//! (their values are not plain record fields).

use std::cmp::Ordering;

use crate::btree::{BtCursor, Btree, TreeKind};
use crate::error::Result;
use crate::record::{compare_with_values, Header};
use crate::schema::{Index, Table};
use crate::util::TextEncoding;
use crate::value::{Value, ValueRef};

/// Checks the rows of table `t` (with its `indexes`); appends SQLite's
/// messages to `out` until it holds `max_errors`.
#[allow(clippy::too_many_arguments)]
pub fn check_table_rows(bt: &mut Btree, t: &Table, indexes: &[std::sync::Arc<Index>], enc: TextEncoding, full: bool, out: &mut Vec<String>, max_errors: usize) -> Result<()> {
    if t.is_view() || t.root == 0 {
        return Ok(());
    }
    let probed: Vec<&Index> = if full {
        indexes.iter().map(|ix| ix.as_ref()).filter(|ix| ix.partial.is_none() && ix.columns.iter().all(|c| c.column.is_some_and(|i| !t.is_virtual(i)))).collect()
    } else {
        Vec::new()
    };
    let check_nulls = t.columns.iter().enumerate().any(|(i, c)| c.not_null && !t.is_virtual(i));
    if probed.is_empty() && !check_nulls {
        return Ok(());
    }
    let mut cur = match t.cursor_key_info() {
        Some(ki) => {
            let ki = ki.with_encoding(enc);
            BtCursor::new_index(t.root, false, std::sync::Arc::new(move |a: &[u8], b: &[u8]| crate::record::compare_records(a, b, &ki)))
        }
        None => BtCursor::new(t.root, TreeKind::Table, false),
    };
    let mut position = 0i64;
    let mut header = Header::default();
    let mut key: Vec<Value> = Vec::new();
    let mut more = cur.first(bt)?;
    while more && out.len() < max_errors {
        position += 1;
        let rowid = if t.without_rowid { position } else { cur.rowid(bt)? };
        let payload = cur.payload(bt)?.into_owned();
        header.parse_into(&payload, usize::MAX)?;
        let column = |i: usize| -> Result<Option<ValueRef<'_>>> {
            if Some(i) == t.rowid_alias {
                return Ok(Some(ValueRef::Integer(rowid)));
            }
            // A row older than an ADD COLUMN has fewer fields: the missing
            // ones take the column default, not checked here.
            let field = t.record_field(i);
            if t.is_virtual(i) || field >= header.len() {
                return Ok(None);
            }
            header.column(&payload, field).map(Some)
        };
        for (i, c) in t.columns.iter().enumerate() {
            if c.not_null && matches!(column(i)?, Some(ValueRef::Null)) && out.len() < max_errors {
                out.push(format!("NULL value in {}.{}", t.name, c.name));
            }
        }
        for ix in &probed {
            key.clear();
            for ic in &ix.columns {
                // Text goes into the probe as UTF-8, the key comparison
                // knows the stored keys' encoding.
                let v = match ic.column {
                    Some(i) if Some(i) == t.rowid_alias => Value::Integer(rowid),
                    Some(i) if t.record_field(i) < header.len() => header.value(&payload, t.record_field(i), enc)?,
                    // A row older than an ADD COLUMN: the column default.
                    Some(i) => t.column_default(i).unwrap_or(Value::Null),
                    None => Value::Null,
                };
                key.push(v);
            }
            match &ix.pk_tail {
                Some(tail) => {
                    for &i in tail {
                        key.push(header.value(&payload, t.record_field(i), enc)?);
                    }
                }
                None => key.push(Value::Integer(rowid)),
            }
            let mut icur = BtCursor::new(ix.root, TreeKind::Index, false);
            let key_info = ix.key_info.with_encoding(enc);
            let c = icur.index_moveto(bt, &mut |stored: &[u8]| compare_with_values(stored, &key, &key_info))?;
            let found = c == 0 && !icur.eof() && {
                let stored = icur.payload(bt)?;
                compare_with_values(&stored, &key, &key_info)? == Ordering::Equal
            };
            if !found && out.len() < max_errors {
                out.push(format!("row {} missing from index {}", rowid, ix.name));
            }
        }
        more = cur.next(bt)?;
    }
    Ok(())
}
