/*
** authorizer.c: sqlite3_set_authorizer.
**
** An authorizer that logs every call (action code and its four arguments,
** NULL printed as NULL) while a broad set of statements is prepared and
** run: DDL of every kind (the schema-table writes SQLite authorizes too),
** DML with triggers firing, RETURNING and upsert, queries with joins,
** subqueries, views, CTEs (recursive too), `*` expansion and rowid reads,
** pragmas, transactions, savepoints, ATTACH / DETACH. Then SQLITE_DENY and
** SQLITE_IGNORE for each kind of action, a malfunctioning authorizer,
** statements recompiled (and authorized again) after the authorizer
** changes, and a callback that calls back into its connection.
**
** Statements whose authorizer calls Ferrolite does not reproduce yet are
** left out and listed in docs/COMPAT.md (set_authorizer).
*/
#include "harness.h"
#include <sqlite3.h>

static const char *action_name(int a){
  static const char *names[] = {
    "COPY", "CREATE_INDEX", "CREATE_TABLE", "CREATE_TEMP_INDEX",
    "CREATE_TEMP_TABLE", "CREATE_TEMP_TRIGGER", "CREATE_TEMP_VIEW",
    "CREATE_TRIGGER", "CREATE_VIEW", "DELETE", "DROP_INDEX", "DROP_TABLE",
    "DROP_TEMP_INDEX", "DROP_TEMP_TABLE", "DROP_TEMP_TRIGGER",
    "DROP_TEMP_VIEW", "DROP_TRIGGER", "DROP_VIEW", "INSERT", "PRAGMA",
    "READ", "SELECT", "TRANSACTION", "UPDATE", "ATTACH", "DETACH",
    "ALTER_TABLE", "REINDEX", "ANALYZE", "CREATE_VTABLE", "DROP_VTABLE",
    "FUNCTION", "SAVEPOINT", "RECURSIVE"
  };
  if( a>=0 && a<(int)(sizeof(names)/sizeof(names[0])) ) return names[a];
  return "?";
}

/* Answers other than SQLITE_OK: the first rule whose action matches and
** whose arg1 / arg2 (when given) equal the call's gives the answer. */
struct rule { int action; const char *arg1; const char *arg2; int answer; };
static struct rule rules[8];
static int n_rules = 0;
static int quiet = 0;
static sqlite3 *reenter_db = 0;
static int reenter_done = 0;

static int same(const char *want, const char *got){
  return want==0 || (got!=0 && strcmp(want, got)==0);
}

#define S(x) ((x) ? (x) : "NULL")

static int auth_cb(void *p, int action, const char *a1, const char *a2, const char *a3, const char *a4){
  int i;
  if( p!=(void*)&rules ) printf("  wrong user data\n");
  if( !quiet ) printf("  %s %s %s %s %s\n", action_name(action), S(a1), S(a2), S(a3), S(a4));
  if( reenter_db && !reenter_done ){
    /* The callback must not use its connection; doing so must neither
    ** hang nor crash. What the call returns is not compared. */
    char *err = 0;
    reenter_done = 1;
    quiet = 1;
    sqlite3_exec(reenter_db, "SELECT 1", 0, 0, &err);
    quiet = 0;
    sqlite3_free(err);
    printf("  (re-entrant call returned)\n");
  }
  for(i=0; i<n_rules; i++){
    if( rules[i].action==action && same(rules[i].arg1, a1) && same(rules[i].arg2, a2) ){
      return rules[i].answer;
    }
  }
  return SQLITE_OK;
}

static void rule(int action, const char *a1, const char *a2, int answer){
  rules[n_rules].action = action;
  rules[n_rules].arg1 = a1;
  rules[n_rules].arg2 = a2;
  rules[n_rules].answer = answer;
  n_rules++;
}

static void print_rows(sqlite3 *db, sqlite3_stmt *st){
  int rc;
  while( (rc = sqlite3_step(st))==SQLITE_ROW ){
    int i, n = sqlite3_column_count(st);
    printf("  row:");
    for(i=0; i<n; i++){
      const unsigned char *t = sqlite3_column_text(st, i);
      printf(" %s", t ? (const char*)t : "NULL");
    }
    printf("\n");
  }
  if( rc!=SQLITE_DONE ) printf("  step rc=%d %s\n", rc, sqlite3_errmsg(db));
}

