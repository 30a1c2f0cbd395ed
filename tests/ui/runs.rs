//! Runs in the window: added from the menu, dropped several at once, and written into a watched
//! folder (atomically, and half-written first) while the window runs; the Runs pane and the
//! trade plot's readout show them.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use eframe::egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};
use weightbench::app::WeightbenchApp;
use weightbench::command::Command;
use weightbench::core::Edit;
use weightbench::core::rng::SplitMix64;

use crate::common::writers::run_npz;
use crate::support::{SHIFT_COMMAND, drop_files, harness, settle, shortcut};

/// The notebook's weights with debris weight `debris`.
fn weights(debris: f64) -> [f64; 4] {
    [0.8, 26.0, 4.0, debris]
}

/// A run file of 400 samples whose debris logit moves with `ln` of its debris weight.
fn run_bytes(debris: f64, seed: u64) -> Vec<u8> {
    let mut rng = SplitMix64::new(seed);
    let samples = 400;
    let mut labels = Vec::with_capacity(samples);
    let mut logits = Vec::with_capacity(samples * 4);
    for i in 0..samples {
        let label = [0, 0, 1, 2, 3, 3, 3, 3][i % 8];
        labels.push(label);
        for class in 0..4 {
            let noise = rng.uniform() * 2.0 - 1.0;
            let mut z = if class == usize::try_from(label).unwrap() {
                1.5
            } else {
                0.0
            } + noise;
            if class == 3 {
                z += 0.7 * (debris / 0.4_f64).ln();
            }
            #[allow(clippy::cast_possible_truncation, reason = "float32 logits, as saved")]
            logits.push(z as f32);
        }
    }
    run_npz(
        &logits,
        4,
        &labels,
        &weights(debris),
        Some(seed.cast_signed()),
        None,
    )
}

fn write_run(folder: &Path, name: &str, debris: f64) -> PathBuf {
    let path = folder.join(name);
    std::fs::write(&path, run_bytes(debris, 7)).unwrap();
    path
}

