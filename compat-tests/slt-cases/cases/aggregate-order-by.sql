CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT, c, d REAL)

INSERT INTO t VALUES(1,'x',3,1.5),(2,'y',NULL,2.0),(3,'x',1,NULL),(4,'z',1,4.25),(5,'y',2,-1.0),(6,'X','abc',0.5),(7,'y',NULL,3.0),(8,'x',2.5,8.0),(9,'Y',2,NULL),(10,'z',-4,1.0)

-- query T nosort
SELECT group_concat(a ORDER BY c) FROM t

-- query T nosort
SELECT group_concat(a, '-' ORDER BY c DESC, a) FROM t

-- query T nosort
SELECT group_concat(a ORDER BY c DESC NULLS LAST) FROM t

-- query T nosort
SELECT group_concat(a ORDER BY c NULLS LAST, a DESC) FROM t

-- query TT nosort
SELECT b, group_concat(a ORDER BY d DESC) FROM t GROUP BY b ORDER BY b

-- query TT nosort
SELECT b COLLATE NOCASE, string_agg(a, ',' ORDER BY a DESC) FROM t GROUP BY 1 ORDER BY 1

-- query T nosort
SELECT group_concat(DISTINCT b ORDER BY b) FROM t

-- query T nosort
SELECT group_concat(b ORDER BY b COLLATE NOCASE DESC) FROM t

-- query T nosort
SELECT group_concat(a ORDER BY 1) FROM t

-- query T nosort
SELECT group_concat(a ORDER BY c) FILTER (WHERE a > 3) FROM t

-- query TTIT nosort
SELECT b, group_concat(a ORDER BY a DESC), max(a), c FROM t GROUP BY b ORDER BY b

-- query T nosort
SELECT group_concat(c ORDER BY d, a) FROM t WHERE 0

-- query T nosort
SELECT (SELECT group_concat(u.a ORDER BY u.c DESC) FROM t AS u WHERE u.b = t.b) FROM t WHERE a = 1

-- query IT nosort
SELECT count(*), group_concat(c, b ORDER BY d) FROM t

-- error
SELECT group_concat(a ORDER BY sum(a)) FROM t

-- error
SELECT sum(a ORDER BY c) OVER () FROM t

-- error
SELECT abs(a ORDER BY c) FROM t
