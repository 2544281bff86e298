#pragma once
// JoinHandle<T>: the spawner's view of a task — await its result, abort it.
//
// The task and its handles share a JoinSlot. The executor writes the slot once,
// when the task ends (outcome, error, value), and then wakes every joiner; the
// handle only reads it. The slot outlives the task, so a handle stays valid
// after the task (or the whole run) is gone.

#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <variant>

#include "spindle/core/operation.h"
#include "spindle/core/wait_list.h"

namespace spindle {

namespace detail {
template <class T>
using Stored = std::conditional_t<std::is_void_v<T>, std::monostate, T>;

struct JoinSlotBase {
    TaskId task = 0;
    bool finished = false;
    TaskOutcome outcome = TaskOutcome::completed;
    std::string error;
    WaitList joiners;
};

template <class T>
struct JoinSlot : JoinSlotBase {
    std::optional<Stored<T>> value;
};
}  // namespace detail

/// How a task ended, and its value when it completed.
template <class T>
struct JoinResult {
    bool finished = false;  ///< false only when the run ended with the task still waiting
    TaskOutcome outcome = TaskOutcome::completed;
    std::optional<detail::Stored<T>> value;
    std::string error;  ///< the failure message, or "aborted"

    bool ok() const { return finished && outcome == TaskOutcome::completed && value.has_value(); }
    bool aborted() const { return finished && outcome == TaskOutcome::aborted; }
    bool failed() const { return finished && outcome == TaskOutcome::failed; }
};

namespace detail {
template <class T>
JoinResult<T> take_result(JoinSlot<T>& slot) {
    JoinResult<T> r;
    r.finished = slot.finished;
    r.outcome = slot.outcome;
    r.error = slot.error;
    if (slot.value) r.value.emplace(std::move(*slot.value));
    slot.value.reset();
    return r;
}
}  // namespace detail

/// Awaiting a task's end (`co_await handle` or `co_await handle.join()`).
template <class T>
class JoinOp final : public AwaitableOperation<JoinOp<T>> {
public:
    explicit JoinOp(std::shared_ptr<detail::JoinSlot<T>> slot)
        : AwaitableOperation<JoinOp<T>>(slot->task, WaitOp::join), m_slot(std::move(slot)) {}
    ~JoinOp() override { this->cancel(); }

    bool try_complete() override {
        if (!m_slot->finished) return false;
        if (!m_result) m_result = detail::take_result(*m_slot);
        return true;
    }
    void arm(TaskId task) override {
        m_node.task = task;
        m_slot->joiners.push_back(m_node);
    }
    void disarm() override { m_slot->joiners.remove(m_node); }
    void describe(WaitInfo& w) const override { w.holders.push_back(m_slot->task); }

    /// The joined task's result (valid once the await completed).
    JoinResult<T> result() { return std::move(*m_result); }

private:
    std::shared_ptr<detail::JoinSlot<T>> m_slot;
    WaitNode m_node;
    std::optional<JoinResult<T>> m_result;
};

/// Owned permission to await a spawned task; dropping it detaches the task.
template <class T>
class JoinHandle {
public:
    JoinHandle() = default;
    explicit JoinHandle(std::shared_ptr<detail::JoinSlot<T>> slot) : m_slot(std::move(slot)) {}

    TaskId id() const { return m_slot ? m_slot->task : 0; }
    bool is_finished() const { return m_slot && m_slot->finished; }
    /// Cancels the task: it ends as aborted the next time it would be polled.
    void abort() const {
        if (m_slot && !m_slot->finished) current_executor().abort(m_slot->task);
    }
    /// An awaitable yielding the task's JoinResult.
    JoinOp<T> join() const { return JoinOp<T>(m_slot); }
    JoinOp<T> operator co_await() const { return join(); }
    /// The result without waiting (after the run, or once is_finished()).
    JoinResult<T> try_result() const {
        return m_slot ? detail::take_result(*m_slot) : JoinResult<T>{};
    }

private:
    std::shared_ptr<detail::JoinSlot<T>> m_slot;
};

}  // namespace spindle
