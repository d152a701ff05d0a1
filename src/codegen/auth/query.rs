//! The walk of queries and expressions: names resolved in the order of
//! SQLite's resolver (READ, FUNCTION), then what its code generator asks
//! (SELECT, RECURSIVE, the READ of an unused table), following its
//! flattener, EXISTS-to-join rewrite and IN-from-B-tree shortcut.

use std::sync::Arc;

use crate::error::{Error, Result};
use crate::parse::ast::{self, Expr, FunctionArgs, JoinConstraint, ResultColumn, Select, SelectCore, TableRef};

use super::super::expr::ROWID;
use super::{malfunction, AuthAction, AUTH_DENY, AUTH_IGNORE, AUTH_OK};
use super::walk::{table_item, view_table, FromEntry, Item, Merge, QueryKind, QueryPlan, Walk};

impl Walk<'_, '_> {

    /// Resolves a query's names as SQLite's resolver does (FROM-clause
    /// subqueries first, then result columns, HAVING, WHERE with the ON
    /// clauses, ORDER BY, GROUP BY; compound arms right to left) and
    /// returns what its code generation will ask.
    pub(super) fn resolve_select(&mut self, sel: &Select, ctx: Option<String>) -> Result<QueryPlan> {
        self.resolve_select_named(sel, ctx).map(|(p, _)| p)
    }

    /// A query's plan and result column names.
    pub(super) fn resolve_select_named(&mut self, sel: &Select, ctx: Option<String>) -> Result<(QueryPlan, Vec<String>)> {
        self.with_ctes(sel.with.as_ref());
        let r = self.resolve_select_inner(sel, ctx);
        self.ctes.pop();
        r
    }

    pub(super) fn resolve_select_inner(&mut self, sel: &Select, ctx: Option<String>) -> Result<(QueryPlan, Vec<String>)> {
        if sel.compounds.is_empty() {
            return self.resolve_core(&sel.core, &sel.order_by, ctx);
        }
        let mut cores: Vec<&SelectCore> = vec![&sel.core];
        cores.extend(sel.compounds.iter().map(|(_, c)| c));
        let mut arms: Vec<QueryPlan> = Vec::with_capacity(cores.len());
        let mut names = Vec::new();
        for core in cores.iter().rev() {
            let (p, n) = self.resolve_core(core, &[], ctx.clone())?;
            arms.push(p);
            names = n;
        }
        arms.reverse();
        Ok((QueryPlan { ctx, kind: QueryKind::Compound(arms), ..QueryPlan::default() }, names))
    }

    /// One SELECT core; returns its plan and its result column names.
    pub(super) fn resolve_core(&mut self, core: &SelectCore, order_by: &[ast::OrderingTerm], ctx: Option<String>) -> Result<(QueryPlan, Vec<String>)> {
        let mut plan = QueryPlan { ctx, ..QueryPlan::default() };
        let body = match core {
            SelectCore::Values(rows) => {
                if rows.len() > 1 {
                    // Coded as a co-routine: a query of its own.
                    plan.subqueries.push(QueryPlan { ctx: plan.ctx.clone(), ..QueryPlan::default() });
                }
                self.scopes.push(Vec::new());
                for row in rows {
                    for e in row {
                        self.expr_collecting(e, &mut plan.subqueries)?;
                        self.flush()?;
                    }
                }
                self.scopes.pop();
                let n = rows.first().map_or(0, |r| r.len());
                return Ok((plan, (1..=n).map(|i| format!("column{i}")).collect()));
            }
            SelectCore::Select(body) => body,
        };
        let mut items = Vec::new();
        let mut from_subs = Vec::new();
        if let Some(from) = &body.from {
            let saved = std::mem::take(&mut self.pending_pragmas);
            let r = self.from_items(from, &mut items, &mut from_subs);
            plan.pragmas = std::mem::replace(&mut self.pending_pragmas, saved);
            r?;
        }
        self.scopes.push(items);
        let r = self.resolve_body(body, order_by, &mut plan);
        let items = self.scopes.pop().unwrap_or_default();
        let names = r?;
        let mut from_subs: Vec<Option<QueryPlan>> = from_subs.into_iter().map(Some).collect();
        for it in &items {
            if let Some(p) = it.sub.and_then(|i| from_subs.get_mut(i)).and_then(Option::take) {
                plan.from.push(FromEntry::Sub(p));
            } else if let Some(n) = &it.own_name {
                plan.from.push(FromEntry::Table(n.clone(), it.written_db.clone(), it.used));
            }
        }
        Ok((plan, names))
    }

