//! The stored state: versioned schema, migrations, validation, recovery.
//!
//! `chrome.storage.local` holds one key per concern. The background reads
//! them all, the bindings turn them into `Value`s (a plain dynamic value, no
//! `serde_json` in the wasm) and this module decides: migrate, decode, or keep
//! a corrupt value aside under `quarantine/<time>/<key>` and tell the user.
//! Nothing is ever silently reset and nothing stored is ever overwritten
//! before a copy of it is safe.

use serde::de::{self, DeserializeOwned, IntoDeserializer, Visitor};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Current schema. History:
/// - 1: `trusted` (flat array of devices), `scan`.
/// - 2: `trust` {devices, suspects}, `acks`, `history`, `settings`, `flow`, `checks`.
pub const SCHEMA_VERSION: u32 = 2;

/// Keys this version reads and writes.
pub const KEYS: &[&str] = &["schema_version", "trust", "acks", "scan", "history", "settings", "flow", "checks", "notices", "api", "account", "accounts"];
/// Legacy keys migrations read.
pub const LEGACY_KEYS: &[&str] = &["trusted"];
pub const QUARANTINE_PREFIX: &str = "quarantine/";

/// A dynamic value as stored (what `JSON.parse` or structured clone gives).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Value {
    Null,
    Bool(bool),
    Num(f64),
    Str(String),
    Arr(Vec<Value>),
    Obj(BTreeMap<String, Value>),
}

impl Value {
    pub fn get(&self, k: &str) -> Option<&Value> {
        match self {
            Value::Obj(m) => m.get(k),
            _ => None,
        }
    }
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Num(n) => Some(*n),
            _ => None,
        }
    }
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Num(_) => "a number",
            Value::Str(_) => "a string",
            Value::Arr(_) => "a list",
            Value::Obj(_) => "an object",
        }
    }
}

// ---- Value as a serde Deserializer, so typed structs decode from it. ----

#[derive(Debug)]
pub struct DecodeError(pub String);
impl std::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}
impl std::error::Error for DecodeError {}
impl de::Error for DecodeError {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        DecodeError(msg.to_string())
    }
    // serde's own messages, with floats printed by `fmt_float`: its default
    // formats `Unexpected` with core's float printer (~20 KB of wasm).
    fn invalid_type(unexp: de::Unexpected, exp: &dyn de::Expected) -> Self {
        DecodeError(format!("invalid type: {}, expected {}", Shown(unexp), exp))
    }
    fn invalid_value(unexp: de::Unexpected, exp: &dyn de::Expected) -> Self {
        DecodeError(format!("invalid value: {}, expected {}", Shown(unexp), exp))
    }
}

/// `Unexpected` as serde's `Display` writes it, floats through `fmt_float`.
struct Shown<'a>(de::Unexpected<'a>);

impl std::fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use de::Unexpected::*;
        match self.0 {
            Bool(b) => write!(f, "boolean `{b}`"),
            Unsigned(i) => write!(f, "integer `{i}`"),
            Signed(i) => write!(f, "integer `{i}`"),
            Float(x) => {
                let mut s = String::new();
                fmt_float(x, &mut s);
                if x.is_finite() && !s.contains('.') {
                    s.push_str(".0");
                }
                write!(f, "floating point `{s}`")
            }
            Char(c) => write!(f, "character `{c}`"),
            Str(s) => write!(f, "string {s:?}"),
            Bytes(_) => f.write_str("byte array"),
            Unit => f.write_str("unit value"),
            Option => f.write_str("Option value"),
            NewtypeStruct => f.write_str("newtype struct"),
            Seq => f.write_str("sequence"),
            Map => f.write_str("map"),
            Enum => f.write_str("enum"),
            UnitVariant => f.write_str("unit variant"),
            NewtypeVariant => f.write_str("newtype variant"),
            TupleVariant => f.write_str("tuple variant"),
            StructVariant => f.write_str("struct variant"),
            Other(o) => f.write_str(o),
        }
    }
}

/// A float as text: JavaScript's `Number#toString` in the wasm (the core then
/// carries no float printer of its own), Rust's `Display` on the host. Both
/// give the shortest digits that read back exactly; they differ only in
/// notation for very large or small magnitudes (`1e+21` / `1000…0`).
pub fn fmt_float(x: f64, out: &mut String) {
    #[cfg(target_arch = "wasm32")]
    {
        match js_sys::Number::from(x).to_string_with_radix(10).ok().and_then(|s| s.as_string()) {
            Some(s) => out.push_str(&s),
            None => out.push_str("NaN"),
        }
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        use std::fmt::Write;
        let _ = write!(out, "{x}");
    }
}

/// A JSON number read exactly: JavaScript's `parseFloat` in the wasm, Rust's
/// parser on the host (only numbers the JSON reader's fast path cannot take).
pub fn parse_float(text: &str) -> f64 {
    #[cfg(target_arch = "wasm32")]
    {
        js_sys::Number::parse_float(text)
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        text.parse().unwrap_or(f64::NAN)
    }
}

impl<'de> IntoDeserializer<'de, DecodeError> for Value {
    type Deserializer = Value;
    fn into_deserializer(self) -> Value {
        self
    }
}

// Each `deserialize_*` handles only the shape its type can take and reports
// anything else exactly as `deserialize_any` + the visitor would (same
// `Unexpected`, same message). Routing everything through `deserialize_any`
// instantiated every branch (sequences, maps, numbers) for every visitor and
// was most of the core's size; this is the same behaviour in far less code.

impl Value {
    /// What `deserialize_any` would have shown the visitor (for error messages).
    fn unexpected(&self) -> de::Unexpected<'_> {
        match self {
            Value::Null => de::Unexpected::Unit,
            Value::Bool(b) => de::Unexpected::Bool(*b),
            Value::Num(n) => match num_kind(*n) {
                Num::U(u) => de::Unexpected::Unsigned(u),
                Num::I(i) => de::Unexpected::Signed(i),
                Num::F(f) => de::Unexpected::Float(f),
            },
            Value::Str(s) => de::Unexpected::Str(s),
            Value::Arr(_) => de::Unexpected::Seq,
            Value::Obj(_) => de::Unexpected::Map,
        }
    }
    fn invalid<'de, V: Visitor<'de>, T>(&self, v: &V) -> Result<T, DecodeError> {
        Err(de::Error::invalid_type(self.unexpected(), v))
    }
}

enum Num {
    U(u64),
    I(i64),
    F(f64),
}

/// Integers travel as `u64` / `i64` (stored times and counts), the rest as `f64`.
fn num_kind(n: f64) -> Num {
    if n.fract() == 0.0 && n.abs() < 9.0e15 {
        if n >= 0.0 {
            Num::U(n as u64)
        } else {
            Num::I(n as i64)
        }
    } else {
        Num::F(n)
    }
}

fn visit_num<'de, V: Visitor<'de>>(n: f64, v: V) -> Result<V::Value, DecodeError> {
    match num_kind(n) {
        Num::U(u) => v.visit_u64(u),
        Num::I(i) => v.visit_i64(i),
        Num::F(f) => v.visit_f64(f),
    }
}

macro_rules! lean_num {
    ($($m:ident)*) => {$(
        fn $m<V: Visitor<'de>>(self, v: V) -> Result<V::Value, DecodeError> {
            match self {
                Value::Num(n) => visit_num(n, v),
                other => other.invalid(&v),
            }
        }
    )*};
}

macro_rules! lean_str {
    ($($m:ident)*) => {$(
        fn $m<V: Visitor<'de>>(self, v: V) -> Result<V::Value, DecodeError> {
            match self {
                Value::Str(s) => v.visit_string(s),
                other => other.invalid(&v),
            }
        }
    )*};
}

macro_rules! lean_seq {
    ($($m:ident($($arg:ident: $ty:ty),*))*) => {$(
        fn $m<V: Visitor<'de>>(self, $($arg: $ty,)* v: V) -> Result<V::Value, DecodeError> {
            $(let _ = $arg;)*
            match self {
                Value::Arr(a) => visit_arr(a, v),
                other => other.invalid(&v),
            }
        }
    )*};
}

fn visit_arr<'de, V: Visitor<'de>>(a: Vec<Value>, v: V) -> Result<V::Value, DecodeError> {
    // No `end()`: like before, a visitor may leave trailing elements unread.
    v.visit_seq(de::value::SeqDeserializer::new(a.into_iter()))
}

fn visit_obj<'de, V: Visitor<'de>>(m: BTreeMap<String, Value>, v: V) -> Result<V::Value, DecodeError> {
    v.visit_map(de::value::MapDeserializer::new(m.into_iter()))
}

