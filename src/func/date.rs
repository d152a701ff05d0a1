//! Date and time functions: date, time, datetime, julianday, unixepoch,
//! strftime, timediff and current_date/current_time/current_timestamp.
//!
//! Times are held as SQLite holds them: a Julian day number in
//! milliseconds (`ijd`), and/or broken-down Y-M-D h:m:s fields, with
//! validity flags saying which representation is current. Conversions use
//! SQLite's formulas (Meeus' algorithm with C integer truncation) so
//! results match to the millisecond. Local time comes from
//! [`FuncEnv::local_time_offset`] (UTC unless the embedding says otherwise);
//! `'now'` from [`FuncEnv::current_time_ms`].

use super::FuncEnv;
use crate::error::{Error, Result};
use crate::util::atof::{atof, is_space};
use crate::util::printf::format_values;
use crate::util::real_same_as_int;
use crate::value::{Value, ValueRef};
use crate::vdbe::mem::{text_of, to_real};

/// Julian day (ms) of the Unix epoch.
const UNIX_EPOCH_JD_MS: i64 = 210866760000000;
/// Largest valid Julian day in ms: 9999-12-31 23:59:59.999.
const MAX_JD_MS: i64 = 464269060799999;

#[derive(Clone, Copy, Default, Debug)]
struct DateTime {
    ijd: i64,
    y: i32,
    mo: i32,
    d: i32,
    h: i32,
    mi: i32,
    /// Timezone offset in minutes.
    tz: i32,
    s: f64,
    valid_jd: bool,
    valid_ymd: bool,
    valid_hms: bool,
    n_floor: i32,
    raw_s: bool,
    is_error: bool,
    use_subsec: bool,
    is_utc: bool,
    is_local: bool,
}

#[inline]
fn at(z: &[u8], i: usize) -> u8 {
    z.get(i).copied().unwrap_or(0)
}

/// Reads fixed-width digit groups: each spec is (digits, min, max, the
/// separator that must follow or 0). Returns how many groups were read.
fn get_digits(z: &[u8], mut pos: usize, specs: &[(usize, i32, i32, u8)], out: &mut [i32]) -> usize {
    let mut cnt = 0;
    for (k, &(n, min, max, next)) in specs.iter().enumerate() {
        let mut val = 0i32;
        for _ in 0..n {
            let c = at(z, pos);
            if !c.is_ascii_digit() {
                return cnt;
            }
            val = val * 10 + (c - b'0') as i32;
            pos += 1;
        }
        if val < min || val > max || (next != 0 && next != at(z, pos)) {
            return cnt;
        }
        out[k] = val;
        pos += 1;
        cnt += 1;
    }
    cnt
}

const HH_MM: [(usize, i32, i32, u8); 2] = [(2, 0, 24, b':'), (2, 0, 59, 0)];

/// Parses an optional timezone suffix at `pos`. Returns true on error.
fn parse_timezone(z: &[u8], mut pos: usize, p: &mut DateTime) -> bool {
    while is_space(at(z, pos)) {
        pos += 1;
    }
    p.tz = 0;
    let c = at(z, pos);
    let sgn;
    if c == b'-' {
        sgn = -1;
    } else if c == b'+' {
        sgn = 1;
    } else if c == b'Z' || c == b'z' {
        pos += 1;
        p.is_local = false;
        p.is_utc = true;
        while is_space(at(z, pos)) {
            pos += 1;
        }
        return at(z, pos) != 0;
    } else {
        return c != 0;
    }
    pos += 1;
    let mut v = [0i32; 2];
    if get_digits(z, pos, &[(2, 0, 14, b':'), (2, 0, 59, 0)], &mut v) != 2 {
        return true;
    }
    pos += 5;
    p.tz = sgn * (v[1] + v[0] * 60);
    if p.tz == 0 {
        p.is_local = false;
        p.is_utc = true;
    }
    while is_space(at(z, pos)) {
        pos += 1;
    }
    at(z, pos) != 0
}

/// Parses `HH:MM[:SS[.fff]][tz]` at `pos`. Returns true on error.
fn parse_hh_mm_ss(z: &[u8], mut pos: usize, p: &mut DateTime) -> bool {
    let mut v = [0i32; 2];
    if get_digits(z, pos, &HH_MM, &mut v) != 2 {
        return true;
    }
    let (h, m) = (v[0], v[1]);
    pos += 5;
    let mut s = 0i32;
    let mut ms = 0.0f64;
    if at(z, pos) == b':' {
        pos += 1;
        let mut sv = [0i32; 1];
        if get_digits(z, pos, &[(2, 0, 59, 0)], &mut sv) != 1 {
            return true;
        }
        s = sv[0];
        pos += 2;
        if at(z, pos) == b'.' && at(z, pos + 1).is_ascii_digit() {
            let mut scale = 1.0f64;
            pos += 1;
            while at(z, pos).is_ascii_digit() {
                ms = ms * 10.0 + (at(z, pos) - b'0') as f64;
                scale *= 10.0;
                pos += 1;
            }
            ms /= scale;
            if ms > 0.999 {
                ms = 0.999;
            }
        }
    }
    if h == 24 && (m != 0 || s != 0 || ms != 0.0) {
        return true;
    }
    p.valid_jd = false;
    p.raw_s = false;
    p.valid_hms = true;
    p.h = h;
    p.mi = m;
    p.s = s as f64 + ms;
    parse_timezone(z, pos, p)
}

