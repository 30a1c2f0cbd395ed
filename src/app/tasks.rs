//! Work off the UI thread: file dialogs today, loading data and training next.
//!
//! A [`TaskSlot`] runs one kind of work at a time on a named thread. The work reports progress
//! (a fraction and a short text) and checks for cancellation through its [`Reporter`]; its
//! result comes back through a channel that the app polls each frame from `App::logic`. Every
//! message carries the generation of the request it answers, and starting a new request
//! supersedes the old one, so a stale result is dropped, never shown.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, Sender, TryRecvError, channel};

/// Asks the window for a new frame; called from the worker thread after each message.
pub type Repaint = Arc<dyn Fn() + Send + Sync>;

/// How far a task has come.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Progress {
    /// From 0 to 1; `None` while the task cannot tell (waiting for a dialog).
    pub fraction: Option<f32>,
    /// What the task is doing, in a few words.
    pub text: String,
}

/// Why a task ended without a result.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TaskError {
    /// The user cancelled it (or a newer request replaced it).
    #[error("cancelled")]
    Cancelled,
    /// No thread could be started.
    #[error("cannot start a background thread: {0}")]
    Spawn(String),
    /// The work stopped without answering (it panicked).
    #[error("the background work stopped unexpectedly")]
    Died,
}

/// What a worker sends.
enum Message<T> {
    Progress(u64, Progress),
    Done(u64, Option<T>),
}

/// The worker's side: report progress, check for cancellation.
pub struct Reporter<T> {
    generation: u64,
    sender: Sender<Message<T>>,
    cancelled: Arc<AtomicBool>,
    repaint: Repaint,
}

impl<T> Reporter<T> {
    /// Reports `fraction` (0 to 1) done, with a short text.
    pub fn progress(&self, fraction: f32, text: impl Into<String>) {
        let progress = Progress {
            fraction: Some(fraction.clamp(0.0, 1.0)),
            text: text.into(),
        };
        // The receiver is gone only when the app dropped the task; nobody to tell then.
        let _ = self
            .sender
            .send(Message::Progress(self.generation, progress));
        (self.repaint)();
    }

    /// The flag that says the task was cancelled, for work that checks it itself.
    #[must_use]
    pub fn cancel_flag(&self) -> &AtomicBool {
        &self.cancelled
    }

    /// Whether the task was cancelled; long work checks this often and returns `None`.
    #[must_use]
    pub fn is_cancelled(&self) -> bool {
        self.cancelled.load(Ordering::Relaxed)
    }
}

/// A running piece of work.
struct Running<T> {
    generation: u64,
    label: String,
    progress: Progress,
    receiver: Receiver<Message<T>>,
    cancelled: Arc<AtomicBool>,
    /// Why no thread could be started, if none could.
    spawn_error: Option<String>,
}

/// What a slot's work is doing, for the status bar.
#[derive(Clone, Debug, PartialEq)]
pub struct Status {
    /// What runs ("Waiting for the file dialog").
    pub label: String,
    /// How far it has come.
    pub progress: Progress,
}

/// One kind of background work, at most one request running at a time.
pub struct TaskSlot<T> {
    generation: u64,
    running: Option<Running<T>>,
}

impl<T> Default for TaskSlot<T> {
    fn default() -> Self {
        Self {
            generation: 0,
            running: None,
        }
    }
}

impl<T: Send + 'static> TaskSlot<T> {
    /// Starts `work` on a thread named `thread_name`, superseding (and cancelling) any request
    /// still running; returns the new request's generation.
    ///
    /// `work` returns `None` when it saw that it was cancelled.
    pub fn start(
        &mut self,
        thread_name: &str,
        label: impl Into<String>,
        repaint: Repaint,
        work: impl FnOnce(&Reporter<T>) -> Option<T> + Send + 'static,
    ) -> u64 {
        self.cancel();
        self.generation += 1;
        let generation = self.generation;
        let (sender, receiver) = channel();
        let cancelled = Arc::new(AtomicBool::new(false));
        let reporter = Reporter {
            generation,
            sender,
            cancelled: Arc::clone(&cancelled),
            repaint,
        };
        let spawned = std::thread::Builder::new()
            .name(thread_name.to_owned())
            .spawn(move || {
                let result = work(&reporter);
                let _ = reporter.sender.send(Message::Done(generation, result));
                (reporter.repaint)();
            });
        // Without a thread the closure and its sender are gone: the next poll reports why.
        self.running = Some(Running {
            generation,
            label: label.into(),
            progress: Progress::default(),
            receiver,
            cancelled,
            spawn_error: spawned.err().map(|error| error.to_string()),
        });
        generation
    }

    /// Takes the result if the current request has finished; stale messages are dropped.
    ///
    /// `Some(Err(TaskError::Cancelled))` once after a cancelled request ends.
    pub fn poll(&mut self) -> Option<Result<T, TaskError>> {
        let running = self.running.as_mut()?;
        if let Some(error) = running.spawn_error.take() {
            self.running = None;
            return Some(Err(TaskError::Spawn(error)));
        }
        loop {
            match running.receiver.try_recv() {
                Ok(Message::Progress(generation, progress)) => {
                    if generation == running.generation {
                        running.progress = progress;
                    }
                }
                Ok(Message::Done(generation, result)) => {
                    if generation != running.generation {
                        continue;
                    }
                    let cancelled = running.cancelled.load(Ordering::Relaxed);
                    self.running = None;
                    return Some(match result {
                        Some(value) if !cancelled => Ok(value),
                        _ => Err(TaskError::Cancelled),
                    });
                }
                Err(TryRecvError::Empty) => return None,
                Err(TryRecvError::Disconnected) => {
                    self.running = None;
                    return Some(Err(TaskError::Died));
                }
            }
        }
    }

    /// Asks the running request to stop; its result will not be shown.
    pub fn cancel(&mut self) {
        if let Some(running) = &self.running {
            running.cancelled.store(true, Ordering::Relaxed);
        }
    }

    /// Whether a request is running.
    #[must_use]
    pub fn is_running(&self) -> bool {
        self.running.is_some()
    }

    /// The generation of the latest request (0 before the first).
    #[must_use]
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// What the running request is doing.
    #[must_use]
    pub fn status(&self) -> Option<Status> {
        self.running.as_ref().map(|running| Status {
            label: running.label.clone(),
            progress: running.progress.clone(),
        })
    }
}

