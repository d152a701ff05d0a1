/*
** fts.c: the FTS3 and FTS4 full-text modules built into every
** connection, as in SQLite's SQLITE_ENABLE_FTS3 / FTS3_PARENTHESIS /
** FTS4 build.
**
** The database file keeps the tables (run.sh then reads each library's
** file with the other, and the shadow tables must hold the same bytes):
** CREATE VIRTUAL TABLE and the sqlite_schema rows of the shadow tables
** (fts3 and fts4, column names, options), the %_segdir rows, %_docsize and
** %_stat after inserts (with and without a docid), updates, deletes and
** OR REPLACE; a few hundred generated documents inserted in transactions
** (several segments, a level-0 merge) and queried with every form of the
** enhanced query syntax (implicit AND, AND, OR, NOT, parentheses,
** phrases, prefixes, column filters, NEAR and NEAR/n, ^), docid lookups
** and ranges, ORDER BY docid DESC, the plans SQLite shows; snippet(),
** offsets(), matchinfo() with every format letter; the special INSERTs
** (optimize, rebuild, integrity-check); argument and query errors; ALTER
** TABLE RENAME and DROP TABLE; the porter tokenizer; an external content
** table (content=) and a contentless one (content=''); languageid=;
** order=DESC;
** a failing statement and ROLLBACK TO inside a
** transaction (the pending terms must follow the rows).
*/
#include "harness.h"
#include <sqlite3.h>
#include "query.h"
#include <stdio.h>
#include <string.h>


