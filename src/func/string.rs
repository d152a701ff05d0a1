//! String and blob functions. Text is UTF-8 bytes; "characters" are
//! counted the way SQLite counts them: a lead byte (>= 0xC0) swallows the
//! continuation bytes after it, any other byte is one character, and text
//! ends at the first NUL for the character-based functions.

use super::{too_big, FuncEnv};
use crate::error::{Error, Result};
use crate::util::printf::{format_float, FLAG_ALTFORM2, FLAG_ZEROPAD};
use crate::value::{Value, ValueRef};
use crate::vdbe::mem::{blob_of_in, text_of, text_of_in, to_integer};
use std::borrow::Cow;

/// Bytes up to the first NUL.
fn c_str(b: &[u8]) -> &[u8] {
    match b.iter().position(|&c| c == 0) {
        Some(n) => &b[..n],
        None => b,
    }
}

/// Byte index just past the character starting at `i`.
fn skip_char(z: &[u8], i: usize) -> usize {
    let mut j = i + 1;
    if z[i] >= 0xc0 {
        while j < z.len() && z[j] & 0xc0 == 0x80 {
            j += 1;
        }
    }
    j
}

/// Number of characters in `z` (up to the first NUL).
pub fn char_count(z: &[u8]) -> usize {
    let z = c_str(z);
    let mut i = 0;
    let mut n = 0;
    while i < z.len() {
        i = skip_char(z, i);
        n += 1;
    }
    n
}

/// Decodes one UTF-8 character starting at `i` the way SQLite does
/// (lenient: overlong forms and surrogates read as U+FFFD). Returns the
/// code point and the index after it.
pub fn read_utf8(z: &[u8], i: usize) -> (u32, usize) {
    let c = z[i] as u32;
    let mut j = i + 1;
    if c < 0xc0 {
        return (c, j);
    }
    let mut v = match c {
        0xc0..=0xdf => c & 0x1f,
        0xe0..=0xef => c & 0x0f,
        0xf0..=0xf7 => c & 0x07,
        0xf8..=0xfb => c & 0x03,
        0xfc..=0xfd => c & 0x01,
        _ => 0,
    };
    while j < z.len() && z[j] & 0xc0 == 0x80 {
        v = (v << 6) + (z[j] & 0x3f) as u32;
        j += 1;
    }
    if v < 0x80 || (v & 0xffff_f800) == 0xd800 || (v & 0xffff_fffe) == 0xfffe {
        v = 0xfffd;
    }
    (v, j)
}

/// Appends the UTF-8 encoding of `c` (SQLite's encoder: any value up to
/// 0x1FFFFF, surrogates included).
pub fn push_utf8(out: &mut Vec<u8>, c: u32) {
    if c < 0x80 {
        out.push(c as u8);
    } else if c < 0x800 {
        out.push(0xc0 + ((c >> 6) & 0x1f) as u8);
        out.push(0x80 + (c & 0x3f) as u8);
    } else if c < 0x10000 {
        out.push(0xe0 + ((c >> 12) & 0x0f) as u8);
        out.push(0x80 + ((c >> 6) & 0x3f) as u8);
        out.push(0x80 + (c & 0x3f) as u8);
    } else {
        out.push(0xf0 + ((c >> 18) & 0x07) as u8);
        out.push(0x80 + ((c >> 12) & 0x3f) as u8);
        out.push(0x80 + ((c >> 6) & 0x3f) as u8);
        out.push(0x80 + (c & 0x3f) as u8);
    }
}

fn arg(args: &[Value], i: usize) -> ValueRef<'_> {
    args.get(i).map_or(ValueRef::Null, |v| v.as_ref())
}

fn check_len(env: &dyn FuncEnv, n: usize) -> Result<()> {
    if n > env.max_length() {
        Err(too_big())
    } else {
        Ok(())
    }
}

/// `length(x)`: characters for text (and rendered numbers), bytes for
/// blobs, NULL for NULL.
pub fn length(args: &[Value], _env: &mut dyn FuncEnv) -> Result<Value> {
    Ok(match arg(args, 0) {
        ValueRef::Null => Value::Null,
        ValueRef::Blob(b) => Value::Integer(b.len() as i64),
        v => Value::Integer(char_count(&text_of(v)) as i64),
    })
}

