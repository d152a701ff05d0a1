CREATE TABLE t(id INTEGER PRIMARY KEY, a INT, b TEXT COLLATE NOCASE, c REAL, d)

CREATE INDEX ta ON t(a)

CREATE INDEX tbc ON t(b DESC, c)

CREATE INDEX tdab ON t(d, a DESC, b)

CREATE TABLE w(k TEXT, n INT, v, PRIMARY KEY(k, n)) WITHOUT ROWID

CREATE INDEX wv ON w(v, n)

CREATE TABLE u(x, y)

INSERT INTO t VALUES(1, -1.5, NULL, NULL, NULL), (2, x'01', 6.5, -3, '2'), (3, x'01', -1, 4, 6.5), (4, x'01', NULL, 0.5, 5), (5, NULL, NULL, 'ab', x'01'), (6, NULL, x'01', 'Ba', 4.5), (7, '1', NULL, NULL, x'01'), (8, 2.5, 4, x'01', NULL), (9, '-1', x'01', 'AB', -1.5), (10, x'01', 'Ba', NULL, NULL), (11, NULL, 'Ba', 7.5, x'01'), (12, NULL, -1.5, NULL, NULL), (13, 0, 6.5, '7', NULL), (14, -3, 1.5, 1, 'Ba'), (15, 'ab', 1.5, 4, 'AB'), (16, '7', 1, NULL, '5'), (17, NULL, 'ab', NULL, NULL), (18, x'01', '1', 5.5, NULL), (19, NULL, -1, '-2', NULL), (20, -3, 5, x'01', 0), (21, 'b', 'ab', 'AB', '3'), (22, NULL, 2, 'ab', '-3'), (23, 3, x'01', 8.5, -3.5), (24, NULL, NULL, 'b', NULL), (25, NULL, 6, NULL, 5), (26, 'AB', NULL, NULL, NULL), (27, NULL, x'01', 7, -2), (28, x'01', '4', NULL, NULL), (29, 0.5, 0.5, NULL, NULL), (30, 'b', NULL, NULL, NULL), (31, 'b', x'01', 8, 8), (32, 7, 1.5, x'01', NULL), (33, '-2', NULL, NULL, 0), (34, 2, 'b', -1, 'Ba'), (35, 'AB', '6', 6, x'01'), (36, 'Ba', 'b', '6', 7.5), (37, -3.5, '-3', 0.5, 3.5), (38, 1, '2', NULL, 2.5), (39, NULL, '6', 8, x'01'), (40, 5, NULL, NULL, x'01'), (41, NULL, x'01', '-2', NULL), (42, '5', x'01', -1, x'01'), (43, x'01', 'AB', NULL, x'01'), (44, NULL, 'Ba', 8.5, 'AB'), (45, x'01', NULL, '-1', 3), (46, NULL, NULL, 1.5, NULL), (47, 5, '-1', 'b', 'AB'), (48, 2, 'AB', NULL, 8.5), (49, 'Ba', x'01', '-2', '-1'), (50, '2', '2', 'ab', 'ab'), (51, 'b', x'01', '5', x'01'), (52, 'b', NULL, NULL, NULL), (53, '1', x'01', '2', 7), (54, '7', NULL, -2.5, 'Ba'), (55, '8', NULL, NULL, NULL), (56, -3.5, 3.5, '0', 8.5), (57, '-1', 'ab', NULL, x'01'), (58, 'b', NULL, NULL, -1.5), (59, x'01', NULL, 1.5, 'Ba'), (60, -3.5, NULL, 3.5, 0.5), (61, x'01', NULL, '7', NULL), (62, x'01', 0, 'Ba', '0'), (63, x'01', 8.5, 'Ba', -1), (64, 'ab', 7, 2.5, -3.5), (65, 5.5, '-3', NULL, '7'), (66, x'01', '2', 5.5, NULL), (67, x'01', -3.5, 4.5, -1), (68, x'01', '3', NULL, '8'), (69, 1, 'AB', NULL, NULL), (70, NULL, NULL, 4.5, 1), (71, x'01', NULL, x'01', NULL), (72, 1.5, 'Ba', 'AB', 0), (73, NULL, '4', 5.5, '2'), (74, NULL, 0, '8', -1.5), (75, NULL, 2, -3.5, x'01'), (76, '-3', '6', -3, x'01'), (77, 6.5, 6, -2, NULL), (78, 4.5, -1, NULL, '4'), (79, NULL, 4, 3, 4), (80, x'01', NULL, 'AB', 2.5), (81, NULL, 7, NULL, NULL), (82, 'AB', 1.5, NULL, 'b'), (83, 'ab', -1, NULL, 6), (84, x'01', NULL, 1.5, NULL), (85, x'01', NULL, 'b', 1), (86, x'01', NULL, NULL, 'b'), (87, NULL, '2', 'b', 1), (88, x'01', x'01', 0.5, x'01'), (89, -3, 8, x'01', x'01'), (90, NULL, NULL, '-1', '-1'), (91, NULL, 8, x'01', NULL), (92, '-1', 'b', NULL, NULL), (93, x'01', 5, x'01', NULL), (94, 5, 5, 4.5, NULL), (95, NULL, NULL, '-2', NULL), (96, 0.5, -2, 0.5, NULL), (97, '7', '-3', NULL, NULL), (98, NULL, NULL, 1.5, '6'), (99, '-3', NULL, 8.5, '4'), (100, 'ab', x'01', NULL, 2)

