//! The record format: how a row or an index key is laid out in a payload.
//!
//! A record is a header (its own size as a varint, then one serial type
//! varint per column) followed by the column bodies in order. Serial types
//! are SQLite's: 0 NULL, 1-6 big-endian integers of 1,2,3,4,6,8 bytes, 7 an
//! IEEE double, 8 and 9 the constants 0 and 1, N>=12 even a blob of
//! (N-12)/2 bytes, N>=13 odd a text of (N-13)/2 bytes. Everything read from a
//! payload is bounds-checked: a malformed record is SQLITE_CORRUPT, never a
//! panic.
//!
//! Text in a record is in the database's text encoding; the engine's values
//! are UTF-8. `decode_value` and `Header::column` return the stored bytes
//! as they are (borrowed, no work for a UTF-8 database); `Header::value`
//! and the `encode` family translate for a UTF-16 database. Key
//! comparisons take the encoding from `KeyInfo`: BINARY compares the stored
//! bytes (memcmp, as SQLite), other collations see UTF-8.

use std::cmp::Ordering;

use crate::collation::CollSeq;
use crate::error::{Error, Result};
use crate::util::utf16::{self, TextEncoding};
use crate::value::{Value, ValueRef};

/// Reads a varint (1 to 9 bytes, big-endian base-128, the ninth byte whole).
/// Returns the value and its length, or None when `buf` ends first.
#[inline]
pub fn get_varint(buf: &[u8]) -> Option<(u64, usize)> {
    let mut v: u64 = 0;
    for i in 0..8 {
        let b = *buf.get(i)?;
        v = (v << 7) | u64::from(b & 0x7f);
        if b & 0x80 == 0 {
            return Some((v, i + 1));
        }
    }
    let b = *buf.get(8)?;
    Some(((v << 8) | u64::from(b), 9))
}

/// Appends `v` as a varint.
pub fn put_varint(out: &mut Vec<u8>, v: u64) {
    if v <= 0x7f {
        out.push(v as u8);
        return;
    }
    if v > 0x00ff_ffff_ffff_ffff {
        // Nine bytes: eight groups of seven bits, then a whole byte.
        let mut tmp = [0u8; 9];
        tmp[8] = v as u8;
        let mut w = v >> 8;
        for i in (0..8).rev() {
            tmp[i] = ((w & 0x7f) as u8) | 0x80;
            w >>= 7;
        }
        out.extend_from_slice(&tmp);
        return;
    }
    let mut tmp = [0u8; 9];
    let mut n = 0;
    let mut w = v;
    while w != 0 {
        tmp[n] = ((w & 0x7f) as u8) | 0x80;
        w >>= 7;
        n += 1;
    }
    tmp[0] &= 0x7f;
    out.extend(tmp[..n].iter().rev());
}

/// The number of bytes `put_varint` writes for `v`.
pub fn varint_len(v: u64) -> usize {
    if v > 0x00ff_ffff_ffff_ffff {
        return 9;
    }
    let mut n = 1;
    let mut w = v >> 7;
    while w != 0 {
        n += 1;
        w >>= 7;
    }
    n
}

/// The serial type SQLite (file format 4) uses for a value.
pub fn serial_type(v: ValueRef<'_>) -> u64 {
    match v {
        ValueRef::Null => 0,
        ValueRef::Integer(i) => {
            if i == 0 {
                8
            } else if i == 1 {
                9
            } else {
                let u = if i < 0 { !(i as u64) } else { i as u64 };
                if u <= 127 {
                    1
                } else if u <= 32767 {
                    2
                } else if u <= 8_388_607 {
                    3
                } else if u <= 2_147_483_647 {
                    4
                } else if u <= 0x7fff_ffff_ffff {
                    5
                } else {
                    6
                }
            }
        }
        ValueRef::Real(_) => 7,
        ValueRef::Text(t) => (t.len() as u64) * 2 + 13,
        ValueRef::Blob(b) => (b.len() as u64) * 2 + 12,
    }
}

