//! Conditions compiled as jumps: a WHERE term, ON term or HAVING clause
//! decides where control goes next instead of computing a truth value.
//!
//! `jump_if(e, want, target, jump_if_null)` jumps to `target` when `e` is
//! `want` (true or false) and, when `e` is NULL, iff `jump_if_null`; it
//! falls through otherwise. AND and OR stop at the first operand that
//! decides (so a row rejected by its first term costs one comparison),
//! comparisons jump themselves (CompareJump), IS NULL, BETWEEN and IN over
//! constants need no intermediate register, NOT swaps the sense of the
//! jump, and literal operands are loaded once, in the prologue.
//!
//! Invariant: the jump is taken exactly when evaluating `e` with
//! three-valued logic would give `want` (or NULL, with `jump_if_null`);
//! anything not handled here is computed into a register and tested with
//! If / IfNot, so the two compilations never disagree.

use crate::error::Result;
use crate::parse::ast::{BinaryOp, Expr, Literal, UnaryOp};
use crate::vdbe::mem::Affinity;
use crate::vdbe::{Addr, CmpOp, Op, Reg};

use super::Builder;

/// The comparison that is true exactly when `op` is false (NULL stays
/// NULL: NULL operands give NULL either way, except for IS / IS NOT).
fn negated(op: CmpOp) -> CmpOp {
    match op {
        CmpOp::Eq => CmpOp::Ne,
        CmpOp::Ne => CmpOp::Eq,
        CmpOp::Lt => CmpOp::Ge,
        CmpOp::Ge => CmpOp::Lt,
        CmpOp::Le => CmpOp::Gt,
        CmpOp::Gt => CmpOp::Le,
        CmpOp::Is => CmpOp::IsNot,
        CmpOp::IsNot => CmpOp::Is,
    }
}

/// The constant `e` is, if it is a literal (or a negated number) whose
/// value does not depend on when it is read.
fn literal_of(e: &Expr) -> Option<(&Literal, bool)> {
    match e {
        Expr::Literal(l @ (Literal::Null | Literal::Number(_) | Literal::String(_) | Literal::Blob(_))) => Some((l, false)),
        Expr::Unary(UnaryOp::Neg, a) => match a.as_ref() {
            Expr::Literal(l @ Literal::Number(_)) => Some((l, true)),
            _ => None,
        },
        _ => None,
    }
}

fn comparison(op: BinaryOp) -> Option<CmpOp> {
    Some(match op {
        BinaryOp::Eq => CmpOp::Eq,
        BinaryOp::Ne => CmpOp::Ne,
        BinaryOp::Lt => CmpOp::Lt,
        BinaryOp::Le => CmpOp::Le,
        BinaryOp::Gt => CmpOp::Gt,
        BinaryOp::Ge => CmpOp::Ge,
        BinaryOp::Is => CmpOp::Is,
        BinaryOp::IsNot => CmpOp::IsNot,
        _ => return None,
    })
}

