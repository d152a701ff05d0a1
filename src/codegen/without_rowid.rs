//! The code generator's side of WITHOUT ROWID tables: what differs from
//! a rowid table when their rows are written. Such a row is named by a
//! record of its PRIMARY KEY values wherever a rowid table's row is named
//! by its rowid (the VDBE's OP_Rowid / OP_SeekRowid / OP_IdxRowid give and
//! take that record on these tables' cursors, see `record::WithoutRowid`),
//! so reads, searches and most of the writes share the rowid tables' code;
//! here are the name of a new row and the order of its uniqueness checks.
//!
//! Invariant: a row's name is made after the columns' affinities are
//! applied, from the same values its record stores.

use crate::schema::Index;
use crate::vdbe::{OnError, Op, Reg};

use super::dml::Target;
use super::upsert::Constraint;
use super::Builder;

/// Makes the name of a WITHOUT ROWID row, the record of its PRIMARY KEY
/// values, from the row image in registers `row`, into `dest`.
pub(super) fn pk_locator(b: &mut Builder<'_>, pk: &Index, row: Reg, dest: Reg) {
    let n = pk.columns.len();
    let key = b.alloc_regs(n);
    for (k, c) in pk.columns.iter().enumerate() {
        if let Some(col) = c.column {
            b.emit(Op::Copy { src: row + col, dest: key + k, count: 1 });
        }
    }
    b.emit(Op::MakeRecord { start: key, count: n, dest });
}

/// `constraint_order` for a WITHOUT ROWID table (without upsert): its
/// PRIMARY KEY is one of its indexes, created where its constraint was
/// declared among the UNIQUE constraints, and takes its turn in the same
/// list (each new index first, REPLACE ones last).
pub(super) fn constraint_order(tg: &Target, pk: &Index) -> Vec<Constraint> {
    let autos = tg.indexes.iter().take_while(|(ix, _)| ix.sql.is_none()).count();
    let n: usize = pk.name.rsplit('_').next().and_then(|d| d.parse().ok()).unwrap_or(1);
    let mut created: Vec<Constraint> = (0..tg.indexes.len()).map(Constraint::Index).collect();
    created.insert(n.saturating_sub(1).min(autos), Constraint::Rowid);
    let is_replace = |c: Constraint| match c {
        Constraint::Rowid => tg.table.pk_conflict == Some(OnError::Replace),
        Constraint::Index(i) => tg.indexes[i].0.on_conflict == Some(OnError::Replace),
    };
    let mut list: Vec<Constraint> = Vec::new();
    for c in created {
        if !is_replace(c) || list.is_empty() || is_replace(list[0]) {
            list.insert(0, c);
        } else {
            let at = (1..list.len()).find(|&k| is_replace(list[k])).unwrap_or(list.len());
            list.insert(at, c);
        }
    }
    list.retain(|c| match c {
        Constraint::Rowid => true,
        Constraint::Index(i) => tg.indexes[*i].0.unique,
    });
    list
}
