//! Text to number conversion with SQLite's exact acceptance rules.
//!
//! * [`atof`] reads a decimal real (`[+-]digits[.digits][e[+-]digits]`),
//!   ignoring surrounding whitespace, and reports through a status code
//!   whether the whole text was a number, only a prefix of it, or nothing.
//!   Only the first ~19 significant digits contribute (as in SQLite), and
//!   the result is the correctly rounded double of `mantissa * 10^exp`.
//! * [`atoi64`] reads a decimal integer with SQLite's overflow codes.
//! * [`dec_or_hex_to_i64`] also accepts `0x` hex (SQL literals only).
//! * [`number_literal`] turns the text of a numeric SQL literal into the
//!   value the code generator must load.
//!
//! Text ends at the end of the slice or at the first NUL byte, whichever
//! comes first, because SQLite's parsers stop at the terminator.

use crate::error::{Error, Result};
use crate::value::Value;

/// `atof` status bit: some prefix of the input is a number.
pub const ATOF_PREFIX: i32 = 1;
/// `atof` status bit: the number has a decimal point or an exponent.
pub const ATOF_REAL: i32 = 2;
/// `atof` status bit: the value is exactly zero (not an underflow).
pub const ATOF_ZERO: i32 = 4;
/// `atof` status bit: more than about 19 significant digits were seen.
pub const ATOF_MANY_DIGITS: i32 = 8;
/// Added to the status when text follows the number: the status is then
/// negative, while its low bits still describe the prefix.
pub const ATOF_TRAILING: i32 = 0xfffffff0u32 as i32;

/// SQLite's notion of whitespace (ASCII only, includes vertical tab).
#[inline]
pub fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

#[inline]
fn at(z: &[u8], i: usize) -> u8 {
    // Missing bytes read as the terminator.
    z.get(i).copied().unwrap_or(0)
}

#[inline]
fn digit(c: u8) -> Option<u64> {
    if c.is_ascii_digit() {
        Some((c - b'0') as u64)
    } else {
        None
    }
}

const MANTISSA_LIMIT: u64 = (u64::MAX - 9) / 10;

/// Parses a real number. Returns the value and a status: positive when the
/// whole text (bar surrounding whitespace) is a number, negative when only
/// a prefix is (the value is then the prefix's), zero when no prefix is a
/// number (value 0.0). The low four bits are the `ATOF_*` flags.
pub fn atof(z: &[u8]) -> (f64, i32) {
    let mut i = 0usize;
    let mut neg = false;
    let mut s: u64 = 0;
    let mut d: i32 = 0;
    let mut state: i32 = 0;

    while is_space(at(z, i)) {
        i += 1;
    }
    match at(z, i) {
        b'-' => {
            neg = true;
            i += 1;
        }
        b'+' => i += 1,
        _ => {}
    }
    if let Some(v) = digit(at(z, i)) {
        state = 1;
        s = v;
        i += 1;
        while let Some(v) = digit(at(z, i)) {
            s = s * 10 + v;
            i += 1;
            if s >= MANTISSA_LIMIT {
                state = 9;
                while at(z, i).is_ascii_digit() {
                    i += 1;
                    d += 1;
                }
                break;
            }
        }
    }
    if at(z, i) == b'.' {
        i += 1;
        if at(z, i).is_ascii_digit() {
            state |= 1;
            while let Some(v) = digit(at(z, i)) {
                if s < MANTISSA_LIMIT {
                    s = s * 10 + v;
                    d -= 1;
                } else {
                    state = 11;
                }
                i += 1;
            }
        } else if state == 0 {
            return (0.0, 0);
        }
        state |= 2;
    } else if state == 0 {
        return (0.0, 0);
    }
    if matches!(at(z, i), b'e' | b'E') {
        let e_start = i;
        i += 1;
        let mut esign = 1i32;
        match at(z, i) {
            b'-' => {
                esign = -1;
                i += 1;
            }
            b'+' => i += 1,
            _ => {}
        }
        if let Some(v) = digit(at(z, i)) {
            let mut exp = v as i32;
            i += 1;
            state |= 2;
            while let Some(v) = digit(at(z, i)) {
                exp = if exp < 10000 { exp * 10 + v as i32 } else { 10000 };
                i += 1;
            }
            d += esign * exp;
        } else {
            // Leave the 'e' (and sign) as unparsed trailing text.
            i = e_start.max(i.saturating_sub(1));
        }
    }
    let mut r = if s == 0 {
        state |= 4;
        0.0
    } else {
        scale10(s, d)
    };
    if neg {
        r = -r;
    }
    if at(z, i) == 0 {
        return (r, state);
    }
    if is_space(at(z, i)) {
        while is_space(at(z, i)) {
            i += 1;
        }
        if at(z, i) == 0 {
            return (r, state);
        }
    }
    (r, ATOF_TRAILING | state)
}

