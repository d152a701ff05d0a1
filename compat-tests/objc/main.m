/*
** main.m: Ferrolite's Objective-C compatibility client. Uses the FMDB-style
** library of this directory (FLDatabase, FLResultSet, FLStatement,
** FLDatabaseQueue) the way an iOS/macOS application uses FMDB, and prints
** what it sees. run.sh runs it once on Ferrolite and once on SQLite and
** compares the outputs, which must be identical.
**
**   objc-client DIR      (DIR: an empty directory for the database files)
**
** The first thing it does is check which libsqlite3 it runs on (harness.h
** and dladdr against FERROLITE_EXPECT_LIB); it exits 1 when anything
** unexpected happened (each is printed as "UNEXPECTED: ..."), 2 when the
** wrong library is loaded.
*/
#define _GNU_SOURCE 1 /* dladdr */
#import "Support.h"
#include "harness.h"
#include <dlfcn.h>
#include <string.h>

/* ---- the user functions ---- */

@interface FunctionBodies : NSObject <FLFunctionBody>
@end

@implementation FunctionBodies
- (void)database:(FLDatabase *)db function:(NSString *)name
         context:(sqlite3_context *)c argc:(int)argc argv:(sqlite3_value **)argv {
  if ([name isEqualToString:@"fl_upper"]) {
    NSString *s = [db valueString:argv[0]];
    s ? [db resultString:[s uppercaseString] context:c] : [db resultNullInContext:c];
  } else if ([name isEqualToString:@"fl_add"]) {
    [db resultLong:[db valueLong:argv[0]] + [db valueLong:argv[1]] context:c];
  } else if ([name isEqualToString:@"fl_twice"]) {
    [db resultInt:[db valueInt:argv[0]] * 2 context:c];
  } else if ([name isEqualToString:@"fl_half"]) {
    [db resultDouble:[db valueDouble:argv[0]] / 2.0 context:c];
  } else if ([name isEqualToString:@"fl_reverse"]) {
    NSData *d = [db valueData:argv[0]];
    NSMutableData *r = [NSMutableData dataWithLength:[d length]];
    const unsigned char *in = [d bytes];
    unsigned char *o = [r mutableBytes];
    NSUInteger i, n = [d length];
    for (i = 0; i < n; i++) {
      o[i] = in[n - 1 - i];
    }
    [db resultData:r context:c];
  } else if ([name isEqualToString:@"fl_null"]) {
    [db resultNullInContext:c];
  } else if ([name isEqualToString:@"fl_types"]) {
    NSMutableArray *t = [NSMutableArray array];
    int i;
    for (i = 0; i < argc; i++) {
      [t addObject:[NSString stringWithFormat:@"%@/%d", typeName([db valueType:argv[i]]),
                                              sqlite3_value_bytes(argv[i])]];
    }
    [db resultString:[t componentsJoinedByString:@","] context:c];
  } else if ([name isEqualToString:@"fl_fail"]) {
    [db resultError:[NSString stringWithFormat:@"fl_fail says %@", [db valueString:argv[0]]] context:c];
  } else if ([name isEqualToString:@"fl_constraint"]) {
    [db resultError:@"fl_constraint refused" context:c];
    [db resultErrorCode:SQLITE_CONSTRAINT context:c];
  } else if ([name isEqualToString:@"fl_nomem"]) {
    [db resultErrorNoMemoryInContext:c];
  } else if ([name isEqualToString:@"fl_toobig"]) {
    [db resultErrorTooBigInContext:c];
  } else if ([name isEqualToString:@"fl_v2"]) {
    [db resultString:@"first definition" context:c];
  } else if ([name isEqualToString:@"fl_v2b"]) {
    [db resultString:@"second definition" context:c];
  } else {
    [db resultError:@"unknown function body" context:c];
  }
}
@end

/* A body registered under fl_v2 the second time (answers differently). */
@interface SecondBody : NSObject <FLFunctionBody>
@end
@implementation SecondBody
- (void)database:(FLDatabase *)db function:(NSString *)name
         context:(sqlite3_context *)c argc:(int)argc argv:(sqlite3_value **)argv {
  [db resultString:[NSString stringWithFormat:@"second definition of %@", name] context:c];
}
@end

/* A savepoint body: inserts `value`, then asks for a rollback if told to. */
@interface SavePointTask : NSObject <FLDatabaseTask> {
@public
  NSString *value;
  BOOL rollBack;
  BOOL inserted;
}
@end
@implementation SavePointTask
- (void)runWithDatabase:(FLDatabase *)db rollback:(BOOL *)rollback {
  inserted = [db executeUpdate:@"insert into sp(v) values (?)", value];
  *rollback = rollBack;
}
@end

