CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT, c REAL DEFAULT 1.5, d NOT NULL DEFAULT 'dd', CHECK(a <> 13)) WITHOUT ROWID

-- query TTIT nosort
SELECT type, name, rootpage > 0, sql FROM sqlite_schema ORDER BY name

INSERT INTO t(a, b) VALUES(3, 'x'), (1, 'y'), (2, 'z')

INSERT INTO t VALUES(5, 'five', 5, 'e')

-- query ITRT nosort
SELECT * FROM t

-- query ITRT nosort
SELECT * FROM t WHERE a = 2

-- query IT nosort
SELECT a, b FROM t WHERE a > 1 AND a <= 5

-- query IT nosort
SELECT a, b FROM t ORDER BY a DESC

-- query IT nosort
SELECT a, b FROM t WHERE a IN (5, 1, 7)

-- error
INSERT INTO t VALUES(2, 'dup', 0, 'x')

-- error
INSERT INTO t VALUES(NULL, 'null key', 0, 'x')

-- error
INSERT INTO t VALUES(13, 'check', 0, 'x')

-- error
INSERT INTO t(a, d) VALUES(14, NULL)

-- error
SELECT rowid FROM t

-- error
INSERT INTO t(rowid, a) VALUES(1, 99)

-- error
INSERT OR ROLLBACK INTO t VALUES(2, 'dup', 0, 'x')

-- error
INSERT OR FAIL INTO t VALUES(20, 'ok', 0, 'x'), (2, 'dup', 0, 'x')

-- error
INSERT OR ABORT INTO t VALUES(21, 'gone', 0, 'x'), (2, 'dup', 0, 'x')

INSERT OR IGNORE INTO t VALUES(2, 'ignored', 0, 'x'), (22, 'kept', 0, 'x')

INSERT OR REPLACE INTO t VALUES(3, 'replaced', 3, 'r')

INSERT OR REPLACE INTO t(a, b, d) VALUES(23, 'default', NULL)

-- query ITRT rowsort
SELECT * FROM t

UPDATE t SET b = upper(b) WHERE a < 3

UPDATE t SET a = a + 100 WHERE a >= 20

-- error
UPDATE t SET a = 1 WHERE a = 2

UPDATE OR REPLACE t SET a = 1 WHERE a = 2

UPDATE OR IGNORE t SET a = 3 WHERE a = 1

-- query ITRT rowsort
SELECT * FROM t

DELETE FROM t WHERE a > 100

-- query ITRT rowsort
SELECT * FROM t

-- query T nosort
PRAGMA integrity_check

CREATE TABLE src(x, y)

INSERT INTO src VALUES(40, 'p'), (41, 'q'), (40, 'dup')

-- error
INSERT INTO t(a, b) SELECT x, y FROM src

INSERT OR IGNORE INTO t(a, b) SELECT x, y FROM src

-- query IT rowsort
SELECT a, b FROM t WHERE a >= 40

CREATE TABLE c(k TEXT COLLATE NOCASE, n INT, v, PRIMARY KEY(k, n DESC)) WITHOUT ROWID

INSERT INTO c VALUES('a', 1, 'a1'), ('A', 2, 'A2'), ('b', 1, 'b1'), ('B', 3, 'B3'), ('c', 5, NULL)

-- error
INSERT INTO c VALUES('C', 5, 'dup under NOCASE')

-- query TIT nosort
SELECT * FROM c

-- query TIT nosort
SELECT * FROM c ORDER BY k, n DESC

-- query TIT nosort
SELECT * FROM c WHERE k = 'B'

-- query TIT nosort
SELECT * FROM c WHERE k = 'a' AND n = 2

-- query TIT rowsort
SELECT * FROM c WHERE k > 'a'

-- query TIT rowsort
SELECT * FROM c WHERE v IS NULL

UPDATE c SET k = 'C' WHERE k = 'c'

UPDATE c SET n = n * 10 WHERE k = 'a'

-- query TIT nosort
SELECT * FROM c ORDER BY k, n DESC

-- query T nosort
PRAGMA integrity_check

CREATE TABLE s(a TEXT, b INT, c UNIQUE, d, PRIMARY KEY(b, a)) WITHOUT ROWID

CREATE INDEX sd ON s(d)

