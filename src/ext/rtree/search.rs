//! The R*Tree search, as SQLite's cursor walks the tree: a queue of
//! search points (a node to go on reading, or a row found), always
//! taking the point with the lowest score, then the lowest level; a
//! node's cells are read one at a time, each passing cell queued as a
//! point of its own. Without query callbacks every score is 0 and this is
//! a depth-first walk in cell order; query callbacks give cells scores
//! (nearest first...) and may prune them (NOT_WITHIN).
//!
//! Invariant: the queue never holds two points for the same node (a tree
//! that would make it is corrupt), and a search reads at most
//! `MAX_DEPTH` levels.

use crate::error::Result;

use super::callback::{CellTest, MatchQuery, FULLY_WITHIN, NOT_WITHIN, PARTLY_WITHIN};
use super::node::{Cell, CoordType, Node, MAX_DEPTH};
use super::tree::{corrupt_vtab, Tree};

/// One test of a search.
pub enum Test {
    True,
    False,
    /// Operator byte ('A' = 'B' <= 'C' < 'D' >= 'E' >) against coordinate
    /// `coord`.
    Cmp { op: u8, coord: usize, value: f64 },
    /// A MATCH with an application callback.
    Match(Box<dyn MatchQuery>),
}

/// A search point.
#[derive(Clone, Copy, Debug)]
struct Point {
    score: f64,
    /// 0: a row (cell `cell` of leaf `id`); otherwise node `id`, one above
    /// the height of its cells, read from cell `cell` on.
    level: usize,
    id: i64,
    cell: usize,
    within: i32,
}

/// Whether a row passes a coordinate test.
fn leaf_ok(op: u8, x: f64, value: f64) -> bool {
    match op {
        b'B' => x <= value,
        b'C' => x < value,
        b'D' => x >= value,
        b'E' => x > value,
        _ => x == value,
    }
}

/// Whether a box (lower bound `lo`, upper `hi` of the tested dimension)
/// may hold a row passing a coordinate test.
fn box_ok(op: u8, lo: f64, hi: f64, value: f64) -> bool {
    match op {
        b'A' => value >= lo && value <= hi,
        b'B' | b'C' => value >= lo,
        _ => value <= hi,
    }
}

/// The index of the first point: lowest score, then lowest level, then
/// the earliest queued.
fn first(queue: &[Point]) -> Option<usize> {
    let mut best: Option<usize> = None;
    for (i, p) in queue.iter().enumerate() {
        if best.is_none_or(|b| p.score < queue[b].score || (p.score == queue[b].score && p.level < queue[b].level)) {
            best = Some(i);
        }
    }
    best
}

/// Runs a search from the root; returns the matching leaf cells in the
/// order SQLite's cursor returns them.
pub fn run(tree: &mut Tree<'_>, tests: &mut [Test]) -> Result<Vec<Cell>> {
    let ty: CoordType = tree.g.ty;
    let n_coord = tree.g.n_coord;
    let root = tree.load(1)?;
    let depth = root.depth as usize;
    let mut nodes: std::collections::HashMap<i64, Node> = std::collections::HashMap::new();
    nodes.insert(1, root);
    let mut counts = vec![0u32; depth + 2];
    let mut queue = vec![Point { score: 0.0, level: depth + 1, id: 1, cell: 0, within: PARTLY_WITHIN }];
    counts[depth + 1] += 1;
    let mut rowid = 0i64;
    let mut found = Vec::new();
    let mut coords = [0f64; 10];
    while let Some(pi) = first(&queue) {
        let p = queue[pi];
        if p.level == 0 {
            let node = nodes.get(&p.id).ok_or_else(corrupt_vtab)?;
            found.push(*node.cells.get(p.cell).ok_or_else(corrupt_vtab)?);
            queue.remove(pi);
            counts[0] = counts[0].saturating_sub(1);
            continue;
        }
        if let std::collections::hash_map::Entry::Vacant(e) = nodes.entry(p.id) {
            e.insert(tree.load(p.id)?);
        }
        let n_cell = nodes.get(&p.id).map_or(0, |n| n.cells.len());
        let mut pushed = None;
        while queue[pi].cell < n_cell {
            let c = nodes.get(&p.id).and_then(|n| n.cells.get(queue[pi].cell).copied()).ok_or_else(corrupt_vtab)?;
            queue[pi].cell += 1;
            let mut score = -1.0f64;
            let mut within = FULLY_WITHIN;
            for (k, v) in coords.iter_mut().enumerate().take(n_coord) {
                *v = ty.decode(c.coords[k]);
            }
            for t in tests.iter_mut() {
                match t {
                    Test::True => {}
                    Test::False => within = NOT_WITHIN,
                    Test::Cmp { op, coord, value } => {
                        let ok = if p.level == 1 {
                            leaf_ok(*op, coords.get(*coord).copied().unwrap_or(0.0), *value)
                        } else {
                            let lo = *coord & !1;
                            box_ok(*op, coords.get(lo).copied().unwrap_or(0.0), coords.get(lo + 1).copied().unwrap_or(0.0), *value)
                        };
                        if !ok {
                            within = NOT_WITHIN;
                        }
                    }
                    Test::Match(q) => {
                        if p.level == 1 {
                            rowid = c.id;
                        }
                        let a = q.test(&CellTest { coords: &coords[..n_coord], level: p.level as i32 - 1, rowid, parent_score: p.score, parent_within: p.within, queue: &counts })?;
                        within = within.min(a.within);
                        match a.score {
                            Some(s) => {
                                if s < score || score < 0.0 {
                                    score = s;
                                }
                            }
                            None => score = 0.0,
                        }
                    }
                }
                if within == NOT_WITHIN {
                    break;
                }
            }
            if within == NOT_WITHIN {
                continue;
            }
            let level = p.level - 1;
            let (id, cell) = if level > 0 { (c.id, 0) } else { (p.id, queue[pi].cell - 1) };
            if level > 0 && queue.iter().any(|q| q.level > 0 && q.id == id) {
                return Err(corrupt_vtab());
            }
            pushed = Some(Point { score: score.max(0.0), level, id, cell, within });
            break;
        }
        if queue[pi].cell >= n_cell {
            let gone = queue.remove(pi);
            counts[gone.level] = counts[gone.level].saturating_sub(1);
        }
        if let Some(np) = pushed {
            if np.level > 0 && depth + 1 - np.level > MAX_DEPTH {
                return Err(corrupt_vtab());
            }
            counts[np.level] += 1;
            queue.push(np);
        }
    }
    Ok(found)
}
