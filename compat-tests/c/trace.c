/*
** trace.c: sqlite3_trace_v2 events, in order, compared with SQLite.
** Statement starts (with the SQL and its expanded form), result rows,
** profile events (timing not printed) and the close event.
*/
#include <stdio.h>
#include "sqlite3.h"
#include "harness.h"

static int on_trace(unsigned type, void *ctx, void *p, void *x){
  const char *who = (const char*)ctx;
  if( type==SQLITE_TRACE_STMT ){
    char *expanded = sqlite3_expanded_sql((sqlite3_stmt*)p);
    printf("%s STMT %s | %s\n", who, (const char*)x, expanded ? expanded : "(null)");
    sqlite3_free(expanded);
  }else if( type==SQLITE_TRACE_ROW ){
    printf("%s ROW\n", who);
  }else if( type==SQLITE_TRACE_PROFILE ){
    printf("%s PROFILE %s\n", who, sqlite3_sql((sqlite3_stmt*)p));
  }else if( type==SQLITE_TRACE_CLOSE ){
    printf("%s CLOSE\n", who);
  }
  return 0;
}

int main(int argc, char **argv){
  sqlite3 *db;
  sqlite3_stmt *st;
  ferrolite_check_lib();
  if( argc<2 ) return 2;
  sqlite3_open_v2(argv[1], &db, SQLITE_OPEN_READWRITE|SQLITE_OPEN_CREATE, 0);
  /* Schema changes stay out of the traced part: after DDL, SQLite reports
  ** a ROW event for each schema row it re-reads internally. */
  sqlite3_exec(db, "CREATE TABLE t(a, b)", 0, 0, 0);
  printf("trace_v2: %d\n", sqlite3_trace_v2(db, SQLITE_TRACE_STMT|SQLITE_TRACE_ROW|SQLITE_TRACE_PROFILE|SQLITE_TRACE_CLOSE, on_trace, "t"));
  sqlite3_exec(db, "INSERT INTO t VALUES(1, 'x'), (2, 'y');  /* c */ INSERT INTO t VALUES(3, NULL)", 0, 0, 0);
  sqlite3_prepare_v2(db, "SELECT a, b FROM t WHERE a >= ?1 ORDER BY a", -1, &st, 0);
  sqlite3_bind_int(st, 1, 1);
  while( sqlite3_step(st)==SQLITE_ROW ){}
  sqlite3_reset(st);
  sqlite3_bind_text(st, 1, "it's", -1, SQLITE_STATIC);
  while( sqlite3_step(st)==SQLITE_ROW ){}
  sqlite3_finalize(st);
  printf("trace off: %d\n", sqlite3_trace_v2(db, 0, 0, 0));
  sqlite3_exec(db, "SELECT 1", 0, 0, 0);
  sqlite3_trace_v2(db, SQLITE_TRACE_CLOSE, on_trace, "c");
  sqlite3_close(db);
  return 0;
}
