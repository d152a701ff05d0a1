/*
** snapshot.c: the snapshot API compared with SQLite: sqlite3_snapshot_get
** (only inside a transaction, on main or an attached WAL database, not in
** a write transaction, not on a log never written), sqlite3_snapshot_open
** on an older snapshot across a concurrent writer (reads see the old
** rows, a write gets SQLITE_BUSY_SNAPSHOT), switching snapshots inside a
** transaction, the refusals (autocommit, write transaction, a running
** statement), sqlite3_snapshot_cmp, snapshots made unavailable by a
** checkpoint or a log restart (SQLITE_ERROR_SNAPSHOT), a snapshot kept
** alive by the reader holding it, and sqlite3_snapshot_recover.
*/
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "sqlite3.h"
#include "harness.h"
#include "query.h"


static sqlite3_snapshot *get(sqlite3 *db, const char *who, const char *zDb){
  sqlite3_snapshot *s = 0;
  int rc = sqlite3_snapshot_get(db, zDb, &s);
  printf("%s: snapshot_get(%s) -> %d%s\n", who, zDb ? zDb : "NULL", rc, s ? " (snapshot)" : "");
  if( rc!=SQLITE_OK && s ){
    sqlite3_snapshot_free(s);
    s = 0;
  }
  return s;
}

static void open_snap(sqlite3 *db, const char *who, const char *zDb, sqlite3_snapshot *s, const char *name){
  int rc = sqlite3_snapshot_open(db, zDb, s);
  printf("%s: snapshot_open(%s, %s) -> %d\n", who, zDb ? zDb : "NULL", name, rc);
}

static void ckpt(sqlite3 *db, int mode){
  int nLog = -7, nCkpt = -7;
  int rc = sqlite3_wal_checkpoint_v2(db, "main", mode, &nLog, &nCkpt);
  printf("checkpoint(%d) -> rc %d log %d ckpt %d\n", mode, rc, nLog, nCkpt);
}

