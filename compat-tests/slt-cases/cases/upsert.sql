CREATE TABLE kv(k TEXT PRIMARY KEY, v INT, n INT DEFAULT 0)

INSERT INTO kv VALUES('a', 1, 0), ('b', 2, 0)

INSERT INTO kv(k, v) VALUES('a', 10), ('c', 3), ('a', 20) ON CONFLICT(k) DO UPDATE SET v = v + excluded.v, n = n + 1

-- query TII nosort
SELECT k, v, n FROM kv ORDER BY k

-- query II nosort
SELECT changes(), total_changes()

INSERT INTO kv(k, v) VALUES('b', 1) ON CONFLICT(k) DO UPDATE SET v = excluded.v WHERE excluded.v > kv.v

-- query I nosort
SELECT changes()

INSERT INTO kv(k, v) VALUES('b', 5) ON CONFLICT(k) DO UPDATE SET v = excluded.v WHERE excluded.v > v

-- query TII nosort
SELECT k, v, n FROM kv ORDER BY k

INSERT INTO kv(k, v) VALUES('a', 0) ON CONFLICT DO NOTHING

INSERT INTO kv(k, v) VALUES('a', 0) ON CONFLICT(k) DO NOTHING

-- query I nosort
SELECT changes()

CREATE TABLE u(id INTEGER PRIMARY KEY, x TEXT COLLATE NOCASE UNIQUE, y UNIQUE, z)

INSERT INTO u VALUES(1, 'A', 'p', 0), (2, 'B', 'q', 0)

INSERT INTO u VALUES(3, 'a', 'r', 1) ON CONFLICT(x) DO UPDATE SET z = z + 10

INSERT INTO u VALUES(3, 'a', 'r', 1) ON CONFLICT(x COLLATE nocase) DO UPDATE SET z = z + 10

-- error
INSERT INTO u VALUES(3, 'a', 'r', 1) ON CONFLICT(x COLLATE binary) DO UPDATE SET z = z + 10

-- query ITTI nosort
SELECT * FROM u ORDER BY id

INSERT INTO u VALUES(1, 'zz', 'q', 1) ON CONFLICT(y) DO UPDATE SET z = 100 ON CONFLICT(id) DO UPDATE SET z = 200

-- query ITTI nosort
SELECT * FROM u ORDER BY id

INSERT INTO u VALUES(1, 'zz', 'q', 1) ON CONFLICT(id) DO UPDATE SET z = 300 ON CONFLICT(y) DO UPDATE SET z = 400

-- query ITTI nosort
SELECT * FROM u ORDER BY id

INSERT INTO u VALUES(5, 'B', 'p', 1) ON CONFLICT(y) DO UPDATE SET z = -1 ON CONFLICT DO UPDATE SET z = -2

-- query ITTI nosort
SELECT * FROM u ORDER BY id

INSERT INTO u VALUES(5, 'B', 'p', 1) ON CONFLICT(rowid) DO NOTHING ON CONFLICT DO UPDATE SET z = z * 2

-- query ITTI nosort
SELECT * FROM u ORDER BY id

-- error
INSERT INTO u VALUES(5, 'new', 'p', 1) ON CONFLICT(y) DO UPDATE SET x = 'b'

-- error
INSERT INTO u VALUES(5, 'new', 'p', 1) ON CONFLICT(y) DO UPDATE SET id = 2

INSERT INTO u VALUES(5, 'new', 'p', 1) ON CONFLICT(y) DO UPDATE SET id = 7

-- query ITTI nosort
SELECT * FROM u ORDER BY id

-- error
INSERT INTO u VALUES(5, 'new', 'p', 1) ON CONFLICT(y) DO UPDATE SET zz = 7

-- error
INSERT INTO u VALUES(5, 'new', 'p', 1) ON CONFLICT(nope) DO NOTHING

-- error
INSERT INTO u VALUES(5, 'new', 'p', 1) ON CONFLICT(z) DO NOTHING

-- error
INSERT INTO u VALUES(5, 'new', 'p', 1) ON CONFLICT(y) DO NOTHING ON CONFLICT(z) DO NOTHING

-- error
INSERT INTO u VALUES(5, 'new', 'p', 1) ON CONFLICT(x, y) DO NOTHING

-- error
INSERT INTO u VALUES(5, 'new', 'p', 1) ON CONFLICT(y) DO UPDATE SET z = nope

-- error
INSERT INTO u VALUES(5, 'new', 'p', 1) ON CONFLICT(y) DO UPDATE SET z = excluded.nope

-- error
INSERT INTO u AS w VALUES(5, 'new', 'p', 1) ON CONFLICT(y) DO UPDATE SET z = u.z + 1

