/*
** smoke.c -- a small, ordinary SQLite client used to show that
** include/sqlite3.h and a libsqlite3 agree at the binary level.
**
** It is written the way applications are: the statement life cycle, a
** scalar SQL function, a VFS shim declared with designated initializers
** that forwards to the default VFS, and a read-only virtual table module.
** Built with -Wall -Wextra -Werror against our header, linked against the
** library under test (run-smoke.sh).  Ends with "N passed, N failed".
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sqlite3.h"

static int passed, failed;
#define CHECK(cond, what) do { \
    if (cond) { passed++; } \
    else { failed++; printf("FAIL %s (line %d)\n", what, __LINE__); } \
  } while (0)

/* ---- a VFS shim that counts opens and forwards everything --------------- */

static sqlite3_vfs *base_vfs;
static int shim_opens;

static int shim_open(sqlite3_vfs *v, sqlite3_filename zName, sqlite3_file *f,
                     int flags, int *pOutFlags){
  (void)v;
  shim_opens++;
  return base_vfs->xOpen(base_vfs, zName, f, flags, pOutFlags);
}
static int shim_delete(sqlite3_vfs *v, const char *z, int syncDir){
  (void)v; return base_vfs->xDelete(base_vfs, z, syncDir);
}
static int shim_access(sqlite3_vfs *v, const char *z, int flags, int *pRes){
  (void)v; return base_vfs->xAccess(base_vfs, z, flags, pRes);
}
static int shim_fullpathname(sqlite3_vfs *v, const char *z, int n, char *out){
  (void)v; return base_vfs->xFullPathname(base_vfs, z, n, out);
}
static void *shim_dlopen(sqlite3_vfs *v, const char *z){
  (void)v; return base_vfs->xDlOpen(base_vfs, z);
}
static void shim_dlerror(sqlite3_vfs *v, int n, char *z){
  (void)v; base_vfs->xDlError(base_vfs, n, z);
}
static void (*shim_dlsym(sqlite3_vfs *v, void *h, const char *z))(void){
  (void)v; return base_vfs->xDlSym(base_vfs, h, z);
}
static void shim_dlclose(sqlite3_vfs *v, void *h){
  (void)v; base_vfs->xDlClose(base_vfs, h);
}
static int shim_randomness(sqlite3_vfs *v, int n, char *z){
  (void)v; return base_vfs->xRandomness(base_vfs, n, z);
}
static int shim_sleep(sqlite3_vfs *v, int us){
  (void)v; return base_vfs->xSleep(base_vfs, us);
}
static int shim_currenttime(sqlite3_vfs *v, double *p){
  (void)v; return base_vfs->xCurrentTime(base_vfs, p);
}
static int shim_getlasterror(sqlite3_vfs *v, int n, char *z){
  (void)v; return base_vfs->xGetLastError(base_vfs, n, z);
}
static int shim_currenttimeint64(sqlite3_vfs *v, sqlite3_int64 *p){
  (void)v; return base_vfs->xCurrentTimeInt64(base_vfs, p);
}

static sqlite3_vfs shim_vfs = {
  .iVersion = 2,
  .szOsFile = 0,          /* copied from the default VFS at run time */
  .mxPathname = 0,        /* likewise */
  .pNext = NULL,
  .zName = "ferrolite-smoke-shim",
  .pAppData = NULL,
  .xOpen = shim_open,
  .xDelete = shim_delete,
  .xAccess = shim_access,
  .xFullPathname = shim_fullpathname,
  .xDlOpen = shim_dlopen,
  .xDlError = shim_dlerror,
  .xDlSym = shim_dlsym,
  .xDlClose = shim_dlclose,
  .xRandomness = shim_randomness,
  .xSleep = shim_sleep,
  .xCurrentTime = shim_currenttime,
  .xGetLastError = shim_getlasterror,
  .xCurrentTimeInt64 = shim_currenttimeint64,
};

/* ---- a virtual table: CREATE VIRTUAL TABLE t USING seq(N) -> 1..N -------- */

typedef struct seq_vtab { sqlite3_vtab base; int n; } seq_vtab;
typedef struct seq_cursor { sqlite3_vtab_cursor base; int i; } seq_cursor;

