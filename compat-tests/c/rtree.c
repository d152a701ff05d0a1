/*
** rtree.c: the R*Tree module (rtree, rtree_i32) built into every
** connection, as SQLite's SQLITE_ENABLE_RTREE build has it.
**
** The database file keeps a small R*Tree (one node, so that its shadow
** tables hold the same bytes whichever library wrote them; run.sh then
** reads each library's file with the other): CREATE VIRTUAL TABLE and
** the sqlite_schema rows of the shadow tables, coordinates rounded to
** 32-bit floats outwards, rowid lookups, coordinate constraints (and the
** plans SQLite shows for them), INSERT with and without an id, UPDATE,
** DELETE, REPLACE, constraint errors, auxiliary columns, rtree_i32,
** rtreenode(), rtreedepth(), rtreecheck() (also on damaged shadow
** tables, and through PRAGMA integrity_check), argument errors, ALTER TABLE RENAME (also rolled back), DROP
** TABLE. A larger tree (thousands of rows,
** several levels, in an in-memory database) is queried with ORDER BY and
** checked with rtreecheck() after inserts and deletes.
*/
#include "harness.h"
#include <sqlite3.h>
#include "query.h"
#include <stdio.h>


static void small_tree(sqlite3 *db){
  printf("-- a one-node tree in the database file\n");
  q(db, 0, "CREATE VIRTUAL TABLE rt USING rtree(id, minX, maxX, minY, maxY)");
  q(db, 0, "SELECT type, name, tbl_name, rootpage, sql FROM sqlite_schema ORDER BY rowid");
  q(db, 0, "INSERT INTO rt VALUES(1, 0.1, 0.2, -3.3, 4)");
  q(db, 0, "INSERT INTO rt VALUES(NULL, 5, 6, 7, 8)");
  q(db, 0, "INSERT INTO rt(minX, maxX, minY, maxY) VALUES(10, 20, 10, 20)");
  q(db, 0, "INSERT INTO rt VALUES(100, 1e10, 1e11, -1e-10, 1e-10)");
  q(db, 0, "SELECT last_insert_rowid(), changes()");
  q(db, 0, "SELECT * FROM rt");
  q(db, 0, "SELECT id, minX FROM rt WHERE id = 2");
  q(db, 0, "SELECT id FROM rt WHERE id = 2.0");
  q(db, 0, "SELECT id FROM rt WHERE id = 2.5");
  q(db, 0, "SELECT id FROM rt WHERE id = '3'");
  q(db, 0, "SELECT id FROM rt WHERE minX >= 5 AND maxY <= 20");
  q(db, 0, "SELECT id FROM rt WHERE minX > 5");
  q(db, 0, "SELECT id FROM rt WHERE maxX < 6");
  q(db, 0, "SELECT id FROM rt WHERE maxX <= 6");
  q(db, 0, "SELECT id FROM rt WHERE minY = 7");
  q(db, 0, "SELECT id FROM rt WHERE minX = 0.1");
  q(db, 0, "SELECT id FROM rt WHERE minX < 'abc'");
  q(db, 0, "SELECT id FROM rt WHERE minX > 'abc'");
  q(db, 0, "SELECT id FROM rt WHERE minX > NULL");
  q(db, 0, "SELECT id FROM rt WHERE minX > '4.5'");
  q(db, 0, "SELECT id FROM rt WHERE minX BETWEEN 4 AND 11 ORDER BY id DESC");
  eqp(db, "EXPLAIN QUERY PLAN SELECT * FROM rt WHERE id = 1");
  eqp(db, "EXPLAIN QUERY PLAN SELECT * FROM rt WHERE minX > 1 AND maxY <= 4 AND minY = 3");
  eqp(db, "EXPLAIN QUERY PLAN SELECT * FROM rt");
  printf("-- changes\n");
  q(db, 0, "UPDATE rt SET maxX = maxX + 1 WHERE id = 2");
  q(db, 0, "SELECT changes()");
  q(db, 0, "UPDATE rt SET id = 7 WHERE id = 3");
  q(db, 0, "SELECT * FROM rt WHERE id IN (3, 7)");
  q(db, 0, "INSERT INTO rt VALUES(2, 0, 0, 0, 0)");
  q(db, 0, "INSERT OR IGNORE INTO rt VALUES(2, 0, 0, 0, 0)");
  q(db, 0, "INSERT OR REPLACE INTO rt VALUES(2, 1, 2, 3, 4)");
  q(db, 0, "REPLACE INTO rt VALUES(8, 1, 2, 3, 4)");
  q(db, 0, "INSERT INTO rt VALUES(9, 2, 1, 0, 0)");
  q(db, 0, "INSERT INTO rt VALUES(9, 0, 1, 5, 4)");
  q(db, 0, "UPDATE rt SET minY = 100 WHERE id = 8");
  q(db, 0, "INSERT INTO rt VALUES(9, 'a', 'b', NULL, x'00')");
  q(db, 0, "DELETE FROM rt WHERE id = 100");
  q(db, 0, "DELETE FROM rt WHERE id = 12345");
  q(db, 0, "SELECT changes()");
  q(db, 0, "BEGIN");
  q(db, 0, "INSERT INTO rt VALUES(50, 1, 1, 1, 1)");
  q(db, 0, "ROLLBACK");
  q(db, 0, "SELECT * FROM rt ORDER BY id");
  q(db, 0, "SELECT nodeno, rtreenode(2, data), rtreedepth(data), length(data) FROM rt_node");
  q(db, 0, "SELECT * FROM rt_rowid ORDER BY rowid");
  q(db, 0, "SELECT count(*) FROM rt_parent");
  q(db, 0, "SELECT rtreecheck('rt'), rtreecheck('main', 'rt')");

  printf("-- integer coordinates and auxiliary columns\n");
  q(db, 0, "CREATE VIRTUAL TABLE ri USING rtree_i32(id, x0, x1, +label, +weight)");
  q(db, 0, "SELECT sql FROM sqlite_schema WHERE name LIKE 'ri%' ORDER BY rowid");
  q(db, 0, "INSERT INTO ri VALUES(1, 1.9, 2.1, 'one', 1.5)");
  q(db, 0, "INSERT INTO ri VALUES(2, -5000000000, 5000000000, 'big', NULL)");
  q(db, 0, "INSERT INTO ri(id, x0, x1) VALUES(3, 7, 9)");
  q(db, 0, "UPDATE ri SET label = 'uno' WHERE id = 1");
  q(db, 0, "UPDATE ri SET x1 = 30 WHERE label = 'uno'");
  q(db, 0, "SELECT id, x0, x1, label, weight, typeof(x0) FROM ri ORDER BY id");
  q(db, 0, "SELECT id FROM ri WHERE x0 >= 1 AND x1 > 8 ORDER BY id");
  q(db, 0, "SELECT * FROM ri_rowid ORDER BY rowid");
  q(db, 0, "SELECT rtreenode(1, data) FROM ri_node");
  q(db, 0, "SELECT rtreecheck('ri')");
  q(db, 0, "CREATE VIRTUAL TABLE r1 USING rtree(\"the id\", [lo], `hi`)");
  q(db, 0, "INSERT INTO r1 VALUES(1, 5, 4)");
  q(db, 0, "PRAGMA table_info(r1)");
  printf("-- ALTER TABLE RENAME (xRename renames the shadow tables)\n");
  q(db, 0, "ALTER TABLE r1 RENAME TO ri");
  q(db, 0, "BEGIN");
  q(db, 0, "ALTER TABLE r1 RENAME TO \"r'2\"");
  q(db, 0, "INSERT INTO \"r'2\" VALUES(2, 1, 2)");
  q(db, 0, "SELECT name, sql FROM sqlite_schema WHERE name LIKE 'r''2%' ORDER BY rowid");
  q(db, 0, "SELECT *, rtreecheck('r''2') FROM \"r'2\"");
  q(db, 0, "ROLLBACK");
  q(db, 0, "ALTER TABLE r1 RENAME TO r2");
  q(db, 0, "SELECT name FROM sqlite_schema WHERE name LIKE 'r_%' ORDER BY rowid");
  q(db, 0, "INSERT INTO r2 VALUES(3, 4, 5)");
  q(db, 0, "SELECT *, rtreecheck('r2') FROM r2");
  q(db, 0, "SELECT * FROM r1");
  q(db, 0, "ALTER TABLE r2 RENAME TO r1");
  q(db, 0, "DROP TABLE r1");
  q(db, 0, "SELECT name FROM sqlite_schema ORDER BY rowid");
}

