/*
** journallimit.c: PRAGMA journal_size_limit compared with SQLite: its
** value per database (default -1, below -1 read as -1, hexadecimal),
** the size a persistent rollback journal keeps after each commit
** (PERSIST: header zeroed then cut to the limit; limit 0: emptied;
** TRUNCATE mode: always emptied), and in WAL mode the log's size: kept
** allocated across a restart without a limit, cut by the first commit
** into a restarted log to the limit (or to the end of that commit's
** frames), emptied by a TRUNCATE checkpoint, and a persistent log
** (SQLITE_FCNTL_PERSIST_WAL) left at 0 bytes at the last close when a
** limit is set.
*/
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "sqlite3.h"
#include "harness.h"
#include "query.h"

static const char *path;


/* The size of <db><suffix>, or "none". */
static void size(const char *suffix){
  char p[4200];
  struct stat sb;
  snprintf(p, sizeof(p), "%s%s", path, suffix);
  if( stat(p, &sb)!=0 ){
    printf("  %s: none\n", suffix);
  }else{
    printf("  %s: %lld bytes\n", suffix, (long long)sb.st_size);
  }
}

/* Whether <db><suffix> is longer than n bytes (sizes that depend on how
** many pages a transaction journals are not compared exactly). */
static void longer(const char *suffix, long long n){
  char p[4200];
  struct stat sb;
  snprintf(p, sizeof(p), "%s%s", path, suffix);
  if( stat(p, &sb)!=0 ){
    printf("  %s: none\n", suffix);
  }else{
    printf("  %s longer than %lld bytes: %s\n", suffix, n, sb.st_size>n ? "yes" : "no");
  }
}

static void big_txn(sqlite3 *db, int rows){
  char sql[200];
  snprintf(sql, sizeof(sql),
    "WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM c WHERE i<%d) "
    "INSERT INTO t(v) SELECT zeroblob(500) FROM c", rows);
  q(db, 0, sql);
}

/* Whether the log file ends where its frames end (1024-byte pages), the
** frame count taken from a PASSIVE checkpoint (how many frames a commit
** writes is not compared here). */
static void frames_end(sqlite3 *db){
  char p[4200];
  struct stat sb;
  int nLog = -7, nCkpt = -7;
  int rc = sqlite3_wal_checkpoint_v2(db, "main", SQLITE_CHECKPOINT_PASSIVE, &nLog, &nCkpt);
  snprintf(p, sizeof(p), "%s-wal", path);
  if( stat(p, &sb)!=0 ) sb.st_size = -1;
  printf("checkpoint rc %d, all copied %s, -wal ends at its last frame: %s\n", rc,
         nLog==nCkpt ? "yes" : "no", sb.st_size==32+(long long)nLog*(1024+24) ? "yes" : "no");
}

static void ckpt(sqlite3 *db, int mode){
  int nLog = -7, nCkpt = -7;
  int rc = sqlite3_wal_checkpoint_v2(db, "main", mode, &nLog, &nCkpt);
  printf("checkpoint(%d) -> rc %d log %d ckpt %d\n", mode, rc, nLog, nCkpt);
}