/* ---- helpers ---- */

static NSString *errorLine(FLDatabase *db) {
  return [NSString stringWithFormat:@"errcode=%d extended=%d errmsg='%@'",
                                    [db lastErrorCode], [db lastExtendedErrorCode], [db lastErrorMessage]];
}

static long long scalar(FLDatabase *db, NSString *sql) {
  FLResultSet *rs = [db executeQuery:sql];
  long long v = -1;
  if ([rs next]) {
    v = [rs longLongIntForColumnIndex:0];
  }
  [rs close];
  return v;
}

/* The check of which library this process runs on: /proc/self/maps
** (harness.h) and the file dladdr names for sqlite3_libversion. */
static void checkLibrary(void) {
  Dl_info info;
  char got[PATH_MAX], want[PATH_MAX];
  ferrolite_check_lib();
  if (dladdr((void *)sqlite3_libversion, &info) == 0 || info.dli_fname == NULL
      || realpath(info.dli_fname, got) == NULL
      || realpath(getenv("FERROLITE_EXPECT_LIB"), want) == NULL || strcmp(got, want) != 0) {
    fprintf(stderr, "objc-client: sqlite3_libversion is not from FERROLITE_EXPECT_LIB\n");
    exit(2);
  }
}

/* ---- sections ---- */

static void testLibrary(void) {
  say(@"== library");
  say(@"libversion: %@ (number %d, header %s)", [FLDatabase sqliteLibVersion],
      sqlite3_libversion_number(), SQLITE_VERSION);
  say(@"threadsafe: %d (isSQLiteThreadSafe %d)", sqlite3_threadsafe(), [FLDatabase isSQLiteThreadSafe]);
  int y, mo, d, h, mi, s;
  const char *src = sqlite3_sourceid();
  say(@"sourceid starts with a date and time: %d",
      src && sscanf(src, "%d-%d-%d %d:%d:%d", &y, &mo, &d, &h, &mi, &s) == 6);
}

static void testOpen(NSString *dir) {
  say(@"== open");
  FLDatabase *ro = [FLDatabase databaseWithPath:[dir stringByAppendingPathComponent:@"missing.db"]];
  [ro setLogsErrors:NO];
  BOOL ok = [ro openWithFlags:SQLITE_OPEN_READONLY];
  say(@"open_v2 READONLY on a missing file: %d, %@", ok, errorLine(ro));
  expect(!ok, @"opening a missing file read-only succeeded");

  FLDatabase *mem = [FLDatabase databaseWithPath:nil];
  expect([mem open], @"sqlite3_open(:memory:)");
  say(@"memory database: open %d, filename '%@', goodConnection %d", [mem isOpen],
      [mem databaseFilename], [mem goodConnection]);
  [mem close];
  say(@"after close: open %d, goodConnection %d", [mem isOpen], [mem goodConnection]);

  NSString *p = [dir stringByAppendingPathComponent:@"open.db"];
  FLDatabase *f = [FLDatabase databaseWithPath:p];
  expect([f openWithFlags:SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE], @"open_v2 READWRITE|CREATE");
  char want[PATH_MAX], got[PATH_MAX];
  BOOL same = realpath([dir fileSystemRepresentation], want) != NULL
              && realpath([[[f databaseFilename] stringByDeletingLastPathComponent] fileSystemRepresentation], got) != NULL
              && strcmp(want, got) == 0;
  say(@"db_filename: directory is DIR %d, name '%@'", same, [[f databaseFilename] lastPathComponent]);
  [f close];
}

static void createItems(FLDatabase *db) {
  expect([db executeUpdate:@"create table items(id integer primary key, name text not null unique, "
                           @"n int, r real, b blob, flag boolean, d date, note)"],
         @"create table items");
}

