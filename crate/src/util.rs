//! Small helpers that keep the wasm small.

use std::cmp::Ordering;

/// Stable sort of `v` by `cmp`, like `slice::sort_by`, through one shared
/// instantiation of the standard sort (on indices) instead of one per element
/// type and comparator: each of those costs ~4 KB of wasm.
pub fn sort_stable_by<T>(v: &mut Vec<T>, cmp: impl Fn(&T, &T) -> Ordering) {
    let order = stable_order(v.len(), &|a, b| cmp(&v[a], &v[b]));
    let mut old: Vec<Option<T>> = v.drain(..).map(Some).collect();
    v.extend(order.into_iter().filter_map(|i| old[i].take()));
}

/// Positions `0..n` in `cmp` order, equal ones in position order.
#[inline(never)]
pub fn stable_order(n: usize, cmp: &dyn Fn(usize, usize) -> Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| cmp(a, b));
    order
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
