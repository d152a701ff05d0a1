#!/usr/bin/env bash
# check-ext-header.sh -- keeps include/sqlite3ext.h's table layout SQLite's.
#
# Compiles one C11 unit that includes Ferrolite's sqlite3.h and sqlite3ext.h
# plus the struct sqlite3_api_routines of SQLite 3.54.1's sqlite3ext.h
# (libsqlite3-sys 0.39.1 crate, or REF_EXT_HEADER), renamed to
# struct ref_sqlite3_api_routines, and asserts for every member of the
# reference: same offset, same size and a compatible function-pointer type;
# and the same size for the whole struct (so Ferrolite's table has no extra
# or missing member).  Also checks that every sqlite3_api-> redirection of
# the reference exists in Ferrolite's header with the same target.
# The parameter types themselves (sqlite3*, sqlite3_int64...) are
# Ferrolite's; check-header.sh verifies those against the reference.
#
# Environment: REF_EXT_HEADER, INCLUDE_DIR (default <repo>/include), CC.
# Last line "N passed, N failed"; exits 1 when anything failed.
set -u -o pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
HDR_DIR=${INCLUDE_DIR:-$ROOT/include}
CC=${CC:-gcc}
REF=${REF_EXT_HEADER:-$(ls -d "$HOME"/.cargo/registry/src/*/libsqlite3-sys-0.39.1/sqlite3/sqlite3ext.h 2>/dev/null | head -n 1)}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/ferrolite-ext.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

pass=0
fail=0
if [ -z "$REF" ] || [ ! -f "$REF" ]; then
    echo "FAIL reference sqlite3ext.h not found (set REF_EXT_HEADER)"
    echo "0 passed, 1 failed"
    exit 1
fi

# The reference struct alone, comments removed, tag renamed.
"$CC" -fpreprocessed -dD -E -P -x c "$REF" 2>/dev/null \
  | sed -n '/^struct sqlite3_api_routines *{/,/^};/p' \
  | sed 's/^struct sqlite3_api_routines/struct ref_sqlite3_api_routines/' > "$TMP/ref_struct.h"
members=$(sed '1d;$d' "$TMP/ref_struct.h" | tr '\n' ' ' | tr ';' '\n' \
  | sed -n 's/^[^(]*( *\(SQLITE_CDECL\)\{0,1\} *\* *\([A-Za-z0-9_]*\) *).*/\2/p')
if [ -z "$members" ]; then
    echo "FAIL no members parsed from $REF"
    echo "0 passed, 1 failed"
    exit 1
fi

{
    echo '#define SQLITE_CORE 1'
    echo '#include <stddef.h>'
    echo '#include "sqlite3.h"'
    echo '#include "sqlite3ext.h"'
    cat "$TMP/ref_struct.h"
    echo '#define S struct sqlite3_api_routines'
    echo '#define R struct ref_sqlite3_api_routines'
    echo '_Static_assert(sizeof(S) == sizeof(R), "struct size"); /*@size@*/'
    for m in $members; do
        echo "_Static_assert(offsetof(S, $m) == offsetof(R, $m) && sizeof(((S *)0)->$m) == sizeof(((R *)0)->$m) && __builtin_types_compatible_p(__typeof__(((S *)0)->$m), __typeof__(((R *)0)->$m)), \"$m\"); /*@member $m@*/"
    done
    echo 'int ferrolite_ext_check_unused;'
} > "$TMP/compare.c"

"$CC" -std=c11 -Wall -I "$HDR_DIR" -c -o "$TMP/compare.o" "$TMP/compare.c" 2> "$TMP/cc.err"
for label in size $(printf 'member_%s ' $members); do
    l=${label/_/ }
    if grep -q "\"${l#member }\"" "$TMP/cc.err" 2>/dev/null && [ "$label" != size ]; then
        echo "FAIL $l"; fail=$((fail + 1))
    elif [ "$label" = size ] && grep -q '"struct size"' "$TMP/cc.err"; then
        echo "FAIL struct size differs"; fail=$((fail + 1))
    else
        pass=$((pass + 1))
    fi
done
if [ ! -f "$TMP/compare.o" ] && [ "$fail" -eq 0 ]; then
    echo "FAIL the comparison unit does not compile:"; head -n 20 "$TMP/cc.err"
    fail=$((fail + 1))
fi

# Redirections: every "#define sqlite3_x sqlite3_api->y" of the reference.
sed -n 's/^#define \(sqlite3_[A-Za-z0-9_]*\) *sqlite3_api->\([A-Za-z0-9_]*\).*/\1 \2/p' "$REF" | sort -u > "$TMP/ref.defs"
sed -n 's/^#define \(sqlite3_[A-Za-z0-9_]*\) *sqlite3_api->\([A-Za-z0-9_]*\).*/\1 \2/p' "$HDR_DIR/sqlite3ext.h" | sort -u > "$TMP/our.defs"
missing=$(comm -23 "$TMP/ref.defs" "$TMP/our.defs")
if [ -z "$missing" ]; then
    pass=$((pass + 1))
else
    echo "FAIL redirections missing or different:"; echo "$missing" | sed 's/^/    /'
    fail=$((fail + 1))
fi
for macro in SQLITE_EXTENSION_INIT1 SQLITE_EXTENSION_INIT2 SQLITE_EXTENSION_INIT3; do
    if grep -q "define $macro" "$HDR_DIR/sqlite3ext.h"; then pass=$((pass + 1)); else echo "FAIL $macro missing"; fail=$((fail + 1)); fi
done

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
