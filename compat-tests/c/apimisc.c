/*
** apimisc.c: entry points no other C test calls — 64-bit and zeroblob
** binds, parameter names, 64-bit change counters, set_last_insert_rowid,
** stmt_busy / stmt_readonly, the progress handler, subtypes, realloc /
** realloc64 / msize, strnicmp. Each is called the way an application
** calls it, edge cases included, and what it returns is printed.
*/
#include "harness.h"
#include <sqlite3.h>

static void show(sqlite3 *db, const char *sql){
  sqlite3_stmt *st = 0;
  int rc = sqlite3_prepare_v2(db, sql, -1, &st, 0);
  printf("%s\n", sql);
  if( rc ){ printf("  prepare rc=%d %s\n", rc, sqlite3_errmsg(db)); return; }
  while( (rc = sqlite3_step(st))==SQLITE_ROW ){
    int i;
    printf("  ->");
    for(i=0; i<sqlite3_column_count(st); i++){
      const unsigned char *t = sqlite3_column_text(st, i);
      printf(" %s", t ? (const char*)t : "NULL");
    }
    printf("\n");
  }
  if( rc!=SQLITE_DONE ) printf("  step rc=%d %s\n", rc, sqlite3_errmsg(db));
  sqlite3_finalize(st);
}

/* Subtypes: tag(x, n) returns x with subtype n; subtype(x) reads it. */
static void tag(sqlite3_context *ctx, int argc, sqlite3_value **argv){
  (void)argc;
  sqlite3_result_value(ctx, argv[0]);
  sqlite3_result_subtype(ctx, (unsigned int)sqlite3_value_int(argv[1]));
}
static void subtype(sqlite3_context *ctx, int argc, sqlite3_value **argv){
  (void)argc;
  sqlite3_result_int(ctx, (int)sqlite3_value_subtype(argv[0]));
}

/* pass(x): x as it came, subtype included (sqlite3_result_value). */
static void pass(sqlite3_context *ctx, int argc, sqlite3_value **argv){
  (void)argc;
  sqlite3_result_value(ctx, argv[0]);
}

/* tagagg(x, n): the last x, with subtype n (an aggregate's result). */
static void tagagg_step(sqlite3_context *ctx, int argc, sqlite3_value **argv){
  sqlite3_value **slot = sqlite3_aggregate_context(ctx, 2*sizeof(sqlite3_value*));
  (void)argc;
  if( slot==0 ) return;
  sqlite3_value_free(slot[0]);
  sqlite3_value_free(slot[1]);
  slot[0] = sqlite3_value_dup(argv[0]);
  slot[1] = sqlite3_value_dup(argv[1]);
}
static void tagagg_final(sqlite3_context *ctx){
  sqlite3_value **slot = sqlite3_aggregate_context(ctx, 0);
  if( slot==0 || slot[0]==0 ){ sqlite3_result_null(ctx); return; }
  sqlite3_result_value(ctx, slot[0]);
  sqlite3_result_subtype(ctx, (unsigned int)sqlite3_value_int(slot[1]));
  sqlite3_value_free(slot[0]);
  sqlite3_value_free(slot[1]);
}

static int progress_calls;
static int progress_stop_after;
static int progress(void *p){
  (void)p;
  progress_calls++;
  return progress_stop_after>0 && progress_calls>=progress_stop_after;
}

