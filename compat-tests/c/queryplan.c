/*
** queryplan.c: EXPLAIN QUERY PLAN in SQLite's words. Each query's plan is
** printed as its tree of details (indented by depth, found from the
** parent ids; the ids themselves are addresses and may differ), so the
** planner's choices are compared with the reference: indexes for
** equality, ranges and IN, multi-column prefixes, covering indexes,
** ORDER BY / GROUP BY / DISTINCT by an index (forwards and backwards,
** with ranges), rowid lookups and ranges, join orders, automatic
** indexes, MULTI-INDEX OR, subqueries, and generated columns. Plans
** known to differ from SQLite's are listed in docs/COMPAT.md (EXPLAIN
** QUERY PLAN) rather than here.
*/
#include <stdio.h>
#include <string.h>
#include <sqlite3.h>
#include "harness.h"

static void plan(sqlite3 *db, const char *sql){
  char q[2048];
  sqlite3_stmt *st;
  int ids[256], depth[256], n = 0, rc;
  snprintf(q, sizeof(q), "EXPLAIN QUERY PLAN %s", sql);
  printf("%s\n", sql);
  if( sqlite3_prepare_v2(db, q, -1, &st, 0)!=SQLITE_OK ){
    printf("  error: %s\n", sqlite3_errmsg(db));
    return;
  }
  while( (rc = sqlite3_step(st))==SQLITE_ROW ){
    int id = sqlite3_column_int(st, 0), parent = sqlite3_column_int(st, 1), d = 0, i;
    for(i=0; i<n; i++) if( ids[i]==parent ) d = depth[i] + 1;
    if( n<256 ){ ids[n] = id; depth[n] = d; n++; }
    printf("  %*s%s\n", d*2, "", (const char*)sqlite3_column_text(st, 3));
  }
  if( rc!=SQLITE_DONE ) printf("  error: %s\n", sqlite3_errmsg(db));
  sqlite3_finalize(st);
}

static const char *schema =
  "CREATE TABLE t(a INTEGER, b TEXT, c REAL, d);"
  "CREATE INDEX ta ON t(a);"
  "CREATE INDEX tbc ON t(b, c);"
  "CREATE INDEX tda ON t(d, a);"
  "CREATE TABLE u(id INTEGER PRIMARY KEY, x INT, y TEXT, z);"
  "CREATE UNIQUE INDEX ux ON u(x);"
  "CREATE INDEX uyz ON u(y, z DESC);"
  "CREATE TABLE v(k, w);"
  "CREATE TABLE g(id INTEGER PRIMARY KEY, p INT, q AS (p * 2), r AS (p + 1) STORED);"
  "CREATE INDEX gq ON g(q);"
  "CREATE INDEX gr ON g(r);"
  "CREATE TABLE dr(a INT, b TEXT, c);"
  "CREATE INDEX dra ON dr(a DESC);"
  "CREATE INDEX drbc ON dr(b, c DESC);"
  "CREATE TABLE dw(a INT, b, c, PRIMARY KEY(a DESC, b)) WITHOUT ROWID;"
  "CREATE TABLE ex(id INTEGER PRIMARY KEY, a INT, b TEXT, c REAL);"
  "CREATE INDEX exlb ON ex(lower(b));"
  "CREATE INDEX exac ON ex(a + c DESC);"
  "CREATE INDEX exsub ON ex(substr(b, 1, 1), a);";

