CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT, n INT)

CREATE TABLE log(ev TEXT, a, b)

CREATE TRIGGER ti AFTER INSERT ON t BEGIN INSERT INTO log VALUES('ins', new.id, new.v); END

CREATE TRIGGER tb BEFORE INSERT ON t WHEN new.n < 0 BEGIN SELECT RAISE(ABORT, 'negative n'); END

CREATE TRIGGER tu AFTER UPDATE OF v ON t BEGIN INSERT INTO log VALUES('upd', old.v, new.v); END

CREATE TRIGGER td BEFORE DELETE ON t BEGIN INSERT INTO log VALUES('del', old.id, old.n); END

CREATE TRIGGER tig BEFORE INSERT ON t WHEN new.v = 'skip' BEGIN SELECT RAISE(IGNORE); END

INSERT INTO t VALUES(1,'a',1)

INSERT INTO t(v,n) VALUES('b',2),('skip',3),('c',4)

-- error
INSERT INTO t VALUES(9,'z',-1)

UPDATE t SET v = v || '!' WHERE id < 3

UPDATE t SET n = 7

DELETE FROM t WHERE n = 7 AND id = 1

-- query ITI nosort
SELECT * FROM t ORDER BY id

-- query TTT nosort
SELECT ev, a, b FROM log ORDER BY rowid

-- error
CREATE TRIGGER ti AFTER INSERT ON t BEGIN SELECT 1; END

-- error
CREATE TRIGGER x AFTER INSERT ON nosuch BEGIN SELECT 1; END

DROP TRIGGER tu

UPDATE t SET v = 'q'

-- query I nosort
SELECT count(*) FROM log

CREATE INDEX tv ON t(v)

REINDEX tv

REINDEX t

REINDEX

-- query T nosort
SELECT v FROM t WHERE v = 'q' ORDER BY id

DROP TABLE t

-- query T nosort
SELECT name FROM sqlite_master ORDER BY name