static void testBindAndRead(FLDatabase *db) {
  say(@"== bind and read");
  createItems(db);
  unsigned char bytes[] = {0, 1, 2, 0xfe, 0xff};
  NSData *blob = [NSData dataWithBytes:bytes length:sizeof bytes];
  NSDate *date = [NSDate dateWithTimeIntervalSince1970:1700000000.5];

  BOOL ok = [db executeUpdate:@"insert into items(name, n, r, b, flag, d, note) values (?, ?, ?, ?, ?, ?, ?)",
                              @"ada", [NSNumber numberWithInt:42], [NSNumber numberWithDouble:3.25], blob,
                              [NSNumber numberWithBool:YES], date, [NSNull null]];
  say(@"variadic insert: %d rowid %lld changes %d total %d", ok, [db lastInsertRowId], [db changes], [db totalChanges]);
  ok = [db executeUpdate:@"insert into items(name, n, r, b, flag, d, note) values (?, ?, ?, ?, ?, ?, ?)"
        withArgumentsInArray:[NSArray arrayWithObjects:@"caf\u00e9 \u2615", [NSNumber numberWithLongLong:9007199254740993LL],
                                                       [NSNumber numberWithDouble:-0.1], [NSData data],
                                                       [NSNumber numberWithBool:NO], [NSNull null], @"12.5", nil]];
  say(@"array insert: %d rowid %lld changes %d total %d", ok, [db lastInsertRowId], [db changes], [db totalChanges]);
  NSMutableDictionary *named = [NSMutableDictionary dictionary];
  [named setObject:@"grace" forKey:@"name"];
  [named setObject:[NSNumber numberWithLongLong:-5] forKey:@"n"];
  [named setObject:[NSNumber numberWithFloat:0.5f] forKey:@"r"];
  [named setObject:[NSNull null] forKey:@"b"];
  [named setObject:[NSNumber numberWithUnsignedInt:4000000000U] forKey:@"note"];
  ok = [db executeUpdate:@"insert into items(name, n, r, b, note) values (:name, :n, :r, :b, :note)"
        withParameterDictionary:named];
  say(@"dictionary insert: %d rowid %lld changes %d total %d", ok, [db lastInsertRowId], [db changes], [db totalChanges]);
  ok = [db executeUpdate:@"update items set note = coalesce(note, 'none') where id > ?", [NSNumber numberWithInt:0]];
  say(@"update: %d changes %d total %d", ok, [db changes], [db totalChanges]);

  FLResultSet *rs = [db executeQuery:@"select id, name, n, r, b, flag, d, note, n * 2 as twice, "
                                     @"typeof(note) from items order by id"];
  int i, cols = [rs columnCount];
  NSMutableArray *names = [NSMutableArray array], *decls = [NSMutableArray array];
  for (i = 0; i < cols; i++) {
    [names addObject:[rs columnNameForIndex:i]];
    NSString *dt = [rs columnDeclTypeForIndex:i];
    [decls addObject:dt ? dt : @"-"];
  }
  say(@"columns %d: %@", cols, [names componentsJoinedByString:@","]);
  say(@"decltypes: %@", [decls componentsJoinedByString:@","]);
  say(@"index of NAME %d, of Twice %d, of missing %d", [rs columnIndexForName:@"NAME"],
      [rs columnIndexForName:@"Twice"], [rs columnIndexForName:@"missing"]);
  while ([rs next]) {
    NSMutableArray *types = [NSMutableArray array], *objs = [NSMutableArray array];
    for (i = 0; i < cols; i++) {
      [types addObject:typeName([rs columnTypeForIndex:i])];
      [objs addObject:show([rs objectForColumnIndex:i])];
    }
    say(@"row %lld (data_count %d): %@", [rs longLongIntForColumn:@"id"], [rs dataCount],
        [objs componentsJoinedByString:@" | "]);
    say(@"  types: %@", [types componentsJoinedByString:@","]);
    /* The typed reads above come first: after a conversion (text of a
    ** number or blob) sqlite3_column_type is undefined. */
    NSDictionary *dict = [rs resultDictionary];
    NSArray *keys = [[dict allKeys] sortedArrayUsingSelector:@selector(compare:)];
    NSMutableArray *pairs = [NSMutableArray array];
    NSEnumerator *e = [keys objectEnumerator];
    NSString *k;
    while ((k = [e nextObject])) {
      [pairs addObject:[NSString stringWithFormat:@"%@=%@", k, show([dict objectForKey:k])]];
    }
    say(@"  resultDictionary: %@", [pairs componentsJoinedByString:@" "]);
    say(@"  b null %d, note null %d, missing null %d", [rs columnIsNull:@"b"], [rs columnIsNull:@"note"],
        [rs columnIsNull:@"missing"]);
    say(@"  stringForColumn name %@, intForColumn n %d, longLong n %lld, double r %.17g, bool flag %d",
        show([rs stringForColumn:@"name"]), [rs intForColumn:@"n"], [rs longLongIntForColumn:@"n"],
        [rs doubleForColumn:@"r"], [rs boolForColumn:@"flag"]);
    say(@"  by index: string 2 %@, int 3 %d, double 1 %.17g, string 4 %@",
        show([rs stringForColumnIndex:2]), [rs intForColumnIndex:3], [rs doubleForColumnIndex:1],
        show([rs stringForColumnIndex:4]));
    NSData *copy = [rs dataForColumn:@"b"], *nocopy = [rs dataNoCopyForColumn:@"b"];
    say(@"  data b %@ nocopy %@ equal %d, data of name %@", show(copy), show(nocopy),
        (copy == nil && nocopy == nil) || [copy isEqualToData:nocopy], show([rs dataForColumnIndex:1]));
    NSDate *back = [rs dateForColumn:@"d"];
    say(@"  date %@, objectForColumn note %@", back ? [NSString stringWithFormat:@"%.3f", [back timeIntervalSince1970]] : @"nil",
        show([rs objectForColumn:@"note"]));
  }
  say(@"end of rows: last step %d, hasAnotherRow %d", [rs lastStepCode], [rs hasAnotherRow]);

  [db setDateFormatISO:YES];
  [db executeUpdate:@"update items set d = ? where name = 'grace'", date];
  rs = [db executeQuery:@"select d, typeof(d) from items where name = 'grace'"];
  if ([rs next]) {
    say(@"ISO date stored %@ (%@), read back %.0f", show([rs stringForColumnIndex:0]),
        [rs stringForColumnIndex:1], [[rs dateForColumn:@"d"] timeIntervalSince1970]);
  }
  [rs close];
  [db setDateFormatISO:NO];

  /* Text and blobs round trip with embedded zero bytes and odd characters. */
  NSString *odd = @"tab\there 'quote' \"dq\" \u00fc\u00df\u4e2d";
  rs = [db executeQuery:@"select ?, length(?), hex(?), ? is null, quote(?)", odd, odd, blob, nil, blob];
  if ([rs next]) {
    say(@"round trip %@ length %d hex %@ null %d quote %@", show([rs stringForColumnIndex:0]),
        [rs intForColumnIndex:1], [rs stringForColumnIndex:2], [rs intForColumnIndex:3],
        [rs stringForColumnIndex:4]);
  }
  [rs close];
  rs = [db executeQuery:@"select 9223372036854775807, -9223372036854775808, 1e308 * 10, 0.1 + 0.2, 'x' || 1.0"];
  if ([rs next]) {
    say(@"extremes %lld %lld %.17g %.17g %@", [rs longLongIntForColumnIndex:0], [rs longLongIntForColumnIndex:1],
        [rs doubleForColumnIndex:2], [rs doubleForColumnIndex:3], [rs stringForColumnIndex:4]);
  }
  [rs close];
}

