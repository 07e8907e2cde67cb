//! Device identification for KuCoin's "Recent Logins" table.
//!
//! Three inputs describe a device:
//! * a raw `User-Agent` string ([`parse_user_agent`]),
//! * the text of KuCoin's "Login Device" cell, `"{system} {device}"` ([`parse_kucoin_device`]),
//! * the browser's own client hints (`navigator.userAgentData`, [`from_client_hints`]).
//!
//! All three produce a [`DeviceInfo`]. Parsing is hand written (no regex), never
//! panics, and is linear in the input; inputs are clipped to a few KiB first, so even
//! a 100 KB string costs microseconds.
//!
//! Precision rule: nothing is reported that the input cannot actually tell. Frozen
//! values of reduced User-Agents (`Windows NT 10.0`, `Mac OS X 10_15_7` / `10.15`,
//! `Android 10; K`, Safari 26's `iPhone OS 18_6`) give no OS version (and `K` no model);
//! Chrome's major version is real and is kept. KuCoin's own "Windows 10" text is kept.
//!
//! Decisions worth knowing:
//! * Families beyond the usual list: "Android WebView" (`; wv)` in-app browsers, e.g.
//!   Telegram's, on Android and HarmonyOS 2-4), "Huawei Browser", "MIUI Browser",
//!   "DuckDuckGo", "ArkWeb" (HarmonyOS web view), "Android Browser" (Android's old stock
//!   browser: `Version/4.0 ... Safari/` with no `Chrome/`), the vendor Android browsers by their
//!   token ("Vivo Browser", "HeyTap Browser", "OPPO Browser", "Mint Browser", "QQ Browser"
//!   for MQQBrowser, "Opera GX" for OPX), which would otherwise read as the web view.
//!   Chromium counts as "Chrome"; Opera GX matches Opera (desktop GX sends Opera's UA)
//!   and HeyTap matches OPPO (its new name). A cell or UA saying "WebView"/"wv" is a web
//!   view whatever browser it also names ("Android 14 Chrome WebView").
//! * Automation, embedded and in-app browsers are their own family, never the browser
//!   whose engine token they carry: "HeadlessChrome" (an attacker's script is the usual
//!   reason for one to log in), "PhantomJS", "Electron", "Facebook", "Instagram",
//!   "WeChat", "Telegram", "TikTok", "LINE", "Twitter", "Google app" (`GSA/`, Google's
//!   search app), "WKWebView" — so `same_device` and `fingerprint` never take them for
//!   the user's own Chrome or Safari. Like any family, one is "this browser" only when
//!   this browser's own User-Agent names it too.
//! * Bots and crawlers give an all-None `DeviceInfo`; HTTP libraries and SDKs give only
//!   `kind: Api` (in KuCoin's text too: "Python Requests", "curl"); `okhttp`/`Dalvik`/
//!   `CFNetwork`/`Dart`/`Alamofire` and anything naming KuCoin give the app ("KuCoin App",
//!   version from a `KuCoin/x.y` token only).
//! * Constant version tokens give no major (`DuckDuckGo/5`, TikTok's build numbers);
//!   `CriOS`/`FxiOS`/`EdgiOS` in a Mac UA (desktop mode on an iPhone or iPad) give iOS
//!   with no version, model or form factor.
//! * KuCoin text: a model with no browser and no "app" word ("iOS 17.5 iPhone",
//!   "Android 13 SM-S918B") has `kind: None` (it may be the app or a mobile browser).
//!   Android/HarmonyOS/iOS texts give no form factor unless iPhone/iPad/iPadOS say so.
//!   "Android 10 K" (a reduced UA's frozen pair), "Ubuntu 22.04" and "Chrome OS 14541"
//!   give no OS version.
//! * `fingerprint` and `same_device` treat Brave, Vivaldi and Chromium as Chrome: their
//!   User-Agent is Chrome's, so KuCoin's table cannot tell them apart.
//! * `same_device` treats a field unknown on either side as compatible, but needs the OS
//!   or the browser known on both sides (two empty infos are not "the same device").
//!   Checking a row against this browser (`confirms`) is stricter on this browser's side:
//!   an OS or browser its own User-Agent did not tell cannot vouch for a row naming one.
//! * Models: KuCoin's cell may name the maker before the model ("Samsung SM-S918B",
//!   "Google Pixel 7") where the phone's own User-Agent does not; `fingerprint` and
//!   `same_device` drop it (`model_key`), so one phone is one device. Apple's hardware
//!   identifiers ("iPhone15,2", "iPad13,4") stay whole; a bare "iPhone" (all a
//!   browser's UA says) matches any of them, two identifiers are two models.

use crate::util::{find, has};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FormFactor {
    Desktop,
    Phone,
    Tablet,
}
crate::json_enum!(FormFactor { Desktop = "desktop", Phone = "phone", Tablet = "tablet" });

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DeviceKind {
    Web,
    App,
    Api,
}
crate::json_enum!(DeviceKind { Web = "web", App = "app", Api = "api" });

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeviceInfo {
    /// Browser family ("Chrome", "Firefox", "Safari", "Edge", "Opera", "Samsung Internet",
    /// "Yandex Browser", "UC Browser", "Brave", "Vivaldi", "IE", ...); "KuCoin App" for the app.
    pub browser: Option<String>,
    pub browser_major: Option<u32>,
    /// "Windows", "macOS", "iOS" (iPadOS too), "Android", "Linux", "ChromeOS", "HarmonyOS".
    pub os: Option<String>,
    pub os_version: Option<String>,
    pub model: Option<String>,
    pub form_factor: Option<FormFactor>,
    pub kind: Option<DeviceKind>,
}
crate::json_struct!(DeviceInfo { browser, browser_major, os, os_version, model, form_factor, kind });

/// Longest User-Agent prefix looked at (real ones are < 1 KiB).
const MAX_UA_BYTES: usize = 4096;
/// Longest KuCoin cell text looked at.
const MAX_TEXT_BYTES: usize = 512;
const MAX_TEXT_TOKENS: usize = 32;
const MAX_MODEL_BYTES: usize = 64;
const MAX_MODEL_WORDS: usize = 6;

const WINDOWS: &str = "Windows";
const MACOS: &str = "macOS";
const IOS: &str = "iOS";
const ANDROID: &str = "Android";
const LINUX: &str = "Linux";
const CHROMEOS: &str = "ChromeOS";
const HARMONYOS: &str = "HarmonyOS";
const KUCOIN_APP: &str = "KuCoin App";

// ---------------------------------------------------------------------------
// small string helpers

/// `s` cut to at most `max` bytes, on a char boundary.
fn clip(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    crate::util::str_to(s, end)
}

/// Leading decimal number of `s`; None when there is none or it overflows.
fn lead_u32(s: &str) -> Option<u32> {
    let mut n: u32 = 0;
    let mut any = false;
    for b in s.bytes() {
        if !b.is_ascii_digit() {
            break;
        }
        n = n.checked_mul(10)?.checked_add(u32::from(b - b'0'))?;
        any = true;
    }
    any.then_some(n)
}

/// The text right after the first `needle`.
fn after<'a>(hay: &'a str, needle: &str) -> Option<&'a str> {
    find(hay, needle).map(|i| crate::util::str_from(hay, i + needle.len()))
}

fn major_after(hay: &str, needle: &str) -> Option<u32> {
    after(hay, needle).and_then(lead_u32)
}

/// Leading version ("17_5_1", " 10.15.7") normalised to dots; None unless it starts with a digit.
fn version_at(s: &str) -> Option<String> {
    let s = s.trim_start();
    let end = s
        .bytes()
        .position(|b| !(b.is_ascii_digit() || b == b'.' || b == b'_'))
        .unwrap_or(s.len());
    let v = crate::util::trim_end_with(crate::util::str_to(s, end), |c| c == '.' || c == '_');
    if v.is_empty() || v.len() > 20 || !v.as_bytes()[0].is_ascii_digit() {
        return None;
    }
    Some(crate::util::swap_char(v, '_', '.'))
}

/// `Mac OS X 10_15_7` (Safari, Chrome) and `10.15` (Firefox) are frozen: they say nothing.
fn mac_version(v: Option<String>) -> Option<String> {
    v.filter(|v| v != "10.15.7" && v != "10.15")
}

/// Windows NT kernel version → marketing version. `10.0` is Windows 10 *or* 11: None.
fn windows_nt_version(v: &str) -> Option<String> {
    let name = match v {
        "6.3" => "8.1",
        "6.2" => "8",
        "6.1" => "7",
        "6.0" => "Vista",
        "5.1" | "5.2" => "XP",
        _ => return None,
    };
    Some(name.to_string())
}

/// Trimmed model name, or None when it carries no ASCII letter or digit.
fn clean_model(s: &str) -> Option<String> {
    let s = clip(s.trim(), MAX_MODEL_BYTES).trim();
    crate::util::any_byte(s, |b| b.is_ascii_alphanumeric())
        .then(|| s.to_string())
}

fn is_locale(p: &str) -> bool {
    let b = p.as_bytes();
    let alpha = |x: &[u8]| x.iter().all(u8::is_ascii_alphabetic);
    match b.len() {
        2 => alpha(b),
        5 => alpha(&b[..2]) && matches!(b[2], b'-' | b'_') && alpha(&b[3..]),
        _ => false,
    }
}

/// Canonical OS family for a free-form name ("Mac OS X", "Chrome OS", "iPadOS", ...).
fn os_family(name: &str) -> Option<&'static str> {
    let l = clip(name, 32).trim().to_ascii_lowercase();
    Some(match l.as_str() {
        "windows" => WINDOWS,
        "macos" | "mac os" | "mac os x" | "os x" | "osx" | "macintosh" | "mac" => MACOS,
        "ios" | "ipados" | "iphone os" => IOS,
        "android" => ANDROID,
        "linux" => LINUX,
        "chromeos" | "chrome os" | "chromium os" | "cros" => CHROMEOS,
        "harmonyos" | "harmony os" | "openharmony" => HARMONYOS,
        _ => return None,
    })
}

// ---------------------------------------------------------------------------
// auto-detection

/// Auto-detect: a raw User-Agent goes to [`parse_user_agent`], anything else to
/// [`parse_kucoin_device`].
#[must_use]
pub fn parse_device(text: &str) -> DeviceInfo {
    if looks_like_user_agent(text) {
        parse_user_agent(text)
    } else {
        parse_kucoin_device(text)
    }
}

fn looks_like_user_agent(text: &str) -> bool {
    let lower = clip(text, MAX_UA_BYTES).trim().to_ascii_lowercase();
    const MARKERS: &str = "mozilla/ applewebkit gecko/ opera/ dalvik/ cfnetwork/ okhttp/ dart/ darwin/";
    if MARKERS.split(' ').any(|m| has(&lower, m)) {
        return true;
    }
    // "product/version" as the first word: curl/8.4.0, python-requests/2.31, KuCoin/3.1 ...
    let first = crate::util::split_with(&lower, char::is_whitespace).find(|w| !w.is_empty()).unwrap_or("");
    if let Some(i) = first.find('/') {
        if i > 0 && crate::util::str_from(first, i + 1).starts_with(|c: char| c.is_ascii_alphanumeric()) {
            return true;
        }
    }
    api_head(&lower) || is_bot(&lower)
}

// ---------------------------------------------------------------------------
// User-Agent strings

/// Parse a raw `User-Agent` string.
#[must_use]
pub fn parse_user_agent(ua: &str) -> DeviceInfo {
    let ua = clip(ua, MAX_UA_BYTES).trim();
    let mut d = DeviceInfo::default();
    if ua.is_empty() {
        return d;
    }
    let lower = ua.to_ascii_lowercase();
    if api_head(&lower) || has(&lower, "ccxt/") {
        d.kind = Some(DeviceKind::Api);
        return d;
    }
    if is_bot(&lower) {
        return d;
    }
    ua_platform(ua, &mut d);

    if is_app(&lower) {
        if d.os.is_none() {
            if has(&lower, "okhttp") {
                d.os = Some(ANDROID.into());
            } else if has(&lower, "cfnetwork/") || has(&lower, "darwin/") {
                d.os = Some(IOS.into());
            }
        }
        d.kind = Some(DeviceKind::App);
        d.browser = Some(KUCOIN_APP.into());
        d.browser_major = app_major(&lower);
        return d;
    }

    if let Some((family, major)) = ua_browser(ua, d.os.as_deref()) {
        d.browser = Some(family.into());
        d.browser_major = major;
    }
    // An app's web view naming itself so ("... Chrome WebView ..."): never the user's
    // Chrome or Safari.
    if has(&lower, "webview") {
        as_webview(&mut d);
    }
    // CriOS/FxiOS/EdgiOS/OPiOS exist only on iOS: a Mac UA with them is an iPhone or
    // iPad asking for the desktop site (which of the two, and the version, unknown).
    if d.os.as_deref() == Some(MACOS) && has(ua, "iOS/") {
        d.os = Some(IOS.into());
        d.os_version = None;
        d.form_factor = None;
    }
    // Safari 26 (iOS 26) freezes the OS token at 18_x: the real version is unknown.
    if d.os.as_deref() == Some(IOS)
        && d.os_version
            .as_deref()
            .is_some_and(|v| v.starts_with("18."))
        && major_after(ua, "Version/").is_some_and(|m| m >= 26)
    {
        d.os_version = None;
    }
    if d.browser.is_some() || (has(ua, "Mozilla/") && d.os.is_some()) {
        d.kind = Some(DeviceKind::Web);
    }
    d
}

/// First words of non-browser HTTP clients and automation libraries (lower case).
const API_HEADS: &str = "python-requests python-urllib python-urllib3 python-httpx python aiohttp httpx urllib3 curl libcurl wget go-http-client go axios postmanruntime node-fetch node node.js undici deno bun java java-http-client apache-httpclient guzzlehttp restsharp insomnia httpie ruby faraday php ccxt libwww-perl reqwest got scrapy playwright";

/// First word of a non-browser HTTP client (lower-cased input).
fn api_head(lower: &str) -> bool {
    const HEADS: &str = API_HEADS;
    let head = crate::util::split_with(lower, |c| c == '/' || c == '(' || c == ';' || c.is_whitespace())
        .next()
        .unwrap_or("");
    crate::util::in_words(HEADS, head)
        || has(head, "sdk")
        || has(head, "ccxt")
        || has(lower, "powershell/")
}

fn is_bot(lower: &str) -> bool {
    const BOTS: &str = "bot/ bot.htm +http crawler spider slurp facebookexternalhit slackbot bingpreview mediapartners-google telegrambot lighthouse";
    BOTS.split(' ').any(|b| has(lower, b))
}

fn is_app(lower: &str) -> bool {
    has(lower, "kucoin")
        || has(lower, "okhttp/")
        || has(lower, "cfnetwork/")
        || has(lower, "dalvik/")
        || has(lower, "alamofire/")
        || lower.starts_with("dart/")
        || has(lower, "dart:io")
}

/// App version from `KuCoin/3.110.0`, `kucoin_app/3.1`, `KuCoinApp/v3.2` ...
fn app_major(lower: &str) -> Option<u32> {
    let rest = after(lower, "kucoin")?;
    let rest = crate::util::trim_start_with(rest, |c| c.is_ascii_alphabetic() || c == '_' || c == '-');
    let rest = rest.strip_prefix('/')?;
    lead_u32(rest.strip_prefix('v').unwrap_or(rest))
}

