//! Query deadlines: one watchdog thread for the whole process cancels queries past their time.
//!
//! Issue #20: `serve` once spawned a thread per query that slept for the whole timeout, so a burst
//! of fast queries left thousands of sleeping threads and the process aborted. Here a query
//! registers its deadline in one ordered map and gets a [`Deadline`] guard; dropping the guard
//! (the query finished) removes the entry, so the map holds only queries still running, and the
//! one thread looks at the earliest deadline every 50 ms at most.

use oxigraph::sparql::CancellationToken;
use std::collections::BTreeMap;
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

#[derive(Default)]
struct State {
    /// Running queries by deadline (and a sequence number, to keep equal deadlines apart).
    pending: BTreeMap<(Instant, u64), CancellationToken>,
    next: u64,
}

/// The deadlines of running queries; the watchdog thread starts with the first.
fn watchdog() -> &'static Mutex<State> {
    static WATCHDOG: OnceLock<&'static Mutex<State>> = OnceLock::new();
    WATCHDOG.get_or_init(|| {
        let state: &'static Mutex<State> = Box::leak(Box::default());
        std::thread::Builder::new()
            .name("mss-kg query watchdog".into())
            .stack_size(64 * 1024)
            .spawn(move || run(state))
            .expect("the query watchdog thread starts");
        state
    })
}

/// The watchdog looks at least this often, so a query need not wake it when it starts: a
/// deadline is kept to within this (a wake-up per query would cost more than a small query).
const TICK: Duration = Duration::from_millis(50);

fn run(state: &Mutex<State>) {
    loop {
        let mut state_now = state.lock().unwrap_or_else(|e| e.into_inner());
        let now = Instant::now();
        while let Some(entry) = state_now.pending.first_entry() {
            if entry.key().0 > now {
                break;
            }
            entry.remove().cancel();
        }
        let next = state_now
            .pending
            .keys()
            .next()
            .map_or(TICK, |(at, _)| at.saturating_duration_since(now).min(TICK));
        drop(state_now);
        std::thread::sleep(next);
    }
}

/// A query's time limit: its token is cancelled when the time is up, unless the guard is dropped
/// first. Oxigraph checks the token for every quad it reads (and `serve` for every result row),
/// so a cancelled query stops there with "The SPARQL operation has been cancelled".
pub struct Deadline {
    token: CancellationToken,
    key: Option<(Instant, u64)>,
    timeout: Option<Duration>,
}

impl Deadline {
    /// A deadline `timeout` from now; `None` never expires.
    pub fn after(timeout: Option<Duration>) -> Self {
        let token = CancellationToken::new();
        let Some(timeout) = timeout else {
            return Self {
                token,
                key: None,
                timeout,
            };
        };
        let at = Instant::now() + timeout;
        let mut state = watchdog().lock().unwrap_or_else(|e| e.into_inner());
        let key = (at, state.next);
        state.next += 1;
        state.pending.insert(key, token.clone());
        drop(state);
        Self {
            token,
            key: Some(key),
            timeout: Some(timeout),
        }
    }

    /// The token to give the evaluator.
    pub fn token(&self) -> CancellationToken {
        self.token.clone()
    }

    /// The time limit, for messages.
    pub fn timeout(&self) -> Option<Duration> {
        self.timeout
    }

    /// Whether the time is up (the token was cancelled).
    pub fn expired(&self) -> bool {
        self.key.is_some() && self.token.is_cancelled()
    }
}

impl Drop for Deadline {
    fn drop(&mut self) {
        if let Some(key) = self.key {
            let mut state = watchdog().lock().unwrap_or_else(|e| e.into_inner());
            state.pending.remove(&key);
        }
    }
}

/// How many deadlines are registered (queries running with a time limit).
#[cfg(test)]
fn pending() -> usize {
    watchdog()
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .pending
        .len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cancels_only_what_runs_past_its_time() {
        let quick = Deadline::after(Some(Duration::from_millis(30)));
        let slow = Deadline::after(Some(Duration::from_secs(3600)));
        let none = Deadline::after(None);
        std::thread::sleep(Duration::from_millis(200));
        assert!(quick.expired());
        assert!(!slow.expired());
        assert!(!none.expired());
        let token = slow.token();
        drop(slow);
        std::thread::sleep(Duration::from_millis(50));
        assert!(!token.is_cancelled(), "a finished query is never cancelled");
    }

    #[test]
    fn finished_queries_leave_nothing_behind() {
        let before = pending();
        for _ in 0..10_000 {
            let _d = Deadline::after(Some(Duration::from_secs(60)));
        }
        // (Other tests may hold a few deadlines meanwhile.)
        assert!(pending() < before + 10, "every guard removed its deadline");
    }
}
