CREATE TABLE t(id INTEGER PRIMARY KEY, a INT, b TEXT COLLATE NOCASE, c)

CREATE INDEX ta ON t(a)

CREATE INDEX tb ON t(b)

CREATE INDEX tc ON t(c DESC)

CREATE TABLE e(id INTEGER PRIMARY KEY, a)

CREATE INDEX ea ON e(a)

-- query II nosort
SELECT min(a), max(a) FROM e

-- query I nosort
SELECT max(a) FROM e

-- query I nosort
SELECT min(id) FROM e

INSERT INTO t VALUES(1, NULL, NULL, NULL), (2, 5, 'x', 'x'), (3, 3, 'Y', 2.5), (4, -1, 'a', X'00'), (5, 5, 'b', 7), (6, NULL, 'B', NULL)

-- query I nosort
SELECT min(a) FROM t

-- query I nosort
SELECT max(a) FROM t

-- query I nosort
SELECT min(id) FROM t

-- query I nosort
SELECT max(id) FROM t

-- query I nosort
SELECT max(rowid) AS m FROM t

-- query T nosort
SELECT min(b) FROM t

-- query T nosort
SELECT max(b) FROM t

-- query T nosort
SELECT max(b COLLATE BINARY) FROM t

-- query T nosort
SELECT min(b COLLATE BINARY) FROM t

-- query T nosort
SELECT typeof(max(c)) FROM t

-- query T nosort
SELECT typeof(min(c)) FROM t

-- query I nosort
SELECT min(a) FROM t WHERE a > 3

-- query I nosort
SELECT max(a) FROM t WHERE b = 'b'

-- query I nosort
SELECT max(a) FROM t WHERE 0

-- query I nosort
SELECT min(t.a) FROM t

-- query I nosort
SELECT max(x.a) FROM t AS x

-- query I nosort
SELECT max(a) FROM t LIMIT 0

-- query I nosort
SELECT max(a) FROM t ORDER BY 1 LIMIT 1 OFFSET 0

-- query I nosort
SELECT (SELECT max(a) FROM t AS u WHERE u.id < t.id) FROM t ORDER BY id

CREATE VIEW v AS SELECT a FROM t WHERE id > 2

-- query I nosort
SELECT max(a) FROM v

-- query I nosort
WITH t(a) AS (SELECT 100) SELECT max(a) FROM t

-- query II nosort
SELECT max(a), count(*) FROM t

-- query I nosort
SELECT max(a) + 1 FROM t

-- query IT nosort
SELECT id, max(a) FROM t

CREATE TABLE r(a INT, b)

CREATE INDEX ra ON r(a)

INSERT INTO r VALUES(1, 2), (3, 4), (3, 5)

-- query I nosort
SELECT max(rowid) FROM r

-- query II nosort
SELECT rowid, max(a) FROM r

-- query III nosort
SELECT oid, min(a), b FROM r

-- query II nosort
SELECT max(a) AS m, b FROM r ORDER BY m

-- Bare columns of every kind beside min/max (big and NULL values, a
-- collation, a generated column), qualified names, WHERE terms.
CREATE TABLE big(id INTEGER PRIMARY KEY, k INT, pad BLOB, note TEXT COLLATE NOCASE, g AS (k * 2))

CREATE INDEX big_k ON big(k)

INSERT INTO big(k, pad, note) VALUES(5, randomblob(3000), 'Five'), (9, zeroblob(10), 'nine'), (NULL, NULL, NULL), (7, x'01', 'SEVEN')

-- query ITII nosort
SELECT max(k), note, length(pad), g FROM big

-- query ITT nosort
SELECT min(k), typeof(pad), note FROM big WHERE note > 'e'

-- query IT nosort
SELECT max(big.k), big.note FROM big ORDER BY note

-- query II nosort
SELECT max(id), k FROM big

-- query I nosort
SELECT min(k) FROM big WHERE pad IS NOT NULL AND note = 'seven'

-- query T nosort
SELECT note FROM big WHERE k = (SELECT max(k) FROM big)
