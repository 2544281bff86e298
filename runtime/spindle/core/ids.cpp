// Names of the ids' small enums (declared in core/ids.h).
//
// No state: pure lookup tables. The names are stable (text dumps, summaries, docs and
// golden tests use them); values outside an enum map to kUnknownName ("?").

#include "spindle/core/ids.h"

#include <array>

namespace spindle {

namespace {

template <std::size_t N, class E>
std::string_view lookup(const std::array<std::string_view, N>& names, E value) {
    const auto index = static_cast<std::size_t>(value);
    return index < N ? names[index] : kUnknownName;
}

}  // namespace

std::string_view to_string(Policy p) {
    static constexpr std::array<std::string_view, 3> names = {"work-stealing", "global-queue",
                                                              "current-thread"};
    return lookup(names, p);
}

std::string_view to_string(RunOutcome o) {
    static constexpr std::array<std::string_view, 5> names = {"completed", "failed", "deadlock",
                                                              "budget_exceeded", "check_failed"};
    return lookup(names, o);
}

std::string_view to_string(WorkerRole r) {
    static constexpr std::array<std::string_view, 4> names = {"core", "blocking", "thread",
                                                              "rayon"};
    return lookup(names, r);
}

std::string_view to_string(TaskFlavor f) {
    static constexpr std::array<std::string_view, 5> names = {"async", "blocking", "thread",
                                                              "rayon", "local"};
    return lookup(names, f);
}

std::string_view to_string(QueuePlace p) {
    static constexpr std::array<std::string_view, 6> names = {"lifo",   "local",    "global",
                                                              "stolen", "blocking", "injector"};
    return lookup(names, p);
}

std::string_view to_string(PollResult r) {
    static constexpr std::array<std::string_view, 2> names = {"ready", "pending"};
    return lookup(names, r);
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

std::string_view to_string(LogKind k) {
    static constexpr std::array<std::string_view, 2> names = {"print", "check_failed"};
    return lookup(names, k);
}

std::string_view to_string(ResourceKind k) {
    static constexpr std::array<std::string_view, 13> names = {
        "mpsc",   "oneshot", "broadcast", "watch", "mutex",     "rwlock",    "semaphore",
        "notify", "barrier", "task",      "timer", "crossbeam", "rayon_pool"};
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

std::string_view to_string(WaitResult r) {
    static constexpr std::array<std::string_view, 2> names = {"done", "cancelled"};
    return lookup(names, r);
}

std::string_view to_string(LockMode m) {
    static constexpr std::array<std::string_view, 3> names = {"exclusive", "shared", "permits"};
    return lookup(names, m);
}

}  // namespace spindle
