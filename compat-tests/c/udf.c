/*
** udf.c: application-defined SQL functions and collations.
**
** sqlite3_create_function(_v2) with scalars of several arities and result
** types, an aggregate using sqlite3_aggregate_context, overloading by
** argument count, replacing and deleting, xDestroy counting, errors from
** functions, misuse return codes; sqlite3_create_collation(_v2) in
** COLLATE expressions, ORDER BY, column definitions and indexes.
*/
#include "harness.h"
#include <sqlite3.h>

static int n_destroy_a = 0, n_destroy_b = 0, n_destroy_c = 0;
static void destroy_a(void *p){ (void)p; n_destroy_a++; }
static void destroy_b(void *p){ (void)p; n_destroy_b++; }
static void destroy_c(void *p){ (void)p; n_destroy_c++; }

static void show(sqlite3 *db, const char *sql){
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
      int t = sqlite3_column_type(st, i);
      switch( t ){
        case SQLITE_NULL: printf(" NULL"); break;
        case SQLITE_INTEGER: printf(" int:%lld", sqlite3_column_int64(st, i)); break;
        case SQLITE_FLOAT: printf(" real:%.6g", sqlite3_column_double(st, i)); break;
        case SQLITE_TEXT: printf(" text:%s", (const char*)sqlite3_column_text(st, i)); break;
        case SQLITE_BLOB: {
          const unsigned char *b = sqlite3_column_blob(st, i);
          int k, nb = sqlite3_column_bytes(st, i);
          printf(" blob:");
          for(k=0; k<nb; k++) printf("%02x", b[k]);
          break;
        }
      }
    }
    printf("\n");
  }
  if( rc!=SQLITE_DONE ) printf("  step rc=%d %s\n", rc, sqlite3_errmsg(db));
  rc = sqlite3_finalize(st);
  if( rc!=SQLITE_OK ) printf("  finalize rc=%d\n", rc);
}

/* Scalars. */
static void f_add(sqlite3_context *c, int n, sqlite3_value **v){
  (void)n;
  sqlite3_result_int64(c, sqlite3_value_int64(v[0]) + sqlite3_value_int64(v[1]));
}
static void f_half(sqlite3_context *c, int n, sqlite3_value **v){
  (void)n; sqlite3_result_double(c, sqlite3_value_double(v[0]) / 2.0);
}
static void f_upper_first(sqlite3_context *c, int n, sqlite3_value **v){
  const unsigned char *t = sqlite3_value_text(v[0]);
  char buf[64];
  (void)n;
  if( t==0 ){ sqlite3_result_null(c); return; }
  snprintf(buf, sizeof buf, "%s", (const char*)t);
  if( buf[0]>='a' && buf[0]<='z' ) buf[0] -= 32;
  sqlite3_result_text(c, buf, -1, SQLITE_TRANSIENT);
}
static void f_blob(sqlite3_context *c, int n, sqlite3_value **v){
  unsigned char b[3] = {1, 2, 255};
  (void)n; (void)v;
  sqlite3_result_blob(c, b, 3, SQLITE_TRANSIENT);
}
static void f_nothing(sqlite3_context *c, int n, sqlite3_value **v){ (void)c; (void)n; (void)v; }
static void f_null(sqlite3_context *c, int n, sqlite3_value **v){ (void)n; (void)v; sqlite3_result_null(c); }
static void f_fail(sqlite3_context *c, int n, sqlite3_value **v){
  (void)n; (void)v; sqlite3_result_error(c, "custom failure", -1);
}
static void f_fail_code(sqlite3_context *c, int n, sqlite3_value **v){
  (void)n; (void)v; sqlite3_result_error_code(c, SQLITE_CONSTRAINT);
}
static void f_nargs(sqlite3_context *c, int n, sqlite3_value **v){
  (void)v; sqlite3_result_int(c, 100 + n);
}
static void f_exact2(sqlite3_context *c, int n, sqlite3_value **v){
  (void)v; sqlite3_result_int(c, 200 + n);
}
static void f_userdata(sqlite3_context *c, int n, sqlite3_value **v){
  (void)n; (void)v;
  sqlite3_result_text(c, (const char*)sqlite3_user_data(c), -1, SQLITE_STATIC);
}
static void f_types(sqlite3_context *c, int n, sqlite3_value **v){
  char buf[64] = {0};
  int i;
  for(i=0; i<n && i<10; i++) buf[i] = "?INFTBN"[sqlite3_value_type(v[i])];
  sqlite3_result_text(c, buf, -1, SQLITE_TRANSIENT);
}
static void f_echo(sqlite3_context *c, int n, sqlite3_value **v){
  (void)n; sqlite3_result_value(c, v[0]);
}
static void f_zb(sqlite3_context *c, int n, sqlite3_value **v){
  (void)n; sqlite3_result_zeroblob(c, sqlite3_value_int(v[0]));
}
static void f_numtype(sqlite3_context *c, int n, sqlite3_value **v){
  (void)n; sqlite3_result_int(c, sqlite3_value_numeric_type(v[0]));
}
static void f_dup(sqlite3_context *c, int n, sqlite3_value **v){
  sqlite3_value *d = sqlite3_value_dup(v[0]);
  (void)n;
  sqlite3_result_value(c, d);
  sqlite3_value_free(d);
}
static void f_db(sqlite3_context *c, int n, sqlite3_value **v){
  (void)n; (void)v;
  sqlite3_result_int(c, sqlite3_context_db_handle(c)==(sqlite3*)sqlite3_user_data(c));
}

