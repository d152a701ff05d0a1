/*
** FLDatabase.m: one SQLite connection in the style of FMDB's FMDatabase:
** opening and closing, the statement cache, binding Foundation objects,
** updates and queries, transactions and savepoints, busy handling, schema
** checks and WAL checkpoints. User functions live in FLDatabaseFunctions.m.
** See FLDatabase.h for the invariants.
*/
#import "FLDatabase.h"
#import "FLResultSet.h"
#import "FLStatement.h"
#include <stdarg.h>
#include <time.h>

@interface FLDatabase (Private)
- (int)busyRetryForCount:(int)count;
@end

/* The busy handler: the first call starts the clock; later calls sleep and
** retry until maxBusyRetryTimeInterval has passed since then (FMDB's rule,
** with a fixed 20 ms sleep instead of a random one). */
static int FLBusyHandler(void *arg, int count) {
  FLDatabase *self = (FLDatabase *)arg;
  return [self busyRetryForCount:count];
}

/* sqlite3_exec's row callback: each row as name -> text (NSNull for NULL). */
static int FLExecCallback(void *arg, int n, char **values, char **names) {
  NSMutableArray *rows = (NSMutableArray *)arg;
  NSMutableDictionary *row = [NSMutableDictionary dictionaryWithCapacity:n];
  int i;
  for (i = 0; i < n; i++) {
    id v = values[i] ? (id)[NSString stringWithUTF8String:values[i]] : (id)[NSNull null];
    [row setObject:v forKey:[NSString stringWithUTF8String:names[i]]];
  }
  [rows addObject:row];
  return 0;
}

@implementation FLDatabase

+ (instancetype)databaseWithPath:(NSString *)aPath {
  return [[[self alloc] initWithPath:aPath] autorelease];
}

- (instancetype)initWithPath:(NSString *)aPath {
  if ((self = [super init])) {
    path = [aPath copy];
    cachedStatements = [[NSMutableDictionary alloc] init];
    openResultSets = [[NSMutableSet alloc] init];
    functionBodies = [[NSMutableArray alloc] init];
    maxBusyRetryTimeInterval = 2.0;
    logsErrors = YES;
  }
  return self;
}

- (void)dealloc {
  [self close];
  [path release];
  [cachedStatements release];
  [openResultSets release];
  [functionBodies release];
  [openErrorMessage release];
  [super dealloc];
}

/* ---- opening and closing ---- */

- (const char *)sqlitePath {
  if (path == nil) {
    return ":memory:";
  }
  return [path fileSystemRepresentation];
}

- (BOOL)didOpen:(int)rc {
  if (rc != SQLITE_OK) {
    openErrorCode = rc;
    [openErrorMessage release];
    openErrorMessage = [[NSString alloc] initWithUTF8String:(db ? sqlite3_errmsg(db) : "out of memory")];
    if (logsErrors) {
      fprintf(stderr, "FLDatabase: cannot open %s: %d\n", [self sqlitePath], rc);
    }
    sqlite3_close(db);
    db = NULL;
    return NO;
  }
  openErrorCode = SQLITE_OK;
  if (maxBusyRetryTimeInterval > 0.0) {
    [self setMaxBusyRetryTimeInterval:maxBusyRetryTimeInterval];
  }
  return YES;
}

- (BOOL)open {
  if (db) {
    return YES;
  }
  return [self didOpen:sqlite3_open([self sqlitePath], &db)];
}

- (BOOL)openWithFlags:(int)flags {
  if (db) {
    return YES;
  }
  return [self didOpen:sqlite3_open_v2([self sqlitePath], &db, flags, NULL)];
}

- (void)closeOpenResultSets {
  NSArray *open = [openResultSets allObjects];
  NSEnumerator *e = [open objectEnumerator];
  NSValue *v;
  while ((v = [e nextObject])) {
    [(FLResultSet *)[v pointerValue] close];
  }
  [openResultSets removeAllObjects];
}

- (void)resultSetDidClose:(FLResultSet *)rs {
  [openResultSets removeObject:[NSValue valueWithPointer:rs]];
}

