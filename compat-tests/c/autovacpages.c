/*
** autovacpages.c: sqlite3_autovacuum_pages. In an auto_vacuum=FULL
** database the callback is asked at each write commit (with the schema
** name, the page count, the free-page count and the page size) how many
** free pages to remove: all, half, none, more than there are; the file's
** page and freelist counts after each commit show what was done, and the
** rows stay intact. Not asked for a database without auto-vacuum nor in
** INCREMENTAL mode; asked with "aux" for an attached database. The
** argument's destructor runs when the registration is replaced (also by
** NULL) and when the connection closes.
*/
#include "harness.h"
#include <sqlite3.h>

static int policy = 0;  /* 0 all, 1 half, 2 none, 3 too many */
static unsigned int cb(void *p, const char *zSchema, unsigned int nPage, unsigned int nFree, unsigned int szPage){
  unsigned int n = policy==0 ? nFree : policy==1 ? nFree/2 : policy==2 ? 0 : nFree + 100;
  printf("    autovacuum_pages(%s): %s pages=%u free=%u pagesize=%u -> %u\n", (char*)p, zSchema, nPage, nFree, szPage, n);
  return n;
}
static void destroy(void *p){ printf("    destructor(%s)\n", (char*)p); }

static int intval(sqlite3 *db, const char *sql){
  sqlite3_stmt *st = 0;
  int v = -1;
  if( sqlite3_prepare_v2(db, sql, -1, &st, 0)==SQLITE_OK && sqlite3_step(st)==SQLITE_ROW ) v = sqlite3_column_int(st, 0);
  sqlite3_finalize(st);
  return v;
}

static void run(sqlite3 *db, const char *sql){
  char *e = 0;
  int rc;
  printf("%s\n", sql);
  rc = sqlite3_exec(db, sql, 0, 0, &e);
  if( rc ) printf("  rc=%d %s\n", rc, e ? e : "");
  sqlite3_free(e);
}

static void counts(sqlite3 *db, const char *schema){
  char a[128], b[128], c[128];
  snprintf(a, sizeof(a), "PRAGMA %s.page_count", schema);
  snprintf(b, sizeof(b), "PRAGMA %s.freelist_count", schema);
  snprintf(c, sizeof(c), "SELECT count(*) || '/' || coalesce(sum(length(v)), 0) FROM %s.t", schema);
  printf("  %s: page_count=%d freelist_count=%d", schema, intval(db, a), intval(db, b));
  {
    sqlite3_stmt *st = 0;
    if( sqlite3_prepare_v2(db, c, -1, &st, 0)==SQLITE_OK && sqlite3_step(st)==SQLITE_ROW ) printf(" rows=%s", sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
  }
  printf(" integrity=%s\n", intval(db, "SELECT count(*) FROM pragma_integrity_check WHERE integrity_check<>'ok'")==0 ? "ok" : "BAD");
}

int main(int argc, char **argv){
  sqlite3 *db;
  char aux[4096], inc[4096], sql[8400];
  int rc;
  ferrolite_check_lib();
  setvbuf(stdout, 0, _IONBF, 0);
  if( argc<2 ) return 2;
  remove(argv[1]);
  snprintf(aux, sizeof(aux), "%s.aux", argv[1]);
  snprintf(inc, sizeof(inc), "%s.inc", argv[1]);
  remove(aux);
  remove(inc);
  if( sqlite3_open(argv[1], &db) ) return 1;

  /* The modes are set before any callback is registered (see
  ** docs/COMPAT.md: SQLite also asks at the pragma's own transaction). */
  run(db, "PRAGMA page_size=1024; PRAGMA auto_vacuum=FULL");
  snprintf(sql, sizeof(sql), "ATTACH '%s' AS aux; ATTACH '%s' AS inc", aux, inc);
  rc = sqlite3_exec(db, sql, 0, 0, 0);
  printf("ATTACH <file>.aux AS aux, <file>.inc AS inc: rc=%d\n", rc);
  run(db, "PRAGMA aux.page_size=1024; PRAGMA aux.auto_vacuum=FULL");
  run(db, "PRAGMA inc.page_size=1024; PRAGMA inc.auto_vacuum=INCREMENTAL");

  rc = sqlite3_autovacuum_pages(db, cb, "A", destroy);
  printf("register A: rc=%d\n", rc);
  run(db, "CREATE TABLE t(id INTEGER PRIMARY KEY, v)");
  run(db, "WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM c WHERE i<40) INSERT INTO t SELECT i, zeroblob(900) FROM c");
  counts(db, "main");
  policy = 1;
  run(db, "DELETE FROM t WHERE id % 2 = 0");
  counts(db, "main");
  policy = 2;
  run(db, "DELETE FROM t WHERE id % 3 = 0");
  counts(db, "main");
  run(db, "BEGIN; UPDATE t SET v = zeroblob(10) WHERE id < 5; COMMIT");
  counts(db, "main");
  policy = 3;
  run(db, "DELETE FROM t WHERE id > 30");
  counts(db, "main");
  policy = 1;
  run(db, "DELETE FROM t WHERE id < 10");
  counts(db, "main");
  policy = 0;
  run(db, "BEGIN IMMEDIATE; COMMIT");
  counts(db, "main");

  rc = sqlite3_autovacuum_pages(db, cb, "B", destroy);
  printf("register B: rc=%d\n", rc);
  run(db, "CREATE TABLE inc.t(v)");
  run(db, "INSERT INTO inc.t SELECT zeroblob(2000) FROM main.t");
  run(db, "DELETE FROM inc.t");
  counts(db, "inc");
  run(db, "CREATE TABLE aux.t(v)");
  policy = 1;
  run(db, "INSERT INTO aux.t SELECT zeroblob(3000) FROM main.t");
  run(db, "DELETE FROM aux.t WHERE rowid > 2");
  counts(db, "aux");
  run(db, "BEGIN; DELETE FROM aux.t WHERE rowid = 2; DELETE FROM main.t WHERE id = 13; COMMIT");
  counts(db, "aux");
  counts(db, "main");
  run(db, "DETACH aux");
  run(db, "DETACH inc");
  remove(aux);
  remove(inc);

  rc = sqlite3_autovacuum_pages(db, 0, "C", destroy);
  printf("register NULL callback with C: rc=%d\n", rc);
  run(db, "DELETE FROM t WHERE id = 11");
  counts(db, "main");
  rc = sqlite3_autovacuum_pages(db, cb, "D", 0);
  printf("register D without destructor: rc=%d\n", rc);
  rc = sqlite3_autovacuum_pages(db, cb, "E", destroy);
  printf("register E: rc=%d\n", rc);
  printf("close\n");
  sqlite3_close(db);
  printf("closed\n");
  return 0;
}
