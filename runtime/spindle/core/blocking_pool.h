#pragma once
// BlockingPool: the lanes (threads) that run spawn_blocking tasks.
//
// A lane runs one blocking task from start to end and stays occupied while the
// task sleeps or waits. Lanes are created on demand up to a maximum; when all
// are busy, tasks queue in FIFO order. Idle lanes are reused most-recent first.
// Owned and touched by the executor only, which numbers the lanes it makes (add).

#include <deque>
#include <vector>

#include "spindle/core/ids.h"

namespace spindle {

class BlockingPool {
public:
    explicit BlockingPool(int max_lanes) : m_max(max_lanes < 1 ? 1 : max_lanes) {}

    struct Grant {
        bool granted = false;       ///< false: the task was queued
        bool created = false;       ///< the caller makes a new lane for it
        WorkerId lane = kNoWorker;  ///< an idle lane (granted, not created)
    };

    /// A lane for `task`: an idle one, room for a new one, or none (the task queues).
    Grant acquire(TaskId task) {
        if (!m_idle.empty()) {
            const WorkerId lane = m_idle.back();
            m_idle.pop_back();
            return {true, false, lane};
        }
        if (m_count < m_max) {
            ++m_count;
            return {true, true, kNoWorker};
        }
        m_queue.push_back(task);
        return {};
    }

    /// `lane` finished its task: the queued task it takes next, or 0 (it goes idle).
    TaskId release(WorkerId lane) {
        if (!m_queue.empty()) {
            const TaskId next = m_queue.front();
            m_queue.pop_front();
            return next;
        }
        m_idle.push_back(lane);
        return 0;
    }

    bool is_queued(TaskId task) const {
        for (TaskId t : m_queue)
            if (t == task) return true;
        return false;
    }
    int lanes() const { return m_count; }

private:
    int m_max;
    int m_count = 0;
    std::vector<WorkerId> m_idle;
    std::deque<TaskId> m_queue;
};

}  // namespace spindle
