/*
** variadic.c: the C-variadic entry points of libsqlite3 (sqlite3_mprintf,
** sqlite3_snprintf, sqlite3_str_appendf, sqlite3_log, sqlite3_config,
** sqlite3_db_config, sqlite3_test_control, sqlite3_vtab_config) and their
** va_list forms.
**
** Stable Rust can neither define a C-variadic function nor read a va_list,
** so this file does the one thing Rust cannot: it holds the va_list and
** hands out its arguments one at a time, with the C type the caller asks
** for (fl_va_int, fl_va_double, fl_va_ptr). Everything else, including
** walking the format string, is Rust's (capi/src/printf.rs and config.rs):
** the Rust formatter asks for each argument exactly when SQLite's would
** take it with va_arg, so the two can never disagree about the format
** language.
**
** The functions here are hidden (-fvisibility=hidden); capi/src/printf.rs
** exports them under SQLite's names through small trampolines. C cannot
** name a Rust function without exporting it from the library, so the Rust
** side is reached through a table of function pointers: each trampoline
** stores the table's address in fl_vt (always the same value) before it
** jumps here.
**
** Each function is declared with SQLite's prototype (sqlite3.h) and the
** compiler checks that the implementation has the same type.
*/
#include <stdarg.h>
#include <stddef.h>
#include "sqlite3.h"

typedef struct fl_vtable fl_vtable;
struct fl_vtable {
  char *(*vmprintf)(const char *zFormat, void *ap);
  char *(*vsnprintf)(int n, char *zBuf, const char *zFormat, void *ap);
  void (*vappendf)(sqlite3_str *p, const char *zFormat, void *ap);
  void (*vlog)(int iErrCode, const char *zFormat, void *ap);
  int (*config)(int op, void *ap);
  int (*db_config)(sqlite3 *db, int op, void *ap);
  int (*test_control)(int op, void *ap);
  int (*vtab_config)(sqlite3 *db, int op, void *ap);
};

const fl_vtable *fl_vt = 0;

/* The Rust side. Like SQLite's own, the printf entry points initialize
** the library first (sqlite3_config, sqlite3_log and
** sqlite3_test_control do not). */
static const fl_vtable *vt(void){
  sqlite3_initialize();
  return fl_vt;
}

/* The next argument of a va_list, as the Rust formatter asks for it.
** size: 0 int, 1 long, 2 long long; sgn: sign-extend (else zero). */
long long fl_va_int(void *ap, int size, int sgn){
  va_list *p = (va_list*)ap;
  switch( size ){
    case 0:  return sgn ? (long long)va_arg(*p, int) : (long long)va_arg(*p, unsigned int);
    case 1:  return sgn ? (long long)va_arg(*p, long) : (long long)va_arg(*p, unsigned long);
    default: return va_arg(*p, long long);
  }
}
double fl_va_double(void *ap){ return va_arg(*(va_list*)ap, double); }
void *fl_va_ptr(void *ap){ return va_arg(*(va_list*)ap, void*); }

char *fl_vmprintf(const char *zFormat, va_list ap){
  va_list cp; char *z;
  const fl_vtable *v = vt();
  if( v==0 || zFormat==0 ) return 0;
  va_copy(cp, ap);
  z = v->vmprintf(zFormat, &cp);
  va_end(cp);
  return z;
}
char *fl_mprintf(const char *zFormat, ...){
  va_list ap; char *z;
  va_start(ap, zFormat);
  z = fl_vmprintf(zFormat, ap);
  va_end(ap);
  return z;
}
char *fl_vsnprintf(int n, char *zBuf, const char *zFormat, va_list ap){
  va_list cp; char *z;
  const fl_vtable *v = vt();
  if( v==0 ) return zBuf;
  va_copy(cp, ap);
  z = v->vsnprintf(n, zBuf, zFormat, &cp);
  va_end(cp);
  return z;
}
char *fl_snprintf(int n, char *zBuf, const char *zFormat, ...){
  va_list ap; char *z;
  va_start(ap, zFormat);
  z = fl_vsnprintf(n, zBuf, zFormat, ap);
  va_end(ap);
  return z;
}
void fl_str_vappendf(sqlite3_str *p, const char *zFormat, va_list ap){
  va_list cp;
  const fl_vtable *v = vt();
  if( v==0 ) return;
  va_copy(cp, ap);
  v->vappendf(p, zFormat, &cp);
  va_end(cp);
}
void fl_str_appendf(sqlite3_str *p, const char *zFormat, ...){
  va_list ap;
  va_start(ap, zFormat);
  fl_str_vappendf(p, zFormat, ap);
  va_end(ap);
}
void fl_log(int iErrCode, const char *zFormat, ...){
  va_list ap;
  const fl_vtable *v = fl_vt;
  if( v==0 ) return;
  va_start(ap, zFormat);
  v->vlog(iErrCode, zFormat, &ap);
  va_end(ap);
}
int fl_config(int op, ...){
  va_list ap; int rc;
  const fl_vtable *v = fl_vt;
  if( v==0 ) return SQLITE_MISUSE;
  va_start(ap, op);
  rc = v->config(op, &ap);
  va_end(ap);
  return rc;
}
int fl_db_config(sqlite3 *db, int op, ...){
  va_list ap; int rc;
  const fl_vtable *v = vt();
  if( v==0 ) return SQLITE_MISUSE;
  va_start(ap, op);
  rc = v->db_config(db, op, &ap);
  va_end(ap);
  return rc;
}
int fl_vtab_config(sqlite3 *db, int op, ...){
  va_list ap; int rc;
  const fl_vtable *v = fl_vt;
  if( v==0 ) return SQLITE_MISUSE;
  va_start(ap, op);
  rc = v->vtab_config(db, op, &ap);
  va_end(ap);
  return rc;
}
int fl_test_control(int op, ...){
  va_list ap; int rc;
  const fl_vtable *v = fl_vt;
  if( v==0 ) return 0;
  va_start(ap, op);
  rc = v->test_control(op, &ap);
  va_end(ap);
  return rc;
}

/* The implementations must have SQLite's types exactly. */
#define SAME_TYPE(a, b) _Static_assert(__builtin_types_compatible_p(__typeof__(&a), __typeof__(&b)), #a " differs from sqlite3.h")
SAME_TYPE(fl_mprintf, sqlite3_mprintf);
SAME_TYPE(fl_vmprintf, sqlite3_vmprintf);
SAME_TYPE(fl_snprintf, sqlite3_snprintf);
SAME_TYPE(fl_vsnprintf, sqlite3_vsnprintf);
SAME_TYPE(fl_str_appendf, sqlite3_str_appendf);
SAME_TYPE(fl_str_vappendf, sqlite3_str_vappendf);
SAME_TYPE(fl_log, sqlite3_log);
SAME_TYPE(fl_config, sqlite3_config);
SAME_TYPE(fl_db_config, sqlite3_db_config);
SAME_TYPE(fl_test_control, sqlite3_test_control);
SAME_TYPE(fl_vtab_config, sqlite3_vtab_config);
