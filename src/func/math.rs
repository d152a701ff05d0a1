//! `round`, `sign` and the SQLITE_ENABLE_MATH_FUNCTIONS library.
//!
//! Math functions take arguments that are numbers or text that looks
//! entirely like a number; anything else (NULL, blobs, other text) gives
//! NULL, and so does a NaN result (`sqrt(-1)`, `acos(2)`).

use super::FuncEnv;
use crate::error::Result;
use crate::util::atof::atof;
use crate::util::printf::{format_float, FLAG_ALTFORM2};
use crate::value::Value;
use crate::vdbe::mem::{numeric_type, to_integer, to_real, Num};

fn real(r: f64) -> Value {
    if r.is_nan() {
        Value::Null
    } else {
        Value::Real(r)
    }
}

fn num_arg(args: &[Value], i: usize) -> Option<Num> {
    args.get(i).and_then(|v| numeric_type(v.as_ref()))
}

fn as_f64(n: Num) -> f64 {
    match n {
        Num::Int(i) => i as f64,
        Num::Real(r) => r,
    }
}

/// `round(x [, digits])`: SQLite's rounding (half away from zero for 0
/// digits; otherwise through the `%!.*f` rendering and back).
pub fn round(args: &[Value], _env: &mut dyn FuncEnv) -> Result<Value> {
    let mut n: i64 = 0;
    if args.len() >= 2 {
        if args[1].is_null() {
            return Ok(Value::Null);
        }
        n = to_integer(args[1].as_ref()).clamp(0, 30);
    }
    let Some(x) = args.first() else { return Ok(Value::Null) };
    if x.is_null() {
        return Ok(Value::Null);
    }
    let mut r = to_real(x.as_ref());
    if !(-4503599627370496.0..=4503599627370496.0).contains(&r) {
        // No fractional part (or infinite): nothing to round.
    } else if n == 0 {
        r = (r + if r < 0.0 { -0.5 } else { 0.5 }) as i64 as f64;
    } else {
        let mut buf = Vec::with_capacity(48);
        format_float(&mut buf, r, b'f', n, 0, FLAG_ALTFORM2);
        r = atof(&buf).0;
    }
    Ok(real(r))
}

/// `sign(x)`: -1, 0 or +1; NULL for non-numbers.
pub fn sign(args: &[Value], _env: &mut dyn FuncEnv) -> Result<Value> {
    Ok(match num_arg(args, 0) {
        None => Value::Null,
        Some(n) => {
            let x = as_f64(n);
            Value::Integer(if x < 0.0 {
                -1
            } else if x > 0.0 {
                1
            } else {
                0
            })
        }
    })
}

fn int_or(args: &[Value], f: fn(f64) -> f64) -> Result<Value> {
    Ok(match num_arg(args, 0) {
        None => Value::Null,
        Some(Num::Int(i)) => Value::Integer(i),
        Some(Num::Real(r)) => real(f(r)),
    })
}

/// `ceil(x)` / `ceiling(x)`: integers unchanged.
pub fn ceil(args: &[Value], _env: &mut dyn FuncEnv) -> Result<Value> {
    int_or(args, f64::ceil)
}
/// `floor(x)`.
pub fn floor(args: &[Value], _env: &mut dyn FuncEnv) -> Result<Value> {
    int_or(args, f64::floor)
}
/// `trunc(x)`.
pub fn trunc(args: &[Value], _env: &mut dyn FuncEnv) -> Result<Value> {
    int_or(args, f64::trunc)
}

fn math1(args: &[Value], f: fn(f64) -> f64) -> Result<Value> {
    Ok(match num_arg(args, 0) {
        None => Value::Null,
        Some(n) => real(f(as_f64(n))),
    })
}

fn math2(args: &[Value], f: fn(f64, f64) -> f64) -> Result<Value> {
    let Some(a) = num_arg(args, 0) else { return Ok(Value::Null) };
    let Some(b) = num_arg(args, 1) else { return Ok(Value::Null) };
    Ok(real(f(as_f64(a), as_f64(b))))
}

fn log_impl(args: &[Value], f: fn(f64) -> f64) -> Result<Value> {
    let Some(x) = num_arg(args, 0) else { return Ok(Value::Null) };
    let x = as_f64(x);
    if x <= 0.0 {
        return Ok(Value::Null);
    }
    Ok(real(f(x)))
}

