//! Low-level helpers shared by the value layer and the function library:
//! text-to-number parsing (`atof`), number-to-text rendering (`fpdecode`),
//! SQLite's printf language (`printf`), and the database text encodings
//! with their conversions (`utf16`), and `file:` URI names (`uri`).
//!
//! Everything here works on raw bytes (SQL text may hold invalid UTF-8) and
//! never panics on any input.

pub mod atof;
pub mod fp;
pub mod fpdecode;
pub mod printf;
pub mod prng;
pub mod utf16;
pub mod uri;

pub use atof::{atof, atoi64, dec_or_hex_to_i64, number_literal, real_to_i64, real_same_as_int};
pub use utf16::TextEncoding;
pub use fpdecode::{int_to_text, real_to_text, render_real};
