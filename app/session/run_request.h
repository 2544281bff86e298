#pragma once
// RunRequest: what a front end asks run_session() for — a scenario (a file or source
// text) or a recorded trace, with the settings the person chose. Plain value.

#include <filesystem>
#include <string>

#include "spindle/lua/scenario.h"

namespace spindle::session {

struct RunRequest {
    enum class Source {
        file,  ///< a trace if it starts with the trace magic or ends in .spt, else a scenario
        scenario_file,    ///< a Lua scenario file
        scenario_source,  ///< Lua source text in `text`; `path` is the name errors show
        trace_file,       ///< a native trace (.spt)
    };
    Source source = Source::file;
    std::filesystem::path path;
    std::string text;                 ///< scenario_source only
    lua::ScenarioSettings overrides;  ///< win over the script's scenario{}; refused for traces
    lua::Budgets budgets;

    /// Whether this asks to change a run's schedule (workers, seed or policy).
    bool overrides_schedule() const {
        return overrides.workers || overrides.seed || overrides.policy || overrides.strategy ||
               overrides.pct_depth || overrides.pct_steps || overrides.jitter_pct;
    }
};

/// True when `path` names a native trace: it ends in .spt, or starts with the
/// trace magic. A file that cannot be read is not a trace.
bool looks_like_trace(const std::filesystem::path& path);

}  // namespace spindle::session
