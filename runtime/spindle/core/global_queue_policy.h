#pragma once
// GlobalQueuePolicy: one shared FIFO for every worker — a classic thread pool
// (and, with one worker, tokio's current-thread scheduler).

#include <deque>

#include "spindle/core/scheduler_policy.h"

namespace spindle {

class GlobalQueuePolicy final : public SchedulerPolicy {
public:
    Placement schedule(TaskId task, WorkerId, bool) override {
        m_queue.push_back(task);
        return {QueuePlace::global, kNoWorker, true};
    }
    TaskId next(WorkerId) override {
        if (m_queue.empty()) return 0;
        const TaskId t = m_queue.front();
        m_queue.pop_front();
        return t;
    }
    bool has_queued() const override { return !m_queue.empty(); }
    std::uint32_t local_len(WorkerId) const override { return 0; }

private:
    std::deque<TaskId> m_queue;
};

}  // namespace spindle