/// `octet_length(x)`: bytes of the text (or blob) form.
pub fn octet_length(args: &[Value], env: &mut dyn FuncEnv) -> Result<Value> {
    Ok(match arg(args, 0) {
        ValueRef::Null => Value::Null,
        ValueRef::Blob(b) => Value::Integer(b.len() as i64),
        v => Value::Integer(crate::util::utf16::encoded_len(&text_of(v), env.text_encoding()) as i64),
    })
}

fn map_ascii(args: &[Value], f: fn(&u8) -> u8) -> Result<Value> {
    Ok(match arg(args, 0) {
        ValueRef::Null => Value::Null,
        v => Value::Text(text_of(v).iter().map(f).collect()),
    })
}

/// `lower(x)`: ASCII letters only.
pub fn lower(args: &[Value], _env: &mut dyn FuncEnv) -> Result<Value> {
    map_ascii(args, u8::to_ascii_lowercase)
}

/// `upper(x)`: ASCII letters only.
pub fn upper(args: &[Value], _env: &mut dyn FuncEnv) -> Result<Value> {
    map_ascii(args, u8::to_ascii_uppercase)
}

fn trim_impl(args: &[Value], left: bool, right: bool) -> Result<Value> {
    let x = arg(args, 0);
    if matches!(x, ValueRef::Null) {
        return Ok(Value::Null);
    }
    let text = text_of(x);
    let set_owned;
    let set: Vec<&[u8]> = if args.len() >= 2 {
        match arg(args, 1) {
            ValueRef::Null => return Ok(Value::Null),
            v => {
                set_owned = text_of(v).into_owned();
                let z = c_str(&set_owned);
                let mut chars = Vec::new();
                let mut i = 0;
                while i < z.len() {
                    let j = skip_char(z, i);
                    chars.push(&z[i..j]);
                    i = j;
                }
                chars
            }
        }
    } else {
        vec![b" "]
    };
    let mut z: &[u8] = &text;
    if !set.is_empty() {
        if left {
            while !z.is_empty() {
                match set.iter().find(|c| z.starts_with(c)) {
                    Some(c) => z = &z[c.len()..],
                    None => break,
                }
            }
        }
        if right {
            while !z.is_empty() {
                match set.iter().find(|c| z.ends_with(c)) {
                    Some(c) => z = &z[..z.len() - c.len()],
                    None => break,
                }
            }
        }
    }
    Ok(Value::Text(z.to_vec()))
}

pub fn ltrim(args: &[Value], _env: &mut dyn FuncEnv) -> Result<Value> {
    trim_impl(args, true, false)
}
pub fn rtrim(args: &[Value], _env: &mut dyn FuncEnv) -> Result<Value> {
    trim_impl(args, false, true)
}
pub fn trim(args: &[Value], _env: &mut dyn FuncEnv) -> Result<Value> {
    trim_impl(args, true, true)
}

/// `substr(x, start [, len])` with SQLite's rules for zero and negative
/// positions and lengths; characters for text, bytes for blobs.
pub fn substr(args: &[Value], _env: &mut dyn FuncEnv) -> Result<Value> {
    let x = arg(args, 0);
    if matches!(x, ValueRef::Null) {
        return Ok(Value::Null);
    }
    let a1 = arg(args, 1);
    let mut p1 = to_integer(a1);
    let is_blob = matches!(x, ValueRef::Blob(_));
    if is_blob && matches!(x, ValueRef::Blob(b) if b.is_empty()) {
        // SQLite sees an empty blob as a NULL pointer here.
        return Ok(Value::Null);
    }
    let text = text_of(x);
    let z: &[u8] = if is_blob { &text } else { c_str(&text) };
    let len: i64 = if is_blob {
        z.len() as i64
    } else if p1 < 0 {
        char_count(z) as i64
    } else {
        0
    };
    let mut p2: i64 = if args.len() >= 3 {
        let a2 = arg(args, 2);
        if matches!(a2, ValueRef::Null) {
            return Ok(Value::Null);
        }
        to_integer(a2)
    } else {
        i64::MAX
    };
    if p1 == 0 && matches!(a1, ValueRef::Null) {
        return Ok(Value::Null);
    }
    if p1 < 0 {
        p1 = p1.saturating_add(len);
        if p1 < 0 {
            p2 = if p2 < 0 { 0 } else { p2.saturating_add(p1) };
            p1 = 0;
        }
    } else if p1 > 0 {
        p1 -= 1;
    } else if p2 > 0 {
        p2 -= 1;
    }
    if p2 < 0 {
        if p2 < -p1 {
            p2 = p1;
        } else {
            p2 = -p2;
        }
        p1 -= p2;
    }
    if !is_blob {
        let mut i = 0usize;
        while p1 > 0 && i < z.len() {
            i = skip_any(z, i);
            p1 -= 1;
        }
        let mut j = i;
        while p2 > 0 && j < z.len() {
            j = skip_any(z, j);
            p2 -= 1;
        }
        Ok(Value::Text(z[i..j].to_vec()))
    } else {
        let n = z.len() as i64;
        if p1 >= n {
            return Ok(Value::Blob(Vec::new()));
        }
        let p2 = p2.min(n - p1);
        Ok(Value::Blob(z[p1 as usize..(p1 + p2) as usize].to_vec()))
    }
}

