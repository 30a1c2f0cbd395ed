//! Where the window keeps its [`State`](super::state::State) between launches: a file of its own,
//! replaced whole on each save, so two windows never tear each other's state (the last to
//! save wins, whole) and a crash mid-save leaves the previous state.
//!
//! eframe's own storage (`app.ron`) keeps only egui's memory and the window's geometry: it is
//! written in place, and eframe drops the whole file when it cannot parse it.
//!
//! The UI thread only encodes the state; a thread of the [`Keeper`]'s writes, flushes and
//! renames, and the exit save is joined before the process ends.

use std::io;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex, PoisonError};

use crate::core::preset::file::write_atomically;

/// The saved state's bytes, read and written whole.
pub trait StateStore: Send + Sync {
    /// Where the state is kept, for messages ("~/.local/share/weightbench/state.ron").
    fn location(&self) -> String;

    /// The bytes last written; `None` when nothing was saved yet.
    ///
    /// # Errors
    /// The store exists but cannot be read.
    fn read(&self) -> io::Result<Option<Vec<u8>>>;

    /// Replaces the saved bytes: a reader sees the previous bytes or these, never a mix.
    ///
    /// # Errors
    /// The bytes could not be written; the previous ones are kept.
    fn write(&self, bytes: &[u8]) -> io::Result<()>;
}

/// The state in a file, replaced atomically: written to a temporary file beside it (named
/// after the process and the write), flushed to disk, then renamed over it.
#[derive(Clone, Debug)]
pub struct StateFile {
    path: PathBuf,
}

impl StateFile {
    /// The file's name in weightbench's data folder.
    pub const FILE_NAME: &str = "state.ron";

    /// The state kept in the file at `path`.
    #[must_use]
    pub fn new(path: impl Into<PathBuf>) -> Self {
        Self { path: path.into() }
    }

    /// `state.ron` in the folder where eframe keeps `app_id`'s storage
    /// (on Linux `$XDG_DATA_HOME/<app_id>`, by default `~/.local/share/<app_id>`).
    #[must_use]
    pub fn in_data_folder(app_id: &str) -> Option<Self> {
        eframe::storage_dir(app_id).map(|folder| Self::new(folder.join(Self::FILE_NAME)))
    }

    /// The file.
    #[must_use]
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl StateStore for StateFile {
    fn location(&self) -> String {
        self.path.display().to_string()
    }

    fn read(&self) -> io::Result<Option<Vec<u8>>> {
        match std::fs::read(&self.path) {
            Ok(bytes) => Ok(Some(bytes)),
            Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(error) => Err(error),
        }
    }

    fn write(&self, bytes: &[u8]) -> io::Result<()> {
        if let Some(folder) = self.path.parent()
            && !folder.as_os_str().is_empty()
        {
            std::fs::create_dir_all(folder)?;
        }
        write_atomically(&self.path, bytes)
    }
}

/// The state in memory: for tests, and for a window with nowhere to keep it. Clones share
/// the bytes, as two launches share a file.
#[derive(Clone, Debug, Default)]
pub struct MemoryStore(Arc<Mutex<Option<Vec<u8>>>>);

impl MemoryStore {
    /// A store that already holds `bytes`, as if a previous launch had written them.
    #[must_use]
    pub fn holding(bytes: impl Into<Vec<u8>>) -> Self {
        Self(Arc::new(Mutex::new(Some(bytes.into()))))
    }

    /// The bytes held, if any.
    #[must_use]
    pub fn bytes(&self) -> Option<Vec<u8>> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

impl StateStore for MemoryStore {
    fn location(&self) -> String {
        "memory".to_owned()
    }

    fn read(&self) -> io::Result<Option<Vec<u8>>> {
        Ok(self.bytes())
    }

    fn write(&self, bytes: &[u8]) -> io::Result<()> {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner) = Some(bytes.to_owned());
        Ok(())
    }
}

/// Writes the state to its store when it changed since the last write, on a thread of its
/// own: the UI thread only encodes. A failed write is reported once (until one succeeds).
pub(super) struct Keeper {
    store: Arc<dyn StateStore>,
    /// The state last handed to the writer, or known to be in the store; `None` when the store
    /// may hold something else (a damaged file, an earlier launch's, nothing, a failed write),
    /// so the next save writes.
    sent: Option<super::state::State>,
    /// The writer thread, once the first save starts it.
    writer: Option<Writer>,
    /// Whether a write has succeeded.
    written_once: bool,
    /// The last failure reported.
    failure: Option<String>,
}

/// The thread that writes, with the way to it and back.
struct Writer {
    bytes: Sender<Vec<u8>>,
    answers: Receiver<Result<(), String>>,
    thread: std::thread::JoinHandle<()>,
}

/// What a save did.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Saved {
    /// The state was handed to the writer.
    Queued,
    /// The store already holds this state: nothing is written, so another window's newer
    /// state is not overwritten by this one's unchanged state.
    Unchanged,
    /// The state could not be encoded or no writer could be started; the message.
    Failed(Option<String>),
}

