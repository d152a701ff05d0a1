CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT, UNIQUE(b))

INSERT INTO t VALUES(1, 'x'), (2, 'y')

ALTER TABLE t ADD COLUMN c INT DEFAULT 7

ALTER TABLE t ADD d TEXT DEFAULT 'dflt' NOT NULL

ALTER TABLE t ADD COLUMN e REAL DEFAULT -2.5

ALTER TABLE t ADD COLUMN f

ALTER TABLE t ADD COLUMN g INTEGER DEFAULT '12'

-- query TT nosort
SELECT name, sql FROM sqlite_schema WHERE name = 't'

-- query ITITRTI nosort
SELECT a, b, c, d, e, typeof(f), g FROM t ORDER BY a

INSERT INTO t(a, b) VALUES(3, 'z')

UPDATE t SET b = b || '!' WHERE a = 1

-- query ITITRTI nosort
SELECT a, b, c, d, e, typeof(f), g FROM t ORDER BY a

CREATE INDEX tc ON t(c, d)

-- query I nosort
SELECT count(*) FROM t WHERE c = 7 AND d = 'dflt'

-- query T nosort
PRAGMA integrity_check

CREATE TABLE u(x, y CHECK(y > 0), CONSTRAINT pk PRIMARY KEY(x))

ALTER TABLE u ADD COLUMN z DEFAULT 0

-- query T nosort
SELECT sql FROM sqlite_schema WHERE name = 'u'

-- error
ALTER TABLE t ADD COLUMN c

-- error
ALTER TABLE t ADD COLUMN h PRIMARY KEY

-- error
ALTER TABLE t ADD COLUMN h UNIQUE

-- error
ALTER TABLE t ADD COLUMN h NOT NULL

-- error
ALTER TABLE t ADD COLUMN h DEFAULT CURRENT_TIME

-- error
ALTER TABLE nosuch ADD COLUMN h

CREATE VIEW v AS SELECT * FROM t

-- error
ALTER TABLE v ADD COLUMN h
