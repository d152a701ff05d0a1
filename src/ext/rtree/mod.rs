//! The R*Tree virtual table module (`rtree`, and `rtree_i32` with integer
//! coordinates), registered on every connection as in a SQLite built with
//! SQLITE_ENABLE_RTREE, and its SQL functions rtreecheck(), rtreenode()
//! and rtreedepth().
//!
//! The point is file compatibility: a table keeps its data in the shadow
//! tables SQLite creates (`shadow.rs`, same CREATE statements), nodes are
//! SQLite's blobs (`node.rs`), coordinates are rounded as SQLite rounds
//! them, so SQLite reads and changes a tree Ferrolite wrote and the other
//! way round. `tree.rs` changes the tree, `query.rs` plans and reads it
//! (`search.rs` walks it, `callback.rs` is what MATCH asks of an
//! application's geometry or query callback), `check.rs` holds the SQL
//! functions.
//!
//! Invariant: every access to the shadow tables goes through statements
//! run on the connection executing the user's statement (the methods that
//! need one are the `_on` forms of the vtab traits); the module keeps no
//! tree state between calls, so another connection's (or SQLite's)
//! changes are always seen.

pub mod callback;
pub mod check;
pub mod node;
pub mod query;
pub mod search;
pub mod shadow;
pub mod tree;

use std::sync::Arc;

use crate::connection::Connection;
use crate::error::{code, Error, Result};
use crate::parse::tokenizer;
use crate::value::Value;
use crate::vtab::{Connected, IndexInfo, Module, VTab, VTabCursor, VtabConfig};

use node::{Cell, CoordType, Geometry, MAX_CELLS, MAX_DIMENSIONS};
use shadow::Shadow;
use tree::Tree;

/// The most auxiliary columns a table may have (RTREE_MAX_AUX_COLUMN).
const MAX_AUX_COLUMN: usize = 100;

/// What one R*Tree table is: names, shape, column names.
#[derive(Debug)]
pub struct Info {
    pub shadow: Shadow,
    /// Number of coordinate columns (twice the dimensions).
    pub n_coord: usize,
    pub ty: CoordType,
    /// Column names as declared (id, coordinates, auxiliary columns).
    pub columns: Vec<String>,
}

impl Info {
    /// The node geometry, the node size read from the root's blob (as
    /// SQLite's xConnect learns it).
    pub fn geometry(&self, conn: &mut Connection) -> Result<Geometry> {
        let size = self.shadow.root_size(conn)?.unwrap_or(0);
        if size < 512 - 64 {
            // SQLite's xConnect fails with SQLITE_CORRUPT_VTAB here, and
            // the statement reports that code's own message.
            return Err(tree::corrupt_vtab());
        }
        Ok(Geometry { n_coord: self.n_coord, ty: self.ty, node_size: size as usize })
    }
}

/// The `rtree` / `rtree_i32` module.
pub struct RtreeModule {
    pub ty: CoordType,
}

/// The first SQL token of a module argument (what names a column).
fn first_token(arg: &str) -> &str {
    let (_, end) = tokenizer::next_token(arg, 0);
    arg.get(..end).unwrap_or(arg)
}

