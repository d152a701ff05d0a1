/*
** vtab.c: the virtual-table API.
**
** Two modules written here log every callback they receive: "series", a
** read-only generator of the integers start..stop (its xBestIndex prints
** the constraints it is offered — column, operator, usable, collation,
** right-hand value when known —, the ORDER BY terms, colUsed and
** sqlite3_vtab_distinct, then its answer), and "kv", a small in-memory
** table with xUpdate and the transaction methods. The log shows that
** Ferrolite drives the modules as SQLite does: the same xBestIndex calls
** with the same inputs, the same xFilter arguments, the same rows, the same
** EXPLAIN QUERY PLAN lines. Also: create_module_v2 destructors, declare_vtab
** and vtab_config outside a constructor, "no such module", errors from
** xFilter / xBestIndex / xUpdate (zErrMsg), reopening a database whose
** schema names a virtual table, DROP TABLE (xDestroy).
*/
#include "harness.h"
#include <sqlite3.h>
#include "rows.h"
#include <stdlib.h>
#include <string.h>

static void logf_(const char *fmt, ...);
#define LOG(...) logf_(__VA_ARGS__)
#include <stdarg.h>
static void logf_(const char *fmt, ...){
  va_list ap;
  printf("    | ");
  va_start(ap, fmt);
  vprintf(fmt, ap);
  va_end(ap);
  printf("\n");
}


/* ------------------------------------------------------------ series */

typedef struct SeriesTab { sqlite3_vtab base; sqlite3_int64 start, stop; } SeriesTab;
typedef struct SeriesCur {
  sqlite3_vtab_cursor base;
  sqlite3_int64 cur, stop;
  int desc;
  sqlite3_int64 lo;
} SeriesCur;

static int series_ctor(sqlite3 *db, void *aux, int argc, const char *const*argv, sqlite3_vtab **pp, char **err, const char *which){
  SeriesTab *t;
  int rc;
  int i;
  printf("    | %s(%s) argc=%d", which, (const char*)aux, argc);
  for(i=0; i<argc; i++) printf(" [%s]", argv[i]);
  printf("\n");
  if( argc>3 && strcmp(argv[3], "fail")==0 ){
    *err = sqlite3_mprintf("series: refused to %s", which);
    return SQLITE_ERROR;
  }
  if( argc>3 && strcmp(argv[3], "nodeclare")==0 ){
    t = sqlite3_malloc(sizeof(*t));
    memset(t, 0, sizeof(*t));
    *pp = &t->base;
    return SQLITE_OK;
  }
  rc = sqlite3_declare_vtab(db, "CREATE TABLE whatever(value INTEGER, square INTEGER, label TEXT COLLATE NOCASE)");
  LOG("declare_vtab rc=%d, again rc=%d", rc, sqlite3_declare_vtab(db, "CREATE TABLE x(y)"));
  LOG("vtab_config(INNOCUOUS) rc=%d", sqlite3_vtab_config(db, SQLITE_VTAB_INNOCUOUS));
  if( rc!=SQLITE_OK ) return rc;
  t = sqlite3_malloc(sizeof(*t));
  memset(t, 0, sizeof(*t));
  t->start = argc>3 ? atoi(argv[3]) : 1;
  t->stop = argc>4 ? atoi(argv[4]) : 10;
  *pp = &t->base;
  return SQLITE_OK;
}
static int series_create(sqlite3 *db, void *aux, int argc, const char *const*argv, sqlite3_vtab **pp, char **err){
  return series_ctor(db, aux, argc, argv, pp, err, "xCreate");
}
static int series_connect(sqlite3 *db, void *aux, int argc, const char *const*argv, sqlite3_vtab **pp, char **err){
  return series_ctor(db, aux, argc, argv, pp, err, "xConnect");
}
static int series_disconnect(sqlite3_vtab *p){ LOG("xDisconnect"); sqlite3_free(p); return SQLITE_OK; }
static int series_destroy(sqlite3_vtab *p){ LOG("xDestroy"); sqlite3_free(p); return SQLITE_OK; }

