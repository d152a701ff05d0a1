/*
** corrupt.c: damaged database files through the C API.
**
** The program builds a database with the library under test, closes it,
** damages the file in place, reopens it and prints each call's result code,
** extended code and message: SQLITE_CORRUPT "database disk image is
** malformed" for damaged B-tree pages and truncation, SQLITE_NOTADB "file
** is not a database" for a bad header. The damage is placed relative to
** page numbers the library reports, so the output does not depend on
** where each library put its pages, and must be the same on both.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sqlite3.h"
#include "harness.h"

#define PAGE 1024

static void report(sqlite3 *db, const char *what, int rc){
  printf("%s: rc=%d extended=%d msg=%s\n", what, rc,
         sqlite3_extended_errcode(db), sqlite3_errmsg(db));
}

static int exec(sqlite3 *db, const char *sql){
  char *err = 0;
  int rc = sqlite3_exec(db, sql, 0, 0, &err);
  if( rc!=SQLITE_OK ){
    fprintf(stderr, "exec failed: %s: %s\n", sql, err ? err : "?");
    sqlite3_free(err);
  }
  return rc;
}

/* Runs sql on the file: the first failing call (open, prepare, step) and
** its code and message, or the row count. */
static void query(const char *path, const char *label, const char *sql){
  sqlite3 *db = 0;
  sqlite3_stmt *st = 0;
  int rc, rows = 0;
  rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, 0);
  if( rc!=SQLITE_OK ){ report(db, label, rc); sqlite3_close(db); return; }
  rc = sqlite3_prepare_v2(db, sql, -1, &st, 0);
  if( rc!=SQLITE_OK ){
    char buf[200];
    snprintf(buf, sizeof buf, "%s: prepare", label);
    report(db, buf, rc);
    sqlite3_close(db);
    return;
  }
  while( (rc = sqlite3_step(st))==SQLITE_ROW ) rows++;
  if( rc!=SQLITE_DONE ){
    char buf[200];
    snprintf(buf, sizeof buf, "%s: step (after rows)", label);
    report(db, buf, rc);
    printf("%s: finalize rc=%d\n", label, sqlite3_finalize(st));
  }else{
    printf("%s: %d rows\n", label, rows);
    sqlite3_finalize(st);
  }
  sqlite3_close(db);
}

static unsigned char *load(const char *path, long *n){
  FILE *f = fopen(path, "rb");
  unsigned char *b;
  if( !f ){ perror(path); exit(1); }
  fseek(f, 0, SEEK_END); *n = ftell(f); fseek(f, 0, SEEK_SET);
  b = malloc(*n);
  if( fread(b, 1, *n, f)!=(size_t)*n ){ perror("fread"); exit(1); }
  fclose(f);
  return b;
}

static void save(const char *path, const unsigned char *b, long n){
  FILE *f = fopen(path, "wb");
  if( !f || fwrite(b, 1, n, f)!=(size_t)n ){ perror(path); exit(1); }
  fclose(f);
}

int main(int argc, char **argv){
  sqlite3 *db = 0;
  sqlite3_stmt *st = 0;
  int root = 0, i;
  long n;
  unsigned char *good, *bad;
  char sql[256];
  const char *path;

  ferrolite_check_lib();
  if( argc<2 ){ fprintf(stderr, "usage: corrupt DBFILE\n"); return 2; }
  path = argv[1];
  remove(path);

  if( sqlite3_open(path, &db)!=SQLITE_OK ) return 1;
  if( exec(db, "PRAGMA page_size=1024; CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT); BEGIN;") ) return 1;
  for(i=0; i<300; i++){
    snprintf(sql, sizeof sql, "INSERT INTO t VALUES(%d, printf('%%.100c', 'x'));", i);
    if( exec(db, sql) ) return 1;
  }
  if( exec(db, "COMMIT;") ) return 1;
  sqlite3_prepare_v2(db, "SELECT rootpage FROM sqlite_schema WHERE name='t'", -1, &st, 0);
  if( sqlite3_step(st)==SQLITE_ROW ) root = sqlite3_column_int(st, 0);
  sqlite3_finalize(st);
  sqlite3_close(db);
  if( root<2 ){ fprintf(stderr, "no root page for t\n"); return 1; }

  good = load(path, &n);
  bad = malloc(n);
  printf("undamaged: ");
  query(path, "scan", "SELECT * FROM t");

  /* t's root (an interior page) names itself as its right-most child. */
  memcpy(bad, good, n);
  if( bad[(root-1)*PAGE]!=5 ){ fprintf(stderr, "t's root is not interior\n"); return 1; }
  bad[(root-1)*PAGE+8] = (unsigned char)(root>>24);
  bad[(root-1)*PAGE+9] = (unsigned char)(root>>16);
  bad[(root-1)*PAGE+10] = (unsigned char)(root>>8);
  bad[(root-1)*PAGE+11] = (unsigned char)root;
  save(path, bad, n);
  query(path, "self-child", "SELECT * FROM t");

  /* Garbage over t's root page. */
  memcpy(bad, good, n);
  for(i=0; i<PAGE; i++) bad[(root-1)*PAGE+i] = (unsigned char)(i*37+11);
  save(path, bad, n);
  query(path, "garbage-root", "SELECT * FROM t");
  query(path, "garbage-root count", "SELECT count(*) FROM t");

  /* The file cut to half its pages (the header still counts them all). */
  save(path, good, (n/PAGE/2)*PAGE);
  query(path, "truncated", "SELECT * FROM t");

  /* Bad magic, and a page size that is not a power of two. */
  memcpy(bad, good, n);
  memcpy(bad, "SQLite format 4", 15);
  save(path, bad, n);
  query(path, "bad-magic", "SELECT * FROM t");
  memcpy(bad, good, n);
  bad[16] = 0x03; bad[17] = 0xe8; /* 1000 */
  save(path, bad, n);
  query(path, "page-size-1000", "SELECT * FROM t");

  /* Not a database at all. */
  memset(bad, 'A', n);
  save(path, bad, n);
  query(path, "text-file", "SELECT count(*) FROM sqlite_schema");

  printf("errstr: %s / %s\n", sqlite3_errstr(SQLITE_CORRUPT), sqlite3_errstr(SQLITE_NOTADB));
  save(path, good, n);
  free(good);
  free(bad);
  return 0;
}
