CREATE TABLE t(a INTEGER, b TEXT, c)

CREATE INDEX te ON t(lower(b))

CREATE INDEX tp ON t(a) WHERE c IS NOT NULL

CREATE INDEX tx ON t(a + 1, b COLLATE NOCASE DESC) WHERE a > 2

INSERT INTO t VALUES(1, 'Ab', NULL), (2, 'cD', 5), (3, 'ab', 6), (4, NULL, NULL), (5, 'X', 1)

-- query ITI nosort
SELECT * FROM t WHERE lower(b) = 'ab' ORDER BY a

-- query I nosort
SELECT a FROM t WHERE c IS NOT NULL AND a > 1 ORDER BY a

UPDATE t SET b = upper(b), c = CASE WHEN c IS NULL THEN 0 ELSE NULL END WHERE a % 2 = 1

DELETE FROM t WHERE a = 2

-- query ITI nosort
SELECT * FROM t ORDER BY a

-- query T nosort
PRAGMA integrity_check

CREATE UNIQUE INDEX tu ON t(abs(a))

-- error
INSERT INTO t VALUES(-3, 'neg', NULL)

CREATE UNIQUE INDEX tup ON t(b) WHERE c = 0

INSERT INTO t VALUES(6, 'AB', NULL)

-- error
INSERT INTO t VALUES(7, 'AB', 0)

INSERT OR REPLACE INTO t VALUES(8, 'X', 0)

-- query ITI nosort
SELECT * FROM t ORDER BY a

REINDEX

-- query T nosort
PRAGMA integrity_check

-- error
CREATE INDEX bad1 ON t(random())

-- error
CREATE INDEX bad2 ON t((SELECT 1))

-- error
CREATE INDEX bad3 ON t(a) WHERE random() > 0

-- error
CREATE INDEX bad4 ON t(a) WHERE b IN (SELECT 1)

-- error
CREATE INDEX bad5 ON t(nosuch + 1)

-- error
CREATE INDEX bad6 ON t(a) WHERE nosuch > 0

-- query TT nosort
SELECT name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name

VACUUM

-- query T nosort
PRAGMA integrity_check

-- query I nosort
SELECT count(*) FROM t WHERE lower(b) = 'x'
