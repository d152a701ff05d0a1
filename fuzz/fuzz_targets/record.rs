//! Fuzz target `record`: arbitrary bytes decoded as records.
//!
//! Input layout: byte 0 picks the key description (collations, DESC flags)
//! and the prefix length for `compare_prefix`; byte 1 is where the rest
//! splits into two records `a` and `b`. Every decoder must return a value
//! or SQLITE_CORRUPT — never panic, loop or over-allocate.

#![no_main]

use libfuzzer_sys::fuzz_target;

use ferrolite::collation::CollSeq;
use ferrolite::error::code;
use ferrolite::record::{self, Header, KeyInfo};

fn key_info(sel: u8) -> KeyInfo {
    let colls = [CollSeq::Binary, CollSeq::NoCase, CollSeq::RTrim];
    let fields = (0..4)
        .map(|i| {
            let c = colls[((sel >> i) as usize) % 3].clone();
            (c, (sel >> (i + 4)) & 1 == 1)
        })
        .collect();
    KeyInfo::new(fields)
}

fn must_be_corrupt(e: ferrolite::Error) {
    assert_eq!(e.primary_code(), code::CORRUPT, "unexpected error {e:?}");
}

fuzz_target!(|data: &[u8]| {
    if data.len() < 2 {
        return;
    }
    let key = key_info(data[0]);
    let rest = &data[2..];
    let split = (data[1] as usize).min(rest.len());
    let (a, b) = rest.split_at(split);

    for rec in [a, b, rest] {
        match Header::parse(rec) {
            Ok(h) => {
                for i in 0..h.len() + 1 {
                    if let Err(e) = h.column(rec, i) {
                        must_be_corrupt(e);
                    }
                }
            }
            Err(e) => must_be_corrupt(e),
        }
        let mut h = Header::default();
        if let Err(e) = h.parse_into(rec, (data[0] % 5) as usize) {
            must_be_corrupt(e);
        }
        if let Err(e) = record::decode_all(rec) {
            must_be_corrupt(e);
        }
        let _ = record::get_varint(rec);
    }

    let ab = record::compare_records(a, b, &key);
    let ba = record::compare_records(b, a, &key);
    match (ab, ba) {
        (Ok(x), Ok(y)) => assert_eq!(x, y.reverse(), "compare_records is not antisymmetric"),
        (Err(e), _) | (_, Err(e)) => must_be_corrupt(e),
    }
    if let Err(e) = record::compare_prefix(a, b, &key, (data[0] & 7) as usize) {
        must_be_corrupt(e);
    }
    if let Ok(probe) = record::decode_all(b) {
        if let Err(e) = record::compare_with_values(a, &probe, &key) {
            must_be_corrupt(e);
        }
        // Re-encoding what was decoded must give a record that decodes to
        // the same values.
        let again = record::encode_values(&probe);
        let back = record::decode_all(&again).expect("re-encoded record decodes");
        assert_eq!(back.len(), probe.len());
    }
});
