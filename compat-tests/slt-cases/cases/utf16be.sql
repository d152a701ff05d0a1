PRAGMA encoding='UTF-16be'

-- query T nosort
PRAGMA encoding

CREATE TABLE t(id INTEGER PRIMARY KEY, a TEXT, b TEXT COLLATE NOCASE, c BLOB)

INSERT INTO t(a, b) VALUES ('a','A'), ('Ā','ā'), (char(0xE000),'x'), (char(0x1F600),'Y'), ('b','b'), ('ab','AB'), ('é','É'), ('',' '), ('a ','a'), ('z'||char(0x1F600),'Z'), (char(0xFFFF),'q'), ('Ab','aB')

CREATE INDEX ta ON t(a)

CREATE INDEX tb ON t(b)

-- query T nosort
SELECT name FROM sqlite_master ORDER BY name

PRAGMA encoding='UTF-8'

-- query T nosort
PRAGMA encoding

-- query IT nosort
SELECT id, hex(a) FROM t ORDER BY a, id

-- query IT nosort
SELECT id, hex(a) FROM t ORDER BY a DESC, id

-- query I nosort
SELECT id FROM t ORDER BY a || '', id

-- query I nosort
SELECT id FROM t WHERE a > 'a' ORDER BY a

-- query I nosort
SELECT id FROM t WHERE a < 'b' ORDER BY a DESC

-- query I nosort
SELECT id FROM t WHERE a BETWEEN 'a' AND 'b' ORDER BY id

-- query I nosort
SELECT id FROM t WHERE a = 'Ā'

-- query I nosort
SELECT id FROM t WHERE a IN ('Ā', 'b', char(0x1F600)) ORDER BY id

-- query TT nosort
SELECT hex(min(a)), hex(max(a)) FROM t

-- query IT nosort
SELECT id, hex(b) FROM t ORDER BY b, id

-- query I nosort
SELECT id FROM t WHERE b = 'ā'

-- query I nosort
SELECT id FROM t WHERE b >= 'b' ORDER BY b, id

-- query I nosort
SELECT id FROM t ORDER BY a COLLATE NOCASE, id

-- query I nosort
SELECT id FROM t ORDER BY a COLLATE RTRIM DESC, id

-- query II nosort
SELECT min(id), count(*) FROM t GROUP BY b ORDER BY 1

-- query II nosort
SELECT min(id), count(*) FROM t GROUP BY a COLLATE NOCASE ORDER BY 1

-- query I nosort
SELECT count(*) FROM (SELECT DISTINCT b FROM t)

-- query T nosort
SELECT hex(x) FROM (SELECT DISTINCT upper(a) AS x FROM t) ORDER BY x

-- query T nosort
SELECT hex(a) FROM t UNION SELECT hex('Ā') ORDER BY 1

-- query T nosort
SELECT hex(x) FROM (SELECT a AS x FROM t UNION SELECT 'Ā') ORDER BY x

-- query III nosort
SELECT 'a' < 'Ā', char(0x1F600) < char(0xE000), 'a' < char(0xFFFF)

-- query TT nosort
SELECT hex(min('a', 'Ā')), hex(max(char(0x1F600), char(0xE000)))

-- query TTI nosort
SELECT hex('aĀ😀'), hex(CAST('xy' AS BLOB)), length(CAST('xy' AS BLOB))

-- query TTT nosort
SELECT CAST(x'00410042' AS TEXT), typeof(CAST(x'0041' AS TEXT)), quote(CAST('a' AS BLOB))

-- query III nosort
SELECT unicode('Ā'), octet_length('aĀ'), octet_length(12)

-- query III nosort
SELECT instr(x'006100', 'b'), instr('aĀb', 'b'), instr(x'00610062', x'0062')

-- query TT nosort
SELECT hex(substr(x'00610062', 2, 2)), x'00410042' || 'c'

-- query TI nosort
SELECT hex(12), CAST(x'00310032' AS INTEGER)

-- query I nosort
SELECT id FROM t WHERE a LIKE 'a%' ORDER BY id

-- query I nosort
SELECT id FROM t WHERE a GLOB '[a-b]*' ORDER BY id

-- query III nosort
SELECT 'Ā' LIKE 'ā', 'aĀ' GLOB 'a?', 'xé' LIKE 'X_'

-- query I nosort
SELECT id FROM t WHERE a = CAST(x'01000061' AS TEXT) OR a = CAST(x'0100' AS TEXT)

INSERT INTO t(a, b) VALUES (printf('%.*c', 3000, 'Ā'), 'long')

-- query ITT nosort
SELECT length(a), hex(substr(a, 1, 2)), hex(substr(a, -1)) FROM t WHERE b = 'long'

UPDATE t SET a = a || 'x' WHERE id < 4

-- query IT nosort
SELECT id, hex(a) FROM t WHERE id < 13 ORDER BY a, id

DELETE FROM t WHERE a > 'b'

-- query I nosort
SELECT id FROM t ORDER BY a, id

-- error
CREATE UNIQUE INDEX u ON t(b)

CREATE UNIQUE INDEX u2 ON t(a)

-- error
INSERT INTO t(a) VALUES ('ax')

-- query TTTTI nosort
SELECT hex(upper(x'6100')), hex(lower(x'4100')), hex(trim(x'20006100')), hex(replace(x'610062006100', 'a', 'c')), unicode(x'0001')

-- query TTTT nosort
SELECT hex(replace('abc', x'6200', x'7a00')), hex(upper(CAST('a' AS BLOB))), hex(printf('%s', x'6100')), date(x'32003000320034002D00300031002D0030003100')

-- query TT nosort
SELECT (SELECT hex(group_concat(x'6100'))), (SELECT hex(string_agg(x'6100', x'2c00')))

-- query IIIIRIII nosort
SELECT x'3100' + 1, x'3100' * 2, x'0031' + 1, x'31' + 1, x'3100' + 0.5, -x'0032', ~x'3200', x'3200' | 1

-- query IIT nosort
SELECT length(x'610062'), octet_length(x'610062'), hex(substr(x'610062', 2))

-- query IIIII nosort
SELECT CASE WHEN x'3100' THEN 1 ELSE 0 END, x'3100' AND 1, CASE WHEN x'0031' THEN 1 ELSE 0 END, NOT x'0031', x'0031' OR 0

-- query T nosort
PRAGMA integrity_check
