CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT, c REAL, d, e NUMERIC, "odd name" INT)

INSERT INTO t VALUES(1, 'x', 1.5, x'00', '12', 7), (2, 'y', 3, NULL, 'abc', 8)

CREATE TABLE c1 AS SELECT * FROM t

-- query TT nosort
SELECT name, sql FROM sqlite_schema WHERE name = 'c1'

-- query ITRTTI nosort
SELECT a, b, c, typeof(d), e, "odd name" FROM c1 ORDER BY a

CREATE TABLE c2 AS SELECT a, a, b || 'z', c * 2 AS doubled, 1, 'lit', NULL AS n FROM t WHERE a > 1

-- query TT nosort
SELECT name, sql FROM sqlite_schema WHERE name = 'c2'

-- query IITRITT nosort
SELECT * FROM c2

CREATE TABLE "select" AS SELECT b AS "from", count(*) AS cnt FROM t GROUP BY b

-- query TT nosort
SELECT name, sql FROM sqlite_schema WHERE name = 'select'

CREATE TABLE a_rather_long_table_name_here AS SELECT a AS first_column, b AS second_column, c AS third_column FROM t

-- query T nosort
SELECT sql FROM sqlite_schema WHERE name = 'a_rather_long_table_name_here'

-- query I nosort
SELECT rowid FROM c1 ORDER BY rowid

CREATE TABLE IF NOT EXISTS c1 AS SELECT 1

-- error
CREATE TABLE c1 AS SELECT 1

CREATE TABLE empty AS SELECT * FROM t WHERE 0

-- query I nosort
SELECT count(*) FROM empty

-- query T nosort
SELECT sql FROM sqlite_schema WHERE name = 'empty'
