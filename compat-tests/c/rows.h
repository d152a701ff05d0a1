/*
** rows.h: printing helpers shared by the C compat tests that print rows
** as text (backup.c, serialize.c). Include after sqlite3.h.
**
** show() prints a statement, then each row as its columns' text (NULL
** for NULL), then how the statement ended if not with SQLITE_DONE;
** show_values() does the same with each value by its type (print_value:
** integers, reals with %g, 'text', blob) on "  row:" lines (vtab.c,
** vtab_kv.c);
** err() prints a connection's error code and message; open_db() opens a
** connection or exits.
*/
#ifndef FERROLITE_ROWS_H
#define FERROLITE_ROWS_H

#include <stdio.h>
#include <stdlib.h>

static inline void show(sqlite3 *db, const char *sql){
  sqlite3_stmt *st = 0;
  int rc = sqlite3_prepare_v2(db, sql, -1, &st, 0);
  printf("%s\n", sql);
  if( rc!=SQLITE_OK ){
    printf("  prepare rc=%d %s\n", rc, sqlite3_errmsg(db));
    return;
  }
  while( (rc = sqlite3_step(st))==SQLITE_ROW ){
    int i, n = sqlite3_column_count(st);
    printf(" ");
    for(i=0; i<n; i++){
      const unsigned char *t = sqlite3_column_text(st, i);
      printf(" %s", t ? (const char*)t : "NULL");
    }
    printf("\n");
  }
  if( rc!=SQLITE_DONE ) printf("  step rc=%d %s\n", rc, sqlite3_errmsg(db));
  sqlite3_finalize(st);
}

static inline void print_value(sqlite3_value *v){
  switch( sqlite3_value_type(v) ){
    case SQLITE_NULL: printf("NULL"); break;
    case SQLITE_INTEGER: printf("%lld", sqlite3_value_int64(v)); break;
    case SQLITE_FLOAT: printf("%g", sqlite3_value_double(v)); break;
    case SQLITE_TEXT: printf("'%s'", (const char*)sqlite3_value_text(v)); break;
    default: printf("blob"); break;
  }
}

static inline void show_values(sqlite3 *db, const char *sql){
  sqlite3_stmt *st = 0;
  int rc;
  printf("%s\n", sql);
  rc = sqlite3_prepare_v2(db, sql, -1, &st, 0);
  if( rc!=SQLITE_OK ){
    printf("  prepare rc=%d %s\n", rc, sqlite3_errmsg(db));
    return;
  }
  while( (rc = sqlite3_step(st))==SQLITE_ROW ){
    int i, n = sqlite3_column_count(st);
    printf("  row:");
    for(i=0; i<n; i++){
      printf(" ");
      print_value(sqlite3_column_value(st, i));
    }
    printf("\n");
  }
  if( rc!=SQLITE_DONE ) printf("  step rc=%d %s\n", rc, sqlite3_errmsg(db));
  rc = sqlite3_finalize(st);
  if( rc!=SQLITE_OK ) printf("  finalize rc=%d %s\n", rc, sqlite3_errmsg(db));
}

static inline void err(const char *what, sqlite3 *db){
  printf("  %s: errcode=%d errmsg=%s\n", what, sqlite3_errcode(db), sqlite3_errmsg(db));
}

static inline sqlite3 *open_db(const char *path){
  sqlite3 *db = 0;
  if( sqlite3_open(path, &db)!=SQLITE_OK ){
    printf("open %s failed\n", path);
    exit(1);
  }
  return db;
}

#endif /* FERROLITE_ROWS_H */
