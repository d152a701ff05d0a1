/*
** vfs.c: application VFSes compared with SQLite. sqlite3_vfs_find (NULL,
** "unix", an unknown name), sqlite3_vfs_register / unregister (the
** default first, a non-default VFS second, re-registering moves it,
** unregistering an unknown VFS is fine), opening with an unknown VFS
** (argument and vfs= URI parameter), and a "shim" VFS written here that
** copies the default VFS, wraps each file it opens and counts the calls
** per method class: a database created and read through it in rollback
** mode and in WAL mode (the WAL index's shared memory through the shim,
** two connections), as the default VFS and by name, ATTACH with vfs=,
** file names seen in xOpen (sqlite3_uri_parameter, filename_journal/wal,
** sqlite3_database_file_object from a journal's and a WAL's name),
** sqlite3_file_control reaching the shim's xFileControl, xRead failing
** with SQLITE_IOERR_READ and xLock with SQLITE_BUSY, and a version-1
** shim (no xShm*) asked for WAL. Call counts differ between engines, so
** only facts are printed ("the journal was written through the shim").
*/
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <unistd.h>
#include "sqlite3.h"
#include "harness.h"
#include "query.h"

enum { K_MAIN, K_JOURNAL, K_WAL, K_TEMP, K_OTHER, K_N };
static const char *kind_name[K_N] = {"main", "journal", "wal", "temp", "other"};

static struct {
  int open[K_N], read[K_N], write[K_N], sync[K_N], close[K_N];
  int lock, unlock, reserved, fcntl;
  int shm_map, shm_lock, shm_barrier, shm_unmap;
  int del, access, fullpath, curtime, sleep;
} n;

/* Facts gathered in xOpen. */
static char main_param[64];      /* uri_parameter(main name, "foo") */
static char journal_param[64];   /* uri_parameter(journal name, "foo") */
static char wal_param[64];       /* uri_parameter(wal name, "foo") */
static int journal_dfo_ok = -1;  /* database_file_object(journal) == main file */
static int wal_dfo_ok = -1;      /* database_file_object(wal) == main file */
static int names_ok = -1;        /* filename_journal/wal of the main name match */
static sqlite3_file *last_main = 0;
static char expect_journal[4200], expect_wal[4200];

/* Knobs. */
static int fail_read = 0;  /* xRead of the main db returns SQLITE_IOERR_READ */
static int busy_lock = 0;  /* xLock returns SQLITE_BUSY */
static int fail_journal_open = 0;  /* xOpen of a journal returns SQLITE_CANTOPEN */
static int full_write = 0;  /* xWrite of the journal returns SQLITE_FULL */
static int fail_sync = 0;   /* xSync returns SQLITE_IOERR_FSYNC */
static int open_then_fail = 0;  /* xOpen of the main db sets pMethods, then fails */
static int custom_op_seen = 0;
static int log_opens = 1;  /* print each xOpen: kind, name or NULL, flags */

#define CUSTOM_OP 0x5a5a

typedef struct ShimFile {
  sqlite3_file base;
  sqlite3_file *real;
  int kind;
} ShimFile;

static sqlite3_vfs *root;  /* the default VFS the shims wrap */

static sqlite3_file *R(sqlite3_file *f){ return ((ShimFile*)f)->real; }
static int K(sqlite3_file *f){ return ((ShimFile*)f)->kind; }

