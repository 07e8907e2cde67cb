//! Session Guard core: reads exchange security pages and decides what to mark.
//!
//! Data flow (one module per stage):
//! `snapshot` (page photograph) → `extract` (tables → records) →
//! `assess` (verdicts) → `plan` (what the page should show) → applied by
//! `extension/content.js`. `app` ties the stages together for one scan or one
//! user action; `bindings` exposes `app` to JS.

pub mod api;
pub mod app;
pub mod assess;
pub mod check;
pub mod device;
pub mod extract;
pub mod flow;
pub mod i18n;
pub mod json;
pub mod labels;
pub mod net;
pub mod plan;
pub mod popup;
pub mod probe;
pub mod snapshot;
pub mod storage;
pub mod time;
pub mod trust;
pub mod util;

#[cfg(any(test, feature = "cli"))]
pub mod html_snapshot;

#[cfg(target_arch = "wasm32")]
pub mod bindings;
