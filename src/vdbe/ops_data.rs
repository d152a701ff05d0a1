//! Opcodes that compute on registers: constants, parameters, arithmetic,
//! comparison, three-valued logic, conversions, jumps on values, and
//! function calls. Cursor opcodes are passed on to `ops_cursor`.

use std::borrow::Cow;
use std::cmp::Ordering;

use crate::connection::Connection;
use crate::error::{code, Error, Result};
use crate::func::FuncKind;
use crate::util::TextEncoding;
use crate::value::Value;

use super::exec::Vm;
use super::mem;
use super::{ArithOp, CmpOp, FuncRef, Op};

impl Vm {
    /// Executes a data opcode; returns the jump target when it jumps.
    pub(super) fn exec_data(&mut self, op: &Op, conn: &mut Connection, params: &[Value]) -> Result<Option<usize>> {
        match op {
            Op::Integer { value, dest } => self.regs[*dest] = Value::Integer(*value),
            Op::Real { value, dest } => self.regs[*dest] = Value::Real(*value),
            Op::String { value, dest } => self.regs[*dest] = Value::Text(value.to_vec()),
            Op::Blob { value, dest } => self.regs[*dest] = Value::Blob(value.to_vec()),
            Op::Null { dest, count } => {
                for r in &mut self.regs[*dest..*dest + (*count).max(1)] {
                    *r = Value::Null;
                }
            }
            Op::Variable { index, dest } => {
                self.regs[*dest] = params.get(index.wrapping_sub(1)).cloned().unwrap_or(Value::Null);
            }
            Op::Copy { src, dest, count } => {
                for i in 0..(*count).max(1) {
                    self.regs[dest + i] = self.regs[src + i].clone();
                }
                // A copy keeps the subtype (a function result computed once
                // and copied into each call's arguments).
                if !self.reg_subtypes.is_empty() {
                    for i in 0..(*count).max(1) {
                        let s = self.reg_subtypes.get(src + i).copied().unwrap_or(0);
                        if let Some(d) = self.reg_subtypes.get_mut(dest + i) {
                            *d = s;
                        }
                    }
                }
            }
            Op::Move { src, dest, count } => {
                for i in 0..(*count).max(1) {
                    self.regs[dest + i] = std::mem::take(&mut self.regs[src + i]);
                }
            }
            Op::Arith { op, lhs, rhs, dest } => {
                let (a, b) = (&self.regs[*lhs], &self.regs[*rhs]);
                // A BLOB operand of arithmetic is read as text of the
                // database encoding; || converts its operands itself.
                let (a, b) = if *op == ArithOp::Concat {
                    (Cow::Borrowed(a), Cow::Borrowed(b))
                } else {
                    (mem::blob_as_text_in(a, self.enc), mem::blob_as_text_in(b, self.enc))
                };
                let (a, b) = (a.as_ref(), b.as_ref());
                let v = match op {
                    ArithOp::Add => mem::add(a, b),
                    ArithOp::Subtract => mem::subtract(a, b),
                    ArithOp::Multiply => mem::multiply(a, b),
                    ArithOp::Divide => mem::divide(a, b),
                    ArithOp::Remainder => mem::remainder(a, b),
                    ArithOp::Concat => mem::concat_in(a, b, self.enc),
                    ArithOp::BitAnd => mem::bit_and(a, b),
                    ArithOp::BitOr => mem::bit_or(a, b),
                    ArithOp::ShiftLeft => mem::shift_left(a, b),
                    ArithOp::ShiftRight => mem::shift_right(a, b),
                };
                // As SQLite's OP_Concat: a result past SQLITE_LIMIT_LENGTH
                // is "string or blob too big".
                if let Value::Text(t) | Value::Blob(t) = &v {
                    if t.len() as u64 > conn.limits[0].max(0) as u64 {
                        return Err(Error::code(code::TOOBIG));
                    }
                }
                self.regs[*dest] = v;
            }
            Op::Negative { src, dest } => self.regs[*dest] = mem::negate(&mem::blob_as_text_in(&self.regs[*src], self.enc)),
            Op::BitNot { src, dest } => self.regs[*dest] = mem::bit_not(&mem::blob_as_text_in(&self.regs[*src], self.enc)),
            Op::Not { src, dest } => {
                self.regs[*dest] = match self.truth(&self.regs[*src]) {
                    None => Value::Null,
                    Some(b) => Value::Integer(i64::from(!b)),
                }
            }
            Op::And { lhs, rhs, dest } => {
                let (a, b) = (self.truth(&self.regs[*lhs]), self.truth(&self.regs[*rhs]));
                self.regs[*dest] = match (a, b) {
                    (Some(false), _) | (_, Some(false)) => Value::Integer(0),
                    (Some(true), Some(true)) => Value::Integer(1),
                    _ => Value::Null,
                };
            }
            Op::Or { lhs, rhs, dest } => {
                let (a, b) = (self.truth(&self.regs[*lhs]), self.truth(&self.regs[*rhs]));
                self.regs[*dest] = match (a, b) {
                    (Some(true), _) | (_, Some(true)) => Value::Integer(1),
                    (Some(false), Some(false)) => Value::Integer(0),
                    _ => Value::Null,
                };
            }
            Op::Compare { op, lhs, rhs, dest, affinity, coll } => {
                self.regs[*dest] = match self.compare(*op, *lhs, *rhs, *affinity, coll) {
                    None => Value::Null,
                    Some(b) => Value::Integer(i64::from(b)),
                };
            }
            Op::CompareJump { op, lhs, rhs, target, jump_if_null, affinity, coll } => {
                let jump = match self.compare(*op, *lhs, *rhs, *affinity, coll) {
                    None => *jump_if_null,
                    Some(b) => b,
                };
                if jump {
                    return Ok(Some(*target));
                }
            }
            Op::IsTrue { src, dest, want } => {
                let b = self.truth(&self.regs[*src]) == Some(true);
                self.regs[*dest] = Value::Integer(i64::from(b == *want));
            }
            Op::Cast { reg, type_name } => {
                let v = std::mem::take(&mut self.regs[*reg]);
                self.regs[*reg] = mem::cast_in(v, type_name, self.enc);
            }
            Op::Affinity { start, affinities } => {
                for (i, aff) in affinities.iter().enumerate() {
                    let v = std::mem::take(&mut self.regs[start + i]);
                    self.regs[start + i] = mem::apply_affinity(v, *aff);
                }
            }
            Op::TypeCheck { start, check } => {
                use crate::value::ValueType;
                for (i, (column, decl, want)) in check.columns.iter().enumerate() {
                    let Some(want) = want else { continue };
                    let v = &mut self.regs[start + i];
                    let ok = match (v.value_type(), want) {
                        (ValueType::Null, _) => true,
                        (ValueType::Integer, ValueType::Float) => {
                            if let Value::Integer(n) = *v {
                                *v = Value::Real(n as f64);
                            }
                            true
                        }
                        (have, want) => have == *want,
                    };
                    if !ok {
                        let have = match v.value_type() {
                            ValueType::Integer => "INT",
                            ValueType::Float => "REAL",
                            ValueType::Text => "TEXT",
                            ValueType::Blob => "BLOB",
                            ValueType::Null => "NULL",
                        };
                        return Err(Error::with_message(code::CONSTRAINT_DATATYPE, format!("cannot store {have} value in {decl} column {}.{column}", check.table)));
                    }
                }
            }
            Op::RealAffinity { reg } => {
                if let Value::Integer(i) = self.regs[*reg] {
                    self.regs[*reg] = Value::Real(i as f64);
                }
            }
            Op::MustBeInt { reg } => {
                let v = std::mem::take(&mut self.regs[*reg]);
                match mem::apply_affinity(v, mem::Affinity::Integer) {
                    Value::Integer(i) => self.regs[*reg] = Value::Integer(i),
                    _ => return Err(Error::code(code::MISMATCH)),
                }
            }
            Op::If { reg, target, jump_if_null } => {
                let jump = match self.truth(&self.regs[*reg]) {
                    None => *jump_if_null,
                    Some(b) => b,
                };
                if jump {
                    return Ok(Some(*target));
                }
            }
            Op::IfNot { reg, target, jump_if_null } => {
                let jump = match self.truth(&self.regs[*reg]) {
                    None => *jump_if_null,
                    Some(b) => !b,
                };
                if jump {
                    return Ok(Some(*target));
                }
            }
            Op::IsNull { reg, target } => {
                if self.regs[*reg].is_null() {
                    return Ok(Some(*target));
                }
            }
            Op::NotNull { reg, target } => {
                if !self.regs[*reg].is_null() {
                    return Ok(Some(*target));
                }
            }
            Op::IfPos { reg, target, decrement } => {
                if let Value::Integer(i) = self.regs[*reg] {
                    if i > 0 {
                        self.regs[*reg] = Value::Integer(i - decrement);
                        return Ok(Some(*target));
                    }
                }
            }
            Op::IfNotPos { reg, target } => {
                if let Value::Integer(i) = self.regs[*reg] {
                    if i <= 0 {
                        return Ok(Some(*target));
                    }
                }
            }
            Op::DecrJumpZero { reg, target } => {
                if let Value::Integer(i) = self.regs[*reg] {
                    self.regs[*reg] = Value::Integer(i - 1);
                    if i - 1 == 0 {
                        return Ok(Some(*target));
                    }
                }
            }
            Op::Function { func, args, n_args, dest, coll, binds, subtypes } => {
                // The subtypes of arguments that are function results.
                let arg_subtypes = if *subtypes != 0 && !self.reg_subtypes.is_empty() {
                    (0..*n_args).map(|i| if i < 64 && subtypes & (1u64 << i) != 0 { self.reg_subtypes.get(args + i).copied().unwrap_or(0) } else { 0 }).collect()
                } else {
                    Vec::new()
                };
                let args = &self.regs[*args..*args + *n_args];
                let translated = blobs_as_text(func, args, self.enc);
                let args = translated.as_deref().unwrap_or(args);
                let with_subtypes = !arg_subtypes.is_empty() || crate::func::user::has_arg_subtypes();
                let mut call = || -> Result<Value> { Ok(match func {
                    FuncRef::Builtin(def) => match def.kind {
                        FuncKind::Scalar(f) => {
                            let mut env = conn.func_env_with(coll.clone());
                            f(args, &mut env)?
                        }
                        FuncKind::Aggregate(_) => {
                            return Err(Error::sql(format!("misuse of aggregate function {}()", def.name)))
                        }
                    },
                    FuncRef::User(u) => match &u.imp {
                        Some(imp) if !imp.is_aggregate() => crate::func::user::with_arg_binds(*binds, || imp.call_with(args, conn))?,
                        _ => return Err(Error::sql(format!("misuse of aggregate function {}()", u.name))),
                    },
                }) };
                crate::func::user::take_result_subtype();
                let v = if with_subtypes { crate::func::user::with_arg_subtypes(arg_subtypes, call)? } else { call()? };
                self.set_result_subtype(*dest);
                self.regs[*dest] = v;
            }
            Op::AggStep { func, args, n_args, acc, coll, hit, order, binds } => {
                let agg = match &mut self.aggs[*acc] {
                    Some(a) => a,
                    slot => {
                        let inner = new_accumulator(func)?;
                        slot.insert(match order {
                            Some(o) => Box::new(crate::func::ordered::Ordered::new(inner, o.clone())),
                            None => inner,
                        })
                    }
                };
                let mut env = conn.func_env_with(coll.clone());
                let args = &self.regs[*args..*args + *n_args];
                let translated = blobs_as_text(func, args, self.enc);
                crate::func::user::with_arg_binds(*binds, || agg.step(translated.as_deref().unwrap_or(args), &mut env))?;
                if let Some(r) = hit {
                    let changed = agg.accumulator_changed();
                    self.regs[*r] = Value::Integer(i64::from(changed));
                }
            }
            Op::AggFinal { func, acc, dest } => {
                let mut agg = match self.aggs[*acc].take() {
                    Some(a) => a,
                    None => new_accumulator(func)?,
                };
                let mut env = conn.func_env();
                crate::func::user::take_result_subtype();
                self.regs[*dest] = agg.finalize(&mut env)?;
                self.set_result_subtype(*dest);
            }
            Op::Window { cursor, plan } => {
                let c = self.cursors.get_mut(*cursor).and_then(|c| c.as_mut()).ok_or_else(|| Error::with_message(code::INTERNAL, "window cursor not open"))?;
                super::window::run(plan, c, &self.regs, conn, self.enc)?;
            }
            _ => return self.exec_cursor(op, conn),
        }
        Ok(None)
    }
}