static int shimClose(sqlite3_file *f){
  int rc = R(f)->pMethods ? R(f)->pMethods->xClose(R(f)) : SQLITE_OK;
  n.close[K(f)]++;
  return rc;
}
static int shimRead(sqlite3_file *f, void *b, int amt, sqlite3_int64 off){
  n.read[K(f)]++;
  if( fail_read && K(f)==K_MAIN ) return SQLITE_IOERR_READ;
  return R(f)->pMethods->xRead(R(f), b, amt, off);
}
static int shimWrite(sqlite3_file *f, const void *b, int amt, sqlite3_int64 off){
  n.write[K(f)]++;
  if( full_write && K(f)==K_JOURNAL ) return SQLITE_FULL;
  return R(f)->pMethods->xWrite(R(f), b, amt, off);
}
static int shimTruncate(sqlite3_file *f, sqlite3_int64 size){
  return R(f)->pMethods->xTruncate(R(f), size);
}
static int shimSync(sqlite3_file *f, int flags){
  n.sync[K(f)]++;
  if( fail_sync ) return SQLITE_IOERR_FSYNC;
  return R(f)->pMethods->xSync(R(f), flags);
}
static int shimFileSize(sqlite3_file *f, sqlite3_int64 *p){
  return R(f)->pMethods->xFileSize(R(f), p);
}
static int shimLock(sqlite3_file *f, int l){
  n.lock++;
  if( busy_lock ) return SQLITE_BUSY;
  return R(f)->pMethods->xLock(R(f), l);
}
static int shimUnlock(sqlite3_file *f, int l){
  n.unlock++;
  return R(f)->pMethods->xUnlock(R(f), l);
}
static int shimCheckReservedLock(sqlite3_file *f, int *p){
  n.reserved++;
  return R(f)->pMethods->xCheckReservedLock(R(f), p);
}
static int shimFileControl(sqlite3_file *f, int op, void *arg){
  n.fcntl++;
  if( op==CUSTOM_OP ){
    custom_op_seen++;
    *(int*)arg = 42;
    return SQLITE_OK;
  }
  return R(f)->pMethods->xFileControl(R(f), op, arg);
}
static int shimSectorSize(sqlite3_file *f){
  return R(f)->pMethods->xSectorSize(R(f));
}
static int shimDeviceCharacteristics(sqlite3_file *f){
  return R(f)->pMethods->xDeviceCharacteristics(R(f));
}
static int shimShmMap(sqlite3_file *f, int pg, int sz, int extend, void volatile **pp){
  n.shm_map++;
  return R(f)->pMethods->xShmMap(R(f), pg, sz, extend, pp);
}
static int shimShmLock(sqlite3_file *f, int ofst, int cnt, int flags){
  n.shm_lock++;
  return R(f)->pMethods->xShmLock(R(f), ofst, cnt, flags);
}
static void shimShmBarrier(sqlite3_file *f){
  n.shm_barrier++;
  R(f)->pMethods->xShmBarrier(R(f));
}
static int shimShmUnmap(sqlite3_file *f, int del){
  n.shm_unmap++;
  return R(f)->pMethods->xShmUnmap(R(f), del);
}

static const sqlite3_io_methods shim_io = {
  2, shimClose, shimRead, shimWrite, shimTruncate, shimSync, shimFileSize,
  shimLock, shimUnlock, shimCheckReservedLock, shimFileControl,
  shimSectorSize, shimDeviceCharacteristics,
  shimShmMap, shimShmLock, shimShmBarrier, shimShmUnmap, 0, 0
};
/* Version 1: no shared memory. */
static const sqlite3_io_methods shim_io_v1 = {
  1, shimClose, shimRead, shimWrite, shimTruncate, shimSync, shimFileSize,
  shimLock, shimUnlock, shimCheckReservedLock, shimFileControl,
  shimSectorSize, shimDeviceCharacteristics,
  0, 0, 0, 0, 0, 0
};

static sqlite3_vfs shim, shim_default, shim_v1;

static int kind_of(int flags){
  if( flags & SQLITE_OPEN_MAIN_DB ) return K_MAIN;
  if( flags & SQLITE_OPEN_MAIN_JOURNAL ) return K_JOURNAL;
  if( flags & SQLITE_OPEN_WAL ) return K_WAL;
  if( flags & (SQLITE_OPEN_TEMP_DB|SQLITE_OPEN_TEMP_JOURNAL|SQLITE_OPEN_TRANSIENT_DB|SQLITE_OPEN_SUBJOURNAL) ) return K_TEMP;
  return K_OTHER;
}

static void copy_param(char *dst, const char *zName){
  const char *v = sqlite3_uri_parameter(zName, "foo");
  snprintf(dst, 64, "%s", v ? v : "(none)");
}

