//! Helpers shared by the engine's integration tests.

use ferrolite::connection::Connection;
use ferrolite::vdbe::StepResult;
use ferrolite::Value;

/// Runs every statement of `sql` on `conn`, returning the rows of the last
/// one, or the first error's message.
pub fn run(conn: &mut Connection, sql: &str) -> Result<Vec<Vec<Value>>, String> {
    let mut rest = sql;
    let mut rows = Vec::new();
    loop {
        let (stmt, tail) = conn.prepare(rest).map_err(|e| e.message().to_string())?;
        let Some(mut stmt) = stmt else { break };
        rows.clear();
        loop {
            match stmt.step(conn).map_err(|e| e.message().to_string())? {
                StepResult::Row => rows.push(stmt.row().to_vec()),
                StepResult::Done => break,
            }
        }
        stmt.reset(conn).map_err(|e| e.message().to_string())?;
        rest = &rest[tail..];
    }
    Ok(rows)
}
