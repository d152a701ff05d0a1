//! Value semantics of the VDBE: affinity, conversion, comparison and
//! arithmetic, exactly as SQLite applies them to its registers.
//!
//! Conventions:
//! * NULL propagates through arithmetic, bit operations and concatenation.
//! * Text and blob operands of arithmetic are read as numbers the way
//!   SQLite reads them (a numeric prefix counts; no prefix is 0).
//! * Integer overflow in `+ - *` falls back to REAL; division or remainder
//!   by zero is NULL; a NaN result is NULL.
//! * REAL values render as text with SQLite 3.54's `%!.17g`
//!   ([`crate::util::render_real`]).
//!
//! Hot paths (`compare`, arithmetic on numbers, `apply_affinity` on
//! numbers) allocate nothing.

use crate::collation::CollSeq;
use crate::util::utf16;
use crate::util::TextEncoding;
use crate::util::atof::{atof, atoi64, is_space, ATOF_REAL};
use crate::util::{real_same_as_int, real_to_i64, render_real};
use crate::value::{compare_int_real, Value, ValueRef};
use std::borrow::Cow;
use std::cmp::Ordering;

/// Column / expression affinity. `Blob` is SQLite's "BLOB" (a.k.a. NONE):
/// no conversion.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Affinity {
    Blob,
    Text,
    Numeric,
    Integer,
    Real,
}

impl Affinity {
    /// SQLite's rules for a declared column type (datatype3 §3.1): the
    /// first matching rule wins, substrings matched case-insensitively.
    pub fn from_type_name(decl: &str) -> Affinity {
        let up = decl.as_bytes();
        let has = |pat: &[u8]| {
            up.windows(pat.len()).any(|w| w.eq_ignore_ascii_case(pat))
        };
        if has(b"INT") {
            Affinity::Integer
        } else if has(b"CHAR") || has(b"CLOB") || has(b"TEXT") {
            Affinity::Text
        } else if has(b"BLOB") || decl.trim().is_empty() {
            Affinity::Blob
        } else if has(b"REAL") || has(b"FLOA") || has(b"DOUB") {
            Affinity::Real
        } else {
            Affinity::Numeric
        }
    }

    /// The code SQLite uses in records, `OP_Affinity` strings and EXPLAIN:
    /// 'A' BLOB, 'B' TEXT, 'C' NUMERIC, 'D' INTEGER, 'E' REAL.
    pub fn to_char(self) -> char {
        match self {
            Affinity::Blob => 'A',
            Affinity::Text => 'B',
            Affinity::Numeric => 'C',
            Affinity::Integer => 'D',
            Affinity::Real => 'E',
        }
    }

    /// The inverse of [`Affinity::to_char`].
    pub fn from_char(c: char) -> Option<Affinity> {
        Some(match c {
            'A' => Affinity::Blob,
            'B' => Affinity::Text,
            'C' => Affinity::Numeric,
            'D' => Affinity::Integer,
            'E' => Affinity::Real,
            _ => return None,
        })
    }

    /// NUMERIC, INTEGER or REAL.
    pub fn is_numeric(self) -> bool {
        matches!(self, Affinity::Numeric | Affinity::Integer | Affinity::Real)
    }
}

// ---------------------------------------------------------------------------
// Conversions
// ---------------------------------------------------------------------------

/// A number read from a value: what arithmetic works on.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Num {
    Int(i64),
    Real(f64),
}

/// Bytes up to the first NUL: what SQLite's C-string parsers see.
#[inline]
fn c_str(b: &[u8]) -> &[u8] {
    match b.iter().position(|&c| c == 0) {
        Some(n) => &b[..n],
        None => b,
    }
}

