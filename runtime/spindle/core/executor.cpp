#include "spindle/core/executor.h"

#include <stdexcept>

namespace spindle::detail {

void throw_no_executor() {
    throw std::logic_error("spindle: no runtime is running on this thread");
}

ExecutorScope::ExecutorScope(Executor* e) : m_previous(t_current_executor) {
    t_current_executor = e;
}

ExecutorScope::~ExecutorScope() {
    t_current_executor = m_previous;
}

}  // namespace spindle::detail
