#pragma once
// LocalQueue: a worker's bounded FIFO run queue (a ring buffer of task ids).
// Owned by one worker; other workers only take from it by stealing, which the
// scheduler policy performs.

#include <cstdint>
#include <vector>

#include "spindle/core/ids.h"

namespace spindle {

/// Bounded FIFO of runnable task ids.
class LocalQueue {
public:
    explicit LocalQueue(std::uint32_t capacity) : m_slots(capacity ? capacity : 1) {}

    std::uint32_t size() const { return m_size; }
    std::uint32_t capacity() const { return static_cast<std::uint32_t>(m_slots.size()); }
    bool empty() const { return m_size == 0; }
    bool full() const { return m_size == m_slots.size(); }

    /// Appends; the caller checks full() first.
    void push_back(TaskId t) {
        m_slots[(m_head + m_size) % m_slots.size()] = t;
        ++m_size;
    }
    TaskId pop_front() {
        if (m_size == 0) return 0;
        const TaskId t = m_slots[m_head];
        m_head = (m_head + 1) % m_slots.size();
        --m_size;
        return t;
    }
    /// Removes and returns the i-th queued task from the front (i < size()).
    TaskId remove_at(std::uint32_t i) {
        const TaskId t = at(i);
        for (std::uint32_t k = i; k + 1 < m_size; ++k)
            m_slots[(m_head + k) % m_slots.size()] = m_slots[(m_head + k + 1) % m_slots.size()];
        --m_size;
        return t;
    }
    /// The i-th queued task from the front (for viewers and tests).
    TaskId at(std::uint32_t i) const { return m_slots[(m_head + i) % m_slots.size()]; }

private:
    std::vector<TaskId> m_slots;
    std::uint32_t m_head = 0;
    std::uint32_t m_size = 0;
};

}  // namespace spindle
