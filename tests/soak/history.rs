//! What the undo history should hold, kept beside the app: the presets a user can step
//! through with Undo and Redo, in order, and how far back the history reaches.
//!
//! A user's step is one edit, or one gesture (a drag, typing a name) of edits to the same
//! value; Undo goes back to the preset before it, Redo forward again, and a new step after
//! an Undo drops the steps that were undone. The app keeps its history in egui's `Undoer`
//! with its default settings, which hold at most [`MAX_UNDOS`] undo points: older steps are
//! forgotten, so "undo all the way" reaches the oldest step still held, which is the
//! starting preset only while fewer steps than that have been taken.

use weightbench::command::Gesture;
use weightbench::core::Preset;

/// egui's `undoer::Settings::default().max_undos`, which the app does not change.
pub const MAX_UNDOS: usize = 100;

/// The presets Undo and Redo step through, and where the window is among them.
pub struct History {
    /// Every preset of the document's history still reachable or forgotten by the cap,
    /// oldest first; `timeline[cursor]` is the preset shown.
    timeline: Vec<Preset>,
    /// The preset shown.
    cursor: usize,
    /// The oldest preset Undo can still reach (0 until the cap forgets steps).
    floor: usize,
    /// Whether the preset shown is itself an undo point: after an Undo, a Redo, or an edit
    /// that changed nothing. An edit then starts a new step even within a gesture.
    at_point: bool,
    /// The value the gesture under way is changing; edits of it merge into one step.
    gesture: Option<Gesture>,
}

impl History {
    /// A fresh history on `preset` (at start, after New or Open).
    pub fn new(preset: Preset) -> Self {
        Self {
            timeline: vec![preset],
            cursor: 0,
            floor: 0,
            at_point: false,
            gesture: None,
        }
    }

    /// The preset the window should show.
    pub fn current(&self) -> &Preset {
        &self.timeline[self.cursor]
    }

    /// The presets Undo should reach, newest first, down to the oldest held.
    pub fn undo_path(&self) -> Vec<Preset> {
        self.timeline[self.floor..self.cursor]
            .iter()
            .rev()
            .cloned()
            .collect()
    }

    /// The presets Redo should reach from the oldest held, in order, to the newest.
    pub fn redo_path(&self) -> Vec<Preset> {
        self.timeline[self.floor + 1..].to_vec()
    }

    /// Whether the cap has forgotten steps: the oldest preset held is not the document's
    /// first.
    pub fn capped(&self) -> bool {
        self.floor > 0
    }

    /// How many undo points the app's `Undoer` holds now.
    fn undo_points(&self) -> usize {
        self.cursor - self.floor + usize::from(self.at_point)
    }

    /// A frame ended with no pointer down and nothing focused: the gesture is over.
    pub fn frame_ended(&mut self) {
        self.gesture = None;
    }

    /// An edit with this gesture was accepted and gave `edited`.
    pub fn edited(&mut self, gesture: Option<Gesture>, edited: Preset) {
        let continuing = gesture.is_some() && gesture == self.gesture;
        if !continuing {
            // `add_undo(before)`: the preset shown becomes an undo point, the oldest points
            // beyond the cap are forgotten.
            self.at_point = true;
            while self.undo_points() > MAX_UNDOS {
                self.floor += 1;
            }
        }
        if edited != *self.current() {
            self.timeline.truncate(self.cursor + 1);
            if self.at_point {
                self.timeline.push(edited);
                self.cursor += 1;
                self.at_point = false;
            } else {
                self.timeline[self.cursor] = edited;
                // A gesture back to where it started is no step: egui's `Undoer` never holds
                // two equal undo points in a row, and its latest one is the preset shown again.
                if self.timeline[self.cursor - 1] == self.timeline[self.cursor] {
                    self.timeline.pop();
                    self.cursor -= 1;
                    self.at_point = true;
                }
            }
        }
        self.gesture = gesture;
    }

    /// A change the app made by itself as one step (a loaded file's validation block, a
    /// scenario from a penalty or confusion cell): an edit without a gesture.
    pub fn changed(&mut self, edited: Preset) {
        self.edited(None, edited);
    }

    /// Undo; whether there was a step to undo.
    pub fn undo(&mut self) -> bool {
        if self.cursor > self.floor {
            self.cursor -= 1;
            self.at_point = true;
            true
        } else {
            false
        }
    }

    /// Redo; whether there was a step to redo.
    pub fn redo(&mut self) -> bool {
        if self.at_point && self.cursor + 1 < self.timeline.len() {
            self.cursor += 1;
            true
        } else {
            false
        }
    }

    /// Whether Redo has a step to take.
    pub fn can_redo(&self) -> bool {
        self.at_point && self.cursor + 1 < self.timeline.len()
    }

    /// Whether Undo has a step to take.
    pub fn can_undo(&self) -> bool {
        self.cursor > self.floor
    }
}
