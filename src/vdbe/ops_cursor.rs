//! Opcodes that work through cursors: opening B-trees and transient
//! tables, moving, seeking, reading columns, building records, inserting
//! and deleting, sorting, and the schema opcodes that call the B-tree
//! directly (CreateBtree, Destroy, Clear, cookies).
//!
//! Invariant: after any write through a cursor, every other B-tree cursor
//! of the same database drops its cached row (`invalidate_rows`), because
//! the B-tree may have moved the entry it was reading.

use std::cmp::Ordering;
use std::sync::Arc;

use crate::btree::{BtCursor, TreeKind};
use crate::connection::Connection;
use crate::error::{code, Error, Result};
use crate::record::{self, compare_records, compare_with_values, Header, KeyInfo};
use crate::value::{Value, ValueRef};

use super::cursor::{BtreeCursor, EphIndex, EphTable, Sorter, VCursor};
use super::exec::Vm;
use super::{Op, Root, SeekOp};

fn no_cursor() -> Error {
    Error::with_message(code::INTERNAL, "cursor is not open")
}

impl Vm {
    fn cursor_mut(&mut self, i: usize) -> Result<&mut VCursor> {
        self.cursors.get_mut(i).and_then(|c| c.as_mut()).ok_or_else(no_cursor)
    }

    fn invalidate_rows(&mut self, db: usize) {
        for c in self.cursors.iter_mut().flatten() {
            if let VCursor::Btree(b) = c {
                if b.db == db {
                    b.row_valid = false;
                }
            }
        }
    }

    fn root_page(&self, root: Root) -> Result<u32> {
        match root {
            Root::Page(p) => Ok(p),
            Root::Reg(r) => match self.regs[r] {
                Value::Integer(p) if p > 0 && p <= i64::from(u32::MAX) => Ok(p as u32),
                _ => Err(Error::with_message(code::INTERNAL, "root page register holds no page number")),
            },
        }
    }

