CREATE TABLE t(id INTEGER PRIMARY KEY, a INT, b INT, c TEXT)

CREATE INDEX ta ON t(a)

CREATE INDEX tab ON t(a, b)

CREATE INDEX tcd ON t(c DESC, a)

INSERT INTO t VALUES(1, 7, 3, 'x'), (2, 7, 1, 'y'), (3, 5, 9, 'x'), (4, 7, 2, 'z'), (5, NULL, 4, 'x'), (6, 7, NULL, 'y'), (7, 8, 1, NULL), (8, 7, 2, 'x'), (9, 5, 5, 'z'), (10, 7, 8, NULL)

-- query I nosort
SELECT id FROM t WHERE a = 7 ORDER BY id DESC

-- query I nosort
SELECT id FROM t WHERE a = 7 ORDER BY id DESC LIMIT 3

-- query I nosort
SELECT id FROM t WHERE a = 7 ORDER BY id

-- query II rowsort
SELECT b, id FROM t WHERE a = 7 ORDER BY b DESC

-- query II nosort
SELECT b, id FROM t WHERE a = 7 ORDER BY b DESC, id DESC

-- query II nosort
SELECT b, id FROM t WHERE a = 7 ORDER BY b DESC, id

-- query II nosort
SELECT b, id FROM t WHERE a = 7 AND b > 1 ORDER BY b DESC, id

-- query II nosort
SELECT b, id FROM t WHERE a = 5 ORDER BY b DESC LIMIT 1

-- query I nosort
SELECT id FROM t WHERE a = 99 ORDER BY id DESC

-- query IT nosort
SELECT a, c FROM t WHERE c = 'x' ORDER BY a

-- query IT nosort
SELECT a, c FROM t WHERE c = 'x' ORDER BY a DESC

-- query II nosort
SELECT a, id FROM t WHERE a = 7 AND b = 2 ORDER BY id DESC

-- query I nosort
SELECT id FROM t WHERE a IS NULL ORDER BY id DESC

-- query I nosort
SELECT count(*) FROM (SELECT id FROM t WHERE a = 7 ORDER BY id DESC LIMIT 2)
