//! Fuzz target `page`: arbitrary bytes as one B-tree page.
//!
//! Input layout: byte 0 picks the page size (512, 1024, 4096), the page
//! number (1, whose B-tree header sits after the 100-byte file header, or
//! 2) and some reserved bytes; the rest is the page (zero-padded). The page
//! header, the cell pointer array, every cell and the freeblock chain are
//! decoded; then a cell is removed and one inserted as the B-tree layer
//! does, and the page is rebuilt from its cells. Any failure must be
//! SQLITE_CORRUPT — never a panic, an endless freeblock walk or a write
//! outside the page.

#![no_main]

use libfuzzer_sys::fuzz_target;

use ferrolite::btree::page;
use ferrolite::error::code;

fn must_be_corrupt(e: ferrolite::Error) {
    assert_eq!(e.primary_code(), code::CORRUPT, "unexpected error {e:?}");
}

fuzz_target!(|data: &[u8]| {
    if data.is_empty() {
        return;
    }
    let sel = data[0];
    let page_size = [512usize, 1024, 4096, 512][(sel & 3) as usize];
    let pgno = if sel & 4 != 0 { 1 } else { 2 };
    let reserved = [0usize, 8, 32, 0][((sel >> 3) & 3) as usize];
    let usable = page_size - reserved;
    let mut buf = vec![0u8; page_size];
    let body = &data[1..];
    let n = body.len().min(page_size);
    buf[..n].copy_from_slice(&body[..n]);

    let info = match page::parse(&buf, pgno, usable) {
        Ok(i) => i,
        Err(e) => return must_be_corrupt(e),
    };
    let mut sizes = Vec::new();
    for i in 0..info.ncell {
        let c = info.cell_ptr(&buf, i).and_then(|off| page::parse_cell(&buf, off, &info).map(|c| (off, c)));
        match c {
            Ok((off, c)) => {
                assert!(off + c.size <= usable);
                assert!(c.payload_off + c.local <= usable);
                sizes.push(Some(c.size));
            }
            Err(e) => {
                must_be_corrupt(e);
                sizes.push(None);
            }
        }
        if !info.leaf {
            if let Err(e) = info.child(&buf, i) {
                must_be_corrupt(e);
            }
        }
    }
    let free = page::free_space(&buf, &info);
    match &free {
        Ok(f) => assert!(*f <= usable),
        Err(e) => must_be_corrupt(e.clone()),
    }
    let cells = page::read_cells(&buf, &info);

    // Remove a cell the way the B-tree layer does (only on pages whose
    // free space adds up, as the B-tree checks before writing).
    if free.is_ok() && info.ncell > 0 {
        let idx = (sel as usize >> 5) % info.ncell;
        if let Some(size) = sizes[idx] {
            let mut w = buf.clone();
            match page::remove_cell(&mut w, &info, idx, size) {
                Ok(()) => {
                    if let Ok(i2) = page::parse(&w, pgno, usable) {
                        let _ = page::free_space(&w, &i2);
                    }
                }
                Err(e) => must_be_corrupt(e),
            }
        }
    }
    // Insert a small cell into the gap.
    if free.is_ok() {
        let mut w = buf.clone();
        let cell: &[u8] = if info.leaf { &[2, 7, 1, 0] } else { &[0, 0, 0, 2, 7] };
        if let Err(e) = page::insert_in_gap(&mut w, &info, info.ncell / 2, cell) {
            must_be_corrupt(e);
        }
    }
    // Rebuild from the cells read: the result parses back to the same cells.
    if let Ok(cells) = cells {
        let mut w = vec![0u8; page_size];
        if page::build(&mut w, pgno, usable, info.kind, &cells, info.right).is_ok() {
            let i2 = page::parse(&w, pgno, usable).expect("rebuilt page parses");
            let again = page::read_cells(&w, &i2).expect("rebuilt cells parse");
            assert_eq!(again, cells);
            assert!(page::free_space(&w, &i2).is_ok());
        }
    }
});
