/*
** utf16.c: the UTF-16 faces of the C API. prepare16/_v2/_v3 (tail
** pointers counted in UTF-16 units), bind_text16, column_text16/bytes16/
** name16/decltype16/database_name16/table_name16/origin_name16,
** value_text16/16le/16be/bytes16 and result_text16/16le/16be/error16 in
** application functions, errmsg16, complete16, create_function16,
** create_collation16, collation_needed and collation_needed16.
*/
#include "harness.h"
#include <sqlite3.h>

/* UTF-8 (ASCII or any) to native UTF-16, for the test's literals. */
static unsigned short *u16(const char *z){
  static unsigned short buf[8][512]; static int k = 0;
  unsigned short *o = buf[k++ & 7]; int n = 0;
  const unsigned char *p = (const unsigned char*)z;
  while( *p ){
    unsigned c = *p++;
    if( c>=0xc0 ){
      int more = c>=0xf0 ? 3 : c>=0xe0 ? 2 : 1;
      c &= (0x3f >> more);
      while( more-- ) c = (c<<6) | (*p++ & 0x3f);
    }
    if( c>0xffff ){ c -= 0x10000; o[n++] = 0xd800 | (c>>10); o[n++] = 0xdc00 | (c & 0x3ff); }
    else o[n++] = (unsigned short)c;
  }
  o[n] = 0;
  return o;
}

/* Prints UTF-16 (native) as hex units, and its ASCII where printable. */
static void p16(const char *label, const void *z){
  const unsigned short *p = z; int i;
  printf("%s:", label);
  if( p==0 ){ printf(" NULL\n"); return; }
  for(i=0; p[i]; i++) printf(" %04x", p[i]);
  printf("  \"");
  for(i=0; p[i]; i++) putchar(p[i]<0x80 && p[i]>=0x20 ? p[i] : '?');
  printf("\"\n");
}
static void pbytes(const char *label, const void *z, int n){
  const unsigned char *p = z; int i;
  printf("%s:", label);
  if( p==0 ){ printf(" NULL\n"); return; }
  for(i=0; i<n; i++) printf("%02x", p[i]);
  printf("\n");
}

static void f_echo16(sqlite3_context *c, int n, sqlite3_value **v){
  const void *t = sqlite3_value_text16(v[0]);
  int nb = sqlite3_value_bytes16(v[0]);
  (void)n;
  if( t==0 ){ sqlite3_result_null(c); return; }
  sqlite3_result_text16(c, t, nb, SQLITE_TRANSIENT);
}
static void f_le(sqlite3_context *c, int n, sqlite3_value **v){
  const unsigned char *t = sqlite3_value_text16le(v[0]);
  (void)n;
  pbytes("  text16le", t, t ? sqlite3_value_bytes16(v[0]) : 0);
  sqlite3_result_text16le(c, t, -1, SQLITE_TRANSIENT);
}
static void f_be(sqlite3_context *c, int n, sqlite3_value **v){
  const unsigned char *t = sqlite3_value_text16be(v[0]);
  (void)n;
  pbytes("  text16be", t, t ? sqlite3_value_bytes16(v[0]) : 0);
  sqlite3_result_text16be(c, t, sqlite3_value_bytes16(v[0]), SQLITE_TRANSIENT);
}
static void f_err16(sqlite3_context *c, int n, sqlite3_value **v){
  (void)n; (void)v;
  sqlite3_result_error16(c, u16("bad thing \xc3\xa9"), -1);
}
static int rev_cmp(void *p, int na, const void *a, int nb, const void *b){
  int r; int n = na<nb ? na : nb;
  (void)p;
  r = memcmp(a, b, n);
  if( r==0 ) r = na-nb;
  return -r;
}
static int n_needed = 0;
static void needed8(void *arg, sqlite3 *db, int enc, const char *name){
  printf("  collation_needed: arg=%s enc=%d name=%s\n", (char*)arg, enc, name);
  n_needed++;
  if( strcmp(name, "REV")==0 ) sqlite3_create_collation(db, "REV", SQLITE_UTF8, 0, rev_cmp);
}
static void needed16(void *arg, sqlite3 *db, int enc, const void *name){
  printf("  collation_needed16: arg=%s enc=%d", (char*)arg, enc);
  p16(" name", name);
  sqlite3_create_collation16(db, u16("rev16"), SQLITE_UTF16, 0, rev_cmp);
}