- (BOOL)close {
  int rc;
  BOOL triedFinalizing = NO;
  if (db == NULL) {
    return YES;
  }
  [self clearCachedStatements];
  [self closeOpenResultSets];
  for (;;) {
    rc = sqlite3_close(db);
    if ((rc == SQLITE_BUSY || rc == SQLITE_LOCKED) && !triedFinalizing) {
      /* A statement prepared outside the cache is still open: finalize
      ** every statement of the connection, then try again. */
      sqlite3_stmt *st;
      triedFinalizing = YES;
      while ((st = sqlite3_next_stmt(db, NULL)) != NULL) {
        sqlite3_finalize(st);
        finalizedOnClose++;
      }
      continue;
    }
    break;
  }
  if (rc != SQLITE_OK) {
    if (logsErrors) {
      fprintf(stderr, "FLDatabase: close failed: %d\n", rc);
    }
    return NO;
  }
  db = NULL;
  return YES;
}

- (BOOL)isOpen { return db != NULL; }
- (sqlite3 *)sqliteHandle { return db; }
- (NSString *)databasePath { return path; }

- (NSString *)databaseFilename {
  const char *f = db ? sqlite3_db_filename(db, "main") : NULL;
  return f ? [NSString stringWithUTF8String:f] : nil;
}

- (BOOL)goodConnection {
  if (db == NULL) {
    return NO;
  }
  FLResultSet *rs = [self executeQuery:@"select name from sqlite_master where type='table'"];
  if (rs) {
    [rs close];
    return YES;
  }
  return NO;
}

/* ---- settings and the statement cache ---- */

- (void)setShouldCacheStatements:(BOOL)flag {
  shouldCacheStatements = flag;
  if (!flag) {
    [self clearCachedStatements];
  }
}
- (BOOL)shouldCacheStatements { return shouldCacheStatements; }
- (void)setLogsErrors:(BOOL)flag { logsErrors = flag; }
- (void)setDateFormatISO:(BOOL)iso { dateFormat = iso ? 1 : 0; }
- (int)statementsPrepared { return statementsPrepared; }
- (int)cacheHits { return cacheHits; }
- (int)finalizedOnClose { return finalizedOnClose; }

- (NSUInteger)cachedStatementCount {
  NSUInteger n = 0;
  NSEnumerator *e = [cachedStatements objectEnumerator];
  NSArray *list;
  while ((list = [e nextObject])) {
    n += [list count];
  }
  return n;
}

- (void)clearCachedStatements {
  NSEnumerator *e = [cachedStatements objectEnumerator];
  NSArray *list;
  while ((list = [e nextObject])) {
    [list makeObjectsPerformSelector:@selector(close)];
  }
  [cachedStatements removeAllObjects];
}

- (int)openStatementCount {
  int n = 0;
  sqlite3_stmt *st = NULL;
  while ((st = sqlite3_next_stmt(db, st)) != NULL) {
    n++;
  }
  return n;
}

/* A statement for `sql`: a cached one not in use (reset), else a new one
** (added to the cache when caching). nil on a prepare error. */
- (FLStatement *)statementForQuery:(NSString *)sql {
  FLStatement *st = nil;
  if (shouldCacheStatements) {
    NSEnumerator *e = [[cachedStatements objectForKey:sql] objectEnumerator];
    FLStatement *candidate;
    while ((candidate = [e nextObject])) {
      if (![candidate inUse]) {
        st = candidate;
        break;
      }
    }
    if (st) {
      cacheHits++;
      [st reset];
      sqlite3_clear_bindings([st statement]);
      [st setUseCount:[st useCount] + 1];
      return st;
    }
  }
  sqlite3_stmt *raw = NULL;
  int rc = sqlite3_prepare_v2(db, [sql UTF8String], -1, &raw, NULL);
  if (rc != SQLITE_OK) {
    if (logsErrors) {
      fprintf(stderr, "FLDatabase: prepare failed (%d): %s\n", rc, sqlite3_errmsg(db));
    }
    sqlite3_finalize(raw);
    return nil;
  }
  statementsPrepared++;
  st = [[[FLStatement alloc] initWithStatement:raw query:sql] autorelease];
  [st setUseCount:1];
  if (shouldCacheStatements) {
    NSMutableArray *list = [cachedStatements objectForKey:sql];
    if (list == nil) {
      list = [NSMutableArray array];
      [cachedStatements setObject:list forKey:sql];
    }
    [list addObject:st];
    [st setCached:YES];
  }
  return st;
}

