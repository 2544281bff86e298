#pragma once
// SchedulerPolicy: where runnable tasks wait and which one an idle worker takes.
//
// The policy owns the run queues (and so all queue state); the executor owns
// workers, parking and time. The policy may emit task_scheduled (for tasks it
// moves: overflow, steals) and worker_steal events through the Instrument.

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "spindle/core/config.h"
#include "spindle/core/rng.h"
#include "spindle/instrument/instrument.h"

namespace spindle {

/// Where a newly runnable task was put.
struct Placement {
    QueuePlace place = QueuePlace::global;
    WorkerId worker = kNoWorker;  ///< whose queue (kNoWorker = the global queue)
    bool notify = true;           ///< other workers may find work: wake a parked one
};

/// A task a worker could run next under an exploring strategy, and where it sits.
struct Candidate {
    TaskId task = 0;
    QueuePlace from = QueuePlace::global;  ///< lifo / local (own), global, stolen (another's)
    WorkerId owner = kNoWorker;            ///< whose queue (kNoWorker: the global queue)
    std::uint32_t index = 0;               ///< position in that queue
};

/// Run-queue policy of the simulated executor.
class SchedulerPolicy {
public:
    virtual ~SchedulerPolicy() = default;
    /// Queues a runnable task. `from` is the core worker running the scheduling
    /// code, or kNoWorker (timers, blocking threads). `is_yield` requeues at the back.
    virtual Placement schedule(TaskId task, WorkerId from, bool is_yield) = 0;
    /// The next task for worker `w`, or 0 when it should park.
    virtual TaskId next(WorkerId w) = 0;
    /// Whether any queue holds a task.
    virtual bool has_queued() const = 0;
    /// Tasks queued locally on `w` (LIFO slot included), front first.
    virtual std::uint32_t local_len(WorkerId w) const = 0;
    /// Every task worker `w` could take next (its own queues, the global queue, and
    /// what it could steal), appended to `out` in a stable order. For the exploring
    /// strategies, which pick among them instead of asking next().
    virtual void candidates(WorkerId w, std::vector<Candidate>& out) const = 0;
    /// Takes `c`, one of candidates(w) just computed, for worker `w` (a task from
    /// another worker's queue is a steal, and reported as one).
    virtual TaskId take(WorkerId w, const Candidate& c) = 0;
};

/// The policy named by `config.policy`.
std::unique_ptr<SchedulerPolicy> make_policy(const RuntimeConfig& config, int workers,
                                             Instrument& instrument, Rng& rng);

}  // namespace spindle
