//! `weightbench`: the window without a subcommand, the headless commands with one.

use std::io::{self, Write as _};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser as _;
use eframe::egui;
use weightbench::app::WeightbenchApp;
use weightbench::app::store::{MemoryStore, StateFile, StateStore};
use weightbench::cli::{Cli, run};
use weightbench::core::load_preset;
use weightbench::dialog::NativeDialogs;

fn main() -> ExitCode {
    let process_start = std::time::Instant::now();
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
    let Some(subcommand) = cli.command else {
        return run_window(cli.preset, process_start);
    };
    match run(&subcommand, io::stdin().lock()) {
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

/// Opens the window, on `preset_path` if given; a bad file is refused before any window opens.
///
/// With `WEIGHTBENCH_REPORT_STARTUP` set, the first frame reports its time since `process_start`.
fn run_window(preset_path: Option<PathBuf>, process_start: std::time::Instant) -> ExitCode {
    let opened = match preset_path {
        Some(path) => match load_preset(&path) {
            Ok(preset) => Some((path, preset)),
            Err(error) => {
                eprintln!("weightbench: {error}");
                return ExitCode::from(if error.is_io() { 1 } else { 2 });
            }
        },
        None => None,
    };
    let mut viewport = egui::ViewportBuilder::default()
        .with_title("weightbench")
        .with_app_id("weightbench")
        .with_inner_size([1600.0, 1000.0])
        .with_min_inner_size([960.0, 640.0])
        .with_drag_and_drop(true);
    if let Ok(icon) = eframe::icon_data::from_png_bytes(include_bytes!("../assets/icon.png")) {
        viewport = viewport.with_icon(icon);
    }
    let options = eframe::NativeOptions {
        viewport,
        ..Default::default()
    };
    // Without a data folder eframe saves nothing either: the state lives for this session.
    let store: std::sync::Arc<dyn StateStore> = match StateFile::in_data_folder("weightbench") {
        Some(file) => std::sync::Arc::new(file),
        None => std::sync::Arc::new(MemoryStore::default()),
    };
    let started = eframe::run_native(
        "weightbench",
        options,
        Box::new(move |cc| {
            let app = WeightbenchApp::from_store(
                store,
                cc.storage,
                opened,
                std::sync::Arc::new(NativeDialogs),
            );
            let report = std::env::var_os("WEIGHTBENCH_REPORT_STARTUP").is_some();
            Ok(Box::new(if report {
                app.reporting_first_frame(process_start)
            } else {
                app
            }))
        }),
    );
    match started {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("weightbench: cannot open the window: {error}");
            ExitCode::from(1)
        }
    }
}