/* An aggregate: sum of squares with a count, in the aggregate context. */
typedef struct { long long sum; int n; } Acc;
static void sq_step(sqlite3_context *c, int n, sqlite3_value **v){
  Acc *a = (Acc*)sqlite3_aggregate_context(c, sizeof(Acc));
  (void)n;
  if( a && sqlite3_value_type(v[0])!=SQLITE_NULL ){
    long long x = sqlite3_value_int64(v[0]);
    a->sum += x*x; a->n++;
  }
}
static void sq_final(sqlite3_context *c){
  Acc *a = (Acc*)sqlite3_aggregate_context(c, 0);
  char buf[64];
  if( a==0 ){ sqlite3_result_text(c, "empty", -1, SQLITE_STATIC); return; }
  snprintf(buf, sizeof buf, "%lld/%d", a->sum, a->n);
  sqlite3_result_text(c, buf, -1, SQLITE_TRANSIENT);
}
static void bad_step(sqlite3_context *c, int n, sqlite3_value **v){
  (void)n;
  if( sqlite3_value_int(v[0])==3 ) sqlite3_result_error(c, "three is bad", -1);
}
static void bad_final(sqlite3_context *c){ sqlite3_result_int(c, 1); }

/* Collations. */
static int n_cmp = 0;
static int coll_rev(void *p, int na, const void *a, int nb, const void *b){
  int n = na<nb ? na : nb;
  int r = memcmp(a, b, n);
  (void)p; n_cmp++;
  if( r==0 ) r = na - nb;
  return -r;
}
/* Compares by length, then bytes. */
static int coll_len(void *p, int na, const void *a, int nb, const void *b){
  (void)p;
  if( na!=nb ) return na - nb;
  return memcmp(a, b, na);
}

/* A UTF-16 collation: remembers the byte lengths it was given and compares
** the first code unit (little-endian as registered with SQLITE_UTF16LE). */
static int last_na = -1, last_nb = -1;
static int coll_u16(void *p, int na, const void *a, int nb, const void *b){
  const unsigned char *x = a, *y = b;
  (void)p;
  last_na = na; last_nb = nb;
  if( na<2 || nb<2 ) return na - nb;
  return (x[0] | x[1]<<8) - (y[0] | y[1]<<8);
}

