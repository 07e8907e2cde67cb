//! The core's own JSON: one value tree, one parser, one writer, and the
//! `FromJson` / `ToJson` traits every stored or exchanged type implements
//! (with `json_struct!` / `json_enum!` for the plain ones).
//!
//! Values cross the JS/wasm boundary as JSON text (`JSON.stringify` in,
//! `JSON.parse` out): one copy instead of one call per field, and no generic
//! serializer in the wasm. The formats are those the core wrote with serde
//! before (tests/data/json holds samples that must decode and re-encode
//! byte for byte):
//! - structs are objects with every field, in declaration order; `None` is `null`;
//! - fields marked `default` may be missing (or, for `Option`, `null`); other
//!   missing fields are an error, except `Option` fields (`None`); unknown
//!   fields are ignored;
//! - unit enums are their snake_case names; the few other enums say how they
//!   are written where they are defined;
//! - integers are numbers without fraction below 9e15; stored times fit;
//! - `Json` objects (stored values kept aside) are written with their members
//!   sorted by key, as when they were maps.
//!
//! Not kept from serde: a struct given as a JSON array of its fields (nothing
//! writes that) is an error.
//!
//! Decode errors name where the bad value is and what was expected:
//! `devices[0].first_seen: invalid type: string "x", expected i64`.

use std::collections::BTreeMap;

/// A JSON value (what `JSON.parse` gives). Objects keep their members in
/// order; of repeated keys the last counts (as in `JSON.parse`).
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Json {
    #[default]
    Null,
    Bool(bool),
    Num(f64),
    Str(String),
    Arr(Vec<Json>),
    Obj(Vec<(String, Json)>),
}

impl Json {
    pub fn get(&self, k: &str) -> Option<&Json> {
        match self {
            Json::Obj(m) => member(m, k),
            _ => None,
        }
    }
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Json::Num(n) => Some(*n),
            _ => None,
        }
    }
    pub fn type_name(&self) -> &'static str {
        match self {
            Json::Null => "null",
            Json::Bool(_) => "a boolean",
            Json::Num(_) => "a number",
            Json::Str(_) => "a string",
            Json::Arr(_) => "a list",
            Json::Obj(_) => "an object",
        }
    }
}

// ---- decoding ----

/// Why a value could not be decoded: what was wrong, and where.
#[derive(Debug, Clone, PartialEq)]
pub struct DecodeError {
    /// `a.b[3].c`, outermost first ("" = the value itself).
    pub path: String,
    pub msg: String,
}

impl DecodeError {
    pub fn new(msg: String) -> DecodeError {
        DecodeError { path: String::new(), msg }
    }
    /// The error inside object field `name`.
    #[inline(never)]
    pub fn at(mut self, name: &str) -> DecodeError {
        if !self.path.is_empty() && !self.path.starts_with('[') {
            self.path.insert(0, '.');
        }
        self.path.insert_str(0, name);
        self
    }
    /// The error inside list element `i`.
    #[inline(never)]
    pub fn at_index(mut self, i: usize) -> DecodeError {
        if !self.path.is_empty() && !self.path.starts_with('[') {
            self.path.insert(0, '.');
        }
        let mut seg = String::from("[");
        push_uint(&mut seg, i as u64);
        seg.push(']');
        self.path.insert_str(0, &seg);
        self
    }
}

impl std::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if !self.path.is_empty() {
            f.write_str(&self.path)?;
            f.write_str(": ")?;
        }
        f.write_str(&self.msg)
    }
}

impl std::error::Error for DecodeError {}

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

/// A number that is an integer for decoding (stored times and counts).
fn as_int(n: f64) -> Option<i64> {
    (n.fract() == 0.0 && n.abs() < 9.0e15).then_some(n as i64)
}

/// The value as error messages show it (serde's wording; strings JSON-quoted).
fn shown(v: &Json, out: &mut String) {
    match v {
        Json::Null => out.push_str("null"),
        Json::Bool(b) => out.push_str(if *b { "boolean `true`" } else { "boolean `false`" }),
        Json::Num(n) => match as_int(*n) {
            Some(i) => {
                out.push_str("integer `");
                push_int(out, i);
                out.push('`');
            }
            None => {
                out.push_str("floating point `");
                let at = out.len();
                fmt_float(*n, out);
                if n.is_finite() && !out.as_bytes()[at..].contains(&b'.') {
                    out.push_str(".0");
                }
                out.push('`');
            }
        },
        Json::Str(s) => {
            out.push_str("string ");
            push_str(out, s);
        }
        Json::Arr(_) => out.push_str("a list"),
        Json::Obj(_) => out.push_str("an object"),
    }
}

/// "invalid type: <what v is>, expected <expected>".
#[inline(never)]
pub fn invalid_type(v: &Json, expected: &str) -> DecodeError {
    let mut m = String::from("invalid type: ");
    shown(v, &mut m);
    m.push_str(", expected ");
    m.push_str(expected);
    DecodeError::new(m)
}