/// The double SQLite computes for `m * 10^p` (0.0 below 10^-348,
/// infinity above 10^347); see [`super::fp::fp10_convert2`].
pub fn scale10(m: u64, p: i32) -> f64 {
    super::fp::fp10_convert2(m, p)
}

/// Parses a decimal integer (no hex) the way SQLite does. Returns the value
/// and a code: -1 no digits at all, 0 success, 1 trailing non-space text,
/// 2 too large (value saturated), 3 exactly 9223372036854775808 (value is
/// `i64::MAX`; fits only when negated, in which case the code is 0/1 and the
/// value `i64::MIN`).
pub fn atoi64(z: &[u8]) -> (i64, i32) {
    let end = z.iter().position(|&c| c == 0).unwrap_or(z.len());
    let z = &z[..end];
    let mut i = 0usize;
    while i < z.len() && is_space(z[i]) {
        i += 1;
    }
    let mut neg = false;
    if i < z.len() {
        if z[i] == b'-' {
            neg = true;
            i += 1;
        } else if z[i] == b'+' {
            i += 1;
        }
    }
    let start = i;
    while i < z.len() && z[i] == b'0' {
        i += 1;
    }
    let digits_start = i;
    let mut u: u64 = 0;
    while i < z.len() && z[i].is_ascii_digit() {
        u = u.wrapping_mul(10).wrapping_add((z[i] - b'0') as u64);
        i += 1;
    }
    let nd = i - digits_start;
    let mut value: i64 = if u > i64::MAX as u64 {
        if neg {
            i64::MIN
        } else {
            i64::MAX
        }
    } else if neg {
        -(u as i64)
    } else {
        u as i64
    };
    let mut rc = 0;
    if nd == 0 && start == digits_start {
        rc = -1;
    } else if z[i..].iter().any(|&c| !is_space(c)) {
        rc = 1;
    }
    if nd < 19 {
        return (value, rc);
    }
    let cmp = if nd > 19 { 1 } else { compare_2pow63(&z[digits_start..digits_start + 19]) };
    if cmp < 0 {
        return (value, rc);
    }
    value = if neg { i64::MIN } else { i64::MAX };
    if cmp > 0 {
        (value, 2)
    } else if neg {
        (value, rc)
    } else {
        (value, 3)
    }
}

fn compare_2pow63(d: &[u8]) -> i32 {
    const POW63: &[u8; 19] = b"9223372036854775808";
    for k in 0..19 {
        if d[k] != POW63[k] {
            return d[k] as i32 - POW63[k] as i32;
        }
    }
    0
}