static int shimOpen(sqlite3_vfs *vfs, sqlite3_filename zName, sqlite3_file *f, int flags, int *pOut){
  ShimFile *s = (ShimFile*)f;
  int kind = kind_of(flags);
  int rc;
  s->real = (sqlite3_file*)&s[1];
  s->kind = kind;
  n.open[kind]++;
  if( log_opens ){
    printf("    xOpen %s, name %s, flags %#x\n", kind_name[kind], zName ? "given" : "NULL", flags);
  }
  if( zName && kind==K_MAIN ){
    const char *j = sqlite3_filename_journal(zName);
    const char *w = sqlite3_filename_wal(zName);
    last_main = f;
    copy_param(main_param, zName);
    snprintf(expect_journal, sizeof(expect_journal), "%s", j ? j : "");
    snprintf(expect_wal, sizeof(expect_wal), "%s", w ? w : "");
    names_ok = j && w && strcmp(sqlite3_filename_database(zName), zName)==0
      && strlen(j)>8 && strcmp(j+strlen(j)-8, "-journal")==0
      && strlen(w)>4 && strcmp(w+strlen(w)-4, "-wal")==0;
  }
  if( zName && kind==K_JOURNAL ){
    copy_param(journal_param, zName);
    journal_dfo_ok = sqlite3_database_file_object(zName)==last_main && strcmp(zName, expect_journal)==0;
  }
  if( zName && kind==K_WAL ){
    copy_param(wal_param, zName);
    wal_dfo_ok = sqlite3_database_file_object(zName)==last_main && strcmp(zName, expect_wal)==0;
  }
  if( fail_journal_open && kind==K_JOURNAL ){
    f->pMethods = 0;
    return SQLITE_CANTOPEN;
  }
  rc = root->xOpen(root, zName, s->real, flags, pOut);
  if( rc==SQLITE_OK && open_then_fail && kind==K_MAIN ){
    /* The file is open and pMethods set: the caller must close it. */
    f->pMethods = vfs==&shim_v1 ? &shim_io_v1 : &shim_io;
    return SQLITE_IOERR_ACCESS;
  }
  if( rc!=SQLITE_OK ){
    /* The real file says whether it needs closing: our pMethods is NULL,
    ** so the caller never calls shimClose. */
    if( s->real->pMethods ) s->real->pMethods->xClose(s->real);
    f->pMethods = 0;
    return rc;
  }
  f->pMethods = vfs==&shim_v1 ? &shim_io_v1 : &shim_io;
  return SQLITE_OK;
}
static int shimDelete(sqlite3_vfs *v, const char *z, int sync){
  (void)v; n.del++;
  return root->xDelete(root, z, sync);
}
static int shimAccess(sqlite3_vfs *v, const char *z, int flags, int *out){
  (void)v; n.access++;
  return root->xAccess(root, z, flags, out);
}
static int shimFullPathname(sqlite3_vfs *v, const char *z, int nOut, char *out){
  (void)v; n.fullpath++;
  return root->xFullPathname(root, z, nOut, out);
}
static int shimCurrentTime(sqlite3_vfs *v, double *p){
  (void)v; n.curtime++;
  return root->xCurrentTime(root, p);
}
static int shimCurrentTimeInt64(sqlite3_vfs *v, sqlite3_int64 *p){
  (void)v; n.curtime++;
  return root->xCurrentTimeInt64(root, p);
}

static int shimSleep(sqlite3_vfs *v, int micros){
  (void)v; n.sleep++;
  return root->xSleep(root, micros);
}

static void make_shim(sqlite3_vfs *v, const char *name, int version){
  *v = *root;
  v->iVersion = version;
  v->zName = name;
  v->pNext = 0;
  v->szOsFile = (int)sizeof(ShimFile) + root->szOsFile;
  v->xOpen = shimOpen;
  v->xDelete = shimDelete;
  v->xAccess = shimAccess;
  v->xFullPathname = shimFullPathname;
  v->xCurrentTime = shimCurrentTime;
  v->xSleep = shimSleep;
  if( version>=2 ) v->xCurrentTimeInt64 = shimCurrentTimeInt64;
}

static const char *yesno(int b){ return b ? "yes" : "no"; }

static void reset(void){
  memset(&n, 0, sizeof(n));
  strcpy(main_param, "-"); strcpy(journal_param, "-"); strcpy(wal_param, "-");
  journal_dfo_ok = wal_dfo_ok = names_ok = -1;
}

static void opened(void){
  int k;
  printf("  opened through the shim:");
  for(k=0; k<K_N; k++) printf(" %s=%s", kind_name[k], yesno(n.open[k]>0));
  printf("\n");
}

static char path[4096], path2[4200], path3[4200];

