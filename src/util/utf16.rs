//! Text encodings of a database (UTF-8, UTF-16le, UTF-16be) and the
//! conversions between them.
//!
//! The engine computes on UTF-8: registers, function arguments and results
//! hold UTF-8 bytes. A database's text encoding (header offset 56) is what
//! records store; text crosses between the two at the record boundary
//! (decode, encode) and wherever SQLite exposes the stored bytes (BINARY
//! comparisons, `hex()`, `CAST(text AS BLOB)`, `CAST(blob AS TEXT)`).
//!
//! Invariants: conversions never fail and never panic. They translate
//! exactly as SQLite's default build does, including malformed input:
//! reading UTF-8, a multi-byte sequence that encodes a value below 0x80 or
//! a surrogate becomes U+FFFD, a stray continuation byte stands for itself;
//! reading UTF-16, a surrogate unit (high or low) is combined with whatever
//! unit follows it, a surrogate in the last unit passes through as itself,
//! and an odd trailing byte is dropped. Comparing UTF-8 text "as UTF-16"
//! gives the order of memcmp over the UTF-16 bytes without building them.

use std::cmp::Ordering;

/// A database text encoding, numbered as SQLite numbers it (SQLITE_UTF8,
/// SQLITE_UTF16LE, SQLITE_UTF16BE) in the header and the C API.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum TextEncoding {
    #[default]
    Utf8 = 1,
    Utf16le = 2,
    Utf16be = 3,
}

impl TextEncoding {
    /// The encoding stored in the header's text-encoding field; 0 (a file
    /// with no schema yet) and unknown values read as UTF-8, as in SQLite.
    pub fn from_header(v: u32) -> TextEncoding {
        match v & 3 {
            2 => TextEncoding::Utf16le,
            3 => TextEncoding::Utf16be,
            _ => TextEncoding::Utf8,
        }
    }

    /// UTF-16 in this machine's byte order (what "UTF-16" means in
    /// `PRAGMA encoding` and `sqlite3_open16`).
    pub fn utf16_native() -> TextEncoding {
        if cfg!(target_endian = "big") {
            TextEncoding::Utf16be
        } else {
            TextEncoding::Utf16le
        }
    }

    /// The encoding a `PRAGMA encoding` argument names (case-insensitive),
    /// or None for a name SQLite does not know.
    pub fn from_pragma_name(name: &str) -> Option<TextEncoding> {
        let n = name.to_ascii_lowercase();
        match n.as_str() {
            "utf8" | "utf-8" => Some(TextEncoding::Utf8),
            "utf-16le" | "utf16le" => Some(TextEncoding::Utf16le),
            "utf-16be" | "utf16be" => Some(TextEncoding::Utf16be),
            "utf-16" | "utf16" => Some(TextEncoding::utf16_native()),
            _ => None,
        }
    }

    /// The name `PRAGMA encoding` reports.
    pub fn name(self) -> &'static str {
        match self {
            TextEncoding::Utf8 => "UTF-8",
            TextEncoding::Utf16le => "UTF-16le",
            TextEncoding::Utf16be => "UTF-16be",
        }
    }

    pub fn is_utf8(self) -> bool {
        self == TextEncoding::Utf8
    }

    fn big_endian(self) -> bool {
        self == TextEncoding::Utf16be
    }
}

/// Reads one character of possibly malformed UTF-8 at the start of `z`
/// (not empty) the way SQLite's translator does; returns it and the bytes
/// used.
fn read_utf8(z: &[u8]) -> (u32, usize) {
    let first = u32::from(z[0]);
    if first < 0xc0 {
        return (first, 1);
    }
    // The payload bits of a lead byte 0xc0..=0xff.
    let mut c = match first {
        0xc0..=0xdf => first & 0x1f,
        0xe0..=0xef => first & 0x0f,
        0xf0..=0xf7 => first & 0x07,
        0xf8..=0xfb => first & 0x03,
        0xfc..=0xfd => first & 0x01,
        _ => 0,
    };
    let mut i = 1;
    while i < z.len() && z[i] & 0xc0 == 0x80 {
        c = (c << 6).wrapping_add(u32::from(z[i] & 0x3f));
        i += 1;
    }
    if c < 0x80 || (c & 0xffff_f800) == 0xd800 {
        c = 0xfffd;
    }
    (c, i)
}

