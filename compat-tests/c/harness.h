/*
** harness.h: shared helper of Ferrolite's C compatibility tests.
**
** ferrolite_check_lib() must be the first call in main(). It reads
** /proc/self/maps, finds every mapped file whose basename starts with
** "libsqlite3", and compares its canonical path with the canonical path
** named by the environment variable FERROLITE_EXPECT_LIB. Unless exactly
** that one library is mapped, it prints an error to stderr and exits with
** status 2: a test that silently ran against some other libsqlite3 (such as
** the system's) would prove nothing.
*/
#ifndef FERROLITE_HARNESS_H
#define FERROLITE_HARNESS_H

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef PATH_MAX
#define PATH_MAX 4096
#endif

static void ferrolite_check_lib(void){
  const char *want = getenv("FERROLITE_EXPECT_LIB");
  char want_real[PATH_MAX];
  char found[8][PATH_MAX];
  int nfound = 0;
  char line[PATH_MAX + 256];
  FILE *maps;
  int i;

  if( want==0 || want[0]==0 ){
    fprintf(stderr, "harness: FERROLITE_EXPECT_LIB is not set\n");
    exit(2);
  }
  if( realpath(want, want_real)==0 ){
    fprintf(stderr, "harness: FERROLITE_EXPECT_LIB=%s does not exist\n", want);
    exit(2);
  }
  maps = fopen("/proc/self/maps", "r");
  if( maps==0 ){
    fprintf(stderr, "harness: cannot read /proc/self/maps\n");
    exit(2);
  }
  while( fgets(line, sizeof(line), maps) ){
    char *path = strchr(line, '/');
    char *base;
    char real[PATH_MAX];
    size_t n;
    if( path==0 ) continue;
    n = strlen(path);
    while( n>0 && (path[n-1]=='\n' || path[n-1]=='\r') ) path[--n] = 0;
    base = strrchr(path, '/');
    base = base ? base+1 : path;
    if( strncmp(base, "libsqlite3", 10)!=0 ) continue;
    if( realpath(path, real)==0 ){
      /* A mapped file that no longer resolves (deleted): keep its name. */
      strncpy(real, path, sizeof(real)-1);
      real[sizeof(real)-1] = 0;
    }
    for(i=0; i<nfound; i++){
      if( strcmp(found[i], real)==0 ) break;
    }
    if( i==nfound && nfound<8 ){
      memcpy(found[nfound++], real, sizeof(real));
    }
  }
  fclose(maps);
  if( nfound==1 && strcmp(found[0], want_real)==0 ) return;
  fprintf(stderr, "harness: expected libsqlite3 %s but the process maps", want_real);
  if( nfound==0 ) fprintf(stderr, " no libsqlite3 at all");
  for(i=0; i<nfound; i++) fprintf(stderr, "%s %s", i ? "," : "", found[i]);
  fprintf(stderr, "\n");
  exit(2);
}

#endif /* FERROLITE_HARNESS_H */
