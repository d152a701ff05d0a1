/*
** beginlocks.c: the locks BEGIN DEFERRED / IMMEDIATE / EXCLUSIVE take on a
** rollback-journal file, compared with SQLite. Connection b begins (and
** writes); connection a of the same process then reads and writes:
**   - DEFERRED takes no lock until the first read or write;
**   - IMMEDIATE takes RESERVED: others read, but cannot write;
**   - EXCLUSIVE takes EXCLUSIVE at once: others cannot even read;
**   - BEGIN EXCLUSIVE while another connection reads fails with
**     SQLITE_BUSY and leaves no lock behind;
**   - in WAL mode EXCLUSIVE acts as IMMEDIATE (readers go on).
*/
#include <stdio.h>
#include "sqlite3.h"
#include "harness.h"
#include "query.h"

/* Runs SQL, prints the first column of each row (or the error). */

static void round_of(sqlite3 *a, sqlite3 *b, const char *begin){
  printf("-- b: %s\n", begin);
  q(b, "b", begin);
  q(a, "a", "select count(*) from t");
  q(b, "b", "insert into t values (1)");
  q(a, "a", "select count(*) from t");
  q(a, "a", "insert into t values (2)");
  q(b, "b", "commit");
  q(a, "a", "select count(*) from t");
}

int main(int argc, char **argv){
  sqlite3 *a, *b;
  sqlite3_stmt *reader;
  ferrolite_check_lib();
  if( argc<2 ) return 2;
  if( sqlite3_open(argv[1], &a) || sqlite3_open(argv[1], &b) ) return 1;
  q(a, "a", "create table t(x)");
  round_of(a, b, "begin deferred");
  round_of(a, b, "begin immediate");
  round_of(a, b, "begin exclusive");
  round_of(a, b, "begin");

  printf("-- b: begin exclusive while a reads\n");
  sqlite3_prepare_v2(a, "select x from t", -1, &reader, 0);
  printf("a steps: %d\n", sqlite3_step(reader));
  q(b, "b", "begin exclusive");
  q(b, "b", "select count(*) from t");
  q(b, "b", "insert into t values (3)");
  q(b, "b", "commit");
  sqlite3_finalize(reader);
  q(a, "a", "select count(*) from t");
  q(b, "b", "begin exclusive");
  q(b, "b", "commit");

  printf("-- WAL\n");
  q(a, "a", "pragma journal_mode = wal");
  round_of(a, b, "begin exclusive");
  /* Back to a rollback journal: run.sh reads the file read-only. */
  sqlite3_close(b);
  q(a, "a", "pragma journal_mode = delete");
  sqlite3_close(a);
  return 0;
}
