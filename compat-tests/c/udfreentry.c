/*
** udfreentry.c: an application function that uses its own connection
** while the statement calling it runs (CPython's
** test_table_lock_cursor_non_readonly_select does that): prepare, step and
** finalize statements, sqlite3_exec, errors and changes() seen from inside,
** a function called from a statement the function itself runs, an
** aggregate's xStep and xFinal doing the same, DROP TABLE of the table
** being read (SQLITE_LOCKED), and the connection's state once the outer
** statement ends.
*/
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "sqlite3.h"
#include "harness.h"

static int depth;

/* dup(x): inserts x + 100 into t through the function's own connection. */
static void dup_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv){
  sqlite3 *db = sqlite3_context_db_handle(ctx);
  sqlite3_stmt *st = 0;
  int rc = sqlite3_prepare_v2(db, "INSERT INTO t VALUES(?)", -1, &st, 0);
  if( rc==SQLITE_OK ){
    sqlite3_bind_int64(st, 1, sqlite3_value_int64(argv[0]) + 100);
    rc = sqlite3_step(st);
  }
  sqlite3_finalize(st);
  sqlite3_result_int(ctx, rc);
}

/* cnt(): counts the rows of t through the connection (a read while the
** outer statement reads and writes). */
static void cnt_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv){
  sqlite3 *db = sqlite3_context_db_handle(ctx);
  sqlite3_stmt *st = 0;
  if( sqlite3_prepare_v2(db, "SELECT count(*) FROM t", -1, &st, 0)==SQLITE_OK && sqlite3_step(st)==SQLITE_ROW ){
    sqlite3_result_int64(ctx, sqlite3_column_int64(st, 0));
  }else{
    sqlite3_result_error(ctx, sqlite3_errmsg(db), -1);
  }
  sqlite3_finalize(st);
}

/* ex(sql): sqlite3_exec on the connection; returns "rc msg". */
static void ex_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv){
  sqlite3 *db = sqlite3_context_db_handle(ctx);
  char *err = 0;
  int rc = sqlite3_exec(db, (const char*)sqlite3_value_text(argv[0]), 0, 0, &err);
  sqlite3_result_text(ctx, sqlite3_mprintf("%d %s", rc, err ? err : "-"), -1, sqlite3_free);
  sqlite3_free(err);
}

/* nest(n): runs SELECT nest(n-1) on the connection, n levels deep. */
static void nest_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv){
  sqlite3 *db = sqlite3_context_db_handle(ctx);
  sqlite3_stmt *st = 0;
  int n = sqlite3_value_int(argv[0]);
  if( n<=0 ){ sqlite3_result_int(ctx, depth); return; }
  depth++;
  if( sqlite3_prepare_v2(db, "SELECT nest(?) + 1", -1, &st, 0)==SQLITE_OK ){
    sqlite3_bind_int(st, 1, n-1);
    if( sqlite3_step(st)==SQLITE_ROW ) sqlite3_result_int(ctx, sqlite3_column_int(st, 0));
    else sqlite3_result_error(ctx, sqlite3_errmsg(db), -1);
  }
  sqlite3_finalize(st);
}

/* tot(x): an aggregate whose xStep inserts into t and whose xFinal
** counts t, both through the connection. */
static void tot_step(sqlite3_context *ctx, int argc, sqlite3_value **argv){
  sqlite3 *db = sqlite3_context_db_handle(ctx);
  sqlite3_int64 *n = sqlite3_aggregate_context(ctx, sizeof(*n));
  char *sql = sqlite3_mprintf("INSERT INTO t VALUES(%lld)", sqlite3_value_int64(argv[0]) + 1000);
  if( n ) *n += sqlite3_exec(db, sql, 0, 0, 0)==SQLITE_OK;
  sqlite3_free(sql);
}
static void tot_final(sqlite3_context *ctx){
  sqlite3 *db = sqlite3_context_db_handle(ctx);
  sqlite3_int64 *n = sqlite3_aggregate_context(ctx, 0);
  sqlite3_stmt *st = 0;
  sqlite3_int64 c = -1;
  if( sqlite3_prepare_v2(db, "SELECT count(*) FROM t WHERE x >= 1000", -1, &st, 0)==SQLITE_OK && sqlite3_step(st)==SQLITE_ROW ){
    c = sqlite3_column_int64(st, 0);
  }
  sqlite3_finalize(st);
  sqlite3_result_text(ctx, sqlite3_mprintf("%lld inserts, %lld rows", n ? *n : 0, c), -1, sqlite3_free);
}

