#pragma once
// RunComparison: what differs between two runs of a scenario, for the compare
// view's summary under its divergence line — how each run ended, and per task
// whether it ended, when and how, how long it waited, and what it still waited on
// when the run ended. Up to the first divergence both runs did the same, so every
// difference listed here happened after it.
//
// Tasks are matched by name: the k-th task of a name in one run with the k-th of
// that name in the other (ids follow spawn order, which a schedule may change).
// Plain data folded from two finished RunModels; no Qt, no state.

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "run_model.h"

namespace spindle::view {

/// One task in one of the two runs.
struct TaskSide {
    bool present = false;  ///< the run has this task
    std::optional<Time> ended;
    std::optional<TaskOutcome> outcome;
    Time waited = 0;         ///< time in waiting spans (locks, channels, joins, sleeps)
    std::string waiting_on;  ///< still waiting when the run ended: on what ("" if not)

    friend bool operator==(const TaskSide&, const TaskSide&) = default;
};

/// A task that did not do the same in both runs.
struct TaskDifference {
    std::string name;  ///< the task's name; "name #2" for the second task of that name
    std::array<TaskSide, 2> side;
    /// It ended in one run and not the other, or ended otherwise (failed, aborted).
    bool ending_differs() const {
        return side[0].present != side[1].present ||
               side[0].ended.has_value() != side[1].ended.has_value() ||
               side[0].outcome != side[1].outcome;
    }
};

struct RunComparison {
    std::array<std::optional<RunOutcome>, 2> outcome;
    std::array<Time, 2> end{};
    /// Tasks that differ: those whose ending differs first, then by how far apart
    /// their end times are (a task still running counts as ending with its run);
    /// ties in the order the first run spawned them.
    std::vector<TaskDifference> tasks;
    std::size_t same_tasks = 0;  ///< tasks that did exactly the same in both
};

/// Compares two finished runs; see the top of this file.
RunComparison compare_runs(const RunModel& a, const RunModel& b);

/// The comparison as short lines for the compare view: how each run ended (in
/// `outcome_words`, e.g. session::word of each run's status), then one line per
/// differing task, the first `max_tasks` of them, and how many more there are.
std::vector<std::string> describe(const RunComparison& c,
                                  const std::array<std::string_view, 2>& outcome_words,
                                  std::size_t max_tasks = 6);

}  // namespace spindle::view