/// OS, OS version, model and form factor from a User-Agent.
fn ua_platform(ua: &str, d: &mut DeviceInfo) {
    let mobile = has(ua, "Mobile");
    let browser_like = has(ua, "Mozilla/");
    let android_form = || {
        if mobile {
            Some(FormFactor::Phone)
        } else if browser_like {
            Some(FormFactor::Tablet)
        } else {
            None
        }
    };
    let (os, version, model, form): (&str, Option<String>, Option<String>, Option<FormFactor>) =
        if let Some(rest) = after(ua, "OpenHarmony") {
            let form = if has(ua, "Tablet") {
                Some(FormFactor::Tablet)
            } else if has(ua, "Phone") || mobile {
                Some(FormFactor::Phone)
            } else if has(ua, "(PC") {
                Some(FormFactor::Desktop)
            } else {
                None
            };
            (HARMONYOS, version_at(rest), None, form)
        } else if let Some(rest) = after(ua, "HarmonyOS") {
            let (_, model) = android_parts(ua);
            (HARMONYOS, version_at(rest), model, android_form())
        } else if has(ua, "iPad") {
            (
                IOS,
                ios_version(ua),
                Some("iPad".into()),
                Some(FormFactor::Tablet),
            )
        } else if has(ua, "iPod") {
            (
                IOS,
                ios_version(ua),
                Some("iPod touch".into()),
                Some(FormFactor::Phone),
            )
        } else if has(ua, "iPhone") {
            (
                IOS,
                ios_version(ua),
                Some("iPhone".into()),
                Some(FormFactor::Phone),
            )
        } else if has(ua, "Android") {
            let (version, model) = android_parts(ua);
            (ANDROID, version, model, android_form())
        } else if let Some(rest) = after(ua, "Adr ") {
            // UCWEB's short form: `(MIDP-2.0; U; Adr 9; en-US; RMX1851)`.
            (ANDROID, version_at(rest), None, android_form())
        } else if has(ua, "CrOS") {
            (CHROMEOS, None, None, Some(FormFactor::Desktop))
        } else if let Some(rest) = after(ua, "Windows NT") {
            let v = version_at(rest).and_then(|v| windows_nt_version(&v));
            (WINDOWS, v, None, Some(FormFactor::Desktop))
        } else if has(ua, "Windows") || has(ua, "Win64") || has(ua, "Win32") {
            (WINDOWS, None, None, Some(FormFactor::Desktop))
        } else if has(ua, "Macintosh") || has(ua, "Mac OS X") {
            let v = mac_version(after(ua, "Mac OS X").and_then(version_at));
            (MACOS, v, None, Some(FormFactor::Desktop))
        } else if has(ua, "Linux") || has(ua, "Ubuntu") || has(ua, "Fedora") {
            (LINUX, None, None, Some(FormFactor::Desktop))
        } else if has(ua, "iOS") {
            (IOS, ios_version(ua), None, None)
        } else if has(ua, "X11") {
            // BSD, Solaris ...: a desktop, but not an OS we name.
            d.form_factor = Some(FormFactor::Desktop);
            return;
        } else {
            return;
        };
    d.os = Some(os.into());
    d.os_version = version;
    d.model = model;
    d.form_factor = form;
}

fn ios_version(ua: &str) -> Option<String> {
    ["iPhone OS ", "CPU OS ", "iOS ", "iPadOS "]
        .iter()
        .find_map(|n| after(ua, n).and_then(version_at))
}

/// Android version and model from the `(Linux; Android 14; Pixel 8 Build/...)` section.
/// Chrome's reduced form `Android 10; K` is frozen: neither is known.
fn android_parts(ua: &str) -> (Option<String>, Option<String>) {
    let Some(i) = find(ua, "Android") else {
        return (None, None);
    };
    // Up to the `)` closing the section; models may hold parentheses: `moto g(8) power`.
    let section = crate::util::str_from(ua, i);
    let mut depth = 0u32;
    let end = section
        .bytes()
        .position(|b| match b {
            b'(' => {
                depth += 1;
                false
            }
            b')' if depth == 0 => true,
            b')' => {
                depth -= 1;
                false
            }
            _ => false,
        })
        .unwrap_or(section.len());
    let section = crate::util::str_to(section, end);
    let mut parts = section.split(';');
    let head = parts.next().unwrap_or("");
    let version = version_at(crate::util::str_from(head, "Android".len()));
    let mut model = None;
    for p in parts.take(8) {
        let p = p.trim();
        let p = find(p, " Build").map_or(p, |j| crate::util::str_to(p, j).trim_end());
        let skip = p.is_empty()
            || has(p, "/")
            || matches!(p, "U" | "wv" | "Mobile" | "Tablet" | "Linux")
            || has(p, "HarmonyOS")
            || p.starts_with("rv:")
            || p.starts_with("HMSCore")
            || p.starts_with("Android")
            || is_locale(p);
        if !skip {
            model = clean_model(p);
            break;
        }
    }
    if model.as_deref() == Some("K") {
        return (None, None);
    }
    (version, model)
}

/// Browser tokens of a User-Agent, "token\tfamily" lines (one string: no table of
/// pointers in the wasm), most specific first. In-app browsers and automation come
/// first: their UAs also carry a real browser's token, and reading them as that browser
/// would make them look like the user's own. KuCoin's text names the same families
/// by the token's word ("HeadlessChrome", "Instagram", "SamsungBrowser").
const TOKENS: &str = "HeadlessChrome/\tHeadlessChrome\nPhantomJS/\tPhantomJS\nElectron/\tElectron\nFBAV/\tFacebook\nFBAN/\tFacebook\nInstagram \tInstagram\nMicroMessenger/\tWeChat\nTelegram-\tTelegram\nmusical_ly\tTikTok\ntrill_\tTikTok\nLine/\tLINE\nTwitter\tTwitter\nGSA/\tGoogle app\nFacebook\tFacebook\nWeChat\tWeChat\nTikTok\tTikTok\nWKWebView\tWKWebView\nEdgiOS/\tEdge\nEdgA/\tEdge\nEdg/\tEdge\nEdge/\tEdge\nOPiOS/\tOpera\nOPT/\tOpera\nOPR/\tOpera\nOpera Mini/\tOpera\nSamsungBrowser/\tSamsung Internet\nYaBrowser/\tYandex Browser\nYaSearchBrowser/\tYandex Browser\nUCBrowser/\tUC Browser\nUBrowser/\tUC Browser\nUCWEB\tUC Browser\nVivaldi/\tVivaldi\nBrave/\tBrave\nHuaweiBrowser/\tHuawei Browser\nMiuiBrowser/\tMIUI Browser\nMint Browser/\tMint Browser\nVivoBrowser/\tVivo Browser\nHeyTapBrowser/\tHeyTap Browser\nOppoBrowser/\tOPPO Browser\nMQQBrowser/\tQQ Browser\nOPX/\tOpera GX\nDuckDuckGo/\tDuckDuckGo\nArkWeb/\tArkWeb\nFxiOS/\tFirefox\nFirefox/\tFirefox\nCriOS/\tChrome\nChrome/\tChrome";

/// The family whose User-Agent token is the word `l` (lower case) of KuCoin's text.
fn token_family(l: &str) -> Option<&'static str> {
    TOKENS.split('\n').find_map(|line| {
        let (token, family) = line.split_once('\t')?;
        crate::util::trim_end_with(token, |c| matches!(c, '/' | ' ' | '-' | '_')).eq_ignore_ascii_case(l).then_some(family)
    })
}

/// A web view naming itself so: the OS's web view (WKWebView on Apple's, Android
/// WebView elsewhere: HarmonyOS 2-4 ship Android's) instead of the browser it also
/// names — any browser, not only the engine's: ua-parser-js says "Edge WebView" for
/// an app's Edge-based view, which is no more the user's Edge than "Chrome WebView"
/// is their Chrome. In-app and automation families (Facebook, WKWebView, ...) stay.
fn as_webview(d: &mut DeviceInfo) {
    let in_app = matches!(
        d.browser.as_deref(),
        Some(
            "HeadlessChrome" | "PhantomJS" | "Electron" | "Facebook" | "Instagram" | "WeChat" | "Telegram" | "TikTok" | "LINE" | "Twitter"
                | "Google app" | "WKWebView" | "Android WebView" | "ArkWeb" | KUCOIN_APP
        )
    );
    if !in_app {
        d.browser = Some(if matches!(d.os.as_deref(), Some(IOS | MACOS)) { "WKWebView" } else { "Android WebView" }.into());
    }
}

/// Browser family and major version. Order matters: Edge, Opera, Samsung, Yandex, ...
/// all carry "Chrome/" and "Safari/" too.
fn ua_browser(ua: &str, os: Option<&str>) -> Option<(&'static str, Option<u32>)> {
    // "token\tfamily" lines (one string: no table of pointers in the wasm).
    for line in TOKENS.split('\n') {
        let (token, family) = line.split_once('\t').unwrap_or((line, line));
        let Some(rest) = after(ua, token) else {
            continue;
        };
        if token == "Chrome/" {
            // `Brave Chrome/71...` (old Brave) — otherwise Brave's UA is Chrome's.
            if has(ua, "Brave ") {
                return Some(("Brave", lead_u32(rest)));
            }
            // HarmonyOS 2-4 UAs are Android's, with its WebView's `; wv)` too.
            if matches!(os, Some(ANDROID | HARMONYOS)) && (has(ua, "; wv)") || has(ua, "Version/")) {
                return Some(("Android WebView", lead_u32(rest)));
            }
        }
        // DuckDuckGo/5 (Android), /7 (iOS) are constants, TikTok's numbers are builds.
        return Some((family, lead_u32(rest).filter(|_| !matches!(family, "DuckDuckGo" | "TikTok"))));
    }
    if let Some(rest) = after(ua, "Chromium/") {
        return Some(("Chrome", lead_u32(rest)));
    }
    if ua.starts_with("Opera/") || has(ua, "Opera ") {
        let major = major_after(ua, "Version/").or_else(|| major_after(ua, "Opera/"));
        return Some(("Opera", major));
    }
    // Android's old stock (AOSP) browser: Safari's tokens and no Chrome's; its
    // `Version/4.0` is a constant.
    if os == Some(ANDROID) && has(ua, "Version/") && has(ua, "Safari/") {
        return Some(("Android Browser", None));
    }
    if matches!(os, Some(IOS) | Some(MACOS)) && has(ua, "Safari/") {
        if let Some(major) = major_after(ua, "Version/") {
            return Some(("Safari", Some(major)));
        }
    }
    // An app's own WKWebView sends WebKit's User-Agent with neither `Safari/` nor
    // `Version/` (every Apple browser sends one of them): never Safari, never "this
    // browser" for a row that names one.
    if matches!(os, Some(IOS) | Some(MACOS)) && has(ua, "AppleWebKit/") && !has(ua, "Safari/") && !has(ua, "Version/") {
        return Some(("WKWebView", None));
    }
    if let Some(rest) = after(ua, "MSIE ") {
        return Some(("IE", lead_u32(rest)));
    }
    if let Some(rest) = after(ua, "Trident/") {
        let major = major_after(ua, "rv:").or_else(|| (lead_u32(rest) == Some(7)).then_some(11));
        return Some(("IE", major));
    }
    None
}

// ---------------------------------------------------------------------------
// KuCoin "Login Device" cell text