/// Like [`atoi64`] but also accepts `0x` hexadecimal (up to 16 significant
/// hex digits, two's complement). Codes: 0 ok, 1 trailing text, 2 too
/// large, 3 exactly 9223372036854775808.
pub fn dec_or_hex_to_i64(z: &[u8]) -> (i64, i32) {
    if z.len() >= 2 && z[0] == b'0' && (z[1] == b'x' || z[1] == b'X') {
        let mut i = 2;
        while at(z, i) == b'0' {
            i += 1;
        }
        let mut k = i;
        let mut u: u64 = 0;
        while at(z, k).is_ascii_hexdigit() {
            let c = at(z, k);
            let v = (c as char).to_digit(16).unwrap_or(0) as u64;
            u = u.wrapping_mul(16).wrapping_add(v);
            k += 1;
        }
        let value = u as i64;
        if k - i > 16 {
            return (value, 2);
        }
        if at(z, k) != 0 {
            return (value, 1);
        }
        return (value, 0);
    }
    // Only the run of sign/space/digit characters (plus one more) is read.
    let n = z.iter().take_while(|c| b"+- \n\t0123456789".contains(c)).count();
    let n = if n < z.len() && z[n] != 0 { n + 1 } else { n };
    let (v, rc) = atoi64(&z[..n]);
    (v, rc)
}

/// SQLite's conversion of a double to the nearest i64, saturating beyond
/// the range (NaN gives 0).
pub fn real_to_i64(r: f64) -> i64 {
    if r < -9223372036854774784.0 {
        i64::MIN
    } else if r > 9223372036854774784.0 {
        i64::MAX
    } else if r.is_nan() {
        0
    } else {
        r as i64
    }
}

/// True when `r` and `i` are the same number and `i` is small enough
/// (|i| < 2^51) that the integer form loses nothing; 0.0 always qualifies.
pub fn real_same_as_int(r: f64, i: i64) -> bool {
    r == 0.0
        || ((i as f64).to_bits() == r.to_bits() && (-2251799813685248..2251799813685248).contains(&i))
}

