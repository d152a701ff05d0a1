/*
** query.h: the statement runner shared by the C compat tests that drive
** several connections (wal.c, walreadonly.c, snapshot.c, journallimit.c,
** locking.c, beginlocks.c). Include after harness.h.
**
** q(db, who, sql) prints "who: sql ->" (or "sql ->" when who is NULL),
** each row as its columns' text separated by ";", and how the statement
** ended: a prepare error, or a step error with its primary and extended
** codes and message. Both libraries must print the same lines. exec()
** and eqp() below run a statement quietly and print a query plan.
*/
#ifndef FERROLITE_QUERY_H
#define FERROLITE_QUERY_H

#include <stdio.h>

static void q(sqlite3 *db, const char *who, const char *sql){
  sqlite3_stmt *st;
  int rc = sqlite3_prepare_v2(db, sql, -1, &st, 0);
  if( who ) printf("%s: ", who);
  printf("%s ->", sql);
  if( rc!=SQLITE_OK ){
    printf(" prepare error %d %s\n", sqlite3_extended_errcode(db), sqlite3_errmsg(db));
    return;
  }
  while( (rc = sqlite3_step(st))==SQLITE_ROW ){
    int i;
    for(i=0; i<sqlite3_column_count(st); i++){
      const unsigned char *t = sqlite3_column_text(st, i);
      printf(" %s", t ? (const char*)t : "NULL");
    }
    printf(";");
  }
  if( rc!=SQLITE_DONE ) printf(" error %d/%d %s", rc, sqlite3_extended_errcode(db), sqlite3_errmsg(db));
  sqlite3_finalize(st);
  printf("\n");
}

/* exec(db, sql): runs sql with sqlite3_exec, printing only an error. */
static inline void exec(sqlite3 *db, const char *sql){
  char *e = 0;
  if( sqlite3_exec(db, sql, 0, 0, &e)!=SQLITE_OK ){
    printf("exec error: %s\n", e ? e : "?");
    sqlite3_free(e);
  }
}

/* eqp(db, sql): "sql ->" and EXPLAIN QUERY PLAN's detail column alone
** (the ids are each library's own numbers). */
static inline void eqp(sqlite3 *db, const char *sql){
  sqlite3_stmt *st;
  printf("%s ->", sql);
  if( sqlite3_prepare_v2(db, sql, -1, &st, 0)!=SQLITE_OK ){
    printf(" prepare error %s\n", sqlite3_errmsg(db));
    return;
  }
  while( sqlite3_step(st)==SQLITE_ROW ) printf(" %s;", (const char*)sqlite3_column_text(st, 3));
  sqlite3_finalize(st);
  printf("\n");
}

#endif
