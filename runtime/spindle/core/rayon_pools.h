#pragma once
// RayonPools: the Rayon thread pools of a run and their job queues.
//
// State per pool: its threads (lanes of role rayon, made with the pool), its injector
// (jobs sent in from outside the pool, oldest first) and its parked threads. Per
// thread: its deque (the jobs it forked: it pushes and pops at the back, thieves take
// from the front) and its resume list (jobs that started on it and are runnable again:
// their stack is on that thread, so they go on there and cannot be stolen). A thread
// looks for work as rayon-core's find_work does: its resume list, its own deque
// (newest first), a steal from another thread's deque (oldest first, victims tried
// from a seeded random start), then the injector.
// Touched only by SimExecutor inside run(); emits worker_steal and task_scheduled for
// the jobs it moves, as SchedulerPolicy does for the core workers.

#include <cstdint>
#include <deque>
#include <vector>

#include "spindle/core/ids.h"
#include "spindle/core/rng.h"
#include "spindle/instrument/instrument.h"

namespace spindle {

class RayonPools {
public:
    RayonPools(Instrument& instrument, Rng& rng) : m_instrument(instrument), m_rng(rng) {}

    /// Adds pool `pool` (its resource id) with no threads yet.
    void add_pool(ResourceId pool);
    /// Makes lane `w` a thread of `pool`.
    void add_thread(ResourceId pool, WorkerId w);
    /// The pool lane `w` is a thread of (0: not a Rayon thread).
    ResourceId pool_of(WorkerId w) const { return w < m_threads.size() ? m_threads[w].pool : 0; }
    /// The number of threads of `pool` (0: no such pool).
    std::uint32_t thread_count(ResourceId pool) const;

    /// Queues a job that has not started: on `from`'s deque when `from` is a thread of
    /// `pool`, else on the pool's injector. Returns that thread (kNoWorker: the injector).
    WorkerId push_new(ResourceId pool, TaskId job, WorkerId from);
    /// Queues a job that started on thread `home` and is runnable again.
    void push_resume(WorkerId home, TaskId job) { m_threads[home].resume.push_back(job); }
    /// The next job for thread `w` (0: none anywhere it may look).
    TaskId next(WorkerId w);

    /// Records that thread `w` parked.
    void park(WorkerId w);
    /// Takes `w` off its pool's parked list; false when it was not parked.
    bool unpark(WorkerId w);
    /// Takes the most recently parked thread of `pool` off the list (kNoWorker: none).
    WorkerId unpark_one(ResourceId pool);

private:
    struct Pool {
        ResourceId id = 0;
        std::vector<WorkerId> threads;
        std::deque<TaskId> injector;
        std::vector<WorkerId> parked;  ///< last parked at the back
    };
    struct Thread {
        ResourceId pool = 0;
        std::deque<TaskId> deque;
        std::deque<TaskId> resume;
    };

    Pool* find(ResourceId pool);
    const Pool* find(ResourceId pool) const;
    TaskId steal(Pool& p, WorkerId thief);

    Instrument& m_instrument;
    Rng& m_rng;
    std::vector<Pool> m_pools;
    std::vector<Thread> m_threads;  ///< by worker id (pool 0: not a Rayon thread)
};

}  // namespace spindle
