#pragma once
// Marks a task lane wears besides its state spans, gathered from the RunModel for
// one task: the broadcast lags it suffered, the watch versions it saw, the select
// races it ran. Pure functions of the model (no state); plain C++, no Qt.

#include <vector>

#include "run_model.h"

namespace spindle::view {

/// A broadcast lag suffered by a task: it skipped `skipped` messages of `chan`.
struct TaskLag {
    Time time = 0;
    ResourceId chan = 0;
    std::uint64_t skipped = 0;
};

/// The lags `task` suffered on any broadcast channel, by time.
std::vector<TaskLag> lags_of_task(const RunModel& model, TaskId task);

/// The watch values `task` saw (with the versions it skipped), by time.
std::vector<WatchSeen> watch_seen_by(const RunModel& model, TaskId task);

/// "v5", or "v3" / "v3–v4" for a skipped range (empty when nothing is skipped).
std::string version_label(std::uint64_t version);
std::string skipped_label(const WatchSeen& seen);

}  // namespace spindle::view