#[cfg(test)]
#[allow(clippy::float_cmp, reason = "exact values are what these tests assert")]
mod tests {
    use std::sync::Barrier;
    use std::time::{Duration, Instant};

    use super::*;

    fn no_repaint() -> Repaint {
        Arc::new(|| {})
    }

    /// Polls until the slot answers (a test fails after 10 s rather than hanging).
    fn wait<T: Send + 'static>(slot: &mut TaskSlot<T>) -> Result<T, TaskError> {
        let start = Instant::now();
        loop {
            if let Some(result) = slot.poll() {
                return result;
            }
            assert!(start.elapsed() < Duration::from_secs(10), "no answer");
            std::thread::sleep(Duration::from_millis(1));
        }
    }

    #[test]
    fn a_task_runs_on_a_named_thread_and_answers() {
        let mut slot = TaskSlot::default();
        let generation = slot.start("worker-name", "naming", no_repaint(), |_| {
            std::thread::current().name().map(str::to_owned)
        });
        assert_eq!(generation, 1);
        assert!(slot.is_running());
        assert_eq!(wait(&mut slot), Ok("worker-name".to_owned()));
        assert!(!slot.is_running());
        assert_eq!(slot.poll(), None);
    }

    #[test]
    fn progress_reaches_the_status_and_repaints() {
        let mut slot = TaskSlot::default();
        let repaints = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let counter = Arc::clone(&repaints);
        let repaint: Repaint = Arc::new(move || {
            counter.fetch_add(1, Ordering::Relaxed);
        });
        let reported = Arc::new(Barrier::new(2));
        let finish = Arc::new(Barrier::new(2));
        let (r, f) = (Arc::clone(&reported), Arc::clone(&finish));
        slot.start("progress", "Counting", repaint, move |reporter| {
            reporter.progress(0.25, "a quarter");
            r.wait();
            f.wait();
            Some(7)
        });
        reported.wait();
        assert_eq!(slot.poll(), None);
        let status = slot.status().unwrap();
        assert_eq!(status.label, "Counting");
        assert_eq!(status.progress.fraction, Some(0.25));
        assert_eq!(status.progress.text, "a quarter");
        finish.wait();
        assert_eq!(wait(&mut slot), Ok(7));
        assert_eq!(repaints.load(Ordering::Relaxed), 2, "one per message");
    }

    #[test]
    fn a_cancelled_task_stops_and_gives_no_result() {
        let mut slot = TaskSlot::default();
        let started = Arc::new(Barrier::new(2));
        let s = Arc::clone(&started);
        slot.start("cancel", "Looping", no_repaint(), move |reporter| {
            s.wait();
            while !reporter.is_cancelled() {
                std::thread::sleep(Duration::from_millis(1));
            }
            None::<u32>
        });
        started.wait();
        slot.cancel();
        assert_eq!(wait(&mut slot), Err(TaskError::Cancelled));
    }

    #[test]
    fn a_result_that_arrives_after_cancel_is_dropped() {
        let mut slot = TaskSlot::default();
        let go = Arc::new(Barrier::new(2));
        let g = Arc::clone(&go);
        slot.start("late", "Ignoring cancel", no_repaint(), move |_| {
            g.wait();
            Some(1)
        });
        slot.cancel();
        go.wait();
        assert_eq!(wait(&mut slot), Err(TaskError::Cancelled));
    }

    #[test]
    fn a_newer_request_supersedes_the_older_one() {
        let mut slot = TaskSlot::default();
        let release = Arc::new(Barrier::new(2));
        let r = Arc::clone(&release);
        let first = slot.start("first", "old", no_repaint(), move |_| {
            r.wait();
            Some("stale")
        });
        let second = slot.start("second", "new", no_repaint(), |_| Some("fresh"));
        assert_eq!((first, second, slot.generation()), (1, 2, 2));
        release.wait();
        assert_eq!(wait(&mut slot), Ok("fresh"));
        // The first one's answer never surfaces.
        std::thread::sleep(Duration::from_millis(20));
        assert_eq!(slot.poll(), None);
    }

    #[test]
    fn a_panicking_task_is_reported_not_propagated() {
        let mut slot = TaskSlot::<u8>::default();
        // Keep the test's output free of the panic message.
        let hook = std::panic::take_hook();
        std::panic::set_hook(Box::new(|_| {}));
        slot.start("panics", "Failing", no_repaint(), |_| panic!("boom"));
        let result = wait(&mut slot);
        std::panic::set_hook(hook);
        assert_eq!(result, Err(TaskError::Died));
    }
}