    /// Loads (if needed) and returns the current entry of a B-tree cursor.
    pub(super) fn btree_row<'a>(b: &'a mut BtreeCursor, conn: &mut Connection) -> Result<(&'a [u8], &'a Header)> {
        if !b.row_valid {
            let bt = conn.btree(b.db)?;
            b.cur.payload_into(bt, &mut b.payload)?;
            b.header.parse_into(&b.payload, usize::MAX)?;
            b.row_valid = true;
        }
        Ok((&b.payload, &b.header))
    }

    fn probe(&self, key: usize, n: usize) -> Vec<Value> {
        self.regs[key..key + n].to_vec()
    }

    /// Positions `cur` for the seek `op` against `probe` (a prefix of the
    /// index key): Ge / Gt on the first entry at or after / after it, Le /
    /// Lt on the last entry at or before / before it. False when there is
    /// no such entry.
    fn btree_seek(cur: &mut BtCursor, conn: &mut Connection, db: usize, probe: &[Value], ki: &KeyInfo, op: SeekOp) -> Result<bool> {
        let bt = conn.btree(db)?;
        // Entries matching the probe count as larger than it for Ge and Lt
        // and as smaller for Gt and Le, so the search ends right before or
        // right after the run of matches.
        let tie = match op {
            SeekOp::Ge | SeekOp::Lt => Ordering::Greater,
            SeekOp::Gt | SeekOp::Le => Ordering::Less,
        };
        let mut cmp = |stored: &[u8]| -> Result<Ordering> {
            Ok(match compare_with_values(stored, probe, ki)? {
                Ordering::Equal => tie,
                o => o,
            })
        };
        let r = cur.index_moveto(bt, &mut cmp)?;
        if cur.eof() {
            return Ok(false);
        }
        match op {
            SeekOp::Ge | SeekOp::Gt if r < 0 => cur.next(bt),
            SeekOp::Le | SeekOp::Lt if r > 0 => cur.prev(bt),
            _ => Ok(true),
        }
    }

    /// The record under a non-B-tree cursor.
    fn transient_record(c: &VCursor) -> Option<&[u8]> {
        match c {
            VCursor::EphTable(t) => {
                if t.null_row {
                    None
                } else {
                    t.current()
                }
            }
            VCursor::EphIndex(ix) => ix.pos.as_ref().map(|k| &k.rec[..]),
            VCursor::Sorter(s) => s.current(),
            VCursor::Btree(_) | VCursor::Virtual(_) => None,
        }
    }

    pub(super) fn exec_cursor(&mut self, op: &Op, conn: &mut Connection) -> Result<Option<usize>> {
        match op {
            Op::OpenRead { cursor, db, root, kind, key_info } | Op::OpenWrite { cursor, db, root, kind, key_info } => {
                let writable = matches!(op, Op::OpenWrite { .. });
                let root = self.root_page(*root)?;
                conn.btree(*db)?;
                let key_info = key_info.as_ref().map(|ki| ki.with_encoding(self.enc));
                let cur = match (kind, &key_info) {
                    (TreeKind::Index, Some(ki)) => {
                        let ki = ki.clone();
                        let cmp: crate::btree::cursor::KeyCmp = Arc::new(move |a: &[u8], b: &[u8]| compare_records(a, b, &ki));
                        BtCursor::new_index(root, writable, cmp)
                    }
                    _ => BtCursor::new(root, *kind, writable),
                };
                self.cursors[*cursor] = Some(VCursor::Btree(BtreeCursor {
                    db: *db,
                    cur,
                    kind: *kind,
                    key_info,
                    row_valid: false,
                    payload: Vec::new(),
                    header: Header::default(),
                    null_row: false,
                    deferred: None,
                }));
            }
            Op::OpenEphemeral { cursor, key_info } => {
                self.cursors[*cursor] = Some(match key_info {
                    Some(ki) => VCursor::EphIndex(EphIndex::new(ki.with_encoding(self.enc))),
                    None => VCursor::EphTable(EphTable::default()),
                });
            }
            Op::SorterOpen { cursor, key_info } => {
                self.cursors[*cursor] = Some(VCursor::Sorter(Sorter { key_info: key_info.with_encoding(self.enc), rows: Vec::new(), pos: 0 }));
            }
            Op::Close { cursor } => self.cursors[*cursor] = None,
            Op::Rewind { cursor, target } | Op::Last { cursor, target } => {
                let last = matches!(op, Op::Last { .. });
                if !self.cursor_mut(*cursor)?.rewind(conn, last)? {
                    return Ok(Some(*target));
                }
            }
            Op::Next { cursor, target } | Op::Prev { cursor, target } => {
                let forward = matches!(op, Op::Next { .. });
                if self.cursor_mut(*cursor)?.advance(conn, forward)? {
                    return Ok(Some(*target));
                }
            }
            Op::SeekRowidRange { op, cursor, reg, target } => {
                // Forward (Ge, Gt): the first rowid the bound lets in;
                // backward (Le, Lt): the last. None: no row can match.
                let v = super::mem::apply_affinity(self.regs[*reg].clone(), super::mem::Affinity::Numeric);
                let forward = matches!(op, SeekOp::Ge | SeekOp::Gt);
                let strict = matches!(op, SeekOp::Gt | SeekOp::Lt);
                const TOP: f64 = 9.223_372_036_854_775e18;
                let edge: Option<i64> = match v {
                    Value::Integer(i) => match (forward, strict) {
                        (true, true) => i.checked_add(1),
                        (false, true) => i.checked_sub(1),
                        _ => Some(i),
                    },
                    Value::Real(r) if r.is_nan() => None,
                    Value::Real(r) => {
                        let integral = r == r.floor();
                        if forward {
                            let f = if strict && integral { r + 1.0 } else { r.ceil() };
                            if f >= TOP {
                                None
                            } else if f < -TOP {
                                Some(i64::MIN)
                            } else {
                                Some(f as i64)
                            }
                        } else {
                            let f = if strict && integral { r - 1.0 } else { r.floor() };
                            if f < -TOP {
                                None
                            } else if f >= TOP {
                                Some(i64::MAX)
                            } else {
                                Some(f as i64)
                            }
                        }
                    }
                    // Text and blobs sort after every number.
                    Value::Text(_) | Value::Blob(_) if !forward => Some(i64::MAX),
                    _ => None,
                };
                let Some(edge) = edge else { return Ok(Some(*target)) };
                let c = self.cursor_mut(*cursor)?;
                let found = match c {
                    VCursor::Btree(b) => {
                        b.invalidate();
                        let bt = conn.btree(b.db)?;
                        let c = b.cur.table_moveto(bt, edge)?;
                        if b.cur.eof() {
                            false
                        } else if forward && c < 0 {
                            b.cur.next(bt)?
                        } else if !forward && c > 0 {
                            b.cur.prev(bt)?
                        } else {
                            true
                        }
                    }
                    _ => return Err(Error::with_message(code::INTERNAL, "SeekRowidRange on a cursor that is not a table")),
                };
                if !found {
                    return Ok(Some(*target));
                }
            }
            Op::SeekRowid { cursor, reg, target } if self.is_without_rowid_table(*cursor) => {
                let found = match &self.regs[*reg] {
                    Value::Blob(key) => {
                        let probe = record::decode_all_in(key, self.enc)?;
                        match self.cursor_mut(*cursor)? {
                            VCursor::Btree(b) => Self::seek_pk(b, conn, &probe)?,
                            _ => false,
                        }
                    }
                    _ => false,
                };
                if !found {
                    return Ok(Some(*target));
                }
            }
            Op::SeekRowid { cursor, reg, target } => {
                let rowid = match &self.regs[*reg] {
                    Value::Integer(i) => *i,
                    v => match super::mem::apply_affinity(v.clone(), super::mem::Affinity::Integer) {
                        Value::Integer(i) => i,
                        // A non-integer key matches no rowid.
                        _ => return Ok(Some(*target)),
                    },
                };
                let c = self.cursor_mut(*cursor)?;
                let found = match c {
                    VCursor::Btree(b) => {
                        b.invalidate();
                        let bt = conn.btree(b.db)?;
                        b.cur.table_moveto(bt, rowid)? == 0 && !b.cur.eof()
                    }
                    VCursor::EphTable(t) => {
                        t.null_row = false;
                        if t.rows.contains_key(&rowid) {
                            t.pos = Some(rowid);
                            true
                        } else {
                            false
                        }
                    }
                    _ => return Err(Error::with_message(code::INTERNAL, "SeekRowid on an index cursor")),
                };
                if !found {
                    return Ok(Some(*target));
                }
            }
            Op::SeekIdx { op: sop, cursor, key, n, target } => {
                let probe = self.probe(*key, *n);
                let enc = self.enc;
                let c = self.cursor_mut(*cursor)?;
                let found = match c {
                    VCursor::Btree(b) => {
                        b.invalidate();
                        let ki = b.key_info.clone().unwrap_or_default();
                        match sop {
                            SeekOp::Ge => Self::btree_seek(&mut b.cur, conn, b.db, &probe, &ki, SeekOp::Ge)?,
                            SeekOp::Gt => Self::btree_seek(&mut b.cur, conn, b.db, &probe, &ki, SeekOp::Gt)?,
                            SeekOp::Le => Self::btree_seek(&mut b.cur, conn, b.db, &probe, &ki, SeekOp::Le)?,
                            SeekOp::Lt => Self::btree_seek(&mut b.cur, conn, b.db, &probe, &ki, SeekOp::Lt)?,
                        }
                    }
                    VCursor::Sorter(s) if *sop == SeekOp::Ge => {
                        // A sorted automatic index: binary search.
                        let ki = s.key_info.clone();
                        let mut err = None;
                        s.pos = s.rows.partition_point(|r| match compare_with_values(r, &probe, &ki) {
                            Ok(o) => o == Ordering::Less,
                            Err(e) => {
                                err.get_or_insert(e);
                                false
                            }
                        });
                        if let Some(e) = err {
                            return Err(e);
                        }
                        s.pos < s.rows.len()
                    }
                    VCursor::EphIndex(ix) if *sop == SeekOp::Ge => {
                        // The first key not less than the probe: a range
                        // search of the sorted set (an automatic index is
                        // searched once per outer row).
                        let probe_key = ix.key(record::encode_values_in(&probe, enc));
                        ix.pos = ix.seek_ge(&probe_key).cloned();
                        ix.pos.is_some()
                    }
                    VCursor::EphIndex(ix) => {
                        let ki = ix.key_info.clone();
                        let mut found = None;
                        let keys: Box<dyn Iterator<Item = &crate::vdbe::cursor::EphKey>> = match sop {
                            SeekOp::Ge | SeekOp::Gt => Box::new(ix.keys.iter()),
                            SeekOp::Le | SeekOp::Lt => Box::new(ix.keys.iter().rev()),
                        };
                        for k in keys {
                            let o = compare_with_values(&k.rec, &probe, &ki)?;
                            let ok = match sop {
                                SeekOp::Ge => o != Ordering::Less,
                                SeekOp::Gt => o == Ordering::Greater,
                                SeekOp::Le => o != Ordering::Greater,
                                SeekOp::Lt => o == Ordering::Less,
                            };
                            if ok {
                                found = Some(k.clone());
                                break;
                            }
                        }
                        let hit = found.is_some();
                        ix.pos = found;
                        hit
                    }
                    _ => return Err(Error::with_message(code::INTERNAL, "SeekIdx on a table cursor")),
                };
                if !found {
                    return Ok(Some(*target));
                }
            }
            Op::IdxCompare { op: sop, cursor, key, n, target } => {
                let probe = self.probe(*key, *n);
                let c = self.cursor_mut(*cursor)?;
                let o = match c {
                    VCursor::Btree(b) => {
                        let ki = b.key_info.clone().unwrap_or_default();
                        let (payload, _) = Self::btree_row(b, conn)?;
                        compare_with_values(payload, &probe, &ki)?
                    }
                    VCursor::EphIndex(ix) => match &ix.pos {
                        Some(k) => compare_with_values(&k.rec, &probe, &ix.key_info)?,
                        None => return Ok(Some(*target)),
                    },
                    VCursor::Sorter(s) => match s.rows.get(s.pos) {
                        Some(r) => compare_with_values(r, &probe, &s.key_info)?,
                        None => return Ok(Some(*target)),
                    },
                    _ => return Err(Error::with_message(code::INTERNAL, "IdxCompare on a table cursor")),
                };
                let jump = match sop {
                    SeekOp::Ge => o != Ordering::Less,
                    SeekOp::Gt => o == Ordering::Greater,
                    SeekOp::Le => o != Ordering::Greater,
                    SeekOp::Lt => o == Ordering::Less,
                };
                if jump {
                    return Ok(Some(*target));
                }
            }
            Op::Found { cursor, key, n, target } | Op::NotFound { cursor, key, n, target } | Op::NoConflict { cursor, key, n, target } => {
                let probe = self.probe(*key, *n);
                let enc = self.enc;
                let has_null = probe.iter().any(|v| v.is_null());
                let exists = if matches!(op, Op::NoConflict { .. }) && has_null {
                    false
                } else {
                    let c = self.cursor_mut(*cursor)?;
                    match c {
                        VCursor::Btree(b) => {
                            b.invalidate();
                            let ki = b.key_info.clone().unwrap_or_default();
                            Self::btree_seek(&mut b.cur, conn, b.db, &probe, &ki, SeekOp::Ge)? && {
                                let (payload, _) = Self::btree_row(b, conn)?;
                                compare_with_values(payload, &probe, &ki)? == Ordering::Equal
                            }
                        }
                        VCursor::EphIndex(ix) => {
                            let probe_key = ix.key(record::encode_values_in(&probe, enc));
                            let hit = match ix.seek_ge(&probe_key) {
                                Some(k) => compare_with_values(&k.rec, &probe, &ix.key_info)? == Ordering::Equal,
                                None => false,
                            };
                            if hit {
                                ix.pos = ix.seek_ge(&probe_key).cloned();
                            }
                            hit
                        }
                        _ => return Err(Error::with_message(code::INTERNAL, "Found on a table cursor")),
                    }
                };
                let jump = match op {
                    Op::Found { .. } => exists,
                    _ => !exists,
                };
                if jump {
                    return Ok(Some(*target));
                }
            }
            Op::Column { cursor, column, dest, default } => {
                // A deferred seek: an index entry answers for the row.
                if let Some((ic, field)) = self.deferred_field(*cursor, *column) {
                    match field {
                        Some(k) => return self.exec_cursor(&Op::Column { cursor: ic, column: k, dest: *dest, default: None }, conn),
                        None => self.finish_deferred_seek(*cursor, conn)?,
                    }
                }
                let c = self.cursors.get_mut(*cursor).and_then(|c| c.as_mut()).ok_or_else(no_cursor)?;
                let v = match c {
                    VCursor::Virtual(v) => {
                        if v.null_row {
                            Value::Null
                        } else {
                            v.cur.column(*column, false)?
                        }
                    }
                    VCursor::Btree(b) => {
                        if b.null_row {
                            Value::Null
                        } else {
                            // A WITHOUT ROWID table's record orders its
                            // columns PRIMARY KEY first.
                            let column = &match b.key_info.as_ref().and_then(|k| k.without_rowid.as_ref()) {
                                Some(w) if w.table => w.columns.get(*column).copied().unwrap_or(usize::MAX),
                                _ => *column,
                            };
                            let (payload, header) = Self::btree_row(b, conn)?;
                            if *column >= header.len() {
                                default.clone().unwrap_or(Value::Null)
                            } else {
                                // Text and blobs go into the register's own
                                // buffer when it has one: no allocation per
                                // row for the common case.
                                let dst = self.regs.get_mut(*dest).ok_or_else(|| Error::with_message(code::INTERNAL, "register out of range"))?;
                                match (header.column(payload, *column)?, &mut *dst) {
                                    (ValueRef::Text(t), Value::Text(buf)) if self.enc.is_utf8() => {
                                        buf.clear();
                                        buf.extend_from_slice(t);
                                    }
                                    (ValueRef::Blob(t), Value::Blob(buf)) => {
                                        buf.clear();
                                        buf.extend_from_slice(t);
                                    }
                                    (v, dst) => *dst = crate::record::owned_in(v, self.enc),
                                }
                                return Ok(None);
                            }
                        }
                    }
                    other => match Self::transient_record(other) {
                        None => Value::Null,
                        Some(rec) => match record::field(rec, *column)? {
                            None => default.clone().unwrap_or(Value::Null),
                            Some(v) => record::owned_in(v, self.enc),
                        },
                    },
                };
                self.regs[*dest] = v;
            }
            Op::RecordColumn { record, column, dest } => {
                let v = match &self.regs[*record] {
                    Value::Blob(rec) => {
                        let header = Header::parse(rec)?;
                        header.value(rec, *column, self.enc)?
                    }
                    _ => Value::Null,
                };
                self.regs[*dest] = v;
            }
            Op::Rowid { cursor, dest } => {
                if let Some((ic, _)) = self.deferred_field(*cursor, usize::MAX) {
                    return self.exec_cursor(&Op::IdxRowid { cursor: ic, dest: *dest }, conn);
                }
                let enc = self.enc;
                let c = self.cursor_mut(*cursor)?;
                let v = match c {
                    VCursor::Btree(b) => {
                        if b.null_row {
                            Value::Null
                        } else if let Some(w) = b.key_info.as_ref().and_then(|k| k.without_rowid.clone()) {
                            let (payload, header) = Self::btree_row(b, conn)?;
                            pk_locator(payload, header, &w.pk_fields, enc)?
                        } else {
                            let bt = conn.btree(b.db)?;
                            Value::Integer(b.cur.rowid(bt)?)
                        }
                    }
                    VCursor::EphTable(t) => match (t.null_row, t.pos) {
                        (false, Some(p)) => Value::Integer(p),
                        _ => Value::Null,
                    },
                    VCursor::Virtual(v) => {
                        if v.null_row {
                            Value::Null
                        } else {
                            Value::Integer(v.cur.rowid()?)
                        }
                    }
                    _ => return Err(Error::with_message(code::INTERNAL, "Rowid on an index cursor")),
                };
                self.regs[*dest] = v;
            }
            Op::IdxRowid { cursor, dest } => {
                let enc = self.enc;
                let c = self.cursor_mut(*cursor)?;
                let v = match c {
                    VCursor::Btree(b) => {
                        let w = b.key_info.as_ref().and_then(|k| k.without_rowid.clone());
                        let (payload, header) = Self::btree_row(b, conn)?;
                        if let Some(w) = w {
                            // An index of a WITHOUT ROWID table: its row is
                            // named by its PRIMARY KEY.
                            self.regs[*dest] = pk_locator(payload, header, &w.pk_fields, enc)?;
                            return Ok(None);
                        }
                        match header.len().checked_sub(1) {
                            Some(last) => header.column(payload, last)?.to_owned(),
                            None => return Err(Error::corrupt()),
                        }
                    }
                    VCursor::EphIndex(ix) => match &ix.pos {
                        Some(k) => last_field(&k.rec)?,
                        None => Value::Null,
                    },
                    VCursor::Sorter(s) => match s.rows.get(s.pos) {
                        Some(r) => last_field(r)?,
                        None => Value::Null,
                    },
                    _ => return Err(Error::with_message(code::INTERNAL, "IdxRowid on a transient table cursor")),
                };
                self.regs[*dest] = v;
            }
            Op::NullRow { cursor } => {
                match self.cursor_mut(*cursor)? {
                    VCursor::Btree(b) => {
                        b.row_valid = false;
                        b.null_row = true;
                    }
                    VCursor::EphTable(t) => t.null_row = true,
                    VCursor::Virtual(v) => v.null_row = true,
                    _ => {}
                }
            }
            Op::MakeRecord { start, count, dest } => {
                let mut buf = std::mem::take(&mut self.record_buf);
                record::encode_into(self.regs[*start..*start + *count].iter().map(Value::as_ref), &mut buf, self.enc);
                // As SQLite's OP_MakeRecord: a record past
                // SQLITE_LIMIT_LENGTH is "string or blob too big".
                if buf.len() as u64 > conn.limits[0].max(0) as u64 {
                    self.record_buf = buf;
                    return Err(Error::code(code::TOOBIG));
                }
                self.regs[*dest] = Value::Blob(buf.clone());
                self.record_buf = buf;
            }
            Op::NewRowid { cursor, dest } => {
                let c = self.cursor_mut(*cursor)?;
                let next = match c {
                    VCursor::Btree(b) => {
                        b.invalidate();
                        let bt = conn.btree(b.db)?;
                        if b.cur.last(bt)? {
                            b.cur.rowid(bt)?.checked_add(1)
                        } else {
                            Some(1)
                        }
                    }
                    VCursor::EphTable(t) => match t.rows.keys().next_back() {
                        Some(k) => k.checked_add(1),
                        None => Some(1),
                    },
                    _ => return Err(Error::with_message(code::INTERNAL, "NewRowid on an index cursor")),
                };
                // SQLite then tries random rowids; Ferrolite reports the
                // table as full until that search is built (docs/COMPAT.md).
                let rowid = next.ok_or_else(|| Error::code(code::FULL))?;
                self.regs[*dest] = Value::Integer(rowid);
            }
            Op::Insert { cursor, record, count_change, .. } if self.is_without_rowid_table(*cursor) => {
                // A WITHOUT ROWID table: the record, PRIMARY KEY first,
                // replaces the entry with the same PRIMARY KEY if any. No
                // rowid, so no last_insert_rowid and no update hook (as in
                // SQLite).
                let data = match &self.regs[*record] {
                    Value::Blob(b) => b.clone(),
                    _ => return Err(Error::with_message(code::INTERNAL, "Insert without a record")),
                };
                if let Some(VCursor::Btree(b)) = self.cursors.get_mut(*cursor).and_then(|c| c.as_mut()) {
                    let db = b.db;
                    let ki = b.key_info.clone().unwrap_or_default();
                    let n_pk = ki.without_rowid.as_ref().map_or(0, |w| w.pk_fields.len());
                    let bt = conn.btree(db)?;
                    let mut cmp = |stored: &[u8]| record::compare_prefix(stored, &data, &ki, n_pk);
                    b.cur.insert_index(bt, &data, &mut cmp)?;
                    self.invalidate_rows(db);
                }
                if *count_change {
                    self.n_change += 1;
                    conn.total_changes += 1;
                    self.total_change += 1;
                }
            }
            Op::Insert { cursor, record, rowid, count_change, set_last_rowid, hook } => {
                let rowid = match self.regs[*rowid] {
                    Value::Integer(i) => i,
                    _ => return Err(Error::code(code::MISMATCH)),
                };
                let data = match &self.regs[*record] {
                    Value::Blob(b) => b.clone(),
                    _ => Vec::new(),
                };
                let c = self.cursors.get_mut(*cursor).and_then(|c| c.as_mut()).ok_or_else(no_cursor)?;
                match c {
                    VCursor::Btree(b) => {
                        let db = b.db;
                        let bt = conn.btree(db)?;
                        b.cur.insert(bt, rowid, &data)?;
                        self.invalidate_rows(db);
                    }
                    VCursor::EphTable(t) => {
                        t.rows.insert(rowid, data);
                    }
                    _ => return Err(Error::with_message(code::INTERNAL, "Insert on an index cursor")),
                }
                if *count_change {
                    self.n_change += 1;
                    conn.total_changes += 1;
                    self.total_change += 1;
                }
                if *set_last_rowid {
                    conn.last_insert_rowid = rowid;
                }
                if let (Some(h), Some(f)) = (hook, conn.hooks.update.as_mut()) {
                    let db = conn.dbs.get(h.db).map(|d| d.name.as_str()).unwrap_or("main");
                    f(h.op, db, &h.table, rowid);
                }
            }
            Op::IdxInsert { cursor, key } => {
                let data = match &self.regs[*key] {
                    Value::Blob(b) => b.clone(),
                    _ => return Err(Error::with_message(code::INTERNAL, "IdxInsert without a record")),
                };
                let c = self.cursors.get_mut(*cursor).and_then(|c| c.as_mut()).ok_or_else(no_cursor)?;
                match c {
                    VCursor::Btree(b) => {
                        let db = b.db;
                        let ki = b.key_info.clone().unwrap_or_default();
                        let bt = conn.btree(db)?;
                        let mut cmp = |stored: &[u8]| compare_records(stored, &data, &ki);
                        b.cur.insert_index(bt, &data, &mut cmp)?;
                        self.invalidate_rows(db);
                    }
                    VCursor::EphIndex(ix) => {
                        let k = ix.key(data);
                        ix.insert(k);
                    }
                    VCursor::Sorter(s) => s.rows.push(data),
                    _ => return Err(Error::with_message(code::INTERNAL, "IdxInsert on a table cursor")),
                }
            }
            Op::Delete { cursor, count_change, hook } => {
                let c = self.cursors.get_mut(*cursor).and_then(|c| c.as_mut()).ok_or_else(no_cursor)?;
                let mut deleted_rowid = None;
                match c {
                    VCursor::Btree(b) => {
                        let db = b.db;
                        let bt = conn.btree(db)?;
                        if hook.is_some() {
                            deleted_rowid = Some(b.cur.rowid(bt)?);
                        }
                        b.cur.delete(bt)?;
                        self.invalidate_rows(db);
                    }
                    VCursor::EphTable(t) => {
                        if let Some(p) = t.pos {
                            t.rows.remove(&p);
                        }
                    }
                    VCursor::EphIndex(ix) => {
                        if let Some(k) = ix.pos.take() {
                            ix.remove(&k);
                        }
                    }
                    _ => return Err(Error::with_message(code::INTERNAL, "Delete on a sorter")),
                }
                if *count_change {
                    self.n_change += 1;
                    conn.total_changes += 1;
                    self.total_change += 1;
                }
                if let (Some(h), Some(rowid), Some(f)) = (hook, deleted_rowid, conn.hooks.update.as_mut()) {
                    let db = conn.dbs.get(h.db).map(|d| d.name.as_str()).unwrap_or("main");
                    f(h.op, db, &h.table, rowid);
                }
            }
            Op::IdxDelete { cursor, key, n } => {
                let probe = self.probe(*key, *n);
                let enc = self.enc;
                let c = self.cursors.get_mut(*cursor).and_then(|c| c.as_mut()).ok_or_else(no_cursor)?;
                match c {
                    VCursor::Btree(b) => {
                        let db = b.db;
                        b.invalidate();
                        let ki = b.key_info.clone().unwrap_or_default();
                        if Self::btree_seek(&mut b.cur, conn, db, &probe, &ki, SeekOp::Ge)? {
                            let (payload, _) = Self::btree_row(b, conn)?;
                            if compare_with_values(payload, &probe, &ki)? == Ordering::Equal {
                                let bt = conn.btree(db)?;
                                b.cur.delete(bt)?;
                            }
                        }
                        self.invalidate_rows(db);
                    }
                    VCursor::EphIndex(ix) => {
                        let k = ix.key(record::encode_values_in(&probe, enc));
                        ix.remove(&k);
                    }
                    _ => return Err(Error::with_message(code::INTERNAL, "IdxDelete on a table cursor")),
                }
            }
            Op::SorterInsert { cursor, record } => {
                let data = match &self.regs[*record] {
                    Value::Blob(b) => b.clone(),
                    _ => return Err(Error::with_message(code::INTERNAL, "SorterInsert without a record")),
                };
                match self.cursor_mut(*cursor)? {
                    VCursor::Sorter(s) => s.rows.push(data),
                    _ => return Err(Error::with_message(code::INTERNAL, "SorterInsert on a non-sorter")),
                }
            }
            Op::SorterSort { cursor, target } => {
                self.sorts += 1;
                match self.cursor_mut(*cursor)? {
                    VCursor::Sorter(s) => {
                        s.sort()?;
                        if s.rows.is_empty() {
                            return Ok(Some(*target));
                        }
                    }
                    _ => return Err(Error::with_message(code::INTERNAL, "SorterSort on a non-sorter")),
                }
            }
            Op::SorterNext { cursor, target } => match self.cursor_mut(*cursor)? {
                VCursor::Sorter(s) => {
                    s.pos += 1;
                    if s.pos < s.rows.len() {
                        return Ok(Some(*target));
                    }
                }
                _ => return Err(Error::with_message(code::INTERNAL, "SorterNext on a non-sorter")),
            },
            Op::SorterData { cursor, dest } => {
                let c = self.cursors.get(*cursor).and_then(|c| c.as_ref()).ok_or_else(no_cursor)?;
                let v = match Self::transient_record(c) {
                    Some(rec) => Value::Blob(rec.to_vec()),
                    None => Value::Null,
                };
                self.regs[*dest] = v;
            }
            Op::Count { cursor, dest } => {
                let c = self.cursor_mut(*cursor)?;
                let n = match c {
                    VCursor::Btree(b) => {
                        let bt = conn.btree(b.db)?;
                        b.cur.count(bt)?
                    }
                    VCursor::EphTable(t) => t.rows.len() as i64,
                    VCursor::EphIndex(ix) => ix.keys.len() as i64,
                    VCursor::Sorter(s) => s.rows.len() as i64,
                    VCursor::Virtual(_) => return Err(Error::with_message(code::INTERNAL, "Count on a virtual table cursor")),
                };
                self.regs[*dest] = Value::Integer(n);
            }
            Op::ReadCookie { db, meta, dest } => {
                let bt = conn.btree(*db)?;
                self.regs[*dest] = Value::Integer(i64::from(bt.get_meta(*meta)?));
            }
            Op::SetCookie { db, meta, value } => {
                let bt = conn.btree(*db)?;
                bt.update_meta(*meta, *value as u32)?;
            }
            Op::SetTextEncoding { db } => {
                let bt = conn.btree(*db)?;
                bt.update_meta(5, self.enc as u32)?;
            }
            Op::BumpSchemaCookie { db } => {
                let bt = conn.btree(*db)?;
                let c = bt.get_meta(1)?;
                bt.update_meta(1, c.wrapping_add(1))?;
            }
            Op::CreateBtree { db, kind, dest } => {
                let bt = conn.btree(*db)?;
                let root = bt.create_table(*kind)?;
                self.regs[*dest] = Value::Integer(i64::from(root));
            }
            Op::Destroy { db, root, moved } => {
                // As SQLite's OP_Destroy: no tree is dropped while another
                // statement or blob handle of the connection reads (the
                // DROP TABLE whose xDestroy runs this one excepted).
                if conn.active_vms > 1 + conn.vdestroy_depth {
                    return Err(Error::with_message(code::LOCKED, "database table is locked"));
                }
                let bt = conn.btree(*db)?;
                let m = bt.drop_table(*root)?;
                self.regs[*moved] = Value::Integer(i64::from(m.unwrap_or(0)));
                self.invalidate_rows(*db);
            }
            Op::Clear { db, root, count_change } => {
                let bt = conn.btree(*db)?;
                let n = bt.clear_table(*root)?;
                if *count_change {
                    self.n_change += n as i64;
                    conn.total_changes += n as i64;
                    self.total_change += n as i64;
                }
                self.invalidate_rows(*db);
            }
            Op::ParseSchema { db } => {
                conn.schema_changed = true;
                conn.reload_schema(*db)?;
            }
            Op::Vacuum { db, into } => {
                let path = if *into == 0 {
                    None
                } else {
                    match &self.regs[*into] {
                        Value::Text(t) => Some(String::from_utf8_lossy(t).into_owned()),
                        _ => return Err(Error::sql("non-text filename")),
                    }
                };
                crate::vacuum::run(conn, *db, path.as_deref())?;
                self.invalidate_rows(*db);
            }
            Op::PragmaRows { name, arg, cursor } => {
                let value = if *arg == 0 { None } else { Some(self.regs[*arg].clone()) };
                let rows = if value.as_ref().is_some_and(|v| v.is_null()) && *arg != 0 {
                    Vec::new()
                } else {
                    crate::pragma::run(conn, crate::pragma::ALL_DATABASES, name, value.as_ref())?
                };
                let mut t = EphTable::default();
                for (i, row) in rows.into_iter().enumerate() {
                    t.rows.insert(i as i64 + 1, record::encode_values_in(&row, self.enc));
                }
                self.cursors[*cursor] = Some(VCursor::EphTable(t));
            }
            Op::AnalyzeIndex { db, root, key_info, ncols, dest } => {
                let key = key_info.with_encoding(self.enc);
                let bt = conn.btree(*db)?;
                self.regs[*dest] = match crate::analyze::index_stat(bt, *root, &key, *ncols)? {
                    Some(s) => Value::text(&s),
                    None => Value::Null,
                };
            }
            Op::DeferredSeek { table, index, alt_map } => {
                if let VCursor::Btree(b) = self.cursor_mut(*table)? {
                    b.invalidate();
                    b.deferred = Some((*index, alt_map.clone()));
                }
            }
            Op::Attach { file, name } => {
                let file = String::from_utf8_lossy(&crate::vdbe::mem::text_of(self.regs[*file].as_ref())).into_owned();
                let name = String::from_utf8_lossy(&crate::vdbe::mem::text_of(self.regs[*name].as_ref())).into_owned();
                conn.attach(&file, &name)?;
            }
            Op::Detach { name } => {
                let name = String::from_utf8_lossy(&crate::vdbe::mem::text_of(self.regs[*name].as_ref())).into_owned();
                conn.detach(&name)?;
            }
            Op::Pragma { db, name, arg } => {
                // Pragmas run in Rust and leave their rows in cursor 0, a
                // transient table the program then reads out.
                let rows = crate::pragma::run(conn, *db, name, arg.as_ref())?;
                let mut t = EphTable::default();
                for (i, row) in rows.into_iter().enumerate() {
                    t.rows.insert(i as i64 + 1, record::encode_values_in(&row, self.enc));
                }
                self.cursors[0] = Some(VCursor::EphTable(t));
            }
            other => {
                return Err(Error::with_message(code::INTERNAL, format!("opcode not handled: {other:?}")));
            }
        }
        Ok(None)
    }
}

