//! The R*Tree module against a model: random inserts, updates, deletes
//! and REPLACEs on rtree and rtree_i32 tables (small page sizes, so trees
//! grow several levels and shrink again), each batch followed by
//! rtreecheck() and by box queries compared with the same rows kept in
//! an ordinary table. Engine-level; the C tests compare with SQLite.

mod common;
use common::{open, remove_db, run, tmp_db};

use ferrolite::Value;

/// A small deterministic generator (xorshift).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> i64 {
        (self.next() % n) as i64
    }
}

fn one(c: &mut ferrolite::connection::Connection, sql: &str) -> Value {
    run(c, sql).unwrap_or_else(|e| panic!("{sql}: {e}")).into_iter().next().and_then(|r| r.into_iter().next()).unwrap_or(Value::Null)
}

fn exercise(module: &str, page_size: u32, seed: u64) {
    let path = tmp_db("rtree", &format!("{module}-{page_size}-{seed}"));
    let mut c = open(&path);
    run(&mut c, &format!("PRAGMA page_size = {page_size}")).unwrap();
    run(&mut c, &format!("CREATE VIRTUAL TABLE r USING {module}(id, x0, x1, y0, y1, +tag)")).unwrap();
    // The model: integer coordinates, so both modules store them exactly.
    run(&mut c, "CREATE TABLE m(id INTEGER PRIMARY KEY, x0, x1, y0, y1, tag)").unwrap();
    let mut rng = Rng(seed);
    let mut max_depth = 0;
    for round in 0..12 {
        run(&mut c, "BEGIN").unwrap();
        for _ in 0..150 {
            let id = rng.below(900) + 1;
            let (x, y) = (rng.below(2000) - 1000, rng.below(2000) - 1000);
            let (w, h) = (rng.below(40), rng.below(40));
            match rng.below(10) {
                0..=4 => {
                    let sql = format!("INSERT OR REPLACE INTO {{t}} VALUES({id}, {x}, {}, {y}, {}, 't{id}')", x + w, y + h);
                    run(&mut c, &sql.replace("{t}", "r")).unwrap();
                    run(&mut c, &sql.replace("{t}", "m")).unwrap();
                }
                5..=6 => {
                    let sql = format!("UPDATE {{t}} SET x0 = {x}, x1 = {} WHERE id = {id}", x + w);
                    run(&mut c, &sql.replace("{t}", "r")).unwrap();
                    run(&mut c, &sql.replace("{t}", "m")).unwrap();
                }
                _ => {
                    let sql = format!("DELETE FROM {{t}} WHERE id BETWEEN {id} AND {}", id + rng.below(40));
                    run(&mut c, &sql.replace("{t}", "r")).unwrap();
                    run(&mut c, &sql.replace("{t}", "m")).unwrap();
                }
            }
        }
        run(&mut c, "COMMIT").unwrap();
        assert_eq!(one(&mut c, "SELECT rtreecheck('r')"), Value::text("ok"), "{module} page {page_size} round {round}");
        if let Value::Integer(d) = one(&mut c, "SELECT rtreedepth(data) FROM r_node WHERE nodeno = 1") {
            max_depth = max_depth.max(d);
        }
        for _ in 0..5 {
            let (x, y, s) = (rng.below(2000) - 1000, rng.below(2000) - 1000, rng.below(600));
            let cond = format!("x1 >= {x} AND x0 <= {} AND y1 > {y} AND y0 < {}", x + s, y + s);
            let got = run(&mut c, &format!("SELECT id, CAST(x0 AS INTEGER), CAST(x1 AS INTEGER), CAST(y0 AS INTEGER), CAST(y1 AS INTEGER), tag FROM r WHERE {cond} ORDER BY id")).unwrap();
            let want = run(&mut c, &format!("SELECT id, CAST(x0 AS INTEGER), CAST(x1 AS INTEGER), CAST(y0 AS INTEGER), CAST(y1 AS INTEGER), tag FROM m WHERE {cond} ORDER BY id")).unwrap();
            assert_eq!(got, want, "{module} page {page_size} round {round}: {cond}");
        }
        assert_eq!(one(&mut c, "SELECT count(*) FROM r"), one(&mut c, "SELECT count(*) FROM m"));
    }
    assert!(max_depth >= 1, "{module} page {page_size}: the tree never grew past its root");
    // Emptied, the tree is one empty root again.
    run(&mut c, "DELETE FROM r").unwrap();
    assert_eq!(one(&mut c, "SELECT rtreecheck('r')"), Value::text("ok"));
    assert_eq!(run(&mut c, "SELECT nodeno, rtreedepth(data), rtreenode(2, data) FROM r_node").unwrap(), vec![vec![Value::Integer(1), Value::Integer(0), Value::Null]]);
    assert_eq!(run(&mut c, "PRAGMA integrity_check").unwrap(), vec![vec![Value::text("ok")]]);
    drop(c);
    remove_db(&path);
}

#[test]
fn rtree_follows_the_model() {
    exercise("rtree", 512, 0x9e37_79b9_7f4a_7c15);
    exercise("rtree", 4096, 0x2545_f491_4f6c_dd1d);
}

#[test]
fn rtree_i32_follows_the_model() {
    exercise("rtree_i32", 1024, 0x1234_5678_9abc_def1);
}
