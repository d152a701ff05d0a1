#!/usr/bin/env bash
# File-format interop matrix (issue 3): databases written by SQLite 3.54.1
# must read back identically in Ferrolite, and databases written by Ferrolite
# must read back identically in SQLite, with SQLite's integrity_check ok.
#
#   compat-tests/storage/interop.sh FERROLITE_LIB REFERENCE_LIB [quick|full]
#
# For each combination of page size, auto_vacuum mode and text encoding,
# interop.c writes its deterministic workload (overflowing values from 0
# bytes to 1 MB, a big table, indexes, deletes, a dropped table,
# incremental_vacuum, VACUUM, writes after it) once with each library, and
# dumps each file with each library. One test per combination passes when:
#   - the SQLite-written file dumps identically on SQLite and on Ferrolite;
#   - the Ferrolite-written file dumps identically on Ferrolite and on SQLite;
#   - every dump ran without error and says integrity_check ok;
#   - the Ferrolite-written file holds the same as the SQLite-written one (the
#     dumps without their "phys" lines: page numbers and free pages may
#     differ between writers, the page size, modes, schema and rows may not).
# Before the matrix, a self-check changes one value in a copy of a database
# and requires the comparison to notice.
#
# quick (default): 9 combinations (page sizes 512, 4096, 65536, each with the
# three auto_vacuum modes, the encodings rotating), INTEROP_ROWS_QUICK rows
# (10000) in the big table. full: every page size 512..65536 x none, full,
# incremental x UTF-8, UTF-16le, UTF-16be with 100,000 rows (INTEROP_ROWS).
# INTEROP_PAGE_SIZES, INTEROP_AV and INTEROP_ENCODINGS restrict the full
# matrix; INTEROP_KEEP=DIR keeps the files of the first failing combination.
# Ends with "N passed, N failed"; exits 1 on any failure.
set -uo pipefail

if [ $# -lt 2 ] || [ $# -gt 3 ]; then
  echo "usage: $0 FERROLITE_LIB REFERENCE_LIB [quick|full]" >&2
  exit 2
fi
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
CC="${CC:-gcc}"
SCOPE="${3:-quick}"
KEEP="${INTEROP_KEEP:-}"

# shellcheck source=compat-tests/storage/common.sh
. "$HERE/common.sh"
use_libs interop.sh "$1" "$2"

COMBOS=()
case "$SCOPE" in
  quick)
    ROWS="${INTEROP_ROWS_QUICK:-10000}"
    encs=(UTF-8 UTF-16le UTF-16be); i=0
    for ps in 512 4096 65536; do
      for av in none full incremental; do
        COMBOS+=("$ps $av ${encs[$((i % 3))]}"); i=$((i+1))
      done
      i=$((i+1))
    done
    ;;
  full)
    ROWS="${INTEROP_ROWS:-100000}"
    for ps in ${INTEROP_PAGE_SIZES:-512 1024 2048 4096 8192 16384 32768 65536}; do
      for av in ${INTEROP_AV:-none full incremental}; do
        for enc in ${INTEROP_ENCODINGS:-UTF-8 UTF-16le UTF-16be}; do
          COMBOS+=("$ps $av $enc")
        done
      done
    done
    ;;
  *) echo "interop.sh: scope must be quick or full, not $SCOPE" >&2; exit 2;;
esac

TMP="$(mktemp -d "${TMPDIR:-/tmp}/ferrolite-interop.XXXXXX")"
trap 'rm -rf "$TMP"' EXIT

BIN="$TMP/interop"
if ! "$CC" -O2 -Wall -I "$ROOT/include" -o "$BIN" "$HERE/interop.c" "$FLIB" >"$TMP/cc.log" 2>&1; then
  fail "interop.c does not build"; sed 's/^/    | /' "$TMP/cc.log" | head -20
  finish
fi

echo "ferrolite: $FLIB"
echo "reference: $RLIB"
echo "$SCOPE: ${#COMBOS[@]} combinations, $ROWS rows in the big table"

# show FILE: a command's output, indented, at most 8 lines.
show() { sed 's/^/    | /' "$1" | head -8; }
# logical DUMP: the dump without the lines that may differ between writers.
logical() { grep -v '^phys ' "$1"; }
# differ A B LABEL: says how two dumps differ (the first lines of the diff).
differ() {
  echo "    $3:"
  diff "$1" "$2" | grep '^[<>]' | head -8 | sed 's/^/    | /'
}

