/*
** vtab_nochange.c: sqlite3_vtab_nochange and sqlite3_value_nochange.
**
** "nc" holds rows (a, b, c); its xColumn and xRowid log each call with
** sqlite3_vtab_nochange's answer, and leave column b unset when it may
** (column c is always set), so that xUpdate, which logs every argv value
** with sqlite3_value_type and sqlite3_value_nochange, shows which values
** the engine passed as unchanged: columns an UPDATE does not assign, in
** SQLite's order of calls (columns, then the old and new rowid), and
** never for SELECT, INSERT or DELETE, nor in a function's arguments.
*/
#include "harness.h"
#include <sqlite3.h>
#include "rows.h"
#include <stdlib.h>
#include <string.h>

#define NROW 3
static sqlite3_int64 va[NROW] = {1, 2, 3};
static char vb[NROW][16] = {"x1", "x2", "x3"};
static sqlite3_int64 vc[NROW] = {10, 20, 30};

typedef struct NcCur { sqlite3_vtab_cursor base; int i; } NcCur;

static int nc_ctor(sqlite3 *db, void *aux, int argc, const char *const*argv, sqlite3_vtab **pp, char **err){
  sqlite3_vtab *t;
  sqlite3_declare_vtab(db, "CREATE TABLE x(a INTEGER, b TEXT, c INTEGER)");
  t = sqlite3_malloc(sizeof(*t));
  memset(t, 0, sizeof(*t));
  *pp = t;
  (void)aux; (void)argc; (void)argv; (void)err;
  return SQLITE_OK;
}
static int nc_disconnect(sqlite3_vtab *p){ sqlite3_free(p); return SQLITE_OK; }
static int nc_best_index(sqlite3_vtab *tab, sqlite3_index_info *p){ p->estimatedCost = 10; (void)tab; return SQLITE_OK; }
static int nc_open(sqlite3_vtab *tab, sqlite3_vtab_cursor **pp){
  NcCur *c = sqlite3_malloc(sizeof(*c));
  memset(c, 0, sizeof(*c));
  *pp = &c->base;
  (void)tab;
  return SQLITE_OK;
}
static int nc_close(sqlite3_vtab_cursor *c){ sqlite3_free(c); return SQLITE_OK; }
static int nc_filter(sqlite3_vtab_cursor *pc, int num, const char *str, int argc, sqlite3_value **argv){
  ((NcCur*)pc)->i = 0; (void)num; (void)str; (void)argc; (void)argv; return SQLITE_OK;
}
static int nc_next(sqlite3_vtab_cursor *pc){ ((NcCur*)pc)->i++; return SQLITE_OK; }
static int nc_eof(sqlite3_vtab_cursor *pc){ return ((NcCur*)pc)->i>=NROW; }
static int nc_column(sqlite3_vtab_cursor *pc, sqlite3_context *ctx, int i){
  int r = ((NcCur*)pc)->i;
  int nochange = sqlite3_vtab_nochange(ctx);
  printf("    | xColumn %d row %d nochange=%d\n", i, r, nochange);
  if( i==1 && nochange ) return SQLITE_OK;
  if( i==0 ) sqlite3_result_int64(ctx, va[r]);
  else if( i==1 ) sqlite3_result_text(ctx, vb[r], -1, SQLITE_TRANSIENT);
  else{
    sqlite3_result_int64(ctx, vc[r]);
    printf("    |   after a result: nochange=%d\n", sqlite3_vtab_nochange(ctx));
  }
  return SQLITE_OK;
}
static int nc_rowid(sqlite3_vtab_cursor *pc, sqlite3_int64 *p){
  printf("    | xRowid row %d\n", ((NcCur*)pc)->i);
  *p = ((NcCur*)pc)->i + 1;
  return SQLITE_OK;
}
static int nc_update(sqlite3_vtab *tab, int argc, sqlite3_value **argv, sqlite3_int64 *pRowid){
  int i;
  printf("    | xUpdate argc=%d:", argc);
  for(i=0; i<argc; i++){
    printf(" ");
    print_value(argv[i]);
    printf("/t%d/nc%d", sqlite3_value_type(argv[i]), sqlite3_value_nochange(argv[i]));
  }
  printf("\n");
  if( argc>1 && sqlite3_value_type(argv[0])!=SQLITE_NULL ){
    int r = (int)sqlite3_value_int64(argv[0]) - 1;
    if( r>=0 && r<NROW ){
      if( !sqlite3_value_nochange(argv[2]) ) va[r] = sqlite3_value_int64(argv[2]);
      if( !sqlite3_value_nochange(argv[3]) ) snprintf(vb[r], sizeof(vb[r]), "%s", sqlite3_value_text(argv[3]) ? (const char*)sqlite3_value_text(argv[3]) : "");
      if( !sqlite3_value_nochange(argv[4]) ) vc[r] = sqlite3_value_int64(argv[4]);
    }
  }
  *pRowid = 9;
  (void)tab;
  return SQLITE_OK;
}

static sqlite3_module nc_module = {
  1, nc_ctor, nc_ctor, nc_best_index, nc_disconnect, nc_disconnect,
  nc_open, nc_close, nc_filter, nc_next, nc_eof, nc_column, nc_rowid,
  nc_update, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
};

static void nochange_of_arg(sqlite3_context *ctx, int argc, sqlite3_value **argv){
  sqlite3_result_int(ctx, sqlite3_value_nochange(argv[0]) * 10 + sqlite3_vtab_nochange(ctx));
  (void)argc;
}

int main(int argc, char **argv){
  sqlite3 *db;
  ferrolite_check_lib();
  if( argc<2 ) return 2;
  db = open_db(argv[1]);
  printf("create_module rc=%d\n", sqlite3_create_module(db, "nc", &nc_module, 0));
  sqlite3_create_function(db, "nochg", 1, SQLITE_UTF8, 0, nochange_of_arg, 0, 0);
  show_values(db, "CREATE VIRTUAL TABLE t USING nc");
  show_values(db, "SELECT a, b, c FROM t WHERE a = 2");
  show_values(db, "UPDATE t SET a = a + 100 WHERE c = 20");
  show_values(db, "UPDATE t SET c = 7, rowid = 5 WHERE a = 1");
  show_values(db, "UPDATE t SET b = 'new' WHERE a = 3");
  show_values(db, "UPDATE t SET a = b || 'z' WHERE a = 102");
  show_values(db, "SELECT a, b, c FROM t");
  show_values(db, "DELETE FROM t WHERE a = 7");
  show_values(db, "INSERT INTO t VALUES (4, 'x4', 40)");
  show_values(db, "SELECT nochg(b) FROM t WHERE a = 3");
  /* No virtual table left for the file checks (they have no modules). */
  show_values(db, "DROP TABLE t");
  printf("close rc=%d\n", sqlite3_close(db));
  return 0;
}
