CREATE TABLE emp(id INTEGER PRIMARY KEY, name TEXT, boss INTEGER)

INSERT INTO emp VALUES(1,'root',NULL),(2,'a',1),(3,'b',1),(4,'c',2),(5,'d',4)

CREATE TABLE t1(a INTEGER, b TEXT, c REAL)

CREATE INDEX t1a ON t1(a)

INSERT INTO t1 VALUES(1,'x',1.5),(2,'y',NULL),(3,NULL,2.25),(NULL,'z',0.0),(2,'w',-1.0)

-- query I nosort
WITH x AS (SELECT 1 AS a UNION ALL SELECT 2) SELECT * FROM x

-- query II nosort
WITH x(a,b) AS (VALUES(1,2),(3,4)) SELECT b, a FROM x ORDER BY a DESC

-- query T nosort
WITH RECURSIVE cnt(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM cnt WHERE x<10) SELECT group_concat(x) FROM cnt

-- query I nosort
WITH RECURSIVE cnt(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM cnt LIMIT 5) SELECT sum(x) FROM cnt

-- query ITI nosort
WITH RECURSIVE sub(id, name, depth) AS (SELECT id, name, 0 FROM emp WHERE boss IS NULL UNION ALL SELECT e.id, e.name, s.depth+1 FROM emp e JOIN sub s ON e.boss = s.id) SELECT * FROM sub ORDER BY id

-- query I nosort
WITH RECURSIVE r(x) AS (SELECT 1 UNION SELECT x % 3 + 1 FROM r) SELECT x FROM r ORDER BY x

-- query I nosort
WITH a AS (SELECT id FROM emp WHERE id > 2), b AS (SELECT id*10 AS y FROM a) SELECT y FROM b ORDER BY y

-- query T nosort
SELECT name FROM emp WHERE id IN (WITH t(v) AS (VALUES(2),(4)) SELECT v FROM t) ORDER BY name

-- query IT rowsort
SELECT e.id, b.name FROM emp e LEFT JOIN emp b ON e.boss = b.id

-- query IT rowsort
SELECT a, b FROM t1 WHERE a IN (2, 3, NULL)

-- query IT rowsort
SELECT a, b FROM t1 WHERE a = 2 OR a = 1

-- query I nosort
SELECT count(*) FROM (t1 AS x CROSS JOIN emp AS y)

CREATE TABLE one(v)

INSERT INTO one VALUES(2),(NULL)

-- query II nosort
SELECT 2 IN one, 5 NOT IN one

-- error
SELECT 2 IN emp

-- query TT rowsort
SELECT "name", "b" FROM emp, t1 WHERE "id" = "a"

-- error
SELECT * FROM nosuchtable

-- error
WITH RECURSIVE c(x) AS (SELECT x FROM c) SELECT * FROM c

-- query R rowsort
SELECT c FROM t1 WHERE c BETWEEN -1 AND 2
