/*
** bigfile.c: databases past the lock-byte page (1 GiB) and past 4 GiB.
**
**   bigfile write FILE MIB PAGESIZE   fill FILE until it holds MIB MiB
**   bigfile check FILE                integrity_check, then every row
**
** write: rows of 1 MiB blobs whose bytes depend on the row id (so every
** page is distinct), plus a small indexed column, in transactions of 64
** rows; then deletes every 7th row and updates every 5th, so that pages on
** both sides of the lock-byte page and of the 4 GiB mark are freed and
** reused. check prints integrity_check, page_size, the row count and a
** digest of every row read through the index and by rowid; two libraries
** that agree on a file print the same lines.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sqlite3.h"
#include "../c/harness.h"

#define ROW_BYTES (1024*1024)

static void die(sqlite3 *db, const char *what){
  fprintf(stderr, "%s: %s\n", what, db ? sqlite3_errmsg(db) : "?");
  exit(1);
}

static void fill(unsigned char *buf, long long id, int version){
  unsigned long long x = (unsigned long long)id * 0x9E3779B97F4A7C15ull ^ (unsigned long long)(version+1);
  int i;
  for(i=0; i<ROW_BYTES; i+=8){
    x ^= x << 13; x ^= x >> 7; x ^= x << 17;
    memcpy(buf+i, &x, 8);
  }
}

static void exec(sqlite3 *db, const char *sql){
  char *err = 0;
  if( sqlite3_exec(db, sql, 0, 0, &err)!=SQLITE_OK ){
    fprintf(stderr, "%s: %s\n", sql, err ? err : "?");
    exit(1);
  }
}

static int do_write(const char *path, long long mib, int page_size){
  sqlite3 *db;
  sqlite3_stmt *ins, *upd;
  unsigned char *buf = malloc(ROW_BYTES);
  long long id, rows = mib;   /* one MiB per row */
  char sql[128];
  if( sqlite3_open(path, &db)!=SQLITE_OK ) die(db, "open");
  snprintf(sql, sizeof(sql), "PRAGMA page_size=%d", page_size);
  exec(db, sql);
  exec(db, "PRAGMA cache_size=-16384");
  exec(db, "CREATE TABLE t(id INTEGER PRIMARY KEY, k INTEGER, v BLOB)");
  exec(db, "CREATE INDEX t_k ON t(k)");
  if( sqlite3_prepare_v2(db, "INSERT INTO t VALUES(?1, ?1 * 7919 % 1000, ?2)", -1, &ins, 0) ) die(db, "prepare");
  for(id=1; id<=rows; id++){
    if( (id-1)%64==0 ) exec(db, "BEGIN");
    fill(buf, id, 0);
    sqlite3_bind_int64(ins, 1, id);
    sqlite3_bind_blob(ins, 2, buf, ROW_BYTES, SQLITE_STATIC);
    if( sqlite3_step(ins)!=SQLITE_DONE ) die(db, "insert");
    sqlite3_reset(ins);
    if( id%64==0 || id==rows ) exec(db, "COMMIT");
  }
  sqlite3_finalize(ins);
  exec(db, "DELETE FROM t WHERE id % 7 = 0");
  if( sqlite3_prepare_v2(db, "UPDATE t SET v = ?2 WHERE id = ?1", -1, &upd, 0) ) die(db, "prepare");
  exec(db, "BEGIN");
  for(id=5; id<=rows; id+=5){
    fill(buf, id, 1);
    sqlite3_bind_int64(upd, 1, id);
    sqlite3_bind_blob(upd, 2, buf, ROW_BYTES/2 + (int)(id % 1000), SQLITE_STATIC);
    if( sqlite3_step(upd)!=SQLITE_DONE ) die(db, "update");
    sqlite3_reset(upd);
  }
  exec(db, "COMMIT");
  sqlite3_finalize(upd);
  free(buf);
  if( sqlite3_close(db)!=SQLITE_OK ) die(db, "close");
  return 0;
}

static unsigned long long fnv(unsigned long long h, const void *p, int n){
  const unsigned char *b = p;
  int i;
  for(i=0; i<n; i++){ h ^= b[i]; h *= 0x100000001b3ull; }
  return h;
}

static int do_check(const char *path){
  sqlite3 *db;
  sqlite3_stmt *st;
  int pass;
  if( sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, 0)!=SQLITE_OK ) die(db, "open");
  if( sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, 0) ) die(db, "prepare");
  while( sqlite3_step(st)==SQLITE_ROW ) printf("integrity_check: %s\n", sqlite3_column_text(st, 0));
  sqlite3_finalize(st);
  if( sqlite3_prepare_v2(db, "PRAGMA page_size", -1, &st, 0) ) die(db, "prepare");
  while( sqlite3_step(st)==SQLITE_ROW ) printf("page_size: %lld\n", sqlite3_column_int64(st, 0));
  sqlite3_finalize(st);
  for(pass=0; pass<2; pass++){
    unsigned long long h = 0xcbf29ce484222325ull;
    long long n = 0;
    const char *sql = pass==0 ? "SELECT id, k, v FROM t ORDER BY id"
                              : "SELECT id, k, v FROM t WHERE k >= 0 ORDER BY k, id";
    if( sqlite3_prepare_v2(db, sql, -1, &st, 0) ) die(db, "prepare");
    while( sqlite3_step(st)==SQLITE_ROW ){
      long long id = sqlite3_column_int64(st, 0), k = sqlite3_column_int64(st, 1);
      const void *v = sqlite3_column_blob(st, 2);
      int nv = sqlite3_column_bytes(st, 2);
      h = fnv(h, &id, 8); h = fnv(h, &k, 8); h = fnv(h, v, nv);
      n++;
    }
    if( sqlite3_errcode(db)!=SQLITE_OK && sqlite3_errcode(db)!=SQLITE_DONE ) die(db, "scan");
    sqlite3_finalize(st);
    printf("%s: %lld rows, digest %016llx\n", pass==0 ? "by rowid" : "by index", n, h);
  }
  sqlite3_close(db);
  return 0;
}

int main(int argc, char **argv){
  ferrolite_check_lib();
  if( argc==5 && strcmp(argv[1], "write")==0 ) return do_write(argv[2], atoll(argv[3]), atoi(argv[4]));
  if( argc==3 && strcmp(argv[1], "check")==0 ) return do_check(argv[2]);
  fprintf(stderr, "usage: bigfile write FILE MIB PAGESIZE | bigfile check FILE\n");
  return 2;
}
