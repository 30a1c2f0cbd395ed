//! Reading a saved [`State`] field by field, so a damaged or foreign file costs only what it
//! damaged: each field is read on its own, the preset must validate, and what could not be
//! restored is named once in the status bar.
//!
//! A file cut short (a crash mid-write by an older weightbench, or a full disk) keeps the
//! fields before the cut. Unknown fields are ignored; a missing field takes its default.

use std::fmt;

use ron::value::RawValue;
use serde::de::{self, DeserializeOwned, DeserializeSeed, MapAccess, Visitor};

use super::State;
use crate::core::preset::PRESET_VERSION;
use crate::core::preset::Preset;
use crate::ui::status_bar::Notice;

/// A part of the saved state that is restored, or lost, as one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    /// The preset being edited, its file and its last-saved copy.
    Preset,
    /// The recent presets.
    RecentPresets,
    /// The recent validation outputs.
    RecentValidation,
    /// The loss plot's axis, fit and legend.
    LossPlot,
    /// Which views the two panels show.
    Views,
    /// The Outcomes view's choices.
    Outcomes,
    /// The simulator's settings.
    Simulator,
}

impl Part {
    /// Every part, in the order a message names them.
    const ALL: [Part; 7] = [
        Part::Preset,
        Part::RecentPresets,
        Part::RecentValidation,
        Part::LossPlot,
        Part::Views,
        Part::Outcomes,
        Part::Simulator,
    ];

    /// The part's fields in [`State`].
    fn fields(self) -> &'static [&'static str] {
        match self {
            Part::Preset => &["preset", "path", "baseline"],
            Part::RecentPresets => &["recent"],
            Part::RecentValidation => &["recent_validation"],
            Part::LossPlot => &["loss_curves"],
            Part::Views => &["central_tab", "right_tab"],
            Part::Outcomes => &["outcomes"],
            Part::Simulator => &["simulator"],
        }
    }

    /// The part in words.
    fn label(self) -> &'static str {
        match self {
            Part::Preset => "the preset",
            Part::RecentPresets => "the recent presets",
            Part::RecentValidation => "the recent validation outputs",
            Part::LossPlot => "the loss plot's settings",
            Part::Views => "the views shown",
            Part::Outcomes => "the Outcomes view's settings",
            Part::Simulator => "the simulator's settings",
        }
    }
}

/// A part that could not be restored, and why (when the reason is the part's own).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Loss {
    /// What was lost.
    pub part: Part,
    /// Why, unless the file's damage explains it.
    pub why: Option<String>,
}

/// What went wrong reading a saved state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    /// Nothing could be read: every part starts from its default.
    Unreadable(String),
    /// Some parts were lost; the others were restored.
    Partly {
        /// Where the text stops making sense ("line 3, column 5: what"), if it does.
        damage: Option<String>,
        /// The parts lost.
        lost: Vec<Loss>,
        /// Whether any part was restored.
        restored_any: bool,
    },
}

