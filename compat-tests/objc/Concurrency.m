/*
** Concurrency.m: the sections of the Objective-C client that use threads:
** busy handling between two connections (one holding the write lock),
** FLDatabaseQueue serialising several threads' work on one connection, and
** sqlite3_interrupt from the stepping thread and from another thread.
**
** Invariant: only results that do not depend on timing or interleaving are
** printed (counts after joining threads, error codes), never how many
** times a busy handler was called or which thread went first.
*/
#import "Support.h"
#include <unistd.h>

/* ---- busy handling ---- */

@interface BusyCounter : NSObject <FLBusyObserver> {
@public
  volatile int calls;
  int firstCount;
}
@end
@implementation BusyCounter
- (void)database:(FLDatabase *)db busyRetry:(int)count {
  if (__sync_fetch_and_add(&calls, 1) == 0) {
    firstCount = count;
  }
}
@end

/* Commits `holder`'s transaction from another thread: after `delay`, or
** (with `waitFor`) once the waiting connection's busy handler has run, so
** that what is printed does not depend on timing. */
@interface LockReleaser : NSObject {
@public
  FLDatabase *holder;
  NSTimeInterval delay;
  BusyCounter *waitFor;
  BOOL committed;
}
- (void)run:(id)unused;
@end
@implementation LockReleaser
- (void)run:(id)unused {
  int i;
  [NSThread sleepForTimeInterval:delay];
  for (i = 0; waitFor && i < 1000 && __sync_fetch_and_add(&waitFor->calls, 0) == 0; i++) {
    [NSThread sleepForTimeInterval:0.01];
  }
  committed = [holder commit];
}
@end

void testBusy(NSString *dir) {
  say(@"== busy handling");
  NSString *p = [dir stringByAppendingPathComponent:@"busy.db"];
  FLDatabase *a = [FLDatabase databaseWithPath:p];
  FLDatabase *b = [FLDatabase databaseWithPath:p];
  expect([a open] && [b open], @"open busy.db twice");
  [a setLogsErrors:NO];
  [a executeUpdate:@"create table t(x)"];
  [a executeUpdate:@"insert into t values (1)"];

  expect([b beginExclusiveTransaction], @"B: begin exclusive");
  [b executeUpdate:@"insert into t values (2)"];

  BusyCounter *counter = [[[BusyCounter alloc] init] autorelease];
  [a setBusyObserver:counter];
  [a setMaxBusyRetryTimeInterval:0.2];
  BOOL ok = [a executeUpdate:@"insert into t values (3)"];
  say(@"A writes while B holds the lock (handler, 0.2 s): %d %@", ok,
      [NSString stringWithFormat:@"errcode=%d extended=%d errmsg='%@'", [a lastErrorCode],
                                 [a lastExtendedErrorCode], [a lastErrorMessage]]);
  say(@"handler called: first count %d, more than once %d", counter->firstCount, counter->calls > 1);
  FLResultSet *rs = [a executeQuery:@"select count(*) from t"];
  BOOL row = [rs next];
  say(@"A reads while B holds an exclusive lock: row %d step %d errcode %d", row, [rs lastStepCode], [a lastErrorCode]);
  [rs close];

  /* The lock is released by another thread while A waits. */
  FLThreadGroup *g = [[[FLThreadGroup alloc] init] autorelease];
  LockReleaser *rel = [[[LockReleaser alloc] init] autorelease];
  rel->holder = b;
  rel->delay = 0.05;
  rel->waitFor = counter;
  counter->calls = 0;
  [a setMaxBusyRetryTimeInterval:10.0];
  [g start:rel selector:@selector(run:) object:nil];
  ok = [a executeUpdate:@"insert into t values (4)"];
  [g join];
  say(@"A waits with the handler (10 s) until B commits: %d, B committed %d, handler called %d",
      ok, rel->committed, counter->calls > 0);

  expect([b beginExclusiveTransaction], @"B: begin exclusive again");
  [a setBusyObserver:nil];
  expect([a setBusyTimeoutMilliseconds:100], @"busy_timeout 100");
  ok = [a executeUpdate:@"insert into t values (5)"];
  say(@"A with busy_timeout 100 ms while B holds the lock: %d errcode %d", ok, [a lastErrorCode]);
  rel->committed = NO;
  rel->waitFor = nil;
  rel->delay = 0.15;
  expect([a setBusyTimeoutMilliseconds:10000], @"busy_timeout 10000");
  [g start:rel selector:@selector(run:) object:nil];
  ok = [a executeUpdate:@"insert into t values (6)"];
  [g join];
  say(@"A with busy_timeout 10 s until B commits: %d, B committed %d", ok, rel->committed);
  [a setBusyTimeoutMilliseconds:0];
  expect([b beginImmediateTransaction], @"B: begin immediate");
  ok = [a executeUpdate:@"insert into t values (7)"];
  say(@"no busy handler, B reserved: %d errcode %d", ok, [a lastErrorCode]);
  [b rollback];
  rs = [a executeQuery:@"select group_concat(x, ',') from (select x from t order by x)"];
  [rs next];
  say(@"rows: %@", [rs stringForColumnIndex:0]);
  [rs close];
  [a close];
  [b close];
}

