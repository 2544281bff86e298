#pragma once
// The instrumentation event: one small, immutable record per scheduling decision.
//
// Every event has the same fixed layout (48 bytes); what the generic fields
// `detail`, `object`, `count` and `arg` mean depends on `kind` and is listed
// next to each kind below and in docs/event-schema.md. Code reads and writes them
// through the typed payloads of event_payloads.h (Event::as), which hold the
// one mapping from named fields to generic ones. Text (task names, resource
// names, log lines, error messages) is interned: `text` is an id into the run's
// string table and the text itself travels beside the event to sinks.
// Events are created only by the runtime's Instrument and never change after.
// The ids and the small enums events carry live in core/ids.h.

#include <cstdint>
#include <string_view>

#include "spindle/core/ids.h"

namespace spindle {

/// What happened. The numeric values are part of the trace file format: append only.
enum class EventKind : std::uint8_t {
    // detail=policy, count=workers, arg=seed, text=configuration ("key=value ...")
    run_start = 0,
    // detail=RunOutcome, arg=number of tasks still alive
    run_end = 1,
    // worker=the new thread, detail=WorkerRole
    worker_start = 2,
    worker_park = 3,
    // worker=woken, arg=task whose scheduling caused it (0 = none)
    worker_unpark = 4,
    // worker=thief, object=victim worker, count=tasks taken
    worker_steal = 5,
    // task=new task, arg=parent task, detail=TaskFlavor, text=name
    task_spawn = 6,
    // task, detail=QueuePlace, object=worker whose queue (kNoWorker for the global queue)
    task_scheduled = 7,
    poll_start = 8,
    // detail=PollResult
    poll_end = 9,
    // task=woken, detail=WakeCause, arg=waking task (0 = none), object=resource or timer id
    task_wake = 10,
    // detail=TaskOutcome, text=error message when failed
    task_end = 11,
    // object=resource, detail=ResourceKind, count=capacity (kUnbounded), text=name
    resource_created = 12,
    // object=channel, arg=message id, count=buffer length after
    chan_send = 13,
    // object=channel, arg=message id, count=buffer length after
    chan_recv = 14,
    // object=channel, detail=TryFail, count=buffer length
    chan_try_fail = 15,
    // object=channel or semaphore, detail=CloseReason, count=messages buffered (a
    // semaphore: permits available)
    chan_close = 16,
    // object=channel, arg=messages skipped
    chan_lag = 17,
    // object=channel, detail=EndpointRole, count=live endpoints of that role after
    chan_drop = 18,
    // object=resource, detail=WaitOp
    wait_start = 19,
    // object=resource, detail=WaitOp, count=WaitResult
    wait_end = 20,
    // task=the owner (a hand-over names the new owner while the releaser runs),
    // object=lock/semaphore, detail=LockMode, count=permits
    lock_acquire = 21,
    // same fields as lock_acquire
    lock_release = 22,
    // object=timer id, arg=deadline (ns)
    timer_set = 23,
    // same fields as timer_set; task=the task it wakes
    timer_fired = 24,
    // same fields as timer_set
    timer_cancelled = 25,
    // object=select id, count=branches, detail=1 if biased
    select_start = 26,
    // object=select id, count=winning branch index, text=the branch's name (if named)
    select_winner = 27,
    // text=the message
    log = 28,
};
inline constexpr int kEventKindCount = 29;

/// One instrumentation event. Plain data, 48 bytes.
struct Event {
    std::uint64_t seq = 0;     ///< position in the run's stream, from 0
    std::int64_t time_ns = 0;  ///< virtual time since run start
    EventKind kind = EventKind::log;
    std::uint8_t detail = 0;  ///< kind-specific small enum
    WorkerId worker = kNoWorker;
    TaskId task = 0;
    std::uint32_t object = 0;  ///< resource, timer, worker or select id (by kind)
    std::uint32_t count = 0;   ///< buffer length, capacity, steal count... (by kind)
    TextId text = 0;
    std::uint64_t arg = 0;  ///< message id, task id, seed, deadline... (by kind)

    /// The typed payload of this event, e.g. `e.as<payload::WaitEnd>()`: its fields named
    /// and typed (spindle/instrument/event_payloads.h, which defines it). The kind
    /// must be P's (asserted in debug builds).
    template <class P>
    P as() const;

    friend bool operator==(const Event&, const Event&) = default;
};
static_assert(sizeof(Event) == 48, "Event layout is part of the memory budget");

/// Stable lower_snake_case name of a kind, as used in text dumps and docs.
std::string_view to_string(EventKind kind);

}  // namespace spindle