impl<'de> de::Deserializer<'de> for Value {
    type Error = DecodeError;
    fn deserialize_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value, DecodeError> {
        match self {
            Value::Null => v.visit_unit(),
            Value::Bool(b) => v.visit_bool(b),
            Value::Num(n) => visit_num(n, v),
            Value::Str(s) => v.visit_string(s),
            Value::Arr(a) => visit_arr(a, v),
            Value::Obj(m) => visit_obj(m, v),
        }
    }
    fn deserialize_option<V: Visitor<'de>>(self, v: V) -> Result<V::Value, DecodeError> {
        match self {
            Value::Null => v.visit_none(),
            other => v.visit_some(other),
        }
    }
    fn deserialize_enum<V: Visitor<'de>>(self, _n: &'static str, _vs: &'static [&'static str], v: V) -> Result<V::Value, DecodeError> {
        match self {
            Value::Str(s) => v.visit_enum(s.into_deserializer()),
            other => Err(DecodeError(format!("expected a name, found {}", other.type_name()))),
        }
    }
    fn deserialize_bool<V: Visitor<'de>>(self, v: V) -> Result<V::Value, DecodeError> {
        match self {
            Value::Bool(b) => v.visit_bool(b),
            other => other.invalid(&v),
        }
    }
    fn deserialize_unit<V: Visitor<'de>>(self, v: V) -> Result<V::Value, DecodeError> {
        match self {
            Value::Null => v.visit_unit(),
            other => other.invalid(&v),
        }
    }
    fn deserialize_unit_struct<V: Visitor<'de>>(self, _n: &'static str, v: V) -> Result<V::Value, DecodeError> {
        self.deserialize_unit(v)
    }
    fn deserialize_newtype_struct<V: Visitor<'de>>(self, _n: &'static str, v: V) -> Result<V::Value, DecodeError> {
        // Derived newtypes have no `visit_newtype_struct` path through
        // `deserialize_any`; keep what it did: the visitor sees the inner value.
        self.deserialize_any(v)
    }
    fn deserialize_map<V: Visitor<'de>>(self, v: V) -> Result<V::Value, DecodeError> {
        match self {
            Value::Obj(m) => visit_obj(m, v),
            other => other.invalid(&v),
        }
    }
    fn deserialize_struct<V: Visitor<'de>>(self, _n: &'static str, _f: &'static [&'static str], v: V) -> Result<V::Value, DecodeError> {
        match self {
            Value::Obj(m) => visit_obj(m, v),
            Value::Arr(a) => visit_arr(a, v),
            other => other.invalid(&v),
        }
    }
    fn deserialize_ignored_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value, DecodeError> {
        // `IgnoredAny` accepts anything; nothing to look at.
        drop(self);
        v.visit_unit()
    }
    lean_num! { deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64 deserialize_i128
    deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64 deserialize_u128 deserialize_f32 deserialize_f64 }
    lean_str! { deserialize_char deserialize_str deserialize_string deserialize_identifier }
    lean_seq! { deserialize_seq() deserialize_tuple(_len: usize) deserialize_tuple_struct(_n: &'static str, _len: usize) }
    serde::forward_to_deserialize_any! { bytes byte_buf }
}

pub fn decode<T: DeserializeOwned>(v: &Value) -> Result<T, String> {
    T::deserialize(v.clone()).map_err(|e| e.0)
}

/// `decode` without the copy (large inputs such as snapshots).
pub fn decode_owned<T: DeserializeOwned>(v: Value) -> Result<T, String> {
    T::deserialize(v).map_err(|e| e.0)
}

// ---- JSON text → Value ----
//
// The bindings hand the core `JSON.stringify` output (one copy across the
// JS/wasm boundary instead of one call per field, and no generic serde
// deserializer for JS values in the wasm). Input is what `JSON.stringify`
// writes, but the parser is strict and total: malformed text is an error,
// never a panic.

const MAX_DEPTH: usize = 256;

/// Parse JSON text into a `Value`. Numbers that are not exactly representable
/// the quick way (more than 19 significant digits, or a fraction or exponent
/// beyond what one exact operation can scale) go to `parse_float`.
pub fn parse_json(text: &str) -> Result<Value, String> {
    from_json_text(text)
}

/// Decode JSON text straight into `T` (no intermediate `Value`): the same
/// result as `decode_owned(parse_json(text)?)`, for large inputs (snapshots).
pub fn from_json_text<T: DeserializeOwned>(text: &str) -> Result<T, String> {
    let mut de = JsonDe { text, s: text.as_bytes(), i: 0, depth: 0 };
    let v = T::deserialize(&mut de).map_err(|e| e.0)?;
    de.ws();
    if de.i != de.s.len() {
        return Err(de.err("trailing characters").0);
    }
    Ok(v)
}

/// A streaming serde deserializer over JSON text. Values reach visitors the
/// way `Value`'s deserializer gives them (numbers through `num_kind`), so
/// decoding text directly and decoding its `Value` agree.
pub struct JsonDe<'a> {
    text: &'a str,
    s: &'a [u8],
    i: usize,
    depth: usize,
}

enum Text<'a> {
    Borrowed(&'a str),
    Owned(String),
}

impl<'a> JsonDe<'a> {
    fn err(&self, what: &str) -> DecodeError {
        DecodeError(format!("bad JSON at byte {}: {what}", self.i))
    }
    fn ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.s.get(self.i) {
            self.i += 1;
        }
    }
    fn peek(&mut self) -> Option<u8> {
        self.ws();
        self.s.get(self.i).copied()
    }
    fn eat(&mut self, lit: &[u8]) -> bool {
        if self.s[self.i..].starts_with(lit) {
            self.i += lit.len();
            true
        } else {
            false
        }
    }
    fn enter(&mut self) -> Result<(), DecodeError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.err("nested too deeply"));
        }
        self.i += 1; // '{' or '['
        Ok(())
    }
    fn hex4(&mut self) -> Result<u32, DecodeError> {
        let Some(h) = self.s.get(self.i..self.i + 4) else { return Err(self.err("short \\u escape")) };
        let mut n = 0u32;
        for &c in h {
            let Some(d) = (c as char).to_digit(16) else { return Err(self.err("bad \\u escape")) };
            n = n * 16 + d;
        }
        self.i += 4;
        Ok(n)
    }
    #[inline(never)]
    fn string(&mut self) -> Result<Text<'a>, DecodeError> {
        self.i += 1; // opening quote
        let mut owned: Option<String> = None;
        loop {
            let start = self.i;
            while let Some(&c) = self.s.get(self.i) {
                if c == b'"' || c == b'\\' || c < 0x20 {
                    break;
                }
                self.i += 1;
            }
            // `text` is a str and we stopped at an ASCII byte: a char boundary
            let Some(run) = self.text.get(start..self.i) else { return Err(self.err("bad UTF-8")) };
            match self.s.get(self.i) {
                Some(b'"') => {
                    self.i += 1;
                    return Ok(match owned {
                        None => Text::Borrowed(run),
                        Some(mut o) => {
                            o.push_str(run);
                            Text::Owned(o)
                        }
                    });
                }
                Some(b'\\') => {
                    let out = owned.get_or_insert_with(String::new);
                    out.push_str(run);
                    self.i += 1;
                    let Some(&c) = self.s.get(self.i) else { return Err(self.err("unterminated string")) };
                    self.i += 1;
                    let ch = match c {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => {
                            let hi = self.hex4()?;
                            let mut cp = hi;
                            if (0xd800..0xdc00).contains(&hi) && self.s[self.i..].starts_with(b"\\u") {
                                let save = self.i;
                                self.i += 2;
                                let lo = self.hex4()?;
                                if (0xdc00..0xe000).contains(&lo) {
                                    cp = 0x10000 + ((hi - 0xd800) << 10) + (lo - 0xdc00);
                                } else {
                                    self.i = save; // a lone high surrogate; the next escape stands alone
                                }
                            }
                            // lone surrogates become U+FFFD, as JS strings do when they enter Rust
                            char::from_u32(cp).unwrap_or('\u{fffd}')
                        }
                        _ => return Err(self.err("bad escape")),
                    };
                    owned.get_or_insert_with(String::new).push(ch);
                }
                _ => return Err(self.err("unterminated string")),
            }
        }
    }
    #[inline(never)]
    fn number(&mut self) -> Result<f64, DecodeError> {
        let start = self.i;
        let neg = self.eat(b"-");
        let mut mant: u64 = 0;
        let mut digits = 0u32; // significant digits kept in `mant`
        let mut exp: i32 = 0;
        let mut exact = true;
        let int_start = self.i;
        while let Some(&c @ b'0'..=b'9') = self.s.get(self.i) {
            self.i += 1;
            if mant == 0 && c == b'0' {
                continue;
            }
            if digits < 19 {
                mant = mant * 10 + (c - b'0') as u64;
                digits += 1;
            } else {
                exp += 1;
                exact = false;
            }
        }
        let int_len = self.i - int_start;
        if int_len == 0 || (int_len > 1 && self.s[int_start] == b'0') {
            return Err(self.err("bad number"));
        }
        if self.eat(b".") {
            let frac_start = self.i;
            while let Some(&c @ b'0'..=b'9') = self.s.get(self.i) {
                self.i += 1;
                if digits < 19 {
                    if mant != 0 || c != b'0' {
                        digits += 1;
                    }
                    mant = mant * 10 + (c - b'0') as u64;
                    exp -= 1;
                } else {
                    exact = false;
                }
            }
            if self.i == frac_start {
                return Err(self.err("bad number"));
            }
        }
        if let Some(b'e' | b'E') = self.s.get(self.i) {
            self.i += 1;
            let eneg = self.eat(b"-");
            if !eneg {
                self.eat(b"+");
            }
            let e_start = self.i;
            let mut e: i32 = 0;
            while let Some(&c @ b'0'..=b'9') = self.s.get(self.i) {
                self.i += 1;
                e = e.saturating_mul(10).saturating_add((c - b'0') as i32);
            }
            if self.i == e_start {
                return Err(self.err("bad number"));
            }
            exp = exp.saturating_add(if eneg { -e } else { e });
        }
        // Clinger's fast path: an exact mantissa and an exact power of ten
        // give a correctly rounded result in one operation.
        const POW10: [f64; 23] = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];
        let n = if exact && exp == 0 {
            mant as f64 // u64 → f64 rounds correctly
        } else if exact && mant < (1 << 53) && (-22..=22).contains(&exp) {
            if exp < 0 {
                mant as f64 / POW10[(-exp) as usize]
            } else {
                mant as f64 * POW10[exp as usize]
            }
        } else {
            let Some(text) = self.text.get(start..self.i) else { return Err(self.err("bad number")) };
            return Ok(parse_float(text));
        };
        Ok(if neg { -n } else { n })
    }
    /// What comes next, for error messages.
    fn kind(&mut self) -> &'static str {
        match self.peek() {
            Some(b'{') => "an object",
            Some(b'[') => "a list",
            Some(b'"') => "a string",
            Some(b't' | b'f') => "a boolean",
            Some(b'n') => "null",
            _ => "a number",
        }
    }
}

