//! Writes a large preset (RON) to standard output, for trying the window at scale:
//!
//! ```sh
//! cargo run --release --example large_preset -- 100 2000 > large.ron
//! cargo run --release -- large.ron
//! ```
//!
//! Arguments: the number of classes (default 100) and of scenarios (default 2000). The last
//! class is debris; every scenario's truth and logits come from a fixed seed, so the file is
//! the same every time.

use std::io::Write as _;

use weightbench::core::preset::PRESET_VERSION;
use weightbench::core::{Class, Preset, Scenario, preset_to_ron};

/// `SplitMix64`: a tiny generator, good enough to scatter logits.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    #[allow(clippy::cast_precision_loss, reason = "53 random bits, exact in f64")]
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// A preset of `classes` classes (the last one debris, the most numerous) and `scenarios`
/// scenarios with logits in [-10, 10), two decimals each.
#[must_use]
pub fn large_preset(classes: usize, scenarios: usize) -> Preset {
    let mut random = SplitMix64(2026);
    let debris = classes - 1;
    let classes_list: Vec<Class> = (0..classes)
        .map(|c| {
            let count = if c == debris {
                100_000
            } else {
                10 + (c as u64 * 37) % 500
            };
            Class {
                name: if c == debris {
                    "debris".to_owned()
                } else {
                    format!("class{}", c + 1)
                },
                count,
                weight: if c == debris {
                    0.4
                } else {
                    1.0 + (c % 7) as f64
                },
            }
        })
        .collect();
    #[allow(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "an index below classes"
    )]
    let scenarios_list = (0..scenarios)
        .map(|s| {
            let truth = if s % 2 == 0 {
                debris
            } else {
                (random.unit() * classes as f64) as usize % classes
            };
            let logits = (0..classes)
                .map(|_| ((random.unit() * 20.0 - 10.0) * 100.0).round() / 100.0)
                .collect();
            Scenario {
                name: format!("scenario {}", s + 1),
                truth,
                logits,
            }
        })
        .collect();
    Preset {
        version: PRESET_VERSION,
        name: format!("{classes} classes, {scenarios} scenarios"),
        classes: classes_list,
        debris,
        scenarios: scenarios_list,
        sweep: weightbench::core::SweepRange::default(),
        loss: weightbench::core::LossOptions::default(),
        validation: weightbench::core::preset::ValidationSettings::default(),
        margins: Vec::new(),
        costs: Vec::new(),
    }
}

#[allow(
    dead_code,
    reason = "benches include this file for `large_preset` alone"
)]
fn main() -> std::process::ExitCode {
    let mut arguments = std::env::args().skip(1).map(|a| a.parse::<usize>());
    let classes = arguments.next().unwrap_or(Ok(100));
    let scenarios = arguments.next().unwrap_or(Ok(2000));
    let (Ok(classes @ 2..), Ok(scenarios)) = (classes, scenarios) else {
        eprintln!("usage: large_preset [CLASSES >= 2] [SCENARIOS]");
        return std::process::ExitCode::from(2);
    };
    let text = match preset_to_ron(&large_preset(classes, scenarios)) {
        Ok(text) => text,
        Err(error) => {
            eprintln!("large_preset: {error}");
            return std::process::ExitCode::from(1);
        }
    };
    match std::io::stdout().lock().write_all(text.as_bytes()) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(_) => std::process::ExitCode::from(1),
    }
}
