/*
** concurrency.c: the concurrency benchmark of issue 6, run once per
** library by scripts/bench-concurrency.sh (which prints the ratios).
**
**   concurrency DBFILE writers WRITERS TXNS
**     WRITERS threads, each with its own connection to one WAL database
**     (busy_timeout 10 s), each committing TXNS small transactions
**     (BEGIN IMMEDIATE; INSERT; COMMIT). Prints the SQLITE_BUSY results
**     the application saw, the commits per second and the median / p99 /
**     max commit latency in microseconds.
**
**   concurrency DBFILE readers SECONDS CHECKPOINT
**     1 writer committing small transactions as fast as it can and 3
**     reader threads running a short query in a loop, for SECONDS, with
**     wal_autocheckpoint = CHECKPOINT pages (0: none). Prints the readers'
**     queries per second and the writer's commits per second.
**
** ferrolite_check_lib() makes sure the intended library is the one mapped.
*/
#include "../c/harness.h"
#include <pthread.h>
#include <sqlite3.h>
#include <time.h>

static const char *dbfile;
static int txns_per_writer;
static volatile int stop_flag = 0;

static double now_us(void){
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec*1e6 + ts.tv_nsec/1e3;
}

static sqlite3 *open_db(void){
  sqlite3 *db = 0;
  if( sqlite3_open(dbfile, &db)!=SQLITE_OK ){
    fprintf(stderr, "open: %s\n", sqlite3_errmsg(db));
    exit(1);
  }
  sqlite3_busy_timeout(db, 10000);
  /* BENCH_SQL: statements run on every connection first (a pragma to
  ** compare settings). */
  if( getenv("BENCH_SQL") ) sqlite3_exec(db, getenv("BENCH_SQL"), 0, 0, 0);
  return db;
}

struct writer {
  int id;
  int busy;
  int errors;
  double *lat;
  int n;
};

/* Runs one statement; counts SQLITE_BUSY separately from other errors. */
static int run(sqlite3 *db, sqlite3_stmt *st, struct writer *w){
  int rc = sqlite3_step(st);
  sqlite3_reset(st);
  if( rc==SQLITE_DONE || rc==SQLITE_ROW ) return 0;
  if( (rc & 0xff)==SQLITE_BUSY ) w->busy++;
  else { w->errors++; fprintf(stderr, "writer %d: %s\n", w->id, sqlite3_errmsg(db)); }
  return 1;
}

static void *writer_main(void *arg){
  struct writer *w = arg;
  sqlite3 *db = open_db();
  sqlite3_stmt *begin, *ins, *commit, *rollback;
  int i;
  sqlite3_prepare_v2(db, "BEGIN IMMEDIATE", -1, &begin, 0);
  sqlite3_prepare_v2(db, "INSERT INTO t(w, v) VALUES(?1, randomblob(64))", -1, &ins, 0);
  sqlite3_prepare_v2(db, "COMMIT", -1, &commit, 0);
  sqlite3_prepare_v2(db, "ROLLBACK", -1, &rollback, 0);
  sqlite3_bind_int(ins, 1, w->id);
  for(i=0; i<txns_per_writer; i++){
    double t0 = now_us();
    if( run(db, begin, w) ) continue;
    if( run(db, ins, w) || run(db, commit, w) ){
      sqlite3_step(rollback); sqlite3_reset(rollback);
      continue;
    }
    w->lat[w->n++] = now_us() - t0;
  }
  sqlite3_finalize(begin); sqlite3_finalize(ins); sqlite3_finalize(commit); sqlite3_finalize(rollback);
  sqlite3_close(db);
  return 0;
}

static int cmp_double(const void *a, const void *b){
  double x = *(const double*)a, y = *(const double*)b;
  return x<y ? -1 : x>y;
}

static void setup(void){
  sqlite3 *db;
  remove(dbfile);
  {
    char p[4096];
    snprintf(p, sizeof(p), "%s-wal", dbfile); remove(p);
    snprintf(p, sizeof(p), "%s-shm", dbfile); remove(p);
  }
  db = open_db();
  sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
                   "CREATE TABLE t(id INTEGER PRIMARY KEY, w INT, v BLOB);"
                   "INSERT INTO t(w, v) VALUES(0, randomblob(64));", 0, 0, 0);
  sqlite3_close(db);
}

