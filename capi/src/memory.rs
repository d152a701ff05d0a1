//! sqlite3_malloc, sqlite3_free and friends.
//!
//! Every block carries an 8-byte header holding its size, so that
//! sqlite3_msize works and so that memory Ferrolite hands to the
//! application (error messages from sqlite3_exec, mprintf results) is
//! released by sqlite3_free. Blocks are 8-byte aligned like SQLite's.

use std::ffi::{c_char, c_int, c_void};

const HEADER: usize = 8;

use std::sync::atomic::{AtomicI64, Ordering};

/// Bytes in blocks from this allocator now, and the most there have been
/// since the high-water mark was last reset (sqlite3_memory_used /
/// memory_highwater, SQLITE_STATUS_MEMORY_USED). Only memory that passes
/// through sqlite3_malloc is counted: the engine's own Rust allocations
/// are not, so the numbers are smaller than SQLite's.
pub static USED: AtomicI64 = AtomicI64::new(0);
pub static HIGHWATER: AtomicI64 = AtomicI64::new(0);
/// The largest request seen (SQLITE_STATUS_MALLOC_SIZE) and the number of
/// live blocks (SQLITE_STATUS_MALLOC_COUNT).
pub static LARGEST: AtomicI64 = AtomicI64::new(0);
pub static COUNT: AtomicI64 = AtomicI64::new(0);
pub static COUNT_HIGH: AtomicI64 = AtomicI64::new(0);
/// sqlite3_hard_heap_limit64: allocations that would take USED past it
/// fail (0: no limit).
pub static HARD_LIMIT: AtomicI64 = AtomicI64::new(0);


/// Allocates `n` bytes (NULL for 0 or on failure).
pub fn alloc(n: u64) -> *mut c_void {
    if n == 0 || n > (i64::MAX as u64) - HEADER as u64 {
        return std::ptr::null_mut();
    }
    let limit = HARD_LIMIT.load(Ordering::Relaxed);
    if limit > 0 && USED.load(Ordering::Relaxed).saturating_add(n as i64) > limit {
        return std::ptr::null_mut();
    }
    // SAFETY: malloc with a non-zero size; the result is checked for NULL
    // before the header is written into its first 8 bytes.
    unsafe {
        let p = libc::malloc(n as usize + HEADER) as *mut u8;
        if p.is_null() {
            return std::ptr::null_mut();
        }
        (p as *mut u64).write(n);
        let now = USED.fetch_add(n as i64, Ordering::Relaxed) + n as i64;
        HIGHWATER.fetch_max(now, Ordering::Relaxed);
        LARGEST.fetch_max(n as i64, Ordering::Relaxed);
        let c = COUNT.fetch_add(1, Ordering::Relaxed) + 1;
        COUNT_HIGH.fetch_max(c, Ordering::Relaxed);
        p.add(HEADER) as *mut c_void
    }
}

/// The size of a block from `alloc` (0 for NULL).
///
/// # Safety
/// `p` is NULL or a live block returned by `alloc`.
pub unsafe fn size_of(p: *mut c_void) -> u64 {
    if p.is_null() {
        return 0;
    }
    // SAFETY: the caller guarantees `p` came from `alloc`, so its header
    // sits in the 8 bytes before it.
    unsafe { ((p as *mut u8).sub(HEADER) as *mut u64).read() }
}

/// Releases a block from `alloc`.
///
/// # Safety
/// `p` is NULL or a live block returned by `alloc`.
pub unsafe fn release(p: *mut c_void) {
    if p.is_null() {
        return;
    }
    // SAFETY: as for size_of; the block start is the header.
    unsafe {
        USED.fetch_sub(size_of(p) as i64, Ordering::Relaxed);
        COUNT.fetch_sub(1, Ordering::Relaxed);
        libc::free((p as *mut u8).sub(HEADER) as *mut c_void);
    }
}

/// Copies `s` into a NUL-terminated block the application frees with
/// sqlite3_free.
pub fn alloc_cstring(s: &[u8]) -> *mut c_char {
    let p = alloc(s.len() as u64 + 1) as *mut u8;
    if p.is_null() {
        return std::ptr::null_mut();
    }
    // SAFETY: `p` has room for s.len() + 1 bytes.
    unsafe {
        std::ptr::copy_nonoverlapping(s.as_ptr(), p, s.len());
        *p.add(s.len()) = 0;
    }
    p as *mut c_char
}

#[no_mangle]
pub extern "C" fn sqlite3_malloc(n: c_int) -> *mut c_void {
    guard!(std::ptr::null_mut(), { if n <= 0 { std::ptr::null_mut() } else { alloc(n as u64) } })
}

#[no_mangle]
pub extern "C" fn sqlite3_malloc64(n: crate::sqlite3_uint64) -> *mut c_void {
    guard!(std::ptr::null_mut(), { alloc(n) })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_free(p: *mut c_void) {
    // SAFETY: the application passes memory it got from this allocator.
    guard!((), { unsafe { release(p) } })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_msize(p: *mut c_void) -> crate::sqlite3_uint64 {
    // SAFETY: as for sqlite3_free.
    guard!(0, { unsafe { size_of(p) } })
}

unsafe fn realloc_impl(p: *mut c_void, n: u64) -> *mut c_void {
    if p.is_null() {
        return alloc(n);
    }
    if n == 0 {
        // SAFETY: `p` is a live block from this allocator.
        unsafe { release(p) };
        return std::ptr::null_mut();
    }
    let q = alloc(n);
    if q.is_null() {
        return q;
    }
    // SAFETY: both blocks are live; copy the smaller of the two sizes.
    unsafe {
        let old = size_of(p);
        std::ptr::copy_nonoverlapping(p as *const u8, q as *mut u8, old.min(n) as usize);
        release(p);
    }
    q
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_realloc(p: *mut c_void, n: c_int) -> *mut c_void {
    // SAFETY: `p` is NULL or from this allocator (the caller's contract).
    guard!(std::ptr::null_mut(), { unsafe { realloc_impl(p, if n < 0 { 0 } else { n as u64 }) } })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_realloc64(p: *mut c_void, n: crate::sqlite3_uint64) -> *mut c_void {
    // SAFETY: as for sqlite3_realloc.
    guard!(std::ptr::null_mut(), { unsafe { realloc_impl(p, n) } })
}
