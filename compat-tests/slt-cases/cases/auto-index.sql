CREATE TABLE t(id INTEGER PRIMARY KEY, a INT, b TEXT, c REAL)

CREATE TABLE u(x, y, z COLLATE NOCASE)

CREATE TABLE w(p, q)

WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < 200) INSERT INTO t SELECT n, n % 17, CAST(n % 13 AS TEXT), n / 4.0 FROM s

WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < 150) INSERT INTO u SELECT CASE n % 3 WHEN 0 THEN n % 17 WHEN 1 THEN CAST(n % 17 AS TEXT) ELSE (n % 17) * 1.0 END, n % 13, CASE n % 2 WHEN 0 THEN 'k' || (n % 5) ELSE 'K' || (n % 5) END FROM s

INSERT INTO u VALUES(NULL, NULL, NULL), (3, NULL, 'k1')

WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < 60) INSERT INTO w SELECT n % 7, 'k' || (n % 5) FROM s

-- query II nosort
SELECT count(*), sum(t.id) FROM t, u WHERE u.x = t.a

-- query II nosort
SELECT count(*), sum(t.id) FROM t, u WHERE t.a = u.x

-- query II nosort
SELECT count(*), sum(t.id) FROM t, u WHERE u.y = t.b

-- query II nosort
SELECT count(*), sum(t.id) FROM t, u WHERE u.x = t.c

-- query II nosort
SELECT count(*), sum(t.id) FROM t, u WHERE u.x = t.a AND u.y = t.a % 13

-- query II nosort
SELECT count(*), sum(u.y) FROM u, w WHERE u.z = w.q

-- query II nosort
SELECT count(*), sum(u.y) FROM u, w WHERE w.q = u.z

-- query II nosort
SELECT count(*), sum(u.y) FROM u, w WHERE w.q = u.z COLLATE BINARY

-- query III nosort
SELECT count(*), count(u.x), sum(t.id) FROM t LEFT JOIN u ON u.x = t.a AND u.y > 3

-- query II nosort
SELECT count(*), sum(t.id) FROM t JOIN u ON u.x = t.a JOIN w ON w.p = u.y

-- query I nosort
SELECT count(*) FROM t WHERE EXISTS (SELECT 1 FROM u WHERE u.x = t.a AND u.z = 'K2')

-- query II nosort
SELECT t.id, (SELECT count(*) FROM u WHERE u.y = t.b) FROM t WHERE t.id < 6 ORDER BY t.id

-- query II nosort
SELECT t.id, (SELECT group_concat(w.p, ',') FROM w WHERE w.q = 'K' || (t.id % 5)) FROM t WHERE t.id < 4 ORDER BY t.id

-- query I nosort
SELECT count(*) FROM t WHERE t.a IN (SELECT x FROM u WHERE u.y = t.id % 13)

CREATE TABLE copy AS SELECT t.id, u.y FROM t, u WHERE u.x = t.a

-- query II nosort
SELECT count(*), sum(id) FROM copy

INSERT INTO w SELECT u.y, u.z FROM u, t WHERE t.a = u.x AND t.id < 20

-- query I nosort
SELECT count(*) FROM w

UPDATE w SET p = (SELECT count(*) FROM w AS w2 WHERE w2.q = w.q)

-- query II nosort
SELECT sum(p), count(DISTINCT p) FROM w

CREATE TABLE log(n)

CREATE TRIGGER wt AFTER INSERT ON w BEGIN INSERT INTO log SELECT count(*) FROM w AS w3, u WHERE u.z = w3.q AND w3.p = new.p; END

INSERT INTO w VALUES(1, 'k1'), (1, 'k2'), (1, 'k1')

-- query I nosort
SELECT n FROM log ORDER BY rowid
