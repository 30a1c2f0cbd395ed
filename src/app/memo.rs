//! Derived results kept with the key of the inputs they were computed from, synced once per
//! frame from `App::logic`: nothing is invalidated by hand.
//!
//! - [`Memo`]: a fast result, computed on the UI thread when its key changes.
//! - [`Background`]: a slow result, computed on a [`TaskSlot`] when its key changes (and the
//!   caller allows a start, e.g. not during a drag); the result of a superseded request is
//!   dropped, and a request that failed or was cancelled is not repeated for the same key until
//!   the user asks ([`Background::run_again`]).

use super::tasks::{Repaint, Reporter, TaskError, TaskSlot};

/// A result derived on the UI thread from inputs whose key is `K`.
pub struct Memo<K, V> {
    entry: Option<(K, V)>,
}

impl<K, V> Default for Memo<K, V> {
    fn default() -> Self {
        Self { entry: None }
    }
}

impl<K: PartialEq, V> Memo<K, V> {
    /// Recomputes the value when `key` differs from the one it was computed for; `compute`
    /// gets the previous value (if any) to reuse what it can.
    pub fn sync(&mut self, key: K, compute: impl FnOnce(&K, Option<V>) -> V) -> &V {
        let entry = match self.entry.take() {
            Some((old, value)) if old == key => (old, value),
            previous => {
                let value = compute(&key, previous.map(|(_, value)| value));
                (key, value)
            }
        };
        &self.entry.insert(entry).1
    }

    /// The value last computed, whatever its key.
    #[must_use]
    pub fn get(&self) -> Option<&V> {
        self.entry.as_ref().map(|(_, value)| value)
    }

    /// Forgets the value (its inputs are gone).
    pub fn clear(&mut self) {
        self.entry = None;
    }
}

/// A slow result derived on a background task from inputs whose key is `K`.
pub struct Background<K, V> {
    /// The latest answer and the key it was computed for.
    result: Option<(K, V)>,
    /// The key of the request in flight.
    asked: Option<K>,
    /// A request that gave nothing (cancelled or failed), with why, until asked again.
    stopped: Option<(K, String)>,
}

impl<K, V> Default for Background<K, V> {
    fn default() -> Self {
        Self {
            result: None,
            asked: None,
            stopped: None,
        }
    }
}

/// What a start needs: the slot to run in, and how to wake the window.
pub struct Start<'a, V> {
    /// The registry's slot for this kind of work.
    pub slot: &'a mut TaskSlot<V>,
    /// Asks for a frame when the work reports.
    pub repaint: Repaint,
    /// Whether a new request may start now (not during a drag, only while shown, ...).
    pub allowed: bool,
}

