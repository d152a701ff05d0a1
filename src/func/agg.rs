//! Aggregate functions: count, sum, total, avg, min, max, group_concat
//! (string_agg).
//!
//! `sum` stays exact in i64 until a non-integer arrives or the sum
//! overflows; from then on it accumulates in double with Kahan-Babuska-
//! Neumaier compensation, as SQLite does (an overflow among integers only
//! is the error "integer overflow").

use super::{too_big, Aggregate, FuncEnv};
use crate::collation::CollSeq;
use crate::error::{Error, Result};
use crate::value::{Value, ValueRef};
use crate::vdbe::mem::{compare_in, numeric_type, text_of, to_real, Num};
use std::cmp::Ordering;

struct Count {
    n: i64,
}

impl Aggregate for Count {
    fn step(&mut self, args: &[Value], _env: &mut dyn FuncEnv) -> Result<()> {
        if args.first().is_none_or(|v| !v.is_null()) {
            self.n += 1;
        }
        Ok(())
    }
    fn finalize(&mut self, _env: &mut dyn FuncEnv) -> Result<Value> {
        Ok(Value::Integer(self.n))
    }
    fn has_inverse(&self) -> bool {
        true
    }
    fn inverse(&mut self, args: &[Value], _env: &mut dyn FuncEnv) -> Result<()> {
        if args.first().is_none_or(|v| !v.is_null()) {
            self.n -= 1;
        }
        Ok(())
    }
}

pub fn new_count() -> Box<dyn Aggregate> {
    Box::new(Count { n: 0 })
}

#[derive(Clone, Copy, PartialEq)]
enum SumKind {
    Sum,
    Total,
    Avg,
}

struct Sum {
    kind: SumKind,
    cnt: i64,
    i_sum: i64,
    r_sum: f64,
    r_err: f64,
    approx: bool,
    overflow: bool,
}

const BIG: i64 = 4503599627370496;

impl Sum {
    fn kbn(&mut self, r: f64) {
        let s = self.r_sum;
        let t = s + r;
        if s.abs() > r.abs() {
            self.r_err += (s - t) + r;
        } else {
            self.r_err += (r - t) + s;
        }
        self.r_sum = t;
    }

    fn kbn_int(&mut self, i: i64) {
        if i <= -BIG || i >= BIG {
            let sm = i % 16384;
            self.kbn((i - sm) as f64);
            self.kbn(sm as f64);
        } else {
            self.kbn(i as f64);
        }
    }

    fn init_from_int(&mut self, i: i64) {
        if i <= -BIG || i >= BIG {
            let sm = i % 16384;
            self.r_sum = (i - sm) as f64;
            self.r_err = sm as f64;
        } else {
            self.r_sum = i as f64;
            self.r_err = 0.0;
        }
    }

    fn real_total(&self) -> f64 {
        if self.approx {
            if self.r_err.is_finite() {
                self.r_sum + self.r_err
            } else {
                self.r_sum
            }
        } else {
            self.i_sum as f64
        }
    }
}

/// The numeric type `sqlite3_value_numeric_type` reports: numbers, text
/// that is entirely a number, else the value's own (non-numeric) type.
fn agg_num(v: &Value) -> Option<std::result::Result<Num, f64>> {
    match v {
        Value::Null => None,
        Value::Integer(i) => Some(Ok(Num::Int(*i))),
        Value::Real(r) => Some(Ok(Num::Real(*r))),
        other => Some(match numeric_type(other.as_ref()) {
            Some(n) => Ok(n),
            None => Err(to_real(other.as_ref())),
        }),
    }
}

impl Aggregate for Sum {
    fn step(&mut self, args: &[Value], _env: &mut dyn FuncEnv) -> Result<()> {
        let Some(v) = args.first() else { return Ok(()) };
        let Some(n) = agg_num(v) else { return Ok(()) };
        self.cnt += 1;
        let (int, real) = match n {
            Ok(Num::Int(i)) => (Some(i), i as f64),
            Ok(Num::Real(r)) => (None, r),
            Err(r) => (None, r),
        };
        if !self.approx {
            match int {
                None => {
                    self.init_from_int(self.i_sum);
                    self.approx = true;
                    self.kbn(real);
                }
                Some(i) => match self.i_sum.checked_add(i) {
                    Some(x) => self.i_sum = x,
                    None => {
                        self.overflow = true;
                        self.init_from_int(self.i_sum);
                        self.approx = true;
                        self.kbn_int(i);
                    }
                },
            }
        } else {
            match int {
                Some(i) => self.kbn_int(i),
                None => {
                    self.overflow = false;
                    self.kbn(real);
                }
            }
        }
        Ok(())
    }

