// temporary: dumps per-sentence features for fitting
use std::io::Write;
fn main() {
    let path = std::env::args().nth(1).unwrap();
    let text = std::fs::read_to_string(path).unwrap();
    let mut out = std::io::stdout().lock();
    for line in text.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        let doc = |id: &str, t: &str| crosscheck_model::Document::from_blocks(id, id, t.lines().map(|l| (crosscheck_model::BlockKind::Paragraph, l)));
        let s = doc("s", v["source"].as_str().unwrap());
        let c = doc("c", v["claim"].as_str().unwrap());
        let r = crosscheck_verify::verify(&[s], &c, None);
        let o = serde_json::json!({"id": v["id"], "dataset": v["dataset"], "factual": v["factual"], "v": r});
        writeln!(out, "{}", o).unwrap();
    }
}
