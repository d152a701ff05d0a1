//! The lock gate: connections of one process that find a database lock
//! taken by another of its connections wait here, in FIFO order, instead of
//! sleeping and retrying (Ferrolite's replacement for SQLite's busy-retry
//! loop; see `Connection::retrying_busy_on`).
//!
//! One gate per database file per process (the unix VFS keeps it with the
//! file's inode state). Every release of a write lock on the file — the
//! database lock going down from RESERVED or more, an exclusive `-shm` lock
//! (the WAL write lock, the checkpointer's) being unlocked — bumps the
//! gate's generation and wakes the waiters. (SHARED locks are not
//! announced: waiters drop theirs each time they retry.) A
//! waiter holds a ticket in the queue and tries the lock again only when it
//! is at the head of the queue and something was released since its last
//! try; a ticket taken with priority goes to the head. Locks held by other
//! processes are not announced here, so a waiter also tries again after a
//! short poll interval.
//!
//! Invariants: a ticket is in the queue from `enqueue` to `leave` exactly;
//! `leave` wakes the others, so the next ticket at the head never waits
//! for a release that already happened.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use parking_lot::{Condvar, Mutex};

#[derive(Default)]
struct State {
    /// Bumped by every release.
    generation: u64,
    /// Tickets in turn order, with when each started waiting.
    queue: VecDeque<(u64, Instant)>,
    next_ticket: u64,
}

/// Where waiting connections of one process queue for a file's locks.
#[derive(Default)]
pub struct LockGate {
    state: Mutex<State>,
    cv: Condvar,
}

/// A place in a gate's queue.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ticket(u64);

impl LockGate {
    pub fn new() -> LockGate {
        LockGate::default()
    }

    /// A lock on the file was released: wake the queue.
    pub fn released(&self) {
        let mut s = self.state.lock();
        s.generation = s.generation.wrapping_add(1);
        drop(s);
        self.cv.notify_all();
    }

    /// The current release count, read before an attempt so that a
    /// release racing with it is not missed.
    pub fn generation(&self) -> u64 {
        self.state.lock().generation
    }

    /// Joins the queue: at its end, or at its head with `priority`.
    pub fn enqueue(&self, priority: bool) -> Ticket {
        let mut s = self.state.lock();
        let t = s.next_ticket;
        s.next_ticket += 1;
        if priority {
            s.queue.push_front((t, Instant::now()));
        } else {
            s.queue.push_back((t, Instant::now()));
        }
        Ticket(t)
    }

    /// How many tickets are waiting.
    pub fn waiting(&self) -> usize {
        self.state.lock().queue.len()
    }

    /// How long the ticket at the head of the queue has been waiting.
    pub fn head_waited(&self) -> Option<Duration> {
        self.state.lock().queue.front().map(|(_, since)| since.elapsed())
    }

    /// Leaves the queue (the lock was taken, or the wait given up).
    pub fn leave(&self, ticket: Ticket) {
        let mut s = self.state.lock();
        s.queue.retain(|&(t, _)| t != ticket.0);
        drop(s);
        self.cv.notify_all();
    }

    /// Waits until it is `ticket`'s turn to try the lock again: at the
    /// head of the queue, after `poll` (a lock held by another process is
    /// not announced) or — once it has waited `starve` — at once when a
    /// release happened after `seen`. Before that, a release does not
    /// wake it: the connection that just committed may go on (a writer
    /// keeping its cache warm is what makes SQLite's busy-retry fast), and
    /// yields when the head starves (`Connection::retrying_busy_on`).
    /// False when `deadline` passed first.
    pub fn wait_turn(&self, ticket: Ticket, seen: u64, deadline: Instant, poll: Duration, starve: Duration) -> bool {
        let mut s = self.state.lock();
        let poll_at = Instant::now() + poll;
        loop {
            let now = Instant::now();
            let head = s.queue.front().filter(|(t, _)| *t == ticket.0).map(|(_, since)| now.duration_since(*since));
            if let Some(waited) = head {
                if now >= poll_at || (waited >= starve && s.generation != seen) {
                    return true;
                }
            }
            if now >= deadline {
                return false;
            }
            let until = match head {
                Some(_) => poll_at.min(deadline),
                None => deadline.min(now + poll * 4),
            };
            self.cv.wait_until(&mut s, until);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[test]
    fn waiters_are_served_in_order_and_a_priority_ticket_goes_first() {
        let g = LockGate::new();
        let a = g.enqueue(false);
        let b = g.enqueue(false);
        let p = g.enqueue(true);
        let far = Instant::now() + Duration::from_secs(5);
        let seen = g.generation();
        g.released();
        // Only the head may go.
        assert!(g.wait_turn(p, seen, far, Duration::from_secs(5), Duration::ZERO));
        assert!(!g.wait_turn(a, seen, Instant::now() + Duration::from_millis(20), Duration::from_secs(5), Duration::ZERO));
        g.leave(p);
        assert!(g.wait_turn(a, seen, far, Duration::from_secs(5), Duration::ZERO));
        g.leave(a);
        assert!(g.wait_turn(b, seen, far, Duration::from_secs(5), Duration::ZERO));
        g.leave(b);
    }

    #[test]
    fn a_release_wakes_the_head_at_once_and_a_timeout_gives_up() {
        let g = Arc::new(LockGate::new());
        let t = g.enqueue(false);
        let seen = g.generation();
        let g2 = g.clone();
        let h = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(30));
            g2.released();
        });
        let start = Instant::now();
        assert!(g.wait_turn(t, seen, start + Duration::from_secs(10), Duration::from_secs(10), Duration::ZERO));
        assert!(start.elapsed() < Duration::from_secs(5));
        h.join().unwrap();
        let seen = g.generation();
        let start = Instant::now();
        assert!(!g.wait_turn(t, seen, start + Duration::from_millis(30), Duration::from_secs(10), Duration::ZERO));
        g.leave(t);
    }
}
