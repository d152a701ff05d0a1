//! Core scalar functions: NULL handling (coalesce, ifnull, nullif, iif),
//! min/max, abs, typeof, connection counters, randomness, zeroblob,
//! printf/format.

use super::{too_big, FuncEnv};
use crate::error::{Error, Result};
use crate::util::printf::format_values;
use crate::value::{Value, ValueRef};
use crate::collation::CollSeq;
use crate::util::TextEncoding;
use crate::vdbe::mem::{compare_in, text_of, to_bool, to_integer, to_real};
use std::cmp::Ordering;

fn minmax(args: &[Value], want_max: bool, coll: &CollSeq, enc: TextEncoding) -> Result<Value> {
    if args.iter().any(|v| v.is_null()) {
        return Ok(Value::Null);
    }
    let mut best = 0usize;
    for i in 1..args.len() {
        let c = compare_in(args[best].as_ref(), args[i].as_ref(), coll, enc);
        // max keeps the earliest of equal values, min the latest.
        let replace = if want_max { c == Ordering::Less } else { c != Ordering::Less };
        if replace {
            best = i;
        }
    }
    Ok(args.get(best).cloned().unwrap_or(Value::Null))
}

/// Scalar `min(a, b, ...)`: NULL if any argument is NULL.
pub fn min(args: &[Value], env: &mut dyn FuncEnv) -> Result<Value> {
    minmax(args, false, &env.function_collation(), env.text_encoding())
}

/// Scalar `max(a, b, ...)`: NULL if any argument is NULL.
pub fn max(args: &[Value], env: &mut dyn FuncEnv) -> Result<Value> {
    minmax(args, true, &env.function_collation(), env.text_encoding())
}

/// `abs(x)`: integers stay integers (`abs(i64::MIN)` is an error), every
/// other non-NULL value is read as REAL.
pub fn abs(args: &[Value], _env: &mut dyn FuncEnv) -> Result<Value> {
    Ok(match args.first() {
        None | Some(Value::Null) => Value::Null,
        Some(Value::Integer(i)) => match i.checked_abs() {
            Some(x) => Value::Integer(x),
            None => return Err(Error::sql("integer overflow")),
        },
        Some(v) => Value::Real(to_real(v.as_ref()).abs()),
    })
}

pub fn changes(_args: &[Value], env: &mut dyn FuncEnv) -> Result<Value> {
    Ok(Value::Integer(env.changes()))
}

pub fn total_changes(_args: &[Value], env: &mut dyn FuncEnv) -> Result<Value> {
    Ok(Value::Integer(env.total_changes()))
}

pub fn last_insert_rowid(_args: &[Value], env: &mut dyn FuncEnv) -> Result<Value> {
    Ok(Value::Integer(env.last_insert_rowid()))
}

/// `coalesce(...)` / `ifnull(a, b)`: the first non-NULL argument.
pub fn coalesce(args: &[Value], _env: &mut dyn FuncEnv) -> Result<Value> {
    Ok(args.iter().find(|v| !v.is_null()).cloned().unwrap_or(Value::Null))
}

/// `iif(c1, v1 [, c2, v2 ...] [, else])` / `if(...)`: the value after the
/// first true condition, else the trailing else-value or NULL.
pub fn iif(args: &[Value], _env: &mut dyn FuncEnv) -> Result<Value> {
    let mut i = 0;
    while i + 1 < args.len() {
        if to_bool(args[i].as_ref()) == Some(true) {
            return Ok(args[i + 1].clone());
        }
        i += 2;
    }
    Ok(if i < args.len() { args[i].clone() } else { Value::Null })
}

/// `nullif(a, b)`: NULL when equal (under the call's collation), else `a`.
pub fn nullif(args: &[Value], env: &mut dyn FuncEnv) -> Result<Value> {
    let (Some(x), Some(y)) = (args.first(), args.get(1)) else {
        return Ok(Value::Null);
    };
    if !x.is_null() && !y.is_null() && compare_in(x.as_ref(), y.as_ref(), &env.function_collation(), env.text_encoding()) == Ordering::Equal {
        Ok(Value::Null)
    } else {
        Ok(x.clone())
    }
}

