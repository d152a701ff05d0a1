/*
** rtree_match.c: R*Tree MATCH with application callbacks,
** sqlite3_rtree_geometry_callback and sqlite3_rtree_query_callback.
**
** circle(x, y, r) is a geometry callback (keeps its parsed parameters in
** pUser, freed by xDelUser: the number of frees is printed); within(x0,
** x1, y0, y1) is a query callback that prunes with NOT_WITHIN, reports
** FULLY_WITHIN and scores rows by distance, so that rows come nearest
** first; fail() is a callback that returns an error. Each runs on a
** one-node tree and on a tree several levels deep (in temp, queried with
** ORDER BY where SQLite's order among equal scores is its own); the callbacks'
** view (nCoord, nParam, mxLevel, iLevel of rows, the SQL parameters) is
** printed. The query callback's destructor runs at close.
*/
#include "harness.h"
#include <sqlite3.h>
#include "query.h"
#include <stdio.h>
#include <stdlib.h>

static int nfree, ncalls, ndestroy;

static void free_user(void *p){ nfree++; free(p); }

typedef struct Circle { double x, y, r; } Circle;

static int circle(sqlite3_rtree_geometry *p, int nCoord, sqlite3_rtree_dbl *a, int *pRes){
  Circle *c = (Circle*)p->pUser;
  double dx, dy;
  ncalls++;
  if( c==0 ){
    if( p->nParam!=3 || nCoord!=4 ) return SQLITE_ERROR;
    c = malloc(sizeof(*c));
    c->x = p->aParam[0]; c->y = p->aParam[1]; c->r = p->aParam[2];
    p->pUser = c;
    p->xDelUser = free_user;
  }
  /* Distance from the centre to the box. */
  dx = c->x < a[0] ? a[0]-c->x : (c->x > a[1] ? c->x-a[1] : 0);
  dy = c->y < a[2] ? a[2]-c->y : (c->y > a[3] ? c->y-a[3] : 0);
  *pRes = dx*dx + dy*dy <= c->r*c->r;
  return SQLITE_OK;
}

static int within(sqlite3_rtree_query_info *p){
  double cx, cy;
  ncalls++;
  if( p->nParam!=4 ) return SQLITE_ERROR;
  if( p->aCoord[1] < p->aParam[0] || p->aCoord[0] > p->aParam[1]
   || p->aCoord[3] < p->aParam[2] || p->aCoord[2] > p->aParam[3] ){
    p->eWithin = NOT_WITHIN;
    return SQLITE_OK;
  }
  if( p->aCoord[0] >= p->aParam[0] && p->aCoord[1] <= p->aParam[1]
   && p->aCoord[2] >= p->aParam[2] && p->aCoord[3] <= p->aParam[3] ){
    p->eWithin = FULLY_WITHIN;
  }else{
    p->eWithin = PARTLY_WITHIN;
  }
  cx = (p->aCoord[0] + p->aCoord[1]) / 2; cy = (p->aCoord[2] + p->aCoord[3]) / 2;
  p->rScore = p->iLevel==0 ? cx*cx + cy*cy : 0;
  if( p->iLevel==0 && p->iRowid==7 && sqlite3_value_type(p->apSqlParam[0])==SQLITE_TEXT ){
    printf("  (row 7: the first SQL parameter is text '%s', mxLevel>0 %d)\n", (const char*)sqlite3_value_text(p->apSqlParam[0]), p->mxLevel>0);
  }
  return SQLITE_OK;
}

static int fail(sqlite3_rtree_geometry *p, int nCoord, sqlite3_rtree_dbl *a, int *pRes){
  (void)p; (void)nCoord; (void)a; *pRes = 1;
  return SQLITE_NOMEM;
}

static void destroy_ctx(void *p){ ndestroy++; printf("  query callback context destroyed: %s\n", (const char*)p); }

