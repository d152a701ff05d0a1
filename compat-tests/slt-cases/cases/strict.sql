CREATE TABLE s(a INT, b TEXT, c REAL, d BLOB, e ANY, f INTEGER PRIMARY KEY) STRICT

INSERT INTO s VALUES(1, 'x', 1.5, X'00', 'any', NULL)

INSERT INTO s VALUES('5', 7, 3, X'01', 5, NULL)

INSERT INTO s VALUES(NULL, NULL, NULL, NULL, NULL, NULL)

-- error
INSERT INTO s VALUES('notint', 'x', 1.0, X'00', 1, NULL)

-- error
INSERT INTO s VALUES(1, 'x', 'abc', X'00', 1, NULL)

-- error
INSERT INTO s VALUES(1, 'x', 1.0, 'text', 1, NULL)

-- error
INSERT INTO s VALUES(2.5, 'x', 1.0, X'00', 1, NULL)

-- error
INSERT INTO s VALUES(1, X'41', 1.0, X'00', 1, NULL)

-- query TTTTTI nosort
SELECT typeof(a), typeof(b), typeof(c), typeof(d), typeof(e), f FROM s ORDER BY f

-- query IRT nosort
SELECT a, c, e FROM s ORDER BY f

-- error
UPDATE s SET a = 'abc' WHERE f = 1

UPDATE s SET c = 10 WHERE f = 1

-- query T nosort
SELECT typeof(c) FROM s WHERE f = 1

-- error
INSERT OR IGNORE INTO s VALUES('bad', 'x', 1.0, X'00', 1, NULL)

-- query I nosort
SELECT count(*) FROM s

-- error
CREATE TABLE s2(a foo) STRICT

-- error
CREATE TABLE s3(a, b INT) STRICT

CREATE TABLE s4(a any, b integer, c real, d blob, e text, f int) STRICT

-- query TTTT nosort
SELECT typeof(a), typeof(b), typeof(c), typeof(e) FROM (SELECT 1) LEFT JOIN s4

INSERT INTO s4 VALUES('1', '2', '3.5', X'00', 4, 5.0)

-- query TTTTTT nosort
SELECT typeof(a), typeof(b), typeof(c), typeof(d), typeof(e), typeof(f) FROM s4

-- query T nosort
PRAGMA integrity_check