static void testCache(FLDatabase *db) {
  say(@"== statement cache");
  [db setShouldCacheStatements:YES];
  int p0 = [db statementsPrepared], h0 = [db cacheHits];
  int i;
  for (i = 0; i < 3; i++) {
    FLResultSet *rs = [db executeQuery:@"select count(*) from items where n > ?", [NSNumber numberWithInt:i - 10]];
    [rs next];
    say(@"pass %d: count %d", i, [rs intForColumnIndex:0]);
    [rs close];
  }
  say(@"three runs: prepared %d, cache hits %d, cached %lu", [db statementsPrepared] - p0,
      [db cacheHits] - h0, (unsigned long)[db cachedStatementCount]);
  FLResultSet *a = [db executeQuery:@"select name from items order by id"];
  FLResultSet *b = [db executeQuery:@"select name from items order by id"];
  [a next];
  [a next];
  [b next];
  say(@"two open result sets of one query: a at %@, b at %@, open statements %d, cached %lu",
      show([a stringForColumnIndex:0]), show([b stringForColumnIndex:0]), [db openStatementCount],
      (unsigned long)[db cachedStatementCount]);
  [a close];
  [b close];
  for (i = 0; i < 2; i++) {
    [db executeUpdate:@"update items set n = n + ? where name = 'ada'", [NSNumber numberWithInt:1]];
  }
  say(@"after updates: n %lld, prepared %d, hits %d", scalar(db, @"select n from items where name = 'ada'"),
      [db statementsPrepared] - p0, [db cacheHits] - h0);
  [db clearCachedStatements];
  say(@"cleared: cached %lu, open statements %d", (unsigned long)[db cachedStatementCount], [db openStatementCount]);
  [db setShouldCacheStatements:NO];
}

