#pragma once
// BlockingScope: makes the current task's waits blocking calls for a scope.
//
// Inside one, a wait holds the worker the task runs on — the thread is blocked in a
// call (crossbeam's recv, std's JoinHandle::join, a parking_lot lock), not a task
// parked at an .await — so nothing else runs on that worker until the wait ends.
// Created and destroyed by the same task, around its waits only (no state of its own:
// the mode lives in the executor's record of the task).

#include "spindle/core/executor.h"

namespace spindle {

/// While alive, the current task's waits hold its worker (see Executor::set_blocking).
class BlockingScope {
public:
    BlockingScope() { current_executor().set_blocking(true); }
    ~BlockingScope() {
        if (Executor* ex = current_executor_or_null()) ex->set_blocking(false);
    }
    BlockingScope(const BlockingScope&) = delete;
    BlockingScope& operator=(const BlockingScope&) = delete;
};

}  // namespace spindle
