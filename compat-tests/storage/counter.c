/*
** counter.c: one process of the multi-process counter test (issue 3).
**
** Several processes, some on Ferrolite and some on SQLite 3.54.1 (the
** library is whichever libsqlite3 the loader finds; harness.h checks it is
** the expected one), share one database file:
**
**   counter init  DB MODE            create counter(n) and log(proc, seq)
**   counter write DB MODE PROC K     K transactions, each
**                                    BEGIN IMMEDIATE; UPDATE counter SET n=n+1;
**                                    INSERT INTO log VALUES(PROC, seq); COMMIT
**   counter read  DB MODE PROC STOP  snapshot readers until file STOP exists:
**                                    BEGIN; SELECT n; SELECT count(*); COMMIT
**                                    must agree (n == count)
**   counter check DB NPROC K         n == NPROC*K, log holds every (proc, seq)
**                                    with proc in [0,NPROC), seq in [0,K)
**                                    exactly once, integrity_check = ok
**
** MODE is the journal mode (delete, truncate, persist, wal);
** COUNTER_WAL_AUTOCHECKPOINT=N in the environment sets wal_autocheckpoint
** (small values make checkpoints race with the readers). Every
** process sets a busy timeout; a transaction that still fails with
** SQLITE_BUSY is retried (a COMMIT that is busy is simply retried, since the
** transaction stays open). Prints one summary line; exits 0 when all is well,
** 1 on any inconsistency or unexpected error.
*/
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "sqlite3.h"
#include "../c/harness.h"

static const char *g_role = "?";
static int g_proc = -1;

static void die(sqlite3 *db, const char *what){
  fprintf(stderr, "counter %s %d: %s: %s (%d)\n", g_role, g_proc, what,
          db ? sqlite3_errmsg(db) : "-", db ? sqlite3_extended_errcode(db) : 0);
  exit(1);
}

static sqlite3 *open_db(const char *path, const char *mode){
  sqlite3 *db = 0;
  char sql[64];
  int rc;
  if( sqlite3_open(path, &db)!=SQLITE_OK ) die(db, "open");
  sqlite3_busy_timeout(db, 2000);
  if( mode ){
    /* Changing the journal mode may itself need a lock: retry while busy. */
    snprintf(sql, sizeof(sql), "PRAGMA journal_mode=%s", mode);
    for(;;){
      rc = sqlite3_exec(db, sql, 0, 0, 0);
      if( rc==SQLITE_OK ) break;
      if( (rc & 0xff)!=SQLITE_BUSY && (rc & 0xff)!=SQLITE_LOCKED ) die(db, sql);
      usleep(1000);
    }
  }
  if( getenv("COUNTER_WAL_AUTOCHECKPOINT") ){
    /* WAL runs: checkpoints (by whichever library commits) all along. */
    snprintf(sql, sizeof(sql), "PRAGMA wal_autocheckpoint=%d", atoi(getenv("COUNTER_WAL_AUTOCHECKPOINT")));
    if( sqlite3_exec(db, sql, 0, 0, 0)!=SQLITE_OK ) die(db, sql);
  }
  return db;
}

static int is_busy(int rc){
  rc &= 0xff;
  return rc==SQLITE_BUSY || rc==SQLITE_LOCKED;
}

/* Runs one statement that returns nothing; returns its result code. */
static int exec1(sqlite3 *db, sqlite3_stmt *st){
  int rc = sqlite3_step(st);
  sqlite3_reset(st);
  if( rc==SQLITE_DONE || rc==SQLITE_ROW ) return SQLITE_OK;
  return rc;
}

/* One integer from a prepared single-row query, or SQLITE_* < 0 on error. */
static int query_int(sqlite3 *db, sqlite3_stmt *st, sqlite3_int64 *out){
  int rc = sqlite3_step(st);
  if( rc==SQLITE_ROW ){
    *out = sqlite3_column_int64(st, 0);
    rc = sqlite3_step(st);
    if( rc==SQLITE_DONE ) rc = SQLITE_OK;
  }
  sqlite3_reset(st);
  return rc;
}

static sqlite3_stmt *prep(sqlite3 *db, const char *sql){
  sqlite3_stmt *st = 0;
  if( sqlite3_prepare_v2(db, sql, -1, &st, 0)!=SQLITE_OK ) die(db, sql);
  return st;
}

