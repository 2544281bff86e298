#pragma once
// The task harness: the root coroutine that wraps a spawned Task<T>, runs it,
// stores its value in the JoinSlot and keeps any escaping exception for the
// executor, which turns it into a failed task (the run goes on).
//
// The executor owns the root frame from spawn on; it polls it through
// TaskCell::resume_point and destroys it when the task ends or is aborted.

#include <coroutine>
#include <exception>
#include <memory>
#include <string>

#include "spindle/core/join_handle.h"
#include "spindle/core/task.h"

namespace spindle::detail {

struct RootPromise;

/// The return object of a root coroutine: just its handle.
struct RootTask {
    using promise_type = RootPromise;
    std::coroutine_handle<RootPromise> handle;
};

struct RootPromise {
    std::exception_ptr error;
    RootTask get_return_object() noexcept {
        return RootTask{std::coroutine_handle<RootPromise>::from_promise(*this)};
    }
    std::suspend_always initial_suspend() const noexcept { return {}; }
    std::suspend_always final_suspend() const noexcept { return {}; }
    void return_void() noexcept {}
    void unhandled_exception() noexcept { error = std::current_exception(); }
};

/// The message of a stored exception ("unknown exception" when it is not a std::exception).
inline std::string describe_exception(const std::exception_ptr& e) {
    try {
        std::rethrow_exception(e);
    } catch (const std::exception& ex) {
        return ex.what();
    } catch (...) {
        return "unknown exception";
    }
}

template <class T>
RootTask make_root(Task<T> task, std::shared_ptr<JoinSlot<T>> slot) {
    if constexpr (std::is_void_v<T>) {
        co_await std::move(task);
        slot->value.emplace();
    } else {
        slot->value.emplace(co_await std::move(task));
    }
}

}  // namespace spindle::detail