/// Steps the window (frames, as the real one gets with its timers) until `label` shows, for at
/// most `budget`; how long it took.
fn until_shown(
    harness: &mut Harness<'_, WeightbenchApp>,
    label: &str,
    budget: Duration,
) -> Option<Duration> {
    let start = Instant::now();
    while start.elapsed() < budget {
        harness.step();
        if harness.query_by_label(label).is_some() {
            return Some(start.elapsed());
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    None
}

/// A node's text, whether accesskit holds it as its label or as its value.
fn text_of(node: &egui_kittest::Node<'_>) -> String {
    let node = node.accesskit_node();
    node.label().or_else(|| node.value()).unwrap_or_default()
}

fn show_runs(harness: &mut Harness<'_, WeightbenchApp>) {
    shortcut(harness, Modifiers::COMMAND, Key::Num2);
    harness.get_by_label("Runs").click();
    settle(harness);
}

#[test]
fn runs_added_from_the_menu_and_dropped_show_in_the_pane_and_on_the_trade_plot() {
    let folder = tempfile::tempdir().unwrap();
    let low = write_run(folder.path(), "low.npz", 0.05);
    let middle = write_run(folder.path(), "middle.npz", 0.4);
    let high = write_run(folder.path(), "high.npz", 3.2);
    let (mut harness, dialogs) = harness();
    show_runs(&mut harness);
    assert!(
        harness
            .query_by_label_contains("Add your retrains")
            .is_some()
    );
    dialogs.answer(&middle);
    shortcut(&mut harness, SHIFT_COMMAND, Key::L);
    settle(&mut harness);
    assert!(
        harness.query_by_label("middle.npz").is_some(),
        "the run added is listed"
    );
    drop_files(&mut harness, &[low, high]);
    for name in ["low.npz", "middle.npz", "high.npz"] {
        assert!(harness.query_by_label(name).is_some(), "{name} is listed");
    }
    assert!(
        harness
            .query_by_label_contains("On your runs, a preview from a run 8x away missed")
            .is_some()
    );
    assert!(
        harness
            .query_by_label_contains("weight 0.4, the estimate:")
            .is_some(),
        "the trade plot's readout gives the estimate at the current weight"
    );
    assert!(
        harness
            .query_by_label_contains("Where to retrain next")
            .is_some()
    );
    harness.check_accessibility();
    // Clear runs forgets them.
    harness.get_by_label("Clear runs").click();
    settle(&mut harness);
    assert!(harness.query_by_label("middle.npz").is_none());
}

#[test]
fn a_run_that_does_not_share_the_validation_set_is_refused_naming_it() {
    let folder = tempfile::tempdir().unwrap();
    let first = write_run(folder.path(), "first.npz", 0.4);
    let other = folder.path().join("other.npz");
    let logits: Vec<f32> = (0..40u8).map(|i| f32::from(i % 7) - 3.0).collect();
    std::fs::write(
        &other,
        run_npz(&logits, 4, &[0; 10], &weights(1.0), None, None),
    )
    .unwrap();
    let (mut harness, dialogs) = harness();
    show_runs(&mut harness);
    dialogs.answer(&first);
    shortcut(&mut harness, SHIFT_COMMAND, Key::L);
    settle(&mut harness);
    dialogs.answer(&other);
    shortcut(&mut harness, SHIFT_COMMAND, Key::L);
    settle(&mut harness);
    assert!(
        harness.query_by_label("first.npz").is_some(),
        "the first run is kept"
    );
    assert!(
        harness
            .query_all_by_label_contains("other.npz: row 2 is labelled 0")
            .next()
            .is_some(),
        "the refusal names the file and the row"
    );
}

#[test]
fn a_run_written_into_the_watched_folder_appears_within_2_s_and_a_half_written_one_is_retried() {
    let folder = tempfile::tempdir().unwrap();
    write_run(folder.path(), "first.npz", 0.4);
    let (mut harness, dialogs) = harness();
    show_runs(&mut harness);
    dialogs.answer(folder.path());
    shortcut(&mut harness, SHIFT_COMMAND, Key::O);
    settle(&mut harness);
    assert!(
        until_shown(&mut harness, "first.npz", Duration::from_secs(3)).is_some(),
        "the folder's run is read at once"
    );

    // A writer on another thread saves a run atomically: a temporary name, then a rename.
    let (sender, renamed) = mpsc::channel();
    let target = folder.path().to_owned();
    let writer = std::thread::Builder::new()
        .name("run-writer".to_owned())
        .spawn(move || {
            let temporary = target.join(".second.npz.tmp");
            std::fs::write(&temporary, run_bytes(3.2, 9)).unwrap();
            std::fs::rename(&temporary, target.join("second.npz")).unwrap();
            sender.send(Instant::now()).unwrap();
        })
        .unwrap();
    writer.join().unwrap();
    let written = renamed.recv().unwrap();
    let shown = until_shown(&mut harness, "second.npz", Duration::from_secs(5));
    assert!(shown.is_some(), "the run written appears without a restart");
    assert!(
        written.elapsed() < Duration::from_millis(2500),
        "within 2 s of the rename (frames included): {:?}",
        written.elapsed()
    );

    // A writer that does not rename: the window catches the file half-written, retries, and
    // reads it once it is whole; it is never shown as refused.
    let bytes = run_bytes(0.05, 11);
    let third = folder.path().join("third.npz");
    std::fs::write(&third, &bytes[..bytes.len() / 2]).unwrap();
    let start = Instant::now();
    while start.elapsed() < Duration::from_millis(1500) {
        harness.step();
        let refusals = harness
            .query_all_by_label_contains("third.npz: ")
            .filter(|node| !text_of(node).contains("trying again"))
            .count();
        assert_eq!(refusals, 0, "a half-written file is not refused");
        std::thread::sleep(Duration::from_millis(20));
    }
    std::fs::write(&third, &bytes).unwrap();
    assert!(
        until_shown(&mut harness, "third.npz", Duration::from_secs(3)).is_some(),
        "the whole file is read"
    );
    assert!(harness.query_by_label_contains("trying again").is_none());
}

#[test]
fn a_watched_run_refused_for_the_presets_classes_is_read_once_they_match() {
    let folder = tempfile::tempdir().unwrap();
    write_run(folder.path(), "four.npz", 0.4);
    let (mut harness, _) = harness();
    let apply = |harness: &mut Harness<'_, WeightbenchApp>, command: Command| {
        let ctx = harness.ctx.clone();
        harness.state_mut().apply(&ctx, command);
        settle(harness);
    };
    apply(&mut harness, Command::Edit(Edit::AddClass));
    apply(
        &mut harness,
        Command::WatchRuns(Some(folder.path().to_owned())),
    );
    show_runs(&mut harness);
    // Read against five classes, three times over: refused, saying why.
    let start = Instant::now();
    let refusal = "four.npz: class_weights has shape (4,), expected (5,)";
    while harness
        .query_all_by_label_contains(refusal)
        .next()
        .is_none()
        && start.elapsed() < Duration::from_secs(5)
    {
        harness.step();
        std::thread::sleep(Duration::from_millis(20));
    }
    let seen: Vec<String> = harness
        .query_all_by_label_contains("four.npz")
        .map(|node| text_of(&node))
        .collect();
    assert!(
        harness
            .query_all_by_label_contains(refusal)
            .next()
            .is_some(),
        "the refusal is shown once retries are over: {seen:?}, {} classes",
        harness.state().preset().classes.len()
    );
    assert_eq!(harness.state().runs_read(), 0);
    apply(&mut harness, Command::Edit(Edit::RemoveClass(4)));
    let start = Instant::now();
    while harness.state().runs_read() == 0 && start.elapsed() < Duration::from_secs(3) {
        harness.step();
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(
        harness.state().runs_read(),
        1,
        "read again for four classes"
    );
}