#[derive(Clone, Copy, PartialEq, Eq)]
enum Act {
    Os(&'static str),
    /// iPadOS: iOS on a tablet.
    IpadOs,
    Browser(&'static str),
    Device(&'static str, FormFactor),
    App,
    KuCoin,
    Web,
    /// "WebView", "wv": an app's web view, whatever browser the text also names.
    WebView,
    Api,
}

/// Phrases as lower-case words separated by one space.
const PHRASES: &[(&str, Act)] = &[
    ("mac os x", Act::Os(MACOS)),
    ("mac os", Act::Os(MACOS)),
    ("os x", Act::Os(MACOS)),
    ("macos", Act::Os(MACOS)),
    ("osx", Act::Os(MACOS)),
    ("macintosh", Act::Os(MACOS)),
    ("mac", Act::Os(MACOS)),
    ("chrome os", Act::Os(CHROMEOS)),
    ("chromium os", Act::Os(CHROMEOS)),
    ("chromeos", Act::Os(CHROMEOS)),
    ("cros", Act::Os(CHROMEOS)),
    ("ipados", Act::IpadOs),
    ("ipad os", Act::IpadOs),
    ("iphone os", Act::Os(IOS)),
    ("ios", Act::Os(IOS)),
    ("android browser", Act::Browser("Android Browser")),
    ("android", Act::Os(ANDROID)),
    ("harmonyos next", Act::Os(HARMONYOS)),
    ("harmonyos", Act::Os(HARMONYOS)),
    ("harmony os", Act::Os(HARMONYOS)),
    ("openharmony", Act::Os(HARMONYOS)),
    ("windows", Act::Os(WINDOWS)),
    ("linux", Act::Os(LINUX)),
    ("ubuntu", Act::Os(LINUX)),
    ("debian", Act::Os(LINUX)),
    ("fedora", Act::Os(LINUX)),
    // Automation, embedded and in-app browsers: never the user's own Chrome or Safari.
    ("headless chrome", Act::Browser("HeadlessChrome")),
    // ua-parser-js's name for HeadlessChrome/ ("Chrome Headless"): not "Chrome" with a
    // model "Headless", which would pass for the user's own Chrome.
    ("chrome headless", Act::Browser("HeadlessChrome")),
    ("chromium headless", Act::Browser("HeadlessChrome")),
    ("headless chromium", Act::Browser("HeadlessChrome")),
    ("chrome mobile webview", Act::Browser("Android WebView")),
    ("mobile safari ui wkwebview", Act::Browser("WKWebView")),
    ("google chrome", Act::Browser("Chrome")),
    ("google app", Act::Browser("Google app")),
    ("chrome", Act::Browser("Chrome")),
    ("chromium", Act::Browser("Chrome")),
    ("microsoft edge", Act::Browser("Edge")),
    ("edge", Act::Browser("Edge")),
    ("mozilla firefox", Act::Browser("Firefox")),
    ("firefox", Act::Browser("Firefox")),
    ("mobile safari", Act::Browser("Safari")),
    ("safari", Act::Browser("Safari")),
    ("opera mini", Act::Browser("Opera")),
    ("opera gx", Act::Browser("Opera GX")),
    ("opera touch", Act::Browser("Opera")),
    ("opera", Act::Browser("Opera")),
    ("samsung internet", Act::Browser("Samsung Internet")),
    ("samsung browser", Act::Browser("Samsung Internet")),
    ("yandex browser", Act::Browser("Yandex Browser")),
    ("yandex", Act::Browser("Yandex Browser")),
    ("uc browser", Act::Browser("UC Browser")),
    ("internet explorer", Act::Browser("IE")),
    ("ie", Act::Browser("IE")),
    ("msie", Act::Browser("IE")),
    ("huawei browser", Act::Browser("Huawei Browser")),
    ("miui browser", Act::Browser("MIUI Browser")),
    ("mint browser", Act::Browser("Mint Browser")),
    ("vivo browser", Act::Browser("Vivo Browser")),
    ("heytap browser", Act::Browser("HeyTap Browser")),
    ("oppo browser", Act::Browser("OPPO Browser")),
    ("qq browser", Act::Browser("QQ Browser")),
    ("kucoin app", Act::App),
    ("app", Act::App),
    ("kucoin", Act::KuCoin),
    ("web", Act::Web),
    ("h5", Act::Web),
    ("wap", Act::Web),
    ("browser", Act::Web),
    ("webview", Act::WebView),
    ("wv", Act::WebView),
    // "browser" / "web version" / "client (app)" in the languages whose device
    // cells glue them to the product name (split off by `push_script_runs`).
    ("浏览器", Act::Web),
    ("瀏覽器", Act::Web),
    ("网页版", Act::Web),
    ("網頁版", Act::Web),
    ("ブラウザ", Act::Web),
    ("브라우저", Act::Web),
    ("браузер", Act::Web),
    ("客户端", Act::App),
    ("客戶端", Act::App),
    ("用戶端", Act::App),
    ("アプリ", Act::App),
    ("앱", Act::App),
    ("приложение", Act::App),
    ("api", Act::Api),
    ("ipod touch", Act::Device("iPod touch", FormFactor::Phone)),
    ("ipod", Act::Device("iPod touch", FormFactor::Phone)),
    ("iphone", Act::Device("iPhone", FormFactor::Phone)),
    ("ipad", Act::Device("iPad", FormFactor::Tablet)),
];

/// Words that say nothing about the device (one space-separated list: no table
/// of pointers in the wasm) (including KuCoin's "Current"/"Online"
/// badges in a few languages, in case the cell text carries them).
const NOISE: &str = "unknown other others null undefined none n/a na - -- mobile desktop device version ver on in via at from with for and by of the nt pc win32 x64 x86 x86_64 win64 wow64 amd64 arm64 intel current online offline aktuell actual actuel attuale aktualnie mevcut semasa trusted";

#[derive(Clone, Copy, PartialEq, Eq)]
enum Last {
    Nothing,
    Os,
    Browser,
    App,
    Model,
}

fn is_version_token(t: &str) -> bool {
    t.starts_with(|c: char| c.is_ascii_digit())
        && crate::util::all_bytes(t, |b| b.is_ascii_digit() || b == b'.' || b == b'_')
}

/// Rank for letting a more specific OS word win ("Linux Android 14" is Android).
fn os_rank(os: &str) -> u8 {
    match os {
        LINUX => 1,
        HARMONYOS => 3,
        _ => 2,
    }
}

/// Parse KuCoin's "Login Device" cell: `"{system} {device}"`, e.g. "Windows 10 Chrome",
/// "iOS 17.5 iPhone", "Android 14 KuCoin App", "Mac OS X 10.15.7 Safari".
/// Unknown ASCII words become the model; other words are ignored.
#[must_use]
pub fn parse_kucoin_device(text: &str) -> DeviceInfo {
    let text = clip(text, MAX_TEXT_BYTES).trim();
    let mut toks: Vec<&str> = Vec::new();
    // (',' is split below: Apple's hardware identifiers hold one, "iPhone15,2")
    let seps: fn(char) -> bool = |c| {
        c.is_whitespace()
            || matches!(
                c,
                ';' | '(' | ')' | '[' | ']' | '{' | '}' | '|' | '"' | '\'' | '·' | '•'
            )
    };
    'words: for spaced in crate::util::split_with(text, seps) {
        let spaced = crate::util::trim_with(spaced, |c| c == ',');
        let whole = apple_identifier(spaced).is_some();
        for word in spaced.split(|c| c == ',' && !whole).filter(|w| !w.is_empty()) {
            if has(word, "/") && !word.eq_ignore_ascii_case("n/a") {
                for w in word.split('/') {
                    push_script_runs(&mut toks, w);
                }
            } else {
                push_script_runs(&mut toks, word);
            }
            if toks.len() >= MAX_TEXT_TOKENS {
                toks.truncate(MAX_TEXT_TOKENS);
                break 'words;
            }
        }
    }
    let mut low: Vec<String> = Vec::with_capacity(toks.len());
    for t in &toks {
        low.push(t.to_ascii_lowercase());
    }

    let mut d = DeviceInfo::default();
    let mut model_words: Vec<String> = Vec::new();
    let (mut app, mut kucoin, mut web, mut api, mut webview) = (false, false, false, false, false);
    let mut last = Last::Nothing;
    let mut app_major = None;
    let mut i = 0;
    while i < toks.len() {
        let t = toks[i];
        let l = low[i].as_str();
        if is_version_token(t) {
            match last {
                Last::Os if d.os_version.is_none() => {
                    d.os_version = text_os_version(d.os.as_deref(), t);
                    last = Last::Nothing;
                }
                Last::Browser if d.browser_major.is_none() => {
                    d.browser_major = lead_u32(t);
                    last = Last::Nothing;
                }
                Last::App if app_major.is_none() => {
                    app_major = lead_u32(t);
                    last = Last::Nothing;
                }
                Last::Model if model_words.len() < MAX_MODEL_WORDS => model_words.push(t.into()),
                _ => {}
            }
            i += 1;
            continue;
        }
        let hit = PHRASES.iter().find(|(words, _)| {
            let mut k = i;
            words.split(' ').all(|w| {
                k += 1;
                low.get(k - 1).is_some_and(|x| x == w)
            })
        });
        if let Some((words, act)) = hit {
            i += words.split(' ').count();
            match *act {
                Act::Os(os) => {
                    set_text_os(&mut d, os, &mut last);
                    // "Windows NT 6.1": NT numbers, not marketing ones.
                    if os == WINDOWS && last == Last::Os && low.get(i).is_some_and(|x| x == "nt") {
                        i += 1;
                        if let Some(v) = toks.get(i).filter(|v| is_version_token(v)) {
                            d.os_version = version_at(v).and_then(|v| windows_nt_version(&v));
                            i += 1;
                        }
                    } else if os == WINDOWS && last == Last::Os {
                        if let Some(v) = low.get(i).filter(|v| *v == "xp" || *v == "vista") {
                            d.os_version = Some(if v == "xp" { "XP" } else { "Vista" }.into());
                            i += 1;
                        }
                    }
                }
                Act::IpadOs => {
                    set_text_os(&mut d, IOS, &mut last);
                    d.form_factor = Some(FormFactor::Tablet);
                }
                // "motorola edge 40", "Galaxy S7 edge": a model, not the browser.
                Act::Browser("Edge") if *words == "edge" && i > 1 && crate::util::in_words("motorola moto s6 s7", &low[i - 2]) => {
                    if model_words.len() < MAX_MODEL_WORDS {
                        model_words.push(t.into());
                    }
                }
                Act::Browser(b) => {
                    if d.browser.is_none() {
                        d.browser = Some(b.into());
                        last = Last::Browser;
                    } else {
                        last = Last::Nothing;
                    }
                }
                Act::Device(model, form) => {
                    if model_words.len() < MAX_MODEL_WORDS {
                        model_words.push(model.into());
                    }
                    d.form_factor = Some(form);
                    if d.os.is_none() {
                        d.os = Some(IOS.into());
                    }
                    last = Last::Model;
                }
                Act::App => {
                    app = true;
                    last = Last::App;
                }
                Act::KuCoin => kucoin = true,
                Act::Web => web = true,
                Act::WebView => (web, webview) = (true, true),
                Act::Api => api = true,
            }
            continue;
        }
        i += 1;
        // "Python Requests", "curl", "Go-http-client": an HTTP library, not a model.
        if l != "go" && crate::util::in_words(API_HEADS, l) {
            api = true;
            continue;
        }
        // The app's HTTP stacks (as in `parse_user_agent`).
        if crate::util::in_words("okhttp dalvik cfnetwork alamofire", l) {
            kucoin = true;
            continue;
        }
        if crate::util::in_words(NOISE, l) || !t.is_ascii() || !crate::util::any_byte(t, |b| b.is_ascii_alphanumeric()) {
            continue;
        }
        // "iOS17.5", "Android14": keyword glued to its version.
        if let Some((os, v)) = glued_os_version(l) {
            set_text_os(&mut d, os, &mut last);
            if last == Last::Os && d.os_version.is_none() {
                d.os_version = text_os_version(Some(os), crate::util::str_from(t, t.len() - v.len()));
            }
            continue;
        }
        if let Some(f) = token_family(l) {
            if d.browser.is_none() {
                d.browser = Some(f.into());
                last = Last::Browser;
            } else {
                last = Last::Nothing;
            }
            continue;
        }
        if l == "build" {
            // "SM-S918B Build/TP1A...": the rest is firmware, not model.
            last = Last::Nothing;
            i += 1;
            continue;
        }
        // "iPhone15,2", "iPad13,4": Apple's identifier of one model, kept whole.
        if let Some((_, form)) = apple_identifier(t) {
            d.form_factor = Some(form);
            if d.os.is_none() {
                d.os = Some(IOS.into());
            }
        }
        if model_words.len() < MAX_MODEL_WORDS {
            model_words.push(t.into());
        }
        last = Last::Model;
    }

    // "K" alone is the reduced User-Agent's frozen model ("Android 10; K"): no model,
    // and its "Android 10" is frozen too.
    if model_words == ["K"] {
        if d.os_version.as_deref() == Some("10") {
            d.os_version = None;
        }
    } else if !model_words.is_empty() {
        d.model = clean_model(&crate::util::join(&model_words, " "));
    }
    // "Android 14 Chrome WebView", "Android 13 WebView": the web view, not Chrome (nor
    // an unknown browser, which `same_device` would let pass for any).
    if webview {
        as_webview(&mut d);
        d.browser_major = None;
    }
    if d.form_factor.is_none() {
        if let Some(WINDOWS | MACOS | LINUX | CHROMEOS) = d.os.as_deref() {
            d.form_factor = Some(FormFactor::Desktop);
        }
    }
    d.kind = if api {
        d.browser = None;
        d.browser_major = None;
        d.model = None;
        Some(DeviceKind::Api)
    } else if app || (kucoin && d.browser.is_none() && !web) {
        d.browser = Some(KUCOIN_APP.into());
        d.browser_major = app_major;
        Some(DeviceKind::App)
    } else if d.browser.is_some() || web {
        Some(DeviceKind::Web)
    } else {
        None
    };
    d
}

/// Push `w` as its runs of ASCII and non-ASCII characters: localized cells glue
/// the product name to a word of their language ("Chrome浏览器", "KuCoin客户端",
/// "iPhone版"), and a whole non-ASCII token would otherwise be skipped with the
/// browser in it. Latin letters with marks stay in their word ("Hiện" is one
/// word of Vietnamese, not "Hi" + "ệ" + "n").
fn push_script_runs<'a>(toks: &mut Vec<&'a str>, w: &'a str) {
    let mut start = 0;
    let mut ascii = None;
    for (i, c) in w.char_indices() {
        let a = c.is_ascii() || matches!(c, '\u{00c0}'..='\u{024f}' | '\u{0300}'..='\u{036f}' | '\u{1e00}'..='\u{1eff}');
        if ascii.is_some_and(|x| x != a) {
            toks.push(crate::util::str_sub(w, start, i));
            start = i;
        }
        ascii = Some(a);
    }
    if start < w.len() {
        toks.push(crate::util::str_from(w, start));
    }
}

fn set_text_os(d: &mut DeviceInfo, os: &'static str, last: &mut Last) {
    match d.os.as_deref() {
        // "iPhone iOS 17.5": the family is already known, its version may follow.
        Some(cur) if cur == os => *last = Last::Os,
        Some(cur) if os_rank(os) <= os_rank(cur) => *last = Last::Nothing,
        _ => {
            if d.os.is_some() {
                d.os_version = None;
            }
            d.os = Some(os.into());
            *last = Last::Os;
        }
    }
}

fn glued_os_version(l: &str) -> Option<(&'static str, &str)> {
    for (kw, os) in [
        ("ios", IOS),
        ("ipados", IOS),
        ("android", ANDROID),
        ("harmonyos", HARMONYOS),
        ("windows", WINDOWS),
        ("win", WINDOWS),
        ("macos", MACOS),
    ] {
        if let Some(v) = l.strip_prefix(kw) {
            if is_version_token(v) {
                return Some((os, v));
            }
        }
    }
    None
}

/// A version word that follows an OS word in KuCoin's text.
fn text_os_version(os: Option<&str>, v: &str) -> Option<String> {
    let v = version_at(v)?;
    match os {
        Some(WINDOWS) => match v.as_str() {
            // Bare NT numbers: "10.0" is Windows 10 or 11.
            "10.0" | "6.4" => None,
            "6.3" | "6.2" | "6.1" | "6.0" | "5.1" | "5.2" => windows_nt_version(&v),
            _ => Some(v),
        },
        Some(MACOS) => mac_version(Some(v)),
        // "Ubuntu 22.04" is not a Linux version; "Chrome OS 14541" is a (frozen) build.
        Some(LINUX | CHROMEOS) => None,
        _ => Some(v),
    }
}

/// The platform an icon's name says ("Android", alt="iOS", class="icon-windows",
/// KuCoin's `data-icon="iphone app"`): the OS its words name, None when they
/// name none or more than one.
#[must_use]
pub fn icon_platform(name: &str) -> Option<&'static str> {
    let mut found: Option<&'static str> = None;
    let words = crate::util::split_with(clip(name, 256), |c| !c.is_ascii_alphanumeric());
    for w in words.filter(|w| !w.is_empty()).take(16) {
        let os = match w.to_ascii_lowercase().as_str() {
            "android" => ANDROID,
            "ios" | "ipados" | "iphone" | "ipad" | "ipod" => IOS,
            "windows" => WINDOWS,
            "macos" | "mac" | "macintosh" | "osx" => MACOS,
            "linux" | "ubuntu" => LINUX,
            "chromeos" => CHROMEOS,
            "harmonyos" | "harmony" => HARMONYOS,
            _ => continue,
        };
        if found.is_some_and(|f| f != os) {
            return None;
        }
        found = Some(os);
    }
    found
}

/// Add the platform a row's icon shows when its text names a browser (or the
/// app) and no OS ("Chrome" beside a Windows icon). Only then: the icon's name
/// is page text, so it may only add a field that must then agree. `same_device`
/// already has the text's browser to go by (it needs the OS or the browser known
/// on both sides), so an icon never makes a row this browser that its text alone
/// would not, it can only tell it apart; an icon beside no browser (a model
/// alone, "SM-S918B") would supply that side itself, and is not used. In the
/// trust list the row is then the browser on that platform, as if the text had
/// named it (text a signing-in client chooses anyway).
pub fn add_icon_platform(d: &mut DeviceInfo, os: &'static str) {
    if d.os.is_some() || d.browser.is_none() {
        return;
    }
    d.os = Some(os.into());
    if d.form_factor.is_none() && matches!(os, WINDOWS | MACOS | LINUX | CHROMEOS) {
        d.form_factor = Some(FormFactor::Desktop);
    }
}

// ---------------------------------------------------------------------------
// client hints

/// Rank of a client-hints brand: Edge > Opera/Brave/Vivaldi/Yandex/... > unknown specific
/// brand > Google Chrome > Chromium. GREASE brands ("Not A(Brand") are None.
fn brand_family(brand: &str) -> Option<(String, u8)> {
    let b = clip(brand, 64).trim();
    let l = b.to_ascii_lowercase();
    if l.is_empty() || (has(&l, "not") && has(&l, "brand")) {
        return None;
    }
    let known = |f: &str, r: u8| Some((f.to_string(), r));
    match l.as_str() {
        "microsoft edge" | "edge" => known("Edge", 5),
        "brave" => known("Brave", 4),
        "vivaldi" => known("Vivaldi", 4),
        "yabrowser" | "yandex" | "yandex browser" => known("Yandex Browser", 4),
        "samsung internet" | "samsungbrowser" => known("Samsung Internet", 4),
        "huawei browser" | "huaweibrowser" => known("Huawei Browser", 4),
        "duckduckgo" => known("DuckDuckGo", 4),
        "android webview" => known("Android WebView", 4),
        "headlesschrome" => known("HeadlessChrome", 4),
        "google chrome" | "chrome" => known("Chrome", 2),
        "chromium" => known("Chrome", 1),
        "opera gx" => known("Opera GX", 4),
        _ if l.starts_with("opera") => known("Opera", 4),
        _ => Some((clip(b, 40).to_string(), 3)),
    }
}