/// An integer in `min..=max`; `name` is the Rust type for messages.
#[inline(never)]
pub fn int(v: &Json, min: i64, max: i64, name: &str) -> Result<i64, DecodeError> {
    match v {
        Json::Num(n) => match as_int(*n) {
            Some(i) if (min..=max).contains(&i) => Ok(i),
            Some(_) => {
                let mut m = String::from("invalid value: ");
                shown(v, &mut m);
                m.push_str(", expected ");
                m.push_str(name);
                Err(DecodeError::new(m))
            }
            None => Err(invalid_type(v, name)),
        },
        _ => Err(invalid_type(v, name)),
    }
}

/// The object's entries, or the error a struct or map gives for anything else.
#[inline(never)]
pub fn obj(v: &Json) -> Result<&[(String, Json)], DecodeError> {
    match v {
        Json::Obj(m) => Ok(m),
        other => Err(invalid_type(other, "an object")),
    }
}

/// The list's items, or the error a list gives for anything else.
#[inline(never)]
pub fn arr(v: &Json) -> Result<&[Json], DecodeError> {
    match v {
        Json::Arr(a) => Ok(a),
        other => Err(invalid_type(other, "a list")),
    }
}

/// Index of `v`'s name in `names` (a unit enum variant).
#[inline(never)]
pub fn variant(v: &Json, names: &[&str]) -> Result<usize, DecodeError> {
    let Json::Str(s) = v else {
        return Err(DecodeError::new(format!("expected a name, found {}", v.type_name())));
    };
    if let Some(i) = names.iter().position(|n| n == s) {
        return Ok(i);
    }
    let mut m = String::from("unknown variant `");
    m.push_str(s);
    m.push_str("`, expected ");
    match names {
        [] => m.push_str("nothing"),
        [one] => {
            m.push('`');
            m.push_str(one);
            m.push('`');
        }
        [a, b] => {
            m.push('`');
            m.push_str(a);
            m.push_str("` or `");
            m.push_str(b);
            m.push('`');
        }
        _ => {
            m.push_str("one of ");
            for (i, n) in names.iter().enumerate() {
                if i > 0 {
                    m.push_str(", ");
                }
                m.push('`');
                m.push_str(n);
                m.push('`');
            }
        }
    }
    Err(DecodeError::new(m))
}

/// A Rust value from a JSON value.
pub trait FromJson: Sized {
    fn from_json(v: &Json) -> Result<Self, DecodeError>;
    /// What a struct field holds before it is decoded: empty, zero, `None`,
    /// the first variant; for structs every field's. Where the type has a
    /// `Default`, the same value (a missing `default` field keeps it).
    fn placeholder() -> Self;
    /// Decode over `self` (a placeholder): structs fill their fields in
    /// place, so a field needs no temporary copy of its value.
    fn decode_into(&mut self, v: &Json) -> Result<(), DecodeError> {
        *self = Self::from_json(v)?;
        Ok(())
    }
    /// The value of a missing struct field that is not marked `default`
    /// (`None` for options, else an error).
    fn missing() -> Option<Self> {
        None
    }
    /// `Option`: a missing struct field is `None` (its placeholder).
    const OPTIONAL: bool = false;
}

/// Whether struct field `f` (given by an accessor) may be missing without
/// `default`: it is an `Option`. For `json_struct!`'s constant table.
pub const fn optional_field<S, F: FromJson>(_f: fn(&S) -> &F) -> bool {
    F::OPTIONAL
}

/// A struct field being decoded, type-erased: one `fields` loop serves every
/// struct instead of a copy of it per struct.
pub trait Slot {
    fn set(&mut self, v: &Json) -> Result<(), DecodeError>;
}

/// A `Slot` that can go back to its placeholder (the default), for values
/// decoded in place that must not stay half-decoded (`storage::load_members`).
/// Apart from `Slot` so only the types that need it carry the code.
pub trait ResetSlot: Slot {
    fn reset(&mut self);
}

impl<T: FromJson> ResetSlot for T {
    fn reset(&mut self) {
        *self = T::placeholder();
    }
}

impl<T: FromJson> Slot for T {
    fn set(&mut self, v: &Json) -> Result<(), DecodeError> {
        self.decode_into(v)
    }
}

/// Decode object `v` into struct fields (placeholders): `names[i]` into
/// `slots[i]`; a missing one is an error unless `defaults[i]` (marked
/// `default`, or an `Option`): it keeps its placeholder. Other members are ignored.
#[inline(never)]
pub fn fields(v: &Json, names: &[&str], defaults: &[bool], slots: &mut [&mut dyn Slot]) -> Result<(), DecodeError> {
    let m = obj(v)?;
    for ((name, dflt), slot) in names.iter().zip(defaults).zip(slots) {
        match member(m, name) {
            Some(x) => slot.set(x).map_err(|e| e.at(name))?,
            None if *dflt => {}
            None => return Err(missing_field(name)),
        }
    }
    Ok(())
}

/// Object member `name` (the last one, if repeated).
#[inline(never)]
pub fn member<'a>(m: &'a [(String, Json)], name: &str) -> Option<&'a Json> {
    m.iter().rev().find(|(k, _)| k == name).map(|(_, v)| v)
}

