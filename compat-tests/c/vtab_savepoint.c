/*
** vtab_savepoint.c: xSavepoint / xRelease / xRollbackTo.
**
** "sp" (module version 2) and "sp1" (version 1, same callbacks) log
** xBegin, xSync, xCommit, xRollback, xSavepoint, xRelease, xRollbackTo
** with their savepoint numbers, and xUpdate; a value 'bad' makes xUpdate
** fail. The log shows that the engine calls them where SQLite does: SQL
** savepoints inside BEGIN and as the transaction itself, RELEASE and
** ROLLBACK TO of inner and outer savepoints, a table that joins the
** transaction inside savepoints (xSavepoint right after xBegin), the
** statement savepoint of a write statement in a transaction and its
** rollback when the statement fails, and no calls for a version-1 module.
*/
#include "harness.h"
#include <sqlite3.h>
#include "rows.h"
#include <stdlib.h>
#include <string.h>

typedef struct SpTab { sqlite3_vtab base; char name[16]; } SpTab;
typedef struct SpCur { sqlite3_vtab_cursor base; int i; int end; } SpCur;

static int sp_ctor(sqlite3 *db, void *aux, int argc, const char *const*argv, sqlite3_vtab **pp, char **err){
  SpTab *t;
  sqlite3_declare_vtab(db, "CREATE TABLE x(a)");
  t = sqlite3_malloc(sizeof(*t));
  memset(t, 0, sizeof(*t));
  snprintf(t->name, sizeof(t->name), "%s", argv[2]);
  *pp = &t->base;
  (void)aux; (void)argc; (void)err;
  return SQLITE_OK;
}
static int sp_disconnect(sqlite3_vtab *p){ sqlite3_free(p); return SQLITE_OK; }
/* A rowid equality gives a one-row plan (SQLITE_INDEX_SCAN_UNIQUE). */
static int sp_best_index(sqlite3_vtab *tab, sqlite3_index_info *p){
  int i;
  p->estimatedCost = 10;
  for(i=0; i<p->nConstraint; i++){
    if( p->aConstraint[i].usable && p->aConstraint[i].iColumn<0 && p->aConstraint[i].op==SQLITE_INDEX_CONSTRAINT_EQ ){
      p->aConstraintUsage[i].argvIndex = 1;
      p->aConstraintUsage[i].omit = 1;
      p->idxFlags = SQLITE_INDEX_SCAN_UNIQUE;
      p->estimatedCost = 1;
      p->estimatedRows = 1;
      break;
    }
  }
  (void)tab;
  return SQLITE_OK;
}
static int sp_open(sqlite3_vtab *tab, sqlite3_vtab_cursor **pp){
  SpCur *c = sqlite3_malloc(sizeof(*c));
  memset(c, 0, sizeof(*c));
  *pp = &c->base;
  (void)tab;
  return SQLITE_OK;
}
static int sp_close(sqlite3_vtab_cursor *c){ sqlite3_free(c); return SQLITE_OK; }
/* Two rows, rowids 1 and 2; with an argument, only the row of that rowid. */
static int sp_filter(sqlite3_vtab_cursor *pc, int num, const char *str, int argc, sqlite3_value **argv){
  SpCur *c = (SpCur*)pc;
  c->i = 0;
  c->end = 2;
  if( argc==1 ){
    sqlite3_int64 r = sqlite3_value_int64(argv[0]);
    c->i = (r>=1 && r<=2) ? (int)r-1 : 2;
    c->end = c->i + 1;
  }
  (void)num; (void)str;
  return SQLITE_OK;
}
static int sp_next(sqlite3_vtab_cursor *pc){ ((SpCur*)pc)->i++; return SQLITE_OK; }
static int sp_eof(sqlite3_vtab_cursor *pc){ SpCur *c = (SpCur*)pc; return c->i>=c->end || c->i>=2; }
static int sp_column(sqlite3_vtab_cursor *pc, sqlite3_context *ctx, int i){ sqlite3_result_int(ctx, ((SpCur*)pc)->i + 1); (void)i; return SQLITE_OK; }
static int sp_rowid(sqlite3_vtab_cursor *pc, sqlite3_int64 *p){ *p = ((SpCur*)pc)->i + 1; return SQLITE_OK; }
static int sp_update(sqlite3_vtab *tab, int argc, sqlite3_value **argv, sqlite3_int64 *pRowid){
  SpTab *t = (SpTab*)tab;
  const unsigned char *a = argc>2 ? sqlite3_value_text(argv[2]) : 0;
  printf("    | %s xUpdate argc=%d %s\n", t->name, argc, a ? (const char*)a : "-");
  if( a && strcmp((const char*)a, "bad")==0 ){
    tab->zErrMsg = sqlite3_mprintf("sp: bad value");
    return SQLITE_ERROR;
  }
  *pRowid = 1;
  return SQLITE_OK;
}
#define LOGGER(NAME) static int sp_##NAME(sqlite3_vtab *p){ printf("    | %s x" #NAME "\n", ((SpTab*)p)->name); return SQLITE_OK; }
LOGGER(Begin)
LOGGER(Sync)
LOGGER(Commit)
LOGGER(Rollback)
#define LOGGER2(NAME) static int sp_##NAME(sqlite3_vtab *p, int n){ printf("    | %s x" #NAME "(%d)\n", ((SpTab*)p)->name, n); return SQLITE_OK; }
LOGGER2(Savepoint)
LOGGER2(Release)
LOGGER2(RollbackTo)

