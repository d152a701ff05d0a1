# Storage acceptance harnesses of issue 3 (multi-process, kill -9 crashes,
# the file-format interop matrix).
# Included from the top-level Makefile, which defines FERROLITE_LIB and
# REFERENCE_LIB and the lib and reference targets.
#
#   make multiproc    3 Ferrolite + 3 SQLite writers and a reader on each
#                     library share one file, journal modes delete, truncate,
#                     persist (MP_WRITERS, MP_TXNS, MP_MODES, MP_LIMIT)
#   make crash        54 kill -9 rounds (6 cycles of 3 modes x 3 directions) (CRASH_ROUNDS)
#   make crash-full   1,200 kill -9 rounds (CRASH_FULL_ROUNDS)
#   make bigfile      1,100 MiB databases (past the lock-byte page) written
#                     by each library and read by both (BIGFILE_MIB, BIGFILE_PAGESIZES)
#   make bigfile-4g   the same at 4,400 MiB (past 4 GiB; needs ~9 GB free)
#   make interop      files written by each library read back identically by
#                     both: 9 combinations of page size 512/4096/65536,
#                     auto_vacuum none/full/incremental and UTF-8/UTF-16le/
#                     UTF-16be, 10,000-row big table (INTEROP_ROWS_QUICK)
#   make interop-full every page size 512..65536 x the 3 auto_vacuum modes x
#                     the 3 encodings, 100,000 rows (INTEROP_ROWS,
#                     INTEROP_PAGE_SIZES, INTEROP_AV, INTEROP_ENCODINGS)
#   make wal          WAL mode (issue 6), quick: WAL files written by each
#                     library read by both, live (writer still open), after
#                     a crash and closed (page sizes 1024, 65536), a 4 s race
#                     of readers against checkpoints; the counter
#                     test with 3 + 3 writers in WAL mode (again with a
#                     checkpoint every 5 frames); 18 kill -9 rounds
#                     in WAL mode (WAL_MP_TXNS, WAL_CRASH_ROUNDS)
#   make wal-full     the same with 5 page sizes and 3,000 rows, 500
#                     transactions per writer, 300 kill -9 rounds
#   make rtree-interop  R*Tree files (trees several levels deep) written by
#                     each library, read, changed and rtreecheck()ed by the
#                     other (rtreeinterop.sh)
#   make fts-interop  FTS4 files (thousands of documents, segments with
#                     interior nodes, optimize or not) written by each
#                     library, read, changed and integrity-checked by the
#                     other (ftsinterop.sh)
# Each prints "N passed, N failed" last and fails when anything failed.

CRASH_ROUNDS ?= 54
CRASH_FULL_ROUNDS ?= 1200
BIGFILE_MIB ?= 1100
BIGFILE_PAGESIZES ?= 4096 65536
WAL_MP_TXNS ?= 100
WAL_CRASH_ROUNDS ?= 18

.PHONY: multiproc crash crash-full bigfile bigfile-4g interop interop-full wal wal-full rtree-interop fts-interop

multiproc: lib reference
	compat-tests/storage/multiproc.sh $(FERROLITE_LIB) $(REFERENCE_LIB)

crash: lib reference
	compat-tests/storage/crash.sh $(FERROLITE_LIB) $(REFERENCE_LIB) $(CRASH_ROUNDS)

crash-full: lib reference
	compat-tests/storage/crash.sh $(FERROLITE_LIB) $(REFERENCE_LIB) $(CRASH_FULL_ROUNDS)

bigfile: lib reference
	compat-tests/storage/bigfile.sh $(FERROLITE_LIB) $(REFERENCE_LIB) $(BIGFILE_MIB) "$(BIGFILE_PAGESIZES)"

bigfile-4g: lib reference
	compat-tests/storage/bigfile.sh $(FERROLITE_LIB) $(REFERENCE_LIB) 4400 "$(BIGFILE_PAGESIZES)"

interop: lib reference
	compat-tests/storage/interop.sh $(FERROLITE_LIB) $(REFERENCE_LIB) quick

interop-full: lib reference
	compat-tests/storage/interop.sh $(FERROLITE_LIB) $(REFERENCE_LIB) full

wal: lib reference
	compat-tests/storage/wal.sh $(FERROLITE_LIB) $(REFERENCE_LIB) quick
	MP_MODES=wal MP_TXNS=$(WAL_MP_TXNS) compat-tests/storage/multiproc.sh $(FERROLITE_LIB) $(REFERENCE_LIB)
	COUNTER_WAL_AUTOCHECKPOINT=5 MP_MODES=wal MP_TXNS=$(WAL_MP_TXNS) compat-tests/storage/multiproc.sh $(FERROLITE_LIB) $(REFERENCE_LIB)
	CRASH_MODES=wal compat-tests/storage/crash.sh $(FERROLITE_LIB) $(REFERENCE_LIB) $(WAL_CRASH_ROUNDS)

wal-full: lib reference
	compat-tests/storage/wal.sh $(FERROLITE_LIB) $(REFERENCE_LIB) full
	MP_MODES=wal MP_TXNS=500 compat-tests/storage/multiproc.sh $(FERROLITE_LIB) $(REFERENCE_LIB)
	COUNTER_WAL_AUTOCHECKPOINT=5 MP_MODES=wal MP_TXNS=500 compat-tests/storage/multiproc.sh $(FERROLITE_LIB) $(REFERENCE_LIB)
	CRASH_MODES=wal compat-tests/storage/crash.sh $(FERROLITE_LIB) $(REFERENCE_LIB) 300

rtree-interop: lib reference
	compat-tests/storage/rtreeinterop.sh $(FERROLITE_LIB) $(REFERENCE_LIB)

fts-interop: lib reference
	compat-tests/storage/ftsinterop.sh $(FERROLITE_LIB) $(REFERENCE_LIB)
