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
    void candidates(WorkerId, std::vector<Candidate>& out) const override {
        for (std::uint32_t i = 0; i < m_queue.size(); ++i)
            out.push_back({m_queue[i], QueuePlace::global, kNoWorker, i});
    }
    TaskId take(WorkerId, const Candidate& c) override {
        if (c.index >= m_queue.size()) return 0;
        const TaskId t = m_queue[c.index];
        m_queue.erase(m_queue.begin() + c.index);
        return t;
    }

private:
    std::deque<TaskId> m_queue;
};

}  // namespace spindle
