//! The R*Tree node blob, as SQLite stores it in `%_node.data`: a 2-byte
//! big-endian depth (meaningful in the root, node 1, only), a 2-byte
//! big-endian cell count, then the cells. A cell is an 8-byte big-endian
//! rowid (leaf) or child node number (interior) followed by 2*N
//! coordinates, each 4 bytes big-endian: the bits of a 32-bit float
//! (`rtree`) or a 32-bit signed integer (`rtree_i32`). The blob is always
//! the table's node size long; bytes after the last cell are unused.
//!
//! Invariant: a `Node` never holds more cells than fit in its blob, and a
//! coordinate is kept as its stored bits, so reading and writing a cell
//! back changes nothing.

use crate::error::{code, Error, Result};

/// The largest number of dimensions (SQLite's RTREE_MAX_DIMENSIONS).
pub const MAX_DIMENSIONS: usize = 5;
/// The cell cap that bounds the node size of a new table (RTREE_MAXCELLS).
pub const MAX_CELLS: usize = 51;
/// The deepest tree accepted (RTREE_MAX_DEPTH).
pub const MAX_DEPTH: usize = 40;

/// What a coordinate's 4 bytes hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CoordType {
    Real32,
    Int32,
}

impl CoordType {
    /// The value of stored bits as a double (exact for both types).
    pub fn decode(self, bits: u32) -> f64 {
        match self {
            CoordType::Real32 => f32::from_bits(bits) as f64,
            CoordType::Int32 => bits as i32 as f64,
        }
    }
}

/// One cell: a rowid or child node number and its box, as stored bits.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Cell {
    pub id: i64,
    pub coords: [u32; MAX_DIMENSIONS * 2],
}

/// The shape of a table's cells.
#[derive(Clone, Copy, Debug)]
pub struct Geometry {
    /// Number of coordinates (twice the dimensions).
    pub n_coord: usize,
    pub ty: CoordType,
    /// Bytes of one node blob.
    pub node_size: usize,
}

impl Geometry {
    pub fn bytes_per_cell(&self) -> usize {
        8 + 4 * self.n_coord
    }

    /// Cells a node holds at most.
    pub fn max_cells(&self) -> usize {
        (self.node_size.saturating_sub(4)) / self.bytes_per_cell()
    }

    /// Coordinate `i` of `c` as a double.
    pub fn coord(&self, c: &Cell, i: usize) -> f64 {
        self.ty.decode(c.coords[i])
    }

    /// The smallest box holding both `a` and `b` (into `a`).
    pub fn union(&self, a: &mut Cell, b: &Cell) {
        for d in (0..self.n_coord).step_by(2) {
            if self.coord(b, d) < self.coord(a, d) {
                a.coords[d] = b.coords[d];
            }
            if self.coord(b, d + 1) > self.coord(a, d + 1) {
                a.coords[d + 1] = b.coords[d + 1];
            }
        }
    }

    /// The volume of a box (a product of extents).
    pub fn area(&self, c: &Cell) -> f64 {
        let mut a = 1.0;
        for d in (0..self.n_coord).step_by(2) {
            a *= self.coord(c, d + 1) - self.coord(c, d);
        }
        a
    }

    /// The sum of a box's extents (SQLite's "margin").
    pub fn margin(&self, c: &Cell) -> f64 {
        (0..self.n_coord).step_by(2).map(|d| self.coord(c, d + 1) - self.coord(c, d)).sum()
    }

    /// The volume two boxes share (0 when they do not meet).
    pub fn overlap(&self, a: &Cell, b: &Cell) -> f64 {
        let mut v = 1.0;
        for d in (0..self.n_coord).step_by(2) {
            let lo = self.coord(a, d).max(self.coord(b, d));
            let hi = self.coord(a, d + 1).min(self.coord(b, d + 1));
            if hi < lo {
                return 0.0;
            }
            v *= hi - lo;
        }
        v
    }

    /// Whether `outer` holds `inner` entirely.
    pub fn contains(&self, outer: &Cell, inner: &Cell) -> bool {
        (0..self.n_coord).step_by(2).all(|d| self.coord(inner, d) >= self.coord(outer, d) && self.coord(inner, d + 1) <= self.coord(outer, d + 1))
    }
}

/// A node read from, or to be written to, `%_node`.
#[derive(Clone, Debug)]
pub struct Node {
    pub no: i64,
    pub cells: Vec<Cell>,
    /// The depth field (root only; 0 elsewhere).
    pub depth: u16,
    /// The blob the node was read from (empty for a new node): bytes past
    /// the last cell are written back as they were, as SQLite leaves them
    /// (a deleted cell's bytes stay behind the count), so that a tree both
    /// libraries changed the same way holds the same bytes.
    pub raw: Vec<u8>,
}

fn corrupt_vtab() -> Error {
    // SQLITE_CORRUPT_VTAB
    Error::code(code::CORRUPT | (1 << 8))
}

