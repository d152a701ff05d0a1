/*
** dbcheck: reads a database file with whichever libsqlite3 it is run
** against, for the cross-library file checks of compat-tests/c/run.sh.
**
**   dbcheck integrity DBFILE   prints the rows of PRAGMA integrity_check
**   dbcheck dump DBFILE        prints sqlite_schema, then every row of every
**                              table in rowid order, one value per column:
**                              NULL, integers, REAL as column_text, text in
**                              quotes, blobs in hex
**
** The database is opened read-only. Exit status 0 on success, 1 on any
** error (the error is printed), 2 if the wrong library is loaded.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sqlite3.h"
#include "../harness.h"

static sqlite3 *db;

/* "SELECT * FROM "name"<tail>" with the name's double quotes doubled;
** the buffer is malloc()ed (NULL when out of memory). Uses no SQLite
** printf so that the tool needs as few library functions as possible. */
static char *select_all(const char *name, const char *tail){
  size_t n = strlen(name), k = 0, i;
  char *z = malloc(2*n + strlen(tail) + 32);
  if( z==0 ) return 0;
  k += sprintf(z, "SELECT * FROM \"");
  for(i=0; i<n; i++){
    if( name[i]=='"' ) z[k++] = '"';
    z[k++] = name[i];
  }
  z[k++] = '"';
  strcpy(z+k, tail);
  return z;
}

static int dump_query(const char *sql, int quiet_prepare_error){
  sqlite3_stmt *st = 0;
  int rc = sqlite3_prepare_v2(db, sql, -1, &st, 0);
  int i, ncol;
  if( rc!=SQLITE_OK || st==0 ){
    if( !quiet_prepare_error ){
      printf("ERROR: prepare [%s]: rc=%d %s\n", sql, rc, sqlite3_errmsg(db));
    }
    sqlite3_finalize(st);
    return -1;
  }
  ncol = sqlite3_column_count(st);
  while( (rc = sqlite3_step(st))==SQLITE_ROW ){
    for(i=0; i<ncol; i++){
      if( i ) printf("|");
      switch( sqlite3_column_type(st, i) ){
        case SQLITE_NULL: printf("NULL"); break;
        case SQLITE_INTEGER: printf("%lld", (long long)sqlite3_column_int64(st, i)); break;
        case SQLITE_FLOAT: {
          const unsigned char *z = sqlite3_column_text(st, i);
          printf("%s", z ? (const char*)z : "<null>");
          break;
        }
        case SQLITE_TEXT: {
          const unsigned char *z = sqlite3_column_text(st, i);
          printf("'%s'", z ? (const char*)z : "<null>");
          break;
        }
        case SQLITE_BLOB: {
          const unsigned char *b = sqlite3_column_blob(st, i);
          int n = sqlite3_column_bytes(st, i), k;
          printf("x'");
          for(k=0; b && k<n; k++) printf("%02x", b[k]);
          printf("'");
          break;
        }
        default: printf("<type?>");
      }
    }
    printf("\n");
  }
  sqlite3_finalize(st);
  if( rc!=SQLITE_DONE ){
    printf("ERROR: step [%s]: rc=%d %s\n", sql, rc, sqlite3_errmsg(db));
    return 1;
  }
  return 0;
}

int main(int argc, char **argv){
  int rc, nerr = 0;
  ferrolite_check_lib();
  if( argc!=3 || (strcmp(argv[1], "integrity")!=0 && strcmp(argv[1], "dump")!=0) ){
    fprintf(stderr, "usage: %s integrity|dump DBFILE\n", argv[0]);
    return 1;
  }
  rc = sqlite3_open_v2(argv[2], &db, SQLITE_OPEN_READONLY, 0);
  if( rc!=SQLITE_OK ){
    printf("ERROR: open %s: rc=%d %s\n", argv[2], rc, db ? sqlite3_errmsg(db) : "");
    sqlite3_close(db);
    return 1;
  }
  if( strcmp(argv[1], "integrity")==0 ){
    nerr += dump_query("PRAGMA integrity_check", 0)!=0;
  }else{
    sqlite3_stmt *tables = 0;
    printf("-- schema\n");
    nerr += dump_query("SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY type, name", 0)!=0;
    rc = sqlite3_prepare_v2(db,
        "SELECT name FROM sqlite_schema WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
        -1, &tables, 0);
    if( rc!=SQLITE_OK ){
      printf("ERROR: list tables: rc=%d %s\n", rc, sqlite3_errmsg(db));
      nerr++;
    }else{
      while( sqlite3_step(tables)==SQLITE_ROW ){
        const unsigned char *name = sqlite3_column_text(tables, 0);
        char *sql;
        int r;
        if( name==0 ) continue;
        printf("-- table %s\n", name);
        sql = select_all((const char*)name, " ORDER BY rowid");
        r = sql ? dump_query(sql, 1) : 1;
        free(sql);
        if( r<0 ){
          /* WITHOUT ROWID tables: primary key order */
          sql = select_all((const char*)name, "");
          r = sql ? dump_query(sql, 0) : 1;
          free(sql);
        }
        nerr += r!=0;
      }
      sqlite3_finalize(tables);
    }
  }
  if( sqlite3_close(db)!=SQLITE_OK ){
    printf("ERROR: close\n");
    nerr++;
  }
  return nerr ? 1 : 0;
}
