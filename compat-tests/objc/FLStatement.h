/*
** FLStatement.h: a prepared statement kept in FLDatabase's cache.
**
** Invariants: `statement` is a valid sqlite3_stmt until -close finalizes
** it; `inUse` is YES while a result set reads from it, and the cache hands
** out only statements not in use. A statement outside the cache (`cached`
** NO) is finalized as soon as its user is done with it, so none outlives
** the connection's -close.
*/
#import <Foundation/Foundation.h>
#include "sqlite3.h"

@interface FLStatement : NSObject {
  sqlite3_stmt *statement;
  NSString *query;
  long useCount;
  BOOL inUse;
  BOOL cached;
}
- (instancetype)initWithStatement:(sqlite3_stmt *)st query:(NSString *)sql;
- (sqlite3_stmt *)statement;
- (NSString *)query;
- (long)useCount;
- (void)setUseCount:(long)n;
- (BOOL)inUse;
- (void)setInUse:(BOOL)flag;
- (BOOL)cached;
- (void)setCached:(BOOL)flag;
- (void)reset;   /* sqlite3_reset, marks not in use */
- (void)close;   /* sqlite3_finalize */
@end
