//! Unit tests of the B-tree: ordering, counts, page accounting (every page
//! in exactly one tree, overflow chain or the freelist), cursor stability
//! across writes, index trees, every page size.

use std::cmp::Ordering;
use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

use super::page::{self, get_u32};
use super::*;
use crate::os::{MemoryVfs, OpenFlags, UnixVfs};

pub(crate) struct Rng(u64);
impl Rng {
    pub fn new(s: u64) -> Rng {
        Rng(s.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn mem() -> Btree {
    Btree::open(Arc::new(MemoryVfs::new()), ":memory:", OpenFlags::READWRITE | OpenFlags::CREATE).unwrap()
}

/// Walks the trees and the freelist; checks every page is used once and
/// the counts add up. Returns (tree+overflow pages, free pages).
pub(crate) fn check_pages(bt: &mut Btree, roots: &[Pgno]) -> (u32, u32) {
    let usable = bt.usable();
    let n = bt.pager.db_size();
    let mut seen = HashSet::new();
    let mark = |p: Pgno, seen: &mut HashSet<Pgno>| {
        assert!(p >= 1 && p <= n, "page {p} out of range");
        assert!(seen.insert(p), "page {p} used twice");
    };
    for &root in roots {
        let mut leaf_depth = None;
        let mut stack = vec![(root, 0usize)];
        while let Some((pg, depth)) = stack.pop() {
            mark(pg, &mut seen);
            let d = bt.pager.page(pg).unwrap().to_vec();
            let info = page::parse(&d, pg, usable).unwrap();
            if pg != root {
                assert!(info.ncell > 0, "empty non-root page {pg}");
            }
            let fs = page::free_space(&d, &info).unwrap();
            let mut used = 0;
            for i in 0..info.ncell {
                let c = page::parse_cell(&d, info.cell_ptr(&d, i).unwrap(), &info).unwrap();
                used += c.size + 2;
                if (c.local as u64) < c.payload {
                    let per = (usable - 4) as u64;
                    let cnt = (c.payload - c.local as u64).div_ceil(per);
                    let mut p = c.ovfl;
                    for _ in 0..cnt {
                        mark(p, &mut seen);
                        p = get_u32(bt.pager.page(p).unwrap(), 0).unwrap();
                    }
                }
                if !info.leaf {
                    stack.push((c.child, depth + 1));
                }
            }
            assert_eq!(fs + used + page::hdr_offset(pg) + info.hdr_size, usable, "space on page {pg}");
            if info.leaf {
                match leaf_depth {
                    None => leaf_depth = Some(depth),
                    Some(x) => assert_eq!(x, depth, "leaves at different depths"),
                }
            } else {
                stack.push((info.right, depth + 1));
            }
        }
    }
    let in_trees = seen.len() as u32;
    let p1 = bt.pager.page(1).unwrap().to_vec();
    let mut trunk = get_u32(&p1, 32).unwrap();
    let count = get_u32(&p1, 36).unwrap();
    let mut free = 0;
    while trunk != 0 {
        mark(trunk, &mut seen);
        free += 1;
        let t = bt.pager.page(trunk).unwrap().to_vec();
        let k = get_u32(&t, 4).unwrap();
        for i in 0..k as usize {
            mark(get_u32(&t, 8 + 4 * i).unwrap(), &mut seen);
            free += 1;
        }
        trunk = get_u32(&t, 0).unwrap();
    }
    assert_eq!(free, count, "freelist count");
    let lock = bt.pager.lock_page();
    let expect = if lock != 0 && lock <= n { n - 1 } else { n };
    assert_eq!(in_trees + free, expect, "pages unaccounted for");
    (in_trees, free)
}

fn row(i: u64, len: usize) -> Vec<u8> {
    (0..len).map(|j| (i as usize).wrapping_mul(31).wrapping_add(j) as u8).collect()
}

fn check_table(bt: &mut Btree, root: Pgno, model: &BTreeMap<i64, Vec<u8>>) {
    let mut c = BtCursor::new(root, TreeKind::Table, false);
    let mut it = model.iter();
    let mut ok = c.first(bt).unwrap();
    while ok {
        let (k, v) = it.next().expect("cursor has more rows than the model");
        assert_eq!(c.rowid(bt).unwrap(), *k);
        assert_eq!(&c.payload(bt).unwrap()[..], &v[..], "row {k}");
        ok = c.next(bt).unwrap();
    }
    assert!(it.next().is_none(), "cursor has fewer rows than the model");
    assert_eq!(c.count(bt).unwrap(), model.len() as i64);
}

#[test]
fn sequential_and_random_insert_then_random_delete() {
    for (order, n) in [("seq", 100_000u64), ("rand", 100_000)] {
        let mut bt = mem();
        bt.begin_write().unwrap();
        let root = bt.create_table(TreeKind::Table).unwrap();
        let mut c = BtCursor::new(root, TreeKind::Table, true);
        let mut rng = Rng::new(7);
        let mut keys: Vec<i64> = (1..=n as i64).collect();
        if order == "rand" {
            for i in (1..keys.len()).rev() {
                keys.swap(i, rng.below(i as u64 + 1) as usize);
            }
        }
        let mut model = BTreeMap::new();
        for &k in &keys {
            let v = row(k as u64, (k % 37) as usize);
            c.insert(&mut bt, k, &v).unwrap();
            model.insert(k, v);
        }
        bt.commit().unwrap();
        bt.begin_write().unwrap();
        check_table(&mut bt, root, &model);
        check_pages(&mut bt, &[1, root]);
        for i in (1..keys.len()).rev() {
            keys.swap(i, rng.below(i as u64 + 1) as usize);
        }
        for (j, &k) in keys.iter().enumerate() {
            assert_eq!(c.table_moveto(&mut bt, k).unwrap(), 0);
            c.delete(&mut bt).unwrap();
            model.remove(&k);
            if j % 20_000 == 0 {
                check_pages(&mut bt, &[1, root]);
            }
        }
        check_table(&mut bt, root, &model);
        let (used, free) = check_pages(&mut bt, &[1, root]);
        assert_eq!(used, 2, "{order}: empty tree is its root");
        assert!(free > 0);
        bt.commit().unwrap();
    }
}

#[test]
fn payloads_from_empty_to_one_megabyte() {
    let mut bt = mem();
    bt.begin_write().unwrap();
    let root = bt.create_table(TreeKind::Table).unwrap();
    let mut c = BtCursor::new(root, TreeKind::Table, true);
    let mut model = BTreeMap::new();
    let sizes = [0usize, 1, 2, 3, 4, 100, 4061, 4062, 4063, 5000, 8192, 65536, 100_000, 1 << 20];
    for (i, &s) in sizes.iter().enumerate() {
        let v = row(i as u64, s);
        c.insert(&mut bt, i as i64 * 3, &v).unwrap();
        model.insert(i as i64 * 3, v);
    }
    check_table(&mut bt, root, &model);
    check_pages(&mut bt, &[1, root]);
    // Replace with different sizes (overflow chains freed and rebuilt).
    for (i, &s) in sizes.iter().rev().enumerate() {
        let v = row(i as u64 + 100, s);
        c.insert(&mut bt, i as i64 * 3, &v).unwrap();
        model.insert(i as i64 * 3, v);
    }
    check_table(&mut bt, root, &model);
    check_pages(&mut bt, &[1, root]);
    assert_eq!(c.table_moveto(&mut bt, 4).unwrap(), 1);
    assert_eq!(c.rowid(&mut bt).unwrap(), 6);
    assert_eq!(c.payload_size(&mut bt).unwrap() as usize, model[&6].len());
    // Ranges of every row, across local/overflow boundaries.
    let mut rng = Rng::new(11);
    for (&k, v) in &model {
        assert_eq!(c.table_moveto(&mut bt, k).unwrap(), 0);
        for _ in 0..20 {
            let a = rng.below(v.len() as u64 + 1) as usize;
            let b = a + rng.below((v.len() - a) as u64 + 1) as usize;
            let got = c.payload_range(&mut bt, a as u32, (b - a) as u32).unwrap().to_vec();
            assert_eq!(&got[..], &v[a..b], "row {k} range {a}..{b}");
        }
        assert!(c.payload_range(&mut bt, v.len() as u32, 1).is_err());
    }
    let n = bt.clear_table(root).unwrap();
    assert_eq!(n, sizes.len() as u64);
    check_pages(&mut bt, &[1, root]);
    bt.drop_table(root).unwrap();
    check_pages(&mut bt, &[1]);
    bt.commit().unwrap();
}

fn bytes_cmp() -> KeyCmp {
    Arc::new(|a: &[u8], b: &[u8]| Ok(a.cmp(b)))
}

#[test]
fn index_tree_insert_iterate_delete() {
    let mut bt = mem();
    bt.begin_write().unwrap();
    let root = bt.create_table(TreeKind::Index).unwrap();
    let mut c = BtCursor::new_index(root, true, bytes_cmp());
    let mut rng = Rng::new(3);
    let mut model = std::collections::BTreeSet::new();
    for i in 0..20_000u64 {
        let len = if i % 50 == 0 { 3000 } else { 1 + rng.below(60) as usize };
        let mut k: Vec<u8> = (0..len).map(|_| rng.below(256) as u8).collect();
        k.extend_from_slice(&i.to_be_bytes());
        c.insert_index(&mut bt, &k, &mut |s: &[u8]| Ok(s.cmp(&k[..]))).unwrap();
        model.insert(k);
    }
    let check = |bt: &mut Btree, model: &std::collections::BTreeSet<Vec<u8>>| {
        let mut c = BtCursor::new_index(root, false, bytes_cmp());
        let mut ok = c.first(bt).unwrap();
        let mut it = model.iter();
        while ok {
            assert_eq!(&c.payload(bt).unwrap()[..], &it.next().unwrap()[..]);
            ok = c.next(bt).unwrap();
        }
        assert!(it.next().is_none());
        // Backwards too.
        let mut ok = c.last(bt).unwrap();
        let mut it = model.iter().rev();
        while ok {
            assert_eq!(&c.payload(bt).unwrap()[..], &it.next().unwrap()[..]);
            ok = c.prev(bt).unwrap();
        }
        assert!(it.next().is_none());
        assert_eq!(c.count(bt).unwrap(), model.len() as i64);
    };
    check(&mut bt, &model);
    check_pages(&mut bt, &[1, root]);
    let mut keys: Vec<Vec<u8>> = model.iter().cloned().collect();
    for i in (1..keys.len()).rev() {
        keys.swap(i, rng.below(i as u64 + 1) as usize);
    }
    for (j, k) in keys.iter().enumerate() {
        assert_eq!(c.index_moveto(&mut bt, &mut |s: &[u8]| Ok(s.cmp(&k[..]))).unwrap(), 0);
        c.delete(&mut bt).unwrap();
        model.remove(k);
        if j % 4000 == 0 {
            check(&mut bt, &model);
            check_pages(&mut bt, &[1, root]);
        }
    }
    check(&mut bt, &model);
    check_pages(&mut bt, &[1, root]);
    bt.commit().unwrap();
}

#[test]
fn cursor_survives_writes_through_another_cursor() {
    let mut bt = mem();
    bt.begin_write().unwrap();
    let root = bt.create_table(TreeKind::Table).unwrap();
    let mut w = BtCursor::new(root, TreeKind::Table, true);
    for k in 0..5000i64 {
        w.insert(&mut bt, k * 2, &row(k as u64, 50)).unwrap();
    }
    // Scan with r; delete every other visited row through w and insert odd
    // rows ahead of r.
    let mut r = BtCursor::new(root, TreeKind::Table, false);
    let mut seen = Vec::new();
    let mut ok = r.first(&mut bt).unwrap();
    while ok {
        let k = r.rowid(&mut bt).unwrap();
        seen.push(k);
        if k % 4 == 0 {
            assert_eq!(w.table_moveto(&mut bt, k).unwrap(), 0);
            w.delete(&mut bt).unwrap();
        }
        if k < 1000 && k % 2 == 0 {
            w.insert(&mut bt, k + 10_001, &row(1, 300)).unwrap();
        }
        ok = r.next(&mut bt).unwrap();
    }
    let evens: Vec<i64> = (0..5000).map(|k| k * 2).collect();
    assert_eq!(&seen[..5000], &evens[..]);
    assert_eq!(seen.len(), 5000 + 500);
    // Deleting under a cursor: next goes to the follower, prev to the
    // predecessor.
    assert_eq!(r.table_moveto(&mut bt, 10).unwrap(), 0);
    r.delete(&mut bt).unwrap_err(); // read-only cursor
    assert_eq!(w.table_moveto(&mut bt, 10).unwrap(), 0);
    w.delete(&mut bt).unwrap();
    assert!(w.next(&mut bt).unwrap());
    assert_eq!(w.rowid(&mut bt).unwrap(), 14);
    assert_eq!(w.table_moveto(&mut bt, 14).unwrap(), 0);
    w.delete(&mut bt).unwrap();
    assert!(w.prev(&mut bt).unwrap());
    assert_eq!(w.rowid(&mut bt).unwrap(), 6);
    // r, positioned on 10 (deleted by w): next gives 18.
    assert_eq!(r.table_moveto(&mut bt, 18).unwrap(), 0);
    assert!(r.prev(&mut bt).unwrap());
    assert_eq!(r.rowid(&mut bt).unwrap(), 6);
    check_pages(&mut bt, &[1, root]);
    bt.rollback().unwrap();
}

#[test]
fn every_page_size_round_trips_through_a_file() {
    let vfs: Arc<dyn Vfs> = Arc::new(UnixVfs);
    for shift in 9..=16 {
        let ps = 1u32 << shift;
        let path = std::env::temp_dir().join(format!("ferrolite-bt-ps-{}-{ps}.db", std::process::id()));
        let path = path.to_string_lossy().into_owned();
        let _ = std::fs::remove_file(&path);
        let mut model = BTreeMap::new();
        let root;
        {
            let mut bt = Btree::open(vfs.clone(), &path, OpenFlags::READWRITE | OpenFlags::CREATE).unwrap();
            bt.set_page_size(ps).unwrap();
            bt.begin_write().unwrap();
            root = bt.create_table(TreeKind::Table).unwrap();
            let mut c = BtCursor::new(root, TreeKind::Table, true);
            let mut rng = Rng::new(ps as u64);
            for _ in 0..2000 {
                let k = rng.below(100_000) as i64;
                let big = rng.below(10) == 0;
                let v = row(k as u64, rng.below(if big { 3 * ps as u64 } else { 200 }) as usize);
                c.insert(&mut bt, k, &v).unwrap();
                model.insert(k, v);
            }
            bt.commit().unwrap();
        }
        let mut bt = Btree::open(vfs.clone(), &path, OpenFlags::READWRITE).unwrap();
        bt.begin_read().unwrap();
        assert_eq!(bt.page_size(), ps);
        check_table(&mut bt, root, &model);
        check_pages(&mut bt, &[1, root]);
        bt.commit().unwrap();
        drop(bt);
        let _ = std::fs::remove_file(&path);
    }
}

#[test]
fn rollback_restores_tree_and_cursors_reseek() {
    let mut bt = mem();
    bt.begin_write().unwrap();
    let root = bt.create_table(TreeKind::Table).unwrap();
    let mut c = BtCursor::new(root, TreeKind::Table, true);
    for k in 0..3000 {
        c.insert(&mut bt, k, &row(k as u64, 100)).unwrap();
    }
    bt.commit().unwrap();
    bt.begin_write().unwrap();
    for k in 0..3000 {
        assert_eq!(c.table_moveto(&mut bt, k).unwrap(), 0);
        c.delete(&mut bt).unwrap();
    }
    assert!(!c.first(&mut bt).unwrap());
    bt.rollback().unwrap();
    bt.begin_read().unwrap();
    assert_eq!(c.count(&mut bt).unwrap(), 3000);
    assert_eq!(bt.get_meta(0).unwrap(), 0);
    bt.commit().unwrap();
}

#[test]
fn index_interior_cells_are_entries() {
    // Large keys force deep index trees whose interior cells carry entries.
    let mut bt = mem();
    bt.set_page_size(512).unwrap();
    bt.begin_write().unwrap();
    let root = bt.create_table(TreeKind::Index).unwrap();
    let mut c = BtCursor::new_index(root, true, bytes_cmp());
    for i in 0..2000u32 {
        let k = format!("{:08}-{}", (i * 7919) % 2000, "x".repeat((i % 90) as usize)).into_bytes();
        c.insert_index(&mut bt, &k, &mut |s: &[u8]| Ok(s.cmp(&k[..]))).unwrap();
    }
    assert_eq!(c.count(&mut bt).unwrap(), 2000);
    // Seek to a prefix: lands on a neighbour with the right sign.
    let probe = b"00001000".to_vec();
    let r = c.index_moveto(&mut bt, &mut |s: &[u8]| Ok(s.cmp(&probe[..]))).unwrap();
    let got = c.payload(&mut bt).unwrap().to_vec();
    assert_eq!(r.signum(), got.as_slice().cmp(&probe[..]) as i32);
    check_pages(&mut bt, &[1, root]);
    // Delete everything in key order.
    assert!(c.first(&mut bt).unwrap());
    let mut n = 0;
    loop {
        c.delete(&mut bt).unwrap();
        n += 1;
        if !c.next(&mut bt).unwrap() {
            break;
        }
    }
    assert_eq!(n, 2000);
    check_pages(&mut bt, &[1, root]);
    assert_eq!(Ordering::Equal, c.count(&mut bt).unwrap().cmp(&0));
    bt.commit().unwrap();
}

#[test]
fn btree_and_cursor_are_send() {
    fn is_send<T: Send>() {}
    is_send::<Btree>();
    is_send::<BtCursor>();
}

#[test]
fn savepoints_roll_back_nested_changes() {
    for file in [false, true] {
        let path = std::env::temp_dir().join(format!("ferrolite-bt-sp-{}-{file}.db", std::process::id()));
        let path = path.to_string_lossy().into_owned();
        let _ = std::fs::remove_file(&path);
        let mut bt = if file {
            Btree::open(Arc::new(UnixVfs), &path, OpenFlags::READWRITE | OpenFlags::CREATE).unwrap()
        } else {
            mem()
        };
        bt.begin_write().unwrap();
        let root = bt.create_table(TreeKind::Table).unwrap();
        let mut c = BtCursor::new(root, TreeKind::Table, true);
        let mut m0 = BTreeMap::new();
        for k in 0..2000 {
            c.insert(&mut bt, k, &row(k as u64, 40)).unwrap();
            m0.insert(k, row(k as u64, 40));
        }
        bt.open_savepoint(1).unwrap();
        let mut m1 = m0.clone();
        for k in 0..1000 {
            assert_eq!(c.table_moveto(&mut bt, k * 2).unwrap(), 0);
            c.delete(&mut bt).unwrap();
            m1.remove(&(k * 2));
        }
        bt.open_savepoint(2).unwrap();
        let mut c2 = BtCursor::new(root, TreeKind::Table, false);
        assert!(c2.first(&mut bt).unwrap());
        for k in 5000..9000 {
            c.insert(&mut bt, k, &row(k as u64, 900)).unwrap();
        }
        let t2 = bt.create_table(TreeKind::Index).unwrap();
        check_pages(&mut bt, &[1, root, t2]);
        bt.rollback_savepoint(1).unwrap();
        assert_eq!(bt.savepoint_count(), 2);
        check_table(&mut bt, root, &m1);
        check_pages(&mut bt, &[1, root]);
        // c2 re-seeks after the rollback.
        assert_eq!(c2.rowid(&mut bt).unwrap(), 1);
        bt.rollback_savepoint(0).unwrap();
        check_table(&mut bt, root, &m0);
        check_pages(&mut bt, &[1, root]);
        c.insert(&mut bt, -1, b"x").unwrap();
        m0.insert(-1, b"x".to_vec());
        bt.release_savepoint(0).unwrap();
        assert_eq!(bt.savepoint_count(), 0);
        bt.commit().unwrap();
        bt.begin_read().unwrap();
        check_table(&mut bt, root, &m0);
        check_pages(&mut bt, &[1, root]);
        bt.commit().unwrap();
        drop(bt);
        let _ = std::fs::remove_file(&path);
    }
}

#[test]
fn random_mixed_operations_small_pages() {
    let extra: u64 = std::env::var("FERROLITE_STRESS").ok().and_then(|v| v.parse().ok()).unwrap_or(0);
    let runs: Vec<(u32, u64)> = [(512u32, 1u64), (1024, 2), (512, 3), (65536, 4), (4096, 5)]
        .into_iter()
        .chain((0..extra).map(|i| (512u32 << (i % 8), 100 + i)))
        .collect();
    for (ps, seed) in runs {
        let mut bt = mem();
        bt.set_page_size(ps).unwrap();
        bt.begin_write().unwrap();
        let t = bt.create_table(TreeKind::Table).unwrap();
        let ix = bt.create_table(TreeKind::Index).unwrap();
        let mut tc = BtCursor::new(t, TreeKind::Table, true);
        let mut ic = BtCursor::new_index(ix, true, bytes_cmp());
        let mut rng = Rng::new(seed);
        let mut tm: BTreeMap<i64, Vec<u8>> = BTreeMap::new();
        let mut im: std::collections::BTreeSet<Vec<u8>> = Default::default();
        for op in 0..12_000u32 {
            let k = rng.below(3000) as i64;
            match rng.below(10) {
                0..=4 => {
                    let len = match rng.below(8) {
                        0 => rng.below(4 * ps as u64),
                        1 => (ps as u64 - 35).saturating_sub(rng.below(8)),
                        _ => rng.below(60),
                    } as usize;
                    let mut v = row(rng.next(), len);
                    // Payloads look like records to integrity_check.
                    if let Some(b) = v.first_mut() {
                        *b = (*b).max(2);
                    }
                    tc.insert(&mut bt, k, &v).unwrap();
                    tm.insert(k, v);
                    let klen = match rng.below(6) {
                        0 => rng.below(3 * ps as u64),
                        1 => 90 + rng.below(20),
                        _ => rng.below(30),
                    } as usize;
                    let mut key = row(rng.next(), klen);
                    key.extend_from_slice(&(op as u64).to_be_bytes());
                    key[0] = key[0].max(2);
                    ic.insert_index(&mut bt, &key, &mut |s: &[u8]| Ok(s.cmp(&key[..]))).unwrap();
                    im.insert(key);
                }
                5..=8 => {
                    if tc.table_moveto(&mut bt, k).unwrap() == 0 {
                        tc.delete(&mut bt).unwrap();
                        tm.remove(&k);
                    }
                    // Delete the index entry nearest a random probe.
                    let probe = row(rng.next(), 8);
                    let r = ic.index_moveto(&mut bt, &mut |s: &[u8]| Ok(s.cmp(&probe[..]))).unwrap();
                    if !ic.eof() {
                        let got = ic.payload(&mut bt).unwrap().to_vec();
                        assert_eq!(r.signum(), got.as_slice().cmp(&probe[..]) as i32);
                        ic.delete(&mut bt).unwrap();
                        assert!(im.remove(&got));
                    }
                }
                _ => {
                    // Delete a run of rows with one cursor while another
                    // scans.
                    let mut scan = BtCursor::new(t, TreeKind::Table, false);
                    let mut ok = scan.table_moveto(&mut bt, k).unwrap() > -2 && !scan.eof();
                    let mut n = 0;
                    while ok && n < 30 {
                        let r = scan.rowid(&mut bt).unwrap();
                        if r % 2 == 0 {
                            assert_eq!(tc.table_moveto(&mut bt, r).unwrap(), 0);
                            tc.delete(&mut bt).unwrap();
                            tm.remove(&r);
                        }
                        ok = scan.next(&mut bt).unwrap();
                        n += 1;
                    }
                }
            }
            if op % 3000 == 2999 {
                check_table(&mut bt, t, &tm);
                let mut c = BtCursor::new_index(ix, false, bytes_cmp());
                assert_eq!(c.count(&mut bt).unwrap(), im.len() as i64);
                let mut ok = c.first(&mut bt).unwrap();
                let mut it = im.iter();
                while ok {
                    assert_eq!(&c.payload(&mut bt).unwrap()[..], &it.next().unwrap()[..]);
                    ok = c.next(&mut bt).unwrap();
                }
                check_pages(&mut bt, &[1, t, ix]);
                let rep = bt.integrity_check(&[1, t, ix], 10).unwrap();
                assert!(rep.errors.is_empty(), "{:?}", rep.errors);
            }
        }
        bt.commit().unwrap();
    }
}

#[test]
fn random_transactions_savepoints_and_spills_on_a_file() {
    let path = std::env::temp_dir().join(format!("ferrolite-bt-txn-{}.db", std::process::id()));
    let path = path.to_string_lossy().into_owned();
    let _ = std::fs::remove_file(&path);
    let mut bt = Btree::open(Arc::new(UnixVfs), &path, OpenFlags::READWRITE | OpenFlags::CREATE).unwrap();
    bt.set_page_size(1024).unwrap();
    bt.set_cache_size(12);
    bt.set_synchronous(0);
    bt.begin_write().unwrap();
    let root = bt.create_table(TreeKind::Table).unwrap();
    bt.commit().unwrap();
    let mut committed: BTreeMap<i64, Vec<u8>> = BTreeMap::new();
    let mut rng = Rng::new(99);
    let mut c = BtCursor::new(root, TreeKind::Table, true);
    let txns: u64 = std::env::var("FERROLITE_STRESS").ok().and_then(|v| v.parse::<u64>().ok()).map(|n| 60 + 20 * n).unwrap_or(60);
    for txn in 0..txns {
        bt.begin_write().unwrap();
        // models[i] = state when savepoint i opened; last = current.
        let mut models: Vec<BTreeMap<i64, Vec<u8>>> = vec![committed.clone()];
        for _ in 0..rng.below(400) {
            let k = rng.below(2000) as i64;
            match rng.below(20) {
                0 => {
                    let snapshot = models.last().unwrap().clone();
                    models.push(snapshot);
                    bt.open_savepoint(models.len() - 1).unwrap();
                }
                1 if models.len() > 1 => {
                    // Roll back to a random savepoint (it stays open).
                    let n = rng.below(models.len() as u64 - 1) as usize;
                    bt.rollback_savepoint(n).unwrap();
                    models.truncate(n + 2);
                    let m = models[n].clone();
                    *models.last_mut().unwrap() = m;
                }
                2 if models.len() > 1 => {
                    let n = rng.below(models.len() as u64 - 1) as usize;
                    bt.release_savepoint(n).unwrap();
                    let m = models.pop().unwrap();
                    models.truncate(n + 1);
                    *models.last_mut().unwrap() = m;
                }
                3..=12 => {
                    let len = if rng.below(6) == 0 { rng.below(3000) } else { rng.below(200) } as usize;
                    let v = row(rng.next(), len);
                    c.insert(&mut bt, k, &v).unwrap();
                    models.last_mut().unwrap().insert(k, v);
                }
                _ => {
                    if c.table_moveto(&mut bt, k).unwrap() == 0 {
                        c.delete(&mut bt).unwrap();
                        models.last_mut().unwrap().remove(&k);
                    }
                }
            }
            assert_eq!(bt.savepoint_count() + 1, models.len());
        }
        let current = models.pop().unwrap();
        check_table(&mut bt, root, &current);
        if txn % 3 == 0 {
            bt.rollback().unwrap();
        } else {
            bt.commit().unwrap();
            committed = current;
        }
        bt.begin_read().unwrap();
        check_table(&mut bt, root, &committed);
        check_pages(&mut bt, &[1, root]);
        bt.commit().unwrap();
    }
    drop(bt);
    let _ = std::fs::remove_file(&path);
}

#[test]
fn max_page_count_gives_full() {
    let mut bt = mem();
    bt.begin_write().unwrap();
    let root = bt.create_table(TreeKind::Table).unwrap();
    assert_eq!(bt.set_max_page_count(10), 10);
    let mut c = BtCursor::new(root, TreeKind::Table, true);
    let mut err = None;
    for k in 0..1000 {
        if let Err(e) = c.insert(&mut bt, k, &[1u8; 1000]) {
            err = Some(e);
            break;
        }
    }
    assert_eq!(err.unwrap().primary_code(), crate::error::code::FULL);
    assert!(bt.page_count().unwrap() <= 10);
    bt.rollback().unwrap();
}

#[test]
fn schema_table_of_a_zero_length_file_reads_as_empty() {
    // A file of zero bytes (just created, or truncated back by rolling back
    // its first transaction) is an empty database, as SQLite reads it.
    let dir = std::env::temp_dir().join(format!("ferrolite-btree-{}-zero", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("zero.db");
    std::fs::write(&path, b"").unwrap();
    let mut bt = Btree::open(Arc::new(UnixVfs::new()), path.to_str().unwrap(), OpenFlags::READWRITE).unwrap();
    bt.begin_read().unwrap();
    let mut c = BtCursor::new(1, TreeKind::Table, false);
    assert!(!c.first(&mut bt).unwrap());
    assert!(!c.last(&mut bt).unwrap());
    assert_eq!(c.count(&mut bt).unwrap(), 0);
    drop(bt);
    let _ = std::fs::remove_dir_all(&dir);
}

/// An overflow chain that comes back to one of its own pages is corrupt
/// for readers (whole payload and ranges) and for delete, which would
/// otherwise put the page on the freelist twice.
#[test]
fn looping_overflow_chain_is_corrupt() {
    let mut bt = mem();
    bt.begin_write().unwrap();
    let root = bt.create_table(TreeKind::Table).unwrap();
    let mut c = BtCursor::new(root, TreeKind::Table, true);
    let v = row(7, 5 * 4096);
    c.insert(&mut bt, 1, &v).unwrap();
    // The chain, from the only cell of the root leaf.
    let usable = bt.usable();
    let first = {
        let d = bt.pager.page(root).unwrap();
        let info = page::parse(d, root, usable).unwrap();
        page::parse_cell(d, info.cell_ptr(d, 0).unwrap(), &info).unwrap().ovfl
    };
    let mut chain = vec![first];
    loop {
        let next = get_u32(bt.pager.page(*chain.last().unwrap()).unwrap(), 0).unwrap();
        if next == 0 {
            break;
        }
        chain.push(next);
    }
    assert!(chain.len() >= 5);
    crate::btree::page::put_u32(bt.pager.page_mut(chain[3]).unwrap(), 0, chain[1]);
    assert_eq!(c.table_moveto(&mut bt, 1).unwrap(), 0);
    assert_eq!(c.payload(&mut bt).unwrap_err().primary_code(), code::CORRUPT);
    let end = v.len() as u32;
    assert_eq!(c.payload_range(&mut bt, end - 10, 10).unwrap_err().primary_code(), code::CORRUPT);
    assert_eq!(c.delete(&mut bt).unwrap_err().primary_code(), code::CORRUPT);
    bt.rollback().unwrap();
}

/// Auto-vacuum: random inserts and deletes (with overflow) in table and
/// index trees, trees created and dropped (following the reported root
/// moves), FULL commits and incremental vacuum steps. After every
/// transaction the contents match the models and integrity_check (which
/// checks every ptrmap entry, the largest root and that no page is
/// unaccounted for) finds nothing.
#[test]
fn autovacuum_random_operations_keep_ptrmap_exact() {
    for (seed, incremental, ps) in [(1u64, false, 512u32), (2, true, 512), (3, false, 1024), (4, true, 4096)] {
        let mut bt = mem();
        bt.set_page_size(ps).unwrap();
        bt.set_auto_vacuum(if incremental { 2 } else { 1 }).unwrap();
        let mut rng = Rng::new(seed);
        // (root, table model or index model)
        let mut tables: Vec<(Pgno, BTreeMap<i64, Vec<u8>>)> = Vec::new();
        let mut indexes: Vec<(Pgno, std::collections::BTreeSet<Vec<u8>>)> = Vec::new();
        for round in 0..60 {
            bt.begin_write().unwrap();
            for _ in 0..40 {
                match rng.below(20) {
                    0 if tables.len() + indexes.len() < 12 => {
                        let r = bt.create_table(TreeKind::Table).unwrap();
                        tables.push((r, BTreeMap::new()));
                    }
                    1 if tables.len() + indexes.len() < 12 => {
                        let r = bt.create_table(TreeKind::Index).unwrap();
                        indexes.push((r, Default::default()));
                    }
                    2 if tables.len() + indexes.len() > 2 => {
                        let n = tables.len() + indexes.len();
                        let i = rng.below(n as u64) as usize;
                        let root = if i < tables.len() { tables.remove(i).0 } else { indexes.remove(i - tables.len()).0 };
                        if let Some(from) = bt.drop_table(root).unwrap() {
                            for t in tables.iter_mut().filter(|t| t.0 == from) {
                                t.0 = root;
                            }
                            for t in indexes.iter_mut().filter(|t| t.0 == from) {
                                t.0 = root;
                            }
                        }
                    }
                    3..=11 if !tables.is_empty() => {
                        let i = rng.below(tables.len() as u64) as usize;
                        let (root, model) = &mut tables[i];
                        let mut c = BtCursor::new(*root, TreeKind::Table, true);
                        for _ in 0..1 + rng.below(30) {
                            let k = rng.below(400) as i64;
                            let len = if rng.below(8) == 0 { rng.below(6 * ps as u64) as usize } else { rng.below(120) as usize };
                            // Payloads start like a record header (integrity_check
                            // reads that byte).
                            let mut v = row(k as u64 ^ seed, len);
                            if let Some(b) = v.first_mut() {
                                *b = 2;
                            }
                            c.insert(&mut bt, k, &v).unwrap();
                            model.insert(k, v);
                        }
                    }
                    12..=15 if !tables.is_empty() => {
                        let i = rng.below(tables.len() as u64) as usize;
                        let (root, model) = &mut tables[i];
                        let mut c = BtCursor::new(*root, TreeKind::Table, true);
                        for _ in 0..1 + rng.below(60) {
                            let k = rng.below(400) as i64;
                            if c.table_moveto(&mut bt, k).unwrap() == 0 {
                                c.delete(&mut bt).unwrap();
                                model.remove(&k);
                            }
                        }
                    }
                    16..=17 if !indexes.is_empty() => {
                        let i = rng.below(indexes.len() as u64) as usize;
                        let (root, model) = &mut indexes[i];
                        let mut c = BtCursor::new_index(*root, true, bytes_cmp());
                        for _ in 0..1 + rng.below(40) {
                            let len = if rng.below(10) == 0 { ps as usize } else { 1 + rng.below(40) as usize };
                            let mut k: Vec<u8> = vec![2];
                            k.extend((0..len).map(|_| rng.below(256) as u8));
                            c.insert_index(&mut bt, &k, &mut |s: &[u8]| Ok(s.cmp(&k[..]))).unwrap();
                            model.insert(k);
                        }
                    }
                    18..=19 if !indexes.is_empty() => {
                        let i = rng.below(indexes.len() as u64) as usize;
                        let (root, model) = &mut indexes[i];
                        let mut c = BtCursor::new_index(*root, true, bytes_cmp());
                        let keys: Vec<Vec<u8>> = model.iter().filter(|_| rng.below(3) == 0).cloned().collect();
                        for k in keys {
                            assert_eq!(c.index_moveto(&mut bt, &mut |s: &[u8]| Ok(s.cmp(&k[..]))).unwrap(), 0);
                            c.delete(&mut bt).unwrap();
                            model.remove(&k);
                        }
                    }
                    _ => {}
                }
            }
            if incremental && round % 3 == 0 {
                let free = bt.freelist_count().unwrap();
                let before = bt.pager.db_size();
                let n = rng.below(u64::from(free) + 2) as i64;
                let steps = bt.incremental_vacuum(n).unwrap();
                assert!(bt.pager.db_size() < before || steps == 0);
                assert_eq!(bt.freelist_count().unwrap(), if n <= 0 { 0 } else { free.saturating_sub(n as u32) });
            }
            bt.commit().unwrap();
            bt.begin_read().unwrap();
            if !incremental {
                assert_eq!(bt.freelist_count().unwrap(), 0, "FULL commit leaves no free page");
            }
            let mut roots: Vec<Pgno> = vec![1];
            roots.extend(tables.iter().map(|t| t.0));
            roots.extend(indexes.iter().map(|t| t.0));
            let report = bt.integrity_check(&roots, 20).unwrap();
            assert!(report.errors.is_empty(), "seed {seed} round {round}: {:?}", report.errors);
            for (root, model) in &tables {
                check_table(&mut bt, *root, model);
            }
            for (root, model) in &indexes {
                let mut c = BtCursor::new_index(*root, false, bytes_cmp());
                assert_eq!(c.count(&mut bt).unwrap(), model.len() as i64);
                let mut ok = c.first(&mut bt).unwrap();
                let mut it = model.iter();
                while ok {
                    assert_eq!(&c.payload(&mut bt).unwrap()[..], &it.next().unwrap()[..]);
                    ok = c.next(&mut bt).unwrap();
                }
            }
            bt.commit().unwrap();
        }
    }
}
