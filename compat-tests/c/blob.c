/*
** blob.c: incremental BLOB I/O (sqlite3_blob_open, _read, _write, _bytes,
** _reopen, _close).
**
** Every call prints its result code and the connection's error state;
** the output must be the same on Ferrolite and on SQLite. Covers the open
** errors (table, view, WITHOUT ROWID, column, indexed column, row, value
** type, read-only database), reads and writes of 100 KB values across
** overflow pages, out-of-range requests, expiry after UPDATE/DELETE of the
** row, reopen (and a failed reopen), writes seen by later SELECTs, a
** ROLLBACK undoing blob writes, COMMIT and RELEASE while a writable handle
** is open, a handle open across a transaction, and close with handles
** open. NULL handles only where SQLite itself survives them.
*/
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include "sqlite3.h"
#include "harness.h"

static sqlite3 *db;

static void st(const char *what, int rc){
  printf("%-44s rc=%d errcode=%d ext=%d msg=%s\n", what, rc,
         sqlite3_errcode(db), sqlite3_extended_errcode(db), sqlite3_errmsg(db));
}

static void exec(const char *sql){
  char *err = 0;
  int rc = sqlite3_exec(db, sql, 0, 0, &err);
  printf("exec %-39.39s rc=%d %s\n", sql, rc, err ? err : "");
  sqlite3_free(err);
}

static int row_cb(void *arg, int n, char **v, char **names){
  int i;
  (void)arg; (void)names;
  printf("  row:");
  for(i=0; i<n; i++) printf(" %s", v[i] ? v[i] : "NULL");
  printf("\n");
  return 0;
}

static void query(const char *sql){
  char *err = 0;
  int rc = sqlite3_exec(db, sql, row_cb, 0, &err);
  if( rc ) printf("  query error rc=%d %s\n", rc, err ? err : "");
  sqlite3_free(err);
}

static sqlite3_blob *bopen(const char *zDb, const char *t, const char *c, sqlite3_int64 row, int w){
  sqlite3_blob *b = (sqlite3_blob*)1;
  char what[128];
  int rc = sqlite3_blob_open(db, zDb, t, c, row, w, &b);
  snprintf(what, sizeof what, "open(%s,%s,%s,%lld,%d)", zDb ? zDb : "NULL", t, c, row, w);
  st(what, rc);
  printf("  handle set: %d bytes=%d\n", b!=0, b ? sqlite3_blob_bytes(b) : -1);
  return b;
}

static void bread(sqlite3_blob *b, int n, int off){
  unsigned char *buf = malloc(n>0 ? n : 1);
  char what[64];
  int rc, i;
  unsigned sum = 0;
  memset(buf, 0xEE, n>0 ? n : 1);
  rc = sqlite3_blob_read(b, buf, n, off);
  snprintf(what, sizeof what, "read(n=%d,off=%d)", n, off);
  st(what, rc);
  if( rc==SQLITE_OK ){
    for(i=0; i<n; i++) sum = sum*31 + buf[i];
    printf("  data:");
    for(i=0; i<n && i<12; i++) printf(" %02x", buf[i]);
    printf(" sum=%u\n", sum);
  }
  free(buf);
}

static void bwrite(sqlite3_blob *b, const void *z, int n, int off){
  char what[64];
  int rc = sqlite3_blob_write(b, z, n, off);
  snprintf(what, sizeof what, "write(n=%d,off=%d)", n, off);
  st(what, rc);
}

static void bclose(sqlite3_blob *b){
  st("close", sqlite3_blob_close(b));
}

static void breopen(sqlite3_blob *b, sqlite3_int64 row){
  char what[64];
  int rc = sqlite3_blob_reopen(b, row);
  snprintf(what, sizeof what, "reopen(%lld)", row);
  st(what, rc);
  printf("  bytes=%d\n", sqlite3_blob_bytes(b));
}

