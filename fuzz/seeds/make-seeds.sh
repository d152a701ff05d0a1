#!/bin/sh
# Regenerates the seed databases of the `database` fuzz target: small real
# files (512-byte pages, a few pages each) covering table and index trees
# with interior pages, overflow chains, a freelist and WITHOUT ROWID.
# Needs the sqlite3 CLI. Usage: fuzz/seeds/make-seeds.sh
set -e
cd "$(dirname "$0")/database"
rm -f *.db
sqlite3 simple.db "PRAGMA page_size=512; CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT); INSERT INTO t VALUES(1,'one'),(2,'two'),(3,NULL);"
sqlite3 index.db "PRAGMA page_size=512; CREATE TABLE t(a, b); CREATE INDEX ti ON t(b, a);
  WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c WHERE x<60) INSERT INTO t SELECT x, 'v' || x FROM c;"
sqlite3 overflow.db "PRAGMA page_size=512; CREATE TABLE t(a, b); INSERT INTO t VALUES(1, zeroblob(1300)), (2, 'x'), (3, printf('%.700c', 'y'));"
sqlite3 freelist.db "PRAGMA page_size=512; CREATE TABLE t(a, b); CREATE TABLE u(x);
  WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c WHERE x<40) INSERT INTO t SELECT x, printf('%.40c', 'z') FROM c;
  INSERT INTO u VALUES(randomblob(600)); DELETE FROM t WHERE a % 2 = 0; DROP TABLE u;"
sqlite3 norowid.db "PRAGMA page_size=512; CREATE TABLE w(k TEXT PRIMARY KEY, v) WITHOUT ROWID;
  WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c WHERE x<30) INSERT INTO w SELECT 'key' || x, x * 1.5 FROM c;"
ls -l
