-- error
CREATE TABLE h(a, b AS (c) VIRTUAL, c AS (b) VIRTUAL)

-- error
CREATE TABLE h(a, b AS (c), c AS (d), d AS (b))

-- error
CREATE TABLE h(a, b AS (b))

CREATE TABLE h(a, b AS (d), c AS (b+1), d AS (a*10))

INSERT INTO h VALUES(1)

-- query IIII rowsort
SELECT * FROM h

-- error
CREATE TABLE h1(a, b AS (count(a)))

-- error
CREATE TABLE h2(a, b AS (?))

CREATE TABLE h3(a, b AS (date('now')))

-- error
CREATE TABLE h4(b AS (1))

-- error
CREATE TABLE h5(a, b AS (1) DEFAULT 3)

-- error
CREATE TABLE h6(a, b AS (1), PRIMARY KEY(b))

CREATE TABLE h7(a INTEGER PRIMARY KEY, b AS (a*2), c INT GENERATED ALWAYS AS (a+b) STORED)

INSERT INTO h7(a) VALUES(5)

INSERT INTO h7 VALUES(NULL)

-- query III rowsort
SELECT * FROM h7

-- query IIII rowsort
SELECT rowid, * FROM h7

-- query ITTITII rowsort
PRAGMA table_xinfo(h7)

-- error
CREATE TABLE h8(a, b AS (h8.a+1), c AS (main.h8.a+2))

-- error
INSERT INTO h8 VALUES(1)

-- error
SELECT * FROM h8

-- error
CREATE TABLE h9(a, b AS (x.a))

CREATE TABLE h10(a, b AS (max(a,2)), c AS (abs(a)) STORED, d TEXT AS (a))

INSERT INTO h10 VALUES(-7)

-- query IIITT rowsort
SELECT a, b, c, d, typeof(d) FROM h10

CREATE TABLE h11(a, b AS (a) NOT NULL CHECK (b > 0) UNIQUE)

INSERT INTO h11 VALUES(1)

-- error
INSERT INTO h11 VALUES(1)

-- error
INSERT INTO h11 VALUES(0)

INSERT OR IGNORE INTO h11 VALUES(NULL)

-- query II rowsort
SELECT * FROM h11

CREATE TABLE h12(a, b AS (a COLLATE nocase), c COLLATE nocase AS (a))

INSERT INTO h12 VALUES('X')

-- query I rowsort
SELECT count(*) FROM h12 WHERE b = 'x'

-- query I rowsort
SELECT count(*) FROM h12 WHERE c = 'x'

CREATE TABLE h13(a, b AS (a+1))

INSERT INTO h13 VALUES(1),(2),(3)

UPDATE h13 SET a = a*10

-- query II rowsort
SELECT * FROM h13

CREATE TRIGGER tr BEFORE INSERT ON h13 BEGIN SELECT RAISE(IGNORE) WHERE NEW.b IS NULL; END

INSERT INTO h13 VALUES(7)

-- query II rowsort
SELECT * FROM h13

INSERT INTO h13 SELECT 8

INSERT INTO h13 DEFAULT VALUES

-- query II rowsort
SELECT * FROM h13

-- error
ALTER TABLE h13 DROP COLUMN a

ALTER TABLE h13 RENAME COLUMN a TO z

-- query T rowsort
SELECT sql FROM sqlite_schema WHERE name='h13'

-- query II rowsort
SELECT * FROM h13

ALTER TABLE h13 ADD COLUMN q AS (z*2) NOT NULL

-- error
ALTER TABLE h13 ADD COLUMN q AS (z*2)

-- query III rowsort
SELECT * FROM h13

CREATE TABLE h14(a, b AS (a), c)

INSERT INTO h14 VALUES(1,2)

-- error
INSERT INTO h14 VALUES(1,2,3)

INSERT INTO h14(a,c) VALUES(1,2) ON CONFLICT DO NOTHING

-- query III rowsort
SELECT * FROM h14

CREATE TABLE t(id INTEGER PRIMARY KEY, a TEXT, b INT, v AS (b*2) VIRTUAL, s AS (a || '-' || v) STORED, w TEXT AS (upper(a)))

CREATE INDEX tv ON t(v)

CREATE INDEX ts ON t(s, w)

CREATE UNIQUE INDEX tw ON t(w)

INSERT INTO t(a,b) VALUES('x',1),('y',2),('z',3),('q',NULL)

-- query ITIITT nosort
SELECT * FROM t ORDER BY id

-- query II nosort
SELECT v, count(*) FROM t GROUP BY v ORDER BY v

-- query I nosort
SELECT DISTINCT v FROM t ORDER BY v DESC

-- query I nosort
SELECT id FROM t WHERE v > 2 ORDER BY v

-- query TT nosort
SELECT s, w FROM t WHERE s > 'x' ORDER BY s

-- query II nosort
SELECT t1.id, t2.id FROM t t1 JOIN t t2 ON t1.v = t2.b ORDER BY 1, 2

-- query ITI rowsort
SELECT max(v), min(s), sum(v) FROM t

-- query TI nosort
SELECT a, v FROM t WHERE v IN (2, 6) ORDER BY a

-- error
INSERT INTO t(a,b) VALUES('X', 9)

