//! B-tree page and cell format (fileformat2 §1.6): page headers, the cell
//! pointer array, cell parsing, SQLite's local-payload rule, and building a
//! page from a list of cells.
//!
//! Invariants: every offset, count and size read from a page is checked
//! against the usable size before use (violations are SQLITE_CORRUPT); a
//! page written by `build` has no freeblocks and no fragmented bytes, cells
//! packed at the end of the usable area in pointer order, each taking at
//! least 4 bytes (as SQLite pads tiny cells), and zeroed free space.

use super::varint;
use crate::error::{Error, Result};
use crate::pager::Pgno;

pub const INDEX_INTERIOR: u8 = 2;
pub const TABLE_INTERIOR: u8 = 5;
pub const INDEX_LEAF: u8 = 10;
pub const TABLE_LEAF: u8 = 13;

/// Offset of the B-tree page header (page 1 starts after the file header).
#[inline]
pub fn hdr_offset(pgno: Pgno) -> usize {
    if pgno == 1 {
        100
    } else {
        0
    }
}

#[inline]
pub fn get_u16(b: &[u8], off: usize) -> Result<usize> {
    match b.get(off..off + 2) {
        Some(s) => Ok(u16::from_be_bytes([s[0], s[1]]) as usize),
        None => Err(Error::corrupt()),
    }
}

#[inline]
pub fn get_u32(b: &[u8], off: usize) -> Result<u32> {
    match b.get(off..off + 4) {
        Some(s) => Ok(u32::from_be_bytes([s[0], s[1], s[2], s[3]])),
        None => Err(Error::corrupt()),
    }
}

#[inline]
pub fn put_u16(b: &mut [u8], off: usize, v: usize) {
    b[off..off + 2].copy_from_slice(&(v as u16).to_be_bytes());
}

#[inline]
pub fn put_u32(b: &mut [u8], off: usize, v: u32) {
    b[off..off + 4].copy_from_slice(&v.to_be_bytes());
}

/// A parsed page header.
#[derive(Clone, Copy, Debug)]
pub struct PageInfo {
    pub kind: u8,
    pub leaf: bool,
    pub intkey: bool,
    /// Offset of the page header.
    pub hdr: usize,
    /// 8 for leaves, 12 for interior pages.
    pub hdr_size: usize,
    pub ncell: usize,
    pub content_start: usize,
    pub first_freeblock: usize,
    pub frag: usize,
    /// Right-most child (interior pages), else 0.
    pub right: Pgno,
    pub usable: usize,
}

impl PageInfo {
    /// First byte after the cell pointer array.
    #[inline]
    pub fn ptrs_end(&self) -> usize {
        self.hdr + self.hdr_size + 2 * self.ncell
    }

    /// The table-leaf local rule applies (else the index rule).
    #[inline]
    pub fn table_leaf(&self) -> bool {
        self.kind == TABLE_LEAF
    }

    /// Offset of cell `i`, checked.
    #[inline]
    pub fn cell_ptr(&self, data: &[u8], i: usize) -> Result<usize> {
        if i >= self.ncell {
            return Err(Error::corrupt());
        }
        let p = get_u16(data, self.hdr + self.hdr_size + 2 * i)?;
        if p < self.ptrs_end() || p + 4 > self.usable {
            return Err(Error::corrupt());
        }
        Ok(p)
    }

    /// Child page `i` (0..=ncell) of an interior page.
    pub fn child(&self, data: &[u8], i: usize) -> Result<Pgno> {
        if self.leaf {
            return Err(Error::corrupt());
        }
        if i == self.ncell {
            return Ok(self.right);
        }
        let p = self.cell_ptr(data, i)?;
        get_u32(data, p)
    }
}

/// Parses and sanity-checks the header of page `pgno`.
pub fn parse(data: &[u8], pgno: Pgno, usable: usize) -> Result<PageInfo> {
    let hdr = hdr_offset(pgno);
    if data.len() < usable || usable < 480 {
        return Err(Error::corrupt());
    }
    let kind = data[hdr];
    let (leaf, intkey) = match kind {
        TABLE_LEAF => (true, true),
        TABLE_INTERIOR => (false, true),
        INDEX_LEAF => (true, false),
        INDEX_INTERIOR => (false, false),
        _ => return Err(Error::corrupt()),
    };
    let hdr_size = if leaf { 8 } else { 12 };
    let first_freeblock = get_u16(data, hdr + 1)?;
    let ncell = get_u16(data, hdr + 3)?;
    let mut content_start = get_u16(data, hdr + 5)?;
    if content_start == 0 {
        content_start = 65536;
    }
    let frag = data[hdr + 7] as usize;
    let right = if leaf { 0 } else { get_u32(data, hdr + 8)? };
    let info = PageInfo { kind, leaf, intkey, hdr, hdr_size, ncell, content_start, first_freeblock, frag, right, usable };
    if info.ptrs_end() > usable || content_start > usable || content_start < info.ptrs_end() {
        return Err(Error::corrupt());
    }
    Ok(info)
}

