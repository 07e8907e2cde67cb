//! Long-running, user-confirmed actions as persisted state machines.
//!
//! The run is stored after every step (`flow` key), so a reload, a navigation
//! or a killed service worker resumes it where it stopped.

use serde::{Deserialize, Serialize};

/// A running multi-step action.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Flow {
    /// `remove_device` (one Trusted Devices row) or `logout_all`.
    pub kind: String,
    pub step: String,
    pub started_at: i64,
    pub updated_at: i64,
    /// Device the step is about (Trusted Devices row), as shown.
    #[serde(default)]
    pub device_text: String,
    #[serde(default)]
    pub ip: String,
    /// How many scans the current step has waited.
    #[serde(default)]
    pub waits: u32,
    #[serde(default)]
    pub removed: u32,
    #[serde(default)]
    pub total: u32,
    #[serde(default)]
    pub error: String,
}

/// Results of the session checks after password changes.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Checks {
    /// When the login password change was detected (Unix ms).
    #[serde(default)]
    pub password_changed_at: Option<i64>,
    #[serde(default)]
    pub last: Option<CheckResult>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CheckResult {
    pub at: i64,
    pub passed: bool,
    #[serde(default)]
    pub survivors: Vec<String>,
}
