//! Whole frames of the window, headless: the app's UI on the notebook preset with every
//! panel shown, 11 curves of 201 points plus the batch mean, tessellation included.
//!
//! Run with `cargo bench --bench frame`.

use std::hint::black_box;
use std::path::PathBuf;
use std::sync::Arc;

use criterion::{Criterion, criterion_group, criterion_main};
use eframe::egui;
use weightbench::app::{State, WeightbenchApp};
use weightbench::command::{Command, Workspace};
use weightbench::core::Edit;
use weightbench::core::outcomes::data::{ScoreKind, Scores, ValidationData};
use weightbench::dialog::{DialogKind, DialogOutcome, FileDialogs};

/// The benchmark never opens a dialog.
struct NoDialogs;

impl FileDialogs for NoDialogs {
    fn pick(&self, _: DialogKind, _: Option<PathBuf>) -> DialogOutcome {
        DialogOutcome {
            path: None,
            elapsed: std::time::Duration::ZERO,
        }
    }
}

fn input() -> egui::RawInput {
    egui::RawInput {
        screen_rect: Some(egui::Rect::from_min_size(
            egui::Pos2::ZERO,
            egui::vec2(1600.0, 1000.0),
        )),
        ..Default::default()
    }
}

/// One frame: the UI pass, then tessellation into meshes ready for the GPU.
fn frame(ctx: &egui::Context, app: &mut WeightbenchApp) -> usize {
    let mut output = ctx.run_ui(input(), |ui| {
        app.poll(ui.ctx());
        app.show(ui);
    });
    // eframe would upload these font-atlas changes to the GPU; there is none here.
    output.textures_delta.clear();
    ctx.tessellate(output.shapes, output.pixels_per_point).len()
}

#[path = "../examples/large_preset.rs"]
mod large_preset;

fn frames(c: &mut Criterion) {
    let ctx = egui::Context::default();
    let mut app = WeightbenchApp::new(State::default(), Arc::new(NoDialogs));
    for _ in 0..5 {
        frame(&ctx, &mut app); // fonts and layout caches warm, as after the first frames
    }
    c.bench_function("frame: notebook, all panels, tessellated", |b| {
        b.iter(|| black_box(frame(&ctx, &mut app)));
    });
    let weights: Vec<f64> = weightbench::core::SweepRange::default().grid();
    let mut next = weights.iter().cycle();
    c.bench_function(
        "frame while dragging the debris weight (re-evaluated every frame)",
        |b| {
            b.iter(|| {
                let weight = *next.next().unwrap_or(&1.0);
                app.apply(&ctx, Command::Edit(Edit::ClassWeight(3, weight)));
                black_box(frame(&ctx, &mut app))
            });
        },
    );
}

/// The window at 100 classes and 2000 scenarios: a plain frame, and frames that drag the
/// debris weight and a rare class's weight.
fn frames_at_scale(c: &mut Criterion) {
    let preset = large_preset::large_preset(100, 2000);
    let debris = preset.debris;
    let state = State {
        document: weightbench::app::state::Document::opened(preset, None),
        ..State::default()
    };
    let ctx = egui::Context::default();
    let mut app = WeightbenchApp::new(state, Arc::new(NoDialogs));
    for _ in 0..5 {
        frame(&ctx, &mut app);
    }
    c.bench_function("frame: 100 classes x 2000 scenarios, tessellated", |b| {
        b.iter(|| black_box(frame(&ctx, &mut app)));
    });
    let weights: Vec<f64> = weightbench::core::SweepRange::default().grid();
    let mut next = weights.iter().cycle();
    c.bench_function("frame at scale while dragging the debris weight", |b| {
        b.iter(|| {
            let weight = *next.next().unwrap_or(&1.0);
            app.apply(&ctx, Command::Edit(Edit::ClassWeight(debris, weight)));
            black_box(frame(&ctx, &mut app))
        });
    });
    let mut next = weights.iter().cycle();
    c.bench_function("frame at scale while dragging a rare class's weight", |b| {
        b.iter(|| {
            let weight = *next.next().unwrap_or(&1.0);
            app.apply(&ctx, Command::Edit(Edit::ClassWeight(0, weight)));
            black_box(frame(&ctx, &mut app))
        });
    });
}

/// A million validation samples of 4 classes, float32 scores, seeded.
fn million_samples() -> ValidationData {
    let samples = 1_000_000;
    let mut state = 12_345_u64;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut scores = Vec::with_capacity(samples * 4);
    let mut labels = Vec::with_capacity(samples);
    for _ in 0..samples {
        let label: u32 = match next() % 100 {
            0..=30 => 0,
            31..=32 => 1,
            33..=39 => 2,
            _ => 3,
        };
        for c in 0..4 {
            #[allow(clippy::cast_precision_loss, reason = "a few random bits as a score")]
            let noise = (next() % 10_000) as f32 / 2_500.0 - 2.0;
            scores.push(if c == label { noise + 1.5 } else { noise });
        }
        labels.push(label);
    }
    ValidationData {
        source: "bench".to_owned(),
        classes: 4,
        kind: ScoreKind::Logits,
        scores: Scores::F32(scores),
        labels,
    }
}

/// A frame whose input holds the primary button down, as during a drag: the slow parts of
/// the Outcomes view wait for the drag to end, as they do for a user.
fn dragging_frame(ctx: &egui::Context, app: &mut WeightbenchApp) -> usize {
    let mut raw = input();
    raw.events.push(egui::Event::PointerButton {
        pos: egui::pos2(1500.0, 980.0),
        button: egui::PointerButton::Primary,
        pressed: true,
        modifiers: egui::Modifiers::NONE,
    });
    let mut output = ctx.run_ui(raw, |ui| {
        app.poll(ui.ctx());
        app.show(ui);
    });
    output.textures_delta.clear();
    ctx.tessellate(output.shapes, output.pixels_per_point).len()
}

/// The Outcomes view with a million samples loaded, while a weight is dragged.
fn frames_with_validation_data(c: &mut Criterion) {
    let ctx = egui::Context::default();
    let mut app = WeightbenchApp::new(State::default(), Arc::new(NoDialogs));
    app.use_validation_data(million_samples(), PathBuf::from("bench.npz"));
    app.apply(
        &ctx,
        Command::Action(weightbench::command::Action::ShowWorkspace(
            Workspace::Outcomes,
        )),
    );
    // Let the preparation and the bootstrap finish before measuring.
    while app.is_busy() {
        frame(&ctx, &mut app);
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    for _ in 0..3 {
        frame(&ctx, &mut app);
    }
    let weights: Vec<f64> = weightbench::core::SweepRange::default().grid();
    let mut next = weights.iter().skip(1).cycle();
    c.bench_function(
        "frame, Outcomes on 1M samples, dragging the debris weight",
        |b| {
            b.iter(|| {
                let weight = *next.next().unwrap_or(&1.0);
                app.apply(&ctx, Command::Edit(Edit::ClassWeight(3, weight)));
                black_box(dragging_frame(&ctx, &mut app))
            });
        },
    );
    let mut next = weights.iter().skip(1).cycle();
    c.bench_function(
        "frame, Outcomes on 1M samples, dragging a rare class's weight",
        |b| {
            b.iter(|| {
                let weight = *next.next().unwrap_or(&1.0);
                app.apply(
                    &ctx,
                    Command::Edit(Edit::ClassWeight(1, 10.0 * weight + 0.1)),
                );
                black_box(dragging_frame(&ctx, &mut app))
            });
        },
    );
}

criterion_group!(
    benches,
    frames,
    frames_at_scale,
    frames_with_validation_data
);
criterion_main!(benches);