/* Prepares and runs one statement, printing the authorizer's log, the
** prepare error if any, and the rows. */
static void run(sqlite3 *db, const char *sql){
  sqlite3_stmt *st = 0;
  int rc;
  printf("%s\n", sql);
  rc = sqlite3_prepare_v2(db, sql, -1, &st, 0);
  if( rc!=SQLITE_OK ){
    printf("  prepare rc=%d %s\n", rc, sqlite3_errmsg(db));
    return;
  }
  if( st==0 ) return;
  print_rows(db, st);
  sqlite3_finalize(st);
}

/* Runs statements with the authorizer silent (setup and checks). */
static void setup(sqlite3 *db, const char *sql){
  char *err = 0;
  int q = quiet;
  quiet = 1;
  if( sqlite3_exec(db, sql, 0, 0, &err)!=SQLITE_OK ){
    printf("setup failed: %s: %s\n", sql, err ? err : "?");
  }
  sqlite3_free(err);
  quiet = q;
}

static void show(sqlite3 *db, const char *sql){
  int q = quiet;
  quiet = 1;
  run(db, sql);
  quiet = q;
}

static void set_auth(sqlite3 *db, int on){
  int rc = sqlite3_set_authorizer(db, on ? auth_cb : 0, on ? (void*)&rules : 0);
  if( rc!=SQLITE_OK ) printf("set_authorizer rc=%d\n", rc);
}

/* One statement with one rule in force. */
static void with_rule(sqlite3 *db, int action, const char *a1, const char *a2, int answer, const char *sql){
  n_rules = 0;
  rule(action, a1, a2, answer);
  printf("[%s %s %s -> %s]\n", action_name(action), S(a1), S(a2),
         answer==SQLITE_DENY ? "DENY" : answer==SQLITE_IGNORE ? "IGNORE" : "other");
  run(db, sql);
  n_rules = 0;
}

