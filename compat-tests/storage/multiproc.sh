#!/usr/bin/env bash
# Multi-process counter test (issue 3): Ferrolite and SQLite 3.54.1 processes
# at the same time on one database file.
#
#   compat-tests/storage/multiproc.sh FERROLITE_LIB REFERENCE_LIB
#
# For each journal mode (MP_MODES, default "delete truncate persist"):
# MP_WRITERS writer processes on each library (default 3 + 3) each commit
# MP_TXNS transactions (default 100) incrementing a counter and logging
# (proc, seq); MP_READERS readers per library (default 1) take snapshots all
# along and check
# n == count(*) in each. Then each library checks the file: counter equal to
# the number of commits, every (proc, seq) exactly once, integrity_check ok.
# A watchdog kills every process of a mode after MP_LIMIT seconds (default
# 60) and fails it. Ends with "N passed, N failed"; exits 1 on any failure.
set -uo pipefail

if [ $# -ne 2 ]; then
  echo "usage: $0 FERROLITE_LIB REFERENCE_LIB" >&2
  exit 2
fi
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
CC="${CC:-gcc}"
MODES="${MP_MODES:-delete truncate persist}"
NW="${MP_WRITERS:-3}"
NR="${MP_READERS:-1}"
K="${MP_TXNS:-100}"
LIMIT="${MP_LIMIT:-60}"

# shellcheck source=compat-tests/storage/common.sh
. "$HERE/common.sh"
use_libs multiproc.sh "$1" "$2"

TMP="$(mktemp -d "${TMPDIR:-/tmp}/ferrolite-multiproc.XXXXXX")"
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill -KILL "$p" 2>/dev/null; done
  rm -rf "$TMP"
}
trap cleanup EXIT

BIN="$TMP/counter"
if ! "$CC" -O1 -Wall -I "$ROOT/include" -o "$BIN" "$HERE/counter.c" "$FLIB" >"$TMP/cc.log" 2>&1; then
  fail "counter.c does not build"; sed 's/^/    | /' "$TMP/cc.log" | head -20
  finish
fi

echo "ferrolite: $FLIB"
echo "reference: $RLIB"
echo "$NW + $NW writers x $K transactions, $NR + $NR readers, modes: $MODES, limit ${LIMIT}s"

for mode in $MODES; do
  db="$TMP/$mode.db"; stop="$TMP/$mode.stop"; log="$TMP/$mode"
  rm -f "$db" "$db-journal" "$stop"
  if ! on F "$BIN" init "$db" "$mode" >"$log.init" 2>&1; then
    fail "$mode: init"; sed 's/^/    | /' "$log.init"; continue
  fi
  start=$SECONDS
  PIDS=(); WRITERS=(); READERS=(); RLIBS=()
  for r in $(seq 1 "$NR"); do
    for lib in F R; do
      ridx=${#READERS[@]}
      ( spawn "$lib" "$BIN" read "$db" "$mode" "$ridx" "$stop" ) >"$log.read.$ridx" 2>&1 &
      READERS+=($!); PIDS+=($!); RLIBS+=("$lib")
    done
  done
  proc=0
  for i in $(seq 1 "$NW"); do
    for lib in F R; do
      ( spawn "$lib" "$BIN" write "$db" "$mode" "$proc" "$K" ) >"$log.write.$proc" 2>&1 &
      WRITERS+=($!); PIDS+=($!)
      echo "$(libname "$lib")" >"$log.lib.$proc"
      proc=$((proc+1))
    done
  done
  # Watchdog: kill everything of this mode after LIMIT seconds.
  # (The sleep is killed with it, so that it holds no pipe open.)
  ( sleep "$LIMIT" & s=$!; trap 'kill $s 2>/dev/null; exit 0' TERM; wait $s
    touch "$log.timeout"; kill -KILL "${PIDS[@]}" 2>/dev/null ) </dev/null >/dev/null 2>&1 &
  WD=$!
  wfail=0
  for idx in "${!WRITERS[@]}"; do
    wait "${WRITERS[$idx]}"; rc=$?
    if [ $rc -ne 0 ]; then
      wfail=1
      fail "$mode: writer $idx ($(cat "$log.lib.$idx")) exit $rc"
      tail -n 5 "$log.write.$idx" | sed 's/^/    | /'
    fi
  done
  touch "$stop"
  for idx in "${!READERS[@]}"; do
    wait "${READERS[$idx]}"; rc=$?
    lib=${RLIBS[$idx]}
    if [ $rc -ne 0 ]; then
      fail "$mode: reader on $(libname $lib) exit $rc"
      tail -n 5 "$log.read.$idx" | sed 's/^/    | /'
    else
      pass "$mode: reader on $(libname $lib): $(cat "$log.read.$idx")"
    fi
  done
  kill "$WD" 2>/dev/null; wait "$WD" 2>/dev/null
  elapsed=$((SECONDS-start))
  if [ -e "$log.timeout" ]; then
    fail "$mode: watchdog killed the processes after ${LIMIT}s"
    continue
  fi
  if [ $wfail -eq 0 ]; then
    pass "$mode: $((2*NW)) writers committed $((2*NW*K)) transactions in ${elapsed}s"
    sed -n 1p "$log.write.0" | sed 's/^/    /'; sed -n 1p "$log.write.1" | sed 's/^/    /'
  fi
  for lib in R F; do
    if on "$lib" "$BIN" check "$db" $((2*NW)) "$K" >"$log.check.$lib" 2>&1; then
      pass "$mode: $(libname $lib) finds counter = $((2*NW*K)) commits, every (proc, seq) once, integrity ok"
    else
      fail "$mode: $(libname $lib) check"
      head -n 12 "$log.check.$lib" | sed 's/^/    | /'
    fi
  done
done
finish
