#include "lock_queue.h"

#include <algorithm>

namespace spindle::view {

bool is_lock_wait(WaitOp op) {
    switch (op) {
        case WaitOp::lock:
        case WaitOp::read:
        case WaitOp::write:
        case WaitOp::acquire:
        case WaitOp::notified:
        case WaitOp::barrier:
            return true;
        default:
            return false;
    }
}

bool is_lock_kind(ResourceKind kind) {
    return kind == ResourceKind::mutex || kind == ResourceKind::rwlock ||
           kind == ResourceKind::semaphore || kind == ResourceKind::notify ||
           kind == ResourceKind::barrier;
}

void LockQueue::changed(std::int64_t t, int delta, bool writer) {
    QueuePoint p = m_queue.empty() ? QueuePoint{} : m_queue.back();
    p.time = t;
    p.waiting = static_cast<std::uint32_t>(static_cast<int>(p.waiting) + delta);
    if (writer) p.writers = static_cast<std::uint32_t>(static_cast<int>(p.writers) + delta);
    m_max = std::max(m_max, p.waiting);
    if (!m_queue.empty() && m_queue.back().time == t)
        m_queue.back() = p;
    else
        m_queue.push_back(p);
}

void LockQueue::wait_start(std::int64_t t, TaskId task, WaitOp op) {
    for (std::uint32_t i : m_open)
        if (m_waits[i].task == task) return;  // already queued (a select armed twice)
    m_open.push_back(static_cast<std::uint32_t>(m_waits.size()));
    m_waits.push_back(LockWait{t, -1, task, op, false});
    changed(t, +1, op == WaitOp::write);
}

void LockQueue::wait_end(std::int64_t t, TaskId task, bool granted) {
    for (auto it = m_open.begin(); it != m_open.end(); ++it) {
        LockWait& w = m_waits[*it];
        if (w.task != task) continue;
        w.end = t;
        w.granted = granted;
        m_open.erase(it);
        changed(t, -1, w.op == WaitOp::write);
        return;
    }
}

void LockQueue::woken(std::int64_t t, TaskId task, TaskId waker, bool mark) {
    const std::size_t before = m_open.size();
    wait_end(t, task, true);
    if (!mark || m_open.size() == before) return;
    if (!m_releases.empty() && m_releases.back().time == t && m_releases.back().waker == waker)
        ++m_releases.back().woken;
    else
        m_releases.push_back(ReleaseMark{t, waker, 1});
}

void LockQueue::close(std::int64_t at) {
    while (!m_open.empty())
        wait_end(at, m_waits[m_open.back()].task, false);
}

QueuePoint LockQueue::at(std::int64_t t) const {
    auto it = std::partition_point(m_queue.begin(), m_queue.end(),
                                   [t](const QueuePoint& p) { return p.time <= t; });
    if (it == m_queue.begin()) return QueuePoint{t, 0, 0};
    return *std::prev(it);
}

std::vector<const LockWait*> LockQueue::waiting_at(std::int64_t t) const {
    std::vector<const LockWait*> out;
    auto end = std::partition_point(m_waits.begin(), m_waits.end(),
                                    [t](const LockWait& w) { return w.start <= t; });
    for (auto it = m_waits.begin(); it != end; ++it)
        if (it->end < 0 || it->end > t) out.push_back(&*it);
    return out;
}

std::size_t LockQueue::memory_bytes() const {
    return m_waits.capacity() * sizeof(LockWait) + m_queue.capacity() * sizeof(QueuePoint) +
           m_releases.capacity() * sizeof(ReleaseMark) + m_open.capacity() * sizeof(std::uint32_t);
}

}  // namespace spindle::view
