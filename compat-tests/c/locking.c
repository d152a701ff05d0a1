/*
** locking.c: PRAGMA locking_mode, mmap_size, fullfsync and max_page_count,
** compared with SQLite. Two connections of this process (a and b) and a
** child process (c, its own connection) share the file:
**   - locking_mode=EXCLUSIVE keeps the SHARED lock after a read (others can
**     read but not commit a write) and the EXCLUSIVE lock after a write
**     (others cannot even read); back to NORMAL, the locks go when the next
**     transaction ends;
**   - reads through a memory map (mmap_size) see writes made by other
**     connections and processes, and a file that shrank (VACUUM) and grew;
**   - the journal stays (header zeroed) in exclusive mode.
*/
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "sqlite3.h"
#include "harness.h"
#include "query.h"

static const char *path;

/* Runs SQL, prints the rows (or the error) under a label. */

static sqlite3 *open_db(void){
  sqlite3 *db = 0;
  sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE|SQLITE_OPEN_CREATE, 0);
  return db;
}

static const char *self_exe;

/* Runs SQL in another process (this program re-executed: a forked copy
** would inherit this process's view of its own locks) with its own
** connection. */
static void child(const char *sql){
  pid_t pid;
  fflush(stdout);
  pid = fork();
  if( pid==0 ){
    execl(self_exe, self_exe, path, "--child", sql, (char*)0);
    _exit(3);
  }
  waitpid(pid, 0, 0);
}

static void journal_state(void){
  char j[4096];
  struct stat s;
  snprintf(j, sizeof(j), "%s-journal", path);
  if( stat(j, &s)!=0 ){
    printf("journal: none\n");
  }else{
    FILE *f = fopen(j, "rb");
    int c = f ? fgetc(f) : -1;
    if( f ) fclose(f);
    printf("journal: present, first byte %d\n", c==EOF ? -1 : c);
  }
}

int main(int argc, char **argv){
  sqlite3 *a, *b;
  ferrolite_check_lib();
  if( argc<2 ) return 2;
  path = argv[1];
  self_exe = argv[0];
  if( argc==4 && strcmp(argv[2], "--child")==0 ){
    sqlite3 *c = open_db();
    q(c, "c", argv[3]);
    sqlite3_close(c);
    return 0;
  }
  a = open_db();
  b = open_db();

  q(a, "a", "CREATE TABLE t(x INTEGER PRIMARY KEY, y)");
  q(a, "a", "INSERT INTO t VALUES(1, 'one'), (2, 'two')");
  q(a, "a", "PRAGMA locking_mode");
  q(a, "a", "PRAGMA locking_mode = EXCLUSIVE");
  q(a, "a", "SELECT count(*) FROM t");
  /* a keeps SHARED: readers fine, writers cannot commit. */
  q(b, "b", "SELECT count(*) FROM t");
  q(b, "b", "INSERT INTO t VALUES(3, 'three')");
  child("SELECT count(*) FROM t");
  child("INSERT INTO t VALUES(4, 'four')");
  /* a writes: now EXCLUSIVE, kept. */
  q(a, "a", "INSERT INTO t VALUES(5, 'five')");
  journal_state();
  q(b, "b", "SELECT count(*) FROM t");
  child("SELECT count(*) FROM t");
  q(a, "a", "SELECT group_concat(x) FROM t");
  /* Back to NORMAL: released when the next transaction ends. */
  q(a, "a", "PRAGMA locking_mode = NORMAL");
  q(b, "b", "SELECT count(*) FROM t");
  q(a, "a", "SELECT count(*) FROM t");
  q(b, "b", "SELECT count(*) FROM t");
  child("INSERT INTO t VALUES(6, 'six')");
  q(a, "a", "SELECT group_concat(x) FROM t");
  q(a, "a", "PRAGMA locking_mode = bogus");

  /* Memory-mapped reads. */
  q(a, "a", "PRAGMA mmap_size");
  q(a, "a", "PRAGMA mmap_size = 1048576");
  q(a, "a", "PRAGMA mmap_size");
  q(a, "a", "SELECT group_concat(y) FROM t");
  q(b, "b", "INSERT INTO t SELECT x + 100, printf('%.*c', 3000, 'z') FROM t");
  child("UPDATE t SET y = 'changed' WHERE x = 1");
  q(a, "a", "SELECT count(*), sum(length(y)), (SELECT y FROM t WHERE x = 1) FROM t");
  q(b, "b", "DELETE FROM t WHERE x > 100");
  child("VACUUM");
  q(a, "a", "SELECT count(*), sum(length(y)) FROM t");
  q(a, "a", "PRAGMA integrity_check");
  q(a, "a", "PRAGMA mmap_size = -1");
  q(a, "a", "PRAGMA mmap_size = 99999999999");
  q(a, "a", "PRAGMA mmap_size = 0");

  /* fullfsync and checkpoint_fullfsync are flags. */
  q(a, "a", "PRAGMA fullfsync");
  q(a, "a", "PRAGMA fullfsync = ON");
  q(a, "a", "PRAGMA fullfsync");
  q(a, "a", "INSERT INTO t VALUES(7, 'seven')");
  q(a, "a", "PRAGMA checkpoint_fullfsync = 1");
  q(a, "a", "PRAGMA checkpoint_fullfsync");

  /* max_page_count: never below the current size; writes past it fail. */
  q(a, "a", "PRAGMA max_page_count");
  q(a, "a", "PRAGMA max_page_count = 1");
  q(a, "a", "PRAGMA page_count");
  q(a, "a", "INSERT INTO t SELECT x + 1000, printf('%.*c', 5000, 'w') FROM t");
  q(a, "a", "SELECT count(*) FROM t");
  q(a, "a", "PRAGMA max_page_count = 100000");

  sqlite3_close(b);
  sqlite3_close(a);
  return 0;
}