static void rm_db(const char *p){
  char b[4300];
  unlink(p);
  snprintf(b, sizeof(b), "%s-journal", p); unlink(b);
  snprintf(b, sizeof(b), "%s-wal", p); unlink(b);
  snprintf(b, sizeof(b), "%s-shm", p); unlink(b);
}

static int exists(const char *p, const char *suffix){
  char b[4300];
  snprintf(b, sizeof(b), "%s%s", p, suffix);
  return access(b, F_OK)==0;
}

static void registry(void){
  sqlite3_vfs a, b;
  sqlite3_vfs *dflt = sqlite3_vfs_find(0);
  printf("-- registry\n");
  printf("default is unix: %s\n", yesno(dflt && strcmp(dflt->zName, "unix")==0));
  printf("find(\"unix\") is the default: %s\n", yesno(sqlite3_vfs_find("unix")==dflt));
  printf("find(\"no-such\") is NULL: %s\n", yesno(sqlite3_vfs_find("no-such")==0));
  printf("default iVersion %d, szOsFile >= sizeof(sqlite3_file): %s, mxPathname > 0: %s\n",
         dflt->iVersion, yesno(dflt->szOsFile>=(int)sizeof(sqlite3_file)), yesno(dflt->mxPathname>0));
  printf("unix-none registered: %s\n", yesno(sqlite3_vfs_find("unix-none")!=0));

  a = *dflt; a.zName = "test-a"; a.pNext = 0;
  b = *dflt; b.zName = "test-b"; b.pNext = 0;
  printf("register(a, 0) -> %d\n", sqlite3_vfs_register(&a, 0));
  printf("  default still unix: %s; a found: %s; a second: %s\n",
         yesno(sqlite3_vfs_find(0)==dflt), yesno(sqlite3_vfs_find("test-a")==&a), yesno(dflt->pNext==&a));
  printf("register(b, 1) -> %d\n", sqlite3_vfs_register(&b, 1));
  printf("  default b: %s; then unix: %s\n", yesno(sqlite3_vfs_find(0)==&b), yesno(b.pNext==dflt));
  printf("register(a, 1) again -> %d\n", sqlite3_vfs_register(&a, 1));
  printf("  default a: %s; then b: %s; then unix: %s; a listed once: %s\n",
         yesno(sqlite3_vfs_find(0)==&a), yesno(a.pNext==&b), yesno(b.pNext==dflt), yesno(dflt->pNext!=&a));
  printf("register(b, 0) again -> %d\n", sqlite3_vfs_register(&b, 0));
  printf("  default a: %s; then b: %s\n", yesno(sqlite3_vfs_find(0)==&a), yesno(a.pNext==&b));
  printf("unregister(a) -> %d\n", sqlite3_vfs_unregister(&a));
  printf("  default b: %s; a gone: %s\n", yesno(sqlite3_vfs_find(0)==&b), yesno(sqlite3_vfs_find("test-a")==0));
  printf("unregister(a) again -> %d\n", sqlite3_vfs_unregister(&a));
  printf("unregister(b) -> %d\n", sqlite3_vfs_unregister(&b));
  printf("  default unix again: %s; b gone: %s\n", yesno(sqlite3_vfs_find(0)==dflt), yesno(sqlite3_vfs_find("test-b")==0));
}

static void unknown_vfs(void){
  sqlite3 *db = 0;
  int rc;
  char uri[4300];
  printf("-- unknown VFS\n");
  rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE|SQLITE_OPEN_CREATE, "no-such");
  printf("open_v2(zVfs=no-such) -> %d %s (handle %s)\n", rc, sqlite3_errmsg(db), db ? "returned" : "NULL");
  sqlite3_close(db);
  snprintf(uri, sizeof(uri), "file:%s?vfs=no-such", path);
  rc = sqlite3_open_v2(uri, &db, SQLITE_OPEN_READWRITE|SQLITE_OPEN_CREATE|SQLITE_OPEN_URI, 0);
  printf("open_v2(file:...?vfs=no-such) -> %d %s\n", rc, sqlite3_errmsg(db));
  sqlite3_close(db);
  snprintf(uri, sizeof(uri), "file:%s?vfs=unix", path);
  rc = sqlite3_open_v2(uri, &db, SQLITE_OPEN_READWRITE|SQLITE_OPEN_CREATE|SQLITE_OPEN_URI, "no-such");
  printf("open_v2(file:...?vfs=unix, zVfs=no-such) -> %d\n", rc);
  sqlite3_close(db);
  printf("database file created by those opens: %s\n", yesno(exists(path, "")));
  rm_db(path);
}

