/*
** vtab_kv.c: writing to a virtual table.
**
** "kv" is a small in-memory table (k TEXT, v INTEGER DEFAULT 7) with
** xUpdate and the transaction methods; it logs every xUpdate (argc, argv,
** sqlite3_vtab_on_conflict), every xBegin / xSync / xCommit / xRollback
** and xFilter, so the output shows that Ferrolite hands it the same
** changes, with SQLite's argv convention, inside the same transaction
** calls: INSERT (VALUES, column lists, the rowid, DEFAULT), UPDATE (of
** columns and of the rowid), DELETE, OR IGNORE / OR REPLACE with
** SQLITE_VTAB_CONSTRAINT_SUPPORT, a constraint error with zErrMsg,
** BEGIN ... COMMIT / ROLLBACK, sqlite3_changes and last_insert_rowid, a
** module without xUpdate, reopening the database, DROP TABLE.
*/
#include "harness.h"
#include <sqlite3.h>
#include "rows.h"
#include <stdlib.h>
#include <string.h>

#define MAXROW 64
typedef struct Row { sqlite3_int64 rowid; char k[32]; sqlite3_int64 v; int used; } Row;
static Row store[MAXROW];

typedef struct KvCur { sqlite3_vtab_cursor base; int i; int only; sqlite3_int64 want; } KvCur;


static int kv_ctor(sqlite3 *db, void *aux, int argc, const char *const*argv, sqlite3_vtab **pp, char **err){
  sqlite3_vtab *t;
  printf("    | %s %s\n", (const char*)aux, argv[2]);
  sqlite3_declare_vtab(db, "CREATE TABLE x(k TEXT, v INTEGER DEFAULT 7)");
  sqlite3_vtab_config(db, SQLITE_VTAB_CONSTRAINT_SUPPORT, 1);
  t = sqlite3_malloc(sizeof(*t));
  memset(t, 0, sizeof(*t));
  *pp = t;
  (void)argc; (void)err;
  return SQLITE_OK;
}
static int kv_disconnect(sqlite3_vtab *p){ printf("    | xDisconnect\n"); sqlite3_free(p); return SQLITE_OK; }
static int kv_destroy(sqlite3_vtab *p){ printf("    | xDestroy\n"); sqlite3_free(p); return SQLITE_OK; }

static int kv_best_index(sqlite3_vtab *tab, sqlite3_index_info *p){
  int i;
  printf("    | xBestIndex n=%d colUsed=0x%llx", p->nConstraint, (unsigned long long)p->colUsed);
  for(i=0; i<p->nConstraint; i++){
    printf(" [%d op%d u%d]", p->aConstraint[i].iColumn, p->aConstraint[i].op, p->aConstraint[i].usable);
  }
  printf("\n");
  p->estimatedCost = 100;
  for(i=0; i<p->nConstraint; i++){
    if( p->aConstraint[i].usable && p->aConstraint[i].iColumn==-1 && p->aConstraint[i].op==SQLITE_INDEX_CONSTRAINT_EQ ){
      p->aConstraintUsage[i].argvIndex = 1;
      p->aConstraintUsage[i].omit = 1;
      p->idxNum = 1;
      p->idxFlags = SQLITE_INDEX_SCAN_UNIQUE;
      p->estimatedCost = 1;
      p->estimatedRows = 1;
      break;
    }
  }
  (void)tab;
  return SQLITE_OK;
}

static int kv_open(sqlite3_vtab *tab, sqlite3_vtab_cursor **pp){
  KvCur *c = sqlite3_malloc(sizeof(*c));
  memset(c, 0, sizeof(*c));
  *pp = &c->base;
  (void)tab;
  return SQLITE_OK;
}
static int kv_close(sqlite3_vtab_cursor *c){ sqlite3_free(c); return SQLITE_OK; }
static void kv_skip(KvCur *c){
  while( c->i<MAXROW && (!store[c->i].used || (c->only && store[c->i].rowid!=c->want)) ) c->i++;
}
static int kv_filter(sqlite3_vtab_cursor *pc, int num, const char *str, int argc, sqlite3_value **argv){
  KvCur *c = (KvCur*)pc;
  printf("    | xFilter %d argc=%d\n", num, argc);
  c->i = 0;
  c->only = num==1;
  if( c->only ) c->want = sqlite3_value_int64(argv[0]);
  kv_skip(c);
  (void)str;
  return SQLITE_OK;
}
static int kv_next(sqlite3_vtab_cursor *pc){ KvCur *c = (KvCur*)pc; c->i++; kv_skip(c); return SQLITE_OK; }
static int kv_eof(sqlite3_vtab_cursor *pc){ return ((KvCur*)pc)->i>=MAXROW; }
static int kv_column(sqlite3_vtab_cursor *pc, sqlite3_context *ctx, int i){
  Row *r = &store[((KvCur*)pc)->i];
  if( i==0 ) sqlite3_result_text(ctx, r->k, -1, SQLITE_TRANSIENT);
  else sqlite3_result_int64(ctx, r->v);
  return SQLITE_OK;
}
static int kv_rowid(sqlite3_vtab_cursor *pc, sqlite3_int64 *p){ *p = store[((KvCur*)pc)->i].rowid; return SQLITE_OK; }

