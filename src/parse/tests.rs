//! Parser tests: constructs to AST, SQLite's error messages, parameter
//! numbering, sqlite3_complete, fuzzing for panics, nesting depth, and the
//! sqllogictest corpus.

use super::ast::*;
use super::*;

fn one(sql: &str) -> Stmt {
    let v = parse_all(sql).unwrap_or_else(|e| panic!("{sql}: {e}"));
    assert_eq!(v.len(), 1, "{sql}");
    v.into_iter().next().unwrap().stmt
}

fn err(sql: &str) -> String {
    match parse_all(sql) {
        Ok(v) => panic!("expected error for {sql:?}, got {v:?}"),
        Err(e) => e.message().to_string(),
    }
}

fn sel(sql: &str) -> Select {
    match one(sql) {
        Stmt::Select(s) => *s,
        s => panic!("not a select: {s:?}"),
    }
}

fn body(s: &Select) -> &SelectBody {
    match &s.core {
        SelectCore::Select(b) => b,
        c => panic!("not a simple select: {c:?}"),
    }
}

/// The expression of `SELECT <e>`.
fn ex(e: &str) -> Expr {
    let s = sel(&format!("SELECT {e}"));
    match &body(&s).columns[0] {
        ResultColumn::Expr { expr, .. } => expr.clone(),
        c => panic!("{c:?}"),
    }
}

fn col(c: &str) -> Expr {
    Expr::Column { schema: None, table: None, column: c.to_string() }
}

fn num(n: &str) -> Expr {
    Expr::Literal(Literal::Number(n.to_string()))
}

fn bin(l: Expr, op: BinaryOp, r: Expr) -> Expr {
    Expr::Binary(Box::new(l), op, Box::new(r))
}

fn b(e: Expr) -> Box<Expr> {
    Box::new(e)
}

#[test]
fn literals() {
    assert_eq!(ex("12"), num("12"));
    assert_eq!(ex("0x1F"), num("0x1F"));
    assert_eq!(ex("1.5e-3"), num("1.5e-3"));
    assert_eq!(ex("1_000"), num("1_000"));
    assert_eq!(ex("'it''s'"), Expr::Literal(Literal::String("it's".into())));
    assert_eq!(ex("x'0aFF'"), Expr::Literal(Literal::Blob(vec![0x0a, 0xff])));
    assert_eq!(ex("x''"), Expr::Literal(Literal::Blob(vec![])));
    assert_eq!(ex("NULL"), Expr::Literal(Literal::Null));
    assert_eq!(ex("current_time"), Expr::Literal(Literal::CurrentTime));
    assert_eq!(ex("CURRENT_DATE"), Expr::Literal(Literal::CurrentDate));
    assert_eq!(ex("current_timestamp"), Expr::Literal(Literal::CurrentTimestamp));
    assert_eq!(ex("-9223372036854775808"), Expr::Unary(UnaryOp::Neg, b(num("9223372036854775808"))));
    assert_eq!(err("SELECT 1__0"), "unrecognized token: \"1__0\"");
}

#[test]
fn names_and_quoting() {
    assert_eq!(ex("a"), col("a"));
    assert_eq!(ex("[a b]"), col("a b"));
    assert_eq!(ex("`a`"), col("a"));
    // A bare double-quoted identifier is marked for SQLite's DQS rule.
    assert_eq!(ex("\"a\"\"b\""), Expr::DoubleQuotedId("a\"b".into()));
    assert_eq!(
        ex("\"t\".\"a\""),
        Expr::Column { schema: None, table: Some("t".into()), column: "a".into() }
    );
    assert_eq!(
        ex("main.t.a"),
        Expr::Column { schema: Some("main".into()), table: Some("t".into()), column: "a".into() }
    );
    assert_eq!(
        ex("'t'.a"),
        Expr::Column { schema: None, table: Some("t".into()), column: "a".into() }
    );
    // Keywords SQLite lets fall back to identifiers.
    for k in ["key", "action", "replace", "temp", "end", "abort", "if", "rows", "left", "indexed"] {
        assert_eq!(ex(k), col(k), "{k}");
    }
    assert_eq!(ex("over"), col("over"));
    assert_eq!(ex("window"), col("window"));
    assert_eq!(ex("filter"), col("filter"));
    assert_eq!(err("SELECT select"), "near \"select\": syntax error");
    let s = sel("CREATE TABLE x(a) ; SELECT 1".split(';').nth(1).unwrap());
    assert_eq!(body(&s).columns.len(), 1);
}

#[test]
fn operator_precedence() {
    use BinaryOp::*;
    assert_eq!(ex("1 + 2 * 3"), bin(num("1"), Add, bin(num("2"), Multiply, num("3"))));
    assert_eq!(ex("1 - 2 - 3"), bin(bin(num("1"), Subtract, num("2")), Subtract, num("3")));
    assert_eq!(
        ex("a OR b AND c"),
        bin(col("a"), Or, bin(col("b"), And, col("c")))
    );
    // NOT binds looser than comparison.
    assert_eq!(ex("NOT a = b"), Expr::Unary(UnaryOp::Not, b(bin(col("a"), Eq, col("b")))));
    assert_eq!(
        ex("NOT a AND b"),
        bin(Expr::Unary(UnaryOp::Not, b(col("a"))), And, col("b"))
    );
    // Unary minus binds tighter than everything but... nothing: COLLATE applies to -a.
    assert_eq!(
        ex("-a COLLATE nocase"),
        Expr::Collate { expr: b(Expr::Unary(UnaryOp::Neg, b(col("a")))), collation: "nocase".into() }
    );
    assert_eq!(ex("a || b -> c"), bin(bin(col("a"), Concat, col("b")), JsonExtract, col("c")));
    assert_eq!(ex("a ->> '$.x'"), bin(col("a"), JsonExtractText, Expr::Literal(Literal::String("$.x".into()))));
    assert_eq!(ex("a & b << 1"), bin(bin(col("a"), BitAnd, col("b")), ShiftLeft, num("1")));
    assert_eq!(ex("a < b = c"), bin(bin(col("a"), Lt, col("b")), Eq, col("c")));
    assert_eq!(ex("a == b <> c != d"), bin(bin(bin(col("a"), Eq, col("b")), Ne, col("c")), Ne, col("d")));
    assert_eq!(ex("a + b < c"), bin(bin(col("a"), Add, col("b")), Lt, col("c")));
    assert_eq!(ex("~a"), Expr::Unary(UnaryOp::BitNot, b(col("a"))));
    assert_eq!(ex("+a"), Expr::Unary(UnaryOp::Pos, b(col("a"))));
    assert_eq!(ex("(a, b)"), Expr::Vector(vec![col("a"), col("b")]));
    assert_eq!(ex("((a))"), col("a"));
}

#[test]
fn is_null_between_like_in() {
    use BinaryOp::*;
    let isnull = |e: Expr, not| Expr::IsNull { expr: b(e), not };
    assert_eq!(ex("a ISNULL"), isnull(col("a"), false));
    assert_eq!(ex("a IS NULL"), isnull(col("a"), false));
    assert_eq!(ex("a NOTNULL"), isnull(col("a"), true));
    assert_eq!(ex("a NOT NULL"), isnull(col("a"), true));
    assert_eq!(ex("a IS NOT NULL"), isnull(col("a"), true));
    assert_eq!(ex("a IS b"), bin(col("a"), Is, col("b")));
    assert_eq!(ex("a IS NOT b"), bin(col("a"), IsNot, col("b")));
    assert_eq!(ex("a IS DISTINCT FROM b"), bin(col("a"), IsNot, col("b")));
    assert_eq!(ex("a IS NOT DISTINCT FROM b"), bin(col("a"), Is, col("b")));
    assert_eq!(
        ex("a NOT BETWEEN 1 AND 2"),
        Expr::Between { expr: b(col("a")), not: true, low: b(num("1")), high: b(num("2")) }
    );
    // The high bound takes everything above AND: `2 = 0`.
    assert_eq!(
        ex("a BETWEEN 1 AND 2 = 0"),
        Expr::Between { expr: b(col("a")), not: false, low: b(num("1")), high: b(bin(num("2"), Eq, num("0"))) }
    );
    assert_eq!(
        ex("a NOT LIKE 'x%' ESCAPE '!'"),
        Expr::Like {
            lhs: b(col("a")),
            not: true,
            op: LikeOp::Like,
            rhs: b(Expr::Literal(Literal::String("x%".into()))),
            escape: Some(b(Expr::Literal(Literal::String("!".into())))),
        }
    );
    for (w, op) in [("GLOB", LikeOp::Glob), ("REGEXP", LikeOp::Regexp), ("MATCH", LikeOp::Match)] {
        assert!(matches!(ex(&format!("a {w} b")), Expr::Like { op: o, not: false, .. } if o == op));
    }
    assert_eq!(ex("a IN ()"), Expr::InList { expr: b(col("a")), not: false, list: vec![] });
    assert_eq!(ex("a NOT IN (1, 2)"), Expr::InList { expr: b(col("a")), not: true, list: vec![num("1"), num("2")] });
    assert!(matches!(ex("a IN (SELECT 1)"), Expr::InSelect { not: false, .. }));
    assert_eq!(
        ex("a IN main.t"),
        Expr::InTable { expr: b(col("a")), not: false, table: QualifiedName { schema: Some("main".into()), name: "t".into() }, args: vec![] }
    );
    assert_eq!(
        ex("a NOT IN f(1)"),
        Expr::InTable { expr: b(col("a")), not: true, table: QualifiedName::bare("f"), args: vec![num("1")] }
    );
}

