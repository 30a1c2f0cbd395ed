//! Preset edits keep every scenario consistent with the classes, and refuse what would break it.

use proptest::prelude::*;
use weightbench::core::{Edit, EditError, Evaluation, Preset};

fn notebook() -> Preset {
    Preset::notebook().unwrap()
}

#[test]
fn adding_a_class_grows_every_scenario() {
    let mut preset = notebook();
    preset.apply(Edit::AddClass).unwrap();
    assert_eq!(preset.classes.len(), 5);
    assert_eq!(preset.classes[4].name, "class5");
    assert!(
        preset
            .scenarios
            .iter()
            .all(|s| s.logits.len() == 5 && s.logits[4] == 0.0)
    );
    let before = notebook();
    assert_eq!(preset.scenarios.len(), before.scenarios.len());
    for (new, old) in preset.scenarios.iter().zip(&before.scenarios) {
        assert_eq!(new.logits[..4], old.logits[..], "{}", new.name);
        assert_eq!(new.truth, old.truth, "{}", new.name);
    }
    assert_eq!(
        preset.classes[..4],
        before.classes[..],
        "the old classes stay"
    );
}

#[test]
fn removing_a_class_that_is_a_truth_is_refused_naming_the_scenarios() {
    let mut preset = notebook();
    let error = preset.apply(Edit::RemoveClass(1)).unwrap_err();
    assert_eq!(
        error.to_string(),
        "cannot remove class \"class2\": it is the truth of scenario \"case 2: class2 right, confident\"; \
         change their truth or delete them first"
    );
    assert_eq!(preset, notebook(), "a refused edit changes nothing");
    assert!(matches!(
        preset.apply(Edit::RemoveClass(3)),
        Err(EditError::ClassIsDebris(_))
    ));
}

#[test]
fn removing_an_unused_class_shrinks_every_scenario_and_shifts_indices() {
    let mut preset = notebook();
    preset.apply(Edit::RemoveScenario(2)).unwrap(); // the only class3 case
    preset.apply(Edit::RemoveClass(2)).unwrap();
    assert_eq!(preset.classes.len(), 3);
    assert_eq!(preset.debris, 2);
    assert!(preset.scenarios.iter().all(|s| s.logits.len() == 3));
    let case_11 = preset.scenarios.last().unwrap();
    assert_eq!(
        (case_11.truth, case_11.logits.as_slice()),
        (2, &[10.0, 0.1, 0.1][..])
    );
}

#[test]
fn invalid_edits_are_refused_and_change_nothing() {
    let mut preset = notebook();
    let case_1 = "scenarios[0] \"case 1: class1 right, confident\"";
    for (edit, message) in [
        (
            Edit::ClassName(0, "class2".into()),
            "classes[1].name: \"class2\" is already the name of classes[0], expected a unique name"
                .to_owned(),
        ),
        (
            Edit::ClassName(0, String::new()),
            "classes[0].name: empty, expected a name".to_owned(),
        ),
        (
            Edit::ClassWeight(1, -1.0),
            "classes[1] \"class2\": weight is -1, expected a finite number >= 0".to_owned(),
        ),
        (
            Edit::Logit {
                scenario: 0,
                class: 0,
                value: f64::NAN,
            },
            format!("{case_1}: logits[0] is NaN, expected a finite number"),
        ),
        (Edit::Debris(9), "class 9 does not exist".to_owned()),
        (
            Edit::Truth(0, 4),
            format!("{case_1}: truth is 4, expected a class index from 0 to 3 (0-based)"),
        ),
        (
            Edit::RemoveScenario(11),
            "scenario 11 does not exist".to_owned(),
        ),
    ] {
        assert!(preset.apply(edit.clone()).is_err(), "{edit:?}");
        let error = preset.apply(edit.clone()).unwrap_err();
        assert_eq!(error.to_string(), message, "{edit:?}");
        assert_eq!(preset, notebook(), "{edit:?}");
    }
}

#[test]
fn scenarios_are_added_duplicated_and_moved_with_unique_names() {
    let mut preset = notebook();
    assert_eq!(preset.apply(Edit::AddScenario).unwrap(), Some(11));
    assert_eq!(
        preset.scenarios[11].truth, 3,
        "a new scenario is a debris sample"
    );
    assert_eq!(preset.apply(Edit::AddScenario).unwrap(), Some(12));
    assert_eq!(preset.scenarios[12].name, "new scenario 2");
    assert_eq!(preset.apply(Edit::DuplicateScenario(0)).unwrap(), Some(1));
    assert_eq!(
        preset.scenarios[1].name,
        "case 1: class1 right, confident (copy)"
    );
    assert_eq!(preset.scenarios[1].logits, preset.scenarios[0].logits);
    assert_eq!(
        preset.apply(Edit::MoveScenario { from: 0, to: 2 }).unwrap(),
        Some(2)
    );
    assert_eq!(preset.scenarios[2].name, "case 1: class1 right, confident");
}

