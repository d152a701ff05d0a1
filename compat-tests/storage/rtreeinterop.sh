#!/usr/bin/env bash
# R*Tree file interop: an R*Tree written by one library is read, changed
# and checked (rtreecheck, integrity_check) by the other, in both
# directions, with trees several levels deep (their shapes differ between
# the libraries: only their contents must agree).
#
#   compat-tests/storage/rtreeinterop.sh FERROLITE_LIB REFERENCE_LIB
#
# For each page size (1024, 4096) and each direction W -> O (writer, other):
#   1. W writes the tables (rtreeinterop write);
#   2. both libraries show the file: identical output, rtreecheck ok;
#   3. O changes it (rtreeinterop modify), then both show it again:
#      identical output, rtreecheck ok;
#   4. W changes a copy of its original file the same way: its output must
#      equal step 3's (the same rows whichever library changed the tree).
# Ends with "N passed, N failed"; exits 1 on any failure.
set -uo pipefail

if [ $# -ne 2 ]; then
  echo "usage: $0 FERROLITE_LIB REFERENCE_LIB" >&2
  exit 2
fi
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
CC="${CC:-gcc}"
# shellcheck source=compat-tests/storage/common.sh
. "$HERE/common.sh"
use_libs rtreeinterop.sh "$1" "$2"

TMP="$(mktemp -d "${TMPDIR:-/tmp}/ferrolite-rtree.XXXXXX")"
trap 'rm -rf "$TMP"' EXIT
EXE="$TMP/rtreeinterop"
if ! "$CC" -O1 -Wall -I "$ROOT/include" -o "$EXE" "$HERE/rtreeinterop.c" -L"$RDIR" -lsqlite3 >"$TMP/cc.log" 2>&1; then
  fail "rtreeinterop.c does not build"; cat "$TMP/cc.log"; finish
fi

# same LABEL FILE_A FILE_B: pass when identical and rtreecheck said ok.
same() {
  if cmp -s "$2" "$3" && grep -q "rtreecheck('rt'), rtreecheck('ri') -> ok ok;" "$2"; then
    pass "$1"
  else
    fail "$1"
    diff "$2" "$3" | head -n 12 | cut -c1-200 | sed 's/^/    /'
    grep -m1 "rtreecheck" "$2" | cut -c1-300 | sed 's/^/    /'
  fi
}

for ps in 1024 4096; do
  ROUND_TAG="page $ps" ROUND_SELF="the same rows as when"
  for w in F R; do
    interop_round "$w" "$TMP/$w-$ps.db" "$ps" tree
  done
done
finish