CREATE UNIQUE INDEX sdc ON s(d, c)

-- query TTT nosort
SELECT type, name, tbl_name FROM sqlite_schema WHERE tbl_name = 's' ORDER BY name

INSERT INTO s VALUES('x', 1, 10, 'p'), ('y', 1, 20, 'q'), ('x', 2, 30, 'p'), ('z', 3, 40, NULL)

-- error
INSERT INTO s VALUES('w', 9, 10, 'u')

-- error
INSERT INTO s VALUES('x', 1, 99, 'u')

-- error
INSERT INTO s VALUES('w', 9, 30, 'p')

-- query TIIT nosort
SELECT * FROM s WHERE c = 20

-- query TIT rowsort
SELECT a, b, d FROM s WHERE d = 'p'

-- query IT rowsort
SELECT b, a FROM s WHERE d = 'p'

-- query TIIT rowsort
SELECT * FROM s WHERE d IS NULL

INSERT OR REPLACE INTO s VALUES('x', 2, 20, 'r')

-- query TIIT rowsort
SELECT * FROM s

UPDATE s SET c = c + 1, d = 'u' WHERE b = 1

UPDATE s SET b = b + 10 WHERE c = 41

DELETE FROM s WHERE d = 'u'

-- query TIIT rowsort
SELECT * FROM s

-- query T nosort
PRAGMA integrity_check

INSERT INTO s VALUES('x', 2, 50, 'r') ON CONFLICT(b, a) DO UPDATE SET d = excluded.d || '!'

INSERT INTO s VALUES('x', 2, 51, 'r') ON CONFLICT(a, b) DO NOTHING

INSERT INTO s VALUES('m', 7, 40, 'v') ON CONFLICT(c) DO UPDATE SET d = 'upserted'

-- query TIIT rowsort
SELECT * FROM s

-- query TIIT rowsort
INSERT INTO s VALUES('q', 8, 80, 'ret') RETURNING *

-- query TIT rowsort
UPDATE s SET d = 'changed' WHERE b = 8 RETURNING a, b, d

-- query TIIT rowsort
DELETE FROM s WHERE b = 8 RETURNING *

CREATE TABLE log(x)

CREATE TRIGGER su AFTER UPDATE ON s BEGIN INSERT INTO log VALUES('u ' || old.a || old.b || '>' || new.a || new.b); END

CREATE TRIGGER sd BEFORE DELETE ON s BEGIN INSERT INTO log VALUES('d ' || old.a || old.b); END

CREATE TRIGGER si AFTER INSERT ON s BEGIN INSERT INTO log VALUES('i ' || new.a || new.b); END

INSERT INTO s VALUES('t', 30, 300, 'trig')

UPDATE s SET a = a || '2' WHERE b = 30

DELETE FROM s WHERE b = 30

-- query T nosort
SELECT x FROM log

CREATE TABLE o(id INTEGER PRIMARY KEY, b INT)

INSERT INTO o VALUES(1, 1), (2, 2), (3, 13), (4, 99)

-- query IT rowsort
SELECT o.id, s.a FROM o JOIN s ON s.b = o.b

-- query IT rowsort
SELECT o.id, s.a FROM o LEFT JOIN s ON s.b = o.b

-- query TI rowsort
SELECT s.a, o.id FROM s LEFT JOIN o ON o.b = s.b

-- query IT rowsort
SELECT o.id, c.k FROM c RIGHT JOIN o ON c.n = o.id

-- query II nosort
SELECT count(*), sum(b) FROM s

-- query IT nosort
SELECT max(b), min(a) FROM s

-- query IT nosort
SELECT b, group_concat(a) FROM s GROUP BY b ORDER BY b

ALTER TABLE s ADD COLUMN e DEFAULT 7

-- query TIITI rowsort
SELECT * FROM s

ALTER TABLE s RENAME COLUMN d TO dd

ALTER TABLE s DROP COLUMN e

-- error
ALTER TABLE s DROP COLUMN a

ALTER TABLE s RENAME TO s2

-- query TTT nosort
SELECT type, name, sql FROM sqlite_schema WHERE tbl_name = 's2' ORDER BY name

-- query TIIT rowsort
SELECT * FROM s2

-- query ITITI nosort
PRAGMA index_list(s2)

-- query IIT nosort
PRAGMA index_info(sqlite_autoindex_s2_2)

