/*
** FLResultSet.m: the rows of one query (see FLResultSet.h for the
** invariants). Values are read straight from the statement with the
** sqlite3_column_* functions.
*/
#import "FLResultSet.h"
#import "FLDatabase.h"
#import "FLStatement.h"

@implementation FLResultSet

+ (instancetype)resultSetWithStatement:(FLStatement *)st usingParentDatabase:(FLDatabase *)db {
  FLResultSet *rs = [[FLResultSet alloc] init];
  rs->statement = [st retain];
  rs->parentDB = [db retain];
  rs->query = [[st query] copy];
  rs->lastStepCode = SQLITE_OK;
  [st setInUse:YES];
  return [rs autorelease];
}

- (void)dealloc {
  [self close];
  [query release];
  [columnNameToIndex release];
  [super dealloc];
}

- (NSString *)query { return query; }
- (int)lastStepCode { return lastStepCode; }

- (void)close {
  if (statement) {
    if ([statement cached]) {
      [statement reset];
    } else {
      [statement close];
    }
    [statement release];
    statement = nil;
  }
  if (parentDB) {
    FLDatabase *db = parentDB;
    parentDB = nil;
    [db resultSetDidClose:self];
    [db release];
  }
}

- (BOOL)next { return [self nextWithError:NULL]; }

- (BOOL)nextWithError:(NSError **)err {
  if (statement == nil) {
    return NO;
  }
  lastStepCode = sqlite3_step([statement statement]);
  if (lastStepCode == SQLITE_ROW) {
    return YES;
  }
  if (lastStepCode != SQLITE_DONE && err) {
    *err = [parentDB lastError];
  }
  /* As FMDB: the end of the rows (or an error) closes the result set, which
  ** resets the statement; the connection keeps the error code and message. */
  if (lastStepCode != SQLITE_DONE) {
    [parentDB hadError];
  }
  [self close];
  return NO;
}

- (BOOL)hasAnotherRow { return lastStepCode == SQLITE_ROW; }

- (sqlite3_stmt *)stmt { return statement ? [statement statement] : NULL; }

- (int)columnCount { return sqlite3_column_count([self stmt]); }
- (int)dataCount { return sqlite3_data_count([self stmt]); }

- (NSString *)columnNameForIndex:(int)i {
  const char *n = sqlite3_column_name([self stmt], i);
  return n ? [NSString stringWithUTF8String:n] : nil;
}

- (NSString *)columnDeclTypeForIndex:(int)i {
  const char *n = sqlite3_column_decltype([self stmt], i);
  return n ? [NSString stringWithUTF8String:n] : nil;
}

- (int)columnIndexForName:(NSString *)name {
  if (columnNameToIndex == nil) {
    int n = [self columnCount];
    int i;
    columnNameToIndex = [[NSMutableDictionary alloc] initWithCapacity:n];
    for (i = 0; i < n; i++) {
      NSString *key = [[self columnNameForIndex:i] lowercaseString];
      if (key && [columnNameToIndex objectForKey:key] == nil) {
        [columnNameToIndex setObject:[NSNumber numberWithInt:i] forKey:key];
      }
    }
  }
  NSNumber *idx = [columnNameToIndex objectForKey:[name lowercaseString]];
  return idx ? [idx intValue] : -1;
}

- (int)columnTypeForIndex:(int)i { return sqlite3_column_type([self stmt], i); }

- (int)intForColumnIndex:(int)i { return sqlite3_column_int([self stmt], i); }
- (int)intForColumn:(NSString *)name {
  int i = [self columnIndexForName:name];
  return i < 0 ? 0 : [self intForColumnIndex:i];
}

- (long long)longLongIntForColumnIndex:(int)i { return sqlite3_column_int64([self stmt], i); }
- (long long)longLongIntForColumn:(NSString *)name {
  int i = [self columnIndexForName:name];
  return i < 0 ? 0 : [self longLongIntForColumnIndex:i];
}

- (BOOL)boolForColumn:(NSString *)name { return [self intForColumn:name] != 0; }

