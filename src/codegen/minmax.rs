//! The min/max optimisation: `SELECT max(c), ... FROM t [WHERE ...]`
//! (or min) reads one index entry instead of the whole table when c is
//! the rowid or the first column of an index with the aggregate's
//! collation, as SQLite does.
//!
//! The query keeps its aggregate but reads from
//! `(SELECT * FROM t WHERE ... AND c IS NOT NULL ORDER BY c [DESC]
//! LIMIT 1) AS t`: the planner satisfies that ORDER BY by walking the
//! index (or the table by rowid), the LIMIT stops at the first entry, and
//! the aggregate then sees that one row, so bare columns come from the
//! row the index gives first, as in SQLite; with no such row the
//! aggregate still returns its one row of NULL.
//! Invariant: only applied when the answer cannot change — the one
//! aggregate of the query (select list and ORDER BY) is a built-in
//! min/max of a single column, no GROUP BY, HAVING, DISTINCT, window or
//! join, and an index orders the column the way the aggregate compares it
//! (else the subquery would sort).

use crate::func::user::{find_function, Found};
use crate::parse::ast::{BinaryOp, Expr, FunctionArgs, Limit, Literal, OrderingTerm, ResultColumn, Select, SelectBody, SelectCore, SortOrder, TableRef};
use crate::schema::is_rowid_name;

use super::select::collect_aggregates;
use super::Builder;

