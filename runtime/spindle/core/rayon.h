#pragma once
// Rayon for C++ tasks: thread pools, jobs, and the fork-join `join`.
//
// A pool's threads are lanes of their own (role rayon). A job runs on one of them;
// a job forked from a pool thread goes on that thread's deque (newest first for the
// owner, oldest first for thieves), one sent in from elsewhere on the pool's injector.
// Every wait of a job blocks its thread (there is no .await in Rayon) except waiting
// for a job it forked, during which the thread runs other jobs (StealWhileWaiting).
// No state here: the queues live in the executor (RayonPools).

#include <exception>
#include <optional>
#include <stdexcept>
#include <string_view>
#include <utility>

#include "spindle/core/join_handle.h"
#include "spindle/core/task_harness.h"

namespace spindle {

/// Creates a Rayon pool of `threads` threads (0: the runtime's worker count).
/// Returns 0 when the run has as many pools as it may have (kMaxRayonPools).
inline ResourceId make_rayon_pool(std::string_view name, std::uint32_t threads = 0) {
    return current_executor().make_rayon_pool(name, threads);
}

/// Makes a job of `pool` running `task` (rayon::spawn, or the half of a join that may
/// be stolen). From one of the pool's threads it goes on that thread's deque.
template <class T>
JoinHandle<T> spawn_job(ResourceId pool, std::string_view name, Task<T> task) {
    auto slot = std::make_shared<detail::JoinSlot<T>>();
    detail::RootTask root = detail::make_root<T>(std::move(task), slot);
    slot->task = current_executor().spawn_job(name, pool, root.handle, slot);
    return JoinHandle<T>(std::move(slot));
}

/// While alive, the current job's waits release its thread, which runs other jobs
/// (a job waiting for one it forked, as rayon's join does).
class StealWhileWaiting {
public:
    StealWhileWaiting() { current_executor().set_steal_while_waiting(true); }
    ~StealWhileWaiting() {
        if (Executor* ex = current_executor_or_null()) ex->set_steal_while_waiting(false);
    }
    StealWhileWaiting(const StealWhileWaiting&) = delete;
    StealWhileWaiting& operator=(const StealWhileWaiting&) = delete;
};

namespace rayon {

/// rayon::join from inside a job: `b` is forked onto this thread's deque (where another
/// thread may steal it) while `a` runs here; then waits for `b`, running other jobs
/// meanwhile. Both results, in order; a failure of either is rethrown after both ended.
template <class A, class B>
Task<std::pair<A, B>> join(Task<A> a, Task<B> b) {
    const ResourceId pool = current_executor().current_pool();
    if (pool == 0) throw std::logic_error("spindle: rayon join outside a Rayon job");
    JoinHandle<B> hb = spawn_job(pool, "join b", std::move(b));
    std::optional<A> ra;
    std::exception_ptr a_failed;
    try {
        ra.emplace(co_await std::move(a));
    } catch (...) {
        a_failed = std::current_exception();
    }
    JoinResult<B> rb;
    {
        StealWhileWaiting steal;
        rb = co_await hb.join();
    }
    if (a_failed) std::rethrow_exception(a_failed);
    if (!rb.ok()) throw std::runtime_error(rb.error);
    co_return std::pair<A, B>{std::move(*ra), std::move(*rb.value)};
}

}  // namespace rayon

}  // namespace spindle
