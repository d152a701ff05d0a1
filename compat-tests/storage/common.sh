# Helpers shared by the storage drivers (multiproc.sh, crash.sh), sourced
# after they set FDIR/FLIB (Ferrolite) and RDIR/RLIB (the reference SQLite).
# A library is named F (Ferrolite) or R (reference).

# on LIB CMD...: run CMD with LIB loaded (and verified by harness.h).
on() {
  local lib="$1"; shift
  if [ "$lib" = F ]; then
    LD_LIBRARY_PATH="$FDIR" FERROLITE_EXPECT_LIB="$FLIB" "$@"
  else
    LD_LIBRARY_PATH="$RDIR" FERROLITE_EXPECT_LIB="$RLIB" "$@"
  fi
}

# spawn LIB CMD... &: like on, but the background job's pid ($!) is the
# command's own pid (the subshell execs it), so that kill reaches it.
spawn() {
  local lib="$1"; shift
  if [ "$lib" = F ]; then
    export LD_LIBRARY_PATH="$FDIR" FERROLITE_EXPECT_LIB="$FLIB"
  else
    export LD_LIBRARY_PATH="$RDIR" FERROLITE_EXPECT_LIB="$RLIB"
  fi
  exec "$@"
}

libname() { [ "$1" = F ] && echo ferrolite || echo sqlite; }
