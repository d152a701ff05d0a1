CREATE TABLE t(id INTEGER PRIMARY KEY, a INT, b TEXT COLLATE NOCASE, c REAL, d)

CREATE INDEX ta ON t(a DESC)

CREATE INDEX tbc ON t(b, c DESC)

CREATE INDEX tcd ON t(c DESC, d)

CREATE INDEX tdb ON t(d DESC, b DESC)

CREATE TABLE w(a INT, b TEXT COLLATE NOCASE, c, PRIMARY KEY(a DESC, b)) WITHOUT ROWID

CREATE TABLE w2(k TEXT, n INT, v, PRIMARY KEY(k, n DESC)) WITHOUT ROWID

CREATE TABLE s(x INTEGER PRIMARY KEY, y INT)

INSERT INTO t VALUES(1, '2', '-4', x'01', 2.5), (2, 'x', '5', '14', 2.5), (3, 13, NULL, -2, '4'), (4, 'x', '13', '5', 9.5), (5, '-5', 8.5, NULL, 7), (6, '0', '-1', 'C', 3.5), (7, -3, x'01', x'01', 13), (8, 'x', 15.5, -5, 'c'), (9, 'x', 'Ba', x'01', NULL), (10, 8, '5', 'AB', NULL), (11, 'x', x'01', 10, '12'), (12, -5.5, 1, -2.5, x'01'), (13, 14.5, '3', 6.5, NULL), (14, 'x', 'AB', 9.5, NULL), (15, NULL, 2, '10', x'01'), (16, NULL, x'01', 2, 'c'), (17, '4', NULL, '-2', 5), (18, '10', 2.5, 3.5, 4), (19, '8', 'Ba', 'AB', 6), (20, -3, '10', NULL, -3), (21, NULL, 6.5, 7.5, 8.5), (22, 2, 'Ba', -5.5, -4.5), (23, '11', 'Ba', NULL, 10), (24, NULL, '5', 6, NULL), (25, -5, -4, NULL, 0.5), (26, NULL, x'01', 'b', 'AB'), (27, '3', NULL, 4.5, NULL), (28, -4.5, '-4', '0', 15.5), (29, 'x', x'01', NULL, x'01'), (30, 6, 11, -3.5, 15), (31, '0', '13', 5.5, NULL), (32, 5.5, x'01', 7, '0'), (33, 'x', 'ab', 'C', NULL), (34, NULL, NULL, -5, '9'), (35, 'x', 10.5, NULL, x'01'), (36, NULL, x'01', x'01', 14.5), (37, 'x', NULL, '12', 4), (38, 1, '12', x'01', 'C'), (39, 'x', '6', 'AB', 5), (40, 9, 'b', x'01', x'01'), (41, '11', NULL, '2', -4), (42, 3, 2.5, x'01', 14), (43, -5.5, 'C', 15.5, 5), (44, '6', x'01', 3, 'C'), (45, 13.5, '7', 6.5, 'C'), (46, 5.5, NULL, -5, NULL), (47, 0, 'Ba', 'C', NULL), (48, 2.5, NULL, x'01', 'ab'), (49, NULL, -3, 'AB', 'b'), (50, 8, '7', 'c', NULL), (51, '8', NULL, 'b', -2), (52, 'x', '2', 'b', NULL), (53, 0.5, -5, 'C', 14), (54, 'x', x'01', x'01', 'AB'), (55, NULL, NULL, NULL, x'01'), (56, NULL, 15, '7', -2.5), (57, 2, 'ab', 0, -2.5), (58, 3.5, 6, 'b', '12'), (59, '3', 15.5, 'C', 1.5), (60, '7', NULL, '4', 10), (61, 11.5, '14', -5, 11.5), (62, 10.5, 1, 'b', '11'), (63, 14, x'01', x'01', '7'), (64, NULL, x'01', NULL, 'AB'), (65, NULL, -4.5, '0', '9'), (66, 2, '9', x'01', x'01'), (67, NULL, '12', NULL, x'01'), (68, '8', 8, 'c', NULL), (69, -1, -1.5, '15', 15.5), (70, 'x', x'01', -2, x'01'), (71, 'x', 1.5, 5, '3'), (72, 'x', -1.5, x'01', 10.5), (73, NULL, 'Ba', '14', x'01'), (74, 'x', 4, x'01', 4.5), (75, '12', '12', NULL, '12'), (76, NULL, x'01', '10', NULL), (77, 13.5, '11', -4, 'Ba'), (78, -1.5, NULL, x'01', x'01'), (79, 'x', NULL, 5.5, NULL), (80, 'x', '5', 'b', 'ab'), (81, 8, 11, '-2', 13), (82, 13, x'01', 8.5, 0), (83, 1, 'Ba', '11', x'01'), (84, 15, 'c', NULL, '13'), (85, 4.5, x'01', 'AB', 'b'), (86, NULL, 9, x'01', '13'), (87, NULL, 'ab', 'b', 5), (88, 'x', 12, x'01', '6'), (89, 'x', 'ab', '3', 'c'), (90, 'x', NULL, '11', -5.5), (91, 12, 13, 13, -3.5), (92, 11, 4.5, '8', '15'), (93, 6.5, -4, NULL, 0), (94, 15, 8.5, NULL, 10), (95, 11, 11.5, '9', 'Ba'), (96, 6, 15, x'01', x'01'), (97, 6, '9', 'ab', 1), (98, 11, 0, 2, x'01'), (99, '13', -2, 13, 15), (100, NULL, 15, NULL, NULL), (101, '2', NULL, 'b', NULL), (102, -3, NULL, '15', 14.5), (103, NULL, 8.5, NULL, 'b'), (104, 8.5, -2, 0, '-3'), (105, 8, '3', 'ab', NULL), (106, 7.5, '6', NULL, 2), (107, 0.5, x'01', NULL, NULL), (108, 'x', 'ab', '6', x'01'), (109, NULL, x'01', 11.5, '-3'), (110, 9.5, x'01', x'01', x'01'), (111, NULL, x'01', 1, 3.5), (112, NULL, 'C', -1, NULL), (113, 1.5, NULL, x'01', 13), (114, 13, 7.5, '8', x'01'), (115, 0, x'01', x'01', 9), (116, 2.5, NULL, '13', NULL), (117, NULL, 'b', 'b', 'c'), (118, 13, 8, x'01', NULL), (119, '2', 7.5, NULL, '3'), (120, 2, '-1', 2.5, NULL)