# rowdiff LIB1 LIB2 FILE: the first rows FILE reads differently on the two
# libraries (dumps with every row printed).
rowdiff() {
  INTEROP_DUMP_ROWS=1 on "$1" "$BIN" dump "$3" >"$TMP/rows.1" 2>&1
  INTEROP_DUMP_ROWS=1 on "$2" "$BIN" dump "$3" >"$TMP/rows.2" 2>&1
  echo "    first rows that differ, $(libname "$1") < > $(libname "$2"):"
  diff "$TMP/rows.1" "$TMP/rows.2" | grep '^[<>]   row' | head -6 | cut -c1-200 >"$TMP/rows.d"
  if [ -s "$TMP/rows.d" ]; then sed 's/^/    | /' "$TMP/rows.d"; else echo "    | (none)"; fi
}

# Self-check: a database that differs in one value must not compare equal.
sdb="$TMP/self.db"
if on R "$BIN" write "$sdb" 1024 none UTF-8 2000 >"$TMP/self.log" 2>&1 &&
   on R "$BIN" dump "$sdb" >"$TMP/self.a" 2>&1 &&
   on R "$BIN" perturb "$sdb" >"$TMP/self.log" 2>&1; then
  on R "$BIN" dump "$sdb" >"$TMP/self.b" 2>&1
  if cmp -s <(logical "$TMP/self.a") <(logical "$TMP/self.b"); then
    fail "self-check: a changed value went unnoticed by the comparison"
  else
    pass "self-check: the comparison notices one changed value"
  fi
else
  fail "self-check: could not write, dump or change the database"; show "$TMP/self.log"
fi

start=$SECONDS
for combo in "${COMBOS[@]}"; do
  set -- $combo; ps=$1; av=$2; enc=$3
  label="$ps $av $enc"
  d="$TMP/c"; rm -rf "$d"; mkdir -p "$d"
  t0=$SECONDS
  errs=()
  # Each writer, then each reader on each file.
  for w in R F; do
    db="$d/$(libname "$w").db"
    if ! on "$w" "$BIN" write "$db" "$ps" "$av" "$enc" "$ROWS" >"$d/write.$w" 2>&1; then
      errs+=("$(libname "$w") write: $(tail -n 1 "$d/write.$w")")
      continue
    fi
    for r in R F; do
      if ! on "$r" "$BIN" dump "$db" >"$d/$w.$r" 2>"$d/$w.$r.err"; then
        msg=$(grep -m 3 -E '^error|^integrity_check' "$d/$w.$r"; cat "$d/$w.$r.err")
        errs+=("$(libname "$r") dump of the $(libname "$w")-written file: $(echo "$msg" | head -3 | paste -sd '|')")
      fi
    done
    if [ -f "$d/$w.R" ] && [ -f "$d/$w.F" ] && ! cmp -s "$d/$w.R" "$d/$w.F"; then
      errs+=("the $(libname "$w")-written file dumps differently on sqlite (<) and ferrolite (>)")
      differ "$d/$w.R" "$d/$w.F" "$(libname "$w")-written file, sqlite < > ferrolite" >>"$d/diffs"
      rowdiff R F "$db" >>"$d/diffs"
    fi
  done
  # SQLite's verdict on the Ferrolite-written file, and that file's content.
  if [ -s "$d/F.R" ]; then
    grep -qx 'integrity_check ok' "$d/F.R" ||
      errs+=("sqlite's integrity_check of the ferrolite-written file: $(grep -m 1 '^integrity_check' "$d/F.R")")
    if [ -s "$d/R.R" ] && ! cmp -s <(logical "$d/R.R") <(logical "$d/F.R"); then
      errs+=("the ferrolite-written file holds other content than the sqlite-written one (both read by sqlite)")
      differ <(logical "$d/R.R") <(logical "$d/F.R") "sqlite-written < > ferrolite-written" >>"$d/diffs"
    fi
  fi
  if [ ${#errs[@]} -eq 0 ]; then
    pass "$label ($((SECONDS-t0))s)"
  else
    fail "$label ($((SECONDS-t0))s)"
    for e in "${errs[@]}"; do echo "    $e"; done
    [ -f "$d/diffs" ] && cat "$d/diffs"
    if [ -n "$KEEP" ] && [ ! -e "$KEEP/.kept" ]; then
      mkdir -p "$KEEP" && cp -p "$d"/* "$KEEP/" && touch "$KEEP/.kept"
      echo "    the files and dumps are in $KEEP"
    fi
  fi
done
echo "${#COMBOS[@]} combinations in $((SECONDS-start))s"
finish
