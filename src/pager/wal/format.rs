//! The WAL file format, byte for byte as SQLite writes it: the 32-byte
//! header, the 24-byte frame headers and the running checksum.
//!
//! - Header (big-endian fields): magic 0x377f0682 | bigEndCksum,
//!   version 3007000, page size, checkpoint sequence, salt-1, salt-2,
//!   checksum-1, checksum-2 (of the first 24 bytes).
//! - Frame header: page number, database size after the commit (0 for a
//!   non-commit frame), the header's two salts (copied byte for byte),
//!   checksum-1, checksum-2, the running checksum over every earlier frame
//!   (seeded with the header's checksum), this frame header's first 8 bytes
//!   and the page data.
//! - The checksum adds 32-bit words two at a time (s0 += x0 + s1;
//!   s1 += x1 + s0); the words are big-endian when the magic's low bit is
//!   set, little-endian otherwise. SQLite writes in the host's order and
//!   reads both, and so does this module.
//!
//! Invariant: nothing here trusts the bytes it decodes; a frame is valid
//! only if its salts match, its page number is not 0 and its checksum
//! chains from the previous one.

/// Bytes in the WAL header.
pub const WAL_HDR_SIZE: usize = 32;
/// Bytes in a frame header.
pub const FRAME_HDR_SIZE: usize = 24;
/// The magic number without its byte-order bit.
pub const WAL_MAGIC: u32 = 0x377f_0682;
/// The only WAL format version (3.7.0).
pub const WAL_VERSION: u32 = 3_007_000;

/// True on a big-endian host: SQLite writes checksums in the host order.
pub const HOST_BIG_ENDIAN: bool = cfg!(target_endian = "big");

pub fn get_u32(b: &[u8], off: usize) -> u32 {
    let mut w = [0u8; 4];
    if let Some(s) = b.get(off..off + 4) {
        w.copy_from_slice(s);
    }
    u32::from_be_bytes(w)
}

pub fn put_u32(b: &mut [u8], off: usize, v: u32) {
    if let Some(s) = b.get_mut(off..off + 4) {
        s.copy_from_slice(&v.to_be_bytes());
    }
}

/// SQLite's WAL checksum of `data` (a multiple of 8 bytes), continuing
/// from `seed`. `big_endian` says how the 32-bit words are read.
pub fn checksum(big_endian: bool, data: &[u8], seed: [u32; 2]) -> [u32; 2] {
    let [mut s0, mut s1] = seed;
    for pair in data.chunks_exact(8) {
        let (x0, x1) = if big_endian {
            (u32::from_be_bytes([pair[0], pair[1], pair[2], pair[3]]), u32::from_be_bytes([pair[4], pair[5], pair[6], pair[7]]))
        } else {
            (u32::from_le_bytes([pair[0], pair[1], pair[2], pair[3]]), u32::from_le_bytes([pair[4], pair[5], pair[6], pair[7]]))
        };
        s0 = s0.wrapping_add(x0).wrapping_add(s1);
        s1 = s1.wrapping_add(x1).wrapping_add(s0);
    }
    [s0, s1]
}

/// The decoded WAL header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WalHeader {
    /// Checksums use big-endian words.
    pub big_endian: bool,
    pub version: u32,
    pub page_size: u32,
    pub ckpt_seq: u32,
    /// The salts as stored (bytes 16..24).
    pub salt: [u8; 8],
    /// The header checksum (also the seed of frame 1's).
    pub cksum: [u32; 2],
}

impl WalHeader {
    /// A header for a new WAL, in the host's checksum order as SQLite
    /// writes it.
    pub fn new(page_size: u32, ckpt_seq: u32, salt: [u8; 8]) -> WalHeader {
        let mut h = WalHeader { big_endian: HOST_BIG_ENDIAN, version: WAL_VERSION, page_size, ckpt_seq, salt, cksum: [0, 0] };
        let b = h.encode_body();
        h.cksum = checksum(h.big_endian, &b[..24], [0, 0]);
        h
    }

    fn encode_body(&self) -> [u8; WAL_HDR_SIZE] {
        let mut b = [0u8; WAL_HDR_SIZE];
        put_u32(&mut b, 0, WAL_MAGIC | self.big_endian as u32);
        put_u32(&mut b, 4, self.version);
        put_u32(&mut b, 8, self.page_size);
        put_u32(&mut b, 12, self.ckpt_seq);
        b[16..24].copy_from_slice(&self.salt);
        b
    }

    pub fn encode(&self) -> [u8; WAL_HDR_SIZE] {
        let mut b = self.encode_body();
        put_u32(&mut b, 24, self.cksum[0]);
        put_u32(&mut b, 28, self.cksum[1]);
        b
    }

    /// Decodes a header; `None` when the magic, the page size or the
    /// checksum says it holds nothing valid (SQLite then ignores the
    /// whole file). The version is returned as found: the caller decides.
    pub fn decode(b: &[u8]) -> Option<WalHeader> {
        if b.len() < WAL_HDR_SIZE {
            return None;
        }
        let magic = get_u32(b, 0);
        let page_size = get_u32(b, 8);
        if magic & !1 != WAL_MAGIC || !page_size.is_power_of_two() || !(512..=65536).contains(&page_size) {
            return None;
        }
        let big_endian = magic & 1 == 1;
        let cksum = checksum(big_endian, &b[..24], [0, 0]);
        if cksum != [get_u32(b, 24), get_u32(b, 28)] {
            return None;
        }
        let mut salt = [0u8; 8];
        salt.copy_from_slice(&b[16..24]);
        Some(WalHeader { big_endian, version: get_u32(b, 4), page_size, ckpt_seq: get_u32(b, 12), salt, cksum })
    }
}