static sqlite3_module sp_module = {
  2, sp_ctor, sp_ctor, sp_best_index, sp_disconnect, sp_disconnect,
  sp_open, sp_close, sp_filter, sp_next, sp_eof, sp_column, sp_rowid,
  sp_update, sp_Begin, sp_Sync, sp_Commit, sp_Rollback, 0, 0,
  sp_Savepoint, sp_Release, sp_RollbackTo, 0, 0
};
static sqlite3_module sp1_module = {
  1, sp_ctor, sp_ctor, sp_best_index, sp_disconnect, sp_disconnect,
  sp_open, sp_close, sp_filter, sp_next, sp_eof, sp_column, sp_rowid,
  sp_update, sp_Begin, sp_Sync, sp_Commit, sp_Rollback, 0, 0,
  sp_Savepoint, sp_Release, sp_RollbackTo, 0, 0
};

static void run(sqlite3 *db, const char *sql){
  char *err = 0;
  int rc = sqlite3_exec(db, sql, 0, 0, &err);
  printf("%s -> %d%s%s\n", sql, rc, err ? " " : "", err ? err : "");
  sqlite3_free(err);
}

int main(int argc, char **argv){
  sqlite3 *db;
  ferrolite_check_lib();
  if( argc<2 ) return 2;
  db = open_db(argv[1]);
  printf("create_module rc=%d\n", sqlite3_create_module(db, "sp", &sp_module, 0));
  printf("create_module rc=%d\n", sqlite3_create_module(db, "sp1", &sp1_module, 0));
  run(db, "CREATE VIRTUAL TABLE v USING sp");
  run(db, "CREATE VIRTUAL TABLE w USING sp");
  run(db, "CREATE VIRTUAL TABLE old USING sp1");
  run(db, "CREATE TABLE r(a)");

  printf("-- savepoints inside BEGIN\n");
  run(db, "BEGIN");
  run(db, "INSERT INTO v VALUES ('one')");
  run(db, "SAVEPOINT a");
  run(db, "INSERT INTO v VALUES ('two')");
  run(db, "SAVEPOINT b");
  run(db, "INSERT INTO w VALUES ('three')");
  run(db, "SAVEPOINT c");
  run(db, "ROLLBACK TO b");
  run(db, "RELEASE a");
  run(db, "SAVEPOINT d");
  run(db, "ROLLBACK TO d");
  run(db, "RELEASE d");
  run(db, "COMMIT");

  printf("-- the transaction's own savepoint\n");
  run(db, "SAVEPOINT t");
  run(db, "INSERT INTO v VALUES ('four')");
  run(db, "SAVEPOINT u");
  run(db, "INSERT INTO v VALUES ('five')");
  run(db, "ROLLBACK TO t");
  run(db, "INSERT INTO w VALUES ('six')");
  run(db, "RELEASE t");

  printf("-- statement savepoints\n");
  run(db, "BEGIN");
  run(db, "INSERT INTO v VALUES ('seven')");
  run(db, "INSERT INTO r VALUES (1), (2)");
  run(db, "INSERT INTO r SELECT a FROM v");
  run(db, "INSERT INTO v SELECT a FROM r");
  run(db, "INSERT INTO v VALUES ('eight'), ('bad')");
  run(db, "UPDATE r SET a = a + 1");
  run(db, "UPDATE v SET a = 'up'");
  run(db, "DELETE FROM v WHERE a = 1");
  run(db, "INSERT INTO v SELECT 'sel'");
  run(db, "UPDATE v SET a = 'one-row' WHERE rowid = 2");
  run(db, "DELETE FROM v WHERE rowid = 1");
  run(db, "UPDATE v SET a = 'bad' WHERE rowid = 2");
  run(db, "INSERT OR FAIL INTO v VALUES ('f1'), ('bad')");
  run(db, "INSERT INTO w VALUES ('bad')");
  run(db, "SAVEPOINT s");
  run(db, "INSERT INTO r VALUES (3), (4)");
  run(db, "INSERT INTO v VALUES ('nine'), ('bad')");
  run(db, "RELEASE s");
  run(db, "ROLLBACK");

  printf("-- a version-1 module\n");
  run(db, "BEGIN");
  run(db, "SAVEPOINT a");
  run(db, "INSERT INTO old VALUES ('x')");
  run(db, "SAVEPOINT b");
  run(db, "INSERT INTO r VALUES (5), (6)");
  run(db, "ROLLBACK TO a");
  run(db, "COMMIT");

  /* No virtual table left for the file checks (they have no modules). */
  run(db, "DROP TABLE v");
  run(db, "DROP TABLE w");
  run(db, "DROP TABLE old");
  printf("close rc=%d\n", sqlite3_close(db));
  return 0;
}