static void rollback_mode(void){
  sqlite3 *db = 0;
  int rc, k;
  char uri[4300];
  printf("-- rollback journal through the shim (by name, URI parameters)\n");
  reset();
  snprintf(uri, sizeof(uri), "file:%s?vfs=shim&foo=bar", path);
  rc = sqlite3_open_v2(uri, &db, SQLITE_OPEN_READWRITE|SQLITE_OPEN_CREATE|SQLITE_OPEN_URI, 0);
  printf("open -> %d\n", rc);
  q(db, 0, "PRAGMA journal_mode");
  q(db, 0, "CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT)");
  q(db, 0, "BEGIN");
  q(db, 0, "INSERT INTO t(b) VALUES ('one'), ('two'), ('three')");
  q(db, 0, "INSERT INTO t(b) SELECT b || '!' FROM t");
  q(db, 0, "COMMIT");
  q(db, 0, "UPDATE t SET b = upper(b) WHERE a % 2 = 0");
  q(db, 0, "SELECT a, b FROM t ORDER BY a");
  opened();
  printf("  xWrite on main: %s, on journal: %s; xSync on main: %s, on journal: %s\n",
         yesno(n.write[K_MAIN]>0), yesno(n.write[K_JOURNAL]>0), yesno(n.sync[K_MAIN]>0), yesno(n.sync[K_JOURNAL]>0));
  printf("  xRead on main: %s; xLock: %s; xUnlock: %s; journal closed: %s\n",
         yesno(n.read[K_MAIN]>0), yesno(n.lock>0), yesno(n.unlock>0), yesno(n.close[K_JOURNAL]>0));
  printf("  xDelete (the journal): %s; xAccess: %s; xFullPathname: %s\n", yesno(n.del>0), yesno(n.access>0), yesno(n.fullpath>0));
  printf("  uri_parameter(foo) on the main name: %s, on the journal name: %s\n", main_param, journal_param);
  printf("  filename_journal/wal of the main name: %s\n", journal_dfo_ok<0 ? "?" : yesno(names_ok));
  printf("  database_file_object(journal name) is the main file: %s\n", journal_dfo_ok<0 ? "not opened" : yesno(journal_dfo_ok));
  printf("  journal left behind: %s\n", yesno(exists(path, "-journal")));
  {
    int x = 0;
    char *name = 0;
    custom_op_seen = 0;
    rc = sqlite3_file_control(db, "main", CUSTOM_OP, &x);
    printf("  file_control(custom op) -> %d, value %d, reached the shim: %s\n", rc, x, yesno(custom_op_seen>0));
    {
      sqlite3_file *fp = 0;
      sqlite3_vfs *vp = 0;
      rc = sqlite3_file_control(db, "main", SQLITE_FCNTL_FILE_POINTER, &fp);
      printf("  file_control(FILE_POINTER) -> %d, the file the shim opened: %s\n", rc, yesno(fp==last_main));
      rc = sqlite3_file_control(db, "main", SQLITE_FCNTL_VFS_POINTER, &vp);
      printf("  file_control(VFS_POINTER) -> %d, the shim: %s\n", rc, yesno(vp==&shim));
    }
    rc = sqlite3_file_control(db, "main", SQLITE_FCNTL_VFSNAME, &name);
    printf("  file_control(VFSNAME) -> %d %s\n", rc, name ? name : "(null)");
    sqlite3_free(name);
  }
  /* VACUUM's scratch database: SQLite opens its temporary file only
  ** when its cache spills, Ferrolite at once; the opens are not shown. */
  log_opens = 0;
  q(db, 0, "VACUUM");
  log_opens = 1;
  q(db, 0, "PRAGMA integrity_check");
  k = n.curtime;
  q(db, 0, "SELECT julianday('now') > 2460000");
  printf("  'now' asked the shim's clock: %s\n", yesno(n.curtime>k));
  sqlite3_close(db);
}