impl Problem {
    /// The one message that says what was lost, naming `location`; `None` when nothing lost
    /// matters. With `preset_given` (a preset opened from the command line) the saved preset
    /// was not wanted, so its loss goes unsaid.
    #[must_use]
    pub fn notice(&self, location: &str, preset_given: bool) -> Option<Notice> {
        let started = if preset_given {
            "the settings are at their defaults"
        } else {
            "started from the notebook with default settings"
        };
        let (damage, lost, restored_any) = match self {
            Problem::Unreadable(why) => {
                return Some(Notice::error(format!(
                    "Could not read the saved state in {location} ({why}): {started}"
                )));
            }
            Problem::Partly {
                damage,
                lost,
                restored_any,
            } => (damage, lost, *restored_any),
        };
        if lost.len() == Part::ALL.len() {
            let damage = damage
                .as_deref()
                .map_or_else(String::new, |d| format!(" ({d})"));
            return Some(Notice::error(format!(
                "Could not restore any of the saved state in {location}{damage}: {started}"
            )));
        }
        let lost: Vec<&Loss> = lost
            .iter()
            .filter(|loss| !(preset_given && loss.part == Part::Preset))
            .collect();
        if lost.is_empty() {
            return None;
        }
        let items: Vec<String> = lost
            .iter()
            .map(|loss| match &loss.why {
                Some(why) => format!("{} ({why})", loss.part.label()),
                None => loss.part.label().to_owned(),
            })
            .collect();
        let items = join_with_and(&items);
        let mut text = match damage {
            Some(damage) => format!(
                "The saved state in {location} is damaged ({damage}); could not restore {items}"
            ),
            None => format!("Could not restore {items} from the saved state in {location}"),
        };
        let preset_lost = lost.iter().any(|loss| loss.part == Part::Preset);
        let settings_lost = lost.iter().any(|loss| loss.part != Part::Preset);
        text.push_str(match (preset_lost, settings_lost) {
            (true, false) => ": started from the notebook",
            (true, true) => ": started from the notebook with those settings at the defaults",
            _ => ": back to the defaults",
        });
        if restored_any {
            text.push_str("; the rest was restored");
        }
        Some(Notice::error(text))
    }
}

/// A saved state as far as it could be read, and what could not be.
#[derive(Debug)]
pub struct Restored {
    /// The state: what was read, and defaults for the rest.
    pub state: State,
    /// What was lost, if anything.
    pub problem: Option<Problem>,
}

/// Reads the saved state in `bytes`, field by field.
#[must_use]
pub fn restore(bytes: &[u8]) -> Restored {
    let unreadable = |why: String| Restored {
        state: State::default(),
        problem: Some(Problem::Unreadable(why)),
    };
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(error) => return unreadable(format!("it is not text: {error}")),
    };
    if text.trim().is_empty() {
        return unreadable("it is empty".to_owned());
    }
    let mut fields = Fields::default();
    let damage = ron::Options::default()
        .from_str_seed(text, Collect(&mut fields))
        .err()
        .map(|error| {
            let start = error.span.start;
            format!("line {}, column {}: {}", start.line, start.col, error.code)
        });
    let known = |name: &str| fields.get(name).is_some();
    if !Part::ALL
        .iter()
        .any(|part| part.fields().iter().any(|f| known(f)))
    {
        return unreadable(damage.unwrap_or_else(|| "it holds no weightbench settings".to_owned()));
    }
    let mut reader = Reader {
        fields: &fields,
        damaged: damage.is_some(),
        lost: Vec::new(),
    };
    let state = reader.state();
    let restored_any = reader.lost.len() < Part::ALL.len();
    // Damage after the last field (a missing closing parenthesis) costs nothing.
    let problem = (!reader.lost.is_empty()).then_some(Problem::Partly {
        damage,
        lost: reader.lost,
        restored_any,
    });
    Restored { state, problem }
}

/// Reads each part of [`State`] from the fields found, noting what it cannot.
struct Reader<'a> {
    fields: &'a Fields,
    /// The text stopped before its end: a missing field was cut off, not left out.
    damaged: bool,
    lost: Vec<Loss>,
}

