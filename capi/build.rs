//! Gives the shared library SQLite's SONAME so programs linked against the
//! stock libsqlite3 load Ferrolite through the same DT_NEEDED entry.
fn main() {
    println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libsqlite3.so.0");
    println!("cargo:rerun-if-changed=build.rs");
}
