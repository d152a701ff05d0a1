//! SQLite's printf language, shared by the SQL `printf()`/`format()`
//! functions and the C API's `sqlite3_mprintf` family.
//!
//! Arguments come from a [`PrintfArgs`] source: [`ValueArgs`] reads SQL
//! values (missing arguments read as 0 / 0.0 / NULL, as in SQLite), and the
//! C layer implements the trait over a `va_list`. Output is raw bytes.
//!
//! Supported: `%d %i %u %x %X %o %p %r %c %s %z %q %Q %w %j %J %f %e %E
//! %g %G %n %%`, flags `- + space # ! 0 ,`, width and precision (also
//! `*`), and the `l`/`ll` size modifiers. An unknown conversion ends the
//! output there, as SQLite does. Output longer than the caller's limit
//! gives `SQLITE_TOOBIG`.

use super::fpdecode::FpDecode;
use crate::error::{code, Error, Result};
use crate::value::Value;
use std::borrow::Cow;

/// Flag bits for [`format_float`].
pub const FLAG_LEFT: u32 = 1;
pub const FLAG_PLUS: u32 = 2;
pub const FLAG_SPACE: u32 = 4;
pub const FLAG_ALT: u32 = 8;
pub const FLAG_ALTFORM2: u32 = 16;
pub const FLAG_ZEROPAD: u32 = 32;
pub const FLAG_THOUSANDS: u32 = 64;

/// Where printf gets its arguments from.
pub trait PrintfArgs {
    /// The next integer argument. `long` is 0 (`int`), 1 (`l`) or 2
    /// (`ll`); `signed` tells whether the conversion is signed (a C source
    /// must sign- or zero-extend accordingly).
    fn next_int(&mut self, long: u8, signed: bool) -> i64;
    /// The next floating-point argument.
    fn next_double(&mut self) -> f64;
    /// The next string argument; `None` is a NULL pointer / SQL NULL.
    fn next_text(&mut self) -> Option<Cow<'_, [u8]>>;
    /// The next `%c` argument as the UTF-8 bytes of one character. SQL
    /// sources give the first character of a text (a NUL byte for NULL);
    /// C sources encode the `unsigned int` code point.
    fn next_char(&mut self) -> Vec<u8>;
    /// `%n`: the number of bytes output so far (C sources store it).
    fn set_count(&mut self, _n: usize) {}
    /// `%z`: the text just read is the caller's to free once used (C
    /// sources release it with sqlite3_free).
    fn release_text(&mut self) {}
}

/// Arguments from SQL values (the `printf()` / `format()` functions).
pub struct ValueArgs<'a> {
    args: &'a [Value],
    used: usize,
}

impl<'a> ValueArgs<'a> {
    pub fn new(args: &'a [Value]) -> ValueArgs<'a> {
        ValueArgs { args, used: 0 }
    }

    fn next(&mut self) -> Option<&'a Value> {
        let v = self.args.get(self.used);
        if v.is_some() {
            self.used += 1;
        }
        v
    }
}

impl PrintfArgs for ValueArgs<'_> {
    fn next_int(&mut self, _long: u8, _signed: bool) -> i64 {
        self.next().map(|v| crate::vdbe::mem::to_integer(v.as_ref())).unwrap_or(0)
    }
    fn next_double(&mut self) -> f64 {
        self.next().map(|v| crate::vdbe::mem::to_real(v.as_ref())).unwrap_or(0.0)
    }
    fn next_text(&mut self) -> Option<Cow<'_, [u8]>> {
        match self.next() {
            None | Some(Value::Null) => None,
            Some(v) => Some(crate::vdbe::mem::text_of(v.as_ref())),
        }
    }
    fn next_char(&mut self) -> Vec<u8> {
        match self.next_text() {
            None => vec![0],
            Some(t) => {
                let t = t.into_owned();
                let end = t.iter().position(|&c| c == 0).unwrap_or(t.len());
                let t = &t[..end];
                if t.is_empty() {
                    return vec![0];
                }
                let mut n = 1;
                if t[0] & 0xc0 == 0xc0 {
                    while n < 4 && n < t.len() && t[n] & 0xc0 == 0x80 {
                        n += 1;
                    }
                }
                t[..n].to_vec()
            }
        }
    }
}

