//! The VFS structs of include/sqlite3.h, laid out as C lays them out:
//! `sqlite3_vfs` (version 3), `sqlite3_io_methods` (version 3) and
//! `sqlite3_file`. Every method is an `Option` of a function pointer, since
//! a C VFS may leave one NULL (or stop at an older iVersion); a member past
//! the struct's iVersion is never read.

use std::ffi::{c_char, c_int, c_void};

use crate::sqlite3_int64;

/// An open file: the VFS's methods, then as much private state as the
/// VFS's szOsFile asks for.
#[repr(C)]
pub struct sqlite3_file {
    pub p_methods: *const sqlite3_io_methods,
}

pub type sqlite3_syscall_ptr = Option<unsafe extern "C" fn()>;

#[repr(C)]
pub struct sqlite3_io_methods {
    pub i_version: c_int,
    pub x_close: Option<unsafe extern "C" fn(*mut sqlite3_file) -> c_int>,
    pub x_read: Option<unsafe extern "C" fn(*mut sqlite3_file, *mut c_void, c_int, sqlite3_int64) -> c_int>,
    pub x_write: Option<unsafe extern "C" fn(*mut sqlite3_file, *const c_void, c_int, sqlite3_int64) -> c_int>,
    pub x_truncate: Option<unsafe extern "C" fn(*mut sqlite3_file, sqlite3_int64) -> c_int>,
    pub x_sync: Option<unsafe extern "C" fn(*mut sqlite3_file, c_int) -> c_int>,
    pub x_file_size: Option<unsafe extern "C" fn(*mut sqlite3_file, *mut sqlite3_int64) -> c_int>,
    pub x_lock: Option<unsafe extern "C" fn(*mut sqlite3_file, c_int) -> c_int>,
    pub x_unlock: Option<unsafe extern "C" fn(*mut sqlite3_file, c_int) -> c_int>,
    pub x_check_reserved_lock: Option<unsafe extern "C" fn(*mut sqlite3_file, *mut c_int) -> c_int>,
    pub x_file_control: Option<unsafe extern "C" fn(*mut sqlite3_file, c_int, *mut c_void) -> c_int>,
    pub x_sector_size: Option<unsafe extern "C" fn(*mut sqlite3_file) -> c_int>,
    pub x_device_characteristics: Option<unsafe extern "C" fn(*mut sqlite3_file) -> c_int>,
    // Version 2.
    pub x_shm_map: Option<unsafe extern "C" fn(*mut sqlite3_file, c_int, c_int, c_int, *mut *mut c_void) -> c_int>,
    pub x_shm_lock: Option<unsafe extern "C" fn(*mut sqlite3_file, c_int, c_int, c_int) -> c_int>,
    pub x_shm_barrier: Option<unsafe extern "C" fn(*mut sqlite3_file)>,
    pub x_shm_unmap: Option<unsafe extern "C" fn(*mut sqlite3_file, c_int) -> c_int>,
    // Version 3.
    pub x_fetch: Option<unsafe extern "C" fn(*mut sqlite3_file, sqlite3_int64, c_int, *mut *mut c_void) -> c_int>,
    pub x_unfetch: Option<unsafe extern "C" fn(*mut sqlite3_file, sqlite3_int64, *mut c_void) -> c_int>,
}

#[repr(C)]
pub struct sqlite3_vfs {
    pub i_version: c_int,
    pub sz_os_file: c_int,
    pub mx_pathname: c_int,
    pub p_next: *mut sqlite3_vfs,
    pub z_name: *const c_char,
    pub p_app_data: *mut c_void,
    pub x_open: Option<unsafe extern "C" fn(*mut sqlite3_vfs, *const c_char, *mut sqlite3_file, c_int, *mut c_int) -> c_int>,
    pub x_delete: Option<unsafe extern "C" fn(*mut sqlite3_vfs, *const c_char, c_int) -> c_int>,
    pub x_access: Option<unsafe extern "C" fn(*mut sqlite3_vfs, *const c_char, c_int, *mut c_int) -> c_int>,
    pub x_full_pathname: Option<unsafe extern "C" fn(*mut sqlite3_vfs, *const c_char, c_int, *mut c_char) -> c_int>,
    pub x_dl_open: Option<unsafe extern "C" fn(*mut sqlite3_vfs, *const c_char) -> *mut c_void>,
    pub x_dl_error: Option<unsafe extern "C" fn(*mut sqlite3_vfs, c_int, *mut c_char)>,
    pub x_dl_sym: Option<unsafe extern "C" fn(*mut sqlite3_vfs, *mut c_void, *const c_char) -> sqlite3_syscall_ptr>,
    pub x_dl_close: Option<unsafe extern "C" fn(*mut sqlite3_vfs, *mut c_void)>,
    pub x_randomness: Option<unsafe extern "C" fn(*mut sqlite3_vfs, c_int, *mut c_char) -> c_int>,
    pub x_sleep: Option<unsafe extern "C" fn(*mut sqlite3_vfs, c_int) -> c_int>,
    pub x_current_time: Option<unsafe extern "C" fn(*mut sqlite3_vfs, *mut f64) -> c_int>,
    pub x_get_last_error: Option<unsafe extern "C" fn(*mut sqlite3_vfs, c_int, *mut c_char) -> c_int>,
    // Version 2.
    pub x_current_time_int64: Option<unsafe extern "C" fn(*mut sqlite3_vfs, *mut sqlite3_int64) -> c_int>,
    // Version 3.
    pub x_set_system_call: Option<unsafe extern "C" fn(*mut sqlite3_vfs, *const c_char, sqlite3_syscall_ptr) -> c_int>,
    pub x_get_system_call: Option<unsafe extern "C" fn(*mut sqlite3_vfs, *const c_char) -> sqlite3_syscall_ptr>,
    pub x_next_system_call: Option<unsafe extern "C" fn(*mut sqlite3_vfs, *const c_char) -> *const c_char>,
}

/// Julian day of the Unix epoch, in milliseconds (xCurrentTimeInt64's unit).
pub const UNIX_EPOCH_JD_MS: i64 = 210_866_760_000_000;

/// xOpen flag bits that say which kind of file is opened.
pub const OPEN_MAIN_DB: c_int = 0x0000_0100;
pub const OPEN_MAIN_JOURNAL: c_int = 0x0000_0800;
pub const OPEN_WAL: c_int = 0x0008_0000;
pub const OPEN_READONLY: c_int = 0x0000_0001;