impl Reader<'_> {
    fn state(&mut self) -> State {
        let mut state = State::default();
        let document = self.part(Part::Preset, |reader| {
            let preset = reader.field("preset", restore_preset)?;
            let path = reader.field("path", deserialize)?;
            let baseline = reader.field("baseline", restore_preset)?;
            Ok((preset, path, baseline))
        });
        if let Some((preset, path, baseline)) = document {
            state.preset = preset.unwrap_or(state.preset);
            state.path = path.unwrap_or(state.path);
            state.baseline = baseline.unwrap_or(state.baseline);
        }
        if let Some(Some(recent)) =
            self.part(Part::RecentPresets, |r| r.field("recent", deserialize))
        {
            state.recent = recent;
        }
        if let Some(Some(recent)) = self.part(Part::RecentValidation, |r| {
            r.field("recent_validation", deserialize)
        }) {
            state.recent_validation = recent;
        }
        if let Some(Some(plot)) = self.part(Part::LossPlot, |r| r.field("loss_curves", deserialize))
        {
            state.loss_curves = plot;
        }
        if let Some((central, right)) = self.part(Part::Views, |reader| {
            Ok((
                reader.field("central_tab", deserialize)?,
                reader.field("right_tab", deserialize)?,
            ))
        }) {
            state.central_tab = central.unwrap_or(state.central_tab);
            state.right_tab = right.unwrap_or(state.right_tab);
        }
        if let Some(Some(outcomes)) = self.part(Part::Outcomes, |r| {
            r.field("outcomes", |raw| {
                let settings: crate::ui::outcomes::Settings = deserialize(raw)?;
                match settings.min_recall {
                    Some(recall) if !(0.0..=1.0).contains(&recall) => {
                        Err(format!("min_recall: {recall} is not between 0 and 1"))
                    }
                    _ => Ok(settings),
                }
            })
        }) {
            state.outcomes = outcomes;
        }
        if let Some(Some(simulator)) = self.part(Part::Simulator, |r| {
            r.field("simulator", |raw| {
                let settings: crate::ui::simulator::Settings = deserialize(raw)?;
                settings.options().validate().map_err(|e| e.to_string())?;
                Ok(settings)
            })
        }) {
            state.simulator = simulator;
        }
        state
    }

    /// Runs `read` for `part`; on its failure, or a field of it cut off by the damage, notes
    /// the part as lost and returns `None`.
    fn part<T>(&mut self, part: Part, read: impl FnOnce(&Self) -> Result<T, String>) -> Option<T> {
        let cut_off = self.damaged && part.fields().iter().any(|f| self.fields.get(f).is_none());
        let why = match read(self) {
            Ok(_) if cut_off => None,
            Ok(value) => return Some(value),
            Err(why) => Some(why),
        };
        self.lost.push(Loss { part, why });
        None
    }

    /// Field `name` read by `read`; `None` when the file does not have it. An error names the
    /// field.
    fn field<T>(
        &self,
        name: &str,
        read: impl FnOnce(&RawValue) -> Result<T, String>,
    ) -> Result<Option<T>, String> {
        self.fields
            .get(name)
            .map(|raw| read(raw).map_err(|why| format!("{name}: {why}")))
            .transpose()
    }
}

/// A field's value as its type, or what the type expected.
fn deserialize<T: DeserializeOwned>(raw: &RawValue) -> Result<T, String> {
    raw.into_rust().map_err(|error| error.code.to_string())
}

/// A saved preset, refused when newer than this program or invalid.
fn restore_preset(raw: &RawValue) -> Result<Preset, String> {
    let preset: Preset = deserialize(raw)?;
    if preset.version > PRESET_VERSION {
        return Err(format!(
            "preset version {} is newer than this weightbench reads",
            preset.version
        ));
    }
    preset.validate().map_err(|error| error.to_string())?;
    Ok(preset)
}

/// The fields of the saved state, in the order read, each as its raw RON text.
#[derive(Default)]
struct Fields(Vec<(String, Box<RawValue>)>);

impl Fields {
    fn get(&self, name: &str) -> Option<&RawValue> {
        self.0
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, raw)| raw.as_ref())
    }
}

/// Reads the saved state's fields one at a time into `Fields`, which keeps the fields read
/// before an error.
struct Collect<'a>(&'a mut Fields);

impl<'de> DeserializeSeed<'de> for Collect<'_> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_struct("State", &ALL_FIELDS, self)
    }
}

/// Every field of [`State`], in [`Part::ALL`]'s order.
const ALL_FIELDS: [&str; 10] = [
    "preset",
    "path",
    "baseline",
    "recent",
    "recent_validation",
    "loss_curves",
    "central_tab",
    "right_tab",
    "outcomes",
    "simulator",
];

