/*
** FLDatabaseFunctions.m: application-defined SQL functions for FLDatabase,
** in the style of FMDB's makeFunctionNamed: (an object answering
** FLFunctionBody instead of a block), and the helpers a body uses to read
** its arguments (sqlite3_value_*) and set its result (sqlite3_result_*).
**
** Invariants: the user data SQLite holds for a function is an
** FLFunctionEntry. For sqlite3_create_function the connection's
** `functionBodies` array keeps the entry alive until the connection is
** released; for sqlite3_create_function_v2 the entry is retained once and
** SQLite's destructor callback releases it (counted in
** +functionBodiesDestroyed).
*/
#import "FLDatabase.h"

static int FLDestroyedBodies = 0;

@interface FLFunctionEntry : NSObject {
@public
  FLDatabase *database; /* not retained: the connection owns the function */
  NSString *name;
  id<FLFunctionBody> body;
}
@end

@implementation FLFunctionEntry
- (void)dealloc {
  [name release];
  [(id)body release];
  [super dealloc];
}
@end

static void FLFunctionTrampoline(sqlite3_context *context, int argc, sqlite3_value **argv) {
  FLFunctionEntry *entry = (FLFunctionEntry *)sqlite3_user_data(context);
  NSAutoreleasePool *pool = [[NSAutoreleasePool alloc] init];
  [entry->body database:entry->database function:entry->name
                context:context argc:argc argv:argv];
  [pool drain];
}

static void FLFunctionDestroy(void *p) {
  FLDestroyedBodies++;
  [(FLFunctionEntry *)p release];
}

@implementation FLDatabase (Functions)

- (FLFunctionEntry *)entryNamed:(NSString *)name body:(id<FLFunctionBody>)body {
  FLFunctionEntry *entry = [[[FLFunctionEntry alloc] init] autorelease];
  entry->database = self;
  entry->name = [name copy];
  entry->body = [(id)body retain];
  return entry;
}

- (BOOL)makeFunctionNamed:(NSString *)name arguments:(int)nargs body:(id<FLFunctionBody>)body {
  FLFunctionEntry *entry = [self entryNamed:name body:body];
  [functionBodies addObject:entry];
  int rc = sqlite3_create_function(db, [name UTF8String], nargs, SQLITE_UTF8, (void *)entry,
                                   FLFunctionTrampoline, NULL, NULL);
  return rc == SQLITE_OK;
}

- (BOOL)makeFunctionV2Named:(NSString *)name arguments:(int)nargs body:(id<FLFunctionBody>)body {
  FLFunctionEntry *entry = [[self entryNamed:name body:body] retain];
  int rc = sqlite3_create_function_v2(db, [name UTF8String], nargs, SQLITE_UTF8 | SQLITE_DETERMINISTIC,
                                      (void *)entry, FLFunctionTrampoline, NULL, NULL,
                                      FLFunctionDestroy);
  /* On failure SQLite has already called the destructor. */
  return rc == SQLITE_OK;
}

+ (int)functionBodiesDestroyed { return FLDestroyedBodies; }

- (int)valueType:(sqlite3_value *)v { return sqlite3_value_type(v); }
- (int)valueInt:(sqlite3_value *)v { return sqlite3_value_int(v); }
- (long long)valueLong:(sqlite3_value *)v { return sqlite3_value_int64(v); }
- (double)valueDouble:(sqlite3_value *)v { return sqlite3_value_double(v); }

- (NSString *)valueString:(sqlite3_value *)v {
  const unsigned char *t = sqlite3_value_text(v);
  int n = sqlite3_value_bytes(v);
  if (t == NULL) {
    return nil;
  }
  return [[[NSString alloc] initWithBytes:t length:(NSUInteger)n
                                 encoding:NSUTF8StringEncoding] autorelease];
}

- (NSData *)valueData:(sqlite3_value *)v {
  const void *b = sqlite3_value_blob(v);
  int n = sqlite3_value_bytes(v);
  if (b == NULL) {
    return nil;
  }
  return [NSData dataWithBytes:b length:(NSUInteger)n];
}

- (void)resultNullInContext:(sqlite3_context *)c { sqlite3_result_null(c); }
- (void)resultInt:(int)value context:(sqlite3_context *)c { sqlite3_result_int(c, value); }
- (void)resultLong:(long long)value context:(sqlite3_context *)c { sqlite3_result_int64(c, value); }
- (void)resultDouble:(double)value context:(sqlite3_context *)c { sqlite3_result_double(c, value); }

- (void)resultString:(NSString *)value context:(sqlite3_context *)c {
  sqlite3_result_text(c, [value UTF8String], -1, SQLITE_TRANSIENT);
}

- (void)resultData:(NSData *)value context:(sqlite3_context *)c {
  sqlite3_result_blob(c, [value bytes], (int)[value length], SQLITE_TRANSIENT);
}

- (void)resultError:(NSString *)message context:(sqlite3_context *)c {
  sqlite3_result_error(c, [message UTF8String], -1);
}

- (void)resultErrorCode:(int)code context:(sqlite3_context *)c { sqlite3_result_error_code(c, code); }
- (void)resultErrorNoMemoryInContext:(sqlite3_context *)c { sqlite3_result_error_nomem(c); }
- (void)resultErrorTooBigInContext:(sqlite3_context *)c { sqlite3_result_error_toobig(c); }

@end
