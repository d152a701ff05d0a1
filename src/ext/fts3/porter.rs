//! The Porter stemmer as FTS3's `porter` tokenizer applies it to each
//! token: words of 3 to 20 ASCII letters are stemmed (Porter's steps 1a
//! to 5b, with the measure conditions m>0, m=1, m>1, *v*, *d and *o);
//! other words (too short, too long, or with a digit or a byte outside
//! a-z) are only folded to lower case, and a long one keeps just its
//! first and last 10 bytes (3 when it has a digit).
//!
//! The word is worked on reversed, so that a suffix is a prefix of the
//! working string; `W::i` is where the (reversed) word now starts.

/// 0 vowel, 1 consonant, 2 'y' (depends on the letter after it in the
/// reversed word, i.e. before it in the word).
const C_TYPE: [u8; 26] = [0, 1, 1, 1, 0, 1, 1, 1, 0, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 0, 1, 1, 1, 2, 1];

struct W {
    b: Vec<u8>,
    i: usize,
}

impl W {
    fn at(&self, p: usize) -> u8 {
        self.b.get(p).copied().unwrap_or(0)
    }

    fn is_consonant(&self, p: usize) -> bool {
        let x = self.at(p);
        if !x.is_ascii_lowercase() {
            return false;
        }
        match C_TYPE[(x - b'a') as usize] {
            0 => false,
            1 => true,
            _ => self.at(p + 1) == 0 || self.is_vowel(p + 1),
        }
    }

    fn is_vowel(&self, p: usize) -> bool {
        let x = self.at(p);
        if !x.is_ascii_lowercase() {
            return false;
        }
        match C_TYPE[(x - b'a') as usize] {
            0 => true,
            1 => false,
            _ => self.is_consonant(p + 1),
        }
    }

    fn skip_vowels(&self, mut p: usize) -> usize {
        while self.is_vowel(p) {
            p += 1;
        }
        p
    }

    fn skip_consonants(&self, mut p: usize) -> usize {
        while self.is_consonant(p) {
            p += 1;
        }
        p
    }

    /// The measure of the stem at `p` is greater than 0.
    fn m_gt_0(&self, p: usize) -> bool {
        let p = self.skip_vowels(p);
        if self.at(p) == 0 {
            return false;
        }
        let p = self.skip_consonants(p);
        self.at(p) != 0
    }

    fn m_eq_1(&self, p: usize) -> bool {
        let p = self.skip_vowels(p);
        if self.at(p) == 0 {
            return false;
        }
        let p = self.skip_consonants(p);
        if self.at(p) == 0 {
            return false;
        }
        let p = self.skip_vowels(p);
        if self.at(p) == 0 {
            return true;
        }
        let p = self.skip_consonants(p);
        self.at(p) == 0
    }

    fn m_gt_1(&self, p: usize) -> bool {
        let p = self.skip_vowels(p);
        if self.at(p) == 0 {
            return false;
        }
        let p = self.skip_consonants(p);
        if self.at(p) == 0 {
            return false;
        }
        let p = self.skip_vowels(p);
        if self.at(p) == 0 {
            return false;
        }
        let p = self.skip_consonants(p);
        self.at(p) != 0
    }

    fn has_vowel(&self, p: usize) -> bool {
        let p = self.skip_consonants(p);
        self.at(p) != 0
    }

    fn double_consonant(&self, p: usize) -> bool {
        self.is_consonant(p) && self.at(p) == self.at(p + 1)
    }

    fn star_oh(&self, p: usize) -> bool {
        let c = self.at(p);
        self.is_consonant(p) && c != b'w' && c != b'x' && c != b'y' && self.is_vowel(p + 1) && self.is_consonant(p + 2)
    }

    /// When the word ends with `from` (given reversed), replaces it by
    /// `to` if `cond` holds at the rest; true when the ending matched.
    fn stem(&mut self, from: &[u8], to: &[u8], cond: Option<fn(&W, usize) -> bool>) -> bool {
        let mut p = self.i;
        for &c in from {
            if self.at(p) != c {
                return false;
            }
            p += 1;
        }
        if let Some(f) = cond {
            if !f(self, p) {
                return true;
            }
        }
        for &c in to {
            p -= 1;
            self.b[p] = c;
        }
        self.i = p;
        true
    }
}

