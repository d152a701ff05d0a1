//! The engine's one error type and its mapping to SQLite result codes.
//!
//! Every layer (VFS, pager, B-tree, parser, VDBE) returns `Result<T>`. An
//! `Error` carries an extended result code (primary code in the low byte,
//! exactly as SQLite numbers them) and, where SQLite has one, the message a
//! caller sees through `sqlite3_errmsg`. The mapping from a code to its
//! default English text (`sqlite3_errstr`) lives here and nowhere else.

use std::fmt;

/// SQLite's result codes, primary and extended, with SQLite's numbering.
pub mod code {
    pub const OK: i32 = 0;
    pub const ERROR: i32 = 1;
    pub const INTERNAL: i32 = 2;
    pub const PERM: i32 = 3;
    pub const ABORT: i32 = 4;
    pub const BUSY: i32 = 5;
    pub const LOCKED: i32 = 6;
    pub const NOMEM: i32 = 7;
    pub const READONLY: i32 = 8;
    pub const INTERRUPT: i32 = 9;
    pub const IOERR: i32 = 10;
    pub const CORRUPT: i32 = 11;
    pub const NOTFOUND: i32 = 12;
    pub const FULL: i32 = 13;
    pub const CANTOPEN: i32 = 14;
    pub const PROTOCOL: i32 = 15;
    pub const EMPTY: i32 = 16;
    pub const SCHEMA: i32 = 17;
    pub const TOOBIG: i32 = 18;
    pub const CONSTRAINT: i32 = 19;
    pub const MISMATCH: i32 = 20;
    pub const MISUSE: i32 = 21;
    pub const NOLFS: i32 = 22;
    pub const AUTH: i32 = 23;
    pub const FORMAT: i32 = 24;
    pub const RANGE: i32 = 25;
    pub const NOTADB: i32 = 26;
    pub const NOTICE: i32 = 27;
    pub const WARNING: i32 = 28;
    pub const ROW: i32 = 100;
    pub const DONE: i32 = 101;

    pub const ERROR_MISSING_COLLSEQ: i32 = ERROR | (1 << 8);
    pub const ERROR_RETRY: i32 = ERROR | (2 << 8);
    pub const ERROR_SNAPSHOT: i32 = ERROR | (3 << 8);
    pub const IOERR_READ: i32 = IOERR | (1 << 8);
    pub const IOERR_SHORT_READ: i32 = IOERR | (2 << 8);
    pub const IOERR_WRITE: i32 = IOERR | (3 << 8);
    pub const IOERR_FSYNC: i32 = IOERR | (4 << 8);
    pub const IOERR_DIR_FSYNC: i32 = IOERR | (5 << 8);
    pub const IOERR_TRUNCATE: i32 = IOERR | (6 << 8);
    pub const IOERR_FSTAT: i32 = IOERR | (7 << 8);
    pub const IOERR_UNLOCK: i32 = IOERR | (8 << 8);
    pub const IOERR_RDLOCK: i32 = IOERR | (9 << 8);
    pub const IOERR_DELETE: i32 = IOERR | (10 << 8);
    pub const IOERR_BLOCKED: i32 = IOERR | (11 << 8);
    pub const IOERR_NOMEM: i32 = IOERR | (12 << 8);
    pub const IOERR_ACCESS: i32 = IOERR | (13 << 8);
    pub const IOERR_CHECKRESERVEDLOCK: i32 = IOERR | (14 << 8);
    pub const IOERR_LOCK: i32 = IOERR | (15 << 8);
    pub const IOERR_CLOSE: i32 = IOERR | (16 << 8);
    pub const IOERR_DIR_CLOSE: i32 = IOERR | (17 << 8);
    pub const IOERR_SHMOPEN: i32 = IOERR | (18 << 8);
    pub const IOERR_SHMSIZE: i32 = IOERR | (19 << 8);
    pub const IOERR_SHMLOCK: i32 = IOERR | (20 << 8);
    pub const IOERR_SHMMAP: i32 = IOERR | (21 << 8);
    pub const IOERR_SEEK: i32 = IOERR | (22 << 8);
    pub const IOERR_DELETE_NOENT: i32 = IOERR | (23 << 8);
    pub const IOERR_MMAP: i32 = IOERR | (24 << 8);
    pub const IOERR_GETTEMPPATH: i32 = IOERR | (25 << 8);
    pub const IOERR_CONVPATH: i32 = IOERR | (26 << 8);
    pub const LOCKED_SHAREDCACHE: i32 = LOCKED | (1 << 8);
    pub const BUSY_RECOVERY: i32 = BUSY | (1 << 8);
    pub const BUSY_SNAPSHOT: i32 = BUSY | (2 << 8);
    pub const BUSY_TIMEOUT: i32 = BUSY | (3 << 8);
    pub const CANTOPEN_NOTEMPDIR: i32 = CANTOPEN | (1 << 8);
    pub const CANTOPEN_ISDIR: i32 = CANTOPEN | (2 << 8);
    pub const CANTOPEN_FULLPATH: i32 = CANTOPEN | (3 << 8);
    pub const CORRUPT_VTAB: i32 = CORRUPT | (1 << 8);
    pub const CORRUPT_SEQUENCE: i32 = CORRUPT | (2 << 8);
    pub const CORRUPT_INDEX: i32 = CORRUPT | (3 << 8);
    pub const READONLY_RECOVERY: i32 = READONLY | (1 << 8);
    pub const READONLY_CANTLOCK: i32 = READONLY | (2 << 8);
    pub const READONLY_ROLLBACK: i32 = READONLY | (3 << 8);
    pub const READONLY_DBMOVED: i32 = READONLY | (4 << 8);
    pub const READONLY_CANTINIT: i32 = READONLY | (5 << 8);
    pub const READONLY_DIRECTORY: i32 = READONLY | (6 << 8);
    pub const ABORT_ROLLBACK: i32 = ABORT | (2 << 8);
    pub const CONSTRAINT_CHECK: i32 = CONSTRAINT | (1 << 8);
    pub const CONSTRAINT_COMMITHOOK: i32 = CONSTRAINT | (2 << 8);
    pub const CONSTRAINT_FOREIGNKEY: i32 = CONSTRAINT | (3 << 8);
    pub const CONSTRAINT_FUNCTION: i32 = CONSTRAINT | (4 << 8);
    pub const CONSTRAINT_NOTNULL: i32 = CONSTRAINT | (5 << 8);
    pub const CONSTRAINT_PRIMARYKEY: i32 = CONSTRAINT | (6 << 8);
    pub const CONSTRAINT_TRIGGER: i32 = CONSTRAINT | (7 << 8);
    pub const CONSTRAINT_UNIQUE: i32 = CONSTRAINT | (8 << 8);
    pub const CONSTRAINT_VTAB: i32 = CONSTRAINT | (9 << 8);
    pub const CONSTRAINT_ROWID: i32 = CONSTRAINT | (10 << 8);
    pub const CONSTRAINT_PINNED: i32 = CONSTRAINT | (11 << 8);
    pub const CONSTRAINT_DATATYPE: i32 = CONSTRAINT | (12 << 8);
}

