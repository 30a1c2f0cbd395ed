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
use weightbench::command::Command;
use weightbench::core::Edit;
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
        baseline: preset.clone(),
        preset,
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

criterion_group!(benches, frames, frames_at_scale);
criterion_main!(benches);
