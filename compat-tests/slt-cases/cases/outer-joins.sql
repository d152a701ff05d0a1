CREATE TABLE a(x, y)

INSERT INTO a VALUES(1,'a1'),(2,'a2'),(NULL,'an'),(2,'a2b'),(5,'a5')

CREATE TABLE b(x, z)

INSERT INTO b VALUES(2,'b2'),(3,'b3'),(NULL,'bn'),(3,'b3b'),(5,'b5')

CREATE TABLE c(x, w)

INSERT INTO c VALUES(3,'c3'),(4,'c4'),(1,'c1'),(NULL,'cn')

CREATE TABLE e(x, v)

CREATE TABLE ia(id INTEGER PRIMARY KEY, k INT, t TEXT)

INSERT INTO ia VALUES(1,10,'p'),(2,20,'q'),(3,NULL,'r'),(4,20,'s'),(5,40,'t')

CREATE INDEX ia_k ON ia(k)

CREATE TABLE ib(id INTEGER PRIMARY KEY, k INT, u TEXT)

INSERT INTO ib VALUES(10,20,'m'),(20,30,'n'),(30,NULL,'o'),(40,10,'p'),(50,30,'q')

CREATE INDEX ib_k ON ib(k)

-- query ITIT rowsort
SELECT * FROM a RIGHT JOIN b ON a.x = b.x

-- query ITIT rowsort
SELECT * FROM a RIGHT OUTER JOIN b ON a.x = b.x

-- query ITIT rowsort
SELECT * FROM a FULL JOIN b ON a.x = b.x

-- query ITIT rowsort
SELECT * FROM a FULL OUTER JOIN b ON a.x = b.x

-- query ITT rowsort
SELECT * FROM a RIGHT JOIN b USING(x)

-- query ITT rowsort
SELECT * FROM a FULL JOIN b USING(x)

-- query ITT rowsort
SELECT * FROM a NATURAL RIGHT JOIN b

-- query ITT rowsort
SELECT * FROM a NATURAL FULL JOIN b

-- query III rowsort
SELECT x, a.x, b.x FROM a FULL JOIN b USING(x)

-- query ITIT rowsort
SELECT a.*, b.* FROM a FULL JOIN b USING(x)

-- query I rowsort
SELECT x FROM a FULL JOIN b USING(x) FULL JOIN c USING(x)

-- query ITTT rowsort
SELECT * FROM a FULL JOIN b USING(x) FULL JOIN c USING(x)

-- query ITTT rowsort
SELECT * FROM a JOIN b USING(x) RIGHT JOIN c USING(x)

-- query ITTT rowsort
SELECT * FROM a FULL JOIN b USING(x) JOIN c USING(x)

-- query ITTT rowsort
SELECT * FROM a FULL JOIN b USING(x) LEFT JOIN c USING(x)

-- query ITITIT rowsort
SELECT * FROM a LEFT JOIN b ON a.x = b.x RIGHT JOIN c ON c.x = b.x

-- query ITITIT rowsort
SELECT * FROM a LEFT JOIN b ON a.x = b.x RIGHT JOIN c ON c.x = a.x

-- query ITITIT rowsort
SELECT * FROM a FULL JOIN b ON a.x = b.x FULL JOIN c ON c.x = b.x

-- query ITITIT rowsort
SELECT * FROM a FULL JOIN b ON a.x = b.x FULL JOIN c ON c.x = a.x

-- query ITITIT rowsort
SELECT * FROM a RIGHT JOIN b ON a.x = b.x JOIN c ON c.x = b.x

-- query ITITIT rowsort
SELECT * FROM a RIGHT JOIN b ON a.x = b.x LEFT JOIN c ON c.x = b.x - 1

-- query ITITIT rowsort
SELECT * FROM a RIGHT JOIN b ON a.x = b.x RIGHT JOIN c ON c.x = b.x

