//! The page photograph the content script sends to the core.
//!
//! The content script knows nothing about exchanges: it walks the document in
//! pre-order and sends every element and every non-blank text node as a flat
//! list with parent links. The core never sees input *values* (the walker
//! does not read them) and never touches the live DOM: it answers with a plan
//! that refers to nodes by `id`.
//!
//! The host builds the same structure from fixture HTML (`html_snapshot`, the
//! `cli` feature), and a browser test asserts both are equal.

use crate::json::{self, DecodeError, FromJson, Json};

/// Tag used for text nodes in the flat list.
pub const TEXT_TAG: &str = "#text";

/// Attributes the walker copies. Everything else is ignored. Keep this list in
/// sync, in this order, with `ATTRS` in `extension/content.js` and `KEPT_ATTRS`
/// in `extension/background.js`: the compact form names an attribute by its
/// index here (`static.test.mjs` compares the three lists; a browser test
/// compares the two snapshots of the same fixture).
pub const KEPT_ATTRS: &[&str] = &[
    "id",
    "class",
    "role",
    "type",
    "name",
    "title",
    "alt",
    "href",
    "dir",
    "lang",
    "hidden",
    "disabled",
    "data-inspector",
    "data-testid",
    "data-icon",
    "aria-label",
    "aria-selected",
    "aria-checked",
    "aria-current",
    "aria-expanded",
    "aria-hidden",
    "aria-modal",
];

/// Elements whose subtree is never sent (scripts, styles, inert templates,
/// SVG internals, editable text that may hold what the user typed).
pub const SKIPPED_TAGS: &[&str] = &["script", "style", "noscript", "template", "head", "textarea", "iframe"];

/// Inline elements: a word may run across their edges (`Chr<b>ome</b>`, see
/// `Node::glued`); any other element (div, td, li, p, tr, br, img, …) ends
/// it. Keep in sync with `INLINE` in `extension/content.js`
/// (`static.test.mjs` compares them).
pub const INLINE_TAGS: &[&str] = &[
    "a", "abbr", "b", "bdi", "bdo", "big", "cite", "code", "data", "del", "dfn", "em", "font", "i", "ins", "kbd", "label", "mark", "nobr", "q", "s", "samp", "small",
    "span", "strike", "strong", "sub", "sup", "time", "tt", "u", "var", "wbr",
];

/// Longest text kept per node (characters). Longer text is cut by the walker;
/// hostile 100 KB device names still fit.
pub const MAX_TEXT: usize = 131_072;
/// Most nodes a snapshot may carry; a larger page is reported as unreadable.
pub const MAX_NODES: usize = 400_000;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Snapshot {
    /// `location.href` of the page.
    pub url: String,
    /// `document.documentElement.lang` (may be empty).
    pub lang: String,
    /// `document.dir` / `<html dir>` (may be empty).
    pub dir: String,
    /// Pre-order list: a node's parent always comes before it.
    pub nodes: Vec<Node>,
    /// What the browser says about itself; absent in host snapshots.
    pub env: BrowserEnv,
    /// Browser tab the snapshot comes from; set by the background from the
    /// message sender (0 when unknown).
    pub tab: i64,
    /// Random id of the document (one per page load): a flow knows the page
    /// was reloaded or left when it changes.
    pub page_id: String,
}
// Written as objects (host tools, tests); read as objects or in the compact
// form the content script sends (`n` instead of `nodes`, see `COMPACT`).
crate::json_struct!(write_only Snapshot { url, lang: default, dir: default, nodes, env: default, tab: default, page_id: default });

/// The compact form of a snapshot's nodes, what `extension/content.js` sends
/// (~2.5× smaller than objects, and no member names to read): the header
/// members as in the object form, and instead of `nodes` a list `n` of one
/// list per node, pre-order:
///
/// - element: `[id, parent, "tag"]`, or with flags and kept attributes
///   `[id, parent, "tag", hidden, k, "v", k, "v", …]`: `hidden` is 0 or 1,
///   `k` the attribute's index in `KEPT_ATTRS` (or its name as a string);
/// - text: `[id, parent, flags, "text"]` (a number where an element has its
///   tag): `flags` is `hidden` + 2 × `glued` (see `Node::glued`), 0 to 3.
///
/// Strings are JSON strings (`JSON.stringify` of each string on its own).
pub const COMPACT: &str = "n";

impl FromJson for Snapshot {
    fn placeholder() -> Self {
        Snapshot::default()
    }
    fn from_json(v: &Json) -> Result<Self, DecodeError> {
        let mut out = Snapshot::default();
        out.decode_into(v)?;
        Ok(out)
    }
    fn decode_into(&mut self, v: &Json) -> Result<(), DecodeError> {
        let compact = json::member(json::obj(v)?, COMPACT);
        let Snapshot { url, lang, dir, nodes, env, tab, page_id } = self;
        let names = ["url", "lang", "dir", "env", "tab", "page_id", "nodes"];
        let defaults = [false, true, true, true, true, true, false];
        match compact {
            Some(list) => {
                json::fields(v, &names[..6], &defaults[..6], &mut [url, lang, dir, env, tab, page_id])?;
                decode_compact(list, nodes).map_err(|e| e.at(COMPACT))
            }
            None => json::fields(v, &names, &defaults, &mut [url, lang, dir, env, tab, page_id, nodes]),
        }
    }
}

