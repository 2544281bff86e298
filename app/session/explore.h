#pragma once
// explore: run one scenario under many schedules (seeds base..base+N-1, in parallel)
// and group the outcomes into classes — "completed", "check failed: balance == 200
// (got 100)", "deadlock: transfer a->b ⇄ transfer b->a over …" — each with its
// count, its first seed and the seed of its shortest run (fewest events): the run to
// open first.
//
// Each run goes through run_session with its own runtime and Lua state on one of
// `jobs` threads. Shared between runs: the script, compiled and its settings read
// once (lua::PreparedScenario, immutable), an atomic counter of the next seed and
// the result table, which a mutex guards; each job keeps one watchdog thread that
// its runs arm in turn, each with its own wall-clock budget. Results do not depend
// on the job count: every run is a pure function of its settings and seed (a run
// alone takes the same compiled chunk), and classes are ordered by count, then
// first seed. Progress is reported from the worker threads.

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "outcome.h"
#include "run_request.h"

namespace spindle::session {

struct ExploreRequest {
    RunRequest run;  ///< the scenario and its settings; overrides.seed is ignored
    std::uint64_t base_seed = 0;
    bool base_seed_given = false;  ///< false: the scenario's own seed is the base
    std::uint64_t runs = 100;
    unsigned jobs = 0;  ///< 0: one per core
};

/// One outcome class.
struct OutcomeClass {
    std::string label;  ///< outcome + normalised message; the class's identity
    RunStatus status = RunStatus::completed;
    std::string location;  ///< "file:line" of the first failure, when it has one
    std::string example;   ///< the first run's message as it was, before normalising
    std::uint64_t count = 0;
    std::uint64_t first_seed = 0;
    std::uint64_t shortest_seed = 0;  ///< the run with the fewest events
    std::uint64_t shortest_events = 0;
};

struct ExploreResult {
    std::vector<OutcomeClass> classes;  ///< most frequent first (ties: lower first seed)
    std::uint64_t runs = 0;             ///< schedules run (fewer than asked when cancelled)
    bool cancelled = false;
    std::string error;        ///< why nothing could be explored ("" when fine)
    int error_exit_code = 0;  ///< the exit code for `error`
    std::uint64_t base_seed = 0;
    RuntimeConfig config;  ///< the settings of the runs (seed: the base's)
};

/// Called after each run with (runs done, runs asked, classes so far); from any thread.
using ExploreProgress = std::function<void(std::uint64_t, std::uint64_t, std::size_t)>;

/// Explores; see the top of this file. `cancel` stops it between runs.
ExploreResult explore(const ExploreRequest& request, const ExploreProgress& progress = {},
                      const std::atomic<bool>* cancel = nullptr);

/// "file:line: message" split into "file:line" and "message"; the location is "" (and
/// the message the whole text) when it does not start with one.
std::pair<std::string, std::string> split_location(const std::string& text);

/// A failure message with what differs between runs of the same failure replaced:
/// hex addresses ("0x55d0c3a0" -> "0x…") and durations and times ("3.25 ms" -> "N ms").
std::string normalise_message(std::string_view message);

/// The spindle-run command that replays `seed` of `result` (every setting spelled out).
std::string replay_command(const ExploreRequest& request, const ExploreResult& result,
                           std::uint64_t seed);

/// 0 when every schedule completed; else the exit code of the most frequent failing class.
int exit_code(const ExploreResult& result);

/// The result as a JSON document: {scenario, strategy, runs, base_seed, classes: [...]}.
std::string to_json(const ExploreRequest& request, const ExploreResult& result);

/// The classes as a text table, with the replay command of each class's shortest run.
std::string to_text(const ExploreRequest& request, const ExploreResult& result);

}  // namespace spindle::session
