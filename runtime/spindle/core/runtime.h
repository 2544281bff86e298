#pragma once
// Runtime: the public entry point — configure, subscribe sinks, run a main task.
//
// A Runtime runs once: block_on spawns `main`, drives the executor until every
// task has ended (not just main), the run is stuck, or a budget is spent, and
// returns main's result. Results stay readable afterwards.

#include <memory>
#include <string_view>

#include "spindle/core/config.h"
#include "spindle/core/sim_executor.h"
#include "spindle/core/spawn.h"

namespace spindle {

class Runtime {
public:
    explicit Runtime(RuntimeConfig config = {})
        : m_exec(std::make_unique<SimExecutor>(std::move(config))) {}

    /// Adds a sink; it must outlive the run.
    void subscribe(EventSink& sink) { m_exec->subscribe(&sink); }

    /// Runs `main` (as a task named `name`) and everything it spawns to the end.
    template <class T>
    JoinResult<T> block_on(Task<T> main, std::string_view name = "main") {
        detail::ExecutorScope scope(m_exec.get());
        m_exec->begin();
        JoinHandle<T> handle = spawn(name, std::move(main));
        m_exec->run();
        return handle.try_result();
    }

    /// See SimExecutor::set_idle_hook.
    void set_idle_hook(std::function<void()> hook) { m_exec->set_idle_hook(std::move(hook)); }
    /// Stops a run in progress from another thread (outcome budget_exceeded).
    void request_stop() { m_exec->request_stop(); }
    /// See SimExecutor::set_stop_reason.
    void set_stop_reason(std::function<std::string()> reason) {
        m_exec->set_stop_reason(std::move(reason));
    }
    /// Why the run stopped when its outcome is budget_exceeded (run_end's reason).
    const std::string& stop_reason() const { return m_exec->stop_reason(); }

    RunOutcome outcome() const { return m_exec->outcome(); }
    /// The wait-for report when the outcome is deadlock, else nullptr.
    const DeadlockReport* deadlock() const { return m_exec->deadlock(); }
    Nanos end_time() const { return m_exec->now(); }
    std::uint64_t event_count() const { return m_exec->event_count(); }
    const RuntimeConfig& config() const { return m_exec->config(); }

private:
    std::unique_ptr<SimExecutor> m_exec;
};

}  // namespace spindle
