CREATE TABLE t(id INTEGER PRIMARY KEY AUTOINCREMENT, v)

-- query TT nosort
SELECT name, sql FROM sqlite_master ORDER BY rowid

INSERT INTO t(v) SELECT 1 WHERE 0

-- query TI nosort
SELECT name, seq FROM sqlite_sequence

INSERT INTO t(v) VALUES('a'),('b')

DELETE FROM t WHERE id = 2

INSERT INTO t(v) VALUES('c')

INSERT INTO t VALUES(10, 'x')

INSERT INTO t(v) VALUES('d')

-- query IT nosort
SELECT * FROM t ORDER BY id

DELETE FROM t

INSERT INTO t(v) VALUES('e')

-- query IT nosort
SELECT * FROM t

CREATE TABLE u(id INTEGER PRIMARY KEY AUTOINCREMENT)

INSERT INTO u DEFAULT VALUES

-- query TI nosort
SELECT name, seq FROM sqlite_sequence ORDER BY name

DROP TABLE t

-- query TI nosort
SELECT name, seq FROM sqlite_sequence

-- error
CREATE TABLE w(a TEXT PRIMARY KEY AUTOINCREMENT)