int main(int argc, char **argv){
  sqlite3 *db = 0;
  int one = 1;
  ferrolite_check_lib();
  if( argc<2 ) return 2;
  path = argv[1];
  unlink(path);

  sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE|SQLITE_OPEN_CREATE, 0);
  q(db, 0, "PRAGMA page_size=1024");
  q(db, 0, "PRAGMA journal_size_limit");
  q(db, 0, "PRAGMA main.journal_size_limit");
  q(db, 0, "PRAGMA temp.journal_size_limit");
  q(db, 0, "PRAGMA journal_size_limit=-7");
  q(db, 0, "PRAGMA journal_size_limit='0x1000'");
  q(db, 0, "PRAGMA journal_size_limit=-1");
  q(db, 0, "CREATE TABLE t(id INTEGER PRIMARY KEY, v BLOB)");

  printf("-- PERSIST\n");
  q(db, 0, "PRAGMA journal_mode=PERSIST");
  big_txn(db, 100);
  q(db, 0, "UPDATE t SET v = zeroblob(501)");
  longer("-journal", 20000);
  q(db, 0, "PRAGMA journal_size_limit=3000");
  q(db, 0, "PRAGMA temp.journal_size_limit");
  big_txn(db, 100);
  size("-journal");
  q(db, 0, "DELETE FROM t WHERE id % 2 = 0");
  size("-journal");
  q(db, 0, "PRAGMA journal_size_limit=0");
  q(db, 0, "DELETE FROM t");
  size("-journal");
  q(db, 0, "PRAGMA journal_size_limit=-1");
  big_txn(db, 50);
  q(db, 0, "UPDATE t SET v = zeroblob(501)");
  longer("-journal", 3000);

  printf("-- TRUNCATE\n");
  q(db, 0, "PRAGMA journal_mode=TRUNCATE");
  q(db, 0, "PRAGMA journal_size_limit=3000");
  q(db, 0, "DELETE FROM t");
  size("-journal");
  q(db, 0, "PRAGMA journal_mode=DELETE");
  size("-journal");
  q(db, 0, "PRAGMA journal_mode=PERSIST");
  q(db, 0, "INSERT INTO t(v) VALUES (zeroblob(10))");
  size("-journal");
  q(db, 0, "BEGIN");
  q(db, 0, "INSERT INTO t(v) VALUES (zeroblob(10))");
  q(db, 0, "PRAGMA journal_mode=DELETE");
  q(db, 0, "COMMIT");
  size("-journal");
  q(db, 0, "PRAGMA journal_mode=DELETE");
  size("-journal");

  printf("-- WAL\n");
  /* The log's sizes as SQLite's: Ferrolite's growth ahead of the frames
  ** off (SQLite ignores the pragma; its result is not printed). */
  sqlite3_exec(db, "PRAGMA ferrolite_wal_grow=0", 0, 0, 0);
  q(db, 0, "PRAGMA journal_size_limit=-1");
  q(db, 0, "PRAGMA journal_mode=WAL");
  q(db, 0, "PRAGMA wal_autocheckpoint=0");
  big_txn(db, 60);
  size("-wal");
  ckpt(db, SQLITE_CHECKPOINT_PASSIVE);
  q(db, 0, "INSERT INTO t(v) VALUES (1)");
  printf("after a restart without a limit:\n");
  size("-wal");
  q(db, 0, "PRAGMA journal_size_limit=20000");
  q(db, 0, "INSERT INTO t(v) VALUES (2)");
  printf("a limit, no restart:\n");
  size("-wal");
  ckpt(db, SQLITE_CHECKPOINT_PASSIVE);
  q(db, 0, "INSERT INTO t(v) VALUES (3)");
  printf("restart with a limit of 20000:\n");
  size("-wal");
  q(db, 0, "INSERT INTO t(v) VALUES (4)");
  size("-wal");
  ckpt(db, SQLITE_CHECKPOINT_PASSIVE);
  q(db, 0, "PRAGMA journal_size_limit=1000");
  big_txn(db, 5);
  printf("restart with a limit below the commit's frames:\n");
  frames_end(db);
  q(db, 0, "PRAGMA journal_size_limit=0");
  q(db, 0, "INSERT INTO t(v) VALUES (5)");
  printf("restart with a limit of 0:\n");
  size("-wal");
  big_txn(db, 40);
  ckpt(db, SQLITE_CHECKPOINT_TRUNCATE);
  size("-wal");
  q(db, 0, "PRAGMA journal_size_limit=-1");
  big_txn(db, 40);
  printf("persistent log, no limit, at the last close:\n");
  printf("file_control(PERSIST_WAL) -> %d\n", sqlite3_file_control(db, "main", SQLITE_FCNTL_PERSIST_WAL, &one));
  sqlite3_close(db);
  longer("-wal", 20000);
  sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, 0);
  q(db, 0, "SELECT count(*) FROM t");
  q(db, 0, "PRAGMA journal_size_limit=5000");
  one = 1;
  printf("file_control(PERSIST_WAL) -> %d\n", sqlite3_file_control(db, "main", SQLITE_FCNTL_PERSIST_WAL, &one));
  big_txn(db, 10);
  printf("persistent log, limit 5000, at the last close:\n");
  sqlite3_close(db);
  size("-wal");
  sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, 0);
  q(db, 0, "SELECT count(*) FROM t");
  q(db, 0, "PRAGMA journal_mode=DELETE");
  sqlite3_close(db);
  size("-wal");
  size("-journal");
  return 0;
}