fn days_of_month(y: i32, m: i32) -> i32 {
    if (1 << m) & 0x15aa != 0 {
        31
    } else if m != 2 {
        30
    } else if y % 4 == 0 && (y % 100 != 0 || y % 400 == 0) {
        29
    } else {
        28
    }
}

fn compute_floor(p: &mut DateTime) {
    let mx = days_of_month(p.y, p.mo.clamp(0, 12));
    p.n_floor = if p.d > mx { p.d - mx } else { 0 };
}

fn set_error(p: &mut DateTime) {
    *p = DateTime { is_error: true, ..DateTime::default() };
}

fn compute_jd(p: &mut DateTime) {
    if p.valid_jd {
        return;
    }
    let (mut y, mut m, d);
    if p.valid_ymd {
        y = p.y;
        m = p.mo;
        d = p.d;
    } else {
        y = 2000;
        m = 1;
        d = if p.valid_hms && p.h == 24 {
            p.h = 0;
            2
        } else {
            1
        };
    }
    if !(-4713..=9999).contains(&y) || p.raw_s {
        set_error(p);
        return;
    }
    if m <= 2 {
        y -= 1;
        m += 12;
    }
    let a = (y + 4800) / 100;
    let b = 38 - a + (a / 4);
    let x1 = 36525 * (y + 4716) / 100;
    let x2 = 306001 * (m + 1) / 10000;
    p.ijd = (((x1 + x2 + d + b) as f64 - 1524.5) * 86400000.0) as i64;
    p.valid_jd = true;
    if p.valid_hms {
        p.ijd += (p.h * 3600000 + p.mi * 60000) as i64 + (p.s * 1000.0 + 0.5) as i64;
        if p.tz != 0 {
            p.ijd -= p.tz as i64 * 60000;
            p.valid_ymd = false;
            p.valid_hms = false;
            p.tz = 0;
            p.is_utc = true;
            p.is_local = false;
        }
    }
}

/// Parses `[-]YYYY-MM-DD[ T]*[HH:MM[:SS[.fff]]][tz]`. True on error.
fn parse_yyyy_mm_dd(z: &[u8], p: &mut DateTime) -> bool {
    let mut pos = 0;
    let neg = at(z, 0) == b'-';
    if neg {
        pos = 1;
    }
    let mut v = [0i32; 3];
    if get_digits(z, pos, &[(4, 0, 14712, b'-'), (2, 1, 12, b'-'), (2, 1, 31, 0)], &mut v) != 3 {
        return true;
    }
    let (mut y, mut m, mut d) = (v[0], v[1], v[2]);
    pos += 10;
    while is_space(at(z, pos)) || at(z, pos) == b'T' {
        pos += 1;
    }
    if !parse_hh_mm_ss(z, pos, p) {
        if p.h == 24 {
            let mx = days_of_month(y, m);
            p.h = 0;
            d += 1;
            if d > mx {
                d -= mx;
                m += 1;
                if m > 12 {
                    m = 1;
                    y += 1;
                }
            }
        }
    } else if at(z, pos) == 0 {
        p.valid_hms = false;
    } else {
        return true;
    }
    p.valid_jd = false;
    p.valid_ymd = true;
    p.y = if neg { -y } else { y };
    p.mo = m;
    p.d = d;
    compute_floor(p);
    if p.tz != 0 {
        compute_jd(p);
    }
    false
}

fn set_to_now(env: &mut dyn FuncEnv, p: &mut DateTime) -> bool {
    p.ijd = env.current_time_ms() + UNIX_EPOCH_JD_MS;
    if p.ijd > 0 {
        p.valid_jd = true;
        p.is_utc = true;
        p.is_local = false;
        clear_ymd_hms_tz(p);
        false
    } else {
        true
    }
}

fn set_raw_number(p: &mut DateTime, r: f64) {
    p.s = r;
    p.raw_s = true;
    if (0.0..5373484.5).contains(&r) {
        p.ijd = (r * 86400000.0 + 0.5) as i64;
        p.valid_jd = true;
    }
}

/// SQLite's check that a time-dependent input ('now', 'localtime', 'utc')
/// is not used where results must be deterministic.
fn check_pure(env: &dyn FuncEnv, fname: &str) -> Result<()> {
    match env.pure_context() {
        Some(ctx) => Err(Error::sql(format!("non-deterministic use of {fname}() in {ctx}"))),
        None => Ok(()),
    }
}