INSERT OR IGNORE INTO w VALUES(7, '5', x'01'), (14, 'D', 'c'), (2, 'B', x'01'), (10, 'c', 'ab'), (-2, 'D', x'01'), (1, 'c', 13.5), (3, 'a', NULL), (-5, '3', x'01'), (7, 'D', x'01'), (-1, 'c', 'b'), (5, '4', 'b'), (-4, 'B', x'01'), (-5, 'B', '0'), (9, '1', 3), (-5, '4', NULL), (-4, 'c', x'01'), (8, 'B', 'c'), (-1, 'a', x'01'), (11, 'a', x'01'), (2, '0', x'01'), (-4, '1', 14), (9, 'B', 15), (15, '0', -4), (3, '4', x'01'), (-5, 'a', NULL), (10, 'D', '10'), (-3, 'B', NULL), (-3, '4', NULL), (14, 'B', '-4'), (15, 'D', x'01'), (6, 'B', 6), (5, 'a', 'b'), (2, 'a', 'AB'), (5, 'c', 2), (7, 'B', '6'), (12, 'c', '15'), (11, 'c', NULL), (-3, 'D', x'01'), (6, 'a', 'b'), (15, 'B', -3.5), (11, '4', 10.5), (8, '3', x'01'), (14, '1', x'01'), (-2, 'a', x'01'), (8, 'c', 'c'), (10, 'B', '10'), (4, 'D', 'Ba'), (10, '1', x'01'), (-1, 'B', 'c'), (-3, '0', NULL), (3, 'B', -1.5), (7, 'a', NULL), (13, 'D', '6'), (11, 'D', NULL), (14, 'a', 'b'), (12, 'B', 6.5), (5, '2', '-3'), (11, '3', 8), (9, '2', 1), (11, 'B', 6.5)