static sqlite3 *the_db;
static int find(sqlite3_int64 rowid){
  int i;
  for(i=0; i<MAXROW; i++) if( store[i].used && store[i].rowid==rowid ) return i;
  return -1;
}
static int kv_update(sqlite3_vtab *tab, int argc, sqlite3_value **argv, sqlite3_int64 *pRowid){
  int i, slot;
  printf("    | xUpdate argc=%d on_conflict=%d:", argc, sqlite3_vtab_on_conflict(the_db));
  for(i=0; i<argc; i++){ printf(" "); print_value(argv[i]); }
  printf("\n");
  if( argc==1 ){
    slot = find(sqlite3_value_int64(argv[0]));
    if( slot>=0 ) store[slot].used = 0;
    return SQLITE_OK;
  }
  if( strcmp((const char*)sqlite3_value_text(argv[2]) ? (const char*)sqlite3_value_text(argv[2]) : "", "bad")==0 ){
    tab->zErrMsg = sqlite3_mprintf("kv: bad key");
    return SQLITE_CONSTRAINT;
  }
  if( sqlite3_value_type(argv[0])==SQLITE_NULL ){
    sqlite3_int64 rowid;
    if( sqlite3_value_type(argv[1])==SQLITE_NULL ){
      rowid = 0;
      for(i=0; i<MAXROW; i++) if( store[i].used && store[i].rowid>rowid ) rowid = store[i].rowid;
      rowid++;
    }else{
      rowid = sqlite3_value_int64(argv[1]);
    }
    slot = find(rowid);
    if( slot>=0 && sqlite3_vtab_on_conflict(the_db)!=SQLITE_REPLACE ){
      tab->zErrMsg = sqlite3_mprintf("kv: rowid %lld exists", rowid);
      return SQLITE_CONSTRAINT;
    }
    if( slot<0 ) for(slot=0; slot<MAXROW && store[slot].used; slot++){}
    if( slot>=MAXROW ) return SQLITE_FULL;
    store[slot].used = 1;
    store[slot].rowid = rowid;
    *pRowid = rowid;
  }else{
    slot = find(sqlite3_value_int64(argv[0]));
    if( slot<0 ) return SQLITE_OK;
    store[slot].rowid = sqlite3_value_int64(argv[1]);
  }
  snprintf(store[slot].k, sizeof(store[slot].k), "%s", sqlite3_value_text(argv[2]) ? (const char*)sqlite3_value_text(argv[2]) : "");
  store[slot].v = sqlite3_value_int64(argv[3]);
  return SQLITE_OK;
}
static int kv_begin(sqlite3_vtab *p){ printf("    | xBegin\n"); (void)p; return SQLITE_OK; }
static int kv_sync(sqlite3_vtab *p){ printf("    | xSync\n"); (void)p; return SQLITE_OK; }
static int kv_commit(sqlite3_vtab *p){ printf("    | xCommit\n"); (void)p; return SQLITE_OK; }
static int kv_rollback(sqlite3_vtab *p){ printf("    | xRollback\n"); (void)p; return SQLITE_OK; }

static sqlite3_module kv_module = {
  1, kv_ctor, kv_ctor, kv_best_index, kv_disconnect, kv_destroy,
  kv_open, kv_close, kv_filter, kv_next, kv_eof, kv_column, kv_rowid,
  kv_update, kv_begin, kv_sync, kv_commit, kv_rollback, 0, 0, 0, 0, 0, 0, 0
};
static sqlite3_module kvro_module = {
  1, kv_ctor, kv_ctor, kv_best_index, kv_disconnect, kv_destroy,
  kv_open, kv_close, kv_filter, kv_next, kv_eof, kv_column, kv_rowid,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
};

