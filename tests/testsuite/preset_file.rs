//! Preset files: lossless round trips, errors that name the place, atomic saves, and a
//! loader that answers every input (truncated, mutated, random) with Ok or a typed error.

use std::fs;

use proptest::prelude::*;
use weightbench::core::{
    Class, Convention, LossOptions, Preset, PresetError, Reduction, Scenario, SweepRange,
    ValidationError, load_preset, parse_preset, preset_to_ron, save_preset,
};

const NOTEBOOK: &str = include_str!("../../presets/notebook.ron");

fn parse(text: &str) -> Result<Preset, PresetError> {
    parse_preset(text, "test.ron")
}

fn error_message(text: &str) -> String {
    parse(text).unwrap_err().to_string()
}

fn two_class_preset(extra: &str) -> String {
    format!(
        r#"(
    version: 1,
    name: "two",
    classes: [(name: "object", count: 10, weight: 2.0), (name: "debris", count: 90, weight: 0.5)],
    debris: 1,
    scenarios: [(name: "debris called object", truth: 1, logits: [3.0, 1.0])],
    {extra}
)"#
    )
}

#[test]
fn load_save_load_is_lossless() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("copy.ron");
    let original = parse(NOTEBOOK).unwrap();
    save_preset(&original, &path).unwrap();
    let reloaded = load_preset(&path).unwrap();
    assert_eq!(reloaded, original);
    // Saved text is the readable one-class-per-line form.
    let text = fs::read_to_string(&path).unwrap();
    assert!(
        text.contains("(name: \"class2\", count: 10, weight: 26.0)"),
        "{text}"
    );
    // Nothing but the saved file is left in the folder.
    let entries: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(entries, [std::ffi::OsString::from("copy.ron")]);
}

#[test]
fn struct_name_and_missing_optional_fields_are_accepted() {
    let text = two_class_preset("").replacen('(', "Preset(", 1);
    let preset = parse(&text).unwrap();
    assert_eq!(preset.sweep, SweepRange::default());
    assert_eq!(preset.loss, LossOptions::default());
    assert!(preset.margins.is_empty(), "no margins: plain cross-entropy");
    assert_eq!(
        (preset.name.as_str(), preset.debris, preset.weights()),
        ("two", 1, vec![2.0, 0.5])
    );
    assert_eq!(preset.scenarios[0].logits, [3.0, 1.0]);
    let no_scenarios = r#"(version: 1, name: "bare", debris: 0,
        classes: [(name: "a", count: 1, weight: 1.0), (name: "b", count: 1, weight: 1.0)])"#;
    assert!(parse(no_scenarios).unwrap().scenarios.is_empty());
}

#[test]
fn syntax_errors_give_line_and_column() {
    let broken = NOTEBOOK.replace(
        "(name: \"class2\", count: 10, weight: 26.0),",
        "(name: \"class2\" count: 10, weight: 26.0),",
    );
    let message = error_message(&broken);
    assert!(message.starts_with("test.ron:8:"), "{message}");
    assert_eq!(message, "test.ron:8:25: Expected comma");

    let line = NOTEBOOK
        .lines()
        .position(|l| l.contains("class3\", count"))
        .unwrap()
        + 1;
    let negative = NOTEBOOK.replace("count: 56", "count: -56");
    let message = error_message(&negative);
    assert!(
        message.starts_with(&format!("test.ron:{line}:")),
        "{message}"
    );

    let missing = NOTEBOOK.replace(", weight: 4.0", "");
    let message = error_message(&missing);
    assert!(message.contains("weight"), "{message}");
    assert!(
        message.starts_with(&format!("test.ron:{line}:")),
        "{message}"
    );

    let typo = two_class_preset("sweeep: (from: 0.0, to: 1.0, steps: 3),");
    assert!(
        error_message(&typo).contains("sweeep"),
        "{}",
        error_message(&typo)
    );
}

