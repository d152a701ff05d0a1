/*
** FLDatabase.h: one SQLite connection, in the style of FMDB's FMDatabase.
**
** Part of Ferrolite's Objective-C compatibility client (compat-tests/objc):
** a small FMDB-like library written over include/sqlite3.h, built with
** gcc's Objective-C and GNUstep Foundation (manual retain/release; gcc has
** no blocks and no object literals, so callbacks are objects answering a
** protocol rather than blocks).
**
** Invariants:
**  - `db` is NULL exactly when the connection is closed.
**  - Every cached FLStatement belongs to this connection; -close finalizes
**    all of them (and any statement still open, through sqlite3_next_stmt)
**    before sqlite3_close, so closing never leaves a zombie connection.
**  - A statement handed to an FLResultSet is marked in use and is not
**    handed out again by the cache until the result set is closed (which
**    resets it).
*/
#import <Foundation/Foundation.h>
#include "sqlite3.h"

@class FLResultSet;
@class FLStatement;
@class FLDatabase;

/* A user function body (FMDB takes a block; gcc's Objective-C has none).
** argc/argv are the SQL arguments; use FLDatabase's value and result
** helpers on them. */
@protocol FLFunctionBody
- (void)database:(FLDatabase *)db function:(NSString *)name
         context:(sqlite3_context *)context
            argc:(int)argc argv:(sqlite3_value **)argv;
@end

/* Work run with a database (the queue's and inSavePoint's unit of work).
** Setting *rollback to YES rolls the transaction or savepoint back. */
@protocol FLDatabaseTask
- (void)runWithDatabase:(FLDatabase *)db rollback:(BOOL *)rollback;
@end

/* Called by the busy handler of a connection at each retry (may be nil). */
@protocol FLBusyObserver
- (void)database:(FLDatabase *)db busyRetry:(int)count;
@end

@interface FLDatabase : NSObject {
  sqlite3 *db;
  NSString *path;
  NSMutableDictionary *cachedStatements; /* SQL -> NSMutableArray of FLStatement */
  NSMutableSet *openResultSets;          /* NSValue (non-retained) of FLResultSet */
  NSMutableArray *functionBodies;        /* keeps sqlite3_create_function bodies alive */
  BOOL shouldCacheStatements;
  BOOL logsErrors;
  int openErrorCode;                     /* why the last open failed */
  NSString *openErrorMessage;
  int finalizedOnClose;                  /* statements -close found open */
  NSTimeInterval maxBusyRetryTimeInterval;
  NSTimeInterval busyStartTime;
  int busyRetries;
  id<FLBusyObserver> busyObserver;
  int statementsPrepared;
  int cacheHits;
  int dateFormat; /* 0: seconds since 1970 as REAL, 1: ISO-8601 TEXT */
}

+ (instancetype)databaseWithPath:(NSString *)aPath;
- (instancetype)initWithPath:(NSString *)aPath;

/* Opening and closing. */
- (BOOL)open;                              /* sqlite3_open */
- (BOOL)openWithFlags:(int)flags;          /* sqlite3_open_v2 */
- (BOOL)close;
- (BOOL)isOpen;
- (sqlite3 *)sqliteHandle;
- (NSString *)databasePath;
- (NSString *)databaseFilename;            /* sqlite3_db_filename("main") */
- (BOOL)goodConnection;

/* Settings and counters. */
- (void)setShouldCacheStatements:(BOOL)flag;
- (BOOL)shouldCacheStatements;
- (void)setLogsErrors:(BOOL)flag;
- (void)setDateFormatISO:(BOOL)iso;
- (int)statementsPrepared;
- (int)cacheHits;
- (NSUInteger)cachedStatementCount;
- (void)clearCachedStatements;
- (int)openStatementCount;                 /* walks sqlite3_next_stmt */
- (int)finalizedOnClose;

/* Updates (no rows expected) and queries. Arguments: NSString, NSNumber,
** NSData, NSNull, NSDate, or any object (bound as its description). As in
** FMDB the variadic forms take exactly one object per parameter of the
** statement (sqlite3_bind_parameter_count), nil meaning NULL; the
** dictionary form binds :name parameters by name. */
- (BOOL)executeUpdate:(NSString *)sql, ...;
- (BOOL)executeUpdate:(NSString *)sql withArgumentsInArray:(NSArray *)args;
- (BOOL)executeUpdate:(NSString *)sql withParameterDictionary:(NSDictionary *)args;
- (FLResultSet *)executeQuery:(NSString *)sql, ...;
- (FLResultSet *)executeQuery:(NSString *)sql withArgumentsInArray:(NSArray *)args;
- (FLResultSet *)executeQuery:(NSString *)sql withParameterDictionary:(NSDictionary *)args;
/* Several statements through sqlite3_exec; rows (if any) go to `rows` as
** dictionaries of column name -> text (NSNull for NULL). */
- (BOOL)executeStatements:(NSString *)sql rows:(NSMutableArray *)rows;