impl RtreeModule {
    /// xCreate (`conn` Some: creates the shadow tables) or xConnect.
    fn init(&self, argv: &[String], conn: Option<&mut Connection>) -> Result<Connected> {
        let argc = argv.len();
        if !(6..=MAX_AUX_COLUMN + 3).contains(&argc) {
            return Err(Error::sql(if argc >= 6 { "Too many columns for an rtree table" } else { "Too few columns for an rtree table" }));
        }
        let (db, name) = (argv[1].clone(), argv[2].clone());
        let id = first_token(&argv[3]);
        let mut declared = format!("CREATE TABLE x({id} INT");
        let mut columns = vec![tokenizer::dequote(id)];
        let (mut n_aux, mut n_coord) = (0usize, 0usize);
        let mut ii = 4;
        while ii < argc {
            let arg = argv[ii].as_str();
            if let Some(rest) = arg.strip_prefix('+') {
                n_aux += 1;
                let t = first_token(rest);
                declared.push_str(&format!(",{t}"));
                columns.push(tokenizer::dequote(t));
            } else if n_aux > 0 {
                break;
            } else {
                n_coord += 1;
                let t = first_token(arg);
                declared.push_str(&format!(",{t} {}", if self.ty == CoordType::Real32 { "REAL" } else { "INT" }));
                columns.push(tokenizer::dequote(t));
            }
            ii += 1;
        }
        declared.push(')');
        if ii < argc {
            return Err(Error::sql("Auxiliary rtree columns must be last"));
        }
        // The declaration must parse (duplicate names...), as SQLite's
        // sqlite3_declare_vtab is called before the dimensions are checked.
        crate::schema::Schema::table_from_sql(&declared, 0)?;
        let n_dim = n_coord / 2;
        let err = if n_dim < 1 {
            Some("Too few columns for an rtree table")
        } else if n_coord > MAX_DIMENSIONS * 2 {
            Some("Too many columns for an rtree table")
        } else if n_coord % 2 == 1 {
            Some("Wrong number of columns for an rtree table")
        } else {
            None
        };
        if let Some(e) = err {
            return Err(Error::sql(e));
        }
        let shadow = Shadow { db, name, n_aux };
        if let Some(conn) = conn {
            let page_size = shadow::query_int(conn, &format!("PRAGMA '{}'.page_size", shadow::q(&shadow.db)), &[])?.unwrap_or(4096);
            let bytes_per_cell = 8 + 4 * n_coord as i64;
            let node_size = (page_size - 64).min(4 + bytes_per_cell * MAX_CELLS as i64);
            shadow.create(conn, node_size.max(0) as usize)?;
        }
        let info = Arc::new(Info { shadow, n_coord, ty: self.ty, columns });
        Ok(Connected {
            vtab: Box::new(RtreeTable { info }),
            declared,
            config: VtabConfig { constraint_support: true, innocuous: true, ..Default::default() },
        })
    }
}

impl Module for RtreeModule {
    fn has_create(&self) -> bool {
        true
    }
    fn connect(self: Arc<Self>, _create: bool, argv: &[String]) -> Result<Connected> {
        self.init(argv, None)
    }
    fn eponymous(&self) -> bool {
        false
    }
    fn create_on(self: Arc<Self>, conn: &mut Connection, argv: &[String]) -> Result<Connected> {
        self.init(argv, Some(conn))
    }
    /// xIntegrity: rtreecheck's report under SQLite's heading.
    fn integrity_on(&self, conn: &mut Connection, schema: &str, name: &str, _quick: bool) -> Result<Option<String>> {
        let report = check::check_table(conn, schema, name)?;
        Ok((report != "ok").then(|| format!("In RTree {schema}.{name}:\n{report}")))
    }
}

/// A connected R*Tree table.
pub struct RtreeTable {
    info: Arc<Info>,
}

fn needs_connection() -> Error {
    Error::with_message(code::INTERNAL, "the rtree module needs its connection for this call")
}

impl RtreeTable {
    /// "rtree constraint failed: t.(x0<=x1)" for the pair at coordinate
    /// `k` (0-based), or the UNIQUE error for the id (`k` None).
    fn constraint_error(&self, k: Option<usize>) -> Error {
        let name = &self.info.shadow.name;
        let col = |i: usize| self.info.columns.get(i).cloned().unwrap_or_default();
        let msg = match k {
            None => format!("UNIQUE constraint failed: {name}.{}", col(0)),
            Some(k) => format!("rtree constraint failed: {name}.({}<={})", col(k + 1), col(k + 2)),
        };
        Error::with_message(code::CONSTRAINT, msg)
    }

