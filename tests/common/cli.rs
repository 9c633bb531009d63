//! Running the `yiben` binary as a script would.

use std::process::{Command, Output};

use serde_json::Value;

pub fn yiben(db: &std::path::Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_yiben"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("YIBEN_DB")
        .output()
        .expect("the yiben binary runs")
}

/// The JSON a successful command printed.
pub fn json(out: &Output) -> Value {
    assert!(out.status.success(), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("stdout is JSON")
}

/// The JSON error a command that exited with `code` printed.
pub fn failed(out: &Output, code: i32) -> Value {
    assert_eq!(out.status.code(), Some(code), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stderr).expect("stderr is a JSON error")
}
