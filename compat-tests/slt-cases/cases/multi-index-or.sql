CREATE TABLE t(a INTEGER, b TEXT, c INTEGER, d)

CREATE INDEX ia ON t(a)

CREATE INDEX ib ON t(b)

CREATE INDEX icd ON t(c, d)

CREATE TABLE u(x INTEGER, y)

INSERT INTO t VALUES(1, 'e', 0, 3), (2, 'c', 1, 2), (9, 'a', 0, 3), (1, 'd', 2, NULL), (7, 'b', 0, 1), (3, 'a', 4, 2), (NULL, 'c', NULL, 0), (5, NULL, 1, 2), (2, 'a', 0, 3)

INSERT INTO u VALUES(1, 'p'), (2, 'q'), (9, 'r'), (4, 's')

-- query ITII nosort
SELECT * FROM t WHERE a = 1 OR b = 'a'

-- query ITII nosort
SELECT * FROM t WHERE b = 'a' OR a = 1

-- query IT nosort
SELECT a, b FROM t WHERE a = 2 OR b > 'c'

-- query IT nosort
SELECT a, b FROM t WHERE a > 6 OR b = 'c'

-- query IT nosort
SELECT a, b FROM t WHERE a BETWEEN 2 AND 5 OR b = 'e'

-- query II nosort
SELECT rowid, a FROM t WHERE a = 9 OR rowid = 4 OR rowid = 1

-- query II nosort
SELECT rowid, a FROM t WHERE a = 1 OR rowid BETWEEN 5 AND 7

-- query ITII nosort
SELECT * FROM t WHERE c = 0 AND d = 3 OR a = 7

-- query ITII nosort
SELECT * FROM t WHERE (a = 1 OR b = 'a') AND d IS NOT NULL

-- query II nosort
SELECT count(*), sum(a) FROM t WHERE a = 2 OR b = 'a'

-- query I nosort
SELECT rowid FROM t WHERE a = 1 OR a = 2 OR b = 'b' OR c = 4 LIMIT 4

-- query IT nosort
SELECT a, b FROM t WHERE a = '2' OR b = 'd'

-- query IT nosort
SELECT a, b FROM t WHERE a = 2.0 OR b = NULL

-- query ITT nosort
SELECT u.x, t.b, u.y FROM u, t WHERE (t.a = u.x OR t.b = 'e') AND u.y > 'p'

-- query IT nosort
SELECT u.x, t.b FROM u LEFT JOIN t ON t.a = u.x OR t.c = 4

-- query ITII nosort
SELECT * FROM t WHERE a = 1 OR c = 3

UPDATE t SET d = 'x' WHERE a = 1 OR b = 'c'

-- query ITII nosort
SELECT * FROM t WHERE d = 'x'

DELETE FROM t WHERE a = 9 OR b = 'b'

-- query I nosort
SELECT count(*) FROM t

-- query IT nosort
SELECT a, b FROM t WHERE a IN (3, 1, 3, NULL) OR b = 'a'

-- query IT nosort
SELECT a, b FROM t WHERE rowid IN (5, 2, 70) OR b IN ('c', 'e')

-- query IT nosort
SELECT a, b FROM t WHERE c IN (1, 4) AND d = 2 OR a = 7
