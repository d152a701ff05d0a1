CREATE TABLE t(a INTEGER PRIMARY KEY, b)

-- query I nosort
PRAGMA count_changes

PRAGMA count_changes = ON

-- query I nosort
PRAGMA count_changes

-- query I nosort
INSERT INTO t VALUES(1, 'x'), (2, 'y'), (3, 'z')

-- query I nosort
UPDATE t SET b = upper(b) WHERE a > 1

-- query I nosort
DELETE FROM t WHERE a = 99

-- query I nosort
DELETE FROM t WHERE a >= 2

PRAGMA count_changes = OFF

INSERT INTO t VALUES(4, 'w')

-- query IT nosort
SELECT * FROM t ORDER BY a