#[inline(never)]
fn compact_err(what: &str) -> DecodeError {
    let mut m = String::from("invalid compact node: ");
    m.push_str(what);
    DecodeError::new(m)
}

/// 0 or 1 (a node's hidden flag).
fn flag(v: &Json) -> Result<bool, DecodeError> {
    json::int(v, 0, 1, "0 or 1").map(|f| f == 1)
}

/// A text node's flags, 0 to 3: (hidden, glued).
fn text_flags(v: &Json) -> Result<(bool, bool), DecodeError> {
    json::int(v, 0, 3, "0 to 3").map(|f| (f & 1 == 1, f & 2 == 2))
}

/// The compact node list (`COMPACT`) into `out`.
fn decode_compact(list: &Json, out: &mut Vec<Node>) -> Result<(), DecodeError> {
    let items = json::arr(list)?;
    out.clear();
    out.reserve(items.len());
    for (i, item) in items.iter().enumerate() {
        out.push(compact_node(item).map_err(|e| e.at_index(i))?);
    }
    Ok(())
}

fn compact_node(item: &Json) -> Result<Node, DecodeError> {
    let a = json::arr(item)?;
    if a.len() < 3 {
        return Err(compact_err("expected [id, parent, tag, …] or [id, parent, flags, text]"));
    }
    let id = u32::from_json(&a[0]).map_err(|e| e.at_index(0))?;
    let parent = u32::from_json(&a[1]).map_err(|e| e.at_index(1))?;
    match &a[2] {
        Json::Str(tag) => {
            let mut node = Node { id, parent, tag: tag.clone(), ..Default::default() };
            if let Some(h) = a.get(3) {
                node.hidden = flag(h).map_err(|e| e.at_index(3))?;
            }
            let kv = a.get(4..).unwrap_or(&[]);
            if kv.len() % 2 != 0 {
                return Err(compact_err("an attribute without a value"));
            }
            node.attrs.reserve(kv.len() / 2);
            for (j, pair) in kv.chunks(2).enumerate() {
                let at = 4 + 2 * j;
                let name = match &pair[0] {
                    Json::Str(name) => name.clone(),
                    k => {
                        let i = json::int(k, 0, KEPT_ATTRS.len() as i64 - 1, "an index in KEPT_ATTRS").map_err(|e| e.at_index(at))?;
                        KEPT_ATTRS[i as usize].to_string()
                    }
                };
                let value = String::from_json(&pair[1]).map_err(|e| e.at_index(at + 1))?;
                node.attrs.push((name, value));
            }
            Ok(node)
        }
        h => {
            let (hidden, glued) = text_flags(h).map_err(|e| e.at_index(2))?;
            if a.len() != 4 {
                return Err(compact_err("a text node is [id, parent, flags, text]"));
            }
            let text = String::from_json(&a[3]).map_err(|e| e.at_index(3))?;
            Ok(Node { id, parent, tag: TEXT_TAG.into(), text, attrs: Vec::new(), hidden, glued })
        }
    }
}

/// A snapshot in the compact form (`COMPACT`), as the content script writes
/// it (host tools: the benchmark hands the wasm what the browser would).
#[cfg(any(test, feature = "cli"))]
pub fn to_compact(s: &Snapshot) -> String {
    use crate::json::{push_str, push_uint};
    let mut o = String::from("{\"url\":");
    push_str(&mut o, &s.url);
    o.push_str(",\"lang\":");
    push_str(&mut o, &s.lang);
    o.push_str(",\"dir\":");
    push_str(&mut o, &s.dir);
    o.push_str(",\"env\":");
    o.push_str(&crate::json::to_text(&s.env));
    if s.tab != 0 {
        o.push_str(",\"tab\":");
        crate::json::push_int(&mut o, s.tab);
    }
    o.push_str(",\"page_id\":");
    push_str(&mut o, &s.page_id);
    o.push_str(",\"n\":[");
    for (i, n) in s.nodes.iter().enumerate() {
        if i > 0 {
            o.push(',');
        }
        o.push('[');
        push_uint(&mut o, n.id.into());
        o.push(',');
        push_uint(&mut o, n.parent.into());
        o.push(',');
        if n.is_text() && n.attrs.is_empty() {
            o.push(char::from(b'0' + u8::from(n.hidden) + 2 * u8::from(n.glued)));
            o.push(',');
            push_str(&mut o, &n.text);
        } else {
            push_str(&mut o, &n.tag);
            if n.hidden || !n.attrs.is_empty() {
                o.push_str(if n.hidden { ",1" } else { ",0" });
            }
            for (k, v) in &n.attrs {
                o.push(',');
                match KEPT_ATTRS.iter().position(|a| a == k) {
                    Some(i) => push_uint(&mut o, i as u64),
                    None => push_str(&mut o, k),
                }
                o.push(',');
                push_str(&mut o, v);
            }
        }
        o.push(']');
    }
    o.push_str("]}");
    o
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Node {
    /// Stable per element for the life of the page (the content script keeps
    /// `id → Element`); 1-based, 0 is the document.
    pub id: u32,
    /// Parent's id; 0 for children of the document.
    pub parent: u32,
    /// Lower-case tag name, or `#text`.
    pub tag: String,
    /// Text content for `#text` nodes (whitespace collapsed), empty otherwise.
    pub text: String,
    /// Kept attributes, in a fixed order (see `KEPT_ATTRS`).
    pub attrs: Vec<(String, String)>,
    /// Not rendered: `hidden`, `display:none`, `visibility:hidden`, zero-size
    /// or off-screen (the browser computes it; the host approximates it).
    pub hidden: bool,
    /// Text only: this text continues the previous text node of the walk
    /// with nothing between them on screen, one word split across nodes
    /// (`Chr` + `ome`, `Chr<b>ome</b>`): no white space at the join (a blank
    /// text node between counts as white space) and no element edge but an
    /// inline one. The browser asks the computed style (display `inline`, no
    /// horizontal margin or padding); the host, having no CSS, only trusts an
    /// inline tag without `class`, `style` or `hidden`. The core joins such
    /// texts without a space, never across other elements (`join_glued`).
    pub glued: bool,
}
crate::json_struct!(Node { id, parent, tag, text: default, attrs: default, hidden: default, glued: default });

/// Facts about the browser the content script runs in.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BrowserEnv {
    /// `navigator.userAgent`.
    pub ua: String,
    /// `navigator.userAgentData` brands as (brand, version), when present.
    pub brands: Vec<(String, String)>,
    pub platform: String,
    /// High-entropy client hints, when the browser gave them.
    pub platform_version: String,
    pub model: String,
    pub mobile: bool,
    /// Local time minus UTC, minutes (`-new Date().getTimezoneOffset()`).
    pub utc_offset_minutes: i32,
    /// `navigator.language`.
    pub language: String,
    /// The zone's offsets over the last ~2 years (DST) as the content script
    /// sends them, unchecked: read through [`BrowserEnv::zone`].
    pub utc_offset_changes: Json,
}
crate::json_struct!(BrowserEnv { ua: default, brands: default, platform: default, platform_version: default, model: default, mobile: default, utc_offset_minutes: default, language: default, utc_offset_changes: default });