static int seq_connect(sqlite3 *db, void *pAux, int argc, const char *const*argv,
                       sqlite3_vtab **ppVtab, char **pzErr){
  seq_vtab *p;
  int rc;
  (void)pAux; (void)pzErr;
  rc = sqlite3_declare_vtab(db, "CREATE TABLE x(value INTEGER)");
  if( rc!=SQLITE_OK ) return rc;
  p = sqlite3_malloc(sizeof(*p));
  if( p==NULL ) return SQLITE_NOMEM;
  memset(p, 0, sizeof(*p));
  p->n = argc>3 ? atoi(argv[3]) : 3;
  *ppVtab = &p->base;
  return SQLITE_OK;
}
static int seq_disconnect(sqlite3_vtab *v){ sqlite3_free(v); return SQLITE_OK; }
static int seq_bestindex(sqlite3_vtab *v, sqlite3_index_info *info){
  (void)v;
  info->estimatedCost = 10.0;
  info->estimatedRows = 10;
  info->idxNum = 0;
  return SQLITE_OK;
}
static int seq_open(sqlite3_vtab *v, sqlite3_vtab_cursor **pp){
  seq_cursor *c = sqlite3_malloc(sizeof(*c));
  (void)v;
  if( c==NULL ) return SQLITE_NOMEM;
  memset(c, 0, sizeof(*c));
  *pp = &c->base;
  return SQLITE_OK;
}
static int seq_close(sqlite3_vtab_cursor *c){ sqlite3_free(c); return SQLITE_OK; }
static int seq_filter(sqlite3_vtab_cursor *c, int idxNum, const char *idxStr,
                      int argc, sqlite3_value **argv){
  (void)idxNum; (void)idxStr; (void)argc; (void)argv;
  ((seq_cursor*)c)->i = 1;
  return SQLITE_OK;
}
static int seq_next(sqlite3_vtab_cursor *c){ ((seq_cursor*)c)->i++; return SQLITE_OK; }
static int seq_eof(sqlite3_vtab_cursor *c){
  return ((seq_cursor*)c)->i > ((seq_vtab*)c->pVtab)->n;
}
static int seq_column(sqlite3_vtab_cursor *c, sqlite3_context *ctx, int col){
  (void)col;
  sqlite3_result_int(ctx, ((seq_cursor*)c)->i);
  return SQLITE_OK;
}
static int seq_rowid(sqlite3_vtab_cursor *c, sqlite3_int64 *pRowid){
  *pRowid = ((seq_cursor*)c)->i;
  return SQLITE_OK;
}

static const sqlite3_module seq_module = {
  .iVersion = 1,
  .xCreate = seq_connect,
  .xConnect = seq_connect,
  .xBestIndex = seq_bestindex,
  .xDisconnect = seq_disconnect,
  .xDestroy = seq_disconnect,
  .xOpen = seq_open,
  .xClose = seq_close,
  .xFilter = seq_filter,
  .xNext = seq_next,
  .xEof = seq_eof,
  .xColumn = seq_column,
  .xRowid = seq_rowid,
};

/* ---- a scalar function: twice(x) ----------------------------------------- */

static void twice(sqlite3_context *ctx, int argc, sqlite3_value **argv){
  (void)argc;
  if( sqlite3_value_type(argv[0])==SQLITE_NULL ){
    sqlite3_result_null(ctx);
  }else{
    sqlite3_result_int64(ctx, 2*sqlite3_value_int64(argv[0]));
  }
}

