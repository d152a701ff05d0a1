CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT, c, d REAL)

INSERT INTO t VALUES(1,'x',3,1.5),(2,'y',NULL,2.0),(3,'x',1,NULL),(4,'z',1,4.25),(5,'y',2,-1.0),(6,'X','abc',0.5),(7,'y',NULL,3.0),(8,'x',2.5,8.0),(9,'Y',2,NULL),(10,'z',-4,1.0)

CREATE TABLE e(x, y)

-- query II nosort
SELECT a, row_number() OVER (ORDER BY a DESC) FROM t ORDER BY a

-- query TII nosort
SELECT b, a, row_number() OVER (PARTITION BY b ORDER BY a) FROM t ORDER BY b, a

-- query TII nosort
SELECT b, a, row_number() OVER (PARTITION BY b COLLATE NOCASE ORDER BY a) FROM t ORDER BY 1 COLLATE NOCASE, 2

-- query IIII nosort
SELECT a, rank() OVER w, dense_rank() OVER w, row_number() OVER w FROM t WINDOW w AS (ORDER BY c) ORDER BY c, a

-- query IRR nosort
SELECT a, percent_rank() OVER (ORDER BY b), cume_dist() OVER (ORDER BY b) FROM t ORDER BY b, a

-- query TIRR nosort
SELECT b, a, percent_rank() OVER (PARTITION BY b ORDER BY c), cume_dist() OVER (PARTITION BY b ORDER BY c) FROM t ORDER BY b, c, a

-- query IIII nosort
SELECT a, ntile(3) OVER (ORDER BY a), ntile(4) OVER (ORDER BY a), ntile(20) OVER (ORDER BY a) FROM t ORDER BY a

-- query IIIII nosort
SELECT a, lag(a) OVER (ORDER BY a), lead(a) OVER (ORDER BY a), lag(a, 2, -1) OVER (ORDER BY a), lead(a, 3, 'none') OVER (ORDER BY a) FROM t ORDER BY a

-- query IIT nosort
SELECT a, lag(a, -1) OVER (ORDER BY a), lead(a, NULL, 'd') OVER (ORDER BY a) FROM t ORDER BY a

-- query TIII nosort
SELECT b, a, lag(a) OVER (PARTITION BY b ORDER BY a), lead(c, 1, 0) OVER (PARTITION BY b ORDER BY a) FROM t ORDER BY b, a

-- query IIII nosort
SELECT a, first_value(a) OVER (ORDER BY a ROWS BETWEEN 2 PRECEDING AND 2 FOLLOWING), last_value(a) OVER (ORDER BY a ROWS BETWEEN 2 PRECEDING AND 2 FOLLOWING), nth_value(a, 3) OVER (ORDER BY a ROWS BETWEEN 2 PRECEDING AND 2 FOLLOWING) FROM t ORDER BY a

-- query TIII nosort
SELECT b, a, first_value(a) OVER (PARTITION BY b ORDER BY a DESC), last_value(a) OVER (PARTITION BY b ORDER BY a DESC) FROM t ORDER BY b, a

-- query II nosort
SELECT a, nth_value(a, 2.0) OVER (ORDER BY a) FROM t ORDER BY a

-- query II nosort
SELECT a, nth_value(c, '2') OVER (ORDER BY a RANGE BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) FROM t ORDER BY a

-- query II nosort
SELECT a, sum(a) OVER (ORDER BY a) FROM t ORDER BY a

-- query II nosort
SELECT a, sum(a) OVER () FROM t ORDER BY a

-- query IIR nosort
SELECT a, count(c) OVER (ORDER BY a ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING), avg(a) OVER (ORDER BY a ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING) FROM t ORDER BY a

-- query IR nosort
SELECT a, total(d) OVER (ORDER BY a ROWS BETWEEN CURRENT ROW AND 2 FOLLOWING) FROM t ORDER BY a

-- query ITT nosort
SELECT a, min(c) OVER (ORDER BY a ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING), max(c) OVER (ORDER BY a ROWS BETWEEN 2 PRECEDING AND 1 PRECEDING) FROM t ORDER BY a

-- query ITT nosort
SELECT a, min(b) OVER (ORDER BY a ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING), max(b COLLATE NOCASE) OVER (ORDER BY a ROWS 3 PRECEDING) FROM t ORDER BY a

-- query IT nosort
SELECT a, group_concat(a, '.') OVER (ORDER BY a ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING EXCLUDE CURRENT ROW) FROM t ORDER BY a

-- query IT nosort
SELECT a, group_concat(b, '') OVER (ORDER BY a ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) FROM t ORDER BY a

-- query IT nosort
SELECT a, string_agg(b, a) OVER (ORDER BY a ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) FROM t ORDER BY a

