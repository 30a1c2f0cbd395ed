//! Reading saved states back: whole, damaged, cut, foreign, from older versions.

use super::*;
use crate::app::store::state_to_ron;
use crate::app::workspace::default_tree;
use crate::command::{Pane, Workspace};

/// A state unlike the default in every part.
fn edited() -> State {
    let mut state = State::default();
    state.document.preset.classes[1].weight = 13.0;
    state.document.preset.name = "edited".to_owned();
    state.document.path = Some("/presets/edited.ron".into());
    state.recent = vec!["/presets/edited.ron".into()];
    state.recent_validation = vec!["/data/val.npz".into()];
    state.loss_curves.log_axis = true;
    state.workspaces.current = Workspace::Simulator;
    state.workspaces.outcomes.tree = Some(default_tree(Workspace::Outcomes, 1366.0));
    state.workspaces.outcomes.maximised = Some(Pane::Trade);
    state.outcomes.fit_temperature = true;
    state.simulator.seeds = 7;
    state
}

fn text(state: &State) -> String {
    state_to_ron(state).unwrap()
}

fn lost_parts(problem: Option<&Problem>) -> Vec<Part> {
    match problem {
        Some(Problem::Partly { lost, .. }) => lost.iter().map(|loss| loss.part).collect(),
        _ => Vec::new(),
    }
}

#[test]
fn every_field_of_the_state_is_read() {
    // A field added to `State` must be added to a `Part` too, or it would never come back.
    let value: ron::Value = ron::from_str(&text(&State::default())).unwrap();
    let ron::Value::Map(map) = value else {
        panic!("a state is a struct: {value:?}")
    };
    let mut saved: Vec<String> = map
        .keys()
        .map(|key| key.clone().into_rust::<String>().unwrap())
        .collect();
    let mut read: Vec<String> = Part::ALL.iter().map(|p| p.field().to_owned()).collect();
    saved.sort();
    read.sort();
    assert_eq!(saved, read);
    let by_part: Vec<&str> = Part::ALL.iter().flat_map(|p| p.fields()).collect();
    let mut all = ALL_FIELDS.to_vec();
    let mut by_part_sorted = by_part.clone();
    all.sort_unstable();
    by_part_sorted.sort_unstable();
    assert_eq!(
        by_part_sorted, all,
        "the fields Collect asks for are the parts'"
    );
}

#[test]
fn a_whole_state_comes_back_whole() {
    let state = edited();
    let restored = restore(text(&state).as_bytes());
    assert_eq!(restored.problem, None);
    assert_eq!(restored.state, state);
    // eframe's compact form (what earlier versions kept in app.ron) reads the same.
    let compact = ron::ser::to_string(&state).unwrap();
    assert_eq!(restore(compact.as_bytes()).state, state);
}

#[test]
fn an_empty_a_binary_or_a_foreign_file_starts_from_the_defaults_and_says_why() {
    for (bytes, why) in [
        (&b""[..], "it is empty"),
        (&b"  \n"[..], "it is empty"),
        (
            &[0x93, b'N', b'U', b'M', b'P', b'Y', 0, 0xff][..],
            "it is not text",
        ),
        (&b"(window: (x: 1))"[..], "it holds no weightbench settings"),
        (&b"[1, 2, 3]"[..], "line 1, column 1: "),
        (&b"(preset: (version: 1, name: \"x\""[..], "line 1, column "),
    ] {
        let restored = restore(bytes);
        assert_eq!(restored.state, State::default(), "{bytes:?}");
        let Some(Problem::Unreadable(reason)) = &restored.problem else {
            panic!("{bytes:?}: {:?}", restored.problem)
        };
        assert!(reason.contains(why), "{bytes:?}: {reason}");
        let notice = restored
            .problem
            .unwrap()
            .notice("/data/state.ron", false)
            .unwrap();
        assert!(notice.is_error);
        assert!(
            notice
                .text
                .starts_with("Could not read the saved state in /data/state.ron (")
                && notice
                    .text
                    .ends_with("): started from the notebook with default settings"),
            "{}",
            notice.text
        );
    }
}

#[test]
fn an_invalid_preset_is_lost_alone() {
    let mut state = edited();
    state.document.preset.scenarios[0].logits.pop();
    let restored = restore(text(&state).as_bytes());
    assert_eq!(lost_parts(restored.problem.as_ref()), [Part::Preset]);
    assert_eq!(restored.state.document.preset, Preset::starting());
    assert_eq!(restored.state.document.baseline, Preset::starting());
    assert_eq!(
        restored.state.document.path, None,
        "no file for a preset that is not its"
    );
    assert_eq!(restored.state.recent, edited().recent);
    assert_eq!(restored.state.simulator, edited().simulator);
    let notice = restored
        .problem
        .unwrap()
        .notice("state.ron", false)
        .unwrap();
    assert!(
        notice.text.starts_with("Could not restore the preset (preset: scenarios[0]")
            && notice.text.ends_with(
                " from the saved state in state.ron: started from the notebook; the rest was restored"
            ),
        "{}",
        notice.text
    );
}

