/*
** serialize.c: sqlite3_serialize and sqlite3_deserialize.
**
** Serialize of a file database, a :memory: one, an empty one (which gets
** its first page), an unknown schema and an unused TEMP (NULL, size -1),
** with SQLITE_SERIALIZE_NOCOPY (NULL unless the database is a deserialized
** one, whose own buffer comes back); deserialize into main and into an
** attached database, a round trip, writes that fit a fixed buffer, writes
** past it (SQLITE_FULL), growth of a RESIZEABLE buffer, a READONLY buffer
** refusing writes, a buffer that is not a database (the error comes at
** first use), TEMP and unknown schemas (SQLITE_ERROR, error state kept),
** a database in use (SQLITE_BUSY), FREEONCLOSE buffers released on close
** and on failure. The file argv[1] ends up a backup of a deserialized
** database.
*/
#define _GNU_SOURCE
#include "harness.h"
#include <sqlite3.h>
#include "rows.h"

static int exec(sqlite3 *db, const char *sql){
  char *err = 0;
  int rc = sqlite3_exec(db, sql, 0, 0, &err);
  printf("exec %s: rc=%d%s%s\n", sql, rc, err ? " " : "", err ? err : "");
  sqlite3_free(err);
  return rc;
}

/* Serializes and prints what came back: NULL or not, the size, the
** header's page size and page count. Returns the (malloced) image. */
static unsigned char *ser(sqlite3 *db, const char *schema, unsigned flags, sqlite3_int64 *psz){
  sqlite3_int64 sz = -7;
  unsigned char *p = sqlite3_serialize(db, schema, &sz, flags);
  printf("  serialize(%s, %s): %s size=%lld", schema ? schema : "NULL",
         flags ? "NOCOPY" : "0", p ? "data" : "NULL", sz);
  if( p && sz>=100 ){
    printf(" page_size=%d pages=%d", (p[16]<<8 | p[17]) == 1 ? 65536 : (p[16]<<8 | p[17]),
           p[28]<<24 | p[29]<<16 | p[30]<<8 | p[31]);
  }
  printf("\n");
  if( psz ) *psz = sz;
  return p;
}

static unsigned char *dup(const unsigned char *p, sqlite3_int64 n, sqlite3_int64 alloc){
  unsigned char *q = sqlite3_malloc64(alloc);
  memcpy(q, p, n);
  if( alloc>n ) memset(q+n, 0, alloc-n);
  return q;
}

