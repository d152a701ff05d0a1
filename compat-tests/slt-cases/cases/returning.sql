CREATE TABLE r(a INTEGER PRIMARY KEY, b, c TEXT DEFAULT 'dflt')

-- query ITT nosort
INSERT INTO r(a, b) VALUES(1, 'x'), (2, 'y'), (3, 'z') RETURNING *

-- query II nosort
SELECT changes(), last_insert_rowid()

-- query IIT nosort
INSERT INTO r(b) VALUES('w') RETURNING a, a * 10 AS ten, upper(c)

-- query IT nosort
INSERT INTO r VALUES(10, 'q', 'r') RETURNING rowid, oid || _rowid_

-- query IIT nosort
INSERT INTO r(b) VALUES('count') RETURNING a, (SELECT count(*) FROM r), b

-- query III nosort
INSERT INTO r(b) VALUES(1), (2), (3) RETURNING a, (SELECT count(*) FROM r), (SELECT max(a) FROM r)

-- query IT nosort
UPDATE r SET b = b || '!' WHERE a <= 3 RETURNING a, b

-- query I nosort
SELECT changes()

-- query IT nosort
UPDATE r SET c = (SELECT group_concat(a) FROM r WHERE c = 'done') || '', c = 'done' WHERE a < 4 RETURNING a, c

-- query IT nosort
UPDATE r SET a = a + 100 WHERE a = 1 RETURNING a, b

-- query ITT nosort
DELETE FROM r WHERE a > 100 RETURNING *

-- query IT nosort
DELETE FROM r WHERE a IN (2, 3) RETURNING a, (SELECT group_concat(a) FROM r)

-- query I nosort
SELECT changes()

-- query ITT nosort
DELETE FROM r WHERE a = 12345 RETURNING *

-- query I nosort
SELECT count(*) FROM r

-- query ITT rowsort
DELETE FROM r RETURNING *

-- query I nosort
SELECT count(*) FROM r

-- query ITT nosort
INSERT INTO r DEFAULT VALUES RETURNING *

CREATE TABLE aff(a INTEGER, b TEXT, c REAL, d)

-- query TTTTIR nosort
INSERT INTO aff VALUES('1', 2, 3, '4') RETURNING typeof(a), typeof(b), typeof(c), typeof(d), a, c

-- query TR nosort
UPDATE aff SET a = '7', c = 1 RETURNING typeof(a), c

-- query TR nosort
DELETE FROM aff RETURNING typeof(c), c

-- error
INSERT INTO r VALUES(20, 1, 1) RETURNING r.*

-- error
INSERT INTO r AS q VALUES(21, 1, 1) RETURNING q.a

-- error
UPDATE r AS q SET b = 5 RETURNING q.b

-- error
DELETE FROM r RETURNING nosuch

-- error
INSERT INTO r VALUES(22, 1, 1) RETURNING sum(a)

-- error
UPDATE r SET b = 1 RETURNING count(*)

-- query I nosort
SELECT count(*) FROM r

-- query I nosort
INSERT INTO r VALUES(23, 1, 1) RETURNING (SELECT sum(a) FROM r)

-- query I nosort
WITH c(x) AS (SELECT 30) INSERT INTO r SELECT x, x, x FROM c RETURNING a + (SELECT x FROM c)

CREATE TABLE log(x)

-- error
CREATE TRIGGER bad AFTER INSERT ON log BEGIN INSERT INTO r(b) VALUES(new.x) RETURNING a; END

-- error
CREATE TRIGGER bad AFTER INSERT ON log BEGIN UPDATE r SET b = new.x RETURNING a; END

-- error
CREATE TRIGGER bad AFTER INSERT ON log BEGIN DELETE FROM r RETURNING a; END

CREATE TRIGGER ar AFTER INSERT ON r BEGIN INSERT INTO log VALUES(new.a); UPDATE r SET b = 'trig' WHERE a = new.a; END

CREATE TRIGGER br BEFORE INSERT ON r BEGIN INSERT INTO log VALUES(-1); END

-- query IT nosort
INSERT INTO r(a, b) VALUES(40, 'orig'), (41, 'orig') RETURNING a, b

-- query IT nosort
SELECT a, b FROM r WHERE a >= 40 ORDER BY a

-- query II nosort
SELECT changes(), total_changes() > 0

-- query I nosort
SELECT x FROM log ORDER BY rowid

CREATE TABLE kv(k TEXT PRIMARY KEY, v)

-- query TT nosort
INSERT INTO kv VALUES('a', 1), ('b', 2), ('a', 3) ON CONFLICT(k) DO UPDATE SET v = v + excluded.v RETURNING k, v

-- query TT nosort
INSERT INTO kv VALUES('a', 100) ON CONFLICT DO NOTHING RETURNING *

-- query TT nosort
INSERT INTO kv VALUES('a', 100) ON CONFLICT(k) DO UPDATE SET v = 0 WHERE v > 1000 RETURNING *

-- query TT nosort
INSERT INTO kv VALUES('c', 5) ON CONFLICT(k) DO UPDATE SET v = 0 RETURNING *

-- error
INSERT INTO kv VALUES('c', 5) ON CONFLICT(k) DO UPDATE SET v = 0 RETURNING excluded.v

CREATE TABLE s(b)

-- query IIIT nosort
INSERT INTO s VALUES(7) RETURNING rowid, _rowid_, b, "zz"

-- error
INSERT INTO s VALUES(7) RETURNING nosuch.b

-- query I nosort
SELECT count(*) FROM s