/* A statement, its rows, then the connection's change counters. */
static void show_kv(sqlite3 *db, const char *sql){
  show_values(db, sql);
  printf("  changes=%d last_insert_rowid=%lld autocommit=%d\n", sqlite3_changes(db), sqlite3_last_insert_rowid(db), sqlite3_get_autocommit(db));
}

int main(int argc, char **argv){
  sqlite3 *db;
  ferrolite_check_lib();
  if( argc<2 ) return 2;
  if( sqlite3_open(argv[1], &db)!=SQLITE_OK ) return 1;
  the_db = db;
  printf("create_module rc=%d\n", sqlite3_create_module(db, "kv", &kv_module, "ctor"));
  printf("create_module rc=%d\n", sqlite3_create_module(db, "kvro", &kvro_module, "ctor-ro"));

  show_kv(db, "CREATE VIRTUAL TABLE kv USING kv");
  show_kv(db, "INSERT INTO kv VALUES ('a', 1), ('b', 2)");
  show_kv(db, "INSERT INTO kv(rowid, k) VALUES (10, 'c')");
  show_kv(db, "SELECT rowid, k, v FROM kv");
  show_kv(db, "UPDATE kv SET v = v + 100 WHERE k = 'b'");
  show_kv(db, "UPDATE kv SET rowid = 20 WHERE rowid = 10");
  show_kv(db, "SELECT rowid, k, v FROM kv WHERE rowid = 20");
  show_kv(db, "INSERT INTO kv VALUES ('bad', 0)");
  show_kv(db, "INSERT OR IGNORE INTO kv VALUES ('bad', 0)");
  show_kv(db, "INSERT INTO kv(rowid, k, v) VALUES (1, 'dup', 0)");
  show_kv(db, "INSERT OR REPLACE INTO kv(rowid, k, v) VALUES (1, 'a2', 5)");
  show_kv(db, "DELETE FROM kv WHERE v > 100");
  show_kv(db, "SELECT rowid, k, v FROM kv");

  show_kv(db, "BEGIN");
  show_kv(db, "INSERT INTO kv VALUES ('t1', 1)");
  show_kv(db, "UPDATE kv SET k = upper(k)");
  show_kv(db, "COMMIT");
  show_kv(db, "BEGIN");
  show_kv(db, "INSERT INTO kv VALUES ('t2', 2)");
  show_kv(db, "ROLLBACK");
  show_kv(db, "SELECT rowid, k, v FROM kv ORDER BY rowid");

  /* The conflict mode of a constraint error (CONSTRAINT_SUPPORT). */
  show_kv(db, "BEGIN");
  show_kv(db, "INSERT OR FAIL INTO kv VALUES ('f1', 1), ('bad', 2), ('f3', 3)");
  show_kv(db, "INSERT OR ABORT INTO kv VALUES ('a1', 1), ('bad', 2), ('a3', 3)");
  show_kv(db, "SELECT k FROM kv WHERE k GLOB '[af][0-9]' ORDER BY k");
  show_kv(db, "INSERT OR ROLLBACK INTO kv VALUES ('r1', 1), ('bad', 2)");
  show_kv(db, "SELECT k FROM kv WHERE k GLOB '[afr][0-9]' ORDER BY k");

  show_kv(db, "CREATE VIRTUAL TABLE ro USING kvro");
  show_kv(db, "INSERT INTO ro VALUES ('x', 1)");
  show_kv(db, "DELETE FROM ro");
  show_kv(db, "DROP TABLE ro");

  printf("close rc=%d\n", sqlite3_close(db));
  if( sqlite3_open(argv[1], &db)!=SQLITE_OK ) return 1;
  the_db = db;
  sqlite3_create_module(db, "kv", &kv_module, "reopen");
  show_kv(db, "SELECT rowid, k, v FROM kv WHERE rowid = 1");
  show_kv(db, "DELETE FROM kv");
  show_kv(db, "DROP TABLE kv");
  show_kv(db, "SELECT name FROM sqlite_schema");
  printf("close rc=%d\n", sqlite3_close(db));
  return 0;
}