    pub(super) fn resolve_body(&mut self, body: &ast::SelectBody, order_by: &[ast::OrderingTerm], plan: &mut QueryPlan) -> Result<Vec<String>> {
        let mut names = Vec::new();
        let mut aliases: Vec<String> = Vec::new();
        for c in &body.columns {
            match c {
                ResultColumn::Expr { expr, alias, text } => {
                    self.expr_collecting(expr, &mut plan.subqueries)?;
                    self.flush()?;
                    if let Some(a) = alias {
                        aliases.push(a.to_ascii_lowercase());
                    }
                    names.push(alias.clone().unwrap_or_else(|| match expr {
                        Expr::Column { column, .. } => column.clone(),
                        _ => text.clone(),
                    }));
                }
                ResultColumn::Star | ResultColumn::TableStar(_) => {
                    let only = match c {
                        ResultColumn::TableStar(t) => Some(t.clone()),
                        _ => None,
                    };
                    let n_items = self.scopes.last().map_or(0, |s| s.len());
                    for i in 0..n_items {
                        let (cols, hidden) = {
                            let Some(it) = self.scopes.last().and_then(|s| s.get(i)) else { continue };
                            if only.as_ref().is_some_and(|o| !o.eq_ignore_ascii_case(&it.name)) {
                                continue;
                            }
                            (it.columns.clone(), it.hidden.clone())
                        };
                        let depth = self.scopes.len().saturating_sub(1);
                        for cname in cols.iter() {
                            // `*` shows a USING column once; `t.*` all of t.
                            if only.is_none() && hidden.contains(&cname.to_ascii_lowercase()) {
                                continue;
                            }
                            names.push(cname.clone());
                            aliases.push(cname.to_ascii_lowercase());
                            self.read_item_column(depth, i, cname, only.is_none());
                            self.flush()?;
                        }
                    }
                }
            }
        }
        if let Some(h) = &body.having {
            self.expr_collecting(h, &mut plan.subqueries)?;
            self.flush()?;
        }
        // The WINDOW clause's definitions.
        for (_, def) in &body.windows {
            for x in def.partition_by.iter().chain(def.order_by.iter().map(|o| &o.expr)) {
                self.expr_collecting(x, &mut plan.subqueries)?;
            }
            self.flush()?;
        }
        if let Some(w) = &body.where_ {
            let mut joins = Vec::new();
            self.exists_to_join(w, &mut joins);
            let saved = std::mem::replace(&mut self.exists_joins, joins);
            let r = self.expr_collecting(w, &mut plan.subqueries);
            self.exists_joins = saved;
            r?;
            self.flush()?;
        }
        if let Some(from) = &body.from {
            let mut ons = Vec::new();
            collect_ons(from, &mut ons);
            for on in ons {
                self.expr_collecting(on, &mut plan.subqueries)?;
                self.flush()?;
            }
        }
        for o in order_by {
            if is_result_reference(&o.expr, &aliases) {
                continue;
            }
            self.expr_collecting(&o.expr, &mut plan.subqueries)?;
            self.flush()?;
        }
        for g in &body.group_by {
            if is_result_reference(g, &aliases) {
                continue;
            }
            self.expr_collecting(g, &mut plan.subqueries)?;
            self.flush()?;
        }
        Ok(names)
    }

    /// The items of a FROM clause; subqueries, views and CTEs are resolved
    /// here, before the query's own names, with their name as context.
    pub(super) fn from_items(&mut self, from: &ast::From, items: &mut Vec<Item>, subs: &mut Vec<QueryPlan>) -> Result<()> {
        self.from_item(&from.first, items, subs)?;
        for j in &from.joins {
            let start = items.len();
            self.from_item(&j.table, items, subs)?;
            if items.len() != start + 1 {
                continue;
            }
            // USING / NATURAL: each shared column is the earlier item's.
            let cols: Vec<String> = match &j.constraint {
                Some(JoinConstraint::Using(c)) => c.clone(),
                _ if j.op.natural => items[start].columns.iter().filter(|c| items[..start].iter().any(|it| !it.hidden.iter().any(|h| h.eq_ignore_ascii_case(c)) && it.columns.iter().any(|x| x.eq_ignore_ascii_case(c)))).cloned().collect(),
                _ => Vec::new(),
            };
            let how = match j.op.kind {
                ast::JoinKind::Right => Merge::Right,
                ast::JoinKind::Full => Merge::Full,
                _ => Merge::Left,
            };
            for col in cols {
                let lc = col.to_ascii_lowercase();
                let Some(left) = items[..start].iter().position(|it| !it.hidden.contains(&lc) && it.columns.iter().any(|x| x.eq_ignore_ascii_case(&col))) else { continue };
                items[start].hidden.push(lc.clone());
                items[left].merged.push((lc, start, how));
            }
        }
        Ok(())
    }

