/*
** walhook.c: sqlite3_wal_hook compared with SQLite: the previous argument
** each registration returns (sqlite3_wal_autocheckpoint's frame count
** included), when the hook runs (after a statement that ends in
** autocommit mode, once per database whose log took a commit, with the
** log's frame count), the database names it gets (attached databases),
** what a non-OK hook result does to sqlite3_step and sqlite3_reset, a
** hook that checkpoints from inside, how PRAGMA wal_autocheckpoint /
** sqlite3_wal_autocheckpoint and the hook replace each other, and the
** default hook's checkpoint skipped while a statement still reads.
*/
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "sqlite3.h"
#include "harness.h"

static char aux_path[4200];

/* What the hook does: 0 print, 1 print and return the code in `ret`,
** 2 print and checkpoint the database (PASSIVE) from inside. */
static int hook_mode = 0;
static int hook_ret = SQLITE_OK;

static int hook(void *arg, sqlite3 *db, const char *zDb, int nFrame){
  printf("  hook(%s) db %s frames %d\n", (const char*)arg, zDb, nFrame);
  if( hook_mode==2 ){
    int nLog = -7, nCkpt = -7;
    int rc = sqlite3_wal_checkpoint_v2(db, zDb, SQLITE_CHECKPOINT_PASSIVE, &nLog, &nCkpt);
    printf("  checkpoint from the hook -> rc %d log %d ckpt %d\n", rc, nLog, nCkpt);
  }
  return hook_mode==1 ? hook_ret : SQLITE_OK;
}

/* Runs `sql`, printed as `shown` (a file name left out). */
static void q_shown(sqlite3 *db, const char *sql, const char *shown){
  sqlite3_stmt *st;
  int rc = sqlite3_prepare_v2(db, sql, -1, &st, 0);
  printf("%s ->", shown);
  if( rc!=SQLITE_OK ){
    printf(" prepare error %d %s\n", sqlite3_extended_errcode(db), sqlite3_errmsg(db));
    return;
  }
  printf("\n");
  while( (rc = sqlite3_step(st))==SQLITE_ROW ){
    int i;
    printf(" ");
    for(i=0; i<sqlite3_column_count(st); i++){
      const unsigned char *t = sqlite3_column_text(st, i);
      printf(" %s", t ? (const char*)t : "NULL");
    }
    printf("\n");
  }
  if( rc!=SQLITE_DONE ){
    printf("  step rc %d errcode %d %s\n", rc, sqlite3_extended_errcode(db), sqlite3_errmsg(db));
  }
  rc = sqlite3_finalize(st);
  if( rc!=SQLITE_OK ) printf("  finalize rc %d errcode %d %s\n", rc, sqlite3_extended_errcode(db), sqlite3_errmsg(db));
}

static void q(sqlite3 *db, const char *sql){
  q_shown(db, sql, sql);
}

static void ckpt(sqlite3 *db){
  int nLog = -7, nCkpt = -7;
  int rc = sqlite3_wal_checkpoint_v2(db, "main", SQLITE_CHECKPOINT_PASSIVE, &nLog, &nCkpt);
  printf("checkpoint(main) -> rc %d log %d ckpt %d\n", rc, nLog, nCkpt);
}

/* Hook arguments are these labels; anything else prints as a number. */
static const char *labels[] = { "a", "b", "a2", "a3", "a4", "a5" };

static void prev(const char *what, void *p){
  unsigned k;
  for(k=0; k<sizeof(labels)/sizeof(labels[0]); k++){
    if( p==(void*)labels[k] ){
      printf("%s returned the label \"%s\"\n", what, labels[k]);
      return;
    }
  }
  printf("%s returned %ld\n", what, (long)(intptr_t)p);
}