static void small(sqlite3 *db){
  printf("-- a small fts4 table\n");
  q(db, 0, "CREATE VIRTUAL TABLE t USING fts4(a, b)");
  q(db, 0, "SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY rowid");
  q(db, 0, "INSERT INTO t VALUES('hello world', 'the quick brown fox')");
  q(db, 0, "INSERT INTO t(docid, a, b) VALUES(10, 'Hello again', 'lazy dog')");
  q(db, 0, "INSERT INTO t VALUES('another doc', NULL)");
  q(db, 0, "INSERT INTO t(a) VALUES(12345)");
  q(db, 0, "SELECT last_insert_rowid(), changes()");
  q(db, 0, "SELECT docid, rowid, * FROM t");
  q(db, 0, "SELECT level, idx, start_block, leaves_end_block, end_block, hex(root) FROM t_segdir");
  q(db, 0, "SELECT docid, hex(size) FROM t_docsize");
  q(db, 0, "SELECT id, hex(value) FROM t_stat");
  q(db, 0, "SELECT docid FROM t WHERE t MATCH 'hello'");
  q(db, 0, "SELECT docid FROM t WHERE t MATCH 'hel*'");
  q(db, 0, "SELECT docid FROM t WHERE a MATCH 'hello'");
  q(db, 0, "SELECT docid FROM t WHERE b MATCH 'hello'");
  q(db, 0, "SELECT docid FROM t WHERE t MATCH 'b:dog'");
  q(db, 0, "SELECT docid FROM t WHERE t MATCH '12345'");
  q(db, 0, "SELECT docid FROM t WHERE t MATCH 'hello OR dog'");
  q(db, 0, "SELECT docid FROM t WHERE t MATCH 'hello NOT world'");
  q(db, 0, "SELECT docid FROM t WHERE t MATCH '\"hello world\"'");
  q(db, 0, "SELECT docid FROM t WHERE t MATCH 'hello NEAR/1 world'");
  q(db, 0, "SELECT docid, a FROM t WHERE docid = 10");
  q(db, 0, "SELECT docid, a FROM t WHERE rowid = '11'");
  q(db, 0, "SELECT docid FROM t WHERE docid BETWEEN 2 AND 11 ORDER BY docid DESC");
  printf("-- changes\n");
  q(db, 0, "UPDATE t SET a = 'changed text' WHERE docid = 10");
  q(db, 0, "DELETE FROM t WHERE docid = 1");
  q(db, 0, "DELETE FROM t WHERE docid = 999");
  q(db, 0, "INSERT INTO t(docid, a) VALUES(11, 'dup')");
  q(db, 0, "INSERT INTO t(docid, a) VALUES('x', 'bad docid')");
  q(db, 0, "INSERT INTO t(rowid, docid, a) VALUES(7, 8, 'both')");
  q(db, 0, "INSERT OR REPLACE INTO t(docid, a, b) VALUES(11, 'replaced', 'row')");
  q(db, 0, "UPDATE t SET docid = 20 WHERE docid = 12");
  q(db, 0, "SELECT docid, * FROM t ORDER BY docid DESC");
  q(db, 0, "SELECT level, idx, start_block, leaves_end_block, end_block, hex(root) FROM t_segdir");
  q(db, 0, "SELECT docid, hex(size) FROM t_docsize");
  q(db, 0, "SELECT id, hex(value) FROM t_stat");
  q(db, 0, "SELECT docid FROM t WHERE t MATCH 'hello OR changed OR replaced OR 12345'");
  q(db, 0, "INSERT INTO t(t) VALUES('optimize')");
  q(db, 0, "SELECT level, idx, start_block, leaves_end_block, end_block, hex(root) FROM t_segdir");
  q(db, 0, "INSERT INTO t(t) VALUES('integrity-check')");
  q(db, 0, "INSERT INTO t(t) VALUES('rebuild')");
  q(db, 0, "SELECT level, idx, hex(root) FROM t_segdir");
  q(db, 0, "INSERT INTO t(t) VALUES('nonsense')");
  printf("-- a transaction, rolled back\n");
  exec(db, "BEGIN");
  q(db, 0, "INSERT INTO t VALUES('rolled back', 'never')");
  q(db, 0, "SELECT docid FROM t WHERE t MATCH 'rolled'");
  exec(db, "ROLLBACK");
  q(db, 0, "SELECT docid FROM t WHERE t MATCH 'rolled'");
  q(db, 0, "SELECT count(*) FROM t_segdir");
  printf("-- fts3 and options\n");
  q(db, 0, "CREATE VIRTUAL TABLE f3 USING fts3(x TEXT, \"y z\", tokenize=simple)");
  q(db, 0, "CREATE VIRTUAL TABLE p2 USING fts4(x, y, prefix='2,3', notindexed=y)");
  q(db, 0, "CREATE VIRTUAL TABLE m3 USING fts4(x, matchinfo=fts3)");
  q(db, 0, "CREATE VIRTUAL TABLE e0 USING fts4");
  q(db, 0, "SELECT name, sql FROM sqlite_schema WHERE name LIKE 'f3%' OR name LIKE 'p2%' OR name LIKE 'm3%' OR name LIKE 'e0%' ORDER BY rowid");
  q(db, 0, "INSERT INTO f3 VALUES('alpha beta', 'gamma')");
  q(db, 0, "INSERT INTO p2 VALUES('hello world helium', 'hello')");
  q(db, 0, "INSERT INTO p2 VALUES('help', 'hello')");
  q(db, 0, "INSERT INTO m3 VALUES('one two')");
  q(db, 0, "INSERT INTO e0 VALUES('just content')");
  q(db, 0, "SELECT level, idx, hex(root) FROM p2_segdir");
  q(db, 0, "SELECT docid FROM p2 WHERE p2 MATCH 'hel*'");
  q(db, 0, "SELECT docid FROM p2 WHERE p2 MATCH 'he*'");
  q(db, 0, "SELECT docid FROM p2 WHERE y MATCH 'hello'");
  q(db, 0, "SELECT hex(matchinfo(m3, 'pcx')), hex(matchinfo(m3, 'l')) FROM m3 WHERE m3 MATCH 'two'");
  q(db, 0, "SELECT hex(matchinfo(f3)), hex(matchinfo(f3, 'n')) FROM f3 WHERE f3 MATCH 'alpha'");
  q(db, 0, "SELECT docid, content FROM e0 WHERE e0 MATCH 'content'");
  q(db, 0, "INSERT INTO p2(p2) VALUES('integrity-check')");
}