    /// Reads column `column` of item `ii` of scope `depth` (marking the
    /// item used), or, for a USING column a RIGHT / FULL join merged, the
    /// later item's too or instead.
    fn read_item_column(&mut self, depth: usize, ii: usize, column: &str, through_using: bool) {
        let lc = column.to_ascii_lowercase();
        let merge = if through_using {
            self.scopes.get(depth).and_then(|s| s.get(ii)).and_then(|it| it.merged.iter().find(|(c, _, _)| *c == lc)).map(|(_, r, how)| (*r, *how))
        } else {
            None
        };
        let order: Vec<usize> = match merge {
            Some((r, Merge::Right)) => vec![r],
            Some((r, Merge::Full)) => vec![ii, r],
            _ => vec![ii],
        };
        for i in order {
            let Some(it) = self.scopes.get_mut(depth).and_then(|s| s.get_mut(i)) else { continue };
            let Some(t) = it.table.clone() else { continue };
            let ci = match it.columns.iter().position(|c| c.eq_ignore_ascii_case(column)) {
                Some(ci) => ci,
                None if crate::schema::is_rowid_name(column) => ROWID,
                None => continue,
            };
            let col = if ci != ROWID && t.rowid_alias == Some(ci) { ROWID } else { ci };
            if col != ROWID {
                it.used = true;
            }
            self.read_column(&t, col);
        }
    }

    pub(super) fn find_cte(&self, name: &str) -> Option<(ast::Cte, bool)> {
        self.ctes.iter().rev().flat_map(|l| l.iter()).find(|(c, _)| c.name.eq_ignore_ascii_case(name)).cloned()
    }

    pub(super) fn from_item(&mut self, r: &TableRef, items: &mut Vec<Item>, subs: &mut Vec<QueryPlan>) -> Result<()> {
        match r {
            TableRef::Table { name, alias, args, .. } => {
                if let Some((pragma, columns, arg)) = self.pragma_function(name, args.as_deref()) {
                    // A pragma as a table-valued function: its columns are
                    // read from main, and the pragma itself is authorized.
                    let t = Arc::new(crate::schema::Table { name: name.name.to_ascii_lowercase(), ..crate::schema::Schema::schema_table(0) });
                    let t = Arc::new(view_table(&t, &columns));
                    let mut it = table_item(&alias.clone().unwrap_or_else(|| name.name.clone()), t, None);
                    it.is_subquery = true;
                    items.push(it);
                    self.pending_pragmas.push((pragma, arg));
                    return Ok(());
                }
                if args.is_some() {
                    items.push(Item { name: alias.clone().unwrap_or_else(|| name.name.clone()), table: None, columns: Vec::new(), own_name: None, written_db: None, is_subquery: true, used: true, sub: None, hidden: Vec::new(), merged: Vec::new() });
                    return Ok(());
                }
                if name.schema.is_none() {
                    if let Some((cte, recursive)) = self.find_cte(&name.name) {
                        let item_name = alias.clone().unwrap_or_else(|| name.name.clone());
                        if self.expanding.contains(&format!("c:{}", cte.name.to_ascii_lowercase())) {
                            let columns = if cte.columns.is_empty() { shallow_names(&cte.select) } else { cte.columns.clone() };
                            items.push(Item { name: item_name, table: None, columns, own_name: None, written_db: None, is_subquery: true, used: true, sub: None, hidden: Vec::new(), merged: Vec::new() });
                            return Ok(());
                        }
                        let (mut plan, names) = self.resolve_cte(&cte, recursive)?;
                        let columns = if cte.columns.is_empty() { names } else { cte.columns.clone() };
                        plan.flattenable = !recursive && flattenable(&cte.select);
                        subs.push(plan);
                        items.push(Item { name: alias.clone().unwrap_or_else(|| name.name.clone()), table: None, columns, own_name: None, written_db: None, is_subquery: true, used: true, sub: Some(subs.len() - 1), hidden: Vec::new(), merged: Vec::new() });
                        return Ok(());
                    }
                }
                let Some(t) = self.find_table(name) else { return Ok(()) };
                let item_name = alias.clone().unwrap_or_else(|| name.name.clone());
                if let Some(view) = &t.view {
                    let key = format!("v:{}:{}", t.db, t.name.to_ascii_lowercase());
                    if self.expanding.contains(&key) {
                        // A circularly defined view: the code generator
                        // reports it.
                        items.push(Item { name: item_name, table: None, columns: Vec::new(), own_name: None, written_db: None, is_subquery: true, used: true, sub: None, hidden: Vec::new(), merged: Vec::new() });
                        return Ok(());
                    }
                    self.expanding.push(key);
                    let saved = self.ctx.replace(t.name.clone());
                    let saved_scopes = std::mem::take(&mut self.scopes);
                    let saved_ctes = std::mem::take(&mut self.ctes);
                    let r = self.resolve_select_named(view, Some(t.name.clone()));
                    self.scopes = saved_scopes;
                    self.ctes = saved_ctes;
                    self.ctx = saved;
                    self.expanding.pop();
                    let (mut plan, names) = r?;
                    plan.flattenable = flattenable(view);
                    subs.push(plan);
                    // The view's columns: its column list, else its query's.
                    let t = if t.columns.is_empty() { Arc::new(view_table(&t, &names)) } else { t };
                    let mut it = table_item(&item_name, t.clone(), None);
                    it.is_subquery = true;
                    it.sub = Some(subs.len() - 1);
                    items.push(it);
                } else {
                    items.push(table_item(&item_name, t.clone(), Some((t.name.clone(), name.schema.clone()))));
                }
            }
            TableRef::Subquery { select, alias } => {
                let saved_scopes = std::mem::take(&mut self.scopes);
                let r = self.resolve_select_named(select, None);
                self.scopes = saved_scopes;
                let (mut plan, columns) = r?;
                plan.flattenable = flattenable(select);
                subs.push(plan);
                items.push(Item { name: alias.clone().unwrap_or_default(), table: None, columns, own_name: None, written_db: None, is_subquery: true, used: true, sub: Some(subs.len() - 1), hidden: Vec::new(), merged: Vec::new() });
            }
            TableRef::Nested { from, .. } => self.from_items(from, items, subs)?,
        }
        Ok(())
    }

