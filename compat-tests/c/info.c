/*
** info.c: statement and connection information. column_database_name /
** table_name / origin_name, table_column_metadata (types, collations,
** NOT NULL, PRIMARY KEY, AUTOINCREMENT, rowid names, errors),
** next_stmt, db_filename with filename_database/journal/wal and
** uri_parameter/uri_boolean/uri_int64/uri_key, create_filename /
** free_filename, db_name, txn_state, stmt_isexplain, stmt_explain,
** transfer_bindings, expired, set_errmsg, setlk_timeout, error_offset
** (syntax errors), system_errno (a file that cannot be opened).
*/
#include "harness.h"
#include <sqlite3.h>

static const char *nz(const char *z){ return z ? z : "(null)"; }
/* The file's name with the per-library part ("info.ferrolite.db" or
** "info.reference.db", as run.sh names them) reduced to its suffix. */
static const char *base(const char *z){
  const char *s;
  if( z==0 ) return "(null)";
  s = strrchr(z, '/');
  s = s ? s+1 : z;
  s = strchr(s, '.');
  return s ? strchr(s+1, '.') ? strchr(s+1, '.') : s : z;
}

static void meta(sqlite3 *db, const char *zDb, const char *zTab, const char *zCol){
  const char *type = "unset", *coll = "unset"; int nn = -1, pk = -1, ai = -1;
  int rc = sqlite3_table_column_metadata(db, zDb, zTab, zCol, &type, &coll, &nn, &pk, &ai);
  printf("metadata(%s,%s,%s): rc=%d type=%s coll=%s notnull=%d pk=%d autoinc=%d", nz(zDb), nz(zTab), nz(zCol), rc, nz(type), nz(coll), nn, pk, ai);
  if( rc ) printf(" err=%s", sqlite3_errmsg(db));
  printf("\n");
}

static void origins(sqlite3 *db, const char *sql){
  sqlite3_stmt *st; int i;
  if( sqlite3_prepare_v2(db, sql, -1, &st, 0) ){ printf("prepare failed: %s\n", sqlite3_errmsg(db)); return; }
  printf("%s\n", sql);
  for(i=0; i<=sqlite3_column_count(st); i++){
    printf("  [%d] %s db=%s table=%s origin=%s\n", i, nz(sqlite3_column_name(st, i)), nz(sqlite3_column_database_name(st, i)),
           nz(sqlite3_column_table_name(st, i)), nz(sqlite3_column_origin_name(st, i)));
  }
  sqlite3_finalize(st);
}

static void txn(sqlite3 *db, const char *label){
  printf("txn_state %s: all=%d main=%d temp=%d aux=%d nosuch=%d\n", label, sqlite3_txn_state(db, 0), sqlite3_txn_state(db, "main"),
         sqlite3_txn_state(db, "temp"), sqlite3_txn_state(db, "aux"), sqlite3_txn_state(db, "nosuch"));
}

