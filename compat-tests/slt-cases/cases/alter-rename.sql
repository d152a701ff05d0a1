CREATE TABLE t(a INTEGER PRIMARY KEY AUTOINCREMENT, b UNIQUE, "t" INT, c TEXT COLLATE NOCASE)

CREATE INDEX tb ON t(b)

CREATE INDEX "t c" ON t (c DESC, "t")

CREATE TABLE child(x REFERENCES t(a), y REFERENCES "t" (b), z REFERENCES other(q))

CREATE TABLE u(x)

CREATE VIEW v AS SELECT 1 AS one

CREATE TRIGGER tr AFTER INSERT ON t BEGIN INSERT INTO u VALUES(new.a); END

INSERT INTO t(b, "t", c) VALUES(1, 10, 'x'), (2, 20, 'Y')

-- error
ALTER TABLE t RENAME TO u

-- error
ALTER TABLE t RENAME TO tb

-- error
ALTER TABLE t RENAME TO sqlite_x

-- error
ALTER TABLE v RENAME TO w

-- error
ALTER TABLE sqlite_master RENAME TO z

-- error
ALTER TABLE nosuch RENAME TO z

ALTER TABLE t RENAME TO "new t"

-- query TTTT nosort
SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY rowid

-- query TI nosort
SELECT name, seq FROM sqlite_sequence

INSERT INTO "new t"(b, "t", c) VALUES(3, 30, 'z')

-- query IIIT nosort
SELECT * FROM "new t" ORDER BY a

-- query I nosort
SELECT x FROM u ORDER BY x

-- error
INSERT INTO "new t"(b) VALUES(1)

-- query IT nosort
SELECT a, c FROM "new t" WHERE c = 'y'

-- error
SELECT * FROM t

ALTER TABLE main."new t" RENAME TO T2

-- query TT nosort
SELECT name, tbl_name FROM sqlite_master WHERE tbl_name = 'T2' ORDER BY name

CREATE TEMP TABLE tt(k)

ALTER TABLE temp.tt RENAME TO tt2

-- query TT nosort
SELECT name, sql FROM sqlite_temp_master

-- query T nosort
PRAGMA integrity_check
