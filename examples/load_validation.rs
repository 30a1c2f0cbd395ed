//! Loads a validation file with the app's reader and prints what it holds, how long it took and
//! the process's peak memory, for measuring the readers on large files:
//!
//! ```sh
//! cargo run --release --example load_validation -- val.npz 4
//! cargo run --release --example load_validation -- logits.npy 4 labels.npy
//! cargo run --release --example load_validation -- val.csv "class1,class2,class3,class4 (debris)"
//! ```
//!
//! Arguments: the file; the classes, as their number C (named `class1` to `classC`) or as
//! their names separated by commas (a CSV header must name them); and a labels `.npy` for a
//! `.npy` of logits.
#![allow(clippy::print_stdout, reason = "printing the measurement is the job")]

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use weightbench::core::outcomes::read;

/// The peak resident set of this process (`VmHWM` in `/proc/self/status`), if the system
/// tells it.
fn peak_resident_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let (Some(path), Some(classes)) = (args.next(), args.next()) else {
        eprintln!("usage: load_validation FILE CLASSES|NAME,NAME,... [LABELS.npy]");
        return ExitCode::from(2);
    };
    let class_names: Vec<String> = match classes.parse::<usize>() {
        Ok(count) => (1..=count).map(|c| format!("class{c}")).collect(),
        Err(_) => classes.split(',').map(str::to_owned).collect(),
    };
    let labels = args.next().map(PathBuf::from);
    let before = peak_resident_kib().unwrap_or(0);
    let start = Instant::now();
    let mut reports = 0;
    let loaded = read::load(
        &PathBuf::from(&path),
        labels.as_deref(),
        &class_names,
        &mut |_| {
            reports += 1;
            true
        },
    );
    let seconds = start.elapsed().as_secs_f64();
    match loaded {
        Ok(data) => {
            let mib = |bytes: u64| bytes as f64 / f64::from(1 << 20);
            println!(
                "{path}: {} samples x {} classes, {:?}, {:.1} MiB of scores and labels",
                data.samples(),
                data.classes,
                data.kind,
                mib(data.bytes() as u64)
            );
            let peak = peak_resident_kib().unwrap_or(0);
            println!(
                "loaded in {seconds:.3} s ({reports} progress reports); peak RSS {:.1} MiB (before loading {:.1} MiB), {:.2}x the data",
                mib(peak * 1024),
                mib(before * 1024),
                (peak * 1024) as f64 / data.bytes() as f64
            );
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("{error}");
            ExitCode::from(if error.is_io() { 1 } else { 2 })
        }
    }
}