impl BrowserEnv {
    /// The browser's time zone, for reading the page's local times.
    pub fn zone(&self) -> crate::time::Zone {
        crate::time::Zone::from_json(self.utc_offset_minutes, &self.utc_offset_changes)
    }
}

impl Node {
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }
    pub fn is_text(&self) -> bool {
        self.tag == TEXT_TAG
    }
    pub fn has_class(&self, class: &str) -> bool {
        self.attr("class").is_some_and(|c| c.split_ascii_whitespace().any(|x| x == class))
    }
}

/// Collapse runs of white space (including NBSP) to one space and trim.
/// Both walkers apply exactly this, so their texts compare equal.
pub fn collapse_ws(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    for ch in s.chars() {
        if ch.is_whitespace() {
            pending_space = !out.is_empty();
        } else {
            if pending_space {
                out.push(' ');
                pending_space = false;
            }
            out.push(ch);
        }
    }
    out
}

/// Does a text start, and does it end, with white space (`Node::glued`)?
/// Invisible marks (bidi, zero-width) at its edges do not count: white space
/// beyond them does ("14\u{feff}" + "\u{202a} KuCoin" are two words).
pub fn edge_space(t: &str) -> (bool, bool) {
    let mark = |c: &char| crate::net::is_bidi_or_zw(*c);
    let first = t.chars().find(|c| !mark(c));
    let last = t.chars().rev().find(|c| !mark(c));
    (first.is_some_and(char::is_whitespace), last.is_some_and(char::is_whitespace))
}

/// Cut text at `MAX_TEXT` characters (on a char boundary).
pub fn cap_text(s: String) -> String {
    match s.char_indices().nth(MAX_TEXT) {
        Some((i, _)) => crate::util::str_to(&s, i).to_string(),
        None => s,
    }
}

/// Why a snapshot could not be used at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SnapshotError {
    TooLarge(usize),
    BadOrder { id: u32, parent: u32 },
    DuplicateId(u32),
}

impl std::fmt::Display for SnapshotError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SnapshotError::TooLarge(n) => write!(f, "page too large to read ({n} nodes)"),
            SnapshotError::BadOrder { id, parent } => {
                write!(f, "malformed snapshot: node {id} refers to unknown parent {parent}")
            }
            SnapshotError::DuplicateId(id) => write!(f, "malformed snapshot: duplicate node id {id}"),
        }
    }
}

/// An indexed view of a snapshot: positions, children, subtree ranges.
///
/// Everything the extractor needs is O(1) or O(log n) from here, so a
/// 5,000-row page is read in one linear pass.
pub struct Tree<'a> {
    pub snap: &'a Snapshot,
    /// position of the parent in `snap.nodes`, `usize::MAX` for roots.
    pub parent: Vec<usize>,
    /// one past the last descendant's position (pre-order subtree range).
    pub end: Vec<usize>,
    pub depth: Vec<u16>,
    /// hidden, inherited from ancestors.
    pub hidden: Vec<bool>,
    /// Node ids in snapshot order and their sorted index (`util::first_at`):
    /// id → position without a hash map in the wasm.
    ids: Vec<u32>,
    id_index: Vec<usize>,
}

pub const NO_PARENT: usize = usize::MAX;