static void q(sqlite3 *db, const char *sql){
  sqlite3_stmt *st; int rc, i, n;
  rc = sqlite3_prepare_v2(db, sql, -1, &st, 0);
  printf("%s\n", sql);
  if( rc ){ printf("  prepare %d %s\n", rc, sqlite3_errmsg(db)); return; }
  n = sqlite3_column_count(st);
  while( (rc = sqlite3_step(st))==SQLITE_ROW ){
    printf(" ");
    for(i=0; i<n; i++) printf(" %s", sqlite3_column_text(st, i) ? (const char*)sqlite3_column_text(st, i) : "NULL");
    printf("\n");
  }
  printf("  -> %d %s; finalize %d; changes %d, autocommit %d\n", rc, sqlite3_errmsg(db), sqlite3_finalize(st), sqlite3_changes(db), sqlite3_get_autocommit(db));
}

int main(int argc, char **argv){
  sqlite3 *db;
  ferrolite_check_lib();
  if( argc<2 ) return 2;
  unlink(argv[1]);
  sqlite3_open(argv[1], &db);
  sqlite3_create_function(db, "dup", 1, SQLITE_UTF8, 0, dup_fn, 0, 0);
  sqlite3_create_function(db, "cnt", 0, SQLITE_UTF8, 0, cnt_fn, 0, 0);
  sqlite3_create_function(db, "ex", 1, SQLITE_UTF8, 0, ex_fn, 0, 0);
  sqlite3_create_function(db, "nest", 1, SQLITE_UTF8, 0, nest_fn, 0, 0);
  sqlite3_create_function(db, "tot", 1, SQLITE_UTF8, 0, 0, tot_step, tot_final);
  sqlite3_exec(db, "CREATE TABLE t(x); INSERT INTO t VALUES(1),(2),(3),(4),(5)", 0, 0, 0);

  /* CPython's case: the rows the function inserts are not seen by the
  ** rowid scan until it passes them (as in SQLite: appended after). */
  q(db, "SELECT x, dup(x) FROM t WHERE x < 100 ORDER BY rowid");
  q(db, "SELECT count(*), sum(x) FROM t");
  q(db, "SELECT x, cnt() FROM t WHERE x < 3");
  q(db, "SELECT ex('INSERT INTO t VALUES(7)'), ex('CREATE TABLE u(y)'), ex('SELECT * FROM nosuch')");
  q(db, "SELECT count(*) FROM t WHERE x = 7");
  q(db, "SELECT name FROM sqlite_schema ORDER BY name");
  q(db, "SELECT nest(3)");
  q(db, "SELECT tot(x) FROM t WHERE x < 6");
  /* No table can be dropped while a statement runs (SQLITE_LOCKED
  ** "database table is locked"), the one it reads or another. */
  q(db, "SELECT x, ex('DROP TABLE t') FROM t WHERE x < 3");
  q(db, "SELECT ex('DROP TABLE u') FROM t WHERE x = 1");
  /* Inside an explicit transaction: the function's writes roll back
  ** with it. */
  q(db, "BEGIN");
  q(db, "SELECT dup(x) FROM t WHERE x = 1");
  q(db, "SELECT count(*) FROM t WHERE x = 101");
  q(db, "ROLLBACK");
  q(db, "SELECT count(*) FROM t WHERE x = 101");
  /* The table the function wrote to can be dropped once the statement
  ** is done (CPython's test ends with this). */
  q(db, "DROP TABLE t");
  q(db, "SELECT name FROM sqlite_schema ORDER BY name");
  sqlite3_close(db);
  return 0;
}
