#pragma once
// Typed event payloads: one struct per EventKind naming what the generic Event
// fields (detail, object, count, arg, text) hold for that kind.
//
// This is the one place that maps payload members to generic fields: each struct's
// fields() lists (member, slot) pairs. The runtime's Instrument builds events from
// the structs (encode) and folds read them back with Event::as (decode). No state:
// plain structs and constexpr tables; anyone may include it.
//
// Decoding converts a generic field to the member's type (arg to TaskId, count to
// WaitResult, detail to bool ...); the runtime never writes a value that does not
// fit. Tools that must show a damaged stream exactly, like the text dump, read the
// whole field with raw_value(event, slot_of(&Payload::member)).

#include <cassert>
#include <cstddef>
#include <cstdint>
#include <tuple>
#include <type_traits>
#include <utility>

#include "spindle/instrument/event.h"

namespace spindle::payload {

/// A generic Event field that holds a payload member.
enum class Slot : std::uint8_t { detail, object, count, arg, text };

/// One payload member and the generic field it is stored in.
template <class P, class T>
struct Field {
    using type = T;
    T P::*member;
    Slot slot;
};

/// Names `member` as stored in `slot` (used in the payloads' fields()).
template <class P, class T>
constexpr Field<P, T> field(T P::*member, Slot slot) {
    return {member, slot};
}

// ---- the payloads, in EventKind order --------------------------------------------------

/// run_start: a run begins.
struct RunStart {
    static constexpr EventKind kind = EventKind::run_start;
    Policy policy = Policy::work_stealing;
    std::uint32_t workers = 0;  ///< core workers
    std::uint64_t seed = 0;
    TextId config = 0;  ///< "key=value ..."
    static constexpr auto fields() {
        return std::tuple{field(&RunStart::policy, Slot::detail),
                          field(&RunStart::workers, Slot::count), field(&RunStart::seed, Slot::arg),
                          field(&RunStart::config, Slot::text)};
    }
};

/// run_end: the run ended.
struct RunEnd {
    static constexpr EventKind kind = EventKind::run_end;
    RunOutcome outcome = RunOutcome::completed;
    std::uint64_t alive = 0;  ///< tasks still alive
    /// budget_exceeded: what stopped the run ("cancelled", "the event budget of ...");
    /// 0 otherwise, and in traces written before it was recorded.
    TextId reason = 0;
    static constexpr auto fields() {
        return std::tuple{field(&RunEnd::outcome, Slot::detail), field(&RunEnd::alive, Slot::arg),
                          field(&RunEnd::reason, Slot::text)};
    }
};

/// worker_start: the event's worker is a new thread.
struct WorkerStart {
    static constexpr EventKind kind = EventKind::worker_start;
    WorkerRole role = WorkerRole::core;
    ResourceId pool = 0;  ///< role rayon: the pool (a rayon_pool resource) it belongs to
    static constexpr auto fields() {
        return std::tuple{field(&WorkerStart::role, Slot::detail),
                          field(&WorkerStart::pool, Slot::object)};
    }
};

/// worker_park: the event's worker goes to sleep, nothing to run.
struct WorkerPark {
    static constexpr EventKind kind = EventKind::worker_park;
    static constexpr auto fields() { return std::tuple<>{}; }
};

/// worker_unpark: the event's worker is woken.
struct WorkerUnpark {
    static constexpr EventKind kind = EventKind::worker_unpark;
    TaskId by = 0;  ///< task whose scheduling caused it (0 = none)
    static constexpr auto fields() { return std::tuple{field(&WorkerUnpark::by, Slot::arg)}; }
};

/// worker_steal: the event's worker (the thief) takes tasks from another's queue.
struct WorkerSteal {
    static constexpr EventKind kind = EventKind::worker_steal;
    WorkerId victim = kNoWorker;
    std::uint32_t taken = 0;  ///< tasks taken
    static constexpr auto fields() {
        return std::tuple{field(&WorkerSteal::victim, Slot::object),
                          field(&WorkerSteal::taken, Slot::count)};
    }
};

/// task_spawn: the event's task is created.
struct TaskSpawn {
    static constexpr EventKind kind = EventKind::task_spawn;
    TaskId parent = 0;  ///< 0 = spawned from outside any task
    TaskFlavor flavor = TaskFlavor::async;
    TextId name = 0;
    static constexpr auto fields() {
        return std::tuple{field(&TaskSpawn::parent, Slot::arg),
                          field(&TaskSpawn::flavor, Slot::detail),
                          field(&TaskSpawn::name, Slot::text)};
    }
};

/// task_scheduled: the event's task is put in a run queue.
struct TaskScheduled {
    static constexpr EventKind kind = EventKind::task_scheduled;
    QueuePlace place = QueuePlace::lifo;
    WorkerId queue = kNoWorker;  ///< worker whose queue; kNoWorker = the global queue
    ResourceId pool = 0;         ///< place injector: the Rayon pool (a rayon_pool resource)
    static constexpr auto fields() {
        return std::tuple{field(&TaskScheduled::place, Slot::detail),
                          field(&TaskScheduled::queue, Slot::object),
                          field(&TaskScheduled::pool, Slot::arg)};
    }
};

/// poll_start: the event's worker starts polling the event's task.
struct PollStart {
    static constexpr EventKind kind = EventKind::poll_start;
    static constexpr auto fields() { return std::tuple<>{}; }
};

/// poll_end: the poll of the event's task returns.
struct PollEnd {
    static constexpr EventKind kind = EventKind::poll_end;
    PollResult result = PollResult::ready;
    static constexpr auto fields() { return std::tuple{field(&PollEnd::result, Slot::detail)}; }
};

/// task_wake: the event's task (the woken one) is woken.
struct TaskWake {
    static constexpr EventKind kind = EventKind::task_wake;
    WakeCause cause = WakeCause::task;
    std::uint32_t source = 0;  ///< resource or timer id (by cause), else 0
    TaskId waker = 0;          ///< waking task (0 = none)
    static constexpr auto fields() {
        return std::tuple{field(&TaskWake::cause, Slot::detail),
                          field(&TaskWake::source, Slot::object),
                          field(&TaskWake::waker, Slot::arg)};
    }
};

/// task_end: the event's task finished.
struct TaskEnd {
    static constexpr EventKind kind = EventKind::task_end;
    TaskOutcome outcome = TaskOutcome::completed;
    TextId error = 0;  ///< error message when failed
    static constexpr auto fields() {
        return std::tuple{field(&TaskEnd::outcome, Slot::detail),
                          field(&TaskEnd::error, Slot::text)};
    }
};

/// resource_created: a channel, lock or other resource is registered.
struct ResourceCreated {
    static constexpr EventKind kind = EventKind::resource_created;
    ResourceId resource = 0;
    ResourceKind type = ResourceKind::mpsc;
    std::uint32_t capacity = 0;  ///< kUnbounded for an unbounded channel
    TextId name = 0;
    static constexpr auto fields() {
        return std::tuple{field(&ResourceCreated::resource, Slot::object),
                          field(&ResourceCreated::type, Slot::detail),
                          field(&ResourceCreated::capacity, Slot::count),
                          field(&ResourceCreated::name, Slot::text)};
    }
};

/// chan_send / chan_recv: a message enters or leaves a channel.
template <EventKind K>
struct ChanMessage {
    static constexpr EventKind kind = K;
    ResourceId chan = 0;
    std::uint64_t message = 0;  ///< message id
    std::uint32_t len = 0;      ///< buffer length after
    static constexpr auto fields() {
        return std::tuple{field(&ChanMessage::chan, Slot::object),
                          field(&ChanMessage::message, Slot::arg),
                          field(&ChanMessage::len, Slot::count)};
    }
};
using ChanSend = ChanMessage<EventKind::chan_send>;
using ChanRecv = ChanMessage<EventKind::chan_recv>;

/// chan_try_fail: a try_send / try_recv failed.
struct ChanTryFail {
    static constexpr EventKind kind = EventKind::chan_try_fail;
    ResourceId chan = 0;
    TryFail fail = TryFail::send_full;
    std::uint32_t len = 0;  ///< buffer length
    static constexpr auto fields() {
        return std::tuple{field(&ChanTryFail::chan, Slot::object),
                          field(&ChanTryFail::fail, Slot::detail),
                          field(&ChanTryFail::len, Slot::count)};
    }
};

/// chan_close: a channel (or a semaphore) closed.
struct ChanClose {
    static constexpr EventKind kind = EventKind::chan_close;
    ResourceId chan = 0;  ///< channel or semaphore
    CloseReason reason = CloseReason::receiver_closed;
    std::uint32_t len = 0;  ///< messages buffered (a semaphore: permits available)
    static constexpr auto fields() {
        return std::tuple{field(&ChanClose::chan, Slot::object),
                          field(&ChanClose::reason, Slot::detail),
                          field(&ChanClose::len, Slot::count)};
    }
};

/// chan_lag: a broadcast receiver lagged.
struct ChanLag {
    static constexpr EventKind kind = EventKind::chan_lag;
    ResourceId chan = 0;
    std::uint64_t skipped = 0;  ///< messages skipped
    static constexpr auto fields() {
        return std::tuple{field(&ChanLag::chan, Slot::object), field(&ChanLag::skipped, Slot::arg)};
    }
};

/// chan_drop: a channel endpoint was dropped.
struct ChanDrop {
    static constexpr EventKind kind = EventKind::chan_drop;
    ResourceId chan = 0;
    EndpointRole role = EndpointRole::sender;
    std::uint32_t live = 0;  ///< live endpoints of that role after
    static constexpr auto fields() {
        return std::tuple{field(&ChanDrop::chan, Slot::object),
                          field(&ChanDrop::role, Slot::detail),
                          field(&ChanDrop::live, Slot::count)};
    }
};

/// wait_start: the event's task starts waiting on a resource.
struct WaitStart {
    static constexpr EventKind kind = EventKind::wait_start;
    ResourceId resource = 0;  ///< for join the awaited task, for sleep the timer
    WaitOp op = WaitOp::send;
    /// A blocking call: the waiting task keeps its worker (the thread is blocked).
    bool holds_worker = false;
    static constexpr auto fields() {
        return std::tuple{field(&WaitStart::resource, Slot::object),
                          field(&WaitStart::op, Slot::detail),
                          field(&WaitStart::holds_worker, Slot::count)};
    }
};

/// wait_end: the wait ends.
struct WaitEnd {
    static constexpr EventKind kind = EventKind::wait_end;
    ResourceId resource = 0;  ///< as in wait_start
    WaitOp op = WaitOp::send;
    WaitResult result = WaitResult::done;
    static constexpr auto fields() {
        return std::tuple{field(&WaitEnd::resource, Slot::object),
                          field(&WaitEnd::op, Slot::detail), field(&WaitEnd::result, Slot::count)};
    }
};

/// lock_acquire / lock_release: a lock or semaphore changes hands. The event's task
/// is the owner (a hand-over names the new owner while the releaser runs).
template <EventKind K>
struct LockChange {
    static constexpr EventKind kind = K;
    ResourceId lock = 0;  ///< lock or semaphore
    LockMode mode = LockMode::exclusive;
    std::uint32_t permits = 0;
    static constexpr auto fields() {
        return std::tuple{field(&LockChange::lock, Slot::object),
                          field(&LockChange::mode, Slot::detail),
                          field(&LockChange::permits, Slot::count)};
    }
};
using LockAcquire = LockChange<EventKind::lock_acquire>;
using LockRelease = LockChange<EventKind::lock_release>;

/// timer_set / timer_fired / timer_cancelled. timer_fired's task is the task it wakes.
template <EventKind K>
struct TimerChange {
    static constexpr EventKind kind = K;
    std::uint32_t timer = 0;        ///< timer id
    std::uint64_t deadline_ns = 0;  ///< virtual time it is due
    static constexpr auto fields() {
        return std::tuple{field(&TimerChange::timer, Slot::object),
                          field(&TimerChange::deadline_ns, Slot::arg)};
    }
};
using TimerSet = TimerChange<EventKind::timer_set>;
using TimerFired = TimerChange<EventKind::timer_fired>;
using TimerCancelled = TimerChange<EventKind::timer_cancelled>;

/// select_start: a select! starts.
struct SelectStart {
    static constexpr EventKind kind = EventKind::select_start;
    std::uint32_t select = 0;  ///< select id
    std::uint32_t branches = 0;
    bool biased = false;
    static constexpr auto fields() {
        return std::tuple{field(&SelectStart::select, Slot::object),
                          field(&SelectStart::branches, Slot::count),
                          field(&SelectStart::biased, Slot::detail)};
    }
};

/// select_winner: a select! branch won.
struct SelectWinner {
    static constexpr EventKind kind = EventKind::select_winner;
    std::uint32_t select = 0;  ///< select id
    std::uint32_t branch = 0;  ///< winning branch index
    TextId name = 0;           ///< the branch's name, when the select names its branches
    static constexpr auto fields() {
        return std::tuple{field(&SelectWinner::select, Slot::object),
                          field(&SelectWinner::branch, Slot::count),
                          field(&SelectWinner::name, Slot::text)};
    }
};

/// log: a log line.
struct Log {
    static constexpr EventKind kind = EventKind::log;
    TextId message = 0;
    LogKind type = LogKind::print;  ///< check_failed: message is "file:line: what failed"
    static constexpr auto fields() {
        return std::tuple{field(&Log::message, Slot::text), field(&Log::type, Slot::detail)};
    }
};

/// Every payload, at the index of its kind.
using AllPayloads =
    std::tuple<RunStart, RunEnd, WorkerStart, WorkerPark, WorkerUnpark, WorkerSteal, TaskSpawn,
               TaskScheduled, PollStart, PollEnd, TaskWake, TaskEnd, ResourceCreated, ChanSend,
               ChanRecv, ChanTryFail, ChanClose, ChanLag, ChanDrop, WaitStart, WaitEnd, LockAcquire,
               LockRelease, TimerSet, TimerFired, TimerCancelled, SelectStart, SelectWinner, Log>;
static_assert(std::tuple_size_v<AllPayloads> == kEventKindCount, "a payload per kind");
static_assert(
    [] {
        return []<std::size_t... I>(std::index_sequence<I...>) {
            return ((static_cast<std::size_t>(std::tuple_element_t<I, AllPayloads>::kind) == I) &&
                    ...);
        }
        (std::make_index_sequence<kEventKindCount>{});
    }(),
    "AllPayloads is in EventKind order");

// ---- mapping ---------------------------------------------------------------------------

/// The whole generic field `slot` of `e`, widened (lossless, for dumps).
constexpr std::uint64_t raw_value(const Event& e, Slot slot) {
    switch (slot) {
        case Slot::detail:
            return e.detail;
        case Slot::object:
            return e.object;
        case Slot::count:
            return e.count;
        case Slot::arg:
            return e.arg;
        case Slot::text:
            return e.text;
    }
    return 0;
}

/// The generic field `member` of payload P is stored in; a compile error for a
/// member that P's fields() does not list.
template <class P, class T>
constexpr Slot slot_of(T P::*member) {
    bool found = false;
    Slot slot = Slot::detail;
    std::apply(
        [&](auto... f) {
            (
                [&] {
                    if constexpr (std::is_same_v<decltype(f.member), T P::*>) {
                        if (!found && f.member == member) {
                            found = true;
                            slot = f.slot;
                        }
                    }
                }(),
                ...);
        },
        P::fields());
    if (!found) throw "slot_of: the member is not in the payload's fields()";
    return slot;
}

/// True if payload P has a member stored in the text field.
template <class P>
constexpr bool has_text() {
    return std::apply([](auto... f) { return (false || ... || (f.slot == Slot::text)); },
                      P::fields());
}

namespace detail {

template <class P>
inline constexpr auto kFields = P::fields();

template <class P>
inline constexpr std::size_t kFieldCount = std::tuple_size_v<decltype(P::fields())>;

/// `v` as the integer type R of a slot; a compile error when it might not fit.
template <class R, class T>
constexpr R to_slot(T v) {
    if constexpr (std::is_enum_v<T>) {
        static_assert(sizeof(std::underlying_type_t<T>) <= sizeof(R), "enum wider than its slot");
    } else {
        static_assert(std::is_integral_v<T> && sizeof(T) <= sizeof(R),
                      "member wider than its slot");
    }
    return static_cast<R>(v);
}

/// Stores field F of `data` in its slot of `e`.
template <auto F, class P>
constexpr void store(const P& data, Event& e) {
    const auto v = data.*(F.member);
    if constexpr (F.slot == Slot::detail)
        e.detail = to_slot<std::uint8_t>(v);
    else if constexpr (F.slot == Slot::object)
        e.object = to_slot<std::uint32_t>(v);
    else if constexpr (F.slot == Slot::count)
        e.count = to_slot<std::uint32_t>(v);
    else if constexpr (F.slot == Slot::arg)
        e.arg = to_slot<std::uint64_t>(v);
    else
        e.text = to_slot<TextId>(v);
}

/// Loads field F of `data` from its slot of `e`, converted to the member's type.
template <auto F, class P>
constexpr void load(P& data, const Event& e) {
    using T = typename decltype(F)::type;
    T& out = data.*(F.member);
    if constexpr (F.slot == Slot::detail)
        out = static_cast<T>(e.detail);
    else if constexpr (F.slot == Slot::object)
        out = static_cast<T>(e.object);
    else if constexpr (F.slot == Slot::count)
        out = static_cast<T>(e.count);
    else if constexpr (F.slot == Slot::arg)
        out = static_cast<T>(e.arg);
    else
        out = static_cast<T>(e.text);
}

}  // namespace detail

/// Writes the members of `data` into their generic fields of `e` (others untouched).
template <class P>
constexpr void encode(const P& data, Event& e) {
    [&]<std::size_t... I>(std::index_sequence<I...>) {
        (detail::store<std::get<I>(detail::kFields<P>)>(data, e), ...);
    }
    (std::make_index_sequence<detail::kFieldCount<P>>{});
}

/// The payload read from the generic fields of `e`, whatever its kind (see Event::as).
template <class P>
constexpr P decode(const Event& e) {
    P payload{};
    [&]<std::size_t... I>(std::index_sequence<I...>) {
        (detail::load<std::get<I>(detail::kFields<P>)>(payload, e), ...);
    }
    (std::make_index_sequence<detail::kFieldCount<P>>{});
    return payload;
}

/// Calls f with the payload of `e` decoded as its kind's struct; returns what f
/// returns. `e.kind` must be a known kind (below kEventKindCount).
template <class F>
constexpr decltype(auto) visit(const Event& e, F&& f) {
    assert(static_cast<int>(e.kind) < kEventKindCount);
    return [&]<std::size_t... I>(std::index_sequence<I...>)->decltype(auto) {
        using R = decltype(f(std::tuple_element_t<0, AllPayloads>{}));
        R(*const table[])
        (const Event&, F&) = {[](const Event& ev, F& fn) -> R {
            return fn(decode<std::tuple_element_t<I, AllPayloads>>(ev));
        }...};
        return table[static_cast<std::size_t>(e.kind)](e, f);
    }
    (std::make_index_sequence<kEventKindCount>{});
}

}  // namespace spindle::payload

namespace spindle {

template <class P>
P Event::as() const {
    assert(kind == P::kind && "Event::as: the payload does not belong to this kind");
    return payload::decode<P>(*this);
}

}  // namespace spindle
