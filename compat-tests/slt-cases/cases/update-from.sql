CREATE TABLE t(id INTEGER PRIMARY KEY, v, w)

CREATE TABLE s(id, nv)

CREATE UNIQUE INDEX tv ON t(v)

INSERT INTO t VALUES(1, 'a', 0), (2, 'b', 0), (3, 'c', 0)

INSERT INTO s VALUES(1, 'A'), (2, 'B'), (2, 'BB'), (9, 'Z')

UPDATE t SET v = s.nv, w = w + 1 FROM s WHERE s.id = t.id

-- query I nosort
SELECT changes()

-- query ITI nosort
SELECT * FROM t ORDER BY id

UPDATE t AS x SET w = y.cnt FROM (SELECT id, count(*) AS cnt FROM s GROUP BY id) AS y WHERE y.id = x.id

-- query ITI nosort
SELECT * FROM t ORDER BY id

-- error
UPDATE t SET v = t2.v FROM t AS t2 WHERE t2.id = t.id + 1

UPDATE t SET w = t2.w * 10 FROM t AS t2 WHERE t2.id = t.id + 1

-- query ITI nosort
SELECT * FROM t ORDER BY id

-- error
UPDATE t SET v = 'q' FROM t

UPDATE t SET w = 99 FROM s JOIN s AS s2 ON s2.id = s.id WHERE s.id = t.id AND s2.nv = 'BB'

-- query ITI nosort
SELECT * FROM t ORDER BY id

-- error
UPDATE t SET id = id + 10 FROM s WHERE s.id = t.id

UPDATE t SET id = t.id + 10 FROM s WHERE s.id = t.id AND s.nv = 'A'

-- query ITI nosort
SELECT * FROM t ORDER BY id

CREATE TABLE log(e)

CREATE TRIGGER tu AFTER UPDATE OF w ON t BEGIN INSERT INTO log VALUES(old.w || '->' || new.w); END

UPDATE t SET w = s.id FROM s WHERE s.nv = t.v

-- query T nosort
SELECT e FROM log ORDER BY rowid

WITH m(id, k) AS (VALUES(2, 'two'), (3, 'three')) UPDATE t SET w = m.k FROM m WHERE m.id = t.id

-- query ITT nosort
SELECT * FROM t ORDER BY id

-- error
UPDATE t SET v = 'c' FROM s WHERE s.id = 9