/* ---- the queue ---- */

static volatile int queueActive = 0;
static volatile int queueOverlaps = 0;

/* One unit of a thread's work on the queue. */
@interface CounterTask : NSObject <FLDatabaseTask> {
@public
  int thread;
  int seq;
  BOOL rollBack;
  NSThread *expectedWorker;
  BOOL onWorker;
  BOOL ok;
}
@end
@implementation CounterTask
- (void)runWithDatabase:(FLDatabase *)db rollback:(BOOL *)rollback {
  if (__sync_add_and_fetch(&queueActive, 1) != 1) {
    __sync_add_and_fetch(&queueOverlaps, 1);
  }
  onWorker = [NSThread currentThread] == expectedWorker;
  ok = [db executeUpdate:@"update counter set n = n + 1"]
       && [db executeUpdate:@"insert into log(thread, seq, changes) values (?, ?, ?)",
                            [NSNumber numberWithInt:thread], [NSNumber numberWithInt:seq],
                            [NSNumber numberWithInt:[db changes]]];
  *rollback = rollBack;
  __sync_sub_and_fetch(&queueActive, 1);
}
@end

/* A task that queues another task on its own queue. */
@interface ReentrantTask : NSObject <FLDatabaseTask> {
@public
  FLDatabaseQueue *queue;
  NSString *caught;
}
@end
@implementation ReentrantTask
- (void)runWithDatabase:(FLDatabase *)db rollback:(BOOL *)rollback {
  @try {
    [queue inDatabase:self];
  } @catch (NSException *e) {
    caught = [[e name] copy];
  }
}
- (void)dealloc {
  [caught release];
  [super dealloc];
}
@end

/* A task that reads one number. */
@interface ScalarTask : NSObject <FLDatabaseTask> {
@public
  NSString *sql;
  long long value;
}
@end
@implementation ScalarTask
- (void)runWithDatabase:(FLDatabase *)db rollback:(BOOL *)rollback {
  FLResultSet *rs = [db executeQuery:sql];
  value = [rs next] ? [rs longLongIntForColumnIndex:0] : -1;
  [rs close];
}
@end

enum { QueueThreads = 4, QueueTasks = 30 };

/* The body of one client thread of the queue. */
@interface QueueClient : NSObject {
@public
  FLDatabaseQueue *queue;
  int thread;
  int okCount;
  int workerCount;
}
- (void)run:(id)unused;
@end
@implementation QueueClient
- (void)run:(id)unused {
  int i;
  for (i = 0; i < QueueTasks; i++) {
    NSAutoreleasePool *pool = [[NSAutoreleasePool alloc] init];
    CounterTask *t = [[[CounterTask alloc] init] autorelease];
    t->thread = thread;
    t->seq = i;
    t->expectedWorker = [queue workerThread];
    if (i % 10 == 9) {
      t->rollBack = YES;                 /* rolled back: not counted */
      [queue inTransaction:t];
    } else if (i % 3 == 0) {
      [queue inDeferredTransaction:t];
    } else if (i % 3 == 1) {
      [queue inImmediateTransaction:t];
    } else if (i % 2 == 0) {
      [queue inSavePoint:t];
    } else {
      [queue inDatabase:t];
    }
    okCount += t->ok;
    workerCount += t->onWorker;
    [pool drain];
  }
}
@end

