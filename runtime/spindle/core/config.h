#pragma once
// RuntimeConfig: everything that, with the seed, fixes a run's schedule.

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "spindle/core/ids.h"
#include "spindle/core/time.h"

namespace spindle {

/// Most core worker threads a run may have (scenario{}, the command lines, the toolbar).
inline constexpr int kMaxWorkers = 256;
/// Most blocking-pool threads a run may have (scenario{max_blocking_threads=}).
inline constexpr int kMaxBlockingThreads = 1024;
/// Most OS threads (thread.spawn) alive at once; a finished thread's lane is reused.
inline constexpr int kMaxOsThreads = 1024;
/// Most threads of one Rayon pool (rayon.pool{threads=}), and most pools in a run.
inline constexpr std::uint32_t kMaxRayonThreads = 256;
inline constexpr int kMaxRayonPools = 16;

/// How the scheduler makes its choices (scenario{strategy=}, --strategy).
enum class Strategy : std::uint8_t {
    fixed = 0,   ///< the policy's own order: FIFO queues, LIFO slot, steal order
    random = 1,  ///< each choice uniformly at random among the possible ones
    pct = 2,     ///< Probabilistic Concurrency Testing: random priorities, depth-1 drops
};

/// Most PCT depth a run may have.
inline constexpr std::uint32_t kMaxPctDepth = 1000;
/// Most timing jitter, in percent.
inline constexpr std::uint32_t kMaxJitterPct = 100;

/// Settings of one run. Same settings + same seed => the same event stream.
struct RuntimeConfig {
    int workers = 4;  ///< core worker threads (current-thread forces 1)
    Policy policy = Policy::work_stealing;
    std::uint64_t seed = 1;
    Nanos poll_cost = Nanos(2000);  ///< virtual cost charged to every poll
    int max_blocking_threads = 16;  ///< blocking pool size limit
    std::uint32_t local_queue_capacity = 256;
    std::uint32_t global_queue_interval = 61;  ///< check the global queue every N polls
    std::uint32_t max_lifo_polls = 3;          ///< consecutive LIFO-slot polls before fairness
    Strategy strategy = Strategy::fixed;
    std::uint32_t pct_depth = 3;     ///< PCT: priority changes + 1 (bugs of this depth are found)
    std::uint64_t pct_steps = 1000;  ///< PCT: the run's length in scheduling choices, estimated
    std::uint32_t jitter_pct = 0;    ///< each poll's and work()'s cost varies by up to ±this %
    Nanos max_time = Nanos::zero();  ///< virtual-time budget (0 = none)
    std::uint64_t max_events = 0;    ///< event budget (0 = none)
    std::string label;               ///< shown in run_start (e.g. the scenario name)
    /// Set from any thread to stop the run (outcome budget_exceeded); may be null.
    const std::atomic<bool>* stop_flag = nullptr;

    /// "workers=4 policy=work-stealing seed=1 ..." as written into run_start.
    std::string describe() const;
};

/// Parses "work-stealing" | "global-queue" | "current-thread".
std::optional<Policy> parse_policy(std::string_view name);

/// "fixed" | "random" | "pct".
std::string_view to_string(Strategy s);
/// Parses "fixed" | "random" | "pct".
std::optional<Strategy> parse_strategy(std::string_view name);

}  // namespace spindle