impl Builder<'_> {
    /// Jumps to `target` when `e` is false, or NULL if `jump_if_null`.
    pub fn jump_if_false(&mut self, e: &Expr, target: Addr, jump_if_null: bool) -> Result<()> {
        self.jump_if(e, false, target, jump_if_null)
    }

    /// Jumps to `target` when `e` is `want`; when NULL, iff `jump_if_null`.
    pub fn jump_if(&mut self, e: &Expr, want: bool, target: Addr, jump_if_null: bool) -> Result<()> {
        if !self.is_substituted(e) {
            match e {
                Expr::Binary(a, op @ (BinaryOp::And | BinaryOp::Or), b) => {
                    let is_and = *op == BinaryOp::And;
                    if is_and != want {
                        // A false operand makes AND false, a true one makes
                        // OR true; a NULL one decides only with the other.
                        self.jump_if(a, want, target, jump_if_null)?;
                        self.jump_if(b, want, target, jump_if_null)?;
                    } else {
                        // Both operands must agree: one that does not
                        // (counting NULL as agreeing when NULL jumps) skips.
                        let skip = self.new_label();
                        self.jump_if(a, !want, skip, !jump_if_null)?;
                        self.jump_if(b, want, target, jump_if_null)?;
                        self.resolve(skip);
                    }
                    return Ok(());
                }
                Expr::Binary(a, op, b) if !matches!((a.as_ref(), b.as_ref()), (Expr::Vector(_), Expr::Vector(_))) => {
                    if let Some(c) = comparison(*op) {
                        let ra = self.operand(a)?;
                        let rb = self.operand(b)?;
                        return self.compare_jump(a, ra, b, rb, c, want, target, jump_if_null);
                    }
                }
                Expr::Unary(UnaryOp::Not, a) => return self.jump_if(a, !want, target, jump_if_null),
                Expr::IsNull { expr, not } => {
                    let r = self.expr_to_reg(expr)?;
                    if want != *not {
                        self.emit(Op::IsNull { reg: r, target });
                    } else {
                        self.emit(Op::NotNull { reg: r, target });
                    }
                    return Ok(());
                }
                Expr::Between { expr, not, low, high } => {
                    let x = self.expr_to_reg(expr)?;
                    let lo = self.operand(low)?;
                    let hi = self.operand(high)?;
                    // x BETWEEN lo AND hi is (x >= lo AND x <= hi).
                    if want != *not {
                        let skip = self.new_label();
                        self.compare_jump(expr, x, low, lo, CmpOp::Ge, false, skip, !jump_if_null)?;
                        self.compare_jump(expr, x, high, hi, CmpOp::Le, true, target, jump_if_null)?;
                        self.resolve(skip);
                    } else {
                        self.compare_jump(expr, x, low, lo, CmpOp::Ge, false, target, jump_if_null)?;
                        self.compare_jump(expr, x, high, hi, CmpOp::Le, false, target, jump_if_null)?;
                    }
                    return Ok(());
                }
                Expr::InList { expr, not, list } if !list.is_empty() && list.iter().all(|i| literal_of(i).is_some_and(|(l, _)| !matches!(l, Literal::Null))) && !matches!(expr.as_ref(), Expr::Vector(_)) => {
                    // Against constants that are not NULL, x IN (...) is
                    // NULL exactly when x is, and true when one item equals x.
                    let x = self.expr_to_reg(expr)?;
                    if want != *not {
                        for item in list {
                            let r = self.operand(item)?;
                            self.compare_jump(expr, x, item, r, CmpOp::Eq, true, target, false)?;
                        }
                        if jump_if_null {
                            self.emit(Op::IsNull { reg: x, target });
                        }
                    } else {
                        let skip = self.new_label();
                        self.emit(Op::IsNull { reg: x, target: if jump_if_null { target } else { skip } });
                        for item in list {
                            let r = self.operand(item)?;
                            self.compare_jump(expr, x, item, r, CmpOp::Eq, true, skip, false)?;
                        }
                        self.emit(Op::Goto { target });
                        self.resolve(skip);
                    }
                    return Ok(());
                }
                _ => {}
            }
        }
        let r = self.expr_to_reg(e)?;
        if want {
            self.emit(Op::If { reg: r, target, jump_if_null });
        } else {
            self.emit(Op::IfNot { reg: r, target, jump_if_null });
        }
        Ok(())
    }

    /// A register holding the value of `e`: a literal is loaded once, in
    /// the prologue (only comparisons read these registers), anything else
    /// is computed here.
    fn operand(&mut self, e: &Expr) -> Result<Reg> {
        match literal_of(e) {
            Some((lit, negated)) if !self.is_substituted(e) => {
                let r = self.alloc_reg();
                let at = self.ops.len();
                self.literal(lit, negated, r)?;
                let load = self.ops.split_off(at);
                self.hoisted.extend(load);
                Ok(r)
            }
            _ => self.expr_to_reg(e),
        }
    }

    /// `expr_affinity` and `expr_collation` of `e`, resolving a column
    /// name once for both.
    fn operand_facts(&mut self, e: &Expr) -> (Option<Affinity>, (Option<String>, bool)) {
        if matches!(e, Expr::Column { .. } | Expr::DoubleQuotedId(_)) {
            if let Ok(Some(c)) = self.column_ref(e) {
                return (c.affinity, (c.collation, false));
            }
        }
        (self.expr_affinity(e), self.expr_collation(e))
    }

    /// Jumps when `a op b` (registers `ra`, `rb`) is `want`, with the
    /// affinity and collation the comparison of those expressions takes.
    #[allow(clippy::too_many_arguments)]
    fn compare_jump(&mut self, a: &Expr, ra: Reg, b: &Expr, rb: Reg, op: CmpOp, want: bool, target: Addr, jump_if_null: bool) -> Result<()> {
        let (aff_a, coll_a) = self.operand_facts(a);
        let (aff_b, coll_b) = self.operand_facts(b);
        let affinity = super::expr::comparison_affinity(aff_a, aff_b);
        let coll = Self::comparison_collation_of(coll_a, coll_b)?;
        let op = if want { op } else { negated(op) };
        self.emit(Op::CompareJump { op, lhs: ra, rhs: rb, target, jump_if_null, affinity, coll });
        Ok(())
    }
}
