//! Everything reachable from the keyboard: Tab through the class table in reading order, Enter
//! to commit a field as one undo step, Escape to leave it, Enter and Space to press what has
//! focus, and every shortcut of the command table shown in its menu and working.
use super::*;

/// Every control of a class's row, as Tab reaches them: debris, name, samples, weight, then
/// the row's buttons (a button that cannot act is skipped).
fn class_row(index: usize, name: &str, classes: usize) -> Vec<String> {
    let mut row = vec![
        format!("{name} is debris"),
        format!("name of class {}", index + 1),
        format!("samples of {name}"),
        format!("weight of {name}"),
    ];
    if index > 0 {
        row.push(format!("move {name} up"));
    }
    if index + 1 < classes {
        row.push(format!("move {name} down"));
    }
    row.push(format!("remove {name}"));
    row
}

#[test]
fn tab_moves_through_the_class_table_in_reading_order() {
    let (mut harness, _) = harness();
    full_class_editor(&mut harness);
    let names = ["class1", "class2", "class3", "class4 (debris)"];
    // The menus, the workspace bar, the bar of the pane filling the workspace and its switch
    // back to the compact table.
    let mut expected: Vec<String> = [
        "File",
        "Edit",
        "View",
        "Hand cases",
        "Your model",
        "Simulator",
        "Restore layout",
        "Compact",
    ]
    .map(str::to_owned)
    .to_vec();
    for (index, name) in names.iter().enumerate() {
        expected.extend(class_row(index, name, names.len()));
    }
    expected.push("Add class".to_owned());
    let mut reached = Vec::new();
    for _ in &expected {
        press(&mut harness, Key::Tab);
        reached.push(focused(&harness).unwrap_or_default());
    }
    assert_eq!(reached, expected);
    // Shift+Tab walks back.
    harness.key_press_modifiers(Modifiers::SHIFT, Key::Tab);
    settle(&mut harness);
    assert_eq!(focused(&harness).as_deref(), Some("remove class4 (debris)"));
    // Back to the layout: on from the compact table through the scenario list, the panes' tabs
    // and what they hold.
    shortcut(&mut harness, SHIFT_COMMAND, Key::M);
    focus(&mut harness, Role::Button, "Full editor…");
    let mut later = Vec::new();
    for _ in 0..70 {
        press(&mut harness, Key::Tab);
        later.extend(focused(&harness));
    }
    for name in [
        "New scenario",
        "case 11: debris called class1, confident",
        "Weights",
        "scenario name",
        "truth",
        "Penalty matrix",
    ] {
        assert!(
            later.iter().any(|n| n == name),
            "Tab reaches {name}: {later:?}"
        );
    }
}

#[test]
fn enter_commits_a_typed_value_as_one_undo_step() {
    let (mut harness, _) = harness();
    full_class_editor(&mut harness);
    // A number: the field's text is selected when it takes the keyboard; typing replaces it.
    focus(&mut harness, Role::SpinButton, "weight of class2");
    type_text(&mut harness, "13.5");
    press(&mut harness, Key::Enter);
    assert_eq!(harness.state().preset().classes[1].weight, 13.5);
    assert_eq!(focused(&harness), None, "Enter leaves the field");
    // A name: typed at the end of the text.
    focus(&mut harness, Role::TextInput, "name of class 3");
    press(&mut harness, Key::End);
    type_text(&mut harness, " (rare)");
    press(&mut harness, Key::Enter);
    assert_eq!(harness.state().preset().classes[2].name, "class3 (rare)");
    // Each is one undo step, whatever the number of keys typed.
    shortcut(&mut harness, Modifiers::COMMAND, Key::Z);
    assert_eq!(harness.state().preset().classes[2].name, "class3");
    assert_eq!(harness.state().preset().classes[1].weight, 13.5);
    shortcut(&mut harness, Modifiers::COMMAND, Key::Z);
    assert_eq!(harness.state().preset(), &notebook());
}