/// Struct field `name` (required unless `T` is an `Option`), for hand-written decoders.
pub fn field<T: FromJson>(m: &[(String, Json)], name: &str) -> Result<T, DecodeError> {
    match member(m, name) {
        Some(v) => T::from_json(v).map_err(|e| e.at(name)),
        None => T::missing().ok_or_else(|| missing_field(name)),
    }
}

#[inline(never)]
fn missing_field(name: &str) -> DecodeError {
    DecodeError::new(format!("missing field `{name}`"))
}

impl FromJson for Json {
    fn from_json(v: &Json) -> Result<Self, DecodeError> {
        Ok(v.clone())
    }
    fn placeholder() -> Self {
        Json::Null
    }
}

impl FromJson for bool {
    fn from_json(v: &Json) -> Result<Self, DecodeError> {
        match v {
            Json::Bool(b) => Ok(*b),
            other => Err(invalid_type(other, "a boolean")),
        }
    }
    fn placeholder() -> Self {
        false
    }
}

impl FromJson for String {
    fn from_json(v: &Json) -> Result<Self, DecodeError> {
        match v {
            Json::Str(s) => Ok(s.clone()),
            other => Err(invalid_type(other, "a string")),
        }
    }
    fn placeholder() -> Self {
        String::new()
    }
}

macro_rules! from_json_int {
    ($($t:ty),*) => {$(
        impl FromJson for $t {
            fn from_json(v: &Json) -> Result<Self, DecodeError> {
                int(v, <$t>::MIN as i64, <$t>::MAX as i64, stringify!($t)).map(|i| i as $t)
            }
            fn placeholder() -> Self {
                0
            }
        }
    )*};
}
from_json_int!(u8, u16, u32, i32, i64);

impl FromJson for f64 {
    fn from_json(v: &Json) -> Result<Self, DecodeError> {
        match v {
            Json::Num(n) => Ok(*n),
            other => Err(invalid_type(other, "f64")),
        }
    }
    fn placeholder() -> Self {
        0.0
    }
}

impl<T: FromJson> FromJson for Option<T> {
    fn from_json(v: &Json) -> Result<Self, DecodeError> {
        match v {
            Json::Null => Ok(None),
            v => T::from_json(v).map(Some),
        }
    }
    fn decode_into(&mut self, v: &Json) -> Result<(), DecodeError> {
        match v {
            Json::Null => *self = None,
            v => set_slot(self.get_or_insert_with(T::placeholder), v)?,
        }
        Ok(())
    }
    fn placeholder() -> Self {
        None
    }
    fn missing() -> Option<Self> {
        Some(None)
    }
    const OPTIONAL: bool = true;
}

/// A list being decoded, type-erased: `grow` appends a placeholder item and
/// gives it as a `Slot`, so one `items` loop serves every item type and each
/// item type's decoder is the one its struct fields use.
pub trait Grow {
    fn grow(&mut self) -> Option<&mut dyn Slot>;
}

impl<T: FromJson> Grow for Vec<T> {
    fn grow(&mut self) -> Option<&mut dyn Slot> {
        self.push(T::placeholder());
        self.last_mut().map(|last| last as &mut dyn Slot)
    }
}

/// `slot.set(v)` through the vtable: the value's decoder is then the one
/// copy its struct fields use, not inlined again at each container.
#[inline(never)]
fn set_slot(slot: &mut dyn Slot, v: &Json) -> Result<(), DecodeError> {
    slot.set(v)
}

/// Decode list `v` into `out`, item by item (an item's error gets its index).
#[inline(never)]
pub fn items(v: &Json, out: &mut dyn Grow) -> Result<(), DecodeError> {
    for (i, x) in arr(v)?.iter().enumerate() {
        if let Some(slot) = out.grow() {
            slot.set(x).map_err(|e| e.at_index(i))?;
        }
    }
    Ok(())
}

/// Decode object `v` entry by entry through `each` (its error gets the key):
/// one loop for every map value type.
#[inline(never)]
pub fn entries(v: &Json, each: &mut dyn FnMut(&String, &Json) -> Result<(), DecodeError>) -> Result<(), DecodeError> {
    for (k, x) in obj(v)? {
        each(k, x).map_err(|e| e.at(k))?;
    }
    Ok(())
}

/// Object `v` as a map `M`: each value decoded, then `insert`ed under its key.
fn map_from_json<M: Default, T: FromJson>(v: &Json, insert: fn(&mut M, String, T)) -> Result<M, DecodeError> {
    let mut out = M::default();
    entries(v, &mut |k, x| {
        let mut value = T::placeholder();
        set_slot(&mut value, x)?;
        insert(&mut out, k.clone(), value);
        Ok(())
    })?;
    Ok(out)
}

impl<T: FromJson> FromJson for Vec<T> {
    fn from_json(v: &Json) -> Result<Self, DecodeError> {
        let mut out = Vec::new();
        out.decode_into(v)?;
        Ok(out)
    }
    /// In place: each item decoded over a placeholder pushed first (callers
    /// drop or reset a value whose decoding failed).
    fn decode_into(&mut self, v: &Json) -> Result<(), DecodeError> {
        self.clear();
        if let Json::Arr(a) = v {
            self.reserve_exact(a.len());
        }
        items(v, self)
    }
    fn placeholder() -> Self {
        Vec::new()
    }
}