/// The next value, consumed, as `Unexpected` needs it (non-generic error path).
enum Seen {
    Unit,
    Bool(bool),
    Num(f64),
    Str(String),
    Seq,
    Map,
}

impl JsonDe<'_> {
    #[inline(never)]
    fn seen(&mut self) -> Result<Seen, DecodeError> {
        Ok(match self.peek() {
            Some(b'{') => {
                de::Deserializer::deserialize_any(&mut *self, de::IgnoredAny)?;
                Seen::Map
            }
            Some(b'[') => {
                de::Deserializer::deserialize_any(&mut *self, de::IgnoredAny)?;
                Seen::Seq
            }
            Some(b'"') => Seen::Str(match self.string()? {
                Text::Borrowed(s) => s.to_string(),
                Text::Owned(s) => s,
            }),
            Some(b't') if self.eat(b"true") => Seen::Bool(true),
            Some(b'f') if self.eat(b"false") => Seen::Bool(false),
            Some(b'n') if self.eat(b"null") => Seen::Unit,
            Some(b'-' | b'0'..=b'9') => Seen::Num(self.number()?),
            _ => return Err(self.err("expected a value")),
        })
    }
    /// What `deserialize_any` would have shown a visitor that wants something else.
    fn invalid<'de, V: Visitor<'de>, T>(&mut self, v: &V) -> Result<T, DecodeError> {
        let seen = self.seen()?;
        let u = match &seen {
            Seen::Unit => de::Unexpected::Unit,
            Seen::Bool(b) => de::Unexpected::Bool(*b),
            Seen::Num(n) => match num_kind(*n) {
                Num::U(u) => de::Unexpected::Unsigned(u),
                Num::I(i) => de::Unexpected::Signed(i),
                Num::F(f) => de::Unexpected::Float(f),
            },
            Seen::Str(s) => de::Unexpected::Str(s),
            Seen::Seq => de::Unexpected::Seq,
            Seen::Map => de::Unexpected::Map,
        };
        Err(de::Error::invalid_type(u, v))
    }
    fn visit_map<'de, V: Visitor<'de>>(&mut self, v: V) -> Result<V::Value, DecodeError> {
        self.enter()?;
        let out = v.visit_map(Entries { de: &mut *self, first: true, done: false })?;
        self.finish(b'}')?;
        Ok(out)
    }
    fn visit_seq<'de, V: Visitor<'de>>(&mut self, v: V) -> Result<V::Value, DecodeError> {
        self.enter()?;
        let out = v.visit_seq(Entries { de: &mut *self, first: true, done: false })?;
        self.finish(b']')?;
        Ok(out)
    }
}

macro_rules! json_num {
    ($($m:ident)*) => {$(
        fn $m<V: Visitor<'de>>(self, v: V) -> Result<V::Value, DecodeError> {
            match self.peek() {
                Some(b'-' | b'0'..=b'9') => {
                    let n = self.number()?;
                    visit_num(n, v)
                }
                _ => self.invalid(&v),
            }
        }
    )*};
}

macro_rules! json_str {
    ($($m:ident)*) => {$(
        fn $m<V: Visitor<'de>>(self, v: V) -> Result<V::Value, DecodeError> {
            if self.peek() != Some(b'"') {
                return self.invalid(&v);
            }
            match self.string()? {
                Text::Borrowed(s) => v.visit_str(s),
                Text::Owned(s) => v.visit_string(s),
            }
        }
    )*};
}

macro_rules! json_seq {
    ($($m:ident($($arg:ident: $ty:ty),*))*) => {$(
        fn $m<V: Visitor<'de>>(self, $($arg: $ty,)* v: V) -> Result<V::Value, DecodeError> {
            $(let _ = $arg;)*
            match self.peek() {
                Some(b'[') => self.visit_seq(v),
                _ => self.invalid(&v),
            }
        }
    )*};
}

// Like `Value`'s deserializer: each method handles the shapes its type can
// take and reports anything else as `deserialize_any` + the visitor would.
impl<'de, 'a> de::Deserializer<'de> for &mut JsonDe<'a> {
    type Error = DecodeError;
    json_num! { deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64 deserialize_i128
    deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64 deserialize_u128 deserialize_f32 deserialize_f64 }
    json_str! { deserialize_char deserialize_str deserialize_string deserialize_identifier }
    json_seq! { deserialize_seq() deserialize_tuple(_len: usize) deserialize_tuple_struct(_n: &'static str, _len: usize) }
    fn deserialize_bool<V: Visitor<'de>>(self, v: V) -> Result<V::Value, DecodeError> {
        match self.peek() {
            Some(b't') if self.eat(b"true") => v.visit_bool(true),
            Some(b'f') if self.eat(b"false") => v.visit_bool(false),
            _ => self.invalid(&v),
        }
    }
    fn deserialize_unit<V: Visitor<'de>>(self, v: V) -> Result<V::Value, DecodeError> {
        match self.peek() {
            Some(b'n') if self.eat(b"null") => v.visit_unit(),
            _ => self.invalid(&v),
        }
    }
    fn deserialize_unit_struct<V: Visitor<'de>>(self, _n: &'static str, v: V) -> Result<V::Value, DecodeError> {
        self.deserialize_unit(v)
    }
    fn deserialize_map<V: Visitor<'de>>(self, v: V) -> Result<V::Value, DecodeError> {
        match self.peek() {
            Some(b'{') => self.visit_map(v),
            _ => self.invalid(&v),
        }
    }
    fn deserialize_struct<V: Visitor<'de>>(self, _n: &'static str, _f: &'static [&'static str], v: V) -> Result<V::Value, DecodeError> {
        match self.peek() {
            Some(b'{') => self.visit_map(v),
            Some(b'[') => self.visit_seq(v),
            _ => self.invalid(&v),
        }
    }
    fn deserialize_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value, DecodeError> {
        match self.peek() {
            Some(b'{') => self.visit_map(v),
            Some(b'[') => self.visit_seq(v),
            Some(b'"') => match self.string()? {
                Text::Borrowed(s) => v.visit_str(s),
                Text::Owned(s) => v.visit_string(s),
            },
            Some(b't') if self.eat(b"true") => v.visit_bool(true),
            Some(b'f') if self.eat(b"false") => v.visit_bool(false),
            Some(b'n') if self.eat(b"null") => v.visit_unit(),
            Some(b'-' | b'0'..=b'9') => {
                let n = self.number()?;
                visit_num(n, v)
            }
            _ => Err(self.err("expected a value")),
        }
    }
    fn deserialize_option<V: Visitor<'de>>(self, v: V) -> Result<V::Value, DecodeError> {
        if self.peek() == Some(b'n') && self.eat(b"null") {
            v.visit_none()
        } else {
            v.visit_some(self)
        }
    }
    fn deserialize_enum<V: Visitor<'de>>(self, _n: &'static str, _vs: &'static [&'static str], v: V) -> Result<V::Value, DecodeError> {
        if self.peek() == Some(b'"') {
            let name = match self.string()? {
                Text::Borrowed(s) => s.to_string(),
                Text::Owned(s) => s,
            };
            return v.visit_enum(name.into_deserializer());
        }
        Err(DecodeError(format!("expected a name, found {}", self.kind())))
    }
    fn deserialize_ignored_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value, DecodeError> {
        self.deserialize_any(de::IgnoredAny)?;
        v.visit_unit()
    }
    serde::forward_to_deserialize_any! { bytes byte_buf newtype_struct }
}

impl JsonDe<'_> {
    /// After a visitor: skip what it left unread (like the `Value` path, which
    /// ignores trailing elements) and the closing bracket.
    #[inline(never)]
    fn finish(&mut self, close: u8) -> Result<(), DecodeError> {
        loop {
            match self.peek() {
                Some(c) if c == close => {
                    self.i += 1;
                    self.depth -= 1;
                    return Ok(());
                }
                Some(b',') => {
                    self.i += 1;
                    if close == b'}' {
                        if self.peek() != Some(b'"') {
                            return Err(self.err("expected a key"));
                        }
                        self.string()?;
                        if self.peek() != Some(b':') {
                            return Err(self.err("expected ':'"));
                        }
                        self.i += 1;
                    }
                    de::Deserializer::deserialize_any(&mut *self, de::IgnoredAny)?;
                }
                _ => return Err(self.err(if close == b'}' { "expected ',' or '}'" } else { "expected ',' or ']'" })),
            }
        }
    }
}

