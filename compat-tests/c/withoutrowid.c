/*
** withoutrowid.c: WITHOUT ROWID tables through the C API. Prints, for
** SQLite's comparison: the errors of their rules with primary and
** extended codes and messages (PRIMARY KEY missing, AUTOINCREMENT, NOT
** NULL key columns, PRIMARY KEY and UNIQUE violations, no rowid),
** sqlite3_changes and sqlite3_last_insert_rowid after writes to them
** (the latter untouched), the update hook (never called for them),
** which constraint a row breaking two reports, DROP INDEX of their indexes,
** the preupdate hook's values,
** sqlite3_blob_open's refusal, EXPLAIN QUERY PLAN of searches through
** the PRIMARY KEY and secondary indexes, and the rows. The database file
** is left for run.sh's cross-library checks (a table of 2000 rows with
** secondary indexes spans several B-tree levels).
**
** Usage: withoutrowid DBFILE
*/
#include <stdio.h>
#include <string.h>
#include <sqlite3.h>
#include "harness.h"
#include "query.h"

static int hook_calls = 0;

static void on_update(void *arg, int op, const char *db, const char *tbl, sqlite3_int64 rowid){
  (void)arg; (void)db; (void)rowid;
  hook_calls++;
  printf("  update hook: op %d on %s\n", op, tbl);
}

/* The preupdate hook: the values in table order (the rowid arguments are
** undefined for these tables, so not printed). */
static void on_preupdate(void *arg, sqlite3 *db, int op, const char *zDb, const char *zTab, sqlite3_int64 k1, sqlite3_int64 k2){
  int n = sqlite3_preupdate_count(db), i;
  (void)arg; (void)k1; (void)k2;
  printf("  preupdate %d %s.%s n=%d depth=%d:", op, zDb, zTab, n, sqlite3_preupdate_depth(db));
  for(i=0; i<n; i++){
    sqlite3_value *v = 0;
    if( op!=SQLITE_INSERT && sqlite3_preupdate_old(db, i, &v)==SQLITE_OK ){
      printf(" old%d=%s", i, v && sqlite3_value_text(v) ? (const char*)sqlite3_value_text(v) : "NULL");
    }
    if( op!=SQLITE_DELETE && sqlite3_preupdate_new(db, i, &v)==SQLITE_OK ){
      printf(" new%d=%s", i, v && sqlite3_value_text(v) ? (const char*)sqlite3_value_text(v) : "NULL");
    }
  }
  printf("\n");
}

static void plan(sqlite3 *db, const char *sql){
  char q[1024];
  sqlite3_stmt *st;
  int rc;
  snprintf(q, sizeof(q), "EXPLAIN QUERY PLAN %s", sql);
  printf("plan %s\n", sql);
  if( sqlite3_prepare_v2(db, q, -1, &st, 0)!=SQLITE_OK ){
    printf("  error: %s\n", sqlite3_errmsg(db));
    return;
  }
  while( (rc = sqlite3_step(st))==SQLITE_ROW ){
    printf("  %s\n", (const char*)sqlite3_column_text(st, 3));
  }
  if( rc!=SQLITE_DONE ) printf("  error: %s\n", sqlite3_errmsg(db));
  sqlite3_finalize(st);
}

/* Runs a write and reports changes() and last_insert_rowid(). */
static void w(sqlite3 *db, const char *sql){
  q(db, 0, sql);
  printf("  changes %d, last_insert_rowid %lld\n", sqlite3_changes(db), (long long)sqlite3_last_insert_rowid(db));
}

static const char *plans[] = {
  "SELECT * FROM t WHERE a = 5",
  "SELECT * FROM t WHERE a > 5",
  "SELECT * FROM t WHERE a BETWEEN 2 AND 9",
  "SELECT * FROM t",
  "SELECT * FROM t ORDER BY a",
  "SELECT * FROM t ORDER BY a DESC",
  "SELECT * FROM t WHERE a IN (1, 2, 3)",
  "SELECT * FROM t WHERE b = 'x'",
  "SELECT a FROM t WHERE b = 'x'",
  "SELECT b, a FROM t WHERE b > 'k'",
  "SELECT * FROM t WHERE c = 7",
  "SELECT a, c FROM t WHERE c = 7",
  "SELECT * FROM p WHERE k = 'a'",
  "SELECT * FROM p WHERE k = 'a' AND n = 2",
  "SELECT * FROM p ORDER BY k, n DESC",
  "SELECT * FROM p ORDER BY k DESC, n",
  "SELECT * FROM p WHERE v = 3",
  "SELECT k FROM p",
  "SELECT c FROM t",
  "SELECT count(*) FROM t",
  "SELECT * FROM t, p WHERE p.k = t.b AND p.n = t.c",
  0
};

