/*
** walreadonly.c: read-only connections to a WAL database, compared with
** SQLite: SQLITE_OPEN_READONLY beside a live writer (reads follow its
** commits, writes give SQLITE_READONLY, a checkpoint fails with an I/O
** error, "disk I/O error"), alone on a database whose -wal and -shm are gone (they are made,
** and left behind at close), `mode=ro` and `readonly_shm=1` URIs.
** `immutable=1`: the database file read alone, without locks (a writer's
** EXCLUSIVE lock does not stop it), the log ignored, writes refused.
** Then a -shm and a -wal that cannot be written (made immutable with
** chattr, which needs root on a file system that has it; the section
** says SKIP otherwise), left by a process that ended without closing:
** read through a private index built from the log, writes and
** checkpoints refused, nothing deleted at close. The same while another
** process still has the database open (its index is then trusted): with
** frames not yet checkpointed, and with all of them checkpointed.
*/
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>
#include "sqlite3.h"
#include "harness.h"
#include "query.h"

static char path[4200];


static void files(const char *when){
  char p[4300];
  struct stat sb;
  snprintf(p, sizeof(p), "%s-wal", path);
  printf("%s: -wal %s", when, stat(p, &sb)==0 ? "yes" : "no");
  snprintf(p, sizeof(p), "%s-shm", path);
  printf(", -shm %s\n", stat(p, &sb)==0 ? "yes" : "no");
}

/* Opens `name` (printed as <db> or <uri>) with `flags`. */
static sqlite3 *open_db(const char *name, int flags){
  sqlite3 *db = 0;
  int rc = sqlite3_open_v2(name, &db, flags, 0);
  printf("open %s flags %x -> %d %s\n", name==path ? "<db>" : "<uri>", flags, rc, rc ? sqlite3_errmsg(db) : "");
  sqlite3_extended_result_codes(db, 1);
  return db;
}

