/*
** vtab_sql.c: a virtual-table module that keeps its rows in a table of
** its own connection, as SQLite's own modules (FTS, R*Tree) do: xCreate
** creates "<name>_data" with sqlite3_exec, xFilter reads it with a
** prepared statement, xUpdate inserts / updates / deletes through SQL,
** xRename renames it (ALTER TABLE ... RENAME), xDestroy drops it. Shows
** that each callback can run statements on the connection that is
** running the user's statement, inside that statement's transaction
** (a ROLLBACK undoes the module's writes too, a failing statement
** undoes its own), and that the file holds what SQLite would write.
*/
#include "harness.h"
#include <sqlite3.h>
#include "query.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct Tab { sqlite3_vtab base; sqlite3 *db; char *name; } Tab;
typedef struct Cur { sqlite3_vtab_cursor base; sqlite3_stmt *st; int eof; } Cur;

static int run_sql(sqlite3 *db, char *sql, char **err){
  int rc = sqlite3_exec(db, sql, 0, 0, err);
  sqlite3_free(sql);
  return rc;
}

static int make(sqlite3 *db, int argc, const char *const*argv, sqlite3_vtab **pp, char **err, int create){
  Tab *t;
  int rc = sqlite3_declare_vtab(db, "CREATE TABLE x(k TEXT, v INTEGER)");
  if( rc ) return rc;
  if( create ){
    rc = run_sql(db, sqlite3_mprintf("CREATE TABLE \"%w_data\"(k TEXT, v INTEGER)", argv[2]), err);
    printf("    | xCreate %s: CREATE TABLE rc=%d\n", argv[2], rc);
    if( rc ) return rc;
  }
  t = sqlite3_malloc(sizeof(*t));
  memset(t, 0, sizeof(*t));
  t->db = db;
  t->name = sqlite3_mprintf("%s", argv[2]);
  *pp = &t->base;
  (void)argc;
  return SQLITE_OK;
}
static int x_create(sqlite3 *db, void *a, int argc, const char *const*argv, sqlite3_vtab **pp, char **err){ (void)a; return make(db, argc, argv, pp, err, 1); }
static int x_connect(sqlite3 *db, void *a, int argc, const char *const*argv, sqlite3_vtab **pp, char **err){ (void)a; return make(db, argc, argv, pp, err, 0); }
static int x_disconnect(sqlite3_vtab *p){ Tab *t = (Tab*)p; sqlite3_free(t->name); sqlite3_free(t); return SQLITE_OK; }
static int x_destroy(sqlite3_vtab *p){
  Tab *t = (Tab*)p;
  int rc = run_sql(t->db, sqlite3_mprintf("DROP TABLE \"%w_data\"", t->name), 0);
  printf("    | xDestroy: DROP TABLE rc=%d\n", rc);
  if( rc==SQLITE_OK ) x_disconnect(p);
  return rc;
}
static int x_best_index(sqlite3_vtab *tab, sqlite3_index_info *p){ (void)tab; p->estimatedCost = 10; return SQLITE_OK; }
static int x_open(sqlite3_vtab *tab, sqlite3_vtab_cursor **pp){
  Cur *c = sqlite3_malloc(sizeof(*c));
  memset(c, 0, sizeof(*c));
  *pp = &c->base;
  (void)tab;
  return SQLITE_OK;
}
static int x_close(sqlite3_vtab_cursor *pc){ Cur *c = (Cur*)pc; sqlite3_finalize(c->st); sqlite3_free(c); return SQLITE_OK; }
static int x_next(sqlite3_vtab_cursor *pc){
  Cur *c = (Cur*)pc;
  int rc = sqlite3_step(c->st);
  c->eof = rc!=SQLITE_ROW;
  return rc==SQLITE_ROW || rc==SQLITE_DONE ? SQLITE_OK : rc;
}
static int x_filter(sqlite3_vtab_cursor *pc, int n, const char *s, int argc, sqlite3_value **argv){
  Cur *c = (Cur*)pc;
  Tab *t = (Tab*)pc->pVtab;
  char *sql = sqlite3_mprintf("SELECT rowid, k, v FROM \"%w_data\" ORDER BY rowid", t->name);
  int rc;
  sqlite3_finalize(c->st);
  c->st = 0;
  rc = sqlite3_prepare_v2(t->db, sql, -1, &c->st, 0);
  sqlite3_free(sql);
  printf("    | xFilter: prepare rc=%d\n", rc);
  (void)n; (void)s; (void)argc; (void)argv;
  if( rc ) return rc;
  return x_next(pc);
}
static int x_eof(sqlite3_vtab_cursor *pc){ return ((Cur*)pc)->eof; }
static int x_column(sqlite3_vtab_cursor *pc, sqlite3_context *ctx, int i){
  sqlite3_result_value(ctx, sqlite3_column_value(((Cur*)pc)->st, i+1));
  return SQLITE_OK;
}
static int x_rowid(sqlite3_vtab_cursor *pc, sqlite3_int64 *r){ *r = sqlite3_column_int64(((Cur*)pc)->st, 0); return SQLITE_OK; }
static int x_update(sqlite3_vtab *p, int argc, sqlite3_value **argv, sqlite3_int64 *rowid){
  Tab *t = (Tab*)p;
  int rc;
  sqlite3_stmt *st = 0;
  char *sql;
  if( argc==1 ){
    sql = sqlite3_mprintf("DELETE FROM \"%w_data\" WHERE rowid=?1", t->name);
  }else if( sqlite3_value_type(argv[0])==SQLITE_NULL ){
    sql = sqlite3_mprintf("INSERT INTO \"%w_data\"(rowid, k, v) VALUES(?2, ?3, ?4)", t->name);
  }else{
    sql = sqlite3_mprintf("UPDATE \"%w_data\" SET rowid=?2, k=?3, v=?4 WHERE rowid=?1", t->name);
  }
  rc = sqlite3_prepare_v2(t->db, sql, -1, &st, 0);
  sqlite3_free(sql);
  if( rc ) return rc;
  sqlite3_bind_value(st, 1, argv[0]);
  if( argc>1 ){
    sqlite3_bind_value(st, 2, argv[1]);
    sqlite3_bind_value(st, 3, argv[2]);
    sqlite3_bind_value(st, 4, argv[3]);
  }
  rc = sqlite3_step(st);
  sqlite3_finalize(st);
  if( rc!=SQLITE_DONE ){
    p->zErrMsg = sqlite3_mprintf("module write failed: %s", sqlite3_errmsg(t->db));
    return SQLITE_ERROR;
  }
  if( argc>1 && sqlite3_value_type(argv[0])==SQLITE_NULL ) *rowid = sqlite3_last_insert_rowid(t->db);
  return SQLITE_OK;
}
static int x_rename(sqlite3_vtab *p, const char *zNew){
  Tab *t = (Tab*)p;
  int rc = run_sql(t->db, sqlite3_mprintf("ALTER TABLE \"%w_data\" RENAME TO \"%w_data\"", t->name, zNew), 0);
  printf("    | xRename %s -> %s: rc=%d\n", t->name, zNew, rc);
  if( rc==SQLITE_OK ){ sqlite3_free(t->name); t->name = sqlite3_mprintf("%s", zNew); }
  return rc;
}