impl<'a> Tree<'a> {
    pub fn new(snap: &'a Snapshot) -> Result<Self, SnapshotError> {
        let n = snap.nodes.len();
        if n > MAX_NODES {
            return Err(SnapshotError::TooLarge(n));
        }
        let mut ids: Vec<u32> = Vec::with_capacity(n);
        for node in &snap.nodes {
            ids.push(node.id);
        }
        let id_index = crate::util::index_u32(&ids);
        // The first node whose id is 0 or was used before: an error at that
        // node, after any ordering error earlier in the walk.
        let mut first_bad = ids.iter().position(|&id| id == 0).unwrap_or(usize::MAX);
        for w in id_index.windows(2) {
            if ids[w[0]] == ids[w[1]] {
                first_bad = first_bad.min(w[1]);
            }
        }
        let mut parent = Vec::with_capacity(n);
        let mut end = Vec::with_capacity(n);
        for _ in 0..n {
            parent.push(NO_PARENT);
            end.push(n);
        }
        let mut depth = vec![0u16; n];
        let mut hidden = vec![false; n];
        // The open ancestor chain. Pre-order means a node's parent must be on
        // it; everything popped on the way is closed (its subtree ends here).
        let mut stack: Vec<usize> = Vec::new();
        for (i, node) in snap.nodes.iter().enumerate() {
            if i == first_bad {
                return Err(SnapshotError::DuplicateId(node.id));
            }
            // Ids before `first_bad` are unique: the parent, if it was seen,
            // is the one open ancestor with its id.
            let want = if node.parent == 0 { None } else { Some(node.parent) };
            while let Some(&top) = stack.last() {
                if Some(ids[top]) == want {
                    break;
                }
                end[top] = i;
                stack.pop();
            }
            match want {
                Some(_) => {
                    let Some(&p) = stack.last() else {
                        return Err(SnapshotError::BadOrder { id: node.id, parent: node.parent });
                    };
                    if snap.nodes[p].is_text() {
                        return Err(SnapshotError::BadOrder { id: node.id, parent: node.parent });
                    }
                    parent[i] = p;
                    depth[i] = depth[p].saturating_add(1);
                    hidden[i] = hidden[p] || node.hidden;
                }
                None => hidden[i] = node.hidden,
            }
            stack.push(i);
        }
        Ok(Tree { snap, parent, end, depth, hidden, ids, id_index })
    }

    /// Texts with words (not only spaces, bidi or zero-width marks) in the
    /// subtree of `pos`, counted before each of its positions: `c[k]` before
    /// `pos + k`, `c[len]` in all. An element at `q` holds no words when
    /// `c[end[q] - pos] == c[q - pos]` (an icon): one pass, however deep.
    pub fn word_counts(&self, pos: usize) -> Vec<u32> {
        let mut c: Vec<u32> = Vec::with_capacity(self.end[pos] - pos + 1);
        let mut seen = 0u32;
        for q in pos..self.end[pos] {
            c.push(seen);
            let n = self.node(q);
            if n.is_text() && !crate::util::trim_with(&n.text, crate::net::is_trim).is_empty() {
                seen += 1;
            }
        }
        c.push(seen);
        c
    }

