//! The auxiliary functions of a full-text query: offsets(), snippet()
//! and matchinfo(), with SQLite's output.
//!
//! As in SQLite, each name is registered as an ordinary function that
//! fails ("unable to use function X in the requested context"), and the
//! table's xFindFunction supplies the real one when its first argument is
//! a column of the table; that argument must be the hidden column named
//! after the table, whose value is a pointer to the cursor's current row
//! (`cursor::AuxRow`), or the call fails with "illegal first argument".
//!
//! Phrase occurrences come from the evaluation (`eval::Matches`); here
//! they are turned into SQLite's last-token positions where its
//! algorithms use those (snippet scoring, matchinfo 's').

use crate::connection::Connection;
use crate::error::{code, Error, Result};
use crate::func::user::UserFunction;
use crate::func::Aggregate;
use crate::value::Value;

use super::cursor::{AuxRow, POINTER_TYPE};
use super::update::value_text;
use super::writer::decode_counts;

/// Which function.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Snippet,
    Offsets,
    Matchinfo,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Snippet => "snippet",
            Kind::Offsets => "offsets",
            Kind::Matchinfo => "matchinfo",
        }
    }
}

/// The function a table hands out through xFindFunction.
struct AuxFunc(Kind);

/// The stand-in registered on the connection (sqlite3_overload_function).
struct Overload(&'static str);

fn no_aggregate() -> Box<dyn Aggregate> {
    crate::ext::rtree::check::unreachable_aggregate()
}

impl UserFunction for Overload {
    fn is_aggregate(&self) -> bool {
        false
    }
    fn call(&self, _args: &[Value]) -> Result<Value> {
        Err(Error::sql(format!("unable to use function {} in the requested context", self.0)))
    }
    fn start(&self) -> Box<dyn Aggregate> {
        no_aggregate()
    }
}

/// The row a pointer argument carries.
fn row_of(v: &Value) -> Option<&AuxRow> {
    match v {
        Value::Pointer(p) if p.0.type_name == POINTER_TYPE => p.0.owner.as_ref().and_then(|o| o.downcast_ref::<AuxRow>()),
        _ => None,
    }
}

impl UserFunction for AuxFunc {
    fn is_aggregate(&self) -> bool {
        false
    }
    fn call(&self, _args: &[Value]) -> Result<Value> {
        Err(Error::with_message(code::MISUSE, format!("{}() needs its connection", self.0.name())))
    }
    fn call_with(&self, args: &[Value], conn: &mut dyn std::any::Any) -> Result<Value> {
        if self.0 == Kind::Snippet && args.len() > 6 {
            return Err(Error::sql("wrong number of arguments to function snippet()"));
        }
        let Some(row) = args.first().and_then(row_of) else {
            return Err(Error::sql(format!("illegal first argument to {}", self.0.name())));
        };
        let Some(conn) = conn.downcast_mut::<Connection>() else { return self.call(args) };
        if row.expr.is_none() {
            return Ok(if self.0 == Kind::Matchinfo { Value::Blob(Vec::new()) } else { Value::Text(Vec::new()) });
        }
        match self.0 {
            Kind::Offsets => Ok(offsets(row)),
            Kind::Snippet => Ok(snippet(row, args)),
            Kind::Matchinfo => {
                let fmt = match args.get(1) {
                    Some(v) => value_text(v).unwrap_or_default(),
                    None => b"pcx".to_vec(),
                };
                matchinfo(conn, row, &fmt)
            }
        }
    }
    fn start(&self) -> Box<dyn Aggregate> {
        no_aggregate()
    }
}

/// xFindFunction.
pub fn find(name: &str) -> Option<(i32, Box<dyn UserFunction>)> {
    let kind = match name {
        "snippet" => Kind::Snippet,
        "offsets" => Kind::Offsets,
        "matchinfo" => Kind::Matchinfo,
        _ => return None,
    };
    Some((1, Box::new(AuxFunc(kind))))
}

/// Registers the stand-ins, with SQLite's argument counts.
pub fn register(conn: &mut Connection) -> Result<()> {
    let utf8 = crate::func::user::UTF8;
    conn.create_function("snippet", -1, utf8, 0, Some(Box::new(Overload("snippet"))), None)?;
    conn.create_function("offsets", 1, utf8, 0, Some(Box::new(Overload("offsets"))), None)?;
    conn.create_function("matchinfo", 1, utf8, 0, Some(Box::new(Overload("matchinfo"))), None)?;
    conn.create_function("matchinfo", 2, utf8, 0, Some(Box::new(Overload("matchinfo"))), None)
}

/// The current row's occurrences of phrase `i` in column `col`, as
/// first-token positions.
fn first_positions(row: &AuxRow, i: usize, col: usize) -> Vec<i32> {
    row.matches.phrases.get(i).and_then(|h| h.get(&row.docid)).map(|v| v.iter().filter(|(c, _)| *c as usize == col).map(|(_, p)| *p).collect()).unwrap_or_default()
}

/// The same as last-token positions (SQLite's phrase position lists).
fn last_positions(row: &AuxRow, i: usize, col: usize) -> Vec<i64> {
    let len = row.matches.phrase_len.get(i).copied().unwrap_or(1).max(1) as i64;
    first_positions(row, i, col).into_iter().map(|p| p as i64 + len - 1).collect()
}

fn n_phrase(row: &AuxRow) -> usize {
    row.matches.phrases.len()
}

/// offsets(): "column term byte-offset byte-length" for every query token
/// occurrence, column by column, in position order; NULL when none.
fn offsets(row: &AuxRow) -> Value {
    let info = &row.shared.info;
    let mut out = String::new();
    for col in 0..info.n_column() {
        let Some(text) = row.values.get(col).and_then(value_text) else { continue };
        // (position, term number) of every token occurrence.
        let mut occ: Vec<(i64, usize)> = Vec::new();
        let mut term = 0usize;
        for i in 0..n_phrase(row) {
            let len = row.matches.phrase_len.get(i).copied().unwrap_or(0);
            let starts = first_positions(row, i, col);
            for k in 0..len {
                occ.extend(starts.iter().map(|&p| (p as i64 + k as i64, term + k)));
            }
            term += len;
        }
        occ.sort();
        if occ.is_empty() {
            continue;
        }
        let tokens = info.tokenizer.tokenize(&text);
        for (pos, t) in occ {
            if let Some(tok) = tokens.iter().find(|x| x.pos as i64 == pos) {
                out.push_str(&format!("{col} {t} {} {} ", tok.start, tok.end - tok.start));
            }
        }
    }
    if out.is_empty() {
        return Value::Null;
    }
    out.pop();
    Value::Text(out.into_bytes())
}

/// A snippet fragment: column, first token, highlighted tokens, phrases
/// covered.
#[derive(Clone, Copy, Default)]
struct Fragment {
    col: usize,
    pos: i64,
    hlmask: u64,
    covered: u64,
}

fn bit(n: i64) -> u64 {
    if (0..64).contains(&n) {
        1u64 << n
    } else {
        0
    }
}

/// fts3BestSnippet: the best window of `n` tokens in column `col`.
fn best_snippet(row: &AuxRow, n: i64, col: usize, covered: u64, seen: &mut u64) -> (Fragment, i64) {
    let np = n_phrase(row);
    let lists: Vec<Vec<i64>> = (0..np).map(|i| last_positions(row, i, col)).collect();
    let ntok: Vec<i64> = (0..np).map(|i| row.matches.phrase_len.get(i).copied().unwrap_or(0) as i64).collect();
    for (i, l) in lists.iter().enumerate() {
        if !l.is_empty() {
            *seen |= 1u64 << (i % 64);
        }
    }
    // Head and tail cursors into each list (None: at the end).
    let advance = |l: &Vec<i64>, at: Option<usize>, next: i64| -> Option<usize> {
        let mut k = at?;
        while l[k] < next {
            k += 1;
            if k >= l.len() {
                return None;
            }
        }
        Some(k)
    };
    let mut head: Vec<Option<usize>> = lists.iter().map(|l| (!l.is_empty()).then_some(0)).collect();
    let mut tail = head.clone();
    for i in 0..np {
        head[i] = advance(&lists[i], head[i], n);
    }
    let mut start: i64 = 0;
    let mut best = Fragment { col, ..Default::default() };
    let mut best_score = -1i64;
    loop {
        // fts3SnippetDetails for the window at `start`.
        let (mut score, mut cover, mut hl) = (0i64, 0u64, 0u64);
        for i in 0..np {
            let Some(mut k) = tail[i] else { continue };
            loop {
                let p = lists[i][k];
                if !(p < start + n && p >= start) {
                    break;
                }
                let m_phrase = 1u64 << (i % 64);
                let m_pos = bit(p - start);
                score += if (cover | covered) & m_phrase != 0 { 1 } else { 1000 };
                cover |= m_phrase;
                for j in 0..ntok[i].min(n) {
                    hl |= m_pos >> j;
                }
                k += 1;
                if k >= lists[i].len() {
                    break;
                }
            }
        }
        if score > best_score {
            best = Fragment { col, pos: start, hlmask: hl, covered: cover };
            best_score = score;
        }
        // fts3SnippetNextCandidate.
        let end = (0..np).filter_map(|i| head[i].map(|k| lists[i][k])).min();
        let Some(end) = end else { break };
        start = end - n + 1;
        for i in 0..np {
            head[i] = advance(&lists[i], head[i], end + 1);
            tail[i] = advance(&lists[i], tail[i], start);
        }
    }
    (best, best_score)
}

/// fts3SnippetShift: moves the window right so that the highlighted
/// tokens sit in its middle, as far as the text allows.
fn shift(row: &AuxRow, n: i64, rest: &[u8], pos: &mut i64, hlmask: &mut u64) {
    let hl = *hlmask;
    if hl == 0 {
        return;
    }
    let mut left = 0i64;
    while hl & bit(left) == 0 {
        left += 1;
    }
    let mut right = 0i64;
    while hl & bit(n - 1 - right) == 0 {
        right += 1;
    }
    let desired = (left - right) / 2;
    if desired > 0 {
        let count = row.shared.info.tokenizer.tokenize(rest).len() as i64;
        let n_shift = if count > n + desired { desired } else { count - n };
        if n_shift > 0 {
            *pos += n_shift;
            *hlmask = hl >> n_shift;
        }
    }
}

/// fts3SnippetText: appends fragment `frag` (number `i`) to `out`.
#[allow(clippy::too_many_arguments)]
fn snippet_text(row: &AuxRow, frag: &Fragment, i: usize, last: bool, n: i64, open: &[u8], close: &[u8], ellipsis: &[u8], out: &mut Vec<u8>) {
    let Some(doc) = row.values.get(frag.col).and_then(value_text) else { return };
    let mut pos = frag.pos;
    let mut hlmask = frag.hlmask;
    let mut shifted = false;
    let mut end = 0usize;
    for tok in row.shared.info.tokenizer.tokenize(&doc) {
        let cur = tok.pos as i64;
        if cur < pos {
            continue;
        }
        if !shifted {
            shift(row, n, &doc[tok.start..], &mut pos, &mut hlmask);
            shifted = true;
            if pos > 0 || i > 0 {
                out.extend_from_slice(ellipsis);
            } else if tok.start > 0 {
                out.extend_from_slice(&doc[..tok.start]);
            }
            if cur < pos {
                continue;
            }
        }
        if cur >= pos + n {
            if last {
                out.extend_from_slice(ellipsis);
            }
            return;
        }
        let highlight = hlmask & bit(cur - pos) != 0;
        if cur > pos {
            out.extend_from_slice(&doc[end..tok.start]);
        }
        if highlight {
            out.extend_from_slice(open);
        }
        out.extend_from_slice(&doc[tok.start..tok.end]);
        if highlight {
            out.extend_from_slice(close);
        }
        end = tok.end;
    }
    out.extend_from_slice(&doc[end..]);
}

/// snippet(t, start, end, ellipsis, column, tokens).
fn snippet(row: &AuxRow, args: &[Value]) -> Value {
    let text = |k: usize, d: &[u8]| args.get(k).map(|v| value_text(v).unwrap_or_default()).unwrap_or_else(|| d.to_vec());
    let open = text(1, b"<b>");
    let close = text(2, b"</b>");
    let ellipsis = text(3, b"<b>...</b>");
    let int = |k: usize, d: i64| args.get(k).map(|v| crate::vdbe::mem::to_integer(v.as_ref())).unwrap_or(d);
    let mut col = int(4, -1);
    let mut n_token = int(5, 15);
    let n_column = row.shared.info.n_column() as i64;
    if n_token == 0 || col >= n_column {
        return Value::Text(Vec::new());
    }
    if col < 0 {
        col = -1;
    }
    n_token = n_token.clamp(-64, 64);
    let mut frags: Vec<Fragment> = Vec::new();
    let mut n_f = 0;
    for n_snippet in 1..=4i64 {
        frags.clear();
        let (mut covered, mut seen) = (0u64, 0u64);
        n_f = if n_token >= 0 { (n_token + n_snippet - 1) / n_snippet } else { -n_token };
        for _ in 0..n_snippet {
            let mut best = Fragment::default();
            let mut best_score = -1;
            for c in 0..n_column {
                if col >= 0 && c != col {
                    continue;
                }
                let (f, s) = best_snippet(row, n_f, c as usize, covered, &mut seen);
                if s > best_score {
                    best = f;
                    best_score = s;
                }
            }
            covered |= best.covered;
            frags.push(best);
        }
        if seen == covered {
            break;
        }
    }
    let mut out = Vec::new();
    let k = frags.len();
    for (i, f) in frags.iter().enumerate() {
        snippet_text(row, f, i, i + 1 == k, n_f, &open, &close, &ellipsis, &mut out);
    }
    Value::Text(out)
}

/// matchinfo(t, format) as a blob of native-endian 32-bit integers.
fn matchinfo(conn: &mut Connection, row: &AuxRow, fmt: &[u8]) -> Result<Value> {
    let info = &row.shared.info;
    let (nc, np) = (info.n_column(), n_phrase(row));
    for &c in fmt {
        let ok = matches!(c, b'p' | b'c' | b's' | b'x' | b'y' | b'b') || (matches!(c, b'n' | b'a') && info.fts4) || (c == b'l' && info.shadow.has_docsize);
        if !ok {
            return Err(Error::sql(format!("unrecognized matchinfo request: {}", c as char)));
        }
    }
    let mut out: Vec<u32> = Vec::new();
    let stat = |conn: &mut Connection| -> Result<Vec<u32>> {
        let blob = info.shadow.read_stat(conn, 0)?.ok_or_else(|| Error::code(code::CORRUPT_VTAB))?;
        Ok(decode_counts(&blob, nc + 2))
    };
    let local = |i: usize, c: usize| first_positions(row, i, c).len() as u32;
    let strict = |i: usize, c: usize| if row.matches.visible.get(i).is_some_and(|v| v.contains(&row.docid)) { local(i, c) } else { 0 };
    for &c in fmt {
        match c {
            b'p' => out.push(np as u32),
            b'c' => out.push(nc as u32),
            b'n' => out.push(stat(conn)?[0]),
            b'a' => {
                let s = stat(conn)?;
                let n_doc = s[0].max(1);
                for col in 0..nc {
                    out.push(((s[col + 1] as u64 + (n_doc / 2) as u64) / n_doc as u64) as u32);
                }
            }
            b'l' => {
                let blob = info.shadow.read_docsize(conn, row.docid)?.unwrap_or_default();
                out.extend(decode_counts(&blob, nc));
            }
            b's' => out.extend(lcs(row)),
            b'x' => {
                for i in 0..np {
                    let hits = &row.matches.phrases[i];
                    for col in 0..nc {
                        let (mut total, mut docs) = (0u32, 0u32);
                        for v in hits.values() {
                            let k = v.iter().filter(|(cc, _)| *cc as usize == col).count() as u32;
                            total += k;
                            docs += (k > 0) as u32;
                        }
                        out.extend([local(i, col), total, docs]);
                    }
                }
            }
            b'y' => {
                for i in 0..np {
                    for col in 0..nc {
                        out.push(strict(i, col));
                    }
                }
            }
            _ => {
                let words = nc.div_ceil(32);
                for i in 0..np {
                    let mut w = vec![0u32; words];
                    for col in 0..nc {
                        if strict(i, col) > 0 {
                            w[col / 32] |= 1 << (col % 32);
                        }
                    }
                    out.extend(w);
                }
            }
        }
    }
    Ok(Value::Blob(out.iter().flat_map(|v| v.to_ne_bytes()).collect()))
}

/// matchinfo 's': per column, the longest run of query phrases (in query
/// order) found one after the other (fts3MatchinfoLcs).
fn lcs(row: &AuxRow) -> Vec<u32> {
    let nc = row.shared.info.n_column();
    let np = n_phrase(row);
    let mut offset = 0i64;
    let offsets: Vec<i64> = (0..np)
        .map(|i| {
            offset -= row.matches.phrase_len.get(i).copied().unwrap_or(0) as i64;
            offset
        })
        .collect();
    let mut out = Vec::with_capacity(nc);
    for col in 0..nc {
        let lists: Vec<Vec<i64>> = (0..np).map(|i| last_positions(row, i, col).into_iter().map(|p| p + offsets[i]).collect()).collect();
        let mut at: Vec<Option<usize>> = lists.iter().map(|l| (!l.is_empty()).then_some(0)).collect();
        let mut live = at.iter().filter(|a| a.is_some()).count();
        let mut n_lcs = 0u32;
        while live > 0 {
            let mut adv: Option<usize> = None;
            let mut this = 0u32;
            for i in 0..np {
                match at[i] {
                    None => this = 0,
                    Some(k) => {
                        let p = lists[i][k];
                        if adv.is_none_or(|a| at[a].is_some_and(|ka| p < lists[a][ka])) {
                            adv = Some(i);
                        }
                        let prev = if i > 0 { at[i - 1].map(|kk| lists[i - 1][kk]) } else { None };
                        if this == 0 || prev == Some(p) {
                            this += 1;
                        } else {
                            this = 1;
                        }
                        n_lcs = n_lcs.max(this);
                    }
                }
            }
            let Some(a) = adv else { break };
            if let Some(k) = at[a] {
                if k + 1 >= lists[a].len() {
                    at[a] = None;
                    live -= 1;
                } else {
                    at[a] = Some(k + 1);
                }
            }
        }
        out.push(n_lcs);
    }
    out
}
