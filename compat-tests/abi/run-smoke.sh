#!/usr/bin/env bash
# run-smoke.sh LIB -- build smoke.c against include/sqlite3.h, link it
# against LIB (a libsqlite3 shared object) and run it with LIB as the
# libsqlite3.so.0 the loader finds.  Shows that header and library agree at
# the binary level.  The last line is "N passed, N failed".
set -u -o pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(git -C "$HERE" rev-parse --show-toplevel 2>/dev/null || (cd "$HERE/../.." && pwd))
CC=${CC:-gcc}

if [ $# -ne 1 ] || [ ! -f "$1" ]; then
    echo "usage: $0 path/to/libsqlite3.so" >&2
    exit 2
fi
LIB=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")

TMP=$(mktemp -d "${TMPDIR:-/tmp}/ferrolite-smoke.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
mkdir "$TMP/lib"
ln -s "$LIB" "$TMP/lib/libsqlite3.so.0"
ln -s "$LIB" "$TMP/lib/libsqlite3.so"

if ! "$CC" -std=c99 -Wall -Wextra -Werror -I "$ROOT/include" "$HERE/smoke.c" \
        -L "$TMP/lib" -lsqlite3 -Wl,--no-as-needed -o "$TMP/smoke" > "$TMP/build.log" 2>&1; then
    echo "FAIL build smoke.c against include/ and link with $LIB"
    grep -E 'error|undefined reference' "$TMP/build.log" | head -n 30
    n=$(grep -c 'undefined reference' "$TMP/build.log")
    if [ "$n" -gt 0 ]; then echo "($n undefined references)"; fi
    echo "0 passed, 1 failed"
    exit 1
fi
LD_LIBRARY_PATH="$TMP/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" "$TMP/smoke"
