#pragma once
// Helpers primitives use to wake the tasks queued on them.

#include "spindle/core/executor.h"
#include "spindle/core/wait_list.h"

namespace spindle::detail {

/// Wakes one task because `resource` changed (no-op outside a run).
inline void wake_task(TaskId task, ResourceId resource) {
    if (Executor* ex = current_executor_or_null()) ex->wake(task, WakeCause::resource, resource);
}

/// Wakes every task in `list` (they stay queued; each re-checks when polled).
inline void wake_all(const WaitList& list, ResourceId resource) {
    list.for_each([&](WaitNode& n) { wake_task(n.task, resource); });
}

/// Registers a resource with the running executor (throws outside a run).
inline ResourceId register_resource(ResourceKind kind, std::string_view name, std::uint32_t capacity) {
    return current_executor().register_resource(kind, name, capacity);
}

}  // namespace spindle::detail
