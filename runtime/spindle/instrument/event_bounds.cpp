#include "spindle/instrument/event_bounds.h"

#include <type_traits>

#include "spindle/instrument/event_payloads.h"

namespace spindle {

namespace {

std::string num(std::uint64_t v) {
    return std::to_string(v);
}

std::string_view slot_name(payload::Slot slot) {
    switch (slot) {
        case payload::Slot::detail:
            return "detail";
        case payload::Slot::object:
            return "object";
        case payload::Slot::count:
            return "count";
        case payload::Slot::arg:
            return "arg";
        case payload::Slot::text:
            return "text";
    }
    return "?";
}

/// The first enum member of `data` whose value its enum does not name.
template <class P>
std::optional<std::string> bad_enum(const P& data) {
    std::optional<std::string> bad;
    std::apply(
        [&](auto... f) {
            (
                [&] {
                    using T = typename decltype(f)::type;
                    if constexpr (std::is_enum_v<T>) {
                        const T v = data.*(f.member);
                        if (!bad && to_string(v) == kUnknownName)
                            bad = "value " + num(static_cast<std::uint64_t>(v)) + " in field " +
                                  std::string(slot_name(f.slot)) + " names no value of its type";
                    }
                }(),
                ...);
        },
        P::fields());
    return bad;
}

}  // namespace

std::optional<std::string> EventBounds::check(const Event& e) {
    if (static_cast<int>(e.kind) >= kEventKindCount) return "unknown event kind";
    if (e.time_ns < 0 || e.time_ns > kMaxEventTimeNs)
        return "time " + std::to_string(e.time_ns) + " ns is outside 0 .. 2^62";
    if (e.worker != kNoWorker && e.worker > kMaxWorkerId)
        return "worker " + num(e.worker) + " is above the highest a run can have (" +
               num(kMaxWorkerId) + ")";
    if (auto bad = payload::visit(e, [](const auto& data) { return bad_enum(data); })) return bad;
    if (auto bad = check_workers(e)) return bad;
    if (auto bad = check_ids(e)) return bad;
    if (e.kind == EventKind::task_spawn) ++m_tasks;
    if (e.kind == EventKind::resource_created) ++m_resources;
    if (e.kind == EventKind::worker_start) ++m_workers;
    return std::nullopt;
}

std::optional<std::string> EventBounds::check_workers(const Event& e) const {
    if (e.kind == EventKind::worker_start) {
        if (e.worker != m_workers)
            return "worker_start of worker " + num(e.worker) + ", expected worker " +
                   num(m_workers) + " (workers are numbered in start order)";
        return std::nullopt;
    }
    if (e.worker != kNoWorker && e.worker >= m_workers)
        return "worker " + num(e.worker) + " was never started (" + num(m_workers) + " so far)";
    return std::nullopt;
}

std::optional<std::string> EventBounds::check_ids(const Event& e) const {
    const auto task_ok = [&](TaskId t) { return t <= m_tasks; };
    const auto worker_ok = [&](WorkerId w) { return w == kNoWorker || w < m_workers; };
    const auto resource = [&](ResourceId r) -> std::optional<std::string> {
        if (r >= 1 && r <= m_resources) return std::nullopt;
        return "resource " + num(r) + " was never created (" + num(m_resources) + " so far)";
    };

    if (e.kind == EventKind::task_spawn) {
        if (e.task != m_tasks + 1)
            return "task_spawn of task " + num(e.task) + ", expected task " + num(m_tasks + 1) +
                   " (tasks are numbered in spawn order)";
        if (!task_ok(e.as<payload::TaskSpawn>().parent))
            return "task_spawn with parent " + num(e.as<payload::TaskSpawn>().parent) +
                   ", which was never spawned";
        return std::nullopt;
    }
    if (!task_ok(e.task))
        return "task " + num(e.task) + " was never spawned (" + num(m_tasks) + " so far)";

    switch (e.kind) {
        case EventKind::resource_created:
            if (e.as<payload::ResourceCreated>().resource != m_resources + 1)
                return "resource_created of resource " + num(e.object) + ", expected " +
                       num(m_resources + 1) + " (resources are numbered in creation order)";
            break;
        case EventKind::worker_unpark:
            if (!task_ok(e.as<payload::WorkerUnpark>().by)) return "unpark by an unknown task";
            break;
        case EventKind::worker_steal:
            if (!worker_ok(e.as<payload::WorkerSteal>().victim))
                return "steal from an unknown worker";
            break;
        case EventKind::task_scheduled: {
            const auto q = e.as<payload::TaskScheduled>();
            if (!worker_ok(q.queue)) return "scheduled on an unknown worker's queue";
            if (q.pool != 0) return resource(q.pool);
            break;
        }
        case EventKind::worker_start:
            if (const ResourceId pool = e.as<payload::WorkerStart>().pool) return resource(pool);
            break;
        case EventKind::task_wake:
            if (!task_ok(e.as<payload::TaskWake>().waker)) return "woken by an unknown task";
            break;
        case EventKind::chan_send:
        case EventKind::chan_recv:
        case EventKind::chan_try_fail:
        case EventKind::chan_close:
        case EventKind::chan_lag:
        case EventKind::chan_drop:
        case EventKind::lock_acquire:
        case EventKind::lock_release:
            return resource(e.object);  // every one of these names its resource in `object`
        case EventKind::wait_start:
        case EventKind::wait_end: {
            const auto wait = payload::decode<payload::WaitStart>(e);  // wait_end: same layout
            if (wait.op == WaitOp::join) {
                if (wait.resource == 0 || !task_ok(wait.resource))
                    return "join of task " + num(wait.resource) + ", which was never spawned";
            } else if (wait.op != WaitOp::sleep) {
                return resource(wait.resource);
            }
            break;
        }
        default:
            break;
    }
    return std::nullopt;
}

}  // namespace spindle
