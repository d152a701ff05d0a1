/*
** extension.c: loadable extensions.
**
** Loads compat-tests/c/ext/halfext.c, which run.sh builds as
** $FERROLITE_EXT_DIR/libhalfext.so against include/sqlite3ext.h alone, and
** checks: loading refused until enabled ("not authorized"), enabled by
** sqlite3_enable_load_extension and by SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION
** (and disabled again); the file name tried with ".so" appended; the entry
** point derived from the file name; a missing entry point, a missing
** file and a failing entry point with their messages; SQLITE_OK_LOAD_PERMANENTLY;
** the extension's functions, collation and eponymous virtual table at work; the SQL function
** load_extension(X[,Y]) (enabled only by sqlite3_enable_load_extension); sqlite3_auto_extension
** (registered once, run at each open, a failure failing the open),
** sqlite3_cancel_auto_extension and sqlite3_reset_auto_extension.
** Messages are printed with the extension directory replaced by "EXTDIR".
*/
#include "harness.h"
#include <sqlite3.h>
#include "query.h"
#include <dlfcn.h>

static const char *ext_dir;

/* Prints a message with ext_dir replaced by EXTDIR. */
static void show_msg(const char *label, int rc, const char *msg){
  size_t n = strlen(ext_dir);
  printf("%s: rc=%d msg=", label, rc);
  if( msg==0 ){
    printf("NULL\n");
    return;
  }
  while( *msg ){
    if( strncmp(msg, ext_dir, n)==0 ){
      printf("EXTDIR");
      msg += n;
    }else{
      putchar(*msg++);
    }
  }
  printf("\n");
}

static void load(sqlite3 *db, const char *label, const char *file, const char *proc){
  char path[4096];
  char *err = (char*)1;
  int rc;
  snprintf(path, sizeof(path), "%s/%s", ext_dir, file);
  rc = sqlite3_load_extension(db, path, proc, &err);
  show_msg(label, rc, err);
  sqlite3_free(err);
}

/* The SQL function: SELECT load_extension(file[, proc]) with bound
** arguments (file NULL: a NULL argument). */
static void sql_load(sqlite3 *db, const char *label, const char *file, const char *proc){
  char path[4096];
  sqlite3_stmt *st = 0;
  int rc = sqlite3_prepare_v2(db, proc ? "SELECT load_extension(?1, ?2)" : "SELECT load_extension(?1)", -1, &st, 0);
  if( rc!=SQLITE_OK ){
    show_msg(label, rc, sqlite3_errmsg(db));
    return;
  }
  if( file ){
    snprintf(path, sizeof(path), "%s/%s", ext_dir, file);
    sqlite3_bind_text(st, 1, path, -1, SQLITE_TRANSIENT);
  }
  if( proc ) sqlite3_bind_text(st, 2, proc, -1, SQLITE_STATIC);
  rc = sqlite3_step(st);
  if( rc==SQLITE_ROW ){
    printf("%s: row type=%d\n", label, sqlite3_column_type(st, 0));
    rc = sqlite3_step(st);
  }
  show_msg(label, rc, rc==SQLITE_DONE ? "done" : sqlite3_errmsg(db));
  sqlite3_finalize(st);
}

typedef void (*entry_fn)(void);