/// The serial type of a value stored in a database of encoding `enc`
/// (text length counted in the encoded bytes).
#[inline]
pub fn serial_type_in(v: ValueRef<'_>, enc: TextEncoding) -> u64 {
    match v {
        ValueRef::Text(t) if !enc.is_utf8() => (utf16::encoded_len(t, enc) as u64) * 2 + 13,
        _ => serial_type(v),
    }
}

/// The size in bytes of the body of a column with this serial type.
#[inline]
pub fn serial_type_len(t: u64) -> usize {
    match t {
        0 | 8 | 9 | 10 | 11 => 0,
        1 => 1,
        2 => 2,
        3 => 3,
        4 => 4,
        5 => 6,
        6 | 7 => 8,
        n => ((n - 12) / 2) as usize,
    }
}

/// Decodes one column body. `body` must hold at least the serial type's
/// length.
pub fn decode_value(t: u64, body: &[u8]) -> Result<ValueRef<'_>> {
    let n = serial_type_len(t);
    let b = body.get(..n).ok_or_else(Error::corrupt)?;
    Ok(match t {
        0 | 10 | 11 => ValueRef::Null,
        8 => ValueRef::Integer(0),
        9 => ValueRef::Integer(1),
        1..=6 => {
            let mut v: i64 = if b[0] & 0x80 != 0 { -1 } else { 0 };
            for &byte in b {
                v = (v << 8) | i64::from(byte);
            }
            ValueRef::Integer(v)
        }
        7 => {
            let mut a = [0u8; 8];
            a.copy_from_slice(b);
            let r = f64::from_be_bytes(a);
            // A NaN on disk reads as NULL, as in SQLite.
            if r.is_nan() {
                ValueRef::Null
            } else {
                ValueRef::Real(r)
            }
        }
        n if n % 2 == 0 => ValueRef::Blob(b),
        _ => ValueRef::Text(b),
    })
}

fn put_body(out: &mut Vec<u8>, v: ValueRef<'_>, t: u64, enc: TextEncoding) {
    match v {
        ValueRef::Text(s) if !enc.is_utf8() => utf16::encode_text(s, enc, out),
        ValueRef::Null => {}
        ValueRef::Integer(i) => {
            let n = serial_type_len(t);
            let bytes = i.to_be_bytes();
            out.extend_from_slice(&bytes[8 - n..]);
        }
        ValueRef::Real(r) => out.extend_from_slice(&r.to_be_bytes()),
        ValueRef::Text(s) | ValueRef::Blob(s) => out.extend_from_slice(s),
    }
}

/// Encodes values as a record (OP_MakeRecord) for a UTF-8 database.
pub fn encode<'a, I>(values: I) -> Vec<u8>
where
    I: IntoIterator<Item = ValueRef<'a>> + Clone,
{
    let mut out = Vec::new();
    encode_into(values, &mut out, TextEncoding::Utf8);
    out
}

/// Encodes values (text in UTF-8) as a record of a database of encoding
/// `enc` into `out` (cleared first), reusing its allocation.
pub fn encode_into<'a, I>(values: I, out: &mut Vec<u8>, enc: TextEncoding)
where
    I: IntoIterator<Item = ValueRef<'a>> + Clone,
{
    out.clear();
    let mut hdr_len = 0usize;
    let mut body_len = 0usize;
    for v in values.clone() {
        let t = serial_type_in(v, enc);
        hdr_len += varint_len(t);
        body_len += serial_type_len(t);
    }
    // The header size counts its own varint.
    let total_hdr = if hdr_len <= 126 {
        hdr_len + 1
    } else {
        let n = varint_len(hdr_len as u64);
        let t = hdr_len + n;
        if n < varint_len(t as u64) {
            t + 1
        } else {
            t
        }
    };
    out.reserve(total_hdr + body_len);
    put_varint(out, total_hdr as u64);
    for v in values.clone() {
        put_varint(out, serial_type_in(v, enc));
    }
    for v in values {
        put_body(out, v, serial_type(v), enc);
    }
}