struct Out {
    buf: Vec<u8>,
    max: usize,
    too_big: bool,
}

impl Out {
    fn room(&mut self, n: usize) -> bool {
        if self.too_big || self.buf.len().saturating_add(n) > self.max {
            self.too_big = true;
            false
        } else {
            true
        }
    }
    fn push(&mut self, s: &[u8]) {
        if self.room(s.len()) {
            self.buf.extend_from_slice(s);
        }
    }
    fn pad(&mut self, n: i64, c: u8) {
        if n > 0 && self.room(n as usize) {
            self.buf.resize(self.buf.len() + n as usize, c);
        }
    }
}

const DIGITS_UPPER: &[u8] = b"0123456789ABCDEF";
const DIGITS_LOWER: &[u8] = b"0123456789abcdef";

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Decimal { signed: bool },
    Radix { base: u64, upper: bool, prefix: &'static [u8] },
    Ordinal,
    Pointer,
    Float(u8),
    Size,
    Percent,
    Char,
    Str,
    EscQ(u8),
    Json { quoted: bool },
}

fn kind_of(c: u8) -> Option<Kind> {
    Some(match c {
        b'd' | b'i' => Kind::Decimal { signed: true },
        b'u' => Kind::Decimal { signed: false },
        b'x' => Kind::Radix { base: 16, upper: false, prefix: b"0x" },
        b'X' => Kind::Radix { base: 16, upper: true, prefix: b"0X" },
        b'o' => Kind::Radix { base: 8, upper: false, prefix: b"0" },
        b'p' => Kind::Pointer,
        b'r' => Kind::Ordinal,
        b'f' | b'e' | b'E' | b'g' | b'G' => Kind::Float(c),
        b'n' => Kind::Size,
        b'%' => Kind::Percent,
        b'c' => Kind::Char,
        b's' | b'z' => Kind::Str,
        b'q' | b'Q' | b'w' => Kind::EscQ(c),
        b'j' => Kind::Json { quoted: false },
        b'J' => Kind::Json { quoted: true },
        _ => return None,
    })
}

/// Renders `fmt` with arguments from `args`. Output over `max_len` bytes
/// fails with `SQLITE_TOOBIG`.
pub fn format(fmt: &[u8], args: &mut dyn PrintfArgs, max_len: usize) -> Result<Vec<u8>> {
    let mut out = Out { buf: Vec::new(), max: max_len, too_big: false };
    run(fmt, args, &mut out);
    if out.too_big {
        return Err(Error::code(code::TOOBIG));
    }
    Ok(out.buf)
}