/// Case folding only, with long words cut to their ends.
fn copy_stem(word: &[u8]) -> Vec<u8> {
    let out: Vec<u8> = word.iter().map(|c| c.to_ascii_lowercase()).collect();
    let mx = if word.iter().any(|c| c.is_ascii_digit()) { 3 } else { 10 };
    if out.len() > mx * 2 {
        let mut v = out[..mx].to_vec();
        v.extend_from_slice(&out[out.len() - mx..]);
        return v;
    }
    out
}

/// The stem of `word` as SQLite's porter tokenizer makes it.
pub fn stem(word: &[u8]) -> Vec<u8> {
    if word.len() < 3 || word.len() >= 21 || !word.iter().all(|c| c.is_ascii_alphabetic()) {
        return copy_stem(word);
    }
    // Room in front for endings that grow, zeros after the end.
    const PAD: usize = 8;
    let mut b = vec![0u8; PAD];
    b.extend(word.iter().rev().map(|c| c.to_ascii_lowercase()));
    b.extend([0u8; 5]);
    let mut w = W { b, i: PAD };
    let m0: Option<fn(&W, usize) -> bool> = Some(W::m_gt_0);
    let m1: Option<fn(&W, usize) -> bool> = Some(W::m_gt_1);

    // Step 1a.
    if w.at(w.i) == b's' && !w.stem(b"sess", b"ss", None) && !w.stem(b"sei", b"i", None) && !w.stem(b"ss", b"ss", None) {
        w.i += 1;
    }
    // Step 1b.
    let z2 = w.i;
    if w.stem(b"dee", b"ee", m0) {
    } else if (w.stem(b"gni", b"", Some(W::has_vowel)) || w.stem(b"de", b"", Some(W::has_vowel))) && w.i != z2 {
        if w.stem(b"ta", b"ate", None) || w.stem(b"lb", b"ble", None) || w.stem(b"zi", b"ize", None) {
        } else if w.double_consonant(w.i) && !matches!(w.at(w.i), b'l' | b's' | b'z') {
            w.i += 1;
        } else if w.m_eq_1(w.i) && w.star_oh(w.i) {
            w.i -= 1;
            let i = w.i;
            w.b[i] = b'e';
        }
    }
    // Step 1c.
    if w.at(w.i) == b'y' && w.has_vowel(w.i + 1) {
        let i = w.i;
        w.b[i] = b'i';
    }
    // Step 2.
    match w.at(w.i + 1) {
        b'a' => {
            let _ = w.stem(b"lanoita", b"ate", m0) || w.stem(b"lanoit", b"tion", m0);
        }
        b'c' => {
            let _ = w.stem(b"icne", b"ence", m0) || w.stem(b"icna", b"ance", m0);
        }
        b'e' => {
            w.stem(b"rezi", b"ize", m0);
        }
        b'g' => {
            w.stem(b"igol", b"log", m0);
        }
        b'l' => {
            let _ = w.stem(b"ilb", b"ble", m0) || w.stem(b"illa", b"al", m0) || w.stem(b"iltne", b"ent", m0) || w.stem(b"ile", b"e", m0) || w.stem(b"ilsuo", b"ous", m0);
        }
        b'o' => {
            let _ = w.stem(b"noitazi", b"ize", m0) || w.stem(b"noita", b"ate", m0) || w.stem(b"rota", b"ate", m0);
        }
        b's' => {
            let _ = w.stem(b"msila", b"al", m0) || w.stem(b"ssenevi", b"ive", m0) || w.stem(b"ssenluf", b"ful", m0) || w.stem(b"ssensuo", b"ous", m0);
        }
        b't' => {
            let _ = w.stem(b"itila", b"al", m0) || w.stem(b"itivi", b"ive", m0) || w.stem(b"itilib", b"ble", m0);
        }
        _ => {}
    }
    // Step 3.
    match w.at(w.i) {
        b'e' => {
            let _ = w.stem(b"etaci", b"ic", m0) || w.stem(b"evita", b"", m0) || w.stem(b"ezila", b"al", m0);
        }
        b'i' => {
            w.stem(b"itici", b"ic", m0);
        }
        b'l' => {
            let _ = w.stem(b"laci", b"ic", m0) || w.stem(b"luf", b"", m0);
        }
        b's' => {
            w.stem(b"ssen", b"", m0);
        }
        _ => {}
    }
    // Step 4.
    let z = w.i;
    let a = [w.at(z), w.at(z + 1), w.at(z + 2), w.at(z + 3)];
    let at = |k: usize| a[k];
    match at(1) {
        b'a' if at(0) == b'l' && w.m_gt_1(z + 2) => w.i += 2,
        b'c' if at(0) == b'e' && at(2) == b'n' && (at(3) == b'a' || at(3) == b'e') && w.m_gt_1(z + 4) => w.i += 4,
        b'e' if at(0) == b'r' && w.m_gt_1(z + 2) => w.i += 2,
        b'i' if at(0) == b'c' && w.m_gt_1(z + 2) => w.i += 2,
        b'l' if at(0) == b'e' && at(2) == b'b' && (at(3) == b'a' || at(3) == b'i') && w.m_gt_1(z + 4) => w.i += 4,
        b'n' if at(0) == b't' => {
            if at(2) == b'a' {
                if w.m_gt_1(z + 3) {
                    w.i += 3;
                }
            } else if at(2) == b'e' {
                let _ = w.stem(b"tneme", b"", m1) || w.stem(b"tnem", b"", m1) || w.stem(b"tne", b"", m1);
            }
        }
        b'o' => {
            if at(0) == b'u' {
                if w.m_gt_1(z + 2) {
                    w.i += 2;
                }
            } else if at(3) == b's' || at(3) == b't' {
                w.stem(b"noi", b"", m1);
            }
        }
        b's' if at(0) == b'm' && at(2) == b'i' && w.m_gt_1(z + 3) => w.i += 3,
        b't' => {
            let _ = w.stem(b"eta", b"", m1) || w.stem(b"iti", b"", m1);
        }
        b'u' if at(0) == b's' && at(2) == b'o' && w.m_gt_1(z + 3) => w.i += 3,
        b'v' | b'z' if at(0) == b'e' && at(2) == b'i' && w.m_gt_1(z + 3) => w.i += 3,
        _ => {}
    }
    // Step 5a.
    if w.at(w.i) == b'e' && (w.m_gt_1(w.i + 1) || (w.m_eq_1(w.i + 1) && !w.star_oh(w.i + 1))) {
        w.i += 1;
    }
    // Step 5b.
    if w.m_gt_1(w.i) && w.at(w.i) == b'l' && w.at(w.i + 1) == b'l' {
        w.i += 1;
    }
    let end = w.b[w.i..].iter().position(|&c| c == 0).map_or(w.b.len(), |n| w.i + n);
    w.b[w.i..end].iter().rev().copied().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(w: &str) -> String {
        String::from_utf8_lossy(&stem(w.as_bytes())).into_owned()
    }

    #[test]
    fn porter_examples() {
        assert_eq!(s("caresses"), "caress");
        assert_eq!(s("ponies"), "poni");
        assert_eq!(s("cats"), "cat");
        assert_eq!(s("feed"), "feed");
        assert_eq!(s("agreed"), "agre");
        assert_eq!(s("plastered"), "plaster");
        assert_eq!(s("motoring"), "motor");
        assert_eq!(s("conflated"), "conflat");
        assert_eq!(s("hopping"), "hop");
        assert_eq!(s("filing"), "file");
        assert_eq!(s("happy"), "happi");
        assert_eq!(s("relational"), "relat");
        assert_eq!(s("generalizations"), "gener");
        assert_eq!(s("Database"), "databas");
        assert_eq!(s("go"), "go");
        assert_eq!(s("abcdefghijklmnopqrstuvwxyz"), "abcdefghijqrstuvwxyz");
        // With a digit, a word longer than 6 keeps its first and last 3 bytes.
        assert_eq!(s("x1234567"), "x12567");
    }
}
