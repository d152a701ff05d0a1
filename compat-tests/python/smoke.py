#!/usr/bin/env python3
"""Smoke test of Python's sqlite3 module running on Ferrolite (or SQLite).

    LD_LIBRARY_PATH=target/release FERROLITE_EXPECT_LIB=target/release/libsqlite3.so.0 \
        python3 compat-tests/python/smoke.py

First checks, through /proc/self/maps, that the libsqlite3 mapped into this
process once `sqlite3` is imported is exactly the file FERROLITE_EXPECT_LIB
names (both canonicalized); then runs a few checks. Ends with
"N passed, N failed"; exits 1 if anything failed, 2 if the wrong library
(or none) is loaded.
"""
import os
import sys
import tempfile
import traceback


def mapped_sqlite_libs():
    found = []
    with open("/proc/self/maps") as f:
        for line in f:
            parts = line.split(None, 5)
            if len(parts) < 6:
                continue
            path = parts[5].strip()
            if not path.startswith("/"):
                continue
            if not os.path.basename(path).startswith("libsqlite3"):
                continue
            real = os.path.realpath(path)
            if real not in found:
                found.append(real)
    return found


def check_library():
    want = os.environ.get("FERROLITE_EXPECT_LIB")
    if not want:
        print("smoke: FERROLITE_EXPECT_LIB is not set", file=sys.stderr)
        print("0 passed, 1 failed")
        sys.exit(2)
    if not os.path.exists(want):
        print(f"smoke: FERROLITE_EXPECT_LIB={want} does not exist", file=sys.stderr)
        print("0 passed, 1 failed")
        sys.exit(2)
    want = os.path.realpath(want)
    try:
        import sqlite3  # noqa: F401  (loads _sqlite3 and its libsqlite3)
    except Exception as e:  # e.g. undefined symbol in a partial library
        print(f"smoke: import sqlite3 failed: {e}", file=sys.stderr)
        print("0 passed, 1 failed")
        sys.exit(1)
    found = mapped_sqlite_libs()
    if found != [want]:
        print(f"smoke: expected libsqlite3 {want} but the process maps {found or 'none'}",
              file=sys.stderr)
        print("0 passed, 1 failed")
        sys.exit(2)
    print(f"library: {want}")


PASSED = 0
FAILED = 0


def check(name, fn):
    global PASSED, FAILED
    try:
        fn()
    except Exception:
        FAILED += 1
        print(f"FAIL {name}")
        for line in traceback.format_exc().rstrip().splitlines()[-4:]:
            print(f"    {line}")
    else:
        PASSED += 1
        print(f"PASS {name}")


def main():
    check_library()
    import sqlite3

    print(f"sqlite3.sqlite_version = {sqlite3.sqlite_version}")
    tmp = tempfile.mkdtemp(prefix="ferrolite-pysmoke-")
    path = os.path.join(tmp, "smoke.db")
    rows = [(i, f"name-{i}", i * 1.25 if i % 5 else None, bytes([i % 256]) * (i % 40))
            for i in range(1, 501)]
    state = {}

    def connect():
        state["con"] = sqlite3.connect(path)

    def version():
        assert sqlite3.sqlite_version_info >= (3, 0, 0), sqlite3.sqlite_version
        (v,) = state["con"].execute("SELECT sqlite_version()").fetchone()
        assert v == sqlite3.sqlite_version, (v, sqlite3.sqlite_version)

    def create():
        con = state["con"]
        con.execute("CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT NOT NULL, score REAL, data BLOB)")
        con.execute("CREATE INDEX t_name ON t(name)")
        con.commit()

    def insert_many():
        con = state["con"]
        with con:
            con.executemany("INSERT INTO t(id, name, score, data) VALUES (?, ?, ?, ?)", rows)
        (n,) = con.execute("SELECT count(*) FROM t").fetchone()
        assert n == len(rows), n

    def select_back():
        got = state["con"].execute("SELECT id, name, score, data FROM t ORDER BY id").fetchall()
        assert got == rows, next((g, r) for g, r in zip(got, rows) if g != r)

    def named_params():
        got = state["con"].execute(
            "SELECT name, typeof(score), length(data) FROM t WHERE id = :id", {"id": 10}).fetchone()
        assert got == ("name-10", "null", 10), got

    def aggregates():
        got = state["con"].execute(
            "SELECT count(score), sum(score), max(id), min(name) FROM t WHERE id BETWEEN ? AND ?",
            (1, 100)).fetchone()
        want = (80, sum(i * 1.25 for i in range(1, 101) if i % 5), 100, "name-1")
        assert got == want, (got, want)

    def update_delete():
        con = state["con"]
        with con:
            cur = con.execute("UPDATE t SET name = name || '!' WHERE id % 2 = 0")
            assert cur.rowcount == 250, cur.rowcount
            cur = con.execute("DELETE FROM t WHERE id > ?", (400,))
            assert cur.rowcount == 100, cur.rowcount
            cur = con.execute("INSERT INTO t(name) VALUES ('last')")
            assert cur.lastrowid == 401, cur.lastrowid

    def errors():
        try:
            state["con"].execute("SELEC 1")
        except sqlite3.OperationalError as e:
            assert "syntax error" in str(e), str(e)
        else:
            raise AssertionError("no error for SELEC 1")
        try:
            state["con"].execute("INSERT INTO t(id, name) VALUES (1, 'dup')")
        except sqlite3.IntegrityError:
            pass
        else:
            raise AssertionError("no IntegrityError for a duplicate key")

    def reopen():
        state["con"].close()
        con = sqlite3.connect(path)
        (n,) = con.execute("SELECT count(*) FROM t").fetchone()
        con.close()
        assert n == 401, n
        # The file must also satisfy SQLite itself: its command-line shell
        # (linked against the machine's own libsqlite3, so LD_LIBRARY_PATH
        # is dropped for it) runs the integrity check.
        import shutil, subprocess
        shell = shutil.which("sqlite3")
        if shell is None:
            raise AssertionError("the sqlite3 shell is needed for the integrity check")
        env = {k: v for k, v in os.environ.items() if k != "LD_LIBRARY_PATH"}
        out = subprocess.run([shell, path, "PRAGMA integrity_check"], env=env,
                             capture_output=True, text=True, check=True).stdout.strip()
        assert out == "ok", out

    for name, fn in [("connect", connect), ("version", version), ("create", create),
                     ("executemany insert", insert_many), ("select back", select_back),
                     ("named parameters", named_params), ("aggregates", aggregates),
                     ("update/delete/lastrowid", update_delete), ("errors", errors),
                     ("reopen and integrity_check", reopen)]:
        if name != "connect" and "con" not in state:
            check(name, lambda: (_ for _ in ()).throw(RuntimeError("no connection")))
            continue
        check(name, fn)

    for f in os.listdir(tmp):
        os.unlink(os.path.join(tmp, f))
    os.rmdir(tmp)
    print(f"{PASSED} passed, {FAILED} failed")
    return 1 if FAILED else 0


if __name__ == "__main__":
    sys.exit(main())
