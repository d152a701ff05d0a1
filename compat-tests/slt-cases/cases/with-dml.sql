CREATE TABLE t(a INTEGER PRIMARY KEY, b)

WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20) INSERT INTO t SELECT i, i * i FROM n

-- query I nosort
SELECT count(*) FROM t

WITH big(x) AS (SELECT a FROM t WHERE b > 100) DELETE FROM t WHERE a IN big

-- query II nosort
SELECT a, b FROM t ORDER BY a DESC LIMIT 3

WITH v(k, w) AS (VALUES(1, 'one'), (2, 'two')) UPDATE t SET b = (SELECT w FROM v WHERE k = t.a) WHERE a IN (SELECT k FROM v)

-- query IT nosort
SELECT a, b FROM t WHERE a <= 3 ORDER BY a

CREATE TABLE log(x)

CREATE TRIGGER tr AFTER INSERT ON t BEGIN INSERT INTO log SELECT count(*) FROM t; END

WITH t(z) AS (SELECT 99) INSERT INTO t SELECT z, 'from cte' FROM t

-- query IT nosort
SELECT a, b FROM t WHERE a = 99

-- query I nosort
SELECT x FROM log

-- error
WITH c(x) AS (SELECT 1) INSERT INTO c VALUES(2)
