mod common;

use crosscheck_report::{json, SCHEMA_VERSION};
use serde_json::Value;

fn schema() -> Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../schema/report.schema.json"
    );
    serde_json::from_str(&std::fs::read_to_string(path).expect("schema file"))
        .expect("schema is JSON")
}

fn validate(report: &Value) {
    let validator = jsonschema::draft202012::new(&schema()).expect("a valid draft 2020-12 schema");
    let errors: Vec<String> = validator
        .iter_errors(report)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "report does not match its schema:\n{}",
        errors.join("\n")
    );
}

/// The text at `[byte_start, byte_end)` and at `[char_start, char_end)` of a document.
fn both_slices(text: &str, span: &Value) -> (String, String) {
    let n = |k: &str| span[k].as_u64().unwrap() as usize;
    let bytes = text[n("byte_start")..n("byte_end")].to_string();
    let chars: String = text
        .chars()
        .skip(n("char_start"))
        .take(n("char_end") - n("char_start"))
        .collect();
    (bytes, chars)
}

#[test]
fn seed_report_matches_schema_and_offsets_point_at_the_text() {
    let Some(a) = common::seed_analysis() else {
        return;
    };
    let report: Value = serde_json::from_str(&json(&a)).expect("valid JSON");
    validate(&report);
    assert_eq!(report["schema_version"], SCHEMA_VERSION);
    let text_of = |id: &str| {
        report["documents"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["id"] == id)
            .unwrap()["text"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let story = &report["stories"][0];
    assert_eq!(story["summary"]["versions"], 5);
    assert_eq!(story["summary"]["contradictions"], 2);
    let mut checked = 0;
    for f in story["findings"].as_array().unwrap() {
        for e in f["evidence"].as_array().unwrap() {
            let (bytes, chars) = both_slices(&text_of(e["doc"].as_str().unwrap()), e);
            assert_eq!(bytes, e["text"].as_str().unwrap());
            assert_eq!(chars, bytes);
            checked += 1;
        }
    }
    assert!(checked >= 10);
    // 004 has curly quotes before its later sentences: character offsets differ from bytes.
    let s004 = story["sentences"]
        .as_object()
        .unwrap()
        .iter()
        .find(|(k, _)| k.starts_with("004"))
        .unwrap();
    let text = text_of(s004.0);
    let last = s004.1.as_array().unwrap().last().unwrap();
    assert_ne!(last["byte_start"], last["char_start"]);
    let (bytes, chars) = both_slices(&text, last);
    assert_eq!(bytes, chars);
}

#[test]
fn hostile_report_matches_schema() {
    let Some(a) = common::hostile_analysis() else {
        return;
    };
    let out = json(&a);
    let report: Value = serde_json::from_str(&out).expect("valid JSON");
    validate(&report);
    assert_eq!(report["skipped"].as_array().unwrap().len(), 1);
}

#[test]
fn schema_rejects_a_report_of_another_version() {
    let Some(a) = common::seed_analysis() else {
        return;
    };
    let mut report: Value = serde_json::from_str(&json(&a)).unwrap();
    report["schema_version"] = "2".into();
    let validator = jsonschema::draft202012::new(&schema()).unwrap();
    assert!(!validator.is_valid(&report));
    report["schema_version"] = SCHEMA_VERSION.into();
    report["stories"][0]["findings"][0]["kind"] = "rumour".into();
    assert!(!validator.is_valid(&report));
}
