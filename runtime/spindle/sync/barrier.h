#pragma once
// Barrier: tokio's reusable rendezvous of n tasks.
//
// State (detail::BarrierState, shared by every Barrier handle and pending
// BarrierWaitOp): the party count n, how many tasks have arrived in the current
// generation, the generation number and the tasks waiting in it.
// Rules:
//  - wait() blocks until n tasks have called it; the n-th to arrive completes at
//    once as the generation's leader (is_leader true, exactly one per
//    generation, like tokio) and releases the others; the barrier then starts
//    the next generation and can be reused; n = 0 behaves as n = 1 (as tokio);
//  - a waiter cancelled before its generation completes withdraws its arrival
//    (the Operation protocol's "cancel without effect"; tokio instead keeps
//    counting a dropped wait() future); once released it cannot be undone.
// Deadlock reports name no holders for a barrier wait: the missing parties
// have not arrived, so no task can be blamed.
// Only tasks of the run touch it.

#include <memory>
#include <string_view>

#include "spindle/core/operation.h"
#include "spindle/core/wake.h"

namespace spindle {

namespace detail {

struct BarrierState {
    static constexpr std::uint32_t kReleased = 1;  ///< WaitNode::granted: generation done
    static constexpr std::uint32_t kLeader = 2;    ///< ... and this waiter completed it

    ResourceId id = 0;
    std::uint32_t n = 1;
    std::uint32_t arrived = 0;
    std::uint64_t generation = 0;
    WaitList waiters;

    /// Ends the current generation: releases every waiter.
    void release_generation() {
        ++generation;
        arrived = 0;
        while (WaitNode* w = waiters.pop_front()) {
            if (!w->granted) w->granted = kReleased;
            spindle::detail::wake_task(w->task, id);
        }
    }
};

}  // namespace detail

/// Awaitable barrier wait; yields true for the generation's leader.
/// Usable as a select branch (withdraws its arrival when cancelled before release).
class BarrierWaitOp final : public AwaitableOperation<BarrierWaitOp> {
public:
    explicit BarrierWaitOp(std::shared_ptr<detail::BarrierState> state)
        : AwaitableOperation(state->id, WaitOp::barrier), m_state(std::move(state)) {}
    ~BarrierWaitOp() override { cancel(); }

    bool try_complete() override {
        auto& s = *m_state;
        if (const auto how = m_node.take_grant()) {
            m_leader = how == detail::BarrierState::kLeader;
            return true;
        }
        if (m_node.linked) return false;  // arrived, generation still open
        if (s.arrived + 1 < s.n) return false;
        m_leader = true;  // the last to arrive: complete the generation now
        s.release_generation();
        return true;
    }
    void arm(TaskId task) override {
        auto& s = *m_state;
        m_node.arm(s.waiters, task);
        if (++s.arrived >= s.n) {  // only if state changed since try_complete
            m_node.granted = detail::BarrierState::kLeader;
            s.release_generation();
        }
    }
    void disarm() override {
        auto& s = *m_state;
        if (m_node.linked) --s.arrived;  // still waiting: withdraw the arrival
        m_node.disarm(s.waiters);
    }
    /// True for the one task that completed the generation.
    bool result() const { return m_leader; }

private:
    std::shared_ptr<detail::BarrierState> m_state;
    detail::QueuedWait m_node;
    bool m_leader = false;
};

/// A reusable barrier for n tasks. A cheap copyable handle: copies share one barrier.
class Barrier {
public:
    /// Creates and registers a barrier for `n` tasks (inside a run).
    explicit Barrier(std::uint32_t n, std::string_view name = "barrier")
        : m_state(std::make_shared<detail::BarrierState>()) {
        m_state->n = n == 0 ? 1 : n;
        m_state->id = detail::register_resource(ResourceKind::barrier, name, m_state->n);
    }
    /// Same as the constructor.
    static Barrier create(std::uint32_t n, std::string_view name = "barrier") {
        return Barrier(n, name);
    }

    /// Waits until n tasks have called wait(); yields is_leader.
    BarrierWaitOp wait() const { return BarrierWaitOp(m_state); }
    /// The number of tasks each generation waits for.
    std::uint32_t parties() const { return m_state->n; }
    /// Tasks waiting in the current generation.
    std::uint32_t arrived() const { return m_state->arrived; }
    /// Generations completed so far.
    std::uint64_t generation() const { return m_state->generation; }
    ResourceId id() const { return m_state->id; }

private:
    std::shared_ptr<detail::BarrierState> m_state;
};

}  // namespace spindle
