#!/usr/bin/env bash
# FTS4 file interop: a full-text table written by one library (thousands
# of documents, 1024-byte pages: several segment levels and interior
# nodes, deletes and updates; 'optimize' on one of the two runs) is read,
# changed and checked ('integrity-check', PRAGMA integrity_check) by the
# other, in both directions.
#
#   compat-tests/storage/ftsinterop.sh FERROLITE_LIB REFERENCE_LIB
#
# For OPTIMIZE 0 and 1 and each direction W -> O (writer, other):
#   1. W writes the table (ftsinterop write);
#   2. both libraries show the file: identical output, checks ok;
#   3. O changes it (ftsinterop modify), then both show it again:
#      identical output, checks ok;
#   4. W changes a copy of its original file the same way: its output must
#      equal step 3's (Ferrolite writes SQLite's segments, so even the
#      %_segdir rows agree).
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
use_libs ftsinterop.sh "$1" "$2"

TMP="$(mktemp -d "${TMPDIR:-/tmp}/ferrolite-fts.XXXXXX")"
trap 'rm -rf "$TMP"' EXIT
EXE="$TMP/ftsinterop"
if ! "$CC" -O1 -Wall -I "$ROOT/include" -o "$EXE" "$HERE/ftsinterop.c" -L"$RDIR" -lsqlite3 >"$TMP/cc.log" 2>&1; then
  fail "ftsinterop.c does not build"; cat "$TMP/cc.log"; finish
fi

# same LABEL FILE_A FILE_B: pass when identical and both checks said ok.
same() {
  if cmp -s "$2" "$3" && grep -q "^INSERT INTO t(t) VALUES('integrity-check') ->$" "$2" && grep -q "^PRAGMA integrity_check -> ok;$" "$2"; then
    pass "$1"
  else
    fail "$1"
    diff "$2" "$3" | head -n 12 | cut -c1-200 | sed 's/^/    /'
    head -n 2 "$2" | cut -c1-300 | sed 's/^/    /'
  fi
}

for opt in 0 1; do
  ROUND_TAG="optimize=$opt" ROUND_SELF="the same index as when"
  for w in F R; do
    interop_round "$w" "$TMP/$w-$opt.db" "$opt" table
  done
done
finish
