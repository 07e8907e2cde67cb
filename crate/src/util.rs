//! Small helpers that keep the wasm small.

use std::cmp::Ordering;

/// Stable sort of `v` by `cmp`, like `slice::sort_by`, through one shared
/// instantiation of the standard sort (on indices) instead of one per element
/// type and comparator: each of those costs ~4 KB of wasm.
pub fn sort_stable_by<T>(v: &mut Vec<T>, cmp: impl Fn(&T, &T) -> Ordering) {
    let order = stable_order(v.len(), &|a, b| cmp(&v[a], &v[b]));
    swaps(&order, &mut |a, b| v.swap(a, b));
}

/// The swaps that move item `order[i]` to position `i`, cycle by cycle (the
/// element-type-specific part of a sort is then only `swap`, through `out`).
#[inline(never)]
fn swaps(order: &[usize], out: &mut dyn FnMut(usize, usize)) {
    let mut done = vec![false; order.len()];
    for start in 0..order.len() {
        let mut j = start;
        while !done[j] {
            done[j] = true;
            let k = order[j];
            if k == start {
                break;
            }
            // position j gets the item at k (k is later in this cycle, untouched)
            out(j, k);
            j = k;
        }
    }
}

/// Positions `0..n` in `cmp` order, equal ones in position order: a
/// bottom-up merge sort (~0.3 KB of wasm instead of the standard sort's ~4 KB;
/// runs already in order are copied with one comparison).
#[inline(never)]
pub fn stable_order(n: usize, cmp: &dyn Fn(usize, usize) -> Ordering) -> Vec<usize> {
    let mut a: Vec<usize> = Vec::with_capacity(n);
    for i in 0..n {
        a.push(i);
    }
    let mut b = vec![0usize; n];
    let mut width = 1;
    while width < n {
        let mut lo = 0;
        while lo < n {
            let mid = (lo + width).min(n);
            let hi = (mid + width).min(n);
            let (mut i, mut j) = (lo, mid);
            let sorted = mid == hi || cmp(a[mid - 1], a[mid]) != Ordering::Greater;
            for slot in &mut b[lo..hi] {
                // the left one unless the right one is strictly smaller (stable)
                if i < mid && (sorted || j >= hi || cmp(a[i], a[j]) != Ordering::Greater) {
                    *slot = a[i];
                    i += 1;
                } else {
                    *slot = a[j];
                    j += 1;
                }
            }
            lo = hi;
        }
        std::mem::swap(&mut a, &mut b);
        width *= 2;
    }
    a
}

/// Sort positions ascending (as `sort_unstable`) through the same shared sort.
pub fn sort_positions(v: &mut Vec<usize>) {
    sort_stable_by(v, |a, b| a.cmp(b));
}

/// Positions of `keys` in key order, equal keys in position order: with
/// `first_at`, a "first element with this key" lookup in O(log n) without a
/// map type per key and value (each costs several KB of wasm).
#[inline(never)]
pub fn index_u32(keys: &[u32]) -> Vec<usize> {
    stable_order(keys.len(), &|a, b| keys[a].cmp(&keys[b]))
}

/// The first position (in `keys`) holding `key`, using `index_u32(keys)`.
#[inline(never)]
pub fn first_at(keys: &[u32], index: &[usize], key: u32) -> Option<usize> {
    let i = index.partition_point(|&p| keys[p] < key);
    index.get(i).copied().filter(|&p| keys[p] == key)
}

/// A string-keyed map as a vector sorted by key: the same sorted JSON object
/// and lookups as a `BTreeMap<String, T>`, without the B-tree's node code in
/// the wasm (~12 KB for one key/value pair of types). For small maps (the
/// stored per-account data holds at most 20).
#[derive(Debug, Clone, PartialEq)]
pub struct Keyed<T>(Vec<(String, T)>);

impl<T> Default for Keyed<T> {
    fn default() -> Self {
        Keyed(Vec::new())
    }
}

