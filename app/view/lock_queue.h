#pragma once
// LockQueue: the tasks queued on one lock or signal (mutex, rwlock, semaphore,
// notify, barrier) over time, folded from the event stream by RunModel.
//
// State: every wait (who, for what operation, from its wait_start until it was
// granted — the lock_acquire or resource wake that handed it over — or gave up);
// the queue length after each change, with how many of the waiters want to write;
// and, for notify and barrier, the releases (one mark per waker and instant, with
// how many it woke). Appended in event order by RunModel::on_event, closed at the
// run's end, then read-only. Waits never granted end at the run's end with
// `granted` false. Plain C++: no Qt.

#include <cstdint>
#include <vector>

#include "spindle/core/ids.h"

namespace spindle::view {

/// A task queued on a lock or signal, from its wait_start until granted or given up.
struct LockWait {
    std::int64_t start = 0;
    std::int64_t end = -1;  ///< -1 while open (the run's end once closed)
    TaskId task = 0;
    WaitOp op = WaitOp::lock;
    bool granted = false;  ///< ended by a hand-over or a wake from the resource
};

/// The queue after a change: how many wait, and of them how many wait to write.
struct QueuePoint {
    std::int64_t time = 0;
    std::uint32_t waiting = 0;
    std::uint32_t writers = 0;  ///< rwlock: waiting for the write lock
};

/// A notify or barrier woke its waiters (notify_one, notify_waiters, a barrier trip).
struct ReleaseMark {
    std::int64_t time = 0;
    TaskId waker = 0;  ///< the task whose call released them (0: none)
    std::uint32_t woken = 0;
};

/// Whether a wait with `op` queues on a lock or signal (not a channel, timer or join).
bool is_lock_wait(WaitOp op);
/// Whether a resource kind is a lock or signal: mutex, rwlock, semaphore, notify, barrier.
bool is_lock_kind(ResourceKind kind);

class LockQueue {
public:
    /// `task` starts waiting with `op` at t.
    void wait_start(std::int64_t t, TaskId task, WaitOp op);
    /// `task`'s wait ends at t: granted (lock_acquire, wake) or not (cancelled).
    /// Nothing happens when it was not waiting (already granted, or never queued).
    void wait_end(std::int64_t t, TaskId task, bool granted);
    /// The resource woke `task` at t on `waker`'s call: ends its wait, granted, and
    /// (when `mark`) counts it into the release mark of (t, waker).
    void woken(std::int64_t t, TaskId task, TaskId waker, bool mark);
    /// Ends the open waits at the run's end (not granted).
    void close(std::int64_t at);

    /// Every wait, sorted by start.
    const std::vector<LockWait>& waits() const { return m_waits; }
    /// The queue length after each change, by time (none before the first wait).
    const std::vector<QueuePoint>& queue() const { return m_queue; }
    const std::vector<ReleaseMark>& releases() const { return m_releases; }
    /// The longest the queue ever was.
    std::uint32_t max_waiting() const { return m_max; }
    /// The queue at t (the last change at or before t).
    QueuePoint at(std::int64_t t) const;
    /// The waits covering t (start <= t < end), longest waiting first.
    std::vector<const LockWait*> waiting_at(std::int64_t t) const;
    std::size_t memory_bytes() const;

private:
    void changed(std::int64_t t, int delta, bool writer);

    std::vector<LockWait> m_waits;
    std::vector<QueuePoint> m_queue;
    std::vector<ReleaseMark> m_releases;
    std::vector<std::uint32_t> m_open;  ///< indices into m_waits still open
    std::uint32_t m_max = 0;
};

}  // namespace spindle::view
