//! The settings read from the security page's cards and the popup's
//! checklist built on them: never "Done" on what was not read.
#![cfg(not(target_arch = "wasm32"))]

use session_guard::app::{handle_scan, ListPages, ScanReport};
use session_guard::assess::Summary;
use session_guard::extract::{extract, TableKind};
use session_guard::html_snapshot::snapshot_from_html;
use session_guard::popup::{self, CheckState};
use session_guard::storage::State;

const SECURITY: &str = "https://www.kucoin.com/account/security";

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!("{}/../tests/fixtures/kucoin/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

/// `html` with the setting card around `id="security-item-{id}"` passed through `edit`.
fn edit_card(html: &str, id: &str, edit: impl Fn(&str) -> String) -> String {
    let i = html.find(&format!("id=\"security-item-{id}\"")).unwrap();
    let start = html[..i].rfind("<div class=\"css-0iilhli\">").unwrap();
    let end = i + html[i..].find("<div class=\"css-0iilhli\">").unwrap();
    format!("{}{}{}", &html[..start], edit(&html[start..end]), &html[end..])
}

#[test]
fn a_setting_card_without_its_own_button_is_not_known() {
    // The card list with no Passkeys card: its first button is Google Verification's "Change".
    let base = fixture("security-en.html");
    let base = edit_card(&base, "passkey", |_| String::new());
    let settings = |html: &str| extract(&snapshot_from_html(html, SECURITY)).settings;
    assert_eq!(settings(&base).anti_phishing, Some(false));
    // Anti-Phishing Code's card with its status as a link, as text, or none:
    // not another card's "Change" ("Done").
    for shown in ["<a href=\"/account/security/safeWord\">Configure</a>", "<span>Not set</span>", ""] {
        let html = edit_card(&base, "safeWord", |c| {
            let b = c.find("<button").unwrap();
            let e = c.find("</button>").unwrap() + "</button>".len();
            format!("{}{shown}{}", &c[..b], &c[e..])
        });
        assert_eq!(settings(&html).anti_phishing, None, "{shown}");
    }
    // Google Verification's card without its button: not the Passkeys card's "Change".
    let pk = edit_card(&fixture("security-en.html"), "passkey", |c| c.replace(">Configure<", ">Change<"));
    let html = edit_card(&pk, "g2fa", |c| {
        let b = c.find("<button").unwrap();
        let e = c.find("</button>").unwrap() + "</button>".len();
        format!("{}{}", &c[..b], &c[e..])
    });
    assert_eq!(settings(&html).google_2fa, None);
    // (the cards as they are still read)
    let s = settings(&fixture("security-en.html"));
    assert_eq!((s.google_2fa, s.anti_phishing, s.restrict_login_ip, s.email_linked, s.phone_linked), (Some(true), Some(false), Some(false), Some(true), Some(true)));
}

#[test]
fn no_unfamiliar_online_is_not_done_for_one_page_of_several() {
    let summary = Summary { readable: true, sessions: 5, online: 1, ..Default::default() };
    let pages = vec![ListPages { table: TableKind::RecentLogins, current: 1, last: 3, read: vec![1], unverified: Vec::new() }];
    let mut st = State { scan: Some(ScanReport { at: 0, summary, pages, ..Default::default() }), ..Default::default() };
    let state = |st: &State| popup::checklist(st, 60_000).into_iter().find(|c| c.id == "no_unfamiliar_online").unwrap().state;
    assert_eq!(state(&st), CheckState::Unknown);
    st.scan.as_mut().unwrap().pages[0].read = vec![1, 2, 3];
    assert_eq!(state(&st), CheckState::Done);
    st.scan.as_mut().unwrap().summary.unfamiliar_online = 1;
    assert_eq!(state(&st), CheckState::Todo);
    // The replica (Recent Logins page 1 of 3) with its unfamiliar sessions trusted.
    let snap = snapshot_from_html(&fixture("security-en.html"), SECURITY);
    let mut st = State::default();
    handle_scan(&snap, &mut st, 1_752_500_000_000);
    let rows = st.scan.as_ref().unwrap().rows.clone();
    for r in rows.iter().filter(|r| r.table == TableKind::RecentLogins && r.online) {
        let d = session_guard::device::parse_kucoin_device(&r.device);
        st.trust.trust(&d, "mine", r.ip.parse().ok().as_ref(), Some(&r.area), 1_752_500_000_000, false);
    }
    handle_scan(&snap, &mut st, 1_752_500_001_000);
    assert_eq!(st.scan.as_ref().unwrap().summary.unfamiliar_online, 0);
    assert_eq!(state(&st), CheckState::Unknown);
}
