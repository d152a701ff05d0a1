/*
** crash.c: the writer and the checker of the kill -9 crash campaign
** (issue 3).
**
**   crash init DB                 create the schema
**   crash write DB MODE ACKFILE   commit numbered transactions forever (until
**                                 killed), appending each number to ACKFILE
**                                 with write(2) right after COMMIT returns
**   crash check DB FLOOR          (run after the writer was killed) report
**                                 whether a hot journal is present, open DB
**                                 (rolling it back), then check that
**                                 integrity_check is ok and that the file
**                                 holds exactly transactions 1..m with
**                                 FLOOR <= m <= FLOOR+1 (FLOOR: the last
**                                 acknowledged transaction, or what an
**                                 earlier check found, if more)
**
** Transaction i is a deterministic function of i, so the checker can
** recompute the whole expected content after m transactions:
**   - it inserts row tx(seq=i) (never deleted: the commit record) and row
**     t(id=i) with a payload of version i; every fourth payload is several
**     pages long, so overflow chains are written and freed;
**   - it deletes t(id=i-WINDOW) and, when i%5==0, t(id=i-11); when i%17==0 it
**     deletes t(id) for id in [i-40, i-30]: pages go to the freelist and are
**     reused by later inserts;
**   - when i%3==0 it rewrites t(id=i-7) with payload version i; when
**     i%50==0 it rewrites every live row (a transaction that journals many
**     pages).
** Rows older than 2*WINDOW transactions are always gone, so the checker
** simulates only the last 2*WINDOW transactions.
**
** The library is whichever libsqlite3 the loader finds (harness.h checks it
** is the expected one); the driver runs the writer on one library and the
** checker on either. The checker prints one line:
**   m=<m> hot=<0|1> ok    or    m=<m> hot=<0|1> BAD: <reason>
** and exits 0 only when everything holds.
*/
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "sqlite3.h"
#include "../c/harness.h"

#define WINDOW 120

static void die(sqlite3 *db, const char *what){
  fprintf(stderr, "crash: %s: %s (%d)\n", what,
          db ? sqlite3_errmsg(db) : "-", db ? sqlite3_extended_errcode(db) : 0);
  exit(3);
}

/* Payload of row id at version ver: its length and bytes. */
static int payload_len(long id, long ver){
  unsigned long h = (unsigned long)id * 2654435761u + (unsigned long)ver * 40503u;
  if( id % 4 == 0 ) return 3000 + (int)(h % 14000);   /* 1..4 overflow pages */
  return 20 + (int)(h % 600);
}
static void payload_fill(long id, long ver, unsigned char *buf, int n){
  unsigned long x = (unsigned long)id * 0x9E3779B97F4A7C15ul ^ (unsigned long)(ver + 1) * 0xBF58476D1CE4E5B9ul;
  int i;
  if( x==0 ) x = 1;
  for(i=0; i<n; i++){
    x ^= x << 13; x ^= x >> 7; x ^= x << 17;
    buf[i] = (unsigned char)x;
  }
}

/* The expected state: ver[id - base] = version, or -1 when absent. */
typedef struct State { long base, top; long *ver; } State;

static void state_apply(State *s, long i){
  long id;
#define LIVE(x) ((x) >= s->base && (x) <= s->top && s->ver[(x) - s->base] >= 0)
  s->ver[i - s->base] = i;                       /* insert t(id=i) */
  if( LIVE(i - WINDOW) ) s->ver[i - WINDOW - s->base] = -1;
  if( i % 5 == 0 && LIVE(i - 11) ) s->ver[i - 11 - s->base] = -1;
  if( i % 17 == 0 ){
    for(id = i - 40; id <= i - 30; id++) if( LIVE(id) ) s->ver[id - s->base] = -1;
  }
  if( i % 3 == 0 && LIVE(i - 7) ) s->ver[i - 7 - s->base] = i;
  if( i % 50 == 0 ){
    for(id = s->base; id < i; id++) if( LIVE(id) ) s->ver[id - s->base] = i;
  }
#undef LIVE
}