void testQueue(NSString *dir) {
  say(@"== queue");
  FLDatabaseQueue *q = [FLDatabaseQueue databaseQueueWithPath:[dir stringByAppendingPathComponent:@"queue.db"]
                                                        flags:SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE];
  say(@"queue open %d", [q isOpen]);
  ScalarTask *setup = [[[ScalarTask alloc] init] autorelease];
  setup->sql = @"select 0";
  [q inDatabase:setup];

  ScalarTask *mk = [[[ScalarTask alloc] init] autorelease];
  mk->sql = @"select count(*) from sqlite_master";
  [q inDatabase:mk];
  say(@"tables before: %lld", mk->value);

  FLThreadGroup *g = [[[FLThreadGroup alloc] init] autorelease];
  NSMutableArray *clients = [NSMutableArray array];
  int i;
  /* The schema, through the queue from this thread. */
  ScalarTask *create = [[[ScalarTask alloc] init] autorelease];
  create->sql = @"create table counter(n integer)";
  [q inDatabase:create];
  create->sql = @"insert into counter values (0)";
  [q inDatabase:create];
  create->sql = @"create table log(thread, seq, changes)";
  [q inDatabase:create];

  for (i = 0; i < QueueThreads; i++) {
    QueueClient *c = [[[QueueClient alloc] init] autorelease];
    c->queue = q;
    c->thread = i;
    [clients addObject:c];
    [g start:c selector:@selector(run:) object:nil];
  }
  [g join];
  for (i = 0; i < QueueThreads; i++) {
    QueueClient *c = [clients objectAtIndex:i];
    say(@"thread %d: tasks ok %d, ran on the worker %d", i, c->okCount, c->workerCount);
  }
  ScalarTask *n = [[[ScalarTask alloc] init] autorelease];
  n->sql = @"select n from counter";
  [q inDatabase:n];
  ScalarTask *rows = [[[ScalarTask alloc] init] autorelease];
  rows->sql = @"select count(*) from log";
  [q inDatabase:rows];
  ScalarTask *perThread = [[[ScalarTask alloc] init] autorelease];
  perThread->sql = @"select count(distinct thread) * 1000 + min(c) from (select thread, count(*) as c from log group by thread)";
  [q inDatabase:perThread];
  ScalarTask *changes = [[[ScalarTask alloc] init] autorelease];
  changes->sql = @"select sum(changes) from log";
  [q inDatabase:changes];
  say(@"counter %lld, log rows %lld, threads*1000+min rows per thread %lld, changes seen %lld",
      n->value, rows->value, perThread->value, changes->value);
  say(@"tasks overlapped: %d, tasks run > threads*tasks: %d", queueOverlaps,
      [q tasksRun] > (unsigned long)(QueueThreads * QueueTasks));

  ReentrantTask *re = [[[ReentrantTask alloc] init] autorelease];
  re->queue = q;
  [q inDatabase:re];
  say(@"reentrant use refused: %@", re->caught);
  [q close];
  say(@"queue closed: open %d", [q isOpen]);
  @try {
    [q inDatabase:n];
    say(@"a task after close ran");
  } @catch (NSException *e) {
    say(@"a task after close: %@", [e name]);
  }
}

/* ---- interrupt ---- */

/* Interrupts `db` every 20 ms until told to stop (an interrupt that comes
** before the statement runs is forgotten when it starts). */
@interface Interrupter : NSObject {
@public
  FLDatabase *db;
  volatile int stop;
  int sent;
}
- (void)run:(id)unused;
@end
@implementation Interrupter
- (void)run:(id)unused {
  for (;;) {
    [NSThread sleepForTimeInterval:0.02];
    if (stop) {
      break;
    }
    [db interrupt];
    sent++;
  }
}
@end

void testInterrupt(FLDatabase *db) {
  say(@"== interrupt");
  [db setLogsErrors:NO];
  [db executeUpdate:@"create table nums(x)"];
  [db executeUpdate:@"insert into nums select value from (with recursive c(value) as "
                    @"(select 1 union all select value + 1 from c where value < 1000) select value from c)"];
  FLResultSet *rs = [db executeQuery:@"select a.x from nums a, nums b"];
  int rows = 0;
  while ([rs next]) {
    if (++rows == 5) {
      [db interrupt];
    }
  }
  say(@"interrupted between steps after %d rows: step %d errcode %d errmsg '%@'", rows, [rs lastStepCode],
      [db lastErrorCode], [db lastErrorMessage]);
  rs = [db executeQuery:@"select count(*) from nums"];
  [rs next];
  say(@"the next statement runs: count %d", [rs intForColumnIndex:0]);
  [rs close];

  Interrupter *it = [[[Interrupter alloc] init] autorelease];
  it->db = db;
  FLThreadGroup *g = [[[FLThreadGroup alloc] init] autorelease];
  [g start:it selector:@selector(run:) object:nil];
  rs = [db executeQuery:@"select count(*) from nums a, nums b, nums c, nums d"];
  BOOL row = [rs next];
  it->stop = 1;
  [g join];
  say(@"a long step interrupted from another thread: row %d step %d errmsg '%@'", row, [rs lastStepCode],
      [db lastErrorMessage]);
  [db setLogsErrors:YES];
}