int main(void){
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  const char *tail = NULL;
  int rc, rows;
  sqlite3_int64 sum;
  char path[512] = "";

  printf("header %s (%d), library %s (%d)\n", SQLITE_VERSION,
         SQLITE_VERSION_NUMBER, sqlite3_libversion(), sqlite3_libversion_number());
  CHECK(strcmp(sqlite3_libversion(), sqlite3_version)==0, "sqlite3_version matches libversion");
  CHECK(sqlite3_libversion_number()/1000000==3, "major version 3");

  base_vfs = sqlite3_vfs_find(NULL);
  CHECK(base_vfs!=NULL, "default VFS");
  if( base_vfs==NULL ) goto done;
  shim_vfs.szOsFile = base_vfs->szOsFile;
  shim_vfs.mxPathname = base_vfs->mxPathname;
  CHECK(sqlite3_vfs_register(&shim_vfs, 0)==SQLITE_OK, "register VFS shim");
  CHECK(sqlite3_vfs_find("ferrolite-smoke-shim")==&shim_vfs, "find VFS shim");

  /* A scratch database file, opened through the shim. */
  {
    unsigned int r;
    const char *dir = getenv("TMPDIR");
    sqlite3_randomness(sizeof(r), &r);
    sqlite3_snprintf(sizeof(path), path, "%s/ferrolite-smoke-%08x.db",
                     dir && dir[0] ? dir : "/tmp", r);
  }
  rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE|SQLITE_OPEN_CREATE,
                       "ferrolite-smoke-shim");
  CHECK(rc==SQLITE_OK, "open through the shim");
  if( rc!=SQLITE_OK ) goto done;

  rc = sqlite3_exec(db, "CREATE TABLE t(a INTEGER, b TEXT, c REAL, d BLOB)", 0, 0, 0);
  CHECK(rc==SQLITE_OK, "create table");
  CHECK(shim_opens>0, "VFS shim xOpen called");

  rc = sqlite3_prepare_v2(db, "INSERT INTO t VALUES(?1, ?2, ?3, ?4)", -1, &stmt, &tail);
  CHECK(rc==SQLITE_OK && stmt!=NULL && *tail==0, "prepare insert");
  CHECK(sqlite3_bind_parameter_count(stmt)==4, "parameter count");
  for(rows=1; rows<=3 && stmt; rows++){
    char text[16];
    snprintf(text, sizeof(text), "row %d", rows);
    CHECK(sqlite3_bind_int64(stmt, 1, rows)==SQLITE_OK, "bind int64");
    CHECK(sqlite3_bind_text(stmt, 2, text, -1, SQLITE_TRANSIENT)==SQLITE_OK, "bind text");
    CHECK(sqlite3_bind_double(stmt, 3, rows*1.5)==SQLITE_OK, "bind double");
    CHECK(sqlite3_bind_blob(stmt, 4, "\x01\x02", 2, SQLITE_STATIC)==SQLITE_OK, "bind blob");
    CHECK(sqlite3_step(stmt)==SQLITE_DONE, "step insert");
    CHECK(sqlite3_reset(stmt)==SQLITE_OK, "reset");
  }
  CHECK(sqlite3_finalize(stmt)==SQLITE_OK, "finalize insert");
  CHECK(sqlite3_changes(db)==1 && sqlite3_total_changes(db)==3, "change counters");

  CHECK(sqlite3_create_function_v2(db, "twice", 1,
          SQLITE_UTF8|SQLITE_DETERMINISTIC|SQLITE_INNOCUOUS,
          NULL, twice, NULL, NULL, NULL)==SQLITE_OK, "create function");

  rc = sqlite3_prepare_v3(db, "SELECT a, b, c, d, twice(a) FROM t ORDER BY a",
                          -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
  CHECK(rc==SQLITE_OK, "prepare select");
  CHECK(sqlite3_column_count(stmt)==5, "column count");
  CHECK(strcmp(sqlite3_column_name(stmt, 1), "b")==0, "column name");
  rows = 0; sum = 0;
  while( (rc = sqlite3_step(stmt))==SQLITE_ROW ){
    rows++;
    sum += sqlite3_column_int64(stmt, 0);
    CHECK(sqlite3_column_type(stmt, 1)==SQLITE_TEXT, "text column type");
    CHECK(sqlite3_column_type(stmt, 2)==SQLITE_FLOAT, "float column type");
    CHECK(sqlite3_column_double(stmt, 2)==rows*1.5, "double value");
    CHECK(strncmp((const char*)sqlite3_column_text(stmt, 1), "row ", 4)==0, "text value");
    CHECK(sqlite3_column_bytes(stmt, 3)==2
          && memcmp(sqlite3_column_blob(stmt, 3), "\x01\x02", 2)==0, "blob value");
    CHECK(sqlite3_column_int(stmt, 4)==2*rows, "function result");
  }
  CHECK(rc==SQLITE_DONE, "select finished");
  CHECK(rows==3 && sum==6, "three rows, sum 6");
  CHECK(sqlite3_finalize(stmt)==SQLITE_OK, "finalize select");

  /* The virtual table module. */
  CHECK(sqlite3_create_module(db, "seq", &seq_module, NULL)==SQLITE_OK, "create module");
  CHECK(sqlite3_exec(db, "CREATE VIRTUAL TABLE s USING seq(4)", 0, 0, 0)==SQLITE_OK,
        "create virtual table");
  rc = sqlite3_prepare_v2(db, "SELECT sum(value), count(*) FROM s", -1, &stmt, NULL);
  CHECK(rc==SQLITE_OK && sqlite3_step(stmt)==SQLITE_ROW, "query virtual table");
  CHECK(sqlite3_column_int(stmt, 0)==10 && sqlite3_column_int(stmt, 1)==4, "virtual table rows");
  sqlite3_finalize(stmt);

  /* Errors come back with the documented codes. */
  stmt = NULL;
  rc = sqlite3_prepare_v2(db, "SELECT * FROM no_such_table", -1, &stmt, NULL);
  CHECK(rc==SQLITE_ERROR && stmt==NULL, "error code");
  CHECK(strstr(sqlite3_errmsg(db), "no_such_table")!=NULL, "error message");
  CHECK(sqlite3_extended_errcode(db)==SQLITE_ERROR, "extended error code");

  CHECK(sqlite3_close(db)==SQLITE_OK, "close");
  db = NULL;
  CHECK(shim_vfs.xDelete(&shim_vfs, path, 0)==SQLITE_OK, "delete the scratch file");
  CHECK(sqlite3_vfs_unregister(&shim_vfs)==SQLITE_OK, "unregister VFS shim");

done:
  if( db ){ sqlite3_close(db); remove(path); }
  printf("%d passed, %d failed\n", passed, failed);
  return failed ? 1 : 0;
}
