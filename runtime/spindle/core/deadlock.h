#pragma once
// DeadlockReport: who waits on what when nothing can run any more.
//
// Built by the executor when the run is stuck (no runnable task, no worker
// busy, no timer pending, tasks still alive): one entry per live task with the
// operations it waits on, the tasks holding those resources, and the first
// wait-for cycle found (tasks in order, each waiting on the next).

#include <string>
#include <vector>

#include "spindle/core/executor.h"

namespace spindle {

struct WaitingTask {
    TaskId task = 0;
    std::string name;
    std::vector<WaitInfo> waits;  ///< empty: queued for a blocking thread that never frees
};

struct DeadlockReport {
    std::vector<WaitingTask> tasks;  ///< ordered by task id
    std::vector<TaskId> cycle;       ///< empty when the waits form no cycle

    /// The report in plain words, one line per waiting task, then the cycle.
    std::string to_text() const;
    const WaitingTask* find(TaskId id) const;
};

/// The first wait-for cycle (by task id order) among the tasks' holders.
std::vector<TaskId> find_wait_cycle(const std::vector<WaitingTask>& tasks);

}  // namespace spindle
