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

/// `html` with `extra` at the end of the page's header (where the account is shown).
fn in_header(html: &str, extra: &str) -> String {
    html.replacen("</header>", &format!("{extra}</header>"), 1)
}

/// `html` without the buttons (and switches) of the setting card `id`.
fn without_buttons(html: &str, id: &str) -> String {
    edit_card(html, id, |c| {
        let mut c = c.to_string();
        while let Some(b) = c.find("<button") {
            let e = b + c[b..].find("</button>").unwrap() + "</button>".len();
            c.replace_range(b..e, "");
        }
        c
    })
}

#[test]
fn a_setting_title_outside_its_card_is_not_read() {
    let settings = |html: &str| extract(&snapshot_from_html(html, SECURITY)).settings;
    let base = fixture("security-en.html");
    // A nickname "Google Verification" in the header, beside a button of the
    // header's: not the card (Google Verification not set up, or set up).
    let unset = edit_card(&base, "g2fa", |c| c.replace(">Change<", ">Configure<"));
    assert_eq!(settings(&in_header(&unset, "<span>Google Verification</span><button type=\"button\">Change</button>")).google_2fa, Some(false));
    assert_eq!(settings(&in_header(&base, "<span>Google Verification</span><button type=\"button\">Log out</button>")).google_2fa, Some(true));
    // A linked third-party account named "Anti-Phishing Code", after the real card.
    let named = |html: &str, button: &str| edit_card(html, "thirdParty", |c| c.replace("Not Linked", "Anti-Phishing Code").replace(">Link<", &format!(">{button}<")));
    assert_eq!(settings(&named(&base, "Change")).anti_phishing, Some(false));
    let set = edit_card(&base, "safeWord", |c| c.replace(">Configure<", ">Change<"));
    assert_eq!(settings(&named(&set, "Unlink")).anti_phishing, Some(true));
    // Two cards each titled like it, saying different things: not known.
    let twice = edit_card(&set, "passkey", |c| c.replace("Passkeys", "Anti-Phishing Code"));
    assert_eq!(settings(&twice).anti_phishing, None);
}

#[test]
fn restrict_login_ip_is_read_from_its_own_switch() {
    let settings = |html: &str| extract(&snapshot_from_html(html, SECURITY)).settings;
    let base = fixture("security-en.html");
    let on = "<button type=\"button\" role=\"switch\" aria-checked=\"true\" class=\"KuxSwitch-root\"></button>";
    // A switch of the header's (a theme toggle), or of another card, turned on.
    assert_eq!(settings(&in_header(&base, on)).restrict_login_ip, Some(false));
    let passkey = edit_card(&base, "passkey", |c| {
        let b = c.find("<button").unwrap();
        let e = c.find("</button>").unwrap() + "</button>".len();
        format!("{}{on}{}", &c[..b], &c[e..])
    });
    assert_eq!(settings(&passkey).restrict_login_ip, Some(false));
    // Its card with a second switch: which one is it.
    let two = edit_card(&base, "restrictIp", |c| c.replacen("<button type=\"button\" role=\"switch\"", &format!("{on}<button type=\"button\" role=\"switch\""), 1));
    assert_eq!(settings(&two).restrict_login_ip, None);
    // (its own switch turned on)
    let own = edit_card(&base, "restrictIp", |c| c.replace("aria-checked=\"false\"", "aria-checked=\"true\""));
    assert_eq!(settings(&own).restrict_login_ip, Some(true));
}

#[test]
fn the_list_of_cards_is_no_card_while_one_card_shows_a_button() {
    // Only the Login Password card shows its button ("Change"): the others
    // still loading, or showing their state another way.
    let mut html = fixture("security-en.html");
    for id in ["passkey", "g2fa", "email", "phone", "tradePwd", "safeWord", "thirdParty", "restrictIp", "freeze"] {
        html = without_buttons(&html, id);
    }
    // (the last card: up to the end of the list)
    html = html.replace("<button type=\"button\" class=\"KuxButton-root KuxButton-outlined css-16evb3b\">Delete</button>", "");
    let s = extract(&snapshot_from_html(&html, SECURITY)).settings;
    assert_eq!((s.google_2fa, s.anti_phishing, s.restrict_login_ip), (None, None, None));
    // The e-mail the header shows is not the Email card's.
    let html = edit_card(&fixture("security-en.html"), "email", |c| c.replace("te***@example.com", "Not Linked").replace(">Change<", ">Link<"));
    assert_ne!(extract(&snapshot_from_html(&html, SECURITY)).settings.email_linked, Some(true));
}

#[test]
fn sessions_are_not_reviewed_on_a_page_that_could_not_be_read() {
    let summary = Summary { readable: false, ..Default::default() };
    let st = State { scan: Some(ScanReport { at: 0, summary, ..Default::default() }), ..Default::default() };
    let item = popup::checklist(&st, 60_000).into_iter().find(|c| c.id == "review_sessions").unwrap();
    assert_eq!(item.state, CheckState::Unknown);
}

#[test]
fn a_masked_address_outside_the_email_and_phone_cards_is_not_linked() {
    let settings = |html: &str| extract(&snapshot_from_html(html, SECURITY)).settings;
    let contact = |html: &str| {
        let mut st = State::default();
        handle_scan(&snapshot_from_html(html, SECURITY), &mut st, 1_752_500_000_000);
        popup::checklist(&st, 1_752_500_000_000).into_iter().find(|c| c.id == "contact_linked").unwrap().state
    };
    let base = fixture("security-en.html");
    assert_eq!(contact(&base), CheckState::Done);
    let unset = |html: &str, id: &str, masked: &str| edit_card(html, id, |c| c.replace(masked, "Not Linked").replace(">Change<", ">Link<"));
    // A linked third-party account ("Unlink"): not the account's own e-mail or phone.
    let third = |html: &str, masked: &str| edit_card(html, "thirdParty", |c| c.replace("Not Linked", masked).replace(">Link<", ">Unlink<"));
    let no_email = third(&unset(&base, "email", "te***@example.com"), "jo***@gmail.com");
    assert_eq!(settings(&no_email).email_linked, None);
    assert_eq!(contact(&no_email), CheckState::Unknown);
    let no_phone = third(&unset(&base, "phone", "+65 ****5678"), "+1 ***4321");
    assert_eq!(settings(&no_phone).phone_linked, None);
    assert_eq!(contact(&no_phone), CheckState::Unknown);
    // The header's account beside a button of the header's saying "Change".
    let header = in_header(&unset(&base, "email", "te***@example.com"), "<button type=\"button\">Change</button>");
    assert_eq!(settings(&header).email_linked, None);
    // (the Email and Phone cards with their "Change", and another card's linked account)
    let s = settings(&third(&base, "jo***@gmail.com"));
    assert_eq!((s.email_linked, s.phone_linked), (Some(true), Some(true)));
}
