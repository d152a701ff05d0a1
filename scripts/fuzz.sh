#!/usr/bin/env bash
# Runs Ferrolite's fuzz targets (fuzz/, cargo-fuzz + libFuzzer) one after the
# other, each for SECONDS, and prints each target's exec count. A crash, a
# panic, an input slower than 10 s (a hang) or more than 2 GB of memory stops
# that target with a non-zero status and an input under
# fuzz/artifacts/<target>/.
#
# Usage: scripts/fuzz.sh SECONDS [TARGET...]   (default: record page database)
#
# Needs cargo-fuzz (`cargo install cargo-fuzz`). cargo-fuzz passes nightly
# flags (-Zsanitizer=address), which the stable toolchain accepts with
# RUSTC_BOOTSTRAP=1. Corpora grow in fuzz/corpus/<target>/ (not committed);
# the database target starts from fuzz/seeds/database/.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SECONDS_EACH="${1:-60}"
shift || true
TARGETS=("$@")
[ ${#TARGETS[@]} -gt 0 ] || TARGETS=(record page database)

command -v cargo-fuzz >/dev/null || { echo "fuzz: cargo-fuzz not found; run: cargo install cargo-fuzz" >&2; exit 1; }
export RUSTC_BOOTSTRAP=1
cd "$ROOT/fuzz"
cargo fuzz build -O
BIN="$ROOT/fuzz/target/x86_64-unknown-linux-gnu/release"

status=0
for t in "${TARGETS[@]}"; do
    case "$t" in
        record) max_len=512 ;;
        page) max_len=4200 ;;
        *) max_len=8192 ;;
    esac
    mkdir -p "corpus/$t" "artifacts/$t"
    seeds=()
    [ -d "seeds/$t" ] && seeds=("seeds/$t")
    log="artifacts/$t/last-run.log"
    echo "fuzz: $t for ${SECONDS_EACH}s"
    if "$BIN/$t" "corpus/$t" "${seeds[@]}" -max_total_time="$SECONDS_EACH" -timeout=10 \
        -rss_limit_mb=2048 -max_len="$max_len" -artifact_prefix="artifacts/$t/" >"$log" 2>&1; then
        echo "fuzz: $t clean: $(grep -E '^Done [0-9]+ runs' "$log" | tail -1)"
    else
        status=1
        echo "fuzz: $t FAILED (log: fuzz/$log):" >&2
        grep -E "panicked|ERROR|SUMMARY|Test unit written" "$log" >&2 || tail -20 "$log" >&2
    fi
done
exit $status