static void errors(sqlite3 *db){
  printf("-- argument errors\n");
  q(db, 0, "CREATE VIRTUAL TABLE e1 USING rtree(id)");
  q(db, 0, "CREATE VIRTUAL TABLE e1 USING rtree(id, a)");
  q(db, 0, "CREATE VIRTUAL TABLE e1 USING rtree(id, a, b, c)");
  q(db, 0, "CREATE VIRTUAL TABLE e1 USING rtree(id, a, b, c, d, e, f, g, h, i, j, k, l)");
  q(db, 0, "CREATE VIRTUAL TABLE e1 USING rtree(id, a, b, +c, d)");
  q(db, 0, "CREATE VIRTUAL TABLE e1 USING rtree(id, +c, a, b)");
  q(db, 0, "CREATE VIRTUAL TABLE e1 USING rtree_i32(id, a, b, c, d, e, f, g, h, i, j)");
  q(db, 0, "SELECT rtreenode(0, x'00000000')");
  q(db, 0, "SELECT rtreenode(1, x'0000')");
  q(db, 0, "SELECT rtreenode(1, x'00000001')");
  q(db, 0, "SELECT rtreenode(2, x'00000000'), typeof(rtreenode(2, zeroblob(100)))");
  q(db, 0, "SELECT rtreedepth(x'0003'), rtreedepth(x'00')");
  q(db, 0, "SELECT rtreedepth('ab')");
  q(db, 0, "SELECT rtreecheck()");
  q(db, 0, "SELECT rtreecheck('a', 'b', 'c')");
  q(db, 0, "DROP TABLE e1");
  q(db, 0, "SELECT name FROM sqlite_schema WHERE name LIKE 'e1%'");
}