static const char *opname(int op){
  switch( op ){
    case SQLITE_INDEX_CONSTRAINT_EQ: return "=";
    case SQLITE_INDEX_CONSTRAINT_GT: return ">";
    case SQLITE_INDEX_CONSTRAINT_LE: return "<=";
    case SQLITE_INDEX_CONSTRAINT_LT: return "<";
    case SQLITE_INDEX_CONSTRAINT_GE: return ">=";
    case SQLITE_INDEX_CONSTRAINT_MATCH: return "MATCH";
    case SQLITE_INDEX_CONSTRAINT_LIKE: return "LIKE";
    case SQLITE_INDEX_CONSTRAINT_GLOB: return "GLOB";
    case SQLITE_INDEX_CONSTRAINT_REGEXP: return "REGEXP";
    case SQLITE_INDEX_CONSTRAINT_NE: return "!=";
    case SQLITE_INDEX_CONSTRAINT_ISNOT: return "IS NOT";
    case SQLITE_INDEX_CONSTRAINT_ISNOTNULL: return "IS NOT NULL";
    case SQLITE_INDEX_CONSTRAINT_ISNULL: return "IS NULL";
    case SQLITE_INDEX_CONSTRAINT_IS: return "IS";
    case SQLITE_INDEX_CONSTRAINT_LIMIT: return "LIMIT";
    case SQLITE_INDEX_CONSTRAINT_OFFSET: return "OFFSET";
    case SQLITE_INDEX_CONSTRAINT_FUNCTION: return "FUNCTION";
    case SQLITE_INDEX_CONSTRAINT_FUNCTION+1: return "FUNCTION+1";
  }
  return "?";
}

static void log_index_info(sqlite3_index_info *p){
  int i;
  printf("    | xBestIndex nConstraint=%d nOrderBy=%d colUsed=0x%llx distinct=%d\n",
         p->nConstraint, p->nOrderBy, (unsigned long long)p->colUsed, sqlite3_vtab_distinct(p));
  for(i=0; i<p->nConstraint; i++){
    sqlite3_value *v = 0;
    int rc = sqlite3_vtab_rhs_value(p, i, &v);
    printf("    |   cons[%d] col=%d op=%s usable=%d coll=%s in=%d rhs=", i, p->aConstraint[i].iColumn,
           opname(p->aConstraint[i].op), p->aConstraint[i].usable, sqlite3_vtab_collation(p, i),
           sqlite3_vtab_in(p, i, -1));
    if( rc==SQLITE_OK ) print_value(v); else printf("rc%d", rc);
    printf("\n");
  }
  for(i=0; i<p->nOrderBy; i++){
    LOG("  order[%d] col=%d desc=%d", i, p->aOrderBy[i].iColumn, p->aOrderBy[i].desc);
  }
}

/* idxNum bits: 1 value=, 2 value>=/>, 4 value<=/<, 8 LIMIT, 16 OFFSET,
** 32 descending; the argv order follows the bits. */
static int series_best_index(sqlite3_vtab *tab, sqlite3_index_info *p){
  int i, n = 0, num = 0;
  int eq = -1, lo = -1, hi = -1, lim = -1, off = -1;
  double cost = 1000;
  log_index_info(p);
  for(i=0; i<p->nConstraint; i++){
    const struct sqlite3_index_constraint *c = &p->aConstraint[i];
    if( !c->usable ) continue;
    if( c->op==SQLITE_INDEX_CONSTRAINT_LIMIT ){ lim = i; continue; }
    if( c->op==SQLITE_INDEX_CONSTRAINT_OFFSET ){ off = i; continue; }
    if( c->iColumn!=0 ) continue;
    if( c->op==SQLITE_INDEX_CONSTRAINT_EQ && eq<0 ) eq = i;
    if( (c->op==SQLITE_INDEX_CONSTRAINT_GE) && lo<0 ) lo = i;
    if( (c->op==SQLITE_INDEX_CONSTRAINT_LE) && hi<0 ) hi = i;
  }
  if( eq>=0 ){ p->aConstraintUsage[eq].argvIndex = ++n; p->aConstraintUsage[eq].omit = 1; num |= 1; cost = 1; }
  if( lo>=0 ){ p->aConstraintUsage[lo].argvIndex = ++n; p->aConstraintUsage[lo].omit = 1; num |= 2; cost /= 4; }
  if( hi>=0 ){ p->aConstraintUsage[hi].argvIndex = ++n; num |= 4; cost /= 4; }
  if( lim>=0 && n==p->nConstraint - 1 - (off>=0) ){
    p->aConstraintUsage[lim].argvIndex = ++n; num |= 8;
    if( off>=0 ){ p->aConstraintUsage[off].argvIndex = ++n; p->aConstraintUsage[off].omit = 1; num |= 16; }
  }
  if( p->nOrderBy==1 && p->aOrderBy[0].iColumn==0 ){
    p->orderByConsumed = 1;
    if( p->aOrderBy[0].desc ) num |= 32;
  }
  p->idxNum = num;
  p->idxStr = sqlite3_mprintf("s%d", n);
  p->needToFreeIdxStr = 1;
  p->estimatedCost = cost;
  p->estimatedRows = eq>=0 ? 1 : 10;
  if( eq>=0 ) p->idxFlags = SQLITE_INDEX_SCAN_UNIQUE;
  LOG("  -> idxNum=%d idxStr=%s argc=%d consumed=%d cost=%g", num, p->idxStr, n, p->orderByConsumed, cost);
  (void)tab;
  return SQLITE_OK;
}

