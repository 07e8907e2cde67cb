//! Host-only: build a `Snapshot` from HTML text, the way the content script
//! builds one from the live DOM (same walk, same attributes, same text rules),
//! so fixtures and saved pages can be run through the core without a browser.
//! Visibility is approximated from markup (`hidden`, inline `display:none` /
//! `visibility:hidden`); the browser computes it from layout.

use crate::snapshot::{cap_text, collapse_ws, Node, Snapshot, KEPT_ATTRS, MAX_TEXT, SKIPPED_TAGS, TEXT_TAG};
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
    while let Some((node, parent)) = stack.pop() {
        match node.value() {
            HNode::Text(t) => {
                let text = collapse_ws(t);
                if !text.is_empty() {
                    let text = if text.len() > MAX_TEXT { cap_text(text) } else { text };
                    out.push(Node { id: next, parent, tag: TEXT_TAG.into(), text, attrs: Vec::new(), hidden: false });
                    next += 1;
                }
            }
            HNode::Element(v) => {
                let tag = v.name().to_ascii_lowercase();
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
                out.push(Node { id, parent, tag: tag.clone(), text: String::new(), attrs, hidden });
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
}
