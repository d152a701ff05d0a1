/*
** scanstatus.c: sqlite3_stmt_scanstatus, sqlite3_stmt_scanstatus_v2
** (with and without SQLITE_SCANSTAT_COMPLEX) and
** sqlite3_stmt_scanstatus_reset. For each loop of a few queries (a full
** scan, a rowid lookup, an index search, a join, an IN list, an ORDER BY
** sort, a subquery): NAME, EXPLAIN, NLOOP, NVISIT, EST, whether PARENTID
** names a line before SELECTID's (0: top level), NCYCLE's sign; counters
** before a step, after one run, after two runs and after a reset; an
** index past the last loop and a statement without loops.
*/
#include "harness.h"
#include <sqlite3.h>

static void dump(sqlite3_stmt *st, int flags, const char *when){
  int i;
  printf("  [%s%s]\n", when, flags ? " COMPLEX" : "");
  for(i=0; i<32; i++){
    sqlite3_int64 nloop = -9, nvisit = -9, ncycle = -9;
    double est = -9;
    const char *name = 0, *expl = 0;
    int sel = -9, parent = -9, rc;
    rc = sqlite3_stmt_scanstatus_v2(st, i, SQLITE_SCANSTAT_NAME, flags, &name);
    if( rc ){
      if( !flags ) printf("    %d: rc=%d (no such loop)\n", i, rc);
      break;
    }
    /* With COMPLEX, the lines that are not loops (sorts, subquery headers,
    ** constant rows) are left out: see docs/COMPAT.md. */
    if( flags && name==0 ) continue;
    sqlite3_stmt_scanstatus_v2(st, i, SQLITE_SCANSTAT_EXPLAIN, flags, &expl);
    sqlite3_stmt_scanstatus_v2(st, i, SQLITE_SCANSTAT_NLOOP, flags, &nloop);
    sqlite3_stmt_scanstatus_v2(st, i, SQLITE_SCANSTAT_NVISIT, flags, &nvisit);
    sqlite3_stmt_scanstatus_v2(st, i, SQLITE_SCANSTAT_EST, flags, &est);
    sqlite3_stmt_scanstatus_v2(st, i, SQLITE_SCANSTAT_SELECTID, flags, &sel);
    sqlite3_stmt_scanstatus_v2(st, i, SQLITE_SCANSTAT_PARENTID, flags, &parent);
    sqlite3_stmt_scanstatus_v2(st, i, SQLITE_SCANSTAT_NCYCLE, flags, &ncycle);
    printf("    %s: name=%s explain=%s nloop=%lld nvisit=%lld est=%g %s ncycle=%s\n", flags ? "loop" : (i==0 ? "0" : i==1 ? "1" : "2+"),
           name ? name : "NULL", expl ? expl : "NULL", nloop, nvisit, est,
           sel<=0 ? "no selectid" : parent==0 ? "top level" : parent<sel ? "nested" : "parent after child",
           ncycle<0 ? "-1" : ncycle==0 ? "0" : ">0");
  }
}

static void q(sqlite3 *db, const char *sql){
  sqlite3_stmt *st = 0;
  int rc, rows = 0;
  printf("%s\n", sql);
  rc = sqlite3_prepare_v2(db, sql, -1, &st, 0);
  if( rc ){ printf("  prepare rc=%d %s\n", rc, sqlite3_errmsg(db)); return; }
  dump(st, 0, "prepared");
  while( sqlite3_step(st)==SQLITE_ROW ) rows++;
  printf("  rows=%d\n", rows);
  dump(st, 0, "run 1");
  dump(st, SQLITE_SCANSTAT_COMPLEX, "run 1");
  sqlite3_reset(st);
  while( sqlite3_step(st)==SQLITE_ROW ){}
  dump(st, 0, "run 2");
  sqlite3_stmt_scanstatus_reset(st);
  dump(st, 0, "after reset");
  {
    sqlite3_int64 n = -9; double e = -9; const char *z = 0;
    int r1 = sqlite3_stmt_scanstatus(st, 0, SQLITE_SCANSTAT_NVISIT, &n);
    int r2 = sqlite3_stmt_scanstatus(st, 0, SQLITE_SCANSTAT_EST, &e);
    int r3 = sqlite3_stmt_scanstatus(st, 0, SQLITE_SCANSTAT_NAME, &z);
    int r4 = sqlite3_stmt_scanstatus(st, 99, SQLITE_SCANSTAT_NAME, &z);
    printf("  v1: rc=%d,%d,%d nvisit=%lld name=%s; loop 99 rc=%d\n", r1, r2, r3, n, z ? z : "NULL", r4);
  }
  sqlite3_finalize(st);
}

int main(int argc, char **argv){
  sqlite3 *db;
  ferrolite_check_lib();
  setvbuf(stdout, 0, _IONBF, 0);
  if( argc<2 ) return 2;
  remove(argv[1]);
  if( sqlite3_open(argv[1], &db) ) return 1;
  sqlite3_exec(db,
    "CREATE TABLE t(id INTEGER PRIMARY KEY, a, b);"
    "CREATE INDEX tb ON t(b);"
    "CREATE TABLE u(x, y);"
    "WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM c WHERE i<50) INSERT INTO t SELECT i, i*2, i%5 FROM c;"
    "INSERT INTO u SELECT id, b FROM t WHERE id <= 10;", 0, 0, 0);
  q(db, "SELECT 1");
  q(db, "SELECT * FROM t");
  q(db, "SELECT * FROM t WHERE id = 7");
  q(db, "SELECT * FROM t WHERE b = 3");
  q(db, "SELECT count(*) FROM t, u WHERE t.id = u.x");
  q(db, "SELECT * FROM u WHERE x IN (1, 3, 5)");
  q(db, "SELECT a FROM t WHERE id < 20 ORDER BY a DESC");
  q(db, "SELECT x, (SELECT count(*) FROM t WHERE t.b = u.y) FROM u");
  q(db, "SELECT * FROM t WHERE id > 5 AND id < 20");
  q(db, "SELECT * FROM t WHERE b > 2 AND b < 4");
  q(db, "SELECT * FROM t WHERE b IN (1, 2)");
  q(db, "SELECT * FROM t WHERE id IN (1, 2, 3)");
  q(db, "SELECT b FROM t ORDER BY b");
  sqlite3_close(db);
  return 0;
}
