/*
** walinterop.c: WAL databases written by one library and read by the other
** (issue 6), through the C ABI; harness.h checks which library is loaded.
**
**   walinterop write DB PAGESIZE ROWS HOW  a deterministic workload in WAL
**                                          mode with wal_autocheckpoint=0,
**                                          so everything stays in the log:
**                                          a table with an index, rows of 0
**                                          to 30,000 bytes (overflow pages),
**                                          updates and deletes, 12
**                                          transactions. HOW:
**        close  sqlite3_close (checkpoint, -wal and -shm deleted)
**        hold   print "ready", keep the connection open until stdin closes
**               (the log and -shm stay live for a reader of the other
**               library)
**        crash  _exit(0) with the connection open: a hot log and a stale
**               -shm for the next opener to recover
**   walinterop dump DB                     journal_mode, row count, length
**                                          sum, an FNV-1a digest of every
**                                          row in rowid order and of the
**                                          index, integrity_check; "frames"
**                                          line: wal_checkpoint(PASSIVE)
**                                          when asked with WALINTEROP_CKPT=1
**   walinterop race-init DB                a WAL database with counter(n)
**                                          and log(i, b)
**   walinterop race-write DB N             N transactions: n += 1 and a
**                                          row of 10..3000 random bytes,
**                                          with a checkpoint every 5 frames
**   walinterop race-read DB SECONDS        snapshots in a tight loop
**                                          (BEGIN; n; count(*); COMMIT)
**                                          that must agree: checkpoints
**                                          race with every read start
**   walinterop race-check DB               n == count(*), integrity ok
** Exits 0 when all calls succeed (and, for race-read, every snapshot
** agreed).
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "sqlite3.h"
#include "../c/harness.h"

static void die(sqlite3 *db, const char *what){
  fprintf(stderr, "walinterop: %s: %s (%d)\n", what,
          db ? sqlite3_errmsg(db) : "-", db ? sqlite3_extended_errcode(db) : 0);
  exit(1);
}

static void exec(sqlite3 *db, const char *sql){
  if( sqlite3_exec(db, sql, 0, 0, 0)!=SQLITE_OK ) die(db, sql);
}

static sqlite3_stmt *prep(sqlite3 *db, const char *sql){
  sqlite3_stmt *st = 0;
  if( sqlite3_prepare_v2(db, sql, -1, &st, 0)!=SQLITE_OK ) die(db, sql);
  return st;
}

static void run(sqlite3 *db, sqlite3_stmt *st){
  int rc = sqlite3_step(st);
  if( rc!=SQLITE_DONE && rc!=SQLITE_ROW ) die(db, sqlite3_sql(st));
  sqlite3_reset(st);
}

/* Deterministic value sizes: small, around the overflow threshold, big. */
static int vlen(long id, int round){
  static const int sizes[] = {0, 1, 17, 400, 1000, 1500, 4000, 9000, 30000};
  return sizes[(id * 7 + round) % 9];
}

static void fill(unsigned char *b, int n, long id, int round){
  unsigned x = (unsigned)(id * 2654435761u) ^ (unsigned)round;
  int i;
  for(i=0; i<n; i++){ x = x * 1103515245u + 12345u; b[i] = (unsigned char)(x >> 16); }
}

