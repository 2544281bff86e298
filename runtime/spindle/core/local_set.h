#pragma once
// LocalSet for C++ tasks: tokio's LocalSet, bound to one core worker — the one running
// the task that made it. Tasks spawned on it (spawn_local, flavor local) run only on
// that worker and are never stolen: a future that is not Send (it holds an Rc across
// an await) can only live there. The cost is the lost parallelism: they queue behind
// each other on one thread while other workers may idle.
// State: the bound worker and a name (the executor keeps the queue).

#include <string>
#include <string_view>

#include "spindle/core/join_handle.h"
#include "spindle/core/task_harness.h"

namespace spindle {

class LocalSet {
public:
    /// Binds a new set to the current core worker (worker 0 outside one).
    explicit LocalSet(std::string_view name = "local set")
        : m_name(name), m_worker(current_executor().local_set_worker()) {}

    WorkerId worker() const { return m_worker; }
    const std::string& name() const { return m_name; }

    /// Spawns `task` on this set's worker (tokio::task::spawn_local).
    template <class T>
    JoinHandle<T> spawn_local(std::string_view name, Task<T> task) const;

private:
    std::string m_name;
    WorkerId m_worker;
};

/// Spawns `task` as a local task of the set bound to `worker` (what LocalSet does).
template <class T>
JoinHandle<T> spawn_local_on(WorkerId worker, std::string_view name, Task<T> task) {
    auto slot = std::make_shared<detail::JoinSlot<T>>();
    detail::RootTask root = detail::make_root<T>(std::move(task), slot);
    slot->task = current_executor().spawn_pinned(name, worker, root.handle, slot);
    return JoinHandle<T>(std::move(slot));
}

template <class T>
JoinHandle<T> LocalSet::spawn_local(std::string_view name, Task<T> task) const {
    return spawn_local_on(m_worker, name, std::move(task));
}

}  // namespace spindle
