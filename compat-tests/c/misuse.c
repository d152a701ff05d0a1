/*
** misuse.c: the C boundary under misuse and bad input.
**
** NULL handles where SQLite tolerates them, out-of-range indexes, calls in
** the wrong state, SQL errors and constraint failures: each call's result
** code and error message are printed, and must be the same on Ferrolite
** and on SQLite. Only misuse that SQLite itself survives (without
** SQLITE_ENABLE_API_ARMOR) is exercised.
*/
#include <stdio.h>
#include <string.h>
#include "sqlite3.h"
#include "harness.h"

static void show(const char *what, int rc){
  printf("%s: rc=%d (%s)\n", what, rc, sqlite3_errstr(rc));
}

static void show_err(sqlite3 *db, const char *what, int rc){
  printf("%s: rc=%d errcode=%d extended=%d msg=%s\n", what, rc,
         sqlite3_errcode(db), sqlite3_extended_errcode(db), sqlite3_errmsg(db));
}

int main(int argc, char **argv){
  sqlite3 *db = 0;
  sqlite3_stmt *st = 0;
  const char *tail = 0;
  char *err = 0;
  int rc;

  ferrolite_check_lib();
  if( argc<2 ){ fprintf(stderr, "usage: misuse DBFILE\n"); return 2; }

  /* NULL handles SQLite tolerates. */
  show("close(NULL)", sqlite3_close(0));
  show("close_v2(NULL)", sqlite3_close_v2(0));
  show("finalize(NULL)", sqlite3_finalize(0));
  show("reset(NULL)", sqlite3_reset(0));
  show("step(NULL)", sqlite3_step(0));
  show("bind_int(NULL)", sqlite3_bind_int(0, 1, 1));
  printf("errmsg(NULL): %s\n", sqlite3_errmsg(0));
  printf("errcode(NULL): %d\n", sqlite3_errcode(0));
  printf("column_count(NULL): %d\n", sqlite3_column_count(0));
  printf("data_count(NULL): %d\n", sqlite3_data_count(0));
  printf("sql(NULL) is NULL: %d\n", sqlite3_sql(0)==0);
  sqlite3_free(0);
  printf("errstr(999): %s\n", sqlite3_errstr(999));
  printf("complete: %d %d %d\n", sqlite3_complete("SELECT 1;"),
         sqlite3_complete("SELECT 'a;"), sqlite3_complete("CREATE TRIGGER t AFTER INSERT ON x BEGIN SELECT 1; END;"));

  /* Bad open flags, then a real open. */
  show("open_v2 with no access flags", sqlite3_open_v2(argv[1], &db, 0, 0));
  if( db ){ sqlite3_close(db); db = 0; }
  rc = sqlite3_open_v2("/nonexistent-dir/x.db", &db, SQLITE_OPEN_READWRITE, 0);
  show_err(db, "open in a missing directory", rc);
  sqlite3_close(db); db = 0;
  rc = sqlite3_open_v2(argv[1], &db, SQLITE_OPEN_READWRITE|SQLITE_OPEN_CREATE, 0);
  show_err(db, "open", rc);

  /* SQL errors and their messages. */
  rc = sqlite3_prepare_v2(db, "SELEC 1", -1, &st, &tail);
  show_err(db, "prepare syntax error", rc);
  printf("  stmt is NULL: %d\n", st==0);
  rc = sqlite3_prepare_v2(db, "SELECT * FROM missing", -1, &st, 0);
  show_err(db, "prepare missing table", rc);
  rc = sqlite3_prepare_v2(db, "   -- only a comment\n", -1, &st, &tail);
  show_err(db, "prepare empty", rc);
  printf("  stmt is NULL: %d, tail at end: %d\n", st==0, tail && *tail==0);
  rc = sqlite3_exec(db, "CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT NOT NULL UNIQUE, c CHECK(c>0))", 0, 0, &err);
  show_err(db, "create", rc);
  rc = sqlite3_exec(db, "INSERT INTO t VALUES(1,'x',1); INSERT INTO t VALUES(1,'y',1)", 0, 0, &err);
  show_err(db, "duplicate primary key", rc);
  printf("  exec error string: %s\n", err ? err : "(none)");
  sqlite3_free(err); err = 0;
  rc = sqlite3_exec(db, "INSERT INTO t VALUES(2,'x',1)", 0, 0, &err);
  show_err(db, "duplicate unique", rc);
  sqlite3_free(err); err = 0;
  rc = sqlite3_exec(db, "INSERT INTO t VALUES(3,NULL,1)", 0, 0, &err);
  show_err(db, "not null", rc);
  sqlite3_free(err); err = 0;
  rc = sqlite3_exec(db, "INSERT INTO t(b, c) VALUES('z', 'abc') ; SELECT nosuchfunc(1)", 0, 0, &err);
  show_err(db, "no such function", rc);
  sqlite3_free(err); err = 0;
  sqlite3_extended_result_codes(db, 1);
  rc = sqlite3_exec(db, "INSERT INTO t VALUES(1,'q',1)", 0, 0, 0);
  show_err(db, "extended codes on: duplicate primary key", rc);
  sqlite3_extended_result_codes(db, 0);

  /* Binding and reading out of range, and in the wrong state. */
  rc = sqlite3_prepare_v2(db, "SELECT a, b FROM t WHERE a > ?1 ORDER BY a", -1, &st, 0);
  show_err(db, "prepare", rc);
  show("bind index 0", sqlite3_bind_int(st, 0, 1));
  show("bind index 2", sqlite3_bind_int(st, 2, 1));
  show("bind index 1", sqlite3_bind_int(st, 1, 0));
  printf("column_text before step is NULL: %d\n", sqlite3_column_text(st, 0)==0);
  show("step", sqlite3_step(st));
  show("bind while running", sqlite3_bind_int(st, 1, 5));
  printf("column 5 type: %d, text NULL: %d\n", sqlite3_column_type(st, 5), sqlite3_column_text(st, 5)==0);
  printf("column -1 name NULL: %d\n", sqlite3_column_name(st, -1)==0);
  while( (rc = sqlite3_step(st))==SQLITE_ROW ){}
  show("step to the end", rc);
  show("step after done (auto-reset)", sqlite3_step(st));
  show("reset", sqlite3_reset(st));
  show("close with a live statement", sqlite3_close(db));
  show_err(db, "after refused close", SQLITE_BUSY);
  show("finalize", sqlite3_finalize(st));

  /* A failing step is reported again by reset and finalize. */
  rc = sqlite3_prepare_v2(db, "INSERT INTO t VALUES(1,'w',1)", -1, &st, 0);
  show("step constraint", sqlite3_step(st));
  show("reset after failed step", sqlite3_reset(st));
  show("reset again", sqlite3_reset(st));
  show("finalize", sqlite3_finalize(st));

  /* close_v2 with a live statement leaves a zombie until finalize. */
  rc = sqlite3_prepare_v2(db, "SELECT count(*) FROM t", -1, &st, 0);
  show("step count", sqlite3_step(st));
  printf("count: %d\n", sqlite3_column_int(st, 0));
  show("close_v2 with a live statement", sqlite3_close_v2(db));
  show("finalize frees the zombie", sqlite3_finalize(st));
  return 0;
}