-- query ITITIT rowsort
SELECT * FROM a JOIN b ON a.x + 1 = b.x RIGHT JOIN c ON c.x = a.x

-- query ITITIT rowsort
SELECT * FROM a, b RIGHT JOIN c ON c.x = b.x AND c.x = a.x

-- query ITIT rowsort
SELECT * FROM a RIGHT JOIN e ON a.x = e.x

-- query ITIT rowsort
SELECT * FROM e RIGHT JOIN a ON a.x = e.x

-- query ITIT rowsort
SELECT * FROM e FULL JOIN a ON a.x = e.x

-- query ITIT rowsort
SELECT * FROM a FULL JOIN e ON a.x = e.x

-- query ITIT rowsort
SELECT * FROM e FULL JOIN e AS e2 ON e.x = e2.x

-- query ITIT rowsort
SELECT * FROM a RIGHT JOIN b ON a.x = b.x AND a.y = 'a2'

-- query ITIT rowsort
SELECT * FROM a RIGHT JOIN b ON a.x = b.x WHERE a.y = 'a2'

-- query ITIT rowsort
SELECT * FROM a RIGHT JOIN b ON a.x = b.x WHERE a.y IS NULL

-- query ITIT rowsort
SELECT * FROM a RIGHT JOIN b ON a.x = b.x WHERE coalesce(a.y, 'none') = 'none'

-- query ITIT rowsort
SELECT * FROM a FULL JOIN b ON a.x = b.x WHERE a.x IS NULL OR b.x IS NULL

-- query ITIT rowsort
SELECT * FROM a FULL JOIN b ON a.x = b.x WHERE b.z > 'b3'

-- query ITIT rowsort
SELECT * FROM a FULL JOIN b ON a.x = b.x AND b.z > 'b3'

-- query ITIT rowsort
SELECT * FROM a FULL JOIN b ON a.x = b.x WHERE a.x = 2

-- query ITIT rowsort
SELECT * FROM a RIGHT JOIN b ON 1

-- query ITIT rowsort
SELECT * FROM a FULL JOIN b ON 0

-- query ITIT rowsort
SELECT * FROM a FULL JOIN b ON a.x = b.x WHERE 0

-- query ITIT rowsort
SELECT * FROM a FULL JOIN b ON a.x IS b.x

-- query II rowsort
SELECT a.rowid, b.rowid FROM a FULL JOIN b ON a.x = b.x

-- query III nosort
SELECT count(*), count(a.x), count(b.x) FROM a FULL JOIN b ON a.x = b.x

-- query TI nosort
SELECT b.z, count(a.y) FROM a RIGHT JOIN b ON a.x = b.x GROUP BY b.z ORDER BY 1

-- query II nosort
SELECT x, count(*) FROM a FULL JOIN b USING(x) GROUP BY x ORDER BY x

-- query I nosort
SELECT DISTINCT a.x FROM a FULL JOIN b ON a.x = b.x ORDER BY 1

-- query ITIT nosort
SELECT * FROM a FULL JOIN b ON a.x = b.x ORDER BY b.z, a.y LIMIT 4

-- query ITIT nosort
SELECT * FROM a FULL JOIN b ON a.x = b.x ORDER BY a.y DESC, b.z LIMIT 3 OFFSET 2

-- query TI rowsort
SELECT b.z, (SELECT count(*) FROM c WHERE c.x = b.x) FROM a RIGHT JOIN b ON a.x = b.x

-- query TT rowsort
SELECT b.z, a.y FROM a RIGHT JOIN b ON a.x = b.x WHERE EXISTS (SELECT 1 FROM c WHERE c.x = b.x)

-- query TT rowsort
SELECT b.z, a.y FROM a RIGHT JOIN b ON a.x = b.x AND EXISTS (SELECT 1 FROM c WHERE c.x >= b.x)

-- query T rowsort
SELECT c.w FROM c WHERE c.x IN (SELECT b.x FROM a RIGHT JOIN b ON a.x = b.x WHERE a.x IS NULL)

