/*
** ftsinterop: one step of the FTS4 file-interop test (ftsinterop.sh),
** run with either library.
**
**   ftsinterop write FILE OPTIMIZE   creates an fts4 table (1024-byte
**                                    pages, so segments have interior
**                                    nodes) with thousands of documents
**                                    written in transactions, some deleted
**                                    and updated (several segment levels);
**                                    OPTIMIZE 1 ends with 'optimize'
**   ftsinterop modify FILE           deletes, updates and inserts documents
**                                    (in an index the other library wrote),
**                                    then flushes a level-0 merge
**   ftsinterop show FILE             'integrity-check', PRAGMA
**                                    integrity_check, the segment rows and
**                                    the results of many MATCH queries
**
** Exit status 0 unless a statement fails.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sqlite3.h"
#include "../c/harness.h"

static sqlite3 *db;
static int failed;

static void exec(const char *sql){
  char *e = 0;
  if( sqlite3_exec(db, sql, 0, 0, &e)!=SQLITE_OK ){
    printf("error: %s\n  in: %s\n", e ? e : "?", sql);
    sqlite3_free(e);
    failed = 1;
  }
}

static void show(const char *sql){
  sqlite3_stmt *st;
  int rc;
  printf("%s ->", sql);
  if( sqlite3_prepare_v2(db, sql, -1, &st, 0)!=SQLITE_OK ){
    printf(" prepare error %s\n", sqlite3_errmsg(db));
    failed = 1;
    return;
  }
  while( (rc = sqlite3_step(st))==SQLITE_ROW ){
    int i;
    for(i=0; i<sqlite3_column_count(st); i++){
      const unsigned char *t = sqlite3_column_text(st, i);
      printf(" %s", t ? (const char*)t : "NULL");
    }
    printf(";");
  }
  if( rc!=SQLITE_DONE ){ printf(" error %s", sqlite3_errmsg(db)); failed = 1; }
  sqlite3_finalize(st);
  printf("\n");
}

static unsigned int seed = 777;
static unsigned int rnd(void){ seed = seed*1103515245u + 12345u; return (seed>>16) & 0x7fff; }

/* Words w0..w399 plus a few common ones: many distinct terms, so that
** the segments need several leaves and interior nodes. */
static void word(char *z){
  unsigned r = rnd();
  if( r%7==0 ) strcat(z, "common");
  else if( r%11==0 ) strcat(z, "frequent");
  else { char b[16]; sprintf(b, "w%u", r%400); strcat(z, b); }
}

static void insert_docs(int n, int per_txn){
  sqlite3_stmt *ins;
  char zA[512], zB[2048];
  int i, j;
  sqlite3_prepare_v2(db, "INSERT INTO t(a, b) VALUES(?, ?)", -1, &ins, 0);
  for(i=0; i<n; i++){
    int na = 1 + rnd()%10, nb = rnd()%60;
    if( i%per_txn==0 ) exec("BEGIN");
    zA[0] = zB[0] = 0;
    for(j=0; j<na; j++){ word(zA); strcat(zA, " "); }
    for(j=0; j<nb; j++){ word(zB); strcat(zB, j%9==8 ? ". " : " "); }
    sqlite3_bind_text(ins, 1, zA, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(ins, 2, zB, -1, SQLITE_TRANSIENT);
    if( sqlite3_step(ins)!=SQLITE_DONE ){ printf("insert failed: %s\n", sqlite3_errmsg(db)); failed = 1; }
    sqlite3_reset(ins);
    if( i%per_txn==per_txn-1 || i==n-1 ) exec("COMMIT");
  }
  sqlite3_finalize(ins);
}

static void do_write(int optimize){
  int k;
  exec("PRAGMA page_size=1024");
  exec("CREATE VIRTUAL TABLE t USING fts4(a, b)");
  for(k=0; k<12; k++){
    insert_docs(300, 50);
    exec("DELETE FROM t WHERE docid % 23 = 7");
    exec("UPDATE t SET a = 'updated ' || a WHERE docid % 31 = 3");
  }
  if( optimize ) exec("INSERT INTO t(t) VALUES('optimize')");
}

static void do_modify(void){
  exec("DELETE FROM t WHERE docid % 19 = 2");
  exec("UPDATE t SET b = 'modified frequent ' || b WHERE docid % 29 = 4");
  exec("INSERT INTO t(docid, a, b) VALUES(100000, 'brand new', 'common words here')");
  insert_docs(400, 40);
}

static void do_show(void){
  static const char *aQ[] = {
    "common", "frequent", "w1", "w12*", "w3*", "common frequent", "common OR w5", "common NOT frequent",
    "\"common frequent\"", "common NEAR/3 w7", "a:w10 OR b:w20", "(w1 OR w2) AND (common OR w3)",
    "updated", "modified", "brand", "^common", "a:^w5", "w100 NEAR w200", "w399 w398", "nothing", 0
  };
  int i;
  show("INSERT INTO t(t) VALUES('integrity-check')");
  show("PRAGMA integrity_check");
  show("SELECT level, idx, start_block, leaves_end_block, end_block, length(root) FROM t_segdir ORDER BY level, idx");
  show("SELECT count(*), sum(length(block)) FROM t_segments");
  show("SELECT count(*), sum(docid), sum(length(a)), sum(length(b)) FROM t");
  show("SELECT hex(value) FROM t_stat");
  show("SELECT count(*), sum(length(size)) FROM t_docsize");
  for(i=0; aQ[i]; i++){
    char z[300];
    sqlite3_snprintf(sizeof(z), z, "SELECT count(*), sum(docid), min(docid), max(docid) FROM t WHERE t MATCH '%q'", aQ[i]);
    show(z);
  }
  show("SELECT docid, offsets(t) FROM t WHERE t MATCH 'common w7' ORDER BY docid DESC LIMIT 3");
  show("SELECT docid, snippet(t) FROM t WHERE t MATCH 'frequent' LIMIT 3");
  show("SELECT docid, hex(matchinfo(t, 'pcxnal')) FROM t WHERE t MATCH 'w1 common' LIMIT 3");
}

int main(int argc, char **argv){
  ferrolite_check_lib();
  if( argc<3 ){ fprintf(stderr, "usage: ftsinterop write|modify|show FILE [OPTIMIZE]\n"); return 2; }
  if( sqlite3_open(argv[2], &db)!=SQLITE_OK ){ printf("open failed\n"); return 1; }
  if( strcmp(argv[1], "write")==0 ) do_write(argc>3 && atoi(argv[3]));
  else if( strcmp(argv[1], "modify")==0 ) do_modify();
  else if( strcmp(argv[1], "show")==0 ) do_show();
  else { fprintf(stderr, "unknown step %s\n", argv[1]); return 2; }
  sqlite3_close(db);
  return failed;
}
