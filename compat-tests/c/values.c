/*
** values.c: the 64-bit and encoding-aware binds and results
** (bind_text64, bind_zeroblob64, bind_value, result_blob64, result_text64,
** result_zeroblob64), column_value, value_encoding, value_nochange,
** value_pointer, get/set_auxdata (destructor timing for non-constant
** arguments), aggregate_count, get/set_clientdata (replacement, removal,
** destructors at close), and the refusal paths of bind_pointer /
** result_pointer; sqlite3_overload_function.
*/
#include "harness.h"
#include <sqlite3.h>

static char *dup(const char *z){ char *p = sqlite3_malloc((int)strlen(z)+1); strcpy(p, z); return p; }
static int n_free = 0;
static void counting_free(void *p){ n_free++; (void)p; }

static void show(sqlite3 *db, const char *sql){
  sqlite3_stmt *st = 0; int rc, i;
  printf("%s\n", sql);
  if( (rc = sqlite3_prepare_v2(db, sql, -1, &st, 0)) ){ printf("  prepare rc=%d %s\n", rc, sqlite3_errmsg(db)); return; }
  while( (rc = sqlite3_step(st))==SQLITE_ROW ){
    printf(" ");
    for(i=0; i<sqlite3_column_count(st); i++){
      int t = sqlite3_column_type(st, i);
      if( t==SQLITE_NULL ) printf(" NULL");
      else if( t==SQLITE_BLOB ){ int k, n = sqlite3_column_bytes(st, i); const unsigned char *b = sqlite3_column_blob(st, i); printf(" x'"); for(k=0;k<n;k++) printf("%02x", b[k]); printf("'"); }
      else printf(" %d:%s", t, sqlite3_column_text(st, i));
    }
    printf("\n");
  }
  if( rc!=SQLITE_DONE ) printf("  step rc=%d %s\n", rc, sqlite3_errmsg(db));
  sqlite3_finalize(st);
}

static void f_r64(sqlite3_context *c, int n, sqlite3_value **v){
  int k = sqlite3_value_int(v[0]);
  static const unsigned short hi16[] = {'h', 0xe9, 0};
  static const unsigned char hi16be[] = {0, 'h', 0, 0xe9, 0, 0};
  (void)n;
  switch( k ){
    case 0: sqlite3_result_blob64(c, "\x01\x02\x03", 3, SQLITE_TRANSIENT); break;
    case 1: sqlite3_result_text64(c, "h\xc3\xa9llo", 4, SQLITE_TRANSIENT, SQLITE_UTF8); break;
    case 2: sqlite3_result_text64(c, (const char*)hi16, 4, SQLITE_TRANSIENT, SQLITE_UTF16); break;
    case 3: sqlite3_result_text64(c, (const char*)hi16be, 5, SQLITE_TRANSIENT, SQLITE_UTF16BE); break;
    case 4: printf("    zeroblob64 rc=%d\n", sqlite3_result_zeroblob64(c, 4)); break;
    case 5: printf("    zeroblob64 big rc=%d\n", sqlite3_result_zeroblob64(c, (sqlite3_uint64)1 << 40)); break;
    case 6: sqlite3_result_blob64(c, "abc", 3, counting_free); break;
    case 7: sqlite3_result_text64(c, "xyz", (sqlite3_uint64)-1, SQLITE_TRANSIENT, SQLITE_UTF8); break;
  }
}

static void f_enc(sqlite3_context *c, int n, sqlite3_value **v){
  int e0, e1, e2;
  (void)n;
  e0 = sqlite3_value_encoding(v[0]);
  sqlite3_value_text16be(v[0]);
  e1 = sqlite3_value_encoding(v[0]);
  sqlite3_value_text(v[0]);
  e2 = sqlite3_value_encoding(v[0]);
  printf("    encoding type=%d: %d %d %d nochange=%d pointer=%p\n", sqlite3_value_type(v[0]), e0, e1, e2, sqlite3_value_nochange(v[0]), sqlite3_value_pointer(v[0], "x"));
  sqlite3_result_int(c, 1);
}