static int do_init(const char *path, const char *mode){
  sqlite3 *db = open_db(path, mode);
  if( sqlite3_exec(db,
      "CREATE TABLE counter(n INTEGER NOT NULL);"
      "INSERT INTO counter VALUES(0);"
      "CREATE TABLE log(proc INTEGER NOT NULL, seq INTEGER NOT NULL,"
      " pad TEXT);", 0, 0, 0)!=SQLITE_OK ) die(db, "create");
  sqlite3_close(db);
  printf("init ok\n");
  return 0;
}

static int do_write(const char *path, const char *mode, int proc, int k){
  sqlite3 *db = open_db(path, mode);
  sqlite3_stmt *begin = prep(db, "BEGIN IMMEDIATE");
  sqlite3_stmt *upd = prep(db, "UPDATE counter SET n = n + 1");
  sqlite3_stmt *ins = prep(db,
      "INSERT INTO log(proc, seq, pad) VALUES(?1, ?2, zeroblob(100 + ?2 % 700))");
  sqlite3_stmt *getn = prep(db, "SELECT n FROM counter");
  sqlite3_stmt *getc = prep(db, "SELECT count(*) FROM log");
  sqlite3_stmt *commit = prep(db, "COMMIT");
  int seq, rc, bad = 0;
  long busy_begin = 0, busy_commit = 0, busy_other = 0;
  srand(proc * 7919 + getpid());
  for(seq=0; seq<k; seq++){
    sqlite3_int64 n = -1, c = -2;
  retry:
    rc = exec1(db, begin);
    if( is_busy(rc) ){ busy_begin++; goto retry; }
    if( rc ) die(db, "BEGIN IMMEDIATE");
    rc = exec1(db, upd);
    if( rc==SQLITE_OK ){
      sqlite3_bind_int(ins, 1, proc);
      sqlite3_bind_int(ins, 2, seq);
      rc = exec1(db, ins);
    }
    if( rc==SQLITE_OK ) rc = query_int(db, getn, &n);
    if( rc==SQLITE_OK ) rc = query_int(db, getc, &c);
    if( rc!=SQLITE_OK ){
      if( !is_busy(rc) ) die(db, "UPDATE/INSERT");
      busy_other++;
      sqlite3_exec(db, "ROLLBACK", 0, 0, 0);
      goto retry;
    }
    if( n!=c ){
      fprintf(stderr, "counter write %d: inside its transaction n=%lld but log has %lld rows\n",
              proc, (long long)n, (long long)c);
      bad++;
    }
    for(;;){
      rc = exec1(db, commit);
      if( rc==SQLITE_OK ) break;
      if( !is_busy(rc) ) die(db, "COMMIT");
      if( sqlite3_get_autocommit(db) ){
        /* The library gave up the transaction: it did not commit. */
        busy_other++;
        goto retry;
      }
      busy_commit++;
    }
    /* A short random pause between transactions leaves readers windows in
    ** which no writer holds PENDING or EXCLUSIVE. */
    usleep(rand() % 3000);
  }
  sqlite3_finalize(begin); sqlite3_finalize(upd); sqlite3_finalize(ins);
  sqlite3_finalize(getn); sqlite3_finalize(getc); sqlite3_finalize(commit);
  if( sqlite3_close(db)!=SQLITE_OK ) die(db, "close");
  printf("writer %d (%s): %d commits, busy retries: begin %ld commit %ld other %ld, %d inconsistent\n",
         proc, sqlite3_libversion(), k, busy_begin, busy_commit, busy_other, bad);
  return bad ? 1 : 0;
}

