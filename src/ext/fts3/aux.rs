//! The auxiliary functions snippet(), offsets() and matchinfo().
use crate::connection::Connection;
use crate::error::Result;

pub fn find(_name: &str) -> Option<(i32, Box<dyn crate::func::user::UserFunction>)> {
    None
}

pub fn register(_conn: &mut Connection) -> Result<()> {
    Ok(())
}