#[test]
fn with_a_preset_given_the_saved_one_is_not_missed() {
    let mut state = edited();
    state.document.preset.scenarios[0].logits.pop();
    let problem = restore(text(&state).as_bytes()).problem.unwrap();
    assert_eq!(problem.notice("state.ron", true), None);
    state.simulator.seeds = 0;
    let problem = restore(text(&state).as_bytes()).problem.unwrap();
    let notice = problem.notice("state.ron", true).unwrap();
    assert!(
        notice
            .text
            .starts_with("Could not restore the simulator's settings (")
            && notice
                .text
                .ends_with(": back to the defaults; the rest was restored"),
        "{}",
        notice.text
    );
    let unreadable = restore(b"").problem.unwrap();
    assert_eq!(
        unreadable.notice("state.ron", true).unwrap().text,
        "Could not read the saved state in state.ron (it is empty): the settings are at their defaults"
    );
}

#[test]
fn a_preset_from_a_newer_weightbench_is_lost_with_that_reason() {
    let mut state = edited();
    state.document.baseline.version = 9;
    let restored = restore(text(&state).as_bytes());
    assert_eq!(lost_parts(restored.problem.as_ref()), [Part::Preset]);
    let notice = restored
        .problem
        .unwrap()
        .notice("state.ron", false)
        .unwrap();
    assert!(
        notice
            .text
            .contains("baseline: preset version 9 is newer than this weightbench reads"),
        "{}",
        notice.text
    );
}

#[test]
fn wrong_types_lose_their_part_and_unknown_fields_are_ignored() {
    let state = edited();
    let text = text(&state)
        .replace("recent_validation: [", "recent_validation: 5, was: [")
        .replace("current: Simulator", "current: Spreadsheet")
        .replacen(
            "(\n",
            "(\n    window_of_a_later_version: (x: 3, y: [1, 2]),\n",
            1,
        );
    let restored = restore(text.as_bytes());
    assert_eq!(
        lost_parts(restored.problem.as_ref()),
        [Part::RecentValidation, Part::Workspaces],
        "{text}"
    );
    assert_eq!(restored.state.document.preset, state.document.preset);
    assert_eq!(
        restored.state.recent_validation,
        Vec::<std::path::PathBuf>::new()
    );
    assert_eq!(restored.state.workspaces, Workspaces::default());
    assert_eq!(restored.state.simulator, state.simulator);
    let notice = restored
        .problem
        .unwrap()
        .notice("state.ron", false)
        .unwrap();
    assert!(
        notice
            .text
            .starts_with("Could not restore the recent validation outputs (recent_validation: ")
            && notice
                .text
                .contains(" and the workspaces' layout (workspaces: ")
            && notice
                .text
                .ends_with(": back to the defaults; the rest was restored"),
        "{}",
        notice.text
    );
}

#[test]
fn settings_out_of_range_are_lost() {
    let mut state = edited();
    state.simulator.seeds = 0;
    state.outcomes.min_recall = Some(3.0);
    let restored = restore(text(&state).as_bytes());
    assert_eq!(
        lost_parts(restored.problem.as_ref()),
        [Part::Outcomes, Part::Simulator]
    );
    assert_eq!(restored.state.simulator, State::default().simulator);
    assert_eq!(restored.state.document.preset, state.document.preset);
}

#[test]
fn an_older_state_without_some_fields_restores_silently() {
    let text = "(recent: [\"/a.ron\"], loss_curves: (log_axis: true))";
    let restored = restore(text.as_bytes());
    assert_eq!(restored.problem, None);
    assert_eq!(restored.state.recent, [std::path::PathBuf::from("/a.ron")]);
    assert!(restored.state.loss_curves.log_axis);
    assert_eq!(restored.state.document.preset, Preset::starting());
}

#[test]
fn a_file_cut_anywhere_keeps_the_parts_before_the_cut_and_names_the_rest() {
    let state = edited();
    let text = text(&state);
    let defaults = State::default();
    // Every 11th byte, and a few bytes either side of every line's end (between fields).
    let mut cuts: Vec<usize> = (1..text.len()).step_by(11).collect();
    for (end, _) in text.match_indices('\n') {
        cuts.extend(end.saturating_sub(3)..(end + 3).min(text.len()));
    }
    for cut in cuts
        .into_iter()
        .filter(|&cut| cut > 0 && text.is_char_boundary(cut))
    {
        let restored = restore(&text.as_bytes()[..cut]);
        let Some(problem) = &restored.problem else {
            // Only a cut after the last field may go unnoticed, as it loses nothing.
            assert_eq!(restored.state, state, "cut at {cut} went unnoticed");
            continue;
        };
        let lost = lost_parts(Some(problem));
        let got = &restored.state;
        // Each part is either the saved one, or lost and at its default.
        let parts = [
            (
                Part::Preset,
                got.document.preset == state.document.preset
                    && got.document.path == state.document.path,
                got.document.preset == defaults.document.preset && got.document.path.is_none(),
            ),
            (
                Part::RecentPresets,
                got.recent == state.recent,
                got.recent == defaults.recent,
            ),
            (
                Part::RecentValidation,
                got.recent_validation == state.recent_validation,
                got.recent_validation.is_empty(),
            ),
            (
                Part::LossPlot,
                got.loss_curves == state.loss_curves,
                got.loss_curves == defaults.loss_curves,
            ),
            (
                Part::Workspaces,
                got.workspaces == state.workspaces,
                got.workspaces == defaults.workspaces,
            ),
            (
                Part::Outcomes,
                got.outcomes == state.outcomes,
                got.outcomes == defaults.outcomes,
            ),
            (
                Part::Simulator,
                got.simulator == state.simulator,
                got.simulator == defaults.simulator,
            ),
        ];
        for (part, kept, defaulted) in parts {
            if lost.contains(&part) {
                assert!(
                    defaulted,
                    "cut at {cut}: {part:?} lost but not at its default"
                );
            } else if !matches!(problem, Problem::Unreadable(_)) {
                assert!(kept, "cut at {cut}: {part:?} neither kept nor named");
            }
        }
        assert!(
            matches!(problem, Problem::Unreadable(_)) || !lost.is_empty(),
            "cut at {cut}: damage without a loss"
        );
    }
}