/// SQLite's rule for how much of a payload stays on the page.
#[inline]
pub fn local_size(payload: u64, usable: usize, table_leaf: bool) -> usize {
    let u = usable as u64;
    let max_local = if table_leaf { u - 35 } else { (u - 12) * 64 / 255 - 23 };
    if payload <= max_local {
        return payload as usize;
    }
    let min_local = (u - 12) * 32 / 255 - 23;
    let k = min_local + (payload - min_local) % (u - 4);
    if k <= max_local {
        k as usize
    } else {
        min_local as usize
    }
}

/// The largest payload kept wholly local for a page kind.
pub fn max_local(usable: usize, table_leaf: bool) -> usize {
    if table_leaf {
        usable - 35
    } else {
        (usable - 12) * 64 / 255 - 23
    }
}

/// A parsed cell.
#[derive(Clone, Copy, Debug, Default)]
pub struct CellInfo {
    /// Rowid (table pages).
    pub key: i64,
    /// Total payload size.
    pub payload: u64,
    /// Offset of the payload within the page (absolute).
    pub payload_off: usize,
    /// Bytes of payload stored on the page.
    pub local: usize,
    /// Bytes the cell occupies on the page (at least 4).
    pub size: usize,
    /// Exact length of the cell's bytes (before padding to 4).
    pub len: usize,
    /// First overflow page, 0 if none.
    pub ovfl: Pgno,
    /// Left child (interior pages), else 0.
    pub child: Pgno,
}

/// Largest payload accepted from disk (SQLite's 2^31-1 ceiling).
const MAX_PAYLOAD: u64 = 0x7fff_ffff;

/// Parses the cell at `off`.
pub fn parse_cell(data: &[u8], off: usize, info: &PageInfo) -> Result<CellInfo> {
    let usable = info.usable;
    let area = data.get(off..usable).ok_or_else(Error::corrupt)?;
    let mut c = CellInfo::default();
    let mut p = 0usize;
    if !info.leaf {
        c.child = get_u32(area, 0)?;
        p = 4;
    }
    if info.intkey && !info.leaf {
        let (k, n) = varint::get(&area[p..]).ok_or_else(Error::corrupt)?;
        c.key = k as i64;
        c.len = p + n;
        c.size = c.len.max(4);
        c.payload_off = off + p + n;
        return Ok(c);
    }
    let (np, n) = varint::get(area.get(p..).ok_or_else(Error::corrupt)?).ok_or_else(Error::corrupt)?;
    if np > MAX_PAYLOAD {
        return Err(Error::corrupt());
    }
    p += n;
    if info.intkey {
        let (k, n) = varint::get(area.get(p..).ok_or_else(Error::corrupt)?).ok_or_else(Error::corrupt)?;
        c.key = k as i64;
        p += n;
    }
    c.payload = np;
    c.payload_off = off + p;
    c.local = local_size(np, usable, info.table_leaf());
    let mut size = p + c.local;
    if (c.local as u64) < np {
        c.ovfl = get_u32(area, size)?;
        size += 4;
    }
    if size > area.len() {
        return Err(Error::corrupt());
    }
    c.len = size;
    c.size = size.max(4);
    if off + c.size > usable {
        return Err(Error::corrupt());
    }
    Ok(c)
}

/// The exact bytes of cell `i` (without padding).
pub fn cell_bytes<'a>(data: &'a [u8], info: &PageInfo, i: usize) -> Result<&'a [u8]> {
    let off = info.cell_ptr(data, i)?;
    let c = parse_cell(data, off, info)?;
    data.get(off..off + c.len).ok_or_else(Error::corrupt)
}

/// Bytes occupied on a page by a cell of `len` bytes.
#[inline]
pub fn cell_space(len: usize) -> usize {
    len.max(4)
}

/// Total free bytes on the page: the gap, freeblocks and fragments.
pub fn free_space(data: &[u8], info: &PageInfo) -> Result<usize> {
    let mut total = info.content_start - info.ptrs_end() + info.frag;
    let mut fb = info.first_freeblock;
    let mut guard = 0;
    let mut prev_end = 0usize;
    while fb != 0 {
        guard += 1;
        if fb < info.content_start || fb + 4 > info.usable || fb < prev_end || guard > info.usable / 4 {
            return Err(Error::corrupt());
        }
        let next = get_u16(data, fb)?;
        let size = get_u16(data, fb + 2)?;
        if size < 4 || fb + size > info.usable || (next != 0 && next <= fb + size + 3) {
            return Err(Error::corrupt());
        }
        total += size;
        prev_end = fb + size;
        fb = next;
    }
    if total > info.usable {
        return Err(Error::corrupt());
    }
    Ok(total)
}