#[test]
fn functions_case_cast_exists() {
    assert_eq!(
        err("SELECT f(a ORDER BY b) OVER w FROM t"),
        "ORDER BY may not be used with non-aggregate f()"
    );
    let f = match ex("count(DISTINCT a ORDER BY b DESC) FILTER (WHERE a > 0)") {
        Expr::Function(f) => *f,
        e => panic!("{e:?}"),
    };
    assert_eq!(f.name, "count");
    assert!(f.distinct);
    assert_eq!(f.args, FunctionArgs::List(vec![col("a")]));
    assert_eq!(f.order_by.len(), 1);
    assert_eq!(f.order_by[0].order, Some(SortOrder::Desc));
    assert!(f.filter.is_some());
    assert_eq!(f.over, None);
    match ex("f(a) OVER w") {
        Expr::Function(f) => assert_eq!(f.over, Some(Over::Name("w".into()))),
        e => panic!("{e:?}"),
    }
    // ORDER BY in a call without arguments is dropped, as SQLite does.
    match ex("f(ORDER BY a)") {
        Expr::Function(f) => assert!(f.order_by.is_empty()),
        e => panic!("{e:?}"),
    }
    match ex("count(*)") {
        Expr::Function(f) => assert_eq!(f.args, FunctionArgs::Star),
        e => panic!("{e:?}"),
    }
    match ex("f()") {
        Expr::Function(f) => assert_eq!(f.args, FunctionArgs::List(vec![])),
        e => panic!("{e:?}"),
    }
    match ex("sum(a) OVER (base PARTITION BY b ORDER BY c ROWS BETWEEN 1 PRECEDING AND UNBOUNDED FOLLOWING EXCLUDE TIES)") {
        Expr::Function(f) => {
            let Some(Over::Window(w)) = f.over else { panic!() };
            assert_eq!(w.base.as_deref(), Some("base"));
            assert_eq!(w.partition_by, vec![col("b")]);
            assert_eq!(w.order_by.len(), 1);
            let fr = w.frame.unwrap();
            assert_eq!(fr.units, FrameUnits::Rows);
            assert_eq!(fr.start, FrameBound::Preceding(num("1")));
            assert_eq!(fr.end, Some(FrameBound::UnboundedFollowing));
            assert_eq!(fr.exclude, Some(FrameExclude::Ties));
        }
        e => panic!("{e:?}"),
    }
    assert_eq!(
        ex("CASE a WHEN 1 THEN 2 ELSE 3 END"),
        Expr::Case { base: Some(b(col("a"))), whens: vec![(num("1"), num("2"))], else_: Some(b(num("3"))) }
    );
    assert_eq!(
        ex("CASE WHEN a THEN b END"),
        Expr::Case { base: None, whens: vec![(col("a"), col("b"))], else_: None }
    );
    assert_eq!(ex("CAST(a AS VARCHAR ( 10 ))"), Expr::Cast { expr: b(col("a")), type_name: "VARCHAR ( 10 )".into() });
    assert_eq!(ex("CAST(a AS)"), Expr::Cast { expr: b(col("a")), type_name: "".into() });
    assert!(matches!(ex("EXISTS (SELECT 1)"), Expr::Exists { not: false, .. }));
    // NOT EXISTS is NOT applied to EXISTS.
    assert!(matches!(ex("NOT EXISTS (SELECT 1)"), Expr::Unary(UnaryOp::Not, e) if matches!(*e, Expr::Exists { .. })));
    assert!(matches!(ex("(SELECT 1)"), Expr::Subquery(_)));
    assert_eq!(ex("raise(ignore)"), Expr::Raise { kind: RaiseKind::Ignore, message: None });
    assert_eq!(
        ex("raise(abort, 'm')"),
        Expr::Raise { kind: RaiseKind::Abort, message: Some(b(Expr::Literal(Literal::String("m".into())))) }
    );
    assert!(matches!(ex("replace(a, 'x', 'y')"), Expr::Function(f) if f.name == "replace"));
    assert!(matches!(ex("\"like\"(a, 'x')"), Expr::Function(f) if f.name == "like"));
    assert_eq!(ex("a COLLATE \"nocase\""), Expr::Collate { expr: b(col("a")), collation: "nocase".into() });
}

#[test]
fn select_clauses() {
    let s = sel("SELECT DISTINCT a AS x, b y, c 'z', t.*, * FROM t WHERE a GROUP BY a, b HAVING c WINDOW w AS (ORDER BY a) ORDER BY a NULLS LAST, b DESC LIMIT 5 OFFSET 2");
    let bd = body(&s);
    assert!(bd.distinct);
    assert_eq!(bd.columns.len(), 5);
    assert!(matches!(&bd.columns[0], ResultColumn::Expr { alias: Some(a), .. } if a == "x"));
    assert!(matches!(&bd.columns[1], ResultColumn::Expr { alias: Some(a), .. } if a == "y"));
    assert!(matches!(&bd.columns[2], ResultColumn::Expr { alias: Some(a), .. } if a == "z"));
    assert_eq!(bd.columns[3], ResultColumn::TableStar("t".into()));
    assert_eq!(bd.columns[4], ResultColumn::Star);
    assert_eq!(bd.where_, Some(col("a")));
    assert_eq!(bd.group_by, vec![col("a"), col("b")]);
    assert_eq!(bd.having, Some(col("c")));
    assert_eq!(bd.windows.len(), 1);
    assert_eq!(s.order_by[0].nulls, Some(NullsOrder::Last));
    assert_eq!(s.order_by[1].order, Some(SortOrder::Desc));
    assert_eq!(s.limit, Some(Limit { limit: num("5"), offset: Some(num("2")) }));
    // LIMIT a, b means OFFSET a LIMIT b.
    let s = sel("SELECT 1 LIMIT 5, 2");
    assert_eq!(s.limit, Some(Limit { limit: num("2"), offset: Some(num("5")) }));
    // HAVING without GROUP BY is accepted (SQLite 3.39+).
    assert!(body(&sel("SELECT 1 FROM t HAVING 1")).having.is_some());
}

#[test]
fn result_column_text_is_sqlites_span() {
    let texts = |sql: &str| -> Vec<String> {
        body(&sel(sql))
            .columns
            .iter()
            .map(|c| match c {
                ResultColumn::Expr { text, .. } => text.clone(),
                _ => "*".into(),
            })
            .collect()
    };
    // Checked against sqlite3_column_name of SQLite 3.54.
    assert_eq!(texts("SELECT  a +  1 FROM t"), vec!["a +  1"]);
    assert_eq!(texts("SELECT a+1 /* c */ FROM t"), vec!["a+1 /* c */"]);
    assert_eq!(texts("SELECT a+1 -- c\n FROM t"), vec!["a+1 -- c"]);
    assert_eq!(texts("SELECT a+1 /* c */ , b FROM t"), vec!["a+1 /* c */", "b"]);
    assert_eq!(texts("SELECT count(*)  ,  CAST ( a AS INT ) FROM t"), vec!["count(*)", "CAST ( a AS INT )"]);
    assert_eq!(texts("SELECT -1, - 1, 'x''y', x'00'"), vec!["-1", "- 1", "'x''y'", "x'00'"]);
    assert_eq!(texts("SELECT 1 -- c"), vec!["1 -- c"]);
    assert_eq!(texts("SELECT 1 AS x"), vec!["1"]);
}

