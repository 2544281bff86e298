#pragma once
// How a run ended, said one way everywhere: the status a front end reports, its
// exit code, its word in titles and status bars, and what kind of mark it gets.
//
// This is the one table that maps the runtime's RunOutcome and the scenario host's
// load/compile/settings failures to what a person and a shell see. spindle-run,
// `spindle --export`, the window's banner and the timeline's title all read it.
// Plain data and pure functions; no state.

#include <cstdint>
#include <string>
#include <string_view>

#include "spindle/instrument/event.h"

namespace spindle::session {

/// Exit codes shared by spindle-run and `spindle --export` / `--export-stage`.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;    ///< a task failed, or the script did not compile
inline constexpr int kExitUsage = 2;     ///< bad command line, unreadable file, unwritable output
inline constexpr int kExitDeadlock = 3;  ///< tasks wait and nothing can run
inline constexpr int kExitBudget = 4;    ///< a budget ran out, or the run was cancelled

/// How a run ended, from a front end's point of view.
enum class RunStatus : std::uint8_t {
    completed,        ///< every task ended without failure
    failed,           ///< every task ended, at least one failed
    deadlock,         ///< tasks wait and nothing can run
    budget_exceeded,  ///< a budget ran out; the run is shown up to there
    cancelled,        ///< stopped on request (the GUI's Cancel); shown up to there
    check_failed,     ///< every task ended without failure, but a check() did not hold
    compile_error,    ///< the script did not compile: nothing ran
    bad_settings,     ///< the script's scenario{} settings are invalid: nothing ran
    load_error,       ///< the file (scenario or trace) could not be read: nothing ran
};

/// How a status is marked in titles and banners.
enum class Severity : std::uint8_t { ok, info, warn, alert };

/// The status of a run that ran to `outcome`.
RunStatus status_of(RunOutcome outcome);
/// 0 completed; 1 failed, compile_error, bad_settings; 2 load_error; 3 deadlock;
/// 4 budget_exceeded, cancelled.
int exit_code(RunStatus status);
/// "completed", "failed", "deadlock", "budget exceeded", "cancelled", "did not compile",
/// "bad settings", "not loaded".
std::string_view word(RunStatus status);
Severity severity(RunStatus status);
/// Whether the scenario ran (or the trace was read): there is a run to show.
bool ran(RunStatus status);

/// The text up to the first newline.
std::string_view first_line(std::string_view text);

}  // namespace spindle::session
