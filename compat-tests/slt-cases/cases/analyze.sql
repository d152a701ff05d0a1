CREATE TABLE t(a INTEGER PRIMARY KEY, b, c, d UNIQUE, e)

CREATE INDEX tb ON t(b)

CREATE INDEX tbc ON t(b, c DESC)

CREATE INDEX te ON t(e COLLATE NOCASE)

CREATE TABLE n(x)

CREATE INDEX nx ON n(x)

CREATE TABLE plain(x)

CREATE TABLE empty(x)

WITH RECURSIVE s(v) AS (SELECT 1 UNION ALL SELECT v + 1 FROM s WHERE v < 1000) INSERT INTO t SELECT v, v % 7, v % 3, v, CASE WHEN v % 2 THEN 'A' ELSE 'a' END FROM s

INSERT INTO t VALUES(2000, NULL, NULL, NULL, NULL), (2001, NULL, NULL, NULL, NULL)

INSERT INTO plain VALUES(1), (2), (3)

-- query TTTIT nosort
SELECT * FROM sqlite_master WHERE name LIKE 'sqlite_stat%'

ANALYZE

-- query TTTT nosort
SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name LIKE 'sqlite_stat%'

-- query TTT nosort
SELECT tbl, idx, stat FROM sqlite_stat1 ORDER BY tbl, idx

DELETE FROM t WHERE a > 10

ANALYZE main.t

-- query TTT nosort
SELECT tbl, idx, stat FROM sqlite_stat1 ORDER BY tbl, idx

INSERT INTO t VALUES(11, 1, 1, 11, 'b')

ANALYZE tbc

-- query TTT nosort
SELECT tbl, idx, stat FROM sqlite_stat1 ORDER BY tbl, idx

ANALYZE main

-- query TTT nosort
SELECT tbl, idx, stat FROM sqlite_stat1 ORDER BY tbl, idx

-- error
ANALYZE nosuch

-- error
ANALYZE nosuch.t

ANALYZE sqlite_master

DROP INDEX te

-- query TTT nosort
SELECT tbl, idx, stat FROM sqlite_stat1 ORDER BY tbl, idx

DROP TABLE plain

-- query TTT nosort
SELECT tbl, idx, stat FROM sqlite_stat1 ORDER BY tbl, idx

CREATE TEMP TABLE tt(x)

CREATE INDEX ttx ON tt(x)

INSERT INTO tt VALUES(1), (1), (2)

ANALYZE

-- query I nosort
SELECT count(*) FROM sqlite_temp_master WHERE name = 'sqlite_stat1'

ANALYZE temp

-- query TTT nosort
SELECT tbl, idx, stat FROM temp.sqlite_stat1

ATTACH ':memory:' AS aux

CREATE TABLE aux.w(p, q)

CREATE INDEX aux.wpq ON w(p, q)

INSERT INTO aux.w VALUES(1, 1), (1, 2), (2, 2), (2, 2)

ANALYZE aux

-- query TTT nosort
SELECT tbl, idx, stat FROM aux.sqlite_stat1

-- error
CREATE TABLE sqlite_stat1(a)

-- error
DROP TABLE sqlite_stat1x