impl<'de> Visitor<'de> for Collect<'_> {
    type Value = ();

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("weightbench's saved state, a struct of named fields")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(name) = map.next_key::<String>()? {
            let value: Box<RawValue> = map.next_value()?;
            self.0.0.push((name, value));
        }
        Ok(())
    }
}

/// "a", "a and b", "a, b and c".
fn join_with_and(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::store::state_to_ron;
    use crate::command::{CentralTab, RightTab};

    /// A state unlike the default in every part.
    fn edited() -> State {
        let mut state = State::default();
        state.preset.classes[1].weight = 13.0;
        state.preset.name = "edited".to_owned();
        state.path = Some("/presets/edited.ron".into());
        state.recent = vec!["/presets/edited.ron".into()];
        state.recent_validation = vec!["/data/val.npz".into()];
        state.loss_curves.log_axis = true;
        state.central_tab = CentralTab::PenaltyMatrix;
        state.right_tab = RightTab::default();
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
        let mut read: Vec<String> = ALL_FIELDS.iter().map(|f| (*f).to_owned()).collect();
        saved.sort();
        read.sort();
        assert_eq!(saved, read);
        let by_part: Vec<&str> = Part::ALL.iter().flat_map(|p| p.fields()).copied().collect();
        assert_eq!(by_part, ALL_FIELDS);
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
        state.preset.scenarios[0].logits.pop();
        let restored = restore(text(&state).as_bytes());
        assert_eq!(lost_parts(restored.problem.as_ref()), [Part::Preset]);
        assert_eq!(restored.state.preset, Preset::starting());
        assert_eq!(restored.state.baseline, Preset::starting());
        assert_eq!(
            restored.state.path, None,
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
        state.preset.scenarios[0].logits.pop();
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
        state.baseline.version = 9;
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
            .replace("central_tab: PenaltyMatrix", "central_tab: Spreadsheet")
            .replacen(
                "(\n",
                "(\n    window_of_a_later_version: (x: 3, y: [1, 2]),\n",
                1,
            );
        let restored = restore(text.as_bytes());
        assert_eq!(
            lost_parts(restored.problem.as_ref()),
            [Part::RecentValidation, Part::Views],
            "{text}"
        );
        assert_eq!(restored.state.preset, state.preset);
        assert_eq!(
            restored.state.recent_validation,
            Vec::<std::path::PathBuf>::new()
        );
        assert_eq!(restored.state.central_tab, CentralTab::default());
        assert_eq!(restored.state.simulator, state.simulator);
        let notice = restored
            .problem
            .unwrap()
            .notice("state.ron", false)
            .unwrap();
        assert!(
            notice.text.starts_with(
                "Could not restore the recent validation outputs (recent_validation: "
            ) && notice.text.contains(" and the views shown (central_tab: ")
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
        assert_eq!(restored.state.preset, state.preset);
    }

    #[test]
    fn an_older_state_without_some_fields_restores_silently() {
        let text = "(recent: [\"/a.ron\"], loss_curves: (log_axis: true))";
        let restored = restore(text.as_bytes());
        assert_eq!(restored.problem, None);
        assert_eq!(restored.state.recent, [std::path::PathBuf::from("/a.ron")]);
        assert!(restored.state.loss_curves.log_axis);
        assert_eq!(restored.state.preset, Preset::starting());
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
                    got.preset == state.preset && got.path == state.path,
                    got.preset == defaults.preset && got.path.is_none(),
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
                    Part::Views,
                    got.central_tab == state.central_tab,
                    got.central_tab == defaults.central_tab,
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
        let names = |items: &[&str]| {
            join_with_and(&items.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>())
        };
        assert_eq!(names(&["a"]), "a");
        assert_eq!(names(&["a", "b"]), "a and b");
        assert_eq!(names(&["a", "b", "c"]), "a, b and c");
    }
}