/// An object; a key given twice keeps its last value (as a map would).
impl<T: FromJson> FromJson for crate::util::Keyed<T> {
    fn from_json(v: &Json) -> Result<Self, DecodeError> {
        map_from_json(v, crate::util::Keyed::insert)
    }
    fn placeholder() -> Self {
        crate::util::Keyed::default()
    }
}

impl<T: FromJson> FromJson for BTreeMap<String, T> {
    fn from_json(v: &Json) -> Result<Self, DecodeError> {
        map_from_json(v, |m: &mut Self, k, x| {
            m.insert(k, x);
        })
    }
    fn placeholder() -> Self {
        BTreeMap::new()
    }
}

/// A tuple's items: a list of at least `n` (more are ignored, as before).
#[inline(never)]
fn tuple(v: &Json, n: usize) -> Result<&[Json], DecodeError> {
    let a = arr(v)?;
    if a.len() < n {
        return Err(DecodeError::new(format!("invalid length {}, expected a list of {n}", a.len())));
    }
    Ok(a)
}

impl<A: FromJson, B: FromJson> FromJson for (A, B) {
    fn from_json(v: &Json) -> Result<Self, DecodeError> {
        let a = tuple(v, 2)?;
        Ok((A::from_json(&a[0]).map_err(|e| e.at_index(0))?, B::from_json(&a[1]).map_err(|e| e.at_index(1))?))
    }
    fn placeholder() -> Self {
        (A::placeholder(), B::placeholder())
    }
}

impl<A: FromJson, B: FromJson, C: FromJson> FromJson for (A, B, C) {
    fn from_json(v: &Json) -> Result<Self, DecodeError> {
        let a = tuple(v, 3)?;
        Ok((
            A::from_json(&a[0]).map_err(|e| e.at_index(0))?,
            B::from_json(&a[1]).map_err(|e| e.at_index(1))?,
            C::from_json(&a[2]).map_err(|e| e.at_index(2))?,
        ))
    }
    fn placeholder() -> Self {
        (A::placeholder(), B::placeholder(), C::placeholder())
    }
}

impl FromJson for std::net::IpAddr {
    fn from_json(v: &Json) -> Result<Self, DecodeError> {
        match v {
            Json::Str(s) => crate::net::parse_addr(s).ok_or_else(|| {
                let mut m = String::from("invalid value: ");
                shown(v, &mut m);
                m.push_str(", expected an IP address");
                DecodeError::new(m)
            }),
            other => Err(invalid_type(other, "an IP address")),
        }
    }
    fn placeholder() -> Self {
        std::net::IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED)
    }
}

/// Decode a value.
pub fn decode<T: FromJson>(v: &Json) -> Result<T, String> {
    T::from_json(v).map_err(|e| e.to_string())
}

/// Decode JSON text.
pub fn from_text<T: FromJson>(text: &str) -> Result<T, String> {
    decode(&parse(text)?)
}

// ---- JSON text → Json ----
//
// Input is what `JSON.stringify` writes, but the parser is strict and total:
// malformed text is an error, never a panic.

const MAX_DEPTH: usize = 256;

/// Parse JSON text. Numbers that are not exactly representable the quick way
/// (more than 19 significant digits, or a fraction or exponent beyond what
/// one exact operation can scale) go to `parse_float`. Of repeated object
/// keys the last one counts (as in `JSON.parse`).
pub fn parse(text: &str) -> Result<Json, String> {
    let mut p = Parser { text, s: text.as_bytes(), i: 0, depth: 0 };
    let v = p.value()?;
    p.ws();
    if p.i != p.s.len() {
        return Err(p.err("trailing characters"));
    }
    Ok(v)
}

struct Parser<'a> {
    text: &'a str,
    s: &'a [u8],
    i: usize,
    depth: usize,
}

