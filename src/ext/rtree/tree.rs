//! Changing an R*Tree: inserting a cell (choose-subtree by least
//! enlargement, a split along the axis of least margin), deleting one
//! (empty nodes leave the tree, boxes shrink, a root with one child
//! absorbs it), with the `%_rowid` / `%_parent` mappings kept in step.
//! The shapes this produces are Ferrolite's own (SQLite's choices differ);
//! what both libraries rely on is the structure, which is SQLite's:
//!
//! Invariants after every public call: node 1 is the root and holds the
//! depth; every leaf is at depth 0 below it; every interior cell's box
//! bounds its child's cells; `%_rowid` maps each leaf cell's rowid to its
//! leaf and `%_parent` each non-root node to its parent; only the root
//! may be empty.

use crate::connection::Connection;
use crate::error::{code, Error, Result};

use super::node::{Cell, Geometry, Node, MAX_DEPTH};
use super::shadow::Shadow;

/// SQLITE_CORRUPT_VTAB.
pub fn corrupt_vtab() -> Error {
    Error::code(code::CORRUPT | (1 << 8))
}

/// One R*Tree being changed through a connection.
pub struct Tree<'a> {
    pub conn: &'a mut Connection,
    pub sh: &'a Shadow,
    pub g: Geometry,
}