/// This browser's identity from `navigator.userAgentData` (client hints).
#[must_use]
pub fn from_client_hints(
    brands: &[(String, String)],
    platform: &str,
    platform_version: Option<&str>,
    mobile: bool,
    model: Option<&str>,
) -> DeviceInfo {
    let mut d = DeviceInfo {
        kind: Some(DeviceKind::Web),
        ..DeviceInfo::default()
    };
    let mut best: Option<(String, u8, Option<u32>)> = None;
    for (brand, version) in brands.iter().take(16) {
        if let Some((family, rank)) = brand_family(brand) {
            if best.as_ref().is_none_or(|b| rank > b.1) {
                best = Some((family, rank, lead_u32(clip(version, 32).trim())));
            }
        }
    }
    if let Some((family, _, major)) = best {
        d.browser = Some(family);
        d.browser_major = major;
    }

    let os = os_family(platform);
    let pv = platform_version
        .map(|v| clip(v, 32).trim())
        .filter(|v| !v.is_empty());
    d.os_version = match os {
        Some(WINDOWS) => match pv.and_then(lead_u32) {
            Some(13..) => Some("11".into()),
            Some(1..=12) => Some("10".into()),
            _ => None,
        },
        Some(MACOS | IOS | ANDROID | HARMONYOS) => pv.and_then(version_at).map(|v| {
            let mut v = v.as_str();
            while let Some(s) = v.strip_suffix(".0") {
                v = s;
            }
            v.to_string()
        }),
        _ => None,
    };
    d.os = os.map(String::from);
    d.form_factor = match os {
        Some(WINDOWS | MACOS | LINUX | CHROMEOS) => Some(FormFactor::Desktop),
        Some(ANDROID | HARMONYOS) if !mobile => Some(FormFactor::Tablet),
        _ if mobile => Some(FormFactor::Phone),
        _ => None,
    };
    d.model = model.and_then(clean_model);
    d
}

// ---------------------------------------------------------------------------
// describe / fingerprint / same_device

/// Browser families whose User-Agent is Chrome's: a UA-based view (KuCoin's table)
/// calls them "Chrome", so they are one family for matching.
fn browser_key(b: &str) -> String {
    let l = b.trim().to_ascii_lowercase();
    match l.as_str() {
        "brave" | "vivaldi" | "chromium" | "google chrome" | "chrome mobile" => "chrome".into(),
        // Desktop Opera GX sends Opera's User-Agent; HeyTap is OPPO's browser renamed.
        "opera gx" => "opera".into(),
        "heytap browser" => "oppo browser".into(),
        "microsoft edge" => "edge".into(),
        "mobile safari" => "safari".into(),
        _ => l,
    }
}

fn os_key(o: &str) -> String {
    os_family(o).unwrap_or(o).trim().to_ascii_lowercase()
}

/// Makers KuCoin's cell may name before the model ("Samsung SM-S918B", "Google
/// Pixel 7", "HUAWEI ANA-NX9") while the phone's own User-Agent or client hints
/// give the model alone ("SM-S918B", "Pixel 7"): the same phone either way
/// (lower case, one space-separated list: no table of pointers in the wasm).
/// Sub-brands that are part of the model's name stay: "Redmi", "POCO", "Galaxy",
/// "moto".
const MAKERS: &str = "samsung xiaomi huawei honor oneplus google vivo oppo realme motorola tecno infinix itel nokia sony lenovo asus zte nubia meizu lge lg htc sharp tcl alcatel fairphone apple";

/// Can `w` (lower case), after a maker's name, start the model without it? A
/// name ("pixel", "redmi", "moto", "sm-s918b") or a long code ("2201123g") can;
/// a bare number or a short one ("13", "8x", "12t", "x20", "one", "a52") is the
/// model only with its maker: "Xiaomi 13" and "OnePlus 13", "Nokia X20" and
/// "vivo X20" (each phone's own User-Agent), "HTC One" and "OnePlus One" are
/// two phones each.
fn model_without_maker(w: &str) -> bool {
    let b = w.as_bytes();
    !crate::util::in_words(SERIES_WORDS, w) && ((b.first().is_some_and(u8::is_ascii_alphabetic) && b.len() >= 4) || (b.len() >= 5 && b.iter().any(u8::is_ascii_alphabetic)))
}

/// Series words long enough to look like a model's own name but used by
/// several makers ("Realme Note 50" and "Infinix NOTE 50", "Honor Play 8",
/// "Motorola Edge 40", "Infinix Smart 8"): after a maker's name they keep
/// it, as a short name does (`model_without_maker`).
const SERIES_WORDS: &str = "note play edge smart power plus mini lite star zoom ultra zero view neo";

/// Apple's hardware identifier of one model ("iPhone15,2", "iPad13,4",
/// "iPod9,1"): its family's model key ("iphone", "ipad", "ipod touch", as the
/// User-Agent names it) and form factor; None for anything else.
fn apple_identifier(t: &str) -> Option<(&'static str, FormFactor)> {
    let l = clip(t, 32).to_ascii_lowercase();
    let (family, form, rest) = if let Some(r) = l.strip_prefix("iphone") {
        ("iphone", FormFactor::Phone, r)
    } else if let Some(r) = l.strip_prefix("ipad") {
        ("ipad", FormFactor::Tablet, r)
    } else if let Some(r) = l.strip_prefix("ipod") {
        ("ipod touch", FormFactor::Phone, r)
    } else {
        return None;
    };
    let (a, b) = rest.split_once(',')?;
    let digits = |x: &str| !x.is_empty() && crate::util::all_bytes(x, |c| c.is_ascii_digit());
    (digits(a) && digits(b)).then_some((family, form))
}

/// Words joined by one space, lower-cased, without a maker's name before the
/// model (see `MAKERS`): "Samsung  SM-S918B" and "sm-s918b" are one key. The key
/// of a key is itself (stored fingerprints are re-keyed with it).
fn model_key(m: &str) -> String {
    let mut words: Vec<String> = Vec::new();
    for w in crate::util::split_with(m, char::is_whitespace).filter(|w| !w.is_empty()) {
        let w = w.to_ascii_lowercase();
        // "iphone15 2": an Apple identifier as older versions split it at its
        // comma (their stored fingerprints say so), one word again.
        if let Some(last) = words.last_mut() {
            if crate::util::all_bytes(&w, |c| c.is_ascii_digit()) && apple_identifier(&format!("{last},{w}")).is_some() {
                last.push(',');
                last.push_str(&w);
                continue;
            }
        }
        words.push(w);
    }
    let mut start = 0;
    while start + 1 < words.len() && crate::util::in_words(MAKERS, &words[start]) && model_without_maker(&words[start + 1]) {
        start += 1;
    }
    crate::util::join(&words[start..], " ")
}

/// Two model keys of one phone: equal, or one the bare family ("iphone", what
/// every iPhone's User-Agent says) and the other an identifier of that family
/// ("iphone15,2"). Two identifiers are two models.
fn models_agree(a: &str, b: &str) -> bool {
    a == b || apple_identifier(a).is_some_and(|(f, _)| f == b) || apple_identifier(b).is_some_and(|(f, _)| f == a)
}

/// A stored trust-list fingerprint (`kind|os|browser|model`) keyed as
/// `DeviceInfo::fingerprint` keys it now; None when it is unchanged. Older
/// versions kept a maker's name before the model ("…|samsung sm-s918b"), which
/// the same phone's row without it would not find.
#[must_use]
pub fn rekey_fingerprint(fp: &str) -> Option<String> {
    let mut parts = fp.splitn(4, '|');
    let head = [parts.next()?, parts.next()?, parts.next()?];
    let model = parts.next()?;
    let key = model_key(model);
    (key != model).then(|| format!("{}|{}|{}|{key}", head[0], head[1], head[2]))
}

fn fp_field(s: String) -> String {
    crate::util::swap_char(&s, '|', '/')
}

impl DeviceInfo {
    /// Short human text for warnings: "Firefox on Linux", "Chrome on Windows 10",
    /// "KuCoin App on iOS (iPhone)", "Unknown device" when nothing is known.
    #[must_use]
    pub fn describe(&self) -> String {
        let os = self
            .os
            .as_deref()
            .map(|o| match self.os_version.as_deref() {
                Some(v) => format!("{o} {v}"),
                None => o.to_string(),
            });
        let model = self.model.as_deref();
        let name = match self.kind {
            Some(DeviceKind::Api) => return crate::i18n::t("device_api_client", &[]),
            Some(DeviceKind::App) => Some(self.browser.as_deref().unwrap_or(KUCOIN_APP)),
            _ => self.browser.as_deref(),
        };
        use crate::i18n::t;
        match (name, os, model) {
            (Some(n), Some(o), Some(m)) => t("device_on_model", &[n, &o, m]),
            (Some(n), Some(o), None) => t("device_on", &[n, &o]),
            (Some(n), None, Some(m)) => t("device_model", &[n, m]),
            (Some(n), None, None) => n.to_string(),
            (None, Some(o), Some(m)) => t("device_on", &[m, &o]),
            (None, Some(o), None) => t("device_os_only", &[&o]),
            (None, None, Some(m)) => m.to_string(),
            (None, None, None) if self.kind == Some(DeviceKind::Web) => t("device_web_browser", &[]),
            (None, None, None) => t("device_unknown", &[]),
        }
    }

    /// Stable trust-list key `kind|os|browser|model`, lower-case, without versions.
    /// Chrome-UA clones (Brave, Vivaldi, Chromium) count as "chrome"; an app with no
    /// browser name counts as "kucoin app".
    #[must_use]
    pub fn fingerprint(&self) -> String {
        let kind = match self.kind {
            Some(DeviceKind::Web) => "web",
            Some(DeviceKind::App) => "app",
            Some(DeviceKind::Api) => "api",
            None => "",
        };
        let browser = match (self.browser.as_deref(), self.kind) {
            (Some(b), _) => browser_key(b),
            (None, Some(DeviceKind::App)) => "kucoin app".into(),
            (None, _) => String::new(),
        };
        format!(
            "{kind}|{}|{}|{}",
            fp_field(self.os.as_deref().map(os_key).unwrap_or_default()),
            fp_field(browser),
            fp_field(self.model.as_deref().map(model_key).unwrap_or_default()),
        )
    }

    /// True when both plausibly describe the same device: every field known on both
    /// sides agrees (kind, OS family, browser family — Chrome-UA clones count as
    /// Chrome — and model: a maker's name before it aside, and a bare "iPhone" agrees
    /// with any iPhone's identifier), and at least the OS or the browser is known on
    /// both sides. Versions are ignored.
    #[must_use]
    pub fn same_device(&self, other: &DeviceInfo) -> bool {
        fn agree<T: PartialEq>(a: Option<T>, b: Option<T>) -> (bool, bool) {
            match (a, b) {
                (Some(x), Some(y)) => (x == y, true),
                _ => (true, false),
            }
        }
        let (kind_ok, _) = agree(self.kind, other.kind);
        let (os_ok, os_both) = agree(
            self.os.as_deref().map(os_key),
            other.os.as_deref().map(os_key),
        );
        let (br_ok, br_both) = agree(
            self.browser.as_deref().map(browser_key),
            other.browser.as_deref().map(browser_key),
        );
        let model_ok = match (self.model.as_deref(), other.model.as_deref()) {
            (Some(a), Some(b)) => models_agree(&model_key(a), &model_key(b)),
            _ => true,
        };
        kind_ok && os_ok && br_ok && model_ok && (os_both || br_both)
    }

    /// This browser's own identity (`self`, read from its User-Agent and client
    /// hints) confirms that `row` (a Login Device cell) is this browser: they
    /// are `same_device`, and the OS and browser the row names are ones this
    /// identity knows too. `same_device` lets a field unknown on either side
    /// pass, which is right for the row (KuCoin's cell leaves out what the
    /// User-Agent does not say), not for this side: an OS or browser our parser
    /// could not read from this browser's own User-Agent (Firefox on FreeBSD
    /// has no OS we name, GNOME Web no browser) cannot be checked against the
    /// row's, so "Windows 10 Firefox" or "Linux Chrome" is not verified as this
    /// browser — it is "can't verify", never "this browser". What the row leaves
    /// out, and models (a reduced User-Agent hides the model), stay as in
    /// `same_device`.
    #[must_use]
    pub fn confirms(&self, row: &DeviceInfo) -> bool {
        self.same_device(row) && (row.os.is_none() || self.os.is_some()) && (row.browser.is_none() || self.browser.is_some())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CASES: &str = include_str!("../tests/data/user_agents.tsv");

    fn opt(s: &str) -> Option<String> {
        (s != "-").then(|| s.to_string())
    }

    fn form(s: &str) -> Option<FormFactor> {
        match s {
            "desktop" => Some(FormFactor::Desktop),
            "phone" => Some(FormFactor::Phone),
            "tablet" => Some(FormFactor::Tablet),
            "-" => None,
            other => panic!("bad form factor {other:?}"),
        }
    }

    fn kind(s: &str) -> Option<DeviceKind> {
        match s {
            "web" => Some(DeviceKind::Web),
            "app" => Some(DeviceKind::App),
            "api" => Some(DeviceKind::Api),
            "-" => None,
            other => panic!("bad kind {other:?}"),
        }
    }

    /// (line number, mode, input, expected) for every case row.
    fn table() -> Vec<(usize, &'static str, &'static str, DeviceInfo)> {
        let mut rows = Vec::new();
        for (n, line) in CASES.lines().enumerate() {
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let f: Vec<&str> = line.split('\t').collect();
            assert_eq!(
                f.len(),
                9,
                "line {}: expected 9 tab-separated fields: {line:?}",
                n + 1
            );
            let expected = DeviceInfo {
                browser: opt(f[2]),
                browser_major: opt(f[3]).map(|m| m.parse().expect("major")),
                os: opt(f[4]),
                os_version: opt(f[5]),
                model: opt(f[6]),
                form_factor: form(f[7]),
                kind: kind(f[8]),
            };
            rows.push((n + 1, f[0], f[1], expected));
        }
        rows
    }

    #[test]
    fn table_cases() {
        let rows = table();
        assert!(rows.len() >= 400, "only {} cases", rows.len());
        let mut failures = Vec::new();
        for (line, mode, input, expected) in &rows {
            let (got, auto) = match *mode {
                "ua" => (parse_user_agent(input), true),
                "uax" => (parse_user_agent(input), false),
                "kc" => (parse_kucoin_device(input), true),
                other => panic!("line {line}: bad mode {other:?}"),
            };
            if &got != expected {
                failures.push(format!(
                    "line {line} [{mode}] {input:?}\n   expected {expected:?}\n   got      {got:?}"
                ));
            }
            if auto {
                let via_auto = parse_device(input);
                if via_auto != got {
                    failures.push(format!(
                        "line {line} [{mode}] parse_device disagrees on {input:?}: {via_auto:?}"
                    ));
                }
            }
        }
        assert!(
            failures.is_empty(),
            "{} of {} cases failed:\n{}",
            failures.len(),
            rows.len(),
            failures.join("\n")
        );
    }

    #[test]
    fn table_covers_every_family_and_os() {
        let rows = table();
        let has = |f: &dyn Fn(&DeviceInfo) -> bool| rows.iter().filter(|r| f(&r.3)).count();
        for b in [
            "Chrome",
            "Firefox",
            "Safari",
            "Edge",
            "Opera",
            "Samsung Internet",
            "Yandex Browser",
            "UC Browser",
            "Vivo Browser",
            "HeyTap Browser",
            "OPPO Browser",
            "Mint Browser",
            "QQ Browser",
            "Opera GX",
            "Android WebView",
            "Google app",
            "Android Browser",
            "Brave",
            "Vivaldi",
            "IE",
            "KuCoin App",
        ] {
            assert!(
                has(&|d| d.browser.as_deref() == Some(b)) >= 3,
                "few cases for {b}"
            );
        }
        for o in [WINDOWS, MACOS, IOS, ANDROID, LINUX, CHROMEOS, HARMONYOS] {
            assert!(
                has(&|d| d.os.as_deref() == Some(o)) >= 4,
                "few cases for {o}"
            );
        }
        assert!(has(&|d| d.kind == Some(DeviceKind::Api)) >= 20);
    }

    // ---- client hints ----

    fn brands(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(b, v)| (b.to_string(), v.to_string()))
            .collect()
    }