int main(int argc, char **argv){
  sqlite3 *db, *mem;
  sqlite3_stmt *st;
  int rc;
  static char ud[] = "hello from user data";
  char longname[300];

  ferrolite_check_lib();
  if( argc<2 ) return 2;
  if( sqlite3_open(argv[1], &db)!=SQLITE_OK ) return 1;

  /* Scalars of several arities and result types. */
  printf("add %d\n", sqlite3_create_function(db, "add2", 2, SQLITE_UTF8|SQLITE_DETERMINISTIC, 0, f_add, 0, 0));
  printf("half %d\n", sqlite3_create_function_v2(db, "half", 1, SQLITE_UTF8, 0, f_half, 0, 0, 0));
  printf("upfirst %d\n", sqlite3_create_function(db, "upfirst", 1, SQLITE_UTF8|SQLITE_INNOCUOUS, 0, f_upper_first, 0, 0));
  printf("blob %d\n", sqlite3_create_function(db, "mkblob", 0, SQLITE_UTF8, 0, f_blob, 0, 0));
  printf("nothing %d\n", sqlite3_create_function(db, "nothing", -1, SQLITE_UTF8, 0, f_nothing, 0, 0));
  printf("null %d\n", sqlite3_create_function(db, "mknull", 0, SQLITE_UTF16, 0, f_null, 0, 0));
  printf("fail %d\n", sqlite3_create_function(db, "fail", -1, SQLITE_UTF8|SQLITE_DIRECTONLY, 0, f_fail, 0, 0));
  printf("failcode %d\n", sqlite3_create_function(db, "failcode", 0, SQLITE_ANY, 0, f_fail_code, 0, 0));
  printf("ud %d\n", sqlite3_create_function(db, "ud", 0, SQLITE_UTF8, ud, f_userdata, 0, 0));
  printf("types %d\n", sqlite3_create_function(db, "types", -1, SQLITE_UTF8, 0, f_types, 0, 0));
  printf("echo %d\n", sqlite3_create_function(db, "echo", 1, SQLITE_UTF8, 0, f_echo, 0, 0));
  printf("zb %d\n", sqlite3_create_function(db, "zb", 1, SQLITE_UTF8, 0, f_zb, 0, 0));
  printf("numtype %d\n", sqlite3_create_function(db, "numtype", 1, SQLITE_UTF8, 0, f_numtype, 0, 0));
  printf("dup %d\n", sqlite3_create_function(db, "dup", 1, SQLITE_UTF8, 0, f_dup, 0, 0));
  printf("dbh %d\n", sqlite3_create_function(db, "dbh", 0, SQLITE_UTF8, db, f_db, 0, 0));
  show(db, "SELECT add2(2, 40), add2('7', 1.9), half(5), half(NULL), upfirst('abc'), upfirst(NULL)");
  show(db, "SELECT mkblob(), nothing(), nothing(1,2,3), mknull(), ud(), dbh()");
  show(db, "SELECT types(1, 2.5, 'x', x'00', NULL), types()");
  show(db, "SELECT echo(3), echo('t'), echo(x'0102'), echo(NULL), echo(1.5), zb(3), length(zb(0))");
  show(db, "SELECT numtype('12'), numtype('1.5'), numtype('abc'), numtype(7), dup('dd'), dup(42)");
  show(db, "SELECT fail()");
  show(db, "SELECT fail(1, 2)");
  show(db, "SELECT failcode()");
  show(db, "SELECT add2(1)");
  show(db, "SELECT nosuchfunc(1)");
  show(db, "CREATE TABLE t(a INTEGER, b TEXT)");
  show(db, "INSERT INTO t VALUES (1, 'one'), (2, 'two'), (3, 'three'), (NULL, 'none'), (4, 'two')");
  show(db, "SELECT a, add2(a, 10), upfirst(b) FROM t WHERE add2(a, 0) > 1 ORDER BY add2(a, a) DESC");

  /* Aggregates. */
  printf("sumsq %d\n", sqlite3_create_function(db, "sumsq", 1, SQLITE_UTF8, 0, 0, sq_step, sq_final));
  printf("badagg %d\n", sqlite3_create_function(db, "badagg", 1, SQLITE_UTF8, 0, 0, bad_step, bad_final));
  show(db, "SELECT sumsq(a) FROM t");
  show(db, "SELECT sumsq(a) FROM t WHERE a > 100");
  show(db, "SELECT b, sumsq(a), count(*) FROM t GROUP BY b ORDER BY b");
  show(db, "SELECT badagg(a) FROM t");
  show(db, "SELECT badagg(a) FROM t WHERE a < 3");
  show(db, "SELECT sumsq(a) FROM t GROUP BY b HAVING sumsq(a) <> '1/1' ORDER BY 1");
  show(db, "SELECT sumsq()");
  show(db, "SELECT sumsq(DISTINCT b IS NOT NULL) FROM t");
  show(db, "SELECT sumsq(a) FILTER (WHERE a > 1) FROM t");
  show(db, "SELECT upfirst(b), sumsq(a) FROM t GROUP BY 1 ORDER BY 1");
  show(db, "SELECT sumsq(sumsq(a)) FROM t");
  show(db, "SELECT add2(count(*), 1), upfirst(sumsq(a)) FROM t");
  show(db, "SELECT (SELECT sumsq(a) FROM t AS u WHERE u.a <= t.a) FROM t ORDER BY a");

  /* Overloading by argument count: exact beats -1. */
  printf("nargs -1 %d\n", sqlite3_create_function(db, "ov", -1, SQLITE_UTF8, 0, f_nargs, 0, 0));
  printf("nargs 2 %d\n", sqlite3_create_function(db, "ov", 2, SQLITE_UTF8, 0, f_exact2, 0, 0));
  show(db, "SELECT ov(), ov(1), ov(1,2), ov(1,2,3), OV(1,2)");
  /* User functions override built-ins of the same name and arity. */
  printf("abs override %d\n", sqlite3_create_function(db, "abs", 1, SQLITE_UTF8, 0, f_nargs, 0, 0));
  show(db, "SELECT abs(-5), length('abc')");
  printf("abs delete %d\n", sqlite3_create_function(db, "abs", 1, SQLITE_UTF8, 0, 0, 0, 0));
  show(db, "SELECT abs(-5)");
  printf("abs again %d\n", sqlite3_create_function(db, "abs", 1, SQLITE_UTF8, 0, f_nargs, 0, 0));
  show(db, "SELECT abs(-5)");

  /* Replacing and deleting, with destructor counts. */
  printf("v2 a %d\n", sqlite3_create_function_v2(db, "rep", 1, SQLITE_UTF8, 0, f_nargs, 0, 0, destroy_a));
  st = 0;
  sqlite3_prepare_v2(db, "SELECT rep(1)", -1, &st, 0);
  sqlite3_step(st);
  printf("step row %d\n", sqlite3_column_int(st, 0));
  rc = sqlite3_create_function_v2(db, "rep", 1, SQLITE_UTF8, 0, f_exact2, 0, 0, destroy_b);
  printf("replace while active %d (%s) a=%d b=%d\n", rc, sqlite3_errmsg(db), n_destroy_a, n_destroy_b);
  rc = sqlite3_create_function_v2(db, "rep", 2, SQLITE_UTF8, 0, f_exact2, 0, 0, destroy_c);
  printf("new arity while active %d c=%d\n", rc, n_destroy_c);
  sqlite3_reset(st);
  rc = sqlite3_create_function_v2(db, "rep", 1, SQLITE_UTF8, 0, f_exact2, 0, 0, destroy_b);
  printf("replace %d a=%d b=%d\n", rc, n_destroy_a, n_destroy_b);
  rc = sqlite3_step(st);
  printf("old stmt after replace rc=%d value %d\n", rc, sqlite3_column_int(st, 0));
  sqlite3_finalize(st);
  rc = sqlite3_create_function_v2(db, "rep", 1, SQLITE_UTF8, 0, 0, 0, 0, 0);
  printf("delete %d a=%d b=%d\n", rc, n_destroy_a, n_destroy_b);
  show(db, "SELECT rep(1)");
  show(db, "SELECT rep(1, 2)");
  rc = sqlite3_create_function_v2(db, "nonexistent", 1, SQLITE_UTF8, 0, 0, 0, 0, destroy_a);
  printf("delete nonexistent with destroy %d a=%d\n", rc, n_destroy_a);

  /* Misuse. */
  printf("nArg -2 %d a=%d\n", sqlite3_create_function_v2(db, "m", -2, SQLITE_UTF8, 0, f_nargs, 0, 0, destroy_a), n_destroy_a);
  printf("nArg 1001 %d\n", sqlite3_create_function(db, "m", 1001, SQLITE_UTF8, 0, f_nargs, 0, 0));
  printf("nArg 1000 %d\n", sqlite3_create_function(db, "m", 1000, SQLITE_UTF8, 0, f_nargs, 0, 0));
  printf("func+step %d\n", sqlite3_create_function(db, "m", 1, SQLITE_UTF8, 0, f_nargs, sq_step, 0));
  printf("func+final %d\n", sqlite3_create_function(db, "m", 1, SQLITE_UTF8, 0, f_nargs, 0, sq_final));
  printf("step only %d\n", sqlite3_create_function(db, "m", 1, SQLITE_UTF8, 0, 0, sq_step, 0));
  printf("null name %d\n", sqlite3_create_function(db, 0, 1, SQLITE_UTF8, 0, f_nargs, 0, 0));
  memset(longname, 'x', sizeof longname); longname[256] = 0;
  printf("name 256 %d a=%d\n", sqlite3_create_function_v2(db, longname, 1, SQLITE_UTF8, 0, f_nargs, 0, 0, destroy_a), n_destroy_a);
  longname[255] = 0;
  printf("name 255 %d\n", sqlite3_create_function(db, longname, 1, SQLITE_UTF8, 0, f_nargs, 0, 0));
  printf("odd encoding %d\n", sqlite3_create_function(db, "enc9", 0, 9, 0, f_null, 0, 0));

  /* Destructors on close. */
  printf("v2 c %d\n", sqlite3_create_function_v2(db, "keep", 0, SQLITE_UTF8, 0, f_null, 0, 0, destroy_c));
  printf("v2 c any %d\n", sqlite3_create_function_v2(db, "keepany", 0, SQLITE_ANY, 0, f_null, 0, 0, destroy_c));
  show(db, "SELECT keep(), keepany()");
  show(db, "DROP TABLE t");
  printf("before close a=%d b=%d c=%d\n", n_destroy_a, n_destroy_b, n_destroy_c);
  printf("close %d\n", sqlite3_close(db));
  printf("after close a=%d b=%d c=%d\n", n_destroy_a, n_destroy_b, n_destroy_c);

  /* Collations, in a memory database (the file must stay readable by a
  ** library that lacks them). */
  n_destroy_a = n_destroy_b = n_destroy_c = 0;
  if( sqlite3_open(":memory:", &mem)!=SQLITE_OK ) return 1;
  show(mem, "SELECT 'a' = 'A' COLLATE nosuch");
  printf("rev %d\n", sqlite3_create_collation_v2(mem, "rev", SQLITE_UTF8, 0, coll_rev, destroy_a));
  printf("len %d\n", sqlite3_create_collation(mem, "bylen", SQLITE_UTF8, 0, coll_len));
  show(mem, "CREATE TABLE w(x TEXT)");
  show(mem, "INSERT INTO w VALUES ('pear'), ('apple'), ('fig'), ('banana'), ('kiwi'), ('Fig')");
  show(mem, "SELECT x FROM w ORDER BY x COLLATE rev");
  show(mem, "SELECT x FROM w ORDER BY x COLLATE bylen, x");
  show(mem, "SELECT 'abc' = 'xyz' COLLATE bylen, 'abc' < 'ab' COLLATE bylen, 'b' < 'a' COLLATE rev");
  show(mem, "SELECT x FROM w WHERE x = 'zzzz' COLLATE bylen ORDER BY x");
  show(mem, "CREATE TABLE c(x TEXT COLLATE bylen, y)");
  show(mem, "INSERT INTO c SELECT x, rowid FROM w");
  show(mem, "SELECT x FROM c ORDER BY x");
  show(mem, "SELECT x FROM c WHERE x = 'abc'");
  show(mem, "SELECT x FROM c WHERE x > 'zzzz' ORDER BY x");
  show(mem, "CREATE INDEX wi ON w(x COLLATE rev)");
  show(mem, "SELECT x FROM w INDEXED BY wi WHERE x COLLATE rev > ''");
  show(mem, "SELECT x FROM w ORDER BY x COLLATE rev");
  show(mem, "CREATE INDEX ci ON c(x)");
  show(mem, "SELECT x FROM c INDEXED BY ci WHERE x > ''");
  show(mem, "PRAGMA integrity_check");
  show(mem, "CREATE TABLE bad(x COLLATE nosuch)");
  show(mem, "SELECT x FROM w ORDER BY x COLLATE nosuch");

  printf("u16 %d\n", sqlite3_create_collation(mem, "u16", SQLITE_UTF16LE, 0, coll_u16));
  show(mem, "SELECT 'abc' < 'b' COLLATE u16, 'zz' = 'zy' COLLATE u16, 'é' > 'z' COLLATE u16");
  printf("u16 lengths %d %d\n", last_na, last_nb);

  /* A collation registered inside a transaction. */
  show(mem, "BEGIN");
  show(mem, "INSERT INTO w VALUES ('mango')");
  printf("coll in txn %d\n", sqlite3_create_collation(mem, "bylen2", SQLITE_UTF8, 0, coll_len));
  show(mem, "SELECT x FROM w ORDER BY x COLLATE bylen2, x");
  show(mem, "INSERT INTO c VALUES ('zz', 99)");
  show(mem, "COMMIT");
  show(mem, "SELECT count(*) FROM w");
  show(mem, "SELECT x FROM c ORDER BY x");
  show(mem, "PRAGMA integrity_check");

  /* Busy, replacement and removal. */
  st = 0;
  sqlite3_prepare_v2(mem, "SELECT x FROM c ORDER BY x COLLATE rev", -1, &st, 0);
  sqlite3_step(st);
  rc = sqlite3_create_collation_v2(mem, "rev", SQLITE_UTF8, 0, coll_len, destroy_b);
  printf("replace coll while active %d (%s) a=%d b=%d\n", rc, sqlite3_errmsg(mem), n_destroy_a, n_destroy_b);
  rc = sqlite3_create_collation_v2(mem, "newcoll", SQLITE_UTF8, 0, coll_len, destroy_c);
  printf("new coll while active %d c=%d\n", rc, n_destroy_c);
  sqlite3_reset(st);
  rc = sqlite3_create_collation_v2(mem, "rev", SQLITE_UTF8, 0, coll_len, destroy_b);
  printf("replace coll %d a=%d b=%d\n", rc, n_destroy_a, n_destroy_b);
  printf("old stmt:");
  while( sqlite3_step(st)==SQLITE_ROW ) printf(" %s", (const char*)sqlite3_column_text(st, 0));
  printf("\n");
  sqlite3_finalize(st);
  printf("coll bad enc %d\n", sqlite3_create_collation_v2(mem, "e", SQLITE_ANY, 0, coll_len, destroy_a));
  printf("coll bad enc 0 %d a=%d\n", sqlite3_create_collation_v2(mem, "e", 0, 0, coll_len, destroy_a), n_destroy_a);
  show(mem, "DROP INDEX wi");
  rc = sqlite3_create_collation(mem, "rev", SQLITE_UTF8, 0, 0);
  printf("remove coll %d a=%d b=%d\n", rc, n_destroy_a, n_destroy_b);
  show(mem, "SELECT x FROM w ORDER BY x COLLATE rev");
  printf("close %d a=%d b=%d c=%d\n", sqlite3_close(mem), n_destroy_a, n_destroy_b, n_destroy_c);
  printf("compare calls happened: %d\n", n_cmp > 0);
  return 0;
}