impl Keeper {
    /// Keeps the state in `store`; `written` is the state the store holds, when known.
    pub(super) fn new(store: Arc<dyn StateStore>, written: Option<super::state::State>) -> Self {
        Self {
            store,
            sent: written,
            writer: None,
            written_once: false,
            failure: None,
        }
    }

    /// The store.
    pub(super) fn store(&self) -> &Arc<dyn StateStore> {
        &self.store
    }

    /// Whether a write has succeeded (the state is in the store).
    pub(super) fn has_written(&self) -> bool {
        self.written_once
    }

    /// Encodes `state` and hands it to the writer, unless the store already holds it.
    pub(super) fn save(&mut self, state: &super::state::State) -> Saved {
        if self.sent.as_ref() == Some(state) {
            return Saved::Unchanged;
        }
        let sent = state_to_ron(state)
            .map_err(|error| error.to_string())
            .and_then(|text| self.send(text.into_bytes()));
        match sent {
            Ok(()) => {
                self.sent = Some(state.clone());
                Saved::Queued
            }
            Err(why) => Saved::Failed(self.failed(why)),
        }
    }

    fn send(&mut self, bytes: Vec<u8>) -> Result<(), String> {
        if self.writer.is_none() {
            self.writer = Some(Writer::start(Arc::clone(&self.store))?);
        }
        let writer = self.writer.as_ref().ok_or("no writer")?;
        writer
            .bytes
            .send(bytes)
            .map_err(|_| "the writer stopped".to_owned())
    }

    /// The message for a failure `why`, the first time it happens.
    fn failed(&mut self, why: String) -> Option<String> {
        self.sent = None;
        if self.failure.as_ref() == Some(&why) {
            return None;
        }
        let message = format!(
            "Could not save the window's state to {} ({why}); it is tried again every 30 s and on quitting",
            self.store.location()
        );
        self.failure = Some(why);
        Some(message)
    }

    /// Takes the writer's answers: the message of a new failure, if any.
    pub(super) fn poll(&mut self) -> Option<String> {
        let answers: Vec<_> = self
            .writer
            .as_ref()
            .map(|writer| writer.answers.try_iter().collect())
            .unwrap_or_default();
        self.take(answers)
    }

    fn take(&mut self, answers: Vec<Result<(), String>>) -> Option<String> {
        let mut message = None;
        for answer in answers {
            match answer {
                Ok(()) => {
                    self.written_once = true;
                    self.failure = None;
                }
                Err(why) => message = self.failed(why).or(message),
            }
        }
        message
    }

    /// Waits for every write handed over so far (at exit, and for tests); the message of a
    /// new failure, if any.
    pub(super) fn flush(&mut self) -> Option<String> {
        let writer = self.writer.take()?;
        drop(writer.bytes);
        // The writer ends once it has written what it holds; a panic in it is a failure.
        let ended = writer.thread.join();
        let mut answers: Vec<_> = writer.answers.try_iter().collect();
        if ended.is_err() {
            answers.push(Err("the writer stopped unexpectedly".to_owned()));
        }
        self.take(answers)
    }
}

impl Drop for Keeper {
    fn drop(&mut self) {
        let _ = self.flush();
    }
}

impl Writer {
    /// A thread named `save-state` that writes the latest bytes it was sent.
    fn start(store: Arc<dyn StateStore>) -> Result<Self, String> {
        let (bytes, inbox) = channel::<Vec<u8>>();
        let (reply, answers) = channel();
        let thread = std::thread::Builder::new()
            .name("save-state".to_owned())
            .spawn(move || {
                while let Ok(mut latest) = inbox.recv() {
                    // Only the newest state matters: skip those it replaced.
                    while let Ok(newer) = inbox.try_recv() {
                        latest = newer;
                    }
                    let written = store.write(&latest).map_err(|error| error.to_string());
                    if reply.send(written).is_err() {
                        return;
                    }
                }
            })
            .map_err(|error| format!("cannot start a thread to write it: {error}"))?;
        Ok(Self {
            bytes,
            answers,
            thread,
        })
    }
}

