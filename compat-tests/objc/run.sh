#!/usr/bin/env bash
# Ferrolite's Objective-C compatibility client (issue 5).
#
#   compat-tests/objc/run.sh FERROLITE_LIB REFERENCE_LIB
#   e.g. compat-tests/objc/run.sh target/release/libsqlite3.so.0 target/reference/libsqlite3.so.0
#
# 1. Checks that the client's sources call every function of
#    ../shared/abi/used-by-fmdb.txt (SHARED_DIR overrides ../shared) except
#    sqlite3_key / sqlite3_rekey.
# 2. Builds the client (every *.m here) with gcc's Objective-C and GNUstep
#    Foundation against the project's include/sqlite3.h, linked with
#    -L<Ferrolite's dir> -lsqlite3. Missing gobjc / GNUstep is a failure,
#    not a skip.
# 3. Runs it once per library (LD_LIBRARY_PATH=<that library's dir>,
#    FERROLITE_EXPECT_LIB=<that library>, which the client verifies), each
#    in a fresh directory, and compares: both must exit 0 with identical
#    output.
# 4. Runs it told to expect Ferrolite while the reference is loaded: it must
#    refuse (exit 2).
# Ends with "N passed, N failed"; exits 1 when anything failed, 2 on bad usage.
set -uo pipefail

if [ $# -ne 2 ]; then
  echo "usage: $0 FERROLITE_LIB REFERENCE_LIB" >&2
  exit 2
fi
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
SHARED="${SHARED_DIR:-$ROOT/../shared}"
case "$SHARED" in /*) ;; *) SHARED="$ROOT/$SHARED" ;; esac
FUNCTION_LIST="${FMDB_FUNCTIONS:-$SHARED/abi/used-by-fmdb.txt}"
CC="${OBJC_CC:-gcc}"
TIMEOUT_SECS="${OBJC_TIMEOUT:-300}"

for lib in "$1" "$2"; do
  if [ ! -f "$lib" ]; then
    echo "run.sh: library not found: $lib" >&2
    exit 2
  fi
done
FLIB="$(realpath "$1")"
RLIB="$(realpath "$2")"
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

TMP="$(mktemp -d "${TMPDIR:-/tmp}/ferrolite-objc.XXXXXX")"
trap 'rm -rf "$TMP"' EXIT

echo "ferrolite: $FLIB"
echo "reference: $RLIB"

# 1. Every function FMDB uses is called by the client.
if [ ! -f "$FUNCTION_LIST" ]; then
  fail "function list $FUNCTION_LIST does not exist"
else
  missing=()
  total=0
  while IFS= read -r name; do
    name="${name%%#*}"; name="${name//[[:space:]]/}"
    [ -z "$name" ] && continue
    case "$name" in sqlite3_key|sqlite3_rekey) continue ;; esac
    total=$((total+1))
    if ! grep -Eq "\\b${name}[[:space:]]*\\(" "$HERE"/*.m; then
      missing+=("$name")
    fi
  done <"$FUNCTION_LIST"
  if [ ${#missing[@]} -eq 0 ] && [ "$total" -gt 0 ]; then
    pass "the client calls all $total functions of $(basename "$FUNCTION_LIST") (key/rekey excepted)"
  else
    fail "the client does not call: ${missing[*]:-(the list is empty)}"
  fi
fi

# 2. Build.
if ! command -v "$CC" >/dev/null || ! command -v gnustep-config >/dev/null; then
  fail "gcc's Objective-C or GNUstep is missing (Debian: apt-get install gobjc libgnustep-base-dev)"
  finish
fi
OBJC_FLAGS="$(gnustep-config --objc-flags)"
BASE_LIBS="$(gnustep-config --base-libs)"
EXE="$TMP/objc-client"
# Ferrolite's directory comes first so that -lsqlite3 never finds the
# system's library through GNUstep's -L/usr/lib.
# shellcheck disable=SC2086
if "$CC" $OBJC_FLAGS -MMD -MF /dev/null -std=gnu11 -Wno-unused-parameter \
     -Werror=implicit-function-declaration -Werror=incompatible-pointer-types \
     -I "$ROOT/include" -I "$ROOT/compat-tests/c" -I "$HERE" \
     -o "$EXE" "$HERE"/*.m -L"$FDIR" -lsqlite3 $BASE_LIBS -ldl >"$TMP/cc.log" 2>&1; then
  pass "the client builds with $("$CC" --version | head -n 1)"
else
  fail "the client does not build"
  tail -n 20 "$TMP/cc.log" | cut -c1-200 | sed 's/^/    | /'
  finish
fi
if grep -q "warning:" "$TMP/cc.log"; then
  echo "    (compiler warnings:)"
  grep "warning:" "$TMP/cc.log" | head -n 10 | cut -c1-200 | sed 's/^/    | /'
fi

tmo() {
  if command -v timeout >/dev/null; then timeout "$TIMEOUT_SECS" "$@"; else "$@"; fi
}

# 3. One run per library.
run_client() { # LIB DIR NAME
  local lib="$1" dir="$2" name="$3"
  mkdir -p "$TMP/$name"
  LD_LIBRARY_PATH="$dir" FERROLITE_EXPECT_LIB="$lib" tmo "$EXE" "$TMP/$name" \
    >"$TMP/$name.out" 2>"$TMP/$name.err"
}
run_client "$FLIB" "$FDIR" ferrolite; frc=$?
run_client "$RLIB" "$RDIR" reference; rrc=$?
lines="$(wc -l <"$TMP/reference.out")"
if [ $frc -eq 0 ] && [ $rrc -eq 0 ] && [ "$lines" -gt 0 ] && cmp -s "$TMP/ferrolite.out" "$TMP/reference.out"; then
  pass "same output on both libraries ($lines lines)"
else
  fail "outputs differ (exit ferrolite=$frc reference=$rrc)"
  for side in ferrolite reference; do
    if [ -s "$TMP/$side.err" ]; then
      echo "    $side stderr:"
      tail -n 8 "$TMP/$side.err" | cut -c1-200 | sed 's/^/    | /'
    fi
  done
  diff -u --label reference --label ferrolite "$TMP/reference.out" "$TMP/ferrolite.out" \
    | head -n 60 | cut -c1-200 | sed 's/^/    /'
fi
if [ -n "${OBJC_KEEP_OUTPUT:-}" ]; then
  cp "$TMP/ferrolite.out" "$OBJC_KEEP_OUTPUT.ferrolite"
  cp "$TMP/reference.out" "$OBJC_KEEP_OUTPUT.reference"
fi

# 4. The library check itself.
if [ "$FLIB" != "$RLIB" ]; then
  mkdir -p "$TMP/guard"
  LD_LIBRARY_PATH="$RDIR" FERROLITE_EXPECT_LIB="$FLIB" tmo "$EXE" "$TMP/guard" >"$TMP/guard.out" 2>&1; c=$?
  if [ $c -eq 2 ]; then
    pass "the client refuses to run against the wrong library"
  else
    fail "the client ran against the wrong library (exit $c)"
  fi
fi

finish