/* ---- binding ---- */

/* Binds one object; returns the sqlite3_bind_* code. */
- (int)bindObject:(id)obj toColumn:(int)idx inStatement:(sqlite3_stmt *)st {
  if (obj == nil || obj == [NSNull null]) {
    return sqlite3_bind_null(st, idx);
  } else if ([obj isKindOfClass:[NSData class]]) {
    const void *bytes = [obj bytes];
    if (bytes == NULL) {
      bytes = ""; /* an empty blob, not NULL */
    }
    return sqlite3_bind_blob(st, idx, bytes, (int)[obj length], SQLITE_TRANSIENT);
  } else if ([obj isKindOfClass:[NSDate class]]) {
    if (dateFormat == 1) {
      char buf[32];
      time_t t = (time_t)[obj timeIntervalSince1970];
      struct tm tm;
      gmtime_r(&t, &tm);
      strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
      return sqlite3_bind_text(st, idx, buf, -1, SQLITE_TRANSIENT);
    } else {
      return sqlite3_bind_double(st, idx, [obj timeIntervalSince1970]);
    }
  } else if ([obj isKindOfClass:[NSNumber class]]) {
    const char *type = [obj objCType];
    switch (type[0]) {
      case 'c': case 'C': case 'B':
        return sqlite3_bind_int(st, idx, [obj boolValue] ? 1 : 0);
      case 's': case 'S': case 'i':
        return sqlite3_bind_int(st, idx, [obj intValue]);
      case 'I': case 'l': case 'L': case 'q':
        return sqlite3_bind_int64(st, idx, [obj longLongValue]);
      case 'Q':
        return sqlite3_bind_int64(st, idx, (sqlite3_int64)[obj unsignedLongLongValue]);
      case 'f': case 'd':
        return sqlite3_bind_double(st, idx, [obj doubleValue]);
      default:
        return sqlite3_bind_text(st, idx, [[obj description] UTF8String], -1, SQLITE_TRANSIENT);
    }
  } else {
    return sqlite3_bind_text(st, idx, [[obj description] UTF8String], -1, SQLITE_TRANSIENT);
  }
}

/* Binds the arguments of one form (array, dictionary or va_list) to `st`;
** NO when a bind fails or their count does not match. */
- (BOOL)bindStatement:(sqlite3_stmt *)st array:(NSArray *)array
           dictionary:(NSDictionary *)dict vaList:(va_list *)args {
  int count = sqlite3_bind_parameter_count(st);
  int bound = 0;
  if (dict) {
    NSEnumerator *e = [dict keyEnumerator];
    NSString *key;
    while ((key = [e nextObject])) {
      NSString *name = [@":" stringByAppendingString:key];
      int idx = sqlite3_bind_parameter_index(st, [name UTF8String]);
      if (idx > 0) {
        if ([self bindObject:[dict objectForKey:key] toColumn:idx inStatement:st] != SQLITE_OK) {
          return NO;
        }
        bound++;
      } else if (logsErrors) {
        fprintf(stderr, "FLDatabase: no parameter %s\n", [name UTF8String]);
      }
    }
  } else {
    int i;
    for (i = 1; i <= count; i++) {
      id obj;
      if (array) {
        if ((NSUInteger)(i - 1) >= [array count]) {
          break;
        }
        obj = [array objectAtIndex:(NSUInteger)(i - 1)];
      } else {
        obj = va_arg(*args, id);
      }
      if ([self bindObject:obj toColumn:i inStatement:st] != SQLITE_OK) {
        return NO; /* the connection holds the error (SQLITE_TOOBIG, SQLITE_RANGE...) */
      }
      bound++;
    }
    if (array && [array count] != (NSUInteger)count) {
      bound = -1;
    }
  }
  if (bound != count) {
    if (logsErrors) {
      fprintf(stderr, "FLDatabase: the bind count is not correct for the # of variables\n");
    }
    return NO;
  }
  return YES;
}

