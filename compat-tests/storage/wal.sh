#!/usr/bin/env bash
# WAL interop (issue 6): WAL databases written by one library read by the
# other, live and after a crash.
#
#   compat-tests/storage/wal.sh FERROLITE_LIB REFERENCE_LIB [quick|full]
#
# walinterop.c writes a deterministic workload in WAL mode with
# wal_autocheckpoint=0 (everything stays in the log). For each page size,
# writer library and way the writer ends, each library reads the result:
#   close  the writer closed (checkpointed, log deleted);
#   hold   the writer is still open: the reader uses the log and the -shm
#          index the other library keeps live;
#   crash  the writer died with its connection open (_exit): the reader
#          recovers the index from the hot log.
# Each read must give exactly the dump of the reference (SQLite writing,
# SQLite reading, closed): same rows, digests, journal_mode wal,
# integrity_check ok; after a hold or crash the other library then reads the
# file again (after the first reader closed and checkpointed) with the same
# result. quick (default): page sizes 1024 and 65536, 600 rows; full: 512,
# 1024, 4096, 16384, 65536 with 3,000 rows (WAL_PAGE_SIZES, WAL_ROWS).
# Then a race: 2 + 2 writers (checkpointing every 5 frames, rows of up to
# 3,000 bytes so the file keeps growing) against 2 + 1 readers starting
# snapshots in a tight loop for WAL_RACE_SECONDS (quick 4, full 20): every
# snapshot consistent, then counter exact and integrity ok on both.
# Ends with "N passed, N failed"; exits 1 on any failure.
set -uo pipefail

if [ $# -lt 2 ] || [ $# -gt 3 ]; then
  echo "usage: $0 FERROLITE_LIB REFERENCE_LIB [quick|full]" >&2
  exit 2
fi
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
CC="${CC:-gcc}"
case "${3:-quick}" in
  quick) PSIZES="${WAL_PAGE_SIZES:-1024 65536}"; ROWS="${WAL_ROWS:-600}"; RACE="${WAL_RACE_SECONDS:-4}";;
  full) PSIZES="${WAL_PAGE_SIZES:-512 1024 4096 16384 65536}"; ROWS="${WAL_ROWS:-3000}"; RACE="${WAL_RACE_SECONDS:-20}";;
  *) echo "wal.sh: scope must be quick or full" >&2; exit 2;;
esac

# shellcheck source=compat-tests/storage/common.sh
. "$HERE/common.sh"
use_libs wal.sh "$1" "$2"

TMP="$(mktemp -d "${TMPDIR:-/tmp}/ferrolite-wal.XXXXXX")"
HOLDER=""
cleanup() {
  [ -n "$HOLDER" ] && kill -KILL "$HOLDER" 2>/dev/null
  rm -rf "$TMP"
}
trap cleanup EXIT

BIN="$TMP/walinterop"
if ! "$CC" -O2 -Wall -I "$ROOT/include" -o "$BIN" "$HERE/walinterop.c" "$FLIB" >"$TMP/cc.log" 2>&1; then
  fail "walinterop.c does not build"; sed 's/^/    | /' "$TMP/cc.log" | head -20
  finish
fi

echo "ferrolite: $FLIB"
echo "reference: $RLIB"
echo "page sizes: $PSIZES; $ROWS rows"

show() { sed 's/^/    | /' "$1" | head -8; }

# same EXPECTED GOT LABEL: a dump must equal the reference dump.
same() {
  if cmp -s "$1" "$2"; then return 0; fi
  echo "    $3:"; diff "$1" "$2" | grep '^[<>]' | head -6 | sed 's/^/    | /'
  return 1
}

