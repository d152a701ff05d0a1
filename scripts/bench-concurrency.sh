#!/usr/bin/env bash
# The concurrency benchmark of issue 6, both libraries in one run.
#
#   scripts/bench-concurrency.sh [FERROLITE_LIB [REFERENCE_LIB]]
#
# Builds compat-tests/bench/concurrency.c against include/ and runs it on
# each library (LD_LIBRARY_PATH + FERROLITE_EXPECT_LIB, which the program
# checks), ROUNDS times each, alternating:
#   - writers: WRITERS threads with their own connections committing small
#     WAL transactions with a busy timeout (SQLITE_BUSY seen, commits/s,
#     p50 / p99 / max commit latency);
#   - readers: 1 writer and 3 readers for BENCH_SECONDS, without automatic
#     checkpoints and with wal_autocheckpoint=100 (readers' queries/s).
# Prints every run, then the medians and Ferrolite/SQLite ratios. A
# benchmark, not a test: it fails only when a run fails.
# Environment: WRITERS (4), TXNS (1000 per writer), BENCH_SECONDS (3), ROUNDS (3).
# (Not SECONDS: bash keeps its own SECONDS, the time since the shell began.)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
FLIB="$(realpath "${1:-$ROOT/target/release/libsqlite3.so.0}")"
RLIB="$(realpath "${2:-$ROOT/target/reference/libsqlite3.so.0}")"
WRITERS="${WRITERS:-4}" TXNS="${TXNS:-1000}" DURATION="${BENCH_SECONDS:-3}" ROUNDS="${ROUNDS:-3}"
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT
gcc -O2 -I "$ROOT/include" -o "$OUT/concurrency" "$ROOT/compat-tests/bench/concurrency.c" \
    -L"$(dirname "$FLIB")" -lsqlite3 -lpthread
run() { # LIB ARGS...
  local lib="$1"; shift
  LD_LIBRARY_PATH="$(dirname "$lib")" FERROLITE_EXPECT_LIB="$lib" "$OUT/concurrency" "$OUT/bench.db" "$@"
}
for r in $(seq "$ROUNDS"); do
  for pair in "ferrolite $FLIB" "sqlite $RLIB"; do
    set -- $pair
    echo "$1 $(run "$2" writers "$WRITERS" "$TXNS")" | tee -a "$OUT/writers"
    echo "$1 $(run "$2" readers "$DURATION" 0)" | tee -a "$OUT/readers"
    echo "$1 $(run "$2" readers "$DURATION" 100)" | tee -a "$OUT/readers"
  done
done
python3 - "$OUT" <<'PY'
import re, statistics, sys
d = sys.argv[1]
def rows(f):
    out = []
    for line in open(f"{d}/{f}"):
        lib, rest = line.split(" ", 1)
        out.append((lib, {k: float(v) for k, v in re.findall(r"(\w+)=([\d.]+)", rest)}))
    return out
def med(rs, lib, key, **cond):
    v = [r[key] for l, r in rs if l == lib and all(r.get(k) == c for k, c in cond.items())]
    return statistics.median(v) if v else float("nan")
w = rows("writers")
print("\nmedians of the runs (ferrolite / sqlite = ratio)")
for key, better in [("busy", "lower"), ("commits_per_sec", "higher"), ("p50_us", "lower"), ("p99_us", "lower"), ("max_us", "lower")]:
    f, s = med(w, "ferrolite", key), med(w, "sqlite", key)
    ratio = f / s if s else float("inf") if f else 1.0
    print(f"  writers {key:16} {f:12.0f} / {s:12.0f} = {ratio:6.2f}  ({better} is better)")
rd = rows("readers")
for cp in (0.0, 100.0):
    f, s = med(rd, "ferrolite", "reader_queries_per_sec", checkpoint=cp), med(rd, "sqlite", "reader_queries_per_sec", checkpoint=cp)
    print(f"  readers checkpoint={int(cp):<4} queries/s {f:10.0f} / {s:10.0f} = {f / s:6.2f}")
for lib in ("ferrolite", "sqlite"):
    a, b = med(rd, lib, "reader_queries_per_sec", checkpoint=0.0), med(rd, lib, "reader_queries_per_sec", checkpoint=100.0)
    print(f"  {lib}: readers' queries/s with checkpoints / without = {b / a:5.2f}")
PY
