/*
** FLStatement.m: a prepared statement kept in FLDatabase's cache (see
** FLStatement.h for the invariants).
*/
#import "FLStatement.h"

@implementation FLStatement

- (instancetype)initWithStatement:(sqlite3_stmt *)st query:(NSString *)sql {
  if ((self = [super init])) {
    statement = st;
    query = [sql copy];
  }
  return self;
}

- (void)dealloc {
  [self close];
  [query release];
  [super dealloc];
}

- (sqlite3_stmt *)statement { return statement; }
- (NSString *)query { return query; }
- (long)useCount { return useCount; }
- (void)setUseCount:(long)n { useCount = n; }
- (BOOL)inUse { return inUse; }
- (void)setInUse:(BOOL)flag { inUse = flag; }

- (BOOL)cached { return cached; }
- (void)setCached:(BOOL)flag { cached = flag; }

- (void)reset {
  if (statement) {
    sqlite3_reset(statement);
  }
  inUse = NO;
}

- (void)close {
  if (statement) {
    sqlite3_finalize(statement);
    statement = NULL;
  }
  inUse = NO;
}

@end
