//! Aggregates with an ORDER BY of their own: `group_concat(x, ',' ORDER BY
//! y DESC)`, `string_agg(...)`, `json_group_array(... ORDER BY ...)`.
//!
//! The code generator passes the ORDER BY terms after the arguments; this
//! wrapper keeps each row's values until the group ends, sorts them by
//! those terms (a stable sort: rows with equal terms stay in the order
//! they arrived, as SQLite's sequence-numbered ephemeral index keeps them)
//! and only then steps the real aggregate with the arguments.
//!
//! Invariant: the wrapped aggregate sees exactly the rows stepped, each
//! once, in ORDER BY order, before its finalize.

use std::cmp::Ordering;
use std::sync::Arc;

use super::{Aggregate, FuncEnv};
use crate::collation::CollSeq;
use crate::error::Result;
use crate::value::Value;
use crate::vdbe::mem::compare_sort_key;

/// How the ORDER BY terms of an aggregate sort.
#[derive(Debug)]
pub struct AggOrder {
    /// Arguments of the aggregate proper; the terms follow them.
    pub n_args: usize,
    /// Per term: collation, descending, NULLs first.
    pub keys: Vec<(CollSeq, bool, bool)>,
}

/// An aggregate fed in ORDER BY order at the end of its group.
pub struct Ordered {
    inner: Box<dyn Aggregate>,
    order: Arc<AggOrder>,
    rows: Vec<Vec<Value>>,
}

impl Ordered {
    pub fn new(inner: Box<dyn Aggregate>, order: Arc<AggOrder>) -> Ordered {
        Ordered { inner, order, rows: Vec::new() }
    }
}

impl Aggregate for Ordered {
    fn step(&mut self, args: &[Value], _env: &mut dyn FuncEnv) -> Result<()> {
        self.rows.push(args.to_vec());
        Ok(())
    }

    fn finalize(&mut self, env: &mut dyn FuncEnv) -> Result<Value> {
        let enc = env.text_encoding();
        let (n, keys) = (self.order.n_args, &self.order.keys);
        self.rows.sort_by(|a, b| {
            for (k, (coll, desc, nulls_first)) in keys.iter().enumerate() {
                let (x, y) = (a.get(n + k).unwrap_or(&Value::Null), b.get(n + k).unwrap_or(&Value::Null));
                let o = compare_sort_key(x, y, coll, *desc, *nulls_first, enc);
                if o != Ordering::Equal {
                    return o;
                }
            }
            Ordering::Equal
        });
        for row in std::mem::take(&mut self.rows) {
            self.inner.step(&row[..n.min(row.len())], env)?;
        }
        self.inner.finalize(env)
    }
}
