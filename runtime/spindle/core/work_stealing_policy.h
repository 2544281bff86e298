#pragma once
// WorkStealingPolicy: tokio's multi-thread scheduler, queue by queue.
//
// State per worker: a bounded local FIFO, a LIFO slot holding the task most
// recently woken or spawned by that worker, a tick counter and the number of
// consecutive LIFO polls. Shared: the global injection queue. Rules:
//  - a task scheduled from worker w goes to w's LIFO slot; the task it displaces
//    moves to the back of w's local queue; a yield goes straight to the back;
//  - a full local queue moves half of itself plus the new task to the global queue;
//  - every `global_queue_interval` ticks the global queue is checked first;
//  - at most `max_lifo_polls` LIFO polls in a row, then the slot task is requeued;
//  - an idle worker steals half of one victim's local queue, trying victims in
//    order from a seeded random start; then looks at the global queue again;
//  - tasks scheduled from outside a core worker go to the global queue.

#include <deque>
#include <vector>

#include "spindle/core/run_queue.h"
#include "spindle/core/scheduler_policy.h"

namespace spindle {

class WorkStealingPolicy final : public SchedulerPolicy {
public:
    WorkStealingPolicy(const RuntimeConfig& config, int workers, Instrument& instrument, Rng& rng);

    Placement schedule(TaskId task, WorkerId from, bool is_yield) override;
    TaskId next(WorkerId w) override;
    bool has_queued() const override;
    std::uint32_t local_len(WorkerId w) const override;
    void candidates(WorkerId w, std::vector<Candidate>& out) const override;
    TaskId take(WorkerId w, const Candidate& c) override;

private:
    struct Worker {
        explicit Worker(std::uint32_t capacity) : local(capacity) {}
        LocalQueue local;
        TaskId lifo = 0;
        std::uint32_t tick = 0;
        std::uint32_t lifo_polls = 0;
    };

    void push_local(Worker& w, WorkerId id, TaskId task);
    TaskId pop_global();
    TaskId steal(WorkerId thief);
    void note_scheduled(TaskId task, QueuePlace place, WorkerId worker);

    const RuntimeConfig& m_config;
    Instrument& m_instrument;
    Rng& m_rng;
    std::vector<Worker> m_workers;
    std::deque<TaskId> m_global;
};

}  // namespace spindle
