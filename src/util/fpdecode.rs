//! Decimal decoding of doubles and the canonical number-to-text rendering.
//!
//! [`FpDecode`] turns a double into sign, significant digits and decimal
//! point position, rounded the way SQLite 3.54's printf rounds: digits are
//! first produced to 18 (or `round+1`) places, then rounded half-up to the
//! requested count. With the `!` flag and 17 digits (the REAL-to-TEXT
//! rendering, `%!.17g`), a shorter form is chosen when it still reads back
//! as the same double, so 49.47 renders as `49.47`.
//!
//! Digit generation uses the same 96-bit power-of-ten arithmetic as SQLite
//! ([`super::fp`]), so even its approximate last digits are reproduced.

use super::fp::{fp10_convert2, fp2_convert10};
use std::fmt::Write;

/// A decoded double: `0.d1d2d3... * 10^idp` with `n` significant digits.
#[derive(Clone, Debug)]
pub struct FpDecode {
    /// `b'+'` or `b'-'`.
    pub sign: u8,
    /// 0 for a finite number, 1 for infinity, 2 for NaN.
    pub special: u8,
    /// Significant digits as ASCII, no trailing zeros (at least one digit
    /// for finite numbers).
    pub digits: Vec<u8>,
    /// Position of the decimal point relative to the first digit.
    pub idp: i32,
}

impl FpDecode {
    /// Decodes `r`. `round > 0`: keep at most `min(round, mx_round)`
    /// significant digits. `round <= 0`: keep `-round` digits after the
    /// decimal point (at most `mx_round` in total).
    pub fn new(r: f64, round: i32, mx_round: i32) -> FpDecode {
        let mut r = r;
        let sign;
        if r < 0.0 {
            sign = b'-';
            r = -r;
        } else if r == 0.0 {
            return FpDecode { sign: b'+', special: 0, digits: b"0".to_vec(), idp: 1 };
        } else {
            sign = b'+';
        }
        if !r.is_finite() {
            let special = if r.is_nan() { 2 } else { 1 };
            return FpDecode { sign, special, digits: Vec::new(), idp: 0 };
        }
        let bits = r.to_bits();
        let mut mant = bits & 0x000f_ffff_ffff_ffff;
        let mut e2 = ((bits >> 52) & 0x7ff) as i32;
        if e2 == 0 {
            let nn = mant.leading_zeros() as i32;
            mant <<= nn;
            e2 = -1074 - nn;
        } else {
            mant = (mant << 11) | (1u64 << 63);
            e2 -= 1086;
        }
        let want = if round <= 0 || round >= 18 { 18 } else { round + 1 };
        let (d, exp) = fp2_convert10(mant, e2, want);
        let digits: Vec<u8> = d.max(1).to_string().into_bytes();
        let mut n = digits.len() as i32;
        let mut idp = n + exp;
        let mut z: Vec<u8> = digits;
        let mut round = round;
        if round <= 0 {
            round = idp - round;
            if round == 0 && z[0] >= b'5' {
                round = 1;
                z.insert(0, b'0');
                n += 1;
                idp += 1;
            }
        }
        if round > 0 && (round < n || n > mx_round) {
            if round > mx_round {
                round = mx_round;
            }
            if round == 17 && n >= 16 {
                round = shorten_17(&z, n, exp, r).unwrap_or(round);
            }
            n = round;
            if z.get(round as usize).copied().unwrap_or(b'0') >= b'5' {
                z.truncate(round as usize);
                if round_up_in_place(&mut z) {
                    n += 1;
                    idp += 1;
                }
            }
        }
        let mut n = (n.max(1) as usize).min(z.len());
        while n > 1 && z[n - 1] == b'0' {
            n -= 1;
        }
        z.truncate(n);
        FpDecode { sign, special: 0, digits: z, idp }
    }
}

