//! The names Ferrolite hands to an application VFS's xOpen, laid out so
//! that the file-name functions work on them (sqlite3_uri_parameter,
//! sqlite3_filename_database / journal / wal) and so that
//! sqlite3_database_file_object finds the main database's `sqlite3_file`
//! from a journal's or WAL's name, as SQLite arranges its names.
//!
//! One `NameBlock` per database file opened through the VFS: a pointer
//! slot (the main database's `sqlite3_file`), then the file-name block of
//! `filename.rs` (four zero bytes, the database name, the URI parameters,
//! an empty string, the journal name, the WAL name, two zero bytes). The
//! main database's name, its journal's and its WAL's all point into the
//! same block, which lives as long as any file opened with one of them.
//! Files with no database (temporary, super-journals) get a block of their
//! own with a NULL slot, so that walking back from their name stays inside
//! memory Ferrolite owns.
//!
//! Invariant: a block's bytes never move or change once built (the slot is
//! written before the block is shared).

use std::ffi::c_char;

use super::ffi::sqlite3_file;
use crate::filename::make_block;

const SLOT: usize = std::mem::size_of::<*mut sqlite3_file>();

pub struct NameBlock {
    bytes: Box<[u8]>,
    /// Offsets in `bytes` of the database, journal and WAL names.
    db_off: usize,
    journal_off: usize,
    wal_off: usize,
    /// The journal and WAL names, to match later opens with this block.
    pub journal: String,
    pub wal: String,
}

// SAFETY: the block is immutable once built; the slot is a pointer value
// that is only read (by sqlite3_database_file_object), never followed here.
unsafe impl Send for NameBlock {}
// SAFETY: as above.
unsafe impl Sync for NameBlock {}

impl NameBlock {
    /// The block of database `db` (an engine file name), whose main file
    /// is `main` (NULL for a file with no database).
    pub fn new(db: &str, params: &[(String, String)], journal: &str, wal: &str, main: *mut sqlite3_file) -> NameBlock {
        let block = make_block(db, params, journal, wal);
        let mut bytes = Vec::with_capacity(SLOT + block.len());
        bytes.extend_from_slice(&(main as usize).to_ne_bytes());
        bytes.extend_from_slice(&block);
        let db_off = SLOT + 4;
        let db_len = ferrolite::os::fsname::to_bytes(db).len();
        let params_len: usize = params.iter().map(|(k, v)| k.len() + v.len() + 2).sum();
        let journal_off = db_off + db_len + 1 + params_len + 1;
        let wal_off = journal_off + ferrolite::os::fsname::to_bytes(journal).len() + 1;
        NameBlock { bytes: bytes.into_boxed_slice(), db_off, journal_off, wal_off, journal: journal.to_string(), wal: wal.to_string() }
    }

    /// A block for a file that belongs to no database: its name only.
    pub fn lone(name: &str) -> NameBlock {
        NameBlock::new(name, &[], "", "", std::ptr::null_mut())
    }

    fn at(&self, off: usize) -> *const c_char {
        self.bytes.get(off).map_or(std::ptr::null(), |b| b as *const u8 as *const c_char)
    }

    pub fn db_name(&self) -> *const c_char {
        self.at(self.db_off)
    }

    /// The name to pass for `path`: the journal's or WAL's when it is one
    /// of them, else the database's.
    pub fn name_for(&self, path: &str) -> *const c_char {
        if !self.journal.is_empty() && path == self.journal {
            self.at(self.journal_off)
        } else if !self.wal.is_empty() && path == self.wal {
            self.at(self.wal_off)
        } else {
            self.db_name()
        }
    }

    /// True when `path` is this block's journal or WAL.
    pub fn owns(&self, path: &str) -> bool {
        (!self.journal.is_empty() && path == self.journal) || (!self.wal.is_empty() && path == self.wal)
    }
}

/// sqlite3_database_file_object: the main database's file, from the name
/// Ferrolite passed to xOpen for that database, its journal or its WAL.
/// Like SQLite, trusts `z` to be such a name.
#[no_mangle]
pub unsafe extern "C" fn sqlite3_database_file_object(z: *const c_char) -> *mut sqlite3_file {
    if z.is_null() {
        return std::ptr::null_mut();
    }
    guard!(std::ptr::null_mut(), {
        // SAFETY: `z` is a name from a NameBlock (the caller's contract, as
        // in SQLite): the database name is preceded by four zero bytes and
        // the slot, all inside the block.
        unsafe {
            let db = crate::filename::database_name(z) as *const u8;
            let slot = db.sub(4 + SLOT) as *const usize;
            slot.read_unaligned() as *mut sqlite3_file
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::CStr;

    #[test]
    fn journal_and_wal_names_lead_back_to_the_slot_and_parameters() {
        let fake = 0x1234usize as *mut sqlite3_file;
        let params = vec![("a".to_string(), "1".to_string()), ("bee".to_string(), String::new())];
        let b = NameBlock::new("/d/x.db", &params, "/d/x.db-journal", "/d/x.db-wal", fake);
        for p in ["/d/x.db", "/d/x.db-journal", "/d/x.db-wal"] {
            let z = b.name_for(p);
            // SAFETY: z points into b, which is alive.
            unsafe {
                assert_eq!(CStr::from_ptr(z).to_str().ok(), Some(p));
                assert_eq!(sqlite3_database_file_object(z), fake);
                let v = crate::filename::sqlite3_uri_parameter(z, c"a".as_ptr());
                assert_eq!(CStr::from_ptr(v).to_str().ok(), Some("1"));
                let j = crate::filename::sqlite3_filename_journal(z);
                assert_eq!(CStr::from_ptr(j).to_str().ok(), Some("/d/x.db-journal"));
            }
        }
        assert!(b.owns("/d/x.db-wal") && !b.owns("/d/x.db"));
        let lone = NameBlock::lone("/t/etilqs");
        // SAFETY: as above.
        unsafe { assert!(sqlite3_database_file_object(lone.db_name()).is_null()) };
    }
}
