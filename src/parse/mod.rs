//! The SQL front end: tokenizer, parser and AST.
//!
//! Architecture invariant: this layer turns text into `ast` values and
//! reports syntax errors in SQLite's words; it never looks at the schema,
//! the VDBE or storage.

pub mod ast;
