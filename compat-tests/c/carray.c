/*
** carray.c: the carray() table-valued function (SQLITE_ENABLE_CARRAY)
** and the pointer-passing interfaces it rests on.
**
** carray(?1) with sqlite3_carray_bind / _v2 for each element type
** (int32, int64, double, char* with a NULL element, struct iovec), with
** SQLITE_STATIC, SQLITE_TRANSIENT (the copy outlives the caller's array)
** and a destructor (when it runs: rebinding, finalize, a bad flag);
** carray(?1, n [, 'type']) with sqlite3_bind_pointer(.., "carray", ..);
** joins and IN (SELECT value FROM carray(...)); an unbound or non-pointer
** argument (no rows), an unknown type name, the hidden columns; pointer
** values are NULL to SQL (typeof, quote, comparisons) and
** sqlite3_value_pointer sees them only with the right type name, also
** through sqlite3_result_pointer from an application function.
*/
#include "harness.h"
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <sys/uio.h>

static int ndestroyed;
static void destroy(void *p){ ndestroyed++; printf("  destructor(%s)\n", p ? (const char*)p : "NULL"); }

static void run(sqlite3_stmt *st){
  int rc;
  while( (rc = sqlite3_step(st))==SQLITE_ROW ){
    int i;
    printf("  row:");
    for(i=0; i<sqlite3_column_count(st); i++){
      switch( sqlite3_column_type(st, i) ){
        case SQLITE_NULL: printf(" NULL"); break;
        case SQLITE_INTEGER: printf(" %lld", sqlite3_column_int64(st, i)); break;
        case SQLITE_FLOAT: printf(" %g", sqlite3_column_double(st, i)); break;
        case SQLITE_TEXT: printf(" '%s'", (const char*)sqlite3_column_text(st, i)); break;
        default: {
          int n = sqlite3_column_bytes(st, i), k;
          const unsigned char *b = sqlite3_column_blob(st, i);
          printf(" x'");
          for(k=0; k<n; k++) printf("%02x", b[k]);
          printf("'");
        }
      }
    }
    printf("\n");
  }
  if( rc!=SQLITE_DONE ) printf("  step rc=%d %s\n", rc, sqlite3_errmsg(sqlite3_db_handle(st)));
  sqlite3_reset(st);
}

static sqlite3_stmt *prep(sqlite3 *db, const char *sql){
  sqlite3_stmt *st = 0;
  printf("%s\n", sql);
  if( sqlite3_prepare_v2(db, sql, -1, &st, 0)!=SQLITE_OK ){
    printf("  prepare error: %s\n", sqlite3_errmsg(db));
    return 0;
  }
  return st;
}

/* ptrtype(X): the type name sqlite3_value_pointer recognises, or 'none'. */
static void ptrtype(sqlite3_context *ctx, int argc, sqlite3_value **argv){
  (void)argc;
  if( sqlite3_value_pointer(argv[0], "carray") ) sqlite3_result_text(ctx, "carray", -1, SQLITE_STATIC);
  else if( sqlite3_value_pointer(argv[0], "carray-bind") ) sqlite3_result_text(ctx, "carray-bind", -1, SQLITE_STATIC);
  else if( sqlite3_value_pointer(argv[0], "mine") ) sqlite3_result_text(ctx, (const char*)sqlite3_value_pointer(argv[0], "mine"), -1, SQLITE_TRANSIENT);
  else sqlite3_result_text(ctx, "none", -1, SQLITE_STATIC);
}

/* mkptr(): a pointer of type "mine" to a static string, with a destructor. */
static char mine[] = "mine-pointer";
static void mkptr(sqlite3_context *ctx, int argc, sqlite3_value **argv){
  (void)argc; (void)argv;
  sqlite3_result_pointer(ctx, mine, "mine", destroy);
}