/// What stands for the rowid of a WITHOUT ROWID table's row: a record of
/// its PRIMARY KEY values, read from `pk_fields` of an entry of the table
/// or of one of its indexes.
fn pk_locator(payload: &[u8], header: &Header, pk_fields: &[usize], enc: crate::util::TextEncoding) -> Result<Value> {
    let values = pk_fields.iter().map(|&f| Ok(record::owned_in(header.column(payload, f)?, enc))).collect::<Result<Vec<Value>>>()?;
    Ok(Value::Blob(record::encode_values_in(&values, enc)))
}

/// The last field of a transient index record (its rowid).
fn last_field(rec: &[u8]) -> Result<Value> {
    let header = record::Header::parse(rec)?;
    match header.len().checked_sub(1) {
        Some(last) => Ok(header.column(rec, last)?.to_owned()),
        None => Err(Error::corrupt()),
    }
}

impl Vm {
    /// True when `cursor` is open on the B-tree of a WITHOUT ROWID table.
    fn is_without_rowid_table(&self, cursor: usize) -> bool {
        match self.cursors.get(cursor).and_then(|c| c.as_ref()) {
            Some(VCursor::Btree(b)) => b.key_info.as_ref().and_then(|k| k.without_rowid.as_ref()).is_some_and(|w| w.table),
            _ => false,
        }
    }

