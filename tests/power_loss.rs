//! Power loss, simulated (issue 3): a VFS that wraps the in-memory VFS and
//! records every write, truncate, sync, create and delete. A workload of
//! numbered transactions runs once on it; then, for every point N of the
//! recorded history, the disk as it could be after losing power at N is
//! rebuilt and recovered:
//!
//! - what a file's last sync made durable survives; of the writes and
//!   truncates since, the disk keeps none, all, a pseudo-random subset (in
//!   order), or all with the last write torn (its final bytes never reach
//!   the platter); the variant rotates with N;
//! - creating and deleting a file are durable at once (SQLite's protocol
//!   syncs the directory of a new journal; a journal delete that is lost is
//!   a matter of PRAGMA synchronous=EXTRA, not of FULL).
//!
//! The surviving bytes are written to real files, Ferrolite opens them
//! (rolling back a hot journal) and checks: integrity_check is ok and the
//! database holds exactly transactions 1..m, where every transaction whose
//! COMMIT had returned before N is present and at most one more. For a
//! sample of points the untouched copy is also recovered by the machine's
//! `sqlite3` shell, when there is one, which must agree.
//!
//! The wrapper reports the device as the unix VFS does (4096-byte sectors,
//! powersafe overwrite only), so the pager relies on no ordering or
//! atomicity the simulated disk does not give.
//!
//! Every 15th transaction is followed by a VACUUM (some of them to another
//! page size), which changes no content.
//!
//! In journal_mode=WAL the log is a file like the others (its unsynced
//! frames are lost or torn the same way) and the `-shm` index lives in
//! memory only, so every cut recovers the index from the log; a small
//! wal_autocheckpoint makes checkpoints (and log restarts) happen all
//! along, and the last close checkpoints and deletes the log. In
//! "wal-spill" the cache is a few pages, so transactions spill frames into
//! the log before their commit frame.
//!
//! POWER_LOSS_TXNS=n sets the workload's length (default 60 transactions,
//! 240 in WAL mode);
//! POWER_LOSS_STRIDE=k checks every k-th point only (default 1, every
//! point); POWER_LOSS_SHELL_EVERY=k hands every k-th
//! checked point to the `sqlite3` shell as well (default 7; 0 = never);
//! POWER_LOSS_KEEP=DIR keeps the files of every failing cut, as the power
//! loss left them, in DIR/MODE-N/.

use std::collections::HashMap;
use std::process::Command;
use std::sync::{Arc, Mutex};

use ferrolite::connection::Connection;
use ferrolite::error::Result;
use ferrolite::os::{iocap, AccessKind, LockLevel, MemoryVfs, OpenFlags, UnixVfs, Vfs, VfsFile};
use ferrolite::vdbe::StepResult;
use ferrolite::Value;

// ------------------------------------------------------------ recording VFS

#[derive(Clone, Debug)]
enum Ev {
    Create(String),
    Write(String, u64, Vec<u8>),
    Truncate(String, u64),
    Sync(String),
    Delete(String),
}

type Log = Arc<Mutex<Vec<Ev>>>;

struct RecVfs {
    inner: MemoryVfs,
    log: Log,
}

struct RecFile {
    inner: Box<dyn VfsFile>,
    /// None for temporary files, which no power loss can matter to.
    path: Option<String>,
    log: Log,
}

impl RecVfs {
    fn record(&self, ev: Ev) {
        self.log.lock().unwrap().push(ev);
    }
}

impl Vfs for RecVfs {
    fn open(&self, path: Option<&str>, flags: OpenFlags) -> Result<Box<dyn VfsFile>> {
        let existed = match path {
            Some(p) => self.inner.access(p, AccessKind::Exists)?,
            None => true,
        };
        let inner = self.inner.open(path, flags)?;
        if !existed {
            self.record(Ev::Create(path.unwrap().to_string()));
        }
        Ok(Box::new(RecFile { inner, path: path.map(str::to_string), log: self.log.clone() }))
    }
    fn delete(&self, path: &str, sync_dir: bool) -> Result<()> {
        self.inner.delete(path, sync_dir)?;
        self.record(Ev::Delete(path.to_string()));
        Ok(())
    }
    fn access(&self, path: &str, kind: AccessKind) -> Result<bool> {
        self.inner.access(path, kind)
    }
    fn full_pathname(&self, path: &str) -> Result<String> {
        self.inner.full_pathname(path)
    }
    fn randomness(&self, buf: &mut [u8]) {
        self.inner.randomness(buf)
    }
    fn sleep(&self, micros: u64) {
        self.inner.sleep(micros)
    }
    fn current_time_ms(&self) -> i64 {
        self.inner.current_time_ms()
    }
    fn name(&self) -> &str {
        "powerloss"
    }
}