static void testErrors(FLDatabase *db) {
  say(@"== errors");
  [db setLogsErrors:NO];
  BOOL ok = [db executeUpdate:@"insert into nosuch values (1)"];
  say(@"no such table: %d hadError %d %@", ok, [db hadError], errorLine(db));
  ok = [db executeUpdate:@"selec 1"];
  say(@"syntax: %d %@", ok, errorLine(db));
  ok = [db executeUpdate:@"insert into items(name) values (?)", @"ada"];
  say(@"unique: %d %@", ok, errorLine(db));
  ok = [db executeUpdate:@"insert into items(name) values (?)", nil];
  say(@"not null: %d %@", ok, errorLine(db));
  ok = [db executeUpdate:@"insert into items(name) values (?)" withArgumentsInArray:[NSArray array]];
  say(@"bind count mismatch refused: %d", !ok);
  ok = [db executeUpdate:@"select 1"];
  say(@"executeUpdate with a query: %d", ok);
  ok = [db executeUpdate:@"select 1"];
  say(@"after success: hadError %d %@", [db hadError], errorLine(db));
  FLResultSet *rs = [db executeQuery:@"select abs(-9223372036854775808)"];
  NSError *err = nil;
  BOOL row = [rs nextWithError:&err];
  say(@"step error: row %d, last step %d, NSError code %ld '%@', %@", row, [rs lastStepCode],
      (long)[err code], [err localizedDescription], errorLine(db));
  NSError *lastErr = [db lastError];
  say(@"lastError: domain %@ code %ld", [lastErr domain], (long)[lastErr code]);

  NSMutableArray *rows = [NSMutableArray array];
  ok = [db executeStatements:@"create table ex(a, b); insert into ex values (1, 'one'); "
                             @"insert into ex values (2, null); select a, b from ex order by a; select count(*) as c from ex"
                        rows:rows];
  NSMutableArray *lines = [NSMutableArray array];
  NSEnumerator *e = [rows objectEnumerator];
  NSDictionary *r;
  while ((r = [e nextObject])) {
    NSArray *keys = [[r allKeys] sortedArrayUsingSelector:@selector(compare:)];
    NSMutableArray *kv = [NSMutableArray array];
    NSEnumerator *ke = [keys objectEnumerator];
    NSString *k;
    while ((k = [ke nextObject])) {
      [kv addObject:[NSString stringWithFormat:@"%@=%@", k, show([r objectForKey:k])]];
    }
    [lines addObject:[kv componentsJoinedByString:@","]];
  }
  say(@"exec: %d rows [%@] changes %d", ok, [lines componentsJoinedByString:@"; "], [db changes]);
  ok = [db executeStatements:@"insert into ex values (3, 'three'); insert into nosuch values (1); insert into ex values (4, 'four')"
                        rows:nil];
  NSString *line = errorLine(db);
  say(@"exec error: %d %@, rows now %lld", ok, line, scalar(db, @"select count(*) from ex"));
  [db setLogsErrors:YES];
}

static void testTransactions(FLDatabase *db) {
  say(@"== transactions");
  [db setLogsErrors:NO];
  [db executeUpdate:@"create table sp(v text)"];
  BOOL ok = [db beginDeferredTransaction];
  [db executeUpdate:@"insert into sp values ('deferred')"];
  say(@"deferred begin %d, in transaction %d", ok, [db isInTransaction]);
  ok = [db rollback];
  say(@"rollback %d, in transaction %d, rows %lld", ok, [db isInTransaction], scalar(db, @"select count(*) from sp"));
  ok = [db beginImmediateTransaction];
  [db executeUpdate:@"insert into sp values ('immediate')"];
  BOOL refused = ![db beginTransaction];
  say(@"immediate begin %d, nested begin refused: %d %@", ok, refused, errorLine(db));
  ok = [db commit];
  say(@"commit %d, rows %lld", ok, scalar(db, @"select count(*) from sp"));
  ok = [db beginTransaction];
  [db executeUpdate:@"insert into sp values ('exclusive')"];
  ok = ok && [db commit];
  say(@"exclusive %d, rows %lld", ok, scalar(db, @"select count(*) from sp"));
  ok = [db commit];
  say(@"commit without a transaction: %d %@", ok, errorLine(db));

  NSError *err = nil;
  ok = [db startSavePointWithName:@"outer" error:&err];
  [db executeUpdate:@"insert into sp values ('sp-outer')"];
  ok = ok && [db startSavePointWithName:@"in'ner" error:&err];
  [db executeUpdate:@"insert into sp values ('sp-inner')"];
  say(@"savepoints open %d, in transaction %d", ok, [db isInTransaction]);
  ok = [db rollbackToSavePointWithName:@"in'ner" error:&err];
  ok = ok && [db releaseSavePointWithName:@"in'ner" error:&err];
  ok = ok && [db releaseSavePointWithName:@"outer" error:&err];
  say(@"rollback to inner, release both: %d, in transaction %d", ok, [db isInTransaction]);
  ok = [db rollbackToSavePointWithName:@"nosuch" error:&err];
  say(@"rollback to a missing savepoint: %d NSError %ld '%@'", ok, (long)[err code], [err localizedDescription]);

  SavePointTask *keep = [[[SavePointTask alloc] init] autorelease];
  keep->value = @"kept";
  SavePointTask *drop = [[[SavePointTask alloc] init] autorelease];
  drop->value = @"dropped";
  drop->rollBack = YES;
  NSError *e1 = [db inSavePoint:keep];
  NSError *e2 = [db inSavePoint:drop];
  say(@"inSavePoint: kept %d/%@ dropped %d/%@", keep->inserted, e1 ? @"error" : @"ok",
      drop->inserted, e2 ? @"error" : @"ok");
  FLResultSet *rs = [db executeQuery:@"select group_concat(v, ',') from (select v from sp order by rowid)"];
  [rs next];
  say(@"sp rows: %@", [rs stringForColumnIndex:0]);
  [rs close];
  [db setLogsErrors:YES];
}