-- query ITIT rowsort
SELECT * FROM a RIGHT JOIN (SELECT * FROM b WHERE x > 2) AS s ON a.x = s.x

-- query ITIT rowsort
SELECT * FROM (SELECT * FROM a WHERE x < 5) AS s FULL JOIN b ON s.x = b.x

-- query ITIT rowsort
WITH cc AS (SELECT * FROM c) SELECT * FROM a RIGHT JOIN cc ON a.x = cc.x

-- query ITIT rowsort
WITH cc AS (SELECT * FROM c) SELECT * FROM cc FULL JOIN a ON a.x = cc.x

CREATE VIEW vab AS SELECT * FROM a FULL JOIN b USING(x)

-- query ITT rowsort
SELECT * FROM vab

-- query ITTT rowsort
SELECT * FROM vab FULL JOIN c USING(x)

-- query ITTIT rowsort
SELECT * FROM c RIGHT JOIN vab ON vab.x = c.x

-- query IITIIT rowsort
SELECT * FROM ia RIGHT JOIN ib ON ia.k = ib.k

-- query IITIIT rowsort
SELECT * FROM ia FULL JOIN ib ON ia.k = ib.k

-- query IITIIT rowsort
SELECT * FROM ia FULL JOIN ib ON ia.id = ib.k

-- query IITIIT rowsort
SELECT * FROM ib FULL JOIN ia ON ia.id * 10 = ib.id

-- query IITIIT rowsort
SELECT * FROM ia FULL JOIN ib ON ia.k = ib.k WHERE ib.k = 30

-- query IITIIT rowsort
SELECT * FROM ia FULL JOIN ib ON ia.k = ib.k WHERE ia.k IN (10, 40)

-- query IITIIT rowsort
SELECT * FROM ia RIGHT JOIN ib ON ia.k = ib.k WHERE ia.id IS NULL OR ia.id = 2

-- query IITIITIT rowsort
SELECT * FROM ia RIGHT JOIN ib ON ia.k = ib.k LEFT JOIN c ON c.x = ia.id

-- query IITIITIT rowsort
SELECT * FROM c FULL JOIN ia ON c.x = ia.id FULL JOIN ib ON ib.k = ia.k

-- query II nosort
SELECT ia.k, ib.k FROM ia FULL JOIN ib ON ia.k = ib.k ORDER BY ia.k, ib.k

-- query IIT nosort
SELECT k, count(*), group_concat(u) FROM ia FULL JOIN ib USING(k) GROUP BY k ORDER BY k

-- query ITITIT rowsort
SELECT * FROM a RIGHT JOIN b ON a.x = b.x RIGHT JOIN e ON e.x = b.x

-- query ITITIT rowsort
SELECT * FROM a FULL JOIN e ON a.x = e.x FULL JOIN b ON b.x = a.x

-- query ITT rowsort
SELECT * FROM (a FULL JOIN b USING(x))

-- query TT rowsort
SELECT a.y, b.z FROM a RIGHT JOIN b ON a.x = b.x WHERE b.x IN (SELECT x FROM c)

-- query I nosort
SELECT count(*) FROM a RIGHT JOIN b ON a.x = b.x CROSS JOIN c

-- query TI rowsort
SELECT c.w, (SELECT count(*) FROM a RIGHT JOIN b ON a.x = b.x AND b.x >= c.x) FROM c

-- query TT rowsort
SELECT c.w, (SELECT count(a.y) || '/' || count(b.z) || '/' || max(a.y) FROM a FULL JOIN b ON a.x = b.x AND a.x = c.x) FROM c

-- query IT rowsort
SELECT * FROM c WHERE EXISTS (SELECT 1 FROM a RIGHT JOIN b ON a.x = b.x WHERE b.x = c.x AND a.x IS NULL)

