//! Every number the seed notebook prints, reproduced from presets/notebook.ron through the library.

use crate::common;

use common::{
    EXACT_BATCH_MEAN, EXACT_BATCH_SUM, IDEAS, NOTEBOOK_CASES, NOTEBOOK_WEIGHTS,
    assert_matches_printed, relative_error, ulps,
};
use weightbench::core::{Evaluation, Preset, Sweep, load_preset};

fn notebook_file() -> Preset {
    load_preset(concat!(env!("CARGO_MANIFEST_DIR"), "/presets/notebook.ron").as_ref()).unwrap()
}

#[test]
fn notebook_preset_is_the_seed() {
    let preset = notebook_file();
    let classes: Vec<(&str, u64, f64)> = preset
        .classes
        .iter()
        .map(|c| (c.name.as_str(), c.count, c.weight))
        .collect();
    assert_eq!(
        classes,
        [
            ("class1", 260, 0.8),
            ("class2", 10, 26.0),
            ("class3", 56, 4.0),
            ("class4 (debris)", 500, 0.4)
        ]
    );
    assert_eq!(preset.debris, 3);
    assert_eq!(preset.scenarios.len(), NOTEBOOK_CASES.len());
    for (scenario, case) in preset.scenarios.iter().zip(&NOTEBOOK_CASES) {
        assert_eq!(scenario.truth, case.truth, "{}", scenario.name);
        assert_eq!(scenario.logits, case.logits, "{}", scenario.name);
    }
    let names: std::collections::HashSet<_> = preset.scenarios.iter().map(|s| &s.name).collect();
    assert_eq!(
        names.len(),
        preset.scenarios.len(),
        "scenario names are distinct"
    );
}

#[test]
fn the_embedded_default_is_the_file() {
    assert_eq!(Preset::notebook().unwrap(), notebook_file());
}

#[test]
fn probabilities_match_the_printed_digits() {
    let evaluation = Evaluation::of(&notebook_file()).unwrap();
    assert_eq!(evaluation.scenarios.len(), NOTEBOOK_CASES.len());
    for (index, (sample, case)) in evaluation.scenarios.iter().zip(&NOTEBOOK_CASES).enumerate() {
        assert_eq!(
            sample.probabilities.len(),
            case.printed_probabilities.len(),
            "case {}",
            index + 1
        );
        for (class, (&p, printed)) in sample
            .probabilities
            .iter()
            .zip(case.printed_probabilities)
            .enumerate()
        {
            assert_matches_printed(p, printed, &format!("case {} p[{class}]", index + 1));
        }
    }
}

#[test]
fn losses_match_the_notebook_and_the_exact_values() {
    let evaluation = Evaluation::of(&notebook_file()).unwrap();
    assert_eq!(evaluation.scenarios.len(), NOTEBOOK_CASES.len());
    for (index, (sample, case)) in evaluation.scenarios.iter().zip(&NOTEBOOK_CASES).enumerate() {
        let case_number = index + 1;
        assert!(
            relative_error(sample.loss, case.printed_loss) < 1e-12,
            "case {case_number}: loss {} vs the notebook's {}",
            sample.loss,
            case.printed_loss
        );
        // The notebook's own f64 arithmetic is off by up to ~1e-13; against the exact
        // value the core must be within a few ulps.
        assert!(
            ulps(sample.loss, case.exact_loss) <= 4,
            "case {case_number}: loss {:e} is {} ulps from the exact {:e}",
            sample.loss,
            ulps(sample.loss, case.exact_loss),
            case.exact_loss
        );
        assert_eq!(sample.truth_weight, NOTEBOOK_WEIGHTS[case.truth]);
    }
}

#[test]
fn gradients_match_the_exact_values() {
    let evaluation = Evaluation::of(&notebook_file()).unwrap();
    assert_eq!(evaluation.scenarios.len(), NOTEBOOK_CASES.len());
    for (index, (sample, case)) in evaluation.scenarios.iter().zip(&NOTEBOOK_CASES).enumerate() {
        assert_eq!(
            sample.gradient.len(),
            case.exact_gradient.len(),
            "case {}",
            index + 1
        );
        for (class, (&g, &exact)) in sample.gradient.iter().zip(&case.exact_gradient).enumerate() {
            assert!(
                ulps(g, exact) <= 8,
                "case {} gradient[{class}]: {g:e} is {} ulps from the exact {exact:e}",
                index + 1,
                ulps(g, exact)
            );
        }
    }
}

#[test]
fn predicted_class_is_the_argmax() {
    let evaluation = Evaluation::of(&notebook_file()).unwrap();
    let predicted: Vec<usize> = evaluation.scenarios.iter().map(|s| s.predicted).collect();
    assert_eq!(predicted, [0, 1, 2, 3, 0, 0, 0, 0, 0, 0, 0]);
}

#[test]
fn batch_reductions_match_the_exact_values() {
    let evaluation = Evaluation::of(&notebook_file()).unwrap();
    assert!(relative_error(evaluation.batch.sum, EXACT_BATCH_SUM) < 1e-14);
    assert!(relative_error(evaluation.batch.mean.unwrap(), EXACT_BATCH_MEAN) < 1e-14);
}

#[test]
fn the_ideas_cells_are_points_of_the_debris_weight_sweep() {
    let preset = notebook_file();
    let sweep = Sweep::run(&preset, &preset.sweep).unwrap();
    let case_11 = &sweep.scenarios[10];
    for (debris_weight, printed_loss) in IDEAS {
        let point = sweep
            .debris_weight
            .iter()
            .position(|&w| w == debris_weight)
            .unwrap();
        let loss = case_11.loss[point];
        assert!(
            relative_error(loss, printed_loss) < 1e-12,
            "debris weight {debris_weight}: {loss} vs the notebook's {printed_loss}"
        );
    }
    // At the preset's own debris weight the sweep is the evaluation, to the bit.
    let evaluation = Evaluation::of(&preset).unwrap();
    let point = sweep.debris_weight.iter().position(|&w| w == 0.4).unwrap();
    assert_eq!(sweep.scenarios.len(), evaluation.scenarios.len());
    assert_eq!(sweep.scenarios.len(), NOTEBOOK_CASES.len());
    for (curve, sample) in sweep.scenarios.iter().zip(&evaluation.scenarios) {
        assert_eq!(curve.loss[point], sample.loss, "{}", curve.name);
    }
    assert_eq!(sweep.batch_mean[point], evaluation.batch.mean);
}
