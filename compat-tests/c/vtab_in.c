/*
** vtab_in.c: IN constraints on a virtual table, and what SQLite derives
** for one from LIKE ... ESCAPE.
**
** "nums" holds the rows n = 1..10, s = 'v<n>'. Its xBestIndex prints each
** constraint (column, operator, usable, sqlite3_vtab_in(p, i, -1)) and
** answers according to a mode the test sets: use an equality on n and let
** the engine run the IN (xFilter once per value), with or without omit;
** or ask for the IN all at once (sqlite3_vtab_in(p, i, 1)), in which case
** xFilter walks the list with sqlite3_vtab_in_first / in_next. xFilter
** prints its arguments (a list as its values), xColumn may log its calls,
** so the output shows the engine's IN loop, its duplicate check, the
** sequence of xBestIndex calls (with IN, without IN, ...), and rows.
*/
#include "harness.h"
#include <sqlite3.h>
#include "rows.h"
#include <stdlib.h>
#include <string.h>

enum { M_EQ = 0, M_EQ_OMIT = 1, M_HANDLE = 2, M_HANDLE_KEEP = 3, M_NONE = 4, M_EQ_ORDER = 5, M_EQ_ALL = 6 };
static int mode;
static int log_columns;

typedef struct NumCur {
  sqlite3_vtab_cursor base;
  int i;                 /* current row, 1..10; 11 = EOF */
  int nwant;             /* 0: every row */
  sqlite3_int64 want[16];
  int swant;             /* want[] are from a TEXT list on s */
  char stext[16][16];
} NumCur;

static int nums_ctor(sqlite3 *db, void *aux, int argc, const char *const*argv, sqlite3_vtab **pp, char **err){
  sqlite3_vtab *t;
  /* nums(nocase): s compares without case. */
  sqlite3_declare_vtab(db, argc>3 && strcmp(argv[3], "nocase")==0 ? "CREATE TABLE x(n INTEGER, s TEXT COLLATE NOCASE)" : "CREATE TABLE x(n INTEGER, s TEXT)");
  t = sqlite3_malloc(sizeof(*t));
  memset(t, 0, sizeof(*t));
  *pp = t;
  (void)aux; (void)err;
  return SQLITE_OK;
}
static int nums_disconnect(sqlite3_vtab *p){ sqlite3_free(p); return SQLITE_OK; }

static int nums_best_index(sqlite3_vtab *tab, sqlite3_index_info *p){
  int i, used = 0;
  printf("    | xBestIndex n=%d", p->nConstraint);
  for(i=0; i<p->nConstraint; i++){
    printf(" [%d op%d u%d in%d]", p->aConstraint[i].iColumn, p->aConstraint[i].op,
           p->aConstraint[i].usable, sqlite3_vtab_in(p, i, -1));
  }
  printf(" in(-1)=%d in(99)=%d", sqlite3_vtab_in(p, -1, -1), sqlite3_vtab_in(p, 99, -1));
  if( p->nOrderBy ) printf(" orderby=%d", p->nOrderBy);
  p->estimatedCost = 1000;
  p->estimatedRows = 10;
  if( mode==M_EQ_ALL ){
    /* Every usable equality, none omitted; xFilter returns every row, so
    ** that the engine's checks after xFilter decide. */
    int n = 0;
    for(i=0; i<p->nConstraint; i++){
      if( p->aConstraint[i].usable && p->aConstraint[i].op==SQLITE_INDEX_CONSTRAINT_EQ ){
        p->aConstraintUsage[i].argvIndex = ++n;
      }
    }
    p->estimatedCost = 5;
    printf(" -> all %d\n", n);
    return SQLITE_OK;
  }
  for(i=0; i<p->nConstraint && mode!=M_NONE; i++){
    const struct sqlite3_index_constraint *c = &p->aConstraint[i];
    if( !c->usable || c->op!=SQLITE_INDEX_CONSTRAINT_EQ || c->iColumn<0 ) continue;
    if( used ) continue;
    used = 1;
    p->aConstraintUsage[i].argvIndex = 1;
    p->idxNum = c->iColumn + 1;
    p->estimatedCost = 10;
    p->estimatedRows = 2;
    if( mode==M_EQ_OMIT || mode==M_HANDLE ) p->aConstraintUsage[i].omit = 1;
    if( mode==M_HANDLE || mode==M_HANDLE_KEEP ){
      int r = sqlite3_vtab_in(p, i, 1);
      if( r ) p->idxNum += 10;
      printf(" handle(%d)=%d", i, r);
    }
  }
  if( mode==M_EQ_ORDER && p->nOrderBy==1 && p->aOrderBy[0].iColumn==0 && !p->aOrderBy[0].desc ){
    p->orderByConsumed = 1;
  }
  printf(" -> idxNum=%d cost=%g\n", p->idxNum, p->estimatedCost);
  (void)tab;
  return SQLITE_OK;
}

