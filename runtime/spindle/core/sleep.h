#pragma once
// Sleep: waiting for virtual time to pass. The deadline is fixed when the
// operation is created (like tokio's sleep); the timer starts when it first waits.

#include <optional>

#include "spindle/core/operation.h"

namespace spindle {

/// Completes at its deadline. Usable directly or as a select branch.
class SleepOp final : public AwaitableOperation<SleepOp> {
public:
    explicit SleepOp(Nanos deadline) : AwaitableOperation(0, WaitOp::sleep), m_deadline(deadline) {}
    ~SleepOp() override { cancel(); }

    bool try_complete() override { return current_executor().now() >= m_deadline; }
    void arm(TaskId task) override {
        m_timer = current_executor().start_timer(m_deadline, task);
        m_resource = m_timer;
    }
    void disarm() override {
        if (m_timer) {
            if (Executor* ex = current_executor_or_null()) ex->cancel_timer(m_timer);
            m_timer = 0;
        }
    }
    void result() const {}
    Nanos deadline() const { return m_deadline; }

private:
    Nanos m_deadline;
    std::uint32_t m_timer = 0;
};

/// Waits until `d` of virtual time has passed.
inline SleepOp sleep(Nanos d) {
    return SleepOp(current_executor().now() + d);
}
/// Waits until the virtual instant `t`.
inline SleepOp sleep_until(Nanos t) {
    return SleepOp(t);
}

}  // namespace spindle
