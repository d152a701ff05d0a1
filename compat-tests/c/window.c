/*
** window.c: application-defined window functions.
**
** sqlite3_create_window_function with xStep/xFinal/xValue/xInverse, used
** with sliding, growing and whole-partition frames, with PARTITION BY, with
** FILTER and as a plain aggregate; the order in which the callbacks run
** (logged); errors raised from xStep, xValue and xInverse; an aggregate
** without xValue/xInverse refused as a window function; misuse return
** codes; replacing and deleting, with xDestroy counted.
*/
#include "harness.h"
#include <sqlite3.h>

static int n_destroy = 0;
static void destroy(void *p){ (void)p; n_destroy++; }

static char trace[4096];
static int tracing = 0;
static void note(const char *what, sqlite3_value *v){
  char buf[64];
  if( !tracing ) return;
  if( v ) snprintf(buf, sizeof(buf), "%s(%s) ", what, sqlite3_value_text(v) ? (const char*)sqlite3_value_text(v) : "NULL");
  else snprintf(buf, sizeof(buf), "%s ", what);
  if( strlen(trace) + strlen(buf) < sizeof(trace) - 1 ) strcat(trace, buf);
}

static void show(sqlite3 *db, const char *sql){
  sqlite3_stmt *st = 0;
  int rc = sqlite3_prepare_v2(db, sql, -1, &st, 0);
  printf("%s\n", sql);
  if( rc!=SQLITE_OK ){
    printf("  prepare rc=%d %s\n", rc, sqlite3_errmsg(db));
    return;
  }
  trace[0] = 0;
  while( (rc = sqlite3_step(st))==SQLITE_ROW ){
    int i, n = sqlite3_column_count(st);
    printf(" ");
    for(i=0; i<n; i++){
      switch( sqlite3_column_type(st, i) ){
        case SQLITE_NULL: printf(" NULL"); break;
        case SQLITE_INTEGER: printf(" int:%lld", sqlite3_column_int64(st, i)); break;
        case SQLITE_FLOAT: printf(" real:%.6g", sqlite3_column_double(st, i)); break;
        default: printf(" text:%s", (const char*)sqlite3_column_text(st, i)); break;
      }
    }
    printf("\n");
  }
  if( rc!=SQLITE_DONE ) printf("  step rc=%d %s\n", rc, sqlite3_errmsg(db));
  rc = sqlite3_finalize(st);
  if( rc!=SQLITE_OK ) printf("  finalize rc=%d %s\n", rc, sqlite3_errmsg(db));
  if( trace[0] ) printf("  calls: %s\n", trace);
}

/* Runs a statement and prints only how it ends: an error raised while
** window functions are computed comes before the first row on Ferrolite,
** after the rows already computed on SQLite (docs/COMPAT.md). */
static void show_end(sqlite3 *db, const char *sql){
  sqlite3_stmt *st = 0;
  int rc = sqlite3_prepare_v2(db, sql, -1, &st, 0);
  printf("%s\n", sql);
  if( rc!=SQLITE_OK ){
    printf("  prepare rc=%d %s\n", rc, sqlite3_errmsg(db));
    return;
  }
  while( (rc = sqlite3_step(st))==SQLITE_ROW ){}
  printf("  step rc=%d %s\n", rc, rc==SQLITE_DONE ? "" : sqlite3_errmsg(db));
  rc = sqlite3_finalize(st);
  printf("  finalize rc=%d\n", rc);
}

/* sumint: an integer sum kept in the aggregate context. */
static void s_step(sqlite3_context *c, int n, sqlite3_value **v){
  sqlite3_int64 *p = sqlite3_aggregate_context(c, sizeof(*p));
  (void)n;
  note("step", v[0]);
  if( p ) *p += sqlite3_value_int64(v[0]);
}
static void s_inverse(sqlite3_context *c, int n, sqlite3_value **v){
  sqlite3_int64 *p = sqlite3_aggregate_context(c, sizeof(*p));
  (void)n;
  note("inverse", v[0]);
  if( p ) *p -= sqlite3_value_int64(v[0]);
}
static void s_value(sqlite3_context *c){
  sqlite3_int64 *p = sqlite3_aggregate_context(c, sizeof(*p));
  note("value", 0);
  sqlite3_result_int64(c, p ? *p : 0);
}
static void s_final(sqlite3_context *c){
  sqlite3_int64 *p = sqlite3_aggregate_context(c, 0);
  note("final", 0);
  sqlite3_result_int64(c, p ? *p : 0);
}

/* Variants that fail in one callback when they see the value 3. */
static void e_step(sqlite3_context *c, int n, sqlite3_value **v){
  if( sqlite3_value_int(v[0])==3 ){ sqlite3_result_error(c, "step saw 3", -1); return; }
  s_step(c, n, v);
}
static void e_inverse(sqlite3_context *c, int n, sqlite3_value **v){
  if( sqlite3_value_int(v[0])==3 ){ sqlite3_result_error(c, "inverse saw 3", -1); return; }
  s_inverse(c, n, v);
}
static void e_value(sqlite3_context *c){
  sqlite3_int64 *p = sqlite3_aggregate_context(c, sizeof(*p));
  if( p && *p>=9 ){ sqlite3_result_error(c, "value too big", -1); return; }
  sqlite3_result_int64(c, p ? *p : 0);
}

