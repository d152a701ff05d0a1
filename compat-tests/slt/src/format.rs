//! Rendering of result values, sorting and hashing, as the original
//! sqllogictest driver for SQLite does it:
//! - NULL (by sqlite3_column_type) is `NULL`, whatever the column letter;
//! - `T`: sqlite3_column_text, an empty string is `(empty)`, then every byte
//!   outside ' '..='~' becomes `@`;
//! - `I`: sqlite3_column_int (a 32-bit int) printed with `%d`;
//! - `R`: sqlite3_column_double printed with SQLite's own `%.3f`, which keeps
//!   at most 16 significant digits (see [`sqlite_fixed3`]).
//!
//! Sorting compares rendered strings bytewise; hashing is the MD5 of every
//! value followed by a newline.

use md5::{Digest, Md5};

/// `T` rendering of a non-NULL text value (bytes up to the first NUL, as a
/// C string would be read).
pub fn render_text(bytes: &[u8]) -> String {
    let end = bytes.iter().position(|&b| b == 0).unwrap_or(bytes.len());
    let bytes = &bytes[..end];
    if bytes.is_empty() {
        return "(empty)".to_string();
    }
    bytes.iter().map(|&b| if (b' '..=b'~').contains(&b) { b as char } else { '@' }).collect()
}

/// `I` rendering.
pub fn render_int(v: i32) -> String {
    v.to_string()
}

/// `R` rendering: SQLite's `sqlite3_snprintf("%.3f", r)`.
///
/// SQLite's printf decodes the double into (about) 18 significant decimal
/// digits, then rounds half-up at the third decimal place but never keeps
/// more than 16 significant digits; digits beyond are printed as 0. NaN is
/// `NaN`, infinities `Inf` / `-Inf`, negative values that round to zero keep
/// their sign (`-0.000`), negative zero itself prints `0.000`.
pub fn sqlite_fixed3(r: f64) -> String {
    const PRECISION: i64 = 3;
    const MAX_SIG: i64 = 16;
    if r.is_nan() {
        return "NaN".to_string();
    }
    if r.is_infinite() {
        return if r < 0.0 { "-Inf".to_string() } else { "Inf".to_string() };
    }
    let neg = r < 0.0;
    let a = r.abs();
    // Significant digits and decimal point position: value = 0.DIGITS * 10^dp
    let (mut digits, mut dp): (Vec<u8>, i64) = if a == 0.0 {
        (vec![b'0'], 1)
    } else {
        let s = format!("{:.17e}", a); // "d.ddddddddddddddddde<exp>"
        let (mant, exp) = match s.split_once('e') {
            Some(x) => x,
            None => (s.as_str(), "0"),
        };
        let exp: i64 = exp.parse().unwrap_or(0);
        let d: Vec<u8> = mant.bytes().filter(|b| b.is_ascii_digit()).collect();
        (d, exp + 1)
    };
    if a != 0.0 {
        let mut round_at = dp + PRECISION;
        if round_at == 0 && digits[0] >= b'5' {
            // Rounds up to one unit of the last printed decimal place.
            digits.insert(0, b'0');
            dp += 1;
            round_at = 1;
        }
        let n = digits.len() as i64;
        if round_at > 0 && (round_at < n || n > MAX_SIG) {
            let round_at = round_at.min(MAX_SIG) as usize;
            let up = digits.get(round_at).is_some_and(|&d| d >= b'5');
            digits.truncate(round_at);
            if up {
                let mut j = round_at;
                loop {
                    if j == 0 {
                        digits.insert(0, b'1');
                        dp += 1;
                        break;
                    }
                    j -= 1;
                    if digits[j] == b'9' {
                        digits[j] = b'0';
                    } else {
                        digits[j] += 1;
                        break;
                    }
                }
            }
        }
    }
    let digit_at = |k: i64| -> char {
        if k < 0 || k as usize >= digits.len() {
            '0'
        } else {
            digits[k as usize] as char
        }
    };
    let mut out = String::new();
    if neg {
        out.push('-');
    }
    if dp <= 0 {
        out.push('0');
    } else {
        for k in 0..dp {
            out.push(digit_at(k));
        }
    }
    out.push('.');
    for k in 0..PRECISION {
        out.push(digit_at(dp + k));
    }
    out
}

/// Sorts the rendered values of a result as `rowsort` does: rows of
/// `ncol` values compared column by column with strcmp.
pub fn row_sort(values: &mut Vec<String>, ncol: usize) {
    if ncol == 0 || !values.len().is_multiple_of(ncol) {
        return;
    }
    let mut rows: Vec<Vec<String>> = Vec::with_capacity(values.len() / ncol);
    let mut it = std::mem::take(values).into_iter();
    loop {
        let row: Vec<String> = it.by_ref().take(ncol).collect();
        if row.is_empty() {
            break;
        }
        rows.push(row);
    }
    rows.sort();
    *values = rows.into_iter().flatten().collect();
}

