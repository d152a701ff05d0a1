/*
** interop.c: the writer and the reader of the file-format interop matrix
** (issue 3).
**
**   interop write FILE PAGESIZE AUTOVACUUM ENCODING [ROWS]
**       AUTOVACUUM is none, full or incremental; ENCODING is UTF-8, UTF-16le
**       or UTF-16be; ROWS (default 100000) is the size of the big table.
**       Creates FILE (which must not exist) with a deterministic workload:
**       the same statements with the same values whichever library runs it.
**   interop dump FILE
**       Prints what a database holds (see below); exits 1 if any statement
**       failed (its error is printed in place of its result) or
**       integrity_check is not ok.
**   interop perturb FILE
**       Changes one character of one text value in the big table, so that
**       the driver can check that its comparison notices.
**
** The workload (write):
**   - PRAGMA page_size, auto_vacuum (only when not none, which is the
**     default), encoding, user_version and application_id before the first
**     table;
**   - a table "doomed" created first (so that its root pages are the lowest
**     and dropping it makes an auto_vacuum database move the others'), with
**     an index, 3,000 rows, overflowing blobs;
**   - "ov": INTEGER PRIMARY KEY and one untyped column with an index on it:
**     blobs and ASCII texts whose record sizes sit on and around each
**     overflow threshold of this page size (table leaf and index cells:
**     the largest local payload, the smallest, one and two overflow pages
**     more), sizes 0 and 1, non-ASCII texts, 100 KB and 1 MB blob and text;
**   - "people": no INTEGER PRIMARY KEY (rowid table), a UNIQUE(name, born)
**     constraint, a NOCASE column, indexes (city, born DESC) and
**     (score DESC); non-ASCII names, integers of every stored width, reals
**     (integral ones, which a REAL column stores as integers), NULLs, blobs;
**   - "big": ROWS rows inserted in one transaction, a UNIQUE index, a
**     two-column index with DESC, an index on an untyped column;
**   - deletes that free many pages (a contiguous range and every 7th row of
**     big, a 600 KB value, every 5th person), updates that grow and shrink
**     overflow chains, then DROP TABLE doomed;
**   - when incremental: PRAGMA incremental_vacuum(50), more deletes, then
**     PRAGMA incremental_vacuum;
**   - the connection is closed and the file reopened, then VACUUM (skipped
**     when the environment has INTEROP_NO_VACUUM=1, for checking the other
**     steps on a library without VACUUM: not for the test targets);
**   - after the vacuum: inserts, updates and deletes, a new table and index.
**
** The dump (dump) is two sections. First what must be the same whichever
** library wrote the file: page_size, auto_vacuum, encoding, user_version,
** application_id, each sqlite_schema row (type, name, tbl_name, sql), for
** each table its row count and a digest of its rows, for each index the
** number and a digest of its entries read through the index (INDEXED BY),
** and integrity_check. A table with an INTEGER PRIMARY KEY is digested in
** rowid order, rowid included, with one more digest per 8,192 rows to tell
** where a difference is; the rows of a table without one are digested as a
** multiset (order-free, without rowids), since VACUUM may renumber them.
** Then, on lines starting with "phys", what must be the same whichever
** library reads one given file but may differ between writers: page_count,
** freelist_count, root pages, the rowid-ordered digests of every table and
** the index-ordered (entries, rowid) digests of every index.
**
** Values are digested by this program (FNV-1a 64 over a canonical encoding
** of each value: its storage class, then the 64-bit integer, the IEEE bits
** of the real, or the length and bytes of the UTF-8 text or the blob), so
** that the dump depends on the stored values only, not on how a library
** formats them. INTEROP_DUMP_ROWS=1 makes dump also print every row, readably,
** for finding a difference.
**
** The library is whichever libsqlite3 the loader finds; harness.h checks
** that it is the expected one.
*/
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include "sqlite3.h"
#include "../c/harness.h"

static sqlite3 *g_db;
static int g_errors;   /* dump: statements that failed */

static void die(const char *what){
  fprintf(stderr, "interop: %s: %s (%d)\n", what,
          g_db ? sqlite3_errmsg(g_db) : "-", g_db ? sqlite3_extended_errcode(g_db) : 0);
  exit(1);
}

static void exec(const char *sql){
  if( sqlite3_exec(g_db, sql, 0, 0, 0)!=SQLITE_OK ) die(sql);
}

static sqlite3_stmt *prep(const char *sql){
  sqlite3_stmt *st = 0;
  if( sqlite3_prepare_v2(g_db, sql, -1, &st, 0)!=SQLITE_OK ) die(sql);
  return st;
}

/* Steps a statement that returns no rows (or ignores them), then resets it. */
static void run(sqlite3_stmt *st, const char *what){
  int rc;
  while( (rc = sqlite3_step(st))==SQLITE_ROW ){}
  if( rc!=SQLITE_DONE ) die(what);
  sqlite3_reset(st);
  sqlite3_clear_bindings(st);
}