#[test]
fn the_message_lists_with_commas_and_a_last_and() {
    let names =
        |items: &[&str]| join_with_and(&items.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>());
    assert_eq!(names(&["a"]), "a");
    assert_eq!(names(&["a", "b"]), "a and b");
    assert_eq!(names(&["a", "b", "c"]), "a, b and c");
}

#[test]
fn a_state_saved_before_the_parts_were_grouped_comes_back_whole() {
    /// The layout of a state saved by the weightbench before this one.
    #[derive(serde::Serialize)]
    struct Earlier<'a> {
        preset: &'a Preset,
        path: &'a Option<std::path::PathBuf>,
        baseline: &'a Preset,
        recent: &'a [std::path::PathBuf],
        recent_validation: &'a [std::path::PathBuf],
        loss_curves: &'a crate::ui::loss_curves::PlotSettings,
        central_tab: EarlierTab,
        right_tab: EarlierTab,
        outcomes: &'a crate::ui::outcomes::Settings,
        simulator: &'a crate::ui::simulator::Settings,
    }
    /// The tabs of the two panels an earlier weightbench had.
    #[derive(serde::Serialize)]
    enum EarlierTab {
        Simulator,
        Weights,
    }
    let mut state = edited();
    // Workspaces came later: the tab shown in the middle becomes the workspace shown.
    state.workspaces = Workspaces {
        current: Workspace::Simulator,
        ..Workspaces::default()
    };
    let earlier = Earlier {
        preset: &state.document.preset,
        path: &state.document.path,
        baseline: &state.document.baseline,
        recent: &state.recent,
        recent_validation: &state.recent_validation,
        loss_curves: &state.loss_curves,
        central_tab: EarlierTab::Simulator,
        right_tab: EarlierTab::Weights,
        outcomes: &state.outcomes,
        simulator: &state.simulator,
    };
    let text = ron::ser::to_string(&earlier).unwrap();
    let restored = restore(text.as_bytes());
    assert_eq!(restored.problem, None);
    assert!(restored.state == state, "restored differently");
    // An invalid preset there is lost alone, named as before.
    let broken = text.replacen("logits:[10.0,0.1,0.1,0.1]", "logits:[10.0]", 1);
    assert!(
        broken.len() < text.len(),
        "the notebook's first case is in the text"
    );
    let restored = restore(broken.as_bytes());
    assert_eq!(lost_parts(restored.problem.as_ref()), [Part::Preset]);
    let notice = restored
        .problem
        .unwrap()
        .notice("state.ron", false)
        .unwrap();
    assert!(
        notice
            .text
            .starts_with("Could not restore the preset (preset: scenarios[0]"),
        "{}",
        notice.text
    );
    assert_eq!(restored.state.recent, state.recent);
}

#[test]
fn the_tab_an_earlier_window_showed_opens_as_its_workspace() {
    // Before workspaces, the state kept the two panels' tabs: the middle one decides.
    for (central, workspace) in [
        ("Outcomes", Workspace::Outcomes),
        ("Simulator", Workspace::Simulator),
        ("PenaltyMatrix", Workspace::HandCases),
    ] {
        let text = format!("(recent: [], views: (central: {central}, right: Weights))");
        let restored = restore(text.as_bytes());
        assert_eq!(restored.problem, None, "{text}");
        assert_eq!(restored.state.workspaces.current, workspace, "{text}");
        assert_eq!(
            restored.state.workspaces.hand_cases,
            crate::app::workspace::Layout::default()
        );
    }
    // A layout naming a pane a workspace does not have is lost alone, and says so.
    let mut state = State::default();
    state.workspaces.simulator.maximised = Some(Pane::Trade);
    let restored = restore(text(&state).as_bytes());
    assert_eq!(lost_parts(restored.problem.as_ref()), [Part::Workspaces]);
    let notice = restored
        .problem
        .unwrap()
        .notice("state.ron", false)
        .unwrap();
    assert!(
        notice
            .text
            .contains("the workspaces' layout (workspaces: simulator: the pane Trade"),
        "{}",
        notice.text
    );
}