INSERT OR IGNORE INTO w2 VALUES('m', '3', 3.5), ('m', 1.5, x'01'), ('m', '-3', '8'), ('k', 'z', x'01'), ('m', 11.5, x'01'), ('m', -2.5, 'b'), ('m', -5, 'c'), ('k', '-3', 11.5), ('k', 12, x'01'), ('k', '3', 15.5), ('k', 9, x'01'), ('m', 4.5, x'01'), ('m', 'z', 5.5), ('m', 13, '-5'), ('m', 5, 12), ('m', 3.5, x'01'), ('k', 2, 'ab'), ('k', 13.5, -1), ('m', '9', x'01'), ('k', -1.5, 0.5), ('m', '-2', 'ab'), ('k', 5.5, '-5'), ('k', 3.5, NULL), ('k', 7.5, NULL), ('k', 2.5, x'01'), ('k', '2', NULL), ('k', '13', 6.5), ('m', '11', 'ab'), ('k', 14, NULL), ('m', '-1', 7), ('m', '8', 2), ('k', 6.5, 2), ('m', 0, -3), ('m', 11, x'01'), ('m', 2.5, '-3'), ('k', '-2', x'01'), ('k', 7, 12), ('m', 6.5, 3.5), ('m', -3, NULL), ('m', '1', NULL), ('k', -4, 'c'), ('k', -1, 'b'), ('k', 4.5, 'Ba'), ('m', 12, x'01'), ('k', '14', '-4'), ('m', '6', x'01'), ('k', 11.5, -4), ('m', 10.5, 0.5), ('m', 9.5, 3), ('k', 11, 4), ('k', 1.5, 'b'), ('k', '0', NULL), ('m', '7', NULL), ('k', 9.5, NULL), ('m', 9, 'b'), ('k', 10.5, x'01'), ('k', '9', -1), ('k', '-4', 0.5), ('m', 6, NULL), ('m', '14', 11)

INSERT INTO s VALUES(1, -2), (2, 15), (3, 1), (4, -1), (5, 10), (6, 3), (7, 10), (8, -4), (9, 11), (10, -6), (11, 9), (12, -3)

-- query IT rowsort
SELECT id, quote(a) FROM t WHERE a > 5

-- query IT rowsort
SELECT id, quote(a) FROM t WHERE a < 5

-- query IT rowsort
SELECT id, quote(a) FROM t WHERE a >= '3' AND a <= 7.5

-- query IT rowsort
SELECT id, quote(a) FROM t WHERE a BETWEEN 0 AND 4

-- query IT nosort
SELECT id, quote(a) FROM t WHERE a > 5 ORDER BY a

-- query IT nosort
SELECT id, quote(a) FROM t WHERE a > 5 ORDER BY a DESC

-- query IT nosort
SELECT id, quote(a) FROM t WHERE a < 5 ORDER BY a LIMIT 4

-- query IT nosort
SELECT id, quote(a) FROM t WHERE a < 5 ORDER BY a DESC LIMIT 4

-- query IT rowsort
SELECT id, quote(a) FROM t WHERE a > 'a'

-- query IT rowsort
SELECT id, quote(a) FROM t WHERE a < NULL

-- query IT rowsort
SELECT id, quote(a) FROM t WHERE a IS NULL

-- query IT rowsort
SELECT id, quote(b) FROM t WHERE b > 'B' AND b < 'c'

-- query IT nosort
SELECT id, quote(c) FROM t WHERE b = 'ab' AND c > 0 ORDER BY c

-- query IT nosort
SELECT id, quote(c) FROM t WHERE b = 'ab' AND c > 0 ORDER BY c DESC

-- query IT nosort
SELECT id, quote(c) FROM t WHERE b = 'AB' AND c < '9' ORDER BY b, c

-- query IT rowsort
SELECT id, quote(d) FROM t WHERE d > 3 AND d <= 'b'

-- query IT rowsort
SELECT id, quote(d) FROM t WHERE d > 3 AND d <= 'b' COLLATE NOCASE

-- query ITT nosort
SELECT s.x, t.id, quote(t.a) FROM s, t WHERE t.a > s.y AND t.a < s.y + 2 ORDER BY s.x, t.id