/// Character step used by substr: an ASCII byte is one character; any
/// other byte is skipped together with the continuation bytes after it.
fn skip_any(z: &[u8], i: usize) -> usize {
    let mut j = i + 1;
    if z[i] >= 0x80 {
        while j < z.len() && z[j] & 0xc0 == 0x80 {
            j += 1;
        }
    }
    j
}

/// `instr(haystack, needle)`: 1-based character position (byte position
/// when both are blobs), 0 when absent, 1 for an empty needle.
pub fn instr(args: &[Value], env: &mut dyn FuncEnv) -> Result<Value> {
    let h = arg(args, 0);
    let n = arg(args, 1);
    if matches!(h, ValueRef::Null) || matches!(n, ValueRef::Null) {
        return Ok(Value::Null);
    }
    let is_text = !(matches!(h, ValueRef::Blob(_)) && matches!(n, ValueRef::Blob(_)));
    // Text and a blob together: both read as text (the blob in the
    // database encoding).
    let hay = if is_text { text_of_in(h, env.text_encoding()) } else { text_of(h) };
    let needle = if is_text { text_of_in(n, env.text_encoding()) } else { text_of(n) };
    if needle.is_empty() {
        return Ok(Value::Integer(1));
    }
    let mut pos = 1i64;
    let mut i = 0usize;
    while needle.len() <= hay.len() - i {
        if hay[i..].starts_with(&needle) {
            return Ok(Value::Integer(pos));
        }
        pos += 1;
        i += 1;
        while is_text && i < hay.len() && hay[i] & 0xc0 == 0x80 {
            i += 1;
        }
    }
    Ok(Value::Integer(0))
}

/// `replace(x, from, to)`.
pub fn replace(args: &[Value], env: &mut dyn FuncEnv) -> Result<Value> {
    let x = arg(args, 0);
    let p = arg(args, 1);
    if matches!(x, ValueRef::Null) || matches!(p, ValueRef::Null) {
        return Ok(Value::Null);
    }
    let s = text_of(x);
    let pat = text_of(p);
    if pat.first().is_none_or(|&c| c == 0) {
        // An empty pattern (or one starting with NUL, which SQLite sees as
        // empty) leaves the text unchanged.
        return Ok(Value::Text(s.into_owned()));
    }
    let r = arg(args, 2);
    if matches!(r, ValueRef::Null) {
        return Ok(Value::Null);
    }
    let rep = text_of(r);
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        if s[i..].starts_with(&pat) {
            out.extend_from_slice(&rep);
            check_len(env, out.len() + s.len() - i - pat.len())?;
            i += pat.len();
        } else {
            out.push(s[i]);
            i += 1;
        }
    }
    Ok(Value::Text(out))
}

const HEX_UPPER: &[u8] = b"0123456789ABCDEF";

/// `hex(x)`: upper-case hex of the blob (or text form) bytes.
pub fn hex(args: &[Value], env: &mut dyn FuncEnv) -> Result<Value> {
    let b = blob_of_in(arg(args, 0), env.text_encoding());
    check_len(env, b.len() * 2)?;
    let mut out = Vec::with_capacity(b.len() * 2);
    for &c in b.iter() {
        out.push(HEX_UPPER[(c >> 4) as usize]);
        out.push(HEX_UPPER[(c & 15) as usize]);
    }
    Ok(Value::Text(out))
}

