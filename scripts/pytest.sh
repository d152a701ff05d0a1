#!/usr/bin/env bash
# Runs CPython's own sqlite3 test suite on the libsqlite3 in LIBDIR.
#
#   scripts/pytest.sh target/release      # Ferrolite
#   scripts/pytest.sh target/reference    # SQLite 3.54.1, for comparison
#
# First verifies that, with LD_LIBRARY_PATH=LIBDIR, the libsqlite3 that
# Python's _sqlite3 maps is LIBDIR/libsqlite3.so.0 (canonical paths), then
# runs `python3 -m unittest test.test_sqlite3`, prints its summary and a
# closing "N passed, N failed" line. Exit status: unittest's, or 2 when the
# wrong library is loaded / the test suite is not installed.
# Environment: PYTHON (default python3).
set -uo pipefail

if [ $# -ne 1 ] || [ ! -d "$1" ]; then
  echo "usage: $0 LIBDIR   (a directory holding libsqlite3.so.0)" >&2
  exit 2
fi
PY="${PYTHON:-python3}"
LIBDIR="$(cd "$1" && pwd)"
LIB="$LIBDIR/libsqlite3.so.0"
if [ ! -e "$LIB" ]; then
  echo "pytest.sh: $LIB does not exist" >&2
  echo "0 passed, 1 failed"
  exit 2
fi

if ! LD_LIBRARY_PATH="$LIBDIR" EXPECT="$LIB" "$PY" -c '
import os, sys
try:
    import _sqlite3
except Exception as e:  # e.g. a library still missing symbols
    sys.exit("pytest.sh: import _sqlite3 failed: %s" % e)
want = os.path.realpath(os.environ["EXPECT"])
found = sorted({os.path.realpath(l.split(None, 5)[5].strip()) for l in open("/proc/self/maps")
                if len(l.split(None, 5)) == 6 and os.path.basename(l.split(None, 5)[5].strip()).startswith("libsqlite3")})
if found != [want]:
    sys.exit("pytest.sh: expected libsqlite3 %s but _sqlite3 maps %s" % (want, found or "none"))
print("library: %s (sqlite_version %s)" % (want, _sqlite3.sqlite_version))
'; then
  echo "0 passed, 1 failed"
  exit 2
fi

if ! "$PY" -c 'import test.test_sqlite3' >/dev/null 2>&1; then
  echo "pytest.sh: this Python has no test.test_sqlite3 (install its test package)" >&2
  echo "0 passed, 1 failed"
  exit 2
fi

OUT="$(mktemp)"
trap 'rm -f "$OUT"' EXIT
# The suite writes temporary files in the current directory: run it in a
# scratch one.
WORK="$(mktemp -d)"
trap 'rm -f "$OUT"; rm -rf "$WORK"' EXIT
(cd "$WORK" && LD_LIBRARY_PATH="$LIBDIR" "$PY" -m unittest test.test_sqlite3) >"$OUT" 2>&1
rc=$?
# The failures' details, then the summary.
grep -E '^(FAIL|ERROR):' "$OUT" | head -n 50
tail -n 4 "$OUT"

ran="$(sed -n 's/^Ran \([0-9][0-9]*\) tests\{0,1\} in .*/\1/p' "$OUT" | tail -n 1)"
last="$(tail -n 1 "$OUT")"
num() { echo "$last" | sed -n "s/.*$1=\([0-9][0-9]*\).*/\1/p"; }
failures="$(num failures)"; errors="$(num errors)"; skipped="$(num skipped)"
unexpected="$(num 'unexpected successes')"
ran="${ran:-0}"
bad=$(( ${failures:-0} + ${errors:-0} + ${unexpected:-0} ))
good=$(( ran - bad - ${skipped:-0} ))
if [ "$ran" -eq 0 ] && [ $rc -ne 0 ]; then
  bad=1
  tail -n 20 "$OUT"
fi
echo "${skipped:-0} skipped"
echo "$good passed, $bad failed"
exit $rc
