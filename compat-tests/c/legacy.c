/*
** legacy.c: sqlite3_get_table / sqlite3_free_table (rows, NULLs, column
** names, several statements, incompatible queries, errors),
** sqlite3_trace (expanded SQL at each statement start) and sqlite3_profile
** (called when a statement stops), their previous-argument returns and
** their interplay with sqlite3_trace_v2; sqlite3_compileoption_used /
** get; sqlite3_file_control (operations the unix VFS answers, unknown
** operations and databases); sqlite3_db_cacheflush outside a write
** transaction; sqlite3_stmt_status (RUN, SORT, REPREPARE, reset; VM_STEP
** only as non-zero: the programs differ); sqlite3_incomplete;
** sqlite3_db_status / db_status64 (return codes and relations that hold in
** both libraries: page-cache bytes, hit/miss/write counts and their
** reset) and sqlite3_db_release_memory.
*/
#include "harness.h"
#include <sqlite3.h>

static void table(sqlite3 *db, const char *sql){
  char **res = 0; char *err = 0; int nrow = -1, ncol = -1, rc, i, j;
  rc = sqlite3_get_table(db, sql, &res, &nrow, &ncol, &err);
  printf("get_table(%s): rc=%d rows=%d cols=%d err=%s res=%s\n", sql, rc, nrow, ncol, err ? err : "(none)", res ? "set" : "NULL");
  if( res ){
    for(i=0; i<=nrow; i++){
      printf("  ");
      for(j=0; j<ncol; j++) printf("%s|", res[i*ncol+j] ? res[i*ncol+j] : "NULL");
      printf("\n");
    }
  }
  sqlite3_free_table(res);
  sqlite3_free(err);
}

static void on_trace(void *p, const char *sql){ printf("  trace(%s): %s\n", (char*)p, sql); }
static void on_profile(void *p, const char *sql, sqlite3_uint64 ns){ (void)ns; printf("  profile(%s): %s\n", (char*)p, sql); }
static int on_v2(unsigned t, void *c, void *p, void *x){ (void)p; (void)x; printf("  trace_v2(%s) event %u\n", (char*)c, t); return 0; }

