//! FTS3's varints and doclists, as SQLite lays them out on disk.
//!
//! A varint here is not the record format's: 7 bits per byte, least
//! significant group first, the high bit set on every byte but the last
//! (at most 10 bytes for 64 bits).
//!
//! A doclist is, for each document in docid order, the docid (the first
//! absolute, each next as the difference from the one before; with
//! `order=DESC` the docids fall and the differences are taken the other
//! way), then its position list: the positions of column 0, then for each
//! further column a 0x01 byte and the column number, each position as
//! its distance from the previous one in that column plus 2, and a 0x00
//! byte to end the list. A document whose list is only the 0x00 byte is a
//! delete marker: it hides the document in older segments.
//!
//! Invariant: `Doc::positions` is sorted by (column, position); a delete
//! marker has none.

use crate::error::{Error, Result};

/// Appends `v` as an FTS varint.
pub fn put_varint(out: &mut Vec<u8>, v: u64) {
    let mut v = v;
    loop {
        let b = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(b);
            return;
        }
        out.push(b | 0x80);
    }
}

/// The number of bytes `put_varint` writes for `v`.
pub fn varint_len(v: u64) -> usize {
    let mut n = 1;
    let mut v = v >> 7;
    while v != 0 {
        n += 1;
        v >>= 7;
    }
    n
}

/// Reads a varint at `*pos`, moving past it; None at the end of the data.
pub fn get_varint(data: &[u8], pos: &mut usize) -> Option<u64> {
    let mut v: u64 = 0;
    let mut shift = 0u32;
    loop {
        let b = *data.get(*pos)?;
        *pos += 1;
        if shift < 64 {
            v |= ((b & 0x7f) as u64) << shift;
        }
        if b & 0x80 == 0 {
            return Some(v);
        }
        shift += 7;
        if shift >= 70 {
            return Some(v);
        }
    }
}

/// The error a malformed index reports (SQLITE_CORRUPT_VTAB).
pub fn corrupt() -> Error {
    Error::code(crate::error::code::CORRUPT_VTAB)
}

/// Reads a varint or reports corruption.
pub fn varint(data: &[u8], pos: &mut usize) -> Result<u64> {
    get_varint(data, pos).ok_or_else(corrupt)
}

/// One document of a doclist.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Doc {
    pub docid: i64,
    /// (column, position) pairs, sorted; empty for a delete marker.
    pub positions: Vec<(i32, i32)>,
}

impl Doc {
    pub fn is_delete(&self) -> bool {
        self.positions.is_empty()
    }
}

/// Appends one position list (ending with its 0x00).
pub fn encode_poslist(out: &mut Vec<u8>, positions: &[(i32, i32)]) {
    let mut col = 0;
    let mut prev = 0i64;
    for &(c, p) in positions {
        if c != col {
            out.push(1);
            put_varint(out, c as u64);
            col = c;
            prev = 0;
        }
        put_varint(out, (p as i64 - prev + 2) as u64);
        prev = p as i64;
    }
    out.push(0);
}

/// Reads one position list at `*pos` (through its 0x00).
pub fn decode_poslist(data: &[u8], pos: &mut usize) -> Result<Vec<(i32, i32)>> {
    let mut out = Vec::new();
    let mut col = 0i32;
    let mut prev = 0i64;
    loop {
        let v = varint(data, pos)?;
        match v {
            0 => return Ok(out),
            1 => {
                col = i32::try_from(varint(data, pos)?).map_err(|_| corrupt())?;
                prev = 0;
            }
            d => {
                prev += d as i64 - 2;
                out.push((col, i32::try_from(prev).map_err(|_| corrupt())?));
            }
        }
    }
}

/// Encodes documents given in index order (ascending docids, descending
/// with `desc`).
pub fn encode(docs: &[Doc], desc: bool) -> Vec<u8> {
    let mut out = Vec::new();
    let mut prev: Option<i64> = None;
    for d in docs {
        let delta = match prev {
            None => d.docid as u64,
            Some(p) if desc => (p as u64).wrapping_sub(d.docid as u64),
            Some(p) => (d.docid as u64).wrapping_sub(p as u64),
        };
        put_varint(&mut out, delta);
        encode_poslist(&mut out, &d.positions);
        prev = Some(d.docid);
    }
    out
}

/// Decodes a whole doclist.
pub fn decode(data: &[u8], desc: bool) -> Result<Vec<Doc>> {
    let mut out = Vec::new();
    let mut pos = 0;
    let mut prev: Option<i64> = None;
    while pos < data.len() {
        let delta = varint(data, &mut pos)?;
        let docid = match prev {
            None => delta as i64,
            Some(p) if desc => (p as u64).wrapping_sub(delta) as i64,
            Some(p) => (p as u64).wrapping_add(delta) as i64,
        };
        let positions = decode_poslist(data, &mut pos)?;
        out.push(Doc { docid, positions });
        prev = Some(docid);
    }
    Ok(out)
}

/// Merges doclists of one term, oldest first: for a docid in several, the
/// newest entry wins. Delete markers are kept unless `drop_deletes`.
/// The result is in index order.
pub fn merge(lists: Vec<Vec<Doc>>, desc: bool, drop_deletes: bool) -> Vec<Doc> {
    let mut map: std::collections::BTreeMap<i64, Doc> = std::collections::BTreeMap::new();
    for list in lists {
        for d in list {
            map.insert(d.docid, d);
        }
    }
    let it = map.into_values().filter(|d| !(drop_deletes && d.is_delete()));
    if desc {
        let mut v: Vec<Doc> = it.collect();
        v.reverse();
        v
    } else {
        it.collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_round_trip() {
        for v in [0u64, 1, 127, 128, 300, 16383, 16384, u32::MAX as u64, u64::MAX] {
            let mut b = Vec::new();
            put_varint(&mut b, v);
            assert_eq!(b.len(), varint_len(v));
            let mut p = 0;
            assert_eq!(get_varint(&b, &mut p), Some(v));
            assert_eq!(p, b.len());
        }
        let mut b = Vec::new();
        put_varint(&mut b, 300);
        assert_eq!(b, vec![0xac, 0x02]);
    }

    #[test]
    fn doclist_layout() {
        // docid 3: column 0 positions 0 and 2; column 1 position 1.
        let docs = vec![Doc { docid: 3, positions: vec![(0, 0), (0, 2), (1, 1)] }, Doc { docid: 5, positions: vec![] }];
        let b = encode(&docs, false);
        assert_eq!(b, vec![3, 2, 4, 1, 1, 3, 0, 2, 0]);
        assert_eq!(decode(&b, false).unwrap_or_default(), docs);
        let d = encode(&[Doc { docid: 9, positions: vec![(0, 1)] }, Doc { docid: 4, positions: vec![(0, 0)] }], true);
        assert_eq!(d, vec![9, 3, 0, 5, 2, 0]);
        assert_eq!(decode(&d, true).unwrap_or_default()[1].docid, 4);
    }

    #[test]
    fn merge_newest_wins() {
        let old = vec![Doc { docid: 1, positions: vec![(0, 0)] }, Doc { docid: 2, positions: vec![(0, 1)] }];
        let new = vec![Doc { docid: 2, positions: vec![] }];
        assert_eq!(merge(vec![old.clone(), new.clone()], false, true), vec![old[0].clone()]);
        assert_eq!(merge(vec![old.clone(), new.clone()], false, false).len(), 2);
    }
}