    fn has_inverse(&self) -> bool {
        true
    }

    fn inverse(&mut self, args: &[Value], _env: &mut dyn FuncEnv) -> Result<()> {
        let Some(v) = args.first() else { return Ok(()) };
        let Some(n) = agg_num(v) else { return Ok(()) };
        self.cnt -= 1;
        let as_int = crate::vdbe::mem::to_integer(v.as_ref());
        if !self.approx {
            match self.i_sum.checked_sub(as_int) {
                Some(x) => {
                    self.i_sum = x;
                    return Ok(());
                }
                None => {
                    self.overflow = true;
                    self.approx = true;
                    self.init_from_int(self.i_sum);
                }
            }
        }
        match n {
            Ok(Num::Int(i)) => {
                if i != i64::MIN {
                    self.kbn_int(-i);
                } else {
                    self.kbn_int(i64::MAX);
                    self.kbn_int(1);
                }
            }
            Ok(Num::Real(r)) | Err(r) => self.kbn(-r),
        }
        Ok(())
    }

    fn finalize(&mut self, _env: &mut dyn FuncEnv) -> Result<Value> {
        match self.kind {
            SumKind::Sum => {
                if self.cnt == 0 {
                    return Ok(Value::Null);
                }
                if self.approx {
                    if self.overflow {
                        return Err(Error::sql("integer overflow"));
                    }
                    Ok(real_or_null(self.real_total()))
                } else {
                    Ok(Value::Integer(self.i_sum))
                }
            }
            SumKind::Total => Ok(real_or_null(self.real_total())),
            SumKind::Avg => {
                if self.cnt == 0 {
                    return Ok(Value::Null);
                }
                Ok(real_or_null(self.real_total() / self.cnt as f64))
            }
        }
    }
}

fn real_or_null(r: f64) -> Value {
    if r.is_nan() {
        Value::Null
    } else {
        Value::Real(r)
    }
}

fn new_sum_kind(kind: SumKind) -> Box<dyn Aggregate> {
    Box::new(Sum { kind, cnt: 0, i_sum: 0, r_sum: 0.0, r_err: 0.0, approx: false, overflow: false })
}

pub fn new_sum() -> Box<dyn Aggregate> {
    new_sum_kind(SumKind::Sum)
}
pub fn new_total() -> Box<dyn Aggregate> {
    new_sum_kind(SumKind::Total)
}
pub fn new_avg() -> Box<dyn Aggregate> {
    new_sum_kind(SumKind::Avg)
}

/// min()/max() aggregate. Equal values keep the first one seen.
pub struct MinMax {
    want_max: bool,
    coll: CollSeq,
    /// The database encoding, which decides BINARY's order.
    enc: crate::util::TextEncoding,
    best: Option<Value>,
    changed: bool,
}

impl MinMax {
    /// A min (or max) aggregate comparing text with `coll`.
    pub fn with_collation(want_max: bool, coll: CollSeq) -> MinMax {
        MinMax { want_max, coll, enc: crate::util::TextEncoding::Utf8, best: None, changed: false }
    }
}

impl Aggregate for MinMax {
    fn step(&mut self, args: &[Value], env: &mut dyn FuncEnv) -> Result<()> {
        self.changed = false;
        if self.best.is_none() {
            self.coll = env.function_collation();
            self.enc = env.text_encoding();
        }
        let Some(v) = args.first() else { return Ok(()) };
        if v.is_null() {
            // As in SQLite, a NULL before any value still counts as a
            // change: a group of NULLs takes its bare columns from its
            // last row.
            self.changed = self.best.is_none();
            return Ok(());
        }
        let replace = match &self.best {
            None => true,
            Some(b) => {
                let c = compare_in(b.as_ref(), v.as_ref(), &self.coll, self.enc);
                if self.want_max {
                    c == Ordering::Less
                } else {
                    c == Ordering::Greater
                }
            }
        };
        if replace {
            self.best = Some(v.clone());
            self.changed = true;
        }
        Ok(())
    }
    fn finalize(&mut self, _env: &mut dyn FuncEnv) -> Result<Value> {
        Ok(self.best.clone().unwrap_or(Value::Null))
    }
    fn accumulator_changed(&self) -> bool {
        self.changed
    }
}