impl<K: Clone + PartialEq, V: Send + 'static> Background<K, V> {
    /// Takes the answer of the request in flight, if it came; then starts a request for `key`
    /// unless the latest answer, the request in flight or a stopped one is already for it.
    ///
    /// `work(key, reporter)` runs on a thread named `thread_name`; it returns `None` when it saw
    /// that it was cancelled. `why` words a task failure for the view. Returns whether a new
    /// answer arrived.
    pub fn sync(
        &mut self,
        key: &K,
        start: Start<'_, V>,
        label: (&str, String),
        work: impl FnOnce(K, &Reporter<V>) -> Option<V> + Send + 'static,
        why: impl FnOnce(&TaskError) -> String,
    ) -> bool
    where
        K: Send + 'static,
    {
        let arrived = self.take(start.slot, why);
        let known = |entry: Option<&K>| entry == Some(key);
        let wanted = !known(self.result.as_ref().map(|(k, _)| k))
            && !known(self.asked.as_ref())
            && !known(self.stopped.as_ref().map(|(k, _)| k));
        if wanted && start.allowed {
            let owned = key.clone();
            let (thread_name, label) = label;
            start
                .slot
                .start(thread_name, label, start.repaint, move |reporter| {
                    work(owned, reporter)
                });
            self.asked = Some(key.clone());
        }
        arrived
    }

    /// Takes the answer of the request in flight, if it came.
    fn take(&mut self, slot: &mut TaskSlot<V>, why: impl FnOnce(&TaskError) -> String) -> bool {
        let Some(answer) = slot.poll() else {
            return false;
        };
        let Some(asked) = self.asked.take() else {
            return false;
        };
        match answer {
            Ok(value) => {
                self.result = Some((asked, value));
                true
            }
            Err(error) => {
                self.stopped = Some((asked, why(&error)));
                false
            }
        }
    }

    /// The latest answer, whatever it was computed for.
    #[must_use]
    pub fn latest(&self) -> Option<&(K, V)> {
        self.result.as_ref()
    }

    /// The answer for `key`, if the latest is for it.
    #[must_use]
    pub fn current(&self, key: &K) -> Option<&V> {
        self.result
            .as_ref()
            .filter(|(k, _)| k == key)
            .map(|(_, value)| value)
    }

    /// Why the request for `key` gave nothing, if it stopped.
    #[must_use]
    pub fn stopped(&self, key: &K) -> Option<&str> {
        self.stopped
            .as_ref()
            .filter(|(k, _)| k == key)
            .map(|(_, why)| why.as_str())
    }

    /// Records that the request for `key` gave nothing, and why (a failure the work itself
    /// reported), so it is not repeated until asked.
    pub fn stop(&mut self, key: K, why: String) {
        self.stopped = Some((key, why));
    }

    /// Lets a stopped request run again at the next sync (also one whose answer was a
    /// failure that stopped it).
    pub fn run_again(&mut self) {
        if let Some((key, _)) = self.stopped.take()
            && self.result.as_ref().is_some_and(|(k, _)| *k == key)
        {
            self.result = None;
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::time::{Duration, Instant};

    use super::*;

    #[test]
    fn a_memo_computes_once_per_key_and_reuses_the_previous_value() {
        let mut memo = Memo::default();
        let mut runs = 0;
        let mut compute = |key: &u32, previous: Option<u32>| {
            runs += 1;
            key * 10 + previous.unwrap_or(0)
        };
        assert_eq!(*memo.sync(1, &mut compute), 10);
        assert_eq!(*memo.sync(1, &mut compute), 10);
        assert_eq!(
            *memo.sync(2, &mut compute),
            30,
            "the previous value is offered"
        );
        assert_eq!(runs, 2);
        assert_eq!(memo.get(), Some(&30));
        memo.clear();
        assert_eq!(memo.get(), None);
    }

    /// One sync for `key`, whose work answers `answer(key)` (`None`: it was cancelled).
    fn sync_once(
        background: &mut Background<u32, u32>,
        slot: &mut TaskSlot<u32>,
        key: u32,
        allowed: bool,
        answer: fn(u32) -> Option<u32>,
    ) {
        let start = Start {
            slot,
            repaint: Arc::new(|| {}),
            allowed,
        };
        let work = move |k, _: &Reporter<u32>| answer(k);
        background.sync(&key, start, ("t", "t".into()), work, ToString::to_string);
    }

    /// Syncs until the request for `key` answers or stops (a test fails after 10 s rather
    /// than hanging).
    fn settle(
        background: &mut Background<u32, u32>,
        slot: &mut TaskSlot<u32>,
        key: u32,
        answer: fn(u32) -> Option<u32>,
    ) {
        let start = Instant::now();
        loop {
            sync_once(background, slot, key, true, answer);
            let answered = !slot.is_running() && background.current(&key).is_some();
            if answered || background.stopped(&key).is_some() {
                return;
            }
            assert!(start.elapsed() < Duration::from_secs(10), "no answer");
            std::thread::sleep(Duration::from_millis(1));
        }
    }

    /// The work of most tests: twice the key.
    const DOUBLE: fn(u32) -> Option<u32> = |key| Some(key * 2);

    #[test]
    fn a_background_result_follows_its_key_and_is_not_asked_twice() {
        let mut background = Background::default();
        let mut slot = TaskSlot::default();
        settle(&mut background, &mut slot, 3, DOUBLE);
        assert_eq!(background.current(&3), Some(&6));
        // Synced again with the same key: nothing starts.
        sync_once(&mut background, &mut slot, 3, true, |_| Some(0));
        assert!(!slot.is_running());
        // A new key: the old answer stays the latest until the new one comes.
        sync_once(&mut background, &mut slot, 4, false, |_| Some(0));
        assert!(!slot.is_running(), "not allowed to start yet");
        assert_eq!(background.current(&4), None);
        assert_eq!(background.latest(), Some(&(3, 6)));
        settle(&mut background, &mut slot, 4, DOUBLE);
        assert_eq!(background.current(&4), Some(&8));
    }

    #[test]
    fn a_cancelled_request_stops_until_asked_again() {
        let mut background = Background::<u32, u32>::default();
        let mut slot = TaskSlot::default();
        settle(&mut background, &mut slot, 5, |_| None);
        assert_eq!(background.stopped(&5), Some("cancelled"));
        assert_eq!(background.current(&5), None);
        sync_once(&mut background, &mut slot, 5, true, DOUBLE);
        assert!(!slot.is_running(), "a stopped key is not asked again");
        background.run_again();
        settle(&mut background, &mut slot, 5, DOUBLE);
        assert_eq!(background.current(&5), Some(&10));
    }

    #[test]
    fn a_failed_answer_can_be_stopped_and_run_again() {
        let mut background = Background::<u32, u32>::default();
        let mut slot = TaskSlot::default();
        settle(&mut background, &mut slot, 7, |_| Some(0));
        // The answer was a failure of the work's own: the caller stops it with why.
        background.stop(7, "failed".to_owned());
        assert_eq!(background.stopped(&7), Some("failed"));
        background.run_again();
        assert_eq!(
            background.latest(),
            None,
            "the failed answer is dropped to run again"
        );
        settle(&mut background, &mut slot, 7, DOUBLE);
        assert_eq!(background.current(&7), Some(&14));
    }
}
