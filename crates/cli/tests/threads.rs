//! `--threads` sets how many workers run, and refuses nonsense.

use std::process::Command;

fn eval_stories(threads: &str) -> std::process::Output {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("articles.jsonl");
    std::fs::write(
        &file,
        concat!(
            r#"{"id": "a", "story": "1", "text": "The harbour bridge reopened on Monday."}"#,
            "\n",
            r#"{"id": "b", "story": "1", "text": "On Monday the harbour bridge reopened."}"#,
            "\n"
        ),
    )
    .unwrap();
    Command::new(env!("CARGO_BIN_EXE_crosscheck"))
        .args(["--threads", threads, "eval", "stories"])
        .arg(&file)
        .env_remove("RAYON_NUM_THREADS")
        .output()
        .unwrap()
}

#[test]
fn the_eval_runs_on_the_threads_asked_for() {
    for n in ["1", "3"] {
        let out = eval_stories(n);
        assert!(out.status.success(), "{out:?}");
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(stdout.contains(&format!("s, {n} threads)")), "{stdout}");
    }
}

#[test]
fn zero_threads_is_refused_with_a_reason() {
    let out = eval_stories("0");
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("--threads"), "{stderr}");
}
