/*
** FLDatabaseQueue.m: the serial worker thread behind FLDatabaseQueue (see
** FLDatabaseQueue.h for the invariants). A job is a task plus how to wrap
** it (plain, a transaction of some kind, or a savepoint); the caller waits
** on the queue's condition until the worker marks the job done.
*/
#import "FLDatabaseQueue.h"

enum { FLJobPlain, FLJobExclusive, FLJobDeferred, FLJobImmediate, FLJobSavePoint, FLJobStop };

@interface FLQueueJob : NSObject {
@public
  id<FLDatabaseTask> task;
  int kind;
  BOOL done;
  NSError *error;
}
@end

@implementation FLQueueJob
- (void)dealloc {
  [error release];
  [super dealloc];
}
@end

@implementation FLDatabaseQueue

+ (instancetype)databaseQueueWithPath:(NSString *)aPath flags:(int)flags {
  return [[[self alloc] initWithPath:aPath flags:flags] autorelease];
}

- (instancetype)initWithPath:(NSString *)aPath flags:(int)flags {
  if ((self = [super init])) {
    database = [[FLDatabase alloc] initWithPath:aPath];
    openFlags = flags;
    condition = [[NSCondition alloc] init];
    jobs = [[NSMutableArray alloc] init];
    if (![database openWithFlags:flags]) {
      openFailed = YES;
    }
    worker = [[NSThread alloc] initWithTarget:self selector:@selector(workerMain:) object:nil];
    [worker start];
  }
  return self;
}

- (void)dealloc {
  [self close];
  [worker release];
  [condition release];
  [jobs release];
  [database release];
  [super dealloc];
}

- (BOOL)isOpen { return !openFailed && [database isOpen]; }
- (NSThread *)workerThread { return worker; }

- (unsigned long)tasksRun {
  [condition lock];
  unsigned long n = tasksRun;
  [condition unlock];
  return n;
}

/* Runs one job on the worker thread. */
- (void)runJob:(FLQueueJob *)job {
  BOOL shouldRollback = NO;
  switch (job->kind) {
    case FLJobPlain:
      [job->task runWithDatabase:database rollback:&shouldRollback];
      break;
    case FLJobSavePoint:
      job->error = [[database inSavePoint:job->task] retain];
      break;
    default: {
      BOOL begun;
      if (job->kind == FLJobExclusive) {
        begun = [database beginExclusiveTransaction];
      } else if (job->kind == FLJobDeferred) {
        begun = [database beginDeferredTransaction];
      } else {
        begun = [database beginImmediateTransaction];
      }
      if (!begun) {
        job->error = [[database lastError] retain];
        break;
      }
      [job->task runWithDatabase:database rollback:&shouldRollback];
      if (shouldRollback) {
        [database rollback];
      } else if (![database commit]) {
        job->error = [[database lastError] retain];
        [database rollback];
      }
      break;
    }
  }
}

- (void)workerMain:(id)unused {
  NSAutoreleasePool *outer = [[NSAutoreleasePool alloc] init];
  for (;;) {
    FLQueueJob *job;
    [condition lock];
    while ([jobs count] == 0) {
      [condition wait];
    }
    job = [[jobs objectAtIndex:0] retain];
    [jobs removeObjectAtIndex:0];
    [condition unlock];

    if (job->kind == FLJobStop) {
      [condition lock];
      job->done = YES;
      workerFinished = YES;
      [condition broadcast];
      [condition unlock];
      [job release];
      break;
    }
    NSAutoreleasePool *pool = [[NSAutoreleasePool alloc] init];
    @try {
      [self runJob:job];
    } @catch (NSException *e) {
      fprintf(stderr, "FLDatabaseQueue: task raised %s\n", [[e reason] UTF8String]);
    }
    [pool drain];

    [condition lock];
    tasksRun++;
    job->done = YES;
    [condition broadcast];
    [condition unlock];
    [job release];
  }
  [outer drain];
}

/* Queues a job and waits for the worker to finish it. */
- (NSError *)submit:(id<FLDatabaseTask>)task kind:(int)kind {
  if ([NSThread currentThread] == worker) {
    [NSException raise:NSInternalInconsistencyException
                format:@"a task was queued from inside a task of the same queue, which would wait forever"];
  }
  FLQueueJob *job = [[[FLQueueJob alloc] init] autorelease];
  job->task = task;
  job->kind = kind;
  [condition lock];
  if (stopping && kind != FLJobStop) {
    [condition unlock];
    [NSException raise:NSInternalInconsistencyException format:@"the queue is closed"];
  }
  [jobs addObject:job];
  [condition broadcast];
  while (!job->done) {
    [condition wait];
  }
  [condition unlock];
  return [[job->error retain] autorelease];
}

- (void)inDatabase:(id<FLDatabaseTask>)task { [self submit:task kind:FLJobPlain]; }
- (void)inTransaction:(id<FLDatabaseTask>)task { [self submit:task kind:FLJobExclusive]; }
- (void)inDeferredTransaction:(id<FLDatabaseTask>)task { [self submit:task kind:FLJobDeferred]; }
- (void)inImmediateTransaction:(id<FLDatabaseTask>)task { [self submit:task kind:FLJobImmediate]; }
- (NSError *)inSavePoint:(id<FLDatabaseTask>)task { return [self submit:task kind:FLJobSavePoint]; }

- (void)close {
  [condition lock];
  BOOL already = stopping;
  stopping = YES;
  [condition unlock];
  if (already) {
    return;
  }
  [self submit:nil kind:FLJobStop];
  [database close];
}

@end