    pub fn len(&self) -> usize {
        self.snap.nodes.len()
    }
    pub fn is_empty(&self) -> bool {
        self.snap.nodes.is_empty()
    }
    pub fn node(&self, pos: usize) -> &'a Node {
        &self.snap.nodes[pos]
    }
    pub fn pos(&self, id: u32) -> Option<usize> {
        crate::util::first_at(&self.ids, &self.id_index, id)
    }
    /// Is `inner` inside `outer`'s subtree (or equal)?
    pub fn contains(&self, outer: usize, inner: usize) -> bool {
        outer <= inner && inner < self.end[outer]
    }
    /// Direct element children positions, in order.
    pub fn element_children(&self, pos: usize) -> Vec<usize> {
        let mut out = Vec::new();
        let mut i = pos + 1;
        while i < self.end[pos] {
            if !self.snap.nodes[i].is_text() {
                out.push(i);
            }
            i = self.end[i];
        }
        out
    }
    /// Text of the subtree, pieces joined by one space, whitespace collapsed.
    pub fn text(&self, pos: usize) -> String {
        let mut out = String::new();
        for i in pos..self.end[pos] {
            let n = &self.snap.nodes[i];
            if n.is_text() && !n.text.is_empty() {
                if !out.is_empty() {
                    out.push(' ');
                }
                out.push_str(&n.text);
            }
        }
        out
    }
    /// Visible text pieces of the subtree, in order, with their positions.
    pub fn text_pieces(&self, pos: usize) -> Vec<(usize, &'a str)> {
        let mut out = Vec::new();
        for i in pos..self.end[pos] {
            let n = &self.snap.nodes[i];
            if n.is_text() && !n.text.is_empty() {
                out.push((i, n.text.as_str()));
            }
        }
        out
    }
    /// Only inline elements (`INLINE_TAGS`) open or close between the
    /// positions `a` < `b`: one line of text, no box edge between them.
    pub fn inline_between(&self, a: usize, b: usize) -> bool {
        let inline = |q: usize| {
            let n = self.node(q);
            n.is_text() || INLINE_TAGS.contains(&n.tag.as_str())
        };
        // opened between them, then closed between them
        (a + 1..b).all(inline) && self.ancestors(a).take_while(|&p| !self.contains(p, b)).all(inline)
    }
    /// The text after the text at `pos` on its line (`inline_between`), if any.
    pub fn next_inline_text(&self, pos: usize) -> Option<usize> {
        for q in pos + 1..self.len() {
            let n = self.node(q);
            if !n.is_text() && !INLINE_TAGS.contains(&n.tag.as_str()) {
                return None;
            }
            if n.is_text() && !n.text.is_empty() {
                return Some(q).filter(|&q| self.inline_between(pos, q));
            }
        }
        None
    }
    /// The texts around the text at `pos` on its line (`inline_between`), up
    /// to `most` on each side: the positions of the first and the last.
    pub fn line(&self, pos: usize, most: usize) -> (usize, usize) {
        let mut to = pos;
        for _ in 0..most {
            match self.next_inline_text(to) {
                Some(q) => to = q,
                None => break,
            }
        }
        let mut from = pos;
        let mut q = pos;
        let mut seen = 0;
        while q > 0 && seen < most {
            q -= 1;
            let n = self.node(q);
            if !n.is_text() && !INLINE_TAGS.contains(&n.tag.as_str()) {
                break;
            }
            if n.is_text() && !n.text.is_empty() {
                if !self.inline_between(q, from) {
                    break;
                }
                from = q;
                seen += 1;
            }
        }
        (from, to)
    }
    /// Ancestors from the parent up to the root.
    pub fn ancestors(&self, pos: usize) -> impl Iterator<Item = usize> + '_ {
        let mut cur = self.parent[pos];
        std::iter::from_fn(move || {
            if cur == NO_PARENT {
                None
            } else {
                let r = cur;
                cur = self.parent[cur];
                Some(r)
            }
        })
    }
    /// Nearest element at or above `pos` (text nodes map to their parent).
    pub fn element_of(&self, pos: usize) -> usize {
        if self.snap.nodes[pos].is_text() && self.parent[pos] != NO_PARENT {
            self.parent[pos]
        } else {
            pos
        }
    }
    /// Lowest common ancestor of two positions.
    pub fn common_ancestor(&self, a: usize, b: usize) -> Option<usize> {
        let (mut x, mut y) = (a, b);
        while self.depth[x] > self.depth[y] {
            x = self.parent[x];
        }
        while self.depth[y] > self.depth[x] {
            y = self.parent[y];
        }
        while x != y {
            if self.parent[x] == NO_PARENT || self.parent[y] == NO_PARENT {
                return None;
            }
            x = self.parent[x];
            y = self.parent[y];
        }
        Some(x)
    }
    /// Does the subtree contain a `button` (or role=button) element?
    pub fn buttons(&self, pos: usize) -> Vec<usize> {
        let mut out = Vec::new();
        for i in pos..self.end[pos] {
            let n = &self.snap.nodes[i];
            if n.tag == "button" || n.attr("role") == Some("button") {
                out.push(i);
            }
        }
        out
    }
}

/// Every word split across text nodes made whole again, in place: a glued
/// text (`Node::glued`) is appended to the text before it, without a space,
/// and left empty, when only inline elements (`INLINE_TAGS`) open or close
/// between them and both are equally hidden; it stays glued (an empty glued
/// text is a joined part) and every other text is no longer glued, so a
/// second pass finds nothing to do. Everything downstream then reads `Chr` +
/// `ome` as the `Chrome` on screen. Whether anything was joined.
pub fn join_glued(snap: &mut Snapshot) -> bool {
    if !snap.nodes.iter().any(|n| n.glued && !n.text.is_empty()) {
        return false;
    }
    let Ok(tree) = Tree::new(snap) else { return false };
    // (the run's first text, a text to append to it)
    let mut joins: Vec<(usize, usize)> = Vec::new();
    let (mut prev, mut head) = (NO_PARENT, NO_PARENT);
    for i in 0..tree.len() {
        let n = tree.node(i);
        if !n.is_text() || n.text.is_empty() {
            continue;
        }
        let joined = n.glued && prev != NO_PARENT && tree.hidden[prev] == tree.hidden[i] && tree.inline_between(prev, i);
        if joined {
            joins.push((head, i));
        } else {
            head = i;
        }
        prev = i;
    }
    let nodes = &mut snap.nodes;
    for n in nodes.iter_mut() {
        n.glued = false;
    }
    for &(h, i) in &joins {
        let t = std::mem::take(&mut nodes[i].text);
        nodes[i].glued = true;
        nodes[h].text.push_str(&t);
        if nodes[h].text.len() > MAX_TEXT {
            nodes[h].text = cap_text(std::mem::take(&mut nodes[h].text));
        }
    }
    !joins.is_empty()
}

/// A copy of `snap` with its words joined (`join_glued`), `None` when it has
/// none to join: for readers handed a snapshot as built (host tools, tests).
/// The wasm entry joins the snapshot it decoded in place (`bindings::scan`),
/// so there this is always `None` and no copy is shipped.
pub fn joined(snap: &Snapshot) -> Option<Snapshot> {
    #[cfg(not(target_arch = "wasm32"))]
    if snap.nodes.iter().any(|n| n.glued && !n.text.is_empty()) {
        let mut copy = snap.clone();
        if join_glued(&mut copy) {
            return Some(copy);
        }
    }
    let _ = snap;
    None
}

#[cfg(test)]
pub mod build {
    //! Tiny builder for hand-made snapshots in tests.
    use super::*;