#[test]
fn compounds_values_with() {
    let s = sel("SELECT 1 UNION SELECT 2 UNION ALL SELECT 3 INTERSECT SELECT 4 EXCEPT SELECT 5 ORDER BY 1");
    assert_eq!(err("VALUES (1) UNION VALUES (2) ORDER BY 1"), "near \"ORDER\": syntax error");
    let ops: Vec<CompoundOp> = s.compounds.iter().map(|c| c.0).collect();
    assert_eq!(ops, vec![CompoundOp::Union, CompoundOp::UnionAll, CompoundOp::Intersect, CompoundOp::Except]);
    assert_eq!(s.order_by.len(), 1);
    assert_eq!(sel("VALUES (1, 2), (3, 4)").core, SelectCore::Values(vec![vec![num("1"), num("2")], vec![num("3"), num("4")]]));
    let s = sel("WITH RECURSIVE c(x, y) AS NOT MATERIALIZED (SELECT 1, 2), d AS MATERIALIZED (SELECT 3) SELECT * FROM c");
    let w = s.with.unwrap();
    assert!(w.recursive);
    assert_eq!(w.ctes[0].name, "c");
    assert_eq!(w.ctes[0].columns, vec!["x", "y"]);
    assert_eq!(w.ctes[0].materialized, Some(false));
    assert_eq!(w.ctes[1].materialized, Some(true));
    assert_eq!(err("SELECT 1 ORDER BY 1 UNION SELECT 2"), "ORDER BY clause should come after UNION not before");
    assert_eq!(err("SELECT 1 LIMIT 1 UNION ALL SELECT 2"), "LIMIT clause should come after UNION ALL not before");
    let many = vec!["SELECT 1"; 501].join(" UNION ");
    assert_eq!(err(&many), "too many terms in compound SELECT");
    assert!(parse_all(&vec!["SELECT 1"; 500].join(" UNION ")).is_ok());
}

#[test]
fn table_list() {
    let s = sel("SELECT * FROM main.t AS x INDEXED BY i NATURAL LEFT OUTER JOIN u USING (a, b) CROSS JOIN (SELECT 1) s, f(1, 2) AS g JOIN (v JOIN w ON 1) n ON 2 RIGHT JOIN t NOT INDEXED FULL JOIN t");
    let f = body(&s).from.clone().unwrap();
    assert_eq!(
        f.first,
        TableRef::Table {
            name: QualifiedName { schema: Some("main".into()), name: "t".into() },
            alias: Some("x".into()),
            indexed: Some(Indexed::By("i".into())),
            args: None,
        }
    );
    let kinds: Vec<(bool, JoinKind)> = f.joins.iter().map(|j| (j.op.natural, j.op.kind)).collect();
    assert_eq!(
        kinds,
        vec![
            (true, JoinKind::Left),
            (false, JoinKind::Cross),
            (false, JoinKind::Comma),
            (false, JoinKind::Inner),
            (false, JoinKind::Right),
            (false, JoinKind::Full)
        ]
    );
    assert_eq!(f.joins[0].constraint, Some(JoinConstraint::Using(vec!["a".into(), "b".into()])));
    assert!(matches!(&f.joins[1].table, TableRef::Subquery { alias: Some(a), .. } if a == "s"));
    // A table-valued function is a Table with args.
    assert!(matches!(&f.joins[2].table, TableRef::Table { args: Some(a), alias: Some(al), .. } if a.len() == 2 && al == "g"));
    assert!(matches!(&f.joins[3].table, TableRef::Nested { alias: Some(a), from } if a == "n" && from.joins.len() == 1));
    assert!(matches!(&f.joins[4].table, TableRef::Table { indexed: Some(Indexed::NotIndexed), .. }));
    // A parenthesised single table is just the table.
    let f = body(&sel("SELECT * FROM (t) AS y")).from.clone().unwrap();
    assert!(matches!(f.first, TableRef::Table { alias: Some(a), .. } if a == "y"));
    assert_eq!(err("SELECT * FROM a LEFT FOO JOIN b"), "unknown join type: LEFT FOO");
    assert_eq!(err("SELECT * FROM a ON 1"), "a JOIN clause is required before ON");
}

#[test]
fn insert_update_delete() {
    let Stmt::Insert(i) = one("REPLACE INTO main.t AS x (a, b) VALUES (1, 2), (3, 4)") else { panic!() };
    assert_eq!(i.or_conflict, Some(ConflictResolution::Replace));
    assert_eq!(i.table.schema.as_deref(), Some("main"));
    assert_eq!(i.alias.as_deref(), Some("x"));
    assert_eq!(i.columns, vec!["a", "b"]);
    assert!(matches!(&i.source, InsertSource::Select(s) if matches!(&s.core, SelectCore::Values(v) if v.len() == 2)));
    let Stmt::Insert(i) = one("INSERT OR IGNORE INTO t DEFAULT VALUES RETURNING *") else { panic!() };
    assert_eq!(i.or_conflict, Some(ConflictResolution::Ignore));
    assert_eq!(i.source, InsertSource::DefaultValues);
    assert_eq!(i.returning, vec![ResultColumn::Star]);
    let Stmt::Insert(i) = one("INSERT INTO t VALUES (1) ON CONFLICT (a COLLATE nocase, b DESC) WHERE a > 0 DO UPDATE SET (a, b) = (1, 2), c = 3 WHERE 1 ON CONFLICT DO NOTHING RETURNING a") else { panic!() };
    assert_eq!(i.upsert.len(), 2);
    assert_eq!(i.upsert[0].target[0], IndexedColumn { expr: col("a"), collation: Some("nocase".into()), order: None });
    assert_eq!(i.upsert[0].target[1].order, Some(SortOrder::Desc));
    assert!(i.upsert[0].target_where.is_some());
    match &i.upsert[0].action {
        UpsertAction::Update { sets, where_ } => {
            assert_eq!(sets[0].columns, vec!["a", "b"]);
            assert_eq!(sets[1].columns, vec!["c"]);
            assert!(where_.is_some());
        }
        a => panic!("{a:?}"),
    }
    assert_eq!(i.upsert[1].action, UpsertAction::Nothing);
    assert_eq!(i.returning.len(), 1);
    let Stmt::Update(u) = one("WITH c AS (SELECT 1) UPDATE OR FAIL t AS x INDEXED BY i SET a = 1 FROM u WHERE b RETURNING a ORDER BY a LIMIT 1") else { panic!() };
    assert!(u.with.is_some());
    assert_eq!(u.or_conflict, Some(ConflictResolution::Fail));
    assert_eq!(u.alias.as_deref(), Some("x"));
    assert_eq!(u.indexed, Some(Indexed::By("i".into())));
    assert!(u.from.is_some() && u.where_.is_some());
    assert_eq!(u.returning.len(), 1);
    assert_eq!(u.order_by.len(), 1);
    assert!(u.limit.is_some());
    let Stmt::Delete(d) = one("DELETE FROM t NOT INDEXED WHERE a RETURNING *") else { panic!() };
    assert_eq!(d.indexed, Some(Indexed::NotIndexed));
    assert_eq!(d.where_, Some(col("a")));
    assert_eq!(err("DELETE FROM t ORDER BY a"), "ORDER BY without LIMIT on DELETE");
}

#[test]
fn create_table() {
    let Stmt::CreateTable(c) = one("CREATE TEMP TABLE IF NOT EXISTS t(a INTEGER PRIMARY KEY DESC ON CONFLICT REPLACE AUTOINCREMENT, b VARCHAR ( 10 ) NOT NULL DEFAULT 'x' COLLATE nocase, c CONSTRAINT fk REFERENCES p(id) ON DELETE CASCADE ON UPDATE SET NULL DEFERRABLE INITIALLY DEFERRED, d AS (a + 1) STORED, e DEFAULT -1, f DEFAULT (1 + 2), g DEFAULT abc, h UNIQUE CHECK (h > 0) NULL, CONSTRAINT pk PRIMARY KEY (a, b) UNIQUE (c) CHECK (a) FOREIGN KEY (c) REFERENCES p) WITHOUT ROWID, STRICT") else { panic!() };
    assert!(c.temporary && c.if_not_exists);
    let CreateTableBody::Columns { columns, constraints, without_rowid, strict } = c.body else { panic!() };
    assert!(without_rowid && strict);
    assert_eq!(columns.len(), 8);
    assert_eq!(columns[0].type_name.as_deref(), Some("INTEGER"));
    assert_eq!(
        columns[0].constraints[0].kind,
        ColumnConstraintKind::PrimaryKey { order: Some(SortOrder::Desc), conflict: Some(ConflictResolution::Replace), autoincrement: true }
    );
    assert_eq!(columns[1].type_name.as_deref(), Some("VARCHAR ( 10 )"));
    assert_eq!(columns[1].constraints[0].kind, ColumnConstraintKind::NotNull { conflict: None });
    assert_eq!(
        columns[1].constraints[1].kind,
        ColumnConstraintKind::Default { expr: Expr::Literal(Literal::String("x".into())), text: "'x'".into() }
    );
    assert_eq!(columns[1].constraints[2].kind, ColumnConstraintKind::Collate("nocase".into()));
    assert_eq!(columns[2].constraints[0].name.as_deref(), Some("fk"));
    assert_eq!(
        columns[2].constraints[0].kind,
        ColumnConstraintKind::References(ForeignKeyClause {
            table: "p".into(),
            columns: vec!["id".into()],
            on_delete: Some(ForeignKeyAction::Cascade),
            on_update: Some(ForeignKeyAction::SetNull),
            deferred: true,
        })
    );
    assert!(matches!(&columns[3].constraints[0].kind, ColumnConstraintKind::Generated { stored: true, .. }));
    assert_eq!(
        columns[4].constraints[0].kind,
        ColumnConstraintKind::Default { expr: Expr::Unary(UnaryOp::Neg, b(num("1"))), text: "-1".into() }
    );
    assert!(matches!(&columns[5].constraints[0].kind, ColumnConstraintKind::Default { text, .. } if text == "1 + 2"));
    assert_eq!(
        columns[6].constraints[0].kind,
        ColumnConstraintKind::Default { expr: Expr::Literal(Literal::String("abc".into())), text: "abc".into() }
    );
    assert_eq!(columns[7].constraints.len(), 3);
    assert_eq!(columns[7].constraints[2].kind, ColumnConstraintKind::Null);
    assert_eq!(constraints.len(), 4);
    assert_eq!(constraints[0].name.as_deref(), Some("pk"));
    assert!(matches!(&constraints[0].kind, TableConstraintKind::PrimaryKey { columns, .. } if columns.len() == 2));
    assert!(matches!(&constraints[3].kind, TableConstraintKind::ForeignKey { columns, clause } if columns == &vec!["c".to_string()] && clause.table == "p"));
    // The type is the source text from its first to its last token.
    let Stmt::CreateTable(c) = one("CREATE TABLE t(a unsigned   big int, b int generated always as (1), c 'x' 'y')") else { panic!() };
    let CreateTableBody::Columns { columns, .. } = c.body else { panic!() };
    assert_eq!(columns[0].type_name.as_deref(), Some("unsigned   big int"));
    assert_eq!(columns[1].type_name.as_deref(), Some("int generated always"));
    assert_eq!(columns[2].type_name.as_deref(), Some("'x' 'y'"));
    let Stmt::CreateTable(c) = one("CREATE TABLE t AS SELECT 1") else { panic!() };
    assert!(matches!(c.body, CreateTableBody::AsSelect(_)));
    // Names may be strings.
    let Stmt::CreateTable(c) = one("CREATE TABLE 'x'('y')") else { panic!() };
    assert_eq!(c.name.name, "x");
}

