//! Binary <-> decimal conversion kernels with SQLite 3.54's exact
//! arithmetic, so that text from numbers and numbers from text agree with
//! SQLite bit for bit (including its rare non-correctly-rounded cases).
//!
//! Powers of ten are represented by their leading 96 bits: exact for
//! 10^0..10^26, otherwise one of the table values below (10^(27k), rounded
//! to nearest) times an exact small power, truncated. The table is pure
//! mathematics: each entry is 10^(27(k-13)) scaled into [2^95, 2^96) and
//! rounded to nearest (computed with exact rationals).

/// (top 64 bits, next 32 bits) of 10^(27(k-13)), k = 0..25.
const SCALE: [(u64, u32); 26] = [
    (0x8049_a4ac_0c58_11ae, 0x205b_896d), // 10^-351
    (0xcf42_894a_5dce_35ea, 0x5206_4cad), // 10^-324
    (0xa76c_5823_38ed_2621, 0xaf2a_f2b8), // 10^-297
    (0x873e_4f75_e222_4e68, 0x5a77_44a7), // 10^-270
    (0xda7f_5bf5_9096_6848, 0xaf39_a475), // 10^-243
    (0xb080_392c_c434_9dec, 0xbd8d_794e), // 10^-216
    (0x8e93_8662_882a_f53e, 0x547e_b47b), // 10^-189
    (0xe658_29b3_046b_0afa, 0x0cb4_a5a3), // 10^-162
    (0xba12_1a46_50e4_ddeb, 0x92f3_4d62), // 10^-135
    (0x964e_858c_91ba_2655, 0x3a6a_07f9), // 10^-108
    (0xf2d5_6790_ab41_c2a2, 0xfae2_7299), // 10^-81
    (0xc428_d05a_a475_1e4c, 0xaa97_e14c), // 10^-54
    (0x9e74_d1b7_91e0_7e48, 0x775e_a265), // 10^-27
    (0xcccc_cccc_cccc_cccc, 0xcccc_cccc), // 10^-1, truncated (only used for p = -1)
    (0xcecb_8f27_f420_0f3a, 0x0000_0000), // 10^27
    (0xa70c_3c40_a64e_6c51, 0x9990_90b6), // 10^54
    (0x86f0_ac99_b4e8_dafd, 0x69a0_28bb), // 10^81
    (0xda01_ee64_1a70_8de9, 0xe80e_6f48), // 10^108
    (0xb01a_e745_b101_e9e4, 0x5ec0_5dd0), // 10^135
    (0x8e41_ade9_fbeb_c27d, 0x1458_8f14), // 10^162
    (0xe5d3_ef28_2a24_2e81, 0x8f16_68c9), // 10^189
    (0xb9a7_4a06_37ce_2ee1, 0x6d95_3e2c), // 10^216
    (0x95f8_3d0a_1fb6_9cd9, 0x4abd_af10), // 10^243
    (0xf24a_01a7_3cf2_dccf, 0xbc63_3b39), // 10^270
    (0xc3b8_3581_09e8_4f07, 0x0a86_2f81), // 10^297
    (0x9e19_db92_b4e3_1ba9, 0x6c07_a2c2), // 10^324
];

/// Smallest and largest decimal exponents the kernels handle.
pub const POW10_FIRST: i32 = -348;
pub const POW10_LAST: i32 = 347;

/// 10^n (n in 0..=26), normalized so that bit 63 is set. Exact.
fn base_pow10(n: i32) -> u64 {
    let mut v: u128 = 1;
    for _ in 0..n {
        v *= 10;
    }
    let shift = v.leading_zeros();
    ((v << shift) >> 64) as u64
}

/// floor(p * log2(10)) (approximately, as SQLite computes it).
#[inline]
pub fn pwr10to2(p: i32) -> i32 {
    (p * 108853) >> 15
}

/// floor(p * log10(2)) (approximately, as SQLite computes it).
#[inline]
pub fn pwr2to10(p: i32) -> i32 {
    (p * 78913) >> 18
}

/// Leading 64 bits of 10^p and the next 32 bits, p in
/// [POW10_FIRST, POW10_LAST].
fn power_of_ten(p: i32) -> (u64, u32) {
    let (g, n);
    if p < 0 {
        if p == -1 {
            return SCALE[13];
        }
        let mut gg = p / 27;
        let mut nn = p % 27;
        if nn != 0 {
            gg -= 1;
            nn += 27;
        }
        g = gg;
        n = nn;
    } else if p < 27 {
        return (base_pow10(p), 0);
    } else {
        g = p / 27;
        n = p % 27;
    }
    let (s, slo) = SCALE[(g + 13) as usize];
    if n == 0 {
        return (s, slo);
    }
    // Upper 96 bits of the 160-bit product (s:slo) * base.
    let b = base_pow10(n) as u128;
    let mut r: u128 = (s as u128) * b;
    r += ((slo as u128) * b) >> 32;
    let mut lo = ((r >> 32) & 0xffff_ffff) as u32;
    let mut x = (r >> 64) as u64;
    if x & (1u64 << 63) == 0 {
        x = (x << 1) | ((lo >> 31) & 1) as u64;
        lo = (lo << 1) | 1;
    }
    (x, lo)
}

