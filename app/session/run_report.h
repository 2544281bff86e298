#pragma once
// RunReport: how one run ended, apart from its folded data — the single record every
// front end (spindle-run, `spindle --export`, the window) reads after run_session().
//
// Plain data, filled once by run_session() (and, in the window, completed with the
// playback times and the recorded trace on the run's thread); read-only afterwards
// and shared between threads only as `shared_ptr<const RunReport>`.

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "outcome.h"
#include "run_request.h"
#include "spindle/core/config.h"
#include "spindle/core/deadlock.h"
#include "temp_file.h"

namespace spindle::session {

struct RunReport {
    RunStatus status = RunStatus::completed;
    RunRequest request;
    std::string name;                     ///< scenario{name=}, else the file's stem
    std::string description;              ///< scenario{description=}
    RuntimeConfig config;                 ///< what the run used (from run_start for traces)
    std::vector<std::string> errors;      ///< "file:line: message", one per failure
    std::vector<std::string> tracebacks;  ///< parallel to errors (may be shorter)
    std::vector<std::string> checks;      ///< failed check()s: "file:line: message"
    std::string stop_reason;              ///< budget_exceeded / cancelled: why it stopped
    /// Things worth a word that are not errors, e.g. a run that spawned no task and
    /// printed nothing (an empty or misnamed script). One sentence each.
    std::vector<std::string> notes;
    std::optional<DeadlockReport> deadlock;
    std::uint64_t events = 0;
    std::int64_t duration_ns = 0;       ///< virtual time of the run
    std::chrono::milliseconds wall{0};  ///< real time it took

    /// The run recorded as a native trace (the window keeps one for Save Trace and
    /// Export Chrome Trace); null when none was recorded.
    std::shared_ptr<const TempFile> trace;
    std::string trace_error;  ///< why `trace` is null or incomplete ("" when fine)
    /// Every distinct event time, sorted: the playback's steps (filled by the window).
    std::vector<std::int64_t> event_times;

    bool ran() const { return session::ran(status); }
    bool cancelled() const { return status == RunStatus::cancelled; }
    bool from_trace() const { return request.source == RunRequest::Source::trace_file; }
    bool has_trace() const { return trace && trace_error.empty() && events > 0; }
    int exit_code() const { return session::exit_code(status); }

    /// What a person reads on stderr: each error with its traceback, why the run
    /// stopped, and the deadlock report. Every line ends with '\n'. The script's and the
    /// trace's text in it has its control characters escaped (terminal_safe).
    std::string diagnostics() const;

    /// One line under a picture's title, and whether it is bad news.
    struct Headline {
        std::string text;
        bool alert = false;
    };
    /// The first error; else why the run stopped (budget; a deadlock's cycle in one short
    /// line, view::deadlock_headline); else the description; else the first note.
    Headline headline() const;
};

}  // namespace spindle::session
