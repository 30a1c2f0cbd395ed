//! `weightbench`: the window without a subcommand, the headless commands with one.

use std::io::{self, Write as _};
use std::process::ExitCode;

use clap::Parser as _;
use weightbench::cli::{Cli, run};

fn main() -> ExitCode {
    // A user sees a one-line message, never a backtrace, even with RUST_BACKTRACE set.
    std::panic::set_hook(Box::new(|info| {
        eprintln!(
            "weightbench: internal error: {info}\nThis is a bug in weightbench; please report it with the command that caused it."
        );
    }));
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            let _ = error.print();
            return ExitCode::from(u8::try_from(error.exit_code()).unwrap_or(2));
        }
    };
    let Some(command) = cli.command else {
        eprintln!(
            "weightbench: the desktop window is not built yet; use `weightbench eval PRESET` or `weightbench sweep PRESET` (see --help)"
        );
        return ExitCode::from(2);
    };
    match run(&command, io::stdin().lock()) {
        Ok(text) => write_stdout(&text),
        Err(error) => {
            eprintln!("weightbench: {error}");
            ExitCode::from(error.exit_code())
        }
    }
}

/// Writes the output; a closed pipe (`weightbench sweep ... | head`) is not an error.
fn write_stdout(text: &str) -> ExitCode {
    match io::stdout().lock().write_all(text.as_bytes()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) if error.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("weightbench: cannot write the output: {error}");
            ExitCode::from(1)
        }
    }
}