    pub(super) fn resolve_cte(&mut self, cte: &ast::Cte, recursive: bool) -> Result<(QueryPlan, Vec<String>)> {
        let saved = self.ctx.replace(cte.name.clone());
        let saved_scopes = std::mem::take(&mut self.scopes);
        // While its body resolves, the CTE's own name is the recursive
        // table (or a circular reference): an item without a table.
        self.expanding.push(format!("c:{}", cte.name.to_ascii_lowercase()));
        let self_ref = recursive && select_mentions(&cte.select, &cte.name);
        let r = if self_ref {
            let mut cores: Vec<&SelectCore> = vec![&cte.select.core];
            cores.extend(cte.select.compounds.iter().map(|(_, c)| c));
            let mut arms = Vec::new();
            let mut names = Vec::new();
            let mut err = None;
            for core in cores.iter().rev() {
                match self.resolve_core(core, &[], Some(cte.name.clone())) {
                    Ok((p, n)) => {
                        arms.push(p);
                        names = n;
                    }
                    Err(e) => {
                        err = Some(e);
                        break;
                    }
                }
            }
            match err {
                Some(e) => Err(e),
                None => {
                    arms.reverse();
                    Ok((QueryPlan { ctx: Some(cte.name.clone()), kind: QueryKind::Recursive(arms), ..QueryPlan::default() }, names))
                }
            }
        } else {
            self.resolve_select_named(&cte.select, Some(cte.name.clone()))
        };
        self.expanding.pop();
        self.scopes = saved_scopes;
        self.ctx = saved;
        r
    }

    // ------------------------------------------------------- code generation

    /// What sqlite3Select asks while it codes `plan`: SELECT, then the
    /// rest.
    pub(super) fn codegen(&mut self, plan: &QueryPlan) -> Result<()> {
        let saved = std::mem::replace(&mut self.ctx, plan.ctx.clone());
        let r = self.check(AuthAction::Select, None, None, None).and_then(|_| self.codegen_rest(plan));
        self.ctx = saved;
        r
    }

    pub(super) fn codegen_rest(&mut self, plan: &QueryPlan) -> Result<()> {
        match &plan.kind {
            QueryKind::Compound(arms) => {
                for _ in 2..arms.len() {
                    self.check(AuthAction::Select, None, None, None)?;
                }
                for a in arms {
                    self.codegen(a)?;
                }
            }
            QueryKind::Recursive(arms) => {
                self.check(AuthAction::Recursive, None, None, None)?;
                for a in arms {
                    self.codegen(a)?;
                }
            }
            QueryKind::NotCoded => {}
            QueryKind::Simple | QueryKind::Joined => {
                // The flattener first (each merged subquery asks SELECT),
                // then the FROM loop over the merged list: the READ of each
                // table none of whose columns is read, the code of each
                // subquery left; tables an EXISTS brought into the join come
                // last.
                self.flatten(plan)?;
                self.from_loop(plan)?;
                for s in plan.subqueries.iter().filter(|s| matches!(s.kind, QueryKind::Joined)) {
                    self.from_loop(s)?;
                }
                self.expression_subqueries(plan)?;
            }
        }
        Ok(())
    }

