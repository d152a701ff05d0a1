/*
** rtreeinterop: one step of the R*Tree file-interop test
** (rtreeinterop.sh), run with either library.
**
**   rtreeinterop write FILE [PAGESIZE]   creates rt (rtree, 2-D) and ri
**                                        (rtree_i32, 3-D, auxiliary columns)
**                                        with a few thousand rows: a tree
**                                        several levels deep
**   rtreeinterop modify FILE             deletes, updates and inserts rows
**                                        in both tables (their trees were
**                                        written by the other library)
**   rtreeinterop show FILE               prints rtreecheck() of both tables
**                                        and query results (ORDER BY, so
**                                        that trees of different shapes
**                                        print the same)
**
** Exit status 0 unless a statement fails.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sqlite3.h"
#include "../c/harness.h"

static sqlite3 *db;
static int failed;

static void exec(const char *sql){
  char *e = 0;
  if( sqlite3_exec(db, sql, 0, 0, &e)!=SQLITE_OK ){
    printf("error: %s\n  in: %s\n", e ? e : "?", sql);
    sqlite3_free(e);
    failed = 1;
  }
}

static void show(const char *sql){
  sqlite3_stmt *st;
  int rc;
  printf("%s ->", sql);
  if( sqlite3_prepare_v2(db, sql, -1, &st, 0)!=SQLITE_OK ){
    printf(" prepare error %s\n", sqlite3_errmsg(db));
    failed = 1;
    return;
  }
  while( (rc = sqlite3_step(st))==SQLITE_ROW ){
    int i;
    for(i=0; i<sqlite3_column_count(st); i++){
      const unsigned char *t = sqlite3_column_text(st, i);
      printf(" %s", t ? (const char*)t : "NULL");
    }
    printf(";");
  }
  if( rc!=SQLITE_DONE ){ printf(" error %s", sqlite3_errmsg(db)); failed = 1; }
  sqlite3_finalize(st);
  printf("\n");
}

static void do_write(const char *pagesize){
  char sql[100];
  snprintf(sql, sizeof(sql), "PRAGMA page_size = %s", pagesize ? pagesize : "1024");
  exec(sql);
  exec("CREATE VIRTUAL TABLE rt USING rtree(id, x0, x1, y0, y1)");
  exec("CREATE VIRTUAL TABLE ri USING rtree_i32(id, a0, a1, b0, b1, c0, c1, +name, +score)");
  exec("BEGIN");
  exec("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i<4000) "
       "INSERT INTO rt SELECT i, (i*7919)%1000 + 0.1, (i*7919)%1000 + i%13 + 0.7, "
       "(i*104729)%997 - 0.3, (i*104729)%997 + i%7 + 0.3 FROM n");
  exec("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i<2500) "
       "INSERT INTO ri SELECT i*3, (i*31)%500, (i*31)%500 + i%9, (i*57)%300, (i*57)%300 + 4, "
       "-i, -i + i%5, 'n' || i, i * 0.5 FROM n");
  exec("COMMIT");
  exec("DELETE FROM rt WHERE id % 5 = 0");
}

static void do_modify(void){
  exec("BEGIN");
  exec("DELETE FROM rt WHERE id % 7 = 1");
  exec("UPDATE rt SET x0 = x0 - 2000.25, x1 = x1 + 2000.25 WHERE id % 11 = 0");
  exec("INSERT INTO rt SELECT id + 100000, y0, y1, x0, x1 FROM rt WHERE id % 13 = 0");
  exec("INSERT INTO rt(x0, x1, y0, y1) VALUES(-5, 5, -5, 5)");
  exec("DELETE FROM ri WHERE id % 4 = 0");
  exec("UPDATE ri SET name = upper(name), c1 = c1 + 100 WHERE id % 9 = 0");
  exec("INSERT OR REPLACE INTO ri VALUES(3, 0, 1, 0, 1, 0, 1, 'replaced', NULL)");
  exec("COMMIT");
}

static void do_show(void){
  show("SELECT rtreecheck('rt'), rtreecheck('ri')");
  show("PRAGMA integrity_check");
  show("SELECT count(*), sum(id), total(x0), total(y1) FROM rt");
  show("SELECT count(*), sum(id) FROM rt WHERE x0 >= 100 AND x1 <= 400 AND y0 > 500");
  show("SELECT count(*), sum(id) FROM rt WHERE x0 < -1000");
  show("SELECT id, x0, x1, y0, y1 FROM rt WHERE x0 = 123.1 OR id BETWEEN 10 AND 14 ORDER BY id");
  show("SELECT id, x0, x1 FROM rt WHERE id = 100013");
  show("SELECT count(*), sum(id), sum(a0), sum(c1), count(name), total(score) FROM ri");
  show("SELECT id, a0, a1, b0, b1, c0, c1, name, score FROM ri WHERE a0 BETWEEN 10 AND 12 AND c1 > -200 ORDER BY id");
  show("SELECT id, name, score FROM ri WHERE id IN (3, 27, 2700) ORDER BY id");
}

int main(int argc, char **argv){
  ferrolite_check_lib();
  if( argc<3 ){ fprintf(stderr, "usage: rtreeinterop write|modify|show FILE [PAGESIZE]\n"); return 2; }
  if( sqlite3_open(argv[2], &db)!=SQLITE_OK ){ printf("open failed\n"); return 1; }
  if( strcmp(argv[1], "write")==0 ) do_write(argc>3 ? argv[3] : 0);
  else if( strcmp(argv[1], "modify")==0 ) do_modify();
  else if( strcmp(argv[1], "show")==0 ) do_show();
  else { fprintf(stderr, "unknown step %s\n", argv[1]); return 2; }
  sqlite3_close(db);
  return failed;
}
