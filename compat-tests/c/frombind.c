/*
** frombind.c: sqlite3_value_frombind. An application function reports,
** for each argument, whether its value came straight from a bound
** parameter: f(?1), f(:name) and f(CAST(?1 AS TEXT)) (CAST converts in
** place) do, f(5), f(?1 + 0) and f(upper(?1)) do not; also an aggregate's
** argument, the column values of `SELECT ?1, 5, ?1 + 1` and their copies
** (sqlite3_value_dup).
*/
#include "harness.h"
#include <sqlite3.h>

static void f(sqlite3_context *ctx, int argc, sqlite3_value **argv){
  char buf[64];
  int i, n = 0;
  for(i=0; i<argc && n<60; i++) buf[n++] = sqlite3_value_frombind(argv[i]) ? 'B' : '-';
  buf[n] = 0;
  sqlite3_result_text(ctx, buf, -1, SQLITE_TRANSIENT);
}

static char agg_seen[64];
static void agg_step(sqlite3_context *ctx, int argc, sqlite3_value **argv){
  size_t n = strlen(agg_seen);
  (void)ctx;
  if( argc>0 && n<60 ){ agg_seen[n] = sqlite3_value_frombind(argv[0]) ? 'B' : '-'; agg_seen[n+1] = 0; }
}
static void agg_final(sqlite3_context *ctx){
  sqlite3_result_text(ctx, agg_seen, -1, SQLITE_TRANSIENT);
  agg_seen[0] = 0;
}

static void try(sqlite3 *db, const char *sql){
  sqlite3_stmt *st = 0;
  int rc = sqlite3_prepare_v2(db, sql, -1, &st, 0);
  printf("%-70s", sql);
  if( rc ){ printf(" prepare rc=%d %s\n", rc, sqlite3_errmsg(db)); return; }
  sqlite3_bind_int(st, 1, 42);
  if( sqlite3_bind_parameter_count(st)>=2 ) sqlite3_bind_text(st, 2, "txt", -1, SQLITE_STATIC);
  while( (rc = sqlite3_step(st))==SQLITE_ROW ){
    int i;
    printf(" ->");
    for(i=0; i<sqlite3_column_count(st); i++){
      sqlite3_value *v = sqlite3_column_value(st, i);
      printf(" %s", (const char*)sqlite3_column_text(st, i) ? (const char*)sqlite3_column_text(st, i) : "NULL");
      (void)v;
    }
  }
  if( rc!=SQLITE_DONE ) printf(" step rc=%d %s", rc, sqlite3_errmsg(db));
  printf("\n");
  sqlite3_finalize(st);
}

int main(int argc, char **argv){
  sqlite3 *db;
  ferrolite_check_lib();
  setvbuf(stdout, 0, _IONBF, 0);
  if( argc<2 ) return 2;
  remove(argv[1]);
  if( sqlite3_open(argv[1], &db) ) return 1;
  sqlite3_create_function(db, "f", -1, SQLITE_UTF8, 0, f, 0, 0);
  sqlite3_create_function(db, "agg", 1, SQLITE_UTF8, 0, 0, agg_step, agg_final);
  sqlite3_exec(db, "CREATE TABLE t(a, b); INSERT INTO t VALUES(1, 'x'), (2, 'y')", 0, 0, 0);

  try(db, "SELECT f(?1)");
  try(db, "SELECT f(5)");
  try(db, "SELECT f('lit', ?1, ?2, 7)");
  try(db, "SELECT f(?1 + 0)");
  try(db, "SELECT f(CAST(?1 AS TEXT))");
  try(db, "SELECT f(upper(?2))");
  try(db, "SELECT f(:name)");
  try(db, "SELECT f(?1, a) FROM t");
  try(db, "SELECT f(?1) FROM t WHERE a = ?1 - 41");
  try(db, "SELECT agg(?1) FROM t");
  try(db, "SELECT agg(a) FROM t");
  try(db, "SELECT f(a) FROM t WHERE a = ?1");
  {
    sqlite3_stmt *st = 0;
    sqlite3_prepare_v2(db, "SELECT ?1, 5, ?1 + 1", -1, &st, 0);
    sqlite3_bind_int(st, 1, 42);
    if( sqlite3_step(st)==SQLITE_ROW ){
      sqlite3_value *d;
      printf("column_value frombind: %d %d %d\n", sqlite3_value_frombind(sqlite3_column_value(st, 0)),
             sqlite3_value_frombind(sqlite3_column_value(st, 1)), sqlite3_value_frombind(sqlite3_column_value(st, 2)));
      d = sqlite3_value_dup(sqlite3_column_value(st, 1));
      printf("dup of a literal: %d\n", sqlite3_value_frombind(d));
      sqlite3_value_free(d);
      d = sqlite3_value_dup(sqlite3_column_value(st, 0));
      printf("dup of a parameter: %d\n", sqlite3_value_frombind(d));
      sqlite3_value_free(d);
    }
    sqlite3_finalize(st);
  }
  sqlite3_close(db);
  return 0;
}
