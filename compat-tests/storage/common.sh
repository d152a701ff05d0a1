# Helpers shared by the storage drivers (multiproc.sh, crash.sh, interop.sh,
# bigfile.sh, wal.sh), sourced first; `use_libs` then sets FDIR/FLIB
# (Ferrolite) and RDIR/RLIB (the reference SQLite). A library is named F
# (Ferrolite) or R (reference).

# use_libs DRIVER FERROLITE_LIB REFERENCE_LIB: checks both libraries exist
# and sets FLIB/FDIR, RLIB/RDIR; exits 2 when one is missing.
use_libs() {
  local driver="$1" lib
  for lib in "$2" "$3"; do
    [ -f "$lib" ] || { echo "$driver: library not found: $lib" >&2; exit 2; }
  done
  FLIB="$(realpath "$2")"; FDIR="$(cd "$(dirname "$2")" && pwd)"
  RLIB="$(realpath "$3")"; RDIR="$(cd "$(dirname "$3")" && pwd)"
}

# The PASS/FAIL tally every driver ends with (PASS lines are not printed
# when QUIET_PASS is set).
PASS=0; FAIL=0
pass() { PASS=$((PASS+1)); [ -n "${QUIET_PASS:-}" ] || echo "PASS $1"; }
fail() { FAIL=$((FAIL+1)); echo "FAIL $1"; }
finish() { echo "$PASS passed, $FAIL failed"; [ "$FAIL" -eq 0 ]; exit $?; }

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
# other F|R: the other library of the two.
other() { [ "$1" = F ] && echo R || echo F; }