static void damaged(sqlite3 *db){
  printf("-- rtreecheck on damaged shadow tables (a scratch table)\n");
  exec(db, "CREATE VIRTUAL TABLE d USING rtree(id, a, b)");
  exec(db, "INSERT INTO d VALUES(1, 1, 2), (2, 3, 4), (3, 5, 6)");
  q(db, 0, "SELECT rtreecheck('d')");
  exec(db, "UPDATE d_rowid SET nodeno = 5 WHERE rowid = 2");
  exec(db, "DELETE FROM d_rowid WHERE rowid = 3");
  exec(db, "INSERT INTO d_parent VALUES(9, 1)");
  q(db, 0, "SELECT rtreecheck('d')");
  exec(db, "UPDATE d_node SET data = substr(data, 1, 2) || x'0003' || x'0000000000000001' || x'40000000' || x'3f800000' || substr(data, 21)");
  q(db, 0, "SELECT rtreecheck('d')");
  exec(db, "UPDATE d_node SET data = x'00010001'");
  q(db, 0, "SELECT rtreecheck('d')");
  q(db, 0, "SELECT * FROM d");
  exec(db, "DROP TABLE d");
  exec(db, "CREATE VIRTUAL TABLE d USING rtree(id, a, b)");
  exec(db, "INSERT INTO d VALUES(1, 1, 2), (2, 3, 4)");
  q(db, 0, "PRAGMA integrity_check");
  exec(db, "DELETE FROM d_rowid WHERE rowid = 2");
  q(db, 0, "PRAGMA integrity_check");
  q(db, 0, "PRAGMA quick_check");
  q(db, 0, "PRAGMA main.integrity_check");
  exec(db, "DROP TABLE d");
}

static void big_tree(void){
  sqlite3 *db = 0;
  printf("-- a deep tree (in memory)\n");
  if( sqlite3_open(":memory:", &db)!=SQLITE_OK ){ printf("open failed\n"); return; }
  exec(db, "PRAGMA page_size = 1024");
  exec(db, "CREATE VIRTUAL TABLE b USING rtree(id, x0, x1, y0, y1)");
  q(db, 0, "SELECT length(data) FROM b_node");
  exec(db, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i<3000) "
           "INSERT INTO b SELECT i, (i*7919)%1000, (i*7919)%1000 + i%13, (i*104729)%997, (i*104729)%997 + i%7 FROM n");
  q(db, 0, "SELECT rtreecheck('b')");
  q(db, 0, "SELECT rtreedepth(data) > 1 FROM b_node WHERE nodeno = 1");
  q(db, 0, "SELECT count(*), sum(id), min(x0), max(y1) FROM b");
  q(db, 0, "SELECT count(*), sum(id) FROM b WHERE x0 >= 100 AND x1 <= 300 AND y0 > 500");
  q(db, 0, "SELECT id, x0, x1, y0, y1 FROM b WHERE x0 = 123 ORDER BY id");
  q(db, 0, "SELECT id FROM b WHERE x1 < 3 AND y0 < 100 ORDER BY id");
  q(db, 0, "SELECT b.id, t.id FROM b, b AS t WHERE t.id = b.id + 1 AND b.x0 > 990 ORDER BY 1");
  exec(db, "DELETE FROM b WHERE id % 3 <> 0");
  q(db, 0, "SELECT rtreecheck('b')");
  q(db, 0, "SELECT count(*), sum(id) FROM b WHERE x0 >= 100 AND x1 <= 300 AND y0 > 500");
  exec(db, "UPDATE b SET x0 = x0 + 0.5, x1 = x1 + 1000 WHERE id % 2 = 0");
  q(db, 0, "SELECT rtreecheck('b')");
  q(db, 0, "SELECT count(*), sum(id) FROM b WHERE x1 > 1000");
  exec(db, "DELETE FROM b WHERE id > 30");
  q(db, 0, "SELECT rtreecheck('b')");
  q(db, 0, "SELECT id FROM b ORDER BY id");
  exec(db, "DELETE FROM b");
  q(db, 0, "SELECT rtreecheck('b'), (SELECT count(*) FROM b_node), (SELECT rtreedepth(data) FROM b_node)");
  sqlite3_close(db);
}

int main(int argc, char **argv){
  sqlite3 *db;
  ferrolite_check_lib();
  if( argc<2 ){ printf("usage: rtree DB\n"); return 1; }
  if( sqlite3_open(argv[1], &db)!=SQLITE_OK ){ printf("open failed\n"); return 1; }
  small_tree(db);
  errors(db);
  damaged(db);
  sqlite3_close(db);
  if( sqlite3_open(argv[1], &db)!=SQLITE_OK ){ printf("reopen failed\n"); return 1; }
  printf("-- reopened\n");
  q(db, 0, "SELECT * FROM rt ORDER BY id");
  q(db, 0, "SELECT id FROM rt WHERE minX > 0.5");
  q(db, 0, "SELECT rtreecheck('rt'), rtreecheck('ri')");
  sqlite3_close(db);
  big_tree();
  return 0;
}
