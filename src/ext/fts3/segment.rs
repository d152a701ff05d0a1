//! Reading FTS3 segment b-trees: SQLite's leaf and interior node format,
//! the %_segdir row that describes a segment, and the search of one
//! segment for a term or the terms with a prefix.
//!
//! A leaf starts with a 0 byte (its height), then its entries: the first
//! term whole (length, bytes), every next one prefix-compressed against
//! the one before (shared length, suffix length, suffix bytes), each
//! followed by its doclist's length and the doclist. An interior node
//! starts with its height and the block number of its leftmost child,
//! then separator terms compressed the same way, without doclists; the
//! children are consecutive blocks, and child k+1 holds the terms not
//! less than separator k. A segment small enough to fit one leaf is
//! stored whole in %_segdir.root (start_block 0); otherwise the root is
//! the top interior node and the leaves are blocks start_block ..=
//! leaves_end_block of %_segments.
//!
//! Invariant: nothing here writes; every malformed node is reported as
//! SQLITE_CORRUPT_VTAB, never trusted.

use crate::connection::Connection;
use crate::error::Result;

use super::doclist::{corrupt, varint};
use super::shadow::Shadow;

/// One %_segdir row.
#[derive(Clone, Debug)]
pub struct Segment {
    pub level: i64,
    pub idx: i64,
    pub start_block: i64,
    pub leaves_end_block: i64,
    pub end_block: i64,
    /// The leaf bytes of the segment as end_block's second number says
    /// (0 when the row has only the block number).
    pub n_leaf_data: i64,
    pub root: Vec<u8>,
}

/// An entry of a leaf: a term and its doclist.
#[derive(Clone, Debug)]
pub struct LeafEntry {
    pub term: Vec<u8>,
    pub doclist: Vec<u8>,
}

/// The entries of leaf node `data`.
pub fn decode_leaf(data: &[u8]) -> Result<Vec<LeafEntry>> {
    let mut pos = 0;
    if varint(data, &mut pos)? != 0 {
        return Err(corrupt());
    }
    let mut out = Vec::new();
    let mut term: Vec<u8> = Vec::new();
    let mut first = true;
    while pos < data.len() {
        let prefix = if first { 0 } else { varint(data, &mut pos)? as usize };
        first = false;
        let suffix = varint(data, &mut pos)? as usize;
        if prefix > term.len() || suffix == 0 {
            return Err(corrupt());
        }
        term.truncate(prefix);
        term.extend_from_slice(data.get(pos..pos + suffix).ok_or_else(corrupt)?);
        pos += suffix;
        let n = varint(data, &mut pos)? as usize;
        let doclist = data.get(pos..pos + n).ok_or_else(corrupt)?.to_vec();
        pos += n;
        out.push(LeafEntry { term: term.clone(), doclist });
    }
    Ok(out)
}

/// An interior node: height, leftmost child, separator terms.
#[derive(Clone, Debug)]
pub struct Interior {
    pub height: u64,
    pub left_child: i64,
    pub terms: Vec<Vec<u8>>,
}

pub fn decode_interior(data: &[u8]) -> Result<Interior> {
    let mut pos = 0;
    let height = varint(data, &mut pos)?;
    let left_child = varint(data, &mut pos)? as i64;
    let mut terms = Vec::new();
    let mut term: Vec<u8> = Vec::new();
    let mut first = true;
    while pos < data.len() {
        let prefix = if first { 0 } else { varint(data, &mut pos)? as usize };
        first = false;
        let suffix = varint(data, &mut pos)? as usize;
        if prefix > term.len() {
            return Err(corrupt());
        }
        term.truncate(prefix);
        term.extend_from_slice(data.get(pos..pos + suffix).ok_or_else(corrupt)?);
        pos += suffix;
        terms.push(term.clone());
    }
    Ok(Interior { height, left_child, terms })
}

/// The height of node `data` (0: a leaf).
pub fn node_height(data: &[u8]) -> Result<u64> {
    let mut pos = 0;
    varint(data, &mut pos)
}

/// The child of `node` whose subtree holds `key`: one step right for
/// every separator not greater than it.
pub fn child_for(node: &Interior, key: &[u8]) -> i64 {
    let n = node.terms.iter().take_while(|t| t.as_slice() <= key).count();
    node.left_child + n as i64
}

/// Whether `term` is wanted: equal to `key`, or starting with it when
/// `prefix`.
fn wanted(term: &[u8], key: &[u8], prefix: bool) -> bool {
    if prefix {
        term.starts_with(key)
    } else {
        term == key
    }
}

