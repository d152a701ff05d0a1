/*
** sharedcache.c: what Ferrolite shares with SQLite around shared-cache
** mode, which it does not offer (docs/COMPAT.md). sqlite3_enable_shared_cache
** returns SQLITE_OK either way; with it on (or with cache=shared), two
** connections to one database file see each other's commits; cache=private
** and cache=shared are accepted in file: URIs, another cache mode is
** "no such cache mode". (An in-memory database that SQLite would share is
** refused by Ferrolite: util/uri.rs tests that.)
*/
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "sqlite3.h"
#include "harness.h"

static void one(sqlite3 *db, const char *sql){
  sqlite3_stmt *st;
  if( sqlite3_prepare_v2(db, sql, -1, &st, 0)!=SQLITE_OK ){ printf("  prepare: %s\n", sqlite3_errmsg(db)); return; }
  while( sqlite3_step(st)==SQLITE_ROW ) printf("  %s = %s\n", sql, sqlite3_column_text(st, 0));
  sqlite3_finalize(st);
}

static void try_open(const char *label, const char *name, int flags){
  sqlite3 *db;
  int rc = sqlite3_open_v2(name, &db, flags, 0);
  printf("%s: %d %s\n", label, rc, rc ? sqlite3_errmsg(db) : "");
  if( rc==SQLITE_OK ) one(db, "SELECT count(*) FROM sqlite_schema");
  sqlite3_close(db);
}

int main(int argc, char **argv){
  sqlite3 *a, *b; char uri[4200];
  const int rwc = SQLITE_OPEN_READWRITE|SQLITE_OPEN_CREATE;
  ferrolite_check_lib();
  if( argc<2 || strlen(argv[1])>4000 ) return 2;
  unlink(argv[1]);

  printf("enable_shared_cache(1) = %d\n", sqlite3_enable_shared_cache(1));
  sqlite3_open_v2(argv[1], &a, rwc, 0);
  sqlite3_open_v2(argv[1], &b, rwc, 0);
  sqlite3_exec(a, "CREATE TABLE t(x); INSERT INTO t VALUES(1)", 0, 0, 0);
  one(b, "SELECT count(*) FROM t");
  sqlite3_exec(b, "INSERT INTO t VALUES(2)", 0, 0, 0);
  one(a, "SELECT sum(x) FROM t");
  sqlite3_close(a);
  sqlite3_close(b);
  printf("enable_shared_cache(0) = %d\n", sqlite3_enable_shared_cache(0));
  printf("enable_shared_cache(7) = %d\n", sqlite3_enable_shared_cache(7));
  printf("enable_shared_cache(0) = %d\n", sqlite3_enable_shared_cache(0));

  snprintf(uri, sizeof(uri), "file:%s?cache=shared", argv[1]);
  try_open("file cache=shared", uri, rwc|SQLITE_OPEN_URI);
  snprintf(uri, sizeof(uri), "file:%s?cache=private", argv[1]);
  try_open("file cache=private", uri, rwc|SQLITE_OPEN_URI);
  snprintf(uri, sizeof(uri), "file:%s?cache=other", argv[1]);
  try_open("file cache=other", uri, rwc|SQLITE_OPEN_URI);
  try_open("memory cache=private", "file::memory:?cache=private", rwc|SQLITE_OPEN_URI);
  try_open("memory, not a URI, SHAREDCACHE flag", ":memory:", rwc|SQLITE_OPEN_SHAREDCACHE);
  try_open("memory URI, SHAREDCACHE and PRIVATECACHE", "file::memory:", rwc|SQLITE_OPEN_URI|SQLITE_OPEN_SHAREDCACHE|SQLITE_OPEN_PRIVATECACHE);
  return 0;
}
