/*
** vtab_integrity.c: xIntegrity from PRAGMA integrity_check / quick_check.
**
** "chk" (module version 4) logs each xIntegrity call (schema, table,
** quick flag) and answers according to its first module argument: "ok"
** (no message), "bad" (a message, which becomes a result row as the
** module wrote it), "fail" (an error code, which fails the PRAGMA).
** "chk3" has the same methods but is of version 3, so SQLite never calls
** its xIntegrity. Also: a table in an attached database, a table not yet
** connected (connected by the PRAGMA), and a table whose module is gone.
*/
#include "harness.h"
#include <sqlite3.h>
#include "rows.h"
#include <stdlib.h>
#include <string.h>

typedef struct ChkTab { sqlite3_vtab base; char mode[16]; } ChkTab;
typedef struct ChkCur { sqlite3_vtab_cursor base; int eof; } ChkCur;

static int chk_ctor(sqlite3 *db, void *aux, int argc, const char *const*argv, sqlite3_vtab **pp, char **err){
  ChkTab *t;
  printf("    | xConnect %s.%s\n", argv[1], argv[2]);
  sqlite3_declare_vtab(db, "CREATE TABLE x(a)");
  t = sqlite3_malloc(sizeof(*t));
  memset(t, 0, sizeof(*t));
  snprintf(t->mode, sizeof(t->mode), "%s", argc>3 ? argv[3] : "ok");
  *pp = &t->base;
  (void)aux; (void)err;
  return SQLITE_OK;
}
static int chk_disconnect(sqlite3_vtab *p){ sqlite3_free(p); return SQLITE_OK; }
static int chk_best_index(sqlite3_vtab *tab, sqlite3_index_info *p){ p->estimatedCost = 10; (void)tab; return SQLITE_OK; }
static int chk_open(sqlite3_vtab *tab, sqlite3_vtab_cursor **pp){
  ChkCur *c = sqlite3_malloc(sizeof(*c));
  memset(c, 0, sizeof(*c));
  *pp = &c->base;
  (void)tab;
  return SQLITE_OK;
}
static int chk_close(sqlite3_vtab_cursor *c){ sqlite3_free(c); return SQLITE_OK; }
static int chk_filter(sqlite3_vtab_cursor *pc, int num, const char *str, int argc, sqlite3_value **argv){
  ((ChkCur*)pc)->eof = 1; (void)num; (void)str; (void)argc; (void)argv; return SQLITE_OK;
}
static int chk_next(sqlite3_vtab_cursor *pc){ ((ChkCur*)pc)->eof = 1; return SQLITE_OK; }
static int chk_eof(sqlite3_vtab_cursor *pc){ return ((ChkCur*)pc)->eof; }
static int chk_column(sqlite3_vtab_cursor *pc, sqlite3_context *ctx, int i){ (void)pc; (void)ctx; (void)i; return SQLITE_OK; }
static int chk_rowid(sqlite3_vtab_cursor *pc, sqlite3_int64 *p){ *p = 1; (void)pc; return SQLITE_OK; }
static int chk_integrity(sqlite3_vtab *p, const char *schema, const char *name, int flags, char **err){
  ChkTab *t = (ChkTab*)p;
  printf("    | xIntegrity %s.%s flags=%d mode=%s\n", schema, name, flags, t->mode);
  if( strcmp(t->mode, "bad")==0 ){
    *err = sqlite3_mprintf("chk: %s.%s is broken", schema, name);
  }
  if( strcmp(t->mode, "fail")==0 ) return SQLITE_NOMEM;
  return SQLITE_OK;
}

static sqlite3_module chk_module = {
  4, chk_ctor, chk_ctor, chk_best_index, chk_disconnect, chk_disconnect,
  chk_open, chk_close, chk_filter, chk_next, chk_eof, chk_column, chk_rowid,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, chk_integrity
};
static sqlite3_module chk3_module = {
  3, chk_ctor, chk_ctor, chk_best_index, chk_disconnect, chk_disconnect,
  chk_open, chk_close, chk_filter, chk_next, chk_eof, chk_column, chk_rowid,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, chk_integrity
};

/* A PRAGMA's rows, printed once it is done (Ferrolite computes every
** check before the first row, SQLite returns each row as its check ends:
** see docs/COMPAT.md). */
static void check(sqlite3 *db, const char *sql){
  sqlite3_stmt *st = 0;
  char buf[4096];
  size_t n = 0;
  int rc;
  buf[0] = 0;
  printf("%s\n", sql);
  rc = sqlite3_prepare_v2(db, sql, -1, &st, 0);
  if( rc!=SQLITE_OK ){
    printf("  prepare rc=%d %s\n", rc, sqlite3_errmsg(db));
    return;
  }
  while( (rc = sqlite3_step(st))==SQLITE_ROW && n<sizeof(buf)-256 ){
    n += snprintf(buf+n, sizeof(buf)-n, "  row: %s\n", (const char*)sqlite3_column_text(st, 0));
  }
  printf("%s", buf);
  if( rc!=SQLITE_DONE ) printf("  step rc=%d %s\n", rc, sqlite3_errmsg(db));
  rc = sqlite3_finalize(st);
  if( rc!=SQLITE_OK ) printf("  finalize rc=%d %s\n", rc, sqlite3_errmsg(db));
}

int main(int argc, char **argv){
  sqlite3 *db;
  char *other;
  ferrolite_check_lib();
  if( argc<2 ) return 2;
  other = sqlite3_mprintf("%s-other", argv[1]);
  remove(other);
  db = open_db(argv[1]);
  printf("create_module rc=%d\n", sqlite3_create_module(db, "chk", &chk_module, 0));
  printf("create_module rc=%d\n", sqlite3_create_module(db, "chk3", &chk3_module, 0));
  show_values(db, "CREATE VIRTUAL TABLE good USING chk(ok)");
  check(db, "PRAGMA integrity_check");
  check(db, "PRAGMA quick_check");
  show_values(db, "CREATE VIRTUAL TABLE three USING chk3(bad)");
  check(db, "PRAGMA integrity_check");
  show_values(db, "DROP TABLE good");
  show_values(db, "CREATE VIRTUAL TABLE broken USING chk(bad)");
  show_values(db, "CREATE TABLE plain(x)");
  check(db, "PRAGMA integrity_check");
  check(db, "PRAGMA main.quick_check");
  check(db, "PRAGMA integrity_check(1)");
  printf("close rc=%d\n", sqlite3_close(db));

  /* Reopened: the PRAGMA connects the table it checks; a table whose
  ** module is not registered is skipped. */
  db = open_db(argv[1]);
  sqlite3_create_module(db, "chk", &chk_module, 0);
  check(db, "PRAGMA integrity_check");
  sqlite3_create_module(db, "chk3", &chk3_module, 0);
  {
    char *sql = sqlite3_mprintf("ATTACH %Q AS aux", other);
    printf("ATTACH rc=%d\n", sqlite3_exec(db, sql, 0, 0, 0));
    sqlite3_free(sql);
  }
  show_values(db, "CREATE VIRTUAL TABLE aux.failing USING chk(fail)");
  check(db, "PRAGMA aux.integrity_check");
  show_values(db, "DROP TABLE aux.failing");
  show_values(db, "DETACH aux");
  /* No virtual table left for the file checks (they have no modules). */
  show_values(db, "DROP TABLE broken");
  show_values(db, "DROP TABLE three");
  printf("close rc=%d\n", sqlite3_close(db));
  remove(other);
  sqlite3_free(other);
  return 0;
}