    pub struct B {
        pub snap: Snapshot,
        next: u32,
    }
    impl B {
        pub fn new(url: &str) -> Self {
            B { snap: Snapshot { url: url.into(), lang: "en".into(), ..Default::default() }, next: 1 }
        }
        pub fn el(&mut self, parent: u32, tag: &str, attrs: &[(&str, &str)]) -> u32 {
            let id = self.next;
            self.next += 1;
            self.snap.nodes.push(Node {
                id,
                parent,
                tag: tag.into(),
                text: String::new(),
                attrs: attrs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
                ..Default::default()
            });
            id
        }
        pub fn text(&mut self, parent: u32, text: &str) -> u32 {
            let id = self.next;
            self.next += 1;
            self.snap.nodes.push(Node { id, parent, tag: TEXT_TAG.into(), text: collapse_ws(text), ..Default::default() });
            id
        }
        /// A text that continues the previous one (`Node::glued`).
        pub fn glued(&mut self, parent: u32, text: &str) -> u32 {
            let id = self.text(parent, text);
            self.snap.nodes.last_mut().unwrap().glued = true;
            id
        }
        /// Elements nested in `tags` order (outermost first) around one text;
        /// returns the outermost.
        pub fn nested(&mut self, parent: u32, tags: &[&str], text: &str) -> u32 {
            let mut at = parent;
            let mut outer = parent;
            for (i, tag) in tags.iter().enumerate() {
                at = self.el(at, tag, &[]);
                if i == 0 {
                    outer = at;
                }
            }
            self.text(at, text);
            outer
        }
        /// Element with one text child.
        pub fn el_text(&mut self, parent: u32, tag: &str, text: &str) -> u32 {
            let e = self.el(parent, tag, &[]);
            self.text(e, text);
            e
        }
    }
}

#[cfg(test)]
mod tests {
    use super::build::B;
    use super::*;

    #[test]
    fn collapse_whitespace() {
        assert_eq!(collapse_ws("  a \n\t b\u{a0}c  "), "a b c");
        assert_eq!(collapse_ws(""), "");
        assert_eq!(collapse_ws("   "), "");
    }

    #[test]
    fn tree_ranges_and_text() {
        let mut b = B::new("https://x/");
        let t = b.el(0, "table", &[]);
        let r1 = b.el(t, "tr", &[]);
        b.el_text(r1, "td", "a");
        b.el_text(r1, "td", "b");
        let r2 = b.el(t, "tr", &[]);
        b.el_text(r2, "td", "c");
        let tree = Tree::new(&b.snap).unwrap();
        let tp = tree.pos(t).unwrap();
        assert_eq!(tree.text(tp), "a b c");
        assert_eq!(tree.element_children(tp).len(), 2);
        let r1p = tree.pos(r1).unwrap();
        assert_eq!(tree.text(r1p), "a b");
        assert!(tree.contains(tp, tree.pos(r2).unwrap()));
        assert!(!tree.contains(r1p, tree.pos(r2).unwrap()));
        assert_eq!(tree.common_ancestor(r1p, tree.pos(r2).unwrap()), Some(tp));
    }

    #[test]
    fn rejects_malformed() {
        let mut s = Snapshot::default();
        s.nodes.push(Node { id: 1, parent: 5, tag: "div".into(), ..Default::default() });
        assert!(matches!(Tree::new(&s), Err(SnapshotError::BadOrder { .. })));
        let mut s = Snapshot::default();
        s.nodes.push(Node { id: 1, parent: 0, tag: "div".into(), ..Default::default() });
        s.nodes.push(Node { id: 1, parent: 0, tag: "div".into(), ..Default::default() });
        assert!(matches!(Tree::new(&s), Err(SnapshotError::DuplicateId(1))));
        // a child under a text node
        let mut s = Snapshot::default();
        s.nodes.push(Node { id: 1, parent: 0, tag: TEXT_TAG.into(), ..Default::default() });
        s.nodes.push(Node { id: 2, parent: 1, tag: "div".into(), ..Default::default() });
        assert!(Tree::new(&s).is_err());
        // non-contiguous subtree: 1 > 2, 3 (root), then 4 claims parent 1
        let mut s = Snapshot::default();
        s.nodes.push(Node { id: 1, parent: 0, tag: "div".into(), ..Default::default() });
        s.nodes.push(Node { id: 2, parent: 1, tag: "div".into(), ..Default::default() });
        s.nodes.push(Node { id: 3, parent: 0, tag: "div".into(), ..Default::default() });
        s.nodes.push(Node { id: 4, parent: 1, tag: "div".into(), ..Default::default() });
        assert!(Tree::new(&s).is_err());
    }