INSERT OR IGNORE INTO w VALUES('k', 19, 3), ('k', 16, NULL), ('m', 1, x'01'), ('k', 1, 'ab'), ('k', 16, '6'), ('m', 4, -2.5), ('k', 13, 1), ('m', 14, x'01'), ('k', 8, 5.5), ('k', 16, x'01'), ('m', 20, 'Ba'), ('m', -1, NULL), ('m', 1, -3), ('m', 0, 'ab'), ('m', 8, 1), ('k', 17, -1), ('k', 5, 5.5), ('m', 19, 'Ba'), ('k', 20, 'ab'), ('m', 15, NULL), ('k', 2, 'b'), ('m', 13, NULL), ('m', -1, 'b'), ('k', 19, 'ab'), ('k', 8, x'01'), ('k', 5, x'01'), ('m', 12, 6), ('k', 11, 3.5), ('m', 4, NULL), ('m', 3, 6.5), ('m', 11, 5), ('k', 6, -2), ('m', 16, NULL), ('k', 4, x'01'), ('k', 16, NULL), ('k', 7, 'AB'), ('k', 8, NULL), ('m', 14, NULL), ('k', 1, 8.5), ('m', 6, x'01'), ('k', 15, 'b'), ('m', 18, NULL), ('m', 5, NULL), ('m', 16, 'AB'), ('m', 8, NULL), ('k', 0, x'01'), ('k', 3, 8.5), ('m', 12, '-1'), ('m', -1, x'01'), ('m', 10, -3)

INSERT INTO u VALUES(x'01', NULL), ('0', 7.5), (-2.5, NULL), ('7', -3.5), (7.5, 'b'), ('b', 0.5), (NULL, 5), (-2.5, NULL), (x'01', 2), (-1, 'Ba')

-- query IT rowsort
SELECT id, quote(b) FROM t WHERE a IS NULL

-- query I nosort
SELECT id FROM t WHERE a IS NULL ORDER BY id DESC

-- query IT rowsort
SELECT id, quote(c) FROM t WHERE b IS NULL AND c > 2

-- query IT rowsort
SELECT id, quote(c) FROM t WHERE b IS NULL AND c IS NULL

-- query IT nosort
SELECT id, quote(c) FROM t WHERE b IS NULL ORDER BY c DESC, id

-- query IT rowsort
SELECT id, quote(b) FROM t WHERE d IS NULL AND a IS NULL

-- query IT rowsort
SELECT id, quote(b) FROM t WHERE d IS NULL AND a IS NULL AND b IS 'ab'

-- query IT rowsort
SELECT id, quote(a) FROM t WHERE d IS NULL AND a < 3

-- query IT rowsort
SELECT id, quote(a) FROM t WHERE a IS 3

-- query IT rowsort
SELECT id, quote(a) FROM t WHERE a IS '3'

-- query IT rowsort
SELECT id, quote(a) FROM t WHERE 3 IS a

-- query IT rowsort
SELECT id, quote(b) FROM t WHERE b IS 'AB'

-- query I rowsort
SELECT id FROM t WHERE id IS 7

-- query I rowsort
SELECT id FROM t WHERE id IS NULL

-- query I rowsort
SELECT id FROM t WHERE a ISNULL

-- query I rowsort
SELECT id FROM t WHERE a IS NOT NULL AND a > 5

-- query I nosort
SELECT id FROM t WHERE a IS NULL OR b IS NULL ORDER BY id

-- query I nosort
SELECT id FROM t WHERE a IS NULL OR a = 2 ORDER BY id

-- query ITT nosort
SELECT t.id, quote(u.x), quote(u.y) FROM u, t WHERE t.a IS u.x ORDER BY 1, 2, 3

-- query ITT nosort
SELECT t.id, quote(u.x), quote(u.y) FROM u CROSS JOIN t WHERE t.d IS u.x AND t.a IS u.y ORDER BY 1, 2, 3

-- query TT nosort
SELECT k, n FROM w WHERE v IS NULL ORDER BY k, n

-- query TT nosort
SELECT k, n FROM w WHERE v IS NULL AND n > 5 ORDER BY n

-- query IT rowsort
SELECT id, quote(b) FROM t WHERE d IS NULL AND a IS 2

-- query IT rowsort
SELECT id, quote(a) FROM t WHERE a IS 'Ba'

-- query IT rowsort
SELECT id, quote(c) FROM t WHERE b IS NULL AND c < 'ab'

