#pragma once
// Ids and small enums shared by the core runtime and its instrumentation: task,
// resource, worker and text ids, the scheduling policy, the run outcome and every
// small enum an event carries, with their stable names.
//
// No state: plain types and pure name lookups (defined in ids.cpp). It includes
// nothing of the runtime, so any header, core or instrument, may include it.
// The numeric values are part of the trace file format: append only.

#include <cstdint>
#include <string_view>

namespace spindle {

using TaskId = std::uint32_t;      ///< 0 = no task
using ResourceId = std::uint32_t;  ///< 0 = no resource
using WorkerId = std::uint16_t;
using TextId = std::uint32_t;  ///< 0 = no text
inline constexpr WorkerId kNoWorker = 0xFFFF;
inline constexpr std::uint32_t kUnbounded = 0xFFFFFFFF;  ///< capacity of an unbounded channel

enum class Policy : std::uint8_t { work_stealing = 0, global_queue = 1, current_thread = 2 };
enum class RunOutcome : std::uint8_t {
    completed = 0,
    failed = 1,  ///< every task ended, at least one failed
    deadlock = 2,
    budget_exceeded = 3,
    check_failed = 4,  ///< every task ended, none failed, but a check() did not hold
};
/// core: a runtime worker; blocking: a spawn_blocking thread; thread: an OS thread a
/// script started (thread.spawn), which runs one thread body at a time.
/// rayon: a thread of a Rayon pool (rayon.pool), which runs the pool's jobs.
enum class WorkerRole : std::uint8_t { core = 0, blocking = 1, thread = 2, rayon = 3 };
/// What a log event is: a print, or a check() that did not hold.
enum class LogKind : std::uint8_t { print = 0, check_failed = 1 };
/// async: a tokio task; blocking: spawn_blocking; thread: the body of an OS thread
/// (std::thread::spawn), which owns its own lane and blocks only it; rayon: a job of a
/// Rayon pool (one side of a join, a piece of a parallel iterator); local: an async task
/// spawned on a LocalSet (spawn_local: a !Send future), which runs only on its set's worker.
enum class TaskFlavor : std::uint8_t { async = 0, blocking = 1, thread = 2, rayon = 3, local = 4 };
/// injector: a Rayon pool's queue of jobs sent in from outside the pool.
enum class QueuePlace : std::uint8_t {
    lifo = 0,
    local = 1,
    global = 2,
    stolen = 3,
    blocking = 4,
    injector = 5
};
enum class PollResult : std::uint8_t { ready = 0, pending = 1 };
enum class WakeCause : std::uint8_t {
    task = 0,
    timer = 1,
    resource = 2,
    abort = 3,
    yield = 4,
    spawn = 5
};
enum class TaskOutcome : std::uint8_t { completed = 0, failed = 1, aborted = 2 };
enum class ResourceKind : std::uint8_t {
    mpsc = 0,
    oneshot = 1,
    broadcast = 2,
    watch = 3,
    mutex = 4,
    rwlock = 5,
    semaphore = 6,
    notify = 7,
    barrier = 8,
    task = 9,  ///< a task awaited through its JoinHandle
    timer = 10,
    crossbeam = 11,   ///< a crossbeam channel (MPMC; its operations block the calling thread)
    rayon_pool = 12,  ///< a Rayon thread pool (capacity = its threads)
};
enum class TryFail : std::uint8_t {
    send_full = 0,
    send_closed = 1,
    recv_empty = 2,
    recv_closed = 3
};
enum class CloseReason : std::uint8_t {
    receiver_closed = 0,
    senders_dropped = 1,
    receiver_dropped = 2,
    closed = 3  ///< closed explicitly (Semaphore::close)
};
enum class EndpointRole : std::uint8_t { sender = 0, receiver = 1 };
enum class WaitOp : std::uint8_t {
    send = 0,
    recv = 1,
    changed = 2,
    lock = 3,
    read = 4,
    write = 5,
    acquire = 6,
    notified = 7,
    barrier = 8,
    join = 9,
    sleep = 10,
};
enum class WaitResult : std::uint8_t { done = 0, cancelled = 1 };
enum class LockMode : std::uint8_t { exclusive = 0, shared = 1, permits = 2 };

/// What every to_string returns for a value outside its enum (e.g. from a damaged stream).
inline constexpr std::string_view kUnknownName = "?";

/// Stable names, as used in text dumps, summaries and docs ("work-stealing", "lifo", ...).
std::string_view to_string(Policy p);
std::string_view to_string(RunOutcome o);
std::string_view to_string(WorkerRole r);
std::string_view to_string(TaskFlavor f);
std::string_view to_string(QueuePlace p);
std::string_view to_string(PollResult r);
std::string_view to_string(WakeCause c);
std::string_view to_string(TaskOutcome o);
std::string_view to_string(LogKind k);
std::string_view to_string(ResourceKind k);
std::string_view to_string(TryFail f);
std::string_view to_string(CloseReason r);
std::string_view to_string(EndpointRole r);
std::string_view to_string(WaitOp op);
std::string_view to_string(WaitResult r);
std::string_view to_string(LockMode m);

}  // namespace spindle
