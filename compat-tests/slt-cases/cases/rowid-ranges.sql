CREATE TABLE t(id INTEGER PRIMARY KEY, a, b TEXT)

INSERT INTO t VALUES(-9223372036854775808, 1, 'min'), (-5, 2, 'neg'), (0, 3, 'zero'), (1, 4, 'one'), (2, 5, 'two'), (3, 6, 'three'), (10, 7, 'ten'), (100, 8, 'hundred'), (9223372036854775807, 9, 'max')

CREATE TABLE u(x, y)

INSERT INTO u VALUES(2, 'a'), (3, 'b'), (10, 'c'), (NULL, 'd')

-- query I nosort
SELECT a FROM t WHERE id > 2 ORDER BY id

-- query I nosort
SELECT a FROM t WHERE id >= 2 AND id < 100 ORDER BY id

-- query I nosort
SELECT a FROM t WHERE id BETWEEN -5 AND 3 ORDER BY id

-- query I nosort
SELECT a FROM t WHERE rowid > 2.5 ORDER BY id

-- query I nosort
SELECT a FROM t WHERE rowid >= 2.5 ORDER BY id

-- query I nosort
SELECT a FROM t WHERE rowid > 2.0 ORDER BY id

-- query I nosort
SELECT a FROM t WHERE _rowid_ < 2.5 ORDER BY id

-- query I nosort
SELECT a FROM t WHERE oid <= -4.5 ORDER BY id

-- query I nosort
SELECT a FROM t WHERE id > '3' ORDER BY id

-- query I nosort
SELECT a FROM t WHERE id > 'abc' ORDER BY id

-- query I nosort
SELECT a FROM t WHERE id < 'abc' ORDER BY id

-- query I nosort
SELECT a FROM t WHERE id > x'00' ORDER BY id

-- query I nosort
SELECT a FROM t WHERE id > NULL ORDER BY id

-- query I nosort
SELECT a FROM t WHERE id < NULL ORDER BY id

-- query I nosort
SELECT a FROM t WHERE id > 9223372036854775807 ORDER BY id

-- query I nosort
SELECT a FROM t WHERE id >= 9223372036854775807 ORDER BY id

-- query I nosort
SELECT a FROM t WHERE id > 1e30 ORDER BY id

-- query I nosort
SELECT a FROM t WHERE id > -1e30 AND id < 1e30 ORDER BY id

-- query I nosort
SELECT a FROM t WHERE id < -9223372036854775808 ORDER BY id

-- query I nosort
SELECT a FROM t WHERE id > 1 AND id > 2 AND id < 100 AND id < 11 ORDER BY id

-- query I nosort
SELECT a FROM t WHERE id > 0 ORDER BY id DESC

-- query I nosort
SELECT a FROM t WHERE id > 0 AND a % 2 = 0 ORDER BY id

-- query IT nosort
SELECT a, y FROM t, u WHERE id > x AND id < x + 10 ORDER BY id, y

-- query IT nosort
SELECT a, y FROM u LEFT JOIN t ON id > x AND id <= x + 1 ORDER BY y, id

-- query I nosort
SELECT a FROM t WHERE id > (SELECT max(x) FROM u) ORDER BY id

-- query I nosort
SELECT a FROM t WHERE id > (SELECT min(id) FROM t) + 1 ORDER BY id

-- query IT nosort
SELECT x, (SELECT group_concat(a) FROM t WHERE id > u.x AND id < 100) FROM u ORDER BY y

-- query IT nosort
SELECT x, (SELECT count(*) FROM t WHERE id > x) FROM u ORDER BY y

-- query I nosort
SELECT count(*) FROM t WHERE id > -1 AND id <= 10

UPDATE t SET a = a + 100 WHERE id > 2 AND id < 100

DELETE FROM t WHERE id >= 100

-- query IT nosort
SELECT a, b FROM t ORDER BY id

-- query I nosort
SELECT a FROM t WHERE id > 0 ORDER BY id LIMIT 3

-- query I nosort
SELECT a FROM t WHERE id > 0 ORDER BY id DESC LIMIT 3

-- query I nosort
SELECT a FROM t WHERE id < 10 ORDER BY id DESC

-- query I nosort
SELECT a FROM t WHERE id <= 10 AND id >= -5 ORDER BY id DESC

-- query I nosort
SELECT a FROM t WHERE id < 2.5 AND id > -4.5 ORDER BY id DESC

-- query I nosort
SELECT a FROM t WHERE id < 'abc' ORDER BY id DESC LIMIT 2

-- query I nosort
SELECT a FROM t WHERE id <= 3.0 ORDER BY rowid DESC

-- query I nosort
SELECT a FROM t WHERE id < -1e30 ORDER BY id DESC

-- query I nosort
SELECT a FROM t WHERE id < 1e30 ORDER BY id DESC LIMIT 2

-- query I nosort
SELECT a FROM t WHERE id > 0 ORDER BY a DESC

-- query I nosort
SELECT a FROM t WHERE id BETWEEN 1 AND 3 ORDER BY id DESC, a

-- query I nosort
SELECT count(*) FROM t

-- query I nosort
SELECT count(*) FROM t AS x LIMIT 1 OFFSET 0

-- query I nosort
SELECT count(*) FROM t LIMIT 1 OFFSET 1

-- query I nosort
SELECT count(*) FROM u

-- query I nosort
SELECT count(*) FROM sqlite_master