#[test]
fn a_newer_version_is_refused_for_its_version() {
    // Even with fields this version does not know, the message is about the version.
    let newer = two_class_preset("future_field: 3,").replace("version: 1", "version: 2");
    let error = parse(&newer).unwrap_err();
    assert!(
        matches!(error, PresetError::NewerVersion { found: 2, .. }),
        "{error:?}"
    );
    let message = error.to_string();
    assert!(message.contains("version 2 is newer"), "{message}");
    assert!(matches!(
        parse(&two_class_preset("").replace("version: 1", "version: 0")),
        Err(PresetError::UnknownVersion { found: 0, .. })
    ));
}

#[test]
fn semantic_errors_name_the_field() {
    let cases = [
        (
            two_class_preset("").replace("logits: [3.0, 1.0]", "logits: [3.0]"),
            "test.ron: scenarios[0] \"debris called object\": logits has 1 entries, expected 2 (one per class)",
        ),
        (
            two_class_preset("").replace("truth: 1", "truth: 2"),
            "test.ron: scenarios[0] \"debris called object\": truth is 2, expected a class index from 0 to 1 (0-based)",
        ),
        (
            two_class_preset("").replace("debris: 1", "debris: 5"),
            "test.ron: debris: 5 is not a class index, expected 0 to 1 (0-based)",
        ),
        (
            two_class_preset("").replace("weight: 0.5", "weight: -0.5"),
            "test.ron: classes[1] \"debris\": weight is -0.5, expected a finite number >= 0",
        ),
        (
            two_class_preset("").replace("weight: 0.5", "weight: NaN"),
            "test.ron: classes[1] \"debris\": weight is NaN, expected a finite number >= 0",
        ),
        (
            two_class_preset("").replace("logits: [3.0, 1.0]", "logits: [inf, 1.0]"),
            "test.ron: scenarios[0] \"debris called object\": logits[0] is inf, expected a finite number",
        ),
        (
            two_class_preset("").replace("name: \"debris\"", "name: \"object\""),
            "test.ron: classes[1].name: \"object\" is already the name of classes[0], expected a unique name",
        ),
        (
            two_class_preset("").replace("name: \"debris\"", "name: \"  \""),
            "test.ron: classes[1].name: empty, expected a name",
        ),
        (
            two_class_preset("sweep: (from: 0.0, to: 1.0, steps: 1),"),
            "test.ron: sweep.steps: 1, expected 2 to 100000",
        ),
        (
            two_class_preset("sweep: (from: 1.0, to: 1.0, steps: 5),"),
            "test.ron: sweep.to: 1 is not above from (1), expected a finite number > 1",
        ),
    ];
    for (text, expected) in cases {
        assert_eq!(error_message(&text), expected);
    }
    let one_class =
        r#"(version: 1, name: "one", debris: 0, classes: [(name: "a", count: 1, weight: 1.0)])"#;
    assert!(matches!(
        parse(one_class),
        Err(PresetError::Invalid {
            error: ValidationError::TooFewClasses { found: 1 },
            ..
        })
    ));
}

#[test]
fn an_unreadable_file_is_an_io_error_naming_the_file() {
    let error = load_preset("/nonexistent/weightbench.ron".as_ref()).unwrap_err();
    assert!(error.is_io());
    assert!(
        error
            .to_string()
            .starts_with("cannot read /nonexistent/weightbench.ron: "),
        "{error}"
    );
}

#[test]
fn a_failed_save_leaves_the_previous_file_whole() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kept.ron");
    fs::write(&path, NOTEBOOK).unwrap();

    let mut invalid = parse(NOTEBOOK).unwrap();
    invalid.classes[0].weight = f64::NAN;
    let error = save_preset(&invalid, &path).unwrap_err();
    assert!(matches!(error, PresetError::Invalid { .. }), "{error:?}");
    assert_eq!(fs::read_to_string(&path).unwrap(), NOTEBOOK);

    // A folder in the file's place: the rename fails, the folder and the temporary file do not stay changed.
    let folder_path = dir.path().join("folder.ron");
    fs::create_dir(&folder_path).unwrap();
    fs::write(folder_path.join("inside"), "x").unwrap();
    let error = save_preset(&parse(NOTEBOOK).unwrap(), &folder_path).unwrap_err();
    assert!(error.is_io(), "{error:?}");
    assert!(error.to_string().starts_with("cannot write "), "{error}");
    assert_eq!(fs::read_to_string(folder_path.join("inside")).unwrap(), "x");
    let mut names: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    names.sort();
    assert_eq!(names, ["folder.ron", "kept.ron"]);

    let error = save_preset(
        &parse(NOTEBOOK).unwrap(),
        &dir.path().join("no/such/folder.ron"),
    )
    .unwrap_err();
    assert!(error.is_io());
}

