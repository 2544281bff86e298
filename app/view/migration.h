#pragma once
// Migrations: a task polled on another runtime worker than its previous poll
// ("thread 1 → thread 3") — what a Send future may do and a spawn_local task never does.
// Pure functions over a finished or growing RunModel; no state.

#include <cstddef>

#include "run_model.h"

namespace spindle::view {

/// The core worker `task`'s span `span` (a running span) moved from: the worker of the
/// previous running span when it was another core worker, else kNoWorker.
WorkerId migrated_from(const RunModel& model, const TaskInfo& task, std::size_t span);

/// How many of the task's polls ran on another core worker than the poll before.
std::size_t migration_count(const RunModel& model, const TaskInfo& task);

}  // namespace spindle::view
