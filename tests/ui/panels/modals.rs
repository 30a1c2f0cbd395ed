//! The modal dialogs drawn alone: the unsaved-changes question returns the answer of the button
//! clicked (Escape cancels), and the typed-path prompt returns the path trimmed when confirmed.
use super::*;

/// The unsaved-changes question; emits its answers.
fn unsaved_changes() -> Harness<'static, Panel<(), GuardAnswer>> {
    panel((), |ui, (), answers| {
        answers.extend(dialogs::unsaved_changes_ui(
            ui.ctx(),
            "Notebook: rare objects in debris",
            "closing",
        ));
    })
}

#[test]
fn unsaved_changes_returns_the_answer_of_the_button_clicked() {
    for (button, answer) in [
        ("Save", GuardAnswer::Save),
        ("Discard changes", GuardAnswer::Discard),
        ("Cancel", GuardAnswer::Cancel),
    ] {
        let mut harness = unsaved_changes();
        harness.get_by_label(
            "Save the changes to \"Notebook: rare objects in debris\" before closing?",
        );
        assert_eq!(clicking(&mut harness, button), [answer], "{button}");
    }
}

#[test]
fn unsaved_changes_escape_cancels() {
    let mut harness = unsaved_changes();
    assert_eq!(
        emitted(&mut harness, |harness| harness.key_press(Key::Escape)),
        [GuardAnswer::Cancel]
    );
}

/// The typed-path prompt for `purpose`, as it opens; its prompt is the state.
fn path_prompt(purpose: DialogPurpose) -> Harness<'static, Panel<PathPrompt, PromptAnswer>> {
    let prompt = PathPrompt {
        purpose,
        text: String::new(),
        take_focus: true,
    };
    panel(prompt, |ui, prompt, answers| {
        answers.extend(dialogs::path_prompt_ui(ui.ctx(), prompt));
    })
}

#[test]
fn path_prompt_returns_the_typed_path_trimmed_when_confirmed() {
    let mut harness = path_prompt(DialogPurpose::Open);
    assert!(harness.get_by_label("preset path").is_focused());
    assert!(harness.get_by_label("Open").accesskit_node().is_disabled());
    assert_eq!(clicking(&mut harness, "Open"), [], "nothing typed yet");
    // That click landed beside the field and took the keyboard from it.
    harness.get_by_label("preset path").focus();
    harness.run();
    harness
        .get_by_label("preset path")
        .type_text("  /tmp/rare objects.ron ");
    harness.run();
    assert_eq!(
        clicking(&mut harness, "Open"),
        [PromptAnswer::Confirm(PathBuf::from(
            "/tmp/rare objects.ron"
        ))]
    );
}

#[test]
fn path_prompt_enter_confirms_and_cancel_cancels() {
    let mut harness = path_prompt(DialogPurpose::SaveAs);
    harness.get_by_label("Save preset as");
    harness
        .get_by_label("preset path")
        .type_text("/tmp/copy.ron");
    harness.run();
    assert_eq!(
        emitted(&mut harness, |harness| harness.key_press(Key::Enter)),
        [PromptAnswer::Confirm(PathBuf::from("/tmp/copy.ron"))]
    );
    assert_eq!(clicking(&mut harness, "Cancel"), [PromptAnswer::Cancel]);
}