static int nums_open(sqlite3_vtab *tab, sqlite3_vtab_cursor **pp){
  NumCur *c = sqlite3_malloc(sizeof(*c));
  memset(c, 0, sizeof(*c));
  *pp = &c->base;
  (void)tab;
  return SQLITE_OK;
}
static int nums_close(sqlite3_vtab_cursor *c){ sqlite3_free(c); return SQLITE_OK; }

static int row_ok(NumCur *c){
  int k;
  char buf[16];
  if( c->nwant<0 ) return 0;
  if( c->nwant==0 ) return 1;
  snprintf(buf, sizeof(buf), "v%d", c->i);
  for(k=0; k<c->nwant; k++){
    if( c->swant ? strcmp(c->stext[k], buf)==0 : c->want[k]==c->i ) return 1;
  }
  return 0;
}
static void skip(NumCur *c){ while( c->i<=10 && !row_ok(c) ) c->i++; }

static void want(NumCur *c, sqlite3_value *v){
  if( c->nwant>=16 ) return;
  if( sqlite3_value_type(v)==SQLITE_NULL ) return;
  if( c->swant ){
    snprintf(c->stext[c->nwant], sizeof(c->stext[0]), "%s", (const char*)sqlite3_value_text(v));
  }else{
    c->want[c->nwant] = sqlite3_value_int64(v);
  }
  c->nwant++;
}

static int nums_filter(sqlite3_vtab_cursor *pc, int num, const char *str, int argc, sqlite3_value **argv){
  NumCur *c = (NumCur*)pc;
  int i;
  printf("    | xFilter %d argc=%d:", num, argc);
  c->nwant = 0;
  c->swant = (num % 10)==2;
  for(i=0; i<argc; i++){
    sqlite3_value *x = 0;
    int rc = sqlite3_vtab_in_first(argv[i], &x);
    if( rc==SQLITE_OK || rc==SQLITE_DONE ){
      printf(" list(");
      while( rc==SQLITE_OK ){
        print_value(x);
        want(c, x);
        rc = sqlite3_vtab_in_next(argv[i], &x);
        printf(rc==SQLITE_OK ? "," : "");
      }
      printf(") end=%d x=%s", rc, x ? "set" : "null");
      /* A second walk starts over. */
      rc = sqlite3_vtab_in_first(argv[i], &x);
      printf(" again=%d", rc);
      if( rc==SQLITE_OK ){ printf(":"); print_value(x); }
      printf(" type=%d", sqlite3_value_type(argv[i]));
      if( c->nwant==0 ) c->nwant = -1;
    }else{
      printf(" ");
      print_value(argv[i]);
      printf("(in_first=%d x=%s)", rc, x ? "set" : "null");
      if( num>0 ){
        want(c, argv[i]);
        if( c->nwant==0 ) c->nwant = -1;
      }
    }
  }
  printf("\n");
  c->i = 1;
  skip(c);
  (void)str;
  return SQLITE_OK;
}
static int nums_next(sqlite3_vtab_cursor *pc){ NumCur *c = (NumCur*)pc; c->i++; skip(c); return SQLITE_OK; }
static int nums_eof(sqlite3_vtab_cursor *pc){ return ((NumCur*)pc)->i>10; }
static int nums_column(sqlite3_vtab_cursor *pc, sqlite3_context *ctx, int i){
  NumCur *c = (NumCur*)pc;
  if( log_columns ) printf("    | xColumn %d row %d\n", i, c->i);
  if( i==0 ){
    sqlite3_result_int(ctx, c->i);
  }else{
    char buf[16];
    snprintf(buf, sizeof(buf), "v%d", c->i);
    sqlite3_result_text(ctx, buf, -1, SQLITE_TRANSIENT);
  }
  return SQLITE_OK;
}
static int nums_rowid(sqlite3_vtab_cursor *pc, sqlite3_int64 *p){ *p = ((NumCur*)pc)->i; return SQLITE_OK; }

static sqlite3_module nums_module = {
  1, nums_ctor, nums_ctor, nums_best_index, nums_disconnect, nums_disconnect,
  nums_open, nums_close, nums_filter, nums_next, nums_eof, nums_column, nums_rowid,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
};