fn run(fmt: &[u8], args: &mut dyn PrintfArgs, out: &mut Out) {
    let at = |i: usize| fmt.get(i).copied().unwrap_or(0);
    let mut i = 0usize;
    while i < fmt.len() {
        if out.too_big {
            return;
        }
        if fmt[i] != b'%' {
            let start = i;
            while i < fmt.len() && fmt[i] != b'%' {
                i += 1;
            }
            out.push(&fmt[start..i]);
            continue;
        }
        i += 1;
        let mut c = at(i);
        if c == 0 {
            out.push(b"%");
            return;
        }
        let mut flags = 0u32;
        let mut width: i64 = 0;
        let mut precision: i64 = -1;
        let mut long = 0u8;
        loop {
            let mut done = false;
            match c {
                b'-' => flags |= FLAG_LEFT,
                b'+' => flags = (flags & !FLAG_SPACE) | FLAG_PLUS,
                b' ' => flags = (flags & !FLAG_PLUS) | FLAG_SPACE,
                b'#' => flags |= FLAG_ALT,
                b'!' => flags |= FLAG_ALTFORM2,
                b'0' => flags |= FLAG_ZEROPAD,
                b',' => flags |= FLAG_THOUSANDS,
                b'l' => {
                    long = 1;
                    i += 1;
                    c = at(i);
                    if c == b'l' {
                        i += 1;
                        c = at(i);
                        long = 2;
                    }
                    done = true;
                }
                b'1'..=b'9' => {
                    let mut wx: u32 = (c - b'0') as u32;
                    loop {
                        i += 1;
                        c = at(i);
                        if c.is_ascii_digit() {
                            wx = wx.wrapping_mul(10).wrapping_add((c - b'0') as u32);
                        } else {
                            break;
                        }
                    }
                    width = (wx & 0x7fff_ffff) as i64;
                    if c != b'.' && c != b'l' {
                        done = true;
                    } else {
                        i -= 1;
                    }
                }
                b'*' => {
                    let w = args.next_int(0, true) as i32 as i64;
                    width = w;
                    if width < 0 {
                        flags |= FLAG_LEFT;
                        width = if width >= -2147483647 { -width } else { 0 };
                    }
                    let nx = at(i + 1);
                    if nx != b'.' && nx != b'l' {
                        i += 1;
                        c = at(i);
                        done = true;
                    }
                }
                b'.' => {
                    i += 1;
                    c = at(i);
                    if c == b'*' {
                        precision = args.next_int(0, true) as i32 as i64;
                        if precision < 0 {
                            precision = if precision >= -2147483647 { -precision } else { -1 };
                        }
                        i += 1;
                        c = at(i);
                    } else {
                        let mut px: u32 = 0;
                        while c.is_ascii_digit() {
                            px = px.wrapping_mul(10).wrapping_add((c - b'0') as u32);
                            i += 1;
                            c = at(i);
                        }
                        precision = (px & 0x7fff_ffff) as i64;
                    }
                    if c == b'l' {
                        i -= 1;
                    } else {
                        done = true;
                    }
                }
                _ => done = true,
            }
            if done {
                break;
            }
            i += 1;
            c = at(i);
            if c == 0 {
                break;
            }
        }
        // `i` indexes the conversion character.
        let Some(kind) = kind_of(c) else { return };
        i += 1;
        match kind {
            Kind::Decimal { .. } | Kind::Radix { .. } | Kind::Ordinal | Kind::Pointer => {
                let mut flags = flags;
                let (signed, base, upper, alt_prefix): (bool, u64, bool, &[u8]) = match kind {
                    Kind::Decimal { signed } => (signed, 10, false, b""),
                    Kind::Radix { base, upper, prefix } => (false, base, upper, prefix),
                    Kind::Ordinal => (true, 10, false, b""),
                    _ => (false, 16, true, b""),
                };
                if !matches!(kind, Kind::Decimal { .. }) {
                    flags &= !FLAG_THOUSANDS;
                }
                let long = if matches!(kind, Kind::Pointer) { 2 } else { long };
                let v = args.next_int(long, signed);
                let (mut uv, prefix) = if signed {
                    if v < 0 {
                        ((v as u64).wrapping_neg(), Some(b'-'))
                    } else {
                        (v as u64, sign_flag(flags))
                    }
                } else {
                    (v as u64, None)
                };
                let mut precision = precision;
                if uv == 0 {
                    flags &= !FLAG_ALT;
                }
                if flags & FLAG_ZEROPAD != 0 && precision < width - prefix.is_some() as i64 {
                    precision = width - prefix.is_some() as i64;
                }
                if precision > 0 && !out.room(precision as usize) {
                    return;
                }
                let mut digits: Vec<u8> = Vec::with_capacity(24);
                if matches!(kind, Kind::Ordinal) {
                    let x = (uv % 10) as usize;
                    let x = if x >= 4 || (uv / 10) % 10 == 1 { 0 } else { x };
                    let suffix: &[u8] = [b"th", b"st", b"nd", b"rd"][x];
                    digits.push(suffix[1]);
                    digits.push(suffix[0]);
                }
                let set = if upper { DIGITS_UPPER } else { DIGITS_LOWER };
                let mut ndig = 0i64;
                loop {
                    digits.push(set[(uv % base) as usize]);
                    uv /= base;
                    ndig += 1;
                    if uv == 0 {
                        break;
                    }
                }
                let mut length = ndig;
                let _ = length;
                // digits is reversed; zero pad to precision.
                let mut body: Vec<u8> = Vec::with_capacity(digits.len() + 8);
                let suffix_len = if matches!(kind, Kind::Ordinal) { 2 } else { 0 };
                let num: Vec<u8> = digits[suffix_len..].iter().rev().copied().collect();
                // The ordinal suffix counts towards the precision, as in SQLite.
                let counted = ndig + suffix_len as i64;
                let mut num = if precision > counted {
                    let mut z = vec![b'0'; (precision - counted) as usize];
                    z.extend_from_slice(&num);
                    z
                } else {
                    num
                };
                length = num.len() as i64;
                if flags & FLAG_THOUSANDS != 0 && length > 3 {
                    let mut grouped = Vec::with_capacity(num.len() + num.len() / 3);
                    let first = ((length - 1) % 3 + 1) as usize;
                    grouped.extend_from_slice(&num[..first]);
                    let mut k = first;
                    while k < num.len() {
                        grouped.push(b',');
                        grouped.extend_from_slice(&num[k..k + 3]);
                        k += 3;
                    }
                    num = grouped;
                }
                if flags & FLAG_ALT != 0 && !alt_prefix.is_empty() {
                    body.extend_from_slice(alt_prefix);
                }
                if let Some(p) = prefix {
                    body.push(p);
                }
                body.extend_from_slice(&num);
                if suffix_len > 0 {
                    body.push(digits[1]);
                    body.push(digits[0]);
                }
                emit(out, &body, width, flags);
            }
            Kind::Float(x) => {
                let r = args.next_double();
                // Size check before rendering: huge widths or precisions must
                // fail with TOOBIG rather than allocate.
                let exp10 = if r.is_finite() && r != 0.0 { r.abs().log10().max(0.0) as usize } else { 0 };
                let need = width.max(0) as usize + precision.clamp(0, 100_000_000) as usize + exp10 + 10;
                if !out.room(need) {
                    return;
                }
                format_float(&mut out.buf, r, x, precision, width, flags);
                if out.buf.len() > out.max {
                    out.too_big = true;
                }
            }
            Kind::Size => args.set_count(out.buf.len()),
            Kind::Percent => emit(out, b"%", width, flags),
            Kind::Char => {
                let ch = args.next_char();
                let mut width = width;
                if precision > 1 {
                    width -= precision - 1;
                    if width > 1 && flags & FLAG_LEFT == 0 {
                        out.pad(width - 1, b' ');
                        width = 0;
                    }
                    let total = (precision - 1) as usize;
                    if !out.room(ch.len().saturating_mul(total)) {
                        return;
                    }
                    for _ in 0..total {
                        out.buf.extend_from_slice(&ch);
                    }
                }
                let width = width + continuation_bytes(&ch);
                emit(out, &ch, width, flags);
            }
            Kind::Str => {
                let text = args.next_text();
                let s: &[u8] = match &text {
                    Some(t) => t,
                    None => b"",
                };
                let s = &s[..s.iter().position(|&c| c == 0).unwrap_or(s.len())];
                let length = if precision >= 0 {
                    if flags & FLAG_ALTFORM2 != 0 {
                        utf8_prefix_len(s, precision as usize)
                    } else {
                        s.len().min(precision as usize)
                    }
                } else {
                    s.len()
                };
                let body = &s[..length];
                let mut width = width;
                if flags & FLAG_ALTFORM2 != 0 && width > 0 {
                    width += continuation_bytes(body);
                }
                emit(out, body, width, flags);
                drop(text);
                if c == b'z' {
                    args.release_text();
                }
            }
            Kind::EscQ(q) => {
                let text = args.next_text();
                let body = escape_quoted(text.as_deref(), q, precision, flags);
                let mut width = width;
                if flags & FLAG_ALTFORM2 != 0 && width > 0 {
                    width += continuation_bytes(&body);
                }
                emit(out, &body, width, flags);
            }
            Kind::Json { quoted } => {
                let text = args.next_text();
                let body = escape_json(text.as_deref(), quoted, precision, flags);
                let mut len = body.len() as i64;
                if flags & FLAG_ALTFORM2 != 0 {
                    len -= continuation_bytes(&body);
                }
                if width > len {
                    let sp = width - len;
                    if flags & FLAG_LEFT != 0 || body.is_empty() {
                        out.push(&body);
                        out.pad(sp, b' ');
                    } else {
                        out.pad(sp, b' ');
                        out.push(&body);
                    }
                } else {
                    out.push(&body);
                }
            }
        }
    }
}

