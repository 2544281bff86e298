// Names of the event kinds and of the enums carried in events (declared in event.h).
//
// No state: pure lookup tables. The names are stable (text dumps, docs and golden
// tests use them); values outside an enum map to kUnknownName ("?").

#include "spindle/instrument/event.h"

#include <array>

#include "spindle/instrument/event_names.h"  // kUnknownName

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

std::string_view to_string(Policy p) {
    static constexpr std::array<std::string_view, 3> names = {"work-stealing", "global-queue",
                                                              "current-thread"};
    return lookup(names, p);
}

std::string_view to_string(RunOutcome o) {
    static constexpr std::array<std::string_view, 4> names = {"completed", "failed", "deadlock",
                                                              "budget_exceeded"};
    return lookup(names, o);
}

std::string_view to_string(QueuePlace p) {
    static constexpr std::array<std::string_view, 5> names = {"lifo", "local", "global", "stolen",
                                                              "blocking"};
    return lookup(names, p);
}

std::string_view to_string(WakeCause c) {
    static constexpr std::array<std::string_view, 6> names = {"task",  "timer", "resource",
                                                              "abort", "yield", "spawn"};
    return lookup(names, c);
}

std::string_view to_string(TaskOutcome o) {
    static constexpr std::array<std::string_view, 3> names = {"completed", "failed", "aborted"};
    return lookup(names, o);
}

std::string_view to_string(ResourceKind k) {
    static constexpr std::array<std::string_view, 11> names = {
        "mpsc",      "oneshot", "broadcast", "watch", "mutex", "rwlock",
        "semaphore", "notify",  "barrier",   "task",  "timer"};
    return lookup(names, k);
}

std::string_view to_string(TryFail f) {
    static constexpr std::array<std::string_view, 4> names = {"send_full", "send_closed",
                                                              "recv_empty", "recv_closed"};
    return lookup(names, f);
}

std::string_view to_string(CloseReason r) {
    static constexpr std::array<std::string_view, 4> names = {"receiver_closed", "senders_dropped",
                                                              "receiver_dropped", "closed"};
    return lookup(names, r);
}

std::string_view to_string(EndpointRole r) {
    static constexpr std::array<std::string_view, 2> names = {"sender", "receiver"};
    return lookup(names, r);
}

std::string_view to_string(WaitOp op) {
    static constexpr std::array<std::string_view, 11> names = {
        "send",    "recv",     "changed", "lock", "read", "write",
        "acquire", "notified", "barrier", "join", "sleep"};
    return lookup(names, op);
}

std::string_view to_string(LockMode m) {
    static constexpr std::array<std::string_view, 3> names = {"exclusive", "shared", "permits"};
    return lookup(names, m);
}

}  // namespace spindle