fn parse_date_or_time(env: &mut dyn FuncEnv, z: &[u8], p: &mut DateTime, fname: &str) -> Result<bool> {
    if !parse_yyyy_mm_dd(z, p) {
        return Ok(false);
    }
    if !parse_hh_mm_ss(z, 0, p) {
        return Ok(false);
    }
    if z.eq_ignore_ascii_case(b"now") {
        check_pure(env, fname)?;
        return Ok(set_to_now(env, p));
    }
    let (r, rc) = atof(z);
    if rc > 0 {
        set_raw_number(p, r);
        return Ok(false);
    }
    if z.eq_ignore_ascii_case(b"subsec") || z.eq_ignore_ascii_case(b"subsecond") {
        check_pure(env, fname)?;
        p.use_subsec = true;
        return Ok(set_to_now(env, p));
    }
    Ok(true)
}

fn valid_julian_day(ijd: i64) -> bool {
    (0..=MAX_JD_MS).contains(&ijd)
}

fn compute_ymd(p: &mut DateTime) {
    if p.valid_ymd {
        return;
    }
    if !p.valid_jd {
        p.y = 2000;
        p.mo = 1;
        p.d = 1;
    } else if !valid_julian_day(p.ijd) {
        set_error(p);
        return;
    } else {
        let z = ((p.ijd + 43200000) / 86400000) as i32;
        let alpha = ((z as f64 + 32044.75) / 36524.25) as i32 - 52;
        let a = z + 1 + alpha - ((alpha + 100) / 4) + 25;
        let b = a + 1524;
        let c = ((b as f64 - 122.1) / 365.25) as i32;
        let d = (36525 * (c & 32767)) / 100;
        let e = ((b - d) as f64 / 30.6001) as i32;
        let x1 = (30.6001 * e as f64) as i32;
        p.d = b - d - x1;
        p.mo = if e < 14 { e - 1 } else { e - 13 };
        p.y = if p.mo > 2 { c - 4716 } else { c - 4715 };
    }
    p.valid_ymd = true;
}

fn compute_hms(p: &mut DateTime) {
    if p.valid_hms {
        return;
    }
    compute_jd(p);
    let day_ms = ((p.ijd + 43200000) % 86400000) as i32;
    p.s = (day_ms % 60000) as f64 / 1000.0;
    let day_min = day_ms / 60000;
    p.mi = day_min % 60;
    p.h = day_min / 60;
    p.raw_s = false;
    p.valid_hms = true;
}

fn compute_ymd_hms(p: &mut DateTime) {
    compute_ymd(p);
    compute_hms(p);
}

fn clear_ymd_hms_tz(p: &mut DateTime) {
    p.valid_ymd = false;
    p.valid_hms = false;
    p.tz = 0;
}

/// Converts `p` (UTC) to local time through the environment's offset.
fn to_localtime(p: &mut DateTime, env: &mut dyn FuncEnv) -> Result<()> {
    compute_jd(p);
    let (t, year_diff);
    if p.ijd < 2108667600 * 100000 || p.ijd > 2130141456 * 100000 {
        // Outside 1970..2038: use an equivalent year near 2000.
        let mut x = *p;
        compute_ymd_hms(&mut x);
        year_diff = (2000 + x.y % 4) - x.y;
        x.y += year_diff;
        x.valid_jd = false;
        compute_jd(&mut x);
        t = x.ijd / 1000 - 21086676 * 10000;
    } else {
        year_diff = 0;
        t = p.ijd / 1000 - 21086676 * 10000;
    }
    let Some(off) = env.local_time_offset(t) else {
        return Err(Error::sql("local time unavailable"));
    };
    let mut l = DateTime { ijd: (t + off) * 1000 + UNIX_EPOCH_JD_MS, valid_jd: true, ..DateTime::default() };
    compute_ymd_hms(&mut l);
    p.y = l.y - year_diff;
    p.mo = l.mo;
    p.d = l.d;
    p.h = l.h;
    p.mi = l.mi;
    p.s = l.s.trunc() + (p.ijd % 1000) as f64 * 0.001;
    p.valid_ymd = true;
    p.valid_hms = true;
    p.valid_jd = false;
    p.raw_s = false;
    p.tz = 0;
    p.is_error = false;
    Ok(())
}

fn auto_adjust(p: &mut DateTime) {
    if !p.raw_s || p.valid_jd {
        p.raw_s = false;
    } else if p.s >= -21086676.0 * 10000.0 && p.s <= 25340230.0 * 10000.0 + 799.0 {
        let r = p.s * 1000.0 + 210866760000000.0;
        clear_ymd_hms_tz(p);
        p.ijd = (r + 0.5) as i64;
        p.valid_jd = true;
        p.raw_s = false;
    }
}

