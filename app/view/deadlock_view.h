#pragma once
// DeadlockView: what a deadlocked run's picture draws — the waits that never end
// ("stuck"), the wait-for cycle as edges waiter -> resource -> holder, and the
// one short headline naming the cycle.
//
// Built once from a finished RunModel (deadlock_view()); empty unless the run
// ended in a deadlock. The waits and holders come from the model (each live
// task's last span, the holds never released), the cycle from the runtime's own
// find_wait_cycle, and the words from DeadlockReport::to_text: one derivation
// shared with the session, which rebuilds a trace's report with deadlock_report().
// Plain C++, read-only after construction.

#include <string>
#include <vector>

#include "run_model.h"
#include "spindle/core/deadlock.h"

namespace spindle::view {

/// A task whose last wait never ended: from `since` past the run's end.
struct StuckWait {
    TaskId task = 0;
    Time since = 0;               ///< when the wait began
    std::vector<WaitRef> waits;   ///< what it waits on (several in a select)
    std::vector<TaskId> holders;  ///< who holds what it waits on (locks, joined tasks)
};

/// One step of the wait-for cycle: `waiter` waits on `resource`, held by `holder`.
struct CycleEdge {
    TaskId waiter = 0;
    ResourceId resource = 0;  ///< for WaitOp::join, the joined task's id
    WaitOp op = WaitOp::lock;
    TaskId holder = 0;
};

struct DeadlockView {
    std::vector<StuckWait> stuck;  ///< by task id
    std::vector<CycleEdge> cycle;  ///< in cycle order (the last edge's holder is the first waiter)
    std::string headline;          ///< one short line ("deadlock: a ⇄ b over m1, m2")
    std::string details;           ///< the full report, one line per waiting task

    bool empty() const { return stuck.empty(); }
    /// The stuck wait of `task`, or nullptr.
    const StuckWait* stuck_task(TaskId task) const;
};

/// Who waits on what at the end of `model` and who holds it, with the first cycle:
/// the report a live run's executor gives, rebuilt from the events.
DeadlockReport deadlock_report(const RunModel& model);
/// The picture of a deadlocked run (empty when the run did not end in a deadlock).
DeadlockView deadlock_view(const RunModel& model);
/// The report's cycle in one short line: "deadlock: a ⇄ b over m1, m2" (two tasks),
/// "deadlock: a → b → c → a over m1, m2, m3"; without a cycle, the report's first
/// line. Long names are shortened so the line stays short (at most ~100 characters).
std::string deadlock_headline(const DeadlockReport& report);

}  // namespace spindle::view