static void plain_step(sqlite3_context *c, int n, sqlite3_value **v){ s_step(c, n, v); }
static void plain_final(sqlite3_context *c){ s_final(c); }

int main(void){
  sqlite3 *db;
  int rc;
  ferrolite_check_lib();
  if( sqlite3_open(":memory:", &db)!=SQLITE_OK ) return 1;
  sqlite3_exec(db, "CREATE TABLE t(a INTEGER PRIMARY KEY, g TEXT, x);"
                   "INSERT INTO t VALUES(1,'p',1),(2,'q',2),(3,'p',3),(4,'q',4),(5,'p',5),(6,'p',NULL);", 0, 0, 0);

  rc = sqlite3_create_window_function(db, "sumint", 1, SQLITE_UTF8, 0, s_step, s_final, s_value, s_inverse, destroy);
  printf("create sumint rc=%d\n", rc);
  tracing = 1;
  show(db, "SELECT a, sumint(x) OVER (ORDER BY a ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING) FROM t");
  show(db, "SELECT a, sumint(x) OVER (ORDER BY a) FROM t");
  show(db, "SELECT a, sumint(x) OVER () FROM t");
  show(db, "SELECT a, sumint(a) OVER (ORDER BY a ROWS BETWEEN CURRENT ROW AND 2 FOLLOWING) FROM t");
  tracing = 0;
  show(db, "SELECT g, a, sumint(a) OVER (PARTITION BY g ORDER BY a ROWS 1 PRECEDING) FROM t ORDER BY g, a");
  show(db, "SELECT a, sumint(a) FILTER (WHERE a % 2 = 1) OVER (ORDER BY a ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) FROM t");
  show(db, "SELECT a, sumint(a) OVER (ORDER BY a ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING EXCLUDE CURRENT ROW) FROM t");
  show(db, "SELECT g, sumint(a) FROM t GROUP BY g ORDER BY g");
  show(db, "SELECT sumint(a) FROM t WHERE 0");

  /* Errors from the callbacks. */
  rc = sqlite3_create_window_function(db, "failing", 1, SQLITE_UTF8, 0, e_step, s_final, e_value, e_inverse, 0);
  printf("create failing rc=%d\n", rc);
  show_end(db, "SELECT a, failing(a) OVER (ORDER BY a ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) FROM t WHERE a <> 3");
  show_end(db, "SELECT a, failing(a) OVER (ORDER BY a) FROM t");
  show_end(db, "SELECT a, failing(a % 3 + 4) OVER (ORDER BY a ROWS 1 PRECEDING) FROM t");
  show_end(db, "SELECT a, failing(a) OVER (ORDER BY a ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) FROM t WHERE a < 5");
  show(db, "SELECT a, failing(a) OVER (ORDER BY a ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) FROM t WHERE a <> 3 AND a < 5");

  /* A plain aggregate is not a window function. */
  rc = sqlite3_create_function(db, "plain", 1, SQLITE_UTF8, 0, 0, plain_step, plain_final);
  printf("create plain rc=%d\n", rc);
  show(db, "SELECT plain(a) FROM t");
  show(db, "SELECT plain(a) OVER () FROM t");

  /* Misuse: xValue without xInverse, window callbacks without xStep. */
  rc = sqlite3_create_window_function(db, "bad", 1, SQLITE_UTF8, 0, s_step, s_final, s_value, 0, 0);
  printf("value without inverse rc=%d\n", rc);
  rc = sqlite3_create_window_function(db, "bad", 1, SQLITE_UTF8, 0, 0, 0, s_value, s_inverse, 0);
  printf("no step rc=%d\n", rc);
  rc = sqlite3_create_window_function(db, "bad", 1, SQLITE_UTF8, 0, s_step, 0, s_value, s_inverse, destroy);
  printf("no final rc=%d destroy=%d\n", rc, n_destroy);

  /* Replacing and deleting run xDestroy once each. */
  rc = sqlite3_create_window_function(db, "sumint", 1, SQLITE_UTF8, 0, s_step, s_final, s_value, s_inverse, destroy);
  printf("replace rc=%d destroy=%d\n", rc, n_destroy);
  rc = sqlite3_create_window_function(db, "sumint", 1, SQLITE_UTF8, 0, 0, 0, 0, 0, 0);
  printf("delete rc=%d destroy=%d\n", rc, n_destroy);
  show(db, "SELECT sumint(a) OVER () FROM t");
  rc = sqlite3_create_window_function(db, "sumint", 1, SQLITE_UTF8, 0, s_step, s_final, s_value, s_inverse, destroy);
  printf("create again rc=%d destroy=%d\n", rc, n_destroy);
  sqlite3_close(db);
  printf("closed destroy=%d\n", n_destroy);
  return 0;
}
