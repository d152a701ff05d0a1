/*
** preupdate.c: sqlite3_preupdate_hook and sqlite3_preupdate_old / new /
** count / depth / blobwrite. Each row change reports its operation,
** database, table, old and new rowid, the column count, the trigger
** depth and every old and new value (INTEGER PRIMARY KEY columns, REAL
** affinity, columns added by ALTER TABLE ADD COLUMN, text and blobs);
** INSERT, UPDATE (same rowid and a new rowid), DELETE with and without
** WHERE (no truncate optimization while a hook is set), REPLACE conflicts
** on the rowid and on a UNIQUE index, upserts, triggers nested two deep,
** TEMP and attached databases, sqlite3_blob_write, AUTOINCREMENT's
** sqlite_sequence; misuse: old values of an INSERT, new values of a
** DELETE, indexes out of range, calls outside the callback, and the
** previous-argument return value.
*/
#include "harness.h"
#include <sqlite3.h>
#include "rows.h"

static const char *opname(int op){
  return op==SQLITE_INSERT ? "INSERT" : op==SQLITE_UPDATE ? "UPDATE" : op==SQLITE_DELETE ? "DELETE" : "?";
}

static int probe_misuse = 0;

/* A value with its type: i(nteger) r(eal) t(ext) b(lob) or NULL. */
static void pv(sqlite3_value *v){
  switch( sqlite3_value_type(v) ){
    case SQLITE_NULL: printf("NULL"); break;
    case SQLITE_INTEGER: printf("i:%lld", sqlite3_value_int64(v)); break;
    case SQLITE_FLOAT: printf("r:%g", sqlite3_value_double(v)); break;
    case SQLITE_TEXT: printf("t:'%s'", (const char*)sqlite3_value_text(v)); break;
    default: {
      int k, n = sqlite3_value_bytes(v);
      const unsigned char *z = sqlite3_value_blob(v);
      printf("b:x'");
      for(k=0; k<n; k++) printf("%02x", z[k]);
      printf("'");
    }
  }
}

static void on_preupdate(void *p, sqlite3 *db, int op, const char *zDb, const char *zTab, sqlite3_int64 k1, sqlite3_int64 k2){
  int n = sqlite3_preupdate_count(db);
  int i, rc;
  sqlite3_value *v;
  printf("    preupdate(%s): %s %s.%s %lld -> %lld count=%d depth=%d blobwrite=%d\n",
         (char*)p, opname(op), zDb, zTab, k1, k2, n, sqlite3_preupdate_depth(db), sqlite3_preupdate_blobwrite(db));
  if( op!=SQLITE_INSERT ){
    printf("      old:");
    for(i=0; i<n; i++){
      v = 0;
      rc = sqlite3_preupdate_old(db, i, &v);
      printf(" ");
      if( rc ) printf("rc=%d", rc); else pv(v);
    }
    printf("\n");
  }
  if( op!=SQLITE_DELETE ){
    printf("      new:");
    for(i=0; i<n; i++){
      v = 0;
      rc = sqlite3_preupdate_new(db, i, &v);
      printf(" ");
      if( rc ) printf("rc=%d", rc); else pv(v);
    }
    printf("\n");
  }
  if( probe_misuse ){
    v = 0;
    if( op==SQLITE_INSERT ){
      rc = sqlite3_preupdate_old(db, 0, &v);
      printf("      old(0) on INSERT: rc=%d errcode=%d value=%s\n", rc, sqlite3_errcode(db), v ? "set" : "NULL");
    }else{
      rc = sqlite3_preupdate_old(db, -1, &v);
      printf("      old(-1): rc=%d errcode=%d\n", rc, sqlite3_errcode(db));
      rc = sqlite3_preupdate_old(db, n, &v);
      printf("      old(%d): rc=%d errcode=%d\n", n, rc, sqlite3_errcode(db));
      rc = sqlite3_preupdate_old(db, 0, &v);
      printf("      old(0) again: rc=%d errcode=%d\n", rc, sqlite3_errcode(db));
    }
    if( op==SQLITE_DELETE ){
      rc = sqlite3_preupdate_new(db, 0, &v);
      printf("      new(0) on DELETE: rc=%d errcode=%d\n", rc, sqlite3_errcode(db));
    }else{
      rc = sqlite3_preupdate_new(db, -1, &v);
      printf("      new(-1): rc=%d errcode=%d\n", rc, sqlite3_errcode(db));
      rc = sqlite3_preupdate_new(db, n, &v);
      printf("      new(%d): rc=%d\n", n, rc);
    }
  }
}

