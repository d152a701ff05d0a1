CREATE TABLE t(id INTEGER PRIMARY KEY, a INT, b TEXT, c REAL)

CREATE INDEX tlb ON t(lower(b))

CREATE INDEX tac ON t(a + c DESC)

CREATE INDEX tsub ON t(substr(b, 1, 1), a)

CREATE INDEX tcast ON t(CAST(c AS TEXT) COLLATE NOCASE)

CREATE TABLE u(x, y)

INSERT INTO t VALUES(1, 'b', '5', 'Ba'), (2, NULL, 'ab', NULL), (3, 'b', 3.5, NULL), (4, '7', NULL, 'cX'), (5, '3', 'Ba', 2), (6, NULL, 6.5, '8'), (7, '7', 3.5, 'cX'), (8, 'Cx', 6.5, 6), (9, '8', '-3', 2), (10, 2.5, 'Cx', '-1'), (11, 'Ba', NULL, 'cX'), (12, '7', -3, 3.5), (13, '-3', NULL, NULL), (14, 'ab', 7.5, 'ab'), (15, 'AB', 3, 1.5), (16, 4, 'AB', '3'), (17, NULL, '0', '5'), (18, 4, '1', 2), (19, 2.5, -1.5, NULL), (20, 5.5, 7.5, NULL), (21, '7', 'ab', 4.5), (22, NULL, NULL, NULL), (23, NULL, NULL, 1), (24, 4.5, '3', -1), (25, NULL, NULL, '7'), (26, NULL, NULL, 6.5), (27, -2, 0, NULL), (28, 'cX', 2, -3), (29, 'Cx', 7, -3), (30, '7', '-1', 2), (31, 'cX', NULL, '-3'), (32, NULL, 2, 7.5), (33, NULL, NULL, 0.5), (34, 0.5, 3, 'b'), (35, 1, -1.5, 'AB'), (36, 3.5, 'cX', 'cX'), (37, '-1', 3.5, '-3'), (38, 'Ba', '7', 2.5), (39, NULL, 'cX', '0'), (40, NULL, 'Ba', '0'), (41, 0.5, 'AB', 'AB'), (42, NULL, 'b', '-2'), (43, '0', '1', '8'), (44, '3', 'ab', -1), (45, '-2', 1.5, NULL), (46, '2', 3, 1), (47, 7.5, NULL, 5.5), (48, 4.5, 'ab', 'Cx'), (49, '1', '0', -1), (50, '5', 'AB', 3.5), (51, 'ab', 0, '-2'), (52, 'cX', 'AB', 8), (53, '-2', NULL, NULL), (54, 'Ba', 4, '7'), (55, 7, 'Cx', -1), (56, '0', NULL, 'b'), (57, '8', '7', '7'), (58, 0.5, 0, 'b'), (59, NULL, NULL, '1'), (60, 'ab', 1.5, 7.5), (61, 'AB', NULL, 2.5), (62, 'ab', 8, 'Ba'), (63, 'AB', 'Cx', 5), (64, 6, 1, '2'), (65, 8, 0, -2), (66, '1', NULL, -2), (67, 'cX', 'b', '7'), (68, 0.5, 0.5, 3), (69, 5, 5, '-2'), (70, 'ab', 8.5, 'AB'), (71, 6.5, 6.5, 0), (72, 'Cx', 3.5, 'Cx'), (73, 8, -3.5, 5.5), (74, 'b', NULL, 'b'), (75, 'b', NULL, 8.5), (76, '2', 5, 1), (77, 2.5, '-3', NULL), (78, '7', NULL, '5'), (79, '3', 0, NULL), (80, 6, NULL, 3), (81, '-2', '5', 7.5), (82, NULL, '3', '8'), (83, 8, NULL, 3), (84, 0, 5.5, NULL), (85, 7.5, 1, 3), (86, 2.5, -1, 6), (87, '-3', 7, NULL), (88, 1, '-1', -2.5), (89, -1, -1, -3.5), (90, '7', -2.5, '-2'), (91, 5.5, NULL, '8'), (92, 8, NULL, 5), (93, '-2', 7, '1'), (94, 5, '0', NULL), (95, 0.5, '-2', NULL), (96, 2, 3, NULL), (97, NULL, NULL, -3.5), (98, 5, 'b', NULL), (99, 5.5, NULL, 1), (100, 8.5, '2', 6.5)