impl Tree<'_> {
    /// Node `no` (SQLITE_CORRUPT_VTAB when it is missing or malformed).
    pub fn load(&mut self, no: i64) -> Result<Node> {
        if no <= 0 {
            return Err(corrupt_vtab());
        }
        let blob = self.sh.read_node(self.conn, no)?.ok_or_else(corrupt_vtab)?;
        let n = Node::decode(no, &blob, &self.g)?;
        if no == 1 && n.depth as usize >= MAX_DEPTH {
            return Err(corrupt_vtab());
        }
        Ok(n)
    }

    /// Writes `n`, giving it a number first when it has none.
    fn save(&mut self, n: &mut Node) -> Result<()> {
        n.no = self.sh.write_node(self.conn, n, &self.g)?;
        Ok(())
    }

    /// Records where cell `id` of level `level` now lives.
    fn map(&mut self, level: usize, id: i64, node: i64) -> Result<()> {
        if level == 0 {
            self.sh.write_rowid(self.conn, Some(id), Some(node)).map(|_| ())
        } else {
            self.sh.write_parent(self.conn, id, node)
        }
    }

    /// Inserts a leaf cell (its rowid already in `%_rowid`).
    pub fn insert(&mut self, cell: Cell) -> Result<()> {
        let root = self.load(1)?;
        let mut path = vec![root];
        let mut level = path[0].depth as usize;
        while level > 0 {
            let node = path.last().ok_or_else(corrupt_vtab)?;
            let k = self.choose(node, &cell)?;
            let child = node.cells[k].id;
            let n = self.load(child)?;
            path.push(n);
            level -= 1;
        }
        self.insert_at(path, cell, 0)
    }

    /// The cell of `node` whose box grows least to take `cell` (the
    /// smaller box on ties).
    fn choose(&self, node: &Node, cell: &Cell) -> Result<usize> {
        let mut best: Option<(usize, f64, f64)> = None;
        for (i, c) in node.cells.iter().enumerate() {
            let mut u = *c;
            self.g.union(&mut u, cell);
            let area = self.g.area(c);
            let growth = self.g.area(&u) - area;
            if best.is_none_or(|(_, g, a)| growth < g || (growth == g && area < a)) {
                best = Some((i, growth, area));
            }
        }
        best.map(|b| b.0).ok_or_else(corrupt_vtab)
    }

    /// Puts `cell` (of level `level`) into the last node of `path` (its
    /// ancestors before it), splitting as needed.
    fn insert_at(&mut self, mut path: Vec<Node>, cell: Cell, level: usize) -> Result<()> {
        let mut node = path.pop().ok_or_else(corrupt_vtab)?;
        if node.cells.len() < self.g.max_cells() {
            node.cells.push(cell);
            self.save(&mut node)?;
            self.map(level, cell.id, node.no)?;
            return self.adjust(path, node);
        }
        let mut all = std::mem::take(&mut node.cells);
        all.push(cell);
        // A split node is written from zeros, as SQLite writes it.
        node.raw.clear();
        let (a, b) = self.split(all);
        if node.no == 1 {
            let mut left = Node { no: 0, cells: a, depth: 0, raw: Vec::new() };
            let mut right = Node { no: 0, cells: b, depth: 0, raw: Vec::new() };
            self.save(&mut left)?;
            self.save(&mut right)?;
            for half in [&left, &right] {
                for c in &half.cells {
                    self.map(level, c.id, half.no)?;
                }
            }
            let lb = Cell { id: left.no, ..left.bounds(&self.g).ok_or_else(corrupt_vtab)? };
            let rb = Cell { id: right.no, ..right.bounds(&self.g).ok_or_else(corrupt_vtab)? };
            node.cells = vec![lb, rb];
            node.depth += 1;
            self.save(&mut node)?;
            self.sh.write_parent(self.conn, left.no, 1)?;
            self.sh.write_parent(self.conn, right.no, 1)?;
            return Ok(());
        }
        let in_a = a.iter().any(|c| c.id == cell.id && c.coords == cell.coords);
        node.cells = a;
        self.save(&mut node)?;
        if in_a {
            self.map(level, cell.id, node.no)?;
        }
        let mut sibling = Node { no: 0, cells: b, depth: 0, raw: Vec::new() };
        self.save(&mut sibling)?;
        for c in &sibling.cells {
            self.map(level, c.id, sibling.no)?;
        }
        let parent = path.last_mut().ok_or_else(corrupt_vtab)?;
        let nb = node.bounds(&self.g).ok_or_else(corrupt_vtab)?;
        let slot = parent.cells.iter_mut().find(|c| c.id == node.no).ok_or_else(corrupt_vtab)?;
        *slot = Cell { id: node.no, ..nb };
        let sb = Cell { id: sibling.no, ..sibling.bounds(&self.g).ok_or_else(corrupt_vtab)? };
        self.insert_at(path, sb, level + 1)
    }

    /// Splits an overfull set of cells in two: along the axis whose sorted
    /// splits have the least total margin, at the split with the least
    /// overlap (then least area). Each half keeps at least a third of a
    /// node's capacity.
    fn split(&self, cells: Vec<Cell>) -> (Vec<Cell>, Vec<Cell>) {
        let g = &self.g;
        let n = cells.len();
        let min = (g.max_cells() / 3).max(1).min(n / 2);
        let bound = |s: &[Cell]| {
            let mut b = s[0];
            for c in &s[1..] {
                g.union(&mut b, c);
            }
            b
        };
        let mut best_axis: Option<(f64, Vec<Cell>)> = None;
        for d in (0..g.n_coord).step_by(2) {
            let mut sorted = cells.clone();
            sorted.sort_by(|x, y| {
                g.coord(x, d).total_cmp(&g.coord(y, d)).then(g.coord(x, d + 1).total_cmp(&g.coord(y, d + 1)))
            });
            let mut margin = 0.0;
            for k in min..=n - min {
                margin += g.margin(&bound(&sorted[..k])) + g.margin(&bound(&sorted[k..]));
            }
            if best_axis.as_ref().is_none_or(|(m, _)| margin < *m) {
                best_axis = Some((margin, sorted));
            }
        }
        let sorted = best_axis.map(|b| b.1).unwrap_or(cells);
        let mut best: Option<(usize, f64, f64)> = None;
        for k in min..=n - min {
            let (l, r) = (bound(&sorted[..k]), bound(&sorted[k..]));
            let overlap = g.overlap(&l, &r);
            let area = g.area(&l) + g.area(&r);
            if best.is_none_or(|(_, o, a)| overlap < o || (overlap == o && area < a)) {
                best = Some((k, overlap, area));
            }
        }
        let k = best.map_or(n / 2, |b| b.0);
        let right = sorted[k..].to_vec();
        let mut left = sorted;
        left.truncate(k);
        (left, right)
    }

    /// After `child` changed, sets each ancestor's box for it to the
    /// child's bounds, bottom up, writing the nodes that change.
    fn adjust(&mut self, mut path: Vec<Node>, mut child: Node) -> Result<()> {
        while let Some(mut parent) = path.pop() {
            let Some(b) = child.bounds(&self.g) else { return Ok(()) };
            let slot = parent.cells.iter_mut().find(|c| c.id == child.no).ok_or_else(corrupt_vtab)?;
            let nb = Cell { id: child.no, ..b };
            if *slot == nb {
                return Ok(());
            }
            *slot = nb;
            self.save(&mut parent)?;
            child = parent;
        }
        Ok(())
    }

    /// The ancestors of node `no`, root first (through `%_parent`).
    fn ancestors(&mut self, no: i64) -> Result<Vec<Node>> {
        let mut up = Vec::new();
        let mut cur = no;
        while cur != 1 {
            if up.len() > MAX_DEPTH {
                return Err(corrupt_vtab());
            }
            cur = self.sh.read_parent(self.conn, cur)?.ok_or_else(corrupt_vtab)?;
            up.push(self.load(cur)?);
        }
        up.reverse();
        Ok(up)
    }

    /// Removes row `rowid` (nothing when it is not there). Its `%_rowid`
    /// row is deleted too.
    pub fn delete(&mut self, rowid: i64) -> Result<()> {
        let Some(leaf_no) = self.sh.read_rowid(self.conn, rowid)? else { return Ok(()) };
        let mut node = self.load(leaf_no)?;
        let k = node.cells.iter().position(|c| c.id == rowid).ok_or_else(corrupt_vtab)?;
        node.cells.remove(k);
        self.sh.delete_rowid(self.conn, rowid)?;
        let mut path = self.ancestors(leaf_no)?;
        // Empty non-root nodes leave the tree; their parent loses a cell.
        while node.no != 1 && node.cells.is_empty() {
            self.sh.delete_node(self.conn, node.no)?;
            self.sh.delete_parent(self.conn, node.no)?;
            let mut parent = path.pop().ok_or_else(corrupt_vtab)?;
            let k = parent.cells.iter().position(|c| c.id == node.no).ok_or_else(corrupt_vtab)?;
            parent.cells.remove(k);
            node = parent;
        }
        if node.no == 1 && node.cells.is_empty() {
            node.depth = 0;
        }
        self.save(&mut node)?;
        let root_changed = node.no == 1;
        self.adjust(path, node)?;
        let _ = root_changed;
        self.shrink_root()
    }

    /// While the root has one child, moves the child's cells into it.
    fn shrink_root(&mut self) -> Result<()> {
        loop {
            let mut root = self.load(1)?;
            if root.depth == 0 || root.cells.len() != 1 {
                return Ok(());
            }
            let child = self.load(root.cells[0].id)?;
            root.depth -= 1;
            root.cells = child.cells.clone();
            self.save(&mut root)?;
            for c in &child.cells {
                self.map(root.depth as usize, c.id, 1)?;
            }
            self.sh.delete_node(self.conn, child.no)?;
            self.sh.delete_parent(self.conn, child.no)?;
        }
    }
}