start=$SECONDS
for ps in $PSIZES; do
  ref="$TMP/ref-$ps.db"
  if ! on R "$BIN" write "$ref" "$ps" "$ROWS" close >"$TMP/ref.log" 2>&1 ||
     ! on R "$BIN" dump "$ref" >"$TMP/ref-$ps.dump" 2>&1; then
    fail "page size $ps: the reference could not write and read its own file"; show "$TMP/ref.log"; continue
  fi
  if ! grep -qx "integrity ok" "$TMP/ref-$ps.dump" || ! grep -qx "journal_mode wal" "$TMP/ref-$ps.dump"; then
    fail "page size $ps: reference dump unexpected"; show "$TMP/ref-$ps.dump"; continue
  fi
  for w in R F; do
    for how in close hold crash; do
      for r in R F; do
        label="page size $ps: $(libname $w) writes ($how), $(libname $r) reads"
        db="$TMP/t.db"; rm -f "$db" "$db-wal" "$db-shm" "$db-journal"
        ok=1
        if [ "$how" = hold ]; then
          rm -f "$TMP/fifo"; mkfifo "$TMP/fifo"
          ( spawn "$w" "$BIN" write "$db" "$ps" "$ROWS" hold <"$TMP/fifo" ) >"$TMP/w.log" 2>&1 &
          HOLDER=$!
          exec 3>"$TMP/fifo"
          for _ in $(seq 1 600); do
            grep -q ready "$TMP/w.log" 2>/dev/null && break
            kill -0 "$HOLDER" 2>/dev/null || break
            sleep 0.05
          done
          if ! grep -q ready "$TMP/w.log"; then
            fail "$label: writer not ready"; show "$TMP/w.log"; ok=0
          elif [ ! -s "$db-wal" ] || [ ! -s "$db-shm" ]; then
            fail "$label: writer holds no live -wal/-shm"; ok=0
          fi
          if [ $ok = 1 ]; then
            on "$r" "$BIN" dump "$db" >"$TMP/d1" 2>&1 || { fail "$label: dump while the writer holds"; show "$TMP/d1"; ok=0; }
          fi
          exec 3>&-
          wait "$HOLDER"; rc=$?; HOLDER=""
          if [ $ok = 1 ] && [ $rc -ne 0 ]; then fail "$label: writer exit $rc"; show "$TMP/w.log"; ok=0; fi
          [ $ok = 1 ] && [ -e "$db-wal" ] && { fail "$label: the writer's close left $db-wal"; ok=0; }
        else
          if ! on "$w" "$BIN" write "$db" "$ps" "$ROWS" "$how" >"$TMP/w.log" 2>&1; then
            fail "$label: writer failed"; show "$TMP/w.log"; ok=0
          elif [ "$how" = crash ] && [ ! -s "$db-wal" ]; then
            fail "$label: the crashed writer left no log"; ok=0
          elif ! on "$r" "$BIN" dump "$db" >"$TMP/d1" 2>&1; then
            fail "$label: dump"; show "$TMP/d1"; ok=0
          fi
        fi
        [ $ok = 1 ] || continue
        if ! same "$TMP/ref-$ps.dump" "$TMP/d1" "differs from the reference"; then
          fail "$label"; continue
        fi
        o=$(other "$r")
        if ! on "$o" "$BIN" dump "$db" >"$TMP/d2" 2>&1; then
          fail "$label: then $(libname "$o") cannot read it"; show "$TMP/d2"; continue
        fi
        if ! same "$TMP/ref-$ps.dump" "$TMP/d2" "then $(libname "$o") reads otherwise"; then
          fail "$label: then $(libname "$o")"; continue
        fi
        if [ -e "$db-wal" ] || [ -e "$db-shm" ]; then
          fail "$label: -wal or -shm left after every connection closed"; continue
        fi
        pass "$label, then $(libname "$o") reads it"
      done
    done
  done
done
# The race between checkpoints and read starts.
db="$TMP/race.db"; rm -f "$db" "$db-wal" "$db-shm"
if on R "$BIN" race-init "$db" >"$TMP/race.init" 2>&1; then
  RP=(); RL=()
  for lib in F R F; do
    ( spawn "$lib" "$BIN" race-read "$db" "$RACE" ) >"$TMP/race.r${#RP[@]}" 2>&1 &
    RP+=($!); RL+=("$lib")
  done
  WP=()
  for lib in F R F R; do
    ( spawn "$lib" "$BIN" race-write "$db" 100000000 ) >"$TMP/race.w${#WP[@]}" 2>&1 &
    WP+=($!)
  done
  for i in "${!RP[@]}"; do
    if wait "${RP[$i]}"; then
      pass "race: reader on $(libname "${RL[$i]}"): $(cat "$TMP/race.r$i")"
    else
      fail "race: reader on $(libname "${RL[$i]}")"; show "$TMP/race.r$i"
    fi
  done
  for p in "${WP[@]}"; do kill -KILL "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
  for lib in F R; do
    # Writers were killed mid-run: the log they left is recovered first.
    if on "$lib" "$BIN" race-check "$db" >"$TMP/race.c" 2>&1; then
      pass "race: $(libname $lib) after the writers were killed: $(cat "$TMP/race.c")"
    else
      fail "race: $(libname $lib) after the writers were killed"; show "$TMP/race.c"
    fi
  done
else
  fail "race: init"; show "$TMP/race.init"
fi
echo "$((SECONDS-start))s"
finish