static void counts(const char *what){
  printf("  %s: callbacks called %s, pUser freed %d times\n", what, ncalls>0 ? "yes" : "no", nfree);
  ncalls = 0; nfree = 0;
}

int main(int argc, char **argv){
  sqlite3 *db;
  int rc;
  static char ctx[] = "within-context";
  ferrolite_check_lib();
  if( argc<2 ){ printf("usage: rtree_match DB\n"); return 1; }
  if( sqlite3_open(argv[1], &db)!=SQLITE_OK ){ printf("open failed\n"); return 1; }
  rc = sqlite3_rtree_geometry_callback(db, "circle", circle, 0);
  printf("geometry_callback rc=%d\n", rc);
  rc = sqlite3_rtree_query_callback(db, "within", within, ctx, destroy_ctx);
  printf("query_callback rc=%d\n", rc);
  sqlite3_rtree_geometry_callback(db, "fail", fail, 0);

  q(db, 0, "CREATE VIRTUAL TABLE s USING rtree(id, x0, x1, y0, y1)");
  q(db, 0, "INSERT INTO s VALUES(1, 0, 1, 0, 1), (2, 5, 6, 5, 6), (3, -3, -2, 2, 3), (4, 0.5, 0.6, -9, -8), (5, 10, 11, -1, 1), (7, 1, 2, 1, 2)");
  q(db, 0, "SELECT id FROM s WHERE id MATCH circle(0, 0, 2)");
  counts("circle(0,0,2)");
  q(db, 0, "SELECT id FROM s WHERE id MATCH circle(5.5, 5.5, 0.1) AND x0 > 1");
  counts("circle with a coordinate test");
  q(db, 0, "SELECT id FROM s WHERE x0 MATCH within(-5, 12, -2, 7)");
  counts("within, nearest first");
  q(db, 0, "SELECT id FROM s WHERE id MATCH within('-5', 2.5, -20, 20)");
  q(db, 0, "SELECT id FROM s WHERE id MATCH fail(1)");
  q(db, 0, "SELECT id FROM s WHERE id MATCH circle(1, 2)");
  q(db, 0, "SELECT typeof(circle(1, 2, 3)), circle(1, 2, 3) IS NULL, quote(within(1, 2, 3, 4))");
  q(db, 0, "SELECT id FROM s WHERE id MATCH 1");
  q(db, 0, "SELECT count(*) FROM s WHERE id MATCH circle(0, 0, 100) AND id MATCH within(0, 1, 0, 1)");

  /* In temp: a deep tree's shape is each library's own, and the file
  ** run.sh compares must hold the same bytes. */
  q(db, 0, "CREATE VIRTUAL TABLE temp.b USING rtree(id, x0, x1, y0, y1)");
  q(db, 0, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i<2000) "
           "INSERT INTO b SELECT i, (i*37)%200 - 100, (i*37)%200 - 100 + i%3, (i*91)%200 - 100, (i*91)%200 - 100 + i%5 FROM n");
  q(db, 0, "SELECT count(*), sum(id) FROM b WHERE id MATCH circle(10, -20, 15)");
  counts("circle on a deep tree");
  q(db, 0, "SELECT id, x0, y0 FROM b WHERE id MATCH within(-3, 3, -4, 4) ORDER BY id");
  /* Rows come nearest first; equal scores may come in either order, so
  ** the (four times) scores are printed, not the ids. */
  q(db, 0, "SELECT (x0+x1)*(x0+x1) + (y0+y1)*(y0+y1) FROM b WHERE id MATCH within(-30, 30, -30, 30) LIMIT 12");
  q(db, 0, "SELECT count(*) FROM b WHERE id MATCH within(-1000, 1000, -1000, 1000) AND y1 < -50");
  q(db, 0, "SELECT rtreecheck('temp', 'b')");
  sqlite3_close(db);
  printf("after close: context destroyed %d time(s)\n", ndestroy);
  return 0;
}
