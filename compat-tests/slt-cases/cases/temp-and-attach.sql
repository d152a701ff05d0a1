CREATE TABLE m(a INTEGER PRIMARY KEY, b TEXT UNIQUE)

INSERT INTO m VALUES(1, 'x'), (2, 'y')

CREATE TEMP TABLE t(a, b UNIQUE, c INTEGER PRIMARY KEY AUTOINCREMENT)

INSERT INTO t(a, b) VALUES(1, 'p'), (2, 'q')

-- query TTTIT nosort
SELECT * FROM temp.sqlite_master ORDER BY name

-- query TTT nosort
SELECT type, name, tbl_name FROM sqlite_temp_master ORDER BY name

-- query T nosort
SELECT name FROM sqlite_temp_schema WHERE type = 'table' ORDER BY name

-- query T nosort
SELECT name FROM sqlite_master ORDER BY name

-- error
SELECT * FROM main.sqlite_temp_master

-- error
SELECT * FROM nosuch.t

-- error
CREATE TABLE nosuch.t(a)

-- error
CREATE TEMP TABLE main.u(a)

CREATE TABLE t(z)

INSERT INTO main.t VALUES(42)

-- query ITI nosort
SELECT * FROM t ORDER BY a

-- query I nosort
SELECT * FROM main.t

-- query ITI nosort
SELECT * FROM temp.t ORDER BY a

-- query IT nosort
SELECT temp.t.a, main.m.b FROM t, m WHERE t.a = m.a ORDER BY 1

-- error
SELECT nosuch.m.a FROM m

-- error
SELECT main.t.a FROM temp.t

CREATE TEMP TRIGGER tr1 AFTER INSERT ON m BEGIN INSERT INTO t(a, b) VALUES(new.a, 'from-m-' || new.b); END

INSERT INTO m VALUES(3, 'z')

-- query ITI nosort
SELECT * FROM temp.t ORDER BY c

-- query TTT nosort
SELECT type, name, tbl_name FROM sqlite_temp_master ORDER BY name

ALTER TABLE temp.t ADD COLUMN d DEFAULT 9

-- query ITII nosort
SELECT * FROM temp.t ORDER BY c

-- query ITTITI nosort
PRAGMA table_info(t)

-- query ITTITI nosort
PRAGMA main.table_info(t)

CREATE INDEX temp.ti ON t(a)

CREATE INDEX mi ON m(b, a)

-- query TT nosort
SELECT name, tbl_name FROM sqlite_temp_master WHERE type = 'index' ORDER BY name

-- query TT nosort
SELECT name, tbl_name FROM sqlite_master WHERE type = 'index' ORDER BY name

-- query IIT nosort
PRAGMA index_info(ti)

CREATE TEMP VIEW v AS SELECT a, b FROM m WHERE a > 1

CREATE VIEW temp.v2 AS SELECT count(*) FROM m

-- query IT nosort
SELECT * FROM v ORDER BY a

-- query I nosort
SELECT * FROM v2

-- error
CREATE VIEW temp.v AS SELECT 1

CREATE VIEW v AS SELECT 'main view'

-- query IT nosort
SELECT * FROM v ORDER BY 1

-- query T nosort
SELECT * FROM main.v

DROP VIEW v

-- query T nosort
SELECT * FROM v

DROP VIEW v

-- error
SELECT * FROM v

ATTACH ':memory:' AS aux

-- error
ATTACH ':memory:' AS aux

-- error
ATTACH ':memory:' AS main

-- error
ATTACH ':memory:' AS TEMP

-- error
DETACH main

-- error
DETACH temp

-- error
DETACH nosuch

CREATE TABLE aux.t3(x INTEGER PRIMARY KEY, y)

INSERT INTO aux.t3 SELECT a, b FROM m

-- query IT nosort
SELECT * FROM aux.t3 ORDER BY x

-- query ITT nosort
SELECT t3.x, t3.y, m.b FROM t3 JOIN m ON t3.x = m.a ORDER BY 1

BEGIN;
INSERT INTO aux.t3 VALUES(10, 'ten');
INSERT INTO m VALUES(10, 'ten');
ROLLBACK

-- query II nosort
SELECT (SELECT count(*) FROM aux.t3), (SELECT count(*) FROM m)

BEGIN;
INSERT INTO aux.t3 VALUES(11, 'eleven');
INSERT INTO m VALUES(11, 'eleven');
SAVEPOINT s1;
INSERT INTO aux.t3 VALUES(12, 'twelve');
ROLLBACK TO s1;
COMMIT

-- query II nosort
SELECT (SELECT count(*) FROM aux.t3), (SELECT count(*) FROM m)

-- query TTTIT nosort
SELECT * FROM aux.sqlite_master

PRAGMA aux.user_version = 7

-- query I nosort
PRAGMA aux.user_version

-- query I nosort
PRAGMA user_version

-- query T nosort
PRAGMA aux.integrity_check

CREATE TABLE aux.t4 AS SELECT a, b FROM m

-- query IT nosort
SELECT * FROM aux.t4 ORDER BY a

CREATE TRIGGER aux.t4_ins AFTER INSERT ON t4 BEGIN UPDATE t3 SET y = y || '!' WHERE x = new.a; END

INSERT INTO t4 VALUES(1, 'again')

-- query IT nosort
SELECT * FROM t3 ORDER BY x

DROP TABLE aux.t4

-- error
SELECT * FROM aux.t4

REINDEX aux.t3

ATTACH '' AS scratch

CREATE TABLE scratch.s(v)

INSERT INTO s VALUES(1), (2), (3)

-- query I nosort
SELECT sum(v) FROM scratch.s

DETACH scratch

-- error
SELECT * FROM s

DROP TRIGGER tr1

INSERT INTO m VALUES(20, 'w')

-- query I nosort
SELECT count(*) FROM temp.t

DROP TABLE temp.t

-- query I nosort
SELECT * FROM t

DROP TABLE t

-- error
SELECT * FROM t

DETACH DATABASE aux

-- error
SELECT * FROM aux.t3


CREATE TEMP TABLE ti(k, v)

CREATE INDEX ti_k ON ti(k)

WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < 300) INSERT INTO ti SELECT n % 50, 'v' || n FROM s

-- query T rowsort
SELECT v FROM ti WHERE k = 7

-- query IT nosort
SELECT k, v FROM ti WHERE k BETWEEN 48 AND 49 ORDER BY k, v

-- query I nosort
SELECT k FROM ti ORDER BY k DESC LIMIT 3

ATTACH ':memory:' AS aux3

CREATE TABLE aux3.big(k INTEGER, w TEXT UNIQUE)

CREATE INDEX aux3.big_k ON big(k)

INSERT INTO aux3.big SELECT k * 3, v FROM ti

-- query IT nosort
SELECT k, w FROM aux3.big WHERE k = 21 ORDER BY w

-- query I nosort
SELECT k FROM big WHERE w = 'v150'

-- query IT nosort
SELECT ti.k, big.w FROM ti JOIN big ON big.k = ti.k * 3 WHERE ti.v = 'v99'

DETACH aux3