fn sign_flag(flags: u32) -> Option<u8> {
    if flags & FLAG_PLUS != 0 {
        Some(b'+')
    } else if flags & FLAG_SPACE != 0 {
        Some(b' ')
    } else {
        None
    }
}

fn continuation_bytes(s: &[u8]) -> i64 {
    s.iter().filter(|&&c| c & 0xc0 == 0x80).count() as i64
}

/// Byte length of the first `chars` UTF-8 characters of `s`.
fn utf8_prefix_len(s: &[u8], chars: usize) -> usize {
    let mut i = 0;
    let mut n = 0;
    while n < chars && i < s.len() {
        let c = s[i];
        i += 1;
        if c >= 0xc0 {
            while i < s.len() && s[i] & 0xc0 == 0x80 {
                i += 1;
            }
        }
        n += 1;
    }
    i
}

fn emit(out: &mut Out, body: &[u8], width: i64, flags: u32) {
    let pad = width - body.len() as i64;
    if pad > 0 {
        if flags & FLAG_LEFT == 0 {
            out.pad(pad, b' ');
        }
        out.push(body);
        if flags & FLAG_LEFT != 0 {
            out.pad(pad, b' ');
        }
    } else {
        out.push(body);
    }
}

const HEX: &[u8] = b"0123456789abcdef";

