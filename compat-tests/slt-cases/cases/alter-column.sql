CREATE TABLE t(a INTEGER PRIMARY KEY, "b" TEXT CHECK(b <> 'b'), c REAL DEFAULT 1, [d] UNIQUE, e, CHECK (c > 0 AND b IS NOT NULL), FOREIGN KEY (e) REFERENCES p(x))

CREATE INDEX ib ON t(b COLLATE NOCASE, upper(b)) WHERE b > 'a'

CREATE TABLE p(x PRIMARY KEY, y)

CREATE TABLE q(z REFERENCES t(b), w, FOREIGN KEY (w) REFERENCES t(e))

INSERT INTO t VALUES(1, 'x', 2.5, 10, 'e1'), (2, 'y', 3, 20, 'e2')

ALTER TABLE t RENAME COLUMN b TO bee

-- query T nosort
SELECT sql FROM sqlite_master ORDER BY name

ALTER TABLE t RENAME COLUMN e TO "e e"

ALTER TABLE t RENAME COLUMN c TO "select"

ALTER TABLE t RENAME COLUMN A TO Aa

-- query T nosort
SELECT sql FROM sqlite_master WHERE name IN ('t', 'q') ORDER BY name

-- query ITRIT nosort
SELECT * FROM t ORDER BY 1

-- query T nosort
SELECT bee FROM t WHERE bee > 'a' ORDER BY 1

-- error
ALTER TABLE t RENAME COLUMN nope TO x

-- error
ALTER TABLE t RENAME COLUMN aa TO d

-- error
ALTER TABLE t DROP COLUMN aa

-- error
ALTER TABLE t DROP COLUMN d

-- error
ALTER TABLE t DROP COLUMN bee

-- error
ALTER TABLE t DROP COLUMN "e e"

CREATE TABLE u(a, b, c, d)

INSERT INTO u VALUES(1, 2, 3, 4), (5, 6, 7, 8)

ALTER TABLE u DROP COLUMN b

-- query T nosort
SELECT sql FROM sqlite_master WHERE name = 'u'

ALTER TABLE u DROP COLUMN a

ALTER TABLE u DROP COLUMN d

-- query T nosort
SELECT sql FROM sqlite_master WHERE name = 'u'

-- query I nosort
SELECT * FROM u ORDER BY 1

-- error
ALTER TABLE u DROP COLUMN c

CREATE TABLE v1(a, b /* comment */ , c INT NOT NULL DEFAULT 3 , -- trailing
 d)

ALTER TABLE v1 DROP COLUMN c

ALTER TABLE v1 DROP COLUMN d

-- query T nosort
SELECT sql FROM sqlite_master WHERE name = 'v1'

CREATE TABLE w(a, b, c, CHECK(c > 0))

CREATE VIEW vw AS SELECT b FROM w

-- error
ALTER TABLE w DROP COLUMN c

-- error
ALTER TABLE w DROP COLUMN b

-- error
ALTER TABLE vw DROP COLUMN b

-- error
ALTER TABLE vw RENAME COLUMN b TO c

-- error
ALTER TABLE sqlite_master DROP COLUMN type

CREATE TABLE y2(a INTEGER PRIMARY KEY, b, c DEFAULT 5)

CREATE INDEX y2c ON y2(c)

INSERT INTO y2 VALUES(1, 'x', 7), (2, 'y', NULL), (3, 'z', 9)

ALTER TABLE y2 DROP COLUMN b

-- query II nosort
SELECT * FROM y2 ORDER BY 1

ALTER TABLE y2 ADD COLUMN e DEFAULT 'q'

-- error
ALTER TABLE y2 DROP COLUMN c

DROP INDEX y2c

ALTER TABLE y2 DROP COLUMN c

-- query IT nosort
SELECT * FROM y2 ORDER BY 1

ALTER TABLE y2 RENAME COLUMN e TO [f f]

ALTER TABLE y2 RENAME COLUMN "f f" TO `g`

ALTER TABLE y2 RENAME COLUMN a TO "A"

-- query T nosort
SELECT sql FROM sqlite_master WHERE name = 'y2'

CREATE TABLE z(a, b, c, d PRIMARY KEY, e UNIQUE, f, UNIQUE(a,b))

-- error
ALTER TABLE z DROP COLUMN a

-- error
ALTER TABLE z DROP COLUMN d

-- error
ALTER TABLE z DROP COLUMN e

ALTER TABLE z DROP COLUMN f

CREATE TABLE s(a, b REFERENCES s(a), c COLLATE nocase, d a, CONSTRAINT a CHECK(a > 0))

ALTER TABLE s RENAME COLUMN a TO x

-- query T nosort
SELECT sql FROM sqlite_master WHERE name IN ('s', 'z') ORDER BY name

-- query T nosort
PRAGMA integrity_check