static void wal_mode(void){
  sqlite3 *db1 = 0, *db2 = 0;
  char uri[4300];
  printf("-- WAL through the shim, two connections\n");
  reset();
  sqlite3_open_v2(path, &db1, SQLITE_OPEN_READWRITE, "shim");
  snprintf(uri, sizeof(uri), "file:%s?foo=walparam", path);
  q(db1, "c1", "PRAGMA journal_mode=WAL");
  q(db1, "c1", "INSERT INTO t(b) VALUES ('wal one')");
  sqlite3_open_v2(uri, &db2, SQLITE_OPEN_READWRITE|SQLITE_OPEN_URI, "shim");
  q(db2, "c2", "SELECT count(*), max(b) FROM t");
  q(db2, "c2", "INSERT INTO t(b) VALUES ('wal two')");
  q(db1, "c1", "SELECT a, b FROM t WHERE b LIKE 'wal%' ORDER BY a");
  q(db1, "c1", "BEGIN");
  q(db1, "c1", "SELECT count(*) FROM t");
  q(db2, "c2", "INSERT INTO t(b) VALUES ('wal three')");
  q(db1, "c1", "SELECT count(*) FROM t");
  q(db1, "c1", "COMMIT");
  q(db1, "c1", "SELECT count(*) FROM t");
  q(db2, "c2", "PRAGMA wal_checkpoint");
  opened();
  printf("  xWrite on the WAL: %s; xRead on the WAL: %s; xSync on the WAL: %s\n",
         yesno(n.write[K_WAL]>0), yesno(n.read[K_WAL]>0), yesno(n.sync[K_WAL]>0));
  printf("  xShmMap: %s; xShmLock: %s; xShmBarrier: %s\n", yesno(n.shm_map>0), yesno(n.shm_lock>0), yesno(n.shm_barrier>0));
  printf("  uri_parameter(foo) on c2's WAL name: %s\n", wal_param);
  printf("  database_file_object(WAL name) is the main file: %s\n", wal_dfo_ok<0 ? "not opened" : yesno(wal_dfo_ok));
  printf("  -wal and -shm exist while open: %s %s\n", yesno(exists(path, "-wal")), yesno(exists(path, "-shm")));
  sqlite3_close(db2);
  n.shm_unmap = 0;
  sqlite3_close(db1);
  printf("  xShmUnmap at the last close: %s; -wal left: %s; -shm left: %s\n",
         yesno(n.shm_unmap>0), yesno(exists(path, "-wal")), yesno(exists(path, "-shm")));
  /* Back to rollback mode for what follows. */
  sqlite3_open_v2(path, &db1, SQLITE_OPEN_READWRITE, "shim");
  q(db1, 0, "PRAGMA journal_mode=DELETE");
  sqlite3_close(db1);
}

/* Runs an ATTACH, printed as `shown` (the file name left out). */
static void attach(sqlite3 *db, const char *sql, const char *shown){
  int rc = sqlite3_exec(db, sql, 0, 0, 0);
  printf("%s -> %d", shown, rc);
  if( rc ) printf(" %s", sqlite3_errmsg(db));
  printf("\n");
}

static void as_default(void){
  sqlite3 *db = 0;
  char sql[4400];
  printf("-- the shim as the default VFS\n");
  reset();
  printf("register(shim-default, 1) -> %d\n", sqlite3_vfs_register(&shim_default, 1));
  printf("  find(NULL) is it: %s\n", yesno(sqlite3_vfs_find(0)==&shim_default));
  {
    int slept = sqlite3_sleep(1);
    printf("  sqlite3_sleep(1) -> %d, through its xSleep: %s\n", slept, yesno(n.sleep>0));
  }
  sqlite3_open(path, &db);
  q(db, 0, "SELECT count(*) FROM t");
  opened();
  rm_db(path3);
  snprintf(sql, sizeof(sql), "ATTACH '%s' AS aux", path3);
  reset();
  attach(db, sql, "ATTACH 'DB.aux' AS aux");
  q(db, 0, "CREATE TABLE aux.u(x)");
  q(db, 0, "INSERT INTO aux.u VALUES (1), (2)");
  q(db, 0, "SELECT sum(x) FROM aux.u");
  printf("  attached database opened through the shim: %s; its journal: %s\n", yesno(n.open[K_MAIN]>0), yesno(n.open[K_JOURNAL]>0));
  sqlite3_close(db);
  printf("unregister(shim-default) -> %d\n", sqlite3_vfs_unregister(&shim_default));
  printf("  default unix again: %s\n", yesno(strcmp(sqlite3_vfs_find(0)->zName, "unix")==0));
  reset();
  sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE|SQLITE_OPEN_URI, 0);
  q(db, 0, "SELECT count(*) FROM t");
  printf("  a plain open now bypasses the shim: %s\n", yesno(n.open[K_MAIN]==0));
  snprintf(sql, sizeof(sql), "ATTACH 'file:%s?vfs=shim' AS aux", path3);
  attach(db, sql, "ATTACH 'file:DB.aux?vfs=shim' AS aux");
  q(db, 0, "SELECT sum(x) FROM aux.u");
  printf("  ATTACH with vfs=shim opened through the shim: %s\n", yesno(n.open[K_MAIN]>0));
  snprintf(sql, sizeof(sql), "ATTACH 'file:%s?vfs=no-such' AS aux2", path3);
  attach(db, sql, "ATTACH 'file:DB.aux?vfs=no-such' AS aux2");
  sqlite3_close(db);
}

