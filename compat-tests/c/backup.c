/*
** backup.c: the online backup API.
**
** sqlite3_backup_init / _step / _finish / _remaining / _pagecount:
** incremental steps with the page counts after each one, a source changed
** between steps through its own connection (the backup goes on) and
** through another connection (it starts again), a source busy in a write
** transaction, a destination locked by another connection and locked by
** the backup against readers, init errors (same connection, unknown
** names, destination in use), page size differences (a rollback-journal
** file takes the source's size; a non-empty :memory: or WAL destination
** refuses with SQLITE_READONLY), :memory:, temp and attached databases on
** either side, an empty source, finish of an unfinished backup (the
** destination is left as it was), closing a source that a backup reads,
** and a process that dies in the middle of a backup whose pages already
** spilled into the destination file: the next opener rolls the hot
** journal back and finds the old destination.
**
** The source's rows carry blobs that overflow into chains of whole pages
** and fit one leaf, so that page counts are fixed by the file format, not
** by how a B-tree implementation splits pages. The destination file
** argv[1] ends up a copy of the source.
*/
#include "harness.h"
#include <sqlite3.h>
#include "rows.h"
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static void exec(sqlite3 *db, const char *sql){
  char *err = 0;
  int rc = sqlite3_exec(db, sql, 0, 0, &err);
  if( rc!=SQLITE_OK ){
    printf("exec %s: rc=%d %s\n", sql, rc, err ? err : "");
  }
  sqlite3_free(err);
}

static int step(sqlite3_backup *b, int n){
  int rc = sqlite3_backup_step(b, n);
  printf("  step(%d) rc=%d remaining=%d pagecount=%d\n", n, rc,
         sqlite3_backup_remaining(b), sqlite3_backup_pagecount(b));
  return rc;
}

static int finish(sqlite3_backup *b, sqlite3 *dest){
  int rc = sqlite3_backup_finish(b);
  printf("  finish rc=%d", rc);
  err("dest", dest);
  return rc;
}

/* A source with n rows of 3 overflow pages each (page size 1024). */
static void fill(sqlite3 *db, int n){
  char sql[200];
  exec(db, "PRAGMA page_size=1024; CREATE TABLE t(a INTEGER, b BLOB)");
  snprintf(sql, sizeof sql, "WITH RECURSIVE n(i) AS (SELECT 10 UNION ALL SELECT i+1 FROM n WHERE i<%d)"
           " INSERT INTO t SELECT i, zeroblob(3038) FROM n", 9+n);
  exec(db, sql);
}

static void content(sqlite3 *db, const char *schema){
  char sql[200];
  snprintf(sql, sizeof sql, "SELECT count(*), sum(a), sum(length(b)) FROM \"%s\".t", schema);
  show(db, sql);
}

