//! The soak test: a seeded stream of random commands drives the real window
//! (edits of every kind, bad values among them, undo and redo, selections, every view,
//! validation outputs loaded and cancelled, simulations started and cancelled, files saved
//! and opened) and after each one checks that the preset validates and is the one its
//! history leads to, that RON gives it back, and that no number computed or shown is NaN or
//! infinite; every few hundred commands, and at the end, Undo all the way reaches the first
//! preset (or the oldest the history keeps) and Redo all the way the last.
//!
//! `cargo test --test soak` runs the CI count; `cargo test --test soak -- --ignored` the full
//! 10,000. `WEIGHTBENCH_SOAK_SEED` and `WEIGHTBENCH_SOAK_STEPS` replay a failure, which
//! prints its seed, step and last commands.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test that cannot unwrap should fail loudly, right there"
)]
#![allow(
    clippy::float_cmp,
    reason = "exact equality is what these tests assert"
)]
#![allow(
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    reason = "small counts turned into test values"
)]

mod checks;
mod driver;
mod history;
mod mix;
mod regressions;

use std::collections::VecDeque;
use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};
use std::sync::Mutex;
use std::time::Instant;

use driver::Driver;
use mix::Mix;

/// The seed unless `WEIGHTBENCH_SOAK_SEED` gives another.
const SEED: u64 = 0x5EED_0012;

/// Commands between two walks through the whole undo history (each followed by a save and an
/// open through the app).
const WALK_EVERY: usize = 250;

/// How many of the last commands a failure prints.
const REMEMBERED: usize = 20;

/// Panics on other threads than the soak's (the app's background work), as they happen.
static BACKGROUND_PANICS: Mutex<Vec<String>> = Mutex::new(Vec::new());

/// Records every panic off the soak's thread: the app turns one into "stopped unexpectedly",
/// which the soak must not take for an answer.
fn record_background_panics() {
    let soak_thread = std::thread::current().id();
    let report = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let thread = std::thread::current();
        if thread.id() != soak_thread {
            let name = thread.name().unwrap_or("unnamed").to_owned();
            BACKGROUND_PANICS
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .push(format!("thread {name}: {info}"));
        }
        report(info);
    }));
}

/// Fails if background work panicked since the last call.
fn no_background_panics() {
    let panics = std::mem::take(
        &mut *BACKGROUND_PANICS
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner),
    );
    assert!(panics.is_empty(), "background work panicked: {panics:#?}");
}

fn from_env(name: &str, default: u64) -> u64 {
    std::env::var(name).map_or(default, |value| {
        let value = value.trim();
        let parsed = match value.strip_prefix("0x") {
            Some(hex) => u64::from_str_radix(hex, 16),
            None => value.parse(),
        };
        parsed.unwrap_or_else(|_| panic!("{name}={value}: expected a number"))
    })
}

/// Drives the window through `steps` commands drawn from `seed`, checking after each.
fn soak(default_steps: u64) {
    let seed = from_env("WEIGHTBENCH_SOAK_SEED", SEED);
    let steps = usize::try_from(from_env("WEIGHTBENCH_SOAK_STEPS", default_steps)).unwrap();
    eprintln!("soak: seed {seed:#x}, {steps} commands");
    let start = Instant::now();
    record_background_panics();
    let mut driver = Driver::new();
    let mut mix = Mix::new(seed);
    let mut recent: VecDeque<String> = VecDeque::new();
    for step in 0..=steps {
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            if step == steps {
                driver.walk_history();
                checks::invariants(&mut driver);
                return;
            }
            let op = mix.op(&driver.scene());
            let mut said = format!("{step}: {op:?}");
            if said.len() > 300 {
                let cut = (0..=300).rev().find(|&i| said.is_char_boundary(i));
                said.truncate(cut.unwrap_or(0));
                said.push('…');
            }
            recent.push_back(said);
            if recent.len() > REMEMBERED {
                recent.pop_front();
            }
            let started = Instant::now();
            driver.perform(&op);
            let performed = Instant::now();
            no_background_panics();
            checks::invariants(&mut driver);
            let checked = Instant::now();
            let time = &mut driver.stats.time;
            *time.entry(driver::op_name(&op)).or_default() += performed - started;
            *time.entry("(checks after each command)").or_default() += checked - performed;
            if (step + 1) % WALK_EVERY == 0 {
                // The whole history, then the preset through a real save and open.
                driver.walk_history();
                checks::invariants(&mut driver);
                driver.perform(&mix::Op::RoundTrip);
                checks::invariants(&mut driver);
                *driver.stats.time.entry("(history walks)").or_default() += checked.elapsed();
            }
        }));
        if let Err(panic) = outcome {
            eprintln!(
                "\nsoak failed at command {step} of {steps} (seed {seed:#x}); replay with\n  \
                 WEIGHTBENCH_SOAK_SEED={seed:#x} WEIGHTBENCH_SOAK_STEPS={} cargo test --test soak soak_in_ci -- --nocapture\n\
                 the last commands:",
                step + 1
            );
            for said in &recent {
                eprintln!("  {said}");
            }
            let shown = std::env::temp_dir().join("weightbench-soak-failure.ron");
            let preset = driver.harness.state().preset();
            if let Ok(text) = weightbench::core::preset_to_ron(preset)
                && std::fs::write(&shown, text).is_ok()
            {
                eprintln!("the preset shown then: {}", shown.display());
            }
            resume_unwind(panic);
        }
    }
    report(&driver, steps, start);
}

/// Prints what the soak did, and where its time went.
fn report(driver: &Driver, steps: usize, start: Instant) {
    let stats = &driver.stats;
    eprintln!(
        "soak: {steps} commands in {:.1} s; edits {} accepted, {} refused ({} bad on purpose); \
         {} history walks ({} stopped by the cap of {}, deepest {} steps); {} simulations and \
         {} prepared outcomes checked; {} saves, {} opens, {} runs added; {} accessibility texts read; \
         {} steps with an overflowing loss, told; {} simulations cancelled after 20 s",
        start.elapsed().as_secs_f64(),
        stats.accepted,
        stats.refused,
        stats.refused_on_purpose,
        stats.walks,
        stats.capped_walks,
        history::MAX_UNDOS,
        stats.deepest_walk,
        stats.simulations,
        stats.outcomes,
        stats.saves,
        stats.opens,
        stats.runs,
        stats.labels,
        stats.overflows,
        stats.slow_simulations,
    );
    for (op, count) in &stats.ops {
        let seconds = stats
            .time
            .get(op)
            .map_or(0.0, std::time::Duration::as_secs_f64);
        eprintln!("  {count:>6}  {op} ({seconds:.1} s)");
    }
    for what in ["(checks after each command)", "(history walks)"] {
        let seconds = stats
            .time
            .get(what)
            .map_or(0.0, std::time::Duration::as_secs_f64);
        eprintln!("          {what} ({seconds:.1} s)");
    }
    if stats.missing_toggles > 0 {
        eprintln!(
            "  ({} Outcomes check boxes not found)",
            stats.missing_toggles
        );
    }
}

#[test]
fn soak_in_ci() {
    soak(1_000);
}

#[test]
#[ignore = "the full soak, 10,000 commands: cargo test --test soak -- --ignored"]
fn soak_full() {
    soak(10_000);
}