/* ---- updates and queries ---- */

- (FLResultSet *)executeQuery:(NSString *)sql array:(NSArray *)array
                   dictionary:(NSDictionary *)dict vaList:(va_list *)args {
  if (db == NULL) {
    return nil;
  }
  FLStatement *st = [self statementForQuery:sql];
  if (st == nil) {
    return nil;
  }
  if (![self bindStatement:[st statement] array:array dictionary:dict vaList:args]) {
    [st cached] ? [st reset] : [st close];
    return nil;
  }
  FLResultSet *rs = [FLResultSet resultSetWithStatement:st usingParentDatabase:self];
  [openResultSets addObject:[NSValue valueWithPointer:rs]];
  return rs;
}

- (FLResultSet *)executeQuery:(NSString *)sql, ... {
  va_list args;
  va_start(args, sql);
  FLResultSet *rs = [self executeQuery:sql array:nil dictionary:nil vaList:&args];
  va_end(args);
  return rs;
}

- (FLResultSet *)executeQuery:(NSString *)sql withArgumentsInArray:(NSArray *)args {
  return [self executeQuery:sql array:args dictionary:nil vaList:NULL];
}

- (FLResultSet *)executeQuery:(NSString *)sql withParameterDictionary:(NSDictionary *)args {
  return [self executeQuery:sql array:nil dictionary:args vaList:NULL];
}

- (BOOL)executeUpdate:(NSString *)sql array:(NSArray *)array
           dictionary:(NSDictionary *)dict vaList:(va_list *)args {
  if (db == NULL) {
    return NO;
  }
  FLStatement *st = [self statementForQuery:sql];
  if (st == nil) {
    return NO;
  }
  if (![self bindStatement:[st statement] array:array dictionary:dict vaList:args]) {
    [st cached] ? [st reset] : [st close];
    return NO;
  }
  int rc = sqlite3_step([st statement]);
  if (rc == SQLITE_ROW && logsErrors) {
    fprintf(stderr, "FLDatabase: executeUpdate called with a query: %s\n", [sql UTF8String]);
  } else if (rc != SQLITE_DONE && logsErrors) {
    fprintf(stderr, "FLDatabase: step failed (%d): %s\n", rc, sqlite3_errmsg(db));
  }
  /* sqlite3_reset repeats the step's error; errcode/errmsg keep it. */
  [st cached] ? [st reset] : [st close];
  return rc == SQLITE_DONE;
}

- (BOOL)executeUpdate:(NSString *)sql, ... {
  va_list args;
  va_start(args, sql);
  BOOL ok = [self executeUpdate:sql array:nil dictionary:nil vaList:&args];
  va_end(args);
  return ok;
}

- (BOOL)executeUpdate:(NSString *)sql withArgumentsInArray:(NSArray *)args {
  return [self executeUpdate:sql array:args dictionary:nil vaList:NULL];
}

- (BOOL)executeUpdate:(NSString *)sql withParameterDictionary:(NSDictionary *)args {
  return [self executeUpdate:sql array:nil dictionary:args vaList:NULL];
}

- (BOOL)executeStatements:(NSString *)sql rows:(NSMutableArray *)rows {
  char *err = NULL;
  int rc = sqlite3_exec(db, [sql UTF8String], rows ? FLExecCallback : NULL, rows, &err);
  if (err) {
    if (logsErrors) {
      fprintf(stderr, "FLDatabase: exec failed (%d): %s\n", rc, err);
    }
    sqlite3_free(err);
  }
  return rc == SQLITE_OK;
}

/* ---- connection state ---- */