int main(int argc, char **argv){
  char src_path[4096], other_path[4096], wal_path[4096];
  sqlite3 *src, *dest, *other, *mem, *mem2;
  sqlite3_backup *b;

  ferrolite_check_lib();
  if( argc<2 ){ fprintf(stderr, "usage: %s DB\n", argv[0]); return 2; }
  snprintf(src_path, sizeof src_path, "%s-src", argv[1]);
  snprintf(other_path, sizeof other_path, "%s-other", argv[1]);
  snprintf(wal_path, sizeof wal_path, "%s-wal-dest", argv[1]);
  remove(src_path); remove(other_path); remove(wal_path);

  src = open_db(src_path);
  fill(src, 6);
  show(src, "PRAGMA page_count");

  printf("-- init errors\n");
  printf("  same connection: %s\n", sqlite3_backup_init(src, "main", src, "main") ? "handle" : "NULL");
  err("src", src);
  dest = open_db(argv[1]);
  printf("  unknown destination: %s\n", sqlite3_backup_init(dest, "nope", src, "main") ? "handle" : "NULL");
  err("dest", dest);
  printf("  unknown source: %s\n", sqlite3_backup_init(dest, "main", src, "nada") ? "handle" : "NULL");
  err("dest", dest);
  printf("  both unknown: %s\n", sqlite3_backup_init(dest, "d1", src, "s1") ? "handle" : "NULL");
  err("dest", dest);
  exec(dest, "CREATE TABLE old(x); INSERT INTO old VALUES('before')");
  {
    sqlite3_stmt *st = 0;
    sqlite3_prepare_v2(dest, "SELECT x FROM old", -1, &st, 0);
    sqlite3_step(st);
    printf("  destination reading: %s\n", sqlite3_backup_init(dest, "main", src, "main") ? "handle" : "NULL");
    err("dest", dest);
    sqlite3_finalize(st);
  }
  printf("  finish(NULL)=%d\n", sqlite3_backup_finish(0));

  printf("-- an unfinished backup leaves the destination as it was\n");
  b = sqlite3_backup_init(dest, "MAIN", src, "Main");
  printf("  before any step: remaining=%d pagecount=%d\n", sqlite3_backup_remaining(b), sqlite3_backup_pagecount(b));
  step(b, 3);
  other = open_db(argv[1]);
  printf("  another reader of the destination during the backup:\n");
  show(other, "SELECT x FROM old");
  finish(b, dest);
  show(other, "SELECT x FROM old");
  sqlite3_close(other);
  show(dest, "SELECT x FROM old");

  printf("-- incremental, source changed through its own connection, then by another\n");
  b = sqlite3_backup_init(dest, "main", src, "main");
  step(b, 5);
  step(b, 5);
  exec(src, "UPDATE t SET a = a + 100 WHERE a = 10");
  step(b, 5);
  other = open_db(src_path);
  exec(other, "INSERT INTO t VALUES(50, zeroblob(3038))");
  step(b, 5);
  printf("  source in a write transaction:\n");
  exec(src, "BEGIN; UPDATE t SET a = a + 1 WHERE a = 11");
  step(b, 5);
  exec(src, "ROLLBACK");
  printf("  destination locked by another connection:\n");
  {
    sqlite3 *locker = open_db(argv[1]);
    /* The backup holds the destination already: the other connection
    ** cannot even read it. */
    show(locker, "SELECT count(*) FROM old");
    sqlite3_close(locker);
  }
  printf("  closing the source while the backup reads it: rc=%d\n", sqlite3_close(src));
  err("src", src);
  step(b, -1);
  step(b, 1);
  finish(b, dest);
  content(dest, "main");
  show(dest, "SELECT name FROM sqlite_master");
  show(dest, "PRAGMA integrity_check");
  show(dest, "PRAGMA page_count");
  sqlite3_close(other);

  printf("-- a destination held by another connection's write transaction\n");
  other = open_db(argv[1]);
  exec(other, "BEGIN IMMEDIATE");
  b = sqlite3_backup_init(dest, "main", src, "main");
  step(b, 2);
  err("dest after busy step", dest);
  exec(other, "COMMIT");
  step(b, 2);
  finish(b, dest);
  sqlite3_close(other);

  printf("-- into :memory: and back out of it\n");
  mem = open_db(":memory:");
  b = sqlite3_backup_init(mem, "main", src, "main");
  step(b, -1);
  finish(b, mem);
  content(mem, "main");
  show(mem, "PRAGMA page_size");
  exec(mem, "INSERT INTO t VALUES(60, zeroblob(3038))");
  other = open_db(other_path);
  b = sqlite3_backup_init(other, "main", mem, "main");
  step(b, 10);
  exec(mem, "DELETE FROM t WHERE a = 60");
  printf("  (an in-memory source changed: the backup starts again)\n");
  step(b, 10);
  step(b, 100);
  finish(b, other);
  content(other, "main");
  show(other, "PRAGMA integrity_check");

  printf("-- page sizes differ\n");
  mem2 = open_db(":memory:");
  exec(mem2, "CREATE TABLE x(y)");
  b = sqlite3_backup_init(mem2, "main", src, "main");
  step(b, -1);
  step(b, -1);
  finish(b, mem2);
  show(mem2, "SELECT name FROM sqlite_master");
  sqlite3_close(other);
  other = open_db(wal_path);
  exec(other, "PRAGMA journal_mode=WAL; CREATE TABLE w(z)");
  b = sqlite3_backup_init(other, "main", src, "main");
  step(b, -1);
  finish(b, other);
  show(other, "SELECT name FROM sqlite_master");
  sqlite3_close(other);
  remove(other_path);
  other = open_db(other_path);
  exec(other, "PRAGMA page_size=4096; CREATE TABLE big(z); INSERT INTO big VALUES(zeroblob(20000))");
  show(other, "PRAGMA page_size");
  b = sqlite3_backup_init(other, "main", src, "main");
  step(b, 4);
  step(b, 4);
  step(b, -1);
  finish(b, other);
  /* SQLite's PRAGMA page_size reports the new size after a read. */
  show(other, "PRAGMA page_count");
  show(other, "PRAGMA page_size");
  content(other, "main");
  show(other, "PRAGMA integrity_check");
  printf("  and a smaller destination page size:\n");
  b = sqlite3_backup_init(src, "main", other, "main");
  step(b, -1);
  finish(b, src);
  exec(other, "PRAGMA page_size=512; VACUUM");
  show(other, "PRAGMA page_size");
  b = sqlite3_backup_init(other, "main", mem, "main");
  step(b, -1);
  finish(b, other);
  content(other, "main");
  show(other, "PRAGMA page_size");
  show(other, "PRAGMA integrity_check");
  sqlite3_close(other);

  printf("  page sizes differ, source changed between steps:\n");
  {
    struct stat stt;
    sqlite3 *s, *s2, *d;
    remove(other_path);
    d = open_db(other_path);
    exec(d, "PRAGMA page_size=4096; CREATE TABLE big(z); INSERT INTO big VALUES(zeroblob(50000))");
    s = open_db(src_path);
    b = sqlite3_backup_init(d, "main", s, "main");
    step(b, 4);
    exec(s, "UPDATE t SET a = a + 1 WHERE a = 13");
    step(b, 4);
    s2 = open_db(src_path);
    exec(s2, "UPDATE t SET a = a - 1 WHERE a = 14");
    step(b, 4);
    exec(s, "UPDATE t SET a = a + 1 WHERE a = 13");
    step(b, -1);
    finish(b, d);
    stat(other_path, &stt);
    printf("  file bytes %lld\n", (long long)stt.st_size);
    show(d, "PRAGMA page_count");
    show(d, "PRAGMA page_size");
    content(d, "main");
    show(d, "PRAGMA integrity_check");
    /* And back: a bigger source page size than the destination's. */
    exec(d, "PRAGMA page_size=8192; VACUUM");
    show(d, "PRAGMA page_size");
    b = sqlite3_backup_init(s2, "main", d, "main");
    step(b, 1);
    exec(d, "UPDATE t SET a = a + 1000 WHERE a = 12");
    step(b, -1);
    finish(b, s2);
    stat(src_path, &stt);
    printf("  file bytes %lld\n", (long long)stt.st_size);
    show(s2, "PRAGMA page_count");
    show(s2, "PRAGMA page_size");
    content(s2, "main");
    show(s2, "PRAGMA integrity_check");
    sqlite3_close(s2);
    sqlite3_close(s);
    sqlite3_close(d);
    remove(other_path);
  }

  printf("-- temp and attached databases\n");
  b = sqlite3_backup_init(mem2, "main", src, "temp");
  step(b, -1);
  finish(b, mem2);
  show(mem2, "SELECT count(*) FROM sqlite_master");
  show(mem2, "PRAGMA page_count");
  b = sqlite3_backup_init(mem2, "temp", src, "main");
  step(b, -1);
  finish(b, mem2);
  content(mem2, "temp");
  exec(mem2, "ATTACH ':memory:' AS aux");
  b = sqlite3_backup_init(mem2, "aux", mem, "main");
  step(b, 7);
  step(b, -1);
  finish(b, mem2);
  content(mem2, "aux");
  exec(src, "ATTACH ':memory:' AS side; CREATE TABLE side.t(a, b); INSERT INTO side.t VALUES(1, x'00ff')");
  b = sqlite3_backup_init(mem2, "main", src, "side");
  step(b, -1);
  finish(b, mem2);
  content(mem2, "main");
  show(mem2, "PRAGMA database_list");

  printf("-- WAL source and destination\n");
  {
    char ws[4096], wd[4096];
    sqlite3 *s, *s2, *d;
    snprintf(ws, sizeof ws, "%s-wsrc", argv[1]);
    snprintf(wd, sizeof wd, "%s-wdst", argv[1]);
    remove(ws); remove(wd);
    s = open_db(ws);
    exec(s, "PRAGMA page_size=1024; PRAGMA journal_mode=WAL");
    fill(s, 6);
    d = open_db(wd);
    exec(d, "PRAGMA page_size=1024; PRAGMA journal_mode=WAL; CREATE TABLE gone(g)");
    b = sqlite3_backup_init(d, "main", s, "main");
    step(b, 4);
    exec(s, "UPDATE t SET a = a + 100 WHERE a = 10");
    step(b, 4);
    s2 = open_db(ws);
    exec(s2, "DELETE FROM t WHERE a = 11");
    step(b, 4);
    step(b, -1);
    finish(b, d);
    show(d, "PRAGMA journal_mode");
    content(d, "main");
    show(d, "PRAGMA integrity_check");
    sqlite3_close(d);
    /* A rollback-journal destination of a WAL source becomes WAL. */
    remove(other_path);
    d = open_db(other_path);
    b = sqlite3_backup_init(d, "main", s, "main");
    step(b, -1);
    finish(b, d);
    show(d, "PRAGMA journal_mode");
    content(d, "main");
    sqlite3_close(d);
    d = open_db(other_path);
    show(d, "PRAGMA journal_mode");
    sqlite3_close(d);
    sqlite3_close(s2);
    sqlite3_close(s);
    remove(ws); remove(wd); remove(other_path);
  }

  printf("-- a bigger destination shrinks; auto-vacuum on either side\n");
  {
    sqlite3 *s, *d;
    remove(other_path);
    d = open_db(other_path);
    exec(d, "PRAGMA page_size=1024; PRAGMA auto_vacuum=FULL; CREATE TABLE big(z); INSERT INTO big VALUES(zeroblob(60000))");
    show(d, "PRAGMA page_count");
    b = sqlite3_backup_init(d, "main", src, "main");
    step(b, 10);
    step(b, -1);
    finish(b, d);
    show(d, "PRAGMA page_count");
    show(d, "PRAGMA auto_vacuum");
    show(d, "PRAGMA integrity_check");
    content(d, "main");
    s = open_db(":memory:");
    exec(s, "PRAGMA page_size=1024; PRAGMA auto_vacuum=FULL; CREATE TABLE t(a INTEGER, b BLOB); CREATE TABLE u(v)");
    exec(s, "INSERT INTO t VALUES(1, zeroblob(3038)), (2, zeroblob(3038)); INSERT INTO u VALUES(zeroblob(5000)); DROP TABLE u");
    show(s, "PRAGMA page_count");
    b = sqlite3_backup_init(d, "main", s, "main");
    step(b, -1);
    finish(b, d);
    show(d, "PRAGMA auto_vacuum");
    show(d, "PRAGMA page_count");
    exec(d, "INSERT INTO t VALUES(3, zeroblob(9000)); DELETE FROM t WHERE a = 1");
    show(d, "PRAGMA page_count");
    show(d, "PRAGMA integrity_check");
    content(d, "main");
    sqlite3_close(s);
    printf("  closing a source with close_v2 while a backup reads it:\n");
    s = open_db(src_path);
    b = sqlite3_backup_init(d, "main", s, "main");
    step(b, 2);
    printf("  close_v2 rc=%d\n", sqlite3_close_v2(s));
    step(b, -1);
    finish(b, d);
    content(d, "main");
    sqlite3_close(d);
    remove(other_path);
  }

  printf("-- a crash in the middle of a backup\n");
  {
    char crash_path[4096];
    pid_t pid;
    int status = 0;
    sqlite3 *d;
    snprintf(crash_path, sizeof crash_path, "%s-crash", argv[1]);
    remove(crash_path);
    d = open_db(crash_path);
    exec(d, "PRAGMA page_size=1024; CREATE TABLE old(x); INSERT INTO old VALUES('kept')");
    sqlite3_close(d);
    fflush(stdout);
    pid = fork();
    if( pid==0 ){
      sqlite3 *s = open_db(src_path);
      d = open_db(crash_path);
      exec(d, "PRAGMA cache_size=2");
      b = sqlite3_backup_init(d, "main", s, "main");
      sqlite3_backup_step(b, 20);
      _exit(0);
    }
    waitpid(pid, &status, 0);
    printf("  child exit status %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    d = open_db(crash_path);
    show(d, "SELECT x FROM old");
    show(d, "PRAGMA integrity_check");
    sqlite3_close(d);
    remove(crash_path);
  }

  sqlite3_close(mem2);
  sqlite3_close(mem);
  printf("close src rc=%d\n", sqlite3_close(src));
  printf("close dest rc=%d\n", sqlite3_close(dest));
  remove(src_path); remove(other_path); remove(wal_path);
  return 0;
}
