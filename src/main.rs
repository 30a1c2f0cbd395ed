//! `weightbench`: the window without a subcommand, the headless commands with one.

use std::io::{self, Write as _};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser as _;
use eframe::egui;
use weightbench::app::WeightbenchApp;
use weightbench::app::store::{MemoryStore, StateFile, StateStore};
use weightbench::cli::{Cli, run};
use weightbench::command::Workspace;
use weightbench::core::outcomes::read::Format;
use weightbench::core::preset::file::load_preset;
use weightbench::dialog::NativeDialogs;

/// The window's app id: its Wayland app id and X11 class, its storage folder's name, and the
/// basename of `assets/weightbench.desktop` (tests/testsuite/install.rs checks they agree).
const APP_ID: &str = "weightbench";

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
        let workspace = cli.workspace.as_deref().and_then(Workspace::from_name);
        if let Some(folder) = &cli.watch
            && !folder.is_dir()
        {
            eprintln!(
                "weightbench: --watch {}: not a folder; expected the folder your runs are written to",
                folder.display()
            );
            return ExitCode::from(2);
        }
        return run_window(cli.preset, workspace, cli.watch, process_start);
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

/// What the file given on the command line opens as.
#[derive(Debug)]
enum Opening {
    /// No file: the saved state.
    Saved,
    /// A preset, read and checked before the window opens.
    Preset(PathBuf, Box<weightbench::core::Preset>),
    /// Validation outputs (by extension), loaded into the saved state's preset once the
    /// window runs, as a dropped file is.
    Validation(PathBuf),
}

impl Opening {
    /// What `path` opens as: validation outputs by their extension (`.npz`, `.npy`,
    /// `.safetensors`, `.csv`), any other file as a preset.
    ///
    /// # Errors
    /// The message and exit code for a file that cannot be read (1) or an invalid preset (2).
    fn of(path: Option<PathBuf>) -> Result<Self, (String, u8)> {
        let Some(path) = path else {
            return Ok(Self::Saved);
        };
        if Format::of_path(&path).is_some() {
            // Read on a background task once the window runs; a missing file is refused now.
            // Absolute, as the preset and the recent files remember it for later launches.
            return match std::fs::metadata(&path) {
                Ok(_) => Ok(Self::Validation(std::path::absolute(&path).unwrap_or(path))),
                Err(error) => Err((format!("cannot read {}: {error}", path.display()), 1)),
            };
        }
        match load_preset(&path) {
            Ok(preset) => Ok(Self::Preset(path, Box::new(preset))),
            Err(error) => Err((error.to_string(), if error.is_io() { 1 } else { 2 })),
        }
    }
}

/// Opens the window on `path` (a preset, or validation outputs by their extension) or on the
/// saved state; a file that cannot be read, or an invalid preset, is refused before any window
/// opens.
///
/// Validation outputs open in the *Your model* workspace; `workspace`, when given, wins.
///
/// With `WEIGHTBENCH_REPORT_STARTUP` set, the first frame reports its time since `process_start`;
/// with `WEIGHTBENCH_REPORT_LAYOUT=PATH`, the first settled frame's layout goes to `PATH`.
fn run_window(
    path: Option<PathBuf>,
    workspace: Option<Workspace>,
    watch: Option<PathBuf>,
    process_start: std::time::Instant,
) -> ExitCode {
    let opening = match Opening::of(path) {
        Ok(opening) => opening,
        Err((message, code)) => {
            eprintln!("weightbench: {message}");
            return ExitCode::from(code);
        }
    };
    let mut viewport = egui::ViewportBuilder::default()
        .with_title("weightbench")
        .with_app_id(APP_ID)
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
    let store: std::sync::Arc<dyn StateStore> = match StateFile::in_data_folder(APP_ID) {
        Some(file) => std::sync::Arc::new(file),
        None => std::sync::Arc::new(MemoryStore::default()),
    };
    let started = eframe::run_native(
        APP_ID,
        options,
        Box::new(move |cc| {
            let (opened, validation) = match opening {
                Opening::Saved => (None, None),
                Opening::Preset(path, preset) => (Some((path, *preset)), None),
                Opening::Validation(path) => (None, Some(path)),
            };
            let mut app = WeightbenchApp::from_store(
                store,
                cc.storage,
                opened,
                std::sync::Arc::new(NativeDialogs),
            );
            let opens_outputs = validation.is_some() || watch.is_some();
            if let Some(folder) = watch {
                app = app.watching_runs(folder);
            }
            if let Some(path) = validation {
                app = app.loading_validation(path);
            }
            if let Some(workspace) = Workspace::to_open(workspace, opens_outputs) {
                app = app.showing(workspace);
            }
            if let Some(path) = std::env::var_os("WEIGHTBENCH_REPORT_LAYOUT") {
                app = app.reporting_layout(PathBuf::from(path));
            }
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

#[cfg(test)]
mod tests {
    #![allow(
        clippy::unnecessary_wraps,
        reason = "file() returns what the command line gives run_window"
    )]
    use super::*;

    /// `relative` in the package, as given on the command line.
    fn file(relative: &str) -> Option<PathBuf> {
        Some(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(relative))
    }

    #[test]
    fn validation_outputs_open_by_their_extension_and_anything_else_as_a_preset() {
        for data in [
            "tests/data/stored.npz",
            "tests/data/logits_f64.npy",
            "tests/data/outputs.safetensors",
            "tests/data/no_header.csv",
        ] {
            let opening = Opening::of(file(data)).unwrap();
            assert!(
                matches!(&opening, Opening::Validation(path) if path.ends_with(data) && path.is_absolute()),
                "{data}: {opening:?}"
            );
        }
        let relative = Opening::of(Some(PathBuf::from("tests/data/stored.npz"))).unwrap();
        let absolute =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/stored.npz");
        assert!(
            matches!(&relative, Opening::Validation(path) if *path == absolute),
            "{relative:?}"
        );
        let opening = Opening::of(file("presets/notebook.ron")).unwrap();
        assert!(matches!(opening, Opening::Preset(..)), "{opening:?}");
        assert!(matches!(Opening::of(None).unwrap(), Opening::Saved));
    }

    #[test]
    fn a_missing_or_invalid_file_is_refused_with_its_exit_code() {
        let (message, code) = Opening::of(file("tests/data/missing.NPZ")).unwrap_err();
        assert_eq!(code, 1);
        assert!(
            message.starts_with("cannot read ") && message.contains("missing.NPZ"),
            "{message}"
        );
        // Not a preset, whatever else it is.
        let (message, code) = Opening::of(file("Cargo.toml")).unwrap_err();
        assert_eq!(code, 2, "{message}");
        let (_, code) = Opening::of(file("tests/data/missing.ron")).unwrap_err();
        assert_eq!(code, 1);
    }
}