    struct Hint {
        brands: &'static [(&'static str, &'static str)],
        platform: &'static str,
        version: Option<&'static str>,
        mobile: bool,
        model: Option<&'static str>,
        expect: (
            Option<&'static str>,
            Option<u32>,
            Option<&'static str>,
            Option<&'static str>,
        ),
        model_out: Option<&'static str>,
        form: Option<FormFactor>,
    }

    const CHROME_120: &[(&str, &str)] = &[
        ("Not_A Brand", "8"),
        ("Chromium", "120"),
        ("Google Chrome", "120"),
    ];

    #[rustfmt::skip]
    const HINTS: &[Hint] = &[
        // Windows: platformVersion major >= 13 is Windows 11, 1..=12 Windows 10, 0.x 7/8/8.1.
        Hint { brands: CHROME_120, platform: "Windows", version: Some("15.0.0"), mobile: false, model: Some(""),
               expect: (Some("Chrome"), Some(120), Some("Windows"), Some("11")), model_out: None, form: Some(FormFactor::Desktop) },
        Hint { brands: CHROME_120, platform: "Windows", version: Some("13.0.0"), mobile: false, model: None,
               expect: (Some("Chrome"), Some(120), Some("Windows"), Some("11")), model_out: None, form: Some(FormFactor::Desktop) },
        Hint { brands: CHROME_120, platform: "Windows", version: Some("12.0.0"), mobile: false, model: None,
               expect: (Some("Chrome"), Some(120), Some("Windows"), Some("10")), model_out: None, form: Some(FormFactor::Desktop) },
        Hint { brands: CHROME_120, platform: "Windows", version: Some("10.0.0"), mobile: false, model: None,
               expect: (Some("Chrome"), Some(120), Some("Windows"), Some("10")), model_out: None, form: Some(FormFactor::Desktop) },
        Hint { brands: CHROME_120, platform: "Windows", version: Some("1.0.0"), mobile: false, model: None,
               expect: (Some("Chrome"), Some(120), Some("Windows"), Some("10")), model_out: None, form: Some(FormFactor::Desktop) },
        Hint { brands: CHROME_120, platform: "Windows", version: Some("0.3.0"), mobile: false, model: None,
               expect: (Some("Chrome"), Some(120), Some("Windows"), None), model_out: None, form: Some(FormFactor::Desktop) },
        Hint { brands: CHROME_120, platform: "Windows", version: Some("0.1.0"), mobile: false, model: None,
               expect: (Some("Chrome"), Some(120), Some("Windows"), None), model_out: None, form: Some(FormFactor::Desktop) },
        Hint { brands: CHROME_120, platform: "Windows", version: Some(""), mobile: false, model: None,
               expect: (Some("Chrome"), Some(120), Some("Windows"), None), model_out: None, form: Some(FormFactor::Desktop) },
        Hint { brands: CHROME_120, platform: "Windows", version: None, mobile: false, model: None,
               expect: (Some("Chrome"), Some(120), Some("Windows"), None), model_out: None, form: Some(FormFactor::Desktop) },
        Hint { brands: CHROME_120, platform: "Windows", version: Some("garbage"), mobile: false, model: None,
               expect: (Some("Chrome"), Some(120), Some("Windows"), None), model_out: None, form: Some(FormFactor::Desktop) },
        // Brand preference: Edge > Opera/Brave/Vivaldi/YaBrowser > Google Chrome > Chromium.
        Hint { brands: &[("Not/A)Brand", "8"), ("Chromium", "126"), ("Microsoft Edge", "126")], platform: "Windows", version: Some("10.0.0"), mobile: false, model: None,
               expect: (Some("Edge"), Some(126), Some("Windows"), Some("10")), model_out: None, form: Some(FormFactor::Desktop) },
        Hint { brands: &[("Microsoft Edge", "124.0.2478.80"), ("Chromium", "124.0.6367.91"), ("Not-A.Brand", "99.0.0.0")], platform: "Windows", version: Some("15.0.0"), mobile: false, model: None,
               expect: (Some("Edge"), Some(124), Some("Windows"), Some("11")), model_out: None, form: Some(FormFactor::Desktop) },
        Hint { brands: &[("Chromium", "124"), ("Opera", "110"), ("Not-A.Brand", "99")], platform: "Windows", version: Some("15.0.0"), mobile: false, model: None,
               expect: (Some("Opera"), Some(110), Some("Windows"), Some("11")), model_out: None, form: Some(FormFactor::Desktop) },
        Hint { brands: &[("Opera GX", "110"), ("Chromium", "124"), ("Not-A.Brand", "99")], platform: "Windows", version: Some("10.0.0"), mobile: false, model: None,
               expect: (Some("Opera GX"), Some(110), Some("Windows"), Some("10")), model_out: None, form: Some(FormFactor::Desktop) },
        Hint { brands: &[("Brave", "124"), ("Chromium", "124"), ("Not-A.Brand", "99")], platform: "macOS", version: Some("14.5.0"), mobile: false, model: None,
               expect: (Some("Brave"), Some(124), Some("macOS"), Some("14.5")), model_out: None, form: Some(FormFactor::Desktop) },
        Hint { brands: &[("Chromium", "124"), ("Vivaldi", "6.7"), ("Not-A.Brand", "99")], platform: "Linux", version: Some("6.5.0"), mobile: false, model: None,
               expect: (Some("Vivaldi"), Some(6), Some("Linux"), None), model_out: None, form: Some(FormFactor::Desktop) },
        Hint { brands: &[("Chromium", "122"), ("Not(A:Brand", "24"), ("YaBrowser", "24.4")], platform: "Windows", version: Some("10.0.0"), mobile: false, model: None,
               expect: (Some("Yandex Browser"), Some(24), Some("Windows"), Some("10")), model_out: None, form: Some(FormFactor::Desktop) },
        Hint { brands: &[("Google Chrome", "126"), ("Chromium", "126"), ("Not A(Brand", "24")], platform: "macOS", version: Some("13.6.7"), mobile: false, model: None,
               expect: (Some("Chrome"), Some(126), Some("macOS"), Some("13.6.7")), model_out: None, form: Some(FormFactor::Desktop) },
        Hint { brands: &[("Chromium", "120"), ("Not_A Brand", "24")], platform: "Linux", version: Some(""), mobile: false, model: None,
               expect: (Some("Chrome"), Some(120), Some("Linux"), None), model_out: None, form: Some(FormFactor::Desktop) },
        Hint { brands: &[("Whale", "3.25"), ("Chromium", "120"), ("Google Chrome", "120")], platform: "Windows", version: Some("15.0.0"), mobile: false, model: None,
               expect: (Some("Whale"), Some(3), Some("Windows"), Some("11")), model_out: None, form: Some(FormFactor::Desktop) },
        // Headless Chrome is automation, not the user's Chrome.
        Hint { brands: &[("HeadlessChrome", "120"), ("Chromium", "120"), ("Not?A_Brand", "24")], platform: "Linux", version: None, mobile: false, model: None,
               expect: (Some("HeadlessChrome"), Some(120), Some("Linux"), None), model_out: None, form: Some(FormFactor::Desktop) },
        Hint { brands: &[(" Not A;Brand", "99"), ("Chromium", "96"), ("Google Chrome", "96")], platform: "Chrome OS", version: Some("14268.67.0"), mobile: false, model: None,
               expect: (Some("Chrome"), Some(96), Some("ChromeOS"), None), model_out: None, form: Some(FormFactor::Desktop) },
        Hint { brands: CHROME_120, platform: "ChromeOS", version: Some("14541.0.0"), mobile: false, model: None,
               expect: (Some("Chrome"), Some(120), Some("ChromeOS"), None), model_out: None, form: Some(FormFactor::Desktop) },
        // Android: mobile flag decides phone vs tablet; model is real there.
        Hint { brands: &[("Chromium", "124.0.6367.179"), ("Google Chrome", "124.0.6367.179"), ("Not-A.Brand", "99.0.0.0")], platform: "Android", version: Some("14.0.0"), mobile: true, model: Some("Pixel 8"),
               expect: (Some("Chrome"), Some(124), Some("Android"), Some("14")), model_out: Some("Pixel 8"), form: Some(FormFactor::Phone) },
        Hint { brands: CHROME_120, platform: "Android", version: Some("13.0.0"), mobile: false, model: Some("SM-X710"),
               expect: (Some("Chrome"), Some(120), Some("Android"), Some("13")), model_out: Some("SM-X710"), form: Some(FormFactor::Tablet) },
        Hint { brands: &[("Samsung Internet", "25.0"), ("Chromium", "121"), ("Not A(Brand", "99")], platform: "Android", version: Some("14.0.0"), mobile: true, model: Some("SM-S918B"),
               expect: (Some("Samsung Internet"), Some(25), Some("Android"), Some("14")), model_out: Some("SM-S918B"), form: Some(FormFactor::Phone) },
        Hint { brands: &[("Android WebView", "124"), ("Chromium", "124"), ("Not-A.Brand", "99")], platform: "Android", version: Some("12.1.0"), mobile: true, model: Some("  Pixel 6  "),
               expect: (Some("Android WebView"), Some(124), Some("Android"), Some("12.1")), model_out: Some("Pixel 6"), form: Some(FormFactor::Phone) },
        Hint { brands: &[("Microsoft Edge", "124"), ("Chromium", "124")], platform: "Android", version: Some("10"), mobile: true, model: Some("   "),
               expect: (Some("Edge"), Some(124), Some("Android"), Some("10")), model_out: None, form: Some(FormFactor::Phone) },
        Hint { brands: CHROME_120, platform: "HarmonyOS", version: Some("4.2.0"), mobile: true, model: Some("ALN-AL00"),
               expect: (Some("Chrome"), Some(120), Some("HarmonyOS"), Some("4.2")), model_out: Some("ALN-AL00"), form: Some(FormFactor::Phone) },
        Hint { brands: CHROME_120, platform: "iOS", version: Some("17.5.0"), mobile: true, model: None,
               expect: (Some("Chrome"), Some(120), Some("iOS"), Some("17.5")), model_out: None, form: Some(FormFactor::Phone) },
        // Odd inputs: desktop platform with mobile flag (devtools emulation) stays desktop;
        // GREASE-only or empty brands give no browser; unknown platforms give no OS.
        Hint { brands: CHROME_120, platform: "Windows", version: Some("15.0.0"), mobile: true, model: None,
               expect: (Some("Chrome"), Some(120), Some("Windows"), Some("11")), model_out: None, form: Some(FormFactor::Desktop) },
        Hint { brands: &[("Not A;Brand", "99")], platform: "macOS", version: Some("14.0.0"), mobile: false, model: None,
               expect: (None, None, Some("macOS"), Some("14")), model_out: None, form: Some(FormFactor::Desktop) },
        Hint { brands: &[], platform: "", version: None, mobile: false, model: None,
               expect: (None, None, None, None), model_out: None, form: None },
        Hint { brands: &[("", "")], platform: "Unknown", version: Some("1.0"), mobile: true, model: None,
               expect: (None, None, None, None), model_out: None, form: Some(FormFactor::Phone) },
        Hint { brands: CHROME_120, platform: "Fuchsia", version: Some("1.0"), mobile: false, model: None,
               expect: (Some("Chrome"), Some(120), None, None), model_out: None, form: None },
        Hint { brands: &[("Google Chrome", "abc"), ("Chromium", "")], platform: "macOS", version: Some(""), mobile: false, model: None,
               expect: (Some("Chrome"), None, Some("macOS"), None), model_out: None, form: Some(FormFactor::Desktop) },
    ];

    #[test]
    fn client_hints_cases() {
        assert!(HINTS.len() >= 35);
        for (i, h) in HINTS.iter().enumerate() {
            let got =
                from_client_hints(&brands(h.brands), h.platform, h.version, h.mobile, h.model);
            let expected = DeviceInfo {
                browser: h.expect.0.map(String::from),
                browser_major: h.expect.1,
                os: h.expect.2.map(String::from),
                os_version: h.expect.3.map(String::from),
                model: h.model_out.map(String::from),
                form_factor: h.form,
                kind: Some(DeviceKind::Web),
            };
            assert_eq!(got, expected, "hint case #{i}");
        }
    }

    #[test]
    fn client_hints_brand_order_does_not_matter() {
        let mut list = vec![
            ("Not)A;Brand", "99"),
            ("Chromium", "126"),
            ("Google Chrome", "126"),
            ("Microsoft Edge", "126"),
        ];
        for _ in 0..list.len() {
            list.rotate_left(1);
            let d = from_client_hints(&brands(&list), "Windows", Some("15.0.0"), false, None);
            assert_eq!(d.browser.as_deref(), Some("Edge"));
            let d = from_client_hints(
                &brands(&list[..])
                    .into_iter()
                    .filter(|b| b.0 != "Microsoft Edge")
                    .collect::<Vec<_>>(),
                "Windows",
                None,
                false,
                None,
            );
            assert_eq!(d.browser.as_deref(), Some("Chrome"));
        }
    }

    #[test]
    fn client_hints_agree_with_user_agent() {
        // What this browser sees of itself must match what KuCoin's table says about it.
        let hints = from_client_hints(&brands(CHROME_120), "Windows", Some("15.0.0"), false, None);
        let ua = parse_user_agent("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36");
        let row = parse_kucoin_device("Windows 10 Chrome");
        assert!(hints.same_device(&ua) && ua.same_device(&hints));
        assert!(
            hints.same_device(&row),
            "Windows 11 per hints, 10 per KuCoin: versions never count"
        );
        assert_eq!(hints.fingerprint(), ua.fingerprint());
        assert_eq!(hints.fingerprint(), row.fingerprint());

        let android = from_client_hints(
            &brands(CHROME_120),
            "Android",
            Some("14.0.0"),
            true,
            Some("Pixel 8"),
        );
        let reduced = parse_user_agent("Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36");
        assert!(
            android.same_device(&reduced),
            "reduced UA has no model: unknown, not different"
        );
    }

    // ---- fingerprint ----

