#!/usr/bin/env bash
# check-header.sh -- keeps include/sqlite3.h honest.
#
#  a. every name in core-api.txt, added-by-3.54.txt and core-data.txt is
#     declared (compiled as C99 with -Wall -Werror, and as C++);
#  b. against the reference sqlite3.h of SQLite 3.54.1 (from the
#     libsqlite3-sys 0.39.1 crate, renamed into a ref_/REF_ namespace in a
#     temporary directory and compiled in the same translation unit):
#       - every function / data symbol has a compatible type,
#       - every public struct has the same size, alignment and member
#         offsets, sizes and types,
#       - every integer SQLITE_* constant has the same value and type,
#       - the special macros (version strings, SQLITE_STATIC/TRANSIENT,
#         linkage macros) are present and sane.
#
# Environment: REF_HEADER (use this reference header), SHARED_DIR (default
# <repo>/../shared), INCLUDE_DIR (header under test, default <repo>/include),
# CC / CXX, VERBOSE=1 (print passing checks too), KEEP_TMP=1 (keep the
# generated files).
# Exits non-zero if anything fails; the last line is "N passed, N failed".
set -u -o pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(git -C "$HERE" rev-parse --show-toplevel 2>/dev/null || (cd "$HERE/../.." && pwd))
SHARED_DIR=${SHARED_DIR:-$ROOT/../shared}
ABI_DIR=$SHARED_DIR/abi
HDR_DIR=${INCLUDE_DIR:-$ROOT/include}
CC=${CC:-gcc}
CXX=${CXX:-g++}

TMP=$(mktemp -d "${TMPDIR:-/tmp}/ferrolite-abi.XXXXXX")
if [ -z "${KEEP_TMP:-}" ]; then trap 'rm -rf "$TMP"' EXIT; else echo "keeping $TMP" >&2; fi

pass=0
fail=0
ok()  { pass=$((pass + 1)); if [ -n "${VERBOSE:-}" ]; then echo "ok   $*"; fi; }
bad() { fail=$((fail + 1)); echo "FAIL $*"; }
finish() {
    echo "$pass passed, $fail failed"
    if [ "$fail" -eq 0 ]; then exit 0; else exit 1; fi
}

# Functions the reference declares only under build options Ferrolite does
# not offer; they are neither declared by the reference in the comparison
# unit nor by us.
#   sqlite3_activate_cerod: SQLITE_ENABLE_CEROD (proprietary add-on).
SKIP_FUNCS="sqlite3_activate_cerod"

# Integer constants of the reference deliberately left out of our header,
# one per line as "NAME reason".  Everything the core API documents is
# present, so this is empty; the session and FTS5 extensions are outside
# the compared part of the reference altogether.
SKIP_CONSTS=""

# Names listed in the shared ABI files, one per line, no comments.
read_list() {
    local f
    for f in "$@"; do
        if [ ! -f "$f" ]; then
            echo "missing list $f (set SHARED_DIR?)" >&2
            return 1
        fi
        sed -e 's/#.*//' -e 's/[[:space:]]//g' "$f" | grep -v '^$'
    done
}

# ---------------------------------------------------------------------------
# a. every listed name is declared, in C and in C++
# ---------------------------------------------------------------------------
if ! read_list "$ABI_DIR/core-api.txt" "$ABI_DIR/added-by-3.54.txt" "$ABI_DIR/core-data.txt" \
        | sort -u > "$TMP/names.txt"; then
    bad "reading the ABI lists in $ABI_DIR"
    finish
fi

{
    echo '#include "sqlite3.h"'
    n=0
    while read -r name; do
        n=$((n + 1))
        echo "__typeof__(&$name) ferrolite_take_$n = &$name; /*@$name@*/"
    done < "$TMP/names.txt"
} > "$TMP/declared.c"
cp "$TMP/declared.c" "$TMP/declared.cpp"

# failed_labels FILE ERRLOG: labels (/*@label@*/) of the lines of FILE that
# ERRLOG reports an error on; "-" for errors on unlabelled lines or in other
# files.
failed_labels() {
    local src=$1 log=$2 base
    base=$(basename "$src")
    grep -E ':[0-9]+:[0-9]+: (fatal )?error' "$log" | while IFS=: read -r file line _; do
        if [ "$(basename "$file")" = "$base" ]; then
            lab=$(sed -n "${line}p" "$src" | sed -n 's|.*/\*@\(.*\)@\*/.*|\1|p')
            echo "${lab:--}"
        else
            echo "-"
        fi
    done | sort -u
}