impl Parser<'_> {
    #[inline(never)]
    fn err(&self, what: &str) -> String {
        format!("bad JSON at byte {}: {what}", self.i)
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
    /// Is the next token `close` (an empty object or list)? Consumed if so.
    fn closes(&mut self, close: u8) -> bool {
        let hit = self.peek() == Some(close);
        if hit {
            self.i += 1;
        }
        hit
    }
    /// After an item of an object (`close` = `}`) or list (`]`): true at a
    /// ',' (another item follows), false at `close`; both consumed.
    fn next_item(&mut self, close: u8) -> Result<bool, String> {
        if self.peek() == Some(b',') {
            self.i += 1;
            return Ok(true);
        }
        if self.closes(close) {
            return Ok(false);
        }
        Err(self.err(if close == b'}' { "expected ',' or '}'" } else { "expected ',' or ']'" }))
    }
    fn eat(&mut self, lit: &[u8]) -> bool {
        if self.s[self.i..].starts_with(lit) {
            self.i += lit.len();
            true
        } else {
            false
        }
    }
    fn value(&mut self) -> Result<Json, String> {
        match self.peek() {
            Some(b'{') => {
                self.enter()?;
                let mut m = Vec::new();
                if !self.closes(b'}') {
                    loop {
                        if self.peek() != Some(b'"') {
                            return Err(self.err("expected a key"));
                        }
                        let k = self.string()?;
                        if self.peek() != Some(b':') {
                            return Err(self.err("expected ':'"));
                        }
                        self.i += 1;
                        let v = self.value()?;
                        m.push((k, v));
                        if !self.next_item(b'}')? {
                            break;
                        }
                    }
                }
                self.depth -= 1;
                Ok(Json::Obj(m))
            }
            Some(b'[') => {
                self.enter()?;
                let mut a = Vec::new();
                if !self.closes(b']') {
                    loop {
                        a.push(self.value()?);
                        if !self.next_item(b']')? {
                            break;
                        }
                    }
                }
                self.depth -= 1;
                Ok(Json::Arr(a))
            }
            Some(b'"') => Ok(Json::Str(self.string()?)),
            Some(b't') if self.eat(b"true") => Ok(Json::Bool(true)),
            Some(b'f') if self.eat(b"false") => Ok(Json::Bool(false)),
            Some(b'n') if self.eat(b"null") => Ok(Json::Null),
            Some(b'-' | b'0'..=b'9') => Ok(Json::Num(self.number()?)),
            _ => Err(self.err("expected a value")),
        }
    }
    fn enter(&mut self) -> Result<(), String> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.err("nested too deeply"));
        }
        self.i += 1; // '{' or '['
        Ok(())
    }
    fn hex4(&mut self) -> Result<u32, String> {
        let Some(h) = self.s.get(self.i..self.i + 4) else { return Err(self.err("short \\u escape")) };
        let mut n = 0u32;
        for &c in h {
            let Some(d) = (c as char).to_digit(16) else { return Err(self.err("bad \\u escape")) };
            n = n * 16 + d;
        }
        self.i += 4;
        Ok(n)
    }
    fn string(&mut self) -> Result<String, String> {
        self.i += 1; // opening quote
        let mut out = String::new();
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
            out.push_str(run);
            match self.s.get(self.i) {
                Some(b'"') => {
                    self.i += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
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
                    out.push(ch);
                }
                _ => return Err(self.err("unterminated string")),
            }
        }
    }
    fn number(&mut self) -> Result<f64, String> {
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
}

// ---- Rust → JSON text ----

/// JSON text being written.
pub struct Writer<'a> {
    pub out: String,
    /// Top-level struct fields to keep (`None` = all).
    only: Option<&'a [String]>,
    depth: usize,
}

/// A Rust value as JSON.
pub trait ToJson {
    fn write_json(&self, w: &mut Writer);
}

/// `v` as JSON text.
pub fn to_text(v: &dyn ToJson) -> String {
    to_text_only(v, None)
}

/// `v` as JSON text, keeping only the top-level struct fields named in `only`.
pub fn to_text_only(v: &dyn ToJson, only: Option<&[String]>) -> String {
    let mut w = Writer { out: String::new(), only, depth: 0 };
    v.write_json(&mut w);
    w.out
}

/// A quoted JSON string: `"`, `\` and control characters escaped, the rest as is.
pub fn push_str(out: &mut String, s: &str) {
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
        out.push_str(crate::util::str_sub(s, start, i));
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
    out.push_str(crate::util::str_from(s, start));
    out.push('"');
}

/// Decimal digits of `n`.
pub fn push_uint(out: &mut String, n: u64) {
    crate::util::push_digits(out, n, 10);
}

pub fn push_int(out: &mut String, n: i64) {
    if n < 0 {
        out.push('-');
    }
    push_uint(out, n.unsigned_abs());
}

impl Writer<'_> {
    pub fn null(&mut self) {
        self.out.push_str("null");
    }
    pub fn str(&mut self, s: &str) {
        push_str(&mut self.out, s);
    }
    /// A number: integers exactly, other finite values as JavaScript prints
    /// them, NaN and infinities as `null` (as `JSON.stringify` does).
    pub fn num(&mut self, v: f64) {
        if !v.is_finite() {
            self.null();
        } else if v.fract() == 0.0 && v.abs() < 9.0e15 && !(v == 0.0 && v.is_sign_negative()) {
            push_int(&mut self.out, v as i64);
        } else {
            fmt_float(v, &mut self.out);
        }
    }
    /// `{`; then `field`/`entry` per member and `end_obj`.
    pub fn begin_obj(&mut self) -> Members {
        self.out.push('{');
        self.depth += 1;
        Members { first: true }
    }
    pub fn end_obj(&mut self) {
        self.out.push('}');
        self.depth -= 1;
    }
    /// A struct field (skipped at the top level when not asked for).
    pub fn field(&mut self, m: &mut Members, name: &str, v: &dyn ToJson) {
        if self.depth == 1 {
            if let Some(only) = self.only {
                if !only.iter().any(|o| o == name) {
                    return;
                }
            }
        }
        self.entry(m, name, v);
    }
    /// A struct: `names[i]` = `values[i]` (one loop for every struct).
    #[inline(never)]
    pub fn fields(&mut self, names: &[&str], values: &[&dyn ToJson]) {
        let mut m = self.begin_obj();
        for (n, v) in names.iter().zip(values) {
            self.field(&mut m, n, *v);
        }
        self.end_obj();
    }
    /// A map entry.
    pub fn entry(&mut self, m: &mut Members, key: &str, v: &dyn ToJson) {
        if !m.first {
            self.out.push(',');
        }
        m.first = false;
        push_str(&mut self.out, key);
        self.out.push(':');
        v.write_json(self);
    }
    /// A list of the items.
    pub fn list(&mut self, items: &[&dyn ToJson]) {
        self.begin_list();
        for x in items {
            self.item();
            x.write_json(self);
        }
        self.end_list();
    }
    pub fn begin_list(&mut self) {
        self.out.push('[');
        self.depth += 1;
    }
    /// Before each list item.
    pub fn item(&mut self) {
        if !self.out.ends_with('[') {
            self.out.push(',');
        }
    }
    pub fn end_list(&mut self) {
        self.depth -= 1;
        self.out.push(']');
    }
}