/* Connection state. */
- (sqlite3_int64)lastInsertRowId;
- (int)changes;
- (int)totalChanges;
- (int)lastErrorCode;
- (int)lastExtendedErrorCode;
- (NSString *)lastErrorMessage;
- (BOOL)hadError;
- (NSError *)lastError;
- (void)interrupt;
- (int)limit:(int)which value:(int)newValue; /* sqlite3_limit; -1 reads */

/* Transactions and savepoints. */
- (BOOL)beginTransaction;                  /* BEGIN EXCLUSIVE, as FMDB */
- (BOOL)beginDeferredTransaction;
- (BOOL)beginImmediateTransaction;
- (BOOL)beginExclusiveTransaction;
- (BOOL)commit;
- (BOOL)rollback;
- (BOOL)isInTransaction;
- (BOOL)startSavePointWithName:(NSString *)name error:(NSError **)err;
- (BOOL)releaseSavePointWithName:(NSString *)name error:(NSError **)err;
- (BOOL)rollbackToSavePointWithName:(NSString *)name error:(NSError **)err;
- (NSError *)inSavePoint:(id<FLDatabaseTask>)task;

/* Busy handling. */
- (void)setMaxBusyRetryTimeInterval:(NSTimeInterval)timeout; /* sqlite3_busy_handler */
- (NSTimeInterval)maxBusyRetryTimeInterval;
- (BOOL)setBusyTimeoutMilliseconds:(int)ms;                  /* sqlite3_busy_timeout */
- (void)setBusyObserver:(id<FLBusyObserver>)observer;
- (int)busyRetries;

/* Schema checks. */
- (BOOL)tableExists:(NSString *)table;
- (FLResultSet *)getSchema;
- (FLResultSet *)getTableSchema:(NSString *)table;
- (BOOL)columnExists:(NSString *)column inTableWithName:(NSString *)table;

/* WAL checkpoints. */
- (BOOL)checkpoint;                        /* sqlite3_wal_checkpoint */
- (BOOL)checkpoint:(int)mode name:(NSString *)dbName
          logFrameCount:(int *)log checkpointCount:(int *)ckpt error:(NSError **)err;

/* Library facts. */
+ (NSString *)sqliteLibVersion;
+ (BOOL)isSQLiteThreadSafe;

/* Used by FLResultSet and FLStatement. */
- (void)resultSetDidClose:(FLResultSet *)rs;
- (NSDate *)dateFromValueOfStatement:(sqlite3_stmt *)st column:(int)i;
@end

/* User functions (FLDatabaseFunctions.m). */
@interface FLDatabase (Functions)
- (BOOL)makeFunctionNamed:(NSString *)name arguments:(int)nargs body:(id<FLFunctionBody>)body;
/* Through sqlite3_create_function_v2: the connection retains the body and
** SQLite's destructor callback releases it. */
- (BOOL)makeFunctionV2Named:(NSString *)name arguments:(int)nargs body:(id<FLFunctionBody>)body;
- (int)valueType:(sqlite3_value *)v;
- (int)valueInt:(sqlite3_value *)v;
- (long long)valueLong:(sqlite3_value *)v;
- (double)valueDouble:(sqlite3_value *)v;
- (NSString *)valueString:(sqlite3_value *)v;
- (NSData *)valueData:(sqlite3_value *)v;
- (void)resultNullInContext:(sqlite3_context *)c;
- (void)resultInt:(int)value context:(sqlite3_context *)c;
- (void)resultLong:(long long)value context:(sqlite3_context *)c;
- (void)resultDouble:(double)value context:(sqlite3_context *)c;
- (void)resultString:(NSString *)value context:(sqlite3_context *)c;
- (void)resultData:(NSData *)value context:(sqlite3_context *)c;
- (void)resultError:(NSString *)message context:(sqlite3_context *)c;
- (void)resultErrorCode:(int)code context:(sqlite3_context *)c;
- (void)resultErrorNoMemoryInContext:(sqlite3_context *)c;
- (void)resultErrorTooBigInContext:(sqlite3_context *)c;
/* How many bodies the destructor of sqlite3_create_function_v2 released. */
+ (int)functionBodiesDestroyed;

@end
