//! Writing the full-text index as SQLite does: pending terms collected in
//! memory by xUpdate, flushed as a new segment at level 0; a level that
//! already holds 16 segments is first merged into one segment of the
//! next level; small segments are promoted down after a flush; 'optimize'
//! merges everything into one segment. The segment writer builds leaves
//! and interior nodes with SQLite's node size and split rules, so the
//! blocks and %_segdir rows have SQLite's shape.
//!
//! Levels are absolute: index `i` (0 the main index, then one per prefix=
//! length) of language `l` uses levels (l * n_index + i) * 1024 up to
//! 1023 more.
//!
//! Invariant: pending terms exist only inside a write transaction; they
//! are flushed before a query reads the index and at xSync, dropped by a
//! rollback; a statement inside a transaction that is undone takes its
//! own changes back (a log of what it added, or a copy of the terms taken
//! before it flushed or emptied them).

use std::collections::BTreeMap;

use crate::connection::Connection;
use crate::error::Result;

use super::doclist::{self, corrupt, put_varint, varint_len, Doc};
use super::segment::{self, Segment};
use super::shadow::Shadow;

/// Segments a level holds before it is merged (FTS3_MERGE_COUNT).
pub const MERGE_COUNT: i64 = 16;
/// Levels per index (FTS3_SEGDIR_MAXLEVEL).
pub const MAX_LEVEL: i64 = 1024;
/// Pending bytes before a flush (FTS3_MAX_PENDING_DATA).
pub const MAX_PENDING: usize = 1024 * 1024;
/// Bytes reserved in front of an interior node for height and child.
const NODE_HEADER: usize = 1 + 10;

/// The absolute level of relative level `level` of index `index`.
pub fn abs_level(langid: i64, n_index: i64, index: i64, level: i64) -> i64 {
    (langid * n_index + index) * MAX_LEVEL + level
}

/// Terms of documents not yet written to a segment.
#[derive(Default, Debug)]
pub struct Pending {
    /// One map per index: term -> documents (in docid order).
    pub indexes: Vec<BTreeMap<Vec<u8>, Vec<Doc>>>,
    /// Bytes held, counted as SQLite's nPendingData.
    pub size: usize,
    pub prev_docid: i64,
    pub prev_delete: bool,
    pub prev_langid: i64,
    /// While a statement inside the transaction runs: what it added, to
    /// be taken back if it is undone (None once `snapshot` holds the
    /// state to return to instead).
    log: Option<Vec<Undo>>,
    /// The scalars as the statement found them.
    mark: Option<(usize, i64, bool, i64)>,
    /// The terms as the statement found them, kept when it flushed or
    /// emptied them (a log cannot undo that).
    snapshot: Option<Vec<BTreeMap<Vec<u8>, Vec<Doc>>>>,
}

/// One change to take back: a new term, a new document in a term's list,
/// a new position in its last document.
#[derive(Debug)]
enum Undo {
    Term(usize, Vec<u8>),
    Doc(usize, Vec<u8>),
    Pos(usize, Vec<u8>),
}

fn undo_into(maps: &mut [BTreeMap<Vec<u8>, Vec<Doc>>], log: &[Undo]) {
    for u in log.iter().rev() {
        match u {
            Undo::Term(i, t) => {
                if let Some(m) = maps.get_mut(*i) {
                    m.remove(t);
                }
            }
            Undo::Doc(i, t) => {
                if let Some(l) = maps.get_mut(*i).and_then(|m| m.get_mut(t)) {
                    l.pop();
                }
            }
            Undo::Pos(i, t) => {
                if let Some(d) = maps.get_mut(*i).and_then(|m| m.get_mut(t)).and_then(|l| l.last_mut()) {
                    d.positions.pop();
                }
            }
        }
    }
}

impl Pending {
    pub fn is_empty(&self) -> bool {
        self.indexes.iter().all(|m| m.is_empty())
    }

    /// Drops everything (rollback, commit, DROP TABLE).
    pub fn clear(&mut self) {
        for m in self.indexes.iter_mut() {
            m.clear();
        }
        self.size = 0;
        self.log = None;
        self.mark = None;
        self.snapshot = None;
    }