INSERT INTO u VALUES(2, NULL), (0.5, -3), (-1, 2.5), ('AB', NULL), ('Cx', 'ab'), (NULL, '7'), (-1.5, 4), (-2.5, '3'), (NULL, 'AB'), (NULL, '-2')

-- query IT rowsort
SELECT id, quote(b) FROM t WHERE lower(b) = 'ab'

-- query I rowsort
SELECT id FROM t WHERE LOWER(t.b) = 'cx'

-- query I rowsort
SELECT id FROM t WHERE 'ba' = lower(b)

-- query IT rowsort
SELECT id, quote(b) FROM t WHERE lower(b) > 'b'

-- query IT rowsort
SELECT id, quote(b) FROM t WHERE lower(b) BETWEEN '1' AND 'b'

-- query I rowsort
SELECT id FROM t WHERE lower(b) IS NULL

-- query I rowsort
SELECT id FROM t WHERE lower(b) IN ('ab', 'cx', NULL)

-- query IT rowsort
SELECT id, quote(a + c) FROM t WHERE a + c > 3

-- query IT rowsort
SELECT id, quote(a + c) FROM t WHERE a + c <= 2.5

-- query IT rowsort
SELECT id, quote(a + c) FROM t WHERE a + c BETWEEN 0 AND 6

-- query IT rowsort
SELECT id, quote(a + c) FROM t WHERE a + c > '3'

-- query IT nosort
SELECT id, quote(a) FROM t WHERE substr(b, 1, 1) = 'a' AND a > 1 ORDER BY id

-- query IT rowsort
SELECT id, quote(a) FROM t WHERE substr(b, 1, 1) = 'C' AND a = 3

-- query IT rowsort
SELECT id, quote(c) FROM t WHERE CAST(c AS TEXT) = '1.5'

-- query ITT nosort
SELECT t.id, quote(u.x), quote(u.y) FROM u, t WHERE lower(t.b) = u.x ORDER BY 1, 2, 3

-- query I nosort
SELECT id FROM t WHERE lower(b) = 'ab' OR a + c < 0 ORDER BY id

-- query I rowsort
SELECT id FROM t WHERE upper(b) = 'AB'

-- query TI nosort
SELECT lower(b), id FROM t ORDER BY lower(b)

-- query TI nosort
SELECT lower(b), id FROM t ORDER BY lower(b) DESC LIMIT 5

-- query IT nosort
SELECT id, quote(b) FROM t WHERE lower(b) > 'b' ORDER BY lower(b), id

-- query TI nosort
SELECT quote(a + c), id FROM t WHERE a + c > 2 ORDER BY a + c DESC

-- query TI nosort
SELECT quote(a + c), id FROM t WHERE a + c < 4 ORDER BY a + c LIMIT 4

-- query IT nosort
SELECT id, quote(a) FROM t WHERE substr(b, 1, 1) = 'a' ORDER BY a DESC

-- query TT nosort
SELECT lower(b) || '!', upper(lower(b)) FROM t WHERE lower(b) = 'ab'

-- query TTI nosort
SELECT quote(u.x), lower(t.b), t.id FROM u LEFT JOIN t ON lower(t.b) = u.x ORDER BY 1, 3

-- query TI nosort
SELECT lower(b), count(*) FROM t WHERE lower(b) >= 'b' GROUP BY lower(b) ORDER BY 1

-- query TI nosort
SELECT lower(b), count(*) FROM t GROUP BY lower(b)

-- query TI nosort
SELECT quote(a + c), count(*) FROM t WHERE a + c < 5 GROUP BY a + c

-- query T nosort
SELECT DISTINCT lower(b) FROM t

-- query IT nosort
SELECT id, quote(a) FROM t WHERE lower(b) IS NULL ORDER BY lower(b) DESC, a

-- query IT nosort
SELECT id, quote(a) FROM t WHERE lower(b) = 'ab' ORDER BY lower(b)

-- query IT rowsort
SELECT id, quote(a) FROM t WHERE substr(b, 1, 1) = 'a' AND a > -1.5

-- query IT rowsort
SELECT id, quote(a + c) FROM t WHERE a + c > 6

-- query IT rowsort
SELECT id, quote(a + c) FROM t WHERE a + c >= NULL