-- error
INSERT INTO u VALUES(5, 'new', 'p', 1) ON CONFLICT(y) DO UPDATE SET z = count(*)

-- error
INSERT INTO u VALUES(5, 'new', 'p', 1) ON CONFLICT(y) WHERE q > 0 DO UPDATE SET z = z + 1

-- error
INSERT INTO u VALUES(5, 'new', 'p', 1) ON CONFLICT DO NOTHING ON CONFLICT DO NOTHING

INSERT INTO u AS w VALUES(5, 'new', 'p', 1) ON CONFLICT(y) DO UPDATE SET z = w.z + 1 WHERE excluded.id = 5

INSERT INTO u VALUES(5, 'new', 'p', 1) ON CONFLICT(y) WHERE z > 0 DO UPDATE SET z = z + 1

-- query ITTI nosort
SELECT * FROM u ORDER BY id

-- error
INSERT INTO u VALUES(NULL, 'A', 'p', 1) ON CONFLICT(id) DO NOTHING

INSERT OR REPLACE INTO u VALUES(9, 'A', 'p2', 1) ON CONFLICT(y) DO NOTHING

-- error
INSERT OR IGNORE INTO u VALUES(9, 'A', 'p2', 1) ON CONFLICT(y) DO UPDATE SET y = 'q'

-- query ITTI nosort
SELECT * FROM u ORDER BY id

CREATE TABLE m(a, b, c, UNIQUE(a, b), UNIQUE(c))

INSERT INTO m VALUES(1, 2, 3)

-- query III nosort
INSERT INTO m VALUES(1, 2, 4) ON CONFLICT(b, a) DO UPDATE SET c = excluded.c RETURNING *

-- error
INSERT INTO m VALUES(1, 2, 4) ON CONFLICT(a) DO NOTHING

-- error
INSERT INTO m VALUES(1, 5, 4) ON CONFLICT(a, b) DO UPDATE SET c = 9

INSERT INTO m VALUES(9, 9, NULL) ON CONFLICT(c) DO UPDATE SET c = 9

-- error
INSERT INTO m VALUES(9, 9, NULL) ON CONFLICT(c) DO UPDATE SET c = 9

-- query III nosort
SELECT * FROM m ORDER BY a, b

-- query I nosort
SELECT last_insert_rowid()

CREATE TABLE nn(a INTEGER PRIMARY KEY, b NOT NULL, c CHECK(c > 0))

INSERT INTO nn VALUES(1, 1, 1)

-- error
INSERT INTO nn VALUES(1, NULL, 1) ON CONFLICT DO NOTHING

-- error
INSERT INTO nn VALUES(1, 2, 1) ON CONFLICT(a) DO UPDATE SET b = NULL

-- error
INSERT INTO nn VALUES(1, 2, 1) ON CONFLICT(a) DO UPDATE SET c = -1

INSERT INTO nn VALUES(1, 2, 1) ON CONFLICT(a) DO UPDATE SET c = excluded.c + 1, b = 'x'

-- query ITI nosort
SELECT * FROM nn

-- error
INSERT INTO nn DEFAULT VALUES ON CONFLICT DO NOTHING

-- error
INSERT INTO nn(a, b, c) SELECT 1, 'sel', 5 FROM nn ON CONFLICT(a) DO UPDATE SET b = excluded.b

INSERT INTO nn(a, b, c) SELECT 1, 'sel', 5 FROM nn WHERE true ON CONFLICT(a) DO UPDATE SET b = excluded.b

INSERT INTO nn(a, b, c) SELECT 1, 'sel', 5 UNION ALL SELECT 1, 'sel2', 6 ON CONFLICT(a) DO UPDATE SET b = excluded.b

INSERT INTO nn(a, b, c) VALUES(1, 'v', 1), (1, 'w', 1) ON CONFLICT(a) DO UPDATE SET b = b || excluded.b

-- query ITI nosort
SELECT * FROM nn

CREATE TABLE aff(k INTEGER PRIMARY KEY, t TEXT, r REAL, i INTEGER)

INSERT INTO aff VALUES(1, 'x', 1.5, 1)

INSERT INTO aff VALUES(1, 5, 2, '7') ON CONFLICT(k) DO UPDATE SET t = typeof(excluded.t) || typeof(excluded.r) || typeof(excluded.i), r = excluded.r, i = excluded.i

-- query ITTT nosort
SELECT k, t, typeof(r), typeof(i) FROM aff

CREATE TABLE tt(id INTEGER PRIMARY KEY, k UNIQUE, v)

