//! Reading typed values out of JSON (the API types, token claims) by hand rather than with
//! serde's derive: the JSON is parsed once into a `serde_json::Value` and each type reads its
//! fields with the few non-generic helpers here. Measured in the `kubeopen/cluster` wasm module,
//! the derived `Deserialize` impls (one visitor per type, each with a map and a sequence path)
//! of the API types and token claims cost ~28 KB gzipped more than these readers (163 → 135 KB),
//! which took the module under its 150 KB budget (BENCHMARKS.md).
//!
//! The rules are Go's `encoding/json` into the API structs: an absent field **or `null`** leaves
//! the zero value (serde's derive would refuse `null` for a list, and Go writes `"items": null`
//! for an empty list); unknown fields are ignored; a value of the wrong type is an error naming
//! where it is (`items[3].spec.ports[0].port: expected an integer, found a string`).

use std::collections::BTreeMap;
use std::fmt;

use serde_json::{Map, Value};

/// A JSON object.
pub(crate) type Object = Map<String, Value>;

/// A value of the wrong type, and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ReadError {
    /// Reversed path segments (innermost first); joined only when shown.
    path: Vec<String>,
    expected: &'static str,
    found: &'static str,
}

impl ReadError {
    /// The same error one level further out.
    pub(crate) fn within(mut self, segment: String) -> ReadError {
        self.path.push(segment);
        self
    }
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, segment) in self.path.iter().rev().enumerate() {
            if i > 0 && !segment.starts_with('[') {
                f.write_str(".")?;
            }
            f.write_str(segment)?;
        }
        if !self.path.is_empty() {
            f.write_str(": ")?;
        }
        write!(f, "expected {}, found {}", self.expected, self.found)
    }
}

pub(crate) type Result<T> = std::result::Result<T, ReadError>;

/// What a JSON value is, for messages.
fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cold]
pub(crate) fn wrong(expected: &'static str, value: &Value) -> ReadError {
    ReadError {
        path: Vec::new(),
        expected,
        found: kind(value),
    }
}

/// A type read from a JSON object.
pub(crate) trait FromJson: Sized + Default {
    /// Reads the fields of `object`.
    fn read(object: &Object) -> Result<Self>;

    /// Reads a value: an object, or `null` for the zero value.
    fn from_value(value: &Value) -> Result<Self> {
        match value {
            Value::Null => Ok(Self::default()),
            Value::Object(object) => Self::read(object),
            other => Err(wrong("an object", other)),
        }
    }
}

/// `object[key]`, with `null` for absent.
#[inline(never)]
fn get<'a>(object: &'a Object, key: &str) -> &'a Value {
    object.get(key).unwrap_or(&Value::Null)
}

/// Runs `read` on `object[key]`, adding `key` to the path of an error.
#[inline(never)]
fn at<'a, T>(object: &'a Object, key: &str, read: impl FnOnce(&'a Value) -> Result<T>) -> Result<T> {
    read(get(object, key)).map_err(|e| e.within(key.to_owned()))
}

/// A string; absent or `null` is `""`.
pub(crate) fn string(object: &Object, key: &str) -> Result<String> {
    at(object, key, |v| match v {
        Value::Null => Ok(String::new()),
        Value::String(s) => Ok(s.clone()),
        other => Err(wrong("a string", other)),
    })
}

/// An optional string; absent or `null` is `None`.
pub(crate) fn optional_string(object: &Object, key: &str) -> Result<Option<String>> {
    at(object, key, |v| match v {
        Value::Null => Ok(None),
        Value::String(s) => Ok(Some(s.clone())),
        other => Err(wrong("a string", other)),
    })
}

fn integer_value(value: &Value) -> Result<i64> {
    value.as_i64().ok_or_else(|| wrong("an integer", value))
}

/// An integer; absent or `null` is 0.
pub(crate) fn integer(object: &Object, key: &str) -> Result<i64> {
    at(
        object,
        key,
        |v| if v.is_null() { Ok(0) } else { integer_value(v) },
    )
}

/// An optional integer.
pub(crate) fn optional_integer(object: &Object, key: &str) -> Result<Option<i64>> {
    at(object, key, |v| {
        if v.is_null() {
            Ok(None)
        } else {
            integer_value(v).map(Some)
        }
    })
}