int main(int argc, char **argv){
  sqlite3 *db, *mem; sqlite3_stmt *st; void *old; int i, v, rc; char *name;
  ferrolite_check_lib();
  setvbuf(stdout, 0, _IONBF, 0);
  if( argc<2 ) return 2;
  remove(argv[1]);
  if( sqlite3_open(argv[1], &db) ) return 1;
  sqlite3_exec(db, "CREATE TABLE t(a, b); INSERT INTO t VALUES(1, 'one'), (2, NULL), (NULL, 'three');", 0, 0, 0);

  table(db, "SELECT a, b FROM t ORDER BY rowid");
  table(db, "SELECT * FROM t WHERE 0");
  table(db, "SELECT a AS x FROM t WHERE a=1; SELECT b FROM t WHERE a=2");
  table(db, "SELECT a FROM t WHERE a=1; SELECT a, b FROM t");
  table(db, "SELECT nosuch FROM t");
  table(db, "INSERT INTO t VALUES(4, 'four')");
  table(db, "");
  sqlite3_free_table(0);

  /* Legacy trace and profile. */
  old = sqlite3_trace(db, on_trace, "T1");
  printf("trace first: %s\n", old ? (char*)old : "NULL");
  old = sqlite3_profile(db, on_profile, "P1");
  printf("profile first: %s\n", old ? (char*)old : "NULL");
  sqlite3_prepare_v2(db, "SELECT count(*) FROM t WHERE a > ?1 AND b <> ?2", -1, &st, 0);
  sqlite3_bind_int(st, 1, 0);
  sqlite3_bind_text(st, 2, "it's", -1, SQLITE_STATIC);
  while( sqlite3_step(st)==SQLITE_ROW ) printf("  row %d\n", sqlite3_column_int(st, 0));
  sqlite3_reset(st);
  sqlite3_step(st);
  sqlite3_finalize(st);
  sqlite3_exec(db, "UPDATE t SET b = 'x' WHERE a = 1; SELECT 1", 0, 0, 0);
  sqlite3_exec(db, "SELECT nosuchfn()", 0, 0, 0);
  old = sqlite3_trace(db, on_trace, "T2");
  printf("trace replaced: %s\n", old ? (char*)old : "NULL");
  sqlite3_exec(db, "SELECT 2", 0, 0, 0);
  sqlite3_trace_v2(db, SQLITE_TRACE_STMT, on_v2, "V2");
  sqlite3_exec(db, "SELECT 3", 0, 0, 0);
  old = sqlite3_trace(db, 0, 0);
  printf("trace after trace_v2: %s\n", old ? (char*)old : "NULL");
  old = sqlite3_profile(db, 0, 0);
  printf("profile removed: %s\n", old ? (char*)old : "NULL");
  sqlite3_exec(db, "SELECT 4", 0, 0, 0);

  /* Compile options. */
  printf("compileoption used: THREADSAFE=%d SQLITE_THREADSAFE=1:%d threadsafe=%d THREADSAF=%d ENABLE_COLUMN_METADATA=%d NOPE=%d ''=%d\n",
         sqlite3_compileoption_used("THREADSAFE"), sqlite3_compileoption_used("SQLITE_THREADSAFE=1"), sqlite3_compileoption_used("threadsafe"),
         sqlite3_compileoption_used("THREADSAF"), sqlite3_compileoption_used("ENABLE_COLUMN_METADATA"), sqlite3_compileoption_used("NOPE"),
         sqlite3_compileoption_used(""));
  for(i=0, v=0; sqlite3_compileoption_get(i); i++){
    if( strcmp(sqlite3_compileoption_get(i), "THREADSAFE=1")==0 ) v = 1;
    if( i>0 && strcmp(sqlite3_compileoption_get(i-1), sqlite3_compileoption_get(i))>=0 ) printf("  not sorted at %d\n", i);
  }
  printf("compileoption_get: THREADSAFE=1 listed=%d get(-1)=%p get(end)=%p\n", v, (void*)sqlite3_compileoption_get(-1), (void*)sqlite3_compileoption_get(i));

  /* file_control. */
  v = -7;
  rc = sqlite3_file_control(db, "main", SQLITE_FCNTL_LAST_ERRNO, &v);
  printf("fcntl LAST_ERRNO: rc=%d v=%d\n", rc, v);
  name = 0;
  rc = sqlite3_file_control(db, 0, SQLITE_FCNTL_VFSNAME, &name);
  printf("fcntl VFSNAME: rc=%d name=%s\n", rc, name ? name : "NULL");
  sqlite3_free(name);
  v = -1;
  rc = sqlite3_file_control(db, "main", SQLITE_FCNTL_PERSIST_WAL, &v);
  printf("fcntl PERSIST_WAL query: rc=%d v=%d\n", rc, v);
  v = -1;
  rc = sqlite3_file_control(db, "main", SQLITE_FCNTL_POWERSAFE_OVERWRITE, &v);
  printf("fcntl POWERSAFE_OVERWRITE query: rc=%d v=%d\n", rc, v);
  v = -1;
  rc = sqlite3_file_control(db, "main", SQLITE_FCNTL_HAS_MOVED, &v);
  printf("fcntl HAS_MOVED: rc=%d v=%d\n", rc, v);
  {
    sqlite3_int64 hint = 65536;
    rc = sqlite3_file_control(db, "main", SQLITE_FCNTL_SIZE_HINT, &hint);
    printf("fcntl SIZE_HINT: rc=%d\n", rc);
  }
  printf("fcntl unknown op: %d\n", sqlite3_file_control(db, "main", 9999, 0));
  printf("fcntl unknown db: %d\n", sqlite3_file_control(db, "nosuch", SQLITE_FCNTL_LAST_ERRNO, &v));
  sqlite3_open(":memory:", &mem);
  printf("fcntl :memory: VFSNAME: %d\n", sqlite3_file_control(mem, "main", SQLITE_FCNTL_VFSNAME, &name));
  sqlite3_close(mem);

  printf("db_cacheflush: %d\n", sqlite3_db_cacheflush(db));

  /* stmt_status. */
  sqlite3_prepare_v2(db, "SELECT b FROM t ORDER BY b", -1, &st, 0);
  for(i=0; i<3; i++){ while( sqlite3_step(st)==SQLITE_ROW ){} sqlite3_reset(st); }
  printf("stmt_status: run=%d sort=%d reprepare=%d vm_step>0=%d fullscan=%d autoindex=%d\n",
         sqlite3_stmt_status(st, SQLITE_STMTSTATUS_RUN, 0), sqlite3_stmt_status(st, SQLITE_STMTSTATUS_SORT, 0),
         sqlite3_stmt_status(st, SQLITE_STMTSTATUS_REPREPARE, 0), sqlite3_stmt_status(st, SQLITE_STMTSTATUS_VM_STEP, 0) > 0,
         sqlite3_stmt_status(st, SQLITE_STMTSTATUS_FULLSCAN_STEP, 0) >= 0, sqlite3_stmt_status(st, SQLITE_STMTSTATUS_AUTOINDEX, 0));
  printf("  reset run: was %d now %d\n", sqlite3_stmt_status(st, SQLITE_STMTSTATUS_RUN, 1), sqlite3_stmt_status(st, SQLITE_STMTSTATUS_RUN, 0));
  sqlite3_exec(db, "CREATE TABLE other(x)", 0, 0, 0);
  while( sqlite3_step(st)==SQLITE_ROW ){}
  sqlite3_reset(st);
  printf("  after a schema change: run=%d reprepare=%d memused>0=%d\n", sqlite3_stmt_status(st, SQLITE_STMTSTATUS_RUN, 0),
         sqlite3_stmt_status(st, SQLITE_STMTSTATUS_REPREPARE, 0), sqlite3_stmt_status(st, SQLITE_STMTSTATUS_MEMUSED, 0) > 0);
  sqlite3_finalize(st);

  /* db_status. */
  {
    int cur = -1, hi = -1; sqlite3_int64 c64 = -1, h64 = -1;
    for(i=0; i<3; i++) sqlite3_exec(db, "SELECT count(*) FROM t", 0, 0, 0);
    rc = sqlite3_db_status(db, SQLITE_DBSTATUS_CACHE_USED, &cur, &hi, 0);
    printf("db_status CACHE_USED: rc=%d cur>0=%d\n", rc, cur > 0);
    rc = sqlite3_db_status64(db, SQLITE_DBSTATUS_CACHE_HIT, &c64, &h64, 1);
    printf("db_status64 CACHE_HIT: rc=%d cur>0=%d\n", rc, c64 > 0);
    rc = sqlite3_db_status64(db, SQLITE_DBSTATUS_CACHE_HIT, &c64, &h64, 0);
    printf("  after reset: rc=%d cur=%lld\n", rc, c64);
    sqlite3_exec(db, "INSERT INTO t VALUES(9, 'nine')", 0, 0, 0);
    rc = sqlite3_db_status(db, SQLITE_DBSTATUS_CACHE_WRITE, &cur, &hi, 0);
    printf("db_status CACHE_WRITE after insert: rc=%d cur>0=%d\n", rc, cur > 0);
    rc = sqlite3_db_status(db, SQLITE_DBSTATUS_SCHEMA_USED, &cur, &hi, 0);
    printf("db_status SCHEMA_USED: rc=%d cur>0=%d\n", rc, cur > 0);
    sqlite3_prepare_v2(db, "SELECT * FROM t", -1, &st, 0);
    rc = sqlite3_db_status(db, SQLITE_DBSTATUS_STMT_USED, &cur, &hi, 0);
    printf("db_status STMT_USED with a statement: rc=%d cur>0=%d\n", rc, cur > 0);
    sqlite3_finalize(st);
    rc = sqlite3_db_status(db, SQLITE_DBSTATUS_LOOKASIDE_USED, &cur, &hi, 0);
    printf("db_status LOOKASIDE_USED: rc=%d\n", rc);
    rc = sqlite3_db_status(db, SQLITE_DBSTATUS_DEFERRED_FKS, &cur, &hi, 0);
    printf("db_status DEFERRED_FKS: rc=%d cur=%d\n", rc, cur);
    printf("db_status bad op: %d %d\n", sqlite3_db_status(db, 99, &cur, &hi, 0), sqlite3_db_status(db, -1, &cur, &hi, 0));
    printf("db_release_memory: %d\n", sqlite3_db_release_memory(db));
    table(db, "SELECT count(*) FROM t");
  }

  /* sqlite3_incomplete's bit fields. */
  {
    static const char *inc[] = {"SELECT 1;", "SELECT 1", "   ", "", "SELECT 'abc", "SELECT (1 + (2", "SELECT 1) ;",
      "CREATE TRIGGER x AFTER INSERT ON t BEGIN SELECT 1;", "CREATE TRIGGER x AFTER INSERT ON t BEGIN SELECT 1; END",
      "CREATE TEMP TRIGGER x AFTER INSERT ON t BEGIN SELECT 1; END;", "SELECT 1; /* open", "SELECT 1; -- c", "SELECT [x", "SELECT \"x", "SELECT `x",
      "EXPLAIN SELECT 1", "CREATE TABLE t(x);", "SELECT 1; SELECT (2"};
    for(i=0; i<(int)(sizeof(inc)/sizeof(inc[0])); i++) printf("incomplete(%s) = 0x%llx\n", inc[i], (unsigned long long)sqlite3_incomplete(inc[i]));
  }
  sqlite3_close(db);
  return 0;
}