-- query ITIT rowsort
SELECT * FROM a RIGHT JOIN b ON a.x = b.x UNION SELECT * FROM a LEFT JOIN b ON a.x = b.x

-- query I nosort
SELECT count(*) FROM a RIGHT JOIN b ON a.x IN (2, 3) AND a.x = b.x

-- query ITIT rowsort
SELECT * FROM a FULL JOIN b ON a.x = b.x AND b.x IN (2, 5, 7)

-- query ITIT rowsort
SELECT * FROM a FULL JOIN a AS a2 ON a.x = a2.x + 1

-- query ITTT rowsort
SELECT * FROM (SELECT * FROM a RIGHT JOIN b USING(x)) AS t FULL JOIN c USING(x)

-- query ITIT rowsort
SELECT * FROM a RIGHT JOIN b ON a.x = b.x WHERE b.rowid IN (1, 3)

-- query ITIT rowsort
SELECT * FROM a RIGHT JOIN b ON a.x = b.x AND b.rowid = 2

-- query ITIT rowsort
SELECT * FROM (a RIGHT JOIN b ON a.x = b.x)

-- query ITITIT rowsort
SELECT * FROM (a RIGHT JOIN b ON a.x = b.x) JOIN c ON c.x = b.x

-- query I nosort
SELECT x FROM a RIGHT JOIN b USING(x) WHERE x > 2 ORDER BY x

CREATE TABLE log(n)

CREATE TABLE src(k)

CREATE TRIGGER src_ins AFTER INSERT ON src BEGIN INSERT INTO log SELECT count(*) FROM a FULL JOIN b ON a.x = b.x AND b.x = new.k; END

INSERT INTO src VALUES(2),(3),(9)

-- query I nosort
SELECT n FROM log ORDER BY rowid

CREATE TABLE copied AS SELECT * FROM a FULL JOIN b USING(x)

-- query ITT rowsort
SELECT * FROM copied

-- error
SELECT * FROM a JOIN b ON b.x = c.x RIGHT JOIN c ON c.x = a.x

-- error
SELECT * FROM a RIGHT JOIN b ON a.x = b.x JOIN c USING(nope)

-- query ITTT rowsort
SELECT * FROM c JOIN a USING(x) FULL JOIN b USING(x)

-- query ITITT rowsort
SELECT * FROM c, a LEFT JOIN b USING(x)

-- error
SELECT * FROM c, a NATURAL FULL JOIN b

-- error
SELECT * FROM c JOIN a ON c.x = a.x FULL JOIN b USING(x)

-- error
SELECT x FROM a FULL JOIN b USING(x), c

-- error
SELECT * FROM a FULL JOIN b USING(x), c

-- query ITTT rowsort
SELECT * FROM a RIGHT JOIN b USING(x) NATURAL JOIN c

-- query I rowsort
SELECT x FROM a FULL JOIN b USING(x) GROUP BY x HAVING x > 1

-- query II rowsort
SELECT (SELECT x), x + 0 FROM a FULL JOIN b USING(x)

-- query I nosort
SELECT count(*) FROM a RIGHT JOIN b ON a.x = b.x WHERE a.rowid IS NULL

-- error
SELECT * FROM b JOIN c USING(x) RIGHT JOIN a ON 1

-- error
SELECT * FROM a RIGHT JOIN b ON a.x = b.x NATURAL JOIN c

-- query ITTT rowsort
SELECT * FROM a FULL JOIN b USING(x) RIGHT JOIN c USING(x)

-- query ITTT rowsort
SELECT * FROM a RIGHT JOIN b USING(x) FULL JOIN c USING(x)

-- query IIII rowsort
SELECT x, a.x, b.x, c.x FROM a RIGHT JOIN b USING(x) FULL JOIN c USING(x)

-- query TTT rowsort
SELECT x, typeof(x), b.z FROM (SELECT CAST(x AS TEXT) AS x FROM a) AS s RIGHT JOIN b USING(x)