/// Encodes owned values as a record of a UTF-8 database.
pub fn encode_values(values: &[Value]) -> Vec<u8> {
    encode(values.iter().map(Value::as_ref))
}

/// Encodes owned values as a record of a database of encoding `enc`.
pub fn encode_values_in(values: &[Value], enc: TextEncoding) -> Vec<u8> {
    let mut out = Vec::new();
    encode_into(values.iter().map(Value::as_ref), &mut out, enc);
    out
}

/// A parsed record header: the serial type and body offset of each column.
#[derive(Default, Clone, Debug)]
pub struct Header {
    pub columns: Vec<(u64, u32)>,
}

impl Header {
    /// Parses the header of `payload`, at most `max_cols` columns.
    pub fn parse_into(&mut self, payload: &[u8], max_cols: usize) -> Result<()> {
        self.columns.clear();
        if payload.is_empty() {
            return Ok(());
        }
        let (hdr_size, mut pos) = get_varint(payload).ok_or_else(Error::corrupt)?;
        let hdr_size = hdr_size as usize;
        if hdr_size > payload.len() || hdr_size < pos {
            return Err(Error::corrupt());
        }
        let mut offset = hdr_size;
        while pos < hdr_size && self.columns.len() < max_cols {
            // Serial types below 128 (all but long text and blobs) are one
            // byte: the common case skips the varint loop.
            let t = match payload[pos] {
                b if b < 0x80 => {
                    pos += 1;
                    u64::from(b)
                }
                _ => {
                    let (t, n) = get_varint(&payload[pos..hdr_size]).ok_or_else(Error::corrupt)?;
                    pos += n;
                    t
                }
            };
            // A column starting past the payload's end is corrupt; checked
            // here so that huge serial types cannot overflow the offsets.
            if offset > payload.len() {
                return Err(Error::corrupt());
            }
            self.columns.push((t, offset as u32));
            offset = offset.checked_add(serial_type_len(t)).ok_or_else(Error::corrupt)?;
        }
        if offset > payload.len() && self.columns.len() < max_cols {
            return Err(Error::corrupt());
        }
        Ok(())
    }

    /// Column `i` of `payload` as an engine value: text translated from
    /// `enc` to UTF-8 (a UTF-8 database's bytes are copied as they are).
    pub fn value(&self, payload: &[u8], i: usize, enc: TextEncoding) -> Result<Value> {
        Ok(owned_in(self.column(payload, i)?, enc))
    }

    pub fn parse(payload: &[u8]) -> Result<Header> {
        let mut h = Header::default();
        h.parse_into(payload, usize::MAX)?;
        Ok(h)
    }

    pub fn len(&self) -> usize {
        self.columns.len()
    }

    pub fn is_empty(&self) -> bool {
        self.columns.is_empty()
    }

    /// Column `i` of `payload`, or NULL past the last column (a row written
    /// before ALTER TABLE ADD COLUMN has fewer columns).
    pub fn column<'p>(&self, payload: &'p [u8], i: usize) -> Result<ValueRef<'p>> {
        match self.columns.get(i) {
            None => Ok(ValueRef::Null),
            Some(&(t, off)) => {
                let body = payload.get(off as usize..).ok_or_else(Error::corrupt)?;
                decode_value(t, body)
            }
        }
    }
}

/// A stored value as an engine value, its text translated from `enc`.
pub fn owned_in(v: ValueRef<'_>, enc: TextEncoding) -> Value {
    match v {
        ValueRef::Text(t) if !enc.is_utf8() => Value::Text(utf16::to_utf8(t, enc)),
        v => v.to_owned(),
    }
}

/// Decodes every column of a record of a UTF-8 database.
pub fn decode_all(payload: &[u8]) -> Result<Vec<Value>> {
    decode_all_in(payload, TextEncoding::Utf8)
}