    #[test]
    fn fingerprint_examples() {
        let cases: &[(DeviceInfo, &str)] = &[
            (
                parse_kucoin_device("Windows 10 Chrome"),
                "web|windows|chrome|",
            ),
            (parse_kucoin_device("Linux Firefox"), "web|linux|firefox|"),
            (
                parse_kucoin_device("iOS 17.5 KuCoin App iPhone"),
                "app|ios|kucoin app|iphone",
            ),
            (
                parse_kucoin_device("Android 13 SM-S918B"),
                "|android||sm-s918b",
            ),
            // (the maker's name before the model is not part of it, unless
            // the model's name is a short one many makers use)
            (
                parse_kucoin_device("HarmonyOS 4.0 HUAWEI ANA-NX9"),
                "|harmonyos||ana-nx9",
            ),
            (
                parse_kucoin_device("HarmonyOS 4.0 HUAWEI P60"),
                "|harmonyos||huawei p60",
            ),
            (
                parse_kucoin_device("iOS 17.5 KuCoin App iPhone15,2"),
                "app|ios|kucoin app|iphone15,2",
            ),
            (
                parse_kucoin_device("Mac OS X 10.15.7 Safari"),
                "web|macos|safari|",
            ),
            (parse_kucoin_device("iPadOS 17 iPad"), "|ios||ipad"),
            (
                parse_kucoin_device("Chrome OS Chrome"),
                "web|chromeos|chrome|",
            ),
            (
                parse_kucoin_device("Windows 10 Brave"),
                "web|windows|chrome|",
            ),
            (
                parse_kucoin_device("Windows 10 Samsung Internet"),
                "web|windows|samsung internet|",
            ),
            (parse_user_agent("curl/8.4.0"), "api|||"),
            (DeviceInfo::default(), "|||"),
            (
                DeviceInfo {
                    kind: Some(DeviceKind::App),
                    os: Some("iOS".into()),
                    model: Some("iPhone".into()),
                    ..Default::default()
                },
                "app|ios|kucoin app|iphone",
            ),
            (
                DeviceInfo {
                    os: Some("Mac OS X".into()),
                    browser: Some("Mobile Safari".into()),
                    ..Default::default()
                },
                "|macos|safari|",
            ),
            (
                DeviceInfo {
                    model: Some(" Galaxy  |  S23 ".into()),
                    ..Default::default()
                },
                "|||galaxy / s23",
            ),
        ];
        for (d, fp) in cases {
            assert_eq!(d.fingerprint(), *fp, "{d:?}");
            assert_eq!(d.fingerprint().matches('|').count(), 3);
        }
    }

    /// Real UA templates: `{B}` is the browser major, `{O}` an OS version.
    const TEMPLATES: &[(&str, &[&str])] = &[
        ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{B}.0.0.0 Safari/537.36", &["0"]),
        ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{B}.0.0.0 Safari/537.36", &["0"]),
        ("Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{B}.0.0.0 Mobile Safari/537.36", &["0"]),
        ("Mozilla/5.0 (Linux; Android {O}; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/{B}.0 Chrome/117.0.0.0 Mobile Safari/537.36", &["13", "14", "15"]),
        ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{B}.0.0.0 Safari/537.36 Edg/{B}.0.0.0", &["0"]),
        ("Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:{B}.0) Gecko/20100101 Firefox/{B}.0", &["0"]),
        ("Mozilla/5.0 (X11; Linux x86_64; rv:{B}.0) Gecko/20100101 Firefox/{B}.0", &["0"]),
        ("Mozilla/5.0 (Android {O}; Mobile; rv:{B}.0) Gecko/{B}.0 Firefox/{B}.0", &["12", "13", "14"]),
        ("Mozilla/5.0 (iPhone; CPU iPhone OS {O} like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/{B}.0 Mobile/15E148 Safari/604.1", &["16_6", "17_4_1", "17_5", "18_1"]),
        ("Mozilla/5.0 (iPad; CPU OS {O} like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/{B}.0.6422.80 Mobile/15E148 Safari/604.1", &["16_6", "17_5"]),
        ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/{B}.1 Safari/605.1.15", &["0"]),
        ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 OPR/{B}.0.0.0", &["0"]),
        ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 YaBrowser/{B}.4.0.0 Safari/537.36", &["0"]),
        ("Mozilla/5.0 (Linux; U; Android {O}; en-US; RMX2103 Build/RP1A.200720.011) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/100.0.4896.58 UCBrowser/{B}.4.0.1306 Mobile Safari/537.36", &["10", "11"]),
        ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Vivaldi/{B}.7.3329.35", &["0"]),
        ("Mozilla/5.0 (Phone; OpenHarmony {O}) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/114.0.0.0 Safari/537.36 ArkWeb/4.1.6.1 Mobile HuaweiBrowser/{B}.0.4.300", &["4.1", "5.0"]),
        ("KuCoin/{B}.110.0 (iPhone; iOS {O}; Scale/3.00)", &["16.6", "17.5", "18.1"]),
    ];

    #[test]
    fn fingerprint_stable_across_version_bumps() {
        let mut checked = 0;
        for (template, os_versions) in TEMPLATES {
            let mut first: Option<(String, DeviceInfo)> = None;
            for os_v in *os_versions {
                for major in [3u32, 12, 17, 26, 90, 99, 100, 109, 120, 131, 140, 999] {
                    let ua = template
                        .replace("{B}", &major.to_string())
                        .replace("{O}", os_v);
                    let d = parse_user_agent(&ua);
                    checked += 1;
                    assert_eq!(d.browser_major, Some(major), "{ua}");
                    assert!(d.browser.is_some() && d.os.is_some(), "{ua}: {d:?}");
                    match &first {
                        None => first = Some((d.fingerprint(), d)),
                        Some((fp, d0)) => {
                            assert_eq!(&d.fingerprint(), fp, "{ua}");
                            assert!(d.same_device(d0) && d0.same_device(&d), "{ua}");
                        }
                    }
                }
            }
        }
        assert!(checked >= 250);
    }

    #[test]
    fn fingerprint_separates_different_devices() {
        let texts = [
            "Windows 10 Chrome",
            "Windows 10 Firefox",
            "Windows 10 Edge",
            "macOS Chrome",
            "Linux Chrome",
            "Android 14 Chrome",
            "iOS 17.5 Safari",
            "macOS Safari",
            "Android 14 KuCoin App",
            "iOS 17.5 KuCoin App",
            "Android 13 SM-S918B",
            "Android 13 SM-A515F",
            "iOS 17.5 iPhone",
            "iPadOS 17 iPad",
            "API",
        ];
        let fps: Vec<String> = texts
            .iter()
            .map(|t| parse_kucoin_device(t).fingerprint())
            .collect();
        for i in 0..fps.len() {
            for j in i + 1..fps.len() {
                assert_ne!(fps[i], fps[j], "{} vs {}", texts[i], texts[j]);
            }
        }
        // KuCoin OS / app updates keep the fingerprint.
        for (a, b) in [
            ("Windows 10 Chrome", "Windows 11 Chrome 131"),
            ("iOS 17.4 KuCoin App", "iOS 18.1 KuCoin App 3.120.0"),
            ("Android 13 SM-S918B", "Android 14 SM-S918B"),
            ("Mac OS X 10.15.7 Safari", "macOS 14.5 Safari"),
            ("HarmonyOS 3.0 HUAWEI P60", "HarmonyOS 4.0 HUAWEI P60"),
            ("iOS 16.6 iPhone", "iOS17.5 iPhone"),
        ] {
            assert_eq!(
                parse_kucoin_device(a).fingerprint(),
                parse_kucoin_device(b).fingerprint(),
                "{a} vs {b}"
            );
        }
    }

    // ---- same_device ----

    #[test]
    fn same_device_cases() {
        let ua = parse_user_agent;
        let kc = parse_kucoin_device;
        let win_chrome = ua("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36");
        let win_edge = ua("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.80");
        let mac_safari = ua("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15");
        let iphone_safari = ua("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1");
        let ipad_safari = ua("Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1");
        let android_chrome = ua("Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36");
        let brave_hints = from_client_hints(
            &brands(&[("Brave", "124"), ("Chromium", "124"), ("Not-A.Brand", "99")]),
            "Windows",
            Some("15.0.0"),
            false,
            None,
        );
        let edge_hints = from_client_hints(
            &brands(&[("Microsoft Edge", "124"), ("Chromium", "124")]),
            "Windows",
            Some("10.0.0"),
            false,
            None,
        );

        let yes: Vec<(&str, DeviceInfo, DeviceInfo)> = vec![
            (
                "UA vs KuCoin row",
                win_chrome.clone(),
                kc("Windows 10 Chrome"),
            ),
            (
                "Windows 11 row",
                win_chrome.clone(),
                kc("Windows 11 Chrome"),
            ),
            (
                "row with browser version",
                win_chrome.clone(),
                kc("Windows 10 Chrome 120.0.0.0"),
            ),
            (
                "Brave sends Chrome's UA",
                brave_hints.clone(),
                kc("Windows 10 Chrome"),
            ),
            (
                "Brave vs Chrome UA",
                brave_hints.clone(),
                win_chrome.clone(),
            ),
            (
                "Edge hints vs Edge row",
                edge_hints.clone(),
                kc("Windows 10 Edge"),
            ),
            (
                "Edge hints vs Edge UA",
                edge_hints.clone(),
                win_edge.clone(),
            ),
            (
                "mac Safari",
                mac_safari.clone(),
                kc("Mac OS X 10.15.7 Safari"),
            ),
            (
                "mac Safari / macOS row",
                mac_safari.clone(),
                kc("macOS Safari"),
            ),
            (
                "iPhone Safari vs model-only row",
                iphone_safari.clone(),
                kc("iOS 17.5 iPhone"),
            ),
            (
                "iPhone Safari vs Safari row",
                iphone_safari.clone(),
                kc("iOS 17.5 Safari"),
            ),
            (
                "iPad Safari vs iPadOS row",
                ipad_safari.clone(),
                kc("iPadOS 17.5 Safari"),
            ),
            (
                "reduced Android",
                android_chrome.clone(),
                kc("Android 14 Chrome"),
            ),
            (
                "app vs app",
                kc("Android 14 KuCoin App"),
                kc("Android 13 KuCoin App"),
            ),
            (
                "app model unknown on one side",
                kc("iOS 17.5 KuCoin App iPhone"),
                kc("iOS 17.5 KuCoin App"),
            ),
            (
                "model spacing and case",
                kc("Android 13 Redmi  Note 11"),
                kc("Android 13 redmi note 11"),
            ),
            (
                "Chromium is Chrome",
                kc("Linux Chromium"),
                kc("Linux Chrome"),
            ),
        ];
        for (why, a, b) in &yes {
            assert!(a.same_device(b), "{why}: {a:?} vs {b:?}");
            assert!(b.same_device(a), "{why} (reversed)");
        }

        let no: Vec<(&str, DeviceInfo, DeviceInfo)> = vec![
            ("Chrome vs Edge", win_chrome.clone(), win_edge.clone()),
            (
                "Edge hints vs Chrome row",
                edge_hints.clone(),
                kc("Windows 10 Chrome"),
            ),
            (
                "Chrome vs Firefox",
                win_chrome.clone(),
                kc("Windows 10 Firefox"),
            ),
            ("Windows vs macOS", win_chrome.clone(), kc("macOS Chrome")),
            ("Windows vs Linux", win_chrome.clone(), kc("Linux Chrome")),
            ("iPhone vs iPad", iphone_safari.clone(), ipad_safari.clone()),
            (
                "iPhone vs iPad row",
                iphone_safari.clone(),
                kc("iPadOS 17 iPad"),
            ),
            (
                "web vs app",
                android_chrome.clone(),
                kc("Android 14 KuCoin App"),
            ),
            (
                "different models",
                kc("Android 13 SM-S918B"),
                kc("Android 13 SM-A515F"),
            ),
            ("API vs browser", kc("API"), win_chrome.clone()),
            (
                "API vs API: nothing known",
                parse_user_agent("curl/8.4.0"),
                parse_user_agent("python-requests/2.31.0"),
            ),
            (
                "nothing known",
                DeviceInfo::default(),
                DeviceInfo::default(),
            ),
            (
                "nothing known vs Chrome",
                DeviceInfo::default(),
                win_chrome.clone(),
            ),
            ("kind only", kc("kucoin web"), win_chrome.clone()),
            (
                "Safari mac vs iOS",
                mac_safari.clone(),
                iphone_safari.clone(),
            ),
            (
                "HarmonyOS vs Android",
                kc("HarmonyOS 4.0 HUAWEI P60"),
                kc("Android 12 HUAWEI P60"),
            ),
        ];
        for (why, a, b) in &no {
            assert!(!a.same_device(b), "{why}: {a:?} vs {b:?}");
            assert!(!b.same_device(a), "{why} (reversed)");
        }
    }

    /// KuCoin's cell may name the maker before the model ("Samsung SM-S918B") where the
    /// phone's User-Agent names the model alone: one device for `same_device` and for
    /// the trust list. Another model of the same maker stays another device.
    #[test]
    fn a_makers_name_before_the_model_is_the_same_phone() {
        let kc = parse_kucoin_device;
        let same = [
            ("Android 13 Samsung SM-S918B", "Android 13 SM-S918B"),
            ("Android 13 samsung SM-S918B", "Android 13 SAMSUNG SM-S918B"),
            ("Android 13 Xiaomi 2201123G", "Android 13 2201123G"),
            ("Android 13 Xiaomi Redmi Note 12", "Android 13 Redmi Note 12"),
            ("Android 13 HUAWEI ANA-NX9", "Android 13 ANA-NX9"),
            ("Android 13 OnePlus CPH2449", "Android 13 CPH2449"),
            ("Android 14 Google Pixel 7", "Android 14 Pixel 7"),
            ("Android 13 vivo V2250", "Android 13 V2250"),
            ("Android 13 OPPO CPH2451", "Android 13 CPH2451"),
            ("Android 13 realme RMX3630", "Android 13 RMX3630"),
            ("Android 13 motorola moto g54 5G", "Android 13 moto g54 5G"),
            ("Android 13 HONOR ANY-NX1", "Android 13 ANY-NX1"),
            ("Android 13 TECNO CK8n", "Android 13 CK8n"),
            ("Android 13 Infinix X6833B", "Android 13 X6833B"),
            ("Android 14 KuCoin App Samsung SM-S918B", "Android 14 KuCoin App SM-S918B"),
            // the same model named alike by both sides
            ("Android 13 vivo 1906", "Android 13 vivo 1906"),
        ];
        for (a, b) in same {
            let (a, b) = (kc(a), kc(b));
            assert!(a.same_device(&b) && b.same_device(&a), "{a:?} vs {b:?}");
            assert_eq!(a.fingerprint(), b.fingerprint());
        }
        // This browser's own User-Agent (the model alone) against the cell with the maker.
        let me = parse_user_agent("Mozilla/5.0 (Linux; Android 13; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36");
        assert!(me.same_device(&kc("Android 13 Samsung SM-S918B Chrome")));
        assert_eq!(me.fingerprint(), kc("Android 13 samsung SM-S918B Chrome").fingerprint());
        assert!(!me.same_device(&kc("Android 13 Samsung SM-S911B Chrome")));

        let different = [
            ("Android 13 Samsung SM-S918B", "Android 13 SM-S911B"),
            ("Android 13 samsung SM-S918B", "Android 13 Samsung SM-S911B"),
            ("Android 14 Pixel 7", "Android 14 Pixel 7 Pro"),
            ("Android 14 Google Pixel 7", "Android 14 Pixel 7 Pro"),
            ("Android 13 Redmi Note 12", "Android 13 Redmi Note 12 Pro"),
            ("Android 13 Xiaomi Redmi Note 12", "Android 13 Xiaomi Redmi Note 12 Pro"),
            ("Android 13 moto g54 5G", "Android 13 motorola moto g84 5G"),
            // a bare number or a short one is the model only with its maker
            ("Android 14 Xiaomi 13", "Android 14 OnePlus 13"),
            ("Android 14 Xiaomi 13", "Android 14 Xiaomi 13 Pro"),
            ("Android 13 HONOR 8X", "Android 13 Huawei 8X"),
            // a maker's name alone is no model to drop it from
            ("Android 13 Samsung", "Android 13 Xiaomi"),
        ];
        for (a, b) in different {
            let (a, b) = (kc(a), kc(b));
            assert!(!a.same_device(&b) && !b.same_device(&a), "{a:?} vs {b:?}");
            assert_ne!(a.fingerprint(), b.fingerprint());
        }
    }

