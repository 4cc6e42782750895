//! Work handed to rayon's threads a batch at a time while the caller reads on (a web
//! archive's pages are extracted while the next records are unpacked), the results handed
//! back in the order the work came. At most [`IN_FLIGHT`] batches wait or run on the pool;
//! past that the caller does a batch itself, so reading never runs far ahead of the
//! extraction and memory holds a few batches, whatever the size of the file.
//!
//! The caller may itself be one of rayon's threads (files are loaded in parallel): while
//! it waits for the last batches it runs pool work itself ([`rayon::yield_now`]) rather
//! than block, so two callers waiting on each other's batches can never stall the pool.

use std::collections::BTreeMap;
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError, Sender};
use std::sync::Arc;

/// Batches on the pool at once, at most.
pub const IN_FLIGHT: usize = 4;

/// One item's outcome: its result, or `None` when the work panicked on it.
pub type Outcome<R> = Option<R>;

/// Work done a batch at a time on rayon's threads; results in the order pushed.
pub struct Pool<T, R> {
    work: Arc<dyn Fn(T) -> R + Send + Sync>,
    size: usize,
    batch: Vec<T>,
    tx: Sender<(usize, Vec<Outcome<R>>)>,
    rx: Receiver<(usize, Vec<Outcome<R>>)>,
    /// Batches numbered so far; the next to hand back.
    sent: usize,
    next: usize,
    in_flight: usize,
    ready: BTreeMap<usize, Vec<Outcome<R>>>,
}

impl<T: Send + 'static, R: Send + 'static> Pool<T, R> {
    /// A pool doing `work` on batches of `size` items.
    pub fn new(size: usize, work: impl Fn(T) -> R + Send + Sync + 'static) -> Self {
        let (tx, rx) = channel();
        Pool {
            work: Arc::new(work),
            size: size.max(1),
            batch: Vec::new(),
            tx,
            rx,
            sent: 0,
            next: 0,
            in_flight: 0,
            ready: BTreeMap::new(),
        }
    }

    /// Add an item; the results finished by now, in order (often none).
    pub fn push(&mut self, item: T) -> Vec<Outcome<R>> {
        self.batch.push(item);
        if self.batch.len() >= self.size {
            self.collect();
            let batch = std::mem::take(&mut self.batch);
            if self.in_flight < IN_FLIGHT {
                self.spawn(batch);
            } else {
                // the pool has enough to do: this batch is the caller's
                let seq = self.number();
                let done = run(&*self.work, batch);
                self.ready.insert(seq, done);
            }
        }
        self.collect();
        self.in_order()
    }

    /// Every result not handed back yet, in order, once all the work is done.
    pub fn finish(&mut self) -> Vec<Outcome<R>> {
        if !self.batch.is_empty() {
            let seq = self.number();
            let done = run(&*self.work, std::mem::take(&mut self.batch));
            self.ready.insert(seq, done);
        }
        while self.in_flight > 0 {
            self.collect();
            if self.in_flight == 0 {
                break;
            }
            match rayon::yield_now() {
                Some(rayon::Yield::Executed) => {}
                // a batch runs on another thread: wait for it a moment, then look again
                Some(rayon::Yield::Idle) => self.wait(Some(std::time::Duration::from_millis(2))),
                // not on the pool: the pool does the work
                None => self.wait(None),
            }
        }
        self.in_order()
    }

    fn number(&mut self) -> usize {
        self.sent += 1;
        self.sent - 1
    }

    fn spawn(&mut self, batch: Vec<T>) {
        let seq = self.number();
        let work = Arc::clone(&self.work);
        let tx = self.tx.clone();
        self.in_flight += 1;
        rayon::spawn(move || {
            // the receiver outlives every batch it waits for; a send can fail only when
            // the caller itself is unwinding
            let _ = tx.send((seq, run(&*work, batch)));
        });
    }

    fn take(&mut self, (seq, done): (usize, Vec<Outcome<R>>)) {
        self.in_flight -= 1;
        self.ready.insert(seq, done);
    }

    /// Take the batches finished by now.
    fn collect(&mut self) {
        while let Ok(d) = self.rx.try_recv() {
            self.take(d);
        }
    }

    fn wait(&mut self, limit: Option<std::time::Duration>) {
        match limit {
            Some(t) => match self.rx.recv_timeout(t) {
                Ok(d) => self.take(d),
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => unreachable!("the pool holds a sender"),
            },
            None => {
                if let Ok(d) = self.rx.recv() {
                    self.take(d);
                }
            }
        }
    }

    /// The results whose turn has come.
    fn in_order(&mut self) -> Vec<Outcome<R>> {
        let mut out = Vec::new();
        while let Some(done) = self.ready.remove(&self.next) {
            out.extend(done);
            self.next += 1;
        }
        out
    }
}

/// A batch's work, each item's panic caught (that item's outcome `None`).
fn run<T, R>(work: &(dyn Fn(T) -> R + Send + Sync), batch: Vec<T>) -> Vec<Outcome<R>> {
    batch
        .into_iter()
        .map(|item| std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| work(item))).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_back_in_order_whoever_did_the_work() {
        let mut pool = Pool::new(3, |i: u64| {
            // uneven work, so batches finish out of order
            std::thread::sleep(std::time::Duration::from_micros((i * 7919) % 500));
            i * 2
        });
        let mut got = Vec::new();
        for i in 0..200 {
            got.extend(pool.push(i));
        }
        got.extend(pool.finish());
        let want: Vec<Option<u64>> = (0..200).map(|i| Some(i * 2)).collect();
        assert_eq!(got, want);
        assert!(pool.finish().is_empty());
    }

    #[test]
    fn a_panic_costs_its_item_only() {
        let mut pool = Pool::new(2, |i: u32| {
            assert!(i != 3, "a bug met on item 3");
            i
        });
        let mut got = Vec::new();
        for i in 0..6 {
            got.extend(pool.push(i));
        }
        got.extend(pool.finish());
        assert_eq!(got, vec![Some(0), Some(1), Some(2), None, Some(4), Some(5)]);
    }

    #[test]
    fn callers_on_the_pool_itself_finish() {
        // every pool thread a caller waiting on its own batches: none may stall
        use rayon::prelude::*;
        let sums: Vec<u64> = (0..8u64)
            .into_par_iter()
            .map(|k| {
                let mut pool = Pool::new(4, move |i: u64| i + k);
                let mut s = 0;
                for i in 0..100 {
                    s += pool.push(i).into_iter().flatten().sum::<u64>();
                }
                s + pool.finish().into_iter().flatten().sum::<u64>()
            })
            .collect();
        let want: Vec<u64> = (0..8).map(|k| 4950 + 100 * k).collect();
        assert_eq!(sums, want);
    }
}