pub fn new_min() -> Box<dyn Aggregate> {
    Box::new(MinMax::with_collation(false, CollSeq::Binary))
}
pub fn new_max() -> Box<dyn Aggregate> {
    Box::new(MinMax::with_collation(true, CollSeq::Binary))
}

/// group_concat / string_agg. For window frames it remembers how many
/// values are accumulated and the separator lengths, so the oldest value
/// can be removed again (SQLite's xInverse).
struct GroupConcat {
    buf: Vec<u8>,
    /// SQLite's "accumulator in use" flag: false until the first value,
    /// and again whenever inverse() empties the text.
    started: bool,
    /// Number of values accumulated.
    n_accum: usize,
    /// Length of the separator that preceded the second value.
    first_sep_len: usize,
    /// Per-value separator lengths, once they differ.
    sep_lens: Option<Vec<usize>>,
}

impl Aggregate for GroupConcat {
    fn step(&mut self, args: &[Value], env: &mut dyn FuncEnv) -> Result<()> {
        let Some(v) = args.first() else { return Ok(()) };
        if v.is_null() {
            return Ok(());
        }
        let first = !self.started;
        self.started = true;
        if args.len() < 2 {
            if !first {
                self.buf.push(b',');
            } else {
                self.first_sep_len = 1;
            }
        } else if !first {
            let n_sep = match args[1].as_ref() {
                ValueRef::Null => 0,
                s => {
                    let t = text_of(s);
                    self.buf.extend_from_slice(&t);
                    t.len()
                }
            };
            if n_sep != self.first_sep_len || self.sep_lens.is_some() {
                let first_len = self.first_sep_len;
                let lens = self.sep_lens.get_or_insert_with(|| vec![first_len; self.n_accum.saturating_sub(1)]);
                lens.resize(self.n_accum.max(1), 0);
                if self.n_accum > 0 {
                    lens[self.n_accum - 1] = n_sep;
                }
            }
        } else {
            self.first_sep_len = text_of(args[1].as_ref()).len();
        }
        self.n_accum += 1;
        self.buf.extend_from_slice(&text_of(v.as_ref()));
        if self.buf.len() > env.max_length() {
            return Err(too_big());
        }
        Ok(())
    }

    fn finalize(&mut self, _env: &mut dyn FuncEnv) -> Result<Value> {
        if !self.started {
            return Ok(Value::Null);
        }
        Ok(Value::Text(self.buf.clone()))
    }

    fn has_inverse(&self) -> bool {
        true
    }

    fn inverse(&mut self, args: &[Value], _env: &mut dyn FuncEnv) -> Result<()> {
        let Some(v) = args.first() else { return Ok(()) };
        if v.is_null() {
            return Ok(());
        }
        let mut n = text_of(v.as_ref()).len();
        self.n_accum = self.n_accum.saturating_sub(1);
        match &mut self.sep_lens {
            Some(lens) => {
                if self.n_accum > 0 && !lens.is_empty() {
                    n += lens.remove(0);
                }
            }
            None => n += self.first_sep_len,
        }
        if n >= self.buf.len() {
            self.buf.clear();
        } else {
            self.buf.drain(..n);
        }
        if self.buf.is_empty() {
            self.started = false;
            self.sep_lens = None;
        }
        Ok(())
    }

    fn value(&mut self, _env: &mut dyn FuncEnv) -> Result<Value> {
        if self.n_accum == 0 {
            return Ok(Value::Null);
        }
        Ok(Value::Text(self.buf.clone()))
    }
}

pub fn new_group_concat() -> Box<dyn Aggregate> {
    Box::new(GroupConcat { buf: Vec::new(), started: false, n_accum: 0, first_sep_len: 0, sep_lens: None })
}
