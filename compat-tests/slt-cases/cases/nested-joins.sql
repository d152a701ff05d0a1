CREATE TABLE a(x INTEGER, w TEXT)

CREATE TABLE b(x INTEGER, y INTEGER)

CREATE TABLE c(y INTEGER, z TEXT)

CREATE TABLE d(z TEXT, k INTEGER PRIMARY KEY)

INSERT INTO a VALUES(1, 'one'), (2, 'two'), (3, 'three'), (NULL, 'null')

INSERT INTO b VALUES(1, 10), (2, 20), (3, 30), (4, 10)

INSERT INTO c VALUES(10, 'ten'), (30, 'thirty'), (40, 'forty')

INSERT INTO d VALUES('ten', 7), ('forty', 8)

-- query ITIIIT nosort
SELECT * FROM a LEFT JOIN (b JOIN c ON b.y = c.y) ON a.x = b.x ORDER BY a.w

-- query ITIIIT nosort
SELECT * FROM a JOIN (b LEFT JOIN c ON b.y = c.y) ON a.x = b.x ORDER BY a.x

-- query ITIIT nosort
SELECT * FROM a LEFT JOIN (b NATURAL JOIN c) ON a.x = b.x ORDER BY a.w

-- query ITIIT nosort
SELECT * FROM a JOIN (b LEFT JOIN c USING (y)) ON a.x = b.x ORDER BY a.x

-- query IIT nosort
SELECT a.x, y, z FROM a LEFT JOIN (b JOIN c USING (y)) ON a.x = b.x ORDER BY a.w

-- query III nosort
SELECT b.y, c.y, y FROM a LEFT JOIN (b LEFT JOIN c USING (y)) ON a.x = b.x ORDER BY a.w

-- query IIIT nosort
SELECT b.*, c.* FROM a LEFT JOIN (b JOIN c ON b.y = c.y) ON a.x = b.x ORDER BY a.w

-- error
SELECT y FROM a LEFT JOIN (b JOIN c ON b.y = c.y) ON a.x = b.x

-- error
SELECT rowid FROM a LEFT JOIN (b JOIN c ON b.y = c.y) ON a.x = b.x

-- query III nosort
SELECT b.rowid, c.oid, b._rowid_ FROM a LEFT JOIN (b JOIN c ON b.y = c.y) ON a.x = b.x ORDER BY a.w

-- query ITIIT nosort
SELECT * FROM a LEFT JOIN (b JOIN c USING (y)) AS q ON a.x = q.x ORDER BY a.w

-- query II nosort
SELECT q.y, q.x FROM a LEFT JOIN (b JOIN c USING (y)) AS q ON a.x = q.x ORDER BY a.w

-- error
SELECT q.* FROM a LEFT JOIN (b JOIN c USING (y)) AS q ON a.x = q.x

-- query ITIIITTI nosort
SELECT * FROM (a LEFT JOIN b ON a.x = b.x) LEFT JOIN (c JOIN d ON c.z = d.z) ON b.y = c.y ORDER BY a.w

-- query ITIIITI nosort
SELECT * FROM a LEFT JOIN ((b JOIN c USING (y)) LEFT JOIN d ON d.z = c.z) ON a.x = b.x ORDER BY a.w

-- query ITT nosort
SELECT a.x, a.w, d.z FROM a LEFT JOIN (b JOIN (c JOIN d USING (z)) USING (y)) ON a.x = b.x ORDER BY a.w

-- query IIT nosort
SELECT count(*), sum(c.y), group_concat(c.z, ',') FROM a LEFT JOIN (b LEFT JOIN c ON b.y = c.y) ON 1

-- query ITIIT nosort
SELECT * FROM a NATURAL JOIN (b LEFT JOIN c ON c.y > 30) ORDER BY a.x

-- query ITIII nosort
SELECT * FROM a JOIN (b LEFT JOIN c ON b.y = c.y) USING (x) ORDER BY 1

-- query IT nosort
SELECT a.x, a.w FROM a WHERE EXISTS (SELECT 1 FROM b LEFT JOIN (c JOIN d USING (z)) ON b.y = c.y WHERE b.x = a.x AND d.k IS NOT NULL) ORDER BY 1

-- query IT nosort
SELECT b.x, (SELECT group_concat(d.z) FROM c LEFT JOIN (d JOIN a ON d.k > a.x) ON c.z = d.z WHERE c.y = b.y) FROM b ORDER BY 1

-- query I nosort
SELECT count(*) FROM (a LEFT JOIN b ON a.x = b.x) JOIN (c LEFT JOIN d USING (z)) ON b.y = c.y

-- error
SELECT * FROM a LEFT JOIN (b JOIN c ON b.q = c.y) ON a.x = b.x

-- error
SELECT nosuch.x FROM a LEFT JOIN (b JOIN c ON b.y = c.y) ON a.x = b.x

CREATE VIEW v AS SELECT a.w, c.z FROM a LEFT JOIN (b JOIN c USING (y)) ON a.x = b.x

-- query TT nosort
SELECT * FROM v ORDER BY 1