    /// A statement inside the transaction starts: its changes can be
    /// taken back until the next one starts.
    pub fn mark_statement(&mut self) {
        self.log = Some(Vec::new());
        self.snapshot = None;
        self.mark = Some((self.size, self.prev_docid, self.prev_delete, self.prev_langid));
    }

    /// Before the terms are flushed or emptied inside a marked statement:
    /// keep the state the statement found, since the log cannot rebuild it.
    pub fn before_destructive_change(&mut self) {
        if let Some(log) = self.log.take() {
            let mut copy = self.indexes.clone();
            undo_into(&mut copy, &log);
            self.snapshot = Some(copy);
        }
    }

    /// Drops the terms inside a statement (the table was emptied).
    pub fn discard(&mut self) {
        self.before_destructive_change();
        for m in self.indexes.iter_mut() {
            m.clear();
        }
        self.size = 0;
    }

    /// The running statement was undone: back to what it found.
    pub fn undo_statement(&mut self) {
        if let Some(snap) = self.snapshot.take() {
            self.indexes = snap;
        } else if let Some(log) = self.log.take() {
            undo_into(&mut self.indexes, &log);
        }
        if let Some((size, docid, delete, langid)) = self.mark.take() {
            self.size = size;
            self.prev_docid = docid;
            self.prev_delete = delete;
            self.prev_langid = langid;
        }
        self.log = None;
    }

    /// Adds one occurrence for the current document (`col` < 0: a delete
    /// marker) to index `index`.
    pub fn add(&mut self, index: usize, term: &[u8], col: i32, pos: i32) {
        while self.indexes.len() <= index {
            self.indexes.push(BTreeMap::new());
        }
        let docid = self.prev_docid;
        // `size` counts as SQLite's nPendingData does: each term's encoded
        // list so far, its length and a hash element (40 bytes), so that
        // the flushes come where SQLite's come.
        let list = self.indexes[index].entry(term.to_vec()).or_default();
        if list.is_empty() {
            self.size += term.len() + 40;
            if let Some(log) = self.log.as_mut() {
                log.push(Undo::Term(index, term.to_vec()));
            }
        }
        let last_docid = list.last().map(|d| d.docid);
        if last_docid != Some(docid) {
            let delta = (docid as u64).wrapping_sub(last_docid.unwrap_or(0) as u64);
            self.size += varint_len(delta) + usize::from(last_docid.is_some());
            list.push(Doc { docid, positions: Vec::new() });
            if last_docid.is_some() {
                if let Some(log) = self.log.as_mut() {
                    log.push(Undo::Doc(index, term.to_vec()));
                }
            }
        }
        if col >= 0 {
            if let Some(d) = list.last_mut() {
                let (last_col, last_pos) = d.positions.last().map_or((-1, 0), |&(c, p)| (c, p));
                let mut prev = if last_col == col { last_pos } else { 0 };
                if col > 0 && last_col != col {
                    self.size += 1 + varint_len(col as u64);
                    prev = 0;
                }
                self.size += varint_len((2 + pos as i64 - prev as i64) as u64);
                d.positions.push((col, pos));
                if let Some(log) = self.log.as_mut() {
                    log.push(Undo::Pos(index, term.to_vec()));
                }
            }
        }
    }
}

/// One node of an interior level being built.
struct NodeBuf {
    data: Vec<u8>,
    n_entry: usize,
    last: Option<Vec<u8>>,
}

impl NodeBuf {
    fn new() -> NodeBuf {
        NodeBuf { data: vec![0; NODE_HEADER], n_entry: 0, last: None }
    }

    /// The node's bytes with its height and leftmost child in front.
    fn finish(&self, height: usize, left_child: i64) -> Vec<u8> {
        let mut out = vec![height as u8];
        put_varint(&mut out, left_child as u64);
        out.extend_from_slice(&self.data[NODE_HEADER..]);
        out
    }
}

fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    a.iter().zip(b).take_while(|(x, y)| x == y).count()
}

/// Builds one segment (SQLite's SegmentWriter).
pub struct SegmentWriter<'a> {
    sh: &'a Shadow,
    node_size: usize,
    data: Vec<u8>,
    last: Vec<u8>,
    first_block: i64,
    free_block: i64,
    started: bool,
    pub n_leaf_data: i64,
    /// Interior levels, height 1 first; the last level has one node.
    levels: Vec<Vec<NodeBuf>>,
}