/// CHECK texts and constraint names as SQLite keeps them (checked against
/// "CHECK constraint failed: ..." messages of SQLite 3.40).
#[test]
fn check_texts_and_constraint_names() {
    let Stmt::CreateTable(c) = one("create table t(x check(  x > 0 /* c */ ) constraint c1 check(x>0) check(x<9), y, check ( y  <5 ) constraint nm check(y>-5) check(y<>0), check(y))") else { panic!() };
    let CreateTableBody::Columns { columns, constraints, .. } = c.body else { panic!() };
    let x = &columns[0].constraints;
    assert_eq!((x[0].name.as_deref(), x[0].text.as_deref()), (None, Some("x > 0 /* c */")));
    // A column constraint name applies to the rest of the column.
    assert_eq!((x[1].name.as_deref(), x[1].text.as_deref()), (Some("c1"), Some("x>0")));
    assert_eq!((x[2].name.as_deref(), x[2].text.as_deref()), (Some("c1"), Some("x<9")));
    assert_eq!((constraints[0].name.as_deref(), constraints[0].text.as_deref()), (None, Some("y  <5")));
    // A table constraint name lasts until the next comma.
    assert_eq!(constraints[1].name.as_deref(), Some("nm"));
    assert_eq!(constraints[2].name.as_deref(), Some("nm"));
    assert_eq!((constraints[3].name.as_deref(), constraints[3].text.as_deref()), (None, Some("y")));
    let Stmt::CreateTable(c) = one("create table t(x primary key, unique(x))") else { panic!() };
    let CreateTableBody::Columns { columns, constraints, .. } = c.body else { panic!() };
    assert_eq!(columns[0].constraints[0].text, None);
    assert_eq!(constraints[0].text, None);
}

#[test]
fn other_ddl() {
    let Stmt::CreateIndex(i) = one("CREATE UNIQUE INDEX IF NOT EXISTS s.i ON t (a COLLATE nocase DESC, b + 1) WHERE a > 0") else { panic!() };
    assert!(i.unique && i.if_not_exists);
    assert_eq!(i.table, "t");
    assert_eq!(i.columns[0], IndexedColumn { expr: col("a"), collation: Some("nocase".into()), order: Some(SortOrder::Desc) });
    assert!(matches!(i.columns[1].expr, Expr::Binary(..)));
    assert!(i.where_.is_some());
    assert_eq!(err("CREATE INDEX i ON t(a NULLS FIRST)"), "unsupported use of NULLS FIRST");
    let Stmt::CreateView(v) = one("CREATE TEMP VIEW IF NOT EXISTS v(a, b) AS SELECT 1, 2") else { panic!() };
    assert!(v.temporary && v.if_not_exists);
    assert_eq!(v.columns, vec!["a", "b"]);
    let Stmt::CreateTrigger(t) = one("CREATE TRIGGER IF NOT EXISTS tr INSTEAD OF UPDATE OF a, b ON v FOR EACH ROW WHEN new.a BEGIN INSERT INTO x VALUES (new.a); UPDATE x SET a = 1; DELETE FROM x; SELECT 1; END") else { panic!() };
    assert_eq!(t.time, TriggerTime::InsteadOf);
    assert_eq!(t.event, TriggerEvent::Update(vec!["a".into(), "b".into()]));
    assert!(t.for_each_row);
    assert!(t.when.is_some());
    assert_eq!(t.body.len(), 4);
    let Stmt::CreateTrigger(t) = one("CREATE TRIGGER tr DELETE ON t BEGIN SELECT 1; END") else { panic!() };
    assert_eq!(t.time, TriggerTime::Before);
    assert_eq!(t.event, TriggerEvent::Delete);
    let Stmt::CreateVirtualTable(v) = one("CREATE VIRTUAL TABLE v USING fts5(a, b /* c */ , tokenize = 'porter ascii', (x, y))") else { panic!() };
    assert_eq!(v.module, "fts5");
    assert_eq!(v.args, vec!["a", "b", "tokenize = 'porter ascii'", "(x, y)"]);
    let Stmt::CreateVirtualTable(v) = one("CREATE VIRTUAL TABLE v USING m") else { panic!() };
    assert!(v.args.is_empty());
    assert_eq!(one("DROP TABLE IF EXISTS main.t"), Stmt::Drop(Drop { kind: DropKind::Table, if_exists: true, name: QualifiedName { schema: Some("main".into()), name: "t".into() } }));
    assert_eq!(one("DROP TRIGGER tr"), Stmt::Drop(Drop { kind: DropKind::Trigger, if_exists: false, name: QualifiedName::bare("tr") }));
    let alter = |sql: &str| match one(sql) {
        Stmt::AlterTable(a) => a.action,
        s => panic!("{s:?}"),
    };
    assert_eq!(alter("ALTER TABLE t RENAME TO u"), AlterAction::RenameTo("u".into()));
    assert_eq!(alter("ALTER TABLE t RENAME COLUMN a TO b"), AlterAction::RenameColumn { old: "a".into(), new: "b".into(), new_quoted: false });
    assert_eq!(alter("ALTER TABLE t RENAME a TO b"), AlterAction::RenameColumn { old: "a".into(), new: "b".into(), new_quoted: false });
    assert!(matches!(alter("ALTER TABLE t ADD COLUMN c INT NOT NULL DEFAULT 0"), AlterAction::AddColumn(c) if c.name == "c" && c.constraints.len() == 2));
    assert_eq!(alter("ALTER TABLE t DROP COLUMN a"), AlterAction::DropColumn("a".into()));
    assert_eq!(alter("ALTER TABLE t DROP CONSTRAINT c"), AlterAction::DropConstraint("c".into()));
    assert_eq!(alter("ALTER TABLE t ALTER COLUMN a DROP NOT NULL"), AlterAction::DropNotNull("a".into()));
    assert_eq!(alter("ALTER TABLE t ALTER a SET NOT NULL ON CONFLICT ABORT"), AlterAction::SetNotNull { column: "a".into(), conflict: Some(ConflictResolution::Abort) });
    assert_eq!(alter("ALTER TABLE t ADD CONSTRAINT c CHECK (a)"), AlterAction::AddCheck { name: Some("c".into()), expr: col("a"), text: "a".into() });
    assert_eq!(alter("ALTER TABLE t ADD CHECK (a)"), AlterAction::AddCheck { name: None, expr: col("a"), text: "a".into() });
}