static void on_update(void *p, int op, const char *zDb, const char *zTab, sqlite3_int64 rowid){
  printf("    update(%s): %s %s.%s rowid=%lld\n", (char*)p, opname(op), zDb, zTab, rowid);
}

static void run(sqlite3 *db, const char *sql){
  char *e = 0;
  int rc;
  printf("%s\n", sql);
  rc = sqlite3_exec(db, sql, 0, 0, &e);
  if( rc ) printf("  rc=%d (%d) %s\n", rc, sqlite3_extended_errcode(db), e ? e : "");
  sqlite3_free(e);
}

static void outside(sqlite3 *db, const char *when){
  sqlite3_value *v = 0;
  int rc1 = sqlite3_preupdate_old(db, 0, &v);
  int e1 = sqlite3_errcode(db);
  int rc2 = sqlite3_preupdate_new(db, 0, &v);
  int e2 = sqlite3_errcode(db);
  printf("outside the callback (%s): old rc=%d errcode=%d, new rc=%d errcode=%d, count=%d depth=%d blobwrite=%d value=%s\n",
         when, rc1, e1, rc2, e2, sqlite3_preupdate_count(db), sqlite3_preupdate_depth(db), sqlite3_preupdate_blobwrite(db), v ? "set" : "NULL");
}

