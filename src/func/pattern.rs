//! LIKE and GLOB matching.
//!
//! LIKE: `%` any run, `_` one character, optional escape character,
//! ASCII-only case folding unless case sensitive. GLOB: `*`, `?`,
//! `[...]` classes (with `^` negation and ranges), always case sensitive.
//! Both work on UTF-8 characters and stop at the first NUL, as SQLite's
//! matcher does. A wildcard that cannot be satisfied aborts the whole
//! search, which keeps pathological patterns polynomial.

use super::string::read_utf8;
use super::FuncEnv;
use crate::error::{Error, Result};
use crate::value::{Value, ValueRef};
use crate::vdbe::mem::text_of;

const MATCH: u8 = 0;
const NOMATCH: u8 = 1;
const NOWILDCARD: u8 = 2;

/// SQLITE_MAX_LIKE_PATTERN_LENGTH.
const MAX_PATTERN: usize = 50000;

#[derive(Clone, Copy)]
struct Info {
    match_all: u32,
    match_one: u32,
    /// `[` for GLOB, the escape character for LIKE (0: none).
    match_other: u32,
    glob: bool,
    nocase: bool,
}

fn c_str(b: &[u8]) -> &[u8] {
    match b.iter().position(|&c| c == 0) {
        Some(n) => &b[..n],
        None => b,
    }
}

#[inline]
fn rd(z: &[u8], i: usize) -> (u32, usize) {
    if i >= z.len() {
        (0, i)
    } else {
        read_utf8(z, i)
    }
}

#[inline]
fn fold(c: u32) -> u32 {
    if (b'A' as u32..=b'Z' as u32).contains(&c) {
        c + 32
    } else {
        c
    }
}

fn compare(p: &[u8], mut pi: usize, s: &[u8], mut si: usize, info: &Info) -> u8 {
    loop {
        let (c, npi) = rd(p, pi);
        if c == 0 {
            return if si >= s.len() { MATCH } else { NOMATCH };
        }
        pi = npi;
        if c == info.match_all {
            // Skip further wildcards; each "one" consumes a character.
            let mut c = 0;
            loop {
                let (c2, n2) = rd(p, pi);
                if c2 == 0 {
                    break;
                }
                if c2 == info.match_all {
                    pi = n2;
                } else if c2 == info.match_one && info.match_one != 0 {
                    pi = n2;
                    let (sc, ns) = rd(s, si);
                    if sc == 0 {
                        return NOWILDCARD;
                    }
                    si = ns;
                } else {
                    c = c2;
                    break;
                }
            }
            if c == 0 {
                return MATCH;
            }
            let (_, mut after) = rd(p, pi);
            let mut lit = c;
            if c == info.match_other {
                if !info.glob {
                    let (e, n) = rd(p, after);
                    if e == 0 {
                        return NOWILDCARD;
                    }
                    lit = e;
                    after = n;
                } else {
                    while si < s.len() {
                        let r = compare(p, pi, s, si, info);
                        if r != NOMATCH {
                            return r;
                        }
                        si = rd(s, si).1;
                    }
                    return NOWILDCARD;
                }
            }
            // Try every position where the next literal character matches.
            while si < s.len() {
                let (sc, ns) = rd(s, si);
                si = ns;
                if sc == lit || (info.nocase && lit < 0x80 && sc < 0x80 && fold(sc) == fold(lit)) {
                    let r = compare(p, after, s, si, info);
                    if r != NOMATCH {
                        return r;
                    }
                }
            }
            return NOWILDCARD;
        }
        let mut c = c;
        if c == info.match_other {
            if !info.glob {
                let (e, n) = rd(p, pi);
                if e == 0 {
                    return NOMATCH;
                }
                pi = n;
                c = e;
                // Fall through to a literal comparison of the escaped char.
                let (sc, ns) = rd(s, si);
                if sc == 0 {
                    return NOMATCH;
                }
                if sc == c || (info.nocase && c < 0x80 && sc < 0x80 && fold(sc) == fold(c)) {
                    si = ns;
                    continue;
                }
                return NOMATCH;
            }
            // GLOB character class.
            let (sc, ns) = rd(s, si);
            if sc == 0 {
                return NOMATCH;
            }
            si = ns;
            let mut seen = false;
            let mut invert = false;
            let mut prior: u32 = 0;
            let (mut c2, mut n2) = rd(p, pi);
            pi = n2;
            if c2 == b'^' as u32 {
                invert = true;
                (c2, n2) = rd(p, pi);
                pi = n2;
            }
            if c2 == b']' as u32 {
                if sc == b']' as u32 {
                    seen = true;
                }
                (c2, n2) = rd(p, pi);
                pi = n2;
            }
            while c2 != 0 && c2 != b']' as u32 {
                let nxt = p.get(pi).copied().unwrap_or(0);
                if c2 == b'-' as u32 && nxt != b']' && nxt != 0 && prior > 0 {
                    (c2, n2) = rd(p, pi);
                    pi = n2;
                    if sc >= prior && sc <= c2 {
                        seen = true;
                    }
                    prior = 0;
                } else {
                    if sc == c2 {
                        seen = true;
                    }
                    prior = c2;
                }
                (c2, n2) = rd(p, pi);
                pi = n2;
            }
            if c2 == 0 || seen == invert {
                return NOMATCH;
            }
            continue;
        }
        let (sc, ns) = rd(s, si);
        if sc == 0 {
            return NOMATCH;
        }
        if sc == c
            || (info.nocase && c < 0x80 && sc < 0x80 && fold(sc) == fold(c))
            || (c == info.match_one && info.match_one != 0)
        {
            si = ns;
            continue;
        }
        return NOMATCH;
    }
}