"$CC" -std=c99 -Wall -Werror -fsyntax-only -I "$HDR_DIR" "$TMP/declared.c" > "$TMP/c.log" 2>&1
c_rc=$?
"$CXX" -Wall -Werror -fsyntax-only -I "$HDR_DIR" "$TMP/declared.cpp" > "$TMP/cxx.log" 2>&1
cxx_rc=$?
failed_labels "$TMP/declared.c" "$TMP/c.log" > "$TMP/c.failed"
failed_labels "$TMP/declared.cpp" "$TMP/cxx.log" > "$TMP/cxx.failed"

# The header itself must be clean: errors or warnings (-Werror) that are
# not about one listed name fail this check.
if [ $c_rc -ne 0 ] && { [ ! -s "$TMP/c.failed" ] || grep -qx -- '-' "$TMP/c.failed"; }; then
    bad "sqlite3.h compiles as C99 -Wall -Werror"; grep -E 'error|warning' "$TMP/c.log" | head -n 20
else ok "sqlite3.h compiles as C99 -Wall -Werror"; fi
if [ $cxx_rc -ne 0 ] && { [ ! -s "$TMP/cxx.failed" ] || grep -qx -- '-' "$TMP/cxx.failed"; }; then
    bad "sqlite3.h compiles as C++ -Wall -Werror"; grep -E 'error|warning' "$TMP/cxx.log" | head -n 20
else ok "sqlite3.h compiles as C++ -Wall -Werror"; fi
while read -r name; do
    if grep -qx -- "$name" "$TMP/c.failed" "$TMP/cxx.failed"; then
        bad "declared: $name"
    else
        ok "declared: $name"
    fi
done < "$TMP/names.txt"

# ---------------------------------------------------------------------------
# b. agreement with the reference header
# ---------------------------------------------------------------------------
find_ref() {
    local d f
    if [ -n "${REF_HEADER:-}" ] && [ -f "$REF_HEADER" ]; then echo "$REF_HEADER"; return 0; fi
    for d in "${CARGO_HOME:-}" "${HOME:-}/.cargo"; do
        [ -n "$d" ] || continue
        for f in "$d"/registry/src/*/libsqlite3-sys-0.39.1/sqlite3/sqlite3.h; do
            if [ -f "$f" ]; then echo "$f"; return 0; fi
        done
    done
    return 1
}

REF=$(find_ref) || {
    echo "reference sqlite3.h not in the cargo registry; fetching libsqlite3-sys 0.39.1" >&2
    mkdir -p "$TMP/fetch/src"
    : > "$TMP/fetch/src/lib.rs"
    cat > "$TMP/fetch/Cargo.toml" <<'EOF'
[package]
name = "ferrolite-abi-reference"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
libsqlite3-sys = { version = "=0.39.1", features = ["bundled"] }

[workspace]
EOF
    (cd "$TMP/fetch" && cargo fetch --quiet) >&2
    REF=$(find_ref) || { bad "reference header: cannot find or fetch libsqlite3-sys 0.39.1"; finish; }
}
if [ -n "${VERBOSE:-}" ]; then echo "reference header: $REF"; fi

# The reference without its comments (directives kept).
"$CC" -fpreprocessed -dD -E -P -x c "$REF" > "$TMP/ref-stripped.h" 2>/dev/null \
    || { bad "strip comments from the reference header"; finish; }

# Functions and data symbols the reference declares (core library only: the
# session extension names are sqlite3session_* etc. and are not matched).
grep '^SQLITE_API' "$TMP/ref-stripped.h" | grep -v 'SQLITE_EXTERN' \
    | grep -o 'sqlite3_[A-Za-z0-9_]*[[:space:]]*(' | tr -d '( \t' | sort -u > "$TMP/ref-funcs.txt"
grep '^SQLITE_API.*SQLITE_EXTERN' "$TMP/ref-stripped.h" \
    | grep -o 'sqlite3_[A-Za-z0-9_]*[[:space:]]*[;[]' | tr -d ';[ \t' | sort -u > "$TMP/ref-data.txt"
for s in $SKIP_FUNCS; do
    grep -vx -- "$s" "$TMP/ref-funcs.txt" > "$TMP/f.tmp"; mv "$TMP/f.tmp" "$TMP/ref-funcs.txt"
done

# Renamed copy of the reference: macros go to REF_SQLITE_*, functions and
# data to ref_sqlite3_*, and struct *definitions* to struct ref_sqlite3_*.
# Type names (typedefs, struct tags used in declarations) are NOT renamed,
# so reference prototypes are written in terms of our types and
# __builtin_types_compatible_p can compare them directly; the duplicate
# typedefs must therefore be identical to ours, or the unit fails.
{
    echo 's/\bSQLITE3_H\b/REF_SQLITE3_H/g'
    echo 's/\bSQLITE3_TEXT\b/REF_SQLITE3_TEXT/g'
    echo 's/\b_SQLITE3RTREE_H_\b/_REF_SQLITE3RTREE_H_/g'
    echo 's/\bSQLITE_/REF_SQLITE_/g'
    echo 's/\b\(NOT_WITHIN\|PARTLY_WITHIN\|FULLY_WITHIN\|CARRAY_[A-Z0-9_]*\)\b/REF_\1/g'
    echo 's/\bstruct[[:space:]]\+\(sqlite3_[A-Za-z0-9_]*\)[[:space:]]*{/struct ref_\1 {/g'
    echo 's/}[[:space:]]*\(sqlite3_[A-Za-z0-9_]*\)[[:space:]]*;/} ref_\1;/g'
    cat "$TMP/ref-funcs.txt" "$TMP/ref-data.txt" | sed 's/.*/s\/\\b&\\b\/ref_&\/g/'
    echo 's/\bsqlite3_activate_cerod\b/ref_sqlite3_activate_cerod/g'
} > "$TMP/rename.sed"
sed -f "$TMP/rename.sed" "$TMP/ref-stripped.h" > "$TMP/ref_sqlite3.h"

