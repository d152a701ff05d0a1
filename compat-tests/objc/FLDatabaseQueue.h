/*
** FLDatabaseQueue.h: one connection shared by several threads, in the style
** of FMDB's FMDatabaseQueue. GNUstep on Debian has no libdispatch, so the
** queue is a serial worker thread: callers hand it a task and wait until
** the worker has run it.
**
** Invariants: only the worker thread touches the FLDatabase; tasks run one
** at a time, in the order they were queued; a task that queues another
** task on the same queue (which would wait forever) raises
** NSInternalInconsistencyException instead.
*/
#import <Foundation/Foundation.h>
#import "FLDatabase.h"

@interface FLDatabaseQueue : NSObject {
  FLDatabase *database;
  NSThread *worker;
  NSCondition *condition;
  NSMutableArray *jobs;
  BOOL stopping;
  BOOL workerFinished;
  BOOL openFailed;
  int openFlags;
  unsigned long tasksRun;
}
+ (instancetype)databaseQueueWithPath:(NSString *)aPath flags:(int)flags;
- (instancetype)initWithPath:(NSString *)aPath flags:(int)flags;
- (BOOL)isOpen;
- (void)inDatabase:(id<FLDatabaseTask>)task;
- (void)inTransaction:(id<FLDatabaseTask>)task;          /* BEGIN EXCLUSIVE */
- (void)inDeferredTransaction:(id<FLDatabaseTask>)task;
- (void)inImmediateTransaction:(id<FLDatabaseTask>)task;
- (NSError *)inSavePoint:(id<FLDatabaseTask>)task;
- (unsigned long)tasksRun;
- (NSThread *)workerThread;
- (void)close; /* runs the queued tasks, stops the worker, closes the database */
@end