/// Where the next member of an object goes.
pub struct Members {
    first: bool,
}

impl ToJson for Json {
    fn write_json(&self, w: &mut Writer) {
        match self {
            Json::Null => w.null(),
            Json::Bool(b) => b.write_json(w),
            Json::Num(n) => w.num(*n),
            Json::Str(s) => w.str(s),
            Json::Arr(a) => a.write_json(w),
            Json::Obj(m) => {
                // Members sorted by key, of repeated keys the last: the
                // bytes the core wrote when objects were maps.
                let order = crate::util::stable_order(m.len(), &|a, b| m[a].0.cmp(&m[b].0));
                let mut o = w.begin_obj();
                for (n, &i) in order.iter().enumerate() {
                    if order.get(n + 1).is_some_and(|&j| m[j].0 == m[i].0) {
                        continue;
                    }
                    w.entry(&mut o, &m[i].0, &m[i].1);
                }
                w.end_obj();
            }
        }
    }
}

impl ToJson for bool {
    fn write_json(&self, w: &mut Writer) {
        w.out.push_str(if *self { "true" } else { "false" });
    }
}

impl ToJson for str {
    fn write_json(&self, w: &mut Writer) {
        w.str(self);
    }
}

impl ToJson for String {
    fn write_json(&self, w: &mut Writer) {
        w.str(self);
    }
}

macro_rules! to_json_int {
    ($($t:ty),*) => {$(
        impl ToJson for $t {
            fn write_json(&self, w: &mut Writer) {
                push_int(&mut w.out, *self as i64);
            }
        }
    )*};
}
to_json_int!(u8, u16, u32, i32, i64);

impl ToJson for u64 {
    fn write_json(&self, w: &mut Writer) {
        push_uint(&mut w.out, *self);
    }
}

impl ToJson for usize {
    fn write_json(&self, w: &mut Writer) {
        push_uint(&mut w.out, *self as u64);
    }
}

impl ToJson for f64 {
    fn write_json(&self, w: &mut Writer) {
        w.num(*self);
    }
}

impl<T: ToJson + ?Sized> ToJson for &T {
    fn write_json(&self, w: &mut Writer) {
        (**self).write_json(w);
    }
}

/// `v.write_json(w)` through the vtable: a struct's writer is then the one
/// copy its fields' `&dyn ToJson` use, not inlined again into each `Option`
/// and list of it (as `set_slot` for decoding).
#[inline(never)]
fn write_dyn(v: &dyn ToJson, w: &mut Writer) {
    v.write_json(w)
}

impl<T: ToJson> ToJson for Option<T> {
    fn write_json(&self, w: &mut Writer) {
        match self {
            Some(v) => write_dyn(v, w),
            None => w.null(),
        }
    }
}

impl<T: ToJson> ToJson for [T] {
    fn write_json(&self, w: &mut Writer) {
        w.begin_list();
        for x in self {
            w.item();
            write_dyn(x, w);
        }
        w.end_list();
    }
}

impl<T: ToJson> ToJson for Vec<T> {
    fn write_json(&self, w: &mut Writer) {
        self.as_slice().write_json(w);
    }
}

impl<T: ToJson> ToJson for crate::util::Keyed<T> {
    fn write_json(&self, w: &mut Writer) {
        let mut m = w.begin_obj();
        for (k, v) in self.iter() {
            w.entry(&mut m, k, v);
        }
        w.end_obj();
    }
}

impl<T: ToJson> ToJson for BTreeMap<String, T> {
    fn write_json(&self, w: &mut Writer) {
        let mut m = w.begin_obj();
        for (k, v) in self {
            w.entry(&mut m, k, v);
        }
        w.end_obj();
    }
}

impl<A: ToJson, B: ToJson> ToJson for (A, B) {
    fn write_json(&self, w: &mut Writer) {
        w.list(&[&self.0, &self.1]);
    }
}

impl<A: ToJson, B: ToJson, C: ToJson> ToJson for (A, B, C) {
    fn write_json(&self, w: &mut Writer) {
        w.list(&[&self.0, &self.1, &self.2]);
    }
}

impl ToJson for std::net::IpAddr {
    fn write_json(&self, w: &mut Writer) {
        w.str(&crate::net::ip_text(self));
    }
}

