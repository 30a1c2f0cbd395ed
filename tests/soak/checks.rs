//! Finding numbers that are not finite: in a value's `Debug` text (every `f64` field of the
//! results the app exposes), and in the texts of the window's accessibility tree (what a
//! screen reader, and a user, reads).

use std::fmt::Write as _;

use egui_kittest::Harness;
use egui_kittest::kittest::{AccessKitNode, Queryable as _};
use weightbench::app::WeightbenchApp;
use weightbench::core::{Preset, parse_preset, preset_to_ron};

use crate::driver::Driver;

/// The first `NaN`, `inf` or `-inf` in a `Debug` text outside its quoted strings, with the
/// text before it (which names the field).
pub fn non_finite_in_debug(text: &str) -> Option<String> {
    let mut token_start = None;
    let mut in_string = false;
    let mut escaped = false;
    let ends_token = |start: usize, end: usize| {
        let token = &text[start..end];
        matches!(token, "NaN" | "inf" | "-inf").then(|| {
            let from = text[..start]
                .char_indices()
                .rev()
                .nth(80)
                .map_or(0, |(i, _)| i);
            format!("…{}", &text[from..end])
        })
    };
    for (i, c) in text.char_indices() {
        if in_string {
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
            continue;
        }
        let in_token = c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-' | '+');
        match (token_start, in_token) {
            (None, true) => token_start = Some(i),
            (Some(start), false) => {
                if let Some(found) = ends_token(start, i) {
                    return Some(found);
                }
                token_start = None;
            }
            _ => {}
        }
        if c == '"' {
            in_string = true;
        }
    }
    token_start.and_then(|start| ends_token(start, text.len()))
}

/// Every text of the accessibility tree (labels, values, descriptions) that shows a number
/// that is not finite (a word that reads as NaN or infinity, or `∞`), and how many texts
/// were read.
///
/// `exempt` is left out: the status bar's notice of a refused edit, which quotes the value
/// the user gave ("weight is NaN, expected a finite number >= 0").
pub fn non_finite_in_labels(
    harness: &Harness<'_, WeightbenchApp>,
    exempt: Option<&str>,
) -> (Vec<String>, usize) {
    let mut found = Vec::new();
    let mut read = 0;
    visit(harness.kittest_state().root(), &mut |text| {
        read += 1;
        if Some(text) != exempt && shows_non_finite(text) {
            found.push(text.to_owned());
        }
    });
    (found, read)
}

fn visit(node: AccessKitNode<'_>, found: &mut impl FnMut(&str)) {
    for text in [node.label(), node.value(), node.description()]
        .into_iter()
        .flatten()
    {
        found(&text);
    }
    for child in node.children() {
        visit(child, found);
    }
}

/// Whether `text` holds a word that parses as a non-finite number ("NaN", "inf", "-inf",
/// "Infinity"), or the infinity sign.
pub fn shows_non_finite(text: &str) -> bool {
    text.contains('∞')
        || text
            .split(|c: char| c.is_whitespace() || ",;:()[]{}=/%×\"'<>|".contains(c))
            .map(|word| word.trim_end_matches('.'))
            .any(|word| word.parse::<f64>().is_ok_and(|x| !x.is_finite()))
}

#[test]
fn the_scanners_find_what_they_should_and_nothing_else() {
    assert_eq!(non_finite_in_debug("A { x: 1.0, name: \"NaN inf\" }"), None);
    assert!(non_finite_in_debug("A { x: NaN }").is_some());
    assert!(non_finite_in_debug("[1.0, -inf]").is_some());
    assert!(non_finite_in_debug("[inf]").is_some());
    assert_eq!(
        non_finite_in_debug("Info { inference: 1e-300, \"q\\\"inf\" }"),
        None
    );
    assert!(shows_non_finite("loss inf"));
    assert!(shows_non_finite("weight: NaN."));
    assert!(shows_non_finite("(-inf)"));
    assert!(shows_non_finite("∞"));
    assert!(!shows_non_finite(
        "expected a finite number; infinite losses"
    ));
    assert!(!shows_non_finite("1e308 and 0.5"));
}