static int series_open(sqlite3_vtab *tab, sqlite3_vtab_cursor **pp){
  SeriesCur *c = sqlite3_malloc(sizeof(*c));
  LOG("xOpen");
  memset(c, 0, sizeof(*c));
  *pp = &c->base;
  (void)tab;
  return SQLITE_OK;
}
static int series_close(sqlite3_vtab_cursor *c){ LOG("xClose"); sqlite3_free(c); return SQLITE_OK; }

static int series_filter(sqlite3_vtab_cursor *pc, int num, const char *str, int argc, sqlite3_value **argv){
  SeriesCur *c = (SeriesCur*)pc;
  SeriesTab *t = (SeriesTab*)pc->pVtab;
  int i, k = 0;
  sqlite3_int64 lo = t->start, hi = t->stop, limit = -1, offset = 0;
  printf("    | xFilter idxNum=%d idxStr=%s argc=%d", num, str ? str : "(null)", argc);
  for(i=0; i<argc; i++){ printf(" "); print_value(argv[i]); }
  printf("\n");
  if( num & 1 ){
    sqlite3_int64 v = sqlite3_value_int64(argv[k++]);
    if( v==99 ){
      pc->pVtab->zErrMsg = sqlite3_mprintf("series: cannot filter on %lld", v);
      return SQLITE_ERROR;
    }
    if( v>lo ) lo = v;
    if( v<hi ) hi = v;
  }
  if( num & 2 ){ sqlite3_int64 v = sqlite3_value_int64(argv[k++]); if( v>lo ) lo = v; }
  if( num & 4 ){ sqlite3_int64 v = sqlite3_value_int64(argv[k++]); if( v<hi ) hi = v; }
  if( num & 8 ) limit = sqlite3_value_int64(argv[k++]);
  if( num & 16 ) offset = sqlite3_value_int64(argv[k++]);
  if( num & 32 ){
    c->desc = 1; c->cur = hi - offset; c->lo = lo;
    if( limit>=0 && c->cur - limit + 1 > lo ) c->lo = c->cur - limit + 1;
  }else{
    c->desc = 0; c->cur = lo + offset; c->stop = hi;
    if( limit>=0 && c->cur + limit - 1 < hi ) c->stop = c->cur + limit - 1;
  }
  return SQLITE_OK;
}
static int series_next(sqlite3_vtab_cursor *pc){
  SeriesCur *c = (SeriesCur*)pc;
  if( c->desc ) c->cur--; else c->cur++;
  return SQLITE_OK;
}
static int series_eof(sqlite3_vtab_cursor *pc){
  SeriesCur *c = (SeriesCur*)pc;
  return c->desc ? c->cur < c->lo : c->cur > c->stop;
}
static int series_column(sqlite3_vtab_cursor *pc, sqlite3_context *ctx, int i){
  SeriesCur *c = (SeriesCur*)pc;
  switch( i ){
    case 0: sqlite3_result_int64(ctx, c->cur); break;
    case 1: sqlite3_result_int64(ctx, c->cur * c->cur); break;
    default:
      if( c->cur % 4==0 ) sqlite3_result_null(ctx);
      else { char *z = sqlite3_mprintf("%s%lld", c->cur % 2 ? "V" : "w", c->cur); sqlite3_result_text(ctx, z, -1, sqlite3_free); }
      break;
  }
  return SQLITE_OK;
}
static int series_rowid(sqlite3_vtab_cursor *pc, sqlite3_int64 *r){
  *r = ((SeriesCur*)pc)->cur * 100;
  return SQLITE_OK;
}
static int series_rename(sqlite3_vtab *p, const char *z){ LOG("xRename %s", z); (void)p; return SQLITE_OK; }