#[test]
fn transactions_pragma_misc() {
    assert_eq!(one("BEGIN"), Stmt::Begin(TransactionKind::Deferred));
    assert_eq!(one("BEGIN IMMEDIATE TRANSACTION"), Stmt::Begin(TransactionKind::Immediate));
    assert_eq!(one("BEGIN EXCLUSIVE"), Stmt::Begin(TransactionKind::Exclusive));
    assert_eq!(one("COMMIT"), Stmt::Commit);
    assert_eq!(one("END TRANSACTION"), Stmt::Commit);
    assert_eq!(one("ROLLBACK"), Stmt::Rollback { savepoint: None });
    assert_eq!(one("ROLLBACK TRANSACTION TO SAVEPOINT s"), Stmt::Rollback { savepoint: Some("s".into()) });
    assert_eq!(one("ROLLBACK TO s"), Stmt::Rollback { savepoint: Some("s".into()) });
    assert_eq!(one("SAVEPOINT s"), Stmt::Savepoint("s".into()));
    assert_eq!(one("RELEASE SAVEPOINT s"), Stmt::Release("s".into()));
    assert_eq!(one("RELEASE s"), Stmt::Release("s".into()));
    let pragma = |sql: &str| match one(sql) {
        Stmt::Pragma(p) => p,
        s => panic!("{s:?}"),
    };
    assert_eq!(pragma("PRAGMA cache_size"), Pragma { name: QualifiedName::bare("cache_size"), value: None });
    assert_eq!(pragma("PRAGMA main.cache_size = -100").value, Some(PragmaValue::Assign(num("-100"))));
    assert_eq!(pragma("PRAGMA cache_size = +100").value, Some(PragmaValue::Assign(num("100"))));
    assert_eq!(pragma("PRAGMA table_info(t)").value, Some(PragmaValue::Call(col("t"))));
    assert_eq!(pragma("PRAGMA table_info('t')").value, Some(PragmaValue::Call(Expr::Literal(Literal::String("t".into())))));
    assert_eq!(pragma("PRAGMA foreign_keys = ON").value, Some(PragmaValue::Assign(col("ON"))));
    assert_eq!(pragma("PRAGMA synchronous = FULL").value, Some(PragmaValue::Assign(col("FULL"))));
    assert_eq!(pragma("PRAGMA x = no").value, Some(PragmaValue::Assign(col("no"))));
    assert_eq!(
        one("ATTACH DATABASE 'f.db' AS aux KEY 'k'"),
        Stmt::Attach {
            file: Expr::Literal(Literal::String("f.db".into())),
            schema: col("aux"),
            key: Some(Expr::Literal(Literal::String("k".into()))),
        }
    );
    assert_eq!(one("DETACH aux"), Stmt::Detach(col("aux")));
    assert_eq!(one("VACUUM"), Stmt::Vacuum { schema: None, into: None });
    assert_eq!(
        one("VACUUM main INTO 'f'"),
        Stmt::Vacuum { schema: Some("main".into()), into: Some(Expr::Literal(Literal::String("f".into()))) }
    );
    assert_eq!(one("ANALYZE"), Stmt::Analyze(None));
    assert_eq!(one("ANALYZE main.t"), Stmt::Analyze(Some(QualifiedName { schema: Some("main".into()), name: "t".into() })));
    assert_eq!(one("REINDEX i"), Stmt::Reindex(Some(QualifiedName::bare("i"))));
    let v = parse_all("EXPLAIN SELECT 1; EXPLAIN QUERY PLAN SELECT 1").unwrap();
    assert_eq!(v[0].explain, Some(ExplainKind::Explain));
    assert_eq!(v[1].explain, Some(ExplainKind::QueryPlan));
}

#[test]
fn spans_tails_and_statement_stream() {
    let sql = "  -- lead\n SELECT 1 ;; /* x */ SELECT 2\n";
    let v = parse_all(sql).unwrap();
    assert_eq!(v.len(), 2);
    assert_eq!(&sql[v[0].span.clone()], "SELECT 1");
    assert_eq!(v[0].tail, sql.find(';').unwrap() + 1);
    assert_eq!(&sql[v[1].span.clone()], "SELECT 2");
    assert_eq!(v[1].tail, sql.len());
    // One statement at a time, as sqlite3_prepare does.
    let sql = "CREATE TABLE t(a); SELEC oops";
    let mut p = Parser::new(sql);
    let s = p.next_stmt().unwrap().unwrap();
    assert_eq!(&sql[s.span.clone()], "CREATE TABLE t(a)");
    assert_eq!(s.tail, 18);
    assert_eq!(p.next_stmt().unwrap_err().message(), "near \"SELEC\": syntax error");
    assert!(p.next_stmt().unwrap().is_none());
    assert!(parse_all("").unwrap().is_empty());
    assert!(parse_all(" ;; -- x").unwrap().is_empty());
    assert!(parse_all("/* open").unwrap().is_empty());
    // The trigger body's semicolons are inside the statement.
    let sql = "CREATE TRIGGER r AFTER INSERT ON t BEGIN SELECT 1; SELECT 2; END; SELECT 3";
    let v = parse_all(sql).unwrap();
    assert_eq!(v.len(), 2);
    assert_eq!(&sql[v[0].span.clone()], "CREATE TRIGGER r AFTER INSERT ON t BEGIN SELECT 1; SELECT 2; END");
}

#[test]
fn parameter_numbering() {
    let params = |sql: &str| parse_all(sql).unwrap().remove(0).parameters;
    let vars = |sql: &str| -> Vec<Expr> {
        match parse_all(sql).unwrap().remove(0).stmt {
            Stmt::Select(s) => match s.core {
                SelectCore::Select(b) => b
                    .columns
                    .into_iter()
                    .map(|c| match c {
                        ResultColumn::Expr { expr, .. } => expr,
                        _ => panic!(),
                    })
                    .collect(),
                _ => panic!(),
            },
            _ => panic!(),
        }
    };
    assert_eq!(params("SELECT ?, ?, ?"), vec![None, None, None]);
    assert_eq!(vars("SELECT ?, ?5, ?, :a, ?2, :a, @b, $c"), vec![
        Expr::Variable(1), Expr::Variable(5), Expr::Variable(6), Expr::Variable(7),
        Expr::Variable(2), Expr::Variable(7), Expr::Variable(8), Expr::Variable(9),
    ]);
    assert_eq!(
        params("SELECT ?, ?5, ?, :a, ?2, :a, @b, $c"),
        vec![
            None,
            Some("?2".into()),
            None,
            None,
            Some("?5".into()),
            None,
            Some(":a".into()),
            Some("@b".into()),
            Some("$c".into())
        ]
    );
    // A name is given once; ?N after a named parameter keeps the name.
    assert_eq!(params("SELECT :a, ?1"), vec![Some(":a".into())]);
    assert_eq!(params("SELECT ?1, ?1"), vec![Some("?1".into())]);
    assert_eq!(params("SELECT ?, ?1"), vec![Some("?1".into())]);
    assert_eq!(params("SELECT ?003"), vec![None, None, Some("?003".into())]);
    // Checked against sqlite3_bind_parameter_name of SQLite 3.54.
    assert_eq!(params("SELECT :a, ?, ?1, ?2"), vec![Some(":a".into()), Some("?2".into())]);
    assert_eq!(params("SELECT ?01, ?1"), vec![Some("?01".into())]);
    assert_eq!(params("SELECT ?2, ?"), vec![None, Some("?2".into()), None]);
    assert_eq!(params("SELECT @a, :a"), vec![Some("@a".into()), Some(":a".into())]);
    // Named parameters are case-sensitive and keep TCL suffixes.
    assert_eq!(params("SELECT :a, :A, $x::y(z)"), vec![Some(":a".into()), Some(":A".into()), Some("$x::y(z)".into())]);
    assert_eq!(params("SELECT #a"), vec![Some("#a".into())]);
    assert!(params("SELECT 1").is_empty());
    assert_eq!(err("SELECT ?0"), "variable number must be between ?1 and ?32766");
    assert_eq!(err("SELECT ?32767"), "variable number must be between ?1 and ?32766");
    assert_eq!(err("SELECT ?99999999999999999999999"), "variable number must be between ?1 and ?32766");
    assert!(parse_all("SELECT ?32766").is_ok());
    assert_eq!(err("SELECT #1"), "near \"#1\": syntax error");
    // Each statement numbers its own parameters.
    let v = parse_all("SELECT ?; SELECT :x, ?").unwrap();
    assert_eq!(v[1].parameters, vec![Some(":x".into()), None]);
}

