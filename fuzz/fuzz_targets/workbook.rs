//! Whole files through the import: bytes saved under a spreadsheet's name, then the preview
//! and a dry run over a real ledger, as the wizard and `yiben import --dry-run` do.
#![no_main]

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Once, OnceLock};

use libfuzzer_sys::fuzz_target;
use yiben::import::job::ImportRequest;
use yiben::Crm;

const EXTENSIONS: [&str; 8] = ["xlsx", "xls", "ods", "csv", "txt", "xlsb", "tsv", "xlsm"];

struct Ledger {
    runtime: tokio::runtime::Runtime,
    crm: Crm,
    dir: tempfile::TempDir,
}

fn ledger() -> &'static Ledger {
    static LEDGER: OnceLock<Ledger> = OnceLock::new();
    LEDGER.get_or_init(|| {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        let dir = tempfile::tempdir().unwrap();
        let crm = runtime.block_on(Crm::open(dir.path().join("fuzz.db"))).unwrap();
        Ledger { runtime, crm, dir }
    })
}

/// Panics inside calamine that the import's guard turned into `import_unreadable`.
static GUARDED_PANICS: AtomicU64 = AtomicU64::new(0);

/// libFuzzer's hook aborts on every panic, even one the import catches on purpose
/// (`import::source::guarded` wraps calamine, which has panicked on malformed files). Those
/// are let through to the guard and counted; any other panic still aborts.
fn let_calamine_panics_reach_the_guard() {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let abort = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if info.location().is_some_and(|l| l.file().contains("/calamine-")) {
                GUARDED_PANICS.fetch_add(1, Ordering::Relaxed);
            } else {
                abort(info);
            }
        }));
    });
}

fuzz_target!(|bytes: &[u8]| {
    let_calamine_panics_reach_the_guard();
    let Some((&which, content)) = bytes.split_first() else { return };
    let ledger = ledger();
    let path = ledger.dir.path().join(format!("input.{}", EXTENSIONS[which as usize % EXTENSIONS.len()]));
    std::fs::write(&path, content).unwrap();
    let request = ImportRequest { path: path.to_string_lossy().into_owned(), ..Default::default() };
    let panics = GUARDED_PANICS.load(Ordering::Relaxed);
    ledger.runtime.block_on(async {
        if let Err(e) = ledger.crm.import_sheets(&path).await {
            if GUARDED_PANICS.load(Ordering::Relaxed) != panics {
                assert_eq!(e.fields().get("file").map(String::as_str), Some("import_unreadable"), "{e}");
            }
            return;
        }
        if let Err(e) = ledger.crm.import_preview(&request, 20).await {
            if GUARDED_PANICS.load(Ordering::Relaxed) != panics {
                assert_eq!(e.fields().get("file").map(String::as_str), Some("import_unreadable"), "{e}");
            }
            return;
        }
        let _ = ledger.crm.import(&request, true, &AtomicBool::new(false), &|_| {}).await;
    });
});