static void runFunction(FLDatabase *db, NSString *sql, NSArray *args) {
  FLResultSet *rs = [db executeQuery:sql withArgumentsInArray:args];
  if (rs == nil) {
    say(@"%@ -> prepare failed: %@", sql, errorLine(db));
    return;
  }
  if ([rs next]) {
    say(@"%@ -> %@ (%@)", sql, show([rs objectForColumnIndex:0]), typeName([rs columnTypeForIndex:0]));
    [rs close];
  } else {
    say(@"%@ -> step %d, %@", sql, [rs lastStepCode], errorLine(db));
  }
}

static void testFunctions(FLDatabase *db) {
  say(@"== user functions");
  [db setLogsErrors:NO];
  FunctionBodies *body = [[[FunctionBodies alloc] init] autorelease];
  NSArray *names = [NSArray arrayWithObjects:@"fl_upper", @"fl_add", @"fl_twice", @"fl_half", @"fl_reverse",
                                             @"fl_null", @"fl_fail", @"fl_constraint", @"fl_nomem", @"fl_toobig", nil];
  NSArray *nargs = [NSArray arrayWithObjects:@"1", @"2", @"1", @"1", @"1", @"0", @"1", @"0", @"0", @"0", nil];
  NSUInteger i;
  for (i = 0; i < [names count]; i++) {
    expect([db makeFunctionNamed:[names objectAtIndex:i] arguments:[[nargs objectAtIndex:i] intValue] body:body],
           [NSString stringWithFormat:@"create_function %@", [names objectAtIndex:i]]);
  }
  expect([db makeFunctionNamed:@"fl_types" arguments:-1 body:body], @"create_function fl_types");
  runFunction(db, @"select fl_upper(?)", [NSArray arrayWithObject:@"stra\u00dfe mixed"]);
  runFunction(db, @"select fl_upper(null)", nil);
  runFunction(db, @"select fl_add(?, ?)", [NSArray arrayWithObjects:[NSNumber numberWithLongLong:4611686018427387904LL],
                                                                     [NSNumber numberWithInt:7], nil]);
  runFunction(db, @"select fl_twice('21 apples')", nil);
  runFunction(db, @"select fl_half(7)", nil);
  runFunction(db, @"select fl_reverse(x'01020304')", nil);
  runFunction(db, @"select hex(fl_reverse('abc'))", nil);
  runFunction(db, @"select fl_null() is null", nil);
  runFunction(db, @"select fl_types(1, 2.5, 'text', x'0000', null, ?)", [NSArray arrayWithObject:@"caf\u00e9"]);
  runFunction(db, @"select fl_fail('no')", nil);
  runFunction(db, @"select fl_constraint()", nil);
  runFunction(db, @"select fl_nomem()", nil);
  runFunction(db, @"select fl_toobig()", nil);
  runFunction(db, @"select fl_add(1)", nil);
  runFunction(db, @"select sum(fl_twice(n)) from items where n is not null", nil);
  BOOL ok = [db executeUpdate:@"update items set note = fl_fail('update') where id = 1"];
  say(@"function error inside an update: %d %@", ok, errorLine(db));

  int destroyed0 = [FLDatabase functionBodiesDestroyed];
  NSString *path = [NSString stringWithFormat:@"%@", [db databasePath]];
  FLDatabase *other = [FLDatabase databaseWithPath:path];
  expect([other open], @"open a second connection for create_function_v2");
  expect([other makeFunctionV2Named:@"fl_v2" arguments:0 body:body], @"create_function_v2 fl_v2");
  runFunction(other, @"select fl_v2()", nil);
  SecondBody *second = [[[SecondBody alloc] init] autorelease];
  expect([other makeFunctionV2Named:@"fl_v2" arguments:0 body:second], @"create_function_v2 again");
  say(@"redefined: destructor calls %d", [FLDatabase functionBodiesDestroyed] - destroyed0);
  runFunction(other, @"select fl_v2()", nil);
  [other close];
  say(@"after close: destructor calls %d", [FLDatabase functionBodiesDestroyed] - destroyed0);
  [db setLogsErrors:YES];
}