/// `text LIKE pattern [ESCAPE escape]`.
pub fn like_match(pattern: &[u8], text: &[u8], escape: Option<char>, case_sensitive: bool) -> bool {
    let esc = escape.map_or(0, |c| c as u32);
    let mut info = Info {
        match_all: b'%' as u32,
        match_one: b'_' as u32,
        match_other: esc,
        glob: false,
        nocase: !case_sensitive,
    };
    if esc != 0 {
        if esc == info.match_all {
            info.match_all = 0;
        }
        if esc == info.match_one {
            info.match_one = 0;
        }
    }
    compare(c_str(pattern), 0, c_str(text), 0, &info) == MATCH
}

/// `text GLOB pattern`.
pub fn glob_match(pattern: &[u8], text: &[u8]) -> bool {
    let info = Info {
        match_all: b'*' as u32,
        match_one: b'?' as u32,
        match_other: b'[' as u32,
        glob: true,
        nocase: false,
    };
    compare(c_str(pattern), 0, c_str(text), 0, &info) == MATCH
}

fn like_impl(args: &[Value], env: &mut dyn FuncEnv, glob: bool) -> Result<Value> {
    let a0 = args.first().map_or(ValueRef::Null, |v| v.as_ref());
    let a1 = args.get(1).map_or(ValueRef::Null, |v| v.as_ref());
    if matches!(a0, ValueRef::Null) || matches!(a1, ValueRef::Null) {
        return Ok(Value::Null);
    }
    let pat = text_of(a0);
    if pat.len() > MAX_PATTERN {
        return Err(Error::sql("LIKE or GLOB pattern too complex"));
    }
    let text = text_of(a1);
    if glob {
        return Ok(Value::Integer(glob_match(&pat, &text) as i64));
    }
    let mut esc = None;
    if let Some(e) = args.get(2) {
        if e.is_null() {
            return Ok(Value::Null);
        }
        let et = text_of(e.as_ref());
        let z = c_str(&et);
        if z.is_empty() || read_utf8(z, 0).1 != z.len() {
            return Err(Error::sql("ESCAPE expression must be a single character"));
        }
        esc = char::from_u32(read_utf8(z, 0).0);
    }
    let cs = env.case_sensitive_like();
    Ok(Value::Integer(like_match(&pat, &text, esc, cs) as i64))
}

/// `like(pattern, text)`.
pub fn like2(args: &[Value], env: &mut dyn FuncEnv) -> Result<Value> {
    like_impl(args, env, false)
}

/// `like(pattern, text, escape)`.
pub fn like3(args: &[Value], env: &mut dyn FuncEnv) -> Result<Value> {
    like_impl(args, env, false)
}

/// `glob(pattern, text)`.
pub fn glob(args: &[Value], env: &mut dyn FuncEnv) -> Result<Value> {
    like_impl(args, env, true)
}
