//! A minimal JSON Schema validator, enough for `schemas/report-v1.schema.json`
//! (type, const, enum, required, properties, additionalProperties: false,
//! items, minimum), so the documented schema itself is what tests check
//! output against.

use serde_json::Value;

/// The documented report schema.
pub fn report_schema() -> Value {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/schemas/report-v1.schema.json"
    ))
    .unwrap();
    serde_json::from_str(&text).unwrap()
}

/// Every violation of `schema` by `value`, as `path: problem`.
pub fn violations(schema: &Value, value: &Value) -> Vec<String> {
    let mut out = Vec::new();
    check(schema, value, "$", &mut out);
    out
}

fn type_ok(t: &str, v: &Value) -> bool {
    match t {
        "object" => v.is_object(),
        "array" => v.is_array(),
        "string" => v.is_string(),
        "integer" => v.is_i64() || v.is_u64(),
        "number" => v.is_number(),
        "boolean" => v.is_boolean(),
        "null" => v.is_null(),
        other => panic!("schema uses unsupported type {other}"),
    }
}

fn check(schema: &Value, v: &Value, at: &str, out: &mut Vec<String>) {
    let known = [
        "$schema",
        "$id",
        "title",
        "description",
        "type",
        "const",
        "enum",
        "required",
        "properties",
        "additionalProperties",
        "items",
        "minimum",
    ];
    for k in schema.as_object().unwrap().keys() {
        assert!(
            known.contains(&k.as_str()),
            "validator does not support `{k}`"
        );
    }
    if let Some(t) = schema.get("type") {
        let ok = match t {
            Value::String(t) => type_ok(t, v),
            Value::Array(ts) => ts.iter().any(|t| type_ok(t.as_str().unwrap(), v)),
            _ => panic!("bad type"),
        };
        if !ok {
            out.push(format!("{at}: expected type {t}, got {v}"));
            return;
        }
    }
    if let Some(c) = schema.get("const") {
        if c != v {
            out.push(format!("{at}: expected {c}, got {v}"));
        }
    }
    if let Some(Value::Array(e)) = schema.get("enum") {
        if !e.contains(v) {
            out.push(format!("{at}: {v} is not one of {e:?}"));
        }
    }
    if let (Some(min), Some(n)) = (schema.get("minimum").and_then(Value::as_f64), v.as_f64()) {
        if n < min {
            out.push(format!("{at}: {n} < {min}"));
        }
    }
    if let Value::Object(map) = v {
        if let Some(Value::Array(req)) = schema.get("required") {
            for r in req {
                if !map.contains_key(r.as_str().unwrap()) {
                    out.push(format!("{at}: missing {r}"));
                }
            }
        }
        let props = schema.get("properties").and_then(Value::as_object);
        for (k, child) in map {
            match props.and_then(|p| p.get(k)) {
                Some(s) => check(s, child, &format!("{at}.{k}"), out),
                None if schema.get("additionalProperties") == Some(&Value::Bool(false)) => {
                    out.push(format!("{at}: unexpected property {k}"))
                }
                None => {}
            }
        }
    }
    if let (Value::Array(items), Some(s)) = (v, schema.get("items")) {
        for (i, item) in items.iter().enumerate() {
            check(s, item, &format!("{at}[{i}]"), out);
        }
    }
}

#[test]
fn the_validator_rejects_what_the_schema_forbids() {
    let schema = report_schema();
    let good: Value = serde_json::json!({
        "version": 1, "tool": {"name": "keyhook", "version": "0"}, "subject": "scan",
        "findings": [], "skipped": {"too_large": [], "binary": 0, "unreadable": []},
        "summary": {"findings": 0, "files_with_findings": 0, "scanned": 0, "accepted": 0, "complete": true}
    });
    assert_eq!(violations(&schema, &good), Vec::<String>::new());
    let mut bad = good.clone();
    bad["version"] = 2.into();
    bad["extra"] = true.into();
    bad["summary"]["scanned"] = (-1).into();
    bad["findings"] = serde_json::json!([{"path": "a"}]);
    let v = violations(&schema, &bad);
    assert!(v.iter().any(|e| e.contains("$.version")), "{v:?}");
    assert!(
        v.iter().any(|e| e.contains("unexpected property extra")),
        "{v:?}"
    );
    assert!(v.iter().any(|e| e.contains("$.summary.scanned")), "{v:?}");
    assert!(
        v.iter()
            .any(|e| e.contains("$.findings[0]: missing \"line\"")),
        "{v:?}"
    );
}