-- query ITT nosort
SELECT a, c, group_concat(a) OVER (ORDER BY c GROUPS BETWEEN 1 PRECEDING AND 1 FOLLOWING EXCLUDE TIES) FROM t ORDER BY c, a

-- query ITT nosort
SELECT a, c, group_concat(a) OVER (ORDER BY c GROUPS BETWEEN 1 PRECEDING AND 1 FOLLOWING EXCLUDE GROUP) FROM t ORDER BY c, a

-- query ITI nosort
SELECT a, c, count(*) OVER (ORDER BY c RANGE BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING EXCLUDE NO OTHERS) FROM t ORDER BY c, a

-- query ITI nosort
SELECT a, c, sum(a) OVER (ORDER BY c RANGE BETWEEN 1 PRECEDING AND 1 FOLLOWING) FROM t ORDER BY c, a

-- query ITI nosort
SELECT a, c, count(*) OVER (ORDER BY c DESC RANGE BETWEEN 1 PRECEDING AND CURRENT ROW) FROM t ORDER BY c DESC, a

-- query ITI nosort
SELECT a, c, sum(a) OVER (ORDER BY c NULLS LAST RANGE BETWEEN 2 PRECEDING AND 0.5 FOLLOWING) FROM t ORDER BY c NULLS LAST, a

-- query IRI nosort
SELECT a, d, sum(a) OVER (ORDER BY d RANGE BETWEEN 1.5 PRECEDING AND 1.5 FOLLOWING) FROM t ORDER BY d, a

-- query II nosort
SELECT a, sum(a) OVER (ORDER BY a RANGE BETWEEN '1' PRECEDING AND CURRENT ROW) FROM t ORDER BY a

-- query II nosort
SELECT a, sum(a) OVER (ORDER BY a GROUPS BETWEEN 2 PRECEDING AND 1 PRECEDING) FROM t ORDER BY a

-- query II nosort
SELECT a, sum(a) OVER (ORDER BY a ROWS BETWEEN 1 FOLLOWING AND 3 FOLLOWING) FROM t ORDER BY a

-- query II nosort
SELECT a, sum(a) OVER (ORDER BY a ROWS BETWEEN UNBOUNDED PRECEDING AND 2 PRECEDING) FROM t ORDER BY a

-- query II nosort
SELECT a, count(*) OVER (ORDER BY a ROWS BETWEEN 3 PRECEDING AND 1 PRECEDING) FROM t ORDER BY a

-- query II nosort
SELECT a, count(*) OVER (ORDER BY a ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING) FROM t ORDER BY a

-- query II nosort
SELECT a, sum(a) FILTER (WHERE a % 2 = 0) OVER (ORDER BY a) FROM t ORDER BY a

-- query II nosort
SELECT a, count(*) FILTER (WHERE c IS NOT NULL) OVER (ORDER BY a ROWS BETWEEN 2 PRECEDING AND 2 FOLLOWING EXCLUDE CURRENT ROW) FROM t ORDER BY a

-- query TII nosort
SELECT b, sum(a), rank() OVER (ORDER BY sum(a) DESC) FROM t GROUP BY b ORDER BY 3, 1

-- query TII nosort
SELECT b, count(*), sum(count(*)) OVER (ORDER BY b) FROM t GROUP BY b HAVING count(*) > 1 ORDER BY b

-- query II nosort
SELECT count(*), row_number() OVER () FROM t

-- query I nosort
SELECT row_number() OVER ()

-- query I nosort
SELECT sum(a) OVER () FROM t WHERE a > 100

-- query II nosort
SELECT x, row_number() OVER (ORDER BY x) FROM e

-- query IT nosort
SELECT a, b FROM t ORDER BY row_number() OVER (ORDER BY b DESC, a)

-- query II nosort
SELECT a, a * 10 + row_number() OVER (ORDER BY a DESC) AS k FROM t ORDER BY k LIMIT 4 OFFSET 2

-- query TI nosort
SELECT DISTINCT b, count(*) OVER (PARTITION BY b) FROM t ORDER BY 1

-- query II nosort
SELECT a, (SELECT count(*) FROM t AS u WHERE u.a < t.a) + row_number() OVER (ORDER BY a) FROM t ORDER BY a

-- query II nosort
SELECT a, (SELECT max(rn) FROM (SELECT row_number() OVER (ORDER BY x.a) AS rn FROM t AS x WHERE x.a <= t.a)) FROM t ORDER BY a

-- query II nosort
SELECT a, rn FROM (SELECT a, row_number() OVER (ORDER BY a DESC) AS rn FROM t) WHERE rn <= 3 ORDER BY a

-- query IT rowsort
WITH r AS (SELECT b, a, rank() OVER (PARTITION BY b ORDER BY a DESC) AS k FROM t) SELECT a, b FROM r WHERE k = 1

