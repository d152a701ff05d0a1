#!/usr/bin/env bash
# Databases past the lock-byte page (1 GiB) and past 4 GiB, both ways.
#
#   compat-tests/storage/bigfile.sh FERROLITE_LIB REFERENCE_LIB [MIB] [PAGESIZES]
#
# For each page size (default "4096 65536"), bigfile.c writes a database of
# MIB MiB (default 1100: past the lock-byte page; 4400 goes past 4 GiB)
# with Ferrolite and with SQLite; then each file is checked by both
# libraries: SQLite's integrity_check must say ok and both must print the
# same rows and digests, and the two files' contents must agree. Needs
# about 2 x MIB of free space in TMPDIR. Ends with "N passed, N failed".
set -uo pipefail

if [ $# -lt 2 ] || [ $# -gt 4 ]; then
  echo "usage: $0 FERROLITE_LIB REFERENCE_LIB [MIB] [PAGESIZES]" >&2
  exit 2
fi
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
CC="${CC:-gcc}"
MIB="${3:-1100}"
SIZES=(${4:-4096 65536})

# shellcheck source=compat-tests/storage/common.sh
. "$HERE/common.sh"
use_libs bigfile.sh "$1" "$2"

TMP="$(mktemp -d "${TMPDIR:-/tmp}/ferrolite-bigfile.XXXXXX")"
trap 'rm -rf "$TMP"' EXIT
BIN="$TMP/bigfile"
if ! "$CC" -O1 -Wall -I "$ROOT/include" -o "$BIN" "$HERE/bigfile.c" "$FLIB" >"$TMP/cc.log" 2>&1; then
  fail "bigfile.c does not build"; sed 's/^/    | /' "$TMP/cc.log" | head -20
  finish
fi

echo "ferrolite: $FLIB"
echo "reference: $RLIB"
echo "$MIB MiB per database, page sizes: ${SIZES[*]}"

for ps in "${SIZES[@]}"; do
  for w in F R; do
    db="$TMP/$w-$ps.db"
    t0=$SECONDS
    if ! on "$w" "$BIN" write "$db" "$MIB" "$ps" >"$TMP/w.log" 2>&1; then
      fail "$ps: $(libname "$w") writes"; sed 's/^/    | /' "$TMP/w.log" | head -5
      rm -f "$db"; continue
    fi
    bytes=$(stat -c %s "$db")
    on R "$BIN" check "$db" >"$TMP/$w-$ps.R" 2>&1
    on F "$BIN" check "$db" >"$TMP/$w-$ps.F" 2>&1
    label="$ps: $(libname "$w") wrote $bytes bytes in $((SECONDS - t0)) s"
    if ! grep -qx "integrity_check: ok" "$TMP/$w-$ps.R"; then
      fail "$label: SQLite's integrity_check"; head -5 "$TMP/$w-$ps.R" | sed 's/^/    | /'
    elif ! cmp -s "$TMP/$w-$ps.R" "$TMP/$w-$ps.F"; then
      fail "$label: the libraries read it differently"
      diff "$TMP/$w-$ps.R" "$TMP/$w-$ps.F" | head -8 | sed 's/^/    /'
    else
      pass "$label, read the same by both"
    fi
    rm -f "$db" "$db-journal"
  done
  if [ -s "$TMP/F-$ps.R" ] && cmp -s "$TMP/F-$ps.R" "$TMP/R-$ps.R"; then
    pass "$ps: the Ferrolite and SQLite files hold the same rows"
  else
    fail "$ps: the Ferrolite and SQLite files differ"
    diff "$TMP/F-$ps.R" "$TMP/R-$ps.R" 2>&1 | head -8 | sed 's/^/    /'
  fi
done
finish