/// sqlite3_complete results recorded from SQLite 3.54.
const COMPLETE_TABLE: &[(&str, bool)] = &[
    ("SELECT 1;", true),
    ("SELECT 1", false),
    ("SELECT 1; ", true),
    ("SELECT 1; -- c", false),
    ("SELECT 1; -- c\n", true),
    ("SELECT 1; /* c */", true),
    ("SELECT 1; /* c", false),
    ("SELECT ';'", false),
    ("SELECT ';';", true),
    ("SELECT \";\";", true),
    ("SELECT [;];", true),
    ("SELECT `;`;", true),
    ("SELECT 'abc", false),
    (";", true),
    (" ;  ", true),
    (" ", false),
    ("-- only", false),
    ("/* only */", false),
    ("CREATE TRIGGER t AFTER INSERT ON x BEGIN SELECT 1; END;", true),
    ("CREATE TRIGGER t AFTER INSERT ON x BEGIN SELECT 1;", false),
    ("CREATE TRIGGER t AFTER INSERT ON x BEGIN SELECT 1; END", false),
    ("CREATE TEMP TRIGGER t AFTER INSERT ON x BEGIN SELECT 1; END;", true),
    ("CREATE TEMPORARY TRIGGER t AFTER INSERT ON x BEGIN SELECT 1; END;", true),
    ("EXPLAIN CREATE TRIGGER t AFTER INSERT ON x BEGIN SELECT 1; END;", true),
    ("EXPLAIN CREATE TRIGGER t AFTER INSERT ON x BEGIN SELECT 1;", false),
    ("CREATE TABLE trigger(a);", true),
    ("CREATE TABLE x(a); CREATE TRIGGER t AFTER INSERT ON x BEGIN SELECT 1; END;", true),
    ("CREATE TRIGGER t AFTER INSERT ON x BEGIN SELECT 'end;'; END;", true),
    ("CREATE TRIGGER t AFTER INSERT ON x BEGIN SELECT 1; END ;", true),
    ("CREATE TRIGGER t AFTER INSERT ON x BEGIN SELECT 1; end;", true),
    ("SELECT (1;", true),
    ("SELECT 1);", true),
    ("x;", true),
    ("explain;", true),
    ("create;", true),
    ("create temp;", true),
    ("SELECT 1 /* a */ ;", true),
    ("SELECT 1 -- a ;", false),
    ("SELECT 1 -- a ;\n;", true),
];

#[test]
fn complete_matches_sqlite() {
    for (sql, want) in COMPLETE_TABLE {
        assert_eq!(complete(sql), *want, "{sql:?}");
    }
    assert_eq!(incomplete("  "), crate::error::code::EMPTY as i64);
    assert_eq!(incomplete("SELECT 1;"), 0);
    assert_eq!(incomplete("SELECT (1"), (1i64 << 32) | (1 << 8) | 1);
    assert_eq!(incomplete("SELECT 'a"), ((b'\'' as i64) << 16) | (1 << 8) | 1);
}

/// `schema_sql` against the text SQLite stores (recorded from SQLite 3.54,
/// and 3.40 for FTS5 virtual tables).
#[test]
fn schema_sql_matches_sqlite() {
    let cases: &[(&str, &str)] = &[
        ("create   temp  table t1(a) /* c */ ;", "CREATE TABLE t1(a)"),
        ("create table t2(a int) strict /* c */ ;", "CREATE TABLE t2(a int) strict /* c */ "),
        (
            "create table t3(a int primary key) without rowid, strict  -- x\n;",
            "CREATE TABLE t3(a int primary key) without rowid, strict  -- x\n",
        ),
        (
            "create table t3(a int primary key) without rowid  -- x",
            "CREATE TABLE t3(a int primary key) without rowid  -- x",
        ),
        ("create index  i1 on t(a) /* c */;", "CREATE INDEX i1 on t(a) /* c */"),
        (
            "create unique index if not exists main.i1 on t(a) where a > 0 -- trailing",
            "CREATE UNIQUE INDEX i1 on t(a) where a > 0 -- trailing",
        ),
        ("create index i5 on t(a)   ;", "CREATE INDEX i5 on t(a)   "),
        ("create view v1 as select 1 /* c */ ;", "CREATE VIEW v1 as select 1 /* c */"),
        ("create view main . v5 as select 1  ", "CREATE VIEW v5 as select 1"),
        ("create temp view v6(x) as select 1 -- c\n  ;", "CREATE VIEW v6(x) as select 1 -- c"),
        (
            "create trigger tr1 after insert on t begin select 1; end /* c */;",
            "CREATE TRIGGER tr1 after insert on t begin select 1; end",
        ),
        ("create table main.t5(a);", "CREATE TABLE t5(a)"),
        ("create table \"t 6\"(a)", "CREATE TABLE \"t 6\"(a)"),
        ("create table if not exists t7(a int) strict", "CREATE TABLE t7(a int) strict"),
        ("create table t8 ( a , b ) ;", "CREATE TABLE t8 ( a , b )"),
        ("create virtual table v2 using fts5(a, b) /* c */;", "CREATE VIRTUAL TABLE v2 using fts5(a, b)"),
        ("create virtual table main.v9 using fts5 ( a , b ) ", "CREATE VIRTUAL TABLE v9 using fts5 ( a , b )"),
        ("create virtual table v8 using fts5", "CREATE VIRTUAL TABLE v8 using fts5"),
        // ALTER TABLE ADD COLUMN: the text SQLite splices in ("t(a,b, <text>)").
        ("alter table t add column c int default 0 /* c */ ;", "c int default 0 /* c */"),
        ("alter table t add c   ", "c"),
        ("alter table t add e;;", "e"),
    ];
    for (sql, want) in cases {
        let got = parse_all(sql).unwrap().remove(0).schema_sql;
        assert_eq!(got.as_deref(), Some(*want), "{sql:?}");
    }
    assert_eq!(parse_all("create table t as select 1").unwrap()[0].schema_sql, None);
    assert_eq!(parse_all("select 1").unwrap()[0].schema_sql, None);
}

/// Every statement of both reference tables yields SQLite's result.
#[test]
fn error_messages_match_sqlite() {
    let mut bad = Vec::new();
    let cases = super::error_cases_340::SQLITE_340
        .iter()
        .chain(super::error_cases::SQLITE_354)
        .chain(super::fuzz_cases::SQLITE_354_FUZZ);
    let mut n = 0;
    for (sql, want) in cases {
        n += 1;
        let got = match parse_all(sql) {
            Ok(_) => "OK".to_string(),
            Err(e) => e.message().to_string(),
        };
        if got != *want {
            bad.push(format!("{sql:?}: want {want:?}, got {got:?}"));
        }
    }
    assert!(n > 2000);
    assert!(bad.is_empty(), "{} mismatches:\n{}", bad.len(), bad.join("\n"));
}

// ------------------------------------------------------------ corpus

/// Extracts the SQL of every record of a sqllogictest file that SQLite is
/// expected to accept: `statement ok` and `query` records, skipping
/// `onlyif` records for other engines and `statement error` records.
fn slt_statements(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut lines = text.lines().peekable();
    let mut skip = false;
    while let Some(line) = lines.next() {
        let l = line.trim();
        if l.is_empty() || l.starts_with('#') {
            continue;
        }
        if let Some(db) = l.strip_prefix("onlyif ") {
            if db.trim() != "sqlite" {
                skip = true;
            }
            continue;
        }
        if l.starts_with("skipif ") || l.starts_with("hash-threshold") || l == "halt" {
            continue;
        }
        let take = l.starts_with("statement ok") || l.starts_with("query ");
        let is_record = take || l.starts_with("statement error");
        if !is_record {
            continue;
        }
        let mut sql = String::new();
        while let Some(next) = lines.peek() {
            if next.trim().is_empty() || next.trim() == "----" {
                break;
            }
            sql.push_str(next);
            sql.push('\n');
            lines.next();
        }
        // Skip the expected results of a query.
        if lines.peek().map(|l| l.trim() == "----").unwrap_or(false) {
            for next in lines.by_ref() {
                if next.trim().is_empty() {
                    break;
                }
            }
        }
        if take && !skip {
            out.push(sql);
        }
        skip = false;
    }
    out
}

#[test]
fn sqllogictest_corpus_parses() {
    use std::io::Read;
    let dir = std::path::Path::new("/work/shared/slt");
    if !dir.exists() {
        eprintln!("sqllogictest corpus not found; skipped");
        return;
    }
    let mut files: Vec<std::path::PathBuf> =
        (1..=5).map(|i| dir.join(format!("select{i}.test.gz"))).collect();
    if let Ok(rd) = std::fs::read_dir(dir.join("evidence")) {
        let mut ev: Vec<_> = rd
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.to_string_lossy().ends_with(".test.gz"))
            .collect();
        ev.sort();
        files.extend(ev);
    }
    let mut total = 0;
    let mut failures = Vec::new();
    for f in files {
        let Ok(file) = std::fs::File::open(&f) else { continue };
        let mut text = String::new();
        if flate2::read::GzDecoder::new(file).read_to_string(&mut text).is_err() {
            continue;
        }
        for sql in slt_statements(&text) {
            total += 1;
            if let Err(e) = parse_all(&sql) {
                failures.push(format!("{}: {sql:?}: {e}", f.display()));
            }
        }
    }
    eprintln!("sqllogictest corpus: {total} statements parsed, {} failures", failures.len());
    assert!(failures.is_empty(), "{}", failures[..failures.len().min(20)].join("\n"));
}