/// The rewritten select body, when `body` (with the outer `order_by`)
/// qualifies.
pub(super) fn rewrite(b: &Builder<'_>, body: &SelectBody, order_by: &[OrderingTerm]) -> Option<SelectBody> {
    if body.distinct || !body.group_by.is_empty() || body.having.is_some() || !body.windows.is_empty() {
        return None;
    }
    let mut aggs = Vec::new();
    for c in &body.columns {
        match c {
            ResultColumn::Expr { expr, .. } => collect_aggregates(expr, &mut aggs),
            _ => return None,
        }
    }
    for t in order_by {
        collect_aggregates(&t.expr, &mut aggs);
    }
    let [Expr::Function(fc)] = aggs.as_slice() else { return None };
    let max = if fc.name.eq_ignore_ascii_case("max") {
        true
    } else if fc.name.eq_ignore_ascii_case("min") {
        false
    } else {
        return None;
    };
    if !fc.order_by.is_empty() || fc.filter.is_some() || fc.over.is_some() {
        return None;
    }
    let FunctionArgs::List(args) = &fc.args else { return None };
    if args.len() != 1 || !matches!(find_function(&fc.name, 1), Found::Builtin(_)) {
        return None;
    }
    let from = body.from.as_ref()?;
    if !from.joins.is_empty() {
        return None;
    }
    let TableRef::Table { name, alias: table_alias, indexed: None, args: None } = &from.first else { return None };
    if name.schema.is_none() && b.ctes.iter().any(|c| c.cte.name.eq_ignore_ascii_case(&name.name)) {
        return None;
    }
    let table = b.schemas.find_table(name.schema.as_deref(), &name.name)?;
    if table.is_view() || table.check_usable().is_err() || crate::schema::SchemaSet::is_schema_table(&table.name) {
        return None;
    }
    // The argument: a column of the table, perhaps with COLLATE.
    let (col_expr, explicit) = match &args[0] {
        Expr::Collate { expr, collation } => (expr.as_ref(), Some(collation.as_str())),
        e => (e, None),
    };
    let Expr::Column { schema: None, table: qual, column } = col_expr else { return None };
    let label = table_alias.clone().unwrap_or_else(|| table.name.clone());
    if qual.as_deref().is_some_and(|q| !q.eq_ignore_ascii_case(&label)) {
        return None;
    }
    let ordered = match table.column_index(column) {
        Some(i) if table.rowid_alias == Some(i) => true,
        Some(i) => {
            let coll = explicit.or(table.columns[i].collation.as_deref()).unwrap_or("BINARY");
            super::plan::searchable_indexes(b, &table).iter().any(|ix| {
                ix.partial.is_none() && ix.columns.first().is_some_and(|c| c.column == Some(i) && c.collation.name().eq_ignore_ascii_case(coll))
            })
        }
        None => is_rowid_name(column) && !table.without_rowid,
    };
    if !ordered {
        return None;
    }
    // The outer query reads the subquery's columns: the table's, plus a
    // column for each rowid word it uses; no schema-qualified names.
    let mut plain = true;
    let mut rowid_words: Vec<String> = Vec::new();
    let mut used = vec![false; table.columns.len()];
    let outer_exprs = body.columns.iter().filter_map(|c| match c {
        ResultColumn::Expr { expr, .. } => Some(expr),
        _ => None,
    });
    for expr in outer_exprs.chain(order_by.iter().map(|t| &t.expr)) {
        super::expr::walk(expr, &mut |x| {
            if let Expr::Column { schema, column, .. } = x {
                if schema.is_some() {
                    plain = false;
                } else if let Some(i) = table.column_index(column) {
                    used[i] = true;
                } else if is_rowid_name(column) && !rowid_words.iter().any(|w| w.eq_ignore_ascii_case(column)) {
                    rowid_words.push(column.clone());
                }
            }
            true
        });
    }
    if !plain {
        return None;
    }
    // The table's columns by name, those the outer query does not read as
    // NULL (the one row is copied into the subquery's table: a column
    // left out is not read from the record).
    let mut columns: Vec<ResultColumn> = table
        .columns
        .iter()
        .zip(&used)
        .map(|(c, &u)| {
            let expr = if u { Expr::Column { schema: None, table: None, column: c.name.clone() } } else { Expr::Literal(Literal::Null) };
            ResultColumn::Expr { expr, alias: Some(c.name.clone()), text: c.name.clone() }
        })
        .collect();
    for w in rowid_words {
        columns.push(ResultColumn::Expr { expr: Expr::Column { schema: None, table: None, column: w.clone() }, alias: Some(w.clone()), text: w });
    }
    let not_null = Expr::IsNull { expr: Box::new(col_expr.clone()), not: true };
    let inner_where = match &body.where_ {
        Some(w) => Expr::Binary(Box::new(w.clone()), BinaryOp::And, Box::new(not_null)),
        None => not_null,
    };
    let inner = SelectBody {
        distinct: false,
        columns,
        from: Some(from.clone()),
        where_: Some(inner_where),
        group_by: Vec::new(),
        having: None,
        windows: Vec::new(),
    };
    let sub = Select {
        with: None,
        core: SelectCore::Select(Box::new(inner)),
        compounds: Vec::new(),
        order_by: vec![OrderingTerm { expr: args[0].clone(), order: Some(if max { SortOrder::Desc } else { SortOrder::Asc }), nulls: None }],
        limit: Some(Limit { limit: Expr::Literal(Literal::Number("1".into())), offset: None }),
    };
    let from = crate::parse::ast::From { first: TableRef::Subquery { select: Box::new(sub), alias: Some(label) }, joins: Vec::new() };
    // A result column that is a bare rowid word keeps the name SQLite
    // gives it (the INTEGER PRIMARY KEY's, else "rowid").
    let rowid_name = table.rowid_alias.map_or("rowid".to_string(), |i| table.columns[i].name.clone());
    let columns = body
        .columns
        .iter()
        .map(|c| match c {
            ResultColumn::Expr { expr: Expr::Column { column, .. }, alias: None, text } if is_rowid_name(column) && table.column_index(column).is_none() => {
                ResultColumn::Expr { expr: Expr::Column { schema: None, table: None, column: column.clone() }, alias: Some(rowid_name.clone()), text: text.clone() }
            }
            other => other.clone(),
        })
        .collect();
    Some(SelectBody { from: Some(from), where_: None, columns, ..body.clone() })
}