int main(int argc, char **argv){
  sqlite3 *db;
  sqlite3_stmt *st;
  int rc;
  int a32[] = {3, -1, 4, 1, 5};
  sqlite3_int64 a64[] = {5000000000LL, -7};
  double ad[] = {1.5, -0.25, 1e100};
  const char *az[] = {"alpha", 0, "gamma"};
  char heap[3][8];
  const char *az2[3];
  struct iovec av[2];
  static char dstr[] = "destroyed-array";

  ferrolite_check_lib();
  if( argc<2 ){ printf("usage: carray DB\n"); return 1; }
  if( sqlite3_open(argv[1], &db)!=SQLITE_OK ){ printf("open failed\n"); return 1; }
  sqlite3_create_function(db, "ptrtype", 1, SQLITE_UTF8, 0, ptrtype, 0, 0);
  sqlite3_create_function(db, "mkptr", 0, SQLITE_UTF8, 0, mkptr, 0, 0);

  st = prep(db, "SELECT value, rowid FROM carray(?1)");
  if( st ){
    printf(" int32 static\n");
    rc = sqlite3_carray_bind(st, 1, a32, 5, SQLITE_CARRAY_INT32, SQLITE_STATIC); printf("  bind rc=%d\n", rc);
    run(st);
    printf(" int64 static\n");
    sqlite3_carray_bind(st, 1, a64, 2, SQLITE_CARRAY_INT64, SQLITE_STATIC); run(st);
    printf(" double static\n");
    sqlite3_carray_bind(st, 1, ad, 3, SQLITE_CARRAY_DOUBLE, SQLITE_STATIC); run(st);
    printf(" text static\n");
    sqlite3_carray_bind(st, 1, (void*)az, 3, SQLITE_CARRAY_TEXT, SQLITE_STATIC); run(st);
    printf(" text transient (the caller's strings change after the bind)\n");
    strcpy(heap[0], "one"); strcpy(heap[1], "two"); strcpy(heap[2], "three");
    az2[0] = heap[0]; az2[1] = heap[1]; az2[2] = heap[2];
    sqlite3_carray_bind(st, 1, (void*)az2, 3, SQLITE_CARRAY_TEXT, SQLITE_TRANSIENT);
    strcpy(heap[0], "XXX"); az2[1] = 0;
    run(st);
    printf(" blob transient\n");
    av[0].iov_base = "ab\001"; av[0].iov_len = 3;
    av[1].iov_base = ""; av[1].iov_len = 0;
    sqlite3_carray_bind(st, 1, av, 2, SQLITE_CARRAY_BLOB, SQLITE_TRANSIENT); run(st);
    printf(" empty array\n");
    sqlite3_carray_bind(st, 1, a32, 0, SQLITE_CARRAY_INT32, SQLITE_STATIC); run(st);
    printf(" with a destructor (v2), then rebound\n");
    rc = sqlite3_carray_bind_v2(st, 1, a32, 2, SQLITE_CARRAY_INT32, destroy, dstr); printf("  bind rc=%d\n", rc);
    run(st);
    printf("  destructions so far: %d\n", ndestroyed);
    sqlite3_bind_null(st, 1);
    printf("  after rebinding NULL: %d\n", ndestroyed);
    run(st);
    printf(" a bad flag\n");
    rc = sqlite3_carray_bind_v2(st, 1, a32, 2, 9, destroy, dstr); printf("  bind rc=%d destructions %d\n", rc, ndestroyed);
    printf(" a bad index\n");
    rc = sqlite3_carray_bind_v2(st, 7, a32, 2, SQLITE_CARRAY_INT32, destroy, dstr); printf("  bind rc=%d destructions %d\n", rc, ndestroyed);
    printf(" a plain integer as the argument\n");
    sqlite3_bind_int(st, 1, 1234); run(st);
    printf(" carray_bind with a destructor, then finalize\n");
    sqlite3_carray_bind(st, 1, dstr, 0, SQLITE_CARRAY_INT32, destroy);
    sqlite3_finalize(st);
    printf("  destructions: %d\n", ndestroyed);
  }

  st = prep(db, "SELECT value, count, ctype, pointer, typeof(pointer) FROM carray(?1, ?2, ?3) WHERE value > 0");
  if( st ){
    sqlite3_bind_pointer(st, 1, a32, "carray", 0);
    sqlite3_bind_int(st, 2, 5);
    sqlite3_bind_text(st, 3, "INT32", -1, SQLITE_STATIC);
    run(st);
    sqlite3_bind_pointer(st, 1, ad, "carray", 0);
    sqlite3_bind_int(st, 2, 2);
    sqlite3_bind_text(st, 3, "double", -1, SQLITE_STATIC);
    run(st);
    sqlite3_bind_pointer(st, 1, (void*)az, "carray", 0);
    sqlite3_bind_int(st, 2, 3);
    sqlite3_bind_text(st, 3, "char*", -1, SQLITE_STATIC);
    run(st);
    sqlite3_bind_text(st, 3, "float", -1, SQLITE_STATIC);
    run(st);
    sqlite3_bind_null(st, 3);
    run(st);
    printf(" the wrong pointer type\n");
    sqlite3_bind_pointer(st, 1, a32, "carray-bind", 0);
    sqlite3_bind_text(st, 3, "int32", -1, SQLITE_STATIC);
    run(st);
    sqlite3_finalize(st);
  }

  st = prep(db, "SELECT value FROM carray(?1, 4) ORDER BY value DESC");
  if( st ){ sqlite3_bind_pointer(st, 1, a32, "carray", 0); run(st); sqlite3_finalize(st); }

  st = prep(db, "SELECT typeof(?1), quote(?1), ?1 IS NULL, ptrtype(?1), ptrtype(?2), ptrtype(mkptr()), ptrtype(5)");
  if( st ){
    sqlite3_bind_pointer(st, 1, a32, "carray", 0);
    sqlite3_carray_bind(st, 2, a32, 1, SQLITE_CARRAY_INT32, SQLITE_STATIC);
    run(st);
    printf("  destructions: %d\n", ndestroyed);
    sqlite3_finalize(st);
  }

  sqlite3_exec(db, "CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT); INSERT INTO t VALUES(1,'a'),(3,'c'),(4,'d'),(9,'i')", 0, 0, 0);
  st = prep(db, "SELECT id, name FROM t WHERE id IN (SELECT value FROM carray(?1)) ORDER BY id");
  if( st ){ sqlite3_carray_bind(st, 1, a32, 5, SQLITE_CARRAY_INT32, SQLITE_STATIC); run(st); sqlite3_finalize(st); }
  st = prep(db, "SELECT t.name, c.value FROM carray(?1) AS c JOIN t ON t.id = c.value ORDER BY c.rowid");
  if( st ){ sqlite3_carray_bind(st, 1, a32, 5, SQLITE_CARRAY_INT32, SQLITE_STATIC); run(st); sqlite3_finalize(st); }
  st = prep(db, "INSERT INTO t(name) SELECT value FROM carray(?1)");
  if( st ){ sqlite3_carray_bind(st, 1, (void*)az, 3, SQLITE_CARRAY_TEXT, SQLITE_STATIC); run(st); sqlite3_finalize(st); }
  st = prep(db, "SELECT * FROM t ORDER BY id");
  if( st ){ run(st); sqlite3_finalize(st); }
  st = prep(db, "SELECT * FROM carray");
  if( st ){ run(st); sqlite3_finalize(st); }
  st = prep(db, "SELECT value FROM carray(1, 2)");
  if( st ){ run(st); sqlite3_finalize(st); }

  sqlite3_close(db);
  printf("destructions at the end: %d\n", ndestroyed);
  return 0;
}