int main(int argc, char **argv){
  sqlite3 *a = 0, *b = 0, *c = 0;
  sqlite3_snapshot *s1, *s2, *s3, *s4, *sx;
  sqlite3_stmt *st;
  int rc;
  ferrolite_check_lib();
  if( argc<2 ) return 2;
  unlink(argv[1]);

  sqlite3_open_v2(argv[1], &a, SQLITE_OPEN_READWRITE|SQLITE_OPEN_CREATE, 0);
  q(a, "a", "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)");
  /* Not in WAL mode. */
  q(a, "a", "BEGIN");
  q(a, "a", "SELECT count(*) FROM t");
  sx = get(a, "a", "main");
  q(a, "a", "COMMIT");
  q(a, "a", "PRAGMA journal_mode=WAL");
  q(a, "a", "PRAGMA wal_autocheckpoint=0");
  /* In WAL mode, but nothing was ever written to the log. */
  q(a, "a", "BEGIN");
  q(a, "a", "SELECT count(*) FROM t");
  sx = get(a, "a", "main");
  q(a, "a", "COMMIT");
  q(a, "a", "INSERT INTO t(v) VALUES ('one'), ('two')");

  sqlite3_open_v2(argv[1], &b, SQLITE_OPEN_READWRITE, 0);
  q(b, "b", "SELECT count(*) FROM t");
  /* Outside a transaction, and names that do not apply. */
  sx = get(b, "b", "main");
  q(b, "b", "BEGIN");
  sx = get(b, "b", "temp");
  sx = get(b, "b", NULL);
  sx = get(b, "b", "nosuch");
  /* BEGIN alone: snapshot_get opens the read transaction. */
  s1 = get(b, "b", "main");
  q(a, "a", "INSERT INTO t(v) VALUES ('three')");
  q(b, "b", "SELECT group_concat(v) FROM t");
  s2 = get(b, "b", "main");
  printf("cmp(s1, s2) = %d\n", sqlite3_snapshot_cmp(s1, s2));
  q(b, "b", "COMMIT");

  q(b, "b", "BEGIN");
  q(b, "b", "SELECT group_concat(v) FROM t");
  s3 = get(b, "b", "main");
  printf("cmp(s1, s3) = %d, cmp(s3, s1) = %d, cmp(s3, s3) = %d\n",
         sqlite3_snapshot_cmp(s1, s3), sqlite3_snapshot_cmp(s3, s1), sqlite3_snapshot_cmp(s3, s3));
  q(b, "b", "COMMIT");

  /* Opening an older snapshot, and moving between snapshots. */
  open_snap(b, "b", "main", s1, "s1");
  q(b, "b", "BEGIN");
  open_snap(b, "b", "main", s1, "s1");
  q(b, "b", "SELECT group_concat(v) FROM t");
  q(a, "a", "INSERT INTO t(v) VALUES ('four')");
  open_snap(b, "b", "main", s3, "s3");
  q(b, "b", "SELECT group_concat(v) FROM t");
  open_snap(b, "b", "temp", s1, "s1");
  open_snap(b, "b", "nosuch", s1, "s1");
  /* A statement is running: refused. */
  sqlite3_prepare_v2(b, "SELECT v FROM t", -1, &st, 0);
  rc = sqlite3_step(st);
  printf("b: step -> %d\n", rc);
  open_snap(b, "b", "main", s1, "s1");
  sqlite3_finalize(st);
  open_snap(b, "b", "main", s1, "s1");
  q(b, "b", "SELECT group_concat(v) FROM t");
  /* Writing on an old snapshot. */
  q(b, "b", "INSERT INTO t(v) VALUES ('from b')");
  q(b, "b", "COMMIT");
  /* In a write transaction: refused. */
  q(b, "b", "BEGIN");
  q(b, "b", "INSERT INTO t(v) VALUES ('b writes')");
  open_snap(b, "b", "main", s1, "s1");
  sx = get(b, "b", "main");
  q(b, "b", "ROLLBACK");
  q(b, "b", "SELECT group_concat(v) FROM t");

  /* b holds s1 open: a checkpoint cannot go past it. */
  q(b, "b", "BEGIN");
  open_snap(b, "b", "main", s1, "s1");
  q(b, "b", "SELECT count(*) FROM t");
  q(a, "a", "INSERT INTO t(v) VALUES ('five')");
  ckpt(a, SQLITE_CHECKPOINT_PASSIVE);
  sqlite3_open_v2(argv[1], &c, SQLITE_OPEN_READWRITE, 0);
  q(c, "c", "SELECT count(*) FROM t");
  q(c, "c", "BEGIN");
  open_snap(c, "c", "main", s1, "s1");
  q(c, "c", "SELECT count(*) FROM t");
  q(c, "c", "COMMIT");
  q(b, "b", "COMMIT");

  /* Once a checkpoint copied frames past a snapshot, it is gone. */
  ckpt(a, SQLITE_CHECKPOINT_PASSIVE);
  q(c, "c", "BEGIN");
  open_snap(c, "c", "main", s1, "s1");
  open_snap(c, "c", "main", s3, "s3");
  q(c, "c", "SELECT count(*) FROM t");
  s4 = get(c, "c", "main");
  q(c, "c", "COMMIT");
  printf("snapshot_recover(c, main) -> %d\n", sqlite3_snapshot_recover(c, "main"));
  q(c, "c", "BEGIN");
  open_snap(c, "c", "main", s1, "s1");
  open_snap(c, "c", "main", s4, "s4");
  q(c, "c", "SELECT count(*) FROM t");
  printf("snapshot_recover(c, main) in a read transaction -> %d\n", sqlite3_snapshot_recover(c, "main"));
  q(c, "c", "COMMIT");
  printf("snapshot_recover(c, temp) -> %d\n", sqlite3_snapshot_recover(c, "temp"));
  printf("snapshot_recover(c, nosuch) -> %d\n", sqlite3_snapshot_recover(c, "nosuch"));

  /* A log restart: every older snapshot is gone. */
  ckpt(a, SQLITE_CHECKPOINT_RESTART);
  q(a, "a", "INSERT INTO t(v) VALUES ('six')");
  q(c, "c", "BEGIN");
  open_snap(c, "c", "main", s4, "s4");
  q(c, "c", "SELECT count(*) FROM t");
  sx = get(c, "c", "main");
  printf("cmp(s4, new) = %d, cmp(new, s4) = %d\n", sqlite3_snapshot_cmp(s4, sx), sqlite3_snapshot_cmp(sx, s4));
  q(c, "c", "COMMIT");
  q(c, "c", "BEGIN");
  open_snap(c, "c", "main", sx, "new");
  q(c, "c", "SELECT count(*) FROM t");
  q(c, "c", "COMMIT");
  sqlite3_snapshot_free(sx);
  sqlite3_snapshot_free(0);

  sqlite3_snapshot_free(s1);
  sqlite3_snapshot_free(s2);
  sqlite3_snapshot_free(s3);
  sqlite3_snapshot_free(s4);
  sqlite3_close(c);
  sqlite3_close(b);
  q(a, "a", "PRAGMA journal_mode=DELETE");
  sqlite3_close(a);
  return 0;
}
