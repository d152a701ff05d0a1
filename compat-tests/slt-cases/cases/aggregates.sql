CREATE TABLE t(g, name TEXT COLLATE NOCASE, v INT, tag)

INSERT INTO t VALUES(1,'b',5,'five'),(1,'A',9,'nine'),(1,'c',2,'two'),(2,'Z',1,'one'),(2,'y',7,'seven'),(2,'x',7,'seven-b')

-- query IT nosort
SELECT max(v), tag FROM t

-- query IT nosort
SELECT min(v), tag FROM t

-- query IIT rowsort
SELECT g, max(v), tag FROM t GROUP BY g

-- query IIT nosort
SELECT g, min(v), tag FROM t GROUP BY g ORDER BY g

-- query TT nosort
SELECT max(name), min(name) FROM t

-- query T nosort
SELECT max(name COLLATE BINARY) FROM t

-- query TT nosort
SELECT max('a', 'B'), max('a' COLLATE NOCASE, 'B')

-- query T nosort
SELECT nullif('a' COLLATE NOCASE, 'A')

-- error
SELECT count(*) FROM t WHERE sum(v) > 0

-- query ITT rowsort
SELECT g, max(name), tag FROM t GROUP BY g

-- query IIT nosort
SELECT min(v), max(v), tag FROM t

-- query IIT nosort
SELECT max(v), min(v), tag FROM t

-- query IIIT rowsort
SELECT g, count(DISTINCT v), sum(v) FILTER (WHERE v > 2), group_concat(tag, '+') FROM t GROUP BY g HAVING count(*) > 1