/// A map of strings (labels, selectors).
pub(crate) fn string_map(object: &Object, key: &str) -> Result<BTreeMap<String, String>> {
    at(object, key, |v| match v {
        Value::Null => Ok(BTreeMap::new()),
        Value::Object(map) => {
            let mut out = BTreeMap::new();
            for (k, v) in map {
                match v {
                    Value::String(s) => {
                        out.insert(k.clone(), s.clone());
                    }
                    other => return Err(wrong("a string", other).within(k.clone())),
                }
            }
            Ok(out)
        }
        other => Err(wrong("an object", other)),
    })
}

/// A list, each item read by `item`.
pub(crate) fn list<T>(object: &Object, key: &str, item: fn(&Value) -> Result<T>) -> Result<Vec<T>> {
    at(object, key, |v| match v {
        Value::Null => Ok(Vec::new()),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, v)| item(v).map_err(|e| e.within(format!("[{i}]"))))
            .collect(),
        other => Err(wrong("an array", other)),
    })
}

/// A list of strings.
pub(crate) fn string_list(object: &Object, key: &str) -> Result<Vec<String>> {
    list(object, key, |v| match v {
        Value::String(s) => Ok(s.clone()),
        other => Err(wrong("a string", other)),
    })
}

/// A nested object.
pub(crate) fn nested<T: FromJson>(object: &Object, key: &str) -> Result<T> {
    at(object, key, T::from_value)
}

/// An optional nested object (absent or `null`: `None`).
pub(crate) fn optional_nested<T: FromJson>(object: &Object, key: &str) -> Result<Option<T>> {
    at(object, key, |v| {
        if v.is_null() {
            Ok(None)
        } else {
            T::from_value(v).map(Some)
        }
    })
}

/// `T` from JSON text: parsed once, then read.
pub(crate) fn from_str<T: FromJson>(text: &str) -> std::result::Result<T, String> {
    let value: Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
    T::from_value(&value).map_err(|e| e.to_string())
}

/// `Deserialize` through [`FromJson`], so `serde_json::from_str::<ServiceList>(…)` keeps working
/// with the same rules.
macro_rules! deserialize_via_read {
    ($($t:ty),* $(,)?) => {$(
        impl<'de> serde::Deserialize<'de> for $t {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
                let value = serde_json::Value::deserialize(d)?;
                <$t as $crate::json_read::FromJson>::from_value(&value).map_err(serde::de::Error::custom)
            }
        }
    )*};
}
pub(crate) use deserialize_via_read;

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Default, PartialEq)]
    struct Port {
        name: String,
        port: i64,
    }

    impl FromJson for Port {
        fn read(o: &Object) -> Result<Port> {
            Ok(Port {
                name: string(o, "name")?,
                port: integer(o, "port")?,
            })
        }
    }

    #[derive(Debug, Default, PartialEq)]
    struct Spec {
        ports: Vec<Port>,
        labels: BTreeMap<String, String>,
    }

    impl FromJson for Spec {
        fn read(o: &Object) -> Result<Spec> {
            Ok(Spec {
                ports: list(o, "ports", Port::from_value)?,
                labels: string_map(o, "labels")?,
            })
        }
    }

    #[test]
    fn nulls_and_absent_fields_are_zero_values() {
        assert_eq!(from_str::<Spec>(r#"{"ports":null,"x":1}"#), Ok(Spec::default()));
        assert_eq!(from_str::<Spec>("null"), Ok(Spec::default()));
        assert_eq!(
            from_str::<Spec>(r#"{"ports":[{"name":null},{"port":8080}]}"#).map(|s| s.ports),
            Ok(vec![
                Port::default(),
                Port {
                    name: String::new(),
                    port: 8080
                }
            ])
        );
    }

    #[test]
    fn wrong_types_say_where() {
        assert_eq!(
            from_str::<Spec>(r#"{"ports":[{},{"port":"80"}]}"#),
            Err("ports[1].port: expected an integer, found a string".to_owned())
        );
        assert_eq!(
            from_str::<Spec>(r#"{"labels":{"a":1}}"#),
            Err("labels.a: expected a string, found a number".to_owned())
        );
        assert_eq!(
            from_str::<Spec>("[1]"),
            Err("expected an object, found an array".to_owned())
        );
        assert_eq!(
            from_str::<Spec>(r#"{"ports":[{"port":1.5}]}"#),
            Err("ports[0].port: expected an integer, found a number".to_owned())
        );
        assert!(from_str::<Spec>("{").is_err());
    }
}