# Public structs and their members, parsed from the reference:
#   S <struct>            one line per struct definition
#   M <struct> <member> <nested>   nested=1 when the member's type is a
#                         struct defined inline (its tag differs between
#                         the two headers, so only layout is compared)
grep -v '^#' "$TMP/ref-stripped.h" | awk '
    { all = all " " $0 }
    END {
        s = all
        base = 0
        while (match(s, /struct[ \t]+sqlite3_[A-Za-z0-9_]+[ \t]*\{/)) {
            hdr = substr(s, RSTART, RLENGTH)
            name = hdr
            sub(/^struct[ \t]+/, "", name); sub(/[ \t]*\{$/, "", name)
            start = RSTART + RLENGTH        # first char of the body
            depth = 1; i = start
            while (depth > 0 && i <= length(s)) {
                c = substr(s, i, 1)
                if (c == "{") depth++
                else if (c == "}") depth--
                i++
            }
            body = substr(s, start, i - start - 1)
            print "S " name
            # split the body into top-level member declarations
            decl = ""; d = 0; nested = 0
            for (j = 1; j <= length(body); j++) {
                c = substr(body, j, 1)
                if (c == "{") { d++; nested = 1; continue }
                if (c == "}") { d--; continue }
                if (d > 0) continue
                if (c == ";") {
                    m = decl
                    if (index(m, "(") > 0) m = substr(m, 1, index(m, ")") - 1)
                    else gsub(/\[[^]]*\]/, "", m)
                    sub(/[^A-Za-z0-9_]+$/, "", m)
                    if (match(m, /[A-Za-z_][A-Za-z0-9_]*$/))
                        print "M " name " " substr(m, RSTART, RLENGTH) " " nested
                    decl = ""; nested = 0
                    continue
                }
                decl = decl c
            }
            # continue right after the opening brace, so nested
            # definitions are found as structs of their own
            s = substr(s, start)
        }
    }' > "$TMP/structs.txt"

# Constants of the reference: every object-like macro of the core header.
"$CC" -E -dM -x c "$REF" 2>/dev/null \
    | awk '$1 == "#define" && $2 !~ /\(/ &&
           ($2 ~ /^SQLITE_/ || $2 == "SQLITE3_TEXT" || $2 ~ /^(NOT_WITHIN|PARTLY_WITHIN|FULLY_WITHIN)$/ || $2 ~ /^CARRAY_/) {
               v = $0; sub(/^#define[ \t]+[^ \t]+[ \t]*/, "", v); print $2 "\t" v }' \
    | sort > "$TMP/ref-macros.txt"
"$CC" -E -dM -x c -I "$HDR_DIR" - <<<'#include <sqlite3.h>' 2>/dev/null \
    | awk '$1 == "#define" && $2 !~ /\(/ {
               v = $0; sub(/^#define[ \t]+[^ \t]+[ \t]*/, "", v); print $2 "\t" v }' \
    | sort > "$TMP/our-macros.txt"

# Integer constants: value made only of numbers, operators and other
# integer constants (found by iterating to a fixed point).
awk -F'\t' '
    { name[NR] = $1; val[NR] = $2; n = NR }
    END {
        changed = 1
        while (changed) {
            changed = 0
            for (k = 1; k <= n; k++) {
                if (isint[name[k]] || val[k] == "") continue
                v = val[k]; good = 1
                while (match(v, /0[xX][0-9a-fA-F]+|[0-9]+|[A-Za-z_][A-Za-z0-9_]*/)) {
                    tok = substr(v, RSTART, RLENGTH)
                    v = substr(v, RSTART + RLENGTH)
                    if (tok ~ /^[0-9]/) continue
                    if (!isint[tok]) { good = 0; break }
                }
                if (good) {
                    w = val[k]; gsub(/0[xX][0-9a-fA-F]+|[0-9]+|[A-Za-z_][A-Za-z0-9_]*|[-+()|&<>~ \t]/, "", w)
                    if (w == "" && val[k] ~ /[0-9A-Za-z_]/) { isint[name[k]] = 1; changed = 1 }
                }
            }
        }
        for (k = 1; k <= n; k++) if (isint[name[k]]) print name[k]
    }' "$TMP/ref-macros.txt" > "$TMP/ref-int-consts.txt"
for entry in $(printf '%s\n' "$SKIP_CONSTS" | awk 'NF{print $1}'); do
    grep -vx -- "$entry" "$TMP/ref-int-consts.txt" > "$TMP/c.tmp"; mv "$TMP/c.tmp" "$TMP/ref-int-consts.txt"
done

# The comparison unit.
{
    echo '#include <stddef.h>'
    echo '#include "sqlite3.h"'
    echo '/* Declare in the reference everything that ours declares unconditionally. */'
    echo '#define REF_SQLITE_ENABLE_PREUPDATE_HOOK 1'
    echo '#define REF_SQLITE_ENABLE_NORMALIZE 1'
    echo '#include "ref_sqlite3.h"'
    while read -r f; do
        echo "_Static_assert(__builtin_types_compatible_p(__typeof__(&$f), __typeof__(&ref_$f)), \"signature of $f\"); /*@signature: $f@*/"
    done < "$TMP/ref-funcs.txt"
    while read -r f; do
        echo "_Static_assert(__builtin_types_compatible_p(__typeof__(&$f), __typeof__(&ref_$f)), \"type of $f\"); /*@type: $f@*/"
    done < "$TMP/ref-data.txt"
    while read -r kind s m nested; do
        if [ "$kind" = S ]; then
            echo "_Static_assert(sizeof(struct $s) == sizeof(struct ref_$s) && _Alignof(struct $s) == _Alignof(struct ref_$s), \"size of $s\"); /*@struct: $s size/align@*/"
        else
            t="offsetof(struct $s, $m) == offsetof(struct ref_$s, $m) && sizeof(((struct $s *)0)->$m) == sizeof(((struct ref_$s *)0)->$m)"
            if [ "$nested" = 0 ]; then
                t="$t && __builtin_types_compatible_p(__typeof__(((struct $s *)0)->$m), __typeof__(((struct ref_$s *)0)->$m))"
            fi
            echo "_Static_assert($t, \"member $s.$m\"); /*@struct: $s.$m@*/"
        fi
    done < "$TMP/structs.txt"
    while read -r c; do
        echo "#ifdef $c"
        echo "_Static_assert(($c) == (REF_$c) && __builtin_types_compatible_p(__typeof__($c), __typeof__(REF_$c)), \"value of $c\"); /*@constant: $c@*/"
        echo "#else"
        echo "_Static_assert(0, \"$c is not defined\"); /*@constant: $c@*/"
        echo "#endif"
    done < "$TMP/ref-int-consts.txt"
    echo '_Static_assert(__builtin_types_compatible_p(__typeof__(SQLITE_STATIC), __typeof__(REF_SQLITE_STATIC)) && __builtin_types_compatible_p(__typeof__(SQLITE_TRANSIENT), __typeof__(REF_SQLITE_TRANSIENT)), "destructor macros"); /*@macro: SQLITE_STATIC/SQLITE_TRANSIENT type@*/'
    echo 'int ferrolite_abi_check_unused;'
} > "$TMP/compare.c"

"$CC" -std=gnu11 -fsyntax-only -fmax-errors=0 -I "$HDR_DIR" -I "$TMP" "$TMP/compare.c" > "$TMP/compare.log" 2>&1
cmp_rc=$?
failed_labels "$TMP/compare.c" "$TMP/compare.log" > "$TMP/compare.failed"
if grep -qx -- '-' "$TMP/compare.failed"; then
    bad "our header and the renamed reference compile together (errors outside the checks below)"
    grep -E 'error' "$TMP/compare.log" | head -n 20
else
    ok "our header and the renamed reference compile together"
fi
if [ $cmp_rc -ne 0 ] && [ ! -s "$TMP/compare.failed" ]; then
    bad "comparison unit failed to compile for an unknown reason"; head -n 20 "$TMP/compare.log"
fi
sed -n 's|.*/\*@\(.*\)@\*/.*|\1|p' "$TMP/compare.c" | awk '!seen[$0]++' > "$TMP/compare.labels"
while read -r lab; do
    if grep -qxF -- "$lab" "$TMP/compare.failed"; then bad "$lab"; else ok "$lab"; fi
done < "$TMP/compare.labels"

# Macros that are not integers, checked as text.
our_def() { awk -F'\t' -v n="$1" '$1 == n { print $2; f = 1 } END { exit !f }' "$TMP/our-macros.txt"; }
ref_def() { awk -F'\t' -v n="$1" '$1 == n { print $2; f = 1 } END { exit !f }' "$TMP/ref-macros.txt"; }

for m in SQLITE_VERSION SQLITE_STATIC SQLITE_TRANSIENT; do
    if [ "$(our_def "$m")" = "$(ref_def "$m")" ]; then ok "macro: $m is $(our_def "$m")"
    else bad "macro: $m is '$(our_def "$m")', reference '$(ref_def "$m")'"; fi
done
sid=$(our_def SQLITE_SOURCE_ID)
if printf '%s' "$sid" | grep -Eq '^"[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2} [^"]*[Ff]errolite[^"]*"$'; then
    ok "macro: SQLITE_SOURCE_ID is $sid"
else
    bad "macro: SQLITE_SOURCE_ID '$sid' should be \"YYYY-MM-DD HH:MM:SS ferrolite...\""
fi
# Every other macro of the reference (linkage hooks, SCM strings, ...) must
# at least exist.
awk -F'\t' '{print $1}' "$TMP/ref-macros.txt" \
    | grep -vxF -f "$TMP/ref-int-consts.txt" \
    | grep -vx -e SQLITE_VERSION -e SQLITE_STATIC -e SQLITE_TRANSIENT -e SQLITE_SOURCE_ID \
    > "$TMP/ref-other-macros.txt"
while read -r m; do
    if our_def "$m" > /dev/null; then ok "macro: $m defined"; else bad "macro: $m not defined"; fi
done < "$TMP/ref-other-macros.txt"
# Include guard.
if our_def SQLITE3_H > /dev/null; then ok "include guard SQLITE3_H"; else bad "include guard SQLITE3_H"; fi

# Informational: SQLITE_* macros we define that the reference does not.
awk -F'\t' '$1 ~ /^SQLITE_/ {print $1}' "$TMP/our-macros.txt" | sort > "$TMP/our-names.txt"
awk -F'\t' '{print $1}' "$TMP/ref-macros.txt" | sort > "$TMP/ref-names.txt"
extra=$(comm -23 "$TMP/our-names.txt" "$TMP/ref-names.txt" | tr '\n' ' ')
if [ -n "$extra" ]; then echo "note: macros not in the reference: $extra"; fi

echo "checked: $(wc -l < "$TMP/names.txt") listed names, $(wc -l < "$TMP/ref-funcs.txt") functions," \
     "$(grep -c '^S ' "$TMP/structs.txt") structs / $(grep -c '^M ' "$TMP/structs.txt") members," \
     "$(wc -l < "$TMP/ref-int-consts.txt") integer constants"
finish
