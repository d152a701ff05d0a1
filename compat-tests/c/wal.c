/*
** wal.c: WAL mode through the C API, compared with SQLite: journal_mode
** switches (and the -wal/-shm files they make and remove), two connections
** (a reader's snapshot, SQLITE_BUSY_SNAPSHOT, one writer at a time),
** sqlite3_wal_checkpoint(_v2) in every mode with its counts and codes,
** sqlite3_wal_autocheckpoint and PRAGMA wal_autocheckpoint, checkpoints
** refused inside a transaction, leaving WAL mode while another connection
** is open (SQLITE_BUSY) and once it closed.
*/
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "sqlite3.h"
#include "harness.h"
#include "query.h"

static const char *path;


static void files(const char *when){
  char p[4200];
  snprintf(p, sizeof(p), "%s-wal", path);
  printf("%s: -wal %s", when, access(p, F_OK)==0 ? "yes" : "no");
  snprintf(p, sizeof(p), "%s-shm", path);
  printf(", -shm %s\n", access(p, F_OK)==0 ? "yes" : "no");
}

static void ckpt(sqlite3 *db, const char *zDb, int mode){
  int nLog = -7, nCkpt = -7;
  int rc = sqlite3_wal_checkpoint_v2(db, zDb, mode, &nLog, &nCkpt);
  printf("checkpoint_v2(%s, %d) -> rc %d log %d ckpt %d", zDb ? zDb : "NULL", mode, rc, nLog, nCkpt);
  if( rc!=SQLITE_OK ) printf(" (%s)", sqlite3_errmsg(db));
  printf("\n");
}

int main(int argc, char **argv){
  sqlite3 *a = 0, *b = 0;
  int i;
  ferrolite_check_lib();
  if( argc<2 ) return 2;
  path = argv[1];
  unlink(path);
  sqlite3_open_v2(path, &a, SQLITE_OPEN_READWRITE|SQLITE_OPEN_CREATE, 0);
  sqlite3_extended_result_codes(a, 1);
  ckpt(a, NULL, SQLITE_CHECKPOINT_PASSIVE);
  ckpt(a, NULL, SQLITE_CHECKPOINT_NOOP);
  q(a, "a", "PRAGMA journal_mode=WAL");
  files("after journal_mode=WAL");
  q(a, "a", "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)");
  q(a, "a", "INSERT INTO t(v) VALUES ('one'), ('two')");
  files("after the first writes");
  ckpt(a, NULL, SQLITE_CHECKPOINT_PASSIVE);
  q(a, "a", "INSERT INTO t(v) VALUES ('three')");

  sqlite3_open_v2(path, &b, SQLITE_OPEN_READWRITE, 0);
  q(b, "b", "PRAGMA journal_mode");
  q(b, "b", "BEGIN");
  q(b, "b", "SELECT count(*) FROM t");
  q(a, "a", "INSERT INTO t(v) VALUES ('four')");
  q(b, "b", "SELECT count(*) FROM t");
  q(b, "b", "INSERT INTO t(v) VALUES ('from b')");
  q(b, "b", "PRAGMA wal_checkpoint");
  q(b, "b", "PRAGMA wal_checkpoint(NOOP)");
  ckpt(a, "main", SQLITE_CHECKPOINT_NOOP);
  ckpt(a, "main", SQLITE_CHECKPOINT_FULL);
  ckpt(a, "main", SQLITE_CHECKPOINT_NOOP);
  ckpt(a, "main", SQLITE_CHECKPOINT_PASSIVE);
  q(b, "b", "ROLLBACK");
  q(b, "b", "SELECT group_concat(v) FROM t");
  q(a, "a", "BEGIN IMMEDIATE");
  q(b, "b", "BEGIN IMMEDIATE");
  q(a, "a", "COMMIT");
  ckpt(a, "main", SQLITE_CHECKPOINT_RESTART);
  ckpt(a, "nosuch", SQLITE_CHECKPOINT_PASSIVE);
  ckpt(a, "main", 7);
  ckpt(a, "main", -2);
  printf("wal_checkpoint -> %d\n", sqlite3_wal_checkpoint(a, 0));
  ckpt(a, "main", SQLITE_CHECKPOINT_TRUNCATE);

  printf("wal_autocheckpoint(a, 4) -> %d\n", sqlite3_wal_autocheckpoint(a, 4));
  for(i=0; i<10; i++) q(a, "a", "INSERT INTO t(v) VALUES ('auto')");
  ckpt(a, NULL, SQLITE_CHECKPOINT_PASSIVE);
  q(a, "a", "PRAGMA wal_autocheckpoint");
  q(a, "a", "PRAGMA wal_autocheckpoint=0");
  for(i=0; i<6; i++) q(a, "a", "INSERT INTO t(v) VALUES ('manual')");
  q(a, "a", "PRAGMA wal_checkpoint(noop)");
  q(a, "a", "PRAGMA wal_checkpoint(PASSIVE)");
  q(a, "a", "PRAGMA wal_checkpoint(NoOp)");

  q(a, "a", "PRAGMA journal_mode=DELETE");
  q(b, "b", "SELECT count(*) FROM t");
  sqlite3_close(b);
  files("after b closed");
  q(a, "a", "PRAGMA journal_mode=DELETE");
  files("after journal_mode=DELETE");
  q(a, "a", "PRAGMA wal_checkpoint");
  q(a, "a", "PRAGMA journal_mode=WAL");
  q(a, "a", "INSERT INTO t(v) VALUES ('last')");
  sqlite3_close(a);
  files("after the last close");
  sqlite3_open_v2(path, &a, SQLITE_OPEN_READWRITE, 0);
  q(a, "a", "PRAGMA journal_mode");
  q(a, "a", "SELECT count(*), max(v) FROM t");
  q(a, "a", "PRAGMA journal_mode=DELETE");
  sqlite3_close(a);
  return 0;
}