/// Bytes a page would use holding `cells` (header, pointers, cells).
pub fn content_size<C: AsRef<[u8]>>(pgno: Pgno, kind: u8, cells: &[C]) -> usize {
    let hs = if kind == TABLE_LEAF || kind == INDEX_LEAF { 8 } else { 12 };
    hdr_offset(pgno) + hs + cells.iter().map(|c| 2 + cell_space(c.as_ref().len())).sum::<usize>()
}

/// Rebuilds page `pgno` in `buf` from `cells` (in order). Bytes 0..100 of
/// page 1 are kept. The caller guarantees the cells fit.
pub fn build<C: AsRef<[u8]>>(buf: &mut [u8], pgno: Pgno, usable: usize, kind: u8, cells: &[C], right: Pgno) -> Result<()> {
    if content_size(pgno, kind, cells) > usable || buf.len() < usable {
        return Err(Error::corrupt());
    }
    let hdr = hdr_offset(pgno);
    let leaf = kind == TABLE_LEAF || kind == INDEX_LEAF;
    let hs = if leaf { 8 } else { 12 };
    buf[hdr..usable].fill(0);
    buf[hdr] = kind;
    put_u16(buf, hdr + 3, cells.len());
    if !leaf {
        put_u32(buf, hdr + 8, right);
    }
    let mut top = usable;
    let mut ptr = hdr + hs;
    for c in cells {
        let c = c.as_ref();
        top -= cell_space(c.len());
        buf[top..top + c.len()].copy_from_slice(c);
        put_u16(buf, ptr, top);
        ptr += 2;
    }
    put_u16(buf, hdr + 5, if top == 65536 { 0 } else { top });
    Ok(())
}

/// Inserts `cell` as cell `idx` using the gap between the pointer array and
/// the content area. Returns false (page untouched) when the gap is too
/// small.
pub fn insert_in_gap(buf: &mut [u8], info: &PageInfo, idx: usize, cell: &[u8]) -> Result<bool> {
    let sz = cell_space(cell.len());
    if info.content_start < info.ptrs_end() + 2 + sz || idx > info.ncell {
        return Ok(false);
    }
    let top = info.content_start - sz;
    buf[top..top + cell.len()].copy_from_slice(cell);
    if sz > cell.len() {
        buf[top + cell.len()..top + sz].fill(0);
    }
    let base = info.hdr + info.hdr_size;
    let at = base + 2 * idx;
    let end = info.ptrs_end();
    buf.copy_within(at..end, at + 2);
    put_u16(buf, at, top);
    put_u16(buf, info.hdr + 3, info.ncell + 1);
    put_u16(buf, info.hdr + 5, top);
    Ok(true)
}

/// Removes cell `idx` in place: its pointer leaves the array and its
/// bytes join the freeblock list (merged with neighbours closer than 4
/// bytes, absorbing the fragments between, as SQLite requires) or the gap
/// when they sit at the top of the content area.
pub fn remove_cell(buf: &mut [u8], info: &PageInfo, idx: usize, size: usize) -> Result<()> {
    let start = info.cell_ptr(buf, idx)?;
    let hdr = info.hdr;
    let usable = info.usable;
    let at = hdr + info.hdr_size + 2 * idx;
    let end = info.ptrs_end();
    buf.copy_within(at + 2..end, at);
    put_u16(buf, hdr + 3, info.ncell - 1);
    if start + size > usable {
        return Err(Error::corrupt());
    }
    // Find the freeblocks around `start`.
    let mut field = hdr + 1;
    let mut prev_field = 0usize;
    let mut cur = get_u16(buf, field)?;
    let mut guard = 0;
    while cur != 0 && cur < start {
        guard += 1;
        if guard > usable / 4 || cur + 4 > usable || (field != hdr + 1 && cur <= field) {
            return Err(Error::corrupt());
        }
        prev_field = field;
        field = cur;
        cur = get_u16(buf, cur)?;
    }
    let mut frag = buf[hdr + 7] as usize;
    let (mut s, mut e) = (start, start + size);
    let mut next = cur;
    if cur != 0 {
        if cur < e || cur + 4 > usable {
            return Err(Error::corrupt());
        }
        let csz = get_u16(buf, cur + 2)?;
        if cur + csz > usable {
            return Err(Error::corrupt());
        }
        let gap = cur - e;
        if gap <= 3 {
            frag = frag.checked_sub(gap).ok_or_else(Error::corrupt)?;
            e = cur + csz;
            next = get_u16(buf, cur)?;
        }
    }
    let mut link = field;
    if field != hdr + 1 {
        let psz = get_u16(buf, field + 2)?;
        let pend = field + psz;
        if pend > s {
            return Err(Error::corrupt());
        }
        let gap = s - pend;
        if gap <= 3 {
            frag = frag.checked_sub(gap).ok_or_else(Error::corrupt)?;
            s = field;
            link = prev_field;
        }
    }
    if s == info.content_start {
        put_u16(buf, link, next);
        put_u16(buf, hdr + 5, if e == 65536 { 0 } else { e });
    } else {
        put_u16(buf, s, next);
        put_u16(buf, s + 2, e - s);
        put_u16(buf, link, s);
    }
    buf[hdr + 7] = frag as u8;
    Ok(())
}