impl<'a> SegmentWriter<'a> {
    pub fn new(sh: &'a Shadow, node_size: usize) -> SegmentWriter<'a> {
        SegmentWriter { sh, node_size, data: Vec::new(), last: Vec::new(), first_block: 0, free_block: 0, started: false, n_leaf_data: 0, levels: Vec::new() }
    }

    pub fn is_empty(&self) -> bool {
        !self.started
    }

    /// Adds `term` to interior level `k`, splitting a full node (the term
    /// then goes up to the parent, and a new empty node starts).
    fn node_add_term(&mut self, k: usize, term: &[u8]) -> Result<()> {
        if self.levels.len() <= k {
            self.levels.push(vec![NodeBuf::new()]);
        }
        let node_size = self.node_size;
        let Some(node) = self.levels[k].last_mut() else { return Err(corrupt()) };
        if let Some(last) = &node.last {
            let prefix = common_prefix(last, term);
            let suffix = term.len() - prefix;
            if suffix == 0 {
                return Err(corrupt());
            }
            let req = node.data.len() + varint_len(prefix as u64) + varint_len(suffix as u64) + suffix;
            if req > node_size {
                self.node_add_term(k + 1, term)?;
                self.levels[k].push(NodeBuf::new());
                return Ok(());
            }
            put_varint(&mut node.data, prefix as u64);
            put_varint(&mut node.data, suffix as u64);
            node.data.extend_from_slice(&term[prefix..]);
        } else {
            put_varint(&mut node.data, term.len() as u64);
            node.data.extend_from_slice(term);
        }
        node.n_entry += 1;
        node.last = Some(term.to_vec());
        Ok(())
    }

    /// Appends a term and its doclist (terms come in increasing order).
    pub fn add(&mut self, conn: &mut Connection, term: &[u8], doclist: &[u8]) -> Result<()> {
        if !self.started {
            self.started = true;
            self.free_block = self.sh.next_block_id(conn)?;
            self.first_block = self.free_block;
        }
        let mut prefix = common_prefix(&self.last, term);
        let mut suffix = term.len() - prefix;
        if suffix == 0 {
            return Err(corrupt());
        }
        let n_doclist = doclist.len();
        let mut req = varint_len(prefix as u64) + varint_len(suffix as u64) + suffix + varint_len(n_doclist as u64) + n_doclist;
        if !self.data.is_empty() && self.data.len() + req > self.node_size {
            let block = self.free_block;
            self.free_block += 1;
            self.sh.write_block(conn, block, &self.data)?;
            self.node_add_term(0, &term[..prefix + 1])?;
            self.data.clear();
            self.last.clear();
            prefix = 0;
            suffix = term.len();
            req = 1 + varint_len(term.len() as u64) + term.len() + varint_len(n_doclist as u64) + n_doclist;
        }
        self.n_leaf_data += req as i64;
        put_varint(&mut self.data, prefix as u64);
        put_varint(&mut self.data, suffix as u64);
        self.data.extend_from_slice(&term[prefix..]);
        put_varint(&mut self.data, n_doclist as u64);
        self.data.extend_from_slice(doclist);
        self.last = term.to_vec();
        Ok(())
    }

    /// Writes the last leaf, the interior nodes and the %_segdir row.
    pub fn flush(&mut self, conn: &mut Connection, level: i64, idx: i64) -> Result<()> {
        if self.levels.is_empty() {
            return self.sh.write_segdir(conn, level, idx, 0, 0, 0, self.n_leaf_data, &self.data);
        }
        let last_leaf = self.free_block;
        self.free_block += 1;
        self.sh.write_block(conn, last_leaf, &self.data)?;
        let mut leaf = self.first_block;
        let mut free = self.free_block;
        let mut root = Vec::new();
        let mut last = free - 1;
        let n_levels = self.levels.len();
        for (k, nodes) in self.levels.iter().enumerate() {
            let height = k + 1;
            if k + 1 == n_levels {
                root = nodes.first().map(|n| n.finish(height, leaf)).unwrap_or_default();
                last = free - 1;
                break;
            }
            let mut next_free = free;
            let mut next_leaf = leaf;
            for n in nodes {
                self.sh.write_block(conn, next_free, &n.finish(height, next_leaf))?;
                next_free += 1;
                next_leaf += n.n_entry as i64 + 1;
            }
            leaf = free;
            free = next_free;
        }
        self.sh.write_segdir(conn, level, idx, self.first_block, last_leaf, last, self.n_leaf_data, &root)
    }
}

/// What the writer needs to know of a table.
pub struct IndexShape<'a> {
    pub sh: &'a Shadow,
    pub node_size: usize,
    /// 1 + the number of prefix indexes.
    pub n_index: i64,
}