- (sqlite3_int64)lastInsertRowId { return sqlite3_last_insert_rowid(db); }
- (int)changes { return sqlite3_changes(db); }
- (int)totalChanges { return sqlite3_total_changes(db); }
- (int)lastErrorCode { return db ? sqlite3_errcode(db) : openErrorCode; }
- (int)lastExtendedErrorCode { return db ? sqlite3_extended_errcode(db) : openErrorCode; }

- (NSString *)lastErrorMessage {
  if (db == NULL) {
    return openErrorMessage;
  }
  return [NSString stringWithUTF8String:sqlite3_errmsg(db)];
}

- (BOOL)hadError {
  int code = [self lastErrorCode];
  return code > SQLITE_OK && code < SQLITE_ROW;
}

- (NSError *)lastError {
  NSDictionary *info = [NSDictionary dictionaryWithObject:[self lastErrorMessage]
                                                   forKey:NSLocalizedDescriptionKey];
  return [NSError errorWithDomain:@"FLDatabase" code:[self lastErrorCode] userInfo:info];
}

- (void)interrupt {
  if (db) {
    sqlite3_interrupt(db);
  }
}

- (int)limit:(int)which value:(int)newValue { return sqlite3_limit(db, which, newValue); }

/* ---- transactions and savepoints ---- */

- (BOOL)beginTransaction { return [self beginExclusiveTransaction]; }
- (BOOL)beginDeferredTransaction { return [self executeUpdate:@"begin deferred transaction"]; }
- (BOOL)beginImmediateTransaction { return [self executeUpdate:@"begin immediate transaction"]; }
- (BOOL)beginExclusiveTransaction { return [self executeUpdate:@"begin exclusive transaction"]; }
- (BOOL)commit { return [self executeUpdate:@"commit transaction"]; }
- (BOOL)rollback { return [self executeUpdate:@"rollback transaction"]; }
- (BOOL)isInTransaction { return db != NULL && !sqlite3_get_autocommit(db); }

static NSString *FLQuoted(NSString *name) {
  return [name stringByReplacingOccurrencesOfString:@"'" withString:@"''"];
}

- (BOOL)savePointCommand:(NSString *)sql error:(NSError **)err {
  BOOL ok = [self executeUpdate:sql];
  if (!ok && err) {
    *err = [self lastError];
  }
  return ok;
}

- (BOOL)startSavePointWithName:(NSString *)name error:(NSError **)err {
  return [self savePointCommand:[NSString stringWithFormat:@"savepoint '%@';", FLQuoted(name)] error:err];
}

- (BOOL)releaseSavePointWithName:(NSString *)name error:(NSError **)err {
  return [self savePointCommand:[NSString stringWithFormat:@"release savepoint '%@';", FLQuoted(name)] error:err];
}

- (BOOL)rollbackToSavePointWithName:(NSString *)name error:(NSError **)err {
  return [self savePointCommand:[NSString stringWithFormat:@"rollback transaction to savepoint '%@';", FLQuoted(name)] error:err];
}

- (NSError *)inSavePoint:(id<FLDatabaseTask>)task {
  static unsigned long savePointIndex = 0;
  NSString *name = [NSString stringWithFormat:@"savePoint%lu", savePointIndex++];
  NSError *err = nil;
  BOOL shouldRollback = NO;
  if (![self startSavePointWithName:name error:&err]) {
    return err;
  }
  [task runWithDatabase:self rollback:&shouldRollback];
  if (shouldRollback) {
    [self rollbackToSavePointWithName:name error:&err];
  }
  [self releaseSavePointWithName:name error:&err];
  return err;
}

/* ---- busy handling ---- */

- (int)busyRetryForCount:(int)count {
  NSTimeInterval now = [NSDate timeIntervalSinceReferenceDate];
  if (count == 0) {
    busyStartTime = now;
    busyRetries++;
    [busyObserver database:self busyRetry:count];
    return 1;
  }
  if (now - busyStartTime < maxBusyRetryTimeInterval) {
    busyRetries++;
    [busyObserver database:self busyRetry:count];
    int slept = sqlite3_sleep(20);
    if (slept != 20 && logsErrors) {
      fprintf(stderr, "FLDatabase: sqlite3_sleep(20) returned %d\n", slept);
    }
    return 1;
  }
  return 0;
}

