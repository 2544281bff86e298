#pragma once
// The public face of the Lua scenario host: run one scenario file and report.
//
// run_scenario loads the file, reads its scenario{} settings, runs it on a fresh
// Runtime with the given sinks subscribed, and returns what happened. Each run
// owns its own Lua state and runtime.
//
// Many runs of one script (an exploration) prepare it once: prepare_scenario
// compiles it and reads its settings, and run_prepared runs that on a fresh state,
// any number of times, from any threads at once (a PreparedScenario is an
// immutable value). Every run goes through the same two steps, so a run gives the
// same events whether it was prepared alone or for thousands. A caller running
// states one after another on one thread may also lend them one watchdog
// (make_watchdog) instead of starting a thread per Lua state.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "spindle/core/config.h"
#include "spindle/core/deadlock.h"
#include "spindle/instrument/sink.h"

namespace spindle::lua {

/// Limits a scenario cannot exceed; each has a command-line option in spindle-run.
struct Budgets {
    /// Lua instructions between two waits; 0 = unlimited (no count hook: faster,
    /// but a task that never waits can then be stopped only between polls).
    std::uint64_t instructions_per_poll = 100'000'000;
    std::size_t heap_bytes = std::size_t{512} << 20;  ///< Lua heap
    Nanos virtual_time = std::chrono::hours(1);       ///< virtual time of the whole run
    std::uint64_t events = 50'000'000;                ///< instrumentation events
    std::chrono::milliseconds wall_clock = std::chrono::seconds(120);  ///< real time
};

/// Settings from the script's scenario{} call; command-line values override them.
struct ScenarioSettings {
    std::optional<std::string> name;
    std::optional<std::string> description;
    std::optional<int> workers;
    std::optional<std::uint64_t> seed;
    std::optional<Policy> policy;
    std::optional<Nanos> poll_cost;
    std::optional<int> max_blocking_threads;
    std::optional<Strategy> strategy;
    std::optional<std::uint32_t> pct_depth;  ///< scenario{depth=}
    std::optional<std::uint64_t> pct_steps;
    std::optional<std::uint32_t> jitter_pct;  ///< scenario{jitter=}
};

class Watchdog;

/// A watchdog thread for the runs one thread makes one after another (see watchdog.h);
/// give it to them through ScenarioOptions::watchdog. Never to two runs at once.
std::shared_ptr<Watchdog> make_watchdog();

struct ScenarioOptions {
    std::filesystem::path path;
    ScenarioSettings overrides;  ///< from the command line: win over the script's
    Budgets budgets;
    std::vector<EventSink*> sinks;
    /// Set from another thread to cancel the run (it ends as budget_exceeded,
    /// reason "cancelled"); may be null.
    const std::atomic<bool>* cancel = nullptr;
    /// The watchdog to arm for the run's Lua states (null: each starts its own).
    Watchdog* watchdog = nullptr;
};

/// A script compiled and its scenario{} settings read, ready for any number of runs.
struct PreparedScenario {
    std::string chunkname;  ///< what errors show as the file
    /// The main chunk as Lua bytecode (with its debug info: errors keep file:line);
    /// made here from source text, the one bytecode a run loads. "" if it did not compile.
    std::string bytecode;
    std::string compile_error;    ///< why it did not compile ("" when it did)
    ScenarioSettings settings;    ///< the script's own scenario{} (no overrides)
    bool settings_found = false;  ///< scenario{} came before any other runtime call
    std::string settings_error;   ///< why the settings are refused ("" when fine)
};

/// Compiles `source` (text only: bytecode is refused) and reads its scenario{}
/// settings in a dry run that stops at the first runtime call; the budgets bound
/// the dry run (its wall clock starts now).
PreparedScenario prepare_scenario(const std::string& source, const std::string& chunkname,
                                  const Budgets& budgets, Watchdog* watchdog = nullptr);

/// What happened to a scenario run.
struct ScenarioResult {
    enum class Status { ran, unreadable, compile_error, bad_settings };
    Status status = Status::ran;
    RunOutcome outcome = RunOutcome::completed;
    std::string name;  ///< scenario{name=} or the file's stem
    std::string description;
    RuntimeConfig config;                 ///< what the run used
    std::vector<std::string> errors;      ///< "file:line: message", one per failure
    std::vector<std::string> tracebacks;  ///< the matching Lua tracebacks
    std::vector<std::string> checks;      ///< failed check()s: "file:line: message"
    std::string budget_reason;            ///< which budget, when outcome is budget_exceeded
    bool cancelled = false;  ///< budget_exceeded because `ScenarioOptions::cancel` was set
    std::optional<DeadlockReport> deadlock;
    Nanos duration{0};
    std::uint64_t events = 0;

    /// 0 completed; 1 a task failed, the script did not compile or its scenario{}
    /// settings are invalid; 2 unreadable file; 3 deadlock; 4 a budget was exceeded.
    int exit_code() const;
};

/// Runs the scenario file `options.path`.
ScenarioResult run_scenario(const ScenarioOptions& options);
/// Runs scenario source text; `chunkname` is what errors show as the file.
ScenarioResult run_scenario_source(const std::string& source, const std::string& chunkname,
                                   const ScenarioOptions& options);
/// Runs a prepared scenario (options.path is not read); its wall clock starts now.
ScenarioResult run_prepared(const PreparedScenario& prepared, const ScenarioOptions& options);

}  // namespace spindle::lua