static int do_read(const char *path, const char *mode, int proc, const char *stop){
  sqlite3 *db = open_db(path, mode);
  sqlite3_stmt *begin = prep(db, "BEGIN");
  sqlite3_stmt *getn = prep(db, "SELECT n FROM counter");
  sqlite3_stmt *getc = prep(db, "SELECT count(*) FROM log");
  sqlite3_stmt *commit = prep(db, "COMMIT");
  long snaps = 0, busy = 0, bad = 0;
  sqlite3_int64 last = -1;
  g_role = "read"; g_proc = proc;
  while( access(stop, F_OK)!=0 ){
    sqlite3_int64 n = -1, c = -2;
    int rc = exec1(db, begin);
    if( rc ) die(db, "BEGIN");
    rc = query_int(db, getn, &n);
    if( rc==SQLITE_OK ) rc = query_int(db, getc, &c);
    if( rc==SQLITE_OK ) rc = exec1(db, commit);
    if( rc!=SQLITE_OK ){
      if( !is_busy(rc) ) die(db, "snapshot");
      busy++;
      if( !sqlite3_get_autocommit(db) ) sqlite3_exec(db, "ROLLBACK", 0, 0, 0);
      continue;
    }
    snaps++;
    if( n!=c ){
      if( bad<10 ) fprintf(stderr, "counter read %d: snapshot n=%lld but count(*)=%lld\n",
                           proc, (long long)n, (long long)c);
      bad++;
    }
    if( n<last ){
      if( bad<10 ) fprintf(stderr, "counter read %d: counter went back from %lld to %lld\n",
                           proc, (long long)last, (long long)n);
      bad++;
    }
    last = n;
    usleep(500);
  }
  sqlite3_finalize(begin); sqlite3_finalize(getn); sqlite3_finalize(getc);
  sqlite3_finalize(commit);
  if( sqlite3_close(db)!=SQLITE_OK ) die(db, "close");
  printf("reader %d (%s): %ld snapshots, %ld busy, %ld inconsistent, last n=%lld\n",
         proc, sqlite3_libversion(), snaps, busy, bad, (long long)last);
  return bad ? 1 : 0;
}

static int do_check(const char *path, int nproc, int k){
  sqlite3 *db = open_db(path, 0);
  sqlite3_stmt *st;
  sqlite3_int64 n = -1;
  int p = 0, s = 0, bad = 0, rc;
  g_role = "check";
  st = prep(db, "SELECT n FROM counter");
  if( query_int(db, st, &n) ) die(db, "SELECT n");
  sqlite3_finalize(st);
  if( n!=(sqlite3_int64)nproc*k ){
    fprintf(stderr, "check: counter is %lld, expected %lld\n", (long long)n, (long long)nproc*k);
    bad++;
  }
  st = prep(db, "SELECT proc, seq FROM log ORDER BY proc, seq");
  while( (rc = sqlite3_step(st))==SQLITE_ROW ){
    int rp = sqlite3_column_int(st, 0), rs = sqlite3_column_int(st, 1);
    if( rp!=p || rs!=s ){
      if( bad<10 ) fprintf(stderr, "check: log row (%d,%d) where (%d,%d) was expected\n", rp, rs, p, s);
      bad++;
      p = rp; s = rs;
    }
    if( ++s==k ){ s = 0; p++; }
  }
  if( rc!=SQLITE_DONE ) die(db, "SELECT log");
  sqlite3_finalize(st);
  if( p!=nproc || s!=0 ){
    fprintf(stderr, "check: log ends at (%d,%d), expected (%d,0)\n", p, s, nproc);
    bad++;
  }
  st = prep(db, "PRAGMA integrity_check");
  while( (rc = sqlite3_step(st))==SQLITE_ROW ){
    const char *t = (const char *)sqlite3_column_text(st, 0);
    if( t==0 || strcmp(t, "ok")!=0 ){
      fprintf(stderr, "check: integrity_check: %s\n", t ? t : "NULL");
      bad++;
    }
  }
  if( rc!=SQLITE_DONE ) die(db, "integrity_check");
  sqlite3_finalize(st);
  sqlite3_close(db);
  printf("check (%s): n=%lld, %s\n", sqlite3_libversion(), (long long)n, bad ? "BAD" : "ok");
  return bad ? 1 : 0;
}

int main(int argc, char **argv){
  ferrolite_check_lib();
  if( argc>=4 && strcmp(argv[1], "init")==0 ){
    g_role = "init";
    return do_init(argv[2], argv[3]);
  }
  if( argc>=6 && strcmp(argv[1], "write")==0 ){
    g_role = "write"; g_proc = atoi(argv[4]);
    return do_write(argv[2], argv[3], atoi(argv[4]), atoi(argv[5]));
  }
  if( argc>=6 && strcmp(argv[1], "read")==0 ){
    return do_read(argv[2], argv[3], atoi(argv[4]), argv[5]);
  }
  if( argc>=5 && strcmp(argv[1], "check")==0 ){
    return do_check(argv[2], atoi(argv[3]), atoi(argv[4]));
  }
  fprintf(stderr, "usage: counter init DB MODE | write DB MODE PROC K | "
                  "read DB MODE PROC STOPFILE | check DB NPROC K\n");
  return 2;
}