-- query ITT nosort
SELECT s.x, t.id, quote(t.c) FROM s CROSS JOIN t WHERE t.c <= s.y ORDER BY s.x, t.id

-- query TT nosort
SELECT a, b FROM w WHERE a > 10

-- query TT nosort
SELECT a, b FROM w WHERE a < 0 ORDER BY a

-- query TT nosort
SELECT a, b FROM w WHERE a BETWEEN 2 AND 6 ORDER BY a DESC, b DESC

-- query TT nosort
SELECT a, b FROM w WHERE a = 3 AND b > 'a'

-- query TT nosort
SELECT quote(n), quote(v) FROM w2 WHERE k = 'k' AND n > 3

-- query TT nosort
SELECT quote(n), quote(v) FROM w2 WHERE k = 'm' AND n <= '5' ORDER BY n

-- query TT nosort
SELECT quote(n), quote(v) FROM w2 WHERE k = 'm' AND n < 4 ORDER BY k DESC, n DESC

-- query I nosort
SELECT id FROM t WHERE a > 12 OR d < 0 ORDER BY id

-- query I nosort
SELECT id FROM t WHERE a IN (3, 4, '5') AND id > 0 ORDER BY id

-- query IT nosort
SELECT id, quote(c) FROM t WHERE b = 'c' AND '2' >= c ORDER BY c

-- query IT rowsort
SELECT id, quote(b) FROM t WHERE b BETWEEN x'01' AND x'01'

-- query TT nosort
SELECT quote(n), quote(v) FROM w2 WHERE k = 'k' AND n >= NULL ORDER BY n DESC

-- query ITT nosort
SELECT s.x, t.id, quote(t.a) FROM s, t WHERE t.a > s.y AND t.a < s.y + 1 ORDER BY 1, 2

-- query IT rowsort
SELECT id, quote(a) FROM t WHERE '6' >= a

-- query IT nosort
SELECT id, quote(c) FROM t WHERE b = NULL AND c >= NULL ORDER BY c LIMIT 3

-- query TT nosort
SELECT a, b FROM w WHERE a <= -4 ORDER BY a DESC, b DESC

-- query I nosort
SELECT id FROM t WHERE (a >= 'Ba' AND a <= x'01') OR (NULL < d) ORDER BY id

-- query ITT nosort
SELECT s.x, t.id, quote(t.a) FROM s, t WHERE t.a >= s.y AND t.a < s.y + 1 ORDER BY 1, 2

-- query IT rowsort
SELECT id, quote(b) FROM t WHERE b BETWEEN x'01' AND 10.5

-- query ITT nosort
SELECT s.x, t.id, quote(t.a) FROM s, t WHERE t.a > s.y AND t.a < s.y + 0 ORDER BY 1, 2

-- query TT nosort
SELECT a, b FROM w WHERE 'b' <= a ORDER BY a, b

-- query IT rowsort
SELECT id, quote(a) FROM t WHERE a >= 0.5

-- query I nosort
SELECT id FROM t WHERE ('c' > a) OR (d <= x'01') ORDER BY id

-- query IT rowsort
SELECT id, quote(a) FROM t WHERE '-4' < a

-- query IT rowsort
SELECT id, quote(a) FROM t WHERE a < 14.5

-- query TT nosort
SELECT a, b FROM w WHERE a >= '5' ORDER BY a, b

-- query TT nosort
SELECT quote(n), quote(v) FROM w2 WHERE k = 'm' AND n >= 'Ba' AND n <= NULL ORDER BY n DESC

-- query I nosort
SELECT id FROM t WHERE ('2' <= a) OR (d < 4) ORDER BY id

-- query IT nosort
SELECT id, quote(a) FROM t WHERE a <= 'AB' ORDER BY a DESC, id LIMIT 3

-- query IT nosort
SELECT id, quote(c) FROM t WHERE b = NULL AND c > x'01' ORDER BY c LIMIT 3

-- query TT nosort
SELECT a, b FROM w WHERE a >= 14.5 ORDER BY a, b

-- query I nosort
SELECT id FROM t WHERE (a >= 'b' AND a <= '11') OR (d BETWEEN -1.5 AND 8.5) ORDER BY id

