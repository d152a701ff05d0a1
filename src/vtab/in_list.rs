//! The value xFilter receives for an IN constraint the module took all at
//! once (sqlite3_vtab_in(.., 1)): SQLite's "ValueList", a pointer value
//! (NULL to SQL) whose distinct right-hand values, in the order of the
//! IN's collation, sqlite3_vtab_in_first / in_next walk.
//!
//! Invariants: the values are fixed when the list is made (OP_VInitIn
//! reads the IN's transient index); the walk position is shared by every
//! copy of the value, as SQLite's list shares one b-tree cursor; `out` is
//! the C layer's storage for the value it last handed out, reused by the
//! next step so that its address stays the same.

use std::any::Any;
use std::sync::{Arc, Mutex, MutexGuard};

use crate::value::{Pointer, PointerData, Value};

/// The pointer type name SQLite gives the list value.
pub const TYPE_NAME: &[u8] = b"ValueList";

/// The right-hand values of one IN constraint.
pub struct ValueList {
    values: Vec<Value>,
    state: Mutex<Walk>,
}

/// Where a walk of the list stands.
#[derive(Default)]
pub struct Walk {
    /// The value handed out last; None before in_first and after the end.
    pub pos: Option<usize>,
    /// The C layer's object for the value handed out.
    pub out: Option<Box<dyn Any + Send>>,
}

impl ValueList {
    /// The list value holding `values` (already distinct and ordered).
    pub fn into_value(values: Vec<Value>) -> Value {
        let list = Box::new(ValueList { values, state: Mutex::new(Walk::default()) });
        let addr = &*list as *const ValueList as usize;
        Value::Pointer(Pointer(Arc::new(PointerData { addr, type_name: TYPE_NAME.to_vec(), owner: Some(list) })))
    }

    /// The list a value carries, if it is one.
    pub fn of(v: &Value) -> Option<&ValueList> {
        match v {
            Value::Pointer(p) if p.0.type_name == TYPE_NAME => p.0.owner.as_ref()?.downcast_ref::<ValueList>(),
            _ => None,
        }
    }

    /// The walk state, locked.
    pub fn walk(&self) -> MutexGuard<'_, Walk> {
        match self.state.lock() {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        }
    }

    /// Moves the walk to the first value (`first`) or the next one, and
    /// returns it; None at the end (SQLITE_DONE).
    pub fn step(&self, walk: &mut Walk, first: bool) -> Option<Value> {
        let next = if first {
            0
        } else {
            match walk.pos {
                Some(p) => p + 1,
                None => self.values.len(),
            }
        };
        let v = self.values.get(next).cloned();
        walk.pos = v.as_ref().map(|_| next);
        v
    }

    pub fn len(&self) -> usize {
        self.values.len()
    }

    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walks_the_values_and_ends() {
        let v = ValueList::into_value(vec![Value::Integer(1), Value::Integer(2)]);
        assert!(v.is_null());
        let copy = v.clone();
        let list = ValueList::of(&copy).expect("a list");
        let mut w = list.walk();
        assert_eq!(list.step(&mut w, false), None, "no walk before in_first");
        assert_eq!(list.step(&mut w, true), Some(Value::Integer(1)));
        assert_eq!(list.step(&mut w, false), Some(Value::Integer(2)));
        assert_eq!(list.step(&mut w, false), None);
        assert_eq!(list.step(&mut w, false), None);
        assert_eq!(list.step(&mut w, true), Some(Value::Integer(1)));
        assert!(ValueList::of(&Value::Integer(3)).is_none());
    }
}