/// `unhex(x [, ignore])`: the blob the hex digits spell; characters of
/// `ignore` may separate byte pairs; anything else gives NULL.
pub fn unhex(args: &[Value], _env: &mut dyn FuncEnv) -> Result<Value> {
    let x = arg(args, 0);
    let pass_owned;
    let pass: &[u8] = if args.len() >= 2 {
        match arg(args, 1) {
            ValueRef::Null => return Ok(Value::Null),
            v => {
                pass_owned = text_of(v).into_owned();
                c_str(&pass_owned)
            }
        }
    } else {
        b""
    };
    if matches!(x, ValueRef::Null) {
        return Ok(Value::Null);
    }
    let hx = text_of(x);
    let z = c_str(&hx);
    let mut out = Vec::with_capacity(z.len() / 2);
    let mut i = 0;
    while i < z.len() {
        if !z[i].is_ascii_hexdigit() {
            let (ch, j) = read_utf8(z, i);
            if !contains_char(pass, ch) {
                return Ok(Value::Null);
            }
            i = j;
            continue;
        }
        let c = z[i];
        let Some(&d) = z.get(i + 1) else { return Ok(Value::Null) };
        if !d.is_ascii_hexdigit() {
            return Ok(Value::Null);
        }
        out.push((hexval(c) << 4) | hexval(d));
        i += 2;
    }
    Ok(Value::Blob(out))
}

fn hexval(c: u8) -> u8 {
    (c as char).to_digit(16).unwrap_or(0) as u8
}

fn contains_char(set: &[u8], ch: u32) -> bool {
    let mut i = 0;
    while i < set.len() {
        let (c, j) = read_utf8(set, i);
        if c == ch {
            return true;
        }
        i = j;
    }
    false
}

/// SQL literal text for a value (`quote()`); with `escape`, control
/// characters in text use `unistr()` escapes.
pub fn quote_value(v: ValueRef, escape: bool, out: &mut Vec<u8>) {
    match v {
        ValueRef::Null => out.extend_from_slice(b"NULL"),
        ValueRef::Integer(i) => out.extend_from_slice(i.to_string().as_bytes()),
        ValueRef::Real(r) => format_float(out, r, b'g', 17, 0, FLAG_ALTFORM2 | FLAG_ZEROPAD),
        ValueRef::Blob(b) => {
            out.extend_from_slice(b"X'");
            for &c in b {
                out.push(HEX_UPPER[(c >> 4) as usize]);
                out.push(HEX_UPPER[(c & 15) as usize]);
            }
            out.push(b'\'');
        }
        ValueRef::Text(t) => {
            let t = c_str(t);
            let has_ctrl = escape && t.iter().any(|&c| c <= 0x1f);
            if has_ctrl {
                out.extend_from_slice(b"unistr('");
            } else {
                out.push(b'\'');
            }
            for &c in t {
                if c == b'\'' {
                    out.extend_from_slice(b"''");
                } else if has_ctrl && c == b'\\' {
                    out.extend_from_slice(b"\\\\");
                } else if has_ctrl && c <= 0x1f {
                    out.extend_from_slice(format!("\\u{:04x}", c).as_bytes());
                } else {
                    out.push(c);
                }
            }
            if has_ctrl {
                out.extend_from_slice(b"')");
            } else {
                out.push(b'\'');
            }
        }
    }
}

/// `quote(x)`.
pub fn quote(args: &[Value], _env: &mut dyn FuncEnv) -> Result<Value> {
    let mut out = Vec::new();
    quote_value(arg(args, 0), false, &mut out);
    Ok(Value::Text(out))
}

/// `unistr_quote(x)`.
pub fn unistr_quote(args: &[Value], _env: &mut dyn FuncEnv) -> Result<Value> {
    let mut out = Vec::new();
    quote_value(arg(args, 0), true, &mut out);
    Ok(Value::Text(out))
}

fn n_hex(z: &[u8], i: usize, n: usize) -> Option<u32> {
    let s = z.get(i..i + n)?;
    let mut v = 0u32;
    for &c in s {
        if !c.is_ascii_hexdigit() {
            return None;
        }
        v = (v << 4) | hexval(c) as u32;
    }
    Some(v)
}

