#pragma once
// spawn / spawn_blocking: start a task on the current runtime.

#include <concepts>
#include <memory>
#include <string_view>
#include <type_traits>

#include "spindle/core/join_handle.h"
#include "spindle/core/task_harness.h"

namespace spindle {

namespace detail {
template <class T>
JoinHandle<T> spawn_with(std::string_view name, TaskFlavor flavor, Task<T> task) {
    auto slot = std::make_shared<JoinSlot<T>>();
    RootTask root = make_root<T>(std::move(task), slot);
    slot->task = current_executor().spawn(name, flavor, root.handle, slot);
    return JoinHandle<T>(std::move(slot));
}
}  // namespace detail

/// Spawns an async task onto the runtime's workers.
template <class T>
JoinHandle<T> spawn(std::string_view name, Task<T> task) {
    return detail::spawn_with(name, TaskFlavor::async, std::move(task));
}

/// Runs a task on the blocking pool: a dedicated thread lane that it keeps,
/// even while it sleeps or waits, until it ends (like tokio's spawn_blocking).
template <class T>
JoinHandle<T> spawn_blocking(std::string_view name, Task<T> task) {
    return detail::spawn_with(name, TaskFlavor::blocking, std::move(task));
}

/// Starts an OS thread (std::thread::spawn) running `task`: it gets a lane of its own,
/// and its waits block that lane only. Join it from a blocking context (BlockingScope).
template <class T>
JoinHandle<T> spawn_thread(std::string_view name, Task<T> task) {
    return detail::spawn_with(name, TaskFlavor::thread, std::move(task));
}

/// spawn_blocking for a plain function, as tokio takes a closure: `fn` runs on a
/// blocking lane and the handle yields what it returns. (A Task can also wait
/// and do `work()` there; a plain function takes no virtual time.)
template <class F>
requires std::invocable<F&> &&
    (!std::is_base_of_v<Task<std::invoke_result_t<F&>>, F>)auto spawn_blocking(
        std::string_view name, F fn) {
    using R = std::invoke_result_t<F&>;
    return spawn_blocking(name, [](F f) -> Task<R> { co_return f(); }(std::move(fn)));
}

}  // namespace spindle