static int do_write(const char *path, int ps, long rows, const char *how){
  sqlite3 *db = 0;
  sqlite3_stmt *ins, *upd, *del;
  unsigned char *buf = malloc(30000);
  char sql[64];
  long id;
  int round;
  if( sqlite3_open(path, &db)!=SQLITE_OK ) die(db, "open");
  snprintf(sql, sizeof(sql), "PRAGMA page_size=%d", ps);
  exec(db, sql);
  {
    sqlite3_stmt *jm = prep(db, "PRAGMA journal_mode=WAL");
    if( sqlite3_step(jm)!=SQLITE_ROW
     || strcmp((const char*)sqlite3_column_text(jm, 0), "wal")!=0 ) die(db, "journal_mode=WAL");
    sqlite3_finalize(jm);
  }
  exec(db, "PRAGMA wal_autocheckpoint=0");
  exec(db, "CREATE TABLE t(id INTEGER PRIMARY KEY, round INTEGER, tag TEXT, v BLOB);"
           "CREATE INDEX t_tag ON t(tag, round)");
  ins = prep(db, "INSERT INTO t VALUES(?1, ?2, printf('tag-%d', ?1 % 97), ?3)");
  upd = prep(db, "UPDATE t SET round=?2, v=?3 WHERE id=?1");
  del = prep(db, "DELETE FROM t WHERE id=?1");
  for(round=0; round<12; round++){
    exec(db, "BEGIN");
    if( round<4 ){
      for(id=round*rows/4+1; id<=(round+1)*rows/4; id++){
        int n = vlen(id, 0);
        fill(buf, n, id, 0);
        sqlite3_bind_int64(ins, 1, id);
        sqlite3_bind_int(ins, 2, 0);
        sqlite3_bind_blob(ins, 3, buf, n, SQLITE_STATIC);
        run(db, ins);
      }
    }else{
      for(id=round; id<=rows; id+=7+round){
        if( (id + round) % 5 == 0 ){
          sqlite3_bind_int64(del, 1, id);
          run(db, del);
        }else{
          int n = vlen(id, round);
          fill(buf, n, id, round);
          sqlite3_bind_int64(upd, 1, id);
          sqlite3_bind_int(upd, 2, round);
          sqlite3_bind_blob(upd, 3, buf, n, SQLITE_STATIC);
          run(db, upd);
        }
      }
    }
    exec(db, "COMMIT");
  }
  sqlite3_finalize(ins); sqlite3_finalize(upd); sqlite3_finalize(del);
  if( strcmp(how, "crash")==0 ){
    fflush(stdout);
    _exit(0);
  }
  if( strcmp(how, "hold")==0 ){
    char c;
    printf("ready\n");
    fflush(stdout);
    while( read(0, &c, 1)>0 ){}
  }
  if( sqlite3_close(db)!=SQLITE_OK ) die(db, "close");
  printf("written\n");
  return 0;
}

static unsigned long long fnv(unsigned long long h, const void *p, int n){
  const unsigned char *b = p;
  int i;
  for(i=0; i<n; i++){ h ^= b[i]; h *= 1099511628211ull; }
  return h;
}

static int do_dump(const char *path){
  sqlite3 *db = 0;
  sqlite3_stmt *st;
  unsigned long long h = 14695981039346656037ull, hi = h;
  long n = 0, total = 0;
  int rc;
  if( sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, 0)!=SQLITE_OK ) die(db, "open");
  sqlite3_busy_timeout(db, 5000);
  st = prep(db, "PRAGMA journal_mode");
  if( sqlite3_step(st)!=SQLITE_ROW ) die(db, "journal_mode");
  printf("journal_mode %s\n", sqlite3_column_text(st, 0));
  sqlite3_finalize(st);
  st = prep(db, "SELECT id, round, tag, v FROM t ORDER BY id");
  while( (rc = sqlite3_step(st))==SQLITE_ROW ){
    sqlite3_int64 id = sqlite3_column_int64(st, 0), r = sqlite3_column_int64(st, 1);
    const void *v = sqlite3_column_blob(st, 3);
    int len = sqlite3_column_bytes(st, 3);
    h = fnv(h, &id, sizeof(id));
    h = fnv(h, &r, sizeof(r));
    h = fnv(h, sqlite3_column_text(st, 2), sqlite3_column_bytes(st, 2));
    h = fnv(h, v, len);
    n++; total += len;
  }
  if( rc!=SQLITE_DONE ) die(db, "scan");
  sqlite3_finalize(st);
  st = prep(db, "SELECT tag, round, id FROM t INDEXED BY t_tag ORDER BY tag, round, id");
  while( (rc = sqlite3_step(st))==SQLITE_ROW ){
    sqlite3_int64 r = sqlite3_column_int64(st, 1), id = sqlite3_column_int64(st, 2);
    hi = fnv(hi, sqlite3_column_text(st, 0), sqlite3_column_bytes(st, 0));
    hi = fnv(hi, &r, sizeof(r));
    hi = fnv(hi, &id, sizeof(id));
  }
  if( rc!=SQLITE_DONE ) die(db, "index scan");
  sqlite3_finalize(st);
  printf("rows %ld bytes %ld digest %016llx index %016llx\n", n, total, h, hi);
  st = prep(db, "PRAGMA integrity_check");
  while( (rc = sqlite3_step(st))==SQLITE_ROW ) printf("integrity %s\n", sqlite3_column_text(st, 0));
  if( rc!=SQLITE_DONE ) die(db, "integrity_check");
  sqlite3_finalize(st);
  if( getenv("WALINTEROP_CKPT") ){
    st = prep(db, "PRAGMA wal_checkpoint(PASSIVE)");
    if( sqlite3_step(st)!=SQLITE_ROW ) die(db, "wal_checkpoint");
    printf("checkpoint busy=%d log=%d done=%d\n", sqlite3_column_int(st, 0),
           sqlite3_column_int(st, 1), sqlite3_column_int(st, 2));
    sqlite3_finalize(st);
  }
  if( sqlite3_close(db)!=SQLITE_OK ) die(db, "close");
  return 0;
}