/// The value of a numeric SQL literal. `text` is the token as written
/// (may contain `_` digit separators, may be `0x` hex); `negated` is true
/// when a unary minus applies directly to the literal.
///
/// Errors: `hex literal too big: ...` and `unrecognized token: "..."` for a
/// misplaced digit separator, both worded as SQLite words them.
pub fn number_literal(text: &str, negated: bool) -> Result<Value> {
    let raw = text.as_bytes();
    let is_hex = raw.len() >= 2 && raw[0] == b'0' && (raw[1] == b'x' || raw[1] == b'X');
    let cleaned: Vec<u8>;
    let z: &[u8] = if raw.contains(&b'_') {
        let mut out = Vec::with_capacity(raw.len());
        for (k, &c) in raw.iter().enumerate() {
            if c == b'_' {
                let prev = if k > 0 { raw[k - 1] } else { 0 };
                let next = at(raw, k + 1);
                let ok = if is_hex {
                    prev.is_ascii_hexdigit() && next.is_ascii_hexdigit()
                } else {
                    prev.is_ascii_digit() && next.is_ascii_digit()
                };
                if !ok {
                    return Err(Error::sql(format!("unrecognized token: \"{}\"", text)));
                }
            } else {
                out.push(c);
            }
        }
        cleaned = out;
        &cleaned
    } else {
        raw
    };
    let is_float = !is_hex && z.iter().any(|&c| c == b'.' || c == b'e' || c == b'E');
    if is_float {
        let (r, _) = atof(z);
        return Ok(Value::Real(if negated { -r } else { r }));
    }
    let (value, c) = dec_or_hex_to_i64(z);
    if (c == 3 && !negated) || c == 2 || (negated && value == i64::MIN) {
        if is_hex {
            let shown = String::from_utf8_lossy(z);
            return Err(Error::sql(format!(
                "hex literal too big: {}{}",
                if negated { "-" } else { "" },
                shown
            )));
        }
        let (r, _) = atof(z);
        return Ok(Value::Real(if negated { -r } else { r }));
    }
    let v = if negated {
        if c == 3 {
            i64::MIN
        } else {
            value.wrapping_neg()
        }
    } else {
        value
    };
    Ok(Value::Integer(v))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atof_status_codes() {
        let cases: &[(&str, f64, i32)] = &[
            ("12", 12.0, 1 | 0),
            ("  12  ", 12.0, 1),
            ("1.5", 1.5, 3),
            ("1e3", 1000.0, 3),
            (".5", 0.5, 3),
            ("5.", 5.0, 3),
            ("0", 0.0, 5),
            ("-0.0", -0.0, 7),
            ("abc", 0.0, 0),
            ("", 0.0, 0),
            (".", 0.0, 0),
            ("-", 0.0, 0),
            ("1e", 1.0, ATOF_TRAILING | 1),
            ("1e+", 1.0, ATOF_TRAILING | 1),
            ("12abc", 12.0, ATOF_TRAILING | 1),
            ("1e400", f64::INFINITY, 3),
            ("-1e400", f64::NEG_INFINITY, 3),
            ("1e-400", 0.0, 3),
            ("0x10", 0.0, ATOF_TRAILING | 5),
            ("123456789012345678901234", 1.2345678901234568e23, 9),
        ];
        for &(text, v, rc) in cases {
            let (r, c) = atof(text.as_bytes());
            assert_eq!(c, rc, "{text}");
            assert!(r == v || (r.is_nan() && v.is_nan()), "{text}: {r} vs {v}");
        }
    }

    #[test]
    fn atof_rounds_correctly() {
        assert_eq!(atof(b"0.1").0, 0.1);
        assert_eq!(atof(b"2.5e-300").0, 2.5e-300);
        assert_eq!(atof(b"9.9999999999999999e14").0, 1e15);
        assert_eq!(atof(b"1.7976931348623157e308").0, f64::MAX);
        assert_eq!(atof(b"4.9e-324").0, 5e-324);
    }

    #[test]
    fn atoi64_codes() {
        let cases: &[(&str, i64, i32)] = &[
            ("12", 12, 0),
            (" -12 ", -12, 0),
            ("", 0, -1),
            ("abc", 0, -1),
            ("-", 0, -1),
            ("12x", 12, 1),
            ("1.5", 1, 1),
            ("9223372036854775807", i64::MAX, 0),
            ("9223372036854775808", i64::MAX, 3),
            ("-9223372036854775808", i64::MIN, 0),
            ("9223372036854775809", i64::MAX, 2),
            ("-9223372036854775809", i64::MIN, 2),
            ("00000000000000000000012", 12, 0),
            ("99999999999999999999", i64::MAX, 2),
        ];
        for &(text, v, rc) in cases {
            assert_eq!(atoi64(text.as_bytes()), (v, rc), "{text}");
        }
    }

    #[test]
    fn literals() {
        let ok: &[(&str, bool, Value)] = &[
            ("1", false, Value::Integer(1)),
            ("1", true, Value::Integer(-1)),
            ("9223372036854775807", false, Value::Integer(i64::MAX)),
            ("9223372036854775808", false, Value::Real(9223372036854775808.0)),
            ("9223372036854775808", true, Value::Integer(i64::MIN)),
            ("9223372036854775809", true, Value::Real(-9223372036854775809.0)),
            ("0x10", false, Value::Integer(16)),
            ("0XfF", true, Value::Integer(-255)),
            ("0xffffffffffffffff", false, Value::Integer(-1)),
            ("0x8000000000000000", false, Value::Integer(i64::MIN)),
            ("1_000", false, Value::Integer(1000)),
            ("1_0.5_0", false, Value::Real(10.5)),
            ("0x_1", false, Value::Integer(1)),
            ("1e3", false, Value::Real(1000.0)),
            (".5", true, Value::Real(-0.5)),
        ];
        for (text, neg, v) in ok {
            let got = number_literal(text, *neg);
            if text == &"0x_1" {
                assert!(got.is_err());
                continue;
            }
            assert_eq!(got.as_ref().ok(), Some(v), "{text}");
        }
        assert_eq!(
            number_literal("0x10000000000000000", false).unwrap_err().message(),
            "hex literal too big: 0x10000000000000000"
        );
        assert_eq!(
            number_literal("0x8000000000000000", true).unwrap_err().message(),
            "hex literal too big: -0x8000000000000000"
        );
        assert!(number_literal("1__0", false).is_err());
    }
}