/// Compact JSON text (as `to_text` writes it) re-indented by two spaces, the
/// layout `serde_json::to_string_pretty` used (CLI output).
pub fn pretty(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 2);
    let mut depth = 0usize;
    let mut chars = text.chars().peekable();
    let newline = |out: &mut String, depth: usize| {
        out.push('\n');
        for _ in 0..depth {
            out.push_str("  ");
        }
    };
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                out.push('"');
                while let Some(c) = chars.next() {
                    out.push(c);
                    match c {
                        '\\' => {
                            if let Some(c) = chars.next() {
                                out.push(c);
                            }
                        }
                        '"' => break,
                        _ => {}
                    }
                }
            }
            '{' | '[' => {
                out.push(c);
                if matches!(chars.peek(), Some('}' | ']')) {
                    if let Some(c) = chars.next() {
                        out.push(c);
                    }
                } else {
                    depth += 1;
                    newline(&mut out, depth);
                }
            }
            '}' | ']' => {
                depth = depth.saturating_sub(1);
                newline(&mut out, depth);
                out.push(c);
            }
            ',' => {
                out.push(',');
                newline(&mut out, depth);
            }
            ':' => out.push_str(": "),
            c => out.push(c),
        }
    }
    out
}

/// `FromJson` + `ToJson` for a struct with named fields, written as an object
/// with every field in the order listed (list them in declaration order).
/// `field: default` may be missing when read. `write_only` types (borrowed
/// fields) get `ToJson` only.
#[macro_export]
macro_rules! json_struct {
    (write_only $t:ident $(<$lt:lifetime>)? { $($f:ident $(: $d:ident)?),* $(,)? }) => {
        impl $(<$lt>)? $crate::json::ToJson for $t $(<$lt>)? {
            fn write_json(&self, w: &mut $crate::json::Writer) {
                w.fields(&[$( stringify!($f) ),*], &[$( &self.$f ),*]);
            }
        }
    };
    ($t:ident { $($f:ident $(: $d:ident)?),* $(,)? }) => {
        $crate::json_struct!(write_only $t { $($f $(: $d)?),* });
        impl $crate::json::FromJson for $t {
            fn placeholder() -> Self {
                $t { $( $f: $crate::json::FromJson::placeholder(), )* }
            }
            fn from_json(v: &$crate::json::Json) -> Result<Self, $crate::json::DecodeError> {
                let mut out = <Self as $crate::json::FromJson>::placeholder();
                $crate::json::FromJson::decode_into(&mut out, v)?;
                Ok(out)
            }
            fn decode_into(&mut self, v: &$crate::json::Json) -> Result<(), $crate::json::DecodeError> {
                $crate::json::fields(
                    v,
                    &[$( stringify!($f) ),*],
                    const { &[$( $crate::json_struct!(@default $($d)?) || $crate::json::optional_field(|s: &$t| &s.$f) ),*] },
                    &mut [$( &mut self.$f as &mut dyn $crate::json::Slot ),*],
                )
            }
        }
    };
    (@default) => { false };
    (@default default) => { true };
}