fn escape_quoted(text: Option<&[u8]>, conv: u8, precision: i64, flags: u32) -> Vec<u8> {
    let (s, mut need_quote): (&[u8], u8) = match text {
        None => (if conv == b'Q' { b"NULL" } else { b"(NULL)" }, 0),
        Some(t) => (t, (conv == b'Q') as u8),
    };
    let s = &s[..s.iter().position(|&c| c == 0).unwrap_or(s.len())];
    let q = if conv == b'w' { b'"' } else { b'\'' };
    let mut alt = flags & FLAG_ALT != 0 && conv != b'w';
    // How many input bytes to use: `precision` bytes (characters with !).
    let mut k = precision;
    let mut i = 0usize;
    while k != 0 && i < s.len() {
        if flags & FLAG_ALTFORM2 != 0 && s[i] & 0xc0 == 0xc0 {
            while i + 1 < s.len() && s[i + 1] & 0xc0 == 0x80 {
                i += 1;
            }
        }
        i += 1;
        k -= 1;
    }
    let s = &s[..i];
    if alt {
        let n_ctrl = s.iter().filter(|&&c| c <= 0x1f).count();
        if n_ctrl > 0 || conv == b'q' {
            if conv == b'Q' {
                need_quote = 2;
            }
        } else {
            alt = false;
        }
    }
    let mut out = Vec::with_capacity(s.len() + 3);
    match need_quote {
        1 => out.push(b'\''),
        2 => out.extend_from_slice(b"unistr('"),
        _ => {}
    }
    for &ch in s {
        if ch == q {
            out.push(ch);
            out.push(ch);
        } else if alt && ch == b'\\' {
            out.extend_from_slice(b"\\\\");
        } else if alt && ch <= 0x1f {
            out.extend_from_slice(b"\\u00");
            out.push(if ch >= 0x10 { b'1' } else { b'0' });
            out.push(HEX[(ch & 0xf) as usize]);
        } else {
            out.push(ch);
        }
    }
    match need_quote {
        1 => out.push(b'\''),
        2 => out.extend_from_slice(b"')"),
        _ => {}
    }
    out
}

