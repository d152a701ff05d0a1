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
//! How long the head has waited counts from when it reached the head, so
//! that each connection's turn with the lock lasts about the same time
//! however long the queue; a priority ticket at the head counts as
//! starving from the start (it is served at the next release).
//!
//! Invariants: a ticket is in the queue from `enqueue` to `leave` exactly;
//! `leave` wakes the others, so the next ticket at the head never waits
//! for a release that already happened; the head's `since` is the moment
//! it became the head.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use parking_lot::{Condvar, Mutex};

#[derive(Clone, Copy)]
struct Waiter {
    ticket: u64,
    priority: bool,
    since: Instant,
    /// The `starve` of its current `wait_turn`: a release wakes it once
    /// it has been the head that long.
    starve: Duration,
}

#[derive(Default)]
struct State {
    /// Bumped by every release.
    generation: u64,
    /// Tickets in turn order: number, priority, and when the ticket
    /// reached the head (for the others: when they joined).
    queue: VecDeque<Waiter>,
    next_ticket: u64,
    /// Handles of this process holding a write lock on the file (see
    /// `hold`): while there is one, its release will be announced and
    /// the head of the queue need not poll.
    holding: u32,
    /// When the last of them let go.
    let_go_at: Option<Instant>,
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

impl Waiter {
    fn waited(&self) -> Duration {
        if self.priority {
            Duration::MAX
        } else {
            self.since.elapsed()
        }
    }
}

impl LockGate {
    pub fn new() -> LockGate {
        LockGate::default()
    }

    /// A lock on the file was released. Only a head whose turn has come
    /// is woken for it: the others look again on their own (`wait_turn`),
    /// so that a connection committing in a loop does not wake every
    /// waiter at each commit.
    pub fn released(&self) {
        let mut s = self.state.lock();
        s.generation = s.generation.wrapping_add(1);
        let wake = s.queue.front().is_some_and(|w| w.waited() >= w.starve);
        drop(s);
        if wake {
            self.cv.notify_all();
        }
    }

    /// A handle of this process took (`true`) or let go of (`false`) a
    /// write lock on the file. Called only on changes, so that `holding`
    /// counts the handles holding one.
    pub fn hold(&self, taken: bool) {
        let mut s = self.state.lock();
        if taken {
            s.holding += 1;
        } else {
            s.holding = s.holding.saturating_sub(1);
            s.let_go_at = Some(Instant::now());
        }
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
        let now = Instant::now();
        let w = Waiter { ticket: t, priority, since: now, starve: TURN };
        if priority {
            // The ticket it passes is no longer the head: its turn will be
            // counted again when it is.
            if let Some(front) = s.queue.front_mut() {
                front.since = now;
            }
            s.queue.push_front(w);
        } else {
            s.queue.push_back(w);
        }
        Ticket(t)
    }

    /// How many tickets are waiting.
    pub fn waiting(&self) -> usize {
        self.state.lock().queue.len()
    }

    /// How long the ticket at the head of the queue has been the head
    /// (`Duration::MAX` for a priority ticket).
    pub fn head_waited(&self) -> Option<Duration> {
        self.state.lock().queue.front().map(Waiter::waited)
    }

    /// Leaves the queue (the lock was taken, or the wait given up).
    pub fn leave(&self, ticket: Ticket) {
        let mut s = self.state.lock();
        let was_head = s.queue.front().is_some_and(|w| w.ticket == ticket.0);
        s.queue.retain(|w| w.ticket != ticket.0);
        if was_head {
            if let Some(front) = s.queue.front_mut() {
                front.since = Instant::now();
            }
        }
        drop(s);
        self.cv.notify_all();
    }

    /// Waits until it is `ticket`'s turn to try the lock again, at the
    /// head of the queue. Once the head has been the head for `starve`, it
    /// goes at the first release after `seen` (and the connection that
    /// keeps taking the lock yields to it: `Connection::retrying_busy_on`).
    /// Before that, while a connection of this process holds the lock, it
    /// sleeps until a release, and tries only if the lock is still free
    /// `GRACE` after it was let go: the connection that just committed may
    /// go on with its next transaction (a writer keeping its cache warm is
    /// what makes SQLite's busy-retry fast), and a waiter that polled into
    /// the gap between two of its transactions would cost a hand-off each
    /// time. When no connection of the process holds it, the holder may be
    /// another process, whose release is not announced: it tries every
    /// `poll`. False when `deadline` passed first.
    pub fn wait_turn(&self, ticket: Ticket, seen: u64, deadline: Instant, poll: Duration, starve: Duration) -> bool {
        let mut s = self.state.lock();
        let start = Instant::now();
        if let Some(w) = s.queue.iter_mut().find(|w| w.ticket == ticket.0) {
            w.starve = starve;
        }
        loop {
            let now = Instant::now();
            let head = s.queue.front().filter(|w| w.ticket == ticket.0).map(Waiter::waited);
            let mut until = deadline.min(now + poll * 4);
            if let Some(waited) = head {
                let released = s.generation != seen;
                if waited >= starve && released {
                    return true;
                }
                let at = if s.holding == 0 {
                    let after_release = match s.let_go_at {
                        Some(t) if released => t + GRACE,
                        _ => start,
                    };
                    (start + poll).max(after_release)
                } else {
                    // Held here: look again within a grace period (a
                    // starving head is also woken by the release). Should
                    // the count ever be wrong, it still tries now and then.
                    until = now + GRACE;
                    start + starve.max(poll)
                };
                if now >= at {
                    return true;
                }
                until = until.min(deadline).min(at);
            }
            if now >= deadline {
                return false;
            }
            self.cv.wait_until(&mut s, until);
        }
    }
}

/// How long after a connection of this process let go of the lock the
/// head of the queue leaves it to that connection to take it again.
const GRACE: Duration = Duration::from_millis(1);

/// How often the head of a queue tries the lock on its own when no
/// connection of this process holds it (the holder may be another
/// process).
pub const POLL: Duration = Duration::from_millis(1);

/// How long the head of a queue lets the connection holding the lock go
/// on taking it again for its next transactions before it is its turn:
/// the longer, the fewer hand-offs (each costs the next writer its warm
/// cache) and the fewer transactions that wait at all, but the longer
/// those wait. SQLite's busy-retry has no such bound: the connection that
/// just committed keeps the lock until it stops writing (in
/// `make bench-concurrency`, about a second). Each hand-off makes one
/// more transaction wait a whole turn; at 100 ms, those waits were a
/// quarter of the slowest 1% of that benchmark's commits.
pub const TURN: Duration = Duration::from_millis(250);

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

    #[test]
    fn the_head_leaves_the_lock_to_a_connection_that_takes_it_again_at_once() {
        let g = Arc::new(LockGate::new());
        g.hold(true);
        let t = g.enqueue(false);
        let seen = g.generation();
        let g2 = g.clone();
        let h = std::thread::spawn(move || {
            // Twenty transactions in a row, the lock taken again at once...
            for _ in 0..20 {
                std::thread::sleep(Duration::from_millis(2));
                g2.hold(false);
                g2.released();
                g2.hold(true);
            }
            // ... then let go for good.
            std::thread::sleep(Duration::from_millis(2));
            g2.hold(false);
            g2.released();
        });
        let start = Instant::now();
        assert!(g.wait_turn(t, seen, start + Duration::from_secs(10), Duration::from_millis(1), Duration::from_secs(10)));
        assert!(start.elapsed() >= Duration::from_millis(40), "went after {:?}", start.elapsed());
        assert!(start.elapsed() < Duration::from_secs(5));
        h.join().unwrap();
        g.leave(t);
    }
}