// ------------------------------------------------------------- fuzzing

/// A small deterministic PRNG (xorshift64*), so failures reproduce.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545F4914F6CDD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

#[test]
fn fuzz_never_panics() {
    let mut rng = Rng(0x9E3779B97F4A7C15);
    // Random bytes (made valid UTF-8 lossily).
    for _ in 0..3000 {
        let len = rng.below(40);
        let bytes: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
        let s = String::from_utf8_lossy(&bytes).into_owned();
        let _ = parse_all(&s);
        let _ = complete(&s);
    }
    // Random token soups from SQL's vocabulary.
    let vocab: Vec<&str> = super::keywords::KEYWORDS
        .iter()
        .map(|(k, _)| *k)
        .chain([
            "(", ")", ",", ";", ".", "*", "+", "-", "/", "%", "||", "->", "->>", "=", "==", "<>",
            "!=", "<", "<=", ">", ">=", "&", "|", "<<", ">>", "~", "a", "b", "t1", "'s'", "\"q\"",
            "[b]", "`c`", "1", "2.5", "0x1F", "1_0", "x'00'", "?", "?3", ":p", "@q", "$r", "f(",
            "count(*)", "/*", "--", "'", "\"", "[", "#1",
        ])
        .collect();
    for _ in 0..20000 {
        let n = 1 + rng.below(25);
        let mut s = String::new();
        for _ in 0..n {
            s.push_str(vocab[rng.below(vocab.len())]);
            s.push(' ');
        }
        let _ = parse_all(&s);
        let _ = complete(&s);
    }
    // Mutations of valid statements: drop or duplicate a token.
    let seeds = [
        "SELECT a, b+1 AS c FROM t1 AS x LEFT JOIN t2 USING (a) WHERE a IN (1,2) GROUP BY 1 HAVING count(*) > 1 ORDER BY 2 DESC LIMIT 3, 4",
        "WITH RECURSIVE c(x) AS (VALUES(1) UNION ALL SELECT x+1 FROM c WHERE x<9) SELECT sum(x) OVER (ORDER BY x ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) FROM c",
        "INSERT INTO t(a,b) VALUES (1,2),(3,4) ON CONFLICT(a) DO UPDATE SET b=excluded.b WHERE b>0 RETURNING *",
        "CREATE TABLE IF NOT EXISTS s.t(a INTEGER PRIMARY KEY AUTOINCREMENT, b TEXT NOT NULL DEFAULT 'x' COLLATE nocase, c REFERENCES p(id) ON DELETE CASCADE, UNIQUE(b, c), CHECK (a > 0)) WITHOUT ROWID",
        "CREATE TRIGGER tr AFTER UPDATE OF a ON t FOR EACH ROW WHEN new.a > 1 BEGIN INSERT INTO log VALUES (new.a); DELETE FROM x WHERE y = old.a; END",
        "SELECT CASE WHEN a BETWEEN 1 AND 2 THEN CAST(a AS TEXT) ELSE NOT EXISTS (SELECT 1) END FROM t",
    ];
    for _ in 0..20000 {
        let seed = seeds[rng.below(seeds.len())];
        let words: Vec<&str> = seed.split(' ').collect();
        let mut out = Vec::new();
        for w in &words {
            match rng.below(12) {
                0 => {}
                1 => {
                    out.push(*w);
                    out.push(*w);
                }
                2 => out.push(vocab[rng.below(vocab.len())]),
                _ => out.push(*w),
            }
        }
        let s = out.join(" ");
        let _ = parse_all(&s);
        // Every prefix of the text as well, now and then.
        if rng.below(50) == 0 {
            for i in 0..s.len() {
                if s.is_char_boundary(i) {
                    let _ = parse_all(&s[..i]);
                }
            }
        }
    }
}

fn in_small_stack<F: FnOnce() + Send + 'static>(f: F) {
    std::thread::Builder::new()
        .stack_size(2 * 1024 * 1024)
        .spawn(f)
        .unwrap()
        .join()
        .expect("parser overflowed a 2 MiB stack or panicked");
}

#[test]
fn depth_limits_fit_a_small_stack() {
    in_small_stack(|| {
        let deep = |open: &str, mid: &str, close: &str, n: usize| {
            format!("SELECT {}{}{}", open.repeat(n), mid, close.repeat(n))
        };
        let too_large = "Expression tree is too large (maximum depth 1000)";
        // Left-deep chains are iterative; height 1000 is allowed, 1001 is not.
        let ok = format!("SELECT 1{}", "+1".repeat(999));
        assert!(parse_all(&ok).is_ok());
        let too = format!("SELECT 1{}", "+1".repeat(1000));
        assert_eq!(err(&too), too_large);
        // Unary chains recurse; height 1000 is allowed, 1001 is not.
        assert!(parse_all(&deep("- ", "1", "", 999)).is_ok());
        assert_eq!(err(&deep("- ", "1", "", 1000)), too_large);
        assert_eq!(err(&deep("NOT ", "1", "", 1000)), too_large);
        assert_eq!(err(&deep("~", "1", "", 2000)), too_large);
        // Where SQLite 3.54's parser stack overflows ("Recursion limit"),
        // so does ours: (construct, deepest nesting SQLite accepts).
        for (open, mid, close, n) in [
            ("(", "1", ")", 2493),
            ("1+(", "1", ")", 831),
            ("1=(", "1", ")", 831),
            ("1 LIKE (", "1", ")", 831),
            ("abs(", "1", ")", 831),
            ("CASE WHEN 1 THEN ", "1", " END", 498),
            ("(SELECT ", "1", ")", 498),
            ("1 IN (", "1", ")", 831),
            ("EXISTS (SELECT ", "1", ")", 415),
            ("-(", "1", ")", 1246),
        ] {
            let at = parse_all(&deep(open, mid, close, n)).map(|_| ()).map_err(|e| e.message().to_string());
            assert_ne!(at, Err("Recursion limit".to_string()), "{open} x {n}");
            assert_eq!(err(&deep(open, mid, close, n + 1)), "Recursion limit", "{open} x {}", n + 1);
        }
        // Expression height is checked on the way up, as SQLite does.
        assert_eq!(err(&deep("-(", "1", ")", 1000)), too_large);
        assert!(parse_all(&deep("-(", "1", ")", 998)).is_ok());
        let from = |n: usize| format!("SELECT * FROM {}t{}", "(".repeat(n), ")".repeat(n));
        assert!(parse_all(&from(1200)).is_ok());
        let fromsub = |n: usize| {
            format!("SELECT * FROM {}(SELECT 1){}", "(SELECT * FROM ".repeat(n), ")".repeat(n))
        };
        assert!(parse_all(&fromsub(414)).is_ok());
        assert_eq!(err(&fromsub(415)), "Recursion limit");
        for (open, mid, close) in [
            ("(", "1", ")"),
            ("(SELECT ", "1", ")"),
            ("f(", "1", ")"),
            ("CAST(", "1", " AS INT)"),
            ("(VALUES(", "1", "))"),
            ("- ", "1", ""),
        ] {
            assert_eq!(err(&deep(open, mid, close, 100_000)), "Recursion limit", "{open}");
        }
        let mixed = format!("SELECT {}{}1{}", "- ".repeat(999), "(".repeat(100_000), ")".repeat(100_000));
        assert_eq!(err(&mixed), "Recursion limit");
        assert_eq!(err(&from(100_000)), "Recursion limit");
        let ctes = format!("{}SELECT 1{}", "WITH a AS (".repeat(100_000), ") SELECT 1".repeat(100_000));
        assert_eq!(err(&ctes), "Recursion limit");
        let trig = format!(
            "CREATE TRIGGER r AFTER INSERT ON t BEGIN SELECT {}1{}; END",
            "(".repeat(100_000),
            ")".repeat(100_000)
        );
        assert_eq!(err(&trig), "Recursion limit");
        // A statement after a deep one still parses, one at a time.
        let sql = format!("{}; SELECT 2", deep("(", "1", ")", 2000));
        let v = parse_all(&sql).unwrap();
        assert_eq!(v.len(), 2);
        assert_eq!(&sql[v[1].span.clone()], "SELECT 2");
    });
}

thread_local! {
    static STACK_LOW: std::cell::Cell<usize> = const { std::cell::Cell::new(usize::MAX) };
}

/// Records the lowest stack address reached (called on every recursion).
pub(super) fn probe_stack() {
    let x = 0u8;
    let a = &x as *const u8 as usize;
    STACK_LOW.with(|l| l.set(l.get().min(a)));
}