/// The entries of `seg` for `key` (the one term, or every term it
/// prefixes when `prefix`), in term order.
pub fn lookup(conn: &mut Connection, sh: &Shadow, seg: &Segment, key: &[u8], prefix: bool) -> Result<Vec<LeafEntry>> {
    let mut node = seg.root.clone();
    let mut depth = 0;
    while node_height(&node)? > 0 {
        depth += 1;
        if depth > 64 {
            return Err(corrupt());
        }
        let inner = decode_interior(&node)?;
        let child = child_for(&inner, key);
        node = sh.read_block(conn, child)?.ok_or_else(corrupt)?;
        if inner.height == 1 {
            return scan_leaves(conn, sh, seg, child, node, key, prefix);
        }
    }
    // The root is the only leaf.
    Ok(decode_leaf(&node)?.into_iter().filter(|e| wanted(&e.term, key, prefix)).collect())
}

/// Reads leaves from `first` (whose bytes are `data`) on, while they may
/// hold wanted terms.
fn scan_leaves(conn: &mut Connection, sh: &Shadow, seg: &Segment, first: i64, data: Vec<u8>, key: &[u8], prefix: bool) -> Result<Vec<LeafEntry>> {
    let mut out = Vec::new();
    let mut block = first;
    let mut data = data;
    loop {
        let mut past = false;
        for e in decode_leaf(&data)? {
            if wanted(&e.term, key, prefix) {
                out.push(e);
            } else if e.term.as_slice() > key {
                past = true;
                break;
            }
        }
        if past || block >= seg.leaves_end_block {
            return Ok(out);
        }
        block += 1;
        data = match sh.read_block(conn, block)? {
            Some(d) => d,
            None => return Ok(out),
        };
    }
}

/// Every entry of `seg`, in term order (merges and integrity checks).
pub fn all_entries(conn: &mut Connection, sh: &Shadow, seg: &Segment) -> Result<Vec<LeafEntry>> {
    if seg.start_block == 0 || node_height(&seg.root)? == 0 {
        return decode_leaf(&seg.root);
    }
    let mut out = Vec::new();
    for block in sh.read_blocks(conn, seg.start_block, seg.leaves_end_block)? {
        out.extend(decode_leaf(&block)?);
    }
    Ok(out)
}

/// Parses end_block: "N" or "N BYTES" (SQLite writes the leaf size there
/// since 3.8.x; BYTES may be negative).
pub fn parse_end_block(text: &[u8]) -> (i64, i64) {
    let mut i = 0;
    let mut end: i64 = 0;
    while i < text.len() && text[i].is_ascii_digit() {
        end = end.wrapping_mul(10).wrapping_add((text[i] - b'0') as i64);
        i += 1;
    }
    while i < text.len() && text[i] == b' ' {
        i += 1;
    }
    let mut neg = false;
    if i < text.len() && text[i] == b'-' {
        neg = true;
        i += 1;
    }
    let mut n: i64 = 0;
    while i < text.len() && text[i].is_ascii_digit() {
        n = n.wrapping_mul(10).wrapping_add((text[i] - b'0') as i64);
        i += 1;
    }
    (end, if neg { -n } else { n })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leaf_decodes() {
        // "abc" -> [1,0]; "abd" (prefix 2) -> [2,0].
        let leaf = vec![0, 3, b'a', b'b', b'c', 2, 1, 0, 2, 1, b'd', 2, 2, 0];
        let e = decode_leaf(&leaf).unwrap_or_default();
        assert_eq!(e.len(), 2);
        assert_eq!(e[1].term, b"abd".to_vec());
        assert_eq!(e[1].doclist, vec![2, 0]);
        assert!(decode_leaf(&[0, 5, b'a']).is_err());
    }

    #[test]
    fn interior_children() {
        let node = vec![1, 7, 1, b'd', 0, 1, b'm'];
        let n = decode_interior(&node).unwrap_or_else(|_| Interior { height: 0, left_child: 0, terms: vec![] });
        assert_eq!(n.terms, vec![b"d".to_vec(), b"m".to_vec()]);
        assert_eq!(child_for(&n, b"abc"), 7);
        assert_eq!(child_for(&n, b"d"), 8);
        assert_eq!(child_for(&n, b"zz"), 9);
    }

    #[test]
    fn end_block_forms() {
        assert_eq!(parse_end_block(b"12"), (12, 0));
        assert_eq!(parse_end_block(b"0 345"), (0, 345));
        assert_eq!(parse_end_block(b"9 -3"), (9, -3));
    }
}
