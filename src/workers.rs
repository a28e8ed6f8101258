//! Running one function over many items on every core: scoped threads pulling
//! indices from a shared counter (a work queue without a queue), so one slow
//! item never leaves the other threads idle, and results come back in input
//! order. Small enough that a thread-pool crate would add more than it saves.

use std::sync::atomic::{AtomicUsize, Ordering};

/// Threads to use: the available cores, at most 16 (past that, reading files
/// and inflating blobs stops scaling). Asked of the system once per process:
/// the answer reads cgroup files (tens of system calls), and a scan asks it
/// for every long window.
pub fn threads() -> usize {
    static THREADS: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *THREADS.get_or_init(|| {
        std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .clamp(1, 16)
    })
}

/// Applies `f` to every item on at most `n` threads (usually [`threads`]),
/// each with its own state from `init` (a `git2::Repository` is not `Sync`,
/// so each thread opens one), and returns the results in the order of
/// `items`. This thread is one of them and takes items from the first, so no
/// item waits for a thread that starts late (a new thread can take
/// milliseconds to get a core of its own on a busy or virtual machine) and a
/// thread that runs slowly takes fewer items.
pub fn map_on<T, S, R>(
    n: usize,
    items: &[T],
    init: impl Fn() -> S + Sync,
    f: impl Fn(&mut S, &T) -> R + Sync,
) -> Vec<R>
where
    T: Sync,
    R: Send,
{
    let n = n.min(items.len());
    if n <= 1 {
        let mut state = init();
        return items.iter().map(|t| f(&mut state, t)).collect();
    }
    let next = AtomicUsize::new(0);
    let work = || {
        let mut state = init();
        let mut mine = Vec::new();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(item) = items.get(i) else { break };
            mine.push((i, f(&mut state, item)));
        }
        mine
    };
    let mut done: Vec<(usize, R)> = std::thread::scope(|s| {
        let others: Vec<_> = (1..n).map(|_| s.spawn(work)).collect();
        let mut done = work();
        for other in others {
            done.extend(other.join().expect("worker panicked"));
        }
        done
    });
    done.sort_unstable_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, r)| r).collect()
}

/// [`map_on`] on [`threads`] threads without per-thread state.
pub fn map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    map_on(threads(), items, || (), |_, t| f(t))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_keep_input_order() {
        let items: Vec<u64> = (0..1000).collect();
        let out = map(&items, |x| x * 2);
        assert_eq!(out, items.iter().map(|x| x * 2).collect::<Vec<_>>());
    }

    #[test]
    fn each_thread_gets_its_own_state() {
        let items: Vec<u32> = (0..100).collect();
        let out = map_on(
            threads(),
            &items,
            || 0u32,
            |count, _| {
                *count += 1;
                *count
            },
        );
        assert_eq!(out.len(), 100);
        assert!(out.iter().all(|&c| c >= 1));
    }

    #[test]
    fn empty_input() {
        assert!(map(&Vec::<u8>::new(), |x| *x).is_empty());
    }
}