/* xFindFunction: the module's own myfunc(col, x) and MATCH. */
static void series_myfunc(sqlite3_context *ctx, int argc, sqlite3_value **argv){
  char *z = sqlite3_mprintf("%s(%s,%s)", (const char*)sqlite3_user_data(ctx),
                            sqlite3_value_text(argv[0]), sqlite3_value_text(argv[1]));
  (void)argc;
  sqlite3_result_text(ctx, z, -1, sqlite3_free);
}
static void series_match(sqlite3_context *ctx, int argc, sqlite3_value **argv){
  /* match(pattern, column): the column is a multiple of the pattern */
  sqlite3_int64 d = sqlite3_value_int64(argv[0]);
  (void)argc;
  sqlite3_result_int(ctx, d!=0 && sqlite3_value_int64(argv[1]) % d==0);
}
static void series_near(sqlite3_context *ctx, int argc, sqlite3_value **argv){
  /* near(column, x): within 1 of x */
  sqlite3_int64 d = sqlite3_value_int64(argv[0]) - sqlite3_value_int64(argv[1]);
  (void)argc;
  sqlite3_result_int(ctx, d>=-1 && d<=1);
}
static int series_find_function(sqlite3_vtab *p, int nArg, const char *zName,
    void (**pxFunc)(sqlite3_context*,int,sqlite3_value**), void **ppArg){
  LOG("xFindFunction %s nArg=%d", zName, nArg);
  (void)p;
  if( sqlite3_stricmp(zName, "myfunc")==0 && nArg==2 ){ *pxFunc = series_myfunc; *ppArg = "mine"; return 1; }
  if( sqlite3_stricmp(zName, "match")==0 ){ *pxFunc = series_match; *ppArg = 0; return 1; }
  if( sqlite3_stricmp(zName, "near")==0 && nArg==2 ){ *pxFunc = series_near; *ppArg = 0; return SQLITE_INDEX_CONSTRAINT_FUNCTION+1; }
  return 0;
}

static sqlite3_module series_module = {
  1, series_create, series_connect, series_best_index, series_disconnect, series_destroy,
  series_open, series_close, series_filter, series_next, series_eof, series_column, series_rowid,
  0, 0, 0, 0, 0, series_find_function, series_rename, 0, 0, 0, 0, 0
};

/* The same without xCreate: usable only as the eponymous table
** "seriesepo" (1..10). */
static sqlite3_module series_epo_module = {
  1, 0, series_connect, series_best_index, series_disconnect, series_destroy,
  series_open, series_close, series_filter, series_next, series_eof, series_column, series_rowid,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
};

