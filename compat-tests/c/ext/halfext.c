/*
** halfext.c: a loadable extension for compat-tests/c/extension.c.
**
** Built by compat-tests/c/run.sh as a shared library (libhalfext.so)
** against include/sqlite3ext.h only and NOT linked with any libsqlite3:
** every library call goes through the sqlite3_api_routines table the
** loading library passes in, so the same file exercises that table's
** layout on Ferrolite and on SQLite.
**
** Entry points:
**   sqlite3_halfext_init   the name SQLite derives from "libhalfext.so":
**                          half(x), halfext_version(), greet(name) (built
**                          with sqlite3_str_*, members near the end of the
**                          table), collation "backwards";
**   halfext_fail_init      fails with a message made by sqlite3_mprintf;
**   halfext_permanent_init registers twice(x) and asks to stay loaded
**                          (SQLITE_OK_LOAD_PERMANENTLY).
*/
#include "sqlite3ext.h"
SQLITE_EXTENSION_INIT1

#include <string.h>

static void half_func(sqlite3_context *ctx, int argc, sqlite3_value **argv){
  (void)argc;
  if( sqlite3_value_type(argv[0])==SQLITE_NULL ) return;
  sqlite3_result_double(ctx, sqlite3_value_double(argv[0])/2.0);
}

static void twice_func(sqlite3_context *ctx, int argc, sqlite3_value **argv){
  (void)argc;
  sqlite3_result_int64(ctx, 2*sqlite3_value_int64(argv[0]));
}

static void version_func(sqlite3_context *ctx, int argc, sqlite3_value **argv){
  (void)argc; (void)argv;
  sqlite3_result_int(ctx, sqlite3_libversion_number());
}

static void greet_func(sqlite3_context *ctx, int argc, sqlite3_value **argv){
  sqlite3_str *s = sqlite3_str_new(sqlite3_context_db_handle(ctx));
  char *z;
  (void)argc;
  sqlite3_str_appendf(s, "hello, %s (%d bytes)",
                      (const char*)sqlite3_value_text(argv[0]),
                      sqlite3_value_bytes(argv[0]));
  z = sqlite3_str_finish(s);
  sqlite3_result_text(ctx, z, -1, sqlite3_free);
}

/* Compares the strings as if each were reversed. */
static int backwards_cmp(void *p, int n1, const void *z1, int n2, const void *z2){
  const unsigned char *a = z1, *b = z2;
  (void)p;
  while( n1>0 && n2>0 ){
    int c = (int)a[n1-1] - (int)b[n2-1];
    if( c ) return c;
    n1--; n2--;
  }
  return n1 - n2;
}

#ifdef _WIN32
__declspec(dllexport)
#endif
int sqlite3_halfext_init(sqlite3 *db, char **pzErrMsg, const sqlite3_api_routines *pApi){
  int rc;
  SQLITE_EXTENSION_INIT2(pApi);
  (void)pzErrMsg;
  rc = sqlite3_create_function(db, "half", 1, SQLITE_UTF8|SQLITE_DETERMINISTIC, 0, half_func, 0, 0);
  if( rc==SQLITE_OK ){
    rc = sqlite3_create_function_v2(db, "halfext_version", 0, SQLITE_UTF8, 0, version_func, 0, 0, 0);
  }
  if( rc==SQLITE_OK ){
    rc = sqlite3_create_function(db, "greet", 1, SQLITE_UTF8, 0, greet_func, 0, 0);
  }
  if( rc==SQLITE_OK ){
    rc = sqlite3_create_collation(db, "backwards", SQLITE_UTF8, 0, backwards_cmp);
  }
  return rc;
}

int halfext_fail_init(sqlite3 *db, char **pzErrMsg, const sqlite3_api_routines *pApi){
  SQLITE_EXTENSION_INIT2(pApi);
  (void)db;
  *pzErrMsg = sqlite3_mprintf("halfext refuses (%d)", 42);
  return SQLITE_ERROR;
}

int halfext_permanent_init(sqlite3 *db, char **pzErrMsg, const sqlite3_api_routines *pApi){
  int rc;
  SQLITE_EXTENSION_INIT2(pApi);
  (void)pzErrMsg;
  rc = sqlite3_create_function(db, "twice", 1, SQLITE_UTF8, 0, twice_func, 0, 0);
  return rc==SQLITE_OK ? SQLITE_OK_LOAD_PERMANENTLY : rc;
}
