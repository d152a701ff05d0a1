/*
** unlocknotify.c: sqlite3_unlock_notify without shared cache. No
** connection holds a table lock on another, so the callback runs at once,
** from within the call, with its one argument; the call returns SQLITE_OK
** and clears the connection's error state; a NULL callback cancels (and
** also succeeds). A write lock held by a second connection gives
** SQLITE_BUSY, not SQLITE_LOCKED, so unlock_notify still calls back at
** once. The callback may use the connection.
*/
#include "harness.h"
#include <sqlite3.h>

static sqlite3 *gdb;
static int calls = 0;

static void notify(void **apArg, int nArg){
  int i;
  calls++;
  printf("  notify: nArg=%d", nArg);
  for(i=0; i<nArg; i++) printf(" arg[%d]=%s", i, apArg[i] ? (const char*)apArg[i] : "NULL");
  printf(" (autocommit=%d)\n", sqlite3_get_autocommit(gdb));
}

int main(int argc, char **argv){
  sqlite3 *db, *db2;
  int rc;
  ferrolite_check_lib();
  setvbuf(stdout, 0, _IONBF, 0);
  if( argc<2 ) return 2;
  remove(argv[1]);
  if( sqlite3_open(argv[1], &db) ) return 1;
  gdb = db;

  rc = sqlite3_exec(db, "SELECT * FROM nosuch", 0, 0, 0);
  printf("error first: rc=%d errcode=%d errmsg=%s\n", rc, sqlite3_errcode(db), sqlite3_errmsg(db));
  rc = sqlite3_unlock_notify(db, notify, "first");
  printf("unlock_notify: rc=%d calls=%d errcode=%d errmsg=%s\n", rc, calls, sqlite3_errcode(db), sqlite3_errmsg(db));
  rc = sqlite3_unlock_notify(db, notify, 0);
  printf("unlock_notify NULL arg: rc=%d calls=%d\n", rc, calls);
  rc = sqlite3_unlock_notify(db, 0, "cancel");
  printf("unlock_notify cancel: rc=%d calls=%d errcode=%d\n", rc, calls, sqlite3_errcode(db));

  sqlite3_exec(db, "CREATE TABLE t(x); INSERT INTO t VALUES(1)", 0, 0, 0);
  if( sqlite3_open(argv[1], &db2) ) return 1;
  rc = sqlite3_exec(db2, "BEGIN IMMEDIATE; INSERT INTO t VALUES(2)", 0, 0, 0);
  printf("second connection holds a write lock: rc=%d\n", rc);
  rc = sqlite3_exec(db, "INSERT INTO t VALUES(3)", 0, 0, 0);
  printf("first connection writes: rc=%d extended=%d\n", rc, sqlite3_extended_errcode(db));
  rc = sqlite3_unlock_notify(db, notify, "after busy");
  printf("unlock_notify after SQLITE_BUSY: rc=%d calls=%d\n", rc, calls);
  sqlite3_exec(db2, "COMMIT", 0, 0, 0);
  sqlite3_close(db2);

  sqlite3_exec(db, "BEGIN", 0, 0, 0);
  rc = sqlite3_unlock_notify(db, notify, "in a transaction");
  printf("unlock_notify in a transaction: rc=%d calls=%d\n", rc, calls);
  sqlite3_exec(db, "COMMIT", 0, 0, 0);
  sqlite3_close(db);
  return 0;
}