/* "gen": an eponymous-only generator with HIDDEN columns, used as a
** table-valued function: gen(start, stop). */
typedef struct GenCur { sqlite3_vtab_cursor base; sqlite3_int64 cur, stop, start; } GenCur;
static int gen_connect(sqlite3 *db, void *aux, int argc, const char *const*argv, sqlite3_vtab **pp, char **err){
  sqlite3_vtab *t;
  int rc = sqlite3_declare_vtab(db, "CREATE TABLE x(value INTEGER, start HIDDEN, stop INTEGER HIDDEN)");
  LOG("gen xConnect argc=%d [%s] rc=%d", argc, argv[2], rc);
  t = sqlite3_malloc(sizeof(*t));
  memset(t, 0, sizeof(*t));
  *pp = t;
  (void)aux; (void)err;
  return rc;
}
static int gen_disconnect(sqlite3_vtab *p){ LOG("gen xDisconnect"); sqlite3_free(p); return SQLITE_OK; }
static int gen_best_index(sqlite3_vtab *tab, sqlite3_index_info *p){
  int i, n = 0, num = 0;
  log_index_info(p);
  for(i=0; i<p->nConstraint; i++){
    int c = p->aConstraint[i].iColumn;
    if( p->aConstraint[i].usable && p->aConstraint[i].op==SQLITE_INDEX_CONSTRAINT_EQ && (c==1 || c==2) && !(num & c) ){
      p->aConstraintUsage[i].argvIndex = ++n;
      p->aConstraintUsage[i].omit = 1;
      num |= c;
    }
  }
  p->idxNum = num;
  p->estimatedCost = num==3 ? 10 : 1000000;
  (void)tab;
  return SQLITE_OK;
}
static int gen_open(sqlite3_vtab *tab, sqlite3_vtab_cursor **pp){
  GenCur *c = sqlite3_malloc(sizeof(*c));
  memset(c, 0, sizeof(*c));
  *pp = &c->base;
  (void)tab;
  return SQLITE_OK;
}
static int gen_close(sqlite3_vtab_cursor *c){ sqlite3_free(c); return SQLITE_OK; }
static int gen_filter(sqlite3_vtab_cursor *pc, int num, const char *str, int argc, sqlite3_value **argv){
  GenCur *c = (GenCur*)pc;
  int i, k = 0;
  printf("    | gen xFilter idxNum=%d argc=%d", num, argc);
  for(i=0; i<argc; i++){ printf(" "); print_value(argv[i]); }
  printf("\n");
  c->start = 1; c->stop = 3;
  if( num & 1 ) c->start = sqlite3_value_int64(argv[k++]);
  if( num & 2 ) c->stop = sqlite3_value_int64(argv[k++]);
  c->cur = c->start;
  (void)str;
  return SQLITE_OK;
}
static int gen_next(sqlite3_vtab_cursor *pc){ ((GenCur*)pc)->cur++; return SQLITE_OK; }
static int gen_eof(sqlite3_vtab_cursor *pc){ GenCur *c = (GenCur*)pc; return c->cur > c->stop; }
static int gen_column(sqlite3_vtab_cursor *pc, sqlite3_context *ctx, int i){
  GenCur *c = (GenCur*)pc;
  sqlite3_result_int64(ctx, i==0 ? c->cur : i==1 ? c->start : c->stop);
  return SQLITE_OK;
}
static int gen_rowid(sqlite3_vtab_cursor *pc, sqlite3_int64 *r){ *r = ((GenCur*)pc)->cur; return SQLITE_OK; }
static sqlite3_module gen_module = {
  1, 0, gen_connect, gen_best_index, gen_disconnect, gen_disconnect,
  gen_open, gen_close, gen_filter, gen_next, gen_eof, gen_column, gen_rowid,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
};

/* ------------------------------------------------------------ helpers */


/* EXPLAIN QUERY PLAN, detail column only (ids differ between libraries). */
static void plan(sqlite3 *db, const char *sql){
  sqlite3_stmt *st = 0;
  char *q = sqlite3_mprintf("EXPLAIN QUERY PLAN %s", sql);
  int rc = sqlite3_prepare_v2(db, q, -1, &st, 0);
  printf("EQP %s\n", sql);
  sqlite3_free(q);
  if( rc!=SQLITE_OK ){ printf("  prepare rc=%d %s\n", rc, sqlite3_errmsg(db)); return; }
  while( sqlite3_step(st)==SQLITE_ROW ){
    printf("  plan: %s\n", (const char*)sqlite3_column_text(st, 3));
  }
  sqlite3_finalize(st);
}

static int n_destroy = 0;
static void module_destroy(void *p){ n_destroy++; printf("module destructor(%s) #%d\n", (const char*)p, n_destroy); }