/// The numeric reading of text for arithmetic (SQLite's
/// `numericType`): integer when the text (or its numeric prefix) is an
/// integer that fits, else real.
pub fn text_to_num(t: &[u8]) -> Num {
    // As SQLite 3.54: the real reading stops at a NUL byte, the integer
    // reading does not, so "1\0" is a number but not an integer: REAL.
    let (r, rc) = atof(c_str(t));
    if rc <= 0 {
        if rc & ATOF_REAL == 0 {
            let (i, c) = atoi64(t);
            if c <= 1 {
                return Num::Int(i);
            }
        }
        Num::Real(r)
    } else {
        // `atoi64` stops at a NUL too; past one, SQLite's integer reading
        // sees trailing text.
        if rc & ATOF_REAL == 0 && !t.contains(&0) {
            let (i, c) = atoi64(t);
            if c == 0 {
                return Num::Int(i);
            }
        }
        Num::Real(r)
    }
}

/// The numeric value of any non-NULL value (NULL reads as integer 0).
pub fn to_num(v: ValueRef) -> Num {
    match v {
        ValueRef::Integer(i) => Num::Int(i),
        ValueRef::Real(r) => Num::Real(r),
        ValueRef::Text(t) | ValueRef::Blob(t) => text_to_num(t),
        ValueRef::Null => Num::Int(0),
    }
}

/// `sqlite3_value_int64` / CAST AS INTEGER: reals truncate (saturating),
/// text reads its leading integer (`'1e5'` is 1), NULL is 0.
pub fn to_integer(v: ValueRef) -> i64 {
    match v {
        ValueRef::Integer(i) => i,
        ValueRef::Real(r) => real_to_i64(r),
        ValueRef::Text(t) | ValueRef::Blob(t) => atoi64(t).0,
        ValueRef::Null => 0,
    }
}

/// `sqlite3_value_double` / CAST AS REAL: text reads its numeric prefix.
pub fn to_real(v: ValueRef) -> f64 {
    match v {
        ValueRef::Integer(i) => i as f64,
        ValueRef::Real(r) => r,
        ValueRef::Text(t) | ValueRef::Blob(t) => atof(t).0,
        ValueRef::Null => 0.0,
    }
}