impl Node {
    /// Parses a node blob (SQLITE_CORRUPT_VTAB when it is not the table's
    /// node size or claims more cells than fit, as SQLite checks).
    pub fn decode(no: i64, blob: &[u8], g: &Geometry) -> Result<Node> {
        if blob.len() != g.node_size || blob.len() < 4 {
            return Err(corrupt_vtab());
        }
        let depth = u16::from_be_bytes([blob[0], blob[1]]);
        let n = u16::from_be_bytes([blob[2], blob[3]]) as usize;
        if n > g.max_cells() {
            return Err(corrupt_vtab());
        }
        let mut cells = Vec::with_capacity(n);
        for i in 0..n {
            cells.push(read_cell(&blob[4 + i * g.bytes_per_cell()..], g.n_coord));
        }
        Ok(Node { no, cells, depth, raw: blob.to_vec() })
    }

    /// The blob for this node: header and cells written over the blob it
    /// was read from (zeros for a new node).
    pub fn encode(&self, g: &Geometry) -> Vec<u8> {
        let mut b = self.raw.clone();
        b.resize(g.node_size, 0);
        b[0..2].copy_from_slice(&self.depth.to_be_bytes());
        b[2..4].copy_from_slice(&(self.cells.len() as u16).to_be_bytes());
        for (i, c) in self.cells.iter().enumerate() {
            let off = 4 + i * g.bytes_per_cell();
            b[off..off + 8].copy_from_slice(&c.id.to_be_bytes());
            for k in 0..g.n_coord {
                b[off + 8 + 4 * k..off + 12 + 4 * k].copy_from_slice(&c.coords[k].to_be_bytes());
            }
        }
        b
    }

    /// The box bounding every cell of the node (None when empty).
    pub fn bounds(&self, g: &Geometry) -> Option<Cell> {
        let mut it = self.cells.iter();
        let mut b = *it.next()?;
        for c in it {
            g.union(&mut b, c);
        }
        Some(b)
    }
}

/// One cell starting at `p` (which holds at least 8 + 4*n_coord bytes).
pub fn read_cell(p: &[u8], n_coord: usize) -> Cell {
    let mut c = Cell::default();
    let mut id = [0u8; 8];
    id.copy_from_slice(&p[0..8]);
    c.id = i64::from_be_bytes(id);
    for k in 0..n_coord.min(MAX_DIMENSIONS * 2) {
        c.coords[k] = u32::from_be_bytes([p[8 + 4 * k], p[9 + 4 * k], p[10 + 4 * k], p[11 + 4 * k]]);
    }
    c
}

/// The 32-bit float nearest `d` that is not above it (a lower bound is
/// rounded down, so the stored box never shrinks).
pub fn f32_down(d: f64) -> f32 {
    let f = d as f32;
    if (f as f64) > d {
        let x = f.to_bits();
        f32::from_bits(if x & 0x8000_0000 != 0 { x.wrapping_add(1) } else { x.wrapping_sub(1) })
    } else {
        f
    }
}

/// The 32-bit float nearest `d` that is not below it.
pub fn f32_up(d: f64) -> f32 {
    let f = d as f32;
    if (f as f64) < d {
        let x = f.to_bits();
        f32::from_bits(if x & 0x8000_0000 != 0 { x.wrapping_sub(1) } else { x.wrapping_add(1) })
    } else {
        f
    }
}

/// An integer coordinate: the value as a 64-bit integer, capped to the
/// 32-bit range.
pub fn i32_capped(v: i64) -> i32 {
    v.clamp(i32::MIN as i64, i32::MAX as i64) as i32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounding_keeps_the_box_outside() {
        let d = 0.1f64;
        assert!((f32_down(d) as f64) <= d);
        assert!((f32_up(d) as f64) >= d);
        assert!(f32_down(d) < f32_up(d));
        assert_eq!(f32_down(1.0), 1.0);
        assert_eq!(f32_up(1.0), 1.0);
        assert!((f32_down(-0.1) as f64) <= -0.1);
        assert!((f32_up(-0.1) as f64) >= -0.1);
        assert_eq!(i32_capped(1 << 40), i32::MAX);
        assert_eq!(i32_capped(-(1 << 40)), i32::MIN);
    }

    #[test]
    fn node_round_trip() {
        let g = Geometry { n_coord: 4, ty: CoordType::Real32, node_size: 1228 };
        let mut c = Cell { id: 7, ..Default::default() };
        c.coords[0] = 1.5f32.to_bits();
        c.coords[1] = 2.5f32.to_bits();
        c.coords[2] = (-3.0f32).to_bits();
        c.coords[3] = 4.0f32.to_bits();
        let n = Node { no: 1, cells: vec![c, c], depth: 3, raw: Vec::new() };
        let b = n.encode(&g);
        assert_eq!(b.len(), 1228);
        assert_eq!(&b[0..4], &[0, 3, 0, 2]);
        assert_eq!(&b[4..12], &7i64.to_be_bytes());
        let back = Node::decode(1, &b, &g).unwrap();
        assert_eq!(back.cells, n.cells);
        assert_eq!(back.depth, 3);
        assert!(Node::decode(1, &b[..100], &g).is_err());
    }
}