int main(int argc, char **argv){
  sqlite3 *db;
  sqlite3_blob *blob = 0;
  int i, rc;
  ferrolite_check_lib();
  if( argc!=2 || sqlite3_open(argv[1], &db)!=SQLITE_OK ) return 1;

  q(db, 0, "CREATE TABLE bad(a, b) WITHOUT ROWID");
  q(db, 0, "CREATE TABLE bad(a INTEGER PRIMARY KEY AUTOINCREMENT, b) WITHOUT ROWID");
  q(db, 0, "CREATE TABLE t(a INT PRIMARY KEY, b TEXT, c UNIQUE, d BLOB) WITHOUT ROWID");
  q(db, 0, "CREATE INDEX tb ON t(b)");
  q(db, 0, "CREATE TABLE p(k TEXT COLLATE NOCASE, n INT, v, PRIMARY KEY(k, n DESC)) WITHOUT ROWID");
  q(db, 0, "CREATE INDEX pv ON p(v)");
  q(db, 0, "CREATE TABLE r(id INTEGER PRIMARY KEY, x)");
  q(db, 0, "SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY rootpage");

  w(db, "INSERT INTO r VALUES(41, 'rowid table')");
  sqlite3_update_hook(db, on_update, 0);
  w(db, "INSERT INTO t VALUES(1, 'x', 10, x'01'), (2, 'y', 20, x'02')");
  w(db, "INSERT INTO t VALUES(1, 'dup', 30, NULL)");
  w(db, "INSERT INTO t VALUES(3, 'z', 10, NULL)");
  w(db, "INSERT INTO t VALUES(NULL, 'no key', 40, NULL)");
  w(db, "INSERT INTO p VALUES('a', 1, 1), ('A', 2, 2)");
  w(db, "INSERT INTO p VALUES('A', 1, 3)");
  w(db, "INSERT INTO p VALUES(NULL, 1, 3)");
  w(db, "INSERT OR REPLACE INTO t VALUES(2, 'y2', 10, NULL)");
  w(db, "UPDATE t SET b = 'u' WHERE a = 1");
  w(db, "UPDATE t SET a = 5 WHERE a = 2");
  w(db, "DELETE FROM t WHERE a = 5");
  w(db, "INSERT INTO r VALUES(42, 'hooked')");
  printf("update hook calls: %d\n", hook_calls);
  sqlite3_update_hook(db, 0, 0);
  /* The preupdate hook reports their changes, values in table order. */
  q(db, 0, "CREATE TABLE h(a, b TEXT, c REAL, PRIMARY KEY(b, a)) WITHOUT ROWID");
  q(db, 0, "CREATE INDEX hc ON h(c)");
  sqlite3_preupdate_hook(db, on_preupdate, 0);
  q(db, 0, "INSERT INTO h VALUES(1, 'x', 3), (2, 'y', 4)");
  q(db, 0, "UPDATE h SET c = c + 1 WHERE a = 1");
  q(db, 0, "UPDATE h SET a = 5 WHERE a = 2");
  q(db, 0, "INSERT OR REPLACE INTO h VALUES(5, 'y', 9)");
  q(db, 0, "ALTER TABLE h ADD COLUMN d DEFAULT 'dflt'");
  q(db, 0, "DELETE FROM h WHERE a = 1");
  q(db, 0, "INSERT INTO h VALUES(7, 'z', 1, 'dd')");
  q(db, 0, "DELETE FROM h");
  sqlite3_preupdate_hook(db, 0, 0);
  q(db, 0, "SELECT rowid FROM t");
  q(db, 0, "SELECT _rowid_, * FROM p");
  q(db, 0, "INSERT INTO t(rowid, a) VALUES(9, 9)");
  q(db, 0, "UPDATE t SET rowid = 3");

  /* Which constraint a row breaking two is reported for: the PRIMARY KEY
  ** takes its turn among the UNIQUE constraints by declaration order. */
  q(db, 0, "CREATE TABLE o1(a PRIMARY KEY, c UNIQUE) WITHOUT ROWID");
  q(db, 0, "CREATE TABLE o2(c UNIQUE, a PRIMARY KEY) WITHOUT ROWID");
  q(db, 0, "CREATE TABLE o3(a, b, UNIQUE(a, b), PRIMARY KEY(a, b)) WITHOUT ROWID");
  q(db, 0, "INSERT INTO o1 VALUES(1, 1), (1, 1)");
  q(db, 0, "INSERT INTO o2 VALUES(1, 1), (1, 1)");
  q(db, 0, "INSERT INTO o3 VALUES(1, 2), (1, 2)");
  q(db, 0, "SELECT name FROM sqlite_schema WHERE tbl_name LIKE 'o_' ORDER BY name");
  q(db, 0, "PRAGMA index_list(o3)");
  q(db, 0, "DROP INDEX sqlite_autoindex_o1_1");
  q(db, 0, "DROP INDEX sqlite_autoindex_o1_2");

  rc = sqlite3_blob_open(db, "main", "t", "d", 1, 0, &blob);
  printf("blob_open: rc %d, %s, handle %s\n", rc, sqlite3_errmsg(db), blob ? "set" : "null");
  if( blob ) sqlite3_blob_close(blob);

  q(db, 0, "BEGIN");
  for(i=0; i<2000; i++){
    char sql[200];
    snprintf(sql, sizeof(sql), "INSERT INTO t VALUES(%d, 'b%04d', %d, zeroblob(%d))", 100 + i, (i * 7) % 2000, 1000 + i, (i % 50) * 20);
    sqlite3_exec(db, sql, 0, 0, 0);
    snprintf(sql, sizeof(sql), "INSERT INTO p VALUES('k%03d', %d, %d)", i % 300, i, i % 13);
    sqlite3_exec(db, sql, 0, 0, 0);
  }
  q(db, 0, "COMMIT");
  q(db, 0, "DELETE FROM t WHERE a % 3 = 0 AND a > 100");
  q(db, 0, "UPDATE p SET n = n + 5000 WHERE v = 4");
  q(db, 0, "SELECT count(*), sum(a), sum(length(d)), min(b), max(b) FROM t");
  q(db, 0, "SELECT count(*), sum(n), sum(v) FROM p");
  q(db, 0, "SELECT * FROM p WHERE k = 'K007' ORDER BY n DESC");
  q(db, 0, "SELECT a, b FROM t WHERE b BETWEEN 'b0100' AND 'b0110'");
  q(db, 0, "PRAGMA integrity_check");
  for(i=0; plans[i]; i++) plan(db, plans[i]);
  sqlite3_close(db);
  return 0;
}
