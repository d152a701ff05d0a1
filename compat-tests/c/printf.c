/*
** printf.c: SQLite's printf language through the C API. sqlite3_mprintf,
** sqlite3_vmprintf, sqlite3_snprintf (truncation), sqlite3_vsnprintf and
** the sqlite3_str_* dynamic strings (append, appendall, appendchar,
** appendf, vappendf, errcode, finish, free, length, reset, truncate,
** value) with sqlite3_result_str; sqlite3_config (options before and after
** initialization, SQLITE_CONFIG_LOG with sqlite3_log), sqlite3_db_config
** (boolean options, lookaside, unknown options) and sqlite3_test_control.
*/
#include <stdarg.h>
#include "harness.h"
#include <sqlite3.h>

static void show(const char *label, char *z){
  printf("%-28s [%s]\n", label, z ? z : "(NULL)");
  sqlite3_free(z);
}

static char *vm(const char *fmt, ...){
  va_list ap; char *z;
  va_start(ap, fmt);
  z = sqlite3_vmprintf(fmt, ap);
  va_end(ap);
  return z;
}
static char *vsn(int n, char *buf, const char *fmt, ...){
  va_list ap; char *z;
  va_start(ap, fmt);
  z = sqlite3_vsnprintf(n, buf, fmt, ap);
  va_end(ap);
  return z;
}
static void vapp(sqlite3_str *s, const char *fmt, ...){
  va_list ap;
  va_start(ap, fmt);
  sqlite3_str_vappendf(s, fmt, ap);
  va_end(ap);
}

static void logger(void *arg, int code, const char *msg){
  /* SQLite also logs its own "misuse at line N of [...]" breakpoints;
  ** Ferrolite does not (docs/COMPAT.md). */
  if( strstr(msg, " at line ") ) return;
  printf("  log(%s): code=%d msg=%s\n", (char*)arg, code, msg);
}

static void f_str(sqlite3_context *c, int n, sqlite3_value **v){
  sqlite3_str *s = sqlite3_str_new(sqlite3_context_db_handle(c));
  int i;
  for(i=0; i<n; i++) sqlite3_str_appendf(s, "%s<%q>", i ? "," : "", sqlite3_value_text(v[i]));
  sqlite3_result_str(c, s, SQLITE_FINISH);
}