static void run(sqlite3 *db, const char *sql){
  sqlite3_stmt *st; int rc, i;
  rc = sqlite3_prepare_v2(db, sql, -1, &st, 0);
  printf("%s\n", sql);
  if( rc ){ printf("  prepare rc=%d %s\n", rc, sqlite3_errmsg(db)); p16("  errmsg16", sqlite3_errmsg16(db)); return; }
  while( (rc = sqlite3_step(st))==SQLITE_ROW ){
    for(i=0; i<sqlite3_column_count(st); i++){
      printf("  [%d] bytes16=%d", i, sqlite3_column_bytes16(st, i));
      p16("", sqlite3_column_text16(st, i));
    }
  }
  if( rc!=SQLITE_DONE ){ printf("  step rc=%d %s\n", rc, sqlite3_errmsg(db)); p16("  errmsg16", sqlite3_errmsg16(db)); }
  sqlite3_finalize(st);
}

int main(int argc, char **argv){
  sqlite3 *db; sqlite3_stmt *st; const void *tail; int rc, i;
  const unsigned short *sql;
  ferrolite_check_lib();
  if( argc<2 ) return 2;
  remove(argv[1]);
  if( sqlite3_open(argv[1], &db) ) return 1;
  sqlite3_exec(db, "CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT, c VARCHAR(10));"
                   "INSERT INTO t VALUES(1,'h\xc3\xa9llo','x'),(2,NULL,'\xf0\x9f\x98\x80'),(3,'z',12.5);", 0, 0, 0);

  /* prepare16 family and tails in UTF-16 units. */
  sql = u16("SELECT 'h\xc3\xa9' AS \xc3\xa9t\xc3\xa9; SELECT 2 /* \xf0\x9f\x98\x80 */; SELECT 3");
  for(i=0; i<3; i++){
    const unsigned short *z = sql;
    int k = 0;
    while( z && *z ){
      if( i==0 ) rc = sqlite3_prepare16(db, z, -1, &st, &tail);
      else if( i==1 ) rc = sqlite3_prepare16_v2(db, z, -1, &st, &tail);
      else rc = sqlite3_prepare16_v3(db, z, -1, 0, &st, &tail);
      printf("prepare16 variant %d stmt %d: rc=%d tail at unit %d\n", i, k++, rc, (int)((const unsigned short*)tail - sql));
      if( rc || !st ) break;
      p16("  name16", sqlite3_column_name16(st, 0));
      while( sqlite3_step(st)==SQLITE_ROW ) p16("  text16", sqlite3_column_text16(st, 0));
      sqlite3_finalize(st);
      z = tail;
    }
  }
  /* A byte count: stops after 8 bytes (4 units) of "SELECT 12345". */
  rc = sqlite3_prepare16_v2(db, u16("SELECT 12345"), 18, &st, &tail);
  printf("prepare16 nByte=18 rc=%d\n", rc);
  while( sqlite3_step(st)==SQLITE_ROW ) printf("  %s\n", sqlite3_column_text(st, 0));
  sqlite3_finalize(st);
  rc = sqlite3_prepare16_v2(db, u16("SELEC 1"), -1, &st, &tail);
  printf("syntax error rc=%d st=%p\n", rc, (void*)st);
  p16("  errmsg16", sqlite3_errmsg16(db));
  printf("  errmsg: %s\n", sqlite3_errmsg(db));

  /* Column metadata in UTF-16. */
  sqlite3_prepare16_v2(db, u16("SELECT a, b AS bee, c, a+1 FROM t ORDER BY a"), -1, &st, 0);
  for(i=0; i<5; i++){
    printf("column %d\n", i);
    p16("  name16", sqlite3_column_name16(st, i));
    p16("  decltype16", sqlite3_column_decltype16(st, i));
    p16("  database_name16", sqlite3_column_database_name16(st, i));
    p16("  table_name16", sqlite3_column_table_name16(st, i));
    p16("  origin_name16", sqlite3_column_origin_name16(st, i));
  }
  while( sqlite3_step(st)==SQLITE_ROW ){
    for(i=0; i<4; i++){
      printf("  [%d] type=%d bytes16=%d", i, sqlite3_column_type(st, i), sqlite3_column_bytes16(st, i));
      p16("", sqlite3_column_text16(st, i));
    }
  }
  sqlite3_finalize(st);

  /* bind_text16 with -1, a byte count and an odd byte count. */
  sqlite3_prepare_v2(db, "SELECT ?1, length(?1), hex(?1), ?2, ?3", -1, &st, 0);
  printf("bind16 -1: %d\n", sqlite3_bind_text16(st, 1, u16("\xc3\xa9t\xc3\xa9 \xf0\x9f\x98\x80"), -1, SQLITE_TRANSIENT));
  printf("bind16 n=4: %d\n", sqlite3_bind_text16(st, 2, u16("abcdef"), 4, SQLITE_STATIC));
  printf("bind16 n=5: %d\n", sqlite3_bind_text16(st, 3, u16("abcdef"), 5, SQLITE_STATIC));
  printf("bind16 range: %d\n", sqlite3_bind_text16(st, 9, u16("x"), -1, SQLITE_STATIC));
  while( sqlite3_step(st)==SQLITE_ROW ){
    for(i=0; i<5; i++) printf("  [%d] %s\n", i, sqlite3_column_text(st, i));
  }
  sqlite3_finalize(st);

  /* Functions and collations registered with UTF-16 names. */
  printf("create_function16: %d\n", sqlite3_create_function16(db, u16("echo16"), 1, SQLITE_UTF16, 0, f_echo16, 0, 0));
  printf("create_function16 le: %d\n", sqlite3_create_function16(db, u16("le"), 1, SQLITE_UTF8, 0, f_le, 0, 0));
  printf("create_function16 be: %d\n", sqlite3_create_function16(db, u16("be"), 1, SQLITE_UTF8, 0, f_be, 0, 0));
  printf("create_function16 err: %d\n", sqlite3_create_function16(db, u16("err16"), 0, SQLITE_UTF8, 0, f_err16, 0, 0));
  run(db, "SELECT echo16(b), echo16(a), echo16(c) FROM t ORDER BY a");
  run(db, "SELECT le('h\xc3\xa9'), be('h\xc3\xa9'), le(42), be(NULL)");
  run(db, "SELECT err16()");
  printf("create_collation16: %d\n", sqlite3_create_collation16(db, u16("rev"), SQLITE_UTF8, 0, rev_cmp));
  run(db, "SELECT b FROM t WHERE b IS NOT NULL ORDER BY b COLLATE rev");

  /* collation_needed: called for an unknown collation during prepare. */
  printf("collation_needed: %d\n", sqlite3_collation_needed(db, "eight", needed8));
  run(db, "SELECT b FROM t WHERE b IS NOT NULL ORDER BY b COLLATE nosuch");
  printf("  needed calls: %d\n", n_needed);
  printf("collation_needed16: %d\n", sqlite3_collation_needed16(db, "sixteen", needed16));
  run(db, "SELECT c FROM t ORDER BY c COLLATE rev16");

  /* complete16 */
  printf("complete16: %d %d %d\n", sqlite3_complete16(u16("SELECT 1;")), sqlite3_complete16(u16("SELECT 'a;")), sqlite3_complete16(u16("CREATE TRIGGER x AFTER INSERT ON t BEGIN SELECT 1; END;")));

  /* errmsg16 on a connection without error and on NULL. */
  sqlite3_exec(db, "SELECT 1", 0, 0, 0);
  p16("errmsg16 ok", sqlite3_errmsg16(db));
  p16("errmsg16 NULL db", sqlite3_errmsg16(0));
  sqlite3_close(db);
  return 0;
}
