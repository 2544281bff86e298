#pragma once
// DeadlockReport: who waits on what when nothing can run any more.
//
// Plain data only (no executor): what a blocked task waits on (WaitInfo, filled by
// the primitives' Pending::describe_waits), one entry per live task, and the first
// wait-for cycle found (tasks in order, each waiting on the next). The executor
// builds a report when the run is stuck (SimExecutor::build_deadlock_report: no
// runnable task, no worker busy, no timer pending, tasks still alive); the run
// summary's JSON, the Lua host and the viewer only read it.

#include <string>
#include <vector>

#include "spindle/core/ids.h"

namespace spindle {

/// One operation a blocked task waits on, as shown in deadlock reports.
struct WaitInfo {
    ResourceId resource = 0;  ///< for WaitOp::join, the awaited task's id
    WaitOp op = WaitOp::recv;
    std::vector<TaskId> holders;  ///< tasks holding the resource (lock owners, awaited task)
    int live_senders = -1;        ///< senders still alive for a receive (-1 = not a channel)
    // Filled in by the executor for reports:
    ResourceKind kind = ResourceKind::mpsc;
    std::string name;
};

/// One live task of a stuck run and the operations it waits on.
struct WaitingTask {
    TaskId task = 0;
    std::string name;
    std::vector<WaitInfo> waits;  ///< empty: queued for a blocking thread that never frees
};

/// Who waits on what when a run is stuck, and the first wait-for cycle.
struct DeadlockReport {
    std::vector<WaitingTask> tasks;  ///< ordered by task id
    std::vector<TaskId> cycle;       ///< empty when the waits form no cycle

    /// The report in plain words, one line per waiting task, then the cycle.
    std::string to_text() const;
    /// The entry of task `id`, or nullptr.
    const WaitingTask* find(TaskId id) const;
};

/// The first wait-for cycle (by task id order) among the tasks' holders.
std::vector<TaskId> find_wait_cycle(const std::vector<WaitingTask>& tasks);

}  // namespace spindle