impl RecFile {
    fn record(&self, ev: impl FnOnce(String) -> Ev) {
        if let Some(p) = &self.path {
            self.log.lock().unwrap().push(ev(p.clone()));
        }
    }
}

impl VfsFile for RecFile {
    fn read(&mut self, buf: &mut [u8], offset: u64) -> Result<()> {
        self.inner.read(buf, offset)
    }
    fn write(&mut self, buf: &[u8], offset: u64) -> Result<()> {
        self.inner.write(buf, offset)?;
        self.record(|p| Ev::Write(p, offset, buf.to_vec()));
        Ok(())
    }
    fn truncate(&mut self, size: u64) -> Result<()> {
        self.inner.truncate(size)?;
        self.record(|p| Ev::Truncate(p, size));
        Ok(())
    }
    fn sync(&mut self, flags: u32) -> Result<()> {
        self.inner.sync(flags)?;
        self.record(Ev::Sync);
        Ok(())
    }
    fn file_size(&mut self) -> Result<u64> {
        self.inner.file_size()
    }
    fn lock(&mut self, level: LockLevel) -> Result<()> {
        self.inner.lock(level)
    }
    fn unlock(&mut self, level: LockLevel) -> Result<()> {
        self.inner.unlock(level)
    }
    fn check_reserved_lock(&mut self) -> Result<bool> {
        self.inner.check_reserved_lock()
    }
    fn lock_level(&self) -> LockLevel {
        self.inner.lock_level()
    }
    fn sector_size(&self) -> u32 {
        4096
    }
    fn device_characteristics(&self) -> u32 {
        iocap::POWERSAFE_OVERWRITE
    }
    // The WAL index: the memory VFS's heap regions (lost at power loss,
    // as a real -shm's content does not matter after one).
    fn has_shm(&self) -> bool {
        self.inner.has_shm()
    }
    fn shm_map(&mut self, region: u32, extend: bool) -> Result<Option<ferrolite::os::ShmRegion>> {
        self.inner.shm_map(region, extend)
    }
    fn shm_lock(&mut self, ofst: u32, n: u32, flags: u32) -> Result<()> {
        self.inner.shm_lock(ofst, n, flags)
    }
    fn shm_unmap(&mut self, delete: bool) -> Result<()> {
        self.inner.shm_unmap(delete)
    }
}

// ------------------------------------------------------------ the disk model

#[derive(Clone, Default)]
struct DiskFile {
    durable: Vec<u8>,
    /// Writes and truncates since the last sync, in order.
    pending: Vec<Ev>,
}

fn apply(bytes: &mut Vec<u8>, ev: &Ev, keep: Option<usize>) {
    match ev {
        Ev::Write(_, off, data) => {
            let data = &data[..keep.unwrap_or(data.len())];
            let end = *off as usize + data.len();
            if bytes.len() < end {
                bytes.resize(end, 0);
            }
            bytes[*off as usize..end].copy_from_slice(data);
        }
        Ev::Truncate(_, size) => bytes.resize(*size as usize, 0),
        _ => {}
    }
}

#[derive(Clone, Copy, Debug)]
enum Loss {
    /// Every unsynced write is lost.
    All,
    /// Every unsynced write made it.
    None,
    /// A pseudo-random subset made it.
    Subset(u64),
    /// All made it, but the last write is torn.
    Torn,
}

fn surviving(f: &DiskFile, loss: Loss) -> Vec<u8> {
    let mut bytes = f.durable.clone();
    let mut x = match loss {
        Loss::Subset(seed) => seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1,
        _ => 1,
    };
    for (i, ev) in f.pending.iter().enumerate() {
        match loss {
            Loss::All => {}
            Loss::None => apply(&mut bytes, ev, None),
            Loss::Subset(_) => {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                if x & 1 == 1 {
                    apply(&mut bytes, ev, None);
                }
            }
            Loss::Torn => {
                let last_write = f.pending.iter().rposition(|e| matches!(e, Ev::Write(..)));
                if Some(i) == last_write {
                    if let Ev::Write(_, _, d) = ev {
                        // The final bytes of its last sector never arrive.
                        let keep = if d.len() > 300 { d.len() - 300 } else { d.len() / 2 };
                        apply(&mut bytes, ev, Some(keep));
                    }
                } else {
                    apply(&mut bytes, ev, None);
                }
            }
        }
    }
    bytes
}