int main(int argc, char **argv){
  sqlite3 *a, *b, *c, *file;
  unsigned char *img, *p, *buf;
  sqlite3_int64 sz, sz2;
  int rc;

  ferrolite_check_lib();
  if( argc<2 ){ fprintf(stderr, "usage: %s DB\n", argv[0]); return 2; }
  remove(argv[1]);

  printf("-- serialize\n");
  a = open_db(":memory:");
  p = ser(a, "main", 0, 0);
  sqlite3_free(p);
  p = ser(a, 0, SQLITE_SERIALIZE_NOCOPY, 0);
  exec(a, "CREATE TABLE t(x TEXT, y); INSERT INTO t VALUES('one', 1), ('two', zeroblob(5000))");
  img = ser(a, "main", 0, &sz);
  p = ser(a, "main", SQLITE_SERIALIZE_NOCOPY, 0);
  p = ser(a, "nope", 0, 0);
  p = ser(a, "temp", 0, 0);
  exec(a, "CREATE TEMP TABLE tt(z)");
  p = ser(a, "temp", 0, 0);
  sqlite3_free(p);
  file = open_db(argv[1]);
  exec(file, "PRAGMA page_size=1024; CREATE TABLE f(v); INSERT INTO f VALUES(42)");
  p = ser(file, "main", 0, 0);
  sqlite3_free(p);
  p = ser(file, "main", SQLITE_SERIALIZE_NOCOPY, 0);
  sqlite3_close(file);
  remove(argv[1]);

  printf("-- deserialize: round trip into a fixed buffer\n");
  b = open_db(":memory:");
  exec(b, "CREATE TABLE gone(q)");
  buf = dup(img, sz, sz);
  rc = sqlite3_deserialize(b, "main", buf, sz, sz, SQLITE_DESERIALIZE_FREEONCLOSE);
  printf("  deserialize rc=%d\n", rc);
  err("b", b);
  show(b, "SELECT x, length(y) FROM t");
  show(b, "SELECT name FROM sqlite_master");
  p = ser(b, "main", SQLITE_SERIALIZE_NOCOPY, &sz2);
  printf("  NOCOPY gives the buffer itself: %s\n", p==buf ? "yes" : "no");
  exec(b, "UPDATE t SET x = 'uno' WHERE y = 1");
  show(b, "SELECT x FROM t ORDER BY x");
  printf("  the change is in the application's buffer: %s\n", memmem(buf, sz, "uno", 3) ? "yes" : "no");
  exec(b, "INSERT INTO t VALUES('big', zeroblob(20000))");
  err("b", b);
  show(b, "SELECT count(*) FROM t");
  show(b, "PRAGMA integrity_check");
  show(b, "PRAGMA journal_mode");
  show(b, "PRAGMA journal_mode=WAL");
  show(b, "PRAGMA journal_mode=DELETE");
  exec(b, "BEGIN; DELETE FROM t; ROLLBACK");
  show(b, "SELECT count(*) FROM t");
  show(b, "PRAGMA database_list");
  p = ser(b, "main", 0, 0);
  sqlite3_free(p);
  printf("  close b rc=%d\n", sqlite3_close(b));

  printf("-- a buffer with room to spare, then RESIZEABLE growth\n");
  c = open_db(":memory:");
  buf = dup(img, sz, sz + 8192);
  rc = sqlite3_deserialize(c, 0, buf, sz, sz + 8192, 0);
  printf("  deserialize rc=%d\n", rc);
  exec(c, "INSERT INTO t VALUES('three', zeroblob(3000))");
  p = ser(c, "main", SQLITE_SERIALIZE_NOCOPY, &sz2);
  printf("  grew in place: %s\n", p==buf ? "yes" : "no");
  exec(c, "INSERT INTO t VALUES('four', zeroblob(30000))");
  show(c, "SELECT count(*) FROM t");
  sqlite3_close(c);
  sqlite3_free(buf);
  c = open_db(":memory:");
  buf = dup(img, sz, sz);
  rc = sqlite3_deserialize(c, "main", buf, sz, sz, SQLITE_DESERIALIZE_FREEONCLOSE|SQLITE_DESERIALIZE_RESIZEABLE);
  printf("  deserialize rc=%d\n", rc);
  exec(c, "INSERT INTO t SELECT 'more', zeroblob(1000) FROM (SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3)");
  exec(c, "INSERT INTO t VALUES('huge', zeroblob(100000))");
  show(c, "SELECT count(*), sum(length(y)) FROM t");
  show(c, "PRAGMA integrity_check");
  p = ser(c, "main", 0, &sz2);
  printf("  grew: %s\n", sz2 > sz ? "yes" : "no");

  printf("-- READONLY\n");
  b = open_db(":memory:");
  rc = sqlite3_deserialize(b, "main", p, sz2, sz2, SQLITE_DESERIALIZE_READONLY|SQLITE_DESERIALIZE_FREEONCLOSE);
  printf("  deserialize rc=%d\n", rc);
  show(b, "SELECT count(*) FROM t");
  exec(b, "INSERT INTO t VALUES('no', 0)");
  err("b", b);
  exec(b, "CREATE TABLE nope(n)");
  show(b, "SELECT count(*) FROM t");
  sqlite3_close(b);

  printf("-- errors\n");
  b = open_db(":memory:");
  exec(b, "SELECT no_such_column");
  buf = dup(img, sz, sz);
  rc = sqlite3_deserialize(b, "temp", buf, sz, sz, SQLITE_DESERIALIZE_FREEONCLOSE);
  printf("  deserialize temp rc=%d\n", rc);
  err("b", b);
  buf = dup(img, sz, sz);
  rc = sqlite3_deserialize(b, "nowhere", buf, sz, sz, SQLITE_DESERIALIZE_FREEONCLOSE);
  printf("  deserialize nowhere rc=%d\n", rc);
  err("b", b);
  exec(b, "CREATE TABLE busy(x); INSERT INTO busy VALUES(1), (2)");
  {
    sqlite3_stmt *st = 0;
    sqlite3_prepare_v2(b, "SELECT x FROM busy", -1, &st, 0);
    sqlite3_step(st);
    buf = dup(img, sz, sz);
    rc = sqlite3_deserialize(b, "main", buf, sz, sz, SQLITE_DESERIALIZE_FREEONCLOSE);
    printf("  deserialize while reading rc=%d\n", rc);
    err("b", b);
    sqlite3_finalize(st);
  }
  exec(b, "BEGIN; INSERT INTO busy VALUES(3)");
  buf = dup(img, sz, sz);
  rc = sqlite3_deserialize(b, "main", buf, sz, sz, SQLITE_DESERIALIZE_FREEONCLOSE);
  printf("  deserialize in a transaction rc=%d\n", rc);
  err("b", b);
  exec(b, "COMMIT");
  show(b, "SELECT count(*) FROM busy");
  {
    unsigned char *junk = sqlite3_malloc(3);
    junk[0] = 0; junk[1] = 1; junk[2] = 3;
    rc = sqlite3_deserialize(b, "main", junk, 3, 3, SQLITE_DESERIALIZE_FREEONCLOSE);
    printf("  deserialize 3 bytes rc=%d\n", rc);
    exec(b, "CREATE TABLE fail(f)");
    show(b, "SELECT * FROM sqlite_master");
  }
  rc = sqlite3_deserialize(b, "main", 0, 0, 0, 0);
  printf("  deserialize nothing rc=%d\n", rc);
  show(b, "SELECT count(*) FROM sqlite_master");
  exec(b, "CREATE TABLE fresh(f)");
  err("b", b);
  sqlite3_close(b);

  printf("-- an attached database, and a copy to the file\n");
  b = open_db(":memory:");
  exec(b, "ATTACH ':memory:' AS aux");
  buf = dup(img, sz, sz);
  rc = sqlite3_deserialize(b, "aux", buf, sz, sz, SQLITE_DESERIALIZE_FREEONCLOSE|SQLITE_DESERIALIZE_RESIZEABLE);
  printf("  deserialize aux rc=%d\n", rc);
  show(b, "SELECT x FROM aux.t ORDER BY x");
  exec(b, "INSERT INTO aux.t VALUES('five', 5)");
  file = open_db(argv[1]);
  {
    sqlite3_backup *bk = sqlite3_backup_init(file, "main", b, "aux");
    printf("  backup step rc=%d\n", sqlite3_backup_step(bk, -1));
    printf("  backup finish rc=%d\n", sqlite3_backup_finish(bk));
  }
  show(file, "SELECT x, length(y) FROM t ORDER BY x");
  show(file, "PRAGMA integrity_check");
  sqlite3_close(file);
  sqlite3_close(b);

  printf("-- a deserialized database as a backup destination\n");
  {
    sqlite3 *d = open_db(":memory:");
    sqlite3_backup *bk;
    buf = dup(img, sz, sz);
    rc = sqlite3_deserialize(d, "main", buf, sz, sz, SQLITE_DESERIALIZE_FREEONCLOSE);
    printf("  deserialize rc=%d\n", rc);
    bk = sqlite3_backup_init(d, "main", c, "main");
    printf("  into a fixed buffer: step rc=%d", sqlite3_backup_step(bk, -1));
    printf(" finish rc=%d\n", sqlite3_backup_finish(bk));
    err("d", d);
    show(d, "SELECT count(*) FROM t");
    sqlite3_close(d);
    d = open_db(":memory:");
    buf = dup(img, sz, sz);
    rc = sqlite3_deserialize(d, "main", buf, sz, sz, SQLITE_DESERIALIZE_FREEONCLOSE|SQLITE_DESERIALIZE_RESIZEABLE);
    bk = sqlite3_backup_init(d, "main", c, "main");
    printf("  into a resizeable buffer: step rc=%d", sqlite3_backup_step(bk, 5));
    printf(" rc=%d", sqlite3_backup_step(bk, -1));
    printf(" finish rc=%d\n", sqlite3_backup_finish(bk));
    show(d, "SELECT count(*), sum(length(y)) FROM t");
    show(d, "PRAGMA integrity_check");
    p = ser(d, "main", SQLITE_SERIALIZE_NOCOPY, &sz2);
    sqlite3_close(d);
    d = open_db(":memory:");
    exec(d, "PRAGMA page_size=1024; CREATE TABLE small(s)");
    p = ser(d, "main", 0, &sz2);
    sqlite3_close(d);
    d = open_db(":memory:");
    rc = sqlite3_deserialize(d, "main", p, sz2, sz2, SQLITE_DESERIALIZE_FREEONCLOSE|SQLITE_DESERIALIZE_RESIZEABLE);
    bk = sqlite3_backup_init(d, "main", c, "main");
    printf("  another page size: step rc=%d", sqlite3_backup_step(bk, -1));
    printf(" finish rc=%d\n", sqlite3_backup_finish(bk));
    err("d", d);
    sqlite3_close(d);
  }

  sqlite3_close(c);
  sqlite3_free(img);
  printf("close a rc=%d\n", sqlite3_close(a));
  return 0;
}