    pub(super) fn flatten(&mut self, plan: &QueryPlan) -> Result<()> {
        for e in &plan.from {
            if let FromEntry::Sub(p) = e {
                if p.flattenable {
                    let saved = std::mem::replace(&mut self.ctx, p.ctx.clone());
                    let r = self.check(AuthAction::Select, None, None, None);
                    self.ctx = saved;
                    r?;
                    self.flatten(p)?;
                }
            }
        }
        Ok(())
    }

    pub(super) fn from_loop(&mut self, plan: &QueryPlan) -> Result<()> {
        // SQLite asks about a pragma function's PRAGMA when the statement
        // first runs it; Ferrolite asks while compiling.
        for (pragma, arg) in &plan.pragmas {
            self.check(AuthAction::Pragma, Some(pragma), arg.as_deref(), None)?;
        }
        for e in &plan.from {
            match e {
                FromEntry::Table(t, db, false) => {
                    self.check(AuthAction::Read, Some(t), Some(""), db.as_deref())?;
                }
                FromEntry::Table(..) => {}
                FromEntry::Sub(p) if p.flattenable => self.from_loop(p)?,
                FromEntry::Sub(p) => self.codegen(p)?,
            }
        }
        Ok(())
    }

    pub(super) fn expression_subqueries(&mut self, plan: &QueryPlan) -> Result<()> {
        for e in &plan.from {
            if let FromEntry::Sub(p) = e {
                if p.flattenable {
                    self.expression_subqueries(p)?;
                }
            }
        }
        for s in &plan.subqueries {
            match s.kind {
                QueryKind::NotCoded => {}
                QueryKind::Joined => self.expression_subqueries(s)?,
                _ => self.codegen(s)?,
            }
        }
        Ok(())
    }

    // ----------------------------------------------------------- expressions

    pub(super) fn expr(&mut self, e: &Expr) -> Result<()> {
        let mut subs = Vec::new();
        self.expr_collecting(e, &mut subs)?;
        // Subqueries of a statement-level expression are coded with it.
        for s in &subs {
            self.codegen(s)?;
        }
        Ok(())
    }

    /// Resolves `e` in SQLite's walk order (node, left, right, list);
    /// subqueries met are resolved at once and their plans collected.
    pub(super) fn expr_collecting(&mut self, e: &Expr, subs: &mut Vec<QueryPlan>) -> Result<()> {
        match e {
            Expr::Literal(_) | Expr::Variable(_) | Expr::Raise { message: None, .. } => Ok(()),
            Expr::Raise { message: Some(m), .. } => self.expr_collecting(m, subs),
            Expr::Column { schema, table, column } => {
                self.column(schema.as_deref(), table.as_deref(), column);
                Ok(())
            }
            Expr::DoubleQuotedId(name) => {
                self.column(None, None, name);
                Ok(())
            }
            Expr::Unary(_, x) | Expr::Cast { expr: x, .. } | Expr::Collate { expr: x, .. } | Expr::IsNull { expr: x, .. } => self.expr_collecting(x, subs),
            Expr::Binary(a, _, b) => {
                self.expr_collecting(a, subs)?;
                self.expr_collecting(b, subs)
            }
            Expr::Like { lhs, op, rhs, escape, .. } => {
                let name = op.function_name();
                let n = if escape.is_some() { 3 } else { 2 };
                if self.function(name, n)? {
                    return Ok(());
                }
                self.expr_collecting(rhs, subs)?;
                self.expr_collecting(lhs, subs)?;
                if let Some(x) = escape {
                    self.expr_collecting(x, subs)?;
                }
                Ok(())
            }
            Expr::Between { expr, low, high, .. } => {
                self.expr_collecting(expr, subs)?;
                self.expr_collecting(low, subs)?;
                self.expr_collecting(high, subs)
            }
            Expr::InList { expr, list, .. } => {
                self.expr_collecting(expr, subs)?;
                for x in list {
                    self.expr_collecting(x, subs)?;
                }
                Ok(())
            }
            Expr::InSelect { expr, select, .. } => {
                let n = subs.len();
                self.subquery(select, subs)?;
                if self.in_uses_btree(select) {
                    if let Some(p) = subs.get_mut(n) {
                        p.kind = QueryKind::NotCoded;
                    }
                }
                self.expr_collecting(expr, subs)
            }
            Expr::InTable { expr, table, .. } => {
                self.expr_collecting(expr, subs)?;
                let _ = table;
                Ok(())
            }
            Expr::Exists { select, .. } | Expr::Subquery(select) => self.subquery(select, subs),
            Expr::Case { base, whens, else_ } => {
                if let Some(b) = base {
                    self.expr_collecting(b, subs)?;
                }
                for (w, t) in whens {
                    self.expr_collecting(w, subs)?;
                    self.expr_collecting(t, subs)?;
                }
                if let Some(x) = else_ {
                    self.expr_collecting(x, subs)?;
                }
                Ok(())
            }
            Expr::Function(f) => {
                let n = match &f.args {
                    FunctionArgs::Star => 0,
                    FunctionArgs::List(a) => a.len(),
                };
                if self.function(&f.name, n)? {
                    return Ok(());
                }
                for o in &f.order_by {
                    self.expr_collecting(&o.expr, subs)?;
                }
                if let FunctionArgs::List(args) = &f.args {
                    for a in args {
                        self.expr_collecting(a, subs)?;
                    }
                }
                if let Some(x) = &f.filter {
                    self.expr_collecting(x, subs)?;
                }
                // A window's own PARTITION BY and ORDER BY (a named
                // window's terms are read with its WINDOW clause).
                if let Some(crate::parse::ast::Over::Window(def)) = &f.over {
                    for x in &def.partition_by {
                        self.expr_collecting(x, subs)?;
                    }
                    for o in &def.order_by {
                        self.expr_collecting(&o.expr, subs)?;
                    }
                }
                Ok(())
            }
            Expr::Vector(list) => {
                for x in list {
                    self.expr_collecting(x, subs)?;
                }
                Ok(())
            }
        }
    }

