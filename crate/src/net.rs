//! KuCoin "Login IP" cells and IP address classification.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginIp {
    pub area: Option<String>,
    pub ip: IpAddr,
}
crate::json_struct!(LoginIp { area, ip });

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IpCellError {
    Empty,
    NoIp,
    InvalidIp(String),
    ZoneId,
}

impl fmt::Display for IpCellError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IpCellError::Empty => f.write_str("the IP cell is empty"),
            IpCellError::NoIp => f.write_str("no IP address found in the cell"),
            IpCellError::InvalidIp(s) => write!(f, "\"{s}\" is not a valid IPv4 or IPv6 address"),
            IpCellError::ZoneId => {
                f.write_str("IPv6 addresses with a zone id (such as %eth0) are not accepted")
            }
        }
    }
}

impl std::error::Error for IpCellError {}

/// Zero-width chars, bidi marks/embeddings/isolates, Arabic letter mark, BOM.
pub fn is_bidi_or_zw(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}'
        | '\u{061C}' | '\u{FEFF}')
}

pub fn is_trim(c: char) -> bool {
    c.is_whitespace() || is_bidi_or_zw(c)
}

/// Full-width ASCII variants (U+FF01..U+FF5E, e.g. "（", "２") → ASCII.
fn fold_fullwidth(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    }
}

fn clip(s: &str) -> String {
    crate::extract::clip_to(s, 64)
}

/// Does `s` look like an attempt at an IP address (so a failure is `InvalidIp`, not `NoIp`)?
fn looks_like_ip(s: &str) -> bool {
    let s = crate::util::trim_with(s, is_trim);
    let addr = s.split('%').next().unwrap_or("");
    let (mut sep, mut digit) = (false, false);
    let chars_ok = addr.chars().map(fold_fullwidth).all(|c| {
        sep |= c == '.' || c == ':';
        digit |= c.is_ascii_digit();
        c.is_ascii_alphanumeric() || matches!(c, '.' | ':' | '[' | ']')
    });
    chars_ok && sep && digit
}

/// IPv4-mapped IPv6 (`::ffff:a.b.c.d`) → IPv4; everything else unchanged.
fn normalise(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

/// Parse one IP address: IPv4 dotted quad (no leading zeros), IPv6 in any textual form (also
/// bracketed), surrounded by optional whitespace / invisible marks; full-width digits are folded.
/// IPv4-mapped IPv6 is returned as IPv4. Zone ids are rejected with `ZoneId`.
pub fn parse_ip(text: &str) -> Result<IpAddr, IpCellError> {
    let t = crate::util::trim_with(text, is_trim);
    if t.is_empty() {
        return Err(IpCellError::Empty);
    }
    let invalid = || IpCellError::InvalidIp(clip(t));
    let mut s = String::new();
    for c in t.chars() {
        if !is_bidi_or_zw(c) {
            s.push(fold_fullwidth(c));
        }
    }
    let (body, bracketed) = match s.strip_prefix('[') {
        Some(r) => (r.strip_suffix(']').ok_or_else(invalid)?, true),
        None => (s.as_str(), false),
    };
    let addr = match body.split_once('%') {
        Some((a, _)) if parse_v6(a).is_some() => return Err(IpCellError::ZoneId),
        Some(_) => return Err(invalid()),
        None => body,
    };
    // The longest textual form is 45 chars ("ffff:...:255.255.255.255").
    if addr.len() > 64 {
        return Err(invalid());
    }
    if !bracketed {
        if let Some(v4) = parse_v4(addr) {
            return Ok(IpAddr::V4(v4));
        }
    }
    parse_v6(addr)
        .map(|v6| normalise(IpAddr::V6(v6)))
        .ok_or_else(invalid)
}

// ---------------------------------------------------------------------------
// Address text: our own parser and printer (std's `core::net` parser and `Display` cost ~7 KB
// of wasm). Same grammar as `FromStr for Ipv4Addr / Ipv6Addr / IpAddr` and the same text as
// their `Display` (RFC 5952 for IPv6); `tests::std_equivalence` compares both on many inputs.

/// Byte cursor over an address text.
struct Cur<'a> {
    s: &'a [u8],
    i: usize,
}

impl Cur<'_> {
    fn eat(&mut self, b: u8) -> bool {
        let hit = self.s.get(self.i) == Some(&b);
        self.i += usize::from(hit);
        hit
    }

    /// A number: up to 4 hex digits (leading zeros allowed) or up to 3 decimal digits below 256
    /// without a leading zero. Nothing is consumed on failure.
    fn num(&mut self, hex: bool) -> Option<u32> {
        let (radix, max) = if hex { (16, 4) } else { (10, 3) };
        let start = self.i;
        let mut n = 0u32;
        while let Some(d) = self.s.get(self.i).and_then(|&b| char::from(b).to_digit(radix)) {
            n = n.saturating_mul(radix).saturating_add(d);
            self.i += 1;
        }
        let len = self.i - start;
        if len == 0 || len > max || (!hex && (n > 255 || (len > 1 && self.s[start] == b'0'))) {
            self.i = start;
            return None;
        }
        Some(n)
    }

    /// `a.b.c.d`; nothing is consumed on failure.
    fn v4(&mut self) -> Option<[u8; 4]> {
        let start = self.i;
        let mut o = [0u8; 4];
        for k in 0..4 {
            match (k == 0 || self.eat(b'.')).then(|| self.num(false)).flatten() {
                Some(n) => o[k] = n as u8,
                None => {
                    self.i = start;
                    return None;
                }
            }
        }
        Some(o)
    }

    /// Up to `out.len()` colon-separated groups, the last two possibly as an embedded IPv4
    /// address: (groups read, ended with IPv4).
    fn groups(&mut self, out: &mut [u16]) -> (usize, bool) {
        let limit = out.len();
        for k in 0..limit {
            let back = self.i;
            if k > 0 && !self.eat(b':') {
                return (k, false);
            }
            if k + 1 < limit {
                if let Some(o) = self.v4() {
                    out[k] = u16::from_be_bytes([o[0], o[1]]);
                    out[k + 1] = u16::from_be_bytes([o[2], o[3]]);
                    return (k + 2, true);
                }
            }
            match self.num(true) {
                Some(g) => out[k] = g as u16,
                None => {
                    self.i = back;
                    return (k, false);
                }
            }
        }
        (limit, false)
    }

    fn v6(&mut self) -> Option<[u16; 8]> {
        let mut head = [0u16; 8];
        let (n, v4) = self.groups(&mut head);
        if n == 8 {
            return Some(head);
        }
        if v4 || !self.eat(b':') || !self.eat(b':') {
            return None;
        }
        let mut tail = [0u16; 7];
        let (m, _) = self.groups(&mut tail[..7 - n]);
        head[8 - m..].copy_from_slice(&tail[..m]);
        Some(head)
    }
}