/// Object entries or list elements, read on demand.
struct Entries<'d, 'a> {
    de: &'d mut JsonDe<'a>,
    first: bool,
    done: bool,
}

impl Entries<'_, '_> {
    /// Past the separator to the next item; false at the closing bracket (left unread for `finish`).
    fn next(&mut self, close: u8) -> Result<bool, DecodeError> {
        if self.done {
            return Ok(false);
        }
        let c = self.de.peek();
        if c == Some(close) {
            self.done = true;
            return Ok(false);
        }
        if !self.first {
            if c != Some(b',') {
                return Err(self.de.err(if close == b'}' { "expected ',' or '}'" } else { "expected ',' or ']'" }));
            }
            self.de.i += 1;
        }
        self.first = false;
        Ok(true)
    }
}

impl<'de> de::SeqAccess<'de> for Entries<'_, '_> {
    type Error = DecodeError;
    fn next_element_seed<T: de::DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, DecodeError> {
        if !self.next(b']')? {
            return Ok(None);
        }
        seed.deserialize(&mut *self.de).map(Some)
    }
}

impl<'de> de::MapAccess<'de> for Entries<'_, '_> {
    type Error = DecodeError;
    fn next_key_seed<K: de::DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, DecodeError> {
        if !self.next(b'}')? {
            return Ok(None);
        }
        if self.de.peek() != Some(b'"') {
            return Err(self.de.err("expected a key"));
        }
        let key = match self.de.string()? {
            Text::Borrowed(s) => seed.deserialize(de::value::StrDeserializer::<DecodeError>::new(s))?,
            Text::Owned(s) => seed.deserialize(de::value::StringDeserializer::<DecodeError>::new(s))?,
        };
        if self.de.peek() != Some(b':') {
            return Err(self.de.err("expected ':'"));
        }
        self.de.i += 1;
        Ok(Some(key))
    }
    fn next_value_seed<V: de::DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, DecodeError> {
        seed.deserialize(&mut *self.de)
    }
}

// `Value` from any deserializer (JSON text, here): the untagged derive buffered
// every value and tried each variant in turn; a visitor takes it as it comes.
impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Value, D::Error> {
        d.deserialize_any(ValueVisitor)
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;
    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: de::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        Value::deserialize(d)
    }
    fn visit_bool<E>(self, b: bool) -> Result<Value, E> {
        Ok(Value::Bool(b))
    }
    fn visit_i64<E>(self, n: i64) -> Result<Value, E> {
        Ok(Value::Num(n as f64))
    }
    fn visit_u64<E>(self, n: u64) -> Result<Value, E> {
        Ok(Value::Num(n as f64))
    }
    fn visit_f64<E>(self, n: f64) -> Result<Value, E> {
        Ok(Value::Num(n))
    }
    fn visit_str<E>(self, s: &str) -> Result<Value, E> {
        Ok(Value::Str(s.to_string()))
    }
    fn visit_string<E>(self, s: String) -> Result<Value, E> {
        Ok(Value::Str(s))
    }
    fn visit_seq<A: de::SeqAccess<'de>>(self, mut a: A) -> Result<Value, A::Error> {
        let mut out = Vec::new();
        while let Some(x) = a.next_element()? {
            out.push(x);
        }
        Ok(Value::Arr(out))
    }
    fn visit_map<A: de::MapAccess<'de>>(self, mut m: A) -> Result<Value, A::Error> {
        let mut out = BTreeMap::new();
        while let Some((k, v)) = m.next_entry::<String, Value>()? {
            out.insert(k, v);
        }
        Ok(Value::Obj(out))
    }
}

// ---- Rust → JSON text ----
//
// The other direction: the bindings serialize outcomes and stored values to
// JSON text and the background `JSON.parse`s it (natively, in one call). Same
// shape as a JSON-compatible serializer: structs and maps are objects, `None`
// and unit are `null`, unit variants are strings.

pub struct JsonWriter<'a> {
    pub out: String,
    /// Top-level struct fields to keep (`None` = all).
    only: Option<&'a [String]>,
    depth: usize,
}

#[derive(Debug)]
pub struct WriteError(pub String);
impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}
impl std::error::Error for WriteError {}
impl serde::ser::Error for WriteError {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        WriteError(msg.to_string())
    }
}

/// `v` as JSON text.
pub fn to_json<T: Serialize + ?Sized>(v: &T) -> Result<String, String> {
    to_json_only(v, None)
}

/// `v` as JSON text, keeping only the top-level struct fields named in `only`.
pub fn to_json_only<T: Serialize + ?Sized>(v: &T, only: Option<&[String]>) -> Result<String, String> {
    let mut w = JsonWriter { out: String::new(), only, depth: 0 };
    v.serialize(&mut w).map_err(|e| e.0)?;
    Ok(w.out)
}

fn json_str(out: &mut String, s: &str) {
    out.push('"');
    let mut start = 0;
    for (i, b) in s.bytes().enumerate() {
        let esc = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0..=0x1f => "",
            _ => continue,
        };
        out.push_str(&s[start..i]);
        if esc.is_empty() {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.push_str("\\u00");
            out.push(HEX[(b >> 4) as usize] as char);
            out.push(HEX[(b & 15) as usize] as char);
        } else {
            out.push_str(esc);
        }
        start = i + 1;
    }
    out.push_str(&s[start..]);
    out.push('"');
}

fn json_int(out: &mut String, neg: bool, mut n: u64) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    if neg {
        out.push('-');
    }
    out.push_str(std::str::from_utf8(&buf[i..]).unwrap_or("0"));
}

pub struct Compound<'w, 'a> {
    w: &'w mut JsonWriter<'a>,
    first: bool,
    close: char,
    /// Closing brace of a `{"Variant": …}` wrapper.
    close2: bool,
}

impl<'w, 'a> Compound<'w, 'a> {
    fn sep(&mut self) {
        if !self.first {
            self.w.out.push(',');
        }
        self.first = false;
    }
    fn key(&mut self, k: &str) {
        self.sep();
        json_str(&mut self.w.out, k);
        self.w.out.push(':');
    }
    fn end(self) -> Result<(), WriteError> {
        self.w.out.push(self.close);
        if self.close2 {
            self.w.out.push('}');
        }
        self.w.depth -= 1;
        Ok(())
    }
}

impl<'w, 'a> JsonWriter<'a> {
    fn open(&'w mut self, open: char, close: char, variant: Option<&str>) -> Compound<'w, 'a> {
        if let Some(v) = variant {
            self.out.push('{');
            json_str(&mut self.out, v);
            self.out.push(':');
        }
        self.out.push(open);
        self.depth += 1;
        Compound { w: self, first: true, close, close2: variant.is_some() }
    }
}

macro_rules! json_ints {
    ($($m:ident: $t:ty),*) => {$(
        fn $m(self, v: $t) -> Result<(), WriteError> {
            json_int(&mut self.out, v < 0, (v as i128).unsigned_abs() as u64);
            Ok(())
        }
    )*};
}
macro_rules! json_uints {
    ($($m:ident: $t:ty),*) => {$(
        fn $m(self, v: $t) -> Result<(), WriteError> {
            json_int(&mut self.out, false, v as u64);
            Ok(())
        }
    )*};
}

impl<'w, 'a> serde::Serializer for &'w mut JsonWriter<'a> {
    type Ok = ();
    type Error = WriteError;
    type SerializeSeq = Compound<'w, 'a>;
    type SerializeTuple = Compound<'w, 'a>;
    type SerializeTupleStruct = Compound<'w, 'a>;
    type SerializeTupleVariant = Compound<'w, 'a>;
    type SerializeMap = Compound<'w, 'a>;
    type SerializeStruct = Compound<'w, 'a>;
    type SerializeStructVariant = Compound<'w, 'a>;