int main(int argc, char **argv){
  sqlite3 *a, *r;
  char uri[4400];
  ferrolite_check_lib();
  if( argc<2 ) return 2;
  snprintf(path, sizeof(path), "%s", argv[1]);
  unlink(path);

  a = open_db(path, SQLITE_OPEN_READWRITE|SQLITE_OPEN_CREATE);
  q(a, "a", "PRAGMA journal_mode=WAL");
  q(a, "a", "CREATE TABLE t(x)");
  q(a, "a", "INSERT INTO t VALUES (1), (2)");

  printf("-- SQLITE_OPEN_READONLY beside a live writer\n");
  r = open_db(path, SQLITE_OPEN_READONLY);
  q(r, "r", "SELECT count(*) FROM t");
  q(r, "r", "INSERT INTO t VALUES (3)");
  q(r, "r", "PRAGMA journal_mode");
  q(a, "a", "INSERT INTO t VALUES (4)");
  q(r, "r", "SELECT count(*) FROM t");
  printf("r: wal_checkpoint -> %d", sqlite3_wal_checkpoint_v2(r, "main", SQLITE_CHECKPOINT_PASSIVE, 0, 0));
  printf(" %d %s\n", sqlite3_extended_errcode(r), sqlite3_errmsg(r));
  q(r, "r", "SELECT count(*) FROM t");
  sqlite3_close(r);
  sqlite3_close(a);
  files("after both closed");

  printf("-- SQLITE_OPEN_READONLY alone, no -wal or -shm\n");
  r = open_db(path, SQLITE_OPEN_READONLY);
  q(r, "r", "SELECT count(*) FROM t");
  files("r reading");
  q(r, "r", "PRAGMA journal_mode");
  q(r, "r", "PRAGMA journal_mode=DELETE");
  sqlite3_close(r);
  files("r closed");

  printf("-- mode=ro\n");
  snprintf(uri, sizeof(uri), "file:%s?mode=ro", path);
  r = open_db(uri, SQLITE_OPEN_READWRITE|SQLITE_OPEN_URI);
  q(r, "r", "SELECT count(*) FROM t");
  q(r, "r", "DELETE FROM t");
  files("r reading");
  sqlite3_close(r);

  printf("-- readonly_shm=1 beside a live writer\n");
  a = open_db(path, SQLITE_OPEN_READWRITE);
  q(a, "a", "INSERT INTO t VALUES (6)");
  snprintf(uri, sizeof(uri), "file:%s?readonly_shm=1", path);
  r = open_db(uri, SQLITE_OPEN_READONLY|SQLITE_OPEN_URI);
  q(r, "r", "SELECT count(*) FROM t");
  q(a, "a", "INSERT INTO t VALUES (7)");
  q(r, "r", "SELECT count(*) FROM t");
  sqlite3_close(r);
  sqlite3_close(a);
  files("the writer closed last");

  printf("-- immutable=1: the database file alone, the log ignored\n");
  a = open_db(path, SQLITE_OPEN_READWRITE);
  q(a, "a", "INSERT INTO t VALUES (8)");
  q(a, "a", "SELECT count(*) FROM t");
  snprintf(uri, sizeof(uri), "file:%s?immutable=1", path);
  r = open_db(uri, SQLITE_OPEN_READONLY|SQLITE_OPEN_URI);
  q(r, "r", "SELECT count(*) FROM t");
  q(r, "r", "PRAGMA journal_mode");
  q(r, "r", "INSERT INTO t VALUES (9)");
  printf("r: db_readonly -> %d\n", sqlite3_db_readonly(r, "main"));
  q(a, "a", "BEGIN EXCLUSIVE");
  q(r, "r", "SELECT count(*) FROM t");
  q(a, "a", "COMMIT");
  sqlite3_close(r);
  sqlite3_close(a);
  files("both closed");
  snprintf(uri, sizeof(uri), "file:%s?immutable=1", path);
  r = open_db(uri, SQLITE_OPEN_READWRITE|SQLITE_OPEN_URI);
  q(r, "r", "SELECT count(*) FROM t");
  q(r, "r", "DELETE FROM t");
  sqlite3_close(r);
  files("the immutable reader closed");

  printf("-- a -shm and -wal that cannot be written, nobody attached\n");
  {
    char cmd[9000];
    pid_t pid = fork();
    if( pid==0 ){
      /* A process that commits and ends without closing: the log and
      ** the index stay behind, with frames. */
      sqlite3 *c = 0;
      sqlite3_open(path, &c);
      sqlite3_exec(c, "PRAGMA wal_autocheckpoint=0; INSERT INTO t VALUES (10); INSERT INTO t VALUES (11)", 0, 0, 0);
      _exit(0);
    }
    waitpid(pid, 0, 0);
    files("left behind");
    snprintf(cmd, sizeof(cmd), "chattr +i '%s-shm' '%s-wal' 2>/dev/null", path, path);
    if( system(cmd)!=0 ){
      printf("SKIP: cannot make a file immutable here\n");
    }else{
      sqlite3 *r2;
      r = open_db(path, SQLITE_OPEN_READWRITE);
      q(r, "r", "SELECT count(*), sum(x) FROM t");
      r2 = open_db(path, SQLITE_OPEN_READONLY);
      q(r2, "r2", "SELECT max(x) FROM t");
      q(r, "r", "INSERT INTO t VALUES (12)");
      q(r, "r", "PRAGMA journal_mode");
      printf("r: wal_checkpoint -> %d", sqlite3_wal_checkpoint_v2(r, "main", SQLITE_CHECKPOINT_PASSIVE, 0, 0));
      printf(" %d %s\n", sqlite3_extended_errcode(r), sqlite3_errmsg(r));
      q(r, "r", "BEGIN");
      q(r, "r", "SELECT count(*) FROM t");
      q(r2, "r2", "SELECT count(*) FROM t");
      q(r, "r", "COMMIT");
      q(r, "r", "PRAGMA journal_mode=DELETE");
      sqlite3_close(r2);
      q(r, "r", "PRAGMA journal_mode=DELETE");
      q(r, "r", "SELECT count(*) FROM t");
      sqlite3_close(r);
      files("read-only readers closed");
      snprintf(cmd, sizeof(cmd), "chattr -i '%s-shm' '%s-wal'", path, path);
      if( system(cmd)!=0 ) printf("chattr -i failed\n");
    }
    a = open_db(path, SQLITE_OPEN_READWRITE);
    q(a, "a", "SELECT count(*), sum(x) FROM t");
    q(a, "a", "PRAGMA integrity_check");
    sqlite3_close(a);
  }

  printf("-- the same while another process keeps the database open\n");
  {
    char cmd[9000];
    int to_child[2], from_child[2];
    char c;
    pid_t pid;
    if( pipe(to_child) || pipe(from_child) ) return 1;
    pid = fork();
    if( pid==0 ){
      /* Commits, then stays attached to the -shm until told to go. Asked
      ** 'c', it checkpoints first. */
      sqlite3 *w = 0;
      sqlite3_open(path, &w);
      sqlite3_exec(w, "PRAGMA wal_autocheckpoint=0; INSERT INTO t VALUES (20); INSERT INTO t VALUES (21)", 0, 0, 0);
      if( write(from_child[1], "r", 1)!=1 ) _exit(1);
      while( read(to_child[0], &c, 1)==1 && c!='q' ){
        if( c=='c' ) sqlite3_exec(w, "PRAGMA wal_checkpoint", 0, 0, 0);
        if( write(from_child[1], "r", 1)!=1 ) _exit(1);
      }
      _exit(0);
    }
    if( read(from_child[0], &c, 1)!=1 ) return 1;
    snprintf(cmd, sizeof(cmd), "chattr +i '%s-shm' '%s-wal' 2>/dev/null", path, path);
    if( system(cmd)!=0 ){
      printf("SKIP: cannot make a file immutable here\n");
    }else{
      r = open_db(path, SQLITE_OPEN_READONLY);
      q(r, "r", "SELECT count(*), sum(x) FROM t");
      q(r, "r", "INSERT INTO t VALUES (22)");
      snprintf(cmd, sizeof(cmd), "chattr -i '%s-shm' '%s-wal'", path, path);
      if( system(cmd)!=0 ) printf("chattr -i failed\n");
      /* The other process checkpoints everything; the reader then reads
      ** the database file alone. */
      if( write(to_child[1], "c", 1)!=1 || read(from_child[0], &c, 1)!=1 ) return 1;
      snprintf(cmd, sizeof(cmd), "chattr +i '%s-shm' '%s-wal'", path, path);
      if( system(cmd)!=0 ) printf("chattr +i failed\n");
      q(r, "r", "SELECT count(*), sum(x) FROM t");
      q(r, "r", "PRAGMA journal_mode");
      sqlite3_close(r);
      snprintf(cmd, sizeof(cmd), "chattr -i '%s-shm' '%s-wal'", path, path);
      if( system(cmd)!=0 ) printf("chattr -i failed\n");
    }
    if( write(to_child[1], "q", 1)!=1 ) return 1;
    waitpid(pid, 0, 0);
    a = open_db(path, SQLITE_OPEN_READWRITE);
    q(a, "a", "SELECT count(*), sum(x) FROM t");
    q(a, "a", "PRAGMA integrity_check");
    sqlite3_close(a);
  }
  return 0;
}