/// (name, limit, seconds per unit) for `NNN units` modifiers; the limits
/// are single-precision in SQLite and compared as such.
const XFORMS: [(&str, f32, f64); 6] = [
    ("second", 4.6427e+14, 1.0),
    ("minute", 7.7379e+12, 60.0),
    ("hour", 1.2897e+11, 3600.0),
    ("day", 5373485.0, 86400.0),
    ("month", 176546.0, 2592000.0),
    ("year", 14713.0, 31536000.0),
];

fn normalize_month(p: &mut DateTime) {
    let x = if p.mo > 0 { (p.mo - 1) / 12 } else { (p.mo - 12) / 12 };
    p.y += x;
    p.mo -= x * 12;
}

/// Applies one modifier. `Ok(true)` when it was not understood.
/// (Dispatch on the first letter, then the exact name, as SQLite reads it.)
#[allow(clippy::collapsible_match)]
fn parse_modifier(env: &mut dyn FuncEnv, z: &[u8], p: &mut DateTime, idx: usize, fname: &str) -> Result<bool> {
    let lower = z.to_ascii_lowercase();
    let zl: &[u8] = &lower;
    match zl.first().copied().unwrap_or(0) {
        b'a' => {
            if zl == b"auto" {
                if idx > 1 {
                    return Ok(true);
                }
                auto_adjust(p);
                return Ok(false);
            }
        }
        b'c' => {
            if zl == b"ceiling" {
                compute_jd(p);
                clear_ymd_hms_tz(p);
                p.n_floor = 0;
                return Ok(false);
            }
        }
        b'e' => {
            if let Some(rest) = zl.strip_prefix(b"end of ") {
                if !p.valid_jd && !p.valid_ymd && !p.valid_hms {
                    return Ok(true);
                }
                compute_ymd(p);
                p.valid_hms = true;
                p.h = 23;
                p.mi = 59;
                p.s = 59.999;
                p.raw_s = false;
                p.tz = 0;
                p.valid_jd = false;
                match rest {
                    b"month" => {
                        p.d = 1;
                        p.mo += 1;
                        if p.mo > 12 {
                            p.y += 1;
                            p.mo = 1;
                        }
                        compute_floor(p);
                        compute_jd(p);
                        p.ijd -= (p.n_floor as i64 + 1) * 86400000;
                        clear_ymd_hms_tz(p);
                        return Ok(false);
                    }
                    b"year" => {
                        p.mo = 12;
                        p.d = 31;
                        return Ok(false);
                    }
                    b"day" => return Ok(false),
                    _ => {}
                }
            }
        }
        b'f' => {
            if zl == b"floor" {
                compute_jd(p);
                p.ijd -= p.n_floor as i64 * 86400000;
                clear_ymd_hms_tz(p);
                return Ok(false);
            }
        }
        b'j' => {
            if zl == b"julianday" {
                if idx > 1 {
                    return Ok(true);
                }
                if p.valid_jd && p.raw_s {
                    p.raw_s = false;
                    return Ok(false);
                }
            }
        }
        b'l' => {
            if zl == b"localtime" {
                check_pure(env, fname)?;
                if !p.is_local {
                    to_localtime(p, env)?;
                }
                p.is_utc = false;
                p.is_local = true;
                return Ok(false);
            }
        }
        b'u' => {
            if zl == b"unixepoch" && p.raw_s {
                if idx > 1 {
                    return Ok(true);
                }
                let r = p.s * 1000.0 + 210866760000000.0;
                if (0.0..464269060800000.0).contains(&r) {
                    clear_ymd_hms_tz(p);
                    p.ijd = (r + 0.5) as i64;
                    p.valid_jd = true;
                    p.raw_s = false;
                    return Ok(false);
                }
            } else if zl == b"utc" {
                check_pure(env, fname)?;
                if !p.is_utc {
                    compute_jd(p);
                    let orig = p.ijd;
                    let mut guess = orig;
                    let mut err = 0i64;
                    let mut cnt = 0;
                    loop {
                        guess -= err;
                        let mut n = DateTime { ijd: guess, valid_jd: true, ..DateTime::default() };
                        to_localtime(&mut n, env)?;
                        compute_jd(&mut n);
                        err = n.ijd - orig;
                        if err == 0 || cnt >= 3 {
                            break;
                        }
                        cnt += 1;
                    }
                    *p = DateTime { ijd: guess, valid_jd: true, is_utc: true, ..DateTime::default() };
                }
                return Ok(false);
            }
        }
        b'w' => {
            if let Some(rest) = zl.strip_prefix(b"weekday ") {
                let (r, rc) = atof(rest);
                let n = r as i32;
                if rc > 0 && (-6.0..=6.0).contains(&r) && real_same_as_int(r, n as i64) {
                    compute_ymd_hms(p);
                    p.tz = 0;
                    p.valid_jd = false;
                    compute_jd(p);
                    let mut zd = ((p.ijd + 129600000) / 86400000) % 7;
                    let n = n.abs() as i64;
                    if zd != n {
                        if zd > n {
                            zd -= 7;
                        }
                        p.ijd += (n - zd) * 86400000;
                        if rest.contains(&b'-') {
                            p.ijd -= 7 * 86400000;
                        }
                    }
                    clear_ymd_hms_tz(p);
                    return Ok(false);
                }
            }
        }
        b's' => {
            let Some(rest) = zl.strip_prefix(b"start of ") else {
                if zl == b"subsec" || zl == b"subsecond" {
                    p.use_subsec = true;
                    return Ok(false);
                }
                return Ok(true);
            };
            if !p.valid_jd && !p.valid_ymd && !p.valid_hms {
                return Ok(true);
            }
            compute_ymd(p);
            p.valid_hms = true;
            p.h = 0;
            p.mi = 0;
            p.s = 0.0;
            p.raw_s = false;
            p.tz = 0;
            p.valid_jd = false;
            match rest {
                b"month" => {
                    p.d = 1;
                    return Ok(false);
                }
                b"year" => {
                    p.mo = 1;
                    p.d = 1;
                    return Ok(false);
                }
                b"day" => return Ok(false),
                _ => {}
            }
        }
        b'+' | b'-' | b'0'..=b'9' => return Ok(numeric_modifier(z, p)),
        _ => {}
    }
    Ok(true)
}