/// The UTF-16 code units of a code point as SQLite writes them (values
/// above 0xFFFF as a surrogate pair, beyond 0x10FFFF truncated alike).
#[inline]
fn utf16_units(c: u32) -> ([u16; 2], usize) {
    if c <= 0xffff {
        ([c as u16, 0], 1)
    } else {
        let hi = 0xd800 + ((c.wrapping_sub(0x10000) >> 10) & 0x3ff);
        let lo = 0xdc00 + (c & 0x3ff);
        ([hi as u16, lo as u16], 2)
    }
}

fn push_unit(out: &mut Vec<u8>, u: u16, enc: TextEncoding) {
    if enc.big_endian() {
        out.extend_from_slice(&u.to_be_bytes());
    } else {
        out.extend_from_slice(&u.to_le_bytes());
    }
}

/// The UTF-8 bytes of `c` (up to 0x1FFFFF, surrogates too) and their count.
#[inline]
fn utf8_units(c: u32) -> ([u8; 4], usize) {
    let cont = |shift: u32| 0x80 | ((c >> shift) & 0x3f) as u8;
    if c < 0x80 {
        ([c as u8, 0, 0, 0], 1)
    } else if c < 0x800 {
        ([0xc0 | ((c >> 6) & 0x1f) as u8, cont(0), 0, 0], 2)
    } else if c < 0x10000 {
        ([0xe0 | ((c >> 12) & 0x0f) as u8, cont(6), cont(0), 0], 3)
    } else {
        ([0xf0 | ((c >> 18) & 0x07) as u8, cont(12), cont(6), cont(0)], 4)
    }
}

/// Appends the UTF-8 encoding of `c`.
fn push_utf8(out: &mut Vec<u8>, c: u32) {
    let (b, n) = utf8_units(c);
    out.extend_from_slice(&b[..n]);
}

/// Appends UTF-8 text `s` encoded as `enc` (UTF-8 is copied unchanged).
pub fn encode_text(s: &[u8], enc: TextEncoding, out: &mut Vec<u8>) {
    if enc.is_utf8() {
        out.extend_from_slice(s);
        return;
    }
    out.reserve(s.len() * 2);
    let mut i = 0;
    while i < s.len() {
        let (c, n) = read_utf8(&s[i..]);
        i += n;
        let (units, k) = utf16_units(c);
        for &u in &units[..k] {
            push_unit(out, u, enc);
        }
    }
}

/// The number of bytes `encode_text` appends for `s`.
pub fn encoded_len(s: &[u8], enc: TextEncoding) -> usize {
    if enc.is_utf8() {
        return s.len();
    }
    let mut i = 0;
    let mut n = 0;
    while i < s.len() {
        let (c, k) = read_utf8(&s[i..]);
        i += k;
        n += if c <= 0xffff { 2 } else { 4 };
    }
    n
}

/// Appends text stored as `enc` to `out` as UTF-8 (UTF-8 is copied).
pub fn decode_text(b: &[u8], enc: TextEncoding, out: &mut Vec<u8>) {
    if enc.is_utf8() {
        out.extend_from_slice(b);
        return;
    }
    out.reserve(b.len() / 2 + b.len() / 4);
    let b = &b[..b.len() & !1];
    let big_endian = enc.big_endian();
    let mut i = 0;
    while i < b.len() {
        let (low, high) = if big_endian { (b[i + 1], b[i]) } else { (b[i], b[i + 1]) };
        if high == 0 && low < 0x80 {
            // ASCII, the common case: one byte out.
            out.push(low);
            i += 2;
            continue;
        }
        let mut units = Units { b: &b[i..], pos: 0, big_endian };
        match units.next_char() {
            Some(c) => push_utf8(out, c),
            None => break,
        }
        i += units.pos;
    }
}