-- query TT nosort
SELECT a, b FROM w WHERE 9 <= a ORDER BY a DESC, b DESC

-- query IT nosort
SELECT id, quote(a) FROM t WHERE a BETWEEN '13' AND NULL ORDER BY a, id

-- query ITT nosort
SELECT s.x, t.id, quote(t.a) FROM s, t WHERE t.a > s.y AND t.a <= s.y + 2 ORDER BY 1, 2

-- query IT rowsort
SELECT id, quote(b) FROM t WHERE b > x'01'

-- query TT nosort
SELECT a, b FROM w WHERE x'01' >= a ORDER BY a DESC, b DESC

-- query ITT nosort
SELECT s.x, t.id, quote(t.a) FROM s, t WHERE t.a > s.y AND t.a <= s.y + 3 ORDER BY 1, 2

-- query I nosort
SELECT id FROM t WHERE (a > NULL) OR (d >= '12' AND d < 2.5) ORDER BY id

-- query IT rowsort
SELECT id, quote(a) FROM t WHERE NULL < a

-- query IT rowsort
SELECT id, quote(d) FROM t WHERE c = x'01' AND x'01' >= d

-- query TT nosort
SELECT quote(n), quote(v) FROM w2 WHERE k = 'k' AND x'01' <= n ORDER BY n DESC

-- query I nosort
SELECT id FROM t WHERE (a <= NULL) OR (d BETWEEN NULL AND 'ab') ORDER BY id

-- query TT nosort
SELECT quote(n), quote(v) FROM w2 WHERE k = 'm' AND n BETWEEN -3 AND '-2' ORDER BY n

-- query IT nosort
SELECT id, quote(c) FROM t WHERE b = 4.5 AND c < 'Ba' ORDER BY c DESC LIMIT 3

-- query ITT nosort
SELECT s.x, t.id, quote(t.a) FROM s, t WHERE t.a > s.y AND t.a < s.y + 1 ORDER BY 1, 2

-- query IT rowsort
SELECT id, quote(d) FROM t WHERE c = 'C' AND d BETWEEN 'c' AND NULL

-- query ITT nosort
SELECT s.x, t.id, quote(t.a) FROM s, t WHERE t.a > s.y AND t.a < s.y + 2 ORDER BY 1, 2

-- query ITT nosort
SELECT s.x, t.id, quote(t.a) FROM s, t WHERE t.a > s.y AND t.a < s.y + 2 ORDER BY 1, 2

-- query I nosort
SELECT id FROM t WHERE (a <= x'01') OR (d BETWEEN '-3' AND 'C') ORDER BY id

-- query IT nosort
SELECT id, quote(a) FROM t WHERE a > NULL AND a < '11' ORDER BY a DESC, id LIMIT 3

-- query IT rowsort
SELECT id, quote(a) FROM t WHERE a BETWEEN NULL AND 'C'

-- query TT nosort
SELECT quote(n), quote(v) FROM w2 WHERE k = 'm' AND n < 'c' ORDER BY n

-- query IT nosort
SELECT id, quote(a) FROM t WHERE a >= 9.5 AND a <= x'01' ORDER BY a, id

-- query TT nosort
SELECT quote(n), quote(v) FROM w2 WHERE k = 'm' AND n <= -5 ORDER BY n DESC

-- query I nosort
SELECT id FROM t WHERE (a BETWEEN NULL AND -2.5) OR (d <= NULL) ORDER BY id

-- query TT nosort
SELECT quote(n), quote(v) FROM w2 WHERE k = 'k' AND '0' >= n ORDER BY n DESC

-- query IT rowsort
SELECT id, quote(a) FROM t WHERE a <= 3

-- query IT rowsort
SELECT id, quote(a) FROM t WHERE a BETWEEN x'01' AND '10'

-- query I nosort
SELECT id FROM t WHERE (a BETWEEN NULL AND '-5') OR (d BETWEEN NULL AND 'AB') ORDER BY id

-- query IT rowsort
SELECT id, quote(b) FROM t WHERE b BETWEEN 15 AND 15.5

-- query TT nosort
SELECT a, b FROM w WHERE a > 'c' ORDER BY a DESC, b DESC