/// Decodes every column of a record of a database of encoding `enc`.
pub fn decode_all_in(payload: &[u8], enc: TextEncoding) -> Result<Vec<Value>> {
    let h = Header::parse(payload)?;
    (0..h.len()).map(|i| h.value(payload, i, enc)).collect()
}

/// How the fields of an index key compare: one collation and direction per
/// field; fields past the end compare BINARY ascending. `enc` is the text
/// encoding of the records compared (the database's).
#[derive(Clone, Debug, Default)]
pub struct KeyInfo {
    pub fields: Vec<(CollSeq, bool)>,
    pub enc: TextEncoding,
    /// For the B-tree of a WITHOUT ROWID table, or an index of one: where
    /// its records hold the PRIMARY KEY (see `WithoutRowid`).
    pub without_rowid: Option<std::sync::Arc<WithoutRowid>>,
}

/// How the records of a WITHOUT ROWID table's B-tree, or of one of its
/// indexes, hold the row's PRIMARY KEY. Such a row has no rowid: what
/// stands for it (the VDBE's "rowid" of the row, which OP_Rowid, OP_IdxRowid
/// and OP_SeekRowid pass around) is a record of its PRIMARY KEY values,
/// in PRIMARY KEY order.
#[derive(Clone, Debug, Default)]
pub struct WithoutRowid {
    /// True for the table's own B-tree: the first `pk_fields.len()` fields
    /// are the key (no two entries share them) and `columns` maps each
    /// column as a rowid table's record would number it to the field that
    /// holds it.
    pub table: bool,
    pub columns: Vec<usize>,
    /// The fields holding the PRIMARY KEY columns, in PRIMARY KEY order.
    pub pk_fields: Vec<usize>,
}

impl KeyInfo {
    pub fn new(fields: Vec<(CollSeq, bool)>) -> KeyInfo {
        KeyInfo { fields, enc: TextEncoding::Utf8, without_rowid: None }
    }

    /// This key's comparison for records stored in encoding `enc`.
    pub fn with_encoding(self: &std::sync::Arc<KeyInfo>, enc: TextEncoding) -> std::sync::Arc<KeyInfo> {
        if self.enc == enc {
            self.clone()
        } else {
            std::sync::Arc::new(KeyInfo { fields: self.fields.clone(), enc, without_rowid: self.without_rowid.clone() })
        }
    }

    /// All fields BINARY ascending.
    pub fn binary() -> KeyInfo {
        KeyInfo::default()
    }

    #[inline]
    fn field(&self, i: usize) -> (&CollSeq, bool) {
        static BINARY: CollSeq = CollSeq::Binary;
        match self.fields.get(i) {
            Some((c, d)) => (c, *d),
            None => (&BINARY, false),
        }
    }
}

/// Walks the fields of a record in order without collecting its header:
/// comparisons stop at the first field that differs and allocate nothing.
struct Fields<'a> {
    rec: &'a [u8],
    pos: usize,
    hdr_size: usize,
    offset: usize,
}

impl<'a> Fields<'a> {
    fn new(rec: &'a [u8]) -> Result<Fields<'a>> {
        if rec.is_empty() {
            return Ok(Fields { rec, pos: 0, hdr_size: 0, offset: 0 });
        }
        let (hdr_size, pos) = get_varint(rec).ok_or_else(Error::corrupt)?;
        let hdr_size = hdr_size as usize;
        if hdr_size > rec.len() || hdr_size < pos {
            return Err(Error::corrupt());
        }
        Ok(Fields { rec, pos, hdr_size, offset: hdr_size })
    }

    /// The next field, None after the last.
    #[inline]
    fn next_field(&mut self) -> Result<Option<ValueRef<'a>>> {
        if self.pos >= self.hdr_size {
            return Ok(None);
        }
        let t = match self.rec[self.pos] {
            b if b < 0x80 => {
                self.pos += 1;
                u64::from(b)
            }
            _ => {
                let (t, n) = get_varint(&self.rec[self.pos..self.hdr_size]).ok_or_else(Error::corrupt)?;
                self.pos += n;
                t
            }
        };
        let body = self.rec.get(self.offset..).ok_or_else(Error::corrupt)?;
        let v = decode_value(t, body)?;
        self.offset = self.offset.checked_add(serial_type_len(t)).ok_or_else(Error::corrupt)?;
        Ok(Some(v))
    }
}