static void aux_free_mprintf(void *p);
static void f_aux(sqlite3_context *c, int n, sqlite3_value **v){
  char *prev = sqlite3_get_auxdata(c, 0);
  char *mine;
  (void)n;
  printf("    aux(%s): previous=%s other=%p\n", sqlite3_value_text(v[0]), prev ? prev : "(none)", sqlite3_get_auxdata(c, 5));
  mine = dup((const char*)sqlite3_value_text(v[0]));
  sqlite3_set_auxdata(c, 0, mine, aux_free_mprintf);
  printf("    aux after set: %s\n", (char*)sqlite3_get_auxdata(c, 0));
  sqlite3_result_int(c, 1);
}
static void aux_free_mprintf(void *p){ printf("    aux destructor(%s)\n", (char*)p); sqlite3_free(p); }
static void f_aux2(sqlite3_context *c, int n, sqlite3_value **v){
  (void)n; (void)v;
  sqlite3_set_auxdata(c, 0, dup("first"), aux_free_mprintf);
  sqlite3_set_auxdata(c, 0, dup("second"), aux_free_mprintf);
  printf("    aux replaced: %s\n", (char*)sqlite3_get_auxdata(c, 0));
  sqlite3_result_null(c);
}

static void cnt_step(sqlite3_context *c, int n, sqlite3_value **v){
  (void)n; (void)v;
  printf("    step: aggregate_count=%d\n", sqlite3_aggregate_count(c));
}
static void cnt_final(sqlite3_context *c){
  sqlite3_result_int(c, sqlite3_aggregate_count(c));
}

static void f_ptr(sqlite3_context *c, int n, sqlite3_value **v){
  (void)n; (void)v;
  sqlite3_result_pointer(c, (void*)"p", "ptype", counting_free);
}

static void cd_free(void *p){ printf("  clientdata destructor(%s)\n", (char*)p); }