/// For the 17-digit rendering: if the digits end in a run of 9s (or 0s) at
/// positions 14-15 and a rounder, shorter digit string reads back as `r`,
/// return the shorter rounding position.
fn shorten_17(z: &[u8], n: i32, exp: i32, r: f64) -> Option<i32> {
    let d = |i: usize| z.get(i).copied().unwrap_or(b'0');
    let idp = n + exp;
    if d(15) == b'9' && d(14) == b'9' {
        let mut jj = 14usize;
        while jj > 0 && d(jj - 1) == b'9' {
            jj -= 1;
        }
        let v2 = if jj == 0 { 1 } else { prefix_value(z, jj) + 1 };
        if r == fp10_convert2(v2, exp + n - jj as i32) {
            return Some(jj as i32 + 1);
        }
    } else if idp >= n || (d(15) == b'0' && d(14) == b'0' && d(13) == b'0') {
        let mut jj = 13usize;
        while jj > 1 && d(jj - 1) == b'0' {
            jj -= 1;
        }
        let v2 = prefix_value(z, jj);
        if r == fp10_convert2(v2, exp + n - jj as i32) {
            return Some(jj as i32 + 1);
        }
    }
    None
}

fn prefix_value(z: &[u8], len: usize) -> u64 {
    z[..len.min(z.len())].iter().fold(0u64, |acc, &c| acc * 10 + (c - b'0') as u64)
}

/// Adds one unit in the last place of a digit string. Returns true when a
/// carry out of the first digit made the string one digit longer.
fn round_up_in_place(z: &mut Vec<u8>) -> bool {
    let mut j = z.len();
    while j > 0 {
        j -= 1;
        if z[j] < b'9' {
            z[j] += 1;
            return false;
        }
        z[j] = b'0';
    }
    z.insert(0, b'1');
    true
}

/// Renders an integer as SQLite does (plain decimal).
pub fn int_to_text(i: i64, out: &mut Vec<u8>) {
    let _ = write!(VecWriter(out), "{}", i);
}

/// Renders a REAL as SQLite's REAL-to-TEXT conversion does (`%!.17g`):
/// CAST AS TEXT, `sqlite3_column_text`, `||`, `quote()` of reals...
pub fn render_real(r: f64, out: &mut Vec<u8>) {
    super::printf::format_float(out, r, b'g', 17, 0, super::printf::FLAG_ALTFORM2);
}

/// [`render_real`] into a fresh String.
pub fn real_to_text(r: f64) -> String {
    let mut v = Vec::with_capacity(24);
    render_real(r, &mut v);
    String::from_utf8(v).unwrap_or_default()
}

struct VecWriter<'a>(&'a mut Vec<u8>);
impl Write for VecWriter<'_> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.0.extend_from_slice(s.as_bytes());
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Expected text from SQLite 3.54.1 (`SELECT x` / CAST(x AS TEXT)).
    #[test]
    fn real_rendering_matches_sqlite_354() {
        let cases: &[(f64, &str)] = &[
            (0.1 + 0.2, "0.30000000000000004"),
            (1e20, "1.0e+20"),
            (1.0, "1.0"),
            (123456789012345678.0, "1.2345678901234568e+17"),
            (1e-5, "1.0e-05"),
            (2.5e-300, "2.5e-300"),
            (-0.0, "0.0"),
            (1.0 / 3.0, "0.33333333333333332"),
            (1e15, "1000000000000000.0"),
            (49.47, "49.47"),
            (1e16, "10000000000000000.0"),
            (1e17, "1.0e+17"),
            (100.0, "100.0"),
            (0.1, "0.1"),
            (3.14159, "3.14159"),
            (f64::INFINITY, "Inf"),
            (f64::NEG_INFINITY, "-Inf"),
            (2.0 / 3.0, "0.66666666666666663"),
            (1e-4, "0.0001"),
            (123456789.123, "123456789.123"),
        ];
        for &(r, want) in cases {
            assert_eq!(real_to_text(r), want, "{r:e}");
        }
    }
}