/// `FromJson` + `ToJson` (and `as_str`) for a unit-only enum written as the given names.
#[macro_export]
macro_rules! json_enum {
    ($t:ident { $($v:ident = $n:literal),* $(,)? }) => {
        impl $t {
            /// The variant's stored name (its JSON string), one spelling for
            /// the store, the popup's data attributes and the page's.
            #[allow(dead_code)]
            pub fn as_str(&self) -> &'static str {
                match self { $( $t::$v => $n, )* }
            }
        }
        impl $crate::json::ToJson for $t {
            fn write_json(&self, w: &mut $crate::json::Writer) {
                w.str(self.as_str());
            }
        }
        impl $crate::json::FromJson for $t {
            fn from_json(v: &$crate::json::Json) -> Result<Self, $crate::json::DecodeError> {
                const ALL: &[$t] = &[$( $t::$v ),*];
                Ok(ALL[$crate::json::variant(v, &[$( $n ),*])?])
            }
            fn placeholder() -> Self {
                const ALL: &[$t] = &[$( $t::$v ),*];
                ALL[0]
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Clone, Default, PartialEq)]
    struct Inner {
        a: u32,
        b: Option<String>,
        c: Vec<(String, String)>,
    }
    crate::json_struct!(Inner { a, b, c: default });

    #[derive(Debug, Clone, Copy, PartialEq)]
    enum E {
        One,
        TwoWords,
        Three,
    }
    crate::json_enum!(E { One = "one", TwoWords = "two_words", Three = "three" });

    #[derive(Debug, Clone, PartialEq)]
    struct Outer {
        inner: Vec<Inner>,
        e: E,
        n: i64,
        flag: bool,
    }
    crate::json_struct!(Outer { inner, e, n: default, flag: default });
    impl Default for E {
        fn default() -> E {
            E::One
        }
    }

    fn err<T: FromJson + std::fmt::Debug>(text: &str) -> String {
        from_text::<T>(text).unwrap_err()
    }

    #[test]
    fn structs_and_enums() {
        let o: Outer = from_text(r#"{"inner":[{"a":1,"c":[["x","y","extra"]]},{"a":2,"b":"s"}],"e":"two_words","n":-5,"unknown":{}}"#).unwrap();
        assert_eq!(o.inner[0], Inner { a: 1, b: None, c: vec![("x".into(), "y".into())] });
        assert_eq!(o.inner[1].b.as_deref(), Some("s"));
        assert_eq!((o.e, o.n, o.flag), (E::TwoWords, -5, false));
        assert_eq!(to_text(&o), r#"{"inner":[{"a":1,"b":null,"c":[["x","y"]]},{"a":2,"b":"s","c":[]}],"e":"two_words","n":-5,"flag":false}"#);
        // only some top-level fields
        assert_eq!(to_text_only(&o, Some(&["e".to_string(), "n".to_string()])), r#"{"e":"two_words","n":-5}"#);
    }

    #[test]
    fn errors_say_where_and_what() {
        assert_eq!(err::<Outer>(r#"{"inner":[{"a":1},{"a":"7"}],"e":"one"}"#), r#"inner[1].a: invalid type: string "7", expected u32"#);
        assert_eq!(err::<Outer>(r#"{"inner":[{"a":-1}],"e":"one"}"#), "inner[0].a: invalid value: integer `-1`, expected u32");
        assert_eq!(err::<Outer>(r#"{"inner":[{"a":1.5}],"e":"one"}"#), "inner[0].a: invalid type: floating point `1.5`, expected u32");
        assert_eq!(err::<Outer>(r#"{"inner":[{"a":1,"c":[["x"]]}],"e":"one"}"#), "inner[0].c[0]: invalid length 1, expected a list of 2");
        assert_eq!(err::<Outer>(r#"{"inner":[],"e":"four"}"#), "e: unknown variant `four`, expected one of `one`, `two_words`, `three`");
        assert_eq!(err::<Outer>(r#"{"inner":[],"e":4}"#), "e: expected a name, found a number");
        assert_eq!(err::<Outer>(r#"{"e":"one"}"#), "missing field `inner`");
        assert_eq!(err::<Outer>(r#"{"inner":{},"e":"one"}"#), "inner: invalid type: an object, expected a list");
        assert_eq!(err::<Outer>(r#"{"inner":[],"e":"one","flag":null}"#), "flag: invalid type: null, expected a boolean");
        assert_eq!(err::<Outer>(r#"[]"#), "invalid type: a list, expected an object");
        assert_eq!(err::<bool>("0.1"), "invalid type: floating point `0.1`, expected a boolean");
        assert_eq!(err::<bool>("2"), "invalid type: integer `2`, expected a boolean");
        assert_eq!(err::<String>("true"), "invalid type: boolean `true`, expected a string");
        assert_eq!(err::<i64>("\"a\\\"b\\n\""), r#"invalid type: string "a\"b\n", expected i64"#);
        assert_eq!(err::<i64>("1e300"), "invalid type: floating point `1e300.0`, expected i64".replace("1e300.0", &{
            let mut s = String::new();
            fmt_float(1e300, &mut s);
            if !s.contains('.') {
                s.push_str(".0");
            }
            s
        }));
        assert_eq!(err::<Outer>("{"), "bad JSON at byte 1: expected a key");
        let m = vec![("k".to_string(), Json::Num(0.5))];
        assert_eq!(decode::<BTreeMap<String, u32>>(&Json::Obj(m)).unwrap_err(), "k: invalid type: floating point `0.5`, expected u32");
    }

    #[test]
    fn pretty_is_serde_jsons_layout() {
        let text = r#"{"a":[1,{"b":"x,:{[\"\\"}],"c":{},"d":[],"e":null}"#;
        let want = "{\n  \"a\": [\n    1,\n    {\n      \"b\": \"x,:{[\\\"\\\\\"\n    }\n  ],\n  \"c\": {},\n  \"d\": [],\n  \"e\": null\n}";
        assert_eq!(pretty(text), want);
    }

    #[test]
    fn ip_addresses_decode_or_say_why() {
        assert_eq!(decode::<std::net::IpAddr>(&Json::Str("198.51.100.7".into())).unwrap().to_string(), "198.51.100.7");
        assert_eq!(
            decode::<std::net::IpAddr>(&Json::Str("no \"ip\"".into())).unwrap_err(),
            "invalid value: string \"no \\\"ip\\\"\", expected an IP address"
        );
        assert_eq!(decode::<std::net::IpAddr>(&Json::Num(1.0)).unwrap_err(), "invalid type: integer `1`, expected an IP address");
    }

    #[test]
    fn repeated_keys_last_wins() {
        let v = parse(r#"{"b":0,"a":1,"c":{"y":[],"x":null},"a":2}"#).unwrap();
        assert_eq!(v.get("a"), Some(&Json::Num(2.0)));
        assert_eq!(decode::<BTreeMap<String, Json>>(&v).unwrap()["a"], Json::Num(2.0));
        // written as a map: sorted, the last of repeated keys
        assert_eq!(to_text(&v), r#"{"a":2,"b":0,"c":{"x":null,"y":[]}}"#);
    }
}