/// `±NNN units`, `±HH:MM[:SS.fff]`, `±YYYY-MM-DD[ HH:MM[:SS.fff]]`.
/// Returns true when not understood.
fn numeric_modifier(z: &[u8], p: &mut DateTime) -> bool {
    let z0 = at(z, 0);
    let mut n = 1usize;
    let mut ybuf = [0i32; 3];
    while at(z, n) != 0 {
        let c = at(z, n);
        if c == b':' || is_space(c) {
            break;
        }
        if c == b'-' {
            if n == 5 && get_digits(z, 1, &[(4, 0, 14712, 0)], &mut ybuf) == 1 {
                break;
            }
            if n == 6 && get_digits(z, 1, &[(5, 0, 14712, 0)], &mut ybuf) == 1 {
                break;
            }
        }
        n += 1;
    }
    let (r, rc) = atof(&z[..n.min(z.len())]);
    if rc <= 0 {
        return true;
    }
    let mut z2_start = 0usize;
    let mut zz = z;
    if at(z, n) == b'-' {
        if z0 != b'+' && z0 != b'-' {
            return true;
        }
        let mut v = [0i32; 3];
        if n == 5 {
            if get_digits(z, 1, &[(4, 0, 14712, b'-'), (2, 0, 12, b'-'), (2, 0, 31, 0)], &mut v) != 3 {
                return true;
            }
        } else {
            if get_digits(z, 1, &[(5, 0, 14712, b'-'), (2, 0, 12, b'-'), (2, 0, 31, 0)], &mut v) != 3 {
                return true;
            }
            zz = &z[1..];
        }
        let (y, m, mut d) = (v[0], v[1], v[2]);
        if m >= 12 || d >= 31 {
            return true;
        }
        compute_ymd_hms(p);
        p.valid_jd = false;
        if z0 == b'-' {
            p.y -= y;
            p.mo -= m;
            d = -d;
        } else {
            p.y += y;
            p.mo += m;
        }
        normalize_month(p);
        compute_floor(p);
        compute_jd(p);
        p.valid_hms = false;
        p.valid_ymd = false;
        p.ijd += d as i64 * 86400000;
        if at(zz, 11) == 0 {
            return false;
        }
        let mut hm = [0i32; 2];
        if is_space(at(zz, 11)) && get_digits(zz, 12, &HH_MM, &mut hm) == 2 {
            // Continue with the time part.
            let base = z.len() - zz.len();
            z2_start = base + 12;
            n = 2;
        } else {
            return true;
        }
    }
    if at(z, z2_start + n) == b':' {
        let mut s = z2_start;
        if !at(z, s).is_ascii_digit() {
            s += 1;
        }
        let mut tx = DateTime::default();
        if parse_hh_mm_ss(z, s, &mut tx) {
            return true;
        }
        compute_jd(&mut tx);
        tx.ijd -= 43200000;
        let day = tx.ijd / 86400000;
        tx.ijd -= day * 86400000;
        if z0 == b'-' {
            tx.ijd = -tx.ijd;
        }
        compute_jd(p);
        clear_ymd_hms_tz(p);
        p.ijd += tx.ijd;
        return false;
    }
    // NNN units
    let mut rest = &z[n.min(z.len())..];
    while let Some((&c, tail)) = rest.split_first() {
        if !is_space(c) {
            break;
        }
        rest = tail;
    }
    let rest = &rest[..rest.iter().position(|&c| c == 0).unwrap_or(rest.len())];
    let mut len = rest.len();
    if !(3..=10).contains(&len) {
        return true;
    }
    if rest[len - 1].eq_ignore_ascii_case(&b's') {
        len -= 1;
    }
    let unit = &rest[..len];
    compute_jd(p);
    let rounder = if r < 0.0 { -0.5 } else { 0.5 };
    p.n_floor = 0;
    let mut r = r;
    let mut bad = true;
    for (i, &(name, limit, xform)) in XFORMS.iter().enumerate() {
        let limit = limit as f64;
        if name.len() == unit.len() && name.as_bytes().eq_ignore_ascii_case(unit) && r > -limit && r < limit {
            if i == 4 {
                compute_ymd_hms(p);
                p.mo += r as i32;
                normalize_month(p);
                compute_floor(p);
                p.valid_jd = false;
                r -= (r as i32) as f64;
            } else if i == 5 {
                compute_ymd_hms(p);
                p.y += r as i32;
                compute_floor(p);
                p.valid_jd = false;
                r -= (r as i32) as f64;
            }
            compute_jd(p);
            p.ijd += (r * 1000.0 * xform + rounder) as i64;
            bad = false;
            break;
        }
    }
    clear_ymd_hms_tz(p);
    bad
}

