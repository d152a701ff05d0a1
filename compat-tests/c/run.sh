#!/usr/bin/env bash
# Ferrolite's C compatibility tests.
#
#   compat-tests/c/run.sh FERROLITE_LIB REFERENCE_LIB
#   e.g. compat-tests/c/run.sh target/release/libsqlite3.so.0 target/reference/libsqlite3.so.0
#
# Compiles every compat-tests/c/*.c against the project's include/ (only
# `-I include`; FERROLITE_INCLUDE=DIR overrides it) and links it with
# -L<Ferrolite's dir> -lsqlite3; runs each program once per library
# (LD_LIBRARY_PATH=<that library's dir>, FERROLITE_EXPECT_LIB=<that library>,
# which harness.h verifies), each with a fresh database file, and compares:
#   - both runs exit 0 with identical output;
#   - the reference library finds the file Ferrolite wrote intact
#     (PRAGMA integrity_check = ok) and with the same schema and rows as the
#     file the reference wrote;
#   - Ferrolite reads the file the reference wrote with the same rows.
# Files are read by tools/dbcheck.c. Each ext/NAME.c is first built as the
# loadable extension $FERROLITE_EXT_DIR/libNAME.so against include/ alone
# (-shared -fPIC, linked with no libsqlite3) for the programs that load it. Ends with "N passed, N failed"; exits 1
# when anything failed, 2 on bad usage.
set -uo pipefail