static void testLimits(FLDatabase *db) {
  say(@"== limits");
  [db setLogsErrors:NO];
  int oldLength = [db limit:SQLITE_LIMIT_LENGTH value:-1];
  int oldVars = [db limit:SQLITE_LIMIT_VARIABLE_NUMBER value:-1];
  /* The default variable limit is a build option (SQLite's 32766, Debian's
  ** 250000): only its floor is printed. */
  say(@"length limit %d, variable limit at least 32766: %d, column limit %d, sql length %d", oldLength,
      oldVars >= 32766, [db limit:SQLITE_LIMIT_COLUMN value:-1], [db limit:SQLITE_LIMIT_SQL_LENGTH value:-1]);
  int was = [db limit:SQLITE_LIMIT_LENGTH value:100];
  say(@"set length 100: previous %d, now %d", was == oldLength, [db limit:SQLITE_LIMIT_LENGTH value:-1]);
  NSString *long200 = [@"" stringByPaddingToLength:200 withString:@"x" startingAtIndex:0];
  BOOL ok = [db executeUpdate:@"insert into ex values (?, ?)", [NSNumber numberWithInt:10], long200];
  say(@"binding 200 bytes past a length limit of 100: %d %@", ok, errorLine(db));
  runFunction(db, @"select length(?)", [NSArray arrayWithObject:[long200 substringToIndex:60]]);
  runFunction(db, @"select length(zeroblob(500))", nil);
  [db limit:SQLITE_LIMIT_LENGTH value:oldLength];
  [db limit:SQLITE_LIMIT_VARIABLE_NUMBER value:3];
  say(@"variable limit now %d", [db limit:SQLITE_LIMIT_VARIABLE_NUMBER value:-1]);
  FLResultSet *rs = [db executeQuery:@"select ?, ?, ?, ?", @"a", @"b", @"c", @"d"];
  say(@"four parameters past a limit of 3: %@ %@", rs ? @"prepared" : @"refused", errorLine(db));
  [rs close];
  [db limit:SQLITE_LIMIT_VARIABLE_NUMBER value:oldVars];
  say(@"restored: %d", [db limit:SQLITE_LIMIT_VARIABLE_NUMBER value:-1] == oldVars);
  [db setLogsErrors:YES];
}

static void testSchema(FLDatabase *db) {
  say(@"== schema");
  [db executeUpdate:@"create index items_n on items(n)"];
  [db executeUpdate:@"create temp table scratch(x)"];
  say(@"tableExists items %d, ITEMS %d, nosuch %d, scratch (temp) %d", [db tableExists:@"items"],
      [db tableExists:@"ITEMS"], [db tableExists:@"nosuch"], [db tableExists:@"scratch"]);
  say(@"columnExists name %d, Note %d, nosuch %d", [db columnExists:@"name" inTableWithName:@"items"],
      [db columnExists:@"Note" inTableWithName:@"items"], [db columnExists:@"nosuch" inTableWithName:@"items"]);
  FLResultSet *rs = [db getTableSchema:@"items"];
  while ([rs next]) {
    say(@"  column %d %@ %@ notnull %d default %@ pk %d", [rs intForColumn:@"cid"], [rs stringForColumn:@"name"],
        show([rs stringForColumn:@"type"]), [rs intForColumn:@"notnull"], show([rs objectForColumn:@"dflt_value"]),
        [rs intForColumn:@"pk"]);
  }
  rs = [db getSchema];
  while ([rs next]) {
    say(@"  schema %@ %@ on %@", [rs stringForColumn:@"type"], [rs stringForColumn:@"name"],
        [rs stringForColumn:@"tbl_name"]);
  }
}