    /// xUpdate: argv[0] the old rowid (NULL: insert), then, unless this is
    /// a delete, argv[1] the new rowid, argv[2] the id column, the
    /// coordinates and the auxiliary columns.
    fn write(&mut self, conn: &mut Connection, argv: &[Value], on_conflict: i32) -> Result<Option<i64>> {
        let info = self.info.clone();
        let g = info.geometry(conn)?;
        let old = argv.first().filter(|v| !v.is_null()).map(|v| crate::vdbe::mem::to_integer(v.as_ref()));
        let mut cell = Cell::default();
        let mut new_rowid = None;
        if argv.len() > 1 {
            let nn = (argv.len().saturating_sub(4)).min(info.n_coord);
            let arg = |i: usize| argv.get(i).cloned().unwrap_or(Value::Null);
            for k in (0..nn).step_by(2) {
                let (lo, hi) = (arg(k + 3), arg(k + 4));
                match info.ty {
                    CoordType::Real32 => {
                        let l = node::f32_down(crate::vdbe::mem::to_real(lo.as_ref()));
                        let h = node::f32_up(crate::vdbe::mem::to_real(hi.as_ref()));
                        if l > h {
                            return Err(self.constraint_error(Some(k)));
                        }
                        cell.coords[k] = l.to_bits();
                        cell.coords[k + 1] = h.to_bits();
                    }
                    CoordType::Int32 => {
                        let l = node::i32_capped(crate::vdbe::mem::to_integer(lo.as_ref()));
                        let h = node::i32_capped(crate::vdbe::mem::to_integer(hi.as_ref()));
                        if l > h {
                            return Err(self.constraint_error(Some(k)));
                        }
                        cell.coords[k] = l as u32;
                        cell.coords[k + 1] = h as u32;
                    }
                }
            }
            let id = arg(2);
            if !id.is_null() {
                let rowid = crate::vdbe::mem::to_integer(id.as_ref());
                if old != Some(rowid) && info.shadow.read_rowid(conn, rowid)?.is_some() {
                    if on_conflict == crate::vtab::conflict::REPLACE {
                        Tree { conn: &mut *conn, sh: &info.shadow, g }.delete(rowid)?;
                    } else {
                        return Err(self.constraint_error(None));
                    }
                }
                new_rowid = Some(rowid);
            }
        }
        if let Some(old) = old {
            Tree { conn: &mut *conn, sh: &info.shadow, g }.delete(old)?;
        }
        if argv.len() <= 1 {
            return Ok(None);
        }
        // The %_rowid row first (a new rowid is the one it gets; the
        // tree's mapping writes keep its auxiliary columns), then the cell.
        let rowid = info.shadow.write_rowid(conn, new_rowid, None)?;
        cell.id = rowid;
        Tree { conn: &mut *conn, sh: &info.shadow, g }.insert(cell)?;
        if info.shadow.n_aux > 0 {
            let start = info.n_coord + 3;
            let aux: Vec<Value> = (0..info.shadow.n_aux).map(|j| argv.get(start + j).cloned().unwrap_or(Value::Null)).collect();
            info.shadow.write_aux(conn, rowid, &aux)?;
        }
        Ok(Some(rowid))
    }
}

impl VTab for RtreeTable {
    fn best_index(&mut self, info: &mut IndexInfo) -> Result<()> {
        query::best_index(&self.info, info)
    }
    fn open(&mut self) -> Result<Box<dyn VTabCursor>> {
        Ok(Box::new(query::Cursor::new(self.info.clone())))
    }
    fn destroy(&mut self) -> Result<()> {
        Err(needs_connection())
    }
    fn destroy_on(&mut self, conn: &mut Connection) -> Result<()> {
        self.info.shadow.drop_all(conn)
    }
    fn has_update(&self) -> bool {
        true
    }
    fn update(&mut self, _argv: &[Value], _on_conflict: i32) -> Result<Option<i64>> {
        Err(needs_connection())
    }
    fn update_on(&mut self, conn: &mut Connection, argv: &[Value], on_conflict: i32) -> Result<Option<i64>> {
        self.write(conn, argv, on_conflict)
    }
    fn rename(&mut self, _new_name: &str) -> Result<()> {
        Err(needs_connection())
    }
    fn rename_on(&mut self, conn: &mut Connection, new_name: &str) -> Result<()> {
        self.info.shadow.rename_all(conn, new_name)
    }
    fn find_function(&mut self, _n_arg: i32, _name: &str) -> Option<(i32, Box<dyn crate::func::user::UserFunction>)> {
        None
    }
}

/// Registers `rtree`, `rtree_i32` and the R*Tree SQL functions on a new
/// connection.
pub fn register(conn: &mut Connection) -> Result<()> {
    {
        let mut set = crate::vtab::lock(&conn.vtabs);
        set.set_module("rtree", Some(Arc::new(RtreeModule { ty: CoordType::Real32 })));
        set.set_module("rtree_i32", Some(Arc::new(RtreeModule { ty: CoordType::Int32 })));
    }
    check::register(conn)
}