impl<T> Keyed<T> {
    fn find(&self, key: &str) -> Result<usize, usize> {
        self.0.binary_search_by(|(k, _)| k.as_str().cmp(key))
    }
    pub fn get(&self, key: &str) -> Option<&T> {
        self.find(key).ok().map(|i| &self.0[i].1)
    }
    /// Insert or replace (as `BTreeMap::insert`).
    pub fn insert(&mut self, key: String, value: T) {
        match self.find(&key) {
            Ok(i) => self.0[i].1 = value,
            Err(i) => self.0.insert(i, (key, value)),
        }
    }
    pub fn remove(&mut self, key: &str) -> Option<T> {
        self.find(key).ok().map(|i| self.0.remove(i).1)
    }
    /// Remove the entry with the smallest key.
    pub fn pop_first(&mut self) -> Option<(String, T)> {
        if self.0.is_empty() {
            None
        } else {
            Some(self.0.remove(0))
        }
    }
    pub fn len(&self) -> usize {
        self.0.len()
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    /// Entries in key order.
    pub fn iter(&self) -> impl Iterator<Item = (&String, &T)> {
        self.0.iter().map(|(k, v)| (k, v))
    }
    /// Values in key order, to change in place.
    pub fn values_mut(&mut self) -> impl Iterator<Item = &mut T> {
        self.0.iter_mut().map(|(_, v)| v)
    }
}

impl<T> std::ops::Index<&str> for Keyed<T> {
    type Output = T;
    fn index(&self, key: &str) -> &T {
        self.get(key).expect("no entry for key")
    }
}

/// `n` in `radix` (2-16, lower-case digits) appended to `out`: the one number
/// writer of the core (JSON integers, IPv4 octets, IPv6 groups) instead of
/// `core::fmt`.
pub fn push_digits(out: &mut String, mut n: u64, radix: u32) {
    let radix = u64::from(radix.clamp(2, 16));
    let mut buf = [0u8; 64];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b"0123456789abcdef"[(n % radix) as usize];
        n /= radix;
        if n == 0 {
            break;
        }
    }
    for &b in &buf[i..] {
        out.push(b as char);
    }
}

/// `&s[a..b]` without the panicking path: a failed `str` slice formats its
/// message through `char as Debug` and the Unicode printable tables (~5 KB of
/// wasm). Callers pass char boundaries; if one ever did not, the result is ""
/// instead of a panic.
pub fn str_sub(s: &str, a: usize, b: usize) -> &str {
    s.get(a..b).unwrap_or_default()
}

/// `&s[a..]`, "" when `a` is not a char boundary of `s` (see `str_sub`).
pub fn str_from(s: &str, a: usize) -> &str {
    s.get(a..).unwrap_or_default()
}

/// `&s[..b]`, "" when `b` is not a char boundary of `s` (see `str_sub`).
pub fn str_to(s: &str, b: usize) -> &str {
    s.get(..b).unwrap_or_default()
}

/// Byte index of the first `needle` in `hay` (`str::find` with a `&str`
/// pattern). One plain loop instead of std's two-way searcher, which each
/// pattern type instantiates; needles here are short words.
pub fn find(hay: &str, needle: &str) -> Option<usize> {
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    (0..=h.len().checked_sub(n.len())?).find(|&i| h[i..].starts_with(n))
}

/// `s.replace(from, to)` for single chars (one small loop instead of std's
/// generic `replace` with its pattern searcher).
pub fn swap_char(s: &str, from: char, to: char) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        out.push(if c == from { to } else { c });
    }
    out
}

/// A non-negative integer as decimal text (`n.to_string()` without the
/// `ToString`/`Display` instances of each integer type).
#[inline(never)]
pub fn num(n: u64) -> String {
    let mut s = String::new();
    push_digits(&mut s, n, 10);
    s
}

/// `s.chars().filter(f).count()` through one shared loop (not one
/// Filter/fold instance per closure).
#[inline(never)]
pub fn count_chars_where(s: &str, f: fn(char) -> bool) -> usize {
    let mut n = 0;
    for c in s.chars() {
        if f(c) {
            n += 1;
        }
    }
    n
}

