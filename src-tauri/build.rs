//! Besides Tauri's own build step, checks that the command list in `src/lib.rs` and the app
//! permissions in `permissions/app.toml` agree. Once the app defines permissions, Tauri
//! refuses every app command no capability grants, so a command registered without one
//! would only fail at run time, in the window; this makes it fail here, with the fix named.

use std::collections::BTreeSet;

fn main() {
    println!("cargo:rerun-if-changed=src/lib.rs");
    println!("cargo:rerun-if-changed=permissions");
    let handlers = std::fs::read_to_string("src/lib.rs").expect("src/lib.rs");
    let permissions = std::fs::read_to_string("permissions/app.toml").expect("permissions/app.toml");
    let registered = registered_commands(&handlers);
    let granted = permitted_commands(&permissions);
    let unpermitted: Vec<_> = registered.difference(&granted).collect();
    let unknown: Vec<_> = granted.difference(&registered).collect();
    if !unpermitted.is_empty() {
        panic!(
            "commands registered in src/lib.rs without a permission: {unpermitted:?}. Add each to a \
             permission's commands.allow in permissions/app.toml (and grant that permission in \
             capabilities/default.json if the window calls it)"
        );
    }
    // A permission for a command that is not registered grants nothing; worth a note, not a
    // failed build (a command may be granted a moment before it is registered).
    if !unknown.is_empty() {
        println!("cargo:warning=permissions/app.toml allows commands src/lib.rs does not register: {unknown:?}");
    }
    tauri_build::build()
}

/// The last path segment of every entry in `generate_handler![...]`.
fn registered_commands(source: &str) -> BTreeSet<String> {
    let start = source.find("generate_handler![").expect("generate_handler! in src/lib.rs");
    let body = &source[start + "generate_handler![".len()..];
    let body = &body[..body.find(']').expect("generate_handler! closes")];
    body.split(',')
        .map(|entry| entry.lines().filter(|l| !l.trim_start().starts_with("//")).collect::<String>())
        .filter_map(|entry| entry.rsplit("::").next().map(|name| name.trim().to_owned()))
        .filter(|name| !name.is_empty())
        .collect()
}

/// Every quoted name inside a `commands.allow = [...]` list.
fn permitted_commands(toml: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    let mut rest = toml;
    while let Some(start) = rest.find("commands.allow = [") {
        let list = &rest[start + "commands.allow = [".len()..];
        let end = list.find(']').expect("commands.allow closes");
        names.extend(list[..end].split(',').map(|n| n.trim().trim_matches('"').to_owned()).filter(|n| !n.is_empty()));
        rest = &list[end..];
    }
    names
}