static const char *queries[] = {
  /* rowid */
  "SELECT * FROM u WHERE id = 5",
  "SELECT * FROM u WHERE id > 5",
  "SELECT * FROM u WHERE id BETWEEN 2 AND 9 ORDER BY id DESC",
  "SELECT * FROM u WHERE rowid IN (1, 2, 3)",
  /* equality, ranges, IN, prefixes */
  "SELECT * FROM t WHERE a = 1",
  "SELECT * FROM t WHERE a > 1",
  "SELECT * FROM t WHERE a > 1 AND a <= 9",
  "SELECT * FROM t WHERE a IN (1, 5, 9)",
  "SELECT * FROM t WHERE b = 'x' AND c > 2",
  "SELECT * FROM t WHERE b = 'x' AND c BETWEEN 1 AND 4",
  "SELECT * FROM u WHERE x = 3",
  "SELECT * FROM u WHERE y = 'k' AND z = 2",
  /* covering */
  "SELECT a FROM t WHERE a > 3",
  "SELECT b, c FROM t WHERE b = 'x'",
  "SELECT count(*) FROM t WHERE a > 3",
  "SELECT a, d FROM t WHERE d = 2",
  /* ORDER BY by an index, both ways, with ranges */
  "SELECT * FROM t ORDER BY a",
  "SELECT * FROM t ORDER BY a DESC",
  "SELECT * FROM t WHERE a > 5 ORDER BY a DESC",
  "SELECT * FROM t WHERE a BETWEEN 5 AND 10 ORDER BY a DESC",
  "SELECT * FROM t WHERE a < 5 ORDER BY a DESC LIMIT 3",
  "SELECT * FROM t WHERE b = 'x' AND c > 5 ORDER BY c DESC",
  "SELECT * FROM t WHERE b = 'x' AND c > 5 ORDER BY b DESC, c DESC",
  "SELECT * FROM t WHERE b > 'a' ORDER BY b DESC, c DESC",
  "SELECT * FROM t WHERE b = 'x' ORDER BY c",
  "SELECT * FROM t WHERE b = 'x' ORDER BY c DESC",
  "SELECT * FROM u WHERE y = 'k' ORDER BY z DESC",
  /* GROUP BY and DISTINCT by an index */
  "SELECT a, count(*) FROM t GROUP BY a",
  "SELECT b, max(c) FROM t GROUP BY b",
  "SELECT DISTINCT a FROM t",
  "SELECT DISTINCT b FROM t ORDER BY b DESC",
  /* joins */
  "SELECT * FROM t, u WHERE t.a = u.x",
  "SELECT * FROM u, t WHERE t.a = u.id",
  "SELECT * FROM t LEFT JOIN u ON u.x = t.a",
  "SELECT * FROM t, v WHERE t.d = v.k",
  "SELECT * FROM t JOIN u ON u.id = t.a JOIN v ON v.k = u.x",
  /* OR */
  "SELECT * FROM t WHERE a = 1 OR b = 'x'",
  "SELECT * FROM t WHERE a = 1 OR a = 7",
  /* subqueries */
  /* generated columns */
  "SELECT * FROM g WHERE q = 4",
  "SELECT q FROM g",
  "SELECT r FROM g ORDER BY r",
  "SELECT * FROM g WHERE r > 1 ORDER BY r DESC",
  /* ranges on DESC index and PRIMARY KEY columns, walked both ways */
  "SELECT * FROM dr WHERE a > 5",
  "SELECT * FROM dr WHERE a < 5",
  "SELECT * FROM dr WHERE a BETWEEN 1 AND 9",
  "SELECT * FROM dr WHERE a > 5 ORDER BY a",
  "SELECT * FROM dr WHERE a < 5 ORDER BY a DESC LIMIT 3",
  "SELECT * FROM dr WHERE b = 'x' AND c < 3",
  "SELECT * FROM dr WHERE b = 'x' AND c > 3 ORDER BY c",
  "SELECT * FROM dr WHERE b = 'x' AND c > 3 ORDER BY c DESC",
  "SELECT * FROM t, dr WHERE dr.a > t.a AND dr.a < t.a + 5",
  "SELECT * FROM dw WHERE a > 3",
  "SELECT * FROM dw WHERE a = 5 AND b > 2",
  "SELECT * FROM dw WHERE a < 3 ORDER BY a",
  "SELECT * FROM dr WHERE a > 9 OR b < 'c'",
  "SELECT * FROM dr WHERE a > 9 OR a < 2",
  /* IS NULL and IS as index equalities */
  "SELECT * FROM t WHERE a IS NULL",
  "SELECT * FROM t WHERE b IS NULL AND c > 1",
  "SELECT * FROM t WHERE a IS 3",
  "SELECT * FROM u WHERE id IS 5",
  "SELECT * FROM v, t WHERE t.d IS v.k",
  "SELECT * FROM t WHERE a IS NULL OR b IS 'x'",
  "SELECT * FROM t WHERE a IS NOT NULL AND a < 5",
  "SELECT * FROM dr WHERE a NOT NULL AND a < 5",
  "SELECT * FROM dr WHERE a IS NOT NULL AND a > 5",
  "SELECT * FROM t WHERE a IS NOT NULL",
  /* indexes on expressions searched */
  "SELECT * FROM ex WHERE lower(b) = 'ab'",
  "SELECT id FROM ex WHERE LOWER(ex.b) = 'ab'",
  "SELECT * FROM ex WHERE 'ab' = lower(b)",
  "SELECT * FROM ex WHERE lower(b) IS NULL",
  "SELECT * FROM ex WHERE lower(b) IN ('ab', 'c')",
  "SELECT * FROM ex WHERE a + c > 3",
  "SELECT * FROM ex WHERE a + c BETWEEN 2 AND 6",
  "SELECT * FROM ex WHERE substr(b, 1, 1) = 'A' AND a > 1",
  "SELECT * FROM v, ex WHERE lower(ex.b) = v.k",
  "SELECT * FROM ex WHERE lower(b) = 'ab' OR a + c < 2",
  "SELECT * FROM ex WHERE upper(b) = 'AB'",
  "SELECT lower(b) FROM ex WHERE lower(b) = 'ab'",
  "SELECT lower(b), id FROM ex WHERE lower(b) > 'a' ORDER BY lower(b)",
  "SELECT * FROM ex ORDER BY lower(b)",
  "SELECT a + c, id FROM ex ORDER BY a + c DESC LIMIT 3",
  "SELECT substr(b, 1, 1), a FROM ex WHERE substr(b, 1, 1) = 'a' ORDER BY a DESC",
  "SELECT lower(b), count(*) FROM ex GROUP BY lower(b)",
  "SELECT DISTINCT lower(b) FROM ex",
  "SELECT id FROM ex WHERE lower(b) = 'x' ORDER BY lower(b)",
  0
};

int main(void){
  sqlite3 *db;
  int i;
  ferrolite_check_lib();
  if( sqlite3_open(":memory:", &db)!=SQLITE_OK ) return 1;
  if( sqlite3_exec(db, schema, 0, 0, 0)!=SQLITE_OK ){
    printf("schema: %s\n", sqlite3_errmsg(db));
    return 1;
  }
  for(i=0; queries[i]; i++) plan(db, queries[i]);
  sqlite3_close(db);
  return 0;
}
