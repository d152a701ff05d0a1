# Ferrolite: SQLite re-implemented in Rust, shipped as a drop-in libsqlite3.
#
#   make            build target/release/libsqlite3.{so,so.0,a}
#   make demo       build, then run Python's sqlite3 module on the library
#   make test       every test: Rust unit/integration tests, the ABI checks,
#                   the C compat tests, Python, and a sqllogictest sample,
#                   each side by side with SQLite 3.54.1
#   make install PREFIX=dir
#
# Harness targets: reference, check-header, check-exports, ctest, objc (the
# FMDB-style Objective-C client), pysmoke,
# multiproc and crash (quick) / crash-full (1,200 kills): storage with SQLite
# processes side by side, interop (quick) / interop-full: database files
# written by each library read back by the other, rtree-interop: R*Trees
# written by each library changed and checked by the other, fts-interop:
# the same for FTS4 tables, wal (quick) / wal-full:
# WAL mode shared with SQLite processes (live, crashes, the counter),
# pytest (CPython's own sqlite3 suite), slt (sample), slt-cases (our own
# sqllogictest files), slt-full (whole corpus), fuzz (cargo-fuzz targets,
# FUZZ_SECONDS each; not part of make test), bench-concurrency (writers
# queueing and readers during checkpoints against SQLite; not part of make
# test).

PREFIX ?= /usr/local
VERSION := 3.54.1
CARGO ?= cargo
CC ?= gcc
RELEASE := target/release
FERROLITE_LIB ?= $(RELEASE)/libsqlite3.so.0
REFERENCE_LIB ?= target/reference/libsqlite3.so.0
SHARED_DIR ?= ../shared
SLT_DIR ?= $(SHARED_DIR)/slt
export SHARED_DIR

PHONY_BENCH := bench-concurrency
.PHONY: $(PHONY_BENCH) fuzz all lib demo test unit check-header check-exports ctest objc static-check pysmoke pytest slt slt-cases slt-full slt-runner reference install clean

all: lib

# Cargo names the shared library after the crate; the loader looks for the
# SONAME, so libsqlite3.so.0 is a link to the same file.
lib:
	$(CARGO) build --release -p ferrolite-capi
	ln -sf libsqlite3.so $(RELEASE)/libsqlite3.so.0

demo: lib
	@echo "--- Python's own sqlite3 module, running on $(FERROLITE_LIB):"
	LD_LIBRARY_PATH=$(RELEASE) python3 -c "import sqlite3, os; \
	con = sqlite3.connect(':memory:'); \
	con.execute('CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT, score REAL)'); \
	con.executemany('INSERT INTO t(name, score) VALUES (?, ?)', [('ada', 9.5), ('grace', 8.25), ('linus', 7.0)]); \
	print('library:', [l.split()[-1] for l in open('/proc/self/maps') if 'libsqlite3' in l][0]); \
	print('sqlite_version:', sqlite3.sqlite_version); \
	[print(row) for row in con.execute('SELECT name, score, length(name) FROM t WHERE score BETWEEN 7 AND 9 ORDER BY score DESC')]; \
	print('count/sum/max:', con.execute('SELECT count(*), sum(score), max(score) FROM t').fetchone())"

reference:
	scripts/build-reference.sh

unit:
	$(CARGO) test --workspace

check-header:
	compat-tests/abi/check-header.sh
	compat-tests/abi/check-ext-header.sh

check-exports: lib
	compat-tests/abi/check-exports.sh $(FERROLITE_LIB)

ctest: lib reference
	compat-tests/c/run.sh $(FERROLITE_LIB) $(REFERENCE_LIB)

# The Objective-C client (FMDB-style, gcc's Objective-C and GNUstep
# Foundation): same output on both libraries, every function FMDB calls.
objc: lib reference
	compat-tests/objc/run.sh $(FERROLITE_LIB) $(REFERENCE_LIB)

# A C program linked statically against libsqlite3.a.
static-check: lib
	mkdir -p target/static
	$(CC) -I include -o target/static/static compat-tests/static/static.c $(RELEASE)/libsqlite3.a -lpthread -ldl -lm
	target/static/static

pysmoke: lib reference
	LD_LIBRARY_PATH=$(dir $(REFERENCE_LIB)) FERROLITE_EXPECT_LIB=$(REFERENCE_LIB) python3 compat-tests/python/smoke.py
	LD_LIBRARY_PATH=$(RELEASE) FERROLITE_EXPECT_LIB=$(FERROLITE_LIB) python3 compat-tests/python/smoke.py

pytest: lib
	scripts/pytest.sh $(RELEASE)

slt-runner:
	$(CARGO) build --release -p slt-runner

slt: lib reference slt-runner
	$(RELEASE)/slt-runner --max-records 1000 --timeout 30 --budget 200 \
	  --lib ferrolite=$(FERROLITE_LIB) --lib sqlite=$(REFERENCE_LIB) $(SLT_DIR)

# The team's own sqllogictest files (expected results generated with the
# reference SQLite by compat-tests/slt-cases/generate.py): every record must
# pass on both libraries.
slt-cases: lib reference slt-runner
	$(RELEASE)/slt-runner --require-pass --timeout 60 \
	  --lib ferrolite=$(FERROLITE_LIB) --lib sqlite=$(REFERENCE_LIB) compat-tests/slt-cases/cases

slt-full: lib reference slt-runner
	$(RELEASE)/slt-runner --timeout 120 \
	  --lib ferrolite=$(FERROLITE_LIB) --lib sqlite=$(REFERENCE_LIB) $(SLT_DIR)

# The concurrency benchmark of issue 6 (not part of make test): writers
# queueing on one WAL database, readers during checkpoints; ratios against
# SQLite in one run.
bench-concurrency: lib reference
	scripts/bench-concurrency.sh $(FERROLITE_LIB) $(REFERENCE_LIB)

# The fuzz targets of fuzz/ (record, page, database), one after the other,
# FUZZ_SECONDS each. Needs cargo-fuzz; see README.md, "Fuzzing".
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?= record page database
fuzz:
	scripts/fuzz.sh $(FUZZ_SECONDS) $(FUZZ_TARGETS)

include compat-tests/storage/storage.mk

test: unit check-header check-exports slt slt-cases ctest objc static-check multiproc crash interop rtree-interop fts-interop wal pysmoke

install: lib
	install -d $(PREFIX)/lib $(PREFIX)/lib/pkgconfig $(PREFIX)/include
	install -m 755 $(RELEASE)/libsqlite3.so $(PREFIX)/lib/libsqlite3.so.$(VERSION)
	ln -sf libsqlite3.so.$(VERSION) $(PREFIX)/lib/libsqlite3.so.0
	ln -sf libsqlite3.so.0 $(PREFIX)/lib/libsqlite3.so
	install -m 644 $(RELEASE)/libsqlite3.a $(PREFIX)/lib/libsqlite3.a
	install -m 644 include/sqlite3.h $(PREFIX)/include/sqlite3.h
	sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@VERSION@|$(VERSION)|g' sqlite3.pc.in > $(PREFIX)/lib/pkgconfig/sqlite3.pc

clean:
	$(CARGO) clean
