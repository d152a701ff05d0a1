CREATE TABLE t(a INTEGER, b TEXT, c REAL, d BLOB)

CREATE INDEX ta ON t(a)

CREATE INDEX tba ON t(b, a)

CREATE INDEX tb ON t(b)

CREATE TABLE w(x VARCHAR(200), y INTEGER)

CREATE INDEX wx ON w(x)

CREATE TABLE p(k INTEGER PRIMARY KEY, v TEXT, z)

CREATE INDEX pv ON p(v)

INSERT INTO t VALUES(5, 'e', 1.5, x'01'), (3, 'c', 2.5, NULL), (9, 'a', 0.5, x'02'), (1, 'd', NULL, NULL), (7, 'b', 3.5, x'03'), (3, 'a', 4.5, NULL), (NULL, 'c', 0.0, x'04')

INSERT INTO w VALUES('q', 1), ('m', 2), ('z', 3), ('a', 4)

INSERT INTO p VALUES(10, 'x', 1), (20, 'b', 2), (30, 'm', 3), (5, 'a', 4)

-- query I nosort
SELECT a FROM t

-- query T nosort
SELECT b FROM t

-- query TI nosort
SELECT b, a FROM t

-- query II nosort
SELECT rowid, a FROM t

-- query I nosort
SELECT a FROM t WHERE a + 0 > 2

-- query IR nosort
SELECT a, c FROM t

-- query I nosort
SELECT count(a) FROM t

-- query T nosort
SELECT x FROM w

-- query IT nosort
SELECT k, v FROM p

-- query T nosort
SELECT group_concat(b, '') FROM t

-- query TI nosort
SELECT b, count(*) FROM t GROUP BY b COLLATE NOCASE

-- query IR nosort
SELECT a, max(c) FROM t GROUP BY a + 0

-- query TI nosort
SELECT b, a FROM t ORDER BY b

-- query IR nosort
SELECT a, c FROM t ORDER BY a, c

-- query I nosort
SELECT a FROM t LIMIT 3

-- query I nosort
SELECT a FROM t NOT INDEXED

-- query I nosort
SELECT a FROM t INDEXED BY ta