static void testCheckpoint(NSString *dir) {
  say(@"== wal checkpoints");
  FLDatabase *db = [FLDatabase databaseWithPath:[dir stringByAppendingPathComponent:@"wal.db"]];
  expect([db open], @"open wal.db");
  int log = -2, ckpt = -2;
  NSError *err = nil;
  BOOL ok = [db checkpoint:SQLITE_CHECKPOINT_PASSIVE name:nil logFrameCount:&log checkpointCount:&ckpt error:&err];
  say(@"rollback-journal database: checkpoint %d log %d ckpt %d", ok, log, ckpt);
  FLResultSet *rs = [db executeQuery:@"pragma journal_mode = wal"];
  [rs next];
  say(@"journal_mode %@", [rs stringForColumnIndex:0]);
  [rs close];
  [db executeUpdate:@"create table w(x)"];
  int i;
  for (i = 0; i < 20; i++) {
    [db executeUpdate:@"insert into w values (?)", [NSNumber numberWithInt:i]];
  }
  ok = [db checkpoint:SQLITE_CHECKPOINT_PASSIVE name:nil logFrameCount:&log checkpointCount:&ckpt error:&err];
  say(@"passive: %d, frames in log > 0: %d, all checkpointed: %d", ok, log > 0, log == ckpt);
  ok = [db checkpoint:SQLITE_CHECKPOINT_FULL name:@"main" logFrameCount:&log checkpointCount:&ckpt error:&err];
  say(@"full on main: %d, all checkpointed: %d", ok, log == ckpt);
  [db executeUpdate:@"insert into w values (100)"];
  say(@"sqlite3_wal_checkpoint: %d", [db checkpoint]);
  ok = [db checkpoint:SQLITE_CHECKPOINT_TRUNCATE name:nil logFrameCount:&log checkpointCount:&ckpt error:&err];
  say(@"truncate: %d log %d ckpt %d", ok, log, ckpt);
  [db setLogsErrors:NO];
  ok = [db checkpoint:SQLITE_CHECKPOINT_PASSIVE name:@"nosuch" logFrameCount:&log checkpointCount:&ckpt error:&err];
  say(@"unknown schema: %d NSError %ld '%@'", ok, (long)[err code], [err localizedDescription]);
  say(@"rows %lld", scalar(db, @"select count(*) from w"));
  [db close];
}

static void testClose(NSString *dir) {
  say(@"== close");
  FLDatabase *db = [FLDatabase databaseWithPath:[dir stringByAppendingPathComponent:@"close.db"]];
  expect([db open], @"open close.db");
  [db setShouldCacheStatements:YES];
  [db executeUpdate:@"create table c(x)"];
  FLResultSet *open1 = [db executeQuery:@"select * from sqlite_master"];
  [open1 next];
  sqlite3_stmt *leaked = NULL;
  sqlite3_prepare_v2([db sqliteHandle], "select 1", -1, &leaked, NULL);
  say(@"before close: open statements %d, cached %lu", [db openStatementCount], (unsigned long)[db cachedStatementCount]);
  BOOL ok = [db close];
  say(@"close %d, statements finalized by close %d, open %d", ok, [db finalizedOnClose], [db isOpen]);

  sqlite3 *raw = NULL;
  sqlite3_stmt *st = NULL;
  sqlite3_open_v2([[dir stringByAppendingPathComponent:@"close.db"] fileSystemRepresentation], &raw,
                  SQLITE_OPEN_READWRITE, NULL);
  sqlite3_prepare_v2(raw, "select count(*) from c", -1, &st, NULL);
  int rc = sqlite3_close(raw);
  say(@"sqlite3_close with a statement open: %d '%s'", rc, sqlite3_errmsg(raw));
  rc = sqlite3_close_v2(raw);
  say(@"sqlite3_close_v2 with a statement open: %d", rc);
  rc = sqlite3_step(st);
  say(@"the statement still steps: %d value %d", rc, sqlite3_column_int(st, 0));
  rc = sqlite3_finalize(st);
  say(@"finalize (closes the zombie connection): %d", rc);
}

int main(int argc, char **argv) {
  checkLibrary();
  NSAutoreleasePool *pool = [[NSAutoreleasePool alloc] init];
  if (argc != 2) {
    fprintf(stderr, "usage: %s DIR\n", argv[0]);
    return 2;
  }
  NSString *dir = [NSString stringWithUTF8String:argv[1]];
  testLibrary();
  testOpen(dir);

  FLDatabase *db = [FLDatabase databaseWithPath:[dir stringByAppendingPathComponent:@"main.db"]];
  expect([db open], @"open main.db");
  testBindAndRead(db);
  testCache(db);
  testErrors(db);
  testTransactions(db);
  testFunctions(db);
  testLimits(db);
  testSchema(db);
  testInterrupt(db);
  expect([db close], @"close main.db");

  testCheckpoint(dir);
  testBusy(dir);
  testQueue(dir);
  testClose(dir);

  say(@"== done: %d unexpected", failureCount());
  [pool drain];
  return failureCount() ? 1 : 0;
}