impl IndexShape<'_> {
    /// The idx for a new segment at relative level `level`, merging the
    /// level first when it is full (fts3AllocateSegdirIdx).
    fn allocate_idx(&self, conn: &mut Connection, langid: i64, index: i64, level: i64) -> Result<i64> {
        let next = self.sh.next_idx(conn, abs_level(langid, self.n_index, index, level))?;
        if next >= MERGE_COUNT {
            self.merge_level(conn, langid, index, level)?;
            return Ok(0);
        }
        Ok(next)
    }

    /// Deletes the blocks of `segs`.
    fn delete_blocks(&self, conn: &mut Connection, segs: &[Segment]) -> Result<()> {
        for s in segs {
            if s.start_block != 0 {
                self.sh.delete_blocks(conn, s.start_block, s.end_block)?;
            }
        }
        Ok(())
    }

    /// Merges every segment of relative level `level` into one segment of
    /// the next level.
    fn merge_level(&self, conn: &mut Connection, langid: i64, index: i64, level: i64) -> Result<()> {
        let abs = abs_level(langid, self.n_index, index, level);
        let segs = self.sh.segments(conn, abs, abs)?;
        if segs.is_empty() {
            return Ok(());
        }
        let lo = abs_level(langid, self.n_index, index, 0);
        let max_level = self.sh.max_level(conn, lo, lo + MAX_LEVEL - 1)?.unwrap_or(lo);
        let new_level = abs + 1;
        let idx = self.allocate_idx(conn, langid, index, level + 1)?;
        let drop_deletes = new_level > max_level;
        let merged = merged_entries(conn, self.sh, &segs, drop_deletes)?;
        let mut w = SegmentWriter::new(self.sh, self.node_size);
        for (term, docs) in &merged {
            w.add(conn, term, &doclist::encode(docs, self.sh.desc))?;
        }
        self.delete_blocks(conn, &segs)?;
        self.sh.delete_segdir_range(conn, abs, abs)?;
        if !w.is_empty() {
            w.flush(conn, new_level, idx)?;
            if new_level < max_level {
                self.promote(conn, new_level, w.n_leaf_data)?;
            }
        }
        Ok(())
    }

    /// Writes pending terms of index `index` as a new level-0 segment.
    pub fn flush_pending(&self, conn: &mut Connection, langid: i64, index: i64, terms: &BTreeMap<Vec<u8>, Vec<Doc>>) -> Result<()> {
        if terms.is_empty() {
            return Ok(());
        }
        let level = abs_level(langid, self.n_index, index, 0);
        let idx = self.allocate_idx(conn, langid, index, 0)?;
        let mut w = SegmentWriter::new(self.sh, self.node_size);
        for (term, docs) in terms {
            // Pending documents are in ascending order; an order=DESC
            // index stores them the other way.
            let bytes = if self.sh.desc {
                let rev: Vec<Doc> = docs.iter().rev().cloned().collect();
                doclist::encode(&rev, true)
            } else {
                doclist::encode(docs, false)
            };
            w.add(conn, term, &bytes)?;
        }
        w.flush(conn, level, idx)?;
        self.promote(conn, level, w.n_leaf_data)
    }

    /// SQLite's fts3PromoteSegments: when every segment above `level` is
    /// at most half again the new one's size, they all move down to it.
    fn promote(&self, conn: &mut Connection, level: i64, n_byte: i64) -> Result<()> {
        let last = (level / MAX_LEVEL + 1) * MAX_LEVEL - 1;
        let limit = n_byte * 3 / 2;
        let above = self.sh.segments(conn, level + 1, last)?;
        let ok = !above.is_empty() && above.iter().all(|s| s.n_leaf_data > 0 && s.n_leaf_data <= limit);
        if !ok {
            return Ok(());
        }
        let all = self.sh.segments(conn, level, last)?;
        for (i, s) in all.iter().enumerate() {
            self.sh.move_to_scratch(conn, i as i64, s.level, s.idx)?;
        }
        self.sh.scratch_to_level(conn, level)
    }

    /// 'optimize': every segment of each index and language merged into
    /// one, delete markers dropped.
    pub fn optimize(&self, conn: &mut Connection, cur_langid: i64) -> Result<()> {
        for langid in self.sh.langids(conn, cur_langid, self.n_index)? {
            for index in 0..self.n_index {
                let lo = abs_level(langid, self.n_index, index, 0);
                let hi = lo + MAX_LEVEL - 1;
                let segs = self.sh.segments(conn, lo, hi)?;
                if segs.len() <= 1 {
                    continue;
                }
                let max_level = self.sh.max_level(conn, lo, hi)?.unwrap_or(lo);
                let merged = merged_entries(conn, self.sh, &segs, true)?;
                let mut w = SegmentWriter::new(self.sh, self.node_size);
                for (term, docs) in &merged {
                    w.add(conn, term, &doclist::encode(docs, self.sh.desc))?;
                }
                self.delete_blocks(conn, &segs)?;
                self.sh.delete_segdir_range(conn, lo, hi)?;
                if !w.is_empty() {
                    w.flush(conn, max_level, 0)?;
                }
            }
        }
        Ok(())
    }
}

