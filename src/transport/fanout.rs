//! Running one operation on many units at once, at most `fanout` at a time, with each result
//! handed back as soon as it is ready.

use std::sync::Mutex;
use std::sync::mpsc;
use std::thread;

/// Calls `work` on every item on up to `fanout` threads; `on_result` sees (index, result) in the
/// order results arrive. Returns the results in the items' order.
pub fn run<T: Sync, R: Send>(
    items: &[T],
    fanout: usize,
    work: impl Fn(&T) -> R + Sync,
    mut on_result: impl FnMut(usize, &R),
) -> Vec<R> {
    let next = Mutex::new(0usize);
    let (tx, rx) = mpsc::channel();
    let mut results: Vec<Option<R>> = (0..items.len()).map(|_| None).collect();
    thread::scope(|s| {
        for _ in 0..fanout.clamp(1, items.len().max(1)) {
            let tx = tx.clone();
            let (next, work) = (&next, &work);
            s.spawn(move || {
                loop {
                    let i = {
                        let mut n = next.lock().expect("no thread panics holding it");
                        let i = *n;
                        *n += 1;
                        i
                    };
                    let Some(item) = items.get(i) else { break };
                    if tx.send((i, work(item))).is_err() {
                        break;
                    }
                }
            });
        }
        drop(tx);
        for (i, r) in rx {
            on_result(i, &r);
            results[i] = Some(r);
        }
    });
    results
        .into_iter()
        .map(|r| r.expect("every item was worked on"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    #[test]
    fn bounded_and_complete() {
        let running = AtomicUsize::new(0);
        let peak = AtomicUsize::new(0);
        let items: Vec<u32> = (0..20).collect();
        let mut seen = Vec::new();
        let out = run(
            &items,
            4,
            |&x| {
                let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                peak.fetch_max(now, Ordering::SeqCst);
                thread::sleep(Duration::from_millis(5));
                running.fetch_sub(1, Ordering::SeqCst);
                x * 2
            },
            |i, _| seen.push(i),
        );
        assert_eq!(out, (0..20).map(|x| x * 2).collect::<Vec<_>>());
        assert_eq!(peak.load(Ordering::SeqCst), 4);
        seen.sort();
        assert_eq!(seen, (0..20).collect::<Vec<_>>());
    }
}