int main(int argc, char **argv){
  sqlite3 *db = 0, *db2 = 0;
  char path[4096];
  void *h;
  entry_fn half_init, fail_init;
  int on = -1, rc;

  ferrolite_check_lib();
  if( argc<2 ){ fprintf(stderr, "usage: extension DBFILE\n"); return 1; }
  ext_dir = getenv("FERROLITE_EXT_DIR");
  if( ext_dir==0 || ext_dir[0]==0 ){
    fprintf(stderr, "extension: FERROLITE_EXT_DIR is not set (run.sh builds compat-tests/c/ext/ there)\n");
    return 1;
  }
  if( sqlite3_open(argv[1], &db)!=SQLITE_OK ){ fprintf(stderr, "open failed\n"); return 1; }

  /* Disabled by default. */
  load(db, "disabled", "libhalfext.so", 0);
  sql_load(db, "sql disabled", "libhalfext.so", 0);
  q(db, 0, "SELECT half(3)");
  rc = sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, -1, &on);
  printf("db_config query: rc=%d on=%d\n", rc, on);

  /* Enabled through sqlite3_enable_load_extension. */
  printf("enable: %d\n", sqlite3_enable_load_extension(db, 1));
  rc = sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, -1, &on);
  printf("db_config query: rc=%d on=%d\n", rc, on);
  load(db, "no such file", "nosuch", 0);
  load(db, "empty name", "", 0);
  load(db, "no such entry point", "libhalfext.so", "nosuch_init");
  load(db, "failing entry point", "libhalfext.so", "halfext_fail_init");
  q(db, 0, "SELECT half(3)");
  load(db, "derived entry point, suffix added", "libhalfext", 0);
  q(db, 0, "SELECT half(3), half(NULL), half('7')");
  q(db, 0, "SELECT halfext_version()");
  q(db, 0, "SELECT greet('ferro'), greet('')");
  q(db, 0, "CREATE TABLE w(x)");
  q(db, 0, "INSERT INTO w VALUES('ab'),('ba'),('ca'),('zz'),('a')");
  q(db, 0, "SELECT group_concat(x, ',') FROM (SELECT x FROM w ORDER BY x COLLATE backwards)");
  q(db, 0, "SELECT 'xa' < 'ab' COLLATE backwards, 'ab' = 'ab' COLLATE backwards");
  q(db, 0, "SELECT value FROM halfseries(20)");
  q(db, 0, "SELECT rowid, value, half(value) FROM halfseries WHERE start=9 AND value<9");
  q(db, 0, "SELECT count(*) FROM halfseries");
  q(db, 0, "SELECT x, (SELECT group_concat(value) FROM halfseries(length(x)*3)) FROM w ORDER BY x");
  q(db, 0, "CREATE VIRTUAL TABLE hs2 USING halfseries");
  load(db, "permanent", "libhalfext.so", "halfext_permanent_init");
  q(db, 0, "SELECT twice(21)");
  load(db, "loaded twice", "libhalfext.so", 0);
  q(db, 0, "SELECT half(5)");

  /* The SQL function. */
  sql_load(db, "sql", "libhalfext.so", "halfext_permanent_init");
  sql_load(db, "sql no entry point", "libhalfext.so", "nosuch_init");
  sql_load(db, "sql NULL file", 0, 0);
  /* On a connection where the extension's functions do not exist yet
  ** (above, re-registering them while the statement runs is refused). */
  sqlite3_open(":memory:", &db2);
  sqlite3_enable_load_extension(db2, 1);
  sql_load(db2, "sql on a fresh connection", "libhalfext", 0);
  q(db2, 0, "SELECT half(1), greet('sql')");
  sqlite3_close(db2);
  db2 = 0;

  /* Disabled again. */
  printf("disable: %d\n", sqlite3_enable_load_extension(db, 0));
  load(db, "disabled again", "libhalfext.so", 0);
  /* What was loaded stays. */
  q(db, 0, "SELECT half(9)");

  /* Enabled through db_config. */
  rc = sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 1, &on);
  printf("db_config on: rc=%d on=%d\n", rc, on);
  load(db, "enabled by db_config", "libhalfext.so", "halfext_permanent_init");
  rc = sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0, &on);
  printf("db_config off: rc=%d on=%d\n", rc, on);
  load(db, "disabled by db_config", "libhalfext.so", 0);
  rc = sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 1, &on);
  sql_load(db, "sql with only the C call enabled", "libhalfext.so", 0);
  sqlite3_enable_load_extension(db, 0);
  printf("close: %d\n", sqlite3_close(db));

  /* Automatic extensions: entry points taken from the library directly. */
  snprintf(path, sizeof(path), "%s/libhalfext.so", ext_dir);
  h = dlopen(path, RTLD_NOW);
  if( h==0 ){ fprintf(stderr, "dlopen: %s\n", dlerror()); return 1; }
  half_init = (entry_fn)dlsym(h, "sqlite3_halfext_init");
  fail_init = (entry_fn)dlsym(h, "halfext_fail_init");
  if( half_init==0 || fail_init==0 ){ fprintf(stderr, "dlsym failed\n"); return 1; }

  printf("auto_extension: %d\n", sqlite3_auto_extension(half_init));
  printf("auto_extension again: %d\n", sqlite3_auto_extension(half_init));
  rc = sqlite3_open(":memory:", &db2);
  printf("open with auto extension: %d\n", rc);
  q(db2, 0, "SELECT half(11), greet('auto')");
  sqlite3_close(db2);

  printf("cancel: %d\n", sqlite3_cancel_auto_extension(half_init));
  printf("cancel again: %d\n", sqlite3_cancel_auto_extension(half_init));
  rc = sqlite3_open(":memory:", &db2);
  printf("open after cancel: %d\n", rc);
  q(db2, 0, "SELECT half(11)");
  sqlite3_close(db2);

  sqlite3_auto_extension(half_init);
  sqlite3_auto_extension(fail_init);
  db2 = 0;
  rc = sqlite3_open(":memory:", &db2);
  show_msg("open with failing auto extension", rc, db2 ? sqlite3_errmsg(db2) : "no handle");
  printf("  errcode=%d handle=%s\n", db2 ? sqlite3_errcode(db2) : -1, db2 ? "yes" : "no");
  sqlite3_close(db2);

  sqlite3_reset_auto_extension();
  printf("cancel after reset: %d\n", sqlite3_cancel_auto_extension(half_init));
  rc = sqlite3_open(":memory:", &db2);
  printf("open after reset: %d\n", rc);
  q(db2, 0, "SELECT half(11)");
  sqlite3_close(db2);

  /* The database file for run.sh's file checks. */
  if( sqlite3_open(argv[1], &db)==SQLITE_OK ){
    q(db, 0, "SELECT count(*) FROM w");
    sqlite3_close(db);
  }
  dlclose(h);
  return 0;
}
