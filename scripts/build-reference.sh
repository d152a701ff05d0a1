#!/usr/bin/env bash
# Builds the reference SQLite 3.54.1 shared library that Ferrolite is compared
# with: target/reference/libsqlite3.so.0 (+ libsqlite3.so symlink, sqlite3.h).
#
# The source is the amalgamation shipped by the crates.io crate
# libsqlite3-sys =0.39.1 (feature "bundled"), fetched through cargo with the
# tiny manifest in compat-tests/reference/ (fetched, never built). Needs only
# cargo and gcc. Prints the library's path on its last line.
#
# Environment: CC (default gcc), FORCE=1 to rebuild even when up to date.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MANIFEST="$ROOT/compat-tests/reference/Cargo.toml"
OUT_DIR="$ROOT/target/reference"
OUT="$OUT_DIR/libsqlite3.so.0"
CC="${CC:-gcc}"

command -v cargo >/dev/null || { echo "build-reference: cargo not found" >&2; exit 1; }
command -v "$CC" >/dev/null || { echo "build-reference: $CC not found" >&2; exit 1; }

cargo fetch --manifest-path "$MANIFEST" >&2

# Find the directory of the libsqlite3-sys package that cargo resolved.
CRATE_DIR="$(cargo metadata --manifest-path "$MANIFEST" --format-version 1 2>/dev/null |
  python3 -c '
import json, os, sys
d = json.load(sys.stdin)
for p in d["packages"]:
    if p["name"] == "libsqlite3-sys" and p["version"] == "0.39.1":
        print(os.path.dirname(p["manifest_path"]))
        break
' 2>/dev/null || true)"
if [ -z "$CRATE_DIR" ]; then
  # No python3: pull the manifest path out of the JSON with sed.
  CRATE_DIR="$(cargo metadata --manifest-path "$MANIFEST" --format-version 1 2>/dev/null |
    tr ',' '\n' | sed -n 's|.*"manifest_path":"\(.*/libsqlite3-sys-0\.39\.1\)/Cargo\.toml".*|\1|p' | head -n1)"
fi
SRC="$CRATE_DIR/sqlite3/sqlite3.c"
HDR="$CRATE_DIR/sqlite3/sqlite3.h"
if [ -z "$CRATE_DIR" ] || [ ! -f "$SRC" ]; then
  echo "build-reference: could not locate libsqlite3-sys 0.39.1's sqlite3/sqlite3.c" >&2
  exit 1
fi
if ! grep -q '^#define SQLITE_VERSION  *"3\.54\.1"' "$HDR"; then
  echo "build-reference: $HDR is not SQLite 3.54.1" >&2
  exit 1
fi

mkdir -p "$OUT_DIR"
if [ "${FORCE:-0}" != 1 ] && [ -f "$OUT" ] && [ "$OUT" -nt "$SRC" ] && [ "$OUT" -nt "${BASH_SOURCE[0]}" ]; then
  echo "build-reference: $OUT is up to date" >&2
else
  # Options of a stock distribution build (Debian's list, less the ones that
  # change default behaviour such as recursive triggers or auto-vacuum).
  OPTS=(
    -DSQLITE_THREADSAFE=1
    -DSQLITE_ENABLE_COLUMN_METADATA
    -DSQLITE_ENABLE_FTS3
    -DSQLITE_ENABLE_FTS3_PARENTHESIS
    -DSQLITE_ENABLE_FTS4
    -DSQLITE_ENABLE_FTS5
    -DSQLITE_ENABLE_RTREE
    -DSQLITE_ENABLE_CARRAY
    -DSQLITE_ENABLE_JSON1
    -DSQLITE_ENABLE_DBSTAT_VTAB
    -DSQLITE_ENABLE_UNLOCK_NOTIFY
    -DSQLITE_ENABLE_PREUPDATE_HOOK
    -DSQLITE_ENABLE_SESSION
    -DSQLITE_ENABLE_SNAPSHOT
    -DSQLITE_ENABLE_STMT_SCANSTATUS
    -DSQLITE_ENABLE_NORMALIZE
    -DSQLITE_ENABLE_CARRAY
    -DSQLITE_ENABLE_MATH_FUNCTIONS
    -DSQLITE_SECURE_DELETE
    -DSQLITE_SOUNDEX
    -DSQLITE_USE_URI=1
    -DSQLITE_MAX_VARIABLE_NUMBER=250000
    -DSQLITE_DEFAULT_SECTOR_SIZE=4096
    -DHAVE_ISNAN=1
    -DHAVE_USLEEP=1
    -DHAVE_FDATASYNC=1
    -DHAVE_LOCALTIME_R=1
  )
  echo "build-reference: compiling $SRC (takes a minute or two)" >&2
  TMP="$OUT.tmp.$$"
  "$CC" -O2 -fPIC -shared -Wl,-soname,libsqlite3.so.0 "${OPTS[@]}" \
    -I "$CRATE_DIR/sqlite3" -o "$TMP" "$SRC" -lpthread -ldl -lm
  mv -f "$TMP" "$OUT"
fi
ln -sfn libsqlite3.so.0 "$OUT_DIR/libsqlite3.so"
cp -f "$HDR" "$OUT_DIR/sqlite3.h"
cp -f "$CRATE_DIR/sqlite3/sqlite3ext.h" "$OUT_DIR/sqlite3ext.h"
echo "$OUT"
