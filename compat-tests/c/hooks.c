/*
** hooks.c: sqlite3_commit_hook, sqlite3_rollback_hook and
** sqlite3_update_hook. Which statements call them (autocommit writes,
** COMMIT, ROLLBACK, errors, read-only transactions), the update hook's
** operation codes, database and table names and rowids (INSERT, UPDATE
** including a rowid change, DELETE, triggers, REPLACE conflicts, the
** truncate optimization, sqlite_sequence), a commit hook that vetoes the
** commit, the previous-argument return values and unregistering.
*/
#include "harness.h"
#include <sqlite3.h>

static int veto = 0;
static int on_commit(void *p){ printf("    commit hook(%s) -> %d\n", (char*)p, veto); return veto; }
static void on_rollback(void *p){ printf("    rollback hook(%s)\n", (char*)p); }
static void on_update(void *p, int op, const char *zDb, const char *zTab, sqlite3_int64 rowid){
  printf("    update hook(%s): %s %s.%s rowid=%lld\n", (char*)p, op==SQLITE_INSERT ? "INSERT" : op==SQLITE_UPDATE ? "UPDATE" : op==SQLITE_DELETE ? "DELETE" : "?", zDb, zTab, rowid);
}

static void run(sqlite3 *db, const char *sql){
  char *err = 0;
  int rc;
  printf("%s\n", sql);
  rc = sqlite3_exec(db, sql, 0, 0, &err);
  if( rc ) printf("  rc=%d (%d) %s autocommit=%d\n", rc, sqlite3_extended_errcode(db), err ? err : "", sqlite3_get_autocommit(db));
  sqlite3_free(err);
}

int main(int argc, char **argv){
  sqlite3 *db; void *old;
  ferrolite_check_lib();
  setvbuf(stdout, 0, _IONBF, 0);
  if( argc<2 ) return 2;
  remove(argv[1]);
  if( sqlite3_open(argv[1], &db) ) return 1;
  run(db, "CREATE TABLE t(id INTEGER PRIMARY KEY, v UNIQUE); CREATE TABLE log(x); CREATE TABLE ai(id INTEGER PRIMARY KEY AUTOINCREMENT, y)");

  old = sqlite3_commit_hook(db, on_commit, "c1");
  printf("commit_hook first: %s\n", old ? (char*)old : "NULL");
  old = sqlite3_rollback_hook(db, on_rollback, "r1");
  printf("rollback_hook first: %s\n", old ? (char*)old : "NULL");
  old = sqlite3_update_hook(db, on_update, "u1");
  printf("update_hook first: %s\n", old ? (char*)old : "NULL");

  run(db, "SELECT * FROM t");
  run(db, "INSERT INTO t VALUES(1, 'a'), (5, 'b')");
  run(db, "UPDATE t SET v = v || '!' WHERE id = 1");
  run(db, "UPDATE t SET id = 10 WHERE id = 5");
  run(db, "DELETE FROM t WHERE id = 10");
  run(db, "INSERT INTO ai(y) VALUES(1), (2)");
  run(db, "BEGIN; INSERT INTO t VALUES(2, 'c'); INSERT INTO t VALUES(3, 'd'); COMMIT");
  run(db, "BEGIN; INSERT INTO t VALUES(4, 'e'); ROLLBACK");
  run(db, "BEGIN; SELECT * FROM t; ROLLBACK");
  run(db, "BEGIN; ROLLBACK");
  run(db, "INSERT INTO t VALUES(7, 'a!')");
  run(db, "REPLACE INTO t VALUES(8, 'a!')");
  run(db, "INSERT OR REPLACE INTO t VALUES(8, 'z')");
  run(db, "CREATE TRIGGER tr AFTER INSERT ON t BEGIN INSERT INTO log VALUES(new.id); DELETE FROM log WHERE x < 0; END");
  run(db, "INSERT INTO t VALUES(20, 'x')");
  run(db, "DELETE FROM log");
  run(db, "CREATE TEMP TABLE tt(a)");
  run(db, "INSERT INTO tt VALUES(1)");

  veto = 1;
  run(db, "INSERT INTO t VALUES(30, 'veto')");
  run(db, "SELECT count(*) FROM t WHERE id = 30");
  run(db, "BEGIN; INSERT INTO t VALUES(31, 'veto'); COMMIT");
  veto = 0;
  run(db, "COMMIT");

  old = sqlite3_commit_hook(db, on_commit, "c2");
  printf("commit_hook replaced: %s\n", old ? (char*)old : "NULL");
  old = sqlite3_rollback_hook(db, 0, 0);
  printf("rollback_hook removed: %s\n", old ? (char*)old : "NULL");
  old = sqlite3_update_hook(db, 0, 0);
  printf("update_hook removed: %s\n", old ? (char*)old : "NULL");
  old = sqlite3_update_hook(db, 0, 0);
  printf("update_hook again: %s\n", old ? (char*)old : "NULL");
  run(db, "INSERT INTO t VALUES(40, 'q')");
  run(db, "BEGIN; INSERT INTO t VALUES(41, 'r'); ROLLBACK");

  sqlite3_rollback_hook(db, on_rollback, "r-close");
  run(db, "BEGIN; INSERT INTO t VALUES(42, 's')");
  printf("close with an open transaction:\n");
  sqlite3_close(db);
  return 0;
}