    /// FUNCTION check of a call; true when IGNORE made it NULL (its
    /// arguments are then not resolved).
    pub(super) fn function(&mut self, name: &str, n_args: usize) -> Result<bool> {
        let canonical = match crate::func::user::find_function(name, n_args) {
            crate::func::user::Found::User(f) => f.name.clone(),
            crate::func::user::Found::Builtin(d) => d.name.to_string(),
            // The window-only functions (row_number, rank, lag...).
            crate::func::user::Found::None if crate::codegen::window::is_window_only(name) => name.to_ascii_lowercase(),
            crate::func::user::Found::None => return Ok(false),
        };
        let ctx = self.ctx.clone();
        let Some(auth) = self.b.auth.as_mut() else { return Ok(false) };
        match auth.callback.authorize(AuthAction::Function, [None, Some(&canonical), None, ctx.as_deref()]) {
            AUTH_OK => Ok(false),
            AUTH_IGNORE => {
                auth.ignored_functions.push(canonical);
                Ok(true)
            }
            AUTH_DENY => Err(Error::sql(format!("not authorized to use function: {name}"))),
            _ => Err(malfunction()),
        }
    }

    pub(super) fn subquery(&mut self, sel: &Select, subs: &mut Vec<QueryPlan>) -> Result<()> {
        let ctx = self.ctx.clone();
        let joined = self.exists_joins.contains(&(sel as *const Select));
        let saved = std::mem::take(&mut self.exists_joins);
        let r = self.resolve_select_named(sel, ctx);
        self.exists_joins = saved;
        let (mut plan, _) = r?;
        if joined {
            plan.kind = QueryKind::Joined;
        }
        subs.push(plan);
        Ok(())
    }

    /// A FROM item naming a pragma as a table-valued function: the
    /// pragma, its columns and its argument's text.
    fn pragma_function(&self, name: &ast::QualifiedName, args: Option<&[Expr]>) -> Option<(String, Vec<String>, Option<String>)> {
        let lower = name.name.to_ascii_lowercase();
        let pragma = lower.strip_prefix("pragma_")?;
        if name.schema.is_some() || self.find_table(name).is_some() || self.find_cte(&name.name).is_some() {
            return None;
        }
        let args = args.unwrap_or(&[]);
        let info = crate::pragma::info(pragma, !args.is_empty())?;
        let arg = args.first().and_then(super::walk::literal_text);
        Some((pragma.to_string(), info.columns.iter().map(|c| c.to_string()).collect(), arg))
    }

    /// True when SQLite serves `x IN (SELECT ...)` straight from a table
    /// or index B-tree: a query of one column of one table, without WHERE,
    /// aggregate, LIMIT or compound, the column being the rowid or the
    /// first column of an index.
    pub(super) fn in_uses_btree(&self, sel: &Select) -> bool {
        let SelectCore::Select(body) = &sel.core else { return false };
        if !sel.compounds.is_empty() || sel.with.is_some() || sel.limit.is_some() || body.where_.is_some() || !body.group_by.is_empty() || body.having.is_some() || body.columns.len() != 1 {
            return false;
        }
        let Some(from) = &body.from else { return false };
        let TableRef::Table { name, args: None, .. } = &from.first else { return false };
        if !from.joins.is_empty() || (name.schema.is_none() && self.find_cte(&name.name).is_some()) {
            return false;
        }
        let Some(t) = self.find_table(name) else { return false };
        if t.is_view() {
            return false;
        }
        let column = match &body.columns[0] {
            ResultColumn::Expr { expr: Expr::Column { column, .. }, .. } => column,
            _ => return false,
        };
        if crate::schema::is_rowid_name(column) && t.column_index(column).is_none() {
            return true;
        }
        let Some(ci) = t.column_index(column) else { return false };
        t.rowid_alias == Some(ci) || self.b.schemas.indexes_of(&t).iter().any(|ix| ix.partial.is_none() && ix.columns.first().is_some_and(|c| c.column == Some(ci)))
    }

