#pragma once
// Operation: one awaitable, cancellable wait on a resource (recv, send, lock,
// sleep, join...). Every waiting primitive is built from it, and select races them.
//
// Protocol, driven by the awaiting task only:
//   try_complete()  performs the operation if it can right now (consuming a grant
//                   the resource handed over meanwhile) and stores the result;
//   arm(task)       queues the task on the resource so it is woken when the
//                   operation may succeed (or when a grant was made);
//   disarm()        leaves the queue and gives back any unconsumed grant, so a
//                   cancelled operation has no effect. Idempotent.
// A concrete operation's destructor must call cancel() (its members are gone
// by the time this base's destructor would run): that is what makes destroying
// a suspended coroutine (abort, select losers, timeout) undo its waits.

#include <coroutine>

#include "spindle/core/executor.h"

namespace spindle {

/// Base of every awaitable wait; see the protocol above.
class Operation {
public:
    Operation(ResourceId resource, WaitOp op) : m_resource(resource), m_op(op) {}
    virtual ~Operation() = default;
    Operation(const Operation&) = delete;
    Operation& operator=(const Operation&) = delete;

    virtual bool try_complete() = 0;
    virtual void arm(TaskId task) = 0;
    virtual void disarm() = 0;
    /// Adds holders / live senders for deadlock reports.
    virtual void describe(WaitInfo&) const {}

    ResourceId resource() const { return m_resource; }
    WaitOp wait_op() const { return m_op; }
    bool waiting() const { return m_waiting; }

    /// Arms the operation for the current task and emits wait_start.
    void start_waiting() {
        Executor& ex = current_executor();
        arm(ex.current_task());
        m_waiting = true;
        detail::emit(
            payload::WaitStart{.resource = m_resource, .op = m_op, .holds_worker = ex.blocking()});
    }
    /// Disarms the operation and emits wait_end with the given result.
    void stop_waiting(WaitResult result) {
        if (!m_waiting) return;
        m_waiting = false;
        disarm();
        detail::emit(payload::WaitEnd{.resource = m_resource, .op = m_op, .result = result});
    }
    /// Withdraws a wait that will not complete (destruction, select loss).
    void cancel() { stop_waiting(WaitResult::cancelled); }

    WaitInfo info() const {
        WaitInfo w;
        w.resource = m_resource;
        w.op = m_op;
        describe(w);
        return w;
    }

protected:
    ResourceId m_resource;
    WaitOp m_op;

private:
    bool m_waiting = false;
};

/// Makes an operation directly awaitable: `auto v = co_await rx.recv();`.
/// Derived must provide `result()` returning what the await yields.
template <class Derived>
class AwaitableOperation : public Operation, public Pending {
public:
    using Operation::Operation;

    bool await_ready() {
        // The poll's cooperative budget is spent: yield first, like tokio's coop. A
        // blocking call (crossbeam, std) is not tokio's and has no budget.
        Executor& ex = current_executor();
        if (!ex.blocking() && !ex.coop_take()) {
            m_coop_yield = true;
            return false;
        }
        return try_complete();
    }
    void await_suspend(std::coroutine_handle<> h) {
        Executor& ex = current_executor();
        ex.suspend_current(h, this);
        if (m_coop_yield)
            ex.yield_current(h);  // requeued at once; the next poll tries again
        else
            start_waiting();
    }
    decltype(auto) await_resume() { return static_cast<Derived*>(this)->result(); }

    bool poll_ready() override {
        if (!try_complete()) {
            if (m_coop_yield) start_waiting();  // back from the yield: wait now
            m_coop_yield = false;
            return false;
        }
        m_coop_yield = false;
        stop_waiting(WaitResult::done);  // no-op if it never had to wait
        return true;
    }
    void describe_waits(std::vector<WaitInfo>& out) const override { out.push_back(info()); }

private:
    bool m_coop_yield = false;  ///< suspended by the budget, not armed yet
};

/// Awaits an operation held elsewhere (by pointer): `co_await wait_for(*op)`.
/// Used where the operation's type is only known at run time (the Lua host).
class WaitFor final : public Pending {
public:
    explicit WaitFor(Operation& op) : m_op(op) {}
    WaitFor(const WaitFor&) = delete;
    WaitFor& operator=(const WaitFor&) = delete;
    ~WaitFor() override { m_op.cancel(); }

    bool await_ready() { return m_op.try_complete(); }
    void await_suspend(std::coroutine_handle<> h) {
        m_op.start_waiting();
        current_executor().suspend_current(h, this);
    }
    void await_resume() const noexcept {}
    bool poll_ready() override {
        if (!m_op.try_complete()) return false;
        m_op.stop_waiting(WaitResult::done);
        return true;
    }
    void describe_waits(std::vector<WaitInfo>& out) const override { out.push_back(m_op.info()); }

private:
    Operation& m_op;
};

inline WaitFor wait_for(Operation& op) {
    return WaitFor(op);
}

}  // namespace spindle