/// Field `i` of a record, None past its last field: for one column of a
/// transient record, without collecting the header.
pub fn field(rec: &[u8], i: usize) -> Result<Option<ValueRef<'_>>> {
    let mut f = Fields::new(rec)?;
    for _ in 0..i {
        if f.pos >= f.hdr_size {
            return Ok(None);
        }
        let (t, n) = get_varint(&f.rec[f.pos..f.hdr_size]).ok_or_else(Error::corrupt)?;
        f.pos += n;
        f.offset = f.offset.checked_add(serial_type_len(t)).ok_or_else(Error::corrupt)?;
    }
    f.next_field()
}

/// Compares two records field by field over the fields both have; when all
/// common fields are equal, the one with fewer fields sorts first.
pub fn compare_records(a: &[u8], b: &[u8], key: &KeyInfo) -> Result<Ordering> {
    let (mut fa, mut fb) = (Fields::new(a)?, Fields::new(b)?);
    let mut i = 0;
    loop {
        match (fa.next_field()?, fb.next_field()?) {
            (Some(x), Some(y)) => {
                let (coll, desc) = key.field(i);
                let o = compare_stored(x, y, coll, key.enc);
                if o != Ordering::Equal {
                    return Ok(if desc { o.reverse() } else { o });
                }
            }
            (Some(_), None) => return Ok(Ordering::Greater),
            (None, Some(_)) => return Ok(Ordering::Less),
            (None, None) => return Ok(Ordering::Equal),
        }
        i += 1;
    }
}

/// Compares the first `n` fields of two records (fewer when a record is
/// shorter); later fields do not matter. The sorter orders by its key
/// fields only, so equal keys keep the order rows arrived in.
pub fn compare_prefix(a: &[u8], b: &[u8], key: &KeyInfo, n: usize) -> Result<Ordering> {
    let (mut fa, mut fb) = (Fields::new(a)?, Fields::new(b)?);
    for i in 0..n {
        let (Some(x), Some(y)) = (fa.next_field()?, fb.next_field()?) else { break };
        let (coll, desc) = key.field(i);
        let o = compare_stored(x, y, coll, key.enc);
        if o != Ordering::Equal {
            return Ok(if desc { o.reverse() } else { o });
        }
    }
    Ok(Ordering::Equal)
}

/// The first of the leading `n` fields in which two records differ under
/// `key`'s collations (NULL equal to NULL), or `n` when they agree on all
/// of them (or one record ends first).
pub fn first_difference(a: &[u8], b: &[u8], key: &KeyInfo, n: usize) -> Result<usize> {
    let ha = Header::parse(a)?;
    let hb = Header::parse(b)?;
    let m = ha.len().min(hb.len()).min(n);
    for i in 0..m {
        let (coll, _) = key.field(i);
        if compare_stored(ha.column(a, i)?, hb.column(b, i)?, coll, key.enc) != Ordering::Equal {
            return Ok(i);
        }
    }
    Ok(n)
}

/// Compares two values stored in encoding `enc`: BINARY text by its stored
/// bytes, other collations on the text translated to UTF-8 (lazily for
/// NOCASE; into buffers for RTRIM and application collations).
#[inline]
fn compare_stored(a: ValueRef<'_>, b: ValueRef<'_>, coll: &CollSeq, enc: TextEncoding) -> Ordering {
    match (a, b) {
        (ValueRef::Text(x), ValueRef::Text(y)) if !enc.is_utf8() && !coll.is_binary() => coll
            .compare_streams(utf16::utf8_bytes(x, enc), utf16::utf8_bytes(y, enc))
            .unwrap_or_else(|| coll.compare(&utf16::to_utf8(x, enc), &utf16::to_utf8(y, enc))),
        _ => a.compare(&b, coll),
    }
}

