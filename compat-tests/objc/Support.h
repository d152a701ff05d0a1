/*
** Support.h: what the Objective-C client's test program (main.m and
** Concurrency.m) shares: deterministic printing of values, the failure
** count, and a group of NSThreads that can be joined.
**
** Invariant: everything printed to stdout is the same on every run with the
** same library (no pointers, timings or thread interleavings); diagnostics
** go to stderr.
*/
#import <Foundation/Foundation.h>
#import "FLDatabase.h"
#import "FLResultSet.h"
#import "FLDatabaseQueue.h"

/* Prints one line (an NSString format) to stdout. */
void say(NSString *fmt, ...);
/* Counts and reports an unexpected result; the program exits 1 at the end. */
void expect(BOOL cond, NSString *what);
int failureCount(void);
/* A value as text: NULL, 'text', x'hex', an integer, or a %.17g real. */
NSString *show(id value);
/* The name of a fundamental type code (SQLITE_INTEGER ...). */
NSString *typeName(int type);

/* Threads started with -start:selector:object:, joined by -join. */
@interface FLThreadGroup : NSObject {
  NSConditionLock *finished; /* condition = threads still running */
  NSMutableArray *bodies;
}
- (void)start:(id)target selector:(SEL)sel object:(id)arg;
- (void)join;
@end

/* The sections of the program, in Concurrency.m. */
void testBusy(NSString *dir);
void testQueue(NSString *dir);
void testInterrupt(FLDatabase *db);