/// Reads the time value and modifiers. `Ok(None)` means "result NULL".
fn is_date(env: &mut dyn FuncEnv, args: &[Value], fname: &str) -> Result<Option<DateTime>> {
    let mut p = DateTime::default();
    if args.is_empty() {
        check_pure(env, fname)?;
        if set_to_now(env, &mut p) {
            return Ok(None);
        }
        return Ok(Some(p));
    }
    match args[0].as_ref() {
        ValueRef::Integer(_) | ValueRef::Real(_) => set_raw_number(&mut p, to_real(args[0].as_ref())),
        ValueRef::Null => return Ok(None),
        v => {
            let t = text_of(v);
            let z = &t[..t.iter().position(|&c| c == 0).unwrap_or(t.len())];
            if parse_date_or_time(env, z, &mut p, fname)? {
                return Ok(None);
            }
        }
    }
    for (i, a) in args.iter().enumerate().skip(1) {
        if a.is_null() {
            return Ok(None);
        }
        let t = text_of(a.as_ref());
        let z = &t[..t.iter().position(|&c| c == 0).unwrap_or(t.len())];
        if parse_modifier(env, z, &mut p, i, fname)? {
            return Ok(None);
        }
    }
    compute_jd(&mut p);
    if p.is_error || !valid_julian_day(p.ijd) {
        return Ok(None);
    }
    if args.len() == 1 && p.valid_ymd && p.d > 28 {
        p.valid_ymd = false;
    }
    Ok(Some(p))
}

fn push2(out: &mut Vec<u8>, v: i32) {
    out.push(b'0' + ((v / 10) % 10) as u8);
    out.push(b'0' + (v % 10) as u8);
}

fn push_date(out: &mut Vec<u8>, p: &DateTime) {
    let y = p.y.abs();
    if p.y < 0 {
        out.push(b'-');
    }
    push2(out, y / 100);
    push2(out, y % 100);
    out.push(b'-');
    push2(out, p.mo);
    out.push(b'-');
    push2(out, p.d);
}

fn push_time(out: &mut Vec<u8>, p: &DateTime) {
    push2(out, p.h);
    out.push(b':');
    push2(out, p.mi);
    out.push(b':');
    if p.use_subsec {
        let s = (1000.0 * p.s + 0.5) as i32;
        push2(out, s / 1000);
        out.push(b'.');
        out.push(b'0' + ((s / 100) % 10) as u8);
        push2(out, s % 100);
    } else {
        push2(out, p.s as i32);
    }
}

/// `julianday(...)`.
pub fn julianday(args: &[Value], env: &mut dyn FuncEnv) -> Result<Value> {
    Ok(match is_date(env, args, "julianday")? {
        Some(p) => Value::Real(p.ijd as f64 / 86400000.0),
        None => Value::Null,
    })
}

/// `unixepoch(...)`: integer seconds, REAL with the `subsec` modifier.
pub fn unixepoch(args: &[Value], env: &mut dyn FuncEnv) -> Result<Value> {
    Ok(match is_date(env, args, "unixepoch")? {
        Some(p) if p.use_subsec => Value::Real((p.ijd - UNIX_EPOCH_JD_MS) as f64 / 1000.0),
        Some(p) => Value::Integer(p.ijd / 1000 - 21086676 * 10000),
        None => Value::Null,
    })
}

/// `datetime(...)`: `YYYY-MM-DD HH:MM:SS[.SSS]`.
pub fn datetime(args: &[Value], env: &mut dyn FuncEnv) -> Result<Value> {
    let Some(mut p) = is_date(env, args, "datetime")? else { return Ok(Value::Null) };
    compute_ymd_hms(&mut p);
    let mut out = Vec::with_capacity(24);
    push_date(&mut out, &p);
    out.push(b' ');
    push_time(&mut out, &p);
    Ok(Value::Text(out))
}