-- query IT rowsort
SELECT id, quote(a) FROM t WHERE substr(b, 1, 1) = 'a' AND a <= 'Cx'

-- query IT rowsort
SELECT id, quote(a + c) FROM t WHERE a + c = 5

-- query IT rowsort
SELECT id, quote(a + c) FROM t WHERE a + c <= NULL

-- query IT rowsort
SELECT id, quote(a) FROM t WHERE substr(b, 1, 1) = 'A' AND a <= -1

-- query IT rowsort
SELECT id, quote(a) FROM t WHERE substr(b, 1, 1) = 'C' AND a >= 8.5

-- query IT rowsort
SELECT id, quote(c) FROM t WHERE CAST(c AS TEXT) <= 'AB'

-- query IT rowsort
SELECT id, quote(b) FROM t WHERE lower(b) < 8.5

-- query IT rowsort
SELECT id, quote(b) FROM t WHERE lower(b) > NULL

-- query IT rowsort
SELECT id, quote(a + c) FROM t WHERE a + c > -2

-- query IT rowsort
SELECT id, quote(b) FROM t WHERE lower(b) <= 'Ba'

-- query IT rowsort
SELECT id, quote(a + c) FROM t WHERE a + c < 'AB'

-- query IT rowsort
SELECT id, quote(c) FROM t WHERE CAST(c AS TEXT) > '2'

-- query IT rowsort
SELECT id, quote(a + c) FROM t WHERE a + c = 6

-- query IT rowsort
SELECT id, quote(a + c) FROM t WHERE a + c IS 4.5

-- query IT rowsort
SELECT id, quote(a + c) FROM t WHERE a + c = 'b'

-- query IT rowsort
SELECT id, quote(a + c) FROM t WHERE a + c >= NULL

-- query IT rowsort
SELECT id, quote(c) FROM t WHERE CAST(c AS TEXT) > -1

-- query IT rowsort
SELECT id, quote(a) FROM t WHERE substr(b, 1, 1) = '1' AND a <= 'Cx'

-- query IT rowsort
SELECT id, quote(c) FROM t WHERE CAST(c AS TEXT) >= 6.5

-- query IT rowsort
SELECT id, quote(a + c) FROM t WHERE a + c >= 0

-- query IT rowsort
SELECT id, quote(c) FROM t WHERE CAST(c AS TEXT) IS -1.5

-- query IT rowsort
SELECT id, quote(a + c) FROM t WHERE a + c >= 4

-- query IT rowsort
SELECT id, quote(a + c) FROM t WHERE a + c < 'Cx'

-- query IT rowsort
SELECT id, quote(b) FROM t WHERE lower(b) IS NULL

-- query IT rowsort
SELECT id, quote(b) FROM t WHERE lower(b) >= -2

-- query IT rowsort
SELECT id, quote(b) FROM t WHERE lower(b) > NULL

-- query IT rowsort
SELECT id, quote(a) FROM t WHERE substr(b, 1, 1) = 'C' AND a < '3'

-- query IT rowsort
SELECT id, quote(b) FROM t WHERE lower(b) > NULL

-- query IT rowsort
SELECT id, quote(b) FROM t WHERE lower(b) < 3.5

-- query IT rowsort
SELECT id, quote(b) FROM t WHERE lower(b) >= 1

-- query IT rowsort
SELECT id, quote(b) FROM t WHERE lower(b) > 7

-- query IT rowsort
SELECT id, quote(c) FROM t WHERE CAST(c AS TEXT) IS -2.5

-- query IT rowsort
SELECT id, quote(b) FROM t WHERE lower(b) = NULL

-- query IT rowsort
SELECT id, quote(a) FROM t WHERE substr(b, 1, 1) = 'b' AND a = 5.5

-- query IT rowsort
SELECT id, quote(c) FROM t WHERE CAST(c AS TEXT) = 0

-- query IT rowsort
SELECT id, quote(a + c) FROM t WHERE a + c >= 1.5

-- query IT rowsort
SELECT id, quote(a + c) FROM t WHERE a + c = '-1'

UPDATE t SET a = a + 1 WHERE lower(b) = 'ab'

-- query IT rowsort
SELECT id, quote(a) FROM t WHERE lower(b) = 'ab'

DELETE FROM t WHERE a + c > 5

-- query I rowsort
SELECT count(*) FROM t

-- query T nosort
PRAGMA integrity_check
