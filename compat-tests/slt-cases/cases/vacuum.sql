CREATE TABLE t(a INTEGER PRIMARY KEY AUTOINCREMENT, b TEXT UNIQUE, c)

CREATE TABLE plain(x, y)

CREATE INDEX plain_y ON plain(y DESC, x)

CREATE VIEW v AS SELECT a, b FROM t WHERE a > 5

CREATE TRIGGER tr AFTER INSERT ON plain BEGIN INSERT INTO t(b) VALUES('trig' || new.x); END

INSERT INTO t(b, c) SELECT 'k' || i, zeroblob(i * 13) FROM (WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i < 400) SELECT i FROM n)

INSERT INTO plain SELECT a, b FROM t WHERE a % 7 = 0 ORDER BY a

DELETE FROM t WHERE a % 3 = 0

CREATE TABLE gone(z)

INSERT INTO gone VALUES(1)

DROP TABLE gone

PRAGMA user_version = 42

VACUUM

-- query TTT nosort
SELECT type, name, tbl_name FROM sqlite_schema

-- query TT nosort
SELECT name, sql FROM sqlite_schema ORDER BY rowid

-- query IIII nosort
SELECT count(*), sum(length(c)), min(a), max(a) FROM t

-- query TI nosort
SELECT * FROM sqlite_sequence

-- query I nosort
PRAGMA freelist_count

-- query I nosort
PRAGMA user_version

-- query IT nosort
SELECT a, b FROM v ORDER BY a LIMIT 5

-- query IT nosort
SELECT x, y FROM plain WHERE y > 'k3' ORDER BY y DESC LIMIT 4

INSERT INTO plain VALUES(1000, 'new')

-- query IT nosort
SELECT a, b FROM t ORDER BY a DESC LIMIT 2

-- query T nosort
PRAGMA integrity_check

VACUUM main

VACUUM temp

-- error
VACUUM nosuchdb

-- error
VACUUM INTO 7

BEGIN

-- error
VACUUM

COMMIT

-- query I nosort
SELECT count(*) FROM t