    /// The first error in snapshot order is the one reported, whatever its
    /// kind (duplicates are found by sorting ids, not while walking).
    #[test]
    fn first_error_wins() {
        let n = |id, parent| Node { id, parent, tag: "div".into(), ..Default::default() };
        let snap = |nodes: Vec<Node>| Snapshot { nodes, ..Default::default() };
        // bad order at 2, duplicate at 3
        let s = snap(vec![n(1, 0), n(2, 9), n(1, 0)]);
        assert!(matches!(Tree::new(&s), Err(SnapshotError::BadOrder { id: 2, parent: 9 })));
        // duplicate of 3 at position 2 comes before the duplicate of 1 at position 3
        let s = snap(vec![n(1, 0), n(3, 1), n(3, 1), n(1, 0)]);
        assert!(matches!(Tree::new(&s), Err(SnapshotError::DuplicateId(3))));
        // id 0 is never valid
        let s = snap(vec![n(1, 0), n(0, 1)]);
        assert!(matches!(Tree::new(&s), Err(SnapshotError::DuplicateId(0))));
        // a node that names itself as parent
        let s = snap(vec![n(1, 0), n(2, 2)]);
        assert!(matches!(Tree::new(&s), Err(SnapshotError::BadOrder { id: 2, parent: 2 })));
        // closed parent: 1 > 2, then 3 at the root, then 4 under 2
        let s = snap(vec![n(1, 0), n(2, 1), n(3, 0), n(4, 2)]);
        assert!(matches!(Tree::new(&s), Err(SnapshotError::BadOrder { id: 4, parent: 2 })));
        // positions by id after a valid walk
        let s = snap(vec![n(7, 0), n(3, 7), n(5, 3), n(4, 7)]);
        let t = Tree::new(&s).unwrap();
        assert_eq!([7, 3, 5, 4, 6].map(|id| t.pos(id)), [Some(0), Some(1), Some(2), Some(3), None]);
        assert_eq!(t.parent[3], 0);
        assert_eq!(t.end[1], 3);
    }

