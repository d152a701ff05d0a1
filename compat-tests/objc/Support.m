/*
** Support.m: printing, failure counting and joinable threads for the
** Objective-C client's test program (see Support.h).
*/
#import "Support.h"
#include <stdarg.h>

static int failures = 0;

void say(NSString *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  NSString *s = [[NSString alloc] initWithFormat:fmt arguments:ap];
  va_end(ap);
  printf("%s\n", [s UTF8String]);
  fflush(stdout);
  [s release];
}

void expect(BOOL cond, NSString *what) {
  if (!cond) {
    failures++;
    say(@"UNEXPECTED: %@", what);
    fprintf(stderr, "UNEXPECTED: %s\n", [what UTF8String]);
  }
}

int failureCount(void) { return failures; }

NSString *show(id value) {
  if (value == nil) {
    return @"nil";
  }
  if (value == [NSNull null]) {
    return @"NULL";
  }
  if ([value isKindOfClass:[NSData class]]) {
    NSMutableString *s = [NSMutableString stringWithString:@"x'"];
    const unsigned char *b = [value bytes];
    NSUInteger i;
    for (i = 0; i < [value length]; i++) {
      [s appendFormat:@"%02x", b[i]];
    }
    [s appendString:@"'"];
    return s;
  }
  if ([value isKindOfClass:[NSString class]]) {
    return [NSString stringWithFormat:@"'%@'", value];
  }
  if ([value isKindOfClass:[NSNumber class]]) {
    char t = [value objCType][0];
    if (t == 'd' || t == 'f') {
      char buf[64];
      snprintf(buf, sizeof buf, "%.17g", [value doubleValue]);
      return [NSString stringWithFormat:@"%s", buf];
    }
    return [NSString stringWithFormat:@"%lld", [value longLongValue]];
  }
  return [value description];
}

NSString *typeName(int type) {
  switch (type) {
    case SQLITE_INTEGER: return @"INTEGER";
    case SQLITE_FLOAT: return @"FLOAT";
    case SQLITE_TEXT: return @"TEXT";
    case SQLITE_BLOB: return @"BLOB";
    case SQLITE_NULL: return @"NULL";
    default: return [NSString stringWithFormat:@"type%d", type];
  }
}

/* One thread's body: runs target/selector, then counts itself finished. */
@interface FLThreadBody : NSObject {
@public
  id target;
  SEL selector;
  id argument;
  NSConditionLock *finished;
}
@end

@implementation FLThreadBody
- (void)run:(id)unused {
  NSAutoreleasePool *pool = [[NSAutoreleasePool alloc] init];
  @try {
    [target performSelector:selector withObject:argument];
  } @catch (NSException *e) {
    expect(NO, [NSString stringWithFormat:@"a thread raised %@", [e reason]]);
  }
  [pool drain];
  [finished lock];
  [finished unlockWithCondition:[finished condition] - 1];
}
- (void)dealloc {
  [target release];
  [argument release];
  [super dealloc];
}
@end

@implementation FLThreadGroup
- (instancetype)init {
  if ((self = [super init])) {
    finished = [[NSConditionLock alloc] initWithCondition:0];
    bodies = [[NSMutableArray alloc] init];
  }
  return self;
}

- (void)dealloc {
  [finished release];
  [bodies release];
  [super dealloc];
}

- (void)start:(id)target selector:(SEL)sel object:(id)arg {
  FLThreadBody *body = [[[FLThreadBody alloc] init] autorelease];
  body->target = [target retain];
  body->selector = sel;
  body->argument = [arg retain];
  body->finished = finished;
  [bodies addObject:body];
  [finished lock];
  [finished unlockWithCondition:[finished condition] + 1];
  [NSThread detachNewThreadSelector:@selector(run:) toTarget:body withObject:nil];
}

- (void)join {
  [finished lockWhenCondition:0];
  [finished unlock];
}
@end
