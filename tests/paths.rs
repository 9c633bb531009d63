use std::path::PathBuf;

use yiben::paths::{self, APP_IDENTIFIER, DB_ENV_VAR, DB_FILE_NAME};

#[test]
fn the_desktop_and_the_cli_share_one_identifier() {
    let conf: serde_json::Value =
        serde_json::from_str(include_str!("../src-tauri/tauri.conf.json")).expect("tauri.conf.json parses");
    assert_eq!(conf["identifier"], APP_IDENTIFIER);
}

#[test]
fn explicit_path_then_env_then_app_data_dir() {
    // The only test in this binary that touches the variable, so no other test races it.
    std::env::remove_var(DB_ENV_VAR);
    let default = paths::resolve_db_path(None).expect("a data dir exists");
    assert!(default.ends_with(PathBuf::from(APP_IDENTIFIER).join(DB_FILE_NAME)), "{default:?}");

    std::env::set_var(DB_ENV_VAR, "/srv/ledger/team.db");
    assert_eq!(paths::resolve_db_path(None), Some(PathBuf::from("/srv/ledger/team.db")));
    assert_eq!(paths::resolve_db_path(Some("/tmp/x.db".into())), Some(PathBuf::from("/tmp/x.db")));

    std::env::set_var(DB_ENV_VAR, "");
    assert_eq!(paths::resolve_db_path(None), Some(default));
    std::env::remove_var(DB_ENV_VAR);
}