/// The default English text for a result code: what `sqlite3_errstr`
/// returns and what `sqlite3_errmsg` shows when no specific message is set.
pub fn errstr(rc: i32) -> &'static str {
    match rc {
        code::ABORT_ROLLBACK => "abort due to ROLLBACK",
        code::ROW => "another row available",
        code::DONE => "no more rows available",
        _ => match rc & 0xff {
            code::OK => "not an error",
            code::ERROR => "SQL logic error",
            code::INTERNAL => "unknown error",
            code::PERM => "access permission denied",
            code::ABORT => "query aborted",
            code::BUSY => "database is locked",
            code::LOCKED => "database table is locked",
            code::NOMEM => "out of memory",
            code::READONLY => "attempt to write a readonly database",
            code::INTERRUPT => "interrupted",
            code::IOERR => "disk I/O error",
            code::CORRUPT => "database disk image is malformed",
            code::NOTFOUND => "unknown operation",
            code::FULL => "database or disk is full",
            code::CANTOPEN => "unable to open database file",
            code::PROTOCOL => "locking protocol",
            code::EMPTY => "unknown error",
            code::SCHEMA => "database schema has changed",
            code::TOOBIG => "string or blob too big",
            code::CONSTRAINT => "constraint failed",
            code::MISMATCH => "datatype mismatch",
            code::MISUSE => "bad parameter or other API misuse",
            code::NOLFS => "large file support is disabled",
            code::AUTH => "authorization denied",
            code::FORMAT => "unknown error",
            code::RANGE => "column index out of range",
            code::NOTADB => "file is not a database",
            code::NOTICE => "notification message",
            code::WARNING => "warning message",
            _ => "unknown error",
        },
    }
}

/// An engine error: an extended result code plus an optional message.
#[derive(Clone, PartialEq, Eq)]
pub struct Error {
    code: i32,
    message: Option<String>,
}

pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    /// An error with the code's default text (`errstr`) as its message.
    pub fn code(code: i32) -> Error {
        Error { code, message: None }
    }

    /// An error with a specific message, as SQLite words it.
    pub fn with_message(code: i32, message: impl Into<String>) -> Error {
        Error { code, message: Some(message.into()) }
    }

    /// A plain SQL error (SQLITE_ERROR) with a message, the common case for
    /// the parser and the code generator.
    pub fn sql(message: impl Into<String>) -> Error {
        Error::with_message(code::ERROR, message)
    }

    /// A corrupt database image (SQLITE_CORRUPT).
    pub fn corrupt() -> Error {
        Error::code(code::CORRUPT)
    }

    /// API misuse (SQLITE_MISUSE).
    pub fn misuse() -> Error {
        Error::code(code::MISUSE)
    }

    /// The extended result code.
    pub fn extended_code(&self) -> i32 {
        self.code
    }

    /// The primary result code (low byte of the extended code).
    pub fn primary_code(&self) -> i32 {
        self.code & 0xff
    }

    /// The message `sqlite3_errmsg` shows for this error.
    pub fn message(&self) -> &str {
        match &self.message {
            Some(m) => m,
            None => errstr(self.code),
        }
    }

    /// True when the error carries its own message rather than errstr's.
    pub fn has_message(&self) -> bool {
        self.message.is_some()
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Error({}: {})", self.code, self.message())
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

impl std::error::Error for Error {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_messages_follow_the_primary_code() {
        assert_eq!(Error::code(code::IOERR_FSYNC).message(), "disk I/O error");
        assert_eq!(Error::code(code::IOERR_FSYNC).primary_code(), code::IOERR);
        assert_eq!(Error::sql("no such table: t1").message(), "no such table: t1");
        assert_eq!(errstr(code::ABORT_ROLLBACK), "abort due to ROLLBACK");
    }
}
