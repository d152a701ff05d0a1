//! Evaluating a MATCH expression against the index: each phrase's
//! documents and positions (token doclists read from every segment,
//! newest segment winning for a document, delete markers hiding it;
//! a prefix token the union of the terms it starts), then NEAR, AND,
//! OR and NOT over document sets, as SQLite's fts3EvalTest decides.
//!
//! Positions kept per phrase are those of its first token. NEAR keeps,
//! as SQLite trims them, only the occurrences that are near the
//! neighbouring phrases; the auxiliary functions see those.
//!
//! Invariant: pending terms were flushed before evaluation, so the
//! segments are the whole index.

use std::collections::{BTreeMap, BTreeSet};

use crate::connection::Connection;
use crate::error::Result;

use super::doclist::{self, Doc};
use super::query::{Expr, Phrase, PhraseToken};
use super::segment::{self, Segment};
use super::Info;

/// Documents -> sorted (column, position) occurrences.
pub type Hits = BTreeMap<i64, Vec<(i32, i32)>>;

/// The outcome of a MATCH: matching docids (ascending) and, for every
/// phrase in expression order, its occurrences per document.
#[derive(Debug, Default)]
pub struct Matches {
    pub docids: Vec<i64>,
    pub phrases: Vec<Hits>,
    pub phrase_len: Vec<usize>,
    pub phrase_col: Vec<Option<usize>>,
    /// For each phrase, the documents for which every node above it
    /// matched too (what matchinfo 'y' and 'b' count, as SQLite's
    /// fts3ExprLHitGather; the other functions, as SQLite's, also see a
    /// phrase under an OR whose sibling failed).
    pub visible: Vec<BTreeSet<i64>>,
}

/// The documents holding one token (a term, or any term it prefixes).
fn token_hits(conn: &mut Connection, info: &Info, segs: &[Segment], tok: &PhraseToken) -> Result<Hits> {
    let mut by_term: BTreeMap<Vec<u8>, Vec<Vec<Doc>>> = BTreeMap::new();
    for s in segs {
        for e in segment::lookup(conn, &info.shadow, s, &tok.text, tok.prefix)? {
            by_term.entry(e.term).or_default().push(doclist::decode(&e.doclist, info.shadow.desc)?);
        }
    }
    let mut out: Hits = BTreeMap::new();
    for (_, lists) in by_term {
        for d in doclist::merge(lists, false, true) {
            let mut pos = d.positions;
            if tok.first {
                pos.retain(|&(_, p)| p == 0);
            }
            if !pos.is_empty() {
                out.entry(d.docid).or_default().extend(pos);
            }
        }
    }
    for v in out.values_mut() {
        v.sort_unstable();
        v.dedup();
    }
    Ok(out)
}

/// The documents and start positions of a phrase.
fn phrase_hits(conn: &mut Connection, info: &Info, segs: &[Segment], ph: &Phrase) -> Result<Hits> {
    let Some(first) = ph.tokens.first() else { return Ok(BTreeMap::new()) };
    let mut acc = token_hits(conn, info, segs, first)?;
    for (i, tok) in ph.tokens.iter().enumerate().skip(1) {
        if acc.is_empty() {
            break;
        }
        let next = token_hits(conn, info, segs, tok)?;
        let mut out: Hits = BTreeMap::new();
        for (docid, starts) in acc {
            let Some(np) = next.get(&docid) else { continue };
            let set: BTreeSet<(i32, i32)> = np.iter().copied().collect();
            let kept: Vec<(i32, i32)> = starts.into_iter().filter(|&(c, p)| set.contains(&(c, p + i as i32))).collect();
            if !kept.is_empty() {
                out.insert(docid, kept);
            }
        }
        acc = out;
    }
    if let Some(c) = ph.column {
        let c = c as i32;
        acc = acc
            .into_iter()
            .filter_map(|(d, v)| {
                let v: Vec<(i32, i32)> = v.into_iter().filter(|&(col, _)| col == c).collect();
                (!v.is_empty()).then_some((d, v))
            })
            .collect();
    }
    Ok(acc)
}

/// SQLite's NEAR trim of `this` (a phrase of `len_this` tokens, last-token
/// positions) against `prev` (`len_prev` tokens): the occurrences of
/// `this` with at most `near` tokens between it and one of `prev`.
fn near_trim(prev: &[(i32, i32)], len_prev: i32, this: &[(i32, i32)], len_this: i32, near: i32) -> Vec<(i32, i32)> {
    this.iter()
        .copied()
        .filter(|&(c, p)| {
            prev.iter().any(|&(c1, q)| {
                c1 == c && ((p > q && (p as i64) <= q as i64 + near as i64 + len_this as i64) || (q > p && (q as i64) <= p as i64 + near as i64 + len_prev as i64))
            })
        })
        .collect()
}

/// Evaluates a NEAR chain for one document; on a match, the trimmed
/// occurrences (first-token positions) of each phrase.
fn near_doc(lists: &[Vec<(i32, i32)>], lens: &[i32], nears: &[i32]) -> Option<Vec<Vec<(i32, i32)>>> {
    // Work in last-token positions, as SQLite's phrase doclists.
    let mut l: Vec<Vec<(i32, i32)>> = lists.iter().zip(lens).map(|(v, &n)| v.iter().map(|&(c, p)| (c, p + n - 1)).collect()).collect();
    let n = l.len();
    // Left to right: each phrase trimmed against the one before.
    for i in 1..n {
        let t = near_trim(&l[i - 1], lens[i - 1], &l[i], lens[i], nears[i - 1]);
        if t.is_empty() {
            return None;
        }
        l[i] = t;
    }
    // Then right to left.
    for i in (0..n - 1).rev() {
        let t = near_trim(&l[i + 1], lens[i + 1], &l[i], lens[i], nears[i]);
        if t.is_empty() {
            return None;
        }
        l[i] = t;
    }
    Some(l.into_iter().zip(lens).map(|(v, &n)| v.into_iter().map(|(c, p)| (c, p - n + 1)).collect()).collect())
}