/// `s.chars().count()` without std's word-at-a-time counter
/// (`do_count_chars`, ~0.8 KB of wasm): the bytes that start a character.
#[inline(never)]
pub fn char_count(s: &str) -> usize {
    let mut n = 0;
    for &b in s.as_bytes() {
        if b & 0xc0 != 0x80 {
            n += 1;
        }
    }
    n
}

/// `parts.join(sep)` for `&str` and `String` parts: std's generic join
/// (`join_generic_copy`, ~1 KB of wasm) is then not in the wasm at all.
pub fn join<S: AsRef<str>>(parts: &[S], sep: &str) -> String {
    let mut out = String::new();
    for (i, p) in parts.iter().enumerate() {
        if i > 0 {
            out.push_str(sep);
        }
        out.push_str(p.as_ref());
    }
    out
}

/// Is `w` one of the words of the space-separated `list`? (Word lists as one
/// string instead of `[&str; N]`: no table of pointers in the wasm.)
pub fn in_words(list: &str, w: &str) -> bool {
    list.split(' ').any(|x| x == w)
}

/// Does any byte of `s` pass `f`? (One loop for every byte test: closures
/// would each instantiate the iterator's `try_fold`.)
pub fn any_byte(s: &str, f: fn(u8) -> bool) -> bool {
    for &b in s.as_bytes() {
        if f(b) {
            return true;
        }
    }
    false
}

/// Does every byte of `s` pass `f`? (See [`any_byte`].)
pub fn all_bytes(s: &str, f: fn(u8) -> bool) -> bool {
    for &b in s.as_bytes() {
        if !f(b) {
            return false;
        }
    }
    true
}

/// `s.split(f)` with a function pointer: one instance of std's split for every
/// predicate (each closure, `fn` item or char array would be its own).
pub fn split_with(s: &str, f: fn(char) -> bool) -> std::str::Split<'_, fn(char) -> bool> {
    s.split(f)
}

/// `s.trim_matches(f)` with a function pointer: one instance of std's trim for
/// every predicate (each closure or `fn` item would be its own).
pub fn trim_with(s: &str, f: fn(char) -> bool) -> &str {
    s.trim_matches(f)
}

/// `s.trim_start_matches(f)`, see [`trim_with`].
pub fn trim_start_with(s: &str, f: fn(char) -> bool) -> &str {
    s.trim_start_matches(f)
}

/// `s.trim_end_matches(f)`, see [`trim_with`].
pub fn trim_end_with(s: &str, f: fn(char) -> bool) -> &str {
    s.trim_end_matches(f)
}

