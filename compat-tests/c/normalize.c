/*
** normalize.c: sqlite3_normalized_sql. Literals, parameters and NULL
** become ? (NULL kept after IS / NOT), IN lists of values collapse to
** (?,?,?), identifiers are lower-cased and unquoted when they can be
** (quoted otherwise, a keyword used as a name too), a double-quoted name
** used as a string is a literal, keywords and operators are upper-cased,
** whitespace and comments go, and a ; ends the text; for every kind of
** statement, from sqlite3_prepare, _v2 and _v3, with a second statement
** in the same text, and the same pointer on a second call.
*/
#include "harness.h"
#include <sqlite3.h>

static void norm(sqlite3 *db, int how, const char *sql){
  sqlite3_stmt *st = 0;
  const char *tail = 0;
  int rc;
  if( how==1 ) rc = sqlite3_prepare(db, sql, -1, &st, &tail);
  else if( how==3 ) rc = sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_NORMALIZE, &st, &tail);
  else rc = sqlite3_prepare_v2(db, sql, -1, &st, &tail);
  printf("%s\n", sql);
  if( rc ){ printf("  prepare rc=%d %s\n", rc, sqlite3_errmsg(db)); return; }
  if( st==0 ){ printf("  (no statement)\n"); return; }
  {
    const char *a = sqlite3_normalized_sql(st);
    const char *b = sqlite3_normalized_sql(st);
    printf("  -> %s%s\n", a ? a : "NULL", a==b ? "" : " (pointer changed)");
  }
  if( tail && *tail ) printf("  tail: %s\n", tail);
  sqlite3_finalize(st);
}

int main(int argc, char **argv){
  sqlite3 *db;
  ferrolite_check_lib();
  setvbuf(stdout, 0, _IONBF, 0);
  if( argc<2 ) return 2;
  remove(argv[1]);
  if( sqlite3_open(argv[1], &db) ) return 1;
  sqlite3_exec(db, "CREATE TABLE t(a, b, \"My Col\", [select], c_2); CREATE TABLE \"Odd Name\"(x)", 0, 0, 0);

  norm(db, 2, "SELECT 1");
  norm(db, 2, "select a, b from t where a = 5 and b = 'x';");
  norm(db, 2, "SELECT a,b FROM t WHERE a=-5.5e3 OR b=x'00ff' OR a=?1 OR b=:name OR a=@v OR b=$w");
  norm(db, 2, "SELECT * FROM t WHERE a IS NULL OR b IS NOT NULL OR a = NULL OR b NOT NULL");
  norm(db, 2, "SELECT * FROM t WHERE a IN (1, 2, 3, 4, 5)");
  norm(db, 2, "SELECT * FROM t WHERE a IN (1) AND b NOT IN ('x', 'y')");
  norm(db, 2, "SELECT * FROM t WHERE a IN (b, 2)");
  norm(db, 2, "SELECT * FROM t WHERE a IN (SELECT a FROM t WHERE b IN (3, 4))");
  norm(db, 2, "SELECT * FROM t WHERE a IN ((1), (2))");
  norm(db, 2, "SELECT * FROM t WHERE a IN (abs(-1), 2)");
  norm(db, 2, "SELECT * FROM t WHERE a IN ()");
  norm(db, 2, "SELECT \"My Col\", [select], `c_2`, \"A\", \"nosuch\" FROM \"Odd Name\", T");
  norm(db, 2, "SELECT count(*), max(a) AS M, CAST(b AS TEXT) FROM t GROUP BY b HAVING count(*) > 1 ORDER BY 1 DESC LIMIT 10 OFFSET 2");
  norm(db, 2, "  SELECT /* comment */ a -- trailing\n FROM   t  ");
  norm(db, 2, "SELECT a||b, a<<2, ~a, a%3, a!=b, a<>b, a==b, a>=b FROM t");
  norm(db, 2, "SELECT CASE WHEN a THEN 'y' ELSE 'n' END, a BETWEEN 1 AND 2, a LIKE 'x%' ESCAPE '\\', a COLLATE nocase FROM t");
  norm(db, 2, "SELECT row_number() OVER (PARTITION BY b ORDER BY a) FROM t WINDOW w AS (ORDER BY a)");
  norm(db, 2, "SELECT true, false, rowid, key, temp FROM t, (SELECT 1 AS key, 2 AS temp)");
  norm(db, 2, "INSERT INTO t(a, b) VALUES (1, 'x'), (2, NULL) ON CONFLICT DO NOTHING");
  norm(db, 2, "UPDATE t SET a = a + 1, b = 'z' WHERE rowid IN (1, 2) RETURNING *");
  norm(db, 2, "DELETE FROM t WHERE b LIKE '%x%'");
  norm(db, 2, "CREATE TABLE u(x INTEGER PRIMARY KEY, y TEXT DEFAULT 'd' CHECK (y <> ''))");
  norm(db, 2, "CREATE INDEX ti ON t(a DESC, b COLLATE NOCASE) WHERE a > 0");
  norm(db, 2, "WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 10) SELECT i FROM c");
  norm(db, 2, "BEGIN IMMEDIATE");
  norm(db, 2, "PRAGMA table_info('t')");
  norm(db, 2, "SELECT 1_000, 0x1F, 1e5, .5 FROM t");
  norm(db, 2, "SELECT 1; SELECT 2");
  norm(db, 1, "SELECT a FROM t WHERE b = 'legacy prepare'");
  norm(db, 3, "SELECT a FROM t WHERE b = 'prepare_v3'");
  norm(db, 2, "");
  printf("NULL statement: %s\n", sqlite3_normalized_sql(0) ? "not NULL" : "NULL");
  sqlite3_close(db);
  return 0;
}