#[test]
fn escape_leaves_a_field_keeping_what_was_typed_which_one_undo_takes_back() {
    let (mut harness, _) = harness();
    focus(&mut harness, Role::SpinButton, "weight of class2");
    type_text(&mut harness, "5");
    press(&mut harness, Key::Escape);
    assert_eq!(focused(&harness), None, "Escape leaves the field");
    // As egui does: a number field applies what is typed as it is typed.
    assert_eq!(harness.state().preset().classes[1].weight, 5.0);
    shortcut(&mut harness, Modifiers::COMMAND, Key::Z);
    assert_eq!(harness.state().preset(), &notebook());
}

#[test]
fn fields_reached_one_after_the_other_are_separate_undo_steps() {
    let (mut harness, dialogs) = harness();
    show_pane(&mut harness, Pane::LossAndExport);
    // The loss sliders are one kind of gesture; moved with arrow keys one after the other,
    // each is its own undo step.
    focus(&mut harness, Role::Slider, "label smoothing");
    press(&mut harness, Key::ArrowRight);
    let smoothed = harness.state().preset().loss;
    assert!(smoothed.label_smoothing > 0.0);
    press(&mut harness, Key::Tab); // the number beside the slider
    press(&mut harness, Key::Tab); // the next slider
    press(&mut harness, Key::Tab);
    press(&mut harness, Key::Tab);
    assert_eq!(focused(&harness).as_deref(), Some("logit adjustment"));
    press(&mut harness, Key::ArrowRight);
    assert!(harness.state().preset().loss.logit_adjustment > 0.0);
    shortcut(&mut harness, Modifiers::COMMAND, Key::Z);
    assert_eq!(harness.state().preset().loss, smoothed);
    shortcut(&mut harness, Modifiers::COMMAND, Key::Z);
    assert_eq!(harness.state().preset(), &notebook());
    // Typing on after an undo is a new step too.
    full_class_editor(&mut harness);
    focus(&mut harness, Role::TextInput, "name of class 1");
    press(&mut harness, Key::End);
    type_text(&mut harness, "a");
    shortcut(&mut harness, Modifiers::COMMAND, Key::Z);
    type_text(&mut harness, "b");
    assert_eq!(harness.state().preset().classes[0].name, "class1b");
    shortcut(&mut harness, Modifiers::COMMAND, Key::Z);
    assert_eq!(harness.state().preset().classes[0].name, "class1");
    // Typed values: the trained-with weights are one kind of gesture too, and Tab goes
    // straight from one to the next.
    dialogs.answer(&fixture("stored.npz"));
    shortcut(&mut harness, Modifiers::COMMAND, Key::L);
    shortcut(&mut harness, Modifiers::COMMAND, Key::Num2);
    focus(&mut harness, Role::SpinButton, "trained weight of class1");
    // While the typing goes on, the Outcomes view waits for it: no settling here.
    harness.event(egui::Event::Text("2".to_owned()));
    harness.run_ok();
    press(&mut harness, Key::Tab);
    assert_eq!(
        focused(&harness).as_deref(),
        Some("trained weight of class2")
    );
    harness.event(egui::Event::Text("3".to_owned()));
    harness.run_ok();
    press(&mut harness, Key::Enter);
    let trained = |harness: &Harness<'_, WeightbenchApp>| harness.state().preset().trained_with();
    assert_eq!(trained(&harness), [2.0, 3.0, 4.0, 0.4]);
    shortcut(&mut harness, Modifiers::COMMAND, Key::Z);
    assert_eq!(trained(&harness), [2.0, 26.0, 4.0, 0.4]);
    shortcut(&mut harness, Modifiers::COMMAND, Key::Z);
    assert_eq!(trained(&harness), [0.8, 26.0, 4.0, 0.4]);
}

