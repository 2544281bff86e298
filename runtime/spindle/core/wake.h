#pragma once
// Helpers primitives use to queue waiting operations on them and to wake the
// tasks queued there.

#include <utility>

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
inline ResourceId register_resource(ResourceKind kind, std::string_view name,
                                    std::uint32_t capacity) {
    return current_executor().register_resource(kind, name, capacity);
}

/// An operation's WaitNode, with the queueing steps of its arm / disarm.
struct QueuedWait : WaitNode {
    /// Queues `waiter` at the back of `list`.
    void arm(WaitList& list, TaskId waiter) {
        task = waiter;
        list.push_back(*this);
    }
    /// Leaves `list` (if still queued) and returns the grant not consumed (0 if
    /// none), which the caller must give back.
    std::uint32_t disarm(WaitList& list) {
        list.remove(*this);
        return take_grant();
    }
    /// Consumes the grant the resource made meanwhile; returns it (0 if none).
    std::uint32_t take_grant() { return std::exchange(granted, 0); }
};

/// chan_drop: an endpoint of `role` was dropped; `live` of that role remain.
inline void emit_drop(EndpointRole role, ResourceId chan, std::uint64_t live) {
    emit(payload::ChanDrop{.chan = chan, .role = role, .live = static_cast<std::uint32_t>(live)});
}

/// chan_close: the channel closed for `why`, with `len` messages buffered.
inline void emit_close(CloseReason why, ResourceId chan, std::uint64_t len) {
    emit(payload::ChanClose{.chan = chan, .reason = why, .len = static_cast<std::uint32_t>(len)});
}

}  // namespace spindle::detail