-- query ITT nosort
SELECT s.x, t.id, quote(t.a) FROM s, t WHERE t.a >= s.y AND t.a <= s.y + 2 ORDER BY 1, 2

-- query IT rowsort
SELECT id, quote(a) FROM t WHERE a BETWEEN 'c' AND NULL

-- query TT nosort
SELECT a, b FROM w WHERE a >= '-1' AND a < 14.5 ORDER BY a DESC, b DESC

-- query ITT nosort
SELECT s.x, t.id, quote(t.a) FROM s, t WHERE t.a > s.y AND t.a <= s.y + 0 ORDER BY 1, 2

-- query TT nosort
SELECT a, b FROM w WHERE '-1' < a ORDER BY a, b

-- query TT nosort
SELECT a, b FROM w WHERE a >= 13 AND a <= '-5' ORDER BY a DESC, b DESC

-- query ITT nosort
SELECT s.x, t.id, quote(t.a) FROM s, t WHERE t.a > s.y AND t.a <= s.y + 3 ORDER BY 1, 2

-- query IT rowsort
SELECT id, quote(a) FROM t WHERE x'01' < a

-- query IT nosort
SELECT id, quote(a) FROM t WHERE a BETWEEN 8 AND NULL ORDER BY a, id LIMIT 3

-- query IT rowsort
SELECT id, quote(a) FROM t WHERE a >= x'01' AND a < NULL

-- query IT nosort
SELECT id, quote(c) FROM t WHERE b = 10.5 AND c > 'C' AND c < 'ab' ORDER BY c DESC LIMIT 3

-- query TT nosort
SELECT quote(n), quote(v) FROM w2 WHERE k = 'k' AND n > '10' AND n < '10' ORDER BY n

-- query ITT nosort
SELECT s.x, t.id, quote(t.a) FROM s, t WHERE t.a > s.y AND t.a <= s.y + 0 ORDER BY 1, 2

-- query IT rowsort
SELECT id, quote(a) FROM t WHERE a >= -3 AND a <= 11

-- query IT nosort
SELECT id, quote(a) FROM t WHERE a > '-2' AND a <= 'c' ORDER BY a, id LIMIT 3

-- query TT nosort
SELECT quote(n), quote(v) FROM w2 WHERE k = 'k' AND '1' < n ORDER BY n

-- query ITT nosort
SELECT s.x, t.id, quote(t.a) FROM s, t WHERE t.a >= s.y AND t.a <= s.y + 2 ORDER BY 1, 2

-- query IT rowsort
SELECT id, quote(b) FROM t WHERE -4.5 < b

-- query TT nosort
SELECT quote(n), quote(v) FROM w2 WHERE k = 'm' AND n BETWEEN '3' AND 5 ORDER BY n

-- query IT rowsort
SELECT id, quote(b) FROM t WHERE x'01' >= b

-- query IT nosort
SELECT id, quote(c) FROM t WHERE b = 'Ba' AND x'01' <= c ORDER BY c

-- query TT nosort
SELECT quote(n), quote(v) FROM w2 WHERE k = 'k' AND n BETWEEN 15 AND x'01' ORDER BY n

-- query IT nosort
SELECT id, quote(c) FROM t WHERE b = x'01' AND c >= x'01' AND c < 'C' ORDER BY c DESC LIMIT 3

-- query IT nosort
SELECT id, quote(a) FROM t WHERE 'b' > a ORDER BY a DESC, id

-- query I nosort
SELECT id FROM t WHERE (a BETWEEN '13' AND 'c') OR (d > 'C') ORDER BY id

-- query IT nosort
SELECT id, quote(c) FROM t WHERE b = NULL AND c BETWEEN 4.5 AND x'01' ORDER BY c DESC LIMIT 3

-- query ITT nosort
SELECT s.x, t.id, quote(t.a) FROM s, t WHERE t.a >= s.y AND t.a <= s.y + 1 ORDER BY 1, 2

-- query TT nosort
SELECT quote(n), quote(v) FROM w2 WHERE k = 'm' AND NULL < n ORDER BY n DESC

-- query IT nosort
SELECT id, quote(a) FROM t WHERE a BETWEEN '-3' AND '13' ORDER BY a DESC, id

