//! Loading the user's validation outputs: from the menu, a dropped file, a recent file or the
//! preset's `validation` block, on a background task with progress and Cancel; and forgetting
//! them with the document. A failed or cancelled load keeps what was loaded before.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use eframe::egui;

use crate::core::outcomes::data::ValidationData;
use crate::core::outcomes::read::{self, Format, ReadError};
use crate::core::preset::ValidationSettings;
use crate::core::preset::edit::Edit;
use crate::ui::dialogs::DialogPurpose;

use super::outputs::{Loaded, WORK_ON_OUTPUTS};
use super::state::remember;
use super::tasks::TaskError;
use super::window::WeightbenchApp;

impl WeightbenchApp {
    /// Loads `path` (and `labels`) on a background task; the answer comes in
    /// [`Self::poll_loading`]. A `.npy` of scores without labels first asks for them.
    pub(super) fn load_validation(
        &mut self,
        ctx: &egui::Context,
        path: PathBuf,
        labels: Option<PathBuf>,
    ) {
        if Format::of_path(&path) == Some(Format::Npy) && labels.is_none() {
            if let Some(labels) = sibling_labels(&path) {
                self.load_validation(ctx, path, Some(labels));
                return;
            }
            self.info(format!(
                "{} holds the scores; choose the labels (.npy) that go with them",
                path.display()
            ));
            self.session.outputs.waiting_for_labels = Some(path);
            self.start_dialog(ctx, DialogPurpose::LoadLabels);
            return;
        }
        let class_names: Vec<String> = self
            .preset()
            .classes
            .iter()
            .map(|c| c.name.clone())
            .collect();
        let repaint_ctx = ctx.clone();
        let name = path.file_name().map_or_else(
            || path.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        self.session.tasks.loading.start(
            "load-validation",
            format!("Loading {name}"),
            Arc::new(move || repaint_ctx.request_repaint()),
            move |reporter| {
                let mut progress = |fraction: f32| {
                    reporter.progress(fraction, "");
                    !reporter.is_cancelled()
                };
                let result = read::load(&path, labels.as_deref(), &class_names, &mut progress);
                if matches!(result, Err(ReadError::Cancelled { .. })) {
                    return None;
                }
                Some(result.map(|data| Loaded {
                    data: Arc::new(data),
                    path,
                    labels,
                }))
            },
        );
    }

    /// Takes a finished load: keeps the data, remembers the file, or says why not.
    pub(super) fn poll_loading(&mut self) {
        let Some(answer) = self.session.tasks.loading.poll() else {
            return;
        };
        match answer {
            Ok(Ok(loaded)) => self.loaded(loaded),
            Ok(Err(error)) => self.error(format!(
                "{error}; {}",
                if self.session.outputs.loaded().is_some() {
                    "the validation outputs loaded before are kept"
                } else {
                    "nothing was loaded"
                }
            )),
            Err(TaskError::Cancelled) => self.info("Loading cancelled; nothing changed"),
            Err(error) => self.error(format!("Loading failed: {error}")),
        }
    }

    /// Uses `data`, read from `path`, as if it had just been loaded (for embedding the window
    /// and for benchmarks).
    pub fn use_validation_data(&mut self, data: ValidationData, path: PathBuf) {
        self.loaded(Loaded {
            data: Arc::new(data),
            path,
            labels: None,
        });
    }

    fn loaded(&mut self, loaded: Loaded) {
        remember(&mut self.state.recent_validation, &loaded.path);
        // The preset remembers its validation file, relative to the preset's folder when it
        // lies beside it.
        let folder = self.state.document.folder();
        let stored = |path: &Path| stored_path(path, folder);
        let path = stored(&loaded.path);
        let labels = loaded.labels.as_deref().map(stored).unwrap_or_default();
        // The model was trained with the weights shown now, unless the preset says otherwise:
        // pin them, so that editing the weights previews a change from them.
        let preset = &self.state.document.preset;
        let current = &preset.validation;
        let settings = ValidationSettings {
            path,
            labels,
            trained_with: if current.trained_with.is_empty() {
                preset.weights()
            } else {
                current.trained_with.clone()
            },
            deploy_prior: current.deploy_prior.clone(),
        };
        let message = format!(
            "Loaded {} samples x {} classes from {}",
            loaded.data.samples(),
            loaded.data.classes,
            loaded.path.display()
        );
        self.session.tasks.cancel_all(&WORK_ON_OUTPUTS[1..]);
        self.session.outputs.replace(loaded);
        if settings != *current {
            self.edit(Edit::Validation(settings));
        }
        // After the edit, which clears the status bar.
        self.info(message);
    }

    /// Drops the validation outputs and stops the work on them: a new document starts without
    /// the old one's data.
    pub(super) fn forget_validation(&mut self) {
        self.session.tasks.cancel_all(&WORK_ON_OUTPUTS);
        self.session.outputs.forget();
    }

    /// Loads the validation file the preset remembers, if any; a missing file is a notice,
    /// never a failure to open the preset.
    pub(super) fn load_remembered_validation(&mut self, ctx: &egui::Context) {
        let settings = &self.preset().validation;
        if settings.path.is_empty() {
            return;
        }
        let folder = self.state.document.folder();
        let path = resolve(&settings.path, folder);
        let labels = (!settings.labels.is_empty()).then(|| resolve(&settings.labels, folder));
        if !path.exists() {
            self.error(format!(
                "The preset's validation file {} is missing; load it again with File > Load validation outputs…",
                path.display()
            ));
            return;
        }
        self.load_validation(ctx, path, labels);
    }
}

/// Re-expresses the validation block's file paths, stored relative to `old_folder`, relative
/// to `new_folder` (or absolute when outside it).
pub(super) fn restore_paths(
    settings: &mut crate::core::preset::ValidationSettings,
    old_folder: Option<&Path>,
    new_folder: Option<&Path>,
) {
    for stored in [&mut settings.path, &mut settings.labels] {
        if stored.is_empty() {
            continue;
        }
        let file = resolve(stored, old_folder);
        let file = if file.is_absolute() {
            file
        } else {
            std::env::current_dir().map_or(file.clone(), |dir| dir.join(&file))
        };
        *stored = stored_path(&file, new_folder);
    }
}

/// A `labels.npy` or `<stem>_labels.npy` beside a `.npy` of scores.
fn sibling_labels(scores: &Path) -> Option<PathBuf> {
    let folder = scores.parent()?;
    let stem = scores.file_stem()?.to_string_lossy();
    [format!("{stem}_labels.npy"), "labels.npy".to_owned()]
        .into_iter()
        .map(|name| folder.join(name))
        .find(|candidate| candidate.is_file() && candidate != scores)
}

/// `stored` as written in the preset, relative to `folder` (the preset's) when relative.
fn resolve(stored: &str, folder: Option<&Path>) -> PathBuf {
    let path = PathBuf::from(stored);
    match folder {
        Some(folder) if path.is_relative() => folder.join(path),
        _ => path,
    }
}

/// `path` as the preset stores it: relative to `folder` when inside it, else as given.
fn stored_path(path: &Path, folder: Option<&Path>) -> String {
    folder
        .and_then(|folder| path.strip_prefix(folder).ok())
        .unwrap_or(path)
        .display()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saving_elsewhere_keeps_the_validation_files_found() {
        let mut settings = crate::core::preset::ValidationSettings {
            path: "s.npz".to_owned(),
            labels: "labels/l.npy".to_owned(),
            ..Default::default()
        };
        // From /a to /b: the files stay in /a, so they become absolute.
        restore_paths(&mut settings, Some(Path::new("/a")), Some(Path::new("/b")));
        assert_eq!(settings.path, "/a/s.npz");
        assert_eq!(settings.labels, "/a/labels/l.npy");
        // Back to /a: relative again.
        restore_paths(&mut settings, Some(Path::new("/b")), Some(Path::new("/a")));
        assert_eq!(settings.path, "s.npz");
        assert_eq!(settings.labels, "labels/l.npy");
        // Nothing stored: nothing to do.
        let mut empty = crate::core::preset::ValidationSettings::default();
        restore_paths(&mut empty, Some(Path::new("/a")), Some(Path::new("/b")));
        assert!(empty.path.is_empty() && empty.labels.is_empty());
    }
}