static sqlite3 *race_open(const char *path){
  sqlite3 *db = 0;
  if( sqlite3_open(path, &db)!=SQLITE_OK ) die(db, "open");
  sqlite3_busy_timeout(db, 30000);
  exec(db, "PRAGMA wal_autocheckpoint=5");
  return db;
}

static sqlite3_int64 one_int(sqlite3 *db, sqlite3_stmt *st){
  sqlite3_int64 v;
  if( sqlite3_step(st)!=SQLITE_ROW ) die(db, sqlite3_sql(st));
  v = sqlite3_column_int64(st, 0);
  sqlite3_reset(st);
  return v;
}

static int do_race(int argc, char **argv){
  const char *path = argv[2];
  sqlite3 *db;
  if( strcmp(argv[1], "race-init")==0 ){
    db = race_open(path);
    exec(db, "PRAGMA journal_mode=WAL; CREATE TABLE counter(n); INSERT INTO counter VALUES(0);"
             "CREATE TABLE log(i, b)");
  }else if( strcmp(argv[1], "race-write")==0 && argc==4 ){
    long i, n = atol(argv[3]);
    sqlite3_stmt *ins;
    db = race_open(path);
    ins = prep(db, "INSERT INTO log VALUES(?1, randomblob(10 + abs(random()) % 2990))");
    for(i=0; i<n; i++){
      exec(db, "BEGIN IMMEDIATE; UPDATE counter SET n = n + 1");
      sqlite3_bind_int64(ins, 1, i);
      run(db, ins);
      exec(db, "COMMIT");
    }
    sqlite3_finalize(ins);
  }else if( strcmp(argv[1], "race-read")==0 && argc==4 ){
    time_t end = time(0) + atoi(argv[3]);
    long snaps = 0, bad = 0;
    sqlite3_stmt *gn, *gc;
    db = race_open(path);
    gn = prep(db, "SELECT n FROM counter");
    gc = prep(db, "SELECT count(*) FROM log");
    while( time(0)<end ){
      sqlite3_int64 a, b;
      exec(db, "BEGIN");
      a = one_int(db, gn);
      b = one_int(db, gc);
      exec(db, "COMMIT");
      snaps++;
      if( a!=b ) bad++;
    }
    sqlite3_finalize(gn); sqlite3_finalize(gc);
    printf("%ld snapshots, %ld inconsistent\n", snaps, bad);
    if( bad ) return 1;
  }else if( strcmp(argv[1], "race-check")==0 ){
    sqlite3_stmt *st;
    sqlite3_int64 a, b;
    int ok = 1;
    db = race_open(path);
    st = prep(db, "SELECT n FROM counter"); a = one_int(db, st); sqlite3_finalize(st);
    st = prep(db, "SELECT count(*) FROM log"); b = one_int(db, st); sqlite3_finalize(st);
    st = prep(db, "PRAGMA integrity_check");
    if( sqlite3_step(st)!=SQLITE_ROW || strcmp((const char*)sqlite3_column_text(st, 0), "ok")!=0 ) ok = 0;
    sqlite3_finalize(st);
    printf("n=%lld count=%lld integrity %s\n", (long long)a, (long long)b, ok ? "ok" : "BAD");
    if( a!=b || !ok ) return 1;
  }else{
    return 2;
  }
  if( sqlite3_close(db)!=SQLITE_OK ) die(db, "close");
  return 0;
}

int main(int argc, char **argv){
  ferrolite_check_lib();
  if( argc==6 && strcmp(argv[1], "write")==0
   && (strcmp(argv[5], "close")==0 || strcmp(argv[5], "hold")==0 || strcmp(argv[5], "crash")==0) ){
    return do_write(argv[2], atoi(argv[3]), atol(argv[4]), argv[5]);
  }
  if( argc==3 && strcmp(argv[1], "dump")==0 ) return do_dump(argv[2]);
  if( argc>=3 && strncmp(argv[1], "race-", 5)==0 ) return do_race(argc, argv);
  fprintf(stderr, "usage: walinterop write DB PAGESIZE ROWS close|hold|crash | dump DB\n");
  return 2;
}