int main(int argc, char **argv){
  sqlite3 *db;
  sqlite3_stmt *st;
  int rc, i;
  ferrolite_check_lib();
  setvbuf(stdout, 0, _IONBF, 0);
  if( argc<2 ) return 2;
  remove(argv[1]);
  if( sqlite3_open(argv[1], &db) ) return 1;
  sqlite3_exec(db, "CREATE TABLE t(id INTEGER PRIMARY KEY, b BLOB)", 0, 0, 0);

  /* bind_blob64, bind_zeroblob, bind_parameter_name. */
  rc = sqlite3_prepare_v2(db, "INSERT INTO t(b) VALUES(?1), (:z), (@w), ($v), (?)", -1, &st, 0);
  printf("prepare rc=%d params=%d\n", rc, sqlite3_bind_parameter_count(st));
  for(i=0; i<=sqlite3_bind_parameter_count(st)+1; i++){
    const char *n = sqlite3_bind_parameter_name(st, i);
    printf("  name(%d) = %s\n", i, n ? n : "NULL");
  }
  printf("bind_blob64 rc=%d\n", sqlite3_bind_blob64(st, 1, "abc", 3, SQLITE_TRANSIENT));
  printf("bind_zeroblob rc=%d\n", sqlite3_bind_zeroblob(st, 2, 5));
  printf("bind_zeroblob negative rc=%d\n", sqlite3_bind_zeroblob(st, 3, -1));
  printf("bind_blob64 empty rc=%d\n", sqlite3_bind_blob64(st, 4, "", 0, SQLITE_STATIC));
  printf("bind_blob64 out of range rc=%d\n", sqlite3_bind_blob64(st, 9, "x", 1, SQLITE_STATIC));
  printf("bind_zeroblob out of range rc=%d\n", sqlite3_bind_zeroblob(st, 0, 1));
  /* stmt_busy / stmt_readonly around a write. */
  printf("busy before=%d readonly=%d\n", sqlite3_stmt_busy(st), sqlite3_stmt_readonly(st));
  rc = sqlite3_step(st);
  printf("step rc=%d busy after=%d\n", rc, sqlite3_stmt_busy(st));
  sqlite3_reset(st);
  printf("busy after reset=%d\n", sqlite3_stmt_busy(st));
  sqlite3_finalize(st);
  printf("busy(NULL)=%d readonly(NULL)=%d\n", sqlite3_stmt_busy(0), sqlite3_stmt_readonly(0));
  show(db, "SELECT id, hex(b), typeof(b), length(b) FROM t ORDER BY id");

  sqlite3_prepare_v2(db, "SELECT id FROM t", -1, &st, 0);
  printf("select readonly=%d busy=%d\n", sqlite3_stmt_readonly(st), sqlite3_stmt_busy(st));
  rc = sqlite3_step(st);
  printf("select step rc=%d busy=%d\n", rc, sqlite3_stmt_busy(st));
  while( sqlite3_step(st)==SQLITE_ROW ){}
  printf("select done busy=%d\n", sqlite3_stmt_busy(st));
  sqlite3_finalize(st);
  sqlite3_prepare_v2(db, "BEGIN", -1, &st, 0);
  printf("BEGIN readonly=%d\n", sqlite3_stmt_readonly(st));
  sqlite3_finalize(st);

  /* changes64 / total_changes64 / set_last_insert_rowid. */
  sqlite3_exec(db, "UPDATE t SET b = NULL WHERE id > 2", 0, 0, 0);
  printf("changes64=%lld total_changes64=%lld\n", (long long)sqlite3_changes64(db), (long long)sqlite3_total_changes64(db));
  printf("last_insert_rowid=%lld\n", (long long)sqlite3_last_insert_rowid(db));
  sqlite3_set_last_insert_rowid(db, 1234567890123LL);
  printf("after set: %lld\n", (long long)sqlite3_last_insert_rowid(db));
  show(db, "SELECT last_insert_rowid()");
  sqlite3_exec(db, "INSERT INTO t(b) VALUES(1)", 0, 0, 0);
  printf("after insert: %lld changes64=%lld\n", (long long)sqlite3_last_insert_rowid(db), (long long)sqlite3_changes64(db));

  /* A statement its error undoes counts no change; OR FAIL keeps (and
  ** counts) the rows written before the error. */
  {
    sqlite3_int64 t0;
    sqlite3_exec(db, "CREATE TABLE u(a UNIQUE); INSERT INTO u VALUES(3)", 0, 0, 0);
    t0 = sqlite3_total_changes64(db);
    rc = sqlite3_exec(db, "INSERT INTO u VALUES(1), (2), (3), (4)", 0, 0, 0);
    printf("failed insert rc=%d: +%lld total, changes64=%lld\n", rc, (long long)(sqlite3_total_changes64(db) - t0), (long long)sqlite3_changes64(db));
    t0 = sqlite3_total_changes64(db);
    rc = sqlite3_exec(db, "INSERT OR FAIL INTO u VALUES(5), (6), (3), (7)", 0, 0, 0);
    printf("failed OR FAIL insert rc=%d: +%lld total, changes64=%lld\n", rc, (long long)(sqlite3_total_changes64(db) - t0), (long long)sqlite3_changes64(db));
    t0 = sqlite3_total_changes64(db);
    rc = sqlite3_exec(db, "BEGIN; INSERT INTO u VALUES(8), (9), (3); COMMIT", 0, 0, 0);
    printf("failed insert in a transaction rc=%d: +%lld total\n", rc, (long long)(sqlite3_total_changes64(db) - t0));
    sqlite3_exec(db, "ROLLBACK", 0, 0, 0);
    t0 = sqlite3_total_changes64(db);
    rc = sqlite3_exec(db, "INSERT OR ROLLBACK INTO u VALUES(10), (3)", 0, 0, 0);
    printf("failed OR ROLLBACK insert rc=%d: +%lld total\n", rc, (long long)(sqlite3_total_changes64(db) - t0));
  }

  /* The progress handler: called while statements run, stops one. */
  sqlite3_progress_handler(db, 10, progress, 0);
  progress_calls = 0; progress_stop_after = 0;
  show(db, "WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 2000) SELECT count(*) FROM c");
  printf("progress called: %s\n", progress_calls>10 ? "many times" : "too few times");
  progress_calls = 0; progress_stop_after = 3;
  show(db, "WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 2000) SELECT count(*) FROM c");
  printf("stopped after %d calls, errcode=%d\n", progress_calls, sqlite3_errcode(db));
  sqlite3_progress_handler(db, 0, 0, 0);
  progress_calls = 0;
  show(db, "WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 2000) SELECT count(*) FROM c");
  printf("after removal: %d calls\n", progress_calls);

  /* Subtypes travel from a function's result to the argument of the
  ** function it is nested in (the low 8 bits), also through a function
  ** that hands its argument on with result_value, and through a constant
  ** computed once; not through a table or a subquery's column. */
  sqlite3_create_function(db, "tag", 2, SQLITE_UTF8 | SQLITE_RESULT_SUBTYPE, 0, tag, 0, 0);
  sqlite3_create_function(db, "pass", 1, SQLITE_UTF8 | SQLITE_SUBTYPE | SQLITE_RESULT_SUBTYPE, 0, pass, 0, 0);
  /* The built-in subtype() first, then an application's. */
  show(db, "SELECT subtype(tag('x', 7)), subtype(pass(tag(1, 12))), subtype(3)");
  sqlite3_create_function(db, "subtype", 1, SQLITE_UTF8 | SQLITE_SUBTYPE, 0, subtype, 0, 0);
  show(db, "SELECT subtype(tag('x', 7)), subtype(tag(1, 255)), subtype(tag(2, 256 + 9)), subtype('plain'), subtype(tag(NULL, 3))");
  show(db, "SELECT tag('x', 7), subtype(pass(tag('y', 11))), subtype(pass('z'))");
  show(db, "SELECT subtype(tag(id, 5)), subtype(id) FROM t WHERE id < 3 ORDER BY id");
  sqlite3_create_function(db, "tagagg", 2, SQLITE_UTF8 | SQLITE_RESULT_SUBTYPE, 0, 0, tagagg_step, tagagg_final);
  show(db, "SELECT subtype(tagagg(id, 40)), tagagg(id, 41) FROM t");
  show(db, "SELECT subtype(tagagg(id, id)) FROM t GROUP BY id % 2 ORDER BY 1");
  show(db, "SELECT subtype(t) FROM (SELECT tag(5, 9) AS t)");
  sqlite3_exec(db, "CREATE TABLE s(v); INSERT INTO s VALUES(tag('y', 4))", 0, 0, 0);
  show(db, "SELECT v, subtype(v) FROM s");

  /* realloc / realloc64 / msize. */
  {
    char *p = sqlite3_realloc(0, 10);
    sqlite3_uint64 n;
    printf("realloc(NULL, 10) %s\n", p ? "ok" : "NULL");
    n = sqlite3_msize(p);
    printf("msize >= 10: %d\n", n>=10);
    memcpy(p, "0123456789", 10);
    p = sqlite3_realloc64(p, 100000);
    printf("realloc64 keeps the bytes: %d\n", p && memcmp(p, "0123456789", 10)==0);
    printf("msize >= 100000: %d\n", sqlite3_msize(p)>=100000);
    p = sqlite3_realloc(p, 3);
    printf("shrunk keeps the bytes: %d\n", p && memcmp(p, "012", 3)==0);
    printf("realloc(p, 0) = %s\n", sqlite3_realloc(p, 0) ? "not NULL" : "NULL");
    printf("realloc(p, -1) = %s\n", sqlite3_realloc(0, -1) ? "not NULL" : "NULL");
    printf("msize(NULL) = %llu\n", (unsigned long long)sqlite3_msize(0));
    p = sqlite3_realloc64(0, 0);
    printf("realloc64(NULL, 0) = %s\n", p ? "not NULL" : "NULL");
    sqlite3_free(p);
  }

  /* strnicmp: ASCII case folding only, NULLs first, n bytes at most. */
  printf("strnicmp: %d %d %d %d %d %d %d\n",
    sqlite3_strnicmp("ABCdef", "abcDEF", 6)==0,
    sqlite3_strnicmp("abc", "abd", 2)==0,
    sqlite3_strnicmp("abc", "abd", 3)<0,
    sqlite3_strnicmp("b", "A", 1)>0,
    sqlite3_strnicmp(0, "a", 1)<0,
    sqlite3_strnicmp("a", 0, 1)>0,
    sqlite3_strnicmp(0, 0, 5)==0);
  printf("strnicmp non-ASCII equal only when identical: %d %d\n",
    sqlite3_strnicmp("\xc3\xa9", "\xc3\x89", 2)!=0,
    sqlite3_strnicmp("x\xc3\xa9", "X\xc3\xa9", 3)==0);

  sqlite3_close(db);
  return 0;
}