    json_ints! { serialize_i8: i8, serialize_i16: i16, serialize_i32: i32, serialize_i64: i64 }
    json_uints! { serialize_u8: u8, serialize_u16: u16, serialize_u32: u32, serialize_u64: u64 }
    fn serialize_bool(self, v: bool) -> Result<(), WriteError> {
        self.out.push_str(if v { "true" } else { "false" });
        Ok(())
    }
    fn serialize_f32(self, v: f32) -> Result<(), WriteError> {
        self.serialize_f64(v as f64)
    }
    fn serialize_f64(self, v: f64) -> Result<(), WriteError> {
        if !v.is_finite() {
            self.out.push_str("null");
        } else if v.fract() == 0.0 && v.abs() < 9.0e15 && !(v == 0.0 && v.is_sign_negative()) {
            json_int(&mut self.out, v < 0.0, v.abs() as u64);
        } else {
            fmt_float(v, &mut self.out); // finite: valid JSON either way
        }
        Ok(())
    }
    fn serialize_char(self, v: char) -> Result<(), WriteError> {
        json_str(&mut self.out, v.encode_utf8(&mut [0; 4]));
        Ok(())
    }
    fn serialize_str(self, v: &str) -> Result<(), WriteError> {
        json_str(&mut self.out, v);
        Ok(())
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<(), WriteError> {
        use serde::ser::SerializeSeq;
        let mut s = self.open('[', ']', None);
        for b in v {
            s.serialize_element(b)?;
        }
        s.end()
    }
    fn serialize_none(self) -> Result<(), WriteError> {
        self.out.push_str("null");
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, v: &T) -> Result<(), WriteError> {
        v.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), WriteError> {
        self.serialize_none()
    }
    fn serialize_unit_struct(self, _n: &'static str) -> Result<(), WriteError> {
        self.serialize_none()
    }
    fn serialize_unit_variant(self, _n: &'static str, _i: u32, variant: &'static str) -> Result<(), WriteError> {
        self.serialize_str(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _n: &'static str, v: &T) -> Result<(), WriteError> {
        v.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(self, _n: &'static str, _i: u32, variant: &'static str, v: &T) -> Result<(), WriteError> {
        self.out.push('{');
        json_str(&mut self.out, variant);
        self.out.push(':');
        v.serialize(&mut *self)?;
        self.out.push('}');
        Ok(())
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Compound<'w, 'a>, WriteError> {
        Ok(self.open('[', ']', None))
    }
    fn serialize_tuple(self, _len: usize) -> Result<Compound<'w, 'a>, WriteError> {
        Ok(self.open('[', ']', None))
    }
    fn serialize_tuple_struct(self, _n: &'static str, _len: usize) -> Result<Compound<'w, 'a>, WriteError> {
        Ok(self.open('[', ']', None))
    }
    fn serialize_tuple_variant(self, _n: &'static str, _i: u32, variant: &'static str, _len: usize) -> Result<Compound<'w, 'a>, WriteError> {
        Ok(self.open('[', ']', Some(variant)))
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Compound<'w, 'a>, WriteError> {
        Ok(self.open('{', '}', None))
    }
    fn serialize_struct(self, _n: &'static str, _len: usize) -> Result<Compound<'w, 'a>, WriteError> {
        Ok(self.open('{', '}', None))
    }
    fn serialize_struct_variant(self, _n: &'static str, _i: u32, variant: &'static str, _len: usize) -> Result<Compound<'w, 'a>, WriteError> {
        Ok(self.open('{', '}', Some(variant)))
    }
}

impl serde::ser::SerializeSeq for Compound<'_, '_> {
    type Ok = ();
    type Error = WriteError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), WriteError> {
        self.sep();
        v.serialize(&mut *self.w)
    }
    fn end(self) -> Result<(), WriteError> {
        Compound::end(self)
    }
}
impl serde::ser::SerializeTuple for Compound<'_, '_> {
    type Ok = ();
    type Error = WriteError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), WriteError> {
        serde::ser::SerializeSeq::serialize_element(self, v)
    }
    fn end(self) -> Result<(), WriteError> {
        Compound::end(self)
    }
}
impl serde::ser::SerializeTupleStruct for Compound<'_, '_> {
    type Ok = ();
    type Error = WriteError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), WriteError> {
        serde::ser::SerializeSeq::serialize_element(self, v)
    }
    fn end(self) -> Result<(), WriteError> {
        Compound::end(self)
    }
}
impl serde::ser::SerializeTupleVariant for Compound<'_, '_> {
    type Ok = ();
    type Error = WriteError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), WriteError> {
        serde::ser::SerializeSeq::serialize_element(self, v)
    }
    fn end(self) -> Result<(), WriteError> {
        Compound::end(self)
    }
}
impl serde::ser::SerializeMap for Compound<'_, '_> {
    type Ok = ();
    type Error = WriteError;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, k: &T) -> Result<(), WriteError> {
        self.sep();
        // Keys are strings (the state's maps are keyed by text).
        let at = self.w.out.len();
        k.serialize(&mut *self.w)?;
        if !self.w.out[at..].starts_with('"') {
            return Err(WriteError("map keys must be strings".into()));
        }
        self.w.out.push(':');
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, v: &T) -> Result<(), WriteError> {
        v.serialize(&mut *self.w)
    }
    fn end(self) -> Result<(), WriteError> {
        Compound::end(self)
    }
}
impl serde::ser::SerializeStruct for Compound<'_, '_> {
    type Ok = ();
    type Error = WriteError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, k: &'static str, v: &T) -> Result<(), WriteError> {
        if self.w.depth == 1 {
            if let Some(only) = self.w.only {
                if !only.iter().any(|o| o == k) {
                    return Ok(());
                }
            }
        }
        self.key(k);
        v.serialize(&mut *self.w)
    }
    fn end(self) -> Result<(), WriteError> {
        Compound::end(self)
    }
}
impl serde::ser::SerializeStructVariant for Compound<'_, '_> {
    type Ok = ();
    type Error = WriteError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, k: &'static str, v: &T) -> Result<(), WriteError> {
        self.key(k);
        v.serialize(&mut *self.w)
    }
    fn end(self) -> Result<(), WriteError> {
        Compound::end(self)
    }
}

// ---- The state ----

use crate::assess::Acks;
use crate::trust::TrustList;

/// Everything stored, typed. Field names are the storage keys.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct State {
    pub schema_version: u32,
    pub trust: TrustList,
    pub acks: Acks,
    pub scan: Option<crate::app::ScanReport>,
    pub history: Vec<crate::app::Seen>,
    pub settings: Settings,
    pub flow: Option<crate::flow::Flow>,
    pub checks: crate::flow::Checks,
    /// Messages for the user about stored data (recoveries), newest last.
    pub notices: Vec<Notice>,
    pub api: Option<crate::api::ApiReport>,
    /// The account the top-level fields belong to (masked e-mail), "" = unknown.
    pub account: String,
    /// Other accounts seen in this browser, kept apart.
    pub accounts: BTreeMap<String, AccountData>,
}

/// One account's own data while another account is active.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AccountData {
    #[serde(default)]
    pub trust: TrustList,
    #[serde(default)]
    pub acks: Acks,
    #[serde(default)]
    pub scan: Option<crate::app::ScanReport>,
    #[serde(default)]
    pub history: Vec<crate::app::Seen>,
    #[serde(default)]
    pub checks: crate::flow::Checks,
    #[serde(default)]
    pub api: Option<crate::api::ApiReport>,
}

/// Keys that hold one account's data.
pub const ACCOUNT_KEYS: &[&str] = &["trust", "acks", "scan", "history", "checks", "api", "account", "accounts"];

