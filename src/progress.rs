//! A one-line progress display on stderr for scans that take more than a
//! moment: items (files or commits) and megabytes done, and the rate. Only on a
//! terminal, only after the first second, redrawn at most four times a second,
//! and erased at the end, so quick scans and piped output never see it.
//! Hand-written: a `\r` and a counter do not need a crate.

use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// Nothing is drawn before this much time has passed.
const DELAY: Duration = Duration::from_secs(1);
/// Time between redraws.
const TICK: Duration = Duration::from_millis(250);

/// Shared counters that workers bump and a ticker thread draws.
#[derive(Debug)]
pub struct Progress {
    noun: &'static str,
    items: AtomicU64,
    total: AtomicU64,
    bytes: AtomicU64,
    enabled: bool,
}

impl Progress {
    /// Counts `noun`s ("files", "commits"); draws only when stderr is a terminal.
    pub fn new(noun: &'static str) -> Progress {
        Progress::with_display(noun, std::io::stderr().is_terminal())
    }

    /// Like [`Progress::new`] with the terminal decision made by the caller.
    pub fn with_display(noun: &'static str, enabled: bool) -> Progress {
        Progress {
            noun,
            items: AtomicU64::new(0),
            total: AtomicU64::new(0),
            bytes: AtomicU64::new(0),
            enabled,
        }
    }

    /// Sets how many items there are in all (0: unknown).
    pub fn set_total(&self, total: u64) {
        self.total.store(total, Ordering::Relaxed);
    }

    /// Records `items` more items done.
    pub fn add_items(&self, items: u64) {
        self.items.fetch_add(items, Ordering::Relaxed);
    }

    /// Records `bytes` more bytes read.
    pub fn add_bytes(&self, bytes: u64) {
        self.bytes.fetch_add(bytes, Ordering::Relaxed);
    }

    /// Bytes recorded so far.
    pub fn bytes(&self) -> u64 {
        self.bytes.load(Ordering::Relaxed)
    }

    /// Runs `work` while a ticker thread redraws the line; erases it afterwards.
    pub fn run<R>(&self, work: impl FnOnce() -> R) -> R {
        if !self.enabled {
            return work();
        }
        let (stop, stopped) = mpsc::channel::<()>();
        std::thread::scope(|s| {
            s.spawn(move || self.tick(stopped));
            let r = work();
            drop(stop);
            r
        })
    }

    fn tick(&self, stopped: mpsc::Receiver<()>) {
        let start = Instant::now();
        let mut drawn = false;
        let wait = |d| stopped.recv_timeout(d) != Err(mpsc::RecvTimeoutError::Timeout);
        if !wait(DELAY) {
            loop {
                let text = self.line(start.elapsed());
                let mut err = std::io::stderr().lock();
                let _ = write!(err, "\r\x1b[K{text}");
                let _ = err.flush();
                drawn = true;
                drop(err);
                if wait(TICK) {
                    break;
                }
            }
        }
        if drawn {
            let mut err = std::io::stderr().lock();
            let _ = write!(err, "\r\x1b[K");
            let _ = err.flush();
        }
    }

    /// The text of the line after `elapsed`.
    pub fn line(&self, elapsed: Duration) -> String {
        line(
            self.noun,
            self.items.load(Ordering::Relaxed),
            self.total.load(Ordering::Relaxed),
            self.bytes.load(Ordering::Relaxed),
            elapsed,
        )
    }
}

/// `keyhook: 120/400 commits, 35.2 MB, 12.1 MB/s`.
fn line(noun: &str, items: u64, total: u64, bytes: u64, elapsed: Duration) -> String {
    let mb = bytes as f64 / 1e6;
    let rate = mb / elapsed.as_secs_f64().max(1e-3);
    let count = if total > 0 {
        format!("{items}/{total}")
    } else {
        items.to_string()
    };
    format!("keyhook: {count} {noun}, {mb:.1} MB, {rate:.1} MB/s")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_shows_counts_size_and_rate() {
        let l = line("commits", 120, 400, 35_200_000, Duration::from_secs(2));
        assert_eq!(l, "keyhook: 120/400 commits, 35.2 MB, 17.6 MB/s");
        let l = line("files", 7, 0, 0, Duration::from_secs(1));
        assert_eq!(l, "keyhook: 7 files, 0.0 MB, 0.0 MB/s");
    }

    #[test]
    fn disabled_progress_just_runs_the_work() {
        let p = Progress::with_display("files", false);
        p.add_items(3);
        p.add_bytes(10);
        assert_eq!(p.run(|| 42), 42);
        assert_eq!(p.bytes(), 10);
    }
}
