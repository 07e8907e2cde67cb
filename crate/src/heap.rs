//! The wasm's global allocator, ~1 KB instead of dlmalloc's ~8 KB: blocks of
//! power-of-two sizes (8 B and up), one free list per size, carved from
//! memory the allocator grows with `memory.grow`.
//!
//! A freed block only ever serves its own size again, so the memory in use
//! is at most the high-water mark of each size: a scan repeated on the same
//! page reuses the same blocks and the memory stops growing after the first.
//! Blocks are aligned to their size up to 16 bytes, so any block of a size
//! suits every alignment Rust types have here; larger ones are refused (null).
//! Single-threaded: the wasm has one thread (no `atomics`).

use core::alloc::Layout;

/// Block sizes 2^3 … 2^(CLASSES-1) bytes.
const CLASSES: usize = 32;
const PAGE: usize = 65536;
const MAX_ALIGN: usize = 16;

/// Allocator state; `grow(pages)` adds `pages` 64 KiB pages to the memory and
/// returns the previous size in pages, or `usize::MAX` when it cannot.
pub struct Heap<G> {
    free: [usize; CLASSES],
    bump: usize,
    end: usize,
    grow: G,
}

/// The size class of a layout: log2 of its block size.
fn class(l: &Layout) -> usize {
    let n = l.size().max(l.align()).max(8);
    (usize::BITS - (n - 1).leading_zeros()) as usize
}

impl<G: FnMut(usize) -> usize> Heap<G> {
    pub const fn new(grow: G) -> Self {
        Heap { free: [0; CLASSES], bump: 0, end: 0, grow }
    }

    /// # Safety
    /// `p` is a block of class `k` no longer in use.
    unsafe fn push(&mut self, k: usize, p: usize) {
        *(p as *mut usize) = self.free[k];
        self.free[k] = p;
    }

    /// # Safety
    /// As `GlobalAlloc::alloc`.
    pub unsafe fn alloc(&mut self, l: Layout) -> *mut u8 {
        let k = class(&l);
        if k >= CLASSES || l.align() > MAX_ALIGN {
            return core::ptr::null_mut();
        }
        let head = self.free[k];
        if head != 0 {
            self.free[k] = *(head as *const usize);
            return head as *mut u8;
        }
        let size = 1usize << k;
        let align = size.min(MAX_ALIGN);
        let mut start = (self.bump + align - 1) & !(align - 1);
        if start.checked_add(size).is_none_or(|e| e > self.end) {
            let pages = (size + align).div_ceil(PAGE);
            let old = (self.grow)(pages);
            if old == usize::MAX {
                return core::ptr::null_mut();
            }
            let base = old * PAGE;
            if base != self.end {
                // Not after our last region: what was left of it is lost.
                self.bump = base;
            }
            self.end = base + pages * PAGE;
            start = (self.bump + align - 1) & !(align - 1);
        }
        // The gap left by the alignment becomes free blocks of smaller sizes.
        while self.bump < start {
            let b = self.bump;
            let mut c = 3;
            while (2usize << c) <= start - b && b % (2usize << c).min(MAX_ALIGN) == 0 {
                c += 1;
            }
            self.push(c, b);
            self.bump = b + (1 << c);
        }
        self.bump = start + size;
        start as *mut u8
    }

    /// # Safety
    /// As `GlobalAlloc::dealloc`.
    pub unsafe fn dealloc(&mut self, p: *mut u8, l: Layout) {
        self.push(class(&l), p as usize);
    }

    /// # Safety
    /// As `GlobalAlloc::realloc`.
    pub unsafe fn realloc(&mut self, p: *mut u8, l: Layout, new_size: usize) -> *mut u8 {
        let new = Layout::from_size_align_unchecked(new_size, l.align());
        if class(&new) == class(&l) {
            return p;
        }
        let q = self.alloc(new);
        if !q.is_null() {
            core::ptr::copy_nonoverlapping(p, q, l.size().min(new_size));
            self.dealloc(p, l);
        }
        q
    }
}

#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
mod global {
    use super::Heap;
    use core::alloc::{GlobalAlloc, Layout};
    use core::cell::UnsafeCell;

    fn grow(pages: usize) -> usize {
        core::arch::wasm32::memory_grow(0, pages)
    }

    pub struct Global(UnsafeCell<Heap<fn(usize) -> usize>>);

