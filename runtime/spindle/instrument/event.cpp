// Names of the event kinds (declared in event.h); the enums events carry are named
// in core/ids.cpp.
//
// No state: a pure lookup table. The names are stable (text dumps, docs and golden
// tests use them); values outside the enum map to kUnknownName ("?").

#include "spindle/instrument/event.h"

#include <array>

namespace spindle {

namespace {

template <std::size_t N, class E>
std::string_view lookup(const std::array<std::string_view, N>& names, E value) {
    const auto index = static_cast<std::size_t>(value);
    return index < N ? names[index] : kUnknownName;
}

constexpr std::array<std::string_view, kEventKindCount> kKindNames = {
    "run_start",       "run_end",      "worker_start",     "worker_park", "worker_unpark",
    "worker_steal",    "task_spawn",   "task_scheduled",   "poll_start",  "poll_end",
    "task_wake",       "task_end",     "resource_created", "chan_send",   "chan_recv",
    "chan_try_fail",   "chan_close",   "chan_lag",         "chan_drop",   "wait_start",
    "wait_end",        "lock_acquire", "lock_release",     "timer_set",   "timer_fired",
    "timer_cancelled", "select_start", "select_winner",    "log",
};

}  // namespace

std::string_view to_string(EventKind kind) {
    return lookup(kKindNames, kind);
}

}  // namespace spindle
