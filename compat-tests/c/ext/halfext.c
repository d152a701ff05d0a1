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
**                          table), collation "backwards", and the
**                          eponymous-only virtual table halfseries(N): N,
**                          N/2, N/4 ... down to 1 (sqlite3_create_module,
**                          declare_vtab through the table);
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

/* halfseries: columns value and the hidden argument start. */
typedef struct hs_cursor hs_cursor;
struct hs_cursor {
  sqlite3_vtab_cursor base;
  sqlite3_int64 value;
  sqlite3_int64 rowid;
};

static int hs_connect(sqlite3 *db, void *pAux, int argc, const char *const *argv,
                      sqlite3_vtab **ppVtab, char **pzErr){
  sqlite3_vtab *p;
  int rc;
  (void)pAux; (void)argc; (void)argv; (void)pzErr;
  rc = sqlite3_declare_vtab(db, "CREATE TABLE x(value INTEGER, start HIDDEN)");
  if( rc!=SQLITE_OK ) return rc;
  p = sqlite3_malloc(sizeof(*p));
  if( p==0 ) return SQLITE_NOMEM;
  memset(p, 0, sizeof(*p));
  *ppVtab = p;
  return SQLITE_OK;
}

static int hs_disconnect(sqlite3_vtab *p){
  sqlite3_free(p);
  return SQLITE_OK;
}

static int hs_open(sqlite3_vtab *p, sqlite3_vtab_cursor **ppCur){
  hs_cursor *c = sqlite3_malloc(sizeof(*c));
  (void)p;
  if( c==0 ) return SQLITE_NOMEM;
  memset(c, 0, sizeof(*c));
  *ppCur = &c->base;
  return SQLITE_OK;
}

static int hs_close(sqlite3_vtab_cursor *cur){
  sqlite3_free(cur);
  return SQLITE_OK;
}

static int hs_filter(sqlite3_vtab_cursor *cur, int idxNum, const char *idxStr,
                     int argc, sqlite3_value **argv){
  hs_cursor *c = (hs_cursor*)cur;
  (void)idxStr;
  c->value = (idxNum==1 && argc==1) ? sqlite3_value_int64(argv[0]) : 0;
  c->rowid = 1;
  return SQLITE_OK;
}

static int hs_next(sqlite3_vtab_cursor *cur){
  hs_cursor *c = (hs_cursor*)cur;
  c->value /= 2;
  c->rowid++;
  return SQLITE_OK;
}

static int hs_eof(sqlite3_vtab_cursor *cur){
  return ((hs_cursor*)cur)->value<=0;
}

static int hs_column(sqlite3_vtab_cursor *cur, sqlite3_context *ctx, int i){
  sqlite3_result_int64(ctx, ((hs_cursor*)cur)->value);
  (void)i;
  return SQLITE_OK;
}

static int hs_rowid(sqlite3_vtab_cursor *cur, sqlite3_int64 *pRowid){
  *pRowid = ((hs_cursor*)cur)->rowid;
  return SQLITE_OK;
}

static int hs_best_index(sqlite3_vtab *tab, sqlite3_index_info *info){
  int i;
  (void)tab;
  info->idxNum = 0;
  info->estimatedCost = 1e6;
  for(i=0; i<info->nConstraint; i++){
    const struct sqlite3_index_constraint *k = &info->aConstraint[i];
    if( k->iColumn==1 && k->op==SQLITE_INDEX_CONSTRAINT_EQ && k->usable ){
      info->aConstraintUsage[i].argvIndex = 1;
      info->aConstraintUsage[i].omit = 1;
      info->idxNum = 1;
      info->estimatedCost = 10;
      break;
    }
  }
  return SQLITE_OK;
}

static sqlite3_module hs_module = {
  0,              /* iVersion */
  0,              /* xCreate: eponymous only */
  hs_connect, hs_best_index, hs_disconnect, 0 /* xDestroy */,
  hs_open, hs_close, hs_filter, hs_next, hs_eof, hs_column, hs_rowid,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
};

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
  if( rc==SQLITE_OK ){
    rc = sqlite3_create_module(db, "halfseries", &hs_module, 0);
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