/// `time(...)`: `HH:MM:SS[.SSS]`.
pub fn time(args: &[Value], env: &mut dyn FuncEnv) -> Result<Value> {
    let Some(mut p) = is_date(env, args, "time")? else { return Ok(Value::Null) };
    compute_hms(&mut p);
    let mut out = Vec::with_capacity(12);
    push_time(&mut out, &p);
    Ok(Value::Text(out))
}

/// `date(...)`: `YYYY-MM-DD`.
pub fn date(args: &[Value], env: &mut dyn FuncEnv) -> Result<Value> {
    let Some(mut p) = is_date(env, args, "date")? else { return Ok(Value::Null) };
    compute_ymd(&mut p);
    let mut out = Vec::with_capacity(11);
    push_date(&mut out, &p);
    Ok(Value::Text(out))
}

pub fn current_date(_args: &[Value], env: &mut dyn FuncEnv) -> Result<Value> {
    render_now(env, "current_date", |o, p| push_date(o, p))
}
pub fn current_time(_args: &[Value], env: &mut dyn FuncEnv) -> Result<Value> {
    render_now(env, "current_time", |o, p| push_time(o, p))
}
pub fn current_timestamp(_args: &[Value], env: &mut dyn FuncEnv) -> Result<Value> {
    render_now(env, "current_timestamp", |o, p| {
        push_date(o, p);
        o.push(b' ');
        push_time(o, p);
    })
}

fn render_now(env: &mut dyn FuncEnv, fname: &str, f: fn(&mut Vec<u8>, &DateTime)) -> Result<Value> {
    let Some(mut p) = is_date(env, &[], fname)? else { return Ok(Value::Null) };
    compute_ymd_hms(&mut p);
    let mut out = Vec::with_capacity(24);
    f(&mut out, &p);
    Ok(Value::Text(out))
}

fn days_after_jan01(p: &DateTime) -> i64 {
    let mut j = *p;
    j.valid_jd = false;
    j.mo = 1;
    j.d = 1;
    compute_jd(&mut j);
    (p.ijd - j.ijd + 43200000) / 86400000
}

fn days_after_monday(p: &DateTime) -> i64 {
    ((p.ijd + 43200000) / 86400000) % 7
}

fn days_after_sunday(p: &DateTime) -> i64 {
    ((p.ijd + 129600000) / 86400000) % 7
}

fn fmt1(f: &str, v: Value) -> Vec<u8> {
    format_values(f.as_bytes(), &[v], 1 << 20).unwrap_or_default()
}

/// The Thursday of `p`'s ISO week.
fn iso_thursday(p: &DateTime) -> DateTime {
    let mut y = *p;
    y.ijd += (3 - days_after_monday(p)) * 86400000;
    y.valid_ymd = false;
    compute_ymd(&mut y);
    y
}

/// `strftime(format, time, modifiers...)`.
pub fn strftime(args: &[Value], env: &mut dyn FuncEnv) -> Result<Value> {
    let Some(f) = args.first() else { return Ok(Value::Null) };
    if f.is_null() {
        return Ok(Value::Null);
    }
    let Some(mut x) = is_date(env, &args[1..], "strftime")? else { return Ok(Value::Null) };
    let ft = text_of(f.as_ref());
    let fmt = &ft[..ft.iter().position(|&c| c == 0).unwrap_or(ft.len())];
    compute_jd(&mut x);
    compute_ymd_hms(&mut x);
    let i = |v: i32| Value::Integer(v as i64);
    let mut out = Vec::with_capacity(fmt.len() + 16);
    let mut k = 0;
    while k < fmt.len() {
        if fmt[k] != b'%' {
            out.push(fmt[k]);
            k += 1;
            continue;
        }
        let cf = at(fmt, k + 1);
        k += 2;
        match cf {
            b'd' => out.extend(fmt1("%02d", i(x.d))),
            b'e' => out.extend(fmt1("%2d", i(x.d))),
            b'f' => out.extend(fmt1("%06.3f", Value::Real(x.s.min(59.999)))),
            b'F' => {
                out.extend(fmt1("%04d", i(x.y)));
                out.extend(fmt1("-%02d", i(x.mo)));
                out.extend(fmt1("-%02d", i(x.d)));
            }
            b'G' => out.extend(fmt1("%04d", i(iso_thursday(&x).y))),
            b'g' => out.extend(fmt1("%02d", i(iso_thursday(&x).y % 100))),
            b'H' => out.extend(fmt1("%02d", i(x.h))),
            b'k' => out.extend(fmt1("%2d", i(x.h))),
            b'I' | b'l' => {
                let mut h = x.h;
                if h > 12 {
                    h -= 12;
                }
                if h == 0 {
                    h = 12;
                }
                out.extend(fmt1(if cf == b'I' { "%02d" } else { "%2d" }, i(h)));
            }
            b'j' => out.extend(fmt1("%03d", Value::Integer(days_after_jan01(&x) + 1))),
            b'J' => out.extend(fmt1("%.16g", Value::Real(x.ijd as f64 / 86400000.0))),
            b'm' => out.extend(fmt1("%02d", i(x.mo))),
            b'M' => out.extend(fmt1("%02d", i(x.mi))),
            b'p' => out.extend_from_slice(if x.h >= 12 { b"PM" } else { b"AM" }),
            b'P' => out.extend_from_slice(if x.h >= 12 { b"pm" } else { b"am" }),
            b'R' => {
                out.extend(fmt1("%02d", i(x.h)));
                out.extend(fmt1(":%02d", i(x.mi)));
            }
            b's' => {
                if x.use_subsec {
                    out.extend(fmt1("%.3f", Value::Real((x.ijd - UNIX_EPOCH_JD_MS) as f64 / 1000.0)));
                } else {
                    out.extend((x.ijd / 1000 - 21086676 * 10000).to_string().bytes());
                }
            }
            b'S' => out.extend(fmt1("%02d", i(x.s as i32))),
            b'T' => {
                out.extend(fmt1("%02d", i(x.h)));
                out.extend(fmt1(":%02d", i(x.mi)));
                out.extend(fmt1(":%02d", i(x.s as i32)));
            }
            b'u' | b'w' => {
                let mut c = days_after_sunday(&x) as u8 + b'0';
                if c == b'0' && cf == b'u' {
                    c = b'7';
                }
                out.push(c);
            }
            b'U' => out.extend(fmt1("%02d", Value::Integer((days_after_jan01(&x) - days_after_sunday(&x) + 7) / 7))),
            b'V' => {
                let y = iso_thursday(&x);
                out.extend(fmt1("%02d", Value::Integer(days_after_jan01(&y) / 7 + 1)));
            }
            b'W' => out.extend(fmt1("%02d", Value::Integer((days_after_jan01(&x) - days_after_monday(&x) + 7) / 7))),
            b'Y' => out.extend(fmt1("%04d", i(x.y))),
            b'%' => out.push(b'%'),
            _ => return Ok(Value::Null),
        }
    }
    Ok(Value::Text(out))
}