static void failures(void){
  sqlite3 *db = 0;
  int rc;
  printf("-- errors from the shim\n");
  reset();
  sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, "shim");
  fail_read = 1;
  q(db, 0, "SELECT count(*) FROM t");
  printf("  errcode %d, extended %d, errmsg %s\n", sqlite3_errcode(db), sqlite3_extended_errcode(db), sqlite3_errmsg(db));
  fail_read = 0;
  q(db, 0, "SELECT count(*) FROM t");
  busy_lock = 1;
  q(db, 0, "SELECT count(*) FROM t");
  q(db, 0, "INSERT INTO t(b) VALUES ('busy')");
  busy_lock = 0;
  q(db, 0, "SELECT count(*) FROM t");
  fail_journal_open = 1;
  q(db, 0, "INSERT INTO t(b) VALUES ('no journal')");
  printf("  errcode %d, extended %d\n", sqlite3_errcode(db), sqlite3_extended_errcode(db));
  fail_journal_open = 0;
  full_write = 1;
  q(db, 0, "INSERT INTO t(b) VALUES ('full')");
  full_write = 0;
  fail_sync = 1;
  q(db, 0, "INSERT INTO t(b) VALUES ('no sync')");
  printf("  errcode %d, extended %d\n", sqlite3_errcode(db), sqlite3_extended_errcode(db));
  fail_sync = 0;
  q(db, 0, "SELECT count(*), max(b) FROM t");
  printf("  journal left behind: %s\n", yesno(exists(path, "-journal")));
  sqlite3_close(db);
  /* xOpen setting pMethods and failing: the file is closed once. */
  reset();
  open_then_fail = 1;
  db = 0;
  rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, "shim");
  if( rc==SQLITE_OK ) q(db, 0, "SELECT count(*) FROM t");
  printf("open with xOpen failing after setting pMethods -> %d; errcode %d, extended %d, %s; closed: %s\n",
         rc, sqlite3_errcode(db), sqlite3_extended_errcode(db), sqlite3_errmsg(db), yesno(n.close[K_MAIN]==1));
  open_then_fail = 0;
  /* xOpen failing: a read-only open of a file that does not exist. */
  rm_db(path2);
  db = 0;
  rc = sqlite3_open_v2(path2, &db, SQLITE_OPEN_READONLY, "shim");
  printf("open of a missing file read-only through the shim -> %d %s\n", rc, sqlite3_errmsg(db));
  sqlite3_close(db);
}

/* "unix-none" takes no database locks: a unix connection gets EXCLUSIVE
** while a unix-none one is inside a read transaction. */
static void unix_none(void){
  sqlite3 *a = 0, *b = 0;
  printf("-- unix-none\n");
  printf("open_v2(zVfs=unix-none) -> %d\n", sqlite3_open_v2(path, &a, SQLITE_OPEN_READWRITE, "unix-none"));
  sqlite3_open_v2(path, &b, SQLITE_OPEN_READWRITE, "unix");
  q(a, "none", "BEGIN");
  q(a, "none", "SELECT count(*) FROM t");
  q(b, "unix", "BEGIN EXCLUSIVE");
  q(b, "unix", "COMMIT");
  q(a, "none", "COMMIT");
  q(b, "unix", "BEGIN EXCLUSIVE");
  q(a, "none", "SELECT count(*) FROM t");
  q(b, "unix", "COMMIT");
  {
    char *name = 0;
    int rc = sqlite3_file_control(a, "main", SQLITE_FCNTL_VFSNAME, &name);
    printf("file_control(VFSNAME) on unix-none -> %d %s\n", rc, name ? name : "(null)");
    sqlite3_free(name);
  }
  sqlite3_close(a);
  sqlite3_close(b);
}

