/*
** bytenames.c: file names are bytes. A name that is not UTF-8 (given to
** sqlite3_open_v2 as it is, or percent-escaped in a file: URI) names
** exactly that file, and so do its -journal, -wal and -shm files and what
** sqlite3_db_filename / sqlite3_filename_journal / _wal hand back; a UTF-8
** name holding characters of U+10FF00..U+10FFFF (which Ferrolite uses
** internally for such bytes) is not confused with them, through open,
** ATTACH and VACUUM INTO. Also: sqlite3_enable_shared_cache returns
** SQLITE_OK either way, as SQLite's does.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "sqlite3.h"
#include "harness.h"

static char base[4096];

/* base + suffix (bytes) */
static const char *nm(const char *suffix){
  static char buf[4][4200]; static int i;
  i = (i+1)%4;
  snprintf(buf[i], sizeof(buf[i]), "%s%s", base, suffix);
  return buf[i];
}

static int exists(const char *p){ struct stat s; return stat(p, &s)==0; }

static void rm(const char *suffix){
  const char *ext[] = {"", "-journal", "-wal", "-shm"};
  char b[4300]; int i;
  for(i=0; i<4; i++){ snprintf(b, sizeof(b), "%s%s", nm(suffix), ext[i]); unlink(b); }
}

/* Prints what exists among NAME, NAME-journal, -wal, -shm. */
static void show(const char *label, const char *suffix){
  const char *ext[] = {"", "-journal", "-wal", "-shm"};
  char b[4300]; int i;
  printf("%s:", label);
  for(i=0; i<4; i++){
    snprintf(b, sizeof(b), "%s%s", nm(suffix), ext[i]);
    printf(" %s=%d", ext[i][0] ? ext[i] : "db", exists(b));
  }
  printf("\n");
}

/* Runs `sql`, printing `label` (the SQL itself when NULL) and the result. */
static void exec_as(sqlite3 *db, const char *sql, const char *label){
  char *err = 0;
  int rc = sqlite3_exec(db, sql, 0, 0, &err);
  printf("  %s -> %d%s%s\n", label ? label : sql, rc, err ? " " : "", err ? err : "");
  sqlite3_free(err);
}
static void exec(sqlite3 *db, const char *sql){ exec_as(db, sql, 0); }

static void one(sqlite3 *db, const char *sql){
  sqlite3_stmt *st;
  if( sqlite3_prepare_v2(db, sql, -1, &st, 0)!=SQLITE_OK ){ printf("  prepare: %s\n", sqlite3_errmsg(db)); return; }
  while( sqlite3_step(st)==SQLITE_ROW ) printf("  %s = %s\n", sql, sqlite3_column_text(st, 0));
  sqlite3_finalize(st);
}

/* Whether the names db_filename hands out are the full path of `suffix`
** (and its -journal / -wal), byte for byte. */
static void filenames(sqlite3 *db, const char *suffix){
  char want[4300], j[4400], w[4400];
  const char *f = sqlite3_db_filename(db, "main");
  char *dir = realpath(".", 0);
  const char *n = nm(suffix);
  if( n[0]=='/' ) snprintf(want, sizeof(want), "%s", n);
  else snprintf(want, sizeof(want), "%s/%s", dir, n);
  free(dir);
  snprintf(j, sizeof(j), "%s-journal", want);
  snprintf(w, sizeof(w), "%s-wal", want);
  printf("  db_filename %s, journal %s, wal %s\n",
         f && strcmp(f, want)==0 ? "same" : "differs",
         f && strcmp(sqlite3_filename_journal(f), j)==0 ? "same" : "differs",
         f && strcmp(sqlite3_filename_wal(f), w)==0 ? "same" : "differs");
}

/* "file:" + the name with every byte outside [A-Za-z0-9/._-] escaped. */
static void uri_of(char *out, size_t n, const char *name){
  size_t k = snprintf(out, n, "file:");
  const unsigned char *p;
  for(p=(const unsigned char*)name; *p && k+4<n; p++){
    if( (*p>='a' && *p<='z') || (*p>='A' && *p<='Z') || (*p>='0' && *p<='9') || strchr("/._-", *p) ){
      out[k++] = *p;
    }else{
      k += snprintf(out+k, n-k, "%%%02X", *p);
    }
  }
  out[k] = 0;
}

