/*
** FLResultSet.h: the rows of one query, in the style of FMDB's FMResultSet.
**
** Columns are read by index or by name; names are matched without regard
** to case (the first column of a name wins, as FMDB does).
** Invariants: the result set retains its FLStatement and its FLDatabase
** while open; -close resets the statement (returning it to the cache) and
** tells the database; -next returns NO at the end or on an error, after
** which -lastStepCode says which.
*/
#import <Foundation/Foundation.h>
#include "sqlite3.h"

@class FLDatabase;
@class FLStatement;

@interface FLResultSet : NSObject {
  FLDatabase *parentDB;
  FLStatement *statement;
  NSString *query;
  NSMutableDictionary *columnNameToIndex;
  int lastStepCode;
}
+ (instancetype)resultSetWithStatement:(FLStatement *)st usingParentDatabase:(FLDatabase *)db;
- (BOOL)next;
- (BOOL)nextWithError:(NSError **)err;
- (BOOL)hasAnotherRow;
- (int)lastStepCode;
- (void)close;
- (NSString *)query;

- (int)columnCount;               /* sqlite3_column_count */
- (int)dataCount;                 /* sqlite3_data_count */
- (NSString *)columnNameForIndex:(int)i;
- (NSString *)columnDeclTypeForIndex:(int)i;
- (int)columnIndexForName:(NSString *)name; /* -1 when missing */
- (int)columnTypeForIndex:(int)i;

- (int)intForColumn:(NSString *)name;
- (int)intForColumnIndex:(int)i;
- (long long)longLongIntForColumn:(NSString *)name;
- (long long)longLongIntForColumnIndex:(int)i;
- (BOOL)boolForColumn:(NSString *)name;
- (double)doubleForColumn:(NSString *)name;
- (double)doubleForColumnIndex:(int)i;
- (NSString *)stringForColumn:(NSString *)name;
- (NSString *)stringForColumnIndex:(int)i;
- (NSData *)dataForColumn:(NSString *)name;
- (NSData *)dataForColumnIndex:(int)i;
- (NSData *)dataNoCopyForColumn:(NSString *)name;
- (NSData *)dataNoCopyForColumnIndex:(int)i;
- (NSDate *)dateForColumn:(NSString *)name;
- (BOOL)columnIsNull:(NSString *)name;
- (BOOL)columnIndexIsNull:(int)i;
- (id)objectForColumn:(NSString *)name;
- (id)objectForColumnIndex:(int)i;
- (NSDictionary *)resultDictionary;
@end