/// `sqlite3_value_text`: `None` for NULL, numbers rendered, text and blob
/// bytes as they are.
pub fn to_text(v: ValueRef<'_>) -> Option<Cow<'_, [u8]>> {
    match v {
        ValueRef::Null => None,
        _ => Some(text_of(v)),
    }
}

/// Like [`to_text`] with NULL as the empty string.
pub fn text_of(v: ValueRef<'_>) -> Cow<'_, [u8]> {
    match v {
        ValueRef::Null => Cow::Borrowed(&[]),
        ValueRef::Integer(i) => Cow::Owned(i.to_string().into_bytes()),
        ValueRef::Real(r) => {
            let mut out = Vec::with_capacity(24);
            render_real(r, &mut out);
            Cow::Owned(out)
        }
        ValueRef::Text(t) | ValueRef::Blob(t) => Cow::Borrowed(t),
    }
}

/// `sqlite3_value_blob`-style bytes: text and blob as stored, numbers as
/// their text rendering, NULL empty.
pub fn blob_of(v: ValueRef<'_>) -> Cow<'_, [u8]> {
    text_of(v)
}

/// [`text_of`] in a database of encoding `enc`: a BLOB's bytes are read
/// as text of that encoding (SQLite's `sqlite3_value_text` on a blob).
pub fn text_of_in(v: ValueRef<'_>, enc: TextEncoding) -> Cow<'_, [u8]> {
    match v {
        ValueRef::Blob(b) if !enc.is_utf8() => Cow::Owned(utf16::to_utf8(b, enc)),
        _ => text_of(v),
    }
}

/// [`blob_of`] in a database of encoding `enc` (SQLite's
/// `sqlite3_value_blob`): text as that encoding stores it; a number's
/// rendering stays UTF-8, as SQLite renders it for a blob request.
pub fn blob_of_in(v: ValueRef<'_>, enc: TextEncoding) -> Cow<'_, [u8]> {
    match v {
        ValueRef::Text(t) if !enc.is_utf8() => Cow::Owned(utf16::from_utf8(t, enc)),
        _ => blob_of(v),
    }
}

/// A value about to be read as a number: in a UTF-16 database a BLOB is
/// read as text of that encoding (SQLite converts blob bytes with the
/// database encoding); anything else, or any value of a UTF-8 database,
/// as it is.
pub fn blob_as_text_in(v: &Value, enc: TextEncoding) -> Cow<'_, Value> {
    match v {
        Value::Blob(b) if !enc.is_utf8() => Cow::Owned(Value::Text(utf16::to_utf8(b, enc))),
        _ => Cow::Borrowed(v),
    }
}

/// SQLite truth value (`WHERE`, `AND`, `NOT`, `CASE WHEN`...): `None` for
/// NULL, else whether the numeric value is non-zero (`'abc'` is false,
/// `'1abc'` true, `0.5` true).
pub fn to_bool(v: ValueRef) -> Option<bool> {
    match v {
        ValueRef::Null => None,
        ValueRef::Integer(i) => Some(i != 0),
        _ => Some(to_real(v) != 0.0),
    }
}

/// The value as an owned Value of its numeric reading
/// (`sqlite3VdbeMemNumerify`, CAST AS NUMERIC): text that is not a number
/// gives 0, reals holding small integers become integers.
pub fn numerify(v: ValueRef) -> Value {
    match v {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(i) => Value::Integer(i),
        ValueRef::Real(r) => Value::Real(r),
        ValueRef::Text(t) | ValueRef::Blob(t) => {
            let (r, rc) = atof(t);
            if rc & ATOF_REAL == 0 {
                let (i, c) = atoi64(t);
                if c < 2 {
                    return Value::Integer(i);
                }
            }
            let ix = real_to_i64(r);
            if real_same_as_int(r, ix) {
                Value::Integer(ix)
            } else {
                Value::Real(r)
            }
        }
    }
}

/// Text with numeric column affinity (`applyNumericAffinity` with the
/// try-for-integer flag): only text that is entirely a number (bar
/// surrounding whitespace) converts.
fn numeric_text(t: &[u8], try_int: bool) -> Option<Value> {
    let (r, rc) = atof(t);
    if rc <= 0 {
        return None;
    }
    if rc & ATOF_REAL == 0 {
        let ix = real_to_i64(r);
        if real_same_as_int(r, ix) {
            return Some(Value::Integer(ix));
        }
        let (i, c) = atoi64(t);
        if c == 0 {
            return Some(Value::Integer(i));
        }
    }
    if try_int {
        if let Some(i) = real_as_exact_int(r) {
            return Some(Value::Integer(i));
        }
    }
    Some(Value::Real(r))
}

/// `sqlite3_value_numeric_type`'s reading: numbers as they are, text
/// that is entirely a number (bar whitespace) converted without integer
/// preference for reals, anything else `None`.
pub fn numeric_type(v: ValueRef) -> Option<Num> {
    match v {
        ValueRef::Integer(i) => Some(Num::Int(i)),
        ValueRef::Real(r) => Some(Num::Real(r)),
        ValueRef::Text(t) => match numeric_text(t, false)? {
            Value::Integer(i) => Some(Num::Int(i)),
            Value::Real(r) => Some(Num::Real(r)),
            _ => None,
        },
        _ => None,
    }
}

/// The integer equal to `r` when there is one strictly inside the i64
/// range (`sqlite3VdbeIntegerAffinity`).
fn real_as_exact_int(r: f64) -> Option<i64> {
    let ix = real_to_i64(r);
    if r == ix as f64 && ix > i64::MIN && ix < i64::MAX {
        Some(ix)
    } else {
        None
    }
}

/// Column affinity applied when a value is stored (and by `OP_Affinity`):
/// * NUMERIC / INTEGER: text that looks entirely like a number becomes
///   INTEGER when it is integral and fits, else REAL; REAL values that are
///   exact integers become INTEGER.
/// * REAL: like NUMERIC but the result is always REAL (SQLite stores it
///   as an integer on disk as a space optimisation and converts back on
///   read; this returns the value a reader sees).
/// * TEXT: numbers become their text rendering.
/// * BLOB: no change.
pub fn apply_affinity(v: Value, aff: Affinity) -> Value {
    match aff {
        Affinity::Blob => v,
        Affinity::Text => match v {
            Value::Integer(_) | Value::Real(_) => Value::Text(text_of(v.as_ref()).into_owned()),
            other => other,
        },
        Affinity::Numeric | Affinity::Integer => match v {
            Value::Real(r) => match real_as_exact_int(r) {
                Some(i) => Value::Integer(i),
                None => Value::Real(r),
            },
            Value::Text(ref t) => numeric_text(t, true).unwrap_or(v),
            other => other,
        },
        Affinity::Real => match v {
            Value::Integer(i) => Value::Real(i as f64),
            // SQLite stores integral reals as integers and reads them back
            // as REAL: the only visible effect is that -0.0 becomes 0.0.
            Value::Real(r) => match real_as_exact_int(r) {
                Some(i) => Value::Real(i as f64),
                None => Value::Real(r),
            },
            Value::Text(ref t) => match numeric_text(t, true) {
                Some(Value::Integer(i)) => Value::Real(i as f64),
                Some(n) => n,
                None => v,
            },
            other => other,
        },
    }
}

/// What a reader of a REAL column sees (`OP_RealAffinity`): integers stored
/// in a REAL column come back as REAL.
pub fn real_affinity(v: Value) -> Value {
    match v {
        Value::Integer(i) => Value::Real(i as f64),
        other => other,
    }
}

/// The affinity a binary comparison applies to its operands (datatype3
/// §4.2). `None` is an operand without affinity (an expression); `Some`
/// is a column (or CAST) affinity. Returns `Blob` for "no conversion".
pub fn comparison_affinity(lhs: Option<Affinity>, rhs: Option<Affinity>) -> Affinity {
    match (lhs, rhs) {
        (Some(a), Some(b)) => {
            if a.is_numeric() || b.is_numeric() {
                Affinity::Numeric
            } else {
                Affinity::Blob
            }
        }
        (Some(a), None) | (None, Some(a)) => a,
        (None, None) => Affinity::Blob,
    }
}

/// Converts comparison operands in place as SQLite's comparison opcodes do:
/// with a numeric affinity, text operands that look like numbers become
/// numbers (no integer preference: `'1.0'` becomes REAL 1.0); with TEXT
/// affinity, when either side is text, numeric operands become text.
pub fn apply_comparison_affinity(lhs: &mut Value, rhs: &mut Value, aff: Affinity) {
    if aff.is_numeric() {
        for v in [lhs, rhs] {
            if let Value::Text(t) = v {
                if let Some(n) = numeric_text(t, false) {
                    *v = n;
                }
            }
        }
    } else if aff == Affinity::Text
        && (matches!(lhs, Value::Text(_)) || matches!(rhs, Value::Text(_)))
    {
        for v in [lhs, rhs] {
            if matches!(v, Value::Integer(_) | Value::Real(_)) {
                *v = Value::Text(text_of(v.as_ref()).into_owned());
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Comparison
// ---------------------------------------------------------------------------

/// SQLite's total order on values (`sqlite3MemCompare`): NULL < numbers
/// (INTEGER and REAL compared exactly) < TEXT (by the collation) < BLOB
/// (memcmp, then length).
pub fn compare(a: ValueRef, b: ValueRef, coll: &CollSeq) -> Ordering {
    compare_in(a, b, coll, TextEncoding::Utf8)
}

/// [`compare`] of engine values (UTF-8 text) in a database of encoding
/// `enc`, whose bytes decide BINARY's order.
pub fn compare_in(a: ValueRef, b: ValueRef, coll: &CollSeq, enc: TextEncoding) -> Ordering {
    use ValueRef::*;
    match (a, b) {
        (Null, Null) => Ordering::Equal,
        (Null, _) => Ordering::Less,
        (_, Null) => Ordering::Greater,
        (Integer(x), Integer(y)) => x.cmp(&y),
        (Integer(x), Real(y)) => compare_int_real(x, y),
        (Real(x), Integer(y)) => compare_int_real(y, x).reverse(),
        (Real(x), Real(y)) => x.partial_cmp(&y).unwrap_or(Ordering::Equal),
        (Integer(_) | Real(_), _) => Ordering::Less,
        (_, Integer(_) | Real(_)) => Ordering::Greater,
        (Text(x), Text(y)) => coll.compare_in(x, y, enc),
        (Text(_), Blob(_)) => Ordering::Less,
        (Blob(_), Text(_)) => Ordering::Greater,
        (Blob(x), Blob(y)) => x.cmp(y),
    }
}

/// How two values sort under one ORDER BY term: by [`compare_in`] with
/// `coll`, reversed when `desc`, NULLs first or last as asked (whatever
/// the direction).
pub fn compare_sort_key(a: &Value, b: &Value, coll: &CollSeq, desc: bool, nulls_first: bool, enc: TextEncoding) -> Ordering {
    match (a.is_null(), b.is_null()) {
        (true, true) => Ordering::Equal,
        (true, false) if nulls_first => Ordering::Less,
        (true, false) => Ordering::Greater,
        (false, true) if nulls_first => Ordering::Greater,
        (false, true) => Ordering::Less,
        (false, false) => {
            let o = compare_in(a.as_ref(), b.as_ref(), coll, enc);
            if desc {
                o.reverse()
            } else {
                o
            }
        }
    }
}

/// [`compare`] with the BINARY collation.
pub fn compare_binary(a: ValueRef, b: ValueRef) -> Ordering {
    compare(a, b, &CollSeq::Binary)
}

// ---------------------------------------------------------------------------
// Arithmetic
// ---------------------------------------------------------------------------

#[derive(Clone, Copy, PartialEq, Eq)]
enum Op {
    Add,
    Sub,
    Mul,
    Div,
    Rem,
}

fn arith(op: Op, a: ValueRef, b: ValueRef) -> Value {
    if matches!(a, ValueRef::Null) || matches!(b, ValueRef::Null) {
        return Value::Null;
    }
    let na = to_num(a);
    let nb = to_num(b);
    if let (Num::Int(x), Num::Int(y)) = (na, nb) {
        let r = match op {
            Op::Add => x.checked_add(y),
            Op::Sub => x.checked_sub(y),
            Op::Mul => x.checked_mul(y),
            Op::Div => {
                if y == 0 {
                    return Value::Null;
                }
                if y == -1 && x == i64::MIN {
                    None
                } else {
                    Some(x / y)
                }
            }
            Op::Rem => {
                if y == 0 {
                    return Value::Null;
                }
                let y = if y == -1 { 1 } else { y };
                Some(x % y)
            }
        };
        if let Some(r) = r {
            return Value::Integer(r);
        }
    }
    let ra = num_real(na);
    let rb = num_real(nb);
    let r = match op {
        Op::Add => ra + rb,
        Op::Sub => ra - rb,
        Op::Mul => ra * rb,
        Op::Div => {
            if rb == 0.0 {
                return Value::Null;
            }
            ra / rb
        }
        Op::Rem => {
            let x = to_integer(a);
            let y = to_integer(b);
            if y == 0 {
                return Value::Null;
            }
            let y = if y == -1 { 1 } else { y };
            (x % y) as f64
        }
    };
    if r.is_nan() {
        Value::Null
    } else {
        Value::Real(r)
    }
}

#[inline]
fn num_real(n: Num) -> f64 {
    match n {
        Num::Int(i) => i as f64,
        Num::Real(r) => r,
    }
}

/// `a + b`.
pub fn add(a: &Value, b: &Value) -> Value {
    arith(Op::Add, a.as_ref(), b.as_ref())
}
/// `a - b`.
pub fn subtract(a: &Value, b: &Value) -> Value {
    arith(Op::Sub, a.as_ref(), b.as_ref())
}
/// `a * b`.
pub fn multiply(a: &Value, b: &Value) -> Value {
    arith(Op::Mul, a.as_ref(), b.as_ref())
}
/// `a / b` (integer division for two integers; NULL when `b` is zero).
pub fn divide(a: &Value, b: &Value) -> Value {
    arith(Op::Div, a.as_ref(), b.as_ref())
}
/// `a % b`: integer remainder; REAL result when either operand is REAL
/// (computed on the truncated integers); NULL when `b` truncates to zero.
pub fn remainder(a: &Value, b: &Value) -> Value {
    arith(Op::Rem, a.as_ref(), b.as_ref())
}

/// Borrowed-operand forms of the arithmetic operators.
pub fn arith_ref(op: char, a: ValueRef, b: ValueRef) -> Value {
    match op {
        '+' => arith(Op::Add, a, b),
        '-' => arith(Op::Sub, a, b),
        '*' => arith(Op::Mul, a, b),
        '/' => arith(Op::Div, a, b),
        _ => arith(Op::Rem, a, b),
    }
}

/// Unary minus, compiled by SQLite as `0 - x`: `-(i64::MIN)` is REAL
/// 9.2233720368547758e+18, `-'abc'` is 0, `-NULL` is NULL.
pub fn negate(v: &Value) -> Value {
    arith(Op::Sub, ValueRef::Integer(0), v.as_ref())
}

fn int_operands(a: &Value, b: &Value) -> Option<(i64, i64)> {
    if a.is_null() || b.is_null() {
        None
    } else {
        Some((to_integer(a.as_ref()), to_integer(b.as_ref())))
    }
}

/// `a & b` on the integer readings.
pub fn bit_and(a: &Value, b: &Value) -> Value {
    int_operands(a, b).map_or(Value::Null, |(x, y)| Value::Integer(x & y))
}
/// `a | b` on the integer readings.
pub fn bit_or(a: &Value, b: &Value) -> Value {
    int_operands(a, b).map_or(Value::Null, |(x, y)| Value::Integer(x | y))
}
/// `~a`.
pub fn bit_not(a: &Value) -> Value {
    if a.is_null() {
        Value::Null
    } else {
        Value::Integer(!to_integer(a.as_ref()))
    }
}

fn shift(x: i64, by: i64, left: bool) -> i64 {
    if by == 0 {
        return x;
    }
    let (left, by) = if by < 0 {
        (!left, if by > -64 { -by } else { 64 })
    } else {
        (left, by)
    };
    if by >= 64 {
        return if x >= 0 || left { 0 } else { -1 };
    }
    if left {
        ((x as u64) << by) as i64
    } else {
        x >> by
    }
}

/// `a << b`: negative `b` shifts right; shifts of 64 or more give 0 (or -1
/// for a right shift of a negative number).
pub fn shift_left(a: &Value, b: &Value) -> Value {
    int_operands(a, b).map_or(Value::Null, |(x, y)| Value::Integer(shift(x, y, true)))
}
/// `a >> b` (arithmetic shift).
pub fn shift_right(a: &Value, b: &Value) -> Value {
    int_operands(a, b).map_or(Value::Null, |(x, y)| Value::Integer(shift(x, y, false)))
}

/// `NOT a`: NULL stays NULL.
pub fn logical_not(a: &Value) -> Value {
    match to_bool(a.as_ref()) {
        None => Value::Null,
        Some(b) => Value::Integer(!b as i64),
    }
}

/// `a || b`: TEXT of both renderings (blob bytes included as they are).
pub fn concat(a: &Value, b: &Value) -> Value {
    concat_in(a, b, TextEncoding::Utf8)
}

/// [`concat`] in a database of encoding `enc` (a blob operand is read as
/// text of that encoding).
pub fn concat_in(a: &Value, b: &Value, enc: TextEncoding) -> Value {
    if a.is_null() || b.is_null() {
        return Value::Null;
    }
    let x = text_of_in(a.as_ref(), enc);
    let y = text_of_in(b.as_ref(), enc);
    let mut out = Vec::with_capacity(x.len() + y.len());
    out.extend_from_slice(&x);
    out.extend_from_slice(&y);
    Value::Text(out)
}

// ---------------------------------------------------------------------------
// CAST
// ---------------------------------------------------------------------------

/// The affinity a CAST type name selects: the column-type rules, except
/// that an empty name means NUMERIC (SQLite's default in the type-name
/// rules; only a column declared without any type gets BLOB).
pub fn cast_affinity(type_name: &str) -> Affinity {
    if type_name.trim().is_empty() {
        Affinity::Numeric
    } else {
        Affinity::from_type_name(type_name)
    }
}

/// `CAST(v AS type_name)`.
pub fn cast(v: Value, type_name: &str) -> Value {
    cast_to(v, cast_affinity(type_name))
}

/// `CAST(v AS type_name)` in a database of encoding `enc`: text becomes
/// the bytes that encoding stores, and a blob is read as text of it.
pub fn cast_in(v: Value, type_name: &str, enc: TextEncoding) -> Value {
    if enc.is_utf8() {
        return cast(v, type_name);
    }
    let aff = cast_affinity(type_name);
    match (aff, v) {
        (Affinity::Blob, Value::Blob(b)) => Value::Blob(b),
        (Affinity::Blob, v) if !v.is_null() => Value::Blob(utf16::from_utf8(&text_of(v.as_ref()), enc)),
        (_, Value::Blob(b)) => cast_to(Value::Text(utf16::to_utf8(&b, enc)), aff),
        (_, v) => cast_to(v, aff),
    }
}

/// CAST to an affinity: BLOB (bytes of the text form), TEXT, NUMERIC
/// ([`numerify`]), INTEGER ([`to_integer`]), REAL ([`to_real`]). NULL
/// stays NULL.
pub fn cast_to(v: Value, aff: Affinity) -> Value {
    if v.is_null() {
        return Value::Null;
    }
    match aff {
        Affinity::Blob => match v {
            Value::Blob(_) => v,
            Value::Text(t) => Value::Blob(t),
            other => Value::Blob(text_of(other.as_ref()).into_owned()),
        },
        Affinity::Text => match v {
            Value::Text(_) => v,
            Value::Blob(b) => Value::Text(b),
            other => Value::Text(text_of(other.as_ref()).into_owned()),
        },
        Affinity::Numeric => numerify(v.as_ref()),
        Affinity::Integer => Value::Integer(to_integer(v.as_ref())),
        Affinity::Real => Value::Real(to_real(v.as_ref())),
    }
}

/// True when `t` is entirely a number (bar surrounding whitespace): what
/// numeric affinity would convert.
pub fn text_is_numeric(t: &[u8]) -> bool {
    atof(t).1 > 0
}

/// Trims SQLite whitespace from both ends of a byte string.
pub fn trim_space(t: &[u8]) -> &[u8] {
    let t = c_str(t);
    let s = t.iter().position(|&c| !is_space(c)).unwrap_or(t.len());
    let e = t.iter().rposition(|&c| !is_space(c)).map_or(s, |e| e + 1);
    &t[s..e]
}

#[cfg(test)]
mod tests;
