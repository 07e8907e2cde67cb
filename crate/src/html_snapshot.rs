//! Host-only: build a `Snapshot` from HTML text, the way the content script
//! builds one from the live DOM (same walk, same attributes, same text rules),
//! so fixtures and saved pages can be run through the core without a browser.
//! Visibility is approximated from markup (`hidden`, inline `display:none` /
//! `visibility:hidden`); the browser computes it from layout.

use crate::snapshot::{cap_text, collapse_ws, edge_space, Node, Snapshot, KEPT_ATTRS, MAX_TEXT, SKIPPED_TAGS, TEXT_TAG};
use scraper::{ElementRef, Html, Node as HNode, Selector};


pub fn snapshot_from_html(html: &str, url: &str) -> Snapshot {
    let doc = Html::parse_document(html);
    let root = doc.root_element();
    let lang = root.value().attr("lang").unwrap_or("").to_string();
    let dir = root.value().attr("dir").unwrap_or("").to_string();
    let mut snap = Snapshot { url: url.to_string(), lang, dir, nodes: Vec::new(), env: Default::default(), tab: 0, page_id: String::new() };
    let body_sel = Selector::parse("body").expect("static selector");
    if let Some(body) = doc.select(&body_sel).next() {
        walk(body, &mut snap.nodes);
    }
    snap
}

fn inline_hidden(style: &str) -> bool {
    let s: String = style.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_lowercase();
    s.contains("display:none") || s.contains("visibility:hidden")
}

/// Iterative pre-order walk (a hostile page can nest deeper than the stack).
fn walk(body: ElementRef, out: &mut Vec<Node>) {
    let mut next = 1u32;
    // (node, parent id); children pushed in reverse so they pop in order
    let mut stack = vec![(*body, 0u32)];
    // The last text ended without white space and no element was met since
    // (`Node::glued`). Without CSS the host cannot tell an inline element
    // from a box of its own (`KuxTag-root` spans, `<b>name</b><i>V2</i>`
    // styled apart), so it glues only texts no element separates (split by a
    // comment, as React writes `Chr<!-- -->ome`); the browser also glues
    // across elements it sees laid out inline (content.js `flows`).
    let mut touch = false;
    let mut prev_parent = None;
    while let Some((node, parent)) = stack.pop() {
        match node.value() {
            HNode::Text(t) => {
                let text = collapse_ws(t);
                if text.is_empty() {
                    touch = false;
                    continue;
                }
                // (and no element closed since: the same parent)
                let (starts, ends) = edge_space(t);
                let glued = touch && !starts && prev_parent == Some(parent);
                touch = !ends;
                prev_parent = Some(parent);
                let text = if text.len() > MAX_TEXT { cap_text(text) } else { text };
                out.push(Node { id: next, parent, tag: TEXT_TAG.into(), text, attrs: Vec::new(), hidden: false, glued });
                next += 1;
            }
            HNode::Element(v) => {
                let tag = v.name().to_ascii_lowercase();
                touch = false;
                if SKIPPED_TAGS.contains(&tag.as_str()) || v.attr("data-session-guard-ui").is_some() {
                    continue;
                }
                let id = next;
                next += 1;
                let attrs = KEPT_ATTRS
                    .iter()
                    .filter_map(|k| v.attr(k).map(|val| (k.to_string(), cap_text(val.to_string()))))
                    .collect();
                let hidden = v.attr("hidden").is_some() || v.attr("style").is_some_and(inline_hidden);
                out.push(Node { id, parent, tag: tag.clone(), text: String::new(), attrs, hidden, glued: false });
                if tag == "svg" || v.attr("contenteditable").is_some_and(|c| c != "false") {
                    continue;
                }
                let kids: Vec<_> = node.children().collect();
                for k in kids.into_iter().rev() {
                    stack.push((k, id));
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walks_body_skips_scripts_and_inputs_values() {
        let s = snapshot_from_html(
            r#"<html lang="ru"><head><title>t</title></head><body><div id="a" class="x" onclick="f()">Hi <b>there</b>
            <script>var secret=1</script><template><p>tpl</p></template><input type="password" value="hunter2"><textarea>typed</textarea></div></body></html>"#,
            "https://www.kucoin.com/account/security",
        );
        assert_eq!(s.lang, "ru");
        let tags: Vec<&str> = s.nodes.iter().map(|n| n.tag.as_str()).collect();
        assert_eq!(tags, ["body", "div", "#text", "b", "#text", "input"]);
        assert_eq!(s.nodes[1].attrs, vec![("id".to_string(), "a".to_string()), ("class".to_string(), "x".to_string())]);
        assert!(!format!("{s:?}").contains("hunter2"));
        assert!(!format!("{s:?}").contains("typed"));
        assert!(!format!("{s:?}").contains("secret"));
    }

    /// A text is glued to the one before when no white space is between them
    /// (a blank text node counts) and no element: on the host only texts a
    /// comment splits.
    #[test]
    fn glued_texts() {
        let glued = |body: &str| -> Vec<(String, bool)> {
            let s = snapshot_from_html(&format!("<html><body>{body}</body></html>"), "https://x/");
            s.nodes.iter().filter(|n| n.is_text()).map(|n| (n.text.clone(), n.glued)).collect()
        };
        let t = |x: &str, g: bool| (x.to_string(), g);
        assert_eq!(glued("<div>Chr<!-- -->o<!-- x -->me</div>"), [t("Chr", false), t("o", true), t("me", true)]);
        assert_eq!(glued("<div>Chr <!-- -->ome<!-- --> x</div>"), [t("Chr", false), t("ome", false), t("x", false)]);
        assert_eq!(glued("<div>Chr<!-- --> <!-- -->ome</div>"), [t("Chr", false), t("ome", false)]);
        assert_eq!(glued("<div>Chr<script>x</script>ome</div>"), [t("Chr", false), t("ome", false)]);
        assert_eq!(glued("<div>Chr<span>o</span><b><i>me</i></b></div>"), [t("Chr", false), t("o", false), t("me", false)]);
        assert_eq!(glued("<div>Chr <span>ome</span></div><div>x</div>"), [t("Chr", false), t("ome", false), t("x", false)]);
        assert_eq!(glued("<div>Chr<span> </span>ome</div>"), [t("Chr", false), t("ome", false)]);
        assert_eq!(glued("<div>Chr<div>ome</div>x</div>"), [t("Chr", false), t("ome", false), t("x", false)]);
        assert_eq!(glued("<div>Linux Chrome<span class=\"KuxTag-root\">Current</span></div>"), [t("Linux Chrome", false), t("Current", false)]);
        assert_eq!(glued("<div>a<span style=\"margin:4px\">b</span>c<br>d<script>x</script>e</div>"), [t("a", false), t("b", false), t("c", false), t("d", false), t("e", false)]);
        assert_eq!(glued("<p><span>Singapore(</span><span>203.0.113.24</span>)</p>"), [t("Singapore(", false), t("203.0.113.24", false), t(")", false)]);
    }
}
