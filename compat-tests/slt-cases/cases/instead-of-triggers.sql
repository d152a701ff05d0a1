CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT, c)

INSERT INTO t VALUES(1, 'x', 10), (2, 'y', 20), (3, 'z', 30)

CREATE VIEW v AS SELECT a, b, c * 2 AS d FROM t

CREATE TABLE log(e)

-- error
INSERT INTO v VALUES(9, 'q', 1)

-- error
UPDATE v SET b = 'n'

-- error
DELETE FROM v

-- error
CREATE TRIGGER bad BEFORE INSERT ON v BEGIN SELECT 1; END

-- error
CREATE TRIGGER bad INSTEAD OF INSERT ON t BEGIN SELECT 1; END

CREATE TRIGGER vi INSTEAD OF INSERT ON v BEGIN INSERT INTO log VALUES('ins ' || new.a || ' ' || new.b || ' ' || typeof(new.d) || ' ' || new.d); INSERT INTO t VALUES(new.a, new.b, new.d / 2); END

INSERT INTO v VALUES(9, 'q', '5')

-- query I nosort
SELECT changes()

INSERT INTO v(b) VALUES('only b')

INSERT INTO v SELECT a + 100, b, c FROM t WHERE a < 3

INSERT INTO v DEFAULT VALUES

-- query T nosort
SELECT e FROM log ORDER BY rowid

-- query ITI nosort
SELECT * FROM t ORDER BY a

-- error
INSERT INTO v VALUES(1, 2, 3) ON CONFLICT DO NOTHING

-- error
INSERT INTO v VALUES(1, 2)

-- error
INSERT INTO v(nope) VALUES(1)

DELETE FROM log

CREATE TRIGGER vu INSTEAD OF UPDATE OF b ON v BEGIN INSERT INTO log VALUES('upd ' || old.a || ' ' || old.b || '->' || new.b || ' d ' || old.d || '->' || new.d); UPDATE t SET b = new.b WHERE a = old.a; END

UPDATE v SET b = b || '!' WHERE a >= 100

-- error
UPDATE v SET d = 0

-- error
UPDATE v AS w SET b = upper(w.b), d = w.d + 1 WHERE w.a = 1

UPDATE v SET b = upper(b), d = d + 1 WHERE a = 1

-- query T nosort
SELECT e FROM log ORDER BY rowid

-- query IT nosort
SELECT a, b FROM t ORDER BY a

DELETE FROM log

CREATE TRIGGER vd INSTEAD OF DELETE ON v WHEN old.a <> 2 BEGIN INSERT INTO log VALUES('del ' || old.a); DELETE FROM t WHERE a = old.a; END

DELETE FROM v WHERE a < 3

-- query I nosort
SELECT changes()

-- query T nosort
SELECT e FROM log ORDER BY rowid

-- query I nosort
SELECT a FROM t ORDER BY a

CREATE TRIGGER vr INSTEAD OF DELETE ON v WHEN old.a = 2 BEGIN SELECT raise(ABORT, 'no delete of ' || old.a || ' (' || old.b || ')'); END

-- error
DELETE FROM v

-- query I nosort
SELECT count(*) FROM t

CREATE VIEW v2 AS SELECT b, count(*) AS n FROM t GROUP BY b

CREATE TRIGGER v2u INSTEAD OF UPDATE ON v2 BEGIN INSERT INTO log VALUES('v2 ' || old.b || ' ' || old.n || ' ' || new.n); END

UPDATE v2 SET n = n + 1 WHERE b > 'x'

-- query T nosort
SELECT e FROM log WHERE e LIKE 'v2%' ORDER BY rowid

REPLACE INTO v VALUES(50, 'rep', 1)

INSERT OR IGNORE INTO v VALUES(51, 'ig', 1)

-- query T nosort
SELECT e FROM log WHERE e LIKE 'ins 5%' ORDER BY rowid

CREATE TEMP VIEW tv AS SELECT a FROM t

CREATE TEMP TRIGGER tvi INSTEAD OF INSERT ON tv BEGIN INSERT INTO log VALUES('tv ' || new.a); END

INSERT INTO tv VALUES(7)

-- query T nosort
SELECT e FROM log WHERE e LIKE 'tv%'

CREATE TABLE base(x)

CREATE TRIGGER base_raise BEFORE INSERT ON base WHEN new.x < 0 BEGIN SELECT raise(FAIL, 'negative: ' || new.x); END

INSERT INTO base VALUES(1)

-- error
INSERT INTO base VALUES(-5)

-- query I nosort
SELECT x FROM base