#[test]
fn enter_and_space_press_the_focused_button_and_open_menus_and_combo_boxes() {
    let (mut harness, _) = harness();
    // A scenario row selects its scenario, a tab shows its view.
    focus(
        &mut harness,
        Role::Button,
        "case 3: class3 right, confident",
    );
    press(&mut harness, Key::Enter);
    assert_eq!(harness.state().selected(), Some(2));
    focus(&mut harness, Role::Button, "Your model");
    press(&mut harness, Key::Space);
    assert_eq!(
        harness.state().state().workspaces.current,
        Workspace::Outcomes
    );
    // A combo box: Space opens it, Tab reaches its options, Enter picks one.
    show_pane(&mut harness, Pane::Scenario);
    focus(&mut harness, Role::ComboBox, "truth");
    press(&mut harness, Key::Space);
    let mut reached = Vec::new();
    for _ in 0..4 {
        press(&mut harness, Key::Tab);
        reached.extend(focused(&harness));
    }
    assert_eq!(reached.last().map(String::as_str), Some("class4 (debris)"));
    press(&mut harness, Key::Enter);
    assert_eq!(harness.state().preset().scenarios[2].truth, 3);
    // A menu: Enter opens it, Tab reaches its first entry, Enter runs it.
    focus(&mut harness, Role::Button, "File");
    press(&mut harness, Key::Enter);
    press(&mut harness, Key::Tab);
    assert_eq!(focused(&harness), Some(menu_entry(&harness, Action::New)));
    press(&mut harness, Key::Enter);
    harness.get_by_label("Unsaved changes");
}

#[test]
fn every_shortcut_is_shown_in_its_menu() {
    let (mut harness, _) = harness();
    let mut shown = Vec::new();
    for menu in ["File", "Edit", "View"] {
        click_button(&mut harness, menu);
        shown.extend(
            harness
                .query_all_by_role(Role::Button)
                .filter_map(|node| node.accesskit_node().label()),
        );
        press(&mut harness, Key::Escape);
    }
    for action in Action::ALL {
        let entry = menu_entry(&harness, action);
        assert!(
            shown.contains(&entry),
            "no menu entry {entry:?} in {shown:?}"
        );
    }
    // The shortcuts are all different.
    for (i, a) in Action::ALL.iter().enumerate() {
        for b in &Action::ALL[i + 1..] {
            assert_ne!(a.shortcut(), b.shortcut(), "{a:?} and {b:?}");
        }
    }
}

