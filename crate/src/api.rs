//! API Management page audit.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ApiReport {
    pub at: i64,
    #[serde(default)]
    pub keys: u32,
    #[serde(default)]
    pub high: u32,
}