    // SAFETY: the wasm has a single thread (no `atomics` target feature).
    unsafe impl Sync for Global {}

    #[global_allocator]
    static GLOBAL: Global = Global(UnsafeCell::new(Heap::new(grow)));

    unsafe impl GlobalAlloc for Global {
        unsafe fn alloc(&self, l: Layout) -> *mut u8 {
            (*self.0.get()).alloc(l)
        }
        unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
            (*self.0.get()).dealloc(p, l)
        }
        unsafe fn realloc(&self, p: *mut u8, l: Layout, new_size: usize) -> *mut u8 {
            (*self.0.get()).realloc(p, l, new_size)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A heap over an arena of `pages` pages, `memory.grow` simulated.
    fn arena(pages: usize) -> (Vec<u8>, usize) {
        let v = vec![0u8; (pages + 1) * PAGE];
        let base = (v.as_ptr() as usize).div_ceil(PAGE) * PAGE;
        (v, base)
    }

    #[test]
    fn blocks_are_aligned_disjoint_reused_and_memory_stays_bounded() {
        let (_keep, base) = arena(512);
        let mut used = 0usize; // pages handed out
        let grow = |n: usize| {
            if used + n > 512 {
                return usize::MAX;
            }
            let old = base / PAGE + used;
            used += n;
            old
        };
        let mut h = Heap::new(grow);
        // The same workload several times: live blocks never overlap, each
        // holds its bytes, and after the first round no memory is added.
        let mut peak_after_first = 0;
        for round in 0..20 {
            let mut r: u64 = 777; // same sequence each round
            let mut live: Vec<(*mut u8, Layout, u8)> = Vec::new();
            for step in 0..3000 {
                r ^= r << 13;
                r ^= r >> 7;
                r ^= r << 17;
                if r % 3 != 0 || live.is_empty() {
                    let size = match r % 7 {
                        0 => (r >> 8) as usize % 200_000,
                        1 => 1,
                        _ => (r >> 8) as usize % 300,
                    };
                    let align = 1usize << ((r >> 40) % 5);
                    let l = Layout::from_size_align(size.max(1), align).unwrap();
                    let p = unsafe { h.alloc(l) };
                    assert!(!p.is_null());
                    assert_eq!(p as usize % align, 0);
                    let tag = step as u8;
                    unsafe { std::ptr::write_bytes(p, tag, l.size()) };
                    live.push((p, l, tag));
                } else {
                    let i = (r >> 16) as usize % live.len();
                    let (p, l, tag) = live.swap_remove(i);
                    for o in 0..l.size() {
                        assert_eq!(unsafe { *p.add(o) }, tag, "block overwritten");
                    }
                    if r % 5 == 0 {
                        // grow or shrink through realloc: the bytes move along
                        let n = (r >> 20) as usize % 5000 + 1;
                        let q = unsafe { h.realloc(p, l, n) };
                        let l2 = Layout::from_size_align(n, l.align()).unwrap();
                        for o in 0..l.size().min(n) {
                            assert_eq!(unsafe { *q.add(o) }, tag);
                        }
                        unsafe { std::ptr::write_bytes(q, tag, n) };
                        live.push((q, l2, tag));
                    } else {
                        unsafe { h.dealloc(p, l) };
                    }
                }
            }
            for (p, l, _) in live.drain(..) {
                unsafe { h.dealloc(p, l) };
            }
            if round < 2 {
                peak_after_first = h.end;
            } else {
                assert_eq!(h.end, peak_after_first, "memory grew in round {round}");
            }
        }
    }

    #[test]
    fn refuses_what_it_cannot_give() {
        let (_keep, base) = arena(2);
        let mut given = false;
        let mut h = Heap::new(|n: usize| {
            if given || n > 2 {
                usize::MAX
            } else {
                given = true;
                base / PAGE
            }
        });
        unsafe {
            assert!(h.alloc(Layout::from_size_align(64, 32).unwrap()).is_null());
            assert!(h.alloc(Layout::from_size_align(200_000, 8).unwrap()).is_null());
            let a = h.alloc(Layout::from_size_align(100, 8).unwrap());
            let b = h.alloc(Layout::from_size_align(100, 8).unwrap());
            assert!(!a.is_null() && !b.is_null() && a != b);
            h.dealloc(a, Layout::from_size_align(100, 8).unwrap());
            assert_eq!(h.alloc(Layout::from_size_align(120, 4).unwrap()), a);
        }
    }
}