static const char *logged[] = {
  /* Schema. */
  "CREATE TABLE t(a, b, c)",
  "CREATE TABLE u(x INTEGER PRIMARY KEY, y)",
  "CREATE TABLE w(k TEXT PRIMARY KEY, v UNIQUE, UNIQUE(v, k))",
  "CREATE TEMP TABLE tt(p, q)",
  "CREATE INDEX ti ON t(a, b)",
  "CREATE INDEX tie ON t(a + c) WHERE b > 0",
  "CREATE TEMP INDEX tti ON tt(p)",
  "CREATE VIEW v AS SELECT a, b FROM t WHERE c > 0",
  "CREATE VIEW vv AS SELECT a AS va, y FROM v JOIN u ON v.b = u.x",
  "CREATE TEMP VIEW tv AS SELECT p FROM tt",
  "CREATE VIEW temp.tv2 AS SELECT count(*) FROM t",
  "CREATE TABLE temp.tq(id INTEGER PRIMARY KEY AUTOINCREMENT, n UNIQUE)",
  "DROP VIEW tv2",
  "DROP TABLE tq",
  "CREATE TABLE s AS SELECT a, b FROM t WHERE c IS NOT NULL",
  "CREATE TABLE log(what, val)",
  "CREATE TRIGGER tr_ins AFTER INSERT ON t BEGIN INSERT INTO log VALUES ('ins', new.a); END",
  "CREATE TRIGGER tr_upd BEFORE UPDATE OF b ON t WHEN new.b > old.b BEGIN INSERT INTO log VALUES ('upd', old.b || '->' || new.b); END",
  "CREATE TEMP TRIGGER tr_del BEFORE DELETE ON u BEGIN DELETE FROM log WHERE val = old.y; END",
  /* Writes. */
  "INSERT INTO t VALUES (1, 2, 3)",
  "INSERT INTO t(a, b) VALUES (4, 5), (6, abs(-7))",
  "INSERT INTO u(y) SELECT b FROM t WHERE a > 1",
  "INSERT INTO u(x, y) VALUES (1, 10) ON CONFLICT(x) DO UPDATE SET y = excluded.y + u.y WHERE u.y < 100",
  "INSERT INTO u(x, y) VALUES (1, 10) ON CONFLICT DO NOTHING",
  "INSERT INTO w VALUES ('k1', 'v1') RETURNING k, upper(v)",
  "INSERT INTO tt VALUES (1, 2)",
  "UPDATE t SET b = b + 10, c = 0 WHERE a = 1",
  "UPDATE t SET c = rowid WHERE b IN (SELECT y FROM u)",
  "UPDATE u SET y = y * 2 RETURNING *",
  "UPDATE t SET c = u.y FROM u WHERE u.x = t.a",
  "DELETE FROM u WHERE x = 1",
  "DELETE FROM log WHERE what = 'x' RETURNING val",
  "DELETE FROM tt",
  /* Queries. */
  "SELECT a, b FROM t WHERE c > 1 ORDER BY a",
  "SELECT * FROM t",
  "SELECT t.* FROM t, u",
  "SELECT rowid, oid, _rowid_ FROM t",
  "SELECT rowid, x, y FROM u",
  "SELECT count(*) FROM t",
  "SELECT count(*) FROM main.t",
  "SELECT a AS z FROM t ORDER BY z",
  "SELECT a, count(*) FROM t GROUP BY b HAVING max(c) > 1",
  "SELECT DISTINCT b FROM t LIMIT 2 OFFSET 1",
  "SELECT a FROM t WHERE b IN (SELECT y FROM u WHERE x = t.c)",
  "SELECT (SELECT y FROM u WHERE x = a), a FROM t",
  "SELECT a FROM t WHERE EXISTS (SELECT 1 FROM u WHERE u.y = t.b)",
  "SELECT * FROM (SELECT a, b FROM t) AS sub WHERE sub.a > 1",
  "SELECT t.a, u.y FROM t JOIN u ON t.b = u.x WHERE t.c = 1",
  "SELECT t.a, u.y FROM t LEFT JOIN u ON u.x = t.a",
  "SELECT * FROM v",
  "SELECT a FROM v WHERE b = 1",
  "SELECT * FROM vv",
  "SELECT * FROM tv",
  "SELECT count(*) FROM v",
  "WITH c(n) AS (SELECT a FROM t) SELECT n FROM c",
  "WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 3) SELECT n FROM c",
  "SELECT a FROM t UNION SELECT x FROM u",
  "SELECT a FROM t UNION ALL SELECT b FROM t UNION ALL SELECT y FROM u",
  "VALUES (1, 2), (3, 4)",
  "SELECT abs(a), upper(b), coalesce(c, 0) FROM t",
  "SELECT a FROM t WHERE b LIKE '%1' OR c GLOB '*' OR a BETWEEN 1 AND 2",
  "SELECT CASE a WHEN 1 THEN b ELSE c END, CAST(a AS TEXT) FROM t",
  "SELECT k, v FROM w",
  "SELECT name FROM sqlite_master WHERE type = 'table'",
  "SELECT * FROM s",
  "SELECT what, val FROM log",
  "SELECT a FROM t UNION SELECT x FROM u ORDER BY 1",
  "SELECT a FROM t INTERSECT SELECT x FROM u",
  "SELECT a FROM t EXCEPT SELECT y FROM u",
  "SELECT a FROM t ORDER BY 1 LIMIT 1",
  "SELECT a, b FROM t ORDER BY b DESC, a",
  "SELECT * FROM t WHERE a IN (SELECT x FROM u) AND b > (SELECT max(y) FROM u)",
  "SELECT * FROM t WHERE a IN (SELECT y FROM u)",
  "SELECT * FROM t WHERE a NOT IN (SELECT y FROM u WHERE y > 0)",
  "SELECT max(a), min(b), sum(c), group_concat(a), count(DISTINCT a) FROM t",
  "SELECT a, (SELECT count(*) FROM u WHERE x = t.a) AS n FROM t ORDER BY n",
  "SELECT * FROM t AS t1 JOIN t AS t2 ON t1.a = t2.b",
  "SELECT * FROM t, u WHERE t.a = u.x",
  "SELECT * FROM t LEFT JOIN u ON t.a = u.x WHERE u.y IS NULL",
  "SELECT * FROM t NATURAL JOIN u",
  "SELECT a FROM t WHERE a = ?1 AND b = :b",
  "SELECT typeof(a), length(b), nullif(c, 1), ifnull(a, 0), iif(a, 1, 2) FROM t",
  "SELECT a FROM t WHERE a NOT IN (1, 2, 3)",
  "SELECT a FROM t GROUP BY a HAVING count(*) > 0 ORDER BY count(*)",
  "SELECT DISTINCT a, b FROM t",
  "SELECT a FROM t WHERE EXISTS (SELECT 1 FROM u)",
  "SELECT a FROM t WHERE NOT EXISTS (SELECT 1 FROM u WHERE u.y = t.b)",
  "SELECT EXISTS (SELECT 1 FROM u WHERE u.y = t.b) FROM t",
  "SELECT a FROM t WHERE b = 1 AND EXISTS (SELECT 1 FROM u WHERE u.x = t.a)",
  "SELECT a FROM t WHERE b IN (1, 2) OR EXISTS (SELECT 1 FROM u WHERE u.x = t.a)",
  "SELECT 1 + 1, 'x' || 'y'",
  "SELECT * FROM (SELECT * FROM (SELECT a FROM t))",
  "SELECT * FROM v AS vv WHERE vv.a > 0",
  "WITH a1 AS (SELECT x FROM u), a2 AS (SELECT y FROM u) SELECT * FROM a1, a2",
  "WITH RECURSIVE cnt(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM cnt LIMIT 5) SELECT n FROM cnt",
  "SELECT a COLLATE nocase FROM t ORDER BY 1 COLLATE nocase",
  "SELECT a FROM t WHERE a > 0 ORDER BY a LIMIT 2 OFFSET 1",
  "SELECT * FROM sqlite_schema WHERE name = 'u'",
  "SELECT * FROM temp.sqlite_master",
  "VALUES (1, 2), (3, 4), (5, 6)",
  "INSERT INTO t VALUES (abs(1), 2, 3), (4, 5, 6)",
  "INSERT INTO t VALUES (1, 2, 3), (4, 5, 6), (7, 8, abs(9))",
  "INSERT OR REPLACE INTO w VALUES ('k2', 'z')",
  "INSERT INTO w(k, v) VALUES ('k2', 'q') ON CONFLICT(k) DO UPDATE SET v = excluded.v || 'x'",
  "INSERT INTO t DEFAULT VALUES",
  "REPLACE INTO u VALUES (1, 3)",
  "UPDATE OR IGNORE t SET a = 1 WHERE a IS NULL",
  "DELETE FROM t WHERE rowid IN (SELECT rowid FROM t WHERE a IS NULL)",
  "CREATE TABLE IF NOT EXISTS t(z)",
  "CREATE INDEX IF NOT EXISTS ti ON t(a)",
  "CREATE TABLE t(z)",
  "DROP TABLE IF EXISTS nothere",
  "CREATE TABLE k3(a, b, c INTEGER UNIQUE, PRIMARY KEY(b, a))",
  "CREATE TABLE k4(id INTEGER PRIMARY KEY, n TEXT NOT NULL UNIQUE)",
  "CREATE TABLE ulog(m)",
  "CREATE TRIGGER tu AFTER UPDATE ON u BEGIN INSERT INTO ulog SELECT new.y FROM t WHERE a = old.x; UPDATE t SET c = new.y WHERE a = new.x; END",
  "CREATE TRIGGER vi INSTEAD OF INSERT ON v BEGIN INSERT INTO t VALUES (new.a, new.b, 0); END",
  "UPDATE u SET y = 5 WHERE x = 2",
  "INSERT INTO v VALUES (7, 8)",
  "DROP TABLE k3",
  "CREATE TABLE ai(id INTEGER PRIMARY KEY AUTOINCREMENT, v CHECK (v IS NOT NULL), CHECK (id > 0))",
  "INSERT INTO ai(v) VALUES (1)",
  "CREATE TABLE up(id INTEGER PRIMARY KEY, k UNIQUE, n)",
  "CREATE TABLE uplog(m)",
  "CREATE TRIGGER up_bi BEFORE INSERT ON up BEGIN INSERT INTO uplog VALUES (new.k); END",
  "CREATE TRIGGER up_au AFTER UPDATE ON up BEGIN INSERT INTO uplog VALUES (old.n); END",
  "INSERT INTO up VALUES (1, 'a', 0) ON CONFLICT DO UPDATE SET n = n + 1 RETURNING id, n",
  "INSERT INTO up VALUES (1, 'a', 0) ON CONFLICT(k) DO UPDATE SET n = excluded.n ON CONFLICT DO NOTHING",
  "DROP TABLE ai",
  "SELECT * FROM t LEFT JOIN s USING (b)",
  "SELECT * FROM t AS x JOIN t AS y USING (a, b)",
  "SELECT a FROM t JOIN (SELECT x AS a FROM u) USING (a)",
  /* Pragmas, transactions, savepoints. */
  "PRAGMA user_version",
  "PRAGMA user_version = 3",
  "PRAGMA main.cache_size = -100",
  "PRAGMA table_info(t)",
  "PRAGMA table_info = t",
  "PRAGMA foreign_keys",
  "PRAGMA integrity_check",
  "PRAGMA index_list('t')",
  "PRAGMA temp.user_version = +4",
  "SELECT * FROM pragma_table_info('t')",
  "SELECT name FROM pragma_table_info('u') WHERE pk = 0",
  "BEGIN",
  "COMMIT",
  "BEGIN IMMEDIATE",
  "ROLLBACK",
  "BEGIN EXCLUSIVE TRANSACTION",
  "END",
  "SAVEPOINT sp1",
  "SAVEPOINT sp2",
  "ROLLBACK TO sp2",
  "RELEASE sp2",
  "RELEASE SAVEPOINT sp1",
  /* Attached databases. */
  "ATTACH lower(':MEMORY:') AS aux0",
  "DETACH 'aux0'",
  "ATTACH ':memory:' AS aux",
  "CREATE TABLE aux.m(q, r)",
  "CREATE INDEX aux.mi ON m(r)",
  "INSERT INTO aux.m VALUES (1, 2)",
  "SELECT q FROM m",
  "SELECT aux.m.r, t.a FROM aux.m, t ORDER BY 2",
  "SELECT count(*) FROM aux.m",
  "DROP INDEX aux.mi",
  "DROP TABLE aux.m",
  "DETACH aux",
  /* More DDL. */
  "REINDEX ti",
  "ALTER TABLE s ADD COLUMN extra",
  "DROP TRIGGER tr_ins",
  "DROP TRIGGER tr_del",
  "DROP VIEW vv",
  "DROP VIEW tv",
  "DROP INDEX tie",
  "DROP INDEX tti",
  "DROP TABLE s",
  "DROP TABLE tt",
  0
};

