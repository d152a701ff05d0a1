#!/usr/bin/env bash
# check-exports.sh LIB -- what a built libsqlite3 exports.
#
#  - fails unless LIB exports every name CPython's _sqlite3 module imports
#    (used-by-python-sqlite3.txt: it loads with immediate binding, so one
#    missing name breaks "import sqlite3");
#  - fails if LIB exports anything that does not start with "sqlite3"
#    (Rust cdylibs can leak rust_* / __rust_* symbols), linker-defined
#    symbols such as _init, _fini, _edata, _end and __bss_start aside;
#  - fails unless LIB exports the full public list: core-api.txt +
#    added-by-3.54.txt + core-data.txt (the missing names are written to
#    $MISSING_FILE, default <repo>/target/abi/missing-exports.txt);
#  - fails unless each name of that list is used by a test program of
#    compat-tests/ (C, Objective-C, the loadable extension): a name that no
#    test calls is a name whose behaviour nothing compares with SQLite's.
#
# Environment: SHARED_DIR (default <repo>/../shared), MISSING_FILE, NM.
# Exits non-zero if anything fails; the last line is "N passed, N failed".
set -u -o pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(git -C "$HERE" rev-parse --show-toplevel 2>/dev/null || (cd "$HERE/../.." && pwd))
SHARED_DIR=${SHARED_DIR:-$ROOT/../shared}
ABI_DIR=$SHARED_DIR/abi
MISSING_FILE=${MISSING_FILE:-$ROOT/target/abi/missing-exports.txt}
NM=${NM:-nm}

pass=0
fail=0
ok()  { pass=$((pass + 1)); if [ -n "${VERBOSE:-}" ]; then echo "ok   $*"; fi; }
bad() { fail=$((fail + 1)); echo "FAIL $*"; }
finish() {
    echo "$pass passed, $fail failed"
    if [ "$fail" -eq 0 ]; then exit 0; else exit 1; fi
}

if [ $# -ne 1 ]; then
    echo "usage: $0 path/to/libsqlite3.so" >&2
    exit 2
fi
LIB=$1

TMP=$(mktemp -d "${TMPDIR:-/tmp}/ferrolite-exports.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

read_list() {
    sed -e 's/#.*//' -e 's/[[:space:]]//g' "$@" | grep -v '^$' | sort -u
}

# Exported (defined, dynamic) symbols, without version suffixes.
if [ -f "$LIB" ] && "$NM" -D --defined-only "$LIB" > "$TMP/nm.txt" 2> "$TMP/nm.err"; then
    ok "read the dynamic symbol table of $LIB"
else
    bad "read the dynamic symbol table of $LIB"
    cat "$TMP/nm.err" 2>/dev/null
    finish
fi
awk 'NF >= 2 { print $NF }' "$TMP/nm.txt" | sed 's/@.*//' | sort -u > "$TMP/exported.txt"

# 1. What Python needs: hard requirement.
for f in used-by-python-sqlite3.txt core-api.txt added-by-3.54.txt core-data.txt; do
    if [ ! -f "$ABI_DIR/$f" ]; then bad "ABI list $ABI_DIR/$f exists (set SHARED_DIR?)"; finish; fi
done
read_list "$ABI_DIR/used-by-python-sqlite3.txt" > "$TMP/python.txt"
py_missing=0
while read -r name; do
    if grep -qxF -- "$name" "$TMP/exported.txt"; then
        ok "exported for Python: $name"
    else
        bad "exported for Python: $name"
        py_missing=$((py_missing + 1))
    fi
done < "$TMP/python.txt"
echo "python sqlite3: $(( $(wc -l < "$TMP/python.txt") - py_missing )) of $(wc -l < "$TMP/python.txt") names exported"

# 2. Nothing but sqlite3* may leak out.
grep -v '^sqlite3' "$TMP/exported.txt" \
    | grep -vxE '_init|_fini|_edata|_end|__bss_start|__end__|_etext|__data_start|_IO_stdin_used|__dso_handle' \
    > "$TMP/foreign.txt"
if [ -s "$TMP/foreign.txt" ]; then
    bad "exports only sqlite3* symbols: $(wc -l < "$TMP/foreign.txt") others exported:"
    head -n 50 "$TMP/foreign.txt" | sed 's/^/    /'
    if [ "$(wc -l < "$TMP/foreign.txt")" -gt 50 ]; then echo "    ..."; fi
else
    ok "exports only sqlite3* symbols"
fi

# 3. The full public ABI is exported.
read_list "$ABI_DIR/core-api.txt" "$ABI_DIR/added-by-3.54.txt" "$ABI_DIR/core-data.txt" > "$TMP/public.txt"
comm -23 "$TMP/public.txt" "$TMP/exported.txt" > "$TMP/missing.txt"
total=$(wc -l < "$TMP/public.txt")
missing=$(wc -l < "$TMP/missing.txt")
mkdir -p "$(dirname "$MISSING_FILE")" && cp "$TMP/missing.txt" "$MISSING_FILE"
echo "public ABI: $((total - missing)) of $total names exported (core-api + added-by-3.54 + core-data);" \
     "$missing missing, listed in $MISSING_FILE"
if [ "$missing" -eq 0 ]; then
    ok "the public ABI is exported"
else
    bad "the public ABI is exported: $missing missing"
    head -n 50 "$TMP/missing.txt" | sed 's/^/    /'
fi

# 4. Each public name is used by a test program.
find "$ROOT/compat-tests" -type f \( -name '*.c' -o -name '*.m' \) ! -path '*/tools/*' -print0 \
    | xargs -0 cat > "$TMP/tests.txt"
grep -oE '\bsqlite3_[A-Za-z0-9_]+' "$TMP/tests.txt" | sort -u > "$TMP/used.txt"
comm -23 "$TMP/public.txt" "$TMP/used.txt" > "$TMP/untested.txt"
untested=$(wc -l < "$TMP/untested.txt")
echo "public ABI: $((total - untested)) of $total names used by the C / Objective-C tests of compat-tests/"
if [ "$untested" -eq 0 ]; then
    ok "every public name is used by a test"
else
    bad "every public name is used by a test: $untested are not"
    sed 's/^/    /' "$TMP/untested.txt"
fi

# Informational: the SONAME programs linked against the stock library need.
if command -v readelf > /dev/null 2>&1; then
    soname=$(readelf -d "$LIB" 2>/dev/null | sed -n 's/.*(SONAME).*\[\(.*\)\].*/\1/p')
    echo "soname: ${soname:-none} (stock: libsqlite3.so.0)"
fi

finish