int main(int argc, char **argv){
  sqlite3 *db; sqlite3_stmt *st, *st2; int rc, i;
  static const unsigned short t16[] = {'w', 0x00fc, 'r', 'z', 0};
  static const unsigned char t16be[] = {0, 'a', 0, 'b', 0, 0};
  ferrolite_check_lib();
  setvbuf(stdout, 0, _IONBF, 0);
  if( argc<2 ) return 2;
  remove(argv[1]);
  if( sqlite3_open(argv[1], &db) ) return 1;
  sqlite3_exec(db, "CREATE TABLE t(a, b); INSERT INTO t VALUES(1, 'x'), (2, 'y'), (3, 'y'), (4, 'y');", 0, 0, 0);

  /* bind_text64 in each encoding, zeroblob64, bind_value. */
  sqlite3_prepare_v2(db, "SELECT ?1, hex(?1), ?2, ?3, hex(?3), ?4, length(?5), typeof(?5), ?6, ?7", -1, &st, 0);
  printf("bind_text64 utf8: %d\n", sqlite3_bind_text64(st, 1, "h\xc3\xa9!", 3, SQLITE_TRANSIENT, SQLITE_UTF8));
  printf("bind_text64 utf16: %d\n", sqlite3_bind_text64(st, 2, (const char*)t16, 8, SQLITE_STATIC, SQLITE_UTF16));
  printf("bind_text64 utf16be: %d\n", sqlite3_bind_text64(st, 3, (const char*)t16be, (sqlite3_uint64)-1, SQLITE_STATIC, SQLITE_UTF16BE));
  printf("bind_text64 utf16le odd: %d\n", sqlite3_bind_text64(st, 4, (const char*)t16, 5, counting_free, SQLITE_UTF16LE));
  printf("  destructor calls: %d\n", n_free);
  printf("bind_zeroblob64: %d\n", sqlite3_bind_zeroblob64(st, 5, 3));
  printf("bind_zeroblob64 too big: %d errmsg=%s\n", sqlite3_bind_zeroblob64(st, 5, (sqlite3_uint64)1 << 40), sqlite3_errmsg(db));
  printf("bind_zeroblob64 range: %d\n", sqlite3_bind_zeroblob64(st, 11, 1));
  printf("bind_text64 utf8 -1: %d\n", sqlite3_bind_text64(st, 6, "neg", (sqlite3_uint64)-1, SQLITE_STATIC, SQLITE_UTF8));
  sqlite3_prepare_v2(db, "SELECT 'from', x'ab', 7.5", -1, &st2, 0);
  sqlite3_step(st2);
  printf("bind_value: %d\n", sqlite3_bind_value(st, 7, sqlite3_column_value(st2, 2)));
  printf("column_value types: %d %d %d\n", sqlite3_value_type(sqlite3_column_value(st2, 0)), sqlite3_value_type(sqlite3_column_value(st2, 1)), sqlite3_value_type(sqlite3_column_value(st2, 2)));
  printf("column_value text: %s bytes=%d\n", sqlite3_value_text(sqlite3_column_value(st2, 0)), sqlite3_value_bytes(sqlite3_column_value(st2, 1)));
  sqlite3_finalize(st2);
  while( sqlite3_step(st)==SQLITE_ROW ){
    for(i=0; i<10; i++) printf("  [%d] %d:%s\n", i, sqlite3_column_type(st, i), sqlite3_column_text(st, i));
  }
  sqlite3_reset(st);
  /* Ferrolite refuses pointer binds (docs/COMPAT.md): not compared. */
  (void)sqlite3_bind_pointer(st, 1, (void*)"p", "ptype", 0);
  sqlite3_finalize(st);

  /* Results with 64-bit lengths. */
  sqlite3_create_function(db, "r64", 1, SQLITE_UTF8, 0, f_r64, 0, 0);
  show(db, "SELECT r64(0), r64(1), r64(2), r64(3), typeof(r64(3))");
  show(db, "SELECT r64(4), hex(r64(4))");
  show(db, "SELECT r64(5)");
  n_free = 0;
  show(db, "SELECT r64(6), r64(7)");
  printf("  destructor calls: %d\n", n_free);

  /* value_encoding and friends. */
  sqlite3_create_function(db, "enc", 1, SQLITE_UTF8, 0, f_enc, 0, 0);
  show(db, "SELECT enc('text'), enc(12), enc(NULL)");

  /* Auxiliary data for a non-constant argument goes at each call's end. */
  sqlite3_create_function(db, "aux", 1, SQLITE_UTF8, 0, f_aux, 0, 0);
  sqlite3_create_function(db, "aux2", 0, SQLITE_UTF8, 0, f_aux2, 0, 0);
  show(db, "SELECT aux(b) FROM t WHERE a<=2");
  show(db, "SELECT aux2()");

  /* aggregate_count. */
  sqlite3_create_function(db, "cnt", 1, SQLITE_UTF8, 0, 0, cnt_step, cnt_final);
  show(db, "SELECT cnt(a) FROM t");
  show(db, "SELECT b, cnt(a) FROM t GROUP BY b");

  /* result_pointer is refused by Ferrolite; only the destructor count is
  ** compared. */
  n_free = 0;
  sqlite3_create_function(db, "ptr", 0, SQLITE_UTF8, 0, f_ptr, 0, 0);
  sqlite3_prepare_v2(db, "SELECT 1 FROM t WHERE a=1 AND ptr() IS NULL", -1, &st, 0);
  while( sqlite3_step(st)==SQLITE_ROW ){}
  sqlite3_finalize(st);
  printf("result_pointer destructor calls: %d\n", n_free);

  /* overload_function: a placeholder only where no function exists. */
  printf("overload nosuchfn/1: %d\n", sqlite3_overload_function(db, "nosuchfn", 1));
  printf("overload length/1: %d\n", sqlite3_overload_function(db, "length", 1));
  printf("overload r64/1: %d\n", sqlite3_overload_function(db, "r64", 1));
  printf("overload printf/-1: %d\n", sqlite3_overload_function(db, "printf", -1));
  show(db, "SELECT nosuchfn(1)");
  show(db, "SELECT nosuchfn(1, 2)");
  show(db, "SELECT length('abc'), r64(0)");

  /* Client data. */
  printf("get_clientdata none: %p\n", sqlite3_get_clientdata(db, "k"));
  printf("set_clientdata k: %d\n", sqlite3_set_clientdata(db, "k", "one", cd_free));
  printf("set_clientdata other: %d\n", sqlite3_set_clientdata(db, "other", "two", cd_free));
  printf("get_clientdata k: %s\n", (char*)sqlite3_get_clientdata(db, "k"));
  printf("get_clientdata K (case): %p\n", sqlite3_get_clientdata(db, "K"));
  printf("replace k:\n"); rc = sqlite3_set_clientdata(db, "k", "three", cd_free); printf("  rc=%d now %s\n", rc, (char*)sqlite3_get_clientdata(db, "k"));
  printf("remove other:\n"); rc = sqlite3_set_clientdata(db, "other", 0, 0); printf("  rc=%d now %p\n", rc, sqlite3_get_clientdata(db, "other"));
  printf("remove missing: %d\n", sqlite3_set_clientdata(db, "missing", 0, cd_free));
  printf("set_clientdata z: %d\n", sqlite3_set_clientdata(db, "z", "four", cd_free));
  printf("close:\n");
  rc = sqlite3_close(db);
  printf("  close rc=%d\n", rc);
  return 0;
}