static void open_db(const char *path){
  if( sqlite3_open_v2(path, &g_db, SQLITE_OPEN_READWRITE|SQLITE_OPEN_CREATE, 0)!=SQLITE_OK ){
    die("open");
  }
}

static void close_db(void){
  if( sqlite3_close(g_db)!=SQLITE_OK ) die("close");
  g_db = 0;
}

/* ---- deterministic values ------------------------------------------------ */

static uint64_t g_rng = 0x0123456789abcdefULL;

static uint64_t rnd(void){   /* splitmix64 */
  uint64_t z = (g_rng += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}
static long rnd_below(long n){ return (long)(rnd() % (uint64_t)n); }

/* A growable byte buffer. */
typedef struct Buf { unsigned char *p; size_t n, cap; } Buf;
static void buf_put(Buf *b, const void *src, size_t n){
  if( b->n + n + 1 > b->cap ){
    b->cap = (b->n + n + 1) * 2;
    b->p = realloc(b->p, b->cap);
    if( b->p==0 ){ fprintf(stderr, "interop: out of memory\n"); exit(1); }
  }
  memcpy(b->p + b->n, src, n);
  b->n += n;
  b->p[b->n] = 0;
}

/* Code points for texts: ASCII, Latin-1, Greek, Cyrillic, CJK, symbols and
** characters outside the BMP (surrogate pairs in UTF-16). */
static const unsigned g_cps[] = {
  'a','b','c','d','e','f','g','h','i','j','k','l','m','n','o','p','q','r',
  's','t','u','v','w','x','y','z','A','Q','Z',' ','-','0','7','\'',
  0xE9, 0xDF, 0xFC, 0xC5, 0x3A9, 0x3BB, 0x416, 0x44F, 0x4E2D, 0x6587,
  0x20AC, 0x2603, 0xFB01, 0x1F600, 0x10348, 0x1D11E,
};

static void put_utf8(Buf *b, unsigned c){
  unsigned char u[4]; size_t n;
  if( c<0x80 ){ u[0] = c; n = 1; }
  else if( c<0x800 ){ u[0] = 0xC0|(c>>6); u[1] = 0x80|(c&63); n = 2; }
  else if( c<0x10000 ){ u[0] = 0xE0|(c>>12); u[1] = 0x80|((c>>6)&63); u[2] = 0x80|(c&63); n = 3; }
  else { u[0] = 0xF0|(c>>18); u[1] = 0x80|((c>>12)&63); u[2] = 0x80|((c>>6)&63); u[3] = 0x80|(c&63); n = 4; }
  buf_put(b, u, n);
}

/* A text of nchar characters, non-ASCII ones included (UTF-8). */
static void gen_text(Buf *b, long nchar){
  long i;
  b->n = 0; buf_put(b, "", 0);
  for(i=0; i<nchar; i++){
    put_utf8(b, g_cps[rnd_below(sizeof(g_cps)/sizeof(g_cps[0]))]);
  }
}

/* An ASCII text of exactly n bytes. */
static void gen_ascii(Buf *b, long n){
  long i;
  b->n = 0; buf_put(b, "", 0);
  for(i=0; i<n; i++){ char c = 'a' + rnd_below(26); buf_put(b, &c, 1); }
}

static void gen_blob(Buf *b, long n){
  long i;
  b->n = 0; buf_put(b, "", 0);
  for(i=0; i<n; i++){ unsigned char c = (unsigned char)rnd(); buf_put(b, &c, 1); }
}

/* An integer of a random stored width (record serial types 1-6, 8, 9). */
static sqlite3_int64 gen_int(void){
  static const int bits[] = { 0, 1, 7, 15, 23, 31, 47, 62, 63 };
  int w = bits[rnd_below(9)];
  uint64_t v = rnd();
  sqlite3_int64 x;
  if( w==0 ) return rnd_below(2);                  /* 0 or 1: no bytes stored */
  if( w==63 ) return rnd_below(2) ? INT64_MAX : INT64_MIN;
  x = (sqlite3_int64)(v & ((1ULL<<w)-1));
  return (rnd() & 1) ? -x : x;
}

/* A real: integral ones (stored as integers in a REAL column), fractions,
** tiny and huge magnitudes. */
static double gen_real(void){
  switch( rnd_below(5) ){
    case 0: return (double)(rnd_below(2000001) - 1000000);
    case 1: return (double)rnd_below(1000000) / 64.0;
    case 2: return ((double)(rnd() >> 11) / 9007199254740992.0) * 1e-300;
    case 3: return ((double)(rnd() >> 11) - 4503599627370496.0) * 1e290;
    default: return ((double)(rnd() >> 11) / 9007199254740992.0) - 0.5;
  }
}

static void bind_text(sqlite3_stmt *st, int i, Buf *b){
  sqlite3_bind_text(st, i, (const char *)b->p, (int)b->n, SQLITE_TRANSIENT);
}
static void bind_blob(sqlite3_stmt *st, int i, Buf *b){
  sqlite3_bind_blob(st, i, b->n ? b->p : (const void *)"", (int)b->n, SQLITE_TRANSIENT);
}

/* ---- record sizes (the file format's payload arithmetic) ---------------- */

static int varint_len(uint64_t v){
  int n = 1;
  while( v>0x7f && n<9 ){ v >>= 7; n++; }
  return n;
}

/* Bytes a non-negative integer takes in a record (format 4: 0 and 1 take
** none). */
static int int_len(sqlite3_int64 v){
  if( v==0 || v==1 ) return 0;
  if( v<=127 ) return 1;
  if( v<=32767 ) return 2;
  if( v<=8388607 ) return 3;
  if( v<=2147483647 ) return 4;
  return 6;
}

/* Payload of an ov row (NULL for the INTEGER PRIMARY KEY, then a value of n
** bytes with serial type base + 2n: 12 for a blob, 13 for a text). */
static long ov_table_payload(long n, int base){
  long body = 1 + varint_len(2*n + base);
  return varint_len(body + 1) + body + n;
}
/* Payload of an entry of the index on ov(v): the value and the rowid. */
static long ov_index_payload(long n, int base, long rowid){
  long body = varint_len(2*n + base) + varint_len(int_len(rowid)==0 ? 9 : 1);
  return varint_len(body + 1) + body + n + int_len(rowid);
}

/* ---- write ---------------------------------------------------------------- */

static void insert_ov_sizes(sqlite3_stmt *ins, long *id, int pagesize, int utf16){
  long U = pagesize;                        /* usable size: no reserved bytes */
  long Xt = U - 35;                         /* largest local payload, table leaf */
  long Xi = (U - 12) * 64 / 255 - 23;       /* largest local payload, index */
  long M = (U - 12) * 32 / 255 - 23;        /* smallest local payload */
  long targets[32]; int nt = 0, t, d, kind;
  Buf b = {0};
  targets[nt++] = Xt; targets[nt++] = Xt + (U - 4); targets[nt++] = M + (U - 4);
  targets[nt++] = M + 2*(U - 4);
  targets[nt++] = Xi; targets[nt++] = Xi + (U - 4);
  for(t=0; t<nt; t++){
    for(d=-2; d<=2; d++){
      for(kind=0; kind<3; kind++){
        /* kind 0: blob sized for the table cell; 1: blob sized for the index
        ** entry; 2: ASCII text sized for the table cell (UTF-16 stores two
        ** bytes a character, so only every other size is reachable). */
        long want = targets[t] + d, n, rowid = *id + 1, found = -1;
        int base = kind==2 ? 13 : 12;
        for(n = want - 24 > 0 ? want - 24 : 0; n<=want; n++){
          long stored = (kind==2 && utf16) ? 2*n : n;
          long p = kind==1 ? ov_index_payload(stored, base, rowid)
                           : ov_table_payload(stored, base);
          if( p==want ){ found = n; break; }
        }
        if( found<0 ) continue;
        sqlite3_bind_int64(ins, 1, rowid);
        if( kind==2 ){ gen_ascii(&b, found); bind_text(ins, 2, &b); }
        else { gen_blob(&b, found); bind_blob(ins, 2, &b); }
        run(ins, "insert ov threshold row");
        *id = rowid;
      }
    }
  }
  free(b.p);
}

static void do_write(const char *path, int pagesize, const char *av, const char *enc, long rows){
  static const long sizes[] = { 0, 1, 2, 100, 1000, 10000, 100*1024, 1024*1024, 600*1024 };
  static const char *cities[] = { "Paris", "paris", "PARIS", "Zürich", "zürich",
    "Kyiv", "東京", "São Paulo", "ÅRHUS", "århus", "Oslo", "oslo", "" };
  char sql[256];
  Buf b = {0}, c = {0};
  sqlite3_stmt *ins;
  long i, id;
  int utf16 = strcmp(enc, "UTF-8")!=0;
  int incremental = strcmp(av, "incremental")==0;

  if( access(path, F_OK)==0 ){
    fprintf(stderr, "interop: %s exists already\n", path);
    exit(2);
  }
  open_db(path);
  /* Durability is the crash tests' business: no fsync waits here. */
  exec("PRAGMA synchronous=OFF");
  snprintf(sql, sizeof(sql), "PRAGMA page_size=%d", pagesize); exec(sql);
  if( strcmp(av, "none")!=0 ){
    snprintf(sql, sizeof(sql), "PRAGMA auto_vacuum=%s", av); exec(sql);
  }
  snprintf(sql, sizeof(sql), "PRAGMA encoding='%s'", enc); exec(sql);
  exec("PRAGMA user_version=20261121");
  exec("PRAGMA application_id=1179799636");

  exec("BEGIN;"
       "CREATE TABLE doomed(x INTEGER PRIMARY KEY, y TEXT, z BLOB);"
       "CREATE INDEX doomed_y ON doomed(y);"
       "CREATE TABLE ov(id INTEGER PRIMARY KEY, v);"
       "CREATE INDEX ov_v ON ov(v);"
       "CREATE TABLE people(name TEXT NOT NULL, city TEXT COLLATE NOCASE,"
       " born INTEGER, score REAL, photo BLOB, UNIQUE(name, born));"
       "CREATE INDEX people_city_born ON people(city, born DESC);"
       "CREATE INDEX people_score ON people(score DESC);"
       "CREATE TABLE big(id INTEGER PRIMARY KEY, k INTEGER NOT NULL, s TEXT,"
       " r REAL, x);"
       "CREATE UNIQUE INDEX big_k ON big(k);"
       "CREATE INDEX big_s_r ON big(s DESC, r);"
       "CREATE INDEX big_x ON big(x);"
       "COMMIT");

  /* doomed: many pages, all freed by the DROP below. */
  exec("BEGIN");
  ins = prep("INSERT INTO doomed(x, y, z) VALUES(?1, ?2, ?3)");
  for(i=1; i<=3000; i++){
    sqlite3_bind_int64(ins, 1, i);
    gen_text(&b, 5 + rnd_below(120)); bind_text(ins, 2, &b);
    gen_blob(&c, rnd_below(i % 10==0 ? 3*pagesize : 300)); bind_blob(ins, 3, &c);
    run(ins, "insert doomed");
  }
  sqlite3_finalize(ins);
  exec("COMMIT");

  /* ov: every overflow threshold, then the fixed sizes. */
  exec("BEGIN");
  ins = prep("INSERT INTO ov(id, v) VALUES(?1, ?2)");
  id = 0;
  insert_ov_sizes(ins, &id, pagesize, utf16);
  for(i=0; i<(long)(sizeof(sizes)/sizeof(sizes[0])); i++){
    sqlite3_bind_int64(ins, 1, ++id);
    gen_blob(&b, sizes[i]); bind_blob(ins, 2, &b); run(ins, "insert ov blob");
    sqlite3_bind_int64(ins, 1, ++id);
    /* Non-ASCII text of about sizes[i] bytes in UTF-8 (g_cps averages 1.54
    ** bytes a character). */
    gen_text(&b, sizes[i] < 3 ? sizes[i] : sizes[i] * 13 / 20); bind_text(ins, 2, &b);
    run(ins, "insert ov text");
  }
  sqlite3_bind_int64(ins, 1, ++id); sqlite3_bind_null(ins, 2); run(ins, "insert ov null");
  sqlite3_bind_int64(ins, 1, ++id); sqlite3_bind_int64(ins, 2, INT64_MIN); run(ins, "insert ov int");
  sqlite3_bind_int64(ins, 1, ++id); sqlite3_bind_double(ins, 2, 2.5); run(ins, "insert ov real");
  sqlite3_finalize(ins);
  exec("COMMIT");

  /* people: no INTEGER PRIMARY KEY. */
  exec("BEGIN");
  ins = prep("INSERT INTO people(name, city, born, score, photo) VALUES(?1, ?2, ?3, ?4, ?5)");
  for(i=0; i<2000; i++){
    gen_text(&b, 1 + rnd_below(30)); bind_text(ins, 1, &b);
    if( rnd_below(10)==0 ) sqlite3_bind_null(ins, 2);
    else sqlite3_bind_text(ins, 2, cities[rnd_below(sizeof(cities)/sizeof(cities[0]))], -1, SQLITE_STATIC);
    sqlite3_bind_int64(ins, 3, i % 50==0 ? gen_int() : 1900 + rnd_below(130) + 1000 * i);
    if( rnd_below(8)==0 ) sqlite3_bind_null(ins, 4);
    else sqlite3_bind_double(ins, 4, gen_real());
    if( rnd_below(4)==0 ) sqlite3_bind_null(ins, 5);
    else { gen_blob(&c, rnd_below(rnd_below(5)==0 ? 3*pagesize : 200)); bind_blob(ins, 5, &c); }
    run(ins, "insert people");
  }
  sqlite3_finalize(ins);
  exec("COMMIT");

  /* big: ROWS rows in one transaction; k is a permutation of 0..rows-1. */
  exec("BEGIN");
  ins = prep("INSERT INTO big(id, k, s, r, x) VALUES(?1, ?2, ?3, ?4, ?5)");
  for(i=1; i<=rows; i++){
    sqlite3_bind_int64(ins, 1, i);
    sqlite3_bind_int64(ins, 2, (sqlite3_int64)((uint64_t)i * 2654435761ULL % 4294967311ULL));
    gen_text(&b, rnd_below(40)); bind_text(ins, 3, &b);
    sqlite3_bind_double(ins, 4, gen_real());
    switch( rnd_below(5) ){
      case 0: sqlite3_bind_null(ins, 5); break;
      case 1: sqlite3_bind_int64(ins, 5, gen_int()); break;
      case 2: sqlite3_bind_double(ins, 5, gen_real()); break;
      case 3: gen_text(&b, rnd_below(12)); bind_text(ins, 5, &b); break;
      default: gen_blob(&c, rnd_below(16)); bind_blob(ins, 5, &c); break;
    }
    run(ins, "insert big");
  }
  sqlite3_finalize(ins);
  exec("COMMIT");

  /* Deletes that free many pages, updates that move overflow chains. */
  exec("BEGIN");
  ins = prep("DELETE FROM big WHERE id BETWEEN ?1 AND ?2");
  sqlite3_bind_int64(ins, 1, rows / 4); sqlite3_bind_int64(ins, 2, rows / 2);
  run(ins, "delete big range");
  sqlite3_finalize(ins);
  exec("DELETE FROM big WHERE id % 7 = 0;"
       "DELETE FROM people WHERE rowid % 5 = 0;");
  ins = prep("DELETE FROM ov WHERE length(v) = ?1");
  sqlite3_bind_int64(ins, 1, 600*1024); run(ins, "delete ov 600k");
  sqlite3_finalize(ins);
  ins = prep("UPDATE people SET photo = ?1 WHERE rowid = ?2");
  for(i=3; i<2000; i+=37){
    gen_blob(&c, i % 2 ? 2*pagesize + i : 10); bind_blob(ins, 1, &c);
    sqlite3_bind_int64(ins, 2, i);
    run(ins, "update people");
  }
  sqlite3_finalize(ins);
  exec("COMMIT");
  exec("DROP TABLE doomed");

  if( incremental ){
    exec("PRAGMA incremental_vacuum(50)");
    exec("DELETE FROM big WHERE id % 11 = 0");
    exec("PRAGMA incremental_vacuum");
  }
  close_db();

  open_db(path);
  exec("PRAGMA synchronous=OFF");
  if( !(getenv("INTEROP_NO_VACUUM") && strcmp(getenv("INTEROP_NO_VACUUM"), "1")==0) ){
    exec("VACUUM");
  }

  /* After the vacuum. */
  exec("BEGIN");
  ins = prep("INSERT INTO big(id, k, s, r, x) VALUES(?1, ?2, ?3, ?4, ?5)");
  for(i=rows+1; i<=rows+500; i++){
    sqlite3_bind_int64(ins, 1, i);
    sqlite3_bind_int64(ins, 2, -i);
    gen_text(&b, rnd_below(60)); bind_text(ins, 3, &b);
    sqlite3_bind_double(ins, 4, gen_real());
    gen_blob(&c, i % 100==0 ? 5*pagesize : 8); bind_blob(ins, 5, &c);
    run(ins, "insert big after vacuum");
  }
  sqlite3_finalize(ins);
  ins = prep("INSERT INTO ov(v) VALUES(?1)");
  gen_text(&b, 20000); bind_text(ins, 1, &b); run(ins, "insert ov after vacuum");
  sqlite3_finalize(ins);
  exec("UPDATE people SET score = NULL WHERE born % 9 = 1;"
       "DELETE FROM big WHERE id % 13 = 0;"
       "CREATE TABLE after_vacuum(a INTEGER PRIMARY KEY, b TEXT, c);"
       "CREATE INDEX after_vacuum_bc ON after_vacuum(b, c DESC);");
  ins = prep("INSERT INTO after_vacuum(b, c) VALUES(?1, ?2)");
  for(i=0; i<300; i++){
    gen_text(&b, rnd_below(50)); bind_text(ins, 1, &b);
    sqlite3_bind_int64(ins, 2, gen_int());
    run(ins, "insert after_vacuum");
  }
  sqlite3_finalize(ins);
  exec("COMMIT");
  close_db();
  free(b.p); free(c.p);
  printf("wrote %s (%s): page_size %d, auto_vacuum %s, %s, %ld rows\n",
         path, sqlite3_libversion(), pagesize, av, enc, rows);
}

/* ---- dump ----------------------------------------------------------------- */

typedef uint64_t Hash;
#define FNV_INIT 0xcbf29ce484222325ULL

static void fnv(Hash *h, const void *p, size_t n){
  const unsigned char *s = p;
  size_t i;
  Hash x = *h;
  for(i=0; i<n; i++){ x ^= s[i]; x *= 0x100000001b3ULL; }
  *h = x;
}
static void fnv_u64(Hash *h, uint64_t v){
  unsigned char b[8]; int i;
  for(i=0; i<8; i++) b[i] = (unsigned char)(v >> (8*i));
  fnv(h, b, 8);
}
static uint64_t mix(uint64_t z){   /* splitmix64's finalizer */
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

/* Digests column i of the current row; prints it when verbose. */
static void hash_value(Hash *h, sqlite3_stmt *st, int i, int verbose){
  int t = sqlite3_column_type(st, i);
  unsigned char tag = (unsigned char)t;
  fnv(h, &tag, 1);
  switch( t ){
    case SQLITE_INTEGER: {
      sqlite3_int64 v = sqlite3_column_int64(st, i);
      fnv_u64(h, (uint64_t)v);
      if( verbose ) printf(" %lld", (long long)v);
      break;
    }
    case SQLITE_FLOAT: {
      double d = sqlite3_column_double(st, i);
      uint64_t bits;
      memcpy(&bits, &d, 8);
      fnv_u64(h, bits);
      if( verbose ) printf(" %a", d);
      break;
    }
    case SQLITE_TEXT: case SQLITE_BLOB: {
      const void *p = t==SQLITE_TEXT ? (const void *)sqlite3_column_text(st, i)
                                     : sqlite3_column_blob(st, i);
      int n = sqlite3_column_bytes(st, i);
      fnv_u64(h, (uint64_t)n);
      if( n ) fnv(h, p, (size_t)n);
      if( verbose ){
        Hash vh = FNV_INIT;
        if( n ) fnv(&vh, p, (size_t)n);
        if( t==SQLITE_TEXT && n<=40 ) printf(" '%s'", (const char *)p);
        else printf(" %s[%d]#%016llx", t==SQLITE_TEXT ? "text" : "blob", n, (unsigned long long)vh);
      }
      break;
    }
    default:
      if( verbose ) printf(" NULL");
      break;
  }
}

/* Runs sql and reports a failure in place of its result. */
static sqlite3_stmt *dump_prep(const char *sql){
  sqlite3_stmt *st = 0;
  if( sqlite3_prepare_v2(g_db, sql, -1, &st, 0)!=SQLITE_OK ){
    printf("error: %s: %s\n", sql, sqlite3_errmsg(g_db));
    g_errors++;
    sqlite3_finalize(st);
    return 0;
  }
  return st;
}
static int dump_step(sqlite3_stmt *st, const char *sql){
  int rc = sqlite3_step(st);
  if( rc!=SQLITE_ROW && rc!=SQLITE_DONE ){
    printf("error: %s: %s\n", sql, sqlite3_errmsg(g_db));
    g_errors++;
  }
  return rc;
}

/* One-value PRAGMA, printed as "name value". */
static void dump_pragma(const char *prefix, const char *name){
  char sql[128];
  sqlite3_stmt *st;
  snprintf(sql, sizeof(sql), "PRAGMA %s", name);
  st = dump_prep(sql);
  if( st==0 ) return;
  switch( dump_step(st, sql) ){
    case SQLITE_ROW:
      printf("%s%s %s\n", prefix, name, (const char *)sqlite3_column_text(st, 0));
      break;
    case SQLITE_DONE:
      printf("%s%s (no row)\n", prefix, name);
      break;
  }
  sqlite3_finalize(st);
}

/* Quotes an identifier for SQL (into a static buffer per slot). */
static const char *ident(const char *name, int slot){
  static char buf[4][512];
  char *o = buf[slot & 3];
  size_t j = 0;
  o[j++] = '"';
  for(; *name && j<sizeof(buf[0]) - 4; name++){
    if( *name=='"' ) o[j++] = '"';
    o[j++] = *name;
  }
  o[j++] = '"'; o[j] = 0;
  return o;
}

typedef struct Obj { char *type, *name, *tbl, *sql; long root; } Obj;

/* Runs a query and digests its rows: in order (h, with a line per chunk of
** 8192 rows when chunk_label), and as a multiset of the rows without their
** first skip columns (msum). */
static long digest_query(const char *sql, int skip, Hash *h, uint64_t *msum,
                         const char *chunk_label, int verbose){
  sqlite3_stmt *st = dump_prep(sql);
  long n = 0;
  int rc, i, ncol;
  Hash ch = FNV_INIT;
  *h = FNV_INIT; *msum = 0;
  if( st==0 ) return -1;
  ncol = sqlite3_column_count(st);
  while( (rc = dump_step(st, sql))==SQLITE_ROW ){
    Hash rh = FNV_INIT;
    if( verbose ) printf("  row");
    for(i=0; i<ncol; i++){
      hash_value(h, st, i, 0);
      hash_value(&ch, st, i, 0);
      if( i>=skip ) hash_value(&rh, st, i, verbose);
      else if( verbose ) printf(" [%lld]", (long long)sqlite3_column_int64(st, i));
    }
    if( verbose ) printf("\n");
    *msum += mix(rh);
    n++;
    if( chunk_label && n % 8192==0 ){
      printf("%s rows %ld-%ld %016llx\n", chunk_label, n - 8191, n, (unsigned long long)ch);
      ch = FNV_INIT;
    }
  }
  if( chunk_label && n % 8192 ){
    printf("%s rows %ld-%ld %016llx\n", chunk_label, n - n % 8192 + 1, n, (unsigned long long)ch);
  }
  sqlite3_finalize(st);
  return rc==SQLITE_DONE ? n : -1;
}

/* True when table t has an INTEGER PRIMARY KEY (its rowid is a column). */
static int has_ipk(const char *t){
  char sql[600];
  sqlite3_stmt *st;
  int npk = 0, ipk = 0;
  snprintf(sql, sizeof(sql), "PRAGMA table_info(%s)", ident(t, 0));
  st = dump_prep(sql);
  if( st==0 ) return 0;
  while( dump_step(st, sql)==SQLITE_ROW ){
    if( sqlite3_column_int(st, 5) ){
      const char *type = (const char *)sqlite3_column_text(st, 2);
      npk++;
      ipk = type && strcasecmp(type, "INTEGER")==0;
    }
  }
  sqlite3_finalize(st);
  return npk==1 && ipk;
}

/* The column list of CREATE INDEX ... ON t(...) as written (with COLLATE and
** DESC, so usable as an ORDER BY), or 0. */
static char *index_terms(const char *sql){
  const char *open, *close;
  char *r;
  if( sql==0 ) return 0;
  open = strchr(sql, '(');
  close = strrchr(sql, ')');
  if( open==0 || close==0 || close<open ) return 0;
  r = malloc((size_t)(close - open));
  memcpy(r, open + 1, (size_t)(close - open - 1));
  r[close - open - 1] = 0;
  return r;
}

static void dump_index(Obj *o, int verbose, Buf *phys){
  char sql[4096], cols[1024], line[512];
  char *terms;
  sqlite3_stmt *st;
  Hash h; uint64_t msum;
  long n;
  size_t cl = 0;
  cols[0] = 0;
  snprintf(sql, sizeof(sql), "PRAGMA index_info(%s)", ident(o->name, 0));
  st = dump_prep(sql);
  if( st==0 ) return;
  while( dump_step(st, sql)==SQLITE_ROW ){
    const char *c = (const char *)sqlite3_column_text(st, 2);
    cl += (size_t)snprintf(cols + cl, sizeof(cols) - cl, "%s%s", cl ? ", " : "", ident(c ? c : "?", 1));
  }
  sqlite3_finalize(st);
  if( cl==0 ){
    printf("index %s: no columns\n", o->name);
    g_errors++;
    return;
  }
  terms = index_terms(o->sql);
  /* Index order (key, then rowid), the entries read through the index. */
  snprintf(sql, sizeof(sql), "SELECT rowid, %s FROM %s INDEXED BY %s ORDER BY %s, rowid",
           cols, ident(o->tbl, 0), ident(o->name, 2), terms ? terms : cols);
  free(terms);
  if( verbose ) printf("index %s: %s\n", o->name, sql);
  n = digest_query(sql, 1, &h, &msum, 0, verbose);
  printf("index %s entries %ld multiset %016llx\n", o->name, n, (unsigned long long)msum);
  snprintf(line, sizeof(line), "phys index %s ordered %016llx\n", o->name, (unsigned long long)h);
  buf_put(phys, line, strlen(line));
}

static void dump_table(Obj *o, int verbose, Buf *phys){
  char sql[1024], label[300], line[512];
  Hash h; uint64_t msum;
  long n;
  int ipk = has_ipk(o->name);
  snprintf(sql, sizeof(sql), "SELECT rowid, * FROM %s ORDER BY rowid", ident(o->name, 0));
  if( verbose ) printf("table %s:\n", o->name);
  if( ipk ){
    snprintf(label, sizeof(label), "table %s", o->name);
    n = digest_query(sql, 0, &h, &msum, label, verbose);
    printf("table %s rows %ld ordered %016llx\n", o->name, n, (unsigned long long)h);
  }else{
    n = digest_query(sql, 1, &h, &msum, 0, verbose);
    printf("table %s rows %ld multiset %016llx\n", o->name, n, (unsigned long long)msum);
    snprintf(line, sizeof(line), "phys table %s ordered %016llx\n", o->name, (unsigned long long)h);
    buf_put(phys, line, strlen(line));
  }
}

static int do_dump(const char *path){
  const char *sql;
  sqlite3_stmt *st;
  Obj objs[64];
  int nobj = 0, i, rc, ok = 0, lines = 0;
  int verbose = getenv("INTEROP_DUMP_ROWS") && strcmp(getenv("INTEROP_DUMP_ROWS"), "1")==0;
  Buf phys = {0};
  char line[256];

  if( access(path, F_OK)!=0 ){
    fprintf(stderr, "interop: %s does not exist\n", path);
    return 2;
  }
  /* Read-only: the first dump of a file must not change it for the second. */
  if( sqlite3_open_v2(path, &g_db, SQLITE_OPEN_READONLY, 0)!=SQLITE_OK ) die("open");
  buf_put(&phys, "", 0);

  dump_pragma("", "page_size");
  dump_pragma("", "auto_vacuum");
  dump_pragma("", "encoding");
  dump_pragma("", "user_version");
  dump_pragma("", "application_id");

  sql = "SELECT type, name, tbl_name, sql, rootpage FROM sqlite_schema ORDER BY name";
  st = dump_prep(sql);
  if( st ){
    while( (rc = dump_step(st, sql))==SQLITE_ROW && nobj<64 ){
      Obj *o = &objs[nobj++];
      const char *s = (const char *)sqlite3_column_text(st, 3);
      o->type = strdup((const char *)sqlite3_column_text(st, 0));
      o->name = strdup((const char *)sqlite3_column_text(st, 1));
      o->tbl = strdup((const char *)sqlite3_column_text(st, 2));
      o->sql = s ? strdup(s) : 0;
      o->root = (long)sqlite3_column_int64(st, 4);
      printf("schema %s %s %s %s\n", o->type, o->name, o->tbl, o->sql ? o->sql : "NULL");
      snprintf(line, sizeof(line), "phys rootpage %s %ld\n", o->name, o->root);
      buf_put(&phys, line, strlen(line));
    }
    sqlite3_finalize(st);
  }
  for(i=0; i<nobj; i++){
    if( strcmp(objs[i].type, "table")==0 ) dump_table(&objs[i], verbose, &phys);
  }
  for(i=0; i<nobj; i++){
    if( strcmp(objs[i].type, "index")==0 ) dump_index(&objs[i], verbose, &phys);
  }

  sql = "PRAGMA integrity_check";
  st = dump_prep(sql);
  if( st ){
    while( (rc = dump_step(st, sql))==SQLITE_ROW ){
      const char *t = (const char *)sqlite3_column_text(st, 0);
      printf("integrity_check %s\n", t ? t : "NULL");
      ok = t && strcmp(t, "ok")==0;
      lines++;
    }
    sqlite3_finalize(st);
  }
  if( !(ok && lines==1) ) g_errors++;

  dump_pragma("phys ", "page_count");
  dump_pragma("phys ", "freelist_count");
  fputs((const char *)phys.p, stdout);
  for(i=0; i<nobj; i++){
    free(objs[i].type); free(objs[i].name); free(objs[i].tbl); free(objs[i].sql);
  }
  free(phys.p);
  sqlite3_close(g_db);
  return g_errors ? 1 : 0;
}

/* ---- perturb -------------------------------------------------------------- */

static int do_perturb(const char *path){
  open_db(path);
  exec("UPDATE big SET s = CASE WHEN substr(s, 1, 1) = 'q' THEN 'r' ELSE 'q' END"
       " || substr(s, 2) WHERE id = (SELECT id FROM big WHERE length(s) > 0"
       " ORDER BY id LIMIT 1 OFFSET 1000)");
  if( sqlite3_changes(g_db)!=1 ){
    fprintf(stderr, "interop: perturb changed %d rows\n", sqlite3_changes(g_db));
    return 1;
  }
  close_db();
  return 0;
}

int main(int argc, char **argv){
  ferrolite_check_lib();
  if( (argc==6 || argc==7) && strcmp(argv[1], "write")==0 ){
    int ps = atoi(argv[3]);
    long rows = argc==7 ? atol(argv[6]) : 100000;
    if( ps<512 || ps>65536 || (ps & (ps - 1))
     || (strcmp(argv[4], "none") && strcmp(argv[4], "full") && strcmp(argv[4], "incremental"))
     || (strcmp(argv[5], "UTF-8") && strcmp(argv[5], "UTF-16le") && strcmp(argv[5], "UTF-16be"))
     || rows<100 ){
      fprintf(stderr, "interop write: bad arguments\n");
      return 2;
    }
    do_write(argv[2], ps, argv[4], argv[5], rows);
    return 0;
  }
  if( argc==3 && strcmp(argv[1], "dump")==0 ) return do_dump(argv[2]);
  if( argc==3 && strcmp(argv[1], "perturb")==0 ) return do_perturb(argv[2]);
  fprintf(stderr, "usage: interop write FILE PAGESIZE none|full|incremental"
                  " UTF-8|UTF-16le|UTF-16be [ROWS]\n"
                  "       interop dump FILE\n"
                  "       interop perturb FILE\n");
  return 2;
}