struct Evaluator<'a> {
    conn: &'a mut Connection,
    info: &'a Info,
    segs: Vec<Segment>,
    out: Matches,
}

impl Evaluator<'_> {
    /// The documents `e` matches; phrases are numbered from `next`.
    fn eval(&mut self, e: &Expr) -> Result<BTreeSet<i64>> {
        match e {
            Expr::Phrase(ph) => {
                let hits = phrase_hits(self.conn, self.info, &self.segs, ph)?;
                let docs: BTreeSet<i64> = hits.keys().copied().collect();
                self.out.visible.push(docs.clone());
                self.out.phrases.push(hits);
                self.out.phrase_len.push(ph.tokens.len());
                self.out.phrase_col.push(ph.column);
                Ok(docs)
            }
            Expr::Near(..) => {
                // The chain's phrases, left to right, and the NEAR
                // distances between neighbours.
                let mut phrases = Vec::new();
                let mut nears = Vec::new();
                let mut cur = e;
                loop {
                    match cur {
                        Expr::Near(l, r, n) => {
                            phrases.push(r.as_ref());
                            nears.push(*n);
                            cur = l;
                        }
                        other => {
                            phrases.push(other);
                            break;
                        }
                    }
                }
                phrases.reverse();
                nears.reverse();
                let first = self.out.phrases.len();
                let mut docs: Option<BTreeSet<i64>> = None;
                for p in &phrases {
                    let d = self.eval(p)?;
                    docs = Some(match docs {
                        None => d,
                        Some(x) => x.intersection(&d).copied().collect(),
                    });
                }
                let docs = docs.unwrap_or_default();
                let lens: Vec<i32> = (0..phrases.len()).map(|k| self.out.phrase_len[first + k] as i32).collect();
                let mut matched: BTreeMap<i64, Vec<Vec<(i32, i32)>>> = BTreeMap::new();
                for &d in &docs {
                    let lists: Vec<Vec<(i32, i32)>> = (0..phrases.len()).map(|k| self.out.phrases[first + k].get(&d).cloned().unwrap_or_default()).collect();
                    if let Some(trimmed) = near_doc(&lists, &lens, &nears) {
                        matched.insert(d, trimmed);
                    }
                }
                // The chain's phrases keep only the documents the NEAR
                // matched, with the trimmed occurrences (what SQLite's
                // auxiliary functions and global statistics see).
                for k in 0..phrases.len() {
                    let hits: Hits = matched.iter().map(|(d, t)| (*d, t[k].clone())).collect();
                    self.out.visible[first + k] = hits.keys().copied().collect();
                    self.out.phrases[first + k] = hits;
                }
                Ok(matched.into_keys().collect())
            }
            Expr::And(a, b) => {
                let first = self.out.phrases.len();
                let x = self.eval(a)?;
                let y = self.eval(b)?;
                let r: BTreeSet<i64> = x.intersection(&y).copied().collect();
                self.restrict(first, self.out.phrases.len(), &r);
                Ok(r)
            }
            Expr::Or(a, b) => {
                let x = self.eval(a)?;
                let y = self.eval(b)?;
                Ok(x.union(&y).copied().collect())
            }
            Expr::Not(a, b) => {
                let first = self.out.phrases.len();
                let x = self.eval(a)?;
                let mid = self.out.phrases.len();
                let y = self.eval(b)?;
                let r: BTreeSet<i64> = x.difference(&y).copied().collect();
                self.restrict(first, mid, &r);
                self.restrict(mid, self.out.phrases.len(), &BTreeSet::new());
                Ok(r)
            }
        }
    }

    /// Phrases `from..to` are visible only in documents `r`.
    fn restrict(&mut self, from: usize, to: usize, r: &BTreeSet<i64>) {
        for v in &mut self.out.visible[from..to] {
            *v = v.intersection(r).copied().collect();
        }
    }
}

/// The segments of the main index of language `langid`, oldest first.
pub fn main_segments(conn: &mut Connection, info: &Info, langid: i64) -> Result<Vec<Segment>> {
    let lo = super::writer::abs_level(langid, info.n_index(), 0, 0);
    info.shadow.segments(conn, lo, lo + super::writer::MAX_LEVEL - 1)
}

/// Evaluates `e` over the whole index of language `langid`.
pub fn evaluate(conn: &mut Connection, info: &Info, e: &Expr, langid: i64) -> Result<Matches> {
    let segs = main_segments(conn, info, langid)?;
    let mut ev = Evaluator { conn, info, segs, out: Matches::default() };
    let docs = ev.eval(e)?;
    let mut out = ev.out;
    out.docids = docs.into_iter().collect();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn near_distances() {
        // "a" at 0, "b" at 3: two tokens between them.
        let a = vec![vec![(0, 0)], vec![(0, 3)]];
        assert!(near_doc(&a, &[1, 1], &[2]).is_some());
        assert!(near_doc(&a, &[1, 1], &[1]).is_none());
        // Order does not matter.
        let b = vec![vec![(0, 3)], vec![(0, 0)]];
        assert!(near_doc(&b, &[1, 1], &[2]).is_some());
        // Different columns never match.
        let c = vec![vec![(0, 0)], vec![(1, 1)]];
        assert!(near_doc(&c, &[1, 1], &[10]).is_none());
    }
}
