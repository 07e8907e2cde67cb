//! The user's own trust list: devices they said are theirs, and rows they
//! said are not. Stored in `chrome.storage.local` (see `storage`).
//!
//! A device is a fingerprint without versions (`DeviceInfo::fingerprint`), so
//! a browser update does not make a known laptop "new". What we have seen of
//! it — networks (/24, /48) and areas — decides how alarming a new sighting is.

use crate::device::DeviceInfo;
use crate::net;
use std::net::IpAddr;

/// Most devices / suspects / networks kept; older entries are dropped first
/// (bounded storage even on a page that shows thousands of rows).
pub const MAX_DEVICES: usize = 200;
pub const MAX_NETWORKS: usize = 50;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct TrustList {
    pub devices: Vec<TrustedDevice>,
    pub suspects: Vec<Suspect>,
}
crate::json_struct!(TrustList { devices: default, suspects: default });

#[derive(Debug, Clone, PartialEq)]
pub struct TrustedDevice {
    pub fingerprint: String,
    /// What the user calls it ("This browser", "Work laptop").
    pub label: String,
    /// Human description at the time it was trusted ("Chrome on Windows").
    pub describe: String,
    pub networks: Vec<String>,
    pub areas: Vec<String>,
    pub first_seen: i64,
    pub last_seen: i64,
    /// Trusted automatically as the browser the extension runs in.
    pub this_browser: bool,
}
crate::json_struct!(TrustedDevice { fingerprint, label, describe: default, networks: default, areas: default, first_seen, last_seen, this_browser: default });

/// A row the user marked "Not me".
#[derive(Debug, Clone, PartialEq)]
pub struct Suspect {
    pub fingerprint: String,
    /// Network prefix of the row ("192.0.2.0/24"); empty = any network.
    pub network: String,
    pub describe: String,
    pub area: String,
    pub marked_at: i64,
}
crate::json_struct!(Suspect { fingerprint, network: default, describe: default, area: default, marked_at });

