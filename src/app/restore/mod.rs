//! Reading a saved [`State`] part by part (each part one field of it), so a damaged or foreign
//! file costs only what it damaged: each part is read and checked on its own (the preset must
//! validate), and what could not be restored is named once in the status bar.
//!
//! A file cut short (a crash mid-write by an older weightbench, or a full disk) keeps the
//! parts before the cut. Unknown fields are ignored; a missing part takes its default. A state
//! saved before the parts were grouped (`preset`, `path`, `baseline`, `central_tab`,
//! `right_tab` at the top) is read too.

use std::fmt;

use ron::value::RawValue;
use serde::de::{self, DeserializeOwned, DeserializeSeed, MapAccess, Visitor};

use serde::Deserialize;

use super::state::Document;
use super::state::State;
use super::workspace::Workspaces;
use crate::command::Workspace;
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
    /// Which workspace is shown, and each one's arrangement.
    Workspaces,
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
        Part::Workspaces,
        Part::Outcomes,
        Part::Simulator,
    ];

    /// The part's field in [`State`].
    fn field(self) -> &'static str {
        match self {
            Part::Preset => "document",
            Part::RecentPresets => "recent",
            Part::RecentValidation => "recent_validation",
            Part::LossPlot => "loss_curves",
            Part::Workspaces => "workspaces",
            Part::Outcomes => "outcomes",
            Part::Simulator => "simulator",
        }
    }

    /// Where a state saved before the parts were grouped kept the part.
    fn earlier_fields(self) -> &'static [&'static str] {
        match self {
            Part::Preset => &["preset", "path", "baseline"],
            Part::Workspaces => &["views", "central_tab"],
            _ => &[],
        }
    }

    /// The part's field, and the fields that held it before.
    fn fields(self) -> impl Iterator<Item = &'static str> {
        std::iter::once(self.field()).chain(self.earlier_fields().iter().copied())
    }

    /// The part in words.
    fn label(self) -> &'static str {
        match self {
            Part::Preset => "the preset",
            Part::RecentPresets => "the recent presets",
            Part::RecentValidation => "the recent validation outputs",
            Part::LossPlot => "the loss plot's settings",
            Part::Workspaces => "the workspaces' layout",
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
    if !Part::ALL.iter().any(|part| part.fields().any(known)) {
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
        let defaults = State::default();
        State {
            document: self.part(Part::Preset, defaults.document, Reader::earlier_document),
            recent: self.part(Part::RecentPresets, defaults.recent, no_earlier),
            recent_validation: self.part(
                Part::RecentValidation,
                defaults.recent_validation,
                no_earlier,
            ),
            loss_curves: self.part(Part::LossPlot, defaults.loss_curves, no_earlier),
            workspaces: self.part(Part::Workspaces, defaults.workspaces, Reader::earlier_views),
            outcomes: self.part(Part::Outcomes, defaults.outcomes, no_earlier),
            simulator: self.part(Part::Simulator, defaults.simulator, no_earlier),
        }
    }

    /// Reads `part` from its field (or, in an earlier state, with `earlier`) and checks it;
    /// on a failure, or a field of it cut off by the damage, notes the part as lost and gives
    /// `default`.
    fn part<T: Restorable>(
        &mut self,
        part: Part,
        default: T,
        earlier: impl FnOnce(&Self, &T) -> Result<Option<T>, String>,
    ) -> T {
        let read = match self.fields.get(part.field()) {
            Some(raw) => deserialize::<T>(raw)
                .map_err(|why| format!("{}: {why}", part.field()))
                .and_then(|value| value.check().map(|()| Some(value))),
            None => earlier(self, &default).and_then(|value| match value {
                Some(value) => value.check().map(|()| Some(value)),
                None => Ok(None),
            }),
        };
        // Cut off: the damage came before the part's field (or one of its earlier fields).
        let present = |name: &str| self.fields.get(name).is_some();
        let earlier = part.earlier_fields();
        // The earlier document was three fields, all needed; the earlier views were one field
        // (`views`, or before that `central_tab`).
        let earlier_whole = match part {
            Part::Preset => earlier.iter().all(|f| present(f)),
            _ => earlier.iter().any(|f| present(f)),
        };
        let whole = present(part.field()) || (!earlier.is_empty() && earlier_whole);
        let cut_off = self.damaged && !whole;
        let why = match read {
            Ok(_) if cut_off => None,
            Ok(value) => return value.unwrap_or(default),
            Err(why) => Some(why),
        };
        self.lost.push(Loss { part, why });
        default
    }

    /// The document as a state saved before the parts were grouped kept it.
    fn earlier_document(&self, default: &Document) -> Result<Option<Document>, String> {
        let preset = self.field("preset", deserialize)?;
        let path = self.field("path", deserialize)?;
        let baseline = self.field("baseline", deserialize)?;
        if preset.is_none() && path.is_none() && baseline.is_none() {
            return Ok(None);
        }
        Ok(Some(Document {
            preset: preset.unwrap_or_else(|| default.preset.clone()),
            path: path.unwrap_or_else(|| default.path.clone()),
            baseline: baseline.unwrap_or_else(|| default.baseline.clone()),
        }))
    }

    /// The workspace shown, from the tab an earlier weightbench showed in the middle of its
    /// window (`views: (central: ..)`, or before that `central_tab`): the Outcomes and
    /// Simulator tabs became workspaces, the rest are the hand cases.
    fn earlier_views(&self, default: &Workspaces) -> Result<Option<Workspaces>, String> {
        /// The tabs an earlier weightbench showed in the middle of its window.
        #[derive(Default, Deserialize)]
        enum Tab {
            #[default]
            LossCurves,
            PenaltyMatrix,
            FpVsFn,
            Outcomes,
            Simulator,
        }
        #[derive(Deserialize)]
        struct EarlierViews {
            #[serde(default)]
            central: Tab,
        }
        let central = match self.field("views", deserialize::<EarlierViews>)? {
            Some(views) => Some(views.central),
            None => self.field("central_tab", deserialize::<Tab>)?,
        };
        let Some(central) = central else {
            return Ok(None);
        };
        let current = match central {
            Tab::Outcomes => Workspace::Outcomes,
            Tab::Simulator => Workspace::Simulator,
            Tab::LossCurves | Tab::PenaltyMatrix | Tab::FpVsFn => Workspace::HandCases,
        };
        Ok(Some(Workspaces {
            current,
            ..default.clone()
        }))
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

/// A part read on its own: what it must satisfy beyond its type.
trait Restorable: for<'de> Deserialize<'de> {
    /// Why the part cannot be used, naming the field at fault.
    ///
    /// # Errors
    /// The part's values are out of range.
    fn check(&self) -> Result<(), String> {
        Ok(())
    }
}

/// Parts that a state saved before the parts were grouped kept in a field of the same name.
#[allow(
    clippy::unnecessary_wraps,
    reason = "every part's earlier reader has the same signature"
)]
fn no_earlier<T>(_: &Reader<'_>, _: &T) -> Result<Option<T>, String> {
    Ok(None)
}