/// Copies every cell of a page out (on-page bytes).
pub fn read_cells(data: &[u8], info: &PageInfo) -> Result<Vec<Vec<u8>>> {
    let mut v = Vec::with_capacity(info.ncell + 1);
    for i in 0..info.ncell {
        v.push(cell_bytes(data, info, i)?.to_vec());
    }
    Ok(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_rule_matches_sqlite_numbers() {
        // 4096-byte pages: table leaf max local 4061, index max 1002, min 489.
        assert_eq!(max_local(4096, true), 4061);
        assert_eq!(max_local(4096, false), 1002);
        assert_eq!(local_size(4061, 4096, true), 4061);
        let l = local_size(5000, 4096, true);
        assert_eq!(l, 489 + (5000 - 489) % 4092);
        assert_eq!(local_size(100_000, 4096, true), 489 + (100_000 - 489) % 4092);
    }

    #[test]
    fn build_and_parse() {
        let mut buf = vec![0u8; 512];
        let cells: Vec<Vec<u8>> = vec![vec![3, 1, 0xaa, 0xbb, 0xcc], vec![0, 2]];
        build(&mut buf, 2, 512, TABLE_LEAF, &cells, 0).unwrap();
        let info = parse(&buf, 2, 512).unwrap();
        assert_eq!(info.ncell, 2);
        let c0 = parse_cell(&buf, info.cell_ptr(&buf, 0).unwrap(), &info).unwrap();
        assert_eq!((c0.key, c0.payload, c0.local, c0.size), (1, 3, 3, 5));
        let c1 = parse_cell(&buf, info.cell_ptr(&buf, 1).unwrap(), &info).unwrap();
        assert_eq!((c1.key, c1.payload, c1.size), (2, 0, 4));
        assert_eq!(free_space(&buf, &info).unwrap(), 512 - 8 - 4 - 9);
        let info = parse(&buf, 2, 512).unwrap();
        assert!(insert_in_gap(&mut buf, &info, 1, &[1, 5, 9]).unwrap());
        let info = parse(&buf, 2, 512).unwrap();
        let c = parse_cell(&buf, info.cell_ptr(&buf, 1).unwrap(), &info).unwrap();
        assert_eq!(c.key, 5);
    }

    #[test]
    fn remove_cell_keeps_space_accounted() {
        let mut buf = vec![0u8; 1024];
        let cells: Vec<Vec<u8>> = (0..20u8).map(|i| vec![(i % 5) + 1, i, 1, 2, 3, 4, 5, 6][..2 + (i % 5 + 1) as usize].to_vec()).collect();
        build(&mut buf, 2, 1024, TABLE_LEAF, &cells, 0).unwrap();
        let total = free_space(&buf, &parse(&buf, 2, 1024).unwrap()).unwrap();
        let mut freed = 0;
        for &i in &[5usize, 7, 6, 0, 15, 3, 3, 3, 0, 9, 0] {
            let info = parse(&buf, 2, 1024).unwrap();
            let c = parse_cell(&buf, info.cell_ptr(&buf, i).unwrap(), &info).unwrap();
            remove_cell(&mut buf, &info, i, c.size).unwrap();
            freed += c.size + 2;
            let info = parse(&buf, 2, 1024).unwrap();
            assert_eq!(free_space(&buf, &info).unwrap(), total + freed);
            // Freeblocks are sorted and at least 4 bytes apart.
            let mut fb = info.first_freeblock;
            while fb != 0 {
                let n = get_u16(&buf, fb).unwrap();
                let sz = get_u16(&buf, fb + 2).unwrap();
                assert!(n == 0 || n > fb + sz + 3);
                fb = n;
            }
        }
    }
}