/// Byte offset of frame `frame` (1-based) in the WAL file.
pub fn frame_offset(frame: u32, page_size: u32) -> u64 {
    WAL_HDR_SIZE as u64 + (frame.max(1) as u64 - 1) * (page_size as u64 + FRAME_HDR_SIZE as u64)
}

/// Builds frame header `out` for `data` (page `pgno`, `commit_size` 0 or
/// the database size after a commit) and returns the new running
/// checksum.
pub fn encode_frame(
    big_endian: bool,
    salt: &[u8; 8],
    prev: [u32; 2],
    pgno: u32,
    commit_size: u32,
    data: &[u8],
    out: &mut [u8; FRAME_HDR_SIZE],
) -> [u32; 2] {
    put_u32(out, 0, pgno);
    put_u32(out, 4, commit_size);
    out[8..16].copy_from_slice(salt);
    let c = checksum(big_endian, &out[..8], prev);
    let c = checksum(big_endian, data, c);
    put_u32(out, 16, c[0]);
    put_u32(out, 20, c[1]);
    c
}

/// A frame that checked out: its page, its commit size (0: not a
/// commit) and the running checksum after it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Frame {
    pub pgno: u32,
    pub commit_size: u32,
    pub cksum: [u32; 2],
}

/// Checks frame header `hdr` + `data` against the WAL's salts and the
/// running checksum `prev`; `None` when the frame is not valid (the end
/// of the log as SQLite sees it).
pub fn decode_frame(big_endian: bool, salt: &[u8; 8], prev: [u32; 2], hdr: &[u8], data: &[u8]) -> Option<Frame> {
    if hdr.len() < FRAME_HDR_SIZE || hdr[8..16] != salt[..] {
        return None;
    }
    let pgno = get_u32(hdr, 0);
    if pgno == 0 {
        return None;
    }
    let c = checksum(big_endian, &hdr[..8], prev);
    let c = checksum(big_endian, data, c);
    if c != [get_u32(hdr, 16), get_u32(hdr, 20)] {
        return None;
    }
    Some(Frame { pgno, commit_size: get_u32(hdr, 4), cksum: c })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_round_trip_and_damage() {
        let h = WalHeader::new(4096, 7, [1, 2, 3, 4, 5, 6, 7, 8]);
        let b = h.encode();
        assert_eq!(get_u32(&b, 0), WAL_MAGIC | HOST_BIG_ENDIAN as u32);
        assert_eq!(WalHeader::decode(&b), Some(h));
        for i in 0..WAL_HDR_SIZE {
            let mut d = b;
            d[i] ^= 0x10;
            // Every byte is covered: magic, size, checksum or the sum.
            assert!(WalHeader::decode(&d).map(|x| x != h).unwrap_or(true), "byte {i}");
        }
        assert!(WalHeader::decode(&b[..20]).is_none());
    }

    #[test]
    fn both_byte_orders() {
        for be in [false, true] {
            let mut h = WalHeader { big_endian: be, version: WAL_VERSION, page_size: 512, ckpt_seq: 0, salt: [9; 8], cksum: [0; 2] };
            h.cksum = checksum(be, &h.encode_body()[..24], [0, 0]);
            let b = h.encode();
            let d = WalHeader::decode(&b).unwrap();
            assert_eq!(d.big_endian, be);
            let data: Vec<u8> = (0..512u32).map(|i| (i * 7) as u8).collect();
            let mut fh = [0u8; FRAME_HDR_SIZE];
            let c1 = encode_frame(be, &h.salt, h.cksum, 3, 0, &data, &mut fh);
            let f = decode_frame(be, &h.salt, h.cksum, &fh, &data).unwrap();
            assert_eq!(f, Frame { pgno: 3, commit_size: 0, cksum: c1 });
            // The wrong order, other salts, a changed byte: invalid.
            assert!(decode_frame(!be, &h.salt, h.cksum, &fh, &data).is_none());
            assert!(decode_frame(be, &[8; 8], h.cksum, &fh, &data).is_none());
            let mut d2 = data.clone();
            d2[100] ^= 1;
            assert!(decode_frame(be, &h.salt, h.cksum, &fh, &d2).is_none());
            // Chaining: frame 2 seeds from frame 1.
            let mut fh2 = [0u8; FRAME_HDR_SIZE];
            encode_frame(be, &h.salt, c1, 4, 4, &data, &mut fh2);
            assert_eq!(decode_frame(be, &h.salt, c1, &fh2, &data).unwrap().commit_size, 4);
            assert!(decode_frame(be, &h.salt, h.cksum, &fh2, &data).is_none());
        }
    }

    #[test]
    fn checksum_matches_the_documented_algorithm() {
        // Two word pairs by hand: s0 = x0 + s1, s1 = x1 + s0 each step.
        let data = [0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 4];
        let (a0, a1) = (1u32, 2u32 + 1);
        let (b0, b1) = (a0 + 3 + a1, a1 + 4 + a0 + 3 + a1);
        assert_eq!(checksum(true, &data, [0, 0]), [b0, b1]);
        assert_eq!(frame_offset(1, 4096), 32);
        assert_eq!(frame_offset(3, 1024), 32 + 2 * 1048);
    }
}
