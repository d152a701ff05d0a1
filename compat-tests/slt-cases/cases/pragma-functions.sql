CREATE TABLE t(a INT, b TEXT NOT NULL DEFAULT 5, c PRIMARY KEY)

CREATE INDEX ti ON t(b, a)

CREATE TABLE u(x)

CREATE TEMP TABLE tt(q)

-- query ITTITI nosort
SELECT * FROM pragma_table_info('t')

-- query T nosort
SELECT name FROM pragma_table_info('tt')

-- query TT nosort
SELECT m.name, p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p WHERE m.type = 'table' ORDER BY 1, 2

-- query ITITI nosort
SELECT * FROM pragma_index_list('t') ORDER BY name

-- query IIT nosort
SELECT * FROM pragma_index_info('ti')

-- query I nosort
SELECT count(*) FROM pragma_table_info('nosuch')

-- query I nosort
SELECT count(*) FROM pragma_table_info(NULL)

-- query I nosort
SELECT * FROM pragma_user_version

-- query T nosort
SELECT group_concat(name, ',') FROM pragma_table_info('t') WHERE pk = 0