INSERT OR REPLACE INTO t(a,b) VALUES('X', 10)

-- query ITIITT nosort
SELECT * FROM t ORDER BY id

-- query ITIITT rowsort
INSERT INTO t(id, a, b) VALUES(1, 'n', 5) ON CONFLICT(id) DO UPDATE SET b = excluded.b + excluded.v RETURNING *

-- query ITIITT nosort
SELECT * FROM t ORDER BY id

-- query IIT rowsort
UPDATE t SET b = b + 1 WHERE v >= 4 RETURNING id, v, s

-- query ITIITT rowsort
DELETE FROM t WHERE v = 8 RETURNING *

-- query ITIITT nosort
SELECT * FROM t ORDER BY id

-- query T rowsort
PRAGMA integrity_check

CREATE TABLE log(x)

CREATE TRIGGER tu AFTER UPDATE ON t BEGIN INSERT INTO log VALUES(OLD.v || '>' || NEW.v || ' ' || OLD.s || '>' || NEW.s); END

CREATE TRIGGER td BEFORE DELETE ON t BEGIN INSERT INTO log VALUES('del ' || OLD.w); END

UPDATE t SET a = 'm' WHERE id = 2

DELETE FROM t WHERE id = 3

-- query T rowsort
SELECT * FROM log

-- query ITIITT nosort
SELECT * FROM t ORDER BY id

CREATE VIEW vv AS SELECT id, v, s FROM t WHERE v IS NOT NULL

-- query IIT nosort
SELECT * FROM vv ORDER BY id

-- query I nosort
SELECT (SELECT max(v) FROM t t2 WHERE t2.id < t.id) FROM t ORDER BY id

INSERT INTO t(a,b) SELECT a || 'c', b FROM t WHERE b IS NOT NULL

-- query ITIITT nosort
SELECT * FROM t ORDER BY id

ANALYZE

-- query TTT nosort
SELECT * FROM sqlite_stat1 ORDER BY tbl, idx

-- query T rowsort
PRAGMA integrity_check

CREATE TABLE n(a, b AS (a) NOT NULL, c AS (a*2) STORED NOT NULL)

-- error
INSERT INTO n VALUES(NULL)

INSERT OR IGNORE INTO n VALUES(NULL)

INSERT INTO n VALUES(1)

-- error
UPDATE n SET a = NULL

-- query III rowsort
SELECT * FROM n

CREATE TABLE st(a INT, b INT AS (a || 'x') STORED) STRICT

-- error
INSERT INTO st VALUES(1)

CREATE TABLE ch(a, b AS (a+1), CHECK (b < 10))

-- error
INSERT INTO ch VALUES(9)

INSERT INTO ch VALUES(5)

-- query II rowsort
SELECT * FROM ch

-- query T rowsort
SELECT typeof(b) FROM (SELECT b FROM ch)

CREATE TABLE tx(a, b TEXT AS (a), c REAL AS (a) STORED, d NUMERIC AS (a))

INSERT INTO tx VALUES('12'),(3),(4.0),('x')

-- query TTTRTIT rowsort
SELECT a, b, typeof(b), c, typeof(c), d, typeof(d) FROM tx

-- query ITRI rowsort
SELECT * FROM tx WHERE b = 3

-- query ITRI rowsort
SELECT * FROM tx WHERE c = '3'

CREATE TABLE xt(id INTEGER PRIMARY KEY, a TEXT, b INT, v AS (b*2) VIRTUAL, s AS (a || '-' || v) STORED)

CREATE INDEX xtv ON xt(v)

CREATE INDEX xts ON xt(s)

INSERT INTO xt(a,b) VALUES('x',1),('y',2),('z',3),('q',NULL)

-- query I rowsort
SELECT v FROM xt

-- query T nosort
SELECT s FROM xt ORDER BY s

-- query I rowsort
SELECT count(*) FROM xt WHERE v > 1

-- query I rowsort
SELECT max(v) FROM xt

-- query I nosort
SELECT v FROM xt ORDER BY v

-- query II rowsort
SELECT v, count(*) FROM xt GROUP BY v

CREATE TABLE xt2(id INTEGER PRIMARY KEY, a TEXT, b INT, v AS (b*2) VIRTUAL, s AS (a || '-' || v) STORED)

INSERT INTO xt2 SELECT * FROM xt

-- error
INSERT INTO xt2 SELECT id, a, b FROM xt

-- query ITIIT rowsort
SELECT * FROM xt2

CREATE TABLE xt3 AS SELECT * FROM xt

-- query T rowsort
SELECT sql FROM sqlite_schema WHERE name = 'xt3'

-- query ITIIT rowsort
SELECT * FROM xt3

-- query ITIIT rowsort
SELECT * FROM xt NATURAL JOIN xt2

-- query ITIITITIT rowsort
SELECT * FROM xt JOIN xt2 USING (v)

-- query IT rowsort
SELECT xt.v, xt2.s FROM xt LEFT JOIN xt2 ON xt2.v = xt.v + 100

-- query I rowsort
SELECT v FROM xt WHERE v BETWEEN 2 AND 4

-- query ITIIT rowsort
SELECT * FROM xt WHERE rowid = 2