    /// Apple's hardware identifiers ("iPhone15,2") hold a comma: one model word, an iPhone
    /// (or iPad) on iOS; the bare family (all a browser's UA says) matches any of its
    /// identifiers, two identifiers are two models.
    #[test]
    fn apple_identifiers_stay_whole() {
        let kc = parse_kucoin_device;
        for (text, model, form) in [
            ("iOS 17.5 iPhone15,2", "iPhone15,2", FormFactor::Phone),
            ("iPhone15,2", "iPhone15,2", FormFactor::Phone),
            ("iOS 17.5, iPhone15,2, KuCoin App", "iPhone15,2", FormFactor::Phone),
            ("iPadOS 17.5 iPad13,4", "iPad13,4", FormFactor::Tablet),
            ("iOS 17.5 iPad13,4 KuCoin App", "iPad13,4", FormFactor::Tablet),
            ("iOS 15 iPod9,1", "iPod9,1", FormFactor::Phone),
        ] {
            let d = kc(text);
            assert_eq!(d.model.as_deref(), Some(model), "{text}");
            assert_eq!(d.form_factor, Some(form), "{text}");
            assert_eq!(d.os.as_deref(), Some(IOS), "{text}");
        }
        // Not identifiers: a comma between other words still separates them.
        assert_eq!(kc("Android 13, SM-S918B,Chrome").model.as_deref(), Some("SM-S918B"));
        assert_eq!(kc("Android 13, SM-S918B,Chrome").browser.as_deref(), Some("Chrome"));
        assert_eq!(kc("iPhone15,2,3").model.as_deref(), Some("iPhone15 2 3"));

        let safari = parse_user_agent("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1");
        let ipad = parse_user_agent("Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1");
        assert!(safari.same_device(&kc("iOS 17.5 iPhone15,2 Safari")));
        assert!(kc("iOS 17.5 iPhone15,2 Safari").same_device(&safari));
        assert!(safari.same_device(&kc("iOS 17.5 Apple iPhone15,2")));
        assert!(ipad.same_device(&kc("iPadOS 17.5 iPad13,4 Safari")));
        assert!(!safari.same_device(&kc("iOS 17.5 iPad13,4 Safari")));
        assert!(!ipad.same_device(&kc("iOS 17.5 iPhone15,2 Safari")));
        let app = |m: &str| kc(&format!("iOS 17.5 KuCoin App {m}"));
        assert!(app("iPhone15,2").same_device(&app("iPhone")));
        assert!(app("iPhone15,2").same_device(&app("iphone15,2")));
        assert!(!app("iPhone15,2").same_device(&app("iPhone14,5")));
        assert!(!app("iPhone15,2").same_device(&app("iPhone15,3")));
        assert!(!app("iPad13,4").same_device(&app("iPhone")));
        assert_ne!(app("iPhone15,2").fingerprint(), app("iPhone14,5").fingerprint());
        // "Mac" and "Macintosh" are macOS, no model.
        for t in ["Mac Chrome", "Macintosh Chrome", "macOS Chrome", "Mac OS X Chrome"] {
            assert_eq!(kc(t).fingerprint(), "web|macos|chrome|", "{t}");
        }
    }

    #[test]
    fn stored_fingerprints_are_rekeyed() {
        assert_eq!(rekey_fingerprint("app|android|kucoin app|samsung sm-s918b").as_deref(), Some("app|android|kucoin app|sm-s918b"));
        assert_eq!(rekey_fingerprint("|harmonyos||huawei ana-nx9").as_deref(), Some("|harmonyos||ana-nx9"));
        assert_eq!(rekey_fingerprint("|harmonyos||huawei p60"), None);
        for fp in ["app|android|kucoin app|sm-s918b", "web|windows|chrome|", "app|android|kucoin app|xiaomi 13", "me", "", "a|b", "web|ios|safari|iphone15,2"] {
            assert_eq!(rekey_fingerprint(fp), None, "{fp}");
        }
        // The key of a key is itself: every model fingerprint() makes is stable under rekey.
        for t in ["Android 13 Samsung Samsung SM-S918B", "Android 13 HUAWEI Honor 8X", "Android 13 Google Pixel 7 Pro", "iOS 17 KuCoin App iPhone15,2"] {
            assert_eq!(rekey_fingerprint(&parse_kucoin_device(t).fingerprint()), None, "{t}");
        }
    }

    /// A short model name after the maker's ("X20", "One", "A52") is many makers'
    /// series: each phone's own User-Agent may carry its maker ("Nokia X20", "vivo
    /// X20"), and two makers' phones of one short name are two devices, here and
    /// in the trust list (two entries an older version stored are not merged).
    #[test]
    fn a_short_model_name_keeps_its_maker() {
        let kc = parse_kucoin_device;
        for (a, b) in [
            ("Android 13 Nokia X20 Chrome", "Android 13 vivo X20 Chrome"),
            ("Android 13 HTC One Chrome", "Android 13 OnePlus One Chrome"),
            ("Android 13 Samsung A52 Chrome", "Android 13 OPPO A52 Chrome"),
            ("Android 13 Nokia X20 Chrome", "Android 13 X20 Chrome"),
            ("Android 14 Realme Note 50 Chrome", "Android 14 Infinix NOTE 50 Chrome"),
            ("Android 14 Honor Play 8 Chrome", "Android 14 Realme Play 8 Chrome"),
            ("Android 14 motorola edge 40 Chrome", "Android 14 vivo edge 40 Chrome"),
        ] {
            let (a, b) = (kc(a), kc(b));
            assert!(!a.same_device(&b) && !b.same_device(&a), "{a:?} vs {b:?}");
            assert_ne!(a.fingerprint(), b.fingerprint());
        }
        let ua = |m: &str| parse_user_agent(&format!("Mozilla/5.0 (Linux; Android 13; {m}) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36"));
        assert!(!ua("Nokia X20").same_device(&ua("vivo X20")));
        assert_ne!(ua("Nokia X20").fingerprint(), ua("vivo X20").fingerprint());
        assert!(ua("Nokia X20").same_device(&kc("Android 13 Nokia X20 Chrome")));
        for fp in ["web|android|chrome|nokia x20", "web|android|chrome|vivo x20", "web|android|chrome|htc one", "web|android|chrome|realme note 50", "web|android|chrome|infinix note 50"] {
            assert_eq!(rekey_fingerprint(fp), None, "{fp}");
        }
        // (a long name or code still drops it)
        assert_eq!(kc("Android 13 TECNO CK8n").fingerprint(), kc("Android 13 CK8n").fingerprint());
        assert_eq!(kc("Android 13 motorola moto g54 5G").fingerprint(), kc("Android 13 moto g54 5G").fingerprint());
    }

    /// Older versions split an Apple identifier at its comma ("iPhone15,2" was the
    /// model "iPhone15 2"): the phone trusted then is found by its row now.
    #[test]
    fn apple_identifiers_split_by_older_versions_are_rekeyed() {
        let now = parse_kucoin_device("iOS 17.5 KuCoin App iPhone15,2");
        assert_eq!(rekey_fingerprint("app|ios|kucoin app|iphone15 2").as_deref(), Some(now.fingerprint().as_str()));
        assert_eq!(rekey_fingerprint("web|ios|safari|apple ipad13 4").as_deref(), Some("web|ios|safari|ipad13,4"));
        // (how the older parser read it: the comma a separator, "2" a model word)
        let split = parse_kucoin_device("iOS 17.5 KuCoin App iPhone15 2");
        assert_eq!(split.fingerprint(), now.fingerprint());
        assert!(split.same_device(&now));
        for fp in ["app|ios|kucoin app|iphone15,2", "app|ios|kucoin app|iphone 15 2", "app|ios|kucoin app|iphone15,2 3"] {
            assert_eq!(rekey_fingerprint(fp), None, "{fp}");
        }
        assert_ne!(parse_kucoin_device("iOS 17.5 KuCoin App iPhone15,3").fingerprint(), now.fingerprint());
    }

    #[test]
    fn icon_platforms() {
        for (name, os) in [
            ("Android", Some(ANDROID)),
            ("android app", Some(ANDROID)),
            ("iphone app", Some(IOS)),
            ("icon icon-ios css-0niqyd2", Some(IOS)),
            ("icon-windows", Some(WINDOWS)),
            ("KuxIcon-macos", Some(MACOS)),
            ("kucoin web", None),
            ("css-0niqyd2 icon", None),
            ("", None),
            // two platforms: none
            ("android ios", None),
            ("Windows or Linux", None),
        ] {
            assert_eq!(icon_platform(name), os, "{name:?}");
        }
        // Only beside a browser the text names, and never over the text's own OS.
        let mut d = parse_kucoin_device("Chrome");
        add_icon_platform(&mut d, WINDOWS);
        assert_eq!((d.os.as_deref(), d.form_factor), (Some(WINDOWS), Some(FormFactor::Desktop)));
        let mut d = parse_kucoin_device("Linux Chrome");
        add_icon_platform(&mut d, WINDOWS);
        assert_eq!(d.os.as_deref(), Some(LINUX));
        let mut d = parse_kucoin_device("SM-S918B");
        add_icon_platform(&mut d, ANDROID);
        assert_eq!(d.os, None);
    }

    /// Automation, embedded and in-app browsers, and HTTP clients, must never pass for
    /// the user's own browser: not by `same_device`, not by the trust-list fingerprint.
    #[test]
    fn automation_and_in_app_are_never_the_users_browser() {
        let ua = parse_user_agent;
        let kc = parse_kucoin_device;
        let linux_chrome = ua("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36");
        let win_chrome = ua("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36");
        let mac_chrome = ua("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36");
        let iphone_safari = ua("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1");
        let android_chrome = ua("Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.0.0 Mobile Safari/537.36");
        let hints_chrome = from_client_hints(&brands(CHROME_120), "Linux", None, false, None);
        let harmony_chrome = ua("Mozilla/5.0 (Linux; Android 12; HarmonyOS; ALN-AL80) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/99.0.4844.88 Safari/537.36");
        let cases: &[(&DeviceInfo, DeviceInfo)] = &[
            (&linux_chrome, ua("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.6778.33 Safari/537.36")),
            (&hints_chrome, ua("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.6778.33 Safari/537.36")),
            (&hints_chrome, from_client_hints(&brands(&[("HeadlessChrome", "131"), ("Chromium", "131")]), "Linux", None, false, None)),
            (&linux_chrome, kc("Linux HeadlessChrome")),
            (&win_chrome, kc("Windows 10 HeadlessChrome")),
            (&win_chrome, kc("Windows 10 Headless Chrome 131")),
            (&win_chrome, ua("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/114.0.0.0 Electron/25.3.1 Safari/537.36")),
            (&win_chrome, kc("Windows 10 Electron")),
            (&linux_chrome, kc("Linux PhantomJS")),
            (&mac_chrome, ua("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) discord/0.0.309 Chrome/120.0.6099.291 Electron/28.2.10 Safari/537.36")),
            (&iphone_safari, ua("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 [FBAN/FBIOS;FBAV/470.0.0.38.109;FBDV/iPhone15,2;FBMD/iPhone;FBSN/iOS;FBSV/17.5]")),
            (&iphone_safari, ua("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.50(0x1800322d) NetType/WIFI Language/zh_CN")),
            (&iphone_safari, kc("iOS 17.5 Mobile Safari UI/WKWebView")),
            (&iphone_safari, kc("iOS 17.5 Instagram")),
            (&iphone_safari, ua("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) GSA/322.0.647095529 Mobile/15E148 Safari/604.1")),
            (&iphone_safari, kc("iOS 17.5 Google App")),
            (&android_chrome, ua("Mozilla/5.0 (Linux; Android 14; SM-S918B Build/UP1A.231005.007; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/125.0.6422.165 Mobile Safari/537.36 GSA/15.22.27.29.arm64")),
            (&android_chrome, kc("Android 14 Chrome Mobile WebView")),
            // Web views named so, in the cell or the User-Agent, whatever else they name.
            (&android_chrome, kc("Android 14 Chrome WebView")),
            (&android_chrome, kc("Android 14 WebView")),
            (&android_chrome, kc("Android 14 SM-S918B Chrome wv")),
            (&iphone_safari, kc("iOS 17.5 Safari WebView")),
            (&harmony_chrome, kc("HarmonyOS 4.0 Chrome WebView")),
            (&harmony_chrome, kc("HarmonyOS 4.0 WebView")),
            (&harmony_chrome, ua("Mozilla/5.0 (Linux; Android 12; HUAWEI HarmonyOS; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/116.0.0.0 Mobile Safari/537.36")),
            (&harmony_chrome, ua("Mozilla/5.0 (Phone; OpenHarmony 5.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/114.0.0.0 Safari/537.36 ArkWeb/4.1.6.1 Mobile")),
            // Vendor browsers: their own families, not Chrome.
            (&android_chrome, ua("Mozilla/5.0 (Linux; Android 12; V2145A; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/87.0.4280.141 Mobile Safari/537.36 VivoBrowser/16.4.30.0")),
            (&android_chrome, ua("Mozilla/5.0 (Linux; Android 8.0.0; Infinix X608 Build/OPR1.170623.032) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/91.0.4472.120 Mobile Safari/537.36 OPX/1.0")),
            (&android_chrome, kc("Android 14 Mint Browser")),
            (&android_chrome, kc("Android 14 Facebook")),
            (&android_chrome, kc("Android 14 Telegram")),
            (&android_chrome, ua("Mozilla/5.0 (Linux; Android 14; SM-S918B Build/UP1A.231005.007; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/125.0.6422.165 Mobile Safari/537.36 musical_ly_2023205030 JsSdk/1.0 AppName/musical_ly")),
            // HTTP libraries named in a cell: API clients, not a model of the user's OS.
            (&win_chrome, kc("Windows 10 Python Requests")),
            (&android_chrome, kc("Android 14 okhttp")),
            (&linux_chrome, kc("Linux curl")),
            (&linux_chrome, ua("Playwright/1.49.1 (x64; ubuntu 22.04) node/20.18 CI/1")),
        ];
        for (me, other) in cases {
            assert!(!me.same_device(other) && !other.same_device(me), "{me:?} vs {other:?}");
            assert_ne!(me.fingerprint(), other.fingerprint(), "{other:?}");
        }
        // ... while the Chrome of the user, as KuCoin names it, still is.
        assert!(linux_chrome.same_device(&kc("Linux Chrome")) && hints_chrome.same_device(&kc("Linux Chrome")));
        assert!(harmony_chrome.same_device(&kc("HarmonyOS 4.0 Chrome")));
        // Opera GX: desktop sends Opera's User-Agent, so "Opera" and "Opera GX" are one family.
        let gx = from_client_hints(&brands(&[("Opera GX", "119"), ("Chromium", "134")]), "Windows", Some("10.0.0"), false, None);
        assert_eq!(gx.browser.as_deref(), Some("Opera GX"));
        assert!(gx.same_device(&kc("Windows 10 Opera")) && gx.same_device(&kc("Windows 10 Opera GX")));
        assert_eq!(kc("Android 11 HeyTap Browser").fingerprint(), kc("Android 11 OPPO Browser").fingerprint());
        assert_eq!(kc("Linux HeadlessChrome").describe(), "HeadlessChrome on Linux");
        assert_eq!(kc("Windows 10 Python Requests").kind, Some(DeviceKind::Api));
        // "motorola edge 40" and "Galaxy S7 edge" are phones, not the Edge browser.
        assert_eq!(kc("Android 14 motorola edge 40").model.as_deref(), Some("motorola edge 40"));
        assert_eq!(kc("Android 12 Galaxy S7 edge").browser, None);
        assert_eq!(kc("Android 13 SM-S918B Edge").browser.as_deref(), Some("Edge"));
    }

