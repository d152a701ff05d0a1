/*
** stepstate.c: what a connection reports around sqlite3_step, compared
** with SQLite (behaviours the Objective-C client of compat-tests/objc
** leans on):
**   - sqlite3_errcode / sqlite3_errmsg after a step that returned
**     SQLITE_ROW or SQLITE_DONE, then after reset;
**   - sqlite3_interrupt between two steps of a running statement stops it
**     at the next step, however short that step; the next statement runs;
**   - SQLITE_LIMIT_LENGTH: sqlite3_limit's floor, binds past it (the error
**     outlives the reset or finalize of a statement never stepped), and
**     function results, || results, records (rows) and result column names
**     or declared types past it ("string or blob too big").
*/
#include <stdio.h>
#include <string.h>
#include "sqlite3.h"
#include "harness.h"

static void report(sqlite3 *db, const char *what, int rc){
  printf("%s: rc %d errcode %d extended %d errmsg '%s'\n", what, rc,
         sqlite3_errcode(db), sqlite3_extended_errcode(db), sqlite3_errmsg(db));
}

/* Steps `sql` once and prints its first value, or the error. */
static void one(sqlite3 *db, const char *sql){
  sqlite3_stmt *st = 0;
  int rc = sqlite3_prepare_v2(db, sql, -1, &st, 0);
  if( rc!=SQLITE_OK ){
    report(db, sql, rc);
    return;
  }
  rc = sqlite3_step(st);
  if( rc==SQLITE_ROW ){
    printf("%s: %s\n", sql, (const char*)sqlite3_column_text(st, 0));
  }else{
    report(db, sql, rc);
  }
  sqlite3_finalize(st);
}

int main(int argc, char **argv){
  sqlite3 *db;
  sqlite3_stmt *st;
  int rc, rows;
  char big[200];
  ferrolite_check_lib();
  if( argc<2 ) return 2;
  if( sqlite3_open(argv[1], &db)!=SQLITE_OK ) return 1;

  printf("-- errcode after step\n");
  sqlite3_prepare_v2(db, "select 1 union all select 2", -1, &st, 0);
  report(db, "prepared", SQLITE_OK);
  rc = sqlite3_step(st); report(db, "step 1", rc);
  rc = sqlite3_step(st); report(db, "step 2", rc);
  rc = sqlite3_step(st); report(db, "step 3", rc);
  rc = sqlite3_reset(st); report(db, "reset", rc);
  rc = sqlite3_step(st); report(db, "step again", rc);
  rc = sqlite3_finalize(st); report(db, "finalize", rc);
  one(db, "select * from nosuch");
  sqlite3_prepare_v2(db, "select 1", -1, &st, 0);
  report(db, "prepare after an error", SQLITE_OK);
  rc = sqlite3_step(st); report(db, "its step", rc);
  sqlite3_finalize(st);

  printf("-- interrupt between steps\n");
  sqlite3_exec(db, "create table n(x); insert into n select value from "
                   "(with recursive c(value) as (select 1 union all select value+1 from c where value<100) "
                   "select value from c)", 0, 0, 0);
  sqlite3_prepare_v2(db, "select a.x from n a, n b", -1, &st, 0);
  rows = 0;
  while( (rc = sqlite3_step(st))==SQLITE_ROW ){
    if( ++rows==3 ) sqlite3_interrupt(db);
  }
  printf("rows before the interrupt took effect: %d\n", rows);
  report(db, "interrupted step", rc);
  printf("is_interrupted while the statement is open: %d\n", sqlite3_is_interrupted(db));
  rc = sqlite3_reset(st); report(db, "reset", rc);
  sqlite3_finalize(st);
  one(db, "select count(*) from n");
  sqlite3_interrupt(db);
  one(db, "select count(*) from n a, n b");

  printf("-- SQLITE_LIMIT_LENGTH\n");
  sqlite3_exec(db, "create table r(a); create table d(x varchar(1000000000000000000000))", 0, 0, 0);
  printf("set 10: old %d\n", sqlite3_limit(db, SQLITE_LIMIT_LENGTH, 10));
  printf("now %d\n", sqlite3_limit(db, SQLITE_LIMIT_LENGTH, -1));
  memset(big, 'x', sizeof big);
  sqlite3_prepare_v2(db, "select length(?)", -1, &st, 0);
  rc = sqlite3_bind_text(st, 1, big, 30, SQLITE_STATIC); report(db, "bind 30 bytes", rc);
  rc = sqlite3_bind_text(st, 1, big, 31, SQLITE_STATIC); report(db, "bind 31 bytes", rc);
  rc = sqlite3_bind_blob(st, 1, big, 31, SQLITE_STATIC); report(db, "bind a 31-byte blob", rc);
  rc = sqlite3_reset(st); report(db, "reset, never stepped", rc);
  rc = sqlite3_bind_text(st, 1, big, 31, SQLITE_STATIC); report(db, "bind 31 bytes again", rc);
  rc = sqlite3_finalize(st); report(db, "finalize, never stepped", rc);
  one(db, "select length(zeroblob(30))");
  one(db, "select length(zeroblob(31))");
  one(db, "select length(randomblob(31))");
  one(db, "select length(printf('%40s', 'x'))");
  one(db, "select length(replace('aaaaaaaaaa', 'a', 'bbbb'))");
  one(db, "select length(group_concat(x)) from n");
  one(db, "select length(char(65,66))");
  /* Short result column names: a name is a string the limit applies to. */
  one(db, "select length('aaaaaaaaaaaaaaa' || 'bbbbbbbbbbbbbbb') as v");
  one(db, "select length('aaaaaaaaaaaaaaa' || 'bbbbbbbbbbbbbbbb') as v");
  one(db, "insert into r values ('xxxxxxxxxxxxxxxxxxxxxxxxxxxx')");  /* a 30-byte record */
  one(db, "insert into r values ('xxxxxxxxxxxxxxxxxxxxxxxxxxxxx')"); /* 31 bytes */
  one(db, "select count(*) from r");
  one(db, "select 1 as aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
  one(db, "select 1 as aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
  one(db, "select 1 as \"select 1 as aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"");
  one(db, "select x from d");
  sqlite3_limit(db, SQLITE_LIMIT_LENGTH, 1000000000);
  one(db, "select length(group_concat(x)) from n");

  sqlite3_close(db);
  return 0;
}