int main(int argc, char **argv){
  sqlite3 *db, *db2; sqlite3_stmt *s1, *s2, *s3, *p; int rc, i; char uri[4096];
  const char *f;
  ferrolite_check_lib();
  if( argc<2 ) return 2;
  remove(argv[1]);
  snprintf(uri, sizeof(uri), "file:%s?cache=private&foo=bar&flag=yes&n=0x10&off=off&big=99999999999999999999", argv[1]);
  rc = sqlite3_open_v2(uri, &db, SQLITE_OPEN_READWRITE|SQLITE_OPEN_CREATE|SQLITE_OPEN_URI, 0);
  printf("open: %d\n", rc);
  sqlite3_exec(db,
    "CREATE TABLE t(id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL COLLATE NOCASE, v DOUBLE PRECISION, w);"
    "CREATE TABLE u(a, b INT NOT NULL, PRIMARY KEY(a,b));"
    "CREATE TABLE r(x VARCHAR(5));"
    "CREATE VIEW vw AS SELECT id FROM t;"
    "INSERT INTO t(name, v, w) VALUES('a', 1.5, x'00'), ('b', 2, NULL);", 0, 0, 0);

  origins(db, "SELECT id, name AS n, v+1, w, rowid, t.*, 5 FROM t");
  origins(db, "SELECT x, rowid, oid FROM r");
  origins(db, "SELECT a, b FROM u");

  meta(db, 0, "t", "id");
  meta(db, "main", "t", "name");
  meta(db, 0, "T", "V");
  meta(db, 0, "t", "w");
  meta(db, 0, "t", "rowid");
  meta(db, 0, "r", "x");
  meta(db, 0, "r", "oid");
  meta(db, 0, "r", "_rowid_");
  meta(db, 0, "u", "a");
  meta(db, 0, "u", "rowid");
  meta(db, 0, "t", 0);
  meta(db, 0, "t", "nosuch");
  meta(db, 0, "vw", "id");
  meta(db, 0, "nosuch", "x");
  meta(db, "temp", "t", "id");

  /* next_stmt walks newest first. */
  sqlite3_prepare_v2(db, "SELECT 1", -1, &s1, 0);
  sqlite3_prepare_v2(db, "SELECT 2", -1, &s2, 0);
  sqlite3_prepare_v2(db, "SELECT 3", -1, &s3, 0);
  for(p = sqlite3_next_stmt(db, 0), i = 0; p && i<10; p = sqlite3_next_stmt(db, p), i++) printf("next_stmt: %s\n", sqlite3_sql(p));
  sqlite3_finalize(s2);
  for(p = sqlite3_next_stmt(db, 0); p; p = sqlite3_next_stmt(db, p)) printf("after finalize: %s\n", sqlite3_sql(p));
  sqlite3_finalize(s1); sqlite3_finalize(s3);
  printf("next_stmt empty: %p\n", (void*)sqlite3_next_stmt(db, 0));

  /* File names and URI parameters. */
  f = sqlite3_db_filename(db, "main");
  printf("db_filename main: absolute=%d base=%s\n", f && f[0]=='/', base(f));
  printf("  filename_database: %s\n", base(sqlite3_filename_database(f)));
  printf("  filename_journal: %s\n", base(sqlite3_filename_journal(f)));
  printf("  filename_wal: %s\n", base(sqlite3_filename_wal(f)));
  printf("  uri_parameter foo=%s flag=%s nosuch=%s\n", nz(sqlite3_uri_parameter(f, "foo")), nz(sqlite3_uri_parameter(f, "flag")), nz(sqlite3_uri_parameter(f, "nosuch")));
  printf("  uri_boolean flag=%d off=%d foo=%d(dflt 1) nosuch=%d(dflt 7)\n", sqlite3_uri_boolean(f, "flag", 0), sqlite3_uri_boolean(f, "off", 1), sqlite3_uri_boolean(f, "foo", 1), sqlite3_uri_boolean(f, "nosuch", 7));
  printf("  uri_int64 n=%lld big=%lld foo=%lld\n", sqlite3_uri_int64(f, "n", -1), sqlite3_uri_int64(f, "big", -1), sqlite3_uri_int64(f, "foo", -2));
  for(i=0; i<8; i++) printf("  uri_key %d: %s\n", i, nz(sqlite3_uri_key(f, i)));
  printf("db_filename temp: '%s'\n", nz(sqlite3_db_filename(db, "temp")));
  printf("db_filename nosuch: %s\n", nz(sqlite3_db_filename(db, "nosuch")));
  sqlite3_exec(db, "ATTACH ':memory:' AS aux", 0, 0, 0);
  printf("db_filename aux: '%s'\n", nz(sqlite3_db_filename(db, "aux")));
  for(i=-1; i<4; i++) printf("db_name %d: %s\n", i, nz(sqlite3_db_name(db, i)));
  {
    const char *params[] = {"k1", "v1", "k2", "v2"};
    char *fn = (char*)sqlite3_create_filename("/x/db", "/x/db-journal", "/x/db-wal", 2, params);
    printf("create_filename: db=%s journal=%s wal=%s k2=%s key1=%s key2=%s\n", sqlite3_filename_database(fn), sqlite3_filename_journal(fn),
           sqlite3_filename_wal(fn), nz(sqlite3_uri_parameter(fn, "k2")), nz(sqlite3_uri_key(fn, 1)), nz(sqlite3_uri_key(fn, 2)));
    sqlite3_free_filename(fn);
    sqlite3_free_filename(0);
  }

  /* Transaction state. */
  txn(db, "idle");
  sqlite3_exec(db, "BEGIN; SELECT count(*) FROM t", 0, 0, 0);
  txn(db, "after read");
  sqlite3_exec(db, "INSERT INTO t(name) VALUES('c')", 0, 0, 0);
  txn(db, "after write");
  sqlite3_exec(db, "INSERT INTO aux.sqlite_master SELECT * FROM sqlite_master WHERE 0; CREATE TABLE aux.z(q)", 0, 0, 0);
  txn(db, "after aux write");
  sqlite3_exec(db, "COMMIT", 0, 0, 0);
  txn(db, "committed");

  /* EXPLAIN detection and switching. */
  sqlite3_prepare_v2(db, "SELECT name FROM t WHERE id>?", -1, &s1, 0);
  sqlite3_prepare_v2(db, "EXPLAIN SELECT 1", -1, &s2, 0);
  sqlite3_prepare_v2(db, "EXPLAIN QUERY PLAN SELECT 1", -1, &s3, 0);
  printf("isexplain: %d %d %d null=%d\n", sqlite3_stmt_isexplain(s1), sqlite3_stmt_isexplain(s2), sqlite3_stmt_isexplain(s3), sqlite3_stmt_isexplain(0));
  sqlite3_bind_int(s1, 1, 1);
  printf("explain same: %d\n", sqlite3_stmt_explain(s1, 0));
  printf("explain bad mode: %d\n", sqlite3_stmt_explain(s1, 3));
  rc = sqlite3_stmt_explain(s1, 2);
  printf("explain ->2: %d isexplain=%d columns=%d name0=%s\n", rc, sqlite3_stmt_isexplain(s1), sqlite3_column_count(s1), sqlite3_column_name(s1, 0));
  rc = sqlite3_stmt_explain(s1, 1);
  printf("explain ->1: %d isexplain=%d columns=%d name1=%s\n", rc, sqlite3_stmt_isexplain(s1), sqlite3_column_count(s1), sqlite3_column_name(s1, 1));
  rc = sqlite3_stmt_explain(s1, 0);
  printf("explain ->0: %d isexplain=%d columns=%d\n", rc, sqlite3_stmt_isexplain(s1), sqlite3_column_count(s1));
  while( sqlite3_step(s1)==SQLITE_ROW ) printf("  row: %s\n", sqlite3_column_text(s1, 0));
  printf("explain after run (not reset): %d\n", sqlite3_stmt_explain(s1, 2));
  sqlite3_reset(s1);
  sqlite3_step(s1);
  printf("explain while running: %d\n", sqlite3_stmt_explain(s1, 2));
  sqlite3_reset(s1);
  rc = sqlite3_stmt_explain(s2, 0);
  printf("explain EXPLAIN ->0: %d isexplain=%d\n", rc, sqlite3_stmt_isexplain(s2));
  while( sqlite3_step(s2)==SQLITE_ROW ) printf("  row: %s\n", sqlite3_column_text(s2, 0));
  sqlite3_finalize(s2); sqlite3_finalize(s3);

  /* transfer_bindings moves the values. */
  sqlite3_prepare_v2(db, "SELECT ?, ?", -1, &s2, 0);
  sqlite3_prepare_v2(db, "SELECT ?, ?", -1, &s3, 0);
  sqlite3_bind_text(s2, 1, "one", -1, SQLITE_STATIC);
  sqlite3_bind_int(s2, 2, 2);
  printf("transfer_bindings: %d\n", sqlite3_transfer_bindings(s2, s3));
  printf("transfer_bindings count mismatch: %d\n", sqlite3_transfer_bindings(s2, s1));
  sqlite3_step(s2); sqlite3_step(s3);
  printf("  from: %s %s  to: %s %s\n", nz((const char*)sqlite3_column_text(s2, 0)), nz((const char*)sqlite3_column_text(s2, 1)),
         nz((const char*)sqlite3_column_text(s3, 0)), nz((const char*)sqlite3_column_text(s3, 1)));
  sqlite3_reset(s2);
  printf("expired: %d null=%d\n", sqlite3_expired(s2), sqlite3_expired(0));
  sqlite3_finalize(s1); sqlite3_finalize(s2); sqlite3_finalize(s3);

  /* set_errmsg and setlk_timeout. */
  rc = sqlite3_set_errmsg(db, SQLITE_CONSTRAINT, "custom message");
  printf("set_errmsg: %d errcode=%d errmsg=%s\n", rc, sqlite3_errcode(db), sqlite3_errmsg(db));
  rc = sqlite3_set_errmsg(db, SQLITE_BUSY, 0);
  printf("set_errmsg NULL msg: %d errcode=%d errmsg=%s\n", rc, sqlite3_errcode(db), sqlite3_errmsg(db));
  printf("setlk_timeout: %d %d %d\n", sqlite3_setlk_timeout(db, 100, 0), sqlite3_setlk_timeout(db, -1, 0), sqlite3_setlk_timeout(db, -2, 0));

  /* error_offset: where the parser stopped. */
  {
    static const char *bad[] = {"SELEC 1", "SELECT 1 FROM t GROUP a", "SELECT , 1", "SELECT (1", "  SELECT * FROM t ORDER a",
                                "CREATE TABLE (x)", "SELECT 'abc", "SELECT 1; SELEC 2"};
    for(i=0; i<(int)(sizeof(bad)/sizeof(bad[0])); i++){
      sqlite3_stmt *x = 0;
      const char *tail = 0;
      const char *sql = bad[i];
      rc = sqlite3_prepare_v2(db, sql, -1, &x, &tail);
      if( rc==SQLITE_OK && x==0 ) rc = sqlite3_prepare_v2(db, tail, -1, &x, &tail);
      if( rc==SQLITE_OK && tail && *tail ){ sqlite3_finalize(x); rc = sqlite3_prepare_v2(db, tail, -1, &x, 0); }
      printf("error_offset(%s): rc=%d offset=%d msg=%s\n", sql, rc, sqlite3_error_offset(db), sqlite3_errmsg(db));
      sqlite3_finalize(x);
    }
    sqlite3_exec(db, "SELECT 1", 0, 0, 0);
    printf("error_offset after success: %d\n", sqlite3_error_offset(db));
  }

  /* system_errno: the errno of the open that failed. */
  printf("system_errno before: %d\n", sqlite3_system_errno(db));
  rc = sqlite3_open_v2("/nonexistent-ferrolite-dir/x.db", &db2, SQLITE_OPEN_READWRITE|SQLITE_OPEN_CREATE, 0);
  printf("open in a missing directory: rc=%d system_errno=%d\n", rc, sqlite3_system_errno(db2));
  sqlite3_close(db2);
  rc = sqlite3_open_v2("/nonexistent-ferrolite-file.db", &db2, SQLITE_OPEN_READONLY, 0);
  printf("open a missing file read-only: rc=%d system_errno=%d\n", rc, sqlite3_system_errno(db2));
  sqlite3_close(db2);

  /* A second connection: db_filename of :memory:. */
  sqlite3_open(":memory:", &db2);
  printf(":memory: filename='%s' journal='%s'\n", nz(sqlite3_db_filename(db2, 0)), nz(sqlite3_filename_journal(sqlite3_db_filename(db2, 0))));
  sqlite3_close(db2);
  sqlite3_close(db);
  return 0;
}