/// `valuesort`: every value sorted independently.
pub fn value_sort(values: &mut [String]) {
    values.sort();
}

/// MD5 (lowercase hex) of every value followed by "\n".
pub fn md5_values<S: AsRef<str>>(values: &[S]) -> String {
    let mut h = Md5::new();
    for v in values {
        h.update(v.as_ref().as_bytes());
        h.update(b"\n");
    }
    hex(&h.finalize())
}

/// The line that stands for a hashed result.
pub fn hash_line(count: usize, md5: &str) -> String {
    format!("{count} values hashing to {md5}")
}

/// Parses `N values hashing to MD5` (like `sscanf("%*d values hashing to
/// %32s")`): returns the hash part.
pub fn parse_hash_line(line: &str) -> Option<String> {
    let mut t = line.split_ascii_whitespace();
    let n = t.next()?;
    let n = n.strip_prefix(['-', '+']).unwrap_or(n);
    if n.is_empty() || !n.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if t.next()? != "values" || t.next()? != "hashing" || t.next()? != "to" {
        return None;
    }
    Some(t.next()?.chars().take(32).collect())
}

fn hex(bytes: &[u8]) -> String {
    const H: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        s.push(H[(b >> 4) as usize] as char);
        s.push(H[(b & 15) as usize] as char);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_rendering() {
        assert_eq!(render_text(b""), "(empty)");
        assert_eq!(render_text(b"abc"), "abc");
        assert_eq!(render_text(b"a\tb\x7f~ "), "a@b@~ ");
        assert_eq!(render_text("é".as_bytes()), "@@");
        assert_eq!(render_text(b"ab\0cd"), "ab");
        assert_eq!(render_text(b"\0x"), "(empty)");
    }

    #[test]
    fn int_rendering() {
        assert_eq!(render_int(-5), "-5");
        assert_eq!(render_int(i32::MIN), "-2147483648");
    }

    #[test]
    fn real_rendering() {
        let cases: &[(f64, &str)] = &[
            (0.0, "0.000"),
            (-0.0, "0.000"),
            (1.0, "1.000"),
            (-1.5, "-1.500"),
            (2.0 / 3.0, "0.667"),
            (-2.0 / 3.0, "-0.667"),
            (0.0005, "0.001"),
            (0.00049, "0.000"),
            (0.0004, "0.000"),
            (0.00001, "0.000"),
            (-0.0001, "-0.000"),
            (9.9995, "9.999"), (9.9996, "10.000"),
            (999.9999, "1000.000"),
            (123456.789, "123456.789"),
            (1e15 + 0.25, "1000000000000000.000"), (1e14 + 0.25, "100000000000000.300"),
            (1234567890123456.7, "1234567890123457.000"),
            (1e20, "100000000000000000000.000"),
            (1e30, "1000000000000000000000000000000.000"),
            (f64::NAN, "NaN"),
            (f64::INFINITY, "Inf"),
            (f64::NEG_INFINITY, "-Inf"),
            (-63.5, "-63.500"),
            (33.333333333333336, "33.333"),
        ];
        for (v, want) in cases {
            assert_eq!(sqlite_fixed3(*v), *want, "value {v:e}");
        }
    }

    #[test]
    fn sorting() {
        let mut v: Vec<String> = ["b", "2", "a", "1", "a", "0"].iter().map(|s| s.to_string()).collect();
        row_sort(&mut v, 2);
        assert_eq!(v, ["a", "0", "a", "1", "b", "2"]);
        // strcmp order: "10" < "9"
        let mut v: Vec<String> = ["9", "10", "-1", "NULL"].iter().map(|s| s.to_string()).collect();
        value_sort(&mut v);
        assert_eq!(v, ["-1", "10", "9", "NULL"]);
        // A ragged result is left alone rather than panicking.
        let mut v: Vec<String> = ["b", "a", "c"].iter().map(|s| s.to_string()).collect();
        row_sort(&mut v, 2);
        assert_eq!(v.len(), 3);
    }

    #[test]
    fn hashing() {
        let none: [&str; 0] = [];
        assert_eq!(md5_values(&none), "d41d8cd98f00b204e9800998ecf8427e");
        // md5("1\n2\n")
        assert_eq!(md5_values(&["1", "2"]), "6ddb4095eb719e2a9f0a3f95677d24e0");
        assert_eq!(hash_line(2, "abc"), "2 values hashing to abc");
        assert_eq!(
            parse_hash_line("30 values hashing to 3c13dee48d9356ae19af2515e05e6b54").as_deref(),
            Some("3c13dee48d9356ae19af2515e05e6b54")
        );
        assert_eq!(parse_hash_line("1"), None);
        assert_eq!(parse_hash_line("x values hashing to y"), None);
    }
}