-- query ITT nosort
SELECT s.x, t.id, quote(t.a) FROM s, t WHERE t.a >= s.y AND t.a < s.y + 0 ORDER BY 1, 2

-- query IT rowsort
SELECT id, quote(b) FROM t WHERE b BETWEEN 'AB' AND x'01'

-- query ITT nosort
SELECT s.x, t.id, quote(t.a) FROM s, t WHERE t.a > s.y AND t.a <= s.y + 1 ORDER BY 1, 2

-- query I nosort
SELECT id FROM t WHERE ('ab' < a) OR (d <= NULL) ORDER BY id

-- query IT rowsort
SELECT id, quote(a) FROM t WHERE a BETWEEN -1 AND NULL

-- query IT rowsort
SELECT id, quote(b) FROM t WHERE NULL >= b

-- query TT nosort
SELECT quote(n), quote(v) FROM w2 WHERE k = 'k' AND x'01' >= n ORDER BY n

-- query TT nosort
SELECT a, b FROM w WHERE a <= 'ab' ORDER BY a, b

-- query IT nosort
SELECT id, quote(a) FROM t WHERE a <= '11' ORDER BY a, id

-- query IT nosort
SELECT id, quote(a) FROM t WHERE NULL > a ORDER BY a, id

-- query IT nosort
SELECT id, quote(a) FROM t WHERE x'01' >= a ORDER BY a, id

-- query IT nosort
SELECT id, quote(c) FROM t WHERE b = 'ab' AND NULL >= c ORDER BY c DESC

-- query ITT nosort
SELECT s.x, t.id, quote(t.a) FROM s, t WHERE t.a > s.y AND t.a <= s.y + 3 ORDER BY 1, 2

-- query I nosort
SELECT id FROM t WHERE (a BETWEEN '7' AND 2.5) OR (15.5 > d) ORDER BY id

-- query IT rowsort
SELECT id, quote(d) FROM t WHERE c = -2 AND NULL < d

-- query TT nosort
SELECT quote(n), quote(v) FROM w2 WHERE k = 'k' AND n > x'01' AND n <= x'01' ORDER BY n

-- query ITT nosort
SELECT s.x, t.id, quote(t.a) FROM s, t WHERE t.a > s.y AND t.a <= s.y + 2 ORDER BY 1, 2

-- query TT nosort
SELECT a, b FROM w WHERE a BETWEEN '1' AND 6 ORDER BY a, b

-- query TT nosort
SELECT a, b FROM w WHERE a > 8.5 AND a < 1 ORDER BY a DESC, b DESC

-- query IT rowsort
SELECT id, quote(d) FROM t WHERE c = NULL AND 1.5 > d

-- query IT rowsort
SELECT id, quote(a) FROM t WHERE '15' <= a

-- query IT rowsort
SELECT id, quote(d) FROM t WHERE c = '7' AND d BETWEEN 'ab' AND 5

-- query TT nosort
SELECT a, b FROM w WHERE a BETWEEN x'01' AND 'b' ORDER BY a, b

-- query TT nosort
SELECT quote(n), quote(v) FROM w2 WHERE k = 'k' AND n > x'01' AND n < 'b' ORDER BY n DESC

-- query ITT nosort
SELECT s.x, t.id, quote(t.a) FROM s, t WHERE t.a > s.y AND t.a <= s.y + 0 ORDER BY 1, 2

-- query I nosort
SELECT id FROM t WHERE (a < '5') OR ('b' > d) ORDER BY id

-- query IT rowsort
SELECT id, quote(a) FROM t WHERE a > 5.5 AND a <= NULL

-- query IT rowsort
SELECT id, quote(a) FROM t WHERE x'01' <= a

UPDATE t SET d = 'changed' WHERE a > 10 AND a < 13

-- query IT rowsort
SELECT id, quote(a) FROM t WHERE d = 'changed'

DELETE FROM w WHERE a < 2 AND a > -2

-- query TT nosort
SELECT a, b FROM w ORDER BY a, b

UPDATE w2 SET v = n WHERE k = 'k' AND n BETWEEN 0 AND 6

-- query TT nosort
SELECT quote(n), quote(v) FROM w2 WHERE k = 'k' ORDER BY n