static void aux(sqlite3 *db){
  printf("-- auxiliary functions\n");
  q(db, 0, "CREATE VIRTUAL TABLE d USING fts4(title, body)");
  q(db, 0, "INSERT INTO d VALUES('SQLite tutorial', 'SQLite is a small fast self-contained SQL database engine. It is the most used database engine in the world. SQLite is built into all mobile phones and most computers.')");
  q(db, 0, "INSERT INTO d VALUES('Rust notes', 'Rust is a language empowering everyone to build reliable and efficient software. The database crates in Rust include rusqlite.')");
  q(db, 0, "INSERT INTO d VALUES('Mixed', 'database database engine sqlite rust database')");
  q(db, 0, "INSERT INTO d VALUES(NULL, 'nothing to see here')");
  q(db, 0, "SELECT docid, offsets(d) FROM d WHERE d MATCH 'database'");
  q(db, 0, "SELECT docid, offsets(d) FROM d WHERE d MATCH 'sqlite engine'");
  q(db, 0, "SELECT docid, offsets(d) FROM d WHERE d MATCH '\"database engine\"'");
  q(db, 0, "SELECT docid, offsets(d) FROM d WHERE d MATCH 'rust OR sqlite'");
  q(db, 0, "SELECT docid, snippet(d) FROM d WHERE d MATCH 'database'");
  q(db, 0, "SELECT docid, snippet(d, '[', ']', '...', -1, 5) FROM d WHERE d MATCH 'sqlite engine'");
  q(db, 0, "SELECT docid, snippet(d, '[', ']', '...', 1, 8) FROM d WHERE d MATCH 'database OR rust'");
  q(db, 0, "SELECT docid, snippet(d, '[', ']', '...', -1, -4) FROM d WHERE d MATCH 'world phones'");
  q(db, 0, "SELECT docid, snippet(d, '[', ']', '...', 0) FROM d WHERE d MATCH 'tutorial'");
  q(db, 0, "SELECT docid, snippet(d, '[', ']', '...', -1, 64) FROM d WHERE d MATCH 'database'");
  q(db, 0, "SELECT docid, snippet(d, '[', ']', '...', -1, 3) FROM d WHERE d MATCH 'small computers'");
  q(db, 0, "SELECT docid, snippet(d, '[', ']', '...', 5) FROM d WHERE d MATCH 'small'");
  q(db, 0, "SELECT docid, snippet(d, '[', ']', '...', -1, 0) FROM d WHERE d MATCH 'small'");
  q(db, 0, "SELECT docid, hex(matchinfo(d)) FROM d WHERE d MATCH 'database'");
  q(db, 0, "SELECT docid, hex(matchinfo(d, 'pcnalx')) FROM d WHERE d MATCH 'database engine'");
  q(db, 0, "SELECT docid, hex(matchinfo(d, 'sybp')) FROM d WHERE d MATCH 'database engine OR rust'");
  q(db, 0, "SELECT docid, hex(matchinfo(d, 's')) FROM d WHERE d MATCH 'sqlite is'");
  q(db, 0, "SELECT docid, hex(matchinfo(d, 'x')) FROM d WHERE d MATCH 'database NEAR/2 engine'");
  q(db, 0, "SELECT docid, hex(matchinfo(d, 'q')) FROM d WHERE d MATCH 'database'");
  q(db, 0, "SELECT snippet(d), offsets(d), hex(matchinfo(d)) FROM d LIMIT 1");
  q(db, 0, "SELECT offsets(title) FROM d WHERE d MATCH 'database'");
  q(db, 0, "SELECT offsets(1)");
  q(db, 0, "SELECT snippet(d, 1, 2, 3, 4, 5, 6) FROM d WHERE d MATCH 'x'");
  q(db, 0, "SELECT docid FROM d WHERE d MATCH 'database' ORDER BY docid DESC");
  q(db, 0, "SELECT docid FROM d WHERE docid > 1 AND d MATCH 'database'");
  q(db, 0, "SELECT docid FROM d WHERE d MATCH 'body:sqlite -engine'");
  q(db, 0, "SELECT docid FROM d WHERE d MATCH 'title:^sqlite'");
  q(db, 0, "SELECT docid FROM d WHERE d MATCH '(sqlite OR rust) NOT (mobile OR crates)'");
  eqp(db, "EXPLAIN QUERY PLAN SELECT * FROM d WHERE d MATCH 'x'");
  eqp(db, "EXPLAIN QUERY PLAN SELECT * FROM d WHERE docid = 1");
  eqp(db, "EXPLAIN QUERY PLAN SELECT * FROM d WHERE docid > 1 ORDER BY docid DESC");
  eqp(db, "EXPLAIN QUERY PLAN SELECT * FROM d WHERE title MATCH 'x' AND docid < 5");
}