int main(int argc, char **argv){
  sqlite3_blob *b, *b2;
  unsigned char big[100000];
  int i, rc;

  ferrolite_check_lib();
  if( argc<2 ){ fprintf(stderr, "usage: blob DBFILE\n"); return 2; }
  remove(argv[1]);
  if( sqlite3_open(argv[1], &db) ){ fprintf(stderr, "open failed\n"); return 1; }

  /* NULL handles SQLite survives. */
  printf("close(NULL)=%d bytes(NULL)=%d read(NULL)=%d write(NULL)=%d reopen(NULL)=%d\n",
         sqlite3_blob_close(0), sqlite3_blob_bytes(0), sqlite3_blob_read(0, big, 1, 0),
         sqlite3_blob_write(0, big, 1, 0), sqlite3_blob_reopen(0, 1));

  exec("CREATE TABLE t(id INTEGER PRIMARY KEY, a TEXT, b BLOB, c UNIQUE, d, e)");
  exec("CREATE INDEX t_d ON t(d)");
  exec("CREATE VIEW v AS SELECT * FROM t");
  exec("CREATE TABLE x(p, q)");
  exec("INSERT INTO x VALUES('pp', 'qq')");
  exec("INSERT INTO t VALUES(1, 'hello world', zeroblob(100000), 'c1', 'd1', 'e1')");
  exec("INSERT INTO t VALUES(2, 42, 4.5, NULL, 7, x'')");
  exec("INSERT INTO t VALUES(3, 'three', x'010203', 'c3', 'd3', 1)");
  exec("INSERT INTO t VALUES(4, 'four', zeroblob(5000), 'c4', 'd4', 0)");

  printf("-- open errors\n");
  bopen("main", "nosuch", "a", 1, 0);
  bopen(0, "nosuch", "a", 1, 0);
  bopen("nodb", "t", "a", 1, 0);
  bopen("main", "v", "a", 1, 0);
  bopen("main", "t", "nosuch", 1, 0);
  bopen("main", "t", "rowid", 1, 0);
  bopen("main", "t", "c", 1, 1);
  bopen("main", "t", "d", 1, 1);
  bopen("main", "t", "a", 7, 0);
  bopen("main", "t", "d", 2, 0);
  bopen("main", "t", "b", 2, 0);
  bopen("main", "t", "c", 2, 0);
  bopen("main", "t", "id", 1, 0);
  bopen("main", "t", "e", 3, 0);
  bopen("main", "t", "e", 4, 0);
  printf("autocommit=%d\n", sqlite3_get_autocommit(db));

  printf("-- indexed columns can still be read; empty values open\n");
  b = bopen("MAIN", "T", "C", 1, 0);
  bread(b, 2, 0);
  bclose(b);
  b = bopen("main", "t", "e", 2, 1);
  bread(b, 0, 0);
  bread(b, 1, 0);
  bclose(b);
  b = bopen(0, "x", "p", 1, 0);
  bread(b, 2, 0);
  bclose(b);

  printf("-- reading and writing a 100 KB value across overflow pages\n");
  b = bopen("main", "t", "b", 1, 1);
  printf("autocommit=%d\n", sqlite3_get_autocommit(db));
  for(i=0; i<(int)sizeof big; i++) big[i] = (unsigned char)(i*7 + i/251);
  bwrite(b, big, 60000, 30000);
  bwrite(b, "ABC", 3, 0);
  bwrite(b, "Z", 1, 99999);
  bread(b, 100000, 0);
  bread(b, 10, 29995);
  bread(b, 70000, 30000);
  bread(b, 1, 99999);
  printf("-- out of range\n");
  bwrite(b, "xy", 2, 99999);
  bread(b, 2, 99999);
  bread(b, 1, 100000);
  bread(b, -1, 0);
  bread(b, 1, -1);
  bwrite(b, "x", -1, 0);
  bread(b, 0, 100000);
  printf("bytes=%d\n", sqlite3_blob_bytes(b));
  bclose(b);
  query("SELECT length(b), hex(substr(b,1,4)), hex(substr(b,29999,4)), hex(substr(b,99998,3)) FROM t WHERE id=1");
  query("SELECT substr(b,30001,60000) = substr(b,30001,60000), length(substr(b,30001,60000)) FROM t WHERE id=1");

  printf("-- text values, read-only handle writing\n");
  b = bopen("main", "t", "a", 1, 0);
  bread(b, 11, 0);
  bwrite(b, "J", 1, 0);
  bread(b, 5, 0);
  bclose(b);
  b = bopen("main", "t", "a", 1, 1);
  bwrite(b, "J", 1, 0);
  bclose(b);
  query("SELECT a, typeof(a) FROM t WHERE id=1");

  printf("-- expiry: UPDATE of the row, DELETE of the row, other rows\n");
  b = bopen("main", "t", "a", 1, 0);
  b2 = bopen("main", "t", "a", 3, 1);
  exec("UPDATE t SET e = 'changed' WHERE id = 1");
  bread(b, 3, 0);
  printf("bytes after abort=%d\n", sqlite3_blob_bytes(b));
  bread(b, 3, 0);
  bread(b, 1, 20);
  breopen(b, 3);
  bclose(b);
  bread(b2, 5, 0);
  bwrite(b2, "T", 1, 0);
  exec("INSERT INTO t(id, a) VALUES(10, 'ten')");
  bread(b2, 5, 0);
  exec("DELETE FROM t WHERE id = 3");
  bwrite(b2, "X", 1, 0);
  bwrite(b2, "X", 1, 0);
  bclose(b2);
  query("SELECT id, a FROM t ORDER BY id");
  exec("INSERT INTO t(id, a, b) VALUES(3, 'three', x'010203')");
  b = bopen("main", "t", "b", 4, 0);
  exec("DELETE FROM t WHERE id = 10");
  bread(b, 4, 0);
  exec("UPDATE t SET a = a WHERE id = 4");
  bread(b, 4, 0);
  bclose(b);

  printf("-- reopen\n");
  b = bopen("main", "t", "a", 1, 0);
  breopen(b, 3);
  bread(b, 5, 0);
  breopen(b, 4);
  bread(b, 4, 0);
  breopen(b, 99);
  bread(b, 1, 0);
  breopen(b, 1);
  bclose(b);
  b = bopen("main", "t", "a", 1, 1);
  breopen(b, 2);
  breopen(b, 1);
  bclose(b);
  b = bopen("main", "t", "a", 1, 0);
  exec("DELETE FROM t WHERE id = 3");
  breopen(b, 4);
  bread(b, 4, 0);
  bclose(b);
  exec("INSERT INTO t(id, a, b) VALUES(3, 'three', x'010203')");

  printf("-- writes in a transaction, rolled back\n");
  exec("BEGIN");
  b = bopen("main", "t", "b", 1, 1);
  bwrite(b, "\x11\x22\x33\x44", 4, 50000);
  query("SELECT hex(substr(b, 50001, 4)) FROM t WHERE id=1");
  exec("COMMIT");
  exec("RELEASE nosuch");
  printf("autocommit=%d\n", sqlite3_get_autocommit(db));
  exec("ROLLBACK");
  printf("autocommit=%d\n", sqlite3_get_autocommit(db));
  bread(b, 4, 50000);
  bwrite(b, "a", 1, 0);
  printf("bytes after rollback=%d\n", sqlite3_blob_bytes(b));
  breopen(b, 1);
  bclose(b);
  query("SELECT hex(substr(b, 50001, 4)) FROM t WHERE id=1");

  printf("-- a read-only handle across a transaction\n");
  b = bopen("main", "t", "a", 4, 0);
  exec("BEGIN");
  exec("UPDATE t SET a = 'ONE' WHERE id = 3");
  bread(b, 4, 0);
  exec("COMMIT");
  printf("autocommit=%d\n", sqlite3_get_autocommit(db));
  bread(b, 4, 0);
  exec("BEGIN");
  exec("INSERT INTO t(id, a) VALUES(20, 'twenty')");
  exec("ROLLBACK");
  bread(b, 4, 0);
  bclose(b);
  query("SELECT id, a FROM t WHERE id IN (3, 20)");

  printf("-- writable handle across a committed transaction\n");
  exec("BEGIN");
  b = bopen("main", "t", "a", 4, 1);
  bwrite(b, "F", 1, 0);
  exec("SAVEPOINT s1");
  bwrite(b, "O", 1, 1);
  exec("RELEASE s1");
  exec("ROLLBACK TO s1");
  bread(b, 4, 0);
  bclose(b);
  exec("COMMIT");
  query("SELECT a FROM t WHERE id = 4");

  printf("-- autocommit writer beside other statements\n");
  b = bopen("main", "t", "a", 4, 1);
  bwrite(b, "Four", 4, 0);
  exec("INSERT INTO t(id, a) VALUES(30, 'thirty')");
  printf("autocommit=%d\n", sqlite3_get_autocommit(db));
  bread(b, 4, 0);
  {
    sqlite3_stmt *s = 0;
    rc = sqlite3_prepare_v2(db, "SELECT a FROM t WHERE id = 4", -1, &s, 0);
    rc = sqlite3_step(s);
    printf("step=%d a=%s\n", rc, sqlite3_column_text(s, 0));
    bwrite(b, "f", 1, 0);
    sqlite3_reset(s);
    rc = sqlite3_step(s);
    printf("step=%d a=%s\n", rc, sqlite3_column_text(s, 0));
    sqlite3_finalize(s);
  }
  bclose(b);
  query("SELECT id, a FROM t WHERE id IN (4, 30)");

  printf("-- a statement paused on the row sees a blob write at its next step\n");
  b = bopen("main", "t", "a", 4, 7);
  {
    sqlite3_stmt *s = 0;
    sqlite3_prepare_v2(db, "SELECT t.a, u.column1 FROM t, (VALUES(1),(2),(3)) u WHERE t.id = 4", -1, &s, 0);
    rc = sqlite3_step(s);
    printf("step=%d a=%s u=%d\n", rc, sqlite3_column_text(s, 0), sqlite3_column_int(s, 1));
    bwrite(b, "FOUR", 4, 0);
    rc = sqlite3_step(s);
    printf("step=%d a=%s u=%d\n", rc, sqlite3_column_text(s, 0), sqlite3_column_int(s, 1));
    sqlite3_finalize(s);
  }
  printf("two handles on one row\n");
  b2 = bopen("main", "t", "a", 4, 0);
  bwrite(b, "four", 4, 0);
  bread(b2, 4, 0);
  printf("changes=%d\n", sqlite3_changes(db));
  bclose(b2);
  bclose(b);

  printf("-- a UTF-16 database stores text as UTF-16\n");
  {
    sqlite3 *keep = db;
    sqlite3_open(":memory:", &db);
    exec("PRAGMA encoding = 'UTF-16le'");
    exec("CREATE TABLE u(s TEXT)");
    exec("INSERT INTO u VALUES('h\xc3\xa9llo')");
    b = bopen(0, "u", "s", 1, 1);
    bread(b, 10, 0);
    bwrite(b, "H\0", 2, 0);
    bclose(b);
    query("SELECT s, length(s) FROM u");
    sqlite3_close(db);
    db = keep;
  }

  printf("-- schema statements beside an open handle\n");
  exec("CREATE TABLE z(q)");
  b = bopen("main", "t", "a", 4, 0);
  exec("DROP TABLE z");
  exec("VACUUM");
  exec("CREATE INDEX t_a ON t(a)");
  bread(b, 4, 0);
  bclose(b);
  b = bopen("main", "t", "a", 4, 1);
  exec("DROP INDEX t_a");
  bclose(b);
  b = bopen("main", "sqlite_master", "sql", 1, 0);
  bread(b, 12, 0);
  bclose(b);
  bopen("temp", "t", "a", 1, 0);
  bopen("main", "sqlite_temp_master", "sql", 1, 0);

  printf("-- another connection holding locks\n");
  {
    sqlite3 *db2 = 0;
    char *err = 0;
    sqlite3_open(argv[1], &db2);
    rc = sqlite3_exec(db2, "BEGIN IMMEDIATE", 0, 0, 0);
    printf("db2 BEGIN IMMEDIATE=%d\n", rc);
    b = bopen("main", "t", "a", 4, 1);
    b = bopen("main", "t", "a", 4, 0);
    bread(b, 4, 0);
    rc = sqlite3_exec(db2, "UPDATE t SET a = 'FOUR' WHERE id = 4; COMMIT", 0, 0, &err);
    printf("db2 UPDATE+COMMIT=%d %s\n", rc, err ? err : "");
    sqlite3_free(err);
    bread(b, 4, 0);
    bclose(b);
    rc = sqlite3_exec(db2, "COMMIT", 0, 0, 0);
    printf("db2 COMMIT=%d\n", rc);
    sqlite3_close(db2);
    b = bopen("main", "t", "a", 4, 0);
    bread(b, 4, 0);
    bclose(b);
  }

  printf("-- close with handles open\n");
  b = bopen("main", "t", "a", 4, 0);
  st("close(db) with a blob open", sqlite3_close(db));
  bread(b, 4, 0);
  bclose(b);
  query("PRAGMA integrity_check");
  rc = sqlite3_close(db);
  printf("close(db)=%d\n", rc);

  printf("-- a read-only connection\n");
  sqlite3_open_v2(argv[1], &db, SQLITE_OPEN_READONLY, 0);
  b = bopen("main", "t", "a", 4, 1);
  b = bopen("main", "t", "a", 4, 0);
  bread(b, 4, 0);
  bwrite(b, "x", 1, 0);
  bclose(b);
  b = bopen("main", "t", "a", 4, 0);
  printf("close_v2(db) with a blob open=%d\n", sqlite3_close_v2(db));
  printf("close(blob)=%d\n", sqlite3_blob_close(b));
  return 0;
}