fn any_name() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9 \"\\\\()\\[\\],:é\u{1F600}]{1,12}"
}

fn any_preset() -> impl Strategy<Value = Preset> {
    (2usize..6).prop_flat_map(|classes| {
        let class = (any_name(), any::<u64>(), 0.0..1e300f64);
        let scenario = (
            any_name(),
            0..classes,
            prop::collection::vec(-1e300..1e300f64, classes),
        );
        (
            any_name(),
            prop::collection::vec(class, classes),
            0..classes,
            prop::collection::vec(scenario, 0..5),
            (0.0..10.0f64, 2usize..1000),
            (
                0usize..4,
                0.0..=1.0f64,
                0.0..5.0f64,
                -2.0..2.0f64,
                any::<bool>(),
            ),
        )
            .prop_map(
                |(
                    name,
                    classes,
                    debris,
                    scenarios,
                    (from, steps),
                    (reduction, eps, gamma, tau, keras),
                )| Preset {
                    version: 1,
                    name,
                    classes: classes
                        .into_iter()
                        .enumerate()
                        .map(|(i, (name, count, weight))| Class {
                            name: format!("{i}{name}"),
                            count,
                            weight,
                        })
                        .collect(),
                    debris,
                    scenarios: scenarios
                        .into_iter()
                        .map(|(name, truth, logits)| Scenario {
                            name,
                            truth,
                            logits,
                        })
                        .collect(),
                    sweep: SweepRange {
                        from,
                        to: from + 1.0 / 3.0,
                        steps,
                    },
                    loss: LossOptions {
                        convention: if keras {
                            Convention::Keras
                        } else {
                            Convention::PyTorch
                        },
                        reduction: Reduction::ALL[reduction],
                        label_smoothing: eps,
                        // Focal loss with label smoothing is refused under PyTorch's convention.
                        focal_gamma: if eps > 0.0 && !keras { 0.0 } else { gamma },
                        logit_adjustment: tau,
                    },
                    validation: weightbench::core::preset::ValidationSettings::default(),
                    margins: Vec::new(),
                    costs: Vec::new(),
                },
            )
    })
}

proptest! {
    #[test]
    fn any_valid_preset_survives_save_and_load(preset in any_preset()) {
        let text = preset_to_ron(&preset).unwrap();
        let reloaded = parse(&text).unwrap();
        prop_assert_eq!(reloaded, preset);
    }

    #[test]
    fn truncated_files_give_ok_or_a_typed_error(cut in 0usize..NOTEBOOK.len()) {
        let cut = (0..=cut).rev().find(|&i| NOTEBOOK.is_char_boundary(i)).unwrap_or(0);
        if let Err(error) = parse(&NOTEBOOK[..cut]) {
            prop_assert!(!error.to_string().is_empty());
            prop_assert!(error.to_string().starts_with("test.ron:"), "{}", error);
        }
    }

    #[test]
    fn mutated_files_give_ok_or_a_typed_error(
        position in 0usize..NOTEBOOK.len(),
        replacement in "[\\x00-\\x7f]{0,3}|[0-9.eE+-]{1,4}|\u{1F600}",
        removed in 0usize..4,
    ) {
        let mut text = NOTEBOOK.to_owned();
        let start = (0..=position).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(0);
        let end = (start + removed..=text.len()).find(|&i| text.is_char_boundary(i)).unwrap_or(text.len());
        text.replace_range(start..end, &replacement);
        match parse(&text) {
            Ok(preset) => prop_assert!(preset.validate().is_ok()),
            Err(error) => prop_assert!(error.to_string().starts_with("test.ron:"), "{}", error),
        }
    }

    #[test]
    fn random_text_gives_ok_or_a_typed_error(text in "\\PC{0,200}") {
        prop_assert!(parse(&text).is_err());
        let message = parse(&text).unwrap_err().to_string();
        prop_assert!(message.starts_with("test.ron:"), "{}", message);
    }
}

