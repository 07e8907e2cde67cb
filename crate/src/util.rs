//! Small helpers that keep the wasm small.

use std::cmp::Ordering;

/// Stable sort of `v` by `cmp`, like `slice::sort_by`, through one shared
/// instantiation of the standard sort (on indices) instead of one per element
/// type and comparator: each of those costs ~4 KB of wasm.
pub fn sort_stable_by<T>(v: &mut Vec<T>, cmp: impl Fn(&T, &T) -> Ordering) {
    let mut order = stable_order(v.len(), &|a, b| cmp(&v[a], &v[b]));
    // Position k takes the element at order[k]: follow each cycle of the
    // permutation with swaps (the only per-type code is `swap`).
    for start in 0..order.len() {
        let mut cur = start;
        while order[cur] != usize::MAX {
            let next = order[cur];
            order[cur] = usize::MAX;
            if next != start {
                v.swap(cur, next);
            }
            cur = next;
        }
    }
}

/// Positions `0..n` in `cmp` order, equal ones in position order.
#[inline(never)]
pub fn stable_order(n: usize, cmp: &dyn Fn(usize, usize) -> Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| cmp(a, b));
    order
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_as_std_stable_sort() {
        let mut x: u64 = 7;
        for n in [0usize, 1, 2, 3, 17, 100, 1000] {
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