static sqlite3_module mod = {
  1, x_create, x_connect, x_best_index, x_disconnect, x_destroy, x_open, x_close,
  x_filter, x_next, x_eof, x_column, x_rowid, x_update, 0, 0, 0, 0, 0, x_rename, 0, 0, 0, 0, 0
};

int main(int argc, char **argv){
  sqlite3 *db;
  ferrolite_check_lib();
  if( argc<2 ){ printf("usage: vtab_sql DB\n"); return 1; }
  if( sqlite3_open(argv[1], &db)!=SQLITE_OK ){ printf("open failed\n"); return 1; }
  sqlite3_create_module(db, "store", &mod, 0);
  q(db, 0, "CREATE VIRTUAL TABLE s USING store");
  q(db, 0, "SELECT type, name, sql FROM sqlite_schema ORDER BY rowid");
  q(db, 0, "INSERT INTO s VALUES('a', 1), ('b', 2)");
  q(db, 0, "SELECT last_insert_rowid(), changes()");
  q(db, 0, "UPDATE s SET v = v * 10 WHERE k = 'b'");
  q(db, 0, "DELETE FROM s WHERE k = 'a'");
  q(db, 0, "INSERT INTO s(rowid, k, v) VALUES(7, 'c', 3)");
  q(db, 0, "SELECT rowid, k, v FROM s");
  q(db, 0, "SELECT * FROM s_data ORDER BY rowid");
  q(db, 0, "BEGIN");
  q(db, 0, "INSERT INTO s VALUES('d', 4)");
  q(db, 0, "SELECT count(*) FROM s");
  q(db, 0, "ROLLBACK");
  q(db, 0, "SELECT count(*) FROM s");
  q(db, 0, "INSERT INTO s(rowid, k, v) VALUES(7, 'dup', 0)");
  /* A nested write that fails after another row was written: the whole
  ** statement is undone, in autocommit mode and inside a transaction. */
  q(db, 0, "WITH c(i) AS (VALUES(20),(7)) INSERT INTO s(rowid, k, v) SELECT i, 'multi', 0 FROM c");
  q(db, 0, "SELECT rowid, k FROM s WHERE k = 'multi'");
  q(db, 0, "BEGIN");
  q(db, 0, "WITH c(i) AS (VALUES(21),(7)) INSERT INTO s(rowid, k, v) SELECT i, 'multi2', 0 FROM c");
  q(db, 0, "COMMIT");
  q(db, 0, "SELECT rowid, k FROM s WHERE k LIKE 'multi%'");
  q(db, 0, "SELECT rowid, k, v FROM s");
  q(db, 0, "ALTER TABLE s RENAME TO t");
  q(db, 0, "SELECT name FROM sqlite_schema ORDER BY rowid");
  q(db, 0, "SELECT rowid, k, v FROM t");
  q(db, 0, "INSERT INTO t VALUES('e', 5)");
  sqlite3_close(db);
  if( sqlite3_open(argv[1], &db)!=SQLITE_OK ){ printf("reopen failed\n"); return 1; }
  sqlite3_create_module(db, "store", &mod, 0);
  printf("-- reopened\n");
  q(db, 0, "SELECT rowid, k, v FROM t");
  q(db, 0, "CREATE VIRTUAL TABLE gone USING store");
  q(db, 0, "INSERT INTO gone VALUES('x', 1)");
  q(db, 0, "DROP TABLE gone");
  /* The file run.sh compares keeps plain tables only (dbcheck has no
  ** "store" module): the rows, then the virtual table dropped. */
  q(db, 0, "CREATE TABLE kept AS SELECT rowid AS r, k, v FROM t");
  q(db, 0, "DROP TABLE t");
  q(db, 0, "SELECT name FROM sqlite_schema ORDER BY rowid");
  sqlite3_close(db);
  return 0;
}