fn escape_json(text: Option<&[u8]>, quoted: bool, precision: i64, flags: u32) -> Vec<u8> {
    let Some(s) = text else {
        return if quoted { b"null".to_vec() } else { Vec::new() };
    };
    let s = &s[..s.iter().position(|&c| c == 0).unwrap_or(s.len())];
    let limit = if precision < 0 {
        s.len()
    } else if flags & FLAG_ALTFORM2 != 0 {
        let mut px = precision as usize;
        let mut i = 0;
        while i < px && i < s.len() {
            if s[i] & 0xc0 == 0x80 {
                px += 1;
            }
            i += 1;
        }
        if i == px {
            while px < s.len() && s[px] & 0xc0 == 0x80 {
                px += 1;
            }
        }
        px.min(s.len())
    } else {
        (precision as usize).min(s.len())
    };
    let mut out = Vec::with_capacity(limit + 2);
    if quoted {
        out.push(b'"');
    }
    for &ch in &s[..limit] {
        if ch <= 0x1f || ch == b'"' || ch == b'\\' {
            out.push(b'\\');
            match ch {
                b'"' | b'\\' => out.push(ch),
                0x08 => out.push(b'b'),
                0x09 => out.push(b't'),
                0x0a => out.push(b'n'),
                0x0c => out.push(b'f'),
                0x0d => out.push(b'r'),
                _ => {
                    out.extend_from_slice(b"u00");
                    out.push(HEX[(ch >> 4) as usize]);
                    out.push(HEX[(ch & 0xf) as usize]);
                }
            }
        } else {
            out.push(ch);
        }
    }
    if quoted {
        out.push(b'"');
    }
    out
}

