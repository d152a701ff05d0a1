CREATE TABLE t(a REAL, b INTEGER, c)

INSERT INTO t VALUES(5, 5, 5.0), (2.5, 2.0, 3), (-7, '8', '9.0'), (NULL, 1e3, 'x')

CREATE TABLE log(x)

CREATE TRIGGER tr AFTER UPDATE ON t BEGIN INSERT INTO log VALUES(old.a); END

-- query RTRIT rowsort
SELECT a, typeof(a), a / 2, b, typeof(c) FROM t

-- query R nosort
SELECT a FROM t WHERE a > 1 ORDER BY a

UPDATE t SET b = b + 1

-- query RT rowsort
SELECT x, typeof(x) FROM log

-- query RR nosort
SELECT max(a), sum(a) FROM t

-- query T nosort
SELECT group_concat(a, ',') FROM (SELECT a FROM t ORDER BY a)

-- query I nosort
SELECT count(*) FROM t WHERE a = 5
