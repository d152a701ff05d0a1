/*
** open16.c: sqlite3_open16 (a UTF-16 file name) creates a database in
** UTF-16, native byte order, as SQLite does; text round-trips.
*/
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "sqlite3.h"
#include "harness.h"
int main(int argc, char **argv){
  sqlite3 *db; sqlite3_stmt *st; unsigned short name[512]; int i;
  ferrolite_check_lib();
  if( argc<2 || strlen(argv[1])>=sizeof(name)/sizeof(name[0]) ) return 2;
  for(i=0; argv[1][i]; i++) name[i] = (unsigned char)argv[1][i];
  name[i] = 0;
  unlink(argv[1]);
  printf("open16: %d\n", sqlite3_open16(name, &db));
  sqlite3_prepare_v2(db, "PRAGMA encoding", -1, &st, 0);
  while( sqlite3_step(st)==SQLITE_ROW ) printf("encoding: %s\n", sqlite3_column_text(st, 0));
  sqlite3_finalize(st);
  sqlite3_exec(db, "CREATE TABLE t(a); INSERT INTO t VALUES('hé')", 0, 0, 0);
  sqlite3_prepare_v2(db, "SELECT a, hex(a) FROM t", -1, &st, 0);
  while( sqlite3_step(st)==SQLITE_ROW ) printf("%s %s\n", sqlite3_column_text(st, 0), sqlite3_column_text(st, 1));
  sqlite3_finalize(st);
  sqlite3_close(db);
  return 0;
}
