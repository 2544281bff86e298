#pragma once
// ScheduleStrategy: how the simulated executor makes the choices its policy would
// otherwise make one fixed way — which queued task a free worker runs next, which
// parked worker a wake unparks, in which order workers due at the same instant go,
// and how long each poll and work() takes (jitter).
//
//  - fixed: no choice is taken over (the policy's FIFO/LIFO/steal order);
//  - random: each choice uniformly among the possible ones;
//  - pct: Probabilistic Concurrency Testing (Burckhardt et al., ASPLOS 2010): each
//    task gets a random priority when spawned and the highest-priority queued task
//    runs; at depth-1 change points, drawn uniformly from the first pct_steps
//    choices, the task chosen gets a priority below every initial one. A bug that
//    needs d ordering constraints is found with probability >= 1/(n * k^(d-1)).
//
// State: the settings (fixed for the run), PCT's priorities by task id and its
// change points, the number of choices made, and a generator of its own seeded
// from the run's seed (so the script's own random draws do not move the schedule's,
// and the reverse). Touched only by the executor's thread.

#include <cstdint>
#include <vector>

#include "spindle/core/config.h"
#include "spindle/core/rng.h"
#include "spindle/core/scheduler_policy.h"

namespace spindle {

class ScheduleStrategy {
public:
    explicit ScheduleStrategy(const RuntimeConfig& config);

    /// Whether the scheduler's task choice is taken over (random, pct).
    bool explores() const { return m_strategy != Strategy::fixed; }
    /// A new task (PCT gives it its random priority).
    void on_spawn(TaskId task);
    /// Which of `candidates` (not empty) the worker runs next.
    std::size_t choose(const std::vector<Candidate>& candidates);
    /// Which of `n` parked workers (n > 0; the last parked at n-1) a wake unparks.
    std::size_t choose_parked(std::size_t n);
    /// The order among steps due at the same virtual instant: a random key (exploring
    /// strategies only; fixed orders them as they were scheduled).
    std::uint64_t tie_break() { return m_rng.next(); }
    /// `d` varied by up to ±jitter_pct % (exactly `d` without jitter).
    Nanos vary(Nanos d);
    /// Scheduling choices made so far.
    std::uint64_t choices() const { return m_choices; }

private:
    std::uint64_t priority(TaskId task) const {
        return task < m_priority.size() ? m_priority[task] : 0;
    }

    Strategy m_strategy;
    std::uint32_t m_depth;
    std::uint32_t m_jitter;
    Rng m_rng;
    std::vector<std::uint64_t> m_priority;       ///< by task id (PCT)
    std::vector<std::uint64_t> m_change_points;  ///< ascending choice numbers (PCT)
    std::size_t m_next_change = 0;
    std::uint64_t m_choices = 0;
};

}  // namespace spindle
