#pragma once
// The small task-level calls: now, yield_now, work.

#include <coroutine>

#include "spindle/core/executor.h"

namespace spindle {

/// Virtual time since the run started.
inline Nanos now() {
    return current_executor().now();
}

/// Ends the current poll and requeues the task behind the others (tokio's yield_now).
inline auto yield_now() {
    struct Awaiter {
        bool await_ready() const noexcept { return false; }
        void await_suspend(std::coroutine_handle<> h) const { current_executor().yield_current(h); }
        void await_resume() const noexcept {}
    };
    return Awaiter{};
}

/// CPU work: occupies the current worker for `d`; nothing else runs on it meanwhile.
inline auto work(Nanos d) {
    struct Awaiter {
        Nanos d;
        bool await_ready() const noexcept { return d <= Nanos::zero(); }
        void await_suspend(std::coroutine_handle<> h) const { current_executor().begin_work(h, d); }
        void await_resume() const noexcept {}
    };
    return Awaiter{d};
}

}  // namespace spindle
