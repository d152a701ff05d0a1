CREATE TABLE t(id INTEGER PRIMARY KEY, a, b, c)

CREATE INDEX tb ON t(b)

CREATE INDEX tbc ON t(b, c)

INSERT INTO t VALUES(1, 'x', 1, 10), (2, 'y', 2, 20), (3, 'z', 2, 30), (4, 'w', NULL, 40)

-- query TI nosort
SELECT a, count(*) FROM t

-- query TI nosort
SELECT a, count(*) FROM t WHERE b > 0

-- query TI nosort
SELECT a, sum(c) FROM t WHERE b > 0

-- query ITI nosort
SELECT b, a, count(*) FROM t GROUP BY b

-- query IT nosort
SELECT max(c), a FROM t WHERE b = 2

-- query I nosort
SELECT c FROM t WHERE b = 2 ORDER BY c

-- query T nosort
SELECT a FROM t WHERE b = 2 ORDER BY a

-- query II nosort
SELECT id, b FROM t WHERE b = 2 ORDER BY id

-- query TI nosort
SELECT t1.a, t2.c FROM t t1 JOIN t t2 ON t2.b = t1.id ORDER BY 1, 2

-- query T nosort
SELECT x.a FROM t x LEFT JOIN t y ON y.b = x.id + 5 WHERE y.c IS NULL ORDER BY 1

-- query I nosort
SELECT sum(c) FROM t WHERE b BETWEEN 1 AND 2

-- query T nosort
SELECT a FROM t WHERE b = 2 AND c > 25

-- query IT nosort
SELECT b, group_concat(a, '') FROM t WHERE b IS NOT NULL GROUP BY b ORDER BY b