int main(int argc, char **argv){
  sqlite3 *db; char uri[9000]; char sql[9000];
  /* \xff and \xe7 alone are not UTF-8; U+10FF41 is F4 8F BD 81. */
  const char *raw = "-\xff\xe7x.db", *esc = "-\xfe%.db", *rsv = "-\xf4\x8f\xbd\x81.db";
  ferrolite_check_lib();
  if( argc<2 || strlen(argv[1])>=sizeof(base)-100 ) return 2;
  snprintf(base, sizeof(base), "%s", argv[1]);
  unlink(argv[1]);
  rm(raw); rm(esc); rm(rsv); rm("-A.db"); rm("-vac\xf4\x8f\xbd\x81.db");

  printf("enable_shared_cache(1) = %d\n", sqlite3_enable_shared_cache(1));
  printf("enable_shared_cache(0) = %d\n", sqlite3_enable_shared_cache(0));

  printf("open_v2 raw bytes = %d\n", sqlite3_open_v2(nm(raw), &db, SQLITE_OPEN_READWRITE|SQLITE_OPEN_CREATE, 0));
  exec(db, "CREATE TABLE t(a); INSERT INTO t VALUES(1)");
  filenames(db, raw);
  show("after a commit", raw);
  exec(db, "BEGIN; INSERT INTO t VALUES(2)");
  show("inside a transaction", raw);
  exec(db, "COMMIT");
  exec(db, "PRAGMA journal_mode=WAL; INSERT INTO t VALUES(3)");
  show("in WAL mode", raw);
  sqlite3_close(db);
  show("closed", raw);

  uri_of(uri, sizeof(uri), nm(raw));
  printf("open_v2 escaped URI = %d\n", sqlite3_open_v2(uri, &db, SQLITE_OPEN_READWRITE|SQLITE_OPEN_URI, 0));
  one(db, "SELECT group_concat(a) FROM t");
  filenames(db, raw);
  sqlite3_close(db);

  uri_of(uri, sizeof(uri), nm(esc));
  printf("open_v2 URI creating a name with %%25 = %d\n", sqlite3_open_v2(uri, &db, SQLITE_OPEN_READWRITE|SQLITE_OPEN_CREATE|SQLITE_OPEN_URI, 0));
  exec(db, "CREATE TABLE u(b)");
  show("created", esc);
  sqlite3_close(db);

  /* A UTF-8 name with a character of the reserved range. */
  printf("open_v2 reserved character = %d\n", sqlite3_open_v2(nm(rsv), &db, SQLITE_OPEN_READWRITE|SQLITE_OPEN_CREATE, 0));
  exec(db, "CREATE TABLE r(c); INSERT INTO r VALUES('x')");
  filenames(db, rsv);
  show("reserved", rsv);
  show("not byte A", "-A.db");
  sqlite3_close(db);

  /* ATTACH and VACUUM INTO: names from SQL text. */
  sqlite3_open_v2(argv[1], &db, SQLITE_OPEN_READWRITE|SQLITE_OPEN_CREATE, 0);
  exec(db, "CREATE TABLE main_t(x); INSERT INTO main_t VALUES(42)");
  sqlite3_snprintf(sizeof(sql), sql, "ATTACH %Q AS aux", nm(rsv));
  exec_as(db, sql, "ATTACH <reserved character name> AS aux");
  one(db, "SELECT c FROM aux.r");
  sqlite3_snprintf(sizeof(sql), sql, "VACUUM INTO %Q", nm("-vac\xf4\x8f\xbd\x81.db"));
  exec_as(db, sql, "VACUUM INTO <reserved character name>");
  show("vacuumed into", "-vac\xf4\x8f\xbd\x81.db");
  sqlite3_close(db);

  rm(raw); rm(esc); rm(rsv); rm("-A.db"); rm("-vac\xf4\x8f\xbd\x81.db");
  return 0;
}
