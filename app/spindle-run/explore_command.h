#pragma once
// spindle-run --explore N: runs the scenario under N schedules on all cores, prints
// a live progress line and the table of outcome classes, and writes --explore-json
// and (with --trace DIR) the trace of each class's first run. No state of its own.

#include <iosfwd>

#include "explore.h"

namespace spindle::cli {

struct ExploreOutputs {
    std::string json_path;  ///< --explore-json ("" none; "-" stdout)
    std::string trace_dir;  ///< --trace DIR ("" none)
    bool quiet = false;
};

/// Explores and reports; returns the exit status (session::exit_code of the result).
int run_explore(const session::ExploreRequest& request, const ExploreOutputs& outputs,
                std::ostream& out, std::ostream& err);

}  // namespace spindle::cli