/* "unix-excl": once its connection has locked the file, another process
** cannot read it until that connection closes. The other process is this
** program run again with "child" (count_in_child). */
static const char *self_exe;

static void count_in_child(const char *who){
  char cmd[9000];
  fflush(stdout);
  snprintf(cmd, sizeof(cmd), "'%s' '%s' child '%s'", self_exe, path, who);
  if( system(cmd)!=0 ) printf("  (child failed)\n");
  fflush(stdout);
}

static void unix_excl(void){
  sqlite3 *a = 0, *b = 0;
  printf("-- unix-excl\n");
  printf("open_v2(zVfs=unix-excl) -> %d\n", sqlite3_open_v2(path, &a, SQLITE_OPEN_READWRITE, "unix-excl"));
  count_in_child("before any lock");
  q(a, "excl", "SELECT count(*) FROM t");
  count_in_child("after a read");
  sqlite3_open_v2(path, &b, SQLITE_OPEN_READWRITE, "unix-excl");
  q(b, "excl2", "SELECT count(*) FROM t");
  q(b, "excl2", "BEGIN IMMEDIATE");
  q(a, "excl", "BEGIN IMMEDIATE");
  q(b, "excl2", "COMMIT");
  sqlite3_close(b);
  count_in_child("with one connection still open");
  sqlite3_close(a);
  count_in_child("after the last close");
}

static void version1(void){
  sqlite3 *db = 0;
  printf("-- a version-1 shim (no shared memory) and WAL\n");
  reset();
  sqlite3_vfs_register(&shim_v1, 0);
  rm_db(path2);
  sqlite3_open_v2(path2, &db, SQLITE_OPEN_READWRITE|SQLITE_OPEN_CREATE, "shim-v1");
  q(db, 0, "CREATE TABLE v(x)");
  q(db, 0, "INSERT INTO v VALUES (1)");
  q(db, 0, "PRAGMA journal_mode=WAL");
  q(db, 0, "PRAGMA journal_mode");
  q(db, 0, "PRAGMA locking_mode=EXCLUSIVE");
  q(db, 0, "PRAGMA journal_mode=WAL");
  q(db, 0, "INSERT INTO v VALUES (2)");
  q(db, 0, "SELECT sum(x) FROM v");
  printf("  xShmMap: %s; WAL opened: %s\n", yesno(n.shm_map>0), yesno(n.open[K_WAL]>0));
  q(db, 0, "PRAGMA journal_mode=DELETE");
  sqlite3_close(db);
  sqlite3_vfs_unregister(&shim_v1);
  rm_db(path2);
}

int main(int argc, char **argv){
  ferrolite_check_lib();
  if( argc<2 ){ fprintf(stderr, "usage: vfs DB\n"); return 2; }
  snprintf(path, sizeof(path), "%s", argv[1]);
  self_exe = argv[0];
  if( argc>=4 && strcmp(argv[2], "child")==0 ){
    sqlite3 *db = 0;
    sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, 0);
    printf("  another process, %s: ", argv[3]);
    q(db, 0, "SELECT count(*) FROM t");
    sqlite3_close(db);
    return 0;
  }
  snprintf(path2, sizeof(path2), "%s.two", argv[1]);
  snprintf(path3, sizeof(path3), "%s.aux", argv[1]);
  rm_db(path);
  registry();
  root = sqlite3_vfs_find(0);
  make_shim(&shim, "shim", 3);
  make_shim(&shim_default, "shim-default", 3);
  make_shim(&shim_v1, "shim-v1", 1);
  printf("register(shim, 0) -> %d\n", sqlite3_vfs_register(&shim, 0));
  unknown_vfs();
  rollback_mode();
  wal_mode();
  as_default();
  failures();
  unix_none();
  unix_excl();
  version1();
  sqlite3_vfs_unregister(&shim);
  rm_db(path2);
  rm_db(path3);
  return 0;
}