/// Fails with the field's place when `value`'s `Debug` text holds a number that is not
/// finite.
pub fn all_finite(what: &str, value: &impl std::fmt::Debug) {
    if let Some(found) = non_finite_in_debug(&format!("{value:?}")) {
        panic!("{what} holds a number that is not finite: {found}");
    }
}

/// What must hold after every op: the preset validates and is the one the history says,
/// Undo and Redo are offered as it says, RON gives the preset back, the selection is in
/// range, and no number the app computed or shows is NaN or infinite.
pub fn invariants(driver: &mut Driver) {
    let app = driver.harness.state();
    let preset = app.preset();
    if let Err(error) = preset.validate() {
        panic!("the preset does not validate: {error}");
    }
    same_preset(preset, driver.history.current(), "the history's preset");
    assert_eq!(app.can_undo(), driver.history.can_undo(), "Undo offered");
    assert_eq!(app.can_redo(), driver.history.can_redo(), "Redo offered");
    let text = preset_to_ron(preset).unwrap();
    same_preset(
        &parse_preset(&text, "the soak's preset").unwrap(),
        preset,
        "written as RON and read back",
    );
    let scenarios = preset.scenarios.len();
    assert!(
        app.selected().is_none_or(|s| s < scenarios),
        "selected {:?} of {scenarios} scenarios",
        app.selected()
    );
    assert_eq!(app.title().starts_with("* "), app.has_unsaved_changes());
    if let Some(evaluation) = app.evaluation() {
        all_finite("the evaluation", evaluation);
        all_finite("the sweep", app.sweep().expect("and swept"));
    } else {
        // Finite inputs whose loss overflows (a logit of 1e308): the views say so instead, the
        // status bar in every workspace and a hand-case pane when one is shown.
        let told = driver
            .harness
            .query_all_by_label_contains(
                "is not a finite number: the logits or weights are too large",
            )
            .next()
            .is_some();
        assert!(
            told,
            "a valid preset is evaluated, or the views say why not"
        );
        driver.stats.overflows += 1;
    }
    if let Some(outcomes) = app.outcomes() {
        all_finite("the current outcomes", &outcomes.current);
        all_finite("the outcomes' loss", &outcomes.loss);
        // Documented: -inf where a class can never be predicted (weight or share 0).
        let prior = &preset.validation.deploy_prior;
        for (c, shift) in outcomes.shift.iter().enumerate() {
            let never = preset.classes[c].weight == 0.0 || prior.get(c) == Some(&0.0);
            assert!(
                shift.is_finite() || (*shift == f64::NEG_INFINITY && never),
                "shift[{c}] = {shift} at weight {}",
                preset.classes[c].weight
            );
        }
        driver.stats.outcomes += 1;
    }
    if let Some(suggestion) = app.suggestion() {
        all_finite("the suggestion", suggestion);
    }
    if let Some(simulation) = app.simulation() {
        all_finite("the simulation", simulation);
    }
    let (shown, read) = non_finite_in_labels(&driver.harness, driver.refusal.as_deref());
    assert!(
        shown.is_empty(),
        "the window shows numbers that are not finite: {shown:?}"
    );
    driver.stats.labels += read;
}

/// Fails, showing the lines of RON that differ, unless `shown` is `expected`.
#[track_caller]
pub fn same_preset(shown: &Preset, expected: &Preset, what: &str) {
    if shown == expected {
        return;
    }
    let shown_text = preset_to_ron(shown).unwrap_or_else(|e| format!("{e}"));
    let expected_text = preset_to_ron(expected).unwrap_or_else(|e| format!("{e}"));
    let shown_lines: Vec<&str> = shown_text.lines().collect();
    let expected_lines: Vec<&str> = expected_text.lines().collect();
    let mut diff = String::new();
    for i in 0..shown_lines.len().max(expected_lines.len()) {
        let (a, b) = (shown_lines.get(i), expected_lines.get(i));
        if a != b {
            let _ = write!(
                diff,
                "  line {i}\n    shown:    {a:?}\n    expected: {b:?}\n"
            );
        }
    }
    if diff.is_empty() {
        // Equal as text: a difference RON does not show (-0.0 and 0.0 compare equal; NaN).
        diff = format!("  (same RON)\n    shown:    {shown:?}\n    expected: {expected:?}\n");
    }
    panic!("{what}: the preset differs\n{diff}");
}
