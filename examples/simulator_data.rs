//! Writes the simulator's synthetic training set for the notebook preset as CSV `label,x1,x2`,
//! so scikit-learn or PyTorch can fit the same points:
//!
//! ```sh
//! cargo run --example simulator_data -- 8000 out.csv        # seed: the simulator's default
//! cargo run --example simulator_data -- 200 small.csv 17    # another seed
//! ```
//!
//! (`weightbench simulate` writes the same data with its own flags; this example needs no CLI.)

use std::process::ExitCode;

use weightbench::core::Preset;
use weightbench::core::simulator::{DataSpec, synthesize};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(samples), Some(path)) = (args.first(), args.get(1)) else {
        eprintln!("usage: simulator_data SAMPLES OUT.csv [SEED]");
        return ExitCode::from(2);
    };
    let Ok(samples) = samples.parse() else {
        eprintln!("SAMPLES: {samples}, expected a whole number");
        return ExitCode::from(2);
    };
    let mut spec = DataSpec {
        samples,
        ..DataSpec::default()
    };
    if let Some(seed) = args.get(2) {
        let Ok(seed) = seed.parse() else {
            eprintln!("SEED: {seed}, expected a whole number");
            return ExitCode::from(2);
        };
        spec.seed = seed;
    }
    let data = match Preset::notebook()
        .map_err(|e| e.to_string())
        .and_then(|preset| synthesize(&preset, &spec).map_err(|e| e.to_string()))
    {
        Ok(data) => data,
        Err(error) => {
            eprintln!("{error}");
            return ExitCode::from(2);
        }
    };
    if let Err(error) = std::fs::write(path, data.train.to_csv()) {
        eprintln!("{path}: {error}");
        return ExitCode::from(1);
    }
    eprintln!("{path}: {} samples", data.train.samples());
    ExitCode::SUCCESS
}