if [ $# -ne 2 ]; then
  echo "usage: $0 FERROLITE_LIB REFERENCE_LIB" >&2
  exit 2
fi
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
CC="${CC:-gcc}"
INCLUDE_DIR="${FERROLITE_INCLUDE:-$ROOT/include}"
TIMEOUT_SECS="${CTEST_TIMEOUT:-300}"

for lib in "$1" "$2"; do
  if [ ! -f "$lib" ]; then
    echo "run.sh: library not found: $lib" >&2
    exit 2
  fi
done
FLIB="$(realpath "$1")"; FDIR="$(dirname "$FLIB")"
RLIB="$(realpath "$2")"; RDIR="$(dirname "$RLIB")"
# The directory the loader searches must hold the library under its soname.
FDIR="$(cd "$(dirname "$1")" && pwd)"
RDIR="$(cd "$(dirname "$2")" && pwd)"

PASS=0
FAIL=0
pass() { PASS=$((PASS+1)); echo "PASS $1"; }
fail() { FAIL=$((FAIL+1)); echo "FAIL $1"; }
finish() {
  echo "$PASS passed, $FAIL failed"
  [ "$FAIL" -eq 0 ]
  exit $?
}

TMP="$(mktemp -d "${TMPDIR:-/tmp}/ferrolite-ctest.XXXXXX")"
trap 'rm -rf "$TMP"' EXIT

echo "ferrolite: $FLIB"
echo "reference: $RLIB"
echo "include:   $INCLUDE_DIR"

if [ ! -f "$INCLUDE_DIR/sqlite3.h" ]; then
  fail "include: $INCLUDE_DIR/sqlite3.h does not exist"
  finish
fi

# Link arguments for a library file: -L DIR -lsqlite3 when DIR has the
# linker name libsqlite3.so, else the file itself (its soname is recorded).
link_args() {
  local file="$1" dir
  dir="$(cd "$(dirname "$file")" && pwd)"
  if [ -e "$dir/libsqlite3.so" ]; then
    echo "-L$dir -lsqlite3"
  else
    echo "$file"
  fi
}

tmo() {
  if command -v timeout >/dev/null; then timeout "$TIMEOUT_SECS" "$@"; else "$@"; fi
}

# run_with LIBFILE LIBDIR OUT ERR CMD...   (returns the command's status)
run_with() {
  local lib="$1" dir="$2" out="$3" err="$4"
  shift 4
  LD_LIBRARY_PATH="$dir" FERROLITE_EXPECT_LIB="$lib" tmo "$@" >"$out" 2>"$err"
}

show_err() { # FILE: last lines, indented
  if [ -s "$1" ]; then tail -n 5 "$1" | cut -c1-200 | sed 's/^/    | /'; fi
}

show_diff() { # LABEL_A FILE_A LABEL_B FILE_B: the start of a unified diff
  if [ ! -s "$4" ]; then
    echo "    ($3 printed nothing)"
  elif [ ! -s "$2" ]; then
    echo "    ($1 printed nothing)"
  else
    diff -u --label "$1" --label "$3" "$2" "$4" | head -n 16 | cut -c1-200 | sed 's/^/    /'
  fi
}

# The file-reading helper, linked to the reference library.
mkdir -p "$TMP/bin"
DBCHECK="$TMP/bin/dbcheck"
# shellcheck disable=SC2046
if ! "$CC" -O1 -I "$INCLUDE_DIR" -o "$DBCHECK" "$HERE/tools/dbcheck.c" $(link_args "$RLIB") >"$TMP/dbcheck.cc" 2>&1; then
  fail "tools/dbcheck.c does not build"
  show_err "$TMP/dbcheck.cc"
  DBCHECK=""
fi

shopt -s nullglob
# The loadable extensions (ext/*.c): they reach the library only through
# the sqlite3_api_routines table, so they are linked with neither library.
export FERROLITE_EXT_DIR="$TMP/ext"
mkdir -p "$FERROLITE_EXT_DIR"
for src in "$HERE"/ext/*.c; do
  name="$(basename "$src" .c)"
  if ! "$CC" -O1 -Wall -shared -fPIC -I "$INCLUDE_DIR" -o "$FERROLITE_EXT_DIR/lib$name.so" "$src" >"$TMP/ext-$name.cc" 2>&1; then
    fail "ext/$name: does not build as a loadable extension"
    show_err "$TMP/ext-$name.cc"
  fi
done

PROGRAMS=("$HERE"/*.c)
if [ ${#PROGRAMS[@]} -eq 0 ]; then
  fail "no programs in $HERE"
  finish
fi

for src in "${PROGRAMS[@]}"; do
  name="$(basename "$src" .c)"
  exe="$TMP/bin/$name"
  # shellcheck disable=SC2046
  if ! "$CC" -O1 -Wall -I "$INCLUDE_DIR" -o "$exe" "$src" $(link_args "$FLIB") >"$TMP/$name.cc" 2>&1; then
    fail "$name: does not compile/link against Ferrolite"
    show_err "$TMP/$name.cc"
    # Still link it against the reference (same soname), so that both runs
    # happen and show how far Ferrolite gets.
    # shellcheck disable=SC2046
    if ! "$CC" -O1 -Wall -I "$INCLUDE_DIR" -o "$exe" "$src" $(link_args "$RLIB") >"$TMP/$name.cc2" 2>&1; then
      fail "$name: does not compile against the reference either"
      show_err "$TMP/$name.cc2"
      continue
    fi
  fi

  fdb="$TMP/$name.ferrolite.db"; rdb="$TMP/$name.reference.db"
  run_with "$FLIB" "$FDIR" "$TMP/$name.f.out" "$TMP/$name.f.err" "$exe" "$fdb"; frc=$?
  run_with "$RLIB" "$RDIR" "$TMP/$name.r.out" "$TMP/$name.r.err" "$exe" "$rdb"; rrc=$?

  if [ $frc -eq 0 ] && [ $rrc -eq 0 ] && cmp -s "$TMP/$name.f.out" "$TMP/$name.r.out"; then
    pass "$name: same output on both libraries ($(wc -l <"$TMP/$name.r.out") lines)"
  else
    fail "$name: outputs differ (exit ferrolite=$frc reference=$rrc)"
    [ $frc -ne 0 ] && show_err "$TMP/$name.f.err"
    [ $rrc -ne 0 ] && show_err "$TMP/$name.r.err"
    show_diff reference "$TMP/$name.r.out" ferrolite "$TMP/$name.f.out"
  fi

  if [ -z "$DBCHECK" ]; then
    continue
  fi
  if [ $rrc -ne 0 ] || [ ! -f "$rdb" ]; then
    echo "SKIP $name: file checks (the reference run wrote no database)"
    continue
  fi
  run_with "$RLIB" "$RDIR" "$TMP/$name.rr.dump" "$TMP/$name.rr.err" "$DBCHECK" dump "$rdb"; rr=$?
  if [ $rr -ne 0 ]; then
    fail "$name: the reference cannot dump its own file"
    show_err "$TMP/$name.rr.dump"; show_err "$TMP/$name.rr.err"
    continue
  fi

  if [ ! -f "$fdb" ]; then
    fail "$name: Ferrolite wrote no database file"
  else
    run_with "$RLIB" "$RDIR" "$TMP/$name.fi" "$TMP/$name.fi.err" "$DBCHECK" integrity "$fdb"; c=$?
    if [ $c -eq 0 ] && [ "$(cat "$TMP/$name.fi")" = "'ok'" ]; then
      pass "$name: reference's integrity_check of Ferrolite's file is ok"
    else
      fail "$name: reference's integrity_check of Ferrolite's file (exit $c)"
      head -n 10 "$TMP/$name.fi" | sed 's/^/    | /'; show_err "$TMP/$name.fi.err"
    fi
    run_with "$RLIB" "$RDIR" "$TMP/$name.rf.dump" "$TMP/$name.rf.err" "$DBCHECK" dump "$fdb"; c=$?
    if [ $c -eq 0 ] && cmp -s "$TMP/$name.rf.dump" "$TMP/$name.rr.dump"; then
      pass "$name: Ferrolite's file holds the same schema and rows as the reference's (read by the reference)"
    else
      fail "$name: Ferrolite's file read by the reference differs from the reference's file (exit $c)"
      show_err "$TMP/$name.rf.err"
      show_diff reference-file "$TMP/$name.rr.dump" ferrolite-file "$TMP/$name.rf.dump"
    fi
  fi

  run_with "$FLIB" "$FDIR" "$TMP/$name.fr.dump" "$TMP/$name.fr.err" "$DBCHECK" dump "$rdb"; c=$?
  if [ $c -eq 0 ] && cmp -s "$TMP/$name.fr.dump" "$TMP/$name.rr.dump"; then
    pass "$name: Ferrolite reads the reference's file with the same schema and rows"
  else
    fail "$name: Ferrolite reading the reference's file (exit $c)"
    show_err "$TMP/$name.fr.err"
    show_diff reference "$TMP/$name.rr.dump" ferrolite "$TMP/$name.fr.dump"
  fi
done

# The library check itself: a program told to expect Ferrolite but given the
# reference must refuse to run (exit 2).
if [ "$FLIB" != "$RLIB" ] && [ -x "$TMP/bin/skeleton" ]; then
  run_with "$FLIB" "$RDIR" "$TMP/guard.out" "$TMP/guard.err" "$TMP/bin/skeleton" "$TMP/guard.db"; c=$?
  if [ $c -eq 2 ]; then
    pass "harness.h refuses to run against the wrong library"
  else
    fail "harness.h let a program run against the wrong library (exit $c)"
  fi
fi

finish
