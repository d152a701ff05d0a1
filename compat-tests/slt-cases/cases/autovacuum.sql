PRAGMA page_size = 1024

PRAGMA auto_vacuum = FULL

-- query I nosort
PRAGMA auto_vacuum

CREATE TABLE a(x INTEGER PRIMARY KEY, y)

CREATE TABLE b(x INTEGER PRIMARY KEY, y)

CREATE INDEX by ON b(y)

CREATE TABLE c(x INTEGER PRIMARY KEY, y)

INSERT INTO a VALUES(1, zeroblob(20000)), (2, 'small')

INSERT INTO b VALUES(1, 'one'), (2, 'two'), (3, zeroblob(3000))

INSERT INTO c VALUES(1, zeroblob(9000))

-- query TI nosort
SELECT name, rootpage FROM sqlite_schema ORDER BY name

-- query I nosort
PRAGMA page_count

-- query I nosort
PRAGMA freelist_count

DELETE FROM a WHERE x = 1

-- query I nosort
PRAGMA page_count

-- query I nosort
PRAGMA freelist_count

DROP TABLE a

-- query TI nosort
SELECT name, rootpage FROM sqlite_schema ORDER BY name

-- query I nosort
PRAGMA page_count

-- query IIT nosort
SELECT x, length(y), typeof(y) FROM b ORDER BY x

CREATE TABLE d(z)

CREATE INDEX dz ON d(z)

INSERT INTO d VALUES(zeroblob(4000)), ('d2')

-- query TI nosort
SELECT name, rootpage FROM sqlite_schema ORDER BY name

DROP TABLE b

-- query TI nosort
SELECT name, rootpage FROM sqlite_schema ORDER BY name

-- query I nosort
PRAGMA page_count

-- query IT nosort
SELECT length(z), typeof(z) FROM d INDEXED BY dz ORDER BY z

-- query I nosort
SELECT length(y) FROM c

-- query T nosort
PRAGMA integrity_check

PRAGMA auto_vacuum = INCREMENTAL

-- query I nosort
PRAGMA auto_vacuum

PRAGMA auto_vacuum = NONE

-- query I nosort
PRAGMA auto_vacuum

DELETE FROM c

-- query I nosort
PRAGMA freelist_count

PRAGMA incremental_vacuum(3)

-- query I nosort
PRAGMA freelist_count

-- query I nosort
PRAGMA page_count

PRAGMA incremental_vacuum

-- query I nosort
PRAGMA page_count

-- query I nosort
PRAGMA freelist_count

-- query T nosort
PRAGMA integrity_check
