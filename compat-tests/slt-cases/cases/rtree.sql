CREATE VIRTUAL TABLE rt USING rtree(id, x0, x1, y0, y1)

CREATE VIRTUAL TABLE ri USING rtree_i32(id, a, b, +tag)

INSERT INTO rt VALUES(1, 0.5, 1.5, 0, 10), (2, 2, 3, 2, 3), (3, -1, 1, -1, 1), (4, 100, 200, 100, 200)

INSERT INTO rt(x0, x1, y0, y1) VALUES(7, 8, 7, 8)

WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i<400) INSERT INTO ri SELECT i, i % 50, i % 50 + i % 7, 'tag' || (i % 3) FROM n

-- query IRRRR rowsort
SELECT * FROM rt

-- query I rowsort
SELECT id FROM rt WHERE x0 >= 0 AND x1 <= 3

-- query I rowsort
SELECT id FROM rt WHERE y1 > 9 OR id = 3

-- query IR nosort
SELECT id, x1 FROM rt WHERE id = 5

-- query I nosort
SELECT count(*) FROM rt WHERE x0 < 'z'

-- query T nosort
SELECT rtreecheck('rt')

-- query T nosort
SELECT rtreecheck('ri')

-- query III nosort
SELECT count(*), sum(id), sum(b - a) FROM ri WHERE a BETWEEN 10 AND 20 AND b > 15

-- query IT nosort
SELECT count(*), group_concat(DISTINCT tag) FROM (SELECT tag FROM ri WHERE a = 3 ORDER BY tag)

-- error
INSERT INTO rt VALUES(1, 0, 0, 0, 0)

-- error
INSERT INTO rt VALUES(10, 5, 4, 0, 0)

-- error
CREATE VIRTUAL TABLE bad USING rtree(id, x0, x1, y0)

UPDATE rt SET x1 = 1000 WHERE id = 2

DELETE FROM ri WHERE id % 2 = 0

-- query II nosort
SELECT count(*), sum(id) FROM ri

-- query T nosort
SELECT rtreecheck('ri')

-- query I rowsort
SELECT id FROM rt WHERE x1 > 500

-- query T nosort
SELECT rtreenode(2, data) FROM rt_node WHERE nodeno = 1

-- query I nosort
SELECT rtreedepth(data) FROM rt_node WHERE nodeno = 1

ALTER TABLE rt RENAME TO rt2

-- query I rowsort
SELECT id FROM rt2 WHERE x1 > 500

-- query T rowsort
SELECT name FROM sqlite_schema WHERE name LIKE 'rt%'

-- query T nosort
PRAGMA integrity_check

DELETE FROM rt2_rowid WHERE rowid = 1

-- query T nosort
PRAGMA integrity_check

DROP TABLE rt2

-- query T rowsort
SELECT name FROM sqlite_schema