int main(int argc, char **argv){
  sqlite3 *db; void *old;
  char path2[4096];
  ferrolite_check_lib();
  setvbuf(stdout, 0, _IONBF, 0);
  if( argc<2 ) return 2;
  remove(argv[1]);
  snprintf(path2, sizeof(path2), "%s.aux", argv[1]);
  remove(path2);
  if( sqlite3_open(argv[1], &db) ) return 1;

  outside(db, "no hook");
  old = sqlite3_preupdate_hook(db, on_preupdate, "p1");
  printf("preupdate_hook first: %s\n", old ? (char*)old : "NULL");
  outside(db, "hook set");

  run(db, "CREATE TABLE t(id INTEGER PRIMARY KEY, a TEXT, r REAL, b BLOB, u UNIQUE)");
  run(db, "INSERT INTO t VALUES(1, 'one', 1, x'0102', 'u1')");
  run(db, "INSERT INTO t(a, r, u) VALUES('two', 2.5, 'u2'), ('three', '3', 'u3')");
  run(db, "UPDATE t SET a = upper(a), r = 7 WHERE id = 1");
  run(db, "UPDATE t SET id = 10, r = r + 1 WHERE id = 2");
  run(db, "UPDATE t SET u = 'same' WHERE id = 99");
  run(db, "DELETE FROM t WHERE id = 3");
  run(db, "REPLACE INTO t VALUES(10, 'ten', 10, NULL, 'u10')");
  run(db, "INSERT OR REPLACE INTO t VALUES(20, 'twenty', 20, NULL, 'u10')");
  run(db, "UPDATE OR REPLACE t SET u = 'u1' WHERE id = 20");
  run(db, "INSERT INTO t VALUES(30, 'x', 0, NULL, 'u30') ON CONFLICT(u) DO NOTHING");
  run(db, "INSERT INTO t VALUES(31, 'y', 0, NULL, 'u30') ON CONFLICT(u) DO UPDATE SET a = 'upserted'");
  run(db, "INSERT INTO t VALUES(32, 'y', 0, NULL, 'u30') ON CONFLICT(u) DO NOTHING");

  probe_misuse = 1;
  run(db, "INSERT INTO t VALUES(40, 'probe', 4, NULL, 'u40')");
  run(db, "UPDATE t SET a = 'probed' WHERE id = 40");
  run(db, "DELETE FROM t WHERE id = 40");
  probe_misuse = 0;

  run(db, "ALTER TABLE t ADD COLUMN d DEFAULT 'dflt'");
  run(db, "ALTER TABLE t ADD COLUMN e REAL DEFAULT 3");
  run(db, "ALTER TABLE t ADD COLUMN f");
  run(db, "UPDATE t SET a = 'altered', b = x'aabbcc' WHERE id = 20");
  run(db, "INSERT INTO t(id, a) VALUES(50, 'after alter')");

  run(db, "CREATE TABLE log(x INTEGER PRIMARY KEY, what)");
  run(db, "CREATE TABLE log2(what)");
  run(db, "CREATE TRIGGER tr AFTER INSERT ON t BEGIN INSERT INTO log(what) VALUES('ins ' || new.id); END");
  run(db, "CREATE TRIGGER tr2 AFTER INSERT ON log BEGIN INSERT INTO log2 VALUES(new.what); DELETE FROM log2 WHERE what = 'gone'; END");
  run(db, "INSERT INTO log2 VALUES('gone')");
  run(db, "INSERT INTO t(id, a) VALUES(60, 'fires')");
  run(db, "DROP TRIGGER tr");
  run(db, "DROP TRIGGER tr2");

  run(db, "DELETE FROM log2");
  run(db, "DELETE FROM log");
  run(db, "CREATE TEMP TABLE tt(a, b)");
  run(db, "INSERT INTO tt VALUES(1, 2)");
  {
    char sql[4200];
    int rc;
    snprintf(sql, sizeof(sql), "ATTACH '%s' AS aux", path2);
    rc = sqlite3_exec(db, sql, 0, 0, 0);
    printf("ATTACH <file>.aux AS aux: rc=%d\n", rc);
  }
  run(db, "CREATE TABLE aux.at(x)");
  run(db, "INSERT INTO aux.at VALUES('attached')");
  run(db, "CREATE TABLE ai(id INTEGER PRIMARY KEY AUTOINCREMENT, y)");
  run(db, "INSERT INTO ai(y) VALUES('auto')");
  run(db, "CREATE VIEW v AS SELECT * FROM t");
  run(db, "SELECT count(*) FROM v");

  {
    sqlite3_blob *b = 0;
    int rc = sqlite3_blob_open(db, "main", "t", "b", 20, 1, &b);
    printf("blob_open rc=%d\n", rc);
    if( rc==SQLITE_OK ){
      rc = sqlite3_blob_write(b, "\x07", 1, 1);
      printf("blob_write rc=%d\n", rc);
      rc = sqlite3_blob_write(b, "\x08", 1, 5);
      printf("blob_write out of range rc=%d\n", rc);
      sqlite3_blob_close(b);
    }
  }
  {
    sqlite3_blob *b = 0;
    int rc = sqlite3_blob_open(db, "main", "t", "b", 20, 0, &b);
    printf("read-only blob_open rc=%d\n", rc);
    if( rc==SQLITE_OK ){
      rc = sqlite3_blob_write(b, "\x09", 1, 0);
      printf("read-only blob_write rc=%d\n", rc);
      sqlite3_blob_close(b);
    }
  }
  show_values(db, "SELECT hex(b) FROM t WHERE id = 20");

  old = sqlite3_update_hook(db, on_update, "u");
  run(db, "UPDATE t SET a = 'both hooks' WHERE id = 20");
  sqlite3_update_hook(db, 0, 0);

  old = sqlite3_preupdate_hook(db, 0, "kept");
  printf("preupdate_hook removed: %s\n", old ? (char*)old : "NULL");
  run(db, "INSERT INTO t(id) VALUES(70)");
  old = sqlite3_preupdate_hook(db, on_preupdate, "p2");
  printf("preupdate_hook after NULL callback: %s\n", old ? (char*)old : "NULL");
  run(db, "DELETE FROM t");
  run(db, "DELETE FROM log2");
  show_values(db, "SELECT count(*) FROM t");
  old = sqlite3_preupdate_hook(db, 0, 0);
  printf("preupdate_hook removed again: %s\n", old ? (char*)old : "NULL");
  outside(db, "after");
  sqlite3_close(db);
  remove(path2);
  return 0;
}