pub fn ln(args: &[Value], _env: &mut dyn FuncEnv) -> Result<Value> {
    log_impl(args, f64::ln)
}
/// `log(x)` (base 10) and `log10(x)`.
pub fn log10(args: &[Value], _env: &mut dyn FuncEnv) -> Result<Value> {
    log_impl(args, f64::log10)
}
pub fn log2(args: &[Value], _env: &mut dyn FuncEnv) -> Result<Value> {
    log_impl(args, f64::log2)
}

/// `log(b, x)`: NULL unless `b > 1` and `x > 0` (the second argument is
/// read numerically without a type check, as SQLite does).
pub fn log_base(args: &[Value], _env: &mut dyn FuncEnv) -> Result<Value> {
    let Some(base) = num_arg(args, 0) else { return Ok(Value::Null) };
    let base = as_f64(base);
    if base <= 0.0 {
        return Ok(Value::Null);
    }
    let b = base.ln();
    if b <= 0.0 {
        return Ok(Value::Null);
    }
    let x = args.get(1).map_or(0.0, |v| to_real(v.as_ref()));
    if x <= 0.0 {
        return Ok(Value::Null);
    }
    Ok(real(x.ln() / b))
}

pub fn exp(args: &[Value], _env: &mut dyn FuncEnv) -> Result<Value> {
    math1(args, f64::exp)
}
pub fn pow(args: &[Value], _env: &mut dyn FuncEnv) -> Result<Value> {
    math2(args, f64::powf)
}
/// `mod(x, y)`: C `fmod`.
pub fn fmod(args: &[Value], _env: &mut dyn FuncEnv) -> Result<Value> {
    math2(args, |a, b| a % b)
}
pub fn acos(args: &[Value], _env: &mut dyn FuncEnv) -> Result<Value> {
    math1(args, f64::acos)
}
pub fn asin(args: &[Value], _env: &mut dyn FuncEnv) -> Result<Value> {
    math1(args, f64::asin)
}
pub fn atan(args: &[Value], _env: &mut dyn FuncEnv) -> Result<Value> {
    math1(args, f64::atan)
}
pub fn atan2(args: &[Value], _env: &mut dyn FuncEnv) -> Result<Value> {
    math2(args, f64::atan2)
}
pub fn cos(args: &[Value], _env: &mut dyn FuncEnv) -> Result<Value> {
    math1(args, f64::cos)
}
pub fn sin(args: &[Value], _env: &mut dyn FuncEnv) -> Result<Value> {
    math1(args, f64::sin)
}
pub fn tan(args: &[Value], _env: &mut dyn FuncEnv) -> Result<Value> {
    math1(args, f64::tan)
}
pub fn cosh(args: &[Value], _env: &mut dyn FuncEnv) -> Result<Value> {
    math1(args, f64::cosh)
}
pub fn sinh(args: &[Value], _env: &mut dyn FuncEnv) -> Result<Value> {
    math1(args, f64::sinh)
}
pub fn tanh(args: &[Value], _env: &mut dyn FuncEnv) -> Result<Value> {
    math1(args, f64::tanh)
}
pub fn acosh(args: &[Value], _env: &mut dyn FuncEnv) -> Result<Value> {
    math1(args, f64::acosh)
}
pub fn asinh(args: &[Value], _env: &mut dyn FuncEnv) -> Result<Value> {
    math1(args, f64::asinh)
}
pub fn atanh(args: &[Value], _env: &mut dyn FuncEnv) -> Result<Value> {
    math1(args, f64::atanh)
}
pub fn sqrt(args: &[Value], _env: &mut dyn FuncEnv) -> Result<Value> {
    math1(args, f64::sqrt)
}
pub fn radians(args: &[Value], _env: &mut dyn FuncEnv) -> Result<Value> {
    math1(args, |x| x * (std::f64::consts::PI / 180.0))
}
pub fn degrees(args: &[Value], _env: &mut dyn FuncEnv) -> Result<Value> {
    math1(args, |x| x * (180.0 / std::f64::consts::PI))
}
pub fn pi(_args: &[Value], _env: &mut dyn FuncEnv) -> Result<Value> {
    Ok(Value::Real(std::f64::consts::PI))
}
