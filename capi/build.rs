//! Gives the shared library SQLite's SONAME so programs linked against the
//! stock libsqlite3 load Ferrolite through the same DT_NEEDED entry, and
//! compiles csrc/variadic.c, the C side of the variadic entry points
//! (sqlite3_mprintf, sqlite3_config...: see src/printf.rs), and
//! csrc/extension_api.c, the table handed to loadable extensions.
fn main() {
    println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libsqlite3.so.0");
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=csrc/variadic.c");
    println!("cargo:rerun-if-changed=csrc/extension_api.c");
    println!("cargo:rerun-if-changed=../include/sqlite3ext.h");
    println!("cargo:rerun-if-changed=../include/sqlite3.h");
    cc::Build::new()
        .file("csrc/variadic.c")
        .file("csrc/extension_api.c")
        .include("../include")
        .std("c11")
        // Only the Rust trampolines are exported; the C functions stay
        // inside the library.
        .flag("-fvisibility=hidden")
        .warnings(true)
        .extra_warnings(true)
        .compile("ferrolite_variadic");
}