impl State {
    /// Make `account` the active one: the current data is put away under its
    /// owner and the other account's data (or a fresh start) comes in.
    /// Returns true when something moved. An unknown current owner adopts
    /// the first account seen (no data is orphaned).
    pub fn switch_account(&mut self, account: &str) -> bool {
        if account.is_empty() || account == self.account {
            return false;
        }
        if self.account.is_empty() {
            self.account = account.to_string();
            return true;
        }
        let incoming = self.accounts.remove(account).unwrap_or_default();
        let outgoing = AccountData {
            trust: std::mem::replace(&mut self.trust, incoming.trust),
            acks: std::mem::replace(&mut self.acks, incoming.acks),
            scan: std::mem::replace(&mut self.scan, incoming.scan),
            history: std::mem::replace(&mut self.history, incoming.history),
            checks: std::mem::replace(&mut self.checks, incoming.checks),
            api: std::mem::replace(&mut self.api, incoming.api),
        };
        let old = std::mem::replace(&mut self.account, account.to_string());
        self.accounts.insert(old, outgoing);
        while self.accounts.len() > 20 {
            let first = self.accounts.keys().next().cloned().unwrap_or_default();
            self.accounts.remove(&first);
        }
        true
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    #[serde(default)]
    pub banner_dismissed: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Notice {
    pub at: i64,
    pub text: String,
    /// Storage key where the old data was kept, if any.
    #[serde(default)]
    pub kept_as: String,
}

/// Result of reading the store.
#[derive(Debug, Default)]
pub struct Loaded {
    pub state: State,
    /// (key, value) to write before anything else: copies of bad data.
    pub quarantine: Vec<(String, Value)>,
    /// Keys that must be (re)written because a migration or recovery changed them.
    pub dirty: Vec<&'static str>,
}

fn field<T: DeserializeOwned + Default>(
    raw: &BTreeMap<String, Value>,
    key: &'static str,
    now: i64,
    out: &mut Loaded,
) -> T {
    match raw.get(key) {
        None | Some(Value::Null) => T::default(),
        Some(v) => match decode::<T>(v) {
            Ok(t) => t,
            Err(e) => {
                let kept = format!("{QUARANTINE_PREFIX}{now}/{key}");
                out.quarantine.push((kept.clone(), v.clone()));
                out.state.notices.push(Notice {
                    at: now,
                    text: crate::i18n::t("notice_key_unreadable", &[key, &crate::extract::clip(&e)]),
                    kept_as: kept,
                });
                out.dirty.push(key);
                T::default()
            }
        },
    }
}

/// Read the whole store: migrate old schemas, keep bad values aside.
pub fn load(raw: &BTreeMap<String, Value>, now: i64) -> Loaded {
    let mut out = Loaded::default();
    let version = raw.get("schema_version");
    let has_data = raw.keys().any(|k| k != "schema_version" && !k.starts_with(QUARANTINE_PREFIX));
    let v = match version {
        None if !has_data => SCHEMA_VERSION as f64,
        None => 1.0,
        Some(Value::Num(n)) if n.fract() == 0.0 && *n >= 1.0 => *n,
        Some(Value::Num(n)) => return recover_all(raw, now, &crate::i18n::t("notice_why_bad_version", &[&n.to_string()])),
        Some(other) => {
            return recover_all(raw, now, &crate::i18n::t("notice_why_version_type", &[other.type_name()]));
        }
    };
    if v > SCHEMA_VERSION as f64 {
        let mut shown = String::new();
        fmt_float(v, &mut shown);
        return recover_all(raw, now, &crate::i18n::t("notice_why_newer", &[&shown]));
    }
    let mut raw = raw.clone();
    if v < 2.0 {
        migrate_v1_to_v2(&mut raw, now, &mut out);
    }
    out.state.schema_version = SCHEMA_VERSION;
    // Notices first so recoveries below append to the stored ones. Notices
    // already made (migration, or unreadable notices themselves) are kept.
    let made = std::mem::take(&mut out.state.notices);
    let stored: Vec<Notice> = field(&raw, "notices", now, &mut out);
    let about_notices = std::mem::replace(&mut out.state.notices, stored);
    out.state.notices.extend(made);
    out.state.notices.extend(about_notices);
    out.state.trust = field(&raw, "trust", now, &mut out);
    out.state.acks = field(&raw, "acks", now, &mut out);
    out.state.scan = field(&raw, "scan", now, &mut out);
    out.state.history = field(&raw, "history", now, &mut out);
    out.state.settings = field(&raw, "settings", now, &mut out);
    out.state.flow = field(&raw, "flow", now, &mut out);
    out.state.checks = field(&raw, "checks", now, &mut out);
    out.state.api = field(&raw, "api", now, &mut out);
    out.state.account = field(&raw, "account", now, &mut out);
    out.state.accounts = field(&raw, "accounts", now, &mut out);
    if out.state.notices.len() > 20 {
        let cut = out.state.notices.len() - 20;
        out.state.notices.drain(..cut);
    }
    if version.is_none() || v < SCHEMA_VERSION as f64 {
        out.dirty.push("schema_version");
    }
    if !out.dirty.is_empty() {
        out.dirty.push("notices");
    }
    out
}

/// Keep everything aside and start fresh (unknown or future schema).
fn recover_all(raw: &BTreeMap<String, Value>, now: i64, why: &str) -> Loaded {
    let mut out = Loaded::default();
    let kept = format!("{QUARANTINE_PREFIX}{now}/all");
    let mut data = BTreeMap::new();
    for (k, v) in raw.iter().filter(|(k, _)| !k.starts_with(QUARANTINE_PREFIX)) {
        data.insert(k.clone(), v.clone());
    }
    out.quarantine.push((kept.clone(), Value::Obj(data)));
    out.state.schema_version = SCHEMA_VERSION;
    out.state.notices.push(Notice {
        at: now,
        text: crate::i18n::t("notice_recover_all", &[why]),
        kept_as: kept,
    });
    out.dirty = KEYS.to_vec();
    out
}

/// v1 kept trusted devices as a flat array under `trusted`.
fn migrate_v1_to_v2(raw: &mut BTreeMap<String, Value>, now: i64, out: &mut Loaded) {
    if let Some(old) = raw.remove("trusted") {
        match &old {
            // Every item must be a device object; anything else is kept aside whole.
            Value::Arr(items) if items.iter().all(|it| matches!(it, Value::Obj(_))) => {
                // A v2 `trust` next to v1 data is not overwritten unseen.
                if let Some(existing) = raw.remove("trust").filter(|v| *v != Value::Null) {
                    let kept = format!("{QUARANTINE_PREFIX}{now}/trust.before-migration");
                    out.quarantine.push((kept.clone(), existing));
                    out.state.notices.push(Notice { at: now, text: "Trusted-device data found next to old-format data was set aside before upgrading.".into(), kept_as: kept });
                }
                let mut devices = Vec::new();
                for it in items {
                    let mut m = match it {
                        Value::Obj(m) => m.clone(),
                        _ => continue,
                    };
                    m.entry("describe".into()).or_insert(Value::Str(String::new()));
                    m.entry("this_browser".into()).or_insert(Value::Bool(false));
                    devices.push(Value::Obj(m));
                }
                let mut t = BTreeMap::new();
                t.insert("devices".to_string(), Value::Arr(devices));
                t.insert("suspects".to_string(), Value::Arr(Vec::new()));
                raw.insert("trust".into(), Value::Obj(t));
            }
            _ => {
                let kept = format!("{QUARANTINE_PREFIX}{now}/trusted");
                out.quarantine.push((kept.clone(), old.clone()));
                out.state.notices.push(Notice {
                    at: now,
                    text: crate::i18n::t("notice_old_trust", &[]),
                    kept_as: kept,
                });
            }
        }
        out.dirty.push("trust");
    }
    // v1 `scan` had the same shape minus fields that default; keep it.
}

/// Validate an imported trust list (popup "Import trusted devices").
pub fn import_trust(v: &Value) -> Result<TrustList, String> {
    let inner = v.get("trust").unwrap_or(v);
    let t: TrustList = decode(inner).map_err(|e| crate::i18n::t("import_not_trust_list", &[&crate::extract::clip(&e)]))?;
    if t.devices.len() > crate::trust::MAX_DEVICES {
        return Err(crate::i18n::t("import_too_many", &[&t.devices.len().to_string(), &crate::trust::MAX_DEVICES.to_string()]));
    }
    for d in &t.devices {
        if d.fingerprint.is_empty() || d.fingerprint.len() > 200 || d.label.chars().count() > 200 {
            return Err(crate::i18n::t("import_bad_device", &[]));
        }
    }
    Ok(t)
}

#[cfg(test)]
pub mod tests {
    use super::*;

    /// serde_json::Value → Value (host tests only).
    pub fn from_json(j: &serde_json::Value) -> Value {
        match j {
            serde_json::Value::Null => Value::Null,
            serde_json::Value::Bool(b) => Value::Bool(*b),
            serde_json::Value::Number(n) => Value::Num(n.as_f64().unwrap()),
            serde_json::Value::String(s) => Value::Str(s.clone()),
            serde_json::Value::Array(a) => Value::Arr(a.iter().map(from_json).collect()),
            serde_json::Value::Object(m) => Value::Obj(m.iter().map(|(k, v)| (k.clone(), from_json(v))).collect()),
        }
    }
    pub fn store(j: serde_json::Value) -> BTreeMap<String, Value> {
        match from_json(&j) {
            Value::Obj(m) => m,
            _ => panic!(),
        }
    }
    /// Round-trip a State through the stored form.
    pub fn stored(s: &State) -> BTreeMap<String, Value> {
        store(serde_json::to_value(s).unwrap())
    }

    #[test]
    fn fresh_store() {
        let l = load(&BTreeMap::new(), 5);
        assert_eq!(l.state.schema_version, SCHEMA_VERSION);
        assert!(l.quarantine.is_empty());
        assert!(l.state.notices.is_empty());
    }

    #[test]
    fn round_trip() {
        let mut s = State { schema_version: SCHEMA_VERSION, ..Default::default() };
        s.trust.trust(&crate::device::parse_kucoin_device("Windows 10 Chrome"), "Laptop", Some(&"203.0.113.5".parse().unwrap()), Some("Singapore"), 7, false);
        s.settings.banner_dismissed = true;
        let l = load(&stored(&s), 9);
        assert!(l.quarantine.is_empty(), "{:?}", l.state.notices);
        assert_eq!(l.state.trust, s.trust);
        assert!(l.state.settings.banner_dismissed);
    }

    #[test]
    fn corrupt_key_is_kept_aside_not_lost() {
        let raw = store(serde_json::json!({"schema_version": 2, "trust": {"devices": "oops"}, "settings": {"banner_dismissed": true}}));
        let l = load(&raw, 42);
        assert_eq!(l.quarantine.len(), 1);
        assert_eq!(l.quarantine[0].0, "quarantine/42/trust");
        assert_eq!(l.quarantine[0].1, raw["trust"]);
        assert!(l.state.settings.banner_dismissed, "other keys survive");
        assert_eq!(l.state.notices.len(), 1);
        assert!(l.state.notices[0].text.contains("trust"));
        assert!(l.dirty.contains(&"trust"));
    }

    #[test]
    fn future_version_is_not_overwritten_silently() {
        let raw = store(serde_json::json!({"schema_version": 99, "trust": {"devices": []}, "whatever": 1}));
        let l = load(&raw, 1);
        assert_eq!(l.quarantine.len(), 1);
        assert!(l.state.notices[0].text.contains("newer"));
        let Value::Obj(kept) = &l.quarantine[0].1 else { panic!() };
        assert!(kept.contains_key("whatever"));
        let raw = store(serde_json::json!({"schema_version": "two"}));
        assert_eq!(load(&raw, 1).quarantine.len(), 1);
    }

    #[test]
    fn every_value_set_aside_has_its_notice() {
        // Found by the `storage` fuzz target: notices made before the stored
        // notices were read (v1 migration, unreadable notices) were dropped.
        let raw = store(serde_json::json!({"trusted": 7}));
        let l = load(&raw, 3);
        assert_eq!(l.quarantine[0].0, "quarantine/3/trusted");
        assert!(l.state.notices.iter().any(|n| n.kept_as == "quarantine/3/trusted"), "{:?}", l.state.notices);
        let raw = store(serde_json::json!({"schema_version": 2, "notices": "garbage"}));
        let l = load(&raw, 4);
        assert_eq!(l.quarantine[0].0, "quarantine/4/notices");
        assert!(l.state.notices.iter().any(|n| n.kept_as == "quarantine/4/notices"), "{:?}", l.state.notices);
    }

    #[test]
    fn v2_trust_next_to_v1_data_is_kept_before_migrating() {
        // Found by the `storage` fuzz target: the migration replaced it unseen.
        let raw = store(serde_json::json!({"trust": false, "trusted": [{"fingerprint": "web|windows|chrome|", "label": "L", "first_seen": 1, "last_seen": 2}]}));
        let l = load(&raw, 5);
        assert!(l.quarantine.iter().any(|(k, v)| k == "quarantine/5/trust.before-migration" && *v == Value::Bool(false)), "{:?}", l.quarantine);
        assert!(l.state.notices.iter().any(|n| n.kept_as == "quarantine/5/trust.before-migration"));
        assert_eq!(l.state.trust.devices.len(), 1);
    }

    #[test]
    fn migrates_v1() {
        let raw = store(serde_json::json!({
            "schema_version": 1,
            "trusted": [{"fingerprint": "web|windows|chrome|", "label": "Laptop", "networks": ["203.0.113.0/24"], "areas": ["singapore"], "first_seen": 1, "last_seen": 2}]
        }));
        let l = load(&raw, 3);
        assert!(l.quarantine.is_empty(), "{:?}", l.state.notices);
        assert_eq!(l.state.trust.devices.len(), 1);
        assert_eq!(l.state.trust.devices[0].label, "Laptop");
        assert!(l.dirty.contains(&"trust") && l.dirty.contains(&"schema_version"));
        // unversioned data = v1
        let raw = store(serde_json::json!({"trusted": []}));
        assert_eq!(load(&raw, 3).state.schema_version, SCHEMA_VERSION);
    }

    #[test]
    fn wrong_types_everywhere_never_panic() {
        for j in [
            serde_json::json!({"schema_version": 2, "trust": 5, "acks": [], "scan": "x", "history": {}, "settings": null, "flow": 3, "checks": true}),
            serde_json::json!({"schema_version": -1}),
            serde_json::json!({"schema_version": 2.5}),
            serde_json::json!({"schema_version": 2, "trust": {"devices": [{"fingerprint": 1}]}}),
        ] {
            let l = load(&store(j), 1);
            assert_eq!(l.state.schema_version, SCHEMA_VERSION);
        }
    }

    #[test]
    fn accounts_are_kept_apart() {
        let mut s = State { schema_version: SCHEMA_VERSION, ..Default::default() };
        assert!(s.switch_account("a***@x.com"));
        s.trust.trust(&crate::device::parse_kucoin_device("Linux Firefox"), "A's laptop", None, None, 1, false);
        assert!(s.switch_account("b***@y.com"));
        assert!(s.trust.devices.is_empty(), "B starts fresh");
        s.trust.trust(&crate::device::parse_kucoin_device("Windows 10 Chrome"), "B's PC", None, None, 2, false);
        assert!(!s.switch_account(""), "a page without an account changes nothing");
        assert!(s.switch_account("a***@x.com"));
        assert_eq!(s.trust.devices[0].label, "A's laptop");
        assert_eq!(s.accounts["b***@y.com"].trust.devices[0].label, "B's PC");
        // and it survives storage
        let l = load(&stored(&s), 3);
        assert!(l.quarantine.is_empty(), "{:?}", l.state.notices);
        assert_eq!(l.state.accounts.len(), 1);
        assert_eq!(l.state.account, "a***@x.com");
    }

    #[test]
    fn import_validation() {
        let ok = from_json(&serde_json::json!({"trust": {"devices": [{"fingerprint": "web|linux|firefox|", "label": "Me", "first_seen": 1, "last_seen": 1}]}}));
        assert_eq!(import_trust(&ok).unwrap().devices.len(), 1);
        let bad = from_json(&serde_json::json!({"devices": "nope"}));
        assert!(import_trust(&bad).unwrap_err().contains("not a Session Guard trust list"));
        let bad = from_json(&serde_json::json!([1, 2]));
        assert!(import_trust(&bad).is_err());
    }

    /// The old decoder: everything through `deserialize_any`. The lean
    /// `deserialize_*` methods must give the same values and the same errors.
    struct Any(Value);
    impl<'de> de::Deserializer<'de> for Any {
        type Error = DecodeError;
        fn deserialize_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value, DecodeError> {
            match self.0 {
                Value::Null => v.visit_unit(),
                Value::Bool(b) => v.visit_bool(b),
                Value::Num(n) => {
                    if n.fract() == 0.0 && n.abs() < 9.0e15 {
                        if n >= 0.0 {
                            v.visit_u64(n as u64)
                        } else {
                            v.visit_i64(n as i64)
                        }
                    } else {
                        v.visit_f64(n)
                    }
                }
                Value::Str(s) => v.visit_string(s),
                Value::Arr(a) => v.visit_seq(de::value::SeqDeserializer::new(a.into_iter().map(Any))),
                Value::Obj(m) => v.visit_map(de::value::MapDeserializer::new(m.into_iter().map(|(k, v)| (k, Any(v))))),
            }
        }
        fn deserialize_option<V: Visitor<'de>>(self, v: V) -> Result<V::Value, DecodeError> {
            match self.0 {
                Value::Null => v.visit_none(),
                other => v.visit_some(Any(other)),
            }
        }
        fn deserialize_enum<V: Visitor<'de>>(self, n: &'static str, vs: &'static [&'static str], v: V) -> Result<V::Value, DecodeError> {
            self.0.deserialize_enum(n, vs, v)
        }
        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
            bytes byte_buf unit unit_struct newtype_struct seq tuple
            tuple_struct map struct identifier ignored_any
        }
    }
    impl<'de> IntoDeserializer<'de, DecodeError> for Any {
        type Deserializer = Any;
        fn into_deserializer(self) -> Any {
            self
        }
    }

    fn same<T: DeserializeOwned + PartialEq + std::fmt::Debug>(j: serde_json::Value) {
        let v = from_json(&j);
        let lean = decode::<T>(&v);
        let old = T::deserialize(Any(v)).map_err(|e| e.0);
        assert_eq!(lean, old, "{j}");
    }

    #[test]
    fn lean_decoder_equals_deserialize_any() {
        use serde_json::json;
        let odd = [json!(null), json!(true), json!(7), json!(-7), json!(1.5), json!(1e300), json!("x"), json!([]), json!([1, "a"]), json!({}), json!({"a": 1})];
        let mut s = State { schema_version: SCHEMA_VERSION, ..Default::default() };
        s.trust.trust(&crate::device::parse_kucoin_device("Windows 10 Chrome"), "Laptop", Some(&"203.0.113.5".parse().unwrap()), Some("Singapore"), 7, false);
        // a real scan fills scan, history and the rest
        let html = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures/kucoin/security-en.html")).unwrap();
        let snap = crate::html_snapshot::snapshot_from_html(&html, "https://www.kucoin.com/account/security");
        crate::app::handle_scan(&snap, &mut s, 1_752_500_000_000);
        assert!(s.scan.is_some() && !s.history.is_empty());
        s.notices.push(Notice { at: 1, text: "n".into(), kept_as: "k".into() });
        let good = serde_json::to_value(&s).unwrap();
        for (key, val) in good.as_object().unwrap() {
            // every stored key as written, and with every field replaced by odd values
            let mut variants = vec![val.clone()];
            variants.extend(odd.iter().cloned());
            // first element of every list, broken the same ways
            let first = val.get("rows").or(Some(val)).and_then(|v| v.get(0)).and_then(|v| v.as_object()).cloned();
            if let Some(row) = first {
                for f in row.keys() {
                    for o in &odd {
                        let mut r = row.clone();
                        r.insert(f.clone(), o.clone());
                        let mut whole = val.clone();
                        match whole.get_mut("rows") {
                            Some(rows) => rows[0] = json!(r),
                            None => whole[0] = json!(r),
                        }
                        variants.push(whole);
                    }
                }
            }
            if let Some(obj) = val.as_object() {
                for f in obj.keys() {
                    for o in &odd {
                        let mut c = obj.clone();
                        c.insert(f.clone(), o.clone());
                        variants.push(json!(c));
                    }
                }
            }
            if let Some(dev) = val.get("devices").and_then(|d| d.get(0)).and_then(|d| d.as_object()) {
                for f in dev.keys() {
                    for o in &odd {
                        let mut d = dev.clone();
                        d.insert(f.clone(), o.clone());
                        variants.push(json!({"devices": [d], "suspects": []}));
                        let mut d = dev.clone();
                        d.remove(f);
                        variants.push(json!({"devices": [d]}));
                    }
                }
                variants.push(json!({"devices": [["fp", "label", "", [], [], 1, 2, false, "extra"]]}));
            }
            for v in variants {
                match key.as_str() {
                    "schema_version" => same::<u32>(v),
                    "trust" => same::<TrustList>(v),
                    "acks" => same::<crate::assess::Acks>(v),
                    "scan" => same::<Option<crate::app::ScanReport>>(v),
                    "history" => same::<Vec<crate::app::Seen>>(v),
                    "settings" => same::<Settings>(v),
                    "flow" => same::<Option<crate::flow::Flow>>(v),
                    "checks" => same::<crate::flow::Checks>(v),
                    "notices" => same::<Vec<Notice>>(v),
                    "api" => same::<Option<crate::api::ApiReport>>(v),
                    "account" => same::<String>(v),
                    "accounts" => same::<BTreeMap<String, AccountData>>(v),
                    other => panic!("new stored key {other}: add it here"),
                }
            }
        }
        // tuples and strings of odd shapes
        for o in odd {
            same::<(String, String)>(o.clone());
            same::<Vec<(String, String)>>(json!([o.clone(), ["a", "b", "c"]]));
            same::<String>(o.clone());
            same::<i64>(o.clone());
            same::<bool>(o);
        }
    }

    #[test]
    fn json_parser_matches_serde_json() {
        let mut texts: Vec<String> = [
            r#"{"a":[1,-2,3.5,-0,0.1,1e21,1.7976931348623157e308,5e-324,2.2250738585072014e-308,9007199254740993]}"#,
            r#"["\u00e9\ud83d\ude00\n\t\"\\\/\b\f\r", "é😀", "", {}, [], [[]], null, true, false]"#,
            r#"  { "k" : { "n" : [ 1 , 2 ] } , "s" : "x" }  "#,
            r#"{"schema_version":2,"trust":{"devices":[{"fingerprint":"web|linux|chrome|","label":"This browser","first_seen":1752500000000,"last_seen":1752500000000}]}}"#,
            "0", "-1", "1E5", "1e+5", "1.5E-3", "0.30000000000000004", "4.35", "1234567.891", "-9.87654321e-7", "123456789012345680000",
            "1.00000000000000000000001", "0.000000000000000000000000000001", "100000000000000000000000000000000000000000e-30",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        // pseudo-random doubles printed the way JavaScript and serde print them
        let mut x: u64 = 0x9e3779b97f4a7c15;
        for _ in 0..20000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let f = f64::from_bits(x);
            if f.is_finite() {
                texts.push(serde_json::to_string(&f).unwrap());
            }
            let g = (x % 10_000_000) as f64 / [1.0, 10.0, 100.0, 1000.0, 1e6][(x % 5) as usize];
            texts.push(serde_json::to_string(&g).unwrap());
        }
        for t in &texts {
            // numbers: Rust's parser (correctly rounded, like JavaScript's; serde_json's default is not)
            let want = match t.parse::<f64>() {
                Ok(f) => Value::Num(f),
                Err(_) => from_json(&serde_json::from_str::<serde_json::Value>(t).unwrap()),
            };
            let got = parse_json(t).unwrap_or_else(|e| panic!("{t}: {e}"));
            match (&want, &got) {
                (Value::Num(a), Value::Num(b)) => assert_eq!(a.to_bits(), b.to_bits(), "{t}"),
                _ => assert_eq!(want, got, "{t}"),
            }
        }
        // lone surrogates become U+FFFD (as JS strings do when they enter Rust)
        assert_eq!(parse_json(r#""a\ud800b\udc00""#).unwrap(), Value::Str("a\u{fffd}b\u{fffd}".into()));
        // malformed input is an error, never a panic
        for bad in ["", "{", "[1,]", "{\"a\" 1}", "01", "1.", "-", "1e", "\"\\x\"", "\"abc", "tru", "[1 2]", "{\"a\":1}x", "\"\u{1}\"", "\"\\u12\""] {
            assert!(parse_json(bad).is_err(), "{bad:?}");
        }
        let deep = "[".repeat(10_000) + &"]".repeat(10_000);
        assert!(parse_json(&deep).is_err());
    }

    #[test]
    fn json_writer_matches_serde_json() {
        use crate::app::handle_scan;
        let html = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures/kucoin/security-en-hostile.html")).unwrap();
        let snap = crate::html_snapshot::snapshot_from_html(&html, "https://www.kucoin.com/account/security");
        let mut st = State { schema_version: SCHEMA_VERSION, ..Default::default() };
        let out = handle_scan(&snap, &mut st, 1_752_500_000_000);
        st.notices.push(Notice { at: -5, text: "quote \" back\\slash \u{1} \u{1f} \n\t\r é 😀 \u{2028}".into(), kept_as: String::new() });
        let check = |j: String, want: serde_json::Value| {
            let got: serde_json::Value = serde_json::from_str(&j).unwrap_or_else(|e| panic!("{e}: {j}"));
            assert_eq!(got, want);
        };
        check(to_json(&st).unwrap(), serde_json::to_value(&st).unwrap());
        check(to_json(&out).unwrap(), serde_json::to_value(&out).unwrap());
        check(to_json(&snap).unwrap(), serde_json::to_value(&snap).unwrap());
        // only some top-level fields
        let keys = vec!["scan".to_string(), "notices".to_string()];
        let want = serde_json::to_value(&st).unwrap();
        let want = serde_json::json!({"scan": want["scan"], "notices": want["notices"]});
        check(to_json_only(&st, Some(&keys)).unwrap(), want);
        // stored values round-trip, numbers included
        let v = from_json(&serde_json::json!({"a": [1, -2, 0.5, 1e300, -7.25e-9, 9007199254740991u64, null, true, "x\u{7f}"], "b": {}}));
        let back = parse_json(&to_json(&v).unwrap()).unwrap();
        assert_eq!(back, v);
        assert_eq!(to_json(&Value::Num(f64::NAN)).unwrap(), "null");
        assert_eq!(to_json(&Value::Num(-3.0)).unwrap(), "-3");
        assert_eq!(to_json(&i64::MIN).unwrap(), "-9223372036854775808");
        assert_eq!(to_json(&u64::MAX).unwrap(), "18446744073709551615");
    }

    #[test]
    fn json_text_decodes_like_value() {
        use crate::snapshot::Snapshot;
        let html = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures/kucoin/security-en-hostile.html")).unwrap();
        let snap = crate::html_snapshot::snapshot_from_html(&html, "https://www.kucoin.com/account/security");
        let text = serde_json::to_string(&snap).unwrap();
        let direct: Snapshot = from_json_text(&text).unwrap();
        assert_eq!(direct, snap);
        let via_value: Snapshot = decode_owned(parse_json(&text).unwrap()).unwrap();
        assert_eq!(via_value, snap);
        // odd shapes: same value or same error both ways
        for t in [
            r#"{"url":"u","nodes":[{"id":1,"parent":0,"tag":"p","attrs":[["a","b","extra"]],"hidden":false,"x":[1,{"y":null}]}],"env":{"mobile":true,"brands":[["B","1"]]}}"#,
            r#"{"url":"u","nodes":[{"id":-1,"parent":0,"tag":"p"}]}"#,
            r#"{"url":"u","nodes":[{"id":1.5,"parent":0,"tag":"p"}]}"#,
            r#"{"url":"u","nodes":[{"id":1,"parent":0,"tag":7}]}"#,
            r#"{"url":"u","nodes":{}}"#,
            r#"{"nodes":[]}"#,
            r#"[]"#,
            r#"{"url":"u","nodes":[],"env":{"utc_offset_minutes":99999999999}}"#,
            r#"{"url":"u","nodes":[[1,0,"p","",[],false]]}"#,
        ] {
            let a = from_json_text::<Snapshot>(t);
            let b = decode_owned::<Snapshot>(parse_json(t).unwrap());
            assert_eq!(a, b, "{t}");
        }
        let a = from_json_text::<crate::plan::Action>(r#"{"kind":"trust","target":3,"label":"Me\u00e9"}"#).unwrap();
        assert_eq!(a.kind, "trust");
        assert_eq!(a.label, "Meé");
        assert!(from_json_text::<crate::plan::Action>(r#"{"kind":"trust"} x"#).is_err());
    }

    #[test]
    fn error_messages_are_serdes() {
        use de::Unexpected::*;
        for u in [Bool(true), Unsigned(7), Signed(-7), Float(1.5), Float(2.0), Float(-0.0), Float(1e300), Float(f64::NAN), Float(f64::INFINITY), Char('x'),
            Str("a\"b\n"), Bytes(b"x"), Unit, Option, NewtypeStruct, Seq, Map, Enum, UnitVariant, NewtypeVariant, TupleVariant, StructVariant, Other("thing")]
        {
            assert_eq!(Shown(u).to_string(), u.to_string());
            let exp: &dyn de::Expected = &"a string";
            assert_eq!(<DecodeError as de::Error>::invalid_type(u, exp).0, format!("invalid type: {u}, expected a string"));
            assert_eq!(<DecodeError as de::Error>::invalid_value(u, exp).0, format!("invalid value: {u}, expected a string"));
        }
    }
}