fn step_disk(disk: &mut HashMap<String, DiskFile>, ev: &Ev) {
    match ev {
        Ev::Create(p) => {
            disk.insert(p.clone(), DiskFile::default());
        }
        Ev::Delete(p) => {
            disk.remove(p);
        }
        Ev::Write(p, ..) | Ev::Truncate(p, _) => {
            disk.entry(p.clone()).or_default().pending.push(ev.clone());
        }
        Ev::Sync(p) => {
            let f = disk.entry(p.clone()).or_default();
            let pending = std::mem::take(&mut f.pending);
            for e in &pending {
                apply(&mut f.durable, e, None);
            }
        }
    }
}

// ------------------------------------------------------------ SQL helpers

fn run(conn: &mut Connection, sql: &str, params: &[Value]) -> std::result::Result<Vec<Vec<Value>>, String> {
    let mut rest = sql;
    let mut rows = Vec::new();
    loop {
        let (stmt, tail) = conn.prepare(rest).map_err(|e| e.message().to_string())?;
        let Some(mut stmt) = stmt else { break };
        for (i, v) in params.iter().enumerate() {
            if i < stmt.parameter_count() {
                stmt.bind(i + 1, v.clone()).map_err(|e| e.message().to_string())?;
            }
        }
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

fn int(v: &Value) -> i64 {
    match v {
        Value::Integer(i) => *i,
        Value::Null => 0,
        other => panic!("expected an integer, got {other:?}"),
    }
}

// ------------------------------------------------------------ the workload

/// Transactions in the workload (POWER_LOSS_TXNS overrides).
fn txns(mode: &str) -> i64 {
    // WAL batches a commit's frames into one write, so its history has
    // fewer events per transaction: more transactions give 1,000+ cuts.
    let dflt = match mode {
        "wal" => 240,
        "wal-spill" => 45,
        _ => 60,
    };
    std::env::var("POWER_LOSS_TXNS").ok().and_then(|v| v.parse().ok()).unwrap_or(dflt)
}

/// Row t(id) at version ver: every fourth payload spans overflow pages.
fn payload(id: i64, ver: i64) -> Vec<u8> {
    let h = (id as u64).wrapping_mul(2_654_435_761).wrapping_add((ver as u64).wrapping_mul(40_503));
    let len = if id % 4 == 0 { 3000 + (h % 9000) as usize } else { 20 + (h % 500) as usize };
    let mut x = (id as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ (ver as u64 + 1).wrapping_mul(0xBF58_476D_1CE4_E5B9) | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect()
}

/// The content of t after transactions 1..m: id -> version.
fn expected(m: i64) -> Vec<(i64, i64)> {
    let mut t: std::collections::BTreeMap<i64, i64> = Default::default();
    for i in 1..=m {
        t.insert(i, i);
        t.remove(&(i - 10));
        if i % 7 == 0 {
            for id in i - 9..i - 5 {
                t.remove(&id);
            }
        }
        if i % 3 == 0 {
            if let Some(v) = t.get_mut(&(i - 4)) {
                *v = i;
            }
        }
        if i % 20 == 0 {
            for v in t.values_mut() {
                *v = i;
            }
        }
    }
    t.into_iter().collect()
}

/// Runs the workload on the recording VFS; returns the log and, for each
/// acknowledged commit, (log length when COMMIT returned, seq); seq 0 is
/// the schema.
fn record_workload(mode: &str) -> (Vec<Ev>, Vec<(usize, i64)>) {
    let log: Log = Arc::new(Mutex::new(Vec::new()));
    let vfs = Arc::new(RecVfs { inner: MemoryVfs::new(), log: log.clone() });
    let flags = OpenFlags::READWRITE | OpenFlags::CREATE | OpenFlags::MAIN_DB;
    let mut c = Connection::open(vfs, "/power/test.db", flags).expect("open");
    let mut acks = Vec::new();
    let len = |log: &Log| log.lock().unwrap().len();
    let journal_mode = mode.strip_suffix("-spill").unwrap_or(mode);
    run(&mut c, &format!("PRAGMA journal_mode={journal_mode}"), &[]).unwrap();
    if journal_mode == "wal" {
        run(&mut c, "PRAGMA wal_autocheckpoint=40", &[]).unwrap();
    }
    let spill = mode.ends_with("-spill");
    if spill {
        // Transactions outgrow the cache (a 120 KB blob rewritten in each):
        // their pages are spilled before the commit (to the log in WAL
        // mode). The blob's table is not part of what is checked.
        run(&mut c, "PRAGMA cache_size=10; CREATE TABLE fill(b)", &[]).unwrap();
    }
    run(
        &mut c,
        "CREATE TABLE tx(seq INTEGER PRIMARY KEY); \
         CREATE TABLE t(id INTEGER PRIMARY KEY, ver INTEGER NOT NULL, payload BLOB NOT NULL); \
         CREATE INDEX t_ver ON t(ver)",
        &[],
    )
    .unwrap();
    acks.push((len(&log), 0));
    for i in 1..=txns(mode) {
        run(&mut c, "BEGIN", &[]).unwrap();
        run(&mut c, "INSERT INTO tx VALUES(?1)", &[Value::Integer(i)]).unwrap();
        if spill {
            run(&mut c, "DELETE FROM fill; INSERT INTO fill VALUES(randomblob(120000))", &[]).unwrap();
        }
        run(&mut c, "INSERT INTO t VALUES(?1, ?1, ?2)", &[Value::Integer(i), Value::Blob(payload(i, i))]).unwrap();
        run(&mut c, "DELETE FROM t WHERE id = ?1", &[Value::Integer(i - 10)]).unwrap();
        if i % 7 == 0 {
            run(&mut c, "DELETE FROM t WHERE id >= ?1 AND id < ?2", &[Value::Integer(i - 9), Value::Integer(i - 5)]).unwrap();
        }
        if i % 3 == 0 {
            let id = i - 4;
            run(&mut c, "UPDATE t SET ver = ?2, payload = ?3 WHERE id = ?1", &[Value::Integer(id), Value::Integer(i), Value::Blob(payload(id, i))])
                .unwrap();
        }
        if i % 20 == 0 {
            let ids = run(&mut c, "SELECT id FROM t ORDER BY id", &[]).unwrap();
            for row in ids {
                let id = int(&row[0]);
                run(&mut c, "UPDATE t SET ver = ?2, payload = ?3 WHERE id = ?1", &[Value::Integer(id), Value::Integer(i), Value::Blob(payload(id, i))])
                    .unwrap();
            }
        }
        run(&mut c, "COMMIT", &[]).unwrap();
        acks.push((len(&log), i));
        // VACUUM rewrites the whole file (every third time to another page
        // size): power lost during it must leave the old or new content.
        if i % 15 == 0 {
            let ps = if i % 45 == 0 { 1024 } else if i % 30 == 0 { 4096 } else { 0 };
            if ps > 0 {
                run(&mut c, &format!("PRAGMA page_size={ps}"), &[]).unwrap();
            }
            run(&mut c, "VACUUM", &[]).unwrap();
        }
    }
    drop(c);
    let events = log.lock().unwrap().clone();
    (events, acks)
}

// ------------------------------------------------------------ checking

/// Opens the files in `dir` with Ferrolite and returns m (-1: no schema),
/// or what is wrong.
fn check_with_ferrolite(db: &str) -> std::result::Result<i64, String> {
    let flags = OpenFlags::READWRITE | OpenFlags::MAIN_DB;
    let mut c = Connection::open(Arc::new(UnixVfs::new()), db, flags).map_err(|e| format!("open: {}", e.message()))?;
    let tables = run(&mut c, "SELECT count(*) FROM sqlite_schema WHERE name IN ('tx', 't', 't_ver')", &[])?;
    // The schema is three commits: before the last, there is no workload.
    let m = if int(&tables[0][0]) < 3 {
        -1
    } else {
        let r = run(&mut c, "SELECT coalesce(max(seq), 0), count(*), coalesce(min(seq), 1) FROM tx", &[])?;
        let (m, n, lo) = (int(&r[0][0]), int(&r[0][1]), int(&r[0][2]));
        if n != m || lo != 1 {
            return Err(format!("tx holds {n} rows from {lo} to {m}: not a prefix"));
        }
        let rows = run(&mut c, "SELECT id, ver, payload FROM t ORDER BY id", &[])?;
        let want = expected(m);
        if rows.len() != want.len() {
            return Err(format!("t has {} rows, expected {} after {m} transactions", rows.len(), want.len()));
        }
        for (row, (id, ver)) in rows.iter().zip(want) {
            if int(&row[0]) != id || int(&row[1]) != ver || row[2] != Value::Blob(payload(id, ver)) {
                return Err(format!("t row {:?}/{:?} differs from expected id {id} version {ver}", row[0], row[1]));
            }
        }
        m
    };
    let ic = run(&mut c, "PRAGMA integrity_check", &[])?;
    if ic != vec![vec![Value::text("ok")]] {
        let text: Vec<String> = ic
            .iter()
            .map(|r| match &r[0] {
                Value::Text(t) => String::from_utf8_lossy(t).into_owned(),
                other => format!("{other:?}"),
            })
            .collect();
        return Err(format!("integrity_check: {}", text.join(" / ")));
    }
    Ok(m)
}

/// The same with the `sqlite3` shell: returns m (-1: no schema).
fn check_with_shell(db: &str) -> std::result::Result<i64, String> {
    // Before the schema is complete, the last statement does not compile and
    // the shell stops there, after printing the first two lines.
    let out = shell()
        .arg(db)
        .arg(
            "PRAGMA integrity_check; \
             SELECT count(*) FROM sqlite_schema WHERE name IN ('tx', 't', 't_ver'); \
             SELECT coalesce(max(seq), 0), count(*), (SELECT count(*) FROM t) FROM tx;",
        )
        .output()
        .map_err(|e| format!("sqlite3: {e}"))?;
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    let lines: Vec<&str> = text.lines().collect();
    if lines.first() != Some(&"ok") {
        return Err(format!("sqlite3 integrity_check: {text} {}", String::from_utf8_lossy(&out.stderr)));
    }
    if lines.get(1).and_then(|s| s.parse::<i64>().ok()).unwrap_or(0) < 3 {
        return Ok(-1);
    }
    let parts: Vec<i64> = lines.get(2).unwrap_or(&"").split('|').filter_map(|s| s.parse().ok()).collect();
    if !out.status.success() || parts.len() != 3 {
        return Err(format!("sqlite3 failed: {text} {}", String::from_utf8_lossy(&out.stderr)));
    }
    if parts[0] != parts[1] {
        return Err(format!("sqlite3 sees tx ending at {} with {} rows", parts[0], parts[1]));
    }
    if parts[2] != expected(parts[0]).len() as i64 {
        return Err(format!("sqlite3 sees {} rows in t after {} transactions", parts[2], parts[0]));
    }
    Ok(parts[0])
}

/// The machine's `sqlite3` shell on the machine's own libsqlite3: cargo
/// runs tests with target/ directories on LD_LIBRARY_PATH, where the loader
/// would find Ferrolite's libsqlite3.so.0 instead.
fn shell() -> Command {
    let mut c = Command::new("sqlite3");
    c.env_remove("LD_LIBRARY_PATH");
    c
}

/// The shell's version, when there is a shell.
fn shell_version() -> Option<String> {
    let out = shell().arg("-version").output().ok()?;
    if !out.status.success() {
        return None;
    }
    String::from_utf8_lossy(&out.stdout).split_whitespace().next().map(str::to_string)
}

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|s| s.parse().ok()).unwrap_or(default)
}

fn campaign(mode: &str) {
    let (events, acks) = record_workload(mode);
    let stride = env_usize("POWER_LOSS_STRIDE", 1).max(1);
    let version = shell_version();
    let shell_every = if version.is_some() { env_usize("POWER_LOSS_SHELL_EVERY", 7) } else { 0 };
    let dir = std::env::temp_dir().join(format!("ferrolite-power-{}-{mode}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let db = dir.join("f.db").to_string_lossy().into_owned();
    let sdb = dir.join("s.db").to_string_lossy().into_owned();

    let mut disk: HashMap<String, DiskFile> = HashMap::new();
    let mut failures = Vec::new();
    let (mut checked, mut hot, mut shell_checked) = (0usize, 0usize, 0usize);
    for n in 0..=events.len() {
        if n > 0 {
            step_disk(&mut disk, &events[n - 1]);
        }
        if n % stride != 0 && n != events.len() {
            continue;
        }
        let loss = match (n / stride) % 4 {
            0 => Loss::All,
            1 => Loss::None,
            2 => Loss::Subset(n as u64),
            _ => Loss::Torn,
        };
        let floor = acks.iter().filter(|(at, _)| *at <= n).map(|(_, s)| *s).max().unwrap_or(-1);
        let Some(dbf) = disk.get("/power/test.db") else { continue };
        for p in [&db, &sdb] {
            for suffix in ["", "-journal", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{p}{suffix}"));
            }
        }
        let dbbytes = surviving(dbf, loss);
        let journal = disk.get("/power/test.db-journal").map(|j| surviving(j, loss));
        let wal = disk.get("/power/test.db-wal").map(|j| surviving(j, loss));
        let use_shell = shell_every > 0 && (n / stride) % shell_every == 0;
        for p in std::iter::once(&db).chain(use_shell.then_some(&sdb)) {
            std::fs::write(p, &dbbytes).unwrap();
            if let Some(j) = &journal {
                std::fs::write(format!("{p}-journal"), j).unwrap();
            }
            if let Some(w) = &wal {
                std::fs::write(format!("{p}-wal"), w).unwrap();
            }
        }
        if wal.as_ref().is_some_and(|w| w.len() > 32) {
            hot += 1;
        }
        if journal.as_ref().is_some_and(|j| j.len() >= 8 && j[..8].iter().any(|&b| b != 0)) {
            hot += 1;
        }
        checked += 1;
        let what = format!("{mode}: power lost at event {n}/{} ({loss:?}), {floor} acknowledged", events.len());
        let before = failures.len();
        match check_with_ferrolite(&db) {
            Ok(m) if m >= floor && m <= floor + 1 => {}
            Ok(m) => failures.push(format!("{what}: Ferrolite finds {m} transactions")),
            Err(e) => failures.push(format!("{what}: Ferrolite: {e}")),
        }
        if use_shell {
            shell_checked += 1;
            match check_with_shell(&sdb) {
                Ok(m) if m >= floor && m <= floor + 1 => {}
                Ok(m) => failures.push(format!("{what}: sqlite3 finds {m} transactions")),
                Err(e) => failures.push(format!("{what}: sqlite3: {e}")),
            }
        }
        if let (true, Ok(keep)) = (failures.len() > before, std::env::var("POWER_LOSS_KEEP")) {
            // Keep the files of a failing cut as the power loss left them.
            let k = format!("{keep}/{mode}-{n}");
            std::fs::create_dir_all(&k).unwrap();
            std::fs::write(format!("{k}/f.db"), &dbbytes).unwrap();
            if let Some(j) = &journal {
                std::fs::write(format!("{k}/f.db-journal"), j).unwrap();
            }
            if let Some(w) = &wal {
                std::fs::write(format!("{k}/f.db-wal"), w).unwrap();
            }
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    eprintln!(
        "power loss, journal_mode={mode}: {} events, {checked} power cuts checked by Ferrolite ({hot} with a non-zeroed journal or a non-empty log), \
         {shell_checked} also by the sqlite3 shell ({}), {} failed",
        events.len(),
        version.as_deref().unwrap_or("none found"),
        failures.len()
    );
    for f in failures.iter().take(10) {
        eprintln!("  {f}");
    }
    assert!(failures.is_empty(), "{} of {checked} power cuts failed in journal_mode={mode}", failures.len());
}

#[test]
fn power_loss_delete() {
    campaign("delete");
}

#[test]
fn power_loss_truncate() {
    campaign("truncate");
}

#[test]
fn power_loss_persist() {
    campaign("persist");
}

#[test]
fn power_loss_wal() {
    campaign("wal");
}

#[test]
fn power_loss_wal_spill() {
    campaign("wal-spill");
}

/// A debugging aid: prints the start of the recorded history
/// (`cargo test --test power_loss dump_events -- --ignored --nocapture`).
#[test]
#[ignore]
fn dump_events() {
    let (events, acks) = record_workload("delete");
    let from = env_usize("POWER_LOSS_DUMP_FROM", 0);
    for (i, e) in events.iter().enumerate().skip(from).take(40) {
        match e {
            Ev::Write(p, o, d) => eprintln!("{i}: write {p} @{o} len {} first {:02x?}", d.len(), &d[..d.len().min(8)]),
            other => eprintln!("{i}: {other:?}"),
        }
    }
    eprintln!("acks {:?}", &acks[..4]);
}
