//! `yiben`: the scriptable face of the same core the desktop app calls.

mod cli;

fn main() -> std::process::ExitCode {
    cli::run()
}