#[test]
fn every_shortcut_does_what_its_menu_entry_does() {
    let (mut harness, dialogs) = small_simulator();
    // Workspaces, and the pane under the pointer maximised and restored.
    for workspace in Workspace::ALL {
        let key = Action::ShowWorkspace(workspace).shortcut().logical_key;
        slow_shortcut(&mut harness, Modifiers::COMMAND, key);
        assert_eq!(harness.state().state().workspaces.current, workspace);
    }
    slow_shortcut(&mut harness, Modifiers::COMMAND, Key::Num1);
    harness
        .get_by_role_and_label(Role::TextInput, "scenario name")
        .hover();
    harness.run_ok();
    shortcut(&mut harness, SHIFT_COMMAND, Key::M);
    let maximised = |harness: &Harness<'_, WeightbenchApp>| {
        harness.state().state().workspaces.hand_cases.maximised
    };
    assert_eq!(
        maximised(&harness),
        Some(Pane::Scenario),
        "the pane pointed at"
    );
    harness.get_by_label("Restore layout");
    shortcut(&mut harness, SHIFT_COMMAND, Key::M);
    assert_eq!(maximised(&harness), None);
    // Scenarios: next and previous, and no further than either end.
    shortcut(&mut harness, Modifiers::COMMAND, Key::PageDown);
    assert_eq!(harness.state().selected(), Some(1));
    shortcut(&mut harness, Modifiers::COMMAND, Key::PageUp);
    shortcut(&mut harness, Modifiers::COMMAND, Key::PageUp);
    assert_eq!(harness.state().selected(), Some(0));
    // Undo, redo (both ways).
    set_value(&mut harness, "weight of class2", 13.0);
    shortcut(&mut harness, Modifiers::COMMAND, Key::Z);
    assert_eq!(harness.state().preset().classes[1].weight, 26.0);
    shortcut(&mut harness, SHIFT_COMMAND, Key::Z);
    assert_eq!(harness.state().preset().classes[1].weight, 13.0);
    shortcut(&mut harness, Modifiers::COMMAND, Key::Z);
    shortcut(&mut harness, Modifiers::COMMAND, Key::Y);
    assert_eq!(harness.state().preset().classes[1].weight, 13.0);
    // Save (asks where: no file yet), save as, load validation outputs, open, new.
    let dir = tempfile::tempdir().unwrap();
    let saved = dir.path().join("saved.ron");
    dialogs.answer(&saved);
    shortcut(&mut harness, Modifiers::COMMAND, Key::S);
    assert_eq!(load_preset(&saved).unwrap(), *harness.state().preset());
    let copy = dir.path().join("copy.ron");
    dialogs.answer(&copy);
    shortcut(&mut harness, SHIFT_COMMAND, Key::S);
    assert_eq!(
        harness.state().state().document.path.as_deref(),
        Some(copy.as_path())
    );
    dialogs.answer(Path::new(NOTEBOOK));
    shortcut(&mut harness, Modifiers::COMMAND, Key::O);
    assert_eq!(harness.state().preset(), &notebook());
    assert_eq!(
        harness.state().state().document.path.as_deref(),
        Some(Path::new(NOTEBOOK))
    );
    dialogs.answer(&fixture("stored.npz"));
    shortcut(&mut harness, Modifiers::COMMAND, Key::L);
    assert_eq!(harness.state().validation().unwrap().samples(), 6);
    // The preset now remembers the file: New asks first.
    shortcut(&mut harness, Modifiers::COMMAND, Key::N);
    click_button(&mut harness, "Discard changes");
    assert_eq!(harness.state().preset().name, "New preset");
    // Quit: the window is asked to close (nothing unsaved, so no question).
    harness.input_mut().events.push(egui::Event::Key {
        key: Key::Q,
        physical_key: None,
        pressed: true,
        repeat: false,
        modifiers: Modifiers::COMMAND,
    });
    harness.step();
    assert!(asked_to_close(&harness));
}

#[test]
fn next_scenario_follows_the_filter_and_scrolls_the_list_to_it() {
    let (mut harness, _) = harness_with(State {
        document: weightbench::app::state::Document {
            preset: large_preset(4, 300),
            baseline: large_preset(4, 300),
            path: None,
        },
        ..State::default()
    });
    let name = |harness: &Harness<'_, WeightbenchApp>, index: usize| {
        harness.state().preset().scenarios[index].name.clone()
    };
    assert!(
        !list_shows(&harness, &name(&harness, 60)),
        "far down the list"
    );
    for _ in 0..60 {
        harness.key_press_modifiers(Modifiers::COMMAND, Key::PageDown);
        harness.step();
    }
    settle(&mut harness);
    assert_eq!(harness.state().selected(), Some(60));
    assert!(
        list_shows(&harness, &name(&harness, 60)),
        "scrolled into view"
    );
    // With a filter, only the scenarios the list shows.
    click_button(&mut harness, "misclassified");
    shortcut(&mut harness, Modifiers::COMMAND, Key::PageDown);
    let selected = harness.state().selected().unwrap();
    assert!(selected > 60);
    let evaluation = harness.state().evaluation().unwrap();
    let preset = harness.state().preset();
    let misclassified = |i: usize| evaluation.scenarios[i].predicted != preset.scenarios[i].truth;
    assert!(misclassified(selected));
    assert!(
        (61..selected).all(|i| !misclassified(i)),
        "the next one shown"
    );
}