    /// Positions a WITHOUT ROWID table's cursor on the row whose PRIMARY
    /// KEY is `probe`; false when there is none.
    fn seek_pk(b: &mut BtreeCursor, conn: &mut Connection, probe: &[Value]) -> Result<bool> {
        b.invalidate();
        let ki = b.key_info.clone().unwrap_or_default();
        if !Self::btree_seek(&mut b.cur, conn, b.db, probe, &ki, SeekOp::Ge)? {
            return Ok(false);
        }
        let (payload, _) = Self::btree_row(b, conn)?;
        Ok(compare_with_values(payload, probe, &ki)? == Ordering::Equal)
    }

    /// For a table cursor under a deferred seek: the index cursor and the
    /// index field holding table column `column` (None: not covered).
    fn deferred_field(&self, cursor: usize, column: usize) -> Option<(usize, Option<usize>)> {
        match self.cursors.get(cursor).and_then(|c| c.as_ref()) {
            Some(VCursor::Btree(b)) if !b.null_row => b.deferred.as_ref().map(|(ic, map)| (*ic, map.get(column).copied().flatten())),
            _ => None,
        }
    }

    /// Ends a deferred seek: positions the table cursor on the row the
    /// index entry names.
    fn finish_deferred_seek(&mut self, cursor: usize, conn: &mut Connection) -> Result<()> {
        let Some((ic, _)) = self.deferred_field(cursor, usize::MAX) else { return Ok(()) };
        if self.is_without_rowid_table(cursor) {
            // The index entry names the row by its PRIMARY KEY.
            let enc = self.enc;
            let probe = match self.cursors.get_mut(ic).and_then(|c| c.as_mut()) {
                Some(VCursor::Btree(ix)) => {
                    let w = ix.key_info.as_ref().and_then(|k| k.without_rowid.clone()).ok_or_else(Error::corrupt)?;
                    let (payload, header) = Self::btree_row(ix, conn)?;
                    w.pk_fields.iter().map(|&f| Ok(record::owned_in(header.column(payload, f)?, enc))).collect::<Result<Vec<Value>>>()?
                }
                _ => return Err(Error::with_message(code::INTERNAL, "deferred seek without its index cursor")),
            };
            if let VCursor::Btree(b) = self.cursor_mut(cursor)? {
                if !Self::seek_pk(b, conn, &probe)? {
                    return Err(Error::corrupt());
                }
            }
            return Ok(());
        }
        let rowid = match self.cursors.get_mut(ic).and_then(|c| c.as_mut()) {
            Some(VCursor::Btree(ix)) => {
                let (payload, header) = Self::btree_row(ix, conn)?;
                match header.len().checked_sub(1).map(|last| header.column(payload, last)) {
                    Some(Ok(ValueRef::Integer(r))) => r,
                    _ => return Err(Error::corrupt()),
                }
            }
            _ => return Err(Error::with_message(code::INTERNAL, "deferred seek without its index cursor")),
        };
        if let VCursor::Btree(b) = self.cursor_mut(cursor)? {
            b.invalidate();
            let bt = conn.btree(b.db)?;
            if b.cur.table_moveto(bt, rowid)? != 0 || b.cur.eof() {
                // The index names a row the table does not have.
                return Err(Error::corrupt());
            }
        }
        Ok(())
    }
}