/// `timediff(a, b)`: `±YYYY-MM-DD HH:MM:SS.SSS` from b to a.
pub fn timediff(args: &[Value], env: &mut dyn FuncEnv) -> Result<Value> {
    let (Some(a), Some(b)) = (args.first(), args.get(1)) else { return Ok(Value::Null) };
    let Some(mut d1) = is_date(env, std::slice::from_ref(a), "timediff")? else { return Ok(Value::Null) };
    let Some(mut d2) = is_date(env, std::slice::from_ref(b), "timediff")? else { return Ok(Value::Null) };
    compute_ymd_hms(&mut d1);
    compute_ymd_hms(&mut d2);
    let sign;
    let (mut y, mut m);
    if d1.ijd >= d2.ijd {
        sign = b'+';
        y = d1.y - d2.y;
        if y != 0 {
            d2.y = d1.y;
            d2.valid_jd = false;
            compute_jd(&mut d2);
        }
        m = d1.mo - d2.mo;
        if m < 0 {
            y -= 1;
            m += 12;
        }
        if m != 0 {
            d2.mo = d1.mo;
            d2.valid_jd = false;
            compute_jd(&mut d2);
        }
        while d1.ijd < d2.ijd {
            m -= 1;
            if m < 0 {
                m = 11;
                y -= 1;
            }
            d2.mo -= 1;
            if d2.mo < 1 {
                d2.mo = 12;
                d2.y -= 1;
            }
            d2.valid_jd = false;
            compute_jd(&mut d2);
        }
        d1.ijd -= d2.ijd;
    } else {
        sign = b'-';
        y = d2.y - d1.y;
        if y != 0 {
            d2.y = d1.y;
            d2.valid_jd = false;
            compute_jd(&mut d2);
        }
        m = d2.mo - d1.mo;
        if m < 0 {
            y -= 1;
            m += 12;
        }
        if m != 0 {
            d2.mo = d1.mo;
            d2.valid_jd = false;
            compute_jd(&mut d2);
        }
        while d1.ijd > d2.ijd {
            m -= 1;
            if m < 0 {
                m = 11;
                y -= 1;
            }
            d2.mo += 1;
            if d2.mo > 12 {
                d2.mo = 1;
                d2.y += 1;
            }
            d2.valid_jd = false;
            compute_jd(&mut d2);
        }
        d1.ijd = d2.ijd - d1.ijd;
    }
    d1.ijd += 1486995408 * 100000;
    clear_ymd_hms_tz(&mut d1);
    compute_ymd_hms(&mut d1);
    let out = format_values(
        b"%c%04d-%02d-%02d %02d:%02d:%06.3f",
        &[
            Value::Text(vec![sign]),
            Value::Integer(y as i64),
            Value::Integer(m as i64),
            Value::Integer(d1.d as i64 - 1),
            Value::Integer(d1.h as i64),
            Value::Integer(d1.mi as i64),
            Value::Real(d1.s),
        ],
        1 << 20,
    )?;
    Ok(Value::Text(out))
}
