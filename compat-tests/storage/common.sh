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

# interop_round W DB ARG WHAT: one round of a file-interop script whose
# program ($EXE) has the commands `write DB ARG`, `show DB` and `modify DB`,
# with the other library O: W writes; both show it (`same`, which the
# script defines, compares); O changes it and both show it again; W changes
# a copy of its original file the same way, which must show as O's change
# did. WHAT names the written object in messages ("table", "tree").
interop_round() {
  local w="$1" db="$2" arg="$3" what="$4" o tag
  o="$(other "$w")"
  tag="$ROUND_TAG, $(libname "$w") writes, $(libname "$o") changes"
  rm -f "$db" "$db.copy"
  if ! on "$w" "$EXE" write "$db" "$arg" >"$TMP/w.out" 2>&1; then
    fail "$tag: write failed"; head -n 5 "$TMP/w.out"; return
  fi
  cp "$db" "$db.copy"
  on "$w" "$EXE" show "$db" >"$TMP/show-w.out" 2>&1
  on "$o" "$EXE" show "$db" >"$TMP/show-o.out" 2>&1
  same "$tag: both libraries read the written file alike" "$TMP/show-w.out" "$TMP/show-o.out"
  if ! on "$o" "$EXE" modify "$db" >"$TMP/m.out" 2>&1; then
    fail "$tag: $(libname "$o") cannot change the $what"; head -n 5 "$TMP/m.out"; return
  fi
  on "$w" "$EXE" show "$db" >"$TMP/after-w.out" 2>&1
  on "$o" "$EXE" show "$db" >"$TMP/after-o.out" 2>&1
  same "$tag: both libraries read the changed file alike" "$TMP/after-w.out" "$TMP/after-o.out"
  on "$w" "$EXE" modify "$db.copy" >"$TMP/m2.out" 2>&1
  on "$w" "$EXE" show "$db.copy" >"$TMP/self.out" 2>&1
  same "$tag: $ROUND_SELF $(libname "$w") changes its own file" "$TMP/self.out" "$TMP/after-o.out"
}