CREATE TABLE log(ev, a, b)

CREATE TRIGGER bi BEFORE INSERT ON tt BEGIN INSERT INTO log VALUES('bi', new.k, new.v); END

CREATE TRIGGER ai AFTER INSERT ON tt BEGIN INSERT INTO log VALUES('ai', new.k, new.v); END

CREATE TRIGGER bu BEFORE UPDATE ON tt BEGIN INSERT INTO log VALUES('bu', old.v, new.v); END

CREATE TRIGGER au AFTER UPDATE OF v ON tt BEGIN INSERT INTO log VALUES('au', old.v, new.v); END

INSERT INTO tt(k, v) VALUES('a', 1)

INSERT INTO tt(k, v) VALUES('a', 2) ON CONFLICT(k) DO UPDATE SET v = excluded.v

-- query III nosort
SELECT changes(), total_changes(), last_insert_rowid()

INSERT INTO tt(k, v) VALUES('a', 3) ON CONFLICT(k) DO NOTHING

-- query TTT nosort
SELECT * FROM log

CREATE TABLE src(k, v)

INSERT INTO src VALUES('a', 10), ('b', 20), ('a', 30)

INSERT INTO tt(k, v) SELECT k, v FROM src WHERE 1 ON CONFLICT(k) DO UPDATE SET v = v + excluded.v

-- query ITI nosort
SELECT * FROM tt ORDER BY id

-- query I nosort
SELECT changes()

CREATE TRIGGER tr_src AFTER INSERT ON src BEGIN INSERT INTO tt(k, v) VALUES(new.k, new.v) ON CONFLICT(k) DO UPDATE SET v = -excluded.v; END

INSERT INTO src VALUES('a', 5)

-- query II nosort
SELECT changes(), total_changes()

-- query ITI nosort
SELECT * FROM tt ORDER BY id

CREATE TABLE ai(id INTEGER PRIMARY KEY AUTOINCREMENT, k UNIQUE)

INSERT INTO ai(k) VALUES(1), (2)

INSERT INTO ai(k) VALUES(1), (3) ON CONFLICT(k) DO UPDATE SET k = k + 100

INSERT INTO ai(k) VALUES(3) ON CONFLICT DO NOTHING

INSERT OR IGNORE INTO ai(k) VALUES(3)

-- query TI nosort
SELECT * FROM sqlite_sequence

INSERT INTO ai(k) VALUES(4)

-- query II nosort
SELECT * FROM ai ORDER BY id

CREATE TABLE rep(a INTEGER PRIMARY KEY ON CONFLICT REPLACE, b UNIQUE, c UNIQUE ON CONFLICT REPLACE)

INSERT INTO rep VALUES(1, 1, 1), (2, 2, 2), (3, 3, 3)

INSERT INTO rep VALUES(1, 2, 3) ON CONFLICT(b) DO UPDATE SET b = 20

-- query III nosort
SELECT * FROM rep ORDER BY a

INSERT INTO rep VALUES(1, 5, 3) ON CONFLICT(b) DO NOTHING

-- query III nosort
SELECT * FROM rep ORDER BY a

CREATE TABLE multi(a INTEGER PRIMARY KEY, b UNIQUE, c UNIQUE, d)

INSERT INTO multi VALUES(1, 1, 1, 'one'), (2, 2, 2, 'two'), (3, 3, 3, 'three')

INSERT INTO multi VALUES(1, 2, 3, 'new') ON CONFLICT DO UPDATE SET d = d || '!'

INSERT INTO multi VALUES(1, 2, 3, 'new') ON CONFLICT(c) DO UPDATE SET d = d || '?' ON CONFLICT DO UPDATE SET d = d || '*'

INSERT INTO multi VALUES(4, 2, 3, 'new') ON CONFLICT(c) DO UPDATE SET d = d || '#' ON CONFLICT(b) DO UPDATE SET d = d || '%'

INSERT INTO multi VALUES(1, 9, 9, 'new') ON CONFLICT(c) DO UPDATE SET d = d || '+' ON CONFLICT(a) DO UPDATE SET d = d || '-'

-- query IIIT nosort
SELECT * FROM multi ORDER BY a

CREATE TABLE later(a, b)

CREATE UNIQUE INDEX later_a ON later(a)

CREATE UNIQUE INDEX later_b ON later(b)

INSERT INTO later VALUES(1, 1), (2, 2)

INSERT INTO later VALUES(1, 2) ON CONFLICT DO UPDATE SET a = a + 10

-- query II nosort
SELECT * FROM later ORDER BY a

-- error
INSERT INTO later VALUES(2, 1)