int main(int argc, char **argv){
  sqlite3 *db;
  int rc;

  ferrolite_check_lib();
  if( argc<2 ) return 2;
  if( sqlite3_open(argv[1], &db)!=SQLITE_OK ) return 1;

  printf("declare_vtab outside xCreate rc=%d\n", sqlite3_declare_vtab(db, "CREATE TABLE x(a)"));
  printf("vtab_config outside xCreate rc=%d\n", sqlite3_vtab_config(db, SQLITE_VTAB_CONSTRAINT_SUPPORT, 1));
  show_values(db, "CREATE VIRTUAL TABLE nope USING nosuch(1)");

  rc = sqlite3_create_module_v2(db, "series", &series_module, "first", module_destroy);
  printf("create_module_v2 rc=%d\n", rc);
  rc = sqlite3_create_module_v2(db, "series", &series_module, "series", module_destroy);
  printf("create_module_v2 again rc=%d destroyed=%d\n", rc, n_destroy);

  show_values(db, "CREATE VIRTUAL TABLE s USING series(1, 10)");
  show_values(db, "CREATE VIRTUAL TABLE bad USING series(fail)");
  show_values(db, "CREATE VIRTUAL TABLE bad2 USING series(nodeclare)");
  show_values(db, "SELECT type, name, tbl_name, rootpage, sql FROM sqlite_schema");

  show_values(db, "SELECT * FROM s");
  plan(db, "SELECT * FROM s");
  show_values(db, "SELECT rowid, value FROM s WHERE value = 3");
  plan(db, "SELECT value FROM s WHERE value = 3");
  show_values(db, "SELECT value, square FROM s WHERE value >= 4 AND value <= 6");
  show_values(db, "SELECT value FROM s WHERE 8 <= value");
  show_values(db, "SELECT value FROM s WHERE value BETWEEN 2 AND 4");
  show_values(db, "SELECT value, label FROM s WHERE label LIKE 'v%'");
  show_values(db, "SELECT value, label FROM s WHERE label GLOB 'w*' AND value != 6");
  show_values(db, "SELECT value FROM s WHERE label IS NULL");
  show_values(db, "SELECT value FROM s WHERE label IS NOT NULL AND value > 7");
  show_values(db, "SELECT value FROM s WHERE value IS 5");
  show_values(db, "SELECT value FROM s WHERE value > 2 + 3 AND square < 70");
  show_values(db, "SELECT value FROM s ORDER BY value DESC");
  plan(db, "SELECT value FROM s ORDER BY value DESC");
  show_values(db, "SELECT value FROM s ORDER BY square DESC");
  plan(db, "SELECT value FROM s ORDER BY square DESC");
  show_values(db, "SELECT value FROM s LIMIT 3");
  show_values(db, "SELECT value FROM s LIMIT 3 OFFSET 2");
  show_values(db, "SELECT value FROM s WHERE value >= 2 LIMIT 2 OFFSET 1");
  show_values(db, "SELECT value FROM s WHERE square > 10 LIMIT 2");
  show_values(db, "SELECT value FROM s ORDER BY value DESC LIMIT 2");
  show_values(db, "SELECT count(*), sum(value), max(label) FROM s");
  show_values(db, "SELECT value % 3, count(*) FROM s GROUP BY value % 3");
  show_values(db, "SELECT DISTINCT value / 4 FROM s");
  show_values(db, "SELECT value FROM s WHERE value = 99");
  show_values(db, "SELECT (SELECT square FROM s WHERE value = 4)");

  printf("overload_function rc=%d\n", sqlite3_overload_function(db, "myfunc", 2));
  show_values(db, "SELECT myfunc(value, 'x'), myfunc(label, value) FROM s WHERE value < 3");
  show_values(db, "SELECT myfunc(1, 2)");
  show_values(db, "SELECT value FROM s WHERE value MATCH 3");
  show_values(db, "SELECT value FROM s WHERE value > 4 AND value MATCH 4");
  printf("overload_function near rc=%d\n", sqlite3_overload_function(db, "near", 2));
  show_values(db, "SELECT value FROM s WHERE near(value, 5)");
  show_values(db, "SELECT value FROM s WHERE near(4, value)");

  /* What SQLite refuses on a virtual table. */
  show_values(db, "CREATE INDEX si ON s(value)");
  show_values(db, "CREATE TRIGGER st AFTER INSERT ON s BEGIN SELECT 1; END");
  show_values(db, "ALTER TABLE s ADD COLUMN extra");
  show_values(db, "INSERT INTO s VALUES (1, 2, 3)");
  show_values(db, "DELETE FROM s");

  show_values(db, "CREATE TABLE t(a INTEGER, b TEXT)");
  show_values(db, "INSERT INTO t VALUES (2, 'two'), (5, 'five'), (12, 'twelve')");
  show_values(db, "SELECT t.b, s.square FROM t, s WHERE s.value = t.a");
  plan(db, "SELECT t.b, s.square FROM t, s WHERE s.value = t.a");
  show_values(db, "SELECT t.b, s.square FROM s, t WHERE t.a = s.value");
  show_values(db, "SELECT t.b, s.value FROM t LEFT JOIN s ON s.value = t.a - 1");
  plan(db, "SELECT t.b, s.value FROM t LEFT JOIN s ON s.value = t.a - 1");
  show_values(db, "SELECT b FROM t WHERE a IN (SELECT value FROM s WHERE value < 6)");

  /* An eponymous virtual table: the module's own name, no CREATE. */
  printf("create_module_v2 epo rc=%d\n", sqlite3_create_module_v2(db, "seriesepo", &series_epo_module, "epo", module_destroy));
  show_values(db, "SELECT value, square FROM seriesepo WHERE value < 4");
  show_values(db, "SELECT count(*) FROM main.seriesepo");
  plan(db, "SELECT * FROM seriesepo WHERE value = 2");
  show_values(db, "CREATE VIRTUAL TABLE e2 USING seriesepo");
  show_values(db, "SELECT value FROM t JOIN seriesepo ON value = a");

  /* Table-valued functions: arguments bind to HIDDEN columns. */
  printf("create_module gen rc=%d\n", sqlite3_create_module(db, "gen", &gen_module, 0));
  show_values(db, "SELECT * FROM gen(2, 4)");
  show_values(db, "SELECT value, start, stop FROM gen(5) WHERE value < 4");
  show_values(db, "SELECT g.* FROM gen AS g WHERE start = 7 AND stop = 8");
  show_values(db, "SELECT t.a, g.value FROM t, gen(1, t.a) AS g WHERE t.a < 6");
  plan(db, "SELECT t.a, g.value FROM t, gen(1, t.a) AS g WHERE t.a < 6");
  show_values(db, "SELECT t.a, g.value FROM t LEFT JOIN gen(3, t.a) AS g WHERE t.a < 6");
  show_values(db, "SELECT * FROM gen(1, 2, 3)");
  show_values(db, "CREATE TABLE nat(value, start)");
  show_values(db, "INSERT INTO nat VALUES (2, 'x'), (3, 'y')");
  show_values(db, "SELECT * FROM nat NATURAL JOIN gen(1, 5)");
  show_values(db, "DROP TABLE nat");
  show_values(db, "DROP TABLE gen");
  show_values(db, "PRAGMA table_info(s)");
  show_values(db, "SELECT name, type FROM pragma_table_info('s')");
  show_values(db, "SELECT * FROM series(1)");
  show_values(db, "SELECT * FROM t(1)");

  /* Reopen: the schema names the table, so the first statement that uses
  ** it connects (xConnect), once the module is registered again. */
  printf("close rc=%d destroyed=%d\n", sqlite3_close(db), n_destroy);
  if( sqlite3_open(argv[1], &db)!=SQLITE_OK ) return 1;
  show_values(db, "SELECT value FROM s WHERE value < 3");
  show_values(db, "DROP TABLE s");
  printf("create_module rc=%d\n", sqlite3_create_module(db, "series", &series_module, "again"));
  show_values(db, "SELECT value FROM s WHERE value < 3");
  show_values(db, "SELECT name FROM sqlite_schema");
  show_values(db, "DROP TABLE s");
  show_values(db, "SELECT name FROM sqlite_schema");
  show_values(db, "SELECT * FROM s");

  /* drop_modules keeps the listed names only. */
  printf("create_module_v2 other rc=%d\n", sqlite3_create_module_v2(db, "other", &series_module, "other", module_destroy));
  {
    const char *keep[] = { "other", 0 };
    printf("drop_modules rc=%d destroyed=%d\n", sqlite3_drop_modules(db, keep), n_destroy);
  }
  show_values(db, "CREATE VIRTUAL TABLE gone USING series(1, 2)");
  show_values(db, "CREATE VIRTUAL TABLE kept USING other(1, 2)");
  show_values(db, "SELECT value FROM kept");
  show_values(db, "DROP TABLE kept");
  printf("drop_modules(NULL) rc=%d destroyed=%d\n", sqlite3_drop_modules(db, 0), n_destroy);
  show_values(db, "CREATE VIRTUAL TABLE gone USING other(1, 2)");
  printf("close rc=%d destroyed=%d\n", sqlite3_close(db), n_destroy);
  return 0;
}