static void errors(sqlite3 *db){
  printf("-- errors\n");
  q(db, 0, "CREATE VIRTUAL TABLE e2 USING fts4(a, order=foo)");
  q(db, 0, "CREATE VIRTUAL TABLE e3 USING fts4(a, bogus=1)");
  q(db, 0, "CREATE VIRTUAL TABLE e4 USING fts4(a, tokenize=nosuch)");
  q(db, 0, "CREATE VIRTUAL TABLE e5 USING fts4(a, notindexed=b)");
  q(db, 0, "CREATE VIRTUAL TABLE e6 USING fts4(a, matchinfo=fts5)");
  q(db, 0, "CREATE VIRTUAL TABLE e7 USING fts4(a, prefix=x)");
  q(db, 0, "CREATE VIRTUAL TABLE e8 USING fts3(a, order=desc)");
  q(db, 0, "SELECT name FROM sqlite_schema WHERE name LIKE 'e8%' ORDER BY name");
  q(db, 0, "SELECT docid FROM d WHERE d MATCH 'database AND'");
  q(db, 0, "SELECT docid FROM d WHERE d MATCH 'OR database'");
  q(db, 0, "SELECT docid FROM d WHERE d MATCH '\"open'");
  q(db, 0, "SELECT docid FROM d WHERE d MATCH '(database'");
  q(db, 0, "SELECT docid FROM d WHERE d MATCH 'database)'");
  q(db, 0, "SELECT docid FROM d WHERE d MATCH 'a NEAR (b c)'");
  q(db, 0, "SELECT docid FROM d WHERE d MATCH 'NEAR'");
  q(db, 0, "SELECT docid FROM d WHERE d MATCH ''");
  q(db, 0, "SELECT docid FROM d WHERE d MATCH NULL");
  q(db, 0, "SELECT docid FROM d WHERE d MATCH 'and or not'");
  q(db, 0, "SELECT docid FROM d WHERE d MATCH 'title:'");
}

/* A deterministic generator of documents. */
static unsigned int seed = 12345;
static unsigned int rnd(void){ seed = seed*1103515245u + 12345u; return (seed>>16) & 0x7fff; }
static const char *aWord[] = {
  "alpha","beta","gamma","delta","epsilon","zeta","eta","theta","iota","kappa",
  "lambda","mu","nu","xi","omicron","pi","rho","sigma","tau","upsilon",
  "phi","chi","psi","omega","apple","apricot","banana","cherry","date","fig"
};