/// How a sighting relates to the trust list.
#[derive(Debug, Clone, PartialEq)]
pub enum Match<'a> {
    Suspect(&'a Suspect),
    /// Known device, network or area seen before.
    Known(&'a TrustedDevice),
    /// Known device, same area, new network (dynamic IPs: not alarming).
    NewNetwork(&'a TrustedDevice),
    /// Known device, new area.
    NewArea(&'a TrustedDevice),
    Unknown,
}

pub fn area_key(area: Option<&str>) -> String {
    area.map(|a| crate::labels::normalize(a)).unwrap_or_default()
}

impl TrustList {
    pub fn find(&self, fingerprint: &str) -> Option<&TrustedDevice> {
        self.devices.iter().find(|d| d.fingerprint == fingerprint)
    }

    /// "Not me" takes precedence over trust.
    pub fn classify(&self, device: &DeviceInfo, ip: Option<&IpAddr>, area: Option<&str>) -> Match<'_> {
        let fp = device.fingerprint();
        let network = ip.map(net::network_prefix).unwrap_or_default();
        if let Some(s) = self
            .suspects
            .iter()
            .find(|s| s.fingerprint == fp && (s.network.is_empty() || s.network == network))
        {
            return Match::Suspect(s);
        }
        let Some(d) = self.find(&fp) else { return Match::Unknown };
        let area = area_key(area);
        if !network.is_empty() && d.networks.contains(&network) {
            return Match::Known(d);
        }
        if !area.is_empty() && d.areas.contains(&area) {
            return Match::NewNetwork(d);
        }
        if area.is_empty() && network.is_empty() {
            return Match::Known(d);
        }
        Match::NewArea(d)
    }

    /// Trust a device (or add a sighting to a trusted one).
    pub fn trust(&mut self, device: &DeviceInfo, label: &str, ip: Option<&IpAddr>, area: Option<&str>, now: i64, this_browser: bool) {
        let fp = device.fingerprint();
        // Saying "This is me" lifts an earlier "Not me" for that device.
        let mut i = 0;
        while i < self.suspects.len() {
            if self.suspects[i].fingerprint == fp {
                self.suspects.remove(i);
            } else {
                i += 1;
            }
        }
        let idx = match self.devices.iter().position(|d| d.fingerprint == fp) {
            Some(i) => i,
            None => {
                if self.devices.len() >= MAX_DEVICES {
                    // drop the least recently seen non-current device
                    // (the first of equally old ones, as min_by_key)
                    let mut oldest: Option<usize> = None;
                    for (i, d) in self.devices.iter().enumerate() {
                        if !d.this_browser && oldest.is_none_or(|o| d.last_seen < self.devices[o].last_seen) {
                            oldest = Some(i);
                        }
                    }
                    if let Some(i) = oldest {
                        self.devices.remove(i);
                    }
                }
                self.devices.push(TrustedDevice {
                    fingerprint: fp,
                    label: label.to_string(),
                    describe: device.describe(),
                    networks: Vec::new(),
                    areas: Vec::new(),
                    first_seen: now,
                    last_seen: now,
                    this_browser,
                });
                self.devices.len() - 1
            }
        };
        let d = &mut self.devices[idx];
        if this_browser {
            d.this_browser = true;
        }
        if !label.is_empty() && (d.label.is_empty() || !this_browser) {
            d.label = label.to_string();
        }
        d.sighting(ip, area, now);
    }

    /// Record that a trusted device was seen again (same area / network).
    pub fn seen(&mut self, device: &DeviceInfo, ip: Option<&IpAddr>, area: Option<&str>, now: i64) {
        let fp = device.fingerprint();
        if let Some(d) = self.devices.iter_mut().find(|d| d.fingerprint == fp) {
            d.sighting(ip, area, now);
        }
    }

    pub fn mark_not_me(&mut self, device: &DeviceInfo, ip: Option<&IpAddr>, area: Option<&str>, now: i64) {
        let fp = device.fingerprint();
        let network = ip.map(net::network_prefix).unwrap_or_default();
        if self.suspects.iter().any(|s| s.fingerprint == fp && s.network == network) {
            return;
        }
        if self.suspects.len() >= MAX_DEVICES {
            self.suspects.remove(0);
        }
        self.suspects.push(Suspect {
            fingerprint: fp,
            network,
            describe: device.describe(),
            area: area.unwrap_or("").to_string(),
            marked_at: now,
        });
    }

    pub fn rename(&mut self, fingerprint: &str, label: &str) -> bool {
        match self.devices.iter_mut().find(|d| d.fingerprint == fingerprint) {
            Some(d) => {
                d.label = crate::extract::prefix(label, 60).into();
                true
            }
            None => false,
        }
    }

    /// Key stored fingerprints as `DeviceInfo::fingerprint` keys them now (see
    /// `device::rekey_fingerprint`): a phone trusted, or marked "Not me", as
    /// "Samsung SM-S918B" is still found when its row says "SM-S918B". Two
    /// entries that become one device are merged (the first's label; both
    /// sightings). True when anything changed.
    pub fn rekey(&mut self) -> bool {
        let mut changed = false;
        for fp in self.devices.iter_mut().map(|d| &mut d.fingerprint).chain(self.suspects.iter_mut().map(|s| &mut s.fingerprint)) {
            if let Some(k) = crate::device::rekey_fingerprint(fp) {
                *fp = k;
                changed = true;
            }
        }
        if !changed {
            return false;
        }
        let mut i = 1;
        while i < self.devices.len() {
            match self.devices[..i].iter().position(|d| d.fingerprint == self.devices[i].fingerprint) {
                Some(j) => {
                    let dup = self.devices.remove(i);
                    let d = &mut self.devices[j];
                    d.add_sightings(dup.networks, dup.areas);
                    d.first_seen = d.first_seen.min(dup.first_seen);
                    d.last_seen = d.last_seen.max(dup.last_seen);
                    d.this_browser |= dup.this_browser;
                }
                None => i += 1,
            }
        }
        let mut i = 1;
        while i < self.suspects.len() {
            let (fp, net) = (&self.suspects[i].fingerprint, &self.suspects[i].network);
            if self.suspects[..i].iter().any(|s| &s.fingerprint == fp && &s.network == net) {
                self.suspects.remove(i);
            } else {
                i += 1;
            }
        }
        true
    }

    pub fn remove(&mut self, fingerprint: &str) -> bool {
        let before = self.devices.len();
        let mut i = 0;
        while i < self.devices.len() {
            if self.devices[i].fingerprint == fingerprint {
                self.devices.remove(i);
            } else {
                i += 1;
            }
        }
        before != self.devices.len()
    }
}

impl TrustedDevice {
    /// Networks and areas another record of this device saw (an import, a
    /// merge), those not known yet, within `MAX_NETWORKS` each.
    pub fn add_sightings(&mut self, networks: Vec<String>, areas: Vec<String>) {
        for n in networks {
            if !self.networks.contains(&n) && self.networks.len() < MAX_NETWORKS {
                self.networks.push(n);
            }
        }
        for a in areas {
            if !self.areas.contains(&a) && self.areas.len() < MAX_NETWORKS {
                self.areas.push(a);
            }
        }
    }

    fn sighting(&mut self, ip: Option<&IpAddr>, area: Option<&str>, now: i64) {
        if let Some(ip) = ip {
            let n = net::network_prefix(ip);
            if !self.networks.contains(&n) {
                if self.networks.len() >= MAX_NETWORKS {
                    self.networks.remove(0);
                }
                self.networks.push(n);
            }
        }
        let a = area_key(area);
        if !a.is_empty() && !self.areas.contains(&a) {
            if self.areas.len() >= MAX_NETWORKS {
                self.areas.remove(0);
            }
            self.areas.push(a);
        }
        self.last_seen = self.last_seen.max(now);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::device::parse_kucoin_device;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn version_bumps_are_the_same_device() {
        let mut t = TrustList::default();
        t.trust(&parse_kucoin_device("Windows 10 Chrome"), "Laptop", Some(&ip("203.0.113.5")), Some("Singapore"), 1, false);
        let m = t.classify(&parse_kucoin_device("Windows 10 Chrome"), Some(&ip("203.0.113.77")), Some("Singapore"));
        assert!(matches!(m, Match::Known(_)));
        // dynamic IP in another /24, same area
        let m = t.classify(&parse_kucoin_device("Windows 10 Chrome"), Some(&ip("198.51.100.4")), Some("singapore"));
        assert!(matches!(m, Match::NewNetwork(_)));
        // new country
        let m = t.classify(&parse_kucoin_device("Windows 10 Chrome"), Some(&ip("198.51.100.4")), Some("Lagos"));
        assert!(matches!(m, Match::NewArea(_)));
        // app vs web is a different device
        let m = t.classify(&parse_kucoin_device("Android 14 KuCoin App"), Some(&ip("203.0.113.5")), Some("Singapore"));
        assert!(matches!(m, Match::Unknown));
    }

    #[test]
    fn not_me_wins_and_this_is_me_lifts_it() {
        let mut t = TrustList::default();
        let d = parse_kucoin_device("Linux Firefox");
        t.trust(&d, "Mine", Some(&ip("192.0.2.10")), Some("Frankfurt"), 1, false);
        t.mark_not_me(&d, Some(&ip("192.0.2.88")), Some("Frankfurt"), 2);
        assert!(matches!(t.classify(&d, Some(&ip("192.0.2.99")), Some("Frankfurt")), Match::Suspect(_)));
        t.trust(&d, "Mine after all", Some(&ip("192.0.2.88")), Some("Frankfurt"), 3, false);
        assert!(matches!(t.classify(&d, Some(&ip("192.0.2.99")), Some("Frankfurt")), Match::Known(_)));
    }

    #[test]
    fn ipv6_networks() {
        let mut t = TrustList::default();
        let d = parse_kucoin_device("iOS 17.5 iPhone");
        t.trust(&d, "Phone", Some(&ip("2001:db8:1:2::5")), None, 1, false);
        assert!(matches!(t.classify(&d, Some(&ip("2001:db8:1:ffff::9")), None), Match::Known(_)));
        assert!(matches!(t.classify(&d, Some(&ip("2001:db8:2::9")), None), Match::NewArea(_)));
    }

    #[test]
    fn bounded() {
        let mut t = TrustList::default();
        for i in 0..(MAX_DEVICES + 20) {
            let d = DeviceInfo { model: Some(format!("M{i}")), ..parse_kucoin_device("Android 14 KuCoin App") };
            t.trust(&d, "x", None, None, i as i64, false);
        }
        assert_eq!(t.devices.len(), MAX_DEVICES);
    }
}
