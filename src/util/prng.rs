//! The process-wide pseudo-random generator behind random(), randomblob()
//! and sqlite3_randomness: a ChaCha20 keystream seeded once from the VFS's
//! randomness, as SQLite's is (so a call costs no system call).
//!
//! Invariant: the state is seeded before its first use; every call takes
//! bytes from the stream under one lock, so two callers never get the same
//! bytes.

use parking_lot::Mutex;

struct Prng {
    /// ChaCha20 input block: constants, key, counter, nonce.
    state: [u32; 16],
    /// The current output block and how many of its bytes are used.
    block: [u8; 64],
    used: usize,
}

static PRNG: Mutex<Option<Prng>> = Mutex::new(None);

fn quarter(s: &mut [u32; 16], a: usize, b: usize, c: usize, d: usize) {
    s[a] = s[a].wrapping_add(s[b]);
    s[d] = (s[d] ^ s[a]).rotate_left(16);
    s[c] = s[c].wrapping_add(s[d]);
    s[b] = (s[b] ^ s[c]).rotate_left(12);
    s[a] = s[a].wrapping_add(s[b]);
    s[d] = (s[d] ^ s[a]).rotate_left(8);
    s[c] = s[c].wrapping_add(s[d]);
    s[b] = (s[b] ^ s[c]).rotate_left(7);
}

/// One ChaCha20 block of `input`.
fn chacha_block(input: &[u32; 16]) -> [u8; 64] {
    let mut x = *input;
    for _ in 0..10 {
        quarter(&mut x, 0, 4, 8, 12);
        quarter(&mut x, 1, 5, 9, 13);
        quarter(&mut x, 2, 6, 10, 14);
        quarter(&mut x, 3, 7, 11, 15);
        quarter(&mut x, 0, 5, 10, 15);
        quarter(&mut x, 1, 6, 11, 12);
        quarter(&mut x, 2, 7, 8, 13);
        quarter(&mut x, 3, 4, 9, 14);
    }
    let mut out = [0u8; 64];
    for i in 0..16 {
        out[i * 4..i * 4 + 4].copy_from_slice(&x[i].wrapping_add(input[i]).to_le_bytes());
    }
    out
}

impl Prng {
    fn new(seed: &[u8; 44]) -> Prng {
        let mut state = [0u32; 16];
        state[..4].copy_from_slice(&[0x6170_7865, 0x3320_646e, 0x7962_2d32, 0x6b20_6574]);
        for i in 0..11 {
            state[4 + i] = u32::from_le_bytes([seed[i * 4], seed[i * 4 + 1], seed[i * 4 + 2], seed[i * 4 + 3]]);
        }
        // Word 12 is the block counter.
        state[12] = 0;
        Prng { state, block: [0; 64], used: 64 }
    }

    fn fill(&mut self, buf: &mut [u8]) {
        for b in buf.iter_mut() {
            if self.used == 64 {
                self.block = chacha_block(&self.state);
                self.state[12] = self.state[12].wrapping_add(1);
                if self.state[12] == 0 {
                    self.state[13] = self.state[13].wrapping_add(1);
                }
                self.used = 0;
            }
            *b = self.block[self.used];
            self.used += 1;
        }
    }
}

/// Fills `buf` with pseudo-random bytes; `seed` provides the 44 bytes of
/// entropy the generator starts from, the first time only.
pub fn fill(buf: &mut [u8], seed: impl FnOnce(&mut [u8])) {
    let mut g = PRNG.lock();
    let prng = g.get_or_insert_with(|| {
        let mut s = [0u8; 44];
        seed(&mut s);
        Prng::new(&s)
    });
    prng.fill(buf);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chacha20_matches_the_rfc_7539_test_vector() {
        // RFC 7539 section 2.3.2: key 00..1f, counter 1, nonce
        // 000000090000004a00000000.
        let mut input = [0u32; 16];
        input[..4].copy_from_slice(&[0x6170_7865, 0x3320_646e, 0x7962_2d32, 0x6b20_6574]);
        for i in 0..8 {
            let k = (i * 4) as u8;
            input[4 + i] = u32::from_le_bytes([k, k + 1, k + 2, k + 3]);
        }
        input[12] = 1;
        input[13] = 0x0900_0000;
        input[14] = 0x4a00_0000;
        input[15] = 0;
        let out = chacha_block(&input);
        assert_eq!(&out[..8], &[0x10, 0xf1, 0xe7, 0xe4, 0xd1, 0x3b, 0x59, 0x15]);
        assert_eq!(&out[56..], &[0xcb, 0xd0, 0x83, 0xe8, 0xa2, 0x50, 0x3c, 0x4e]);
    }

    #[test]
    fn successive_calls_never_repeat_bytes() {
        let mut a = [0u8; 100];
        let mut b = [0u8; 100];
        fill(&mut a, |s| s.fill(7));
        fill(&mut b, |s| s.fill(7));
        assert_ne!(a, b);
    }
}