static void many(sqlite3 *db){
  int i, j, k;
  char zA[400], zB[800];
  sqlite3_stmt *ins;
  printf("-- a few hundred documents\n");
  q(db, 0, "CREATE VIRTUAL TABLE big USING fts4(a, b)");
  sqlite3_prepare_v2(db, "INSERT INTO big(a, b) VALUES(?, ?)", -1, &ins, 0);
  for(k=0; k<20; k++){
    exec(db, "BEGIN");
    for(i=0; i<20; i++){
      int n = 1 + rnd()%8, m = rnd()%25;
      zA[0] = zB[0] = 0;
      for(j=0; j<n; j++){ strcat(zA, aWord[rnd()%30]); strcat(zA, j%3==2 ? ", " : " "); }
      for(j=0; j<m; j++){ strcat(zB, aWord[rnd()%30]); strcat(zB, " "); }
      sqlite3_bind_text(ins, 1, zA, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text(ins, 2, zB, -1, SQLITE_TRANSIENT);
      sqlite3_step(ins);
      sqlite3_reset(ins);
    }
    exec(db, "COMMIT");
    if( k%5==4 ){
      exec(db, "DELETE FROM big WHERE docid % 17 = 3");
      exec(db, "UPDATE big SET b = 'edited ' || b WHERE docid % 11 = 5");
    }
  }
  sqlite3_finalize(ins);
  q(db, 0, "SELECT level, idx, start_block, leaves_end_block, end_block, length(root) FROM big_segdir");
  q(db, 0, "SELECT id, hex(value) FROM big_stat");
  q(db, 0, "SELECT count(*), sum(docid) FROM big");
  {
    static const char *aQ[] = {
      "alpha", "alp*", "a*", "alpha beta", "alpha AND beta", "alpha OR beta", "alpha NOT beta",
      "\"alpha beta\"", "\"alpha beta gamma\"", "alpha NEAR beta", "alpha NEAR/0 beta", "alpha NEAR/3 beta",
      "alpha NEAR beta NEAR gamma", "a:alpha", "b:alpha OR a:omega", "(alpha OR beta) AND (gamma OR delta)",
      "(alpha OR beta) NOT (gamma OR delta)", "^alpha", "a:^fig", "edited", "edited NOT alpha", "zzz",
      "alpha beta gamma delta", "pi OR rho OR sigma NOT tau", "\"fig date\" OR \"date fig\"", "ap* ba*",
      0
    };
    for(i=0; aQ[i]; i++){
      char z[300];
      sqlite3_snprintf(sizeof(z), z, "SELECT count(*), sum(docid), min(docid), max(docid) FROM big WHERE big MATCH '%q'", aQ[i]);
      q(db, 0, z);
    }
  }
  q(db, 0, "SELECT docid, offsets(big) FROM big WHERE big MATCH 'alpha NEAR/2 beta' LIMIT 5");
  q(db, 0, "SELECT docid, snippet(big, '<', '>', '~', -1, 6) FROM big WHERE big MATCH 'omega fig' LIMIT 5");
  q(db, 0, "SELECT docid, hex(matchinfo(big, 'pcxnals')) FROM big WHERE big MATCH 'alpha beta' LIMIT 3");
  q(db, 0, "SELECT docid FROM big WHERE big MATCH 'gamma' AND docid BETWEEN 100 AND 140 ORDER BY docid DESC");
  q(db, 0, "INSERT INTO big(big) VALUES('integrity-check')");
  q(db, 0, "INSERT INTO big(big) VALUES('optimize')");
  q(db, 0, "SELECT level, idx, start_block, leaves_end_block, end_block, length(root) FROM big_segdir");
  q(db, 0, "SELECT count(*), sum(docid) FROM big WHERE big MATCH 'alpha OR omega'");
  q(db, 0, "INSERT INTO big(big) VALUES('integrity-check')");
}

static void more(sqlite3 *db){
  printf("-- porter\n");
  q(db, 0, "CREATE VIRTUAL TABLE pp USING fts4(tokenize=porter)");
  q(db, 0, "INSERT INTO pp VALUES('The connections were running quickly, generalizations abounded_here')");
  q(db, 0, "INSERT INTO pp VALUES('Connected runners generalize; hopping, hoped, relational agreed')");
  q(db, 0, "SELECT docid FROM pp WHERE pp MATCH 'connect run'");
  q(db, 0, "SELECT docid FROM pp WHERE pp MATCH 'general* relate agree hop'");
  q(db, 0, "SELECT docid, snippet(pp), offsets(pp) FROM pp WHERE pp MATCH 'quick* OR hopped'");
  q(db, 0, "SELECT hex(root) FROM pp_segdir");
  printf("-- content=\n");
  q(db, 0, "CREATE TABLE docs(id INTEGER PRIMARY KEY, title, body)");
  q(db, 0, "INSERT INTO docs VALUES(1, 'first doc', 'alpha beta'), (2, 'second doc', 'beta gamma'), (5, 'fifth', 'gamma delta')");
  q(db, 0, "CREATE VIRTUAL TABLE ft USING fts4(content=docs, title, body)");
  q(db, 0, "SELECT name, sql FROM sqlite_schema WHERE name LIKE 'ft%' ORDER BY rowid");
  q(db, 0, "INSERT INTO ft(ft) VALUES('rebuild')");
  q(db, 0, "SELECT docid, title FROM ft WHERE ft MATCH 'beta'");
  q(db, 0, "SELECT docid, snippet(ft), offsets(ft) FROM ft WHERE ft MATCH 'gamma'");
  q(db, 0, "SELECT * FROM ft");
  q(db, 0, "INSERT INTO ft(docid, title, body) VALUES(9, 'ghost', 'not in docs')");
  q(db, 0, "SELECT docid, title FROM ft WHERE ft MATCH 'ghost'");
  q(db, 0, "DELETE FROM ft WHERE docid = 1");
  q(db, 0, "SELECT docid FROM ft WHERE ft MATCH 'alpha OR beta'");
  q(db, 0, "INSERT INTO ft(title) VALUES('no docid')");
  q(db, 0, "UPDATE docs SET body = 'changed words' WHERE id = 2");
  q(db, 0, "INSERT INTO ft(ft) VALUES('rebuild')");
  q(db, 0, "SELECT docid FROM ft WHERE ft MATCH 'changed'");
  q(db, 0, "INSERT INTO ft(ft) VALUES('integrity-check')");
  q(db, 0, "SELECT level, idx, hex(root) FROM ft_segdir");
  q(db, 0, "SELECT hex(value) FROM ft_stat");
  printf("-- content=''\n");
  q(db, 0, "CREATE VIRTUAL TABLE cl USING fts4(content='', a, b)");
  q(db, 0, "SELECT name FROM sqlite_schema WHERE name LIKE 'cl%' ORDER BY rowid");
  q(db, 0, "INSERT INTO cl(docid, a, b) VALUES(1, 'hello world', 'x y')");
  q(db, 0, "INSERT INTO cl VALUES('no docid', 'z')");
  q(db, 0, "INSERT INTO cl(docid, a) VALUES(3, 'hello again')");
  q(db, 0, "SELECT docid FROM cl WHERE cl MATCH 'hello'");
  q(db, 0, "SELECT docid, a, b FROM cl WHERE cl MATCH 'hello'");
  q(db, 0, "SELECT * FROM cl");
  q(db, 0, "DELETE FROM cl WHERE docid = 1");
  q(db, 0, "INSERT INTO cl(cl) VALUES('rebuild')");
  q(db, 0, "INSERT INTO cl(cl) VALUES('integrity-check')");
  q(db, 0, "INSERT INTO cl(cl) VALUES('optimize')");
  q(db, 0, "SELECT level, idx, hex(root) FROM cl_segdir");
  q(db, 0, "SELECT docid, hex(size) FROM cl_docsize");
  q(db, 0, "SELECT hex(value) FROM cl_stat");
  /* SELECT * of it fails, so run.sh could not dump the file. */
  q(db, 0, "DROP TABLE cl");
  printf("-- languageid=\n");
  q(db, 0, "CREATE VIRTUAL TABLE l USING fts4(a, languageid=lid)");
  q(db, 0, "SELECT name, sql FROM sqlite_schema WHERE name LIKE 'l%' ORDER BY rowid");
  q(db, 0, "INSERT INTO l(a, lid) VALUES('hello world', 0)");
  q(db, 0, "INSERT INTO l(a, lid) VALUES('hello there', 1)");
  q(db, 0, "INSERT INTO l(a, lid) VALUES('bonjour hello', 2)");
  q(db, 0, "INSERT INTO l(a) VALUES('default hello')");
  q(db, 0, "INSERT INTO l(a, lid) VALUES('negative', -1)");
  q(db, 0, "SELECT docid, a, lid FROM l");
  q(db, 0, "SELECT docid FROM l WHERE l MATCH 'hello'");
  q(db, 0, "SELECT docid FROM l WHERE l MATCH 'hello' AND lid = 1");
  q(db, 0, "SELECT docid, snippet(l) FROM l WHERE l MATCH 'bonjour' AND lid = 2");
  q(db, 0, "SELECT level, idx, hex(root) FROM l_segdir");
  q(db, 0, "UPDATE l SET a = 'changed hello' WHERE docid = 2");
  q(db, 0, "DELETE FROM l WHERE docid = 3");
  q(db, 0, "INSERT INTO l(l) VALUES('integrity-check')");
  q(db, 0, "INSERT INTO l(l) VALUES('optimize')");
  q(db, 0, "SELECT level, idx, hex(root) FROM l_segdir");
  q(db, 0, "INSERT INTO l(l) VALUES('rebuild')");
  q(db, 0, "SELECT level, idx, hex(root) FROM l_segdir");
  q(db, 0, "SELECT docid FROM l WHERE l MATCH 'changed' AND lid = 1");
  printf("-- order=DESC\n");
  q(db, 0, "CREATE VIRTUAL TABLE od USING fts4(a, order=DESC, prefix='1')");
  q(db, 0, "INSERT INTO od VALUES('one alpha')");
  q(db, 0, "INSERT INTO od VALUES('two alpha beta')");
  q(db, 0, "INSERT INTO od(docid, a) VALUES(10, 'ten alpha')");
  exec(db, "BEGIN");
  q(db, 0, "INSERT INTO od VALUES('eleven beta')");
  q(db, 0, "INSERT INTO od VALUES('twelve alpha')");
  exec(db, "COMMIT");
  q(db, 0, "SELECT docid FROM od WHERE od MATCH 'alpha'");
  q(db, 0, "SELECT docid FROM od WHERE od MATCH 'alpha' ORDER BY docid");
  q(db, 0, "SELECT docid FROM od");
  q(db, 0, "SELECT docid FROM od WHERE od MATCH 'al* OR beta'");
  q(db, 0, "SELECT level, idx, hex(root) FROM od_segdir");
  q(db, 0, "DELETE FROM od WHERE docid = 2");
  q(db, 0, "UPDATE od SET a = 'ten changed' WHERE docid = 10");
  q(db, 0, "INSERT INTO od(od) VALUES('optimize')");
  q(db, 0, "SELECT level, idx, hex(root) FROM od_segdir");
  q(db, 0, "INSERT INTO od(od) VALUES('integrity-check')");
  q(db, 0, "SELECT docid, offsets(od) FROM od WHERE od MATCH 'alpha'");
  printf("-- undone statements and savepoints\n");
  q(db, 0, "CREATE VIRTUAL TABLE tx USING fts4(x)");
  q(db, 0, "CREATE TABLE src(id, v)");
  q(db, 0, "INSERT INTO src VALUES(5, 'five alpha'), (6, 'six alpha'), (1, 'dup alpha')");
  exec(db, "BEGIN");
  q(db, 0, "INSERT INTO tx(docid, x) VALUES(1, 'one alpha')");
  q(db, 0, "INSERT INTO tx(docid, x) VALUES(2, 'two beta')");
  q(db, 0, "INSERT INTO tx(docid, x) SELECT id, v FROM src");
  q(db, 0, "DELETE FROM tx WHERE docid = 2");
  q(db, 0, "INSERT INTO tx(docid, x) SELECT id+10, v FROM src");
  exec(db, "COMMIT");
  q(db, 0, "SELECT docid, x FROM tx");
  q(db, 0, "SELECT docid FROM tx WHERE tx MATCH 'alpha'");
  q(db, 0, "SELECT docid FROM tx WHERE tx MATCH 'beta OR five OR dup'");
  q(db, 0, "INSERT INTO tx(tx) VALUES('integrity-check')");
  exec(db, "BEGIN");
  q(db, 0, "INSERT INTO tx VALUES('in savepoint')");
  exec(db, "SAVEPOINT s1");
  q(db, 0, "INSERT INTO tx VALUES('rolled to')");
  exec(db, "ROLLBACK TO s1");
  exec(db, "RELEASE s1");
  exec(db, "COMMIT");
  q(db, 0, "SELECT docid, x FROM tx WHERE tx MATCH 'savepoint OR rolled'");
  q(db, 0, "INSERT INTO tx(tx) VALUES('integrity-check')");
  q(db, 0, "CREATE VIRTUAL TABLE tz USING fts4(x)");
  q(db, 0, "INSERT INTO tz(docid, x) VALUES(1, 'one')");
  exec(db, "BEGIN");
  q(db, 0, "INSERT INTO tz(docid, x) SELECT id, v FROM src");
  q(db, 0, "INSERT INTO tz(docid, x) VALUES(2, 'two alpha')");
  exec(db, "COMMIT");
  q(db, 0, "SELECT docid FROM tz WHERE tz MATCH 'alpha OR five OR six'");
  q(db, 0, "INSERT INTO tz(tz) VALUES('integrity-check')");
  q(db, 0, "DROP TABLE tz");
  /* SQLite also flushes before the INSERT ... SELECT statements, so the
  ** segments differ: only the contents are compared. */
  q(db, 0, "DROP TABLE tx");
}

int main(int argc, char **argv){
  sqlite3 *db;
  ferrolite_check_lib();
  if( argc<2 ){ printf("usage: fts DB\n"); return 1; }
  if( sqlite3_open(argv[1], &db)!=SQLITE_OK ){ printf("open failed\n"); return 1; }
  small(db);
  aux(db);
  errors(db);
  more(db);
  many(db);
  sqlite3_close(db);
  if( sqlite3_open(argv[1], &db)!=SQLITE_OK ){ printf("reopen failed\n"); return 1; }
  printf("-- reopened\n");
  q(db, 0, "SELECT docid, a FROM t ORDER BY docid");
  q(db, 0, "SELECT docid FROM big WHERE big MATCH 'alpha beta' ORDER BY docid LIMIT 10");
  q(db, 0, "PRAGMA integrity_check");
  q(db, 0, "ALTER TABLE t RENAME TO t2");
  q(db, 0, "SELECT name FROM sqlite_schema WHERE name LIKE 't%' ORDER BY name");
  q(db, 0, "SELECT docid FROM t2 WHERE t2 MATCH 'replaced'");
  q(db, 0, "DROP TABLE m3");
  q(db, 0, "SELECT name FROM sqlite_schema WHERE name LIKE 'm3%'");
  sqlite3_close(db);
  return 0;
}