-- query IT rowsort
SELECT id, quote(c) FROM t WHERE b IS 2 AND c IS NULL

-- query IT rowsort
SELECT id, quote(b) FROM t WHERE d IS '6' AND a <= '5'

-- query IT rowsort
SELECT id, quote(b) FROM t WHERE d IS 8.5 AND a > NULL

-- query IT rowsort
SELECT id, quote(a) FROM t WHERE a IS '6'

-- query IT rowsort
SELECT id, quote(a) FROM t WHERE a IS -1.5

-- query IT rowsort
SELECT id, quote(b) FROM t WHERE d IS 3 AND a IS x'01'

-- query IT rowsort
SELECT id, quote(b) FROM t WHERE d IS 'AB' AND a > x'01'

-- query IT rowsort
SELECT id, quote(b) FROM t WHERE d IS -3.5 AND a > '1'

-- query IT rowsort
SELECT id, quote(b) FROM t WHERE d IS '-3' AND a IS '-2'

-- query IT rowsort
SELECT id, quote(b) FROM t WHERE d IS 7.5 AND a > NULL

-- query IT rowsort
SELECT id, quote(b) FROM t WHERE d IS 'b' AND a IS NULL

-- query IT rowsort
SELECT id, quote(b) FROM t WHERE d IS '5' AND a IS 'b'

-- query IT rowsort
SELECT id, quote(b) FROM t WHERE d IS 'b' AND a >= -2

-- query IT rowsort
SELECT id, quote(b) FROM t WHERE d IS NULL AND a > NULL

-- query IT rowsort
SELECT id, quote(c) FROM t WHERE b IS 1.5 AND c IS 'Ba'

-- query IT rowsort
SELECT id, quote(a) FROM t WHERE a IS 7

-- query IT rowsort
SELECT id, quote(c) FROM t WHERE b IS NULL AND c < 3.5

-- query IT rowsort
SELECT id, quote(b) FROM t WHERE d IS 'b' AND a <= NULL

-- query IT rowsort
SELECT id, quote(a) FROM t WHERE a IS 4

-- query IT rowsort
SELECT id, quote(b) FROM t WHERE d IS NULL AND a IS 'ab'

-- query IT rowsort
SELECT id, quote(b) FROM t WHERE d IS NULL AND a IS 'ab'

-- query IT rowsort
SELECT id, quote(a) FROM t WHERE a IS x'01'

-- query IT rowsort
SELECT id, quote(b) FROM t WHERE d IS x'01' AND a <= '-2'

-- query IT rowsort
SELECT id, quote(a) FROM t WHERE a IS NULL

-- query IT rowsort
SELECT id, quote(b) FROM t WHERE d IS NULL AND a IS -3.5

-- query IT rowsort
SELECT id, quote(a) FROM t WHERE a IS '7'

-- query IT rowsort
SELECT id, quote(b) FROM t WHERE d IS '1' AND a <= '4'

-- query IT rowsort
SELECT id, quote(b) FROM t WHERE d IS x'01' AND a IS 'b'

-- query IT rowsort
SELECT id, quote(b) FROM t WHERE d IS 5.5 AND a <= NULL

-- query IT rowsort
SELECT id, quote(c) FROM t WHERE b IS x'01' AND c IS '3'

-- query IT rowsort
SELECT id, quote(c) FROM t WHERE b IS NULL AND c < x'01'

-- query IT rowsort
SELECT id, quote(a) FROM t WHERE a IS '7'

-- query IT rowsort
SELECT id, quote(b) FROM t WHERE d IS 'b' AND a <= x'01'

-- query IT rowsort
SELECT id, quote(b) FROM t WHERE d IS NULL AND a IS NULL

-- query IT rowsort
SELECT id, quote(b) FROM t WHERE d IS x'01' AND a IS '5'

-- query IT rowsort
SELECT id, quote(b) FROM t WHERE d IS 'b' AND a IS '0'

-- query IT rowsort
SELECT id, quote(c) FROM t WHERE b IS 0 AND c < 4.5

-- query IT rowsort
SELECT id, quote(a) FROM t WHERE a IS NOT NULL AND a < 4

-- query IT nosort
SELECT id, quote(a) FROM t WHERE a NOTNULL AND a <= '2' ORDER BY a DESC, id

-- query IT rowsort
SELECT id, quote(b) FROM t WHERE b IS NOT NULL AND b < 'b'

-- query IT rowsort
SELECT id, quote(b) FROM t WHERE b IS NOT NULL AND b > 'b'

-- query IT rowsort
SELECT id, quote(a) FROM t WHERE d IS NULL AND a IS NOT NULL AND a < 3

-- query IT rowsort
SELECT id, quote(a) FROM t WHERE a IS NOT NULL

UPDATE t SET c = -1 WHERE a IS NULL AND id > 50

-- query I rowsort
SELECT id FROM t WHERE c = -1

DELETE FROM t WHERE b IS NULL AND c IS NULL

-- query I rowsort
SELECT count(*) FROM t