/// The state as the store keeps it: RON, one field per line, the preset's classes and
/// scenarios each on a line of its own.
///
/// # Errors
/// A value RON cannot write.
pub(super) fn state_to_ron(state: &super::state::State) -> Result<String, ron::Error> {
    let config = ron::ser::PrettyConfig::new()
        .depth_limit(3)
        .indentor("    ");
    ron::ser::to_string_pretty(state, config)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::restore::restore;
    use crate::app::state::State;

    /// Distinct states, each with a different preset name and a long scenario list, so a
    /// torn file (the start of one and the end of another) cannot pass for any of them.
    fn states(count: usize) -> Vec<State> {
        (0..count)
            .map(|writer| {
                let mut state = State::default();
                let document = &mut state.document;
                document.preset.name = format!("writer {writer}");
                for copy in 0..40 {
                    let mut scenario = document.preset.scenarios[copy % 11].clone();
                    scenario.name = format!("writer {writer}, copy {copy}");
                    document.preset.scenarios.push(scenario);
                }
                document.baseline = document.preset.clone();
                state.recent = vec![format!("/presets/{writer}.ron").into()];
                state
            })
            .collect()
    }

    #[test]
    fn writers_at_once_leave_one_whole_state_never_a_torn_one() {
        let folder = tempfile::tempdir().unwrap();
        let file = StateFile::new(folder.path().join("state.ron"));
        let states = states(4);
        let texts: Vec<String> = states.iter().map(|s| state_to_ron(s).unwrap()).collect();
        let stop = std::sync::atomic::AtomicBool::new(false);
        let reads = std::thread::scope(|scope| {
            let reader = std::thread::Builder::new()
                .name("test-reader".to_owned())
                .spawn_scoped(scope, || {
                    let mut reads = 0;
                    while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                        if let Some(bytes) = file.read().unwrap() {
                            let restored = restore(&bytes);
                            assert_eq!(restored.problem, None, "a torn read");
                            assert!(states.contains(&restored.state), "a state nobody wrote");
                            reads += 1;
                        }
                    }
                    reads
                })
                .unwrap();
            let writers: Vec<_> = texts
                .iter()
                .map(|text| {
                    let file = file.clone();
                    std::thread::Builder::new()
                        .name("test-writer".to_owned())
                        .spawn_scoped(scope, move || {
                            for _ in 0..50 {
                                file.write(text.as_bytes()).unwrap();
                            }
                        })
                        .unwrap()
                })
                .collect();
            for writer in writers {
                writer.join().unwrap();
            }
            stop.store(true, std::sync::atomic::Ordering::Relaxed);
            reader.join().unwrap()
        });
        assert!(reads > 0);
        // The last writer won, whole; no temporary file is left beside it.
        let last = restore(&file.read().unwrap().unwrap()).state;
        assert!(states.contains(&last));
        let names: Vec<_> = std::fs::read_dir(folder.path())
            .unwrap()
            .map(|entry| entry.unwrap().file_name())
            .collect();
        assert_eq!(names, ["state.ron"]);
    }

    #[test]
    fn a_failed_write_keeps_the_previous_state_and_is_reported_once() {
        let folder = tempfile::tempdir().unwrap();
        // A file where the state's folder should be: refused even to root.
        let blocker = folder.path().join("weightbench");
        std::fs::write(&blocker, "not a folder").unwrap();
        let file = StateFile::new(blocker.join("state.ron"));
        let mut keeper = Keeper::new(Arc::new(file), None);
        let mut state = State::default();
        assert_eq!(keeper.save(&state), Saved::Queued);
        let Some(message) = keeper.flush() else {
            panic!("the write should fail")
        };
        assert!(
            message.starts_with(&format!(
                "Could not save the window's state to {} (",
                blocker.join("state.ron").display()
            )),
            "{message}"
        );
        state.recent = vec!["/a.ron".into()];
        assert_eq!(keeper.save(&state), Saved::Queued);
        assert_eq!(keeper.flush(), None, "said once");
        // A failed state is written again at the next save, not taken as kept.
        assert_eq!(keeper.save(&state), Saved::Queued);
        assert_eq!(std::fs::read_to_string(&blocker).unwrap(), "not a folder");
    }

    #[test]
    fn an_unchanged_state_is_not_written_again() {
        let store = MemoryStore::default();
        let mut keeper = Keeper::new(Arc::new(store.clone()), None);
        let mut state = State::default();
        assert_eq!(keeper.save(&state), Saved::Queued);
        assert_eq!(keeper.flush(), None);
        assert!(keeper.has_written());
        // Another window saves its state; this one's, unchanged, does not overwrite it.
        store.write(b"(recent: [\"/other.ron\"])").unwrap();
        assert_eq!(keeper.save(&state), Saved::Unchanged);
        assert_eq!(store.bytes().unwrap(), b"(recent: [\"/other.ron\"])");
        state.recent = vec!["/mine.ron".into()];
        assert_eq!(keeper.save(&state), Saved::Queued);
        assert_eq!(keeper.flush(), None);
        assert_eq!(restore(&store.bytes().unwrap()).state, state);
    }
}
