//! SQL values: the five storage classes SQLite knows, and SQLite's
//! pointer values (a NULL carrying an application pointer, for
//! sqlite3_bind_pointer / result_pointer / value_pointer).
//!
//! `Value` owns its bytes (registers, bound parameters, function results);
//! `ValueRef` borrows them (columns decoded straight out of a record
//! payload). A `Value`'s text is UTF-8, kept as raw bytes: invalid UTF-8
//! handed in through the C API is stored and returned unchanged. A
//! `ValueRef` decoded from a record holds the stored bytes, which in a
//! UTF-16 database are UTF-16 (see `record` and `util::utf16`).

use std::cmp::Ordering;

/// The storage class of a value, numbered as `SQLITE_INTEGER` ... `SQLITE_NULL`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValueType {
    Integer = 1,
    Float = 2,
    Text = 3,
    Blob = 4,
    Null = 5,
}

/// An owned SQL value.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Value {
    #[default]
    Null,
    Integer(i64),
    Real(f64),
    Text(Vec<u8>),
    Blob(Vec<u8>),
    /// SQLite's pointer value (sqlite3_bind_pointer, result_pointer): a
    /// NULL to SQL that carries an application pointer and its type name,
    /// which only sqlite3_value_pointer with the same type sees.
    Pointer(Pointer),
}

/// The pointer a `Value::Pointer` carries: an opaque address, its type
/// name, and the destructor's owner (dropped when the last copy of the
/// value goes). Two pointer values are equal when they share the object.
#[derive(Clone)]
pub struct Pointer(pub std::sync::Arc<PointerData>);

/// What a pointer value holds. `owner` runs the application's
/// destructor when dropped.
pub struct PointerData {
    pub addr: usize,
    pub type_name: Vec<u8>,
    pub owner: Option<Box<dyn std::any::Any + Send + Sync>>,
}

impl std::fmt::Debug for Pointer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Pointer({:#x}, {})", self.0.addr, String::from_utf8_lossy(&self.0.type_name))
    }
}

impl PartialEq for Pointer {
    fn eq(&self, other: &Pointer) -> bool {
        std::sync::Arc::ptr_eq(&self.0, &other.0)
    }
}

impl Pointer {
    /// The address when the value's type name is `type_name`.
    pub fn get(&self, type_name: &[u8]) -> Option<usize> {
        (self.0.type_name == type_name).then_some(self.0.addr)
    }
}

/// A borrowed SQL value, typically pointing into a record payload.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ValueRef<'a> {
    Null,
    Integer(i64),
    Real(f64),
    Text(&'a [u8]),
    Blob(&'a [u8]),
}

impl Value {
    pub fn value_type(&self) -> ValueType {
        self.as_ref().value_type()
    }

    pub fn as_ref(&self) -> ValueRef<'_> {
        match self {
            Value::Null | Value::Pointer(_) => ValueRef::Null,
            Value::Integer(i) => ValueRef::Integer(*i),
            Value::Real(r) => ValueRef::Real(*r),
            Value::Text(t) => ValueRef::Text(t),
            Value::Blob(b) => ValueRef::Blob(b),
        }
    }

    pub fn text(s: &str) -> Value {
        Value::Text(s.as_bytes().to_vec())
    }

    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null | Value::Pointer(_))
    }

    /// The address of a pointer value of type `type_name` (None for any
    /// other value: SQLite's sqlite3_value_pointer).
    pub fn pointer(&self, type_name: &[u8]) -> Option<usize> {
        match self {
            Value::Pointer(p) => p.get(type_name),
            _ => None,
        }
    }
}

impl<'a> ValueRef<'a> {
    pub fn value_type(&self) -> ValueType {
        match self {
            ValueRef::Null => ValueType::Null,
            ValueRef::Integer(_) => ValueType::Integer,
            ValueRef::Real(_) => ValueType::Float,
            ValueRef::Text(_) => ValueType::Text,
            ValueRef::Blob(_) => ValueType::Blob,
        }
    }

    pub fn to_owned(&self) -> Value {
        match *self {
            ValueRef::Null => Value::Null,
            ValueRef::Integer(i) => Value::Integer(i),
            ValueRef::Real(r) => Value::Real(r),
            ValueRef::Text(t) => Value::Text(t.to_vec()),
            ValueRef::Blob(b) => Value::Blob(b.to_vec()),
        }
    }
}

/// Compares an integer with a real the way SQLite does: exactly, without
/// rounding the integer to a double first when that would lose precision.
pub fn compare_int_real(i: i64, r: f64) -> Ordering {
    if r.is_nan() {
        // SQLite treats NaN as NULL on the way in; a stray one sorts low.
        return Ordering::Greater;
    }
    if r < -9223372036854775808.0 {
        return Ordering::Greater;
    }
    if r >= 9223372036854775808.0 {
        return Ordering::Less;
    }
    let ri = r as i64;
    match i.cmp(&ri) {
        Ordering::Equal => {
            let frac = r - ri as f64;
            if frac > 0.0 {
                Ordering::Less
            } else if frac < 0.0 {
                Ordering::Greater
            } else {
                Ordering::Equal
            }
        }
        o => o,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn int_real_comparison_is_exact() {
        assert_eq!(compare_int_real(1, 1.5), Ordering::Less);
        assert_eq!(compare_int_real(2, 1.5), Ordering::Greater);
        assert_eq!(compare_int_real(3, 3.0), Ordering::Equal);
        assert_eq!(compare_int_real(i64::MAX, 9223372036854775808.0), Ordering::Less);
        assert_eq!(compare_int_real(-1, -1.5), Ordering::Greater);
    }
}

impl<'a> ValueRef<'a> {
    /// SQLite's ordering of two values (sqlite3MemCompare): NULL first, then
    /// numbers compared numerically, then TEXT under `coll`, then BLOB
    /// byte-wise. Two NULLs compare equal here (index order), unlike `=`.
    pub fn compare(&self, other: &ValueRef<'_>, coll: &crate::collation::CollSeq) -> Ordering {
        use ValueRef::*;
        fn class(v: &ValueRef<'_>) -> u8 {
            match v {
                Null => 0,
                Integer(_) | Real(_) => 1,
                Text(_) => 2,
                Blob(_) => 3,
            }
        }
        match (self, other) {
            (Integer(a), Integer(b)) => a.cmp(b),
            (Real(a), Real(b)) => a.partial_cmp(b).unwrap_or(Ordering::Equal),
            (Integer(a), Real(b)) => compare_int_real(*a, *b),
            (Real(a), Integer(b)) => compare_int_real(*b, *a).reverse(),
            (Text(a), Text(b)) => coll.compare(a, b),
            (Blob(a), Blob(b)) => a.cmp(b),
            (a, b) => class(a).cmp(&class(b)),
        }
    }
}