impl Vm {
    /// Register `dest` gets the subtype the function just called gave its
    /// result (0: none).
    fn set_result_subtype(&mut self, dest: usize) {
        let sub = crate::func::user::take_result_subtype();
        if sub != 0 && self.reg_subtypes.len() < self.regs.len() {
            self.reg_subtypes.resize(self.regs.len(), 0);
        }
        if let Some(s) = self.reg_subtypes.get_mut(dest) {
            *s = sub;
        }
    }
}

/// A fresh accumulator for an aggregate function.
fn new_accumulator(func: &FuncRef) -> Result<Box<dyn crate::func::Aggregate>> {
    match func {
        FuncRef::Builtin(def) => match def.kind {
            FuncKind::Aggregate(factory) => Ok(factory()),
            FuncKind::Scalar(_) => Err(Error::with_message(code::INTERNAL, "AggStep on a scalar function")),
        },
        FuncRef::User(u) => match &u.imp {
            Some(imp) if imp.is_aggregate() => Ok(imp.start()),
            _ => Err(Error::with_message(code::INTERNAL, "AggStep on a scalar function")),
        },
    }
}

impl Vm {
    /// The comparison `lhs op rhs` under `affinity` and `coll`: None when
    /// it is NULL (an operand is NULL and `op` is not IS / IS NOT).
    fn compare(&self, op: CmpOp, lhs: usize, rhs: usize, affinity: Option<mem::Affinity>, coll: &crate::collation::CollSeq) -> Option<bool> {
        let (a, b) = (&self.regs[lhs], &self.regs[rhs]);
        if a.is_null() || b.is_null() {
            return match op {
                CmpOp::Is => Some(a.is_null() && b.is_null()),
                CmpOp::IsNot => Some(!(a.is_null() && b.is_null())),
                _ => None,
            };
        }
        // Two numbers of one kind compare directly unless TEXT affinity
        // would turn them into text.
        if affinity != Some(mem::Affinity::Text) {
            let ord = match (a, b) {
                (Value::Integer(x), Value::Integer(y)) => Some(x.cmp(y)),
                (Value::Real(x), Value::Real(y)) => Some(x.partial_cmp(y).unwrap_or(Ordering::Equal)),
                _ => None,
            };
            if let Some(ord) = ord {
                return Some(cmp_result(op, ord));
            }
        }
        // The affinity only changes text under a numeric affinity and
        // numbers under TEXT; otherwise the values compare as they are (no
        // copy, the common case).
        let converts = |v: &Value, aff: mem::Affinity| match v {
            Value::Text(_) => aff.is_numeric(),
            Value::Integer(_) | Value::Real(_) => aff == mem::Affinity::Text,
            _ => false,
        };
        let ord = match affinity {
            Some(aff) if converts(a, aff) || converts(b, aff) => {
                let a2 = mem::apply_affinity(a.clone(), aff);
                let b2 = mem::apply_affinity(b.clone(), aff);
                mem::compare_in(a2.as_ref(), b2.as_ref(), coll, self.enc)
            }
            _ => mem::compare_in(a.as_ref(), b.as_ref(), coll, self.enc),
        };
        Some(cmp_result(op, ord))
    }

