CREATE TABLE t(a text, b varchar(10), c Integer PRIMARY KEY, d, e Int, f bLoB, g real, h any, i text(5))

-- query ITTITI nosort
PRAGMA table_info(t)

-- query RIT nosort
SELECT x'3100' + 1, x'31' + 1, typeof(x'3100' + 1)

-- query RIR nosort
SELECT '12' || char(0) || '3' + 1, '1abc' + 1, x'312e3500' + 1

CREATE TABLE u(b TEXT COLLATE NOCASE)

INSERT INTO u VALUES('a'), ('A'), ('b'), (NULL)

-- query III nosort
SELECT count(DISTINCT b), count(DISTINCT b COLLATE BINARY), count(DISTINCT upper(b)) FROM u