/// `Ipv4Addr::from_str`.
pub fn parse_v4(s: &str) -> Option<Ipv4Addr> {
    let mut c = Cur { s: s.as_bytes(), i: 0 };
    c.v4().filter(|_| c.i == s.len()).map(Ipv4Addr::from)
}

/// `Ipv6Addr::from_str`.
pub fn parse_v6(s: &str) -> Option<Ipv6Addr> {
    let mut c = Cur { s: s.as_bytes(), i: 0 };
    c.v6().filter(|_| c.i == s.len()).map(Ipv6Addr::from)
}

/// `IpAddr::from_str`: IPv4, else IPv6.
pub fn parse_addr(s: &str) -> Option<IpAddr> {
    parse_v4(s).map(IpAddr::V4).or_else(|| parse_v6(s).map(IpAddr::V6))
}

/// `nums` in `radix`, `sep` between them (IPv4 octets, IPv6 groups).
fn push_nums(out: &mut String, nums: &[u16], sep: char, radix: u32) {
    for (k, x) in nums.iter().enumerate() {
        if k > 0 {
            out.push(sep);
        }
        crate::util::push_digits(out, u64::from(*x), radix);
    }
}

/// The address as `Display` writes it: dotted quad; IPv6 in RFC 5952 form (lower-case hex, the
/// first longest run of two or more zero groups as `::`, `::ffff:a.b.c.d` for IPv4-mapped).
pub fn ip_text(ip: &IpAddr) -> String {
    let mut out = String::new();
    match ip {
        IpAddr::V4(a) => push_nums(&mut out, &a.octets().map(u16::from), '.', 10),
        IpAddr::V6(a) => {
            if let Some(v4) = a.to_ipv4_mapped() {
                out.push_str("::ffff:");
                push_nums(&mut out, &v4.octets().map(u16::from), '.', 10);
                return out;
            }
            let g = a.segments();
            let (mut best, mut best_len, mut run) = (0, 0, 0);
            for (k, &x) in g.iter().enumerate() {
                run = if x == 0 { run + 1 } else { 0 };
                if run > best_len {
                    best_len = run;
                    best = k + 1 - run;
                }
            }
            if best_len > 1 {
                push_nums(&mut out, &g[..best], ':', 16);
                out.push_str("::");
                push_nums(&mut out, &g[best + best_len..], ':', 16);
            } else {
                push_nums(&mut out, &g, ':', 16);
            }
        }
    }
    out
}

/// Collapse whitespace runs to one space, drop bidi / zero-width marks (except ZWJ / ZWNJ inside
/// words), trim; empty → None.
pub(crate) fn clean_area(area: &str) -> Option<String> {
    let mut out = String::new();
    for word in area
        .split(char::is_whitespace as fn(char) -> bool)
        .map(|w| crate::util::trim_with(w, is_bidi_or_zw))
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push(' ');
        }
        // Directional controls carry no content; ZWJ / ZWNJ inside words are kept (they matter
        // in Persian / Indic spellings).
        for c in word.chars() {
            if !is_bidi_or_zw(c) || matches!(c, '\u{200C}' | '\u{200D}') {
                out.push(c);
            }
        }
    }
    (!out.is_empty()).then_some(out)
}

/// Byte range of the inner text of the parenthesised group that ends `t` (ASCII or full-width
/// parentheses, nesting-aware), and the byte index of its opening parenthesis.
fn last_group(t: &str) -> Option<(usize, usize, usize)> {
    let mut it = t.char_indices().rev();
    let (close_at, close) = it.next()?;
    if !matches!(close, ')' | '）') {
        return None;
    }
    let mut depth = 1usize;
    for (i, c) in it {
        match c {
            ')' | '）' => depth += 1,
            '(' | '（' => {
                depth -= 1;
                if depth == 0 {
                    return Some((i, i + c.len_utf8(), close_at));
                }
            }
            _ => {}
        }
    }
    None
}

fn ip_in(text: &str) -> Result<IpAddr, IpCellError> {
    parse_ip(text).map_err(|e| match e {
        IpCellError::ZoneId => IpCellError::ZoneId,
        IpCellError::InvalidIp(_) if looks_like_ip(text) => e,
        _ => IpCellError::NoIp,
    })
}