/* Expected content after transactions 1..m. */
static State state_after(long m){
  State s;
  long i;
  s.base = m - 2 * WINDOW; if( s.base < 1 ) s.base = 1;
  s.top = m;
  s.ver = malloc(sizeof(long) * (size_t)(m - s.base + 2));
  for(i = s.base; i <= m; i++) s.ver[i - s.base] = -1;
  for(i = s.base; i <= m; i++) state_apply(&s, i);
  return s;
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

static void put_row(sqlite3 *db, sqlite3_stmt *st, long id, long ver, unsigned char *buf){
  int n = payload_len(id, ver);
  char note[40];
  payload_fill(id, ver, buf, n);
  snprintf(note, sizeof(note), "v%ld-%ld", ver, id * 7 % 1000);
  sqlite3_bind_int64(st, 1, id);
  sqlite3_bind_int64(st, 2, ver);
  sqlite3_bind_blob(st, 3, buf, n, SQLITE_STATIC);
  sqlite3_bind_text(st, 4, note, -1, SQLITE_TRANSIENT);
  run(db, st);
}

#define SCHEMA \
  "CREATE TABLE IF NOT EXISTS tx(seq INTEGER PRIMARY KEY);" \
  "CREATE TABLE IF NOT EXISTS t(id INTEGER PRIMARY KEY, ver INTEGER NOT NULL," \
  " payload BLOB NOT NULL, note TEXT);" \
  "CREATE INDEX IF NOT EXISTS t_note ON t(note);"

static int do_init(const char *path){
  sqlite3 *db = 0;
  if( sqlite3_open(path, &db)!=SQLITE_OK ) die(db, "open");
  if( sqlite3_exec(db, SCHEMA, 0, 0, 0)!=SQLITE_OK ) die(db, "schema");
  if( sqlite3_close(db)!=SQLITE_OK ) die(db, "close");
  return 0;
}

static int do_write(const char *path, const char *mode, const char *ackfile){
  sqlite3 *db = 0;
  sqlite3_stmt *ins, *upd, *del, *delr, *tx, *last, *liveids;
  unsigned char *buf = malloc(20000);
  char sql[80];
  long i;
  int ack = open(ackfile, O_WRONLY | O_APPEND | O_CREAT, 0644);
  if( ack<0 ){ perror(ackfile); return 3; }
  if( sqlite3_open(path, &db)!=SQLITE_OK ) die(db, "open");
  sqlite3_busy_timeout(db, 5000);
  snprintf(sql, sizeof(sql), "PRAGMA journal_mode=%s", mode);
  if( sqlite3_exec(db, sql, 0, 0, 0)!=SQLITE_OK ) die(db, sql);
  if( sqlite3_exec(db, SCHEMA, 0, 0, 0)!=SQLITE_OK ) die(db, "schema");
  ins = prep(db, "INSERT INTO t(id, ver, payload, note) VALUES(?1, ?2, ?3, ?4)");
  upd = prep(db, "UPDATE t SET ver = ?2, payload = ?3, note = ?4 WHERE id = ?1");
  del = prep(db, "DELETE FROM t WHERE id = ?1");
  delr = prep(db, "DELETE FROM t WHERE id BETWEEN ?1 AND ?2");
  tx = prep(db, "INSERT INTO tx(seq) VALUES(?1)");
  last = prep(db, "SELECT coalesce(max(seq), 0) FROM tx");
  liveids = prep(db, "SELECT id FROM t WHERE id < ?1 ORDER BY id");
  if( sqlite3_step(last)!=SQLITE_ROW ) die(db, "max(seq)");
  i = (long)sqlite3_column_int64(last, 0) + 1;
  sqlite3_reset(last);
  for(;; i++){
    char line[32];
    int n;
    if( sqlite3_exec(db, "BEGIN", 0, 0, 0)!=SQLITE_OK ) die(db, "BEGIN");
    sqlite3_bind_int64(tx, 1, i); run(db, tx);
    put_row(db, ins, i, i, buf);
    sqlite3_bind_int64(del, 1, i - WINDOW); run(db, del);
    if( i % 5 == 0 ){ sqlite3_bind_int64(del, 1, i - 11); run(db, del); }
    if( i % 17 == 0 ){
      sqlite3_bind_int64(delr, 1, i - 40); sqlite3_bind_int64(delr, 2, i - 30); run(db, delr);
    }
    if( i % 3 == 0 ) put_row(db, upd, i - 7, i, buf);   /* no-op when absent */
    if( i % 50 == 0 ){
      long ids[4 * WINDOW], nid = 0, k;
      sqlite3_bind_int64(liveids, 1, i);
      while( sqlite3_step(liveids)==SQLITE_ROW && nid < 4 * WINDOW ){
        ids[nid++] = (long)sqlite3_column_int64(liveids, 0);
      }
      sqlite3_reset(liveids);
      for(k = 0; k < nid; k++) put_row(db, upd, ids[k], i, buf);
    }
    if( sqlite3_exec(db, "COMMIT", 0, 0, 0)!=SQLITE_OK ) die(db, "COMMIT");
    n = snprintf(line, sizeof(line), "%ld\n", i);
    if( write(ack, line, (size_t)n)!=n ){ perror("ack"); return 3; }
  }
  return 0;
}

/* Is there a hot journal (non-empty, header not zeroed) next to path? */
static int hot_journal(const char *path){
  char jp[4200];
  unsigned char hdr[8];
  int fd, n, i;
  snprintf(jp, sizeof(jp), "%s-journal", path);
  fd = open(jp, O_RDONLY);
  if( fd<0 ) return 0;
  n = (int)read(fd, hdr, sizeof(hdr));
  close(fd);
  if( n<=0 ) return 0;
  for(i=0; i<n; i++) if( hdr[i] ) return 1;
  return 0;
}

static int do_check(const char *path, long ackd){
  sqlite3 *db = 0;
  sqlite3_stmt *st;
  int hot = hot_journal(path), rc;
  long m = 0, count = 0, minseq = 0, rows = 0, id;
  unsigned char *buf = malloc(20000);
  char why[300] = "";
  State s;
  if( sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, 0)!=SQLITE_OK ) die(db, "open");
  sqlite3_busy_timeout(db, 5000);
  /* The first read rolls back a hot journal. */
  st = prep(db, "SELECT coalesce(max(seq), 0), count(*), coalesce(min(seq), 1) FROM tx");
  if( sqlite3_step(st)!=SQLITE_ROW ) die(db, "SELECT tx");
  m = (long)sqlite3_column_int64(st, 0);
  count = (long)sqlite3_column_int64(st, 1);
  minseq = (long)sqlite3_column_int64(st, 2);
  sqlite3_finalize(st);
  if( count!=m || minseq!=1 ){
    snprintf(why, sizeof(why), "tx holds %ld rows from %ld to %ld: not a prefix", count, minseq, m);
  }else if( m<ackd ){
    snprintf(why, sizeof(why), "acknowledged (or earlier recovered) transaction %ld is lost (database ends at %ld)", ackd, m);
  }else if( m>ackd+1 ){
    snprintf(why, sizeof(why), "database holds %ld transactions, more than %ld acknowledged/recovered + 1", m, ackd);
  }
  if( !why[0] ){
    s = state_after(m);
    st = prep(db, "SELECT id, ver, payload FROM t ORDER BY id");
    id = s.base;
    while( !why[0] && (rc = sqlite3_step(st))==SQLITE_ROW ){
      long rid = (long)sqlite3_column_int64(st, 0), rver = (long)sqlite3_column_int64(st, 1);
      const void *p = sqlite3_column_blob(st, 2);
      int n = sqlite3_column_bytes(st, 2);
      rows++;
      while( id < rid && id <= m && s.ver[id - s.base] < 0 ) id++;
      if( rid < s.base || rid != id || id > m ){
        snprintf(why, sizeof(why), "row t(id=%ld) should not exist after %ld transactions", rid, m);
        break;
      }
      if( rver != s.ver[id - s.base] ){
        snprintf(why, sizeof(why), "row t(id=%ld) has version %ld, expected %ld", rid, rver, s.ver[id - s.base]);
        break;
      }
      payload_fill(rid, rver, buf, payload_len(rid, rver));
      if( n != payload_len(rid, rver) || memcmp(p, buf, (size_t)n)!=0 ){
        snprintf(why, sizeof(why), "row t(id=%ld) version %ld has a wrong payload (%d bytes)", rid, rver, n);
        break;
      }
      id++;
    }
    sqlite3_finalize(st);
    if( !why[0] ){
      while( id <= m && s.ver[id - s.base] < 0 ) id++;
      if( id <= m ) snprintf(why, sizeof(why), "row t(id=%ld) is missing after %ld transactions", id, m);
    }
  }
  st = prep(db, "PRAGMA integrity_check");
  while( (rc = sqlite3_step(st))==SQLITE_ROW ){
    const char *t = (const char *)sqlite3_column_text(st, 0);
    if( t && strcmp(t, "ok")!=0 && !why[0] ) snprintf(why, sizeof(why), "integrity_check: %.200s", t);
  }
  if( rc!=SQLITE_DONE ) die(db, "integrity_check");
  sqlite3_finalize(st);
  if( sqlite3_close(db)!=SQLITE_OK ) die(db, "close");
  if( why[0] ){
    printf("m=%ld hot=%d rows=%ld BAD: %s\n", m, hot, rows, why);
    return 1;
  }
  printf("m=%ld hot=%d rows=%ld ok\n", m, hot, rows);
  return 0;
}

int main(int argc, char **argv){
  ferrolite_check_lib();
  if( argc==3 && strcmp(argv[1], "init")==0 ) return do_init(argv[2]);
  if( argc==5 && strcmp(argv[1], "write")==0 ) return do_write(argv[2], argv[3], argv[4]);
  if( argc==4 && strcmp(argv[1], "check")==0 ) return do_check(argv[2], atol(argv[3]));
  fprintf(stderr, "usage: crash init DB | crash write DB MODE ACKFILE | crash check DB FLOOR\n");
  return 2;
}
