/*
** skeleton.c: Ferrolite's walking-skeleton compatibility program.
**
** Usage: skeleton DBFILE   (DBFILE must not exist yet)
**
** Creates a table with an index, inserts 3000 rows inside one transaction
** through one prepared statement with bound parameters (text, REAL, BLOB,
** NULL; some blobs larger than a 4096-byte page), then prints the results of
** a series of queries and changes. The output is deterministic: the same
** program run against Ferrolite and against SQLite must print exactly the
** same text. REAL values are mostly printed through sqlite3_column_text so
** that the library's REAL-to-text rendering is compared too.
**
** Only these APIs are used: open_v2, exec (with a callback, and its error
** string freed with sqlite3_free), prepare_v2, bind_*, step, column_*,
** reset, finalize, errmsg, changes, last_insert_rowid, close.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sqlite3.h"
#include "harness.h"

#define NROWS 3000

static sqlite3 *db;

/* Stops the program on an unexpected result code. */
static void check(int rc, int want, const char *what){
  if( rc!=want ){
    printf("FAILED: %s: rc=%d (wanted %d): %s\n", what, rc, want,
           db ? sqlite3_errmsg(db) : "(no db)");
    exit(1);
  }
}

static sqlite3_stmt *prepare(const char *sql){
  sqlite3_stmt *st = 0;
  int rc = sqlite3_prepare_v2(db, sql, -1, &st, 0);
  if( rc!=SQLITE_OK || st==0 ){
    printf("FAILED: prepare [%s]: rc=%d: %s\n", sql, rc, sqlite3_errmsg(db));
    exit(1);
  }
  return st;
}

/* Prints one column: NULL, integers with %lld, REAL through column_text
** (and %.6f of column_double), text quoted, blobs by size and checksum. */
static void print_col(sqlite3_stmt *st, int i){
  switch( sqlite3_column_type(st, i) ){
    case SQLITE_NULL:
      printf("NULL");
      break;
    case SQLITE_INTEGER:
      printf("%lld", (long long)sqlite3_column_int64(st, i));
      break;
    case SQLITE_FLOAT: {
      const unsigned char *z = sqlite3_column_text(st, i);
      printf("%s(%.6f)", z ? (const char*)z : "<null text>",
             sqlite3_column_double(st, i));
      break;
    }
    case SQLITE_TEXT: {
      const unsigned char *z = sqlite3_column_text(st, i);
      printf("'%s'", z ? (const char*)z : "<null text>");
      break;
    }
    case SQLITE_BLOB: {
      const unsigned char *b = sqlite3_column_blob(st, i);
      int n = sqlite3_column_bytes(st, i);
      unsigned sum = 0;
      int k;
      for(k=0; b && k<n; k++) sum = sum*31 + b[k];
      printf("blob[%d:%08x]", n, sum);
      break;
    }
    default:
      printf("<type %d>", sqlite3_column_type(st, i));
  }
}

/* Steps a prepared statement to the end, printing every row. */
static int print_rows(sqlite3_stmt *st){
  int rc, n = 0, i;
  while( (rc = sqlite3_step(st))==SQLITE_ROW ){
    int ncol = sqlite3_column_count(st);
    for(i=0; i<ncol; i++){
      if( i ) printf("|");
      print_col(st, i);
    }
    printf("\n");
    n++;
  }
  check(rc, SQLITE_DONE, "step to the end");
  return n;
}

static void query(const char *title, const char *sql){
  sqlite3_stmt *st = prepare(sql);
  printf("-- %s\n", title);
  print_rows(st);
  check(sqlite3_finalize(st), SQLITE_OK, "finalize");
}

static int exec_cb(void *arg, int ncol, char **vals, char **names){
  int i;
  int *count = (int*)arg;
  (*count)++;
  for(i=0; i<ncol; i++){
    printf("%s%s=%s", i ? " " : "", names[i], vals[i] ? vals[i] : "NULL");
  }
  printf("\n");
  return 0;
}