#[test]
fn every_shipped_preset_loads() {
    let folder = concat!(env!("CARGO_MANIFEST_DIR"), "/presets");
    let mut names = Vec::new();
    for entry in fs::read_dir(folder).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "ron") {
            continue;
        }
        let preset = load_preset(&path).unwrap_or_else(|error| panic!("{error}"));
        names.push(preset.name);
    }
    names.sort();
    assert_eq!(
        names,
        [
            "Notebook, debris weight 1",
            "Notebook, with costs",
            "Notebook, with validation outputs",
            "Notebook: rare objects in debris"
        ]
    );
    let ideas = load_preset(format!("{folder}/notebook-debris-weight-1.ron").as_ref()).unwrap();
    let evaluation = weightbench::core::Evaluation::of(&ideas).unwrap();
    assert!((evaluation.scenarios[10].loss - 9.900150512718561).abs() < 1e-12);
}

#[test]
fn a_preset_without_loss_options_gets_plain_cross_entropy() {
    assert_eq!(parse(NOTEBOOK).unwrap().loss, LossOptions::default());
    assert_eq!(LossOptions::default().reduction, Reduction::Mean);
    let partial = two_class_preset("loss: (focal_gamma: 2.0),");
    let options = parse(&partial).unwrap().loss;
    assert_eq!(
        (
            options.focal_gamma,
            options.label_smoothing,
            options.reduction
        ),
        (2.0, 0.0, Reduction::Mean)
    );
}

#[test]
fn bad_loss_options_name_the_field() {
    assert_eq!(
        error_message(&two_class_preset("loss: (label_smoothing: 1.5),")),
        "test.ron: loss.label_smoothing: 1.5, expected a number from 0 to 1"
    );
    assert_eq!(
        error_message(&two_class_preset("loss: (focal_gamma: -1.0),")),
        "test.ron: loss.focal_gamma: -1, expected a finite number >= 0"
    );
    let zero = two_class_preset("loss: (logit_adjustment: 1.0),").replace("count: 10", "count: 0");
    assert_eq!(
        error_message(&zero),
        "test.ron: loss.logit_adjustment: needs ln(n_c / N) for every class, but classes[0] has count 0"
    );
}

#[test]
fn the_validation_block_reads_writes_and_names_its_errors() {
    let preset = parse(&two_class_preset(
        r#"validation: (path: "val.npz", trained_with: [1.0, 0.5], deploy_prior: [0.25, 0.75]),"#,
    ))
    .unwrap();
    assert_eq!(preset.validation.path, "val.npz");
    assert_eq!(preset.validation.labels, "");
    assert_eq!(preset.validation.trained_with, [1.0, 0.5]);
    assert_eq!(preset.validation.deploy_prior, [0.25, 0.75]);
    assert_eq!(preset.trained_with(), [1.0, 0.5]);
    let text = preset_to_ron(&preset).unwrap();
    for line in [
        "    validation: (",
        r#"        path: "val.npz","#,
        "        trained_with: [1.0, 0.5],",
        "        deploy_prior: [0.25, 0.75],",
    ] {
        assert!(text.lines().any(|l| l == line), "{line} in {text}");
    }
    assert_eq!(parse(&text).unwrap(), preset);
    // Without the block nothing is written, and the model was trained with the preset's weights.
    let plain = parse(&two_class_preset("")).unwrap();
    assert!(!preset_to_ron(&plain).unwrap().contains("validation"));
    assert_eq!(plain.trained_with(), plain.weights());
    assert_eq!(
        error_message(&two_class_preset("validation: (deploy_prior: [0.5]),")),
        "test.ron: validation.deploy_prior: 1 entries, expected 2 (one per class)"
    );
}