/// Renders one floating-point conversion (`conv` is one of `f e E g G`)
/// with SQLite's rounding and layout, appending to `out`. `precision` < 0
/// means the default (6).
pub fn format_float(out: &mut Vec<u8>, r: f64, conv: u8, precision: i64, width: i64, flags: u32) {
    let alt = flags & FLAG_ALT != 0;
    let alt2 = flags & FLAG_ALTFORM2 != 0;
    let zeropad = flags & FLAG_ZEROPAD != 0;
    let left = flags & FLAG_LEFT != 0;
    let thousands = flags & FLAG_THOUSANDS != 0;
    let flag_prefix = sign_flag(flags);
    let mut precision = if precision < 0 { 6 } else { precision.min(100_000_000) };
    let exp_char = if conv == b'E' || conv == b'G' { b'E' } else { b'e' };
    let mut xtype = match conv {
        b'f' => b'f',
        b'e' | b'E' => b'e',
        _ => b'g',
    };
    let iround: i64 = match xtype {
        b'f' => -precision,
        b'g' => {
            if precision == 0 {
                precision = 1;
            }
            precision
        }
        _ => precision + 1,
    };
    let iround_i32 = iround.clamp(-200_000_000, 200_000_000) as i32;
    let mut s = FpDecode::new(r, iround_i32, if alt2 { 20 } else { 16 });
    let start = out.len();
    if s.special != 0 {
        if s.special == 2 {
            let body: &[u8] = if zeropad { b"null" } else { b"NaN" };
            pad_into(out, start, body, width, left);
            return;
        } else if zeropad {
            s.digits = b"9".to_vec();
            s.idp = 1000;
        } else {
            let body: &[u8] = if s.sign == b'-' {
                b"-Inf"
            } else if let Some(p) = flag_prefix {
                if p == b'+' {
                    b"+Inf"
                } else {
                    b" Inf"
                }
            } else {
                b"Inf"
            };
            pad_into(out, start, body, width, left);
            return;
        }
    }
    let prefix = if s.sign == b'-' {
        if alt && flag_prefix.is_none() && xtype == b'f' && (s.idp as i64) <= iround {
            None
        } else {
            Some(b'-')
        }
    } else {
        flag_prefix
    };
    let exp = s.idp as i64 - 1;
    let flag_rtz;
    if xtype == b'g' {
        precision -= 1;
        flag_rtz = !alt;
        if exp < -4 || exp > precision {
            xtype = b'e';
        } else {
            precision -= exp;
            xtype = b'f';
        }
    } else {
        flag_rtz = alt2;
    }
    let mut e2: i64 = if xtype == b'e' { 0 } else { s.idp as i64 - 1 };
    let flag_dp = precision > 0 || alt || alt2;
    if let Some(p) = prefix {
        out.push(p);
    }
    let z = &s.digits;
    let n = z.len() as i64;
    let mut j: i64 = 0;
    if e2 < 0 {
        out.push(b'0');
    } else if thousands {
        while e2 >= 0 {
            out.push(if j < n { z[j as usize] } else { b'0' });
            if j < n {
                j += 1;
            }
            if e2 % 3 == 0 && e2 > 1 {
                out.push(b',');
            }
            e2 -= 1;
        }
    } else {
        j = (e2 + 1).min(n);
        out.extend_from_slice(&z[..j as usize]);
        e2 -= j;
        if e2 >= 0 {
            out.resize(out.len() + (e2 + 1) as usize, b'0');
            e2 = -1;
        }
    }
    if flag_dp {
        out.push(b'.');
    }
    if e2 < -1 && precision > 0 {
        let nn = (-1 - e2).min(precision);
        out.resize(out.len() + nn as usize, b'0');
        precision -= nn;
    }
    if precision > 0 {
        let nn = (n - j).min(precision);
        if nn > 0 {
            out.extend_from_slice(&z[j as usize..(j + nn) as usize]);
            precision -= nn;
        }
        if precision > 0 && !flag_rtz {
            out.resize(out.len() + precision as usize, b'0');
        }
    }
    if flag_rtz && flag_dp {
        while out.len() > start + 1 && out[out.len() - 1] == b'0' {
            out.pop();
        }
        if out.last() == Some(&b'.') {
            if alt2 {
                out.push(b'0');
            } else {
                out.pop();
            }
        }
    }
    if xtype == b'e' {
        let mut exp = s.idp as i64 - 1;
        out.push(exp_char);
        if exp < 0 {
            out.push(b'-');
            exp = -exp;
        } else {
            out.push(b'+');
        }
        if exp >= 100 {
            out.push(b'0' + (exp / 100) as u8);
            exp %= 100;
        }
        out.push(b'0' + (exp / 10) as u8);
        out.push(b'0' + (exp % 10) as u8);
    }
    let length = (out.len() - start) as i64;
    if length < width {
        let npad = (width - length) as usize;
        if left {
            out.resize(out.len() + npad, b' ');
        } else if !zeropad {
            out.splice(start..start, std::iter::repeat_n(b' ', npad));
        } else {
            let adj = start + prefix.is_some() as usize;
            out.splice(adj..adj, std::iter::repeat_n(b'0', npad));
        }
    }
}

fn pad_into(out: &mut Vec<u8>, _start: usize, body: &[u8], width: i64, left: bool) {
    let pad = width - body.len() as i64;
    if pad > 0 && !left {
        out.resize(out.len() + pad as usize, b' ');
    }
    out.extend_from_slice(body);
    if pad > 0 && left {
        out.resize(out.len() + pad as usize, b' ');
    }
}

/// Convenience: format with SQL values as arguments.
pub fn format_values(fmt: &[u8], args: &[Value], max_len: usize) -> Result<Vec<u8>> {
    format(fmt, &mut ValueArgs::new(args), max_len)
}

#[cfg(test)]
mod tests;
