//! The files the user chose in a native dialog during this session. A dialog answers the
//! window with a path, and the window hands it back to the command that writes or restores
//! it; those commands accept only a path a dialog answered, so script running in the window
//! cannot have the app write over, or restore from, any other file.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use yiben::Error;

static PICKED: Mutex<BTreeSet<PathBuf>> = Mutex::new(BTreeSet::new());

/// Remembers a path a dialog answered, in the form the window will send it back.
pub fn grant(path: &str) {
    PICKED.lock().expect("not poisoned").insert(PathBuf::from(path.trim()));
}

/// The path as given when a dialog answered it; `path: not_picked` otherwise.
pub fn checked(raw: &str) -> Result<PathBuf, Error> {
    let path = PathBuf::from(raw.trim());
    if is_picked(&path) {
        Ok(path)
    } else {
        Err(Error::invalid("path", "not_picked"))
    }
}

pub fn is_picked(path: &Path) -> bool {
    PICKED.lock().expect("not poisoned").contains(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_path_a_dialog_answered_is_accepted() {
        let reason = |r: Result<PathBuf, Error>| match r {
            Err(Error::Validation(f)) => f.get("path").cloned(),
            other => panic!("{other:?}"),
        };
        assert_eq!(reason(checked("/home/someone/.bashrc.xlsx")), Some("not_picked".into()));
        grant("/home/someone/下载/报表.xlsx");
        assert_eq!(checked(" /home/someone/下载/报表.xlsx ").unwrap(), PathBuf::from("/home/someone/下载/报表.xlsx"));
        assert_eq!(reason(checked("/home/someone/下载/../.bashrc.xlsx")), Some("not_picked".into()));
    }
}