    #[test]
    fn same_device_is_reflexive_and_symmetric_over_the_table() {
        let infos: Vec<DeviceInfo> = table().into_iter().map(|r| r.3).collect();
        for a in &infos {
            let known = a.os.is_some() || a.browser.is_some();
            assert_eq!(a.same_device(a), known, "{a:?}");
        }
        for a in infos.iter().step_by(3) {
            for b in infos.iter().step_by(5) {
                assert_eq!(a.same_device(b), b.same_device(a), "{a:?} vs {b:?}");
                if a.fingerprint() == b.fingerprint() && (a.os.is_some() || a.browser.is_some()) {
                    assert!(
                        a.same_device(b),
                        "equal fingerprints must match: {a:?} vs {b:?}"
                    );
                }
            }
        }
    }

    // ---- describe ----

    #[test]
    fn describe_cases() {
        let cases: &[(DeviceInfo, &str)] = &[
            (parse_kucoin_device("Linux Firefox"), "Firefox on Linux"),
            (parse_kucoin_device("Windows 10 Chrome"), "Chrome on Windows 10"),
            (parse_kucoin_device("iOS KuCoin App iPhone"), "KuCoin App on iOS (iPhone)"),
            (parse_kucoin_device("iOS 17.5 KuCoin App iPhone"), "KuCoin App on iOS 17.5 (iPhone)"),
            (parse_kucoin_device("Android 13 SM-S918B"), "SM-S918B on Android 13"),
            (parse_kucoin_device("Android 14"), "Android 14 device"),
            (parse_kucoin_device("KuCoin App"), "KuCoin App"),
            (parse_kucoin_device("kucoin web"), "Web browser"),
            (parse_kucoin_device("API"), "API client"),
            (parse_kucoin_device(""), "Unknown device"),
            (parse_kucoin_device("未知设备"), "Unknown device"),
            (parse_user_agent("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36"), "Chrome on Windows"),
            (parse_user_agent("Mozilla/5.0 (Linux; Android 13; SM-X710) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/23.0 Chrome/115.0.0.0 Safari/537.36"), "Samsung Internet on Android 13 (SM-X710)"),
            (parse_user_agent("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"), "Safari on iOS 17.5 (iPhone)"),
            (parse_user_agent("python-requests/2.31.0"), "API client"),
            (parse_user_agent("Chrome/120"), "Chrome"),
            (parse_user_agent("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"), "Unknown device"),
            (DeviceInfo { browser: Some("Firefox".into()), model: Some("Pixel 8".into()), ..Default::default() }, "Firefox (Pixel 8)"),
            (DeviceInfo { model: Some("iPhone".into()), ..Default::default() }, "iPhone"),
        ];
        for (d, s) in cases {
            assert_eq!(d.describe(), *s, "{d:?}");
        }
    }

    // ---- JSON shape ----

    #[test]
    fn json_shape() {
        use crate::json::{from_text, to_text};
        let d = parse_kucoin_device("iOS 17.5 KuCoin App iPhone");
        let json = to_text(&d);
        assert_eq!(
            json,
            r#"{"browser":"KuCoin App","browser_major":null,"os":"iOS","os_version":"17.5","model":"iPhone","form_factor":"phone","kind":"app"}"#
        );
        assert_eq!(from_text::<DeviceInfo>(&json).unwrap(), d);
        assert_eq!(
            to_text(&FormFactor::Desktop),
            r#""desktop""#
        );
        assert_eq!(
            to_text(&FormFactor::Tablet),
            r#""tablet""#
        );
        assert_eq!(to_text(&DeviceKind::Api), r#""api""#);
        assert_eq!(to_text(&DeviceKind::Web), r#""web""#);
        let empty = to_text(&DeviceInfo::default());
        assert_eq!(
            from_text::<DeviceInfo>(&empty).unwrap(),
            DeviceInfo::default()
        );
    }

    // ---- robustness ----

    struct XorShift(u64);

    impl XorShift {
        fn next(&mut self) -> u64 {
            let mut x = self.0;
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            self.0 = x;
            x
        }
        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }
    }

    const FRAGMENTS: &[&str] = &[
        "Mozilla/5.0 ",
        "(",
        ")",
        ";",
        " ",
        "/",
        "_",
        ".",
        "Windows NT ",
        "10.0",
        "6.1",
        "Win64; x64",
        "Macintosh; Intel Mac OS X ",
        "10_15_7",
        "iPhone",
        "iPad",
        "iPod",
        "CPU iPhone OS ",
        "CPU OS ",
        " like Mac OS X",
        "Linux; ",
        "Android ",
        "Android",
        "; K",
        "; wv",
        " Build/",
        "Mobile",
        "Tablet",
        "CrOS ",
        "X11",
        "OpenHarmony ",
        "HarmonyOS",
        "HMSCore ",
        "Chrome/",
        "CriOS/",
        "Edg/",
        "EdgA/",
        "EdgiOS/",
        "Edge/",
        "OPR/",
        "OPiOS/",
        "OPT/",
        "Opera Mini/",
        "Opera/",
        "Opera ",
        "SamsungBrowser/",
        "YaBrowser/",
        "UCBrowser/",
        "UCWEB",
        "Adr ",
        "Vivaldi/",
        "Brave",
        "Brave/",
        "Firefox/",
        "FxiOS/",
        "Version/",
        "Safari/",
        "MSIE ",
        "Trident/",
        "rv:",
        "KuCoin",
        "kucoin/",
        "App",
        "app",
        "okhttp/",
        "Dalvik/",
        "CFNetwork/",
        "Darwin/",
        "Dart/",
        "curl/",
        "python-requests/",
        "ccxt",
        "sdk",
        "bot/",
        "+http",
        "iOS ",
        "iOS",
        "ipados",
        "Mac OS X",
        "Chrome OS",
        "Samsung Internet",
        "Unknown",
        "null",
        "4294967295",
        "99999999999999999999",
        "0",
        "1",
        "17.5",
        "120.0.0.0",
        "-",
        "·",
        "é",
        "当前",
        "🚀",
        "\u{0}",
        "\t",
        "\n",
        "\u{FEFF}",
        "\u{200B}",
        "Ä",
        "İ",
        "ß",
        "ﬃ",
        "N/A",
        "(((",
        ")))",
        ";;",
    ];

    fn random_input(rng: &mut XorShift) -> String {
        let mut s = String::new();
        let parts = rng.below(40);
        for _ in 0..parts {
            match rng.below(4) {
                0 => {
                    // a random char, any plane
                    let c = char::from_u32(rng.next() as u32 % 0x11_0000).unwrap_or('\u{FFFD}');
                    s.push(c);
                }
                1 => {
                    let c = (b' ' + rng.below(95) as u8) as char;
                    s.push(c);
                }
                _ => s.push_str(FRAGMENTS[rng.below(FRAGMENTS.len())]),
            }
        }
        s
    }

    fn check_invariants(input: &str) {
        let ua = parse_user_agent(input);
        let kc = parse_kucoin_device(input);
        let auto = parse_device(input);
        assert!(auto == ua || auto == kc, "{input:?}");
        for d in [&ua, &kc] {
            if let Some(os) = d.os.as_deref() {
                assert!(
                    [WINDOWS, MACOS, IOS, ANDROID, LINUX, CHROMEOS, HARMONYOS].contains(&os),
                    "{input:?}: os {os}"
                );
            }
            if let Some(m) = d.model.as_deref() {
                assert!(
                    !m.is_empty() && m.len() <= MAX_MODEL_BYTES && m.trim() == m,
                    "{input:?}: model {m:?}"
                );
            }
            if let Some(v) = d.os_version.as_deref() {
                assert!(
                    !v.is_empty() && v.len() <= 20,
                    "{input:?}: os_version {v:?}"
                );
            }
            if d.kind == Some(DeviceKind::Api) {
                assert_eq!(d.browser, None, "{input:?}");
            }
            if d.kind == Some(DeviceKind::App) {
                assert_eq!(d.browser.as_deref(), Some(KUCOIN_APP), "{input:?}");
            }
            assert!(!d.describe().is_empty());
            let fp = d.fingerprint();
            assert_eq!(fp.matches('|').count(), 3, "{input:?}: {fp}");
            assert_eq!(fp, fp.to_ascii_lowercase());
            assert_eq!(d.same_device(&ua), ua.same_device(d));
        }
        let parts: Vec<(String, String)> = input
            .split(';')
            .take(6)
            .map(|p| (p.to_string(), p.chars().rev().collect()))
            .collect();
        let h = from_client_hints(
            &parts,
            input,
            Some(input),
            input.len().is_multiple_of(2),
            Some(input),
        );
        assert_eq!(h.kind, Some(DeviceKind::Web));
        assert!(h
            .model
            .as_deref()
            .is_none_or(|m| m.len() <= MAX_MODEL_BYTES));
        let _ = h.describe();
        let _ = h.fingerprint();
    }

    #[test]
    fn random_inputs_never_panic() {
        let mut rng = XorShift(0x9E37_79B9_7F4A_7C15);
        for _ in 0..20_000 {
            let s = random_input(&mut rng);
            check_invariants(&s);
        }
    }

    #[test]
    fn mutated_real_inputs_never_panic() {
        let mut rng = XorShift(0xD1B5_4A32_D192_ED03);
        let rows = table();
        for (_, _, input, _) in &rows {
            for _ in 0..12 {
                let chars: Vec<char> = input.chars().collect();
                let mut s: String = match rng.below(5) {
                    // truncate anywhere
                    0 => chars[..rng.below(chars.len() + 1)].iter().collect(),
                    // drop a char
                    1 if !chars.is_empty() => {
                        let i = rng.below(chars.len());
                        chars
                            .iter()
                            .enumerate()
                            .filter(|(k, _)| *k != i)
                            .map(|(_, c)| *c)
                            .collect()
                    }
                    // splice a fragment in
                    2 => {
                        let i = rng.below(chars.len() + 1);
                        let mut s: String = chars[..i].iter().collect();
                        s.push_str(FRAGMENTS[rng.below(FRAGMENTS.len())]);
                        s.extend(&chars[i..]);
                        s
                    }
                    // repeat itself
                    3 => input.repeat(1 + rng.below(4)),
                    _ => chars.iter().rev().collect(),
                };
                if rng.below(3) == 0 {
                    s = s.to_uppercase();
                }
                check_invariants(&s);
            }
        }
    }

    #[test]
    fn edge_inputs() {
        for s in [
            "",
            " ",
            "\t\n",
            "\u{0}",
            "(",
            ")",
            "/",
            ";",
            "Android",
            "Android ",
            "Android;",
            "iPhone OS ",
            "CPU OS _",
            "Mac OS X",
            "Mac OS X _._",
            "Windows NT",
            "Trident/",
            "MSIE ",
            "rv:",
            "KuCoin/",
            "kucoin/v",
            "OpenHarmony",
            "HarmonyOS",
            "Adr ",
            "Version/",
            "Edg/",
            "ios",
            "windows nt",
            "windows nt 6.1",
            "mac os x 10",
            "ipad os",
            "samsung",
            "opera",
            "ie 11",
            "app 3",
            "build",
            "Build/",
            "Chrome/1.0/2.0/3.0",
        ] {
            check_invariants(s);
        }
        assert_eq!(parse_user_agent(""), DeviceInfo::default());
        assert_eq!(parse_kucoin_device(""), DeviceInfo::default());
        assert_eq!(parse_device("   "), DeviceInfo::default());
    }

    fn huge_inputs() -> Vec<String> {
        const N: usize = 100 * 1024;
        let real = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 ";
        vec![
            "a".repeat(N),
            " ".repeat(N),
            "(".repeat(N),
            ")".repeat(N),
            "9".repeat(N),
            "é".repeat(N / 2),
            "🚀".repeat(N / 4),
            "Android ".repeat(N / 8),
            "Android 14; ".repeat(N / 12),
            "Chrome/".repeat(N / 7),
            "kucoin ".repeat(N / 7),
            "iPhone OS 1_".repeat(N / 12),
            "windows 10 chrome ".repeat(N / 18),
            real.repeat(N / real.len() + 1),
            format!("{}{}", " ".repeat(N), real),
            format!("{}{}", real, "x".repeat(N)),
            format!("{}{}", "Mozilla/5.0 (Linux; Android 14; ", "(".repeat(N)),
        ]
    }

    #[test]
    fn huge_inputs_are_safe() {
        for s in huge_inputs() {
            assert!(s.len() >= 100 * 1024 - 16);
            check_invariants(&s);
            // Linear-time parsing is measured in `./build.sh bench`, not asserted here.
            std::hint::black_box(parse_device(&s));
            std::hint::black_box(parse_user_agent(&s));
            std::hint::black_box(parse_kucoin_device(&s));
        }
        // Still right when the real UA comes first.
        let long = format!("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36{}", " x".repeat(50_000));
        let d = parse_user_agent(&long);
        assert_eq!(
            (d.browser.as_deref(), d.browser_major, d.os.as_deref()),
            (Some("Chrome"), Some(124), Some("Windows"))
        );
    }

    #[test]
    fn helpers() {
        assert_eq!(clip("héllo", 2), "h");
        assert_eq!(clip("héllo", 3), "hé");
        assert_eq!(clip("abc", 10), "abc");
        assert_eq!(lead_u32("120.0"), Some(120));
        assert_eq!(lead_u32("x"), None);
        assert_eq!(lead_u32(""), None);
        assert_eq!(lead_u32("4294967296"), None);
        assert_eq!(version_at(" 17_5_1 like"), Some("17.5.1".into()));
        assert_eq!(version_at("10.15."), Some("10.15".into()));
        assert_eq!(version_at("_1"), None);
        assert_eq!(version_at(""), None);
        assert_eq!(windows_nt_version("10.0"), None);
        assert_eq!(windows_nt_version("6.3").as_deref(), Some("8.1"));
        assert!(is_locale("en-US") && is_locale("zh_CN") && is_locale("id"));
        assert!(!is_locale("SM-A515F") && !is_locale("K") && !is_locale("LG-K5"));
        assert_eq!(os_family("Mac OS X"), Some(MACOS));
        assert_eq!(os_family("Chrome OS"), Some(CHROMEOS));
        assert_eq!(os_family("iPadOS"), Some(IOS));
        assert_eq!(os_family("Plan 9"), None);
    }
}
