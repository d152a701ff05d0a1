CREATE TABLE t(a INTEGER, b TEXT COLLATE NOCASE, c INTEGER, d REAL)

CREATE INDEX ia ON t(a)

CREATE INDEX ibc ON t(b, c DESC)

CREATE INDEX ic ON t(c DESC)

INSERT INTO t VALUES(3, 'b', 1, 1.5), (1, 'B', 2, 2.5), (2, 'a', 3, NULL), (3, 'A', 2, 0.5), (NULL, 'b', 1, 3.0), (1, NULL, NULL, 4.5), (2, 'c', 3, 1.0), (3, 'C', 1, -1.0), (NULL, NULL, 2, 2.0), (1, 'b', 3, 6.0)

-- query II nosort
SELECT a, count(*) FROM t GROUP BY a

-- query IR nosort
SELECT a, sum(d) FROM t GROUP BY a

-- query ITI nosort
SELECT c, b, count(*) FROM t GROUP BY c, b

-- query TI nosort
SELECT b, count(*) FROM t GROUP BY b ORDER BY b DESC

-- query TII nosort
SELECT b, c, count(*) FROM t GROUP BY b, c ORDER BY b, c DESC

-- query II nosort
SELECT a, count(*) FROM t WHERE b = 'b' GROUP BY a

-- query II nosort
SELECT c, count(*) FROM t WHERE b = 'b' GROUP BY c

-- query II nosort
SELECT a, count(*) FROM t GROUP BY a ORDER BY a

-- query II nosort
SELECT a, count(*) FROM t GROUP BY a ORDER BY count(*), a

-- query RI nosort
SELECT d, count(*) FROM t GROUP BY d ORDER BY d DESC

-- query II nosort
SELECT c, count(*) FROM t GROUP BY c

-- query TI nosort
SELECT b, max(c) FROM t GROUP BY b

-- query TIR nosort
SELECT b, min(c), d FROM t GROUP BY b

-- query TTI nosort
SELECT b, upper(b), count(*) FROM t GROUP BY b

-- query ITI nosort
SELECT a, group_concat(b, ''), count(DISTINCT b) FROM t GROUP BY a HAVING count(*) > 1

-- query II nosort
SELECT a + 1, count(*) FROM t GROUP BY a + 1 ORDER BY a + 1

-- query IT nosort
SELECT a, b FROM t WHERE a > 1 GROUP BY a, b ORDER BY a, b

-- query I nosort
SELECT count(*) FROM t WHERE a > 100 GROUP BY a

-- query TI nosort
SELECT b, count(*) FROM t GROUP BY 1 ORDER BY 1

-- query TI nosort
SELECT b COLLATE BINARY, count(*) FROM t GROUP BY b COLLATE BINARY ORDER BY 1

-- query I nosort
SELECT DISTINCT a FROM t

-- query TI rowsort
SELECT DISTINCT b, c FROM t

-- query IT rowsort
SELECT DISTINCT c, b FROM t

-- query I nosort
SELECT DISTINCT c FROM t

-- query I nosort
SELECT DISTINCT a FROM t ORDER BY a DESC

-- query TI nosort
SELECT DISTINCT b, c FROM t ORDER BY b, c DESC

-- query I nosort
SELECT DISTINCT c FROM t WHERE b = 'b'

-- query T nosort
SELECT DISTINCT b FROM t WHERE b > 'a'

-- query I nosort
SELECT DISTINCT a FROM t LIMIT 2 OFFSET 1

CREATE TABLE u(k INTEGER, v, w TEXT)

INSERT INTO u VALUES(1, NULL, 'x'), (1, NULL, 'y'), (2, NULL, 'p'), (2, 3, 'q'), (2, NULL, 'r')

-- query ITT nosort
SELECT k, min(DISTINCT v), w FROM u GROUP BY k

-- query IIT nosort
SELECT k, count(DISTINCT v), group_concat(DISTINCT w) FROM u GROUP BY k HAVING k - k IS NOT NULL

INSERT INTO u VALUES(3, 5, 'a'), (3, 4, 'b'), (3, NULL, 'c'), (3, 6, 'd'), (3, 2, 'e'), (3, 9, 'f')

-- query ITT nosort
SELECT k, min(DISTINCT v), w FROM u GROUP BY k

-- query ITT nosort
SELECT k, max(v) FILTER (WHERE w < 'e'), w FROM u GROUP BY k

-- query ITT nosort
SELECT k, min(v) FILTER (WHERE w > 'b'), w FROM u GROUP BY k