/// `unistr(x)`: decodes `\\`, `\XXXX`, `\uXXXX`, `\+XXXXXX`, `\UXXXXXXXX`.
pub fn unistr(args: &[Value], _env: &mut dyn FuncEnv) -> Result<Value> {
    let x = arg(args, 0);
    if matches!(x, ValueRef::Null) {
        return Ok(Value::Null);
    }
    let t = text_of(x);
    let z = c_str(&t);
    let bad = || Error::sql("invalid Unicode escape");
    let mut out = Vec::with_capacity(z.len());
    let mut i = 0;
    while i < z.len() {
        if z[i] != b'\\' {
            out.push(z[i]);
            i += 1;
            continue;
        }
        let next = z.get(i + 1).copied().unwrap_or(0);
        let (v, adv) = if next == b'\\' {
            out.push(b'\\');
            i += 2;
            continue;
        } else if next.is_ascii_hexdigit() {
            (n_hex(z, i + 1, 4).ok_or_else(bad)?, 5)
        } else if next == b'+' {
            (n_hex(z, i + 2, 6).ok_or_else(bad)?, 8)
        } else if next == b'u' {
            (n_hex(z, i + 2, 4).ok_or_else(bad)?, 6)
        } else if next == b'U' {
            (n_hex(z, i + 2, 8).ok_or_else(bad)?, 10)
        } else {
            return Err(bad());
        };
        push_utf8(&mut out, v);
        i += adv;
    }
    Ok(Value::Text(out))
}

/// `char(a, b, ...)`: the characters with these code points (invalid
/// ones become U+FFFD).
pub fn char_fn(args: &[Value], _env: &mut dyn FuncEnv) -> Result<Value> {
    let mut out = Vec::with_capacity(args.len());
    for v in args {
        let mut x = to_integer(v.as_ref());
        if !(0..=0x10ffff).contains(&x) {
            x = 0xfffd;
        }
        push_utf8(&mut out, x as u32);
    }
    Ok(Value::Text(out))
}

/// `unicode(x)`: code point of the first character; NULL for NULL or ''.
pub fn unicode(args: &[Value], _env: &mut dyn FuncEnv) -> Result<Value> {
    let x = arg(args, 0);
    if matches!(x, ValueRef::Null) {
        return Ok(Value::Null);
    }
    let t = text_of(x);
    let z = c_str(&t);
    if z.is_empty() {
        return Ok(Value::Null);
    }
    Ok(Value::Integer(read_utf8(z, 0).0 as i64))
}

fn join(parts: &[Value], sep: &[u8], env: &dyn FuncEnv) -> Result<Value> {
    let mut out = Vec::new();
    let mut first = true;
    for v in parts {
        if v.is_null() {
            continue;
        }
        if !first {
            out.extend_from_slice(sep);
        }
        first = false;
        out.extend_from_slice(&text_of(v.as_ref()));
        check_len(env, out.len())?;
    }
    Ok(Value::Text(out))
}

/// `concat(...)`: NULLs are skipped; always TEXT.
pub fn concat(args: &[Value], env: &mut dyn FuncEnv) -> Result<Value> {
    join(args, b"", env)
}

/// `concat_ws(sep, ...)`: NULL separator gives NULL; NULLs are skipped.
pub fn concat_ws(args: &[Value], env: &mut dyn FuncEnv) -> Result<Value> {
    let sep: Cow<[u8]> = match arg(args, 0) {
        ValueRef::Null => return Ok(Value::Null),
        v => text_of(v),
    };
    let sep = sep.into_owned();
    join(&args[1..], &sep, env)
}

/// `soundex(x)` (only in SQLITE_SOUNDEX builds; not registered).
#[allow(dead_code)]
pub fn soundex(args: &[Value], _env: &mut dyn FuncEnv) -> Result<Value> {
    const CODE: &[u8; 26] = b"01230120022455012623010202";
    let t = text_of(arg(args, 0));
    let z = c_str(&t);
    let Some(start) = z.iter().position(|c| c.is_ascii_alphabetic()) else {
        return Ok(Value::text("?000"));
    };
    let code = |c: u8| if c.is_ascii_alphabetic() { CODE[(c.to_ascii_uppercase() - b'A') as usize] - b'0' } else { 0 };
    let mut out = vec![z[start].to_ascii_uppercase()];
    let mut prev = code(z[start]);
    for &c in &z[start..] {
        if out.len() >= 4 {
            break;
        }
        let k = code(c);
        if k > 0 {
            if k != prev {
                prev = k;
                out.push(b'0' + k);
            }
        } else {
            prev = 0;
        }
    }
    while out.len() < 4 {
        out.push(b'0');
    }
    Ok(Value::Text(out))
}