    /// The EXISTS terms of a WHERE clause's top-level AND that SQLite's
    /// EXISTS-to-join rewrite takes: a plain query of one table (not a view
    /// or CTE), without aggregate, LIMIT or compound.
    pub(super) fn exists_to_join(&self, w: &Expr, out: &mut Vec<*const Select>) {
        match w {
            Expr::Binary(a, ast::BinaryOp::And, b) => {
                self.exists_to_join(a, out);
                self.exists_to_join(b, out);
            }
            Expr::Exists { select, not: false } => {
                let SelectCore::Select(body) = &select.core else { return };
                if !select.compounds.is_empty() || select.with.is_some() || select.limit.is_some() || !body.group_by.is_empty() || body.having.is_some() {
                    return;
                }
                let Some(from) = &body.from else { return };
                let TableRef::Table { name, args: None, .. } = &from.first else { return };
                if !from.joins.is_empty() || (name.schema.is_none() && self.find_cte(&name.name).is_some()) {
                    return;
                }
                if self.find_table(name).is_none_or(|t| t.is_view()) {
                    return;
                }
                let aggregate = body.columns.iter().any(|c| matches!(c, ResultColumn::Expr { expr, .. } if super::super::expr::contains_aggregate(expr)));
                if !aggregate {
                    out.push(&**select as *const Select);
                }
            }
            _ => {}
        }
    }

    /// Resolves a column name as SQLite's lookupName does and asks READ
    /// when it names a column of a schema table or view.
    pub(super) fn column(&mut self, schema: Option<&str>, table: Option<&str>, column: &str) {
        // NEW.x / OLD.x in a trigger read the trigger's table.
        if let (Some(t), None, Some(tt)) = (table, schema, self.trigger_tab.clone()) {
            if (t.eq_ignore_ascii_case("new") || t.eq_ignore_ascii_case("old")) && !self.scopes.iter().flatten().any(|i| i.name.eq_ignore_ascii_case(t)) {
                if let Some(ci) = tt.column_index(column) {
                    self.read_column(&tt, if tt.rowid_alias == Some(ci) { ROWID } else { ci });
                } else if crate::schema::is_rowid_name(column) {
                    self.read_column(&tt, ROWID);
                }
                return;
            }
        }
        let schema_db = schema.and_then(|s| self.b.schemas.db_index(s));
        if schema.is_some() && schema_db.is_none() {
            return;
        }
        for depth in (0..self.scopes.len()).rev() {
            let mut found: Option<(usize, usize)> = None;
            for (ii, it) in self.scopes[depth].iter().enumerate() {
                if let Some(t) = table {
                    if !it.name.eq_ignore_ascii_case(t) {
                        continue;
                    }
                } else if it.hidden.iter().any(|h| h.eq_ignore_ascii_case(column)) {
                    continue;
                }
                if let Some(db) = schema_db {
                    if !it.table.as_ref().is_some_and(|t| t.db == db) {
                        continue;
                    }
                }
                if let Some(ci) = it.columns.iter().position(|c| c.eq_ignore_ascii_case(column)) {
                    found = Some((ii, ci));
                    break;
                }
                if crate::schema::is_rowid_name(column) && it.table.as_ref().is_some_and(|t| !t.is_view() && !t.without_rowid) {
                    found = Some((ii, ROWID));
                    break;
                }
            }
            if let Some((ii, _)) = found {
                self.read_item_column(depth, ii, column, table.is_none());
                return;
            }
        }
    }
}

/// A query's result column names without resolving it (aliases and
/// column names; for a recursive CTE's own name inside its body).
fn shallow_names(sel: &Select) -> Vec<String> {
    match &sel.core {
        SelectCore::Select(body) => body
            .columns
            .iter()
            .filter_map(|c| match c {
                ResultColumn::Expr { alias: Some(a), .. } => Some(a.clone()),
                ResultColumn::Expr { expr: Expr::Column { column, .. }, .. } => Some(column.clone()),
                ResultColumn::Expr { text, .. } => Some(text.clone()),
                _ => None,
            })
            .collect(),
        SelectCore::Values(rows) => (1..=rows.first().map_or(0, |r| r.len())).map(|i| format!("column{i}")).collect(),
    }
}