/// Measures the stack used per nesting level of each recursive construct:
/// the numbers behind `cost`. Run with --nocapture to see them.
#[test]
fn stack_use_per_level() {
    let n = 150;
    let cases: Vec<(&str, String)> = vec![
        ("paren", format!("SELECT {}1{}", "(".repeat(n), ")".repeat(n))),
        ("plus-paren", format!("SELECT {}1{}", "1+(".repeat(n), ")".repeat(n))),
        ("neg", format!("SELECT {}1", "- ".repeat(n))),
        ("func", format!("SELECT {}1{}", "f(".repeat(n), ")".repeat(n))),
        ("case", format!("SELECT {}1{}", "CASE WHEN 1 THEN ".repeat(n), " END".repeat(n))),
        ("cast", format!("SELECT {}1{}", "CAST(".repeat(n), " AS INT)".repeat(n))),
        ("in", format!("SELECT {}1{}", "1 IN (".repeat(n), ")".repeat(n))),
        ("like", format!("SELECT {}1{}", "1 LIKE (".repeat(n), ")".repeat(n))),
        ("subq", format!("SELECT {}1{}", "(SELECT ".repeat(n), ")".repeat(n))),
        ("from", format!("SELECT * FROM {}t{}", "(".repeat(n), ")".repeat(n))),
        ("fromsub", format!("SELECT * FROM {}t{}", "(SELECT * FROM ".repeat(n), ")".repeat(n))),
    ];
    for (name, sql) in cases {
        let h = std::thread::Builder::new()
            .stack_size(64 << 20)
            .spawn(move || {
                let x = 0u8;
                let base = &x as *const u8 as usize;
                STACK_LOW.with(|l| l.set(usize::MAX));
                let r = parse_all(&sql).map(|_| ()).map_err(|e| e.message().to_string());
                let low = STACK_LOW.with(|l| l.get());
                (base.saturating_sub(low), r)
            })
            .unwrap();
        let (used, r) = h.join().unwrap();
        eprintln!("{name}: {} bytes/level {r:?}", used / n);
        assert!(r.is_ok(), "{name}");
    }
}

/// Developer aid: prints the parse result of each line of the file named
/// by FERROLITE_PARSE_CASES (to diff against the reference library).
#[test]
#[ignore]
fn dump_cases() {
    let Ok(path) = std::env::var("FERROLITE_PARSE_CASES") else { return };
    let text = std::fs::read_to_string(path).unwrap();
    for line in text.lines() {
        let r = match parse_all(line) {
            Ok(_) => "OK".to_string(),
            Err(e) => e.message().to_string(),
        };
        println!("RESULT\t{r}");
    }
}

/// Developer aid: prints the result-column texts (or aliases) of each
/// SELECT line of the file named by FERROLITE_PARSE_NAMES.
#[test]
#[ignore]
fn dump_names() {
    let Ok(path) = std::env::var("FERROLITE_PARSE_NAMES") else { return };
    let text = std::fs::read_to_string(path).unwrap();
    for line in text.lines() {
        let line = line.replace("\\n", "\n");
        let out = match parse_all(&line) {
            Ok(v) => match &v[0].stmt {
                Stmt::Select(s) => match &s.core {
                    SelectCore::Select(b) => b
                        .columns
                        .iter()
                        .map(|c| match c {
                            ResultColumn::Expr { alias: Some(a), .. } => a.clone(),
                            ResultColumn::Expr { expr: Expr::Column { column, .. }, .. } => column.clone(),
                            ResultColumn::Expr { expr: Expr::DoubleQuotedId(c), .. } => c.clone(),
                            ResultColumn::Expr { text, .. } => text.clone(),
                            _ => "*".into(),
                        })
                        .collect::<Vec<_>>()
                        .join("|"),
                    _ => "VALUES".into(),
                },
                _ => "NOTSELECT".into(),
            },
            Err(e) => format!("ERR {}", e.message()),
        };
        println!("NAMES\t{}", out.replace('\n', "\\n"));
    }
}

#[test]
fn large_inputs_parse_quickly() {
    let t = std::time::Instant::now();
    let rows: Vec<String> = (0..20_000).map(|i| format!("({i}, 'row {i}', x'00ff', {i}.5)")).collect();
    let sql = format!("INSERT INTO t VALUES {}", rows.join(", "));
    assert!(parse_all(&sql).is_ok());
    let names: Vec<String> = (0..30_000).map(|i| format!(":p{i}")).collect();
    let sql = format!("SELECT {}", names.join(", "));
    assert_eq!(parse_all(&sql).unwrap()[0].parameters.len(), 30_000);
    let many = format!("SELECT {}", vec!["?"; 32767].join(","));
    assert_eq!(err(&many), "too many SQL variables");
    let stmts = "SELECT 1;".repeat(20_000);
    assert_eq!(parse_all(&stmts).unwrap().len(), 20_000);
    assert!(t.elapsed().as_secs() < 20, "{:?}", t.elapsed());
}

#[test]
fn run_time_limits() {
    let parse = |sql: &str, limits: ParseLimits| -> std::result::Result<usize, crate::Error> {
        let mut p = Parser::with_limits(sql, limits);
        let mut n = 0;
        while p.next_stmt()?.is_some() {
            n += 1;
        }
        Ok(n)
    };
    let lim = |f: fn(&mut ParseLimits)| {
        let mut l = ParseLimits::default();
        f(&mut l);
        l
    };
    let e = parse("SELECT 1 + 2 + 3", lim(|l| l.sql_length = 10)).unwrap_err();
    assert_eq!(e.primary_code(), crate::error::code::TOOBIG);
    assert_eq!(e.message(), "string or blob too big");
    assert_eq!(parse("SELECT 1 + 2 + 3", lim(|l| l.sql_length = 16)).unwrap(), 1);
    let e = parse("SELECT 1+1+1+1", lim(|l| l.expr_depth = 3)).unwrap_err();
    assert_eq!(e.message(), "Expression tree is too large (maximum depth 3)");
    assert!(parse("SELECT 1+1+1", lim(|l| l.expr_depth = 3)).is_ok());
    let e = parse("SELECT ?6", lim(|l| l.variable_number = 5)).unwrap_err();
    assert_eq!(e.message(), "variable number must be between ?1 and ?5");
    let e = parse("SELECT ?,?,?,?,?,?", lim(|l| l.variable_number = 5)).unwrap_err();
    assert_eq!(e.message(), "too many SQL variables");
    let e = parse("SELECT f(1,2,3)", lim(|l| l.function_arg = 2)).unwrap_err();
    assert_eq!(e.message(), "too many arguments on function f");
    let e = parse("SELECT 1 UNION SELECT 2 UNION SELECT 3", lim(|l| l.compound_select = 2)).unwrap_err();
    assert_eq!(e.message(), "too many terms in compound SELECT");
    assert!(parse("SELECT 1 UNION SELECT 2 UNION SELECT 3", lim(|l| l.compound_select = 0)).is_ok());
}

/// `error_offset` against sqlite3_error_offset of SQLite 3.54.
#[test]
fn error_offsets_match_sqlite() {
    let cases: &[(&str, Option<usize>, &str)] = &[
        ("SELEC 1", Some(0), "near \"SELEC\": syntax error"),
        ("SELECT * FROM", None, "incomplete input"),
        ("SELECT 1 ! 2", Some(9), "unrecognized token: \"!\""),
        ("SELECT #1 + 1", Some(7), "near \"#1\": syntax error"),
        ("SELECT ?0 + 1", Some(7), "variable number must be between ?1 and ?32766"),
        ("SELECT * FROM t LEFT FOO JOIN t", Some(16), "unknown join type: LEFT FOO"),
        ("SELECT * FROM t ON 1", None, "a JOIN clause is required before ON"),
        ("CREATE TABLE x(a) foo", None, "unknown table option: foo"),
        ("SELECT 1 ORDER BY 1 UNION SELECT 2", None, "ORDER BY clause should come after UNION not before"),
        ("SELECT f(a ORDER BY b) OVER () FROM t", Some(7), "ORDER BY may not be used with non-aggregate f()"),
        ("SELECT 1__0", None, "unrecognized token: \"1__0\""),
        ("  SELECT 1 2", Some(11), "near \"2\": syntax error"),
        ("SELECT sum(a) OVER (ROWS 1 FOLLOWING) FROM t", None, "unsupported frame specification"),
        ("WITH x(a ASC) AS (SELECT 1) SELECT 1", None, "syntax error after column name \"a\""),
        ("SELECT x'ABC'", Some(7), "unrecognized token: \"x'ABC'\""),
    ];
    for (sql, off, msg) in cases {
        let mut p = Parser::new(sql);
        let e = loop {
            match p.next_stmt() {
                Ok(Some(_)) => continue,
                Ok(None) => panic!("{sql}: no error"),
                Err(e) => break e,
            }
        };
        assert_eq!(e.message(), *msg, "{sql}");
        assert_eq!(p.error_offset(), *off, "{sql}");
    }
}