static void run(sqlite3 *db, int m, const char *sql){
  mode = m;
  printf("[mode %d] ", m);
  show_values(db, sql);
}

int main(int argc, char **argv){
  sqlite3 *db;
  sqlite3_value *x = (sqlite3_value*)1;
  ferrolite_check_lib();
  if( argc<2 ) return 2;
  db = open_db(argv[1]);
  printf("create_module rc=%d\n", sqlite3_create_module(db, "nums", &nums_module, 0));
  show_values(db, "CREATE VIRTUAL TABLE t USING nums");
  show_values(db, "CREATE TABLE r(a INTEGER, b TEXT)");
  show_values(db, "INSERT INTO r VALUES (2,'v2'), (4,'v4'), (4,'v4'), (NULL,NULL), (9,'v9')");

  /* The engine runs the IN: xFilter once per distinct value, in order. */
  run(db, M_EQ, "SELECT n, s FROM t WHERE n IN (3, 1, 3, NULL, '2')");
  run(db, M_EQ_OMIT, "SELECT n, s FROM t WHERE n IN (3, 1, 3, NULL, '2')");
  run(db, M_EQ, "SELECT n FROM t WHERE n IN (SELECT a FROM r)");
  run(db, M_EQ, "SELECT n FROM t WHERE n IN (SELECT a FROM r WHERE a > 100)");
  run(db, M_EQ, "SELECT s FROM t WHERE s IN ('v5', 'v1', 'nope')");
  /* The module takes the whole list at once. */
  run(db, M_HANDLE, "SELECT n, s FROM t WHERE n IN (3, 1, 3, NULL, '2')");
  run(db, M_HANDLE_KEEP, "SELECT n, s FROM t WHERE n IN (3, 1, 3, '2')");
  run(db, M_HANDLE, "SELECT n FROM t WHERE n IN (SELECT a FROM r)");
  run(db, M_HANDLE, "SELECT n FROM t WHERE n IN (SELECT a FROM r WHERE a > 100)");
  run(db, M_HANDLE, "SELECT s FROM t WHERE s IN ('v7', 'v3', 'v7', 3)");
  run(db, M_HANDLE, "SELECT count(*) FROM t WHERE n IN (8, 9) AND s IN ('v8', 'v2')");
  /* A single constant is an equality, not an IN. */
  run(db, M_HANDLE, "SELECT n FROM t WHERE n IN (4)");
  run(db, M_HANDLE, "SELECT n FROM t WHERE n IN (?1)");
  run(db, M_EQ, "SELECT n FROM t WHERE n NOT IN (1, 2, 3, 4, 5, 6, 7)");
  run(db, M_EQ, "SELECT n FROM t WHERE n IN ()");
  run(db, M_NONE, "SELECT n FROM t WHERE n IN (2, 3) AND s > 'v'");
  /* ORDER BY is not consumed when the engine runs the IN. */
  run(db, M_EQ_ORDER, "SELECT n FROM t WHERE n IN (6, 2, 4) ORDER BY n");
  run(db, M_EQ_ORDER, "SELECT n FROM t WHERE n > 7 ORDER BY n");
  /* Joins: the IN's values read an outer loop. */
  run(db, M_EQ, "SELECT r.a, t.n FROM r, t WHERE t.n IN (r.a, r.a + 1) AND r.b = 'v4'");
  run(db, M_HANDLE, "SELECT r.a, t.n FROM r, t WHERE t.n IN (r.a, r.a + 1) AND r.b = 'v2'");
  run(db, M_HANDLE, "SELECT r.a, t.n FROM r, t WHERE t.n IN (r.a, r.a + 1, 4) ORDER BY 1, 2");
  run(db, M_EQ, "SELECT r.a, t.n FROM r LEFT JOIN t ON t.n IN (r.a, 7) ORDER BY 1, 2");
  run(db, M_HANDLE, "SELECT r.a, t.n FROM r LEFT JOIN t ON t.n IN (r.a, 7) ORDER BY 1, 2");
  /* A subquery that reads the outer row. */
  run(db, M_EQ, "SELECT r.a, t.n FROM r, t WHERE t.n IN (SELECT q.a + 1 FROM r AS q WHERE q.b = r.b) ORDER BY 1, 2");
  run(db, M_HANDLE, "SELECT r.a, t.n FROM r, t WHERE t.n IN (SELECT q.a FROM r AS q WHERE q.a >= r.a) ORDER BY 1, 2");
  /* Two INs the engine runs, nested, each checked after xFilter. */
  run(db, M_EQ_ALL, "SELECT n, s FROM t WHERE n IN (1, 2, 3) AND s IN ('v2', 'v3', 'v9')");
  run(db, M_EQ_ALL, "SELECT n, s FROM t WHERE s IN ('v4', 'v5') AND n = 5");
  /* LIMIT with an IN. */
  run(db, M_EQ, "SELECT n FROM t WHERE n IN (5, 6, 7) LIMIT 2");
  run(db, M_HANDLE, "SELECT n FROM t WHERE n IN (5, 6, 7) LIMIT 2");
  /* The duplicate check after xFilter: the column is read back. */
  log_columns = 1;
  run(db, M_EQ, "SELECT s FROM t WHERE n IN (2, 3)");
  run(db, M_EQ_OMIT, "SELECT s FROM t WHERE n IN (2, 3)");
  run(db, M_HANDLE_KEEP, "SELECT s FROM t WHERE n IN (2, 3)");
  log_columns = 0;
  /* ORs: equalities on one column become an IN; each branch is also
  ** offered on its own, with the other constraints after it. */
  run(db, M_EQ, "SELECT n FROM t WHERE n = 2 OR n = 5");
  run(db, M_HANDLE, "SELECT n FROM t WHERE n = 2 OR n = 5 OR 7 = n");
  run(db, M_EQ_OMIT, "SELECT n FROM t WHERE (n = 3 OR n = 1) AND s > 'v'");
  run(db, M_EQ, "SELECT n FROM t WHERE n = 2 OR n > 8");
  run(db, M_NONE, "SELECT n FROM t WHERE n = 4 OR n IS NULL OR n IN (6, 7)");
  run(db, M_EQ, "SELECT n FROM t WHERE n = 2 OR n LIKE '5'");
  run(db, M_EQ, "SELECT r.a, t.n FROM r, t WHERE t.n = r.a OR t.n = 9 ORDER BY 1, 2");
  run(db, M_EQ, "SELECT r.a, t.n FROM r, t WHERE r.a = t.n OR 9 = t.n ORDER BY 1, 2");
  run(db, M_NONE, "SELECT n FROM t WHERE (n = 1 AND s = 'v1') OR s BETWEEN 'v7' AND 'v8' OR n != 3 ORDER BY n");
  run(db, M_NONE, "SELECT n FROM t WHERE n IS NOT NULL OR s LIKE 'v1%' OR s GLOB 'x*'");
  run(db, M_HANDLE, "SELECT n FROM t WHERE (n = 8 OR n = 9) AND (s = 'v9' OR s = 'v1')");
  run(db, M_EQ, "SELECT n FROM t WHERE n = 3 OR n = '4' OR n = 5.0");
  /* LIKE with ESCAPE: the prefix range, no LIKE constraint. */
  run(db, M_EQ, "SELECT n FROM t WHERE s LIKE 'v1%' ESCAPE '^'");
  run(db, M_EQ, "SELECT n FROM t WHERE s LIKE 'v^_' ESCAPE '^'");
  run(db, M_EQ, "SELECT n FROM t WHERE s LIKE 'v^%1%' ESCAPE '^'");
  run(db, M_EQ, "SELECT n FROM t WHERE s LIKE 'v1%' ESCAPE '%'");
  run(db, M_EQ, "SELECT n FROM t WHERE s LIKE 'v1%' ESCAPE 'ab'");

  /* Values equal under the column's collation: one of them (SQLite's
  ** transient index keeps the last). */
  show_values(db, "CREATE VIRTUAL TABLE tn USING nums(nocase)");
  run(db, M_HANDLE, "SELECT s FROM tn WHERE s IN ('V1', 'v1', 'V2', 'v3', 'V3')");
  run(db, M_EQ, "SELECT s FROM tn WHERE s IN ('V1', 'v1', 'V2', 'v3', 'V3')");
  run(db, M_HANDLE, "SELECT s FROM tn WHERE s COLLATE BINARY IN ('V1', 'v1')");
  show_values(db, "DROP TABLE tn");

  /* Values that are no IN list. */
  printf("in_first(NULL)=%d in_next(NULL)=%d\n", sqlite3_vtab_in_first(0, &x), sqlite3_vtab_in_next(0, &x));
  printf("x=%s\n", x ? "set" : "null");

  /* No virtual table left for the file checks (they have no modules). */
  show_values(db, "DROP TABLE t");
  printf("close rc=%d\n", sqlite3_close(db));
  return 0;
}