    /// SQLite's truth value of a register; in a UTF-16 database a BLOB's
    /// bytes are read as text of that encoding, as SQLite reads them.
    fn truth(&self, v: &Value) -> Option<bool> {
        mem::to_bool(mem::blob_as_text_in(v, self.enc).as_ref().as_ref())
    }
}

/// Whether `op` holds between two values that compare as `ord`.
#[inline]
fn cmp_result(op: CmpOp, ord: Ordering) -> bool {
    match op {
        CmpOp::Eq | CmpOp::Is => ord == Ordering::Equal,
        CmpOp::Ne | CmpOp::IsNot => ord != Ordering::Equal,
        CmpOp::Lt => ord == Ordering::Less,
        CmpOp::Le => ord != Ordering::Greater,
        CmpOp::Gt => ord == Ordering::Greater,
        CmpOp::Ge => ord != Ordering::Less,
    }
}

/// In a UTF-16 database, the arguments a built-in reads as text or numbers
/// with each BLOB translated to text from the database encoding; None when
/// nothing needs translating (a UTF-8 database, no BLOB, or a function
/// that looks at blob bytes).
fn blobs_as_text(func: &FuncRef, args: &[Value], enc: TextEncoding) -> Option<Vec<Value>> {
    if enc.is_utf8() || !args.iter().any(|a| matches!(a, Value::Blob(_))) {
        return None;
    }
    match func {
        FuncRef::Builtin(def) if !def.sees_blob_bytes() => Some(
            args.iter()
                .map(|a| match a {
                    Value::Blob(b) => Value::Text(crate::util::utf16::to_utf8(b, enc)),
                    other => other.clone(),
                })
                .collect(),
        ),
        _ => None,
    }
}
