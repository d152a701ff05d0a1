//! SQLite's big-endian varint (1..=9 bytes; the 9th byte contributes all
//! 8 bits), as used in B-tree cells for payload sizes and rowids.
//!
//! Invariant: decoding never reads past the slice; a truncated varint is
//! reported as `None` so callers turn it into SQLITE_CORRUPT.

/// Decodes a varint at the start of `b`: (value, bytes used).
#[inline]
pub fn get(b: &[u8]) -> Option<(u64, usize)> {
    let mut v: u64 = 0;
    for i in 0..8 {
        let c = *b.get(i)?;
        v = (v << 7) | (c & 0x7f) as u64;
        if c & 0x80 == 0 {
            return Some((v, i + 1));
        }
    }
    let c = *b.get(8)?;
    Some(((v << 8) | c as u64, 9))
}

/// Bytes needed to encode `v`.
#[inline]
pub fn len(v: u64) -> usize {
    if v <= 0x7f {
        return 1;
    }
    if v > 0x00ff_ffff_ffff_ffff {
        return 9;
    }
    let mut n = 1;
    let mut x = v >> 7;
    while x != 0 {
        n += 1;
        x >>= 7;
    }
    n
}

/// Appends the encoding of `v` to `out`.
#[inline]
pub fn put(out: &mut Vec<u8>, v: u64) {
    if v > 0x00ff_ffff_ffff_ffff {
        let mut b = [0u8; 9];
        b[8] = v as u8;
        let mut x = v >> 8;
        for i in (0..8).rev() {
            b[i] = ((x & 0x7f) as u8) | 0x80;
            x >>= 7;
        }
        out.extend_from_slice(&b);
        return;
    }
    let n = len(v);
    for i in (0..n).rev() {
        let byte = ((v >> (7 * i)) & 0x7f) as u8;
        out.push(if i == 0 { byte } else { byte | 0x80 });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        for &v in &[0u64, 1, 127, 128, 240, 2287, 16383, 16384, 1 << 32, (1 << 56) - 1, 1 << 56, u64::MAX, i64::MIN as u64] {
            let mut b = Vec::new();
            put(&mut b, v);
            assert_eq!(b.len(), len(v), "{v}");
            assert_eq!(get(&b), Some((v, b.len())));
        }
        assert_eq!(get(&[0x81]), None);
        let mut b = Vec::new();
        put(&mut b, 300);
        assert_eq!(b, vec![0x82, 0x2c]);
    }
}
