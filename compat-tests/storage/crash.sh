#!/usr/bin/env bash
# kill -9 crash campaign (issue 3).
#
#   compat-tests/storage/crash.sh FERROLITE_LIB REFERENCE_LIB [ROUNDS]
#
# Each round starts crash.c's writer on one library, lets it commit for a
# random time (CRASH_MAX_MS, default 250 ms, after a startup allowance),
# kills it with SIGKILL, then checks the database with crash.c's checker:
# first on the recovering library (which must roll back any hot journal the
# writer left), then again on the other library. Both must find
# integrity_check ok and exactly transactions 1..m, with every acknowledged
# transaction present: with F = max(last acknowledged, m recovered by the
# previous round on that file), F <= m <= F+1 (synchronous=FULL, the default).
# Rounds cycle through the journal modes (CRASH_MODES, default
# "delete truncate persist"; one database file per mode, growing across
# rounds) and three directions:
#   Ferrolite writer -> SQLite recovers, Ferrolite writer -> Ferrolite
#   recovers, SQLite writer -> Ferrolite recovers.
# ROUNDS defaults to 50. Ends with "N passed, N failed" (one test per round);
# exits 1 on any failure. CRASH_KEEP=DIR keeps the databases of the first
# failing round in DIR.
set -uo pipefail

if [ $# -lt 2 ] || [ $# -gt 3 ]; then
  echo "usage: $0 FERROLITE_LIB REFERENCE_LIB [ROUNDS]" >&2
  exit 2
fi
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
CC="${CC:-gcc}"
ROUNDS="${3:-50}"
MODES=(${CRASH_MODES:-delete truncate persist})
MAXMS="${CRASH_MAX_MS:-250}"
KEEP="${CRASH_KEEP:-}"

# shellcheck source=compat-tests/storage/common.sh
. "$HERE/common.sh"
QUIET_PASS=1
use_libs crash.sh "$1" "$2"

TMP="$(mktemp -d "${TMPDIR:-/tmp}/ferrolite-crash.XXXXXX")"
WPID=""
cleanup() { [ -n "$WPID" ] && kill -KILL "$WPID" 2>/dev/null; rm -rf "$TMP"; }
trap cleanup EXIT

BIN="$TMP/crash"
if ! "$CC" -O1 -Wall -I "$ROOT/include" -o "$BIN" "$HERE/crash.c" "$FLIB" >"$TMP/cc.log" 2>&1; then
  fail "crash.c does not build"; sed 's/^/    | /' "$TMP/cc.log" | head -20
  finish
fi

echo "ferrolite: $FLIB"
echo "reference: $RLIB"
echo "$ROUNDS rounds, modes: ${MODES[*]}, kill after up to ${MAXMS} ms"

for mode in "${MODES[@]}"; do
  if ! on F "$BIN" init "$TMP/$mode.db" >"$TMP/init.log" 2>&1; then
    fail "$mode: init"; sed 's/^/    | /' "$TMP/init.log"; finish
  fi
  : >"$TMP/$mode.ack"
done

WRITERS=(F F R); RECOVER=(R F F)
declare -A PREVM
hot=0; unacked=0; maxm=0; kept=0
start=$SECONDS
for r in $(seq 0 $((ROUNDS-1))); do
  mode="${MODES[$((r % ${#MODES[@]}))]}"
  dir=$(( (r / ${#MODES[@]}) % 3 ))
  w="${WRITERS[$dir]}"; rec="${RECOVER[$dir]}"
  db="$TMP/$mode.db"; ack="$TMP/$mode.ack"
  label="round $r ($mode, $(libname "$w") writer killed, $(libname "$rec") recovers)"

  ( spawn "$w" "$BIN" write "$db" "$mode" "$ack" ) 2>"$TMP/write.err" &
  WPID=$!
  # Startup allowance (exec, open, schema) plus a random moment.
  ms=$(( 10 + RANDOM % (MAXMS + 1) ))
  sleep "$(printf '0.%03d' "$ms")"
  kill -KILL "$WPID" 2>/dev/null
  { wait "$WPID"; } 2>/dev/null; wrc=$?
  WPID=""
  if [ $wrc -ne 137 ]; then
    fail "$label: the writer exited by itself (status $wrc) before the kill"
    sed 's/^/    | /' "$TMP/write.err" | head -5
    continue
  fi
  acked=$(tail -n 1 "$ack"); acked=${acked:-0}
  # A round may leave one committed but unacknowledged transaction, which the
  # next round's writer builds on: the floor is the larger of the last
  # acknowledgement and what the previous round recovered.
  floor=$acked; prev=${PREVM[$mode]:-0}; [ "$prev" -gt "$floor" ] && floor=$prev

  [ -n "$KEEP" ] && [ $kept -eq 0 ] && { rm -rf "$TMP/keep"; mkdir -p "$TMP/keep"; cp -p "$TMP/$mode".db* "$TMP/keep/" 2>/dev/null; }
  out1=$(on "$rec" "$BIN" check "$db" "$floor" 2>&1); c1=$?
  out2=$(on "$(other "$rec")" "$BIN" check "$db" "$floor" 2>&1); c2=$?
  m1=${out1#m=}; m1=${m1%% *}; m2=${out2#m=}; m2=${m2%% *}
  if [ $c1 -eq 0 ] && [ $c2 -eq 0 ] && [ "$m1" = "$m2" ]; then
    pass
    case "$out1" in *hot=1*) hot=$((hot+1));; esac
    [ "$m1" -gt "$floor" ] && unacked=$((unacked+1))
    PREVM[$mode]=$m1
    case "$out2" in *hot=1*) fail "$label: a hot journal was still there after $(libname "$rec") recovered";; esac
    [ "$m1" -gt "$maxm" ] && maxm=$m1
  else
    fail "$label: killed after ${ms} ms, ${acked} acknowledged, ${prev} recovered before"
    echo "    $(libname "$rec") (recovering): exit $c1: $out1" | head -3
    echo "    $(libname "$(other "$rec")") (after): exit $c2: $out2" | head -3
    if [ -n "$KEEP" ] && [ $kept -eq 0 ]; then
      mkdir -p "$KEEP"; cp -p "$TMP/keep/"* "$KEEP/" 2>/dev/null
      echo "    the files before recovery are in $KEEP"
      kept=1
    fi
  fi
  if [ $(( (r+1) % 100 )) -eq 0 ]; then
    echo "  ... $((r+1)) rounds, $FAIL failed, $((SECONDS-start))s"
  fi
done
echo "$ROUNDS kills in $((SECONDS-start))s: $hot found a hot journal to roll back," \
     "$unacked kept a committed but unacknowledged transaction; databases reached" \
     "$(for m in "${MODES[@]}"; do printf '%s=%s ' "$m" "$(tail -n 1 "$TMP/$m.ack")"; done)transactions"
finish
