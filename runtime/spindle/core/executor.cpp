#include "spindle/core/executor.h"

#include <stdexcept>

namespace spindle {

namespace {
thread_local Executor* t_current = nullptr;
}

Executor* current_executor_or_null() {
    return t_current;
}

Executor& current_executor() {
    if (!t_current) throw std::logic_error("spindle: no runtime is running on this thread");
    return *t_current;
}

namespace detail {
ExecutorScope::ExecutorScope(Executor* e) : m_previous(t_current) {
    t_current = e;
}
ExecutorScope::~ExecutorScope() {
    t_current = m_previous;
}
}  // namespace detail

}  // namespace spindle