-- query IIT nosort
PRAGMA index_info(sqlite_autoindex_s2_1)

-- query ITTITI nosort
PRAGMA table_info(s2)

-- query ITTITI nosort
PRAGMA table_info(c)

REINDEX s2

VACUUM

-- query TIIT rowsort
SELECT * FROM s2

-- query T nosort
PRAGMA integrity_check

CREATE TABLE g(a INT PRIMARY KEY, b INT, v AS (a + b) VIRTUAL, w AS (a * b) STORED) WITHOUT ROWID

INSERT INTO g(a, b) VALUES(1, 2), (3, 4)

UPDATE g SET b = 10 WHERE a = 3

CREATE INDEX gv ON g(v)

-- query IIII nosort
SELECT * FROM g WHERE v = 13

-- query IIII nosort
SELECT * FROM g ORDER BY a

-- query T nosort
PRAGMA integrity_check

-- error
CREATE TABLE bad(a, b) WITHOUT ROWID

-- error
CREATE TABLE bad(a INTEGER PRIMARY KEY AUTOINCREMENT) WITHOUT ROWID

-- error
CREATE TABLE bad(a TEXT PRIMARY KEY AUTOINCREMENT) WITHOUT ROWID

CREATE TABLE dup(a, b, PRIMARY KEY(a, b, a)) WITHOUT ROWID

INSERT INTO dup VALUES(1, 2), (1, 3)

-- query II nosort
SELECT * FROM dup

DROP TABLE t

DROP TABLE c

-- query T nosort
SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name

-- query T nosort
PRAGMA integrity_check

DELETE FROM s2

-- query I nosort
SELECT count(*) FROM s2

CREATE TABLE ord(a PRIMARY KEY, b TEXT, c, d) WITHOUT ROWID

CREATE INDEX ordb ON ord(b)

CREATE UNIQUE INDEX ordc ON ord(c)

INSERT INTO ord VALUES(1, 'z', 30, 0), (2, 'y', 10, 0), (3, 'x', 20, 0), (4, 'w', NULL, 0), (5, 'v', NULL, 0)

-- query I nosort
SELECT a FROM ord

-- query I nosort
UPDATE ord SET d = d + 1 WHERE b > 'w' RETURNING a

-- query I nosort
DELETE FROM ord WHERE c > 15 RETURNING a

-- query IT nosort
SELECT a, b FROM ord WHERE b > 'a'

-- query I nosort
DELETE FROM ord RETURNING a

CREATE TABLE desck(k TEXT, n INT, u, PRIMARY KEY(k, n DESC), UNIQUE(u)) WITHOUT ROWID

INSERT INTO desck VALUES('a', 1, NULL), ('a', 2, NULL), ('a', 3, 7), ('b', 1, NULL)

-- query ITI nosort
SELECT u, k, n FROM desck ORDER BY u

-- query ITTTTI nosort
PRAGMA index_xinfo(sqlite_autoindex_desck_2)

-- query ITTTTI nosort
PRAGMA index_xinfo(sqlite_autoindex_desck_1)

-- query T nosort
PRAGMA integrity_check

CREATE TABLE st(a, b, c, PRIMARY KEY(a, b)) WITHOUT ROWID

CREATE INDEX stc ON st(c)

INSERT INTO st VALUES(1, 1, 1), (1, 2, 1), (2, 1, 2), (3, 3, 3)

CREATE TABLE st_empty(a PRIMARY KEY) WITHOUT ROWID

ANALYZE

-- query TTT rowsort
SELECT tbl, idx, stat FROM sqlite_stat1 WHERE tbl LIKE 'st%'

CREATE TABLE uo(a TEXT PRIMARY KEY, b INT, e UNIQUE) WITHOUT ROWID

CREATE INDEX uob ON uo(b)

INSERT INTO uo VALUES('c', 0, 1), ('a', 2, 2), ('b', 1, 3), ('d', 9, 4)

UPDATE OR IGNORE uo SET e = 'k' WHERE b < 5

-- query TIT nosort
SELECT * FROM uo ORDER BY a

UPDATE OR IGNORE uo SET e = 'm' WHERE b > 0 AND e <> 'k'

-- query TIT nosort
SELECT * FROM uo ORDER BY a