/// `likely(x)` / `unlikely(x)`: `x` unchanged.
pub fn first_arg(args: &[Value], _env: &mut dyn FuncEnv) -> Result<Value> {
    Ok(args.first().cloned().unwrap_or(Value::Null))
}

/// `likelihood(x, p)`: `x`; `p` must be a number in 0.0..=1.0.
pub fn likelihood(args: &[Value], _env: &mut dyn FuncEnv) -> Result<Value> {
    let ok = match args.get(1) {
        Some(Value::Real(r)) => (0.0..=1.0).contains(r),
        Some(Value::Integer(i)) => (0..=1).contains(i),
        _ => false,
    };
    if !ok {
        return Err(Error::sql(
            "second argument to likelihood() must be a constant between 0.0 and 1.0",
        ));
    }
    Ok(args[0].clone())
}

/// `typeof(x)`.
pub fn type_of(args: &[Value], _env: &mut dyn FuncEnv) -> Result<Value> {
    let name = match args.first().map(|v| v.as_ref()) {
        Some(ValueRef::Integer(_)) => "integer",
        Some(ValueRef::Real(_)) => "real",
        Some(ValueRef::Text(_)) => "text",
        Some(ValueRef::Blob(_)) => "blob",
        _ => "null",
    };
    Ok(Value::text(name))
}

/// `subtype(x)`: the subtype x came with (0 unless x is the result of a
/// function that gave it one).
pub fn subtype(_args: &[Value], _env: &mut dyn FuncEnv) -> Result<Value> {
    Ok(Value::Integer(i64::from(crate::func::user::arg_subtype(0))))
}

pub fn sqlite_version(_args: &[Value], _env: &mut dyn FuncEnv) -> Result<Value> {
    Ok(Value::text(crate::SQLITE_VERSION))
}

pub fn sqlite_source_id(_args: &[Value], _env: &mut dyn FuncEnv) -> Result<Value> {
    Ok(Value::text(&format!("ferrolite {}", crate::FERROLITE_COMMIT)))
}

/// `random()`: a pseudo-random i64 (never `i64::MIN`).
pub fn random(_args: &[Value], env: &mut dyn FuncEnv) -> Result<Value> {
    let mut b = [0u8; 8];
    env.randomness(&mut b);
    let mut r = i64::from_le_bytes(b);
    if r < 0 {
        r = -(r & i64::MAX);
    }
    Ok(Value::Integer(r))
}

/// `randomblob(n)`: `n` random bytes (at least 1).
pub fn randomblob(args: &[Value], env: &mut dyn FuncEnv) -> Result<Value> {
    let n = args.first().map_or(0, |v| to_integer(v.as_ref())).max(1);
    if n as u64 > env.max_length() as u64 {
        return Err(too_big());
    }
    let mut buf = vec![0u8; n as usize];
    env.randomness(&mut buf);
    Ok(Value::Blob(buf))
}

/// `zeroblob(n)`: `n` zero bytes (negative is 0).
pub fn zeroblob(args: &[Value], env: &mut dyn FuncEnv) -> Result<Value> {
    let n = args.first().map_or(0, |v| to_integer(v.as_ref())).max(0);
    if n as u64 > env.max_length() as u64 {
        return Err(too_big());
    }
    Ok(Value::Blob(vec![0u8; n as usize]))
}

/// `printf(fmt, ...)` / `format(...)`: NULL when the format is NULL.
pub fn printf(args: &[Value], env: &mut dyn FuncEnv) -> Result<Value> {
    let Some(fmt) = args.first() else { return Ok(Value::Null) };
    if fmt.is_null() {
        return Ok(Value::Null);
    }
    let f = text_of(fmt.as_ref());
    let out = format_values(&f, &args[1..], env.max_length())?;
    Ok(Value::Text(out))
}