/// `hay.contains(needle)` for a `&str` needle (see [`find`]).
pub fn has(hay: &str, needle: &str) -> bool {
    find(hay, needle).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `find` / `has` agree with `str::find` / `str::contains` (generated inputs, multi-byte text).
    #[test]
    fn find_is_str_find() {
        let mut x: u64 = 0x2545_F491_4F6C_DD1D;
        let pieces = ["a", "b", "ab", " ", "...", ".", "…", "é", "新", "\u{200f}", "Mozilla/", "://", "**", ""];
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        for _ in 0..20_000 {
            let hay: String = (0..next() % 12).map(|_| pieces[(next() % pieces.len() as u64) as usize]).collect();
            let needle: String = (0..next() % 3).map(|_| pieces[(next() % pieces.len() as u64) as usize]).collect();
            assert_eq!(find(&hay, &needle), hay.find(needle.as_str()), "{hay:?} {needle:?}");
            assert_eq!(has(&hay, &needle), hay.contains(needle.as_str()), "{hay:?} {needle:?}");
            for (from, to) in [('-', '_'), ('_', '.'), ('|', '/'), ('…', '*')] {
                assert_eq!(swap_char(&hay, from, to), hay.replace(from, &to.to_string()));
            }
            let parts: Vec<&str> = needle.split('a').collect();
            assert_eq!(join(&parts, &hay), parts.join(hay.as_str()));
        }
    }

    #[test]
    fn str_slices_match_std_on_boundaries_and_are_empty_off_them() {
        let s = "aé新b";
        for a in 0..=s.len() {
            for b in a..=s.len() {
                let want = if s.is_char_boundary(a) && s.is_char_boundary(b) { &s[a..b] } else { "" };
                assert_eq!(str_sub(s, a, b), want, "{a}..{b}");
            }
            let from = if s.is_char_boundary(a) { &s[a..] } else { "" };
            let to = if s.is_char_boundary(a) { &s[..a] } else { "" };
            assert_eq!((str_from(s, a), str_to(s, a)), (from, to), "{a}");
        }
        assert_eq!((str_sub(s, 3, 1), str_from(s, 99), str_to(s, 99)), ("", "", ""));
    }

    #[test]
    fn same_as_std_stable_sort() {
        let mut x: u64 = 7;
        for n in [0usize, 1, 2, 3, 4, 5, 7, 8, 9, 16, 17, 31, 33, 100, 1000, 1025] {
            let v: Vec<(u8, usize)> = (0..n)
                .map(|i| {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    ((x % 5) as u8, i)
                })
                .collect();
            let mut a = v.clone();
            let mut b = v.clone();
            a.sort_by(|p, q| q.0.cmp(&p.0));
            sort_stable_by(&mut b, |p, q| q.0.cmp(&p.0));
            assert_eq!(a, b);
            // Owned elements (moved by the in-place permutation, never copied or dropped twice).
            let mut c: Vec<String> = v.iter().map(|(k, i)| format!("{k}:{i}")).collect();
            let mut d = c.clone();
            c.sort_by(|p, q| p.as_bytes()[0].cmp(&q.as_bytes()[0]));
            sort_stable_by(&mut d, |p, q| p.as_bytes()[0].cmp(&q.as_bytes()[0]));
            assert_eq!(c, d);
        }
    }

    #[test]
    fn sorted_reversed_and_runs_sort_like_std() {
        for n in [0usize, 2, 5, 8, 13, 64, 100, 257] {
            for shape in 0..4 {
                let v: Vec<(usize, usize)> = (0..n)
                    .map(|i| {
                        let k = match shape {
                            0 => i / 3,
                            1 => (n - i) / 2,
                            2 => i % 7,
                            _ => (i / 10) * 3 % 11,
                        };
                        (k, i)
                    })
                    .collect();
                let mut a = v.clone();
                let mut b = v.clone();
                a.sort_by(|p, q| p.0.cmp(&q.0));
                sort_stable_by(&mut b, |p, q| p.0.cmp(&q.0));
                assert_eq!(a, b, "n {n} shape {shape}");
            }
        }
    }

    #[test]
    fn keyed_behaves_like_a_btreemap() {
        let mut k: Keyed<u32> = Keyed::default();
        let mut b = std::collections::BTreeMap::new();
        let mut x: u64 = 99;
        for step in 0..2000u32 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let key = format!("k{}", x % 40);
            match x % 3 {
                0 => assert_eq!(k.remove(&key), b.remove(&key)),
                1 => {
                    k.insert(key.clone(), step);
                    b.insert(key, step);
                }
                _ => assert_eq!(k.pop_first(), b.pop_first()),
            }
            assert_eq!(k.len(), b.len());
            assert!(k.iter().eq(b.iter()));
            assert_eq!(k.get("k7"), b.get("k7"));
        }
    }

    #[test]
    fn first_at_finds_the_first() {
        let keys = [5u32, 3, 5, 9, 3, 1];
        let idx = index_u32(&keys);
        for k in 0..12 {
            assert_eq!(first_at(&keys, &idx, k), keys.iter().position(|&x| x == k), "{k}");
        }
        assert_eq!(first_at(&[], &index_u32(&[]), 1), None);
    }
}
