//! Small helpers that keep the wasm small.

use std::cmp::Ordering;

/// Stable sort of `v` by `cmp`, like `slice::sort_by`, through one shared
/// instantiation of the standard sort (on indices) instead of one per element
/// type and comparator: each of those costs ~4 KB of wasm.
pub fn sort_stable_by<T>(v: &mut Vec<T>, cmp: impl Fn(&T, &T) -> Ordering) {
    let order = stable_order(v.len(), &|a, b| cmp(&v[a], &v[b]));
    for (a, b) in swaps(&order) {
        v.swap(a, b);
    }
}

/// The swaps that move item `order[i]` to position `i`, cycle by cycle (the
/// element-type-specific part of a sort is then only `swap`).
#[inline(never)]
fn swaps(order: &[usize]) -> Vec<(usize, usize)> {
    let mut done = vec![false; order.len()];
    let mut out = Vec::new();
    for start in 0..order.len() {
        let mut j = start;
        while !done[j] {
            done[j] = true;
            let k = order[j];
            if k == start {
                break;
            }
            // position j gets the item at k (k is later in this cycle, untouched)
            out.push((j, k));
            j = k;
        }
    }
    out
}

/// Positions `0..n` in `cmp` order, equal ones in position order: a
/// bottom-up merge sort (~0.3 KB of wasm instead of the standard sort's ~4 KB;
/// runs already in order are copied with one comparison).
#[inline(never)]
pub fn stable_order(n: usize, cmp: &dyn Fn(usize, usize) -> Ordering) -> Vec<usize> {
    let mut a: Vec<usize> = (0..n).collect();
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
}

impl<T> std::ops::Index<&str> for Keyed<T> {
    type Output = T;
    fn index(&self, key: &str) -> &T {
        self.get(key).expect("no entry for key")
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

#[cfg(test)]
mod tests {
    use super::*;

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