#[inline]
fn mul128(a: u64, b: u64) -> (u64, u64) {
    let r = (a as u128) * (b as u128);
    ((r >> 64) as u64, r as u64)
}

/// Given r = m * 2^e with bit 63 of `m` set, returns (d, p) with
/// r ~= d * 10^p and d holding at least `n` (<= 18) significant digits;
/// for n = 18 the last digit is rounded, otherwise truncated.
pub fn fp2_convert10(m: u64, e: i32, n: i32) -> (u64, i32) {
    let p = n - 1 - pwr2to10(e + 63);
    let (pw, _) = power_of_ten(p.clamp(POW10_FIRST, POW10_LAST));
    let (mut h, _) = mul128(m, pw);
    if n == 18 {
        let sh = -(e + pwr10to2(p) + 2);
        h = if (0..64).contains(&sh) { h >> sh } else { 0 };
        ((h + ((h << 1) & 2)) >> 1, -p)
    } else {
        let sh = -(e + pwr10to2(p) + 1);
        (if (0..64).contains(&sh) { h >> sh } else { 0 }, -p)
    }
}

/// The double SQLite computes for d * 10^p (d > 0): 0.0 below 10^-348,
/// infinity above 10^347.
pub fn fp10_convert2(d: u64, p: i32) -> f64 {
    if d == 0 || p < POW10_FIRST {
        return 0.0;
    }
    if p > POW10_LAST {
        return f64::INFINITY;
    }
    let b = 64 - d.leading_zeros() as i32;
    let lp = pwr10to2(p);
    let mut e = 53 - b - lp;
    if e > 1074 {
        if e >= 1130 {
            return 0.0;
        }
        e = 1074;
    }
    let s = -(e - (64 - b) + lp + 3);
    let (mut pwr10h, mut pwr10l) = power_of_ten(p);
    if pwr10l != 0 {
        pwr10h = pwr10h.wrapping_add(1);
        pwr10l = !pwr10l;
    }
    let x = d << (64 - b);
    let (mut hi, lo) = mul128(x, pwr10h);
    let mid1 = (lo >> 32) as u32;
    let mut sticky: u64 = 1;
    let mask = if (0..64).contains(&s) { (1u64 << s) - 1 } else { u64::MAX };
    if hi & mask == 0 {
        let (h2, _) = mul128(x, (pwr10l as u64) << 32);
        let mid2 = (h2 >> 32) as u32;
        sticky = (mid1.wrapping_sub(mid2) > 1) as u64;
        hi = hi.wrapping_sub((mid1 < mid2) as u64);
    }
    let mut u = (if (0..64).contains(&s) { hi >> s } else { 0 }) | sticky;
    let adj = u >= (1u64 << 55) - 2;
    if adj {
        u = (u >> 1) | (u & 1);
        e -= 1;
    }
    let mut m = (u + 1 + ((u >> 2) & 1)) >> 2;
    if e <= -972 {
        return f64::INFINITY;
    }
    if m & (1u64 << 52) != 0 {
        m = (m & !(1u64 << 52)) | (((1075 - e) as u64) << 52);
    }
    f64::from_bits(m)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_powers_are_exact() {
        assert_eq!(power_of_ten(0).0, 1u64 << 63);
        assert_eq!(power_of_ten(1).0, 0xa000_0000_0000_0000);
        assert_eq!(power_of_ten(19).0, 0x8ac7_2304_89e8_0000);
        assert_eq!(power_of_ten(26).0, 0xa56f_a5b9_9019_a5c8);
    }

    #[test]
    fn decimal_to_double() {
        assert_eq!(fp10_convert2(1, -1), 0.1);
        assert_eq!(fp10_convert2(25, -301), 2.5e-300);
        assert_eq!(fp10_convert2(17976931348623157, 292), f64::MAX);
        assert_eq!(fp10_convert2(49, -325), 5e-324);
        assert_eq!(fp10_convert2(1, 400), f64::INFINITY);
        assert_eq!(fp10_convert2(123456789, 0), 123456789.0);
        assert_eq!(fp10_convert2(3, 22), 3e22);
    }
}