    /// The compact form reads as the same snapshot as the object form.
    #[test]
    fn compact_form_reads_like_objects() {
        let mut b = B::new("https://www.kucoin.com/account/security");
        let t = b.el(0, "table", &[("class", "a \"b\" \\ c"), ("data-testid", "t"), ("x-other", "kept by name")]);
        b.snap.nodes[0].hidden = true;
        b.el_text(t, "td", "Lagos (198.51.100.7) \u{1}\u{2028}é😀");
        b.snap.page_id = "p-1".into();
        b.snap.env.ua = "UA".into();
        b.snap.env.brands = vec![("B".into(), "1".into())];
        let text = to_compact(&b.snap);
        assert!(text.contains(r#""n":[[1,0,"table",1,1,"a \"b\" \\ c",13,"t","x-other","kept by name"],[2,1,"td"],[3,2,0,"#), "{text}");
        let back: Snapshot = json::from_text(&text).unwrap();
        assert_eq!(back, b.snap);
        // the object form of the same snapshot
        let objects: Snapshot = json::from_text(&json::to_text(&b.snap)).unwrap();
        assert_eq!(objects, back);
        // hand-written: defaults omitted, a hidden text node, glued texts (2, 3 = 2 + hidden)
        let s: Snapshot = json::from_text(r#"{"url":"u","n":[[1,0,"div"],[2,1,1,"x"],[3,1,"a",0,7,"/"],[4,3,2,"y"],[5,3,3,"z"]]}"#).unwrap();
        assert_eq!(s.nodes[0], Node { id: 1, parent: 0, tag: "div".into(), ..Default::default() });
        assert_eq!(s.nodes[1], Node { id: 2, parent: 1, tag: TEXT_TAG.into(), text: "x".into(), hidden: true, ..Default::default() });
        assert_eq!(s.nodes[3], Node { id: 4, parent: 3, tag: TEXT_TAG.into(), text: "y".into(), glued: true, ..Default::default() });
        assert_eq!(s.nodes[4], Node { id: 5, parent: 3, tag: TEXT_TAG.into(), text: "z".into(), hidden: true, glued: true, ..Default::default() });
        assert!(to_compact(&s).contains(r#"[4,3,2,"y"],[5,3,3,"z"]"#), "{}", to_compact(&s));
        // the object form without `glued` (older fixtures): not glued
        let o: Snapshot = json::from_text(r##"{"url":"u","nodes":[{"id":1,"parent":0,"tag":"#text","text":"x"}]}"##).unwrap();
        assert!(!o.nodes[0].glued);
        assert_eq!(s.nodes[2].attrs, vec![("href".to_string(), "/".to_string())]);
    }

    #[cfg(feature = "cli")]
    #[test]
    fn compact_form_of_a_fixture_round_trips() {
        let html = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures/kucoin/security-en-hostile.html")).unwrap();
        let snap = crate::html_snapshot::snapshot_from_html(&html, "https://www.kucoin.com/account/security");
        let compact = to_compact(&snap);
        let objects = json::to_text(&snap);
        assert!(compact.len() * 2 < objects.len(), "{} vs {}", compact.len(), objects.len());
        assert_eq!(json::from_text::<Snapshot>(&compact).unwrap(), snap);
    }

    /// Malformed compact nodes are errors that say where; the first bad node wins.
    #[test]
    fn compact_form_errors() {
        for (t, want) in [
            (r#"{"url":"u","n":[[1,0]]}"#, "n[0]: invalid compact node: expected [id, parent, tag, …] or [id, parent, flags, text]"),
            (r#"{"url":"u","n":[[1,0,"p"],{"id":2}]}"#, "n[1]: invalid type: an object, expected a list"),
            (r#"{"url":"u","n":[[-1,0,"p"]]}"#, "n[0][0]: invalid value: integer `-1`, expected u32"),
            (r#"{"url":"u","n":[[1,0.5,"p"]]}"#, "n[0][1]: invalid type: floating point `0.5`, expected u32"),
            (r#"{"url":"u","n":[[1,0,"p",2]]}"#, "n[0][3]: invalid value: integer `2`, expected 0 or 1"),
            (r#"{"url":"u","n":[[1,0,"p",0,1]]}"#, "n[0]: invalid compact node: an attribute without a value"),
            (r#"{"url":"u","n":[[1,0,"p",0,22,"x"]]}"#, "n[0][4]: invalid value: integer `22`, expected an index in KEPT_ATTRS"),
            (r#"{"url":"u","n":[[1,0,"p",0,1,7]]}"#, "n[0][5]: invalid type: integer `7`, expected a string"),
            (r#"{"url":"u","n":[[1,0,0,"t","x"]]}"#, "n[0]: invalid compact node: a text node is [id, parent, flags, text]"),
            (r#"{"url":"u","n":[[1,0,null,"t"]]}"#, "n[0][2]: invalid type: null, expected 0 to 3"),
            (r#"{"url":"u","n":[[1,0,4,"t"]]}"#, "n[0][2]: invalid value: integer `4`, expected 0 to 3"),
            (r#"{"url":"u","n":[[1,0,0,5]]}"#, "n[0][3]: invalid type: integer `5`, expected a string"),
            (r#"{"url":"u","n":{}}"#, "n: invalid type: an object, expected a list"),
            (r#"{"n":[]}"#, "missing field `url`"),
            (r#"{"url":"u","n":[[1,0,"p"],[1,0,0,"x"],[2,1,"p",9]]}"#, "n[2][3]: invalid value: integer `9`, expected 0 or 1"),
        ] {
            assert_eq!(json::from_text::<Snapshot>(t).map(|_| ()), Err(want.to_string()), "{t}");
        }
        // decoded, then the tree's checks apply as to any snapshot: the first error in order wins
        let s: Snapshot = json::from_text(r#"{"url":"u","n":[[1,0,"p"],[2,9,"p"],[1,0,0,"x"]]}"#).unwrap();
        assert!(matches!(Tree::new(&s), Err(SnapshotError::BadOrder { id: 2, parent: 9 })));
    }

    /// A word split over text nodes and inline elements is read whole; the
    /// same texts across a block edge, with white space between, or one of
    /// them hidden, stay two.
    #[test]
    fn glued_texts_are_joined_within_a_line_only() {
        let mut b = B::new("https://x/");
        let td = b.el(0, "td", &[]);
        b.text(td, "Chr");
        let span = b.el(td, "span", &[]);
        let bold = b.el(span, "b", &[]);
        b.glued(bold, "om");
        b.glued(td, "e");
        let div = b.el(td, "div", &[]);
        b.glued(div, "Current"); // a block: its own line
        b.glued(td, "x"); // after the div closed
        let s = b.el(td, "span", &[]);
        b.snap.nodes.last_mut().unwrap().hidden = true;
        b.glued(s, "y"); // hidden, after a shown text
        let j = joined(&b.snap).expect("something to join");
        let texts: Vec<&str> = j.nodes.iter().filter(|n| n.is_text()).map(|n| n.text.as_str()).collect();
        assert_eq!(texts, ["Chrome", "", "", "Current", "x", "y"]);
        let tree = Tree::new(&j).unwrap();
        assert_eq!(tree.text(0), "Chrome Current x y");
        // the parts stay marked (the reader finds the element holding the word), and a
        // second pass has nothing to do
        assert!(j.nodes[4].glued && j.nodes[5].glued && !j.nodes[7].glued);
        assert_eq!(joined(&j), None);
        let mut again = j.clone();
        assert!(!join_glued(&mut again));
        assert_eq!(again, j);
        // without a glued text: no copy
        let mut b = B::new("https://x/");
        let td = b.el(0, "td", &[]);
        b.text(td, "Chr");
        b.text(td, "ome");
        assert_eq!(joined(&b.snap), None);
        assert_eq!(Tree::new(&b.snap).unwrap().text(0), "Chr ome");
    }

    /// One line of text: the texts only inline elements separate.
    #[test]
    fn lines_end_at_block_edges() {
        let mut b = B::new("https://x/");
        let td = b.el(0, "td", &[]);
        let a = b.text(td, "Singapore(");
        let span = b.el(td, "span", &[]);
        let ip = b.text(span, "203.0.113.24");
        let c = b.text(td, ")");
        let br = b.el(td, "br", &[]);
        let d = b.text(td, "next line");
        let _ = br;
        let tree = Tree::new(&b.snap).unwrap();
        let pos = |id| tree.pos(id).unwrap();
        assert_eq!(tree.line(pos(ip), 3), (pos(a), pos(c)));
        assert_eq!(tree.next_inline_text(pos(c)), None);
        assert_eq!(tree.line(pos(d), 3), (pos(d), pos(d)));
        assert_eq!(tree.line(pos(ip), 0), (pos(ip), pos(ip)));
    }

    #[test]
    fn hidden_inherits() {
        let mut b = B::new("https://x/");
        let d = b.el(0, "div", &[]);
        b.snap.nodes[0].hidden = true;
        let c = b.el(d, "span", &[]);
        let tree = Tree::new(&b.snap).unwrap();
        assert!(tree.hidden[tree.pos(c).unwrap()]);
    }
}
