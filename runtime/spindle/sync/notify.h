#pragma once
// Notify: tokio's task notification primitive.
//
// State (detail::NotifyState, shared by every Notify handle and pending
// NotifiedOp): the single stored permit, the FIFO of waiting tasks and a count
// of notify_waiters() calls (the "generation").
// Rules (tokio's):
//  - notify_one() wakes the oldest waiter; with nobody waiting it stores ONE
//    permit (repeated calls do not add up) that the next notified() consumes at once;
//  - notify_waiters() wakes every current waiter and stores no permit; a
//    NotifiedOp created before the call counts as waiting even if it has not
//    been awaited yet (it captures the generation when created);
//  - a waiter cancelled after notify_one() picked it (abort, select loss) forwards
//    the notification: to the next waiter, or back into the stored permit.
//    Notifications from notify_waiters() are not forwarded.
// Only tasks of the run touch it.

#include <memory>
#include <string_view>
#include <utility>

#include "spindle/core/operation.h"
#include "spindle/core/wake.h"

namespace spindle {

namespace detail {

struct NotifyState {
    static constexpr std::uint32_t kOne = 1;  ///< WaitNode::granted: picked by notify_one
    static constexpr std::uint32_t kAll = 2;  ///< WaitNode::granted: woken by notify_waiters

    ResourceId id = 0;
    bool permit = false;
    std::uint64_t generation = 0;  ///< notify_waiters() calls so far
    WaitList waiters;

    void notify_one() {
        if (WaitNode* n = waiters.pop_front()) {
            n->granted = kOne;
            spindle::detail::wake_task(n->task, id);
        } else {
            permit = true;
        }
    }

    void notify_waiters() {
        ++generation;
        while (WaitNode* n = waiters.pop_front()) {
            n->granted = kAll;
            spindle::detail::wake_task(n->task, id);
        }
    }
};

}  // namespace detail

/// Awaitable notification. Usable as a select branch (cancel-safe: a lost
/// notify_one() notification is forwarded).
class NotifiedOp final : public AwaitableOperation<NotifiedOp> {
public:
    explicit NotifiedOp(std::shared_ptr<detail::NotifyState> state)
        : AwaitableOperation(state->id, WaitOp::notified),
          m_state(std::move(state)),
          m_generation(m_state->generation) {}
    ~NotifiedOp() override { cancel(); }

    bool try_complete() override {
        auto& s = *m_state;
        if (m_node.take_grant()) return true;
        if (s.generation != m_generation) return true;  // a notify_waiters() since creation
        if (s.permit) {
            s.permit = false;
            return true;
        }
        return false;
    }
    void arm(TaskId task) override { m_node.arm(m_state->waiters, task); }
    void disarm() override {
        const auto how = m_node.disarm(m_state->waiters);
        if (how == detail::NotifyState::kOne) m_state->notify_one();  // forward it
    }
    void result() const {}

private:
    std::shared_ptr<detail::NotifyState> m_state;
    detail::QueuedWait m_node;
    std::uint64_t m_generation;
};

/// Wakes waiting tasks on request. A cheap copyable handle: copies share one Notify.
class Notify {
public:
    /// Creates and registers a Notify (must be called inside a run).
    explicit Notify(std::string_view name = "notify")
        : m_state(std::make_shared<detail::NotifyState>()) {
        m_state->id = detail::register_resource(ResourceKind::notify, name, 1);
    }
    /// Same as the constructor.
    static Notify create(std::string_view name = "notify") { return Notify(name); }

    /// Waits for a notification (completes at once if a permit is stored).
    NotifiedOp notified() const { return NotifiedOp(m_state); }
    /// Wakes the oldest waiter, or stores one permit if nobody waits.
    void notify_one() const { m_state->notify_one(); }
    /// Wakes every current waiter; stores no permit.
    void notify_waiters() const { m_state->notify_waiters(); }
    /// Number of tasks waiting now.
    std::uint32_t waiters() const { return m_state->waiters.size(); }
    /// True when a notify_one() permit is stored.
    bool has_permit() const { return m_state->permit; }
    ResourceId id() const { return m_state->id; }

private:
    std::shared_ptr<detail::NotifyState> m_state;
};

}  // namespace spindle