/// Text stored as `enc`, as owned UTF-8.
pub fn to_utf8(b: &[u8], enc: TextEncoding) -> Vec<u8> {
    let mut out = Vec::new();
    decode_text(b, enc, &mut out);
    out
}

/// UTF-8 text as owned bytes in `enc`.
pub fn from_utf8(s: &[u8], enc: TextEncoding) -> Vec<u8> {
    let mut out = Vec::new();
    encode_text(s, enc, &mut out);
    out
}

/// The UTF-16 code units of stored bytes, whole units only.
struct Units<'a> {
    b: &'a [u8],
    pos: usize,
    big_endian: bool,
}

impl<'a> Units<'a> {
    fn new(b: &'a [u8], enc: TextEncoding) -> Units<'a> {
        Units { b: &b[..b.len() & !1], pos: 0, big_endian: enc.big_endian() }
    }

    fn unit(&mut self) -> Option<u32> {
        let p = self.b.get(self.pos..self.pos + 2)?;
        self.pos += 2;
        Some(u32::from(if self.big_endian { u16::from_be_bytes([p[0], p[1]]) } else { u16::from_le_bytes([p[0], p[1]]) }))
    }

    /// The next character: a surrogate swallows the unit after it, whatever
    /// that unit is (SQLite's lenient decoding).
    fn next_char(&mut self) -> Option<u32> {
        let c = self.unit()?;
        if (0xd800..0xe000).contains(&c) {
            if let Some(c2) = self.unit() {
                return Some((c2 & 0x3ff) + ((c & 0x3f) << 10) + (((c & 0x3c0) + 0x40) << 10));
            }
        }
        Some(c)
    }
}

/// The bytes of UTF-8 text as `enc` would store them, produced lazily.
struct EncodedBytes<'a> {
    s: &'a [u8],
    pos: usize,
    enc: TextEncoding,
    pending: [u8; 4],
    pending_len: usize,
    pending_pos: usize,
}

impl<'a> EncodedBytes<'a> {
    fn new(s: &'a [u8], enc: TextEncoding) -> EncodedBytes<'a> {
        EncodedBytes { s, pos: 0, enc, pending: [0; 4], pending_len: 0, pending_pos: 0 }
    }
}

impl Iterator for EncodedBytes<'_> {
    type Item = u8;

    #[inline]
    fn next(&mut self) -> Option<u8> {
        if self.pending_pos == self.pending_len {
            if self.pos >= self.s.len() {
                return None;
            }
            let b = self.s[self.pos];
            if b < 0x80 {
                // ASCII: one unit, the zero byte first or second.
                self.pos += 1;
                self.pending = if self.enc.big_endian() { [0, b, 0, 0] } else { [b, 0, 0, 0] };
                self.pending_len = 2;
            } else {
                let (c, n) = read_utf8(&self.s[self.pos..]);
                self.pos += n;
                let (units, k) = utf16_units(c);
                for (j, &u) in units[..k].iter().enumerate() {
                    let bytes = if self.enc.big_endian() { u.to_be_bytes() } else { u.to_le_bytes() };
                    self.pending[2 * j..2 * j + 2].copy_from_slice(&bytes);
                }
                self.pending_len = 2 * k;
            }
            self.pending_pos = 0;
        }
        let b = self.pending[self.pending_pos];
        self.pending_pos += 1;
        Some(b)
    }
}

/// The UTF-8 bytes of text stored as UTF-16 (`enc` not UTF-8), produced
/// lazily: what [`decode_text`] appends, without a buffer.
pub fn utf8_bytes(b: &[u8], enc: TextEncoding) -> impl Iterator<Item = u8> + '_ {
    let mut units = Units::new(b, enc);
    let mut pending = [0u8; 4];
    let mut len = 0usize;
    let mut pos = 0usize;
    std::iter::from_fn(move || {
        if pos == len {
            (pending, len) = utf8_units(units.next_char()?);
            pos = 0;
        }
        pos += 1;
        Some(pending[pos - 1])
    })
}