/// Compares a stored record with a probe key of values, over the probe's
/// fields only: Equal means the record starts with the probe (the caller
/// decides how a prefix match orders, as SQLite's default_rc does).
pub fn compare_with_values(stored: &[u8], probe: &[Value], key: &KeyInfo) -> Result<Ordering> {
    let (hdr_size, mut pos) = get_varint(stored).ok_or_else(Error::corrupt)?;
    let hdr_size = hdr_size as usize;
    if hdr_size > stored.len() || hdr_size < pos {
        return Err(Error::corrupt());
    }
    let mut offset = hdr_size;
    for (i, p) in probe.iter().enumerate() {
        if pos >= hdr_size {
            // The stored key is shorter than the probe: it sorts first.
            return Ok(Ordering::Less);
        }
        let (t, n) = get_varint(&stored[pos..hdr_size]).ok_or_else(Error::corrupt)?;
        pos += n;
        let body = stored.get(offset..).ok_or_else(Error::corrupt)?;
        let v = decode_value(t, body)?;
        offset = offset.checked_add(serial_type_len(t)).ok_or_else(Error::corrupt)?;
        let (coll, desc) = key.field(i);
        let o = match (v, p) {
            (ValueRef::Text(x), Value::Text(y)) if !key.enc.is_utf8() => {
                if coll.is_binary() {
                    utf16::compare_stored_with_utf8(x, y, key.enc)
                } else {
                    coll.compare_streams(utf16::utf8_bytes(x, key.enc), y.iter().copied())
                        .unwrap_or_else(|| coll.compare(&utf16::to_utf8(x, key.enc), y))
                }
            }
            _ => v.compare(&p.as_ref(), coll),
        };
        if o != Ordering::Equal {
            return Ok(if desc { o.reverse() } else { o });
        }
    }
    Ok(Ordering::Equal)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_round_trip() {
        for &v in &[0u64, 1, 127, 128, 240, 2287, 16383, 16384, 1 << 35, 0x00ff_ffff_ffff_ffff, u64::MAX, 1 << 56] {
            let mut b = Vec::new();
            put_varint(&mut b, v);
            assert_eq!(b.len(), varint_len(v), "len of {v}");
            assert_eq!(get_varint(&b), Some((v, b.len())), "value {v}");
        }
        assert_eq!(get_varint(&[0x81]), None);
    }

    /// Found by the `record` fuzz target: serial types near 2^64 made the
    /// column offsets overflow (a panic in checked builds, wrapped offsets
    /// otherwise).
    #[test]
    fn huge_serial_types_are_corrupt_not_overflow() {
        // Header of 20 bytes: two 9-byte varints of serial type ~2^64.
        let mut rec = vec![20u8];
        for _ in 0..2 {
            rec.extend_from_slice(&[0xff; 8]);
            rec.push(0xfd);
        }
        rec.push(1);
        rec.extend_from_slice(&[0u8; 8]);
        assert_eq!(Header::parse(&rec).unwrap_err().primary_code(), crate::error::code::CORRUPT);
        assert!(decode_all(&rec).is_err());
        let probe = [Value::Integer(1), Value::Integer(2), Value::Integer(3)];
        assert!(compare_with_values(&rec, &probe, &KeyInfo::binary()).is_err());
        // Even when only the first column is wanted, nothing overflows.
        let mut h = Header::default();
        let _ = h.parse_into(&rec, 1);
    }

    #[test]
    fn records_round_trip_every_serial_type() {
        let vals = vec![
            Value::Null,
            Value::Integer(0),
            Value::Integer(1),
            Value::Integer(-1),
            Value::Integer(200),
            Value::Integer(-40000),
            Value::Integer(8_000_000),
            Value::Integer(-2_000_000_000),
            Value::Integer(1 << 40),
            Value::Integer(i64::MIN),
            Value::Real(3.5),
            Value::text("hello"),
            Value::Blob(vec![1, 2, 3]),
            Value::Text(vec![b'x'; 300]),
        ];
        let rec = encode_values(&vals);
        assert_eq!(decode_all(&rec).unwrap(), vals);
        let wide: Vec<Value> = (0..200).map(Value::Integer).collect();
        assert_eq!(decode_all(&encode_values(&wide)).unwrap(), wide);
    }

    #[test]
    fn matches_sqlite_encoding_of_a_small_row() {
        // SQLite encodes (1, 'a', NULL) as header 04 09 0f 00 then 'a'.
        let rec = encode_values(&[Value::Integer(1), Value::text("a"), Value::Null]);
        assert_eq!(rec, vec![4, 9, 15, 0, b'a']);
    }

    #[test]
    fn malformed_records_are_corrupt_not_panics() {
        for bad in [&[0x85u8][..], &[2, 0x20], &[3, 7, 1, 0], &[0xff; 12]] {
            let r = decode_all(bad);
            assert!(r.is_err() || r.is_ok());
        }
        assert!(decode_all(&[3, 7, 1]).is_err());
    }

    #[test]
    fn utf16_records_store_and_compare_the_encoded_text() {
        let le = TextEncoding::Utf16le;
        let vals = [Value::text("aĀ"), Value::Integer(7)];
        let mut rec = Vec::new();
        encode_into(vals.iter().map(Value::as_ref), &mut rec, le);
        // Header 03, text of 4 bytes (serial type 21), integer 1 byte; body.
        assert_eq!(rec, vec![3, 21, 1, 0x61, 0, 0, 1, 7]);
        assert_eq!(decode_all_in(&rec, le).unwrap(), vals);
        let key = |s: &str| encode_values_in(&[Value::text(s)], le);
        let binary = KeyInfo { fields: vec![], enc: le, without_rowid: None };
        let nocase = KeyInfo { fields: vec![(CollSeq::NoCase, false)], enc: le, without_rowid: None };
        // BINARY is memcmp of the UTF-16le bytes: U+0100 (00 01) < 'a' (61 00).
        assert_eq!(compare_records(&key("Ā"), &key("a"), &binary).unwrap(), Ordering::Less);
        assert_eq!(compare_records(&key("ABC"), &key("abc"), &nocase).unwrap(), Ordering::Equal);
        assert_eq!(compare_with_values(&key("Ā"), &[Value::text("a")], &binary).unwrap(), Ordering::Less);
        assert_eq!(compare_with_values(&key("Ab"), &[Value::text("aB")], &nocase).unwrap(), Ordering::Equal);
        assert_eq!(compare_with_values(&key("😀"), &[Value::text("\u{e000}")], &binary).unwrap(), Ordering::Greater);
        // In UTF-16be a surrogate pair (D8..) sorts before U+E000 (E0 00).
        let be = TextEncoding::Utf16be;
        let stored = encode_values_in(&[Value::text("😀")], be);
        let binary_be = KeyInfo { fields: vec![], enc: be, without_rowid: None };
        assert_eq!(compare_with_values(&stored, &[Value::text("\u{e000}")], &binary_be).unwrap(), Ordering::Less);
    }

    #[test]
    fn key_comparison_honours_collation_and_direction() {
        let a = encode_values(&[Value::text("ABC"), Value::Integer(1)]);
        let b = encode_values(&[Value::text("abc"), Value::Integer(2)]);
        let nocase = KeyInfo::new(vec![(CollSeq::NoCase, false), (CollSeq::Binary, true)]);
        assert_eq!(compare_records(&a, &b, &nocase).unwrap(), Ordering::Greater);
        assert_eq!(compare_records(&a, &b, &KeyInfo::binary()).unwrap(), Ordering::Less);
        assert_eq!(compare_with_values(&a, &[Value::text("abc")], &nocase).unwrap(), Ordering::Equal);
    }
}