- (double)doubleForColumnIndex:(int)i { return sqlite3_column_double([self stmt], i); }
- (double)doubleForColumn:(NSString *)name {
  int i = [self columnIndexForName:name];
  return i < 0 ? 0.0 : [self doubleForColumnIndex:i];
}

- (NSString *)stringForColumnIndex:(int)i {
  if (i < 0 || sqlite3_column_type([self stmt], i) == SQLITE_NULL) {
    return nil;
  }
  const unsigned char *t = sqlite3_column_text([self stmt], i);
  int n = sqlite3_column_bytes([self stmt], i);
  if (t == NULL) {
    return nil;
  }
  return [[[NSString alloc] initWithBytes:t length:(NSUInteger)n
                                 encoding:NSUTF8StringEncoding] autorelease];
}
- (NSString *)stringForColumn:(NSString *)name {
  return [self stringForColumnIndex:[self columnIndexForName:name]];
}

- (NSData *)dataForColumnIndex:(int)i {
  if (i < 0 || sqlite3_column_type([self stmt], i) == SQLITE_NULL) {
    return nil;
  }
  const void *b = sqlite3_column_blob([self stmt], i);
  int n = sqlite3_column_bytes([self stmt], i);
  return [NSData dataWithBytes:b length:(NSUInteger)(b ? n : 0)];
}
- (NSData *)dataForColumn:(NSString *)name {
  return [self dataForColumnIndex:[self columnIndexForName:name]];
}

/* The bytes stay SQLite's: valid until the next step, reset or
** finalize of the statement. */
- (NSData *)dataNoCopyForColumnIndex:(int)i {
  if (i < 0 || sqlite3_column_type([self stmt], i) == SQLITE_NULL) {
    return nil;
  }
  const void *b = sqlite3_column_blob([self stmt], i);
  int n = sqlite3_column_bytes([self stmt], i);
  return [NSData dataWithBytesNoCopy:(void *)b length:(NSUInteger)(b ? n : 0)
                        freeWhenDone:NO];
}
- (NSData *)dataNoCopyForColumn:(NSString *)name {
  return [self dataNoCopyForColumnIndex:[self columnIndexForName:name]];
}

- (NSDate *)dateForColumn:(NSString *)name {
  int i = [self columnIndexForName:name];
  if (i < 0 || [self columnIndexIsNull:i]) {
    return nil;
  }
  return [parentDB dateFromValueOfStatement:[self stmt] column:i];
}

- (BOOL)columnIndexIsNull:(int)i {
  return sqlite3_column_type([self stmt], i) == SQLITE_NULL;
}
- (BOOL)columnIsNull:(NSString *)name {
  int i = [self columnIndexForName:name];
  return i < 0 ? YES : [self columnIndexIsNull:i];
}

- (id)objectForColumnIndex:(int)i {
  if (i < 0 || i >= [self columnCount]) {
    return nil;
  }
  switch (sqlite3_column_type([self stmt], i)) {
    case SQLITE_INTEGER:
      return [NSNumber numberWithLongLong:[self longLongIntForColumnIndex:i]];
    case SQLITE_FLOAT:
      return [NSNumber numberWithDouble:[self doubleForColumnIndex:i]];
    case SQLITE_BLOB:
      return [self dataForColumnIndex:i];
    case SQLITE_NULL:
      return [NSNull null];
    default:
      return [self stringForColumnIndex:i];
  }
}
- (id)objectForColumn:(NSString *)name {
  return [self objectForColumnIndex:[self columnIndexForName:name]];
}

- (NSDictionary *)resultDictionary {
  int n = [self dataCount];
  int i;
  if (n <= 0) {
    return nil;
  }
  NSMutableDictionary *d = [NSMutableDictionary dictionaryWithCapacity:n];
  for (i = 0; i < n; i++) {
    [d setObject:[self objectForColumnIndex:i] forKey:[self columnNameForIndex:i]];
  }
  return d;
}

@end