- (void)setMaxBusyRetryTimeInterval:(NSTimeInterval)timeout {
  maxBusyRetryTimeInterval = timeout;
  if (db == NULL) {
    return;
  }
  if (timeout > 0.0) {
    sqlite3_busy_handler(db, FLBusyHandler, (void *)self);
  } else {
    sqlite3_busy_handler(db, NULL, NULL);
  }
}

- (NSTimeInterval)maxBusyRetryTimeInterval { return maxBusyRetryTimeInterval; }

- (BOOL)setBusyTimeoutMilliseconds:(int)ms {
  maxBusyRetryTimeInterval = 0.0; /* sqlite3_busy_timeout replaces the handler */
  return sqlite3_busy_timeout(db, ms) == SQLITE_OK;
}

- (void)setBusyObserver:(id<FLBusyObserver>)observer { busyObserver = observer; }
- (int)busyRetries { return busyRetries; }

/* ---- schema checks ---- */

- (BOOL)tableExists:(NSString *)table {
  FLResultSet *rs = [self executeQuery:@"select [sql] from sqlite_master where [type] = 'table' and lower(name) = ?",
                                       [table lowercaseString]];
  BOOL found = [rs next];
  [rs close];
  return found;
}

- (FLResultSet *)getSchema {
  return [self executeQuery:@"SELECT type, name, tbl_name, sql FROM "
                            @"(SELECT * FROM sqlite_master UNION ALL SELECT * FROM sqlite_temp_master) "
                            @"WHERE type != 'meta' AND name NOT LIKE 'sqlite_%' ORDER BY tbl_name, type DESC, name"];
}

- (FLResultSet *)getTableSchema:(NSString *)table {
  return [self executeQuery:[NSString stringWithFormat:@"pragma table_info('%@')", FLQuoted(table)]];
}

- (BOOL)columnExists:(NSString *)column inTableWithName:(NSString *)table {
  BOOL found = NO;
  FLResultSet *rs = [self getTableSchema:[table lowercaseString]];
  while ([rs next]) {
    if ([[[rs stringForColumn:@"name"] lowercaseString] isEqualToString:[column lowercaseString]]) {
      found = YES;
      [rs close];
      break;
    }
  }
  return found;
}

/* ---- WAL checkpoints ---- */

- (BOOL)checkpoint {
  return sqlite3_wal_checkpoint(db, NULL) == SQLITE_OK;
}

- (BOOL)checkpoint:(int)mode name:(NSString *)dbName
     logFrameCount:(int *)log checkpointCount:(int *)ckpt error:(NSError **)err {
  int rc = sqlite3_wal_checkpoint_v2(db, dbName ? [dbName UTF8String] : NULL, mode, log, ckpt);
  if (rc != SQLITE_OK) {
    if (err) {
      *err = [self lastError];
    }
    return NO;
  }
  return YES;
}

/* ---- dates ---- */

- (NSDate *)dateFromValueOfStatement:(sqlite3_stmt *)st column:(int)i {
  if (dateFormat == 1) {
    const char *t = (const char *)sqlite3_column_text(st, i);
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    if (t == NULL || sscanf(t, "%d-%d-%d %d:%d:%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                            &tm.tm_hour, &tm.tm_min, &tm.tm_sec) != 6) {
      return nil;
    }
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    return [NSDate dateWithTimeIntervalSince1970:(NSTimeInterval)timegm(&tm)];
  }
  return [NSDate dateWithTimeIntervalSince1970:sqlite3_column_double(st, i)];
}

/* ---- library facts ---- */

+ (NSString *)sqliteLibVersion { return [NSString stringWithUTF8String:sqlite3_libversion()]; }
+ (BOOL)isSQLiteThreadSafe { return sqlite3_threadsafe() != 0; }

@end