int main(int argc, char **argv){
  sqlite3_stmt *ins, *st;
  char *err = 0;
  unsigned char *blob;
  unsigned x = 12345;
  int i, rc, n;
  static const sqlite3_int64 lookups[] = { 1, 2, 50, 1500, 2999, 3000, 3001, -1 };

  ferrolite_check_lib();
  if( argc!=2 ){
    fprintf(stderr, "usage: %s DBFILE\n", argv[0]);
    return 2;
  }
  rc = sqlite3_open_v2(argv[1], &db, SQLITE_OPEN_READWRITE|SQLITE_OPEN_CREATE, 0);
  check(rc, SQLITE_OK, "open_v2");

  err = 0;
  rc = sqlite3_exec(db,
    "CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT NOT NULL, score REAL, data BLOB);"
    "CREATE INDEX t_score ON t(score);", 0, 0, &err);
  if( rc!=SQLITE_OK ){
    printf("FAILED: create: %s\n", err ? err : "(no message)");
    sqlite3_free(err);
    return 1;
  }
  check(sqlite3_exec(db, "BEGIN", 0, 0, 0), SQLITE_OK, "BEGIN");

  blob = malloc(20000);
  if( blob==0 ) return 1;
  ins = prepare("INSERT INTO t(id, name, score, data) VALUES(?1, ?2, ?3, ?4)");
  for(i=1; i<=NROWS; i++){
    char name[32];
    int bloblen, k;
    x = x*1103515245u + 12345u;                /* LCG, mod 2^32 */
    snprintf(name, sizeof(name), "name-%d", i);
    check(sqlite3_bind_int64(ins, 1, i), SQLITE_OK, "bind_int64");
    check(sqlite3_bind_text(ins, 2, name, -1, SQLITE_TRANSIENT), SQLITE_OK, "bind_text");
    if( i%17==0 ){
      check(sqlite3_bind_null(ins, 3), SQLITE_OK, "bind_null");
    }else{
      /* 0.00 .. 999.99 in steps of 0.01, and some with more digits */
      double score = (double)((x>>8) % 100000) / 100.0;
      if( i%13==0 ) score += 1.0/3.0;
      check(sqlite3_bind_double(ins, 3, score), SQLITE_OK, "bind_double");
    }
    if( i%7==0 ){
      check(sqlite3_bind_null(ins, 4), SQLITE_OK, "bind_null");
    }else{
      if( i%50==0 ){
        bloblen = 5000 + (i*37) % 15001;      /* overflows a 4096-byte page */
      }else{
        bloblen = (i*13) % 300;
      }
      for(k=0; k<bloblen; k++) blob[k] = (unsigned char)((i*31 + k*7) & 0xff);
      check(sqlite3_bind_blob(ins, 4, blob, bloblen, SQLITE_STATIC), SQLITE_OK, "bind_blob");
    }
    check(sqlite3_step(ins), SQLITE_DONE, "insert step");
    check(sqlite3_reset(ins), SQLITE_OK, "reset");
  }
  check(sqlite3_finalize(ins), SQLITE_OK, "finalize insert");
  check(sqlite3_exec(db, "COMMIT", 0, 0, 0), SQLITE_OK, "COMMIT");
  printf("inserted %d rows, last_insert_rowid=%lld\n", NROWS,
         (long long)sqlite3_last_insert_rowid(db));

  query("aggregates",
        "SELECT count(*), count(score), sum(score), max(score), min(score),"
        " count(data), sum(length(data)), max(length(data)) FROM t");
  query("real rendering",
        "SELECT 0.1+0.2, 1e100, -2.5e-7, 1.0/3.0, 100.0, 3.14159265358979,"
        " 1e15, 123456789012345678.0, avg(score) FROM t");

  /* Point lookups through one statement with a bound parameter. */
  st = prepare("SELECT id, name, score, length(data), hex(substr(data, 1, 6)) FROM t WHERE id = ?");
  printf("-- lookups by id\n");
  for(i=0; i<(int)(sizeof(lookups)/sizeof(lookups[0])); i++){
    check(sqlite3_bind_int64(st, 1, lookups[i]), SQLITE_OK, "bind lookup");
    n = print_rows(st);
    if( n==0 ) printf("id %lld: no row\n", (long long)lookups[i]);
    check(sqlite3_reset(st), SQLITE_OK, "reset lookup");
  }
  check(sqlite3_finalize(st), SQLITE_OK, "finalize lookup");

  /* Range scan on the index, descending. */
  st = prepare("SELECT id, name, score FROM t WHERE score BETWEEN ?1 AND ?2"
               " ORDER BY score DESC, id DESC");
  check(sqlite3_bind_double(st, 1, 500.0), SQLITE_OK, "bind lo");
  check(sqlite3_bind_double(st, 2, 512.5), SQLITE_OK, "bind hi");
  printf("-- score between 500 and 512.5\n");
  n = print_rows(st);
  printf("%d rows\n", n);
  check(sqlite3_finalize(st), SQLITE_OK, "finalize range");

  st = prepare("SELECT id, length(data) FROM t WHERE length(data) > ?"
               " ORDER BY id DESC LIMIT 10");
  check(sqlite3_bind_int64(st, 1, 4096), SQLITE_OK, "bind length");
  printf("-- ten largest ids with overflowing blobs\n");
  print_rows(st);
  check(sqlite3_finalize(st), SQLITE_OK, "finalize blobs");

  /* A blob read back in full. */
  st = prepare("SELECT data FROM t WHERE id = ?");
  check(sqlite3_bind_int64(st, 1, 2950), SQLITE_OK, "bind 2950");
  printf("-- blob of id 2950\n");
  print_rows(st);
  check(sqlite3_finalize(st), SQLITE_OK, "finalize blob");

  /* Changes. */
  st = prepare("UPDATE t SET score = score * 2, name = name || '-x' WHERE id % 10 = 0 AND score IS NOT NULL");
  check(sqlite3_step(st), SQLITE_DONE, "update");
  printf("-- update: changes=%d\n", sqlite3_changes(db));
  check(sqlite3_finalize(st), SQLITE_OK, "finalize update");

  st = prepare("DELETE FROM t WHERE id > ?");
  check(sqlite3_bind_int64(st, 1, 2900), SQLITE_OK, "bind delete");
  check(sqlite3_step(st), SQLITE_DONE, "delete");
  printf("-- delete: changes=%d\n", sqlite3_changes(db));
  check(sqlite3_finalize(st), SQLITE_OK, "finalize delete");

  st = prepare("INSERT INTO t(name, score, data) VALUES(?, ?, ?)");
  check(sqlite3_bind_text(st, 1, "extra", 5, SQLITE_STATIC), SQLITE_OK, "bind extra");
  check(sqlite3_bind_double(st, 2, -0.5), SQLITE_OK, "bind extra score");
  check(sqlite3_bind_null(st, 3), SQLITE_OK, "bind extra data");
  check(sqlite3_step(st), SQLITE_DONE, "insert extra");
  printf("-- insert: changes=%d last_insert_rowid=%lld\n", sqlite3_changes(db),
         (long long)sqlite3_last_insert_rowid(db));
  check(sqlite3_finalize(st), SQLITE_OK, "finalize extra");

  /* sqlite3_exec with a callback. */
  printf("-- exec with callback\n");
  n = 0;
  err = 0;
  rc = sqlite3_exec(db,
    "SELECT id, name, score, typeof(data) AS kind FROM t WHERE id <= 3 OR id >= 2899 ORDER BY id",
    exec_cb, &n, &err);
  printf("rc=%d rows=%d err=%s\n", rc, n, err ? err : "NULL");
  sqlite3_free(err);

  /* A syntax error through exec. */
  err = 0;
  rc = sqlite3_exec(db, "SELEC 1", exec_cb, &n, &err);
  printf("-- syntax error: rc=%d err=%s\n", rc, err ? err : "NULL");
  printf("errmsg=%s\n", sqlite3_errmsg(db));
  sqlite3_free(err);

  query("final count", "SELECT count(*), max(id), sum(score) FROM t");

  free(blob);
  check(sqlite3_close(db), SQLITE_OK, "close");
  db = 0;
  printf("done\n");
  return 0;
}
