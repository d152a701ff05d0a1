/*
** globals.c: library-wide helpers. randomness, strglob, strlike,
** keyword_count/name/check, memory_used/highwater and status/status64
** (only relations that hold in both libraries are printed: the numbers
** themselves differ), soft/hard heap limits, release_memory, os_init/
** os_end, the deprecated thread_cleanup / global_recover / memory_alarm,
** the temp_directory and data_directory variables, sqlite3_mutex_* and
** sqlite3_db_mutex.
*/
#include "harness.h"
#include <sqlite3.h>

int main(int argc, char **argv){
  sqlite3 *db; unsigned char buf[64]; int i, nz, rc; sqlite3_mutex *m, *m2, *s1, *s2;
  sqlite3_int64 before, after, cur, hi; int icur, ihi;
  const char *kw; int nkw, found;
  static const char *globs[][2] = {{"a*c","abc"},{"a*c","abd"},{"[a-c]?","bz"},{"A*","abc"},{"*","",},{"a[^x]c","axc"}};
  static const char *likes[][2] = {{"a%c","ABC"},{"a_c","abbc"},{"%b%","xxBxx"},{"a\\%","a%"},{"a\\%","ab"}};
  ferrolite_check_lib();
  if( argc<2 ) return 2;
  remove(argv[1]);
  printf("os_init=%d\n", sqlite3_os_init());

  /* randomness: fills the buffer (64 zero bytes are practically impossible). */
  memset(buf, 0, sizeof(buf));
  sqlite3_randomness(sizeof(buf), buf);
  for(i=nz=0; i<64; i++) nz += buf[i]!=0;
  printf("randomness filled: %d\n", nz>32);
  sqlite3_randomness(0, 0);

  for(i=0; i<6; i++) printf("strglob(%s,%s)==0: %d\n", globs[i][0], globs[i][1], sqlite3_strglob(globs[i][0], globs[i][1])==0);
  printf("strglob NULLs: %d %d %d\n", sqlite3_strglob(0, 0), sqlite3_strglob("a", 0)!=0, sqlite3_strglob(0, "a")!=0);
  for(i=0; i<5; i++) printf("strlike(%s,%s,'\\')==0: %d\n", likes[i][0], likes[i][1], sqlite3_strlike(likes[i][0], likes[i][1], '\\')==0);
  printf("strlike no escape: %d\n", sqlite3_strlike("a\\%", "a\\xyz", 0)==0);

  /* Keywords: the count, each name checks as a keyword, some non-words. */
  printf("keyword_count: %d\n", sqlite3_keyword_count());
  for(i=found=0; i<sqlite3_keyword_count(); i++){
    if( sqlite3_keyword_name(i, &kw, &nkw)==SQLITE_OK && sqlite3_keyword_check(kw, nkw) ) found++;
  }
  printf("names that check: %d\n", found);
  printf("keyword_name out of range: %d %d\n", sqlite3_keyword_name(-1, &kw, &nkw), sqlite3_keyword_name(sqlite3_keyword_count(), &kw, &nkw));
  printf("keyword_check: select=%d SELECT=%d selec=%d rowid=%d WITHOUT=%d sel(3)=%d\n", sqlite3_keyword_check("select", 6), sqlite3_keyword_check("SELECT", 6),
         sqlite3_keyword_check("selec", 5), sqlite3_keyword_check("rowid", 5), sqlite3_keyword_check("WITHOUT", 7), sqlite3_keyword_check("select", 3));
  {
    /* Every keyword the reference lists, sorted, must be in both lists:
    ** print them sorted so the sets compare. */
    const char *names[200]; int n = sqlite3_keyword_count(), j;
    int lens[200];
    for(i=0; i<n && i<200; i++) sqlite3_keyword_name(i, &names[i], &lens[i]);
    for(i=0; i<n; i++) for(j=i+1; j<n; j++){
      int c = strncmp(names[i], names[j], lens[i]<lens[j]?lens[i]:lens[j]);
      if( c>0 || (c==0 && lens[i]>lens[j]) ){ const char *t = names[i]; int tl = lens[i]; names[i] = names[j]; lens[i] = lens[j]; names[j] = t; lens[j] = tl; }
    }
    for(i=0; i<n; i++) printf("%.*s%s", lens[i], names[i], i%12==11 || i==n-1 ? "\n" : " ");
  }

  /* Memory accounting: a block counts while it lives. */
  before = sqlite3_memory_used();
  {
    void *p = sqlite3_malloc(100000);
    after = sqlite3_memory_used();
    printf("memory_used grows by >=100000: %d\n", after - before >= 100000);
    printf("highwater >= used: %d\n", sqlite3_memory_highwater(0) >= after);
    rc = sqlite3_status64(SQLITE_STATUS_MEMORY_USED, &cur, &hi, 0);
    printf("status64 MEMORY_USED: rc=%d cur>=100000: %d hi>=cur: %d\n", rc, cur >= 100000, hi >= cur);
    rc = sqlite3_status64(SQLITE_STATUS_MALLOC_SIZE, &cur, &hi, 0);
    printf("status64 MALLOC_SIZE: rc=%d hi>=100000: %d\n", rc, hi >= 100000);
    rc = sqlite3_status(SQLITE_STATUS_MALLOC_COUNT, &icur, &ihi, 0);
    printf("status MALLOC_COUNT: rc=%d cur>0: %d hi>=cur: %d\n", rc, icur > 0, ihi >= icur);
    sqlite3_free(p);
    printf("memory_used back down: %d\n", sqlite3_memory_used() < after);
    sqlite3_memory_highwater(1);
    printf("highwater after reset < old: %d\n", sqlite3_memory_highwater(0) < after);
  }
  printf("status bad op: %d %d\n", sqlite3_status64(-1, &cur, &hi, 0), sqlite3_status(10, &icur, &ihi, 0));

  /* Heap limits: previous values come back. */
  printf("soft_heap_limit64: %lld %lld %lld\n", sqlite3_soft_heap_limit64(1000000), sqlite3_soft_heap_limit64(-1), sqlite3_soft_heap_limit64(0));
  sqlite3_soft_heap_limit(5000000);
  printf("soft after legacy set: %lld\n", sqlite3_soft_heap_limit64(-1));
  printf("hard_heap_limit64: %lld %lld\n", sqlite3_hard_heap_limit64(2000000), sqlite3_hard_heap_limit64(-1));
  printf("soft clamped to hard: %lld\n", sqlite3_soft_heap_limit64(-1));
  printf("soft above hard: %lld -> %lld\n", sqlite3_soft_heap_limit64(9000000), sqlite3_soft_heap_limit64(-1));
  printf("hard off: %lld\n", sqlite3_hard_heap_limit64(0));
  sqlite3_soft_heap_limit64(0);
  printf("release_memory: %d\n", sqlite3_release_memory(1000));

  /* Deprecated no-ops. */
  sqlite3_thread_cleanup();
  printf("global_recover: %d memory_alarm: %d\n", sqlite3_global_recover(), sqlite3_memory_alarm(0, 0, 0));
  printf("temp_directory: %s data_directory: %s\n", sqlite3_temp_directory ? "set" : "NULL", sqlite3_data_directory ? "set" : "NULL");

  /* Mutexes. */
  m = sqlite3_mutex_alloc(SQLITE_MUTEX_RECURSIVE);
  m2 = sqlite3_mutex_alloc(SQLITE_MUTEX_FAST);
  s1 = sqlite3_mutex_alloc(SQLITE_MUTEX_STATIC_APP1);
  s2 = sqlite3_mutex_alloc(SQLITE_MUTEX_STATIC_APP1);
  printf("mutex_alloc: rec=%d fast=%d distinct=%d static same=%d\n", m!=0, m2!=0, m!=m2, s1==s2);
  sqlite3_mutex_enter(m);
  sqlite3_mutex_enter(m);
  printf("mutex_try recursive: %d\n", sqlite3_mutex_try(m));
  sqlite3_mutex_leave(m); sqlite3_mutex_leave(m); sqlite3_mutex_leave(m);
  sqlite3_mutex_enter(m2); sqlite3_mutex_leave(m2);
  sqlite3_mutex_enter(s1); sqlite3_mutex_leave(s1);
  sqlite3_mutex_free(m); sqlite3_mutex_free(m2);
  sqlite3_mutex_enter(0); sqlite3_mutex_leave(0); sqlite3_mutex_free(0);

  rc = sqlite3_open(argv[1], &db);
  m = sqlite3_db_mutex(db);
  printf("db_mutex: %d\n", m!=0);
  sqlite3_mutex_enter(m);
  rc = sqlite3_exec(db, "CREATE TABLE t(a); INSERT INTO t VALUES(1)", 0, 0, 0);
  printf("exec holding db_mutex: %d\n", rc);
  printf("db_mutex try while held: %d\n", sqlite3_mutex_try(m));
  sqlite3_mutex_leave(m);
  sqlite3_mutex_leave(m);
  sqlite3_close(db);
  printf("os_end=%d\n", sqlite3_os_end());
  return 0;
}