/// Compares two UTF-8 texts in the order of memcmp over their encodings
/// in `enc` (BINARY collation in a database of that encoding), without
/// allocating.
pub fn compare_as(a: &[u8], b: &[u8], enc: TextEncoding) -> Ordering {
    if enc.is_utf8() {
        return a.cmp(b);
    }
    // A common prefix of ASCII bytes compares the same in every encoding.
    let mut i = 0;
    let n = a.len().min(b.len());
    while i < n && a[i] == b[i] && a[i] < 0x80 {
        i += 1;
    }
    EncodedBytes::new(&a[i..], enc).cmp(EncodedBytes::new(&b[i..], enc))
}

/// Compares text stored as `enc` with UTF-8 text, in the order of memcmp
/// over both in `enc`.
pub fn compare_stored_with_utf8(stored: &[u8], s: &[u8], enc: TextEncoding) -> Ordering {
    if enc.is_utf8() {
        return stored.cmp(s);
    }
    stored.iter().copied().cmp(EncodedBytes::new(s, enc))
}

#[cfg(test)]
mod tests {
    use super::*;

    const LE: TextEncoding = TextEncoding::Utf16le;
    const BE: TextEncoding = TextEncoding::Utf16be;

    #[test]
    fn valid_text_round_trips() {
        for s in ["", "abc", "é", "Ā", "\u{e000}", "😀 x", "naïve ☃ \u{10ffff}"] {
            for enc in [LE, BE] {
                let e = from_utf8(s.as_bytes(), enc);
                let mut want = Vec::new();
                for u in s.encode_utf16() {
                    push_unit(&mut want, u, enc);
                }
                assert_eq!(e, want, "{s:?} {enc:?}");
                assert_eq!(encoded_len(s.as_bytes(), enc), e.len());
                assert_eq!(to_utf8(&e, enc), s.as_bytes());
                assert_eq!(utf8_bytes(&e, enc).collect::<Vec<u8>>(), s.as_bytes());
            }
        }
    }

    #[test]
    fn malformed_text_translates_like_sqlite() {
        // A stray continuation byte is the character of that value.
        assert_eq!(from_utf8(&[0x80], LE), vec![0x80, 0]);
        // An encoded surrogate or an over-long ASCII is U+FFFD.
        assert_eq!(from_utf8(&[0xed, 0xa0, 0x80], BE), vec![0xff, 0xfd]);
        assert_eq!(from_utf8(&[0xc1, 0x81], BE), vec![0xff, 0xfd]);
        // A lone surrogate at the end passes through; an odd byte is dropped.
        assert_eq!(to_utf8(&[0x00, 0xd8], LE), vec![0xed, 0xa0, 0x80]);
        assert_eq!(to_utf8(&[0x61, 0x00, 0x62], LE), b"a");
        // A high surrogate swallows the unit after it, whatever it is.
        assert_eq!(to_utf8(&[0x00, 0xd8, 0x61, 0x00], LE), "\u{10061}".as_bytes());
    }

    #[test]
    fn comparison_follows_the_encoded_bytes() {
        let cases = ["", "a", "b", "ab", "Ā", "é", "\u{e000}", "\u{ffff}", "😀", "a😀", "aĀ", "\u{100}a"];
        for enc in [LE, BE, TextEncoding::Utf8] {
            for x in cases {
                for y in cases {
                    let want = from_utf8(x.as_bytes(), enc).cmp(&from_utf8(y.as_bytes(), enc));
                    assert_eq!(compare_as(x.as_bytes(), y.as_bytes(), enc), want, "{x:?} {y:?} {enc:?}");
                    let stored = from_utf8(x.as_bytes(), enc);
                    assert_eq!(compare_stored_with_utf8(&stored, y.as_bytes(), enc), want);
                }
            }
        }
        // In UTF-16le 'Ā' (00 01) sorts before 'a' (61 00).
        assert_eq!(compare_as("Ā".as_bytes(), b"a", LE), Ordering::Less);
        // In UTF-16be a supplementary character sorts before U+E000.
        assert_eq!(compare_as("😀".as_bytes(), "\u{e000}".as_bytes(), BE), Ordering::Less);
    }
}
