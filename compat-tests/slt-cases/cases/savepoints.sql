CREATE TABLE t(a INTEGER PRIMARY KEY, b)

SAVEPOINT one

INSERT INTO t VALUES(1, 'a')

SAVEPOINT two

INSERT INTO t VALUES(2, 'b')

-- query IT nosort
SELECT * FROM t ORDER BY a

ROLLBACK TO two

-- query IT nosort
SELECT * FROM t ORDER BY a

INSERT INTO t VALUES(3, 'c')

SAVEPOINT Two

UPDATE t SET b = upper(b)

RELEASE two

-- query IT nosort
SELECT * FROM t ORDER BY a

-- error
RELEASE nosuch

-- error
ROLLBACK TO nosuch

-- error
BEGIN

ROLLBACK TRANSACTION TO SAVEPOINT one

-- query I nosort
SELECT count(*) FROM t

INSERT INTO t VALUES(4, 'd')

RELEASE SAVEPOINT one

-- error
RELEASE one

-- query IT nosort
SELECT * FROM t ORDER BY a

BEGIN

INSERT INTO t VALUES(5, 'e')

SAVEPOINT inner1

CREATE TABLE u(x)

INSERT INTO u VALUES(1)

ROLLBACK TO inner1

-- error
SELECT * FROM u

SAVEPOINT s1

INSERT INTO t VALUES(6, 'f')

SAVEPOINT s1

INSERT INTO t VALUES(7, 'g')

ROLLBACK TO s1

RELEASE s1

-- query T nosort
SELECT group_concat(a) FROM t

RELEASE s1

RELEASE inner1

-- error
RELEASE inner1

COMMIT

-- query T nosort
SELECT group_concat(a) FROM t

SAVEPOINT a1

INSERT INTO t VALUES(8, 'h')

ROLLBACK

-- query I nosort
SELECT count(*) FROM t

SAVEPOINT x

INSERT INTO t VALUES(9, 'i')

-- error
INSERT INTO t VALUES(9, 'dup')

COMMIT

-- query IT nosort
SELECT * FROM t WHERE a >= 8