static int bench_writers(int nwriters){
  pthread_t th[64];
  struct writer ws[64];
  double *all;
  int i, total = 0, busy = 0, errors = 0;
  double t0, secs;
  if( nwriters<1 || nwriters>64 ) return 2;
  setup();
  for(i=0; i<nwriters; i++){
    ws[i].id = i+1; ws[i].busy = 0; ws[i].errors = 0; ws[i].n = 0;
    ws[i].lat = malloc(sizeof(double)*txns_per_writer);
  }
  t0 = now_us();
  for(i=0; i<nwriters; i++) pthread_create(&th[i], 0, writer_main, &ws[i]);
  for(i=0; i<nwriters; i++) pthread_join(th[i], 0);
  secs = (now_us() - t0)/1e6;
  all = malloc(sizeof(double)*nwriters*txns_per_writer);
  for(i=0; i<nwriters; i++){
    memcpy(all+total, ws[i].lat, sizeof(double)*ws[i].n);
    total += ws[i].n; busy += ws[i].busy; errors += ws[i].errors;
    free(ws[i].lat);
  }
  qsort(all, total, sizeof(double), cmp_double);
  printf("writers=%d commits=%d busy=%d errors=%d commits_per_sec=%.0f p50_us=%.0f p99_us=%.0f max_us=%.0f\n",
         nwriters, total, busy, errors, total/secs,
         total ? all[total/2] : 0.0, total ? all[(int)(total*0.99)] : 0.0, total ? all[total-1] : 0.0);
  free(all);
  return 0;
}

static long reads_done[3];
static long writes_done;

static void *reader_main(void *arg){
  int k = (int)(long)arg;
  sqlite3 *db = open_db();
  sqlite3_stmt *st;
  sqlite3_prepare_v2(db, "SELECT count(*), max(id) FROM t WHERE id > (SELECT max(id) FROM t) - 50", -1, &st, 0);
  while( !stop_flag ){
    while( sqlite3_step(st)==SQLITE_ROW ){}
    sqlite3_reset(st);
    reads_done[k]++;
  }
  sqlite3_finalize(st);
  sqlite3_close(db);
  return 0;
}

static int checkpoint_pages;

static void *busy_writer_main(void *arg){
  sqlite3 *db = open_db();
  sqlite3_stmt *ins;
  char sql[64];
  (void)arg;
  snprintf(sql, sizeof(sql), "PRAGMA wal_autocheckpoint=%d", checkpoint_pages);
  sqlite3_exec(db, sql, 0, 0, 0);
  sqlite3_prepare_v2(db, "INSERT INTO t(w, v) VALUES(0, randomblob(200))", -1, &ins, 0);
  while( !stop_flag ){
    if( sqlite3_step(ins)==SQLITE_DONE ) writes_done++;
    sqlite3_reset(ins);
  }
  sqlite3_finalize(ins);
  sqlite3_close(db);
  return 0;
}

static int bench_readers(int seconds){
  pthread_t r[3], w;
  long i, total = 0;
  setup();
  stop_flag = 0;
  pthread_create(&w, 0, busy_writer_main, 0);
  for(i=0; i<3; i++) pthread_create(&r[i], 0, reader_main, (void*)i);
  {
    struct timespec ts = { seconds, 0 };
    nanosleep(&ts, 0);
  }
  stop_flag = 1;
  pthread_join(w, 0);
  for(i=0; i<3; i++){ pthread_join(r[i], 0); total += reads_done[i]; }
  printf("checkpoint=%d reader_queries_per_sec=%.0f writer_commits_per_sec=%.0f\n",
         checkpoint_pages, (double)total/seconds, (double)writes_done/seconds);
  return 0;
}

int main(int argc, char **argv){
  ferrolite_check_lib();
  if( argc!=5 ){
    fprintf(stderr, "usage: %s DBFILE writers WRITERS TXNS | DBFILE readers SECONDS CHECKPOINT\n", argv[0]);
    return 2;
  }
  dbfile = argv[1];
  if( strcmp(argv[2], "writers")==0 ){
    txns_per_writer = atoi(argv[4]);
    return bench_writers(atoi(argv[3]));
  }
  checkpoint_pages = atoi(argv[4]);
  return bench_readers(atoi(argv[3]));
}