int main(int argc, char **argv){
  sqlite3 *db;
  sqlite3_stmt *st;
  int i, rc;
  ferrolite_check_lib();
  if( argc<2 ){ fprintf(stderr, "usage: %s DBFILE\n", argv[0]); return 2; }
  if( sqlite3_open(argv[1], &db)!=SQLITE_OK ){ printf("open failed\n"); return 1; }

  printf("== every call logged\n");
  set_auth(db, 1);
  for(i=0; logged[i]; i++) run(db, logged[i]);

  printf("== DENY\n");
  setup(db, "CREATE TABLE d(e, f); INSERT INTO d VALUES (1, 2), (3, 4); CREATE TABLE dd(g)");
  with_rule(db, SQLITE_READ, "d", "f", SQLITE_DENY, "SELECT e, f FROM d");
  with_rule(db, SQLITE_READ, "d", 0, SQLITE_DENY, "SELECT * FROM d");
  with_rule(db, SQLITE_READ, "d", "e", SQLITE_DENY, "SELECT e + e, f FROM d");
  with_rule(db, SQLITE_READ, "d", "e", SQLITE_DENY, "UPDATE d SET f = e");
  with_rule(db, SQLITE_SELECT, 0, 0, SQLITE_DENY, "SELECT 1");
  with_rule(db, SQLITE_INSERT, "d", 0, SQLITE_DENY, "INSERT INTO d VALUES (5, 6)");
  with_rule(db, SQLITE_UPDATE, "d", "f", SQLITE_DENY, "UPDATE d SET e = 0, f = 0");
  with_rule(db, SQLITE_DELETE, "d", 0, SQLITE_DENY, "DELETE FROM d");
  with_rule(db, SQLITE_CREATE_TABLE, 0, 0, SQLITE_DENY, "CREATE TABLE nt(x)");
  with_rule(db, SQLITE_INSERT, "sqlite_master", 0, SQLITE_DENY, "CREATE TABLE nt(x)");
  with_rule(db, SQLITE_CREATE_TEMP_TABLE, 0, 0, SQLITE_DENY, "CREATE TEMP TABLE nt(x)");
  with_rule(db, SQLITE_CREATE_INDEX, 0, 0, SQLITE_DENY, "CREATE INDEX ni ON d(e)");
  with_rule(db, SQLITE_CREATE_VIEW, 0, 0, SQLITE_DENY, "CREATE VIEW nv AS SELECT 1");
  with_rule(db, SQLITE_CREATE_TRIGGER, 0, 0, SQLITE_DENY, "CREATE TRIGGER ntr AFTER INSERT ON d BEGIN SELECT 1; END");
  with_rule(db, SQLITE_DROP_TABLE, 0, 0, SQLITE_DENY, "DROP TABLE dd");
  with_rule(db, SQLITE_DELETE, "dd", 0, SQLITE_DENY, "DROP TABLE dd");
  with_rule(db, SQLITE_DROP_INDEX, 0, 0, SQLITE_DENY, "DROP INDEX ti");
  with_rule(db, SQLITE_DROP_VIEW, 0, 0, SQLITE_DENY, "DROP VIEW v");
  with_rule(db, SQLITE_DROP_TRIGGER, 0, 0, SQLITE_DENY, "DROP TRIGGER tr_upd");
  with_rule(db, SQLITE_PRAGMA, "user_version", 0, SQLITE_DENY, "PRAGMA user_version = 9");
  with_rule(db, SQLITE_READ, "pragma_table_info", "name", SQLITE_DENY, "SELECT name FROM pragma_table_info('d')");
  with_rule(db, SQLITE_TRANSACTION, 0, 0, SQLITE_DENY, "BEGIN");
  with_rule(db, SQLITE_SAVEPOINT, "BEGIN", 0, SQLITE_DENY, "SAVEPOINT x");
  with_rule(db, SQLITE_ATTACH, 0, 0, SQLITE_DENY, "ATTACH ':memory:' AS aux2");
  setup(db, "ATTACH ':memory:' AS aux3; CREATE TABLE aux3.at(h)");
  with_rule(db, SQLITE_READ, "at", "h", SQLITE_DENY, "SELECT h FROM at");
  with_rule(db, SQLITE_READ, "d", "e", SQLITE_DENY, "SELECT e FROM d");
  with_rule(db, SQLITE_DETACH, 0, 0, SQLITE_DENY, "DETACH aux3");
  setup(db, "DETACH aux3");
  with_rule(db, SQLITE_ALTER_TABLE, 0, 0, SQLITE_DENY, "ALTER TABLE dd ADD COLUMN h");
  with_rule(db, SQLITE_REINDEX, 0, 0, SQLITE_DENY, "REINDEX ti");
  with_rule(db, SQLITE_ANALYZE, 0, 0, SQLITE_DENY, "ANALYZE d");
  with_rule(db, SQLITE_FUNCTION, 0, "abs", SQLITE_DENY, "SELECT abs(e) FROM d");
  with_rule(db, SQLITE_RECURSIVE, 0, 0, SQLITE_DENY, "WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 3) SELECT n FROM c");
  with_rule(db, SQLITE_READ, "t", "a", SQLITE_DENY, "SELECT * FROM v");
  with_rule(db, SQLITE_INSERT, "log", 0, SQLITE_DENY, "UPDATE t SET b = b + 1");

  printf("== IGNORE\n");
  with_rule(db, SQLITE_READ, "d", "f", SQLITE_IGNORE, "SELECT e, f, f + 1 FROM d ORDER BY e");
  with_rule(db, SQLITE_READ, "d", "f", SQLITE_IGNORE, "SELECT * FROM d ORDER BY e");
  with_rule(db, SQLITE_READ, "u", "x", SQLITE_IGNORE, "SELECT x, rowid, y FROM u ORDER BY y");
  with_rule(db, SQLITE_INSERT, "d", 0, SQLITE_IGNORE, "INSERT INTO d VALUES (5, 6)");
  show(db, "SELECT count(*) FROM d");
  with_rule(db, SQLITE_UPDATE, "d", "f", SQLITE_IGNORE, "UPDATE d SET e = e * 10, f = 0");
  show(db, "SELECT e, f FROM d ORDER BY e");
  with_rule(db, SQLITE_DELETE, "dd", 0, SQLITE_IGNORE, "DELETE FROM dd");
  with_rule(db, SQLITE_CREATE_TABLE, 0, 0, SQLITE_IGNORE, "CREATE TABLE nt(x)");
  show(db, "SELECT count(*) FROM sqlite_master WHERE name = 'nt'");
  with_rule(db, SQLITE_DROP_TABLE, 0, 0, SQLITE_IGNORE, "DROP TABLE dd");
  show(db, "SELECT count(*) FROM sqlite_master WHERE name = 'dd'");
  with_rule(db, SQLITE_PRAGMA, 0, 0, SQLITE_IGNORE, "PRAGMA user_version = 9");
  show(db, "PRAGMA user_version");
  with_rule(db, SQLITE_TRANSACTION, 0, 0, SQLITE_IGNORE, "BEGIN");
  printf("  autocommit=%d\n", sqlite3_get_autocommit(db));
  with_rule(db, SQLITE_FUNCTION, 0, "abs", SQLITE_IGNORE, "SELECT abs(-e), e FROM d ORDER BY e");
  with_rule(db, SQLITE_READ, "t", "b", SQLITE_IGNORE, "SELECT * FROM v ORDER BY a");

  with_rule(db, SQLITE_INSERT, "log", 0, SQLITE_IGNORE, "UPDATE t SET b = b + 100 WHERE a = 1");
  show(db, "SELECT count(*) FROM log");
  with_rule(db, SQLITE_CREATE_INDEX, 0, 0, SQLITE_IGNORE, "CREATE INDEX ni ON d(e)");
  with_rule(db, SQLITE_DROP_INDEX, 0, 0, SQLITE_IGNORE, "DROP INDEX ti");
  with_rule(db, SQLITE_CREATE_TRIGGER, 0, 0, SQLITE_IGNORE, "CREATE TRIGGER ntr AFTER INSERT ON d BEGIN SELECT 1; END");
  with_rule(db, SQLITE_SAVEPOINT, 0, 0, SQLITE_IGNORE, "SAVEPOINT s1");
  printf("  autocommit=%d\n", sqlite3_get_autocommit(db));
  with_rule(db, SQLITE_ATTACH, 0, 0, SQLITE_IGNORE, "ATTACH ':memory:' AS aux4");
  show(db, "SELECT name FROM pragma_database_list ORDER BY seq");
  show(db, "SELECT name FROM sqlite_master WHERE name IN ('ni', 'ti', 'ntr') ORDER BY name");

  printf("== malfunction\n");
  with_rule(db, SQLITE_SELECT, 0, 0, 7, "SELECT 1");
  with_rule(db, SQLITE_READ, "d", "e", -1, "SELECT e FROM d");
  with_rule(db, SQLITE_INSERT, "d", 0, 3, "INSERT INTO d VALUES (7, 8)");

  printf("== recompiled when the authorizer changes\n");
  set_auth(db, 0);
  rc = sqlite3_prepare_v2(db, "SELECT e FROM d ORDER BY e", -1, &st, 0);
  printf("prepared without an authorizer: rc=%d\n", rc);
  set_auth(db, 1);
  printf("first step after setting one:\n");
  print_rows(db, st);
  sqlite3_reset(st);
  n_rules = 0;
  rule(SQLITE_READ, "d", "e", SQLITE_DENY);
  set_auth(db, 1);
  printf("after setting a denying one:\n");
  print_rows(db, st);
  sqlite3_reset(st);
  set_auth(db, 0);
  printf("after clearing it:\n");
  print_rows(db, st);
  sqlite3_finalize(st);
  n_rules = 0;

  printf("== schema change: recompiled and authorized again\n");
  set_auth(db, 1);
  rc = sqlite3_prepare_v2(db, "SELECT e FROM d", -1, &st, 0);
  printf("prepared: rc=%d\n", rc);
  quiet = 1;
  setup(db, "CREATE TABLE later(z)");
  quiet = 0;
  printf("step after a schema change:\n");
  print_rows(db, st);
  sqlite3_finalize(st);

  printf("== a callback that uses its own connection\n");
  reenter_db = db;
  run(db, "SELECT f FROM d WHERE e = 1");
  reenter_db = 0;

  set_auth(db, 0);
  printf("== cleared\n");
  run(db, "SELECT e, f FROM d ORDER BY e");
  sqlite3_close(db);
  return 0;
}