/// True when SQLite's flattener would merge this FROM-clause query into
/// the outer one: a plain query of tables, without aggregate, DISTINCT,
/// LIMIT or compound.
fn flattenable(sel: &Select) -> bool {
    let SelectCore::Select(body) = &sel.core else { return false };
    sel.compounds.is_empty()
        && sel.limit.is_none()
        && !body.distinct
        && body.group_by.is_empty()
        && body.having.is_none()
        && body.from.is_some()
        && !body.columns.iter().any(|c| matches!(c, ResultColumn::Expr { expr, .. } if super::super::expr::contains_aggregate(expr)))
}

/// Function calls (LIKE and GLOB included) in walk order, outside
/// subqueries.
pub(super) fn collect_calls(e: &Expr, out: &mut Vec<(String, usize)>) {
    match e {
        Expr::Function(f) => {
            let args: &[Expr] = match &f.args {
                FunctionArgs::Star => &[],
                FunctionArgs::List(a) => a,
            };
            out.push((f.name.clone(), args.len()));
            for a in args {
                collect_calls(a, out);
            }
        }
        Expr::Like { lhs, op, rhs, escape, .. } => {
            let name = op.function_name();
            out.push((name.to_string(), if escape.is_some() { 3 } else { 2 }));
            collect_calls(rhs, out);
            collect_calls(lhs, out);
            if let Some(x) = escape {
                collect_calls(x, out);
            }
        }
        Expr::Unary(_, x) | Expr::Cast { expr: x, .. } | Expr::Collate { expr: x, .. } | Expr::IsNull { expr: x, .. } => collect_calls(x, out),
        Expr::Binary(a, _, b) => {
            collect_calls(a, out);
            collect_calls(b, out);
        }
        Expr::Between { expr, low, high, .. } => {
            collect_calls(expr, out);
            collect_calls(low, out);
            collect_calls(high, out);
        }
        Expr::InList { expr, list, .. } => {
            collect_calls(expr, out);
            list.iter().for_each(|x| collect_calls(x, out));
        }
        Expr::InSelect { expr, .. } | Expr::InTable { expr, .. } => collect_calls(expr, out),
        Expr::Case { base, whens, else_ } => {
            if let Some(b) = base {
                collect_calls(b, out);
            }
            for (w, t) in whens {
                collect_calls(w, out);
                collect_calls(t, out);
            }
            if let Some(x) = else_ {
                collect_calls(x, out);
            }
        }
        Expr::Vector(list) => list.iter().for_each(|x| collect_calls(x, out)),
        _ => {}
    }
}

/// The ON clauses of a FROM clause, in order (SQLite moves them into
/// WHERE, after its own terms).
fn collect_ons<'a>(from: &'a ast::From, out: &mut Vec<&'a Expr>) {
    if let TableRef::Nested { from, .. } = &from.first {
        collect_ons(from, out);
    }
    for j in &from.joins {
        if let TableRef::Nested { from, .. } = &j.table {
            collect_ons(from, out);
        }
        if let Some(JoinConstraint::On(e)) = &j.constraint {
            out.push(e);
        }
    }
}

/// ORDER BY / GROUP BY terms SQLite takes as a result column (a number or
/// an alias) without resolving a name.
fn is_result_reference(e: &Expr, aliases: &[String]) -> bool {
    match e {
        Expr::Literal(ast::Literal::Number(_)) => true,
        Expr::Column { schema: None, table: None, column } | Expr::DoubleQuotedId(column) => aliases.iter().any(|a| a.eq_ignore_ascii_case(column)),
        _ => false,
    }
}

/// True when a query's FROM clauses name `name` (a CTE reading itself).
fn select_mentions(sel: &Select, name: &str) -> bool {
    let mut cores: Vec<&SelectCore> = vec![&sel.core];
    cores.extend(sel.compounds.iter().map(|(_, c)| c));
    cores.iter().any(|c| match c {
        SelectCore::Select(b) => b.from.as_ref().is_some_and(|f| from_mentions(f, name)),
        SelectCore::Values(_) => false,
    })
}

fn from_mentions(from: &ast::From, name: &str) -> bool {
    std::iter::once(&from.first).chain(from.joins.iter().map(|j| &j.table)).any(|t| match t {
        TableRef::Table { name: n, .. } => n.schema.is_none() && n.name.eq_ignore_ascii_case(name),
        TableRef::Nested { from, .. } => from_mentions(from, name),
        TableRef::Subquery { .. } => false,
    })
}