proptest! {
    #[test]
    fn moving_a_class_changes_no_loss(from in 0usize..4, to in 0usize..4) {
        let before = notebook();
        let mut after = before.clone();
        after.apply(Edit::MoveClass { from, to }).unwrap();
        prop_assert_eq!(&after.classes[to], &before.classes[from]);
        prop_assert_eq!(&after.classes[after.debris].name, "class4 (debris)");
        let (old, new) = (Evaluation::of(&before).unwrap(), Evaluation::of(&after).unwrap());
        prop_assert_eq!(old.scenarios.len(), before.scenarios.len());
        prop_assert_eq!(new.scenarios.len(), old.scenarios.len());
        let close = |a: f64, b: f64| (a - b).abs() <= 1e-15 * a.abs().max(b.abs());
        for (a, b) in old.scenarios.iter().zip(&new.scenarios) {
            // Only the order of summation changes.
            prop_assert!(close(a.loss, b.loss), "{} vs {}", a.loss, b.loss);
            for (old_class, class) in before.classes.iter().enumerate() {
                let new_class = after.classes.iter().position(|c| c.name == class.name).unwrap();
                prop_assert!(close(a.probabilities[old_class], b.probabilities[new_class]));
            }
        }
        // Moving it back restores the preset exactly.
        after.apply(Edit::MoveClass { from: to, to: from }).unwrap();
        prop_assert_eq!(after, before);
    }
}

#[test]
fn the_validation_block_follows_class_edits() {
    let mut preset = notebook();
    preset
        .apply(Edit::TrainedWith(vec![1.0, 2.0, 3.0, 4.0]))
        .unwrap();
    preset
        .apply(Edit::DeployPrior(vec![0.1, 0.1, 0.3, 0.5]))
        .unwrap();
    preset.apply(Edit::MoveClass { from: 0, to: 2 }).unwrap();
    assert_eq!(preset.validation.trained_with, [2.0, 3.0, 1.0, 4.0]);
    assert_eq!(preset.validation.deploy_prior, [0.1, 0.3, 0.1, 0.5]);
    preset.apply(Edit::AddClass).unwrap();
    assert_eq!(preset.validation.trained_with, [2.0, 3.0, 1.0, 4.0, 1.0]);
    assert_eq!(preset.validation.deploy_prior, [0.1, 0.3, 0.1, 0.5, 0.0]);
    // Removing class2 (now at 0; no scenario has it as truth once case 2 is gone).
    preset.apply(Edit::RemoveScenario(1)).unwrap();
    preset.apply(Edit::RemoveClass(0)).unwrap();
    assert_eq!(preset.validation.trained_with, [3.0, 1.0, 4.0, 1.0]);
    // The others keep their proportions: 0.3, 0.1, 0.5, 0 over 0.9.
    let prior = &preset.validation.deploy_prior;
    let expected = [0.3 / 0.9, 0.1 / 0.9, 0.5 / 0.9, 0.0];
    assert_eq!(prior.len(), expected.len());
    for (p, e) in prior.iter().zip(expected) {
        assert!((p - e).abs() < 1e-15, "{prior:?}");
    }
}

#[test]
fn a_validation_block_that_does_not_fit_is_refused_by_name() {
    let mut preset = notebook();
    let refused = |preset: &mut Preset, edit: Edit| preset.apply(edit).unwrap_err().to_string();
    assert_eq!(
        refused(&mut preset, Edit::TrainedWith(vec![1.0, 2.0])),
        "validation.trained_with: 2 entries, expected 4 (one per class)"
    );
    assert_eq!(
        refused(&mut preset, Edit::TrainedWith(vec![1.0, 0.0, 1.0, 1.0])),
        "validation.trained_with[1]: 0, expected a finite weight > 0 (the shift is ln(w / trained_with))"
    );
    assert_eq!(
        refused(&mut preset, Edit::DeployPrior(vec![0.5, 0.5, 0.5, 0.5])),
        "validation.deploy_prior: sums to 2, expected shares that sum to 1"
    );
    assert_eq!(
        refused(&mut preset, Edit::DeployPrior(vec![-0.5, 0.5, 0.5, 0.5])),
        "validation.deploy_prior[0]: -0.5, expected a share from 0 to 1"
    );
    assert_eq!(preset, notebook(), "refused edits change nothing");
}