impl Restorable for Document {
    fn check(&self) -> Result<(), String> {
        check_preset(&self.preset).map_err(|why| format!("preset: {why}"))?;
        check_preset(&self.baseline).map_err(|why| format!("baseline: {why}"))
    }
}

impl Restorable for Vec<std::path::PathBuf> {}

impl Restorable for crate::ui::loss_curves::PlotSettings {}

impl Restorable for Workspaces {
    fn check(&self) -> Result<(), String> {
        Workspace::ALL
            .into_iter()
            .try_for_each(|workspace| self.layout(workspace).check(workspace))
            .map_err(|why| format!("workspaces: {why}"))
    }
}

impl Restorable for crate::ui::outcomes::Settings {
    fn check(&self) -> Result<(), String> {
        match self.min_recall {
            Some(recall) if !(0.0..=1.0).contains(&recall) => Err(format!(
                "outcomes: min_recall: {recall} is not between 0 and 1"
            )),
            _ => Ok(()),
        }
    }
}

impl Restorable for crate::ui::simulator::Settings {
    fn check(&self) -> Result<(), String> {
        self.options()
            .validate()
            .map_err(|error| format!("simulator: {error}"))
    }
}

/// A field's value as its type, or what the type expected.
fn deserialize<T: DeserializeOwned>(raw: &RawValue) -> Result<T, String> {
    raw.into_rust().map_err(|error| error.code.to_string())
}

/// A saved preset, refused when newer than this program or invalid.
fn check_preset(preset: &Preset) -> Result<(), String> {
    if preset.version > PRESET_VERSION {
        return Err(format!(
            "preset version {} is newer than this weightbench reads",
            preset.version
        ));
    }
    preset.validate().map_err(|error| error.to_string())
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

/// Every field of [`State`], in [`Part::ALL`]'s order, then those of earlier states.
const ALL_FIELDS: [&str; 12] = [
    "document",
    "recent",
    "recent_validation",
    "loss_curves",
    "workspaces",
    "outcomes",
    "simulator",
    "views",
    "preset",
    "path",
    "baseline",
    "central_tab",
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
mod tests;