int main(int argc, char **argv){
  char buf[64]; int cnt = -1, rc, on; sqlite3 *db; sqlite3_str *s; char *z;
  ferrolite_check_lib();
  setvbuf(stdout, 0, _IONBF, 0);
  if( argc<2 ) return 2;
  remove(argv[1]);

  /* sqlite3_config before initialization. */
  printf("config SERIALIZED: %d\n", sqlite3_config(SQLITE_CONFIG_SERIALIZED));
  printf("config MEMSTATUS: %d\n", sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 1));
  printf("config LOOKASIDE: %d\n", sqlite3_config(SQLITE_CONFIG_LOOKASIDE, 128, 50));
  printf("config MMAP_SIZE: %d\n", sqlite3_config(SQLITE_CONFIG_MMAP_SIZE, (sqlite3_int64)0, (sqlite3_int64)0));
  printf("config unknown: %d\n", sqlite3_config(9999));
  printf("config GETPCACHE: %d\n", sqlite3_config(15, (void*)0));
  printf("config LOG: %d\n", sqlite3_config(SQLITE_CONFIG_LOG, logger, "L"));
  printf("test_control ISINIT before: %d\n", sqlite3_test_control(SQLITE_TESTCTRL_ISINIT));
  printf("initialize: %d\n", sqlite3_initialize());
  printf("test_control ISINIT after: %d\n", sqlite3_test_control(SQLITE_TESTCTRL_ISINIT));
  printf("test_control ALWAYS: %d %d\n", sqlite3_test_control(SQLITE_TESTCTRL_ALWAYS, 7), sqlite3_test_control(SQLITE_TESTCTRL_ALWAYS, 0));
  printf("test_control unknown: %d\n", sqlite3_test_control(9999));
  printf("config after init SERIALIZED: %d\n", sqlite3_config(SQLITE_CONFIG_SERIALIZED));
  sqlite3_log(SQLITE_WARNING, "hello %d %s %q", 42, "world", "it's");

  /* mprintf and the format language. */
  show("%d %i %u", sqlite3_mprintf("%d %i %u", -42, 17, -1));
  show("%lld %llu", sqlite3_mprintf("%lld %llu", (sqlite3_int64)-9223372036854775807LL - 1, (sqlite3_uint64)18446744073709551615ULL));
  show("%ld %lu", sqlite3_mprintf("%ld %lu", -5L, 5UL));
  show("%x %X %o %#x %#o", sqlite3_mprintf("%x %X %o %#x %#o", 255, 255, 8, 255, 8));
  show("%llx", sqlite3_mprintf("%llx", (sqlite3_int64)0x123456789abcLL));
  show("%5d|%-5d|%05d|%+d|% d", sqlite3_mprintf("%5d|%-5d|%05d|%+d|% d", 42, 42, 42, 42, 42));
  show("%,d %,lld", sqlite3_mprintf("%,d %,lld", 1234567, (sqlite3_int64)-9876543210LL));
  show("%*d %-*d %.*s", sqlite3_mprintf("%*d|%-*d|%.*s", 6, 1, 6, 2, 3, "abcdef"));
  show("%f %.2f %10.3f", sqlite3_mprintf("%f %.2f %10.3f", 3.14159265, 2.5, -1.0/3));
  show("%e %E %.3e", sqlite3_mprintf("%e %E %.3e", 12345.678, 0.000123, 1e100));
  show("%g %G %g %g", sqlite3_mprintf("%g %G %g %g", 0.0001, 1e-10, 123456789.0, 100.0));
  show("%!.20g %!f", sqlite3_mprintf("%!.20g %!f", 0.1, 1e15));
  show("%#g %.0f %.0e", sqlite3_mprintf("%#g %.0f %.0e", 1.0, 2.5, 15.0));
  show("inf nan", sqlite3_mprintf("%f %f %g", 1e308*10, -1e308*10, 0.0/0.0 == 0 ? 1.0 : 2.0));
  show("%s %.3s %10s %-10s|", sqlite3_mprintf("%s %.3s %10s %-10s|", "hello", "hello", "hi", "hi"));
  show("%s NULL", sqlite3_mprintf("%s|%.5s", (char*)0, (char*)0));
  show("%q", sqlite3_mprintf("%q", "it's a 'test'"));
  show("%Q", sqlite3_mprintf("%Q %Q", "it's", (char*)0));
  show("%w", sqlite3_mprintf("%w", "tab\"le"));
  show("%.3q %.3Q", sqlite3_mprintf("%.3q|%.3Q", "a'b'c'd", "a'b'c'd"));
  show("%z", sqlite3_mprintf("%z and %z", sqlite3_mprintf("dyn%d", 1), (char*)0));
  show("%c", sqlite3_mprintf("%c%c%c %3c|%-3c|", 'a', 0xe9, 0x1F600, 'x', 'y'));
  show("%.3c", sqlite3_mprintf("%.3c|%5.3c|", 'z', 'w'));
  show("%p NULL", sqlite3_mprintf("%p", (void*)0));
  show("%%", sqlite3_mprintf("100%% %d%%", 5));
  show("%n", sqlite3_mprintf("abc%n def", &cnt));
  printf("  %%n stored: %d\n", cnt);
  show("%r", sqlite3_mprintf("%r %r %r %r %r %r", 1, 2, 3, 4, 11, 22));
  show("unknown conversion", sqlite3_mprintf("abc %y def %d", 5));
  show("trailing %", sqlite3_mprintf("abc %"));
  show("%!s utf8", sqlite3_mprintf("%.2s|%!.2s|%!5s|", "\xc3\xa9\xc3\xa9\xc3\xa9", "\xc3\xa9\xc3\xa9\xc3\xa9", "\xc3\xa9"));
  show("empty", sqlite3_mprintf(""));
  show("vmprintf", vm("%s=%d (%5.1f%%)", "x", 3, 99.5));

  /* snprintf truncates to n-1 bytes and returns the buffer. */
  z = sqlite3_snprintf(sizeof(buf), buf, "%s-%d", "abc", 123);
  printf("snprintf: %s same=%d\n", buf, z==buf);
  sqlite3_snprintf(8, buf, "%s", "0123456789abcdef");
  printf("snprintf 8: [%s]\n", buf);
  memcpy(buf, "untouched", 10);
  z = sqlite3_snprintf(0, buf, "%s", "x");
  printf("snprintf 0: [%s] same=%d\n", buf, z==buf);
  sqlite3_snprintf(1, buf, "%s", "x");
  printf("snprintf 1: [%s]\n", buf);
  vsn(6, buf, "%d%d%d", 123, 456, 789);
  printf("vsnprintf 6: [%s]\n", buf);

  /* sqlite3_str. */
  s = sqlite3_str_new(0);
  printf("str new: errcode=%d length=%d value=%s\n", sqlite3_str_errcode(s), sqlite3_str_length(s), sqlite3_str_value(s) ? "set" : "NULL");
  sqlite3_str_appendall(s, "abc");
  sqlite3_str_append(s, "defgh", 2);
  sqlite3_str_appendchar(s, 3, '*');
  sqlite3_str_appendf(s, "[%d:%q]", 7, "x'y");
  vapp(s, "{%s}", "va");
  printf("str: %s length=%d\n", sqlite3_str_value(s), sqlite3_str_length(s));
  sqlite3_str_truncate(s, 4);
  printf("truncate 4: %s length=%d\n", sqlite3_str_value(s), sqlite3_str_length(s));
  sqlite3_str_truncate(s, 100);
  sqlite3_str_truncate(s, -1);
  printf("truncate 100/-1: %s\n", sqlite3_str_value(s));
  sqlite3_str_reset(s);
  printf("reset: length=%d value=%s\n", sqlite3_str_length(s), sqlite3_str_value(s) ? "set" : "NULL");
  sqlite3_str_appendall(s, "again");
  show("finish", sqlite3_str_finish(s));
  s = sqlite3_str_new(0);
  show("finish empty", sqlite3_str_finish(s));
  s = sqlite3_str_new(0);
  sqlite3_str_appendall(s, "x");
  sqlite3_str_truncate(s, 0);
  show("finish truncated to 0", sqlite3_str_finish(s));
  s = sqlite3_str_new(0);
  sqlite3_str_appendall(s, "to be freed");
  sqlite3_str_free(s);
  sqlite3_str_free(0);
  printf("NULL str: errcode=%d length=%d finish=%p\n", sqlite3_str_errcode(0), sqlite3_str_length(0), (void*)sqlite3_str_finish(0));

  /* A string limited by its connection's SQLITE_LIMIT_LENGTH. */
  rc = sqlite3_open(argv[1], &db);
  sqlite3_limit(db, SQLITE_LIMIT_LENGTH, 100);
  s = sqlite3_str_new(db);
  sqlite3_str_appendchar(s, 50, 'x');
  printf("under the limit: errcode=%d length=%d\n", sqlite3_str_errcode(s), sqlite3_str_length(s));
  sqlite3_str_appendf(s, "%060d", 1);
  printf("too big: errcode=%d length=%d\n", sqlite3_str_errcode(s), sqlite3_str_length(s));
  sqlite3_str_appendall(s, "x");
  printf("after error: errcode=%d length=%d\n", sqlite3_str_errcode(s), sqlite3_str_length(s));
  show("finish after error", sqlite3_str_finish(s));
  sqlite3_limit(db, SQLITE_LIMIT_LENGTH, 1000000);

  /* sqlite3_result_str. */
  sqlite3_create_function(db, "strf", -1, SQLITE_UTF8, 0, f_str, 0, 0);
  {
    sqlite3_stmt *st;
    sqlite3_prepare_v2(db, "SELECT strf('a', 'b''c', 3), strf(), typeof(strf())", -1, &st, 0);
    while( sqlite3_step(st)==SQLITE_ROW ) printf("result_str: [%s] [%s] %s\n", sqlite3_column_text(st, 0), sqlite3_column_text(st, 1), sqlite3_column_text(st, 2));
    sqlite3_finalize(st);
  }

  /* sqlite3_db_config. */
  rc = sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_TRIGGER, -1, &on);
  printf("db_config ENABLE_TRIGGER query: rc=%d on=%d\n", rc, on);
  rc = sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_FKEY, -1, &on);
  printf("db_config ENABLE_FKEY query: rc=%d on=%d\n", rc, on);
  rc = sqlite3_db_config(db, SQLITE_DBCONFIG_DQS_DML, 1, &on);
  printf("db_config DQS_DML set 1: rc=%d on=%d\n", rc, on);
  rc = sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_VIEW, -1, (int*)0);
  printf("db_config ENABLE_VIEW NULL out: rc=%d\n", rc);
  /* SQLite says SQLITE_BUSY while its lookaside is in use, Ferrolite has
  ** none: the result is not compared. */
  (void)sqlite3_db_config(db, SQLITE_DBCONFIG_LOOKASIDE, (void*)0, 64, 10);
  rc = sqlite3_db_config(db, 5555, 1, &on);
  printf("db_config unknown: rc=%d\n", rc);
  {
    int fp = 0;
    rc = sqlite3_db_config(db, SQLITE_DBCONFIG_FP_DIGITS, 0, &fp);
    printf("db_config FP_DIGITS query: rc=%d digits=%d\n", rc, fp);
  }
  sqlite3_close(db);
  sqlite3_config(SQLITE_CONFIG_LOG, (void*)0, (void*)0);
  sqlite3_log(SQLITE_WARNING, "not logged");
  printf("shutdown: %d\n", sqlite3_shutdown());
  printf("config after shutdown: %d\n", sqlite3_config(SQLITE_CONFIG_MULTITHREAD));
  return 0;
}