/// Parse a KuCoin "Login IP" cell: `{area}({ip})`, where the IP is the last balanced group
/// (ASCII or full-width parentheses; the area may contain parentheses itself), or a bare IP.
/// Invisible marks and whitespace are ignored around the parts; the area's whitespace is collapsed.
pub fn parse_login_ip(cell: &str) -> Result<LoginIp, IpCellError> {
    let t = crate::util::trim_with(cell, is_trim);
    if t.is_empty() {
        return Err(IpCellError::Empty);
    }
    if let Some((open, start, end)) = last_group(t) {
        let (before, inner) = (crate::util::str_to(t, open), crate::util::str_sub(t, start, end));
        // Any group before holding an address: two addresses, no reading.
        // (an address holds no parenthesis: the innermost groups only)
        let mut open = None;
        let two = before.char_indices().any(|(i, c)| match c {
            '(' | '（' => {
                open = Some(i + c.len_utf8());
                false
            }
            ')' | '）' => open.take().is_some_and(|s| i - s < 64 && parse_ip(crate::util::str_sub(before, s, i)).is_ok()),
            _ => false,
        });
        return match ip_in(inner) {
            // "Singapore(203.0.113.24)(198.51.100.1)", "Singapore(203.0.113.24), Tokyo(198.51.100.5)".
            Ok(_) if two => Err(IpCellError::InvalidIp(clip(t))),
            Ok(ip) => Ok(LoginIp { area: clean_area(before), ip }),
            // "203.0.113.24 (Singapore)": the address first, the area in the group.
            Err(IpCellError::NoIp) => match parse_ip(crate::util::trim_with(before, is_trim)) {
                Ok(ip) => Ok(LoginIp { area: clean_area(inner), ip }),
                Err(_) => Err(IpCellError::NoIp),
            },
            Err(e) => Err(e),
        };
    }
    // No group: the whole cell must be the address ("Chrome 120.0.0.0" is not an IP cell).
    Ok(LoginIp {
        area: None,
        ip: ip_in(t)?,
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IpClass {
    Public,
    Private,
    Loopback,
    LinkLocal,
    Cgnat,
    Documentation,
    Multicast,
    Unspecified,
    Reserved,
}
crate::json_enum!(IpClass { Public = "public", Private = "private", Loopback = "loopback", LinkLocal = "link_local", Cgnat = "cgnat", Documentation = "documentation", Multicast = "multicast", Unspecified = "unspecified", Reserved = "reserved" });

fn in_v4(n: u32, net: [u8; 4], len: u32) -> bool {
    (n ^ u32::from_be_bytes(net))
        .checked_shr(32 - len)
        .unwrap_or(0)
        == 0
}

fn in_v6(n: u128, net: u128, len: u32) -> bool {
    (n ^ net).checked_shr(128 - len).unwrap_or(0) == 0
}

fn classify_v4(a: Ipv4Addr) -> IpClass {
    use IpClass::*;
    let n = u32::from(a);
    let table: [([u8; 4], u32, IpClass); 18] = [
        ([0, 0, 0, 0], 32, Unspecified),
        ([0, 0, 0, 0], 8, Reserved), // "this network"
        ([127, 0, 0, 0], 8, Loopback),
        ([10, 0, 0, 0], 8, Private),
        ([172, 16, 0, 0], 12, Private),
        ([192, 168, 0, 0], 16, Private),
        ([100, 64, 0, 0], 10, Cgnat),
        ([169, 254, 0, 0], 16, LinkLocal),
        ([192, 0, 0, 9], 32, Public), // PCP anycast (globally reachable)
        ([192, 0, 0, 10], 32, Public), // TURN anycast (globally reachable)
        ([192, 0, 0, 0], 24, Reserved), // IETF protocol assignments
        ([192, 0, 2, 0], 24, Documentation), // TEST-NET-1
        ([198, 51, 100, 0], 24, Documentation), // TEST-NET-2
        ([203, 0, 113, 0], 24, Documentation), // TEST-NET-3
        ([198, 18, 0, 0], 15, Reserved), // benchmarking
        ([192, 88, 99, 0], 24, Reserved), // deprecated 6to4 relay anycast
        ([224, 0, 0, 0], 4, Multicast),
        ([240, 0, 0, 0], 4, Reserved), // incl. 255.255.255.255 broadcast
    ];
    table
        .iter()
        .find(|(net, len, _)| in_v4(n, *net, *len))
        .map_or(Public, |t| t.2)
}

fn classify_v6(a: Ipv6Addr) -> IpClass {
    use IpClass::*;
    let n = u128::from(a);
    // NAT64 well-known prefix: the class of the embedded IPv4 address.
    if in_v6(n, 0x0064_ff9b << 96, 96) {
        return classify_v4(Ipv4Addr::from(n as u32));
    }
    let table: [(u128, u32, IpClass); 19] = [
        (0, 128, Unspecified),
        (1, 128, Loopback),
        (0x0064_ff9b_0001 << 80, 48, Reserved), // local-use IPv4/IPv6 translation
        (0x0100 << 112, 64, Reserved),          // discard-only
        ((0x2001_0001 << 96) | 1, 128, Public), // PCP anycast
        ((0x2001_0001 << 96) | 2, 128, Public), // TURN anycast
        ((0x2001_0001 << 96) | 3, 128, Public), // DNS-SD SRP anycast
        (0x2001_0003 << 96, 32, Public),        // AMT
        (0x2001_0004_0112 << 80, 48, Public),   // AS112-v6
        (0x2001_0020 << 96, 28, Public),        // ORCHIDv2
        (0x2001 << 112, 32, Public),            // Teredo
        (0x2001 << 112, 23, Reserved),          // IETF protocol assignments, benchmarking...
        (0x2001_0db8 << 96, 32, Documentation),
        (0x3fff << 112, 20, Documentation), // RFC 9637
        (0xfc00 << 112, 7, Private),        // unique local
        (0xfe80 << 112, 10, LinkLocal),
        (0xfec0 << 112, 10, Reserved), // deprecated site-local
        (0xff00 << 112, 8, Multicast),
        (0x2000 << 112, 3, Public), // global unicast
    ];
    table
        .iter()
        .find(|(net, len, _)| in_v6(n, *net, *len))
        .map_or(Reserved, |t| t.2) // outside 2000::/3: unallocated / reserved
}

/// Classify an address (IPv4-mapped IPv6 is classified as its IPv4 address).
pub fn classify(ip: &IpAddr) -> IpClass {
    match normalise(*ip) {
        IpAddr::V4(a) => classify_v4(a),
        IpAddr::V6(a) => classify_v6(a),
    }
}

/// The network an address belongs to for "same place" comparisons: "/24" for IPv4, "/48" for
/// IPv6, canonical text ("203.0.113.0/24", "2001:db8:1::/48").
pub fn network_prefix(ip: &IpAddr) -> String {
    match normalise(*ip) {
        IpAddr::V4(a) => {
            let o = a.octets();
            let mut t = ip_text(&IpAddr::V4(Ipv4Addr::new(o[0], o[1], o[2], 0)));
            t.push_str("/24");
            t
        }
        IpAddr::V6(a) => {
            let s = a.segments();
            let mut t = ip_text(&IpAddr::V6(Ipv6Addr::new(s[0], s[1], s[2], 0, 0, 0, 0, 0)));
            t.push_str("/48");
            t
        }
    }
}

/// Same /24 (IPv4) or /48 (IPv6); an IPv4 and a non-mapped IPv6 address are never the same.
pub fn same_network(a: &IpAddr, b: &IpAddr) -> bool {
    match (normalise(*a), normalise(*b)) {
        (IpAddr::V4(x), IpAddr::V4(y)) => x.octets()[..3] == y.octets()[..3],
        (IpAddr::V6(x), IpAddr::V6(y)) => x.segments()[..3] == y.segments()[..3],
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().expect(s)
    }

    fn kind(e: &IpCellError) -> &'static str {
        match e {
            IpCellError::Empty => "Empty",
            IpCellError::NoIp => "NoIp",
            IpCellError::InvalidIp(_) => "InvalidIp",
            IpCellError::ZoneId => "ZoneId",
        }
    }

    /// Expected: "area|ip" (area "-" = None) or "ERR:Kind".
    fn check_cell(cell: &str, expected: &str) -> Result<(), String> {
        let got = parse_login_ip(cell);
        let ok = match (&got, expected.strip_prefix("ERR:")) {
            (Err(e), Some(k)) => kind(e) == k,
            (Ok(li), None) => {
                let (area, addr) = expected.rsplit_once('|').expect("area|ip");
                let area = (area != "-").then(|| area.to_string());
                li.area == area && li.ip == ip(addr)
            }
            _ => false,
        };
        if ok {
            Ok(())
        } else {
            Err(format!("{cell:?}: expected {expected}, got {got:?}"))
        }
    }

    #[test]
    fn login_ip_cells() {
        let cases: &[(&str, &str)] = &[
            ("Singapore(203.0.113.24)", "Singapore|203.0.113.24"),
            (
                "Frankfurt am Main, Germany(2001:db8::1)",
                "Frankfurt am Main, Germany|2001:db8::1",
            ),
            (
                "Côte d'Ivoire (Abidjan)(198.51.100.7)",
                "Côte d'Ivoire (Abidjan)|198.51.100.7",
            ),
            ("Kyiv (Київ) (203.0.113.9)", "Kyiv (Київ)|203.0.113.9"),
            ("A (b (c)) d(203.0.113.9)", "A (b (c)) d|203.0.113.9"),
            ("Foo (bar(1.2.3.4)", "Foo (bar|1.2.3.4"),
            ("Foo) (bar)(1.2.3.4)", "Foo) (bar)|1.2.3.4"),
            ("新加坡（203.0.113.24）", "新加坡|203.0.113.24"),
            ("新加坡(203.0.113.24）", "新加坡|203.0.113.24"),
            ("香港（中國）（2001:db8::5）", "香港（中國）|2001:db8::5"),
            ("東京都（２０３．０．１１３．２４）", "東京都|203.0.113.24"),
            ("203.0.113.24", "-|203.0.113.24"),
            ("  203.0.113.24\u{a0}", "-|203.0.113.24"),
            ("2001:db8::1", "-|2001:db8::1"),
            ("[2001:db8::1]", "-|2001:db8::1"),
            ("(1.2.3.4)", "-|1.2.3.4"),
            (" \u{200f} (1.2.3.4)", "-|1.2.3.4"),
            ("  Singapore (203.0.113.24)  ", "Singapore|203.0.113.24"),
            (
                "\u{a0}Singapore\u{a0}(203.0.113.24)\u{200b}",
                "Singapore|203.0.113.24",
            ),
            (
                "\u{feff}Singapore(\u{200e}203.0.113.24\u{200e})\u{2069}",
                "Singapore|203.0.113.24",
            ),
            (
                "Frankfurt  am\u{a0}Main\t(1.2.3.4)",
                "Frankfurt am Main|1.2.3.4",
            ),
            (
                "\u{200f}سنغافورة\u{200f}(203.0.113.24)",
                "سنغافورة|203.0.113.24",
            ),
            (
                "\u{202b}دبي، الإمارات\u{202c}(\u{2066}198.51.100.7\u{2069})",
                "دبي، الإمارات|198.51.100.7",
            ),
            (
                "\u{061c}الرياض، السعودية\u{061c} (2001:db8:abcd::7)",
                "الرياض، السعودية|2001:db8:abcd::7",
            ),
            (
                "תל אביב, ישראל(2001:DB8:0:0:0:0:0:1)",
                "תל אביב, ישראל|2001:db8::1",
            ),
            (
                "کراچی، پاکستان(203.0.113.50)",
                "کراچی، پاکستان|203.0.113.50",
            ),
            ("Hong Kong(::ffff:192.0.2.1)", "Hong Kong|192.0.2.1"),
            ("Hong Kong(::FFFF:C000:0201)", "Hong Kong|192.0.2.1"),
            ("Tokyo([2001:db8::1])", "Tokyo|2001:db8::1"),
            ("Tokyo( 2001:db8::1 )", "Tokyo|2001:db8::1"),
            (
                "Tokyo(2001:0db8:0000:0000:0000:ff00:0042:8329)",
                "Tokyo|2001:db8::ff00:42:8329",
            ),
            ("Berlin(2001:db8::192.0.2.1)", "Berlin|2001:db8::c000:201"),
            ("Paris(::1)", "Paris|::1"),
            ("Paris(::)", "Paris|::"),
            ("Paris(0.0.0.0)", "Paris|0.0.0.0"),
            (
                "Seoul, 대한민국(255.255.255.255)",
                "Seoul, 대한민국|255.255.255.255",
            ),
            ("203.0.113.24 (Singapore)", "Singapore|203.0.113.24"),
            ("198.51.100.77（拉各斯）", "拉各斯|198.51.100.77"),
            ("2001:db8::1 (Frankfurt am Main, Germany)", "Frankfurt am Main, Germany|2001:db8::1"),
            ("\u{200e}203.0.113.24\u{200e} (\u{200f}سنغافورة\u{200f})", "سنغافورة|203.0.113.24"),
            ("Chrome 120.0.0.0 (Windows)", "ERR:NoIp"),
            ("203.0.113.24 (1.2.3)", "ERR:InvalidIp"),
            ("Singapore 203.0.113.24", "ERR:NoIp"),
            ("Windows 10 Chrome 120.0.0.0", "ERR:NoIp"),
            ("Ho Chi Minh City\u{a0}2001:db8::9", "ERR:NoIp"),
            ("São Paulo, Brasil(10.0.0.1)", "São Paulo, Brasil|10.0.0.1"),
            ("Moscow(fe80::1%eth0)", "ERR:ZoneId"),
            ("Moscow(fe80::1%25eth0)", "ERR:ZoneId"),
            ("Moscow([fe80::1%eth0])", "ERR:ZoneId"),
            ("fe80::1%eth0", "ERR:ZoneId"),
            ("Lagos(1.2.3.4%eth0)", "ERR:InvalidIp"),
            ("Lagos(010.1.1.1)", "ERR:InvalidIp"),
            ("Lagos(1.02.3.4)", "ERR:InvalidIp"),
            ("Lagos(256.1.1.1)", "ERR:InvalidIp"),
            ("Lagos(1.2.3)", "ERR:InvalidIp"),
            ("Lagos(1.2.3.4.5)", "ERR:InvalidIp"),
            ("Lagos(1.2.3.4:80)", "ERR:InvalidIp"),
            ("Lagos(2001:db8::1::2)", "ERR:InvalidIp"),
            ("Lagos(2001:db8::g)", "ERR:InvalidIp"),
            ("Lagos(12345::1)", "ERR:InvalidIp"),
            ("Lagos([1.2.3.4])", "ERR:InvalidIp"),
            ("Lagos([2001:db8::1)", "ERR:InvalidIp"),
            ("Lagos(2001:db8::1/48)", "ERR:NoIp"),
            ("999.1.1.1", "ERR:InvalidIp"),
            ("1.2.3.4 5.6.7.8", "ERR:NoIp"),
            ("Lagos()", "ERR:NoIp"),
            ("Lagos( )", "ERR:NoIp"),
            ("Lagos", "ERR:NoIp"),
            ("Côte d'Ivoire (Abidjan)", "ERR:NoIp"),
            ("Lagos(unknown)", "ERR:NoIp"),
            ("Lagos(N/A)", "ERR:NoIp"),
            ("São Paulo((203.0.113.9))", "ERR:NoIp"),
            ("Singapore(203.0.113.24", "ERR:NoIp"),
            ("Singapore(203.0.113.24) now", "ERR:NoIp"),
            ("--", "ERR:NoIp"),
            (")", "ERR:NoIp"),
            ("(", "ERR:NoIp"),
            ("", "ERR:Empty"),
            ("   \u{200b}\u{a0}\u{200f} ", "ERR:Empty"),
        ];
        let failures: Vec<String> = cases
            .iter()
            .filter_map(|(c, e)| check_cell(c, e).err())
            .collect();
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    #[test]
    fn ip_forms() {
        let ok: &[(&str, &str)] = &[
            ("203.0.113.24", "203.0.113.24"),
            ("0.0.0.0", "0.0.0.0"),
            ("255.255.255.255", "255.255.255.255"),
            (" 1.2.3.4 ", "1.2.3.4"),
            ("\u{200e}203.0.113.24\u{200f}", "203.0.113.24"),
            ("１．２．３．４", "1.2.3.4"),
            ("2001:db8::1", "2001:db8::1"),
            ("2001:DB8::1", "2001:db8::1"),
            ("2001:Db8:0::1", "2001:db8::1"),
            ("2001:0db8:0000:0000:0000:0000:0000:0001", "2001:db8::1"),
            ("2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"),
            ("1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8"),
            ("1::", "1::"),
            ("::", "::"),
            ("::1", "::1"),
            ("0:0:0:0:0:0:0:1", "::1"),
            ("[2001:db8::1]", "2001:db8::1"),
            ("[::ffff:1.2.3.4]", "1.2.3.4"),
            ("::ffff:192.0.2.1", "192.0.2.1"),
            ("::FFFF:192.0.2.1", "192.0.2.1"),
            ("0:0:0:0:0:ffff:c000:0201", "192.0.2.1"),
            ("::ffff:0.0.0.0", "0.0.0.0"),
            ("::1.2.3.4", "::102:304"),
            ("::ffff:0:1.2.3.4", "::ffff:0:102:304"),
            ("64:ff9b::192.0.2.1", "64:ff9b::c000:201"),
            ("1:2:3:4:5:6:1.2.3.4", "1:2:3:4:5:6:102:304"),
            ("fe80::1", "fe80::1"),
            ("FF02::1", "ff02::1"),
        ];
        for (text, want) in ok {
            assert_eq!(parse_ip(text), Ok(ip(want)), "{text:?}");
        }
        let err: &[(&str, &str)] = &[
            ("", "Empty"),
            (" \u{200b} ", "Empty"),
            ("fe80::1%eth0", "ZoneId"),
            ("fe80::1%1", "ZoneId"),
            ("[fe80::1%eth0]", "ZoneId"),
            ("fe80::1%", "ZoneId"),
            (&format!("fe80::1%{}", "x".repeat(1000)), "ZoneId"),
            ("[fe80::1]%eth0", "InvalidIp"),
            ("1.2.3.4%eth0", "InvalidIp"),
            ("010.1.1.1", "InvalidIp"),
            ("1.2.3.04", "InvalidIp"),
            ("00.0.0.0", "InvalidIp"),
            ("::ffff:010.1.1.1", "InvalidIp"),
            ("256.0.0.0", "InvalidIp"),
            ("1.2.3", "InvalidIp"),
            ("1.2.3.4.", "InvalidIp"),
            (".1.2.3.4", "InvalidIp"),
            ("1.2.3.4/24", "InvalidIp"),
            ("1.2.3.4:80", "InvalidIp"),
            ("[1.2.3.4]", "InvalidIp"),
            ("[2001:db8::1]:443", "InvalidIp"),
            ("2001:db8::1/48", "InvalidIp"),
            ("[2001:db8::1", "InvalidIp"),
            ("2001:db8::1]", "InvalidIp"),
            (":::", "InvalidIp"),
            ("1:2:3:4:5:6:7:8:9", "InvalidIp"),
            ("1::2:3:4:5:6:7:8", "InvalidIp"),
            ("12345::", "InvalidIp"),
            ("::ffff:1.2.3", "InvalidIp"),
            ("1::2::3", "InvalidIp"),
            ("1.2.3.4 5.6.7.8", "InvalidIp"),
            ("0x1.2.3.4", "InvalidIp"),
            ("1", "InvalidIp"),
            ("localhost", "InvalidIp"),
        ];
        for (text, want) in err {
            let got = parse_ip(text);
            assert!(
                matches!(&got, Err(e) if kind(e) == *want),
                "{text:?}: {got:?}"
            );
        }
        let long = "1".repeat(100_000);
        assert_eq!(
            parse_ip(&long),
            Err(IpCellError::InvalidIp(format!("{}…", &long[..64])))
        );
    }

    #[test]
    fn classification_edges() {
        use IpClass::*;
        let cases: &[(&str, IpClass)] = &[
            ("0.0.0.0", Unspecified),
            ("0.0.0.1", Reserved),
            ("0.255.255.255", Reserved),
            ("1.0.0.0", Public),
            ("1.1.1.1", Public),
            ("8.8.8.8", Public),
            ("9.255.255.255", Public),
            ("10.0.0.0", Private),
            ("10.255.255.255", Private),
            ("11.0.0.0", Public),
            ("100.63.255.255", Public),
            ("100.64.0.0", Cgnat),
            ("100.127.255.255", Cgnat),
            ("100.128.0.0", Public),
            ("126.255.255.255", Public),
            ("127.0.0.0", Loopback),
            ("127.0.0.1", Loopback),
            ("127.255.255.255", Loopback),
            ("128.0.0.0", Public),
            ("169.253.255.255", Public),
            ("169.254.0.0", LinkLocal),
            ("169.254.255.255", LinkLocal),
            ("169.255.0.0", Public),
            ("172.15.255.255", Public),
            ("172.16.0.0", Private),
            ("172.31.255.255", Private),
            ("172.32.0.0", Public),
            ("191.255.255.255", Public),
            ("192.0.0.0", Reserved),
            ("192.0.0.8", Reserved),
            ("192.0.0.9", Public),
            ("192.0.0.10", Public),
            ("192.0.0.11", Reserved),
            ("192.0.0.255", Reserved),
            ("192.0.1.0", Public),
            ("192.0.2.0", Documentation),
            ("192.0.2.255", Documentation),
            ("192.0.3.0", Public),
            ("192.88.98.255", Public),
            ("192.88.99.0", Reserved),
            ("192.88.99.255", Reserved),
            ("192.88.100.0", Public),
            ("192.167.255.255", Public),
            ("192.168.0.0", Private),
            ("192.168.255.255", Private),
            ("192.169.0.0", Public),
            ("198.17.255.255", Public),
            ("198.18.0.0", Reserved),
            ("198.19.255.255", Reserved),
            ("198.20.0.0", Public),
            ("198.51.99.255", Public),
            ("198.51.100.0", Documentation),
            ("198.51.100.255", Documentation),
            ("198.51.101.0", Public),
            ("203.0.112.255", Public),
            ("203.0.113.0", Documentation),
            ("203.0.113.255", Documentation),
            ("203.0.114.0", Public),
            ("223.255.255.255", Public),
            ("224.0.0.0", Multicast),
            ("239.255.255.255", Multicast),
            ("240.0.0.0", Reserved),
            ("255.255.255.254", Reserved),
            ("255.255.255.255", Reserved),
            ("::", Unspecified),
            ("::1", Loopback),
            ("::2", Reserved),
            ("::ffff:10.0.0.1", Private),
            ("::ffff:8.8.8.8", Public),
            ("::ffff:127.0.0.1", Loopback),
            ("::ffff:203.0.113.1", Documentation),
            ("::1.2.3.4", Reserved),
            ("64:ff9b::8.8.8.8", Public),
            ("64:ff9b::10.0.0.1", Private),
            ("64:ff9b::192.0.2.1", Documentation),
            ("64:ff9b:1::1", Reserved),
            ("64:ff9b:1:ffff:ffff:ffff:ffff:ffff", Reserved),
            ("100::", Reserved),
            ("100::ffff:ffff:ffff:ffff", Reserved),
            ("1fff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", Reserved),
            ("2000::", Public),
            ("2001::", Public),
            ("2001:0:ffff:ffff:ffff:ffff:ffff:ffff", Public),
            ("2001:1::", Reserved),
            ("2001:1::1", Public),
            ("2001:1::2", Public),
            ("2001:1::3", Public),
            ("2001:1::4", Reserved),
            ("2001:2::", Reserved),
            ("2001:2:0:ffff:ffff:ffff:ffff:ffff", Reserved),
            ("2001:3::", Public),
            ("2001:3:ffff:ffff:ffff:ffff:ffff:ffff", Public),
            ("2001:4:112::", Public),
            ("2001:4:112:ffff:ffff:ffff:ffff:ffff", Public),
            ("2001:4:113::", Reserved),
            ("2001:10::", Reserved),
            ("2001:1f:ffff:ffff:ffff:ffff:ffff:ffff", Reserved),
            ("2001:20::", Public),
            ("2001:2f:ffff:ffff:ffff:ffff:ffff:ffff", Public),
            ("2001:30::", Reserved),
            ("2001:1ff:ffff:ffff:ffff:ffff:ffff:ffff", Reserved),
            ("2001:200::", Public),
            ("2001:db7:ffff:ffff:ffff:ffff:ffff:ffff", Public),
            ("2001:db8::", Documentation),
            ("2001:db8::1", Documentation),
            ("2001:db8:ffff:ffff:ffff:ffff:ffff:ffff", Documentation),
            ("2001:db9::", Public),
            ("2002:c000:201::", Public),
            ("2400:cb00::1", Public),
            ("2606:4700:4700::1111", Public),
            ("3ffe:ffff::", Public),
            ("3fff::", Documentation),
            ("3fff:fff:ffff:ffff:ffff:ffff:ffff:ffff", Documentation),
            ("3fff:1000::", Public),
            ("3fff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", Public),
            ("4000::", Reserved),
            ("5f00::1", Reserved),
            ("fbff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", Reserved),
            ("fc00::", Private),
            ("fd12:3456:789a::1", Private),
            ("fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", Private),
            ("fe00::", Reserved),
            ("fe7f:ffff:ffff:ffff:ffff:ffff:ffff:ffff", Reserved),
            ("fe80::", LinkLocal),
            ("fe80::1", LinkLocal),
            ("febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff", LinkLocal),
            ("fec0::", Reserved),
            ("feff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", Reserved),
            ("ff00::", Multicast),
            ("ff02::1", Multicast),
            ("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", Multicast),
        ];
        for (text, want) in cases {
            assert_eq!(classify(&ip(text)), *want, "{text}");
        }
    }

    #[test]
    fn prefixes_and_same_network() {
        let prefixes: &[(&str, &str)] = &[
            ("203.0.113.24", "203.0.113.0/24"),
            ("203.0.113.0", "203.0.113.0/24"),
            ("0.0.0.0", "0.0.0.0/24"),
            ("10.1.2.3", "10.1.2.0/24"),
            ("255.255.255.255", "255.255.255.0/24"),
            ("::ffff:192.0.2.1", "192.0.2.0/24"),
            ("2001:db8:1:2:3:4:5:6", "2001:db8:1::/48"),
            ("2001:db8:1::", "2001:db8:1::/48"),
            ("2001:db8::", "2001:db8::/48"),
            ("2001:db8:0:1::", "2001:db8::/48"),
            ("2001:0:0:1::", "2001::/48"),
            ("2606:4700:4700::1111", "2606:4700:4700::/48"),
            ("ffff:ffff:ffff:ffff::", "ffff:ffff:ffff::/48"),
            ("0:0:1::", "0:0:1::/48"),
            ("1:0:1::", "1:0:1::/48"),
            ("::1", "::/48"),
            ("::", "::/48"),
            ("fe80::1", "fe80::/48"),
            ("2001:DB8:ABCD:12::1", "2001:db8:abcd::/48"),
        ];
        for (text, want) in prefixes {
            assert_eq!(network_prefix(&ip(text)), *want, "{text}");
        }
        let same: &[(&str, &str, bool)] = &[
            ("203.0.113.1", "203.0.113.254", true),
            ("203.0.113.1", "203.0.114.1", false),
            ("203.0.113.1", "203.1.113.1", false),
            ("10.0.0.1", "10.0.0.1", true),
            ("192.0.2.1", "::ffff:192.0.2.77", true),
            ("::ffff:192.0.2.1", "::ffff:192.0.3.1", false),
            ("2001:db8:1::1", "2001:db8:1:ffff::2", true),
            ("2001:db8:1::1", "2001:db8:2::1", false),
            ("2001:db8::1", "2001:db9::1", false),
            ("2001:db8::1", "3001:db8::1", false),
            ("::1", "::2", true),
            ("1.2.3.4", "::102:304", false),
            ("0.0.0.0", "::", false),
        ];
        for (a, b, want) in same {
            assert_eq!(same_network(&ip(a), &ip(b)), *want, "{a} vs {b}");
            assert_eq!(same_network(&ip(b), &ip(a)), *want, "{b} vs {a}");
        }
    }

    #[test]
    fn error_messages() {
        assert_eq!(IpCellError::Empty.to_string(), "the IP cell is empty");
        assert_eq!(
            IpCellError::NoIp.to_string(),
            "no IP address found in the cell"
        );
        assert_eq!(
            IpCellError::InvalidIp("010.1.1.1".into()).to_string(),
            "\"010.1.1.1\" is not a valid IPv4 or IPv6 address"
        );
        assert!(IpCellError::ZoneId.to_string().contains("zone id"));
    }

    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
        fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
            xs[(self.next() % xs.len() as u64) as usize]
        }
    }

    /// Our address parser and printer agree with std's on generated inputs: random and
    /// mutated addresses in every textual form, random strings over the address alphabet.
    #[test]
    fn std_equivalence() {
        let mut rng = Rng(0x0BAD_5EED_1234_5678);
        let check = |s: &str| {
            assert_eq!(parse_v4(s), s.parse::<Ipv4Addr>().ok(), "v4 {s:?}");
            assert_eq!(parse_v6(s), s.parse::<Ipv6Addr>().ok(), "v6 {s:?}");
            assert_eq!(parse_addr(s), s.parse::<IpAddr>().ok(), "ip {s:?}");
        };
        let fixed = [
            "", ".", ":", "::", ":::", "::1", "1::", "1::2", "::ffff:1.2.3.4", "::1.2.3.4",
            "1:2:3:4:5:6:1.2.3.4", "1:2:3:4:5:6:7:1.2.3.4", "1:2:3:4:5:1.2.3.4", "1:2:3:4:5:6:7::",
            "::2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8:9", "12345::", "0000::00000",
            "1.2.3.4", "01.2.3.4", "1.2.3.04", "0.0.0.0", "255.255.255.255", "256.1.1.1",
            "1.2.3", "1.2.3.4.5", "1..2.3", "+1.2.3.4", "1.2.3.4 ", " 1.2.3.4", "1.2.3.1234",
            "::ffff:01.2.3.4", "::1.2.3", "::1.2.3.4:5", "1.2.3.4::", "ffff::ffff:ffff",
            "FFFF::", "g::", "::\u{e9}", "1:\u{ff11}::", "2001:db8::1", "fe80::1%eth0",
            "[::1]", "::0:0", "0:0::0:0:0:0:0", "0::0:0:0:0:0:0:0", "1:2:3:4:5:6::7",
            "1:2:3:4:5:6:7::8", "::1.2.3.4.5", "1:2:3:4:5:6:7:1.2", "::255.255.255.255",
            "::256.1.1.1", "::1:1.2.3.4", "1:1.2.3.4::", "1.2.3.4:1::",
        ];
        for s in fixed {
            check(s);
        }
        let alphabet = b"0123456789abcdefABCDEFgx.:[]%: 0::.";
        for i in 0..200_000u32 {
            let s: String = match i % 4 {
                0 => (0..rng.next() % 24)
                    .map(|_| char::from(alphabet[(rng.next() % alphabet.len() as u64) as usize]))
                    .collect(),
                1 => Ipv4Addr::from(rng.next() as u32).to_string(),
                _ => {
                    // IPv6 with zero runs, mapped / compatible forms, mixed case, then a mutation.
                    let mut seg = [0u16; 8];
                    for g in &mut seg {
                        let r = rng.next();
                        *g = if r % 3 == 0 { 0 } else { (r >> 8) as u16 >> (r % 16) };
                    }
                    if rng.next() % 5 == 0 {
                        seg[..5].fill(0);
                        seg[5] = if rng.next() & 1 == 0 { 0xffff } else { 0 };
                    }
                    let a = Ipv6Addr::from(seg);
                    let mut t = if rng.next() % 4 == 0 {
                        seg.map(|x| format!("{x:X}")).join(":")
                    } else {
                        a.to_string()
                    };
                    assert_eq!(ip_text(&IpAddr::V6(a)), a.to_string());
                    if i % 4 == 3 && !t.is_empty() {
                        let mut b = t.into_bytes();
                        let at = (rng.next() % b.len() as u64) as usize;
                        match rng.next() % 3 {
                            0 => {
                                b.remove(at);
                            }
                            1 => b.insert(at, alphabet[(rng.next() % alphabet.len() as u64) as usize]),
                            _ => b[at] = alphabet[(rng.next() % alphabet.len() as u64) as usize],
                        }
                        t = String::from_utf8(b).expect("ascii");
                    }
                    t
                }
            };
            check(&s);
            if let Ok(a) = s.parse::<IpAddr>() {
                assert_eq!(ip_text(&a), a.to_string(), "{s:?}");
            }
        }
        for n in [0u32, 1, 0x7f00_0001, 0xffff_ffff, 0x0a00_0000] {
            let a = IpAddr::V4(Ipv4Addr::from(n));
            assert_eq!(ip_text(&a), a.to_string());
        }
    }

    /// Random addresses in every textual form round-trip through the cell parser.
    #[test]
    fn random_round_trips() {
        let mut rng = Rng(0x1234_5678_9ABC_DEF1);
        let pads = [
            "", " ", "\u{a0}", "\u{200e}", "\u{200f}", "\u{200b}", "\u{2066}", "\u{feff}", "\t",
        ];
        let areas = [
            "Singapore",
            "Côte d'Ivoire (Abidjan)",
            "新加坡",
            "دبي، الإمارات",
            "Frankfurt am Main, Germany",
            "",
        ];
        for i in 0..20_000 {
            let v4 = Ipv4Addr::from(rng.next() as u32);
            let s = rng.next();
            let v6 = Ipv6Addr::from(u128::from(s) << 64 | u128::from(rng.next()));
            let seg = v6.segments();
            let (addr, text): (IpAddr, String) = match i % 6 {
                0 => (IpAddr::V4(v4), v4.to_string()),
                1 => (normalise(IpAddr::V6(v6)), v6.to_string()),
                2 => (
                    normalise(IpAddr::V6(v6)),
                    seg.map(|x| format!("{x:04X}")).join(":"),
                ),
                3 => (IpAddr::V4(v4), format!("::ffff:{v4}")),
                4 => (normalise(IpAddr::V6(v6)), format!("[{v6}]")),
                _ => {
                    // Zero runs to exercise "::" compression.
                    let z = Ipv6Addr::new(seg[0], 0, 0, seg[3] & 1, 0, 0, 0, seg[7]);
                    (normalise(IpAddr::V6(z)), z.to_string())
                }
            };
            let area = rng.pick(&areas);
            let (p1, p2, p3) = (rng.pick(&pads), rng.pick(&pads), rng.pick(&pads));
            let (open, close) = if rng.next() & 1 == 0 {
                ("(", ")")
            } else {
                ("（", "）")
            };
            let cell = format!("{p1}{area}{p2}{open}{p3}{text}{p2}{close}{p1}");
            let got = parse_login_ip(&cell).unwrap_or_else(|e| panic!("{cell:?}: {e}"));
            assert_eq!(got.ip, addr, "{cell:?}");
            assert_eq!(
                got.area.as_deref(),
                (!area.is_empty()).then_some(area),
                "{cell:?}"
            );
            assert_eq!(parse_ip(&text), Ok(addr));
            // Prefix text is canonical, parses back, and contains the address.
            let prefix = network_prefix(&addr);
            let (net, bits) = prefix.split_once('/').expect("slash");
            let net_ip = ip(net);
            assert_eq!(net_ip.to_string(), net);
            assert!(same_network(&addr, &net_ip), "{addr} not in {prefix}");
            assert_eq!(bits, if addr.is_ipv4() { "24" } else { "48" });
            assert_eq!(network_prefix(&net_ip), prefix);
            let _ = classify(&addr);
        }
    }

    /// Pseudo-random and adversarial inputs never panic and stay fast.
    #[test]
    fn no_panic_property() {
        let mut rng = Rng(0xDEAD_BEEF_CAFE_F00D);
        let pieces = [
            "(",
            ")",
            "（",
            "）",
            "[",
            "]",
            "%",
            ":",
            "::",
            ".",
            "1",
            "255",
            "256",
            "010",
            "ffff",
            "fe80",
            "2001",
            "db8",
            " ",
            "\u{a0}",
            "\u{200f}",
            "\u{202e}",
            "\u{2069}",
            "Singapore",
            "دبي",
            "新加坡",
            "،",
            "/",
            "１",
            "．",
            "\u{0301}",
            "\u{10FFFF}",
            "e\u{301}",
            "ß",
            "İ",
        ];
        for _ in 0..30_000 {
            let s: String = match rng.next() % 3 {
                0 => (0..rng.next() % 30).map(|_| rng.pick(&pieces)).collect(),
                1 => (0..rng.next() % 40)
                    .filter_map(|_| char::from_u32((rng.next() % 0x11_0000) as u32))
                    .collect(),
                _ => {
                    let alphabet = b"0123456789abcdefABCDEF.:[]%() ";
                    (0..rng.next() % 60)
                        .map(|_| {
                            char::from(alphabet[(rng.next() % alphabet.len() as u64) as usize])
                        })
                        .collect()
                }
            };
            let _ = parse_ip(&s);
            if let Ok(li) = parse_login_ip(&s) {
                let _ = (
                    classify(&li.ip),
                    network_prefix(&li.ip),
                    same_network(&li.ip, &li.ip),
                );
                if let Some(a) = &li.area {
                    assert!(!a.is_empty() && a.trim() == a, "{s:?} -> {a:?}");
                }
            }
        }
        let big = [
            "(".repeat(100_000),
            ")".repeat(100_000),
            "（".repeat(50_000) + &"）".repeat(50_000),
            "a(".repeat(50_000) + "1.2.3.4)",
            "x".repeat(100_000) + "(203.0.113.24)",
            " ".repeat(100_000) + "203.0.113.24" + &"\u{200f}".repeat(30_000),
            "1.1.1.1 ".repeat(12_500),
            "::".repeat(50_000),
            "%".repeat(100_000),
            "[".repeat(100_000),
            "Singapore(".to_string() + &"1".repeat(100_000) + ")",
            "\u{10FFFF}".repeat(30_000),
        ];
        for s in &big {
            let _ = parse_ip(s);
            let _ = parse_login_ip(s);
        }
        assert_eq!(
            parse_login_ip(&big[4]).map(|l| l.ip),
            Ok(ip("203.0.113.24"))
        );
        assert_eq!(
            parse_login_ip(&big[5]).map(|l| l.ip),
            Ok(ip("203.0.113.24"))
        );
    }
}