CREATE VIEW v AS SELECT a, b, sum(a) OVER (PARTITION BY b ORDER BY a) AS running FROM t

-- query ITI nosort
SELECT * FROM v ORDER BY b, a

-- query II rowsort
SELECT a, row_number() OVER (ORDER BY a) FROM t WHERE a < 3 UNION ALL SELECT a, rank() OVER (ORDER BY b) FROM t WHERE a > 8

-- query IIII nosort
SELECT a, row_number() OVER (ORDER BY a), row_number() OVER (ORDER BY a DESC), row_number() OVER (PARTITION BY b ORDER BY a) FROM t ORDER BY a

-- query IIT nosort
SELECT a, sum(a) OVER (w ORDER BY a), b FROM t WINDOW w AS (PARTITION BY b) ORDER BY b, a

-- query II nosort
SELECT a, sum(a) OVER w2 FROM t WINDOW w1 AS (PARTITION BY b), w2 AS (w1 ORDER BY a ROWS 1 PRECEDING) ORDER BY a

-- query II nosort
SELECT a, max(a) OVER (ORDER BY a ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING EXCLUDE GROUP) FROM t ORDER BY a

-- query II nosort
SELECT a, sum(a) OVER (ORDER BY c ROWS UNBOUNDED PRECEDING) FROM t ORDER BY c, a

-- query II nosort
SELECT a, sum(a) OVER (ORDER BY a ROWS BETWEEN 0 PRECEDING AND 0 FOLLOWING) FROM t ORDER BY a

-- query IT nosort
SELECT a, typeof(sum(d) OVER (ORDER BY a)) FROM t ORDER BY a

INSERT INTO e VALUES(1, 'a'), (1, 'b'), (2, 'c'), (NULL, 'd'), (3, 'e'), (NULL, 'f')

-- query TII nosort
SELECT y, x, rank() OVER (ORDER BY x NULLS LAST) FROM e ORDER BY x NULLS LAST, y

-- query TIT nosort
SELECT y, x, group_concat(y) OVER (ORDER BY x DESC NULLS FIRST GROUPS CURRENT ROW) FROM e ORDER BY x DESC NULLS FIRST, y

-- query TI nosort
SELECT y, sum(x) OVER (ORDER BY x RANGE BETWEEN 1 PRECEDING AND 1 FOLLOWING) FROM e ORDER BY x, y

-- query II nosort
SELECT a, sum(a) OVER (ORDER BY a ROWS BETWEEN 1 + 1 PRECEDING AND CAST('1' AS INTEGER) FOLLOWING) FROM t ORDER BY a

-- error
SELECT a, sum(a) OVER (ORDER BY a ROWS BETWEEN 1 PRECEDING AND abs(1) FOLLOWING) FROM t

-- error
SELECT row_number() FROM t

-- error
SELECT a FROM t WHERE row_number() OVER () > 1

-- error
SELECT abs(a) OVER () FROM t

-- error
SELECT sum(a) OVER w FROM t

-- error
SELECT sum(a) OVER (w ORDER BY a) FROM t WINDOW w AS (PARTITION BY b ROWS 1 PRECEDING)

-- error
SELECT sum(a) OVER (w PARTITION BY a) FROM t WINDOW w AS (ORDER BY b)

-- error
SELECT sum(a) OVER (w ORDER BY a) FROM t WINDOW w AS (ORDER BY b)

-- error
SELECT sum(row_number() OVER ()) FROM t

-- error
SELECT count(DISTINCT a) OVER () FROM t

-- error
SELECT row_number() FILTER (WHERE a > 1) OVER (ORDER BY a) FROM t

-- error
SELECT sum(a) OVER (ORDER BY a ROWS BETWEEN 1.5 PRECEDING AND CURRENT ROW) FROM t

-- error
SELECT sum(a) OVER (ORDER BY a ROWS BETWEEN -1 PRECEDING AND CURRENT ROW) FROM t

-- error
SELECT sum(a) OVER (ORDER BY a RANGE BETWEEN 'x' PRECEDING AND CURRENT ROW) FROM t

-- error
SELECT sum(a) OVER (ORDER BY a, b RANGE BETWEEN 1 PRECEDING AND CURRENT ROW) FROM t

-- error
SELECT sum(a) OVER (ORDER BY a ROWS BETWEEN CURRENT ROW AND 1 PRECEDING) FROM t

-- error
SELECT ntile(0) OVER (ORDER BY a) FROM t

-- error
SELECT nth_value(a, 0) OVER (ORDER BY a) FROM t

-- error
SELECT ntile() OVER () FROM t

-- error
SELECT nosuchfunc(a) OVER () FROM t

-- error
SELECT a FROM t GROUP BY row_number() OVER ()

-- error
SELECT b FROM t GROUP BY b HAVING rank() OVER () > 1
