/*
** static.c: a program linked statically against libsqlite3.a. No shared
** libsqlite3 may be mapped, and the library's source id must be
** Ferrolite's: together they prove the archive, not the system's SQLite,
** answered. Ends with "N passed, N failed".
*/
#include <stdio.h>
#include <string.h>
#include "sqlite3.h"

static int passed = 0, failed = 0;
static void check(int ok, const char *what){
  printf("%s %s\n", ok ? "PASS" : "FAIL", what);
  if( ok ) passed++; else failed++;
}

int main(void){
  sqlite3 *db = 0;
  sqlite3_stmt *st = 0;
  char line[4096];
  int mapped = 0;
  FILE *maps = fopen("/proc/self/maps", "r");
  while( maps && fgets(line, sizeof line, maps) ){
    if( strstr(line, "libsqlite3") ) mapped = 1;
  }
  if( maps ) fclose(maps);
  check(!mapped, "no shared libsqlite3 is mapped");
  check(strstr(sqlite3_sourceid(), "ferrolite")!=0, "the linked library is Ferrolite");
  check(strcmp(sqlite3_libversion(), SQLITE_VERSION)==0, "libversion matches the header");
  check(sqlite3_open(":memory:", &db)==SQLITE_OK, "open :memory:");
  check(sqlite3_exec(db, "CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT); INSERT INTO t(b) VALUES('x'),('y')", 0, 0, 0)==SQLITE_OK, "create and insert");
  check(sqlite3_prepare_v2(db, "SELECT group_concat(b, '+') FROM t", -1, &st, 0)==SQLITE_OK, "prepare");
  check(sqlite3_step(st)==SQLITE_ROW && strcmp((const char*)sqlite3_column_text(st, 0), "x+y")==0, "query result");
  sqlite3_finalize(st);
  check(sqlite3_close(db)==SQLITE_OK, "close");
  printf("%d passed, %d failed\n", passed, failed);
  return failed ? 1 : 0;
}