/// The union of `segs` (oldest first), term by term: newest entry wins
/// per docid; terms left with no document are dropped.
pub fn merged_entries(conn: &mut Connection, sh: &Shadow, segs: &[Segment], drop_deletes: bool) -> Result<Vec<(Vec<u8>, Vec<Doc>)>> {
    let mut by_term: BTreeMap<Vec<u8>, Vec<Vec<Doc>>> = BTreeMap::new();
    for s in segs {
        for e in segment::all_entries(conn, sh, s)? {
            by_term.entry(e.term).or_default().push(doclist::decode(&e.doclist, sh.desc)?);
        }
    }
    Ok(by_term
        .into_iter()
        .map(|(t, lists)| (t, doclist::merge(lists, sh.desc, drop_deletes)))
        .filter(|(_, d)| !d.is_empty())
        .collect())
}

/// Encodes counts as a blob of varints (%_docsize, %_stat).
pub fn encode_counts(a: &[u32]) -> Vec<u8> {
    let mut out = Vec::new();
    for &v in a {
        put_varint(&mut out, v as u64);
    }
    out
}

/// Decodes `n` counts (zeros when the blob is malformed, as SQLite).
pub fn decode_counts(blob: &[u8], n: usize) -> Vec<u32> {
    let mut a = vec![0u32; n];
    if blob.last().is_some_and(|b| b & 0x80 == 0) {
        let mut pos = 0;
        for x in a.iter_mut() {
            if pos >= blob.len() {
                break;
            }
            match doclist::get_varint(blob, &mut pos) {
                Some(v) => *x = (v & 0xffff_ffff) as u32,
                None => break,
            }
        }
    }
    a
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_round_trip() {
        let b = encode_counts(&[3, 200, 0]);
        assert_eq!(b, vec![3, 0xc8, 0x01, 0]);
        assert_eq!(decode_counts(&b, 3), vec![3, 200, 0]);
        assert_eq!(decode_counts(&[0x80], 2), vec![0, 0]);
    }

    #[test]
    fn interior_split_sends_term_up() {
        let sh = Shadow { db: "main".into(), name: "t".into(), n_column: 1, has_docsize: true, has_stat: true, external: None, columns: vec!["c".into()], languageid: None, desc: false };
        let mut w = SegmentWriter::new(&sh, NODE_HEADER + 7);
        for t in [b"aa".as_ref(), b"bb", b"cc", b"dd"] {
            assert!(w.node_add_term(0, t).is_ok());
        }
        // "aa" and "bb" fit the first node; "cc" went up; "dd" starts the
        // second node.
        assert_eq!(w.levels[0].len(), 2);
        assert_eq!(w.levels[0][0].n_entry, 2);
        assert_eq!(w.levels[1][0].last.as_deref(), Some(b"cc".as_ref()));
        assert_eq!(w.levels[0][0].finish(1, 5), vec![1, 5, 2, b'a', b'a', 0, 2, b'b', b'b']);
    }
}