int main(int argc, char **argv){
  sqlite3 *a = 0, *b = 0;
  sqlite3_stmt *st;
  int rc, i;
  ferrolite_check_lib();
  if( argc<2 ) return 2;
  unlink(argv[1]);
  snprintf(aux_path, sizeof(aux_path), "%s-aux", argv[1]);
  unlink(aux_path);

  sqlite3_open_v2(argv[1], &a, SQLITE_OPEN_READWRITE|SQLITE_OPEN_CREATE, 0);
  /* A new connection's hook is the autocheckpoint one, argument 1000. */
  prev("wal_hook(a)", sqlite3_wal_hook(a, hook, (void*)labels[0]));
  prev("wal_hook(a) again", sqlite3_wal_hook(a, hook, (void*)labels[0]));
  q(a, "PRAGMA wal_autocheckpoint");

  /* Not in WAL mode yet: no calls. */
  q(a, "CREATE TABLE r(x)");
  q(a, "PRAGMA journal_mode=WAL");
  q(a, "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)");
  q(a, "INSERT INTO t(v) VALUES ('one')");
  q(a, "INSERT INTO t(v) VALUES ('two'), ('three')");
  q(a, "SELECT count(*) FROM t");
  q(a, "BEGIN");
  q(a, "INSERT INTO t(v) VALUES ('four')");
  q(a, "INSERT INTO t(v) VALUES ('five')");
  q(a, "COMMIT");
  q(a, "BEGIN");
  q(a, "INSERT INTO t(v) VALUES ('gone')");
  q(a, "ROLLBACK");
  q(a, "UPDATE t SET v = v WHERE id < 0");

  /* A commit made by sqlite3_reset is reported after the next statement
  ** that finishes in autocommit mode, whatever it is. */
  sqlite3_prepare_v2(a, "INSERT INTO t(v) VALUES ('r1'), ('r2') RETURNING id", -1, &st, 0);
  rc = sqlite3_step(st);
  printf("RETURNING first step -> %d\n", rc);
  rc = sqlite3_reset(st);
  printf("reset -> %d\n", rc);
  sqlite3_finalize(st);
  q(a, "SELECT 1");

  /* Another connection's commits count in the frames. */
  sqlite3_open_v2(argv[1], &b, SQLITE_OPEN_READWRITE, 0);
  prev("wal_hook(b)", sqlite3_wal_hook(b, hook, (void*)labels[1]));
  q(b, "INSERT INTO t(v) VALUES ('from b')");
  q(a, "INSERT INTO t(v) VALUES ('after b')");

  /* An attached database in WAL mode. */
  {
    char sql[4400];
    snprintf(sql, sizeof(sql), "ATTACH '%s' AS aux", aux_path);
    q_shown(a, sql, "ATTACH '<db>-aux' AS aux");
  }
  q(a, "PRAGMA aux.journal_mode=WAL");
  q(a, "CREATE TABLE aux.u(x)");
  q(a, "BEGIN");
  q(a, "INSERT INTO aux.u VALUES (1)");
  q(a, "INSERT INTO main.t(v) VALUES ('both')");
  q(a, "COMMIT");

  /* A hook result other than SQLITE_OK. */
  hook_mode = 1;
  hook_ret = SQLITE_BUSY;
  q(a, "INSERT INTO t(v) VALUES ('busy hook')");
  sqlite3_prepare_v2(a, "INSERT INTO t(v) VALUES ('busy again')", -1, &st, 0);
  rc = sqlite3_step(st);
  printf("step -> %d errcode %d %s\n", rc, sqlite3_extended_errcode(a), sqlite3_errmsg(a));
  rc = sqlite3_reset(st);
  printf("reset -> %d errcode %d %s\n", rc, sqlite3_extended_errcode(a), sqlite3_errmsg(a));
  sqlite3_finalize(st);
  hook_ret = SQLITE_READONLY;
  q(a, "BEGIN");
  q(a, "INSERT INTO aux.u VALUES (2)");
  q(a, "INSERT INTO main.t(v) VALUES ('two dbs')");
  q(a, "COMMIT");
  q(a, "SELECT count(*) FROM t");
  q(a, "SELECT 'rows kept', count(*) FROM aux.u");
  hook_mode = 0;

  /* The hook checkpoints from inside. */
  hook_mode = 2;
  q(a, "INSERT INTO t(v) VALUES ('checkpointing')");
  q(a, "INSERT INTO t(v) VALUES ('after the checkpoint')");
  hook_mode = 0;
  q(a, "DETACH aux");

  /* wal_autocheckpoint and the hook replace each other. */
  printf("wal_autocheckpoint(a, 5) -> %d\n", sqlite3_wal_autocheckpoint(a, 5));
  q(a, "PRAGMA wal_autocheckpoint");
  for(i=0; i<6; i++) q(a, "INSERT INTO t(v) VALUES ('auto')");
  ckpt(a);
  prev("wal_hook(a)", sqlite3_wal_hook(a, hook, (void*)labels[2]));
  q(a, "PRAGMA wal_autocheckpoint");
  q(a, "INSERT INTO t(v) VALUES ('hooked')");
  q(a, "PRAGMA wal_autocheckpoint=3");
  prev("wal_hook(a, NULL)", sqlite3_wal_hook(a, 0, (void*)(intptr_t)7));
  q(a, "PRAGMA wal_autocheckpoint");
  q(a, "INSERT INTO t(v) VALUES ('no hook')");
  ckpt(a);
  prev("wal_hook(a)", sqlite3_wal_hook(a, hook, (void*)labels[3]));
  q(a, "PRAGMA wal_autocheckpoint=0");
  prev("wal_hook(a)", sqlite3_wal_hook(a, hook, (void*)labels[4]));
  q(a, "INSERT INTO t(v) VALUES ('hook again')");
  printf("wal_autocheckpoint(a, 0) -> %d\n", sqlite3_wal_autocheckpoint(a, 0));
  prev("wal_hook(a)", sqlite3_wal_hook(a, hook, (void*)labels[5]));
  printf("wal_autocheckpoint(a, -3) -> %d\n", sqlite3_wal_autocheckpoint(a, -3));
  q(a, "PRAGMA wal_autocheckpoint");
  q(a, "INSERT INTO t(v) VALUES ('off')");
  ckpt(a);

  /* The default hook's checkpoint cannot run while another statement of
  ** the connection reads: it is skipped, not put off to the end of that
  ** read (the second insert would then find the log restarted). */
  printf("wal_autocheckpoint(a, 1) -> %d\n", sqlite3_wal_autocheckpoint(a, 1));
  q(a, "INSERT INTO t(v) VALUES ('restart')");
  q(a, "PRAGMA wal_checkpoint");
  sqlite3_prepare_v2(a, "SELECT v FROM t", -1, &st, 0);
  rc = sqlite3_step(st);
  printf("reading: step -> %d\n", rc);
  q(a, "INSERT INTO t(v) VALUES ('while reading')");
  sqlite3_finalize(st);
  q(a, "INSERT INTO t(v) VALUES ('after reading')");
  q(a, "PRAGMA wal_checkpoint");

  sqlite3_close(b);
  q(a, "PRAGMA journal_mode=DELETE");
  sqlite3_close(a);
  unlink(aux_path);
  return 0;
}
